/*
 * test-noisy.c: the flaky-test search (src/noisy.c) on hand-built and
 * random DAGs: reach against brute force, the posterior's shape, the
 * next pick, and whole searches with a lying oracle.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "noisy.h"
#include "tap.h"
#include "testdag.h"

static unsigned long rng_state = 12345;

static double
uniform(void)
{
	rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
	return (rng_state >> 11) * (1.0 / 9007199254740992.0);
}

/* A random DAG with topic branches, nested merges and a second root. */
static struct hv_dag *
random_dag(int n)
{
	struct hv_dag *d = hv_dag_new();
	int i;

	add(d, -1, -1, -1, 0);
	for (i = 1; i < n; i++) {
		double u = uniform();

		if (i == n / 3)
			add(d, -1, -1, -1, 0);	/* an unrelated root */
		else if (u < 0.25 && i > 2)
			add(d, i - 1, (int)(uniform() * (i - 1)), -1, 0);
		else if (u < 0.5)
			add(d, (int)(uniform() * i), -1, -1, 0);
		else
			add(d, i - 1, -1, -1, 0);
	}
	/* one top: bad reaches everything */
	{
		struct hv_dag *top = hv_dag_restrict(d, d->n - 1, NULL, 0);

		hv_dag_free(d);
		return top;
	}
}

static double
brute_reach(const struct hv_dag *d, const double *post, uint32_t x)
{
	uint8_t *seen = calloc(d->n, 1);
	uint32_t *stack = malloc(d->n * sizeof(*stack)), sp = 0, p;
	double total = 0;

	seen[x] = 1;
	stack[sp++] = x;
	while (sp) {
		uint32_t y = stack[--sp];

		total += post[y];
		for (p = 0; p < hv_dag_nparents(d, y); p++) {
			uint32_t z = hv_dag_parents(d, y)[p];

			if (!seen[z]) {
				seen[z] = 1;
				stack[sp++] = z;
			}
		}
	}
	free(seen);
	free(stack);
	return total;
}

static void
test_reach_brute(void)
{
	int round, bad = 0;

	for (round = 0; round < 20; round++) {
		struct hv_dag *d = random_dag(60 + round * 7);
		struct hv_noisy nz = { 0 };
		double *m;
		uint32_t i;

		nz.n = d->n;
		nz.post = malloc(d->n * sizeof(*nz.post));
		for (i = 0; i < d->n; i++)
			nz.post[i] = uniform();
		m = hv_noisy_reach(d, &nz);
		for (i = 0; i < d->n; i++)
			if (fabs(m[i] - brute_reach(d, nz.post, i)) > 1e-9)
				bad++;
		free(m);
		free(nz.post);
		hv_dag_free(d);
	}
	is_int(bad, 0, "reach: the mass of every commit's ancestry, as a "
	       "brute-force walk finds it, on 20 random DAGs with merges");
}

static void
test_prior_shape(void)
{
	struct hv_dag *d = linear(10);
	struct hv_noisy_prior prior;
	struct hv_noisy_obs obs = { 9, 1, 0 };	/* BAD failed once */
	struct hv_noisy nz;
	uint32_t i;
	int flat = 1;

	d->flags[3] |= HV_NODE_TREESAME;
	hv_noisy_prior_default(&prior);
	ok(hv_noisy_posterior(d, &obs, 1, &prior, &nz) == 0,
	   "posterior of a 10-commit line");
	ok(nz.post[3] == 0, "a commit that does not touch the paths is never "
	   "the culprit");
	for (i = 1; i < 10; i++)
		if (i != 3 && i != 9 && fabs(nz.post[i] - nz.post[0]) > 1e-12)
			flat = 0;
	ok(flat, "with BAD's failure alone, every commit below it is as "
	   "likely as the next");
	ok(nz.none > 0 && nz.none < 0.2, "and a flake stays possible (%g)",
	   nz.none);
	hv_noisy_release(&nz);
	hv_dag_free(d);
}

/*
 * Runs the search with an oracle that lies as told, under a prior (NULL:
 * the default); returns the answer, *runs the runs and *p (may be NULL)
 * the probability the search gave it.
 */
static int64_t
search_with(struct hv_dag *d, const struct hv_noisy_prior *given,
	    int64_t culprit, double q, double f, double P, int *runs,
	    double *p)
{
	struct hv_noisy_obs *obs = calloc(d->n, sizeof(*obs));
	uint8_t *tested = calloc(d->n, 1);
	struct hv_noisy_prior prior;
	struct hv_noisy_cost cost = { 1, 1 };
	int64_t answer;
	uint32_t i;

	hv_noisy_prior_default(&prior);
	if (given)
		prior = *given;
	for (i = 0; i < d->n; i++)
		obs[i].node = i;
	obs[d->n - 1].fails = 1;
	for (*runs = 0;; ++*runs) {
		struct hv_noisy nz;
		int64_t x;
		int bad;

		hv_noisy_posterior(d, obs, d->n, &prior, &nz);
		if (nz.best_p >= P || *runs > 1000) {
			answer = nz.best;
			if (p)
				*p = nz.best_p;
			hv_noisy_release(&nz);
			break;
		}
		x = hv_noisy_pick(d, &nz, tested, &cost, NULL);
		hv_noisy_release(&nz);
		bad = culprit >= 0 && x >= culprit;	/* a line */
		if (bad ? uniform() >= q : uniform() < f)
			obs[x].fails++;
		else
			obs[x].passes++;
		tested[x] = 1;
	}
	free(obs);
	free(tested);
	return answer;
}

static int64_t
search(struct hv_dag *d, int64_t culprit, double q, double f, double P,
       int *runs)
{
	return search_with(d, NULL, culprit, q, f, P, runs, NULL);
}

static void
test_search(void)
{
	struct hv_dag *d = linear(1000);
	int right = 0, t, runs, total = 0;

	for (t = 0; t < 20; t++) {
		int64_t culprit = (int64_t)(uniform() * 1000);

		right += search(d, culprit, 0.3, 0, 0.99, &runs) == culprit;
		total += runs;
	}
	ok(right >= 19, "a test that passes on bad commits 30%% of the time: "
	   "the culprit found in %d of 20 searches", right);
	ok(total < 20 * 60, "in %.1f runs each (repeating every test 6 times "
	   "takes about 40)", total / 20.0);
	is_int(search(d, -1, 0, 0.05, 0.99, &runs), -1,
	       "nothing bad, good commits fail 5%% of the time: no culprit");
	is_int(search(d, 999, 0, 0, 0.99, &runs), 999,
	       "a test that never lies, culprit BAD itself: found");
	hv_dag_free(d);
}

static void
test_pick(void)
{
	struct hv_dag *d = linear(100);
	struct hv_noisy_prior prior;
	struct hv_noisy_obs obs[2] = { { 99, 1, 0 }, { 49, 1, 0 } };
	struct hv_noisy_cost cheap = { 0.01, 1 }, same = { 1, 1 };
	struct hv_noisy nz;
	uint8_t *tested = calloc(100, 1);
	int64_t x;
	uint32_t i;

	hv_noisy_prior_default(&prior);
	hv_noisy_posterior(d, obs, 1, &prior, &nz);
	x = hv_noisy_pick(d, &nz, NULL, &same, NULL);
	ok(x >= 35 && x <= 55, "first pick near the middle of the line (%lld)",
	   (long long)x);
	hv_noisy_release(&nz);
	for (i = 0; i < 100; i++)
		if (i != 20)
			d->flags[i] |= HV_NODE_SKIP;
	hv_noisy_posterior(d, obs, 1, &prior, &nz);
	is_int(hv_noisy_pick(d, &nz, NULL, &same, NULL), 20,
	       "skipped commits are never picked");
	hv_noisy_release(&nz);
	for (i = 0; i < 100; i++)
		d->flags[i] = 0;
	tested[49] = tested[99] = 1;
	hv_noisy_posterior(d, obs, 2, &prior, &nz);
	is_int(hv_noisy_pick(d, &nz, tested, &cheap, NULL), 49,
	       "when a second run costs a hundredth of a build, the commit "
	       "already built is run again");
	ok(fabs(nz.post[49] + nz.post[20] - 2 * nz.post[30]) < 1e-12 &&
	   nz.post[60] < nz.post[30] / 2,
	   "one failure at 49 moves the culprit's likely place below it");
	hv_noisy_release(&nz);
	free(tested);
	hv_dag_free(d);
}

/*
 * Over many searches stopped at P = 0.9, how often the answer is right
 * against the mean probability claimed for it; *wrong_gap gets claimed
 * minus right (positive: the stop believes itself more than it should).
 */
static void
calibration(const struct hv_noisy_prior *prior, double q, double f,
	    int *right, double *gap)
{
	struct hv_dag *d = linear(300);
	double claimed = 0, p;
	int t, runs, trials = 300;

	rng_state = 777;
	*right = 0;
	for (t = 0; t < trials; t++) {
		int64_t culprit = (int64_t)(uniform() * 300);

		*right += search_with(d, prior, culprit, q, f, 0.9, &runs, &p) ==
			  culprit;
		claimed += p;
	}
	*gap = claimed / trials - (double)*right / trials;
	hv_dag_free(d);
}

static void
test_calibration(void)
{
	static const double told_q = 0.1, told_f = 0.001;
	struct hv_noisy_prior wrong;
	double gap;
	int right;

	/* q = 0.5 is where the default prior has no slack left: a prior
	 * leaning to small q made these searches over-confident */
	calibration(NULL, 0.5, 0.01, &right, &gap);
	ok(gap < 0.03, "stopped at 0.9 with q = 0.5 and f = 0.01, right "
	   "in %d of 300 searches: at least as often as claimed, within "
	   "noise (claimed minus right %.3f)", right, gap);
	/* the same check, on a prior sure of the wrong rates, fails */
	hv_noisy_prior_default(&wrong);
	wrong.q = &told_q;
	wrong.q_w = NULL;
	wrong.nq = 1;
	wrong.f = &told_f;
	wrong.f_w = NULL;
	wrong.nf = 1;
	calibration(&wrong, 0.5, 0.01, &right, &gap);
	ok(gap > 0.03, "told q = 0.1 when it is 0.5, the search believes "
	   "itself: right in %d of 300 (claimed minus right %.3f)", right,
	   gap);
}

/*
 * The wary stop: a pass believed to come from a good commit is what a
 * search at high q gets wrong. The stop weighs the answer under a prior
 * leaning to flaky too, and takes the lower probability.
 */
static void
test_wary_stop(void)
{
	struct hv_dag *d = linear(100);
	/* BAD and 70 failed, 60 failed twice, 50 passed once */
	struct hv_noisy_obs obs[4] = {
		{ 99, 1, 0 }, { 70, 1, 0 }, { 60, 2, 0 }, { 50, 0, 1 }
	};
	struct hv_noisy_prior prior, bare;
	struct hv_noisy wary, plain;
	double gap;
	int right;

	hv_noisy_prior_default(&prior);
	bare = prior;
	bare.wary = 0;
	hv_noisy_posterior(d, obs, 4, &prior, &wary);
	hv_noisy_posterior(d, obs, 4, &bare, &plain);
	ok(wary.best == plain.best && wary.best_p < plain.best_p,
	   "one pass at 50: the same likeliest culprit, held less surely "
	   "(%.3f, the prior alone %.3f)", wary.best_p, plain.best_p);
	ok(wary.post[51] == plain.post[51], "the posterior itself is the "
	   "prior's");
	hv_noisy_release(&wary);
	hv_noisy_release(&plain);
	hv_dag_free(d);
	calibration(NULL, 0.5, 0, &right, &gap);
	ok(gap < 0, "stopped at 0.9 with q = 0.5 and f = 0: right in %d of "
	   "300 searches, more often than claimed (claimed minus right "
	   "%.3f)", right, gap);
}

/*
 * The budget when none is given: git's steps each repeated as often as
 * a failure seen one run in four needs.
 */
static void
test_budget(void)
{
	is_int(hv_noisy_budget(1000, 0.99), 250, "1000 commits, P = 0.99: "
	       "10 steps of 25 runs");
	is_int(hv_noisy_budget(15000, 0.99), 364, "15000 commits: 14 steps "
	       "of 26");
	ok(hv_noisy_budget(1000, 0.999) > hv_noisy_budget(1000, 0.99),
	   "a higher P, a larger budget");
	ok(hv_noisy_budget(1, 0.99) > 0, "a single candidate still gets runs");
}

/*
 * A failure that shows less than once in five runs at BAD cannot be
 * chased: the search ends with "no culprit" (or the culprit) instead of
 * wandering or naming another commit.
 */
static void
test_rare_failure(void)
{
	struct hv_dag *d = linear(300);
	int t, ended = 0, answered = 0, runs;

	rng_state = 4242;
	for (t = 0; t < 20; t++) {
		int64_t culprit = 100 + t * 8, a;

		a = search_with(d, NULL, culprit, 0.85, 0, 0.99, &runs, NULL);
		ended += runs <= 1000;
		answered += a == -1 || a == culprit;
	}
	is_int(ended, 20, "bad commits that fail 15%% of the time: all 20 "
	       "searches end");
	is_int(answered, 20, "each with 'no culprit' or the culprit");
	hv_dag_free(d);
}

int
main(void)
{
	test_reach_brute();
	test_prior_shape();
	test_search();
	test_pick();
	test_calibration();
	test_rare_failure();
	test_wary_stop();
	test_budget();
	return done_testing();
}
