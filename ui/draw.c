/*
 * draw.c: themes resolved to curses, and text drawn with its control
 * characters made visible (draw.h). The only file that turns theme
 * colours into colour pairs.
 */
#include "config.h"

#include <langinfo.h>
#include <stdio.h>
#include <string.h>

#include <curses.h>

#include "draw.h"

/* xterm's first 16 colours, to fold the 256-colour palette down. */
static const unsigned char base16[16][3] = {
	{ 0, 0, 0 }, { 205, 0, 0 }, { 0, 205, 0 }, { 205, 205, 0 },
	{ 0, 0, 238 }, { 205, 0, 205 }, { 0, 205, 205 }, { 229, 229, 229 },
	{ 127, 127, 127 }, { 255, 0, 0 }, { 0, 255, 0 }, { 255, 255, 0 },
	{ 92, 92, 255 }, { 255, 0, 255 }, { 0, 255, 255 }, { 255, 255, 255 },
};

static void
palette_rgb(int c, int rgb[3])
{
	static const int level[6] = { 0, 95, 135, 175, 215, 255 };

	if (c < 16) {
		rgb[0] = base16[c][0];
		rgb[1] = base16[c][1];
		rgb[2] = base16[c][2];
	} else if (c < 232) {
		c -= 16;
		rgb[0] = level[c / 36];
		rgb[1] = level[(c / 6) % 6];
		rgb[2] = level[c % 6];
	} else {
		rgb[0] = rgb[1] = rgb[2] = 8 + 10 * (c - 232);
	}
}

static int
nearest16(int c)
{
	int rgb[3], best = 0, i;
	long bestd = -1;

	palette_rgb(c, rgb);
	for (i = 0; i < 16; i++) {
		long dr = rgb[0] - base16[i][0], dg = rgb[1] - base16[i][1],
		     db = rgb[2] - base16[i][2], dist = dr * dr + dg * dg + db * db;

		if (bestd < 0 || dist < bestd) {
			bestd = dist;
			best = i;
		}
	}
	return best;
}

/* A palette colour the terminal can show; bright ones on 8 colours turn
 * into their base hue and (for text) bold. */
static int
fold_color(const struct hv_draw *d, int c, int *bold)
{
	if (c < 0)
		return -1;
	if (c < d->colors)
		return c;
	if (c >= 16)
		c = nearest16(c);
	if (c < d->colors)
		return c;
	if (c >= 8) {
		if (bold)
			*bold = 1;
		c -= 8;
	}
	return c < d->colors ? c : -1;
}

static attr_t
curses_attrs(unsigned attrs)
{
	attr_t a = A_NORMAL;

	if (attrs & HV_ATTR_BOLD)
		a |= A_BOLD;
	if (attrs & HV_ATTR_DIM)
		a |= A_DIM;
	if (attrs & HV_ATTR_UNDERLINE)
		a |= A_UNDERLINE;
	if (attrs & HV_ATTR_REVERSE)
		a |= A_REVERSE;
	if (attrs & HV_ATTR_BLINK)
		a |= A_BLINK;
	if (attrs & HV_ATTR_ITALIC)
		a |= A_ITALIC;
	if (attrs & HV_ATTR_STANDOUT)
		a |= A_STANDOUT;
	return a;
}

struct hv_cstyle
hv_draw_color(const struct hv_draw *d, int fg, int bg, unsigned attrs)
{
	struct hv_cstyle st = { 0, 0 };
	int bold = 0, pair;

	if (!d->mono && (fg >= 0 || bg >= 0)) {
		fg = fold_color(d, fg, &bold);
		bg = fold_color(d, bg, NULL);
		if (fg >= 0 || bg >= 0) {
			pair = alloc_pair(fg, bg);
			if (pair > 0)
				st.pair = pair;
		}
	}
	st.attr = curses_attrs(attrs);
	if (bold)
		st.attr |= A_BOLD;
	return st;
}

struct hv_cstyle
hv_draw_style(const struct hv_draw *d, const struct hv_theme_style *s)
{
	return hv_draw_color(d, s->fg, s->bg, s->attrs);
}

const struct hv_theme_style *
hv_draw_rule_style(const struct hv_draw *d, const struct hv_theme_rule *r)
{
	if (d->mono && !r->mono)
		return NULL;
	if (!d->mono && r->mono) {
		size_t i;

		/* a mono rule counts in colour only when no colour rule has
		 * the same element and regex */
		for (i = 0; i < d->theme->nrules; i++) {
			const struct hv_theme_rule *o = &d->theme->rules[i];

			if (!o->mono && o->elem == r->elem &&
			    !strcmp(o->pattern, r->pattern))
				return NULL;
		}
	}
	return &r->style;
}

/* The style of an element: its own rule, else its parent's ("a.b" falls
 * back to "a"), else normal's. */
static const struct hv_theme_style *
elem_style(const struct hv_theme *t, int mono, int e)
{
	static const struct hv_theme_style plain = { -1, -1, 0, 0 };

	for (;;) {
		const char *name = hv_theme_elem_name(e), *dot;
		char parent[64];

		if (!mono && t->color[e].set)
			return &t->color[e];
		if (t->mono[e].set)
			return &t->mono[e];
		if (e == HV_ELEM_NORMAL)
			return &plain;
		dot = strrchr(name, '.');
		if (!dot || (size_t)(dot - name) >= sizeof(parent)) {
			e = HV_ELEM_NORMAL;
			continue;
		}
		memcpy(parent, name, (size_t)(dot - name));
		parent[dot - name] = '\0';
		e = hv_theme_elem_find(parent);
		if (e < 0)
			e = HV_ELEM_NORMAL;
	}
}

void
hv_draw_init(struct hv_draw *d, const struct hv_theme *theme, int no_color)
{
	const char *cs = nl_langinfo(CODESET);
	int e;

	d->theme = theme;
	d->utf8 = cs && (!strcmp(cs, "UTF-8") || !strcmp(cs, "utf8"));
	d->mono = no_color || !has_colors();
	d->colors = 0;
	if (!d->mono) {
		start_color();
		use_default_colors();
		d->colors = COLORS;
		if (d->colors < 8)
			d->mono = 1;
	}
	for (e = 0; e < HV_ELEM_COUNT; e++)
		d->elem[e] = hv_draw_style(d, elem_style(theme, d->mono, e));
}

static void
put_cell(int y, int x, const wchar_t *w, struct hv_cstyle st)
{
	cchar_t cc;
	int pair = st.pair;

	setcchar(&cc, w, (attr_t)st.attr, (short)(pair < 32767 ? pair : 0),
		 &pair);
	mvadd_wch(y, x, &cc);
}

void
hv_draw_glyph(int y, int x, wchar_t wc, struct hv_cstyle st)
{
	wchar_t w[2] = { wc, 0 };

	put_cell(y, x, w, st);
}

void
hv_draw_fill(int y, int x, int w, struct hv_cstyle st)
{
	int i;

	for (i = 0; i < w; i++)
		hv_draw_glyph(y, x + i, L' ', st);
}

size_t
hv_draw_next_char(const struct hv_draw *d, const char *s, size_t len,
		  wchar_t *wc)
{
	mbstate_t ps;
	size_t n;

	(void)d;
	memset(&ps, 0, sizeof(ps));
	n = mbrtowc(wc, s, len, &ps);
	if (n == (size_t)-1 || n == (size_t)-2) {
		*wc = (wchar_t)-1;
		return 1;
	}
	if (n == 0)
		return 1;	/* a NUL byte: *wc is 0 */
	return n;
}

int
hv_draw_visible(wchar_t wc, int width, unsigned char byte, char *buf)
{
	if (wc == (wchar_t)-1)
		return snprintf(buf, 12, "<%02x>", byte);
	if (wc < 0x20)
		return snprintf(buf, 12, "^%c", (char)(wc + '@'));
	if (wc == 0x7f)
		return snprintf(buf, 12, "^?");
	if (wc >= 0x80 && wc < 0xa0)
		return snprintf(buf, 12, "<%02x>", (unsigned)wc);
	if (width < 0)
		return snprintf(buf, 12, "<U+%04X>", (unsigned)wc);
	return 0;
}

/* Walks the text as drawing would; with draw set, draws it. */
static int
walk_text(const struct hv_draw *d, int y, int x, int maxw, const char *s,
	  size_t len, struct hv_cstyle st, int draw)
{
	int col = 0;
	size_t i = 0;

	while (i < len && col < maxw) {
		wchar_t wc, w[2] = { 0, 0 };
		size_t n = hv_draw_next_char(d, s + i, len - i, &wc);
		int width = wc == (wchar_t)-1 ? -1 : wcwidth(wc);
		char vis[12];
		int nv = hv_draw_visible(wc, width, (unsigned char)s[i], vis);

		i += n;
		if (nv > 0) {
			int k;

			for (k = 0; k < nv && col < maxw; k++, col++)
				if (draw)
					hv_draw_glyph(y, x + col, (wchar_t)vis[k],
						      d->elem[HV_ELEM_CONTROL]);
			continue;
		}
		if (width == 0)
			continue;	/* combining marks: dropped, not misplaced */
		if (col + width > maxw)
			break;
		if (draw) {
			w[0] = wc;
			put_cell(y, x + col, w, st);
		}
		col += width;
	}
	return col;
}

int
hv_draw_text(const struct hv_draw *d, int y, int x, int maxw, const char *s,
	     size_t len, struct hv_cstyle st)
{
	if (maxw <= 0)
		return 0;
	return walk_text(d, y, x, maxw, s, len, st, 1);
}

int
hv_draw_width(const struct hv_draw *d, const char *s, size_t len)
{
	return walk_text(d, 0, 0, 1 << 30, s, len, (struct hv_cstyle){ 0, 0 }, 0);
}
