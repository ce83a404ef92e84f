/*
 * pipeline.h: `halve run` without a command: for each step, check out,
 * build (its output live), boot in qemu (the serial console live, read
 * line by line through the verdict rules), optionally test on the host,
 * and mark the commit the instant something decides. It never blocks:
 * every job is an fd in the caller's loop, every limit a timer, and the
 * faces (CLI and TUI) watch through the callbacks in struct
 * hv_pipeline_ops.
 *
 * Per step it leaves .git/halve/steps/<sha>/{build.log,console.log,
 * test.log,verdict,artifacts/} (each repeat on a boot slot its own
 * <sha>.k/ with its console.log and verdict); while a step runs, .git/halve/running says which
 * stage it is in and since when (for `halve status` elsewhere).
 */
#ifndef HALVE_PIPELINE_H
#define HALVE_PIPELINE_H

#include "conf.h"
#include "loop.h"
#include "session.h"
#include "verdict.h"

#define HV_STAGES(X) \
	X(IDLE, "idle") \
	X(CHECKOUT, "checkout") \
	X(BUILD, "build") \
	X(BOOT, "boot") \
	X(TEST, "test")

enum hv_stage {
#define HV_STAGE_ENUM(id, name) HV_STAGE_##id,
	HV_STAGES(HV_STAGE_ENUM)
#undef HV_STAGE_ENUM
};
const char *hv_stage_name(enum hv_stage stage);

struct hv_pipeline_ops {
	void (*stage)(void *arg, enum hv_stage stage, const struct hv_oid *commit);
	void (*build_output)(void *arg, const char *data, size_t len);
	void (*console_output)(void *arg, const char *data, size_t len);
	void (*verdict)(void *arg, const struct hv_oid *commit,
			const struct hv_verdict *v);
	/* A new step was computed (after a mark, or a descend). */
	void (*step)(void *arg, const struct hv_step *step);
	/* The run is over: step holds the end (found, only skipped...), or
	 * the step it paused before (a commit to test) when a pause was
	 * asked for; error is set when it stopped on an error or an abort
	 * verdict. */
	void (*finished)(void *arg, const struct hv_step *step,
			 const char *error);
	/* Something the user should know that is no error: a run taking
	 * over from one whose halve died ("run: taking over from a
	 * pipeline that is gone (pid N, step SHA)"). May be NULL. */
	void (*notice)(void *arg, const char *msg);
};

struct hv_pipeline_opts {
	int descend;		/* a first bad merge: descend and go on */
};

struct hv_pipeline;

/* cfg is borrowed and must outlive the pipeline. */
struct hv_pipeline *hv_pipeline_new(struct hv_session *s, struct hv_loop *loop,
				    const struct hv_config *cfg,
				    const struct hv_pipeline_opts *opts,
				    const struct hv_pipeline_ops *ops, void *arg);
void hv_pipeline_free(struct hv_pipeline *p);

/*
 * Starts (or resumes) with the session's next step. Refused while
 * another process's pipeline runs on this work tree ("run: a pipeline is
 * running (pid N, step SHA)", nothing written); the `running` file of a
 * halve that died is taken over (ops->notice), and the verdict it wrote
 * for the commit it was on but did not mark is marked now.
 */
int hv_pipeline_start(struct hv_pipeline *p, struct hv_error *err);
/*
 * A plan: commits the caller names instead of the bisection's steps
 * (halve verify's checks). next() puts the next commit to run where the
 * build looks (hv_session_show) and returns 1 with it in *commit, or 0
 * when the plan is done; result() takes each verdict (a skip too; an
 * abort verdict ends the run before). Either returns -1 with err to stop
 * the run with that error. A pause stops a plan after its running step.
 */
struct hv_pipeline_plan {
	int (*next)(void *arg, struct hv_oid *commit, struct hv_error *err);
	int (*result)(void *arg, const struct hv_oid *commit,
		      const struct hv_verdict *v, struct hv_error *err);
};

/* Runs a plan instead of the bisection, refused as hv_pipeline_start()
 * is; ops->finished gets an empty step (outcome 0) at its end. */
int hv_pipeline_start_plan(struct hv_pipeline *p,
			   const struct hv_pipeline_plan *plan, void *plan_arg,
			   struct hv_error *err);

/*
 * Runs commit once and marks it as the bisection marks a step's verdict
 * (under --confidence: one more result of it), then stops: the
 * workstation's re-test. A commit run before boots the build kept from
 * that run (artifacts.h). ops->finished gets the step the mark made.
 */
int hv_pipeline_retest(struct hv_pipeline *p, const struct hv_oid *commit,
		       struct hv_error *err);

/* Stop after the step now running has been marked (on), or not. */
void hv_pipeline_pause(struct hv_pipeline *p, int on);
/* Is a pause asked for and not yet taken? */
int hv_pipeline_pausing(const struct hv_pipeline *p);
/* Stops the running step at once: jobs killed, no verdict, no mark. */
void hv_pipeline_cancel(struct hv_pipeline *p);
int hv_pipeline_running(const struct hv_pipeline *p);
/* Keys for the guest (the console pane): written to qemu's pty. */
int hv_pipeline_console_write(struct hv_pipeline *p, const void *data,
			      size_t len);
void hv_pipeline_console_resize(struct hv_pipeline *p, int rows, int cols);
/*
 * Boots of one commit at once ([boot] slots): how many the step boots
 * now (0 outside the boot stage), and which one the console shows
 * (*watched, from 0): its output goes to ops->console_output and keys
 * to it. hv_pipeline_watch() shows another: console gets its output so
 * far, for a pane to start again from. -1 when there is no such slot.
 */
int hv_pipeline_slots(const struct hv_pipeline *p, int *watched);
int hv_pipeline_watch(struct hv_pipeline *p, int slot, struct strbuf *console);

/* Loads the session's config: .git/halve/config, then the XDG one. */
int hv_pipeline_load_config(struct hv_session *s, struct hv_config *cfg,
			    struct hv_error *err);

/* What .git/halve/running says, for `halve status` in another terminal. */
struct hv_running {
	enum hv_stage stage;
	struct hv_oid commit;
	int64_t started_ms;	/* wall clock, ms since the epoch */
	long pid;
	int decided;		/* commit's verdict file is written, the
				 * mark not yet made */
};
int hv_pipeline_read_running(struct hv_session *s, struct hv_running *r);

#endif
