/*
 * rebuild.c: the rebuild-cost model (see rebuild.h).
 *
 * Loading walks the build directory once and keeps an inverted index:
 * every source-tree path some object depends on, sorted, with the
 * objects that depend on it. A cost is then a union over the changed
 * paths, counted with per-object stamps, so an object several changed
 * headers reach is compiled once, as make compiles it once.
 */
#include "config.h"

#include <errno.h>
#include <fts.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "rebuild.h"

struct pair {
	char *path;		/* owned until the index takes it */
	uint32_t obj;
};

struct hv_rebuild {
	char **paths;		/* sorted, unique, relative to the source */
	size_t npaths;
	uint32_t *first;	/* objs[first[i] .. first[i + 1]) reach paths[i] */
	uint32_t *objs;
	size_t nobjects;
	char **srcdirs;		/* sorted, unique: directories of compiled sources */
	size_t nsrcdirs;
	char *src;		/* the source tree, absolute */
	uint32_t *stamp, gen;	/* per object: counted in this cost */
};

struct loader {
	char *build, *src;	/* absolute, no trailing slash */
	size_t srclen;
	int build_inside;	/* build is a directory under src */
	struct pair *pairs;
	size_t npairs, apairs;
	char **objnames;	/* one per object, to merge duplicates */
	size_t nobj, aobj;
	char **dirs;
	size_t ndirs, adirs;
};

/*
 * path made absolute against base and normalised lexically (".", ".."
 * and doubled slashes): the files a dependency list names may be gone
 * from the disk since, so realpath() cannot be asked.
 */
static char *
normalise(const char *base, const char *path)
{
	struct strbuf in = STRBUF_INIT, out = STRBUF_INIT;
	const char *p, *end;

	if (path[0] != '/')
		sb_addf(&in, "%s/", base);
	sb_adds(&in, path);
	for (p = in.buf; *p; p = end) {
		size_t len;

		while (*p == '/')
			p++;
		end = strchr(p, '/');
		if (!end)
			end = p + strlen(p);
		len = (size_t)(end - p);
		if (!len || (len == 1 && p[0] == '.'))
			continue;
		if (len == 2 && p[0] == '.' && p[1] == '.') {
			char *slash = out.len ? strrchr(out.buf, '/') : NULL;

			if (slash) {
				out.len = (size_t)(slash - out.buf);
				out.buf[out.len] = '\0';
			}
			continue;
		}
		sb_addc(&out, '/');
		sb_add(&out, p, len);
	}
	sb_release(&in);
	if (!out.len)
		sb_addc(&out, '/');
	return sb_detach(&out);
}

/* A dependency as a path of the source tree, or NULL (make's functions,
 * the system's headers, generated files outside the source). */
static char *
source_path(const struct loader *ld, const char *tok)
{
	char *abs, *rel = NULL;
	size_t len = strlen(tok);

	if (!len || strstr(tok, "$(") || tok[len - 1] == ')' ||
	    tok[len - 1] == ':')
		return NULL;
	abs = normalise(ld->build, tok);
	/*
	 * A relative name is the make's working directory's: kbuild's O=
	 * runs make in the build directory, a plain project with its
	 * objects in a subdirectory runs it in the source. The one that
	 * exists wins; the build directory's when neither does.
	 */
	if (tok[0] != '/' && ld->build_inside) {
		struct stat st;

		if (stat(abs, &st) < 0) {
			char *alt = normalise(ld->src, tok);

			if (stat(alt, &st) == 0) {
				free(abs);
				abs = alt;
			} else {
				free(alt);
			}
		}
	}
	if (!strncmp(abs, ld->src, ld->srclen) && abs[ld->srclen] == '/')
		rel = xstrdup(abs + ld->srclen + 1);
	free(abs);
	return rel;
}

static uint32_t
new_object(struct loader *ld, const char *name, size_t len)
{
	if (ld->nobj == ld->aobj) {
		ld->aobj = ld->aobj ? 2 * ld->aobj : 256;
		ld->objnames = xreallocarray(ld->objnames, ld->aobj,
					     sizeof(*ld->objnames));
	}
	ld->objnames[ld->nobj] = xstrndup(name, len);
	return (uint32_t)ld->nobj++;
}

static void
add_dir(struct loader *ld, const char *rel)
{
	const char *slash = strrchr(rel, '/');

	if (ld->ndirs == ld->adirs) {
		ld->adirs = ld->adirs ? 2 * ld->adirs : 64;
		ld->dirs = xreallocarray(ld->dirs, ld->adirs, sizeof(*ld->dirs));
	}
	ld->dirs[ld->ndirs++] = slash ? xstrndup(rel, (size_t)(slash - rel))
				      : xstrdup("");
}

/* Adds each word of deps that is a source path as a dependency of obj;
 * with is_source, the first such is the object's source. */
static void
add_deps(struct loader *ld, uint32_t obj, char *deps, int is_source)
{
	char *save = NULL, *tok;

	for (tok = strtok_r(deps, " \t", &save); tok;
	     tok = strtok_r(NULL, " \t", &save)) {
		char *rel = source_path(ld, tok);

		if (!rel)
			continue;
		if (is_source) {
			add_dir(ld, rel);
			is_source = 0;
		}
		if (ld->npairs == ld->apairs) {
			ld->apairs = ld->apairs ? 2 * ld->apairs : 4096;
			ld->pairs = xreallocarray(ld->pairs, ld->apairs,
						  sizeof(*ld->pairs));
		}
		ld->pairs[ld->npairs].path = rel;
		ld->pairs[ld->npairs++].obj = obj;
	}
}

/*
 * Joins the lines continued with a backslash into one, in place, and
 * calls fn on each logical line. Stops early when fn returns nonzero.
 */
static void
each_line(char *text, int (*fn)(struct loader *, char *, uint32_t *),
	  struct loader *ld, uint32_t *state)
{
	char *r = text, *w = text, *line = text;

	for (;;) {
		if (*r == '\\' && r[1] == '\n') {
			*w++ = ' ';
			r += 2;
			continue;
		}
		if (*r == '\n' || !*r) {
			int end = !*r;

			*w = '\0';
			if (fn(ld, line, state) || end)
				return;
			line = w = ++r;
			continue;
		}
		*w++ = (*r == '\t') ? ' ' : *r;
		r++;
	}
}

/* The object a "source_T" or "deps_T" line is about: looked up among the
 * objects of this file (a .cmd file describes one target). */
static uint32_t
cmd_object(struct loader *ld, const char *name, size_t len, uint32_t *state)
{
	if (*state != UINT32_MAX &&
	    strlen(ld->objnames[*state]) == len &&
	    !strncmp(ld->objnames[*state], name, len))
		return *state;
	*state = new_object(ld, name, len);
	return *state;
}

/* kbuild's .cmd: "source_T := PATH" and "deps_T := ..." lines. */
static int
cmd_line(struct loader *ld, char *line, uint32_t *state)
{
	int is_source = !strncmp(line, "source_", 7);
	char *name, *assign;

	if (!is_source && strncmp(line, "deps_", 5))
		return 0;
	name = line + (is_source ? 7 : 5);
	assign = strstr(name, " := ");
	if (!assign || assign == name)
		return 0;
	add_deps(ld, cmd_object(ld, name, (size_t)(assign - name), state),
		 assign + 4, is_source);
	return 0;
}

/*
 * gcc's .d: "T [T...]: DEP DEP ..."; -MP's "HEADER:" lines with nothing
 * after them name no object. A line that is no rule means the file is
 * not a dependency file after all: the rest of it is left alone.
 */
static int
d_line(struct loader *ld, char *line, uint32_t *state)
{
	char *colon, *t = line;
	size_t tlen;

	(void)state;
	while (*t == ' ')
		t++;
	if (!*t || *t == '#')
		return 0;
	colon = strstr(t, ": ");
	if (!colon) {
		colon = strchr(t, ':');
		return !colon || colon[1] != '\0';
	}
	if (!colon[2 + strspn(colon + 2, " ")])
		return 0;
	tlen = strcspn(t, " :");
	add_deps(ld, new_object(ld, t, tlen), colon + 2, 1);
	return 0;
}

static void
read_dep_file(struct loader *ld, const char *path, const char *name)
{
	struct strbuf sb = STRBUF_INIT;
	size_t len = strlen(name);
	uint32_t state = UINT32_MAX;

	if (len > 4 && name[0] == '.' && !strcmp(name + len - 4, ".cmd")) {
		if (hv_read_file(path, &sb) == 0 && sb.len)
			each_line(sb.buf, cmd_line, ld, &state);
	} else if (len > 2 && !strcmp(name + len - 2, ".d")) {
		if (hv_read_file(path, &sb) == 0 && sb.len)
			each_line(sb.buf, d_line, ld, &state);
	}
	sb_release(&sb);
}

static int
walk(struct loader *ld, struct hv_error *err)
{
	char *roots[] = { ld->build, NULL };
	FTS *fts = fts_open(roots, FTS_PHYSICAL | FTS_NOCHDIR, NULL);
	FTSENT *e;

	if (!fts)
		return hv_error_set(err, "%s: %s", ld->build, strerror(errno));
	while ((e = fts_read(fts))) {
		if (e->fts_info == FTS_D && e->fts_level > 0 &&
		    !strcmp(e->fts_name, ".git"))
			fts_set(fts, e, FTS_SKIP);
		else if (e->fts_info == FTS_F)
			read_dep_file(ld, e->fts_path, e->fts_name);
	}
	fts_close(fts);
	return 0;
}

static int
cmp_pair(const void *a, const void *b)
{
	const struct pair *x = a, *y = b;
	int c = strcmp(x->path, y->path);

	if (c)
		return c;
	return (x->obj > y->obj) - (x->obj < y->obj);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct named {
	const char *name;
	uint32_t obj;
};

static int
cmp_named(const void *a, const void *b)
{
	const struct named *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : (x->obj > y->obj) - (x->obj < y->obj);
}

/*
 * One number per object name: a target described twice (a .cmd file and a
 * leftover .d, say) is one object. Returns the count; remaps the pairs.
 */
static size_t
merge_objects(struct loader *ld)
{
	struct named *nm = xmalloc((ld->nobj ? ld->nobj : 1) * sizeof(*nm));
	uint32_t *to = xmalloc((ld->nobj ? ld->nobj : 1) * sizeof(*to));
	size_t i, n = 0;

	for (i = 0; i < ld->nobj; i++) {
		nm[i].name = ld->objnames[i];
		nm[i].obj = (uint32_t)i;
	}
	qsort(nm, ld->nobj, sizeof(*nm), cmp_named);
	for (i = 0; i < ld->nobj; i++) {
		if (i && strcmp(nm[i].name, nm[i - 1].name))
			n++;
		to[nm[i].obj] = (uint32_t)n;
	}
	if (ld->nobj)
		n++;
	for (i = 0; i < ld->npairs; i++)
		ld->pairs[i].obj = to[ld->pairs[i].obj];
	free(nm);
	free(to);
	return n;
}

/* Sorted, unique, in place; frees the duplicates. */
static size_t
unique_strings(char **v, size_t n)
{
	size_t i, k = 0;

	if (!n)		/* v may be NULL: qsort must not see it */
		return 0;
	qsort(v, n, sizeof(*v), cmp_str);
	for (i = 0; i < n; i++) {
		if (k && !strcmp(v[k - 1], v[i]))
			free(v[i]);
		else
			v[k++] = v[i];
	}
	return k;
}

/* The loader's pairs as the index: each path once, its objects after it. */
static struct hv_rebuild *
build_index(struct loader *ld)
{
	struct hv_rebuild *rb = xcalloc(1, sizeof(*rb));
	size_t i, k = 0;

	rb->nobjects = merge_objects(ld);
	qsort(ld->pairs, ld->npairs, sizeof(*ld->pairs), cmp_pair);
	rb->paths = xmalloc((ld->npairs ? ld->npairs : 1) * sizeof(*rb->paths));
	rb->first = xmalloc((ld->npairs + 1) * sizeof(*rb->first));
	rb->objs = xmalloc((ld->npairs ? ld->npairs : 1) * sizeof(*rb->objs));
	for (i = 0; i < ld->npairs; i++) {
		struct pair *p = &ld->pairs[i];

		if (!rb->npaths || strcmp(rb->paths[rb->npaths - 1], p->path)) {
			rb->first[rb->npaths] = (uint32_t)k;
			rb->paths[rb->npaths++] = p->path;
		} else {
			free(p->path);
			if (rb->objs[k - 1] == p->obj)
				continue;
		}
		rb->objs[k++] = p->obj;
	}
	rb->first[rb->npaths] = (uint32_t)k;
	rb->srcdirs = ld->dirs;
	rb->nsrcdirs = unique_strings(ld->dirs, ld->ndirs);
	ld->dirs = NULL;
	ld->ndirs = 0;
	rb->stamp = xcalloc(rb->nobjects ? rb->nobjects : 1, sizeof(*rb->stamp));
	rb->src = xstrdup(ld->src);
	return rb;
}

static void
loader_free(struct loader *ld)
{
	size_t i;

	for (i = 0; i < ld->nobj; i++)
		free(ld->objnames[i]);
	free(ld->objnames);
	for (i = 0; i < ld->ndirs; i++)
		free(ld->dirs[i]);
	free(ld->dirs);
	free(ld->pairs);
	free(ld->build);
	free(ld->src);
}

int
hv_rebuild_load(const char *build_dir, const char *src_dir,
		struct hv_rebuild **out, struct hv_error *err)
{
	struct loader ld;
	int rc = 0;

	*out = NULL;
	memset(&ld, 0, sizeof(ld));
	ld.build = realpath(build_dir, NULL);
	if (!ld.build)
		return hv_error_set(err, "%s: %s", build_dir, strerror(errno));
	ld.src = realpath(src_dir, NULL);
	if (!ld.src) {
		rc = hv_error_set(err, "%s: %s", src_dir, strerror(errno));
		goto out;
	}
	ld.srclen = strlen(ld.src);
	if (ld.srclen == 1)	/* "/": every absolute path is under it */
		ld.srclen = 0;
	ld.build_inside = !strncmp(ld.build, ld.src, ld.srclen) &&
			  ld.build[ld.srclen] == '/';
	if (walk(&ld, err) < 0) {
		rc = -1;
		goto out;
	}
	if (!ld.npairs) {
		rc = 1;
		goto out;
	}
	*out = build_index(&ld);
out:
	loader_free(&ld);
	return rc;
}

size_t
hv_rebuild_objects(const struct hv_rebuild *rb)
{
	return rb->nobjects;
}

static int
find(char *const *v, size_t n, const char *s)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(v[mid], s);

		if (!c)
			return (int)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/*
 * A C or assembler source no object names, in a directory where objects
 * are compiled, and not in the source tree as it is checked out: a file
 * the other commit adds, which the build will likely compile. One that
 * is there already is one the configuration leaves out (compat/mingw.c
 * on Linux, a driver not configured beside one that is): changed, it
 * costs nothing.
 */
static int
new_source(const struct hv_rebuild *rb, const char *path)
{
	const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');
	char *dir, *abs;
	struct stat st;
	int found;

	if (!dot || (slash && dot < slash) ||
	    (strcmp(dot, ".c") && strcmp(dot, ".S") && strcmp(dot, ".s")))
		return 0;
	dir = slash ? xstrndup(path, (size_t)(slash - path)) : xstrdup("");
	found = find(rb->srcdirs, rb->nsrcdirs, dir) >= 0;
	free(dir);
	if (!found)
		return 0;
	abs = xasprintf("%s/%s", rb->src, path);
	found = lstat(abs, &st) < 0;
	free(abs);
	return found;
}

size_t
hv_rebuild_cost(struct hv_rebuild *rb, const char *const *paths, size_t n)
{
	size_t i, cost = 0;

	if (++rb->gen == 0) {	/* wrapped: old stamps could match */
		memset(rb->stamp, 0, rb->nobjects * sizeof(*rb->stamp));
		rb->gen = 1;
	}
	for (i = 0; i < n; i++) {
		int at = find(rb->paths, rb->npaths, paths[i]);
		uint32_t k;

		if (at < 0) {
			cost += (size_t)new_source(rb, paths[i]);
			continue;
		}
		for (k = rb->first[at]; k < rb->first[at + 1]; k++) {
			if (rb->stamp[rb->objs[k]] == rb->gen)
				continue;
			rb->stamp[rb->objs[k]] = rb->gen;
			cost++;
		}
	}
	return cost;
}

void
hv_rebuild_free(struct hv_rebuild *rb)
{
	size_t i;

	if (!rb)
		return;
	for (i = 0; i < rb->npaths; i++)
		free(rb->paths[i]);
	for (i = 0; i < rb->nsrcdirs; i++)
		free(rb->srcdirs[i]);
	free(rb->paths);
	free(rb->first);
	free(rb->objs);
	free(rb->srcdirs);
	free(rb->src);
	free(rb->stamp);
	free(rb);
}
