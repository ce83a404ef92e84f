/*
 * qemu.c: assembling the qemu command line and talking QMP (qemu.h).
 *
 * The wiring was tried with qemu 7.2 on a forkpty pty: serial and monitor
 * share the pty through a mux chardev, so Ctrl-a c flips between them as
 * in a terminal; signal=off keeps Ctrl-c for the guest.
 *
 * The private directory is named after the halve that made it
 * (halve-qemu.<pid>.XXXXXX), so that the next pipeline can tell the
 * directories of a halve killed outright from those of one still running.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "qemu.h"

#define DIR_PREFIX "halve-qemu."

static const char *
tmp_root(void)
{
	const char *tmp = getenv("TMPDIR");

	return tmp && *tmp ? tmp : "/tmp";
}

int
hv_qemu_prepare(const struct hv_config *cfg, struct hv_qemu *q,
		struct hv_error *err)
{
	static const char *const wiring[] = {
		"-display", "none", "-no-reboot",
		"-chardev", "stdio,id=con,mux=on,signal=off",
		"-serial", "chardev:con",
		"-mon", "chardev=con,mode=readline",
		"-qmp", NULL,	/* filled with the socket */
	};
	size_t k = 0, i;
	const char *c;

	memset(q, 0, sizeof(*q));
	q->qmp_fd = -1;
	if (!cfg->boot.qemu)
		return hv_error_set(err, "%s: [boot] qemu is not set",
				    cfg->name ? cfg->name : "config");
	if (hv_split_argv(cfg->boot.qemu, &q->words, NULL) < 0)
		q->words = NULL;	/* shell syntax: fine, sh runs it */
	for (c = cfg->boot.qemu; *c == ' ' || *c == '\t'; c++)
		;
	q->prog = xstrndup(c, strcspn(c, " \t\n"));
	q->dir = xasprintf("%s/" DIR_PREFIX "%ld.XXXXXX", tmp_root(),
			   (long)getpid());
	if (!mkdtemp(q->dir)) {
		hv_error_set(err, "%s: %s", q->dir, strerror(errno));
		free(q->dir);
		q->dir = NULL;
		hv_qemu_release(q);
		return -1;
	}
	q->qmp_path = xasprintf("%s/qmp.sock", q->dir);
	q->argv = xcalloc(4 + HV_ARRAY_SIZE(wiring) + 1, sizeof(char *));
	q->argv[k++] = xstrdup("/bin/sh");
	q->argv[k++] = xstrdup("-c");
	q->argv[k++] = xasprintf("exec %s \"$@\"", cfg->boot.qemu);
	q->argv[k++] = xstrdup(q->prog);	/* $0 */
	for (i = 0; i < HV_ARRAY_SIZE(wiring); i++)
		q->argv[k++] = wiring[i] ? xstrdup(wiring[i])
					 : xasprintf("unix:%s,server=on,wait=off",
						     q->qmp_path);
	q->argv[k] = NULL;
	return 0;
}

void
hv_qemu_release(struct hv_qemu *q)
{
	hv_argv_free(q->argv);
	hv_argv_free(q->words);
	free(q->prog);
	if (q->qmp_fd >= 0)
		close(q->qmp_fd);
	if (q->dir)
		hv_remove_tree(q->dir);
	free(q->dir);
	free(q->qmp_path);
	memset(q, 0, sizeof(*q));
	q->qmp_fd = -1;
}

char *
hv_qemu_missing_file(const struct hv_qemu *q, const char *cwd)
{
	size_t i;

	for (i = 0; q->words && q->words[i] && q->words[i + 1]; i++) {
		const char *f;
		char *path;

		if (strcmp(q->words[i], "-kernel") && strcmp(q->words[i], "-initrd"))
			continue;
		f = q->words[i + 1];
		path = f[0] == '/' || !cwd ? xstrdup(f) : xasprintf("%s%s", cwd, f);
		if (!hv_file_exists(path)) {
			free(path);
			return xstrdup(f);
		}
		free(path);
	}
	return NULL;
}

int
hv_qemu_quit(struct hv_qemu *q)
{
	static const char msg[] = "{\"execute\":\"qmp_capabilities\"}\r\n"
				  "{\"execute\":\"quit\"}\r\n";
	struct sockaddr_un sa;
	int fd, rc = -1;

	if (q->qmp_fd >= 0)
		return 0;	/* asked already */
	if (!q->qmp_path || strlen(q->qmp_path) >= sizeof(sa.sun_path))
		return -1;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	strcpy(sa.sun_path, q->qmp_path);
	/* a local socket connects at once or not at all */
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
	    send(fd, msg, sizeof(msg) - 1, MSG_NOSIGNAL) == (ssize_t)sizeof(msg) - 1)
		rc = 0;
	if (rc == 0)
		q->qmp_fd = fd;
	else
		close(fd);
	return rc;
}

/* The pid in "halve-qemu.<pid>.XXXXXX", or 0 when name is not such. */
static long
dir_owner(const char *name)
{
	const char *p = name + strlen(DIR_PREFIX);
	char *end;
	long pid;

	if (strncmp(name, DIR_PREFIX, strlen(DIR_PREFIX)) || *p < '1' || *p > '9')
		return 0;
	pid = strtol(p, &end, 10);
	return *end == '.' && strlen(end + 1) == 6 ? pid : 0;
}

void
hv_qemu_clean_stale(void)
{
	DIR *d = opendir(tmp_root());
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d))) {
		long pid = dir_owner(de->d_name);
		struct stat st;
		char *path;

		if (!pid || pid == (long)getpid() ||
		    kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;	/* not ours to judge, or its halve lives */
		path = xasprintf("%s/%s", tmp_root(), de->d_name);
		if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode) &&
		    st.st_uid == geteuid())
			hv_remove_tree(path);
		free(path);
	}
	closedir(d);
}
