/*
 * gen-history.c: writes large, kernel-shaped git histories fast, for the
 * benchmarks in bench/ (never for the tests: they make their own small
 * repositories and must not depend on this program).
 *
 * The history is a first-parent mainline on refs/heads/main. Most commits
 * live on topic branches forked from a recent mainline commit (a few from
 * the good base) and merged back by a merge commit on the mainline; some
 * topics are themselves built from sub-topics merged into them, as
 * subsystem trees are in the kernel. Commit dates are fixed and increase
 * by a minute per commit, so the same options always give the same hashes.
 * Tag `good` is the last of a short base, tag `bad` the tip: good..bad is
 * almost the whole repository.
 *
 * The tree is two tiny files whose content cycles through a few hundred
 * values, so git stores a few hundred blobs and trees, one object per
 * commit beyond that, and a million commits go through `git fast-import`
 * in well under a minute.
 *
 * With --untestable PCT the commits (in date order) are cut into runs;
 * about PCT% of them, in clusters of about --cluster commits, are marked
 * untestable: their subject carries "[untestable]" and their hashes are
 * listed in $GIT_DIR/bench/untestable for the skip benchmark's oracle.
 * $GIT_DIR/bench/commits lists every commit: "sha index kind untestable"
 * (kind: b base, m mainline, t topic, s sub-topic, M merge on mainline,
 * N merge into a topic).
 *
 * It prints progress to stderr and exits non-zero on any failure; it is a
 * bench tool, not part of halve, and uses nothing but libc and git.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define EPOCH 1500000000LL	/* date of the first commit */
#define CONTENT_CYCLE 251	/* distinct file contents (a prime) */

struct preset {
	const char *name;
	long commits, merges;
};

/* The sizes the issues quote (plus the 10k repo of the run benchmark). */
static const struct preset presets[] = {
	{ "10k", 10000, 1000 },
	{ "15k", 15000, 1000 },
	{ "44k", 44000, 11000 },
	{ "1m", 1000000, 71000 },
};

struct options {
	long commits, merges, base, window;
	double topic_share, from_base, nested;
	double untestable, cluster;
	uint64_t seed;
	int commit_graph, checkout, quiet;
	const char *dir;
};

/* One branch merged somewhere: its own commits and, for mainline topics, sub-topics. */
struct branch {
	long size;		/* its own non-merge commits (>= 1) */
	long first_sub;		/* sub-topics: subs[first_sub .. first_sub+nsub) */
	long nsub;
};

struct gen {
	struct options o;
	FILE *out;		/* git fast-import's stdin */
	uint64_t rng;
	long next_mark;		/* marks are commit index + 1 */
	char *kind;		/* per commit, see top comment */
	unsigned char *untestable;
	long *mainline;		/* marks of mainline commits so far */
	long nmain;
	long good_mark;
	/* untestable run state */
	int in_bad_run;
	long run_left;
};

static void
die(const char *fmt, ...)
{
	va_list ap;

	fputs("gen-history: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void *
xcalloc_or_die(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		die("out of memory");
	return p;
}

/* splitmix64: small, fast, and the same on every machine. */
static uint64_t
rnd(struct gen *g)
{
	uint64_t z = (g->rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, 1). */
static double
rnd_unit(struct gen *g)
{
	return (rnd(g) >> 11) * (1.0 / 9007199254740992.0);
}

/* Uniform in [0, n). */
static long
rnd_below(struct gen *g, long n)
{
	return n <= 1 ? 0 : (long)(rnd(g) % (uint64_t)n);
}

/* Length of the next untestable (bad) or testable run, about mean, at least 1. */
static long
run_length(struct gen *g, double mean)
{
	long len = (long)(mean * (0.5 + rnd_unit(g)) + 0.5);

	return len < 1 ? 1 : len;
}

/*
 * Decides whether the next commit in the range is untestable: runs of
 * testable and untestable commits alternate, the untestable ones about
 * --cluster long, the testable ones sized so that PCT% end up untestable.
 */
static int
next_untestable(struct gen *g)
{
	double f = g->o.untestable / 100.0;

	if (f <= 0)
		return 0;
	while (g->run_left == 0) {
		g->in_bad_run = !g->in_bad_run;
		g->run_left = run_length(g, g->in_bad_run ? g->o.cluster :
					 g->o.cluster * (1 - f) / f);
	}
	g->run_left--;
	return g->in_bad_run;
}

/* Emits one commit on ref; from/merge are marks (0: none). Returns its mark. */
static long
emit_commit(struct gen *g, const char *ref, char kind, long from, long merge,
	    const char *subject_fmt, long a, long b)
{
	long mark = g->next_mark++;
	long idx = mark - 1;
	int bad = 0;
	char subject[160];
	int len;

	if (kind != 'b')
		bad = next_untestable(g);
	g->kind[idx] = kind;
	g->untestable[idx] = (unsigned char)bad;
	len = snprintf(subject, sizeof(subject), subject_fmt, a, b);
	if (bad)
		len += snprintf(subject + len, sizeof(subject) - len, " [untestable]");
	fprintf(g->out, "commit %s\nmark :%ld\ncommitter Bench <bench@halve.invalid> %lld +0000\n"
		"data %d\n%s\n", ref, mark, EPOCH + 60LL * idx, len + 1, subject);
	if (from)
		fprintf(g->out, "from :%ld\n", from);
	if (merge)
		fprintf(g->out, "merge :%ld\n", merge);
	/* Mainline and merges touch one file, topics the other: two small files. */
	fprintf(g->out, "M 100644 inline %s\ndata <<EOF\n%ld\nEOF\n\n",
		(kind == 't' || kind == 's' || kind == 'N') ? "topic.c" : "main.c",
		idx % CONTENT_CYCLE);
	if (kind == 'b' || kind == 'm' || kind == 'M')
		g->mainline[g->nmain++] = mark;
	return mark;
}

/* A fork point for a topic: a recent mainline commit, sometimes the good base. */
static long
fork_point(struct gen *g)
{
	long w = g->o.window < g->nmain ? g->o.window : g->nmain;

	if (rnd_unit(g) * 100.0 < g->o.from_base)
		return g->good_mark;
	return g->mainline[g->nmain - 1 - rnd_below(g, w)];
}

/*
 * Splits total commits among n branches, each at least one, with sizes
 * drawn from an exponential distribution (a few long topics, many short
 * ones, as in the kernel) and summing exactly to total.
 */
static void
split_sizes(struct gen *g, struct branch *br, long n, long total)
{
	double *w, sum = 0;
	long extra = total - n, given = 0, i;

	if (n == 0)
		return;
	w = xcalloc_or_die(n, sizeof(*w));
	for (i = 0; i < n; i++) {
		w[i] = -log(1.0 - rnd_unit(g));
		sum += w[i];
	}
	for (i = 0; i < n; i++) {
		br[i].size = 1 + (long)(extra * w[i] / sum);
		given += br[i].size - 1;
	}
	while (given < extra) {
		br[rnd_below(g, n)].size++;
		given++;
	}
	free(w);
}

/* Emits topic t (and its sub-topics, merged into it), then its merge on main. */
static void
emit_topic(struct gen *g, const struct branch *topics, const struct branch *subs, long t)
{
	const struct branch *br = &topics[t];
	long fork = fork_point(g), tip = 0, first_half = (br->size + 1) / 2, i, s;

	for (i = 0; i < first_half; i++)
		tip = emit_commit(g, "refs/heads/topic", 't', i == 0 ? fork : 0, 0,
				  "topic-%ld: change %ld", t, i + 1);
	for (s = br->first_sub; s < br->first_sub + br->nsub; s++) {
		long stip = 0, j;

		for (j = 0; j < subs[s].size; j++)
			stip = emit_commit(g, "refs/heads/sub", 's', j == 0 ? fork : 0, 0,
					   "sub-%ld: change %ld", s, j + 1);
		tip = emit_commit(g, "refs/heads/topic", 'N', 0, stip,
				  "Merge branch 'sub-%ld' into topic-%ld", s, t);
	}
	for (; i < br->size; i++)
		tip = emit_commit(g, "refs/heads/topic", 't', 0, 0,
				  "topic-%ld: change %ld", t, i + 1);
	emit_commit(g, "refs/heads/main", 'M', 0, tip, "Merge branch 'topic-%ld'", t, 0);
}

static void
generate(struct gen *g)
{
	const struct options *o = &g->o;
	long nonmerge = o->commits - o->base - o->merges;
	long nsub = (long)(o->merges * o->nested / 100.0);
	long ntopic = o->merges - nsub;
	long branch_commits = (long)(nonmerge * o->topic_share);
	long direct, slots, merges_left, t = 0, i, reported = 0;
	struct branch *topics, *subs;

	if (ntopic < 1 && o->merges > 0)
		ntopic = 1, nsub = o->merges - 1;
	if (branch_commits < o->merges)
		branch_commits = o->merges;
	direct = nonmerge - branch_commits;
	if (direct < 0 || nonmerge < 1)
		die("too many merges (%ld) for %ld commits", o->merges, o->commits);

	topics = xcalloc_or_die(ntopic, sizeof(*topics));
	subs = xcalloc_or_die(nsub, sizeof(*subs));
	/* Every branch, topic or sub-topic, gets a size; sub-topics go to random topics. */
	{
		struct branch *all = xcalloc_or_die(ntopic + nsub, sizeof(*all));
		long *owner = xcalloc_or_die(nsub, sizeof(*owner));
		long *count = xcalloc_or_die(ntopic, sizeof(*count));
		long s;

		split_sizes(g, all, ntopic + nsub, branch_commits);
		for (i = 0; i < ntopic; i++)
			topics[i].size = all[i].size;
		for (s = 0; s < nsub; s++) {
			owner[s] = rnd_below(g, ntopic);
			count[owner[s]]++;
		}
		/* Lay sub-topics out contiguously per owning topic. */
		for (i = 0, s = 0; i < ntopic; i++) {
			topics[i].first_sub = s;
			topics[i].nsub = 0;
			s += count[i];
		}
		for (s = 0; s < nsub; s++) {
			struct branch *tb = &topics[owner[s]];

			subs[tb->first_sub + tb->nsub].size = all[ntopic + s].size;
			tb->nsub++;
		}
		free(all);
		free(owner);
		free(count);
	}

	for (i = 0; i < o->base; i++)
		g->good_mark = emit_commit(g, "refs/heads/main", 'b', 0, 0,
					   "base: change %ld", i + 1, 0);
	fprintf(g->out, "reset refs/tags/good\nfrom :%ld\n\n", g->good_mark);

	/* Mainline: direct commits and topic merges, interleaved at random. */
	slots = direct + ntopic;
	merges_left = ntopic;
	for (i = 0; slots > 0; slots--) {
		if (rnd_below(g, slots) < merges_left) {
			emit_topic(g, topics, subs, t++);
			merges_left--;
		} else {
			emit_commit(g, "refs/heads/main", 'm', 0, 0, "main: change %ld", ++i, 0);
		}
		if (!o->quiet && g->next_mark / 100000 != reported / 100000) {
			reported = g->next_mark;
			fprintf(stderr, "gen-history: %ld commits\r", g->next_mark - 1);
		}
	}
	fprintf(g->out, "reset refs/tags/bad\nfrom :%ld\n\n", g->mainline[g->nmain - 1]);
	free(topics);
	free(subs);
}

static int
run(const char *cmd)
{
	int rc = system(cmd);

	if (rc == -1 || !WIFEXITED(rc) || WEXITSTATUS(rc) != 0)
		die("command failed: %s", cmd);
	return 0;
}

/* Joins the exported marks with what we know of each commit into $GIT_DIR/bench/. */
static void
write_meta(struct gen *g, const char *marks_path)
{
	char *path;
	FILE *in, *all, *unt, *info;
	char line[128];
	long total = g->next_mark - 1, seen = 0;

	in = fopen(marks_path, "r");
	if (!in)
		die("%s: %s", marks_path, strerror(errno));
	if (asprintf(&path, "%s/.git/bench/commits", g->o.dir) < 0 || !(all = fopen(path, "w")))
		die("cannot write %s", path);
	free(path);
	if (asprintf(&path, "%s/.git/bench/untestable", g->o.dir) < 0 || !(unt = fopen(path, "w")))
		die("cannot write %s", path);
	free(path);
	while (fgets(line, sizeof(line), in)) {
		long mark;
		char sha[41];

		if (sscanf(line, ":%ld %40s", &mark, sha) != 2 || mark < 1 || mark > total)
			die("%s: bad line: %s", marks_path, line);
		fprintf(all, "%s %ld %c %d\n", sha, mark - 1, g->kind[mark - 1],
			g->untestable[mark - 1]);
		if (g->untestable[mark - 1])
			fprintf(unt, "%s\n", sha);
		seen++;
	}
	if (seen != total)
		die("%s: %ld marks, expected %ld", marks_path, seen, total);
	fclose(in);
	if (fclose(all) || fclose(unt))
		die("writing %s/.git/bench: %s", g->o.dir, strerror(errno));
	if (asprintf(&path, "%s/.git/bench/info", g->o.dir) < 0 || !(info = fopen(path, "w")))
		die("cannot write %s", path);
	free(path);
	fprintf(info, "commits %ld\nmerges %ld\nbase %ld\nseed %llu\nwindow %ld\n"
		"topic-share %g\nfrom-base %g\nnested %g\nuntestable %g\ncluster %g\n",
		g->o.commits, g->o.merges, g->o.base, (unsigned long long)g->o.seed,
		g->o.window, g->o.topic_share, g->o.from_base, g->o.nested,
		g->o.untestable, g->o.cluster);
	fclose(info);
	unlink(marks_path);
}

static void
usage(int rc)
{
	size_t i;

	fprintf(rc ? stderr : stdout,
		"usage: gen-history [options] DIR\n"
		"  --preset NAME      sizes by name:");
	for (i = 0; i < sizeof(presets) / sizeof(presets[0]); i++)
		fprintf(rc ? stderr : stdout, " %s (%ld/%ld)", presets[i].name,
			presets[i].commits, presets[i].merges);
	fprintf(rc ? stderr : stdout, "\n"
		"  --commits N        commits in the repository, base included (15000)\n"
		"  --merges M         merge commits among them (1000)\n"
		"  --seed S           random seed (1)\n"
		"  --base B           commits up to and including tag good (10)\n"
		"  --topic-share F    share of non-merge commits on topics (0.8)\n"
		"  --window W         topics fork from the last W mainline commits (50)\n"
		"  --from-base PCT    percent of topics forked from good instead (5)\n"
		"  --nested PCT       percent of merges that merge a sub-topic into a topic (20)\n"
		"  --untestable PCT   mark PCT%% of the range untestable, in clusters (0)\n"
		"  --cluster C        mean untestable cluster length in commits (150)\n"
		"  --commit-graph     run git commit-graph write --reachable afterwards\n"
		"  --no-checkout      leave the work tree empty (HEAD still at bad)\n"
		"  --quiet            no progress\n"
		"DIR must not exist. Tags: good (end of base), bad (tip of main).\n");
	exit(rc);
}

static const char *
arg_value(int argc, char **argv, int *i)
{
	if (*i + 1 >= argc)
		die("%s needs a value", argv[*i]);
	return argv[++*i];
}

static void
parse_options(struct options *o, int argc, char **argv)
{
	int i;

	o->commits = 15000, o->merges = 1000, o->seed = 1, o->base = 10;
	o->window = 50, o->topic_share = 0.8, o->from_base = 5, o->nested = 20;
	o->untestable = 0, o->cluster = 150, o->checkout = 1;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--preset")) {
			const char *name = arg_value(argc, argv, &i);
			size_t k;

			for (k = 0; k < sizeof(presets) / sizeof(presets[0]); k++)
				if (!strcmp(name, presets[k].name))
					break;
			if (k == sizeof(presets) / sizeof(presets[0]))
				die("unknown preset %s", name);
			o->commits = presets[k].commits;
			o->merges = presets[k].merges;
		} else if (!strcmp(a, "--commits")) {
			o->commits = atol(arg_value(argc, argv, &i));
		} else if (!strcmp(a, "--merges")) {
			o->merges = atol(arg_value(argc, argv, &i));
		} else if (!strcmp(a, "--seed")) {
			o->seed = strtoull(arg_value(argc, argv, &i), NULL, 0);
		} else if (!strcmp(a, "--base")) {
			o->base = atol(arg_value(argc, argv, &i));
		} else if (!strcmp(a, "--window")) {
			o->window = atol(arg_value(argc, argv, &i));
		} else if (!strcmp(a, "--topic-share")) {
			o->topic_share = atof(arg_value(argc, argv, &i));
		} else if (!strcmp(a, "--from-base")) {
			o->from_base = atof(arg_value(argc, argv, &i));
		} else if (!strcmp(a, "--nested")) {
			o->nested = atof(arg_value(argc, argv, &i));
		} else if (!strcmp(a, "--untestable")) {
			o->untestable = atof(arg_value(argc, argv, &i));
		} else if (!strcmp(a, "--cluster")) {
			o->cluster = atof(arg_value(argc, argv, &i));
		} else if (!strcmp(a, "--commit-graph")) {
			o->commit_graph = 1;
		} else if (!strcmp(a, "--no-checkout")) {
			o->checkout = 0;
		} else if (!strcmp(a, "--quiet")) {
			o->quiet = 1;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(0);
		} else if (a[0] == '-') {
			die("unknown option %s", a);
		} else if (!o->dir) {
			o->dir = a;
		} else {
			usage(2);
		}
	}
	if (!o->dir)
		usage(2);
	if (o->base < 1 || o->window < 1 || o->merges < 0 || o->cluster < 1 ||
	    o->topic_share < 0 || o->topic_share > 1 || o->untestable < 0 ||
	    o->untestable >= 100 || o->nested < 0 || o->nested >= 100)
		die("option out of range");
}

/* Single-quotes s for /bin/sh. */
static char *
shell_quote(const char *s)
{
	size_t n = 3, i;
	char *q, *p;

	for (i = 0; s[i]; i++)
		n += s[i] == '\'' ? 4 : 1;
	p = q = xcalloc_or_die(n, 1);
	*p++ = '\'';
	for (i = 0; s[i]; i++) {
		if (s[i] == '\'') {
			memcpy(p, "'\\''", 4);
			p += 4;
		} else {
			*p++ = s[i];
		}
	}
	*p++ = '\'';
	return q;
}

int
main(int argc, char **argv)
{
	struct gen g;
	struct stat st;
	char *q, *cmd, *marks;
	struct timespec t0, t1;
	static char buf[1 << 20];

	memset(&g, 0, sizeof(g));
	parse_options(&g.o, argc, argv);
	g.rng = g.o.seed * 0x2545f4914f6cdd1dULL + 1;
	g.next_mark = 1;
	g.kind = xcalloc_or_die(g.o.commits + 1, 1);
	g.untestable = xcalloc_or_die(g.o.commits + 1, 1);
	g.mainline = xcalloc_or_die(g.o.commits + 1, sizeof(*g.mainline));
	if (stat(g.o.dir, &st) == 0)
		die("%s exists; remove it first", g.o.dir);
	clock_gettime(CLOCK_MONOTONIC, &t0);

	q = shell_quote(g.o.dir);
	if (asprintf(&cmd, "git init -q -b main %s && mkdir %s/.git/bench", q, q) < 0)
		die("out of memory");
	run(cmd);
	free(cmd);
	/* fast-import runs in DIR: give it an absolute path for the marks. */
	{
		char *abs = realpath(g.o.dir, NULL);

		if (!abs || asprintf(&marks, "%s/.git/bench/marks", abs) < 0)
			die("%s: %s", g.o.dir, strerror(errno));
		free(abs);
	}
	{
		char *mq = shell_quote(marks);

		if (asprintf(&cmd, "git -C %s fast-import --quiet --export-marks=%s", q, mq) < 0)
			die("out of memory");
		free(mq);
	}
	g.out = popen(cmd, "w");
	if (!g.out)
		die("cannot run %s", cmd);
	setvbuf(g.out, buf, _IOFBF, sizeof(buf));
	generate(&g);
	fputs("done\n", g.out);
	if (pclose(g.out) != 0)
		die("git fast-import failed");
	free(cmd);
	if (g.next_mark - 1 != g.o.commits)
		die("internal: wrote %ld commits, meant %ld", g.next_mark - 1, g.o.commits);
	write_meta(&g, marks);
	free(marks);

	/* The work branches are merged; only main and the tags stay. */
	if (asprintf(&cmd, "git -C %s update-ref -d refs/heads/topic 2>/dev/null; "
		     "git -C %s update-ref -d refs/heads/sub 2>/dev/null; true", q, q) < 0)
		die("out of memory");
	run(cmd);
	free(cmd);
	if (g.o.checkout) {
		if (asprintf(&cmd, "git -C %s reset -q --hard main", q) < 0)
			die("out of memory");
		run(cmd);
		free(cmd);
	}
	if (g.o.commit_graph) {
		if (asprintf(&cmd, "git -C %s commit-graph write --reachable --no-progress", q) < 0)
			die("out of memory");
		run(cmd);
		free(cmd);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (!g.o.quiet)
		fprintf(stderr, "gen-history: %s: %ld commits, %ld merges, seed %llu in %.1f s\n",
			g.o.dir, g.o.commits, g.o.merges, (unsigned long long)g.o.seed,
			(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	free(q);
	return 0;
}
