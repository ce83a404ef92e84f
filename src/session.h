/*
 * session.h: a bisection as the faces see it: start, mark, next, reset,
 * replay, descend and ascend, over git's state (state.h), the candidate
 * DAG (graph.h) and the algorithm (bisect.h). It decides and records; it
 * never prints: every outcome comes back as a struct hv_step for the CLI
 * or the TUI to show.
 */
#ifndef HALVE_SESSION_H
#define HALVE_SESSION_H

#include "dag.h"
#include "repo.h"
#include "state.h"

enum hv_term_kind {
	HV_TERM_OLD,		/* good, or the custom old term */
	HV_TERM_NEW,		/* bad, or the custom new term */
	HV_TERM_SKIP,
};

enum hv_outcome {
	HV_STEP_NONE,		/* no bisection in progress */
	HV_STEP_WAITING,	/* needs a bad and/or a good commit */
	HV_STEP_TEST,		/* current is the commit to test next */
	HV_STEP_MERGE_BASE,	/* current is a merge base to test first */
	HV_STEP_FOUND,		/* current is the first bad commit */
	HV_STEP_ONLY_SKIPPED,	/* suspects are all it could be */
	HV_STEP_FIXED_BETWEEN,	/* a merge base is bad: fixed in between */
	HV_STEP_COMBINATION,	/* descend: both sides good, the merge bad */
};

struct hv_step {
	enum hv_outcome outcome;
	struct hv_oid current;
	uint32_t all, left, reaches;
	int steps;
	struct hv_oid *suspects;	/* ONLY_SKIPPED */
	size_t nsuspects;
	struct hv_oid *path;	/* the merges descended into, outermost first */
	size_t npath;
	int have_bad;		/* WAITING: what is known */
	size_t ngoods;
	struct hv_oid merge;	/* COMBINATION: the merge */
};

void hv_step_release(struct hv_step *step);

/* A nested bisection inside a merge (.git/halve/stack, one line each). */
struct hv_frame {
	struct hv_oid merge;
	int parent;		/* which parent was descended into */
	struct hv_oid side;	/* merge^parent, tested first */
};

/*
 * The last range loaded, kept while the session lives (the TUI, a
 * pipeline run): later ranges inside it are cut out of it in O(n)
 * instead of walking the repository again.
 */
struct hv_range_cache {
	struct hv_dag *dag;	/* NULL: nothing cached */
	struct hv_oid top;
	struct hv_oid *bottoms;
	size_t nbottoms;
	int first_parent;
	char *paths;		/* the pathspec, joined */
};

struct hv_session {
	struct hv_repo *repo;
	struct hv_state st;
	struct hv_frame *frames;
	size_t depth;
	int replaying;		/* replay: move the work tree only at the end */
	struct hv_range_cache range;
};

struct hv_start_opts {
	int first_parent;
	int no_checkout;
	const char *term_old, *term_new;
	char **revs;		/* bad, then goods */
	size_t nrevs;
	char **paths;		/* pathspec */
	size_t npaths;
	char **argv;		/* the start arguments as given, for the log */
	size_t argc;
	const char *config;	/* --config FILE */
};

/*
 * Parses `start`'s arguments (as typed, or from a log's start line) into
 * opts, whose strings point into argv. Free with hv_start_opts_release().
 */
int hv_start_opts_parse(char **argv, size_t argc, struct hv_start_opts *opts,
			struct hv_error *err);
void hv_start_opts_release(struct hv_start_opts *opts);

/* Opens the repository at path and whatever session it holds. */
int hv_session_open(const char *path, struct hv_session **out,
		    struct hv_error *err);
void hv_session_free(struct hv_session *s);

/* Reloads the state from disk (another process may have marked). */
int hv_session_reload(struct hv_session *s, struct hv_error *err);

int hv_session_start(struct hv_session *s, const struct hv_start_opts *opts,
		     struct hv_step *step, struct hv_error *err);

/*
 * What a word typed as a subcommand means in this session: good/bad,
 * old/new, the custom terms, or skip. Returns -1 for words that are no
 * term, and an error for a term of the wrong pair.
 */
int hv_session_term(struct hv_session *s, const char *word,
		    enum hv_term_kind *kind, struct hv_error *err);
/* The word for a kind in this session ("bad", "broken", "skip"...). */
const char *hv_session_term_name(const struct hv_session *s,
				 enum hv_term_kind kind);

/*
 * Marks revisions (ranges A..B expand to their commits; none means the
 * commit being tested), then computes the next step and checks it out.
 * The marks are on disk before the next step is computed: an error in
 * that (a checkout that would overwrite a file) loses no verdict.
 */
int hv_session_mark(struct hv_session *s, enum hv_term_kind kind,
		    char **revs, size_t nrevs, struct hv_step *step,
		    struct hv_error *err);

/* The same, with a reason logged before the marks ("# halve: why"). */
int hv_session_mark_why(struct hv_session *s, enum hv_term_kind kind,
			char **revs, size_t nrevs, const char *why,
			struct hv_step *step, struct hv_error *err);

/* Computes the next step; with checkout set, checks it out. */
int hv_session_next(struct hv_session *s, int checkout, struct hv_step *step,
		    struct hv_error *err);

/* The commit under test: BISECT_HEAD in no-checkout mode, else HEAD. */
int hv_session_current(struct hv_session *s, struct hv_oid *oid,
		       struct hv_error *err);

/* Ends the session (all nested frames too), checking out commit or the
 * branch the session started on. */
int hv_session_reset(struct hv_session *s, const char *commit,
		     struct hv_error *err);

/* Replays a BISECT_LOG-format file; a malformed line names its number. */
int hv_session_replay(struct hv_session *s, const char *file,
		      struct hv_step *step, struct hv_error *err);

/*
 * Opens a nested bisection inside the first bad merge: good = merge^1,
 * and merge^parent checked out to be tested first.
 */
int hv_session_descend(struct hv_session *s, int parent, struct hv_step *step,
		       struct hv_error *err);
/*
 * Is step a first bad commit that is a merge, one `--descend` goes into?
 * (halve run CMD and the pipeline both ask, then descend their own way.)
 */
int hv_session_found_merge(struct hv_session *s, const struct hv_step *step);
/* Leaves the innermost nested bisection, restoring the outer one. */
int hv_session_ascend(struct hv_session *s, struct hv_step *step,
		      struct hv_error *err);

/*
 * The candidates between top and bottoms (top's ancestors that no bottom
 * reaches) with the session's --first-parent and pathspec; *out is the
 * caller's. Served from the range cache when the range lies inside it.
 */
int hv_session_range(struct hv_session *s, const struct hv_oid *top,
		     const struct hv_oid *bottoms, size_t nbottoms,
		     struct hv_dag **out, struct hv_error *err);

/*
 * The same from the cache alone: 1 with *out set (the caller's), 0 when
 * the cache does not hold the range (nothing is walked).
 */
int hv_session_range_cached(struct hv_session *s, const struct hv_oid *top,
			    const struct hv_oid *bottoms, size_t nbottoms,
			    struct hv_dag **out);
/*
 * Puts dag, the range (top, bottoms) with the session's options walked
 * by the caller (the workstation walks in pieces), into the cache, which
 * owns it now; returns a copy for the caller.
 */
struct hv_dag *hv_session_range_keep(struct hv_session *s,
				     const struct hv_oid *top,
				     const struct hv_oid *bottoms,
				     size_t nbottoms, struct hv_dag *dag);

/* The candidate DAG of the current state with skips marked (for view). */
int hv_session_dag(struct hv_session *s, struct hv_dag **dag,
		   struct hv_error *err);

#endif
