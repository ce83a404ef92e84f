/*
 * demo.c: writes the demo repository of demo.h straight into a new git
 * repository through libgit2: blobs, trees and commits from a table, then
 * refs, tags and a checkout of main. halve never runs the git command,
 * so neither does this.
 *
 * The history is one table (demo_history) read from top to bottom: each
 * row makes a mainline commit, forks a topic, commits on a topic, merges a
 * topic or tags main, in commit-date order. A commit's files are derived
 * from a small state (is the bug in, is the build broken, the notes each
 * line of work has written so far), so a merge's tree is the union of its
 * two sides with no merge machinery at all.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <git2.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#if defined(__x86_64__) || defined(__i386__)
#include <linux/kvm.h>
#endif

#include "demo.h"

/* 2014-03-03 00:00:00 UTC, the week the story's merge was made; one
 * commit an hour from there. */
#define DEMO_EPOCH 1393804800
#define DEMO_STEP 3600

enum demo_topic {
	T_NET,
	T_AUDIT,
	T_FS,
	T_MM,
	T_SCHED,
	T_DOCS,
	NTOPICS
};

static const struct {
	const char *name;	/* branch name, and <name>.txt for its notes */
	const char *author;
	const char *email;
} demo_topics[NTOPICS] = {
	[T_NET] = { "net", "Nat Netdev", "nat@net.example.org" },
	[T_AUDIT] = { "audit", "Audrey Auditor", "audrey@audit.example.org" },
	[T_FS] = { "fs", "Fay Filer", "fay@fs.example.org" },
	[T_MM] = { "mm", "Mem Manager", "mem@mm.example.org" },
	[T_SCHED] = { "sched", "Sched Uler", "sched@sched.example.org" },
	[T_DOCS] = { "docs", "Doc Writer", "doc@docs.example.org" },
};

#define MAINLINE_AUTHOR "Lin Mainline"
#define MAINLINE_EMAIL "lin@mainline.example.org"

enum demo_kind {
	EV_MAIN,	/* a commit on main */
	EV_FORK,	/* topic branch starts at main's tip */
	EV_TOPIC,	/* a commit on the topic */
	EV_MERGE,	/* main merges the topic (--no-ff) */
	EV_TAG,		/* lightweight tag on main's tip */
};

enum demo_flag {
	EV_BUG = 1 << 0,	/* this commit brings the bug in: the culprit */
	EV_BREAK = 1 << 1,	/* docker-test.c stops compiling */
	EV_FIX = 1 << 2,	/* ... and compiles again */
};

struct demo_event {
	enum demo_kind kind;
	int topic;
	int flags;
	const char *text;	/* the message, or the tag's name */
};

#define MAIN(s)			{ EV_MAIN, -1, 0, s }
#define MAIN_F(f, s)		{ EV_MAIN, -1, f, s }
#define FORK(t)			{ EV_FORK, t, 0, NULL }
#define TOPIC(t, s)		{ EV_TOPIC, t, 0, s }
#define TOPIC_F(t, f, s)	{ EV_TOPIC, t, f, s }
#define MERGE(t)		{ EV_MERGE, t, 0, NULL }
#define TAG(name)		{ EV_TAG, -1, 0, name }

/*
 * 40 mainline commits (6 of them merges) and 30 topic commits. The audit
 * topic forks at v1 and is merged late, like the story's for-3.15 branch;
 * its fourth commit is the culprit. One mainline commit and one audit
 * commit break the build and the next commit on the same line fixes it:
 * both sit where the demo's bisections look, so a run meets a skip.
 */
static const struct demo_event demo_history[] = {
	MAIN("Initial import: docker-test, a busybox init and build.sh"),
	MAIN("build.sh: make the initramfs in a temporary directory"),
	MAIN("init: power the guest off when the test is done"),
	TAG("v1"),
	FORK(T_NET),
	FORK(T_AUDIT),
	TOPIC(T_AUDIT, "audit: use define's for audit version"),
	MAIN("kbuild: quieter output for the initramfs step"),
	TOPIC(T_NET, "net: keep the namespace list sorted"),
	TOPIC_F(T_AUDIT, EV_BREAK, "audit: remove needless switch in AUDIT_SET"),
	MAIN("x86: boot with the serial console first"),
	TOPIC(T_NET, "net: drop a stale comment about loopback"),
	TOPIC_F(T_AUDIT, EV_FIX, "audit: fix the build after the AUDIT_SET cleanup"),
	MAIN("init: mount devtmpfs before running the test"),
	TOPIC(T_NET, "net: count namespaces as they are created"),
	MAIN("MAINTAINERS: add the docker-test entry"),
	TOPIC(T_NET, "net: fix the namespace count on error"),
	MAIN("build.sh: fail early when busybox is missing"),
	MERGE(T_NET),
	FORK(T_FS),
	TOPIC_F(T_AUDIT, EV_BUG, "audit: listen in all network namespaces\n\n"
		"Convert audit from only listening in init_net to listening in\n"
		"every network namespace, so that containers can log too."),
	MAIN("docker-test: flush stdout before exiting"),
	TOPIC(T_FS, "fs: tidy the initramfs file list"),
	TOPIC(T_AUDIT, "audit: reset audit backlog wait time after error recovery"),
	MAIN("kbuild: one line per generated file"),
	TOPIC(T_FS, "fs: name the temporary directory after the build"),
	MAIN_F(EV_BREAK, "docker-test: print the test's name first"),
	TOPIC(T_AUDIT, "audit: make use of remaining sleep time from wait_for_auditd"),
	MAIN_F(EV_FIX, "docker-test: add the missing semicolon"),
	TOPIC(T_AUDIT, "audit: rework AUDIT_TTY_SET to only grab spin_lock once"),
	TOPIC(T_FS, "fs: remove the initramfs list after use"),
	MAIN("lib: small cleanups"),
	MAIN("kbuild: pass -Os to the guest test"),
	MERGE(T_FS),
	FORK(T_MM),
	TOPIC(T_AUDIT, "audit: whitespace fix in kernel-parameters.txt"),
	MAIN("Documentation: describe RESULT lines"),
	TOPIC(T_MM, "mm: give the guest 256M"),
	MAIN("kbuild: check for cpio"),
	TOPIC(T_MM, "mm: note why 256M is enough"),
	MAIN("x86: no reboot loop on panic"),
	TOPIC(T_MM, "mm: trim the initramfs"),
	MERGE(T_AUDIT),
	FORK(T_SCHED),
	TOPIC(T_MM, "mm: static binaries only"),
	MAIN("init: keep the shell quiet"),
	MAIN("x86: 64-bit guests only"),
	TOPIC(T_SCHED, "sched: run the test as soon as init starts"),
	TOPIC(T_MM, "mm: document the memory budget"),
	MAIN("MAINTAINERS: update the audit entry"),
	TOPIC(T_SCHED, "sched: no sleeping in init"),
	TOPIC(T_MM, "mm: fix a typo in the memory notes"),
	MAIN("lib: constify the result strings"),
	MERGE(T_MM),
	TOPIC(T_SCHED, "sched: poweroff without syncing"),
	MAIN("kbuild: reproducible cpio order"),
	TOPIC(T_SCHED, "sched: explain the poweroff"),
	MAIN("x86: keep the console at 115200"),
	TOPIC(T_SCHED, "sched: comment the init ordering"),
	MAIN("init: say when the test starts"),
	FORK(T_DOCS),
	MAIN("x86: document the qemu command line"),
	TOPIC(T_DOCS, "docs: how to run the demo"),
	MERGE(T_SCHED),
	TOPIC(T_DOCS, "docs: explain OKAY and FAILED"),
	MAIN("init: mount sysfs too"),
	TOPIC(T_DOCS, "docs: the story behind the demo"),
	MAIN("lib: drop an unused helper"),
	MAIN("init: no job control on the console"),
	TOPIC(T_DOCS, "docs: fix a link"),
	MAIN("kbuild: quieter gzip"),
	MAIN("Documentation: list the topic branches"),
	MERGE(T_DOCS),
	MAIN("x86: document the accelerator choice"),
	MAIN("MAINTAINERS: the demo has a maintainer"),
	MAIN("docker-test: exit 0 either way, the console says it all"),
	MAIN("Release v2"),
	TAG("v2"),
};

/* What a commit's tree is made of. */
struct demo_state {
	int bug;			/* AUDIT_ALL_NETNS is 1 */
	int broken;			/* docker-test.c has a syntax error */
	struct strbuf news;		/* NEWS: one line per mainline commit */
	struct strbuf notes[NTOPICS];	/* <topic>.txt; len 0: absent */
};

struct demo_line {
	struct demo_state st;
	git_oid tip;
	int born;		/* forked (topics) or has a commit (main) */
};

struct demo_ctx {
	git_repository *repo;
	const char *config_text;
	int64_t tick;		/* commits made so far: the clock */
	struct demo_line main;
	struct demo_line topic[NTOPICS];
	struct hv_demo *out;
	struct hv_error *err;
};

static int
git_fail(struct hv_error *err, const char *what)
{
	const git_error *e = git_error_last();

	return hv_error_set(err, "demo: %s: %s", what,
			    e && e->message ? e->message : "unknown libgit2 error");
}

static void
to_hv(struct hv_oid *out, const git_oid *in)
{
	memcpy(out->id, in->id, sizeof(out->id));
}

static void
state_copy(struct demo_state *dst, const struct demo_state *src)
{
	int i;

	dst->bug = src->bug;
	dst->broken = src->broken;
	sb_reset(&dst->news);
	sb_add(&dst->news, src->news.buf ? src->news.buf : "", src->news.len);
	for (i = 0; i < NTOPICS; i++) {
		sb_reset(&dst->notes[i]);
		sb_add(&dst->notes[i], src->notes[i].buf ? src->notes[i].buf : "",
		       src->notes[i].len);
	}
}

static void
state_release(struct demo_state *st)
{
	int i;

	sb_release(&st->news);
	for (i = 0; i < NTOPICS; i++)
		sb_release(&st->notes[i]);
}

/* First line of a commit message. */
static void
add_subject(struct strbuf *sb, const char *msg)
{
	const char *nl = strchr(msg, '\n');

	sb_add(sb, msg, nl ? (size_t)(nl - msg) : strlen(msg));
	sb_addc(sb, '\n');
}

/*
 * The guest test. The bug is one constant, as in the story a single
 * commit changed what the kernel answered; a broken tree drops a
 * semicolon, the kind of slip a bisection has to step around.
 */
static char *
docker_test_source(int bug, int broken)
{
	return xasprintf(
"/*\n"
" * docker-test.c: the test the halve demo runs inside its guest. /init\n"
" * runs it once the kernel is up, in the part of the story's docker-test\n"
" * script (`su -c true` in a container), and it prints RESULT: OKAY or\n"
" * RESULT: FAILED on the serial console, where halve's verdict rules\n"
" * read it.\n"
" */\n"
"#include <stdio.h>\n"
"\n"
"/*\n"
" * 1 when audit listens in every network namespace: su in a container\n"
" * then meets a capability check it cannot pass (EPERM where it used to\n"
" * get ECONNREFUSED), and PAM refuses the login.\n"
" */\n"
"#define AUDIT_ALL_NETNS %d\n"
"\n"
"static int\n"
"su_in_container(void)\n"
"{\n"
"\treturn AUDIT_ALL_NETNS ? -1 : 0;\n"
"}\n"
"\n"
"int\n"
"main(void)\n"
"{\n"
"\tint rc;\n"
"\n"
"\tprintf(\"docker-test: su -c true in a new network namespace\\n\");\n"
"\trc = su_in_container();\n"
"\tif (rc)\n"
"\t\tprintf(\"su: System error\\n\");\n"
"\tprintf(\"RESULT: %%s\\n\", rc ? \"FAILED\" : \"OKAY\")%s\n"
"\tfflush(stdout);\n"
"\treturn 0;\n"
"}\n", bug, broken ? "" : ";");
}

static const char demo_init[] =
"#!/bin/sh\n"
"# init: PID 1 of the halve demo's guest (busybox sh). It mounts what a\n"
"# test expects, runs /docker-test, and powers the machine off so that\n"
"# qemu exits even if no verdict rule stops it first.\n"
"mount -t proc proc /proc\n"
"mount -t sysfs sysfs /sys\n"
"mount -t devtmpfs devtmpfs /dev 2>/dev/null\n"
"echo \"init: running /docker-test\"\n"
"/docker-test\n"
"poweroff -f\n";

static const char demo_build[] =
"#!/bin/sh\n"
"# build.sh: the halve demo's build. Compiles docker-test.c statically and\n"
"# packs it with busybox and init into initrd.img, a gzip'd newc cpio,\n"
"# assembled in a temporary directory so that nothing but initrd.img is\n"
"# left in the work tree. A build that fails leaves no initrd.img.\n"
"set -e\n"
"busybox=${BUSYBOX:-/bin/busybox}\n"
"rm -f initrd.img\n"
"test -x \"$busybox\" || { echo \"build.sh: $busybox: no busybox\" >&2; exit 2; }\n"
"tmp=$(mktemp -d \"${TMPDIR:-/tmp}/halve-demo-build.XXXXXX\")\n"
"trap 'rm -rf \"$tmp\"' EXIT\n"
"root=$tmp/root\n"
"mkdir -p \"$root/bin\" \"$root/proc\" \"$root/sys\" \"$root/dev\"\n"
"echo \"  CC      docker-test\"\n"
"gcc -static -Os -Wall -o \"$root/docker-test\" docker-test.c\n"
"cp \"$busybox\" \"$root/bin/busybox\"\n"
"for applet in sh mount echo cat poweroff; do\n"
"\tln -s busybox \"$root/bin/$applet\"\n"
"done\n"
"cp init \"$root/init\"\n"
"chmod 755 \"$root/init\"\n"
"echo \"  GEN     initrd.img\"\n"
"(cd \"$root\" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) >\"$tmp/initrd.cpio\"\n"
"gzip -9n <\"$tmp/initrd.cpio\" >\"$tmp/initrd.img\"\n"
"mv \"$tmp/initrd.img\" initrd.img\n";

static const char demo_gitignore[] = "initrd.img\n";

static int
add_blob(struct demo_ctx *c, git_treebuilder *tb, const char *name,
	 const char *data, size_t len, git_filemode_t mode)
{
	git_oid oid;

	if (git_blob_create_from_buffer(&oid, c->repo, data, len) < 0)
		return git_fail(c->err, name);
	if (git_treebuilder_insert(NULL, tb, name, &oid, mode) < 0)
		return git_fail(c->err, name);
	return 0;
}

static int
write_tree(struct demo_ctx *c, const struct demo_state *st, git_oid *out)
{
	git_treebuilder *tb = NULL;
	char *src = docker_test_source(st->bug, st->broken);
	int i, rc = -1;

	if (git_treebuilder_new(&tb, c->repo, NULL) < 0) {
		git_fail(c->err, "tree");
		goto out;
	}
	if (add_blob(c, tb, ".gitignore", demo_gitignore, strlen(demo_gitignore),
		     GIT_FILEMODE_BLOB) < 0 ||
	    add_blob(c, tb, "NEWS", st->news.buf, st->news.len,
		     GIT_FILEMODE_BLOB) < 0 ||
	    add_blob(c, tb, "build.sh", demo_build, strlen(demo_build),
		     GIT_FILEMODE_BLOB_EXECUTABLE) < 0 ||
	    add_blob(c, tb, "docker-test.c", src, strlen(src),
		     GIT_FILEMODE_BLOB) < 0 ||
	    add_blob(c, tb, "halve.conf", c->config_text, strlen(c->config_text),
		     GIT_FILEMODE_BLOB) < 0 ||
	    add_blob(c, tb, "init", demo_init, strlen(demo_init),
		     GIT_FILEMODE_BLOB_EXECUTABLE) < 0)
		goto out;
	for (i = 0; i < NTOPICS; i++) {
		char *name;
		int r;

		if (!st->notes[i].len)
			continue;
		name = xasprintf("%s.txt", demo_topics[i].name);
		r = add_blob(c, tb, name, st->notes[i].buf, st->notes[i].len,
			     GIT_FILEMODE_BLOB);
		free(name);
		if (r < 0)
			goto out;
	}
	if (git_treebuilder_write(out, tb) < 0) {
		git_fail(c->err, "tree");
		goto out;
	}
	rc = 0;
out:
	git_treebuilder_free(tb);
	free(src);
	return rc;
}

/* One commit on top of parents[0..n), dated by the next tick. */
static int
make_commit(struct demo_ctx *c, const struct demo_state *st,
	    const char *author, const char *email, const char *msg,
	    const git_oid *parents, size_t n, git_oid *out)
{
	git_signature *who = NULL, *committer = NULL;
	git_commit *pc[2] = { NULL, NULL };
	git_tree *tree = NULL;
	git_oid tree_oid;
	git_time_t when = DEMO_EPOCH + DEMO_STEP * ++c->tick;
	char *message = xasprintf("%s\n", msg);
	size_t i;
	int rc = -1;

	if (write_tree(c, st, &tree_oid) < 0)
		goto out;
	if (git_tree_lookup(&tree, c->repo, &tree_oid) < 0 ||
	    git_signature_new(&who, author, email, when, 0) < 0 ||
	    git_signature_new(&committer, MAINLINE_AUTHOR, MAINLINE_EMAIL,
			      when, 0) < 0) {
		git_fail(c->err, "commit");
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (git_commit_lookup(&pc[i], c->repo, &parents[i]) < 0) {
			git_fail(c->err, "commit");
			goto out;
		}
	}
	/* Topic commits are committed by their authors, merges by main's. */
	if (git_commit_create(out, c->repo, NULL, who,
			      strcmp(author, MAINLINE_AUTHOR) ? who : committer,
			      NULL, message, tree, n,
			      (const git_commit **)pc) < 0) {
		git_fail(c->err, "commit");
		goto out;
	}
	rc = 0;
out:
	for (i = 0; i < 2; i++)
		git_commit_free(pc[i]);
	git_tree_free(tree);
	git_signature_free(who);
	git_signature_free(committer);
	free(message);
	return rc;
}

static void
apply_flags(struct demo_state *st, int flags)
{
	if (flags & EV_BUG)
		st->bug = 1;
	if (flags & EV_BREAK)
		st->broken = 1;
	if (flags & EV_FIX)
		st->broken = 0;
}

static void
note_unbuildable(struct demo_ctx *c, const struct demo_state *st,
		 const git_oid *oid)
{
	struct hv_demo *d = c->out;

	if (!st->broken)
		return;
	d->unbuildable = xreallocarray(d->unbuildable, d->nunbuildable + 1,
				       sizeof(*d->unbuildable));
	to_hv(&d->unbuildable[d->nunbuildable++], oid);
}

static int
do_main(struct demo_ctx *c, const struct demo_event *ev)
{
	struct demo_line *m = &c->main;

	apply_flags(&m->st, ev->flags);
	add_subject(&m->st.news, ev->text);
	if (make_commit(c, &m->st, MAINLINE_AUTHOR, MAINLINE_EMAIL, ev->text,
			&m->tip, m->born ? 1 : 0, &m->tip) < 0)
		return -1;
	m->born = 1;
	note_unbuildable(c, &m->st, &m->tip);
	return 0;
}

static int
do_topic(struct demo_ctx *c, const struct demo_event *ev)
{
	struct demo_line *t = &c->topic[ev->topic];

	if (!t->born)
		return hv_error_set(c->err, "demo: topic %s committed before it forked",
				    demo_topics[ev->topic].name);
	apply_flags(&t->st, ev->flags);
	add_subject(&t->st.notes[ev->topic], ev->text);
	if (make_commit(c, &t->st, demo_topics[ev->topic].author,
			demo_topics[ev->topic].email, ev->text, &t->tip, 1,
			&t->tip) < 0)
		return -1;
	note_unbuildable(c, &t->st, &t->tip);
	if (ev->flags & EV_BUG)
		to_hv(&c->out->culprit, &t->tip);
	return 0;
}

static int
do_merge(struct demo_ctx *c, const struct demo_event *ev)
{
	struct demo_line *m = &c->main, *t = &c->topic[ev->topic];
	const char *name = demo_topics[ev->topic].name;
	git_oid parents[2];
	char *msg;
	int i, rc;

	if (t->st.broken || m->st.broken)
		return hv_error_set(c->err, "demo: merge of %s would not build", name);
	/* Topics touch only their own notes: the union is the merge. */
	for (i = 0; i < NTOPICS; i++) {
		if (i == ev->topic || !m->st.notes[i].len) {
			sb_reset(&m->st.notes[i]);
			sb_add(&m->st.notes[i], t->st.notes[i].buf ? t->st.notes[i].buf : "",
			       t->st.notes[i].len);
		}
	}
	m->st.bug |= t->st.bug;
	msg = xasprintf("Merge branch '%s'\n\nPull the %s work for this cycle.",
			name, name);
	add_subject(&m->st.news, msg);
	parents[0] = m->tip;
	parents[1] = t->tip;
	rc = make_commit(c, &m->st, MAINLINE_AUTHOR, MAINLINE_EMAIL, msg,
			 parents, 2, &m->tip);
	free(msg);
	if (rc < 0)
		return -1;
	if (t->st.bug && !hv_oid_cmp(&c->out->merge, &(struct hv_oid){ { 0 } }))
		to_hv(&c->out->merge, &m->tip);
	return 0;
}

static int
do_tag(struct demo_ctx *c, const struct demo_event *ev)
{
	git_object *obj = NULL;
	git_oid oid;
	int rc;

	if (git_object_lookup(&obj, c->repo, &c->main.tip, GIT_OBJECT_COMMIT) < 0)
		return git_fail(c->err, ev->text);
	rc = git_tag_create_lightweight(&oid, c->repo, ev->text, obj, 0);
	git_object_free(obj);
	if (rc < 0)
		return git_fail(c->err, ev->text);
	if (!strcmp(ev->text, "v1"))
		to_hv(&c->out->good, &c->main.tip);
	else if (!strcmp(ev->text, "v2"))
		to_hv(&c->out->bad, &c->main.tip);
	return 0;
}

static int
play_history(struct demo_ctx *c)
{
	size_t i;

	for (i = 0; i < HV_ARRAY_SIZE(demo_history); i++) {
		const struct demo_event *ev = &demo_history[i];
		struct demo_line *t = ev->topic >= 0 ? &c->topic[ev->topic] : NULL;
		int rc = 0;

		switch (ev->kind) {
		case EV_MAIN:
			rc = do_main(c, ev);
			break;
		case EV_FORK:
			state_copy(&t->st, &c->main.st);
			t->tip = c->main.tip;
			t->born = 1;
			break;
		case EV_TOPIC:
			rc = do_topic(c, ev);
			break;
		case EV_MERGE:
			rc = do_merge(c, ev);
			break;
		case EV_TAG:
			rc = do_tag(c, ev);
			break;
		}
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* Branches for main and every topic, HEAD on main, main checked out. */
static int
finish_refs(struct demo_ctx *c)
{
	git_checkout_options co = GIT_CHECKOUT_OPTIONS_INIT;
	git_reference *ref = NULL;
	int i;

	if (git_reference_create(&ref, c->repo, "refs/heads/main", &c->main.tip,
				 1, "demo: main") < 0)
		return git_fail(c->err, "refs/heads/main");
	git_reference_free(ref);
	for (i = 0; i < NTOPICS; i++) {
		char *name = xasprintf("refs/heads/%s", demo_topics[i].name);
		int rc = git_reference_create(&ref, c->repo, name, &c->topic[i].tip,
					      1, "demo: topic");

		git_reference_free(ref);
		ref = NULL;
		if (rc < 0) {
			git_fail(c->err, name);
			free(name);
			return -1;
		}
		free(name);
	}
	if (git_repository_set_head(c->repo, "refs/heads/main") < 0)
		return git_fail(c->err, "HEAD");
	co.checkout_strategy = GIT_CHECKOUT_FORCE;
	if (git_checkout_head(c->repo, &co) < 0)
		return git_fail(c->err, "checkout");
	return 0;
}

static int
by_version_desc(const void *a, const void *b)
{
	return strverscmp(*(char *const *)b, *(char *const *)a);
}

/*
 * The kernel to boot: $HALVE_KERNEL, else the highest-versioned readable
 * /boot/vmlinuz-* (what the machine would boot next). NULL when none.
 */
static char *
find_kernel(void)
{
	const char *env = getenv("HALVE_KERNEL");
	char **names = NULL, *found = NULL;
	size_t n = 0, alloc = 0, i;
	struct dirent *de;
	DIR *d;

	if (env && *env)
		return xstrdup(env);
	d = opendir("/boot");
	if (!d)
		return NULL;
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, "vmlinuz-", 8))
			continue;
		HV_GROW(names, n + 1, alloc);
		names[n++] = xasprintf("/boot/%s", de->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), by_version_desc);
	for (i = 0; i < n; i++) {
		if (!found && access(names[i], R_OK) == 0)
			found = names[i];
		else
			free(names[i]);
	}
	free(names);
	return found;
}

/*
 * Whether `accel=kvm:tcg` would give a guest that boots. qemu falls back
 * to TCG only when KVM cannot start at all; a /dev/kvm that opens but
 * offers a crippled CPU (seen under some nested hypervisors: no SSE3,
 * and qemu warns "host doesn't support requested feature:
 * CPUID.01H:ECX.pni") starts, and the guest kernel then hangs with no
 * output. So KVM counts only when it offers SSE3, which qemu's default
 * CPU model asks for and every x86-64 CPU since 2005 has.
 */
static int
kvm_usable(void)
{
#if defined(__x86_64__) || defined(__i386__)
	struct kvm_cpuid2 *cpuid;
	int fd, ok = 0;
	unsigned i, n = 256;

	fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return 0;
	if (ioctl(fd, KVM_GET_API_VERSION, 0) != KVM_API_VERSION) {
		close(fd);
		return 0;
	}
	cpuid = xcalloc(1, sizeof(*cpuid) + n * sizeof(cpuid->entries[0]));
	cpuid->nent = n;
	if (ioctl(fd, KVM_GET_SUPPORTED_CPUID, cpuid) == 0) {
		for (i = 0; i < cpuid->nent; i++) {
			if (cpuid->entries[i].function == 1 &&
			    (cpuid->entries[i].ecx & 1))
				ok = 1;
		}
	}
	free(cpuid);
	close(fd);
	return ok;
#else
	/* qemu-system-x86_64 cannot use KVM on another architecture */
	return 0;
#endif
}

/* The kernel path as one word of hv_split_argv()'s shell-like syntax. */
static int
quote_word(struct strbuf *sb, const char *s, struct hv_error *err)
{
	const char *p;

	for (p = s; *p; p++) {
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789/._-+,=:@%", *p))
			break;
	}
	if (!*p && *s) {
		sb_adds(sb, s);
		return 0;
	}
	if (strpbrk(s, "'\n"))
		return hv_error_set(err, "demo: kernel path cannot be written in halve.conf: %s", s);
	sb_addf(sb, "'%s'", s);
	return 0;
}

static char *
config_text(const char *kernel, int kvm, struct hv_error *err)
{
	struct strbuf sb = STRBUF_INIT;

	sb_adds(&sb,
		"# halve.conf: the pipeline of the halve demo (halve.conf(5)).\n"
		"# build.sh compiles docker-test.c into a busybox initramfs, qemu\n"
		"# boots a distribution kernel with it, and docker-test's RESULT\n"
		"# line on the serial console is the verdict.\n");
	if (!kernel)
		sb_adds(&sb,
			"# No kernel was found when this demo was made (no\n"
			"# /boot/vmlinuz-*, HALVE_KERNEL unset): point -kernel at one.\n");
	if (!kvm)
		sb_adds(&sb,
			"# KVM was missing or unfit for qemu's default CPU when this\n"
			"# demo was made: every boot is emulated (TCG), a few seconds each.\n");
	sb_adds(&sb,
		"\n[build]\n"
		"command = ./build.sh\n"
		"timeout = 5m\n"
		"failure = skip\n"
		"\n[boot]\n"
		"qemu    = qemu-system-x86_64 -m 256M -machine ");
	sb_adds(&sb, kvm ? "accel=kvm:tcg\n" : "accel=tcg\n");
	sb_adds(&sb, "          -kernel ");
	if (quote_word(&sb, kernel ? kernel : "/boot/vmlinuz", err) < 0) {
		sb_release(&sb);
		return NULL;
	}
	sb_adds(&sb,
		" -initrd initrd.img\n"
		"          -append \"console=ttyS0 panic=-1 quiet\"\n"
		"timeout = 60s\n"
		"silence = 20s\n"
		"hang    = skip\n"
		"\n[verdict]\n"
		"good = ^RESULT: OKAY\n"
		"bad  = ^RESULT: FAILED\n");
	return sb_detach(&sb);
}

/* mkdir -p dir, then insist that it is empty: the demo owns all of it. */
static int
prepare_dir(const char *dir, char **abs_out, struct hv_error *err)
{
	char real[PATH_MAX];
	struct dirent *de;
	DIR *d;
	int empty = 1;

	if (hv_mkdir_p(dir, err) < 0)
		return -1;
	d = opendir(dir);
	if (!d)
		return hv_error_set(err, "%s: %s", dir, strerror(errno));
	while ((de = readdir(d))) {
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			empty = 0;
	}
	closedir(d);
	if (!empty)
		return hv_error_set(err, "%s: not empty (the demo needs a directory of its own)", dir);
	if (!realpath(dir, real))
		return hv_error_set(err, "%s: %s", dir, strerror(errno));
	*abs_out = xstrdup(real);
	return 0;
}

int
hv_demo_create(const char *dir, struct hv_demo *out, struct hv_error *err)
{
	git_repository_init_options io = GIT_REPOSITORY_INIT_OPTIONS_INIT;
	struct hv_demo d = { 0 };
	struct demo_ctx c = { 0 };
	int i, rc = -1;

	if (prepare_dir(dir, &d.dir, err) < 0)
		return -1;
	d.kernel = find_kernel();
	d.kvm = kvm_usable();
	c.config_text = config_text(d.kernel, d.kvm, err);
	if (!c.config_text)
		goto out;
	git_libgit2_init();
	io.flags = GIT_REPOSITORY_INIT_MKPATH;
	io.initial_head = "main";
	if (git_repository_init_ext(&c.repo, d.dir, &io) < 0) {
		git_fail(err, d.dir);
		goto shutdown;
	}
	c.out = &d;
	c.err = err;
	if (play_history(&c) < 0 || finish_refs(&c) < 0)
		goto shutdown;
	d.config = xasprintf("%s/halve.conf", d.dir);
	*out = d;
	memset(&d, 0, sizeof(d));
	rc = 0;
shutdown:
	git_repository_free(c.repo);
	git_libgit2_shutdown();
out:
	state_release(&c.main.st);
	for (i = 0; i < NTOPICS; i++)
		state_release(&c.topic[i].st);
	free((char *)c.config_text);
	hv_demo_release(&d);
	return rc;
}

void
hv_demo_release(struct hv_demo *demo)
{
	if (!demo)
		return;
	free(demo->dir);
	free(demo->config);
	free(demo->kernel);
	free(demo->unbuildable);
	memset(demo, 0, sizeof(*demo));
}
