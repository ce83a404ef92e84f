/*
 * view.h: the remaining candidates drawn as a text graph, one commit a
 * line with its lanes, mark and subject (`halve view`). Builds text; the
 * caller prints it.
 */
#ifndef HALVE_VIEW_H
#define HALVE_VIEW_H

#include "dag.h"
#include "session.h"

/*
 * Lanes: for row r (node dag->n - 1 - r, newest first), the lanes of
 * lanes.h (the workstation's) in ASCII, the commit as '*'. Calls fn once
 * per row with the lane text ('*', '|', '-', '.', '\'', '`', '+').
 */
void hv_view_lanes(const struct hv_dag *dag,
		   void (*fn)(uint32_t node, const char *lanes, void *data),
		   void *data);

/*
 * Appends text with every control made visible, as the workstation draws
 * it: C0 as ^X, DEL as ^?, C1 controls (which a terminal would obey as
 * escapes) and bytes that are no UTF-8 as <xx>. For any face printing a
 * subject to a terminal.
 */
void hv_view_add_visible(struct strbuf *sb, const char *text);

/* The whole `halve view` text into sb. */
void hv_view_text(struct hv_session *s, const struct hv_dag *dag,
		  const struct hv_step *step, struct strbuf *sb);

#endif
