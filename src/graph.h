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

#endif
