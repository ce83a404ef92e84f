/*
 * costpick.c: the session's cost-aware choice of the next commit.
 *
 * A kernel step is mostly its build, and a build from the commit the
 * build directory holds costs what the checkout makes make compile
 * again. So when the pipeline config allows it ([bisect] tolerance, see
 * halve.conf(5)), the pick gives up a little of the midpoint's split for
 * the candidate whose rebuild from HEAD the build directory's dependency
 * files (rebuild.c) predict cheapest; bisect.c bounds what is given up.
 * Nothing here changes the session's files: it only chooses.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "bisect.h"
#include "rebuild.h"
#include "sessionint.h"

struct session_rebuild {
	char *dir;		/* the build directory, as the config says */
	double tolerance;
	struct hv_rebuild *rb;	/* the model last read; NULL: none */
	struct hv_oid at;	/* HEAD when it was read */
	int have_at;
};

/* What the cost callback needs for one pick. */
struct costing {
	struct hv_session *s;
	const struct hv_dag *dag;
	struct hv_oid head;
};

/* The commit checked out: what the build directory was last built from. */
static int
head_commit(struct hv_session *s, struct hv_oid *head)
{
	struct hv_error err = HV_ERROR_INIT;
	char *branch = NULL;
	int ok = hv_repo_head(s->repo, &branch, head, &err) == 0;

	free(branch);
	hv_error_clear(&err);
	return ok;
}

void
hv_session_set_rebuild(struct hv_session *s, const char *build_dir,
		       double tolerance)
{
	session_rebuild_free(s);
	if (tolerance <= 0)
		return;
	s->rebuild = xcalloc(1, sizeof(*s->rebuild));
	s->rebuild->tolerance = tolerance;
	if (build_dir)
		s->rebuild->dir = xstrdup(build_dir);
}

void
session_rebuild_free(struct hv_session *s)
{
	if (!s->rebuild)
		return;
	hv_rebuild_free(s->rebuild->rb);
	free(s->rebuild->dir);
	free(s->rebuild);
	s->rebuild = NULL;
}

/*
 * Reads the build directory's dependency files again (a build since
 * changed them) for HEAD; 0 when there is a model, -1 when not (nothing
 * built yet, a bare repository, no build directory).
 */
static int
load_model(struct hv_session *s, const struct hv_oid *head)
{
	struct session_rebuild *r = s->rebuild;
	const char *src = s->repo->workdir;
	char *dir;
	struct hv_error err = HV_ERROR_INIT;
	int rc;

	hv_rebuild_free(r->rb);
	r->rb = NULL;
	r->at = *head;
	r->have_at = 1;
	if (!src)
		return -1;
	if (!r->dir)
		dir = xstrdup(src);
	else if (r->dir[0] == '/')
		dir = xstrdup(r->dir);
	else
		dir = xasprintf("%s%s", src, r->dir);
	rc = hv_rebuild_load(dir, src, &r->rb, &err);
	hv_error_clear(&err);
	free(dir);
	return rc == 0 ? 0 : -1;
}

static size_t
cost_between(struct hv_session *s, const struct hv_oid *from,
	     const struct hv_oid *to, int *ok)
{
	struct hv_error err = HV_ERROR_INIT;
	char **paths;
	size_t n, cost = 0;

	*ok = hv_repo_diff_paths(s->repo, from, to, &paths, &n, &err) == 0;
	hv_error_clear(&err);
	if (*ok)
		cost = hv_rebuild_cost(s->rebuild->rb,
				       (const char *const *)paths, n);
	hv_argv_free(paths);
	return cost;
}

static double
node_cost(void *ctx, uint32_t node)
{
	struct costing *c = ctx;
	int ok;
	size_t cost = cost_between(c->s, &c->head, &c->dag->oid[node], &ok);

	return ok ? (double)cost : -1.0;
}

void
session_pick(struct hv_session *s, const struct hv_dag *dag,
	     struct hv_pick *pk, struct hv_step *step)
{
	struct hv_pick_cost pc;
	struct costing c;

	if (!s->rebuild || !head_commit(s, &c.head) ||
	    load_model(s, &c.head) < 0) {
		hv_bisect_pick(dag, pk);
		return;
	}
	c.s = s;
	c.dag = dag;
	memset(&pc, 0, sizeof(pc));
	pc.tolerance = s->rebuild->tolerance;
	pc.keep = hv_dag_find(dag, &c.head);
	pc.cost = node_cost;
	pc.ctx = &c;
	hv_bisect_pick_costed(dag, &pc, pk);
	if (pk->best < 0 || (uint32_t)pk->best == dag->n - 1 ||
	    pk->cost < 0)
		return;
	step->rebuild_known = 1;
	step->rebuild = (size_t)pk->cost;
	step->rebuild_objects = hv_rebuild_objects(s->rebuild->rb);
	step->costed = pk->costed;
	if (pk->plain_cost >= 0)
		step->plain_rebuild = (size_t)pk->plain_cost;
	step->extra_steps = pk->extra_steps;
}

int
hv_session_rebuild_cost(struct hv_session *s, const struct hv_oid *oid,
			size_t *cost, size_t *objects)
{
	struct hv_oid head;
	int ok;

	if (!s->rebuild || !head_commit(s, &head))
		return 0;
	if ((!s->rebuild->have_at || hv_oid_cmp(&head, &s->rebuild->at)) &&
	    load_model(s, &head) < 0)
		return 0;
	if (!s->rebuild->rb)
		return 0;
	*cost = cost_between(s, &head, oid, &ok);
	*objects = hv_rebuild_objects(s->rebuild->rb);
	return ok;
}
