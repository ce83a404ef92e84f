/*
 * util.h: the small things every module needs: allocation that aborts on
 * out-of-memory (the one place halve gives up), a growable string, errors
 * carried as values, and files written atomically.
 *
 * Nothing here prints except hv_oom(), which cannot report otherwise.
 */
#ifndef HALVE_UTIL_H
#define HALVE_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define HV_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define HV_PRINTF(f, a) __attribute__((format(printf, f, a)))

void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
/* xreallocarray(p, n, size) with an overflow check. */
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Returns a newly allocated string; the caller frees it. */
char *xasprintf(const char *fmt, ...) HV_PRINTF(1, 2);
char *xvasprintf(const char *fmt, va_list ap);

/* Frees a NULL-terminated array of strings and the strings. */
void hv_argv_free(char **argv);
/* A NULL-terminated copy of the n strings of v (for hv_argv_free). */
char **hv_argv_dup(char *const *v, size_t n);

/* Grow *arr (of *alloc elements of size) so that it holds at least need. */
#define HV_GROW(arr, need, alloc) \
	do { \
		if ((size_t)(need) > (alloc)) { \
			size_t hv_n_ = (alloc) ? (alloc) * 2 : 16; \
			while (hv_n_ < (size_t)(need)) \
				hv_n_ *= 2; \
			(arr) = xreallocarray((arr), hv_n_, sizeof(*(arr))); \
			(alloc) = hv_n_; \
		} \
	} while (0)

/* A growable NUL-terminated byte string. Zero-initialise, then use. */
struct strbuf {
	char *buf;	/* always NUL-terminated once anything is added */
	size_t len;
	size_t alloc;
};
#define STRBUF_INIT { NULL, 0, 0 }
void sb_grow(struct strbuf *sb, size_t extra);
void sb_add(struct strbuf *sb, const void *data, size_t len);
void sb_adds(struct strbuf *sb, const char *s);
void sb_addc(struct strbuf *sb, char c);
void sb_addf(struct strbuf *sb, const char *fmt, ...) HV_PRINTF(2, 3);
void sb_vaddf(struct strbuf *sb, const char *fmt, va_list ap);
void sb_reset(struct strbuf *sb);
/* Hands the buffer to the caller (never NULL) and resets sb. */
char *sb_detach(struct strbuf *sb);
void sb_release(struct strbuf *sb);
/* Strip trailing whitespace (including newlines). */
void sb_rtrim(struct strbuf *sb);

/*
 * An error carried up to whichever face (CLI or TUI) shows it. The message
 * reads "what: why" and never ends in a newline; the CLI prefixes
 * "halve: ". A function that fails fills *err and returns -1; err may be
 * NULL when the caller does not care.
 */
struct hv_error {
	char *msg;	/* owned */
};
#define HV_ERROR_INIT { NULL }
int hv_error_set(struct hv_error *err, const char *fmt, ...) HV_PRINTF(2, 3);
void hv_error_clear(struct hv_error *err);

/*
 * Files. hv_write_file_atomic() writes data to path.tmp.PID and renames
 * it over path, so that a halve killed at any instant leaves either
 * the old file or the new one, never half of either.
 */
int hv_write_file_atomic(const char *path, const void *data, size_t len,
			 struct hv_error *err);
/* Reads a whole file into sb (appending). Returns -1 with errno set. */
int hv_read_file(const char *path, struct strbuf *sb);
int hv_file_exists(const char *path);
/* mkdir -p; returns -1 with err filled on failure. */
int hv_mkdir_p(const char *path, struct hv_error *err);
/* rm -rf of a directory tree that halve owns. */
int hv_remove_tree(const char *path);
/*
 * Removes the files in dir whose names start with prefix and hold
 * ".tmp." (what hv_write_file_atomic() leaves when killed).
 */
void hv_remove_tmp_files(const char *dir, const char *prefix);

/* "1h2m3s"-style parsing and formatting of durations in milliseconds. */
int hv_parse_duration(const char *s, int64_t *ms);
/* Writes e.g. "2m13s" or "850ms" into sb. */
void hv_format_duration(struct strbuf *sb, int64_t ms);
/*
 * $XDG_CONFIG_HOME/halve/REL, or $HOME/.config/halve/REL when that is
 * unset or relative (the XDG spec says to ignore a relative one); NULL
 * with neither. The caller frees it.
 */
char *hv_user_config_path(const char *rel);
/* Monotonic clock in milliseconds. */
int64_t hv_now_ms(void);
/* Wall clock in milliseconds since the epoch (for files other processes
 * read: "started" in .git/halve/running). */
int64_t hv_wall_ms(void);

#endif
