/*
 * artifacts.c: a step's kept build (artifacts.h).
 *
 * Copies, not links: a build that rewrites its image in place would
 * change a linked copy with it. A copy keeps the time the build gave the
 * file, and so does the file put back: make must see a restored image
 * as older than whatever the next build compiles, or it would not
 * rebuild it.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "artifacts.h"

static const char *const names[] = { "kernel", "initrd" };

/* The file after -kernel (which 0) or -initrd (1) in the qemu line
 * (split as the shell would; NULL words: it needs a real shell), or NULL. */
static const char *
named_file(char **words, size_t which)
{
	size_t i;

	for (i = 0; words && words[i] && words[i + 1]; i++)
		if (words[i][0] == '-' && !strcmp(words[i] + 1, names[which]))
			return words[i + 1];
	return NULL;
}

static char **
qemu_words(const struct hv_config *cfg)
{
	char **words = NULL;

	if (!cfg->boot.qemu || hv_split_argv(cfg->boot.qemu, &words, NULL) < 0)
		return NULL;
	return words;
}

static char *
resolve(const char *f, const char *workdir)
{
	return f[0] == '/' ? xstrdup(f) : xasprintf("%s%s", workdir, f);
}

/* What a build depends on besides the commit: its command, the machine. */
static uint64_t
fingerprint(const struct hv_config *cfg)
{
	const char *parts[] = { cfg->build.command, cfg->boot.qemu };
	uint64_t h = 1469598103934665603ULL;	/* FNV-1a */
	size_t i;

	for (i = 0; i < HV_ARRAY_SIZE(parts); i++) {
		const unsigned char *c = (const unsigned char *)
			(parts[i] ? parts[i] : "");

		for (; *c; c++)
			h = (h ^ *c) * 1099511628211ULL;
		h = (h ^ 0xff) * 1099511628211ULL;	/* a separator */
	}
	return h;
}

/* Copies from to to, with from's modification time. */
static int
copy_file(const char *from, const char *to, struct hv_error *err)
{
	struct timespec times[2];
	struct stat sb;
	char buf[65536];
	const char *bad = from;
	int in, out = -1;
	ssize_t n;

	in = open(from, O_RDONLY | O_CLOEXEC);
	if (in < 0 || fstat(in, &sb) < 0)
		goto fail;
	bad = to;
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (out < 0)
		goto fail;
	while ((n = read(in, buf, sizeof(buf))) != 0) {
		char *p = buf;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			bad = from;
			goto fail;
		}
		while (n > 0) {
			ssize_t w = write(out, p, (size_t)n);

			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0)
				goto fail;
			p += w;
			n -= w;
		}
	}
	times[0] = sb.st_atim;
	times[1] = sb.st_mtim;
	if (futimens(out, times) < 0)
		goto fail;
	if (close(out) < 0) {
		out = -1;
		goto fail;
	}
	close(in);
	return 0;
fail:
	hv_error_set(err, "%s: %s", bad, strerror(errno));
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	return -1;
}

/* The "config", "commit" and "tree" lines of a paths file. */
static void
add_origin(struct strbuf *paths, const struct hv_config *cfg,
	   const struct hv_artifacts_origin *from)
{
	char hex[41];

	sb_addf(paths, "config %016llx\n",
		(unsigned long long)fingerprint(cfg));
	if (!from)
		return;
	hv_oid_fmt(hex, &from->commit);
	sb_addf(paths, "commit %s\n", hex);
	hv_oid_fmt(hex, &from->tree);
	sb_addf(paths, "tree %s\n", hex);
}

int
hv_artifacts_keep(const char *step_dir, const struct hv_config *cfg,
		  const char *workdir, int64_t since_ms,
		  const struct hv_artifacts_origin *from, struct hv_error *err)
{
	char **words = qemu_words(cfg);
	char *tmp = xasprintf("%s/artifacts.tmp", step_dir);
	char *dir = xasprintf("%s/artifacts", step_dir);
	struct strbuf paths = STRBUF_INIT;
	size_t i, kept = 0;
	int rc = -1;

	hv_remove_tree(tmp);
	hv_remove_tree(dir);
	for (i = 0; i < HV_ARRAY_SIZE(names); i++) {
		const char *f = named_file(words, i);
		char *path, *copy;
		struct stat sb;
		int64_t mtime_ms;

		if (!f)
			continue;
		path = resolve(f, workdir);
		if (stat(path, &sb) < 0 || !S_ISREG(sb.st_mode)) {
			free(path);
			continue;
		}
		mtime_ms = (int64_t)sb.st_mtim.tv_sec * 1000 +
			   sb.st_mtim.tv_nsec / 1000000;
		/* not this build's: an input (a distribution kernel) */
		if (mtime_ms < since_ms - 1000) {
			free(path);
			continue;
		}
		if (!kept++ && hv_mkdir_p(tmp, err) < 0) {
			free(path);
			goto out;
		}
		copy = xasprintf("%s/%s", tmp, names[i]);
		rc = copy_file(path, copy, err);
		free(copy);
		free(path);
		if (rc < 0)
			goto out;
		rc = -1;
		sb_addf(&paths, "%s %s\n", names[i], f);
	}
	if (!kept) {
		rc = 1;
		goto out;
	}
	add_origin(&paths, cfg, from);
	{
		char *list = xasprintf("%s/paths", tmp);

		rc = hv_write_file_atomic(list, paths.buf, paths.len, err);
		free(list);
	}
	if (rc == 0 && rename(tmp, dir) < 0)
		rc = hv_error_set(err, "%s: %s", dir, strerror(errno));
out:
	if (rc != 0)
		hv_remove_tree(tmp);
	sb_release(&paths);
	hv_argv_free(words);
	free(tmp);
	free(dir);
	return rc;
}

/* The file kept for name in dir's paths list ("NAME PATH" lines), or NULL. */
static char *
kept_path(const char *list, const char *name)
{
	size_t len = strlen(name);
	const char *line;

	for (line = list; *line; line = strchr(line, '\n') + 1) {
		const char *end = strchr(line, '\n');

		if (!end)
			return NULL;
		if (!strncmp(line, name, len) && line[len] == ' ')
			return xstrndup(line + len + 1, (size_t)(end - line) - len - 1);
	}
	return NULL;
}

/* Was the build of this paths list made under cfg? */
static int
kept_under(const char *list, const struct hv_config *cfg)
{
	char want[32];
	char *conf = kept_path(list, "config");
	int same;

	snprintf(want, sizeof(want), "%016llx",
		 (unsigned long long)fingerprint(cfg));
	same = conf && !strcmp(conf, want);
	free(conf);
	return same;
}

/* Does the paths list say tree (hex) under cfg? *built_for then set. */
static int
kept_for_tree(const char *list, const char *tree, const struct hv_config *cfg,
	      struct hv_oid *built_for)
{
	char *t = kept_path(list, "tree"), *c = kept_path(list, "commit");
	int match = t && c && !strcmp(t, tree) && kept_under(list, cfg) &&
		    hv_oid_parse(built_for, c) == 0;

	free(t);
	free(c);
	return match;
}

int
hv_artifacts_find_tree(const char *steps_dir, const struct hv_oid *tree,
		       const struct hv_config *cfg, char **dir,
		       struct hv_oid *built_for)
{
	DIR *d = opendir(steps_dir);
	struct dirent *e;
	struct strbuf list = STRBUF_INIT;
	char hex[41];
	int found = 0;

	*dir = NULL;
	if (!d)
		return 0;
	hv_oid_fmt(hex, tree);
	while (!found && (e = readdir(d))) {
		char *path;

		if (e->d_name[0] == '.')
			continue;
		path = xasprintf("%s/%s/artifacts/paths", steps_dir, e->d_name);
		sb_reset(&list);
		found = hv_read_file(path, &list) == 0 &&
			kept_for_tree(list.buf, hex, cfg, built_for);
		free(path);
		if (found)
			*dir = xasprintf("%s/%s", steps_dir, e->d_name);
	}
	closedir(d);
	sb_release(&list);
	return found;
}

int
hv_artifacts_restore(const char *step_dir, const struct hv_config *cfg,
		     const char *workdir, char **restored, struct hv_error *err)
{
	char **words = qemu_words(cfg);
	char *list_path = xasprintf("%s/artifacts/paths", step_dir);
	struct strbuf list = STRBUF_INIT, done = STRBUF_INIT;
	size_t i;
	int rc = 0;

	*restored = NULL;
	if (hv_read_file(list_path, &list) < 0 || !kept_under(list.buf, cfg))
		goto out;
	/* every file the machine needs that a build made must be kept */
	for (i = 0; i < HV_ARRAY_SIZE(names); i++) {
		const char *f = named_file(words, i);
		char *kept = kept_path(list.buf, names[i]);
		int same = kept && f && !strcmp(kept, f);

		free(kept);
		if (kept && !same)
			goto out;
	}
	for (i = 0; i < HV_ARRAY_SIZE(names); i++) {
		char *kept = kept_path(list.buf, names[i]), *from, *to, *tmp;

		if (!kept)
			continue;
		from = xasprintf("%s/artifacts/%s", step_dir, names[i]);
		to = resolve(kept, workdir);
		tmp = xasprintf("%s.tmp.%ld", to, (long)getpid());
		rc = copy_file(from, tmp, err);
		if (rc == 0 && rename(tmp, to) < 0)
			rc = hv_error_set(err, "%s: %s", to, strerror(errno));
		if (rc < 0)
			unlink(tmp);
		else
			sb_addf(&done, "%s%s", done.len ? ", " : "", kept);
		free(kept);
		free(from);
		free(to);
		free(tmp);
		if (rc < 0)
			goto out;
	}
	if (done.len) {
		*restored = sb_detach(&done);
		rc = 1;
	}
out:
	sb_release(&list);
	sb_release(&done);
	hv_argv_free(words);
	free(list_path);
	return rc;
}

/* The kept files of a directory: the copies, then the list. */
static const char *const kept_files[] = { "kernel", "initrd", "paths" };

void
hv_artifacts_share(const char *from_dir, const char *to_dir)
{
	char *tmp = xasprintf("%s/artifacts.tmp", to_dir);
	char *to = xasprintf("%s/artifacts", to_dir);
	struct hv_error err = HV_ERROR_INIT;
	size_t i;
	int ok = 1;

	hv_remove_tree(tmp);
	if (hv_mkdir_p(tmp, &err) < 0)
		ok = 0;
	for (i = 0; ok && i < HV_ARRAY_SIZE(kept_files); i++) {
		char *a = xasprintf("%s/artifacts/%s", from_dir, kept_files[i]);
		char *b = xasprintf("%s/%s", tmp, kept_files[i]);

		/* kept copies are replaced, never written in place: a link
		 * is as good as a copy, and costs no disk */
		if (hv_file_exists(a) && link(a, b) < 0 &&
		    copy_file(a, b, &err) < 0)
			ok = 0;
		free(a);
		free(b);
	}
	hv_remove_tree(to);
	if (!ok || rename(tmp, to) < 0)
		hv_remove_tree(tmp);
	hv_error_clear(&err);
	free(tmp);
	free(to);
}

void
hv_artifacts_move(const char *from_dir, const char *to_dir)
{
	char *from = xasprintf("%s/artifacts", from_dir);
	char *to = xasprintf("%s/artifacts", to_dir);

	if (rename(from, to) < 0 && errno != ENOENT)
		hv_remove_tree(from);	/* kept twice is worse than not kept */
	free(from);
	free(to);
}

static int
same_bytes(const char *a, const char *b)
{
	struct strbuf x = STRBUF_INIT, y = STRBUF_INIT;
	int same;

	same = hv_read_file(a, &x) == 0 && hv_read_file(b, &y) == 0 &&
	       x.len == y.len && !memcmp(x.buf, y.buf, x.len);
	sb_release(&x);
	sb_release(&y);
	return same;
}

static int
kept_any(const char *dir)
{
	char *list = xasprintf("%s/artifacts/paths", dir);
	int kept = hv_file_exists(list);

	free(list);
	return kept;
}

int
hv_artifacts_same(const char *a_dir, const char *b_dir)
{
	int kept = 0, same = 1;
	size_t i;

	if (!kept_any(a_dir) || !kept_any(b_dir))
		return -1;
	for (i = 0; i < HV_ARRAY_SIZE(names); i++) {
		char *a = xasprintf("%s/artifacts/%s", a_dir, names[i]);
		char *b = xasprintf("%s/artifacts/%s", b_dir, names[i]);
		int ha = hv_file_exists(a), hb = hv_file_exists(b);

		if (ha || hb) {
			kept++;
			if (!ha || !hb || !same_bytes(a, b))
				same = 0;
		}
		free(a);
		free(b);
	}
	return kept ? same : -1;
}
