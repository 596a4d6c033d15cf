// SPDX-License-Identifier: GPL-2.0-only
#include "ui/tty.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <curses.h>
#include <term.h>
#include <unistd.h>

#include "util/text.h"

/* alternate screen, cursor hidden, SGR mouse clicks and wheel */
#define ENTER "\033[?1049h\033[?25l\033[?1000h\033[?1006h"
#define LEAVE "\033[?1006l\033[?1000l\033[0m\033[?25h\033[?1049l"

static volatile sig_atomic_t winch_seen;

static void on_winch(int sig)
{
	(void)sig;
	winch_seen = 1;
}

int tty_resized(void)
{
	int was = winch_seen;

	winch_seen = 0;
	return was;
}

/* The colour depth the environment asks for: none with NO_COLOR or
 * no_color, 24-bit when COLORTERM says so, else what terminfo counts. */
static enum color_depth tty_detect_depth(int no_color)
{
	const char *nc = getenv("NO_COLOR"), *ct = getenv("COLORTERM");
	int err = 0, colors;

	if (no_color || (nc && *nc))
		return DEPTH_NONE;
	if (ct && (!strcmp(ct, "truecolor") || !strcmp(ct, "24bit")))
		return DEPTH_TRUE;
	if (setupterm(NULL, STDOUT_FILENO, &err) != 0) {
		const char *term = getenv("TERM");

		return term && strstr(term, "256color") ? DEPTH_256 : term && strcmp(term, "dumb") ? DEPTH_16 : DEPTH_NONE;
	}
	colors = tigetnum("colors");
	del_curterm(cur_term);
	return colors >= 256 ? DEPTH_256 : colors >= 8 ? DEPTH_16 : DEPTH_NONE;
}

/* The UI moves the cursor to each cell it changes: a terminal that cannot
 * (TERM unset, "dumb", or terminfo without cup) gets an error instead of
 * escapes it would print as text.  An unknown TERM is taken as ANSI. */
static int addressable(char *err, size_t errlen)
{
	const char *term = getenv("TERM");
	int bad = !term || !*term || !strcmp(term, "dumb"), e = 0;

	if (!bad && setupterm(NULL, STDOUT_FILENO, &e) == 0) {
		const char *cup = tigetstr("cup");

		bad = !cup || cup == (char *)-1;
		del_curterm(cur_term);
	}
	if (bad)
		snprintf(err, errlen, "the terminal (TERM=%.40s) cannot move the cursor (use -b for text output)",
			 term && *term ? term : "unset");
	return !bad;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int tty_open(struct tty *t, int no_color, char *err, size_t errlen)
{
	struct sigaction sa = { .sa_handler = on_winch }; /* no SA_RESTART: poll wakes */
	struct termios raw;

	memset(t, 0, sizeof(*t));
	t->in = STDIN_FILENO;
	t->out = STDOUT_FILENO;
	if (!isatty(t->in) || !isatty(t->out)) {
		snprintf(err, errlen, "not a terminal (use -b for text output)");
		return -1;
	}
	if (!addressable(err, errlen))
		return -1;
	/* the locale only says whether the terminal takes UTF-8: machine
	 * formats stay in the C locale (no setlocale anywhere) */
	t->utf8 = text_locale_utf8();
	termout_init(&t->out_state, tty_detect_depth(no_color));
	if (tcgetattr(t->in, &t->saved) < 0) {
		snprintf(err, errlen, "cannot read the terminal's mode: %s", strerror(errno));
		return -1;
	}
	raw = t->saved;
	cfmakeraw(&raw);
	raw.c_lflag |= ISIG; /* Ctrl-C still stops us the usual way */
	raw.c_cc[VMIN] = 0;
	raw.c_cc[VTIME] = 0;
	if (tcsetattr(t->in, TCSAFLUSH, &raw) < 0) {
		snprintf(err, errlen, "cannot set raw mode: %s", strerror(errno));
		return -1;
	}
	t->raw = 1;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGWINCH, &sa, NULL);
	write_all(t->out, ENTER, sizeof(ENTER) - 1);
	return 0;
}

void tty_close(struct tty *t)
{
	if (!t->raw)
		return;
	write_all(t->out, LEAVE, sizeof(LEAVE) - 1);
	tcsetattr(t->in, TCSAFLUSH, &t->saved);
	t->raw = 0;
}

int tty_size(const struct tty *t, int *w, int *h)
{
	struct winsize ws;

	if (ioctl(t->out, TIOCGWINSZ, &ws) < 0 || !ws.ws_col || !ws.ws_row)
		return 0;
	*w = ws.ws_col;
	*h = ws.ws_row;
	return 1;
}

int tty_draw(struct tty *t, const struct screen *s)
{
	if (termout_render(&t->out_state, s) < 0)
		return -1;
	return write_all(t->out, t->out_state.buf, t->out_state.len);
}

int tty_read(struct tty *t)
{
	ssize_t n;

	if (t->inlen >= sizeof(t->inbuf))
		return 1;
	n = read(t->in, t->inbuf + t->inlen, sizeof(t->inbuf) - t->inlen);
	if (n > 0) {
		t->inlen += (size_t)n;
		return 1;
	}
	/* raw mode with VMIN 0: 0 bytes is "nothing yet"; poll reports hangups */
	return n == 0 || errno == EAGAIN || errno == EINTR ? 0 : -1;
}
