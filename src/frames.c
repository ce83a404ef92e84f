/*
 * frames.c: nested bisections (descend, ascend) and the journal that
 * makes a change of the whole state crash-safe (sessionint.h).
 *
 * A descended merge keeps the outer bisection's files and refs in
 * .git/halve/frames/N/ and a line in .git/halve/stack. The journal keeps
 * the state before a change in .git/halve/rollback/ and, once that is
 * whole, writes .git/halve/intent; removing the intent is the moment the
 * change is made. A halve killed in between leaves the intent, and the
 * next change puts the state back as it was before.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sessionint.h"

/* .git/halve/stack: "<merge> <parent> <side>" per nested bisection. */
int
frames_load(struct hv_session *s, struct hv_error *err)
{
	char *path = session_path(s, "stack");
	struct strbuf sb = STRBUF_INIT;
	const char *line;
	int lineno = 0, rc = 0;

	free(s->frames);
	s->frames = NULL;
	s->depth = 0;
	if (hv_read_file(path, &sb) < 0) {
		if (errno != ENOENT)
			rc = hv_error_set(err, "%s: %s", path, strerror(errno));
		free(path);
		return rc;
	}
	for (line = sb.buf ? sb.buf : ""; *line;) {
		const char *nl = strchr(line, '\n');
		char *text = xstrndup(line, nl ? (size_t)(nl - line) : strlen(line));
		char merge[41], side[41], extra;
		struct hv_frame f;

		lineno++;
		if (sscanf(text, "%40s %d %40s %c", merge, &f.parent, side,
			   &extra) != 3 || f.parent < 2 ||
		    hv_oid_parse(&f.merge, merge) < 0 ||
		    hv_oid_parse(&f.side, side) < 0) {
			rc = hv_error_set(err, "%s:%d: malformed frame: %s", path,
					  lineno, text);
			free(text);
			break;
		}
		free(text);
		s->frames = xreallocarray(s->frames, s->depth + 1,
					  sizeof(*s->frames));
		s->frames[s->depth++] = f;
		line = nl ? nl + 1 : line + strlen(line);
	}
	if (rc < 0) {
		free(s->frames);
		s->frames = NULL;
		s->depth = 0;
	}
	sb_release(&sb);
	free(path);
	return rc;
}

int
frames_write(struct hv_session *s, struct hv_error *err)
{
	char *dir = session_path(s, ""), *path = session_path(s, "stack");
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

/*
 * Copies the file src to dst (atomically) when src exists, and removes
 * dst when it does not; buf is scratch.
 */
static int
copy_file(const char *src, const char *dst, struct strbuf *buf,
	  struct hv_error *err)
{
	sb_reset(buf);
	if (hv_read_file(src, buf) < 0) {
		if (unlink(dst) < 0 && errno != ENOENT)
			return hv_error_set(err, "%s: %s", dst, strerror(errno));
		return 0;
	}
	return hv_write_file_atomic(dst, buf->buf ? buf->buf : "", buf->len,
				    err);
}

/* Copies the state files and refs of the bisection into dir. */
static int
save_state(struct hv_session *s, const char *dir, struct hv_error *err)
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
		int w = copy_file(src, dst, &data, err);

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

/* Writes the marks of a saved "refs" file (TERM HEX a line) back. */
static int
restore_refs(struct hv_session *s, const char *path, const char *text,
	     struct hv_error *err)
{
	int lineno = 0;

	while (*text) {
		const char *nl = strchr(text, '\n');
		char *line = xstrndup(text, nl ? (size_t)(nl - text) : strlen(text));
		char *sp = strchr(line, ' ');
		struct hv_oid oid;
		int rc = 0;

		lineno++;
		if (!sp || sp == line || strlen(sp + 1) != 40 ||
		    hv_oid_parse(&oid, sp + 1) < 0) {
			rc = hv_error_set(err, "%s:%d: malformed mark: %s", path,
					  lineno, line);
		} else {
			*sp = '\0';
			rc = hv_state_write_mark(s->repo, &s->st, line, &oid, err);
		}
		free(line);
		if (rc < 0)
			return -1;
		text = nl ? nl + 1 : text + strlen(text);
	}
	return 0;
}

/* Puts the bisection saved in dir back in place of the present one. */
static int
restore_state(struct hv_session *s, const char *dir, struct hv_error *err)
{
	struct strbuf data = STRBUF_INIT;
	char *path = xasprintf("%s/refs", dir);
	int i, rc = -1;

	/* read first: a damaged copy must not cost the present state */
	if (hv_read_file(path, &data) < 0) {
		hv_error_set(err, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (hv_state_clear(s->repo, err) < 0)
		goto out;
	/* BISECT_START last, as everywhere */
	for (i = hv_state_nfiles - 1; i >= 0; i--) {
		struct strbuf buf = STRBUF_INIT;
		char *src = xasprintf("%s/%s", dir, hv_state_files[i]);
		char *dst = hv_repo_path(s->repo, hv_state_files[i]);
		int w = copy_file(src, dst, &buf, err);

		sb_release(&buf);
		free(src);
		free(dst);
		if (w < 0)
			goto out;
	}
	hv_state_release(&s->st);
	if (hv_state_load(s->repo, &s->st, err) < 0 ||
	    restore_refs(s, path, data.buf ? data.buf : "", err) < 0)
		goto out;
	rc = 0;
out:
	free(path);
	sb_release(&data);
	return rc;
}

static char *
frame_dir(struct hv_session *s, size_t depth)
{
	char *name = xasprintf("frames/%zu", depth), *dir = session_path(s, name);

	free(name);
	return dir;
}

/* The files of .git/halve a change of the whole state may replace. */
static const char *const journaled[] = { "stack", "config" };

/* Copies the journaled files from one directory to the other. */
static int
copy_journaled(const char *from, const char *to, struct hv_error *err)
{
	struct strbuf buf = STRBUF_INIT;
	size_t i;
	int rc = 0;

	for (i = 0; i < HV_ARRAY_SIZE(journaled) && rc == 0; i++) {
		char *src = xasprintf("%s/%s", from, journaled[i]);
		char *dst = xasprintf("%s/%s", to, journaled[i]);

		rc = copy_file(src, dst, &buf, err);
		free(src);
		free(dst);
	}
	sb_release(&buf);
	return rc;
}

/*
 * Where HEAD is, as rollback/HEAD keeps it: "branch NAME" or "detached
 * HEX". NULL in a bare repository or on an unborn branch: no work tree
 * to put back.
 */
static char *
head_text(struct hv_session *s)
{
	struct hv_oid oid;
	char *branch = NULL, *text, hex[41];

	if (!s->repo->workdir || hv_repo_head(s->repo, &branch, &oid, NULL) < 0)
		return NULL;
	hv_oid_fmt(hex, &oid);
	text = branch ? xasprintf("branch %s\n", branch)
		      : xasprintf("detached %s\n", hex);
	free(branch);
	return text;
}

/*
 * A start checks out before its change is made: a start killed after
 * that, rolled back, must leave HEAD where it was too, or the branch it
 * began on is lost with the session that named it.
 */
static int
restore_head(struct hv_session *s, const char *dir, struct hv_error *err)
{
	char *path = xasprintf("%s/HEAD", dir), *now = head_text(s);
	struct strbuf saved = STRBUF_INIT;
	struct hv_oid oid;
	int rc = 0;

	if (hv_read_file(path, &saved) < 0 || !saved.buf || !now ||
	    !strcmp(saved.buf, now))
		goto out;
	sb_rtrim(&saved);
	if (!strncmp(saved.buf, "branch ", 7))
		rc = hv_repo_checkout_branch(s->repo, saved.buf + 7, err);
	else if (!strncmp(saved.buf, "detached ", 9) &&
		 hv_oid_parse(&oid, saved.buf + 9) == 0)
		rc = hv_repo_checkout_detached(s->repo, &oid, err);
	else
		rc = hv_error_set(err, "%s: malformed: %s", path, saved.buf);
out:
	sb_release(&saved);
	free(now);
	free(path);
	return rc;
}

int
journal_begin(struct hv_session *s, struct hv_error *err)
{
	char *dir = session_path(s, "rollback"), *halve = session_path(s, "");
	char *intent = session_path(s, "intent"), *head = head_text(s);
	char *head_path = xasprintf("%s/HEAD", dir);
	int rc = -1;

	/* a rollback with no intent is one that was never armed */
	hv_remove_tree(dir);
	if (save_state(s, dir, err) == 0 &&
	    copy_journaled(halve, dir, err) == 0 &&
	    (!head || hv_write_file_atomic(head_path, head, strlen(head),
					   err) == 0))
		rc = hv_write_file_atomic(intent, "rollback\n", 9, err);
	free(head_path);
	free(head);
	free(intent);
	free(halve);
	free(dir);
	return rc;
}

void
journal_commit(struct hv_session *s)
{
	session_remove(s, "intent");	/* the change is made */
	session_remove(s, "rollback");
}

/*
 * The temporary files of writes a killed halve did not finish: every
 * writer of these files holds the lock, so under it they are nobody's.
 * (.git/halve/running is the pipeline's, written without it.)
 */
static void
remove_tmp_files(struct hv_session *s)
{
	char *halve = session_path(s, "");
	size_t i;

	hv_remove_tmp_files(s->repo->gitdir, "BISECT_");
	for (i = 0; i < HV_ARRAY_SIZE(journaled); i++)
		hv_remove_tmp_files(halve, journaled[i]);
	hv_remove_tmp_files(halve, "intent");
	free(halve);
}

int
journal_rollback(struct hv_session *s, struct hv_error *err)
{
	char *dir = session_path(s, "rollback"), *halve = session_path(s, "");
	int rc = restore_head(s, dir, err);

	if (rc == 0)
		rc = restore_state(s, dir, err);
	if (rc == 0)
		rc = copy_journaled(dir, halve, err);
	if (rc == 0) {
		journal_commit(s);
		rc = frames_load(s, err);
	}
	if (rc == 0) {
		/* a descend rolled back leaves the frame it was saving */
		free(dir);
		dir = frame_dir(s, s->depth + 1);
		hv_remove_tree(dir);
	}
	free(halve);
	free(dir);
	return rc;
}

int
journal_recover(struct hv_session *s, struct hv_error *err)
{
	char *intent = session_path(s, "intent");
	struct strbuf what = STRBUF_INIT;
	int armed = hv_read_file(intent, &what) == 0, rc;

	free(intent);
	remove_tmp_files(s);
	if (!armed) {
		session_remove(s, "rollback");
		return 0;
	}
	if (what.buf && !strncmp(what.buf, "reset", 5)) {
		sb_release(&what);
		return session_finish_reset(s, err) < 0 ? -1 : 1;
	}
	sb_release(&what);
	/* whatever is damaged is about to be replaced */
	hv_state_release(&s->st);
	hv_state_load(s->repo, &s->st, NULL);
	rc = journal_rollback(s, err);
	return rc < 0 ? -1 : 1;
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

/*
 * The inner log's start line says what the session's did (its terms,
 * --no-checkout, its pathspec): an undo inside the merge replays this
 * log, and so may git.
 */
static void
add_inner_start(struct hv_state *inner)
{
	char **argv = xcalloc(inner->npaths + 5, sizeof(*argv));
	size_t argc = 0, i;

	if (strcmp(inner->term_bad, "bad") || strcmp(inner->term_good, "good")) {
		argv[argc++] = xasprintf("--term-old=%s", inner->term_good);
		argv[argc++] = xasprintf("--term-new=%s", inner->term_bad);
	}
	if (inner->no_checkout)
		argv[argc++] = xstrdup("--no-checkout");
	if (inner->npaths)
		argv[argc++] = xstrdup("--");
	for (i = 0; i < inner->npaths; i++)
		argv[argc++] = xstrdup(inner->paths[i]);
	hv_log_add_start(&inner->log, argv, argc);
	hv_argv_free(argv);
}

/* The inner bisection's files: good = merge^1, the same terms and paths. */
static int
write_inner(struct hv_session *s, const struct hv_frame *f,
	    const struct hv_oid *first, const struct hv_oid *head,
	    struct hv_error *err)
{
	struct hv_state inner;
	char hex[41];
	int rc;

	memset(&inner, 0, sizeof(inner));
	if (hv_state_clear(s->repo, err) < 0)
		return -1;
	hv_oid_fmt(hex, &f->merge);
	inner.active = 1;
	inner.start_head = xstrdup(s->st.start_head);
	inner.term_bad = xstrdup(s->st.term_bad);
	inner.term_good = xstrdup(s->st.term_good);
	inner.terms_set = 1;
	inner.no_checkout = s->st.no_checkout;
	inner.npaths = s->st.npaths;
	inner.paths = hv_argv_dup(s->st.paths, inner.npaths);
	hv_log_add_reason(&inner.log, "descend into merge %s, parent %d", hex,
			  f->parent);
	add_inner_start(&inner);
	hv_state_log_mark(s->repo, &inner, inner.term_good, first, 0);
	/* a weighed bisection weighs inside the merge too */
	if (hv_session_confidence(s) > 0)
		hv_log_add_confidence(&inner.log, hv_session_confidence(s));
	rc = hv_state_write_mark(s->repo, &inner, inner.term_good, first, err);
	if (!rc)
		rc = hv_state_write_session(s->repo, &inner, head, err);
	hv_state_release(&inner);
	return rc;
}

static int
descend(struct hv_session *s, int parent, struct hv_step *step,
	struct hv_error *err)
{
	struct hv_step now;
	struct hv_oid *parents = NULL, head;
	struct hv_frame f;
	size_t np = 0;
	char hex[41], *dir = NULL, *branch = NULL;
	int rc = -1;

	if (session_next(s, 0, &now, err) < 0)
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
	if ((!s->st.no_checkout && hv_repo_check_clean(s->repo, err) < 0) ||
	    hv_repo_head(s->repo, &branch, &head, err) < 0 ||
	    journal_begin(s, err) < 0)
		goto out;
	dir = frame_dir(s, s->depth + 1);
	hv_remove_tree(dir);
	if (save_state(s, dir, err) < 0)
		goto undo;
	s->frames = xreallocarray(s->frames, s->depth + 1, sizeof(*s->frames));
	s->frames[s->depth++] = f;
	if (frames_write(s, err) < 0 ||
	    write_inner(s, &f, &parents[0], &head, err) < 0)
		goto undo;
	journal_commit(s);
	if (hv_session_reload(s, err) < 0)
		goto out;
	rc = session_next(s, 1, step, err);
	goto out;
undo:
	journal_rollback(s, NULL);
out:
	free(dir);
	free(branch);
	free(parents);
	return rc;
}

int
hv_session_descend(struct hv_session *s, int parent, struct hv_step *step,
		   struct hv_error *err)
{
	int rc;

	memset(step, 0, sizeof(*step));
	if (begin_change(s, 0, err) < 0)
		return -1;
	rc = descend(s, parent, step, err);
	end_change(s);
	return rc;
}

static int
ascend(struct hv_session *s, struct hv_step *step, struct hv_error *err)
{
	char *dir;
	int rc;

	if (!s->depth)
		return hv_error_set(err, "ascend: not inside a descended merge");
	if (journal_begin(s, err) < 0)
		return -1;
	dir = frame_dir(s, s->depth);
	rc = restore_state(s, dir, err);
	if (rc == 0) {
		s->depth--;
		rc = frames_write(s, err);
	}
	if (rc < 0) {
		journal_rollback(s, NULL);
		free(dir);
		return -1;
	}
	journal_commit(s);
	hv_remove_tree(dir);
	free(dir);
	if (hv_session_reload(s, err) < 0)
		return -1;
	return session_next(s, 0, step, err);
}

int
hv_session_ascend(struct hv_session *s, struct hv_step *step,
		  struct hv_error *err)
{
	return run_changed(s, ascend, step, err);
}
