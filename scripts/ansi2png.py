#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Render a `tmux capture-pane -e -p` dump (text with SGR escapes) to PNG.

Usage: ansi2png.py IN.ansi OUT.png [COLS ROWS]
Handles the SGR subset ncurses emits in tmux: reset, bold, reverse, 8/16
colours, 256 colours and truecolor, default fg/bg.
"""
import re
import sys

from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"
BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf"
SIZE = 15
FG, BG = (220, 220, 220), (18, 18, 24)
BASE16 = [(0, 0, 0), (205, 49, 49), (13, 188, 121), (229, 229, 16), (36, 114, 200),
          (188, 63, 188), (17, 168, 205), (229, 229, 229), (102, 102, 102), (241, 76, 76),
          (35, 209, 139), (245, 245, 67), (59, 142, 234), (214, 112, 214), (41, 184, 219),
          (255, 255, 255)]


def xterm256(n):
    if n < 16:
        return BASE16[n]
    if n < 232:
        n -= 16
        steps = [0, 95, 135, 175, 215, 255]
        return (steps[n // 36], steps[(n // 6) % 6], steps[n % 6])
    g = 8 + (n - 232) * 10
    return (g, g, g)


def apply_sgr(params, st):
    codes = [int(p) if p else 0 for p in params.split(";")] if params else [0]
    i = 0
    while i < len(codes):
        c = codes[i]
        if c == 0:
            st.update(fg=None, bg=None, bold=False, rev=False)
        elif c == 1:
            st["bold"] = True
        elif c == 7:
            st["rev"] = True
        elif c == 22:
            st["bold"] = False
        elif c == 27:
            st["rev"] = False
        elif 30 <= c <= 37:
            st["fg"] = BASE16[c - 30]
        elif 90 <= c <= 97:
            st["fg"] = BASE16[c - 90 + 8]
        elif 40 <= c <= 47:
            st["bg"] = BASE16[c - 40]
        elif 100 <= c <= 107:
            st["bg"] = BASE16[c - 100 + 8]
        elif c == 39:
            st["fg"] = None
        elif c == 49:
            st["bg"] = None
        elif c in (38, 48) and i + 1 < len(codes):
            key = "fg" if c == 38 else "bg"
            if codes[i + 1] == 5 and i + 2 < len(codes):
                st[key] = xterm256(codes[i + 2])
                i += 2
            elif codes[i + 1] == 2 and i + 4 < len(codes):
                st[key] = tuple(codes[i + 2:i + 5])
                i += 4
        i += 1


def parse(text):
    """Yields rows of (char, fg, bg, bold) cells."""
    rows = []
    st = dict(fg=None, bg=None, bold=False, rev=False)
    for line in text.split("\n"):
        row = []
        for tok in re.split(r"(\x1b\[[0-9;]*m)", line):
            m = re.fullmatch(r"\x1b\[([0-9;]*)m", tok)
            if m:
                apply_sgr(m.group(1), st)
                continue
            for ch in re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", tok):
                fg, bg = st["fg"] or FG, st["bg"] or BG
                if st["rev"]:
                    fg, bg = bg, fg
                row.append((ch, fg, bg, st["bold"]))
        rows.append(row)
    return rows


def main():
    src, out = sys.argv[1], sys.argv[2]
    rows = parse(open(src, encoding="utf-8", errors="replace").read().rstrip("\n"))
    cols = int(sys.argv[3]) if len(sys.argv) > 3 else max(len(r) for r in rows)
    nrows = int(sys.argv[4]) if len(sys.argv) > 4 else len(rows)
    font, bold = ImageFont.truetype(FONT, SIZE), ImageFont.truetype(BOLD, SIZE)
    cw = int(round(font.getlength("M")))
    ch = SIZE + 4
    img = Image.new("RGB", (cols * cw + 16, nrows * ch + 16), BG)
    d = ImageDraw.Draw(img)
    for y, row in enumerate(rows[:nrows]):
        for x, (c, fg, bg, b) in enumerate(row[:cols]):
            px, py = 8 + x * cw, 8 + y * ch
            d.rectangle([px, py, px + cw - 1, py + ch - 1], fill=bg)
            if c in "░▒▓█":  # block glyphs: fill the whole cell, as terminals do
                shade = {"░": 0.3, "▒": 0.55, "▓": 0.8, "█": 1.0}[c]
                col = tuple(int(bg[i] + (fg[i] - bg[i]) * shade) for i in range(3))
                d.rectangle([px, py, px + cw - 1, py + ch - 1], fill=col)
            elif c == "▀":  # two CPUs a cell: the upper half is the first
                d.rectangle([px, py, px + cw - 1, py + ch // 2 - 1], fill=fg)
            elif c != " ":
                d.text((px, py + 1), c, font=bold if b else font, fill=fg)
    img.save(out)


if __name__ == "__main__":
    main()
