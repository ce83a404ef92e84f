/*
 * bisectlog.c: reading git's BISECT_LOG (bisectlog.h), and the grammar of
 * `start`'s arguments, which a log's start line shares with the command
 * line. Knows the format, not what the marks mean to a session.
 */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "bisectlog.h"

void
hv_sq_quote(struct strbuf *sb, const char *arg)
{
	sb_addc(sb, '\'');
	for (; *arg; arg++) {
		if (*arg == '\'' || *arg == '!') {
			sb_adds(sb, "'\\");
			sb_addc(sb, *arg);
			sb_addc(sb, '\'');
		} else {
			sb_addc(sb, *arg);
		}
	}
	sb_addc(sb, '\'');
}

int
hv_sq_split(const char *s, char ***argv_out, size_t *argc_out)
{
	char **argv = NULL;
	size_t argc = 0, alloc = 0;
	struct strbuf word = STRBUF_INIT;

	for (;;) {
		int any = 0;

		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s || *s == '\n')
			break;
		sb_reset(&word);
		while (*s && *s != ' ' && *s != '\t' && *s != '\n') {
			any = 1;
			if (*s == '\'') {
				const char *end = strchr(s + 1, '\'');

				if (!end)
					goto bad;
				sb_add(&word, s + 1, (size_t)(end - s - 1));
				s = end + 1;
			} else if (*s == '\\' && s[1]) {
				sb_addc(&word, s[1]);
				s += 2;
			} else {
				sb_addc(&word, *s++);
			}
		}
		if (any) {
			HV_GROW(argv, argc + 2, alloc);
			argv[argc++] = xstrdup(word.buf ? word.buf : "");
			argv[argc] = NULL;
		}
	}
	if (!argv)
		argv = xcalloc(1, sizeof(*argv));
	sb_release(&word);
	*argv_out = argv;
	*argc_out = argc;
	return 0;
bad:
	sb_release(&word);
	hv_argv_free(argv);
	return -1;
}

int
hv_start_opts_parse(char **argv, size_t argc, struct hv_start_opts *o,
		    struct hv_error *err)
{
	size_t i;
	int dashdash = 0;

	memset(o, 0, sizeof(*o));
	o->argv = argv;
	o->argc = argc;
	o->revs = xcalloc(argc + 1, sizeof(char *));
	o->paths = xcalloc(argc + 1, sizeof(char *));
	for (i = 0; i < argc; i++) {
		char *a = argv[i];
		const char **val = NULL;
		const char *name = NULL;

		if (dashdash) {
			o->paths[o->npaths++] = a;
			continue;
		}
		if (!strcmp(a, "--")) {
			dashdash = 1;
			o->dashdash = 1;
		} else if (!strcmp(a, "--first-parent")) {
			o->first_parent = 1;
		} else if (!strcmp(a, "--no-checkout")) {
			o->no_checkout = 1;
		} else if (!strncmp(a, "--term-old", 10) ||
			   !strncmp(a, "--term-good", 11)) {
			val = &o->term_old;
			name = !strncmp(a, "--term-old", 10) ? "--term-old"
							     : "--term-good";
		} else if (!strncmp(a, "--term-new", 10) ||
			   !strncmp(a, "--term-bad", 10)) {
			val = &o->term_new;
			name = !strncmp(a, "--term-new", 10) ? "--term-new"
							     : "--term-bad";
		} else if (!strncmp(a, "--config", 8)) {
			val = &o->config;
			name = "--config";
		} else if (a[0] == '-' && a[1]) {
			hv_start_opts_release(o);
			return hv_error_set(err, "start: %s: unknown option", a);
		} else {
			o->revs[o->nrevs++] = a;
		}
		if (!val)
			continue;
		if (a[strlen(name)] == '=') {
			*val = a + strlen(name) + 1;
		} else if (!a[strlen(name)] && i + 1 < argc) {
			*val = argv[++i];
		} else {
			hv_start_opts_release(o);
			return hv_error_set(err, "start: %s: needs a value", a);
		}
	}
	return 0;
}

void
hv_start_opts_release(struct hv_start_opts *o)
{
	free(o->revs);
	free(o->paths);
	o->revs = o->paths = NULL;
}

/* "# TERM: [HEX] subject": git's note before each mark's command. */
static int
parse_note(const char *p, size_t len, struct hv_log_line *l)
{
	const char *colon, *end = p + len;
	char hex[41];

	if (len < 2 || p[0] != '#' || p[1] != ' ')
		return 0;
	p += 2;
	colon = memchr(p, ':', (size_t)(end - p));
	if (!colon || colon == p || end - colon < 44 || colon[1] != ' ' ||
	    colon[2] != '[' || colon[43] != ']')
		return 0;
	if (memchr(p, ' ', (size_t)(colon - p)))
		return 0;	/* "# first bad commit: [...]" is no mark */
	memcpy(hex, colon + 3, 40);
	hex[40] = '\0';
	if (hv_oid_parse(&l->oid, hex) < 0)
		return 0;
	l->term = xstrndup(p, (size_t)(colon - p));
	return 1;
}

/* "# halve confidence P", "# halve observed TERM HEX TIME", "# halve
 * answer: ...": halve's own lines, which git's replay skips. */
static int
parse_halve_line(const char *p, size_t len, struct hv_log_line *l)
{
	char *line, term[64], hex[41];
	long long when;
	int n = 0, kind = 0;

	if (len < 8 || strncmp(p, "# halve ", 8))
		return 0;
	if (len >= 15 && !strncmp(p + 8, "answer:", 7))
		return HV_LOG_ANSWER;
	line = xstrndup(p + 8, len - 8);
	if (sscanf(line, "confidence %lf%n", &l->confidence, &n) == 1 &&
	    !line[n] && l->confidence > 0 && l->confidence < 1) {
		kind = HV_LOG_CONFIDENCE;
	} else if (sscanf(line, "observed %63s %40s %lld%n", term, hex, &when,
			  &n) == 3 && !line[n] && strlen(hex) == 40 &&
		   hv_oid_parse(&l->oid, hex) == 0) {
		l->term = xstrdup(term);
		l->when = when;
		kind = HV_LOG_OBSERVED;
	}
	free(line);
	return kind;
}

#define COMMAND_HEAD "# halve: one command marked the "
#define COMMAND_TAIL " commits below"

/* N of "# halve: one command marked the N commits below", or 0. */
static size_t
command_marks(const char *p, size_t len)
{
	size_t head = strlen(COMMAND_HEAD), tail = strlen(COMMAND_TAIL);
	size_t i, n = 0;

	if (len <= head + tail || strncmp(p, COMMAND_HEAD, head) ||
	    strncmp(p + len - tail, COMMAND_TAIL, tail))
		return 0;
	for (i = head; i < len - tail; i++) {
		if (p[i] < '0' || p[i] > '9' || n > 100000000)
			return 0;
		n = n * 10 + (size_t)(p[i] - '0');
	}
	return n;
}

static void
classify(const char *text, struct hv_log_line *l)
{
	const char *p = text + l->off;
	size_t i = 0;

	while (i < l->len && (p[i] == ' ' || p[i] == '\t'))
		i++;
	if (i == l->len) {
		l->kind = HV_LOG_BLANK;
	} else if (p[i] == '#') {
		int halve;

		if (l->len - i >= 9 && !strncmp(p + i, "# halve: ", 9)) {
			l->kind = HV_LOG_REASON;
			l->marks = command_marks(p + i, l->len - i);
		} else if (!i && (halve = parse_halve_line(p, l->len, l)))
			l->kind = halve;
		else if (!i && parse_note(p, l->len, l))
			l->kind = HV_LOG_NOTE;
		else
			l->kind = HV_LOG_COMMENT;
	} else if (l->len - i >= 11 && (!strncmp(p + i, "git bisect ", 11) ||
					!strncmp(p + i, "git-bisect ", 11))) {
		char *line = xstrndup(p + i + 11, l->len - i - 11);

		l->kind = HV_LOG_COMMAND;
		if (hv_sq_split(line, &l->argv, &l->argc) < 0 || !l->argc) {
			hv_argv_free(l->argv);
			l->argv = NULL;
			l->argc = 0;
		}
		free(line);
	} else {
		l->kind = HV_LOG_OTHER;
	}
}

void
hv_log_parse(const char *text, struct hv_log *log)
{
	size_t alloc = 0, off = 0, len = text ? strlen(text) : 0;
	int lineno = 0;

	memset(log, 0, sizeof(*log));
	while (off < len) {
		const char *nl = memchr(text + off, '\n', len - off);
		size_t end = nl ? (size_t)(nl - text) : len;
		struct hv_log_line *l;

		HV_GROW(log->lines, log->n + 1, alloc);
		l = &log->lines[log->n++];
		memset(l, 0, sizeof(*l));
		l->lineno = ++lineno;
		l->off = off;
		l->len = end - off;
		/* a log that went through Windows (git's replay takes it) */
		if (l->len && text[end - 1] == '\r')
			l->len--;
		classify(text, l);
		off = end + 1;
	}
}

void
hv_log_release(struct hv_log *log)
{
	size_t i;

	for (i = 0; i < log->n; i++) {
		hv_argv_free(log->lines[i].argv);
		free(log->lines[i].term);
	}
	free(log->lines);
	memset(log, 0, sizeof(*log));
}

int
hv_log_is(const struct hv_log_line *l, const char *verb)
{
	return l->kind == HV_LOG_COMMAND && l->argv && !strcmp(l->argv[0], verb);
}

void
hv_log_start_range(const struct hv_log *log, const char *term_bad,
		   const char *term_good, struct hv_oid *bad, int *have_bad,
		   struct hv_oid **goods, size_t *ngoods)
{
	size_t i, alloc = 0;

	*have_bad = 0;
	*goods = NULL;
	*ngoods = 0;
	for (i = 0; i < log->n; i++) {
		const struct hv_log_line *l = &log->lines[i];

		if (l->kind == HV_LOG_COMMAND && *have_bad && *ngoods)
			break;
		if (l->kind != HV_LOG_NOTE)
			continue;
		if (!strcmp(l->term, term_bad) && !*have_bad) {
			*bad = l->oid;
			*have_bad = 1;
		} else if (!strcmp(l->term, term_good)) {
			HV_GROW(*goods, *ngoods + 1, alloc);
			(*goods)[(*ngoods)++] = l->oid;
		}
	}
}

/* A revision as a title shows it: full ids abbreviated. */
static void
add_rev(struct strbuf *sb, const char *rev)
{
	size_t n = strspn(rev, "0123456789abcdef");

	if (n == 40 && !rev[40])
		sb_addf(sb, "%.7s", rev);
	else
		sb_adds(sb, rev);
}

int
hv_log_range_name(const struct hv_log *log, struct strbuf *sb)
{
	const struct hv_log_line *start = NULL;
	struct hv_start_opts o;
	size_t i;
	int named = 0;

	for (i = 0; i < log->n; i++)
		if (hv_log_is(&log->lines[i], "start"))
			start = &log->lines[i];
	if (!start ||
	    hv_start_opts_parse(start->argv + 1, start->argc - 1, &o, NULL) < 0)
		return 0;
	if (o.nrevs >= 2) {
		for (i = 1; i < o.nrevs; i++) {
			if (i > 1)
				sb_addc(sb, ',');
			add_rev(sb, o.revs[i]);
		}
		sb_adds(sb, "..");
		add_rev(sb, o.revs[0]);
		named = 1;
	}
	hv_start_opts_release(&o);
	return named;
}

/* A mark the user (or a run) made: a mark command, or a kept result. */
static int
is_mark(const struct hv_log_line *l)
{
	return l->kind == HV_LOG_OBSERVED ||
	       (l->kind == HV_LOG_COMMAND && !hv_log_is(l, "start") &&
		!hv_log_is(l, "terms"));
}

/*
 * Where the command that wrote the mark line cmd began: the line that
 * says it marked N commits, when the N marks above and at cmd are its
 * (a command's lines are written under the lock, all together); else cmd.
 */
static size_t
command_top(const struct hv_log *log, size_t cmd)
{
	size_t i = cmd + 1, marks = 0;

	while (i-- > 0) {
		const struct hv_log_line *l = &log->lines[i];

		if (is_mark(l))
			marks++;
		else if (l->kind == HV_LOG_REASON && l->marks)
			return l->marks == marks ? i : cmd;
		else if (l->kind != HV_LOG_NOTE)
			break;
	}
	return cmd;
}

char *
hv_log_without_last_mark(const char *text, const struct hv_log *log)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i, cmd = log->n, answer = log->n, from, to;
	int with_answer = 0;

	for (i = 0; i < log->n; i++) {
		if (log->lines[i].kind == HV_LOG_ANSWER)
			answer = i;
		if (is_mark(&log->lines[i]))
			cmd = i;
	}
	/* the marks stating a --confidence answer go with the result that
	 * led to it: that one is taken back, and the answer with it */
	if (answer < log->n && cmd != log->n && cmd > answer &&
	    log->lines[cmd].kind == HV_LOG_COMMAND) {
		with_answer = 1;
		for (cmd = answer; cmd > 0 && !is_mark(&log->lines[cmd - 1]);)
			cmd--;
		if (!cmd)
			return NULL;
		cmd--;
	}
	if (cmd == log->n)
		return NULL;
	/* up over its notes and its reason */
	for (from = command_top(log, cmd); from > 0; from--) {
		enum hv_log_kind k = log->lines[from - 1].kind;

		if (k != HV_LOG_NOTE && k != HV_LOG_REASON)
			break;
	}
	/* down past the comments it led to (and an answer's lines; an
	 * answer whose marks git already had is a line alone) */
	for (to = cmd + 1; to < log->n; to++) {
		enum hv_log_kind k = log->lines[to].kind;

		if (with_answer && to >= answer)
			continue;
		if (k != HV_LOG_COMMENT && k != HV_LOG_NOTE &&
		    k != HV_LOG_BLANK && k != HV_LOG_ANSWER)
			break;
	}
	sb_add(&sb, text, log->lines[from].off);
	if (to < log->n)
		sb_adds(&sb, text + log->lines[to].off);
	if (!sb.buf)
		sb_adds(&sb, "");
	return sb_detach(&sb);
}

/* Appends line and a newline, unless the log ends with that line already
 * (a `next` repeated, a status asked twice). */
static void
add_once(struct strbuf *log, const char *line)
{
	size_t n = strlen(line);

	if (log->len > n && log->buf[log->len - n - 1] == '\n' &&
	    !memcmp(log->buf + log->len - n, line, n))
		return;
	sb_adds(log, line);
	sb_addc(log, '\n');
}

void
hv_log_add_mark(struct strbuf *log, const char *term, const char *hex,
		const char *subject, int command)
{
	sb_addf(log, "# %s: [%s] %s\n", term, hex, subject);
	if (command)
		sb_addf(log, "git bisect %s %s\n", term, hex);
}

void
hv_log_add_confidence(struct strbuf *log, double confidence)
{
	sb_addf(log, "# halve confidence %g\n", confidence);
}

void
hv_log_add_observed(struct strbuf *log, const char *term, const char *hex,
		    int64_t when)
{
	sb_addf(log, "# halve observed %s %s %lld\n", term, hex,
		(long long)when);
}

/* A comment line: prefix, then the formatted text. */
static void
add_comment(struct strbuf *log, const char *prefix, const char *fmt,
	    va_list ap)
{
	sb_adds(log, prefix);
	sb_vaddf(log, fmt, ap);
	sb_addc(log, '\n');
}

void
hv_log_add_answer(struct strbuf *log, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_comment(log, "# halve answer: ", fmt, ap);
	va_end(ap);
}

void
hv_log_add_command(struct strbuf *log, size_t nmarks)
{
	sb_addf(log, COMMAND_HEAD "%zu" COMMAND_TAIL "\n", nmarks);
}

void
hv_log_add_start(struct strbuf *log, char **argv, size_t argc)
{
	size_t i;

	sb_adds(log, "git bisect start");
	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--config") && i + 1 < argc) {
			i++;
			continue;
		}
		if (!strncmp(argv[i], "--config=", 9))
			continue;
		sb_addc(log, ' ');
		hv_sq_quote(log, argv[i]);
	}
	sb_addc(log, '\n');
}

void
hv_log_add_reason(struct strbuf *log, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_comment(log, "# halve: ", fmt, ap);
	va_end(ap);
}

void
hv_log_add_waiting(struct strbuf *log, int have_bad, size_t ngoods)
{
	if (!have_bad && !ngoods)
		sb_adds(log, "# status: waiting for both good and bad commits\n");
	else if (have_bad)
		sb_adds(log, "# status: waiting for good commit(s), bad commit "
			"known\n");
	else
		sb_addf(log, "# status: waiting for bad commit, %zu good "
			"commit%s known\n", ngoods, ngoods == 1 ? "" : "s");
}

void
hv_log_add_found(struct strbuf *log, const char *term, const char *hex,
		 const char *subject)
{
	char *line = xasprintf("# first %s commit: [%s] %s", term, hex, subject);

	add_once(log, line);
	free(line);
}

void
hv_log_add_only_skipped(struct strbuf *log)
{
	add_once(log, "# only skipped commits left to test");
}

void
hv_log_add_suspect(struct strbuf *log, const char *term, const char *hex,
		   const char *subject)
{
	sb_addf(log, "# possible first %s commit: [%s] %s\n", term, hex,
		subject);
}
