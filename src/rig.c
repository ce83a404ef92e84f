/*
 * rig.c: `halve setup kernel` (see rig.h): the options, every check of
 * the input made before anything is written, the .config made by the
 * tree's own make and scripts/config then checked option by option, and
 * the rig installed whole. The texts themselves are rigtext.c's.
 *
 * The new rig is made in <common dir>/halve/rig.new.XXXXXX and renamed
 * to rig/ only when whole; an earlier rig's build directory is kept (with
 * the new .config) so that its objects are not thrown away.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "host.h"
#include "repo.h"
#include "rigint.h"
#include "sessionint.h"

void
hv_rig_opts_release(struct hv_rig_opts *o)
{
	free(o->test);
	free(o->config_file);
	free(o->image);
	free(o->distcc_hosts);
	memset(o, 0, sizeof(*o));
}

/* The value of option name: "--name=V" or "--name V". NULL: not it. */
static const char *
option_value(char **argv, size_t argc, size_t *i, const char *name,
	     struct hv_error *err)
{
	size_t len = strlen(name);

	if (strncmp(argv[*i], name, len))
		return NULL;
	if (argv[*i][len] == '=')
		return argv[*i] + len + 1;
	if (argv[*i][len])
		return NULL;
	if (*i + 1 >= argc) {
		hv_error_set(err, "setup: %s: needs a value", name);
		return NULL;
	}
	return argv[++*i];
}

static int
set_source(struct hv_rig_opts *o, int *have, enum hv_rig_source src,
	   const char *opt, struct hv_error *err)
{
	if ((*have)++)
		return hv_error_set(err, "setup: %s: give only one of --config, "
				    "--defconfig, --tinyconfig, --localmodconfig",
				    opt);
	o->source = src;
	return 0;
}

static int
parse_rootfs(struct hv_rig_opts *o, const char *v, struct hv_error *err)
{
	if (!*v)
		return hv_error_set(err, "setup: --rootfs: needs busybox, host "
				    "or a disk image");
	if (!strcmp(v, "busybox"))
		o->rootfs = HV_ROOTFS_BUSYBOX;
	else if (!strcmp(v, "host"))
		o->rootfs = HV_ROOTFS_HOST;
	else {
		o->rootfs = HV_ROOTFS_IMAGE;
		free(o->image);
		o->image = xstrdup(v);
	}
	return 0;
}

static int
parse_jobs(struct hv_rig_opts *o, const char *v, struct hv_error *err)
{
	char *end;
	long n = strtol(v, &end, 10);

	if (!*v || *end || n < 1 || n > 4096)
		return hv_error_set(err, "setup: --jobs %s: want a number of "
				    "jobs, 1 or more", v);
	o->jobs = (int)n;
	return 0;
}

static int
parse_distcc(struct hv_rig_opts *o, const char *v, struct hv_error *err)
{
	if (!v[strspn(v, " \t")])
		return hv_error_set(err, "setup: --distcc: needs the hosts, as "
				    "DISTCC_HOSTS takes them (localhost/2 "
				    "buildbox/8,lzo)");
	free(o->distcc_hosts);
	o->distcc_hosts = xstrdup(v);
	return 0;
}

/* One option at argv[*i]; -1 with err set on a bad one. */
static int
parse_option(struct hv_rig_opts *o, char **argv, size_t argc, size_t *i,
	     int *have_source, struct hv_error *err)
{
	const char *a = argv[*i], *v;

	if ((v = option_value(argv, argc, i, "--test", err))) {
		free(o->test);
		o->test = xstrdup(v);
		return 0;
	}
	if ((v = option_value(argv, argc, i, "--config", err))) {
		free(o->config_file);
		o->config_file = xstrdup(v);
		return set_source(o, have_source, HV_RIG_CONFIG_FILE, a, err);
	}
	if ((v = option_value(argv, argc, i, "--rootfs", err)))
		return parse_rootfs(o, v, err);
	if ((v = option_value(argv, argc, i, "--jobs", err)))
		return parse_jobs(o, v, err);
	if ((v = option_value(argv, argc, i, "--distcc", err)))
		return parse_distcc(o, v, err);
	if (err->msg)
		return -1;
	if (!strcmp(a, "--defconfig"))
		return set_source(o, have_source, HV_RIG_DEFCONFIG, a, err);
	if (!strcmp(a, "--tinyconfig"))
		return set_source(o, have_source, HV_RIG_TINYCONFIG, a, err);
	if (!strcmp(a, "--localmodconfig"))
		return set_source(o, have_source, HV_RIG_LOCALMODCONFIG, a, err);
	if (!strcmp(a, "--icecc")) {
		o->icecc = 1;
		return 0;
	}
	if (!strcmp(a, "--no-ccache")) {
		o->no_ccache = 1;
		return 0;
	}
	if (a[0] == '-')
		return hv_error_set(err, "setup: %s: unknown option (see halve "
				    "help setup)", a);
	return hv_error_set(err, "setup: %s: unexpected argument", a);
}

int
hv_rig_opts_parse(char **argv, size_t argc, struct hv_rig_opts *o,
		  struct hv_error *err)
{
	int have_source = 0;
	size_t i;

	memset(o, 0, sizeof(*o));
	if (argc < 1 || strcmp(argv[0], "kernel")) {
		hv_error_set(err, "setup: %s: halve sets up a rig for one thing: "
			     "a Linux tree (halve setup kernel ...)",
			     argc ? argv[0] : "nothing to set up");
		return -1;
	}
	for (i = 1; i < argc; i++) {
		if (parse_option(o, argv, argc, &i, &have_source, err) < 0) {
			hv_rig_opts_release(o);
			return -1;
		}
	}
	if (o->distcc_hosts && o->icecc) {
		hv_rig_opts_release(o);
		return hv_error_set(err, "setup: --distcc, --icecc: give one "
				    "distributed compiler");
	}
	return 0;
}

void
hv_rig_release(struct hv_rig *rig)
{
	free(rig->dir);
	free(rig->config_path);
	free(rig->config_text);
	free(rig->build_dir);
	memset(rig, 0, sizeof(*rig));
}

static void
plan_release(struct rig_plan *p)
{
	free(p->src);
	free(p->halve_dir);
	free(p->dir);
	free(p->build);
	free(p->tmp);
	free(p->make);
	free(p->cc);
	free(p->ccache);
	free(p->busybox);
	free(p->qemu);
	free(p->test);
	free(p->image);
	free(p->config_file);
	free(p->base_config);
	free(p->kvm_why);
	free(p->dist);
	free(p->pump);
	free(p->dist_why);
}

static char *
strip_slash(const char *dir)
{
	char *s = xstrdup(dir);
	size_t n = strlen(s);

	if (n > 1 && s[n - 1] == '/')
		s[n - 1] = '\0';
	return s;
}

/* The work tree and the rig's paths, from the repository at cwd. */
static int
plan_paths(struct rig_plan *p, const char *cwd, struct hv_error *err)
{
	struct hv_repo *repo;

	if (hv_repo_open(cwd, &repo, err) < 0) {
		char *why = err->msg ? xstrdup(err->msg) : xstrdup("?");

		hv_error_clear(err);
		hv_error_set(err, "setup: not in a git work tree (%s): halve "
			     "keeps the rig under .git/halve", why);
		free(why);
		return -1;
	}
	if (!repo->workdir) {
		hv_repo_free(repo);
		return hv_error_set(err, "setup: a bare repository has no "
				    "Linux tree to build");
	}
	p->src = strip_slash(repo->workdir);
	p->halve_dir = xasprintf("%shalve", repo->commondir);
	p->dir = xasprintf("%s/rig", p->halve_dir);
	p->build = xasprintf("%s/build", p->dir);
	hv_repo_free(repo);
	return 0;
}

static int
file_has(const char *path, const char *needle)
{
	struct strbuf sb = STRBUF_INIT;
	int rc = hv_read_file(path, &sb) == 0 && sb.buf &&
		 strstr(sb.buf, needle) != NULL;

	sb_release(&sb);
	return rc;
}

/* A Linux tree: its Makefile, Kconfig, scripts/config and x86. */
static int
check_kernel_tree(const struct rig_plan *p, struct hv_error *err)
{
	static const char *const files[] = {
		"Kconfig", "scripts/config", "arch/x86/Makefile",
	};
	static const char *const in_tree[] = { ".config", "include/config" };
	char *path = xasprintf("%s/Makefile", p->src);
	size_t i;
	int ok = file_has(path, "\nPATCHLEVEL =");

	free(path);
	for (i = 0; ok && i < HV_ARRAY_SIZE(files); i++) {
		path = xasprintf("%s/%s", p->src, files[i]);
		ok = hv_file_exists(path);
		free(path);
	}
	if (!ok)
		return hv_error_set(err, "setup: %s: not a Linux source tree "
				    "(no Makefile with PATCHLEVEL, Kconfig, "
				    "scripts/config and arch/x86)", p->src);
	/* kbuild refuses O= while the source tree holds an in-tree build */
	for (i = 0; i < HV_ARRAY_SIZE(in_tree); i++) {
		path = xasprintf("%s/%s", p->src, in_tree[i]);
		ok = !hv_file_exists(path);
		free(path);
		if (!ok)
			return hv_error_set(err, "setup: %s/%s: the tree is not "
					    "clean, and make O= refuses to build "
					    "from it (save a .config to give it "
					    "with --config FILE, then make "
					    "mrproper)", p->src, in_tree[i]);
	}
	return 0;
}

static int
check_tools(struct rig_plan *p, struct hv_error *err)
{
	/* what kbuild runs besides the compiler, and who provides it */
	static const char *const tools[][2] = {
		{ "flex", "flex" }, { "bison", "bison" }, { "bc", "bc" },
	};
	size_t i;

	p->cc = hv_host_which("gcc");
	if (!p->cc) {
		p->cc = hv_host_which("clang");
		p->llvm = p->cc != NULL;
	}
	if (!p->cc)
		return hv_error_set(err, "setup: no C compiler on PATH (gcc or "
				    "clang): the kernel cannot be built "
				    "(install gcc)");
	p->make = hv_host_which("make");
	for (i = 0; p->make && i < HV_ARRAY_SIZE(tools); i++) {
		char *path = hv_host_which(tools[i][0]);

		if (!path)
			return hv_error_set(err, "setup: no %s on PATH: the "
					    "kernel cannot be built (install %s)",
					    tools[i][0], tools[i][1]);
		free(path);
	}
	if (!p->make)
		return hv_error_set(err, "setup: no make on PATH: the kernel "
				    "cannot be built (install make)");
	p->qemu = hv_host_which("qemu-system-x86_64");
	if (!p->qemu)
		return hv_error_set(err, "setup: no qemu-system-x86_64 on PATH: "
				    "the guest cannot boot (install "
				    "qemu-system-x86)");
	if (!p->o->no_ccache)
		p->ccache = hv_host_which("ccache");
	return 0;
}

/* path (relative to cwd) as the rig keeps it: absolute, links resolved;
 * NULL with errno set when it is not there. */
static char *
absolute(const char *cwd, const char *path)
{
	char *joined = path[0] == '/' ? xstrdup(path)
				      : xasprintf("%s/%s", cwd, path);
	char *real = realpath(joined, NULL);

	free(joined);
	return real;
}

static int
check_test(struct rig_plan *p, const char *cwd, struct hv_error *err)
{
	struct stat st;

	if (!p->o->test)
		return 0;
	p->test = absolute(cwd, p->o->test);
	if (!p->test || stat(p->test, &st) < 0)
		return hv_error_set(err, "setup: --test %s: %s", p->o->test,
				    strerror(errno));
	if (!S_ISREG(st.st_mode))
		return hv_error_set(err, "setup: --test %s: not a file",
				    p->o->test);
	if (access(p->test, X_OK) < 0)
		return hv_error_set(err, "setup: --test %s: not executable "
				    "(chmod +x it; the guest runs it as a "
				    "program)", p->o->test);
	return 0;
}

static int
check_busybox(struct rig_plan *p, struct hv_error *err)
{
	char *real;

	p->busybox = hv_host_which("busybox");
	if (!p->busybox)
		return hv_error_set(err, "setup: --rootfs %s: no busybox on "
				    "PATH for the guest (install busybox-static, "
				    "or use --rootfs host)",
				    p->o->rootfs == HV_ROOTFS_IMAGE ? "IMAGE"
				    : "busybox");
	/* the list outlives this PATH: name the file itself */
	real = realpath(p->busybox, NULL);
	if (real) {
		free(p->busybox);
		p->busybox = real;
	}
	if (hv_host_elf_static(p->busybox) != 1)
		return hv_error_set(err, "setup: %s: not a static x86-64 "
				    "busybox, and the guest has no libc (install "
				    "busybox-static)", p->busybox);
	return 0;
}

static int
check_image(struct rig_plan *p, const char *cwd, struct hv_error *err)
{
	static const char qcow2[4] = { 'Q', 'F', 'I', (char)0xfb };
	char magic[4] = { 0 };
	FILE *f;

	p->image = absolute(cwd, p->o->image);
	f = p->image ? fopen(p->image, "rb") : NULL;
	if (!f)
		return hv_error_set(err, "setup: --rootfs %s: %s", p->o->image,
				    strerror(errno));
	if (fread(magic, 1, sizeof(magic), f) != sizeof(magic)) {
		fclose(f);
		return hv_error_set(err, "setup: --rootfs %s: not a disk image "
				    "(too short)", p->o->image);
	}
	fclose(f);
	p->image_format = memcmp(magic, qcow2, 4) ? "raw" : "qcow2";
	return 0;
}

/* --localmodconfig starts from the running kernel's configuration. */
static int
check_base_config(struct rig_plan *p, struct hv_error *err)
{
	struct utsname u;

	if (uname(&u) < 0)
		return hv_error_set(err, "setup: uname: %s", strerror(errno));
	p->base_config = xasprintf("/boot/config-%s", u.release);
	if (access(p->base_config, R_OK) < 0)
		return hv_error_set(err, "setup: --localmodconfig: %s: %s (it "
				    "trims the running kernel's configuration)",
				    p->base_config, strerror(errno));
	return 0;
}

static int
check_source(struct rig_plan *p, const char *cwd, struct hv_error *err)
{
	if (p->o->source == HV_RIG_LOCALMODCONFIG)
		return check_base_config(p, err);
	if (p->o->source != HV_RIG_CONFIG_FILE)
		return 0;
	p->config_file = absolute(cwd, p->o->config_file);
	if (!p->config_file || access(p->config_file, R_OK) < 0)
		return hv_error_set(err, "setup: --config %s: %s",
				    p->o->config_file, strerror(errno));
	return 0;
}

static unsigned
clampu(uint64_t v, unsigned lo, unsigned hi)
{
	return v < lo ? lo : v > hi ? hi : (unsigned)v;
}

/* The machine: KVM tried, -j and the guest sized from the host. */
static void
plan_host(struct rig_plan *p)
{
	struct hv_error why = { 0 };

	p->kvm = hv_host_kvm(p->qemu, &why);
	p->kvm_why = why.msg ? xstrdup(why.msg) : NULL;
	hv_error_clear(&why);
	p->cpus = hv_host_cpus();
	p->jobs = p->o->jobs ? p->o->jobs : p->cpus;
	/* half the CPUs and an eighth of the memory: the build needs the rest */
	p->smp = (int)clampu((uint64_t)p->cpus / 2, 1, 8);
	p->mem_mb = clampu(hv_host_mem_bytes() / 8 / (1024 * 1024), 256, 2048)
		    / 64 * 64;
}

static int
check_inputs(struct rig_plan *p, const char *cwd, struct hv_error *err)
{
	if (plan_paths(p, cwd, err) < 0 || check_kernel_tree(p, err) < 0 ||
	    check_tools(p, err) < 0 || check_test(p, cwd, err) < 0 ||
	    check_source(p, cwd, err) < 0)
		return -1;
	if (p->o->rootfs == HV_ROOTFS_IMAGE && check_image(p, cwd, err) < 0)
		return -1;
	if (p->o->rootfs != HV_ROOTFS_HOST && check_busybox(p, err) < 0)
		return -1;
	/* the kernel's command line cannot quote a path (init=) */
	if (p->o->rootfs == HV_ROOTFS_HOST && strpbrk(p->dir, " \t\"'"))
		return hv_error_set(err, "setup: --rootfs host: %s: a path with "
				    "blanks or quotes cannot go on the kernel's "
				    "command line", p->dir);
	plan_host(p);
	return rig_check_distributed(p, err);
}

/* The last non-blank line of the log, for the error message. */
static char *
log_tail(const char *log)
{
	struct strbuf sb = STRBUF_INIT;
	char *line, *end;

	if (hv_read_file(log, &sb) < 0 || !sb.buf) {
		sb_release(&sb);
		return xstrdup("no output");
	}
	sb_rtrim(&sb);
	end = sb.buf + sb.len;
	line = end;
	while (line > sb.buf && line[-1] != '\n')
		line--;
	line = xstrndup(line, (size_t)(end - line));
	sb_release(&sb);
	return line;
}

/* Runs argv in the work tree, its output appended to tmp/setup.log. */
static int
run(const struct rig_plan *p, char **argv, const char *what,
    struct hv_error *err)
{
	char *log = xasprintf("%s/setup.log", p->tmp), *tail;
	int status = 0;
	pid_t pid;

	if (p->o->progress)
		p->o->progress(p->o->progress_arg, what);
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);
		int in = open("/dev/null", O_RDONLY);

		if (fd < 0 || in < 0 || chdir(p->src) < 0 ||
		    dup2(in, 0) < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
			_exit(126);
		execvp(argv[0], argv);
		dprintf(fd, "%s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (pid > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		free(log);
		return 0;
	}
	tail = log_tail(log);
	hv_error_set(err, "setup: %s failed (%s): %s", what,
		     pid < 0 ? strerror(errno) : WIFEXITED(status) ?
		     "exit status not 0" : "killed", tail);
	free(tail);
	free(log);
	return -1;
}

/* make O=tmp/build [vars] target */
static int
run_make(const struct rig_plan *p, const char *target, struct hv_error *err)
{
	char *argv[8], *what = xasprintf("make %s", target);
	size_t n = 0, i;
	int rc;

	argv[n++] = xstrdup(p->make);
	argv[n++] = xasprintf("O=%s/build", p->tmp);
	rig_make_vars(p, 0, argv, &n);	/* configuring compiles little */
	argv[n++] = xstrdup(target);
	argv[n] = NULL;
	rc = run(p, argv, what, err);
	for (i = 0; i < n; i++)
		free(argv[i]);
	free(what);
	return rc;
}

static int
copy_file(const char *from, const char *to, mode_t mode,
	  struct hv_error *err)
{
	struct strbuf sb = STRBUF_INIT;
	int rc = -1;

	if (hv_read_file(from, &sb) < 0)
		hv_error_set(err, "setup: %s: %s", from, strerror(errno));
	else if (hv_write_file_atomic(to, sb.buf ? sb.buf : "", sb.len,
				      err) == 0 && chmod(to, mode) == 0)
		rc = 0;
	else if (!err->msg)
		hv_error_set(err, "setup: %s: %s", to, strerror(errno));
	sb_release(&sb);
	return rc;
}

/* The chosen starting point: tmp/build/.config. */
static int
config_source(const struct rig_plan *p, struct hv_error *err)
{
	char *dot = xasprintf("%s/build/.config", p->tmp);
	int rc;

	switch (p->o->source) {
	case HV_RIG_CONFIG_FILE:
		rc = copy_file(p->config_file, dot, 0644, err);
		break;
	case HV_RIG_LOCALMODCONFIG:
		rc = copy_file(p->base_config, dot, 0644, err);
		if (rc == 0)
			rc = run_make(p, "localmodconfig", err);
		break;
	case HV_RIG_TINYCONFIG:
		rc = run_make(p, "tinyconfig", err);
		break;
	default:
		rc = run_make(p, "defconfig", err);
		break;
	}
	free(dot);
	return rc;
}

/* scripts/config --file tmp/build/.config --enable X... */
static int
config_enable(const struct rig_plan *p, const struct rig_option **opts,
	      size_t n, struct hv_error *err)
{
	char **argv = xcalloc(2 * n + 8, sizeof(char *));
	size_t k = 0, i;
	int rc;

	argv[k++] = xasprintf("%s/scripts/config", p->src);
	argv[k++] = xstrdup("--file");
	argv[k++] = xasprintf("%s/build/.config", p->tmp);
	for (i = 0; i < n; i++) {
		argv[k++] = xstrdup("--enable");
		argv[k++] = xstrdup(opts[i]->name);
	}
	argv[k++] = xstrdup("--set-str");
	argv[k++] = xstrdup("INITRAMFS_SOURCE");
	argv[k++] = p->o->rootfs == HV_ROOTFS_HOST ? xstrdup("")
						   : rig_list_path(p);
	rc = run(p, argv, "scripts/config", err);
	hv_argv_free(argv);
	return rc;
}

/* Every checked option reads =y, and the initramfs is the rig's. */
static int
config_verify(const struct rig_plan *p, const struct rig_option **opts,
	      size_t n, struct hv_error *err)
{
	char *path = xasprintf("%s/build/.config", p->tmp), *want;
	struct strbuf sb = STRBUF_INIT;
	size_t i;
	int rc = 0;

	if (hv_read_file(path, &sb) < 0) {
		hv_error_set(err, "setup: %s: %s", path, strerror(errno));
		free(path);
		return -1;
	}
	sb_addc(&sb, '\0');
	for (i = 0; i < n && !rc; i++) {
		want = xasprintf("\nCONFIG_%s=y\n", opts[i]->name);
		if (opts[i]->checked && !strstr(sb.buf, want))
			rc = hv_error_set(err, "setup: .config: CONFIG_%s=y did "
					  "not stick (make olddefconfig dropped "
					  "it: what it depends on is off), and "
					  "without it the guest cannot boot in "
					  "qemu", opts[i]->name);
		free(want);
	}
	if (!rc && p->o->rootfs != HV_ROOTFS_HOST) {
		char *list = rig_list_path(p);

		want = xasprintf("\nCONFIG_INITRAMFS_SOURCE=\"%s\"\n", list);
		if (!strstr(sb.buf, want))
			rc = hv_error_set(err, "setup: .config: "
					  "CONFIG_INITRAMFS_SOURCE is not the "
					  "rig's %s, so the guest has no test",
					  list);
		free(want);
		free(list);
	}
	sb_release(&sb);
	free(path);
	return rc;
}

static int
make_config(const struct rig_plan *p, struct hv_error *err)
{
	const struct rig_option *opts[64];
	size_t n = rig_options(p, opts, HV_ARRAY_SIZE(opts));
	char *build = xasprintf("%s/build", p->tmp);
	int rc = hv_mkdir_p(build, err);

	free(build);
	if (rc == 0)
		rc = config_source(p, err);
	if (rc == 0)
		rc = config_enable(p, opts, n, err);
	if (rc == 0)
		rc = run_make(p, "olddefconfig", err);
	if (rc == 0)
		rc = config_verify(p, opts, n, err);
	return rc;
}

static int
write_text(const char *dir, const char *name, const struct strbuf *sb,
	   mode_t mode, struct hv_error *err)
{
	char *path = xasprintf("%s/%s", dir, name);
	int rc = hv_write_file_atomic(path, sb->buf ? sb->buf : "", sb->len,
				      err);

	if (rc == 0 && chmod(path, mode) < 0)
		rc = hv_error_set(err, "setup: %s: %s", path, strerror(errno));
	free(path);
	return rc;
}

/* The guest's files and the config, into tmp. */
static int
write_files(const struct rig_plan *p, struct hv_rig *rig,
	    struct hv_error *err)
{
	struct strbuf sb = STRBUF_INIT;
	char *guest = xasprintf("%s/guest", p->tmp), *test;
	int rc = hv_mkdir_p(guest, err);

	if (rc == 0 && p->test) {
		test = xasprintf("%s/test", guest);
		rc = copy_file(p->test, test, 0755, err);
		free(test);
	}
	if (rc == 0) {
		rig_init_text(p, &sb);
		rc = write_text(guest, "init", &sb, 0755, err);
	}
	if (rc == 0 && p->o->rootfs != HV_ROOTFS_HOST) {
		sb_reset(&sb);
		rig_initramfs_list(p, &sb);
		rc = write_text(p->tmp, "initramfs.list", &sb, 0644, err);
	}
	if (rc == 0) {
		sb_reset(&sb);
		rig_config_text(p, &sb);
		rc = write_text(p->tmp, "config", &sb, 0644, err);
		rig->config_text = sb_detach(&sb);
	}
	sb_release(&sb);
	free(guest);
	return rc;
}

/*
 * tmp becomes rig/. An earlier rig's build directory moves into it with
 * the new .config, so its objects serve the next build.
 */
static int
install(const struct rig_plan *p, struct hv_error *err)
{
	char *old_build = xasprintf("%s/build", p->dir);
	char *new_build = xasprintf("%s/build", p->tmp);
	char *old = xasprintf("%s/rig.old.%ld", p->halve_dir, (long)getpid());
	char *from = xasprintf("%s/.config", new_build);
	char *to = xasprintf("%s/.config", old_build);
	int rc = 0;

	if (hv_file_exists(old_build) &&
	    (rename(from, to) < 0 || hv_remove_tree(new_build) < 0 ||
	     rename(old_build, new_build) < 0))
		rc = hv_error_set(err, "setup: %s: %s", old_build,
				  strerror(errno));
	if (rc == 0 && hv_file_exists(p->dir) && rename(p->dir, old) < 0)
		rc = hv_error_set(err, "setup: %s: %s", p->dir, strerror(errno));
	if (rc == 0 && rename(p->tmp, p->dir) < 0)
		rc = hv_error_set(err, "setup: %s: %s", p->dir, strerror(errno));
	hv_remove_tree(old);
	free(old_build);
	free(new_build);
	free(old);
	free(from);
	free(to);
	return rc;
}

static int
make_tmp(struct rig_plan *p, int *made_halve_dir, struct hv_error *err)
{
	*made_halve_dir = !hv_file_exists(p->halve_dir);
	if (*made_halve_dir && mkdir(p->halve_dir, 0777) < 0)
		return hv_error_set(err, "setup: %s: %s", p->halve_dir,
				    strerror(errno));
	p->tmp = xasprintf("%s/rig.new.XXXXXX", p->halve_dir);
	if (!mkdtemp(p->tmp)) {
		hv_error_set(err, "setup: %s: %s", p->tmp, strerror(errno));
		free(p->tmp);
		p->tmp = NULL;
		return -1;
	}
	return 0;
}

int
hv_rig_setup(const char *cwd, const struct hv_rig_opts *o,
	     struct hv_rig *rig, struct hv_error *err)
{
	struct rig_plan p;
	int made_halve_dir = 0, rc = -1;

	memset(&p, 0, sizeof(p));
	memset(rig, 0, sizeof(*rig));
	p.o = o;
	if (check_inputs(&p, cwd, err) < 0 ||
	    make_tmp(&p, &made_halve_dir, err) < 0)
		goto out;
	if (make_config(&p, err) == 0 && write_files(&p, rig, err) == 0 &&
	    install(&p, err) == 0)
		rc = 0;
out:
	if (p.tmp)
		hv_remove_tree(p.tmp);	/* gone already when installed */
	if (rc < 0 && made_halve_dir)
		rmdir(p.halve_dir);
	if (rc == 0) {
		rig->dir = xstrdup(p.dir);
		rig->config_path = xasprintf("%s/config", p.dir);
		rig->build_dir = xstrdup(p.build);
	} else {
		hv_rig_release(rig);
	}
	plan_release(&p);
	return rc;
}

char *
hv_rig_config(struct hv_session *s)
{
	char *path = xasprintf("%shalve/rig/config", s->repo->commondir);

	if (hv_file_exists(path))
		return path;
	free(path);
	return NULL;
}

char *
hv_rig_dir(const char *cwd)
{
	struct hv_repo *repo;
	struct hv_error err = { 0 };
	char *dir = NULL;

	if (hv_repo_open(cwd, &repo, &err) < 0) {
		hv_error_clear(&err);
		return NULL;
	}
	if (repo->workdir)
		dir = xasprintf("%shalve/rig", repo->commondir);
	hv_repo_free(repo);
	return dir;
}
