/*
 * buildpick.c: the distributed build or the local one (see buildpick.h):
 * compile lines counted in a build's log, the figures summed per way of
 * building, one local trial, the faster way kept in <git dir>/halve/
 * build-pick. The pipeline asks which command to run and tells how a
 * build went; nothing here runs a build or prints.
 */
#include "config.h"

#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buildpick.h"

/* Distributed builds that compiled something, before the local trial:
 * one could be a cold cache or a host busy with someone else's job. */
#define MIN_DISTRIBUTED 2

enum way { WAY_DISTRIBUTED, WAY_LOCAL };

/* What builds one way took, summed. */
struct figures {
	uint64_t files, ms;
	unsigned builds;	/* builds that compiled something */
};

enum choice { CHOICE_MEASURING, CHOICE_DISTRIBUTED, CHOICE_LOCAL };

static const char *const choice_names[] = {
	"measuring", "distributed", "local",
};

struct hv_buildpick {
	const struct hv_config *cfg;
	char *path;		/* halve_dir/build-pick */
	uint64_t key;		/* which commands the figures are for */
	struct figures fig[2];	/* by enum way */
	enum choice choice;
	enum way last;		/* the way last given out */
};

/* FNV-1a over both commands: figures of other commands do not count. */
static uint64_t
config_key(const struct hv_config *cfg)
{
	const char *parts[] = { cfg->build.command, cfg->build.local };
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;
	const char *c;

	for (i = 0; i < HV_ARRAY_SIZE(parts); i++) {
		for (c = parts[i] ? parts[i] : ""; *c; c++)
			h = (h ^ (unsigned char)*c) * 0x100000001b3ULL;
		h = (h ^ 0xff) * 0x100000001b3ULL;
	}
	return h;
}

/* The file's figures, when they are for bp's commands; else none. */
static void
load(struct hv_buildpick *bp)
{
	struct strbuf sb = STRBUF_INIT;
	struct figures f[2];
	uint64_t key;
	char choice[16];
	int i;

	if (hv_read_file(bp->path, &sb) < 0 || !sb.buf)
		goto out;
	sb_addc(&sb, '\0');
	if (sscanf(sb.buf, "config %" SCNx64 "\ndistributed %" SCNu64 " %"
		   SCNu64 " %u\nlocal %" SCNu64 " %" SCNu64 " %u\nchoice %15s",
		   &key, &f[0].files, &f[0].ms, &f[0].builds, &f[1].files,
		   &f[1].ms, &f[1].builds, choice) != 8 || key != bp->key)
		goto out;
	for (i = 0; i < (int)HV_ARRAY_SIZE(choice_names); i++) {
		if (!strcmp(choice, choice_names[i])) {
			bp->choice = (enum choice)i;
			memcpy(bp->fig, f, sizeof(f));
		}
	}
out:
	sb_release(&sb);
}

/* Written whole or not at all: a kill leaves the previous figures. */
static void
save(const struct hv_buildpick *bp)
{
	struct hv_error err = HV_ERROR_INIT;
	char *text = xasprintf("config %016" PRIx64 "\n"
			       "distributed %" PRIu64 " %" PRIu64 " %u\n"
			       "local %" PRIu64 " %" PRIu64 " %u\n"
			       "choice %s\n", bp->key,
			       bp->fig[0].files, bp->fig[0].ms, bp->fig[0].builds,
			       bp->fig[1].files, bp->fig[1].ms, bp->fig[1].builds,
			       choice_names[bp->choice]);

	/* figures lost cost one more trial, not a wrong build */
	if (hv_write_file_atomic(bp->path, text, strlen(text), &err) < 0)
		hv_error_clear(&err);
	free(text);
}

struct hv_buildpick *
hv_buildpick_open(const char *halve_dir, const struct hv_config *cfg)
{
	struct hv_buildpick *bp;

	if (!cfg->build.command || !cfg->build.local)
		return NULL;
	bp = xcalloc(1, sizeof(*bp));
	bp->cfg = cfg;
	bp->path = xasprintf("%s/build-pick", halve_dir);
	bp->key = config_key(cfg);
	load(bp);
	return bp;
}

void
hv_buildpick_free(struct hv_buildpick *bp)
{
	if (!bp)
		return;
	free(bp->path);
	free(bp);
}

/* What the distributed build goes through, for messages. */
static const char *
tool_name(const struct hv_buildpick *bp)
{
	if (strstr(bp->cfg->build.command, "icecc"))
		return "icecc";
	if (strstr(bp->cfg->build.command, "distcc"))
		return "distcc";
	return "distributed";
}

/* Seconds a compiled file, one way. */
static double
per_file(const struct figures *f)
{
	return f->files ? (double)f->ms / 1000.0 / (double)f->files : 0;
}

const char *
hv_buildpick_command(struct hv_buildpick *bp, char **note)
{
	const struct figures *d = &bp->fig[WAY_DISTRIBUTED];

	*note = NULL;
	bp->last = WAY_DISTRIBUTED;
	if (bp->choice == CHOICE_LOCAL ||
	    (bp->choice == CHOICE_MEASURING && d->builds >= MIN_DISTRIBUTED)) {
		bp->last = WAY_LOCAL;
		if (bp->choice == CHOICE_MEASURING)
			*note = xasprintf("halve: this step builds locally "
					  "([build] local), to compare with %u "
					  "%s builds (%.2f s a compiled file)\n",
					  d->builds, tool_name(bp), per_file(d));
	}
	return bp->last == WAY_LOCAL ? bp->cfg->build.local
				     : bp->cfg->build.command;
}

/* A word ending a path: "gcc" in "/usr/bin/gcc". */
static int
word_is(const char *w, size_t n, const char *name)
{
	size_t len = strlen(name);

	return n >= len && !memcmp(w + n - len, name, len) &&
	       (n == len || w[n - len - 1] == '/' || w[n - len - 1] == '-');
}

/*
 * A compile: kbuild's quiet "  CC      init/main.o" (also "CC [M]"), or
 * a compiler's command line with -c (what make echoes without kbuild),
 * the compiler maybe behind ccache, distcc or icecc.
 */
static int
is_compile(const char *l, size_t n)
{
	static const char *const compilers[] = {
		"cc", "gcc", "clang", "ccache", "distcc", "icecc",
	};
	size_t w, i;

	while (n && (*l == ' ' || *l == '\t'))
		l++, n--;
	if (n > 3 && !memcmp(l, "CC", 2) && (l[2] == ' ' || l[2] == '\t'))
		return 1;
	for (w = 0; w < n && l[w] != ' ' && l[w] != '\t'; w++)
		;
	for (i = 0; i < HV_ARRAY_SIZE(compilers); i++)
		if (word_is(l, w, compilers[i]))
			return memmem(l + w, n - w, " -c ", 4) != NULL;
	return 0;
}

uint64_t
hv_buildpick_count(const char *text, size_t len)
{
	const char *p = text, *end = text + len, *nl;
	uint64_t n = 0;

	for (; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		n += is_compile(p, (size_t)(nl - p));
	}
	return n;
}

static void
append(const char *path, const char *line)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);

	if (fd < 0)
		return;
	if (write(fd, line, strlen(line)) < 0) {
		/* the face has the message; the log is a copy */
	}
	close(fd);
}

/* Both ways measured: the faster one from now on, and why. */
static char *
decide(struct hv_buildpick *bp)
{
	double d = per_file(&bp->fig[WAY_DISTRIBUTED]);
	double l = per_file(&bp->fig[WAY_LOCAL]);
	const char *tool = tool_name(bp);

	if (l < d) {
		bp->choice = CHOICE_LOCAL;
		return xasprintf("%s builds are slower here (%.2f s a compiled "
				 "file against %.2f s locally): building "
				 "locally from now on", tool, d, l);
	}
	bp->choice = CHOICE_DISTRIBUTED;
	return xasprintf("%s builds are faster here (%.2f s a compiled file "
			 "against %.2f s locally): building through %s",
			 tool, d, l, tool);
}

char *
hv_buildpick_record(struct hv_buildpick *bp, const char *log_path,
		    int64_t elapsed_ms)
{
	struct strbuf sb = STRBUF_INIT;
	struct figures *f = &bp->fig[bp->last];
	uint64_t files = 0;
	char *msg = NULL, *line;

	if (hv_read_file(log_path, &sb) == 0 && sb.buf)
		files = hv_buildpick_count(sb.buf, sb.len);
	sb_release(&sb);
	if (!files || elapsed_ms < 0)
		return NULL;	/* nothing compiled: no time a file */
	f->files += files;
	f->ms += (uint64_t)elapsed_ms;
	f->builds++;
	if (bp->choice == CHOICE_MEASURING && bp->last == WAY_LOCAL)
		msg = decide(bp);
	save(bp);
	if (msg) {
		line = xasprintf("halve: %s\n", msg);
		append(log_path, line);
		free(line);
	}
	return msg;
}
