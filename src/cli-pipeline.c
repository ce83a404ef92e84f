/*
 * cli-pipeline.c: `halve run` and `halve verify` without a command and
 * without a screen (cli.h): the pipeline's events as progress lines on
 * stdout, SIGINT, SIGTERM and SIGHUP ending the run with the session
 * kept. A run that verifies its culprit goes on from the same loop with
 * the verifier's plan.
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "conf.h"
#include "loop.h"
#include "pipeline.h"
#include "rules.h"
#include "verify.h"

/* The pipeline without a screen: progress lines on stdout. */
struct headless {
	struct cli *c;
	struct hv_loop *loop;
	struct hv_pipeline *p;
	int verbose;
	int descend;
	int verify;		/* verify a culprit found */
	double verify_p;	/* each check's confidence; 0 the session's */
	struct hv_verifier *verifier;	/* the plan running, or NULL */
	int steps;		/* step events seen */
	int status;
	int64_t stage_start;
};

static void
hl_stage(void *arg, enum hv_stage stage, const struct hv_oid *commit)
{
	struct headless *h = arg;

	h->stage_start = hv_now_ms();
	if (stage == HV_STAGE_BUILD || stage == HV_STAGE_BOOT ||
	    stage == HV_STAGE_TEST) {
		char hex[41];

		hv_oid_fmt(hex, commit);
		printf("  %.12s: %s\n", hex, hv_stage_name(stage));
		fflush(stdout);
	}
}

static void
hl_output(void *arg, const char *data, size_t len)
{
	struct headless *h = arg;

	if (h->verbose) {
		fwrite(data, 1, len, stdout);
		fflush(stdout);
	}
}

static void
hl_verdict(void *arg, const struct hv_oid *commit, const struct hv_verdict *v)
{
	char hex[41];

	hv_oid_fmt(hex, commit);
	printf("  %.12s: %s: %s\n", hex,
	       v->abort ? "abort" : hv_rule_kind_name(v->kind), v->reason);
	if (v->line)
		printf("  %.12s: console line %llu: %s\n", hex,
		       (unsigned long long)v->lineno, v->line);
	fflush(stdout);
}

static void
hl_step(void *arg, const struct hv_step *step)
{
	struct headless *h = arg;

	if (!h->steps++ && step->outcome == HV_STEP_TEST)
		return;		/* start or next said it already */
	if (step->outcome == HV_STEP_TEST || step->outcome == HV_STEP_MERGE_BASE) {
		print_step(h->c->s, step);
	} else if (h->descend && hv_session_found_merge(h->c->s, step)) {
		/* a first bad merge, about to be descended into (the last
		 * first bad commit, no merge, is hl_finished's to print) */
		print_descending(h->c->s, step);
	}
	fflush(stdout);
}

/* The verifier's plan on the pipeline; -1 with the error said. */
static int
start_verify(struct headless *h)
{
	struct cli *c = h->c;
	static const struct hv_verify_ops vops = { print_verifying };

	if (hv_verifier_new(c->s, h->verify_p, &vops, c, &h->verifier,
			    &c->err) < 0 ||
	    hv_pipeline_start_plan(h->p, &hv_verify_plan, h->verifier,
				   &c->err) < 0) {
		h->status = fail(c);
		return -1;
	}
	return 0;
}

static void
hl_finished(void *arg, const struct hv_step *step, const char *error)
{
	struct headless *h = arg;

	if (error) {
		fprintf(stderr, "halve: %s\n", error);
		h->status = 1;
	} else if (h->verifier) {
		h->status = print_verify_report(hv_verifier_report(h->verifier));
	} else {
		h->status = print_step(h->c->s, step);
		if (h->verify && step->outcome == HV_STEP_FOUND) {
			fflush(stdout);
			if (start_verify(h) == 0 && hv_pipeline_running(h->p))
				return;	/* the loop goes on with the checks */
		}
	}
	fflush(stdout);
	hv_loop_break(h->loop);
}

/* A run taking over from a dead one says so, on stderr as a warning. */
static void
hl_notice(void *arg, const char *msg)
{
	(void)arg;
	fprintf(stderr, "halve: %s\n", msg);
}

static void
hl_signal(struct hv_loop *loop, int signo, void *arg)
{
	struct headless *h = arg;

	fprintf(stderr, "halve: run: interrupted; the session is kept\n");
	h->status = 128 + signo;
	hv_loop_break(loop);
}

/* What a headless pipeline runs. */
enum drive_what {
	DRIVE_BISECT,		/* the steps of the bisection */
	DRIVE_VERIFY,		/* the verifier's checks */
	DRIVE_RETEST,		/* one commit, marked, and no further */
};

/* The pipeline from h's loop until it ends; the exit status. */
static int
drive(struct cli *c, struct headless *h, enum drive_what what,
      const struct hv_oid *commit)
{
	static const struct hv_pipeline_ops ops = {
		hl_stage, hl_output, hl_output, hl_verdict, hl_step, hl_finished,
		hl_notice,
	};
	struct hv_pipeline_opts popts = { 0 };
	struct hv_config cfg;
	struct hv_signal *sigs[3];
	int rc, started = 0;

	if (hv_pipeline_load_config(c->s, &cfg, &c->err) < 0)
		return fail(c);
	hv_session_set_max_runs(c->s, c->max_runs ? c->max_runs
						   : cfg.max_runs);
	h->c = c;
	if (cfg.verify.after_run)
		h->verify = 1;
	if (!h->verify_p)
		h->verify_p = cfg.verify.confidence;
	h->loop = hv_loop_new();
	sigs[0] = hv_loop_on_signal(h->loop, SIGINT, hl_signal, h, NULL);
	sigs[1] = hv_loop_on_signal(h->loop, SIGTERM, hl_signal, h, NULL);
	sigs[2] = hv_loop_on_signal(h->loop, SIGHUP, hl_signal, h, NULL);
	popts.descend = h->descend;
	h->p = hv_pipeline_new(c->s, h->loop, &cfg, &popts, &ops, h);
	if (what == DRIVE_VERIFY)
		started = start_verify(h) == 0;
	else if ((what == DRIVE_RETEST ? hv_pipeline_retest(h->p, commit,
							    &c->err)
				       : hv_pipeline_start(h->p, &c->err)) < 0)
		h->status = fail(c);
	else
		started = 1;
	if (started && hv_pipeline_running(h->p) &&
	    hv_loop_run(h->loop, &c->err) < 0)
		h->status = fail(c);
	rc = h->status;
	hv_pipeline_free(h->p);	/* stops a step still running */
	hv_verifier_free(h->verifier);	/* the culprit back, if stopped */
	for (size_t i = 0; i < HV_ARRAY_SIZE(sigs); i++)
		if (sigs[i])
			hv_signal_remove(sigs[i]);
	hv_loop_free(h->loop);
	hv_config_free(&cfg);
	return rc;
}

int
run_pipeline(struct cli *c, int descend, int verbose, int verify)
{
	struct headless h;

	memset(&h, 0, sizeof(h));
	h.verbose = verbose;
	h.descend = descend;
	h.verify = verify;
	return drive(c, &h, DRIVE_BISECT, NULL);
}

int
retest_pipeline(struct cli *c, const struct hv_oid *commit, int verbose)
{
	struct headless h;

	memset(&h, 0, sizeof(h));
	h.verbose = verbose;
	h.steps = 1;	/* the step the mark makes is news: print it */
	return drive(c, &h, DRIVE_RETEST, commit);
}

int
verify_pipeline(struct cli *c, double p, int verbose)
{
	struct headless h;

	memset(&h, 0, sizeof(h));
	h.verbose = verbose;
	h.verify_p = p;
	return drive(c, &h, DRIVE_VERIFY, NULL);
}
