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
#include "fault.h"
#include "sessionint.h"

void
hv_step_release(struct hv_step *step)
{
	free(step->suspects);
	free(step->path);
	memset(step, 0, sizeof(*step));
}

char *
session_path(const struct hv_session *s, const char *name)
{
	return xasprintf("%shalve/%s", s->repo->gitdir, name);
}

void
session_remove(const struct hv_session *s, const char *name)
{
	char *path = session_path(s, name);

	hv_remove_tree(path);
	free(path);
}

/*
 * Reads the state again. A damaged file (a stack line, BISECT_NAMES) is
 * kept as s->damage with its name and line: every command but reset
 * refuses with it, reset clears it.
 */
int
hv_session_reload(struct hv_session *s, struct hv_error *err)
{
	struct hv_error e = HV_ERROR_INIT;

	free(s->damage);
	s->damage = NULL;
	hv_state_release(&s->st);
	if (hv_state_load(s->repo, &s->st, &e) < 0 ||
	    frames_load(s, &e) < 0) {
		s->damage = xasprintf("%s (halve reset ends the session)",
				      e.msg ? e.msg : "damaged state");
		hv_error_clear(&e);
		return hv_error_set(err, "%s", s->damage);
	}
	return 0;
}

uint64_t
hv_session_stamp(const struct hv_session *s)
{
	static const char *const watched[] = {
		"BISECT_START", "BISECT_LOG", "BISECT_TERMS",
		"BISECT_EXPECTED_REV", "BISECT_HEAD", "HEAD", "packed-refs",
		"refs/bisect", "halve/stack", "halve/steps",
	};
	uint64_t h = 1469598103934665603ULL;	/* FNV-1a over the stats */
	size_t i, k;

	for (i = 0; i < HV_ARRAY_SIZE(watched); i++) {
		char *path = hv_repo_path(s->repo, watched[i]);
		struct stat sb;
		int64_t v[4] = { 0, 0, 0, 0 };

		if (stat(path, &sb) == 0) {
			v[0] = (int64_t)sb.st_mtim.tv_sec * 1000000000 +
			       sb.st_mtim.tv_nsec;
			v[1] = (int64_t)sb.st_size;
			v[2] = (int64_t)sb.st_ino;
			v[3] = 1;
		}
		free(path);
		for (k = 0; k < sizeof(v); k++) {
			h ^= ((const unsigned char *)v)[k];
			h *= 1099511628211ULL;
		}
	}
	return h;
}

/*
 * The marks whose refs were written but whose log lines were not (git's
 * order, refs first, and a halve killed in between): their lines are
 * added, so that `git bisect log` and replay see every mark the refs
 * hold. Every mark leaves a "# TERM: [sha]" note in the log.
 */
static int
reconcile_log(struct hv_session *s, struct hv_error *err)
{
	struct hv_state *st = &s->st;
	struct hv_log log;
	int have_bad = 0, changed = 0;
	struct hv_oid bad;
	size_t i;

	if (!st->active)
		return 0;
	hv_log_parse(st->log.buf, &log);
	for (i = 0; i < log.n; i++)
		if (log.lines[i].kind == HV_LOG_NOTE &&
		    !strcmp(log.lines[i].term, st->term_bad)) {
			bad = log.lines[i].oid;
			have_bad = 1;
		}
	if (st->have_bad && (!have_bad || hv_oid_cmp(&bad, &st->bad))) {
		hv_state_log_mark(s->repo, st, st->term_bad, &st->bad, 0);
		changed = 1;
	}
	for (i = 0; i < st->ngoods + st->nskips; i++) {
		const char *term = i < st->ngoods ? st->term_good : "skip";
		const struct hv_oid *oid = i < st->ngoods ? &st->goods[i]
						: &st->skips[i - st->ngoods];
		size_t k;

		for (k = 0; k < log.n; k++)
			if (log.lines[k].kind == HV_LOG_NOTE &&
			    !strcmp(log.lines[k].term, term) &&
			    !hv_oid_cmp(&log.lines[k].oid, oid))
				break;
		if (k == log.n) {
			hv_state_log_mark(s->repo, st, term, oid, 0);
			changed = 1;
		}
	}
	hv_log_release(&log);
	return changed ? hv_state_write_log(s->repo, st, err) : 0;
}

/* What a killed halve left half done, put right under the lock. */
static int
repair(struct hv_session *s, struct hv_error *err)
{
	if (journal_recover(s, err) < 0)
		return -1;
	if (hv_session_reload(s, NULL) < 0)
		return 0;	/* damaged: nothing to reconcile with */
	return reconcile_log(s, err);
}

int
begin_change(struct hv_session *s, int tolerant, struct hv_error *err)
{
	char *dir;
	int rc;

	if (s->locks++)
		return 0;
	dir = session_path(s, "");
	rc = hv_lock_take(dir, 1, &s->lock, err);
	free(dir);
	if (rc == 0 && !tolerant)
		rc = repair(s, err);
	/* reset and start read as little as they can, but a change another
	 * halve left half made goes back first when it can: what it saved
	 * (the branch the session began on) must not be lost with it */
	else if (rc == 0)
		journal_recover(s, NULL);
	if (rc == 0 && hv_session_reload(s, tolerant ? NULL : err) < 0 &&
	    !tolerant)
		rc = -1;
	if (rc < 0)
		end_change(s);
	return rc;
}

int
run_changed(struct hv_session *s,
	    int (*fn)(struct hv_session *, struct hv_step *, struct hv_error *),
	    struct hv_step *step, struct hv_error *err)
{
	int rc;

	memset(step, 0, sizeof(*step));
	if (begin_change(s, 0, err) < 0)
		return -1;
	rc = fn(s, step, err);
	end_change(s);
	return rc;
}

void
end_change(struct hv_session *s)
{
	if (!s->locks || --s->locks)
		return;
	hv_lock_release(s->lock);
	s->lock = NULL;
}

/*
 * A reader opening the session repairs it too when nobody is changing
 * it (the lock is free): a killed halve's leftovers are put right by
 * the next halve, whichever command it runs.
 */
static int
repair_if_idle(struct hv_session *s)
{
	char *dir = session_path(s, "");
	struct hv_lock *lock = NULL;
	int repaired = 0;

	if (hv_file_exists(dir) &&
	    hv_lock_take(dir, 0, &lock, NULL) == 0 && lock) {
		repaired = repair(s, NULL) == 0;	/* which reloaded */
		hv_lock_release(lock);
	}
	free(dir);
	return repaired;
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
	/* a repair reads the state; else it is read here (damage is kept
	 * for the commands) */
	if (!repair_if_idle(s))
		hv_session_reload(s, NULL);
	*out = s;
	return 0;
}

void
hv_session_free(struct hv_session *s)
{
	if (!s)
		return;
	while (s->locks)
		end_change(s);
	hv_state_release(&s->st);
	free(s->frames);
	free(s->pending_bad);
	free(s->pending_good);
	free(s->damage);
	range_cache_clear(&s->range);
	confidence_forget(s);
	session_rebuild_free(s);
	hv_repo_free(s->repo);
	free(s);
}

void
hv_session_marks(const struct hv_session *s, struct hv_marks *m)
{
	const struct hv_state *st = &s->st;

	memset(m, 0, sizeof(*m));
	m->active = st->active;
	m->term_bad = st->term_bad;
	m->term_good = st->term_good;
	m->have_bad = st->have_bad;
	m->bad = st->bad;
	m->goods = st->goods;
	m->ngoods = st->ngoods;
	m->skips = st->skips;
	m->nskips = st->nskips;
	m->first_parent = st->first_parent;
	m->no_checkout = st->no_checkout;
	m->frames = s->frames;
	m->depth = s->depth;
}

struct hv_repo *
hv_session_repo(const struct hv_session *s)
{
	return s->repo;
}

const char *
hv_session_log(const struct hv_session *s)
{
	return s->st.log.buf ? s->st.log.buf : "";
}

void
hv_session_graph_opts(const struct hv_session *s, struct hv_graph_opts *opts)
{
	memset(opts, 0, sizeof(*opts));
	opts->first_parent = s->st.first_parent;
	opts->paths = s->st.npaths ? s->st.paths : NULL;
	opts->npaths = s->st.npaths;
}

char *
hv_session_paths_key(const struct hv_session *s)
{
	return hv_state_paths_key(&s->st);
}

void
hv_session_start_range(const struct hv_session *s, struct hv_oid *bad,
		       int *have_bad, struct hv_oid **goods, size_t *ngoods)
{
	struct hv_log log;

	hv_log_parse(s->st.log.buf, &log);
	hv_log_start_range(&log, s->st.term_bad, s->st.term_good, bad,
			   have_bad, goods, ngoods);
	hv_log_release(&log);
}

int
hv_session_range_name(struct hv_session *s, int outermost, struct strbuf *sb)
{
	struct strbuf text = STRBUF_INIT;
	struct hv_log log;
	char *path = NULL;
	int named;

	/* inside descended merges, the outermost log is the saved one */
	if (outermost && s->depth) {
		path = session_path(s, "frames/1/BISECT_LOG");
		hv_read_file(path, &text);
		free(path);
	} else {
		sb_adds(&text, hv_session_log(s));
	}
	hv_log_parse(text.buf, &log);
	named = hv_log_range_name(&log, sb);
	hv_log_release(&log);
	sb_release(&text);
	return named;
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

/*
 * The first mark of a session without terms chooses them (good/bad or
 * old/new); they are kept aside too, since the mark reloads the state
 * before it writes BISECT_TERMS.
 */
static void
set_terms(struct hv_session *s, const char *bad, const char *good)
{
	free(s->st.term_bad);
	free(s->st.term_good);
	s->st.term_bad = xstrdup(bad);
	s->st.term_good = xstrdup(good);
	free(s->pending_bad);
	free(s->pending_good);
	s->pending_bad = xstrdup(bad);
	s->pending_good = xstrdup(good);
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
int
session_go_to(struct hv_session *s, const struct hv_oid *oid, int checkout,
      struct hv_error *err)
{
	struct hv_oid head;
	char *branch = NULL;

	if (checkout && !s->st.no_checkout && !s->replaying) {
		int at = hv_repo_head(s->repo, &branch, &head, NULL) == 0 &&
			 !branch && !hv_oid_cmp(&head, oid);

		free(branch);
		HV_FAULT_POINT();
		if (!at && (hv_repo_check_clean(s->repo, err) < 0 ||
			    hv_repo_checkout_detached(s->repo, oid, err) < 0))
			return -1;
	}
	if (!checkout)
		return 0;	/* a look (status, view) writes nothing */
	return hv_state_write_expected(s->repo, &s->st, oid, err);
}

int
session_show(struct hv_session *s, const struct hv_oid *oid,
	     struct hv_error *err)
{
	if (s->st.no_checkout)
		return hv_state_write_expected(s->repo, &s->st, oid, err);
	return hv_repo_checkout_detached(s->repo, oid, err);
}

int
hv_session_show(struct hv_session *s, const struct hv_oid *oid,
		struct hv_error *err)
{
	int rc = 0;

	if (begin_change(s, 0, err) < 0)
		return -1;
	if ((!s->st.no_checkout && hv_repo_check_clean(s->repo, err) < 0) ||
	    session_show(s, oid, err) < 0)
		rc = -1;
	end_change(s);
	return rc;
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
		if (hv_oid_in(&bases[i], s->st.goods, s->st.ngoods))
			continue;
		if (hv_oid_in(&bases[i], s->st.skips, s->st.nskips)) {
			/* git goes on, with a warning the face shows */
			step->base_skipped = 1;
			step->skipped_base = bases[i];
			continue;
		}
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
		if (session_go_to(s, &step->current, checkout, err) < 0)
			return -1;
		return 1;
	}
	free(bases);
	if (!checkout)
		return 0;
	return hv_state_set_ancestors_ok(s->repo, err) < 0 ? -1 : 0;
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
	char hex[41], *subject;
	uint32_t i;

	if (!pk->only_skipped) {
		step->outcome = HV_STEP_FOUND;
		step->current = s->st.bad;
		hv_oid_fmt(hex, &s->st.bad);
		subject = hv_repo_subject(s->repo, &s->st.bad);
		if (write)
			hv_log_add_found(&s->st.log, s->st.term_bad, hex, subject);
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
	hv_log_add_only_skipped(&s->st.log);
	for (i = 0; i < step->nsuspects; i++) {
		hv_oid_fmt(hex, &step->suspects[i]);
		subject = hv_repo_subject(s->repo, &step->suspects[i]);
		hv_log_add_suspect(&s->st.log, s->st.term_bad, hex, subject);
		free(subject);
	}
	return hv_state_write_log(s->repo, &s->st, err);
}

int
session_next(struct hv_session *s, int checkout, struct hv_step *step,
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
	if (s->depth && hv_session_confidence(s) > 0)
		return confidence_next(s, checkout, step, err);
	if (s->depth) {
		const struct hv_frame *f = &s->frames[s->depth - 1];

		if (hv_oid_in(&f->side, s->st.goods, s->st.ngoods)) {
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
			return session_go_to(s, &f->side, checkout, err);
		}
	}
	if (!s->st.have_bad || !s->st.ngoods) {
		step->outcome = HV_STEP_WAITING;
		step->have_bad = s->st.have_bad;
		step->ngoods = s->st.ngoods;
		return 0;
	}
	if (hv_session_confidence(s) > 0)
		return confidence_next(s, checkout, step, err);
	if (confidence_contradiction(s, step))
		return 0;
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
	session_pick(s, dag, &pk, step);
	if (!pk.all) {
		hv_dag_free(dag);
		return hv_error_set(err, "next: no testable commit found (does "
				    "the pathspec match anything in the "
				    "range?)");
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
	return session_go_to(s, &step->current, checkout, err);
}

int
hv_session_next(struct hv_session *s, int checkout, struct hv_step *step,
		struct hv_error *err)
{
	int rc;

	memset(step, 0, sizeof(*step));
	if (s->damage)
		return hv_error_set(err, "%s", s->damage);
	if (!checkout)	/* a look: status, view */
		return session_next(s, 0, step, err);
	if (begin_change(s, 0, err) < 0)
		return -1;
	rc = session_next(s, 1, step, err);
	end_change(s);
	return rc;
}

int
hv_session_mark(struct hv_session *s, enum hv_term_kind kind, char **revs,
		size_t nrevs, struct hv_step *step, struct hv_error *err)
{
	return hv_session_mark_why(s, kind, revs, nrevs, NULL, step, err);
}

/*
 * git's check_expected_revs(): a mark of anything but the commit halve
 * checked out (a revision typed by hand) may be a good commit no
 * ancestor of the bad one, so the merge bases are checked again ("a
 * merge base must be tested"): BISECT_ANCESTORS_OK and the expected
 * commit go.
 */
static int
recheck_ancestors(struct hv_session *s, const struct hv_oid *oids, size_t n,
		  struct hv_error *err)
{
	struct hv_oid expected;
	int have = hv_state_read_expected(s->repo, &expected);
	size_t i;

	for (i = 0; i < n; i++)
		if (!have || hv_oid_cmp(&oids[i], &expected))
			return hv_state_clear_expected(s->repo, err);
	return 0;
}

/*
 * While a session waits for its ends, git logs where it stands after
 * every start and mark ("# status: waiting for ..."; always in the words
 * good and bad): halve's log says it in the same words.
 */
static int
log_waiting(struct hv_session *s, struct hv_error *err)
{
	const struct hv_state *st = &s->st;

	if ((st->have_bad && st->ngoods) || s->depth)
		return 0;
	hv_log_add_waiting(&s->st.log, st->have_bad, st->ngoods);
	return hv_state_write_log(s->repo, &s->st, err);
}

/* Terms chosen by hv_session_term() for a session that had none. */
static void
apply_pending_terms(struct hv_session *s)
{
	if (s->st.terms_set || !s->pending_bad)
		return;
	free(s->st.term_bad);
	free(s->st.term_good);
	s->st.term_bad = xstrdup(s->pending_bad);
	s->st.term_good = xstrdup(s->pending_good);
}

/* session_mark(), the next step checked out only when checkout is set
 * (a result that another follows at once moves nothing). */
static int
mark_at(struct hv_session *s, enum hv_term_kind kind, char **revs,
	size_t nrevs, const char *why, int checkout, struct hv_step *step,
	struct hv_error *err)
{
	const char *term;
	struct hv_oid *oids = NULL, flaky;
	size_t n = 0, i;
	int weighed, reskipped = 0, rc;

	memset(step, 0, sizeof(*step));
	apply_pending_terms(s);
	term = hv_session_term_name(s, kind);
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
		hv_log_add_reason(&s->st.log, "%s", why);
	if (n > 1)	/* undo takes back all that was typed */
		hv_log_add_command(&s->st.log, n);
	for (i = 0; i < n && !reskipped; i++)
		if (kind == HV_TERM_SKIP ?
		    hv_oid_in(&oids[i], s->st.goods, s->st.ngoods) ||
		    (s->st.have_bad && !hv_oid_cmp(&oids[i], &s->st.bad)) :
		    hv_oid_in(&oids[i], s->st.skips, s->st.nskips)) {
			reskipped = 1;
			flaky = oids[i];
		}
	weighed = kind != HV_TERM_SKIP && hv_session_confidence(s) > 0;
	if (weighed && confidence_observe(s, term, oids, n, 0, err) < 0) {
		free(oids);
		return -1;
	}
	/* refs first, then the log, as git: a halve killed in between
	 * leaves marks whose lines the next change adds (reconcile_log) */
	for (i = 0; i < n && !weighed; i++) {
		if (hv_state_write_mark(s->repo, &s->st, term, &oids[i], err) < 0) {
			free(oids);
			return -1;
		}
		hv_state_log_mark(s->repo, &s->st, term, &oids[i], 0);
	}
	if (!weighed && recheck_ancestors(s, oids, n, err) < 0) {
		free(oids);
		return -1;
	}
	free(oids);
	if (hv_state_write_log(s->repo, &s->st, err) < 0 ||
	    hv_session_reload(s, err) < 0 || log_waiting(s, err) < 0)
		return -1;
	rc = session_next(s, checkout, step, err);
	if (reskipped) {
		step->reskipped = 1;
		step->skipped = flaky;
	}
	return rc;
}

int
session_mark(struct hv_session *s, enum hv_term_kind kind, char **revs,
	     size_t nrevs, const char *why, struct hv_step *step,
	     struct hv_error *err)
{
	return mark_at(s, kind, revs, nrevs, why, 1, step, err);
}

int
hv_session_mark_runs(struct hv_session *s, const struct hv_oid *commit,
		     const enum hv_term_kind *kinds, char **whys, size_t n,
		     struct hv_step *step, struct hv_error *err)
{
	char hex[41], *revs[1] = { hex };
	size_t i, last = n, skips = 0;
	int rc = 0;

	memset(step, 0, sizeof(*step));
	hv_oid_fmt(hex, commit);
	for (i = 0; i < n; i++)
		if (kinds[i] == HV_TERM_SKIP)
			skips++;
		else
			last = i;
	if (begin_change(s, 0, err) < 0)
		return -1;
	if (skips == n) {
		/* no run could tell: the commit is skipped, once */
		rc = session_mark(s, HV_TERM_SKIP, revs, 1, n ? whys[0] : NULL,
				  step, err);
		n = 0;
	}
	for (i = 0; i < n && rc == 0; i++) {
		if (kinds[i] == HV_TERM_SKIP)
			continue;	/* the other runs tell */
		hv_step_release(step);
		rc = mark_at(s, kinds[i], revs, 1, whys[i], i == last, step,
			     err);
	}
	end_change(s);
	return rc;
}

int
hv_session_mark_why(struct hv_session *s, enum hv_term_kind kind, char **revs,
		    size_t nrevs, const char *why, struct hv_step *step,
		    struct hv_error *err)
{
	int rc;

	memset(step, 0, sizeof(*step));
	if (begin_change(s, 0, err) < 0)
		return -1;
	rc = session_mark(s, kind, revs, nrevs, why, step, err);
	end_change(s);
	return rc;
}

int
hv_session_mark_word(struct hv_session *s, const char *word, char **revs,
		     size_t nrevs, struct hv_step *step, struct hv_error *err)
{
	enum hv_term_kind kind;
	int rc;

	memset(step, 0, sizeof(*step));
	if (begin_change(s, 0, err) < 0)
		return -1;
	/* what the word means now, in the state just read again: another
	 * halve may have started a session with other terms since the
	 * caller asked */
	rc = hv_session_term(s, word, &kind, err);
	if (rc < 0 && (!err || !err->msg))
		hv_error_set(err, "%s: not a term of this bisection (%s/%s)",
			     word, s->st.term_bad, s->st.term_good);
	if (rc == 0)
		rc = session_mark(s, kind, revs, nrevs, NULL, step, err);
	end_change(s);
	return rc;
}

static int
valid_term(const char *t)
{
	static const char *const reserved[] = {
		"help", "start", "skip", "next", "reset", "visualize", "view",
		"replay", "log", "run", "terms", "status", "descend", "ascend",
		"demo", "undo", "verify", "setup", "doctor", "report", NULL,
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

/*
 * Do these words name paths, so that without "--" they are the pathspec?
 * As git log decides it: a file or directory in the work tree, or a
 * pattern. Anything else is a mistyped revision, better refused.
 */
static int
names_path(struct hv_session *s, const char *const *words, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char *path;
		int here;

		if (strpbrk(words[i], "*?[") || !strncmp(words[i], ":(", 2))
			continue;
		if (!s->repo->workdir)
			return 0;
		path = xasprintf("%s%s", s->repo->workdir, words[i]);
		here = access(path, F_OK) == 0;
		free(path);
		if (!here)
			return 0;
	}
	return 1;
}

/*
 * The config given to start (checked by the caller) is the session's
 * copy; without one, an old session's copy must not run the new one
 * (halve.conf(5)). A replay keeps the copy, which the log does not name.
 */
static int
write_config(struct hv_session *s, const struct hv_start_opts *opts,
	     struct hv_error *err)
{
	char *dir, *path;
	int rc = 0;

	if (s->replaying)
		return 0;
	if (!opts->config_text) {
		session_remove(s, "config");
		return 0;
	}
	dir = session_path(s, "");
	path = session_path(s, "config");
	if (hv_mkdir_p(dir, err) < 0 ||
	    hv_write_file_atomic(path, opts->config_text,
				 strlen(opts->config_text), err) < 0)
		rc = -1;
	free(path);
	free(dir);
	return rc;
}

int
session_start(struct hv_session *s, const struct hv_start_opts *opts,
	      struct hv_step *step, struct hv_error *err)
{
	struct hv_state *st = &s->st;
	struct hv_oid *oids = NULL, head;
	char *branch = NULL, *start_head, **paths = NULL;
	const char *term_old, *term_new;
	size_t i, n = opts->nrevs, npaths = opts->npaths;
	/* a bare repository has no work tree to check out: git implies
	 * --no-checkout there, and so does halve */
	int no_checkout = opts->no_checkout || !s->repo->workdir;
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
	for (i = 0; i < n; i++) {
		if (hv_repo_resolve(s->repo, opts->revs[i], &oids[i],
				    opts->dashdash ? err : NULL) == 0)
			continue;
		if (opts->dashdash || !i ||
		    !names_path(s, (const char *const *)opts->revs + i, n - i))
			goto out_unknown;
		/* without "--", what is not a revision starts the pathspec
		 * (git bisect's documented grammar) */
		npaths = opts->npaths + n - i;
		paths = xcalloc(npaths + 1, sizeof(*paths));
		memcpy(paths, opts->revs + i, (n - i) * sizeof(*paths));
		memcpy(paths + n - i, opts->paths, opts->npaths * sizeof(*paths));
		n = i;
		break;
	}
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
	if (!no_checkout && hv_repo_check_clean(s->repo, err) < 0)
		goto out;

	/* everything checked: from here on, write, inside the journal (a
	 * replay has its own around all of its commands) */
	if (!s->replaying && journal_begin(s, err) < 0)
		goto out;
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
		goto undo;
	}
	s->depth = 0;
	if (frames_write(s, err) < 0 || write_config(s, opts, err) < 0) {
		free(start_head);
		goto undo;
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
	st->no_checkout = no_checkout;
	st->npaths = npaths;
	st->paths = hv_argv_dup(paths ? paths : opts->paths, npaths);
	for (i = 0; i < n; i++) {
		const char *term = i ? st->term_good : st->term_bad;

		if (hv_state_write_mark(s->repo, st, term, &oids[i], err) < 0)
			goto undo;
		hv_state_log_mark(s->repo, st, term, &oids[i], 1);
	}
	hv_log_add_start(&st->log, opts->argv, opts->argc);
	if (hv_state_write_session(s->repo, st, &head, err) < 0 ||
	    hv_session_reload(s, err) < 0 || log_waiting(s, err) < 0)
		goto undo;
	/* the first checkout may fail (a file it would overwrite): a start
	 * that did not start leaves the session there was, if any */
	if (session_next(s, 1, step, err) < 0)
		goto undo;
	if (!s->replaying)
		journal_commit(s);
	rc = 0;
	goto out;
undo:
	if (!s->replaying) {
		hv_step_release(step);
		journal_rollback(s, NULL);
		hv_session_reload(s, NULL);
	}
	goto out;
out_unknown:
	hv_repo_resolve(s->repo, opts->revs[i], &oids[i], err);
	if (!opts->dashdash && i && err && err->msg) {
		char *m = xstrdup(err->msg);

		hv_error_set(err, "%s, nor a path in the work tree (use '--' "
			     "to separate paths from revisions)", m);
		free(m);
	}
out:
	free(paths);
	free(branch);
	free(oids);
	return rc;
}

int
hv_session_start(struct hv_session *s, const struct hv_start_opts *opts,
		 struct hv_step *step, struct hv_error *err)
{
	int rc;

	memset(step, 0, sizeof(*step));
	if (begin_change(s, 1, err) < 0)	/* a new start replaces damage */
		return -1;
	/* decided here, on the state read under the lock: another halve
	 * may have started a session since the caller looked */
	rc = opts->unless_active && s->st.active ? 0
		: session_start(s, opts, step, err);
	end_change(s);
	return rc;
}

/* Moves the work tree back to commit, or where the session started. */
static int
reset_checkout(struct hv_session *s, const char *commit, struct hv_error *err)
{
	const char *target = commit ? commit : s->st.start_head;
	struct hv_oid oid;
	char *ref;
	int is_branch;

	if (!s->st.active || s->st.no_checkout || !target)
		return 0;
	ref = xasprintf("refs/heads/%s", target);
	is_branch = hv_repo_ref_read(s->repo, ref, &oid) == 1;
	free(ref);
	if (is_branch)
		return hv_repo_checkout_branch(s->repo, target, err);
	if (hv_repo_resolve(s->repo, target, &oid, err) < 0)
		return -1;
	return hv_repo_checkout_detached(s->repo, &oid, err);
}

/*
 * Clears the session's files and refs, and halve's own files but the
 * step logs; the intent last (a reset killed part way is finished by the
 * next halve: journal_recover()).
 */
int
session_finish_reset(struct hv_session *s, struct hv_error *err)
{
	static const char *const halve_files[] = {
		"stack", "frames", "config", "running", "rollback",
	};
	char *path;
	size_t i;

	if (hv_state_clear(s->repo, err) < 0)
		return -1;
	hv_state_clear_strays(s->repo);
	/* the next session finds its own config; step logs stay */
	for (i = 0; i < HV_ARRAY_SIZE(halve_files); i++)
		session_remove(s, halve_files[i]);
	path = session_path(s, "");
	hv_remove_tmp_files(path, "");
	free(path);
	session_remove(s, "intent");
	s->depth = 0;
	return hv_session_reload(s, err);
}

/*
 * Ends the session whatever state its files are in (a damaged stack, a
 * change a killed halve left half made, stray temporary files): reset is
 * the way out, so it reads as little as it can and clears everything.
 * Once the work tree is back, the intent to reset is written: from then
 * on the reset is as good as made.
 */
int
hv_session_reset(struct hv_session *s, const char *commit,
		 struct hv_error *err)
{
	char *intent;
	int rc = -1;

	if (begin_change(s, 1, err) < 0)
		return -1;
	if (reset_checkout(s, commit, err) < 0)
		goto out;
	intent = session_path(s, "intent");
	rc = hv_write_file_atomic(intent, "reset\n", 6, err);
	free(intent);
	if (rc == 0)
		rc = session_finish_reset(s, err);
out:
	end_change(s);
	return rc;
}

int
hv_session_commit_tree(struct hv_session *s, const struct hv_oid *commit,
		       struct hv_oid *tree)
{
	struct hv_commit c;
	struct hv_error err = HV_ERROR_INIT;
	int rc;

	memset(&c, 0, sizeof(c));
	rc = hv_repo_read_commit(s->repo, commit, &c, &err);
	if (rc == 0)
		*tree = c.tree;
	hv_error_clear(&err);
	free(c.parents);
	return rc;
}

/*
 * The marks come in log order: the newest with oid's tree is the twin,
 * and one that disagrees with it withdraws the offer (a flaky test said
 * both on that tree). Results weighed are no verdicts to offer.
 */
int
hv_session_same_tree(struct hv_session *s, const struct hv_oid *oid,
		     struct hv_oid *twin, enum hv_term_kind *kind)
{
	struct hv_observation *obs;
	struct hv_oid tree, t;
	size_t n, i;
	int found = 0, bad = 0;

	if (!s->st.active || hv_session_confidence(s) > 0 ||
	    hv_session_commit_tree(s, oid, &tree) < 0)
		return 0;
	hv_session_observations(s, &obs, &n);
	for (i = n; i-- > 0;) {
		if (!hv_oid_cmp(&obs[i].oid, oid) ||
		    hv_session_commit_tree(s, &obs[i].oid, &t) < 0 ||
		    hv_oid_cmp(&t, &tree))
			continue;
		if (found && obs[i].bad != bad) {
			found = 0;
			break;
		}
		if (!found) {
			*twin = obs[i].oid;
			bad = obs[i].bad;
			found = 1;
		}
	}
	free(obs);
	if (found)
		*kind = bad ? HV_TERM_NEW : HV_TERM_OLD;
	return found;
}
