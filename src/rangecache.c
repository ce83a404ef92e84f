/*
 * rangecache.c: the session's range cache (sessionint.h): the last range
 * walked, from which later, smaller ranges are cut in O(n). The faces see
 * hv_session_range(), _cached() and _keep() (session.h).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "sessionint.h"

void
range_cache_clear(struct hv_range_cache *rc)
{
	hv_dag_free(rc->dag);
	free(rc->bottoms);
	free(rc->paths);
	memset(rc, 0, sizeof(*rc));
}

/*
 * The cached range serves (top, bottoms) when top is in it, every bottom
 * is in it or bounds it too, and every bound of it is among the bottoms
 * (a range with fewer bounds, the history after a reset or an undone
 * good, reaches below the cache): then the answer is the cached DAG cut
 * down to top's ancestors that the bottoms inside it do not reach.
 */
static struct hv_dag *
range_from_cache(struct hv_session *s, const struct hv_oid *top,
		 const struct hv_oid *bottoms, size_t n, const char *paths)
{
	struct hv_range_cache *rc = &s->range;
	uint32_t *hide;
	size_t i, nhide = 0;
	int64_t t;
	struct hv_dag *dag = NULL;

	if (!rc->dag || rc->first_parent != s->st.first_parent ||
	    strcmp(rc->paths, paths))
		return NULL;
	t = hv_dag_find(rc->dag, top);
	if (t < 0)
		return NULL;
	for (i = 0; i < rc->nbottoms; i++)
		if (!hv_oid_in(&rc->bottoms[i], bottoms, n))
			return NULL;
	hide = xcalloc(n ? n : 1, sizeof(*hide));
	for (i = 0; i < n; i++) {
		int64_t k = hv_dag_find(rc->dag, &bottoms[i]);

		if (k >= 0)
			hide[nhide++] = (uint32_t)k;
		else if (!hv_oid_in(&bottoms[i], rc->bottoms, rc->nbottoms))
			goto out;	/* might cut inside: walk afresh */
	}
	dag = hv_dag_restrict(rc->dag, (uint32_t)t, hide, nhide);
out:
	free(hide);
	return dag;
}

int
hv_session_range_cached(struct hv_session *s, const struct hv_oid *top,
			const struct hv_oid *bottoms, size_t n,
			struct hv_dag **out)
{
	char *paths = hv_state_paths_key(&s->st);

	*out = range_from_cache(s, top, bottoms, n, paths);
	free(paths);
	return *out != NULL;
}

struct hv_dag *
hv_session_range_keep(struct hv_session *s, const struct hv_oid *top,
		      const struct hv_oid *bottoms, size_t n,
		      struct hv_dag *dag)
{
	struct hv_range_cache *rc = &s->range;
	uint32_t i;

	for (i = 0; i < dag->n; i++)
		dag->flags[i] &= ~HV_NODE_SKIP;	/* marks are the caller's */
	range_cache_clear(rc);
	rc->dag = dag;
	rc->top = *top;
	rc->bottoms = xcalloc(n ? n : 1, sizeof(*rc->bottoms));
	if (n)	/* bottoms may be NULL then: memcpy(NULL) is undefined */
		memcpy(rc->bottoms, bottoms, n * sizeof(*bottoms));
	rc->nbottoms = n;
	rc->first_parent = s->st.first_parent;
	rc->paths = hv_state_paths_key(&s->st);
	return dag->n ? hv_dag_restrict(dag, dag->n - 1, NULL, 0) : hv_dag_new();
}

int
hv_session_range(struct hv_session *s, const struct hv_oid *top,
		 const struct hv_oid *bottoms, size_t n, struct hv_dag **out,
		 struct hv_error *err)
{
	struct hv_graph_opts opts = { 0 };
	struct hv_dag *dag;

	if (hv_session_range_cached(s, top, bottoms, n, out))
		return 0;
	opts.first_parent = s->st.first_parent;
	opts.paths = s->st.paths;
	opts.npaths = s->st.npaths;
	if (hv_graph_load(s->repo, top, bottoms, n, &opts, &dag, err) < 0)
		return -1;
	*out = hv_session_range_keep(s, top, bottoms, n, dag);
	return 0;
}

