/*
 * pipeline.c: the step machine of pipeline.h.
 *
 *   next step ─▶ BUILD ─▶ (artifacts there?) ─▶ BOOT ─▶ TEST ─▶ verdict
 *                  │ fails: [build] failure        │ rule matches: quit qemu
 *                  ▼                               │ silence: [boot] hang
 *               verdict                            ▼ timeout: [boot] hang
 *
 * A verdict is written to the step's directory, then marked in the
 * session (so git's state has it), then the next step starts. Nothing
 * here sleeps: qemu is asked to quit over QMP and killed by the job's
 * TERM-then-KILL timers if it does not.
 *
 * One pipeline at a time per work tree (running.h): a `running` file
 * whose halve died is taken over, said so, and the verdict the dead one
 * wrote but had not marked yet is marked.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "artifacts.h"
#include "boot.h"
#include "buildpick.h"
#include "job.h"
#include "pipeline.h"
#include "qemu.h"
#include "rules.h"
#include "running.h"
#include "sessionint.h"

/* A boot of the step: slot 0 the step's own, the others repeats of it
 * ([boot] slots) with directories of their own, as runs of the commit. */
struct slot {
	struct hv_boot *boot;
	char *dir;		/* its run's directory (slot 0: step_dir) */
	struct hv_verdict v;	/* what it decided, once over */
	int decided, over;
};

struct hv_pipeline {
	struct hv_session *s;
	struct hv_loop *loop;
	const struct hv_config *cfg;
	struct hv_pipeline_opts opts;
	const struct hv_pipeline_ops *ops;
	void *arg;
	/* what runs: the bisection (plan NULL), a caller's plan, or one
	 * commit marked and no further step (once) */
	const struct hv_pipeline_plan *plan;
	void *plan_arg;
	int once;

	struct hv_rules *rules;
	struct hv_lines *lines;
	int claim_fd;		/* running.lock, locked while running; or -1 */
	int marking;		/* the verdict is written, the mark not made */
	struct hv_oid resume;	/* a dead run's decided, unmarked commit */
	int have_resume;
	enum hv_stage stage;
	int running, pause_req;
	struct hv_oid commit;
	char hex[41];
	char *step_dir;
	struct hv_job *job;		/* the build or the host-side test */
	struct slot *slots;		/* the boots running or over */
	int nslots, watched;		/* the one the console shows */
	struct hv_timer *next_timer;
	/* the step a mark returned, run from the loop's next turn */
	struct hv_step next;
	int have_next;
	struct hv_verdict v;
	int decided;
	int64_t stage_start;
	int64_t build_wall;	/* when the build started, for artifacts.h */
	struct hv_buildpick *pick;	/* [build] local: which build runs */
};

const char *
hv_stage_name(enum hv_stage stage)
{
	static const char *const names[] = {
#define HV_STAGE_NAME(id, name) name,
		HV_STAGES(HV_STAGE_NAME)
#undef HV_STAGE_NAME
	};

	return (size_t)stage < HV_ARRAY_SIZE(names) ? names[stage] : "?";
}

static char *
halve_file(struct hv_pipeline *p, const char *name)
{
	return xasprintf("%shalve/%s", p->s->repo->gitdir, name);
}

static void
set_stage(struct hv_pipeline *p, enum hv_stage stage)
{
	p->stage = stage;
	p->stage_start = hv_now_ms();
	hv_running_write(p->s->repo, stage, p->hex, p->marking);
	if (p->ops->stage)
		p->ops->stage(p->arg, stage, &p->commit);
}

int
hv_pipeline_load_config(struct hv_session *s, struct hv_config *cfg,
			struct hv_error *err)
{
	char *path = NULL, *gitdir = xstrdup(s->repo->gitdir);
	int rc;

	gitdir[strlen(gitdir) - 1] = '\0';	/* no trailing slash in messages */
	rc = hv_config_find(NULL, gitdir, &path, err);
	free(gitdir);
	if (rc < 0)
		return -1;
	if (!path)
		return hv_error_set(err, "run: no pipeline config (give one with "
				    "halve start --config FILE, or write "
				    "$XDG_CONFIG_HOME/halve/config)");
	rc = hv_config_parse_file(path, cfg, err);
	free(path);
	return rc;
}

struct hv_pipeline *
hv_pipeline_new(struct hv_session *s, struct hv_loop *loop,
		const struct hv_config *cfg, const struct hv_pipeline_opts *opts,
		const struct hv_pipeline_ops *ops, void *arg)
{
	struct hv_pipeline *p = xcalloc(1, sizeof(*p));

	p->s = s;
	p->loop = loop;
	p->cfg = cfg;
	if (opts)
		p->opts = *opts;
	p->ops = ops;
	p->arg = arg;
	p->claim_fd = -1;
	hv_verdict_release(&p->v);
	/* [bisect]: what is built next is chosen for its rebuild too */
	hv_session_set_rebuild(s, cfg->bisect.build_dir,
			       hv_config_tolerance(cfg));
	return p;
}

static void stop_jobs(struct hv_pipeline *p);
static void release_claim(struct hv_pipeline *p);

static void
free_slots(struct hv_pipeline *p)
{
	int i;

	for (i = 0; i < p->nslots; i++) {
		hv_boot_free(p->slots[i].boot);	/* kills a qemu running */
		if (i)
			free(p->slots[i].dir);
		hv_verdict_release(&p->slots[i].v);
	}
	free(p->slots);
	p->slots = NULL;
	p->nslots = 0;
	p->watched = 0;
}

void
hv_pipeline_free(struct hv_pipeline *p)
{
	if (!p)
		return;
	stop_jobs(p);
	if (p->stage != HV_STAGE_IDLE)
		/* a step stopped half way (the workstation quit): nobody runs
		 * it any more, and `halve status` must not say it does */
		hv_running_write(p->s->repo, HV_STAGE_IDLE, p->hex, 0);
	release_claim(p);
	hv_rules_free(p->rules);
	hv_timer_free(p->next_timer);
	hv_buildpick_free(p->pick);
	hv_verdict_release(&p->v);
	free(p->step_dir);
	free(p);
}

/* Kills whatever runs (qemu, build, test) without waiting for it, and
 * drops a step not yet started. */
static void
stop_job(struct hv_pipeline *p)
{
	if (p->job) {
		struct hv_job *job = p->job;

		p->job = NULL;
		hv_job_free(job);	/* kills and reaps a running job */
	}
}

static void
stop_jobs(struct hv_pipeline *p)
{
	if (p->next_timer)
		hv_timer_stop(p->next_timer);
	if (p->have_next) {
		hv_step_release(&p->next);
		p->have_next = 0;
	}
	stop_job(p);
	free_slots(p);
}

/* -------- one pipeline per work tree -------- */

static void
notice(struct hv_pipeline *p, const char *msg)
{
	if (p->ops->notice)
		p->ops->notice(p->arg, msg);
}

/* A `running` file nobody held the lock for: its halve died. */
static void
take_over(struct hv_pipeline *p, const struct hv_running *old)
{
	char hex[41], *msg;

	hv_oid_fmt(hex, &old->commit);
	msg = xasprintf("run: taking over from a pipeline that is gone "
			"(pid %ld, step %s)", old->pid, hex);
	notice(p, msg);
	free(msg);
	p->resume = old->commit;
	p->have_resume = old->decided;
}

/* Takes running.lock for the life of the run (running.h). */
static int
claim(struct hv_pipeline *p, struct hv_error *err)
{
	struct hv_running stale;

	if (hv_running_claim(p->s->repo, &p->claim_fd, &stale, err) < 0)
		return -1;
	if (stale.pid)
		take_over(p, &stale);
	return 0;
}

static void
release_claim(struct hv_pipeline *p)
{
	hv_running_release(&p->claim_fd);
}

/*
 * The commit a dead run was killed on, after it had written its verdict
 * (its running file says "decided") and before the mark: if that is
 * still the step, the verdict stands and is marked now. 1 when so.
 */
static int
resume_verdict(struct hv_pipeline *p)
{
	struct hv_error err = HV_ERROR_INIT;
	int rc;

	p->have_resume = 0;
	if (memcmp(&p->resume, &p->commit, sizeof(p->commit)))
		return 0;
	rc = hv_verdict_read(p->s->repo, &p->commit, &p->v, &err);
	if (rc < 0) {
		char *msg = xasprintf("run: %s: testing again", err.msg);

		notice(p, msg);
		free(msg);
		hv_error_clear(&err);
	}
	if (rc <= 0 || p->v.abort) {
		hv_verdict_release(&p->v);
		return 0;
	}
	p->decided = 1;
	return 1;
}

static void
finish(struct hv_pipeline *p, const struct hv_step *step, const char *error)
{
	free_slots(p);	/* over, or killed by an abort */
	p->plan = NULL;
	p->plan_arg = NULL;
	p->once = 0;
	p->running = 0;
	set_stage(p, HV_STAGE_IDLE);
	release_claim(p);
	if (p->ops->finished)
		p->ops->finished(p->arg, step, error);
}

static void
finish_error(struct hv_pipeline *p, const char *msg)
{
	struct hv_step none;

	memset(&none, 0, sizeof(none));
	finish(p, &none, msg);
}

static void run_step(struct hv_pipeline *p, struct hv_step *step);
static void plan_step(struct hv_pipeline *p);
static void start_boot(struct hv_pipeline *p);
static void start_test(struct hv_pipeline *p);

/*
 * The repeats' verdicts (slots 1...), each written to its run's
 * directory and told to the face; a repeat that decided nothing, or
 * could not tell (qemu did not start), counts as a skip.
 */
static int
write_repeats(struct hv_pipeline *p, struct hv_error *err)
{
	int i;

	for (i = 1; i < p->nslots; i++) {
		struct slot *sl = &p->slots[i];

		if (!sl->decided || sl->v.abort) {
			char *why = xasprintf("repeat on slot %d: %s", i + 1,
					      sl->decided ? sl->v.reason
							  : "no verdict");

			sl->v.kind = HV_RULE_SKIP;
			sl->v.abort = 0;
			free(sl->v.reason);
			sl->v.reason = why;
		}
		if (hv_verdict_write_in(sl->dir, &p->commit, &sl->v, err) < 0)
			return -1;
		if (p->ops->verdict)
			p->ops->verdict(p->arg, &p->commit, &sl->v);
	}
	return 0;
}

/* Marks the step's runs (one, or one per slot): the next step in step. */
static int
mark_runs(struct hv_pipeline *p, struct hv_step *step, struct hv_error *err)
{
	enum hv_term_kind *kinds;
	char **whys;
	int i, n = p->nslots > 1 ? p->nslots : 1, rc;

	kinds = xcalloc((size_t)n, sizeof(*kinds));
	whys = xcalloc((size_t)n, sizeof(*whys));
	kinds[0] = hv_verdict_term(p->v.kind);
	whys[0] = p->v.reason;
	for (i = 1; i < n; i++) {
		kinds[i] = hv_verdict_term(p->slots[i].v.kind);
		whys[i] = p->slots[i].v.reason;
	}
	rc = hv_session_mark_runs(p->s, &p->commit, kinds, whys, (size_t)n,
				  step, err);
	free(kinds);
	free(whys);
	return rc;
}

/* The verdict is in: record it, mark the commit, go on. */
static void
conclude(struct hv_pipeline *p)
{
	struct hv_error err = HV_ERROR_INIT;
	struct hv_step step;

	stop_job(p);
	if (hv_verdict_write(p->s->repo, &p->commit, &p->v, &err) < 0) {
		finish_error(p, err.msg);
		hv_error_clear(&err);
		return;
	}
	if (p->ops->verdict)
		p->ops->verdict(p->arg, &p->commit, &p->v);
	if (p->v.abort) {
		char *msg = xasprintf("run: %.12s: %s", p->hex, p->v.reason);

		finish_error(p, msg);
		free(msg);
		return;
	}
	if (p->plan) {
		free_slots(p);
		if (p->plan->result(p->plan_arg, &p->commit, &p->v, &err) < 0) {
			finish_error(p, err.msg);
			hv_error_clear(&err);
			return;
		}
		/* the next commit from the loop's next turn, as below */
		hv_timer_start(p->next_timer, 0, 0);
		return;
	}
	if (write_repeats(p, &err) < 0) {
		finish_error(p, err.msg);
		hv_error_clear(&err);
		return;
	}
	p->marking = 1;		/* the running file says so until the mark */
	set_stage(p, HV_STAGE_CHECKOUT);
	p->marking = 0;
	if (mark_runs(p, &step, &err) < 0) {
		free_slots(p);
		finish_error(p, err.msg);
		hv_error_clear(&err);
		return;
	}
	free_slots(p);
	if (p->once) {
		finish(p, &step, NULL);
		hv_step_release(&step);
		return;
	}
	/*
	 * Not run_step() from here: a verdict reached without starting a
	 * job (a boot that cannot start, no build command) would recurse
	 * once per commit through run_step, start_build and conclude, and
	 * hundreds of unbootable commits would exhaust the stack. The loop
	 * runs it next turn, serving keys and redraws in between.
	 */
	p->next = step;
	p->have_next = 1;
	hv_timer_start(p->next_timer, 0, 0);
}

static void
on_next_step(struct hv_loop *loop, struct hv_timer *t, void *arg)
{
	struct hv_pipeline *p = arg;
	struct hv_step step = p->next;

	if (p->plan) {
		plan_step(p);
		return;
	}
	p->have_next = 0;
	memset(&p->next, 0, sizeof(p->next));
	run_step(p, &step);
}

static void
decide(struct hv_pipeline *p, enum hv_rule_kind kind, int abort, char *reason)
{
	hv_verdict_decide(&p->v, &p->decided, kind, abort, reason);
}

static enum hv_rule_kind
action_kind(enum hv_action a, int *abort)
{
	*abort = a == HV_ACTION_ABORT;
	return a == HV_ACTION_BAD ? HV_RULE_BAD : HV_RULE_SKIP;
}

/* What the build, qemu and the test are told: commit, run directory. */
static char **
run_env(struct hv_pipeline *p, const char *dir)
{
	char **env = xcalloc(4, sizeof(char *));

	env[0] = xasprintf("HALVE_COMMIT=%s", p->hex);
	env[1] = xasprintf("HALVE_STEP_DIR=%s", dir);
	env[2] = xasprintf("HALVE_GIT_DIR=%s", p->s->repo->gitdir);
	return env;
}

static int
start_job(struct hv_pipeline *p, struct hv_job_opts *o, const char *log)
{
	struct hv_error err = HV_ERROR_INIT;
	char **env = run_env(p, p->step_dir);
	char *log_path = xasprintf("%s/%s", p->step_dir, log);

	o->cwd = p->s->repo->workdir;
	o->env = env;
	o->log_path = log_path;
	o->arg = p;
	p->job = hv_job_start(p->loop, o, &err);
	hv_argv_free(env);
	free(log_path);
	if (!p->job) {
		decide(p, HV_RULE_NONE, 1, xstrdup(err.msg ? err.msg : "cannot start"));
		hv_error_clear(&err);
		return -1;
	}
	return 0;
}

/* -------- build -------- */

static void
build_note(struct hv_pipeline *p, const char *msg)
{
	char *log = xasprintf("%s/build.log", p->step_dir);
	struct hv_error err = HV_ERROR_INIT;

	if (p->ops->build_output)
		p->ops->build_output(p->arg, msg, strlen(msg));
	if (hv_write_file_atomic(log, msg, strlen(msg), &err) < 0)
		hv_error_clear(&err);
	free(log);
}

/* What the build made for the machine, kept for a run of it again
 * (or of a commit with its tree). */
static void
keep_build(struct hv_pipeline *p)
{
	struct hv_error err = HV_ERROR_INIT;
	struct hv_artifacts_origin from;
	int have_tree;

	from.commit = p->commit;
	have_tree = hv_session_commit_tree(p->s, &p->commit, &from.tree) == 0;
	if (hv_artifacts_keep(p->step_dir, p->cfg, p->s->repo->workdir,
			      p->build_wall, have_tree ? &from : NULL,
			      &err) < 0) {
		char *msg = xasprintf("run: %.12s: the build is not kept for "
				      "another run: %s", p->hex, err.msg);

		notice(p, msg);
		free(msg);
		hv_error_clear(&err);
	}
}

/*
 * A commit whose tree another commit's kept build was made from (under
 * the same config) boots that build: the same sources make the same
 * kernel, and reverts reapplied are common in a kernel's history.
 * 1 when so.
 */
static int
reuse_twin_build(struct hv_pipeline *p)
{
	struct hv_error err = HV_ERROR_INIT;
	struct hv_oid tree, built_for;
	char *steps = halve_file(p, "steps"), *dir = NULL, *names = NULL;
	char *msg = NULL, hex[41];
	int rc = 0;

	if (hv_session_commit_tree(p->s, &p->commit, &tree) < 0 ||
	    !hv_artifacts_find_tree(steps, &tree, p->cfg, &dir, &built_for))
		goto out;
	hv_oid_fmt(hex, &built_for);
	rc = hv_artifacts_restore(dir, p->cfg, p->s->repo->workdir, &names,
				  &err);
	if (rc < 0)
		msg = xasprintf("halve: the build kept for %.12s, which has the "
				"tree of %.12s, cannot be put back (%s): "
				"building\n", hex, p->hex, err.msg);
	else if (rc == 1) {
		msg = xasprintf("halve: not built again: the tree of %.12s was "
				"built for %.12s, %s put back\n", p->hex, hex,
				names);
		hv_artifacts_share(dir, p->step_dir);
	}
	hv_error_clear(&err);
	if (msg) {
		set_stage(p, HV_STAGE_BUILD);
		build_note(p, msg);
	}
out:
	free(msg);
	free(names);
	free(dir);
	free(steps);
	return rc == 1;
}

/*
 * A commit run before with its build kept boots that build again: a
 * re-test costs a boot, not a build (issue 9). 1 when so.
 */
static int
reuse_build(struct hv_pipeline *p)
{
	struct hv_error err = HV_ERROR_INIT;
	char *names = NULL, *msg;
	int rc = hv_artifacts_restore(p->step_dir, p->cfg, p->s->repo->workdir,
				      &names, &err);

	if (rc < 0) {
		msg = xasprintf("halve: the build kept from an earlier run "
				"cannot be put back (%s): building again\n",
				err.msg);
		hv_error_clear(&err);
	} else if (rc == 1) {
		msg = xasprintf("halve: not built again: %s put back as an "
				"earlier run of this commit built it\n", names);
	} else {
		return reuse_twin_build(p);
	}
	set_stage(p, HV_STAGE_BUILD);
	build_note(p, msg);
	free(msg);
	free(names);
	return rc == 1;
}

/* The build this step runs: [build] command, or local (buildpick.h). */
static const char *
pick_build(struct hv_pipeline *p)
{
	const char *command;
	char *note;

	if (!p->pick)
		return p->cfg->build.command;
	command = hv_buildpick_command(p->pick, &note);
	if (note) {
		set_stage(p, HV_STAGE_BUILD);
		build_note(p, note);
		free(note);
	}
	return command;
}

/* A build went well: its time a file counted, and a change of the
 * build said in its log and to the face. */
static void
pick_record(struct hv_pipeline *p, int64_t elapsed_ms)
{
	char *log, *msg;

	if (!p->pick)
		return;
	log = xasprintf("%s/build.log", p->step_dir);
	msg = hv_buildpick_record(p->pick, log, elapsed_ms);
	if (msg) {
		char *line = xasprintf("halve: %s\n", msg);

		if (p->ops->build_output)
			p->ops->build_output(p->arg, line, strlen(line));
		notice(p, msg);
		free(line);
		free(msg);
	}
	free(log);
}

static void
on_build_output(struct hv_job *job, const char *data, size_t len, void *arg)
{
	struct hv_pipeline *p = arg;

	if (p->ops->build_output)
		p->ops->build_output(p->arg, data, len);
}

static void
after_build(struct hv_pipeline *p)
{
	if (p->cfg->boot.qemu) {
		start_boot(p);
	} else if (p->cfg->test.command) {
		start_test(p);
	} else {
		/* a build-only pipeline: building is the test */
		decide(p, HV_RULE_GOOD, 0, xstrdup("build succeeded"));
		conclude(p);
	}
}

static void
on_build_exit(struct hv_job *job, const struct hv_job_result *res, void *arg)
{
	struct hv_pipeline *p = arg;

	p->job = NULL;
	hv_job_free(job);
	p->v.build_ms = res->elapsed_ms;
	if (res->exit_code != 0 || res->timed_out) {
		struct strbuf why = STRBUF_INIT;
		int abort;
		enum hv_rule_kind kind = action_kind(p->cfg->build.failure, &abort);

		if (res->timed_out) {
			sb_adds(&why, "build timed out after ");
			hv_format_duration(&why, p->cfg->build.timeout_ms);
		} else if (res->signal) {
			sb_addf(&why, "build killed by signal %d", res->signal);
		} else {
			sb_addf(&why, "build failed (exit %d)", res->exit_code);
		}
		p->v.exit_code = res->exit_code;
		decide(p, kind, abort, sb_detach(&why));
		conclude(p);
		return;
	}
	pick_record(p, res->elapsed_ms);
	keep_build(p);
	after_build(p);
}

/* A shell command of the step (build, test): its output goes to the
 * build pane, its exit to on_exit. */
static void
start_command(struct hv_pipeline *p, enum hv_stage stage, const char *command,
	      int64_t timeout_ms, hv_job_exit_fn *on_exit, const char *log)
{
	struct hv_job_opts o;

	set_stage(p, stage);
	memset(&o, 0, sizeof(o));
	o.command = command;
	o.timeout_ms = timeout_ms;
	o.on_output = on_build_output;
	o.on_exit = on_exit;
	if (start_job(p, &o, log) < 0)
		conclude(p);
}

static void
start_build(struct hv_pipeline *p)
{
	if (!p->cfg->build.command || reuse_build(p)) {
		after_build(p);
		return;
	}
	p->build_wall = hv_wall_ms();
	start_command(p, HV_STAGE_BUILD, pick_build(p),
		      p->cfg->build.timeout_ms, on_build_exit, "build.log");
}

/* -------- boot -------- */

/*
 * How many boots of this step at once: [boot] slots when results are
 * weighed (a believed mark takes one run) and the console alone decides
 * (a host-side test would run in the one work tree), for the
 * bisection's steps; else one.
 */
static int
slots_for_step(const struct hv_pipeline *p)
{
	if (p->cfg->boot.slots <= 1 || hv_session_confidence(p->s) <= 0 ||
	    p->cfg->test.command || p->plan || p->once)
		return 1;
	return p->cfg->boot.slots;
}

/* The directory of a repeat: the next free DIR.k, made. */
static char *
repeat_dir(struct hv_pipeline *p, struct hv_error *err)
{
	struct stat sb;
	int k;

	for (k = 1; k < 10000; k++) {
		char *dir = xasprintf("%s.%d", p->step_dir, k);

		if (stat(dir, &sb) < 0 && hv_mkdir_p(dir, err) == 0)
			return dir;
		free(dir);
	}
	hv_error_set(err, "%s: no free directory for a repeat", p->step_dir);
	return NULL;
}

static struct slot *
slot_of(struct hv_pipeline *p, struct hv_boot *b)
{
	int i;

	for (i = 0; i < p->nslots; i++)
		if (p->slots[i].boot == b)
			return &p->slots[i];
	return NULL;
}

static void
on_boot_output(void *arg, struct hv_boot *b, const char *data, size_t len)
{
	struct hv_pipeline *p = arg;
	struct slot *sl = slot_of(p, b);

	if (sl == &p->slots[p->watched] && p->ops->console_output)
		p->ops->console_output(p->arg, data, len);
}

static void after_boots(struct hv_pipeline *p);

static void
on_boot_exited(void *arg, struct hv_boot *b)
{
	struct hv_pipeline *p = arg;
	struct slot *sl = slot_of(p, b);
	int i;

	sl->decided = hv_boot_verdict(b, &sl->v);
	sl->v.build_ms = p->v.build_ms;
	sl->over = 1;
	for (i = 0; i < p->nslots; i++)
		if (!p->slots[i].over)
			return;	/* the step waits for its repeats */
	after_boots(p);
}

/* Every boot is over: slot 0's verdict is the step's. */
static void
after_boots(struct hv_pipeline *p)
{
	struct slot *first = &p->slots[0];
	int64_t build_ms = p->v.build_ms;

	hv_verdict_release(&p->v);
	p->v = first->v;	/* the strings move to the step */
	hv_verdict_init(&first->v);
	p->v.build_ms = build_ms;
	if (first->decided) {
		p->decided = 1;
		conclude(p);
	} else if (p->cfg->test.command) {
		start_test(p);
	} else {
		decide(p, HV_RULE_SKIP, 0, xstrdup("no verdict: the guest "
			"stopped and no rule matched"));
		conclude(p);
	}
}

/* Starts slot i's boot; -1 with err. */
static int
start_slot(struct hv_pipeline *p, int i, struct hv_error *err)
{
	static const struct hv_boot_ops ops = { on_boot_output, on_boot_exited };
	struct slot *sl = &p->slots[i];
	char **env, *log;

	hv_verdict_init(&sl->v);
	sl->dir = i ? repeat_dir(p, err) : p->step_dir;
	if (!sl->dir)
		return -1;
	env = run_env(p, sl->dir);
	log = xasprintf("%s/console.log", sl->dir);
	sl->boot = hv_boot_start(p->loop, p->cfg, p->rules,
				 p->s->repo->workdir, env, log, &ops, p, err);
	hv_argv_free(env);
	free(log);
	return sl->boot ? 0 : -1;
}

static void
start_boot(struct hv_pipeline *p)
{
	struct hv_error err = HV_ERROR_INIT;
	char *missing;
	int i, n = slots_for_step(p);

	missing = hv_boot_missing_file(p->cfg, p->s->repo->workdir);
	if (missing) {
		decide(p, HV_RULE_SKIP, 0,
		       xasprintf("the build made no %s", missing));
		free(missing);
		conclude(p);
		return;
	}
	set_stage(p, HV_STAGE_BOOT);
	free_slots(p);
	p->slots = xcalloc((size_t)n, sizeof(*p->slots));
	p->nslots = n;
	for (i = 0; i < n; i++) {
		if (start_slot(p, i, &err) == 0)
			continue;
		if (i == 0) {
			/* qemu cannot start at all: a broken config */
			p->nslots = 1;
			decide(p, HV_RULE_NONE, 1, xstrdup(err.msg ? err.msg
							   : "cannot start"));
			hv_error_clear(&err);
			conclude(p);
			return;
		}
		{
			char *msg = xasprintf("run: %.12s: boot slot %d does not "
					      "start: %s", p->hex, i + 1, err.msg);

			notice(p, msg);
			free(msg);
		}
		hv_error_clear(&err);
		p->nslots = i;	/* the repeats that started */
		break;
	}
}

/* -------- host-side test -------- */

static void
on_test_exit(struct hv_job *job, const struct hv_job_result *res, void *arg)
{
	struct hv_pipeline *p = arg;
	int code = res->exit_code;

	p->job = NULL;
	hv_job_free(job);
	p->v.test_ms = res->elapsed_ms;
	p->v.exit_code = code;
	if (res->timed_out) {
		decide(p, HV_RULE_NONE, 1, xstrdup("test timed out"));
	} else {
		switch (hv_rules_exit_code(code)) {
		case HV_RULE_GOOD:
			decide(p, HV_RULE_GOOD, 0, xstrdup("test passed (exit 0)"));
			break;
		case HV_RULE_SKIP:
			decide(p, HV_RULE_SKIP, 0,
			       xstrdup("test says skip (exit 125)"));
			break;
		case HV_RULE_BAD:
			decide(p, HV_RULE_BAD, 0,
			       xasprintf("test failed (exit %d)", code));
			break;
		default:
			decide(p, HV_RULE_NONE, 1, xasprintf("test exit code %d "
				"(128 or more aborts)", code));
			break;
		}
	}
	conclude(p);
}

static void
start_test(struct hv_pipeline *p)
{
	start_command(p, HV_STAGE_TEST, p->cfg->test.command,
		      p->cfg->test.timeout_ms, on_test_exit, "test.log");
}

/* -------- steps -------- */

/*
 * Under --confidence every run of a commit is a result of its own, and
 * its logs stay: an earlier run's directory becomes DIR.1, DIR.2...
 * (the newest run is always DIR, where the faces look). Otherwise a
 * commit run again starts clean. Either way the build kept from an
 * earlier run moves into the new directory. Returns where the earlier
 * run went (malloc'd), or NULL when there was none.
 */
static char *
put_earlier_run_aside(const char *dir, int keep)
{
	struct stat sb;
	int k;

	if (stat(dir, &sb) < 0)
		return NULL;
	for (k = 1; k < 10000; k++) {
		char *to = keep ? xasprintf("%s.%d", dir, k)
				: xasprintf("%s.old", dir);
		int taken = stat(to, &sb) == 0;

		if (!keep && taken) {
			hv_remove_tree(to);	/* a killed halve's */
			taken = 0;
		}
		if (!taken && rename(dir, to) == 0)
			return to;
		free(to);
		if (!taken)
			return NULL;	/* cannot keep it: the run starts clean */
	}
	return NULL;
}

static int
prepare_step_dir(struct hv_pipeline *p, struct hv_error *err)
{
	char *name = xasprintf("steps/%s", p->hex), *earlier;
	int keep = hv_session_confidence(p->s) > 0;

	free(p->step_dir);
	p->step_dir = halve_file(p, name);
	free(name);
	earlier = put_earlier_run_aside(p->step_dir, keep);
	hv_remove_tree(p->step_dir);	/* a commit tested again starts clean */
	if (hv_mkdir_p(p->step_dir, err) < 0) {
		free(earlier);
		return -1;
	}
	if (earlier) {
		hv_artifacts_move(earlier, p->step_dir);
		if (!keep)
			hv_remove_tree(earlier);
		free(earlier);
	}
	return 0;
}

/* commit is the step's, nothing decided yet. */
static void
take_commit(struct hv_pipeline *p, const struct hv_oid *commit)
{
	p->commit = *commit;
	hv_oid_fmt(p->hex, &p->commit);
	hv_verdict_release(&p->v);
	p->decided = 0;
}

/* Builds, boots and tests commit (checked out). */
static void
start_commit(struct hv_pipeline *p, const struct hv_oid *commit)
{
	struct hv_error err = HV_ERROR_INIT;

	take_commit(p, commit);
	if (prepare_step_dir(p, &err) < 0) {
		finish_error(p, err.msg);
		hv_error_clear(&err);
		return;
	}
	start_build(p);
}

/*
 * A step whose commit has the tree of one already marked, when results
 * are believed: that mark is its verdict too, with neither build nor
 * boot (git would test it again). The reason says so in build.log, the
 * verdict file and the log's "# halve:" line. Weighed, a repeat is
 * information, and the commit runs (its kernel reused by tree). 1 when
 * it concluded.
 */
static int
twin_verdict(struct hv_pipeline *p, const struct hv_oid *commit)
{
	struct hv_error err = HV_ERROR_INIT;
	struct hv_oid twin;
	enum hv_term_kind kind;
	char hex[41], *why, *note;

	if (hv_session_confidence(p->s) > 0 ||
	    !hv_session_same_tree(p->s, commit, &twin, &kind))
		return 0;
	take_commit(p, commit);
	if (prepare_step_dir(p, &err) < 0) {
		finish_error(p, err.msg);
		hv_error_clear(&err);
		return 1;
	}
	hv_oid_fmt(hex, &twin);
	why = xasprintf("%.12s has the tree of %.12s, marked %s: not built "
			"or booted again", p->hex, hex,
			hv_session_term_name(p->s, kind));
	note = xasprintf("halve: %s\n", why);
	build_note(p, note);
	free(note);
	decide(p, kind == HV_TERM_NEW ? HV_RULE_BAD : HV_RULE_GOOD, 0, why);
	conclude(p);
	return 1;
}

/* Takes over step (released here). */
static void
run_step(struct hv_pipeline *p, struct hv_step *step)
{
	struct hv_error err = HV_ERROR_INIT;
	struct hv_oid commit;

	for (;;) {
		if (p->opts.descend && hv_session_found_merge(p->s, step)) {
			if (p->ops->step)
				p->ops->step(p->arg, step);
			hv_step_release(step);
			if (hv_session_descend(p->s, 2, step, &err) < 0) {
				finish_error(p, err.msg);
				hv_error_clear(&err);
				return;
			}
		}
		if (p->ops->step)
			p->ops->step(p->arg, step);
		if (step->outcome != HV_STEP_TEST &&
		    step->outcome != HV_STEP_MERGE_BASE) {
			finish(p, step, step->outcome == HV_STEP_WAITING
					       ? "run: needs a good and a bad commit first"
					       : NULL);
			hv_step_release(step);
			return;
		}
		break;
	}
	if (p->pause_req) {
		p->pause_req = 0;
		finish(p, step, NULL);	/* paused before testing step */
		hv_step_release(step);
		return;
	}
	commit = step->current;
	hv_step_release(step);
	if (p->have_resume) {
		take_commit(p, &commit);
		if (resume_verdict(p)) {
			conclude(p);
			return;
		}
	}
	if (twin_verdict(p, &commit))
		return;
	start_commit(p, &commit);
}

/* A plan's next commit, or its end. */
static void
plan_step(struct hv_pipeline *p)
{
	struct hv_error err = HV_ERROR_INIT;
	struct hv_step none;
	struct hv_oid commit;
	int rc;

	memset(&none, 0, sizeof(none));
	if (p->pause_req) {
		p->pause_req = 0;
		finish(p, &none, NULL);
		return;
	}
	set_stage(p, HV_STAGE_CHECKOUT);
	rc = p->plan->next(p->plan_arg, &commit, &err);
	if (rc < 0) {
		finish_error(p, err.msg);
		hv_error_clear(&err);
	} else if (rc == 0) {
		finish(p, &none, NULL);
	} else {
		start_commit(p, &commit);
	}
}

/* What every run does first; then it is running and holds the claim. */
static int
begin_run(struct hv_pipeline *p, struct hv_error *err)
{
	if (!p->rules) {
		p->rules = hv_rules_from_config(p->cfg, err);
		if (!p->rules)
			return -1;
	}
	if (!p->next_timer)
		p->next_timer = hv_timer_new(p->loop, on_next_step, p);
	if (!p->pick) {
		char *dir = halve_file(p, "");

		dir[strlen(dir) - 1] = '\0';
		p->pick = hv_buildpick_open(dir, p->cfg);
		free(dir);
	}
	if (!p->cfg->build.command && !p->cfg->boot.qemu && !p->cfg->test.command)
		return hv_error_set(err, "run: the config has no [build], "
				    "[boot] or [test] command");
	/* [verdict] confidence: the session weighs results from now on,
	 * unless it already does (run --confidence's P goes first) */
	if (p->cfg->confidence > 0 && !hv_session_confidence(p->s) &&
	    hv_session_set_confidence(p->s, p->cfg->confidence, err) < 0)
		return -1;
	if (claim(p, err) < 0)
		return -1;
	if (p->cfg->boot.qemu)
		hv_qemu_clean_stale();	/* a killed halve's sockets */
	p->plan = NULL;
	p->once = 0;
	p->running = 1;
	/* the running file names the commit checked out until the step is
	 * known: another run refused meanwhile says which */
	if (hv_session_current(p->s, &p->commit, NULL) == 0)
		hv_oid_fmt(p->hex, &p->commit);
	set_stage(p, HV_STAGE_CHECKOUT);
	return 0;
}

/* A run that fails before its first step: nothing runs, nothing held. */
static int
abandon_run(struct hv_pipeline *p)
{
	p->running = 0;
	p->plan = NULL;
	p->once = 0;
	set_stage(p, HV_STAGE_IDLE);
	release_claim(p);
	return -1;
}

/*
 * A verdict a dead run wrote and did not mark, before a run that does
 * not go on with the bisection: marked now, as the bisection would.
 */
static int
settle_resume(struct hv_pipeline *p, struct hv_error *err)
{
	struct hv_step step;
	char *revs[1];
	int rc;

	if (!p->have_resume)
		return 0;
	take_commit(p, &p->resume);
	if (!resume_verdict(p))
		return 0;
	revs[0] = p->hex;
	rc = hv_session_mark_why(p->s, hv_verdict_term(p->v.kind), revs, 1,
				 p->v.reason, &step, err);
	if (rc == 0)
		hv_step_release(&step);
	hv_verdict_release(&p->v);
	return rc;
}

int
hv_pipeline_start(struct hv_pipeline *p, struct hv_error *err)
{
	struct hv_step step;

	if (p->running)
		return 0;
	if (begin_run(p, err) < 0)
		return -1;
	if (hv_session_next(p->s, 1, &step, err) < 0)
		return abandon_run(p);
	run_step(p, &step);
	return 0;
}

int
hv_pipeline_start_plan(struct hv_pipeline *p,
		       const struct hv_pipeline_plan *plan, void *plan_arg,
		       struct hv_error *err)
{
	if (p->running)
		return hv_error_set(err, "run: the pipeline is running");
	if (begin_run(p, err) < 0)
		return -1;
	if (settle_resume(p, err) < 0)
		return abandon_run(p);
	p->plan = plan;
	p->plan_arg = plan_arg;
	plan_step(p);
	return 0;
}

int
hv_pipeline_retest(struct hv_pipeline *p, const struct hv_oid *commit,
		   struct hv_error *err)
{
	if (p->running)
		return hv_error_set(err, "run: the pipeline is running");
	if (begin_run(p, err) < 0)
		return -1;
	if (settle_resume(p, err) < 0 || hv_session_show(p->s, commit, err) < 0)
		return abandon_run(p);
	p->once = 1;
	start_commit(p, commit);
	return 0;
}

void
hv_pipeline_pause(struct hv_pipeline *p, int on)
{
	p->pause_req = on;
}

int
hv_pipeline_pausing(const struct hv_pipeline *p)
{
	return p->pause_req;
}

void
hv_pipeline_cancel(struct hv_pipeline *p)
{
	stop_jobs(p);
	p->plan = NULL;
	p->once = 0;
	p->running = 0;
	p->decided = 1;
	set_stage(p, HV_STAGE_IDLE);
	release_claim(p);
}

int
hv_pipeline_running(const struct hv_pipeline *p)
{
	return p->running;
}

int
hv_pipeline_console_write(struct hv_pipeline *p, const void *data, size_t len)
{
	if (p->stage != HV_STAGE_BOOT || !p->nslots ||
	    !hv_boot_running(p->slots[p->watched].boot))
		return -1;
	return hv_boot_write(p->slots[p->watched].boot, data, len);
}

void
hv_pipeline_console_resize(struct hv_pipeline *p, int rows, int cols)
{
	int i;

	for (i = 0; i < p->nslots; i++)
		if (hv_boot_running(p->slots[i].boot))
			hv_boot_resize(p->slots[i].boot, rows, cols);
}

int
hv_pipeline_slots(const struct hv_pipeline *p, int *watched)
{
	if (watched)
		*watched = p->watched;
	return p->stage == HV_STAGE_BOOT ? p->nslots : 0;
}

int
hv_pipeline_watch(struct hv_pipeline *p, int slot, struct strbuf *console)
{
	char *log;
	int rc;

	if (p->stage != HV_STAGE_BOOT || slot < 0 || slot >= p->nslots)
		return -1;
	p->watched = slot;
	log = xasprintf("%s/console.log", p->slots[slot].dir);
	rc = hv_read_file(log, console);
	free(log);
	return rc < 0 ? -1 : 0;
}
