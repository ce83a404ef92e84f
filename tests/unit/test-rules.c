/*
 * test-rules.c: verdict rules (src/rules.h): the built-in defaults, the
 * user's rules first, regex errors, and the line assembler fed the way a
 * pty feeds it: arbitrary chunks, \r\n, escapes, NULs, endless lines.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "rules.h"
#include "tap.h"

static enum hv_rule_kind
match(struct hv_rules *set, const char *line)
{
	return hv_rules_match(set, line, strlen(line), NULL);
}

static void
test_defaults(void)
{
	struct hv_rules *set = hv_rules_new();
	const char *const *defaults;
	size_t n, i;
	static const char *const bad_lines[] = {
		"[    2.345678] Kernel panic - not syncing: VFS: Unable to mount root fs",
		"[    1.000000] BUG: kernel NULL pointer dereference, address: 0000000000000008",
		"[   22.1] watchdog: BUG: soft lockup - CPU#0 stuck for 22s! [swapper/0:1]",
		"[    3.1] kernel BUG at mm/slub.c:4123!",
		"[    3.2] general protection fault, probably for non-canonical address 0xdead: 0000 [#1] PREEMPT SMP",
		"[    3.2] general protection fault: 0000 [#1] SMP",
		"[    3.3] Oops: 0002 [#1] PREEMPT SMP NOPTI",
		"[    3.4] Unable to handle kernel NULL pointer dereference at virtual address 0000000000000000",
		"[    3.5] Internal error: Oops: 0000000096000005 [#1] PREEMPT SMP",
		"[    3.6] BUG: KASAN: slab-out-of-bounds in foo+0x12/0x34",
		"[    3.7] UBSAN: array-index-out-of-bounds in drivers/x.c:12:3",
		"[    3.8] PANIC: double fault, error_code: 0x0",
		"[    3.9] divide error: 0000 [#1] SMP",
		"[    4.0] invalid opcode: 0000 [#1] PREEMPT SMP",
		"[    4.1] WARNING: CPU: 0 PID: 1 at kernel/locking/lockdep.c:4000 lock_acquire+0x1/0x2",
		"[  245.1] INFO: task kworker/0:1:42 blocked for more than 120 seconds.",
		"[   60.0] rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:",
		"[   60.0] rcu: INFO: rcu_sched self-detected stall on CPU",
		"[   61.0] NMI watchdog: Watchdog detected hard LOCKUP on cpu 1",
		"[    4.2] Call Trace:",
		"[    4.3] Call trace:",
	};
	static const char *const harmless[] = {
		"[    0.000000] Linux version 6.1.0-13-cloud-amd64",
		"DEBUG: BUG: is what we look for",	/* matches: see below */
		"DEBUG: nothing here",
		"traps: a.out[123] general protection fault ip:401136 sp:7ffd error:0 in a.out",
		"traps: a.out[124] trap divide error ip:401136 sp:7ffd error:0 in a.out",
		"RESULT: OKAY",
		"",
	};

	defaults = hv_rules_defaults(&n);
	hv_rules_add_defaults(set);
	is_int(hv_rules_count(set), n, "every built-in rule compiles");
	for (i = 0; i < n; i++)
		ok(defaults[i] && *defaults[i], "default %zu: %s", i + 1, defaults[i]);
	for (i = 0; i < HV_ARRAY_SIZE(bad_lines); i++)
		is_int(match(set, bad_lines[i]), HV_RULE_BAD, "bad: %s", bad_lines[i]);
	is_int(match(set, harmless[1]), HV_RULE_BAD, "BUG: after a space still counts");
	for (i = 0; i < HV_ARRAY_SIZE(harmless); i++) {
		if (i == 1)
			continue;
		is_int(match(set, harmless[i]), HV_RULE_NONE, "none: '%s'", harmless[i]);
	}
	hv_rules_free(set);
}

static struct hv_rules *
rules_from(const char *text, struct hv_error *err)
{
	struct hv_config cfg;
	struct hv_rules *set;

	if (hv_config_parse_string(text, "t.conf", &cfg, err) < 0)
		return NULL;
	set = hv_rules_from_config(&cfg, err);
	hv_config_free(&cfg);
	return set;
}

static void
test_user_rules(void)
{
	struct hv_error err = HV_ERROR_INIT;
	struct hv_rules *set;
	struct hv_rule_match m;
	struct strbuf sb = STRBUF_INIT;
	const char *line;

	set = rules_from("[verdict]\n"
			 "good = ^RESULT: OKAY\n"
			 "bad  = ^RESULT: FAILED\n"
			 "skip = ^SKIP-THIS-ONE\n"
			 "bad  = (?i)oh no\n"
			 "good = Call Trace: \\(expected\\)\n", &err);
	ok(set != NULL, "rules from config compile");
	if (!set) {
		printf("# %s\n", err.msg);
		return;
	}
	is_int(match(set, "RESULT: OKAY"), HV_RULE_GOOD, "good rule");
	is_int(match(set, " RESULT: OKAY"), HV_RULE_NONE, "^ anchors at the line start");
	is_int(match(set, "RESULT: FAILED (3 of 7)"), HV_RULE_BAD, "bad rule");
	is_int(match(set, "SKIP-THIS-ONE"), HV_RULE_SKIP, "skip rule");
	is_int(match(set, "OH NO"), HV_RULE_BAD, "(?i) works in a rule");

	line = "[ 9.1] Call Trace: (expected)";
	is_int(hv_rules_match(set, line, strlen(line), &m), HV_RULE_GOOD,
	       "a user rule wins over the built-in Call Trace:");
	is_int(m.index, 4, "it is the fifth rule");
	is_int(m.number, 2, "and the second good one");
	is_int(m.line, 6, "written on line 6");
	ok(!m.builtin, "not built in");
	is_int(m.start, 7, "match start");
	is_int(m.end, strlen(line), "match end");

	line = "[ 9.2] Call Trace:";
	is_int(hv_rules_match(set, line, strlen(line), &m), HV_RULE_BAD,
	       "the defaults follow the user's rules");
	ok(m.builtin && m.line == 0 && m.file == NULL, "reported as built in");
	hv_rule_match_describe(&m, &sb);
	is_str(sb.buf, "built-in rule bad 'Call [Tt]race:' matched", "describe a built-in");
	sb_reset(&sb);

	line = "RESULT: FAILED";
	hv_rules_match(set, line, strlen(line), &m);
	hv_rule_match_describe(&m, &sb);
	is_str(sb.buf, "rule bad #1 matched (t.conf:3)", "describe a user rule");
	sb_reset(&sb);
	line = "oh no!";
	hv_rules_match(set, line, strlen(line), &m);
	hv_rule_match_describe(&m, &sb);
	is_str(sb.buf, "rule bad #2 matched (t.conf:5)", "bad #2 is numbered among bad rules");
	sb_release(&sb);

	is_int(hv_rules_match(set, "RESULT: OKAY\0junk", 17, &m), HV_RULE_GOOD,
	       "lines are matched by length: a NUL does not end them");
	is_int(hv_rules_match(set, "xxRESULT: OKAY", 2, &m), HV_RULE_NONE,
	       "nothing past the length is looked at");
	is_int(m.kind, HV_RULE_NONE, "no match reported as none");
	hv_rules_free(set);

	set = rules_from("[verdict]\ndefaults = no\ngood = ^ok$\n", &err);
	ok(set && hv_rules_count(set) == 1, "defaults = no: only the user's rule");
	is_int(match(set, "Kernel panic - not syncing"), HV_RULE_NONE, "no built-in rules");
	is_int(match(set, "ok"), HV_RULE_GOOD, "$ anchors at the line end");
	hv_rules_free(set);
	hv_error_clear(&err);
}

static void
test_bad_regex(void)
{
	struct hv_error err = HV_ERROR_INIT;
	struct hv_rules *set;

	set = rules_from("[verdict]\ngood = ^ok\n\nbad = foo(bar\n", &err);
	ok(set == NULL, "an invalid regex fails the set");
	is_str(err.msg, "t.conf:4: bad regex 'foo(bar': missing closing parenthesis at offset 7",
	       "error names file, line, pcre2's message and the offset");
	set = rules_from("[verdict]\nskip = a{2,1}\n", &err);
	ok(set == NULL && err.msg && strstr(err.msg, "t.conf:2: bad regex 'a{2,1}': ") &&
	   strstr(err.msg, "at offset 5"), "quantifier out of order: %s", err.msg);
	set = rules_from("[verdict]\nbad = (*UTF)x\n", &err);
	ok(set == NULL && err.msg && strstr(err.msg, "t.conf:2: bad regex '(*UTF)x'"),
	   "UTF cannot be switched on: console bytes are not UTF-8");
	set = hv_rules_new();
	ok(hv_rules_add(set, HV_RULE_BAD, "[", NULL, 0, &err) < 0, "'[' is refused");
	ok(err.msg && !strncmp(err.msg, "bad regex '[': ", 15), "a rule without a file: %s", err.msg);
	is_int(hv_rules_count(set), 0, "nothing added on error");
	hv_rules_free(set);
	hv_error_clear(&err);
}

/* Collects the lines the assembler hands out. */
struct collected {
	struct strbuf text;	/* lines joined with '|' */
	uint64_t last_number;
	uint64_t dropped;
	size_t max_len;
	int count;
	int stop_at;		/* stop feeding after this many lines */
};

static int
collect(void *arg, const char *line, size_t len, const struct hv_line_info *info)
{
	struct collected *c = arg;

	if (c->count++)
		sb_addc(&c->text, '|');
	sb_add(&c->text, line, len);
	c->last_number = info->number;
	c->dropped += info->dropped;
	if (len > c->max_len)
		c->max_len = len;
	if (line[len] != '\0')
		sb_adds(&c->text, "<not NUL-terminated>");
	return c->stop_at && c->count == c->stop_at ? 42 : 0;
}

/* Feed s in chunks of chunk bytes (0: all at once), flush, return lines. */
static char *
assemble(const char *s, size_t len, size_t chunk)
{
	struct hv_lines *l = hv_lines_new(0);
	struct collected c = { STRBUF_INIT, 0, 0, 0, 0, 0 };
	size_t off;

	if (!chunk)
		chunk = len ? len : 1;
	for (off = 0; off < len; off += chunk)
		hv_lines_feed(l, s + off, len - off < chunk ? len - off : chunk,
			      collect, &c);
	hv_lines_flush(l, collect, &c);
	hv_lines_free(l);
	return sb_detach(&c.text);
}

static void
check_assembly(const char *what, const char *s, size_t len, const char *want)
{
	size_t chunks[] = { 0, 1, 2, 3, 7 };
	size_t i;

	for (i = 0; i < HV_ARRAY_SIZE(chunks); i++) {
		char *got = assemble(s, len, chunks[i]);

		is_str(got, want, "%s (chunks of %zu)", what, chunks[i]);
		free(got);
	}
}

#define CHECK(what, lit, want) check_assembly(what, lit, sizeof(lit) - 1, want)

static void
test_lines(void)
{
	struct hv_lines *l;
	struct collected c = { STRBUF_INIT, 0, 0, 0, 0, 0 };
	size_t mb = 5 * 1024 * 1024, off, peak = 0;
	char *chunk;

	CHECK("plain lines", "one\ntwo\nthree\n", "one|two|three");
	CHECK("\\r\\n line ends", "one\r\ntwo\r\n\r\n", "one|two|");
	CHECK("last line without newline comes at flush", "a\nb", "a|b");
	CHECK("colours stripped", "\x1b[1;31mRESULT: \x1b[0mFAILED\x1b[m\n", "RESULT: FAILED");
	CHECK("cursor moves and erase stripped", "(qemu) \x1b[K\x1b[D\x1b[D\x1b[?25lx\n", "(qemu) x");
	CHECK("OSC title to BEL stripped", "\x1b]0;title here\x07text\n", "text");
	CHECK("OSC title to ST stripped", "\x1b]2;t\x1b\\more\n", "more");
	CHECK("charset selection stripped", "\x1b(Bplain\x1b)0\n", "plain");
	CHECK("keypad mode stripped", "\x1b=a\x1b>b\n", "ab");
	CHECK("NUL and controls stripped, tab kept", "a\0b\a\bc\td\x7f\n", "abc\td");
	CHECK("a newline ends even a cut escape", "x\x1b[12\ny\n", "x|y");
	CHECK("a newline ends an unterminated OSC", "x\x1b]0;never ends\ny\n", "x|y");
	CHECK("bytes above 0x7f pass", "caf\xc3\xa9 \xff\n", "caf\xc3\xa9 \xff");

	/* Line numbers and stopping. */
	l = hv_lines_new(0);
	c.stop_at = 2;
	is_int(hv_lines_feed(l, "a\nb\nc\n", 6, collect, &c), 42,
	       "the callback's value stops the feed");
	is_str(c.text.buf, "a|b", "lines after the stop are not handed out");
	c.stop_at = 0;
	hv_lines_feed(l, "d\ne", 3, collect, &c);
	is_int(c.last_number, 3, "line numbers count every newline handed out");
	is_int(hv_lines_count(l), 3, "three lines so far");
	is_int(hv_lines_pending(l), 1, "one byte waiting");
	hv_lines_flush(l, collect, &c);
	is_int(c.last_number, 4, "the flushed line has the next number");
	hv_lines_free(l);
	sb_release(&c.text);

	/* 5 MB without a newline, in 64 KiB chunks: memory stays at the cap. */
	memset(&c, 0, sizeof(c));
	l = hv_lines_new(64 * 1024);
	chunk = xmalloc(65536);
	memset(chunk, 'x', 65536);
	memcpy(chunk, "\x1b[1mBEGIN", 9);
	for (off = 0; off < mb; off += 65536) {
		hv_lines_feed(l, chunk, 65536, collect, &c);
		if (hv_lines_pending(l) > peak)
			peak = hv_lines_pending(l);
	}
	is_int(c.count, 0, "no line before the newline");
	is_int(peak, 64 * 1024, "the partial line never holds more than the cap");
	hv_lines_feed(l, "\r\nnext\n", 7, collect, &c);
	is_int(c.count, 2, "the long line and the next one");
	is_int(c.max_len, 64 * 1024, "the long line is cut at the cap");
	ok(!strncmp(c.text.buf, "BEGINxxx", 8), "its head is kept, escapes stripped");
	/* 80 chunks, each with a 4-byte escape that is not text. */
	is_int(c.dropped, mb / 65536 * (65536 - 4) - 64 * 1024,
	       "the rest is counted as dropped");
	ok(!strcmp(c.text.buf + c.text.len - 5, "|next"), "the line after it is whole");
	free(chunk);
	hv_lines_free(l);
	sb_release(&c.text);
}

int
main(void)
{
	test_defaults();
	test_user_rules();
	test_bad_regex();
	test_lines();
	return done_testing();
}
