// SPDX-License-Identifier: GPL-2.0-only
/* stormtop check: the host-hygiene report, for a person (text) or a
 * script (json); the exit status says whether anything needs changing. */
#include "cmd/app.h"

#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include "core/hygiene.h"
#include "collectors/hygiene_scan.h"
#include "util/json.h"
#include "util/text.h"

/* For a person: what the host said (its name, the values read) goes
 * through the text rule, so it cannot drive the terminal. */
static void print_text(const struct frame_hygiene *h, const char *host)
{
	char clean[4 * 300];
	int ascii = !text_locale_utf8();

	text_clean(clean, sizeof(clean), host, ascii);
	printf("stormtop check: %u finding%s in %u checks on %s\n\n", hyg_findings(h),
	       hyg_findings(h) == 1 ? "" : "s", h->n, clean);
	for (uint32_t i = 0; i < h->n; i++) {
		const struct frame_hyg_item *it = &h->item[i];
		const struct hyg_info *info = hyg_info(it->check);

		text_clean(clean, sizeof(clean), it->observed, ascii);
		printf("%-8s %-17s %s\n", hyg_state_name(it->state), info->name, clean);
		if (it->state == HYG_FINDING)
			printf("         %-17s why: %s\n         %-17s fix: %s\n", "", info->why, "", info->fix);
	}
}

static void json_field(const char *key, const char *value, int last)
{
	printf("\"%s\":", key);
	json_string(value);
	fputs(last ? "" : ",", stdout);
}

static void print_json(const struct frame_hygiene *h, const char *host)
{
	printf("{\"host\":");
	json_string(host);
	printf(",\"findings\":%u,\"checks\":[", hyg_findings(h));
	for (uint32_t i = 0; i < h->n; i++) {
		const struct hyg_info *info = hyg_info(h->item[i].check);

		printf("%s{", i ? "," : "");
		json_field("check", info->name, 0);
		json_field("title", info->title, 0);
		json_field("state", hyg_state_name(h->item[i].state), 0);
		json_field("observed", h->item[i].observed, 0);
		json_field("why", info->why, 0);
		json_field("fix", info->fix, 1);
		putchar('}');
	}
	puts("]}");
}

int run_check(const struct options *o)
{
	static struct frame_hygiene h;
	struct topology topo;
	struct utsname uts;
	char err[256], host[300];

	if (topology_detect(&topo, o->host.root, err, sizeof(err)) < 0) {
		text_say(stderr, "%s", err);
		return EXIT_RUNTIME;
	}
	uname(&uts);
	snprintf(host, sizeof(host), "%s", o->host.root[0] ? o->host.root : uts.nodename);
	hygiene_scan(o->host.root, &topo, &h);
	topology_free(&topo);
	if (strcmp(o->read.format, "json") == 0)
		print_json(&h, host);
	else
		print_text(&h, host);
	return hyg_findings(&h) ? EXIT_FINDINGS : 0;
}
