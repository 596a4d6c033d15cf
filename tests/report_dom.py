#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
# Reads back what tests/report_test.sh asserts from a report or diff page
# as Chromium saw it (--dump-dom), and the references it compares with
# (stormtop dump CSV, stormtop drill JSON).  Each subcommand prints one
# line: "ok ..." or what differed.
import csv
import json
import struct
import sys
import zlib
from html.parser import HTMLParser


class Dom(HTMLParser):
    """Heatmap rows, column lists, transitions and a count of every tag."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = {}
        self.maps = {}            # metric -> {"cols": (seq, n), "rows": [(cpus, {t: v})]}
        self.metric = None
        self.row = None
        self.transitions = []
        self.tr = None
        self.text = []
        self.classes = []
        self.field = None
        self.fields = {}
        self.points = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags[tag] = self.tags.get(tag, 0) + 1
        cls = a.get("class", "")
        if tag == "section" and "heatmap" in cls:
            self.metric = a["data-metric"]
            self.maps[self.metric] = {"cols": None, "rows": []}
        elif tag == "g" and cls == "cols" and self.metric:
            seq = [int(x) for x in a["data-seq"].split(",")]
            n = [int(x) for x in a["data-n"].split(",")]
            self.maps[self.metric]["cols"] = (seq, n)
        elif tag == "g" and cls == "row" and self.metric:
            cpus = a.get("data-cpu") or a.get("data-cpus")
            self.row = (cpus, {})
            self.maps[self.metric]["rows"].append(self.row)
        elif tag == "rect" and self.row is not None and "data-v" in a:
            v = a["data-v"]
            self.row[1][int(a["data-t"])] = float(v) if v else None
        elif tag == "tr" and cls == "transition":
            self.tr = {"wall_ns": int(a["data-wall-ns"]), "cells": []}
        elif tag == "td" and self.tr is not None:
            self.tr["cells"].append("")
        elif tag == "tr" and cls:
            self.classes.append(cls)
        elif tag == "td" and "data-field" in a:
            self.field = a["data-field"]
            self.fields[self.field] = ""
        elif tag == "polyline":
            self.points = len(a.get("points", "").split())

    def handle_endtag(self, tag):
        if tag == "td":
            self.field = None
        if tag == "g":
            self.row = None
        elif tag == "section":
            self.metric = None
        elif tag == "tr" and self.tr is not None:
            self.transitions.append(self.tr)
            self.tr = None

    def handle_data(self, data):
        self.text.append(data)
        if self.field:
            self.fields[self.field] += data
        if self.tr is not None and self.tr["cells"]:
            self.tr["cells"][-1] += data


def dom(path):
    d = Dom()
    with open(path, encoding="utf-8") as f:
        d.feed(f.read())
    return d


def cpu_list(s):
    out = []
    for part in s.split(","):
        lo, _, hi = part.partition("-")
        out.extend(range(int(lo), int(hi or lo) + 1))
    return out


def dump_rates(path):
    """frame index -> cpu -> TLB IPIs/s as metric_tlb_rx computes it."""
    frames, order = {}, []
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            seq = r["seq"]
            if seq not in frames:
                frames[seq] = {}
                order.append(seq)
            iv = int(r["interval_ns"])
            if iv > 0 and r["tlb"] != "" and r["online"] == "1":
                frames[seq][int(r["cpu"])] = int(r["tlb"]) * 1e9 / iv
    return [frames[s] for s in order]


def cmd_cells(page, dumpcsv):
    """Every TLB heatmap cell against dump's per-CPU values of its ticks."""
    d = dom(page)
    m = d.maps["tlb_rx"]
    rates = dump_rates(dumpcsv)
    seq, n = m["cols"]
    cpus = sorted({c for fr in rates for c in fr} | {c for r in m["rows"] for c in cpu_list(r[0])})
    rows = {int(r[0]): r[1] for r in m["rows"]}
    bad, checked, first = [], 0, 0
    if sum(n) != len(rates):
        print("columns hold %d ticks, dump has %d frames" % (sum(n), len(rates)))
        return
    for k, nk in enumerate(n):
        ticks = rates[first:first + nk]
        first += nk
        for c in cpus:
            vals = [t[c] for t in ticks if c in t]
            want = sum(vals) / len(vals) if vals else None
            got = rows.get(c, {}).get(k, "absent")
            checked += 1
            if (want is None) != (got is None) or (want is not None and got != "absent" and
                                                   abs(got - want) > 1e-5 * max(1, abs(want))):
                bad.append("cpu %d col %d: page %s, dump %s" % (c, k, got, want))
    if len(rows) != len(cpus):
        bad.append("%d rows for %d CPUs" % (len(rows), len(cpus)))
    if bad:
        print("; ".join(bad[:5]))
    else:
        print("ok %d rows, %d cells equal dump's" % (len(rows), checked))


def cmd_maxcell(page, cpu):
    rows = {int(r[0]): r[1] for r in dom(page).maps["tlb_rx"]["rows"]}
    print("%.0f" % max(v for v in rows[int(cpu)].values() if v is not None))


def cmd_transitions(page, drilljson):
    d = dom(page)
    got = [(t["wall_ns"], t["cells"][1], t["cells"][2], t["cells"][3]) for t in d.transitions]
    j = json.load(open(drilljson))
    want = [(t["wall_ns"], t["machine"], t["from"], t["to"]) for t in j["transitions"]]
    if got == want and j["mismatched_ticks"] == 0:
        print("ok %d transitions, the same as drill's" % len(got))
    else:
        print("page %s; drill %s (mismatched ticks %d)" % (got, want, j["mismatched_ticks"]))


def cmd_app(page, dumpjson):
    """The correlation table is the last frame's with a window, the line
    has a point per tick with app latencies."""
    d = dom(page)
    last, ticks = None, 0
    for line in open(dumpjson):
        j = json.loads(line)
        if j["corr_window"]:
            last = j
        if j["app_hist"]:
            ticks += 1
    want = {k: "" if last[k] is None else str(last[k]) for k in d.fields}
    got = {k: v for k, v in d.fields.items()}
    # the page prints %.6g: half a unit in the 6th significant digit is
    # up to 5e-6 of the value (1e-6 failed on a DVR of 2.69449472)
    diff = {k: (got[k], want[k]) for k in got if got[k] != want[k] and
            not (got[k] and want[k] and abs(float(got[k]) - float(want[k])) <= 5e-6 * abs(float(want[k])))}
    if last is None or not got or diff or d.points != ticks:
        print("fields differ %s; %d points for %d ticks" % (diff, d.points, ticks))
    else:
        print("ok %d correlation figures of frame %d, %d points" % (len(got), last["seq"], d.points))


def cmd_folded(page, ncpu):
    """Every CPU in exactly one row of every heatmap, however folded."""
    d = dom(page)
    for metric, m in d.maps.items():
        seen = sorted(c for r in m["rows"] for c in cpu_list(r[0]))
        if seen != list(range(int(ncpu))):
            print("%s: rows hold %d CPUs, %d distinct" % (metric, len(seen), len(set(seen))))
            return
    print("ok %d heatmaps, %d CPUs each, %d rows" % (len(d.maps), int(ncpu), len(m["rows"])))


def cmd_hostile(page, *names):
    """No element of theirs; each hostile string there as text."""
    d = dom(page)
    text = "".join(d.text)
    extra = {t: d.tags.get(t, 0) for t in ("script", "img", "iframe", "b", "object", "embed")}
    missing = [s for s in names if s not in text]
    if any(extra.values()) or missing:
        print("elements %s; not found as text: %s" % (extra, missing))
    else:
        print("ok no injected element; %d strings shown as text" % len(names))


class Table(HTMLParser):
    """The header and rows of the table in <section id=...>."""

    def __init__(self, sid):
        super().__init__(convert_charrefs=True)
        self.sid, self.inside, self.rows, self.cell = sid, False, [], None

    def handle_starttag(self, tag, attrs):
        if tag == "section":
            self.inside = dict(attrs).get("id") == self.sid
        elif self.inside and tag == "tr":
            self.rows.append([])
        elif self.inside and tag in ("td", "th") and self.rows:
            self.cell = ""

    def handle_endtag(self, tag):
        if tag == "section":
            self.inside = False
        elif tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(self.cell)
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def cmd_cgroups(page, *want):
    """The Top cgroups table's rows as path=sent, against want (in order)."""
    t = Table("cgroups")
    with open(page, encoding="utf-8") as f:
        t.feed(f.read())
    if not t.rows:
        print("no cgroups table")
        return
    head = t.rows[0]
    got = ["%s=%s" % (r[head.index("path")], r[head.index("sent")]) for r in t.rows[1:]]
    print(("ok " if got == list(want) else "differs: ") + " | ".join(got))


def cmd_sites(page, *want):
    """The Where: call sites rows as kind|share|events|IPIs|caller|kernel
    path|user path (header rows left out), against want (in order)."""
    t = Table("sites")
    with open(page, encoding="utf-8") as f:
        t.feed(f.read())
    got = ["|".join(r) for r in t.rows if r and r[0] != "kind"]
    if not got:
        print("no call-site rows")
        return
    print(("ok %d rows " % len(got) if got == list(want) else "differs: ") + " / ".join(got))


def cmd_diffrows(page):
    print(" ".join(dom(page).classes))


def cmd_colours(png):
    """Distinct colours of an 8-bit RGB(A) PNG (Chromium's screenshots)."""
    data = open(png, "rb").read()
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        ln, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + ln]
        if kind == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
            bpp = {2: 3, 6: 4}[ctype]
        elif kind == b"IDAT":
            idat += body
        pos += 12 + ln
    raw, stride, prev, colours = zlib.decompress(idat), w * bpp, bytearray(w * bpp), set()
    for y in range(h):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1: line[i] = (line[i] + a) & 255
            elif f == 2: line[i] = (line[i] + b) & 255
            elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        if y % 4 == 0:
            colours.update(bytes(line[x:x + 3]) for x in range(0, stride, bpp * 2))
        prev = line
    print(len(colours))


if __name__ == "__main__":
    globals()["cmd_" + sys.argv[1]](*sys.argv[2:])
