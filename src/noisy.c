/*
 * noisy.c: the posterior and the next test of a bisection whose test
 * lies now and then (see noisy.h).
 *
 * Under hypothesis c the results at commits that reach c are draws of a
 * bad commit (fail 1 - q, pass q), the others of a good one (fail f, pass
 * 1 - f). Summed over the grids of the two rates the likelihood splits:
 *
 *   sum_q w(q) q^Pb (1 - q)^Fb  *  sum_f w(f) f^Fg (1 - f)^Pg
 *
 * where Fb, Pb count fails and passes at commits that reach c and Fg, Pg
 * the rest, so the rates are learned from every result. The part of the
 * q sum past Q_CHASE, a culprit that fails too rarely to chase, counts
 * for "none" (see the priors below). Fb and Pb are
 * counted by walking the ancestry of each commit tested (O(commits tested
 * x candidates), a few ms on 15,000 candidates), and each pair is
 * figured once.
 *
 * The next test maximises the mutual information between its result and
 * the hypothesis, each hypothesis with the rates it has learned (see
 * hv_noisy_pick): the sums it needs over every commit's ancestry come
 * from one walk per first-parent chain (nested ancestor sets, as
 * bisect.c's weights).
 *
 * The probability of the likeliest answer, what the stop weighs, is the
 * lower of the prior's and a wary prior's (q's weights times q): see
 * wary_prob.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "noisy.h"
#include "util.h"

/*
 * q: a bad commit that passes is what makes a kernel test flaky, from
 * never to more than half the time, so every value is as likely, on a
 * grid up to 0.95. A culprit is only one whose failure is worth chasing,
 * q at most Q_CHASE: a failure that shows less than once in four runs
 * cannot be told from a flake of good commits in a number of runs anyone
 * would wait for. "BAD is bad but fails that rarely" counts for "none"
 * (the "BAD does not reproduce enough"): the search then ends
 * with "no culprit" where it used to wander between a rare culprit at
 * the top of the grid and a flake (bench/flaky: bad commits that fail
 * 15% of the time ran to 2000 runs, now about 160 to "no culprit"; a
 * range where only good commits fail took 164 runs to say so, now 39).
 * Near Q_CHASE either answer fits and a search is long (500 runs at
 * q = 0.75): a caller may want a budget of runs.
 * f: a good commit that fails is an accident (a timeout, a hiccup): most
 * tests have none, some a few percent (more weight on 0 made no search
 * shorter in bench/flaky and a flake-only range slower to call).
 * none: that the failure at BAD was itself a flake. Whoever asks for a
 * confidence already doubts the test, so one in ten; it costs the
 * searches with a culprit nothing measurable and a flake-only range was
 * called in 64 runs instead of 71, right 99.6% of the time, not 99.3%.
 */
static const double q_grid[] = {
	0, .05, .1, .15, .2, .25, .3, .35, .4, .45, .5, .55, .6, .65, .7, .75,
	.8, .85, .9, .95
};
#define Q_CHASE 0.75
static const double f_grid[] = { 0, .001, .003, .01, .02, .05, .1, .2 };
static const double f_weight[] = { .4, .12, .1, .1, .1, .1, .05, .03 };

/*
 * wary: the stop weighs the answer a second time with q's weights times
 * q^WARY (see wary_prob). The prior alone is right on average over q,
 * not at each q: where q is high it claims more than it gets right.
 */
#define WARY 1.0

void
hv_noisy_prior_default(struct hv_noisy_prior *prior)
{
	prior->nq = sizeof(q_grid) / sizeof(q_grid[0]);
	prior->q = q_grid;
	prior->q_w = NULL;
	prior->nf = sizeof(f_grid) / sizeof(f_grid[0]);
	prior->f = f_grid;
	prior->f_w = f_weight;
	prior->none = 0.1;
	prior->wary = WARY;
}

static inline int
counted(const struct hv_dag *dag, uint32_t i)
{
	return !(dag->flags[i] & HV_NODE_TREESAME);
}

/* Walks of ancestor sets with visited stamps. */
struct walker {
	const struct hv_dag *dag;
	uint32_t *mark, gen;
	uint32_t *stack;
};

static void
walker_init(struct walker *w, const struct hv_dag *dag)
{
	w->dag = dag;
	w->mark = xcalloc(dag->n ? dag->n : 1, sizeof(*w->mark));
	w->stack = xmalloc((dag->n ? dag->n : 1) * sizeof(*w->stack));
	w->gen = 0;
}

static void
walker_release(struct walker *w)
{
	free(w->mark);
	free(w->stack);
}

/* Adds fails and passes to cf[] and cp[] of c and all its ancestors. */
static void
count_ancestors(struct walker *w, uint32_t c, uint32_t *cf, uint32_t *cp,
		uint32_t fails, uint32_t passes)
{
	const struct hv_dag *dag = w->dag;
	uint32_t sp = 0;

	w->gen++;
	w->mark[c] = w->gen;
	w->stack[sp++] = c;
	while (sp) {
		uint32_t y = w->stack[--sp], p, np = hv_dag_nparents(dag, y);
		const uint32_t *par = hv_dag_parents(dag, y);

		cf[y] += fails;
		cp[y] += passes;
		for (p = 0; p < np; p++) {
			if (w->mark[par[p]] == w->gen)
				continue;
			w->mark[par[p]] = w->gen;
			w->stack[sp++] = par[p];
		}
	}
}

/* Binary entropy in bits. */
static double
entropy2(double p)
{
	if (p <= 0 || p >= 1)
		return 0;
	return -(p * log2(p) + (1 - p) * log2(1 - p));
}

/* What a grid tells of a rate given a count of each outcome. */
struct rate_fit {
	double logl;		/* log sum_i w_i x_i^a (1 - x_i)^b */
	double mean;		/* the posterior mean of x */
};

/* Points [from, to) of a grid (w NULL: uniform over all n points). */
static void
grid_fit(const double *x, const double *w, size_t n, size_t from, size_t to,
	 uint32_t a, uint32_t b, struct rate_fit *fit)
{
	double l[32], lmax = -INFINITY, sum = 0, xsum = 0;
	size_t i;

	for (i = from; i < to; i++) {
		double wi = w ? w[i] : 1.0 / n;

		l[i] = wi > 0 ? log(wi) : -INFINITY;
		if (a)
			l[i] += x[i] > 0 ? a * log(x[i]) : -INFINITY;
		if (b)
			l[i] += x[i] < 1 ? b * log1p(-x[i]) : -INFINITY;
		if (l[i] > lmax)
			lmax = l[i];
	}
	if (lmax == -INFINITY) {
		/* no point of the grid explains the counts */
		fit->logl = -INFINITY;
		fit->mean = 0;
		return;
	}
	for (i = from; i < to; i++) {
		double e = l[i] == -INFINITY ? 0 : exp(l[i] - lmax);

		sum += e;
		xsum += e * x[i];
	}
	fit->logl = lmax + log(sum);
	fit->mean = xsum / sum;
}

/*
 * The likelihood of a hypothesis depends on it only through the fails
 * and passes at the commits that reach it, and few hypotheses differ in
 * those: each pair is figured once.
 */
struct pair_fit {
	double logl;		/* with q a failure worth chasing */
	double rare;		/* with q past Q_CHASE */
	double wary, wary_rare;	/* the same under the wary prior */
	struct rate_fit q, q_rare, f;
};

struct pair_memo {
	uint64_t *key;		/* (fails << 32 | passes) + 1; 0: empty */
	struct pair_fit *val;
	size_t cap;
	const double *wary;	/* the wary prior's q weights; NULL: none */
};

static const struct pair_fit *
memo_get(struct pair_memo *mm, const struct hv_noisy_prior *prior,
	 size_t chase, uint32_t F, uint32_t P, uint32_t cf, uint32_t cp)
{
	struct rate_fit w;

	uint64_t key = ((uint64_t)cf << 32 | cp) + 1;
	size_t i = (size_t)(key * 0x9e3779b97f4a7c15ull) & (mm->cap - 1);
	struct pair_fit *v;

	while (mm->key[i] && mm->key[i] != key)
		i = (i + 1) & (mm->cap - 1);
	v = &mm->val[i];
	if (mm->key[i])
		return v;
	/* the table holds at most one pair per node: it never fills */
	mm->key[i] = key;
	grid_fit(prior->q, prior->q_w, prior->nq, 0, chase, cp, cf, &v->q);
	grid_fit(prior->f, prior->f_w, prior->nf, 0, prior->nf, F - cf,
		 P - cp, &v->f);
	v->logl = v->q.logl + v->f.logl;
	grid_fit(prior->q, prior->q_w, prior->nq, chase, prior->nq, cp, cf,
		 &v->q_rare);
	v->rare = v->q_rare.logl + v->f.logl;
	v->wary = v->logl;
	v->wary_rare = v->rare;
	if (mm->wary) {
		grid_fit(prior->q, mm->wary, prior->nq, 0, chase, cp, cf, &w);
		v->wary = w.logl + v->f.logl;
		grid_fit(prior->q, mm->wary, prior->nq, chase, prior->nq, cp,
			 cf, &w);
		v->wary_rare = w.logl + v->f.logl;
	}
	return v;
}

/*
 * The wary prior: the prior's q weights times q^wary (a q past Q_CHASE
 * weighs as Q_CHASE, so "none" keeps its share), summing to what the
 * prior's do. Into w[]; 0 when the prior has no wary part.
 */
static int
wary_weights(const struct hv_noisy_prior *prior, double *w)
{
	double sum = 0, wsum = 0;
	size_t i;

	if (!(prior->wary > 0))
		return 0;
	for (i = 0; i < prior->nq; i++) {
		double base = prior->q_w ? prior->q_w[i] : 1.0 / prior->nq;

		w[i] = base * pow(fmin(prior->q[i], Q_CHASE), prior->wary);
		sum += base;
		wsum += w[i];
	}
	if (!(wsum > 0))
		return 0;	/* all the prior's weight on q = 0 */
	for (i = 0; i < prior->nq; i++)
		w[i] *= sum / wsum;
	return 1;
}

/*
 * What each hypothesis expects of the rates is what the next pick needs
 * (the rates summed out under it, not their means over all of them), and
 * struct hv_noisy has no field for it: it follows post[] in the same
 * allocation, RATE_FIELDS doubles per node from RATES_AT(n), then the
 * same for "none". hv_noisy_pick therefore takes only a posterior made
 * by hv_noisy_posterior.
 */
enum { R_Q, R_F, RATE_FIELDS };
#define RATES_AT(n) ((size_t)(n))

static void
keep_rates(double *at, double q, double f)
{
	at[R_Q] = q;
	at[R_F] = f;
}

/* Fails and passes at every node and its ancestors; *F, *P the totals. */
static void
count_results(const struct hv_dag *dag, const struct hv_noisy_obs *obs,
	      size_t nobs, uint32_t *cf, uint32_t *cp, uint32_t *F,
	      uint32_t *P)
{
	struct walker w;
	size_t k;

	*F = *P = 0;
	walker_init(&w, dag);
	for (k = 0; k < nobs; k++) {
		*F += obs[k].fails;
		*P += obs[k].passes;
		if (obs[k].node == HV_NOISY_BELOW || obs[k].node >= dag->n)
			continue;
		count_ancestors(&w, obs[k].node, cf, cp, obs[k].fails,
				obs[k].passes);
	}
	walker_release(&w);
}

/* How many points of the q grid are a failure worth chasing. */
static size_t
chase_points(const struct hv_noisy_prior *prior)
{
	size_t i = 0;

	while (i < prior->nq && prior->q[i] <= Q_CHASE + 1e-9)
		i++;
	return i;
}

/* What the wary prior's posterior needs besides the memo. */
struct wary_sums {
	const struct hv_noisy_prior *prior;
	size_t chase;
	uint32_t F, P;
	const uint32_t *cf, *cp;
	double lc, lnone;	/* log priors of a culprit and of "none" */
};

/* The wary prior's log posterior (unnormalised) of node i, or with i < 0
 * of "none"; -INFINITY for a node not counted. */
static double
wary_logl(const struct hv_dag *dag, struct pair_memo *mm,
	  const struct wary_sums *ws, int64_t i)
{
	const struct pair_fit *v;

	if (i < 0)
		return ws->lnone;
	if (!counted(dag, (uint32_t)i))
		return -INFINITY;
	v = memo_get(mm, ws->prior, ws->chase, ws->F, ws->P, ws->cf[i],
		     ws->cp[i]);
	return ws->lc + v->wary;
}

/*
 * The probability the wary prior gives best (a node, or -1: "none").
 * Its q weights lean to a flakier test: with few results at bad commits
 * the prior's weight on small q reads one pass as a good commit, and a
 * search that stops on that is over-confident where q is high
 * (bench/flaky, q = 0.5: right 98.8 to 99.2% of the time claiming
 * 99.2%). Stopping only when both priors agree holds P at every q in
 * bench/flaky for a run or two more.
 */
static double
wary_prob(const struct hv_dag *dag, struct pair_memo *mm,
	  const struct wary_sums *ws, int64_t best)
{
	double lmax = ws->lnone, sum = 0, top, none_rare = 0;
	uint32_t i;

	for (i = 0; i < dag->n; i++) {
		const struct pair_fit *v;

		if (!counted(dag, i))
			continue;
		v = memo_get(mm, ws->prior, ws->chase, ws->F, ws->P,
			     ws->cf[i], ws->cp[i]);
		lmax = fmax(lmax, fmax(ws->lc + v->wary,
				       ws->lc + v->wary_rare));
	}
	if (lmax == -INFINITY)
		return 0;
	sum = exp(ws->lnone - lmax);
	for (i = 0; i < dag->n; i++) {
		const struct pair_fit *v;
		double r;

		if (!counted(dag, i))
			continue;
		v = memo_get(mm, ws->prior, ws->chase, ws->F, ws->P,
			     ws->cf[i], ws->cp[i]);
		r = exp(ws->lc + v->wary_rare - lmax);
		none_rare += r;
		sum += exp(ws->lc + v->wary - lmax) + r;
	}
	top = exp(wary_logl(dag, mm, ws, best) - lmax);
	if (best < 0)
		top += none_rare;
	return top / sum;
}

int
hv_noisy_posterior(const struct hv_dag *dag, const struct hv_noisy_obs *obs,
		   size_t nobs, const struct hv_noisy_prior *prior,
		   struct hv_noisy *out)
{
	uint32_t n = dag->n, i, F, P, ncounted = 0;
	uint32_t *cf, *cp;
	double *logl, *rates, lmax, lnone, lc, sum, qsum = 0, fsum = 0;
	double pure, rare = 0, rare_q = 0, rare_f = 0, wary[32];
	size_t chase = chase_points(prior);
	struct pair_memo mm;
	struct pair_fit none;
	struct wary_sums ws;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < n; i++)
		ncounted += counted(dag, i);
	if (!ncounted)
		return -1;
	cf = xcalloc(n, sizeof(*cf));
	cp = xcalloc(n, sizeof(*cp));
	count_results(dag, obs, nobs, cf, cp, &F, &P);
	for (mm.cap = 16; mm.cap < 2 * (size_t)n + 2; mm.cap *= 2)
		;
	mm.key = xcalloc(mm.cap, sizeof(*mm.key));
	mm.val = xmalloc(mm.cap * sizeof(*mm.val));
	mm.wary = wary_weights(prior, wary) ? wary : NULL;

	/* log likelihoods: logl[i] c = i with a failure worth chasing,
	 * logl[n + i] with one too rare (it counts for "none") */
	logl = xmalloc(2 * (size_t)n * sizeof(*logl));
	grid_fit(prior->q, prior->q_w, prior->nq, 0, prior->nq, 0, 0,
		 &none.q);
	grid_fit(prior->f, prior->f_w, prior->nf, 0, prior->nf, F, P,
		 &none.f);
	lnone = log(prior->none) + none.f.logl;
	lmax = lnone;
	lc = log((1 - prior->none) / ncounted);
	for (i = 0; i < n; i++) {
		const struct pair_fit *v;

		if (!counted(dag, i))
			continue;
		v = memo_get(&mm, prior, chase, F, P, cf[i], cp[i]);
		logl[i] = lc + v->logl;
		logl[n + i] = lc + v->rare;
		lmax = fmax(lmax, fmax(logl[i], logl[n + i]));
	}

	out->n = n;
	out->post = xcalloc(RATES_AT(n) + RATE_FIELDS * ((size_t)n + 1),
			    sizeof(*out->post));
	rates = out->post + RATES_AT(n);
	if (lmax == -INFINITY)	/* nothing explains the results */
		lmax = lnone = 0;
	sum = pure = exp(lnone - lmax);
	for (i = 0; i < n; i++) {
		const struct pair_fit *v;
		double r;

		if (!counted(dag, i))
			continue;
		v = memo_get(&mm, prior, chase, F, P, cf[i], cp[i]);
		out->post[i] = exp(logl[i] - lmax);
		r = exp(logl[n + i] - lmax);
		rare += r;
		rare_q += r * v->q_rare.mean;
		rare_f += r * v->f.mean;
		sum += out->post[i] + r;
		keep_rates(rates + RATE_FIELDS * (size_t)i, v->q.mean,
			   v->f.mean);
	}
	/* "none" for the pick: good commits fail with what its parts
	 * learned (a rare failure above some c is taken for a flake) */
	keep_rates(rates + RATE_FIELDS * (size_t)n, none.q.mean,
		   (pure * none.f.mean + rare_f) / (pure + rare));
	out->none = (pure + rare) / sum;
	out->best = -1;
	out->best_p = out->none;
	for (i = 0; i < n; i++) {
		double p = out->post[i] /= sum;

		if (p > out->best_p) {
			out->best_p = p;
			out->best = i;
		}
		qsum += p * rates[RATE_FIELDS * (size_t)i + R_Q];
		fsum += p * rates[RATE_FIELDS * (size_t)i + R_F];
	}
	out->q = qsum + (pure * none.q.mean + rare_q) / sum;
	out->f = fsum + rates[RATE_FIELDS * (size_t)n + R_F] * out->none;
	if (mm.wary) {
		ws = (struct wary_sums){ prior, chase, F, P, cf, cp, lc,
					 lnone };
		out->best_p = fmin(out->best_p,
				   wary_prob(dag, &mm, &ws, out->best));
	}
	free(mm.key);
	free(mm.val);
	free(logl);
	free(cf);
	free(cp);
	return 0;
}

void
hv_noisy_release(struct hv_noisy *nz)
{
	free(nz->post);
	nz->post = NULL;
}

/*
 * How a walk of ancestors stops and what it records: it never enters a
 * stamped commit nor, with limit set, one whose entry is at most *limit
 * (an ancestor of the mainline commit at that position); with found
 * set, it records entry = found_at for every commit it visits.
 */
#define REACH_MAX 5

struct walk_rule {
	uint32_t *entry;	/* the lowest mainline position reaching a commit */
	const uint32_t *limit;
	int found;
	uint32_t found_at;
};

static void
walk_mass(struct walker *w, uint32_t c, const double *wt, unsigned k,
	  double *total, const struct walk_rule *r)
{
	const struct hv_dag *dag = w->dag;
	uint32_t sp = 0;
	unsigned j;

	if (w->mark[c] == w->gen)
		return;
	w->mark[c] = w->gen;
	w->stack[sp++] = c;
	while (sp) {
		uint32_t y = w->stack[--sp], p, np = hv_dag_nparents(dag, y);
		const uint32_t *par = hv_dag_parents(dag, y);

		for (j = 0; j < k; j++)
			total[j] += wt[(size_t)y * k + j];
		if (r->found)
			r->entry[y] = r->found_at;
		for (p = 0; p < np; p++) {
			uint32_t x = par[p];

			if (w->mark[x] == w->gen ||
			    (r->limit && r->entry[x] <= *r->limit))
				continue;
			w->mark[x] = w->gen;
			w->stack[sp++] = x;
		}
	}
}

/* The first-parent chain from top down to a done commit (or a root):
 * into chain[], top first; *base gets the done commit or UINT32_MAX. */
static uint32_t
chain_down(const struct hv_dag *dag, uint32_t top, const uint8_t *done,
	   uint32_t *chain, uint32_t *base)
{
	uint32_t len = 0, x = top;

	*base = UINT32_MAX;
	for (;;) {
		chain[len++] = x;
		if (!hv_dag_nparents(dag, x))
			return len;
		x = hv_dag_parents(dag, x)[0];
		if (done[x]) {
			*base = x;
			return len;
		}
	}
}

/*
 * Reach along a chain (chain[len - 1] lowest) above base, whose reach
 * is known: each commit adds what its walk finds outside base's ancestry.
 * With base on the mainline, membership is entry <= pos[base], and each
 * walk costs the commits it adds; elsewhere base's ancestry is stamped
 * first, a walk of its own.
 */
static void
reach_chain(struct walker *w, const double *wt, unsigned k,
	    const uint32_t *chain, uint32_t len, uint32_t base,
	    uint32_t *entry, const uint32_t *pos, double *m, uint8_t *done)
{
	struct walk_rule r = { entry, NULL, 0, 0 };
	double total[REACH_MAX];
	uint32_t i;
	unsigned j;

	for (j = 0; j < k; j++)
		total[j] = base == UINT32_MAX ? 0 : m[(size_t)base * k + j];
	w->gen++;
	if (base != UINT32_MAX) {
		if (pos[base] != UINT32_MAX) {
			r.limit = &pos[base];
		} else {
			struct walk_rule plain = { entry, NULL, 0, 0 };
			double skip[REACH_MAX] = { 0 };

			walk_mass(w, base, wt, k, skip, &plain);
		}
	}
	for (i = len; i-- > 0;) {
		walk_mass(w, chain[i], wt, k, total, &r);
		for (j = 0; j < k; j++)
			m[(size_t)chain[i] * k + j] = total[j];
		done[chain[i]] = 1;
	}
}

/*
 * For every node the sums of k weights over its ancestry, itself
 * included (wt and the result: n rows of k).
 */
static double *
reach_sums(const struct hv_dag *dag, const double *wt, unsigned k)
{
	uint32_t n = dag->n, i, c, len, base, *chain, *entry, *pos;
	uint8_t *is_first_parent, *done;
	double *m = xcalloc(n ? (size_t)n * k : 1, sizeof(*m));
	double total[REACH_MAX] = { 0 };
	struct walk_rule r = { NULL, NULL, 1, 0 };
	struct walker w;
	unsigned j;

	if (!n)
		return m;
	is_first_parent = xcalloc(n, 1);
	done = xcalloc(n, 1);
	chain = xmalloc(n * sizeof(*chain));
	entry = xmalloc(n * sizeof(*entry));
	pos = xmalloc(n * sizeof(*pos));
	for (i = 0; i < n; i++) {
		pos[i] = entry[i] = UINT32_MAX;
		if (hv_dag_nparents(dag, i))
			is_first_parent[hv_dag_parents(dag, i)[0]] = 1;
	}
	walker_init(&w, dag);

	/* the mainline, bad's first-parent chain, from its root up: every
	 * commit a walk finds gets that mainline commit's position */
	len = chain_down(dag, n - 1, done, chain, &base);
	r.entry = entry;
	w.gen++;
	for (i = 0; i < len; i++) {
		c = chain[len - 1 - i];
		pos[c] = r.found_at = i;
		walk_mass(&w, c, wt, k, total, &r);
		for (j = 0; j < k; j++)
			m[(size_t)c * k + j] = total[j];
		done[c] = 1;
	}

	/* every other commit lies on the first-parent chain of a chain top
	 * (a commit no commit has as its first parent): usually a topic
	 * branch forked from the mainline */
	for (i = 0; i < n; i++) {
		if (is_first_parent[i] || done[i])
			continue;
		len = chain_down(dag, i, done, chain, &base);
		reach_chain(&w, wt, k, chain, len, base, entry, pos, m, done);
	}
	walker_release(&w);
	free(chain);
	free(entry);
	free(pos);
	free(done);
	free(is_first_parent);
	return m;
}

/*
 * git's steps, ceil(log2 n), each run k times, k the fewest that leave a
 * bad commit at q = Q_CHASE passing them all with probability at most
 * (1 - p) / steps: what a search by repetition spends at most to be right
 * with probability p at the flakiest failure halve chases. The weighed
 * search needs fewer (bench/flaky: at most 233 runs at q = 0.5 on 1000
 * commits, budget 250) until q nears Q_CHASE, where it may take 500.
 */
uint32_t
hv_noisy_budget(uint32_t n, double p)
{
	double steps = n > 1 ? ceil(log2(n)) : 1, k;

	if (!(p > 0 && p < 1))
		p = 0.99;
	k = ceil(log((1 - p) / steps) / log(Q_CHASE));
	return (uint32_t)(k * steps);
}

double *
hv_noisy_reach(const struct hv_dag *dag, const struct hv_noisy *nz)
{
	return reach_sums(dag, nz->post, 1);
}


/* The sums pick needs for every commit, over its ancestry. */
enum { W_MASS, W_FAIL, W_FLAKE, W_HQ, W_HF, W_N };

int64_t
hv_noisy_pick(const struct hv_dag *dag, const struct hv_noisy *nz,
	      const uint8_t *tested, const struct hv_noisy_cost *cost,
	      double *gain)
{
	const double *rates = nz->post + RATES_AT(nz->n), *rn;
	double *wt = xcalloc((size_t)dag->n * W_N + 1, sizeof(*wt)), *m;
	double best = -1, best_gain = 0, tot[W_N] = { 0 };
	int64_t pick = -1;
	uint32_t i;
	unsigned j;

	/*
	 * Testing x: under c reached by x the result fails with 1 - q_c,
	 * else with f_c, q_c and f_c the rates as c has learned them
	 * (summed out under c). The gain is the mutual information of the
	 * result with the hypothesis, h(P(fail)) - sum_c p_c h(P(fail | c)).
	 * With the rates at their means over all hypotheses instead, the
	 * few that explain the results by a high q (every pass below was a
	 * bad commit passing) look refuted by one more pass when they are
	 * not, and the end of a search retested the same commit for little.
	 * Counting what a result tells of the rates too (the information
	 * about hypothesis and rates together) did worse in bench/flaky:
	 * it buys knowledge of q the answer does not need.
	 */
	for (i = 0; i < dag->n; i++) {
		const double *rc = rates + RATE_FIELDS * (size_t)i;
		double p = nz->post[i], *row = wt + (size_t)i * W_N;

		row[W_MASS] = p;
		row[W_FAIL] = p * (1 - rc[R_Q]);
		row[W_FLAKE] = p * rc[R_F];
		row[W_HQ] = p * entropy2(rc[R_Q]);
		row[W_HF] = p * entropy2(rc[R_F]);
		for (j = 0; j < W_N; j++)
			tot[j] += row[j];
	}
	rn = rates + RATE_FIELDS * (size_t)dag->n;
	tot[W_FLAKE] += nz->none * rn[R_F];
	tot[W_HF] += nz->none * entropy2(rn[R_F]);
	m = reach_sums(dag, wt, W_N);
	for (i = 0; i < dag->n; i++) {
		const double *r = m + (size_t)i * W_N;
		double fail, g, score;

		if (dag->flags[i] & (HV_NODE_TREESAME | HV_NODE_SKIP))
			continue;
		fail = r[W_FAIL] + tot[W_FLAKE] - r[W_FLAKE];
		g = entropy2(fail) - r[W_HQ] - (tot[W_HF] - r[W_HF]);
		score = g / (tested && tested[i] ? cost->retest : cost->fresh);
		if (score > best) {
			best = score;
			best_gain = g;
			pick = i;
		}
	}
	free(m);
	free(wt);
	if (gain)
		*gain = best_gain;
	return pick;
}
