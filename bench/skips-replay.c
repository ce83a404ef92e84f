/*
 * skips-replay.c: the skip benchmark's bisections replayed in process,
 * for comparing choices of the next commit over hundreds of trials.
 *
 * bench/skips.sh runs `git bisect run` and `halve run` with an oracle
 * script, a few seconds a trial. This does what `halve run` does with
 * that oracle, without git or the session: it loads the range of a
 * repository that skips.sh generated (gen-history writes which commits
 * are untestable to .git/bench/commits), draws each trial's culprit the
 * way skips.sh does (the same hash of seed and trial number), and loops
 * hv_bisect_pick() on the range left, answering each pick as the oracle
 * would: skip when untestable, bad when the culprit is an ancestor, else
 * good. Its counts are skips.sh's halve counts, trial by trial, for the
 * hv_bisect_pick() it is linked with; a few milliseconds a trial.
 *
 * --know marks every untestable commit skipped before the first pick: a
 * bisector told in advance which commits cannot be tested (the bound the
 * discovery of untestable commits is measured against). --runs marks,
 * at each untestable pick, the whole run of consecutive (in date order)
 * untestable commits around it skipped: a bisector that pays one test for
 * each cluster it finds, never more (a bound on what a better guess of a
 * cluster's extent can save).
 *
 * It prints one line per trial: "trial<TAB>tests<TAB>result<TAB>left"
 * (result: ok, ambiguous when the culprit is among the skipped candidates
 * left, or WRONG; left: how many skipped candidates are left, which any
 * bisector has to try before it can answer: with --know, the tests to
 * add to its count for a bound), and the mean with its standard error to stderr. HALVE_TRACE=1
 * prints each pick to stderr. A bench tool, never part of halve.
 *
 * usage: skips-replay [--know|--runs] REPO testable|any SEED FIRST COUNT
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bisect.h"
#include "dag.h"
#include "graph.h"
#include "repo.h"
#include "util.h"

struct bench {
	struct hv_dag *full;	/* good..bad, bad last */
	uint8_t *untestable;	/* per node of full */
	uint32_t *culprits;	/* nodes a culprit is drawn from */
	size_t nculprits;
};

/* The culprit of a trial: skips.sh's 32-bit hash of seed and trial. */
static uint32_t
draw(const struct bench *b, unsigned long seed, unsigned long trial)
{
	uint64_t h = (seed * 40503 + trial * 2654435761u) & 4294967295u;

	h = ((h ^ (h >> 16)) * 73244475) & 4294967295u;
	h = ((h ^ (h >> 16)) * 73244475) & 4294967295u;
	return b->culprits[(h ^ (h >> 16)) % b->nculprits];
}

/* Reads .git/bench/commits: "sha index kind untestable" per commit. */
static int
load_commits(struct bench *b, const char *dir, int testable_only)
{
	char *path = xasprintf("%s/.git/bench/commits", dir);
	FILE *f = fopen(path, "r");
	char sha[64], kind[8];
	unsigned idx, un;

	free(path);
	if (!f)
		return -1;
	b->untestable = xcalloc(b->full->n, 1);
	b->culprits = xmalloc(b->full->n * sizeof(*b->culprits));
	while (fscanf(f, "%63s %u %7s %u", sha, &idx, kind, &un) == 4) {
		struct hv_oid o;
		int64_t k;

		if (hv_oid_parse(&o, sha) < 0 || (k = hv_dag_find(b->full, &o)) < 0)
			continue;	/* the base: not in good..bad */
		b->untestable[k] = un != 0;
		if (strcmp(kind, "b") && !(testable_only && un))
			b->culprits[b->nculprits++] = (uint32_t)k;
	}
	fclose(f);
	return b->nculprits ? 0 : -1;
}

/* Marks the nodes of full that reach culprit c (c included). */
static uint8_t *
descendants(const struct hv_dag *full, uint32_t c)
{
	uint8_t *d = xcalloc(full->n, 1);
	uint32_t i, p;

	d[c] = 1;
	for (i = c + 1; i < full->n; i++)
		for (p = 0; p < hv_dag_nparents(full, i) && !d[i]; p++)
			d[i] = d[hv_dag_parents(full, i)[p]];
	return d;
}

/*
 * Whether the culprit is bad itself or one of the skipped nodes of sub;
 * *left: the skipped nodes left, each of which any bisector must have
 * tried to give this answer.
 */
static const char *
verdict(const struct bench *b, const struct hv_dag *sub, const struct hv_pick *pk,
	uint32_t culprit, int *left)
{
	uint32_t k;

	for (k = 0; k < sub->n; k++)
		*left += (sub->flags[k] & HV_NODE_SKIP) != 0;

	if (hv_dag_find(b->full, &sub->oid[sub->n - 1]) == culprit)
		return "ok";
	if (!pk->only_skipped)
		return "WRONG";
	for (k = 0; k < sub->n; k++)
		if ((sub->flags[k] & HV_NODE_SKIP) &&
		    hv_dag_find(b->full, &sub->oid[k]) == culprit)
			return "ambiguous";
	return "WRONG";
}

/* Marks skipped the run of untestable nodes of full around x. */
static void
skip_run(struct bench *b, uint32_t x)
{
	uint32_t i;

	for (i = x; i < b->full->n && b->untestable[i]; i++)
		b->full->flags[i] |= HV_NODE_SKIP;
	for (i = x; i-- > 0 && b->untestable[i];)
		b->full->flags[i] |= HV_NODE_SKIP;
}

enum mode { PLAIN, KNOW, RUNS };

/*
 * One bisection; returns the number of tests, *result its answer, *left
 * the skipped candidates left at the end.
 */
static int
trial(struct bench *b, uint32_t culprit, enum mode mode, const char **result,
      int *left)
{
	struct hv_dag *full = b->full;
	uint8_t *bad = descendants(full, culprit);
	uint32_t *goods = xmalloc(full->n * sizeof(*goods)), ngoods = 0;
	uint32_t top = full->n - 1, i;
	int tests = 0, trace = getenv("HALVE_TRACE") != NULL;

	for (i = 0; i < full->n; i++) {
		full->flags[i] &= ~HV_NODE_SKIP;
		if (mode == KNOW && b->untestable[i])
			full->flags[i] |= HV_NODE_SKIP;
	}
	for (;;) {
		struct hv_dag *sub = hv_dag_restrict(full, top, goods, ngoods);
		struct hv_pick pk;
		int64_t x;

		hv_bisect_pick(sub, &pk);
		if (pk.best == (int64_t)sub->n - 1) {
			*result = verdict(b, sub, &pk, culprit, left);
			hv_dag_free(sub);
			break;
		}
		x = hv_dag_find(full, &sub->oid[pk.best]);
		tests++;
		if (trace)
			fprintf(stderr, "n=%u pick=%lld (range pos %lld) w=%u -> %s\n",
				pk.all, (long long)x, (long long)pk.best, pk.reaches,
				b->untestable[x] ? "skip" : bad[x] ? "bad" : "good");
		hv_dag_free(sub);
		if (b->untestable[x] && mode == RUNS)
			skip_run(b, (uint32_t)x);
		else if (b->untestable[x])
			full->flags[x] |= HV_NODE_SKIP;
		else if (bad[x])
			top = (uint32_t)x;
		else
			goods[ngoods++] = (uint32_t)x;
	}
	free(goods);
	free(bad);
	return tests;
}

int
main(int argc, char **argv)
{
	struct bench b = { 0 };
	struct hv_repo *repo;
	struct hv_error err = { 0 };
	struct hv_oid bad, good;
	struct hv_graph_opts opts = { 0 };
	unsigned long seed, first, count, t;
	double sum = 0, sum2 = 0;
	enum mode mode = PLAIN;

	if (argc > 1 && !strcmp(argv[1], "--know"))
		mode = KNOW;
	else if (argc > 1 && !strcmp(argv[1], "--runs"))
		mode = RUNS;
	argv += mode != PLAIN;
	argc -= mode != PLAIN;
	if (argc != 6 || (strcmp(argv[2], "testable") && strcmp(argv[2], "any"))) {
		fprintf(stderr, "usage: skips-replay [--know|--runs] REPO testable|any SEED FIRST COUNT\n");
		return 2;
	}
	seed = strtoul(argv[3], NULL, 10);
	first = strtoul(argv[4], NULL, 10);
	count = strtoul(argv[5], NULL, 10);
	if (hv_repo_open(argv[1], &repo, &err) < 0 ||
	    hv_repo_resolve(repo, "bad", &bad, &err) < 0 ||
	    hv_repo_resolve(repo, "good", &good, &err) < 0 ||
	    hv_graph_load(repo, &bad, &good, 1, &opts, &b.full, &err) < 0) {
		fprintf(stderr, "skips-replay: %s\n", err.msg);
		return 1;
	}
	if (load_commits(&b, argv[1], !strcmp(argv[2], "testable")) < 0) {
		fprintf(stderr, "skips-replay: %s: no .git/bench/commits from gen-history\n",
			argv[1]);
		return 1;
	}
	for (t = first; t < first + count; t++) {
		const char *result = "?";
		int left = 0, tests = trial(&b, draw(&b, seed, t), mode, &result, &left);

		printf("%lu\t%d\t%s\t%d\n", t, tests, result, left);
		sum += tests;
		sum2 += (double)tests * tests;
	}
	if (count > 1) {
		double m = sum / count;

		fprintf(stderr, "mean %.2f se %.2f\n", m,
			sqrt((sum2 - count * m * m) / (count - 1) / count));
	}
	hv_dag_free(b.full);
	hv_repo_free(repo);
	free(b.untestable);
	free(b.culprits);
	return 0;
}
