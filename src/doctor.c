/*
 * doctor.c: the checks of `halve doctor` (see doctor.h), one function a
 * line of the report, in the order a user fixes things: what boots the
 * guest, what builds the kernel, what makes steps cheaper, the disk.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "distprobe.h"
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

/* sb's text, or NULL when it has none. */
static char *
detach_or_null(struct strbuf *sb)
{
	if (!sb->len) {
		sb_release(sb);
		return NULL;
	}
	return sb_detach(sb);
}

/* A hosts file's hosts: its lines without comments, on one line. */
static char *
hosts_file(const char *path)
{
	struct strbuf sb = STRBUF_INIT, out = STRBUF_INIT;
	char *line, *save = NULL;

	if (hv_read_file(path, &sb) == 0 && sb.buf) {
		sb_addc(&sb, '\0');
		for (line = strtok_r(sb.buf, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save)) {
			size_t n;

			line += strspn(line, " \t");
			n = strcspn(line, "#");
			while (n && strchr(" \t\r", line[n - 1]))
				n--;
			if (n)
				sb_addf(&out, "%s%.*s", out.len ? " " : "",
					(int)n, line);
		}
	}
	sb_release(&sb);
	return detach_or_null(&out);
}

/* distcc's hosts as distcc reads them: $DISTCC_HOSTS, then the files;
 * *from says where (malloc'd). NULL when none. */
static char *
distcc_hosts(char **from)
{
	const char *env = getenv("DISTCC_HOSTS"), *home = getenv("HOME");
	char *files[2], *hosts = NULL;
	size_t i;

	*from = NULL;
	if (env && *env) {
		*from = xstrdup("$DISTCC_HOSTS");
		return xstrdup(env);
	}
	files[0] = home ? xasprintf("%s/.distcc/hosts", home) : NULL;
	files[1] = xstrdup("/etc/distcc/hosts");
	for (i = 0; i < 2 && !hosts; i++) {
		if (files[i] && (hosts = hosts_file(files[i])) != NULL)
			*from = xstrdup(files[i]);
	}
	free(files[0]);
	free(files[1]);
	return hosts;
}

/* Each TCP host connected to: the ones that do not answer, and why. */
static char *
distcc_silent(const char *hosts)
{
	struct hv_distcc_hosts h;
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	hv_distcc_hosts_parse(hosts, &h);
	for (i = 0; i < h.n; i++) {
		struct hv_error why = HV_ERROR_INIT;

		if (hv_distcc_host_probe(&h.v[i], 2000, &why) < 0)
			sb_addf(&sb, "%s%s", sb.len ? ", " : "", why.msg);
		hv_error_clear(&why);
	}
	hv_distcc_hosts_release(&h);
	return detach_or_null(&sb);
}

static void
check_distcc(struct hv_doctor *d)
{
	struct hv_doctor_item *it;
	char *hosts, *from, *silent;

	program(d, "distcc", "distcc", "distcc", HV_DOCTOR_LACKING,
		"builds on other machines (--distcc HOSTS)");
	it = &d->items[d->n - 1];
	if (it->state != HV_DOCTOR_OK)
		return;
	free(it->detail);
	hosts = distcc_hosts(&from);
	if (!hosts) {
		it->detail = xstrdup("no hosts configured ($DISTCC_HOSTS, "
				     "~/.distcc/hosts)");
		return;
	}
	silent = distcc_silent(hosts);
	if (silent) {
		it->state = HV_DOCTOR_LACKING;
		it->detail = xasprintf("hosts %s: %s; not answering: %s", from,
				       hosts, silent);
		it->needed_for = "distccd on the hosts that do not answer";
	} else {
		it->detail = xasprintf("hosts %s: %s", from, hosts);
	}
	free(silent);
	free(hosts);
	free(from);
}

static void
check_icecc(struct hv_doctor *d)
{
	struct hv_doctor_item *it;
	struct hv_error why = HV_ERROR_INIT;
	char *sock, *where;
	int slots;

	program(d, "icecc", "icecc", "icecc", HV_DOCTOR_LACKING,
		"builds on an icecream cluster (--icecc)");
	it = &d->items[d->n - 1];
	if (it->state != HV_DOCTOR_OK)
		return;
	free(it->detail);
	sock = hv_icecc_daemon();
	if (!sock) {
		it->state = HV_DOCTOR_LACKING;
		it->needed_for = "iceccd here, and an icecc-scheduler on the "
				 "network";
		it->detail = xstrdup("no icecream daemon answers "
				     "(/var/run/icecc/iceccd.socket, "
				     "~/.iceccd.socket)");
		return;
	}
	slots = hv_icecc_slots(&where, &why);
	if (slots > 0)
		it->detail = xasprintf("iceccd on %s; the scheduler at %s "
				       "offers %d slots", sock, where, slots);
	else
		it->detail = xasprintf("iceccd on %s; the scheduler does not "
				       "answer: %s", sock, why.msg);
	hv_error_clear(&why);
	free(where);
	free(sock);
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
	check_distcc(d);
	check_icecc(d);
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
