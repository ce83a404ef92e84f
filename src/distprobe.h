/*
 * distprobe.h: what the distributed compilers a user already runs offer
 * a kernel rig, asked of them: distcc's host list (DISTCC_HOSTS syntax)
 * parsed, each TCP host connected to, `distcc -j` for its concurrency;
 * icecream's local daemon and its scheduler's slots (the scheduler's
 * text interface, `listcs`). `halve setup kernel --distcc/--icecc`
 * (rig.c) and `halve doctor` (doctor.c) ask here.
 *
 * Read-only probes: nothing here writes a file or prints.
 */
#ifndef HALVE_DISTPROBE_H
#define HALVE_DISTPROBE_H

#include <stddef.h>

#include "util.h"

/* One entry of a distcc host list. */
struct hv_distcc_host {
	char *spec;		/* as written: "10.0.0.5/8,cpp,lzo" */
	char *host;		/* "10.0.0.5"; NULL for localhost */
	char *port;		/* "3632" unless given */
	int ssh;		/* USER@HOST or @HOST: reached over ssh */
	int cpp;		/* ,cpp: the host preprocesses (pump mode) */
};

struct hv_distcc_hosts {
	struct hv_distcc_host *v;
	size_t n;
};

/* The hosts of a DISTCC_HOSTS text (options such as --randomize and
 * +zeroconf are left out). */
void hv_distcc_hosts_parse(const char *text, struct hv_distcc_hosts *out);
void hv_distcc_hosts_release(struct hv_distcc_hosts *h);

/* Host i accepts a connection within timeout_ms: 0, else -1 with why
 * "HOST:PORT: why". Local and ssh hosts are not probed (0). */
int hv_distcc_host_probe(const struct hv_distcc_host *h, int timeout_ms,
			 struct hv_error *why);

/* `distcc -j` with DISTCC_HOSTS=hosts: the jobs distcc would run at
 * once; -1 when distcc cannot read the list. */
int hv_distcc_jobs(const char *distcc, const char *hosts);

/* The unix socket of the icecream daemon that answers here (malloc'd):
 * root's /var/run/icecc/iceccd.socket or a user's ~/.iceccd.socket;
 * NULL when no daemon answers. */
char *hv_icecc_daemon(void);

/*
 * The slots icecream's scheduler offers (the sum of its hosts' job
 * limits), asked on its text port (its port + 1). The scheduler is
 * $USE_SCHEDULER (HOST[:PORT], as iceccd takes it), else
 * ICECC_SCHEDULER_HOST in /etc/icecc/icecc.conf, else localhost; *where
 * says which (malloc'd, always set). -1 with why when it does not
 * answer.
 */
int hv_icecc_slots(char **where, struct hv_error *why);

#endif
