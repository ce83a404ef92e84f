/*
 * fuzz-theme.c: the theme parser (ui/theme.c) on any text, after a
 * shipped theme as a user's theme file would be read on top of it. Every
 * failure must name the file and line; every style kept must be in range.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "theme.h"

static void
check_style(const struct hv_theme_style *s)
{
	if (s->fg < HV_COLOR_DEFAULT || s->fg > 255 ||
	    s->bg < HV_COLOR_DEFAULT || s->bg > 255)
		abort();
}

int
FUZZ_TARGET(theme)(const uint8_t *data, size_t size)
{
	struct hv_error err = HV_ERROR_INIT;
	struct hv_theme *t = hv_theme_new("fuzz");
	char *text = xstrndup((const char *)data, size);
	size_t i;

	if (hv_theme_parse(t, "base", hv_theme_builtin("default"), &err) < 0)
		abort();	/* the shipped theme always parses */
	if (hv_theme_parse(t, "fuzz.theme", text, &err) < 0 &&
	    (!err.msg || strncmp(err.msg, "fuzz.theme:", 11) != 0))
		abort();
	for (i = 0; i < HV_ELEM_COUNT; i++) {
		check_style(&t->color[i]);
		check_style(&t->mono[i]);
	}
	for (i = 0; i < t->nrules; i++)
		if ((int)t->rules[i].elem < 0 || t->rules[i].elem >= HV_ELEM_COUNT)
			abort();
	hv_error_clear(&err);
	hv_theme_free(t);
	free(text);
	return 0;
}
