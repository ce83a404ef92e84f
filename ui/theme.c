/*
 * theme.c: reading theme files (theme.h). Pure: no curses here, so the
 * parser is tested on its own; mapping styles to the terminal is
 * draw.c's job.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "theme.h"
#include "ui/themes.h"		/* generated: builtin_themes[] */

#ifndef HV_THEMEDIR
#define HV_THEMEDIR "/usr/local/share/halve/themes"
#endif

static const char *const elem_names[] = {
#define X(id, name, doc) name,
	HV_THEME_ELEMENTS(X)
#undef X
};

static const char *const elem_docs[] = {
#define X(id, name, doc) doc,
	HV_THEME_ELEMENTS(X)
#undef X
};

const char *
hv_theme_elem_name(enum hv_elem e)
{
	return (unsigned)e < HV_ELEM_COUNT ? elem_names[e] : NULL;
}

const char *
hv_theme_elem_doc(enum hv_elem e)
{
	return (unsigned)e < HV_ELEM_COUNT ? elem_docs[e] : NULL;
}

int
hv_theme_elem_find(const char *name)
{
	int i;

	for (i = 0; i < HV_ELEM_COUNT; i++)
		if (!strcmp(elem_names[i], name))
			return i;
	return -1;
}

struct hv_theme *
hv_theme_new(const char *name)
{
	struct hv_theme *t = xcalloc(1, sizeof(*t));
	int i;

	t->name = xstrdup(name ? name : "");
	for (i = 0; i < HV_ELEM_COUNT; i++) {
		t->color[i].fg = t->color[i].bg = HV_COLOR_DEFAULT;
		t->mono[i].fg = t->mono[i].bg = HV_COLOR_DEFAULT;
	}
	return t;
}

void
hv_theme_free(struct hv_theme *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->nrules; i++) {
		free(t->rules[i].pattern);
		pcre2_code_free(t->rules[i].code);
	}
	free(t->rules);
	free(t->name);
	free(t);
}

static const char *const color_names[] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
};

int
hv_theme_parse_color(const char *s, short *color)
{
	const char *num = s;
	char *end;
	long n;
	int i;

	if (!strcmp(s, "default") || !strcmp(s, "-1")) {
		*color = HV_COLOR_DEFAULT;
		return 0;
	}
	for (i = 0; i < 8; i++) {
		if (!strcmp(s, color_names[i])) {
			*color = (short)i;
			return 0;
		}
		if (!strncmp(s, "bright", 6) && !strcmp(s + 6, color_names[i])) {
			*color = (short)(i + 8);
			return 0;
		}
	}
	if (!strncmp(s, "color", 5))
		num = s + 5;
	if (!isdigit((unsigned char)*num))
		return -1;
	errno = 0;
	n = strtol(num, &end, 10);
	if (errno || *end || n < 0 || n > 255)
		return -1;
	*color = (short)n;
	return 0;
}

static const struct {
	const char *name;
	unsigned attr;
} attr_names[] = {
	{ "bold", HV_ATTR_BOLD },
	{ "dim", HV_ATTR_DIM },
	{ "underline", HV_ATTR_UNDERLINE },
	{ "reverse", HV_ATTR_REVERSE },
	{ "blink", HV_ATTR_BLINK },
	{ "italic", HV_ATTR_ITALIC },
	{ "standout", HV_ATTR_STANDOUT },
	{ "normal", 0 },
};

static int
parse_attr(const char *s, unsigned *attr)
{
	size_t i;

	for (i = 0; i < HV_ARRAY_SIZE(attr_names); i++)
		if (!strcmp(s, attr_names[i].name)) {
			*attr |= attr_names[i].attr;
			return 0;
		}
	return -1;
}

/*
 * Splits a line into words; a word in double quotes keeps its spaces and
 * takes \" and \\ as escapes (other backslashes are left for pcre2).
 * quoted[i] says which words were quoted. A '#' outside quotes ends the
 * line. Returns the number of words, or -1 for an unclosed quote.
 */
static int
split_words(char *line, char **words, int *quoted, int max)
{
	int n = 0;
	char *p = line;

	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || *p == '#' || *p == '\r')
			return n;
		if (n == max)
			return n + 1;	/* too many: the caller reports */
		if (*p == '"') {
			char *out = ++p;

			words[n] = out;
			quoted[n] = 1;
			for (;;) {
				if (!*p)
					return -1;
				if (*p == '\\' && (p[1] == '"' || p[1] == '\\')) {
					*out++ = p[1];
					p += 2;
					continue;
				}
				if (*p == '"')
					break;
				*out++ = *p++;
			}
			*out = '\0';
			p++;
			n++;
			continue;
		}
		words[n] = p;
		quoted[n] = 0;
		while (*p && *p != ' ' && *p != '\t' && *p != '\r')
			p++;
		if (*p)
			*p++ = '\0';
		n++;
	}
}

#define MAX_WORDS 16

static int
parse_line(struct hv_theme *t, const char *file, int lineno, char *line,
	   struct hv_error *err)
{
	char *w[MAX_WORDS];
	int quoted[MAX_WORDS], n, i, elem, mono, first_attr;
	struct hv_theme_style style = { HV_COLOR_DEFAULT, HV_COLOR_DEFAULT, 0, 1 };
	const char *pattern = NULL;

	n = split_words(line, w, quoted, MAX_WORDS);
	if (n < 0)
		return hv_error_set(err, "%s:%d: unclosed quote", file, lineno);
	if (n == 0)
		return 0;
	if (n > MAX_WORDS)
		return hv_error_set(err, "%s:%d: too many words", file, lineno);
	if (!strcmp(w[0], "color"))
		mono = 0;
	else if (!strcmp(w[0], "mono"))
		mono = 1;
	else
		return hv_error_set(err, "%s:%d: unknown command '%s' (color or "
				    "mono)", file, lineno, w[0]);
	if (n < 2)
		return hv_error_set(err, "%s:%d: %s needs an element", file,
				    lineno, w[0]);
	elem = hv_theme_elem_find(w[1]);
	if (elem < 0)
		return hv_error_set(err, "%s:%d: unknown element '%s' (see "
				    "halve-themes(5))", file, lineno, w[1]);
	if (n > 2 && quoted[n - 1]) {
		pattern = w[n - 1];
		n--;
	}
	if (!mono) {
		if (n < 4)
			return hv_error_set(err, "%s:%d: color %s needs a "
					    "foreground and a background",
					    file, lineno, w[1]);
		if (hv_theme_parse_color(w[2], &style.fg) < 0)
			return hv_error_set(err, "%s:%d: unknown colour '%s'",
					    file, lineno, w[2]);
		if (hv_theme_parse_color(w[3], &style.bg) < 0)
			return hv_error_set(err, "%s:%d: unknown colour '%s'",
					    file, lineno, w[3]);
		first_attr = 4;
	} else {
		first_attr = 2;
	}
	for (i = first_attr; i < n; i++) {
		if (quoted[i])
			return hv_error_set(err, "%s:%d: only the last word may "
					    "be a quoted regex", file, lineno);
		if (parse_attr(w[i], &style.attrs) < 0)
			return hv_error_set(err, "%s:%d: unknown attribute '%s'",
					    file, lineno, w[i]);
	}
	if (pattern) {
		struct hv_theme_rule *r;
		int code;
		PCRE2_SIZE off;
		pcre2_code *re;

		if (!*pattern)
			return hv_error_set(err, "%s:%d: empty regex", file,
					    lineno);
		re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
				   PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &code,
				   &off, NULL);
		if (!re) {
			PCRE2_UCHAR msg[256];

			pcre2_get_error_message(code, msg, sizeof(msg));
			return hv_error_set(err, "%s:%d: regex \"%s\": %s at "
					    "offset %zu", file, lineno, pattern,
					    (char *)msg, (size_t)off);
		}
		pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);	/* optional */
		HV_GROW(t->rules, t->nrules + 1, t->alloc_rules);
		r = &t->rules[t->nrules++];
		r->elem = (enum hv_elem)elem;
		r->mono = mono;
		r->style = style;
		r->pattern = xstrdup(pattern);
		r->code = re;
		return 0;
	}
	if (mono)
		t->mono[elem] = style;
	else
		t->color[elem] = style;
	return 0;
}

int
hv_theme_parse(struct hv_theme *t, const char *file, const char *text,
	       struct hv_error *err)
{
	struct strbuf line = STRBUF_INIT;
	const char *p = text, *nl;
	int lineno = 0, rc = 0;

	while (*p && rc == 0) {
		nl = strchr(p, '\n');
		if (!nl)
			nl = p + strlen(p);
		lineno++;
		sb_reset(&line);
		sb_add(&line, p, (size_t)(nl - p));
		if (line.buf)
			rc = parse_line(t, file, lineno, line.buf, err);
		p = *nl ? nl + 1 : nl;
	}
	sb_release(&line);
	return rc;
}

const char *
hv_theme_builtin(const char *name)
{
	size_t i;

	for (i = 0; i < HV_ARRAY_SIZE(builtin_themes); i++)
		if (!strcmp(builtin_themes[i].name, name))
			return builtin_themes[i].text;
	return NULL;
}

const char *const *
hv_theme_builtin_names(void)
{
	static const char *names[HV_ARRAY_SIZE(builtin_themes) + 1];
	size_t i;

	for (i = 0; i < HV_ARRAY_SIZE(builtin_themes); i++)
		names[i] = builtin_themes[i].name;
	names[i] = NULL;
	return names;
}

static struct hv_theme *
load_file(const char *name, const char *path, struct hv_error *err)
{
	struct strbuf sb = STRBUF_INIT;
	struct hv_theme *t;

	if (hv_read_file(path, &sb) < 0) {
		hv_error_set(err, "%s: %s", path, strerror(errno));
		return NULL;
	}
	t = hv_theme_new(name);
	if (hv_theme_parse(t, path, sb.buf ? sb.buf : "", err) < 0) {
		hv_theme_free(t);
		t = NULL;
	}
	sb_release(&sb);
	return t;
}

static char *
user_theme_path(const char *name)
{
	char *rel = xasprintf("themes/%s.theme", name);
	char *path = hv_user_config_path(rel);

	free(rel);
	return path;
}

struct hv_theme *
hv_theme_load(const char *name, struct hv_error *err)
{
	struct hv_theme *t;
	const char *text;
	char *path;

	if (!name || !*name)
		name = "default";
	if (strchr(name, '/'))
		return load_file(name, name, err);
	path = user_theme_path(name);
	if (path && hv_file_exists(path)) {
		t = load_file(name, path, err);
		free(path);
		return t;
	}
	free(path);
	text = hv_theme_builtin(name);
	if (text) {
		char *file = xasprintf("%s.theme", name);

		t = hv_theme_new(name);
		if (hv_theme_parse(t, file, text, err) < 0) {
			hv_theme_free(t);
			t = NULL;
		}
		free(file);
		return t;
	}
	path = xasprintf("%s/%s.theme", HV_THEMEDIR, name);
	if (hv_file_exists(path)) {
		t = load_file(name, path, err);
		free(path);
		return t;
	}
	free(path);
	hv_error_set(err, "theme %s: not found (built in: default, mono, ...; "
		     "yours go in $XDG_CONFIG_HOME/halve/themes/%s.theme)",
		     name, name);
	return NULL;
}
