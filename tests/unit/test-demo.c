/*
 * test-demo.c: the demo repository (src/demo.h), checked with git itself
 * as the reference: its shape (mainline, merges, topics), where the bug
 * comes in and which merge brings it, that the recorded commits are the
 * ones git bisect finds (through the unbuildable commits), that build.sh
 * makes an initramfs, and, when qemu and a kernel are here, that the good
 * tip boots to RESULT: OKAY and the bad tip to RESULT: FAILED.
 *
 * It shells out to git, gcc, tar, cpio and qemu through popen(); nothing
 * here sleeps, and the only clock is qemu's own 60 s `timeout`.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "conf.h"
#include "demo.h"
#include "tap.h"

static char *tmp;	/* the test's private directory */

/* Runs a shell command; its stdout (stderr too with 2>&1) goes to out. */
static int HV_PRINTF(2, 3)
run(struct strbuf *out, const char *fmt, ...)
{
	struct strbuf discard = STRBUF_INIT;
	char buf[4096], *cmd;
	va_list ap;
	size_t n;
	FILE *f;
	int st;

	va_start(ap, fmt);
	cmd = xvasprintf(fmt, ap);
	va_end(ap);
	if (!out)
		out = &discard;
	sb_reset(out);
	f = popen(cmd, "r");
	free(cmd);
	if (!f)
		return -1;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		sb_add(out, buf, n);
	st = pclose(f);
	sb_grow(out, 0);
	sb_rtrim(out);
	/* last: out may be &discard, which sb_grow allocates when empty */
	sb_release(&discard);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static char *
hex(const struct hv_oid *oid)
{
	char s[41];

	hv_oid_fmt(s, oid);
	return xstrdup(s);
}

/* Full sha of REV in the repository at dir, or "" (caller frees). */
static char *
rev(const char *dir, const char *r)
{
	struct strbuf sb = STRBUF_INIT;

	run(&sb, "git -C '%s' rev-parse --verify -q '%s^{commit}'", dir, r);
	return sb_detach(&sb);
}

static long
count(const char *dir, const char *args)
{
	struct strbuf sb = STRBUF_INIT;
	long n;

	run(&sb, "git -C '%s' rev-list --count %s", dir, args);
	n = strtol(sb.buf, NULL, 10);
	sb_release(&sb);
	return n;
}

static void
isolate_git(void)
{
	setenv("HOME", tmp, 1);
	setenv("XDG_CONFIG_HOME", tmp, 1);
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	setenv("LC_ALL", "C", 1);
	setenv("GIT_AUTHOR_NAME", "T Ester", 1);
	setenv("GIT_AUTHOR_EMAIL", "tester@example.com", 1);
	setenv("GIT_COMMITTER_NAME", "T Ester", 1);
	setenv("GIT_COMMITTER_EMAIL", "tester@example.com", 1);
	unsetenv("GIT_DIR");
	unsetenv("GIT_WORK_TREE");
	unsetenv("GIT_INDEX_FILE");
}

static void
test_shape(const struct hv_demo *d)
{
	struct strbuf sb = STRBUF_INIT;
	char *good = hex(&d->good), *bad = hex(&d->bad);
	char *culprit = hex(&d->culprit), *merge = hex(&d->merge);
	char *v1 = rev(d->dir, "v1"), *v2 = rev(d->dir, "v2");
	char *head = rev(d->dir, "HEAD"), *m1, *m2, *range;
	int st;

	is_str(v1, good, "tag v1 is the good tip");
	is_str(v2, bad, "tag v2 is the bad tip");
	is_str(head, bad, "HEAD is the bad tip");
	run(&sb, "git -C '%s' symbolic-ref HEAD", d->dir);
	is_str(sb.buf, "refs/heads/main", "HEAD is branch main");
	is_int(run(&sb, "git -C '%s' status --porcelain --ignored=no", d->dir), 0,
	       "git status runs");
	is_str(sb.buf, "", "the work tree is checked out and clean");
	is_int(run(NULL, "cd '%s' && test -x build.sh && test -x init && "
		   "test -f docker-test.c && test -f halve.conf", d->dir), 0,
	       "the work tree holds build.sh and init (executable), docker-test.c, halve.conf");
	is_int(run(NULL, "git -C '%s' fsck --strict --no-progress 2>&1", d->dir), 0,
	       "git fsck --strict finds nothing wrong");

	is_int(count(d->dir, "--first-parent v2"), 40, "mainline: 40 commits");
	is_int(count(d->dir, "--merges v2"), 6, "6 merges");
	is_int(count(d->dir, "v2"), 70, "70 commits in all");
	/* every merge brings 3 to 8 topic commits */
	st = run(&sb, "cd '%s' && for m in $(git rev-list --merges v2); do "
		 "git rev-list --count $m^1..$m^2; done | sort -n | tr '\\n' ' '", d->dir);
	is_int(st, 0, "merges listed");
	ok(!strcmp(sb.buf, "3 4 4 5 6 8"), "the topics have 3 to 8 commits each (got %s)", sb.buf);
	run(&sb, "git -C '%s' log --merges --format=%%s v2", d->dir);
	ok(strstr(sb.buf, "Merge branch 'audit'") != NULL, "git log shows the merge of audit");
	is_int(count(d->dir, "v1"), 3, "v1 is the third mainline commit, before any topic");

	/* the merge and the culprit */
	range = xasprintf("%s^1", merge);
	m1 = rev(d->dir, range);
	free(range);
	range = xasprintf("%s^2", merge);
	m2 = rev(d->dir, range);
	free(range);
	range = rev(d->dir, "audit");
	is_str(m2, range, "the recorded merge's second parent is branch audit");
	free(range);
	run(&sb, "git -C '%s' log -1 --format=%%s %s", d->dir, merge);
	is_str(sb.buf, "Merge branch 'audit'", "the recorded merge is Merge branch 'audit'");
	run(&sb, "git -C '%s' rev-list --first-parent v1..v2 | grep -c %s", d->dir, merge);
	is_str(sb.buf, "1", "the merge is on the mainline");
	run(&sb, "git -C '%s' rev-list --first-parent v2 | grep -c %s", d->dir, culprit);
	is_str(sb.buf, "0", "the culprit is not on the mainline");
	is_int(run(NULL, "git -C '%s' merge-base --is-ancestor %s %s", d->dir, culprit, m2), 0,
	       "the culprit is on the merged branch");
	is_int(run(NULL, "git -C '%s' merge-base --is-ancestor %s %s", d->dir, culprit, m1), 1,
	       "the culprit is not behind the merge's first parent");
	is_int(run(NULL, "git -C '%s' merge-base --is-ancestor %s %s", d->dir, good, culprit), 0,
	       "the culprit comes after v1");
	run(&sb, "git -C '%s' log -1 --format=%%s %s", d->dir, culprit);
	is_str(sb.buf, "audit: listen in all network namespaces", "the culprit's subject");
	range = xasprintf("%s^1..%s^2", merge, merge);
	is_int(count(d->dir, range), 8, "the audit topic has 8 commits");
	free(range);

	/* the bug is in the source exactly from the culprit on */
	st = run(&sb, "cd '%s' && for c in $(git rev-list v2); do "
		 "if git merge-base --is-ancestor %s $c; then want=1; else want=0; fi; "
		 "git show $c:docker-test.c | grep -q \"^#define AUDIT_ALL_NETNS $want\\$\" || echo $c; done",
		 d->dir, culprit);
	ok(st == 0 && !sb.len, "AUDIT_ALL_NETNS is 1 in exactly the culprit's descendants%s%s",
	   sb.len ? ": not in " : "", sb.len ? sb.buf : "");

	/* the unbuildable commits are exactly those that do not compile */
	st = run(&sb, "cd '%s' && for c in $(git rev-list v2); do "
		 "git show $c:docker-test.c | gcc -fsyntax-only -x c - 2>/dev/null || echo $c; done | sort",
		 d->dir);
	{
		struct strbuf want = STRBUF_INIT;
		struct strbuf sorted = STRBUF_INIT;
		size_t i;

		for (i = 0; i < d->nunbuildable; i++) {
			char *h = hex(&d->unbuildable[i]);

			sb_addf(&want, "%s\n", h);
			free(h);
		}
		run(&sorted, "printf '%s' | sort", want.buf ? want.buf : "");
		is_int(d->nunbuildable, 2, "two unbuildable commits");
		is_str(sb.buf, sorted.buf, "they are the commits whose docker-test.c does not compile");
		sb_release(&want);
		sb_release(&sorted);
	}

	free(good);
	free(bad);
	free(culprit);
	free(merge);
	free(v1);
	free(v2);
	free(head);
	free(m1);
	free(m2);
	sb_release(&sb);
}

/*
 * git bisect itself, on a clone, with a test that reads the source:
 * --first-parent v2 v1 must end on the recorded merge, the descent
 * (merge^2 against merge^1) on the culprit, and each must meet a skip.
 */
static void
test_bisect_with_git(const struct hv_demo *d)
{
	struct strbuf sb = STRBUF_INIT;
	char *clone = xasprintf("%s/clone", tmp), *oracle = xasprintf("%s/oracle", tmp);
	char *culprit = hex(&d->culprit), *merge = hex(&d->merge);
	FILE *f;

	f = fopen(oracle, "w");
	fputs("#!/bin/sh\n"
	      "gcc -fsyntax-only docker-test.c 2>/dev/null || exit 125\n"
	      "grep -q '^#define AUDIT_ALL_NETNS 1$' docker-test.c && exit 1\n"
	      "exit 0\n", f);
	fclose(f);
	chmod(oracle, 0755);
	is_int(run(NULL, "git clone -q '%s' '%s' 2>&1", d->dir, clone), 0, "clone the demo");

	run(&sb, "cd '%s' && git bisect start --first-parent v2 v1 >/dev/null && "
	    "git bisect run '%s' 2>&1 | sed -n 's/ is the first bad commit$//p'", clone, oracle);
	is_str(sb.buf, merge, "git bisect --first-parent v2 v1 ends on the recorded merge");
	run(&sb, "cd '%s' && git bisect log | grep -c '^git bisect skip'", clone);
	ok(atoi(sb.buf) >= 1, "... after skipping an unbuildable commit (%s skips)", sb.buf);
	run(NULL, "cd '%s' && git bisect reset >/dev/null 2>&1", clone);

	run(&sb, "cd '%s' && git bisect start %s^2 %s^1 >/dev/null && "
	    "git bisect run '%s' 2>&1 | sed -n 's/ is the first bad commit$//p'",
	    clone, merge, merge, oracle);
	is_str(sb.buf, culprit, "git bisect of merge^2 against merge^1 ends on the culprit");
	run(&sb, "cd '%s' && git bisect log | grep -c '^git bisect skip'", clone);
	ok(atoi(sb.buf) >= 1, "... after skipping an unbuildable commit (%s skips)", sb.buf);
	run(NULL, "cd '%s' && git bisect reset >/dev/null 2>&1", clone);

	run(&sb, "cd '%s' && git bisect start v2 v1 >/dev/null && "
	    "git bisect run '%s' 2>&1 | sed -n 's/ is the first bad commit$//p'", clone, oracle);
	is_str(sb.buf, culprit, "a plain git bisect v2 v1 ends on the culprit too");
	run(NULL, "cd '%s' && git bisect reset >/dev/null 2>&1", clone);

	free(clone);
	free(oracle);
	free(culprit);
	free(merge);
	sb_release(&sb);
}

static void
test_config(const struct hv_demo *d)
{
	struct hv_config cfg;
	struct hv_error err = HV_ERROR_INIT;
	char **argv = NULL;
	int argc, i, has_kernel = 0;

	ok(hv_config_parse_file(d->config, &cfg, &err) == 0, "halve.conf parses%s%s",
	   err.msg ? ": " : "", err.msg ? err.msg : "");
	if (err.msg)
		return;
	is_str(cfg.build.command, "./build.sh", "[build] command");
	is_int(cfg.boot.timeout_ms, 60000, "[boot] timeout = 60s");
	is_int(cfg.boot.silence_ms, 20000, "[boot] silence = 20s");
	is_int(cfg.nrules, 2, "two verdict rules");
	if (cfg.nrules == 2) {
		is_int(cfg.rules[0].kind, HV_RULE_GOOD, "rule 1 is good");
		is_str(cfg.rules[0].pattern, "^RESULT: OKAY", "rule 1 pattern");
		is_int(cfg.rules[1].kind, HV_RULE_BAD, "rule 2 is bad");
		is_str(cfg.rules[1].pattern, "^RESULT: FAILED", "rule 2 pattern");
	}
	argc = hv_split_argv(cfg.boot.qemu, &argv, &err);
	ok(argc > 0, "[boot] qemu splits into words");
	for (i = 0; i + 1 < argc; i++) {
		if (!strcmp(argv[i], "-kernel") && d->kernel &&
		    !strcmp(argv[i + 1], d->kernel))
			has_kernel = 1;
	}
	if (d->kernel)
		ok(has_kernel, "qemu boots the kernel found: %s", d->kernel);
	else
		tap_skip("no kernel on this machine");
	ok(argc > 0 && !strcmp(argv[0], "qemu-system-x86_64"), "qemu is qemu-system-x86_64");
	for (i = 0; i + 1 < argc; i++) {
		if (!strcmp(argv[i], "-machine"))
			is_str(argv[i + 1], d->kvm ? "accel=kvm:tcg" : "accel=tcg",
			       "-machine follows the KVM probe (kvm %d)", d->kvm);
	}
	hv_argv_free(argv);
	hv_config_free(&cfg);
	hv_error_clear(&err);
}

/* Builds the tree of REV (from git archive) in DIR/NAME; 0 when it built. */
static int
build_at(const struct hv_demo *d, const char *r, const char *name)
{
	return run(NULL, "mkdir -p '%s/%s' && git -C '%s' archive %s | tar -x -C '%s/%s' && "
		   "cd '%s/%s' && ./build.sh >build.log 2>&1", tmp, name, d->dir, r, tmp, name,
		   tmp, name);
}

static void
test_build(const struct hv_demo *d)
{
	struct strbuf sb = STRBUF_INIT;
	char *broken = hex(&d->unbuildable[0]);
	is_int(build_at(d, "v1", "good"), 0, "build.sh at the good tip succeeds");
	run(&sb, "cd '%s/good' && od -An -tx1 -N2 initrd.img | tr -d ' '", tmp);
	is_str(sb.buf, "1f8b", "it makes a gzip'd initrd.img");
	run(&sb, "cd '%s/good' && gzip -dc initrd.img | cpio -it --quiet | sort | tr '\\n' ' '", tmp);
	ok(strstr(sb.buf, " init ") && strstr(sb.buf, " docker-test ") &&
	   strstr(sb.buf, " bin/busybox ") && strstr(sb.buf, " bin/sh "),
	   "a newc cpio of init, docker-test, busybox and its links (%s)", sb.buf);

	/* the bad tip, in the demo's own work tree: initrd.img is ignored */
	is_int(run(NULL, "cd '%s' && ./build.sh >/dev/null 2>&1 && test -s initrd.img", d->dir), 0,
	       "build.sh at the bad tip, in the work tree, succeeds");
	run(&sb, "git -C '%s' status --porcelain", d->dir);
	is_str(sb.buf, "", "initrd.img leaves the work tree clean (.gitignore)");

	ok(build_at(d, broken, "broken") != 0, "build.sh fails on an unbuildable commit");
	is_int(run(NULL, "test -e '%s/broken/initrd.img'", tmp), 1, "... and leaves no initrd.img");
	run(&sb, "cat '%s/broken/build.log'", tmp);
	ok(strstr(sb.buf, "error") != NULL, "... with gcc's error in its output");
	free(broken);
	sb_release(&sb);
}

/* qemu as the demo config says, with the console on stdout. */
static FILE *
boot(const char *qemu, const char *dir)
{
	char *cmd = xasprintf("cd '%s' && timeout 60 %s -display none -serial stdio "
			      "-no-reboot </dev/null 2>&1", dir, qemu);
	FILE *f = popen(cmd, "r");

	free(cmd);
	return f;
}

static void
slurp(FILE *f, struct strbuf *sb)
{
	char buf[4096];
	size_t n;

	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		sb_add(sb, buf, n);
	sb_grow(sb, 0);
	pclose(f);
}

static int
has_line(const char *text, const char *line)
{
	size_t n = strlen(line);
	const char *p = text;

	while ((p = strstr(p, line))) {
		if ((p == text || p[-1] == '\n') && (p[n] == '\r' || p[n] == '\n'))
			return 1;
		p += n;
	}
	return 0;
}

static void
test_boot(const struct hv_demo *d)
{
	struct hv_config cfg;
	struct hv_error err = HV_ERROR_INIT;
	struct strbuf good = STRBUF_INIT, bad = STRBUF_INIT;
	char *gooddir = xasprintf("%s/good", tmp);
	FILE *g, *b;

	if (run(NULL, "command -v qemu-system-x86_64 >/dev/null") != 0) {
		tap_skip("no qemu-system-x86_64: boots not tested");
		tap_skip("no qemu-system-x86_64: boots not tested");
		goto out;
	}
	if (!d->kernel || access(d->kernel, R_OK) != 0) {
		tap_skip("no readable kernel: boots not tested");
		tap_skip("no readable kernel: boots not tested");
		goto out;
	}
	if (hv_config_parse_file(d->config, &cfg, &err) < 0) {
		ok(0, "config: %s", err.msg);
		goto out;
	}
	/* Both at once: under TCG each takes a few seconds of one core. */
	g = boot(cfg.boot.qemu, gooddir);
	b = boot(cfg.boot.qemu, d->dir);
	slurp(g, &good);
	slurp(b, &bad);
	ok(has_line(good.buf, "RESULT: OKAY") && !strstr(good.buf, "RESULT: FAILED"),
	   "the good tip boots to RESULT: OKAY");
	if (!has_line(good.buf, "RESULT: OKAY"))
		printf("# console:\n# %s\n", good.buf);
	ok(has_line(bad.buf, "RESULT: FAILED") && !strstr(bad.buf, "RESULT: OKAY"),
	   "the bad tip boots to RESULT: FAILED");
	if (!has_line(bad.buf, "RESULT: FAILED"))
		printf("# console:\n# %s\n", bad.buf);
	hv_config_free(&cfg);
out:
	free(gooddir);
	sb_release(&good);
	sb_release(&bad);
	hv_error_clear(&err);
}

/* Same table, same ids; the kernel comes from HALVE_KERNEL, quoted. */
static void
test_reproducible(void)
{
	struct hv_demo a = { 0 }, b = { 0 };
	struct hv_error err = HV_ERROR_INIT;
	struct hv_config cfg;
	char *da = xasprintf("%s/again/a", tmp), *db = xasprintf("%s/again/b", tmp);
	char **argv = NULL;
	int argc, i, found = 0;

	setenv("HALVE_KERNEL", "/no where/vmlinuz-test", 1);
	ok(hv_demo_create(da, &a, &err) == 0, "created with HALVE_KERNEL set");
	ok(hv_demo_create(db, &b, &err) == 0, "created again");
	unsetenv("HALVE_KERNEL");
	if (!a.dir || !b.dir)
		goto out;
	ok(!hv_oid_cmp(&a.bad, &b.bad) && !hv_oid_cmp(&a.culprit, &b.culprit),
	   "fixed dates and names: the same commit ids twice");
	is_str(a.kernel, "/no where/vmlinuz-test", "HALVE_KERNEL is the kernel");
	if (hv_config_parse_file(a.config, &cfg, &err) == 0) {
		argc = hv_split_argv(cfg.boot.qemu, &argv, &err);
		for (i = 0; i + 1 < argc; i++)
			if (!strcmp(argv[i], "-kernel") && !strcmp(argv[i + 1], a.kernel))
				found = 1;
		ok(found, "a kernel path with a space is quoted in halve.conf");
		hv_argv_free(argv);
		hv_config_free(&cfg);
	} else {
		ok(0, "halve.conf with a quoted kernel parses: %s", err.msg);
	}
	hv_error_clear(&err);
	i = hv_demo_create(da, &b, &err);
	ok(i < 0 && err.msg && strstr(err.msg, "not empty"),
	   "a directory that is not empty is refused (%s)", err.msg ? err.msg : "no error");
out:
	hv_demo_release(&a);
	hv_demo_release(&b);
	hv_error_clear(&err);
	free(da);
	free(db);
}

int
main(void)
{
	struct hv_demo d = { 0 };
	struct hv_error err = HV_ERROR_INIT;
	const char *base = getenv("TMPDIR");
	char *dir;

	tmp = xasprintf("%s/halve-test-demo.XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(tmp)) {
		printf("Bail out! mkdtemp failed\n");
		return 99;
	}
	isolate_git();
	if (run(NULL, "command -v git >/dev/null") != 0) {
		return tap_skip_all("git is needed as the reference");
	}
	dir = xasprintf("%s/demo", tmp);
	ok(hv_demo_create(dir, &d, &err) == 0, "hv_demo_create%s%s",
	   err.msg ? ": " : "", err.msg ? err.msg : "");
	if (!d.dir) {
		printf("Bail out! no demo repository\n");
		return 99;
	}
	is_str(d.dir, dir, "the work tree is where it was asked for");
	ok(d.config && !strcmp(d.config + strlen(d.config) - 11, "/halve.conf") &&
	   access(d.config, R_OK) == 0, "the config is DIR/halve.conf");

	test_shape(&d);
	test_config(&d);
	test_bisect_with_git(&d);
	test_build(&d);
	test_boot(&d);
	test_reproducible();

	hv_demo_release(&d);
	free(dir);
	if (!getenv("HALVE_KEEP_TEST_DIR"))
		hv_remove_tree(tmp);
	else
		printf("# kept %s\n", tmp);
	free(tmp);
	return done_testing();
}
