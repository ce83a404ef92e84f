/*
 * loop.h: the one poll(2) loop of halve: file descriptors, timers and
 * signals, shared by the headless pipeline and the curses UI.
 *
 * Everything is a callback on the loop's thread; nothing blocks but
 * poll(). Fairness in the manner of tmux: a readable fd gets one read
 * callback per turn, and hv_watch_read() reads at most the loop's read
 * size, so a guest flooding its console cannot starve the keyboard or a
 * build log. Timers use the monotonic clock (hv_now_ms). Signals arrive
 * through a self-pipe and are handled as ordinary events, never inside a
 * signal handler.
 *
 * One loop with signal handlers may exist per process at a time: a signal
 * handler has no argument, so the pipe's write end is the one static the
 * core holds (see loop.c).
 */
#ifndef HALVE_LOOP_H
#define HALVE_LOOP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "util.h"

struct hv_loop;
struct hv_watch;
struct hv_timer;
struct hv_signal;

/* Default bytes hv_watch_read() takes from one fd in one turn. */
#define HV_LOOP_READ_MAX_DEFAULT (64 * 1024)

struct hv_loop *hv_loop_new(void);
/* Frees the loop; watches, timers and signal handlers still held are
 * freed too, and signal dispositions are restored. */
void hv_loop_free(struct hv_loop *loop);

/*
 * Run one turn: wait up to timeout_ms (-1: until something happens; the
 * next timer shortens it), then dispatch ready fds, due timers and
 * signals. If none of them was dispatched the idle callback runs.
 * Returns the number of callbacks dispatched (0: the turn was idle), or
 * -1 with err filled if poll failed.
 */
int hv_loop_run_once(struct hv_loop *loop, int timeout_ms,
		     struct hv_error *err);
/*
 * Turn until hv_loop_break(), or until nothing is left that could ever
 * wake the loop (no fds, no active timers, no signal handlers). With an
 * idle callback set, a turn waits at most idle_ms. Returns 0 or -1.
 */
int hv_loop_run(struct hv_loop *loop, struct hv_error *err);
/* Make hv_loop_run() return after the current turn. */
void hv_loop_break(struct hv_loop *loop);

/*
 * Idle: called at the end of a turn in which nothing was ready and no
 * timer or signal fired (the scripted UI advances its script there, so
 * its tests wait on quiet, never on a clock). idle_ms is how long
 * hv_loop_run() waits for something before calling it; fn NULL unsets.
 */
typedef void hv_idle_fn(struct hv_loop *loop, void *arg);
void hv_loop_set_idle(struct hv_loop *loop, int idle_ms, hv_idle_fn *fn,
		      void *arg);

/* Bytes hv_watch_read() may take per fd per turn (fairness bound). */
void hv_loop_set_read_max(struct hv_loop *loop, size_t bytes);

/*
 * Watch fd. on_read runs once per turn while fd is readable, hung up or
 * in error (it should read once, e.g. with hv_watch_read(), and remove
 * the watch at end of file); on_write runs while fd is writable and
 * writing is wanted. Either may be NULL. The loop never closes fd.
 */
typedef void hv_io_fn(struct hv_loop *loop, struct hv_watch *w, void *arg);
struct hv_watch *hv_loop_add_fd(struct hv_loop *loop, int fd,
				hv_io_fn *on_read, hv_io_fn *on_write,
				void *arg);
/* Stop watching and free w; safe from inside any callback. */
void hv_watch_remove(struct hv_watch *w);
void hv_watch_want_write(struct hv_watch *w, int on);
int hv_watch_fd(const struct hv_watch *w);
/*
 * One non-blocking read of at most the loop's read size into the loop's
 * buffer. Returns n > 0 with *data valid until the next read, 0 at end
 * of file, -1 with errno set (EAGAIN: nothing after all).
 */
ssize_t hv_watch_read(struct hv_watch *w, const char **data);

/*
 * Timers: a handle is made once and started, stopped or restarted at
 * will. A one-shot timer fires once after ms; a repeating one every ms
 * (at least 1). Timers due in the same turn fire in deadline order, equal
 * deadlines in the order they were started.
 */
typedef void hv_timer_fn(struct hv_loop *loop, struct hv_timer *t, void *arg);
struct hv_timer *hv_timer_new(struct hv_loop *loop, hv_timer_fn *fn,
			      void *arg);
void hv_timer_start(struct hv_timer *t, int64_t ms, int repeat);
void hv_timer_stop(struct hv_timer *t);
int hv_timer_active(const struct hv_timer *t);
/* Milliseconds until it fires (0 when due), or -1 when stopped. */
int64_t hv_timer_remaining(const struct hv_timer *t);
/* Free t (stopping it); safe from inside any callback, its own too. */
void hv_timer_free(struct hv_timer *t);

/*
 * Signals: fn runs from the loop, not from the signal handler, once per
 * turn in which signo arrived at least once (signals coalesce, as SIGCHLD
 * always did: reap with waitpid(WNOHANG) until it returns 0). Several
 * handlers may share a signal (every running job watches SIGCHLD). The
 * first handler for a signal installs its disposition; the original is
 * restored when the loop is freed. Fails if another loop owns signals.
 */
typedef void hv_signal_fn(struct hv_loop *loop, int signo, void *arg);
struct hv_signal *hv_loop_on_signal(struct hv_loop *loop, int signo,
				    hv_signal_fn *fn, void *arg,
				    struct hv_error *err);
void hv_signal_remove(struct hv_signal *s);

#endif
