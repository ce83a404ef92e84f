/*
 * job.h: run one command on its own pseudo terminal, driven by the loop.
 *
 * A job is `/bin/sh -c COMMAND` (or an argv, exec'd directly) in a new
 * session on a new pty (forkpty), so the child is the leader of its own
 * process group and a timeout or a kill reaches everything it started.
 * Output arrives as raw pty bytes through a callback (and optionally into
 * a log file as it comes); the exit callback runs once the child is
 * reaped and its output drained. Keys can be written to it and the
 * terminal resized. Timeouts send SIGTERM to the group, then SIGKILL
 * after a grace period; all of it is timers, nothing here sleeps.
 *
 * When the command exits, whatever it left behind in its process group is
 * killed: a build must not leave a process holding the pty open.
 */
#ifndef HALVE_JOB_H
#define HALVE_JOB_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "loop.h"
#include "util.h"

struct hv_job;

struct hv_job_result {
	int exit_code;		/* exit status, or -1 when killed by a signal */
	int signal;		/* the signal that killed it, or 0 */
	int timed_out;		/* the job's timeout fired and it was killed */
	int killed;		/* hv_job_kill() was called */
	int64_t elapsed_ms;	/* start to reaped */
	uint64_t output_bytes;	/* bytes read from the pty */
	const char *log_error;	/* why the log stopped being written, or NULL */
};

/* Raw pty bytes as they arrive (\r\n line ends, escapes and all). */
typedef void hv_job_output_fn(struct hv_job *job, const char *data,
			      size_t len, void *arg);
/* Once, when the job is over. The job may be freed from here. */
typedef void hv_job_exit_fn(struct hv_job *job,
			    const struct hv_job_result *res, void *arg);

struct hv_job_opts {
	const char *command;	/* run as /bin/sh -c command, or: */
	char *const *argv;	/* exec'd with PATH lookup when command is NULL */
	const char *cwd;	/* NULL: halve's own */
	char *const *env;	/* NULL-terminated "NAME=value" added; may be NULL */
	const char *log_path;	/* raw output appended here; NULL: none */
	int64_t timeout_ms;	/* 0: none */
	int64_t kill_grace_ms;	/* SIGTERM to SIGKILL; 0: HV_JOB_GRACE_DEFAULT */
	int rows, cols;		/* pty size; 0: 24 x 80 */
	hv_job_output_fn *on_output;
	hv_job_exit_fn *on_exit;
	void *arg;
};

#define HV_JOB_GRACE_DEFAULT 2000

/*
 * Start the job. Fails (NULL, err filled) when the pty cannot be made or
 * the command cannot start: a missing cwd or program is reported here as
 * "PROGRAM: No such file or directory", not as an exit status. Registers
 * a SIGCHLD handler with the loop (see hv_loop_on_signal).
 */
struct hv_job *hv_job_start(struct hv_loop *loop,
			    const struct hv_job_opts *opts,
			    struct hv_error *err);

/*
 * Free the job. A job still running is killed (SIGKILL to its group) and
 * reaped first, without its exit callback.
 */
void hv_job_free(struct hv_job *job);

pid_t hv_job_pid(const struct hv_job *job);
int hv_job_running(const struct hv_job *job);	/* not yet reaped */

/* Queue bytes for the job's terminal (keys); written as the pty takes
 * them. Returns -1 once the job's terminal is gone. */
int hv_job_write(struct hv_job *job, const void *data, size_t len);
int hv_job_resize(struct hv_job *job, int rows, int cols);

/* SIGTERM to the group, SIGKILL after the grace period. */
void hv_job_kill(struct hv_job *job);

#endif
