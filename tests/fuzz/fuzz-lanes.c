/*
 * fuzz-lanes.c: the lanes layout (src/lanes.c) on any DAG the input
 * describes. Byte by byte each node takes 0 to 7 parents among the nodes
 * before it (the DAG's topological order; no parent twice); the bytes
 * left over pick rows to jump to, so the checkpoints are used out of
 * order as a scrolling screen would. Each row must hold an even number of
 * cells, its commit in one of them, and only known lane flags.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "lanes.h"

#define FUZZ_MAX_NODES 1024
#define FUZZ_MAX_PARENTS 7

/* Node i's parents from the bytes at *p; returns how many. */
static uint32_t
read_parents(const uint8_t **p, const uint8_t *end, uint32_t i, uint32_t *par)
{
	uint32_t want, n = 0, j, k;

	if (*p >= end || i == 0)
		return 0;
	want = *(*p)++ % (FUZZ_MAX_PARENTS + 1);
	for (j = 0; j < want && *p < end; j++) {
		/* mostly near ones, as in real histories */
		uint32_t cand = i - 1 - (*(*p)++ % i);

		for (k = 0; k < n && par[k] != cand; k++)
			;
		if (k == n)
			par[n++] = cand;
	}
	return n;
}

static void
check_row(struct lanes *l, uint32_t row, uint8_t **cells, size_t *alloc)
{
	size_t commit_col = (size_t)-1, n, i;

	n = lanes_row(l, row, cells, alloc, &commit_col);
	if (n % 2 || commit_col >= n || !((*cells)[commit_col] & LANE_COMMIT))
		abort();
	for (i = 0; i < n; i++) {
		if ((*cells)[i] & ~(LANE_UP | LANE_DOWN | LANE_LEFT | LANE_RIGHT |
				    LANE_COMMIT))
			abort();
		lanes_glyph((*cells)[i], 1);
		lanes_glyph((*cells)[i], 0);
	}
}

int
FUZZ_TARGET(lanes)(const uint8_t *data, size_t size)
{
	const uint8_t *p = data, *end = data + size;
	struct hv_dag *dag = hv_dag_new();
	uint32_t par[FUZZ_MAX_PARENTS], n, i, np;
	struct hv_oid oid;
	struct lanes l;
	uint8_t *cells = NULL;
	size_t alloc = 0;

	if (size < 2)
		goto out;
	/* the first two bytes: how many nodes */
	n = ((uint32_t)p[0] << 8 | p[1]) % FUZZ_MAX_NODES + 1;
	p += 2;
	memset(&oid, 0, sizeof(oid));
	for (i = 0; i < n; i++) {
		np = read_parents(&p, end, i, par);
		memcpy(oid.id, &i, sizeof(i));
		hv_dag_add(dag, &oid, (int64_t)i, par, np, 0);
	}
	lanes_init(&l, dag);
	/* jumps first, so a checkpoint is missing when it is needed */
	while (end - p >= 2) {
		check_row(&l, ((uint32_t)p[0] << 8 | p[1]) % n, &cells, &alloc);
		p += 2;
	}
	for (i = 0; i < n; i++)
		check_row(&l, i, &cells, &alloc);
	lanes_release(&l);
	free(cells);
out:
	hv_dag_free(dag);
	return 0;
}
