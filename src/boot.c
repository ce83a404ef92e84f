/*
 * boot.c: one boot judged by the rules (boot.h).
 *
 * The first thing that decides wins: a rule matching a console line, the
 * silence timer, the job's timeout. Once decided, qemu is asked to quit
 * over QMP and killed by a timer if it does not; the console is still
 * logged (and shown) to the end, but no longer judged. Nothing here
 * sleeps.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "boot.h"
#include "job.h"
#include "qemu.h"

/* After QMP quit, how long qemu has before the job kills it. */
#define QUIT_GRACE_MS 1000

struct hv_boot {
	struct hv_loop *loop;
	const struct hv_config *cfg;
	struct hv_rules *rules;
	const struct hv_boot_ops *ops;
	void *arg;
	struct hv_job *job;
	struct hv_qemu qemu;
	struct hv_lines *lines;
	struct hv_timer *silence, *quit_timer;
	struct strbuf last_line;	/* the console's last complete line */
	struct hv_verdict v;
	int decided;
	int64_t start;
	struct hv_job_result res;	/* how qemu ended */
};

static void
decide(struct hv_boot *b, enum hv_rule_kind kind, int abort, char *reason)
{
	hv_verdict_decide(&b->v, &b->decided, kind, abort, reason);
}

static enum hv_rule_kind
hang_kind(const struct hv_config *cfg, int *abort)
{
	*abort = cfg->boot.hang == HV_ACTION_ABORT;
	return cfg->boot.hang == HV_ACTION_BAD ? HV_RULE_BAD : HV_RULE_SKIP;
}

static void
quit_qemu(struct hv_boot *b)
{
	if (hv_qemu_quit(&b->qemu) < 0) {
		/* no QMP to ask (a stand-in, or qemu not listening yet) */
		if (b->job)
			hv_job_kill(b->job);
		return;
	}
	hv_timer_start(b->quit_timer, QUIT_GRACE_MS, 0);
}

static int
on_line(void *arg, const char *line, size_t len,
	const struct hv_line_info *info)
{
	struct hv_boot *b = arg;
	struct hv_rule_match m;
	struct strbuf why = STRBUF_INIT;
	enum hv_rule_kind kind;

	sb_reset(&b->last_line);
	sb_add(&b->last_line, line, len);
	if (b->decided)
		return 1;
	kind = hv_rules_match(b->rules, line, len, &m);
	if (kind == HV_RULE_NONE)
		return 0;
	hv_rule_match_describe(&m, &why);
	decide(b, kind, 0, sb_detach(&why));
	b->v.rule = xstrdup(m.pattern);
	b->v.line = xstrndup(line, len);
	b->v.lineno = info->number;
	quit_qemu(b);
	return 1;
}

static void
on_output(struct hv_job *job, const char *data, size_t len, void *arg)
{
	struct hv_boot *b = arg;

	(void)job;
	if (b->ops->output)
		b->ops->output(b->arg, b, data, len);
	if (!b->decided && b->cfg->boot.silence_ms > 0)
		hv_timer_start(b->silence, b->cfg->boot.silence_ms, 0);
	if (!b->decided)
		hv_lines_feed(b->lines, data, len, on_line, b);
}

static void
on_silence(struct hv_loop *loop, struct hv_timer *t, void *arg)
{
	struct hv_boot *b = arg;
	struct strbuf why = STRBUF_INIT;
	int abort;
	enum hv_rule_kind kind = hang_kind(b->cfg, &abort);

	(void)loop;
	(void)t;
	sb_adds(&why, "hang: no console output for ");
	hv_format_duration(&why, b->cfg->boot.silence_ms);
	decide(b, kind, abort, sb_detach(&why));
	quit_qemu(b);
}

static void
on_quit_timeout(struct hv_loop *loop, struct hv_timer *t, void *arg)
{
	struct hv_boot *b = arg;

	(void)loop;
	(void)t;
	if (b->job)
		hv_job_kill(b->job);
}

/* qemu's own complaint ("qemu-system-x86_64: -foo: invalid option"). */
static int
is_qemu_message(const struct hv_boot *b, const char *line)
{
	const char *prog = b->qemu.prog ? b->qemu.prog : "qemu";
	const char *base = strrchr(prog, '/');

	base = base ? base + 1 : prog;
	return !strncmp(line, base, strlen(base)) && line[strlen(base)] == ':';
}

/* What an undecided end means: a timeout, or qemu that never ran. */
static void
judge_exit(struct hv_boot *b)
{
	const struct hv_job_result *res = &b->res;
	const char *last = b->last_line.buf ? b->last_line.buf : "";

	if (res->timed_out) {
		struct strbuf why = STRBUF_INIT;
		int abort;
		enum hv_rule_kind kind = hang_kind(b->cfg, &abort);

		sb_adds(&why, "timeout after ");
		hv_format_duration(&why, b->cfg->boot.timeout_ms);
		decide(b, kind, abort, sb_detach(&why));
	} else if (res->exit_code != 0 &&
		   (res->exit_code == 127 || is_qemu_message(b, last))) {
		/* qemu never ran the machine: a broken config, not a verdict */
		decide(b, HV_RULE_NONE, 1,
		       b->last_line.len
			       ? xasprintf("qemu failed to start: %s", last)
			       : xasprintf("qemu failed to start (exit %d)",
					   res->exit_code));
	}
}

static void
on_qemu_exit(struct hv_job *job, const struct hv_job_result *res, void *arg)
{
	struct hv_boot *b = arg;

	b->job = NULL;
	b->res = *res;
	hv_job_free(job);
	hv_lines_flush(b->lines, on_line, b);
	b->v.boot_ms = hv_now_ms() - b->start;
	hv_timer_stop(b->silence);
	hv_timer_stop(b->quit_timer);
	judge_exit(b);
	hv_qemu_release(&b->qemu);
	if (b->ops->exited)
		b->ops->exited(b->arg, b);
}

struct hv_boot *
hv_boot_start(struct hv_loop *loop, const struct hv_config *cfg,
	      struct hv_rules *rules, const char *cwd, char **env,
	      const char *log_path, const struct hv_boot_ops *ops, void *arg,
	      struct hv_error *err)
{
	struct hv_boot *b = xcalloc(1, sizeof(*b));
	struct hv_job_opts o;

	b->loop = loop;
	b->cfg = cfg;
	b->rules = rules;
	b->ops = ops;
	b->arg = arg;
	hv_verdict_init(&b->v);
	if (hv_qemu_prepare(cfg, &b->qemu, err) < 0) {
		free(b);
		return NULL;
	}
	b->lines = hv_lines_new(0);
	b->silence = hv_timer_new(loop, on_silence, b);
	b->quit_timer = hv_timer_new(loop, on_quit_timeout, b);
	b->start = hv_now_ms();
	memset(&o, 0, sizeof(o));
	o.argv = b->qemu.argv;
	o.cwd = cwd;
	o.env = env;
	o.log_path = log_path;
	o.timeout_ms = cfg->boot.timeout_ms;
	o.on_output = on_output;
	o.on_exit = on_qemu_exit;
	o.arg = b;
	b->job = hv_job_start(loop, &o, err);
	if (!b->job) {
		hv_boot_free(b);
		return NULL;
	}
	if (cfg->boot.silence_ms > 0)
		hv_timer_start(b->silence, cfg->boot.silence_ms, 0);
	return b;
}

void
hv_boot_free(struct hv_boot *b)
{
	if (!b)
		return;
	if (b->job)
		hv_job_free(b->job);	/* kills and reaps */
	hv_qemu_release(&b->qemu);
	hv_lines_free(b->lines);
	hv_timer_free(b->silence);
	hv_timer_free(b->quit_timer);
	sb_release(&b->last_line);
	hv_verdict_release(&b->v);
	free(b);
}

int
hv_boot_verdict(struct hv_boot *b, struct hv_verdict *v)
{
	*v = b->v;	/* the strings move to v */
	hv_verdict_init(&b->v);
	b->v.boot_ms = v->boot_ms;
	b->v.kind = v->kind;
	return b->decided;
}

int
hv_boot_running(const struct hv_boot *b)
{
	return b && b->job;
}

int
hv_boot_write(struct hv_boot *b, const void *data, size_t len)
{
	return b->job ? hv_job_write(b->job, data, len) : -1;
}

void
hv_boot_resize(struct hv_boot *b, int rows, int cols)
{
	if (b->job)
		hv_job_resize(b->job, rows, cols);
}

char *
hv_boot_missing_file(const struct hv_config *cfg, const char *cwd)
{
	struct hv_qemu q;
	char *missing;

	if (hv_qemu_prepare(cfg, &q, NULL) < 0)
		return NULL;
	missing = hv_qemu_missing_file(&q, cwd);
	hv_qemu_release(&q);
	return missing;
}
