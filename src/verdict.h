/*
 * verdict.h: the one owner of .git/halve/steps/<sha>/verdict, the file
 * that says why the pipeline gave a commit its verdict. The pipeline
 * writes it, the workstation's graph reads it back, a resumed run reads
 * the verdict a killed one wrote but did not mark; nobody else parses it.
 *
 * The format (halve(1), FILES): "key value" lines, in this order, the
 * optional ones only when set:
 *
 *   commit <40-hex>            the commit the verdict is about
 *   verdict good|bad|skip|abort
 *   reason <text>              "rule bad #1 matched", "build failed (exit 2)"
 *   rule <pattern>             the verdict rule that decided
 *   line <text>                the console line it matched
 *   lineno <n>                 that line's number in console.log, 1-based
 *   exit <n>                   the build's or the test's exit code
 *   build-ms, boot-ms, test-ms <n>   how long each stage ran
 *
 * A value is one line: a newline inside one is written as a space.
 * Readers ignore keys they do not know (a newer halve may add some) and
 * refuse anything else they cannot read, naming the file and the line.
 */
#ifndef HALVE_VERDICT_H
#define HALVE_VERDICT_H

#include <stdint.h>

#include "conf.h"
#include "repo.h"
#include "session.h"

/* Why a commit got its verdict: what the verdict file holds. */
struct hv_verdict {
	enum hv_rule_kind kind;	/* GOOD, BAD, SKIP; NONE when aborting */
	int abort;		/* stop the run: the reason says why */
	char *reason;		/* "rule bad #1 matched", "build failed (exit 2)" */
	char *rule;		/* the pattern that decided, or NULL */
	char *line;		/* the console line that decided, or NULL */
	uint64_t lineno;	/* its number in the console, 1-based; 0 none */
	int exit_code;		/* build or test exit code; -1 none */
	int64_t build_ms, boot_ms, test_ms;	/* -1: stage not run */
};

/* An empty verdict: nothing decided, no exit code, no stage run. */
void hv_verdict_init(struct hv_verdict *v);
/* Frees the strings; v is empty (hv_verdict_init) afterwards. */
void hv_verdict_release(struct hv_verdict *v);

/* The first decision stands: unless *decided, v gets kind, abort and
 * reason (taken over; freed when it comes too late), and *decided is set. */
void hv_verdict_decide(struct hv_verdict *v, int *decided,
		       enum hv_rule_kind kind, int abort, char *reason);

/* The mark a verdict makes: good the old term, bad the new one, skip
 * skip (for the pipeline and for halve run CMD's exit codes). */
enum hv_term_kind hv_verdict_term(enum hv_rule_kind kind);

/* .git/halve/steps/<sha>/verdict; malloc'd. */
char *hv_verdict_path(const struct hv_repo *repo, const struct hv_oid *commit);

/* Writes commit's verdict file (aside, then renamed); its step
 * directory must exist. */
int hv_verdict_write(const struct hv_repo *repo, const struct hv_oid *commit,
		     const struct hv_verdict *v, struct hv_error *err);
/* The same in another run's directory (a repeat on a boot slot). */
int hv_verdict_write_in(const char *step_dir, const struct hv_oid *commit,
			const struct hv_verdict *v, struct hv_error *err);

/*
 * Reads commit's verdict file into v (released first). 1 when read,
 * 0 when there is none (v empty), -1 when it cannot be read or is
 * malformed: err says "FILE:LINE: why" (v empty).
 */
int hv_verdict_read(const struct hv_repo *repo, const struct hv_oid *commit,
		    struct hv_verdict *v, struct hv_error *err);

#endif
