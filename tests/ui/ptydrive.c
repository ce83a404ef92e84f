/*
 * ptydrive.c: runs a program on a fresh pseudo terminal, as a terminal
 * emulator would: everything the program writes goes through libvterm, and
 * when it exits, the emulated screen can be written out as text. The UI
 * tests run `halve --script` under it, so the workstation draws on a real
 * pty (real terminfo, real SIGWINCH when the script resizes), and the
 * final screen the terminal shows can be compared with the last dump the
 * workstation took of its own idea of the screen.
 *
 *   ptydrive [-s COLSxROWS] [-o SCREEN] [-t TERM] [-T LOG] [-E ERR]
 *            [-a SECONDS] [-k KEYS] -- CMD [ARG...]
 *
 * With -E, the program's stderr goes to ERR instead of the terminal, so
 * that a test can read its error messages apart from the screen.
 * With -T, every window title, icon name and bell the program makes the
 * terminal see is logged to LOG: a program that draws untrusted text
 * must leave it empty.
 *
 * With -k, bytes written to the FIFO KEYS are typed into the terminal, as
 * a person at the keyboard would: a script's `sh printf q > KEYS` reaches
 * the program through the pty and its real key handling, not the
 * script's shortcut.
 *
 * Exits with CMD's status (128 + signal when killed). It must not sleep:
 * it reads until the program closes the terminal; a guard alarm (60 s,
 * -a SECONDS) only keeps a hung program from hanging make check.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#ifdef HAVE_PTY_H
#include <pty.h>
#endif
#ifdef HAVE_UTIL_H
#include <util.h>
#endif

#include <vterm.h>

static int master = -1;
static FILE *termlog;

static int
on_termprop(VTermProp prop, VTermValue *val, void *user)
{
	if (termlog && (prop == VTERM_PROP_TITLE || prop == VTERM_PROP_ICONNAME))
		fprintf(termlog, "%s %s\n", prop == VTERM_PROP_TITLE ? "title"
					   : "iconname",
			val->string ? val->string : "");
	return 1;
}

static int
on_bell(void *user)
{
	if (termlog)
		fprintf(termlog, "bell\n");
	return 1;
}

static const VTermScreenCallbacks screen_cbs = {
	.settermprop = on_termprop,
	.bell = on_bell,
};

static void
write_back(const char *s, size_t len, void *user)
{
	/* to the program: the terminal's answers (device attributes...)
	 * and the keys typed through -k */
	while (len) {
		ssize_t n = write(master, s, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		s += n;
		len -= (size_t)n;
	}
}

static void
dump_screen(VTerm *vt, const char *path)
{
	VTermScreen *screen = vterm_obtain_screen(vt);
	FILE *f = fopen(path, "w");
	int rows, cols, r, c;

	if (!f) {
		perror(path);
		return;
	}
	vterm_get_size(vt, &rows, &cols);
	for (r = 0; r < rows; r++) {
		char line[8192];
		size_t len = 0;

		for (c = 0; c < cols && len + 8 < sizeof(line); c++) {
			VTermScreenCell cell;
			VTermPos pos = { r, c };
			uint32_t ch;
			int k;

			vterm_screen_get_cell(screen, pos, &cell);
			for (k = 0; k < VTERM_MAX_CHARS_PER_CELL && cell.chars[k];
			     k++) {
				ch = cell.chars[k];
				if (ch < 0x80) {
					line[len++] = (char)ch;
				} else if (ch < 0x800) {
					line[len++] = (char)(0xc0 | (ch >> 6));
					line[len++] = (char)(0x80 | (ch & 0x3f));
				} else if (ch < 0x10000) {
					line[len++] = (char)(0xe0 | (ch >> 12));
					line[len++] = (char)(0x80 | ((ch >> 6) & 0x3f));
					line[len++] = (char)(0x80 | (ch & 0x3f));
				} else {
					line[len++] = (char)(0xf0 | (ch >> 18));
					line[len++] = (char)(0x80 | ((ch >> 12) & 0x3f));
					line[len++] = (char)(0x80 | ((ch >> 6) & 0x3f));
					line[len++] = (char)(0x80 | (ch & 0x3f));
				}
			}
			if (!cell.chars[0])
				line[len++] = ' ';
			if (cell.width == 2)
				c++;
		}
		while (len && line[len - 1] == ' ')
			len--;
		fwrite(line, 1, len, f);
		fputc('\n', f);
	}
	fclose(f);
}

static void
on_alarm(int sig)
{
	static const char msg[] = "ptydrive: the program hung; killed\n";

	(void)sig;
	if (write(2, msg, sizeof(msg) - 1) < 0)
		_exit(124);
	_exit(124);
}

int
main(int argc, char **argv)
{
	const char *screen_out = NULL, *term = "xterm-256color", *errfile = NULL;
	struct winsize ws = { 24, 80, 0, 0 };
	unsigned guard = 60;
	int keys = -1;
	VTerm *vt;
	pid_t pid;
	int i, status, cols, rows;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		}
		if (!strcmp(argv[i], "-s") && i + 1 < argc &&
		    sscanf(argv[i + 1], "%dx%d", &cols, &rows) == 2) {
			ws.ws_col = (unsigned short)cols;
			ws.ws_row = (unsigned short)rows;
			i++;
		} else if (!strcmp(argv[i], "-o") && i + 1 < argc) {
			screen_out = argv[++i];
		} else if (!strcmp(argv[i], "-t") && i + 1 < argc) {
			term = argv[++i];
		} else if (!strcmp(argv[i], "-a") && i + 1 < argc) {
			guard = (unsigned)atoi(argv[++i]);
		} else if (!strcmp(argv[i], "-k") && i + 1 < argc) {
			/* read-write: no end of file when a writer closes */
			keys = open(argv[++i], O_RDWR | O_NONBLOCK | O_CLOEXEC);
			if (keys < 0) {
				perror(argv[i]);
				return 2;
			}
		} else if (!strcmp(argv[i], "-E") && i + 1 < argc) {
			errfile = argv[++i];
		} else if (!strcmp(argv[i], "-T") && i + 1 < argc) {
			termlog = fopen(argv[++i], "w");
			if (!termlog) {
				perror(argv[i]);
				return 2;
			}
		} else {
			fprintf(stderr, "usage: ptydrive [-s COLSxROWS] [-o SCREEN] "
				"[-t TERM] [-T LOG] [-E ERR] [-a SECONDS] [-k KEYS] "
				"-- CMD [ARG...]\n");
			return 2;
		}
	}
	if (i >= argc) {
		fprintf(stderr, "ptydrive: no command\n");
		return 2;
	}
	pid = forkpty(&master, NULL, NULL, &ws);
	if (pid < 0) {
		perror("forkpty");
		return 2;
	}
	if (pid == 0) {
		setenv("TERM", term, 1);
		if (errfile) {
			int fd = open(errfile, O_WRONLY | O_CREAT | O_TRUNC, 0644);

			if (fd < 0 || dup2(fd, 2) < 0)
				_exit(127);
			close(fd);
		}
		execvp(argv[i], argv + i);
		fprintf(stderr, "ptydrive: %s: %s\n", argv[i], strerror(errno));
		_exit(127);
	}
	signal(SIGALRM, on_alarm);
	alarm(guard);
	vt = vterm_new(ws.ws_row, ws.ws_col);
	vterm_set_utf8(vt, 1);
	vterm_screen_set_callbacks(vterm_obtain_screen(vt), &screen_cbs, NULL);
	vterm_screen_reset(vterm_obtain_screen(vt), 1);
	vterm_output_set_callback(vt, write_back, NULL);
	for (;;) {
		char buf[65536];
		struct pollfd pfd[2] = { { master, POLLIN, 0 }, { keys, POLLIN, 0 } };
		ssize_t n;
		struct winsize now;

		if (poll(pfd, keys >= 0 ? 2 : 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (keys >= 0 && (pfd[1].revents & POLLIN)) {
			n = read(keys, buf, sizeof(buf));
			if (n > 0)
				write_back((const char *)buf, (size_t)n, NULL);
		}
		if (!(pfd[0].revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		n = read(master, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;	/* EIO: the program closed the terminal */
		/* the program may have resized its terminal (a script's
		 * resize): follow before parsing what it drew for the size */
		if (ioctl(master, TIOCGWINSZ, &now) == 0 &&
		    (now.ws_row != ws.ws_row || now.ws_col != ws.ws_col)) {
			ws = now;
			vterm_set_size(vt, ws.ws_row, ws.ws_col);
		}
		vterm_input_write(vt, buf, (size_t)n);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (screen_out)
		dump_screen(vt, screen_out);
	vterm_free(vt);
	if (termlog)
		fclose(termlog);
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}
