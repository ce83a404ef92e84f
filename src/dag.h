/*
 * dag.h: the compact commit DAG halve bisects on.
 *
 * The candidates of a bisection (commits reachable from bad and not from
 * any good) as integer nodes in topological order: every parent index is
 * smaller than its child's, so the bad commit is the last node. Parents
 * outside the candidate set are dropped. Building it costs one walk of the
 * range; everything after (weights, midpoints, views) works on integers.
 */
#ifndef HALVE_DAG_H
#define HALVE_DAG_H

#include <stdint.h>
#include <stddef.h>

struct hv_oid {
	unsigned char id[20];
};

enum hv_node_flag {
	HV_NODE_TREESAME = 1 << 0,	/* does not touch the pathspec: not counted */
	HV_NODE_SKIP = 1 << 1,		/* marked skip: counted, never picked */
};

struct hv_dag {
	uint32_t n;
	struct hv_oid *oid;	/* n entries */
	int64_t *time;		/* committer time, n entries */
	uint32_t *par_start;	/* n + 1 entries: parents of i are */
	uint32_t *par;		/* par[par_start[i] .. par_start[i+1]) */
	uint8_t *flags;		/* enum hv_node_flag, n entries */
	size_t alloc_nodes, alloc_par;
};

/* An empty DAG to fill with hv_dag_add(); free with hv_dag_free(). */
struct hv_dag *hv_dag_new(void);
/* Room for nodes and parent edges ahead of hv_dag_add() (a size hint). */
void hv_dag_reserve(struct hv_dag *dag, size_t nodes, size_t parents);
void hv_dag_free(struct hv_dag *dag);
/*
 * Appends a node whose parents (indices of nodes already added) are
 * given; returns its index. Callers add nodes parents-first.
 */
uint32_t hv_dag_add(struct hv_dag *dag, const struct hv_oid *oid, int64_t time,
		    const uint32_t *parents, uint32_t nparents, uint8_t flags);

static inline uint32_t
hv_dag_nparents(const struct hv_dag *dag, uint32_t i)
{
	return dag->par_start[i + 1] - dag->par_start[i];
}

static inline const uint32_t *
hv_dag_parents(const struct hv_dag *dag, uint32_t i)
{
	return dag->par + dag->par_start[i];
}

/* Index of oid in dag, or -1. Linear on first use, then hashed. */
int64_t hv_dag_find(const struct hv_dag *dag, const struct hv_oid *oid);

/*
 * Restrict dag to the ancestors of node top that are not ancestors of any
 * node in hide[] (a sub-bisection inside a loaded range), keeping order.
 * Flags are copied. Returns a new DAG.
 */
struct hv_dag *hv_dag_restrict(const struct hv_dag *dag, uint32_t top,
			       const uint32_t *hide, size_t nhide);

void hv_oid_fmt(char out[41], const struct hv_oid *oid);
int hv_oid_parse(struct hv_oid *oid, const char *hex);
int hv_oid_cmp(const struct hv_oid *a, const struct hv_oid *b);
/* Is oid among the n of arr? (A linear scan: for short lists.) */
int hv_oid_in(const struct hv_oid *oid, const struct hv_oid *arr, size_t n);

#endif
