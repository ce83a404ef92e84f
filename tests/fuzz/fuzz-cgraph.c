/*
 * fuzz-cgraph.c: the commit-graph reader (src/cgraph.c) on crafted files.
 * The input is written where git keeps the graph: the first byte's low
 * bit picks the single file objects/info/commit-graph (the rest of the
 * input) or a split chain, whose layers are the rest cut at each
 * "HVFZLAYR", each named by its last 20 bytes as git names them. A graph
 * that opens is walked in full: the reader promises that every accessor
 * is then safe without further checks, so any bad read here is a check
 * missing at open.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgraph.h"
#include "fuzz.h"

#define FUZZ_LAYER_SEP "HVFZLAYR"

static char *objects;	/* this process's objects directory */

static void
cleanup(void)
{
	char *top = xstrndup(objects, strlen(objects) - strlen("/objects"));

	hv_remove_tree(top);
	free(top);
	free(objects);
}

static void
setup(void)
{
	struct hv_error err = HV_ERROR_INIT;
	const char *tmp = getenv("TMPDIR");
	char *top = xasprintf("%s/halve-fuzz-cgraph.XXXXXX",
			      tmp && *tmp ? tmp : "/tmp");

	if (!mkdtemp(top))
		abort();
	objects = xasprintf("%s/objects", top);
	free(top);
	if (hv_mkdir_p(objects, &err) < 0)
		abort();
	atexit(cleanup);
}

static void
put(const char *path, const uint8_t *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f || (len && fwrite(data, 1, len, f) != len) || fclose(f) != 0)
		abort();
}

/* The layers between separators, named by their trailers, and the chain. */
static void
write_chain(const uint8_t *data, size_t size)
{
	char *dir = xasprintf("%s/info/commit-graphs", objects);
	struct strbuf chain = STRBUF_INIT;
	struct hv_error err = HV_ERROR_INIT;
	const uint8_t *p = data, *end = data + size;
	size_t seplen = strlen(FUZZ_LAYER_SEP);
	char *path;

	if (hv_mkdir_p(dir, &err) < 0)
		abort();
	while (p <= end) {
		const uint8_t *q = memmem(p, (size_t)(end - p), FUZZ_LAYER_SEP, seplen);
		struct hv_oid name;
		char hex[41];
		size_t len;

		if (!q)
			q = end;
		len = (size_t)(q - p);
		memset(&name, 0, sizeof(name));
		memcpy(name.id, len >= 20 ? q - 20 : p, len >= 20 ? 20 : len);
		hv_oid_fmt(hex, &name);
		path = xasprintf("%s/graph-%s.graph", dir, hex);
		put(path, p, len);
		free(path);
		sb_addf(&chain, "%s\n", hex);
		p = q + seplen;
	}
	path = xasprintf("%s/commit-graph-chain", dir);
	put(path, (const uint8_t *)chain.buf, chain.len);
	free(path);
	sb_release(&chain);
	free(dir);
}

static void
walk(const struct hv_cgraph *g)
{
	uint32_t n = hv_cgraph_count(g), pos, found, k, np;
	uint32_t par[4];
	struct hv_oid oid;

	for (pos = 0; pos < n; pos++) {
		hv_cgraph_oid(g, pos, &oid);
		if (!hv_cgraph_find(g, &oid, &found))
			abort();	/* every commit can be looked up */
		hv_cgraph_time(g, pos);
		hv_cgraph_generation(g, pos);
		np = hv_cgraph_parents(g, pos, par, 4);
		for (k = 0; k < np && k < 4; k++)
			if (par[k] >= n)
				abort();	/* parents were checked at open */
	}
}

int
FUZZ_TARGET(cgraph)(const uint8_t *data, size_t size)
{
	struct hv_error err = HV_ERROR_INIT;
	struct hv_cgraph *g;
	char *info, *single;

	if (!objects)
		setup();
	info = xasprintf("%s/info", objects);
	single = xasprintf("%s/commit-graph", info);
	hv_remove_tree(info);
	if (hv_mkdir_p(info, &err) < 0)
		abort();
	if (size && data[0] & 1)
		write_chain(data + 1, size - 1);
	else
		put(single, size ? data + 1 : data, size ? size - 1 : 0);
	if (hv_cgraph_open(objects, &g, &err) == 0) {
		if (g)
			walk(g);
		hv_cgraph_free(g);
	} else if (!err.msg) {
		abort();	/* a refusal says why */
	}
	hv_error_clear(&err);
	free(single);
	free(info);
	return 0;
}
