/*
 * stand-in-qemu.c: plays qemu for the console benchmarks in bench/
 * (handoff.sh, console-throughput.sh), so that halve's side of a boot can
 * be timed to the microsecond with nothing but the host clock. It is a
 * bench tool: never part of halve, never used by the tests.
 *
 * Used as [boot] qemu, it gets halve's wiring appended to its own options
 * and behaves as far as halve can tell like qemu with a guest that prints
 * a verdict and then idles:
 *   - it puts its terminal in raw mode, as qemu's stdio chardev does (so
 *     the bytes it writes reach console.log unchanged, no \n to \r\n);
 *   - it listens on the QMP socket named by -qmp unix:PATH,... before it
 *     writes anything (qemu does too) and answers the greeting, and
 *     `quit` makes it exit at once; --no-qmp leaves the socket unserved,
 *     so only a signal stops it;
 *   - SIGTERM, SIGINT and SIGHUP end it as they end qemu ("terminating on
 *     signal 15"), exit status 0 after a message on stderr;
 *   - it writes --flood BYTES of kernel-log-like lines (about 80 bytes
 *     each, \r\n as a serial console has them, nothing a verdict rule
 *     matches), or --longline BYTES with no newline at all, as fast as
 *     the pty takes them, then "stand-in: decided at <clock>" and
 *     "RESULT: OKAY" or "RESULT: FAILED" in one write.
 *
 * With --stamps FILE it appends "<commit> <event> <value>" lines for the
 * scripts: start (before the first byte), decide (just before the verdict
 * line's write), written (after it), quit (QMP quit read) or term (signal
 * taken), then cpu (its own user+system seconds) and bytes (all it wrote
 * to the console). Times are CLOCK_REALTIME seconds with nine decimals;
 * <commit> is $HALVE_COMMIT (or "-").
 *
 * Other modes, for the references the scripts compare with:
 *   --exit               exit after the verdict instead of waiting
 *   --stamp FILE EVENT   append "<commit> EVENT <clock>" and exit (the
 *                        benchmark's trivial build)
 *   --culprit N          the verdict is failed when the number in the file
 *                        `index` (in the work tree) is N or more, else okay
 *   --spawn-cost N CMD   run `/bin/sh -c CMD` N times, CMD printing the
 *                        clock (date +%s.%N); print the median and max
 *                        seconds from fork() to that clock
 *
 * usage: stand-in-qemu [--stamps FILE] [--verdict okay|failed|@FILE |
 *                      --culprit N] [--flood BYTES | --longline BYTES] [--no-qmp]
 *                      [--exit] [qemu options...]
 * @FILE reads the verdict word from FILE (relative to the work tree the
 * step checked out). qemu options other than -qmp are ignored.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static const char *stamps_path;
static const char *commit = "-";
static unsigned long long bytes_out;

static void __attribute__((noreturn, format(printf, 1, 2)))
die(const char *fmt, ...)
{
	va_list ap;

	fputs("stand-in-qemu: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
fmt_clock(char *buf, size_t size)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	snprintf(buf, size, "%lld.%09ld", (long long)ts.tv_sec, ts.tv_nsec);
}

/* One line appended with O_APPEND: steps of one run share the file. */
static void
stamp_text(const char *event, const char *value)
{
	char line[256];
	int fd, n;

	if (!stamps_path)
		return;
	n = snprintf(line, sizeof(line), "%s %s %s\n", commit, event, value);
	fd = open(stamps_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0)
		die("%s: %s", stamps_path, strerror(errno));
	if (write(fd, line, (size_t)n) != n)
		die("%s: short write", stamps_path);
	close(fd);
}

static void
stamp(const char *event)
{
	char clock[64];

	fmt_clock(clock, sizeof(clock));
	stamp_text(event, clock);
}

static void
stamp_end(void)
{
	struct rusage ru;
	char v[64];

	getrusage(RUSAGE_SELF, &ru);
	snprintf(v, sizeof(v), "%.6f",
		 ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
		 ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6);
	stamp_text("cpu", v);
	snprintf(v, sizeof(v), "%llu", bytes_out);
	stamp_text("bytes", v);
}

static void
write_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die("console: %s", strerror(errno));
		p += n;
		len -= (size_t)n;
		bytes_out += (uint64_t)n;
	}
}

/*
 * A megabyte of distinct lines in the shape of a booting kernel's log:
 * "[    1.234567] subsystem: message\r\n", 60 to 90 bytes (80 on average). None of them
 * matches halve's built-in bad rules or the benchmarks' verdict rules.
 */
static char *
kernel_lines(size_t *len)
{
	/* each takes two ints */
	static const char *const msgs[] = {
		"pci 0000:00:%02x.0: [8086:%04x] type 00 class 0x060000 PCI endpoint",
		"ACPI: PCI: Interrupt link LNK%d configured for IRQ %d",
		"usb 1-%d: new high-speed USB device number %d using xhci_hcd",
		"EXT4-fs (vda%d): mounted filesystem with ordered data mode. Quota: %d",
		"virtio_net virtio%d eth%d: renamed from eth0",
		"audit: type=1400 audit(%d.%03d:2): apparmor=\"STATUS\" operation=\"load\"",
		"clocksource: tsc: mask: 0xffffffffffffffff max_cycles: 0x%x, idle: %d ns",
		"systemd[1]: Started unit-%04d.service - Journal Service %d.",
		"random: crng reseeded, entropy pool %d of %d bits full",
		"e1000e 0000:00:%02x.0 enp0s%d: NIC Link is Up 1000 Mbps Full Duplex",
		"sd 0:0:0:%d: [sda] %d 512-byte logical blocks: (32.2 GB/30.0 GiB)",
		"NET: Registered PF_INET%d protocol family, hash entries: %d",
	};
	size_t cap = 1 << 20, n = 0, i = 0;
	char *buf = malloc(cap + 256);

	if (!buf)
		die("out of memory");
	while (n < cap) {
		unsigned a = (unsigned)(i * 2654435761u >> 7);
		char msg[160];

		snprintf(msg, sizeof(msg), msgs[i % (sizeof(msgs) / sizeof(msgs[0]))],
			 (int)(a % 31), (int)(a % 9000 + 100));
		n += (size_t)snprintf(buf + n, 256, "[%5u.%06u] %s\r\n",
				      (unsigned)(i / 800), (unsigned)(i * 1249 % 1000000),
				      msg);
		i++;
	}
	*len = n;
	return buf;
}

static void
flood(unsigned long long total)
{
	size_t len;
	char *buf = kernel_lines(&len);

	while (total) {
		size_t k = total < len ? (size_t)total : len;

		/* end on a whole line when the total cuts the block */
		if (k < len) {
			while (k && buf[k - 1] != '\n')
				k--;
			if (!k)
				break;
		}
		write_all(1, buf, k);
		total -= k;
	}
	free(buf);
}

static void
longline(unsigned long long total)
{
	static char buf[1 << 16];

	memset(buf, 'y', sizeof(buf));
	while (total) {
		size_t k = total < sizeof(buf) ? (size_t)total : sizeof(buf);

		write_all(1, buf, k);
		total -= k;
	}
}

static const char *
verdict_word(const char *spec)
{
	static char word[32];
	FILE *f;

	if (spec[0] != '@')
		return spec;
	f = fopen(spec + 1, "r");
	if (!f || !fgets(word, sizeof(word), f))
		die("%s: cannot read the verdict", spec + 1);
	fclose(f);
	word[strcspn(word, " \t\r\n")] = '\0';
	return word;
}

static int
listen_qmp(const char *spec)
{
	struct sockaddr_un sa;
	size_t len;
	int fd;

	if (strncmp(spec, "unix:", 5))
		die("-qmp %s: only unix: sockets", spec);
	spec += 5;
	len = strcspn(spec, ",");
	if (len >= sizeof(sa.sun_path))
		die("-qmp: path too long");
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, spec, len);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(fd, 1) < 0)
		die("-qmp %s: %s", sa.sun_path, strerror(errno));
	return fd;
}

/* After the verdict: wait, as an idle guest's qemu does, to be stopped. */
static void __attribute__((noreturn))
wait_to_be_stopped(int qmp, int sfd)
{
	static const char greeting[] =
		"{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": 2, "
		"\"major\": 7}, \"package\": \"\"}, \"capabilities\": []}}\r\n";
	char in[4096];
	size_t have = 0;
	int conn = -1;

	for (;;) {
		struct pollfd p[2] = { { sfd, POLLIN, 0 }, { -1, POLLIN, 0 } };

		p[1].fd = conn >= 0 ? conn : qmp;
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			die("poll: %s", strerror(errno));
		}
		if (p[0].revents) {
			struct signalfd_siginfo si;

			stamp("term");
			if (read(sfd, &si, sizeof(si)) == (ssize_t)sizeof(si))
				fprintf(stderr, "stand-in-qemu: terminating on "
					"signal %u from pid %u\r\n", si.ssi_signo,
					si.ssi_pid);
			stamp_end();
			exit(0);
		}
		if (!p[1].revents)
			continue;
		if (conn < 0) {
			conn = accept4(qmp, NULL, NULL, SOCK_CLOEXEC);
			/* a client that left at once gets nothing: fine */
			if (conn >= 0)
				send(conn, greeting, sizeof(greeting) - 1, MSG_NOSIGNAL);
			continue;
		}
		{
			ssize_t n = read(conn, in + have, sizeof(in) - 1 - have);

			if (n <= 0) {
				close(conn);
				conn = -1;
				have = 0;
				continue;
			}
			have += (size_t)n;
			in[have] = '\0';
			if (strstr(in, "\"quit\"")) {
				stamp("quit");
				send(conn, "{\"return\": {}}\r\n", 16, MSG_NOSIGNAL);
				stamp_end();
				exit(0);
			}
			if (have == sizeof(in) - 1)
				have = 0;
		}
	}
}

static double
spawn_once(const char *cmd)
{
	char out[128];
	int fds[2], status;
	ssize_t n, have = 0;
	double t0;
	pid_t pid;

	if (pipe(fds) < 0)
		die("pipe: %s", strerror(errno));
	t0 = now();
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	while ((n = read(fds[0], out + have, sizeof(out) - 1 - (size_t)have)) > 0)
		have += n;
	close(fds[0]);
	waitpid(pid, &status, 0);
	out[have] = '\0';
	return strtod(out, NULL) - t0;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int
spawn_cost(int n, const char *cmd)
{
	double *t = calloc((size_t)n, sizeof(double));
	int i;

	if (!t || n < 1)
		die("--spawn-cost: bad count");
	for (i = 0; i < n; i++)
		t[i] = spawn_once(cmd);
	qsort(t, (size_t)n, sizeof(double), cmp_double);
	printf("median %.6f max %.6f\n", t[n / 2], t[n - 1]);
	return 0;
}

int
main(int argc, char **argv)
{
	const char *verdict = "okay", *qmp_spec = NULL;
	unsigned long long flood_bytes = 0, long_bytes = 0;
	long culprit = 0;
	int serve_qmp = 1, exit_after = 0, qmp = -1, sfd, i;
	struct termios t;
	sigset_t sigs;
	char line[128], clock[64];
	const char *word;

	if (getenv("HALVE_COMMIT"))
		commit = getenv("HALVE_COMMIT");
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--stamps") && i + 1 < argc)
			stamps_path = argv[++i];
		else if (!strcmp(a, "--verdict") && i + 1 < argc)
			verdict = argv[++i];
		else if (!strcmp(a, "--culprit") && i + 1 < argc)
			culprit = atol(argv[++i]);
		else if (!strcmp(a, "--flood") && i + 1 < argc)
			flood_bytes = strtoull(argv[++i], NULL, 10);
		else if (!strcmp(a, "--longline") && i + 1 < argc)
			long_bytes = strtoull(argv[++i], NULL, 10);
		else if (!strcmp(a, "--no-qmp"))
			serve_qmp = 0;
		else if (!strcmp(a, "--exit"))
			exit_after = 1;
		else if (!strcmp(a, "--stamp") && i + 2 < argc) {
			stamps_path = argv[i + 1];
			stamp(argv[i + 2]);
			return 0;
		} else if (!strcmp(a, "--spawn-cost") && i + 2 < argc)
			return spawn_cost(atoi(argv[i + 1]), argv[i + 2]);
		else if (!strcmp(a, "-qmp") && i + 1 < argc)
			qmp_spec = argv[++i];
		/* the rest of halve's wiring means nothing here */
	}

	/* qemu's stdio chardev: raw, so the guest's bytes pass unchanged */
	if (tcgetattr(0, &t) == 0) {
		cfmakeraw(&t);
		tcsetattr(0, TCSANOW, &t);
	}
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGHUP);
	sigprocmask(SIG_BLOCK, &sigs, NULL);
	sfd = signalfd(-1, &sigs, SFD_CLOEXEC);
	if (sfd < 0)
		die("signalfd: %s", strerror(errno));
	if (serve_qmp && qmp_spec)
		qmp = listen_qmp(qmp_spec);

	word = verdict_word(verdict);
	if (culprit > 0)
		word = atol(verdict_word("@index")) >= culprit ? "failed" : "okay";
	stamp("start");
	if (flood_bytes)
		flood(flood_bytes);
	if (long_bytes)
		longline(long_bytes);
	fmt_clock(clock, sizeof(clock));
	snprintf(line, sizeof(line), "%sstand-in: decided at %s\r\nRESULT: %s\r\n",
		 long_bytes ? "\r\n" : "", clock,
		 !strcmp(word, "okay") ? "OKAY" : "FAILED");
	stamp_text("decide", clock);
	write_all(1, line, strlen(line));
	stamp("written");
	if (exit_after) {
		stamp_end();
		return 0;
	}
	wait_to_be_stopped(qmp, sfd);
}
