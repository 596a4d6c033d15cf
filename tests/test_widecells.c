// SPDX-License-Identifier: GPL-2.0-only
/* Characters two cells wide and untrusted names on the screen: the grid
 * keeps wide pairs whole, the diff leaves nothing stale on a terminal that
 * behaves as xterm and tmux do (modelled here, widths from glibc's own
 * wcwidth), Ctrl-L repaints, and the process table and drill-down keep
 * their columns with CJK, C1 and broken names. */
#include "testlib.h"

#include <locale.h>
#include <wchar.h>

#include "ui/keys.h"
#include "core/ring.h"
#include "ui/screen.h"
#include "ui/termout.h"
#include "ui/tui_internal.h"

#define W 24
#define H 6

/* A terminal: what each cell shows after the bytes it got.  Writing over
 * either half of a wide character blanks the other half (xterm, tmux). */
struct vt {
	uint32_t ch[H][W], mark[H][W];
	uint8_t tail[H][W];
	int y, x;
	int errors;       /* bytes a correct renderer never sends */
};

static locale_t cutf8;

static int ref_width(uint32_t cp)
{
	locale_t old = uselocale(cutf8);
	int w = wcwidth((wchar_t)cp);

	uselocale(old);
	return w;
}

static void vt_clear(struct vt *v)
{
	for (int y = 0; y < H; y++)
		for (int x = 0; x < W; x++)
			v->ch[y][x] = ' ', v->mark[y][x] = 0, v->tail[y][x] = 0;
}

static void vt_blank_pair(struct vt *v, int y, int x)
{
	if (v->tail[y][x] && x > 0)
		v->ch[y][x - 1] = ' ', v->mark[y][x - 1] = 0;
	else if (x + 1 < W && v->tail[y][x + 1])
		v->ch[y][x + 1] = ' ', v->tail[y][x + 1] = 0, v->mark[y][x + 1] = 0;
	v->tail[y][x] = 0;
}

static void vt_char(struct vt *v, uint32_t cp)
{
	int w = ref_width(cp);

	if (w == 0) { /* a mark joins the character left of the cursor */
		int x = v->x - 1;

		if (x >= 0 && v->tail[v->y][x])
			x--;
		if (x < 0)
			v->errors++;
		else
			v->mark[v->y][x] = cp;
		return;
	}
	if (w < 0 || v->x < 0 || v->x + w > W) { /* unprintable, or it would wrap */
		v->errors++;
		return;
	}
	vt_blank_pair(v, v->y, v->x);
	if (w == 2)
		vt_blank_pair(v, v->y, v->x + 1);
	v->ch[v->y][v->x] = cp;
	v->mark[v->y][v->x] = 0;
	if (w == 2)
		v->ch[v->y][v->x + 1] = 0, v->tail[v->y][v->x + 1] = 1;
	v->x += w;
}

/* CUP, CUF, ED 2 and SGR; anything else is an error. */
static void vt_feed(struct vt *v, const char *p, size_t n)
{
	const char *end = p + n;

	while (p < end) {
		uint32_t cp;

		if (*p == '\033') {
			int a = 0, b = 0, *cur = &a;

			if (++p >= end || *p++ != '[') {
				v->errors++;
				continue;
			}
			while (p < end && ((*p >= '0' && *p <= '9') || *p == ';'))
				if (*p == ';')
					cur = cur == &a ? &b : cur, p++;
				else
					*cur = *cur * 10 + (*p++ - '0');
			if (p >= end)
				break;
			switch (*p++) {
			case 'H': v->y = a - 1, v->x = b - 1; break;
			case 'C': v->x += a; break;
			case 'J': vt_clear(v); break;
			case 'm': break;
			default: v->errors++;
			}
			continue;
		}
		if ((unsigned char)*p < 0x20 || *p == 0x7f) {
			v->errors++;
			p++;
			continue;
		}
		p += utf8_decode(p, (size_t)(end - p), &cp);
		if (cp >= 0x80 && cp < 0xa0)
			v->errors++; /* a C1 control on the wire */
		else
			vt_char(v, cp);
	}
}

static void vt_row(const struct vt *v, int y, char *buf)
{
	size_t n = 0;

	for (int x = 0; x < W; x++) {
		if (v->tail[y][x])
			continue;
		n += utf8_put(buf + n, v->ch[y][x]);
		if (v->mark[y][x])
			n += utf8_put(buf + n, v->mark[y][x]);
	}
	buf[n] = '\0';
}

/* The terminal shows what the grid holds, row by row. */
static void assert_same(const struct vt *v, const struct screen *s)
{
	char want[W * 9], got[W * 9];

	assert_int_equal(v->errors, 0);
	for (int y = 0; y < H; y++) {
		screen_row(s, y, want, sizeof(want));
		vt_row(v, y, got);
		if (strcmp(want, got))
			fail_msg("row %d: terminal '%s', grid '%s'", y, got, want);
	}
}

static int setup(void **state)
{
	(void)state;
	cutf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	return cutf8 ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	freelocale(cutf8);
	return 0;
}

/* Drawing over either half of a wide character blanks the other half;
 * a wide character at the right edge leaves a space. */
static void grid_keeps_pairs(void **state)
{
	struct screen s = { 0 };
	struct style st = { 0 };
	char row[W * 9];

	(void)state;
	assert_int_equal(screen_resize(&s, 6, 1), 0);
	assert_int_equal(screen_text(&s, 0, 0, st, "\xe5\x90\x8c\xe6\xad\xa5x"), 5);
	screen_row(&s, 0, row, sizeof(row));
	assert_string_equal(row, "\xe5\x90\x8c\xe6\xad\xa5x ");
	assert_int_equal(screen_at(&s, 0, 1)->wide, CELL_TAIL);
	screen_text(&s, 0, 1, st, "a"); /* over the right half of 同 */
	screen_row(&s, 0, row, sizeof(row));
	assert_string_equal(row, " a\xe6\xad\xa5x ");
	screen_text(&s, 0, 2, st, "b"); /* over the left half of 步 */
	screen_row(&s, 0, row, sizeof(row));
	assert_string_equal(row, " ab x ");
	/* 6 columns from 4: 同 fits, 步 would straddle the edge */
	assert_int_equal(screen_text(&s, 0, 3, st, "\xe5\x90\x8c\xe6\xad\xa5"), 7);
	screen_row(&s, 0, row, sizeof(row));
	assert_string_equal(row, " ab\xe5\x90\x8c ");
	screen_free(&s);
}

/* Random frames, each composed from scratch as the UI does, rendered by
 * diff to the modelled terminal: after every frame it shows exactly the
 * grid, and never got a control, a C1 or a character past the edge. */
static void diff_leaves_nothing_stale(void **state)
{
	static const char *const bits[] = {
		"\xe5\x90\x8c", "\xe6\xad\xa5", "ab", "x", " ", "e\xcc\x81", "\xf0\x9f\x98\x80", "\xc2\x9b",
		"\x1b[31m", "\xff", "\xe2\x80\xae", "\xef\xbc\xa1", "\xe2\x96\x88",
	};
	struct screen s = { 0 };
	struct termout o;
	struct vt v = { 0 };

	(void)state;
	termout_init(&o, DEPTH_256);
	assert_int_equal(screen_resize(&s, W, H), 0);
	srand(11);
	for (int frame = 0; frame < 3000; frame++) {
		screen_clear(&s);
		for (int k = 0; k < 8; k++) {
			char text[64] = "";
			struct style st = { .fg = COLOR_PAL(rand() % 3), .attr = (uint8_t)(rand() % 2) };

			for (int n = rand() % 5; n >= 0; n--)
				strcat(text, bits[rand() % (sizeof(bits) / sizeof(bits[0]))]);
			screen_text(&s, rand() % H, rand() % (W + 2) - 1, st, text);
		}
		if (frame % 7 == 0)
			screen_paint(&s, rand() % H, rand() % W, rand() % 6, (struct style){ .attr = ATTR_REVERSE });
		assert_int_equal(termout_render(&o, &s), 0);
		vt_feed(&v, o.buf, o.len);
		assert_same(&v, &s);
	}
	termout_free(&o);
	screen_free(&s);
}

static void one_proc(struct frame *f, int i, int32_t pid, const char *comm, uint32_t cpu)
{
	struct frame_proc *p = &f->procs.top[i];

	p->tgid = pid;
	memcpy(p->comm, comm, strlen(comm) < FRAME_COMM_LEN ? strlen(comm) : FRAME_COMM_LEN - 1);
	p->sent = 1000; /* 1.0k each: the order is by pid */
	p->on_cpu = cpu + 1;
}

/* Row y as one string per terminal cell, by the reference width (the
 * right half of a wide character is ""); returns the cells. */
static int cells_of(const struct screen *s, int y, char cells[][8])
{
	char row[1024];
	int n = 0;

	screen_row(s, y, row, sizeof(row));
	for (size_t i = 0, len = strlen(row); i < len;) {
		uint32_t cp;
		size_t used = utf8_decode(row + i, len - i, &cp);
		int w = ref_width(cp);

		assert_false(text_is_control(cp));
		assert_true(w >= 0);
		if (w == 0) { /* a mark: part of the cell before */
			strncat(cells[n - 1], row + i, used);
		} else {
			memcpy(cells[n], row + i, used);
			cells[n][used] = '\0';
			if (w == 2)
				cells[++n][0] = '\0';
			n++;
		}
		i += used;
	}
	return n;
}

/* Cells [from, from + n) of a row, joined. */
static const char *span(char cells[][8], int from, int n)
{
	static char buf[256];

	buf[0] = '\0';
	for (int i = from; i < from + n; i++)
		strcat(buf, cells[i]);
	return buf;
}

/* Hostile names in the headless UI's process view: every row exactly the
 * terminal's width in cells of the reference wcwidth, the CPU and FLUSHREQ/s
 * figures in the header's columns whatever the name, names cut on a cell
 * boundary, controls replaced, and none in the bytes a terminal gets. */
static void process_table_keeps_columns(void **state)
{
	static const char *const names[] = {
		"\xe5\x90\x8c\xe6\xad\xa5\xe6\xb5\x8b\xe8\xaf\x95", /* 同步测试 */
		"x2_\xc2\x9b" "31mC1", "bad\xff\xfeq",
		"\xe5\x90\x8c\xe6\xad\xa5\xe6\xb5\x8b\xe8\xaf\x95\xe5\x90", /* cut by the kernel */
		"a\tb\x1b[2J", "e\xcc\x81\xe2\x80\xae" "evil", "x\xe5\x90\x8c\xe6\xad\xa5\xe6\xb5\x8b\xe8\xaf\x95z",
	};
	static const char *const shown[] = { /* 15 cells each */
		"\xe5\x90\x8c\xe6\xad\xa5\xe6\xb5\x8b\xe8\xaf\x95       ", "x2_\xef\xbf\xbd" "31mC1      ",
		"bad\xef\xbf\xbd\xef\xbf\xbdq         ", "\xe5\x90\x8c\xe6\xad\xa5\xe6\xb5\x8b\xe8\xaf\x95\xef\xbf\xbd      ",
		"a\xef\xbf\xbd" "b\xef\xbf\xbd[2J        ", "e\xcc\x81\xef\xbf\xbd" "evil         ",
		"x\xe5\x90\x8c\xe6\xad\xa5\xe6\xb5\x8b\xe8\xaf\x95z     ",
	};
	static struct config cfg;
	static char cells[128][8];
	struct frame_ring ring;
	struct tui_opts opts = { .ncpu = 2, .cfg = &cfg, .cfg_path = "" };
	struct view view = { .interval_s = 1, .warn = 5, .crit = 20, .host = "h\xc2\x9b" "x", .kernel = "6.18" };
	size_t n = sizeof(names) / sizeof(names[0]);
	struct frame *f;
	struct tui *t;
	char err[256];

	(void)state;
	config_defaults(&cfg);
	assert_int_equal(ring_init(&ring, 4, 2), 0);
	f = ring_begin(&ring);
	f->ncpu = f->online = 2;
	f->interval_ns = 1000000000;
	f->signals = 1u << SIG_SENDERS;
	for (size_t i = 0; i < n; i++)
		one_proc(f, (int)i, 100 + (int32_t)i, names[i], 0);
	f->procs.n = (uint32_t)n;
	ring_commit(&ring);
	t = tui_headless(&opts, 100, 24, DEPTH_256, err, sizeof(err));
	assert_non_null(t);
	tui_feed(t, "p", 1);
	tui_render(t, &ring, &view);
	for (int y = 0; y < t->scr.h; y++)
		assert_int_equal(cells_of(&t->scr, y, cells), 100);
	cells_of(&t->scr, 2, cells); /* the header: PID COMM CPU FLUSHREQ/s, the hint under it */
	assert_string_equal(span(cells, 0, 40), "    PID COMM              CPU FLUSHREQ/s");
	for (size_t i = 0; i < n; i++) {
		char pid[16];

		snprintf(pid, sizeof(pid), "%7zu ", 100 + i);
		cells_of(&t->scr, 4 + (int)i, cells);
		assert_string_equal(span(cells, 0, 8), pid);
		assert_string_equal(span(cells, 8, 15), shown[i]);
		assert_string_equal(span(cells, 23, 17), "     0       1.0k");
	}
	/* what the terminal gets holds no control but our own ESC sequences */
	for (size_t i = 0; i < t->tty.out_state.len;) {
		uint32_t cp;

		i += utf8_decode(t->tty.out_state.buf + i, t->tty.out_state.len - i, &cp);
		assert_false(cp >= 0x80 && cp < 0xa0);
		assert_false(cp < 0x20 && cp != 0x1b);
	}
	/* Ctrl-L: the next render clears the terminal and sends every cell */
	tui_render(t, &ring, &view);
	assert_int_equal(t->tty.out_state.len, 0);
	tui_feed(t, "\x0c", 1);
	tui_render(t, &ring, &view);
	assert_non_null(memmem(t->tty.out_state.buf, t->tty.out_state.len, "\033[2J", 4));
	assert_non_null(memmem(t->tty.out_state.buf, t->tty.out_state.len, "\xe5\x90\x8c", 3));
	tui_close(t);
	ring_free(&ring);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(grid_keeps_pairs),
		cmocka_unit_test(diff_leaves_nothing_stale),
		cmocka_unit_test(process_table_keeps_columns),
	};

	return cmocka_run_group_tests_name("widecells", tests, setup, teardown);
}
