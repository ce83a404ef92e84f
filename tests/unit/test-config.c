/*
 * test-config.c: the pipeline config parser (src/conf.h): the format of
 * DESIGN.md, every error with its line, the lookup order, argv splitting.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf.h"
#include "tap.h"

/* Parse text; returns the error message (static copy) or NULL. */
static char *
parse_error(const char *text)
{
	static char *last;
	struct hv_config cfg;
	struct hv_error err = HV_ERROR_INIT;

	free(last);
	last = NULL;
	if (hv_config_parse_string(text, "t.conf", &cfg, &err) == 0) {
		hv_config_free(&cfg);
		return NULL;
	}
	last = err.msg;
	return last;
}

static void
test_defaults(void)
{
	struct hv_config cfg;
	struct hv_error err = HV_ERROR_INIT;

	ok(hv_config_parse_string("", "empty", &cfg, &err) == 0, "empty config parses");
	is_int(cfg.build.timeout_ms, 45 * 60 * 1000, "build timeout defaults to 45m");
	is_int(cfg.build.failure, HV_ACTION_SKIP, "build failure defaults to skip");
	is_int(cfg.boot.timeout_ms, 5 * 60 * 1000, "boot timeout defaults to 5m");
	is_int(cfg.boot.silence_ms, 2 * 60 * 1000, "boot silence defaults to 2m");
	is_int(cfg.boot.hang, HV_ACTION_SKIP, "hang defaults to skip");
	is_int(cfg.test.timeout_ms, 0, "test timeout defaults to none");
	ok(!cfg.build.command && !cfg.boot.qemu && !cfg.test.command, "no commands by default");
	is_int(cfg.nrules, 0, "no rules by default");
	is_int(cfg.defaults, 1, "built-in rules on by default");
	hv_config_free(&cfg);
}

static const char design_example[] =
	"[build]\n"
	"command = make olddefconfig && make -j\"$(nproc)\" bzImage\n"
	"timeout = 45m\n"
	"failure = skip              # skip | bad | abort : what a failed build means\n"
	"\n"
	"[boot]\n"
	"qemu    = qemu-system-x86_64 -m 1G -machine accel=kvm:tcg\n"
	"          -kernel arch/x86/boot/bzImage -initrd initrd.img\n"
	"          -append \"console=ttyS0 panic=-1\"\n"
	"timeout = 5m                # whole boot, from start to verdict\n"
	"silence = 2m                # no console output this long: hung\n"
	"hang    = skip              # skip | bad | abort\n"
	"\n"
	"[test]\n"
	"command = ./check-on-host.sh   # optional host-side test after boot, exit codes as run\n"
	"\n"
	"[verdict]\n"
	"good = ^RESULT: OKAY\n"
	"bad  = ^RESULT: FAILED\n"
	"bad  = Kernel panic - |BUG: |Call Trace:\n"
	"skip = ^SKIP-THIS-ONE\n";

static void
test_design_example(void)
{
	struct hv_config cfg;
	struct hv_error err = HV_ERROR_INIT;
	char **argv;
	int argc;

	ok(hv_config_parse_string(design_example, "halve.conf", &cfg, &err) == 0,
	   "the DESIGN.md example parses");
	if (err.msg)
		printf("# %s\n", err.msg);
	is_str(cfg.build.command, "make olddefconfig && make -j\"$(nproc)\" bzImage",
	       "build command kept verbatim");
	is_int(cfg.build.timeout_ms, 45 * 60 * 1000, "build timeout 45m");
	is_str(cfg.boot.qemu,
	       "qemu-system-x86_64 -m 1G -machine accel=kvm:tcg "
	       "-kernel arch/x86/boot/bzImage -initrd initrd.img "
	       "-append \"console=ttyS0 panic=-1\"",
	       "continuation lines joined with single spaces");
	is_int(cfg.line[HV_KEY_BOOT_QEMU], 7, "qemu remembers the line it started on");
	is_int(cfg.boot.timeout_ms, 5 * 60 * 1000, "boot timeout with trailing comment");
	is_int(cfg.boot.silence_ms, 2 * 60 * 1000, "silence 2m");
	is_str(cfg.test.command, "./check-on-host.sh", "test command without its comment");
	is_int(cfg.nrules, 4, "four rules");
	is_int(cfg.rules[0].kind, HV_RULE_GOOD, "rule 1 is good");
	is_str(cfg.rules[0].pattern, "^RESULT: OKAY", "rule 1 pattern");
	is_int(cfg.rules[0].line, 18, "rule 1 line");
	is_int(cfg.rules[1].kind, HV_RULE_BAD, "rule 2 is bad");
	is_str(cfg.rules[2].pattern, "Kernel panic - |BUG: |Call Trace:", "rule 3 keeps its spaces");
	is_int(cfg.rules[2].line, 20, "rule 3 line");
	is_int(cfg.rules[3].kind, HV_RULE_SKIP, "rule 4 is skip");
	is_int(cfg.rules[3].line, 21, "rule 4 line");

	argc = hv_split_argv(cfg.boot.qemu, &argv, &err);
	is_int(argc, 11, "qemu command splits into 11 words");
	if (argc == 11) {
		is_str(argv[0], "qemu-system-x86_64", "argv[0]");
		is_str(argv[10], "console=ttyS0 panic=-1", "quoted -append is one word");
		ok(argv[11] == NULL, "argv is NULL-terminated");
	}
	hv_argv_free(argv);
	hv_config_free(&cfg);
}

static void
test_comments(void)
{
	struct hv_config cfg;
	struct hv_error err = HV_ERROR_INIT;
	const char *text =
		"# a comment at the top\n"
		"   # an indented comment, before any section\n"
		"[boot]   # header comment\n"
		"qemu = qemu -append \"console=ttyS0 # not a comment\" 'a # b'  # but this is\n"
		"    # an indented comment inside a continued value\n"
		"   -name x#y \\# z\n"
		"\n"
		"[verdict]\n"
		"bad = count#1 # comment\n"
		"bad = \\s#\n"
		"good = it's fine\n"
		"good = then # a comment after an apostrophe\n";

	ok(hv_config_parse_string(text, "c.conf", &cfg, &err) == 0, "comments parse");
	if (err.msg)
		printf("# %s\n", err.msg);
	is_str(cfg.boot.qemu,
	       "qemu -append \"console=ttyS0 # not a comment\" 'a # b' -name x#y \\# z",
	       "# inside quotes, inside a word or escaped stays; comment lines skipped");
	is_int(cfg.nrules, 4, "four rules");
	if (cfg.nrules == 4) {
		is_str(cfg.rules[0].pattern, "count#1", "# inside a word stays in a regex");
		is_str(cfg.rules[1].pattern, "\\s#", "# after a backslash escape stays");
		is_str(cfg.rules[2].pattern, "it's fine", "quotes mean nothing in a regex");
		is_str(cfg.rules[3].pattern, "then", "an apostrophe earlier does not hide a comment");
	}
	hv_config_free(&cfg);

	ok(hv_config_parse_string("[build]\r\ncommand = make\r\n  -j4\r\n", "crlf",
				  &cfg, &err) == 0, "CRLF line ends parse");
	is_str(cfg.build.command, "make -j4", "CR dropped from values");
	hv_config_free(&cfg);

	ok(hv_config_parse_string("[verdict]\ndefaults = no\nbad = x\n", "d", &cfg, &err) == 0,
	   "defaults = no parses");
	is_int(cfg.defaults, 0, "defaults off");
	hv_config_free(&cfg);
	ok(hv_config_parse_string("[verdict]\ndefaults = yes", "d", &cfg, &err) == 0,
	   "last line without newline");
	is_int(cfg.defaults, 1, "defaults on");
	hv_config_free(&cfg);
	ok(hv_config_parse_string("[build]\nfailure = abort\n[boot]\nhang = bad\nsilence = 15s\ntimeout = 1h30m\n",
				  "e", &cfg, &err) == 0, "enums and durations");
	is_int(cfg.build.failure, HV_ACTION_ABORT, "failure = abort");
	is_int(cfg.boot.hang, HV_ACTION_BAD, "hang = bad");
	is_int(cfg.boot.silence_ms, 15000, "silence = 15s");
	is_int(cfg.boot.timeout_ms, 90 * 60 * 1000, "timeout = 1h30m");
	hv_config_free(&cfg);
	hv_error_clear(&err);
}

static void
test_errors(void)
{
	is_str(parse_error("[build]\ncommand = make\n[bild]\n"),
	       "t.conf:3: unknown section [bild] (want build, boot, test, verdict or verify)",
	       "unknown section, with its line");
	is_str(parse_error("\n\n[boot]\nqemu = q\nsilent = 2m\n"),
	       "t.conf:5: unknown key 'silent' in [boot]", "unknown key");
	is_str(parse_error("[boot]\n# c\ntimeout = 5 minutes\n"),
	       "t.conf:3: bad duration '5 minutes' for timeout (write e.g. 90s, 5m, 1h30m)",
	       "bad duration");
	is_str(parse_error("[build]\ntimeout = 5x\n"),
	       "t.conf:2: bad duration '5x' for timeout (write e.g. 90s, 5m, 1h30m)",
	       "bad duration unit");
	is_str(parse_error("[build]\nfailure = maybe\n"),
	       "t.conf:2: bad value 'maybe' for failure (want skip, bad or abort)", "bad enum");
	is_str(parse_error("[boot]\nhang = retry # no\n"),
	       "t.conf:2: bad value 'retry' for hang (want skip, bad or abort)", "bad hang enum");
	is_str(parse_error("[verdict]\ndefaults = perhaps\n"),
	       "t.conf:2: bad value 'perhaps' for defaults (want yes or no)", "bad boolean");
	is_str(parse_error("# top\ncommand = make\n"),
	       "t.conf:2: key 'command' outside any section (start with e.g. [build])",
	       "key outside section");
	is_str(parse_error("[build]\n  -j4\n"),
	       "t.conf:2: indented line continues nothing (continuation lines follow a 'key = value')",
	       "continuation after a header");
	is_str(parse_error("  x = 1\n"),
	       "t.conf:1: indented line continues nothing (continuation lines follow a 'key = value')",
	       "continuation at the top");
	is_str(parse_error("[build]\njust words\n"),
	       "t.conf:2: expected 'key = value' or '[section]'", "line without =");
	is_str(parse_error("[build]\n= make\n"),
	       "t.conf:2: expected 'key = value' or '[section]'", "empty key");
	is_str(parse_error("[build\n"),
	       "t.conf:1: bad section header (no closing ']')", "unclosed header");
	is_str(parse_error("[build] junk\n"),
	       "t.conf:1: unexpected text after ']'", "text after header");
	is_str(parse_error("[build]\ncommand =   # nothing\n"),
	       "t.conf:2: command has no value", "empty value");
	is_str(parse_error("[boot]\ntimeout = 1m\nsilence = 1m\ntimeout = 2m\n"),
	       "t.conf:4: timeout set twice in [boot] (first on line 2)", "duplicate key");
	is_str(parse_error("[boot]\nqemu = qemu -append \"console=ttyS0\n  -m 1G\n[verdict]\n"),
	       "t.conf:2: qemu: unbalanced double quote", "unbalanced quote in a command");
	ok(parse_error("[verdict]\nbad = a\nbad = b\ngood = a\n") == NULL,
	   "rule keys may repeat");
	ok(parse_error("[build]\ncommand = make\n[build]\ntimeout = 1m\n") == NULL,
	   "a section may be reopened");
}

static void
test_files(void)
{
	char dir[] = "/tmp/halve-test-config-XXXXXX";
	struct hv_config cfg;
	struct hv_error err = HV_ERROR_INIT;
	char *path, *found, *sub;
	FILE *f;

	ok(mkdtemp(dir) != NULL, "temporary directory");
	path = xasprintf("%s/nope", dir);
	ok(hv_config_parse_file(path, &cfg, &err) < 0, "missing file fails");
	ok(err.msg && strstr(err.msg, "No such file or directory") &&
	   !strncmp(err.msg, path, strlen(path)), "error names the file and why");
	free(path);

	sub = xasprintf("%s/git/halve", dir);
	hv_mkdir_p(sub, NULL);
	path = xasprintf("%s/config", sub);
	f = fopen(path, "w");
	fputs("[boot]\nsilence = 10s\nhang = nope\n", f);
	fclose(f);
	ok(hv_config_parse_file(path, &cfg, &err) < 0, "file with an error fails");
	ok(err.msg && strstr(err.msg, "/git/halve/config:3: bad value 'nope'"),
	   "file errors carry path and line");
	f = fopen(path, "w");
	fputs("[boot]\nsilence = 10s\n", f);
	fclose(f);
	ok(hv_config_parse_file(path, &cfg, &err) == 0, "file parses");
	is_int(cfg.boot.silence_ms, 10000, "value from the file");
	is_str(cfg.name, path, "config knows its file name");
	hv_config_free(&cfg);

	/* Lookup order: --config, GIT_DIR/halve/config, XDG, ~/.config. */
	free(sub);
	sub = xasprintf("%s/git", dir);
	ok(hv_config_find("/nonexistent/halve.conf", sub, &found, &err) < 0,
	   "--config naming a missing file is an error");
	ok(hv_config_find(path, NULL, &found, &err) == 0 && found &&
	   !strcmp(found, path), "--config wins");
	free(found);
	ok(hv_config_find(NULL, sub, &found, &err) == 0 && found &&
	   !strcmp(found, path), "GIT_DIR/halve/config next");
	free(found);

	free(sub);
	sub = xasprintf("%s/xdg/halve", dir);
	hv_mkdir_p(sub, NULL);
	free(sub);
	sub = xasprintf("%s/xdg/halve/config", dir);
	fclose(fopen(sub, "w"));
	free(sub);
	sub = xasprintf("%s/xdg", dir);
	setenv("XDG_CONFIG_HOME", sub, 1);
	free(sub);
	sub = xasprintf("%s/empty-git", dir);
	ok(hv_config_find(NULL, sub, &found, &err) == 0 && found &&
	   strstr(found, "/xdg/halve/config"), "then $XDG_CONFIG_HOME/halve/config");
	free(found);

	setenv("XDG_CONFIG_HOME", "relative/ignored", 1);
	free(sub);
	sub = xasprintf("%s/home/.config/halve", dir);
	hv_mkdir_p(sub, NULL);
	free(sub);
	sub = xasprintf("%s/home/.config/halve/config", dir);
	fclose(fopen(sub, "w"));
	free(sub);
	sub = xasprintf("%s/home", dir);
	setenv("HOME", sub, 1);
	ok(hv_config_find(NULL, NULL, &found, &err) == 0 && found &&
	   strstr(found, "/home/.config/halve/config"),
	   "then ~/.config/halve/config (a relative XDG_CONFIG_HOME is ignored)");
	free(found);
	setenv("HOME", dir, 1);
	ok(hv_config_find(NULL, NULL, &found, &err) == 0 && found == NULL,
	   "no config anywhere: NULL, not an error");

	free(sub);
	free(path);
	hv_error_clear(&err);
	hv_remove_tree(dir);
}

/* Split cmd and join the words with '|' for comparison, or the error. */
static char *
split(const char *cmd)
{
	static char *last;
	struct hv_error err = HV_ERROR_INIT;
	struct strbuf sb = STRBUF_INIT;
	char **argv;
	int i, argc;

	free(last);
	argc = hv_split_argv(cmd, &argv, &err);
	if (argc < 0) {
		sb_addf(&sb, "error: %s", err.msg);
		hv_error_clear(&err);
	}
	for (i = 0; i < argc; i++) {
		if (i)
			sb_addc(&sb, '|');
		sb_adds(&sb, argv[i]);
	}
	hv_argv_free(argv);
	last = sb_detach(&sb);
	return last;
}

static void
test_split(void)
{
	is_str(split("qemu  -m 1G\t-smp 2"), "qemu|-m|1G|-smp|2", "whitespace separates");
	is_str(split("a 'b c' \"d e\" f\\ g"), "a|b c|d e|f g", "quotes and backslash");
	is_str(split("x'a'\"b\"c"), "xabc", "adjacent quoted parts make one word");
	is_str(split("'' x"), "|x", "empty quotes give an empty word");
	is_str(split("'a\\b' \"a\\\"b\\\\c\\d\""), "a\\b|a\"b\\c\\d",
	       "backslash literal in single quotes, escapes only \\\" \\\\ \\$ \\` in double");
	is_str(split("a 'b"), "error: unbalanced single quote at offset 2", "unbalanced single quote");
	is_str(split("a \"b c"), "error: unbalanced double quote at offset 2", "unbalanced double quote");
	is_str(split("a b\\"), "error: trailing backslash at offset 3", "trailing backslash");
	is_str(split("qemu -m $MEM"),
	       "error: '$' at offset 8 needs a shell, and halve runs this command without one (quote it to mean it literally)",
	       "unquoted $ refused");
	is_str(split("qemu \"-append=$X\""),
	       "error: '$' at offset 14 needs a shell, and halve runs this command without one",
	       "$ in double quotes refused");
	is_str(split("qemu | tee"),
	       "error: '|' at offset 5 needs a shell, and halve runs this command without one (quote it to mean it literally)",
	       "pipe refused");
	ok(!strncmp(split("qemu -kernel ~/bzImage"), "error: '~' at offset 13", 23), "leading ~ refused");
	is_str(split("qemu '$X' a~b"), "qemu|$X|a~b", "quoted $ and inner ~ are literal");
	is_str(split("   "), "error: empty command", "empty command");
}

int
main(void)
{
	test_defaults();
	test_design_example();
	test_comments();
	test_errors();
	test_files();
	test_split();
	return done_testing();
}
