/*
 * main.c: the command-line face of halve. It parses arguments, calls the
 * session (session.h) and prints what comes back; all decisions live in
 * the core. With no subcommand it opens the workstation (the TUI).
 *
 * The subcommand table is written once (HV_COMMANDS): dispatch, usage
 * and `halve help` all come from it.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bisect.h"
#include "demo.h"
#include "conf.h"
#include "loop.h"
#include "pipeline.h"
#include "rules.h"
#include "runcmd.h"
#include "verify.h"
#include "session.h"
#include "view.h"
#include "workstation.h"
#include "cli.h"
#include "cli-rig.h"
#include "rig.h"

/* name, handler, arguments, one-line summary */
#define HV_COMMANDS(X) \
	X("start", cmd_start, "[--first-parent] [--no-checkout] [--term-old=T --term-new=T] [--config FILE] [BAD [GOOD...]] [-- PATHSPEC...]", \
	  "start a bisection: BAD is the first revision, GOODs the rest") \
	X("good", cmd_mark, "[REV|A..B]...", "mark revisions good (old, or the custom old term, likewise)") \
	X("bad", cmd_mark, "[REV]", "mark a revision bad (new, or the custom new term, likewise)") \
	X("skip", cmd_mark, "[REV|A..B]...", "mark revisions untestable") \
	X("next", cmd_next, "", "check out the next commit to test") \
	X("status", cmd_status, "[--porcelain]", "show where the bisection stands") \
	X("log", cmd_log, "", "show the bisection log (git bisect log format)") \
	X("replay", cmd_replay, "FILE", "replay a bisection log") \
	X("undo", cmd_undo, "", "take back the last mark (the workstation's u)") \
	X("reset", cmd_reset, "[COMMIT]", "end the bisection and go back (to COMMIT)") \
	X("terms", cmd_terms, "[--term-good|--term-bad]", "show the terms in use") \
	X("view", cmd_view, "[LOG-OPTIONS]", "show the remaining candidates as a graph (with git log's options: as visualize)") \
	X("visualize", cmd_visualize, "[LOG-OPTIONS]", "list the remaining candidates with git log (--stat, -p, --oneline...)") \
	X("run", cmd_run, "[--descend] [--confidence [P]] [--max-runs N] [--verify] [--retest REV] [-v] [CMD [ARG...]]", "bisect automatically: CMD's exit code decides (0 good, 125 skip, 1-127 bad); no CMD: build, boot and judge by the config's pipeline") \
	X("verify", cmd_verify, "[--confidence P] [CMD [ARG...]]", "re-test the first bad commit, its parents and BAD, and BAD with it reverted, until sure (no CMD: with the pipeline)") \
	X("descend", cmd_descend, "[PARENT]", "bisect inside the first bad merge (its PARENT side, default 2)") \
	X("ascend", cmd_ascend, "", "leave a descended merge, back to the outer bisection") \
	X("setup", cmd_setup, "kernel [--test SCRIPT] [--config FILE|--defconfig|--tinyconfig|--localmodconfig] [--rootfs busybox|host|IMAGE] [--jobs N] [--no-ccache]", \
	  "make the rig that builds a Linux tree, boots it in qemu and runs SCRIPT there (halve run's config)") \
	X("doctor", cmd_doctor, "[--porcelain]", "what this machine offers the kernel rig, and what is missing") \
	X("demo", cmd_demo, "[--headless] [DIR]", "bisect the built-in demonstration: a kernel-shaped history booted in qemu") \
	X("help", cmd_help, "[SUBCOMMAND]", "show help")

#define X(name, fn, args, summary) static int fn(struct cli *c);
HV_COMMANDS(X)
#undef X

static const struct command {
	const char *name;
	int (*fn)(struct cli *c);
	const char *args;
	const char *summary;
} commands[] = {
#define X(name, fn, args, summary) { name, fn, args, summary },
	HV_COMMANDS(X)
#undef X
};

static int
usage_error(const char *cmd, const char *fmt, const char *arg)
{
	fprintf(stderr, "halve: %s: ", cmd);
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n");
	return 129;
}

/*
 * The session, choosing as `halve run` would: a pipeline config's
 * [bisect] makes marks and status pick the commit a build costs least
 * (hv_session_set_rebuild). A config that cannot be read changes
 * nothing here; `halve run` is where it is reported.
 */
static int
open_session(struct cli *c)
{
	struct hv_config cfg;
	struct hv_error err = HV_ERROR_INIT;

	if (hv_session_open(".", &c->s, &c->err) < 0)
		return -1;
	if (hv_pipeline_load_config(c->s, &cfg, &err) == 0) {
		hv_session_set_rebuild(c->s, cfg.bisect.build_dir,
				       hv_config_tolerance(&cfg));
		hv_config_free(&cfg);
	}
	hv_error_clear(&err);
	return 0;
}

/* What the session holds now (valid until it changes). */
static struct hv_marks
marks(struct cli *c)
{
	struct hv_marks m;

	hv_session_marks(c->s, &m);
	return m;
}

/*
 * Reads a config once and checks it (parsed, its rules compiled) before
 * any state is written; text keeps what was checked, so that the copy
 * in .git/halve is that and not the file read again later.
 */
static int
read_config(struct cli *c, const char *file, struct strbuf *text)
{
	struct hv_config cfg;
	struct hv_rules *rules;

	if (hv_config_read(file, text, &c->err) < 0 ||
	    hv_config_parse_string(text->buf ? text->buf : "", file, &cfg,
				   &c->err) < 0)
		return -1;
	rules = hv_rules_from_config(&cfg, &c->err);
	hv_config_free(&cfg);
	if (!rules)
		return -1;
	hv_rules_free(rules);
	return 0;
}

/*
 * start, for `halve start` and the demo: the options, the config
 * (--config FILE, else the user's, see halve.conf(5)) read and checked,
 * the session started with it (the core keeps the copy, or starts
 * nothing).
 * Returns 0, 129 for bad options, -1 with c->err set.
 */
static int
start_session(struct cli *c, char **argv, size_t argc, struct hv_step *step)
{
	struct hv_start_opts o;
	struct strbuf text = STRBUF_INIT;
	char *user = NULL;
	int have_config = 0, rc = -1;

	memset(step, 0, sizeof(*step));
	if (hv_start_opts_parse(argv, argc, &o, &c->err) < 0)
		return 129;	/* a usage error, as everywhere */
	if (open_session(c) < 0)
		goto out;
	if (o.config) {
		if (read_config(c, o.config, &text) < 0)
			goto out;
		have_config = 1;
	} else if ((user = hv_rig_config(c->s)) ||
		   (hv_config_find(NULL, NULL, &user, NULL) == 0 && user)) {
		/* the rig's (halve setup kernel), else the user's */
		/* a broken user config is the run's to report, not start's */
		have_config = read_config(c, user, &text) == 0;
		hv_error_clear(&c->err);
	}
	if (have_config)
		o.config_text = text.buf ? text.buf : "";
	if (hv_session_start(c->s, &o, step, &c->err) < 0)
		goto out;
	rc = 0;
out:
	free(user);
	sb_release(&text);
	hv_start_opts_release(&o);
	return rc;
}

static int
cmd_start(struct cli *c)
{
	struct hv_step step;
	int rc = start_session(c, c->argv, (size_t)c->argc, &step);

	if (rc) {
		fail(c);
		return rc < 0 ? 1 : rc;
	}
	rc = print_step(c->s, &step);
	hv_step_release(&step);
	return rc;
}

static int
cmd_mark(struct cli *c)
{
	enum hv_term_kind kind;
	struct hv_step step;
	int rc;

	if (open_session(c) < 0)
		return fail(c);
	if (hv_session_term(c->s, c->name, &kind, &c->err) < 0) {
		if (!c->err.msg) {
			hv_error_set(&c->err, "%s: unknown subcommand (see "
				     "halve --help)", c->name);
			fail(c);
			return 129;
		}
		return fail(c);
	}
	/* the word again, under the lock: its meaning may change first */
	if (hv_session_mark_word(c->s, c->name, c->argv, (size_t)c->argc,
				 &step, &c->err) < 0)
		return fail(c);
	rc = print_step(c->s, &step);
	hv_step_release(&step);
	return rc;
}

static int
cmd_next(struct cli *c)
{
	struct hv_step step;
	int rc;

	if (c->argc)
		return usage_error("next", "%s: unexpected argument", c->argv[0]);
	if (open_session(c) < 0)
		return fail(c);
	if (!marks(c).active) {
		hv_error_set(&c->err, "next: no bisection in progress");
		return fail(c);
	}
	if (hv_session_next(c->s, 1, &step, &c->err) < 0)
		return fail(c);
	if (step.outcome == HV_STEP_WAITING) {
		/* git's words and status: next needs both ends */
		hv_step_release(&step);
		hv_error_set(&c->err, "next: You need to give me at least one "
			     "%s and %s revision.", marks(c).term_bad,
			     marks(c).term_good);
		return fail(c);
	}
	rc = print_step(c->s, &step);
	hv_step_release(&step);
	return rc;
}

static const char *
state_name(enum hv_outcome o)
{
	switch (o) {
	case HV_STEP_NONE:
		return "none";
	case HV_STEP_WAITING:
		return "waiting";
	case HV_STEP_TEST:
	case HV_STEP_MERGE_BASE:
		return "bisecting";
	case HV_STEP_FOUND:
		return "found";
	case HV_STEP_ONLY_SKIPPED:
		return "only-skipped";
	case HV_STEP_FIXED_BETWEEN:
		return "fixed-between";
	case HV_STEP_COMBINATION:
		return "combination";
	case HV_STEP_NO_CULPRIT:
		return "no-culprit";
	case HV_STEP_CONTRADICTION:
		return "contradiction";
	case HV_STEP_BUDGET:
		return "budget-spent";
	}
	return "unknown";
}

static void
porcelain_oid(const char *key, const struct hv_oid *oid)
{
	char hex[41];

	hv_oid_fmt(hex, oid);
	printf("%s %s\n", key, hex);
}

/* "twin SHA TERM": the commit to test has the tree of SHA, marked TERM. */
static void
porcelain_twin(struct hv_session *s, const struct hv_oid *current)
{
	struct hv_oid twin;
	enum hv_term_kind kind;
	char hex[41];

	if (!hv_session_same_tree(s, current, &twin, &kind))
		return;
	hv_oid_fmt(hex, &twin);
	printf("twin %s %s\n", hex, hv_session_term_name(s, kind));
}

/* The likeliest answers, the mass of the rest, and the learned rates:
 * the candidates, others and none add up to 1. */
static void
print_porcelain_candidates(struct hv_session *s)
{
	struct hv_candidates c;
	struct hv_error err = HV_ERROR_INIT;
	size_t i;

	if (hv_session_candidates(s, 5, &c, &err) < 0) {
		printf("error %s\n", err.msg);
		hv_error_clear(&err);
		return;
	}
	for (i = 0; i < c.n; i++) {
		char hex[41];

		hv_oid_fmt(hex, &c.top[i].oid);
		printf("candidate %s %.6f\n", hex, c.top[i].p);
	}
	printf("others %.6f\n", c.others);
	printf("none %.6f\n", c.none);
	printf("rate-q %.6f\n", c.q);
	printf("rate-f %.6f\n", c.f);
	hv_candidates_release(&c);
}

/* --confidence: how sure, and every result ("observation SHA bad"). */
static void
print_porcelain_weighed(struct hv_session *s, const struct hv_step *step)
{
	struct hv_observation *obs;
	struct hv_marks m;
	size_t n, i;

	hv_session_marks(s, &m);
	printf("confidence %.6f\n", step->confidence);
	printf("runs %u\n", step->runs);
	printf("commits %u\n", step->commits);
	print_porcelain_candidates(s);
	hv_session_observations(s, &obs, &n);
	for (i = 0; i < n; i++) {
		char hex[41];

		hv_oid_fmt(hex, &obs[i].oid);
		printf("observation %s %s\n", hex,
		       obs[i].bad ? m.term_bad : m.term_good);
	}
	free(obs);
}

static int
cmd_status(struct cli *c)
{
	struct hv_running run;
	struct hv_step step;
	struct hv_marks m, *st = &m;
	int porcelain = 0, i;
	size_t k;

	for (i = 0; i < c->argc; i++) {
		if (!strcmp(c->argv[i], "--porcelain"))
			porcelain = 1;
		else
			return usage_error("status", "%s: unknown option",
					   c->argv[i]);
	}
	if (open_session(c) < 0)
		return fail(c);
	m = marks(c);
	if (hv_session_next(c->s, 0, &step, &c->err) < 0) {
		if (!porcelain)
			return fail(c);
		/* scripts still get what is known, and the error */
		printf("state error\nerror %s\n", c->err.msg);
		hv_error_clear(&c->err);
		return 1;
	}
	if (porcelain) {
		printf("state %s\n", state_name(step.outcome));
		if (step.outcome == HV_STEP_NONE) {
			hv_step_release(&step);
			return 0;
		}
		printf("terms %s %s\n", st->term_good, st->term_bad);
		if (st->have_bad)
			porcelain_oid("bad", &st->bad);
		for (k = 0; k < st->ngoods; k++)
			porcelain_oid("good", &st->goods[k]);
		for (k = 0; k < st->nskips; k++)
			porcelain_oid("skip", &st->skips[k]);
		if (step.outcome == HV_STEP_TEST ||
		    step.outcome == HV_STEP_MERGE_BASE) {
			porcelain_oid("current", &step.current);
			porcelain_twin(c->s, &step.current);
		}
		if (step.rebuild_known)
			printf("rebuild %zu %zu\n", step.rebuild,
			       step.rebuild_objects);
		if (step.costed)
			printf("midpoint-rebuild %zu\nextra-steps %.3f\n",
			       step.plain_rebuild, step.extra_steps);
		printf("remaining %u\n", step.all);	/* candidates, bad included */
		printf("left %u\n", step.left);	/* git's "left to test after this" */
		printf("steps-left %d\n", step.outcome == HV_STEP_FOUND ? 0
								   : step.steps);
		if (step.outcome == HV_STEP_FOUND)
			porcelain_oid("first-bad", &step.current);
		if (step.outcome == HV_STEP_BUDGET && step.none_likeliest)
			printf("likeliest none\n");
		else if (step.outcome == HV_STEP_BUDGET)
			porcelain_oid("likeliest", &step.current);
		for (k = 0; k < step.nsuspects; k++)
			porcelain_oid("suspect", &step.suspects[k]);
		if (step.outcome == HV_STEP_COMBINATION)
			porcelain_oid("merge", &step.merge);
		if (step.outcome == HV_STEP_CONTRADICTION)
			porcelain_oid("contradicts", &step.other);
		if (step.weighed)
			print_porcelain_weighed(c->s, &step);
		if (hv_pipeline_read_running(c->s, &run)) {
			printf("stage %s\n", hv_stage_name(run.stage));
			porcelain_oid("stage-commit", &run.commit);
			printf("stage-elapsed-ms %lld\n",
			       (long long)(hv_wall_ms() - run.started_ms));
		}
		printf("first-parent %d\n", st->first_parent);
		printf("depth %zu\n", m.depth);
		for (k = 0; k < m.depth; k++)
			porcelain_oid("descended", &m.frames[k].merge);
		hv_step_release(&step);
		return 0;
	}
	if (step.outcome == HV_STEP_NONE) {
		hv_step_release(&step);
		hv_error_set(&c->err, "status: not bisecting");
		return fail(c);
	}
	if (m.depth) {
		char hex[41];

		hv_oid_fmt(hex, &m.frames[m.depth - 1].merge);
		printf("inside merge %.12s (depth %zu; halve ascend leaves it)\n",
		       hex, m.depth);
	}
	if (st->have_bad) {
		printf("%-6s ", st->term_bad);
		print_subject_shown(c->s, &st->bad);
	}
	for (k = 0; k < st->ngoods; k++) {
		printf("%-6s ", st->term_good);
		print_subject_shown(c->s, &st->goods[k]);
	}
	for (k = 0; k < st->nskips; k++) {
		printf("%-6s ", "skip");
		print_subject_shown(c->s, &st->skips[k]);
	}
	i = print_step(c->s, &step);
	if (step.weighed)
		print_likeliest(c->s, 3);
	if (hv_pipeline_read_running(c->s, &run)) {
		struct strbuf sb = STRBUF_INIT;
		char hex[41];

		hv_oid_fmt(hex, &run.commit);
		hv_format_duration(&sb, hv_wall_ms() - run.started_ms);
		printf("running: %s of %.12s for %s (pid %ld)\n",
		       hv_stage_name(run.stage), hex, sb.buf, run.pid);
		sb_release(&sb);
	}
	hv_step_release(&step);
	return i;
}

static int
cmd_log(struct cli *c)
{
	if (c->argc)
		return usage_error("log", "%s: unexpected argument", c->argv[0]);
	if (open_session(c) < 0)
		return fail(c);
	if (!marks(c).active) {
		hv_error_set(&c->err, "log: not bisecting");
		return fail(c);
	}
	fputs(hv_session_log(c->s), stdout);
	return 0;
}

static int
cmd_replay(struct cli *c)
{
	struct hv_step step;
	int rc;

	if (c->argc != 1)
		return usage_error("replay", "%s", "needs exactly one FILE");
	if (open_session(c) < 0)
		return fail(c);
	if (hv_session_replay(c->s, c->argv[0], &step, &c->err) < 0)
		return fail(c);
	rc = print_step(c->s, &step);
	hv_step_release(&step);
	return rc;
}

static int
cmd_reset(struct cli *c)
{
	int active;

	if (c->argc > 1)
		return usage_error("reset", "%s: too many arguments", c->argv[1]);
	if (open_session(c) < 0)
		return fail(c);
	active = marks(c).active;
	/* with no session, reset still clears what a killed halve left */
	if (hv_session_reset(c->s, c->argc ? c->argv[0] : NULL, &c->err) < 0)
		return fail(c);
	if (!active)
		printf("We are not bisecting.\n");
	return 0;
}

static int
cmd_terms(struct cli *c)
{
	struct hv_marks m, *st = &m;

	if (c->argc > 1)
		return usage_error("terms", "%s: too many arguments", c->argv[1]);
	if (open_session(c) < 0)
		return fail(c);
	m = marks(c);
	if (!m.active) {
		hv_error_set(&c->err, "terms: no terms defined");	/* as git */
		return fail(c);
	}
	if (!c->argc) {
		printf("Your current terms are %s for the old state\n"
		       "and %s for the new state.\n", st->term_good, st->term_bad);
	} else if (!strcmp(c->argv[0], "--term-good") ||
		   !strcmp(c->argv[0], "--term-old")) {
		printf("%s\n", st->term_good);
	} else if (!strcmp(c->argv[0], "--term-bad") ||
		   !strcmp(c->argv[0], "--term-new")) {
		printf("%s\n", st->term_bad);
	} else {
		return usage_error("terms", "%s: unknown option", c->argv[0]);
	}
	return 0;
}

/*
 * The remaining candidates listed by `git log` with the options given
 * (--stat, -p, --oneline...), as git bisect visualize does without a
 * display: the core says which commits (skipped ones too, commits the
 * pathspec leaves untouched not), git log shows them, newest first.
 */
static int
visualize(struct cli *c, char **opts, int nopts)
{
	struct hv_dag *dag = NULL;
	char **argv = xcalloc((size_t)nopts + 5, sizeof(*argv));
	int fds[2], status, i, n = 0;
	pid_t pid;
	FILE *in;

	if (hv_session_dag(c->s, &dag, &c->err) < 0) {
		free(argv);
		return fail(c);
	}
	argv[n++] = "git";
	argv[n++] = "log";
	argv[n++] = "--no-walk=sorted";
	argv[n++] = "--stdin";
	for (i = 0; i < nopts; i++)
		argv[n++] = opts[i];
	fflush(stdout);
	if (pipe(fds) < 0 || (pid = fork()) < 0) {
		hv_error_set(&c->err, "visualize: %s", strerror(errno));
		hv_dag_free(dag);
		free(argv);
		return fail(c);
	}
	if (pid == 0) {
		dup2(fds[0], STDIN_FILENO);
		close(fds[0]);
		close(fds[1]);
		execvp("git", argv);
		fprintf(stderr, "halve: visualize: git: %s\n", strerror(errno));
		_exit(127);
	}
	close(fds[0]);
	signal(SIGPIPE, SIG_IGN);	/* git may stop reading (a pager quit) */
	in = fdopen(fds[1], "w");
	for (uint32_t k = dag->n; in && k-- > 0;) {
		char hex[41];

		if (dag->flags[k] & HV_NODE_TREESAME)
			continue;
		hv_oid_fmt(hex, &dag->oid[k]);
		fprintf(in, "%s\n", hex);
	}
	if (in)
		fclose(in);
	hv_dag_free(dag);
	free(argv);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return 1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

static int
cmd_visualize(struct cli *c)
{
	if (open_session(c) < 0)
		return fail(c);
	return visualize(c, c->argv, c->argc);
}

static int
cmd_view(struct cli *c)
{
	struct hv_dag *dag = NULL;
	struct hv_step step;
	struct strbuf sb = STRBUF_INIT;

	if (open_session(c) < 0)
		return fail(c);
	if (c->argc)	/* git log's options: as visualize */
		return visualize(c, c->argv, c->argc);
	if (hv_session_dag(c->s, &dag, &c->err) < 0)
		return fail(c);
	if (hv_session_next(c->s, 0, &step, &c->err) < 0) {
		hv_dag_free(dag);
		return fail(c);
	}
	hv_view_text(c->s, dag, &step, &sb);
	fputs(sb.buf ? sb.buf : "", stdout);
	sb_release(&sb);
	hv_step_release(&step);
	hv_dag_free(dag);
	return 0;
}

static void
cli_running(void *arg, const char *command)
{
	printf("running %s\n", command);	/* two spaces, as git */
	fflush(stdout);
}

static void
cli_step(void *arg, const struct hv_step *step)
{
	struct cli *c = arg;

	print_step(c->s, step);
	fflush(stdout);
}

static void
cli_descending(void *arg, const struct hv_step *found)
{
	struct cli *c = arg;

	print_step(c->s, found);
	printf("descending into the merge\n");
	fflush(stdout);
}

/*
 * --max-runs=N or --max-runs N, N a whole number > 0: the words taken,
 * 0 when argv[0] is no such option, -1 with *bad the word when N is no
 * such number.
 */
static int
max_runs_option(char **argv, int argc, uint32_t *n, const char **bad)
{
	const char *word;
	unsigned long v;
	char *end;
	int taken = 1;

	*bad = argv[0];
	if (!strncmp(argv[0], "--max-runs=", 11))
		word = argv[0] + 11;
	else if (!strcmp(argv[0], "--max-runs") && argc > 1)
		word = *bad = argv[taken++];
	else
		return 0;
	v = strtoul(word, &end, 10);
	if (end == word || *end || *word == '-' || !v || v > UINT32_MAX)
		return -1;
	*n = (uint32_t)v;
	return taken;
}

/* A probability strictly between 0 and 1, the whole word: 1 if so. */
static int
parse_probability(const char *word, double *p)
{
	char *end;
	double v = strtod(word, &end);

	if (end == word || *end || !(v > 0 && v < 1))
		return 0;
	*p = v;
	return 1;
}

/*
 * --confidence=P, or --confidence P (with optional set, P only when the
 * next word is a probability, else 0.99; without, a P is needed): the
 * words taken, 0 when argv[0] is no such option, -1 with *bad the word
 * when P is no probability.
 */
static int
confidence_option(char **argv, int argc, int optional, double *p,
		  const char **bad)
{
	*bad = argv[0];
	if (!strncmp(argv[0], "--confidence=", 13))
		return parse_probability(argv[0] + 13, p) ? 1 : -1;
	if (strcmp(argv[0], "--confidence"))
		return 0;
	if (optional) {
		*p = 0.99;
		return argc > 1 && parse_probability(argv[1], p) ? 2 : 1;
	}
	if (argc < 2)
		return 0;	/* an option with no value: unknown */
	*bad = argv[1];
	return parse_probability(argv[1], p) ? 2 : -1;
}

/* Verifies the culprit with argv; prints the outcome; 0 or 6. */
static int
verify_culprit(struct cli *c, char **argv, size_t argc, double p)
{
	static const struct hv_verify_ops ops = { print_verifying };
	struct hv_verify_report r;
	int rc;

	if (hv_session_verify(c->s, argv, argc, p, &ops, c, &r, &c->err) < 0)
		return fail(c);
	rc = print_verify_report(&r);
	hv_verify_report_release(&r);
	return rc;
}

static int
cmd_verify(struct cli *c)
{
	char **argv = c->argv;
	int argc = c->argc;
	double p = 0;

	for (; argc && argv[0][0] == '-'; argv++, argc--) {
		const char *bad;
		int k = confidence_option(argv, argc, 0, &p, &bad);

		if (k < 0)
			return usage_error("verify", "%s: not a number between "
					   "0 and 1", bad);
		if (k) {
			argv += k - 1;
			argc -= k - 1;
		} else if (!strcmp(argv[0], "--")) {
			argv++;
			argc--;
			break;
		} else {
			return usage_error("verify", "%s: unknown option",
					   argv[0]);
		}
	}
	if (open_session(c) < 0)
		return fail(c);
	if (!argc)
		return verify_pipeline(c, p, 0);
	return verify_culprit(c, argv, (size_t)argc, p);
}

static int
cmd_run(struct cli *c)
{
	static const struct hv_runcmd_ops ops = {
		cli_running, cli_step, cli_descending,
	};
	struct hv_runcmd_opts o = { 0 };
	struct hv_step end;
	struct hv_oid commit;
	int descend = 0, verbose = 0, verify = 0, rc;
	double confidence = 0;
	const char *retest = NULL;
	char **argv = c->argv;
	int argc = c->argc;

	for (; argc && argv[0][0] == '-'; argv++, argc--) {
		const char *bad;
		int k = confidence_option(argv, argc, 1, &confidence, &bad);

		if (k < 0)
			return usage_error("run", "%s: not a number between 0 "
					   "and 1", bad);
		if (!k && (k = max_runs_option(argv, argc, &c->max_runs,
						&bad)) < 0)
			return usage_error("run", "%s: not a number of runs",
					   bad);
		if (k) {
			argv += k - 1;
			argc -= k - 1;
		} else if (!strcmp(argv[0], "--descend"))
			descend = 1;
		else if (!strcmp(argv[0], "--verify"))
			verify = 1;
		else if (!strcmp(argv[0], "--retest") && argc > 1) {
			retest = argv[1];
			argv++;
			argc--;
		} else if (!strncmp(argv[0], "--retest=", 9))
			retest = argv[0] + 9;
		else if (!strcmp(argv[0], "-v") || !strcmp(argv[0], "--verbose"))
			verbose = 1;
		else if (!strcmp(argv[0], "--")) {
			argv++;
			argc--;
			break;
		} else
			return usage_error("run", "%s: unknown option", argv[0]);
	}
	if (open_session(c) < 0)
		return fail(c);
	if (!marks(c).active) {
		hv_error_set(&c->err, "run: no bisection in progress (start "
			     "one with halve start)");
		return fail(c);
	}
	if (retest && (argc || verify || descend))
		return usage_error("run", "%s", "--retest runs the pipeline on "
				   "one commit: no CMD, --verify or --descend");
	if (retest && hv_repo_resolve(hv_session_repo(c->s), retest, &commit,
				      &c->err) < 0)
		return fail(c);
	if (confidence &&
	    hv_session_set_confidence(c->s, confidence, &c->err) < 0)
		return fail(c);
	if (retest)
		return retest_pipeline(c, &commit, verbose);
	if (!argc)
		return run_pipeline(c, descend, verbose, verify);
	hv_session_set_max_runs(c->s, c->max_runs);
	o.argv = argv;
	o.argc = (size_t)argc;
	o.descend = descend;
	if (hv_session_run_cmd(c->s, &o, &ops, c, &end, &c->err) < 0)
		return fail(c);
	rc = print_step(c->s, &end);
	if (end.outcome == HV_STEP_FOUND)
		printf("bisect found first bad commit\n");	/* git's last line */
	if (end.outcome == HV_STEP_FOUND && verify)
		rc = verify_culprit(c, argv, (size_t)argc, 0);
	hv_step_release(&end);
	return rc;
}

/*
 * undo: what the workstation's u does, the last mark taken back (the
 * log without it replayed, inside the merges descended into).
 */
static int
cmd_undo(struct cli *c)
{
	struct hv_step step;
	int rc;

	if (c->argc)
		return usage_error("undo", "%s: unexpected argument", c->argv[0]);
	if (open_session(c) < 0)
		return fail(c);
	if (hv_session_undo(c->s, &step, &c->err) < 0)
		return fail(c);
	rc = print_step(c->s, &step);
	hv_step_release(&step);
	return rc;
}

static int
cmd_descend(struct cli *c)
{
	struct hv_step step;
	int parent = 2, rc;

	if (c->argc > 1)
		return usage_error("descend", "%s: too many arguments", c->argv[1]);
	if (c->argc) {
		char *end;
		long v = strtol(c->argv[0], &end, 10);

		if (*end || v < 1 || v > 64)
			return usage_error("descend", "%s: not a parent number",
					   c->argv[0]);
		parent = (int)v;
	}
	if (open_session(c) < 0)
		return fail(c);
	if (hv_session_descend(c->s, parent, &step, &c->err) < 0)
		return fail(c);
	rc = print_step(c->s, &step);
	hv_step_release(&step);
	return rc;
}

static int
cmd_ascend(struct cli *c)
{
	struct hv_step step;
	int rc;

	if (c->argc)
		return usage_error("ascend", "%s: unexpected argument", c->argv[0]);
	if (open_session(c) < 0)
		return fail(c);
	if (hv_session_ascend(c->s, &step, &c->err) < 0)
		return fail(c);
	rc = print_step(c->s, &step);
	hv_step_release(&step);
	return rc;
}

/*
 * The seed story in miniature: a repository whose commits build an
 * initramfs, bisected along the first-parent line to the merge that
 * brought the bug, then down the merged branch to the culprit.
 */
static int
cmd_demo(struct cli *c)
{
	struct hv_demo demo;
	struct hv_step step;
	char good[41], bad[41], culprit[41], *dir = NULL;
	char *argv[6];
	int headless = 0, i, rc;

	for (i = 0; i < c->argc; i++) {
		if (!strcmp(c->argv[i], "--headless"))
			headless = 1;
		else if (c->argv[i][0] == '-')
			return usage_error("demo", "%s: unknown option", c->argv[i]);
		else if (!dir)
			dir = xstrdup(c->argv[i]);
		else
			return usage_error("demo", "%s: too many arguments",
					   c->argv[i]);
	}
	if (!dir) {
		const char *tmp = getenv("TMPDIR");

		dir = xasprintf("%s/halve-demo.XXXXXX", tmp && *tmp ? tmp : "/tmp");
		if (!mkdtemp(dir)) {
			hv_error_set(&c->err, "demo: %s: %s", dir, strerror(errno));
			free(dir);
			return fail(c);
		}
	}
	if (hv_demo_create(dir, &demo, &c->err) < 0) {
		free(dir);
		return fail(c);
	}
	free(dir);
	if (chdir(demo.dir) < 0) {
		hv_error_set(&c->err, "demo: %s: %s", demo.dir, strerror(errno));
		hv_demo_release(&demo);
		return fail(c);
	}
	hv_oid_fmt(good, &demo.good);
	hv_oid_fmt(bad, &demo.bad);
	hv_oid_fmt(culprit, &demo.culprit);
	printf("halve demo: a kernel-shaped history in %s\n"
	       "  good %.12s, bad %.12s; every commit builds an initramfs "
	       "that boots %s in qemu\n"
	       "  and prints RESULT: OKAY or RESULT: FAILED on the serial "
	       "console.\n\n", demo.dir, good, bad,
	       demo.kernel ? demo.kernel : "a kernel (none found!)");
	argv[0] = "--first-parent";
	argv[1] = "--config";
	argv[2] = demo.config;
	argv[3] = bad;
	argv[4] = good;
	argv[5] = NULL;
	rc = start_session(c, argv, 5, &step);
	if (rc) {
		hv_demo_release(&demo);
		return fail(c);
	}
	print_step(c->s, &step);
	hv_step_release(&step);
	if (!headless && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO)) {
		struct hv_workstation_opts wo = { 1, 1 };

		hv_demo_release(&demo);
		hv_session_free(c->s);	/* the workstation opens its own */
		c->s = NULL;
		return hv_workstation_main(0, NULL, &wo);
	}
	rc = run_pipeline(c, 1, 0, 0);
	if (rc == 0) {
		struct hv_step end;

		if (hv_session_next(c->s, 0, &end, &c->err) == 0 &&
		    end.outcome == HV_STEP_FOUND)
			printf("\nThe demo's culprit is %.12s: %s.\n", culprit,
			       hv_oid_cmp(&end.current, &demo.culprit)
				       ? "halve named another commit" : "found");
		hv_step_release(&end);
		printf("The repository stays in %s (halve reset, then look "
		       "around).\n", demo.dir);
	}
	hv_demo_release(&demo);
	return rc;
}

/* The kernel rig's commands live in cli-rig.c. */
static int
cmd_setup(struct cli *c)
{
	return cli_setup(c);
}

static int
cmd_doctor(struct cli *c)
{
	return cli_doctor(c);
}

static void
print_usage(FILE *fp)
{
	size_t i;

	fprintf(fp, "usage: halve [--theme NAME] [-C DIR] [--script FILE] "
		"[--run CMD [ARG...]]\n"
		"       halve SUBCOMMAND [ARGS...]\n\n"
		"With no subcommand, halve opens the workstation (the curses "
		"screen) on the\nrepository here (-C DIR: there), with the "
		"theme NAME; --script FILE drives it\nfrom a file of keys, "
		"as the UI tests do; with --run, r tests each commit with\n"
		"CMD as halve run CMD does.\n\n");
	for (i = 0; i < HV_ARRAY_SIZE(commands); i++)
		fprintf(fp, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fprintf(fp, "\nhalve help SUBCOMMAND shows its arguments.\n");
}

static int
cmd_help(struct cli *c)
{
	size_t i;

	if (!c->argc) {
		print_usage(stdout);
		return 0;
	}
	for (i = 0; i < HV_ARRAY_SIZE(commands); i++)
		if (!strcmp(commands[i].name, c->argv[0])) {
			printf("usage: halve %s %s\n\n%s\n", commands[i].name,
			       commands[i].args, commands[i].summary);
			return 0;
		}
	return usage_error("help", "%s: unknown subcommand", c->argv[0]);
}

/*
 * What a script reads must not be cut short silently: a write error on
 * standard output (a full disk, a closed pipe) fails the command, as git
 * does ("halve: write error: ...", exit 1).
 */
static int
check_stdout(int rc)
{
	int bad = fflush(stdout) != 0 || ferror(stdout);

	if (!bad)
		return rc;
	fprintf(stderr, "halve: write error: %s\n",
		errno ? strerror(errno) : "standard output");
	return rc ? rc : 1;
}

int
main(int argc, char **argv)
{
	struct cli c;
	size_t i;
	int rc;

	memset(&c, 0, sizeof(c));
	if (argc < 2 || !strcmp(argv[1], "-C") || !strcmp(argv[1], "--run") ||
	    !strncmp(argv[1], "--theme", 7) || !strncmp(argv[1], "--script", 8))
		return hv_workstation_main(argc - 1, argv + 1, NULL);
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		printf("%s\n", PACKAGE_STRING);
		return 0;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		print_usage(stdout);
		return 0;
	}
	if (argv[1][0] == '-')
		return usage_error(argv[1], "%s", "unknown option (see halve --help)");
	c.name = argv[1];
	c.argv = argv + 2;
	c.argc = argc - 2;
	rc = -1;
	for (i = 0; i < HV_ARRAY_SIZE(commands); i++)
		if (!strcmp(commands[i].name, c.name)) {
			rc = commands[i].fn(&c);
			break;
		}
	if (i == HV_ARRAY_SIZE(commands))
		rc = cmd_mark(&c);	/* old/new and custom terms */
	hv_session_free(c.s);
	return check_stdout(rc);
}
