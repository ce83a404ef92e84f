/*
 * flaky.c: bisection under a flaky test, simulated in process (issue 9,
 * part G; run by bench/flaky.sh, figures in doc/PERFORMANCE.md).
 *
 * A history (linear, or a mainline with topic branches merged into it),
 * a culprit drawn uniformly, and an oracle: a commit that reaches the
 * culprit is bad and passes with probability q, any other fails with
 * probability f. The rates are never given to halve. Each trial runs:
 *
 *   - git bisect run: git's choice (hv_bisect_pick, pinned to git's by
 *     tests/cli/differential.sh), every result believed;
 *   - repeat-k: git's choice, every test run up to k times and bad when
 *     j of them fail (j = 1: bad at the first failure, a seed-style
 *     script's loop; a larger j outvotes good commits that fail), each
 *     verdict as soon as it is sure; figured exactly from the noiseless
 *     path (any wrong verdict gives a wrong answer), for the k and j
 *     with the fewest runs that reach the target;
 *   - halve: the noisy search of src/noisy.c until one hypothesis holds P
 *     (or MAX_RUNS, counted as unfinished): how often it is right and
 *     how often it says "no culprit", the mean probability it claimed
 *     when it stopped (right should be at
 *     least that: else the stop is over-confident), the runs and the
 *     commits tested, and how many searches ran past the budget
 *     `halve run` gives by default (hv_noisy_budget: it would have
 *     stopped them with a best guess).
 *
 * and the information bound ((1 - d) log2 N - h(d)) / C(q) with d = 1 - P
 * and C(q) the capacity of the Z channel, log2(1 + (1 - q) q^(q/(1-q))).
 * It prints one row of bench/flaky.sh's markdown table.
 *
 * usage: flaky SHAPE N Q F TRIALS [P [SEED]]   (SHAPE: linear | merges |
 * flake, a linear history where nothing is bad and BAD failed once).
 * FLAKY_RATES_GIVEN=1 in the environment gives halve q and f (a prior
 * with one point each): what learning them costs.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/bisect.h"
#include "../src/noisy.h"
#include "../src/util.h"

#define MAX_RUNS 2000

static uint64_t rng_state;

static uint64_t
rng(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static double
uniform(void)
{
	return (rng() >> 11) * (1.0 / 9007199254740992.0);
}

static uint32_t
below(uint32_t n)
{
	return (uint32_t)(uniform() * n);
}

static uint32_t
add(struct hv_dag *dag, const uint32_t *par, uint32_t npar)
{
	struct hv_oid oid;
	uint32_t i = dag->n;

	memset(&oid, 0, sizeof(oid));
	memcpy(oid.id, &i, sizeof(i));
	return hv_dag_add(dag, &oid, i, par, npar, 0);
}

/* A mainline where a fifth of the commits start a topic branch of 1 to
 * 20 commits, forked up to 200 mainline commits back and merged. */
static struct hv_dag *
make_history(const char *shape, uint32_t n)
{
	struct hv_dag *dag = hv_dag_new();
	uint32_t *main_line = xmalloc(n * sizeof(*main_line)), nmain = 0;
	uint32_t tip = add(dag, NULL, 0);

	main_line[nmain++] = tip;
	while (dag->n < n) {
		uint32_t len = 1 + below(20), back, t, k, par[2];

		if (strcmp(shape, "merges") || uniform() >= 0.2 ||
		    dag->n + len + 1 > n) {
			tip = add(dag, &tip, 1);
			main_line[nmain++] = tip;
			continue;
		}
		back = below(nmain < 200 ? nmain : 200);
		t = main_line[nmain - 1 - back];
		for (k = 0; k < len; k++)
			t = add(dag, &t, 1);
		par[0] = tip;
		par[1] = t;
		tip = add(dag, par, 2);
		main_line[nmain++] = tip;
	}
	free(main_line);
	return dag;
}

/* bad[i]: node i reaches the culprit (none with culprit < 0). */
static uint8_t *
truth(const struct hv_dag *dag, int64_t culprit)
{
	uint8_t *bad = xcalloc(dag->n, 1);
	uint32_t i, p;

	for (i = 0; i < dag->n; i++) {
		bad[i] = (int64_t)i == culprit;
		for (p = 0; p < hv_dag_nparents(dag, i); p++)
			bad[i] |= bad[hv_dag_parents(dag, i)[p]];
	}
	return bad;
}

static int
fails(const uint8_t *bad, uint32_t x, double q, double f)
{
	return bad[x] ? uniform() >= q : uniform() < f;
}

static uint32_t
node_of(const struct hv_dag *dag, uint32_t i)
{
	uint32_t x;

	memcpy(&x, dag->oid[i].id, sizeof(x));
	return x;
}

/*
 * git's bisection with a test that says bad with probability pbad(x):
 * the answer, and the tests at bad and good commits on the way (nbad,
 * ngood) when the test is the truth.
 */
static uint32_t
git_bisect(const struct hv_dag *dag, const uint8_t *bad, double q, double f,
	   int noisy, uint32_t *nbad, uint32_t *ngood)
{
	uint32_t top = dag->n - 1, *goods = xmalloc(dag->n * sizeof(*goods));
	size_t ngoods = 0;

	*nbad = *ngood = 0;
	for (;;) {
		struct hv_dag *r = hv_dag_restrict(dag, top, goods, ngoods);
		struct hv_pick pick;
		uint32_t x;

		hv_bisect_pick(r, &pick);
		x = node_of(r, (uint32_t)pick.best);
		hv_dag_free(r);
		if (x == top)
			break;
		if (noisy ? fails(bad, x, q, f) : bad[x]) {
			top = x;
			++*nbad;
		} else {
			goods[ngoods++] = x;
			++*ngood;
		}
	}
	free(goods);
	return top;
}

struct halve_result {
	int64_t answer;		/* -1: no culprit */
	double p;		/* its probability when the search stopped */
	uint32_t runs, commits;
};

/* The default prior, or with FLAKY_RATES_GIVEN the true rates alone. */
static void
prior_for(struct hv_noisy_prior *prior, const double *q, const double *f)
{
	hv_noisy_prior_default(prior);
	if (!getenv("FLAKY_RATES_GIVEN"))
		return;
	prior->q = q;
	prior->q_w = NULL;
	prior->nq = 1;
	prior->f = f;
	prior->f_w = NULL;
	prior->nf = 1;
	prior->wary = 0;	/* the rates are known: nothing to be wary of */
}

static void
halve_bisect(const struct hv_dag *dag, const uint8_t *bad, double q, double f,
	     double P, struct halve_result *res)
{
	struct hv_noisy_obs *obs = xcalloc(dag->n + 1, sizeof(*obs));
	uint32_t *slot = xmalloc(dag->n * sizeof(*slot)), i;
	uint8_t *tested = xcalloc(dag->n, 1);
	struct hv_noisy_prior prior;
	struct hv_noisy_cost cost = { 1, 1 };
	/* a rate of 0 given exactly rules out what contradicts it */
	double given_f = f > 0 ? f : 1e-9;
	size_t nobs = 0;

	prior_for(&prior, &q, &given_f);
	for (i = 0; i < dag->n; i++)
		slot[i] = UINT32_MAX;
	/* what the user knew at the start: BAD failed, the good passed */
	obs[nobs].node = HV_NOISY_BELOW;
	obs[nobs++].passes = 1;
	slot[dag->n - 1] = nobs;
	obs[nobs].node = dag->n - 1;
	obs[nobs++].fails = 1;
	tested[dag->n - 1] = 1;
	res->runs = 0;
	for (;;) {
		struct hv_noisy nz;
		int64_t x;

		hv_noisy_posterior(dag, obs, nobs, &prior, &nz);
		if (nz.best_p >= P || res->runs >= MAX_RUNS) {
			res->answer = res->runs >= MAX_RUNS ? -2 : nz.best;
			res->p = nz.best_p;
			hv_noisy_release(&nz);
			break;
		}
		x = hv_noisy_pick(dag, &nz, tested, &cost, NULL);
		hv_noisy_release(&nz);
		if (slot[x] == UINT32_MAX) {
			slot[x] = nobs;
			obs[nobs++].node = (uint32_t)x;
		}
		if (fails(bad, (uint32_t)x, q, f))
			obs[slot[x]].fails++;
		else
			obs[slot[x]].passes++;
		tested[x] = 1;
		res->runs++;
	}
	res->commits = 0;
	for (i = 0; i + 1 < dag->n; i++)
		res->commits += tested[i];
	free(obs);
	free(slot);
	free(tested);
}

static double
h2(double p)
{
	return p <= 0 || p >= 1 ? 0 : -(p * log2(p) + (1 - p) * log2(1 - p));
}

/*
 * One verdict of repeat-k with vote j, the test failing with probability
 * pf: up to k runs, bad at the j-th failure, good at the (k - j + 1)-th
 * pass. *runs gets the expected runs; returns P(verdict is bad).
 */
static double
vote(uint32_t k, uint32_t j, double pf, double *runs)
{
	double st[41][41] = { { 0 } }, bad = 0;
	uint32_t a, b;

	*runs = 0;
	st[0][0] = 1;
	for (a = 0; a <= j; a++)
		for (b = 0; b <= k - j + 1; b++) {
			if (a == j) {
				bad += st[a][b];
				continue;
			}
			if (b == k - j + 1)
				continue;
			*runs += st[a][b];
			st[a + 1][b] += st[a][b] * pf;
			st[a][b + 1] += st[a][b] * (1 - pf);
		}
	return bad;
}

struct repeat_k {
	uint32_t k, j;
	double right, runs;
};

/* The repeat-k with the fewest runs that reaches P over the trials'
 * noiseless paths (nb tests of bad commits, ng of good ones each). */
static int
best_repeat(const uint32_t *nb, const uint32_t *ng, uint32_t trials,
	    double q, double f, double P, struct repeat_k *best)
{
	uint32_t k, j, t;

	best->runs = INFINITY;
	for (k = 1; k <= 40; k++)
		for (j = 1; j <= k; j++) {
			double rb, rg, ob = vote(k, j, 1 - q, &rb);
			double og = 1 - vote(k, j, f, &rg), right = 0, r = 0;

			for (t = 0; t < trials; t++) {
				right += pow(ob, nb[t]) * pow(og, ng[t]);
				r += nb[t] * rb + ng[t] * rg;
			}
			right /= trials;
			r /= trials;
			if (right >= P && r < best->runs) {
				best->k = k;
				best->j = j;
				best->right = right;
				best->runs = r;
			}
		}
	return best->runs < INFINITY;
}

int
main(int argc, char **argv)
{
	const char *shape;
	uint32_t n, trials, t, k, *nb, *ng, git_right = 0, halve_right = 0;
	uint32_t unfinished = 0, max_runs = 0, no_culprit = 0, over = 0;
	uint32_t budget;
	double q, f, P = 0.99, runs = 0, commits = 0, claimed = 0, bound, cap;
	struct repeat_k rep = { 0, 0, 0, 0 };
	struct hv_dag *dag;
	int flake, have_rep = 0;

	if (argc < 6) {
		fprintf(stderr, "usage: flaky linear|merges|flake N Q F TRIALS "
			"[P [SEED]]\n");
		return 2;
	}
	shape = argv[1];
	n = (uint32_t)atol(argv[2]);
	q = atof(argv[3]);
	f = atof(argv[4]);
	trials = (uint32_t)atol(argv[5]);
	if (argc > 6)
		P = atof(argv[6]);
	rng_state = argc > 7 ? strtoull(argv[7], NULL, 10) : 1;
	flake = !strcmp(shape, "flake");
	dag = make_history(flake ? "linear" : shape, n);
	budget = hv_noisy_budget(n, P);
	nb = xcalloc(trials, sizeof(*nb));
	ng = xcalloc(trials, sizeof(*ng));
	for (t = 0; t < trials; t++) {
		int64_t culprit = flake ? -1 : (int64_t)below(n);
		uint8_t *bad = truth(dag, culprit);
		struct halve_result res;

		git_right += (int64_t)git_bisect(dag, bad, q, f, 1, &k, &k) ==
			     culprit;
		if (!flake)
			git_bisect(dag, bad, q, f, 0, &nb[t], &ng[t]);
		halve_bisect(dag, bad, q, f, P, &res);
		halve_right += res.answer == culprit;
		unfinished += res.answer == -2;
		over += res.runs > budget;
		no_culprit += res.answer == -1;
		runs += res.runs;
		commits += res.commits;
		claimed += res.p;
		if (res.runs > max_runs)
			max_runs = res.runs;
		free(bad);
	}
	cap = log2(1 + (1 - q) * pow(q, q / (1 - q)));
	bound = (P * log2(n) - h2(1 - P)) / cap;
	runs /= trials;
	if (!flake)
		have_rep = best_repeat(nb, ng, trials, q, f, P, &rep);
	/* | history | N | q | f | trials | git right | repeat k/j | right |
	 * runs | halve right | no culprit | claimed | runs | max | commits |
	 * unfinished | over budget |
	 * bound | halve/bound | halve/repeat | */
	printf("| %s | %u | %.2f | %.2f | %u | %.1f%% | ", shape, n, q, f,
	       trials, 100.0 * git_right / trials);
	if (have_rep)
		printf("%u/%u | %.1f%% | %.1f | ", rep.k, rep.j,
		       100 * rep.right, rep.runs);
	else
		printf("- | - | - | ");
	printf("%.1f%% | %.1f%% | %.2f%% | %.1f | %u | %.1f | %u | %u | ",
	       100.0 * halve_right / trials, 100.0 * no_culprit / trials,
	       100 * claimed / trials, runs,
	       max_runs, commits / trials, unfinished, over);
	if (flake)
		printf("- | - | - |\n");
	else if (have_rep)
		printf("%.1f | %.2f | %.2f |\n", bound, runs / bound,
		       runs / rep.runs);
	else
		printf("%.1f | %.2f | - |\n", bound, runs / bound);
	free(nb);
	free(ng);
	hv_dag_free(dag);
	return 0;
}
