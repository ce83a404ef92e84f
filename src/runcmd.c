/*
 * runcmd.c: git bisect run's loop (runcmd.h). It keeps the session, the
 * repository and the range it walked open across steps, so a step costs
 * the command, a mark and a checkout, not a new walk.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pipeline.h"
#include "runcmd.h"
#include "sessionint.h"

char *
hv_runcmd_line(char **argv, size_t argc)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	/* as git's sq_quote_argv(): a space before every word */
	for (i = 0; i < argc; i++) {
		sb_addc(&sb, ' ');
		hv_sq_quote(&sb, argv[i]);
	}
	return sb_detach(&sb);
}

void
hv_runcmd_config(char **argv, size_t argc, struct hv_config *cfg)
{
	char *line = hv_runcmd_line(argv, argc);

	hv_config_init(cfg);
	cfg->name = xstrdup("run");
	cfg->test.command = line;
	cfg->defaults = 0;	/* the exit code decides, as in git */
}

int
hv_runcmd_exec(const char *line, const char *cwd)
{
	pid_t pid;
	int status;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (cwd && chdir(cwd) < 0)
			_exit(126);
		execl("/bin/sh", "sh", "-c", line, (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

/*
 * Shows the command the first good commit, a change like any other:
 * under the lock, from the state read again, so that no other halve
 * checks out at the same time. *here is where the work tree was; 1 when
 * shown, 0 when there is no good commit.
 */
static int
show_good(struct hv_session *s, struct hv_oid *here, struct hv_error *err)
{
	int rc = 0;

	if (begin_change(s, 0, err) < 0)
		return -1;
	if (s->st.ngoods && hv_session_current(s, here, NULL) == 0)
		rc = session_show(s, &s->st.goods[0], err) < 0 ? -1 : 1;
	end_change(s);
	return rc;
}

/* And back to here, likewise. */
static int
show_again(struct hv_session *s, const struct hv_oid *here,
	   struct hv_error *err)
{
	int rc;

	if (begin_change(s, 0, err) < 0)
		return -1;
	rc = session_show(s, here, err);
	end_change(s);
	return rc;
}

/*
 * 126 and 127 on the first step usually mean "cannot run", not "bad":
 * run the command on a good commit; if it fails the same way there, the
 * command is broken and the run stops.
 */
static int
verify_on_good(struct hv_session *s, const char *line, const char *name,
	       int code, struct hv_error *err)
{
	struct hv_oid here;
	int rc;

	rc = show_good(s, &here, err);
	if (rc <= 0)
		return rc;
	/* the command runs unlocked, as every test does: it may mark */
	rc = hv_runcmd_exec(line, s->repo->workdir);
	if (show_again(s, &here, err) < 0)
		return -1;
	if (rc == code)
		return hv_error_set(err, "run: %s: exit code %d on the %s "
				    "commit too: the command cannot be run",
				    name, code, s->st.term_good);
	return 0;
}

static int
testing(const struct hv_step *step)
{
	return step->outcome == HV_STEP_TEST ||
	       step->outcome == HV_STEP_MERGE_BASE;
}

/* Runs the command once and marks what it says; *step is the next. */
static int
run_once(struct hv_session *s, const char *line, const char *name, int first,
	 struct hv_step *step, struct hv_error *err)
{
	enum hv_rule_kind verdict;
	int code = hv_runcmd_exec(line, s->repo->workdir);

	verdict = hv_rules_exit_code(code);
	if (verdict == HV_RULE_NONE) {
		if (code < 0)
			return hv_error_set(err, "run: %s: %s", name,
					    strerror(errno));
		return hv_error_set(err, "run: %s: exit code %d (128 or more "
				    "aborts the run)", name, code);
	}
	if (first && (code == 126 || code == 127) &&
	    verify_on_good(s, line, name, code, err) < 0)
		return -1;
	return hv_session_mark(s, hv_verdict_term(verdict), NULL, 0, step,
			       err);
}

int
hv_session_run_cmd(struct hv_session *s, const struct hv_runcmd_opts *o,
		   const struct hv_runcmd_ops *ops, void *arg,
		   struct hv_step *end, struct hv_error *err)
{
	struct hv_step step;
	char *line;
	int first = 1, rc = -1;

	memset(end, 0, sizeof(*end));
	if (!o->argc)
		return hv_error_set(err, "run: no command to run");
	if (!s->st.active)
		return hv_error_set(err, "run: no bisection in progress (start "
				    "one with halve start)");
	if (hv_session_next(s, 1, &step, err) < 0)
		return -1;
	line = hv_runcmd_line(o->argv, o->argc);
	for (;;) {
		if (o->descend && hv_session_found_merge(s, &step)) {
			if (ops->descending)
				ops->descending(arg, &step);
			hv_step_release(&step);
			if (hv_session_descend(s, 2, &step, err) < 0)
				break;
			if (ops->step && testing(&step))
				ops->step(arg, &step);
			continue;
		}
		if (!testing(&step)) {
			if (step.outcome == HV_STEP_WAITING) {
				hv_error_set(err, "run: needs a %s and a %s "
					     "commit first", s->st.term_good,
					     s->st.term_bad);
				hv_step_release(&step);
				break;
			}
			*end = step;
			rc = 0;
			break;
		}
		hv_step_release(&step);
		if (ops->running)
			ops->running(arg, line);
		if (run_once(s, line, o->argv[0], first, &step, err) < 0)
			break;
		first = 0;
		if (ops->step && testing(&step))
			ops->step(arg, &step);
	}
	free(line);
	return rc;
}
