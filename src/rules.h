/*
 * rules.h: verdict rules (pcre2 regexes matched against console lines) and
 * the line assembler that turns raw console bytes into lines to match.
 *
 * A rule set holds the user's [verdict] rules in file order, then (unless
 * `defaults = no`) the built-in bad rules a kernel developer expects; the
 * first rule to match a line decides. Each line is matched on its own, so
 * ^ and $ are the line's start and end.
 *
 * Nothing here reads files, owns a process or knows the clock: the caller
 * feeds bytes and gets lines and verdicts back.
 */
#ifndef HALVE_RULES_H
#define HALVE_RULES_H

#include <stddef.h>
#include <stdint.h>

#include "conf.h"
#include "util.h"

struct hv_rules;

/* What decided a line; strings point into the rule set. */
struct hv_rule_match {
	enum hv_rule_kind kind;	/* HV_RULE_NONE when nothing matched */
	size_t index;		/* position in the set, 0-based */
	size_t number;		/* 1-based among rules of its kind: "bad #2" */
	int builtin;		/* a built-in default rule */
	const char *pattern;
	const char *file;	/* config it came from; NULL when built in */
	int line;		/* its line there; 0 when built in */
	size_t start, end;	/* the matched bytes within the line */
};

/* An empty set; add rules to it. */
struct hv_rules *hv_rules_new(void);
void hv_rules_free(struct hv_rules *set);

/*
 * Compile and append one rule. An invalid regex fails with
 * "FILE:LINE: bad regex 'PAT': MESSAGE at offset N" (pcre2's message).
 * file may be NULL (then the message starts with the pattern).
 */
int hv_rules_add(struct hv_rules *set, enum hv_rule_kind kind,
		 const char *pattern, const char *file, int line,
		 struct hv_error *err);
/* Append the built-in bad rules (see rules.c for the list and why). */
void hv_rules_add_defaults(struct hv_rules *set);
/* The built-in bad patterns, *n of them (for help texts and tests). */
const char *const *hv_rules_defaults(size_t *n);

/* The config's [verdict] rules, then the defaults unless turned off. */
struct hv_rules *hv_rules_from_config(const struct hv_config *cfg,
				      struct hv_error *err);

size_t hv_rules_count(const struct hv_rules *set);

/*
 * Match one line (no newline) against the rules in order. Returns the
 * first matching rule's kind, HV_RULE_NONE if none; m (may be NULL) tells
 * which rule and where. Not reentrant: the set holds the match scratch.
 */
enum hv_rule_kind hv_rules_match(struct hv_rules *set, const char *line,
				 size_t len, struct hv_rule_match *m);

/*
 * git bisect run's exit codes: 0 good, 125 skip, 1-127 bad; anything
 * else (128 and up, a signal, -1 for "could not run") returns
 * HV_RULE_NONE: the run stops.
 */
enum hv_rule_kind hv_rules_exit_code(int code);

/*
 * "rule bad #2 matched (halve.conf:14)" or "built-in rule bad 'Kernel
 * panic - ' matched": the reason a person reads in a verdict file.
 */
void hv_rule_match_describe(const struct hv_rule_match *m, struct strbuf *sb);

/*
 * The line assembler. Feed it raw console bytes in chunks of any size; it
 * calls back once per complete line with what a person would read: ANSI
 * escape sequences (CSI, OSC, DCS and two/three-byte ESC sequences), \r,
 * NUL and the other C0 controls but tab removed. Escape state carries
 * across chunks. A line longer than the cap keeps its head and counts the
 * rest, so a guest printing megabytes without a newline costs at most the
 * cap in memory.
 */
#define HV_LINE_MAX_DEFAULT (64 * 1024)

struct hv_lines;

struct hv_line_info {
	uint64_t number;	/* 1-based line number in the stream */
	uint64_t dropped;	/* bytes past the cap, not in the line */
};

/*
 * Called per line; line is NUL-terminated at len and valid only during
 * the call. Return 0 to go on, anything else to stop feeding (that value
 * comes back from hv_lines_feed; the rest of that chunk is not looked at).
 */
typedef int hv_line_fn(void *arg, const char *line, size_t len,
		       const struct hv_line_info *info);

/* max_line 0 means HV_LINE_MAX_DEFAULT. */
struct hv_lines *hv_lines_new(size_t max_line);
void hv_lines_free(struct hv_lines *lines);
int hv_lines_feed(struct hv_lines *lines, const void *data, size_t len,
		  hv_line_fn *fn, void *arg);
/* End of stream: hand out a last line that had no newline, if any. */
int hv_lines_flush(struct hv_lines *lines, hv_line_fn *fn, void *arg);
/* Lines completed so far. */
uint64_t hv_lines_count(const struct hv_lines *lines);
/* Bytes the assembler holds for the current partial line. */
size_t hv_lines_pending(const struct hv_lines *lines);

#endif
