/*
 * workstation.c: the pipeline behind the workstation's keys and panes.
 * The TUI owns the loop and the session; this file creates a pipeline on
 * them when the screen comes up, routes its output into the build and
 * console panes, keys typed into the console back into qemu's pty, and
 * its stages and verdicts into the status bar. With --run CMD the
 * pipeline is the core's `run CMD` (hv_runcmd_config): r tests each
 * commit with CMD, as `halve run CMD` would.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "pipeline.h"
#include "runcmd.h"
#include "tui.h"
#include "workstation.h"

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

static void
ws_stage(void *arg, enum hv_stage stage, const struct hv_oid *commit)
{
	struct ws *ws = arg;

	if (stage == HV_STAGE_BUILD)
		hv_tui_term_clear(ws->tui, HV_TUI_BUILD);
	if (stage == HV_STAGE_BOOT) {
		int rows, cols;

		hv_tui_term_clear(ws->tui, HV_TUI_CONSOLE);
		hv_tui_term_size(ws->tui, HV_TUI_CONSOLE, &rows, &cols);
		hv_pipeline_console_resize(ws->p, rows, cols);
		ws->slot_shown = 0;
	}
	hv_tui_set_stage(ws->tui, stage_label(stage));
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
}

static void
ws_step(void *arg, const struct hv_step *step)
{
	struct ws *ws = arg;

	hv_tui_session_stepped(ws->tui, step);	/* no second computation */
}

static void
ws_finished(void *arg, const struct hv_step *step, const char *error)
{
	struct ws *ws = arg;
	char hex[41];

	hv_tui_set_stage(ws->tui, NULL);
	hv_tui_session_changed(ws->tui);
	if (error) {
		hv_tui_message(ws->tui, 1, "%s", error);
		return;
	}
	hv_oid_fmt(hex, &step->current);
	switch (step->outcome) {
	case HV_STEP_FOUND:
		hv_tui_message(ws->tui, 0, "%.12s is the first bad commit%s",
			       hex, step->npath ? " (inside a descended merge)"
						: "");
		break;
	case HV_STEP_ONLY_SKIPPED:
		hv_tui_message(ws->tui, 0, "only skipped commits are left: %zu "
			       "could be the first bad one", step->nsuspects);
		break;
	case HV_STEP_COMBINATION:
		hv_tui_message(ws->tui, 0, "both sides of the merge are good: the "
			       "bug comes from combining them");
		break;
	case HV_STEP_FIXED_BETWEEN:
		hv_tui_message(ws->tui, 0, "the merge base %.12s is bad: the bug "
			       "was fixed in between", hex);
		break;
	case HV_STEP_TEST:
	case HV_STEP_MERGE_BASE:
		hv_tui_message(ws->tui, 0, "paused before testing %.12s (r goes "
			       "on)", hex);
		break;
	default:
		hv_tui_message(ws->tui, 0, "the run is over");
		break;
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

static int
ws_run(struct hv_tui *tui, void *arg, struct hv_error *err)
{
	struct ws *ws = arg;

	if (!ws->have_cfg)
		return hv_error_set(err, "%s", ws->cfg_error ? ws->cfg_error
					       : "run: no pipeline config");
	if (hv_pipeline_running(ws->p))
		return 0;
	/* refused while another process's pipeline runs on this tree */
	return hv_pipeline_start(ws->p, err);
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
	hooks.attach = ws_attach;
	hooks.detach = ws_detach;
	hooks.run = ws_run;
	hooks.pause = ws_pause;
	hooks.cancel = ws_cancel;
	hooks.slot = ws_slot;
	hooks.arg = &ws;
	rc = hv_tui_main_hooks(argc, argv, &hooks);
	hv_pipeline_free(ws.p);
	hv_config_free(&ws.cfg);
	free(ws.cfg_error);
	return rc;
}
