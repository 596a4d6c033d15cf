/* Terminal lifecycle, colours, keys and the screen's overall layout. */
#include "tui_internal.h"

#include <curses.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "metric.h"
#include "proccols.h"

#define MIN_COLS 40
#define MIN_LINES 10
#define FIXED_ROWS 7 /* header, sources, title, legend, 2 system, footer */

static void init_colors(void)
{
	/* 256-colour ramp where the terminal has it, the 8 basic ones if not. */
	static const short basic[HEAT_LEVELS] = { COLOR_WHITE, COLOR_WHITE, COLOR_GREEN,
						  COLOR_YELLOW, COLOR_RED, COLOR_MAGENTA };
	static const short ramp256[HEAT_LEVELS] = { COLOR_WHITE, 240, 35, 178, 160, 201 };
	int rich = COLORS >= 256;
	const short *fg = rich ? ramp256 : basic;

	start_color();
	use_default_colors();
	for (int l = 0; l < HEAT_LEVELS; l++)
		init_pair((short)(PAIR_HEAT + l), fg[l], -1);
	init_pair(PAIR_TITLE, COLOR_CYAN, -1);
	init_pair(PAIR_BAD, COLOR_RED, -1);
	init_pair(PAIR_DIM, (short)(rich ? 244 : COLOR_WHITE), -1);
}

int ui_attr(const struct tui *t, int pair, int extra)
{
	return t->color ? (int)COLOR_PAIR(pair) | extra : extra;
}

struct tui *tui_open(uint32_t ncpu, int no_color, char *err, size_t errlen)
{
	struct tui *t;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		snprintf(err, errlen, "not a terminal (use -b for text output)");
		return NULL;
	}
	t = calloc(1, sizeof(*t));
	if (t) {
		t->rows = calloc((size_t)ncpu * 2, sizeof(*t->rows));
		t->layout_nodes = calloc(ncpu, sizeof(*t->layout_nodes));
	}
	if (!t || !t->rows || !t->layout_nodes) {
		snprintf(err, errlen, "out of memory");
		tui_close(t);
		return NULL;
	}
	t->ncpu = ncpu;
	setlocale(LC_ALL, "");
	t->utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
	if (!newterm(NULL, stdout, stdin)) {
		snprintf(err, errlen, "cannot initialise terminal '%s'", getenv("TERM") ? getenv("TERM") : "");
		free(t->rows);
		free(t->layout_nodes);
		free(t);
		return NULL;
	}
	cbreak();
	noecho();
	curs_set(0);
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	t->color = !no_color && has_colors();
	if (t->color)
		init_colors();
	return t;
}

int tui_prompt(struct tui *t, const char *prompt, char *buf, size_t len)
{
	size_t n = 0;
	int ch;

	(void)t;
	nodelay(stdscr, FALSE);
	curs_set(1);
	for (;;) {
		move(LINES - 1, 0);
		clrtoeol();
		attrset(A_BOLD);
		mvaddnstr(LINES - 1, 0, prompt, COLS);
		attrset(A_NORMAL);
		addnstr(buf, (int)n);
		refresh();
		ch = getch();
		if (ch == 27 || ch == ERR)
			break;
		if (ch == '\n' || ch == KEY_ENTER || ch == '\r')
			break;
		if ((ch == KEY_BACKSPACE || ch == 127 || ch == 8) && n > 0)
			n--;
		else if (ch >= 32 && ch < 127 && n + 1 < len)
			buf[n++] = (char)ch;
	}
	buf[n] = '\0';
	curs_set(0);
	nodelay(stdscr, TRUE);
	return ch == 27 || ch == ERR || n == 0 ? -1 : 0;
}

void tui_close(struct tui *t)
{
	if (!t)
		return;
	if (!isendwin())
		endwin();
	free(t->rows);
	free(t->layout_nodes);
	free(t);
}

/* Centred, and split over two lines when even the message is too wide. */
static void too_small(void)
{
	char need[32];
	const char *head = "terminal too small";
	int len;

	snprintf(need, sizeof(need), "(need %dx%d)", MIN_COLS, MIN_LINES);
	len = (int)(strlen(head) + 1 + strlen(need));
	if (COLS >= len) {
		mvprintw(LINES / 2, (COLS - len) / 2, "%s %s", head, need);
		return;
	}
	mvaddnstr(LINES / 2 - 1 < 0 ? 0 : LINES / 2 - 1, 0, head, COLS);
	mvaddnstr(LINES / 2, 0, need, COLS);
}

/* Rows under the heatmap for the process table: a third of what is
 * left, when the frame has per-process data and the screen has room. */
static int table_rows(const struct frame *f, int avail)
{
	int h = avail / 3;

	if (!frame_has(f, SIG_SENDERS) && !frame_has(f, SIG_MAP_OPS))
		return 0;
	if (avail < 9)
		return 0;
	return h < 3 ? 3 : h > FRAME_TOP_PROCS + 1 ? FRAME_TOP_PROCS + 1 : h;
}

static int live_bpf(const struct frame *f)
{
	return f->status[SRC_BPF].state == SOURCE_OK || f->status[SRC_BPF].state == SOURCE_PARTIAL;
}

void tui_draw(struct tui *t, const struct frame_ring *r, const struct view *v)
{
	const struct frame *f = ring_at_age(r, 0);

	erase();
	if (COLS < MIN_COLS || LINES < MIN_LINES) {
		too_small();
	} else if (f) {
		int cost = live_bpf(f);
		int avail = LINES - FIXED_ROWS - cost;
		int regime = ui_regime_rows(avail);
		int apps = ui_app_rows(f) <= (avail - regime) / 2 ? ui_app_rows(f) : 0;
		int table = table_rows(f, avail - regime - apps);
		int heat_h = avail - regime - apps - table;
		int y = 2 + heat_h + 1;

		ui_header(t, f, v);
		ui_heatmap(t, r, v, 2, heat_h + 1);
		if (regime)
			ui_regime(t, r, y, regime);
		if (apps)
			ui_apps(t, r, y + regime, apps);
		if (table)
			ui_proctable(t, f, y + regime + apps, table);
		ui_legend(t, v, LINES - 4 - cost);
		ui_system(t, f, LINES - 3 - cost);
		if (cost)
			ui_cost(t, f, LINES - 2);
		ui_footer(t, v, LINES - 1);
	}
	refresh();
}

static void scroll_by(struct tui *t, int delta)
{
	int64_t s = (int64_t)t->scroll + delta;
	int64_t max = (int64_t)t->nrows - 1;

	t->scroll = (uint32_t)(s < 0 ? 0 : s > max ? (max < 0 ? 0 : max) : s);
}

/* One key: the UI's own (scroll, heatmap, sort) are done here; the rest
 * become actions for main. */
static enum ui_action key_action(struct tui *t, int ch)
{
	/* One screen of CPU rows less one, so the last row stays for context. */
	int page = t->page > 0 ? t->page : LINES - FIXED_ROWS - 1;

	switch (ch) {
	case 'q': case 'Q': case KEY_F(10): return UI_QUIT;
	case ' ': case 'z': return UI_PAUSE;
	case '+': case '=': return UI_INTERVAL_UP;
	case '-': case '_': return UI_INTERVAL_DOWN;
	case 'w': return UI_RECORD;
	case 't': return UI_STEP_FWD;
	case 'T': return UI_STEP_BACK;
	case ']': return UI_JUMP_FWD;
	case '[': return UI_JUMP_BACK;
	case '}': return UI_JUMP_FWD_LONG;
	case '{': return UI_JUMP_BACK_LONG;
	case 'b': return UI_GOTO;
	case 'n': return UI_NEXT_BURST;
	case 'N': return UI_PREV_BURST;
	case 'j': return UI_NEXT_TRANSITION;
	case 'J': return UI_PREV_TRANSITION;
	case KEY_UP: scroll_by(t, -1); break;
	case KEY_DOWN: scroll_by(t, 1); break;
	case KEY_PPAGE: scroll_by(t, -(page > 1 ? page : 1)); break;
	case KEY_NPAGE: scroll_by(t, page > 1 ? page : 1); break;
	case KEY_HOME: t->scroll = 0; break;
	case KEY_END: t->scroll = t->nrows; break; /* clamped when drawn */
	case '1': case '2': case '3': case '4': case '5': case '6': t->metric = ch - '1'; break;
	case 'a': return UI_ATTACH;
	case '\t': t->metric = (t->metric + 1) % METRIC_COUNT; break;
	case KEY_BTAB: t->metric = (t->metric + METRIC_COUNT - 1) % METRIC_COUNT; break;
	case 's': t->sort = (t->sort + 1) % COL_COUNT; break;
	case 'S': t->sort = (t->sort + COL_COUNT - 1) % COL_COUNT; break;
	default: break; /* KEY_RESIZE included: the next draw uses the new size */
	}
	return UI_NONE;
}

/* Stops at the first key main must act on and leaves the rest queued,
 * so typed-ahead keys are each acted on, in order. */
enum ui_action tui_keys(struct tui *t)
{
	int ch;

	while ((ch = getch()) != ERR) {
		enum ui_action act = key_action(t, ch);

		if (act != UI_NONE)
			return act;
	}
	return UI_NONE;
}
