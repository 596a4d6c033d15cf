#!/usr/bin/env python3
"""Hostile HTTP clients against stormtop's exporter: prints one line per
probe, "name: result", for tests/prom_test.sh to check.

  prom_hostile.py HOST PORT probes      malformed, oversized, wrong method
  prom_hostile.py HOST PORT stuck N S   N clients ask for /metrics and never
                                        read, and N slow-header clients, for S s
"""
import socket
import sys
import time


def exchange(host, port, data, timeout=5.0):
    """Sends data, returns the status line (or what happened)."""
    s = socket.create_connection((host, port), timeout=timeout)
    try:
        s.sendall(data)
        reply = b""
        while b"\r\n" not in reply:
            chunk = s.recv(4096)
            if not chunk:
                break
            reply += chunk
        return reply.split(b"\r\n", 1)[0].decode("latin-1") or "closed"
    except (ConnectionResetError, BrokenPipeError):
        return "reset"
    except socket.timeout:
        return "timeout"
    finally:
        s.close()


def probes(host, port):
    big = b"GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 65536 + b"\r\n\r\n"
    print("oversized:", exchange(host, port, big))
    print("malformed:", exchange(host, port, b"\x16\x03\x01garbage not http\r\n\r\n"))
    print("post:", exchange(host, port, b"POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"))
    print("notfound:", exchange(host, port, b"GET /etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n"))
    print("traversal:", exchange(host, port, b"GET /../../metrics HTTP/1.1\r\nHost: x\r\n\r\n"))
    print("http09:", exchange(host, port, b"GET /metrics\r\n\r\n"))


def stuck(host, port, n, secs):
    socks = []
    for _ in range(n):
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1024)
        s.connect((host, port))
        s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
        socks.append(s)
    slow = []
    for _ in range(n):
        s = socket.create_connection((host, port))
        s.sendall(b"GET /metrics HTTP/1.1\r\n")
        slow.append(s)
    print("stuck: %d readers that never read, %d slow writers" % (len(socks), len(slow)), flush=True)
    end = time.time() + secs
    while time.time() < end:
        for s in slow:
            try:
                s.sendall(b"X")  # one byte of a header line, now and then
            except OSError:
                pass
        time.sleep(1)
    for s in socks + slow:
        s.close()
    print("stuck: done", flush=True)


if __name__ == "__main__":
    h, p = sys.argv[1], int(sys.argv[2])
    if sys.argv[3] == "probes":
        probes(h, p)
    else:
        stuck(h, p, int(sys.argv[4]), float(sys.argv[5]))
