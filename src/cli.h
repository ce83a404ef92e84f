/*
 * cli.h: what the command-line face's files share (src/main.c, the
 * dispatch and the commands; cli-print.c, git's words for a step;
 * cli-pipeline.c, the pipeline without a screen). A face: it asks the
 * core (session.h, runcmd.h, pipeline.h) and prints.
 */
#ifndef HALVE_CLI_H
#define HALVE_CLI_H

#include "session.h"

struct cli {
	int argc;
	char **argv;		/* after the subcommand */
	const char *name;	/* the subcommand as typed */
	struct hv_session *s;
	struct hv_error err;
	uint32_t max_runs;	/* run --max-runs; 0: the config's, else the
				 * range's (HV_RUNS_DEFAULT) */
};

/* Prints "halve: " and the error; returns 1, the exit status. */
int fail(struct cli *c);
/* "[sha] subject" on a line, the subject's bytes as git prints them. */
void print_subject_line(struct hv_session *s, const struct hv_oid *oid);
/* The same for halve's own listings (status): in UTF-8, cut, control
 * characters made visible, so a subject never drives the terminal. */
void print_subject_shown(struct hv_session *s, const struct hv_oid *oid);
/*
 * Under --confidence, the k likeliest answers with their probabilities,
 * "none" among them, and the rates learned (status).
 */
void print_likeliest(struct hv_session *s, size_t k);
/* Prints a step as git bisect would; returns the exit status it means. */
int print_step(struct hv_session *s, const struct hv_step *step);
/* A first bad merge that --descend goes into, as both runs say it. */
void print_descending(struct hv_session *s, const struct hv_step *step);
/* halve run without a command: the config's pipeline, headless; with
 * verify (or [verify] after-run), a culprit found is verified too. */
int run_pipeline(struct cli *c, int descend, int verbose, int verify);
/* halve run --retest REV: REV built (or its kept build), booted, judged
 * and marked once, as the workstation's re-test key does. */
int retest_pipeline(struct cli *c, const struct hv_oid *commit, int verbose);
/* halve verify without a command: the checks, each a pipeline step. */
int verify_pipeline(struct cli *c, double p, int verbose);
/* "verify: CHECK SHA" before each run of a check. */
void print_verifying(void *arg, const char *check, const struct hv_oid *commit);
/* The outcome of verify and its doubts; returns 0 or 6, the status. */
struct hv_verify_report;
int print_verify_report(const struct hv_verify_report *r);

#endif
