/*
 * fuzz-frames.c: the files of a nested bisection (src/frames.c) on any
 * text: .git/halve/stack (one "MERGE PARENT SIDE" line per descended
 * merge) and a frame's saved marks, .git/halve/frames/N/refs ("TERM SHA"
 * a line). The input up to its first NUL byte is the stack, the rest the
 * refs. Each run sets up a bisection by hand in a real repository made
 * once (fixed dates, so the seeds can name its commits), opens it as a
 * session, ascends when the stack says it is nested, and clears it all.
 * A damaged file must be refused with its name and line, never crash.
 *
 * The repository's commits: c1..c4 on main, side branch s1 from c2, and
 * M (c4 merging s1); FUZZ_MERGE, FUZZ_SIDE, FUZZ_GOOD below.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "session.h"

static char *top;	/* the work tree */
static char *gitdir;	/* top/.git/ */
static char good[41], bad[41];

static void
cleanup(void)
{
	hv_remove_tree(top);
	free(top);
	free(gitdir);
}

static void
rev(const char *name, char out[41])
{
	char *cmd = xasprintf("git -C '%s' rev-parse %s", top, name);
	FILE *f = popen(cmd, "r");

	if (!f || fscanf(f, "%40s", out) != 1 || pclose(f) != 0)
		abort();
	free(cmd);
}

static void
setup(void)
{
	const char *tmp = getenv("TMPDIR");
	char *cmd;

	top = xasprintf("%s/halve-fuzz-frames.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(top))
		abort();
	gitdir = xasprintf("%s/.git/", top);
	atexit(cleanup);
	cmd = xasprintf(
		"cd '%s' && export GIT_CONFIG_NOSYSTEM=1 HOME=\"$PWD\" "
		"GIT_AUTHOR_NAME=f GIT_AUTHOR_EMAIL=f@f GIT_COMMITTER_NAME=f "
		"GIT_COMMITTER_EMAIL=f@f GIT_AUTHOR_DATE='2020-01-01 00:00 +0000' "
		"GIT_COMMITTER_DATE='2020-01-01 00:00 +0000' && "
		"git init -q -b main && git commit -q --allow-empty -m c1 && "
		"git commit -q --allow-empty -m c2 && git checkout -q -b s && "
		"git commit -q --allow-empty -m s1 && git checkout -q main && "
		"git commit -q --allow-empty -m c3 && "
		"git commit -q --allow-empty -m c4 && "
		"git merge -q --no-ff --no-edit -m M s", top);
	if (system(cmd) != 0)
		abort();
	free(cmd);
	rev("main~2", good);
	rev("main", bad);
}

static void
put(const char *rel, const char *text, size_t len)
{
	char *path = xasprintf("%s%s", gitdir, rel);
	struct hv_error err = HV_ERROR_INIT;

	if (hv_write_file_atomic(path, text, len, &err) < 0)
		abort();
	free(path);
}

static void
puts_(const char *rel, const char *text)
{
	put(rel, text, strlen(text));
}

/* A plain bisection: bad = main, good = main~2, plus the halve files. */
static void
write_session(const char *stack, size_t nstack, const char *refs,
	      size_t nrefs)
{
	struct hv_error err = HV_ERROR_INIT;
	char *line = xasprintf("%s\n", bad), *goodref;
	char *dir;
	int k;

	puts_("BISECT_START", "main\n");
	puts_("BISECT_TERMS", "bad\ngood\n");
	puts_("BISECT_LOG", "git bisect start\n");
	dir = xasprintf("%srefs/bisect", gitdir);
	if (hv_mkdir_p(dir, &err) < 0)
		abort();
	free(dir);
	puts_("refs/bisect/bad", line);
	free(line);
	goodref = xasprintf("refs/bisect/good-%s", good);
	line = xasprintf("%s\n", good);
	puts_(goodref, line);
	free(goodref);
	free(line);
	for (k = 1; k <= 3; k++) {
		char *name = xasprintf("halve/frames/%d", k), *path;

		dir = xasprintf("%s%s", gitdir, name);
		if (hv_mkdir_p(dir, &err) < 0)
			abort();
		free(dir);
		path = xasprintf("%s/refs", name);
		put(path, refs, nrefs);
		free(path);
		path = xasprintf("%s/BISECT_START", name);
		puts_(path, "main\n");
		free(path);
		path = xasprintf("%s/BISECT_TERMS", name);
		puts_(path, "bad\ngood\n");
		free(path);
		free(name);
	}
	put("halve/stack", stack, nstack);
}

/* Everything a run may have left: no bisection, HEAD on main. */
static void
clear_session(void)
{
	static const char *const names[] = {
		"halve", "refs/bisect", "BISECT_START", "BISECT_LOG",
		"BISECT_TERMS", "BISECT_NAMES", "BISECT_FIRST_PARENT",
		"BISECT_EXPECTED_REV", "BISECT_ANCESTORS_OK", "BISECT_HEAD",
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char *path = xasprintf("%s%s", gitdir, names[i]);

		hv_remove_tree(path);
		remove(path);
		free(path);
	}
	puts_("HEAD", "ref: refs/heads/main\n");
}

int
FUZZ_TARGET(frames)(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	const char *nul = memchr(text, '\0', size);
	size_t nstack = nul ? (size_t)(nul - text) : size;
	struct hv_error err = HV_ERROR_INIT;
	struct hv_session *s;
	struct hv_step step;

	if (!top)
		setup();
	write_session(text, nstack, nul ? nul + 1 : "",
		      nul ? size - nstack - 1 : 0);
	if (hv_session_open(top, &s, &err) == 0) {
		if (hv_session_ascend(s, &step, &err) < 0 && !err.msg)
			abort();	/* a refusal says why */
		hv_step_release(&step);
		hv_session_free(s);
	}
	hv_error_clear(&err);
	clear_session();
	return 0;
}
