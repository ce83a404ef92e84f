/*
 * verdict.c: writing and reading verdict files (verdict.h). The writer
 * and the reader share the key names below, so the two cannot drift.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "verdict.h"

void
hv_verdict_init(struct hv_verdict *v)
{
	memset(v, 0, sizeof(*v));
	v->kind = HV_RULE_NONE;
	v->exit_code = -1;
	v->build_ms = v->boot_ms = v->test_ms = -1;
}

void
hv_verdict_release(struct hv_verdict *v)
{
	free(v->reason);
	free(v->rule);
	free(v->line);
	hv_verdict_init(v);
}

void
hv_verdict_decide(struct hv_verdict *v, int *decided, enum hv_rule_kind kind,
		  int abort, char *reason)
{
	if (*decided) {
		free(reason);
		return;
	}
	*decided = 1;
	v->kind = kind;
	v->abort = abort;
	free(v->reason);
	v->reason = reason;
}

enum hv_term_kind
hv_verdict_term(enum hv_rule_kind kind)
{
	return kind == HV_RULE_GOOD ? HV_TERM_OLD
	       : kind == HV_RULE_BAD ? HV_TERM_NEW : HV_TERM_SKIP;
}

char *
hv_verdict_path(const struct hv_repo *repo, const struct hv_oid *commit)
{
	char hex[41];

	hv_oid_fmt(hex, commit);
	return xasprintf("%shalve/steps/%s/verdict", repo->gitdir, hex);
}

/* key value, the value kept on its one line */
static void
add_field(struct strbuf *sb, const char *key, const char *value)
{
	size_t start;

	sb_addf(sb, "%s ", key);
	start = sb->len;
	sb_adds(sb, value);
	for (; start < sb->len; start++)
		if (sb->buf[start] == '\n' || sb->buf[start] == '\r')
			sb->buf[start] = ' ';
	sb_addc(sb, '\n');
}

static void
add_ms(struct strbuf *sb, const char *key, int64_t ms)
{
	if (ms >= 0)
		sb_addf(sb, "%s %" PRId64 "\n", key, ms);
}

int
hv_verdict_write_in(const char *step_dir, const struct hv_oid *commit,
		    const struct hv_verdict *v, struct hv_error *err)
{
	struct strbuf sb = STRBUF_INIT;
	char hex[41], *path = xasprintf("%s/verdict", step_dir);
	int rc;

	hv_oid_fmt(hex, commit);
	sb_addf(&sb, "commit %s\n", hex);
	sb_addf(&sb, "verdict %s\n",
		v->abort ? "abort" : hv_rule_kind_name(v->kind));
	add_field(&sb, "reason", v->reason ? v->reason : "");
	if (v->rule)
		add_field(&sb, "rule", v->rule);
	if (v->line) {
		add_field(&sb, "line", v->line);
		sb_addf(&sb, "lineno %" PRIu64 "\n", v->lineno);
	}
	if (v->exit_code >= 0)
		sb_addf(&sb, "exit %d\n", v->exit_code);
	add_ms(&sb, "build-ms", v->build_ms);
	add_ms(&sb, "boot-ms", v->boot_ms);
	add_ms(&sb, "test-ms", v->test_ms);
	rc = hv_write_file_atomic(path, sb.buf, sb.len, err);
	free(path);
	sb_release(&sb);
	return rc;
}

int
hv_verdict_write(const struct hv_repo *repo, const struct hv_oid *commit,
		 const struct hv_verdict *v, struct hv_error *err)
{
	char *path = hv_verdict_path(repo, commit);
	int rc;

	*strrchr(path, '/') = '\0';	/* the step's directory */
	rc = hv_verdict_write_in(path, commit, v, err);
	free(path);
	return rc;
}

/* -------- reading -------- */

/* A whole non-negative decimal number, or -1. */
static int
parse_number(const char *s, int64_t *out)
{
	char *end;
	long long n;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	n = strtoll(s, &end, 10);
	if (errno || *end)
		return -1;
	*out = n;
	return 0;
}

static int
parse_kind(const char *s, struct hv_verdict *v)
{
	static const enum hv_rule_kind kinds[] = {
		HV_RULE_GOOD, HV_RULE_BAD, HV_RULE_SKIP,
	};
	size_t i;

	if (!strcmp(s, "abort")) {
		v->abort = 1;
		return 0;
	}
	for (i = 0; i < HV_ARRAY_SIZE(kinds); i++)
		if (!strcmp(s, hv_rule_kind_name(kinds[i]))) {
			v->kind = kinds[i];
			return 0;
		}
	return -1;
}

/* One "key value" line into v; -1 with the reason in *why. */
static int
parse_field(const char *key, const char *value, const char *hex,
	    struct hv_verdict *v, int *have_verdict, const char **why)
{
	char **text = !strcmp(key, "reason") ? &v->reason
		      : !strcmp(key, "rule") ? &v->rule
		      : !strcmp(key, "line") ? &v->line : NULL;
	int64_t *ms = !strcmp(key, "build-ms") ? &v->build_ms
		      : !strcmp(key, "boot-ms") ? &v->boot_ms
		      : !strcmp(key, "test-ms") ? &v->test_ms : NULL;
	int64_t n;

	if (text) {
		free(*text);
		*text = xstrdup(value);
	} else if (!strcmp(key, "commit")) {
		*why = "not the commit of this step directory";
		return strcmp(value, hex) ? -1 : 0;
	} else if (!strcmp(key, "verdict")) {
		*why = "the verdict is not good, bad, skip or abort";
		*have_verdict = 1;
		return parse_kind(value, v);
	} else if (ms || !strcmp(key, "lineno") || !strcmp(key, "exit")) {
		*why = "not a number";
		if (parse_number(value, &n) < 0 ||
		    (!strcmp(key, "exit") && n > 255))
			return -1;
		if (ms)
			*ms = n;
		else if (!strcmp(key, "exit"))
			v->exit_code = (int)n;
		else
			v->lineno = (uint64_t)n;
	}
	return 0;	/* a key of a newer halve: not ours to judge */
}

static int
parse_verdict(char *text, const char *path, const char *hex,
	      struct hv_verdict *v, struct hv_error *err)
{
	int have_verdict = 0, lineno = 0;
	char *line = text;

	while (*line) {
		char *nl = strchr(line, '\n'), *sp;
		const char *why = NULL;

		lineno++;
		if (nl)
			*nl = '\0';
		sp = strchr(line, ' ');
		if (sp)
			*sp = '\0';
		if (!*line)
			why = "a line with no key";
		if (why || parse_field(line, sp ? sp + 1 : "", hex, v,
				       &have_verdict, &why) < 0)
			return hv_error_set(err, "%s:%d: %s", path, lineno, why);
		if (!nl)
			break;
		line = nl + 1;
	}
	if (!have_verdict)
		return hv_error_set(err, "%s:%d: no verdict line", path,
				    lineno + 1);
	return 0;
}

int
hv_verdict_read(const struct hv_repo *repo, const struct hv_oid *commit,
		struct hv_verdict *v, struct hv_error *err)
{
	struct strbuf sb = STRBUF_INIT;
	char hex[41], *path = hv_verdict_path(repo, commit);
	int rc = 1;

	hv_verdict_release(v);
	hv_oid_fmt(hex, commit);
	if (hv_read_file(path, &sb) < 0) {
		rc = errno == ENOENT ? 0
		     : hv_error_set(err, "%s: %s", path, strerror(errno));
	} else if (memchr(sb.buf ? sb.buf : "", '\0', sb.len)) {
		rc = hv_error_set(err, "%s: a NUL byte: not a verdict file",
				  path);
	} else if (parse_verdict(sb.buf ? sb.buf : (char *)"", path, hex, v,
				 err) < 0) {
		hv_verdict_release(v);
		rc = -1;
	}
	free(path);
	sb_release(&sb);
	return rc;
}
