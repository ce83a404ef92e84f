/*
 * graph.c: the commit graph pane. It draws the whole range being
 * bisected (bad and the goods the session started from), one commit a
 * line, newest first, each marked by what the session knows of it:
 * good, bad, skip, the commit under test, the first bad one, the
 * candidates still in question, and those settled by ancestry. Below the
 * range come the good commits that bound it. Tested commits show their
 * build and boot durations and the verdict's reason.
 *
 * With no range yet (no bisection, or no bad commit), it draws the
 * history of HEAD, so that the first b and g can be typed here.
 *
 * The range's DAG is loaded once and kept while the range stays the
 * same; marks only recompute the per-commit status (linear in the range).
 * Lanes, subjects and verdicts are computed for the rows drawn, so the
 * first paint of a huge range costs a screenful. It never writes the
 * session; actions.c does, through session.h.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <curses.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "graph.h"
#include "lanes.h"
#include "state.h"
#include "tuiint.h"

enum gstatus {
	GS_PLAIN,		/* history, no range */
	GS_CANDIDATE,
	GS_CURRENT,
	GS_GOOD,
	GS_BAD,
	GS_SKIP,
	GS_FOUND,
	GS_OLD,
	GS_NEW,
	GS_OUTSIDE,
	GS_UNTOUCHED,		/* does not touch the pathspec */
};

static const struct {
	int elem;
	int utf8, ascii;
} gstyle[] = {
	[GS_PLAIN] = { HV_ELEM_LANE, 0x2022, '*' },
	[GS_CANDIDATE] = { HV_ELEM_CANDIDATE, 0x2022, '*' },
	[GS_CURRENT] = { HV_ELEM_CURRENT, 0x25c6, '@' },
	[GS_GOOD] = { HV_ELEM_GOOD, 0x25cb, 'o' },
	[GS_BAD] = { HV_ELEM_BAD, 0x25cf, 'x' },
	[GS_SKIP] = { HV_ELEM_SKIP, 0x25cc, '~' },
	[GS_FOUND] = { HV_ELEM_FOUND, 0x25c9, '!' },
	[GS_OLD] = { HV_ELEM_OLD, 0x25cb, 'o' },
	[GS_NEW] = { HV_ELEM_NEW, 0x25cf, 'x' },
	[GS_OUTSIDE] = { HV_ELEM_OUTSIDE, 0x00b7, '.' },
	[GS_UNTOUCHED] = { HV_ELEM_OUTSIDE, 0x00b7, '.' },
};

struct graph {
	struct hv_dag *dag;	/* the range (or the history) */
	int history;		/* no range: the history of a commit */
	struct hv_oid top;	/* what the DAG was loaded from */
	struct hv_oid *bottoms;
	size_t nbottoms;
	int first_parent;
	char *paths;		/* the pathspec, joined, to see it change */
	int loaded;

	uint8_t *status;	/* per node */
	struct hv_oid *extra;	/* rows below the range: its good ends */
	size_t nextra, aextra;
	char **subject;		/* per row, on demand */
	char **info;		/* per row, on demand ("" when untested) */
	uint32_t nrows;

	struct lanes lanes;
	uint8_t *cells;
	size_t acells;
	int64_t sel, top_row;

	pcre2_code *search;
	pcre2_match_data *md;

	struct strbuf range_name;
	struct hv_oid followed;	/* the current commit last selected for */
	int have_followed;
};

static struct graph *
graph_of(const struct pane *p)
{
	return p->data;
}

static const struct hv_oid *
row_oid(const struct graph *g, uint32_t row)
{
	if (row < g->dag->n)
		return &g->dag->oid[g->dag->n - 1 - row];
	return &g->extra[row - g->dag->n];
}

static int64_t
row_of(const struct graph *g, const struct hv_oid *oid)
{
	int64_t i;
	size_t k;

	if (!g->dag)
		return -1;
	i = hv_dag_find(g->dag, oid);
	if (i >= 0)
		return (int64_t)g->dag->n - 1 - i;
	for (k = 0; k < g->nextra; k++)
		if (!hv_oid_cmp(&g->extra[k], oid))
			return (int64_t)(g->dag->n + k);
	return -1;
}

static void
free_row_caches(struct graph *g)
{
	uint32_t r;

	if (g->subject)
		for (r = 0; r < g->nrows; r++)
			free(g->subject[r]);
	if (g->info)
		for (r = 0; r < g->nrows; r++)
			free(g->info[r]);
	free(g->subject);
	free(g->info);
	g->subject = g->info = NULL;
}

static void
free_info_cache(struct graph *g)
{
	uint32_t r;

	if (!g->info)
		return;
	for (r = 0; r < g->nrows; r++) {
		free(g->info[r]);
		g->info[r] = NULL;
	}
}

/*
 * The range the session started from, read from its log: the first bad
 * commit named, and the good ones named before the bisection first had
 * both ends (git logs "# term: [sha] subject" for every mark, and the
 * start line's marks come before it). Later goods are inside the range.
 */
static void
range_from_log(const struct hv_state *st, struct hv_oid *bad, int *have_bad,
	       struct hv_oid **goods, size_t *ngoods)
{
	const char *p = st->log.buf ? st->log.buf : "";
	size_t lbad = strlen(st->term_bad), lgood = strlen(st->term_good),
	       agoods = 0;
	int done = 0;

	*have_bad = 0;
	*goods = NULL;
	*ngoods = 0;
	while (*p && !done) {
		const char *nl = strchr(p, '\n'), *hex = NULL;
		int is_bad = 0;

		if (!nl)
			nl = p + strlen(p);
		if (!strncmp(p, "# ", 2)) {
			const char *w = p + 2;

			if (!strncmp(w, st->term_bad, lbad) &&
			    !strncmp(w + lbad, ": [", 3)) {
				hex = w + lbad + 3;
				is_bad = 1;
			} else if (!strncmp(w, st->term_good, lgood) &&
				   !strncmp(w + lgood, ": [", 3)) {
				hex = w + lgood + 3;
			}
		} else if (!strncmp(p, "git bisect ", 11) && *have_bad &&
			   *ngoods) {
			done = 1;
		}
		if (hex && nl - hex > 41 && hex[40] == ']') {
			char buf[41];
			struct hv_oid oid;

			memcpy(buf, hex, 40);
			buf[40] = '\0';
			if (hv_oid_parse(&oid, buf) == 0) {
				if (is_bad && !*have_bad) {
					*bad = oid;
					*have_bad = 1;
				} else if (!is_bad) {
					HV_GROW(*goods, *ngoods + 1, agoods);
					(*goods)[(*ngoods)++] = oid;
				}
			}
		}
		p = *nl ? nl + 1 : nl;
	}
}

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

/* Loads the DAG when what it should show changed. */
static int
load_range(struct pane *p, struct hv_error *err)
{
	struct graph *g = graph_of(p);
	struct hv_session *s = p->tui->s;
	const struct hv_state *st = &s->st;
	struct hv_oid top, *bottoms = NULL;
	size_t nbottoms = 0;
	int history = 0, have_top = 0;
	char *paths;
	struct hv_graph_opts opts;
	struct hv_dag *dag = NULL;

	if (st->active && st->have_bad) {
		range_from_log(st, &top, &have_top, &bottoms, &nbottoms);
		if (!have_top) {
			top = st->bad;
			have_top = 1;
		}
		if (!nbottoms && st->ngoods) {
			bottoms = xcalloc(st->ngoods, sizeof(*bottoms));
			memcpy(bottoms, st->goods, st->ngoods * sizeof(*bottoms));
			nbottoms = st->ngoods;
		}
		history = nbottoms == 0;
	} else {
		char *branch = NULL;

		history = 1;
		if (hv_repo_head(s->repo, &branch, &top, NULL) == 0)
			have_top = 1;
		free(branch);
		/* waiting for a bad commit: what the goods already rule out
		 * is not worth drawing */
		if (st->active && st->ngoods) {
			bottoms = xcalloc(st->ngoods, sizeof(*bottoms));
			memcpy(bottoms, st->goods, st->ngoods * sizeof(*bottoms));
			nbottoms = st->ngoods;
		}
	}
	paths = hv_state_paths_key(st);
	if (g->loaded && have_top && !hv_oid_cmp(&g->top, &top) &&
	    same_oids(g->bottoms, g->nbottoms, bottoms, nbottoms) &&
	    g->first_parent == st->first_parent && !strcmp(g->paths, paths)) {
		free(bottoms);
		free(paths);
		return 0;
	}
	memset(&opts, 0, sizeof(opts));
	opts.first_parent = st->first_parent;
	opts.paths = st->npaths ? st->paths : NULL;
	opts.npaths = st->npaths;
	/* through the session: the next step is then cut out of this range */
	if (have_top &&
	    hv_session_range(s, &top, bottoms, nbottoms, &dag, err) < 0) {
		free(bottoms);
		free(paths);
		return -1;
	}
	if (!dag)
		dag = hv_dag_new();
	free_row_caches(g);
	lanes_release(&g->lanes);
	hv_dag_free(g->dag);
	free(g->bottoms);
	free(g->paths);
	free(g->status);
	g->dag = dag;
	g->top = top;
	g->bottoms = bottoms;
	g->nbottoms = nbottoms;
	g->paths = paths;
	g->first_parent = st->first_parent;
	g->history = history;
	g->loaded = 1;
	g->status = xcalloc(dag->n ? dag->n : 1, 1);
	lanes_init(&g->lanes, dag);
	g->sel = g->top_row = 0;
	g->have_followed = 0;
	return 0;
}

static int
oid_in(const struct hv_oid *oid, const struct hv_oid *set, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!hv_oid_cmp(oid, &set[i]))
			return 1;
	return 0;
}

/* Marks every node of the range with what the session knows of it. */
static void
compute_status(struct pane *p)
{
	struct graph *g = graph_of(p);
	const struct hv_tui *t = p->tui;
	const struct hv_state *st = &t->s->st;
	const struct hv_step *step = &t->step;
	const struct hv_dag *dag = g->dag;
	uint32_t n = dag->n, i, k;
	uint8_t *old = xcalloc(n ? n : 1, 1), *cand = xcalloc(n ? n : 1, 1),
		*newer = xcalloc(n ? n : 1, 1), *mark = xcalloc(n ? n : 1, 1);
	int64_t bad = st->have_bad ? hv_dag_find(dag, &st->bad) : -1;
	int test = step->outcome == HV_STEP_TEST ||
		   step->outcome == HV_STEP_MERGE_BASE;

	/* marks by node, looked up once (a node scan per mark would cost
	 * marks x range on a big range) */
	for (k = 0; k < st->ngoods; k++) {
		int64_t j = hv_dag_find(dag, &st->goods[k]);

		if (j >= 0)
			old[j] = mark[j] = GS_GOOD;
	}
	for (k = 0; k < st->nskips; k++) {
		int64_t j = hv_dag_find(dag, &st->skips[k]);

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
		} else if (test && !hv_oid_cmp(oid, &step->current)) {
			s = GS_CURRENT;
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
		if (test && s != GS_CURRENT && !hv_oid_cmp(oid, &step->current))
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
compute_extra(struct pane *p)
{
	struct graph *g = graph_of(p);
	const struct hv_state *st = &p->tui->s->st;
	size_t k;

	g->nextra = 0;
	if (!st->active)
		return;
	for (k = 0; k < g->nbottoms + st->ngoods; k++) {
		const struct hv_oid *oid = k < g->nbottoms ? &g->bottoms[k]
						   : &st->goods[k - g->nbottoms];

		if (hv_dag_find(g->dag, oid) >= 0 ||
		    oid_in(oid, g->extra, g->nextra))
			continue;
		HV_GROW(g->extra, g->nextra + 1, g->aextra);
		g->extra[g->nextra++] = *oid;
	}
}

static void
short_name(struct hv_session *s, const struct hv_oid *oid, struct strbuf *sb)
{
	char hex[41];

	(void)s;
	hv_oid_fmt(hex, oid);
	sb_addf(sb, "%.7s", hex);
}

/* A revision as the status bar shows it: full ids abbreviated. */
static void
add_rev(struct strbuf *sb, const char *rev)
{
	size_t n = strspn(rev, "0123456789abcdef");

	if (n == 40 && !rev[40])
		sb_addf(sb, "%.7s", rev);
	else
		sb_adds(sb, rev);
}

int
graph_log_range_name(const char *log, struct strbuf *sb)
{
	const char *start = NULL, *p;
	int named = 0;

	/* the last start line: the session began there */
	for (p = log; *p;) {
		const char *nl = strchr(p, '\n');

		if (!strncmp(p, "git bisect start", 16))
			start = p;
		if (!nl)
			break;
		p = nl + 1;
	}
	if (!start)
		return 0;
	{
		const char *nl = strchr(start, '\n');
		char *line = xstrndup(start + 16, nl ? (size_t)(nl - start - 16)
						   : strlen(start + 16));
		char **argv = NULL;
		size_t argc = 0, k;

		if (hv_sq_split(line, &argv, &argc) == 0) {
			struct hv_start_opts o;

			if (hv_start_opts_parse(argv, argc, &o, NULL) == 0) {
				if (o.nrevs >= 2) {
					for (k = 1; k < o.nrevs; k++) {
						if (k > 1)
							sb_addc(sb, ',');
						add_rev(sb, o.revs[k]);
					}
					sb_adds(sb, "..");
					add_rev(sb, o.revs[0]);
					named = 1;
				}
				hv_start_opts_release(&o);
			}
			hv_argv_free(argv);
		}
		free(line);
	}
	return named;
}

static void
compute_range_name(struct pane *p)
{
	struct graph *g = graph_of(p);
	struct hv_tui *t = p->tui;
	const struct hv_state *st = &t->s->st;
	size_t k;

	sb_reset(&g->range_name);
	if (!st->active) {
		sb_adds(&g->range_name, "not bisecting");
		return;
	}
	/* the start line's revisions as typed: "v3.14..v3.15" */
	if (graph_log_range_name(st->log.buf ? st->log.buf : "",
				 &g->range_name))
		return;
	for (k = 0; k < g->nbottoms; k++) {
		if (k)
			sb_addc(&g->range_name, ',');
		short_name(t->s, &g->bottoms[k], &g->range_name);
	}
	sb_adds(&g->range_name, "..");
	if (st->have_bad)
		short_name(t->s, &g->top, &g->range_name);
	else
		sb_adds(&g->range_name, "?");
}

int
graph_reload(struct pane *p, struct hv_error *err)
{
	struct graph *g = graph_of(p);
	const struct hv_step *step = &p->tui->step;
	struct hv_oid keep;
	int have_keep = graph_selected(p, &keep);
	int64_t row;

	if (load_range(p, err) < 0)
		return -1;
	free_info_cache(g);
	if (g->subject && g->nrows != g->dag->n + g->nextra)
		free_row_caches(g);
	compute_extra(p);
	if (g->subject && g->nrows != g->dag->n + g->nextra)
		free_row_caches(g);
	g->nrows = (uint32_t)(g->dag->n + g->nextra);
	if (!g->subject) {
		g->subject = xcalloc(g->nrows + 1, sizeof(*g->subject));
		g->info = xcalloc(g->nrows + 1, sizeof(*g->info));
	}
	compute_status(p);
	compute_range_name(p);
	/* follow the commit under test when it changes; else stay put */
	if ((step->outcome == HV_STEP_TEST || step->outcome == HV_STEP_MERGE_BASE ||
	     step->outcome == HV_STEP_FOUND) &&
	    (!g->have_followed || hv_oid_cmp(&g->followed, &step->current))) {
		g->followed = step->current;
		g->have_followed = 1;
		have_keep = 1;
		keep = step->current;
	}
	row = have_keep ? row_of(g, &keep) : -1;
	if (row >= 0)
		g->sel = row;
	if (g->sel >= (int64_t)g->nrows)
		g->sel = g->nrows ? g->nrows - 1 : 0;
	pane_dirty(p);
	return 0;
}

int
graph_selected(struct pane *p, struct hv_oid *oid)
{
	struct graph *g = graph_of(p);

	if (!g->dag || g->sel < 0 || g->sel >= (int64_t)g->nrows)
		return 0;
	*oid = *row_oid(g, (uint32_t)g->sel);
	return 1;
}

int
graph_select(struct pane *p, const struct hv_oid *oid)
{
	struct graph *g = graph_of(p);
	int64_t row = row_of(g, oid);

	if (row < 0)
		return 0;
	g->sel = row;
	pane_dirty(p);
	return 1;
}

char **
graph_span(struct pane *p, const struct hv_oid *a, const struct hv_oid *b,
	   size_t *n)
{
	struct graph *g = graph_of(p);
	int64_t ra = row_of(g, a), rb = row_of(g, b), r, lo, hi;
	char **out;

	*n = 0;
	if (ra < 0 || rb < 0)
		return NULL;
	lo = ra < rb ? ra : rb;
	hi = ra < rb ? rb : ra;
	out = xcalloc((size_t)(hi - lo + 2), sizeof(*out));
	for (r = lo; r <= hi; r++) {
		char hex[41];

		hv_oid_fmt(hex, row_oid(g, (uint32_t)r));
		out[(*n)++] = xstrdup(hex);
	}
	return out;
}

void
graph_range_name(struct pane *p, struct strbuf *sb)
{
	struct graph *g = graph_of(p);

	if (g->range_name.buf)
		sb_adds(sb, g->range_name.buf);
}

static void
clamp(struct pane *p)
{
	struct graph *g = graph_of(p);
	int64_t h = p->h > 0 ? p->h : 1;

	if (g->sel >= (int64_t)g->nrows)
		g->sel = (int64_t)g->nrows - 1;
	if (g->sel < 0)
		g->sel = 0;
	if (g->top_row > g->sel)
		g->top_row = g->sel;
	if (g->sel >= g->top_row + h)
		g->top_row = g->sel - h + 1;
	if (g->top_row < 0)
		g->top_row = 0;
}

void
graph_move(struct pane *p, enum pane_move m)
{
	struct graph *g = graph_of(p);
	int64_t page = p->h > 1 ? p->h - 1 : 1;

	switch (m) {
	case MOVE_UP:
		g->sel--;
		break;
	case MOVE_DOWN:
		g->sel++;
		break;
	case MOVE_PAGE_UP:
		g->sel -= page;
		g->top_row -= page;
		break;
	case MOVE_PAGE_DOWN:
		g->sel += page;
		g->top_row += page;
		break;
	case MOVE_TOP:
		g->sel = 0;
		break;
	case MOVE_BOTTOM:
		g->sel = (int64_t)g->nrows - 1;
		break;
	}
	if (g->top_row > (int64_t)g->nrows - (p->h > 0 ? p->h : 1))
		g->top_row = (int64_t)g->nrows - (p->h > 0 ? p->h : 1);
	clamp(p);
	pane_dirty(p);
}

static const char *
row_subject(struct pane *p, uint32_t row)
{
	struct graph *g = graph_of(p);

	if (!g->subject[row]) {
		char *s = hv_repo_subject(p->tui->s->repo, row_oid(g, row));

		g->subject[row] = s ? s : xstrdup("");
	}
	return g->subject[row];
}

/* "build 2m13s, boot 41s: rule bad #1 matched" from the verdict file. */
static const char *
row_info(struct pane *p, uint32_t row)
{
	struct graph *g = graph_of(p);
	struct strbuf file = STRBUF_INIT, out = STRBUF_INIT;
	char hex[41], *path, *name;
	const char *reason = NULL, *line;

	if (g->info[row])
		return g->info[row];
	hv_oid_fmt(hex, row_oid(g, row));
	name = xasprintf("halve/steps/%s/verdict", hex);
	path = hv_repo_path(p->tui->s->repo, name);
	free(name);
	if (hv_read_file(path, &file) == 0 && file.buf) {
		for (line = file.buf; *line;) {
			const char *nl = strchr(line, '\n'), *sp;
			size_t len = nl ? (size_t)(nl - line) : strlen(line);

			sp = memchr(line, ' ', len);
			if (sp) {
				size_t klen = (size_t)(sp - line);

				if (klen > 3 && !strncmp(sp - 3, "-ms", 3)) {
					int64_t ms = strtoll(sp + 1, NULL, 10);

					sb_adds(&out, out.len ? ", " : "");
					sb_add(&out, line, klen - 3);
					sb_addc(&out, ' ');
					hv_format_duration(&out, ms);
				} else if (klen == 6 && !strncmp(line, "reason", 6)) {
					reason = sp + 1;
				}
			}
			if (!nl)
				break;
			line = nl + 1;
		}
		if (reason) {
			const char *end = strchr(reason, '\n');

			sb_adds(&out, out.len ? ": " : "");
			sb_add(&out, reason, end ? (size_t)(end - reason)
						 : strlen(reason));
		}
	}
	free(path);
	sb_release(&file);
	g->info[row] = sb_detach(&out);
	return g->info[row];
}

/*
 * Draws text with the graph's regex rules and the search painted on it;
 * returns the columns used.
 */
static int
draw_painted(struct pane *p, int y, int x, int maxw, const char *s,
	     struct hv_cstyle base, int cursor)
{
	struct graph *g = graph_of(p);
	const struct hv_draw *d = tui_draw(p->tui);
	size_t len = strlen(s), i, r, start;
	const struct hv_theme_style **over;
	struct hv_cstyle search_st = hv_draw_elem(d, HV_ELEM_SEARCH);
	static const struct hv_theme_style search_marker = { 0, 0, 0, 1 };
	int col = 0;

	if (!len)
		return 0;
	over = xcalloc(len, sizeof(*over));
	for (r = 0; !cursor && r < d->theme->nrules; r++) {
		const struct hv_theme_rule *rule = &d->theme->rules[r];
		const struct hv_theme_style *st = hv_draw_rule_style(d, rule);
		pcre2_match_data *md;
		PCRE2_SIZE at = 0;

		if (!st || strncmp(hv_theme_elem_name(rule->elem), "graph", 5))
			continue;
		md = pcre2_match_data_create_from_pattern(rule->code, NULL);
		while (at < len && pcre2_match(rule->code, (PCRE2_SPTR)s, len,
					       at, 0, md, NULL) >= 0) {
			PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);

			for (i = ov[0]; i < ov[1]; i++)
				if (!over[i])
					over[i] = st;
			at = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
		}
		pcre2_match_data_free(md);
	}
	if (g->search) {
		PCRE2_SIZE at = 0;

		while (at < len && pcre2_match(g->search, (PCRE2_SPTR)s, len,
					       at, 0, g->md, NULL) >= 0) {
			PCRE2_SIZE *ov = pcre2_get_ovector_pointer(g->md);

			for (i = ov[0]; i < ov[1]; i++)
				over[i] = &search_marker;
			at = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
		}
	}
	for (start = 0; start < len && col < maxw;) {
		const struct hv_theme_style *o = over[start];
		struct hv_cstyle st = base;

		for (i = start; i < len && over[i] == o; i++)
			;
		if (o == &search_marker)
			st = search_st;
		else if (o)
			st = hv_draw_style(d, o);
		col += hv_draw_text(d, y, x + col, maxw - col, s + start,
				    i - start, st);
		start = i;
	}
	free(over);
	return col;
}

static void
draw_row(struct pane *p, int y, uint32_t row)
{
	struct graph *g = graph_of(p);
	struct hv_tui *t = p->tui;
	const struct hv_draw *d = tui_draw(t);
	const struct hv_state *st = &t->s->st;
	int cursor = (int64_t)row == g->sel;
	struct hv_cstyle cur = hv_draw_elem(d, HV_ELEM_CURSOR);
	struct hv_cstyle base = cursor ? cur : hv_draw_elem(d, HV_ELEM_NORMAL);
	int x = p->x, w = p->w, col = 0;
	uint8_t status;
	char hex[41], tag[96];
	const char *subject, *info;

	hv_draw_fill(y, x, w, base);
	if (row < g->dag->n) {
		size_t ncells, k, commit = 0;
		struct hv_cstyle ls, ms;
		int sym;

		status = g->status[g->dag->n - 1 - row];
		ls = cursor ? cur : hv_draw_elem(d, HV_ELEM_LANE);
		ms = cursor ? cur : hv_draw_elem(d, gstyle[status].elem);
		sym = d->utf8 ? gstyle[status].utf8 : gstyle[status].ascii;
		/* a history with hundreds of open lanes keeps a third of the
		 * pane for them: the lanes beyond fold into an ellipsis, and the
		 * commit is always drawn */
		size_t limit = (size_t)(w / 3 > 12 ? w / 3 : 12);

		ncells = lanes_row(&g->lanes, row, &g->cells, &g->acells, &commit);
		if (ncells > limit) {
			size_t keep = limit - 2;

			for (k = 0; k < keep && col < w; k++, col++)
				if (g->cells[k] & LANE_COMMIT)
					hv_draw_glyph(y, x + col, sym, ms);
				else if (g->cells[k])
					hv_draw_glyph(y, x + col,
						      lanes_glyph(g->cells[k], d->utf8), ls);
			if (col < w)
				hv_draw_glyph(y, x + col++, d->utf8 ? 0x2026 : '>', ls);
			if (commit >= keep && col < w)
				hv_draw_glyph(y, x + col++, sym, ms);
			col++;	/* the gap before the id */
			ncells = 0;
		}
		for (k = 0; k < ncells && col < w - 1; k++, col++) {
			uint8_t c = g->cells[k];

			if (c & LANE_COMMIT)
				hv_draw_glyph(y, x + col, sym, ms);
			else if (c)
				hv_draw_glyph(y, x + col, lanes_glyph(c, d->utf8), ls);
		}
	} else {
		status = GS_GOOD;
		hv_draw_glyph(y, x, d->utf8 ? gstyle[status].utf8 : gstyle[status].ascii,
			      cursor ? cur : hv_draw_elem(d, gstyle[status].elem));
		col = 2;
	}
	if (col >= w)
		return;
	hv_oid_fmt(hex, row_oid(g, row));
	col += hv_draw_text(d, y, x + col, w - col, hex, 7,
			    cursor ? cur : hv_draw_elem(d, HV_ELEM_ID));
	col++;
	tag[0] = '\0';
	switch (status) {
	case GS_BAD:
		snprintf(tag, sizeof(tag), "[%s]", st->term_bad);
		break;
	case GS_GOOD:
		snprintf(tag, sizeof(tag), "[%s]", st->term_good);
		break;
	case GS_SKIP:
		snprintf(tag, sizeof(tag), "[skip]");
		break;
	case GS_CURRENT:
		snprintf(tag, sizeof(tag), t->step.outcome == HV_STEP_MERGE_BASE ?
			 "[merge base]" : "[current]");
		break;
	case GS_FOUND:
		snprintf(tag, sizeof(tag), "[first %s]", st->term_bad);
		break;
	}
	if (t->skip_anchor_set &&
	    !hv_oid_cmp(&t->skip_anchor, row_oid(g, row))) {
		/* S was pressed here: the other end is still to come */
		snprintf(tag, sizeof(tag), "[skip from here]");
		status = GS_SKIP;
	}
	if (tag[0] && col < w) {
		col += hv_draw_str(d, y, x + col, w - col, tag,
				   cursor ? cur : hv_draw_elem(d, gstyle[status].elem));
		col++;
	}
	if (col >= w)
		return;
	subject = row_subject(p, row);
	col += draw_painted(p, y, x + col, w - col, subject,
			    cursor ? cur : hv_draw_elem(d, status >= GS_OLD ?
							HV_ELEM_OUTSIDE : HV_ELEM_SUBJECT),
			    cursor);
	info = st->active ? row_info(p, row) : "";
	if (*info && col + 2 < w) {
		col += 2;
		hv_draw_str(d, y, x + col, w - col, info,
			    cursor ? cur : hv_draw_elem(d, HV_ELEM_INFO));
	}
}

static void
graph_draw(struct pane *p)
{
	struct graph *g = graph_of(p);
	const struct hv_draw *d = tui_draw(p->tui);
	int y;

	clamp(p);
	for (y = 0; y < p->h; y++) {
		int64_t row = g->top_row + y;

		if (!g->dag || row >= (int64_t)g->nrows)
			hv_draw_fill(p->y + y, p->x, p->w,
				     hv_draw_elem(d, HV_ELEM_NORMAL));
		else
			draw_row(p, p->y + y, (uint32_t)row);
	}
	if (g->dag && !g->nrows && p->h > 0)
		hv_draw_str(d, p->y, p->x, p->w, "(no commits)",
			    hv_draw_elem(d, HV_ELEM_OUTSIDE));
	if (!g->dag && p->h > 0)
		hv_draw_str(d, p->y, p->x, p->w, "loading the commits...",
			    hv_draw_elem(d, HV_ELEM_OUTSIDE));
}

static void
graph_title(struct pane *p, struct strbuf *sb, int *elem)
{
	struct graph *g = graph_of(p);
	struct hv_tui *t = p->tui;

	if (!g->dag)
		return;
	/* where the cursor is first: titles get cut at the pane's width */
	if (g->history)
		sb_adds(sb, " (history)");
	else
		sb_addf(sb, " %s", g->range_name.buf);
	if (g->nrows)
		sb_addf(sb, " %lld/%u", (long long)g->sel + 1, g->nrows);
	if (g->history)
		return;
	if (t->step.outcome == HV_STEP_FOUND)
		sb_adds(sb, " (found)");
	else if (!t->step_pending && t->step.all)
		sb_addf(sb, " (%u in question)", t->step.all);
}

static int
graph_search(struct pane *p, const char *pattern, int dir, struct hv_error *err)
{
	struct graph *g = graph_of(p);
	uint32_t k;

	if (pattern) {
		pcre2_code *re = ui_regex_compile(pattern, err);

		if (!re)
			return -1;
		pcre2_code_free(g->search);
		pcre2_match_data_free(g->md);
		g->search = re;
		g->md = pcre2_match_data_create_from_pattern(re, NULL);
	}
	if (!g->search)
		return hv_error_set(err, "no search yet: type / first");
	pane_dirty(p);
	for (k = 1; k <= g->nrows; k++) {
		int64_t r = (g->sel + dir * (int64_t)k) % (int64_t)g->nrows;
		char hex[41];
		const char *s;

		if (r < 0)
			r += g->nrows;
		s = row_subject(p, (uint32_t)r);
		hv_oid_fmt(hex, row_oid(g, (uint32_t)r));
		if (pcre2_match(g->search, (PCRE2_SPTR)s, strlen(s), 0, 0, g->md,
				NULL) >= 0 ||
		    pcre2_match(g->search, (PCRE2_SPTR)hex, 40, 0, 0, g->md,
				NULL) >= 0) {
			g->sel = r;
			clamp(p);
			return 0;
		}
	}
	return hv_error_set(err, "not found: %s", pattern ? pattern : "(again)");
}

static int
graph_click(struct pane *p, int row, int col)
{
	struct graph *g = graph_of(p);

	if (g->top_row + row < (int64_t)g->nrows) {
		g->sel = g->top_row + row;
		pane_dirty(p);
	}
	return 1;
}

static void
graph_scroll(struct pane *p, int n)
{
	struct graph *g = graph_of(p);

	g->top_row += n;
	g->sel += n;
	clamp(p);
	pane_dirty(p);
}

static void
graph_resize(struct pane *p)
{
	clamp(p);
	pane_dirty(p);
}

static void
graph_free(struct pane *p)
{
	struct graph *g = graph_of(p);

	free_row_caches(g);
	lanes_release(&g->lanes);
	hv_dag_free(g->dag);
	free(g->bottoms);
	free(g->paths);
	free(g->status);
	free(g->extra);
	free(g->cells);
	pcre2_code_free(g->search);
	pcre2_match_data_free(g->md);
	sb_release(&g->range_name);
	free(g);
	free(p);
}

static const struct pane_ops graph_ops = {
	.name = "graph",
	.draw = graph_draw,
	.title = graph_title,
	.resize = graph_resize,
	.search = graph_search,
	.click = graph_click,
	.wheel = graph_scroll,
	.free = graph_free,
};

struct pane *
graph_new(struct hv_tui *t)
{
	struct pane *p = xcalloc(1, sizeof(*p));

	p->ops = &graph_ops;
	p->tui = t;
	p->data = xcalloc(1, sizeof(struct graph));
	return p;
}
