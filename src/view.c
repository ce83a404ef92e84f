/*
 * view.c: text rendering of the candidate graph (view.h), with the
 * workstation's lanes (lanes.h: git log --graph's layout, one line per
 * commit) drawn in ASCII.
 */
#include "config.h"

#include <stdint.h>
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

/*
 * A subject is cut to this many bytes: a line of megabytes is no use in a
 * graph, and `halve view` stays quick whatever the history holds.
 */
#define VIEW_SUBJECT_MAX 1024

struct text {
	struct hv_session *s;
	const struct hv_dag *dag;
	const struct hv_step *step;
	struct strbuf *sb;
};

/*
 * The length of the UTF-8 character at s (at most n bytes), 0 when the
 * bytes are not one: a stray byte, an overlong form, a surrogate.
 */
static size_t
utf8_char(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t len = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc0 ? 2 : 0;
	static const uint32_t least[5] = { 0, 0, 0x80, 0x800, 0x10000 };
	size_t i;

	if (!len || len > n || s[0] > 0xf4)
		return 0;
	*cp = s[0] & (0x7f >> len);
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		*cp = *cp << 6 | (s[i] & 0x3f);
	}
	if (*cp < least[len] || *cp > 0x10ffff ||
	    (*cp >= 0xd800 && *cp <= 0xdfff))
		return 0;
	return len;
}

/* Controls and broken bytes as the workstation shows them (view.h). */
void
hv_view_add_visible(struct strbuf *sb, const char *text)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t n = strlen(text), i = 0, len;
	uint32_t cp;

	while (i < n) {
		if (s[i] < 0x20 || s[i] == 0x7f) {
			sb_addf(sb, "^%c", s[i] == 0x7f ? '?' : s[i] + '@');
			i++;
		} else if (s[i] < 0x80) {
			sb_addc(sb, (char)s[i++]);
		} else if (!(len = utf8_char(s + i, n - i, &cp))) {
			sb_addf(sb, "<%02x>", s[i++]);
		} else if (cp < 0xa0) {
			sb_addf(sb, "<%02x>", (unsigned)cp);
			i += len;
		} else {
			sb_add(sb, s + i, len);
			i += len;
		}
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
	subject = hv_repo_subject_display(t->s->repo, &dag->oid[node],
					  VIEW_SUBJECT_MAX);
	sb_addf(t->sb, "%-8s %.12s", lanes, hex);
	if (*mark)
		sb_addf(t->sb, " [%s]", mark);
	sb_addc(t->sb, ' ');
	hv_view_add_visible(t->sb, subject);
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
		char hex[41], *subject = hv_repo_subject_display(s->repo,
					&s->st.goods[k], VIEW_SUBJECT_MAX);

		hv_oid_fmt(hex, &s->st.goods[k]);
		sb_addf(sb, "%-8s %.12s [%s] ", "~", hex, s->st.term_good);
		hv_view_add_visible(sb, subject);
		sb_addc(sb, '\n');
		free(subject);
	}
	sb_addf(sb, "%u candidates, roughly %d step%s left\n", step->all,
		step->steps, step->steps == 1 ? "" : "s");
}
