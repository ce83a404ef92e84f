/*
 * graph.c: the walk that turns (bad, goods, options) into a struct hv_dag.
 *
 * It follows git's limit_list(): a queue ordered by commit date (newest
 * first, first-in first-out among equal dates), uninteresting marks
 * spreading to every parent, and the walk ending a few commits after
 * nothing interesting is left in the queue (git's SLOP). The interesting
 * commits, reversed, are git's bisection list; when clock skew makes that
 * order non-topological they are re-sorted, parents first.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cgraph.h"
#include "graph.h"

enum {
	F_SEEN = 1 << 0,
	F_UNINT = 1 << 1,
	F_PARSED = 1 << 2,
	F_ADDED = 1 << 3,	/* parents processed */
	F_QUEUED = 1 << 4,
	F_TREESAME = 1 << 5,
	F_OUTPUT = 1 << 6,
};

#define SLOP 5
#define NO_POS UINT32_MAX

struct node {
	struct hv_oid oid;
	int64_t time;
	uint32_t cg_pos;	/* position in the commit-graph, or NO_POS */
	uint32_t par_off, npar;	/* into walk.par */
	uint32_t seq;
	uint32_t flags;
};

/* A commit the walk had to read from objects: what a cache needs of it. */
struct from_object {
	uint32_t id;
	struct hv_oid tree;
};

struct walk {
	struct hv_repo *repo;
	const struct hv_graph_opts *opts;
	git_strarray pathspec;
	struct node *nodes;
	size_t n, alloc;
	uint32_t *par;
	size_t npar, apar;
	uint32_t *slots;	/* oid hash: node id + 1 */
	uint32_t mask;
	uint32_t *heap;		/* queued node ids */
	size_t nheap, aheap;
	size_t queued_interesting;
	uint32_t seq;
	uint32_t *stack;
	size_t astack;
	struct hv_error *err;
	struct hv_cgraph *cg;	/* git's commit-graph, when there is one */
	uint32_t *posmap;	/* graph position -> node id + 1 */
	uint32_t *cgpar;
	size_t acgpar;
	struct hv_commit commit;	/* hv_repo_read_commit()'s buffer */
	struct from_object *objs;	/* the commits read from objects */
	size_t nobjs, aobjs;
};

static uint32_t
hash_oid(const struct hv_oid *oid)
{
	uint32_t h;

	memcpy(&h, oid->id + 4, sizeof(h));
	return h;
}

static void
rehash(struct walk *w)
{
	uint32_t size = (w->mask + 1) * 2, i;

	if (size < 1024)
		size = 1024;
	free(w->slots);
	w->slots = xcalloc(size, sizeof(*w->slots));
	w->mask = size - 1;
	for (i = 0; i < w->n; i++) {
		uint32_t h;

		if (w->nodes[i].cg_pos != NO_POS)
			continue;	/* found by position instead */
		h = hash_oid(&w->nodes[i].oid) & w->mask;
		while (w->slots[h])
			h = (h + 1) & w->mask;
		w->slots[h] = i + 1;
	}
}

static uint32_t
node_new(struct walk *w, const struct hv_oid *oid)
{
	struct node *nd;

	HV_GROW(w->nodes, w->n + 1, w->alloc);
	nd = &w->nodes[w->n];
	memset(nd, 0, sizeof(*nd));
	if (oid)
		nd->oid = *oid;
	nd->cg_pos = NO_POS;
	return (uint32_t)w->n++;
}

/*
 * Commits in the commit-graph are found by position, without hashing
 * their ids: on a million commits that is most of the walk's time. Their
 * oid and data are read when they are parsed, one heap generation later:
 * the graph is in oid order, the walk in date order, so each read is a
 * cache miss, and asking for both now lets the misses of the whole
 * breadth of the walk overlap.
 */
static uint32_t
node_at(struct walk *w, uint32_t pos)
{
	uint32_t id;

	if (w->posmap[pos])
		return w->posmap[pos] - 1;
	id = node_new(w, NULL);
	w->nodes[id].cg_pos = pos;
	w->posmap[pos] = id + 1;
	hv_cgraph_prefetch(w->cg, pos);
	return id;
}

/* A node's oid, also when it is a graph commit not parsed yet. */
static struct hv_oid
node_oid(const struct walk *w, const struct node *nd)
{
	struct hv_oid oid = nd->oid;

	if (nd->cg_pos != NO_POS && !(nd->flags & F_PARSED))
		hv_cgraph_oid(w->cg, nd->cg_pos, &oid);
	return oid;
}

/* The node for oid, created (unparsed) when new. */
static uint32_t
node_get(struct walk *w, const struct hv_oid *oid)
{
	uint32_t h, pos;

	if (w->cg && hv_cgraph_find(w->cg, oid, &pos))
		return node_at(w, pos);
	if (!w->slots || (w->n + 1) * 2 > w->mask + 1)
		rehash(w);
	for (h = hash_oid(oid) & w->mask; w->slots[h]; h = (h + 1) & w->mask)
		if (!hv_oid_cmp(&w->nodes[w->slots[h] - 1].oid, oid))
			return w->slots[h] - 1;
	w->slots[h] = (uint32_t)w->n + 1;
	return node_new(w, oid);
}

/* How many of a candidate's parents the walk follows (--first-parent: one). */
static uint32_t
followed(const struct walk *w, const struct node *nd)
{
	return w->opts->first_parent && nd->npar ? 1 : nd->npar;
}

/*
 * Parents and date from the commit-graph: no object is inflated. Parents
 * come as graph positions; remembering them saves a lookup later.
 */
static int
parse_cgraph(struct walk *w, uint32_t id)
{
	uint32_t pos = w->nodes[id].cg_pos, np, i, off;

	if (pos == NO_POS)
		return 0;	/* newer than the commit-graph */
	hv_cgraph_oid(w->cg, pos, &w->nodes[id].oid);
	np = hv_cgraph_parents(w->cg, pos, w->cgpar, (uint32_t)w->acgpar);
	if (np > w->acgpar) {
		HV_GROW(w->cgpar, np, w->acgpar);
		hv_cgraph_parents(w->cg, pos, w->cgpar, (uint32_t)w->acgpar);
	}
	off = (uint32_t)w->npar;
	HV_GROW(w->par, w->npar + np, w->apar);
	for (i = 0; i < np; i++)
		w->par[off + i] = node_at(w, w->cgpar[i]);
	w->npar += np;
	w->nodes[id].par_off = off;
	w->nodes[id].npar = np;
	w->nodes[id].time = hv_cgraph_time(w->cg, pos);
	w->nodes[id].flags |= F_PARSED;
	return 1;
}

static int
parse(struct walk *w, uint32_t id)
{
	struct hv_commit *c = &w->commit;
	uint32_t off, i;

	if (w->nodes[id].flags & F_PARSED)
		return 0;
	if (w->cg && parse_cgraph(w, id))
		return 0;
	if (hv_repo_read_commit(w->repo, &w->nodes[id].oid, c, w->err) < 0)
		return -1;
	off = (uint32_t)w->npar;
	HV_GROW(w->par, w->npar + c->nparents, w->apar);
	for (i = 0; i < c->nparents; i++)
		w->par[off + i] = node_get(w, &c->parents[i]); /* moves nodes */
	w->npar += c->nparents;
	w->nodes[id].par_off = off;
	w->nodes[id].npar = (uint32_t)c->nparents;
	w->nodes[id].time = c->time;
	w->nodes[id].flags |= F_PARSED;
	HV_GROW(w->objs, w->nobjs + 1, w->aobjs);
	w->objs[w->nobjs].id = id;
	w->objs[w->nobjs++].tree = c->tree;
	return 0;
}

/* Heap order: newer first; equal dates in insertion order. */
static int
before(const struct walk *w, uint32_t a, uint32_t b)
{
	const struct node *x = &w->nodes[a], *y = &w->nodes[b];

	if (x->time != y->time)
		return x->time > y->time;
	return x->seq < y->seq;
}

static void
heap_push(struct walk *w, uint32_t id)
{
	size_t i;

	HV_GROW(w->heap, w->nheap + 1, w->aheap);
	w->nodes[id].seq = w->seq++;
	w->nodes[id].flags |= F_QUEUED;
	if (!(w->nodes[id].flags & F_UNINT))
		w->queued_interesting++;
	i = w->nheap++;
	while (i && before(w, id, w->heap[(i - 1) / 2])) {
		w->heap[i] = w->heap[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	w->heap[i] = id;
}

static uint32_t
heap_pop(struct walk *w)
{
	uint32_t top = w->heap[0], last = w->heap[--w->nheap];
	size_t i = 0;

	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= w->nheap)
			break;
		if (c + 1 < w->nheap && before(w, w->heap[c + 1], w->heap[c]))
			c++;
		if (!before(w, w->heap[c], last))
			break;
		w->heap[i] = w->heap[c];
		i = c;
	}
	if (w->nheap)
		w->heap[i] = last;
	w->nodes[top].flags &= ~F_QUEUED;
	if (!(w->nodes[top].flags & F_UNINT))
		w->queued_interesting--;
	return top;
}

static void
set_unint(struct walk *w, uint32_t id)
{
	struct node *nd = &w->nodes[id];

	if (nd->flags & F_UNINT)
		return;
	nd->flags |= F_UNINT;
	if (nd->flags & F_QUEUED)
		w->queued_interesting--;
}

/* git's mark_parents_uninteresting(): through everything already parsed. */
static void
mark_parents_unint(struct walk *w, uint32_t id)
{
	size_t sp = 0;

	HV_GROW(w->stack, 1, w->astack);
	w->stack[sp++] = id;
	while (sp) {
		uint32_t c = w->stack[--sp], i;

		if (!(w->nodes[c].flags & F_PARSED))
			continue;
		for (i = 0; i < w->nodes[c].npar; i++) {
			uint32_t p = w->par[w->nodes[c].par_off + i];

			if (w->nodes[p].flags & F_UNINT)
				continue;
			set_unint(w, p);
			HV_GROW(w->stack, sp + 1, w->astack);
			w->stack[sp++] = p;
		}
	}
}

/* Does the commit's tree differ from the parent's within the pathspec? */
static int
touches(struct walk *w, uint32_t id, int64_t parent, int *changed)
{
	git_diff_options dopts = GIT_DIFF_OPTIONS_INIT;
	git_commit *c = NULL, *p = NULL;
	git_tree *ct = NULL, *pt = NULL;
	git_diff *diff = NULL;
	git_oid g;
	int rc = -1;

	memcpy(g.id, w->nodes[id].oid.id, 20);
	if (git_commit_lookup(&c, w->repo->git, &g) < 0 ||
	    git_commit_tree(&ct, c) < 0)
		goto out;
	if (parent >= 0) {
		struct hv_oid po = node_oid(w, &w->nodes[parent]);

		memcpy(g.id, po.id, 20);
		if (git_commit_lookup(&p, w->repo->git, &g) < 0 ||
		    git_commit_tree(&pt, p) < 0)
			goto out;
	}
	dopts.pathspec = w->pathspec;
	dopts.flags = GIT_DIFF_SKIP_BINARY_CHECK;
	if (git_diff_tree_to_tree(&diff, w->repo->git, pt, ct, &dopts) < 0)
		goto out;
	*changed = git_diff_num_deltas(diff) > 0;
	rc = 0;
out:
	if (rc < 0)
		hv_error_set(w->err, "pathspec: %s", hv_repo_git_error());
	git_diff_free(diff);
	git_tree_free(pt);
	git_tree_free(ct);
	git_commit_free(p);
	git_commit_free(c);
	return rc;
}

/* git's try_to_simplify_commit() for the default history simplification. */
static int
simplify(struct walk *w, uint32_t id)
{
	struct node *nd = &w->nodes[id];
	uint32_t i, np = nd->npar;
	int changed_any = 0, changed;

	if (!w->opts->npaths)
		return 0;
	if (!np) {
		if (touches(w, id, -1, &changed) < 0)
			return -1;
		if (!changed)
			nd->flags |= F_TREESAME;
		return 0;
	}
	for (i = 0; i < followed(w, nd); i++) {
		uint32_t p = w->par[nd->par_off + i];

		if (touches(w, id, p, &changed) < 0)
			return -1;
		nd = &w->nodes[id];
		if (changed) {
			changed_any = 1;
			continue;
		}
		if (w->nodes[p].flags & F_UNINT)
			continue;
		/* same as an interesting parent: follow only that one */
		w->par[nd->par_off] = p;
		nd->npar = 1;
		nd->flags |= F_TREESAME;
		return 0;
	}
	if (!changed_any)
		nd->flags |= F_TREESAME;
	return 0;
}

static int
process_parents(struct walk *w, uint32_t id)
{
	uint32_t i;

	if (w->nodes[id].flags & F_ADDED)
		return 0;
	w->nodes[id].flags |= F_ADDED;
	if (w->nodes[id].flags & F_UNINT) {
		for (i = 0; i < w->nodes[id].npar; i++) {
			uint32_t p = w->par[w->nodes[id].par_off + i];

			set_unint(w, p);
			if (parse(w, p) < 0)
				return -1;
			if (w->nodes[p].npar)
				mark_parents_unint(w, p);
			if (w->nodes[p].flags & F_SEEN)
				continue;
			w->nodes[p].flags |= F_SEEN;
			heap_push(w, p);
		}
		return 0;
	}
	if (simplify(w, id) < 0)
		return -1;
	for (i = 0; i < followed(w, &w->nodes[id]); i++) {
		uint32_t p = w->par[w->nodes[id].par_off + i];

		if (parse(w, p) < 0)
			return -1;
		if (!(w->nodes[p].flags & F_SEEN)) {
			w->nodes[p].flags |= F_SEEN;
			heap_push(w, p);
		}
	}
	return 0;
}

/* git's still_interesting(): how much longer to walk. */
static int
still_interesting(struct walk *w, int64_t date, int slop)
{
	if (!w->nheap)
		return 0;
	if (date <= w->nodes[w->heap[0]].time)
		return SLOP;
	if (w->queued_interesting)
		return SLOP;
	return slop - 1;
}

static int
start(struct walk *w, const struct hv_oid *oid, int unint)
{
	uint32_t id = node_get(w, oid);

	if (parse(w, id) < 0)
		return -1;
	if (unint)
		set_unint(w, id);
	if (!(w->nodes[id].flags & F_SEEN)) {
		w->nodes[id].flags |= F_SEEN;
		heap_push(w, id);
	}
	return 0;
}

/* Builds the DAG from the output list (newest first). */
static struct hv_dag *
build(struct walk *w, const uint32_t *out, size_t nout, uint32_t bad)
{
	uint32_t *index = xmalloc(w->n * sizeof(*index));	/* node -> order */
	uint32_t *order = xmalloc((nout ? nout : 1) * sizeof(*order));
	uint8_t *keep = xcalloc(w->n ? w->n : 1, 1);
	uint32_t *pbuf = NULL, k, norder = 0;
	size_t palloc = 0, i;
	struct hv_dag *dag = hv_dag_new();
	int topo = 1;

	hv_dag_reserve(dag, nout, w->npar);

	for (i = 0; i < w->n; i++)
		index[i] = UINT32_MAX;
	/* keep the candidates that bad still reaches through kept edges */
	keep[bad] = 1;
	for (i = 0; i < nout; i++) {
		uint32_t id = out[i];
		const struct node *nd = &w->nodes[id];

		if (!keep[id])
			continue;
		for (k = 0; k < followed(w, nd); k++) {
			uint32_t p = w->par[nd->par_off + k];

			if ((w->nodes[p].flags & (F_OUTPUT | F_UNINT)) == F_OUTPUT)
				keep[p] = 1;
		}
	}
	for (i = nout; i-- > 0;)
		if (keep[out[i]])
			order[norder++] = out[i];
	for (k = 0; k < norder; k++)
		index[order[k]] = k;
	for (k = 0; k < norder && topo; k++) {
		const struct node *nd = &w->nodes[order[k]];
		uint32_t j;

		for (j = 0; j < followed(w, nd); j++) {
			uint32_t p = w->par[nd->par_off + j];

			if (index[p] != UINT32_MAX && index[p] > k)
				topo = 0;
		}
	}
	if (!topo) {
		/*
		 * Clock skew: a parent dated after its child. Re-sort
		 * depth-first from each node in list order, parents first.
		 */
		uint32_t *sorted = xmalloc(norder * sizeof(*sorted)), ns = 0;
		uint8_t *state = xcalloc(norder, 1);
		uint32_t *st = xmalloc(norder * sizeof(*st));
		uint32_t *pos = xcalloc(norder, sizeof(*pos));

		for (k = 0; k < norder; k++) {
			size_t sp = 0;

			if (state[k])
				continue;
			st[sp++] = k;
			state[k] = 1;
			while (sp) {
				uint32_t x = st[sp - 1];
				const struct node *nd = &w->nodes[order[x]];
				if (pos[x] < followed(w, nd)) {
					uint32_t p = w->par[nd->par_off + pos[x]++];
					uint32_t pi = index[p];

					if (pi != UINT32_MAX && !state[pi]) {
						state[pi] = 1;
						st[sp++] = pi;
					}
					continue;
				}
				sp--;
				sorted[ns++] = order[x];
			}
		}
		memcpy(order, sorted, norder * sizeof(*order));
		for (k = 0; k < norder; k++)
			index[order[k]] = k;
		free(sorted);
		free(state);
		free(st);
		free(pos);
	}
	for (k = 0; k < norder; k++) {
		const struct node *nd = &w->nodes[order[k]];
		uint32_t j, np = 0;

		HV_GROW(pbuf, nd->npar, palloc);
		for (j = 0; j < followed(w, nd); j++) {
			uint32_t p = w->par[nd->par_off + j];

			if (index[p] != UINT32_MAX)
				pbuf[np++] = index[p];
		}
		hv_dag_add(dag, &nd->oid, nd->time, pbuf, np,
			   nd->flags & F_TREESAME ? HV_NODE_TREESAME : 0);
	}
	free(pbuf);
	free(keep);
	free(order);
	free(index);
	return dag;
}

/*
 * A walk in progress: what hv_graph_load() does in one go, cut into
 * pieces so that the workstation can draw the top of a range of a
 * million commits before the bottom is read.
 */
struct hv_graph_walk {
	struct walk w;
	struct hv_graph_opts opts;	/* a copy: the caller's may go away */
	uint32_t *list;			/* the output so far, newest first */
	size_t nlist, alist;
	uint32_t bad_id;
	int64_t date;
	int slop;
	int done;
};

void
hv_graph_walk_free(struct hv_graph_walk *wk)
{
	if (!wk)
		return;
	free(wk->list);
	free(wk->w.nodes);
	free(wk->w.par);
	free(wk->w.slots);
	free(wk->w.heap);
	free(wk->w.stack);
	free(wk->w.cgpar);
	free(wk->w.posmap);
	free(wk->w.commit.parents);
	free(wk->w.objs);
	hv_argv_free(wk->opts.paths);
	free(wk);
}

int
hv_graph_walk_new(struct hv_repo *repo, const struct hv_oid *bad,
		  const struct hv_oid *goods, size_t ngoods,
		  const struct hv_graph_opts *opts, struct hv_graph_walk **out,
		  struct hv_error *err)
{
	struct hv_graph_walk *wk = xcalloc(1, sizeof(*wk));
	struct walk *w = &wk->w;
	size_t i;

	*out = NULL;
	wk->opts.first_parent = opts->first_parent;
	wk->opts.npaths = opts->paths ? opts->npaths : 0;
	if (wk->opts.npaths)
		wk->opts.paths = hv_argv_dup(opts->paths, wk->opts.npaths);
	wk->date = INT64_MAX;
	wk->slop = SLOP;
	w->repo = repo;
	w->opts = &wk->opts;
	w->err = err;
	w->pathspec.strings = wk->opts.paths;
	w->pathspec.count = wk->opts.npaths;
	w->cg = hv_repo_cgraph(repo);
	if (w->cg) {
		size_t count = hv_cgraph_count(w->cg);

		w->posmap = xcalloc(count + 1, sizeof(*w->posmap));
		/* a range is most of the graph: grow once, not twenty times */
		HV_GROW(w->nodes, count + 16, w->alloc);
		HV_GROW(w->par, count + count / 4 + 16, w->apar);
	}
	if (start(w, bad, 0) < 0)
		goto fail;
	wk->bad_id = node_get(w, bad);
	for (i = 0; i < ngoods; i++)
		if (start(w, &goods[i], 1) < 0)
			goto fail;
	*out = wk;
	return 0;
fail:
	hv_graph_walk_free(wk);
	return -1;
}

int
hv_graph_walk_run(struct hv_graph_walk *wk, size_t budget,
		  struct hv_error *err)
{
	struct walk *w = &wk->w;

	w->err = err;
	while (!wk->done && budget--) {
		uint32_t id;

		if (!w->nheap) {
			wk->done = 1;
			break;
		}
		id = heap_pop(w);
		if (process_parents(w, id) < 0)
			return -1;
		if (w->nodes[id].flags & F_UNINT) {
			mark_parents_unint(w, id);
			wk->slop = still_interesting(w, wk->date, wk->slop);
			if (!wk->slop)
				wk->done = 1;
			continue;
		}
		wk->date = w->nodes[id].time;
		w->nodes[id].flags |= F_OUTPUT;
		HV_GROW(wk->list, wk->nlist + 1, wk->alist);
		wk->list[wk->nlist++] = id;
	}
	return wk->done;
}

size_t
hv_graph_walk_rows(const struct hv_graph_walk *wk)
{
	return wk->nlist;
}

#define IN_ROWS (UINT32_MAX - 1)

struct hv_dag *
hv_graph_walk_preview(const struct hv_graph_walk *wk, size_t max,
		      size_t *nrows)
{
	const struct walk *w = &wk->w;
	size_t n = wk->nlist < max ? wk->nlist : max, i;
	uint32_t *index = xmalloc((w->n ? w->n : 1) * sizeof(*index));
	uint32_t *pending = NULL, *pbuf = NULL;
	size_t npending = 0, apending = 0, apbuf = 0;
	struct hv_dag *dag = hv_dag_new();
	uint32_t k;

	for (i = 0; i < w->n; i++)
		index[i] = UINT32_MAX;
	/* the rows' parents not walked yet: nodes below them, so that their
	 * lanes go on down instead of ending (IN_ROWS: a row, not added yet) */
	for (i = 0; i < n; i++)
		index[wk->list[i]] = IN_ROWS;
	for (i = 0; i < n; i++) {
		const struct node *nd = &w->nodes[wk->list[i]];

		for (k = 0; k < followed(w, nd); k++) {
			uint32_t p = w->par[nd->par_off + k];

			if (index[p] == UINT32_MAX &&
			    !(w->nodes[p].flags & F_UNINT)) {
				index[p] = IN_ROWS;
				HV_GROW(pending, npending + 1, apending);
				pending[npending++] = p;
			}
		}
	}
	hv_dag_reserve(dag, n + npending, w->npar);
	for (i = npending; i-- > 0;) {
		const struct node *nd = &w->nodes[pending[i]];
		struct hv_oid oid = node_oid(w, nd);

		index[pending[i]] = hv_dag_add(dag, &oid, nd->time, NULL, 0,
					       0);
	}
	for (i = n; i-- > 0;) {
		const struct node *nd = &w->nodes[wk->list[i]];
		uint32_t np = 0;

		HV_GROW(pbuf, nd->npar, apbuf);
		for (k = 0; k < followed(w, nd); k++) {
			uint32_t p = w->par[nd->par_off + k];

			/* a parent below its child (clock skew) is left out:
			 * the whole walk sorts it out */
			if (index[p] != UINT32_MAX && index[p] < dag->n &&
			    !(w->nodes[p].flags & F_UNINT))
				pbuf[np++] = index[p];
		}
		index[wk->list[i]] = hv_dag_add(dag, &nd->oid, nd->time, pbuf,
						np, nd->flags & F_TREESAME ?
						HV_NODE_TREESAME : 0);
	}
	free(pbuf);
	free(pending);
	free(index);
	*nrows = n;
	return dag;
}

/*
 * The commit-graph cache (hv_repo_cache_path()). A walk that had to read
 * at least CACHE_MIN commits from objects writes what it knows, so that
 * the next one reads none: a commit-graph must hold every parent of what
 * it holds, so the walk's edge is read down first, but never more than
 * the walk itself read (a short range atop a long history is cheap to
 * walk and would be dear to close). With a pathspec the walk has
 * simplified parents away: nothing is written then, nor where history
 * is rewritten (git reads no commit-graph there).
 */
#define CACHE_MIN 5000

/* Reads the parents of every commit read from objects; 0 when closed. */
static int
close_over_parents(struct walk *w)
{
	size_t k, budget = w->nobjs;

	for (k = 0; k < w->nobjs; k++) {
		uint32_t id = w->objs[k].id, i;

		for (i = 0; i < w->nodes[id].npar; i++) {
			uint32_t p = w->par[w->nodes[id].par_off + i];

			if (w->nodes[p].flags & F_PARSED)
				continue;
			if (!budget-- || parse(w, p) < 0)
				return -1;
		}
	}
	return 0;
}

/* The graph's commits first (positions kept), then those from objects. */
static void
cache_commits(struct walk *w, struct hv_cgraph_commit *c, uint32_t *par,
	      size_t *npar)
{
	uint32_t base = w->cg ? hv_cgraph_count(w->cg) : 0, pos, k;
	uint32_t *index = xmalloc((w->n ? w->n : 1) * sizeof(*index));

	*npar = 0;
	for (pos = 0; pos < base; pos++) {
		hv_cgraph_oid(w->cg, pos, &c[pos].oid);
		hv_cgraph_tree(w->cg, pos, &c[pos].tree);
		c[pos].time = hv_cgraph_time(w->cg, pos);
		c[pos].par_off = (uint32_t)*npar;
		c[pos].npar = hv_cgraph_parents(w->cg, pos, par + *npar,
						UINT32_MAX);
		*npar += c[pos].npar;
	}
	for (k = 0; k < w->nobjs; k++)
		index[w->objs[k].id] = base + k;
	for (k = 0; k < w->nobjs; k++) {
		const struct node *nd = &w->nodes[w->objs[k].id];
		uint32_t i;

		c[base + k].oid = nd->oid;
		c[base + k].tree = w->objs[k].tree;
		c[base + k].time = nd->time;
		c[base + k].par_off = (uint32_t)*npar;
		c[base + k].npar = nd->npar;
		for (i = 0; i < nd->npar; i++) {
			const struct node *p = &w->nodes[w->par[nd->par_off + i]];

			par[(*npar)++] = p->cg_pos != NO_POS ? p->cg_pos :
					 index[w->par[nd->par_off + i]];
		}
	}
	free(index);
}

/* Best effort: a cache that cannot be written only costs time. */
static void
write_cache(struct walk *w)
{
	struct hv_repo *repo = w->repo;
	struct hv_cgraph_commit *c;
	uint32_t base, *par;
	size_t n, maxpar, npar, k;
	char *path, *dir;

	if (w->nobjs < CACHE_MIN || w->opts->npaths || repo->rewritten ||
	    close_over_parents(w) < 0)
		return;
	base = w->cg ? hv_cgraph_count(w->cg) : 0;
	n = base + w->nobjs;
	/* the workstation walks the range the session just walked */
	if (repo->cache_written >= n)
		return;
	/* the graph's parents are counted as they are copied: bound them */
	maxpar = w->npar + (size_t)base * 2;
	for (k = 0; w->cg && k < w->cg->nlayers; k++)
		maxpar += w->cg->layer[k].nedges;
	c = xmalloc(n * sizeof(*c));
	par = xmalloc((maxpar ? maxpar : 1) * sizeof(*par));
	cache_commits(w, c, par, &npar);
	path = hv_repo_cache_path(repo);
	dir = xasprintf("%shalve", repo->commondir);
	if (hv_mkdir_p(dir, NULL) == 0 &&
	    hv_cgraph_write(path, c, (uint32_t)n, par, npar, NULL) == 0)
		repo->cache_written = n;
	free(dir);
	free(path);
	free(par);
	free(c);
}

int
hv_graph_walk_finish(struct hv_graph_walk *wk, struct hv_dag **out,
		     struct hv_error *err)
{
	struct walk *w = &wk->w;

	*out = NULL;
	if (!wk->done)
		return hv_error_set(err, "the walk is not over");
	if (w->nodes[wk->bad_id].flags & F_UNINT)
		*out = hv_dag_new();	/* bad is reachable from a good */
	else
		*out = build(w, wk->list, wk->nlist, wk->bad_id);
	write_cache(w);
	return 0;
}

int
hv_graph_load(struct hv_repo *repo, const struct hv_oid *bad,
	      const struct hv_oid *goods, size_t ngoods,
	      const struct hv_graph_opts *opts, struct hv_dag **out,
	      struct hv_error *err)
{
	struct hv_graph_walk *wk;
	int rc;

	*out = NULL;
	if (hv_graph_walk_new(repo, bad, goods, ngoods, opts, &wk, err) < 0)
		return -1;
	rc = hv_graph_walk_run(wk, SIZE_MAX, err);
	if (rc >= 0)
		rc = hv_graph_walk_finish(wk, out, err);
	hv_graph_walk_free(wk);
	return rc;
}
