/*
 * cli-rig.c: `halve setup kernel` and `halve doctor` for the command
 * line. setup prints the config it wrote (stdout stays a valid config:
 * what follows it is comments); doctor prints a line a check, or
 * tab-separated fields with --porcelain.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli-rig.h"
#include "doctor.h"
#include "rig.h"

/* What a long step is doing, for a person watching (not for scripts). */
static void
progress(void *arg, const char *what)
{
	(void)arg;
	fprintf(stderr, "halve: setup: %s...\n", what);
}

static const char setup_help[] =
"usage: halve setup kernel [options]\n"
"\n"
"Run inside a Linux source tree that is a git work tree. Writes the rig\n"
"under .git/halve/rig/: a pipeline config (printed here; halve start uses\n"
"it, halve reset keeps it), an out-of-tree build directory (make O=), a\n"
".config completed so that the kernel boots in qemu with no modules, and\n"
"the guest's userspace. Then: halve start BAD GOOD && halve run.\n"
"\n"
"  --test SCRIPT      run SCRIPT in the guest: exit 0 good, 125 skip, other\n"
"                     bad (without it, a kernel that boots is good)\n"
"  --config FILE      start from FILE (your distribution's config, say)\n"
"  --defconfig        start from make defconfig (the default)\n"
"  --tinyconfig       start from make tinyconfig (the quickest build)\n"
"  --localmodconfig   start from the running kernel's, trimmed to its modules\n"
"  --rootfs busybox   the guest is an initramfs of busybox-static (default)\n"
"  --rootfs host      the guest runs on the host's / (9p, read-only, with a\n"
"                     tmpfs overlay), so the test can use the host's tools\n"
"  --rootfs IMAGE     the guest runs on a disk image (changes thrown away);\n"
"                     the test comes in on a 9p share\n"
"  --jobs N           make -jN (default: one job per CPU; with --distcc or\n"
"                     --icecc, the jobs the hosts take)\n"
"  --no-ccache        do not build through ccache\n"
"  --distcc HOSTS     build through distcc on HOSTS, written as DISTCC_HOSTS\n"
"                     takes them ('localhost/2 buildbox/8,lzo'); each host\n"
"                     must answer. ccache stays in front (CCACHE_PREFIX);\n"
"                     pump mode when distcc-pump works, every host takes\n"
"                     ,cpp and there is no ccache; -j from distcc -j\n"
"  --icecc            build through the icecream daemon running here; -j\n"
"                     from its scheduler's slots ($USE_SCHEDULER, else\n"
"                     /etc/icecc/icecc.conf, else localhost; twice the\n"
"                     CPUs when it does not answer)\n"
"\n"
"With --distcc or --icecc the config holds the local build too ([build]\n"
"local): after a few steps halve builds one step locally, compares the time\n"
"a compiled file, keeps the faster and says which.\n"
"\n"
"halve doctor says what this machine lacks for the rig.\n";

static int
wants_help(const struct cli *c)
{
	int i;

	for (i = 0; i < c->argc; i++)
		if (!strcmp(c->argv[i], "--help") || !strcmp(c->argv[i], "-h"))
			return 1;
	return 0;
}

int
cli_setup(struct cli *c)
{
	struct hv_rig_opts o;
	struct hv_rig rig;

	if (wants_help(c)) {
		fputs(setup_help, stdout);
		return 0;
	}
	if (hv_rig_opts_parse(c->argv, (size_t)c->argc, &o, &c->err) < 0) {
		fail(c);
		return 129;
	}
	if (isatty(STDERR_FILENO))
		o.progress = progress;
	if (hv_rig_setup(".", &o, &rig, &c->err) < 0) {
		hv_rig_opts_release(&o);
		return fail(c);
	}
	fputs(rig.config_text, stdout);
	printf("\n# The rig is in %s, its build directory %s;\n"
	       "# halve reset keeps both. Next: halve start BAD GOOD && "
	       "halve run\n", rig.dir, rig.build_dir);
	hv_rig_release(&rig);
	hv_rig_opts_release(&o);
	return 0;
}

static void
print_item(const struct hv_doctor_item *it, int porcelain)
{
	if (porcelain) {
		printf("%s\t%s\t%s\t%s\n", it->name,
		       hv_doctor_state_name(it->state), it->package, it->detail);
		return;
	}
	printf("%-9s %-8s %s\n", it->name, hv_doctor_state_name(it->state),
	       it->detail);
	if (it->state != HV_DOCTOR_OK)
		printf("%-18s for %s%s%s\n", "", it->needed_for,
		       strcmp(it->package, "-") ? ": apt-get install " : "",
		       strcmp(it->package, "-") ? it->package : "");
}

int
cli_doctor(struct cli *c)
{
	struct hv_doctor d;
	int porcelain = 0, i;
	size_t k;

	for (i = 0; i < c->argc; i++) {
		if (strcmp(c->argv[i], "--porcelain")) {
			hv_error_set(&c->err, "doctor: %s: unknown option",
				     c->argv[i]);
			fail(c);
			return 129;
		}
		porcelain = 1;
	}
	hv_doctor_run(".", &d);
	for (k = 0; k < d.n; k++)
		print_item(&d.items[k], porcelain);
	if (!porcelain)
		printf("\n%s\n", d.can_run
		       ? "The rig can run here (halve setup kernel)."
		       : "The rig cannot run here: install what is missing.");
	i = d.can_run ? 0 : 1;
	hv_doctor_release(&d);
	return i;
}
