/*
 * conf.h: the pipeline config (doc: DESIGN.md "Pipeline config",
 * halve.conf.5): an ini-like file with [build], [boot], [test] and
 * [verdict] sections, parsed into a struct hv_config.
 *
 * This module only reads and checks text. It does not compile the verdict
 * regexes (rules.h does), run anything, or decide where a session keeps its
 * copy of the file.
 *
 * The module is called "conf" and not "config" on purpose: src/config.h
 * would shadow autoconf's config.h for every file in src/, because
 * `#include "config.h"` searches the includer's own directory first.
 */
#ifndef HALVE_CONF_H
#define HALVE_CONF_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

/* What a failed build or a hung boot means for the commit under test. */
enum hv_action {
	HV_ACTION_SKIP,
	HV_ACTION_BAD,
	HV_ACTION_ABORT,	/* stop the run and ask the person */
};

/* What a verdict rule (or a match of one) says about the commit. */
enum hv_rule_kind {
	HV_RULE_NONE,		/* no rule matched */
	HV_RULE_GOOD,
	HV_RULE_BAD,
	HV_RULE_SKIP,
};
const char *hv_rule_kind_name(enum hv_rule_kind kind);

/*
 * Every key the file may hold, written once: (ID, section, key, type).
 * The types: SHELL a command (a `#` inside quotes is not a comment),
 * DURATION "90s"/"5m"/"1h30m" (0 means no limit), ACTION skip|bad|abort,
 * BOOL yes|no, COUNT a whole number from 1 to 64, RUNS a whole number
 * above 0, PROBABILITY strictly between 0 and 1, STEPS a number of
 * steps from 0 to 1, PATH a file name as written, RULE a verdict regex
 * (repeatable; order kept). Every key but a RULE may be set once per
 * file.
 */
#define HV_CONFIG_KEYS(X) \
	X(BUILD_COMMAND, "build", "command", SHELL) \
	X(BUILD_TIMEOUT, "build", "timeout", DURATION) \
	X(BUILD_FAILURE, "build", "failure", ACTION) \
	X(BUILD_LOCAL, "build", "local", SHELL) \
	X(BOOT_QEMU, "boot", "qemu", SHELL) \
	X(BOOT_TIMEOUT, "boot", "timeout", DURATION) \
	X(BOOT_SILENCE, "boot", "silence", DURATION) \
	X(BOOT_HANG, "boot", "hang", ACTION) \
	X(BOOT_SLOTS, "boot", "slots", COUNT) \
	X(TEST_COMMAND, "test", "command", SHELL) \
	X(TEST_TIMEOUT, "test", "timeout", DURATION) \
	X(VERDICT_GOOD, "verdict", "good", RULE) \
	X(VERDICT_BAD, "verdict", "bad", RULE) \
	X(VERDICT_SKIP, "verdict", "skip", RULE) \
	X(VERDICT_DEFAULTS, "verdict", "defaults", BOOL) \
	X(VERDICT_CONFIDENCE, "verdict", "confidence", PROBABILITY) \
	X(VERDICT_MAX_RUNS, "verdict", "max-runs", RUNS) \
	X(VERIFY_AFTER_RUN, "verify", "after-run", BOOL) \
	X(VERIFY_CONFIDENCE, "verify", "confidence", PROBABILITY) \
	X(BISECT_TOLERANCE, "bisect", "tolerance", STEPS) \
	X(BISECT_BUILD_DIR, "bisect", "build-dir", PATH)

enum hv_config_key {
#define HV_CONFIG_KEY_ENUM(id, section, key, type) HV_KEY_##id,
	HV_CONFIG_KEYS(HV_CONFIG_KEY_ENUM)
#undef HV_CONFIG_KEY_ENUM
	HV_CONFIG_NKEYS
};

/* One [verdict] line, in file order. */
struct hv_config_rule {
	enum hv_rule_kind kind;
	char *pattern;		/* owned; the regex as written */
	int line;		/* where it was written */
};

struct hv_config {
	char *name;		/* the file name used in messages (owned) */
	struct {
		char *command;		/* NULL: no build step */
		int64_t timeout_ms;	/* default 45m */
		enum hv_action failure;	/* default skip */
		char *local;		/* the same build on this machine
					 * alone, when command is distributed
					 * (buildpick.h); NULL: none */
	} build;
	struct {
		char *qemu;		/* NULL: no boot step */
		int64_t timeout_ms;	/* whole boot; default 5m */
		int64_t silence_ms;	/* no output this long is a hang; 2m */
		enum hv_action hang;	/* default skip */
		int slots;		/* boots of one commit at once; 1 */
	} boot;
	struct {
		char *command;		/* NULL: no host-side test */
		int64_t timeout_ms;	/* 0 (the default): no limit */
	} test;
	struct hv_config_rule *rules;	/* good/bad/skip in file order */
	size_t nrules, alloc_rules;
	int defaults;		/* [verdict] defaults: built-in bad rules on (1) */
	double confidence;	/* [verdict] confidence: weigh results; 0 off */
	uint32_t max_runs;	/* [verdict] max-runs: a weighed search's run
				 * budget; 0: one from the range */
	struct {
		int after_run;		/* verify the culprit a run finds */
		double confidence;	/* each check's; 0: the session's */
	} verify;
	struct {
		double tolerance;	/* expected steps a pick may give up
					 * for a cheaper rebuild; see
					 * hv_config_tolerance() */
		char *build_dir;	/* where the dependency files are; NULL:
					 * the work tree */
	} bisect;
	int line[HV_CONFIG_NKEYS];	/* line each key was set on; 0: default */
};

/*
 * The cost-aware choice's tolerance: [bisect] tolerance when set, else
 * HV_TOLERANCE_DEFAULT when the config builds something (a build leaves
 * the dependency files the cost is read from), else 0 (git's midpoint).
 */
#define HV_TOLERANCE_DEFAULT 0.05
double hv_config_tolerance(const struct hv_config *cfg);

/* Fills cfg with the defaults (no commands, no rules). */
void hv_config_init(struct hv_config *cfg);
void hv_config_free(struct hv_config *cfg);

/*
 * Parse text (named name in messages) into *cfg, which is initialised
 * here. On error, *cfg is left freed and err reads "NAME:LINE: what is
 * wrong". Returns 0 or -1.
 */
int hv_config_parse_string(const char *text, const char *name,
			   struct hv_config *cfg, struct hv_error *err);
int hv_config_parse_file(const char *path, struct hv_config *cfg,
			 struct hv_error *err);
/* Reads a config file's text (no NUL byte in it) into text (appended);
 * -1 with err "PATH: why". */
int hv_config_read(const char *path, struct strbuf *text,
		   struct hv_error *err);

/*
 * Find the config to use: explicit_path (--config) if given, which must
 * exist; else GIT_DIR/halve/config (git_dir may be NULL); else
 * $XDG_CONFIG_HOME/halve/config ($HOME/.config when unset or relative).
 * *path_out is a new string, or NULL when none exists. Returns 0 or -1.
 */
int hv_config_find(const char *explicit_path, const char *git_dir,
		   char **path_out, struct hv_error *err);

/*
 * Split a command line into a NULL-terminated argv the way /bin/sh would
 * for plain words: whitespace separates, '...' is literal, "..." allows
 * \" \\ \$ \` escapes, a backslash outside quotes escapes any character.
 * What would need a real shell ($, `, |, &, ;, <, >, (, ) unquoted, or $
 * and ` inside double quotes) is an error rather than passed on literally.
 * Returns argc (>= 1) with *argv_out owned by the caller (hv_argv_free),
 * or -1 with err saying what is wrong and at which offset.
 */
int hv_split_argv(const char *cmd, char ***argv_out, struct hv_error *err);

#endif
