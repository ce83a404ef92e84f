/*
 * tuiint.h: what the workstation's files share and nobody else sees: the
 * struct hv_tui, and the functions the panes, the actions, the layout and
 * the script call on it. Not for the core or the pipeline (they use
 * tui.h).
 */
#ifndef HALVE_UI_TUIINT_H
#define HALVE_UI_TUIINT_H

#include <stdint.h>
#include <sys/types.h>

#include "draw.h"
#include "keys.h"
#include "pane.h"
#include "theme.h"
#include "tui.h"

struct script;

enum { PANE_GRAPH, PANE_BUILD, PANE_CONSOLE, PANE_COUNT };

/* Movements a pane understands (keys map to them through the table). */
enum pane_move {
	MOVE_UP, MOVE_DOWN, MOVE_PAGE_UP, MOVE_PAGE_DOWN, MOVE_TOP, MOVE_BOTTOM,
};

/* What the file watcher compares, per watched path. */

struct hv_tui {
	struct hv_loop *loop;
	struct hv_session *s;
	struct hv_step step;	/* where the session stands */
	char *step_error;	/* why the step could not be computed */
	int step_pending;	/* step is stale: recomputed next turn */
	struct hv_timer *step_timer;
	struct hv_timer *load_timer;	/* reads the graph's range a piece
					 * a turn (scripts read it instead) */
	size_t load_chunk;	/* commits a piece ($HALVE_GRAPH_CHUNK) */
	int load_hold;		/* a script holds the range half read */
	struct hv_theme *theme;
	struct hv_draw draw;
	int no_color;

	struct pane *panes[PANE_COUNT];
	int focus;
	int zoom;		/* the focused pane fills the screen */
	int rows, cols;
	int curses;		/* curses is up */
	void *screen;		/* curses' SCREEN *, for delscreen() */
	int layout_dirty;	/* titles, borders, status: everything */
	struct hv_timer *redraw_timer;
	struct hv_timer *watch_timer;
	struct hv_timer *clock_timer;
	struct hv_watch *keys;
	int tty_fd;

	struct cands *cands;	/* the likeliest answers overlay (candidates.c) */
	int help;		/* the help overlay is shown */
	int help_top;		/* its first line shown */
	int prompting;		/* the search prompt takes the keys */
	struct strbuf prompt;
	int prefix;		/* Ctrl-a was pressed in the console */
	int skip_anchor_set;	/* S pressed once: *skip_anchor is one end */
	struct hv_oid skip_anchor;

	char *message;
	int message_error;

	char *stage;
	char *first_stage;	/* the stage the running step began with */
	int64_t step_start;
	int step_no;
	int64_t *durations;
	size_t ndurations, adurations;

	uint64_t stamp;		/* hv_session_stamp() when last read */

	struct script *script;
	int64_t fake_now;	/* scripted mode: the clock stands still */
	int fixed_clock;

	const struct hv_tui_hooks *hooks;
	int quit;
	int exit_code;
};

/* tui.c */
const struct hv_draw *tui_draw(struct hv_tui *t);
void tui_layout_dirty(struct hv_tui *t);
void tui_request_redraw(struct hv_tui *t);
void tui_redraw_now(struct hv_tui *t);
void tui_error(struct hv_tui *t, struct hv_error *err);
int64_t tui_now(struct hv_tui *t);
/*
 * Reloads the session from disk, and the graph with it; the next step is
 * computed on the next loop turn (on a big range that is the slow part,
 * and the screen can be painted before it).
 */
void tui_reload(struct hv_tui *t);
/*
 * Reads the next piece of the graph's range; when that ends the reading,
 * the step waiting for it is computed. 0 when nothing was left to read.
 */
int tui_load_more(struct hv_tui *t);
/* The same with the step an action just got from the session (owned). */
void tui_reload_step(struct hv_tui *t, struct hv_step *step);
/* Checks the watched state files now; reloads when they changed. */
void tui_check_files(struct hv_tui *t);
/* The session's marks as the screen shows them (hv_session_marks). */
struct hv_marks tui_marks(const struct hv_tui *t);
/* Snapshots the state files, so a change of our own is not seen twice. */
void tui_stamp_files(struct hv_tui *t);
void tui_resize(struct hv_tui *t, int rows, int cols);
void tui_quit(struct hv_tui *t);
struct pane *tui_focused(struct hv_tui *t);
void tui_focus(struct hv_tui *t, int idx);

/* layout.c: placing panes, titles, the status bar, the help overlay */
void layout_apply(struct hv_tui *t);
void layout_draw(struct hv_tui *t);
/* The pane under screen cell (y, x), or -1. */
int layout_pane_at(struct hv_tui *t, int y, int x);
/* An overlay's box: h rows, w columns at (y, x), bordered and filled. */
void layout_box(struct hv_tui *t, int y, int x, int h, int w);

/*
 * candidates.c: the likeliest answers overlay. It asks the session once
 * per state change (cands_forget() says the state changed), not per
 * redraw.
 */
void cands_toggle(struct hv_tui *t);
int cands_shown(const struct hv_tui *t);
void cands_forget(struct hv_tui *t);
void cands_draw(struct hv_tui *t);
/* A key while it is shown: it takes them all. */
void cands_key(struct hv_tui *t, int key);
void cands_free(struct hv_tui *t);

/* actions.c: keys */
void tui_key(struct hv_tui *t, int key);
void tui_mouse(struct hv_tui *t, int y, int x, unsigned long bstate);

/* graph.c */
struct pane *graph_new(struct hv_tui *t);
/* The session changed: recompute marks (and reload the range if it moved). */
int graph_reload(struct pane *p, struct hv_error *err);
/* Is the range still being read (a piece per loop turn)? */
int graph_loading(struct pane *p);
/* Commits of the range read so far. */
size_t graph_read(struct pane *p);
/* Reads the next piece: 1 when the range is now whole (then reload the
 * graph), 0 when there is more, -1 with err set. */
int graph_load_more(struct pane *p, struct hv_error *err);
/* The selected commit; 0 when there is none. */
int graph_selected(struct pane *p, struct hv_oid *oid);
/* Selects a commit if it is drawn; 0 when it is not. */
int graph_select(struct pane *p, const struct hv_oid *oid);
void graph_move(struct pane *p, enum pane_move m);
/* The commits drawn between a and b (inclusive), as hex strings. */
char **graph_span(struct pane *p, const struct hv_oid *a,
		  const struct hv_oid *b, size_t *n);
/* The status bar's "v3.14..v3.15 > merge b7d3622", into sb. */
void graph_breadcrumbs(struct pane *p, struct strbuf *sb);
/* termpane.c's movement for the build log and console */
void termpane_move(struct pane *p, enum pane_move m);

/* A pcre2 regex for a search: any case when the pattern is all lower
 * case. Returns a pcre2_code *, NULL with err filled. */
void *ui_regex_compile(const char *pattern, struct hv_error *err);

/* script.c */
int script_open(struct hv_tui *t, const char *file, struct hv_error *err);
void script_free(struct script *sc);
/* Runs the next command when the loop is idle. */
void script_idle(struct hv_loop *loop, void *arg);
/* The screen as text, one line per row, trailing blanks trimmed. */
void screen_text(struct strbuf *sb);
/* A letter per cell for its style, then a legend of the letters. */
void screen_styles(struct strbuf *sb);
/* After curses ends: the script's complaints, on stderr. */
void script_report(struct hv_tui *t);

#endif
