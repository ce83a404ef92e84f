/*
 * loop.c: the poll(2) loop: fd watches, timers, signals via a self-pipe.
 *
 * A turn polls once, then dispatches in a fixed order: fds (output that
 * arrived is seen before a timer can call the guest silent), signals
 * (a child that exited is reaped before its timeout can fire), timers.
 * Objects removed during a turn are only marked dead and freed at the end
 * of it, so a callback may remove anything, itself included.
 *
 * This file must not block anywhere but in poll(), and holds no state
 * outside struct hv_loop except signal_pipe_fd below.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "loop.h"

/*
 * The write end of the self-pipe, the one static in the core: a signal
 * handler receives only the signal number, so this is the only way for it
 * to reach the loop. The handler writes the signal's number as one byte;
 * the loop reads the bytes and runs the handlers registered for them.
 * -1 when no loop owns signals.
 */
static volatile sig_atomic_t signal_pipe_fd = -1;

struct hv_watch {
	struct hv_loop *loop;
	struct hv_watch *next;
	int fd;
	hv_io_fn *on_read;
	hv_io_fn *on_write;
	void *arg;
	int want_read;
	int want_write;
	int dead;
};

struct hv_timer {
	struct hv_loop *loop;
	struct hv_timer *next;
	hv_timer_fn *fn;
	void *arg;
	int64_t deadline;
	int64_t interval;	/* 0: one-shot */
	uint64_t seq;		/* start order, for equal deadlines */
	int active;
	int fresh;		/* started while timers fire: wait a turn */
	int dead;
};

struct hv_signal {
	struct hv_loop *loop;
	struct hv_signal *next;
	int signo;
	hv_signal_fn *fn;
	void *arg;
	int dead;
};

struct saved_action {
	int signo;
	struct sigaction old;
};

struct hv_loop {
	struct hv_watch *watches;
	struct hv_timer *timers;
	struct hv_signal *signals;

	struct pollfd *pfds;
	struct hv_watch **pfd_watch;
	size_t pfd_alloc;

	char *buf;
	size_t read_max;

	int sig_read;
	int sig_write;
	struct saved_action *saved;
	size_t nsaved, saved_alloc;

	uint64_t timer_seq;
	int firing_timers;
	int broken;
	int garbage;		/* something is marked dead */

	int idle_ms;
	hv_idle_fn *idle_fn;
	void *idle_arg;
};

struct hv_loop *
hv_loop_new(void)
{
	struct hv_loop *loop = xcalloc(1, sizeof(*loop));

	loop->read_max = HV_LOOP_READ_MAX_DEFAULT;
	loop->buf = xmalloc(loop->read_max);
	loop->sig_read = loop->sig_write = -1;
	return loop;
}

static void
restore_action(struct hv_loop *loop, int signo)
{
	size_t i;

	for (i = 0; i < loop->nsaved; i++) {
		if (loop->saved[i].signo == signo) {
			sigaction(signo, &loop->saved[i].old, NULL);
			loop->saved[i] = loop->saved[--loop->nsaved];
			return;
		}
	}
}

static void
collect_garbage(struct hv_loop *loop)
{
	struct hv_watch **wp = &loop->watches;
	struct hv_timer **tp = &loop->timers;
	struct hv_signal **sp = &loop->signals;

	while (*wp) {
		struct hv_watch *w = *wp;

		if (w->dead) {
			*wp = w->next;
			free(w);
		} else {
			wp = &w->next;
		}
	}
	while (*tp) {
		struct hv_timer *t = *tp;

		if (t->dead) {
			*tp = t->next;
			free(t);
		} else {
			tp = &t->next;
		}
	}
	while (*sp) {
		struct hv_signal *s = *sp;

		if (s->dead) {
			*sp = s->next;
			free(s);
		} else {
			sp = &s->next;
		}
	}
	loop->garbage = 0;
}

void
hv_loop_free(struct hv_loop *loop)
{
	struct hv_watch *w;
	struct hv_timer *t;
	struct hv_signal *s;

	if (!loop)
		return;
	for (w = loop->watches; w; w = w->next)
		w->dead = 1;
	for (t = loop->timers; t; t = t->next)
		t->dead = 1;
	for (s = loop->signals; s; s = s->next)
		s->dead = 1;
	collect_garbage(loop);
	while (loop->nsaved)
		restore_action(loop, loop->saved[0].signo);
	if (loop->sig_write >= 0) {
		signal_pipe_fd = -1;
		close(loop->sig_write);
		close(loop->sig_read);
	}
	free(loop->saved);
	free(loop->pfds);
	free(loop->pfd_watch);
	free(loop->buf);
	free(loop);
}

void
hv_loop_break(struct hv_loop *loop)
{
	loop->broken = 1;
}

void
hv_loop_set_idle(struct hv_loop *loop, int idle_ms, hv_idle_fn *fn,
		 void *arg)
{
	loop->idle_ms = idle_ms < 0 ? 0 : idle_ms;
	loop->idle_fn = fn;
	loop->idle_arg = arg;
}

void
hv_loop_set_read_max(struct hv_loop *loop, size_t bytes)
{
	loop->read_max = bytes ? bytes : 1;
	free(loop->buf);
	loop->buf = xmalloc(loop->read_max);
}

/* Watches. */

struct hv_watch *
hv_loop_add_fd(struct hv_loop *loop, int fd, hv_io_fn *on_read,
	       hv_io_fn *on_write, void *arg)
{
	struct hv_watch *w = xcalloc(1, sizeof(*w));

	w->loop = loop;
	w->fd = fd;
	w->on_read = on_read;
	w->on_write = on_write;
	w->arg = arg;
	w->want_read = on_read != NULL;
	w->next = loop->watches;
	loop->watches = w;
	return w;
}

void
hv_watch_remove(struct hv_watch *w)
{
	if (!w)
		return;
	w->dead = 1;
	w->loop->garbage = 1;
}

void
hv_watch_want_write(struct hv_watch *w, int on)
{
	w->want_write = on;
}

int
hv_watch_fd(const struct hv_watch *w)
{
	return w->fd;
}

ssize_t
hv_watch_read(struct hv_watch *w, const char **data)
{
	ssize_t n;

	do
		n = read(w->fd, w->loop->buf, w->loop->read_max);
	while (n < 0 && errno == EINTR);
	*data = w->loop->buf;
	return n;
}

static short
watch_events(const struct hv_watch *w)
{
	short ev = 0;

	if (w->dead)
		return 0;
	if (w->want_read && w->on_read)
		ev |= POLLIN;
	if (w->want_write && w->on_write)
		ev |= POLLOUT;
	return ev;
}

/* Timers. */

struct hv_timer *
hv_timer_new(struct hv_loop *loop, hv_timer_fn *fn, void *arg)
{
	struct hv_timer *t = xcalloc(1, sizeof(*t));

	t->loop = loop;
	t->fn = fn;
	t->arg = arg;
	t->next = loop->timers;
	loop->timers = t;
	return t;
}

void
hv_timer_start(struct hv_timer *t, int64_t ms, int repeat)
{
	if (ms < 0)
		ms = 0;
	if (repeat && ms < 1)
		ms = 1;		/* a 0 ms repeat would never let poll run */
	t->deadline = hv_now_ms() + ms;
	t->interval = repeat ? ms : 0;
	t->seq = ++t->loop->timer_seq;
	t->active = 1;
	t->fresh = t->loop->firing_timers;
}

void
hv_timer_stop(struct hv_timer *t)
{
	t->active = 0;
}

int
hv_timer_active(const struct hv_timer *t)
{
	return t->active && !t->dead;
}

int64_t
hv_timer_remaining(const struct hv_timer *t)
{
	int64_t left;

	if (!hv_timer_active(t))
		return -1;
	left = t->deadline - hv_now_ms();
	return left < 0 ? 0 : left;
}

void
hv_timer_free(struct hv_timer *t)
{
	if (!t)
		return;
	t->active = 0;
	t->dead = 1;
	t->loop->garbage = 1;
}

/* The next timer to fire, or NULL; fresh timers wait if skip_fresh. */
static struct hv_timer *
next_timer(struct hv_loop *loop, int skip_fresh)
{
	struct hv_timer *t, *best = NULL;

	for (t = loop->timers; t; t = t->next) {
		if (!t->active || t->dead || (skip_fresh && t->fresh))
			continue;
		if (!best || t->deadline < best->deadline ||
		    (t->deadline == best->deadline && t->seq < best->seq))
			best = t;
	}
	return best;
}

static int
fire_timers(struct hv_loop *loop)
{
	int64_t now = hv_now_ms();
	struct hv_timer *t;
	int n = 0;

	loop->firing_timers = 1;
	while ((t = next_timer(loop, 1)) && t->deadline <= now) {
		if (t->interval) {
			t->deadline = now + t->interval;
			t->seq = ++loop->timer_seq;
			/* fire at most once a turn, however late we are */
			t->fresh = 1;
		} else {
			t->active = 0;
		}
		t->fn(loop, t, t->arg);
		n++;
	}
	loop->firing_timers = 0;
	for (t = loop->timers; t; t = t->next)
		t->fresh = 0;
	return n;
}

/* Signals. */

static void
signal_handler(int signo)
{
	int saved = errno;
	unsigned char b = (unsigned char)signo;
	int fd = signal_pipe_fd;

	/* A full pipe drops the byte: the loop has plenty to read already. */
	if (fd >= 0) {
		ssize_t r = write(fd, &b, 1);

		(void)r;
	}
	errno = saved;
}

static int
make_signal_pipe(struct hv_loop *loop, struct hv_error *err)
{
	int fds[2];

	if (loop->sig_write >= 0)
		return 0;
	if (signal_pipe_fd >= 0)
		return hv_error_set(err, "signals: another loop handles them already");
#ifdef HAVE_PIPE2
	if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) < 0)
		return hv_error_set(err, "signal pipe: %s", strerror(errno));
#else
	if (pipe(fds) < 0)
		return hv_error_set(err, "signal pipe: %s", strerror(errno));
	for (int i = 0; i < 2; i++) {
		fcntl(fds[i], F_SETFD, FD_CLOEXEC);
		fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | O_NONBLOCK);
	}
#endif
	loop->sig_read = fds[0];
	loop->sig_write = fds[1];
	signal_pipe_fd = fds[1];
	return 0;
}

static int
install_action(struct hv_loop *loop, int signo, struct hv_error *err)
{
	struct sigaction sa;
	size_t i;

	for (i = 0; i < loop->nsaved; i++)
		if (loop->saved[i].signo == signo)
			return 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = signal_handler;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART | (signo == SIGCHLD ? SA_NOCLDSTOP : 0);
	HV_GROW(loop->saved, loop->nsaved + 1, loop->saved_alloc);
	if (sigaction(signo, &sa, &loop->saved[loop->nsaved].old) < 0)
		return hv_error_set(err, "signal %d: %s", signo,
				    strerror(errno));
	loop->saved[loop->nsaved++].signo = signo;
	return 0;
}

struct hv_signal *
hv_loop_on_signal(struct hv_loop *loop, int signo, hv_signal_fn *fn,
		  void *arg, struct hv_error *err)
{
	struct hv_signal *s;

	if (signo <= 0 || signo >= NSIG || signo > 255) {
		hv_error_set(err, "signal %d: out of range", signo);
		return NULL;
	}
	if (make_signal_pipe(loop, err) < 0 ||
	    install_action(loop, signo, err) < 0)
		return NULL;
	s = xcalloc(1, sizeof(*s));
	s->loop = loop;
	s->signo = signo;
	s->fn = fn;
	s->arg = arg;
	s->next = loop->signals;
	loop->signals = s;
	return s;
}

void
hv_signal_remove(struct hv_signal *s)
{
	struct hv_signal *o;

	if (!s)
		return;
	s->dead = 1;
	s->loop->garbage = 1;
	for (o = s->loop->signals; o; o = o->next)
		if (!o->dead && o->signo == s->signo)
			return;
	/* The last handler for it: give the signal back its old meaning. */
	restore_action(s->loop, s->signo);
}

static int
dispatch_signals(struct hv_loop *loop)
{
	unsigned char got[256], bytes[256];
	struct hv_signal *s;
	ssize_t n, i;
	int count = 0, signo;

	memset(got, 0, sizeof(got));
	while ((n = read(loop->sig_read, bytes, sizeof(bytes))) > 0)
		for (i = 0; i < n; i++)
			got[bytes[i]] = 1;
	for (signo = 1; signo < 256; signo++) {
		if (!got[signo])
			continue;
		for (s = loop->signals; s; s = s->next) {
			if (s->dead || s->signo != signo)
				continue;
			s->fn(loop, signo, s->arg);
			count++;
		}
	}
	return count;
}

/* The turn. */

static int
poll_timeout(struct hv_loop *loop, int timeout_ms)
{
	struct hv_timer *t = next_timer(loop, 0);
	int64_t left;

	if (!t)
		return timeout_ms;
	left = t->deadline - hv_now_ms();
	if (left < 0)
		left = 0;
	if (left > INT32_MAX)
		left = INT32_MAX;
	if (timeout_ms < 0 || left < timeout_ms)
		return (int)left;
	return timeout_ms;
}

/* Fill loop->pfds: the signal pipe first, then every watch. */
static size_t
build_pollfds(struct hv_loop *loop)
{
	struct hv_watch *w;
	size_t n = 0, need = 1;

	for (w = loop->watches; w; w = w->next)
		need++;
	if (need > loop->pfd_alloc) {
		loop->pfd_alloc = need * 2;
		loop->pfds = xreallocarray(loop->pfds, loop->pfd_alloc,
					   sizeof(*loop->pfds));
		loop->pfd_watch = xreallocarray(loop->pfd_watch, loop->pfd_alloc,
						sizeof(*loop->pfd_watch));
	}
	loop->pfds[n].fd = loop->sig_read;
	loop->pfds[n].events = POLLIN;
	loop->pfds[n].revents = 0;
	loop->pfd_watch[n++] = NULL;
	for (w = loop->watches; w; w = w->next) {
		short ev = watch_events(w);

		/* A negative fd is skipped by poll(). */
		loop->pfds[n].fd = ev ? w->fd : -1;
		loop->pfds[n].events = ev;
		loop->pfds[n].revents = 0;
		loop->pfd_watch[n++] = w;
	}
	return n;
}

static int
dispatch_fds(struct hv_loop *loop, size_t nfds)
{
	size_t i;
	int count = 0;

	for (i = 1; i < nfds; i++) {
		struct hv_watch *w = loop->pfd_watch[i];
		short re = loop->pfds[i].revents;

		if (!re || w->dead)
			continue;
		if (re & POLLNVAL) {
			/* Closed under us: stop polling it, let the owner see. */
			w->want_read = w->want_write = 0;
		}
		if ((re & (POLLIN | POLLHUP | POLLERR | POLLNVAL)) && w->on_read &&
		    (loop->pfds[i].events & POLLIN)) {
			w->on_read(loop, w, w->arg);
			count++;
		}
		if (!w->dead && (re & (POLLOUT | POLLHUP | POLLERR | POLLNVAL)) &&
		    w->on_write && w->want_write &&
		    (loop->pfds[i].events & POLLOUT)) {
			w->on_write(loop, w, w->arg);
			count++;
		}
	}
	return count;
}

int
hv_loop_run_once(struct hv_loop *loop, int timeout_ms, struct hv_error *err)
{
	size_t nfds;
	int ready, count = 0;

	if (loop->garbage)
		collect_garbage(loop);
	nfds = build_pollfds(loop);
	for (;;) {
		ready = poll(loop->pfds, nfds, poll_timeout(loop, timeout_ms));
		if (ready >= 0)
			break;
		/* The signal's byte is in the pipe: the next poll sees it. */
		if (errno != EINTR)
			return hv_error_set(err, "poll: %s", strerror(errno));
	}
	if (ready > 0) {
		count += dispatch_fds(loop, nfds);
		if (loop->pfds[0].revents & POLLIN)
			count += dispatch_signals(loop);
	}
	count += fire_timers(loop);
	if (!count && loop->idle_fn)
		loop->idle_fn(loop, loop->idle_arg);
	if (loop->garbage)
		collect_garbage(loop);
	return count;
}

/* Could anything still wake this loop? */
static int
loop_alive(struct hv_loop *loop)
{
	struct hv_watch *w;
	struct hv_timer *t;
	struct hv_signal *s;

	if (loop->idle_fn)
		return 1;
	for (w = loop->watches; w; w = w->next)
		if (watch_events(w))
			return 1;
	for (t = loop->timers; t; t = t->next)
		if (t->active && !t->dead)
			return 1;
	for (s = loop->signals; s; s = s->next)
		if (!s->dead)
			return 1;
	return 0;
}

int
hv_loop_run(struct hv_loop *loop, struct hv_error *err)
{
	loop->broken = 0;
	while (!loop->broken && loop_alive(loop)) {
		if (hv_loop_run_once(loop, loop->idle_fn ? loop->idle_ms : -1,
				     err) < 0)
			return -1;
	}
	loop->broken = 0;
	return 0;
}
