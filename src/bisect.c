/*
 * bisect.c: choosing the next commit to test (see bisect.h).
 *
 * The weight w(c) of a candidate is the number of counted candidates it
 * reaches, itself included. git computes it for every merge by walking
 * all of the merge's ancestors, O(merges x N). Here:
 *
 *   - single-parent commits ("strands of pearls") get w(parent) + 1, as
 *     in git;
 *   - along one first-parent chain, ancestor sets are nested, so marking
 *     ancestors incrementally from the bottom of the chain gives exact
 *     weights for every commit on it in one walk of its ancestry;
 *   - everything else is bounded: lo from the parents (w grows along every
 *     ancestry path), hi from the children (hi(bad) = N). A commit whose
 *     interval cannot reach the best score found so far can never be
 *     picked and is never counted.
 *
 * The bad commit's first-parent chain is walked first; in a history
 * shaped like the kernel's it lands within one topic branch of N/2, and
 * the remaining window is a handful of topics. Window commits are then
 * counted exactly along their own chains; a second round cannot find new
 * ones (the threshold only rises and bounds only tighten).
 *
 * Ties are broken as git breaks them, given nodes in git's list order
 * (oldest first): a "halfway" merge first, then a halfway single-parent
 * commit, then the first commit with the best score. With skipped
 * candidates git picks at random away from the skipped best; halve
 * instead weighs each commit's split by the chance that it can be tested,
 * from a model of untestable runs along the list (date order) fitted to
 * the skips seen, and splits only what can still be told apart: skipped
 * commits weigh nothing in the choice.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bisect.h"
#include "util.h"

#define W_UNKNOWN UINT32_MAX

struct weigher {
	const struct hv_dag *dag;
	uint32_t n, N;
	uint32_t *w;		/* exact weight or W_UNKNOWN */
	uint32_t *lo, *hi;	/* bounds for unknown weights */
	uint32_t *mark, gen;	/* visited stamps for ancestor walks */
	uint32_t *stack;
	uint32_t *chain;
	uint8_t uncounted;	/* node flags that keep a node out of N */
};

static inline uint32_t
counted(const struct hv_dag *dag, uint32_t i)
{
	return !(dag->flags[i] & HV_NODE_TREESAME);
}

/* Whether node i counts in the weights being computed. */
static inline uint32_t
weighs(const struct weigher *g, uint32_t i)
{
	return !(g->dag->flags[i] & g->uncounted);
}

int
hv_bisect_estimate_steps(uint32_t all)
{
	uint32_t n = 0, e, x;

	if (all < 3)
		return 0;
	while ((2u << n) <= all)
		n++;
	e = 1u << n;
	x = all - e;
	return e < 3 * x ? (int)n : (int)n - 1;
}

/* Single-parent and parentless nodes whose parent is known. */
static void
propagate_strands(struct weigher *g)
{
	const struct hv_dag *dag = g->dag;
	uint32_t i;

	for (i = 0; i < g->n; i++) {
		uint32_t np;

		if (g->w[i] != W_UNKNOWN)
			continue;
		np = hv_dag_nparents(dag, i);
		if (np == 0)
			g->w[i] = weighs(g, i);
		else if (np == 1 && g->w[hv_dag_parents(dag, i)[0]] != W_UNKNOWN)
			g->w[i] = g->w[hv_dag_parents(dag, i)[0]] + weighs(g, i);
	}
}

/*
 * Exact weights along the first-parent chain that ends at top: mark the
 * ancestry of the chain's root, then of each commit above it, each walk
 * stopping at what is already marked. One walk of top's ancestry in all.
 */
/*
 * Marks with the current stamp the unmarked ancestors of c (c itself
 * included, which must be unmarked) and counts them: the nodes that
 * weigh, or with every_counted the candidates git counts (skipped ones
 * too).
 */
static uint32_t
mark_ancestors(struct weigher *g, uint32_t c, int every_counted)
{
	const struct hv_dag *dag = g->dag;
	uint32_t sp = 0, total = 0;

	g->mark[c] = g->gen;
	g->stack[sp++] = c;
	while (sp) {
		uint32_t y = g->stack[--sp], p, np = hv_dag_nparents(dag, y);
		const uint32_t *par = hv_dag_parents(dag, y);

		total += every_counted ? counted(dag, y) : weighs(g, y);
		for (p = 0; p < np; p++) {
			if (g->mark[par[p]] == g->gen)
				continue;
			g->mark[par[p]] = g->gen;
			g->stack[sp++] = par[p];
		}
	}
	return total;
}

/*
 * Exact weights along the first-parent chain that ends at top: mark the
 * ancestry of the chain's root, then of each commit above it, each walk
 * stopping at what is already marked. One walk of top's ancestry in all.
 */
static void
weigh_chain(struct weigher *g, uint32_t top)
{
	const struct hv_dag *dag = g->dag;
	uint32_t len = 0, total = 0, x = top;
	int64_t k;

	for (;;) {
		g->chain[len++] = x;
		if (!hv_dag_nparents(dag, x))
			break;
		x = hv_dag_parents(dag, x)[0];
	}
	g->gen++;
	for (k = (int64_t)len - 1; k >= 0; k--) {
		uint32_t c = g->chain[k];

		if (g->mark[c] != g->gen)	/* always so on a chain; be safe */
			total += mark_ancestors(g, c, 0);
		g->w[c] = total;
	}
}

static void
compute_bounds(struct weigher *g)
{
	const struct hv_dag *dag = g->dag;
	uint32_t i;

	for (i = 0; i < g->n; i++) {
		uint32_t p, np = hv_dag_nparents(dag, i), lo = 0;
		uint64_t sum = 0;
		const uint32_t *par = hv_dag_parents(dag, i);

		if (g->w[i] != W_UNKNOWN) {
			g->lo[i] = g->hi[i] = g->w[i];
			continue;
		}
		for (p = 0; p < np; p++) {
			if (g->lo[par[p]] > lo)
				lo = g->lo[par[p]];
			sum += g->hi[par[p]];
		}
		g->lo[i] = lo + weighs(g, i);
		sum += weighs(g, i);
		g->hi[i] = sum < g->N ? (uint32_t)sum : g->N;
	}
	/* hi from the children: a parent reaches less than its child */
	for (i = g->n; i-- > 0;) {
		uint32_t p, np = hv_dag_nparents(dag, i);
		const uint32_t *par = hv_dag_parents(dag, i);
		uint32_t h = g->hi[i] - weighs(g, i);

		for (p = 0; p < np; p++)
			if (g->w[par[p]] == W_UNKNOWN && g->hi[par[p]] > h)
				g->hi[par[p]] = h;
	}
}

static inline uint32_t
score(uint32_t w, uint32_t N)
{
	return w < N - w ? w : N - w;
}

/* The best score any weight in [lo, hi] can have. */
static uint32_t
max_score(uint32_t lo, uint32_t hi, uint32_t N)
{
	uint32_t m = N / 2;

	if (hi <= m)
		return hi;
	if (lo >= N - m)
		return N - lo;
	return m;
}

/* git's approx_halfway(): exact for small ranges, within 0.1% for big. */
static int
halfway(uint32_t w, uint32_t N)
{
	long long diff = 2 * (long long)w - N;

	if (diff >= -1 && diff <= 1)
		return 1;
	return llabs(diff) < (long long)(N / 1024);
}

/* The lowest score a halfway commit can have. */
static uint32_t
halfway_floor(uint32_t N)
{
	uint32_t s = N / 2;

	while (s > 0 && halfway(s - 1, N))
		s--;
	return s;
}

/*
 * Testability of the candidates given what is known of it: the skipped
 * candidates are untestable, the bad commit (the last node) is testable,
 * and so, as a rule, is what lies just below the range (a good commit).
 * Untestable commits come in runs (a build broken for a while), so along
 * commit dates testability is modelled as a two-state Markov chain: a
 * fraction f of commits untestable, in runs of mean length len. Its state is observed at the known positions, so the
 * chance that a commit is untestable depends only on the nearest
 * observation on each side. f and len are not known: the model is a
 * mixture over a grid of both, each weighted by how well it explains the
 * observations (their likelihood under the chain), so a range whose
 * skips lie far apart with nothing testable between them soon believes
 * in long runs, and one with a single skip stays cautious only near it.
 */
#define SM_NF 3
#define SM_NLEN 7
#define SM_NK (SM_NF * SM_NLEN)

struct skip_obs {
	double at;		/* position (see skip_model_init) */
	int bad;		/* 1: untestable there, 0: testable */
};

struct skip_model {
	double *at;		/* each node's position */
	struct skip_obs *obs;	/* what is known, by position */
	size_t n, nskips;
	double f[SM_NK];	/* each component's fraction untestable */
	double rate[SM_NK];	/* its relaxation rate per position */
	double post[SM_NK];	/* its posterior weight */
};

/* P(state b at distance d | state a), for one component. */
static double
chain_p(double f, double rate, int a, int b, double d)
{
	double e = exp(-rate * d), pb = b ? f : 1.0 - f;

	return a == b ? pb + (1.0 - pb) * e : pb * (1.0 - e);
}

/*
 * Chance that position x is untestable in component k, given the
 * observations right (the first above x) and right - 1.
 */
static double
untestable_k(const struct skip_model *sm, size_t k, size_t right, double x)
{
	double f = sm->f[k], r = sm->rate[k], num, den;
	const struct skip_obs *a = &sm->obs[right - 1], *b = &sm->obs[right];

	if (right == sm->n)	/* nothing known above x */
		return chain_p(f, r, a->bad, 1, x - a->at);
	num = chain_p(f, r, a->bad, 1, x - a->at) * chain_p(f, r, 1, b->bad, b->at - x);
	den = chain_p(f, r, a->bad, b->bad, b->at - a->at);
	return den > 0.0 ? num / den : f;
}

/* Chance that node i (list position i) can be tested. */
static double
testable(const struct skip_model *sm, uint32_t i)
{
	size_t lo = 1, hi = sm->n, k;
	double x, u = 0.0;

	if (!sm->nskips)
		return 1.0;
	x = sm->at[i];
	while (lo < hi) {	/* obs[0] is below x: the first observation above */
		size_t mid = (lo + hi) / 2;

		if (sm->obs[mid].at < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (k = 0; k < SM_NK; k++)
		if (sm->post[k] > 0.0)
			u += sm->post[k] * untestable_k(sm, k, lo, x);
	return 1.0 - u;
}

/* Information a test of a commit of weight w brings, in bits. */
static double
split_bits(uint32_t w, uint32_t N)
{
	double p = (double)w / N;

	if (p <= 0.0 || p >= 1.0)
		return 0.0;
	return -(p * log2(p) + (1 - p) * log2(1 - p));
}

static int
eligible(const struct hv_dag *dag, uint32_t i)
{
	return !(dag->flags[i] & (HV_NODE_TREESAME | HV_NODE_SKIP));
}

/* The pick without skipped commits: git's criterion and tie order. */
static int64_t
pick_plain(struct weigher *g, uint32_t *best_score)
{
	const struct hv_dag *dag = g->dag;
	int64_t best = -1, half_merge = -1, half_single = -1;
	uint32_t i, bs = 0;

	for (i = 0; i < g->n; i++) {
		uint32_t s;

		if (!eligible(dag, i) || g->w[i] == W_UNKNOWN)
			continue;
		s = score(g->w[i], g->N);
		if (best < 0 || s > bs) {
			best = i;
			bs = s;
		}
		if (hv_dag_nparents(dag, i) && halfway(g->w[i], g->N)) {
			if (hv_dag_nparents(dag, i) > 1 && half_merge < 0)
				half_merge = i;
			if (hv_dag_nparents(dag, i) == 1 && half_single < 0)
				half_single = i;
		}
	}
	*best_score = bs;
	if (half_merge >= 0)
		return half_merge;
	if (half_single >= 0)
		return half_single;
	return best;
}

static int64_t
pick_skipping(struct weigher *g, const struct skip_model *sm, double *best_value)
{
	const struct hv_dag *dag = g->dag;
	int64_t best = -1;
	double bv = -1.0;
	uint32_t i;

	for (i = 0; i < g->n; i++) {
		double v;

		if (!eligible(dag, i) || g->w[i] == W_UNKNOWN)
			continue;
		v = split_bits(g->w[i], g->N) * testable(sm, i);
		if (v > bv) {
			bv = v;
			best = i;
		}
	}
	*best_value = bv;
	return best;
}

/* Could node i, with its bounds, beat (or tie) the current best? */
static int
in_window(struct weigher *g, const struct skip_model *sm, uint32_t i,
	  uint32_t thr, double vthr)
{
	uint32_t ms = max_score(g->lo[i], g->hi[i], g->N);

	if (!sm->nskips)
		return ms >= thr;
	/* testability is < 1, so the plain split bounds the value */
	return ms > 0 && split_bits(ms, g->N) >= vthr;
}

static void
weigher_init(struct weigher *g, const struct hv_dag *dag, uint8_t uncounted)
{
	uint32_t i, n = dag->n ? dag->n : 1;

	memset(g, 0, sizeof(*g));
	g->dag = dag;
	g->n = dag->n;
	g->uncounted = uncounted;
	for (i = 0; i < dag->n; i++)
		g->N += weighs(g, i);
	g->w = xmalloc(n * sizeof(*g->w));
	g->lo = xmalloc(n * sizeof(*g->lo));
	g->hi = xmalloc(n * sizeof(*g->hi));
	g->mark = xcalloc(n, sizeof(*g->mark));
	g->stack = xmalloc(n * sizeof(*g->stack));
	g->chain = xmalloc(n * sizeof(*g->chain));
	for (i = 0; i < dag->n; i++)
		g->w[i] = W_UNKNOWN;
}

static void
weigher_free(struct weigher *g)
{
	free(g->w);
	free(g->lo);
	free(g->hi);
	free(g->mark);
	free(g->stack);
	free(g->chain);
}

/* The grid: fractions untestable, and mean run lengths in positions. */
static const double sm_fractions[SM_NF] = { 0.1, 0.3, 0.5 };
static const double sm_lengths[SM_NLEN] = { 2, 8, 32, 128, 512, 2048, 8192 };

/* Weighs each component by the likelihood of the observations. */
static void
skip_model_fit(struct skip_model *sm)
{
	double ll[SM_NK], top = -HUGE_VAL, sum = 0.0;
	size_t a, b, i, k;

	for (a = 0; a < SM_NF; a++) {
		for (b = 0; b < SM_NLEN; b++) {
			double f = sm_fractions[a], len = sm_lengths[b];

			k = a * SM_NLEN + b;
			sm->f[k] = f;
			/* runs: untestable ones len long, testable ones len (1-f)/f */
			sm->rate[k] = 1.0 / len + f / (len * (1.0 - f));
			ll[k] = log(1.0 - f);
			for (i = 1; i < sm->n; i++)
				ll[k] += log(chain_p(f, sm->rate[k], sm->obs[i - 1].bad,
						     sm->obs[i].bad,
						     sm->obs[i].at - sm->obs[i - 1].at));
			if (ll[k] > top)
				top = ll[k];
		}
	}
	for (k = 0; k < SM_NK; k++)
		sum += sm->post[k] = exp(ll[k] - top);
	for (k = 0; k < SM_NK; k++)
		sm->post[k] /= sum;
}

static int
obs_cmp(const void *a, const void *b)
{
	double x = ((const struct skip_obs *)a)->at, y = ((const struct skip_obs *)b)->at;

	return x < y ? -1 : x > y;
}

/*
 * Positions along commit dates, in commits: a commit's date scaled so
 * that the range spans as many positions as it has commits. Untestable
 * commits are consecutive in time (a build broken for a while); the
 * range's list (date order) squeezes out the commits of branches outside
 * it, so list indices would bring a run's two ends closer than they are.
 * Measured on the skip benchmark against list indices: 0.15 to 0.4 fewer
 * tests that could be saved, at clusters of ~150 and ~500.
 */
static void
skip_positions(struct skip_model *sm, const struct hv_dag *dag)
{
	int64_t t0 = dag->time[0], t1 = dag->time[0];
	double scale = 1.0;
	uint32_t i;

	for (i = 1; i < dag->n; i++) {
		if (dag->time[i] < t0)
			t0 = dag->time[i];
		if (dag->time[i] > t1)
			t1 = dag->time[i];
	}
	if (t1 > t0)
		scale = (double)(dag->n - 1) / (double)(t1 - t0);
	sm->at = xmalloc(dag->n * sizeof(*sm->at));
	for (i = 0; i < dag->n; i++)
		sm->at[i] = 1.0 + (double)(dag->time[i] - t0) * scale;
}

static void
skip_model_init(struct skip_model *sm, struct weigher *g)
{
	const struct hv_dag *dag = g->dag;
	uint32_t i;

	memset(sm, 0, sizeof(*sm));
	for (i = 0; i < g->n; i++)
		if ((dag->flags[i] & HV_NODE_SKIP) && counted(dag, i))
			sm->nskips++;
	if (!sm->nskips)
		return;
	skip_positions(sm, dag);
	/*
	 * Position 0 stands for what lies below the range, testable; the
	 * bad commit is testable.
	 */
	sm->obs = xmalloc((sm->nskips + 2) * sizeof(*sm->obs));
	sm->obs[sm->n].at = 0.0;
	sm->obs[sm->n++].bad = 0;
	for (i = 0; i < g->n; i++) {
		int skipped = (dag->flags[i] & HV_NODE_SKIP) && counted(dag, i);

		if (!skipped && i != g->n - 1)
			continue;
		sm->obs[sm->n].at = sm->at[i];
		sm->obs[sm->n++].bad = skipped;
	}
	/* dates are not always in list order (clock skew) */
	qsort(sm->obs + 1, sm->n - 1, sizeof(*sm->obs), obs_cmp);
	skip_model_fit(sm);
}

/*
 * Weighs exactly every unknown eligible node that could score thr (or,
 * with skips, be worth vthr); returns how many there were, 0 when the
 * window is settled.
 */
static uint32_t
weigh_window(struct weigher *g, const struct skip_model *sm, uint32_t thr,
	     double vthr)
{
	const struct hv_dag *dag = g->dag;
	uint32_t i, window = 0;

	compute_bounds(g);
	for (i = 0; i < g->n; i++) {
		if (g->w[i] != W_UNKNOWN || !eligible(dag, i) ||
		    !in_window(g, sm, i, thr, vthr))
			continue;
		window++;
		if (hv_dag_nparents(dag, i) == 1 &&
		    g->w[hv_dag_parents(dag, i)[0]] != W_UNKNOWN)
			g->w[i] = g->w[hv_dag_parents(dag, i)[0]] + 1;
		else
			weigh_chain(g, i);
	}
	if (window)
		propagate_strands(g);
	return window;
}

/* Tests a balanced search takes on average to find one of k. */
static double
search_tests(uint32_t k)
{
	uint32_t m = 0;

	if (k < 2)
		return 0.0;
	while ((2ull << m) <= k)
		m++;
	return m + 2.0 * (double)(k - (1u << m)) / k;
}

double
hv_bisect_expected_steps(uint32_t w, uint32_t n)
{
	if (!n || w > n)
		return 0.0;
	return ((double)w * search_tests(w) +
		(double)(n - w) * search_tests(n - w)) / n;
}

/* Node x better than node y on (cost, split, git's order)? */
static int
cheaper(const struct weigher *g, uint32_t x, double cx, uint32_t y, double cy)
{
	uint32_t sx = score(g->w[x], g->N), sy = score(g->w[y], g->N);

	if (cx != cy)
		return cx < cy;
	return sx > sy;
}

/* The cheapest so far, as pick_by_cost narrows down on it. */
struct cheapest {
	int64_t node;
	double cost;
	size_t at;		/* its place in the window; SIZE_MAX: none */
	size_t asks;		/* cost() calls left */
};

/*
 * Asks up to n of win[from .. to) (spread evenly, the ends included) and
 * keeps the cheapest in ch; returns the places asked before and after the
 * cheapest found here (from - 1 and to when it is at an end or none is).
 */
static void
ask_spread(const struct weigher *g, const struct hv_pick_cost *pc,
	   const uint32_t *win, size_t from, size_t to, size_t n,
	   struct cheapest *ch, size_t *before, size_t *after)
{
	size_t cnt = to - from, asked = cnt <= n ? cnt : n, j;
	size_t prev = from - 1, found = SIZE_MAX;

	*before = from - 1;
	*after = to;
	for (j = 0; j < asked && ch->asks; j++) {
		size_t at = from + (cnt <= n ? j : j * (cnt - 1) / (n - 1));
		double c;

		if (found != SIZE_MAX && found == prev)	/* asked after the cheapest */
			*after = at;
		ch->asks--;
		c = pc->cost(pc->ctx, win[at]);
		if (c >= 0 && (ch->cost < 0 ||
			       cheaper(g, win[at], c, (uint32_t)ch->node, ch->cost))) {
			ch->node = win[at];
			ch->cost = c;
			ch->at = found = at;
			*before = prev;
			*after = to;
		}
		prev = at;
	}
}

/*
 * The window of splits within tolerance of the best, weighed exactly;
 * its nodes in list order are asked their cost spread evenly, then again
 * between the neighbours of the cheapest so far (costs change along the
 * history: a header changed at one commit splits it into cheap and dear
 * stretches), max_asks calls in all. A node already chosen (keep) stays
 * chosen while it is in the window: the build directory holds it, and
 * the choice must not move under a status looking at it.
 */
static int64_t
pick_by_cost(struct weigher *g, const struct skip_model *sm, int64_t best,
	     const struct hv_pick_cost *pc, struct hv_pick *out)
{
	const struct hv_dag *dag = g->dag;
	uint32_t N = g->N, lo = score(g->w[best], N), i;
	double limit = hv_bisect_expected_steps(g->w[best], N) + pc->tolerance;
	size_t cnt = 0, j, from, to, per;
	struct cheapest ch;
	uint32_t *win;

	while (lo > 1 && hv_bisect_expected_steps(lo - 1, N) <= limit)
		lo--;
	while (weigh_window(g, sm, lo, 0.0))
		;
	win = xmalloc(g->n * sizeof(*win));
	for (i = 0; i + 1 < g->n; i++)
		if (eligible(dag, i) && g->w[i] != W_UNKNOWN &&
		    score(g->w[i], N) >= lo &&
		    hv_bisect_expected_steps(g->w[i], N) <= limit)
			win[cnt++] = i;
	ch.node = best;
	ch.cost = out->plain_cost = pc->cost(pc->ctx, (uint32_t)best);
	ch.at = SIZE_MAX;
	ch.asks = pc->max_asks ? pc->max_asks : 48;
	per = ch.asks / 3 > 2 ? ch.asks / 3 : 2;
	for (j = 0; j < cnt; j++)
		if (pc->keep == (int64_t)win[j])
			break;
	if (j < cnt) {
		ch.node = pc->keep;
		if (ch.node != best)
			ch.cost = pc->cost(pc->ctx, win[j]);
		cnt = 0;
	}
	from = 0;
	to = cnt;
	while (from < to && ch.asks) {
		size_t before, after, had = ch.at;

		ask_spread(g, pc, win, from, to, per, &ch, &before, &after);
		if (ch.at == had || to - from <= per)
			break;	/* nothing cheaper, or every one asked */
		from = before + 1;
		to = after;
	}
	free(win);
	out->cost = ch.cost;
	out->costed = ch.node != best;
	out->extra_steps = hv_bisect_expected_steps(g->w[ch.node], N) -
			   hv_bisect_expected_steps(g->w[best], N);
	return ch.node;
}

/* Counted candidates node top reaches, skipped ones included. */
static uint32_t
reach_counted(struct weigher *g, uint32_t top)
{
	g->gen++;
	return mark_ancestors(g, top, 1);
}

void
hv_bisect_pick(const struct hv_dag *dag, struct hv_pick *out)
{
	hv_bisect_pick_costed(dag, NULL, out);
}

void
hv_bisect_pick_costed(const struct hv_dag *dag, const struct hv_pick_cost *pc,
		      struct hv_pick *out)
{
	struct weigher g;
	struct skip_model sm;
	int64_t best = -1;
	uint32_t i;
	int skips = 0;

	memset(out, 0, sizeof(*out));
	out->best = -1;
	if (!dag->n)
		return;
	/*
	 * With skipped commits the split that matters is the split of what
	 * can still be told apart: a skipped commit is never tested, so it
	 * weighs nothing in the choice (a range that is mostly one skipped
	 * cluster is otherwise "halved" into the cluster). What is reported
	 * (all, reaches) still counts them, as git does.
	 */
	for (i = 0; i < dag->n; i++) {
		out->all += counted(dag, i);
		if ((dag->flags[i] & HV_NODE_SKIP) && counted(dag, i))
			skips = 1;
	}
	weigher_init(&g, dag, HV_NODE_TREESAME | (skips ? HV_NODE_SKIP : 0));
	out->steps = hv_bisect_estimate_steps(out->all);

	propagate_strands(&g);
	weigh_chain(&g, dag->n - 1);
	propagate_strands(&g);
	skip_model_init(&sm, &g);	/* reads flags only: no weights moved */

	for (;;) {
		uint32_t bs = 0, thr;
		double bv = 0.0;

		if (sm.nskips)
			best = pick_skipping(&g, &sm, &bv);
		else
			best = pick_plain(&g, &bs);
		thr = halfway_floor(g.N);
		if (bs < thr)
			thr = bs;
		if (!weigh_window(&g, &sm, thr, bv))
			break;
	}

	if (best < 0)
		best = dag->n - 1;	/* nothing testable but bad itself */
	out->plain = best;
	if (pc && pc->cost && pc->tolerance > 0 && !sm.nskips &&
	    (uint32_t)best != dag->n - 1)
		best = pick_by_cost(&g, &sm, best, pc, out);
	out->best = best;
	if (skips)
		out->reaches = reach_counted(&g, (uint32_t)best);
	else
		out->reaches = g.w[best] == W_UNKNOWN ? 0 : g.w[best];
	out->left = out->all > out->reaches ? out->all - out->reaches - 1 : 0;
	if ((uint32_t)best == dag->n - 1 && sm.nskips)	/* skipped ones counted */
		out->only_skipped = 1;
	free(sm.at);
	free(sm.obs);
	weigher_free(&g);
}

uint32_t *
hv_bisect_weights_exact(const struct hv_dag *dag)
{
	uint32_t *w = xcalloc(dag->n ? dag->n : 1, sizeof(*w));
	uint32_t *mark = xcalloc(dag->n ? dag->n : 1, sizeof(*mark));
	uint32_t *stack = xmalloc((dag->n ? dag->n : 1) * sizeof(*stack));
	uint32_t i;

	for (i = 0; i < dag->n; i++) {
		uint32_t sp = 0, total = 0;

		mark[i] = i + 1;
		stack[sp++] = i;
		while (sp) {
			uint32_t y = stack[--sp], p, np = hv_dag_nparents(dag, y);
			const uint32_t *par = hv_dag_parents(dag, y);

			total += counted(dag, y);
			for (p = 0; p < np; p++) {
				if (mark[par[p]] == i + 1)
					continue;
				mark[par[p]] = i + 1;
				stack[sp++] = par[p];
			}
		}
		w[i] = total;
	}
	free(mark);
	free(stack);
	return w;
}
