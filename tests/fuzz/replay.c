/*
 * replay.c: the fuzz targets as a plain test for `make check`, with no
 * clang and no libFuzzer: feeds each target every file of its seed corpus
 * (tests/fuzz/corpus/T/) and of its regression inputs (tests/fuzz/regress/T/,
 * the inputs that once crashed it, kept after the fix), under
 * $HALVE_SRCDIR, one TAP line per file. Under --enable-sanitizers they run
 * with ASan and UBSan, as in the fuzzer. `replay TARGET FILE...` feeds
 * just those files, to try a crash found by `make fuzz` again.
 */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "util.h"
#include "../unit/tap.h"

typedef int fuzz_fn(const uint8_t *data, size_t size);

static const struct {
	const char *name;
	fuzz_fn *fn;
} targets[] = {
#define HV_FUZZ_ENTRY(name) { #name, FUZZ_TARGET(name) },
	HV_FUZZ_TARGETS(HV_FUZZ_ENTRY)
#undef HV_FUZZ_ENTRY
};
#define NTARGETS (sizeof(targets) / sizeof(targets[0]))

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Feeds one file; the target has nothing to say but its survival. */
static void
replay_file(fuzz_fn *fn, const char *path, const char *label)
{
	struct strbuf sb = STRBUF_INIT;

	if (hv_read_file(path, &sb) < 0) {
		ok(0, "%s is readable", label);
		return;
	}
	fn((const uint8_t *)sb.buf, sb.len);
	ok(1, "%s", label);
	sb_release(&sb);
}

/* The names in dir (none when it is missing), sorted; returns how many. */
static size_t
list_dir(const char *dir, char ***names)
{
	size_t n = 0, alloc = 0;
	struct dirent *de;
	DIR *d = opendir(dir);

	*names = NULL;
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		HV_GROW(*names, n + 1, alloc);
		(*names)[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (n)
		qsort(*names, n, sizeof(**names), by_name);
	return n;
}

/* Every file of SRCDIR/tests/fuzz/KIND/TARGET; returns how many. */
static size_t
replay_dir(const char *srcdir, const char *kind, size_t t)
{
	char *dir = xasprintf("%s/tests/fuzz/%s/%s", srcdir, kind,
			      targets[t].name);
	char **names;
	size_t n = list_dir(dir, &names), i;

	for (i = 0; i < n; i++) {
		char *path = xasprintf("%s/%s", dir, names[i]);
		char *label = xasprintf("%s/%s/%s", kind, targets[t].name,
					names[i]);

		replay_file(targets[t].fn, path, label);
		free(label);
		free(path);
		free(names[i]);
	}
	free(names);
	free(dir);
	return n;
}

int
main(int argc, char **argv)
{
	const char *srcdir = getenv("HALVE_SRCDIR");
	size_t t;
	int i;

	if (argc > 2) {
		for (t = 0; t < NTARGETS && strcmp(argv[1], targets[t].name); t++)
			;
		if (t == NTARGETS) {
			printf("Bail out! no fuzz target %s\n", argv[1]);
			return 99;
		}
		for (i = 2; i < argc; i++)
			replay_file(targets[t].fn, argv[i], argv[i]);
		return done_testing();
	}
	if (!srcdir) {
		printf("Bail out! HALVE_SRCDIR is not set (run under make check)\n");
		return 99;
	}
	for (t = 0; t < NTARGETS; t++) {
		ok(replay_dir(srcdir, "corpus", t) > 0,
		   "the seed corpus of %s is not empty", targets[t].name);
		replay_dir(srcdir, "regress", t);
	}
	return done_testing();
}
