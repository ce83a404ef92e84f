/*
 * cgraph.h: read-only access to git's commit-graph files, so that halve can
 * load a million-commit range in a fraction of a second without inflating
 * a single commit object (libgit2 1.5 ignores a commit-graph that carries
 * a GDA2 chunk, which git writes by default).
 *
 * Reads objects/info/commit-graph, or else the split chain in
 * objects/info/commit-graphs/, as gitformat-commit-graph(5) describes it.
 * The files are mmapped and checked once, at open, so that every accessor
 * below is a few loads with no further checks and no allocation: a corrupt
 * file is refused at open, never met by an accessor.
 *
 * Positions are global across a split chain: the base layer's commits
 * first, then each later layer's, in the order of the chain file, which is
 * exactly how the file format numbers parents. Inside one layer commits are
 * sorted by oid, so positions are not topological: use the generation.
 *
 * This module never runs git, never prints and keeps no globals.
 */
#ifndef HALVE_CGRAPH_H
#define HALVE_CGRAPH_H

#include <stdint.h>
#include <string.h>

#include "dag.h"
#include "util.h"

/* One mmapped graph file. Everything below is private to cgraph.c and the
 * inline accessors; callers go through the functions. */
struct hv_cgraph_layer {
	const unsigned char *map;	/* the whole file, read-only */
	size_t size;
	const unsigned char *fanout;	/* OIDF: 256 big-endian counts */
	const unsigned char *oids;	/* OIDL: n * 20 bytes, sorted */
	const unsigned char *data;	/* CDAT: n * 36 bytes */
	const unsigned char *edges;	/* EDGE: nedges * 4 bytes, or NULL */
	uint32_t nedges;
	uint32_t n;			/* commits in this layer */
	uint32_t base;			/* global position of its first */
};

struct hv_cgraph {
	struct hv_cgraph_layer *layer;	/* base layer first */
	uint32_t nlayers;
	uint32_t count;			/* commits in all layers */
};

#define HV_CGRAPH_HASH_LEN 20
#define HV_CGRAPH_DATA_WIDTH (HV_CGRAPH_HASH_LEN + 16)
#define HV_CGRAPH_PARENT_NONE 0x70000000u
#define HV_CGRAPH_OCTOPUS 0x80000000u	/* second parent word: EDGE index */
#define HV_CGRAPH_LAST_EDGE 0x80000000u	/* EDGE entry: last parent */

/*
 * objects_dir is e.g. ".git/objects". Returns 0 and *out = NULL when there
 * is no commit-graph (neither the single file nor a chain); 0 and a graph
 * on success; -1 with err filled when a file is there but cannot be read
 * or is corrupt (bad signature, version, hash version other than SHA-1,
 * chunks out of bounds, truncation, a parent out of range, a chain layer
 * missing or not matching its chain). Like git, the single file wins over
 * a chain when both exist. Free with hv_cgraph_free().
 */
int hv_cgraph_open(const char *objects_dir, struct hv_cgraph **out,
		   struct hv_error *err);
/* The single commit-graph file at path (no chain); as hv_cgraph_open. */
int hv_cgraph_open_file(const char *path, struct hv_cgraph **out,
			struct hv_error *err);
void hv_cgraph_free(struct hv_cgraph *g);

/* One commit for hv_cgraph_write(); its parents are indexes into the
 * commits given, at parents[par_off .. par_off + npar). */
struct hv_cgraph_commit {
	struct hv_oid oid, tree;
	int64_t time;
	uint32_t par_off, npar;
};

/*
 * Writes the n commits (distinct oids, closed under parents) as a
 * commit-graph file at path, atomically; hv_cgraph_open_file() reads it
 * back. -1 with err filled when a parent is out of range or the parents
 * form a cycle, or the file cannot be written.
 */
int hv_cgraph_write(const char *path, const struct hv_cgraph_commit *c,
		    uint32_t n, const uint32_t *parents, size_t nparents,
		    struct hv_error *err);

/* 1 and *pos set when oid is in the graph (any layer), else 0. */
int hv_cgraph_find(const struct hv_cgraph *g, const struct hv_oid *oid,
		   uint32_t *pos);

/* The accessors below take a pos < hv_cgraph_count(g); they do not check. */

static inline uint32_t
hv_cgraph_be32_(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static inline const struct hv_cgraph_layer *
hv_cgraph_layer_of_(const struct hv_cgraph *g, uint32_t *pos)
{
	/* Chains are short (git merges layers), so a scan from the top. */
	const struct hv_cgraph_layer *l = g->layer + g->nlayers - 1;

	while (*pos < l->base)
		l--;
	*pos -= l->base;
	return l;
}

static inline uint32_t
hv_cgraph_count(const struct hv_cgraph *g)
{
	return g->count;
}

static inline void
hv_cgraph_oid(const struct hv_cgraph *g, uint32_t pos, struct hv_oid *oid)
{
	const struct hv_cgraph_layer *l = hv_cgraph_layer_of_(g, &pos);
	const unsigned char *src = l->oids + (size_t)pos * HV_CGRAPH_HASH_LEN;
	unsigned i;

	for (i = 0; i < HV_CGRAPH_HASH_LEN; i++)
		oid->id[i] = src[i];
}

/* A hint that pos will be read soon: its oid and its data row. */
static inline void
hv_cgraph_prefetch(const struct hv_cgraph *g, uint32_t pos)
{
	const struct hv_cgraph_layer *l = hv_cgraph_layer_of_(g, &pos);

	__builtin_prefetch(l->oids + (size_t)pos * HV_CGRAPH_HASH_LEN);
	__builtin_prefetch(l->data + (size_t)pos * HV_CGRAPH_DATA_WIDTH);
}

static inline void
hv_cgraph_tree(const struct hv_cgraph *g, uint32_t pos, struct hv_oid *oid)
{
	const struct hv_cgraph_layer *l = hv_cgraph_layer_of_(g, &pos);

	memcpy(oid->id, l->data + (size_t)pos * HV_CGRAPH_DATA_WIDTH,
	       HV_CGRAPH_HASH_LEN);
}

/* Committer time in seconds since the epoch (34 bits in the file). */
static inline int64_t
hv_cgraph_time(const struct hv_cgraph *g, uint32_t pos)
{
	const struct hv_cgraph_layer *l = hv_cgraph_layer_of_(g, &pos);
	const unsigned char *d = l->data + (size_t)pos * HV_CGRAPH_DATA_WIDTH;

	return (int64_t)(hv_cgraph_be32_(d + 28) & 3) << 32 |
	       (int64_t)hv_cgraph_be32_(d + 32);
}

/*
 * Topological level (generation number v1): 1 for a root, else one more
 * than the largest of its parents'. Sorting by it gives parents first.
 */
static inline uint32_t
hv_cgraph_generation(const struct hv_cgraph *g, uint32_t pos)
{
	const struct hv_cgraph_layer *l = hv_cgraph_layer_of_(g, &pos);
	const unsigned char *d = l->data + (size_t)pos * HV_CGRAPH_DATA_WIDTH;

	return hv_cgraph_be32_(d + 28) >> 2;
}

/*
 * The parents of pos as global positions, first parent first. Returns how
 * many there are and fills parents[] with up to max of them, so a caller
 * whose buffer was short can call again with a bigger one.
 */
static inline uint32_t
hv_cgraph_parents(const struct hv_cgraph *g, uint32_t pos, uint32_t *parents,
		  uint32_t max)
{
	const struct hv_cgraph_layer *l = hv_cgraph_layer_of_(g, &pos);
	const unsigned char *d = l->data + (size_t)pos * HV_CGRAPH_DATA_WIDTH;
	uint32_t p1 = hv_cgraph_be32_(d + 20), p2 = hv_cgraph_be32_(d + 24);
	const unsigned char *e;
	uint32_t n, v;

	if (p1 == HV_CGRAPH_PARENT_NONE)
		return 0;
	if (max > 0)
		parents[0] = p1;
	if (p2 == HV_CGRAPH_PARENT_NONE)
		return 1;
	if (!(p2 & HV_CGRAPH_OCTOPUS)) {
		if (max > 1)
			parents[1] = p2;
		return 2;
	}
	/* An octopus: parents 2..n in EDGE, the last one flagged. */
	e = l->edges + (size_t)(p2 & ~HV_CGRAPH_OCTOPUS) * 4;
	n = 1;
	do {
		v = hv_cgraph_be32_(e);
		e += 4;
		if (n < max)
			parents[n] = v & ~HV_CGRAPH_LAST_EDGE;
		n++;
	} while (!(v & HV_CGRAPH_LAST_EDGE));
	return n;
}

#endif
