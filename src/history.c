/*
 * history.c: git's view of the history where it differs from the objects:
 * a shallow clone's boundary commits (no parents), grafts
 * (info/grafts, or $GIT_GRAFT_FILE) and replace refs (refs/replace/, or
 * $GIT_REPLACE_REF_BASE; off with $GIT_NO_REPLACE_OBJECTS, as for git
 * bisect). libgit2 1.5 applies none of them.
 *
 * Rather than teach every caller (the range walk, merge bases,
 * ancestry, rev-parse's ~ and ^, subjects, checkout), this puts an
 * object database backend in front of the repository's own: it answers
 * for the commits git sees differently with the object git would read
 * (the replacement's bytes, parent lines as the graft or the shallow file
 * say), and passes everything else through. Every libgit2 call above it
 * then sees git's history. The underlying bytes come from a second,
 * plain object database, so that the main one's cache only ever holds
 * the rewritten objects.
 *
 * It must not print, and keeps no globals: the tables hang off the
 * backends, which the object database frees.
 */
#include "config.h"

#include <git2/sys/odb_backend.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "history.h"

#define MAX_REPLACE_DEPTH 5	/* git's MAXREPLACEDEPTH */
#define HEX 40

/* One commit git sees with other parents: a graft, or shallow (none). */
struct graft {
	struct hv_oid oid;
	struct hv_oid *parents;
	size_t nparents;
};

struct replace {
	struct hv_oid from, to;
};

/* The tables, shared by the two backends below. */
struct tables {
	git_odb *raw;			/* the objects as stored */
	struct graft *grafts;		/* sorted by oid, unique */
	size_t ngrafts, agrafts;
	struct replace *repl;		/* sorted by from, unique */
	size_t nrepl, arepl;
	int refs;			/* backends holding the tables */
};

/*
 * libgit2 reads an object from the first backend by priority that has it,
 * but takes a prefix match from the last one: one backend ahead of the
 * repository's for reads, one behind it for abbreviated ids.
 */
struct backend {
	git_odb_backend parent;
	struct tables *t;
};

#define FRONT_PRIORITY 1000
#define BACK_PRIORITY -1000

static void
tables_unref(struct tables *t)
{
	size_t i;

	if (--t->refs > 0)
		return;
	for (i = 0; i < t->ngrafts; i++)
		free(t->grafts[i].parents);
	free(t->grafts);
	free(t->repl);
	git_odb_free(t->raw);
	free(t);
}

static int
cmp_graft(const void *a, const void *b)
{
	return hv_oid_cmp(a, b);	/* oid is each struct's first member */
}

static const struct graft *
find_graft(const struct tables *t, const struct hv_oid *oid)
{
	return t->ngrafts ? bsearch(oid, t->grafts, t->ngrafts,
				    sizeof(*t->grafts), cmp_graft) : NULL;
}

static const struct replace *
find_replace(const struct tables *t, const struct hv_oid *oid)
{
	return t->nrepl ? bsearch(oid, t->repl, t->nrepl, sizeof(*t->repl),
				  cmp_graft) : NULL;
}

/* Adds or replaces (later wins, as git's register_commit_graft). */
static void
add_graft(struct tables *t, const struct hv_oid *oid,
	  const struct hv_oid *parents, size_t n)
{
	struct graft *g = NULL;
	size_t i;

	for (i = 0; i < t->ngrafts && !g; i++)
		if (!hv_oid_cmp(&t->grafts[i].oid, oid))
			g = &t->grafts[i];
	if (!g) {
		HV_GROW(t->grafts, t->ngrafts + 1, t->agrafts);
		g = &t->grafts[t->ngrafts++];
		g->oid = *oid;
	} else {
		free(g->parents);
	}
	g->parents = n ? xmalloc(n * sizeof(*parents)) : NULL;
	if (n)
		memcpy(g->parents, parents, n * sizeof(*parents));
	g->nparents = n;
}

static int
parse_hex(struct hv_oid *oid, const char *s, size_t len)
{
	char hex[HEX + 1];

	if (len != HEX)
		return -1;
	memcpy(hex, s, HEX);
	hex[HEX] = 0;
	return hv_oid_parse(oid, hex);
}

/*
 * A grafts file: "<commit> <parent>..." per line, '#' comments. Like git,
 * a malformed line is left out (git says "bad graft data" and goes on).
 */
static void
read_grafts(struct tables *t, const struct strbuf *text)
{
	const char *line = text->buf, *end = text->buf + text->len;
	struct hv_oid *ids = NULL;
	size_t aids = 0;

	while (line < end) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		const char *stop = nl ? nl : end, *p = line;
		size_t n = 0;
		int bad = 0;

		/* git trims the line first */
		while (stop > line && strchr(" \t\r", stop[-1]))
			stop--;
		while (!bad && p < stop && *line != '#') {
			HV_GROW(ids, n + 1, aids);
			bad = stop - p < HEX || parse_hex(&ids[n++], p, HEX) < 0 ||
			      (p + HEX < stop && p[HEX] != ' ');
			p += HEX + 1;
		}
		if (!bad && n)
			add_graft(t, &ids[0], ids + 1, n - 1);
		line = nl ? nl + 1 : end;
	}
	free(ids);
}

/* The shallow file: one boundary commit a line; it has no parents. */
static void
read_shallow(struct tables *t, const struct strbuf *text)
{
	const char *line = text->buf, *end = text->buf + text->len;

	while (line < end) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		struct hv_oid oid;

		if (parse_hex(&oid, line, (size_t)((nl ? nl : end) - line)) == 0)
			add_graft(t, &oid, NULL, 0);
		line = nl ? nl + 1 : end;
	}
}

/*
 * Only $GIT_NO_REPLACE_OBJECTS turns replace refs off for git bisect
 * 2.39.5: core.useReplaceRefs=false does for git log and git rev-list,
 * but git bisect never reads it and bisects the replaced history. halve
 * tests what git bisect tests.
 */
static int
replace_refs_enabled(void)
{
	return getenv("GIT_NO_REPLACE_OBJECTS") == NULL;
}

static int
read_replace_refs(struct tables *t, git_repository *git,
		  struct hv_error *err)
{
	const char *env = getenv("GIT_REPLACE_REF_BASE");
	char *base = xstrdup(env && *env ? env : "refs/replace/");
	size_t blen = strlen(base);
	git_reference_iterator *it = NULL;
	git_reference *ref;
	char *glob;
	int rc = 0;

	if (blen && base[blen - 1] != '/') {
		char *b = xasprintf("%s/", base);

		free(base);
		base = b;
		blen++;
	}
	glob = xasprintf("%s*", base);
	if (git_reference_iterator_glob_new(&it, git, glob) < 0)
		rc = hv_error_set(err, "%s: %s", glob, git_error_last() ?
				  git_error_last()->message : "cannot list");
	while (rc == 0 && git_reference_next(&ref, it) == 0) {
		const char *name = git_reference_name(ref) + blen;
		const git_oid *to = git_reference_target(ref);
		struct replace r;

		/* git skips a name that is not an object id */
		if (to && parse_hex(&r.from, name, strlen(name)) == 0) {
			memcpy(r.to.id, to->id, sizeof(r.to.id));
			HV_GROW(t->repl, t->nrepl + 1, t->arepl);
			t->repl[t->nrepl++] = r;
		}
		git_reference_free(ref);
	}
	git_reference_iterator_free(it);
	free(glob);
	free(base);
	if (t->nrepl)
		qsort(t->repl, t->nrepl, sizeof(*t->repl), cmp_graft);
	return rc;
}

/* The bytes git reads for oid: through replace refs, as stored. */
static int
read_replaced(struct tables *t, const struct hv_oid *oid,
	      git_odb_object **obj)
{
	const struct replace *r;
	struct hv_oid cur = *oid;
	git_oid g;
	int depth = 0;

	while ((r = find_replace(t, &cur)) && depth++ < MAX_REPLACE_DEPTH)
		cur = r->to;
	if (r) {
		git_error_set_str(GIT_ERROR_ODB, "replace depth too high");
		return -1;
	}
	memcpy(g.id, cur.id, sizeof(g.id));
	return git_odb_read(obj, t->raw, &g);
}

/* A commit's bytes with its parent lines as a graft or shallow says. */
static void
regraft(struct strbuf *out, const char *data, size_t len,
	const struct graft *g)
{
	const char *end = data + len, *p = data;
	char hex[41];
	size_t i;

	/* keep "tree", drop every "parent", keep the rest as it is */
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = (size_t)((nl ? nl + 1 : end) - p);

		if (n > 7 && !memcmp(p, "parent ", 7)) {
			p += n;
			continue;
		}
		sb_add(out, p, n);
		p += n;
		if (n > 5 && !memcmp(p - n, "tree ", 5))
			break;
	}
	for (i = 0; i < g->nparents; i++) {
		hv_oid_fmt(hex, &g->parents[i]);
		sb_addf(out, "parent %s\n", hex);
	}
	while (p < end && end - p > 7 && !memcmp(p, "parent ", 7)) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));

		p = nl ? nl + 1 : end;
	}
	sb_add(out, p, (size_t)(end - p));
}

/* GIT_PASSTHROUGH when git sees oid as stored, else the object it sees. */
static int
rewritten(struct backend *b, void **data, size_t *len, git_object_t *type,
	  const struct hv_oid *oid)
{
	struct tables *t = b->t;
	const struct graft *g = find_graft(t, oid);
	git_odb_object *obj = NULL;
	struct strbuf sb = STRBUF_INIT;

	if (!g && !find_replace(t, oid))
		return GIT_PASSTHROUGH;
	if (read_replaced(t, oid, &obj) < 0)
		return -1;
	*type = git_odb_object_type(obj);
	if (g && *type == GIT_OBJECT_COMMIT)
		regraft(&sb, git_odb_object_data(obj),
			git_odb_object_size(obj), g);
	else
		sb_add(&sb, git_odb_object_data(obj), git_odb_object_size(obj));
	*len = sb.len;
	*data = git_odb_backend_data_alloc(&b->parent, sb.len ? sb.len : 1);
	if (*data)
		memcpy(*data, sb.buf, sb.len);
	sb_release(&sb);
	git_odb_object_free(obj);
	return *data ? 0 : -1;
}

static int
front_read(void **data, size_t *len, git_object_t *type,
	   git_odb_backend *backend, const git_oid *id)
{
	struct hv_oid oid;

	memcpy(oid.id, id->id, sizeof(oid.id));
	return rewritten((struct backend *)backend, data, len, type, &oid);
}

/* The one rewritten commit that an abbreviated id names, if any. */
static int
back_read_prefix(git_oid *out, void **data, size_t *len, git_object_t *type,
		 git_odb_backend *backend, const git_oid *prefix, size_t hexlen)
{
	struct backend *b = (struct backend *)backend;
	const struct hv_oid *hit = NULL;
	size_t k;

	for (k = 0; k < b->t->ngrafts + b->t->nrepl; k++) {
		const struct hv_oid *o = k < b->t->ngrafts ?
			&b->t->grafts[k].oid : &b->t->repl[k - b->t->ngrafts].from;
		git_oid g;

		memcpy(g.id, o->id, sizeof(g.id));
		if (git_oid_ncmp(&g, prefix, hexlen))
			continue;
		if (hit && hv_oid_cmp(hit, o))
			return GIT_ENOTFOUND;	/* the others say ambiguous */
		hit = o;
	}
	if (!hit)
		return GIT_ENOTFOUND;
	memcpy(out->id, hit->id, sizeof(out->id));
	return rewritten(b, data, len, type, hit);
}

static void
backend_free(git_odb_backend *backend)
{
	struct backend *b = (struct backend *)backend;

	tables_unref(b->t);
	free(b);
}

static int
add_backend(git_odb *odb, struct tables *t, int front, struct hv_error *err)
{
	struct backend *b = xcalloc(1, sizeof(*b));

	git_odb_init_backend(&b->parent, GIT_ODB_BACKEND_VERSION);
	if (front)
		b->parent.read = front_read;
	else
		b->parent.read_prefix = back_read_prefix;
	b->parent.free = backend_free;
	b->t = t;
	if (git_odb_add_backend(odb, &b->parent, front ? FRONT_PRIORITY :
				BACK_PRIORITY) < 0) {
		free(b);
		return hv_error_set(err, "object database: %s",
				    git_error_last() ? git_error_last()->message
						     : "cannot add a backend");
	}
	t->refs++;
	return 0;
}

/* Reads commondir/name (or the file env names) into t with fn. */
static void
read_table(struct tables *t, const char *commondir, const char *name,
	   const char *env, void (*fn)(struct tables *, const struct strbuf *))
{
	const char *over = env ? getenv(env) : NULL;
	char *path = over && *over ? xstrdup(over) :
		     xasprintf("%s%s", commondir, name);
	struct strbuf text = STRBUF_INIT;

	if (hv_read_file(path, &text) == 0)
		fn(t, &text);
	sb_release(&text);
	free(path);
}

int
hv_history_install(git_repository *git, const char *commondir,
		   struct hv_error *err)
{
	struct tables *t = xcalloc(1, sizeof(*t));
	git_odb *odb = NULL;
	char *objects;
	int rc = -1;

	read_table(t, commondir, "info/grafts", "GIT_GRAFT_FILE", read_grafts);
	read_table(t, commondir, "shallow", NULL, read_shallow);
	if (t->ngrafts)
		qsort(t->grafts, t->ngrafts, sizeof(*t->grafts), cmp_graft);
	if (replace_refs_enabled() && read_replace_refs(t, git, err) < 0)
		goto out;
	if (!t->ngrafts && !t->nrepl) {
		rc = 0;
		goto out;
	}
	objects = xasprintf("%sobjects", commondir);
	if (git_odb_open(&t->raw, objects) < 0 ||
	    git_repository_odb(&odb, git) < 0) {
		hv_error_set(err, "%s: %s", objects, git_error_last() ?
			     git_error_last()->message : "cannot open");
		free(objects);
		goto out;
	}
	free(objects);
	/* git reads no commit-graph here; libgit2's walks must not either */
	git_odb_set_commit_graph(odb, NULL);
	/* the rewritten objects do not hash to their ids (repo.c turns
	 * libgit2's check off for every object, as git never makes it) */
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
	if (add_backend(odb, t, 1, err) < 0 || add_backend(odb, t, 0, err) < 0)
		goto out;
	rc = 1;
out:
	git_odb_free(odb);
	t->refs++;	/* ours, dropped here */
	tables_unref(t);
	return rc;
}
