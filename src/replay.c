/*
 * replay.c: replaying a bisect log (`halve replay`, as `git bisect
 * replay`) and undoing the last mark, which is replaying the log without
 * it. The whole log is read and checked before anything is written, and
 * the replay runs inside the journal (frames.c): one that fails part way
 * leaves the session exactly as it was.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sessionint.h"

/* Is word one of the mark verbs a log with these terms may use? */
static int
mark_verb(const char *word, const char *bad, const char *good)
{
	if (!strcmp(word, "skip") || !strcmp(word, bad) || !strcmp(word, good))
		return 1;
	/* without custom terms, git takes old/new as well */
	return !strcmp(bad, "bad") &&
	       (!strcmp(word, "new") || !strcmp(word, "old"));
}

/* Checks the whole log: every line a bisect command with known revisions. */
static int
replay_check(struct hv_session *s, const struct hv_log *log, const char *name,
	     struct hv_error *err)
{
	char *bad = xstrdup("bad"), *good = xstrdup("good");
	int started = 0, rc = -1;
	size_t i, k;

	for (i = 0; i < log->n; i++) {
		const struct hv_log_line *l = &log->lines[i];
		const char *text;
		struct hv_oid oid;

		if (l->kind != HV_LOG_COMMAND && l->kind != HV_LOG_OTHER)
			continue;
		if (l->kind == HV_LOG_OTHER) {
			hv_error_set(err, "replay: %s:%d: not a bisect command",
				     name, l->lineno);
			goto out;
		}
		if (!l->argv) {
			hv_error_set(err, "replay: %s:%d: malformed quoting",
				     name, l->lineno);
			goto out;
		}
		text = l->argv[0];
		if (!strcmp(text, "start")) {
			struct hv_start_opts o;

			if (hv_start_opts_parse(l->argv + 1, l->argc - 1, &o,
						err) < 0) {
				char *m = xstrdup(err && err->msg ? err->msg : "");

				hv_error_set(err, "replay: %s:%d: %s", name,
					     l->lineno, m);
				free(m);
				goto out;
			}
			free(bad);
			free(good);
			bad = xstrdup(o.term_new ? o.term_new : "bad");
			good = xstrdup(o.term_old ? o.term_old : "good");
			hv_start_opts_release(&o);
			started = 1;
			continue;
		}
		if (!strcmp(text, "terms"))
			continue;
		if (!mark_verb(text, bad, good)) {
			hv_error_set(err, "replay: %s:%d: unknown command '%s'",
				     name, l->lineno, text);
			goto out;
		}
		if (!started) {
			hv_error_set(err, "replay: %s:%d: '%s' before 'start'",
				     name, l->lineno, text);
			goto out;
		}
		for (k = 1; k < l->argc; k++)
			if (hv_repo_resolve(s->repo, l->argv[k], &oid, NULL) < 0) {
				hv_error_set(err, "replay: %s:%d: %s: unknown "
					     "revision", name, l->lineno,
					     l->argv[k]);
				goto out;
			}
	}
	if (!started) {
		hv_error_set(err, "replay: %s: no 'git bisect start' line", name);
		goto out;
	}
	rc = 0;
out:
	free(bad);
	free(good);
	return rc;
}

/* Runs the log's commands against the session; nothing checked out. */
static int
replay_run(struct hv_session *s, const struct hv_log *log, const char *name,
	   struct hv_error *err)
{
	size_t i;
	int rc = 0, answer = 0;

	s->replaying = 1;
	for (i = 0; i < log->n && rc == 0; i++) {
		const struct hv_log_line *l = &log->lines[i];
		struct hv_step st;
		enum hv_term_kind kind;

		memset(&st, 0, sizeof(st));
		/* --confidence: its target and its results come back; the
		 * marks that stated an answer did not observe anything, and
		 * the answer is stated again when it is reached again */
		if (l->kind == HV_LOG_ANSWER)
			answer = 1;
		if (l->kind == HV_LOG_CONFIDENCE) {
			hv_log_add_confidence(&s->st.log, l->confidence);
			rc = hv_state_write_log(s->repo, &s->st, err);
			continue;
		}
		if (l->kind == HV_LOG_OBSERVED) {
			answer = 0;
			if (hv_session_term(s, l->term, &kind, err) < 0 ||
			    kind == HV_TERM_SKIP)
				rc = hv_error_set(err, "%s: not a result", l->term);
			else
				rc = confidence_observe(s, l->term, &l->oid, 1,
							l->when, err);
			if (rc == 0)
				rc = hv_session_reload(s, err) < 0 ? -1 :
				     session_next(s, 1, &st, err);
			hv_step_release(&st);
			continue;
		}
		if (l->kind != HV_LOG_COMMAND || hv_log_is(l, "terms") ||
		    (answer && !hv_log_is(l, "start")))
			continue;
		if (hv_log_is(l, "start")) {
			struct hv_start_opts o;

			hv_start_opts_parse(l->argv + 1, l->argc - 1, &o, NULL);
			rc = session_start(s, &o, &st, err);
			hv_start_opts_release(&o);
		} else if (hv_session_term(s, l->argv[0], &kind, err) < 0) {
			rc = -1;
		} else {
			rc = session_mark(s, kind, l->argv + 1, l->argc - 1, NULL,
					  &st, err);
		}
		hv_step_release(&st);
		if (rc < 0 && err && err->msg) {
			/* say where: "replay: log:7: c9: ..." */
			char *m = xstrdup(err->msg);

			hv_error_set(err, "replay: %s:%d: %s", name, l->lineno, m);
			free(m);
		}
	}
	s->replaying = 0;
	return rc;
}

/*
 * Replays text as the session's new state, inside the journal. With
 * keep_text, text itself becomes the log. frames, when given, are the
 * descended merges to keep (undo): a replay starts afresh, which forgets
 * them, and their saved files are untouched by it.
 */
static int
replay_text(struct hv_session *s, const char *text, const char *name,
	    int keep_text, const struct hv_frame *frames, size_t depth,
	    struct hv_step *step, struct hv_error *err)
{
	struct hv_log log;
	int rc = -1;

	hv_log_parse(text, &log);
	if (replay_check(s, &log, name, err) < 0 || journal_begin(s, err) < 0)
		goto out;
	if (replay_run(s, &log, name, err) < 0)
		goto undo;
	if (keep_text) {
		/* undo: the log is the old one without the mark, line for
		 * line (a replay writes its own comments) */
		sb_reset(&s->st.log);
		sb_adds(&s->st.log, text);
		if (hv_state_write_log(s->repo, &s->st, err) < 0)
			goto undo;
	}
	if (depth) {
		free(s->frames);
		s->frames = xcalloc(depth, sizeof(*s->frames));
		memcpy(s->frames, frames, depth * sizeof(*frames));
		s->depth = depth;
		if (frames_write(s, err) < 0)
			goto undo;
	}
	journal_commit(s);
	if (hv_session_reload(s, err) < 0)
		goto out;
	rc = session_next(s, 1, step, err);
	goto out;
undo:
	if (journal_rollback(s, NULL) < 0 || hv_session_reload(s, NULL) < 0) {
		/* the intent stays: the next change puts the state back */
	}
out:
	hv_log_release(&log);
	return rc;
}

int
hv_session_replay(struct hv_session *s, const char *file, struct hv_step *step,
		  struct hv_error *err)
{
	struct strbuf sb = STRBUF_INIT;
	int rc;

	memset(step, 0, sizeof(*step));
	if (hv_read_file(file, &sb) < 0)
		return hv_error_set(err, "replay: %s: %s", file, strerror(errno));
	if (begin_change(s, 0, err) < 0) {
		sb_release(&sb);
		return -1;
	}
	rc = replay_text(s, sb.buf ? sb.buf : "", file, 0, NULL, 0, step, err);
	end_change(s);
	sb_release(&sb);
	return rc;
}

/* How many mark commands follow the log's last start line. */
static size_t
marks_after_start(const struct hv_log *log)
{
	size_t i, n = 0;

	for (i = 0; i < log->n; i++) {
		if (hv_log_is(&log->lines[i], "start"))
			n = 0;
		else if (log->lines[i].kind == HV_LOG_COMMAND &&
			 !hv_log_is(&log->lines[i], "terms"))
			n++;
	}
	return n;
}

static int
undo(struct hv_session *s, struct hv_step *step, struct hv_error *err)
{
	struct hv_log log;
	struct hv_frame *frames = NULL;
	size_t depth = s->depth;
	char *text = NULL;
	int rc;

	if (!s->st.active)
		return hv_error_set(err, "undo: no bisection in progress");
	hv_log_parse(s->st.log.buf, &log);
	/* inside a descended merge the first mark is the descent's own
	 * (good = merge^1): ascend takes that back, not undo */
	if (!depth || marks_after_start(&log) > 1)
		text = hv_log_without_last_mark(s->st.log.buf ? s->st.log.buf
							       : "", &log);
	hv_log_release(&log);
	if (!text)
		return hv_error_set(err, "undo: no mark to undo%s",
				    depth ? " (halve ascend leaves the merge)"
					  : "");
	if (depth) {
		frames = xcalloc(depth, sizeof(*frames));
		memcpy(frames, s->frames, depth * sizeof(*frames));
	}
	rc = replay_text(s, text, "BISECT_LOG", 1, frames, depth, step, err);
	free(frames);
	free(text);
	return rc;
}

int
hv_session_undo(struct hv_session *s, struct hv_step *step,
		struct hv_error *err)
{
	return run_changed(s, undo, step, err);
}
