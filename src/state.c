/*
 * state.c: reading and writing git's bisect files and refs (state.h).
 * Formats follow git 2.39's builtin/bisect.c so that either tool can pick
 * up where the other left off.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bisectlog.h"
#include "fault.h"
#include "state.h"

const char *const hv_state_files[] = {
	"BISECT_START", "BISECT_LOG", "BISECT_TERMS", "BISECT_NAMES",
	"BISECT_FIRST_PARENT", "BISECT_EXPECTED_REV", "BISECT_ANCESTORS_OK",
	"BISECT_HEAD", NULL,
};
const int hv_state_nfiles = (int)HV_ARRAY_SIZE(hv_state_files) - 1;

static int
read_small(struct hv_repo *repo, const char *name, struct strbuf *sb)
{
	char *path = hv_repo_path(repo, name);
	int rc = hv_read_file(path, sb);

	free(path);
	return rc;
}

static int
write_small(struct hv_repo *repo, const char *name, const char *data,
	    struct hv_error *err)
{
	char *path = hv_repo_path(repo, name);
	int rc = hv_write_file_atomic(path, data, strlen(data), err);

	free(path);
	return rc;
}

static int
exists(struct hv_repo *repo, const char *name)
{
	char *path = hv_repo_path(repo, name);
	int rc = hv_file_exists(path);

	free(path);
	return rc;
}

struct ref_scan {
	struct hv_state *st;
	char *bad_ref, *good_prefix;
};

static void
add_oid(struct hv_oid **arr, size_t *n, const struct hv_oid *oid)
{
	*arr = xreallocarray(*arr, *n + 1, sizeof(**arr));
	(*arr)[(*n)++] = *oid;
}

static int
scan_ref(const char *name, const struct hv_oid *oid, void *data)
{
	struct ref_scan *rs = data;

	if (!strcmp(name, rs->bad_ref)) {
		rs->st->have_bad = 1;
		rs->st->bad = *oid;
	} else if (!strncmp(name, rs->good_prefix, strlen(rs->good_prefix))) {
		add_oid(&rs->st->goods, &rs->st->ngoods, oid);
	} else if (!strncmp(name, "refs/bisect/skip-", 17)) {
		add_oid(&rs->st->skips, &rs->st->nskips, oid);
	}
	return 0;
}

int
hv_state_load(struct hv_repo *repo, struct hv_state *st, struct hv_error *err)
{
	struct strbuf sb = STRBUF_INIT;
	struct ref_scan rs;
	int rc = 0;

	memset(st, 0, sizeof(*st));
	if (read_small(repo, "BISECT_START", &sb) == 0) {
		st->active = 1;
		sb_rtrim(&sb);
		st->start_head = sb_detach(&sb);
	}
	sb_reset(&sb);
	if (read_small(repo, "BISECT_TERMS", &sb) == 0) {
		char *nl = strchr(sb.buf, '\n');

		if (nl) {
			st->term_bad = xstrndup(sb.buf, (size_t)(nl - sb.buf));
			st->term_good = xstrdup(nl + 1);
			nl = strchr(st->term_good, '\n');
			if (nl)
				*nl = '\0';
			st->terms_set = 1;
		}
	}
	if (!st->term_bad || !*st->term_bad || !*st->term_good) {
		free(st->term_bad);
		free(st->term_good);
		st->term_bad = xstrdup("bad");
		st->term_good = xstrdup("good");
		st->terms_set = 0;
	}
	sb_reset(&sb);
	/* a damaged file is named, and the rest still read: reset needs
	 * BISECT_START, status shows what it can */
	if (read_small(repo, "BISECT_NAMES", &sb) == 0 &&
	    hv_sq_split(sb.buf, &st->paths, &st->npaths) < 0) {
		rc = hv_error_set(err, "%sBISECT_NAMES: malformed quoting",
				  repo->gitdir);
		st->paths = xcalloc(1, sizeof(*st->paths));
		st->npaths = 0;
	}
	if (st->npaths && !strcmp(st->paths[0], "--")) {
		free(st->paths[0]);
		memmove(st->paths, st->paths + 1, st->npaths * sizeof(char *));
		st->npaths--;
	}
	sb_release(&sb);
	st->first_parent = exists(repo, "BISECT_FIRST_PARENT");
	st->no_checkout = exists(repo, "BISECT_HEAD");
	read_small(repo, "BISECT_LOG", &st->log);

	rs.st = st;
	rs.bad_ref = xasprintf("refs/bisect/%s", st->term_bad);
	rs.good_prefix = xasprintf("refs/bisect/%s-", st->term_good);
	if (hv_repo_refs_foreach(repo, "refs/bisect/", scan_ref, &rs) < 0)
		rc = hv_error_set(err, "refs/bisect: %s", hv_repo_git_error());
	free(rs.bad_ref);
	free(rs.good_prefix);
	return rc;
}

void
hv_state_release(struct hv_state *st)
{
	free(st->start_head);
	free(st->term_bad);
	free(st->term_good);
	free(st->goods);
	free(st->skips);
	hv_argv_free(st->paths);
	sb_release(&st->log);
	memset(st, 0, sizeof(*st));
}

char *
hv_state_paths_key(const struct hv_state *st)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	for (i = 0; i < st->npaths; i++) {
		sb_adds(&sb, st->paths[i]);
		sb_addc(&sb, '\n');
	}
	return sb_detach(&sb);
}

void
hv_state_log_mark(struct hv_repo *repo, struct hv_state *st, const char *term,
		  const struct hv_oid *oid, int nolog)
{
	char hex[41], *subject = hv_repo_subject(repo, oid);

	hv_oid_fmt(hex, oid);
	hv_log_add_mark(&st->log, term, hex, subject, !nolog);
	free(subject);
}

int
hv_state_write_log(struct hv_repo *repo, const struct hv_state *st,
		   struct hv_error *err)
{
	return write_small(repo, "BISECT_LOG", st->log.buf ? st->log.buf : "",
			   err);
}

int
hv_state_write_terms(struct hv_repo *repo, const struct hv_state *st,
		     struct hv_error *err)
{
	char *text = xasprintf("%s\n%s\n", st->term_bad, st->term_good);
	int rc = write_small(repo, "BISECT_TERMS", text, err);

	free(text);
	return rc;
}

int
hv_state_write_session(struct hv_repo *repo, const struct hv_state *st,
		       const struct hv_oid *head, struct hv_error *err)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;
	int rc = -1;

	if (st->terms_set && hv_state_write_terms(repo, st, err) < 0)
		goto out;
	if (st->npaths)
		sb_adds(&sb, " '--'");	/* git keeps the separator too */
	for (i = 0; i < st->npaths; i++) {
		sb_addc(&sb, ' ');
		hv_sq_quote(&sb, st->paths[i]);
	}
	sb_addc(&sb, '\n');
	if (write_small(repo, "BISECT_NAMES", sb.buf, err) < 0)
		goto out;
	if (st->first_parent &&
	    write_small(repo, "BISECT_FIRST_PARENT", "", err) < 0)
		goto out;
	if (st->no_checkout) {
		char hex[42];

		hv_oid_fmt(hex, head);
		strcat(hex, "\n");
		if (write_small(repo, "BISECT_HEAD", hex, err) < 0)
			goto out;
	}
	if (hv_state_write_log(repo, st, err) < 0)
		goto out;
	sb_reset(&sb);
	sb_addf(&sb, "%s\n", st->start_head);
	if (write_small(repo, "BISECT_START", sb.buf, err) < 0)
		goto out;
	rc = 0;
out:
	sb_release(&sb);
	return rc;
}

int
hv_state_write_mark(struct hv_repo *repo, const struct hv_state *st,
		    const char *term, const struct hv_oid *oid,
		    struct hv_error *err)
{
	char hex[41], *name;
	int rc;

	hv_oid_fmt(hex, oid);
	if (!strcmp(term, st->term_bad))
		name = xasprintf("refs/bisect/%s", term);
	else
		name = xasprintf("refs/bisect/%s-%s", term, hex);
	HV_FAULT_POINT();
	rc = hv_repo_ref_write(repo, name, oid, err);
	free(name);
	return rc;
}

int
hv_state_write_expected(struct hv_repo *repo, const struct hv_state *st,
			const struct hv_oid *oid, struct hv_error *err)
{
	char hex[42];

	hv_oid_fmt(hex, oid);
	strcat(hex, "\n");
	if (st->no_checkout && write_small(repo, "BISECT_HEAD", hex, err) < 0)
		return -1;
	return write_small(repo, "BISECT_EXPECTED_REV", hex, err);
}

static int
read_oid_file(struct hv_repo *repo, const char *name, struct hv_oid *oid)
{
	struct strbuf sb = STRBUF_INIT;
	int rc = 0;

	if (read_small(repo, name, &sb) == 0 && sb.len >= 40 &&
	    hv_oid_parse(oid, sb.buf) == 0)
		rc = 1;
	sb_release(&sb);
	return rc;
}

int
hv_state_read_expected(struct hv_repo *repo, struct hv_oid *oid)
{
	return read_oid_file(repo, "BISECT_EXPECTED_REV", oid);
}

int
hv_state_read_bisect_head(struct hv_repo *repo, struct hv_oid *oid)
{
	return read_oid_file(repo, "BISECT_HEAD", oid);
}

int
hv_state_ancestors_ok(struct hv_repo *repo)
{
	return exists(repo, "BISECT_ANCESTORS_OK");
}

int
hv_state_set_ancestors_ok(struct hv_repo *repo, struct hv_error *err)
{
	return write_small(repo, "BISECT_ANCESTORS_OK", "", err);
}

int
hv_state_clear_expected(struct hv_repo *repo, struct hv_error *err)
{
	static const char *const names[] = {
		"BISECT_ANCESTORS_OK", "BISECT_EXPECTED_REV",
	};
	size_t i;
	int rc = 0;

	for (i = 0; i < HV_ARRAY_SIZE(names); i++) {
		char *path = hv_repo_path(repo, names[i]);

		HV_FAULT_POINT();
		if (unlink(path) < 0 && errno != ENOENT)
			rc = hv_error_set(err, "%s: %s", path, strerror(errno));
		free(path);
	}
	return rc;
}

static int
collect_ref(const char *name, const struct hv_oid *oid, void *data)
{
	struct strbuf *sb = data;

	sb_adds(sb, name);
	sb_addc(sb, '\0');
	return 0;
}

int
hv_state_clear(struct hv_repo *repo, struct hv_error *err)
{
	struct strbuf names = STRBUF_INIT;
	size_t off;
	int i, rc = 0;

	if (hv_repo_refs_foreach(repo, "refs/bisect/", collect_ref, &names) < 0)
		return hv_error_set(err, "refs/bisect: %s", hv_repo_git_error());
	for (off = 0; off < names.len; off += strlen(names.buf + off) + 1) {
		HV_FAULT_POINT();
		if (hv_repo_ref_delete(repo, names.buf + off) < 0)
			rc = hv_error_set(err, "%s: %s", names.buf + off,
					  hv_repo_git_error());
	}
	sb_release(&names);
	/* BISECT_START last: a session half cleared still reads as one */
	for (i = hv_state_nfiles - 1; i >= 0; i--) {
		char *path = hv_repo_path(repo, hv_state_files[i]);

		HV_FAULT_POINT();
		if (unlink(path) < 0 && errno != ENOENT)
			rc = hv_error_set(err, "%s: %s", path, strerror(errno));
		free(path);
	}
	return rc;
}

void
hv_state_clear_strays(struct hv_repo *repo)
{
	char *refs = hv_repo_path(repo, "refs/bisect");
	DIR *d;
	struct dirent *e;

	hv_remove_tmp_files(repo->gitdir, "BISECT_");
	if (!(d = opendir(refs))) {
		free(refs);
		return;
	}
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		char *path;

		if (n < 5 || strcmp(e->d_name + n - 5, ".lock"))
			continue;
		path = xasprintf("%s/%s", refs, e->d_name);
		unlink(path);
		free(path);
	}
	closedir(d);
	free(refs);
}
