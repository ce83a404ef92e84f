/*
 * rules.c: compile verdict rules with pcre2 and match console lines
 * against them; assemble raw console bytes into clean lines.
 *
 * Speed matters here (the target is 50 MB/s of console): rules are
 * JIT-compiled when pcre2 can, matched with one preallocated match block,
 * and the assembler copies runs of printable bytes in bulk. Nothing here
 * allocates per line.
 */
#include "config.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "rules.h"

/*
 * The built-in bad rules: what a kernel developer expects a boot to fail
 * on with no rule written. They follow the user's rules, so a user rule
 * for the same line wins. Sources: ktest.pl fails a boot on "call trace:"
 * (any case) and "Kernel panic -"; syzkaller's pkg/report/linux.go lists
 * the oops headers below.
 *
 * "WARNING: CPU: ..." is in: every WARN() splat is followed within a few
 * lines by a "Call Trace:", which the design already makes bad, so leaving
 * the header out would not make warnings pass; it would only report the
 * trace line instead of the one naming the file and line that warned
 * (syzkaller counts warnings as crashes for the same reason). A user who
 * must live with a known warning writes `defaults = no` and their own
 * rules.
 *
 * Some literal headers are tightened so that user space cannot trip them:
 * "\bBUG: " does not fire on "DEBUG: ", and a user process's fault logged
 * as "traps: prog[42] general protection fault ip:..." is not a kernel
 * bug (the kernel's own reads "general protection fault, probably..." or
 * "general protection fault: 0000 [#1]"). The same for divide error and
 * invalid opcode, whose kernel forms carry ": 0000".
 */
static const char *const default_bad_rules[] = {
	"Kernel panic - ",
	"\\bBUG: ",		/* also BUG: soft lockup, KASAN, KFENCE, KCSAN */
	"kernel BUG at ",	/* BUG_ON(): "kernel BUG at mm/slub.c:42!" */
	"general protection fault(?! ip:)",
	"\\bOops: ",
	"Unable to handle kernel ",	/* arm, arm64, powerpc faults */
	"Internal error: ",	/* arm, arm64: "Internal error: Oops: ..." */
	"\\bKASAN: ",
	"\\bUBSAN: ",
	"PANIC: double fault",
	"divide error: 0000",
	"invalid opcode: 0000",
	"stack segment: 0000",
	"WARNING: CPU: \\d+ PID: \\d+ at ",
	"INFO: task \\S+ blocked for more than \\d+ seconds",
	"INFO: rcu_\\w+ (self-)?detected stall",
	"detected hard LOCKUP",
	"Call [Tt]race:",	/* arm64 prints "Call trace:" */
};

/*
 * What lets a line through to the built-in rules: one literal that every
 * match of each rule above contains, chosen to start with a rare byte.
 * It may let a line through that no rule then matches (that only costs
 * the per-rule matches), never the reverse. Half the cost of gating with
 * the rules themselves (bench/console-path, doc/PERFORMANCE.md).
 */
static const char default_bad_gate[] =
	"Kernel panic - |BUG|general protection fault|Oops: "
	"|Unable to handle kernel |Internal error: |KASAN: |UBSAN: "
	"|PANIC: double fault|: 0000|WARNING: CPU: |INFO: |LOCKUP|Call ";

struct rule {
	enum hv_rule_kind kind;
	char *pattern;
	char *file;		/* NULL for a built-in */
	int line;
	int builtin;
	size_t number;
	pcre2_code *code;
	int jit;		/* pcre2_jit_compile succeeded */
};

struct hv_rules {
	struct rule *rules;
	size_t n, alloc;
	size_t numbers[2][4];	/* rules so far by [builtin][kind] */
	pcre2_general_context *gctx;
	pcre2_compile_context *cctx;
	pcre2_match_data *md;
	/*
	 * The built-in rules as one alternation, tried first: a line none
	 * of them can match (nearly every line) costs one pcre2 call
	 * instead of one per rule, which doubles console throughput. Only
	 * for the built-ins: user patterns may hold backreferences or
	 * verbs whose meaning would change inside a bigger pattern.
	 */
	pcre2_code *gate;
	int gate_jit;
	size_t gate_first, gate_end;	/* the rules it stands for */
};

/* pcre2 allocates through xmalloc, so out of memory aborts in one place. */
static void *
pcre2_xmalloc(PCRE2_SIZE size, void *data)
{
	return xmalloc(size);
}

static void
pcre2_xfree(void *p, void *data)
{
	free(p);
}

struct hv_rules *
hv_rules_new(void)
{
	struct hv_rules *set = xcalloc(1, sizeof(*set));

	set->gctx = pcre2_general_context_create(pcre2_xmalloc, pcre2_xfree,
						 NULL);
	set->cctx = pcre2_compile_context_create(set->gctx);
	/* One pair is all we read: where the whole match is. */
	set->md = pcre2_match_data_create(1, set->gctx);
	return set;
}

void
hv_rules_free(struct hv_rules *set)
{
	size_t i;

	if (!set)
		return;
	for (i = 0; i < set->n; i++) {
		pcre2_code_free(set->rules[i].code);
		free(set->rules[i].pattern);
		free(set->rules[i].file);
	}
	free(set->rules);
	pcre2_match_data_free(set->md);
	pcre2_code_free(set->gate);
	pcre2_compile_context_free(set->cctx);
	pcre2_general_context_free(set->gctx);
	free(set);
}

static int
add_rule(struct hv_rules *set, enum hv_rule_kind kind, const char *pattern,
	 const char *file, int line, int builtin, struct hv_error *err)
{
	struct rule *r;
	pcre2_code *code;
	int errcode;
	PCRE2_SIZE offset;

	if (kind != HV_RULE_GOOD && kind != HV_RULE_BAD && kind != HV_RULE_SKIP)
		return hv_error_set(err, "rule '%s': no verdict kind", pattern);
	/*
	 * No UTF: console bytes are whatever the guest sent, and a UTF
	 * pattern would fail on every invalid sequence; NEVER_UTF also
	 * rejects a (*UTF) written into the pattern. No MULTILINE: a
	 * subject is one line.
	 */
	code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
			     PCRE2_NEVER_UTF, &errcode, &offset, set->cctx);
	if (!code) {
		PCRE2_UCHAR msg[256];	/* pcre2's own messages are short */

		pcre2_get_error_message(errcode, msg, sizeof(msg));
		if (file)
			return hv_error_set(err, "%s:%d: bad regex '%s': %s at offset %zu",
					    file, line, pattern, (char *)msg,
					    (size_t)offset);
		return hv_error_set(err, "bad regex '%s': %s at offset %zu",
				    pattern, (char *)msg, (size_t)offset);
	}
	HV_GROW(set->rules, set->n + 1, set->alloc);
	r = &set->rules[set->n++];
	r->kind = kind;
	r->pattern = xstrdup(pattern);
	r->file = file ? xstrdup(file) : NULL;
	r->line = line;
	r->builtin = builtin;
	r->number = ++set->numbers[builtin][kind];
	r->code = code;
	r->jit = pcre2_jit_compile(code, PCRE2_JIT_COMPLETE) == 0;
	return 0;
}

int
hv_rules_add(struct hv_rules *set, enum hv_rule_kind kind,
	     const char *pattern, const char *file, int line,
	     struct hv_error *err)
{
	return add_rule(set, kind, pattern, file, line, 0, err);
}

static void
make_gate(struct hv_rules *set, size_t first)
{
	int errcode;
	PCRE2_SIZE offset;

	set->gate = pcre2_compile((PCRE2_SPTR)default_bad_gate,
				  sizeof(default_bad_gate) - 1, PCRE2_NEVER_UTF,
				  &errcode, &offset, set->cctx);
	if (!set->gate)
		return;		/* no gate: every rule is tried, as for users' */
	set->gate_jit = pcre2_jit_compile(set->gate, PCRE2_JIT_COMPLETE) == 0;
	set->gate_first = first;
	set->gate_end = set->n;
}

void
hv_rules_add_defaults(struct hv_rules *set)
{
	size_t i, first = set->n;

	/* These are fixed strings, tested to compile (test-rules.c). */
	for (i = 0; i < HV_ARRAY_SIZE(default_bad_rules); i++)
		add_rule(set, HV_RULE_BAD, default_bad_rules[i], NULL, 0, 1,
			 NULL);
	if (!set->gate && set->n == first + HV_ARRAY_SIZE(default_bad_rules))
		make_gate(set, first);
}

static int
try_match(pcre2_code *code, int jit, const char *line, size_t len,
	  pcre2_match_data *md)
{
	/*
	 * rc 0 is a match too (more groups than the one pair we asked
	 * for); below 0 is no match, or a resource limit hit by a
	 * pathological pattern, which cannot decide a line.
	 */
	if (jit)
		return pcre2_jit_match(code, (PCRE2_SPTR)line, len, 0, 0, md,
				       NULL) >= 0;
	return pcre2_match(code, (PCRE2_SPTR)line, len, 0, 0, md, NULL) >= 0;
}

const char *const *
hv_rules_defaults(size_t *n)
{
	*n = HV_ARRAY_SIZE(default_bad_rules);
	return default_bad_rules;
}

struct hv_rules *
hv_rules_from_config(const struct hv_config *cfg, struct hv_error *err)
{
	struct hv_rules *set = hv_rules_new();
	size_t i;

	for (i = 0; i < cfg->nrules; i++) {
		const struct hv_config_rule *cr = &cfg->rules[i];

		if (hv_rules_add(set, cr->kind, cr->pattern, cfg->name,
				 cr->line, err) < 0) {
			hv_rules_free(set);
			return NULL;
		}
	}
	if (cfg->defaults)
		hv_rules_add_defaults(set);
	return set;
}

size_t
hv_rules_count(const struct hv_rules *set)
{
	return set->n;
}

enum hv_rule_kind
hv_rules_match(struct hv_rules *set, const char *line, size_t len,
	       struct hv_rule_match *m)
{
	size_t i;

	for (i = 0; i < set->n; i++) {
		struct rule *r = &set->rules[i];

		if (set->gate && i == set->gate_first &&
		    !try_match(set->gate, set->gate_jit, line, len, set->md)) {
			i = set->gate_end - 1;	/* none of them can match */
			continue;
		}
		if (!try_match(r->code, r->jit, line, len, set->md))
			continue;
		if (m) {
			PCRE2_SIZE *ov = pcre2_get_ovector_pointer(set->md);

			m->kind = r->kind;
			m->index = i;
			m->number = r->number;
			m->builtin = r->builtin;
			m->pattern = r->pattern;
			m->file = r->file;
			m->line = r->line;
			m->start = ov[0];
			m->end = ov[1] < ov[0] ? ov[0] : ov[1];	/* \K */
		}
		return r->kind;
	}
	if (m) {
		memset(m, 0, sizeof(*m));
		m->kind = HV_RULE_NONE;
	}
	return HV_RULE_NONE;
}

enum hv_rule_kind
hv_rules_exit_code(int code)
{
	if (code < 0 || code >= 128)
		return HV_RULE_NONE;
	if (code == 0)
		return HV_RULE_GOOD;
	return code == 125 ? HV_RULE_SKIP : HV_RULE_BAD;
}

void
hv_rule_match_describe(const struct hv_rule_match *m, struct strbuf *sb)
{
	const char *kind = hv_rule_kind_name(m->kind);

	if (m->kind == HV_RULE_NONE)
		sb_adds(sb, "no rule matched");
	else if (m->builtin)
		sb_addf(sb, "built-in rule %s '%s' matched", kind, m->pattern);
	else if (m->file)
		sb_addf(sb, "rule %s #%zu matched (%s:%d)", kind, m->number,
			m->file, m->line);
	else
		sb_addf(sb, "rule %s #%zu matched", kind, m->number);
}

/* The line assembler's escape-sequence states. */
enum esc_state {
	S_TEXT,
	S_ESC,		/* after ESC */
	S_ESC_INTER,	/* ESC then intermediates 0x20-0x2f: "ESC ( B" */
	S_CSI,		/* ESC [ params intermediates final */
	S_STRING,	/* OSC, DCS, SOS, PM, APC: up to BEL or ESC \ */
};

struct hv_lines {
	struct strbuf buf;
	size_t max;
	uint64_t dropped;
	uint64_t count;
	enum esc_state state;
};

struct hv_lines *
hv_lines_new(size_t max_line)
{
	struct hv_lines *l = xcalloc(1, sizeof(*l));

	l->max = max_line ? max_line : HV_LINE_MAX_DEFAULT;
	return l;
}

void
hv_lines_free(struct hv_lines *l)
{
	if (!l)
		return;
	sb_release(&l->buf);
	free(l);
}

/* Keep what fits under the cap, count the rest. */
static void
add_text(struct hv_lines *l, const char *s, size_t n)
{
	size_t room = l->buf.len < l->max ? l->max - l->buf.len : 0;

	if (n > room) {
		l->dropped += n - room;
		n = room;
	}
	if (n)
		sb_add(&l->buf, s, n);
}

static int
emit(struct hv_lines *l, hv_line_fn *fn, void *arg)
{
	struct hv_line_info info;
	int ret;

	info.number = ++l->count;
	info.dropped = l->dropped;
	sb_grow(&l->buf, 0);	/* a NUL-terminated buffer, even if empty */
	ret = fn(arg, l->buf.buf, l->buf.len, &info);
	sb_reset(&l->buf);
	l->dropped = 0;
	return ret;
}

/* What ends a run of text: C0 controls (ESC among them) and DEL. */
static int
is_special(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

int
hv_lines_feed(struct hv_lines *l, const void *data, size_t len,
	      hv_line_fn *fn, void *arg)
{
	const unsigned char *p = data, *end = p + len;

	while (p < end) {
		unsigned char c = *p;

		/*
		 * A newline ends the line in every state: a garbled or cut
		 * escape sequence must not swallow the lines after it.
		 */
		if (c == '\n') {
			int ret;

			l->state = S_TEXT;
			p++;
			ret = emit(l, fn, arg);
			if (ret)
				return ret;
			continue;
		}
		switch (l->state) {
		case S_TEXT:
			if (!is_special(c)) {
				const unsigned char *q = p + 1;

				while (q < end && !is_special(*q))
					q++;
				add_text(l, (const char *)p, (size_t)(q - p));
				p = q;
				continue;
			}
			if (c == 0x1b)
				l->state = S_ESC;
			else if (c == '\t')
				add_text(l, "\t", 1);
			/* \r, NUL, BEL, backspace...: not text. */
			break;
		case S_ESC:
			if (c == '[')
				l->state = S_CSI;
			else if (c == ']' || c == 'P' || c == 'X' || c == '^' ||
				 c == '_')
				l->state = S_STRING;
			else if (c >= 0x20 && c <= 0x2f)
				l->state = S_ESC_INTER;
			else if (c != 0x1b)
				l->state = S_TEXT;
			break;
		case S_ESC_INTER:
			if (c >= 0x30 && c <= 0x7e)
				l->state = S_TEXT;
			else if (c == 0x1b)
				l->state = S_ESC;
			else if (!(c >= 0x20 && c <= 0x2f) && !is_special(c))
				l->state = S_TEXT;
			break;
		case S_CSI:
			if (c >= 0x40 && c <= 0x7e)
				l->state = S_TEXT;
			else if (c == 0x1b)
				l->state = S_ESC;
			else if (c == 0x18 || c == 0x1a)	/* CAN, SUB */
				l->state = S_TEXT;
			else if (c >= 0x80)
				l->state = S_TEXT;	/* not a CSI after all */
			break;
		case S_STRING:
			if (c == 0x07)
				l->state = S_TEXT;
			else if (c == 0x1b)
				l->state = S_ESC;	/* ESC \ ends it */
			else if (c == 0x18 || c == 0x1a)
				l->state = S_TEXT;
			break;
		}
		p++;
	}
	return 0;
}

int
hv_lines_flush(struct hv_lines *l, hv_line_fn *fn, void *arg)
{
	l->state = S_TEXT;
	if (!l->buf.len && !l->dropped)
		return 0;
	return emit(l, fn, arg);
}

uint64_t
hv_lines_count(const struct hv_lines *l)
{
	return l->count;
}

size_t
hv_lines_pending(const struct hv_lines *l)
{
	return l->buf.len;
}
