/*
 * verify.h: checking a named culprit before anyone is told (`halve verify
 * [CMD]`, `halve run --verify [CMD]`; issue 9 D). The culprit's parents must
 * pass, the culprit and BAD must fail, and BAD with the culprit reverted
 * (a commit on no branch) must pass, each run as often as it takes to be
 * sure to the session's confidence under the rates its results show.
 * Culprits that deserve doubt are flagged: a merge, a commit that changes
 * only documentation, one whose build (kept by the pipeline, artifacts.h)
 * is byte for byte its parent's.
 */
#ifndef HALVE_VERIFY_H
#define HALVE_VERIFY_H

#include "pipeline.h"
#include "session.h"

struct hv_verify_ops {
	/* about to run the command on commit, for check ("parent",
	 * "culprit", "BAD", "BAD without the culprit") */
	void (*running)(void *arg, const char *check,
			const struct hv_oid *commit);
};

struct hv_verify_tally {
	uint32_t fails, runs;
};

struct hv_verify_report {
	int verified;		/* every check came out as it should */
	struct hv_oid culprit, bad;
	struct hv_verify_tally parents, culprit_runs, bad_runs, revert_runs;
	char *failed;		/* the check that failed, and what it means */
	char *revert_note;	/* why BAD without the culprit was not run */
	int is_merge;		/* doubts: a merge culprit, */
	int docs_only;		/* one that changes only documentation, */
	int same_build;		/* one whose kept build is its parent's */
};

void hv_verify_report_release(struct hv_verify_report *r);

/*
 * The checks as a state machine, for a driver that runs commits its own
 * way (the pipeline). new: -1 with err when the session has no culprit.
 * next: puts the next commit to run where the test looks (the lock
 * taken for it) and returns 1 with it in *commit; 0 when the checks are
 * over (the culprit checked out again, the outcome in the log and in
 * hv_verifier_report); -1 with err. result: the verdict of that run (a
 * skip runs it again), kept as a result of the session when the commit
 * is in the range. free: a verifier stopped half way puts the culprit
 * back without logging anything.
 */
struct hv_verifier;
int hv_verifier_new(struct hv_session *s, double p,
		    const struct hv_verify_ops *ops, void *arg,
		    struct hv_verifier **out, struct hv_error *err);
int hv_verifier_next(struct hv_verifier *v, struct hv_oid *commit,
		     struct hv_error *err);
int hv_verifier_result(struct hv_verifier *v, enum hv_rule_kind verdict,
		       struct hv_error *err);
const struct hv_verify_report *hv_verifier_report(const struct hv_verifier *v);
void hv_verifier_free(struct hv_verifier *v);

/* The pipeline's plan (pipeline.h) of a verifier: its arg. */
extern const struct hv_pipeline_plan hv_verify_plan;

/*
 * Runs the checks with the command line argv (through the shell, as run
 * CMD), records every run as a result of the session, and leaves the
 * culprit checked out. p: how sure each check must be (0: the session's
 * --confidence, else 0.99). -1 with err when there is no culprit to
 * verify or a command cannot run; a check that fails is no error.
 */
int hv_session_verify(struct hv_session *s, char **argv, size_t argc,
		      double p, const struct hv_verify_ops *ops, void *arg,
		      struct hv_verify_report *r, struct hv_error *err);

/* "verified: parent good 4/4, culprit bad 3/3, ..." or "not verified: ..."
 * appended to sb, one line. */
void hv_verify_summary(const struct hv_verify_report *r, struct strbuf *sb);
/* One "doubt: ..." line (newline-ended) per doubt, appended to sb. */
void hv_verify_doubts(const struct hv_verify_report *r, struct strbuf *sb);

#endif
