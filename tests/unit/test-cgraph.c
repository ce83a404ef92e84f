/*
 * test-cgraph.c: the commit-graph reader against git itself. Builds real
 * repositories (fixed dates; linear runs, merges, a second root, octopus
 * merges so EDGE is used, a commit past 2^32 seconds), lets git write a
 * single commit-graph and a split chain, and checks every commit's
 * position, oid, time, parents and level against `git rev-list`. Then
 * feeds the reader truncated and damaged copies, which must be refused
 * (or, where the damage is harmless, read without going out of bounds).
 *
 * Only this test runs git; the library never does.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgraph.h"
#include "tap.h"

static char tmp[4096];

/* Shell helpers every script starts with: commits get a date 60 s after
 * the previous one, starting from $t, and a tag t-NAME to branch from. */
static const char preamble[] =
	"set -e\n"
	"commit() { t=$((t+60)); echo \"$1\" >\"$1\"; git add \"$1\";\n"
	"  GIT_AUTHOR_DATE=\"@$t +0000\" GIT_COMMITTER_DATE=\"@$t +0000\" \\\n"
	"  git commit -q -m \"$1\"; git tag \"t-$1\"; }\n"
	"merge() { t=$((t+60)); m=$1; shift;\n"
	"  GIT_AUTHOR_DATE=\"@$t +0000\" GIT_COMMITTER_DATE=\"@$t +0000\" \\\n"
	"  git merge -q --no-ff --allow-unrelated-histories -m \"$m\" \\\n"
	"  \"$@\" >/dev/null; }\n";

static int HV_PRINTF(3, 4)
sh(const char *dir, long long t0, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	char *body;
	int r;

	sb_addf(&sb, "%scd '%s'\nt=%lld\n", preamble, dir, t0);
	va_start(ap, fmt);
	body = xvasprintf(fmt, ap);
	va_end(ap);
	sb_adds(&sb, body);
	free(body);
	r = system(sb.buf);
	if (r != 0)
		printf("# script failed (%d):\n# %s\n", r, fmt);
	sb_release(&sb);
	return r;
}

static char *
path_in(const char *dir, const char *rel)
{
	return xasprintf("%s/%s", dir, rel);
}

/* The history every repository starts from. */
static const char history_a[] =
	"git init -q -b main .\n"
	"commit a1; commit a2; commit a3\n"
	"git checkout -q -b side; commit s1; commit s2\n"
	"git checkout -q main; commit a4\n"
	"merge m-side side\n"
	"for b in o1 o2 o3; do git checkout -q -b $b main; commit $b; done\n"
	"git checkout -q main; commit a5\n"
	"merge m-octopus o1 o2 o3\n"
	"git checkout -q --orphan other; git rm -q -rf .\n"
	"commit r1; commit r2\n"
	"git checkout -q main; commit a6\n"
	"merge m-other other\n";

/* More history on top: an octopus whose parents lie in older layers. */
static const char history_b[] =
	"git checkout -q -b late side; commit l1\n"
	"git checkout -q -b late2 t-a2; commit l2\n"
	"git checkout -q -b late3 t-r1; commit l3\n"
	"git checkout -q main; commit b1\n"
	"merge m-late late late2 late3\n"
	"commit b2\n";

static const char history_c[] =
	"commit c1\n"
	"git checkout -q -b c-side t-a1; commit c2\n"
	"git checkout -q main; merge m-c c-side\n";

struct want {
	struct hv_oid oid;
	int64_t time;
	uint32_t npar;
	struct hv_oid *par;
};

/* Reads `git rev-list --all --parents --format=%ct` into an array. */
static struct want *
read_rev_list(const char *dir, size_t *n)
{
	char *cmd = xasprintf("git -C '%s' rev-list --all --parents "
			      "--format=%%ct", dir);
	FILE *f = popen(cmd, "r");
	struct want *w = NULL;
	size_t alloc = 0, cap = 0;
	char *line = NULL;

	*n = 0;
	while (f && getline(&line, &cap, f) > 0) {
		struct want *c;
		char *p;

		if (strncmp(line, "commit ", 7)) {
			if (*n)
				w[*n - 1].time = strtoll(line, NULL, 10);
			continue;
		}
		HV_GROW(w, *n + 1, alloc);
		c = &w[(*n)++];
		memset(c, 0, sizeof(*c));
		hv_oid_parse(&c->oid, line + 7);
		for (p = line + 7 + 40; *p == ' '; p += 41) {
			c->par = xreallocarray(c->par, c->npar + 1,
					       sizeof(*c->par));
			hv_oid_parse(&c->par[c->npar++], p + 1);
		}
	}
	free(line);
	if (f)
		pclose(f);
	free(cmd);
	return w;
}

static void
free_wants(struct want *w, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(w[i].par);
	free(w);
}

static int
oid_eq(const struct hv_oid *a, const struct hv_oid *b)
{
	return !memcmp(a->id, b->id, 20);
}

static void
report(const char *what, const struct hv_oid *oid)
{
	char hex[41];

	hv_oid_fmt(hex, oid);
	printf("# %s: %s\n", what, hex);
}

/*
 * Every commit git knows about, through every accessor. Returns how many
 * commit times needed more than 32 bits.
 */
static size_t
check_against_git(const struct hv_cgraph *g, const char *dir,
		  const char *label)
{
	size_t n, i;
	struct want *w = read_rev_list(dir, &n);
	size_t found = 0, oid_ok = 0, time_ok = 0, par_ok = 0, gen_ok = 0;
	size_t merges = 0, octopus = 0, big_time = 0;

	ok(n > 0, "%s: git lists commits", label);
	is_int(hv_cgraph_count(g), n, "%s: count is every commit", label);
	for (i = 0; i < n; i++) {
		uint32_t pos, par[8], np, j, maxgen = 0;
		struct hv_oid o;
		int same;

		if (!hv_cgraph_find(g, &w[i].oid, &pos)) {
			report("not found", &w[i].oid);
			continue;
		}
		found++;
		hv_cgraph_oid(g, pos, &o);
		oid_ok += oid_eq(&o, &w[i].oid);
		if (hv_cgraph_time(g, pos) == w[i].time)
			time_ok++;
		else
			report("wrong time", &w[i].oid);
		if (w[i].time > (int64_t)UINT32_MAX)
			big_time++;
		np = hv_cgraph_parents(g, pos, par, 8);
		same = np == w[i].npar;
		for (j = 0; same && j < np; j++) {
			hv_cgraph_oid(g, par[j], &o);
			same = oid_eq(&o, &w[i].par[j]);
			if (hv_cgraph_generation(g, par[j]) > maxgen)
				maxgen = hv_cgraph_generation(g, par[j]);
		}
		if (same)
			par_ok++;
		else
			report("wrong parents", &w[i].oid);
		if (hv_cgraph_generation(g, pos) == maxgen + 1)
			gen_ok++;
		else
			report("wrong generation", &w[i].oid);
		merges += np >= 2;
		octopus += np >= 4;
	}
	is_int(found, n, "%s: every commit found", label);
	is_int(oid_ok, n, "%s: oid at its position", label);
	is_int(time_ok, n, "%s: commit time matches %%ct", label);
	is_int(par_ok, n, "%s: parents match, in order", label);
	is_int(gen_ok, n, "%s: level is one above its highest parent", label);
	ok(merges >= 3 && octopus >= 1, "%s: merges (%zu) and octopus "
	   "merges (%zu) were checked", label, merges, octopus);
	free_wants(w, n);
	return big_time;
}

static void
check_not_found(const struct hv_cgraph *g, const char *dir, const char *label)
{
	char *cmd = xasprintf("git -C '%s' rev-parse HEAD^{tree}", dir);
	FILE *f = popen(cmd, "r");
	char hex[64] = "";
	struct hv_oid tree, zero, ones;
	uint32_t pos = 12345;

	if (!f || !fgets(hex, sizeof(hex), f))
		hex[0] = 0;
	if (f)
		pclose(f);
	free(cmd);
	memset(&zero, 0, sizeof(zero));
	memset(&ones, 0xff, sizeof(ones));
	ok(hv_oid_parse(&tree, hex) == 0 && !hv_cgraph_find(g, &tree, &pos),
	   "%s: a tree oid is not found", label);
	ok(!hv_cgraph_find(g, &zero, &pos) && !hv_cgraph_find(g, &ones, &pos),
	   "%s: 00..00 and ff..ff are not found", label);
	is_int(pos, 12345, "%s: pos untouched when not found", label);
}

/* The octopus tip's parents into a short buffer: count whole, no overrun. */
static void
check_short_buffer(const struct hv_cgraph *g, const char *label)
{
	uint32_t i, pos = UINT32_MAX;

	for (i = 0; i < hv_cgraph_count(g); i++)
		if (hv_cgraph_parents(g, i, NULL, 0) == 4)
			pos = i;
	if (pos == UINT32_MAX) {
		ok(0, "%s: an octopus merge is in the graph", label);
		return;
	}
	{
		uint32_t buf[4] = { 0xdead, 0xdead, 0xdead, 0xdead };
		uint32_t full[4];

		is_int(hv_cgraph_parents(g, pos, buf, 2), 4,
		       "%s: short buffer still reports 4 parents", label);
		hv_cgraph_parents(g, pos, full, 4);
		ok(buf[0] == full[0] && buf[1] == full[1] &&
		   buf[2] == 0xdead && buf[3] == 0xdead,
		   "%s: short buffer filled up to max only", label);
	}
}

static int
open_objects(const char *dir, struct hv_cgraph **g, struct hv_error *err)
{
	char *obj = path_in(dir, ".git/objects");
	int r;

	hv_error_clear(err);
	r = hv_cgraph_open(obj, g, err);
	free(obj);
	return r;
}

/* Returns how many commit times needed more than 32 bits. */
static size_t
check_repo(const char *dir, const char *label)
{
	struct hv_error err = HV_ERROR_INIT;
	struct hv_cgraph *g = NULL;
	int r = open_objects(dir, &g, &err);
	size_t big;

	is_int(r, 0, "%s: opens", label);
	if (err.msg)
		printf("# %s\n", err.msg);
	if (!g) {
		ok(0, "%s: a graph is returned", label);
		hv_error_clear(&err);
		return 0;
	}
	big = check_against_git(g, dir, label);
	check_not_found(g, dir, label);
	check_short_buffer(g, label);
	hv_cgraph_free(g);
	return big;
}

static int
slurp(const char *path, struct strbuf *sb)
{
	sb_reset(sb);
	return hv_read_file(path, sb);
}

static int
spew(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	int r;

	if (!f)
		return -1;
	r = fwrite(data, 1, len, f) == len ? 0 : -1;
	return fclose(f) || r ? -1 : 0;
}

/* Opens objects_dir expecting a refusal; returns 1 if refused cleanly. */
static int
refused(const char *objects_dir, const char *want_in_msg)
{
	struct hv_error err = HV_ERROR_INIT;
	struct hv_cgraph *g = (struct hv_cgraph *)1;
	int r = hv_cgraph_open(objects_dir, &g, &err);
	int good = r == -1 && g == NULL && err.msg &&
		   (!want_in_msg || strstr(err.msg, want_in_msg));

	if (!good)
		printf("# r=%d g=%p msg=%s\n", r, (void *)g,
		       err.msg ? err.msg : "(none)");
	if (r == 0)
		hv_cgraph_free(g);
	hv_error_clear(&err);
	return good;
}

/* Offset of a chunk in a commit-graph image, or 0. */
static size_t
chunk_offset(const unsigned char *m, const char *id)
{
	unsigned i;

	for (i = 0; i < m[6]; i++) {
		const unsigned char *t = m + 8 + 12 * i;
		size_t off = 0;
		int b;

		if (memcmp(t, id, 4))
			continue;
		for (b = 4; b < 12; b++)
			off = off << 8 | t[b];
		return off;
	}
	return 0;
}

static void
put_be32(unsigned char *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

/* The first CDAT row that has a parent (the file has one). */
static size_t
first_child(const unsigned char *cdat)
{
	size_t i;

	for (i = 0; hv_cgraph_be32_(cdat + 36 * i + 20) ==
		    HV_CGRAPH_PARENT_NONE; i++)
		;
	return i;
}

/* Walk every accessor on every commit; 1 if all parents stay in range. */
static int
walk_all(const struct hv_cgraph *g)
{
	uint32_t i, n = hv_cgraph_count(g), par[16], j, np;
	struct hv_oid o;
	int64_t sum = 0;

	for (i = 0; i < n; i++) {
		hv_cgraph_oid(g, i, &o);
		sum += hv_cgraph_time(g, i) + hv_cgraph_generation(g, i);
		np = hv_cgraph_parents(g, i, par, 16);
		for (j = 0; j < np && j < 16; j++)
			if (par[j] >= n)
				return 0;
		hv_cgraph_find(g, &o, &j);
	}
	return sum != -1;
}

/*
 * One flipped byte at a time in the file at path (orig is its content):
 * each must be refused or read without a parent out of range.
 */
static void
flip_sweep(const char *obj, const char *path, const struct strbuf *orig,
	   const char *what)
{
	struct strbuf copy = STRBUF_INIT;
	size_t i, refusals = 0, safe = 0;

	for (i = 0; i < orig->len; i++) {
		struct hv_error err = HV_ERROR_INIT;
		struct hv_cgraph *g = NULL;

		sb_reset(&copy);
		sb_add(&copy, orig->buf, orig->len);
		copy.buf[i] ^= 0x5a;
		spew(path, copy.buf, copy.len);
		if (hv_cgraph_open(obj, &g, &err) < 0) {
			refusals++;
			safe++;
		} else if (g) {
			safe += walk_all(g);
			hv_cgraph_free(g);
		}
		hv_error_clear(&err);
	}
	spew(path, orig->buf, orig->len);
	is_int(safe, orig->len, "%s: every one-byte flip is refused or read "
	       "safely (%zu of %zu refused)", what, refusals, orig->len);
	sb_release(&copy);
}

static void
check_damaged_single(const char *good_dir)
{
	struct strbuf orig = STRBUF_INIT, copy = STRBUF_INIT;
	char *src = path_in(good_dir, ".git/objects/info/commit-graph");
	char *bad = path_in(tmp, "bad");
	char *obj = path_in(bad, "objects");
	char *file = path_in(bad, "objects/info/commit-graph");
	size_t len, i, cut_ok = 0;
	unsigned char *m;
	size_t cdat, child;

	sh(tmp, 0, "mkdir -p bad/objects/info\n");
	if (slurp(src, &orig) < 0 || orig.len < 100) {
		ok(0, "read the good commit-graph");
		goto out;
	}
	len = orig.len;

	for (i = 0; i < len; i++) {
		spew(file, orig.buf, i);
		cut_ok += refused(obj, NULL);
	}
	is_int(cut_ok, len, "every truncation (0..%zu bytes) is refused",
	       len - 1);

#define DAMAGED(what, msg, edit) \
	do { \
		sb_reset(&copy); \
		sb_add(&copy, orig.buf, len); \
		m = (unsigned char *)copy.buf; \
		edit; \
		spew(file, copy.buf, copy.len); \
		ok(refused(obj, msg), "%s is refused", what); \
	} while (0)

	DAMAGED("a bad signature", "signature", m[0] = 'X');
	DAMAGED("version 2", "version", m[4] = 2);
	DAMAGED("hash version 2 (SHA-256)", "hash version", m[5] = 2);
	DAMAGED("a chunk count past the table", NULL, m[6] = 255);
	DAMAGED("a chunk offset past the end", "bounds",
		put_be32(m + 8 + 4, 0);
		put_be32(m + 8 + 8, (uint32_t)len + 99));
	cdat = chunk_offset((unsigned char *)orig.buf, "CDAT");
	ok(cdat > 0, "found CDAT in the copy");
	child = cdat + 36 * first_child((unsigned char *)orig.buf + cdat);
	DAMAGED("a parent past the last commit", "parent",
		put_be32(m + cdat + 20, 0x00ffffff));
	DAMAGED("a parent that is the commit itself", "parent",
		put_be32(m + cdat + 20, 0));
	DAMAGED("an octopus index past EDGE", NULL,
		put_be32(m + child + 24, HV_CGRAPH_OCTOPUS | 0x7fff));
	DAMAGED("a single file naming base graphs", NULL, m[7] = 1);

	flip_sweep(obj, file, &orig, "the single file");
#undef DAMAGED
out:
	sb_release(&orig);
	sb_release(&copy);
	free(src);
	free(bad);
	free(obj);
	free(file);
}

static void
check_damaged_chain(const char *good_dir)
{
	struct strbuf chain = STRBUF_INIT, layer = STRBUF_INIT;
	char *obj = path_in(tmp, "badchain/objects");
	char *chain_path = path_in(obj,
				   "info/commit-graphs/commit-graph-chain");
	char *top = NULL;
	struct hv_cgraph *g = NULL;
	struct hv_error err = HV_ERROR_INIT;
	char *nl;

	sh(tmp, 0, "rm -rf badchain; mkdir -p badchain/objects/info\n"
	   "cp -R '%s/.git/objects/info/commit-graphs' "
	   "badchain/objects/info/\n"
	   "chmod -R u+w badchain\n", good_dir);
	if (slurp(chain_path, &chain) < 0 || chain.len < 82) {
		ok(0, "read the chain file");
		goto out;
	}
	/* The last line names the top layer. */
	sb_rtrim(&chain);
	nl = strrchr(chain.buf, '\n');
	top = xasprintf("%s/info/commit-graphs/graph-%.40s.graph", obj,
			nl ? nl + 1 : chain.buf);
	if (slurp(top, &layer) < 0) {
		ok(0, "read the top layer");
		goto out;
	}

	is_int(hv_cgraph_open(obj, &g, &err), 0, "copied chain opens");
	ok(g != NULL, "copied chain gives a graph");
	hv_cgraph_free(g);
	g = NULL;

	flip_sweep(obj, top, &layer, "top layer of the chain");

	spew(top, layer.buf, layer.len - 1);
	ok(refused(obj, NULL), "a truncated top layer is refused");
	spew(top, layer.buf, layer.len / 2);
	ok(refused(obj, NULL), "a half top layer is refused");
	remove(top);
	ok(refused(obj, "missing"), "a missing layer is refused");
	spew(top, layer.buf, layer.len);

	{
		struct strbuf swapped = STRBUF_INIT;

		/* Layers listed in the wrong order do not chain up. */
		sb_add(&swapped, nl + 1, strlen(nl + 1));
		sb_addc(&swapped, '\n');
		sb_add(&swapped, chain.buf, (size_t)(nl - chain.buf) + 1);
		spew(chain_path, swapped.buf, swapped.len);
		ok(refused(obj, NULL), "a chain in the wrong order is refused");
		sb_release(&swapped);
	}
	spew(chain_path, "not-a-hash\n", 11);
	ok(refused(obj, "chain"), "a malformed chain file is refused");

	spew(chain_path, "", 0);
	is_int(hv_cgraph_open(obj, &g, &err), 0, "an empty chain opens");
	ok(g == NULL && err.msg == NULL, "an empty chain is no graph");
out:
	hv_cgraph_free(g);
	hv_error_clear(&err);
	sb_release(&chain);
	sb_release(&layer);
	free(obj);
	free(chain_path);
	free(top);
}

static int
count_lines(const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	int n = 0;
	size_t i;

	if (hv_read_file(path, &sb) == 0)
		for (i = 0; i < sb.len; i++)
			n += sb.buf[i] == '\n';
	sb_release(&sb);
	return n;
}

/*
 * The writer: every commit of g handed over in reverse order, parents as
 * indexes into that order; what it writes must read back as git's
 * history, and bad input must write nothing.
 */
static void
check_writer(const struct hv_cgraph *src, const char *dir)
{
	uint32_t n = hv_cgraph_count(src), i, k, par[8];
	struct hv_cgraph_commit *c = xcalloc(n, sizeof(*c));
	uint32_t *parents = xmalloc(8 * (size_t)n * sizeof(*parents));
	struct hv_error err = HV_ERROR_INIT;
	char *out = path_in(tmp, "written-graph");
	struct hv_cgraph *g = NULL;
	size_t np = 0;

	for (i = 0; i < n; i++) {
		uint32_t pos = n - 1 - i, m = hv_cgraph_parents(src, pos, par, 8);

		hv_cgraph_oid(src, pos, &c[i].oid);
		hv_cgraph_tree(src, pos, &c[i].tree);
		c[i].time = hv_cgraph_time(src, pos);
		c[i].par_off = (uint32_t)np;
		c[i].npar = m;
		for (k = 0; k < m; k++)
			parents[np++] = n - 1 - par[k];
	}
	is_int(hv_cgraph_write(out, c, n, parents, np, &err), 0,
	       "writer: writes %u commits", n);
	is_int(hv_cgraph_open_file(out, &g, &err), 0, "writer: reads back");
	if (g) {
		ok(check_against_git(g, dir, "written") > 0,
		   "written: commit times past 2^32 seconds kept");
		hv_cgraph_free(g);
	}
	unlink(out);
	/* the first commit made its own grandparent: a cycle */
	if (n > 2 && c[0].npar == 1) {
		uint32_t p0 = parents[c[0].par_off], save;

		save = parents[c[p0].par_off];
		if (c[p0].npar)
			parents[c[p0].par_off] = 0;
		is_int(c[p0].npar ? hv_cgraph_write(out, c, n, parents, np,
						    &err) : -1, -1,
		       "writer: a cycle is refused");
		parents[c[p0].par_off] = save;
	}
	parents[0] = n;
	is_int(hv_cgraph_write(out, c, n, parents, np, &err), -1,
	       "writer: a parent out of range is refused");
	ok(!hv_file_exists(out), "writer: and nothing is written");
	hv_error_clear(&err);
	free(out);
	free(parents);
	free(c);
}

/* The split repository's chain, written out again as one file. */
static void
check_written(const char *dir)
{
	struct hv_error err = HV_ERROR_INIT;
	struct hv_cgraph *g = NULL;

	if (open_objects(dir, &g, &err) < 0 || !g) {
		ok(0, "writer: the chain opens");
		hv_error_clear(&err);
		return;
	}
	check_writer(g, dir);
	hv_cgraph_free(g);
}

int
main(void)
{
	const char *tmpdir = getenv("TMPDIR");
	char *single, *split, *obj, *chain, *graph;
	struct hv_cgraph *g = (struct hv_cgraph *)1;
	struct hv_error err = HV_ERROR_INIT;

	if (system("git --version >/dev/null 2>&1") != 0) {
		return tap_skip_all("git is not installed");
	}
	snprintf(tmp, sizeof(tmp), "%s/halve-cgraph-XXXXXX",
		 tmpdir && *tmpdir ? tmpdir : "/tmp");
	if (!mkdtemp(tmp)) {
		printf("Bail out! mkdtemp %s\n", tmp);
		return 1;
	}
	/* git must not read the caller's configuration or write graphs on
	 * its own (gc --auto would). */
	setenv("GIT_CONFIG_GLOBAL", "/dev/null", 1);
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	setenv("GIT_AUTHOR_NAME", "A U Thor", 1);
	setenv("GIT_AUTHOR_EMAIL", "author@example.com", 1);
	setenv("GIT_COMMITTER_NAME", "C O Mitter", 1);
	setenv("GIT_COMMITTER_EMAIL", "committer@example.com", 1);
	setenv("GIT_CONFIG_COUNT", "2", 1);
	setenv("GIT_CONFIG_KEY_0", "gc.auto", 1);
	setenv("GIT_CONFIG_VALUE_0", "0", 1);
	setenv("GIT_CONFIG_KEY_1", "fetch.writeCommitGraph", 1);
	setenv("GIT_CONFIG_VALUE_1", "false", 1);

	/* A single commit-graph file. */
	single = path_in(tmp, "single");
	sh(tmp, 0, "mkdir single\n");
	ok(sh(single, 1700000000, "%s", history_a) == 0, "made repository");
	obj = path_in(single, ".git/objects");
	is_int(hv_cgraph_open(obj, &g, &err), 0, "no commit-graph: returns 0");
	ok(g == NULL && err.msg == NULL, "no commit-graph: NULL, no error");
	free(obj);
	ok(sh(single, 0, "git commit-graph write --reachable\n") == 0,
	   "git commit-graph write --reachable");
	check_repo(single, "single");
	check_damaged_single(single);

	/* A split chain of two, then three layers, and commit times that
	 * need the 33rd and 34th bits. */
	split = path_in(tmp, "split");
	sh(tmp, 0, "mkdir split\n");
	ok(sh(split, 1700000000, "%s"
	      "git commit-graph write --reachable --split\n", history_a) == 0,
	   "made repository, first layer");
	ok(sh(split, 1800000000, "%s"
	      "git commit-graph write --reachable --split\n", history_b) == 0,
	   "more commits, second layer");
	chain = path_in(split,
			".git/objects/info/commit-graphs/commit-graph-chain");
	graph = path_in(split, ".git/objects/info/commit-graph");
	is_int(count_lines(chain), 2, "git wrote a chain of 2 layers");
	ok(!hv_file_exists(graph), "and no single commit-graph file");
	check_repo(split, "chain of 2");
	ok(sh(split, 4500000000LL, "%s"
	      "git commit-graph write --reachable --split=no-merge\n",
	      history_c) == 0, "commits after 2106, third layer");
	is_int(count_lines(chain), 3, "git wrote a chain of 3 layers");
	ok(check_repo(split, "chain of 3") > 0,
	   "commit times past 2^32 seconds were checked");
	check_damaged_chain(split);
	check_written(split);

	free(chain);
	free(graph);
	free(single);
	free(split);
	sh(tmp, 0, "cd / && rm -rf '%s'\n", tmp);
	return done_testing();
}
