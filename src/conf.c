/*
 * conf.c: parse the pipeline config into struct hv_config, and split a
 * command into argv like /bin/sh would for plain words.
 *
 * The parser is line driven with one "pending" entry: a key's value grows
 * with its continuation lines and is checked and stored only once the next
 * key, section or the end of the file shows it complete, so every error
 * names the line where the key was written. Nothing here compiles a regex
 * or runs a command.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"

enum key_type {
	T_SHELL, T_DURATION, T_ACTION, T_BOOL, T_RULE, T_PROBABILITY, T_COUNT,
	T_RUNS, T_STEPS, T_PATH,
};

static const struct key_def {
	const char *section;
	const char *key;
	enum key_type type;
} key_defs[HV_CONFIG_NKEYS] = {
#define KEY_DEF(id, section, key, type) [HV_KEY_##id] = { section, key, T_##type },
	HV_CONFIG_KEYS(KEY_DEF)
#undef KEY_DEF
};

static const char *const section_names[] = {
	"build", "boot", "test", "verdict", "verify", "bisect",
};

double
hv_config_tolerance(const struct hv_config *cfg)
{
	if (cfg->line[HV_KEY_BISECT_TOLERANCE])
		return cfg->bisect.tolerance;
	return cfg->build.command ? HV_TOLERANCE_DEFAULT : 0.0;
}

const char *
hv_rule_kind_name(enum hv_rule_kind kind)
{
	switch (kind) {
	case HV_RULE_NONE: return "none";
	case HV_RULE_GOOD: return "good";
	case HV_RULE_BAD: return "bad";
	case HV_RULE_SKIP: return "skip";
	}
	return "?";
}

void
hv_config_init(struct hv_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->build.timeout_ms = 45 * 60 * 1000;
	cfg->build.failure = HV_ACTION_SKIP;
	cfg->boot.timeout_ms = 5 * 60 * 1000;
	cfg->boot.silence_ms = 2 * 60 * 1000;
	cfg->boot.hang = HV_ACTION_SKIP;
	cfg->boot.slots = 1;
	cfg->defaults = 1;
}

void
hv_config_free(struct hv_config *cfg)
{
	size_t i;

	free(cfg->name);
	free(cfg->build.command);
	free(cfg->build.local);
	free(cfg->boot.qemu);
	free(cfg->test.command);
	free(cfg->bisect.build_dir);
	for (i = 0; i < cfg->nrules; i++)
		free(cfg->rules[i].pattern);
	free(cfg->rules);
	hv_config_init(cfg);
}

struct parser {
	struct hv_config *cfg;
	struct hv_error *err;
	const char *section;	/* NULL before the first [section] */
	int pending;		/* key id being collected, or -1 */
	int pending_line;
	int quote;		/* quote left open by the pending value */
	struct strbuf value;
};

static int
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * How much of s[0..len) is value before a comment. A `#` starts a comment
 * at the start or after whitespace; in a command it does not inside quotes
 * (qemu's -append "..." may hold one), and the open quote is carried in
 * *quote across continuation lines, which are one command.
 */
static size_t
value_length(const char *s, size_t len, int shell, int *quote)
{
	size_t i;

	for (i = 0; i < len; i++) {
		char c = s[i];

		if (shell) {
			if (*quote == '\'') {
				if (c == '\'')
					*quote = 0;
				continue;
			}
			if (c == '\\') {
				i++;
				continue;
			}
			if (*quote == '"') {
				if (c == '"')
					*quote = 0;
				continue;
			}
			if (c == '\'' || c == '"') {
				*quote = c;
				continue;
			}
		}
		if (c == '#' && (i == 0 || is_blank(s[i - 1])))
			return i;
	}
	return len;
}

/* Append s[0..len) minus comment and surrounding blanks to the value. */
static void
add_value_text(struct parser *p, const char *s, size_t len)
{
	int shell = key_defs[p->pending].type == T_SHELL;

	while (len && is_blank(*s)) {
		s++;
		len--;
	}
	len = value_length(s, len, shell, &p->quote);
	while (len && is_blank(s[len - 1]))
		len--;
	if (!len)
		return;
	if (p->value.len)
		sb_addc(&p->value, ' ');
	sb_add(&p->value, s, len);
}

static int
parse_action(const char *s, enum hv_action *out)
{
	if (!strcmp(s, "skip"))
		*out = HV_ACTION_SKIP;
	else if (!strcmp(s, "bad"))
		*out = HV_ACTION_BAD;
	else if (!strcmp(s, "abort"))
		*out = HV_ACTION_ABORT;
	else
		return -1;
	return 0;
}

static int
parse_bool(const char *s, int *out)
{
	if (!strcmp(s, "yes") || !strcmp(s, "true") || !strcmp(s, "on") ||
	    !strcmp(s, "1"))
		*out = 1;
	else if (!strcmp(s, "no") || !strcmp(s, "false") ||
		 !strcmp(s, "off") || !strcmp(s, "0"))
		*out = 0;
	else
		return -1;
	return 0;
}

static char **
string_slot(struct hv_config *cfg, int key)
{
	switch (key) {
	case HV_KEY_BUILD_COMMAND: return &cfg->build.command;
	case HV_KEY_BUILD_LOCAL: return &cfg->build.local;
	case HV_KEY_BOOT_QEMU: return &cfg->boot.qemu;
	case HV_KEY_TEST_COMMAND: return &cfg->test.command;
	case HV_KEY_BISECT_BUILD_DIR: return &cfg->bisect.build_dir;
	}
	return NULL;
}

static int64_t *
duration_slot(struct hv_config *cfg, int key)
{
	switch (key) {
	case HV_KEY_BUILD_TIMEOUT: return &cfg->build.timeout_ms;
	case HV_KEY_BOOT_TIMEOUT: return &cfg->boot.timeout_ms;
	case HV_KEY_BOOT_SILENCE: return &cfg->boot.silence_ms;
	case HV_KEY_TEST_TIMEOUT: return &cfg->test.timeout_ms;
	}
	return NULL;
}

static enum hv_action *
action_slot(struct hv_config *cfg, int key)
{
	switch (key) {
	case HV_KEY_BUILD_FAILURE: return &cfg->build.failure;
	case HV_KEY_BOOT_HANG: return &cfg->boot.hang;
	}
	return NULL;
}

static int *
bool_slot(struct hv_config *cfg, int key)
{
	switch (key) {
	case HV_KEY_VERDICT_DEFAULTS: return &cfg->defaults;
	case HV_KEY_VERIFY_AFTER_RUN: return &cfg->verify.after_run;
	}
	return NULL;
}

static double *
probability_slot(struct hv_config *cfg, int key)
{
	switch (key) {
	case HV_KEY_VERDICT_CONFIDENCE: return &cfg->confidence;
	case HV_KEY_VERIFY_CONFIDENCE: return &cfg->verify.confidence;
	}
	return NULL;
}

static enum hv_rule_kind
rule_kind(int key)
{
	switch (key) {
	case HV_KEY_VERDICT_GOOD: return HV_RULE_GOOD;
	case HV_KEY_VERDICT_BAD: return HV_RULE_BAD;
	case HV_KEY_VERDICT_SKIP: return HV_RULE_SKIP;
	}
	return HV_RULE_NONE;
}

/* Check and store the pending key's value, now that it is complete. */
static int
finish_pending(struct parser *p)
{
	struct hv_config *cfg = p->cfg;
	const struct key_def *def;
	const char *name = cfg->name, *v = p->value.buf;
	int key = p->pending, line = p->pending_line, ret = -1;

	if (key < 0)
		return 0;
	def = &key_defs[key];
	p->pending = -1;
	if (!p->value.len) {
		hv_error_set(p->err, "%s:%d: %s has no value", name, line,
			     def->key);
		goto out;
	}
	if (def->type != T_RULE && cfg->line[key]) {
		hv_error_set(p->err, "%s:%d: %s set twice in [%s] (first on line %d)",
			     name, line, def->key, def->section, cfg->line[key]);
		goto out;
	}
	switch (def->type) {
	case T_SHELL:
		if (p->quote) {
			hv_error_set(p->err, "%s:%d: %s: unbalanced %s quote",
				     name, line, def->key,
				     p->quote == '"' ? "double" : "single");
			goto out;
		}
		*string_slot(cfg, key) = xstrdup(v);
		break;
	case T_DURATION:
		if (hv_parse_duration(v, duration_slot(cfg, key)) < 0) {
			hv_error_set(p->err, "%s:%d: bad duration '%s' for %s (write e.g. 90s, 5m, 1h30m)",
				     name, line, v, def->key);
			goto out;
		}
		break;
	case T_ACTION:
		if (parse_action(v, action_slot(cfg, key)) < 0) {
			hv_error_set(p->err, "%s:%d: bad value '%s' for %s (want skip, bad or abort)",
				     name, line, v, def->key);
			goto out;
		}
		break;
	case T_BOOL:
		if (parse_bool(v, bool_slot(cfg, key)) < 0) {
			hv_error_set(p->err, "%s:%d: bad value '%s' for %s (want yes or no)",
				     name, line, v, def->key);
			goto out;
		}
		break;
	case T_PROBABILITY: {
		double *slot = probability_slot(cfg, key);
		char *end;

		*slot = strtod(v, &end);
		if (end == v || *end || !(*slot > 0 && *slot < 1)) {
			hv_error_set(p->err, "%s:%d: bad value '%s' for %s (want "
				     "a probability between 0 and 1, e.g. 0.99)",
				     name, line, v, def->key);
			goto out;
		}
		break;
	}
	case T_COUNT: {
		char *end;
		long n = strtol(v, &end, 10);

		if (end == v || *end || n < 1 || n > 64) {
			hv_error_set(p->err, "%s:%d: bad value '%s' for %s (want "
				     "a whole number from 1 to 64)",
				     name, line, v, def->key);
			goto out;
		}
		cfg->boot.slots = (int)n;	/* the one COUNT key */
		break;
	}
	case T_RUNS: {
		char *end;
		unsigned long n = strtoul(v, &end, 10);

		if (end == v || *end || *v == '-' || !n || n > UINT32_MAX) {
			hv_error_set(p->err, "%s:%d: bad value '%s' for %s (want "
				     "a number of runs, e.g. 200)", name, line,
				     v, def->key);
			goto out;
		}
		cfg->max_runs = (uint32_t)n;
		break;
	}
	case T_STEPS: {
		char *end;
		double t = strtod(v, &end);

		if (end == v || *end || !(t >= 0 && t <= 1)) {
			hv_error_set(p->err, "%s:%d: bad value '%s' for %s (want "
				     "a number of steps from 0 to 1, e.g. 0.05)",
				     name, line, v, def->key);
			goto out;
		}
		cfg->bisect.tolerance = t;	/* the one STEPS key */
		break;
	}
	case T_PATH:
		*string_slot(cfg, key) = xstrdup(v);
		break;
	case T_RULE:
		HV_GROW(cfg->rules, cfg->nrules + 1, cfg->alloc_rules);
		cfg->rules[cfg->nrules].kind = rule_kind(key);
		cfg->rules[cfg->nrules].pattern = xstrdup(v);
		cfg->rules[cfg->nrules].line = line;
		cfg->nrules++;
		break;
	}
	cfg->line[key] = line;
	ret = 0;
out:
	sb_reset(&p->value);
	p->quote = 0;
	return ret;
}

static int
parse_section(struct parser *p, const char *s, size_t len, int lineno)
{
	const char *end = memchr(s, ']', len);
	const char *rest;
	size_t i, n;
	int q = 0;

	if (!end)
		return hv_error_set(p->err, "%s:%d: bad section header (no closing ']')",
				    p->cfg->name, lineno);
	rest = end + 1;
	n = len - (size_t)(rest - s);
	while (n && is_blank(*rest)) {
		rest++;
		n--;
	}
	if (value_length(rest, n, 0, &q) != 0)
		return hv_error_set(p->err, "%s:%d: unexpected text after ']'",
				    p->cfg->name, lineno);
	s++;
	while (s < end && is_blank(*s))
		s++;
	n = (size_t)(end - s);
	while (n && is_blank(s[n - 1]))
		n--;
	for (i = 0; i < HV_ARRAY_SIZE(section_names); i++) {
		if (strlen(section_names[i]) == n &&
		    !memcmp(section_names[i], s, n)) {
			p->section = section_names[i];
			return 0;
		}
	}
	return hv_error_set(p->err, "%s:%d: unknown section [%.*s] (want build, boot, test, verdict or verify)",
			    p->cfg->name, lineno, (int)n, s);
}

static int
is_key_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
}

static int
parse_key_value(struct parser *p, const char *s, size_t len, int lineno)
{
	const char *eq = memchr(s, '=', len);
	size_t klen, i;
	int key;

	if (!eq)
		return hv_error_set(p->err, "%s:%d: expected 'key = value' or '[section]'",
				    p->cfg->name, lineno);
	klen = (size_t)(eq - s);
	while (klen && is_blank(s[klen - 1]))
		klen--;
	for (i = 0; i < klen; i++)
		if (!is_key_char(s[i]))
			break;
	if (!klen || i < klen)
		return hv_error_set(p->err, "%s:%d: expected 'key = value' or '[section]'",
				    p->cfg->name, lineno);
	if (!p->section)
		return hv_error_set(p->err, "%s:%d: key '%.*s' outside any section (start with e.g. [build])",
				    p->cfg->name, lineno, (int)klen, s);
	for (key = 0; key < HV_CONFIG_NKEYS; key++) {
		if (!strcmp(key_defs[key].section, p->section) &&
		    strlen(key_defs[key].key) == klen &&
		    !memcmp(key_defs[key].key, s, klen))
			break;
	}
	if (key == HV_CONFIG_NKEYS)
		return hv_error_set(p->err, "%s:%d: unknown key '%.*s' in [%s]",
				    p->cfg->name, lineno, (int)klen, s,
				    p->section);
	p->pending = key;
	p->pending_line = lineno;
	eq++;
	add_value_text(p, eq, len - (size_t)(eq - s));
	return 0;
}

static int
parse_line(struct parser *p, const char *s, size_t len, int lineno)
{
	size_t skip = 0;

	if (len && s[len - 1] == '\r')
		len--;
	while (skip < len && is_blank(s[skip]))
		skip++;
	/* Blank and comment-only lines neither end nor continue a value. */
	if (skip == len || s[skip] == '#')
		return 0;
	if (skip > 0) {
		if (p->pending < 0)
			return hv_error_set(p->err, "%s:%d: indented line continues nothing (continuation lines follow a 'key = value')",
					    p->cfg->name, lineno);
		add_value_text(p, s, len);
		return 0;
	}
	if (finish_pending(p) < 0)
		return -1;
	if (s[0] == '[')
		return parse_section(p, s, len, lineno);
	return parse_key_value(p, s, len, lineno);
}

int
hv_config_parse_string(const char *text, const char *name,
		       struct hv_config *cfg, struct hv_error *err)
{
	struct parser p = { cfg, err, NULL, -1, 0, 0, STRBUF_INIT };
	const char *s = text;
	int lineno = 0, ret = 0;

	hv_config_init(cfg);
	cfg->name = xstrdup(name);
	while (*s) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);

		if (parse_line(&p, s, len, ++lineno) < 0) {
			ret = -1;
			break;
		}
		s += len + (nl != NULL);
	}
	if (!ret)
		ret = finish_pending(&p);
	sb_release(&p.value);
	if (ret < 0)
		hv_config_free(cfg);
	return ret;
}

int
hv_config_read(const char *path, struct strbuf *text, struct hv_error *err)
{
	if (hv_read_file(path, text) < 0)
		return hv_error_set(err, "%s: %s", path, strerror(errno));
	if (text->len && memchr(text->buf, '\0', text->len))
		return hv_error_set(err, "%s: not a text file (holds a NUL byte)",
				    path);
	return 0;
}

int
hv_config_parse_file(const char *path, struct hv_config *cfg,
		     struct hv_error *err)
{
	struct strbuf sb = STRBUF_INIT;
	int ret = -1;

	hv_config_init(cfg);
	if (hv_config_read(path, &sb, err) == 0)
		ret = hv_config_parse_string(sb.buf ? sb.buf : "", path, cfg,
					     err);
	sb_release(&sb);
	return ret;
}

static int
found(char *path, char **path_out)
{
	if (hv_file_exists(path)) {
		*path_out = path;
		return 1;
	}
	free(path);
	return 0;
}

int
hv_config_find(const char *explicit_path, const char *git_dir,
	       char **path_out, struct hv_error *err)
{
	char *user;

	*path_out = NULL;
	if (explicit_path) {
		if (!hv_file_exists(explicit_path))
			return hv_error_set(err, "%s: %s", explicit_path,
					    strerror(errno));
		*path_out = xstrdup(explicit_path);
		return 0;
	}
	if (git_dir && found(xasprintf("%s/halve/config", git_dir), path_out))
		return 0;
	user = hv_user_config_path("config");
	if (user)
		found(user, path_out);
	return 0;
}

static int
split_error(struct hv_error *err, const char *cmd, const char *at,
	    const char *what)
{
	return hv_error_set(err, "%s at offset %zu", what, (size_t)(at - cmd));
}

int
hv_split_argv(const char *cmd, char ***argv_out, struct hv_error *err)
{
	struct strbuf word = STRBUF_INIT;
	char **argv = NULL;
	size_t argc = 0, alloc = 0;
	const char *p = cmd, *open;
	int in_word = 0;

	*argv_out = NULL;
	for (;;) {
		char c = *p;

		if (c == '\0' || c == ' ' || c == '\t' || c == '\n') {
			if (in_word) {
				HV_GROW(argv, argc + 2, alloc);
				argv[argc++] = sb_detach(&word);
				in_word = 0;
			}
			if (!c)
				break;
			p++;
			continue;
		}
		if (c == '\'') {
			const char *q = strchr(p + 1, '\'');

			if (!q) {
				split_error(err, cmd, p, "unbalanced single quote");
				goto fail;
			}
			sb_add(&word, p + 1, (size_t)(q - p - 1));
			p = q + 1;
		} else if (c == '"') {
			open = p++;
			while (*p != '"') {
				if (!*p) {
					split_error(err, cmd, open, "unbalanced double quote");
					goto fail;
				}
				if (*p == '\\' && p[1] && strchr("\"\\$`", p[1])) {
					sb_addc(&word, p[1]);
					p += 2;
					continue;
				}
				if (*p == '$' || *p == '`') {
					hv_error_set(err, "'%c' at offset %zu needs a shell, and halve runs this command without one",
						     *p, (size_t)(p - cmd));
					goto fail;
				}
				sb_addc(&word, *p++);
			}
			p++;
		} else if (c == '\\') {
			if (!p[1]) {
				split_error(err, cmd, p, "trailing backslash");
				goto fail;
			}
			sb_addc(&word, p[1]);
			p += 2;
		} else if (strchr("$`|&;<>()", c) || (c == '~' && !in_word)) {
			hv_error_set(err, "'%c' at offset %zu needs a shell, and halve runs this command without one (quote it to mean it literally)",
				     c, (size_t)(p - cmd));
			goto fail;
		} else {
			sb_addc(&word, c);
			p++;
		}
		in_word = 1;
	}
	if (!argc) {
		hv_error_set(err, "empty command");
		goto fail;
	}
	argv[argc] = NULL;
	*argv_out = argv;
	return (int)argc;

fail:
	sb_release(&word);
	if (argv) {
		argv[argc] = NULL;
		hv_argv_free(argv);
	}
	return -1;
}
