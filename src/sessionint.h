/*
 * sessionint.h: what the session's own files share (session.c, frames.c,
 * replay.c, rangecache.c) and the core modules that work for a session
 * (pipeline.c). Not for the faces: they go through session.h.
 */
#ifndef HALVE_SESSIONINT_H
#define HALVE_SESSIONINT_H

#include "lock.h"
#include "session.h"
#include "state.h"

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
	char *pending_bad, *pending_good;	/* terms a first mark chose */
	struct hv_lock *lock;	/* held while a change is made */
	int locks;		/* nested begin_change() calls */
	char *damage;		/* why the files cannot be read: only reset
				 * works then */
	struct weighed_cache *weighed;	/* confidence.c: the last posterior */
	int budgeted;		/* hv_session_set_max_runs was called */
	uint32_t max_runs;	/* its n (HV_RUNS_DEFAULT: from the range) */
	struct session_rebuild *rebuild;	/* costpick.c; NULL: off */
};

/*
 * costpick.c: the next commit of a plain bisection, cost-aware when the
 * session was told to be (hv_session_set_rebuild); fills step's rebuild
 * figures.
 */
struct hv_pick;
void session_pick(struct hv_session *s, const struct hv_dag *dag,
		  struct hv_pick *pk, struct hv_step *step);
void session_rebuild_free(struct hv_session *s);

/* .git/halve/NAME; malloc'd. */
char *session_path(const struct hv_session *s, const char *name);
/* Removes .git/halve/NAME, a file or a tree, if it is there. */
void session_remove(const struct hv_session *s, const char *name);

/*
 * A change: takes the lock, undoes a change a killed halve left half
 * made, reloads the state. With tolerant set (reset, start), damaged
 * files do not stop it, and a half-made change is rolled back only when
 * that works. Every begin_change() is paired with an end_change().
 */
int begin_change(struct hv_session *s, int tolerant, struct hv_error *err);
void end_change(struct hv_session *s);
/* fn(s, step, err) between begin_change() and end_change(). */
int run_changed(struct hv_session *s,
		int (*fn)(struct hv_session *, struct hv_step *,
			  struct hv_error *),
		struct hv_step *step, struct hv_error *err);

int session_start(struct hv_session *s, const struct hv_start_opts *opts,
		  struct hv_step *step, struct hv_error *err);
int session_mark(struct hv_session *s, enum hv_term_kind kind, char **revs,
		 size_t nrevs, const char *why, struct hv_step *step,
		 struct hv_error *err);
int session_next(struct hv_session *s, int checkout, struct hv_step *step,
		 struct hv_error *err);
/* Moves the work tree (or only BISECT_HEAD) to the commit to test;
 * with checkout unset, writes nothing. */
int session_go_to(struct hv_session *s, const struct hv_oid *oid,
		  int checkout, struct hv_error *err);
/*
 * Shows a test command another commit than the step's (run's check on a
 * good commit, verify): checked out, or under --no-checkout in
 * BISECT_HEAD, which is where such a command looks. The caller holds the
 * lock.
 */
int session_show(struct hv_session *s, const struct hv_oid *oid,
		 struct hv_error *err);
/* The part of a reset after the checkout (also to finish a killed one). */
int session_finish_reset(struct hv_session *s, struct hv_error *err);

/* frames.c: the stack of descended merges, and the journal. */
int frames_load(struct hv_session *s, struct hv_error *err);
int frames_write(struct hv_session *s, struct hv_error *err);
/*
 * The journal of a change that replaces the state as a whole (start,
 * replay, undo, descend, ascend): journal_begin() saves the state aside
 * and then writes .git/halve/intent; journal_commit() removes them.
 * A halve killed in between leaves the intent, and the next change (or
 * open) puts the saved state back: journal_recover(), which also
 * finishes a reset (its intent says "reset"), and removes the
 * temporary files of writes a killed halve left. Returns 1 when it
 * recovered something.
 */
int journal_begin(struct hv_session *s, struct hv_error *err);
void journal_commit(struct hv_session *s);
int journal_rollback(struct hv_session *s, struct hv_error *err);
int journal_recover(struct hv_session *s, struct hv_error *err);

/* confidence.c: results kept without marks, the weighed next step, and
 * the contradictions of believed marks (1 when step was filled). A
 * result's when is seconds since the epoch, 0 for now. */
int confidence_observe(struct hv_session *s, const char *term,
		       const struct hv_oid *oids, size_t n, int64_t when,
		       struct hv_error *err);
int confidence_next(struct hv_session *s, int checkout, struct hv_step *step,
		    struct hv_error *err);
int confidence_contradiction(struct hv_session *s, struct hv_step *step);
/* The two rates as the session's results so far tell them (posterior
 * means): q, a bad commit passes; f, a good one fails. */
int confidence_rates(struct hv_session *s, double *q, double *f,
		     struct hv_error *err);
/* Frees what hv_session_candidates() keeps (at hv_session_free()). */
void confidence_forget(struct hv_session *s);

/* rangecache.c */
void range_cache_clear(struct hv_range_cache *rc);

#endif
