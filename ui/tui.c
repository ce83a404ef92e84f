/*
 * tui.c: the workstation's life: options, curses, the loop (keys, the
 * terminal resized, signals, one redraw per turn), following the session
 * when another terminal changes it, and the functions the pipeline
 * drives the panes with (tui.h).
 *
 * Every wait is the loop's: no sleeps, no blocking reads. Curses only
 * ever refreshes here, in tui_redraw_now(), once per loop turn at most.
 */
#include "config.h"

#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <curses.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "termpane.h"
#include "tuiint.h"

/* Lines of scrollback kept per terminal pane: a whole kernel build's
 * log is some 20k lines; the bound keeps a flooding guest's memory flat. */
#define BUILD_SCROLLBACK 50000
#define CONSOLE_SCROLLBACK 20000
#define WATCH_MS 500

const struct hv_draw *
tui_draw(struct hv_tui *t)
{
	return &t->draw;
}

void
tui_request_redraw(struct hv_tui *t)
{
	if (t && t->redraw_timer && !hv_timer_active(t->redraw_timer))
		hv_timer_start(t->redraw_timer, 0, 0);
}

void
pane_dirty(struct pane *p)
{
	p->dirty = 1;
	tui_request_redraw(p->tui);
}

void
tui_layout_dirty(struct hv_tui *t)
{
	if (!t)
		return;
	t->layout_dirty = 1;
	tui_request_redraw(t);
}

int64_t
tui_now(struct hv_tui *t)
{
	return t->fixed_clock ? t->fake_now : hv_now_ms();
}

void
tui_error(struct hv_tui *t, struct hv_error *err)
{
	hv_tui_message(t, 1, "%s", err->msg ? err->msg : "failed");
	hv_error_clear(err);
}

struct pane *
tui_focused(struct hv_tui *t)
{
	return t->panes[t->focus];
}

void
tui_focus(struct hv_tui *t, int idx)
{
	if (idx == t->focus)
		return;
	t->focus = idx;
	t->prefix = 0;
	if (t->zoom)
		layout_apply(t);
	tui_layout_dirty(t);
}

void *
ui_regex_compile(const char *pattern, struct hv_error *err)
{
	uint32_t opts = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF;
	const char *p;
	pcre2_code *re;
	PCRE2_SIZE off;
	int code;

	/* smart case, as in less and vim: no capital letter, any case */
	for (p = pattern; *p && !(*p >= 'A' && *p <= 'Z'); p++)
		;
	if (!*p)
		opts |= PCRE2_CASELESS;
	re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, opts,
			   &code, &off, NULL);
	if (!re) {
		PCRE2_UCHAR msg[256];

		pcre2_get_error_message(code, msg, sizeof(msg));
		hv_error_set(err, "search: %s at offset %zu", (char *)msg,
			     (size_t)off);
		return NULL;
	}
	pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
	return re;
}

/* Following the session: another terminal may change it. */

void
tui_stamp_files(struct hv_tui *t)
{
	t->stamp = hv_session_stamp(t->s);
}

struct hv_marks
tui_marks(const struct hv_tui *t)
{
	struct hv_marks m;

	hv_session_marks(t->s, &m);
	return m;
}

void
tui_check_files(struct hv_tui *t)
{
	uint64_t now = hv_session_stamp(t->s);

	if (now != t->stamp)
		tui_reload(t);
}

static void
on_watch_timer(struct hv_loop *loop, struct hv_timer *tm, void *arg)
{
	tui_check_files(arg);
}

static void
reload_graph(struct hv_tui *t)
{
	struct hv_error err = HV_ERROR_INIT;

	if (graph_reload(t->panes[PANE_GRAPH], &err) < 0)
		tui_error(t, &err);
	cands_forget(t);
	if (graph_loading(t->panes[PANE_GRAPH]) && t->load_timer)
		hv_timer_start(t->load_timer, 0, 0);
	tui_stamp_files(t);
	tui_layout_dirty(t);
}

static void
set_step(struct hv_tui *t, struct hv_step *step, const char *error)
{
	hv_step_release(&t->step);
	free(t->step_error);
	t->step_error = error ? xstrdup(error) : NULL;
	if (step) {
		t->step = *step;
		memset(step, 0, sizeof(*step));
	} else {
		memset(&t->step, 0, sizeof(t->step));
	}
	t->step_pending = 0;
}

static void
compute_step(struct hv_tui *t)
{
	struct hv_error err = HV_ERROR_INIT;
	struct hv_step step;

	memset(&step, 0, sizeof(step));
	if (hv_session_next(t->s, 0, &step, &err) < 0) {
		hv_step_release(&step);
		set_step(t, NULL, err.msg ? err.msg : "failed");
		hv_error_clear(&err);
	} else {
		set_step(t, &step, NULL);
	}
	reload_graph(t);
}

static void
on_step_timer(struct hv_loop *loop, struct hv_timer *tm, void *arg)
{
	struct hv_tui *t = arg;

	struct hv_marks m;

	hv_session_marks(t->s, &m);
	/* while the graph reads the range the step waits for it: cut out
	 * of the range read, it costs a fraction of walking it again (with
	 * no range the step needs none, and the history read is no range) */
	if (t->step_pending &&
	    (!graph_loading(t->panes[PANE_GRAPH]) ||
	     !(m.active && m.have_bad && m.ngoods)))
		compute_step(t);
}

int
tui_load_more(struct hv_tui *t)
{
	struct hv_error err = HV_ERROR_INIT;
	int rc;

	if (!graph_loading(t->panes[PANE_GRAPH]))
		return 0;
	rc = graph_load_more(t->panes[PANE_GRAPH], &err);
	if (rc < 0)
		tui_error(t, &err);
	if (rc != 0 && t->step_pending)
		compute_step(t);	/* which reloads the graph */
	else if (rc == 1)
		reload_graph(t);
	/* the title counts what is read; the pane redraws itself when its
	 * rows changed */
	tui_request_redraw(t);
	return 1;
}

static void
on_load_timer(struct hv_loop *loop, struct hv_timer *tm, void *arg)
{
	struct hv_tui *t = arg;

	tui_load_more(t);
	/* a piece a turn: keys and the panes' output come in between */
	if (graph_loading(t->panes[PANE_GRAPH]))
		hv_timer_start(tm, 0, 0);
}

/* Reads the state files again; 0, or -1 with the error kept for the
 * status bar. */
static int
reload_state(struct hv_tui *t)
{
	struct hv_error err = HV_ERROR_INIT;

	if (hv_session_reload(t->s, &err) < 0) {
		set_step(t, NULL, err.msg ? err.msg : "failed");
		hv_error_clear(&err);
		return -1;
	}
	return 0;
}

void
tui_reload(struct hv_tui *t)
{
	if (reload_state(t) == 0) {
		/* the step timer first: due in the same turn as the redraw,
		 * it fires before it, so no stale step is ever painted after
		 * the first paint */
		t->step_pending = 1;
		if (t->step_timer)
			hv_timer_start(t->step_timer, 0, 0);
		else
			compute_step(t);
	}
	reload_graph(t);
}

void
tui_reload_step(struct hv_tui *t, struct hv_step *step)
{
	if (reload_state(t) == 0)
		set_step(t, step, NULL);
	hv_step_release(step);
	reload_graph(t);
}

/* Redraw: once per loop turn, whatever asked for it. */

void
tui_redraw_now(struct hv_tui *t)
{
	struct pane *c = t->panes[PANE_CONSOLE];
	int cursor = 0;

	if (!t->curses)
		return;
	if (t->redraw_timer)
		hv_timer_stop(t->redraw_timer);
	layout_draw(t);
	if (t->prompting) {
		cursor = 1;	/* draw_status left it after the text */
	} else if (t->focus == PANE_CONSOLE && c->visible && !t->help &&
		   !cands_shown(t) && !termpane_scrolled(c)) {
		int r, col;

		termpane_cursor(c, &r, &col);
		if (r >= 0 && r < c->h && col < c->w) {
			move(c->y + r, c->x + col);
			cursor = 1;
		}
	}
	curs_set(cursor);
	if (!cursor)
		move(t->rows - 1, 0);
	wnoutrefresh(stdscr);
	doupdate();
}

static void
on_redraw_timer(struct hv_loop *loop, struct hv_timer *tm, void *arg)
{
	tui_redraw_now(arg);
}

void
tui_resize(struct hv_tui *t, int rows, int cols)
{
	if (rows < 1)
		rows = 1;
	if (cols < 1)
		cols = 1;
	if (t->curses && (rows != LINES || cols != COLS))
		resizeterm(rows, cols);
	t->rows = rows;
	t->cols = cols;
	layout_apply(t);
	tui_layout_dirty(t);
}

static void
on_winch(struct hv_loop *loop, int signo, void *arg)
{
	struct hv_tui *t = arg;
	struct winsize ws;

	if (ioctl(t->tty_fd, TIOCGWINSZ, &ws) == 0 && ws.ws_row && ws.ws_col)
		tui_resize(t, ws.ws_row, ws.ws_col);
}

static void
on_term_signal(struct hv_loop *loop, int signo, void *arg)
{
	tui_quit(arg);
}

void
tui_quit(struct hv_tui *t)
{
	if (t->quit)
		return;
	t->quit = 1;
	if (t->hooks && t->hooks->detach)
		t->hooks->detach(t, t->hooks->arg);
	hv_loop_break(t->loop);
}

static void
on_keys(struct hv_loop *loop, struct hv_watch *w, void *arg)
{
	struct hv_tui *t = arg;
	wint_t wc;
	int rc;

	while (!t->quit && (rc = get_wch(&wc)) != ERR) {
		if (rc == KEY_CODE_YES) {
			if (wc == KEY_MOUSE) {
				MEVENT ev;

				if (getmouse(&ev) == OK)
					tui_mouse(t, ev.y, ev.x, ev.bstate);
				continue;
			}
			if (wc == KEY_RESIZE)
				continue;	/* SIGWINCH is ours, not curses' */
			tui_key(t, HV_KEY((int)wc));
		} else {
			tui_key(t, (int)wc);
		}
	}
}

/* The pipeline's side (tui.h). */

struct hv_loop *
hv_tui_loop(struct hv_tui *t)
{
	return t->loop;
}

struct hv_session *
hv_tui_session(struct hv_tui *t)
{
	return t->s;
}

static struct pane *
term_pane(struct hv_tui *t, enum hv_tui_term which)
{
	return t->panes[which == HV_TUI_BUILD ? PANE_BUILD : PANE_CONSOLE];
}

void
hv_tui_feed(struct hv_tui *t, enum hv_tui_term which, const char *data,
	    size_t len)
{
	pane_feed(term_pane(t, which), data, len);
}

void
hv_tui_term_clear(struct hv_tui *t, enum hv_tui_term which)
{
	termpane_clear(term_pane(t, which));
}

void
hv_tui_term_status(struct hv_tui *t, enum hv_tui_term which, const char *text)
{
	termpane_set_status(term_pane(t, which), text);
}

void
hv_tui_set_console_output(struct hv_tui *t,
			  void (*fn)(const char *data, size_t len, void *arg),
			  void *arg)
{
	termpane_set_output(t->panes[PANE_CONSOLE], fn, arg);
}

void
hv_tui_term_size(struct hv_tui *t, enum hv_tui_term which, int *rows,
		 int *cols)
{
	termpane_size(term_pane(t, which), rows, cols);
}

void
hv_tui_set_term_resize(struct hv_tui *t, enum hv_tui_term which,
		       void (*fn)(int rows, int cols, void *arg), void *arg)
{
	termpane_set_resize(term_pane(t, which), fn, arg);
}

int
hv_tui_console_monitor(struct hv_tui *t)
{
	return termpane_monitor(t->panes[PANE_CONSOLE]);
}

static void
on_clock(struct hv_loop *loop, struct hv_timer *tm, void *arg)
{
	tui_layout_dirty(arg);	/* the elapsed time in the status bar */
}

static void
end_step(struct hv_tui *t)
{
	HV_GROW(t->durations, t->ndurations + 1, t->adurations);
	t->durations[t->ndurations++] = tui_now(t) - t->step_start;
	free(t->stage);
	free(t->first_stage);
	t->stage = t->first_stage = NULL;
	if (t->clock_timer)
		hv_timer_stop(t->clock_timer);
}

void
hv_tui_set_stage(struct hv_tui *t, const char *stage)
{
	/* a pipeline may go from one step's last stage straight into the
	 * next step's first: the first stage coming round again is a new
	 * step */
	if (stage && t->stage && t->first_stage &&
	    !strcmp(stage, t->first_stage) && strcmp(stage, t->stage))
		end_step(t);
	if (stage) {
		if (!t->stage) {
			t->step_start = tui_now(t);
			t->step_no++;
			t->first_stage = xstrdup(stage);
			if (t->clock_timer && !t->fixed_clock)
				hv_timer_start(t->clock_timer, 1000, 1);
		}
		free(t->stage);
		t->stage = xstrdup(stage);
	} else if (t->stage) {
		end_step(t);
	}
	tui_layout_dirty(t);
}

void
hv_tui_session_changed(struct hv_tui *t)
{
	tui_reload(t);
}

void
hv_tui_session_stepped(struct hv_tui *t, const struct hv_step *step)
{
	struct hv_step copy = *step;

	copy.suspects = NULL;
	copy.path = NULL;
	if (step->nsuspects) {
		copy.suspects = xcalloc(step->nsuspects, sizeof(*copy.suspects));
		memcpy(copy.suspects, step->suspects,
		       step->nsuspects * sizeof(*copy.suspects));
	}
	if (step->npath) {
		copy.path = xcalloc(step->npath, sizeof(*copy.path));
		memcpy(copy.path, step->path, step->npath * sizeof(*copy.path));
	}
	tui_reload_step(t, &copy);
}

void
hv_tui_message(struct hv_tui *t, int is_error, const char *fmt, ...)
{
	va_list ap;

	free(t->message);
	va_start(ap, fmt);
	t->message = xvasprintf(fmt, ap);
	va_end(ap);
	t->message_error = is_error;
	tui_layout_dirty(t);
}

/* Start and end. */

static void
usage(FILE *f)
{
	fprintf(f,
		"usage: halve [--theme NAME] [--script FILE] [-C DIR] "
		"[--run CMD [ARG...]]\n"
		"  opens the workstation on the bisection in the repository;\n"
		"  --run: r tests each commit with CMD, as halve run CMD;\n"
		"  keys: ? inside. Themes: default, mono, light, contrast, or\n"
		"  $XDG_CONFIG_HOME/halve/themes/NAME.theme (halve-themes(5)).\n");
}

struct tui_opts {
	const char *theme;
	const char *script;
	const char *dir;
};

static int
parse_opts(int argc, char **argv, struct tui_opts *o)
{
	int i;

	memset(o, 0, sizeof(*o));
	for (i = 0; i < argc; i++) {
		const char *a = argv[i];
		const char **dst = NULL;

		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return 0;
		}
		if (!strncmp(a, "--theme=", 8)) {
			o->theme = a + 8;
			continue;
		}
		if (!strncmp(a, "--script=", 9)) {
			o->script = a + 9;
			continue;
		}
		if (!strcmp(a, "--theme"))
			dst = &o->theme;
		else if (!strcmp(a, "--script"))
			dst = &o->script;
		else if (!strcmp(a, "-C"))
			dst = &o->dir;
		if (!dst) {
			fprintf(stderr, "halve: %s: unknown option (see halve "
				"--help)\n", a);
			return 129;
		}
		if (i + 1 >= argc) {
			fprintf(stderr, "halve: %s: needs a value\n", a);
			return 129;
		}
		*dst = argv[++i];
	}
	return -1;
}

static int
start_curses(struct hv_tui *t, struct hv_error *err)
{
	SCREEN *scr;

	scr = newterm(NULL, stdout, stdin);
	if (!scr)
		return hv_error_set(err, "cannot drive the terminal '%s'",
				    getenv("TERM") ? getenv("TERM") : "(unset)");
	set_term(scr);
	t->screen = scr;
	t->curses = 1;
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	mouseinterval(0);
	mousemask(BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON4_PRESSED
#ifdef BUTTON5_PRESSED
		  | BUTTON5_PRESSED
#endif
		  , NULL);
	curs_set(0);
	hv_draw_init(&t->draw, t->theme, t->no_color);
	t->rows = LINES;
	t->cols = COLS;
	return 0;
}

static void
tui_free(struct hv_tui *t)
{
	int i;

	for (i = 0; i < PANE_COUNT; i++)
		if (t->panes[i])
			t->panes[i]->ops->free(t->panes[i]);
	hv_step_release(&t->step);
	free(t->step_error);
	cands_free(t);
	hv_theme_free(t->theme);
	sb_release(&t->prompt);
	free(t->message);
	free(t->stage);
	free(t->first_stage);
	free(t->durations);
	if (t->script)
		script_free(t->script);
}

int
hv_tui_main_hooks(int argc, char **argv, const struct hv_tui_hooks *hooks)
{
	struct hv_tui tui, *t = &tui;
	struct hv_error err = HV_ERROR_INIT;
	struct tui_opts o;
	const char *nc, *chunk;
	int rc, i;
	static const int term_signals[] = { SIGTERM, SIGHUP, SIGINT, SIGQUIT };

	rc = parse_opts(argc, argv, &o);
	if (rc >= 0)
		return rc;
	setlocale(LC_ALL, "");
	memset(t, 0, sizeof(*t));
	t->hooks = hooks;
	t->exit_code = 0;
	nc = getenv("NO_COLOR");
	t->no_color = nc && *nc;
	t->tty_fd = STDIN_FILENO;
	chunk = getenv("HALVE_GRAPH_CHUNK");
	if (chunk && *chunk)
		t->load_chunk = strtoul(chunk, NULL, 10);
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "halve: the workstation needs a terminal; the "
			"subcommands work without one (halve --help)\n");
		return 1;
	}
	t->theme = hv_theme_load(o.theme, &err);
	if (!t->theme)
		goto fail;
	if (hv_session_open(o.dir ? o.dir : ".", &t->s, &err) < 0)
		goto fail;
	t->loop = hv_loop_new();
	/* ours before curses starts, so that curses leaves SIGWINCH to us */
	if (!hv_loop_on_signal(t->loop, SIGWINCH, on_winch, t, &err))
		goto fail;
	for (i = 0; i < (int)HV_ARRAY_SIZE(term_signals); i++)
		if (!hv_loop_on_signal(t->loop, term_signals[i], on_term_signal,
				       t, &err))
			goto fail;
	t->panes[PANE_GRAPH] = graph_new(t);
	t->panes[PANE_BUILD] = termpane_new(t, TERMPANE_BUILD, BUILD_SCROLLBACK);
	t->panes[PANE_CONSOLE] = termpane_new(t, TERMPANE_CONSOLE,
					      CONSOLE_SCROLLBACK);
	t->step_timer = hv_timer_new(t->loop, on_step_timer, t);
	if (!o.script)	/* a script reads the range at its own pace */
		t->load_timer = hv_timer_new(t->loop, on_load_timer, t);
	t->redraw_timer = hv_timer_new(t->loop, on_redraw_timer, t);
	t->watch_timer = hv_timer_new(t->loop, on_watch_timer, t);
	t->clock_timer = hv_timer_new(t->loop, on_clock, t);
	if (o.script) {
		t->fixed_clock = 1;
		if (script_open(t, o.script, &err) < 0)
			goto fail;
	}
	if (start_curses(t, &err) < 0)
		goto fail;
	layout_apply(t);
	/* the frame first: loading a range of a million commits takes a
	 * moment, and the screen should not stay blank meanwhile */
	t->step_pending = 1;
	tui_redraw_now(t);
	tui_reload(t);
	hv_timer_start(t->watch_timer, WATCH_MS, 1);
	if (t->hooks && t->hooks->attach &&
	    t->hooks->attach(t, t->hooks->arg, &err) < 0)
		tui_error(t, &err);
	if (t->script)
		hv_loop_set_idle(t->loop, 0, script_idle, t);
	/* a script's keys come as commands, but the keyboard is read too:
	 * a test types on the terminal through it (ptydrive -k) */
	t->keys = hv_loop_add_fd(t->loop, STDIN_FILENO, on_keys, NULL, t);
	tui_redraw_now(t);
	if (hv_loop_run(t->loop, &err) < 0)
		t->exit_code = 1;
	if (t->curses) {
		endwin();
		t->curses = 0;
	}
	if (t->screen)
		delscreen(t->screen);
	script_report(t);
	if (err.msg) {
		fprintf(stderr, "halve: %s\n", err.msg);
		hv_error_clear(&err);
	}
	rc = t->exit_code;
	tui_free(t);
	hv_session_free(t->s);
	hv_loop_free(t->loop);
	return rc;
fail:
	if (t->curses)
		endwin();
	if (t->screen)
		delscreen(t->screen);
	fprintf(stderr, "halve: %s\n", err.msg ? err.msg : "failed");
	hv_error_clear(&err);
	tui_free(t);
	if (t->s)
		hv_session_free(t->s);
	if (t->loop)
		hv_loop_free(t->loop);
	return 1;
}

int
hv_tui_main(int argc, char **argv)
{
	return hv_tui_main_hooks(argc, argv, NULL);
}
