/*
 * test-bisect.c: the bisection algorithm on hand-built DAGs: weights,
 * git's tie order, the pruned fast path against brute force, skips.
 */
#include "config.h"

#include <stdlib.h>

#include "bisect.h"
#include "tap.h"
#include "testdag.h"

static void
test_linear(void)
{
	struct hv_dag *d = linear(10);
	struct hv_pick pk;

	hv_bisect_pick(d, &pk);
	is_int(pk.all, 10, "linear: all candidates counted");
	is_int(pk.best, 4, "linear 10: picks the 5th commit (w = 5)");
	is_int(pk.reaches, 5, "linear 10: it reaches 5");
	is_int(pk.left, 4, "linear 10: 4 left after this, as git says");
	is_int(pk.steps, 2, "linear 10: roughly 2 steps, as git says");
	hv_dag_free(d);

	d = linear(1);
	hv_bisect_pick(d, &pk);
	is_int(pk.best, 0, "a lone bad commit is the answer");
	ok(!pk.only_skipped, "and not an only-skipped result");
	hv_dag_free(d);
}

static void
test_estimate(void)
{
	/* values from git's estimate_bisect_steps() */
	is_int(hv_bisect_estimate_steps(1), 0, "steps(1)");
	is_int(hv_bisect_estimate_steps(2), 0, "steps(2)");
	is_int(hv_bisect_estimate_steps(3), 1, "steps(3)");
	is_int(hv_bisect_estimate_steps(4), 1, "steps(4)");
	is_int(hv_bisect_estimate_steps(7), 2, "steps(7)");
	is_int(hv_bisect_estimate_steps(15000), 13, "steps(15000)");
}

static void
test_diamond(void)
{
	/* 0 <- 1, 0 <- 2, (1,2) <- 3, 3 <- 4 */
	struct hv_dag *d = hv_dag_new();
	struct hv_pick pk;
	uint32_t *w;

	add(d, -1, -1, -1, 0);
	add(d, 0, -1, -1, 0);
	add(d, 0, -1, -1, 0);
	add(d, 1, 2, -1, 0);
	add(d, 3, -1, -1, 0);
	w = hv_bisect_weights_exact(d);
	is_int(w[3], 4, "diamond: the merge reaches 4, not 1+2+2");
	is_int(w[4], 5, "diamond: the tip reaches all 5");
	free(w);
	hv_bisect_pick(d, &pk);
	/* w: 1,2,2,4,5 -> halfway (2w-5 in -1..1) at w=2: nodes 1 and 2 */
	is_int(pk.best, 1, "diamond: first halfway commit in git order");
	hv_dag_free(d);
}

static void
test_octopus(void)
{
	struct hv_dag *d = hv_dag_new();
	struct hv_pick pk;
	uint32_t *w;

	add(d, -1, -1, -1, 0);		/* 0 */
	add(d, 0, -1, -1, 0);		/* 1 */
	add(d, 0, -1, -1, 0);		/* 2 */
	add(d, 0, -1, -1, 0);		/* 3 */
	add(d, 1, 2, 3, 0);		/* 4: octopus */
	add(d, 4, -1, -1, 0);		/* 5 */
	add(d, 5, -1, -1, 0);		/* 6 */
	w = hv_bisect_weights_exact(d);
	is_int(w[4], 5, "octopus reaches its three parents and the base");
	free(w);
	hv_bisect_pick(d, &pk);
	ok(pk.best == 1 || pk.best == 2 || pk.best == 3 || pk.best == 4,
	   "octopus: the pick splits near the middle (got %lld)",
	   (long long)pk.best);
	is_int(pk.best, 1, "octopus: w=2 branches are as good as it gets (2w-7=-3), first one wins");
	hv_dag_free(d);
}

static void
test_treesame(void)
{
	/* pathspec: nodes 1,2,3 do not touch it */
	struct hv_dag *d = hv_dag_new();
	struct hv_pick pk;

	add(d, -1, -1, -1, 0);
	add(d, 0, -1, -1, HV_NODE_TREESAME);
	add(d, 1, -1, -1, HV_NODE_TREESAME);
	add(d, 2, -1, -1, HV_NODE_TREESAME);
	add(d, 3, -1, -1, 0);
	add(d, 4, -1, -1, 0);
	hv_bisect_pick(d, &pk);
	is_int(pk.all, 3, "treesame commits are not counted");
	ok(!(d->flags[pk.best] & HV_NODE_TREESAME), "and never picked");
	hv_dag_free(d);
}

static void
test_only_skipped(void)
{
	struct hv_dag *d = linear(4);
	struct hv_pick pk;

	d->flags[0] |= HV_NODE_SKIP;
	d->flags[1] |= HV_NODE_SKIP;
	d->flags[2] |= HV_NODE_SKIP;
	hv_bisect_pick(d, &pk);
	is_int(pk.best, 3, "all but bad skipped: the pick is bad");
	ok(pk.only_skipped, "and says only skipped commits are left");
	hv_dag_free(d);
}

static void
test_skip_moves_away(void)
{
	struct hv_dag *d = linear(1000);
	struct hv_pick pk;
	int i;

	for (i = 495; i < 505; i++)
		d->flags[i] |= HV_NODE_SKIP;
	hv_bisect_pick(d, &pk);
	ok(!(d->flags[pk.best] & HV_NODE_SKIP), "a skipped commit is never picked");
	ok(pk.best < 480 || pk.best > 520,
	   "the pick leaves the skipped cluster behind (got %lld)",
	   (long long)pk.best);
	/* ten skips in a row say the cluster is wide: a 1:3 split is fine */
	ok(pk.best >= 200 && pk.best <= 800, "but still splits well (got %lld)",
	   (long long)pk.best);
	hv_dag_free(d);
}

/*
 * A skipped strand of 60 beside a testable one of 40, both merged into
 * bad. What can still be told apart is the 40 (and bad): the pick splits
 * them, a little above their middle (the skipped run may reach into them:
 * nothing tested says where it ends). Counting the skipped 60 in the
 * split would pick the testable strand's tip (40 of 101 being the best
 * split on offer there), which tells nothing about the skipped strand
 * either way.
 */
/*
 * Skips at 400 and 600 in a range of 1000, nothing tested between them:
 * untestable commits come in runs, and one run spanning both explains
 * them better than two, so the commits between them are not worth a test
 * (500 would be a test wasted, as likely as not) while a split nearly as
 * good lies outside. Going by the distance to the nearest skip alone,
 * 500, 100 commits from either, looks testable.
 */
static void
test_skip_run_between_skips(void)
{
	struct hv_dag *d = linear(1000);
	struct hv_pick pk;

	d->flags[400] |= HV_NODE_SKIP;
	d->flags[600] |= HV_NODE_SKIP;
	hv_bisect_pick(d, &pk);
	ok(pk.best < 400 || pk.best > 600,
	   "skips at 400 and 600: the pick is outside the run they span (got %lld)",
	   (long long)pk.best);
	ok(pk.best >= 200 && pk.best <= 800, "and still splits well (got %lld)",
	   (long long)pk.best);
	hv_dag_free(d);
}

static void
test_skip_splits_the_testable_part(void)
{
	struct hv_dag *d = hv_dag_new();
	struct hv_pick pk;
	int i, a = -1, b = -1;

	for (i = 0; i < 60; i++)
		a = (int)add(d, a, -1, -1, HV_NODE_SKIP);
	for (i = 0; i < 40; i++)
		b = (int)add(d, b, -1, -1, 0);
	add(d, a, b, -1, 0);
	hv_bisect_pick(d, &pk);
	ok(pk.best >= 76 && pk.best <= 90,
	   "60 skipped beside 40 testable: the pick splits the 40 (got %lld)",
	   (long long)pk.best);
	is_int(pk.all, 101, "skipped commits are still counted in all, as git counts them");
	is_int(pk.reaches, (long long)pk.best - 59,
	       "the weight reported is the pick's ancestors, as git counts it");
	hv_dag_free(d);
}

/*
 * Two parallel strands merged into bad, 50 and 48 commits, the tip of the
 * first skipped: its parent halves the rest exactly (49 of 98) and the
 * other strand's tip nearly (48 of 98). The pick is the one away from the
 * skip, where the chance that it can be tested is not in doubt.
 */
static void
test_skip_equal_split_elsewhere(void)
{
	struct hv_dag *d = hv_dag_new();
	struct hv_pick pk;
	int i, a = -1, b = -1;

	for (i = 0; i < 50; i++)
		a = (int)add(d, a, -1, -1, i == 49 ? HV_NODE_SKIP : 0);
	for (i = 0; i < 48; i++)
		b = (int)add(d, b, -1, -1, 0);
	add(d, a, b, -1, 0);
	hv_bisect_pick(d, &pk);
	is_int(pk.best, b, "a split as good away from the skip beats the one next to it");
	hv_dag_free(d);
}

/* Brute force: the git criterion over exact weights, with git's ties. */
static int64_t
brute_pick(const struct hv_dag *d)
{
	uint32_t *w = hv_bisect_weights_exact(d), i, N = 0, bs = 0;
	int64_t best = -1, hm = -1, hs = -1;

	for (i = 0; i < d->n; i++)
		N += !(d->flags[i] & HV_NODE_TREESAME);
	for (i = 0; i < d->n; i++) {
		uint32_t s = w[i] < N - w[i] ? w[i] : N - w[i];
		long long diff = 2 * (long long)w[i] - N;
		int half = (diff >= -1 && diff <= 1) || llabs(diff) < N / 1024;

		if (d->flags[i] & HV_NODE_TREESAME)
			continue;
		if (best < 0 || s > bs) {
			best = i;
			bs = s;
		}
		if (half && hv_dag_nparents(d, i) > 1 && hm < 0)
			hm = i;
		if (half && hv_dag_nparents(d, i) == 1 && hs < 0)
			hs = i;
	}
	free(w);
	return hm >= 0 ? hm : hs >= 0 ? hs : best;
}

/*
 * Random DAGs: a first-parent spine with topic branches and criss-cross
 * merges; the fast path must agree with brute force on every one.
 */
static void
test_random_against_brute_force(void)
{
	int seed, mismatches = 0, total = 0;

	for (seed = 1; seed <= 300; seed++) {
		struct hv_dag *d = hv_dag_new();
		struct hv_pick pk;
		int n = 5 + seed % 200, i;

		srand(seed);
		add(d, -1, -1, -1, 0);
		for (i = 1; i < n; i++) {
			int r = rand() % 10;
			int p1 = i - 1 - (r < 3 ? rand() % (i < 8 ? i : 8) : 0);
			int p2 = -1, p3 = -1;

			if (p1 < 0)
				p1 = 0;
			if (r >= 6 && i > 2)
				p2 = rand() % i;
			if (r == 9 && i > 3)
				p3 = rand() % i;
			if (p2 == p1)
				p2 = -1;
			if (p3 == p1 || p3 == p2)
				p3 = -1;
			add(d, p1, p2, p3,
			    seed % 3 == 0 && rand() % 5 == 0 ? HV_NODE_TREESAME : 0);
		}
		/* make the last node reach everything, as bad does */
		{
			uint32_t par[64], np = 0, j;
			uint8_t *has_child = calloc(d->n, 1);

			for (j = 0; j < d->n; j++) {
				uint32_t k;

				for (k = 0; k < hv_dag_nparents(d, j); k++)
					has_child[hv_dag_parents(d, j)[k]] = 1;
			}
			for (j = 0; j < d->n && np < 64; j++)
				if (!has_child[j])
					par[np++] = j;
			free(has_child);
			hv_dag_add(d, NULL, d->n, par, np, 0);
		}
		hv_bisect_pick(d, &pk);
		total++;
		if (pk.best != brute_pick(d)) {
			mismatches++;
			printf("# seed %d: fast %lld, brute %lld\n", seed,
			       (long long)pk.best, (long long)brute_pick(d));
		}
		hv_dag_free(d);
	}
	is_int(mismatches, 0, "fast pick equals brute force on %d random DAGs", total);
}

/* A cost that is high before node 'wall' and nothing from it on, as a
 * header changed at wall makes a build from the bad end. */
struct wall {
	uint32_t wall;
	int asked;
};

static double
wall_cost(void *ctx, uint32_t node)
{
	struct wall *w = ctx;

	w->asked++;
	return node < w->wall ? 100.0 : 0.0;
}

static void
test_costed(void)
{
	struct hv_dag *d = linear(1000);
	struct wall w = { 520, 0 };
	struct hv_pick_cost pc = { 0.05, 0, -1, wall_cost, &w };
	struct hv_pick plain, pk;

	hv_bisect_pick(d, &plain);
	hv_bisect_pick_costed(d, &pc, &pk);
	ok(pk.best >= 520 && pk.costed, "costed: the cheap side of the wall");
	ok(pk.extra_steps > 0 && pk.extra_steps <= 0.05,
	   "costed: within the tolerance (%.4f steps)", pk.extra_steps);
	is_int(pk.best, 520, "costed: the best split of the cheap ones");
	is_int(pk.plain, plain.best, "costed: the plain pick is reported");
	ok(pk.cost == 0 && pk.plain_cost == 100, "costed: both costs reported");
	ok(w.asked <= 49, "costed: at most 48 asked besides the best (%d)", w.asked);

	w.wall = 900;	/* the cheap ones are too far off */
	hv_bisect_pick_costed(d, &pc, &pk);
	is_int(pk.best, plain.best, "costed: nothing cheap within tolerance, the midpoint");
	ok(!pk.costed, "costed: and it says so");

	w.wall = 520;
	pc.keep = 470;	/* checked out already, within tolerance */
	hv_bisect_pick_costed(d, &pc, &pk);
	is_int(pk.best, 470, "costed: a commit already chosen stays chosen");
	pc.keep = 100;	/* far off: not kept */
	hv_bisect_pick_costed(d, &pc, &pk);
	is_int(pk.best, 520, "costed: one outside the tolerance does not");

	pc.tolerance = 0;
	pc.keep = -1;
	hv_bisect_pick_costed(d, &pc, &pk);
	is_int(pk.best, plain.best, "costed: tolerance 0 is the plain pick");
	hv_dag_free(d);

	ok(hv_bisect_expected_steps(512, 1024) == 9.0 &&
	   hv_bisect_expected_steps(1, 3) == 2.0 / 3,
	   "expected steps: a balanced search's");
}

int
main(void)
{
	test_linear();
	test_estimate();
	test_diamond();
	test_octopus();
	test_treesame();
	test_only_skipped();
	test_skip_moves_away();
	test_skip_splits_the_testable_part();
	test_skip_run_between_skips();
	test_skip_equal_split_elsewhere();
	test_random_against_brute_force();
	test_costed();
	return done_testing();
}
