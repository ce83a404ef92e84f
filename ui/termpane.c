/*
 * termpane.c: the build log and console panes on libvterm (termpane.h).
 *
 * The VTerm is as large as the pane. Lines libvterm pushes off the top
 * land in a ring of at most `scrollback` lines, stored as compact cells;
 * when the pane grows, libvterm pops them back. The view can scroll back
 * through that ring; while it is scrolled, new output keeps the view where
 * it is (as tmux's copy mode does) instead of dragging it along.
 *
 * Drawing paints the theme's regex rules (log.* here, console.* there) and
 * the search matches over the cells' own colours.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <curses.h>
#include <vterm.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "termpane.h"
#include "tuiint.h"

/* A cell of scrollback: what drawing needs, in 12 bytes. */
struct tcell {
	uint32_t ch;		/* 0: blank */
	int16_t fg, bg;		/* palette index, -1 default */
	uint8_t attrs;		/* enum hv_theme_attr */
	uint8_t width;
};

struct tline {
	struct tcell *cells;
	int n;
};

struct term {
	enum termpane_kind kind;
	VTerm *vt;
	VTermScreen *screen;
	int rows, cols;
	struct tline *sb;	/* ring */
	size_t sb_cap, sb_head, sb_len;	/* oldest at sb_head */
	size_t scroll;		/* lines back from the live end */
	int monitor;
	char *status;
	termpane_output_fn *out_fn;
	void *out_arg;
	termpane_resize_fn *resize_fn;
	void *resize_arg;
	pcre2_code *search;
	pcre2_match_data *md;
	int64_t search_line;	/* the line the last match is on, or -1 */
};

static struct term *
term_of(const struct pane *p)
{
	return p->data;
}

/* Colours and attributes of libvterm cells, as palette indices. */

static int
rgb_to_palette(const VTermColor *c)
{
	int r = c->rgb.red, g = c->rgb.green, b = c->rgb.blue;

	if (r == g && g == b) {
		if (r < 8)
			return 16;
		if (r > 238)
			return 231;
		return 232 + (r - 8) / 10;
	}
#define CUBE(v) ((v) < 48 ? 0 : (v) < 115 ? 1 : ((v) - 35) / 40)
	return 16 + 36 * CUBE(r) + 6 * CUBE(g) + CUBE(b);
#undef CUBE
}

static int16_t
color_index(const VTermColor *c, int is_fg)
{
	if (is_fg ? VTERM_COLOR_IS_DEFAULT_FG(c) : VTERM_COLOR_IS_DEFAULT_BG(c))
		return -1;
	if (VTERM_COLOR_IS_INDEXED(c))
		return c->indexed.idx;
	return (int16_t)rgb_to_palette(c);
}

static void
cell_from_vterm(struct tcell *out, const VTermScreenCell *c)
{
	out->ch = c->chars[0] == (uint32_t)-1 ? 0 : c->chars[0];
	out->fg = color_index(&c->fg, 1);
	out->bg = color_index(&c->bg, 0);
	out->attrs = (c->attrs.bold ? HV_ATTR_BOLD : 0) |
		     (c->attrs.underline ? HV_ATTR_UNDERLINE : 0) |
		     (c->attrs.italic ? HV_ATTR_ITALIC : 0) |
		     (c->attrs.blink ? HV_ATTR_BLINK : 0) |
		     (c->attrs.reverse ? HV_ATTR_REVERSE : 0);
	out->width = (uint8_t)(c->width > 0 ? c->width : 1);
}

/* Scrollback ring. */

static struct tline *
sb_line(const struct term *t, size_t i)	/* 0: oldest */
{
	return &t->sb[(t->sb_head + i) % t->sb_cap];
}

static int
cb_pushline(int cols, const VTermScreenCell *cells, void *user)
{
	struct pane *p = user;
	struct term *t = term_of(p);
	struct tline *l;
	int n = cols, i;

	if (!t->sb_cap)
		return 0;
	while (n > 0 && (cells[n - 1].chars[0] == 0 ||
			 cells[n - 1].chars[0] == ' ') &&
	       VTERM_COLOR_IS_DEFAULT_BG(&cells[n - 1].bg) &&
	       !cells[n - 1].attrs.reverse)
		n--;
	if (t->sb_len == t->sb_cap) {
		l = sb_line(t, 0);
		free(l->cells);
		t->sb_head = (t->sb_head + 1) % t->sb_cap;
		t->sb_len--;
	} else if (t->scroll) {
		t->scroll++;	/* keep a scrolled view on the same lines */
	}
	l = sb_line(t, t->sb_len);
	l->n = n;
	l->cells = n ? xcalloc((size_t)n, sizeof(*l->cells)) : NULL;
	for (i = 0; i < n; i++)
		cell_from_vterm(&l->cells[i], &cells[i]);
	t->sb_len++;
	if (t->scroll > t->sb_len)
		t->scroll = t->sb_len;
	return 1;
}

static int
cb_popline(int cols, VTermScreenCell *cells, void *user)
{
	struct pane *p = user;
	struct term *t = term_of(p);
	struct tline *l;
	int i;

	if (!t->sb_len)
		return 0;
	l = sb_line(t, t->sb_len - 1);
	for (i = 0; i < cols; i++) {
		VTermScreenCell *c = &cells[i];

		memset(c, 0, sizeof(*c));
		c->width = 1;
		if (i < l->n) {
			const struct tcell *s = &l->cells[i];

			c->chars[0] = s->ch;
			c->width = (char)s->width;
			c->attrs.bold = !!(s->attrs & HV_ATTR_BOLD);
			c->attrs.underline = !!(s->attrs & HV_ATTR_UNDERLINE);
			c->attrs.italic = !!(s->attrs & HV_ATTR_ITALIC);
			c->attrs.reverse = !!(s->attrs & HV_ATTR_REVERSE);
			if (s->fg >= 0)
				vterm_color_indexed(&c->fg, (uint8_t)s->fg);
			else
				vterm_state_get_default_colors(
					vterm_obtain_state(t->vt), &c->fg, NULL);
			if (s->bg >= 0)
				vterm_color_indexed(&c->bg, (uint8_t)s->bg);
			else
				vterm_state_get_default_colors(
					vterm_obtain_state(t->vt), NULL, &c->bg);
		} else {
			vterm_state_get_default_colors(vterm_obtain_state(t->vt),
						       &c->fg, &c->bg);
		}
	}
	free(l->cells);
	l->cells = NULL;
	l->n = 0;
	t->sb_len--;
	if (t->scroll > t->sb_len)
		t->scroll = t->sb_len;
	return 1;
}

static int
cb_damage(VTermRect rect, void *user)
{
	pane_dirty(user);
	return 1;
}

static int
cb_movecursor(VTermPos pos, VTermPos old, int visible, void *user)
{
	pane_dirty(user);
	return 1;
}

static const VTermScreenCallbacks screen_cbs = {
	.damage = cb_damage,
	.movecursor = cb_movecursor,
	.sb_pushline = cb_pushline,
	.sb_popline = cb_popline,
};

static void
cb_output(const char *s, size_t len, void *user)
{
	struct term *t = term_of(user);

	if (t->out_fn)
		t->out_fn(s, len, t->out_arg);
}

static void
term_make_vterm(struct pane *p)
{
	struct term *t = term_of(p);
	VTermState *state;

	t->vt = vterm_new(t->rows, t->cols);
	vterm_set_utf8(t->vt, 1);
	t->screen = vterm_obtain_screen(t->vt);
	vterm_screen_set_callbacks(t->screen, &screen_cbs, p);
	vterm_screen_set_damage_merge(t->screen, VTERM_DAMAGE_ROW);
	vterm_screen_reset(t->screen, 1);
	state = vterm_obtain_state(t->vt);
	/* a build's bold should stay bold, not turn bright */
	vterm_state_set_bold_highbright(state, 0);
	vterm_output_set_callback(t->vt, cb_output, p);
}

static void
sb_clear(struct term *t)
{
	size_t i;

	for (i = 0; i < t->sb_len; i++)
		free(sb_line(t, i)->cells);
	t->sb_head = t->sb_len = 0;
	t->scroll = 0;
}

void
pane_feed(struct pane *p, const char *data, size_t len)
{
	struct term *t = term_of(p);

	if (!len)
		return;
	vterm_input_write(t->vt, data, len);
	vterm_screen_flush_damage(t->screen);
	pane_dirty(p);
}

void
termpane_clear(struct pane *p)
{
	struct term *t = term_of(p);

	vterm_free(t->vt);
	sb_clear(t);
	t->monitor = 0;
	t->search_line = -1;
	term_make_vterm(p);
	pane_dirty(p);
}

void
termpane_set_output(struct pane *p, termpane_output_fn *fn, void *arg)
{
	struct term *t = term_of(p);

	t->out_fn = fn;
	t->out_arg = arg;
}

void
termpane_set_resize(struct pane *p, termpane_resize_fn *fn, void *arg)
{
	struct term *t = term_of(p);

	t->resize_fn = fn;
	t->resize_arg = arg;
}

void
termpane_size(const struct pane *p, int *rows, int *cols)
{
	*rows = term_of(p)->rows;
	*cols = term_of(p)->cols;
}

void
termpane_set_status(struct pane *p, const char *text)
{
	struct term *t = term_of(p);

	free(t->status);
	t->status = text ? xstrdup(text) : NULL;
	tui_layout_dirty(p->tui);
}

int
termpane_monitor(const struct pane *p)
{
	return term_of(p)->monitor;
}

void
termpane_send(struct pane *p, const char *data, size_t len)
{
	struct term *t = term_of(p);

	if (t->out_fn && len)
		t->out_fn(data, len, t->out_arg);
}

void
termpane_toggle_monitor(struct pane *p)
{
	struct term *t = term_of(p);

	t->monitor = !t->monitor;
	termpane_send(p, "\001c", 2);
	tui_layout_dirty(p->tui);
}

size_t
termpane_nscrollback(const struct pane *p)
{
	return term_of(p)->sb_len;
}

size_t
termpane_nlines(const struct pane *p)
{
	return term_of(p)->sb_len + (size_t)term_of(p)->rows;
}

void
termpane_cursor(const struct pane *p, int *row, int *col)
{
	VTermPos pos;

	vterm_state_get_cursorpos(vterm_obtain_state(term_of(p)->vt), &pos);
	*row = pos.row;
	*col = pos.col;
}

size_t
termpane_scrolled(const struct pane *p)
{
	return term_of(p)->scroll;
}

/*
 * The cells of virtual line i (scrollback then screen) into *cells
 * (grown as needed); returns how many, trailing blanks trimmed.
 */
static int
line_cells(const struct term *t, size_t i, struct tcell **cells, size_t *alloc)
{
	int n, col;

	if (i < t->sb_len) {
		const struct tline *l = sb_line(t, i);

		HV_GROW(*cells, (size_t)l->n + 1, *alloc);
		if (l->n)
			memcpy(*cells, l->cells, (size_t)l->n * sizeof(**cells));
		return l->n;
	}
	HV_GROW(*cells, (size_t)t->cols + 1, *alloc);
	n = 0;
	for (col = 0; col < t->cols; col++) {
		VTermScreenCell c;
		VTermPos pos = { (int)(i - t->sb_len), col };

		vterm_screen_get_cell(t->screen, pos, &c);
		cell_from_vterm(&(*cells)[col], &c);
		if ((*cells)[col].ch && (*cells)[col].ch != ' ')
			n = col + 1;
		else if ((*cells)[col].bg >= 0 || (c.attrs.reverse))
			n = col + 1;
	}
	return n;
}

/* UTF-8 text of cells, with the byte offset where each cell starts. */
static void
cells_text(const struct tcell *cells, int n, struct strbuf *sb, size_t *off)
{
	int i;

	sb_reset(sb);
	for (i = 0; i < n; i++) {
		uint32_t ch = cells[i].ch ? cells[i].ch : ' ';
		char u[4];
		int k = 0;

		if (off)
			off[i] = sb->len;
		if (ch < 0x80) {
			u[k++] = (char)ch;
		} else if (ch < 0x800) {
			u[k++] = (char)(0xc0 | (ch >> 6));
			u[k++] = (char)(0x80 | (ch & 0x3f));
		} else if (ch < 0x10000) {
			u[k++] = (char)(0xe0 | (ch >> 12));
			u[k++] = (char)(0x80 | ((ch >> 6) & 0x3f));
			u[k++] = (char)(0x80 | (ch & 0x3f));
		} else {
			u[k++] = (char)(0xf0 | (ch >> 18));
			u[k++] = (char)(0x80 | ((ch >> 12) & 0x3f));
			u[k++] = (char)(0x80 | ((ch >> 6) & 0x3f));
			u[k++] = (char)(0x80 | (ch & 0x3f));
		}
		sb_add(sb, u, (size_t)k);
		if (cells[i].width == 2)
			i++;	/* the next cell is the wide char's second half */
	}
	if (off)
		off[n] = sb->len;
	if (!sb->buf)
		sb_add(sb, "", 0);
}

char *
termpane_line_text(const struct pane *p, size_t i)
{
	const struct term *t = term_of(p);
	struct tcell *cells = NULL;
	size_t alloc = 0;
	struct strbuf sb = STRBUF_INIT;
	int n;

	if (i >= termpane_nlines(p))
		return xstrdup("");
	n = line_cells(t, i, &cells, &alloc);
	cells_text(cells, n, &sb, NULL);
	free(cells);
	sb_rtrim(&sb);
	return sb_detach(&sb);
}

/* Drawing. */

/* Cell c's style index into over[]: 0 own colours, else 1 + rule/search. */
static void
paint_matches(pcre2_code *re, const struct strbuf *text, const size_t *off,
	      int n, const struct hv_theme_style **over,
	      const struct hv_theme_style *style, int force)
{
	pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
	PCRE2_SIZE start = 0;

	while (start <= text->len) {
		int rc = pcre2_match(re, (PCRE2_SPTR)text->buf, text->len, start,
				     0, md, NULL);
		PCRE2_SIZE *ov;
		int i;

		if (rc < 0)
			break;
		ov = pcre2_get_ovector_pointer(md);
		for (i = 0; i < n; i++)
			if (off[i] >= ov[0] && off[i] < ov[1] &&
			    (force || !over[i]))
				over[i] = style;
		if (ov[1] == ov[0]) {
			if (ov[1] >= text->len)
				break;
			start = ov[1] + 1;
		} else {
			start = ov[1];
		}
	}
	pcre2_match_data_free(md);
}

static const struct hv_theme_style search_marker = { -2, -2, 0, 1 };

static void
draw_line(struct pane *p, int row, const struct tcell *cells, int n,
	  struct strbuf *text, size_t *off, const struct hv_theme_style **over)
{
	struct term *t = term_of(p);
	const struct hv_draw *d = tui_draw(p->tui);
	const char *area = t->kind == TERMPANE_BUILD ? "log" : "console";
	size_t alen = strlen(area), r;
	int col, i;

	for (i = 0; i < n; i++)
		over[i] = NULL;
	cells_text(cells, n, text, off);
	for (r = 0; r < d->theme->nrules; r++) {
		const struct hv_theme_rule *rule = &d->theme->rules[r];
		const char *name = hv_theme_elem_name(rule->elem);
		const struct hv_theme_style *st = hv_draw_rule_style(d, rule);

		if (st && !strncmp(name, area, alen) &&
		    (name[alen] == '.' || !name[alen]))
			paint_matches(rule->code, text, off, n, over, st, 0);
	}
	if (t->search)
		paint_matches(t->search, text, off, n, over, &search_marker, 1);
	for (col = 0, i = 0; i < n && col < p->w; i++) {
		const struct tcell *c = &cells[i];
		struct hv_cstyle st;
		wchar_t w[2] = { (wchar_t)(c->ch ? c->ch : ' '), 0 };

		if (over[i] == &search_marker)
			st = hv_draw_elem(d, HV_ELEM_SEARCH);
		else if (over[i])
			st = hv_draw_style(d, over[i]);
		else if (c->fg < 0 && c->bg < 0 && !c->attrs)
			st = hv_draw_elem(d, t->kind == TERMPANE_BUILD ?
					  HV_ELEM_LOG : HV_ELEM_CONSOLE);
		else
			st = hv_draw_color(d, c->fg, c->bg, c->attrs);
		if (w[0] < 0x20 || (w[0] >= 0x7f && w[0] < 0xa0)) {
			w[0] = L'?';
			st = hv_draw_elem(d, HV_ELEM_CONTROL);
		}
		if (c->width == 2 && col + 2 > p->w)
			break;
		hv_draw_glyph(p->y + row, p->x + col, w[0], st);
		col += c->width == 2 ? 2 : 1;
		if (c->width == 2)
			i++;
	}
}

static void
term_draw(struct pane *p)
{
	struct term *t = term_of(p);
	const struct hv_draw *d = tui_draw(p->tui);
	struct hv_cstyle base = hv_draw_elem(d, t->kind == TERMPANE_BUILD ?
					     HV_ELEM_LOG : HV_ELEM_CONSOLE);
	struct tcell *cells = NULL;
	size_t alloc = 0, total = termpane_nlines(p), top;
	struct strbuf text = STRBUF_INIT;
	size_t *off = NULL;
	const struct hv_theme_style **over = NULL;
	int row;

	off = xcalloc((size_t)t->cols + 2, sizeof(*off));
	over = xcalloc((size_t)t->cols + 2, sizeof(*over));
	top = total >= (size_t)p->h + t->scroll ? total - (size_t)p->h - t->scroll
						: 0;
	for (row = 0; row < p->h; row++) {
		size_t i = top + (size_t)row;
		int n;

		hv_draw_fill(p->y + row, p->x, p->w, base);
		if (i >= total)
			continue;
		n = line_cells(t, i, &cells, &alloc);
		if (n > t->cols)
			n = t->cols;	/* an old wider line: clip */
		if (n > 0)
			draw_line(p, row, cells, n, &text, off, over);
	}
	free(cells);
	free(off);
	free(over);
	sb_release(&text);
}

static void
term_title(struct pane *p, struct strbuf *sb, int *elem)
{
	struct term *t = term_of(p);

	if (t->kind == TERMPANE_CONSOLE) {
		if (t->monitor) {
			sb_adds(sb, " [MONITOR | Ctrl-a c: serial]");
			*elem = HV_ELEM_CONSOLE_MONITOR;
		} else {
			sb_adds(sb, " (serial | Ctrl-a c: monitor)");
		}
	}
	if (t->status) {
		sb_addc(sb, ' ');
		sb_adds(sb, t->status);
	}
	if (t->scroll) {
		sb_addf(sb, " [-%zu]", t->scroll);
		*elem = HV_ELEM_SCROLLED;
	}
}

static void
term_scroll(struct pane *p, int n)
{
	struct term *t = term_of(p);
	int64_t s = (int64_t)t->scroll - n;

	if (s < 0)
		s = 0;
	if ((size_t)s > t->sb_len)
		s = (int64_t)t->sb_len;
	if ((size_t)s != t->scroll) {
		t->scroll = (size_t)s;
		pane_dirty(p);
		tui_layout_dirty(p->tui);	/* the title shows it */
	}
}

void
termpane_move(struct pane *p, enum pane_move m)
{
	struct term *t = term_of(p);
	int page = p->h > 1 ? p->h - 1 : 1;

	switch (m) {
	case MOVE_UP:
		term_scroll(p, -1);
		break;
	case MOVE_DOWN:
		term_scroll(p, 1);
		break;
	case MOVE_PAGE_UP:
		term_scroll(p, -page);
		break;
	case MOVE_PAGE_DOWN:
		term_scroll(p, page);
		break;
	case MOVE_TOP:
		term_scroll(p, -(int)t->sb_len);
		break;
	case MOVE_BOTTOM:
		term_scroll(p, (int)t->sb_len);
		break;
	}
}

static const struct {
	int key;
	VTermKey vkey;
} vkeys[] = {
	{ KEY_UP, VTERM_KEY_UP }, { KEY_DOWN, VTERM_KEY_DOWN },
	{ KEY_LEFT, VTERM_KEY_LEFT }, { KEY_RIGHT, VTERM_KEY_RIGHT },
	{ KEY_HOME, VTERM_KEY_HOME }, { KEY_END, VTERM_KEY_END },
	{ KEY_PPAGE, VTERM_KEY_PAGEUP }, { KEY_NPAGE, VTERM_KEY_PAGEDOWN },
	{ KEY_IC, VTERM_KEY_INS }, { KEY_DC, VTERM_KEY_DEL },
	{ KEY_ENTER, VTERM_KEY_ENTER },
};

static int
term_key(struct pane *p, int key)
{
	struct term *t = term_of(p);
	size_t i;

	if (t->kind == TERMPANE_BUILD)
		return 0;	/* output only: the key table moves it */
	/* the console: everything goes to the guest, as a terminal sends it */
	if (key >= HV_KEY_BASE) {
		int k = key - HV_KEY_BASE;

		if (k == KEY_BACKSPACE) {
			termpane_send(p, "\177", 1);
			return 1;
		}
		if (k == KEY_BTAB) {
			termpane_send(p, "\033[Z", 3);
			return 1;
		}
		if (k >= KEY_F(1) && k <= KEY_F(12)) {
			vterm_keyboard_key(t->vt, VTERM_KEY_FUNCTION(k - KEY_F0),
					   VTERM_MOD_NONE);
			return 1;
		}
		for (i = 0; i < HV_ARRAY_SIZE(vkeys); i++)
			if (vkeys[i].key == k) {
				vterm_keyboard_key(t->vt, vkeys[i].vkey,
						   VTERM_MOD_NONE);
				return 1;
			}
		return 0;
	}
	if (key < 0x20 || key == 0x7f) {
		char c = (char)key;

		termpane_send(p, &c, 1);
		return 1;
	}
	vterm_keyboard_unichar(t->vt, (uint32_t)key, VTERM_MOD_NONE);
	return 1;
}

static void
term_resize(struct pane *p)
{
	struct term *t = term_of(p);
	int rows = p->h > 0 ? p->h : t->rows, cols = p->w > 0 ? p->w : t->cols;

	if (rows == t->rows && cols == t->cols)
		return;
	t->rows = rows;
	t->cols = cols;
	vterm_set_size(t->vt, rows, cols);
	vterm_screen_flush_damage(t->screen);
	if (t->resize_fn)
		t->resize_fn(rows, cols, t->resize_arg);
	pane_dirty(p);
}

static int
term_search(struct pane *p, const char *pattern, int dir, struct hv_error *err)
{
	struct term *t = term_of(p);
	size_t total = termpane_nlines(p), k, top;
	int64_t from;

	if (pattern) {
		pcre2_code *re = ui_regex_compile(pattern, err);

		if (!re)
			return -1;
		pcre2_code_free(t->search);
		t->search = re;
		t->search_line = -1;
		pcre2_match_data_free(t->md);
		t->md = pcre2_match_data_create_from_pattern(re, NULL);
	}
	if (!t->search)
		return hv_error_set(err, "no search yet: type / first");
	top = total >= (size_t)p->h + t->scroll ? total - (size_t)p->h - t->scroll
						: 0;
	from = t->search_line >= 0 ? t->search_line : (int64_t)top - dir;
	pane_dirty(p);
	for (k = 1; k <= total; k++) {
		int64_t i = (from + dir * (int64_t)k) % (int64_t)total;
		char *line;
		int rc;

		if (i < 0)
			i += (int64_t)total;
		line = termpane_line_text(p, (size_t)i);
		rc = pcre2_match(t->search, (PCRE2_SPTR)line, strlen(line), 0,
				 0, t->md, NULL);
		free(line);
		if (rc >= 0) {
			size_t want_top = (size_t)i > (size_t)p->h / 3 ?
					  (size_t)i - (size_t)p->h / 3 : 0;
			size_t max_top = total > (size_t)p->h ?
					 total - (size_t)p->h : 0;

			if (want_top > max_top)
				want_top = max_top;
			t->search_line = i;
			t->scroll = max_top - want_top;
			if (t->scroll > t->sb_len)
				t->scroll = t->sb_len;
			tui_layout_dirty(p->tui);
			return 0;
		}
	}
	return hv_error_set(err, "not found: %s", pattern ? pattern : "");
}

static void
term_free(struct pane *p)
{
	struct term *t = term_of(p);

	sb_clear(t);
	free(t->sb);
	vterm_free(t->vt);
	pcre2_code_free(t->search);
	pcre2_match_data_free(t->md);
	free(t->status);
	free(t);
	free(p);
}

static const struct pane_ops build_ops = {
	.name = "build",
	.draw = term_draw,
	.title = term_title,
	.key = term_key,
	.resize = term_resize,
	.search = term_search,
	.wheel = term_scroll,
	.free = term_free,
};

static const struct pane_ops console_ops = {
	.name = "console",
	.draw = term_draw,
	.title = term_title,
	.key = term_key,
	.resize = term_resize,
	.search = term_search,
	.wheel = term_scroll,
	.free = term_free,
};

struct pane *
termpane_new(struct hv_tui *tui, enum termpane_kind kind, size_t scrollback)
{
	struct pane *p = xcalloc(1, sizeof(*p));
	struct term *t = xcalloc(1, sizeof(*t));

	p->ops = kind == TERMPANE_BUILD ? &build_ops : &console_ops;
	p->tui = tui;
	p->data = t;
	t->kind = kind;
	t->rows = 24;
	t->cols = 80;
	t->sb_cap = scrollback;
	t->sb = scrollback ? xcalloc(scrollback, sizeof(*t->sb)) : NULL;
	t->search_line = -1;
	term_make_vterm(p);
	return p;
}
