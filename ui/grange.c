/*
 * grange.c: the rows of the graph pane (see grange.h): which range to
 * show, read in pieces, and what the session knows of every commit in it.
 *
 * The range is the one the session started from (bad and the goods named
 * before the bisection first had both ends, read from its log), so that
 * the picture stays put while marks narrow the candidates inside it.
 * Marks only recompute the per-commit status (linear in the range).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "grange.h"
#include "tuiint.h"

/* Read per loop turn: about 20 ms through a commit-graph. */
#define DEFAULT_CHUNK 65536
/* Rows a preview holds: more than any screen shows. */
#define PREVIEW_ROWS 1024
/* The first piece checks this often whether the preview is full. */
#define FIRST_STEP 4096

static int
same_oids(const struct hv_oid *a, size_t na, const struct hv_oid *b, size_t nb)
{
	size_t i;

	if (na != nb)
		return 0;
	for (i = 0; i < na; i++)
		if (hv_oid_cmp(&a[i], &b[i]))
			return 0;
	return 1;
}

static void
set_dag(struct grange *g, struct hv_dag *dag, uint32_t ndag)
{
	hv_dag_free(g->dag);
	free(g->status);
	g->dag = dag;
	g->ndag = ndag;
	g->gen++;
	g->status = xcalloc(dag->n ? dag->n : 1, 1);
}

static void
stop_walk(struct grange *g)
{
	hv_graph_walk_free(g->walk);
	g->walk = NULL;
}

/*
 * The walk is over: the rows become the whole range, and the session's
 * cache gets it, so that the next step is cut out of it rather than
 * walked again (unless the options changed under the walk).
 */
static int
finish_walk(struct grange *g, const struct hv_tui *t, struct hv_error *err)
{
	struct hv_session *s = t->s;
	struct hv_dag *dag;
	struct hv_marks m;
	char *paths = hv_session_paths_key(s);
	int same;

	hv_session_marks(s, &m);
	same = g->first_parent == m.first_parent && !strcmp(g->paths, paths);

	free(paths);
	if (hv_graph_walk_finish(g->walk, &dag, err) < 0) {
		stop_walk(g);
		return -1;
	}
	stop_walk(g);
	if (same)
		dag = hv_session_range_keep(s, &g->top, g->bottoms, g->nbottoms,
					    dag);
	set_dag(g, dag, dag->n);
	return 0;
}

/*
 * Runs the walk for a piece; the first piece (nothing drawn yet) stops
 * as soon as a preview is full: it is what the first paint waits for.
 */
static int
run_walk(struct grange *g, struct hv_error *err)
{
	size_t budget = g->chunk;
	int rc = 0;

	while (budget && rc == 0) {
		size_t step = g->dag || budget < FIRST_STEP ? budget : FIRST_STEP;

		rc = hv_graph_walk_run(g->walk, step, err);
		budget -= step;
		if (!g->dag && hv_graph_walk_rows(g->walk) >= PREVIEW_ROWS)
			break;
	}
	return rc;
}

/* One piece of the walk: 1 when it is over, 0 when not, -1 on error. */
static int
read_piece(struct grange *g, const struct hv_tui *t, struct hv_error *err)
{
	int rc = run_walk(g, err);
	size_t n;

	if (rc < 0) {
		/* the rows read stay, and the range is not read again until it
		 * changes: a retry at every reload would fail the same way */
		stop_walk(g);
		if (!g->dag)
			set_dag(g, hv_dag_new(), 0);
		return -1;
	}
	if (rc == 1)
		return finish_walk(g, t, err) < 0 ? -1 : 1;
	/* the top rows are all a preview needs: built again only while it
	 * is short of a screenful or two */
	if (g->ndag < PREVIEW_ROWS && hv_graph_walk_rows(g->walk) > g->ndag) {
		struct hv_dag *dag = hv_graph_walk_preview(g->walk, PREVIEW_ROWS,
							   &n);

		set_dag(g, dag, (uint32_t)n);
	} else if (!g->dag) {
		set_dag(g, hv_dag_new(), 0);
	}
	return 0;
}

/*
 * What the pane should show: the range the session started from, or the
 * history of HEAD. Starts reading it when that changed; 1 then, 0 when it
 * did not, -1 on error (nothing changed).
 */
static int
load_range(struct grange *g, const struct hv_tui *t, struct hv_error *err)
{
	struct hv_session *s = t->s;
	struct hv_marks m, *st = &m;
	struct hv_oid top, *bottoms = NULL;
	size_t nbottoms = 0;
	int history, have_top = 0;
	char *paths;
	struct hv_graph_opts opts;
	struct hv_dag *dag = NULL;
	struct hv_graph_walk *walk = NULL;

	hv_session_marks(s, &m);
	if (st->active && st->have_bad) {
		hv_session_start_range(s, &top, &have_top, &bottoms, &nbottoms);
		if (!have_top) {
			top = st->bad;
			have_top = 1;
		}
	} else {
		char *branch = NULL;

		if (hv_repo_head(hv_session_repo(s), &branch, &top, NULL) == 0)
			have_top = 1;
		free(branch);
	}
	/* no goods named by the log: the goods there are bound it (waiting
	 * for a bad commit, what they rule out is not worth drawing) */
	if (!nbottoms && st->active && st->ngoods) {
		bottoms = xcalloc(st->ngoods, sizeof(*bottoms));
		memcpy(bottoms, st->goods, st->ngoods * sizeof(*bottoms));
		nbottoms = st->ngoods;
	}
	history = !(st->active && st->have_bad) || !nbottoms;
	paths = hv_session_paths_key(s);
	if (g->loaded && have_top && !hv_oid_cmp(&g->top, &top) &&
	    same_oids(g->bottoms, g->nbottoms, bottoms, nbottoms) &&
	    g->first_parent == st->first_parent && !strcmp(g->paths, paths)) {
		/* the same rows, but they may have become a range (a bad
		 * commit marked at HEAD, as inside a descended merge) */
		g->history = history;
		free(bottoms);
		free(paths);
		return 0;
	}
	hv_session_graph_opts(s, &opts);
	/* a range the session already holds is cut out of it; any other
	 * is read in pieces */
	if (have_top &&
	    !hv_session_range_cached(s, &top, bottoms, nbottoms, &dag) &&
	    hv_graph_walk_new(hv_session_repo(s), &top, bottoms, nbottoms, &opts, &walk,
			      err) < 0) {
		free(bottoms);
		free(paths);
		return -1;
	}
	stop_walk(g);
	free(g->bottoms);
	free(g->paths);
	g->top = top;
	g->bottoms = bottoms;
	g->nbottoms = nbottoms;
	g->paths = paths;
	g->first_parent = st->first_parent;
	g->history = history;
	g->loaded = 1;
	g->walk = walk;
	hv_dag_free(g->dag);
	g->dag = NULL;	/* no rows until the first piece is read */
	g->nrows = g->ndag = 0;
	g->nextra = 0;
	g->gen++;
	if (walk)
		return read_piece(g, t, err) < 0 ? -1 : 1;
	set_dag(g, dag ? dag : hv_dag_new(), dag ? dag->n : 0);
	return 1;
}

/*
 * The node of oid in the rows, or -1. The top of what was read is the
 * last node and its bounds are never in it: those two, which every
 * reload asks for, are answered without the oid index (a million oids
 * hashed, before the first paint).
 */
static int64_t
find_node(const struct grange *g, const struct hv_oid *oid)
{
	if (g->dag->n && !hv_oid_cmp(oid, &g->top))
		return (int64_t)g->dag->n - 1;
	if (hv_oid_in(oid, g->bottoms, g->nbottoms))
		return -1;
	return hv_dag_find(g->dag, oid);
}

/*
 * Marks every node of the range with what the session knows of it.
 *
 * On a preview the marks of its rows are already right when the bad
 * commit is among them: commits come newest first, so every path from
 * the bad commit (or a good one) to a row runs through rows. When the
 * bad commit is further down, rows above it show as outside until the
 * range is read (a descendant of it would show as bad then).
 */
static void
compute_status(struct grange *g, const struct hv_tui *t)
{
	struct hv_marks m = tui_marks(t), *st = &m;
	const struct hv_step *step = &t->step;
	const struct hv_dag *dag = g->dag;
	uint32_t n = dag->n, i, k;
	uint8_t *old = xcalloc(n ? n : 1, 1), *cand = xcalloc(n ? n : 1, 1),
		*newer = xcalloc(n ? n : 1, 1), *mark = xcalloc(n ? n : 1, 1);
	int64_t bad = st->have_bad ? find_node(g, &st->bad) : -1;
	int test = step->outcome == HV_STEP_TEST ||
		   step->outcome == HV_STEP_MERGE_BASE;

	/* marks by node, looked up once (a node scan per mark would cost
	 * marks x range on a big range) */
	for (k = 0; k < st->ngoods; k++) {
		int64_t j = find_node(g, &st->goods[k]);

		if (j >= 0)
			old[j] = mark[j] = GS_GOOD;
	}
	for (k = 0; k < st->nskips; k++) {
		int64_t j = find_node(g, &st->skips[k]);

		if (j >= 0 && !mark[j])
			mark[j] = GS_SKIP;
	}
	/* ancestors of a good commit are good; of the bad one, in question */
	if (bad >= 0)
		cand[bad] = 1;
	for (i = n; i-- > 0;) {
		const uint32_t *par = hv_dag_parents(dag, i);
		uint32_t np = hv_dag_nparents(dag, i), j;

		for (j = 0; j < np; j++) {
			if (old[i])
				old[par[j]] = 1;
			if (cand[i])
				cand[par[j]] = 1;
		}
	}
	/* descendants of the bad one are bad */
	for (i = 0; i < n; i++) {
		const uint32_t *par = hv_dag_parents(dag, i);
		uint32_t np = hv_dag_nparents(dag, i), j;

		newer[i] = (int64_t)i == bad;
		for (j = 0; j < np && !newer[i]; j++)
			newer[i] = newer[par[j]];
	}
	for (i = 0; i < n; i++) {
		const struct hv_oid *oid = &dag->oid[i];
		uint8_t s;

		if (!st->active || g->history) {
			s = GS_PLAIN;
			if ((int64_t)i == bad)
				s = GS_BAD;
			else if (mark[i])
				s = mark[i];
		} else if (step->outcome == HV_STEP_FOUND &&
			   !hv_oid_cmp(oid, &step->current)) {
			s = GS_FOUND;
		} else if ((int64_t)i == bad) {
			s = GS_BAD;
		} else if (mark[i]) {
			s = mark[i];
		} else if (cand[i] && !old[i]) {
			s = dag->flags[i] & HV_NODE_TREESAME ? GS_UNTOUCHED
							     : GS_CANDIDATE;
		} else if (old[i]) {
			s = GS_OLD;
		} else if (newer[i]) {
			s = GS_NEW;
		} else {
			s = GS_OUTSIDE;
		}
		/* the commit under test is drawn as that, whatever else is
		 * known of it */
		if (test && !hv_oid_cmp(oid, &step->current))
			s = GS_CURRENT;
		g->status[i] = s;
	}
	free(old);
	free(cand);
	free(newer);
	free(mark);
}

/* The goods that bound the range (and goods outside it) as rows below. */
static void
compute_extra(struct grange *g, const struct hv_tui *t)
{
	struct hv_marks m = tui_marks(t), *st = &m;
	size_t k;

	g->nextra = 0;
	if (!st->active || g->walk)
		return;	/* while loading, the rows stop at the preview */
	for (k = 0; k < g->nbottoms + st->ngoods; k++) {
		const struct hv_oid *oid = k < g->nbottoms ? &g->bottoms[k]
						   : &st->goods[k - g->nbottoms];

		if (find_node(g, oid) >= 0 ||
		    hv_oid_in(oid, g->extra, g->nextra))
			continue;
		HV_GROW(g->extra, g->nextra + 1, g->aextra);
		g->extra[g->nextra++] = *oid;
	}
}

static void
short_name(const struct hv_oid *oid, struct strbuf *sb)
{
	char hex[41];

	hv_oid_fmt(hex, oid);
	sb_addf(sb, "%.7s", hex);
}

static void
compute_range_name(struct grange *g, const struct hv_tui *t)
{
	struct hv_marks m = tui_marks(t), *st = &m;
	size_t k;

	sb_reset(&g->name);
	if (!st->active) {
		sb_adds(&g->name, "not bisecting");
		return;
	}
	/* the start line's revisions as typed: "v3.14..v3.15" */
	if (hv_session_range_name(t->s, 0, &g->name))
		return;
	for (k = 0; k < g->nbottoms; k++) {
		if (k)
			sb_addc(&g->name, ',');
		short_name(&g->bottoms[k], &g->name);
	}
	sb_adds(&g->name, "..");
	if (st->have_bad)
		short_name(&g->top, &g->name);
	else
		sb_adds(&g->name, "?");
}

/*
 * The status bar's breadcrumbs: inside a descended merge the outermost
 * range comes from the outermost frame's log (read here, once a reload,
 * not at every redraw), then each merge.
 */
static void
compute_crumbs(struct grange *g, const struct hv_tui *t)
{
	struct hv_marks m = tui_marks(t);
	char hex[41];
	size_t k;

	sb_reset(&g->crumbs);
	if (!m.depth) {
		sb_adds(&g->crumbs, g->name.buf ? g->name.buf : "");
		return;
	}
	if (!hv_session_range_name(t->s, 1, &g->crumbs))
		sb_adds(&g->crumbs, "bisection");
	for (k = 0; k < m.depth; k++) {
		hv_oid_fmt(hex, &m.frames[k].merge);
		sb_addf(&g->crumbs, " > merge %.7s", hex);
	}
}

/* The rows and their marks, after the range or the session changed. */
static void
refresh(struct grange *g, const struct hv_tui *t)
{
	compute_extra(g, t);
	g->nrows = (uint32_t)(g->ndag + g->nextra);
	compute_status(g, t);
	compute_range_name(g, t);
	compute_crumbs(g, t);
}

void
grange_init(struct grange *g, size_t chunk)
{
	memset(g, 0, sizeof(*g));
	g->chunk = chunk ? chunk : DEFAULT_CHUNK;
}

void
grange_release(struct grange *g)
{
	stop_walk(g);
	hv_dag_free(g->dag);
	free(g->status);
	free(g->extra);
	free(g->bottoms);
	free(g->paths);
	sb_release(&g->name);
	sb_release(&g->crumbs);
	memset(g, 0, sizeof(*g));
}

int
grange_update(struct grange *g, struct hv_tui *t, struct hv_error *err)
{
	int changed = load_range(g, t, err);

	if (changed < 0)
		return -1;
	if (g->dag)
		refresh(g, t);
	return changed;
}

int
grange_loading(const struct grange *g)
{
	return g->walk != NULL;
}

size_t
grange_read(const struct grange *g)
{
	return g->walk ? hv_graph_walk_rows(g->walk) : g->ndag;
}

int
grange_load_more(struct grange *g, struct hv_tui *t, struct hv_error *err)
{
	unsigned gen = g->gen;
	int rc;

	if (!g->walk)
		return 0;
	rc = read_piece(g, t, err);
	/* a piece that only read on leaves the rows as they are */
	if (rc == 0 && g->gen != gen && g->dag)
		refresh(g, t);
	return rc;
}

const struct hv_oid *
grange_oid(const struct grange *g, uint32_t row)
{
	if (row < g->ndag)
		return &g->dag->oid[g->dag->n - 1 - row];
	return &g->extra[row - g->ndag];
}

int64_t
grange_row(const struct grange *g, const struct hv_oid *oid)
{
	int64_t i;
	size_t k;

	if (!g->dag)
		return -1;
	i = hv_dag_find(g->dag, oid);
	if (i >= 0)	/* a preview's stand-ins below its rows are no rows */
		return (int64_t)g->dag->n - 1 - i < g->ndag
			       ? (int64_t)g->dag->n - 1 - i : -1;
	for (k = 0; k < g->nextra; k++)
		if (!hv_oid_cmp(&g->extra[k], oid))
			return (int64_t)(g->ndag + k);
	return -1;
}

enum gstatus
grange_status(const struct grange *g, uint32_t row)
{
	if (row < g->ndag)
		return (enum gstatus)g->status[g->dag->n - 1 - row];
	return GS_GOOD;
}
