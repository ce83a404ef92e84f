/*
 * util.c: allocation, strings, errors and atomic files for all of halve.
 * hv_oom() is the only place that prints or exits: out of memory is the one
 * condition halve does not try to carry up.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fault.h"

#include "fault.h"
#include "util.h"

static void
hv_oom(size_t size)
{
	fprintf(stderr, "halve: out of memory (%zu bytes)\n", size);
	abort();
}

void *
xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (!p)
		hv_oom(size);
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		hv_oom(n * size);
	return p;
}

void *
xrealloc(void *p, size_t size)
{
	void *q = realloc(p, size ? size : 1);

	if (!q)
		hv_oom(size);
	return q;
}

void *
xreallocarray(void *p, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		hv_oom(SIZE_MAX);
	return xrealloc(p, n * size);
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
xvasprintf(const char *fmt, va_list ap)
{
	struct strbuf sb = STRBUF_INIT;
	va_list cp;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		hv_oom(0);
	sb_grow(&sb, (size_t)n);
	vsnprintf(sb.buf, (size_t)n + 1, fmt, ap);
	sb.len = (size_t)n;
	return sb_detach(&sb);
}

char *
xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	return s;
}

void
hv_argv_free(char **argv)
{
	size_t i;

	if (!argv)
		return;
	for (i = 0; argv[i]; i++)
		free(argv[i]);
	free(argv);
}

char **
hv_argv_dup(char *const *v, size_t n)
{
	char **copy = xcalloc(n + 1, sizeof(*copy));
	size_t i;

	for (i = 0; i < n; i++)
		copy[i] = xstrdup(v[i]);
	return copy;
}

void
sb_grow(struct strbuf *sb, size_t extra)
{
	size_t need = sb->len + extra + 1;

	if (need > sb->alloc) {
		if (sb->alloc < 64)
			sb->alloc = 64;
		while (sb->alloc < need)
			sb->alloc *= 2;
		sb->buf = xrealloc(sb->buf, sb->alloc);
	}
	sb->buf[sb->len] = '\0';	/* an empty strbuf that grew is "" */
}

void
sb_add(struct strbuf *sb, const void *data, size_t len)
{
	sb_grow(sb, len);
	memcpy(sb->buf + sb->len, data, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
}

void
sb_adds(struct strbuf *sb, const char *s)
{
	sb_add(sb, s, strlen(s));
}

void
sb_addc(struct strbuf *sb, char c)
{
	sb_add(sb, &c, 1);
}

void
sb_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
	char *s = xvasprintf(fmt, ap);

	sb_adds(sb, s);
	free(s);
}

void
sb_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sb_vaddf(sb, fmt, ap);
	va_end(ap);
}

void
sb_reset(struct strbuf *sb)
{
	sb->len = 0;
	if (sb->buf)
		sb->buf[0] = '\0';
}

char *
sb_detach(struct strbuf *sb)
{
	char *s;

	sb_grow(sb, 0);
	s = sb->buf;
	s[sb->len] = '\0';
	sb->buf = NULL;
	sb->len = sb->alloc = 0;
	return s;
}

void
sb_release(struct strbuf *sb)
{
	free(sb->buf);
	sb->buf = NULL;
	sb->len = sb->alloc = 0;
}

void
sb_rtrim(struct strbuf *sb)
{
	while (sb->len && (sb->buf[sb->len - 1] == '\n' ||
			   sb->buf[sb->len - 1] == '\r' ||
			   sb->buf[sb->len - 1] == ' ' ||
			   sb->buf[sb->len - 1] == '\t'))
		sb->buf[--sb->len] = '\0';
}

int
hv_error_set(struct hv_error *err, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return -1;
	free(err->msg);
	va_start(ap, fmt);
	err->msg = xvasprintf(fmt, ap);
	va_end(ap);
	return -1;
}

void
hv_error_clear(struct hv_error *err)
{
	if (!err)
		return;
	free(err->msg);
	err->msg = NULL;
}

int
hv_write_file_atomic(const char *path, const void *data, size_t len,
		     struct hv_error *err)
{
	char *tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	const char *p = data;
	int fd, saved;

	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		goto fail;
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto fail_close;
		p += n;
		len -= (size_t)n;
	}
	/*
	 * No fsync: the rename is what makes a killed halve leave either
	 * file whole, and git does not sync its bisect files either; a sync
	 * per state file cost more than choosing a midpoint in 44k commits.
	 */
	if (close(fd) < 0)
		goto fail_unlink;
	HV_FAULT_POINT();
	if (rename(tmp, path) < 0)
		goto fail_unlink;
	free(tmp);
	return 0;

fail_close:
	saved = errno;
	close(fd);
	errno = saved;
fail_unlink:
	saved = errno;
	unlink(tmp);
	errno = saved;
fail:
	hv_error_set(err, "%s: %s", path, strerror(errno));
	free(tmp);
	return -1;
}

int
hv_read_file(const char *path, struct strbuf *sb)
{
	char buf[65536];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			int saved = errno;

			if (errno == EINTR)
				continue;
			close(fd);
			errno = saved;
			return -1;
		}
		sb_add(sb, buf, (size_t)n);
	}
	close(fd);
	sb_grow(sb, 0);
	return 0;
}

int
hv_file_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

int
hv_mkdir_p(const char *path, struct hv_error *err)
{
	char *p = xstrdup(path), *s;

	for (s = p + 1; ; s++) {
		if (*s == '/' || *s == '\0') {
			char c = *s;

			*s = '\0';
			if (mkdir(p, 0777) < 0 && errno != EEXIST) {
				hv_error_set(err, "%s: %s", p, strerror(errno));
				free(p);
				return -1;
			}
			*s = c;
			if (!c)
				break;
		}
	}
	free(p);
	return 0;
}

int
hv_remove_tree(const char *path)
{
	struct stat st;
	DIR *d;
	struct dirent *de;
	int ret = 0;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -1;
	HV_FAULT_POINT();
	if (!S_ISDIR(st.st_mode))
		return unlink(path);
	d = opendir(path);
	if (!d)
		return -1;
	while ((de = readdir(d))) {
		char *sub;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		sub = xasprintf("%s/%s", path, de->d_name);
		if (hv_remove_tree(sub) < 0)
			ret = -1;
		free(sub);
	}
	closedir(d);
	if (rmdir(path) < 0)
		ret = -1;
	return ret;
}

int
hv_parse_duration(const char *s, int64_t *ms)
{
	int64_t total = 0;
	int any = 0;

	while (*s == ' ' || *s == '\t')
		s++;
	while (*s && *s != ' ' && *s != '\t') {
		char *end;
		long long v;
		int64_t unit;

		errno = 0;
		v = strtoll(s, &end, 10);
		if (end == s || v < 0 || errno)
			return -1;
		s = end;
		if (!strncmp(s, "ms", 2)) {
			unit = 1;
			s += 2;
		} else if (*s == 's') {
			unit = 1000;
			s++;
		} else if (*s == 'm') {
			unit = 60 * 1000;
			s++;
		} else if (*s == 'h') {
			unit = 3600 * 1000;
			s++;
		} else if (*s == '\0' && !any) {
			unit = 1000;	/* a bare number is seconds */
		} else {
			return -1;
		}
		if (v > INT64_MAX / unit / 2)
			return -1;
		total += v * unit;
		any = 1;
	}
	while (*s == ' ' || *s == '\t')
		s++;
	if (!any || *s)
		return -1;
	*ms = total;
	return 0;
}

void
hv_format_duration(struct strbuf *sb, int64_t ms)
{
	int64_t s = ms / 1000;

	if (ms < 1000)
		sb_addf(sb, "%lldms", (long long)ms);
	else if (s < 60 && ms % 1000 == 0)
		sb_addf(sb, "%llds", (long long)s);
	else if (s < 60)
		sb_addf(sb, "%lld.%llds", (long long)s,
			(long long)(ms % 1000) / 100);
	else if (s < 3600)
		sb_addf(sb, "%lldm%02llds", (long long)(s / 60),
			(long long)(s % 60));
	else
		sb_addf(sb, "%lldh%02lldm", (long long)(s / 3600),
			(long long)(s % 3600 / 60));
}

int64_t
hv_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t
hv_wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

char *
hv_user_config_path(const char *rel)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");

	if (xdg && xdg[0] == '/')
		return xasprintf("%s/halve/%s", xdg, rel);
	if (home && *home)
		return xasprintf("%s/.config/halve/%s", home, rel);
	return NULL;
}

void
hv_remove_tmp_files(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d))) {
		char *path;

		if (strncmp(e->d_name, prefix, strlen(prefix)) ||
		    !strstr(e->d_name, ".tmp."))
			continue;
		path = xasprintf("%s/%s", dir, e->d_name);
		unlink(path);
		free(path);
	}
	closedir(d);
}
