/*
 * buildpick.h: which build a step runs when the pipeline config has two,
 * [build] command (through distcc or icecream) and [build] local (the
 * same build on this machine alone), and the fallback when the
 * distributed build turns out slower (distcc #325, icecream #631).
 *
 * Builds are compared by time per compiled file: a build's wall time
 * over the compile lines in its log (kbuild's "  CC  path" lines, or the
 * compiler's own command lines for a make that echoes them), since two
 * steps rebuild different amounts. After MIN_DISTRIBUTED builds that
 * compiled something, one step builds locally; the faster way is then
 * kept and said in the step's build.log and to the face.
 *
 * The figures and the choice have one owner, this module, and one file,
 * <git dir>/halve/build-pick (four lines, written atomically after each
 * build, so a killed run loses at most the build it was in; `halve
 * reset` keeps it). A changed [build] command or local starts the
 * figures afresh. Nothing here prints.
 */
#ifndef HALVE_BUILDPICK_H
#define HALVE_BUILDPICK_H

#include <stdint.h>

#include "conf.h"

struct hv_buildpick;

/*
 * The picker for cfg (kept; must outlive it), its figures read from
 * halve_dir/build-pick when they are cfg's. NULL when cfg has no
 * [build] local: there is nothing to pick from.
 */
struct hv_buildpick *hv_buildpick_open(const char *halve_dir,
				       const struct hv_config *cfg);
void hv_buildpick_free(struct hv_buildpick *bp);

/*
 * The command the next build runs. *note is set (malloc'd, a line for
 * the build log) when this build is the local trial, else NULL.
 */
const char *hv_buildpick_command(struct hv_buildpick *bp, char **note);

/*
 * A build of the command last given out succeeded in elapsed_ms, its
 * output in log_path: its figures counted and kept. When that settles
 * the choice, the verdict is appended to log_path and returned
 * (malloc'd, no "halve: " and no newline); else NULL.
 */
char *hv_buildpick_record(struct hv_buildpick *bp, const char *log_path,
			  int64_t elapsed_ms);

/* The compile lines in text (exposed for the unit test). */
uint64_t hv_buildpick_count(const char *text, size_t len);

#endif
