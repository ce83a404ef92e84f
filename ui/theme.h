/*
 * theme.h: the workstation's colours. A theme is a list of rules read
 * from a file (the files in themes/, $XDG_CONFIG_HOME/halve/themes/NAME.theme):
 *
 *   color <element> <fg> <bg> [attr...] ["regex"]
 *   mono  <element> <attr...> ["regex"]
 *
 * Elements come from one list (HV_THEME_ELEMENTS), which also makes the
 * names the parser accepts and the table in halve-themes(5). A rule with
 * a regex does not restyle its element everywhere: it paints the matches
 * of the regex in the pane the element belongs to (log.* in the build
 * log, console.* in the console, graph.* in commit subjects).
 *
 * Parsing is pure (no curses): a theme can be loaded and checked in a unit
 * test. Turning a style into curses attributes happens in theme_style(),
 * once curses runs; that is where 256 colours fold down to 16 or 8 and
 * where NO_COLOR or a terminal without colour picks the mono rules.
 */
#ifndef HALVE_UI_THEME_H
#define HALVE_UI_THEME_H

#include <stddef.h>

#include "util.h"

/* id, name, what it colours */
#define HV_THEME_ELEMENTS(X) \
	X(NORMAL, "normal", "text no other element claims") \
	X(TITLE, "title", "a pane's title line") \
	X(TITLE_FOCUS, "title.focus", "the title line of the focused pane") \
	X(BORDER, "border", "the lines between panes") \
	X(STATUS, "status", "the status bar") \
	X(STATUS_RANGE, "status.range", "the range and breadcrumbs in the status bar") \
	X(STATUS_STAGE, "status.stage", "the stage of the running step") \
	X(STATUS_ERROR, "status.error", "an error shown in the status bar") \
	X(PROMPT, "prompt", "the search prompt") \
	X(CURSOR, "cursor", "the selected line of the graph") \
	X(LANE, "graph.lane", "the lanes of the commit graph") \
	X(ID, "graph.id", "abbreviated commit ids") \
	X(SUBJECT, "graph.subject", "commit subjects (regex rules match here)") \
	X(INFO, "graph.info", "durations and verdict reasons of tested commits") \
	X(CANDIDATE, "mark.candidate", "commits still suspected") \
	X(CURRENT, "mark.current", "the commit being tested") \
	X(GOOD, "mark.good", "commits marked good (the old term)") \
	X(BAD, "mark.bad", "commits marked bad (the new term)") \
	X(SKIP, "mark.skip", "commits marked skip") \
	X(FOUND, "mark.found", "the first bad commit") \
	X(OLD, "mark.old", "commits good by ancestry of a good one") \
	X(NEW, "mark.new", "commits bad by descent from the bad one") \
	X(OUTSIDE, "mark.outside", "commits of the range no longer in question") \
	X(SEARCH, "search", "search matches") \
	X(CONTROL, "control", "control characters made visible, as ^[ or <9b>") \
	X(LOG, "log", "the build log (regex rules match here)") \
	X(LOG_ERROR, "log.error", "build errors (give it a regex)") \
	X(LOG_WARNING, "log.warning", "build warnings (give it a regex)") \
	X(CONSOLE, "console", "the serial console (regex rules match here)") \
	X(CONSOLE_GOOD, "console.good", "console lines that mean good (give it a regex)") \
	X(CONSOLE_BAD, "console.bad", "console lines that mean bad (give it a regex)") \
	X(CONSOLE_MONITOR, "console.monitor", "the mark showing the qemu monitor is up") \
	X(SCROLLED, "scrolled", "the mark of a pane scrolled back from the live end") \
	X(HELP, "help", "the help overlay") \
	X(HELP_KEY, "help.key", "keys in the help overlay") \
	X(MESSAGE, "message", "messages in the status bar")

enum hv_elem {
#define X(id, name, doc) HV_ELEM_##id,
	HV_THEME_ELEMENTS(X)
#undef X
	HV_ELEM_COUNT
};

/* Colours: -1 is the terminal's default; 0..255 the xterm palette. */
#define HV_COLOR_DEFAULT (-1)

enum hv_theme_attr {
	HV_ATTR_BOLD = 1 << 0,
	HV_ATTR_DIM = 1 << 1,
	HV_ATTR_UNDERLINE = 1 << 2,
	HV_ATTR_REVERSE = 1 << 3,
	HV_ATTR_BLINK = 1 << 4,
	HV_ATTR_ITALIC = 1 << 5,
	HV_ATTR_STANDOUT = 1 << 6,
};

struct hv_theme_style {
	short fg, bg;
	unsigned attrs;		/* enum hv_theme_attr */
	int set;		/* a rule gave it */
};

/* A regex rule: paints matches in the element's pane. */
struct hv_theme_rule {
	enum hv_elem elem;
	int mono;
	struct hv_theme_style style;
	char *pattern;
	void *code;		/* pcre2_code *, compiled at parse time */
};

struct hv_theme {
	char *name;
	struct hv_theme_style color[HV_ELEM_COUNT];
	struct hv_theme_style mono[HV_ELEM_COUNT];
	struct hv_theme_rule *rules;
	size_t nrules, alloc_rules;
};

/* The element's name ("mark.good"), or NULL when out of range. */
const char *hv_theme_elem_name(enum hv_elem e);
const char *hv_theme_elem_doc(enum hv_elem e);
/* The element for a name, or -1. */
int hv_theme_elem_find(const char *name);

/* An empty theme: everything in the terminal's colours. */
struct hv_theme *hv_theme_new(const char *name);
void hv_theme_free(struct hv_theme *t);

/*
 * Adds the rules in text to t. file names the source in errors, which
 * read "FILE:LINE: what" (the first error stops the parse).
 */
int hv_theme_parse(struct hv_theme *t, const char *file, const char *text,
		   struct hv_error *err);

/* The built-in text of a shipped theme ("default", "mono", ...), or NULL. */
const char *hv_theme_builtin(const char *name);
/* NULL-terminated list of the built-in theme names. */
const char *const *hv_theme_builtin_names(void);

/*
 * Loads a theme by name: NAME with a '/' is a file; otherwise
 * $XDG_CONFIG_HOME/halve/themes/NAME.theme (~/.config when unset), then
 * the built-in themes, then the installed theme directory. NULL: default.
 */
struct hv_theme *hv_theme_load(const char *name, struct hv_error *err);

/*
 * The colour for a name: "red", "brightred", "default", "color123" or
 * "123". Returns 0 and fills *color, or -1.
 */
int hv_theme_parse_color(const char *s, short *color);

#endif
