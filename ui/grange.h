/*
 * grange.h: what the graph pane shows, apart from how it draws it: the
 * commits of the range being bisected (or the history of HEAD when there
 * is no range), and what the session knows of each.
 *
 * A range is read in pieces (hv_graph_walk): the first piece gives the
 * top rows at once, so that the first screen of a million commits does
 * not wait for the million; the rest is read a piece per loop turn, and
 * until it is, the rows are the preview's (the top of the range, the
 * goods that bound it not yet below). It never writes the session.
 */
#ifndef HALVE_UI_GRANGE_H
#define HALVE_UI_GRANGE_H

#include <stdint.h>

#include "dag.h"
#include "graph.h"
#include "util.h"

struct hv_tui;

/* What a row is to the bisection; the pane picks glyphs and colours. */
enum gstatus {
	GS_PLAIN,		/* history, no range */
	GS_CANDIDATE,
	GS_CURRENT,
	GS_GOOD,
	GS_BAD,
	GS_SKIP,
	GS_FOUND,
	GS_OLD,			/* settled good: an ancestor of a good */
	GS_NEW,			/* settled bad: a descendant of the bad */
	GS_OUTSIDE,
	GS_UNTOUCHED,		/* does not touch the pathspec */
};

struct grange {
	struct hv_dag *dag;	/* the range (or the history); its top while
				 * loading; NULL before the first load */
	uint32_t nrows;		/* rows of dag shown, then the extra rows */
	uint32_t ndag;		/* rows from dag: dag->n, or the preview's */
	struct hv_oid *extra;	/* rows below the range: its good ends */
	size_t nextra, aextra;
	uint8_t *status;	/* enum gstatus per dag node */
	unsigned gen;		/* counts changes of dag: rows to lay again */
	int history;		/* no range: the history of a commit */
	struct strbuf name;	/* "v3.14..v3.15", for titles */
	struct strbuf crumbs;	/* "v3.14..v3.15 > merge b7d3622": the
				 * outermost range, then each merge */

	/* what the rows were read for, to see it change */
	struct hv_oid top;
	struct hv_oid *bottoms;
	size_t nbottoms;
	int first_parent;
	char *paths;
	int loaded;

	struct hv_graph_walk *walk;	/* loading: the rest of the range */
	size_t chunk;		/* commits read per piece */
};

/* A fresh range that reads chunk commits per piece (0: the default). */
void grange_init(struct grange *r, size_t chunk);
void grange_release(struct grange *r);

/*
 * Brings r up to date with the session: starts reading the range again
 * when it moved (the first piece read at once), and marks every row.
 * Returns 1 when the rows changed (caches of rows are stale), 0 when only
 * the marks may have, -1 with err set.
 */
int grange_update(struct grange *r, struct hv_tui *t, struct hv_error *err);

/* Is part of the range still to be read? */
int grange_loading(const struct grange *r);
/* How many commits of the range are known so far. */
size_t grange_read(const struct grange *r);
/*
 * Reads the next piece. Returns 1 when the range is now whole (the
 * session's cache holds it; the rows are marked by the grange_update the
 * caller owes then), 0 when there is more to read (a preview that grew is
 * marked already), -1 with err set (loading stops).
 */
int grange_load_more(struct grange *r, struct hv_tui *t,
		     struct hv_error *err);

const struct hv_oid *grange_oid(const struct grange *r, uint32_t row);
/* The row of a commit, or -1 when it is not shown. */
int64_t grange_row(const struct grange *r, const struct hv_oid *oid);
/* The status of a row. */
enum gstatus grange_status(const struct grange *r, uint32_t row);

#endif
