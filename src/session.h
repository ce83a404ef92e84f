/*
 * session.h: a bisection as the faces see it: start, mark, next, reset,
 * replay, descend and ascend, over git's state (state.h), the candidate
 * DAG (graph.h) and the algorithm (bisect.h). It decides and records; it
 * never prints: every outcome comes back as a struct hv_step for the CLI
 * or the TUI to show.
 */
#ifndef HALVE_SESSION_H
#define HALVE_SESSION_H

#include "bisectlog.h"
#include "dag.h"
#include "graph.h"
#include "repo.h"

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
	HV_STEP_NO_CULPRIT,	/* --confidence: BAD's failure was a flake */
	HV_STEP_CONTRADICTION,	/* current (bad) reaches other (good) */
	HV_STEP_BUDGET,		/* --confidence: the run budget is spent before
				 * P; current the likeliest answer (BAD with
				 * none_likeliest: "no culprit") */
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
	int base_skipped;	/* a merge base that had to be tested is */
	struct hv_oid skipped_base;	/* skipped: git's warning */
	struct hv_oid other;	/* CONTRADICTION: the good commit */
	int reskipped;		/* a mark of a commit once skipped, or a */
	struct hv_oid skipped;	/* skip of one once marked: the commit */
	/* results weighed (--confidence): */
	int weighed;
	double confidence;	/* of the likeliest answer so far */
	uint32_t runs, commits;	/* results since the start, commits run */
	uint32_t bad_runs, bad_passes;	/* NO_CULPRIT: BAD's results */
	int none_likeliest;	/* BUDGET: "no culprit" is likeliest */
	/* the cost-aware choice (hv_session_set_rebuild), TEST: */
	int rebuild_known;	/* the build directory predicts current's */
	size_t rebuild;		/* objects a build of current compiles */
	size_t rebuild_objects;	/* of all the build directory knows */
	int costed;		/* current is not the midpoint, for its cost */
	size_t plain_rebuild;	/* costed: the midpoint's rebuild */
	double extra_steps;	/* costed: expected steps given up */
};

void hv_step_release(struct hv_step *step);

/* A nested bisection inside a merge (.git/halve/stack, one line each). */
struct hv_frame {
	struct hv_oid merge;
	int parent;		/* which parent was descended into */
	struct hv_oid side;	/* merge^parent, tested first */
};

/*
 * The session is opaque: the faces ask through the functions below and
 * never read its files or its fields (the core's own modules share
 * sessionint.h).
 */
struct hv_session;

/*
 * What a face may show of the state: a read-only view into the session,
 * valid until the next call that changes or reloads it.
 */
struct hv_marks {
	int active;			/* a bisection is in progress */
	const char *term_bad, *term_good;
	int have_bad;
	struct hv_oid bad;
	const struct hv_oid *goods, *skips;
	size_t ngoods, nskips;
	int first_parent, no_checkout;
	const struct hv_frame *frames;	/* descended merges, outermost first */
	size_t depth;
};

void hv_session_marks(const struct hv_session *s, struct hv_marks *m);

/*
 * The cost-aware choice (halve.conf(5), [bisect]): with tolerance > 0,
 * the next commit is the candidate cheapest to build from HEAD among
 * those whose expected steps are within tolerance of the midpoint's,
 * as the dependency files in build_dir (relative to the work tree; NULL:
 * the work tree itself) predict. Off while nothing has been built there,
 * with skipped commits, under --confidence; tolerance 0 turns it off
 * (git's midpoint). Kept while the session lives.
 */
void hv_session_set_rebuild(struct hv_session *s, const char *build_dir,
			    double tolerance);
/*
 * How many objects a checkout of oid would make the build directory
 * compile again, of how many: 1 with both, 0 when nothing predicts it
 * (the choice is off, nothing built yet).
 */
int hv_session_rebuild_cost(struct hv_session *s, const struct hv_oid *oid,
			    size_t *cost, size_t *objects);
/* The repository, for subjects and descriptions (repo.h). */
struct hv_repo *hv_session_repo(const struct hv_session *s);
/* BISECT_LOG's text, as `halve log` prints it ("" with no session). */
const char *hv_session_log(const struct hv_session *s);
/* The walk options of this session (--first-parent, the pathspec), and
 * the pathspec as one string to compare sessions by (malloc'd). */
void hv_session_graph_opts(const struct hv_session *s,
			   struct hv_graph_opts *opts);
char *hv_session_paths_key(const struct hv_session *s);
/*
 * The range the session started from, as its log says (the first bad
 * commit and the goods given with it); *goods is malloc'd.
 */
void hv_session_start_range(const struct hv_session *s, struct hv_oid *bad,
			    int *have_bad, struct hv_oid **goods,
			    size_t *ngoods);
/*
 * The range's name as typed on its start line ("v6.0..v6.1"), appended
 * to sb: this bisection's, or with outermost set the one the user began
 * before descending into merges. 0 when the start line names none.
 */
int hv_session_range_name(struct hv_session *s, int outermost,
			  struct strbuf *sb);

/*
 * --confidence: from now on results are weighed, not believed (the log
 * says so with "# halve confidence P"), and the search ends when one
 * answer holds probability p. hv_session_confidence() is that p, or 0
 * when results are believed, as git believes them.
 */
int hv_session_set_confidence(struct hv_session *s, double p,
			      struct hv_error *err);
double hv_session_confidence(const struct hv_session *s);
/*
 * The run budget of a weighed search (halve run --max-runs, [verdict]
 * max-runs): once n results have come since the start and no answer
 * holds P, the search stops with its likeliest answer (HV_STEP_BUDGET),
 * says so in the log, and leaves git's refs alone. HV_RUNS_DEFAULT: a
 * budget from the range (hv_noisy_budget). Never set (next, status,
 * marks by hand): no budget, but a search stopped at one stays stopped
 * until a new result comes.
 */
#define HV_RUNS_DEFAULT 0
void hv_session_set_max_runs(struct hv_session *s, uint32_t n);

/* One result: the start's own marks, every mark, every kept result. */
struct hv_observation {
	struct hv_oid oid;
	int bad;
	int64_t when;		/* seconds since the epoch; 0: not known */
};
/* The session's results in the order they came; *out is malloc'd. */
void hv_session_observations(const struct hv_session *s,
			     struct hv_observation **out, size_t *n);

/*
 * The likeliest answers as the results stand. Under --confidence
 * (weighed set): the k likeliest commits (at most HV_CANDIDATES_MAX),
 * likeliest first, each with its probability of being the first bad
 * commit; none, the probability that nothing is bad (BAD's failure was
 * a flake); others, what the commits not listed hold, so that the top,
 * others and none add up to 1; and the two rates the results taught
 * (posterior means): q, a bad commit passes, f, a good one fails. It is
 * the posterior the step weighed (kept until the log changes), never
 * weighed again for the asking.
 *
 * With results believed (no --confidence) there are no probabilities:
 * left is how many commits the marks still allow (skipped ones
 * included), and when they are at most k they are listed (p 0), newest
 * first. An error when nothing is being bisected or the range is not
 * known yet (no bad or no good commit).
 */
#define HV_CANDIDATES_MAX 32

struct hv_candidate {
	struct hv_oid oid;
	double p;		/* 0 when results are believed */
};

struct hv_candidates {
	int weighed;
	struct hv_candidate *top;	/* n entries, malloc'd */
	size_t n;
	uint32_t left;		/* commits the first bad one may be */
	double none, others;	/* weighed only */
	double q, f;		/* weighed only */
};

int hv_session_candidates(struct hv_session *s, size_t k,
			  struct hv_candidates *out, struct hv_error *err);
void hv_candidates_release(struct hv_candidates *c);

/*
 * A commit with oid's tree already marked in this session (good, bad or
 * a custom term; skips do not count, nor oid's own results): its verdict
 * holds for oid too, since the same tree builds and tests the same (a
 * revert and its reapply). 1 with *twin, the newest such commit, and
 * *kind, its mark; 0 when there is none, when two such commits were
 * marked differently, or when results are weighed (--confidence: a
 * repeat there is information, not a verdict to take).
 */
int hv_session_same_tree(struct hv_session *s, const struct hv_oid *oid,
			 struct hv_oid *twin, enum hv_term_kind *kind);
/* A commit's tree, as git's checkout sees it (replace refs applied). */
int hv_session_commit_tree(struct hv_session *s, const struct hv_oid *commit,
			   struct hv_oid *tree);

/* Opens the repository at path and whatever session it holds. */
int hv_session_open(const char *path, struct hv_session **out,
		    struct hv_error *err);
void hv_session_free(struct hv_session *s);

/*
 * A number that changes when another process changes the session (its
 * files, refs, HEAD, the steps' verdicts): the workstation polls it.
 */
uint64_t hv_session_stamp(const struct hv_session *s);

/*
 * Reloads the state from disk (another process may have marked). Every
 * change below also reloads first, holding the session lock (lock.h).
 */
int hv_session_reload(struct hv_session *s, struct hv_error *err);

/*
 * Starts a bisection, replacing the one in progress; with
 * opts->unless_active, a session in progress (read under the lock) is
 * kept and nothing is done: 0, and *step is empty.
 */
int hv_session_start(struct hv_session *s, const struct hv_start_opts *opts,
		     struct hv_step *step, struct hv_error *err);

/*
 * What a word typed as a subcommand means in this session: good/bad,
 * old/new, the custom terms, or skip. Returns -1 for words that are no
 * term, and an error for a term of the wrong pair. The answer may change
 * before a mark (another halve starts a session with other terms): a
 * mark of what the user typed is hv_session_mark_word().
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
/*
 * Several runs of one commit at once ([boot] slots, under --confidence):
 * each good or bad run one result (whys[i] logged before it), one next
 * step after the last. Skips are dropped when another run told; all
 * skips skip the commit once.
 */
int hv_session_mark_runs(struct hv_session *s, const struct hv_oid *commit,
			 const enum hv_term_kind *kinds, char **whys, size_t n,
			 struct hv_step *step, struct hv_error *err);

/*
 * The same, for a word the user typed (good, old, a custom term, skip):
 * what it means is decided under the lock, from the state read again.
 * A word that is no term then is an error.
 */
int hv_session_mark_word(struct hv_session *s, const char *word, char **revs,
			 size_t nrevs, struct hv_step *step,
			 struct hv_error *err);

/* Computes the next step; with checkout set, checks it out. */
int hv_session_next(struct hv_session *s, int checkout, struct hv_step *step,
		    struct hv_error *err);

/*
 * Puts oid where a test command looks (checked out, or BISECT_HEAD under
 * --no-checkout), under the lock, the work tree clean first: a commit
 * other than the step's, for verify and the pipeline's re-test.
 */
int hv_session_show(struct hv_session *s, const struct hv_oid *oid,
		    struct hv_error *err);
/* The commit under test: BISECT_HEAD in no-checkout mode, else HEAD. */
int hv_session_current(struct hv_session *s, struct hv_oid *oid,
		       struct hv_error *err);

/* Ends the session (all nested frames too), checking out commit or the
 * branch the session started on. */
int hv_session_reset(struct hv_session *s, const char *commit,
		     struct hv_error *err);

/*
 * Replays a BISECT_LOG-format file; a malformed line names its number.
 * A replay that fails part way leaves the session as it was.
 */
int hv_session_replay(struct hv_session *s, const char *file,
		      struct hv_step *step, struct hv_error *err);

/*
 * Takes back the last mark (what the workstation's u does), all of the
 * commits of that command when it marked many (skip A..B): the log
 * without them is replayed, inside the descended merges the session is
 * in. "undo: no mark to undo" when there is none.
 */
int hv_session_undo(struct hv_session *s, struct hv_step *step,
		    struct hv_error *err);

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
