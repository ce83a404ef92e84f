/*
 * verify.h: checking a named culprit before anyone is told (`halve verify
 * CMD`, `halve run --verify CMD`; issue 9 D). The culprit's parents must
 * pass, the culprit and BAD must fail, and BAD with the culprit reverted
 * (a commit on no branch) must pass, each run as often as it takes to be
 * sure to the session's confidence under the rates its results show.
 * Culprits that deserve doubt are flagged: a merge, a commit that changes
 * only documentation.
 */
#ifndef HALVE_VERIFY_H
#define HALVE_VERIFY_H

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
	int docs_only;		/* one that changes only documentation */
};

void hv_verify_report_release(struct hv_verify_report *r);

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

#endif
