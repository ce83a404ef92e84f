/*
 * lanes.c: on-demand lane layout of the commit graph (lanes.h).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "lanes.h"
#include "util.h"

void
lanes_init(struct lanes *l, const struct hv_dag *dag)
{
	uint32_t i;

	memset(l, 0, sizeof(*l));
	l->dag = dag;
	l->col_of = xmalloc((dag->n ? dag->n : 1) * sizeof(*l->col_of));
	l->nwait = xcalloc(dag->n ? dag->n : 1, sizeof(*l->nwait));
	for (i = 0; i < dag->n; i++)
		l->col_of[i] = -1;
}

/*
 * Every change of a column goes through here, keeping for each node the
 * first column that waits for it and how many do: the row of a commit
 * then finds its column without scanning them all (a kernel-sized history
 * has dozens of lanes open at once).
 */
static void
set_col(struct lanes *l, size_t k, int64_t v)
{
	int64_t old = l->cols[k];

	if (v < 0 && k < l->first_free)
		l->first_free = k;
	if (old == v)
		return;
	l->cols[k] = v;
	if (old >= 0) {
		l->nwait[old]--;
		if (!l->nwait[old]) {
			l->col_of[old] = -1;
		} else if (l->col_of[old] == (int32_t)k) {
			size_t j;

			for (j = k + 1; j < l->ncols; j++)
				if (l->cols[j] == old)
					break;
			l->col_of[old] = (int32_t)j;
		}
	}
	if (v >= 0) {
		l->nwait[v]++;
		if (l->col_of[v] < 0 || (int32_t)k < l->col_of[v])
			l->col_of[v] = (int32_t)k;
	}
}

void
lanes_release(struct lanes *l)
{
	size_t k;

	for (k = 0; k < l->nck; k++)
		free(l->ck[k].cols);
	free(l->ck);
	free(l->cols);
	free(l->col_of);
	free(l->nwait);
	memset(l, 0, sizeof(*l));
}

static void
save_checkpoint(struct lanes *l)
{
	size_t k = l->next / LANES_CHECKPOINT;
	struct lanes_ckpt *c;

	if (l->next % LANES_CHECKPOINT || k < l->nck)
		return;
	HV_GROW(l->ck, k + 1, l->ack);
	c = &l->ck[k];
	c->ncols = l->ncols;
	c->cols = xcalloc(l->ncols ? l->ncols : 1, sizeof(*c->cols));
	if (l->ncols)
		memcpy(c->cols, l->cols, l->ncols * sizeof(*c->cols));
	l->nck = k + 1;
}

static void
restore_checkpoint(struct lanes *l, uint32_t row)
{
	size_t k = row / LANES_CHECKPOINT;
	const struct lanes_ckpt *c;

	size_t j;

	if (k >= l->nck)
		k = l->nck - 1;
	c = &l->ck[k];
	for (j = 0; j < l->ncols; j++)
		set_col(l, j, -1);
	HV_GROW(l->cols, c->ncols + 1, l->acols);
	for (j = l->ncols; j < c->ncols; j++)
		l->cols[j] = -1;
	l->ncols = c->ncols;
	for (j = 0; j < c->ncols; j++)
		set_col(l, j, c->cols[j]);
	l->first_free = 0;
	l->next = (uint32_t)(k * LANES_CHECKPOINT);
}

static size_t
free_column(struct lanes *l)
{
	size_t k;

	/* every column below first_free is taken */
	for (k = l->first_free; k < l->ncols; k++)
		if (l->cols[k] < 0) {
			l->first_free = k + 1;
			return k;
		}
	HV_GROW(l->cols, l->ncols + 1, l->acols);
	l->cols[l->ncols] = -1;
	l->first_free = l->ncols + 1;
	return l->ncols++;
}

/* Draws a horizontal line between cells a and b (exclusive of the ends,
 * which get their own LEFT/RIGHT flag). */
static void
hline(uint8_t *cells, size_t a, size_t b)
{
	size_t lo = a < b ? a : b, hi = a < b ? b : a, k;

	for (k = lo + 1; k < hi; k++)
		cells[k] |= LANE_LEFT | LANE_RIGHT;
	cells[lo] |= LANE_RIGHT;
	cells[hi] |= LANE_LEFT;
}

/*
 * Advances the state past row l->next; when cells is set, fills the
 * row's cells. Returns the number of cells.
 */
static size_t
step(struct lanes *l, uint8_t **cells, size_t *alloc, size_t *commit_col)
{
	const struct hv_dag *dag = l->dag;
	int64_t node = (int64_t)dag->n - 1 - l->next;
	uint32_t np = hv_dag_nparents(dag, (uint32_t)node), p;
	const uint32_t *par = hv_dag_parents(dag, (uint32_t)node);
	size_t mine = SIZE_MAX, k, ncols_before, ncells;
	uint8_t *c = NULL;

	save_checkpoint(l);
	if (l->col_of[node] >= 0)
		mine = (size_t)l->col_of[node];
	else
		mine = free_column(l);
	ncols_before = l->ncols;
	/* columns: at most one new one per extra parent */
	ncells = 2 * (l->ncols + np + 1);
	if (cells) {
		HV_GROW(*cells, ncells, *alloc);
		c = *cells;
		memset(c, 0, ncells);
		for (k = 0; k < l->ncols; k++)
			if (l->cols[k] >= 0 && l->cols[k] != node)
				c[2 * k] |= LANE_UP | LANE_DOWN;
		c[2 * mine] |= LANE_COMMIT;
		if (l->cols[mine] == node)
			c[2 * mine] |= LANE_UP;
		if (np)
			c[2 * mine] |= LANE_DOWN;
		for (k = 0; k < l->ncols; k++)
			if (k != mine && l->cols[k] == node) {
				c[2 * k] |= LANE_UP;	/* folds in here */
				hline(c, 2 * k, 2 * mine);
			}
	}
	while (l->nwait[node])
		set_col(l, (size_t)l->col_of[node], -1);
	set_col(l, mine, np ? (int64_t)par[0] : -1);
	for (p = 1; p < np; p++) {
		size_t j;

		if (l->col_of[par[p]] >= 0) {
			j = (size_t)l->col_of[par[p]];
		} else {
			j = free_column(l);
			set_col(l, j, par[p]);
			if (c)
				c[2 * j] |= LANE_DOWN;
		}
		if (c && j != mine)
			hline(c, 2 * j, 2 * mine);
	}
	while (l->ncols && l->cols[l->ncols - 1] < 0)
		l->ncols--;
	if (l->first_free > l->ncols)
		l->first_free = l->ncols;
	l->next++;
	if (!c)
		return 0;
	if (commit_col)
		*commit_col = 2 * mine;
	/* cells in use: up to the last non-empty one, in whole columns */
	ncells = 2 * (ncols_before > l->ncols ? ncols_before : l->ncols);
	if (ncells < 2 * (mine + 1))
		ncells = 2 * (mine + 1);
	while (ncells >= 2 && !c[ncells - 2] && !c[ncells - 1])
		ncells -= 2;
	return ncells;
}

size_t
lanes_row(struct lanes *l, uint32_t row, uint8_t **cells, size_t *alloc,
	  size_t *commit_col)
{
	if (row >= l->dag->n)
		return 0;
	if (row < l->next)
		restore_checkpoint(l, row);
	while (l->next < row)
		step(l, NULL, NULL, NULL);
	return step(l, cells, alloc, commit_col);
}

int
lanes_glyph(uint8_t cell, int utf8)
{
	static const int box[16] = {
		/* indexed by UP | DOWN << 1 | LEFT << 2 | RIGHT << 3 */
		' ', 0x2502, 0x2502, 0x2502,	/* -, U, D, UD */
		0x2500, 0x256f, 0x256e, 0x2524,	/* L, UL, DL, UDL */
		0x2500, 0x2570, 0x256d, 0x251c,	/* R, UR, DR, UDR */
		0x2500, 0x2534, 0x252c, 0x253c,	/* LR, ULR, DLR, UDLR */
	};
	static const char ascii[16] = {
		' ', '|', '|', '|',
		'-', '\'', '.', '+',
		'-', '`', '.', '+',
		'-', '+', '+', '+',
	};
	int k = cell & 15;

	return utf8 ? box[k] : ascii[k];
}
