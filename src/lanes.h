/*
 * lanes.h: the lanes of the commit graph, one row per commit, newest
 * first, computed on demand. Row r is node dag->n - 1 - r. A commit takes
 * the column that waits for it, its first parent inherits the column,
 * other parents open columns to the side (or join a column already
 * waiting for them), and columns waiting for the same commit fold into it
 * on its row: the layout of git log --graph, drawn one line per commit as
 * tig draws it (the fork and the fold on the commit's own line).
 *
 * Rows are computed as they are asked for, from a checkpoint of the
 * column state every LANES_CHECKPOINT rows, so the first screen of a
 * million-commit graph costs a screenful of work, and jumping anywhere
 * later costs at most one checkpoint interval after the first visit.
 *
 * Each row is a string of cells, two per column (the column, then the
 * gap to its right), each cell a set of LANE_* flags saying which ways a
 * line leaves it. Turning that into glyphs is the caller's business.
 */
#ifndef HALVE_LANES_H
#define HALVE_LANES_H

#include <stddef.h>
#include <stdint.h>

#include "dag.h"

#define LANES_CHECKPOINT 128

enum lane_flag {
	LANE_UP = 1 << 0,
	LANE_DOWN = 1 << 1,
	LANE_LEFT = 1 << 2,
	LANE_RIGHT = 1 << 3,
	LANE_COMMIT = 1 << 4,	/* the commit of this row */
};

struct lanes_ckpt {
	size_t ncols;
	int64_t *cols;
};

struct lanes {
	const struct hv_dag *dag;
	int64_t *cols;		/* node each column waits for, -1 free */
	size_t ncols, acols;
	size_t first_free;	/* columns below it are all taken */
	int32_t *col_of;	/* per node: first column waiting for it, -1 */
	uint16_t *nwait;	/* per node: how many columns wait for it */
	uint32_t next;		/* the row the state is before */
	struct lanes_ckpt *ck;	/* ck[k]: state before row k * CHECKPOINT */
	size_t nck, ack;
};

void lanes_init(struct lanes *l, const struct hv_dag *dag);
void lanes_release(struct lanes *l);

/*
 * The cells of row (0 <= row < dag->n) into *cells (grown as needed,
 * caller frees); returns how many cells (an even number). *commit_col
 * gets the cell index of the commit.
 */
size_t lanes_row(struct lanes *l, uint32_t row, uint8_t **cells,
		 size_t *alloc, size_t *commit_col);

/* The glyph for a cell: box drawing when utf8, ASCII otherwise. */
int lanes_glyph(uint8_t cell, int utf8);

#endif
