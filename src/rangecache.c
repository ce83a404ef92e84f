/*
 * rangecache.c: the session's range cache (sessionint.h): the last range
 * walked, from which later, smaller ranges are cut in O(n). The faces see
 * hv_session_range(), _cached() and _keep() (session.h).
 *
 * A big range is also kept on disk, <common dir>/halve/range, so that the
 * next process (`halve status`, the next mark, the workstation) cuts its
 * range out of it instead of walking a million commits again: a range is
 * a function of its ends and options alone, as commits never change, so
 * the file never goes stale; where history is rewritten (grafts, replace
 * refs, a shallow clone) it is neither written nor read. A cache, not
 * bisection state: a file that is missing, damaged or of another range
 * only costs the walk. Its layout, in the machine's byte order (a file
 * from another order fails the magic):
 *
 *   uint32 magic "HVRG", version, n, nparents, nbottoms, first_parent,
 *          length of the paths key, 0
 *   top (20 bytes), bottoms (20 each), the paths key (no NUL)
 *   the DAG's arrays: oid (20 n), time (8 n), par_start (4 (n + 1)),
 *   par (4 nparents), flags (n)
 *   uint64 a checksum of everything after the header (sum_add())
 *
 * The checksum is there because a damaged DAG that is still a DAG (a
 * flag, an edge) would change the answer where a walk would not.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sessionint.h"

/* Smaller ranges are walked in a few milliseconds: not worth a file. */
#define RANGE_FILE_MIN 10000
#define RANGE_FILE_MAGIC 0x48565247u	/* "HVRG" */
#define RANGE_FILE_VERSION 1

enum { H_MAGIC, H_VERSION, H_N, H_NPAR, H_NBOTTOMS, H_FIRST_PARENT,
       H_PATHSLEN, H_ZERO, H_WORDS };

/* FNV-1a over 8-byte words, then the odd bytes: a few milliseconds for a
 * million commits. Writer and reader add the same pieces in turn. */
static void
sum_add(uint64_t *h, const void *data, size_t len)
{
	const unsigned char *p = data;
	uint64_t x = *h, w;

	for (; len >= 8; p += 8, len -= 8) {
		memcpy(&w, p, 8);
		x = (x ^ w) * 0x100000001b3ull;
	}
	for (; len; p++, len--)
		x = (x ^ *p) * 0x100000001b3ull;
	*h = x;
}

#define SUM_INIT 0xcbf29ce484222325ull

/* One piece of the file after the header: added and summed. */
static void
add_summed(struct strbuf *sb, uint64_t *sum, const void *data, size_t len)
{
	sb_add(sb, data, len);
	sum_add(sum, data, len);
}

static char *
range_file_path(const struct hv_session *s)
{
	return xasprintf("%shalve/range", s->repo->commondir);
}

/* The size a file with this header has, or 0 when the header is bad. */
static uint64_t
file_size(const uint32_t *head)
{
	uint64_t n = head[H_N];

	if (head[H_MAGIC] != RANGE_FILE_MAGIC ||
	    head[H_VERSION] != RANGE_FILE_VERSION || !n || n >= UINT32_MAX - 1 ||
	    !head[H_NBOTTOMS] || head[H_FIRST_PARENT] > 1 || head[H_ZERO])
		return 0;
	return sizeof(uint32_t) * H_WORDS + sizeof(struct hv_oid) +
	       (uint64_t)head[H_NBOTTOMS] * sizeof(struct hv_oid) +
	       head[H_PATHSLEN] + n * (sizeof(struct hv_oid) + 8 + 4 + 1) + 4 +
	       (uint64_t)head[H_NPAR] * 4 + sizeof(uint64_t);
}

/* Best effort: a file that cannot be written only costs the next walk. */
static void
range_file_write(const struct hv_session *s, const struct hv_range_cache *rc)
{
	const struct hv_dag *dag = rc->dag;
	uint32_t head[H_WORDS] = { 0 };
	size_t npar = dag->par_start[dag->n], plen = strlen(rc->paths);
	struct strbuf sb = STRBUF_INIT;
	uint64_t sum = SUM_INIT;
	char *path, *dir;

	if (dag->n < RANGE_FILE_MIN || !rc->nbottoms || s->repo->rewritten)
		return;
	head[H_MAGIC] = RANGE_FILE_MAGIC;
	head[H_VERSION] = RANGE_FILE_VERSION;
	head[H_N] = dag->n;
	head[H_NPAR] = (uint32_t)npar;
	head[H_NBOTTOMS] = (uint32_t)rc->nbottoms;
	head[H_FIRST_PARENT] = (uint32_t)rc->first_parent;
	head[H_PATHSLEN] = (uint32_t)plen;
	sb_grow(&sb, (size_t)file_size(head));	/* tens of MB: no doubling */
	sb_add(&sb, head, sizeof(head));
	add_summed(&sb, &sum, &rc->top, sizeof(rc->top));
	add_summed(&sb, &sum, rc->bottoms, rc->nbottoms * sizeof(*rc->bottoms));
	add_summed(&sb, &sum, rc->paths, plen);
	add_summed(&sb, &sum, dag->oid, dag->n * sizeof(*dag->oid));
	add_summed(&sb, &sum, dag->time, dag->n * sizeof(*dag->time));
	add_summed(&sb, &sum, dag->par_start,
		   (dag->n + 1) * sizeof(*dag->par_start));
	add_summed(&sb, &sum, dag->par, npar * sizeof(*dag->par));
	add_summed(&sb, &sum, dag->flags, dag->n * sizeof(*dag->flags));
	sb_add(&sb, &sum, sizeof(sum));
	path = range_file_path(s);
	dir = xasprintf("%shalve", s->repo->commondir);
	if (hv_mkdir_p(dir, NULL) == 0)
		hv_write_file_atomic(path, sb.buf, sb.len, NULL);
	free(dir);
	free(path);
	sb_release(&sb);
}

/* Reads exactly len bytes; 0, or -1 at an error or the end of the file. */
static int
read_all(int fd, void *buf, size_t len)
{
	char *p = buf;

	while (len) {
		ssize_t n = read(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * What the rest of halve takes for granted of a range: parents listed
 * in order, each before its child, flags the walk sets, the top last and
 * every node an ancestor of it (dag_copy() relies on that).
 */
static int
dag_sound(const struct hv_dag *dag, uint32_t npar, const struct hv_oid *top)
{
	uint8_t *reached;
	uint32_t i, j;
	int sound = 1;

	if (dag->par_start[0] || hv_oid_cmp(&dag->oid[dag->n - 1], top))
		return 0;
	for (i = 0; i < dag->n; i++) {
		if (dag->par_start[i + 1] < dag->par_start[i] ||
		    dag->par_start[i + 1] > npar ||
		    dag->flags[i] & ~HV_NODE_TREESAME)
			return 0;
		for (j = dag->par_start[i]; j < dag->par_start[i + 1]; j++)
			if (dag->par[j] >= i)
				return 0;
	}
	if (dag->par_start[dag->n] != npar)
		return 0;
	/* children come after their parents: one sweep down from the top */
	reached = xcalloc(dag->n, 1);
	reached[dag->n - 1] = 1;
	for (i = dag->n; i-- > 0 && sound;) {
		sound = reached[i];
		for (j = dag->par_start[i]; j < dag->par_start[i + 1]; j++)
			reached[dag->par[j]] = 1;
	}
	free(reached);
	return sound;
}

/* Reads len bytes into buf and adds them to the checksum. */
static int
read_summed(int fd, void *buf, size_t len, uint64_t *sum)
{
	if (read_all(fd, buf, len) < 0)
		return -1;
	sum_add(sum, buf, len);
	return 0;
}

/*
 * The DAG's arrays from fd, n nodes and npar parents, then the checksum
 * of all that was read (sum so far); NULL if damaged or unsound.
 */
static struct hv_dag *
read_dag(int fd, uint32_t n, uint32_t npar, const struct hv_oid *top,
	 uint64_t sum)
{
	struct hv_dag *dag = hv_dag_new();
	uint64_t stored;

	hv_dag_reserve(dag, n, npar);
	if (read_summed(fd, dag->oid, (size_t)n * sizeof(*dag->oid), &sum) ||
	    read_summed(fd, dag->time, (size_t)n * sizeof(*dag->time), &sum) ||
	    read_summed(fd, dag->par_start,
			((size_t)n + 1) * sizeof(*dag->par_start), &sum) ||
	    read_summed(fd, dag->par, (size_t)npar * sizeof(*dag->par), &sum) ||
	    read_summed(fd, dag->flags, n, &sum) ||
	    read_all(fd, &stored, sizeof(stored)) < 0 || stored != sum) {
		hv_dag_free(dag);
		return NULL;
	}
	dag->n = n;
	if (!dag_sound(dag, npar, top)) {
		hv_dag_free(dag);
		return NULL;
	}
	return dag;
}

/*
 * The range on disk into rc, when it can serve a range with these
 * options and bottoms (its own bottoms all among them); the arrays are
 * read only then. 0 when rc got it.
 */
static int
range_file_read(const struct hv_session *s, struct hv_range_cache *rc,
		const struct hv_oid *bottoms, size_t n, const char *paths)
{
	uint32_t head[H_WORDS];
	struct hv_oid top, *own = NULL;
	char *key = NULL, *path;
	struct hv_dag *dag = NULL;
	struct stat st;
	uint64_t sum = SUM_INIT;
	size_t i;
	int fd;

	if (s->repo->rewritten)
		return -1;
	path = range_file_path(s);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	free(path);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || read_all(fd, head, sizeof(head)) < 0 ||
	    (uint64_t)st.st_size != file_size(head) ||
	    head[H_FIRST_PARENT] != (uint32_t)s->st.first_parent ||
	    head[H_PATHSLEN] != strlen(paths))
		goto out;
	own = xcalloc(head[H_NBOTTOMS], sizeof(*own));
	key = xcalloc(head[H_PATHSLEN] + 1, 1);
	if (read_summed(fd, &top, sizeof(top), &sum) ||
	    read_summed(fd, own, head[H_NBOTTOMS] * sizeof(*own), &sum) ||
	    read_summed(fd, key, head[H_PATHSLEN], &sum) || strcmp(key, paths))
		goto out;
	for (i = 0; i < head[H_NBOTTOMS]; i++)
		if (!hv_oid_in(&own[i], bottoms, n))
			goto out;
	dag = read_dag(fd, head[H_N], head[H_NPAR], &top, sum);
	if (!dag)
		goto out;
	range_cache_clear(rc);
	rc->dag = dag;
	rc->top = top;
	rc->bottoms = own;
	rc->nbottoms = head[H_NBOTTOMS];
	rc->first_parent = s->st.first_parent;
	rc->paths = key;
	own = NULL;
	key = NULL;
out:
	close(fd);
	free(own);
	free(key);
	return dag ? 0 : -1;
}

/*
 * A copy of a whole cached range: what cutting it at its top with nothing
 * hidden gives (every node of a range is an ancestor of its top, the
 * last), without the marking.
 */
static struct hv_dag *
dag_copy(const struct hv_dag *dag)
{
	struct hv_dag *out = hv_dag_new();
	uint32_t n = dag->n, npar = dag->par_start[n];

	if (!n)
		return out;	/* its arrays may be NULL: no memcpy from them */
	hv_dag_reserve(out, n, npar);
	memcpy(out->oid, dag->oid, n * sizeof(*dag->oid));
	memcpy(out->time, dag->time, n * sizeof(*dag->time));
	memcpy(out->par_start, dag->par_start, (n + 1) * sizeof(*dag->par_start));
	memcpy(out->par, dag->par, npar * sizeof(*dag->par));
	memcpy(out->flags, dag->flags, n * sizeof(*dag->flags));
	out->n = n;
	return out;
}

void
range_cache_clear(struct hv_range_cache *rc)
{
	hv_dag_free(rc->dag);
	free(rc->bottoms);
	free(rc->paths);
	memset(rc, 0, sizeof(*rc));
}

/*
 * The cached range serves (top, bottoms) when top is in it, every bottom
 * is in it or bounds it too, and every bound of it is among the bottoms
 * (a range with fewer bounds, the history after a reset or an undone
 * good, reaches below the cache): then the answer is the cached DAG cut
 * down to top's ancestors that the bottoms inside it do not reach.
 */
static struct hv_dag *
range_from_cache(struct hv_session *s, const struct hv_oid *top,
		 const struct hv_oid *bottoms, size_t n, const char *paths)
{
	struct hv_range_cache *rc = &s->range;
	uint32_t *hide;
	size_t i, nhide = 0;
	int64_t t;
	struct hv_dag *dag = NULL;

	/* a process's first range may be on disk */
	if (!rc->dag && range_file_read(s, rc, bottoms, n, paths) < 0)
		return NULL;
	if (rc->first_parent != s->st.first_parent || strcmp(rc->paths, paths))
		return NULL;
	/* the top and the bounds of the cached range itself are known
	 * without an oid index (a million oids to hash) */
	t = hv_oid_cmp(top, &rc->top) ? hv_dag_find(rc->dag, top)
				       : (int64_t)rc->dag->n - 1;
	if (t < 0)
		return NULL;
	for (i = 0; i < rc->nbottoms; i++)
		if (!hv_oid_in(&rc->bottoms[i], bottoms, n))
			return NULL;
	hide = xcalloc(n ? n : 1, sizeof(*hide));
	for (i = 0; i < n; i++) {
		int64_t k;

		if (hv_oid_in(&bottoms[i], rc->bottoms, rc->nbottoms))
			continue;	/* a bound: outside the range */
		k = hv_dag_find(rc->dag, &bottoms[i]);
		if (k < 0)
			goto out;	/* might cut inside: walk afresh */
		hide[nhide++] = (uint32_t)k;
	}
	if (t == (int64_t)rc->dag->n - 1 && !nhide)
		dag = dag_copy(rc->dag);	/* the whole range */
	else
		dag = hv_dag_restrict(rc->dag, (uint32_t)t, hide, nhide);
out:
	free(hide);
	return dag;
}

int
hv_session_range_cached(struct hv_session *s, const struct hv_oid *top,
			const struct hv_oid *bottoms, size_t n,
			struct hv_dag **out)
{
	char *paths = hv_state_paths_key(&s->st);

	*out = range_from_cache(s, top, bottoms, n, paths);
	free(paths);
	return *out != NULL;
}

struct hv_dag *
hv_session_range_keep(struct hv_session *s, const struct hv_oid *top,
		      const struct hv_oid *bottoms, size_t n,
		      struct hv_dag *dag)
{
	struct hv_range_cache *rc = &s->range;
	uint32_t i;

	for (i = 0; i < dag->n; i++)
		dag->flags[i] &= ~HV_NODE_SKIP;	/* marks are the caller's */
	range_cache_clear(rc);
	rc->dag = dag;
	rc->top = *top;
	rc->bottoms = xcalloc(n ? n : 1, sizeof(*rc->bottoms));
	if (n)	/* bottoms may be NULL then: memcpy(NULL) is undefined */
		memcpy(rc->bottoms, bottoms, n * sizeof(*bottoms));
	rc->nbottoms = n;
	rc->first_parent = s->st.first_parent;
	rc->paths = hv_state_paths_key(&s->st);
	if (dag->n)
		range_file_write(s, rc);
	return dag_copy(dag);
}

int
hv_session_range(struct hv_session *s, const struct hv_oid *top,
		 const struct hv_oid *bottoms, size_t n, struct hv_dag **out,
		 struct hv_error *err)
{
	struct hv_graph_opts opts = { 0 };
	struct hv_dag *dag;

	if (hv_session_range_cached(s, top, bottoms, n, out))
		return 0;
	opts.first_parent = s->st.first_parent;
	opts.paths = s->st.paths;
	opts.npaths = s->st.npaths;
	if (hv_graph_load(s->repo, top, bottoms, n, &opts, &dag, err) < 0)
		return -1;
	*out = hv_session_range_keep(s, top, bottoms, n, dag);
	return 0;
}

