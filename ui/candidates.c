/*
 * candidates.c: the overlay of the likeliest answers (key l). Under
 * --confidence, the commits likeliest to be the first bad one, each with
 * a bar of its probability, its short id and subject; then what the
 * other commits hold, "none" (BAD's failure was a flake) and the rates
 * the results taught. With results believed there are no probabilities:
 * it says how many commits the marks leave, and lists them when they are
 * few. Enter selects the row's commit in the graph; l, Esc or q closes.
 *
 * It asks the session (hv_session_candidates) once per state change, and
 * never while the step is waiting to be computed: the step weighs the
 * same results and the session keeps them for the asking, so the
 * results are weighed once per change, however often the screen redraws.
 * It must not change the session.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "tuiint.h"

/* Rows asked for: more than fit a usual screen's overlay is no help. */
#define CANDS_K 10
/* The bar's cells, and the columns of a row before its subject. */
#define BAR_W 12
#define ID_W 8

enum line_kind {
	LINE_COMMIT,		/* c.top[i]: selectable */
	LINE_OTHERS,		/* the mass of the commits not listed */
	LINE_NONE,		/* no culprit */
	LINE_TEXT,		/* words */
};

struct line {
	enum line_kind kind;
	size_t i;
	char *text;
};

struct cands {
	int shown;
	int sel;		/* the selected commit row */
	int read;		/* c (or error) is the state's */
	struct hv_candidates c;
	char *error;
	char **subject;		/* c.n entries, read when first drawn */
	struct line *lines;
	size_t nlines, alines;
};

int
cands_shown(const struct hv_tui *t)
{
	return t->cands && t->cands->shown;
}

void
cands_forget(struct hv_tui *t)
{
	struct cands *k = t->cands;
	size_t i;

	if (!k)
		return;
	for (i = 0; i < k->c.n; i++)
		free(k->subject[i]);
	free(k->subject);
	k->subject = NULL;
	for (i = 0; i < k->nlines; i++)
		free(k->lines[i].text);
	k->nlines = 0;
	hv_candidates_release(&k->c);
	free(k->error);
	k->error = NULL;
	k->read = 0;
	if (k->shown)
		tui_layout_dirty(t);
}

void
cands_free(struct hv_tui *t)
{
	if (!t->cands)
		return;
	cands_forget(t);
	free(t->cands->lines);
	free(t->cands);
	t->cands = NULL;
}

void
cands_toggle(struct hv_tui *t)
{
	if (!t->cands)
		t->cands = xcalloc(1, sizeof(*t->cands));
	t->cands->shown = !t->cands->shown;
	t->cands->sel = 0;
	tui_layout_dirty(t);
}

static void
add_line(struct cands *k, enum line_kind kind, size_t i, char *text)
{
	HV_GROW(k->lines, k->nlines + 1, k->alines);
	k->lines[k->nlines].kind = kind;
	k->lines[k->nlines].i = i;
	k->lines[k->nlines++].text = text;
}

/* What the overlay says, line by line, from what the session answered. */
static void
make_lines(struct hv_tui *t, struct cands *k)
{
	const struct hv_candidates *c = &k->c;
	const char *bad = hv_session_term_name(t->s, HV_TERM_NEW),
		   *good = hv_session_term_name(t->s, HV_TERM_OLD);
	size_t i;

	if (k->error) {
		add_line(k, LINE_TEXT, 0, xstrdup(k->error));
		return;
	}
	if (!c->weighed) {
		add_line(k, LINE_TEXT, 0, xstrdup("results believed (no "
			 "--confidence): no probabilities"));
		add_line(k, LINE_TEXT, 0, xasprintf("the first %s commit is "
			 "one of %u%s", bad, c->left, c->n ? ":" : ""));
	}
	for (i = 0; i < c->n; i++)
		add_line(k, LINE_COMMIT, i, NULL);
	if (!c->weighed) {
		if (!c->n)
			add_line(k, LINE_TEXT, 0, xstrdup("halve run "
				 "--confidence weighs every result"));
		return;
	}
	if (c->left > c->n)
		add_line(k, LINE_OTHERS, 0, xasprintf("the %u other commit%s",
			 c->left - (uint32_t)c->n,
			 c->left - c->n == 1 ? "" : "s"));
	add_line(k, LINE_NONE, 0, xasprintf("no commit is %s: its failures "
		 "were flakes", bad));
	add_line(k, LINE_TEXT, 0, xasprintf("learned: a %s commit passes "
		 "%.0f%% of its runs, a %s one fails %.0f%%", bad, c->q * 100,
		 good, c->f * 100));
}

/* Asks the session, once per state change; 0 while the step, which
 * weighs the results, is still to come. */
static int
read_cands(struct hv_tui *t)
{
	struct cands *k = t->cands;
	struct hv_error err = HV_ERROR_INIT;

	if (k->read)
		return 1;
	if (t->step_pending)
		return 0;
	if (hv_session_candidates(t->s, CANDS_K, &k->c, &err) < 0) {
		k->error = xstrdup(err.msg ? err.msg : "failed");
		hv_error_clear(&err);
	}
	k->subject = xcalloc(k->c.n ? k->c.n : 1, sizeof(*k->subject));
	k->read = 1;
	make_lines(t, k);
	if (k->sel >= (int)k->c.n)
		k->sel = k->c.n ? (int)k->c.n - 1 : 0;
	return 1;
}

/* A probability as a bar of BAR_W cells, in eighths where UTF-8 allows. */
static void
draw_bar(struct hv_tui *t, int y, int x, double p, struct hv_cstyle st)
{
	const struct hv_draw *d = &t->draw;
	int eighths = (int)(p * BAR_W * 8 + 0.5), i;

	for (i = 0; i < BAR_W && eighths > 0; i++, eighths -= 8) {
		if (!d->utf8)
			hv_draw_glyph(y, x + i, eighths >= 4 ? '#' : ' ', st);
		else
			hv_draw_glyph(y, x + i, eighths >= 8 ? 0x2588 :
				      (wchar_t)(0x2588 + 8 - eighths), st);
	}
}

static const char *
subject_of(struct hv_tui *t, size_t i)
{
	struct cands *k = t->cands;

	if (!k->subject[i]) {
		char *s = hv_repo_subject_display(hv_session_repo(t->s),
						  &k->c.top[i].oid, 1024);

		k->subject[i] = s ? s : xstrdup("");
	}
	return k->subject[i];
}

/* One line at (y, x), w columns: id, bar and probability, words. */
static void
draw_line(struct hv_tui *t, const struct line *l, int y, int x, int w)
{
	const struct hv_draw *d = &t->draw;
	const struct hv_candidates *c = &t->cands->c;
	struct hv_cstyle box = hv_draw_elem(d, HV_ELEM_HELP),
			 key = hv_draw_elem(d, HV_ELEM_HELP_KEY);
	const char *text = l->text;
	char id[41], prob[16];
	double p = 0;
	int col = 0;

	if (l->kind == LINE_COMMIT && (int)l->i == t->cands->sel) {
		box = key = hv_draw_elem(d, HV_ELEM_CURSOR);
		hv_draw_fill(y, x, w, box);
	}
	if (l->kind == LINE_TEXT) {
		hv_draw_str(d, y, x, w, text, box);
		return;
	}
	if (l->kind == LINE_COMMIT) {
		hv_oid_fmt(id, &c->top[l->i].oid);
		id[7] = '\0';
		p = c->top[l->i].p;
		text = subject_of(t, l->i);
	} else {
		strcpy(id, l->kind == LINE_NONE ? "none" : "");
		p = l->kind == LINE_NONE ? c->none : c->others;
	}
	hv_draw_str(d, y, x, w, id, key);
	col = ID_W;
	if (c->weighed && col + BAR_W + 7 <= w) {
		draw_bar(t, y, x + col, p, key);
		snprintf(prob, sizeof(prob), "%.3f", p);
		hv_draw_str(d, y, x + col + BAR_W + 1, 5, prob, box);
		col += BAR_W + 7;
	}
	if (col < w)
		hv_draw_str(d, y, x + col, w - col, text, box);
}

void
cands_draw(struct hv_tui *t)
{
	const struct hv_draw *d = &t->draw;
	struct cands *k = t->cands;
	int w = t->cols - 2 > 78 ? 78 : t->cols - 2, h, y0, x0, top = 0, i;
	int sel_line = 0;
	struct line waiting = { LINE_TEXT, 0, (char *)"weighing the results..." };
	const struct line *lines = &waiting;
	size_t n = 1;

	if (read_cands(t)) {
		lines = k->lines;
		n = k->nlines;
	}
	h = t->rows - 2 < (int)n + 2 ? t->rows - 2 : (int)n + 2;
	if (w < 4 || h < 3) {
		if (t->rows > 0)
			hv_draw_str(d, 0, 0, t->cols, "l likeliest: too small",
				    hv_draw_elem(d, HV_ELEM_HELP));
		return;
	}
	y0 = (t->rows - 1 - h) / 2;
	x0 = (t->cols - w) / 2;
	layout_box(t, y0 < 0 ? 0 : y0, x0, h, w);
	if (y0 < 0)
		y0 = 0;
	/* the selected row stays in view when the screen is short */
	for (i = 0; i < (int)n; i++)
		if (lines[i].kind == LINE_COMMIT && (int)lines[i].i == k->sel)
			sel_line = i;
	if (sel_line >= h - 2)
		top = sel_line - (h - 3);
	hv_draw_str(d, y0, x0 + 2, w - 4, k->read && !k->error &&
		    !k->c.weighed ? " commits left (Enter: select, Esc: close) "
		    : " likeliest first bad commits (Enter: select, Esc: close) ",
		    hv_draw_elem(d, HV_ELEM_HELP_KEY));
	for (i = 0; i + top < (int)n && i < h - 2; i++)
		draw_line(t, &lines[i + top], y0 + 1 + i, x0 + 2, w - 4);
}

static void
select_row(struct hv_tui *t)
{
	struct cands *k = t->cands;
	char hex[41];

	if (!k->read || !k->c.n)
		return;
	k->shown = 0;
	tui_focus(t, PANE_GRAPH);
	if (!graph_select(t->panes[PANE_GRAPH], &k->c.top[k->sel].oid)) {
		hv_oid_fmt(hex, &k->c.top[k->sel].oid);
		hv_tui_message(t, 1, "%.7s is not in the graph", hex);
	}
}

void
cands_key(struct hv_tui *t, int key)
{
	struct cands *k = t->cands;

	tui_layout_dirty(t);
	if (key == 'l' || key == 27 || key == 'q')
		k->shown = 0;
	else if (key == '?')
		t->help = 1;
	else if (key == '\r' || key == '\n' || key == HV_KEY(KEY_ENTER))
		select_row(t);
	else if ((key == 'j' || key == HV_KEY(KEY_DOWN)) &&
		 k->sel + 1 < (int)k->c.n)
		k->sel++;
	else if ((key == 'k' || key == HV_KEY(KEY_UP)) && k->sel > 0)
		k->sel--;
}
