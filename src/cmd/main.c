// SPDX-License-Identifier: GPL-2.0-only
/* stormtop: parses the command line (cmd_table[]), opens what the
 * command needs (the host, its frame source and stages) and runs it. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "cmd/app.h"
#include "cmd/cli.h"
#include "stages/stages.h"
#include "util/mem.h"
#include "export/publish.h"
#include "export/exporter.h"
#include "collectors/cgroupfs.h"
#include "collectors/jitter_probe.h"
#include "collectors/privsep.h"
#include "core/ring.h"
#include "collectors/sampler.h"
#include "collectors/synth.h"
#include "collectors/topology.h"
#include "util/text.h"

static void on_signal(int sig)
{
	if (sig == SIGHUP && hup_saves)
		hup_requested = 1;
	else
		stop_requested = 1;
}

static void catch_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}


/* --attach and --jitter-probe; the probe's threads start after the
 * collectors dropped their privileges, so they never hold any. */
static int setup_apps(struct app *a, char *err, size_t errlen)
{
	uint8_t *mask;

	for (unsigned int i = 0; i < a->opt.host.nattach; i++)
		if (sampler_attach(a->sampler, a->opt.host.attach[i], err, errlen) < 0)
			return EXIT_USAGE;
	if (a->opt.host.publish && !(a->pub = publish_open(a->opt.host.publish))) {
		snprintf(err, errlen, "--publish: cannot create the segment: %s", strerror(errno));
		return EXIT_RUNTIME;
	}
	if (!a->opt.host.jitter_cpus)
		return 0;
	if (!(mask = mem_zalloc(a->topo.ncpu, 1))) {
		snprintf(err, errlen, "out of memory");
		return EXIT_RUNTIME;
	}
	if (app_cpulist("--jitter-probe", a->opt.host.jitter_cpus, mask, a->topo.ncpu, err, errlen) ||
	    topology_check_mask(&a->topo, mask, "--jitter-probe", err, errlen) < 0) {
		free(mask);
		return EXIT_USAGE;
	}
	a->jitter = jitter_probe_start(mask, a->topo.ncpu, err, errlen);
	free(mask);
	if (!a->jitter)
		return EXIT_RUNTIME;
	return sampler_attach(a->sampler, jitter_probe_name(a->jitter), err, errlen) < 0 ? EXIT_RUNTIME : 0;
}

/* Serving starts once privileges are gone, so its thread never held any. */
static int start_exporter(struct app *a, char *err, size_t errlen)
{
	if (!a->exp)
		return 0;
	if (exporter_start(a->exp, err, errlen) < 0)
		return EXIT_RUNTIME;
	text_say(stderr, "serving Prometheus metrics at %s", exporter_url(a->exp));
	return 0;
}

/* --synthetic: a made-up host (its frame source opens with the others). */
static int setup_synthetic(struct app *a, char *err, size_t errlen)
{
	if (topology_synthetic(&a->topo, a->opt.host.synth_cpus, a->opt.host.synth_nodes) < 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

/* The sampler always opens: under --synthetic it is where --attach goes,
 * its collectors off (their host's figures would mix in), and the frames
 * come from the synthetic source instead. */
static int open_sources(struct app *a, char *err, size_t errlen)
{
	struct source_conf c = {
		.topo = &a->topo, .root = a->opt.host.root, .disable = a->opt.host.disable,
		.force_raw = a->opt.host.raw_tp, .drop_privs = 1, .attach_owner = a->opt.host.attach_owner,
		.late_ns = (uint64_t)(a->cfg.desk_late_us * 1000), .interval_ns = app_interval_ns(a),
	};

	if (a->opt.host.synth_cpus)
		c.disable = "bpf,perf";
	if (source_open(&a->src, &sampler_source, &c) < 0) {
		snprintf(err, errlen, "out of memory starting the collectors");
		return -1;
	}
	a->sampler = a->src.self;
	if (a->opt.host.synth_cpus && source_open(&a->src, &synth_source, &c) < 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

/* --cgroup live: the subtree must exist now, under the cgroup2 mount the
 * cgroup view walks, or the screen would show an empty table with no
 * word of why (a typo, a v1-only host, a container without the host's
 * cgroup namespace).  A recording is not checked: it names what it held. */
static int check_cgroup(const struct app *a, char *err, size_t errlen)
{
	const char *want = a->opt.view.cgroup, *root = a->opt.host.root ? a->opt.host.root : "", *why = "";
	struct cgroupfs *c;
	char path[PATH_MAX];
	struct stat st;
	int rc = 0;

	if (!want || a->opt.host.synth_cpus)
		return 0;
	if (!(c = cgroupfs_open(root))) {
		snprintf(err, errlen, "out of memory");
		return EXIT_RUNTIME;
	}
	if (cgroupfs_state(c, &why) != CGROUPS_OK) {
		snprintf(err, errlen, "--cgroup %s: %s", want, why);
		rc = EXIT_USAGE;
	} else if (snprintf(path, sizeof(path), "%s%s%s", root, cgroupfs_mount(c), want) >= (int)sizeof(path) ||
		   stat(path, &st) < 0 || !S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "--cgroup: no cgroup %s under the cgroup2 mount %s", want, cgroupfs_mount(c));
		rc = EXIT_USAGE;
	}
	cgroupfs_close(c);
	return rc;
}

static int setup(struct app *a, char *err, size_t errlen)
{
	int rc, cells;

	if (a->opt.host.synth_cpus ? setup_synthetic(a, err, errlen) < 0
			      : topology_detect(&a->topo, a->opt.host.root, err, errlen) < 0)
		return EXIT_RUNTIME;
	if (a->opt.view.cpus) {
		a->mask = mem_zalloc(a->topo.ncpu, 1);
		if (!a->mask) {
			snprintf(err, errlen, "out of memory");
			return EXIT_RUNTIME;
		}
		if (app_cpulist("--cpus", a->opt.view.cpus, a->mask, a->topo.ncpu, err, errlen) ||
		    topology_check_mask(&a->topo, a->mask, "--cpus", err, errlen) < 0)
			return EXIT_USAGE;
	}
	if ((rc = check_cgroup(a, err, errlen)) != 0)
		return rc;
	/* the heatmap's per-CPU cells only where a heatmap is drawn */
	cells = a->opt.mode == MODE_LIVE && !a->opt.live.batch && !a->opt.live.probes;
	if ((rc = app_check_history(a, a->topo.ncpu, cells, err, errlen)) != 0)
		return rc;
	if (ring_init_full(&a->ring, app_history(a), RING_FULL, a->topo.ncpu, cells) < 0) {
		snprintf(err, errlen, "cannot allocate %u frames of %u CPUs", a->opt.view.history, a->topo.ncpu);
		return EXIT_RUNTIME;
	}
	/* bound before the collectors drop privileges, served after */
	if (a->opt.host.prometheus &&
	    !(a->exp = exporter_bind(a->opt.host.prometheus, a->topo.ncpu, a->opt.host.prom_top, err, errlen)))
		return EXIT_RUNTIME;
	if (open_sources(a, err, errlen) < 0)
		return EXIT_RUNTIME;
	if (stages_new(&a->stages, &(struct stage_conf){ .cfg = &a->cfg, .cap = a->ring.cap,
							  .crit = a->opt.view.crit_rate }) < 0) {
		snprintf(err, errlen, "out of memory");
		return EXIT_RUNTIME;
	}
	uname(&a->uts);
	if ((rc = setup_apps(a, err, errlen)) != 0 || (rc = start_exporter(a, err, errlen)) != 0)
		return rc;
	mem_prefault_image();
	return 0;
}

static void teardown(struct app *a)
{
	app_rec_stop(a);
	app_cap_stop(a);
	exporter_stop(a->exp);
	jitter_probe_stop(a->jitter);
	stages_free(&a->stages);
	if (a->pub)
		publish_close(a->pub);
	if (a->src.self != a->sampler)
		source_close(&a->src);
	sampler_close(a->sampler);
	ring_free(&a->ring);
	free(a->mask);
	topology_free(&a->topo);
}

int main(int argc, char **argv)
{
	static struct app a;
	const struct command *cmd;
	char err[256];
	int rc = 0;

	privsep_main(argc, argv); /* never returns in the opener (collectors/privsep.h) */
	switch (cli_parse(argc, argv, &a.opt, err, sizeof(err))) {
	case CLI_EXIT_OK:
		return 0;
	case CLI_ERROR:
		text_say(stderr, "%s", err);
		return EXIT_USAGE;
	case CLI_RUN:
		break;
	}
	cmd = cli_command(a.opt.mode);
	hup_saves = a.opt.mode == MODE_RECORD && a.opt.rec.trigger;
	catch_signals();
	text_init(); /* widths and the user's codeset: once, before any tick */
	if ((cmd->flags & CMD_CONFIG) && (rc = app_config(&a, err, sizeof(err))) != 0) {
		text_say(stderr, "%s", err);
		return rc;
	}
	if (((cmd->flags & CMD_HOST) || ((cmd->flags & CMD_HOST_LIVE) && !a.opt.file)) &&
	    (rc = setup(&a, err, sizeof(err))) != 0)
		text_say(stderr, "%s", err);
	else
		rc = cmd->run(&a);
	teardown(&a); /* safe on what a command left unopened */
	return rc;
}
