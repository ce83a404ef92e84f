/*
 * running.h: who runs a pipeline on this work tree, for the pipeline
 * itself (pipeline.c); the faces ask hv_pipeline_read_running().
 *
 * .git/halve/running says which stage of which commit since when, by
 * which pid, and whether that commit's verdict file is written but not
 * yet marked ("decided 1"), for `halve status` elsewhere and for the run
 * that takes over. .git/halve/running.lock is locked by the running
 * pipeline from start to finish: its own lock, not the session's (which
 * is taken for writes only and never held across a build or a boot). A
 * killed halve's lock goes with it, so a `running` file without a holder
 * is stale, whatever its pid says (pids are reused).
 */
#ifndef HALVE_RUNNING_H
#define HALVE_RUNNING_H

#include "pipeline.h"

/* Writes .git/halve/running (aside, then renamed); IDLE removes it. */
void hv_running_write(const struct hv_repo *repo, enum hv_stage stage,
		      const char *hex, int decided);

/*
 * Takes running.lock for this process into *fd. 0 when taken: stale is
 * what a dead run's `running` file said (stale->pid 0 when there was
 * none). -1 when another process's pipeline holds it ("run: a pipeline
 * is running (pid N, step SHA)", nothing written) or on an error.
 */
int hv_running_claim(const struct hv_repo *repo, int *fd,
		     struct hv_running *stale, struct hv_error *err);
/* Drops the lock (*fd -1 afterwards; -1 already is fine). */
void hv_running_release(int *fd);

#endif
