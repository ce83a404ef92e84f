/*
 * bisect.h: the bisection algorithm, pure: it sees a struct hv_dag and
 * nothing else (no git, no files, no clock).
 *
 * The criterion is git's: the next commit to test maximises
 * min(w, N - w), where w is the number of counted candidates the commit
 * reaches (itself included) and N the number of counted candidates. Ties
 * go the way git breaks them, so that on a DAG with a unique best commit
 * halve and git agree. Unlike git, weights of merges are not all counted:
 * bounds prune every commit that cannot win, and only the few near N/2
 * are counted exactly (see bisect.c).
 */
#ifndef HALVE_BISECT_H
#define HALVE_BISECT_H

#include <stdint.h>

#include "dag.h"

struct hv_pick {
	int64_t best;		/* node to test next; -1 when none is testable */
	uint32_t all;		/* counted candidates (git's "all") */
	uint32_t reaches;	/* weight of best */
	uint32_t left;		/* revisions left to test after this one */
	int steps;		/* rough number of steps after this one */
	int only_skipped;	/* every candidate but bad is skipped */
};

/*
 * Picks the next commit. The bad commit is node dag->n - 1. When the best
 * pick is the bad commit itself, it is the first bad commit (or, with
 * only_skipped set, one of several candidates).
 */
void hv_bisect_pick(const struct hv_dag *dag, struct hv_pick *out);

/* git's estimate_bisect_steps(): rough steps left for all candidates. */
int hv_bisect_estimate_steps(uint32_t all);

/*
 * Exact weights of every node, the slow obvious way (O(n * merges)): the
 * reference the fast path is tested against, and what `view` shows.
 * Returns a malloc'd array of n entries.
 */
uint32_t *hv_bisect_weights_exact(const struct hv_dag *dag);

#endif
