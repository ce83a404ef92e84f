/*
 * commits.c: commits as git's history walk reads them from objects (tree,
 * parents, committer date), each read once per process, and reachability
 * over them when there is no commit-graph.
 *
 * Reading a commit from a pack is the whole cost of a walk over a history
 * without a commit-graph (a million commits: ~8 s, most of it inflating
 * and resolving deltas). The store keeps what was read, so that the check
 * that the good commits are ancestors of the bad one (which walks the
 * range first) and the range walk after it read each commit once, and the
 * range walk can write them out as halve's commit-graph cache.
 *
 * It reads through the repository's object database, so grafts, replace
 * refs and shallow boundaries are applied (history.c). It must not print.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "repo.h"

/* One commit read; its parents are oids at store.par[par_off..]. */
struct stored {
	struct hv_oid oid, tree;
	int64_t time;
	uint32_t par_off, npar;
};

struct hv_commit_store {
	struct stored *c;
	size_t n, alloc;
	struct hv_oid *par;
	size_t npar, apar;
	uint32_t *slots;	/* oid hash: index + 1 */
	uint32_t mask;
};

/* "<key> <40 hex>\n" at p: 1 and *oid set, else 0. */
static int
header_oid(const char *p, const char *end, const char *key, size_t klen,
	   struct hv_oid *oid)
{
	git_oid g;

	if ((size_t)(end - p) < klen + 41 || memcmp(p, key, klen) ||
	    p[klen + 40] != '\n' || git_oid_fromstrn(&g, p + klen, 40) < 0)
		return 0;
	memcpy(oid->id, g.id, sizeof(oid->id));
	return 1;
}

/* The date on a committer line: the number after the last '>'. */
static int64_t
committer_time(const char *line, const char *end)
{
	const char *gt = NULL, *p;
	int64_t t = 0;

	for (p = line; p < end && *p != '\n'; p++)
		if (*p == '>')
			gt = p;
	if (!gt)
		return 0;
	for (p = gt + 1; p < end && *p == ' '; p++)
		;
	for (; p < end && *p >= '0' && *p <= '9'; p++)
		t = t * 10 + (*p - '0');
	return t;
}

/*
 * The header of a commit object as git's parse_commit_buffer() reads it:
 * tree, parents, then the committer's date. Read from the raw object, not
 * through git_commit_lookup(): a walk over a range reads every commit
 * once, and libgit2's parsing of signatures and messages was a third of
 * that time (git.git, 82k commits).
 */
static int
parse_commit(const char *p, size_t len, struct hv_commit *c)
{
	const char *end = p + len;

	c->nparents = 0;
	c->time = 0;
	if (!header_oid(p, end, "tree ", 5, &c->tree))
		return -1;
	p += 46;
	for (;;) {
		HV_GROW(c->parents, c->nparents + 1, c->aparents);
		if (!header_oid(p, end, "parent ", 7, &c->parents[c->nparents]))
			break;
		c->nparents++;
		p += 48;
	}
	while (p < end && *p != '\n') {
		const char *nl = memchr(p, '\n', (size_t)(end - p));

		if ((size_t)(end - p) > 10 && !memcmp(p, "committer ", 10)) {
			c->time = committer_time(p, end);
			break;
		}
		p = nl ? nl + 1 : end;
	}
	return 0;
}

static uint32_t
hash_oid(const struct hv_oid *oid)
{
	uint32_t h;

	memcpy(&h, oid->id + 4, sizeof(h));	/* ids are uniform already */
	return h;
}

static void
store_rehash(struct hv_commit_store *st)
{
	uint32_t size = st->mask ? (st->mask + 1) * 2 : 4096, i;

	free(st->slots);
	st->slots = xcalloc(size, sizeof(*st->slots));
	st->mask = size - 1;
	for (i = 0; i < st->n; i++) {
		uint32_t h = hash_oid(&st->c[i].oid) & st->mask;

		while (st->slots[h])
			h = (h + 1) & st->mask;
		st->slots[h] = i + 1;
	}
}

/* The slot where oid is, or would go. */
static uint32_t *
store_slot(struct hv_commit_store *st, const struct hv_oid *oid)
{
	uint32_t h;

	if (!st->slots || (st->n + 1) * 2 > (size_t)st->mask + 1)
		store_rehash(st);
	for (h = hash_oid(oid) & st->mask; st->slots[h]; h = (h + 1) & st->mask)
		if (!hv_oid_cmp(&st->c[st->slots[h] - 1].oid, oid))
			break;
	return &st->slots[h];
}

void
hv_commit_store_free(struct hv_commit_store *st)
{
	if (!st)
		return;
	free(st->c);
	free(st->par);
	free(st->slots);
	free(st);
}

/* Reads oid from objects into the store (once); its index, or -1. */
static int64_t
store_get(struct hv_repo *repo, const struct hv_oid *oid,
	  struct hv_error *err)
{
	struct hv_commit_store *st = repo->store;
	struct hv_commit c = { 0 };
	git_odb_object *obj = NULL;
	struct stored *s;
	uint32_t *slot;
	char hex[41];
	git_oid g;
	int rc;

	if (!st)
		st = repo->store = xcalloc(1, sizeof(*st));
	slot = store_slot(st, oid);
	if (*slot)
		return *slot - 1;
	memcpy(g.id, oid->id, sizeof(g.id));
	if (git_odb_read(&obj, repo->odb, &g) < 0) {
		hv_oid_fmt(hex, oid);
		return hv_error_set(err, "%s: %s", hex, hv_repo_git_error());
	}
	rc = git_odb_object_type(obj) == GIT_OBJECT_COMMIT ?
	     parse_commit(git_odb_object_data(obj), git_odb_object_size(obj),
			  &c) : -1;
	git_odb_object_free(obj);
	if (rc < 0) {
		free(c.parents);
		hv_oid_fmt(hex, oid);
		return hv_error_set(err, "%s: not a commit", hex);
	}
	HV_GROW(st->c, st->n + 1, st->alloc);
	HV_GROW(st->par, st->npar + c.nparents, st->apar);
	s = &st->c[st->n];
	s->oid = *oid;
	s->tree = c.tree;
	s->time = c.time;
	s->par_off = (uint32_t)st->npar;
	s->npar = (uint32_t)c.nparents;
	if (c.nparents)
		memcpy(st->par + st->npar, c.parents,
		       c.nparents * sizeof(*c.parents));
	st->npar += c.nparents;
	free(c.parents);
	*slot = (uint32_t)++st->n;
	return (int64_t)st->n - 1;
}

int
hv_repo_read_commit(struct hv_repo *repo, const struct hv_oid *oid,
		    struct hv_commit *c, struct hv_error *err)
{
	int64_t i = store_get(repo, oid, err);
	const struct stored *s;

	if (i < 0)
		return -1;
	s = &repo->store->c[i];
	c->tree = s->tree;
	c->time = s->time;
	c->nparents = s->npar;
	HV_GROW(c->parents, s->npar + 1, c->aparents);
	memcpy(c->parents, repo->store->par + s->par_off,
	       s->npar * sizeof(*c->parents));
	return 0;
}

/*
 * git's paint_down_to_common() for one pair, over the store: commits
 * reachable from a are painted FROM_A, from b FROM_B, newest first; a
 * commit with both paints is common and its paint spreads as STALE. The
 * walk ends when only stale commits are queued: then a is an ancestor of
 * b exactly when b's paint reached it. Dates only order the walk, so
 * clock skew costs time, never the answer.
 */
enum { FROM_A = 1, FROM_B = 2, STALE = 4 };

struct paint {
	struct hv_repo *repo;
	uint8_t *flags;		/* by store index */
	size_t aflags;
	uint32_t *heap;
	size_t nheap, aheap;
	size_t live;		/* queued and not stale */
};

/* Heap entries: a store index, LIVE when it was queued not stale. */
#define LIVE 0x80000000u

static int
newer(const struct paint *p, uint32_t x, uint32_t y)
{
	return p->repo->store->c[x & ~LIVE].time >
	       p->repo->store->c[y & ~LIVE].time;
}

static void
paint_push(struct paint *p, uint32_t x)
{
	size_t i = p->nheap++;

	if (!(p->flags[x] & STALE)) {
		x |= LIVE;
		p->live++;
	}
	HV_GROW(p->heap, p->nheap, p->aheap);
	while (i && newer(p, x, p->heap[(i - 1) / 2])) {
		p->heap[i] = p->heap[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	p->heap[i] = x;
}

static uint32_t
paint_pop(struct paint *p)
{
	uint32_t top = p->heap[0], last = p->heap[--p->nheap];
	size_t i = 0, c;

	if (top & LIVE)
		p->live--;

	while ((c = 2 * i + 1) < p->nheap) {
		if (c + 1 < p->nheap && newer(p, p->heap[c + 1], p->heap[c]))
			c++;
		if (!newer(p, p->heap[c], last))
			break;
		p->heap[i] = p->heap[c];
		i = c;
	}
	if (p->nheap)
		p->heap[i] = last;
	return top & ~LIVE;
}

/* Index of oid in the store (read if new), its flags room made. */
static int64_t
paint_node(struct paint *p, const struct hv_oid *oid)
{
	int64_t i = store_get(p->repo, oid, NULL);

	if (i >= 0 && (size_t)i >= p->aflags) {
		size_t old = p->aflags;

		HV_GROW(p->flags, (size_t)i + 1, p->aflags);
		memset(p->flags + old, 0, p->aflags - old);
	}
	return i;
}

int
hv_repo_objects_is_ancestor(struct hv_repo *repo, const struct hv_oid *a,
			    const struct hv_oid *b)
{
	struct paint p = { repo, NULL, 0, NULL, 0, 0, 0 };
	int64_t ia = paint_node(&p, a), ib = ia < 0 ? -1 : paint_node(&p, b);
	int found = 0, rc = -1;

	if (ia < 0 || ib < 0)
		goto out;
	p.flags[ia] |= FROM_A;
	paint_push(&p, (uint32_t)ia);
	p.flags[ib] |= FROM_B;
	paint_push(&p, (uint32_t)ib);
	while (p.live && !found) {
		uint32_t x = paint_pop(&p), k, npar, off;
		uint8_t f = p.flags[x] & (FROM_A | FROM_B | STALE);

		if ((f & (FROM_A | FROM_B)) == (FROM_A | FROM_B))
			f |= STALE;
		npar = repo->store->c[x].npar;
		off = repo->store->c[x].par_off;
		for (k = 0; k < npar; k++) {
			struct hv_oid par = repo->store->par[off + k];
			int64_t y = paint_node(&p, &par);

			if (y < 0)
				goto out;
			if ((p.flags[y] & f) == f)
				continue;
			p.flags[y] |= f;
			paint_push(&p, (uint32_t)y);
		}
		found = (p.flags[ia] & FROM_B) != 0;
	}
	rc = found;
out:
	free(p.flags);
	free(p.heap);
	return rc;
}
