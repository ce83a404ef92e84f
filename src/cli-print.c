/*
 * cli-print.c: a step in git bisect's words, and the exit status git
 * gives it (cli.h). Only prints: what the step is was decided by the core.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "verify.h"
#include "view.h"

int
fail(struct cli *c)
{
	fprintf(stderr, "halve: %s\n", c->err.msg ? c->err.msg : "failed");
	hv_error_clear(&c->err);
	return 1;
}

void
print_subject_line(struct hv_session *s, const struct hv_oid *oid)
{
	char hex[41], *subject = hv_repo_subject(hv_session_repo(s), oid);

	hv_oid_fmt(hex, oid);
	printf("[%s] %s\n", hex, subject);
	free(subject);
}

void
print_subject_shown(struct hv_session *s, const struct hv_oid *oid)
{
	struct strbuf sb = STRBUF_INIT;
	char hex[41], *subject = hv_repo_subject_display(hv_session_repo(s),
							 oid, 1024);

	hv_oid_fmt(hex, oid);
	sb_addf(&sb, "[%s] ", hex);
	hv_view_add_visible(&sb, subject);
	printf("%s\n", sb.buf);
	sb_release(&sb);
	free(subject);
}

void
print_likeliest(struct hv_session *s, size_t k)
{
	struct hv_candidates c;
	struct hv_error err = HV_ERROR_INIT;
	size_t i;

	if (hv_session_candidates(s, k, &c, &err) < 0) {
		fprintf(stderr, "halve: %s\n", err.msg);
		hv_error_clear(&err);
		return;
	}
	printf("likeliest:\n");
	for (i = 0; i < c.n; i++) {
		printf("  %.3f ", c.top[i].p);
		print_subject_shown(s, &c.top[i].oid);
	}
	if (c.others >= 0.0005)
		printf("  %.3f the %u other commit%s\n", c.others,
		       c.left - (uint32_t)c.n, c.left - c.n == 1 ? "" : "s");
	printf("  %.3f none: no commit is %s, its failures were flakes\n",
	       c.none, hv_session_term_name(s, HV_TERM_NEW));
	printf("learned: a %s commit passes %.2f of its runs, a %s one "
	       "fails %.2f\n", hv_session_term_name(s, HV_TERM_NEW), c.q,
	       hv_session_term_name(s, HV_TERM_OLD), c.f);
	hv_candidates_release(&c);
}

/* The line after a --confidence answer: how sure, and what it cost. */
static void
print_confidence(const struct hv_step *step)
{
	if (step->weighed)
		printf("confidence %.3f after %u run%s on %u commit%s\n",
		       step->confidence, step->runs, step->runs == 1 ? "" : "s",
		       step->commits, step->commits == 1 ? "" : "s");
}

/* A weighed search that spent its run budget before P: its best guess,
 * said to be only that. */
static void
print_budget(struct hv_session *s, const struct hv_step *step,
	     const char *term_bad)
{
	char hex[41];

	hv_oid_fmt(hex, &step->current);
	if (step->none_likeliest) {
		printf("no culprit is the likeliest answer: %s passed %u of %u "
		       "runs\n", hex, step->bad_passes, step->bad_runs);
	} else {
		printf("%s is the likeliest first %s commit\n", hex, term_bad);
		print_subject_line(s, &step->current);
	}
	printf("confidence %.3f after %u run%s on %u commit%s (stopped at the "
	       "run budget)\n", step->confidence, step->runs,
	       step->runs == 1 ? "" : "s", step->commits,
	       step->commits == 1 ? "" : "s");
	printf("hint: nothing is marked; 'halve run --max-runs N' with a "
	       "larger N goes on\n");
}

/* The cost-aware choice's figures, when the build directory has them. */
static void
print_rebuild(const struct hv_step *step)
{
	if (!step->rebuild_known)
		return;
	printf("rebuild: %zu of %zu objects", step->rebuild,
	       step->rebuild_objects);
	if (step->costed)
		printf(" (the midpoint's: %zu; %.2f more steps expected)",
		       step->plain_rebuild, step->extra_steps);
	putchar('\n');
}

/*
 * The commit to test has the tree of one already marked: that mark is
 * offered (the pipeline takes it without building; by hand, the user
 * may), on a line of its own after git's, which stay as git prints them.
 */
static void
print_twin(struct hv_session *s, const struct hv_oid *current)
{
	struct hv_oid twin;
	enum hv_term_kind kind;
	char hex[41], thex[41];
	const char *term;

	if (!hv_session_same_tree(s, current, &twin, &kind))
		return;
	hv_oid_fmt(hex, current);
	hv_oid_fmt(thex, &twin);
	term = hv_session_term_name(s, kind);
	printf("%.12s has the tree of %.12s, marked %s: \"halve %s\" agrees "
	       "with it\n", hex, thex, term, term);
}

int
print_step(struct hv_session *s, const struct hv_step *step)
{
	struct hv_marks m;
	char hex[41];
	size_t i;

	hv_session_marks(s, &m);
	if (step->base_skipped) {
		char base[41];

		hv_oid_fmt(hex, &m.bad);
		hv_oid_fmt(base, &step->skipped_base);
		fprintf(stderr, "warning: the merge base between %s and [", hex);
		for (i = 0; i < m.ngoods; i++) {
			char g[41];

			hv_oid_fmt(g, &m.goods[i]);
			fprintf(stderr, "%s%s", i ? " " : "", g);
		}
		fprintf(stderr, "] must be skipped.\nSo we cannot be sure the "
			"first %s commit is between %s and %s.\nWe continue "
			"anyway.\n", m.term_bad, base, hex);
	}
	if (step->reskipped) {
		hv_oid_fmt(hex, &step->skipped);
		fprintf(stderr, "warning: %s was skipped once and marked once: "
			"is the build or the test flaky?\n", hex);
	}
	switch (step->outcome) {
	case HV_STEP_NONE:
		printf("not bisecting\n");
		return 0;
	case HV_STEP_WAITING:
		if (!step->have_bad && !step->ngoods)
			printf("status: waiting for both %s and %s commits\n",
			       m.term_good, m.term_bad);
		else if (!step->ngoods)
			printf("status: waiting for %s commit(s), %s commit known\n",
			       m.term_good, m.term_bad);
		else
			printf("status: waiting for %s commit, %zu %s commit%s known\n",
			       m.term_bad, step->ngoods, m.term_good,
			       step->ngoods == 1 ? "" : "s");
		return 0;
	case HV_STEP_TEST:
		if (step->weighed)
			printf("Bisecting: confidence %.3f after %u run%s on %u "
			       "commit%s\n", step->confidence, step->runs,
			       step->runs == 1 ? "" : "s", step->commits,
			       step->commits == 1 ? "" : "s");
		else if (step->all)
			printf("Bisecting: %u revision%s left to test after this "
			       "(roughly %d step%s)\n", step->left,
			       step->left == 1 ? "" : "s", step->steps,
			       step->steps == 1 ? "" : "s");
		else
			printf("Bisecting: testing the merged side first\n");
		print_subject_line(s, &step->current);
		print_twin(s, &step->current);
		print_rebuild(step);
		return 0;
	case HV_STEP_MERGE_BASE:
		printf("Bisecting: a merge base must be tested\n");
		print_subject_line(s, &step->current);
		print_twin(s, &step->current);
		return 0;
	case HV_STEP_FOUND: {
		struct strbuf sb = STRBUF_INIT;

		hv_oid_fmt(hex, &step->current);
		printf("%s is the first %s commit\n", hex, m.term_bad);
		hv_repo_describe(hv_session_repo(s), &step->current, &sb);
		fputs(sb.buf ? sb.buf : "", stdout);
		sb_release(&sb);
		print_confidence(step);
		if (step->npath) {
			printf("\nfound through:");
			for (i = 0; i < step->npath; i++) {
				char merge[41];

				hv_oid_fmt(merge, &step->path[i]);
				printf(" %s ->", merge);
			}
			printf(" %s\n", hex);
		}
		return 0;
	}
	case HV_STEP_ONLY_SKIPPED:
		printf("There are only 'skip'ped commits left to test.\n");
		printf("The first %s commit could be any of:\n", m.term_bad);
		for (i = 0; i < step->nsuspects; i++) {
			hv_oid_fmt(hex, &step->suspects[i]);
			printf("%s\n", hex);
		}
		printf("We cannot bisect more!\n");
		return 2;
	case HV_STEP_FIXED_BETWEEN:
		hv_oid_fmt(hex, &step->current);
		fprintf(stderr, "The merge base %s is %s.\n", hex, m.term_bad);
		fprintf(stderr, "This means the bug has been fixed between %s "
			"and [", hex);
		for (i = 0; i < m.ngoods; i++) {
			char g[41];

			hv_oid_fmt(g, &m.goods[i]);
			fprintf(stderr, "%s%s", i ? " " : "", g);
		}
		fprintf(stderr, "].\n");
		return 3;
	case HV_STEP_COMBINATION: {
		char side[41];

		hv_oid_fmt(hex, &step->merge);
		hv_oid_fmt(side, &step->current);
		printf("The merge %s is %s but both of its sides are %s:\n"
		       "the bug comes from combining them (no single commit "
		       "on the merged side is the culprit).\n"
		       "merged side %s is %s\n", hex, m.term_bad,
		       m.term_good, side, m.term_good);
		return 0;
	}
	case HV_STEP_NO_CULPRIT:
		hv_oid_fmt(hex, &step->current);
		printf("no culprit: %s passed %u of %u runs; the failure looks "
		       "like a flake\n", hex, step->bad_passes, step->bad_runs);
		print_confidence(step);
		return 5;
	case HV_STEP_BUDGET:
		print_budget(s, step, m.term_bad);
		return 7;
	case HV_STEP_CONTRADICTION: {
		char good[41];

		hv_oid_fmt(hex, &step->current);
		hv_oid_fmt(good, &step->other);
		if (!hv_oid_cmp(&step->current, &step->other))
			fprintf(stderr, "halve: marks contradict each other: %s "
				"is marked both %s and %s\n", hex, m.term_bad,
				m.term_good);
		else
			fprintf(stderr, "halve: marks contradict each other: %s "
				"is marked %s, but %s, which contains it, is "
				"marked %s\n", hex, m.term_bad, good,
				m.term_good);
		fprintf(stderr, "hint: a test that gives two answers on the "
			"same code is flaky: 'halve undo' takes the last mark "
			"back; 'halve run --confidence' weighs every result\n");
		return 4;
	}
	}
	return 0;
}

/* A first bad merge that --descend goes into, as both runs say it. */
void
print_descending(struct hv_session *s, const struct hv_step *step)
{
	struct hv_marks m;
	char hex[41], *subject = hv_repo_subject(hv_session_repo(s),
						 &step->current);

	hv_session_marks(s, &m);
	hv_oid_fmt(hex, &step->current);
	printf("%s is the first %s merge: %s\n"
	       "descending into what it merged\n", hex, m.term_bad, subject);
	free(subject);
}

void
print_verifying(void *arg, const char *check, const struct hv_oid *commit)
{
	char hex[41];

	(void)arg;
	hv_oid_fmt(hex, commit);
	printf("verify: %s %.12s\n", check, hex);
	fflush(stdout);
}

int
print_verify_report(const struct hv_verify_report *r)
{
	struct strbuf sb = STRBUF_INIT;

	hv_verify_summary(r, &sb);
	sb_addc(&sb, '\n');
	hv_verify_doubts(r, &sb);
	fputs(sb.buf, stdout);
	fflush(stdout);
	sb_release(&sb);
	return r->verified ? 0 : 6;
}
