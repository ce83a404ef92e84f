/*
 * view.c: text rendering of the candidate graph (view.h), with the
 * workstation's lanes (lanes.h: git log --graph's layout, one line per
 * commit) drawn in ASCII.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "lanes.h"
#include "sessionint.h"
#include "view.h"

void
hv_view_lanes(const struct hv_dag *dag,
	      void (*fn)(uint32_t node, const char *lanes, void *data),
	      void *data)
{
	struct lanes l;
	struct strbuf row = STRBUF_INIT;
	uint8_t *cells = NULL;
	size_t acells = 0, ncells, k, commit;
	uint32_t r;

	lanes_init(&l, dag);
	for (r = 0; r < dag->n; r++) {
		ncells = lanes_row(&l, r, &cells, &acells, &commit);
		sb_reset(&row);
		for (k = 0; k < ncells; k++)
			sb_addc(&row, cells[k] & LANE_COMMIT
					      ? '*' : (char)lanes_glyph(cells[k], 0));
		sb_rtrim(&row);
		fn(dag->n - 1 - r, row.buf ? row.buf : "", data);
	}
	free(cells);
	sb_release(&row);
	lanes_release(&l);
}

struct text {
	struct hv_session *s;
	const struct hv_dag *dag;
	const struct hv_step *step;
	struct strbuf *sb;
};

/* Subjects are drawn with control characters made visible. */
static void
add_visible(struct strbuf *sb, const char *s)
{
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch < 0x20 || ch == 0x7f)
			sb_addf(sb, "^%c", ch == 0x7f ? '?' : ch + '@');
		else
			sb_addc(sb, (char)ch);
	}
}

static void
text_row(uint32_t node, const char *lanes, void *data)
{
	struct text *t = data;
	const struct hv_dag *dag = t->dag;
	const char *mark = "";
	char hex[41], *subject;

	hv_oid_fmt(hex, &dag->oid[node]);
	if (node == dag->n - 1)
		mark = t->s->st.term_bad;
	else if (dag->flags[node] & HV_NODE_SKIP)
		mark = "skip";
	else if ((t->step->outcome == HV_STEP_TEST ||
		  t->step->outcome == HV_STEP_MERGE_BASE) &&
		 !hv_oid_cmp(&t->step->current, &dag->oid[node]))
		mark = "current";
	else if (dag->flags[node] & HV_NODE_TREESAME)
		mark = "untouched";
	subject = hv_repo_subject(t->s->repo, &dag->oid[node]);
	sb_addf(t->sb, "%-8s %.12s", lanes, hex);
	if (*mark)
		sb_addf(t->sb, " [%s]", mark);
	sb_addc(t->sb, ' ');
	add_visible(t->sb, subject);
	sb_addc(t->sb, '\n');
	free(subject);
}

void
hv_view_text(struct hv_session *s, const struct hv_dag *dag,
	     const struct hv_step *step, struct strbuf *sb)
{
	struct text t = { s, dag, step, sb };
	size_t k;

	hv_view_lanes(dag, text_row, &t);
	for (k = 0; k < s->st.ngoods; k++) {
		char hex[41], *subject = hv_repo_subject(s->repo, &s->st.goods[k]);

		hv_oid_fmt(hex, &s->st.goods[k]);
		sb_addf(sb, "%-8s %.12s [%s] ", "~", hex, s->st.term_good);
		add_visible(sb, subject);
		sb_addc(sb, '\n');
		free(subject);
	}
	sb_addf(sb, "%u candidates, roughly %d step%s left\n", step->all,
		step->steps, step->steps == 1 ? "" : "s");
}
