/*
 * state.h: the bisection state, kept in git's own files and refs so that
 * git, tig and lazygit see a halve session and halve continues one that
 * `git bisect start` began:
 *
 *   refs/bisect/<new>, refs/bisect/<old>-<sha>, refs/bisect/skip-<sha>,
 *   BISECT_START, BISECT_LOG, BISECT_TERMS, BISECT_NAMES,
 *   BISECT_FIRST_PARENT, BISECT_EXPECTED_REV, BISECT_HEAD,
 *   BISECT_ANCESTORS_OK.
 *
 * Every file is replaced atomically (written aside, then renamed). This
 * module reads and writes; it decides nothing.
 */
#ifndef HALVE_STATE_H
#define HALVE_STATE_H

#include "repo.h"

struct hv_state {
	int active;		/* BISECT_START exists */
	char *start_head;	/* branch name or hex, from BISECT_START */
	char *term_bad, *term_good;	/* "bad", "good" unless customised */
	int terms_set;		/* BISECT_TERMS exists */
	int have_bad;
	struct hv_oid bad;
	struct hv_oid *goods, *skips;
	size_t ngoods, nskips;
	int first_parent;
	int no_checkout;	/* BISECT_HEAD exists */
	char **paths;		/* from BISECT_NAMES */
	size_t npaths;
	struct strbuf log;	/* BISECT_LOG as read or as amended */
};

/*
 * Reads the state. A damaged file gives -1 with its name in err, but st
 * holds everything else (release it either way).
 */
int hv_state_load(struct hv_repo *repo, struct hv_state *st,
		  struct hv_error *err);
void hv_state_release(struct hv_state *st);

/* The pathspec as one string (a key to compare sessions by); malloc'd. */
char *hv_state_paths_key(const struct hv_state *st);

/* Appends "# term: [hex] subject" and, unless nolog, "git bisect term hex". */
void hv_state_log_mark(struct hv_repo *repo, struct hv_state *st,
		       const char *term, const struct hv_oid *oid, int nolog);

/*
 * Writes the session-wide files (BISECT_TERMS once terms_set, BISECT_NAMES,
 * BISECT_FIRST_PARENT, BISECT_HEAD when no_checkout, BISECT_LOG) and,
 * last, BISECT_START: until it exists there is no session to resume.
 */
int hv_state_write_session(struct hv_repo *repo, const struct hv_state *st,
			   const struct hv_oid *head, struct hv_error *err);
/* BISECT_TERMS: the new term, then the old, a line each. */
int hv_state_write_terms(struct hv_repo *repo, const struct hv_state *st,
			 struct hv_error *err);
/* Writes one mark's ref; the log is written by hv_state_write_log(). */
int hv_state_write_mark(struct hv_repo *repo, const struct hv_state *st,
			const char *term, const struct hv_oid *oid,
			struct hv_error *err);
int hv_state_write_log(struct hv_repo *repo, const struct hv_state *st,
		       struct hv_error *err);
/* The commit to test: BISECT_EXPECTED_REV, and BISECT_HEAD if used. */
int hv_state_write_expected(struct hv_repo *repo, const struct hv_state *st,
			    const struct hv_oid *oid, struct hv_error *err);
int hv_state_read_expected(struct hv_repo *repo, struct hv_oid *oid);
/* BISECT_HEAD's commit (no-checkout mode), 1 when present. */
int hv_state_read_bisect_head(struct hv_repo *repo, struct hv_oid *oid);
int hv_state_ancestors_ok(struct hv_repo *repo);
int hv_state_set_ancestors_ok(struct hv_repo *repo, struct hv_error *err);
/* Removes BISECT_ANCESTORS_OK and BISECT_EXPECTED_REV (git's
 * check_expected_revs()). */
int hv_state_clear_expected(struct hv_repo *repo, struct hv_error *err);

/* Removes every file and ref of the session (git bisect reset's cleanup). */
int hv_state_clear(struct hv_repo *repo, struct hv_error *err);
/*
 * Removes what a killed writer can leave beside them: BISECT_*.tmp.*
 * files and refs/bisect/ lock files.
 */
void hv_state_clear_strays(struct hv_repo *repo);

/* The names of the state files, for copying a frame aside (descend). */
extern const char *const hv_state_files[];
extern const int hv_state_nfiles;

#endif
