/*
 * graph.h: loads the candidate DAG of a bisection from the repository:
 * commits reachable from bad and from no good, walked the way git's
 * rev-list walks them (newest first, stopping once everything left is
 * uninteresting), so that halve's candidates and their order are git's.
 *
 * Honours --first-parent (only first parents of candidates are followed)
 * and a pathspec (commits that do not touch it are TREESAME: kept, not
 * counted, never picked; a merge that is TREESAME to a parent keeps only
 * that parent, as git's default history simplification does).
 */
#ifndef HALVE_GRAPH_H
#define HALVE_GRAPH_H

#include "dag.h"
#include "repo.h"

struct hv_graph_opts {
	int first_parent;
	char **paths;		/* pathspec, NULL when none */
	size_t npaths;
};

/*
 * On success *out is the candidate DAG (bad is its last node) and the
 * DAG's flags carry HV_NODE_TREESAME. Marks other than that (skip) are
 * the caller's to set.
 */
int hv_graph_load(struct hv_repo *repo, const struct hv_oid *bad,
		  const struct hv_oid *goods, size_t ngoods,
		  const struct hv_graph_opts *opts, struct hv_dag **out,
		  struct hv_error *err);

/*
 * The same walk in pieces, for a screen that shows the top of a range
 * while the rest is read: new, then run until it returns 1, then finish
 * (which gives what hv_graph_load gives); free in any case.
 */
struct hv_graph_walk;

int hv_graph_walk_new(struct hv_repo *repo, const struct hv_oid *bad,
		      const struct hv_oid *goods, size_t ngoods,
		      const struct hv_graph_opts *opts,
		      struct hv_graph_walk **out, struct hv_error *err);
/* Takes up to budget more commits off the queue: 1 when the walk is
 * over, 0 when there is more to do, -1 on error. */
int hv_graph_walk_run(struct hv_graph_walk *wk, size_t budget,
		      struct hv_error *err);
/* Candidates found so far (the rows a preview can show). */
size_t hv_graph_walk_rows(const struct hv_graph_walk *wk);
/*
 * The first max candidates found so far (newest first, *nrows of them)
 * as a DAG whose top rows are those of the finished walk's (when no clock
 * skew reorders them); their parents not reached yet are parentless
 * nodes below them, so that lines go on down. Edges into commits the
 * rest of the walk would rule out may still show.
 */
struct hv_dag *hv_graph_walk_preview(const struct hv_graph_walk *wk,
				     size_t max, size_t *nrows);
/* Once run returned 1: the candidate DAG, as hv_graph_load's. */
int hv_graph_walk_finish(struct hv_graph_walk *wk, struct hv_dag **out,
			 struct hv_error *err);
void hv_graph_walk_free(struct hv_graph_walk *wk);

#endif
