/*
 * dag.c: storage for the compact commit DAG (see dag.h): nodes appended
 * parents-first, an oid lookup built on demand, and restriction to a
 * sub-range for nested or narrowed bisections.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dag.h"
#include "util.h"

/* The oid index is built lazily; it is a cache, so it lives beside the DAG. */
struct hv_dag_index {
	uint32_t mask;
	int64_t *slot;	/* node index + 1, 0 empty */
	uint32_t built_for;
};

struct hv_dag_full {
	struct hv_dag dag;
	struct hv_dag_index idx;
};

struct hv_dag *
hv_dag_new(void)
{
	struct hv_dag_full *f = xcalloc(1, sizeof(*f));

	f->dag.par_start = xcalloc(1, sizeof(uint32_t));
	/* never NULL, so hv_dag_parents() of a DAG of roots is no NULL + 0 */
	f->dag.par = xcalloc(1, sizeof(uint32_t));
	f->dag.alloc_par = 1;
	return &f->dag;
}

void
hv_dag_free(struct hv_dag *dag)
{
	struct hv_dag_full *f = (struct hv_dag_full *)dag;

	if (!dag)
		return;
	free(dag->oid);
	free(dag->time);
	free(dag->par_start);
	free(dag->par);
	free(dag->flags);
	free(f->idx.slot);
	free(f);
}

void
hv_dag_reserve(struct hv_dag *dag, size_t nodes, size_t parents)
{
	if (nodes + 1 > dag->alloc_nodes) {
		dag->oid = xreallocarray(dag->oid, nodes + 1, sizeof(*dag->oid));
		dag->time = xreallocarray(dag->time, nodes + 1, sizeof(*dag->time));
		dag->flags = xreallocarray(dag->flags, nodes + 1, sizeof(*dag->flags));
		dag->par_start = xreallocarray(dag->par_start, nodes + 2,
					       sizeof(*dag->par_start));
		dag->alloc_nodes = nodes + 1;
	}
	if (parents > dag->alloc_par) {
		dag->par = xreallocarray(dag->par, parents, sizeof(*dag->par));
		dag->alloc_par = parents;
	}
}

uint32_t
hv_dag_add(struct hv_dag *dag, const struct hv_oid *oid, int64_t time,
	   const uint32_t *parents, uint32_t nparents, uint8_t flags)
{
	uint32_t i = dag->n, npar = dag->par_start[i];

	if (i + 1 >= dag->alloc_nodes)	/* doubling: room for 2a - 1 more */
		hv_dag_reserve(dag, dag->alloc_nodes ? dag->alloc_nodes * 2 - 1
						     : 63, 0);
	HV_GROW(dag->par, (size_t)npar + nparents, dag->alloc_par);
	if (oid)
		dag->oid[i] = *oid;
	else
		memset(&dag->oid[i], 0, sizeof(dag->oid[i]));
	dag->time[i] = time;
	dag->flags[i] = flags;
	if (nparents)
		memcpy(dag->par + npar, parents, nparents * sizeof(*parents));
	dag->par_start[i + 1] = npar + nparents;
	dag->n++;
	return i;
}

static uint32_t
oid_hash(const struct hv_oid *oid)
{
	uint32_t h;

	memcpy(&h, oid->id, sizeof(h));	/* sha-1 bytes are already uniform */
	return h;
}

int64_t
hv_dag_find(const struct hv_dag *cdag, const struct hv_oid *oid)
{
	struct hv_dag_full *f = (struct hv_dag_full *)cdag;
	struct hv_dag_index *ix = &f->idx;
	uint32_t h, i;

	if (!ix->slot || ix->built_for != cdag->n) {
		uint32_t size = 16;

		while (size < cdag->n * 2)
			size *= 2;
		free(ix->slot);
		ix->slot = xcalloc(size, sizeof(*ix->slot));
		ix->mask = size - 1;
		for (i = 0; i < cdag->n; i++) {
			h = oid_hash(&cdag->oid[i]) & ix->mask;
			while (ix->slot[h])
				h = (h + 1) & ix->mask;
			ix->slot[h] = (int64_t)i + 1;
		}
		ix->built_for = cdag->n;
	}
	for (h = oid_hash(oid) & ix->mask; ix->slot[h]; h = (h + 1) & ix->mask)
		if (!hv_oid_cmp(&cdag->oid[ix->slot[h] - 1], oid))
			return ix->slot[h] - 1;
	return -1;
}

struct hv_dag *
hv_dag_restrict(const struct hv_dag *dag, uint32_t top, const uint32_t *hide,
		size_t nhide)
{
	/* mark: 1 = ancestor of top, 2 = ancestor of a hidden node */
	uint8_t *mark = xcalloc(dag->n ? dag->n : 1, 1);
	uint32_t *map = xmalloc((dag->n ? dag->n : 1) * sizeof(*map));
	uint32_t *pbuf = NULL;
	size_t palloc = 0, k;
	struct hv_dag *out = hv_dag_new();
	int64_t i;

	mark[top] |= 1;
	for (k = 0; k < nhide; k++)
		mark[hide[k]] |= 2;
	/* children have larger indices, so one downward sweep propagates */
	for (i = dag->n - 1; i >= 0; i--) {
		uint32_t p, np = hv_dag_nparents(dag, (uint32_t)i);
		const uint32_t *par = hv_dag_parents(dag, (uint32_t)i);

		if (!mark[i])
			continue;
		for (p = 0; p < np; p++)
			mark[par[p]] |= mark[i];
	}
	for (i = 0; i < (int64_t)dag->n; i++) {
		uint32_t p, np = hv_dag_nparents(dag, (uint32_t)i), kept = 0;
		const uint32_t *par = hv_dag_parents(dag, (uint32_t)i);

		if (mark[i] != 1)
			continue;
		HV_GROW(pbuf, np, palloc);
		for (p = 0; p < np; p++)
			if (mark[par[p]] == 1)
				pbuf[kept++] = map[par[p]];
		map[i] = hv_dag_add(out, &dag->oid[i], dag->time[i], pbuf,
				    kept, dag->flags[i]);
	}
	free(pbuf);
	free(map);
	free(mark);
	return out;
}

void
hv_oid_fmt(char out[41], const struct hv_oid *oid)
{
	static const char hex[] = "0123456789abcdef";
	int i;

	for (i = 0; i < 20; i++) {
		out[2 * i] = hex[oid->id[i] >> 4];
		out[2 * i + 1] = hex[oid->id[i] & 15];
	}
	out[40] = '\0';
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
hv_oid_parse(struct hv_oid *oid, const char *hex)
{
	int i;

	for (i = 0; i < 20; i++) {
		int hi = hexval(hex[2 * i]), lo;

		if (hi < 0)
			return -1;
		lo = hexval(hex[2 * i + 1]);
		if (lo < 0)
			return -1;
		oid->id[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}

int
hv_oid_cmp(const struct hv_oid *a, const struct hv_oid *b)
{
	return memcmp(a->id, b->id, sizeof(a->id));
}

int
hv_oid_in(const struct hv_oid *oid, const struct hv_oid *arr, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!hv_oid_cmp(oid, &arr[i]))
			return 1;
	return 0;
}
