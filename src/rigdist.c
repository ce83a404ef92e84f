/*
 * rigdist.c: `halve setup kernel --distcc HOSTS` and `--icecc` (see
 * rigint.h): the tool found, every distcc host connected to or the
 * icecream daemon asked, then the mode and -j chosen and the reasons
 * kept for the config's comments. The jobs come from the tools
 * themselves: `distcc -j`, the icecream scheduler's slots.
 *
 * With ccache in front (CCACHE_PREFIX), ccache preprocesses every file
 * it misses to look it up, which is the work distcc's pump mode gives
 * the hosts: pump mode is chosen only without ccache, and only when a
 * probe compile shows distcc-pump's include server working.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "distprobe.h"
#include "host.h"
#include "rigint.h"

/* How long a host may take to accept a connection. */
#define PROBE_MS 3000

/* Every distcc host answers; remote and all_cpp describe the list. */
static int
probe_hosts(const char *text, int *remote, int *all_cpp,
	    struct hv_error *err)
{
	struct hv_distcc_hosts h;
	struct hv_error why = HV_ERROR_INIT;
	size_t i;
	int rc = 0;

	hv_distcc_hosts_parse(text, &h);
	*remote = 0;
	*all_cpp = 1;
	for (i = 0; i < h.n && !rc; i++) {
		if (!h.v[i].host)
			continue;	/* localhost: this machine */
		(*remote)++;
		*all_cpp &= h.v[i].cpp;
		if (hv_distcc_host_probe(&h.v[i], PROBE_MS, &why) < 0) {
			rc = hv_error_set(err, "setup: --distcc: %s: %s (is "
					  "distccd running there, and does it "
					  "--allow this machine?)", h.v[i].spec,
					  why.msg);
			hv_error_clear(&why);
		}
	}
	hv_distcc_hosts_release(&h);
	return rc;
}

/*
 * distcc-pump's include server really serves a compile: one file
 * compiled in pump mode on the hosts. Debian 12's fails on every file
 * with Python 3.11 (distcc #454, fixed after 3.4; #573 on 3.12), and
 * distcc then preprocesses here: plain mode with a server in the way.
 */
static int
pump_works(const char *pump, const char *hosts)
{
	static const char probe[] = "#include <stddef.h>\nsize_t probe;\n";
	static const char script[] = "exec 2>&1; \"$0\" distcc gcc -c "
				     "\"$1/probe.c\" -o \"$1/probe.o\"";
	const char *tmp = getenv("TMPDIR");
	char *dir = xasprintf("%s/halve-pump.XXXXXX", tmp && *tmp ? tmp
								   : "/tmp");
	char *argv[] = { (char *)"/bin/sh", (char *)"-c", (char *)script,
			 (char *)pump, dir, NULL };
	char *env = xasprintf("DISTCC_HOSTS=%s", hosts), *src = NULL;
	struct strbuf out = STRBUF_INIT;
	struct hv_error err = HV_ERROR_INIT;
	int ok = 0;

	if (mkdtemp(dir)) {
		src = xasprintf("%s/probe.c", dir);
		if (hv_write_file_atomic(src, probe, sizeof(probe) - 1,
					 &err) == 0 &&
		    hv_host_output(argv, env, &out, 60000) == 0) {
			sb_addc(&out, '\0');
			ok = !strstr(out.buf, "include server") &&
			     !strstr(out.buf, "preprocessing locally");
		}
		hv_error_clear(&err);
		hv_remove_tree(dir);
	}
	sb_release(&out);
	free(src);
	free(env);
	free(dir);
	return ok;
}

/* Pump mode when it can help; the reason either way. */
static const char *
distcc_mode(struct rig_plan *p, int remote, int all_cpp)
{
	char *pump;

	if (!remote)
		return "plain mode: every host is localhost";
	if (!all_cpp)
		return "plain mode: not every host takes ,cpp (HOST/N,cpp,lzo "
		       "asks for pump mode)";
	if (p->ccache)
		return "plain mode, though the hosts take ,cpp: ccache "
		       "preprocesses every file it misses to look it up, the "
		       "work pump mode gives the hosts (--no-ccache for pump "
		       "mode)";
	pump = hv_host_which("distcc-pump");
	if (!pump)
		pump = hv_host_which("pump");
	if (!pump)
		return "plain mode: the hosts take ,cpp but there is no "
		       "distcc-pump (install distcc-pump for pump mode)";
	if (!pump_works(pump, p->o->distcc_hosts)) {
		free(pump);
		return "plain mode: distcc-pump's include server fails here "
		       "(a probe compile was preprocessed locally: distcc #454 "
		       "with Python 3.10 and later), so pump mode would only "
		       "add it";
	}
	p->pump = pump;
	return "pump mode: every host takes ,cpp and distcc-pump is "
	       "installed, so the hosts preprocess too";
}

static int
check_distcc(struct rig_plan *p, struct hv_error *err)
{
	const char *hosts = p->o->distcc_hosts, *mode;
	int jobs, remote, all_cpp;

	p->dist = hv_host_which("distcc");
	if (!p->dist)
		return hv_error_set(err, "setup: --distcc: no distcc on PATH "
				    "(install distcc)");
	p->dist_name = "distcc";
	/* distcc reads the list itself: a list it cannot read has no jobs */
	jobs = hv_distcc_jobs(p->dist, hosts);
	if (jobs < 0)
		return hv_error_set(err, "setup: --distcc '%s': distcc finds no "
				    "host in it (distcc -j; see HOST "
				    "SPECIFICATIONS in distcc(1))", hosts);
	if (probe_hosts(hosts, &remote, &all_cpp, err) < 0)
		return -1;
	mode = distcc_mode(p, remote, all_cpp);
	p->jobs = p->o->jobs ? p->o->jobs : jobs;
	p->dist_why = xasprintf("# distcc: %s\n# -j%d: %s\n", mode, p->jobs,
				p->o->jobs ? "--jobs" : "distcc -j, the "
				"concurrency of these hosts");
	return 0;
}

static int
check_icecc(struct rig_plan *p, struct hv_error *err)
{
	struct hv_error why = HV_ERROR_INIT;
	char *sock, *where, *jobs_why;
	int slots;

	p->dist = hv_host_which("icecc");
	if (!p->dist)
		return hv_error_set(err, "setup: --icecc: no icecc on PATH "
				    "(install icecc)");
	p->dist_name = "icecc";
	sock = hv_icecc_daemon();
	if (!sock)
		return hv_error_set(err, "setup: --icecc: no icecream daemon "
				    "answers on /var/run/icecc/iceccd.socket or "
				    "~/.iceccd.socket (start iceccd: systemctl "
				    "start iceccd)");
	slots = hv_icecc_slots(&where, &why);
	if (slots > 0) {
		/* the local daemon preprocesses: at least a job a CPU */
		p->jobs = slots > p->cpus ? slots : p->cpus;
		jobs_why = xasprintf("the scheduler at %s offers %d slots",
				     where, slots);
	} else {
		p->jobs = 2 * p->cpus;
		jobs_why = xasprintf("the scheduler does not answer (%s): twice "
				     "the CPUs", why.msg);
	}
	if (p->o->jobs) {
		p->jobs = p->o->jobs;
		free(jobs_why);
		jobs_why = xstrdup("--jobs");
	}
	p->dist_why = xasprintf("# icecc: through the daemon on %s%s\n"
				"# -j%d: %s\n", sock, p->ccache ? ", behind "
				"ccache" : "", p->jobs, jobs_why);
	hv_error_clear(&why);
	free(jobs_why);
	free(where);
	free(sock);
	return 0;
}

int
rig_check_distributed(struct rig_plan *p, struct hv_error *err)
{
	p->local_jobs = p->cpus;	/* --jobs is the distributed -j */
	if (p->o->distcc_hosts)
		return check_distcc(p, err);
	if (p->o->icecc)
		return check_icecc(p, err);
	return 0;
}
