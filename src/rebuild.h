/*
 * rebuild.h: what a build directory's dependency files say about the
 * cost of building another commit there: which compiled objects depend
 * on which files of the source tree, so that the files two commits'
 * trees differ in predict how many objects make compiles again.
 *
 * It reads what the build already wrote, never the Makefiles: kbuild's
 * `.*.cmd` files (`source_T :=` and `deps_T :=`, fixdep's output) and the
 * `.d` files of gcc's -MD/-MMD (`T: dep dep \`), so it knows the kernel's
 * header fan-out and a plain C project's alike. Read only, no cache on
 * disk: the files are where make keeps them.
 */
#ifndef HALVE_REBUILD_H
#define HALVE_REBUILD_H

#include <stddef.h>

#include "util.h"

struct hv_rebuild;

/*
 * Reads the dependency files under build_dir (its .git, if any, left
 * out), with the paths they name made relative to src_dir (both may be
 * relative to the current directory; files outside src_dir, such as the
 * system's headers, are dropped). 0 with *out, 1 when build_dir holds no
 * dependency file (*out NULL: nothing was built there yet), -1 with err
 * when build_dir cannot be read.
 */
int hv_rebuild_load(const char *build_dir, const char *src_dir,
		    struct hv_rebuild **out, struct hv_error *err);

/* The compiled objects the files named. */
size_t hv_rebuild_objects(const struct hv_rebuild *rb);

/*
 * How many objects make compiles again after the files at paths
 * (relative to src_dir; changed, added or deleted) change: those that
 * depend on any of them, plus one for each C or assembler source that
 * no object names yet in a directory where objects are compiled and
 * that src_dir does not have (a new file the build will likely pick up;
 * one src_dir has is one the configuration leaves out). Files nothing depends on cost
 * nothing: in a kernel most of the tree is not in the configuration.
 */
size_t hv_rebuild_cost(struct hv_rebuild *rb, const char *const *paths,
		       size_t n);

void hv_rebuild_free(struct hv_rebuild *rb);

#endif
