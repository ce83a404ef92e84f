/*
 * rigint.h: what rig.c (checks, make, install) shares with rigtext.c (the
 * texts the rig is made of: the pipeline config, the guest's /init, the
 * initramfs list, the kernel options the guest needs). Not for faces.
 */
#ifndef HALVE_RIGINT_H
#define HALVE_RIGINT_H

#include "rig.h"

/* Everything setup decided, before anything is written. */
struct rig_plan {
	const struct hv_rig_opts *o;
	char *src;		/* the kernel work tree, no trailing '/' */
	char *halve_dir;	/* <common dir>/halve */
	char *dir;		/* halve_dir/rig: paths in the texts are these */
	char *build;		/* dir/build */
	char *tmp;		/* halve_dir/rig.new.XXXXXX, while making */
	char *make, *cc, *ccache, *busybox, *qemu;	/* paths; ccache NULL:
							 * none or --no-ccache */
	int llvm;		/* clang without gcc: make LLVM=1 */
	char *test;		/* absolute; NULL: boot only */
	char *image;		/* absolute (--rootfs IMAGE) */
	const char *image_format;	/* qcow2 or raw */
	char *config_file;	/* absolute (--config FILE) */
	char *base_config;	/* --localmodconfig's starting point */
	int kvm;		/* KVM really works */
	char *kvm_why;		/* why not */
	int cpus, jobs, smp;
	unsigned mem_mb;
	/* --distcc, --icecc (rigdist.c): the distributed build, and its
	 * local twin ([build] local) built with local_jobs */
	char *dist;		/* distcc's or icecc's path; NULL: local only */
	const char *dist_name;	/* "distcc", "icecc" */
	char *pump;		/* distcc-pump's path in pump mode, else NULL */
	char *dist_why;		/* the mode and -j, and why: the config says */
	int local_jobs;
};

/* --distcc or --icecc checked (the tool, its hosts or daemon), the mode
 * and -j chosen into p; 0 when neither is asked for. */
int rig_check_distributed(struct rig_plan *p, struct hv_error *err);

/* The value KBUILD_BUILD_TIMESTAMP is pinned to (date(1) parses it). */
#define RIG_TIMESTAMP "2000-01-01 00:00:00 UTC"

/* make's variables for the compiler ("CC=ccache gcc", "LLVM=1"), of
 * the distributed build when dist and the rig has one: appended to argv
 * as separate words. */
void rig_make_vars(const struct rig_plan *p, int dist, char **argv,
		   size_t *argc);

/* The pipeline config written to rig/config. */
void rig_config_text(const struct rig_plan *p, struct strbuf *sb);
/* The guest's /init (busybox, image) or init= script (host). */
void rig_init_text(const struct rig_plan *p, struct strbuf *sb);
/* gen_init_cpio's list for CONFIG_INITRAMFS_SOURCE; empty for host. */
void rig_initramfs_list(const struct rig_plan *p, struct strbuf *sb);

/* The kernel options the guest needs built in, for this rootfs. */
struct rig_option {
	const char *name;	/* without CONFIG_ */
	int checked;		/* must read =y afterwards, or no boot */
};
size_t rig_options(const struct rig_plan *p, const struct rig_option **out,
		   size_t max);

/* Where the initramfs list goes (final path, malloc'd). */
char *rig_list_path(const struct rig_plan *p);

#endif
