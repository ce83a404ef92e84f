/*
 * test-verdict.c: verdict files (src/verdict.h) in a real repository:
 * what is written reads back the same, a commit without one has none,
 * and a damaged file is refused naming its file and line.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"
#include "verdict.h"

static struct hv_repo *repo;
static char *dir;

static void
setup(void)
{
	struct hv_error err = HV_ERROR_INIT;
	const char *tmp = getenv("TMPDIR");
	char *cmd;

	dir = xasprintf("%s/test-verdict.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		printf("Bail out! mkdtemp %s\n", dir);
		exit(1);
	}
	cmd = xasprintf("git init -q '%s'", dir);
	if (system(cmd) != 0 || hv_repo_open(dir, &repo, &err) < 0) {
		printf("Bail out! a repository in %s: %s\n", dir,
		       err.msg ? err.msg : "git init failed");
		exit(1);
	}
	free(cmd);
}

static void
make_step_dir(const struct hv_oid *oid)
{
	char *path = hv_verdict_path(repo, oid), *slash = strrchr(path, '/');

	*slash = '\0';
	if (hv_mkdir_p(path, NULL) < 0) {
		printf("Bail out! mkdir %s\n", path);
		exit(1);
	}
	free(path);
}

/* Writes text as oid's verdict file. */
static void
put_file(const struct hv_oid *oid, const char *text)
{
	char *path = hv_verdict_path(repo, oid);

	make_step_dir(oid);
	if (hv_write_file_atomic(path, text, strlen(text), NULL) < 0) {
		printf("Bail out! write %s\n", path);
		exit(1);
	}
	free(path);
}

static void
oid_of(struct hv_oid *oid, char c)
{
	char hex[41];

	memset(hex, c, 40);
	hex[40] = '\0';
	hv_oid_parse(oid, hex);
}

static void
test_round_trip(void)
{
	struct hv_error err = HV_ERROR_INIT;
	struct hv_verdict w, r;
	struct hv_oid oid;

	oid_of(&oid, 'a');
	make_step_dir(&oid);
	hv_verdict_init(&w);
	hv_verdict_init(&r);
	w.kind = HV_RULE_BAD;
	w.reason = xstrdup("rule bad #1 matched (halve.conf:12)");
	w.rule = xstrdup("^RESULT: FAILED|\\[ *[0-9.]+\\] BUG: ");
	w.line = xstrdup("RESULT: FAILED");
	w.lineno = 4213;
	w.build_ms = 133000;
	w.boot_ms = 41000;
	is_int(hv_verdict_write(repo, &oid, &w, &err), 0, "a verdict is written");
	is_int(hv_verdict_read(repo, &oid, &r, &err), 1, "and read back");
	is_int(r.kind, HV_RULE_BAD, "its kind");
	is_int(r.abort, 0, "not an abort");
	is_str(r.reason, w.reason, "its reason");
	is_str(r.rule, w.rule, "its rule, backslashes and all");
	is_str(r.line, w.line, "the line that decided");
	is_int(r.lineno, 4213, "the line's number");
	is_int(r.exit_code, -1, "no exit code");
	is_int(r.build_ms, 133000, "build-ms");
	is_int(r.boot_ms, 41000, "boot-ms");
	is_int(r.test_ms, -1, "no test stage");
	hv_verdict_release(&w);

	w.abort = 1;
	w.reason = xstrdup("test exit code 130\n(128 or more aborts)");
	w.exit_code = 130;
	w.test_ms = 0;
	is_int(hv_verdict_write(repo, &oid, &w, &err), 0, "an abort is written");
	is_int(hv_verdict_read(repo, &oid, &r, &err), 1, "and read back");
	is_int(r.abort, 1, "an abort");
	is_str(r.reason, "test exit code 130 (128 or more aborts)",
	       "a newline in a value is written as a space");
	ok(!r.rule && !r.line, "no rule, no line");
	is_int(r.exit_code, 130, "its exit code");
	is_int(r.test_ms, 0, "test-ms 0");
	is_int(r.build_ms, -1, "no build stage");
	hv_verdict_release(&w);
	hv_verdict_release(&r);
}

static void
test_none(void)
{
	struct hv_error err = HV_ERROR_INIT;
	struct hv_verdict r;
	struct hv_oid oid;

	oid_of(&oid, 'b');
	hv_verdict_init(&r);
	is_int(hv_verdict_read(repo, &oid, &r, &err), 0,
	       "a commit never tested has no verdict");
	ok(!err.msg && !r.reason && r.kind == HV_RULE_NONE, "and nothing is set");
}

/* The error reading text as c's verdict file, its path cut off. */
static const char *
damaged(char c, const char *text)
{
	static struct hv_error err = HV_ERROR_INIT;
	struct hv_verdict r;
	struct hv_oid oid;
	const char *at;
	int rc;

	hv_error_clear(&err);
	oid_of(&oid, c);
	put_file(&oid, text);
	hv_verdict_init(&r);
	rc = hv_verdict_read(repo, &oid, &r, &err);
	if (rc >= 0 || !err.msg || r.reason)
		return "(read it)";
	at = strstr(err.msg, "/halve/steps/");
	return at ? at : err.msg;
}

static void
test_malformed(void)
{
	const char *c = "cccccccccccccccccccccccccccccccccccccccc";
	char want[200], text[400];

	snprintf(text, sizeof(text), "commit %s\nverdict maybe\nreason x\n", c);
	snprintf(want, sizeof(want), "/halve/steps/%s/verdict:2: the verdict "
		 "is not good, bad, skip or abort", c);
	is_str(damaged('c', text), want, "an unknown verdict: file and line");

	snprintf(text, sizeof(text), "commit %s\nverdict bad\nreason x\n"
		 "build-ms 12s\n", c);
	snprintf(want, sizeof(want), "/halve/steps/%s/verdict:4: not a number", c);
	is_str(damaged('c', text), want, "a duration that is not a number");

	snprintf(text, sizeof(text), "commit %s\nverdict bad\nexit -1\n", c);
	snprintf(want, sizeof(want), "/halve/steps/%s/verdict:3: not a number", c);
	is_str(damaged('c', text), want, "a negative exit code");

	snprintf(text, sizeof(text), "commit %.40s\nverdict good\n",
		 "dddddddddddddddddddddddddddddddddddddddd");
	snprintf(want, sizeof(want), "/halve/steps/%s/verdict:1: not the "
		 "commit of this step directory", c);
	is_str(damaged('c', text), want, "another commit's verdict");

	snprintf(text, sizeof(text), "commit %s\nreason x\n", c);
	snprintf(want, sizeof(want), "/halve/steps/%s/verdict:3: no verdict line", c);
	is_str(damaged('c', text), want, "no verdict line");

	snprintf(text, sizeof(text), "commit %s\n\nverdict good\n", c);
	snprintf(want, sizeof(want), "/halve/steps/%s/verdict:2: a line with no key", c);
	is_str(damaged('c', text), want, "an empty line");

	snprintf(want, sizeof(want), "/halve/steps/%s/verdict:1: no verdict line", c);
	is_str(damaged('c', ""), want, "an empty file");

	snprintf(text, sizeof(text), "commit %s\nverdict skip\nverify-ms 3\n"
		 "reason", c);
	{
		struct hv_error err = HV_ERROR_INIT;
		struct hv_verdict r;
		struct hv_oid oid;

		oid_of(&oid, 'c');
		put_file(&oid, text);
		hv_verdict_init(&r);
		is_int(hv_verdict_read(repo, &oid, &r, &err), 1,
		       "a key of a newer halve is passed over, a last line "
		       "without newline read");
		is_int(r.kind, HV_RULE_SKIP, "its verdict");
		is_str(r.reason, "", "an empty reason");
		hv_verdict_release(&r);
	}
}

int
main(void)
{
	char *cmd;

	setup();
	test_round_trip();
	test_none();
	test_malformed();
	hv_repo_free(repo);
	cmd = xasprintf("rm -rf '%s'", dir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", dir);
	free(cmd);
	free(dir);
	return done_testing();
}
