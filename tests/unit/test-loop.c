/*
 * test-loop.c: the poll loop (src/loop.h): timer order, signals through
 * the self-pipe, fairness between a flooding fd and a quiet one, idle,
 * removal from inside callbacks. No sleeps: the loop itself waits, and
 * nothing asserts how long it took.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "loop.h"
#include "tap.h"

/* Timers: each firing appends its name to order. */
struct fired {
	struct strbuf order;
	int count;
	int want;		/* break the loop after this many */
	struct hv_timer *victim;	/* stopped by the "killer" timer */
};

static void
on_timer(struct hv_loop *loop, struct hv_timer *t, void *arg)
{
	struct fired *f = arg;

	if (++f->count == f->want)
		hv_loop_break(loop);
}

struct named {
	struct fired *f;
	char name;
};

static void
on_named(struct hv_loop *loop, struct hv_timer *t, void *arg)
{
	struct named *n = arg;

	sb_addc(&n->f->order, n->name);
	if (n->name == 'K' && n->f->victim)
		hv_timer_stop(n->f->victim);
	if (n->name == 'F')
		hv_timer_free(t);	/* freeing itself from its own callback */
	on_timer(loop, t, n->f);
}

static void
test_timers(void)
{
	struct hv_loop *loop = hv_loop_new();
	struct hv_error err = HV_ERROR_INIT;
	struct fired f = { STRBUF_INIT, 0, 0, NULL };
	struct named n[] = {
		{ &f, 'A' }, { &f, 'B' }, { &f, 'C' }, { &f, 'D' }, { &f, 'E' },
	};
	struct hv_timer *t[5];
	int i;

	for (i = 0; i < 5; i++)
		t[i] = hv_timer_new(loop, on_named, &n[i]);
	hv_timer_start(t[0], 30, 0);
	hv_timer_start(t[1], 10, 0);
	hv_timer_start(t[2], 20, 0);
	hv_timer_start(t[3], 10, 0);
	hv_timer_start(t[4], 0, 0);
	ok(hv_timer_active(t[0]), "a started timer is active");
	ok(hv_timer_remaining(t[0]) <= 30 && hv_timer_remaining(t[0]) >= 0,
	   "remaining time is at most the delay");
	f.want = 5;
	ok(hv_loop_run(loop, &err) == 0, "run until five timers fired");
	is_str(f.order.buf, "EBDCA", "deadline order; equal deadlines in start order");
	ok(!hv_timer_active(t[0]), "a one-shot timer is inactive after firing");
	is_int(hv_timer_remaining(t[0]), -1, "no remaining time when stopped");

	/* Restarting a fired one-shot timer works; stopping one prevents it. */
	sb_reset(&f.order);
	f.count = 0;
	f.want = 1;
	hv_timer_start(t[0], 5, 0);
	hv_timer_start(t[1], 1, 0);
	hv_timer_stop(t[1]);
	hv_loop_run(loop, &err);
	is_str(f.order.buf, "A", "a stopped timer does not fire, a restarted one does");

	/* Nothing left: run returns at once instead of blocking forever. */
	ok(hv_loop_run(loop, &err) == 0, "run returns when nothing can wake it");
	for (i = 0; i < 5; i++)
		hv_timer_free(t[i]);
	sb_release(&f.order);
	hv_loop_free(loop);
}

static void
test_timer_callbacks(void)
{
	struct hv_loop *loop = hv_loop_new();
	struct hv_error err = HV_ERROR_INIT;
	struct fired f = { STRBUF_INIT, 0, 0, NULL };
	struct named kn = { &f, 'K' }, vn = { &f, 'V' }, rn = { &f, 'R' },
		     fn = { &f, 'F' };
	struct hv_timer *killer, *victim, *rep, *selfish;

	killer = hv_timer_new(loop, on_named, &kn);
	victim = hv_timer_new(loop, on_named, &vn);
	rep = hv_timer_new(loop, on_named, &rn);
	selfish = hv_timer_new(loop, on_named, &fn);
	f.victim = victim;
	hv_timer_start(killer, 1, 0);
	hv_timer_start(victim, 1, 0);	/* same deadline, started later */
	hv_timer_start(selfish, 2, 0);
	hv_timer_start(rep, 3, 1);
	f.want = 5;	/* K, F, R, R, R */
	hv_loop_run(loop, &err);
	is_str(f.order.buf, "KFRRR",
	       "a timer stopped by an earlier one in the same turn does not fire; "
	       "a repeating timer repeats; a timer may free itself");
	ok(hv_timer_active(rep), "the repeating timer is still armed");
	hv_timer_free(rep);
	hv_timer_free(killer);
	hv_timer_free(victim);
	sb_release(&f.order);
	hv_loop_free(loop);
}

static int idle_calls;

static void
on_idle(struct hv_loop *loop, void *arg)
{
	int *left = arg;

	idle_calls++;
	if (--*left == 0)
		hv_loop_break(loop);
}

static void
test_idle(void)
{
	struct hv_loop *loop = hv_loop_new();
	struct hv_error err = HV_ERROR_INIT;
	struct fired f = { STRBUF_INIT, 0, 0, NULL };
	struct named n = { &f, 'T' };
	struct hv_timer *t = hv_timer_new(loop, on_named, &n);
	int left = 3;

	hv_loop_set_idle(loop, 0, on_idle, &left);
	is_int(hv_loop_run_once(loop, 0, &err), 0, "a turn with nothing ready dispatches nothing");
	is_int(idle_calls, 1, "and calls idle");
	hv_timer_start(t, 0, 0);
	is_int(hv_loop_run_once(loop, 0, &err), 1, "a turn where a timer fires");
	is_int(idle_calls, 1, "is not idle");
	idle_calls = 0;
	left = 3;
	ok(hv_loop_run(loop, &err) == 0, "run with an idle callback");
	is_int(idle_calls, 3, "idle called until it breaks the loop");
	hv_timer_free(t);
	sb_release(&f.order);
	hv_loop_free(loop);
}

struct sigs {
	int usr1, winch, winch2;
};

static void
on_sig(struct hv_loop *loop, int signo, void *arg)
{
	struct sigs *s = arg;

	if (signo == SIGUSR1)
		s->usr1++;
	if (signo == SIGWINCH)
		s->winch++;
}

static void
on_sig2(struct hv_loop *loop, int signo, void *arg)
{
	struct sigs *s = arg;

	s->winch2++;
}

static void
test_signals(void)
{
	struct hv_loop *loop = hv_loop_new(), *other;
	struct hv_error err = HV_ERROR_INIT;
	struct sigs s = { 0, 0, 0 };
	struct hv_signal *a, *b, *c;
	struct sigaction sa;

	a = hv_loop_on_signal(loop, SIGUSR1, on_sig, &s, &err);
	b = hv_loop_on_signal(loop, SIGWINCH, on_sig, &s, &err);
	c = hv_loop_on_signal(loop, SIGWINCH, on_sig2, &s, &err);
	ok(a && b && c, "handlers registered");
	raise(SIGUSR1);
	raise(SIGWINCH);
	raise(SIGWINCH);
	ok(hv_loop_run_once(loop, -1, &err) >= 3, "signals wake the loop");
	is_int(s.usr1, 1, "SIGUSR1 handled from the loop");
	is_int(s.winch, 1, "two SIGWINCH in one turn coalesce");
	is_int(s.winch2, 1, "every handler of a signal runs");

	other = hv_loop_new();
	ok(hv_loop_on_signal(other, SIGUSR2, on_sig, &s, &err) == NULL,
	   "a second loop cannot take signals");
	is_str(err.msg, "signals: another loop handles them already", "and says why");
	hv_loop_free(other);

	hv_signal_remove(c);
	raise(SIGWINCH);
	hv_loop_run_once(loop, -1, &err);
	is_int(s.winch, 2, "the remaining handler still runs");
	is_int(s.winch2, 1, "a removed handler does not");

	hv_signal_remove(b);
	sigaction(SIGWINCH, NULL, &sa);
	ok(sa.sa_handler == SIG_DFL, "the last handler gone, the old disposition is back");
	sigaction(SIGUSR1, NULL, &sa);
	ok(sa.sa_handler != SIG_DFL, "SIGUSR1 still caught while handled");
	hv_loop_free(loop);
	sigaction(SIGUSR1, NULL, &sa);
	ok(sa.sa_handler == SIG_DFL, "freeing the loop restores dispositions");

	other = hv_loop_new();
	ok(hv_loop_on_signal(other, SIGUSR2, on_sig, &s, &err) != NULL,
	   "once freed, another loop may take signals");
	hv_loop_free(other);
	hv_error_clear(&err);
}

/* Fairness: a flooding pipe and a quiet one. */
struct flood {
	int flood_w, quiet_w;
	struct hv_watch *quiet;
	size_t flood_reads, flood_bytes, max_read;
	size_t quiet_bytes;
	int quiet_turn, turn;
};

static void
on_flood_read(struct hv_loop *loop, struct hv_watch *w, void *arg)
{
	struct flood *f = arg;
	const char *data;
	ssize_t n = hv_watch_read(w, &data);

	if (n > 0) {
		f->flood_reads++;
		f->flood_bytes += (size_t)n;
		if ((size_t)n > f->max_read)
			f->max_read = (size_t)n;
	}
}

/* Keeps the flooding pipe full, forever: the writer never rests. */
static void
on_flood_write(struct hv_loop *loop, struct hv_watch *w, void *arg)
{
	static const char junk[8192];

	while (write(hv_watch_fd(w), junk, sizeof(junk)) > 0)
		;
}

static void
on_quiet_read(struct hv_loop *loop, struct hv_watch *w, void *arg)
{
	struct flood *f = arg;
	const char *data;
	ssize_t n = hv_watch_read(w, &data);

	if (n > 0) {
		f->quiet_bytes += (size_t)n;
		f->quiet_turn = f->turn;
	}
}

static void
test_fairness(void)
{
	struct hv_loop *loop = hv_loop_new();
	struct hv_error err = HV_ERROR_INIT;
	struct flood f;
	struct hv_watch *fw;
	int flood[2], quiet[2], i;

	memset(&f, 0, sizeof(f));
	ok(pipe(flood) == 0 && pipe(quiet) == 0, "two pipes");
	fcntl(flood[0], F_SETFL, O_NONBLOCK);
	fcntl(flood[1], F_SETFL, O_NONBLOCK);
	fcntl(quiet[0], F_SETFL, O_NONBLOCK);
	hv_loop_set_read_max(loop, 4096);
	hv_loop_add_fd(loop, flood[0], on_flood_read, NULL, &f);
	fw = hv_loop_add_fd(loop, flood[1], NULL, on_flood_write, &f);
	hv_watch_want_write(fw, 1);
	f.quiet = hv_loop_add_fd(loop, quiet[0], on_quiet_read, NULL, &f);

	/* Fill the flood first, so it is ready before the quiet pipe is. */
	on_flood_write(loop, fw, &f);
	for (f.turn = 1; f.turn <= 3; f.turn++) {
		if (f.turn == 2)
			ok(write(quiet[1], "hello", 5) == 5, "the quiet pipe speaks in turn 2");
		hv_loop_run_once(loop, -1, &err);
	}
	is_int(f.quiet_bytes, 5, "the quiet pipe's bytes arrived");
	is_int(f.quiet_turn, 2, "in the very turn they were written, despite the flood");
	is_int(f.flood_reads, 3, "the flood got one read per turn");
	is_int(f.max_read, 4096, "each at most the read size");
	is_int(f.flood_bytes, 3 * 4096, "every read was a full one: the flood never ran dry");

	/* A watch that removes itself is not called again. */
	hv_watch_remove(f.quiet);
	ok(write(quiet[1], "x", 1) == 1, "write to the removed watch's pipe");
	f.quiet_bytes = 0;
	hv_loop_run_once(loop, -1, &err);
	is_int(f.quiet_bytes, 0, "a removed watch gets no callbacks");

	hv_watch_want_write(fw, 0);
	for (i = 0; i < 2; i++)
		close(flood[i]), close(quiet[i]);
	hv_loop_free(loop);
}

/* Read to end of file, then remove the watch from its own callback. */
struct eof_reader {
	struct strbuf got;
	int eof;
	int calls_after_eof;
};

static void
on_eof_read(struct hv_loop *loop, struct hv_watch *w, void *arg)
{
	struct eof_reader *r = arg;
	const char *data;
	ssize_t n;

	if (r->eof) {
		r->calls_after_eof++;
		return;
	}
	n = hv_watch_read(w, &data);
	if (n > 0) {
		sb_add(&r->got, data, (size_t)n);
	} else if (n == 0) {
		r->eof = 1;
		hv_watch_remove(w);
	}
}

static void
test_eof(void)
{
	struct hv_loop *loop = hv_loop_new();
	struct hv_error err = HV_ERROR_INIT;
	struct eof_reader r = { STRBUF_INIT, 0, 0 };
	int p[2];

	ok(pipe(p) == 0, "pipe");
	ok(write(p[1], "abcdefgh", 8) == 8, "eight bytes");
	close(p[1]);
	hv_loop_set_read_max(loop, 3);
	hv_loop_add_fd(loop, p[0], on_eof_read, NULL, &r);
	ok(hv_loop_run(loop, &err) == 0, "run until the watch is gone");
	is_str(r.got.buf, "abcdefgh", "all bytes, three at a time");
	ok(r.eof && !r.calls_after_eof, "end of file seen once");
	close(p[0]);
	sb_release(&r.got);
	hv_loop_free(loop);
}

int
main(void)
{
	test_timers();
	test_timer_callbacks();
	test_idle();
	test_signals();
	test_fairness();
	test_eof();
	return done_testing();
}
