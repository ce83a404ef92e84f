/*
 * tap.h: a minimal Test Anything Protocol emitter for the C unit tests,
 * read by automake's tap-driver.sh. Header-only so each test is one file.
 */
#ifndef HALVE_TAP_H
#define HALVE_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int tap_n, tap_failed;

static void __attribute__((format(printf, 2, 3)))
ok(int cond, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", cond ? "" : "not ", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!cond)
		tap_failed++;
}

#define is_int(got, want, ...) \
	do { \
		long long g_ = (long long)(got), w_ = (long long)(want); \
		ok(g_ == w_, __VA_ARGS__); \
		if (g_ != w_) \
			printf("#   got %lld, want %lld\n", g_, w_); \
	} while (0)

#define is_str(got, want, ...) \
	do { \
		const char *g_ = (got), *w_ = (want); \
		int same_ = g_ && w_ ? !strcmp(g_, w_) : g_ == w_; \
		ok(same_, __VA_ARGS__); \
		if (!same_) \
			printf("#   got \"%s\", want \"%s\"\n", g_ ? g_ : "(null)", \
			       w_ ? w_ : "(null)"); \
	} while (0)

/*
 * Under CI (HALVE_CI set and not "0") a skip is a failure: CI must not be
 * green with tests that did not run. On a developer's machine the skip
 * stays a skip and says why. tests/lib/tap.sh does the same for shell.
 */
static inline int
tap_ci(void)
{
	const char *ci = getenv("HALVE_CI");

	return ci && *ci && strcmp(ci, "0") != 0;
}

/* One test skipped (or, under CI, failed) for the reason why. */
static inline void
tap_skip(const char *why)
{
	if (tap_ci())
		ok(0, "skipped under HALVE_CI, which allows no skip: %s", why);
	else
		printf("ok %d # SKIP %s\n", ++tap_n, why);
}

/* The whole program skipped: returns its exit status (main returns it). */
static inline int
tap_skip_all(const char *why)
{
	if (tap_ci()) {
		printf("not ok 1 - skipped under HALVE_CI, which allows no skip: %s\n1..1\n",
		       why);
		return 1;
	}
	printf("1..0 # SKIP %s\n", why);
	return 0;
}

static int
done_testing(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif
