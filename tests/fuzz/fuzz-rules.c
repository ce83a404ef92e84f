/*
 * fuzz-rules.c: the console line assembler and the verdict rules
 * (src/rules.c) on any console bytes. The first byte picks the line cap
 * (small ones make the cut-off path common) and the second the chunk
 * sizes the bytes are fed in, as a pty would split them; every line handed
 * out is matched against a user's rules and the built-in ones. A line
 * must be NUL-terminated at its length, within the cap, and free of the
 * bytes the assembler promises to remove.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "rules.h"

struct fuzz_lines {
	struct hv_rules *rules;
	size_t cap;
	struct strbuf why;
};

static int
on_line(void *arg, const char *line, size_t len, const struct hv_line_info *info)
{
	struct fuzz_lines *f = arg;
	struct hv_rule_match m;
	size_t i;

	if (line[len] != '\0' || len > f->cap || info->number == 0)
		abort();
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)line[i];

		if ((c < 0x20 && c != '\t') || c == 0x7f)
			abort();	/* controls and escapes are stripped */
	}
	if (hv_rules_match(f->rules, line, len, &m) != HV_RULE_NONE) {
		if (m.start > m.end || m.end > len)
			abort();
		sb_reset(&f->why);
		hv_rule_match_describe(&m, &f->why);
	}
	return 0;
}

static const char *const user_rules[][2] = {
	{ "good", "^RESULT: OK$" },
	{ "bad", "(?i)segfault at [0-9a-f]+" },
	{ "skip", "^SKIP-THIS-ONE" },
};

static struct hv_rules *rules;	/* kept for the process */

static struct hv_rules *
rules_new(void)
{
	struct hv_error err = HV_ERROR_INIT;
	struct hv_rules *set = hv_rules_new();
	enum hv_rule_kind kind[] = { HV_RULE_GOOD, HV_RULE_BAD, HV_RULE_SKIP };
	size_t i;

	for (i = 0; i < sizeof(user_rules) / sizeof(user_rules[0]); i++)
		if (hv_rules_add(set, kind[i], user_rules[i][1], "fuzz.conf",
				 (int)i + 1, &err) < 0)
			abort();
	hv_rules_add_defaults(set);
	return set;
}

int
FUZZ_TARGET(rules)(const uint8_t *data, size_t size)
{
	struct fuzz_lines f = { .why = STRBUF_INIT };
	struct hv_lines *lines;
	size_t off = 2, chunk, step;

	if (size < 2)
		return 0;
	f.cap = data[0] ? data[0] : HV_LINE_MAX_DEFAULT;
	step = data[1] ? data[1] : size;
	/* compiled once: JIT-compiling the rules per input cost 4/5 of the time */
	if (!rules)
		rules = rules_new();
	f.rules = rules;
	lines = hv_lines_new(f.cap);
	while (off < size) {
		chunk = size - off < step ? size - off : step;
		if (hv_lines_feed(lines, data + off, chunk, on_line, &f) != 0)
			abort();
		if (hv_lines_pending(lines) > f.cap)
			abort();	/* the partial line stays bounded */
		off += chunk;
		/* vary the chunk size as a pty does */
		step = data[off % size] % 97 + 1;
	}
	hv_lines_flush(lines, on_line, &f);
	hv_lines_free(lines);
	sb_release(&f.why);
	return 0;
}
