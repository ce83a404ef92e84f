/*
 * bisectlog.h: BISECT_LOG, git's bisect log, read in one place. The log
 * is a shell script `git bisect replay` runs: `git bisect VERB ARGS...`
 * lines with single-quoted arguments, and comments ("# bad: [sha]
 * subject", git's "# status: ..." lines, halve's "# halve: reason").
 * Replay, undo, and the workstation's range and title all read it through
 * here, and every line the session writes is made here (hv_log_add_*);
 * state.c keeps the file.
 *
 * Pure: no files, no repository. Reading never fails: a line that is not
 * a bisect command is kept as HV_LOG_OTHER for the caller to refuse.
 */
#ifndef HALVE_BISECTLOG_H
#define HALVE_BISECTLOG_H

#include "repo.h"

/* Shell single-quoting as git's sq_quote_argv() writes it. */
void hv_sq_quote(struct strbuf *sb, const char *arg);
/*
 * Splits a line of sq-quoted words into a NULL-terminated array (free it
 * with hv_argv_free()); returns -1 when malformed.
 */
int hv_sq_split(const char *line, char ***argv, size_t *argc);

/* The arguments of `start`, as typed or on a log's start line. */
struct hv_start_opts {
	int first_parent;
	int no_checkout;
	const char *term_old, *term_new;
	char **revs;		/* bad, then goods */
	size_t nrevs;
	char **paths;		/* pathspec */
	size_t npaths;
	int dashdash;		/* "--" given: revs are all revisions */
	char **argv;		/* the start arguments as given, for the log */
	size_t argc;
	const char *config;	/* --config FILE */
	const char *config_text;	/* its text, checked: the session's copy */
	int unless_active;	/* not a start argument: start only when no
				 * bisection is in progress (hv_session_start) */
};

/*
 * Parses `start`'s arguments (as typed, or from a log's start line) into
 * opts, whose strings point into argv. Free with hv_start_opts_release().
 */
int hv_start_opts_parse(char **argv, size_t argc, struct hv_start_opts *opts,
			struct hv_error *err);
void hv_start_opts_release(struct hv_start_opts *opts);

enum hv_log_kind {
	HV_LOG_BLANK,		/* empty or white space only */
	HV_LOG_COMMENT,		/* "# ..." of no kind below */
	HV_LOG_NOTE,		/* "# TERM: [HEX] subject", before a mark */
	HV_LOG_REASON,		/* "# halve: why", halve's reason for a mark */
	HV_LOG_CONFIDENCE,	/* "# halve confidence P": results are weighed */
	HV_LOG_OBSERVED,	/* "# halve observed TERM HEX TIME": a result
				 * kept without a mark (under --confidence) */
	HV_LOG_ANSWER,		/* "# halve answer: ...": the marks that follow
				 * state the answer, they observed nothing */
	HV_LOG_COMMAND,		/* "git bisect VERB ARGS..." */
	HV_LOG_OTHER,		/* none of these: not a bisect log line */
};

struct hv_log_line {
	enum hv_log_kind kind;
	int lineno;		/* from 1 */
	size_t off, len;	/* the line in the text, without "\r\n" */
	char **argv;		/* COMMAND: verb, then arguments; NULL when the
				 * quoting is malformed */
	size_t argc;
	char *term;		/* NOTE, OBSERVED: the term */
	struct hv_oid oid;	/* NOTE, OBSERVED: the commit */
	int64_t when;		/* OBSERVED: seconds since the epoch */
	double confidence;	/* CONFIDENCE: P */
	size_t marks;		/* REASON: the marks below that are one
				 * command's (hv_log_add_command), or 0 */
};

struct hv_log {
	struct hv_log_line *lines;
	size_t n;
};

/* Splits text (CRLF or LF line ends) into lines; never fails. */
void hv_log_parse(const char *text, struct hv_log *log);
void hv_log_release(struct hv_log *log);

/* Is line a command with this verb? */
int hv_log_is(const struct hv_log_line *line, const char *verb);

/*
 * The range a session started from: the first TERM_BAD note and the
 * TERM_GOOD notes written before the first command after both were known
 * (the start line's revisions, or the first marks). *goods is malloc'd.
 */
void hv_log_start_range(const struct hv_log *log, const char *term_bad,
			const char *term_good, struct hv_oid *bad,
			int *have_bad, struct hv_oid **goods, size_t *ngoods);

/*
 * The last start line's revisions as typed, "GOOD1,GOOD2..BAD" (full ids
 * abbreviated), appended to sb; 0 when the start line names no range.
 */
int hv_log_range_name(const struct hv_log *log, struct strbuf *sb);

/*
 * text without its last mark: the last mark command, the notes and the
 * reason just above it, and the comments just below it (the "# first bad
 * commit" lines a mark leads to), all the marks of the command that made
 * it when it marked many (skip A..B); or, when a result kept without a
 * mark comes later, that line and its reason. NULL when the log holds no
 * mark after its start line. The caller frees the result.
 */
char *hv_log_without_last_mark(const char *text, const struct hv_log *log);

/*
 * The lines a session writes, appended to log (each ends in a newline),
 * in git's words where git writes the same line.
 */
/* "# TERM: [HEX] subject", and with command set "git bisect TERM HEX". */
void hv_log_add_mark(struct strbuf *log, const char *term, const char *hex,
		     const char *subject, int command);
/* "# halve confidence P", "# halve observed TERM HEX TIME" and
 * "# halve answer: what" (see enum hv_log_kind). */
void hv_log_add_confidence(struct strbuf *log, double confidence);
void hv_log_add_observed(struct strbuf *log, const char *term,
			 const char *hex, int64_t when);
void hv_log_add_answer(struct strbuf *log, const char *fmt, ...)
	HV_PRINTF(2, 3);
/*
 * "# halve: one command marked the N commits below": a command that
 * marks many commits logs a line each, as git does; this says where it
 * began, so that undo takes back what was typed.
 */
void hv_log_add_command(struct strbuf *log, size_t nmarks);
/* "git bisect start ARGS": quoted as git quotes them, --config left out
 * (git's replay does not know it; the copy is in .git/halve). */
void hv_log_add_start(struct strbuf *log, char **argv, size_t argc);
/* "# halve: why", halve's reason for what follows. */
void hv_log_add_reason(struct strbuf *log, const char *fmt, ...)
	HV_PRINTF(2, 3);
/* git's "# status: waiting for ..." (always in the words good/bad). */
void hv_log_add_waiting(struct strbuf *log, int have_bad, size_t ngoods);
/* "# first TERM commit: [HEX] subject", unless the log ends with it. */
void hv_log_add_found(struct strbuf *log, const char *term, const char *hex,
		      const char *subject);
/* "# only skipped commits left to test" (once), then a suspect:
 * "# possible first TERM commit: [HEX] subject". */
void hv_log_add_only_skipped(struct strbuf *log);
void hv_log_add_suspect(struct strbuf *log, const char *term, const char *hex,
			const char *subject);

#endif
