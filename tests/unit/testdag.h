/*
 * testdag.h: building small DAGs by hand for the unit tests of the
 * algorithms (header-only, as tap.h).
 */
#ifndef HALVE_TESTDAG_H
#define HALVE_TESTDAG_H

#include "dag.h"

/* Adds a node with up to three parents given as indices (-1 = none). */
static inline uint32_t
add(struct hv_dag *d, int p1, int p2, int p3, uint8_t flags)
{
	uint32_t par[3], np = 0;

	if (p1 >= 0)
		par[np++] = (uint32_t)p1;
	if (p2 >= 0)
		par[np++] = (uint32_t)p2;
	if (p3 >= 0)
		par[np++] = (uint32_t)p3;
	return hv_dag_add(d, NULL, d->n, par, np, flags);
}

static inline struct hv_dag *
linear(int n)
{
	struct hv_dag *d = hv_dag_new();
	int i;

	for (i = 0; i < n; i++)
		add(d, i - 1, -1, -1, 0);
	return d;
}

#endif
