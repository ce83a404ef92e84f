/*
 * runcmd.h: `halve run CMD`, git bisect run's loop in the core: run the
 * command on the commit under test, read its exit code (0 good, 125 skip,
 * 1-127 bad, 128 and above abort), mark, and go on until the session
 * ends. Both faces use it; they only show what it reports.
 *
 * The command goes through the shell as git's does: its words are
 * single-quoted and given to `sh -c`, so `run eval "a && b"` and shell
 * builtins work, and `run 'a && b'` names one command, as in git.
 */
#ifndef HALVE_RUNCMD_H
#define HALVE_RUNCMD_H

#include "conf.h"
#include "rules.h"
#include "session.h"

struct hv_runcmd_ops {
	/* the command line about to run (git prints "running" + it) */
	void (*running)(void *arg, const char *command);
	/* the next commit to test (not the first: it is already out) */
	void (*step)(void *arg, const struct hv_step *step);
	/* a first bad merge, about to be descended into (--descend) */
	void (*descending)(void *arg, const struct hv_step *found);
};

struct hv_runcmd_opts {
	char **argv;
	size_t argc;
	int descend;		/* go down into a first bad merge */
};

/*
 * Runs the loop; end gets the step the session ended on (found, only
 * skipped...; the caller releases it). -1 with err when the command could
 * not run or aborted, or a mark failed (marks made so far stay).
 */
int hv_session_run_cmd(struct hv_session *s, const struct hv_runcmd_opts *o,
		       const struct hv_runcmd_ops *ops, void *arg,
		       struct hv_step *end, struct hv_error *err);

/*
 * The same bisection as a pipeline config, for a face that runs steps in
 * its loop (the workstation's r): no build, no boot, and a [test] command
 * that is the command line below, whose exit code decides as here
 * (hv_rules_exit_code). cfg is initialised here.
 */
void hv_runcmd_config(char **argv, size_t argc, struct hv_config *cfg);

/*
 * Runs a command line in cwd through /bin/sh and returns its exit status,
 * 128 + signal when a signal ended it, -1 (errno set) when it could not
 * be started.
 */
int hv_runcmd_exec(const char *line, const char *cwd);

/*
 * The command line as the shell gets it: each word single-quoted after a
 * space, as git's sq_quote_argv() (so "running" + it is git's line).
 */
char *hv_runcmd_line(char **argv, size_t argc);

#endif
