/*
 * ptycat.c: the reference for bench/console-throughput.sh: what this
 * machine can move through a pty into a file when nothing else is done
 * with the bytes. It runs a command on a fresh pty (forkpty, as halve's
 * jobs do) and copies everything the pty gives into a file with the same
 * read size as halve's loop (64 KiB, one read per poll), until the
 * terminal's end of file. A bench tool, never part of halve.
 *
 * It prints "bytes B reads R end T cpu C": bytes copied, reads that
 * returned data, the clock (CLOCK_REALTIME seconds) when the last byte
 * was in the file, and its own user+system seconds.
 *
 * usage: ptycat OUTFILE CMD [ARG...]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define READ_MAX (64 * 1024)	/* HV_LOOP_READ_MAX_DEFAULT */

int
main(int argc, char **argv)
{
	static char buf[READ_MAX];
	unsigned long long bytes = 0, reads = 0;
	struct timespec end;
	struct rusage ru;
	int master, out, status;
	pid_t pid;

	if (argc < 3) {
		fprintf(stderr, "usage: ptycat OUTFILE CMD [ARG...]\n");
		return 2;
	}
	out = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);
	if (out < 0) {
		fprintf(stderr, "ptycat: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	pid = forkpty(&master, NULL, NULL, NULL);
	if (pid < 0) {
		fprintf(stderr, "ptycat: forkpty: %s\n", strerror(errno));
		return 1;
	}
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		fprintf(stderr, "ptycat: %s: %s\n", argv[2], strerror(errno));
		_exit(127);
	}
	fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK);
	for (;;) {
		struct pollfd p = { master, POLLIN, 0 };
		ssize_t n;

		if (poll(&p, 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		n = read(master, buf, sizeof(buf));
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n <= 0)
			break;	/* EIO: nobody holds the terminal any more */
		reads++;
		bytes += (unsigned long long)n;
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(out, buf + off, (size_t)(n - off));

			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0) {
				fprintf(stderr, "ptycat: %s: %s\n", argv[1],
					strerror(errno));
				return 1;
			}
			off += w;
		}
		clock_gettime(CLOCK_REALTIME, &end);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	getrusage(RUSAGE_SELF, &ru);
	printf("bytes %llu reads %llu end %lld.%09ld cpu %.6f\n", bytes, reads,
	       (long long)end.tv_sec, end.tv_nsec,
	       ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	       ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6);
	return 0;
}
