/*
 * actions.c: what keys do. The binding table of keys.h is expanded here,
 * next to the handlers it names; key dispatch (the help overlay, the
 * search prompt, the console's Ctrl-a prefix) and mouse clicks too.
 *
 * Every change to the bisection goes through session.h, exactly as the
 * CLI's subcommands do, so `halve status` elsewhere always agrees with
 * the screen; after each change the workstation reloads from disk.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curses.h>

#include "termpane.h"
#include "tuiint.h"

#define X(scope, key, fn, help) static void fn(struct hv_tui *t);
HV_UI_KEYS(X)
#undef X

const struct hv_keybinding hv_keybindings[] = {
#define X(scope, key, fn, help) { HV_SCOPE_##scope, key, fn, help },
	HV_UI_KEYS(X)
#undef X
};
const size_t hv_nkeybindings = HV_ARRAY_SIZE(hv_keybindings);

/* Marks: the selected commit, through the session. */

static void
cancel_running(struct hv_tui *t)
{
	if (t->hooks && t->hooks->cancel)
		t->hooks->cancel(t, t->hooks->arg);
}

/* A session to mark in: none yet means `halve start` with nothing. */
static int
ensure_session(struct hv_tui *t, struct hv_error *err)
{
	struct hv_start_opts opts;
	struct hv_step step;
	int rc;

	if (tui_marks(t).active)
		return 0;
	memset(&opts, 0, sizeof(opts));
	/* another terminal may have started one since the screen was read:
	 * then the mark goes into it */
	opts.unless_active = 1;
	rc = hv_session_start(t->s, &opts, &step, err);
	hv_step_release(&step);
	return rc;
}

static void
mark_revs(struct hv_tui *t, enum hv_term_kind kind, char **revs, size_t n)
{
	struct hv_error err = HV_ERROR_INIT;
	struct hv_step step;

	cancel_running(t);
	memset(&step, 0, sizeof(step));
	if (ensure_session(t, &err) < 0 ||
	    hv_session_mark(t->s, kind, revs, n, &step, &err) < 0) {
		hv_step_release(&step);
		tui_reload(t);
		tui_error(t, &err);
		return;
	}
	tui_reload_step(t, &step);
	if (n == 1)
		hv_tui_message(t, 0, "%.7s marked %s", revs[0],
			    hv_session_term_name(t->s, kind));
	else
		hv_tui_message(t, 0, "%zu commits marked %s", n,
			    hv_session_term_name(t->s, kind));
}

static void
mark_selected(struct hv_tui *t, enum hv_term_kind kind)
{
	struct hv_oid oid;
	char hex[41], *revs[1];

	if (!graph_selected(t->panes[PANE_GRAPH], &oid)) {
		hv_tui_message(t, 1, "no commit selected");
		return;
	}
	hv_oid_fmt(hex, &oid);
	revs[0] = hex;
	mark_revs(t, kind, revs, 1);
}

static void
act_good(struct hv_tui *t)
{
	mark_selected(t, HV_TERM_OLD);
}

static void
act_bad(struct hv_tui *t)
{
	mark_selected(t, HV_TERM_NEW);
}

static void
act_skip(struct hv_tui *t)
{
	mark_selected(t, HV_TERM_SKIP);
}

static void
act_skip_range(struct hv_tui *t)
{
	struct hv_oid oid;
	char **revs;
	size_t n, i;

	if (!graph_selected(t->panes[PANE_GRAPH], &oid)) {
		hv_tui_message(t, 1, "no commit selected");
		return;
	}
	if (!t->skip_anchor_set) {
		t->skip_anchor = oid;
		t->skip_anchor_set = 1;
		pane_dirty(t->panes[PANE_GRAPH]);
		hv_tui_message(t, 0, "S again at the other end of the range to "
			    "skip (Esc: never mind)");
		return;
	}
	t->skip_anchor_set = 0;
	revs = graph_span(t->panes[PANE_GRAPH], &t->skip_anchor, &oid, &n);
	if (!revs || !n) {
		hv_tui_message(t, 1, "skip range: its start is gone from the graph");
		free(revs);
		return;
	}
	mark_revs(t, HV_TERM_SKIP, revs, n);
	for (i = 0; i < n; i++)
		free(revs[i]);
	free(revs);
}

/* u: the last mark taken back, as `halve undo` does. */
static void
act_undo(struct hv_tui *t)
{
	struct hv_error err = HV_ERROR_INIT;
	struct hv_step step;

	cancel_running(t);
	if (hv_session_undo(t->s, &step, &err) < 0) {
		tui_reload(t);
		tui_error(t, &err);
		return;
	}
	tui_reload_step(t, &step);
	hv_tui_message(t, 0, "undone: the last mark");
}

static void
act_descend(struct hv_tui *t)
{
	struct hv_error err = HV_ERROR_INIT;
	struct hv_step step;

	if (t->step.outcome != HV_STEP_FOUND) {
		struct hv_marks m = tui_marks(t);

		hv_tui_message(t, 1, "descend: no first %s commit yet",
			       m.active ? m.term_bad : "bad");
		return;
	}
	cancel_running(t);
	memset(&step, 0, sizeof(step));
	if (hv_session_descend(t->s, 2, &step, &err) < 0) {
		hv_step_release(&step);
		tui_reload(t);
		tui_error(t, &err);
		return;
	}
	tui_reload_step(t, &step);
	hv_tui_message(t, 0, "descended: bisecting the merged branch");
}

static void
act_ascend(struct hv_tui *t)
{
	struct hv_error err = HV_ERROR_INIT;
	struct hv_step step;

	cancel_running(t);
	memset(&step, 0, sizeof(step));
	if (hv_session_ascend(t->s, &step, &err) < 0) {
		hv_step_release(&step);
		tui_reload(t);
		tui_error(t, &err);
		return;
	}
	tui_reload_step(t, &step);
	hv_tui_message(t, 0, "ascended: back in the outer bisection");
}

static void
act_run(struct hv_tui *t)
{
	struct hv_error err = HV_ERROR_INIT;

	if (!t->hooks || !t->hooks->run) {
		hv_tui_message(t, 1, "run: no pipeline here (use halve run)");
		return;
	}
	if (t->hooks->run(t, t->hooks->arg, &err) < 0)
		tui_error(t, &err);
}

static void
act_pause(struct hv_tui *t)
{
	struct hv_error err = HV_ERROR_INIT;

	if (!t->hooks || !t->hooks->pause) {
		hv_tui_message(t, 1, "pause: no pipeline running");
		return;
	}
	if (t->hooks->pause(t, t->hooks->arg, &err) < 0)
		tui_error(t, &err);
}

static void
act_slot(struct hv_tui *t)
{
	struct hv_error err = HV_ERROR_INIT;

	if (!t->hooks || !t->hooks->slot) {
		hv_tui_message(t, 1, "no pipeline: nothing boots");
		return;
	}
	if (t->hooks->slot(t, t->hooks->arg, &err) < 0) {
		hv_tui_message(t, 1, "%s", err.msg);
		hv_error_clear(&err);
	}
}

static void
act_retest(struct hv_tui *t)
{
	struct hv_error err = HV_ERROR_INIT;
	struct hv_oid oid;

	if (!t->hooks || !t->hooks->retest) {
		hv_tui_message(t, 1, "re-test: no pipeline here (use halve run "
			       "--retest)");
		return;
	}
	if (!graph_selected(t->panes[PANE_GRAPH], &oid)) {
		hv_tui_message(t, 1, "no commit selected");
		return;
	}
	if (t->hooks->retest(t, t->hooks->arg, &oid, &err) < 0)
		tui_error(t, &err);
}

static void
act_verify(struct hv_tui *t)
{
	struct hv_error err = HV_ERROR_INIT;

	if (!t->hooks || !t->hooks->verify) {
		hv_tui_message(t, 1, "verify: no pipeline here (use halve verify)");
		return;
	}
	if (t->hooks->verify(t, t->hooks->arg, &err) < 0)
		tui_error(t, &err);
}

static void
act_jump_current(struct hv_tui *t)
{
	if (t->step.outcome != HV_STEP_TEST &&
	    t->step.outcome != HV_STEP_MERGE_BASE) {
		hv_tui_message(t, 1, "no commit is being tested");
		return;
	}
	if (graph_select(t->panes[PANE_GRAPH], &t->step.current))
		tui_focus(t, PANE_GRAPH);
}

static void
act_jump_found(struct hv_tui *t)
{
	if (t->step.outcome != HV_STEP_FOUND) {
		hv_tui_message(t, 1, "no first bad commit yet");
		return;
	}
	if (graph_select(t->panes[PANE_GRAPH], &t->step.current))
		tui_focus(t, PANE_GRAPH);
}

static void
move_focused(struct hv_tui *t, enum pane_move m)
{
	struct pane *p = tui_focused(t);

	if (t->focus == PANE_GRAPH)
		graph_move(p, m);
	else
		termpane_move(p, m);
}

static void
act_down(struct hv_tui *t)
{
	move_focused(t, MOVE_DOWN);
}

static void
act_up(struct hv_tui *t)
{
	move_focused(t, MOVE_UP);
}

static void
act_page_down(struct hv_tui *t)
{
	move_focused(t, MOVE_PAGE_DOWN);
}

static void
act_page_up(struct hv_tui *t)
{
	move_focused(t, MOVE_PAGE_UP);
}

static void
act_top(struct hv_tui *t)
{
	move_focused(t, MOVE_TOP);
}

static void
act_bottom(struct hv_tui *t)
{
	move_focused(t, MOVE_BOTTOM);
}

static void
act_search(struct hv_tui *t)
{
	t->prompting = 1;
	sb_reset(&t->prompt);
	tui_layout_dirty(t);
}

static void
search_again(struct hv_tui *t, int dir)
{
	struct hv_error err = HV_ERROR_INIT;
	struct pane *p = tui_focused(t);

	if (!p->ops->search)
		return;
	if (p->ops->search(p, NULL, dir, &err) < 0)
		tui_error(t, &err);
}

static void
act_search_next(struct hv_tui *t)
{
	search_again(t, 1);
}

static void
act_search_prev(struct hv_tui *t)
{
	search_again(t, -1);
}

static void
act_focus_next(struct hv_tui *t)
{
	tui_focus(t, (t->focus + 1) % PANE_COUNT);
}

static void
act_focus_prev(struct hv_tui *t)
{
	tui_focus(t, (t->focus + PANE_COUNT - 1) % PANE_COUNT);
}

static void
act_zoom(struct hv_tui *t)
{
	t->zoom = !t->zoom;
	layout_apply(t);
}

static void
act_redraw(struct hv_tui *t)
{
	if (t->curses)
		clearok(curscr, TRUE);
	tui_layout_dirty(t);
}

static void
act_help(struct hv_tui *t)
{
	t->help = !t->help;
	t->help_top = 0;
	tui_layout_dirty(t);
}

static void
act_likeliest(struct hv_tui *t)
{
	cands_toggle(t);
}

static void
act_quit(struct hv_tui *t)
{
	tui_quit(t);
}

static void
act_monitor(struct hv_tui *t)
{
	termpane_toggle_monitor(t->panes[PANE_CONSOLE]);
}

static void
act_send_prefix(struct hv_tui *t)
{
	termpane_send(t->panes[PANE_CONSOLE], "\001", 1);
}

/* The search prompt's line editing. */
static void
prompt_key(struct hv_tui *t, int key)
{
	tui_layout_dirty(t);
	if (key == 27 || key == HV_CTRL('g') || key == HV_CTRL('c')) {
		t->prompting = 0;
		return;
	}
	if (key == '\r' || key == '\n' || key == HV_KEY(KEY_ENTER)) {
		struct hv_error err = HV_ERROR_INIT;
		struct pane *p = tui_focused(t);

		t->prompting = 0;
		if (!t->prompt.len || !p->ops->search)
			return;
		if (p->ops->search(p, t->prompt.buf, 1, &err) < 0)
			tui_error(t, &err);
		return;
	}
	if (key == HV_KEY(KEY_BACKSPACE) || key == 0x7f || key == HV_CTRL('h')) {
		while (t->prompt.len &&
		       (t->prompt.buf[t->prompt.len - 1] & 0xc0) == 0x80)
			t->prompt.len--;
		if (t->prompt.len)
			t->prompt.len--;
		if (t->prompt.buf)
			t->prompt.buf[t->prompt.len] = '\0';
		return;
	}
	if (key == HV_CTRL('u')) {
		sb_reset(&t->prompt);
		return;
	}
	if (key >= 0x20 && key < HV_KEY_BASE && key != 0x7f) {
		struct strbuf name = STRBUF_INIT;

		hv_key_name(key, &name);
		if (key == ' ')
			sb_adds(&t->prompt, " ");
		else
			sb_adds(&t->prompt, name.buf);
		sb_release(&name);
	}
}

void
tui_key(struct hv_tui *t, int key)
{
	const struct hv_keybinding *b;

	if (t->message) {
		free(t->message);
		t->message = NULL;
		tui_layout_dirty(t);
	}
	if (t->help) {
		/* the help scrolls when the screen is too short for it */
		if (key == '?' || key == 27 || key == 'q')
			t->help = 0;
		else if (key == 'j' || key == HV_KEY(KEY_DOWN))
			t->help_top++;
		else if (key == 'k' || key == HV_KEY(KEY_UP))
			t->help_top--;
		else if (key == ' ' || key == HV_KEY(KEY_NPAGE))
			t->help_top += t->rows / 2;
		else if (key == HV_KEY(KEY_PPAGE))
			t->help_top -= t->rows / 2;
		tui_layout_dirty(t);
		return;
	}
	if (t->prompting) {
		prompt_key(t, key);
		return;
	}
	if (cands_shown(t)) {
		cands_key(t, key);
		return;
	}
	if (t->focus == PANE_CONSOLE) {
		struct pane *c = t->panes[PANE_CONSOLE];

		if (t->prefix) {
			t->prefix = 0;
			b = hv_keys_lookup(HV_SCOPE_CONSOLE, key);
			if (b) {
				b->fn(t);
			} else {
				/* qemu's own Ctrl-a commands (h, x, s...) */
				termpane_send(c, "\001", 1);
				c->ops->key(c, key);
			}
			return;
		}
		if (key == HV_CTRL('a')) {
			t->prefix = 1;
			return;
		}
		c->ops->key(c, key);
		return;
	}
	if (key == 27 && t->skip_anchor_set) {
		t->skip_anchor_set = 0;
		pane_dirty(t->panes[PANE_GRAPH]);
		return;
	}
	b = hv_keys_lookup(HV_SCOPE_ANY, key);
	if (b) {
		b->fn(t);
		return;
	}
	{
		struct pane *p = tui_focused(t);

		if (p->ops->key && p->ops->key(p, key))
			return;
	}
}

void
tui_mouse(struct hv_tui *t, int y, int x, unsigned long bstate)
{
	int idx = layout_pane_at(t, y, x);
	struct pane *p;

	if (idx < 0 || t->help || t->prompting || cands_shown(t))
		return;
	p = t->panes[idx];
	if (idx != t->focus)
		tui_focus(t, idx);
	if (bstate & BUTTON4_PRESSED) {
		if (p->ops->wheel)
			p->ops->wheel(p, -3);
		return;
	}
#ifdef BUTTON5_PRESSED
	if (bstate & BUTTON5_PRESSED) {
		if (p->ops->wheel)
			p->ops->wheel(p, 3);
		return;
	}
#endif
	if (y >= p->y && p->ops->click)
		p->ops->click(p, y - p->y, x - p->x);
}
