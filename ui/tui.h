/*
 * tui.h: the workstation, halve's curses face. `halve` with no
 * subcommand calls hv_tui_main(); the pipeline connects to a running
 * workstation through the hooks and feeds its panes with the functions
 * below. The workstation runs on one hv_loop (loop.h) and never blocks.
 *
 * Options (argv after `halve`): --theme NAME, --script FILE (the scripted
 * mode the UI tests use: keys and commands from FILE, run one at a time
 * whenever the loop is idle), -C DIR (the repository), --help.
 */
#ifndef HALVE_UI_TUI_H
#define HALVE_UI_TUI_H

#include <stddef.h>
#include <stdint.h>

#include "loop.h"
#include "session.h"
#include "util.h"

struct hv_tui;

/* The two terminal panes a pipeline writes into. */
enum hv_tui_term {
	HV_TUI_BUILD,		/* the build log */
	HV_TUI_CONSOLE,		/* the guest's serial console / qemu monitor */
};

/*
 * What a pipeline plugs in. Every member may be NULL. They run on the
 * loop, from key handlers or from hv_tui_main_hooks() itself.
 */
struct hv_tui_hooks {
	/* Once the screen is up, before the first key: start watching. */
	int (*attach)(struct hv_tui *tui, void *arg, struct hv_error *err);
	/* `q`: stop a running step cleanly; the loop ends after this. */
	void (*detach)(struct hv_tui *tui, void *arg);
	/* `r`: run the pipeline from the current commit. */
	int (*run)(struct hv_tui *tui, void *arg, struct hv_error *err);
	/* `p`: pause after the current step (again: resume). */
	int (*pause)(struct hv_tui *tui, void *arg, struct hv_error *err);
	/* A mark typed by hand (g/b/s/S/u/d/a) is about to be made: cancel
	 * the running step so that its verdict cannot land afterwards. */
	void (*cancel)(struct hv_tui *tui, void *arg);
	/* `o`: the console shows the next boot slot ([boot] slots). */
	int (*slot)(struct hv_tui *tui, void *arg, struct hv_error *err);
	/* `t`: run commit once and mark its verdict (halve run --retest). */
	int (*retest)(struct hv_tui *tui, void *arg, const struct hv_oid *commit,
		      struct hv_error *err);
	/* `V`: verify the first bad commit (halve verify). */
	int (*verify)(struct hv_tui *tui, void *arg, struct hv_error *err);
	void *arg;
};

/* `halve` with no subcommand: argv are the options after `halve`. */
int hv_tui_main(int argc, char **argv);
/* The same with a pipeline plugged in. Returns the exit status. */
int hv_tui_main_hooks(int argc, char **argv, const struct hv_tui_hooks *hooks);

struct hv_loop *hv_tui_loop(struct hv_tui *tui);
struct hv_session *hv_tui_session(struct hv_tui *tui);

/* Raw pty bytes for a terminal pane (escapes, \r progress, colours). */
void hv_tui_feed(struct hv_tui *tui, enum hv_tui_term which,
		 const char *data, size_t len);
/* A fresh terminal and scrollback (a new step). */
void hv_tui_term_clear(struct hv_tui *tui, enum hv_tui_term which);
/* Text after the pane's name in its title ("make -j4: exit 2"). */
void hv_tui_term_status(struct hv_tui *tui, enum hv_tui_term which,
			const char *text);
/* Where keys typed into the focused console go (qemu's pty). */
void hv_tui_set_console_output(struct hv_tui *tui,
			       void (*fn)(const char *data, size_t len,
					  void *arg),
			       void *arg);
/* The pane's terminal size, and a callback when it changes (resize the
 * pty behind it). */
void hv_tui_term_size(struct hv_tui *tui, enum hv_tui_term which, int *rows,
		      int *cols);
void hv_tui_set_term_resize(struct hv_tui *tui, enum hv_tui_term which,
			    void (*fn)(int rows, int cols, void *arg),
			    void *arg);
/* 1 when the console shows the qemu monitor (Ctrl-a c flipped it). */
int hv_tui_console_monitor(struct hv_tui *tui);

/*
 * The stage of the running step for the status bar ("building",
 * "booting"); the elapsed time counts from the first stage of a step.
 * NULL ends the step; its duration feeds the estimate of time left.
 */
void hv_tui_set_stage(struct hv_tui *tui, const char *stage);
/* The pipeline changed the session (a verdict, a mark): reload it. */
void hv_tui_session_changed(struct hv_tui *tui);
/*
 * The same when the new step is at hand (the pipeline's step callback):
 * the workstation copies it instead of computing it again, which on a
 * range of a million commits saves a load of the range per step.
 */
void hv_tui_session_stepped(struct hv_tui *tui, const struct hv_step *step);
/* A line in the status bar until the next key. */
void hv_tui_message(struct hv_tui *tui, int is_error, const char *fmt, ...)
	HV_PRINTF(3, 4);

#endif
