/*
 * test-graph-walk.c: the range walk taken in pieces (hv_graph_walk_*),
 * as the workstation takes it to draw the top of a huge range first.
 *
 * On random histories written by `git fast-import` (merges of up to
 * three parents, commits touching a/ or b/, and one history with clock
 * skew), for plain, --first-parent and pathspec walks:
 *   - running the walk in pieces of 1, 3 and 64 commits ends in the very
 *     DAG hv_graph_load() gives in one go (with and without a
 *     commit-graph);
 *   - a preview taken between pieces shows the same top rows as the
 *     finished walk, with the same edges between them, and every line
 *     going down from them leads to a commit the finished walk has as
 *     that parent or rules out.
 * And the commit-graph cache: a walk that read thousands of commits from
 * objects leaves one, the next walk reads it and finds the same DAG, a
 * range that outgrew it writes it again, and where grafts rewrite
 * history it is neither written nor read.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgraph.h"
#include "graph.h"
#include "repo.h"
#include "tap.h"

#define NCOMMITS 240

static char tmp[4096];

/*
 * Writes a history of NCOMMITS commits into dir/.git with fast-import:
 * commit k (mark k+1) has 1 to 3 parents among the 40 before it, dated
 * a minute apart (or, with skew, now and then an hour before its
 * parents), touching a/ or b/. Tags c0..c{N-1} name every commit.
 */
static int
make_history_n(const char *dir, unsigned seed, int skew, int ncommits)
{
	char *cmd;
	FILE *fi;
	int k, rc;

	cmd = xasprintf("rm -rf '%s' && git init -q '%s' && cd '%s' && "
			"git fast-import --quiet", dir, dir, dir);
	fi = popen(cmd, "w");
	free(cmd);
	if (!fi)
		return -1;
	srand(seed);
	for (k = 0; k < ncommits; k++) {
		long long date = 1500000000LL + 60LL * k;
		int np = k == 0 ? 0 : 1 + (rand() % 5 == 0) + (rand() % 17 == 0);
		int p, parents[3], n = 0;

		if (skew && k > 10 && rand() % 9 == 0)
			date -= 3600;
		for (p = 0; p < np; p++) {
			int cand = k - 1 - (p ? rand() % (k < 40 ? k : 40) : 0), q;

			for (q = 0; q < n && parents[q] != cand; q++)
				;
			if (cand >= 0 && q == n)
				parents[n++] = cand;
		}
		fprintf(fi, "commit refs/heads/main\nmark :%d\n"
			"committer T <t@example.com> %lld +0000\n"
			"data <<END\nc%d\nEND\n", k + 1, date, k);
		for (p = 0; p < n; p++)
			fprintf(fi, "%s :%d\n", p ? "merge" : "from", parents[p] + 1);
		fprintf(fi, "M 644 inline %s/f%d\ndata <<END\n%d\nEND\n",
			rand() % 3 ? "b" : "a", rand() % 4, k);
		fprintf(fi, "reset refs/tags/c%d\nfrom :%d\n\n", k, k + 1);
	}
	rc = pclose(fi);
	return rc == 0 ? 0 : -1;
}

static int
make_history(const char *dir, unsigned seed, int skew)
{
	return make_history_n(dir, seed, skew, NCOMMITS);
}

static int
same_dag(const struct hv_dag *a, const struct hv_dag *b)
{
	uint32_t i, k;

	if (a->n != b->n)
		return 0;
	for (i = 0; i < a->n; i++) {
		if (hv_oid_cmp(&a->oid[i], &b->oid[i]) ||
		    a->time[i] != b->time[i] || a->flags[i] != b->flags[i] ||
		    hv_dag_nparents(a, i) != hv_dag_nparents(b, i))
			return 0;
		for (k = 0; k < hv_dag_nparents(a, i); k++)
			if (hv_dag_parents(a, i)[k] != hv_dag_parents(b, i)[k])
				return 0;
	}
	return 1;
}

/* Does the finished DAG have the edge child -> parent? */
static int
has_edge(const struct hv_dag *d, int64_t child, int64_t parent)
{
	uint32_t k;

	for (k = 0; k < hv_dag_nparents(d, (uint32_t)child); k++)
		if (hv_dag_parents(d, (uint32_t)child)[k] == (uint32_t)parent)
			return 1;
	return 0;
}

/* The preview agrees with the finished DAG on its rows and their lines. */
static int
preview_agrees(const struct hv_dag *pv, size_t nrows, const struct hv_dag *full,
	       const char **why)
{
	size_t r;
	uint32_t k;

	if (nrows > full->n) {
		*why = "more rows than the finished walk";
		return 0;
	}
	for (r = 0; r < nrows; r++) {
		uint32_t pi = pv->n - 1 - (uint32_t)r, fi = full->n - 1 - (uint32_t)r;

		if (hv_oid_cmp(&pv->oid[pi], &full->oid[fi])) {
			*why = "a row differs";
			return 0;
		}
		for (k = 0; k < hv_dag_nparents(pv, pi); k++) {
			uint32_t par = hv_dag_parents(pv, pi)[k];
			int64_t fp = hv_dag_find(full, &pv->oid[par]);

			if (fp >= 0 && !has_edge(full, fi, fp)) {
				*why = "a line the finished walk does not draw";
				return 0;
			}
		}
		/* and every line of the finished walk between rows is there */
		for (k = 0; k < hv_dag_nparents(full, fi); k++) {
			uint32_t par = hv_dag_parents(full, fi)[k];
			int64_t pp = hv_dag_find(pv, &full->oid[par]);

			if (pp < 0 || !has_edge(pv, pi, pp)) {
				*why = "a line of the finished walk is missing";
				return 0;
			}
		}
	}
	/* below the rows only parentless stand-ins */
	for (r = 0; r + nrows < pv->n; r++)
		if (hv_dag_nparents(pv, (uint32_t)r)) {
			*why = "a stand-in below the rows has parents";
			return 0;
		}
	return 1;
}

static void
check_range(struct hv_repo *repo, const char *what, const struct hv_oid *bad,
	    const struct hv_oid *goods, size_t ngoods,
	    const struct hv_graph_opts *opts, int skew)
{
	static const size_t chunks[] = { 1, 3, 64 };
	struct hv_error err = HV_ERROR_INIT;
	struct hv_dag *full = NULL;
	size_t c;

	if (hv_graph_load(repo, bad, goods, ngoods, opts, &full, &err) < 0) {
		ok(0, "%s: loads (%s)", what, err.msg);
		hv_error_clear(&err);
		return;
	}
	for (c = 0; c < HV_ARRAY_SIZE(chunks); c++) {
		struct hv_graph_walk *wk;
		struct hv_dag *dag = NULL;
		int rc, previews_ok = 1, turns = 0;
		const char *why = "";

		if (hv_graph_walk_new(repo, bad, goods, ngoods, opts, &wk,
				      &err) < 0) {
			ok(0, "%s: walk starts (%s)", what, err.msg);
			hv_error_clear(&err);
			continue;
		}
		while ((rc = hv_graph_walk_run(wk, chunks[c], &err)) == 0) {
			size_t nrows, max = turns % 2 ? 7 : SIZE_MAX;
			struct hv_dag *pv = hv_graph_walk_preview(wk, max, &nrows);

			if (nrows > hv_graph_walk_rows(wk) ||
			    (max != SIZE_MAX && nrows > max))
				previews_ok = 0, why = "too many rows";
			else if (!skew && !preview_agrees(pv, nrows, full, &why))
				previews_ok = 0;
			hv_dag_free(pv);
			turns++;
		}
		ok(rc == 1 && hv_graph_walk_finish(wk, &dag, &err) == 0 &&
		   same_dag(dag, full),
		   "%s: in pieces of %zu (%d turns), the same DAG (%u nodes)",
		   what, chunks[c], turns, full->n);
		if (!skew)
			ok(previews_ok, "%s: in pieces of %zu, every preview "
			   "agrees with the finished walk%s%s", what, chunks[c],
			   previews_ok ? "" : ": ", why);
		hv_dag_free(dag);
		hv_graph_walk_free(wk);
		hv_error_clear(&err);
	}
	hv_dag_free(full);
}

static void
check_history(const char *dir, unsigned seed, int skew, int commit_graph)
{
	struct hv_error err = HV_ERROR_INIT;
	struct hv_repo *repo;
	struct hv_oid bad, goods[2];
	char *paths[] = { "a" };
	struct hv_graph_opts plain = { 0 }, fp = { 0 }, ps = { 0 };
	char name[64], what[128];
	int g0, g1;

	if (commit_graph) {
		char *cmd = xasprintf("cd '%s' && git commit-graph write "
				      "--reachable >/dev/null", dir);

		ok(system(cmd) == 0, "git commit-graph write");
		free(cmd);
	}
	if (hv_repo_open(dir, &repo, &err) < 0) {
		ok(0, "opens %s: %s", dir, err.msg);
		hv_error_clear(&err);
		return;
	}
	ok(commit_graph == (hv_repo_cgraph(repo) != NULL),
	   "the commit-graph is %s", commit_graph ? "read" : "absent");
	srand(seed * 7 + 1);
	g0 = 5 + rand() % 40;
	g1 = 60 + rand() % 80;
	snprintf(name, sizeof(name), "c%d", NCOMMITS - 1);
	hv_repo_resolve(repo, name, &bad, &err);
	snprintf(name, sizeof(name), "c%d", g0);
	hv_repo_resolve(repo, name, &goods[0], &err);
	snprintf(name, sizeof(name), "c%d", g1);
	hv_repo_resolve(repo, name, &goods[1], &err);
	fp.first_parent = 1;
	ps.paths = paths;
	ps.npaths = 1;
	snprintf(what, sizeof(what), "seed %u%s%s, c%d..tip", seed,
		 skew ? " (skew)" : "", commit_graph ? " (commit-graph)" : "",
		 g0);
	check_range(repo, what, &bad, goods, 1, &plain, skew);
	snprintf(what, sizeof(what), "seed %u%s%s, c%d,c%d..tip", seed,
		 skew ? " (skew)" : "", commit_graph ? " (commit-graph)" : "",
		 g0, g1);
	check_range(repo, what, &bad, goods, 2, &plain, skew);
	strcat(what, " --first-parent");
	check_range(repo, what, &bad, goods, 2, &fp, skew);
	snprintf(what, sizeof(what), "seed %u%s%s, c%d..tip -- a", seed,
		 skew ? " (skew)" : "", commit_graph ? " (commit-graph)" : "",
		 g0);
	check_range(repo, what, &bad, goods, 1, &ps, skew);
	check_range(repo, "the whole history (no good)", &bad, NULL, 0, &plain,
		    skew);
	hv_repo_free(repo);
}

/* Loads tip..c3 on a repository opened afresh; says where it read from. */
static struct hv_dag *
load_fresh(const char *dir, const char *tip, int first_parent, int *cached,
	   uint32_t *cached_count)
{
	struct hv_error err = HV_ERROR_INIT;
	struct hv_graph_opts opts = { 0 };
	struct hv_repo *repo;
	struct hv_oid bad, good;
	struct hv_dag *dag = NULL;

	opts.first_parent = first_parent;
	if (hv_repo_open(dir, &repo, &err) < 0) {
		hv_error_clear(&err);
		return NULL;
	}
	*cached = hv_repo_cgraph(repo) != NULL && repo->cg_is_cache;
	*cached_count = *cached ? hv_cgraph_count(repo->cg) : 0;
	if (hv_repo_resolve(repo, tip, &bad, &err) < 0 ||
	    hv_repo_resolve(repo, "c3", &good, &err) < 0 ||
	    hv_graph_load(repo, &bad, &good, 1, &opts, &dag, &err) < 0)
		printf("# %s\n", err.msg);
	hv_error_clear(&err);
	hv_repo_free(repo);
	return dag;
}

/* "c10 c5\n" in ids: a graft that cuts c6..c9 out of c10's history. */
static char *
graft_line(const char *dir)
{
	struct hv_error err = HV_ERROR_INIT;
	struct hv_repo *repo;
	struct hv_oid a, b;
	char ha[41], hb[41];
	char *line = NULL;

	if (hv_repo_open(dir, &repo, &err) < 0) {
		hv_error_clear(&err);
		return NULL;
	}
	if (hv_repo_resolve(repo, "c10", &a, &err) == 0 &&
	    hv_repo_resolve(repo, "c5", &b, &err) == 0) {
		hv_oid_fmt(ha, &a);
		hv_oid_fmt(hb, &b);
		line = xasprintf("%s %s\n", ha, hb);
	}
	hv_error_clear(&err);
	hv_repo_free(repo);
	return line;
}

static void
check_cache(const char *dir)
{
	char *cache = xasprintf("%s/.git/halve/commit-graph", dir);
	char *grafts = xasprintf("%s/.git/info/grafts", dir);
	struct hv_dag *first, *again, *fp_first, *fp_again, *longer;
	uint32_t count, count2;
	char *graft = NULL;
	int cached;

	if (make_history_n(dir, 5, 0, 12000) < 0) {
		ok(0, "git fast-import (12000 commits)");
		goto out;
	}
	first = load_fresh(dir, "c5999", 0, &cached, &count);
	ok(first && !cached, "cache: the first walk reads objects");
	ok(hv_file_exists(cache), "cache: and leaves .git/halve/commit-graph");
	again = load_fresh(dir, "c5999", 0, &cached, &count);
	ok(cached && count >= 5996, "cache: the next walk reads it (%u "
	   "commits)", count);
	ok(first && again && same_dag(first, again),
	   "cache: and finds the same DAG (%u nodes)", first ? first->n : 0);
	fp_first = load_fresh(dir, "c5999", 1, &cached, &count);
	unlink(cache);
	fp_again = load_fresh(dir, "c5999", 1, &cached, &count);
	ok(fp_first && fp_again && same_dag(fp_first, fp_again),
	   "cache: --first-parent finds the same DAG with and without it");
	hv_dag_free(load_fresh(dir, "c5999", 0, &cached, &count));
	longer = load_fresh(dir, "c11999", 0, &cached, &count);
	hv_dag_free(load_fresh(dir, "c11999", 0, &cached, &count2));
	ok(longer && cached && count2 > count + 5000,
	   "cache: a range that outgrew it writes it again (%u, then %u "
	   "commits)", count, count2);
	hv_dag_free(longer);

	/* grafts: git reads no commit-graph, nor may halve */
	graft = graft_line(dir);
	if (graft && hv_write_file_atomic(grafts, graft, strlen(graft),
					  NULL) == 0) {
		struct hv_dag *g1, *g2;

		unlink(cache);
		g1 = load_fresh(dir, "c5999", 0, &cached, &count);
		ok(g1 && !hv_file_exists(cache),
		   "cache: not written where grafts apply");
		hv_dag_free(load_fresh(dir, "c5999", 0, &cached, &count));
		unlink(grafts);
		g2 = load_fresh(dir, "c5999", 0, &cached, &count);
		ok(hv_file_exists(cache), "cache: written once they are gone");
		hv_write_file_atomic(grafts, graft, strlen(graft), NULL);
		hv_dag_free(load_fresh(dir, "c5999", 0, &cached, &count));
		ok(!cached, "cache: not read where grafts apply");
		unlink(grafts);
		hv_dag_free(g1);
		hv_dag_free(g2);
	}
	hv_dag_free(first);
	hv_dag_free(again);
	hv_dag_free(fp_first);
	hv_dag_free(fp_again);
out:
	free(graft);
	free(cache);
	free(grafts);
}

int
main(void)
{
	const char *t = getenv("TMPDIR");
	char *dir;
	unsigned seed;

	snprintf(tmp, sizeof(tmp), "%s/halve-graph-walk.XXXXXX", t ? t : "/tmp");
	if (!mkdtemp(tmp)) {
		perror("mkdtemp");
		return 1;
	}
	git_libgit2_init();
	dir = xasprintf("%s/repo", tmp);
	for (seed = 1; seed <= 3; seed++) {
		if (make_history(dir, seed, 0) < 0) {
			ok(0, "git fast-import (seed %u)", seed);
			continue;
		}
		check_history(dir, seed, 0, 0);
		check_history(dir, seed, 0, 1);
	}
	if (make_history(dir, 9, 1) == 0) {
		check_history(dir, 9, 1, 0);
		check_history(dir, 9, 1, 1);
	} else {
		ok(0, "git fast-import (skew)");
	}
	check_cache(dir);
	free(dir);
	dir = xasprintf("rm -rf '%s'", tmp);
	if (system(dir) != 0)
		printf("# could not remove %s\n", tmp);
	free(dir);
	git_libgit2_shutdown();
	return done_testing();
}
