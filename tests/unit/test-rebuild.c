/*
 * test-rebuild.c: the rebuild-cost model (src/rebuild.h) on dependency
 * files written as kbuild and gcc write them: a kernel's out-of-tree
 * build directory (absolute source paths, generated headers of its own,
 * config wildcards) and a plain project's in-tree .d files; what a set of
 * changed files costs, each object counted once.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rebuild.h"
#include "tap.h"

static void
put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f || fputs(text, f) < 0 || fclose(f)) {
		printf("Bail out! cannot write %s\n", path);
		exit(99);
	}
}

static size_t
cost(struct hv_rebuild *rb, const char *a, const char *b)
{
	const char *v[2] = { a, b };

	return hv_rebuild_cost(rb, v, b ? 2 : 1);
}

/* An out-of-tree kbuild directory beside a source tree. */
static void
kernel(const char *top)
{
	struct hv_rebuild *rb = NULL;
	struct hv_error err = HV_ERROR_INIT;
	char *src = NULL, *build = NULL, *text;

	if (asprintf(&src, "%s/linux", top) < 0 ||
	    asprintf(&build, "%s/build", top) < 0)
		exit(99);
	mkdir(src, 0755);
	mkdir(build, 0755);
	if (chdir(build) < 0)
		exit(99);
	mkdir("fs", 0755);
	mkdir("fs/proc", 0755);
	mkdir("init", 0755);
	if (asprintf(&text,
		     "cmd_fs/proc/cmdline.o := gcc -c -o fs/proc/cmdline.o %s/fs/proc/cmdline.c\n"
		     "\n"
		     "source_fs/proc/cmdline.o := %s/fs/proc/cmdline.c\n"
		     "\n"
		     "deps_fs/proc/cmdline.o := \\\n"
		     "  %s/include/linux/kconfig.h \\\n"
		     "    $(wildcard include/config/CPU_BIG_ENDIAN) \\\n"
		     "  include/generated/autoconf.h \\\n"
		     "  %s/include/linux/fs.h \\\n"
		     "  /usr/include/stdio.h \\\n"
		     "\n"
		     "fs/proc/cmdline.o: $(deps_fs/proc/cmdline.o)\n"
		     "\n"
		     "$(deps_fs/proc/cmdline.o):\n", src, src, src, src) < 0)
		exit(99);
	put("fs/proc/.cmdline.o.cmd", text);
	free(text);
	if (asprintf(&text,
		     "source_init/main.o := %s/init/main.c\n"
		     "deps_init/main.o := \\\n"
		     "  %s/include/linux/kconfig.h \\\n"
		     "  %s/include/linux/../linux/init.h \\\n"
		     "\n", src, src, src) < 0)
		exit(99);
	put("init/.main.o.cmd", text);
	free(text);
	put(".vmlinux.cmd", "cmd_vmlinux := ld -o vmlinux init/main.o\n");
	if (chdir(src) < 0)
		exit(99);
	mkdir("fs", 0755);
	mkdir("fs/proc", 0755);
	put("fs/proc/unconfigured.c", "int unconfigured;\n");
	if (chdir(build) < 0)
		exit(99);

	is_int(hv_rebuild_load(build, src, &rb, &err), 0, "kbuild: loaded");
	if (!rb) {
		free(src);
		free(build);
		return;
	}
	is_int(hv_rebuild_objects(rb), 2, "kbuild: two compiled objects (the link is none)");
	is_int(cost(rb, "include/linux/kconfig.h", NULL), 2,
	       "kbuild: a header both include rebuilds both");
	is_int(cost(rb, "include/linux/kconfig.h", "include/linux/fs.h"), 2,
	       "kbuild: an object two changed headers reach counts once");
	is_int(cost(rb, "include/linux/init.h", NULL), 1,
	       "kbuild: a path with .. in it is the file it names");
	is_int(cost(rb, "fs/proc/cmdline.c", NULL), 1, "kbuild: a source rebuilds its object");
	is_int(cost(rb, "drivers/gpu/drm/i915/i915_drv.c", NULL), 0,
	       "kbuild: a file the configuration does not build costs nothing");
	is_int(cost(rb, "fs/proc/version.c", NULL), 1,
	       "kbuild: a new source where objects are compiled costs one");
	is_int(cost(rb, "fs/proc/unconfigured.c", NULL), 0,
	       "kbuild: a source the tree has and the configuration leaves out, "
	       "beside one it builds, costs nothing");
	is_int(cost(rb, "include/generated/autoconf.h", NULL), 0,
	       "kbuild: a generated header is no file of the tree");
	is_int(cost(rb, "usr/include/stdio.h", NULL), 0,
	       "kbuild: the system's headers are dropped");
	is_int(cost(rb, "include/config/CPU_BIG_ENDIAN", NULL), 0,
	       "kbuild: config wildcards are no files");
	hv_rebuild_free(rb);
	free(src);
	free(build);
}

/* A plain project: gcc -MMD -MP in the source directory. */
static void
plain(const char *top)
{
	struct hv_rebuild *rb = NULL;
	struct hv_error err = HV_ERROR_INIT;
	char *dir = NULL;

	if (asprintf(&dir, "%s/plain", top) < 0)
		exit(99);
	mkdir(dir, 0755);
	if (chdir(dir) < 0)
		exit(99);
	mkdir("lib", 0755);
	put("a.d", "a.o: a.c common.h \\\n lib/util.h\n\ncommon.h:\n\nlib/util.h:\n");
	put("lib/util.d", "lib/util.o: lib/util.c lib/util.h\n");
	put("notes.d", "this is not a dependency file\n");
	is_int(hv_rebuild_load(".", ".", &rb, &err), 0, "gcc: loaded");
	if (!rb)
		return;
	is_int(hv_rebuild_objects(rb), 2, "gcc: -MP's empty rules are no objects");
	is_int(cost(rb, "lib/util.h", NULL), 2, "gcc: a shared header rebuilds both");
	is_int(cost(rb, "common.h", NULL), 1, "gcc: a header one includes");
	is_int(cost(rb, "README", NULL), 0, "gcc: a file nothing includes");
	hv_rebuild_free(rb);
	rb = NULL;
	mkdir("empty", 0755);
	is_int(hv_rebuild_load("empty", ".", &rb, &err), 1,
	       "nothing built: no model, no error");
	ok(hv_rebuild_load("missing", ".", &rb, &err) < 0 && err.msg &&
	   strstr(err.msg, "missing: "), "a build directory that is not there: an error naming it");
	hv_error_clear(&err);
	free(dir);
}

int
main(void)
{
	char tmpl[] = "/tmp/halve-rebuild.XXXXXX";
	char *top = mkdtemp(tmpl);
	char *cmd;

	if (!top) {
		printf("Bail out! mkdtemp\n");
		return 99;
	}
	kernel(top);
	plain(top);
	if (chdir("/") < 0 || asprintf(&cmd, "rm -rf '%s'", top) < 0)
		return 99;
	if (system(cmd) != 0)
		printf("# could not remove %s\n", top);
	free(cmd);
	return done_testing();
}
