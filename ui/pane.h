/*
 * pane.h: a pane of the workstation as a small table of operations, in
 * the manner of tig's view_ops and tmux's window_mode: draw, key, resize,
 * free, a title, and a dirty flag. A pane never refreshes the screen: it
 * marks itself dirty and the workstation redraws dirty panes once per
 * loop turn.
 *
 * The panes are the graph (graph.c) and the two terminals, build log and
 * console (termpane.c). They draw only inside their rectangle.
 */
#ifndef HALVE_UI_PANE_H
#define HALVE_UI_PANE_H

#include "util.h"

struct hv_tui;
struct pane;

/* Keys: a Unicode character, or HV_KEY(KEY_xxx) for a curses key code. */
#define HV_KEY_BASE 0x200000
#define HV_KEY(k) (HV_KEY_BASE + (k))
#define HV_CTRL(c) ((c) & 0x1f)

struct pane_ops {
	const char *name;	/* "graph", "build", "console" */
	/* The content, inside p->y, p->x, p->h, p->w (title excluded). */
	void (*draw)(struct pane *p);
	/*
	 * What the title line says after the name ("(serial | ...)"); *elem
	 * may be set to a theme element for that text (a mark that stands
	 * out, like the monitor's).
	 */
	void (*title)(struct pane *p, struct strbuf *sb, int *elem);
	/* A key while focused: 1 when taken. */
	int (*key)(struct pane *p, int key);
	/* The rectangle changed (already stored in p). */
	void (*resize)(struct pane *p);
	/* A search ("/" then Enter, "n", "N"): dir 1 forward, -1 back. */
	int (*search)(struct pane *p, const char *pattern, int dir,
		      struct hv_error *err);
	/* A mouse click at (row, col) inside the content; 1 when taken. */
	int (*click)(struct pane *p, int row, int col);
	/* Scroll by n lines (the wheel): up when n < 0. */
	void (*wheel)(struct pane *p, int n);
	void (*free)(struct pane *p);
};

struct pane {
	const struct pane_ops *ops;
	struct hv_tui *tui;
	void *data;
	int y, x, h, w;		/* content rectangle; h or w 0 when hidden */
	int dirty;
	int visible;
};

/* Marks the pane for the next redraw (and asks for one). */
void pane_dirty(struct pane *p);

#endif
