/*
 * noisy.h: bisection under a test that lies now and then (issue 9), pure
 * like bisect.h: a struct hv_dag and the results seen, nothing else.
 *
 * The hypotheses are "candidate c is the first bad commit" for every
 * counted candidate (skipped ones included: they can be the culprit,
 * they cannot be tested) and "none": nothing in the range is bad, the
 * failure at BAD was a flake (or shows in less than one run in four:
 * too rare to chase). Under c, a commit is bad when it reaches c
 * (on the DAG as loaded: --first-parent and pathspecs as usual). A bad
 * commit passes with probability q, a good one fails with probability
 * f. Neither rate is given: both have priors on grids and are summed
 * out, so the posterior learns them from the results as they come.
 *
 * The next test is the one with the most expected information about the
 * hypothesis per unit of cost (a commit already tested is already built:
 * it costs less than a new one), and the search ends when one hypothesis
 * holds probability P under the prior and under a wary one that leans to
 * a flakier test (the prior alone is right on average over q, not at
 * each q). hv_noisy_budget gives a search its runs when no one says.
 */
#ifndef HALVE_NOISY_H
#define HALVE_NOISY_H

#include <stddef.h>
#include <stdint.h>

#include "dag.h"

/* A commit below the range: good under every hypothesis. */
#define HV_NOISY_BELOW UINT32_MAX

/* What was seen at one commit: results of its runs. */
struct hv_noisy_obs {
	uint32_t node;		/* DAG node, or HV_NOISY_BELOW */
	uint32_t fails, passes;
};

/* Priors of the rates, as weights on grids (at most 32 points each). */
struct hv_noisy_prior {
	const double *q, *q_w;	/* q, a bad commit passes; q_w NULL: uniform */
	size_t nq;
	const double *f, *f_w;	/* f, a good commit fails */
	size_t nf;
	double none;		/* prior probability of "none" */
	double wary;		/* > 0: the stop also weighs q with weights
				 * times q^wary (see noisy.c); 0: not */
};

/* The defaults (see noisy.c for why these). */
void hv_noisy_prior_default(struct hv_noisy_prior *prior);

struct hv_noisy {
	uint32_t n;
	double *post;		/* n entries: P(node is the first bad commit) */
	double none;		/* P(nothing is bad) */
	double q, f;		/* posterior means of the two rates */
	int64_t best;		/* likeliest culprit; -1 when "none" is likeliest */
	double best_p;		/* its probability (or none's): the lower of
				 * the prior's and the wary prior's */
};

/*
 * The posterior given nobs results (several entries may name one node;
 * they add up). Returns -1 only when the DAG has no counted candidate.
 */
int hv_noisy_posterior(const struct hv_dag *dag,
		       const struct hv_noisy_obs *obs, size_t nobs,
		       const struct hv_noisy_prior *prior, struct hv_noisy *out);
void hv_noisy_release(struct hv_noisy *nz);

/*
 * Costs of one more run: of a commit already tested (built) and of a new
 * one (built first). Only their ratio matters.
 */
struct hv_noisy_cost {
	double retest, fresh;
};

/*
 * The next commit to run, by expected information per cost; -1 when no
 * candidate can be tested (all skipped). tested[i] is nonzero for nodes
 * already run (NULL: none). *gain gets the expected bits (may be NULL).
 */
int64_t hv_noisy_pick(const struct hv_dag *dag, const struct hv_noisy *nz,
		      const uint8_t *tested, const struct hv_noisy_cost *cost,
		      double *gain);

/*
 * The run budget a search of n candidates gets when none is given: the
 * runs git's steps take repeated as often as a search by repetition
 * needs to be right with probability p when a bad commit passes three
 * times in four (the flakiest failure still chased).
 */
uint32_t hv_noisy_budget(uint32_t n, double p);

/*
 * P(node reaches the culprit) for every node: the posterior mass of its
 * ancestors, itself included (what a bad result there would confirm).
 * Returns a malloc'd array of n entries.
 */
double *hv_noisy_reach(const struct hv_dag *dag, const struct hv_noisy *nz);

#endif
