/*
 * demo.h: the repository behind `halve demo`, the seed story in miniature.
 *
 * hv_demo_create() writes, with libgit2 alone, a history shaped like the
 * kernel's around the story's bug: a mainline of 40 commits into which six
 * topic branches (3 to 8 commits each) are merged; one commit on the
 * "audit" topic brings in the bug, and a mainline merge brings the topic
 * in. Every commit holds a tiny guest test (docker-test.c), a busybox
 * init, a build.sh that makes initrd.img from them, and a halve.conf
 * that boots the result under qemu and reads RESULT: OKAY or RESULT:
 * FAILED on the serial console. Two commits do not build, so that a run
 * meets a skip. Dates and identities are fixed: the same commits, with
 * the same ids, on every machine (the config's kernel path aside).
 *
 * This module only writes a repository. It does not build, boot, bisect
 * or print; the `halve demo` face does those with the session.
 */
#ifndef HALVE_DEMO_H
#define HALVE_DEMO_H

#include <stddef.h>

#include "dag.h"
#include "util.h"

struct hv_demo {
	char *dir;		/* the work tree, absolute (owned) */
	char *config;		/* DIR/halve.conf, absolute (owned) */
	char *kernel;		/* the kernel halve.conf boots (owned); NULL
				 * when none was found: the config then names
				 * /boot/vmlinuz and says so in a comment */
	int kvm;		/* 1: halve.conf says accel=kvm:tcg; 0: KVM is
				 * missing or unfit here (see demo.c), so it
				 * says accel=tcg and every boot is emulated */
	struct hv_oid good;	/* tag v1: a mainline commit before the topics */
	struct hv_oid bad;	/* tag v2, branch main's tip; checked out */
	struct hv_oid culprit;	/* the first bad commit, on topic "audit" */
	struct hv_oid merge;	/* the mainline merge whose second parent
				 * brings the culprit in: what a first-parent
				 * bisection of v1..v2 ends on */
	struct hv_oid *unbuildable;	/* commits whose build fails (owned) */
	size_t nunbuildable;
};

/*
 * Creates the demo repository in dir (made if missing; it must be empty),
 * with branch main checked out at the bad tip and the topic branches
 * kept as branches. The kernel is $HALVE_KERNEL when set, else the
 * highest-versioned /boot/vmlinuz-*. The accelerator is kvm:tcg when
 * /dev/kvm can run qemu's default CPU model, else tcg. Fills *out (release it with
 * hv_demo_release) and returns 0, or returns -1 with err set and *out
 * untouched (dir may hold a partial repository).
 */
int hv_demo_create(const char *dir, struct hv_demo *out, struct hv_error *err);
void hv_demo_release(struct hv_demo *demo);

#endif
