/*
 * qemu.h: the qemu side of a boot: the user's machine from [boot] qemu,
 * plus the wiring halve appends itself (serial console and HMP monitor
 * muxed on the job's pty, a QMP socket in a private directory, no display,
 * no reboot), and the polite way to stop it (QMP quit).
 */
#ifndef HALVE_QEMU_H
#define HALVE_QEMU_H

#include "conf.h"
#include "util.h"

struct hv_qemu {
	char **argv;		/* NULL-terminated, for hv_job_start() */
	char **words;		/* [boot] qemu split as the shell would, or
				 * NULL when it needs a real shell */
	char *prog;		/* its first word: how qemu names itself */
	char *dir;		/* private (0700) directory, removed on release */
	char *qmp_path;		/* dir/qmp.sock */
	int qmp_fd;		/* kept open until release: qemu reads it late */
};

/*
 * The command line: [boot] qemu run by /bin/sh -c (so $(...), variables
 * and quotes work as in the build command) with the wiring appended as
 * "$@".
 */
int hv_qemu_prepare(const struct hv_config *cfg, struct hv_qemu *q,
		    struct hv_error *err);
void hv_qemu_release(struct hv_qemu *q);

/*
 * The files the machine needs that the build should have made
 * (-kernel, -initrd): the first one missing under cwd, malloc'd, or NULL.
 */
char *hv_qemu_missing_file(const struct hv_qemu *q, const char *cwd);

/*
 * Removes the private directories (and their sockets) that a halve
 * killed outright left in $TMPDIR: those whose halve is no longer
 * running. Another running halve's are left alone.
 */
void hv_qemu_clean_stale(void);

/* Asks qemu to quit over QMP. Returns -1 when the socket is not there. */
int hv_qemu_quit(struct hv_qemu *q);

#endif
