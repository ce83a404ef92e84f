/*
 * termpane.h: a pane that is a terminal: the build log and the console.
 * The pane owns a libvterm VTerm (the neovim way): bytes are fed in with
 * pane_feed(), libvterm's damage callbacks mark the pane dirty, lines
 * scrolled off the top go to a bounded scrollback, and keys typed into a
 * focused console come back out through an output callback as the bytes
 * a terminal would send.
 *
 * Nothing here starts a process or reads a file descriptor: the pipeline
 * feeds the bytes it reads, and a test feeds a string.
 */
#ifndef HALVE_UI_TERMPANE_H
#define HALVE_UI_TERMPANE_H

#include <stddef.h>

#include "pane.h"

enum termpane_kind {
	TERMPANE_BUILD,		/* output only; keys scroll and search */
	TERMPANE_CONSOLE,	/* keys go to the guest; serial/monitor mux */
};

/* Bytes for the program behind the pane (keys, Ctrl-a c). */
typedef void termpane_output_fn(const char *data, size_t len, void *arg);
/* The pane's terminal changed size: resize the pty behind it. */
typedef void termpane_resize_fn(int rows, int cols, void *arg);

/* scrollback: lines kept above the screen (the oldest go first). */
struct pane *termpane_new(struct hv_tui *tui, enum termpane_kind kind,
			  size_t scrollback);

/* Raw bytes as a pty gives them (escapes, \r, colours and all). */
void pane_feed(struct pane *p, const char *data, size_t len);
/* A fresh terminal and empty scrollback (a new step). */
void termpane_clear(struct pane *p);

void termpane_set_output(struct pane *p, termpane_output_fn *fn, void *arg);
void termpane_set_resize(struct pane *p, termpane_resize_fn *fn, void *arg);
/* The size of the pane's terminal (what a pty behind it should be). */
void termpane_size(const struct pane *p, int *rows, int *cols);
/* Text shown after the name in the title ("make: running"); NULL clears. */
void termpane_set_status(struct pane *p, const char *text);

/* Console: 1 when the qemu monitor is shown (Ctrl-a c flips it). */
int termpane_monitor(const struct pane *p);
/* Flips serial/monitor and sends Ctrl-a c to the program. */
void termpane_toggle_monitor(struct pane *p);
/* Sends bytes to the program as typed (no mux interpretation). */
void termpane_send(struct pane *p, const char *data, size_t len);

/*
 * The text of line i, 0 being the oldest line of scrollback and
 * termpane_nlines() - 1 the last row of the screen; trailing blanks
 * trimmed. The caller frees it.
 */
size_t termpane_nlines(const struct pane *p);
size_t termpane_nscrollback(const struct pane *p);
char *termpane_line_text(const struct pane *p, size_t i);
/* Where the terminal's cursor is, in the pane's rows and columns. */
void termpane_cursor(const struct pane *p, int *row, int *col);
/* Lines the view is scrolled back from the live end (0: live). */
size_t termpane_scrolled(const struct pane *p);

#endif
