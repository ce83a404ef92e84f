/*
 * verify.c: `halve verify CMD` (see verify.h).
 *
 * Each check runs one commit until the chance that it is bad (or good)
 * passes the target, with the rates the session's results show (q: a
 * bad commit passes; f: a good one fails) and even odds before the first
 * run: a test that never lied needs two runs a check, a flaky one more.
 * Runs of commits in the range are results of the session like any other
 * ("# halve observed" lines), so that a check that fails also moves a
 * --confidence search; the reverted commit is on no branch and nothing
 * records it but the report.
 */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "rules.h"
#include "runcmd.h"
#include "sessionint.h"
#include "util.h"
#include "verdict.h"
#include "verify.h"

/* A check that has run this often without being sure gives up. */
#define MAX_RUNS 16

struct verifier {
	struct hv_session *s;
	char *line;
	const char *name;
	double p, q, f;
	const struct hv_verify_ops *ops;
	void *arg;
};

void
hv_verify_report_release(struct hv_verify_report *r)
{
	free(r->failed);
	free(r->revert_note);
	r->failed = r->revert_note = NULL;
}

/* P(bad) after these runs, from even odds. */
static double
chance_bad(const struct verifier *v, const struct hv_verify_tally *t)
{
	uint32_t passes = t->runs - t->fails;
	double lb = passes * log(v->q) + t->fails * log1p(-v->q);
	double lg = t->fails * log(v->f) + passes * log1p(-v->f);

	return 1 / (1 + exp(lg - lb));
}

/* One run: 1 it failed, 0 it passed, 2 it said skip, -1 error. */
static int
run_one(struct verifier *v, const char *check, const struct hv_oid *commit,
	int record, struct hv_error *err)
{
	enum hv_rule_kind verdict;
	int code, rc = 0;

	if (hv_session_show(v->s, commit, err) < 0)
		return -1;
	if (v->ops && v->ops->running)
		v->ops->running(v->arg, check, commit);
	code = hv_runcmd_exec(v->line, v->s->repo->workdir);
	verdict = hv_rules_exit_code(code);
	if (verdict == HV_RULE_NONE)
		return hv_error_set(err, "verify: %s: exit code %d (128 or more "
				    "aborts)", v->name, code);
	if (verdict == HV_RULE_SKIP)
		return 2;
	if (record) {
		if (begin_change(v->s, 0, err) < 0)
			return -1;
		/* the term after the reload: the one before is freed */
		rc = confidence_observe(v->s, hv_session_term_name(v->s,
					hv_verdict_term(verdict)), commit, 1, 0,
					err);
		end_change(v->s);
		if (rc < 0)
			return -1;
	}
	return verdict == HV_RULE_BAD;
}

/*
 * Runs commit until it is bad (want_bad) or good with probability p:
 * 1 when it is, 0 when the other way or not sure after MAX_RUNS.
 */
static int
check(struct verifier *v, const char *what, const struct hv_oid *commit,
      int want_bad, int record, struct hv_verify_tally *t,
      struct hv_error *err)
{
	uint32_t tries;

	for (tries = 0; tries < MAX_RUNS; tries++) {
		double pb = chance_bad(v, t);
		int rc;

		if (t->runs && (want_bad ? pb >= v->p : pb <= 1 - v->p))
			return 1;
		if (t->runs && (want_bad ? pb <= 1 - v->p : pb >= v->p))
			return 0;
		rc = run_one(v, what, commit, record, err);
		if (rc < 0)
			return -1;
		if (rc == 2)
			continue;
		t->runs++;
		t->fails += rc;
	}
	return 0;
}

/* Only documentation: nothing a build reads. */
static int
docs_only(char **paths, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const char *p = paths[i], *dot = strrchr(p, '.');

		if (strncmp(p, "Documentation/", 14) && strncmp(p, "doc/", 4) &&
		    !(dot && (!strcmp(dot, ".rst") || !strcmp(dot, ".md") ||
			      !strcmp(dot, ".txt"))))
			return 0;
	}
	return 1;
}

static void
fail_check(struct hv_verify_report *r, const char *fmt, ...)
	HV_PRINTF(2, 3);

static void
fail_check(struct hv_verify_report *r, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	r->failed = sb_detach(&sb);
}

/* A commit that must fail: 1 it does, 0 not (said in r), -1 error. */
static int
must_fail(struct verifier *v, struct hv_verify_report *r, const char *what,
	  const struct hv_oid *commit, struct hv_verify_tally *t,
	  const char *meaning, struct hv_error *err)
{
	int ok = check(v, what, commit, 1, 1, t, err);

	if (ok == 0)
		fail_check(r, "%s%s passed %u of %u runs: %s",
			   strcmp(what, "BAD") ? "the " : "", what,
			   t->runs - t->fails, t->runs, meaning);
	return ok;
}

static int
run_checks(struct verifier *v, struct hv_verify_report *r,
	   struct hv_error *err)
{
	struct hv_oid *parents = NULL, reverted;
	size_t np = 0, i;
	char hex[41];
	int rc = -1, ok;

	if (hv_repo_parents(v->s->repo, &r->culprit, &parents, &np, err) < 0)
		return -1;
	r->is_merge = np > 1;
	if (v->s->st.first_parent && np > 1)
		np = 1;
	for (i = 0; i < np; i++) {
		struct hv_verify_tally t = { 0, 0 };

		if ((ok = check(v, "parent", &parents[i], 0, 1, &t, err)) < 0)
			goto out;
		r->parents.runs += t.runs;
		r->parents.fails += t.fails;
		if (!ok) {
			hv_oid_fmt(hex, &parents[i]);
			fail_check(r, "parent %.12s failed %u of %u runs: the "
				   "culprit may be earlier, or the test fails "
				   "on good commits too", hex, t.fails, t.runs);
			rc = 0;
			goto out;
		}
	}
	if ((ok = must_fail(v, r, "culprit", &r->culprit, &r->culprit_runs,
			    "a flake may have named it", err)) != 1)
		goto done;
	if (hv_oid_cmp(&r->bad, &r->culprit) &&
	    (ok = must_fail(v, r, "BAD", &r->bad, &r->bad_runs,
			    "its failure does not come back", err)) != 1)
		goto done;
	if (hv_repo_revert_onto(v->s->repo, &r->culprit, &r->bad, &reverted,
				err) < 0) {
		/* a revert that does not apply says nothing of the culprit */
		r->revert_note = xstrdup(err && err->msg ? err->msg
						  : "revert failed");
		hv_error_clear(err);
	} else {
		if ((ok = check(v, "BAD without the culprit", &reverted, 0, 0,
				&r->revert_runs, err)) < 0)
			goto out;
		if (!ok) {
			fail_check(r, "BAD without the culprit failed %u of %u "
				   "runs: the culprit is not the cause, or not "
				   "the only one", r->revert_runs.fails,
				   r->revert_runs.runs);
			rc = 0;
			goto out;
		}
	}
	r->verified = 1;
	rc = 0;
	goto out;
done:
	rc = ok < 0 ? -1 : 0;
out:
	free(parents);
	return rc;
}

int
hv_session_verify(struct hv_session *s, char **argv, size_t argc, double p,
		  const struct hv_verify_ops *ops, void *arg,
		  struct hv_verify_report *r, struct hv_error *err)
{
	struct verifier v = { s, NULL, NULL, p, 0, 0, ops, arg };
	struct hv_oid *goods = NULL;
	struct hv_step step;
	char **paths = NULL;
	size_t ngoods, npaths;
	int have_bad, rc = -1;

	memset(r, 0, sizeof(*r));
	if (!argc)
		return hv_error_set(err, "verify: no command to run");
	if (hv_session_next(s, 0, &step, err) < 0)
		return -1;
	if (step.outcome != HV_STEP_FOUND) {
		hv_step_release(&step);
		return hv_error_set(err, "verify: no first %s commit to verify "
				    "yet", hv_session_term_name(s, HV_TERM_NEW));
	}
	r->culprit = step.current;
	hv_step_release(&step);
	hv_session_start_range(s, &r->bad, &have_bad, &goods, &ngoods);
	free(goods);
	if (!have_bad)
		r->bad = s->st.bad;
	if (!v.p)
		v.p = hv_session_confidence(s) > 0 ? hv_session_confidence(s)
						    : 0.99;
	if (confidence_rates(s, &v.q, &v.f, err) < 0)
		return -1;
	/* never certainty: one contrary run must still count */
	v.q = v.q < 0.02 ? 0.02 : v.q > 0.9 ? 0.9 : v.q;
	v.f = v.f < 0.001 ? 0.001 : v.f > 0.2 ? 0.2 : v.f;
	v.line = hv_runcmd_line(argv, argc);
	v.name = argv[0];
	if (hv_repo_changed_paths(s->repo, &r->culprit, &paths, &npaths,
				  err) < 0)
		goto out;
	r->docs_only = docs_only(paths, npaths);
	hv_argv_free(paths);
	if (run_checks(&v, r, err) < 0)
		goto out;
	rc = 0;
out:
	free(v.line);
	/* the culprit back where the session had it, and the outcome logged */
	if (begin_change(s, 0, rc < 0 ? NULL : err) == 0) {
		struct strbuf sb = STRBUF_INIT;

		if (session_go_to(s, &r->culprit, 1, rc < 0 ? NULL : err) < 0)
			rc = -1;
		hv_verify_summary(r, &sb);
		if (rc == 0) {
			hv_log_add_reason(&s->st.log, "%s", sb.buf);
			if (hv_state_write_log(s->repo, &s->st, err) < 0)
				rc = -1;
		}
		sb_release(&sb);
		end_change(s);
	} else {
		rc = -1;
	}
	return rc;
}

static void
add_tally(struct strbuf *sb, int *first, const char *what, const char *want,
	  const struct hv_verify_tally *t, int want_bad)
{
	if (!t->runs)
		return;
	sb_addf(sb, "%s%s %s %u/%u", *first ? " " : ", ", what, want,
		want_bad ? t->fails : t->runs - t->fails, t->runs);
	*first = 0;
}

void
hv_verify_summary(const struct hv_verify_report *r, struct strbuf *sb)
{
	int first = 1;

	if (!r->verified) {
		sb_addf(sb, "not verified: %s", r->failed ? r->failed : "?");
		return;
	}
	sb_adds(sb, "verified:");
	add_tally(sb, &first, "parent", "good", &r->parents, 0);
	add_tally(sb, &first, "culprit", "bad", &r->culprit_runs, 1);
	add_tally(sb, &first, "BAD without culprit", "good", &r->revert_runs,
		  0);
	add_tally(sb, &first, "BAD", "bad", &r->bad_runs, 1);
	if (r->revert_note)
		sb_addf(sb, " (BAD without culprit not run: %s)",
			r->revert_note);
}
