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
 * the rest, so the rates are learned from every result. Fb and Pb are
 * counted by walking the ancestry of each commit tested (O(commits tested
 * x candidates), a few ms on 15,000 candidates), and each pair is
 * figured once.
 *
 * The next test maximises the mutual information between its result and
 * the hypothesis, with the rates at their posterior means: testing x
 * whose ancestry holds mass m, the result fails with probability
 * m(1 - q) + (1 - m)f, so the gain is h(that) - m h(q) - (1 - m) h(f).
 * m for every commit comes from one walk per first-parent chain (nested
 * ancestor sets, as bisect.c's weights).
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "noisy.h"
#include "util.h"

/*
 * q: a bad commit that passes is what makes a kernel test flaky, from
 * never to more than half the time, so every value is as likely, up to
 * 0.85: a failure that shows less often than that cannot be told from a
 * flake of good commits, and must not be (else "BAD is the culprit and
 * passes 95% of the time" explains a flake as well as "none" does).
 * f: a good commit that fails is an accident (a timeout, a hiccup): most
 * tests have none, some a few percent. none: that the failure at BAD was
 * itself a flake is unlikely but must stay reachable.
 */
static const double q_grid[] = {
	0, .05, .1, .15, .2, .25, .3, .35, .4, .45, .5, .55, .6, .65, .7, .75,
	.8, .85
};
static const double f_grid[] = { 0, .001, .003, .01, .02, .05, .1, .2 };
static const double f_weight[] = { .4, .12, .1, .1, .1, .1, .05, .03 };

void
hv_noisy_prior_default(struct hv_noisy_prior *prior)
{
	prior->nq = sizeof(q_grid) / sizeof(q_grid[0]);
	prior->q = q_grid;
	prior->q_w = NULL;
	prior->nf = sizeof(f_grid) / sizeof(f_grid[0]);
	prior->f = f_grid;
	prior->f_w = f_weight;
	prior->none = 0.05;
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

/*
 * log of sum_i w_i x_i^a (1 - x_i)^b over a grid (w NULL: uniform), and
 * the posterior mean of x.
 */
static void
grid_likelihood(const double *x, const double *w, size_t n, uint32_t a,
		uint32_t b, double *logl, double *mean)
{
	double l[32], lmax = -INFINITY, sum = 0, xsum = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		double wi = w ? w[i] : 1.0 / n;

		l[i] = log(wi);
		if (a)
			l[i] += x[i] > 0 ? a * log(x[i]) : -INFINITY;
		if (b)
			l[i] += x[i] < 1 ? b * log1p(-x[i]) : -INFINITY;
		if (l[i] > lmax)
			lmax = l[i];
	}
	for (i = 0; i < n; i++) {
		double e = l[i] == -INFINITY ? 0 : exp(l[i] - lmax);

		sum += e;
		xsum += e * x[i];
	}
	*logl = lmax + log(sum);
	*mean = xsum / sum;
}

/*
 * The likelihood of a hypothesis depends on it only through the fails
 * and passes at the commits that reach it, and few hypotheses differ in
 * those: each pair is figured once.
 */
struct pair_memo {
	uint64_t *key;		/* (fails << 32 | passes) + 1; 0: empty */
	double (*val)[3];	/* log likelihood, mean q, mean f */
	size_t cap;
};

static const double *
memo_get(struct pair_memo *mm, const struct hv_noisy_prior *prior,
	 uint32_t F, uint32_t P, uint32_t cf, uint32_t cp)
{
	uint64_t key = ((uint64_t)cf << 32 | cp) + 1;
	size_t i = (size_t)(key * 0x9e3779b97f4a7c15ull) & (mm->cap - 1);
	double lq, lf;

	while (mm->key[i] && mm->key[i] != key)
		i = (i + 1) & (mm->cap - 1);
	if (mm->key[i])
		return mm->val[i];
	/* the table holds at most one pair per node: it never fills */
	mm->key[i] = key;
	grid_likelihood(prior->q, prior->q_w, prior->nq, cp, cf, &lq,
			&mm->val[i][1]);
	grid_likelihood(prior->f, prior->f_w, prior->nf, F - cf, P - cp, &lf,
			&mm->val[i][2]);
	mm->val[i][0] = lq + lf;
	return mm->val[i];
}

int
hv_noisy_posterior(const struct hv_dag *dag, const struct hv_noisy_obs *obs,
		   size_t nobs, const struct hv_noisy_prior *prior,
		   struct hv_noisy *out)
{
	uint32_t n = dag->n, i, F = 0, P = 0, ncounted = 0;
	uint32_t *cf, *cp;
	double *logl, lmax, lnone, sum, qsum, fsum, fnone, dummy;
	struct pair_memo mm;
	struct walker w;
	size_t k;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < n; i++)
		ncounted += counted(dag, i);
	if (!ncounted)
		return -1;
	cf = xcalloc(n, sizeof(*cf));
	cp = xcalloc(n, sizeof(*cp));
	walker_init(&w, dag);
	for (k = 0; k < nobs; k++) {
		F += obs[k].fails;
		P += obs[k].passes;
		if (obs[k].node == HV_NOISY_BELOW || obs[k].node >= n)
			continue;
		count_ancestors(&w, obs[k].node, cf, cp, obs[k].fails,
				obs[k].passes);
	}
	walker_release(&w);

	for (mm.cap = 16; mm.cap < 2 * (size_t)n + 2; mm.cap *= 2)
		;
	mm.key = xcalloc(mm.cap, sizeof(*mm.key));
	mm.val = xmalloc(mm.cap * sizeof(*mm.val));
	logl = xmalloc(n * sizeof(*logl));
	grid_likelihood(prior->f, prior->f_w, prior->nf, F, P, &lnone, &fnone);
	lnone += log(prior->none);
	lmax = lnone;
	for (i = 0; i < n; i++) {
		if (!counted(dag, i))
			continue;
		logl[i] = log((1 - prior->none) / ncounted) +
			  memo_get(&mm, prior, F, P, cf[i], cp[i])[0];
		if (logl[i] > lmax)
			lmax = logl[i];
	}

	out->n = n;
	out->post = xcalloc(n, sizeof(*out->post));
	out->none = exp(lnone - lmax);
	sum = out->none;
	for (i = 0; i < n; i++)
		if (counted(dag, i))
			sum += out->post[i] = exp(logl[i] - lmax);
	out->none /= sum;
	out->best = -1;
	out->best_p = out->none;
	grid_likelihood(prior->q, prior->q_w, prior->nq, 0, 0, &dummy, &qsum);
	qsum *= out->none;
	fsum = out->none * fnone;
	for (i = 0; i < n; i++) {
		const double *v;
		double p;

		if (!counted(dag, i))
			continue;
		p = out->post[i] /= sum;
		if (p > out->best_p) {
			out->best_p = p;
			out->best = i;
		}
		v = memo_get(&mm, prior, F, P, cf[i], cp[i]);
		qsum += p * v[1];
		fsum += p * v[2];
	}
	out->q = qsum;
	out->f = fsum;
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
struct walk_rule {
	uint32_t *entry;	/* the lowest mainline position reaching a commit */
	const uint32_t *limit;
	int found;
	uint32_t found_at;
};

static double
walk_mass(struct walker *w, uint32_t c, const double *post,
	  const struct walk_rule *r)
{
	const struct hv_dag *dag = w->dag;
	uint32_t sp = 0;
	double total = 0;

	if (w->mark[c] == w->gen)
		return 0;
	w->mark[c] = w->gen;
	w->stack[sp++] = c;
	while (sp) {
		uint32_t y = w->stack[--sp], p, np = hv_dag_nparents(dag, y);
		const uint32_t *par = hv_dag_parents(dag, y);

		total += post[y];
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
	return total;
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
reach_chain(struct walker *w, const double *post, const uint32_t *chain,
	    uint32_t len, uint32_t base, uint32_t *entry,
	    const uint32_t *pos, double *m, uint8_t *done)
{
	struct walk_rule r = { entry, NULL, 0, 0 };
	double total = base == UINT32_MAX ? 0 : m[base];
	uint32_t k;

	w->gen++;
	if (base != UINT32_MAX) {
		if (pos[base] != UINT32_MAX) {
			r.limit = &pos[base];
		} else {
			struct walk_rule plain = { entry, NULL, 0, 0 };

			walk_mass(w, base, post, &plain);
		}
	}
	for (k = len; k-- > 0;) {
		total += walk_mass(w, chain[k], post, &r);
		m[chain[k]] = total;
		done[chain[k]] = 1;
	}
}

double *
hv_noisy_reach(const struct hv_dag *dag, const struct hv_noisy *nz)
{
	uint32_t n = dag->n, i, k, len, base, *chain, *entry, *pos;
	uint8_t *is_first_parent, *done;
	double *m = xcalloc(n ? n : 1, sizeof(*m)), total = 0;
	struct walk_rule r = { NULL, NULL, 1, 0 };
	struct walker w;

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
	for (k = 0; k < len; k++) {
		uint32_t c = chain[len - 1 - k];

		pos[c] = r.found_at = k;
		total += walk_mass(&w, c, nz->post, &r);
		m[c] = total;
		done[c] = 1;
	}

	/* every other commit lies on the first-parent chain of a chain top
	 * (a commit no commit has as its first parent): usually a topic
	 * branch forked from the mainline */
	for (i = 0; i < n; i++) {
		if (is_first_parent[i] || done[i])
			continue;
		len = chain_down(dag, i, done, chain, &base);
		reach_chain(&w, nz->post, chain, len, base, entry, pos, m,
			    done);
	}
	walker_release(&w);
	free(chain);
	free(entry);
	free(pos);
	free(done);
	free(is_first_parent);
	return m;
}

/* Binary entropy in bits. */
static double
entropy2(double p)
{
	if (p <= 0 || p >= 1)
		return 0;
	return -(p * log2(p) + (1 - p) * log2(1 - p));
}

int64_t
hv_noisy_pick(const struct hv_dag *dag, const struct hv_noisy *nz,
	      const uint8_t *tested, const struct hv_noisy_cost *cost,
	      double *gain)
{
	double *m = hv_noisy_reach(dag, nz), best = -1, best_gain = 0;
	double hq = entropy2(nz->q), hf = entropy2(nz->f);
	int64_t pick = -1;
	uint32_t i;

	for (i = 0; i < dag->n; i++) {
		double fail, g, score;

		if (dag->flags[i] & (HV_NODE_TREESAME | HV_NODE_SKIP))
			continue;
		fail = m[i] * (1 - nz->q) + (1 - m[i]) * nz->f;
		g = entropy2(fail) - m[i] * hq - (1 - m[i]) * hf;
		score = g / (tested && tested[i] ? cost->retest : cost->fresh);
		if (score > best) {
			best = score;
			best_gain = g;
			pick = i;
		}
	}
	free(m);
	if (gain)
		*gain = best_gain;
	return pick;
}
