/*
 * fuzz-bisectlog.c: the BISECT_LOG reader (src/bisectlog.c), which replay,
 * undo and the workstation all go through, on any text. Every line must
 * lie inside the text; every command's words must come back unchanged
 * through git's quoting (hv_sq_quote, then hv_sq_split); a start line's
 * arguments go through start's own parser; and the log without its last
 * mark must be shorter and read again.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "bisectlog.h"
#include "fuzz.h"

/* quote(word) split again is word, alone. */
static void
check_quoting(const char *word, struct strbuf *sb)
{
	char **argv;
	size_t argc;

	sb_reset(sb);
	hv_sq_quote(sb, word);
	if (hv_sq_split(sb->buf, &argv, &argc) < 0 || argc != 1 ||
	    strcmp(argv[0], word) != 0)
		abort();
	hv_argv_free(argv);
}

static void
check_command(const struct hv_log_line *line, struct strbuf *sb)
{
	struct hv_start_opts opts;
	struct hv_error err = HV_ERROR_INIT;
	size_t i;

	if (!line->argv)
		return;		/* malformed quoting, kept for the caller */
	for (i = 0; i < line->argc; i++)
		check_quoting(line->argv[i], sb);
	if (line->argc && hv_log_is(line, "start") &&
	    hv_start_opts_parse(line->argv + 1, line->argc - 1, &opts, &err) == 0)
		hv_start_opts_release(&opts);
	hv_error_clear(&err);
}

static void
read_log(const char *text, size_t len, int again)
{
	struct strbuf sb = STRBUF_INIT;
	struct hv_log log;
	struct hv_oid bad, *goods = NULL;
	size_t i, ngoods = 0;
	int have_bad = 0;
	char *rest;

	hv_log_parse(text, &log);
	for (i = 0; i < log.n; i++) {
		if (log.lines[i].off + log.lines[i].len > len)
			abort();
		if (log.lines[i].kind == HV_LOG_COMMAND)
			check_command(&log.lines[i], &sb);
	}
	hv_log_start_range(&log, "bad", "good", &bad, &have_bad, &goods, &ngoods);
	free(goods);
	hv_log_start_range(&log, "new", "old", &bad, &have_bad, &goods, &ngoods);
	free(goods);
	sb_reset(&sb);
	hv_log_range_name(&log, &sb);
	rest = hv_log_without_last_mark(text, &log);
	if (rest) {
		if (strlen(rest) >= len)
			abort();	/* a mark was taken away */
		if (again)
			read_log(rest, strlen(rest), 0);
		free(rest);
	}
	hv_log_release(&log);
	sb_release(&sb);
}

int
FUZZ_TARGET(bisectlog)(const uint8_t *data, size_t size)
{
	char *text = xstrndup((const char *)data, size);

	read_log(text, strlen(text), 1);
	free(text);
	return 0;
}
