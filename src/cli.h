/* Command-line options of the stormtop binary. */
#ifndef STORMTOP_CLI_H
#define STORMTOP_CLI_H

#include <stddef.h>
#include <stdint.h>

#define EXIT_USAGE 2   /* bad arguments */
#define EXIT_RUNTIME 1 /* could not start: no terminal, out of memory */

struct options {
	double interval_s;      /* -d */
	long iterations;        /* -n; 0 = until quit */
	const char *cpus;       /* --cpus LIST, validated against the host later */
	double warn_rate;       /* per-core /s where green turns yellow */
	double crit_rate;       /* per-core /s where yellow turns red */
	uint32_t history;       /* frames kept for the heatmap */
	int batch;              /* -b: text lines, no TUI */
	int no_color;
	const char *root;       /* --root DIR: read /proc from a fixture tree */
	const char *disable;    /* --disable LIST, names checked */
	int raw_tp;             /* --raw-tp */
	int probes;             /* --probes: print the hook table and exit */
};

enum cli_result { CLI_RUN, CLI_EXIT_OK, CLI_ERROR };

/* Fills o from argv.  CLI_EXIT_OK after printing --help or --version to
 * stdout; CLI_ERROR with a one-line message in err. */
enum cli_result cli_parse(int argc, char **argv, struct options *o, char *err, size_t errlen);

#endif
