/*
 * draw.h: putting text on the curses screen safely: the theme resolved to
 * curses attributes and colour pairs, UTF-8 text clipped to a width, and
 * every control character made visible (^[, <9b>) so that nothing read
 * from a repository or a guest reaches the real terminal as an escape.
 *
 * All drawing of the workstation goes through here. It never refreshes
 * the screen (the loop does, once per turn).
 */
#ifndef HALVE_UI_DRAW_H
#define HALVE_UI_DRAW_H

#include <stddef.h>
#include <stdint.h>
#include <wchar.h>

#include "theme.h"

/* A resolved style: curses attributes and an (extended) colour pair. */
struct hv_cstyle {
	unsigned long attr;	/* attr_t */
	int pair;
};

struct hv_draw {
	const struct hv_theme *theme;
	int mono;		/* NO_COLOR, or a terminal without colours */
	int utf8;		/* the locale's charset is UTF-8 */
	int colors;		/* COLORS at init */
	struct hv_cstyle elem[HV_ELEM_COUNT];
};

/*
 * Resolves the theme for the running terminal. Call after initscr; with
 * no_color set (NO_COLOR in the environment), only mono rules count.
 */
void hv_draw_init(struct hv_draw *d, const struct hv_theme *theme,
		  int no_color);

static inline struct hv_cstyle
hv_draw_elem(const struct hv_draw *d, int elem)
{
	return d->elem[elem];
}

/*
 * A style from terminal colours (palette index 0..255, or -1 default) and
 * theme attributes, as the embedded terminals need; folded to what the
 * terminal has. Colour pairs are allocated on demand and reused.
 */
struct hv_cstyle hv_draw_color(const struct hv_draw *d, int fg, int bg,
			       unsigned attrs);

/* A theme style (element or regex rule) resolved the same way. */
struct hv_cstyle hv_draw_style(const struct hv_draw *d,
			       const struct hv_theme_style *st);

/* The regex rule style resolved (mono or colour), or NULL: not for us. */
const struct hv_theme_style *hv_draw_rule_style(const struct hv_draw *d,
						const struct hv_theme_rule *r);

/* Spaces from (y, x), w columns. */
void hv_draw_fill(int y, int x, int w, struct hv_cstyle st);

/*
 * Draws len bytes of UTF-8 at (y, x), at most maxw columns; control
 * characters and bytes that are no character are drawn visibly in the
 * "control" style. Returns the columns used.
 */
int hv_draw_text(const struct hv_draw *d, int y, int x, int maxw,
		 const char *s, size_t len, struct hv_cstyle st);
static inline int
hv_draw_str(const struct hv_draw *d, int y, int x, int maxw, const char *s,
	    struct hv_cstyle st)
{
	size_t n = 0;

	while (s[n])
		n++;
	return hv_draw_text(d, y, x, maxw, s, n, st);
}

/* One character cell (a glyph of width 1). */
void hv_draw_glyph(int y, int x, wchar_t wc, struct hv_cstyle st);

/*
 * The columns the text takes as hv_draw_text() would draw it (control
 * characters count as their visible form).
 */
int hv_draw_width(const struct hv_draw *d, const char *s, size_t len);

/*
 * Decodes the next character of s (len bytes left) into *wc, returning
 * the bytes it takes (at least 1); *wc is (wchar_t)-1 for a byte that is
 * no character in the locale.
 */
size_t hv_draw_next_char(const struct hv_draw *d, const char *s, size_t len,
			 wchar_t *wc);

/*
 * The visible form of a character that must not reach the terminal
 * ("^[", "<9b>"), written into buf (at least 12 bytes); returns 0 when
 * wc is printable as it is.
 */
int hv_draw_visible(wchar_t wc, int width, unsigned char byte, char *buf);

#endif
