/*
 * distprobe.c: distcc's hosts and icecream's daemon and scheduler, asked
 * (see distprobe.h). Connections only, with short timeouts: a host that
 * does not answer in a few seconds would not help a build either.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "distprobe.h"
#include "host.h"

#define DISTCC_PORT "3632"
#define ICECC_SCHEDULER_PORT 8765

/* The options after the first ',' of a spec hold "cpp". */
static int
has_cpp(const char *opts)
{
	char *copy = xstrdup(opts), *save = NULL, *o;
	int cpp = 0;

	for (o = strtok_r(copy, ",", &save); o; o = strtok_r(NULL, ",", &save))
		cpp |= !strcmp(o, "cpp");
	free(copy);
	return cpp;
}

/* HOST[:PORT] (an IPv6 address in brackets) into h. */
static void
split_port(struct hv_distcc_host *h, char *base)
{
	char *colon;

	if (base[0] == '[' && strchr(base, ']')) {
		colon = strchr(base, ']');
		*colon++ = '\0';
		base++;
		colon = *colon == ':' ? colon : NULL;
	} else {
		colon = strrchr(base, ':');
	}
	if (colon)
		*colon = '\0';
	h->host = xstrdup(base);
	h->port = xstrdup(colon && colon[1] ? colon + 1 : DISTCC_PORT);
}

static void
parse_one(const char *word, struct hv_distcc_host *h)
{
	char *base = xstrdup(word), *cut, *at;

	memset(h, 0, sizeof(*h));
	h->spec = xstrdup(word);
	cut = strchr(base, ',');
	if (cut) {
		h->cpp = has_cpp(cut + 1);
		*cut = '\0';
	}
	cut = strchr(base, '/');
	if (cut)
		*cut = '\0';	/* the job limit */
	at = strchr(base, '@');
	if (at) {
		h->ssh = 1;
		h->host = xstrdup(at + 1);
	} else if (strcmp(base, "localhost")) {
		split_port(h, base);
	}
	free(base);
}

void
hv_distcc_hosts_parse(const char *text, struct hv_distcc_hosts *out)
{
	const char *p = text;

	memset(out, 0, sizeof(*out));
	while (*p) {
		size_t n;
		char *word;

		p += strspn(p, " \t\r\n");
		n = strcspn(p, " \t\r\n");
		if (!n)
			break;
		word = xstrndup(p, n);
		p += n;
		/* --randomize, --localslots=N, +zeroconf: not hosts */
		if (word[0] != '-' && word[0] != '+') {
			out->v = xreallocarray(out->v, out->n + 1,
					       sizeof(*out->v));
			parse_one(word, &out->v[out->n++]);
		}
		free(word);
	}
}

void
hv_distcc_hosts_release(struct hv_distcc_hosts *h)
{
	size_t i;

	for (i = 0; i < h->n; i++) {
		free(h->v[i].spec);
		free(h->v[i].host);
		free(h->v[i].port);
	}
	free(h->v);
	memset(h, 0, sizeof(*h));
}

int
hv_distcc_host_probe(const struct hv_distcc_host *h, int timeout_ms,
		     struct hv_error *why)
{
	int fd;

	if (!h->host || h->ssh)
		return 0;
	fd = hv_host_tcp_connect(h->host, h->port, timeout_ms, why);
	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

int
hv_distcc_jobs(const char *distcc, const char *hosts)
{
	char *argv[] = { (char *)distcc, (char *)"-j", NULL };
	char *env = xasprintf("DISTCC_HOSTS=%s", hosts), *end;
	struct strbuf out = STRBUF_INIT;
	long n = -1;

	/* distcc -j exits 0 even when it reads no host: the number decides */
	if (hv_host_output(argv, env, &out, 5000) == 0 && out.buf) {
		sb_addc(&out, '\0');
		n = strtol(out.buf, &end, 10);
		if (end == out.buf || n < 1 || n > 100000)
			n = -1;
	}
	sb_release(&out);
	free(env);
	return (int)n;
}

char *
hv_icecc_daemon(void)
{
	const char *home = getenv("HOME");
	char *path = xstrdup("/var/run/icecc/iceccd.socket");

	if (hv_host_unix_answers(path))
		return path;
	free(path);
	if (!home)
		return NULL;
	path = xasprintf("%s/.iceccd.socket", home);
	if (hv_host_unix_answers(path))
		return path;
	free(path);
	return NULL;
}

/* ICECC_SCHEDULER_HOST="..." from icecream's own configuration. */
static char *
configured_scheduler(void)
{
	static const char key[] = "\nICECC_SCHEDULER_HOST=";
	struct strbuf sb = STRBUF_INIT;
	char *v = NULL, *p;
	size_t n;

	sb_adds(&sb, "\n");
	if (hv_read_file("/etc/icecc/icecc.conf", &sb) == 0) {
		sb_addc(&sb, '\0');
		p = strstr(sb.buf, key);
		if (p) {
			p += sizeof(key) - 1;
			p += *p == '"';
			n = strcspn(p, "\"\n");
			if (n)
				v = xstrndup(p, n);
		}
	}
	sb_release(&sb);
	return v;
}

/* The scheduler's address: host in *host (malloc'd), its port. */
static int
scheduler_address(char **host)
{
	const char *env = getenv("USE_SCHEDULER");
	char *colon;
	int port = ICECC_SCHEDULER_PORT;

	*host = env && *env ? xstrdup(env) : configured_scheduler();
	if (!*host)
		*host = xstrdup("localhost");
	colon = strrchr(*host, ':');
	if (colon) {
		port = atoi(colon + 1);
		*colon = '\0';
		if (port < 1 || port > 65534)
			port = ICECC_SCHEDULER_PORT;
	}
	return port;
}

/* The sum of "jobs=RUNNING/MAX" over listcs's host lines. */
static int
sum_slots(const char *text)
{
	const char *p = text;
	int sum = 0, running, max;

	while ((p = strstr(p, " jobs=")) != NULL) {
		p += 6;
		if (sscanf(p, "%d/%d", &running, &max) == 2 && max > 0)
			sum += max;
	}
	return sum;
}

int
hv_icecc_slots(char **where, struct hv_error *why)
{
	static const char ask[] = "listcs\r\nquit\r\n";
	struct strbuf sb = STRBUF_INIT;
	char *host, *port;
	int sched = scheduler_address(&host), fd, n = -1;

	*where = xasprintf("%s:%d", host, sched);
	port = xasprintf("%d", sched + 1);
	fd = hv_host_tcp_connect(host, port, 3000, why);
	if (fd >= 0) {
		if (write(fd, ask, sizeof(ask) - 1) == (ssize_t)sizeof(ask) - 1)
			hv_host_read_all(fd, &sb, 1 << 20, 3000);
		close(fd);
		sb_addc(&sb, '\0');
		n = sum_slots(sb.buf);
		if (n <= 0)
			n = hv_error_set(why, "%s:%s: listcs lists no compile "
					 "host", host, port);
	}
	sb_release(&sb);
	free(port);
	free(host);
	return n;
}
