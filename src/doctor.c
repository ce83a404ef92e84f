/*
 * doctor.c: the checks of `halve doctor` (see doctor.h), one function a
 * line of the report, in the order a user fixes things: what boots the
 * guest, what builds the kernel, what makes steps cheaper, the disk.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doctor.h"
#include "host.h"
#include "rig.h"

/* A build directory with less room than this cannot hold a defconfig. */
#define DISK_NEEDED ((uint64_t)1 << 30)
#define DISK_WANTED ((uint64_t)8 << 30)

static struct hv_doctor_item *
add(struct hv_doctor *d, const char *name, const char *package,
    const char *needed_for)
{
	struct hv_doctor_item *it;

	d->items = xreallocarray(d->items, d->n + 1, sizeof(*d->items));
	it = &d->items[d->n++];
	memset(it, 0, sizeof(*it));
	it->name = name;
	it->package = package;
	it->needed_for = needed_for;
	return it;
}

/* A program on PATH; absent is `absent` (missing or lacking). */
static void
program(struct hv_doctor *d, const char *name, const char *prog,
	const char *package, enum hv_doctor_state absent,
	const char *needed_for)
{
	struct hv_doctor_item *it = add(d, name, package, needed_for);
	char *path = hv_host_which(prog);

	it->state = path ? HV_DOCTOR_OK : absent;
	it->detail = path ? path : xasprintf("no %s on PATH", prog);
}

static void
check_kvm(struct hv_doctor *d)
{
	struct hv_doctor_item *it = add(d, "kvm", "qemu-system-x86",
					"guests at native speed (else TCG)");
	struct hv_error why = { 0 };
	char *qemu = hv_host_which("qemu-system-x86_64");
	int usable = hv_host_kvm(qemu, &why);

	free(qemu);
	if (usable) {
		it->state = HV_DOCTOR_OK;
		it->detail = xstrdup("/dev/kvm: qemu ran a guest under KVM");
		return;
	}
	it->state = HV_DOCTOR_LACKING;
	it->detail = xasprintf("%s: guests run under TCG, several times "
			       "slower", why.msg);
	hv_error_clear(&why);
}

static void
check_busybox(struct hv_doctor *d)
{
	struct hv_doctor_item *it = add(d, "busybox", "busybox-static",
					"the guest's userspace (--rootfs busybox)");
	char *path = hv_host_which("busybox");

	if (!path) {
		it->state = HV_DOCTOR_MISSING;
		it->detail = xstrdup("no busybox on PATH");
	} else if (hv_host_elf_static(path) != 1) {
		it->state = HV_DOCTOR_MISSING;
		it->detail = xasprintf("%s: not a static x86-64 binary", path);
		free(path);
	} else {
		it->state = HV_DOCTOR_OK;
		it->detail = path;
	}
}

static void
check_compiler(struct hv_doctor *d)
{
	struct hv_doctor_item *it = add(d, "compiler", "gcc",
					"building the kernel");
	char *path = hv_host_which("gcc");

	if (!path)
		path = hv_host_which("clang");
	it->state = path ? HV_DOCTOR_OK : HV_DOCTOR_MISSING;
	it->detail = path ? path : xstrdup("no gcc or clang on PATH");
}

static void
header(struct hv_doctor *d, const char *name, const char *path,
       const char *package, enum hv_doctor_state absent,
       const char *needed_for)
{
	struct hv_doctor_item *it = add(d, name, package, needed_for);

	it->state = hv_file_exists(path) ? HV_DOCTOR_OK : absent;
	it->detail = xasprintf("%s%s", path, it->state ? ": not there" : "");
}

/* distcc's hosts as distcc reads them: $DISTCC_HOSTS, then the files. */
static char *
distcc_hosts(void)
{
	const char *env = getenv("DISTCC_HOSTS"), *home = getenv("HOME");
	char *files[2], *hosts = NULL;
	size_t i;

	if (env && *env)
		return xstrdup(env);
	files[0] = home ? xasprintf("%s/.distcc/hosts", home) : NULL;
	files[1] = xstrdup("/etc/distcc/hosts");
	for (i = 0; i < 2 && !hosts; i++) {
		struct strbuf sb = STRBUF_INIT;

		if (files[i] && hv_read_file(files[i], &sb) == 0 && sb.len) {
			sb_rtrim(&sb);
			hosts = xasprintf("%s: %s", files[i], sb.buf);
		}
		sb_release(&sb);
	}
	free(files[0]);
	free(files[1]);
	return hosts;
}

static void
check_distributed(struct hv_doctor *d)
{
	struct hv_doctor_item *it;
	char *hosts;

	program(d, "distcc", "distcc", "distcc", HV_DOCTOR_LACKING,
		"builds on other machines (--distcc HOSTS)");
	it = &d->items[d->n - 1];
	if (it->state == HV_DOCTOR_OK) {
		hosts = distcc_hosts();
		free(it->detail);
		it->detail = hosts ? xasprintf("hosts %s", hosts)
				   : xstrdup("no hosts configured "
					     "($DISTCC_HOSTS, ~/.distcc/hosts)");
		free(hosts);
	}
	program(d, "icecc", "icecc", "icecc", HV_DOCTOR_LACKING,
		"builds on an icecream cluster (--icecc)");
}

static void
check_disk(struct hv_doctor *d, const char *cwd)
{
	struct hv_doctor_item *it = add(d, "disk", "-",
					"the build directory (make O=)");
	char *dir = hv_rig_dir(cwd);
	const char *where = dir ? dir : cwd;
	uint64_t free_bytes;

	if (hv_host_free_bytes(where, &free_bytes) < 0) {
		it->state = HV_DOCTOR_MISSING;
		it->detail = xasprintf("%s: cannot tell the free space", where);
	} else {
		it->state = free_bytes < DISK_NEEDED ? HV_DOCTOR_MISSING
			    : free_bytes < DISK_WANTED ? HV_DOCTOR_LACKING
			    : HV_DOCTOR_OK;
		it->detail = xasprintf("%.1f GiB free for %s%s",
				       (double)free_bytes / (1 << 30), where,
				       it->state ? " (a defconfig build "
				       "takes about 3 GiB)" : "");
	}
	free(dir);
}

void
hv_doctor_run(const char *cwd, struct hv_doctor *d)
{
	size_t i;

	memset(d, 0, sizeof(*d));
	program(d, "qemu", "qemu-system-x86_64", "qemu-system-x86",
		HV_DOCTOR_MISSING, "booting the guest");
	check_kvm(d);
	check_busybox(d);
	check_compiler(d);
	program(d, "make", "make", "make", HV_DOCTOR_MISSING,
		"building the kernel");
	program(d, "flex", "flex", "flex", HV_DOCTOR_MISSING,
		"building the kernel (kconfig, dtc)");
	program(d, "bison", "bison", "bison", HV_DOCTOR_MISSING,
		"building the kernel (kconfig, dtc)");
	program(d, "bc", "bc", "bc", HV_DOCTOR_MISSING,
		"building the kernel (timeconst.h)");
	header(d, "libelf", "/usr/include/gelf.h", "libelf-dev",
	       HV_DOCTOR_MISSING, "building the kernel (objtool on x86-64)");
	header(d, "openssl", "/usr/include/openssl/ssl.h", "libssl-dev",
	       HV_DOCTOR_LACKING, "--defconfig and distribution configs "
	       "(certificates, module signing)");
	program(d, "ccache", "ccache", "ccache", HV_DOCTOR_LACKING,
		"steps that recompile less");
	check_distributed(d);
	check_disk(d, cwd);
	d->can_run = 1;
	for (i = 0; i < d->n; i++)
		if (d->items[i].state == HV_DOCTOR_MISSING)
			d->can_run = 0;
}

void
hv_doctor_release(struct hv_doctor *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		free(d->items[i].detail);
	free(d->items);
	memset(d, 0, sizeof(*d));
}

const char *
hv_doctor_state_name(enum hv_doctor_state state)
{
	switch (state) {
	case HV_DOCTOR_OK: return "ok";
	case HV_DOCTOR_MISSING: return "missing";
	case HV_DOCTOR_LACKING: return "lacking";
	}
	return "?";
}
