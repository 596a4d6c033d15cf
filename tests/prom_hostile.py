#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Hostile HTTP clients against stormtop's exporter: prints one line per
probe, "name: result", for tests/prom_test.sh to check.

  prom_hostile.py HOST PORT probes      malformed, oversized, wrong method
  prom_hostile.py HOST PORT stuck N S   N clients ask for /metrics and never
                                        read, and N slow-header clients, for S s
  prom_hostile.py HOST PORT slowloris N S K
                                        N clients each send one header byte a
                                        second (reconnecting when dropped) for
                                        S s, while K scrapes are timed one a
                                        second; prints each scrape's latency
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


def scrape(host, port, timeout):
    """One GET /metrics read to the end: (seconds, status line or error)."""
    t0 = time.monotonic()
    try:
        s = socket.create_connection((host, port), timeout=timeout)
        s.settimeout(max(0.01, timeout - (time.monotonic() - t0)))
        s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        reply = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            reply += chunk
        s.close()
        status = reply.split(b"\r\n", 1)[0].decode("latin-1") or "closed"
        if b"stormtop_frames_total" not in reply:
            status += " (no metrics)"
    except (OSError, socket.timeout) as e:
        status = "error: %s" % (e.__class__.__name__,)
    return time.monotonic() - t0, status


def slowloris(host, port, n, secs, k):
    """n trickling clients; a slot dropped by the server is taken again at
    once, so the pressure never lets up; k timed scrapes meanwhile."""
    import threading
    stop = time.monotonic() + secs
    opened = [0]
    dropped = [0]

    def trickler():
        s = None
        while time.monotonic() < stop:
            try:
                if s is None:
                    s = socket.create_connection((host, port), timeout=2)
                    s.sendall(b"GET /metrics HTTP/1.1\r\n")
                    opened[0] += 1
                s.sendall(b"X")
            except OSError:
                dropped[0] += 1
                if s is not None:
                    s.close()
                s = None
                time.sleep(0.05)
                continue
            time.sleep(1)
        if s is not None:
            s.close()

    threads = [threading.Thread(target=trickler, daemon=True) for _ in range(n)]
    for t in threads:
        t.start()
    time.sleep(min(3.0, secs / 3))  # every trickler connected and stuck
    worst = 0.0
    for i in range(k):
        secs_taken, status = scrape(host, port, 5.0)
        worst = max(worst, secs_taken)
        print("scrape %d: %.3f s %s" % (i + 1, secs_taken, status), flush=True)
        time.sleep(1)
    print("slowloris: %d tricklers, %d connections opened, %d dropped by the server; worst scrape %.3f s"
          % (n, opened[0], dropped[0], worst), flush=True)
    for t in threads:
        t.join(timeout=secs + 5)


if __name__ == "__main__":
    h, p = sys.argv[1], int(sys.argv[2])
    if sys.argv[3] == "probes":
        probes(h, p)
    elif sys.argv[3] == "slowloris":
        slowloris(h, p, int(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6]))
    else:
        stuck(h, p, int(sys.argv[4]), float(sys.argv[5]))
