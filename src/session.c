/*
 * session.c: the bisection's step machine over git's state (session.h).
 *
 * Every command validates all of its input before it writes anything, so
 * a bad revision or a bad replay file leaves the session as it was. Marks
 * are written before the next step is computed: whatever fails after
 * that, no verdict is lost.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bisect.h"
#include "graph.h"
#include "session.h"

static void range_cache_clear(struct hv_range_cache *rc);

void
hv_step_release(struct hv_step *step)
{
	free(step->suspects);
	free(step->path);
	memset(step, 0, sizeof(*step));
}

static int
oid_in(const struct hv_oid *oid, const struct hv_oid *arr, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!hv_oid_cmp(oid, &arr[i]))
			return 1;
	return 0;
}

static char *
halve_path(struct hv_session *s, const char *name)
{
	return xasprintf("%shalve/%s", s->repo->gitdir, name);
}

/* Removes .git/halve/NAME, a file or a tree, if it is there. */
static void
remove_halve(struct hv_session *s, const char *name)
{
	char *path = halve_path(s, name);

	hv_remove_tree(path);
	free(path);
}

/* .git/halve/stack: "<merge> <parent> <side>" per nested bisection. */
static int
load_frames(struct hv_session *s, struct hv_error *err)
{
	char *path = halve_path(s, "stack");
	struct strbuf sb = STRBUF_INIT;
	char *line, *save = NULL;
	int lineno = 0;

	free(s->frames);
	s->frames = NULL;
	s->depth = 0;
	if (hv_read_file(path, &sb) < 0) {
		free(path);
		return 0;
	}
	for (line = strtok_r(sb.buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		struct hv_frame f;
		char merge[41], side[41];

		lineno++;
		if (sscanf(line, "%40s %d %40s", merge, &f.parent, side) != 3 ||
		    hv_oid_parse(&f.merge, merge) < 0 ||
		    hv_oid_parse(&f.side, side) < 0) {
			hv_error_set(err, "%s:%d: malformed frame", path, lineno);
			sb_release(&sb);
			free(path);
			return -1;
		}
		s->frames = xreallocarray(s->frames, s->depth + 1,
					  sizeof(*s->frames));
		s->frames[s->depth++] = f;
	}
	sb_release(&sb);
	free(path);
	return 0;
}

static int
write_frames(struct hv_session *s, struct hv_error *err)
{
	char *dir = halve_path(s, ""), *path = halve_path(s, "stack");
	struct strbuf sb = STRBUF_INIT;
	size_t i;
	int rc = 0;

	for (i = 0; i < s->depth; i++) {
		char m[41], side[41];

		hv_oid_fmt(m, &s->frames[i].merge);
		hv_oid_fmt(side, &s->frames[i].side);
		sb_addf(&sb, "%s %d %s\n", m, s->frames[i].parent, side);
	}
	if (!s->depth) {
		if (unlink(path) < 0 && errno != ENOENT)
			rc = hv_error_set(err, "%s: %s", path, strerror(errno));
	} else if (hv_mkdir_p(dir, err) < 0 ||
		   hv_write_file_atomic(path, sb.buf, sb.len, err) < 0) {
		rc = -1;
	}
	sb_release(&sb);
	free(path);
	free(dir);
	return rc;
}

int
hv_session_reload(struct hv_session *s, struct hv_error *err)
{
	hv_state_release(&s->st);
	if (hv_state_load(s->repo, &s->st, err) < 0)
		return -1;
	return load_frames(s, err);
}

int
hv_session_open(const char *path, struct hv_session **out,
		struct hv_error *err)
{
	struct hv_session *s = xcalloc(1, sizeof(*s));

	if (hv_repo_open(path, &s->repo, err) < 0) {
		free(s);
		return -1;
	}
	if (hv_session_reload(s, err) < 0) {
		hv_session_free(s);
		return -1;
	}
	*out = s;
	return 0;
}

void
hv_session_free(struct hv_session *s)
{
	if (!s)
		return;
	hv_state_release(&s->st);
	free(s->frames);
	range_cache_clear(&s->range);
	hv_repo_free(s->repo);
	free(s);
}

const char *
hv_session_term_name(const struct hv_session *s, enum hv_term_kind kind)
{
	switch (kind) {
	case HV_TERM_OLD:
		return s->st.term_good;
	case HV_TERM_NEW:
		return s->st.term_bad;
	default:
		return "skip";
	}
}

static void
set_terms(struct hv_session *s, const char *bad, const char *good)
{
	free(s->st.term_bad);
	free(s->st.term_good);
	s->st.term_bad = xstrdup(bad);
	s->st.term_good = xstrdup(good);
}

int
hv_session_term(struct hv_session *s, const char *word,
		enum hv_term_kind *kind, struct hv_error *err)
{
	static const char *const builtin[][2] = {
		{ "bad", "good" }, { "new", "old" },
	};
	size_t i;

	if (!strcmp(word, "skip")) {
		*kind = HV_TERM_SKIP;
		return 0;
	}
	if (!strcmp(word, s->st.term_bad) || !strcmp(word, s->st.term_good)) {
		*kind = !strcmp(word, s->st.term_bad) ? HV_TERM_NEW : HV_TERM_OLD;
		return 0;
	}
	for (i = 0; i < HV_ARRAY_SIZE(builtin); i++) {
		int is_new = !strcmp(word, builtin[i][0]);

		if (!is_new && strcmp(word, builtin[i][1]))
			continue;
		if (s->st.terms_set)
			return hv_error_set(err, "%s: this bisection uses the "
					    "terms %s/%s", word, s->st.term_bad,
					    s->st.term_good);
		/* the first mark of a session without terms sets them */
		set_terms(s, builtin[i][0], builtin[i][1]);
		*kind = is_new ? HV_TERM_NEW : HV_TERM_OLD;
		return 0;
	}
	return -1;
}

/* Resolves "REV" or "A..B" (the commits of B not in A) into oids. */
static int
resolve_revs(struct hv_session *s, char **revs, size_t n, struct hv_oid **out,
	     size_t *nout, struct hv_error *err)
{
	struct hv_oid *res = NULL;
	size_t count = 0, alloc = 0, i;

	for (i = 0; i < n; i++) {
		const char *dots = strstr(revs[i], "..");

		if (dots) {
			struct hv_oid *in = NULL;
			size_t nin = 0;

			if (hv_repo_range_commits(s->repo, revs[i], &in, &nin,
						  err) < 0) {
				free(res);
				return -1;
			}
			HV_GROW(res, count + nin, alloc);
			memcpy(res + count, in, nin * sizeof(*in));
			count += nin;
			free(in);
			continue;
		}
		HV_GROW(res, count + 1, alloc);
		if (hv_repo_resolve(s->repo, revs[i], &res[count], err) < 0) {
			free(res);
			return -1;
		}
		count++;
	}
	*out = res;
	*nout = count;
	return 0;
}

int
hv_session_current(struct hv_session *s, struct hv_oid *oid,
		   struct hv_error *err)
{
	char *branch = NULL;

	if (s->st.no_checkout) {
		if (hv_state_read_bisect_head(s->repo, oid) == 1)
			return 0;
		return hv_error_set(err, "BISECT_HEAD: missing or malformed");
	}
	if (hv_repo_head(s->repo, &branch, oid, err) < 0)
		return -1;
	free(branch);
	return 0;
}

/* Moves the work tree (or only BISECT_HEAD) to the commit to test. */
static int
go_to(struct hv_session *s, const struct hv_oid *oid, int checkout,
      struct hv_error *err)
{
	struct hv_oid head;
	char *branch = NULL;

	if (checkout && !s->st.no_checkout && !s->replaying) {
		int at = hv_repo_head(s->repo, &branch, &head, NULL) == 0 &&
			 !branch && !hv_oid_cmp(&head, oid);

		free(branch);
		if (!at && (hv_repo_check_clean(s->repo, err) < 0 ||
			    hv_repo_checkout_detached(s->repo, oid, err) < 0))
			return -1;
	}
	if (!checkout)
		return 0;	/* a look (status, view) writes nothing */
	return hv_state_write_expected(s->repo, &s->st, oid, err);
}

static void
log_once(struct hv_session *s, const char *line)
{
	const char *log = s->st.log.buf ? s->st.log.buf : "";
	size_t n = strlen(line), len = strlen(log);

	/* the log ends with this line already: a repeated `next` */
	if (len > n && !strncmp(log + len - n - 1, line, n))
		return;
	hv_state_log(&s->st, "%s", line);
}

static void
fill_path(struct hv_session *s, struct hv_step *step)
{
	size_t i;

	step->npath = s->depth;
	step->path = xcalloc(s->depth ? s->depth : 1, sizeof(*step->path));
	for (i = 0; i < s->depth; i++)
		step->path[i] = s->frames[i].merge;
}

/*
 * git's check_merge_bases(): every good commit must be an ancestor of
 * bad, or a merge base between them has to be tested first. Returns 1
 * when step was filled (a merge base to test, or fixed-between).
 */
static int
check_merge_bases(struct hv_session *s, int checkout, struct hv_step *step,
		  struct hv_error *err)
{
	struct hv_oid *bases = NULL, expected;
	size_t nbases = 0, i;
	char hex[41];

	if (hv_state_ancestors_ok(s->repo))
		return 0;
	for (i = 0; i < s->st.ngoods; i++)
		if (hv_repo_is_ancestor(s->repo, &s->st.goods[i], &s->st.bad) != 1)
			break;
	if (i == s->st.ngoods)	/* the usual case, and a cheap one */
		return checkout ? hv_state_set_ancestors_ok(s->repo, err) : 0;
	if (hv_repo_merge_bases(s->repo, &s->st.bad, s->st.goods, s->st.ngoods,
				&bases, &nbases, err) < 0)
		return -1;
	hv_oid_fmt(hex, &s->st.bad);
	if (!nbases) {
		free(bases);
		return hv_error_set(err, "%s: no common history with the %s "
				    "commits", hex, s->st.term_good);
	}
	for (i = 0; i < nbases; i++) {
		if (!hv_oid_cmp(&bases[i], &s->st.bad)) {
			int tested = hv_state_read_expected(s->repo, &expected) &&
				     !hv_oid_cmp(&expected, &s->st.bad);

			free(bases);
			if (tested) {
				step->outcome = HV_STEP_FIXED_BETWEEN;
				step->current = s->st.bad;
				return 1;
			}
			return hv_error_set(err, "%s: not a descendant of the "
					    "%s commits (mistook %s for %s?)",
					    hex, s->st.term_good,
					    s->st.term_good, s->st.term_bad);
		}
		if (oid_in(&bases[i], s->st.goods, s->st.ngoods) ||
		    oid_in(&bases[i], s->st.skips, s->st.nskips))
			continue;
		/*
		 * Inside a descended merge the merge base is where the merged
		 * side forked, an ancestor of merge^1 and good by the outer
		 * bisection: the candidates are exactly what the merge
		 * brought in, with no fork point to test again.
		 */
		if (s->depth)
			continue;
		step->outcome = HV_STEP_MERGE_BASE;
		step->current = bases[i];
		free(bases);
		if (go_to(s, &step->current, checkout, err) < 0)
			return -1;
		return 1;
	}
	free(bases);
	if (!checkout)
		return 0;
	return hv_state_set_ancestors_ok(s->repo, err) < 0 ? -1 : 0;
}

static void
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
		if (!oid_in(&rc->bottoms[i], bottoms, n))
			return NULL;
	hide = xcalloc(n ? n : 1, sizeof(*hide));
	for (i = 0; i < n; i++) {
		int64_t k = hv_dag_find(rc->dag, &bottoms[i]);

		if (k >= 0)
			hide[nhide++] = (uint32_t)k;
		else if (!oid_in(&bottoms[i], rc->bottoms, rc->nbottoms))
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

static int
load_dag(struct hv_session *s, struct hv_dag **out, struct hv_error *err)
{
	size_t i;

	if (hv_session_range(s, &s->st.bad, s->st.goods, s->st.ngoods, out,
			     err) < 0)
		return -1;
	for (i = 0; i < s->st.nskips; i++) {
		int64_t k = hv_dag_find(*out, &s->st.skips[i]);

		if (k >= 0)
			(*out)->flags[k] |= HV_NODE_SKIP;
	}
	return 0;
}

int
hv_session_dag(struct hv_session *s, struct hv_dag **dag, struct hv_error *err)
{
	if (!s->st.active || !s->st.have_bad || !s->st.ngoods)
		return hv_error_set(err, "view: no range to show yet (needs "
				    "a %s and a %s commit)", s->st.term_bad,
				    s->st.term_good);
	return load_dag(s, dag, err);
}

static int
finish_found(struct hv_session *s, struct hv_dag *dag, struct hv_pick *pk,
	     int write, struct hv_step *step, struct hv_error *err)
{
	char hex[41], *subject, *line;
	uint32_t i;

	if (!pk->only_skipped) {
		step->outcome = HV_STEP_FOUND;
		step->current = s->st.bad;
		hv_oid_fmt(hex, &s->st.bad);
		subject = hv_repo_subject(s->repo, &s->st.bad);
		line = xasprintf("# first %s commit: [%s] %s", s->st.term_bad,
				 hex, subject);
		if (write)
			log_once(s, line);
		free(line);
		free(subject);
		fill_path(s, step);
		return write ? hv_state_write_log(s->repo, &s->st, err) : 0;
	}
	step->outcome = HV_STEP_ONLY_SKIPPED;
	step->suspects = xcalloc(dag->n, sizeof(*step->suspects));
	for (i = dag->n; i-- > 0;)
		if ((dag->flags[i] & HV_NODE_SKIP) || i == dag->n - 1)
			step->suspects[step->nsuspects++] = dag->oid[i];
	if (!write)
		return 0;
	log_once(s, "# only skipped commits left to test");
	for (i = 0; i < step->nsuspects; i++) {
		hv_oid_fmt(hex, &step->suspects[i]);
		subject = hv_repo_subject(s->repo, &step->suspects[i]);
		hv_state_log(&s->st, "# possible first %s commit: [%s] %s",
			     s->st.term_bad, hex, subject);
		free(subject);
	}
	return hv_state_write_log(s->repo, &s->st, err);
}

int
hv_session_next(struct hv_session *s, int checkout, struct hv_step *step,
		struct hv_error *err)
{
	struct hv_dag *dag = NULL;
	struct hv_pick pk;
	int rc;

	memset(step, 0, sizeof(*step));
	if (!s->st.active) {
		step->outcome = HV_STEP_NONE;
		return 0;
	}
	if (s->depth) {
		const struct hv_frame *f = &s->frames[s->depth - 1];

		if (oid_in(&f->side, s->st.goods, s->st.ngoods)) {
			step->outcome = HV_STEP_COMBINATION;
			step->merge = f->merge;
			step->current = f->side;
			fill_path(s, step);
			return 0;
		}
		if (!s->st.have_bad) {
			/* the merged side is tested before anything else */
			step->outcome = HV_STEP_TEST;
			step->current = f->side;
			return go_to(s, &f->side, checkout, err);
		}
	}
	if (!s->st.have_bad || !s->st.ngoods) {
		step->outcome = HV_STEP_WAITING;
		step->have_bad = s->st.have_bad;
		step->ngoods = s->st.ngoods;
		return 0;
	}
	rc = check_merge_bases(s, checkout, step, err);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (load_dag(s, &dag, err) < 0)
		return -1;
	if (!dag->n) {
		char hex[41];

		hv_dag_free(dag);
		hv_oid_fmt(hex, &s->st.bad);
		return hv_error_set(err, "%s: was both %s and %s", hex,
				    s->st.term_good, s->st.term_bad);
	}
	hv_bisect_pick(dag, &pk);
	if (!pk.all) {
		hv_dag_free(dag);
		return hv_error_set(err, "no testable commit found (does the "
				    "pathspec match anything in the range?)");
	}
	step->all = pk.all;
	step->left = pk.left;
	step->reaches = pk.reaches;
	step->steps = pk.steps;
	if (pk.best == (int64_t)dag->n - 1) {
		rc = finish_found(s, dag, &pk, checkout, step, err);
		hv_dag_free(dag);
		return rc;
	}
	step->outcome = HV_STEP_TEST;
	step->current = dag->oid[pk.best];
	hv_dag_free(dag);
	return go_to(s, &step->current, checkout, err);
}

int
hv_session_mark(struct hv_session *s, enum hv_term_kind kind, char **revs,
		size_t nrevs, struct hv_step *step, struct hv_error *err)
{
	return hv_session_mark_why(s, kind, revs, nrevs, NULL, step, err);
}

int
hv_session_mark_why(struct hv_session *s, enum hv_term_kind kind, char **revs,
		    size_t nrevs, const char *why, struct hv_step *step,
		    struct hv_error *err)
{
	const char *term = hv_session_term_name(s, kind);
	struct hv_oid *oids = NULL;
	size_t n = 0, i;

	memset(step, 0, sizeof(*step));
	if (!s->st.active)
		return hv_error_set(err, "%s: no bisection in progress (start "
				    "one with halve start)", term);
	if (nrevs) {
		if (resolve_revs(s, revs, nrevs, &oids, &n, err) < 0)
			return -1;
		if (!n)
			return hv_error_set(err, "%s: the range holds no commits",
					    term);
	} else {
		oids = xmalloc(sizeof(*oids));
		if (hv_session_current(s, oids, err) < 0) {
			free(oids);
			return -1;
		}
		n = 1;
	}
	if (kind == HV_TERM_NEW && n > 1) {
		free(oids);
		return hv_error_set(err, "%s: takes only one revision", term);
	}
	if (!s->st.terms_set) {
		if (hv_state_write_terms(s->repo, &s->st, err) < 0) {
			free(oids);
			return -1;
		}
		s->st.terms_set = 1;
	}
	if (why)
		hv_state_log(&s->st, "# halve: %s", why);
	for (i = 0; i < n; i++) {
		if (hv_state_write_mark(s->repo, &s->st, term, &oids[i], err) < 0) {
			free(oids);
			return -1;
		}
		hv_state_log_mark(s->repo, &s->st, term, &oids[i], 0);
	}
	free(oids);
	if (hv_state_write_log(s->repo, &s->st, err) < 0 ||
	    hv_session_reload(s, err) < 0)
		return -1;
	return hv_session_next(s, 1, step, err);
}

static int
valid_term(const char *t)
{
	static const char *const reserved[] = {
		"help", "start", "skip", "next", "reset", "visualize", "view",
		"replay", "log", "run", "terms", "status", "descend", "ascend",
		"demo", NULL,
	};
	size_t i;

	if (!*t || strchr(t, '/') || strchr(t, ' ') || strchr(t, '\n') ||
	    strchr(t, '.') || t[0] == '-')
		return 0;
	for (i = 0; reserved[i]; i++)
		if (!strcmp(t, reserved[i]))
			return 0;
	return 1;
}

int
hv_session_start(struct hv_session *s, const struct hv_start_opts *opts,
		 struct hv_step *step, struct hv_error *err)
{
	struct hv_state *st = &s->st;
	struct hv_oid *oids = NULL, head;
	struct strbuf line = STRBUF_INIT;
	char *branch = NULL, *start_head;
	const char *term_old, *term_new;
	size_t i, n = opts->nrevs;
	int rc = -1;

	memset(step, 0, sizeof(*step));
	term_old = opts->term_old ? opts->term_old : "good";
	term_new = opts->term_new ? opts->term_new : "bad";
	if (!valid_term(term_old) || !valid_term(term_new))
		return hv_error_set(err, "start: '%s': not a valid term",
				    valid_term(term_old) ? term_new : term_old);
	if (!strcmp(term_old, term_new))
		return hv_error_set(err, "start: '%s': the old and the new term "
				    "must differ", term_old);
	/* as git: good/old may not mean new, bad/new may not mean old */
	if (!strcmp(term_new, "good") || !strcmp(term_new, "old") ||
	    !strcmp(term_old, "bad") || !strcmp(term_old, "new"))
		return hv_error_set(err, "start: can't change the meaning of "
				    "the term '%s'", !strcmp(term_new, "good") ||
				    !strcmp(term_new, "old") ? term_new : term_old);
	oids = xcalloc(n ? n : 1, sizeof(*oids));
	for (i = 0; i < n; i++)
		if (hv_repo_resolve(s->repo, opts->revs[i], &oids[i], err) < 0)
			goto out;
	for (i = 1; i < n; i++)
		if (!hv_oid_cmp(&oids[0], &oids[i])) {
			hv_error_set(err, "start: %s is given as both bad and "
				     "good", opts->revs[i]);
			goto out;
		}
	for (i = 1; i < n; i++) {
		struct hv_oid *bases = NULL;
		size_t nb = 0;

		if (hv_repo_is_ancestor(s->repo, &oids[i], &oids[0]) == 1)
			continue;
		if (hv_repo_is_ancestor(s->repo, &oids[0], &oids[i]) == 1) {
			hv_error_set(err, "start: %s: an ancestor of the %s "
				     "commit %s (mistook %s for %s?)",
				     opts->revs[0], term_old, opts->revs[i],
				     term_old, term_new);
			goto out;
		}
		if (hv_repo_merge_bases(s->repo, &oids[0], &oids[i], 1, &bases,
					&nb, err) < 0)
			goto out;
		free(bases);
		if (!nb) {
			hv_error_set(err, "start: %s and %s have no common "
				     "history", opts->revs[0], opts->revs[i]);
			goto out;
		}
	}
	if (hv_repo_head(s->repo, &branch, &head, err) < 0)
		goto out;
	if (!opts->no_checkout && hv_repo_check_clean(s->repo, err) < 0)
		goto out;

	/* everything checked: from here on, write */
	if (st->active && st->start_head) {
		start_head = xstrdup(st->start_head);
	} else if (branch) {
		start_head = xstrdup(branch);
	} else {
		char hex[41];

		hv_oid_fmt(hex, &head);
		start_head = xstrdup(hex);
	}
	if (hv_state_clear(s->repo, err) < 0) {
		free(start_head);
		goto out;
	}
	/* a new session finds its config afresh (halve.conf(5)): an old
	 * session's copy must not run it; a replay keeps the copy, which
	 * the log does not name */
	if (!s->replaying)
		remove_halve(s, "config");
	s->depth = 0;
	if (write_frames(s, err) < 0) {
		free(start_head);
		goto out;
	}
	hv_state_release(st);
	st->active = 1;
	st->start_head = start_head;
	st->term_bad = xstrdup(term_new);
	st->term_good = xstrdup(term_old);
	/* with no revision and no terms, the first mark decides the terms
	 * (good/bad or old/new): BISECT_TERMS waits for it */
	st->terms_set = n || opts->term_old || opts->term_new;
	st->first_parent = opts->first_parent;
	st->no_checkout = opts->no_checkout;
	st->npaths = opts->npaths;
	st->paths = hv_argv_dup(opts->paths, opts->npaths);
	for (i = 0; i < n; i++) {
		const char *term = i ? st->term_good : st->term_bad;

		if (hv_state_write_mark(s->repo, st, term, &oids[i], err) < 0)
			goto out;
		hv_state_log_mark(s->repo, st, term, &oids[i], 1);
	}
	sb_adds(&line, "git bisect start");
	for (i = 0; i < opts->argc; i++) {
		const char *a = opts->argv[i];

		/* git's replay knows no --config: the copy is in .git/halve */
		if (!strcmp(a, "--config") && i + 1 < opts->argc) {
			i++;
			continue;
		}
		if (!strncmp(a, "--config=", 9))
			continue;
		sb_addc(&line, ' ');
		hv_sq_quote(&line, a);
	}
	hv_state_log(st, "%s", line.buf);
	if (hv_state_write_session(s->repo, st, &head, err) < 0)
		goto out;
	if (hv_session_reload(s, err) < 0)
		goto out;
	rc = hv_session_next(s, 1, step, err);
	if (rc < 0 && !s->replaying) {
		/*
		 * The first checkout failed (a file it would overwrite): a
		 * start that did not start leaves no session behind.
		 */
		hv_state_clear(s->repo, NULL);
		hv_session_reload(s, NULL);
	}
out:
	sb_release(&line);
	free(branch);
	free(oids);
	return rc;
}

int
hv_session_reset(struct hv_session *s, const char *commit,
		 struct hv_error *err)
{
	char *ref;
	struct hv_oid oid;
	int is_branch;

	if (!s->st.active)
		return 0;
	if (!s->st.no_checkout) {
		const char *target = commit ? commit : s->st.start_head;

		ref = xasprintf("refs/heads/%s", target);
		is_branch = hv_repo_ref_read(s->repo, ref, &oid) == 1;
		free(ref);
		if (is_branch) {
			if (hv_repo_checkout_branch(s->repo, target, err) < 0)
				return -1;
		} else {
			if (hv_repo_resolve(s->repo, target, &oid, err) < 0 ||
			    hv_repo_checkout_detached(s->repo, &oid, err) < 0)
				return -1;
		}
	}
	if (hv_state_clear(s->repo, err) < 0)
		return -1;
	s->depth = 0;
	if (write_frames(s, err) < 0)
		return -1;
	/* the next session finds its own config; step logs stay */
	remove_halve(s, "frames");
	remove_halve(s, "config");
	remove_halve(s, "running");
	return hv_session_reload(s, err);
}

int
hv_start_opts_parse(char **argv, size_t argc, struct hv_start_opts *o,
		    struct hv_error *err)
{
	size_t i;
	int dashdash = 0;

	memset(o, 0, sizeof(*o));
	o->argv = argv;
	o->argc = argc;
	o->revs = xcalloc(argc + 1, sizeof(char *));
	o->paths = xcalloc(argc + 1, sizeof(char *));
	for (i = 0; i < argc; i++) {
		char *a = argv[i];
		const char **val = NULL;
		const char *name = NULL;

		if (dashdash) {
			o->paths[o->npaths++] = a;
			continue;
		}
		if (!strcmp(a, "--")) {
			dashdash = 1;
		} else if (!strcmp(a, "--first-parent")) {
			o->first_parent = 1;
		} else if (!strcmp(a, "--no-checkout")) {
			o->no_checkout = 1;
		} else if (!strncmp(a, "--term-old", 10) ||
			   !strncmp(a, "--term-good", 11)) {
			val = &o->term_old;
			name = !strncmp(a, "--term-old", 10) ? "--term-old"
							     : "--term-good";
		} else if (!strncmp(a, "--term-new", 10) ||
			   !strncmp(a, "--term-bad", 10)) {
			val = &o->term_new;
			name = !strncmp(a, "--term-new", 10) ? "--term-new"
							     : "--term-bad";
		} else if (!strncmp(a, "--config", 8)) {
			val = &o->config;
			name = "--config";
		} else if (a[0] == '-' && a[1]) {
			hv_start_opts_release(o);
			return hv_error_set(err, "start: %s: unknown option", a);
		} else {
			o->revs[o->nrevs++] = a;
		}
		if (!val)
			continue;
		if (a[strlen(name)] == '=') {
			*val = a + strlen(name) + 1;
		} else if (!a[strlen(name)] && i + 1 < argc) {
			*val = argv[++i];
		} else {
			hv_start_opts_release(o);
			return hv_error_set(err, "start: %s: needs a value", a);
		}
	}
	return 0;
}

void
hv_start_opts_release(struct hv_start_opts *o)
{
	free(o->revs);
	free(o->paths);
	o->revs = o->paths = NULL;
}

/* One parsed line of a replay file. */
struct replay_cmd {
	int lineno;
	char **argv;		/* argv[0] is the verb */
	size_t argc;
};

static void
replay_free(struct replay_cmd *cmds, size_t n)
{
	size_t i;

	for (i = 0; cmds && i < n; i++)
		hv_argv_free(cmds[i].argv);
	free(cmds);
}

/* Parses and checks the whole file before anything is touched. */
static int
replay_parse(struct hv_session *s, const char *file, struct replay_cmd **out,
	     size_t *nout, struct hv_error *err)
{
	struct strbuf sb = STRBUF_INIT;
	struct replay_cmd *cmds = NULL;
	size_t n = 0, alloc = 0;
	char *line, *next, *term_bad = xstrdup("bad"), *term_good = xstrdup("good");
	int lineno = 0, started = 0, rc = -1;

	if (hv_read_file(file, &sb) < 0) {
		hv_error_set(err, "replay: %s: %s", file, strerror(errno));
		goto out;
	}
	for (line = sb.buf ? sb.buf : (char *)""; *line; line = next) {
		char **argv = NULL;
		size_t argc = 0, k;
		struct hv_oid oid;

		next = strchr(line, '\n');
		next = next ? (*next = '\0', next + 1) : line + strlen(line);
		lineno++;
		while (*line == ' ' || *line == '\t')
			line++;
		if (!*line || *line == '#')
			continue;
		if (!strncmp(line, "git bisect ", 11))
			line += 11;
		else if (!strncmp(line, "git-bisect ", 11))
			line += 11;
		else {
			hv_error_set(err, "replay: %s:%d: not a bisect command: %s",
				     file, lineno, line);
			goto out;
		}
		if (hv_sq_split(line, &argv, &argc) < 0 || !argc) {
			hv_error_set(err, "replay: %s:%d: malformed quoting",
				     file, lineno);
			hv_argv_free(argv);
			goto out;
		}
		if (!strcmp(argv[0], "start")) {
			struct hv_start_opts o;

			if (hv_start_opts_parse(argv + 1, argc - 1, &o, err) < 0) {
				char *m = xstrdup(err && err->msg ? err->msg : "");

				hv_error_set(err, "replay: %s:%d: %s", file,
					     lineno, m);
				free(m);
				hv_argv_free(argv);
				goto out;
			}
			free(term_bad);
			free(term_good);
			term_bad = xstrdup(o.term_new ? o.term_new : "bad");
			term_good = xstrdup(o.term_old ? o.term_old : "good");
			hv_start_opts_release(&o);
			started = 1;
		} else if (!strcmp(argv[0], "terms")) {
			hv_argv_free(argv);
			continue;
		} else if (strcmp(argv[0], "skip") &&
			   strcmp(argv[0], term_bad) &&
			   strcmp(argv[0], term_good) &&
			   !(!strcmp(term_bad, "bad") &&
			     (!strcmp(argv[0], "new") || !strcmp(argv[0], "old")))) {
			hv_error_set(err, "replay: %s:%d: unknown command '%s'",
				     file, lineno, argv[0]);
			hv_argv_free(argv);
			goto out;
		} else if (!started) {
			hv_error_set(err, "replay: %s:%d: '%s' before 'start'",
				     file, lineno, argv[0]);
			hv_argv_free(argv);
			goto out;
		}
		for (k = 1; k < argc && strcmp(argv[0], "start"); k++)
			if (hv_repo_resolve(s->repo, argv[k], &oid, NULL) < 0) {
				hv_error_set(err, "replay: %s:%d: %s: unknown "
					     "revision", file, lineno, argv[k]);
				hv_argv_free(argv);
				goto out;
			}
		HV_GROW(cmds, n + 1, alloc);
		cmds[n].lineno = lineno;
		cmds[n].argv = argv;
		cmds[n].argc = argc;
		n++;
	}
	if (!started) {
		hv_error_set(err, "replay: %s: no 'git bisect start' line", file);
		goto out;
	}
	*out = cmds;
	*nout = n;
	cmds = NULL;
	rc = 0;
out:
	replay_free(cmds, n);
	free(term_bad);
	free(term_good);
	sb_release(&sb);
	return rc;
}

int
hv_session_replay(struct hv_session *s, const char *file, struct hv_step *step,
		  struct hv_error *err)
{
	struct replay_cmd *cmds = NULL;
	size_t n = 0, i;
	int rc = -1;

	memset(step, 0, sizeof(*step));
	if (replay_parse(s, file, &cmds, &n, err) < 0)
		return -1;
	s->replaying = 1;
	for (i = 0; i < n; i++) {
		struct hv_step st;
		enum hv_term_kind kind;

		if (!strcmp(cmds[i].argv[0], "start")) {
			struct hv_start_opts o;

			hv_start_opts_parse(cmds[i].argv + 1, cmds[i].argc - 1,
					    &o, NULL);
			rc = hv_session_start(s, &o, &st, err);
			hv_start_opts_release(&o);
		} else if (hv_session_term(s, cmds[i].argv[0], &kind, err) < 0) {
			rc = -1;
		} else {
			rc = hv_session_mark(s, kind, cmds[i].argv + 1,
					     cmds[i].argc - 1, &st, err);
		}
		hv_step_release(&st);
		if (rc < 0)
			break;
	}
	s->replaying = 0;
	replay_free(cmds, n);
	if (rc < 0)
		return -1;
	return hv_session_next(s, 1, step, err);
}

/*
 * Copies the file src to dst (atomically) when src exists; buf is
 * scratch. 0 also when there is no src: a state file may be absent.
 */
static int
copy_if_present(const char *src, const char *dst, struct strbuf *buf,
		struct hv_error *err)
{
	sb_reset(buf);
	if (hv_read_file(src, buf) < 0)
		return 0;
	return hv_write_file_atomic(dst, buf->buf ? buf->buf : "", buf->len,
				    err);
}

/* Copies the state files and refs of the outer bisection aside. */
static int
save_frame(struct hv_session *s, const char *dir, struct hv_error *err)
{
	struct strbuf refs = STRBUF_INIT, data = STRBUF_INIT;
	char hex[41], *path;
	int i, rc = -1;
	size_t k;

	if (hv_mkdir_p(dir, err) < 0)
		return -1;
	for (i = 0; hv_state_files[i]; i++) {
		char *src = hv_repo_path(s->repo, hv_state_files[i]);
		char *dst = xasprintf("%s/%s", dir, hv_state_files[i]);
		int w = copy_if_present(src, dst, &data, err);

		free(src);
		free(dst);
		if (w < 0)
			goto out;
	}
	if (s->st.have_bad) {
		hv_oid_fmt(hex, &s->st.bad);
		sb_addf(&refs, "%s %s\n", s->st.term_bad, hex);
	}
	for (k = 0; k < s->st.ngoods; k++) {
		hv_oid_fmt(hex, &s->st.goods[k]);
		sb_addf(&refs, "%s %s\n", s->st.term_good, hex);
	}
	for (k = 0; k < s->st.nskips; k++) {
		hv_oid_fmt(hex, &s->st.skips[k]);
		sb_addf(&refs, "skip %s\n", hex);
	}
	path = xasprintf("%s/refs", dir);
	rc = hv_write_file_atomic(path, refs.buf ? refs.buf : "", refs.len, err);
	free(path);
out:
	sb_release(&refs);
	sb_release(&data);
	return rc;
}

static int
restore_frame(struct hv_session *s, const char *dir, struct hv_error *err)
{
	struct strbuf data = STRBUF_INIT;
	char *path, *line, *save = NULL;
	int i;

	if (hv_state_clear(s->repo, err) < 0)
		return -1;
	/* BISECT_START last, as everywhere */
	for (i = hv_state_nfiles - 1; i >= 0; i--) {
		char *src = xasprintf("%s/%s", dir, hv_state_files[i]);
		char *dst = hv_repo_path(s->repo, hv_state_files[i]);
		int w = copy_if_present(src, dst, &data, err);

		free(src);
		free(dst);
		if (w < 0) {
			sb_release(&data);
			return -1;
		}
	}
	sb_reset(&data);
	path = xasprintf("%s/refs", dir);
	if (hv_read_file(path, &data) < 0) {
		hv_error_set(err, "%s: %s", path, strerror(errno));
		free(path);
		sb_release(&data);
		return -1;
	}
	free(path);
	if (hv_session_reload(s, err) < 0) {
		sb_release(&data);
		return -1;
	}
	for (line = strtok_r(data.buf ? data.buf : (char *)"", "\n", &save);
	     line; line = strtok_r(NULL, "\n", &save)) {
		char term[256], hex[41];
		struct hv_oid oid;

		if (sscanf(line, "%255s %40s", term, hex) != 2 ||
		    hv_oid_parse(&oid, hex) < 0)
			continue;
		if (hv_state_write_mark(s->repo, &s->st, term, &oid, err) < 0) {
			sb_release(&data);
			return -1;
		}
	}
	sb_release(&data);
	return hv_session_reload(s, err);
}

static char *
frame_dir(struct hv_session *s, size_t depth)
{
	char *name = xasprintf("frames/%zu", depth), *dir = halve_path(s, name);

	free(name);
	return dir;
}

int
hv_session_found_merge(struct hv_session *s, const struct hv_step *step)
{
	struct hv_oid *parents = NULL;
	size_t n = 0;

	if (step->outcome != HV_STEP_FOUND ||
	    hv_repo_parents(s->repo, &step->current, &parents, &n, NULL) < 0)
		return 0;
	free(parents);
	return n > 1;
}

int
hv_session_descend(struct hv_session *s, int parent, struct hv_step *step,
		   struct hv_error *err)
{
	struct hv_step now;
	struct hv_oid *parents = NULL, head;
	struct hv_frame f;
	size_t np = 0;
	char hex[41], *dir, *branch = NULL;
	int rc = -1;

	memset(step, 0, sizeof(*step));
	if (hv_session_next(s, 0, &now, err) < 0)
		return -1;
	if (now.outcome != HV_STEP_FOUND) {
		hv_step_release(&now);
		return hv_error_set(err, "descend: no first %s commit yet",
				    s->st.term_bad);
	}
	f.merge = now.current;
	hv_step_release(&now);
	hv_oid_fmt(hex, &f.merge);
	if (hv_repo_parents(s->repo, &f.merge, &parents, &np, err) < 0)
		return -1;
	if (np < 2) {
		free(parents);
		return hv_error_set(err, "descend: %.12s is not a merge", hex);
	}
	if (parent < 2 || (size_t)parent > np) {
		free(parents);
		return hv_error_set(err, "descend: %.12s has no parent %d "
				    "(it has %zu)", hex, parent, np);
	}
	f.parent = parent;
	f.side = parents[parent - 1];
	if (!s->st.no_checkout && hv_repo_check_clean(s->repo, err) < 0)
		goto out;
	if (hv_repo_head(s->repo, &branch, &head, err) < 0)
		goto out;

	dir = frame_dir(s, s->depth + 1);
	hv_remove_tree(dir);
	rc = save_frame(s, dir, err);
	free(dir);
	if (rc < 0)
		goto out;
	rc = -1;
	s->frames = xreallocarray(s->frames, s->depth + 1, sizeof(*s->frames));
	s->frames[s->depth++] = f;
	if (write_frames(s, err) < 0)
		goto out;

	/* the inner bisection: good = merge^1, merge^parent tested first */
	{
		struct hv_state inner;
		char *start_head = xstrdup(s->st.start_head);

		memset(&inner, 0, sizeof(inner));
		if (hv_state_clear(s->repo, err) < 0) {
			free(start_head);
			goto out;
		}
		inner.active = 1;
		inner.start_head = start_head;
		inner.term_bad = xstrdup(s->st.term_bad);
		inner.term_good = xstrdup(s->st.term_good);
		inner.terms_set = 1;
		inner.no_checkout = s->st.no_checkout;
		inner.npaths = s->st.npaths;
		inner.paths = hv_argv_dup(s->st.paths, inner.npaths);
		hv_state_log(&inner, "# halve: descend into merge %s, parent %d",
			     hex, parent);
		hv_state_log(&inner, "git bisect start");
		hv_state_log_mark(s->repo, &inner, inner.term_good, &parents[0], 0);
		rc = hv_state_write_mark(s->repo, &inner, inner.term_good,
					 &parents[0], err);
		if (!rc)
			rc = hv_state_write_session(s->repo, &inner, &head, err);
		hv_state_release(&inner);
		if (rc < 0)
			goto out;
	}
	if (hv_session_reload(s, err) < 0)
		goto out;
	rc = hv_session_next(s, 1, step, err);
out:
	free(branch);
	free(parents);
	return rc;
}

int
hv_session_ascend(struct hv_session *s, struct hv_step *step,
		  struct hv_error *err)
{
	char *dir;
	int rc;

	memset(step, 0, sizeof(*step));
	if (!s->depth)
		return hv_error_set(err, "ascend: not inside a descended merge");
	dir = frame_dir(s, s->depth);
	rc = restore_frame(s, dir, err);
	if (rc == 0) {
		s->depth--;
		rc = write_frames(s, err);
	}
	if (rc == 0)
		hv_remove_tree(dir);
	free(dir);
	if (rc < 0)
		return -1;
	return hv_session_next(s, 0, step, err);
}
