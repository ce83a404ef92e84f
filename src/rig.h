/*
 * rig.h: `halve setup kernel`, the rig that builds, boots and tests a
 * Linux tree in qemu: a pipeline config, an out-of-tree build directory
 * with a .config that boots in qemu with nothing but built-ins, and the
 * guest's userspace, all under <common git dir>/halve/rig/.
 *
 * The rig lives beside the session, not in it: `halve reset` removes the
 * session's files (.git/halve/config among them) but never rig/, so the
 * build directory's objects and the config outlive any bisection;
 * `halve start` copies rig/config into the session when no --config is
 * given, before the user's $XDG_CONFIG_HOME/halve/config.
 *
 * Nothing is written until every input has been checked; a step that
 * fails after that (make, a .config that drops an option the guest needs)
 * removes what it wrote. Nothing here prints.
 */
#ifndef HALVE_RIG_H
#define HALVE_RIG_H

#include <stddef.h>

#include "util.h"

struct hv_session;

/* Where the .config comes from. */
enum hv_rig_source {
	HV_RIG_DEFCONFIG,	/* make defconfig (the default) */
	HV_RIG_TINYCONFIG,
	HV_RIG_LOCALMODCONFIG,	/* the running kernel's config, trimmed */
	HV_RIG_CONFIG_FILE,	/* --config FILE, completed by olddefconfig */
};

/* What the guest runs its test on. */
enum hv_rig_rootfs {
	HV_ROOTFS_BUSYBOX,	/* an initramfs of busybox-static (default) */
	HV_ROOTFS_HOST,		/* the host's / over 9p, read-only, overlaid */
	HV_ROOTFS_IMAGE,	/* a disk image of the user's */
};

struct hv_rig_opts {
	char *test;		/* --test SCRIPT (owned); NULL: boot only */
	enum hv_rig_source source;
	char *config_file;	/* --config FILE (owned) */
	enum hv_rig_rootfs rootfs;
	char *image;		/* --rootfs IMAGE (owned) */
	int jobs;		/* --jobs N; 0: one per CPU online */
	int no_ccache;		/* --no-ccache */
	char *distcc_hosts;	/* --distcc HOSTS (owned), DISTCC_HOSTS's
				 * syntax; NULL: not through distcc */
	int icecc;		/* --icecc: through the icecream daemon */
	/* told what a long step is doing ("make tinyconfig"); may be NULL */
	void (*progress)(void *arg, const char *what);
	void *progress_arg;
};

/*
 * Parses `kernel [options]` (the words after `setup`) into *o. -1 with
 * err "setup: ...: why" for anything else; o is then released.
 */
int hv_rig_opts_parse(char **argv, size_t argc, struct hv_rig_opts *o,
		      struct hv_error *err);
void hv_rig_opts_release(struct hv_rig_opts *o);

/* A rig made: its paths, and the config's text (all owned). */
struct hv_rig {
	char *dir;		/* <common dir>/halve/rig */
	char *config_path;	/* dir/config */
	char *config_text;
	char *build_dir;	/* dir/build, make O= */
};

/*
 * Makes the rig for the Linux work tree that holds cwd (see the top of
 * this file), replacing an earlier one only once the new one is whole.
 * Returns 0, or -1 with err "setup: what: why" and nothing written.
 */
int hv_rig_setup(const char *cwd, const struct hv_rig_opts *o,
		 struct hv_rig *rig, struct hv_error *err);
void hv_rig_release(struct hv_rig *rig);

/* The rig's config for the session's repository, when there is one
 * (path malloc'd), else NULL. */
char *hv_rig_config(struct hv_session *s);

/* Where the rig of the repository holding cwd is or would be (malloc'd),
 * or NULL outside a work tree. */
char *hv_rig_dir(const char *cwd);

#endif
