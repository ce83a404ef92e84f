/*
 * keys.h: every key binding of the workstation in one X-macro table
 * (HV_UI_KEYS). The table makes the action enum, the lookup the key
 * dispatcher uses, and the help overlay (`?`): a binding cannot exist
 * without its line of help, and the help cannot list a key that does
 * nothing.
 *
 * Key names are also what scripts (`key Tab`) and halve(1) use: a
 * character as itself, C-x for control keys, and Tab, BTab (shift-Tab),
 * Enter, Esc, Space, Backspace, Del, Up, Down, Left, Right, PgUp, PgDn,
 * Home, End, F1..F12. A binding in the CONSOLE scope is the key after the
 * Ctrl-a prefix in a focused console, where every other key goes to the
 * guest.
 */
#ifndef HALVE_UI_KEYS_H
#define HALVE_UI_KEYS_H

#include "util.h"

/*
 * scope, key, handler, help. A NULL help adds a key to the binding above
 * it (same handler). The handlers are static functions of actions.c,
 * where the table is expanded.
 */
#define HV_UI_KEYS(X) \
	X(ANY, "g", act_good, "mark the selected commit good (or the old term)") \
	X(ANY, "b", act_bad, "mark the selected commit bad (or the new term)") \
	X(ANY, "s", act_skip, "mark the selected commit skip (untestable)") \
	X(ANY, "S", act_skip_range, "at one end of a range, then at the other: skip it all") \
	X(ANY, "u", act_undo, "undo the last mark") \
	X(ANY, "d", act_descend, "descend into the first bad merge: bisect its branch") \
	X(ANY, "a", act_ascend, "ascend: back to the outer bisection") \
	X(ANY, "r", act_run, "run the pipeline from here") \
	X(ANY, "p", act_pause, "pause after the current step") \
	X(ANY, "o", act_slot, "the console shows the next boot slot ([boot] slots)") \
	X(ANY, "t", act_retest, "re-test the selected commit (halve run --retest)") \
	X(ANY, "V", act_verify, "verify the first bad commit (halve verify)") \
	X(ANY, "c", act_jump_current, "select the commit being tested") \
	X(ANY, "f", act_jump_found, "select the first bad commit") \
	X(ANY, "l", act_likeliest, "the likeliest first bad commits and how likely") \
	X(ANY, "Down", act_down, "move down (or scroll)") \
	X(ANY, "j", act_down, NULL) \
	X(ANY, "Up", act_up, "move up (or scroll)") \
	X(ANY, "k", act_up, NULL) \
	X(ANY, "PgDn", act_page_down, "a page down") \
	X(ANY, "C-f", act_page_down, NULL) \
	X(ANY, "Space", act_page_down, NULL) \
	X(ANY, "PgUp", act_page_up, "a page up") \
	X(ANY, "C-b", act_page_up, NULL) \
	X(ANY, "Home", act_top, "to the top (newest commit, oldest log line)") \
	X(ANY, "End", act_bottom, "to the bottom (oldest commit, live end of a log)") \
	X(ANY, "/", act_search, "search the focused pane (pcre2; all lower case: any case)") \
	X(ANY, "n", act_search_next, "next match") \
	X(ANY, "N", act_search_prev, "previous match") \
	X(ANY, "Tab", act_focus_next, "focus the next pane") \
	X(ANY, "BTab", act_focus_prev, "focus the previous pane") \
	X(ANY, "z", act_zoom, "zoom the focused pane (again: back)") \
	X(ANY, "C-l", act_redraw, "redraw the screen") \
	X(ANY, "?", act_help, "this help (? Esc or q closes it)") \
	X(ANY, "q", act_quit, "quit; the session stays and halve picks it up again") \
	X(CONSOLE, "c", act_monitor, "flip between serial and the qemu monitor") \
	X(CONSOLE, "o", act_slot, "show the next boot slot's console") \
	X(CONSOLE, "Tab", act_focus_next, "focus the next pane") \
	X(CONSOLE, "BTab", act_focus_prev, "focus the previous pane") \
	X(CONSOLE, "z", act_zoom, "zoom the console (again: back)") \
	X(CONSOLE, "PgUp", act_page_up, "scroll the console back") \
	X(CONSOLE, "PgDn", act_page_down, "scroll the console forward") \
	X(CONSOLE, "/", act_search, "search the console") \
	X(CONSOLE, "?", act_help, "this help") \
	X(CONSOLE, "a", act_send_prefix, "send Ctrl-a itself to the guest") \
	X(CONSOLE, "C-a", act_send_prefix, NULL)

enum hv_key_scope {
	HV_SCOPE_ANY,		/* everywhere but in a focused console */
	HV_SCOPE_CONSOLE,	/* after Ctrl-a in a focused console */
};

struct hv_tui;
typedef void hv_action_fn(struct hv_tui *t);

struct hv_keybinding {
	enum hv_key_scope scope;
	const char *name;
	hv_action_fn *fn;
	const char *help;
};

/* The table, expanded once (actions.c). */
extern const struct hv_keybinding hv_keybindings[];
extern const size_t hv_nkeybindings;

/* The binding of key in scope, or NULL. */
const struct hv_keybinding *hv_keys_lookup(enum hv_key_scope scope, int key);

/* A key name ("Tab", "C-a", "g") to a key code; -1 when unknown. */
int hv_key_parse(const char *name);
/* The name of a key code, into sb. */
void hv_key_name(int key, struct strbuf *sb);

/*
 * The help overlay's lines, one per binding: the keys (the console's
 * after "C-a "), a tab, the help. *n gets the count; free with
 * hv_keys_help_free().
 */
char **hv_keys_help(size_t *n);
void hv_keys_help_free(char **lines, size_t n);

#endif
