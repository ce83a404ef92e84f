/*
 * history.h: makes libgit2 see the history git sees: shallow boundaries,
 * grafts and replace refs applied (libgit2 1.5 applies none of them).
 * See history.c for how.
 */
#ifndef HALVE_HISTORY_H
#define HALVE_HISTORY_H

#include <git2.h>

#include "util.h"
#include "dag.h"

/*
 * Reads the shallow file, the grafts and the replace refs of git (whose
 * common dir, with a trailing '/', is commondir) and, when any of them
 * changes a commit, puts itself in front of git's object database and
 * turns off libgit2's commit-graph. Returns 1 then (git reads no
 * commit-graph either: neither may halve), 0 when git sees the objects as
 * they are, -1 on error.
 */
int hv_history_install(git_repository *git, const char *commondir,
		       struct hv_error *err);

#endif
