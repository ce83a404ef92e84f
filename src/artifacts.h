/*
 * artifacts.h: the one owner of .git/halve/steps/<sha>/artifacts/, what
 * a step's build made for the machine to boot (the files the qemu line
 * names after -kernel and -initrd, when this build wrote them), kept so
 * that running the commit again boots the same kernel without building
 * it again, and so that two commits' images can be compared.
 *
 * The directory holds one copy per file (named "kernel", "initrd") and a
 * "paths" file, one "NAME PATH" line per copy plus "config HASH", a
 * fingerprint of the pipeline's build command and qemu line (a build
 * made under another config is not reused), and "commit HEX" and "tree
 * HEX", what it was built from: a commit with the same tree under the
 * same config boots it too (a revert and its reapply). It is written
 * aside and renamed into place, so a halve killed while keeping leaves
 * none.
 */
#ifndef HALVE_ARTIFACTS_H
#define HALVE_ARTIFACTS_H

#include <stdint.h>

#include "conf.h"
#include "dag.h"
#include "util.h"

/* What a build was made from. */
struct hv_artifacts_origin {
	struct hv_oid commit, tree;
};

/*
 * After a build that started at since_ms (wall clock, ms since the
 * epoch): copies into step_dir/artifacts the files the qemu line names
 * that the build wrote (relative paths under workdir), with what they
 * were built from. 0 when it kept any, 1 when there was nothing to keep,
 * -1 with err.
 */
int hv_artifacts_keep(const char *step_dir, const struct hv_config *cfg,
		      const char *workdir, int64_t since_ms,
		      const struct hv_artifacts_origin *from,
		      struct hv_error *err);

/*
 * Puts the copies kept in step_dir back where the qemu line looks (with
 * the times they were built, so that make sees them as old), when they
 * were kept under this config and the qemu line names the same files: 1 restored
 * (names gets "initrd.img, bzImage", malloc'd), 0 nothing to reuse, -1
 * with err.
 */
int hv_artifacts_restore(const char *step_dir, const struct hv_config *cfg,
			 const char *workdir, char **names,
			 struct hv_error *err);

/*
 * A build of tree under this config kept in one of the step directories
 * under steps_dir (.git/halve/steps): 1 with *dir (malloc'd, for
 * hv_artifacts_restore) and *built_for (the commit it was built for)
 * set, 0 when there is none. It reads the "paths" file of every step
 * directory, once for a step that would build: a bisection has tens of
 * steps, and the scan costs 0.2 ms for 30 of them, 7 ms for 1,000 (warm
 * cache, measured by hand), against a build's seconds at least; an index
 * would be one more file to keep true across resets and re-runs.
 */
int hv_artifacts_find_tree(const char *steps_dir, const struct hv_oid *tree,
			   const struct hv_config *cfg, char **dir,
			   struct hv_oid *built_for);

/*
 * Keeps in to_dir the build kept in from_dir (hard links where it can):
 * a step that booted another commit's build of its tree has it as its
 * own, for a run again and for verify's comparison with its parent's.
 * Nothing is kept when that fails.
 */
void hv_artifacts_share(const char *from_dir, const char *to_dir);

/* Moves the copies of one run's directory to another's (a commit run
 * again keeps its build with its newest run). */
void hv_artifacts_move(const char *from_dir, const char *to_dir);

/*
 * Did two steps build the same machine? 1 when both kept copies and each
 * copy of a's is byte for byte b's, 0 when not, -1 when either kept none.
 */
int hv_artifacts_same(const char *a_dir, const char *b_dir);

#endif
