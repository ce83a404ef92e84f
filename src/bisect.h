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
	/* with a cost (hv_bisect_pick_costed), when it chose by it: */
	int costed;		/* best is not the plain pick */
	double cost, plain_cost;	/* best's cost; the plain pick's */
	double extra_steps;	/* expected steps given up for it */
	int64_t plain;		/* the plain pick */
};

/*
 * A cost for the candidates: what testing each next would cost (a
 * rebuild), asked only of the few candidates that split the range
 * nearly as well as the best. cost() returns a value >= 0, or < 0 when
 * it cannot tell (that candidate is then not chosen for its cost).
 */
struct hv_pick_cost {
	double tolerance;	/* expected steps one pick may give up */
	size_t max_asks;	/* cost() calls at most (spread over them) */
	int64_t keep;		/* a node already chosen (checked out): kept
				 * while it is within tolerance; -1 none */
	double (*cost)(void *ctx, uint32_t node);
	void *ctx;
};

/*
 * Picks the next commit. The bad commit is node dag->n - 1. When the best
 * pick is the bad commit itself, it is the first bad commit (or, with
 * only_skipped set, one of several candidates).
 */
void hv_bisect_pick(const struct hv_dag *dag, struct hv_pick *out);

/*
 * The same pick, then, when cost is set and no candidate is skipped:
 * among the candidates whose expected steps left are within
 * cost->tolerance of the best split's, the one with the lowest cost (the
 * better split on a tie). A tolerance of t steps a pick costs at most t
 * steps a step, so about a fraction t more steps over a bisection.
 */
void hv_bisect_pick_costed(const struct hv_dag *dag,
			   const struct hv_pick_cost *cost, struct hv_pick *out);

/*
 * Expected tests left after testing a commit that reaches w of n
 * candidates, each equally likely the first bad one, when every later
 * test halves (a balanced search over k candidates takes
 * floor(log2 k) + 2r/k tests, k = 2^floor(log2 k) + r).
 */
double hv_bisect_expected_steps(uint32_t w, uint32_t n);

/* git's estimate_bisect_steps(): rough steps left for all candidates. */
int hv_bisect_estimate_steps(uint32_t all);

/*
 * Exact weights of every node, the slow obvious way (O(n * merges)): the
 * reference the fast path is tested against, and what `view` shows.
 * Returns a malloc'd array of n entries.
 */
uint32_t *hv_bisect_weights_exact(const struct hv_dag *dag);

#endif
