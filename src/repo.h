/*
 * repo.h: the repository, through libgit2: opening, resolving revisions,
 * commit summaries, refs, merge bases, and the detached checkout a
 * bisection step needs. The only module that includes git2.h besides the
 * DAG loader; everything above it speaks struct hv_oid.
 */
#ifndef HALVE_REPO_H
#define HALVE_REPO_H

#include <git2.h>
#include <stdint.h>

#include "dag.h"
#include "util.h"

struct hv_cgraph;
struct hv_commit_store;

struct hv_repo {
	git_repository *git;
	git_odb *odb;
	char *gitdir;		/* the git dir, with a trailing '/' */
	char *commondir;	/* shared by linked work trees; trailing '/' */
	char *workdir;		/* with a trailing '/'; NULL when bare */
	struct hv_cgraph *cg;	/* a commit-graph, opened on first use */
	int cg_tried;
	int cg_is_cache;	/* cg is halve's own, not git's */
	int rewritten;		/* shallow, grafts or replace refs apply */
	int git_cg_off;		/* core.commitGraph=false */
	struct hv_commit_store *store;	/* commits read from objects */
	size_t cache_written;	/* commits in the cache this process wrote */
};

/*
 * The commit-graph to read parents and dates from, or NULL: git's
 * (objects/info/commit-graph or its chain) or halve's own cache
 * (hv_repo_cache_path()), whichever holds more commits. NULL wherever git
 * would not read one: a shallow clone, grafts, replace refs (the commits
 * would not be the ones git sees); core.commitGraph=false leaves out
 * git's file only. A file that cannot be read only costs speed.
 */
struct hv_cgraph *hv_repo_cgraph(struct hv_repo *repo);

/*
 * halve's commit-graph cache, <common dir>/halve/commit-graph (the caller
 * frees the path): written by the range walk when it had to read many
 * commits from objects, so that the next open does not. A cache, not
 * bisection state: `halve reset` keeps it, deleting it only costs time.
 */
char *hv_repo_cache_path(const struct hv_repo *repo);

/* A commit as git's history walk sees it: parents (grafts, shallow and
 * replace refs applied), committer date, tree. */
struct hv_commit {
	struct hv_oid tree;
	struct hv_oid *parents;
	size_t nparents, aparents;
	int64_t time;
};

/*
 * Reads oid into c (its parents array reused; free with free(c->parents)).
 * From objects, once per repository opened: later reads are from memory
 * (commits.c).
 */
int hv_repo_read_commit(struct hv_repo *repo, const struct hv_oid *oid,
			struct hv_commit *c, struct hv_error *err);
void hv_commit_store_free(struct hv_commit_store *st);
/* hv_repo_is_ancestor() over objects alone (no commit-graph). */
int hv_repo_objects_is_ancestor(struct hv_repo *repo, const struct hv_oid *a,
				const struct hv_oid *b);

/* Opens the repository containing path (discovering upwards). */
int hv_repo_open(const char *path, struct hv_repo **out, struct hv_error *err);
void hv_repo_free(struct hv_repo *repo);

/* A path inside the git dir; the caller frees it. */
char *hv_repo_path(const struct hv_repo *repo, const char *name);

/* Resolves a revision to a commit ("unknown revision" otherwise). */
/* The commits of "A..B": B's ancestors that A does not reach (*out the
 * caller's, in the order git's revwalk gives them). */
int hv_repo_range_commits(struct hv_repo *repo, const char *range,
			  struct hv_oid **out, size_t *n, struct hv_error *err);
int hv_repo_resolve(struct hv_repo *repo, const char *rev, struct hv_oid *out,
		    struct hv_error *err);

/*
 * A commit's subject as git's %s gives it (the first paragraph, its lines
 * joined by spaces), the bytes as they are (encoding header ignored, as
 * git writes them into BISECT_LOG), control characters kept. The caller
 * frees it.
 */
char *hv_repo_subject(struct hv_repo *repo, const struct hv_oid *oid);

/*
 * The subject for a screen: re-encoded to UTF-8 when the commit names
 * another encoding (as git log shows it), cut to at most max bytes on a
 * character boundary; control characters still kept (the drawing makes
 * them visible). The caller frees it.
 */
char *hv_repo_subject_display(struct hv_repo *repo, const struct hv_oid *oid,
			      size_t max);

/* Writes git-show-like lines: commit, Author, Date, message, into sb. */
int hv_repo_describe(struct hv_repo *repo, const struct hv_oid *oid,
		     struct strbuf *sb);

/* Parents of a commit, in order. *parents is malloc'd. */
int hv_repo_parents(struct hv_repo *repo, const struct hv_oid *oid,
		    struct hv_oid **parents, size_t *n, struct hv_error *err);

/* 1 when a is an ancestor of b (or equal), 0 when not, -1 on error. */
int hv_repo_is_ancestor(struct hv_repo *repo, const struct hv_oid *a,
			const struct hv_oid *b);

/* All merge bases of one and each of others (git merge-base --all). */
int hv_repo_merge_bases(struct hv_repo *repo, const struct hv_oid *one,
			const struct hv_oid *others, size_t n,
			struct hv_oid **out, size_t *nout, struct hv_error *err);

/* Refs. Missing refs read as 0 (not found), errors as -1. */
int hv_repo_ref_read(struct hv_repo *repo, const char *name, struct hv_oid *out);
int hv_repo_ref_write(struct hv_repo *repo, const char *name,
		      const struct hv_oid *oid, struct hv_error *err);
int hv_repo_ref_delete(struct hv_repo *repo, const char *name);
/*
 * Calls fn for every ref whose name starts with prefix (loose and packed).
 * refs/bisect/ is this worktree's own, as git keeps it.
 */
int hv_repo_refs_foreach(struct hv_repo *repo, const char *prefix,
			 int (*fn)(const char *name, const struct hv_oid *oid,
				   void *data), void *data);

/*
 * HEAD: *branch gets the short branch name when HEAD is a branch (or NULL
 * when detached or unborn), *oid the commit. Returns -1 when unborn.
 */
int hv_repo_head(struct hv_repo *repo, char **branch, struct hv_oid *oid,
		 struct hv_error *err);

/*
 * Refuses (error naming the files) when tracked files differ from HEAD
 * in the index or the work tree. Untracked and ignored files are fine.
 */
int hv_repo_check_clean(struct hv_repo *repo, struct hv_error *err);

/*
 * Checks out a commit with HEAD detached, like `git checkout --detach`.
 * Never overwrites local changes or untracked files: when it would, the
 * error names them and nothing changes. Populated submodules are left as
 * git leaves them: never deleted (one the commit drops stays, untracked),
 * moved to the recorded commit only under submodule.recurse; one whose
 * path becomes a file or a directory is refused, naming it.
 */
/*
 * A commit on no branch: onto with commit reverted (a merge against its
 * first parent), as `git revert --no-edit` would make it; "revert:
 * conflicts in PATH" when it does not apply cleanly.
 */
int hv_repo_revert_onto(struct hv_repo *repo, const struct hv_oid *commit,
			const struct hv_oid *onto, struct hv_oid *out,
			struct hv_error *err);
/* The paths commit changes against its first parent (none for a root:
 * every path); *paths is NULL-terminated, free with hv_argv_free(). */
int hv_repo_changed_paths(struct hv_repo *repo, const struct hv_oid *commit,
			  char ***paths, size_t *n, struct hv_error *err);
/* The paths whose entries differ between commits a and b (what a
 * checkout from one to the other rewrites); as above. */
int hv_repo_diff_paths(struct hv_repo *repo, const struct hv_oid *a,
		       const struct hv_oid *b, char ***paths, size_t *n,
		       struct hv_error *err);
int hv_repo_checkout_detached(struct hv_repo *repo, const struct hv_oid *oid,
			      struct hv_error *err);
/* Checks out a branch (short name) and points HEAD at it. */
int hv_repo_checkout_branch(struct hv_repo *repo, const char *branch,
			    struct hv_error *err);

/* The last libgit2 error as text. */
const char *hv_repo_git_error(void);

#endif
