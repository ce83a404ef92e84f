/*
 * repo.c: libgit2 behind the small interface of repo.h. Error messages
 * are made here so that every face says the same thing, "what: why".
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cgraph.h"
#include "history.h"
#include "repo.h"

const char *
hv_repo_git_error(void)
{
	const git_error *e = git_error_last();

	return e && e->message ? e->message : "unknown libgit2 error";
}

static void
to_hv(struct hv_oid *out, const git_oid *in)
{
	memcpy(out->id, in->id, sizeof(out->id));
}

static void
to_git(git_oid *out, const struct hv_oid *in)
{
	memcpy(out->id, in->id, sizeof(in->id));
}

static char *
with_slash(const char *path)
{
	size_t n = strlen(path);

	return n && path[n - 1] == '/' ? xstrdup(path) : xasprintf("%s/", path);
}

/* core.commitGraph=false: git reads no commit-graph, libgit2 neither. */
static int
git_cgraph_off(struct hv_repo *repo)
{
	git_config *cfg = NULL;
	int on = 1;

	if (git_repository_config_snapshot(&cfg, repo->git) == 0 &&
	    git_config_get_bool(&on, cfg, "core.commitGraph") < 0)
		on = 1;
	git_config_free(cfg);
	if (!on)
		git_odb_set_commit_graph(repo->odb, NULL);
	return !on;
}

int
hv_repo_open(const char *path, struct hv_repo **out, struct hv_error *err)
{
	git_repository *git = NULL;
	struct hv_repo *repo;
	int rw;

	git_libgit2_init();
	/*
	 * Process-wide libgit2 settings, as git behaves: git does not hash
	 * every object it reads to check its name (libgit2 does, by default:
	 * a sixth of a walk's time), and commits are kept by commits.c once
	 * read, so libgit2's cache would only hold them twice.
	 */
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_COMMIT,
			 (size_t)0);
	if (git_repository_open_ext(&git, path, 0, NULL) < 0) {
		git_libgit2_shutdown();
		return hv_error_set(err, "%s: not a git repository", path);
	}
	repo = xcalloc(1, sizeof(*repo));
	repo->git = git;
	repo->gitdir = with_slash(git_repository_path(git));
	repo->commondir = with_slash(git_repository_commondir(git));
	if (git_repository_workdir(git))
		repo->workdir = with_slash(git_repository_workdir(git));
	if (git_repository_odb(&repo->odb, git) < 0) {
		hv_error_set(err, "%s: %s", path, hv_repo_git_error());
		hv_repo_free(repo);
		return -1;
	}
	rw = hv_history_install(git, repo->commondir, err);
	if (rw < 0) {
		hv_repo_free(repo);
		return -1;
	}
	repo->rewritten = rw;
	repo->git_cg_off = git_cgraph_off(repo);
	*out = repo;
	return 0;
}

void
hv_repo_free(struct hv_repo *repo)
{
	if (!repo)
		return;
	hv_cgraph_free(repo->cg);
	hv_commit_store_free(repo->store);
	git_odb_free(repo->odb);
	git_repository_free(repo->git);
	free(repo->gitdir);
	free(repo->commondir);
	free(repo->workdir);
	free(repo);
	git_libgit2_shutdown();
}

char *
hv_repo_cache_path(const struct hv_repo *repo)
{
	return xasprintf("%shalve/commit-graph", repo->commondir);
}

/* A graph that cannot be read is no graph: git copes, so does halve. */
static struct hv_cgraph *
open_quietly(int (*open_fn)(const char *, struct hv_cgraph **,
			    struct hv_error *), const char *path)
{
	struct hv_cgraph *g = NULL;

	if (open_fn(path, &g, NULL) < 0)
		return NULL;
	return g;
}

struct hv_cgraph *
hv_repo_cgraph(struct hv_repo *repo)
{
	struct hv_cgraph *git_cg = NULL, *own;
	char *path;

	if (repo->cg_tried)
		return repo->cg;
	repo->cg_tried = 1;
	if (repo->rewritten)
		return NULL;
	if (!repo->git_cg_off) {
		path = xasprintf("%sobjects", repo->commondir);
		git_cg = open_quietly(hv_cgraph_open, path);
		free(path);
	}
	path = hv_repo_cache_path(repo);
	own = open_quietly(hv_cgraph_open_file, path);
	free(path);
	if (own && (!git_cg || hv_cgraph_count(own) > hv_cgraph_count(git_cg))) {
		hv_cgraph_free(git_cg);
		repo->cg = own;
		repo->cg_is_cache = 1;
	} else {
		hv_cgraph_free(own);
		repo->cg = git_cg;
	}
	return repo->cg;
}

/*
 * Reachability over the commit-graph: a walk down from b over graph
 * positions, never below a's topological level. No object is inflated.
 * Returns -2 when either commit is not in the graph.
 */
static int
cgraph_is_ancestor(struct hv_cgraph *cg, const struct hv_oid *a,
		   const struct hv_oid *b)
{
	uint32_t pa, pb, level, *stack, *par = NULL, npar = 0;
	uint8_t *seen;
	size_t sp = 0, astack = 64;
	int found = 0;

	if (!hv_cgraph_find(cg, a, &pa) || !hv_cgraph_find(cg, b, &pb))
		return -2;
	level = hv_cgraph_generation(cg, pa);
	seen = xcalloc(hv_cgraph_count(cg) / 8 + 1, 1);
	stack = xmalloc(astack * sizeof(*stack));
	stack[sp++] = pb;
	seen[pb / 8] |= 1 << (pb % 8);
	while (sp && !found) {
		uint32_t x = stack[--sp], n, i;

		if (x == pa) {
			found = 1;
			break;
		}
		if (hv_cgraph_generation(cg, x) <= level)
			continue;
		n = hv_cgraph_parents(cg, x, par, npar);
		if (n > npar) {
			npar = n;
			par = xreallocarray(par, npar, sizeof(*par));
			hv_cgraph_parents(cg, x, par, npar);
		}
		for (i = 0; i < n; i++) {
			if (seen[par[i] / 8] & (1 << (par[i] % 8)))
				continue;
			seen[par[i] / 8] |= 1 << (par[i] % 8);
			HV_GROW(stack, sp + 1, astack);
			stack[sp++] = par[i];
		}
	}
	free(par);
	free(stack);
	free(seen);
	return found;
}

char *
hv_repo_path(const struct hv_repo *repo, const char *name)
{
	return xasprintf("%s%s", repo->gitdir, name);
}

int
hv_repo_resolve(struct hv_repo *repo, const char *rev, struct hv_oid *out,
		struct hv_error *err)
{
	git_object *obj = NULL, *commit = NULL;

	if (!*rev || git_revparse_single(&obj, repo->git, rev) < 0)
		return hv_error_set(err, "%s: unknown revision", rev);
	if (git_object_peel(&commit, obj, GIT_OBJECT_COMMIT) < 0) {
		git_object_free(obj);
		return hv_error_set(err, "%s: not a commit", rev);
	}
	to_hv(out, git_object_id(commit));
	git_object_free(commit);
	git_object_free(obj);
	return 0;
}

int
hv_repo_range_commits(struct hv_repo *repo, const char *range,
		      struct hv_oid **out, size_t *n, struct hv_error *err)
{
	git_revwalk *walk = NULL;
	git_revspec spec;
	git_oid g;
	size_t alloc = 0;
	int rc = -1, r;

	*out = NULL;
	*n = 0;
	if (git_revparse(&spec, repo->git, range) < 0)
		return hv_error_set(err, "%s: unknown revision range", range);
	if (!(spec.flags & GIT_REVSPEC_RANGE) ||
	    (spec.flags & GIT_REVSPEC_MERGE_BASE)) {
		hv_error_set(err, "%s: unknown revision range", range);
		goto out;
	}
	if (git_revwalk_new(&walk, repo->git) < 0 ||
	    git_revwalk_push(walk, git_object_id(spec.to)) < 0 ||
	    git_revwalk_hide(walk, git_object_id(spec.from)) < 0) {
		hv_error_set(err, "%s: %s", range, hv_repo_git_error());
		goto out;
	}
	while ((r = git_revwalk_next(&g, walk)) == 0) {
		HV_GROW(*out, *n + 1, alloc);
		to_hv(&(*out)[(*n)++], &g);
	}
	if (r != GIT_ITEROVER) {
		hv_error_set(err, "%s: %s", range, hv_repo_git_error());
		free(*out);
		*out = NULL;
		*n = 0;
		goto out;
	}
	rc = 0;
out:
	git_revwalk_free(walk);
	git_object_free(spec.from);
	git_object_free(spec.to);
	return rc;
}

static git_commit *
lookup(struct hv_repo *repo, const struct hv_oid *oid)
{
	git_commit *c = NULL;
	git_oid g;

	to_git(&g, oid);
	if (git_commit_lookup(&c, repo->git, &g) < 0)
		return NULL;
	return c;
}

/* Past the lines of white space alone at the start of msg. */
static const char *
skip_blank_lines(const char *msg)
{
	const char *p = msg;

	for (; *p; p++) {
		if (*p == '\n')
			msg = p + 1;
		else if (!strchr(" \t\r\v\f", *p))
			break;
	}
	return msg;
}

/*
 * git's %s (pretty.c's format_subject): blank lines skipped, then the
 * first paragraph, each line without its trailing white space, joined
 * by spaces. At most max bytes of it are kept.
 */
static char *
subject_of(const char *msg, size_t max)
{
	struct strbuf sb = STRBUF_INIT;

	msg = skip_blank_lines(msg);
	while (*msg && sb.len < max) {
		const char *nl = strchr(msg, '\n');
		size_t len = nl ? (size_t)(nl - msg) : strlen(msg);
		size_t end = len;

		while (end && strchr(" \t\r\v\f", msg[end - 1]))
			end--;
		if (!end)
			break;
		if (sb.len)
			sb_addc(&sb, ' ');
		sb_add(&sb, msg, end < max - sb.len ? end : max - sb.len);
		msg += len + (nl ? 1 : 0);
	}
	if (sb.len > max)
		sb.buf[sb.len = max] = '\0';
	return sb_detach(&sb);
}

char *
hv_repo_subject(struct hv_repo *repo, const struct hv_oid *oid)
{
	git_commit *c = lookup(repo, oid);
	char *s;

	if (!c)
		return xstrdup("");
	s = subject_of(git_commit_message(c), SIZE_MAX - 1);
	git_commit_free(c);
	return s;
}

/*
 * text (len bytes) from the encoding named to UTF-8, or NULL when iconv
 * does not know the encoding or the text is not in it (git then shows
 * the bytes as they are, and so does the caller).
 */
static char *
to_utf8(const char *encoding, const char *text, size_t len)
{
	iconv_t cd = iconv_open("UTF-8", encoding);
	size_t left = len, room = 4 * len + 1;
	char *out, *in = (char *)text, *at;

	if (cd == (iconv_t)-1)
		return NULL;
	out = at = xmalloc(room);
	if (iconv(cd, &in, &left, &at, &room) == (size_t)-1 ||
	    iconv(cd, NULL, NULL, &at, &room) == (size_t)-1) {
		free(out);
		out = NULL;
	} else {
		*at = '\0';
	}
	iconv_close(cd);
	return out;
}

/* How many of the first max bytes of s end on a UTF-8 character boundary. */
static size_t
utf8_cut(const char *s, size_t len, size_t max)
{
	size_t n = len < max ? len : max;

	if (n < len)
		while (n && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	return n;
}

/*
 * text in UTF-8 as git log shows commit c's text: converted when c names
 * another encoding, NULL when it needs no conversion or cannot have one.
 */
static char *
commit_utf8(git_commit *c, const char *text)
{
	const char *enc = git_commit_message_encoding(c);

	if (!enc || !strcasecmp(enc, "UTF-8") || !strcasecmp(enc, "utf8"))
		return NULL;
	return to_utf8(enc, text, strlen(text));
}

char *
hv_repo_subject_display(struct hv_repo *repo, const struct hv_oid *oid,
			size_t max)
{
	git_commit *c = lookup(repo, oid);
	char *s, *u;

	if (!c)
		return xstrdup("");
	s = subject_of(git_commit_message(c), max);
	u = commit_utf8(c, s);
	if (u) {
		free(s);
		s = u;
	}
	s[utf8_cut(s, strlen(s), max)] = '\0';
	git_commit_free(c);
	return s;
}

int
hv_repo_describe(struct hv_repo *repo, const struct hv_oid *oid,
		 struct strbuf *sb)
{
	git_commit *c = lookup(repo, oid);
	const git_signature *a;
	char hex[41], date[64];
	time_t t;
	struct tm tm;
	int off;
	const char *msg, *line;
	char *name, *utf8;

	if (!c)
		return -1;
	hv_oid_fmt(hex, oid);
	a = git_commit_author(c);
	off = a->when.offset;
	t = (time_t)a->when.time + off * 60;
	gmtime_r(&t, &tm);
	/* git's default date: the day of the month unpadded */
	strftime(date, sizeof(date), "%a %b ", &tm);
	snprintf(date + strlen(date), sizeof(date) - strlen(date), "%d ",
		 tm.tm_mday);
	strftime(date + strlen(date), sizeof(date) - strlen(date),
		 "%H:%M:%S %Y", &tm);
	sb_addf(sb, "commit %s\n", hex);
	if (git_commit_parentcount(c) > 1) {
		unsigned i;

		sb_adds(sb, "Merge:");
		for (i = 0; i < git_commit_parentcount(c); i++) {
			char ph[41];
			struct hv_oid p;

			to_hv(&p, git_commit_parent_id(c, i));
			hv_oid_fmt(ph, &p);
			sb_addf(sb, " %.7s", ph);
		}
		sb_addc(sb, '\n');
	}
	name = commit_utf8(c, a->name);
	sb_addf(sb, "Author: %s <%s>\n", name ? name : a->name, a->email);
	free(name);
	sb_addf(sb, "Date:   %s %c%02d%02d\n\n", date, off < 0 ? '-' : '+',
		abs(off) / 60, abs(off) % 60);
	/* the summary is git show's: in UTF-8, whatever the commit's encoding */
	utf8 = commit_utf8(c, git_commit_message(c));
	msg = utf8 ? utf8 : git_commit_message(c);
	for (line = msg; *line;) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);

		sb_adds(sb, "    ");	/* blank lines too, as git show */
		sb_add(sb, line, len);
		sb_addc(sb, '\n');
		line += len + (nl ? 1 : 0);
	}
	free(utf8);
	git_commit_free(c);
	return 0;
}

int
hv_repo_parents(struct hv_repo *repo, const struct hv_oid *oid,
		struct hv_oid **parents, size_t *n, struct hv_error *err)
{
	git_commit *c = lookup(repo, oid);
	unsigned i;

	if (!c) {
		char hex[41];

		hv_oid_fmt(hex, oid);
		return hv_error_set(err, "%s: %s", hex, hv_repo_git_error());
	}
	*n = git_commit_parentcount(c);
	*parents = xcalloc(*n ? *n : 1, sizeof(**parents));
	for (i = 0; i < *n; i++)
		to_hv(&(*parents)[i], git_commit_parent_id(c, i));
	git_commit_free(c);
	return 0;
}

int
hv_repo_is_ancestor(struct hv_repo *repo, const struct hv_oid *a,
		    const struct hv_oid *b)
{
	if (!hv_oid_cmp(a, b))
		return 1;
	if (hv_repo_cgraph(repo)) {
		int rc = cgraph_is_ancestor(repo->cg, a, b);

		if (rc != -2)
			return rc;
	}
	/* the commits it reads are the range walk's next: read them once */
	return hv_repo_objects_is_ancestor(repo, a, b);
}

int
hv_repo_merge_bases(struct hv_repo *repo, const struct hv_oid *one,
		    const struct hv_oid *others, size_t n, struct hv_oid **out,
		    size_t *nout, struct hv_error *err)
{
	size_t i, count = 0, alloc = 0;
	struct hv_oid *res = NULL;

	for (i = 0; i < n; i++) {
		git_oidarray arr = { 0 };
		git_oid ga, gb;
		size_t k, j;
		int rc;

		to_git(&ga, one);
		to_git(&gb, &others[i]);
		rc = git_merge_bases(&arr, repo->git, &ga, &gb);
		if (rc == GIT_ENOTFOUND)
			continue;
		if (rc < 0) {
			free(res);
			return hv_error_set(err, "merge base: %s",
					    hv_repo_git_error());
		}
		for (k = 0; k < arr.count; k++) {
			struct hv_oid o;

			to_hv(&o, &arr.ids[k]);
			for (j = 0; j < count; j++)
				if (!hv_oid_cmp(&res[j], &o))
					break;
			if (j < count)
				continue;
			HV_GROW(res, count + 1, alloc);
			res[count++] = o;
		}
		git_oidarray_dispose(&arr);
	}
	*out = res;
	*nout = count;
	return 0;
}

int
hv_repo_ref_read(struct hv_repo *repo, const char *name, struct hv_oid *out)
{
	git_oid g;
	int rc = git_reference_name_to_id(&g, repo->git, name);

	if (rc == GIT_ENOTFOUND)
		return 0;
	if (rc < 0)
		return -1;
	to_hv(out, &g);
	return 1;
}

int
hv_repo_ref_write(struct hv_repo *repo, const char *name,
		  const struct hv_oid *oid, struct hv_error *err)
{
	git_reference *ref = NULL;
	git_oid g;

	to_git(&g, oid);
	if (git_reference_create(&ref, repo->git, name, &g, 1, NULL) < 0)
		return hv_error_set(err, "%s: %s", name, hv_repo_git_error());
	git_reference_free(ref);
	return 0;
}

/*
 * Per-worktree refs. git keeps refs/bisect/ (and refs/worktree/,
 * refs/rewritten/) for each worktree apart, loose in the worktree's own
 * git dir and never packed. libgit2 reads and writes a single such ref
 * there, but its iterator in a linked worktree walks only the common
 * refs, so it would show the main worktree's bisection instead of this
 * one's. These are listed from the worktree's directory instead.
 */
static int
per_worktree(const char *prefix)
{
	return !strncmp(prefix, "refs/bisect/", 12) ||
	       !strncmp(prefix, "refs/worktree/", 14) ||
	       !strncmp(prefix, "refs/rewritten/", 15);
}

/*
 * libgit2 (1.5) removes a ref from the common refs even when it is a
 * per-worktree one of a linked worktree: it would leave this worktree's
 * ref in place and delete the main worktree's of the same name. Such refs
 * are only ever loose files in the worktree's git dir; git removes the
 * file.
 */
static int
worktree_ref_delete(struct hv_repo *repo, const char *name)
{
	char *path = xasprintf("%s%s", repo->gitdir, name);
	int rc = unlink(path) < 0 && errno != ENOENT ? -1 : 0;

	free(path);
	return rc;
}

int
hv_repo_ref_delete(struct hv_repo *repo, const char *name)
{
	int rc;

	if (per_worktree(name) && git_repository_is_worktree(repo->git))
		return worktree_ref_delete(repo, name);
	rc = git_reference_remove(repo->git, name);

	return rc == GIT_ENOTFOUND ? 0 : rc;
}

struct names {
	char **v;
	size_t n, alloc;
};

/* Whether gitdir/name is a directory (d_type is not known everywhere). */
static int
is_dir(const char *gitdir, const char *name, unsigned char type)
{
	struct stat st;
	char *path;
	int rc;

	if (type != DT_UNKNOWN)
		return type == DT_DIR;
	path = xasprintf("%s%s", gitdir, name);
	rc = stat(path, &st) == 0 && S_ISDIR(st.st_mode);
	free(path);
	return rc;
}

/* Adds the ref names of the loose files below gitdir/name to *out. */
static void
list_loose(const char *gitdir, const char *name, struct names *out)
{
	char *dir = xasprintf("%s%s", gitdir, name);
	DIR *d = opendir(dir);
	struct dirent *e;

	free(dir);
	if (!d)
		return;
	while ((e = readdir(d))) {
		char *sub;

		if (e->d_name[0] == '.' || strstr(e->d_name, ".lock"))
			continue;
		sub = xasprintf("%s%s", name, e->d_name);
		if (is_dir(gitdir, sub, e->d_type)) {
			char *slash = xasprintf("%s/", sub);

			list_loose(gitdir, slash, out);
			free(slash);
			free(sub);
			continue;
		}
		HV_GROW(out->v, out->n + 1, out->alloc);
		out->v[out->n++] = sub;
	}
	closedir(d);
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The per-worktree refs below prefix, in name order as git lists them. */
static int
worktree_refs_foreach(struct hv_repo *repo, const char *prefix,
		      int (*fn)(const char *, const struct hv_oid *, void *),
		      void *data)
{
	struct names names = { NULL, 0, 0 };
	const char *slash = strrchr(prefix, '/');
	char *dir = xstrndup(prefix, (size_t)(slash - prefix) + 1);
	size_t i;
	int rc = 0;

	list_loose(repo->gitdir, dir, &names);
	free(dir);
	if (names.n)	/* qsort's base may not be NULL, even for none */
		qsort(names.v, names.n, sizeof(*names.v), cmp_names);
	for (i = 0; i < names.n; i++) {
		struct hv_oid o;

		if (!rc && !strncmp(names.v[i], prefix, strlen(prefix)) &&
		    hv_repo_ref_read(repo, names.v[i], &o) > 0)
			rc = fn(names.v[i], &o, data);
		free(names.v[i]);
	}
	free(names.v);
	return rc;
}

int
hv_repo_refs_foreach(struct hv_repo *repo, const char *prefix,
		     int (*fn)(const char *, const struct hv_oid *, void *),
		     void *data)
{
	git_reference_iterator *it = NULL;
	git_reference *ref;
	char *glob;
	int rc = 0;

	if (per_worktree(prefix) && git_repository_is_worktree(repo->git))
		return worktree_refs_foreach(repo, prefix, fn, data);
	glob = xasprintf("%s*", prefix);
	if (git_reference_iterator_glob_new(&it, repo->git, glob) < 0) {
		free(glob);
		return -1;
	}
	free(glob);
	while (!rc && git_reference_next(&ref, it) == 0) {
		const git_oid *g = git_reference_target(ref);

		if (g) {
			struct hv_oid o;

			to_hv(&o, g);
			rc = fn(git_reference_name(ref), &o, data);
		}
		git_reference_free(ref);
	}
	git_reference_iterator_free(it);
	return rc;
}

int
hv_repo_head(struct hv_repo *repo, char **branch, struct hv_oid *oid,
	     struct hv_error *err)
{
	git_reference *head = NULL;
	git_object *obj = NULL;

	*branch = NULL;
	if (git_repository_head(&head, repo->git) < 0)
		return hv_error_set(err, "HEAD: %s", hv_repo_git_error());
	if (git_reference_is_branch(head))
		*branch = xstrdup(git_reference_shorthand(head));
	if (git_reference_peel(&obj, head, GIT_OBJECT_COMMIT) < 0) {
		git_reference_free(head);
		free(*branch);
		*branch = NULL;
		return hv_error_set(err, "HEAD: %s", hv_repo_git_error());
	}
	to_hv(oid, git_object_id(obj));
	git_object_free(obj);
	git_reference_free(head);
	return 0;
}

/* Adds path to a ", "-separated list, at most a handful of names. */
static void
list_path(struct strbuf *sb, int *count, const char *path)
{
	if (*count < 8)
		sb_addf(sb, "%s%s", *count ? ", " : "", path);
	else if (*count == 8)
		sb_adds(sb, ", ...");
	(*count)++;
}

int
hv_repo_check_clean(struct hv_repo *repo, struct hv_error *err)
{
	git_status_options opts = GIT_STATUS_OPTIONS_INIT;
	git_status_list *list = NULL;
	struct strbuf names = STRBUF_INIT;
	size_t i, n;
	int count = 0;

	if (!repo->workdir)
		return 0;
	opts.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
	opts.flags = GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
	if (git_status_list_new(&list, repo->git, &opts) < 0)
		return hv_error_set(err, "status: %s", hv_repo_git_error());
	n = git_status_list_entrycount(list);
	for (i = 0; i < n; i++) {
		const git_status_entry *e = git_status_byindex(list, i);
		const git_diff_delta *d = e->head_to_index ? e->head_to_index
							  : e->index_to_workdir;

		if (e->status == GIT_STATUS_CURRENT ||
		    (e->status & (GIT_STATUS_WT_NEW | GIT_STATUS_IGNORED)) ==
			    e->status)
			continue;
		list_path(&names, &count, d ? d->new_file.path : "?");
	}
	git_status_list_free(list);
	if (count) {
		hv_error_set(err, "work tree has local changes to tracked files: %s"
			     " (commit or stash them first)", names.buf);
		sb_release(&names);
		return -1;
	}
	sb_release(&names);
	return 0;
}

struct conflicts {
	struct strbuf names;
	int count;
};

static int
on_conflict(git_checkout_notify_t why, const char *path,
	    const git_diff_file *baseline, const git_diff_file *target,
	    const git_diff_file *workdir, void *payload)
{
	struct conflicts *c = payload;

	list_path(&c->names, &c->count, path);
	return 0;
}

/* What libgit2's checkout says when it fails, conflicts named. */
static int
checkout_failed(struct conflicts *c, const char *what, struct hv_error *err)
{
	if (c->count)
		return hv_error_set(err, "checkout %s: would overwrite %s "
				    "(move or remove them first)", what,
				    c->names.buf);
	return hv_error_set(err, "checkout %s: %s", what, hv_repo_git_error());
}

/*
 * Submodules. git's checkout never touches a submodule's work tree (short
 * of submodule.recurse): a gitlink that moves to another commit only
 * changes the index, one that goes away leaves its directory behind as
 * untracked ("unable to rmdir"), and a dirty submodule blocks nothing.
 * libgit2 instead deletes a clean submodule's directory, its .git and any
 * commit never pushed with it, and refuses a modified one. So the gitlinks
 * that differ between HEAD and the target and whose directory holds
 * anything are kept out of libgit2's hands: it checks out the target with
 * HEAD's entries at those paths, and the index is then set to the target's
 * gitlink (or the entry dropped) as git leaves it.
 */
struct kept {
	char **paths;
	size_t n, alloc;
};

static void
kept_free(struct kept *k)
{
	size_t i;

	for (i = 0; i < k->n; i++)
		free(k->paths[i]);
	free(k->paths);
}

/* 1 when path in the work tree is a directory with anything in it. */
static int
populated_dir(struct hv_repo *repo, const char *path)
{
	char *full = xasprintf("%s%s", repo->workdir, path);
	DIR *d = opendir(full);
	struct dirent *e;
	int found = 0;

	free(full);
	if (!d)
		return 0;
	while (!found && (e = readdir(d)))
		found = strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return found;
}

/* The mode of path in tree (0 when absent; tree may be NULL). */
static unsigned
mode_at(git_tree *tree, const char *path, git_oid *oid)
{
	git_tree_entry *e = NULL;
	unsigned mode;

	if (!tree || git_tree_entry_bypath(&e, tree, path) < 0) {
		git_error_clear();
		return 0;
	}
	mode = git_tree_entry_filemode(e);
	if (oid)
		git_oid_cpy(oid, git_tree_entry_id(e));
	git_tree_entry_free(e);
	return mode;
}

/*
 * Fills k with the populated submodules the checkout from -> to would
 * disturb. A submodule whose path becomes a file or a directory of the
 * target is refused rather than deleted.
 */
static int
find_kept(struct hv_repo *repo, git_tree *from, git_tree *to,
	  const char *what, struct kept *k, struct hv_error *err)
{
	git_diff *diff = NULL;
	size_t i, n;
	int rc = 0;

	if (git_diff_tree_to_tree(&diff, repo->git, from, to, NULL) < 0)
		return hv_error_set(err, "checkout %s: %s", what,
				    hv_repo_git_error());
	n = git_diff_num_deltas(diff);
	for (i = 0; i < n && !rc; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		const char *path = d->old_file.path;
		unsigned to_mode;

		if ((d->old_file.mode != GIT_FILEMODE_COMMIT &&
		     d->new_file.mode != GIT_FILEMODE_COMMIT) ||
		    !populated_dir(repo, path) ||
		    (k->n && !strcmp(k->paths[k->n - 1], path)))
			continue;
		to_mode = mode_at(to, path, NULL);
		if (to_mode && to_mode != GIT_FILEMODE_COMMIT) {
			rc = hv_error_set(err, "checkout %s: would replace the "
					  "submodule work tree %s (move it "
					  "away first)", what, path);
			break;
		}
		HV_GROW(k->paths, k->n + 1, k->alloc);
		k->paths[k->n++] = xstrdup(path);
	}
	git_diff_free(diff);
	return rc;
}

/*
 * Sets path in index to tree's gitlink there, or drops it when tree has
 * none.
 */
static int
index_gitlink(git_index *index, git_tree *tree, const char *path)
{
	git_index_entry e;

	memset(&e, 0, sizeof(e));
	if (git_index_remove(index, path, 0) < 0)
		git_error_clear();
	if (mode_at(tree, path, &e.id) != GIT_FILEMODE_COMMIT)
		return 0;
	e.mode = GIT_FILEMODE_COMMIT;
	e.path = path;
	return git_index_add(index, &e);
}

/* The checkout with the kept submodules left as HEAD has them. */
static int
checkout_keeping(struct hv_repo *repo, git_tree *from, git_tree *to,
		 const struct kept *k, git_checkout_options *opts)
{
	git_index *mem = NULL, *index = NULL;
	size_t i;
	int rc = -1;

	if (git_index_new(&mem) < 0 || git_index_read_tree(mem, to) < 0)
		goto out;
	for (i = 0; i < k->n; i++)
		if (index_gitlink(mem, from, k->paths[i]) < 0)
			goto out;
	if (git_checkout_index(repo->git, mem, opts) < 0 ||
	    git_repository_index(&index, repo->git) < 0 ||
	    git_index_read(index, 0) < 0)
		goto out;
	for (i = 0; i < k->n; i++)
		if (index_gitlink(index, to, k->paths[i]) < 0)
			goto out;
	rc = git_index_write(index);
out:
	git_index_free(index);
	git_index_free(mem);
	return rc;
}

/* HEAD's tree, or NULL (an unborn HEAD has none). */
static git_tree *
head_tree(struct hv_repo *repo)
{
	git_object *obj = NULL;

	if (git_revparse_single(&obj, repo->git, "HEAD^{tree}") < 0) {
		git_error_clear();
		return NULL;
	}
	return (git_tree *)obj;
}

/* submodule.recurse: git's checkout then moves the submodules too. */
static int
recurse_submodules(struct hv_repo *repo)
{
	git_config *cfg = NULL;
	int on = 0;

	if (git_repository_config_snapshot(&cfg, repo->git) < 0 ||
	    git_config_get_bool(&on, cfg, "submodule.recurse") < 0)
		on = 0;
	git_error_clear();
	git_config_free(cfg);
	return on;
}

/*
 * With submodule.recurse, each kept submodule the target still records
 * is moved to the target's commit first, as `git checkout
 * --recurse-submodules` moves it: a detached checkout inside it (itself
 * keeping its own submodules) that refuses to overwrite local changes.
 * They go before the project does, so a refusal leaves the project where
 * it was. A submodule the target drops still keeps its directory, where
 * git would remove a clean one's work tree.
 */
static int
move_submodules(struct hv_repo *repo, git_tree *to, const struct kept *k,
		struct hv_error *err)
{
	size_t i;

	for (i = 0; i < k->n; i++) {
		char *dir = xasprintf("%s%s", repo->workdir, k->paths[i]);
		char *dotgit = xasprintf("%s/.git", dir);
		struct hv_repo *sub = NULL;
		struct hv_error e = HV_ERROR_INIT;
		struct hv_oid oid;
		git_oid g;
		int rc = 0;

		if (mode_at(to, k->paths[i], &g) == GIT_FILEMODE_COMMIT &&
		    hv_file_exists(dotgit)) {
			to_hv(&oid, &g);
			rc = hv_repo_open(dir, &sub, &e) < 0 ? -1 :
			     hv_repo_checkout_detached(sub, &oid, &e);
			if (rc < 0)
				hv_error_set(err, "submodule %s: %s",
					     k->paths[i], e.msg);
		}
		hv_error_clear(&e);
		hv_repo_free(sub);
		free(dotgit);
		free(dir);
		if (rc < 0)
			return -1;
	}
	return 0;
}

static int
checkout_tree(struct hv_repo *repo, git_commit *commit, const char *what,
	      struct hv_error *err)
{
	git_checkout_options opts = GIT_CHECKOUT_OPTIONS_INIT;
	struct conflicts c = { STRBUF_INIT, 0 };
	struct kept k = { NULL, 0, 0 };
	git_tree *from = head_tree(repo), *to = NULL;
	int rc = -1;

	opts.checkout_strategy = GIT_CHECKOUT_SAFE |
				 GIT_CHECKOUT_DONT_OVERWRITE_IGNORED;
	opts.notify_flags = GIT_CHECKOUT_NOTIFY_CONFLICT;
	opts.notify_cb = on_conflict;
	opts.notify_payload = &c;
	if (git_commit_tree(&to, commit) < 0) {
		hv_error_set(err, "checkout %s: %s", what, hv_repo_git_error());
		goto out;
	}
	if (find_kept(repo, from, to, what, &k, err) < 0 ||
	    (k.n && recurse_submodules(repo) &&
	     move_submodules(repo, to, &k, err) < 0))
		goto out;
	if (k.n ? checkout_keeping(repo, from, to, &k, &opts) :
		  git_checkout_tree(repo->git, (git_object *)to, &opts)) {
		checkout_failed(&c, what, err);
		goto out;
	}
	rc = 0;
out:
	kept_free(&k);
	git_tree_free(to);
	git_tree_free(from);
	sb_release(&c.names);
	return rc;
}

int
hv_repo_revert_onto(struct hv_repo *repo, const struct hv_oid *commit,
		    const struct hv_oid *onto, struct hv_oid *out,
		    struct hv_error *err)
{
	git_commit *c = lookup(repo, commit), *base = lookup(repo, onto);
	git_index *index = NULL;
	git_tree *tree = NULL;
	git_signature *sig = NULL;
	git_oid tree_id, id;
	char hex[41], *msg = NULL, *subject = NULL;
	int rc = -1;

	hv_oid_fmt(hex, commit);
	if (!c || !base) {
		hv_error_set(err, "revert: %s", hv_repo_git_error());
		goto out;
	}
	if (git_revert_commit(&index, repo->git, c, base,
			      git_commit_parentcount(c) > 1 ? 1 : 0,
			      NULL) < 0) {
		hv_error_set(err, "revert %.12s: %s", hex, hv_repo_git_error());
		goto out;
	}
	if (git_index_has_conflicts(index)) {
		const git_index_entry *a, *o, *t;
		git_index_conflict_iterator *it = NULL;
		const char *path = "?";

		if (git_index_conflict_iterator_new(&it, index) == 0 &&
		    git_index_conflict_next(&a, &o, &t, it) == 0)
			path = o ? o->path : t ? t->path : a ? a->path : "?";
		hv_error_set(err, "revert %.12s: conflicts in %s", hex, path);
		git_index_conflict_iterator_free(it);
		goto out;
	}
	subject = hv_repo_subject(repo, commit);
	msg = xasprintf("Revert \"%s\"\n\nThis reverts commit %s (made by "
			"halve verify, on no branch).\n", subject, hex);
	if (git_index_write_tree_to(&tree_id, index, repo->git) < 0 ||
	    git_tree_lookup(&tree, repo->git, &tree_id) < 0 ||
	    (git_signature_default(&sig, repo->git) < 0 &&
	     git_signature_now(&sig, "halve", "halve@localhost") < 0) ||
	    git_commit_create(&id, repo->git, NULL, sig, sig, NULL, msg, tree,
			      1, (const git_commit **)&base) < 0) {
		hv_error_set(err, "revert %.12s: %s", hex, hv_repo_git_error());
		goto out;
	}
	to_hv(out, &id);
	rc = 0;
out:
	free(msg);
	free(subject);
	git_signature_free(sig);
	git_tree_free(tree);
	git_index_free(index);
	git_commit_free(c);
	git_commit_free(base);
	return rc;
}

/* The paths whose entries differ between two trees (from may be NULL:
 * every path of to). */
static int
tree_diff_paths(struct hv_repo *repo, git_tree *from, git_tree *to,
		char ***paths, size_t *n, struct hv_error *err)
{
	git_diff *diff = NULL;
	size_t i, alloc = 0;

	if (git_diff_tree_to_tree(&diff, repo->git, from, to, NULL) < 0)
		return hv_error_set(err, "diff: %s", hv_repo_git_error());
	for (i = 0; i < git_diff_num_deltas(diff); i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);

		HV_GROW(*paths, *n + 2, alloc);
		(*paths)[(*n)++] = xstrdup(d->new_file.path ? d->new_file.path
							    : d->old_file.path);
	}
	if (!*paths)
		*paths = xcalloc(1, sizeof(**paths));
	(*paths)[*n] = NULL;
	git_diff_free(diff);
	return 0;
}

int
hv_repo_changed_paths(struct hv_repo *repo, const struct hv_oid *commit,
		      char ***paths, size_t *n, struct hv_error *err)
{
	git_commit *c = lookup(repo, commit), *parent = NULL;
	git_tree *from = NULL, *to = NULL;
	int rc = -1;

	*paths = NULL;
	*n = 0;
	if (!c || git_commit_tree(&to, c) < 0 ||
	    (git_commit_parentcount(c) &&
	     (git_commit_parent(&parent, c, 0) < 0 ||
	      git_commit_tree(&from, parent) < 0))) {
		hv_error_set(err, "diff: %s", hv_repo_git_error());
		goto out;
	}
	rc = tree_diff_paths(repo, from, to, paths, n, err);
out:
	git_tree_free(from);
	git_tree_free(to);
	git_commit_free(parent);
	git_commit_free(c);
	return rc;
}

int
hv_repo_diff_paths(struct hv_repo *repo, const struct hv_oid *a,
		   const struct hv_oid *b, char ***paths, size_t *n,
		   struct hv_error *err)
{
	git_commit *ca = lookup(repo, a), *cb = lookup(repo, b);
	git_tree *ta = NULL, *tb = NULL;
	int rc = -1;

	*paths = NULL;
	*n = 0;
	if (!ca || !cb || git_commit_tree(&ta, ca) < 0 ||
	    git_commit_tree(&tb, cb) < 0)
		hv_error_set(err, "diff: %s", hv_repo_git_error());
	else
		rc = tree_diff_paths(repo, ta, tb, paths, n, err);
	git_tree_free(ta);
	git_tree_free(tb);
	git_commit_free(ca);
	git_commit_free(cb);
	return rc;
}

int
hv_repo_checkout_detached(struct hv_repo *repo, const struct hv_oid *oid,
			  struct hv_error *err)
{
	git_commit *c = lookup(repo, oid);
	char hex[41];
	int rc;

	hv_oid_fmt(hex, oid);
	if (!c)
		return hv_error_set(err, "%s: %s", hex, hv_repo_git_error());
	if (repo->workdir && checkout_tree(repo, c, hex, err) < 0) {
		git_commit_free(c);
		return -1;
	}
	rc = git_repository_set_head_detached(repo->git, git_commit_id(c));
	git_commit_free(c);
	if (rc < 0)
		return hv_error_set(err, "HEAD: %s", hv_repo_git_error());
	return 0;
}

int
hv_repo_checkout_branch(struct hv_repo *repo, const char *branch,
			struct hv_error *err)
{
	char *name = xasprintf("refs/heads/%s", branch);
	git_reference *ref = NULL;
	git_object *obj = NULL;
	int rc = -1;

	if (git_reference_lookup(&ref, repo->git, name) < 0 ||
	    git_reference_peel(&obj, ref, GIT_OBJECT_COMMIT) < 0) {
		hv_error_set(err, "%s: no such branch", branch);
		goto out;
	}
	if (repo->workdir &&
	    checkout_tree(repo, (git_commit *)obj, branch, err) < 0)
		goto out;
	if (git_repository_set_head(repo->git, name) < 0) {
		hv_error_set(err, "HEAD: %s", hv_repo_git_error());
		goto out;
	}
	rc = 0;
out:
	git_object_free(obj);
	git_reference_free(ref);
	free(name);
	return rc;
}
