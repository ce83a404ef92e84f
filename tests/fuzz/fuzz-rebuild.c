/*
 * fuzz-rebuild.c: the rebuild-cost model's reader (src/rebuild.c) on any
 * text as a build directory's dependency files: the input up to its first
 * NUL byte is a kbuild .cmd file (build/fs/.x.o.cmd), the rest a gcc .d
 * file (build/x.d); the build directory sits inside the source tree, so
 * relative names are tried both ways. Then the cost of a few paths,
 * among them words of the input itself. Whatever the files hold, the
 * model must load or say there is none, and count without crashing.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "rebuild.h"

static char *top;

static void
cleanup(void)
{
	hv_remove_tree(top);
	free(top);
}

static void
setup(void)
{
	const char *tmp = getenv("TMPDIR");
	struct hv_error err = HV_ERROR_INIT;
	char *dir;

	top = xasprintf("%s/halve-fuzz-rebuild.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(top))
		abort();
	atexit(cleanup);
	dir = xasprintf("%s/build/fs", top);
	if (hv_mkdir_p(dir, &err) < 0)
		abort();
	free(dir);
}

static void
put(const char *rel, const uint8_t *data, size_t len)
{
	char *path = xasprintf("%s/%s", top, rel);
	struct hv_error err = HV_ERROR_INIT;

	if (hv_write_file_atomic(path, data, len, &err) < 0)
		abort();
	free(path);
}

/* The first few words of the input, as paths a diff could name. */
static size_t
words(const uint8_t *data, size_t size, char **out, size_t max)
{
	size_t n = 0, i = 0;

	while (i < size && n < max) {
		size_t j;

		while (i < size && (data[i] == ' ' || data[i] == '\n' || !data[i]))
			i++;
		for (j = i; j < size && data[j] != ' ' && data[j] != '\n' && data[j];)
			j++;
		if (j > i)
			out[n++] = xstrndup((const char *)data + i, j - i);
		i = j;
	}
	return n;
}

int
FUZZ_TARGET(rebuild)(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	size_t ncmd = nul ? (size_t)(nul - data) : size;
	struct hv_rebuild *rb = NULL;
	struct hv_error err = HV_ERROR_INIT;
	char *build, *paths[12];
	size_t n, i;

	if (!top)
		setup();
	put("build/fs/.x.o.cmd", data, ncmd);
	put("build/x.d", nul ? nul + 1 : data, nul ? size - ncmd - 1 : 0);
	build = xasprintf("%s/build", top);
	if (hv_rebuild_load(build, top, &rb, &err) == 0) {
		paths[0] = xstrdup("include/linux/kernel.h");
		paths[1] = xstrdup("fs/new.c");
		n = 2 + words(data, size, paths + 2, 10);
		(void)hv_rebuild_objects(rb);
		(void)hv_rebuild_cost(rb, (const char *const *)paths, n);
		(void)hv_rebuild_cost(rb, (const char *const *)paths, 1);
		for (i = 0; i < n; i++)
			free(paths[i]);
		hv_rebuild_free(rb);
	}
	hv_error_clear(&err);
	free(build);
	return 0;
}
