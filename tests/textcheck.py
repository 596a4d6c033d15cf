#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Checks for tests/text_test.sh, each against a reference stormtop does
not share: Python's strict UTF-8 decoder, json and csv modules, and
unicodedata's East Asian widths.  Prints what is wrong and exits 1.

  textcheck.py raw FILE          terminal bytes: only our CSI sequences,
                                 no other ESC, C0 or C1, strict UTF-8
  textcheck.py jsonl FILE        every line strict UTF-8 and JSON
  textcheck.py csv FILE          RFC 4180: every row as wide as the header
  textcheck.py columns FILE PID...  in a captured process view, each PID's
                                 row has its FLUSHREQ/s figure in the header's
                                 column, counted in terminal cells
  textcheck.py escrec FILE      the dump of escape-strings-c0-c1-invalid-utf8.rec
                                 reads back its escapes exactly, its bad bytes
                                 as U+FFFD
  textcheck.py comms FILE PID=NAME...  the last JSON line names each PID so
                                 (NAME in ASCII with Python escapes)
"""
import csv
import io
import json
import re
import sys
import unicodedata


def fail(msg):
    print(msg)
    sys.exit(1)


def raw(path):
    data = open(path, 'rb').read()
    rest = re.sub(rb'\x1b\[[0-9;?<]*[A-Za-z]', b'', data)
    if b'\x1b' in rest:
        i = rest.index(b'\x1b')
        fail('ESC outside a CSI sequence: %r' % rest[max(0, i - 20):i + 20])
    m = re.search(rb'[\x00-\x1f\x7f]', rest)
    if m:
        fail('C0 control %r near %r' % (m.group(), rest[max(0, m.start() - 20):m.start() + 20]))
    try:
        text = rest.decode('utf-8')
    except UnicodeDecodeError as e:
        fail('not UTF-8: %s' % e)
    m = re.search('[\x80-\x9f]', text)
    if m:
        fail('C1 control U+%04X near %r' % (ord(m.group()), text[max(0, m.start() - 20):m.start() + 20]))


def jsonl(path):
    lines = open(path, 'rb').read().decode('utf-8').splitlines()
    for n, line in enumerate(lines):
        json.loads(line)
    if not lines:
        fail('no JSON')


def csv_rows(path):
    rows = list(csv.reader(io.StringIO(open(path, 'rb').read().decode('utf-8'), newline='')))
    for n, row in enumerate(rows):
        if len(row) != len(rows[0]):
            fail('row %d has %d cells, the header %d' % (n, len(row), len(rows[0])))
    if len(rows) < 2:
        fail('no rows')


def width(ch):
    if unicodedata.combining(ch) or unicodedata.category(ch) in ('Mn', 'Me'):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in 'WF' else 1


def cells(line):
    out = []
    for ch in line:
        w = width(ch)
        if w == 0 and out:
            out[-1] += ch
        else:
            out.append(ch)
            if w == 2:
                out.append('')
    return out


def columns(path, pids):
    lines = open(path, encoding='utf-8').read().splitlines()
    head = [l for l in lines if 'PID COMM' in l]
    if not head:
        fail('no process table header')
    end = head[0].index('FLUSHREQ/s') + len('FLUSHREQ/s')  # ASCII: a cell a character
    for pid in pids:
        rows = [l for l in lines if re.match(r'^ *%s ' % pid, l)]
        if not rows:
            fail('no row for pid %s' % pid)
        c = cells(rows[0])
        figure = ''.join(c[end - 9:end])
        if not re.fullmatch(r' *[0-9.]+[kMGT]?', figure) or (len(c) > end and c[end] != ' '):
            fail('pid %s: FLUSHREQ/s cells %r not under the header in %r' % (pid, figure, rows[0]))


def escrec(path):
    last = json.loads(open(path, 'rb').read().decode('utf-8').splitlines()[-1])
    evil = '\x1b[2J\x1b]0;pwned\x07\x1b[31mEVIL'
    if last['apps'][0]['name'] != evil or last['apps'][0]['mode_label'] != '\x1b]2':
        fail('apps: %r' % last['apps'])
    if [p['comm'] for p in last['procs']] != [evil[:15], '\ufffd\ufffd\ufffd(bad-utf8"qu']:
        fail('procs: %r' % [p['comm'] for p in last['procs']])


def comms(path, pairs):
    # Every frame, not the last: on a busy host a churner can miss the
    # top list of one tick; each time it is listed its comm must read back.
    seen = {}
    for line in open(path, 'rb').read().decode('utf-8').splitlines():
        for p in json.loads(line).get('procs', []):
            seen.setdefault(p['pid'], set()).add(p['comm'])
    for pair in pairs:
        pid, name = pair.split('=', 1)
        want = name.encode('ascii').decode('unicode_escape')
        if seen.get(int(pid)) != {want}:
            fail('pid %s: comms %r over the frames, want only %r' % (pid, seen.get(int(pid)), want))


if __name__ == '__main__':
    what, path, args = sys.argv[1], sys.argv[2], sys.argv[3:]
    {'raw': lambda: raw(path), 'jsonl': lambda: jsonl(path), 'csv': lambda: csv_rows(path),
     'columns': lambda: columns(path, args), 'comms': lambda: comms(path, args),
     'escrec': lambda: escrec(path)}[what]()
