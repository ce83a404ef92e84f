/*
 * console-path.c: halve's console path taken apart, for
 * bench/console-throughput.sh. It does with a console what the pipeline
 * does during a boot, with libhalve's own pieces: one hv_loop, a watch
 * on the console fd read with hv_watch_read() (64 KiB at most per turn),
 * every chunk appended to a log file, the [boot] silence timer restarted,
 * and the bytes fed to hv_lines and each line matched against the two
 * verdict rules of the benchmarks and the built-in bad rules. What it
 * leaves out is the job and pipeline bookkeeping around that path.
 *
 * So it can answer two questions halve itself cannot: how much of the
 * time is the pty (--socketpair gives the command a socket pair as its
 * console instead, as qemu would get with the change proposed in
 * doc/PERFORMANCE.md), and how much each stage costs (--no-rules,
 * --no-lines, --no-log drop one; --drain reads on within a turn until
 * the fd has nothing or 64 KiB were read, instead of one read a turn).
 * With --cost FILE it times the line
 * assembler and the rules alone on FILE's bytes in memory: no fd, no
 * kernel.
 *
 * It prints "bytes B end T cpu C lines L": bytes read, the clock
 * (CLOCK_REALTIME seconds) when the verdict line matched (or at end of
 * file), its own user+system seconds, lines assembled. A bench tool,
 * never part of halve.
 *
 * usage: console-path [--socketpair] [--no-rules] [--no-lines] [--no-log]
 *                     [--drain] LOGFILE CMD [ARG...]
 *        console-path --cost FILE REPEAT
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef HAVE_PTY_H
#include <pty.h>
#else
#include <libutil.h>
#endif

#include "loop.h"
#include "rules.h"

struct path {
	struct hv_loop *loop;
	struct hv_timer *silence;
	struct hv_lines *lines;
	struct hv_rules *rules;
	int log_fd;
	int use_rules, use_lines;
	int drain;		/* read on until EAGAIN, 64 KiB a turn at most */
	unsigned long long bytes;
	struct timespec end;
	int decided;
};

static double
cpu_seconds(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	       ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static int
on_line(void *arg, const char *line, size_t len, const struct hv_line_info *info)
{
	struct path *p = arg;

	if (!p->use_rules || p->decided)
		return 0;
	if (hv_rules_match(p->rules, line, len, NULL) != HV_RULE_NONE) {
		p->decided = 1;
		clock_gettime(CLOCK_REALTIME, &p->end);
	}
	return 0;
}

static void
on_silence(struct hv_loop *loop, struct hv_timer *t, void *arg)
{
}

/* One read and what the pipeline does with it; 0 when there is no more. */
static int
read_once(struct hv_loop *loop, struct hv_watch *w, struct path *p)
{
	const char *data;
	ssize_t n = hv_watch_read(w, &data);

	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return 0;
	if (n <= 0) {	/* EIO from a pty, 0 from a socket: the end */
		if (!p->decided)
			clock_gettime(CLOCK_REALTIME, &p->end);
		hv_watch_remove(w);
		hv_loop_break(loop);
		return 0;
	}
	p->bytes += (unsigned long long)n;
	if (p->log_fd >= 0) {
		ssize_t off = 0;

		while (off < n) {
			ssize_t k = write(p->log_fd, data + off, (size_t)(n - off));

			if (k < 0 && errno == EINTR)
				continue;
			if (k < 0) {
				perror("console-path: log");
				exit(1);
			}
			off += k;
		}
	}
	hv_timer_start(p->silence, 30000, 0);
	if (p->use_lines && !p->decided)
		hv_lines_feed(p->lines, data, (size_t)n, on_line, p);
	return (int)n;
}

static void
on_read(struct hv_loop *loop, struct hv_watch *w, void *arg)
{
	struct path *p = arg;
	size_t got = 0;
	int n;

	do
		n = read_once(loop, w, p);
	while (p->drain && n > 0 && (got += (size_t)n) < HV_LOOP_READ_MAX_DEFAULT);
}

static struct hv_rules *
bench_rules(void)
{
	struct hv_rules *r = hv_rules_new();
	struct hv_error err = HV_ERROR_INIT;

	if (hv_rules_add(r, HV_RULE_GOOD, "^RESULT: OKAY", NULL, 0, &err) < 0 ||
	    hv_rules_add(r, HV_RULE_BAD, "^RESULT: FAILED", NULL, 0, &err) < 0) {
		fprintf(stderr, "console-path: %s\n", err.msg);
		exit(1);
	}
	hv_rules_add_defaults(r);
	return r;
}

/* Starts argv on a pty or a socket pair; returns our end. */
static int
start(char **argv, int socketpair_console, pid_t *pid)
{
	int fd;

	if (socketpair_console) {
		int sv[2];

		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
			perror("console-path: socketpair");
			exit(1);
		}
		*pid = fork();
		if (*pid == 0) {
			setsid();
			dup2(sv[1], 0);
			dup2(sv[1], 1);
			dup2(sv[1], 2);
			execvp(argv[0], argv);
			_exit(127);
		}
		close(sv[1]);
		fd = sv[0];
	} else {
		*pid = forkpty(&fd, NULL, NULL, NULL);
		if (*pid == 0) {
			execvp(argv[0], argv);
			_exit(127);
		}
	}
	if (*pid < 0) {
		perror("console-path: fork");
		exit(1);
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	return fd;
}

static int
cost(const char *file, long repeat)
{
	struct path p;
	char *buf;
	size_t len = 0, cap = 1 << 20;
	ssize_t n;
	int fd = open(file, O_RDONLY), mode;

	if (fd < 0) {
		perror(file);
		return 1;
	}
	buf = malloc(cap);
	while (buf && (n = read(fd, buf + len, cap - len)) > 0) {
		len += (size_t)n;
		if (len == cap)
			buf = realloc(buf, cap *= 2);
	}
	close(fd);
	memset(&p, 0, sizeof(p));
	p.rules = bench_rules();
	for (mode = 0; mode < 2; mode++) {
		double c0 = cpu_seconds(), c;
		long r;

		p.lines = hv_lines_new(0);
		p.use_rules = mode;
		for (r = 0; r < repeat; r++) {
			size_t off;

			for (off = 0; off < len; off += 4096)
				hv_lines_feed(p.lines, buf + off,
					      len - off < 4096 ? len - off : 4096,
					      on_line, &p);
		}
		c = cpu_seconds() - c0;
		printf("%s lines %llu bytes %.0f cpu %.6f\n",
		       mode ? "lines+rules" : "lines", (unsigned long long)hv_lines_count(p.lines),
		       (double)len * repeat, c);
		hv_lines_free(p.lines);
	}
	hv_rules_free(p.rules);
	free(buf);
	return 0;
}

int
main(int argc, char **argv)
{
	struct hv_error err = HV_ERROR_INIT;
	struct path p;
	int i = 1, sock = 0, fd, status;
	pid_t pid;

	memset(&p, 0, sizeof(p));
	p.use_rules = p.use_lines = 1;
	if (argc == 4 && !strcmp(argv[1], "--cost"))
		return cost(argv[2], atol(argv[3]));
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--socketpair"))
			sock = 1;
		else if (!strcmp(argv[i], "--no-rules"))
			p.use_rules = 0;
		else if (!strcmp(argv[i], "--no-lines"))
			p.use_lines = p.use_rules = 0;
		else if (!strcmp(argv[i], "--no-log"))
			p.log_fd = -2;
		else if (!strcmp(argv[i], "--drain"))
			p.drain = 1;
		else
			break;
	}
	if (argc - i < 2) {
		fprintf(stderr, "usage: console-path [--socketpair] [--no-rules] "
			"[--no-lines] [--no-log] [--drain] LOGFILE CMD [ARG...]\n"
			"       console-path --cost FILE REPEAT\n");
		return 2;
	}
	if (p.log_fd == -2) {
		p.log_fd = -1;
	} else {
		p.log_fd = open(argv[i], O_WRONLY | O_CREAT | O_TRUNC | O_APPEND |
				O_CLOEXEC, 0644);
		if (p.log_fd < 0) {
			perror(argv[i]);
			return 1;
		}
	}
	p.loop = hv_loop_new();
	p.silence = hv_timer_new(p.loop, on_silence, &p);
	p.lines = hv_lines_new(0);
	p.rules = bench_rules();
	fd = start(argv + i + 1, sock, &pid);
	hv_loop_add_fd(p.loop, fd, on_read, NULL, &p);
	if (hv_loop_run(p.loop, &err) < 0) {
		fprintf(stderr, "console-path: %s\n", err.msg);
		return 1;
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	printf("bytes %llu end %lld.%09ld cpu %.6f lines %llu\n", p.bytes,
	       (long long)p.end.tv_sec, p.end.tv_nsec, cpu_seconds(),
	       (unsigned long long)hv_lines_count(p.lines));
	hv_timer_free(p.silence);
	hv_lines_free(p.lines);
	hv_rules_free(p.rules);
	hv_loop_free(p.loop);
	close(fd);
	return 0;
}
