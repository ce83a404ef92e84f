/*
 * layout.c: where the panes go and what surrounds them: the graph on the
 * left, the build log above the console on the right, a title line atop
 * each pane (the focused one stands out), the status bar at the bottom,
 * and the overlays (help, the likeliest answers) over everything, the
 * help atop. Any size works, down to a single cell: a pane that gets no
 * room is hidden, never given a negative size.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "termpane.h"
#include "tuiint.h"

/* Title rows: one per pane, just above its content. */
static void
place(struct pane *p, int y, int x, int h, int w)
{
	if (h < 0)
		h = 0;
	if (w < 0)
		w = 0;
	p->y = y;
	p->x = x;
	p->h = h;
	p->w = w;
	p->visible = h > 0 && w > 0;
	if (p->visible && p->ops->resize)
		p->ops->resize(p);
}

static int
left_width(int cols)
{
	int lw = cols >= 40 ? cols * 45 / 100 : cols / 2;

	return lw < 1 ? 1 : lw;
}

static int
build_rows(int area)	/* title + content of the build pane */
{
	return area / 2;
}

void
layout_apply(struct hv_tui *t)
{
	int area = t->rows - 1;	/* the status bar takes the last row */
	int i, lw, bh;

	for (i = 0; i < PANE_COUNT; i++)
		t->panes[i]->visible = 0;
	if (area < 2) {
		for (i = 0; i < PANE_COUNT; i++)
			place(t->panes[i], 0, 0, 0, 0);
		tui_layout_dirty(t);
		return;
	}
	if (t->zoom) {
		for (i = 0; i < PANE_COUNT; i++)
			if (i == t->focus)
				place(t->panes[i], 1, 0, area - 1, t->cols);
			else
				place(t->panes[i], 0, 0, 0, 0);
		tui_layout_dirty(t);
		return;
	}
	lw = left_width(t->cols);
	place(t->panes[PANE_GRAPH], 1, 0, area - 1, lw);
	bh = build_rows(area);
	place(t->panes[PANE_BUILD], 1, lw + 1, bh - 1, t->cols - lw - 1);
	place(t->panes[PANE_CONSOLE], bh + 1, lw + 1, area - bh - 1,
	      t->cols - lw - 1);
	tui_layout_dirty(t);
}

int
layout_pane_at(struct hv_tui *t, int y, int x)
{
	int i;

	for (i = 0; i < PANE_COUNT; i++) {
		struct pane *p = t->panes[i];

		if (p->visible && y >= p->y - 1 && y < p->y + p->h &&
		    x >= p->x && x < p->x + p->w)
			return i;
	}
	return -1;
}

static void
draw_title(struct hv_tui *t, int idx, int y, int x, int w)
{
	struct pane *p = t->panes[idx];
	const struct hv_draw *d = &t->draw;
	int focused = idx == t->focus, elem = -1, col = 0;
	struct hv_cstyle line = hv_draw_elem(d, focused ? HV_ELEM_TITLE_FOCUS
							: HV_ELEM_BORDER);
	struct hv_cstyle name = hv_draw_elem(d, focused ? HV_ELEM_TITLE_FOCUS
							: HV_ELEM_TITLE);
	struct strbuf extra = STRBUF_INIT;
	wchar_t hz = d->utf8 ? 0x2500 : '-';

	if (w <= 0)
		return;
	if (p->ops->title)
		p->ops->title(p, &extra, &elem);
	hv_draw_glyph(y, x, hz, line);
	col = 1;
	if (col < w)
		hv_draw_glyph(y, x + col++, ' ', name);
	col += hv_draw_str(d, y, x + col, w - col, p->ops->name, name);
	if (extra.len && col < w)
		col += hv_draw_text(d, y, x + col, w - col, extra.buf, extra.len,
				    elem >= 0 ? hv_draw_elem(d, elem) : name);
	if (col < w)
		hv_draw_glyph(y, x + col++, ' ', name);
	for (; col < w; col++)
		hv_draw_glyph(y, x + col, hz, line);
	sb_release(&extra);
}

static void
draw_frame(struct hv_tui *t)
{
	const struct hv_draw *d = &t->draw;
	struct hv_cstyle border = hv_draw_elem(d, HV_ELEM_BORDER);
	struct pane *g = t->panes[PANE_GRAPH], *b = t->panes[PANE_BUILD],
		    *c = t->panes[PANE_CONSOLE];
	int area = t->rows - 1, y, lw;

	if (area < 2)
		return;
	if (t->zoom) {
		draw_title(t, t->focus, 0, 0, t->cols);
		return;
	}
	lw = g->w;
	draw_title(t, PANE_GRAPH, 0, 0, lw);
	if (lw >= t->cols)
		return;
	for (y = 0; y < area; y++) {
		wchar_t wc = d->utf8 ? 0x2502 : '|';

		if (y == 0)
			wc = d->utf8 ? 0x252c : '+';
		else if (y == c->y - 1)
			wc = d->utf8 ? 0x251c : '+';
		hv_draw_glyph(y, lw, wc, border);
	}
	if (lw + 1 < t->cols) {
		draw_title(t, PANE_BUILD, 0, lw + 1, t->cols - lw - 1);
		if (c->y - 1 > 0 && c->y - 1 < area)
			draw_title(t, PANE_CONSOLE, c->y - 1, lw + 1,
				   t->cols - lw - 1);
	}
	(void)b;
}

static void
format_clock(struct strbuf *sb, int64_t ms)
{
	int64_t s = ms / 1000;

	if (s >= 3600)
		sb_addf(sb, "%lld:%02lld:%02lld", (long long)(s / 3600),
			(long long)(s / 60 % 60), (long long)(s % 60));
	else
		sb_addf(sb, "%02lld:%02lld", (long long)(s / 60),
			(long long)(s % 60));
}

/* Where the bisection stands, in words. */
/* The commit to test has the tree of one marked: its mark is offered. */
static void
twin_words(struct hv_tui *t, struct strbuf *sb)
{
	struct hv_oid twin;
	enum hv_term_kind kind;
	char hex[41];

	if (!hv_session_same_tree(t->s, &t->step.current, &twin, &kind))
		return;
	hv_oid_fmt(hex, &twin);
	sb_addf(sb, "; the tree of %.7s, marked %s", hex,
		hv_session_term_name(t->s, kind));
}

static void
step_words(struct hv_tui *t, struct strbuf *sb)
{
	const struct hv_step *st = &t->step;
	struct hv_marks m, *state = &m;
	char hex[41];

	hv_session_marks(t->s, &m);
	if (t->step_error) {
		sb_adds(sb, t->step_error);
		return;
	}
	if (t->step_pending && graph_loading(t->panes[PANE_GRAPH])) {
		sb_addf(sb, "reading the range: %zu commits...",
			graph_read(t->panes[PANE_GRAPH]));
		return;
	}
	if (t->step_pending) {
		sb_adds(sb, "computing the next step...");
		return;
	}
	switch (st->outcome) {
	case HV_STEP_NONE:
		sb_addf(sb, "not bisecting: %s or %s on a commit starts",
			"b", "g");
		break;
	case HV_STEP_WAITING:
		if (!st->have_bad)
			sb_addf(sb, "waiting for a %s commit (b)", state->term_bad);
		else
			sb_addf(sb, "waiting for a %s commit (g)",
				state->term_good);
		break;
	case HV_STEP_TEST:
	case HV_STEP_MERGE_BASE:
		if (st->weighed)
			sb_addf(sb, "confidence %.3f after %u runs on %u commits",
				st->confidence, st->runs, st->commits);
		else
			sb_addf(sb, "%u left after this, ~%d step%s", st->left,
				st->steps, st->steps == 1 ? "" : "s");
		twin_words(t, sb);
		break;
	case HV_STEP_FOUND:
		hv_oid_fmt(hex, &st->current);
		sb_addf(sb, "first %s commit: %.7s", state->term_bad, hex);
		if (st->weighed)
			sb_addf(sb, " (confidence %.3f after %u runs)",
				st->confidence, st->runs);
		break;
	case HV_STEP_BUDGET:
		hv_oid_fmt(hex, &st->current);
		if (st->none_likeliest)
			sb_addf(sb, "run budget spent: likeliest no culprit "
				"(confidence %.3f after %u runs)",
				st->confidence, st->runs);
		else
			sb_addf(sb, "run budget spent: likeliest %.7s "
				"(confidence %.3f after %u runs)", hex,
				st->confidence, st->runs);
		break;
	case HV_STEP_ONLY_SKIPPED:
		sb_addf(sb, "only skipped commits left: %zu suspects",
			st->nsuspects);
		break;
	case HV_STEP_FIXED_BETWEEN:
		sb_addf(sb, "a merge base is %s: changed in between",
			state->term_bad);
		break;
	case HV_STEP_COMBINATION:
		hv_oid_fmt(hex, &st->merge);
		sb_addf(sb, "both sides %s: merge %.7s itself is the culprit",
			state->term_good, hex);
		break;
	case HV_STEP_NO_CULPRIT:
		sb_addf(sb, "no culprit: %s's failure looks like a flake",
			state->term_bad);
		break;
	case HV_STEP_CONTRADICTION:
		hv_oid_fmt(hex, &st->current);
		sb_addf(sb, "marks contradict: %.7s %s, a descendant %s "
			"(u takes a mark back)", hex, state->term_bad,
			state->term_good);
		break;
	}
}

static void
draw_status(struct hv_tui *t)
{
	const struct hv_draw *d = &t->draw;
	struct hv_cstyle bar = hv_draw_elem(d, HV_ELEM_STATUS);
	struct strbuf sb = STRBUF_INIT;
	int y = t->rows - 1, col = 0, w = t->cols;

	hv_draw_fill(y, 0, w, bar);
	if (t->prompting) {
		struct hv_cstyle pr = hv_draw_elem(d, HV_ELEM_PROMPT);

		hv_draw_fill(y, 0, w, pr);
		col = hv_draw_str(d, y, 0, w, "/", pr);
		col += hv_draw_text(d, y, col, w - col, t->prompt.buf ? t->prompt.buf
								      : "",
				    t->prompt.len, pr);
		if (col < w)
			move(y, col);
		return;
	}
	if (tui_marks(t).active) {
		sb_adds(&sb, " ");
		graph_breadcrumbs(t->panes[PANE_GRAPH], &sb);
		sb_adds(&sb, " ");
		col += hv_draw_text(d, y, col, w - col, sb.buf, sb.len,
				    hv_draw_elem(d, HV_ELEM_STATUS_RANGE));
	}
	sb_reset(&sb);
	sb_adds(&sb, " ");
	step_words(t, &sb);
	sb_adds(&sb, " ");
	col += hv_draw_text(d, y, col, w - col, sb.buf, sb.len,
			    hv_draw_elem(d, t->step_error ? HV_ELEM_STATUS_ERROR
							  : HV_ELEM_STATUS));
	if (t->stage && col < w) {
		sb_reset(&sb);
		sb_addf(&sb, " step %d: %s [", t->step_no, t->stage);
		format_clock(&sb, tui_now(t) - t->step_start);
		sb_adds(&sb, "] ");
		col += hv_draw_text(d, y, col, w - col, sb.buf, sb.len,
				    hv_draw_elem(d, HV_ELEM_STATUS_STAGE));
	}
	if (t->ndurations && (t->step.outcome == HV_STEP_TEST ||
			      t->step.outcome == HV_STEP_MERGE_BASE) &&
	    col < w) {
		int64_t sum = 0;
		size_t k;

		for (k = 0; k < t->ndurations; k++)
			sum += t->durations[k];
		sb_reset(&sb);
		if (sum > 0) {
			sb_adds(&sb, " ~");
			hv_format_duration(&sb, sum / (int64_t)t->ndurations *
						(t->step.steps + 1));
			sb_adds(&sb, " to go ");
			col += hv_draw_text(d, y, col, w - col, sb.buf, sb.len,
					    bar);
		}
	}
	sb_reset(&sb);
	if (t->message) {
		sb_addf(&sb, " %s ", t->message);
		if (col < w)
			col += hv_draw_text(d, y, col, w - col, sb.buf, sb.len,
					    hv_draw_elem(d, t->message_error ?
							 HV_ELEM_STATUS_ERROR
							 : HV_ELEM_MESSAGE));
	} else {
		int need = 8;	/* " ? help " */

		if (w - col > need)
			hv_draw_str(d, y, w - need, need, " ? help ", bar);
	}
	sb_release(&sb);
}

void
layout_box(struct hv_tui *t, int y0, int x0, int h, int w)
{
	const struct hv_draw *d = &t->draw;
	struct hv_cstyle box = hv_draw_elem(d, HV_ELEM_HELP),
			 border = hv_draw_elem(d, HV_ELEM_BORDER);
	wchar_t hz = d->utf8 ? 0x2500 : '-';
	int y, x;

	for (y = 0; y < h; y++) {
		hv_draw_fill(y0 + y, x0, w, box);
		hv_draw_glyph(y0 + y, x0, d->utf8 ? 0x2502 : '|', border);
		hv_draw_glyph(y0 + y, x0 + w - 1, d->utf8 ? 0x2502 : '|', border);
	}
	for (x = 0; x < w; x++) {
		hv_draw_glyph(y0, x0 + x, hz, border);
		hv_draw_glyph(y0 + h - 1, x0 + x, hz, border);
	}
}

static void
draw_help(struct hv_tui *t)
{
	const struct hv_draw *d = &t->draw;
	struct hv_cstyle box = hv_draw_elem(d, HV_ELEM_HELP),
			 key = hv_draw_elem(d, HV_ELEM_HELP_KEY);
	size_t n, i;
	char **lines = hv_keys_help(&n);
	int w = t->cols - 2 > 78 ? 78 : t->cols - 2;
	int h = t->rows - 2 < (int)n + 2 ? t->rows - 2 : (int)n + 2;
	int y0 = (t->rows - 1 - h) / 2, x0 = (t->cols - w) / 2, keyw = 14;

	if (w < 4 || h < 3) {
		hv_keys_help_free(lines, n);
		if (t->rows > 0)
			hv_draw_str(d, 0, 0, t->cols, "? help: too small",
				    box);
		return;
	}
	if (y0 < 0)
		y0 = 0;
	layout_box(t, y0, x0, h, w);
	if (t->help_top > (int)n - (h - 2))
		t->help_top = (int)n - (h - 2);
	if (t->help_top < 0)
		t->help_top = 0;
	hv_draw_str(d, y0, x0 + 2, w - 4, (int)n > h - 2 ?
		    " keys (? Esc q: close, j k: more) " :
		    " keys (? Esc q: close) ", key);
	for (i = 0; i + (size_t)t->help_top < n && (int)i < h - 2; i++) {
		char *line = lines[i + (size_t)t->help_top];
		char *tab = strchr(line, '\t');

		*tab = '\0';
		hv_draw_str(d, y0 + 1 + (int)i, x0 + 2, keyw < w - 4 ? keyw : w - 4,
			    line, key);
		if (w - 4 > keyw + 1)
			hv_draw_str(d, y0 + 1 + (int)i, x0 + 2 + keyw + 1,
				    w - 4 - keyw - 1, tab + 1, box);
	}
	hv_keys_help_free(lines, n);
}

void
layout_draw(struct hv_tui *t)
{
	int i, all = t->layout_dirty || t->help || cands_shown(t);

	if (all)
		erase();
	/* titles say where their pane stands (selection, scroll, monitor):
	 * cheap to draw, so always drawn; curses sends only what changed */
	draw_frame(t);
	for (i = 0; i < PANE_COUNT; i++) {
		struct pane *p = t->panes[i];

		if (p->visible && (all || p->dirty))
			p->ops->draw(p);
		p->dirty = 0;
	}
	if (t->rows > 0)
		draw_status(t);
	if (cands_shown(t))
		cands_draw(t);
	if (t->help)
		draw_help(t);
	t->layout_dirty = 0;
}
