/*
 * doctor.h: `halve doctor`, what this machine offers the kernel rig
 * (`halve setup kernel`) and what is missing, each item with the Debian
 * package that provides it. The checks are tried (KVM creates a VM, the
 * busybox is read to see it is static), not guessed from file names.
 *
 * This module only looks; it writes nothing and prints nothing.
 */
#ifndef HALVE_DOCTOR_H
#define HALVE_DOCTOR_H

#include <stddef.h>

enum hv_doctor_state {
	HV_DOCTOR_OK,
	HV_DOCTOR_MISSING,	/* the rig cannot run without it */
	HV_DOCTOR_LACKING,	/* optional: the rig runs, slower or with less */
};

struct hv_doctor_item {
	const char *name;	/* "qemu", "kvm", "busybox", ... */
	enum hv_doctor_state state;
	char *detail;		/* a path, a figure or why not (owned) */
	const char *package;	/* the Debian package; "-" for none */
	const char *needed_for;	/* what it gives the rig */
};

struct hv_doctor {
	struct hv_doctor_item *items;
	size_t n;
	int can_run;		/* nothing HV_DOCTOR_MISSING */
};

/* Looks at the machine, and at the disk where the rig of the repository
 * holding cwd would keep its build (cwd itself outside a repository). */
void hv_doctor_run(const char *cwd, struct hv_doctor *d);
void hv_doctor_release(struct hv_doctor *d);
const char *hv_doctor_state_name(enum hv_doctor_state state);

#endif
