// SPDX-License-Identifier: GPL-2.0-only
/* Themes and the config file: the shipped themes parse, the default file
 * says what the binary carries, broken lines are named and skipped, and
 * setup's save reads back to the same settings. */
#include "testlib.h"

#include <sys/stat.h>
#include <unistd.h>

#include "core/config.h"
#include "util/inifile.h"
#include "ui/screen.h"
#include "ui/theme.h"

static char dir[] = "/tmp/stormtop-settings-XXXXXX";

static int setup_dir(void **state)
{
	(void)state;
	return scratch_make(dir);
}

static int remove_dir(void **state)
{
	(void)state;
	return scratch_remove(dir);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void shipped_themes_parse(void **state)
{
	static const char *const names[] = { "default", "dark", "light", "monochrome", "colorblind" };
	char list[32][THEME_NAME_LEN], err[300];
	size_t n = theme_list(list, 32);

	(void)state;
	assert_true(n >= 5);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct theme t;
		int found = 0;

		theme_default(&t);
		if (theme_load(&t, names[i], err, sizeof(err)) != 0)
			fail_msg("%s: %s", names[i], err);
		assert_string_equal(t.name, names[i]);
		for (size_t k = 0; k < n; k++)
			found |= !strcmp(list[k], names[i]);
		assert_true(found);
		/* every level tells itself apart from the next, but in monochrome */
		for (int l = HEAT_LOW; l < HEAT_EXTREME && strcmp(names[i], "monochrome"); l++)
			assert_true(t.heat[l] != t.heat[l + 1]);
	}
}

static void default_file_is_the_builtin(void **state)
{
	struct theme file, built;
	char err[300];

	(void)state;
	theme_default(&built);
	theme_default(&file);
	file.heat[HEAT_LOW] = COLOR_PAL(0); /* so the file must set it */
	assert_int_equal(theme_load_file(&file, "themes/default.theme", err, sizeof(err)), 0);
	assert_memory_equal(file.heat, built.heat, sizeof(built.heat));
	assert_memory_equal(file.fg, built.fg, sizeof(built.fg));
	assert_memory_equal(file.bg, built.bg, sizeof(built.bg));
}

static void broken_theme_names_its_lines(void **state)
{
	char path[128], err[300];
	struct theme t;

	(void)state;
	snprintf(path, sizeof(path), "%s/broken.theme", dir);
	write_file(path, "name=\"broken\"\n"
			 "gradient_start=\"#zz0000\"\n"   /* line 2: not a colour */
			 "sparkle=\"3\"\n"                /* line 3: unknown key */
			 "title=\"300\"\n"                /* line 4: past 255 */
			 "bad=\"#123456\"\n"              /* line 5: good */
			 "gradient_mid=\"#000000\"\ngradient_end=\"#ffffff\"\n");
	theme_default(&t);
	assert_int_equal(theme_load_file(&t, path, err, sizeof(err)), 3);
	assert_non_null(strstr(err, "broken.theme:2: gradient_start"));
	assert_string_equal(t.name, "broken");
	assert_int_equal(t.fg[ROLE_BAD], COLOR_RGB(0x123456)); /* the rest loaded */
	assert_int_equal(t.heat[HEAT_CRIT], COLOR_RGB(0x808080)); /* between mid and end */
	assert_int_equal(theme_load(&t, "no-such-theme", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "no theme 'no-such-theme'"));
}

static void config_round_trip(void **state)
{
	struct config a, b;
	char path[256], err[300], text[4096];
	FILE *f;
	size_t n;
	struct stat st;

	(void)state;
	snprintf(path, sizeof(path), "%s/new/dir/stormtoprc", dir); /* directories made */
	config_defaults(&a);
	assert_int_equal(config_set(&a, "interval", "0.25", err, sizeof(err)), 0);
	assert_int_equal(config_set(&a, "theme", "colorblind", err, sizeof(err)), 0);
	assert_int_equal(config_set(&a, "panel_procs", "0", err, sizeof(err)), 0);
	assert_int_equal(config_set(&a, "heat_crit", "50", err, sizeof(err)), 0);
	assert_int_equal(config_save(&a, path, err, sizeof(err)), 0);
	f = fopen(path, "r");
	assert_non_null(f);
	n = fread(text, 1, sizeof(text) - 1, f);
	text[n] = '\0';
	fclose(f);
	assert_non_null(strstr(text, "config_version = 1\n"));
	assert_non_null(strstr(text, "theme = \"colorblind\"\n"));
	assert_non_null(strstr(text, "# UI: seconds between samples"));
	config_defaults(&b);
	assert_int_equal(config_load(&b, path), 0);
	assert_memory_equal(&a, &b, sizeof(a));
	snprintf(text, sizeof(text), "%s.tmp.%d", path, (int)getpid());
	assert_int_equal(stat(text, &st), -1); /* the temporary is gone */
	/* out of range and too long are refused, naming the key */
	assert_int_equal(config_set(&a, "interval", "0.001", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "interval: 0.001 is outside 0.05..3600"));
	assert_int_equal(config_set(&a, "panel_apps", "2", err, sizeof(err)), -1);
	memset(text, 'x', 100);
	text[100] = '\0';
	assert_int_equal(config_set(&a, "theme", text, err, sizeof(err)), -1);
}

/* inih reads 200-byte lines: the tail of a longer one must not load as a
 * line of its own (the hardening case: a long comment ending in
 * "interval = 0.3"); a long setting is named and skipped, the rest loads,
 * and a line of exactly 199 bytes still loads. */
static void long_lines_are_skipped_whole(void **state)
{
	struct config c;
	char path[256], text[1024], pad[200];

	(void)state;
	config_defaults(&c);
	/* a comment, however long, is a comment: no error, nothing applied */
	assert_int_equal(config_load(&c, "tests/fixtures/config/config-long-comment-injects-key.rc"), 0);
	assert_true(c.interval == 1.0);
	snprintf(path, sizeof(path), "%s/long", dir);
	memset(pad, ' ', sizeof(pad));
	/* "heat_crit = 30" padded with spaces to 199 bytes, then a newline */
	snprintf(text, sizeof(text), "heat_crit = 30%.*s\nheat_warn = 7\ntheme = \"%.*s\"\ninterval = 2\n",
		 199 - 14, pad, 230, "x................................................................................................................................................................................................................................................");
	write_file(path, text);
	config_defaults(&c);
	assert_int_equal(config_load(&c, path), 1); /* the 240-byte theme line */
	assert_true(c.heat_crit == 30 && c.heat_warn == 7 && c.interval == 2);
	assert_string_equal(c.theme, "default");
}

/* A save that cannot happen says why and leaves the old file alone. */
static void config_save_failure_keeps_the_file(void **state)
{
	struct config c;
	char path[256], err[300];

	(void)state;
	config_defaults(&c);
	snprintf(path, sizeof(path), "%s/file-not-dir", dir);
	write_file(path, "x");
	strcat(path, "/stormtoprc");
	assert_int_equal(config_save(&c, path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "cannot write"));
}

/* --config naming a recording (or any binary file): loading it only
 * warns, so a save from the setup screen would rename the new config over
 * it.  It is refused and the file stays byte for byte: a recording's
 * first bytes (tests/fixtures/rec/seed-2cpu.rec), which hold NUL bytes. */
static void config_save_keeps_a_binary_file(void **state)
{
	static const char rec[] = "tests/fixtures/rec/seed-2cpu.rec";
	char path[256], err[300], before[512], after[512];
	struct config c;
	FILE *f;
	size_t n;

	(void)state;
	assert_non_null(f = fopen(rec, "rb"));
	n = fread(before, 1, sizeof(before), f);
	fclose(f);
	assert_true(n == sizeof(before) && memchr(before, 0, n));
	snprintf(path, sizeof(path), "%s/taken.rec", dir);
	assert_non_null(f = fopen(path, "wb"));
	assert_int_equal(fwrite(before, 1, n, f), n);
	fclose(f);
	config_defaults(&c);
	assert_int_equal(config_save(&c, path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not a config file"));
	assert_non_null(f = fopen(path, "rb"));
	assert_int_equal(fread(after, 1, sizeof(after), f), n);
	fclose(f);
	assert_memory_equal(before, after, n);
}

static int keep_pair(void *user, const char *key, const char *value, char *err, size_t len)
{
	return config_set(user, key, value, err, len);
}

/* No line is cut: a comment of any length is a comment (its tail is not a
 * setting), a setting longer than inih's 200-byte buffer or holding a NUL
 * is an error naming its line, and every later line keeps its number. */
static void long_lines_are_whole_or_named(void **state)
{
	char path[128], long_comment[400], long_value[300], *said = NULL;
	size_t said_len = 0;
	struct config c;
	FILE *f, *report;

	(void)state;
	snprintf(path, sizeof(path), "%s/long.rc", dir);
	memset(long_comment, 'x', sizeof(long_comment));
	memcpy(long_comment, "# ", 2);
	snprintf(long_comment + 300, 100, " interval = 0.3");
	memset(long_value, 'y', sizeof(long_value));
	snprintf(long_value + 250, 50, "\"");
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "config_version = 1\n%s\n", long_comment);              /* 1, 2 */
	fprintf(f, "theme = \"%s\n", long_value);                           /* 3: too long */
	fprintf(f, "   ;%s heat_warn = 7\n", long_comment);                  /* 4: comment */
	fputs("interval = 0.5\n", f);                                        /* 5 */
	fputs("heat_crit = 99x\n", f);                                       /* 6: not a number */
	fwrite("heat_warn = 8\0 9\n", 1, 17, f);                            /* 7: a NUL */
	fputs("history = 77\n", f);                                          /* 8 */
	fclose(f);
	config_defaults(&c);
	report = open_memstream(&said, &said_len);
	assert_int_equal(inifile_load(path, keep_pair, &c, report, NULL, 0), 3);
	fclose(report);
	assert_true(c.interval == 0.5);
	assert_true(c.heat_warn == 5);
	assert_true(c.history == 77);
	assert_string_equal(c.theme, "default");
	if (!strstr(said, "long.rc:3: line of 260 bytes, longer than 199: not read\n") ||
	    !strstr(said, "long.rc:6: heat_crit: '99x' is not a number") ||
	    !strstr(said, "long.rc:7: a NUL byte in the line: not read\n") || strstr(said, ":2:") || strstr(said, ":4:"))
		fail_msg("said:\n%s", said);
	free(said);
}

/* A theme's comment tail is no colour; a name too long for the theme is
 * refused, not cut. */
/* The one step list per setting the set-up screen and the live +/- keys
 * share, walked by hand: the interval's list is 0.05 0.1 0.2 0.5 1 2 5 10
 * 30 60 (the live keys' list; tui_test steps 0.2 -> 0.5 -> 0.2), and every
 * step is a value the config file accepts. */
static void steps_walk_by_hand(void **state)
{
	static const double interval[] = { 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60 };
	static const struct {
		enum config_steps l;
		const char *key;
		double lo, hi;
	} walk[] = { { STEPS_INTERVAL, "interval", 0.05, 60 },
		     { STEPS_HEAT, "heat_warn", 1, 10000 },
		     { STEPS_HISTORY, "history", 60, 14400 } };
	struct config c;
	char err[256], val[32];

	(void)state;
	for (size_t i = 0; i + 1 < sizeof(interval) / sizeof(interval[0]); i++) {
		assert_true(config_step(STEPS_INTERVAL, interval[i], 1) == interval[i + 1]);
		assert_true(config_step(STEPS_INTERVAL, interval[i + 1], 0) == interval[i]);
	}
	assert_true(config_step(STEPS_INTERVAL, 60, 1) == 60);   /* the ends hold */
	assert_true(config_step(STEPS_INTERVAL, 0.05, 0) == 0.05);
	assert_true(config_step(STEPS_INTERVAL, 3, 1) == 5);     /* a typed -d 3 */
	assert_true(config_step(STEPS_INTERVAL, 3, 0) == 2);
	assert_true(config_step(STEPS_HEAT, 5, 1) == 10);
	assert_true(config_step(STEPS_HISTORY, 600, 0) == 300);
	config_defaults(&c);
	for (size_t w = 0; w < sizeof(walk) / sizeof(walk[0]); w++) {
		double v = walk[w].lo, prev = -1;
		int n = 0;

		assert_true(config_step(walk[w].l, v, 0) == v);
		for (; v != prev; prev = v, v = config_step(walk[w].l, v, 1), n++) {
			snprintf(val, sizeof(val), "%.17g", v);
			if (config_set(&c, walk[w].key, val, err, sizeof(err)))
				fail_msg("%s = %s: %s", walk[w].key, val, err);
		}
		assert_true(prev == walk[w].hi);
		assert_true(n >= 9);
	}
}

static void theme_long_lines(void **state)
{
	char path[128], text[1200], err[300];
	struct theme t;

	(void)state;
	snprintf(path, sizeof(path), "%s/long.theme", dir);
	memset(text, 0, sizeof(text));
	memset(text, '#', 250);
	strcat(text, " heat_low = \"#ff0000\"\nname = \"");
	memset(text + strlen(text), 'n', 100);
	strcat(text, "\"\nheat_zero = \"#010203\"\n");
	write_file(path, text);
	theme_default(&t);
	t.heat[HEAT_LOW] = COLOR_PAL(7);
	assert_int_equal(theme_load_file(&t, path, err, sizeof(err)), 1);
	assert_non_null(strstr(err, "long.theme:2: name: 100 bytes, longer than"));
	assert_int_equal(t.heat[HEAT_LOW], COLOR_PAL(7));
	assert_int_equal(t.heat[HEAT_ZERO], COLOR_RGB(0x010203));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(shipped_themes_parse),
		cmocka_unit_test(default_file_is_the_builtin),
		cmocka_unit_test(broken_theme_names_its_lines),
		cmocka_unit_test(config_round_trip),
		cmocka_unit_test(long_lines_are_skipped_whole),
		cmocka_unit_test(config_save_failure_keeps_the_file),
		cmocka_unit_test(config_save_keeps_a_binary_file),
		cmocka_unit_test(long_lines_are_whole_or_named),
		cmocka_unit_test(theme_long_lines),
		cmocka_unit_test(steps_walk_by_hand),
	};
	return cmocka_run_group_tests_name("settings", tests, setup_dir, remove_dir);
}
