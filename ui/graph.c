/*
 * graph.c: the commit graph pane: one commit a line, newest first, with
 * the lanes of git log --graph, each commit marked by what the session
 * knows of it (grange.c works that out, and reads the range in pieces),
 * its subject, and for tested commits the build and boot durations and
 * the verdict's reason. Lanes, subjects and verdicts are computed for the
 * rows drawn, so a screen of a huge range costs a screenful.
 *
 * Until the range is read whole the pane shows its top rows (the title
 * says how much is read) and the cursor can move among them; then the
 * selection goes to the commit under test, unless the user moved it.
 * It never writes the session; actions.c does, through session.h.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <curses.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "grange.h"
#include "lanes.h"
#include "tuiint.h"
#include "verdict.h"

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
	struct grange r;
	char **subject;		/* per row, on demand */
	char **info;		/* per row, on demand ("" when untested) */
	uint32_t ncache;	/* rows of subject and info */

	struct lanes lanes;
	uint8_t *cells;
	size_t acells;
	unsigned lanes_gen;	/* the rows the lanes and caches are for */
	int64_t sel, top_row;
	int moved;		/* the user moved while the range loaded */

	pcre2_code *search;
	pcre2_match_data *md;

	struct hv_oid followed;	/* the current commit last selected for */
	int have_followed;

	/* the selected commit's predicted rebuild, asked once per selection */
	struct hv_oid rebuild_of;
	int rebuild_state;	/* 0: not asked, 1: known, -1: none */
	size_t rebuild, objects;
};

static struct graph *
graph_of(const struct pane *p)
{
	return p->data;
}

static const struct hv_oid *
row_oid(const struct graph *g, uint32_t row)
{
	return grange_oid(&g->r, row);
}

static int64_t
row_of(const struct graph *g, const struct hv_oid *oid)
{
	return grange_row(&g->r, oid);
}

static void
free_row_caches(struct graph *g)
{
	uint32_t r;

	for (r = 0; r < g->ncache; r++) {
		free(g->subject[r]);
		free(g->info[r]);
	}
	free(g->subject);
	free(g->info);
	g->subject = g->info = NULL;
	g->ncache = 0;
}

/* Keeps what was worked out for the rows while they stay the same rows
 * (verdicts are read again: a step may have ended). */
static void
sync_rows(struct graph *g)
{
	uint32_t r;

	if (g->lanes_gen != g->r.gen || g->ncache != g->r.nrows) {
		free_row_caches(g);
		lanes_release(&g->lanes);
		if (g->r.dag)
			lanes_init(&g->lanes, g->r.dag);
		g->lanes_gen = g->r.gen;
		g->ncache = g->r.nrows;
		g->subject = xcalloc(g->ncache + 1, sizeof(*g->subject));
		g->info = xcalloc(g->ncache + 1, sizeof(*g->info));
		return;
	}
	for (r = 0; r < g->ncache; r++) {
		free(g->info[r]);
		g->info[r] = NULL;
	}
}

/*
 * The selection follows the commit under test when that changes, else
 * stays on the commit it was on (keep). While the range loads the
 * commit under test may not be drawn yet: it is followed once it is,
 * unless the user went somewhere meanwhile.
 */
static void
place_selection(struct pane *p, int have_keep, const struct hv_oid *keep)
{
	struct graph *g = graph_of(p);
	const struct hv_step *step = &p->tui->step;
	struct hv_oid to = have_keep ? *keep : step->current;
	int64_t row;

	if ((step->outcome == HV_STEP_TEST || step->outcome == HV_STEP_MERGE_BASE ||
	     step->outcome == HV_STEP_FOUND) &&
	    (!g->have_followed || hv_oid_cmp(&g->followed, &step->current))) {
		if (g->moved) {
			g->followed = step->current;
			g->have_followed = 1;
			g->moved = 0;
		} else if (row_of(g, &step->current) >= 0) {
			g->followed = step->current;
			g->have_followed = 1;
			have_keep = 1;
			to = step->current;
		}
	}
	row = have_keep ? row_of(g, &to) : -1;
	if (row >= 0)
		g->sel = row;
	if (g->sel >= (int64_t)g->r.nrows)
		g->sel = g->r.nrows ? g->r.nrows - 1 : 0;
	pane_dirty(p);
}

/* The user moved the selection (before it was put on the current one). */
static void
user_moved(struct graph *g)
{
	if (!g->have_followed)
		g->moved = 1;
}

int
graph_reload(struct pane *p, struct hv_error *err)
{
	struct graph *g = graph_of(p);
	struct hv_oid keep;
	int have_keep = graph_selected(p, &keep), changed;

	changed = grange_update(&g->r, p->tui, err);
	if (changed < 0)
		return -1;
	if (changed) {
		g->sel = g->top_row = 0;
		g->have_followed = g->moved = 0;
	}
	sync_rows(g);
	place_selection(p, have_keep, &keep);
	g->rebuild_state = 0;	/* HEAD or the build may have moved */
	return 0;
}

int
graph_loading(struct pane *p)
{
	return grange_loading(&graph_of(p)->r);
}

size_t
graph_read(struct pane *p)
{
	return grange_read(&graph_of(p)->r);
}

int
graph_load_more(struct pane *p, struct hv_error *err)
{
	struct graph *g = graph_of(p);
	struct hv_oid keep;
	int have_keep = graph_selected(p, &keep), rc;

	unsigned gen = g->r.gen;

	rc = grange_load_more(&g->r, p->tui, err);
	if (rc == 0 && g->r.gen != gen) {	/* the preview grew */
		sync_rows(g);
		place_selection(p, have_keep, &keep);
	}
	return rc;
}

int
graph_selected(struct pane *p, struct hv_oid *oid)
{
	struct graph *g = graph_of(p);

	if (!g->r.dag || g->sel < 0 || g->sel >= (int64_t)g->r.nrows)
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
	user_moved(g);
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
graph_breadcrumbs(struct pane *p, struct strbuf *sb)
{
	struct graph *g = graph_of(p);

	if (g->r.crumbs.buf)
		sb_adds(sb, g->r.crumbs.buf);
}

static void
clamp(struct pane *p)
{
	struct graph *g = graph_of(p);
	int64_t h = p->h > 0 ? p->h : 1;

	if (g->sel >= (int64_t)g->r.nrows)
		g->sel = (int64_t)g->r.nrows - 1;
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

	user_moved(g);
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
		g->sel = (int64_t)g->r.nrows - 1;
		break;
	}
	if (g->top_row > (int64_t)g->r.nrows - (p->h > 0 ? p->h : 1))
		g->top_row = (int64_t)g->r.nrows - (p->h > 0 ? p->h : 1);
	clamp(p);
	pane_dirty(p);
}

static const char *
row_subject(struct pane *p, uint32_t row)
{
	struct graph *g = graph_of(p);

	if (!g->subject[row]) {
		/* 4 KB fills any row; a megabyte subject costs no more */
		char *s = hv_repo_subject_display(hv_session_repo(p->tui->s),
						  row_oid(g, row), 4096);

		g->subject[row] = s ? s : xstrdup("");
	}
	return g->subject[row];
}

/* "build 2m13s, boot 41s: rule bad #1 matched" from the verdict file. */
static void
add_stage_ms(struct strbuf *out, const char *stage, int64_t ms)
{
	if (ms < 0)
		return;
	sb_addf(out, "%s%s ", out->len ? ", " : "", stage);
	hv_format_duration(out, ms);
}

/* Under --confidence, how the commit's runs went: "bad 2/3". */
static void
add_tally(struct hv_session *s, const struct hv_oid *oid, struct strbuf *out)
{
	struct hv_observation *obs;
	size_t n, i, runs = 0, bad = 0;

	if (hv_session_confidence(s) <= 0)
		return;
	hv_session_observations(s, &obs, &n);
	for (i = 0; i < n; i++)
		if (!hv_oid_cmp(&obs[i].oid, oid)) {
			runs++;
			bad += obs[i].bad;
		}
	free(obs);
	if (runs)
		sb_addf(out, "%s %zu/%zu", hv_session_term_name(s, HV_TERM_NEW),
			bad, runs);
}

static const char *
row_info(struct pane *p, uint32_t row)
{
	struct graph *g = graph_of(p);
	struct strbuf out = STRBUF_INIT;
	struct hv_error err = HV_ERROR_INIT;
	struct hv_verdict v;
	int rc;

	if (g->info[row])
		return g->info[row];
	add_tally(p->tui->s, row_oid(g, row), &out);
	hv_verdict_init(&v);
	rc = hv_verdict_read(hv_session_repo(p->tui->s), row_oid(g, row), &v,
			     &err);
	if (rc < 0) {
		sb_adds(&out, err.msg);	/* named, never skipped silently */
	} else if (rc > 0) {
		add_stage_ms(&out, "build", v.build_ms);
		add_stage_ms(&out, "boot", v.boot_ms);
		add_stage_ms(&out, "test", v.test_ms);
		if (v.reason)
			sb_addf(&out, "%s%s", out.len ? ": " : "", v.reason);
	}
	hv_verdict_release(&v);
	hv_error_clear(&err);
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
	struct hv_marks m = tui_marks(t), *st = &m;
	int cursor = (int64_t)row == g->sel;
	struct hv_cstyle cur = hv_draw_elem(d, HV_ELEM_CURSOR);
	struct hv_cstyle base = cursor ? cur : hv_draw_elem(d, HV_ELEM_NORMAL);
	int x = p->x, w = p->w, col = 0;
	uint8_t status;
	char hex[41], tag[96];
	const char *subject, *info;

	hv_draw_fill(y, x, w, base);
	if (row < g->r.ndag) {
		size_t ncells, k, commit = 0;
		struct hv_cstyle ls, ms;
		int sym;

		status = grange_status(&g->r, row);
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

		if (!g->r.dag || row >= (int64_t)g->r.nrows)
			hv_draw_fill(p->y + y, p->x, p->w,
				     hv_draw_elem(d, HV_ELEM_NORMAL));
		else
			draw_row(p, p->y + y, (uint32_t)row);
	}
	if (g->r.dag && !g->r.nrows && p->h > 0)
		hv_draw_str(d, p->y, p->x, p->w, "(no commits)",
			    hv_draw_elem(d, HV_ELEM_OUTSIDE));
	if (!g->r.dag && p->h > 0)
		hv_draw_str(d, p->y, p->x, p->w, "loading the commits...",
			    hv_draw_elem(d, HV_ELEM_OUTSIDE));
}

/*
 * What building the selected commit would cost from what the build
 * directory holds, when the session predicts it ([bisect] in the
 * pipeline config): the cost-aware choice's own figure, so a user moving
 * through the graph sees which commits are cheap to test.
 */
static void
title_rebuild(struct pane *p, struct strbuf *sb)
{
	struct graph *g = graph_of(p);
	const struct hv_oid *oid;

	if (!g->r.nrows || g->sel < 0 || (uint64_t)g->sel >= g->r.nrows)
		return;
	oid = row_oid(g, (uint32_t)g->sel);
	if (!oid)
		return;
	if (!g->rebuild_state || hv_oid_cmp(oid, &g->rebuild_of)) {
		g->rebuild_of = *oid;
		g->rebuild_state = hv_session_rebuild_cost(p->tui->s, oid,
							   &g->rebuild,
							   &g->objects) ? 1 : -1;
	}
	if (g->rebuild_state > 0)
		sb_addf(sb, " rebuild %zu of %zu", g->rebuild, g->objects);
}

static void
graph_title(struct pane *p, struct strbuf *sb, int *elem)
{
	struct graph *g = graph_of(p);
	struct hv_tui *t = p->tui;

	if (!g->r.dag)
		return;
	/* where the cursor is first: titles get cut at the pane's width */
	if (g->r.history)
		sb_adds(sb, " (history)");
	else
		sb_addf(sb, " %s", g->r.name.buf);
	if (g->r.nrows)
		sb_addf(sb, " %lld/%u", (long long)g->sel + 1, g->r.nrows);
	if (!grange_loading(&g->r) && !g->r.history)
		title_rebuild(p, sb);
	if (grange_loading(&g->r)) {
		sb_addf(sb, " (loading: %zu read)", grange_read(&g->r));
		return;
	}
	if (g->r.history)
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
	for (k = 1; k <= g->r.nrows; k++) {
		int64_t r = (g->sel + dir * (int64_t)k) % (int64_t)g->r.nrows;
		char hex[41];
		const char *s;

		if (r < 0)
			r += g->r.nrows;
		s = row_subject(p, (uint32_t)r);
		hv_oid_fmt(hex, row_oid(g, (uint32_t)r));
		if (pcre2_match(g->search, (PCRE2_SPTR)s, strlen(s), 0, 0, g->md,
				NULL) >= 0 ||
		    pcre2_match(g->search, (PCRE2_SPTR)hex, 40, 0, 0, g->md,
				NULL) >= 0) {
			user_moved(g);
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

	if (g->top_row + row < (int64_t)g->r.nrows) {
		user_moved(g);
		g->sel = g->top_row + row;
		pane_dirty(p);
	}
	return 1;
}

static void
graph_scroll(struct pane *p, int n)
{
	struct graph *g = graph_of(p);

	user_moved(g);
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
	grange_release(&g->r);
	free(g->cells);
	pcre2_code_free(g->search);
	pcre2_match_data_free(g->md);
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
	struct graph *g = xcalloc(1, sizeof(*g));

	p->ops = &graph_ops;
	p->tui = t;
	p->data = g;
	grange_init(&g->r, t->load_chunk);
	return p;
}
