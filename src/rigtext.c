/*
 * rigtext.c: the texts a kernel rig is made of (see rigint.h): the
 * pipeline config, the guest's init, the initramfs list and the kernel
 * options the guest needs. Pure: it formats what rig.c decided and
 * neither reads nor writes files.
 *
 * The initramfs is built by the kernel's own usr/gen_init_cpio from a
 * list (CONFIG_INITRAMFS_SOURCE), not by halve: no cpio writer here, no
 * root needed for /dev/console, and kbuild rebuilds it when the test
 * script changes.
 */
#include "config.h"

#include <string.h>

#include "bisectlog.h"
#include "conf.h"
#include "rigint.h"

/* The guest's verdict lines: what [verdict] in rig/config matches. */
#define VERDICT_GOOD "RESULT: OKAY"
#define VERDICT_BAD "RESULT: FAILED"
#define VERDICT_SKIP "RESULT: SKIP"

enum { M_BUSYBOX = 1, M_HOST = 2, M_IMAGE = 4, M_ALL = 7 };

static const struct mode_option {
	struct rig_option opt;
	int modes;
} mode_options[] = {
	/* a 64-bit kernel with a serial console and a userspace */
	{ { "64BIT", 1 }, M_ALL },
	{ { "PRINTK", 1 }, M_ALL },
	{ { "TTY", 1 }, M_ALL },
	{ { "SERIAL_8250", 1 }, M_ALL },
	{ { "SERIAL_8250_CONSOLE", 1 }, M_ALL },
	{ { "BINFMT_ELF", 1 }, M_ALL },
	{ { "BINFMT_SCRIPT", 1 }, M_ALL },
	{ { "PROC_FS", 1 }, M_ALL },
	{ { "SYSFS", 1 }, M_ALL },
	{ { "DEVTMPFS", 1 }, M_ALL },
	{ { "DEVTMPFS_MOUNT", 1 }, M_ALL },
	{ { "BLK_DEV_INITRD", 1 }, M_BUSYBOX | M_IMAGE },
	/* virtio and 9p: the host's root, or the image's test share */
	{ { "PCI", 1 }, M_HOST | M_IMAGE },
	{ { "VIRTIO_MENU", 0 }, M_HOST | M_IMAGE },
	{ { "VIRTIO_PCI", 1 }, M_HOST | M_IMAGE },
	{ { "NET", 1 }, M_HOST | M_IMAGE },
	{ { "INET", 0 }, M_HOST | M_IMAGE },	/* 9P_FS depends on it */
	{ { "NET_9P", 1 }, M_HOST | M_IMAGE },
	{ { "NET_9P_VIRTIO", 1 }, M_HOST | M_IMAGE },
	{ { "NETWORK_FILESYSTEMS", 0 }, M_HOST | M_IMAGE },
	{ { "9P_FS", 1 }, M_HOST | M_IMAGE },
	/* the image's disk */
	{ { "BLOCK", 1 }, M_IMAGE },
	{ { "VIRTIO_BLK", 1 }, M_IMAGE },
	{ { "EXT4_FS", 1 }, M_IMAGE },
	/* the host's root: an overlay on tmpfs, and its tools' needs */
	{ { "TMPFS", 1 }, M_HOST },
	{ { "OVERLAY_FS", 0 }, M_HOST },
	{ { "MAGIC_SYSRQ", 1 }, M_HOST },
	{ { "MULTIUSER", 0 }, M_HOST },
	{ { "FUTEX", 0 }, M_HOST },
	{ { "EPOLL", 0 }, M_HOST },
	{ { "SHMEM", 0 }, M_HOST },
	{ { "UNIX", 0 }, M_HOST },
	{ { "POSIX_TIMERS", 0 }, M_HOST },
	{ { "FILE_LOCKING", 0 }, M_HOST },
};

static int
mode_bit(const struct rig_plan *p)
{
	switch (p->o->rootfs) {
	case HV_ROOTFS_HOST: return M_HOST;
	case HV_ROOTFS_IMAGE: return M_IMAGE;
	case HV_ROOTFS_BUSYBOX: break;
	}
	return M_BUSYBOX;
}

size_t
rig_options(const struct rig_plan *p, const struct rig_option **out,
	    size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < HV_ARRAY_SIZE(mode_options) && n < max; i++)
		if (mode_options[i].modes & mode_bit(p))
			out[n++] = &mode_options[i].opt;
	return n;
}

char *
rig_list_path(const struct rig_plan *p)
{
	return xasprintf("%s/initramfs.list", p->dir);
}

void
rig_make_vars(const struct rig_plan *p, int dist, char **argv, size_t *argc)
{
	const char *cc = p->llvm ? "clang" : "gcc";

	if (p->llvm)
		argv[(*argc)++] = xstrdup("LLVM=1");
	if (p->ccache) {
		/* distributed behind ccache: CCACHE_PREFIX (dist_env) */
		argv[(*argc)++] = xasprintf("CC=ccache %s", cc);
		argv[(*argc)++] = xasprintf("HOSTCC=ccache %s", cc);
	} else if (dist && p->dist) {
		argv[(*argc)++] = xasprintf("CC=%s %s", p->dist_name, cc);
	}
}

/* " 'word'" */
static void
add_quoted(struct strbuf *sb, const char *word)
{
	sb_addc(sb, ' ');
	hv_sq_quote(sb, word);
}

static void
add_make(const struct rig_plan *p, int dist, struct strbuf *sb,
	 const char *target)
{
	char *vars[4];
	size_t n = 0, i;
	char *o = xasprintf("O=%s", p->build);

	sb_adds(sb, "make");
	add_quoted(sb, o);
	free(o);
	rig_make_vars(p, dist, vars, &n);
	for (i = 0; i < n; i++) {
		add_quoted(sb, vars[i]);
		free(vars[i]);
	}
	sb_addf(sb, " %s", target);
}

/* What the distributed build's make must find in its environment. */
static void
dist_env(const struct rig_plan *p, struct strbuf *sb)
{
	if (p->dist && p->o->distcc_hosts) {
		sb_adds(sb, "\n\tDISTCC_HOSTS=");
		hv_sq_quote(sb, p->o->distcc_hosts);
	}
	if (p->dist && p->ccache)
		sb_addf(sb, " CCACHE_PREFIX=%s", p->dist_name);
}

/* key = the pinned environment, make olddefconfig, make -jN bzImage */
static void
build_command(const struct rig_plan *p, struct strbuf *sb, const char *key,
	      int dist)
{
	/* p->jobs is the distributed build's when there is one */
	char *jobs = xasprintf("-j%d bzImage", dist || !p->dist ? p->jobs
							       : p->local_jobs);

	sb_addf(sb, "%s = export KBUILD_BUILD_TIMESTAMP='" RIG_TIMESTAMP "'"
		" KBUILD_BUILD_USER=halve\n"
		"\tKBUILD_BUILD_HOST=halve KBUILD_BUILD_VERSION=1", key);
	if (dist)
		dist_env(p, sb);
	sb_adds(sb, " &&\n\t");
	add_make(p, dist, sb, "olddefconfig");
	sb_adds(sb, " &&\n\t");
	if (dist && p->pump) {
		const char *slash = strrchr(p->pump, '/');

		sb_addf(sb, "%s ", slash ? slash + 1 : p->pump);
	}
	add_make(p, dist, sb, jobs);
	free(jobs);
	sb_adds(sb, "\n");
}

static void
config_build(const struct rig_plan *p, struct strbuf *sb)
{
	sb_adds(sb, "[build]\n"
		"# KBUILD_BUILD_* pinned: the same sources make the same "
		"objects at every\n# step, so ccache hits across steps "
		"(and init/version.c is not rebuilt)\n");
	if (p->dist)
		sb_adds(sb, p->dist_why);
	build_command(p, sb, "command", p->dist != NULL);
	if (p->dist) {
		sb_addf(sb, "# the same build on this machine alone: halve "
			"times both a compiled file\n# and keeps the faster "
			"(%s is sometimes slower: [build] local\n# in "
			"halve.conf(5))\n", p->dist_name);
		build_command(p, sb, "local", 0);
	}
	sb_adds(sb, "timeout = 2h\nfailure = skip\n\n");
}

static const char *
machine(const struct rig_plan *p)
{
	return p->kvm ? "-machine accel=kvm -cpu host" : "-machine accel=tcg";
}

static void
add_9p(struct strbuf *sb, const char *id, const char *path,
       const char *tag)
{
	char *fsdev = xasprintf("local,id=%s,path=%s,security_model=none,"
				"readonly=on", id, path);

	sb_adds(sb, "\n\t-fsdev");
	add_quoted(sb, fsdev);
	sb_addf(sb, " -device virtio-9p-pci,fsdev=%s,mount_tag=%s", id, tag);
	free(fsdev);
}

static void
config_boot(const struct rig_plan *p, struct strbuf *sb)
{
	char *kernel = xasprintf("%s/arch/x86/boot/bzImage", p->build);

	sb_adds(sb, "[boot]\n");
	if (!p->kvm)
		sb_addf(sb, "# TCG: no usable KVM here (%s)\n", p->kvm_why);
	sb_addf(sb, "qemu = qemu-system-x86_64 %s -m %uM -smp %d\n\t-kernel",
		machine(p), p->mem_mb, p->smp);
	add_quoted(sb, kernel);
	free(kernel);
	if (p->o->rootfs == HV_ROOTFS_HOST) {
		/* root=/dev/root: 6.1 mounts 9p tag "root" (mount_nodev_root
		 * strips "/dev/"; seen: "9pnet_virtio: no channels available
		 * for device root"), older kernels "/dev/root": share both */
		add_9p(sb, "root", "/", "/dev/root");
		add_9p(sb, "root2", "/", "root");
		sb_addf(sb, "\n\t-append \"console=ttyS0 panic=-1 root=/dev/root"
			" rootfstype=9p rootflags=trans=virtio,version=9p2000.L,"
			"msize=262144 ro init=%s/guest/init\"\n", p->dir);
	} else {
		if (p->o->rootfs == HV_ROOTFS_IMAGE) {
			char *drive = xasprintf("file=%s,format=%s,if=virtio,"
						"snapshot=on", p->image,
						p->image_format);
			char *guest = xasprintf("%s/guest", p->dir);

			sb_adds(sb, "\n\t-drive");
			add_quoted(sb, drive);
			add_9p(sb, "halve", guest, "halve");
			free(drive);
			free(guest);
		}
		sb_adds(sb, "\n\t-append \"console=ttyS0 panic=-1\"\n");
	}
	sb_addf(sb, "timeout = %s\nsilence = 2m\nhang = skip\n\n",
		p->kvm ? "5m" : "15m");
}

void
rig_config_text(const struct rig_plan *p, struct strbuf *sb)
{
	static const char *const rootfs[] = {
		[HV_ROOTFS_BUSYBOX] = "an initramfs of busybox",
		[HV_ROOTFS_HOST] = "the host's root over 9p, read-only, "
				   "with a tmpfs overlay",
		[HV_ROOTFS_IMAGE] = "the disk image",
	};

	sb_addf(sb, "# The kernel rig for %s, written by halve setup kernel.\n"
		"# halve start copies this file (%s/config) into the session;"
		"\n# halve reset keeps it. Edit it here, or run halve setup "
		"kernel again.\n"
		"# The guest: %s; it runs %s%s and prints\n"
		"# " VERDICT_GOOD " (exit 0), " VERDICT_SKIP " (125) or "
		VERDICT_BAD " (anything else).\n\n",
		p->src, p->dir, rootfs[p->o->rootfs],
		p->test ? "the test " : "no test (a boot is good)",
		p->test ? p->test : "");
	config_build(p, sb);
	config_boot(p, sb);
	sb_adds(sb, "[verdict]\n"
		"good = ^" VERDICT_GOOD "\n"
		"bad  = ^" VERDICT_BAD "\n"
		"skip = ^" VERDICT_SKIP "\n");
	sb_addf(sb, "\n[bisect]\n"
		"# the next commit is the cheapest to build among those within"
		"\n# tolerance of the midpoint (kbuild's .cmd files in the build "
		"directory\n# say what a change recompiles); 0: git's midpoint\n"
		"tolerance = %g\nbuild-dir = %s\n", HV_TOLERANCE_DEFAULT,
		p->build);
}

/* What every init ends with: the verdict line from $rc, then off. */
static void
init_verdict(struct strbuf *sb, const char *off)
{
	sb_addf(sb, "case $rc in\n"
		"0) echo '" VERDICT_GOOD "' ;;\n"
		"125) echo '" VERDICT_SKIP "' ;;\n"
		"*) echo \"" VERDICT_BAD " (the test exited $rc)\" ;;\n"
		"esac\n%s\n", off);
}

static void
init_mounts(struct strbuf *sb, const char *root)
{
	sb_addf(sb, "mount -t proc proc %s/proc\n"
		"mount -t sysfs sysfs %s/sys\n"
		"mount -t devtmpfs devtmpfs %s/dev 2>/dev/null\n",
		root, root, root);
}

/* The host's root is read-only: an overlay on tmpfs to write in. */
static void
init_host(const struct rig_plan *p, struct strbuf *sb)
{
	sb_adds(sb, "export PATH=/usr/sbin:/usr/bin:/sbin:/bin\n");
	init_mounts(sb, "");
	sb_adds(sb, "mount -t tmpfs tmpfs /tmp\n"
		"mkdir /tmp/upper /tmp/work /tmp/root\n"
		"root=/\n"
		"if mount -t overlay overlay -o lowerdir=/,upperdir=/tmp/upper,"
		"workdir=/tmp/work /tmp/root; then\n"
		"\troot=/tmp/root\n");
	init_mounts(sb, "\t$root");
	sb_adds(sb, "\tmount -t tmpfs tmpfs $root/tmp\n"
		"\tmount -t tmpfs tmpfs $root/run\n"
		"fi\n");
	if (p->test)
		sb_addf(sb, "chroot $root %s/guest/test\nrc=$?\n", p->dir);
	else
		sb_adds(sb, "rc=0\n");
	init_verdict(sb, "echo b >/proc/sysrq-trigger");
}

/* The image's root mounted and the test run in it, from the 9p share. */
static void
init_image(const struct rig_plan *p, struct strbuf *sb)
{
	sb_adds(sb, "mkdir -p /newroot\n"
		"for dev in /dev/vda1 /dev/vda2 /dev/vda3 /dev/vda; do\n"
		"\tmount \"$dev\" /newroot 2>/dev/null && break\n"
		"done\n"
		"if ! mountpoint -q /newroot; then\n"
		"\techo 'halve: cannot mount the image (/dev/vda1-3, /dev/vda)'\n"
		"\techo '" VERDICT_SKIP "'\n\treboot -f\nfi\n"
		"mkdir -p /newroot/mnt/halve\n"
		"mount -t 9p -o trans=virtio,version=9p2000.L halve "
		"/newroot/mnt/halve\n");
	init_mounts(sb, "/newroot");
	if (p->test)
		sb_adds(sb, "chroot /newroot /mnt/halve/test\nrc=$?\n");
	else
		sb_adds(sb, "rc=0\n");
}

void
rig_init_text(const struct rig_plan *p, struct strbuf *sb)
{
	sb_addf(sb, "#!/bin/sh\n"
		"# The guest's init, written by halve setup kernel: it runs "
		"the test\n# and prints the verdict line %s/config knows.\n",
		p->dir);
	if (p->o->rootfs == HV_ROOTFS_HOST) {
		init_host(p, sb);
		return;
	}
	sb_adds(sb, "/bin/busybox --install -s /bin\n"
		"export PATH=/bin:/sbin:/usr/bin:/usr/sbin\n");
	init_mounts(sb, "");
	if (p->o->rootfs == HV_ROOTFS_IMAGE)
		init_image(p, sb);
	else if (p->test)
		sb_adds(sb, "/test\nrc=$?\n");
	else
		sb_adds(sb, "rc=0\n");
	/* a reboot ends qemu: halve runs it with -no-reboot */
	init_verdict(sb, "reboot -f");
}

void
rig_initramfs_list(const struct rig_plan *p, struct strbuf *sb)
{
	if (p->o->rootfs == HV_ROOTFS_HOST)
		return;
	sb_addf(sb, "# gen_init_cpio's list (usr/gen_init_cpio.c), written "
		"by halve setup kernel\n"
		"dir /dev 0755 0 0\n"
		"nod /dev/console 0600 0 0 c 5 1\n"
		"dir /proc 0755 0 0\n"
		"dir /sys 0755 0 0\n"
		"dir /tmp 1777 0 0\n"
		"dir /bin 0755 0 0\n"
		"dir /sbin 0755 0 0\n"
		"file /bin/busybox %s 0755 0 0\n"
		"slink /bin/sh busybox 0777 0 0\n"
		"file /init %s/guest/init 0755 0 0\n",
		p->busybox, p->dir);
	if (p->test && p->o->rootfs == HV_ROOTFS_BUSYBOX)
		sb_addf(sb, "file /test %s/guest/test 0755 0 0\n", p->dir);
}
