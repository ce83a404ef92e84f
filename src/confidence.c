/*
 * confidence.c: a session whose results are weighed instead of believed
 * (`halve run --confidence`, issue 9), and the contradictions that make a
 * believed session name a wrong culprit.
 *
 * Results live in BISECT_LOG, so that git's replay and `git bisect log`
 * keep working: the marks git made or understands (each with its "# TERM:
 * [HEX]" note) are results, and under --confidence a result is kept as
 * "# halve observed TERM HEX TIME" instead of a mark, since a second,
 * contrary result for a commit is no mark git can hold. git's refs stay
 * those of the range until the search ends; then "# halve answer: ..."
 * and the marks that state the answer to git (bad culprit, good parents)
 * are written, so that `git bisect replay` of the log names the same
 * commit. Those marks observed nothing and are not read as results.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "noisy.h"
#include "sessionint.h"
#include "util.h"
#include "verdict.h"

/*
 * What the log says for a weighed search, read in one pass: the results
 * in log order (nstart of them came with the start range: the user's
 * word, not a run), the target P (0: results are believed), and whether
 * an answer was stated since the last result.
 */
struct reading {
	struct hv_observation *obs;
	size_t n, nstart;
	double target;
	int answered;
	int stopped;		/* the last answer: the run budget was spent */
};

/* How a stop at the run budget ends its answer line (read back to tell
 * it from an answer at P: it changed none of git's refs). */
#define BUDGET_NOTE "(stopped at the run budget)"

static int
is_budget_answer(const char *text, const struct hv_log_line *l)
{
	size_t n = strlen(BUDGET_NOTE);

	return l->len >= n && !strncmp(text + l->off + l->len - n,
				       BUDGET_NOTE, n);
}

static void
read_log(const struct hv_session *s, struct reading *r)
{
	struct hv_log log;
	size_t i, alloc = 0;
	int started = 0;

	memset(r, 0, sizeof(*r));
	hv_log_parse(s->st.log.buf, &log);
	for (i = 0; i < log.n; i++) {
		const struct hv_log_line *l = &log.lines[i];
		struct hv_observation *o;

		if (l->kind == HV_LOG_CONFIDENCE)
			r->target = l->confidence;
		if (l->kind == HV_LOG_ANSWER) {
			r->stopped = is_budget_answer(s->st.log.buf, l);
			r->answered = !r->stopped;
		}
		if (l->kind == HV_LOG_COMMAND && !hv_log_is(l, "terms"))
			started = 1;
		if (l->kind == HV_LOG_OBSERVED)
			r->answered = r->stopped = 0;
		if ((l->kind != HV_LOG_NOTE || r->answered) &&
		    l->kind != HV_LOG_OBSERVED)
			continue;
		if (strcmp(l->term, s->st.term_bad) &&
		    strcmp(l->term, s->st.term_good))
			continue;	/* skip: no result */
		HV_GROW(r->obs, r->n + 1, alloc);
		o = &r->obs[r->n++];
		o->oid = l->oid;
		o->bad = !strcmp(l->term, s->st.term_bad);
		o->when = l->kind == HV_LOG_OBSERVED ? l->when : 0;
		if (!started)
			r->nstart = r->n;
	}
	hv_log_release(&log);
}

double
hv_session_confidence(const struct hv_session *s)
{
	struct reading r;

	if (!s->st.active)
		return 0;
	read_log(s, &r);
	free(r.obs);
	return r.target;
}

void
hv_session_observations(const struct hv_session *s,
			struct hv_observation **out, size_t *n)
{
	struct reading r;

	read_log(s, &r);
	*out = r.obs;
	*n = r.n;
}

int
hv_session_set_confidence(struct hv_session *s, double p,
			  struct hv_error *err)
{
	int rc = 0;

	if (!(p > 0 && p < 1))
		return hv_error_set(err, "confidence: %g: not between 0 and 1",
				    p);
	if (begin_change(s, 0, err) < 0)
		return -1;
	if (!s->st.active)
		rc = hv_error_set(err, "confidence: no bisection in progress");
	else if (hv_session_confidence(s) != p) {
		hv_log_add_confidence(&s->st.log, p);
		rc = hv_state_write_log(s->repo, &s->st, err);
	}
	end_change(s);
	return rc;
}

int
confidence_observe(struct hv_session *s, const char *term,
		   const struct hv_oid *oids, size_t n, int64_t when,
		   struct hv_error *err)
{
	int64_t now = when ? when : (int64_t)time(NULL);
	size_t i;

	for (i = 0; i < n; i++) {
		char hex[41];

		hv_oid_fmt(hex, &oids[i]);
		hv_log_add_observed(&s->st.log, term, hex, now);
	}
	return hv_state_write_log(s->repo, &s->st, err);
}

/* The results as the search takes them: per node of dag, and the runs
 * since the start on how many commits. */
struct tally {
	struct hv_noisy_obs *obs;
	size_t nobs;
	uint8_t *tested;
	uint32_t runs, commits;
	double target;		/* the log's P */
	int answered;		/* an answer stated since the last result */
	int stopped;		/* a stop at the run budget, the same */
};

static void
tally_results(const struct hv_session *s, const struct hv_dag *dag,
	      struct tally *t)
{
	struct reading r;
	struct hv_observation *o;
	size_t n, nstart, i;
	uint32_t *slot = xmalloc(dag->n * sizeof(*slot));

	memset(t, 0, sizeof(*t));
	read_log(s, &r);
	o = r.obs;
	n = r.n;
	nstart = r.nstart;
	t->target = r.target;
	t->answered = r.answered;
	t->stopped = r.stopped;
	t->obs = xcalloc(n + 1, sizeof(*t->obs));
	t->tested = xcalloc(dag->n ? dag->n : 1, 1);
	for (i = 0; i < dag->n; i++)
		slot[i] = UINT32_MAX;
	for (i = 0; i < n; i++) {
		int64_t k = hv_dag_find(dag, &o[i].oid);
		struct hv_noisy_obs *ob;

		if (k < 0 && o[i].bad)
			continue;	/* outside the range: bad under all */
		if (k < 0) {
			ob = &t->obs[t->nobs++];
			ob->node = HV_NOISY_BELOW;
		} else {
			if (slot[k] == UINT32_MAX) {
				slot[k] = (uint32_t)t->nobs++;
				t->obs[slot[k]].node = (uint32_t)k;
			}
			ob = &t->obs[slot[k]];
			if (i >= nstart && !t->tested[k]) {
				t->tested[k] = 1;
				t->commits++;
			}
		}
		if (o[i].bad)
			ob->fails++;
		else
			ob->passes++;
		t->runs += i >= nstart;
	}
	free(slot);
	free(o);
}

static void
tally_release(struct tally *t)
{
	free(t->obs);
	free(t->tested);
}

/*
 * What one more run costs, from this session's own steps (the pipeline's
 * verdict files): a new commit is built, booted and tested, one already
 * run is booted and tested again. A run CMD session has no stages: all
 * runs cost the same.
 */
static void
measured_cost(struct hv_session *s, const struct hv_dag *dag,
	      const struct tally *t, struct hv_noisy_cost *cost)
{
	double build = 0, rest = 0;
	uint32_t i, n = 0;

	cost->retest = cost->fresh = 1;
	for (i = 0; i < dag->n; i++) {
		struct hv_verdict v;

		if (!t->tested[i])
			continue;
		hv_verdict_init(&v);
		if (hv_verdict_read(s->repo, &dag->oid[i], &v, NULL) == 1 &&
		    v.build_ms >= 0) {
			build += v.build_ms;
			rest += (v.boot_ms > 0 ? v.boot_ms : 0) +
				(v.test_ms > 0 ? v.test_ms : 0);
			n++;
		}
		hv_verdict_release(&v);
	}
	if (n && rest > 0) {
		cost->retest = rest / n;
		cost->fresh = (build + rest) / n;
	}
}

void
hv_session_set_max_runs(struct hv_session *s, uint32_t n)
{
	s->budgeted = 1;
	s->max_runs = n;
}

/*
 * Whether the search stops short of P: a budget set here is spent (runs
 * since the start, so a larger one goes on where a smaller stopped);
 * without one (next, status), a stop at a budget stands until a new
 * result comes.
 */
static int
over_budget(const struct hv_session *s, const struct hv_dag *dag,
	    const struct tally *t)
{
	uint32_t limit;

	if (!s->budgeted)
		return t->stopped;
	limit = s->max_runs != HV_RUNS_DEFAULT ? s->max_runs
		: hv_noisy_budget(dag->n, t->target);
	return t->runs >= limit;
}

/* BAD's own results: how often it was run and passed. */
static void
bad_results(const struct hv_dag *dag, const struct tally *t,
	    struct hv_step *step)
{
	size_t i;

	step->bad_runs = step->bad_passes = 0;
	for (i = 0; i < t->nobs; i++)
		if (t->obs[i].node == dag->n - 1) {
			step->bad_runs = t->obs[i].fails + t->obs[i].passes;
			step->bad_passes = t->obs[i].passes;
		}
}

/*
 * The budget is spent before P: the likeliest answer, said to be only
 * that in the log, and no mark for git (its refs claim nothing).
 */
static int
stop_at_budget(struct hv_session *s, const struct hv_dag *dag,
	       const struct hv_noisy *nz, const struct tally *t, int write,
	       struct hv_step *step, struct hv_error *err)
{
	char hex[41];

	step->outcome = HV_STEP_BUDGET;
	step->none_likeliest = nz->best < 0;
	step->current = dag->oid[nz->best < 0 ? dag->n - 1 : nz->best];
	bad_results(dag, t, step);
	if (!write || t->stopped)
		return 0;
	hv_oid_fmt(hex, &step->current);
	if (nz->best < 0)
		hv_log_add_answer(&s->st.log, "likeliest no culprit: %s passed "
				  "%u of %u runs, at confidence %.3f after %u "
				  "runs on %u commits " BUDGET_NOTE, hex,
				  step->bad_passes, step->bad_runs, nz->best_p,
				  t->runs, t->commits);
	else
		hv_log_add_answer(&s->st.log, "likeliest %s at confidence "
				  "%.3f after %u runs on %u commits "
				  BUDGET_NOTE, hex, nz->best_p, t->runs,
				  t->commits);
	return hv_state_write_log(s->repo, &s->st, err);
}

/*
 * The answer, stated to git as marks when the culprit lies in git's range
 * (it does unless marks made before --confidence contradict it): bad
 * culprit, good every parent in the range.
 */
static int
state_answer(struct hv_session *s, const struct hv_dag *dag, uint32_t c,
	     struct hv_error *err)
{
	struct hv_dag *now = NULL;
	uint32_t p;
	int inside;

	if (!s->st.have_bad) {
		inside = 1;	/* a descent's side not marked yet */
	} else {
		if (hv_session_range(s, &s->st.bad, s->st.goods,
				     s->st.ngoods, &now, err) < 0)
			return -1;
		inside = hv_dag_find(now, &dag->oid[c]) >= 0;
		hv_dag_free(now);
	}
	if (!inside)
		return 0;
	if (hv_state_write_mark(s->repo, &s->st, s->st.term_bad, &dag->oid[c],
				err) < 0)
		return -1;
	hv_state_log_mark(s->repo, &s->st, s->st.term_bad, &dag->oid[c], 0);
	for (p = 0; p < hv_dag_nparents(dag, c); p++) {
		const struct hv_oid *par = &dag->oid[hv_dag_parents(dag, c)[p]];

		if (hv_state_write_mark(s->repo, &s->st, s->st.term_good, par,
					err) < 0)
			return -1;
		hv_state_log_mark(s->repo, &s->st, s->st.term_good, par, 0);
	}
	return 0;
}

static int
finish_weighed(struct hv_session *s, const struct hv_dag *dag,
	       const struct hv_noisy *nz, const struct tally *t, int write,
	       struct hv_step *step, struct hv_error *err)
{
	char hex[41], *subject;

	if (nz->best < 0 && s->depth) {
		/* the merged side is good: the merge itself is the culprit */
		step->outcome = HV_STEP_COMBINATION;
		step->merge = s->frames[s->depth - 1].merge;
		step->current = s->frames[s->depth - 1].side;
		return 0;
	}
	if (nz->best < 0) {
		step->outcome = HV_STEP_NO_CULPRIT;
		step->current = dag->oid[dag->n - 1];
		bad_results(dag, t, step);
		if (!write || t->answered)
			return 0;
		hv_oid_fmt(hex, &step->current);
		hv_log_add_answer(&s->st.log, "no culprit: %s passed %u of %u "
				  "runs", hex, step->bad_passes,
				  step->bad_runs);
		return hv_state_write_log(s->repo, &s->st, err);
	}
	step->outcome = HV_STEP_FOUND;
	step->current = dag->oid[nz->best];
	if (!write)
		return 0;
	hv_oid_fmt(hex, &step->current);
	if (t->answered && !hv_oid_cmp(&s->st.bad, &step->current))
		return 0;
	/* the answer line, the refs and their lines, all or nothing: a
	 * halve killed part way is rolled back, and the next states it */
	if (journal_begin(s, err) < 0)
		return -1;
	if (!t->answered)
		hv_log_add_answer(&s->st.log, "%s at confidence %.3f after %u "
				  "runs on %u commits", hex, nz->best_p, t->runs,
				  t->commits);
	if (hv_oid_cmp(&s->st.bad, &step->current) &&
	    state_answer(s, dag, (uint32_t)nz->best, err) < 0)
		goto undo;
	subject = hv_repo_subject(s->repo, &step->current);
	hv_log_add_found(&s->st.log, s->st.term_bad, hex, subject);
	free(subject);
	if (hv_state_write_log(s->repo, &s->st, err) < 0)
		goto undo;
	journal_commit(s);
	return 0;
undo:
	if (journal_rollback(s, NULL) == 0)
		hv_session_reload(s, NULL);
	return -1;
}

static void remember(struct hv_session *s, const struct hv_dag *dag,
		     const struct hv_noisy *nz);
static const struct hv_candidates *weighed_now(struct hv_session *s,
					       struct hv_error *err);

/*
 * The start range (the range as marked, when marks were taken back past
 * it) with the skips, the results tallied on it, and the posterior (kept
 * for hv_session_candidates()).
 */
static int
weigh(struct hv_session *s, struct hv_dag **dag, struct tally *t,
      struct hv_noisy *nz, struct hv_error *err)
{
	struct hv_noisy_prior prior;
	struct hv_oid bad, *goods;
	size_t ngoods, i;
	int have_bad, rc;

	hv_session_start_range(s, &bad, &have_bad, &goods, &ngoods);
	if (s->depth) {
		/* inside a merge: the merged side is the top, merge^1 the
		 * bottom, and "none" is the two sides' combination */
		bad = s->frames[s->depth - 1].side;
		have_bad = 1;
	}
	if (!have_bad || !ngoods) {	/* marks taken back since */
		bad = s->st.bad;
		free(goods);
		goods = xmalloc((s->st.ngoods ? s->st.ngoods : 1) *
				sizeof(*goods));
		memcpy(goods, s->st.goods, s->st.ngoods * sizeof(*goods));
		ngoods = s->st.ngoods;
	}
	rc = hv_session_range(s, &bad, goods, ngoods, dag, err);
	free(goods);
	if (rc < 0)
		return -1;
	for (i = 0; i < s->st.nskips; i++) {
		int64_t k = hv_dag_find(*dag, &s->st.skips[i]);

		if (k >= 0)
			(*dag)->flags[k] |= HV_NODE_SKIP;
	}
	hv_noisy_prior_default(&prior);
	tally_results(s, *dag, t);
	if (hv_noisy_posterior(*dag, t->obs, t->nobs, &prior, nz) < 0) {
		tally_release(t);
		hv_dag_free(*dag);
		return hv_error_set(err, "next: no testable commit found (does "
				    "the pathspec match anything in the "
				    "range?)");
	}
	remember(s, *dag, nz);
	return 0;
}

int
confidence_rates(struct hv_session *s, double *q, double *f,
		 struct hv_error *err)
{
	const struct hv_candidates *c = weighed_now(s, err);

	if (!c)
		return -1;
	*q = c->q;
	*f = c->f;
	return 0;
}

int
confidence_next(struct hv_session *s, int checkout, struct hv_step *step,
		struct hv_error *err)
{
	struct hv_noisy_cost cost;
	struct hv_dag *dag = NULL;
	struct hv_noisy nz;
	struct tally t;
	int rc;
	int64_t x;

	if (weigh(s, &dag, &t, &nz, err) < 0)
		return -1;
	measured_cost(s, dag, &t, &cost);
	step->weighed = 1;
	step->confidence = nz.best_p;
	step->runs = t.runs;
	step->commits = t.commits;
	step->all = dag->n;
	if (nz.best_p >= t.target) {
		rc = finish_weighed(s, dag, &nz, &t, checkout, step, err);
	} else if (over_budget(s, dag, &t)) {
		rc = stop_at_budget(s, dag, &nz, &t, checkout, step, err);
	} else if ((x = hv_noisy_pick(dag, &nz, t.tested, &cost, NULL)) < 0) {
		rc = hv_error_set(err, "next: every commit left is skipped "
				  "(confidence %.3f)", nz.best_p);
	} else {
		step->outcome = HV_STEP_TEST;
		step->current = dag->oid[x];
		rc = 1;
	}
	hv_noisy_release(&nz);
	tally_release(&t);
	hv_dag_free(dag);
	if (rc == 1)
		return session_go_to(s, &step->current, checkout, err);
	return rc;
}

/*
 * A believed session goes wrong when a commit marked bad is an ancestor
 * of (or is) one marked good that BAD contains: git then reports a bug
 * fixed in between, or that a commit was both. Said as what it is,
 * naming both, unless it is the start range itself (git's "mistook good
 * and bad").
 */
int
confidence_contradiction(struct hv_session *s, struct hv_step *step)
{
	struct hv_oid sbad, *sgoods;
	size_t nsgoods, i;
	int have, found = 0;

	if (!s->st.have_bad)
		return 0;
	hv_session_start_range(s, &sbad, &have, &sgoods, &nsgoods);
	for (i = 0; i < s->st.ngoods && !found; i++) {
		const struct hv_oid *g = &s->st.goods[i];

		if (have && !hv_oid_cmp(&sbad, &s->st.bad) &&
		    hv_oid_in(g, sgoods, nsgoods))
			continue;
		/* a good commit off BAD's history over a bad merge base is
		 * git's "fixed in between", not a contradiction */
		if (hv_repo_is_ancestor(s->repo, &s->st.bad, g) == 1 &&
		    (!have || hv_repo_is_ancestor(s->repo, g, &sbad) == 1)) {
			step->outcome = HV_STEP_CONTRADICTION;
			step->current = s->st.bad;
			step->other = *g;
			found = 1;
		}
	}
	free(sgoods);
	return found;
}

/*
 * The likeliest answers (hv_session_candidates()). A face asks on every
 * redraw, and the step has just weighed the same results: the top of
 * the last posterior is kept with the log it came from (the range, the
 * skips and every result are in the log) and the depth, and served as
 * long as both are the same.
 */
struct weighed_cache {
	char *log;
	size_t depth;
	struct hv_candidates c;	/* the top HV_CANDIDATES_MAX */
};

void
hv_candidates_release(struct hv_candidates *c)
{
	free(c->top);
	memset(c, 0, sizeof(*c));
}

void
confidence_forget(struct hv_session *s)
{
	if (!s->weighed)
		return;
	free(s->weighed->log);
	hv_candidates_release(&s->weighed->c);
	free(s->weighed);
	s->weighed = NULL;
}

/* Puts oid with probability p into top (n of max entries, likeliest
 * first), if it ranks; ties keep the order they came in. */
static void
top_insert(struct hv_candidate *top, size_t *n, size_t max,
	   const struct hv_oid *oid, double p)
{
	size_t j = *n < max ? (*n)++ : max;

	if (j == max && (!max || top[max - 1].p >= p))
		return;
	if (j == max)
		j--;
	while (j > 0 && top[j - 1].p < p) {
		top[j] = top[j - 1];
		j--;
	}
	top[j].oid = *oid;
	top[j].p = p;
}

static void
remember(struct hv_session *s, const struct hv_dag *dag,
	 const struct hv_noisy *nz)
{
	struct weighed_cache *w;
	uint32_t i;

	confidence_forget(s);
	w = s->weighed = xcalloc(1, sizeof(*w));
	w->log = xstrdup(s->st.log.buf ? s->st.log.buf : "");
	w->depth = s->depth;
	w->c.weighed = 1;
	w->c.top = xcalloc(HV_CANDIDATES_MAX, sizeof(*w->c.top));
	/* newest first, so that equal chances list the newer commit first */
	for (i = dag->n; i-- > 0;) {
		if (dag->flags[i] & HV_NODE_TREESAME)
			continue;
		w->c.left++;
		if (nz->post[i] > 0)
			top_insert(w->c.top, &w->c.n, HV_CANDIDATES_MAX,
				   &dag->oid[i], nz->post[i]);
	}
	w->c.none = nz->none;
	w->c.q = nz->q;
	w->c.f = nz->f;
}

static int
remembered(const struct hv_session *s)
{
	return s->weighed && s->weighed->depth == s->depth &&
	       !strcmp(s->weighed->log, s->st.log.buf ? s->st.log.buf : "");
}

/* The top of the posterior of the results as they stand: the one kept,
 * else weighed now (and kept); NULL with err set. */
static const struct hv_candidates *
weighed_now(struct hv_session *s, struct hv_error *err)
{
	struct hv_dag *dag;
	struct hv_noisy nz;
	struct tally t;

	if (remembered(s))
		return &s->weighed->c;
	if (weigh(s, &dag, &t, &nz, err) < 0)
		return NULL;
	hv_noisy_release(&nz);
	tally_release(&t);
	hv_dag_free(dag);
	return &s->weighed->c;
}

/* Results believed: how many commits the marks leave, and which when
 * they are few. */
static int
believed_candidates(struct hv_session *s, size_t k, struct hv_candidates *out,
		    struct hv_error *err)
{
	struct hv_dag *dag;
	uint32_t i;

	if (hv_session_dag(s, &dag, err) < 0)
		return -1;
	for (i = 0; i < dag->n; i++)
		out->left += !(dag->flags[i] & HV_NODE_TREESAME);
	if (out->left <= k) {
		out->top = xcalloc(out->left ? out->left : 1,
				   sizeof(*out->top));
		for (i = dag->n; i-- > 0;)
			if (!(dag->flags[i] & HV_NODE_TREESAME))
				out->top[out->n++].oid = dag->oid[i];
	}
	hv_dag_free(dag);
	return 0;
}

int
hv_session_candidates(struct hv_session *s, size_t k,
		      struct hv_candidates *out, struct hv_error *err)
{
	const struct hv_candidates *c;
	size_t i;
	int weighed;

	memset(out, 0, sizeof(*out));
	if (!s->st.active)
		return hv_error_set(err, "candidates: not bisecting");
	weighed = hv_session_confidence(s) > 0;
	/* a weighed descent has its range before its side is marked */
	if ((!weighed || !s->depth) && (!s->st.have_bad || !s->st.ngoods))
		return hv_error_set(err, "candidates: no range yet (needs a "
				    "%s and a %s commit)", s->st.term_bad,
				    s->st.term_good);
	if (!weighed)
		return believed_candidates(s, k, out, err);
	if (!(c = weighed_now(s, err)))
		return -1;
	*out = *c;
	out->n = k < c->n ? k : c->n;
	out->top = xcalloc(out->n ? out->n : 1, sizeof(*out->top));
	out->others = 1 - c->none;
	for (i = 0; i < out->n; i++) {
		out->top[i] = c->top[i];
		out->others -= c->top[i].p;
	}
	if (out->others < 0)	/* rounding */
		out->others = 0;
	return 0;
}
