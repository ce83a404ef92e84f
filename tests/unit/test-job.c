/*
 * test-job.c: commands on a pty (src/job.h), with real processes: exit
 * status, output, environment and cwd, writing keys and reading the echo,
 * resizing, the log file, and killing a whole process group (grandchildren
 * included) on timeout, and when halve itself is killed outright. The
 * test makes itself a child subreaper so that orphaned grandchildren come
 * back to it and can be waited for: no sleeps, no timing assertions.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "job.h"
#include "tap.h"

static struct hv_loop *loop;

struct run {
	struct hv_job *job;
	struct strbuf out;
	struct hv_job_result res;
	int exits;
	const char *reply_on;	/* when the output holds this... */
	const char *reply;	/* ...write this to the job (once) */
	int kill_on_reply;	/* ...or kill the job */
	int resize_rows, resize_cols;	/* ...resizing it first */
	int free_in_exit;
};

static void
on_output(struct hv_job *job, const char *data, size_t len, void *arg)
{
	struct run *r = arg;

	sb_add(&r->out, data, len);
	if (r->reply_on && strstr(r->out.buf, r->reply_on)) {
		r->reply_on = NULL;
		if (r->resize_rows)
			hv_job_resize(job, r->resize_rows, r->resize_cols);
		if (r->kill_on_reply)
			hv_job_kill(job);
		else
			hv_job_write(job, r->reply, strlen(r->reply));
	}
}

static void
on_exit_cb(struct hv_job *job, const struct hv_job_result *res, void *arg)
{
	struct run *r = arg;

	r->res = *res;
	r->res.log_error = NULL;
	r->exits++;
	if (r->free_in_exit) {
		hv_job_free(job);
		r->job = NULL;
	}
	hv_loop_break(loop);
}

static void
opts_init(struct hv_job_opts *o, struct run *r)
{
	memset(o, 0, sizeof(*o));
	memset(r, 0, sizeof(*r));
	o->on_output = on_output;
	o->on_exit = on_exit_cb;
	o->arg = r;
}

/* Start, run the loop until the job is over. Returns 0 or -1. */
static int
run_job(struct hv_job_opts *o, struct run *r)
{
	struct hv_error err = HV_ERROR_INIT;

	r->job = hv_job_start(loop, o, &err);
	if (!r->job) {
		printf("# start: %s\n", err.msg);
		hv_error_clear(&err);
		return -1;
	}
	if (hv_loop_run(loop, &err) < 0) {
		printf("# loop: %s\n", err.msg);
		hv_error_clear(&err);
		return -1;
	}
	sb_grow(&r->out, 0);
	return 0;
}

static void
run_done(struct run *r)
{
	hv_job_free(r->job);
	sb_release(&r->out);
}

/* "bg 1234" in the output: the background process's pid. */
static pid_t
bg_pid(const char *out)
{
	const char *p = strstr(out, "bg ");

	return p ? (pid_t)atol(p + 3) : 0;
}

static void
test_exit_and_output(void)
{
	struct hv_job_opts o;
	struct run r;

	opts_init(&o, &r);
	o.command = "printf 'hello\\n'; printf 'world'; exit 3";
	ok(run_job(&o, &r) == 0, "sh -c job runs");
	is_int(r.exits, 1, "exit callback once");
	is_int(r.res.exit_code, 3, "exit code 3");
	is_int(r.res.signal, 0, "no signal");
	ok(!r.res.timed_out && !r.res.killed, "neither timed out nor killed");
	is_str(r.out.buf, "hello\r\nworld", "output as the pty gave it (\\n became \\r\\n)");
	is_int(r.res.output_bytes, r.out.len, "output byte count");
	ok(!hv_job_running(r.job), "no longer running");
	ok(hv_job_write(r.job, "x", 1) < 0, "writing to a finished job fails");
	run_done(&r);

	opts_init(&o, &r);
	o.command = "test -t 0 && test -t 1 && test -t 2 && echo tty;"
		    "read -r pid comm state ppid pgrp sid rest < /proc/$$/stat;"
		    "echo \"$pid $pgrp $sid\"";
	ok(run_job(&o, &r) == 0, "job on a terminal");
	{
		char *want = xasprintf("tty\r\n%d %d %d\r\n", (int)hv_job_pid(r.job),
				       (int)hv_job_pid(r.job), (int)hv_job_pid(r.job));

		is_str(r.out.buf, want, "stdio is the pty; the job leads its own group and session");
		free(want);
	}
	run_done(&r);

	/* A million bytes all arrive before the exit callback. */
	opts_init(&o, &r);
	o.command = "head -c 1000000 /dev/zero | tr '\\0' x";
	ok(run_job(&o, &r) == 0, "a job with a lot of output");
	is_int(r.out.len, 1000000, "every byte drained before the exit callback");
	is_int(r.res.exit_code, 0, "exit 0");
	run_done(&r);
}

static void
test_env_cwd_argv(void)
{
	char dir[] = "/tmp/halve-test-job-XXXXXX", real[PATH_MAX], *want;
	char *env[] = { "HALVE_COMMIT=0123abcd", "HALVE_STEP_DIR=/x y", NULL };
	char *argv[] = { "printf", "%s|%s", "a b", "c", NULL };
	char *missing[] = { "/nonexistent/qemu-system-x86_64", "-m", "1G", NULL };
	struct hv_error err = HV_ERROR_INIT;
	struct hv_job_opts o;
	struct run r;

	ok(mkdtemp(dir) && realpath(dir, real), "temporary directory");
	opts_init(&o, &r);
	o.command = "printf '%s|%s|%s\\n' \"$HALVE_COMMIT\" \"$HALVE_STEP_DIR\" \"$(pwd -P)\"";
	o.cwd = dir;
	o.env = env;
	ok(run_job(&o, &r) == 0, "job with cwd and env");
	want = xasprintf("0123abcd|/x y|%s\r\n", real);
	is_str(r.out.buf, want, "environment added, cwd set");
	free(want);
	ok(getenv("HALVE_COMMIT") == NULL, "halve's own environment untouched");
	run_done(&r);

	opts_init(&o, &r);
	o.argv = argv;
	ok(run_job(&o, &r) == 0, "argv job");
	is_str(r.out.buf, "a b|c", "argv passed without a shell");
	run_done(&r);

	opts_init(&o, &r);
	o.argv = missing;
	ok(hv_job_start(loop, &o, &err) == NULL, "a missing program fails at start");
	is_str(err.msg, "/nonexistent/qemu-system-x86_64: No such file or directory",
	       "with the program's name and why");
	opts_init(&o, &r);
	o.command = "true";
	o.cwd = "/nonexistent/tree";
	ok(hv_job_start(loop, &o, &err) == NULL, "a missing cwd fails at start");
	is_str(err.msg, "/nonexistent/tree: No such file or directory", "naming the directory");
	opts_init(&o, &r);
	o.command = "true";
	o.log_path = "/nonexistent/dir/build.log";
	ok(hv_job_start(loop, &o, &err) == NULL, "an unwritable log fails at start");
	is_str(err.msg, "/nonexistent/dir/build.log: No such file or directory", "naming the log");
	hv_error_clear(&err);
	rmdir(dir);
}

static void
test_write_resize_log(void)
{
	char path[] = "/tmp/halve-test-job-log-XXXXXX";
	struct strbuf log = STRBUF_INIT;
	struct hv_error err = HV_ERROR_INIT;
	struct hv_job_opts o;
	struct run r;
	const char *p;
	int fd, hellos = 0;

	/* Keys in, echo out: cat on a terminal in canonical mode. */
	opts_init(&o, &r);
	o.command = "cat";
	r.job = hv_job_start(loop, &o, &err);
	ok(r.job != NULL, "cat started");
	ok(hv_job_write(r.job, "hello\n", 6) == 0, "write a line to the job");
	ok(hv_job_write(r.job, "\x04", 1) == 0, "then ^D");
	hv_loop_run(loop, &err);
	for (p = r.out.buf; p && (p = strstr(p, "hello\r\n")); p++)
		hellos++;
	is_int(hellos, 2, "the terminal's echo and cat's copy both came back");
	is_int(r.res.exit_code, 0, "cat ended at ^D");
	run_done(&r);

	/* The size given at start, then a resize before the job looks again. */
	opts_init(&o, &r);
	o.command = "stty size; read x; stty size";
	o.rows = 30;
	o.cols = 100;
	r.reply_on = "30 100\r\n";
	r.reply = "\n";
	r.resize_rows = 40;
	r.resize_cols = 120;
	ok(run_job(&o, &r) == 0, "stty job");
	is_str(r.out.buf, "30 100\r\n\r\n40 120\r\n",
	       "initial size 30x100, then (after the echoed newline) resized to 40x120");
	run_done(&r);

	/* The log gets the raw bytes, appended. */
	fd = mkstemp(path);
	ok(fd >= 0 && write(fd, "before\n", 7) == 7, "log file with earlier content");
	close(fd);
	opts_init(&o, &r);
	o.command = "i=0; while [ $i -lt 500 ]; do echo \"line $i\"; i=$((i+1)); done; printf '\\033[1mbold\\033[m'";
	o.log_path = path;
	ok(run_job(&o, &r) == 0, "job with a log");
	ok(hv_read_file(path, &log) == 0, "log readable");
	ok(log.len == 7 + r.out.len && !strncmp(log.buf, "before\n", 7) &&
	   !memcmp(log.buf + 7, r.out.buf, r.out.len),
	   "log holds exactly the output, appended (%zu bytes)", r.out.len);
	ok(r.out.len > 500 * 7, "all of it");
	run_done(&r);
	sb_release(&log);
	unlink(path);
	hv_error_clear(&err);
}

static void
test_kill(void)
{
	struct hv_job_opts o;
	struct run r;
	pid_t g;
	int status;

	/* A timeout kills the group: the shell and its background sleep. */
	opts_init(&o, &r);
	o.command = "sleep 100 & echo \"bg $!\"; sleep 100";
	o.timeout_ms = 100;
	ok(run_job(&o, &r) == 0, "job with a timeout");
	ok(r.res.timed_out, "timed out");
	is_int(r.res.signal, SIGTERM, "killed by SIGTERM");
	g = bg_pid(r.out.buf);
	ok(g > 0, "the grandchild's pid was printed (%d)", (int)g);
	if (g > 0) {
		/*
		 * The shell may reap its background child itself (it sits in
		 * wait4(-1) when both get SIGTERM); else the orphan came to
		 * us, the subreaper. A sleep 100 that is gone now was killed.
		 */
		pid_t w = waitpid(g, &status, 0);

		ok((w == g && WIFSIGNALED(status)) || (w < 0 && errno == ECHILD),
		   "the grandchild was killed, not left to finish (waitpid %d, status 0x%x)",
		   (int)w, status);
		ok(kill(g, 0) < 0 && errno == ESRCH, "the grandchild is gone");
	}
	run_done(&r);

	/* SIGTERM ignored: SIGKILL after the grace period. */
	opts_init(&o, &r);
	o.command = "trap '' TERM; echo ready; sleep 100";
	o.kill_grace_ms = 50;
	r.reply_on = "ready";
	r.kill_on_reply = 1;
	ok(run_job(&o, &r) == 0, "job that ignores SIGTERM");
	ok(r.res.killed && !r.res.timed_out, "stopped by hv_job_kill");
	is_int(r.res.signal, SIGKILL, "SIGKILL after the grace period");
	run_done(&r);

	/*
	 * A process the command leaves behind in its group (ignoring the
	 * hangup the kernel sends when the session leader exits) would hold
	 * the pty open: it is killed when the command exits.
	 */
	opts_init(&o, &r);
	o.command = "trap '' HUP; sleep 100 & echo \"bg $!\"; exit 7";
	ok(run_job(&o, &r) == 0, "job that leaves a process behind");
	is_int(r.res.exit_code, 7, "its exit code");
	g = bg_pid(r.out.buf);
	ok(g > 0, "the straggler's pid was printed");
	if (g > 0) {
		pid_t w = waitpid(g, &status, 0);

		ok(w == g && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
		   "the straggler was killed (waitpid %d, status 0x%x)", (int)w, status);
		ok(kill(g, 0) < 0 && errno == ESRCH, "and is gone");
	}
	run_done(&r);

	/* The exit callback may free its job. */
	opts_init(&o, &r);
	o.command = "echo bye";
	r.free_in_exit = 1;
	ok(run_job(&o, &r) == 0 && r.job == NULL && r.exits == 1,
	   "job freed from its own exit callback");
	run_done(&r);
}

/* The stand-in's job output, relayed to the test. */
static void
relay(struct hv_job *job, const char *data, size_t len, void *arg)
{
	ssize_t n = write(*(int *)arg, data, len);

	(void)n;
}

/*
 * A stand-in for halve: a loop and one job, whose shell starts a
 * background process and a shell that starts another, all three deaf to
 * SIGHUP and SIGTERM, and says their pids. It runs until it is killed.
 */
static void __attribute__((noreturn))
stand_in(int fd)
{
	struct hv_error err = HV_ERROR_INIT;
	struct hv_job_opts o;

	hv_loop_free(loop);	/* the test's: signals are this one's now */
	loop = hv_loop_new();
	memset(&o, 0, sizeof(o));
	o.command = "trap '' HUP TERM; sleep 100 & a=$!; "
		    "sh -c 'sleep 101 & echo \"grandchild $!\"; wait' & "
		    "echo \"pids $$ $a $!\"; wait";
	o.on_output = relay;
	o.arg = &fd;
	if (!hv_job_start(loop, &o, &err) || hv_loop_run(loop, &err) < 0)
		dprintf(fd, "error %s\n", err.msg);
	_exit(1);
}

/* Reads the stand-in's output until it named all four processes. */
static int
read_pids(int fd, pid_t pids[4])
{
	struct strbuf out = STRBUF_INIT;
	char buf[256];
	const char *a, *b;
	ssize_t n;
	int got = 0;

	while (got < 2 && (n = read(fd, buf, sizeof(buf))) > 0) {
		long p[4];

		sb_add(&out, buf, (size_t)n);
		a = strstr(out.buf, "pids ");
		b = strstr(out.buf, "grandchild ");
		got = (a && strchr(a, '\n') &&
		       sscanf(a, "pids %ld %ld %ld", &p[0], &p[1], &p[2]) == 3) +
		      (b && strchr(b, '\n') && sscanf(b, "grandchild %ld", &p[3]) == 1);
		if (got == 2)
			for (n = 0; n < 4; n++)
				pids[n] = (pid_t)p[n];
	}
	if (got < 2)
		printf("# the stand-in said: %s\n", out.buf ? out.buf : "nothing");
	sb_release(&out);
	return got == 2 ? 0 : -1;
}

/* Waits up to deadline (monotonic ms) for pid to be gone. */
static int
gone_by(int pidfd, int64_t deadline)
{
	struct pollfd pfd = { pidfd, POLLIN, 0 };
	int64_t left;
	int rc;

	do {
		left = deadline - hv_now_ms();
		rc = poll(&pfd, 1, left > 0 ? (int)left : 0);
	} while (rc < 0 && errno == EINTR);
	return rc > 0;
}

static void
test_killed_halve(void)
{
	static const char *const what[] = {
		"the job's shell", "its background process",
		"its background shell", "that shell's own child",
	};
	int out[2], fds[4], i, status, all = 1;
	pid_t halve, pids[4];
	int64_t t0, last = 0;

	if (pipe(out) < 0)
		return;
	halve = fork();
	if (halve == 0) {
		close(out[0]);
		stand_in(out[1]);
	}
	close(out[1]);
	if (read_pids(out[0], pids) < 0) {
		ok(0, "the stand-in for halve started its job");
		kill(halve, SIGKILL);
		waitpid(halve, &status, 0);
		close(out[0]);
		return;
	}
	for (i = 0; i < 4; i++)
		fds[i] = (int)syscall(SYS_pidfd_open, pids[i], 0);
	t0 = hv_now_ms();
	kill(halve, SIGKILL);
	while (waitpid(halve, &status, 0) < 0 && errno == EINTR)
		;
	for (i = 0; i < 4; i++) {
		/* 60 s: far beyond need, only there to end a failing test */
		int gone = fds[i] >= 0 && gone_by(fds[i], t0 + 60000);

		ok(gone, "halve killed: %s (%ld) is killed too", what[i],
		   (long)pids[i]);
		if (gone && hv_now_ms() - t0 > last)
			last = hv_now_ms() - t0;
		all &= gone;
		if (!gone)
			kill(pids[i], SIGKILL);
		if (fds[i] >= 0)
			close(fds[i]);
		waitpid(pids[i], &status, WNOHANG);	/* ours, as subreaper */
	}
	if (all)
		printf("# all gone %lld ms after halve was killed\n",
		       (long long)last);
	close(out[0]);
}

int
main(void)
{
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
		printf("# no subreaper: %s\n", strerror(errno));
	loop = hv_loop_new();
	test_exit_and_output();
	test_env_cwd_argv();
	test_write_resize_log();
	test_kill();
	test_killed_halve();
	hv_loop_free(loop);
	return done_testing();
}
