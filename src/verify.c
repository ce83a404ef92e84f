/*
 * verify.c: checking a named culprit (see verify.h).
 *
 * Each check runs one commit until the chance that it is bad (or good)
 * passes the target, with the rates the session's results show (q: a
 * bad commit passes; f: a good one fails) and even odds before the first
 * run: a test that never lied needs two runs a check, a flaky one more.
 * Runs of commits in the range are results of the session like any other
 * ("# halve observed" lines), so that a check that fails also moves a
 * --confidence search; the reverted commit is on no branch and nothing
 * records it but the report.
 *
 * The checks are a state machine (struct hv_verifier): next() says which
 * commit to run, result() takes its verdict. Two drivers run it: a
 * command run in this process (hv_session_verify), and the pipeline,
 * which builds and boots each commit from its loop (hv_verify_plan).
 */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "artifacts.h"
#include "rules.h"
#include "runcmd.h"
#include "sessionint.h"
#include "util.h"
#include "verdict.h"
#include "verify.h"

/* A check that has run this often without being sure gives up. */
#define MAX_RUNS 16

/* The checks, in the order they run. */
enum check {
	CHECK_PARENT,		/* each parent (the first only, first-parent) */
	CHECK_CULPRIT,
	CHECK_BAD,		/* skipped when BAD is the culprit */
	CHECK_REVERT,		/* BAD with the culprit reverted */
	CHECK_DONE,
};

struct hv_verifier {
	struct hv_session *s;
	double p, q, f;
	const struct hv_verify_ops *ops;
	void *arg;
	struct hv_verify_report r;
	struct hv_oid *parents;
	size_t nparents, parent;	/* the parent under check */
	struct hv_oid reverted;
	enum check check;
	struct hv_verify_tally t;	/* the check under way */
	uint32_t tries;			/* its runs, skips included */
	int finished;			/* the culprit is back, the log says */
	int moved;			/* a check checked something out */
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
chance_bad(const struct hv_verifier *v, const struct hv_verify_tally *t)
{
	uint32_t passes = t->runs - t->fails;
	double lb = passes * log(v->q) + t->fails * log1p(-v->q);
	double lg = t->fails * log(v->f) + passes * log1p(-v->f);

	return 1 / (1 + exp(lg - lb));
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

int
hv_verifier_new(struct hv_session *s, double p,
		const struct hv_verify_ops *ops, void *arg,
		struct hv_verifier **out, struct hv_error *err)
{
	struct hv_verifier *v;
	struct hv_oid *goods = NULL;
	struct hv_step step;
	char **paths = NULL;
	size_t ngoods, npaths;
	int have_bad;

	*out = NULL;
	if (hv_session_next(s, 0, &step, err) < 0)
		return -1;
	if (step.outcome != HV_STEP_FOUND) {
		hv_step_release(&step);
		return hv_error_set(err, "verify: no first %s commit to verify "
				    "yet", hv_session_term_name(s, HV_TERM_NEW));
	}
	v = xcalloc(1, sizeof(*v));
	v->s = s;
	v->ops = ops;
	v->arg = arg;
	v->r.culprit = step.current;
	hv_step_release(&step);
	hv_session_start_range(s, &v->r.bad, &have_bad, &goods, &ngoods);
	free(goods);
	if (!have_bad)
		v->r.bad = s->st.bad;
	v->p = p ? p : hv_session_confidence(s) > 0 ? hv_session_confidence(s)
						   : 0.99;
	if (confidence_rates(s, &v->q, &v->f, err) < 0)
		goto fail;
	/* never certainty: one contrary run must still count */
	v->q = v->q < 0.02 ? 0.02 : v->q > 0.9 ? 0.9 : v->q;
	v->f = v->f < 0.001 ? 0.001 : v->f > 0.2 ? 0.2 : v->f;
	if (hv_repo_changed_paths(s->repo, &v->r.culprit, &paths, &npaths,
				  err) < 0)
		goto fail;
	v->r.docs_only = docs_only(paths, npaths);
	hv_argv_free(paths);
	if (hv_repo_parents(s->repo, &v->r.culprit, &v->parents, &v->nparents,
			    err) < 0)
		goto fail;
	v->r.is_merge = v->nparents > 1;
	if (s->st.first_parent && v->nparents > 1)
		v->nparents = 1;
	v->check = v->nparents ? CHECK_PARENT : CHECK_CULPRIT;
	*out = v;
	return 0;
fail:
	free(v);
	return -1;
}

/* The commit the check under way runs, and what it wants of it. */
static const struct hv_oid *
check_commit(const struct hv_verifier *v, const char **what, int *want_bad)
{
	switch (v->check) {
	case CHECK_PARENT:
		*what = "parent";
		*want_bad = 0;
		return &v->parents[v->parent];
	case CHECK_CULPRIT:
		*what = "culprit";
		*want_bad = 1;
		return &v->r.culprit;
	case CHECK_BAD:
		*what = "BAD";
		*want_bad = 1;
		return &v->r.bad;
	case CHECK_REVERT:
		*what = "BAD without the culprit";
		*want_bad = 0;
		return &v->reverted;
	case CHECK_DONE:
		break;
	}
	return NULL;
}

/* Has the check under way an outcome? 1 as wanted, 0 not, -1 not yet. */
static int
outcome(const struct hv_verifier *v, int want_bad)
{
	double pb = chance_bad(v, &v->t);

	if (v->t.runs && (want_bad ? pb >= v->p : pb <= 1 - v->p))
		return 1;
	if (v->t.runs && (want_bad ? pb <= 1 - v->p : pb >= v->p))
		return 0;
	return v->tries >= MAX_RUNS ? 0 : -1;
}

/* The runs of the check under way, added to its line of the report. */
static void
tally(struct hv_verifier *v)
{
	struct hv_verify_tally *into[] = {
		[CHECK_PARENT] = &v->r.parents,
		[CHECK_CULPRIT] = &v->r.culprit_runs,
		[CHECK_BAD] = &v->r.bad_runs,
		[CHECK_REVERT] = &v->r.revert_runs,
	};

	into[v->check]->runs += v->t.runs;
	into[v->check]->fails += v->t.fails;
}

/* Says in the report why a check came out the wrong way; the end. */
static void
failed(struct hv_verifier *v)
{
	const struct hv_verify_tally *t = &v->t;
	char hex[41];

	tally(v);
	switch (v->check) {
	case CHECK_PARENT:
		hv_oid_fmt(hex, &v->parents[v->parent]);
		fail_check(&v->r, "parent %.12s failed %u of %u runs: the "
			   "culprit may be earlier, or the test fails on good "
			   "commits too", hex, t->fails, t->runs);
		break;
	case CHECK_CULPRIT:
		fail_check(&v->r, "the culprit passed %u of %u runs: a flake "
			   "may have named it", t->runs - t->fails, t->runs);
		break;
	case CHECK_BAD:
		fail_check(&v->r, "BAD passed %u of %u runs: its failure does "
			   "not come back", t->runs - t->fails, t->runs);
		break;
	case CHECK_REVERT:
		fail_check(&v->r, "BAD without the culprit failed %u of %u "
			   "runs: the culprit is not the cause, or not the "
			   "only one", t->fails, t->runs);
		break;
	case CHECK_DONE:
		break;
	}
	v->check = CHECK_DONE;
}

/* Adds the check just passed to the report and moves to the next. */
static void
advance(struct hv_verifier *v)
{
	struct hv_error err = HV_ERROR_INIT;

	tally(v);
	memset(&v->t, 0, sizeof(v->t));
	v->tries = 0;
	if (v->check == CHECK_PARENT && ++v->parent < v->nparents)
		return;
	v->check++;
	if (v->check == CHECK_BAD && !hv_oid_cmp(&v->r.bad, &v->r.culprit))
		v->check++;
	if (v->check == CHECK_REVERT &&
	    hv_repo_revert_onto(v->s->repo, &v->r.culprit, &v->r.bad,
				&v->reverted, &err) < 0) {
		/* a revert that does not apply says nothing of the culprit */
		v->r.revert_note = xstrdup(err.msg ? err.msg : "revert failed");
		hv_error_clear(&err);
		v->check = CHECK_DONE;
	}
	if (v->check == CHECK_DONE)
		v->r.verified = 1;
}

static void
step_dir_of(const struct hv_verifier *v, const struct hv_oid *commit,
	    char **dir)
{
	char hex[41];

	hv_oid_fmt(hex, commit);
	*dir = xasprintf("%shalve/steps/%s", v->s->repo->gitdir, hex);
}

/* The culprit back where the session had it, and the outcome logged. */
static int
finish(struct hv_verifier *v, struct hv_error *err)
{
	struct strbuf sb = STRBUF_INIT;
	int rc = 0;

	if (v->finished)
		return 0;
	v->finished = 1;
	if (v->nparents) {
		char *a, *b;

		step_dir_of(v, &v->r.culprit, &a);
		step_dir_of(v, &v->parents[0], &b);
		v->r.same_build = hv_artifacts_same(a, b) == 1;
		free(a);
		free(b);
	}
	if (begin_change(v->s, 0, err) < 0)
		return -1;
	if (session_go_to(v->s, &v->r.culprit, 1, err) < 0)
		rc = -1;
	hv_verify_summary(&v->r, &sb);
	if (rc == 0) {
		hv_log_add_reason(&v->s->st.log, "%s", sb.buf);
		rc = hv_state_write_log(v->s->repo, &v->s->st, err);
	}
	sb_release(&sb);
	end_change(v->s);
	return rc;
}

int
hv_verifier_next(struct hv_verifier *v, struct hv_oid *commit,
		 struct hv_error *err)
{
	for (;;) {
		const struct hv_oid *c;
		const char *what = NULL;
		int want_bad = 0, ok;

		if (v->check == CHECK_DONE)
			return finish(v, err) < 0 ? -1 : 0;
		c = check_commit(v, &what, &want_bad);
		ok = outcome(v, want_bad);
		if (ok == 1) {
			advance(v);
		} else if (ok == 0) {
			failed(v);
		} else {
			v->moved = 1;
			if (hv_session_show(v->s, c, err) < 0)
				return -1;
			if (v->ops && v->ops->running)
				v->ops->running(v->arg, what, c);
			*commit = *c;
			return 1;
		}
	}
}

int
hv_verifier_result(struct hv_verifier *v, enum hv_rule_kind verdict,
		   struct hv_error *err)
{
	const struct hv_oid *c;
	const char *what = NULL;
	int want_bad = 0, rc = 0;

	if (v->check == CHECK_DONE)
		return 0;
	c = check_commit(v, &what, &want_bad);
	v->tries++;
	if (verdict != HV_RULE_GOOD && verdict != HV_RULE_BAD)
		return 0;	/* a skip runs it again */
	v->t.runs++;
	v->t.fails += verdict == HV_RULE_BAD;
	if (v->check != CHECK_REVERT) {
		if (begin_change(v->s, 0, err) < 0)
			return -1;
		/* the term after the reload: the one before is freed */
		rc = confidence_observe(v->s, hv_session_term_name(v->s,
					hv_verdict_term(verdict)), c, 1, 0,
					err);
		end_change(v->s);
	}
	return rc;
}

const struct hv_verify_report *
hv_verifier_report(const struct hv_verifier *v)
{
	return &v->r;
}

void
hv_verifier_free(struct hv_verifier *v)
{
	if (!v)
		return;
	/* a verifier that never ran (its pipeline refused: another halve
	 * runs on this tree) leaves the tree alone */
	if (!v->finished && v->moved && begin_change(v->s, 0, NULL) == 0) {
		/* stopped half way: at least the culprit back */
		session_go_to(v->s, &v->r.culprit, 1, NULL);
		end_change(v->s);
	}
	hv_verify_report_release(&v->r);
	free(v->parents);
	free(v);
}

/* -------- the drivers -------- */

int
hv_session_verify(struct hv_session *s, char **argv, size_t argc, double p,
		  const struct hv_verify_ops *ops, void *arg,
		  struct hv_verify_report *r, struct hv_error *err)
{
	struct hv_verifier *v;
	struct hv_oid commit;
	char *line;
	int rc;

	memset(r, 0, sizeof(*r));
	if (!argc)
		return hv_error_set(err, "verify: no command to run");
	if (hv_verifier_new(s, p, ops, arg, &v, err) < 0)
		return -1;
	line = hv_runcmd_line(argv, argc);
	while ((rc = hv_verifier_next(v, &commit, err)) == 1) {
		int code = hv_runcmd_exec(line, s->repo->workdir);
		enum hv_rule_kind verdict = hv_rules_exit_code(code);

		if (verdict == HV_RULE_NONE) {
			rc = hv_error_set(err, "verify: %s: exit code %d (128 "
					  "or more aborts)", argv[0], code);
			break;
		}
		if (hv_verifier_result(v, verdict, err) < 0) {
			rc = -1;
			break;
		}
	}
	free(line);
	if (rc == 0) {
		*r = v->r;	/* the strings move to r */
		memset(&v->r, 0, sizeof(v->r));
	}
	hv_verifier_free(v);
	return rc;
}

static int
plan_next(void *arg, struct hv_oid *commit, struct hv_error *err)
{
	return hv_verifier_next(arg, commit, err);
}

static int
plan_result(void *arg, const struct hv_oid *commit,
	    const struct hv_verdict *verdict, struct hv_error *err)
{
	(void)commit;
	return hv_verifier_result(arg, verdict->kind, err);
}

const struct hv_pipeline_plan hv_verify_plan = { plan_next, plan_result };

/* -------- what it says -------- */

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

void
hv_verify_doubts(const struct hv_verify_report *r, struct strbuf *sb)
{
	char hex[41];

	hv_oid_fmt(hex, &r->culprit);
	if (r->is_merge)
		sb_addf(sb, "doubt: %.12s is a merge: the bug may come from "
			"combining its sides (halve descend looks inside)\n",
			hex);
	if (r->docs_only)
		sb_addf(sb, "doubt: %.12s changes only documentation: no build "
			"reads what it changes\n", hex);
	if (r->same_build)
		sb_addf(sb, "doubt: %.12s builds the very kernel its parent "
			"builds: the change cannot be what the test sees\n",
			hex);
}
