/*
 * view.c: text rendering of the candidate graph (view.h). The lane
 * assignment follows git log --graph in its simple form: a commit takes
 * the column that expects it, its first parent inherits the column, other
 * parents open new ones, columns expecting the same commit fold together.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "view.h"

void
hv_view_lanes(const struct hv_dag *dag,
	      void (*fn)(uint32_t node, const char *lanes, void *data),
	      void *data)
{
	int64_t *cols = NULL;	/* node each column waits for, -1 free */
	size_t ncols = 0, acols = 0, k;
	struct strbuf row = STRBUF_INIT;
	int64_t i;

	for (i = (int64_t)dag->n - 1; i >= 0; i--) {
		uint32_t np = hv_dag_nparents(dag, (uint32_t)i), p;
		const uint32_t *par = hv_dag_parents(dag, (uint32_t)i);
		size_t mine = ncols;

		for (k = 0; k < ncols; k++)
			if (cols[k] == i) {
				mine = k;
				break;
			}
		if (mine == ncols) {
			for (k = 0; k < ncols; k++)
				if (cols[k] < 0)
					break;
			mine = k;
			if (mine == ncols) {
				HV_GROW(cols, ncols + 1, acols);
				ncols++;
			}
		}
		sb_reset(&row);
		for (k = 0; k < ncols; k++) {
			if (k == mine)
				sb_adds(&row, "* ");
			else if (cols[k] == i)
				sb_adds(&row, "/ ");	/* folds into this commit */
			else if (cols[k] >= 0)
				sb_adds(&row, "| ");
			else
				sb_adds(&row, "  ");
		}
		for (k = 0; k < ncols; k++)
			if (cols[k] == i)
				cols[k] = -1;
		cols[mine] = np ? (int64_t)par[0] : -1;
		for (p = 1; p < np; p++) {
			size_t j;

			for (j = 0; j < ncols; j++)
				if (cols[j] == (int64_t)par[p])
					break;
			if (j < ncols)
				continue;
			for (j = 0; j < ncols; j++)
				if (cols[j] < 0)
					break;
			if (j == ncols) {
				HV_GROW(cols, ncols + 1, acols);
				ncols++;
			}
			cols[j] = par[p];
			sb_adds(&row, "\\");
		}
		while (ncols && cols[ncols - 1] < 0)
			ncols--;
		sb_rtrim(&row);
		fn((uint32_t)i, row.buf ? row.buf : "", data);
	}
	sb_release(&row);
	free(cols);
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
