/*
 * workstation.c: the pipeline behind the workstation's keys and panes.
 * The TUI owns the loop and the session; this file creates a pipeline on
 * them when the screen comes up, routes its output into the build and
 * console panes, keys typed into the console back into qemu's pty, and
 * its stages and verdicts into the status bar. With --run CMD the
 * pipeline is the core's `run CMD` (hv_runcmd_config): r tests each
 * commit with CMD, as `halve run CMD` would.
 *
 * The same pipeline serves the other keys that run commits: t re-tests
 * the selected commit (hv_pipeline_retest, `halve run --retest`), V runs
 * the verifier's plan on the first bad commit (`halve verify`), and a run
 * that finds one verifies it when the config says [verify] after-run.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "pipeline.h"
#include "runcmd.h"
#include "tui.h"
#include "verify.h"
#include "workstation.h"

/* What the pipeline runs for the workstation: its end reads differently. */
enum ws_doing {
	WS_BISECT,		/* r: the steps of the bisection */
	WS_RETEST,		/* t: one commit, marked, and no further */
	WS_VERIFY,		/* V: the verifier's checks */
};

struct ws {
	struct hv_workstation_opts opts;
	char **run_argv;	/* --run CMD...: r runs CMD as `halve run` */
	size_t run_argc;
	struct hv_tui *tui;
	struct hv_pipeline *p;
	struct hv_config cfg;
	int have_cfg;
	char *cfg_error;
	int slot_shown;		/* the console's title names its slot */
	enum ws_doing doing;
	enum hv_stage stage;	/* the pipeline's, for the status bar */
	struct hv_verifier *verifier;	/* while V's checks run */
	char *check;		/* "verify: parent 1a2b3c4d5e6f", its run */
	char *verdict;		/* t: the run's verdict, "bad: why" */
};

static const char *
stage_label(enum hv_stage stage)
{
	switch (stage) {
	case HV_STAGE_CHECKOUT:
		return "checking out";
	case HV_STAGE_BUILD:
		return "building";
	case HV_STAGE_BOOT:
		return "booting";
	case HV_STAGE_TEST:
		return "testing";
	default:
		return NULL;
	}
}

/*
 * The status bar's stage; a verify check's run is prefixed with the
 * check ("verify: parent 1a2b3c4d5e6f: booting"). A check is named only
 * once its commit is chosen: the checkout before that is a plain
 * "checking out", which, being every run's first stage, makes each run
 * a step of its own.
 */
static void
show_stage(struct ws *ws)
{
	const char *label = stage_label(ws->stage);
	char *text;

	if (!label || !ws->check) {
		hv_tui_set_stage(ws->tui, label);
		return;
	}
	text = xasprintf("%s: %s", ws->check, label);
	hv_tui_set_stage(ws->tui, text);
	free(text);
}

static void
ws_stage(void *arg, enum hv_stage stage, const struct hv_oid *commit)
{
	struct ws *ws = arg;

	ws->stage = stage;
	if (stage == HV_STAGE_CHECKOUT || stage == HV_STAGE_IDLE) {
		free(ws->check);	/* the next check names itself */
		ws->check = NULL;
	}
	if (stage == HV_STAGE_BUILD)
		hv_tui_term_clear(ws->tui, HV_TUI_BUILD);
	if (stage == HV_STAGE_BOOT) {
		int rows, cols;

		hv_tui_term_clear(ws->tui, HV_TUI_CONSOLE);
		hv_tui_term_size(ws->tui, HV_TUI_CONSOLE, &rows, &cols);
		hv_pipeline_console_resize(ws->p, rows, cols);
		ws->slot_shown = 0;
	}
	show_stage(ws);
}

/* The verifier chose the next run: the status bar names its check. */
static void
ws_verifying(void *arg, const char *check, const struct hv_oid *commit)
{
	struct ws *ws = arg;
	char hex[41];

	hv_oid_fmt(hex, commit);
	free(ws->check);
	ws->check = xasprintf("verify: %s %.12s", check, hex);
	show_stage(ws);
}

static void
ws_build_output(void *arg, const char *data, size_t len)
{
	struct ws *ws = arg;

	hv_tui_feed(ws->tui, HV_TUI_BUILD, data, len);
}

/* The console's title names the slot it shows when a step boots more
 * than one ("slot 1 of 2: o shows the next"). */
static void
show_slot(struct ws *ws)
{
	int watched, n = hv_pipeline_slots(ws->p, &watched);

	if (n > 1) {
		char *what = xasprintf("slot %d of %d (o: the next)",
				       watched + 1, n);

		hv_tui_term_status(ws->tui, HV_TUI_CONSOLE, what);
		free(what);
	}
	ws->slot_shown = 1;
}

static void
ws_console_output(void *arg, const char *data, size_t len)
{
	struct ws *ws = arg;

	if (!ws->slot_shown)
		show_slot(ws);
	hv_tui_feed(ws->tui, HV_TUI_CONSOLE, data, len);
}

static int
ws_slot(struct hv_tui *tui, void *arg, struct hv_error *err)
{
	struct ws *ws = arg;
	struct strbuf console = STRBUF_INIT;
	int watched, n = ws->p ? hv_pipeline_slots(ws->p, &watched) : 0;

	if (n < 2)
		return hv_error_set(err, "one boot at a time: no other slot "
				    "to show ([boot] slots, under confidence)");
	if (hv_pipeline_watch(ws->p, (watched + 1) % n, &console) < 0) {
		sb_release(&console);
		return hv_error_set(err, "slot %d: its console cannot be read",
				    (watched + 1) % n + 1);
	}
	/* the slot's console from its start, then live */
	hv_tui_term_clear(tui, HV_TUI_CONSOLE);
	if (console.len)
		hv_tui_feed(tui, HV_TUI_CONSOLE, console.buf, console.len);
	sb_release(&console);
	show_slot(ws);
	return 0;
}

static void
ws_verdict(void *arg, const struct hv_oid *commit, const struct hv_verdict *v)
{
	struct ws *ws = arg;
	char hex[41];

	hv_oid_fmt(hex, commit);
	hv_tui_message(ws->tui, v->abort, "%.12s: %s: %s", hex,
		       v->abort ? "abort" : hv_rule_kind_name(v->kind), v->reason);
	hv_tui_term_status(ws->tui, HV_TUI_CONSOLE, v->reason);
	free(ws->verdict);
	ws->verdict = xasprintf("%s (%s)", v->abort ? "abort"
			       : hv_rule_kind_name(v->kind), v->reason);
}

static void
ws_step(void *arg, const struct hv_step *step)
{
	struct ws *ws = arg;

	hv_tui_session_stepped(ws->tui, step);	/* no second computation */
}

/* Where the session stands at a run's end, in the status bar's words. */
static void
end_words(struct ws *ws, const struct hv_step *step, struct strbuf *sb)
{
	char hex[41];

	hv_oid_fmt(hex, &step->current);
	switch (step->outcome) {
	case HV_STEP_FOUND:
		sb_addf(sb, "%.12s is the first bad commit%s", hex,
			step->npath ? " (inside a descended merge)" : "");
		break;
	case HV_STEP_ONLY_SKIPPED:
		sb_addf(sb, "only skipped commits are left: %zu could be the "
			"first bad one", step->nsuspects);
		break;
	case HV_STEP_COMBINATION:
		sb_adds(sb, "both sides of the merge are good: the bug comes "
			"from combining them");
		break;
	case HV_STEP_FIXED_BETWEEN:
		sb_addf(sb, "the merge base %.12s is bad: the bug was fixed in "
			"between", hex);
		break;
	case HV_STEP_TEST:
	case HV_STEP_MERGE_BASE:
		sb_addf(sb, ws->doing == WS_RETEST ? "next to test: %.12s (r "
			"goes on)" : "paused before testing %.12s (r goes on)",
			hex);
		break;
	default:
		sb_adds(sb, "the run is over");
		break;
	}
}

/*
 * V's checks are over: the summary and the doubts in the status bar
 * until the next key, and in the build pane, under the last check's
 * log, for as long as it is there.
 */
static void
verify_finished(struct ws *ws)
{
	const struct hv_verify_report *r = hv_verifier_report(ws->verifier);
	struct strbuf sum = STRBUF_INIT, doubts = STRBUF_INIT;
	struct strbuf msg = STRBUF_INIT, pane = STRBUF_INIT;

	hv_verify_summary(r, &sum);
	hv_verify_doubts(r, &doubts);
	sb_adds(&msg, sum.buf);
	sb_addf(&pane, "\r\n%s\r\n", sum.buf);
	for (char *line = doubts.buf, *nl; line && *line; line = nl + 1) {
		nl = strchr(line, '\n');
		sb_addf(&msg, "; %.*s", (int)(nl - line), line);
		sb_addf(&pane, "%.*s\r\n", (int)(nl - line), line);
	}
	hv_tui_feed(ws->tui, HV_TUI_BUILD, pane.buf, pane.len);
	hv_tui_term_status(ws->tui, HV_TUI_BUILD, r->verified ? "verified"
							      : "not verified");
	hv_tui_message(ws->tui, !r->verified, "%s", msg.buf);
	sb_release(&sum);
	sb_release(&doubts);
	sb_release(&msg);
	sb_release(&pane);
}

static int start_verify(struct ws *ws, struct hv_error *err);

static void
ws_finished(void *arg, const struct hv_step *step, const char *error)
{
	struct ws *ws = arg;
	struct hv_error err = HV_ERROR_INIT;
	struct strbuf sb = STRBUF_INIT;

	hv_tui_set_stage(ws->tui, NULL);
	hv_tui_session_changed(ws->tui);
	if (error)
		hv_tui_message(ws->tui, 1, "%s", error);
	else if (ws->doing == WS_VERIFY)
		verify_finished(ws);
	if (error || ws->doing == WS_VERIFY) {
		hv_verifier_free(ws->verifier);	/* stopped: the culprit back */
		ws->verifier = NULL;
		return;
	}
	if (ws->doing == WS_RETEST && ws->verdict)
		sb_addf(&sb, "re-test: %s; ", ws->verdict);
	end_words(ws, step, &sb);
	hv_tui_message(ws->tui, 0, "%s", sb.buf);
	sb_release(&sb);
	/* [verify] after-run: the culprit found is checked at once, as
	 * halve run does */
	if (ws->doing == WS_BISECT && step->outcome == HV_STEP_FOUND &&
	    ws->cfg.verify.after_run && start_verify(ws, &err) < 0) {
		hv_tui_message(ws->tui, 1, "%s", err.msg);
		hv_error_clear(&err);
	}
}

/* A run taking over from a dead one: the status bar says so. */
static void
ws_notice(void *arg, const char *msg)
{
	struct ws *ws = arg;

	hv_tui_message(ws->tui, 0, "%s", msg);
}

static const struct hv_pipeline_ops ws_ops = {
	ws_stage, ws_build_output, ws_console_output, ws_verdict, ws_step,
	ws_finished, ws_notice,
};

static void
to_console(const char *data, size_t len, void *arg)
{
	struct ws *ws = arg;

	if (ws->p)
		hv_pipeline_console_write(ws->p, data, len);
}

static void
console_resized(int rows, int cols, void *arg)
{
	struct ws *ws = arg;

	if (ws->p)
		hv_pipeline_console_resize(ws->p, rows, cols);
}

/* Can the pipeline take a new run? -1 with err saying why not. */
static int
pipeline_free_for(struct ws *ws, const char *what, struct hv_error *err)
{
	const char *why = ws->cfg_error;

	if (!ws->have_cfg) {
		/* the config's error speaks for r: say it for this key */
		if (why && !strncmp(why, "run: ", 5))
			why += 5;
		return hv_error_set(err, "%s: %s", what, why ? why
				    : "no pipeline config");
	}
	if (hv_pipeline_running(ws->p))
		return hv_error_set(err, "%s: the pipeline is running (p pauses "
				    "it after this step)", what);
	return 0;
}

static int
ws_run(struct hv_tui *tui, void *arg, struct hv_error *err)
{
	struct ws *ws = arg;

	if (!ws->have_cfg)
		return hv_error_set(err, "%s", ws->cfg_error ? ws->cfg_error
					       : "run: no pipeline config");
	if (hv_pipeline_running(ws->p))
		return 0;
	ws->doing = WS_BISECT;
	/* refused while another process's pipeline runs on this tree */
	return hv_pipeline_start(ws->p, err);
}

static int
ws_retest(struct hv_tui *tui, void *arg, const struct hv_oid *commit,
	  struct hv_error *err)
{
	struct ws *ws = arg;
	struct hv_marks m;

	hv_session_marks(hv_tui_session(tui), &m);
	if (!m.active)
		return hv_error_set(err, "re-test: no bisection to record it in "
				    "(b and g start one)");
	if (pipeline_free_for(ws, "re-test", err) < 0)
		return -1;
	ws->doing = WS_RETEST;
	free(ws->verdict);
	ws->verdict = NULL;
	return hv_pipeline_retest(ws->p, commit, err);
}

static const struct hv_verify_ops ws_verify_ops = { ws_verifying };

/* The verifier's checks on the workstation's pipeline. */
static int
start_verify(struct ws *ws, struct hv_error *err)
{
	if (hv_verifier_new(hv_tui_session(ws->tui), ws->cfg.verify.confidence,
			    &ws_verify_ops, ws, &ws->verifier, err) < 0)
		return -1;
	ws->doing = WS_VERIFY;
	if (hv_pipeline_start_plan(ws->p, &hv_verify_plan, ws->verifier,
				   err) < 0) {
		hv_verifier_free(ws->verifier);
		ws->verifier = NULL;
		return -1;
	}
	return 0;
}

static int
ws_verify(struct hv_tui *tui, void *arg, struct hv_error *err)
{
	struct ws *ws = arg;

	if (pipeline_free_for(ws, "verify", err) < 0)
		return -1;
	return start_verify(ws, err);
}

static int
ws_attach(struct hv_tui *tui, void *arg, struct hv_error *err)
{
	struct ws *ws = arg;
	struct hv_pipeline_opts po = { 0 };
	struct hv_error e = HV_ERROR_INIT;

	ws->tui = tui;
	if (ws->run_argc) {
		/* the core's run CMD as a pipeline: test only, by exit code */
		hv_config_free(&ws->cfg);
		hv_runcmd_config(ws->run_argv, ws->run_argc, &ws->cfg);
		ws->have_cfg = 1;
	} else if (hv_pipeline_load_config(hv_tui_session(tui), &ws->cfg,
					   &e) == 0) {
		ws->have_cfg = 1;
		/* [verdict] max-runs: the budget a weighed search stops at */
		hv_session_set_max_runs(hv_tui_session(tui), ws->cfg.max_runs);
	} else {
		ws->cfg_error = e.msg;	/* shown when r is pressed */
		e.msg = NULL;
	}
	po.descend = ws->opts.descend;
	ws->p = hv_pipeline_new(hv_tui_session(tui), hv_tui_loop(tui),
				&ws->cfg, &po, &ws_ops, ws);
	hv_tui_set_console_output(tui, to_console, ws);
	hv_tui_set_term_resize(tui, HV_TUI_CONSOLE, console_resized, ws);
	if (ws->opts.autorun)
		return ws_run(tui, ws, err);
	return 0;
}

static void
ws_detach(struct hv_tui *tui, void *arg)
{
	struct ws *ws = arg;

	hv_pipeline_free(ws->p);	/* stops a running step: qemu, build */
	ws->p = NULL;
	hv_verifier_free(ws->verifier);	/* checks cut short: the culprit back */
	ws->verifier = NULL;
}

static int
ws_pause(struct hv_tui *tui, void *arg, struct hv_error *err)
{
	struct ws *ws = arg;

	int on = !hv_pipeline_pausing(ws->p);

	(void)err;
	hv_pipeline_pause(ws->p, on);
	hv_tui_message(tui, 0, on ? "pausing after this step"
				  : "not pausing after this step");
	return 0;
}

static void
ws_cancel(struct hv_tui *tui, void *arg)
{
	struct ws *ws = arg;

	if (ws->p && hv_pipeline_running(ws->p))
		hv_pipeline_cancel(ws->p);
	/* a cancel ends the run without finishing it: checks cut short */
	hv_verifier_free(ws->verifier);
	ws->verifier = NULL;
}

int
hv_workstation_main(int argc, char **argv,
		    const struct hv_workstation_opts *opts)
{
	struct hv_tui_hooks hooks;
	struct ws ws;
	int rc;

	memset(&ws, 0, sizeof(ws));
	if (opts)
		ws.opts = *opts;
	/* --run CMD [ARG...] ends the workstation's options */
	for (int i = 0; i < argc; i++)
		if (!strcmp(argv[i], "--run")) {
			ws.run_argv = argv + i + 1;
			ws.run_argc = (size_t)(argc - i - 1);
			argc = i;
			break;
		}
	hv_config_init(&ws.cfg);
	memset(&hooks, 0, sizeof(hooks));
	hooks.attach = ws_attach;
	hooks.detach = ws_detach;
	hooks.run = ws_run;
	hooks.pause = ws_pause;
	hooks.cancel = ws_cancel;
	hooks.slot = ws_slot;
	hooks.retest = ws_retest;
	hooks.verify = ws_verify;
	hooks.arg = &ws;
	rc = hv_tui_main_hooks(argc, argv, &hooks);
	hv_pipeline_free(ws.p);
	hv_verifier_free(ws.verifier);
	hv_config_free(&ws.cfg);
	free(ws.cfg_error);
	free(ws.check);
	free(ws.verdict);
	return rc;
}
