/*
 * job.c: a command on its own pty, run from the loop.
 *
 * The life of a job: forkpty() makes the child a session (and process
 * group) leader on a fresh terminal; a close-on-exec pipe tells the parent
 * whether chdir and exec worked, so a missing program is an error from
 * hv_job_start() and not an exit status to guess at. Then everything is
 * events: pty output is read a bounded chunk per loop turn, SIGCHLD reaps
 * with waitpid(WNOHANG), timers do the timeout, the TERM-to-KILL grace and
 * the drain after exit. The exit callback waits for the child to be reaped
 * AND for the pty to report end of file (EIO on Linux once no process has
 * the terminal open), so no output is lost to a race with the exit.
 *
 * Nothing here sleeps or blocks, except for the moment between fork and
 * exec, and hv_job_free() of a job that is still running (kill, reap).
 *
 * A halve killed outright (SIGKILL, a crash) runs none of that, so every
 * job has a watchdog: a small process of its own, forked from halve
 * (twice, so that init reaps it), in its own session, holding one end of
 * a socket pair whose other end only halve holds. When halve is gone the
 * socket reads end of file and the watchdog kills the job's whole process
 * group: the build's compilers and a shell's children, which
 * PR_SET_PDEATHSIG (also set, on the job's own process) would not reach.
 * When the job ends normally halve dismisses it with a byte.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#ifdef HAVE_PTY_H
#include <pty.h>
#else
#include <libutil.h>
#endif
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "job.h"

/*
 * After the child is reaped, how long to wait for the pty's end of file.
 * It comes at once unless a process outside the job's group (one that
 * called setsid) still holds the terminal; then we stop waiting for it.
 */
#define HV_JOB_DRAIN_MS 1000

enum child_stage { STAGE_CHDIR, STAGE_EXEC };

struct child_failure {
	int stage;
	int err;
};

struct hv_job {
	struct hv_loop *loop;
	pid_t pid;
	int master;
	int log_fd;
	int watchdog;		/* our end of the watchdog's socket, or -1 */
	char *log_path;
	char *log_error;
	struct hv_watch *watch;
	struct hv_signal *sigchld;
	struct hv_timer *timeout;
	struct hv_timer *grace;
	struct hv_timer *drain;
	int64_t grace_ms;
	int64_t start_ms;
	struct strbuf outq;	/* keys not yet taken by the pty */

	hv_job_output_fn *on_output;
	hv_job_exit_fn *on_exit;
	void *arg;

	struct hv_job_result res;
	int reaped;
	int eof;
	int finished;		/* exit callback ran */
	int busy;		/* inside one of our callbacks */
	int free_pending;	/* hv_job_free() called while busy */
};

static void destroy(struct hv_job *job);
static void dismiss_watchdog(struct hv_job *job);

/* Leave a callback; free the job if it asked for that meanwhile. */
static int
release(struct hv_job *job)
{
	if (--job->busy == 0 && job->free_pending) {
		destroy(job);
		return -1;
	}
	return 0;
}

static void
log_output(struct hv_job *job, const char *data, size_t len)
{
	while (len && job->log_fd >= 0) {
		ssize_t n = write(job->log_fd, data, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			job->log_error = xasprintf("%s: %s", job->log_path,
						   strerror(errno));
			close(job->log_fd);
			job->log_fd = -1;
			return;
		}
		data += n;
		len -= (size_t)n;
	}
}

static void
finish(struct hv_job *job)
{
	if (job->finished || !job->reaped || !job->eof)
		return;
	job->finished = 1;
	hv_timer_stop(job->drain);
	job->res.log_error = job->log_error;
	if (job->on_exit) {
		job->busy++;
		job->on_exit(job, &job->res, job->arg);
		release(job);
	}
}

static void
stop_reading(struct hv_job *job)
{
	job->eof = 1;
	hv_watch_remove(job->watch);
	job->watch = NULL;
	sb_release(&job->outq);
}

static void
on_readable(struct hv_loop *loop, struct hv_watch *w, void *arg)
{
	struct hv_job *job = arg;
	const char *data;
	ssize_t n = hv_watch_read(w, &data);

	if (n > 0) {
		job->res.output_bytes += (uint64_t)n;
		log_output(job, data, (size_t)n);
		if (job->on_output) {
			job->busy++;
			job->on_output(job, data, (size_t)n, job->arg);
			if (release(job) < 0)
				return;
		}
		return;
	}
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return;
	/* 0 or EIO: nobody holds the terminal any more; other errors too. */
	stop_reading(job);
	finish(job);
}

static void
flush_keys(struct hv_job *job)
{
	while (job->outq.len) {
		ssize_t n = write(job->master, job->outq.buf, job->outq.len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n < 0) {
			sb_reset(&job->outq);	/* the terminal is gone */
			break;
		}
		memmove(job->outq.buf, job->outq.buf + n, job->outq.len - (size_t)n);
		job->outq.len -= (size_t)n;
	}
	if (job->watch)
		hv_watch_want_write(job->watch, job->outq.len > 0);
}

static void
on_writable(struct hv_loop *loop, struct hv_watch *w, void *arg)
{
	flush_keys(arg);
}

static void
on_sigchld(struct hv_loop *loop, int signo, void *arg)
{
	struct hv_job *job = arg;
	int status;
	pid_t r;

	if (job->reaped)
		return;
	do
		r = waitpid(job->pid, &status, WNOHANG);
	while (r < 0 && errno == EINTR);
	if (r != job->pid)
		return;
	job->reaped = 1;
	job->res.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	job->res.signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
	job->res.elapsed_ms = hv_now_ms() - job->start_ms;
	hv_timer_stop(job->timeout);
	hv_timer_stop(job->grace);
	/*
	 * The group outlives its leader while anything in it runs; those
	 * stragglers would keep the pty open. The pgid cannot have been
	 * reused while members remain, and ESRCH means there are none.
	 */
	kill(-job->pid, SIGKILL);
	dismiss_watchdog(job);
	hv_signal_remove(job->sigchld);
	job->sigchld = NULL;
	if (!job->eof)
		hv_timer_start(job->drain, HV_JOB_DRAIN_MS, 0);
	finish(job);
}

static void
on_drain_timeout(struct hv_loop *loop, struct hv_timer *t, void *arg)
{
	struct hv_job *job = arg;

	stop_reading(job);
	finish(job);
}

static void
on_grace_over(struct hv_loop *loop, struct hv_timer *t, void *arg)
{
	struct hv_job *job = arg;

	if (!job->reaped)
		kill(-job->pid, SIGKILL);
}

static void
terminate(struct hv_job *job)
{
	if (job->reaped)
		return;
	kill(-job->pid, SIGTERM);
	/* A stopped process acts on SIGTERM only once continued. */
	kill(-job->pid, SIGCONT);
	if (!hv_timer_active(job->grace))
		hv_timer_start(job->grace, job->grace_ms, 0);
}

static void
on_timeout(struct hv_loop *loop, struct hv_timer *t, void *arg)
{
	struct hv_job *job = arg;

	job->res.timed_out = 1;
	terminate(job);
}

void
hv_job_kill(struct hv_job *job)
{
	if (job->reaped)
		return;
	job->res.killed = 1;
	terminate(job);
}

/* In the child, between fork and exec: report why we could not go on. */
static void __attribute__((noreturn))
child_fail(int fd, int stage)
{
	struct child_failure f = { stage, errno };
	ssize_t r = write(fd, &f, sizeof(f));

	(void)r;
	_exit(127);
}

static void __attribute__((noreturn))
child(const struct hv_job_opts *opts, int errfd, pid_t parent)
{
	static const int reset[] = {
		SIGPIPE, SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGTSTP, SIGTTIN,
		SIGTTOU, SIGCHLD, SIGWINCH,
	};
	sigset_t none;
	size_t i;

	/* What halve ignores or blocks must not be ignored by the job. */
	for (i = 0; i < HV_ARRAY_SIZE(reset); i++)
		signal(reset[i], SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
#ifdef __linux__
	/* halve killed before its watchdog is up: the job goes with it */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(127);
#endif
	if (opts->cwd && chdir(opts->cwd) < 0)
		child_fail(errfd, STAGE_CHDIR);
	for (i = 0; opts->env && opts->env[i]; i++)
		putenv(opts->env[i]);
	if (opts->command)
		execl("/bin/sh", "sh", "-c", opts->command, (char *)NULL);
	else
		execvp(opts->argv[0], opts->argv);
	child_fail(errfd, STAGE_EXEC);
}

/* -------- the watchdog -------- */

/* Leaves only keep, as fd 0: the watchdog must hold nothing of halve's
 * (a lock, a pty, a log), or it would keep them from being released. */
static void
close_all_but(int keep)
{
	struct rlimit rl;
	int fd, max = 1024;

	if (keep != 0)
		dup2(keep, 0);
#ifdef SYS_close_range
	if (syscall(SYS_close_range, 1U, ~0U, 0U) == 0)
		return;
#endif
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
		max = rl.rlim_cur < 65536 ? (int)rl.rlim_cur : 65536;
	for (fd = 1; fd < max; fd++)
		close(fd);
}

/* The watchdog's life: wait for halve's word or for halve's end. */
static void __attribute__((noreturn))
watchdog(int sock, pid_t pgid)
{
	/* signals meant for halve's terminal or halve's group: not ours */
	static const int ignored[] = {
		SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGTSTP, SIGTTIN, SIGTTOU,
		SIGPIPE, SIGWINCH, SIGUSR1, SIGUSR2, SIGALRM,
	};
	sigset_t none;
	ssize_t n;
	size_t i;
	char c;

	setsid();
	for (i = 0; i < HV_ARRAY_SIZE(ignored); i++)
		signal(ignored[i], SIG_IGN);
	signal(SIGCHLD, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (chdir("/") < 0)
		_exit(1);	/* cannot happen; and hold no work tree busy */
	close_all_but(sock);
	do
		n = read(0, &c, 1);
	while (n < 0 && errno == EINTR);
	if (n <= 0)		/* halve is gone and did not dismiss us */
		kill(-pgid, SIGKILL);
	_exit(0);
}

/* Forks the job's watchdog, orphaned at once so that halve never has to
 * reap it. */
static int
start_watchdog(struct hv_job *job, struct hv_error *err)
{
	int sv[2], status = 0;
	pid_t mid;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return hv_error_set(err, "socketpair: %s", strerror(errno));
	mid = fork();
	if (mid == 0) {
		pid_t dog = fork();

		if (dog == 0)
			watchdog(sv[1], job->pid);
		_exit(dog < 0);
	}
	close(sv[1]);
	if (mid > 0)
		while (waitpid(mid, &status, 0) < 0 && errno == EINTR)
			;
	if (mid < 0 || !WIFEXITED(status) || WEXITSTATUS(status)) {
		close(sv[0]);
		return hv_error_set(err, "fork: cannot start the job's "
				    "watchdog: %s", strerror(errno));
	}
	job->watchdog = sv[0];
	return 0;
}

/* The group is dead and reaped: the watchdog has nothing left to do. */
static void
dismiss_watchdog(struct hv_job *job)
{
	ssize_t n;

	if (job->watchdog < 0)
		return;
	n = send(job->watchdog, "x", 1, MSG_NOSIGNAL | MSG_DONTWAIT);
	(void)n;	/* a watchdog already gone needs no word */
	close(job->watchdog);
	job->watchdog = -1;
}

/* Wait for exec (the pipe closes) or a failure report from the child. */
static int
wait_for_exec(pid_t pid, int errfd, const struct hv_job_opts *opts,
	      struct hv_error *err)
{
	struct child_failure f;
	ssize_t n;
	int status;

	do
		n = read(errfd, &f, sizeof(f));
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof(f))
		return 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (f.stage == STAGE_CHDIR)
		return hv_error_set(err, "%s: %s", opts->cwd, strerror(f.err));
	return hv_error_set(err, "%s: %s",
			    opts->command ? "/bin/sh" : opts->argv[0],
			    strerror(f.err));
}

static void
set_fd_flags(int fd)
{
	fcntl(fd, F_SETFD, fcntl(fd, F_GETFD) | FD_CLOEXEC);
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

struct hv_job *
hv_job_start(struct hv_loop *loop, const struct hv_job_opts *opts,
	     struct hv_error *err)
{
	struct hv_job *job;
	struct winsize ws;
	int errpipe[2];
	pid_t parent;

	if (!opts->command && (!opts->argv || !opts->argv[0])) {
		hv_error_set(err, "job: no command");
		return NULL;
	}
	job = xcalloc(1, sizeof(*job));
	job->loop = loop;
	job->master = job->log_fd = job->watchdog = -1;
	job->on_output = opts->on_output;
	job->on_exit = opts->on_exit;
	job->arg = opts->arg;
	job->grace_ms = opts->kill_grace_ms > 0 ? opts->kill_grace_ms
						: HV_JOB_GRACE_DEFAULT;
	if (opts->log_path) {
		job->log_path = xstrdup(opts->log_path);
		job->log_fd = open(opts->log_path,
				   O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
				   0644);
		if (job->log_fd < 0) {
			hv_error_set(err, "%s: %s", opts->log_path,
				     strerror(errno));
			goto fail;
		}
	}
	/* Before fork: the child may be gone before we get to register. */
	job->sigchld = hv_loop_on_signal(loop, SIGCHLD, on_sigchld, job, err);
	if (!job->sigchld)
		goto fail;
	if (pipe(errpipe) < 0) {
		hv_error_set(err, "pipe: %s", strerror(errno));
		goto fail;
	}
	set_fd_flags(errpipe[1]);
	fcntl(errpipe[0], F_SETFD, FD_CLOEXEC);

	memset(&ws, 0, sizeof(ws));
	ws.ws_row = (unsigned short)(opts->rows > 0 ? opts->rows : 24);
	ws.ws_col = (unsigned short)(opts->cols > 0 ? opts->cols : 80);
	job->start_ms = hv_now_ms();
	parent = getpid();
	job->pid = forkpty(&job->master, NULL, NULL, &ws);
	if (job->pid < 0) {
		hv_error_set(err, "forkpty: %s", strerror(errno));
		close(errpipe[0]);
		close(errpipe[1]);
		goto fail;
	}
	if (job->pid == 0) {
		close(errpipe[0]);
		child(opts, errpipe[1], parent);
	}
	close(errpipe[1]);
	/* Other jobs' children must not inherit this terminal. */
	set_fd_flags(job->master);
	if (wait_for_exec(job->pid, errpipe[0], opts, err) < 0) {
		close(errpipe[0]);
		job->reaped = 1;
		goto fail;
	}
	close(errpipe[0]);
	if (start_watchdog(job, err) < 0) {
		destroy(job);	/* kills and reaps the child */
		return NULL;
	}

	job->watch = hv_loop_add_fd(loop, job->master, on_readable,
				    on_writable, job);
	job->timeout = hv_timer_new(loop, on_timeout, job);
	job->grace = hv_timer_new(loop, on_grace_over, job);
	job->drain = hv_timer_new(loop, on_drain_timeout, job);
	if (opts->timeout_ms > 0)
		hv_timer_start(job->timeout, opts->timeout_ms, 0);
	return job;

fail:
	job->reaped = 1;	/* nothing to kill */
	destroy(job);
	return NULL;
}

static void
destroy(struct hv_job *job)
{
	if (!job->reaped && job->pid > 0) {
		int status;

		kill(-job->pid, SIGKILL);
		while (waitpid(job->pid, &status, 0) < 0 && errno == EINTR)
			;
	}
	dismiss_watchdog(job);
	hv_watch_remove(job->watch);
	hv_signal_remove(job->sigchld);
	hv_timer_free(job->timeout);
	hv_timer_free(job->grace);
	hv_timer_free(job->drain);
	if (job->master >= 0)
		close(job->master);
	if (job->log_fd >= 0)
		close(job->log_fd);
	sb_release(&job->outq);
	free(job->log_path);
	free(job->log_error);
	free(job);
}

void
hv_job_free(struct hv_job *job)
{
	if (!job)
		return;
	if (job->busy) {
		job->free_pending = 1;
		return;
	}
	destroy(job);
}

pid_t
hv_job_pid(const struct hv_job *job)
{
	return job->pid;
}

int
hv_job_running(const struct hv_job *job)
{
	return !job->reaped;
}

int
hv_job_write(struct hv_job *job, const void *data, size_t len)
{
	if (job->eof || !job->watch) {
		errno = EIO;
		return -1;
	}
	sb_add(&job->outq, data, len);
	flush_keys(job);
	return 0;
}

int
hv_job_resize(struct hv_job *job, int rows, int cols)
{
	struct winsize ws;

	memset(&ws, 0, sizeof(ws));
	ws.ws_row = (unsigned short)rows;
	ws.ws_col = (unsigned short)cols;
	/* The kernel sends SIGWINCH to the terminal's foreground group. */
	return ioctl(job->master, TIOCSWINSZ, &ws);
}
