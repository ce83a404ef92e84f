/*
 * cgraph.c: opening and checking git's commit-graph files (see cgraph.h
 * and gitformat-commit-graph(5)).
 *
 * All the work is done at open: map each file, find its chunks, and walk
 * every commit once to prove that the accessors in cgraph.h can read
 * without bounds checks (oids sorted and matching the fanout, parents in
 * range, octopus lists terminated inside EDGE, generations increasing
 * along every edge so the graph has no cycle). That pass is linear and
 * touches pages the caller is about to read anyway.
 *
 * It must not run git, print, or trust a byte it has not checked. It does
 * not verify the trailing checksum (that would need a SHA-1 over the whole
 * file); a split layer's trailer is compared with the name the chain gives
 * it, which catches truncation and mix-ups.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgraph.h"

#define HEADER_SIZE 8
#define TOC_WIDTH 12
#define FANOUT_SIZE (256 * 4)
#define GEN_V1_MAX 0x3fffffffu	/* git caps topological levels here */
#define MAX_COMMITS HV_CGRAPH_PARENT_NONE	/* positions must stay below */

#define ID(a, b, c, d) \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | \
	 (uint32_t)(d))
#define CHUNK_OIDF ID('O', 'I', 'D', 'F')
#define CHUNK_OIDL ID('O', 'I', 'D', 'L')
#define CHUNK_CDAT ID('C', 'D', 'A', 'T')
#define CHUNK_EDGE ID('E', 'D', 'G', 'E')
#define CHUNK_BASE ID('B', 'A', 'S', 'E')

/*
 * State while opening: the graph being built, and the levels of every
 * commit loaded so far in one dense array. The checks look a parent's
 * level up at random; 4 bytes a commit stay in cache where the 36-byte
 * CDAT rows would not (1M commits, 2 cores: open takes ~65 ms, not
 * ~170 ms; without the level checks it would be ~12 ms).
 */
struct loader {
	struct hv_cgraph *g;
	uint32_t *level;	/* g->count entries */
	size_t alloc;
	struct hv_error *err;
};

/* What parse_layer() finds besides what the accessors need. */
struct layer_info {
	unsigned nbases;
	const unsigned char *bases;	/* BASE chunk: nbases * 20 bytes */
};

static uint64_t
be64(const unsigned char *p)
{
	return (uint64_t)hv_cgraph_be32_(p) << 32 | hv_cgraph_be32_(p + 4);
}

static uint32_t
fanout(const struct hv_cgraph_layer *l, unsigned byte)
{
	return hv_cgraph_be32_(l->fanout + 4 * byte);
}

/* Returns 1 and leaves l untouched when path does not exist. */
static int
map_file(const char *path, struct hv_cgraph_layer *l, struct hv_error *err)
{
	struct stat st;
	void *map;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		if (errno == ENOENT)
			return 1;
		return hv_error_set(err, "open %s: %s", path, strerror(errno));
	}
	if (fstat(fd, &st) < 0) {
		hv_error_set(err, "stat %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	/* Header, terminator-only TOC and trailer: anything less is cut. */
	if (st.st_size < HEADER_SIZE + TOC_WIDTH + HV_CGRAPH_HASH_LEN) {
		close(fd);
		return hv_error_set(err, "read %s: truncated commit-graph",
				    path);
	}
	if ((uint64_t)st.st_size > SIZE_MAX) {
		close(fd);
		return hv_error_set(err, "read %s: too large to map", path);
	}
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return hv_error_set(err, "mmap %s: %s", path, strerror(errno));
	l->map = map;
	l->size = (size_t)st.st_size;
	return 0;
}

/* Header and table of contents: sets the chunk pointers and l->n. */
static int
parse_layer(struct hv_cgraph_layer *l, struct layer_info *info,
	    const char *path, struct hv_error *err)
{
	const unsigned char *m = l->map;
	uint64_t end = l->size - HV_CGRAPH_HASH_LEN;	/* trailer starts */
	uint64_t toc_end, oidl_len = 0, cdat_len = 0, edge_len = 0;
	uint64_t base_len = 0;
	unsigned nchunks, i;
	uint32_t seen[256];

	if (memcmp(m, "CGPH", 4))
		return hv_error_set(err, "read %s: not a commit-graph "
				    "(bad signature)", path);
	if (m[4] != 1)
		return hv_error_set(err, "read %s: unsupported commit-graph "
				    "version %u", path, m[4]);
	if (m[5] != 1)
		return hv_error_set(err, "read %s: unsupported hash version %u "
				    "(only SHA-1 is supported)", path, m[5]);
	nchunks = m[6];
	info->nbases = m[7];
	info->bases = NULL;
	toc_end = HEADER_SIZE + (uint64_t)(nchunks + 1) * TOC_WIDTH;
	if (toc_end > end)
		return hv_error_set(err, "read %s: truncated commit-graph "
				    "(chunk table)", path);

	for (i = 0; i < nchunks; i++) {
		const unsigned char *t = m + HEADER_SIZE + i * TOC_WIDTH;
		uint32_t id = hv_cgraph_be32_(t);
		uint64_t off = be64(t + 4), next = be64(t + TOC_WIDTH + 4);
		unsigned j;

		if (id == 0)
			return hv_error_set(err, "read %s: chunk table ends "
					    "early", path);
		for (j = 0; j < i; j++)
			if (seen[j] == id)
				return hv_error_set(err, "read %s: chunk "
						    "%08x appears twice",
						    path, id);
		seen[i] = id;
		if (off < toc_end || next < off || next > end)
			return hv_error_set(err, "read %s: chunk %08x out of "
					    "bounds (truncated?)", path, id);
		switch (id) {
		case CHUNK_OIDF:
			if (next - off != FANOUT_SIZE)
				return hv_error_set(err, "read %s: fanout "
						    "chunk has wrong size",
						    path);
			l->fanout = m + off;
			break;
		case CHUNK_OIDL:
			l->oids = m + off;
			oidl_len = next - off;
			break;
		case CHUNK_CDAT:
			l->data = m + off;
			cdat_len = next - off;
			break;
		case CHUNK_EDGE:
			l->edges = m + off;
			edge_len = next - off;
			break;
		case CHUNK_BASE:
			info->bases = m + off;
			base_len = next - off;
			break;
		default:
			break;	/* GDA2, BIDX, ...: not needed here */
		}
	}
	if (hv_cgraph_be32_(m + HEADER_SIZE + nchunks * TOC_WIDTH) != 0)
		return hv_error_set(err, "read %s: chunk table not terminated",
				    path);

	if (!l->fanout || !l->oids || !l->data)
		return hv_error_set(err, "read %s: missing %s chunk", path,
				    !l->fanout ? "OIDF" :
				    !l->oids ? "OIDL" : "CDAT");
	for (i = 1; i < 256; i++)
		if (fanout(l, i) < fanout(l, i - 1))
			return hv_error_set(err, "read %s: fanout not sorted",
					    path);
	l->n = fanout(l, 255);
	if (oidl_len != (uint64_t)l->n * HV_CGRAPH_HASH_LEN ||
	    cdat_len != (uint64_t)l->n * HV_CGRAPH_DATA_WIDTH)
		return hv_error_set(err, "read %s: chunk sizes do not match "
				    "%u commits", path, l->n);
	if (edge_len % 4 || edge_len / 4 > UINT32_MAX)
		return hv_error_set(err, "read %s: bad EDGE chunk size", path);
	l->nedges = (uint32_t)(edge_len / 4);
	if (info->nbases &&
	    (!info->bases || base_len != info->nbases * HV_CGRAPH_HASH_LEN))
		return hv_error_set(err, "read %s: BASE chunk does not list "
				    "%u graphs", path, info->nbases);
	return 0;
}

/*
 * A parent reference is fine when it points into this layer or below and
 * is a strict ancestor by level (which also rules out cycles). Levels
 * saturate at GEN_V1_MAX, where only "not above" can be asked.
 */
static int
parent_ok(const uint32_t *level, uint32_t limit, uint32_t child_level,
	  uint32_t parent)
{
	uint32_t pl;

	if (parent >= limit)
		return 0;
	pl = level[parent];
	return pl < child_level ||
	       (child_level == GEN_V1_MAX && pl == GEN_V1_MAX);
}

/*
 * Walk every commit of the top layer (already counted in ld->g, its
 * levels already in ld->level): oid order and fanout, parent references,
 * octopus lists.
 */
static int
check_layer(const struct loader *ld, const char *path)
{
	const struct hv_cgraph_layer *l = &ld->g->layer[ld->g->nlayers - 1];
	const uint32_t *level = ld->level;
	struct hv_error *err = ld->err;
	uint32_t limit = l->base + l->n, i;

	for (i = 0; i < l->n; i++) {
		const unsigned char *oid, *d;
		uint32_t p1, p2, lv, e;

		oid = l->oids + (size_t)i * HV_CGRAPH_HASH_LEN;
		d = l->data + (size_t)i * HV_CGRAPH_DATA_WIDTH;
		p1 = hv_cgraph_be32_(d + 20);
		p2 = hv_cgraph_be32_(d + 24);
		lv = hv_cgraph_be32_(d + 28) >> 2;

		if ((oid[0] && i < fanout(l, oid[0] - 1)) ||
		    i >= fanout(l, oid[0]) ||
		    (i && memcmp(oid - HV_CGRAPH_HASH_LEN, oid,
				 HV_CGRAPH_HASH_LEN) >= 0))
			return hv_error_set(err, "read %s: commit %u out of "
					    "order", path, i);
		if (p1 == HV_CGRAPH_PARENT_NONE) {
			if (p2 != HV_CGRAPH_PARENT_NONE)
				goto bad_parent;
			continue;
		}
		if (!parent_ok(level, limit, lv, p1))
			goto bad_parent;
		if (p2 == HV_CGRAPH_PARENT_NONE)
			continue;
		if (!(p2 & HV_CGRAPH_OCTOPUS)) {
			if (!parent_ok(level, limit, lv, p2))
				goto bad_parent;
			continue;
		}
		for (e = p2 & ~HV_CGRAPH_OCTOPUS;; e++) {
			uint32_t v, v_parent;

			if (e >= l->nedges)
				return hv_error_set(err, "read %s: octopus "
						    "parents of commit %u "
						    "run past EDGE", path, i);
			v = hv_cgraph_be32_(l->edges + (size_t)e * 4);
			v_parent = v & ~HV_CGRAPH_LAST_EDGE;
			if (!parent_ok(level, limit, lv, v_parent))
				goto bad_parent;
			if (v & HV_CGRAPH_LAST_EDGE)
				break;
		}
		continue;
bad_parent:
		return hv_error_set(err, "read %s: commit %u has a bad parent",
				    path, i);
	}
	return 0;
}

/*
 * Map, parse and check the file at path as the next layer of ld->g (room
 * for it already allocated). Returns 1 if the file does not exist.
 */
static int
add_layer(struct loader *ld, const char *path, struct layer_info *info)
{
	struct hv_cgraph *g = ld->g;
	struct hv_cgraph_layer *l = &g->layer[g->nlayers];
	uint32_t i;
	int r;

	memset(l, 0, sizeof(*l));
	r = map_file(path, l, ld->err);
	if (r)
		return r;
	g->nlayers++;	/* from here hv_cgraph_free() unmaps it */
	if (parse_layer(l, info, path, ld->err) < 0)
		return -1;
	if (l->n > MAX_COMMITS - g->count)
		return hv_error_set(ld->err, "read %s: too many commits",
				    path);
	l->base = g->count;
	g->count += l->n;
	HV_GROW(ld->level, g->count, ld->alloc);
	for (i = 0; i < l->n; i++)
		ld->level[l->base + i] = hv_cgraph_be32_(l->data +
			(size_t)i * HV_CGRAPH_DATA_WIDTH + 28) >> 2;
	return check_layer(ld, path);
}

static int
open_single(struct loader *ld, const char *path)
{
	struct layer_info info;
	int r;

	ld->g->layer = xcalloc(1, sizeof(*ld->g->layer));
	r = add_layer(ld, path, &info);
	if (r == 0 && info.nbases)
		r = hv_error_set(ld->err, "read %s: names %u base graphs "
				 "but is not in a chain", path, info.nbases);
	return r;
}

/*
 * One hash per line, base first; blank lines are tolerated. Bounded by
 * text->len: hv_read_file() leaves an empty file's buffer unterminated.
 */
static int
parse_chain(const char *path, const struct strbuf *text,
	    struct hv_oid **hashes, uint32_t *n, struct hv_error *err)
{
	const char *line = text->buf, *end = text->buf + text->len;
	size_t alloc = 0;

	*hashes = NULL;
	*n = 0;
	while (line < end) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		size_t len = (size_t)((nl ? nl : end) - line);
		char hex[2 * HV_CGRAPH_HASH_LEN + 1];

		if (len && line[len - 1] == '\r')
			len--;
		if (len) {
			if (len != 2 * HV_CGRAPH_HASH_LEN || *n >= 255)
				goto bad;
			memcpy(hex, line, len);
			hex[len] = 0;
			HV_GROW(*hashes, *n + 1, alloc);
			if (hv_oid_parse(&(*hashes)[*n], hex) < 0)
				goto bad;
			(*n)++;
		}
		line = nl ? nl + 1 : end;
	}
	return 0;
bad:
	free(*hashes);
	*hashes = NULL;
	return hv_error_set(err, "read %s: malformed commit-graph chain",
			    path);
}

/* A chain layer must name its bases as the chain does, and be the file
 * the chain names (its trailer is its name). */
static int
check_chain_link(const struct hv_cgraph *g, const struct layer_info *info,
		 const struct hv_oid *hashes, const char *path,
		 struct hv_error *err)
{
	const struct hv_cgraph_layer *l = &g->layer[g->nlayers - 1];
	uint32_t k = g->nlayers - 1, j;

	if (info->nbases != k)
		return hv_error_set(err, "read %s: layer %u of the chain names "
				    "%u base graphs", path, k, info->nbases);
	for (j = 0; j < k; j++)
		if (memcmp(info->bases + j * HV_CGRAPH_HASH_LEN, hashes[j].id,
			   HV_CGRAPH_HASH_LEN))
			return hv_error_set(err, "read %s: base graph %u does "
					    "not match the chain", path, j);
	if (memcmp(l->map + l->size - HV_CGRAPH_HASH_LEN, hashes[k].id,
		   HV_CGRAPH_HASH_LEN))
		return hv_error_set(err, "read %s: checksum does not match "
				    "its name (truncated?)", path);
	return 0;
}

static int
open_chain(struct loader *ld, const char *objects_dir)
{
	struct hv_cgraph *g = ld->g;
	struct hv_error *err = ld->err;
	char *chain = xasprintf("%s/info/commit-graphs/commit-graph-chain",
				objects_dir);
	struct strbuf text = STRBUF_INIT;
	struct hv_oid *hashes = NULL;
	uint32_t n = 0, k;
	int r = 0;

	if (hv_read_file(chain, &text) < 0) {
		r = errno == ENOENT ? 1 :
		    hv_error_set(err, "read %s: %s", chain, strerror(errno));
		goto out;
	}
	if (parse_chain(chain, &text, &hashes, &n, err) < 0) {
		r = -1;
		goto out;
	}
	if (!n) {
		r = 1;	/* an empty chain is no graph, as for git */
		goto out;
	}
	g->layer = xcalloc(n, sizeof(*g->layer));
	for (k = 0; k < n && r == 0; k++) {
		struct layer_info info;
		char hex[41];
		char *path;

		hv_oid_fmt(hex, &hashes[k]);
		path = xasprintf("%s/info/commit-graphs/graph-%s.graph",
				 objects_dir, hex);
		r = add_layer(ld, path, &info);
		if (r == 1)
			r = hv_error_set(err, "read %s: missing, but listed in "
					 "the commit-graph chain", path);
		else if (r == 0)
			r = check_chain_link(g, &info, hashes, path, err);
		free(path);
	}
out:
	free(hashes);
	sb_release(&text);
	free(chain);
	return r;
}

/* The single file at path; else, when chain_dir is given, its chain. */
static int
open_graph(const char *path, const char *chain_dir, struct hv_cgraph **out,
	   struct hv_error *err)
{
	struct hv_cgraph *g = xcalloc(1, sizeof(*g));
	struct loader ld = { g, NULL, 0, err };
	int r;

	*out = NULL;
	r = open_single(&ld, path);
	if (r == 1 && chain_dir) {
		free(g->layer);
		g->layer = NULL;
		r = open_chain(&ld, chain_dir);
	}
	free(ld.level);
	if (r != 0) {
		hv_cgraph_free(g);
		return r < 0 ? -1 : 0;
	}
	*out = g;
	return 0;
}

int
hv_cgraph_open(const char *objects_dir, struct hv_cgraph **out,
	       struct hv_error *err)
{
	char *path = xasprintf("%s/info/commit-graph", objects_dir);
	int r = open_graph(path, objects_dir, out, err);

	free(path);
	return r;
}

int
hv_cgraph_open_file(const char *path, struct hv_cgraph **out,
		    struct hv_error *err)
{
	return open_graph(path, NULL, out, err);
}

void
hv_cgraph_free(struct hv_cgraph *g)
{
	uint32_t k;

	if (!g)
		return;
	for (k = 0; k < g->nlayers; k++)
		munmap((void *)g->layer[k].map, g->layer[k].size);
	free(g->layer);
	free(g);
}

static int
find_in_layer(const struct hv_cgraph_layer *l, const struct hv_oid *oid,
	      uint32_t *pos)
{
	unsigned byte = oid->id[0];
	uint32_t lo = byte ? fanout(l, byte - 1) : 0, hi = fanout(l, byte);

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		int c = memcmp(l->oids + (size_t)mid * HV_CGRAPH_HASH_LEN,
			       oid->id, HV_CGRAPH_HASH_LEN);

		if (c == 0) {
			*pos = l->base + mid;
			return 1;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

int
hv_cgraph_find(const struct hv_cgraph *g, const struct hv_oid *oid,
	       uint32_t *pos)
{
	uint32_t k;

	/* Newest layer first: recent commits are the ones asked about. */
	for (k = g->nlayers; k-- > 0;)
		if (find_in_layer(&g->layer[k], oid, pos))
			return 1;
	return 0;
}

/*
 * The writer: a single commit-graph file in git's format, version 1,
 * SHA-1, chunks OIDF, OIDL, CDAT and (for octopus merges) EDGE, with
 * topological levels as generations. The trailing checksum is left zero:
 * no library here offers a bare SHA-1, halve's reader never checks it
 * (nor does git's when it reads a graph), and the file lives under
 * .git/halve/, where git does not look.
 */

/* An index sorted by oid. */
struct by_oid {
	struct hv_oid oid;
	uint32_t idx;
};

static int
cmp_by_oid(const void *a, const void *b)
{
	return memcmp(((const struct by_oid *)a)->oid.id,
		      ((const struct by_oid *)b)->oid.id, HV_CGRAPH_HASH_LEN);
}

/*
 * level[i]: 1 for a root, else one more than its parents' highest
 * (capped as git caps it); -1 on a cycle or a parent out of range. A
 * depth-first walk with a cursor per commit, so a long chain is no
 * recursion.
 */
static int
compute_levels(const struct hv_cgraph_commit *c, uint32_t n,
	       const uint32_t *parents, size_t nparents, uint32_t *level)
{
	uint32_t *stack = xmalloc((n ? n : 1) * sizeof(*stack));
	uint32_t *cursor = xcalloc(n ? n : 1, sizeof(*cursor));
	uint32_t i;
	int rc = 0;

	memset(level, 0, n * sizeof(*level));
	for (i = 0; i < n && rc == 0; i++) {
		size_t sp = 0;

		if (level[i])
			continue;
		stack[sp++] = i;
		level[i] = UINT32_MAX;	/* on the stack */
		while (sp && rc == 0) {
			uint32_t x = stack[sp - 1], p, lv = 0, k;

			if ((size_t)c[x].par_off + c[x].npar > nparents) {
				rc = -1;
				break;
			}
			if (cursor[x] < c[x].npar) {
				p = parents[c[x].par_off + cursor[x]++];
				if (p >= n || level[p] == UINT32_MAX)
					rc = -1;
				else if (!level[p]) {
					level[p] = UINT32_MAX;
					stack[sp++] = p;
				}
				continue;
			}
			for (k = 0; k < c[x].npar; k++)
				if (level[parents[c[x].par_off + k]] > lv)
					lv = level[parents[c[x].par_off + k]];
			level[x] = lv < GEN_V1_MAX ? lv + 1 : GEN_V1_MAX;
			sp--;
		}
	}
	free(stack);
	free(cursor);
	return rc;
}

static void
put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static void
put_toc(unsigned char *t, uint32_t id, uint64_t off)
{
	put32(t, id);
	put32(t + 4, (uint32_t)(off >> 32));
	put32(t + 8, (uint32_t)off);
}

/* One CDAT row; *edge is the next free EDGE entry. */
static void
put_commit(unsigned char *row, unsigned char *edges, uint32_t *edge,
	   const struct hv_cgraph_commit *c, const uint32_t *parents,
	   const uint32_t *rank, uint32_t level)
{
	const uint32_t *par = parents + c->par_off;
	uint64_t t = c->time < 0 ? 0 :
		     (uint64_t)c->time > 0x3ffffffffull ? 0x3ffffffffull :
		     (uint64_t)c->time;
	uint32_t k;

	memcpy(row, c->tree.id, HV_CGRAPH_HASH_LEN);
	put32(row + 20, c->npar ? rank[par[0]] : HV_CGRAPH_PARENT_NONE);
	if (c->npar <= 2) {
		put32(row + 24, c->npar == 2 ? rank[par[1]] :
		      HV_CGRAPH_PARENT_NONE);
	} else {
		put32(row + 24, HV_CGRAPH_OCTOPUS | *edge);
		for (k = 1; k < c->npar; k++)
			put32(edges + (size_t)(*edge)++ * 4, rank[par[k]] |
			      (k + 1 == c->npar ? HV_CGRAPH_LAST_EDGE : 0));
	}
	put32(row + 28, level << 2 | (uint32_t)(t >> 32));
	put32(row + 32, (uint32_t)t);
}

int
hv_cgraph_write(const char *path, const struct hv_cgraph_commit *c,
		uint32_t n, const uint32_t *parents, size_t nparents,
		struct hv_error *err)
{
	struct by_oid *sorted;
	uint32_t *level, *rank, i, nedges = 0, edge = 0, nchunks;
	uint32_t fan[256] = { 0 }, total = 0;
	unsigned b;
	uint64_t off_oidf, off_oidl, off_cdat, off_edge, size;
	unsigned char *buf;
	int rc;

	if (n >= MAX_COMMITS)
		return hv_error_set(err, "write %s: too many commits", path);
	level = xmalloc((n ? n : 1) * sizeof(*level));
	if (compute_levels(c, n, parents, nparents, level) < 0) {
		free(level);
		return hv_error_set(err, "write %s: parents out of range or "
				    "in a cycle", path);
	}
	sorted = xmalloc((n ? n : 1) * sizeof(*sorted));
	rank = xmalloc((n ? n : 1) * sizeof(*rank));
	for (i = 0; i < n; i++) {
		sorted[i].oid = c[i].oid;
		sorted[i].idx = i;
		if (c[i].npar > 2)
			nedges += c[i].npar - 1;
	}
	qsort(sorted, n, sizeof(*sorted), cmp_by_oid);
	for (i = 0; i < n; i++)
		rank[sorted[i].idx] = i;

	nchunks = nedges ? 4 : 3;
	off_oidf = HEADER_SIZE + (uint64_t)(nchunks + 1) * TOC_WIDTH;
	off_oidl = off_oidf + FANOUT_SIZE;
	off_cdat = off_oidl + (uint64_t)n * HV_CGRAPH_HASH_LEN;
	off_edge = off_cdat + (uint64_t)n * HV_CGRAPH_DATA_WIDTH;
	size = off_edge + (uint64_t)nedges * 4 + HV_CGRAPH_HASH_LEN;
	buf = xcalloc(size, 1);

	memcpy(buf, "CGPH", 4);
	buf[4] = 1;		/* version */
	buf[5] = 1;		/* SHA-1 */
	buf[6] = (unsigned char)nchunks;
	put_toc(buf + HEADER_SIZE, CHUNK_OIDF, off_oidf);
	put_toc(buf + HEADER_SIZE + TOC_WIDTH, CHUNK_OIDL, off_oidl);
	put_toc(buf + HEADER_SIZE + 2 * TOC_WIDTH, CHUNK_CDAT, off_cdat);
	if (nedges)
		put_toc(buf + HEADER_SIZE + 3 * TOC_WIDTH, CHUNK_EDGE,
			off_edge);
	put_toc(buf + HEADER_SIZE + nchunks * TOC_WIDTH, 0,
		off_edge + (uint64_t)nedges * 4);

	for (i = 0; i < n; i++)
		fan[sorted[i].oid.id[0]]++;
	for (b = 0; b < 256; b++) {
		total += fan[b];
		put32(buf + off_oidf + 4 * b, total);
	}
	for (i = 0; i < n; i++) {
		const struct hv_cgraph_commit *x = &c[sorted[i].idx];

		memcpy(buf + off_oidl + (size_t)i * HV_CGRAPH_HASH_LEN,
		       x->oid.id, HV_CGRAPH_HASH_LEN);
		put_commit(buf + off_cdat + (size_t)i * HV_CGRAPH_DATA_WIDTH,
			   buf + off_edge, &edge, x, parents, rank,
			   level[sorted[i].idx]);
	}
	rc = hv_write_file_atomic(path, buf, size, err);
	free(buf);
	free(rank);
	free(sorted);
	free(level);
	return rc;
}
