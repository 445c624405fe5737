/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A tiny TAP (Test Anything Protocol) producer for the unit tests.  Output
 * goes to stdout, diagnostics as "# ..." lines, for automake's tap-driver.
 *
 *   plan(n);                  optional: else done_testing() prints the plan
 *   ok(cond, "what");         is_int(got, want, "what");
 *   is_str(got, want, "what") like(got, "substring", "what");
 *   return done_testing();    0 when every test passed and the plan held
 */
#ifndef LXCFS_TAP_H
#define LXCFS_TAP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static int tap_planned = -1;
static int tap_run;
static int tap_failed;

static inline void plan(int n)
{
	tap_planned = n;
	printf("1..%d\n", n);
	fflush(stdout);
}

static inline void diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static inline void diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	fflush(stdout);
}

static inline bool tap_vok(bool pass, const char *file, int line, const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));
static inline bool tap_vok(bool pass, const char *file, int line, const char *fmt, va_list ap)
{
	tap_run++;
	if (!pass)
		tap_failed++;
	printf("%sok %d - ", pass ? "" : "not ", tap_run);
	vprintf(fmt, ap);
	fputc('\n', stdout);
	if (!pass)
		printf("#   failed at %s:%d\n", file, line);
	fflush(stdout);
	return pass;
}

static inline bool tap_ok(bool pass, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static inline bool tap_ok(bool pass, const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	bool r;

	va_start(ap, fmt);
	r = tap_vok(pass, file, line, fmt, ap);
	va_end(ap);
	return r;
}

/* Print a string with C escapes, at most max characters of it. */
static inline void tap_escaped(const char *s, size_t max)
{
	size_t n = 0;

	if (!s) {
		fputs("(null)", stdout);
		return;
	}
	fputc('"', stdout);
	for (; *s && n < max; s++, n++) {
		unsigned char c = (unsigned char)*s;

		if (c == '\n')
			fputs("\\n", stdout);
		else if (c == '\t')
			fputs("\\t", stdout);
		else if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			printf("\\x%02x", c);
		else
			fputc(c, stdout);
	}
	fputc('"', stdout);
	if (*s)
		fputs("...", stdout);
}

/* Diagnostic for two strings: where they first differ, and both there. */
static inline void tap_str_diag(const char *got, const char *want)
{
	size_t at = 0, from;

	if (got && want)
		while (got[at] && got[at] == want[at])
			at++;
	from = at > 40 ? at - 40 : 0;
	printf("#   first difference at offset %zu\n#   got:      ", at);
	tap_escaped(got ? got + from : NULL, 160);
	printf("\n#   expected: ");
	tap_escaped(want ? want + from : NULL, 160);
	fputc('\n', stdout);
}

static inline bool tap_is_int(long long got, long long want, const char *file, int line,
			      const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static inline bool tap_is_int(long long got, long long want, const char *file, int line,
			      const char *fmt, ...)
{
	va_list ap;
	bool r;

	va_start(ap, fmt);
	r = tap_vok(got == want, file, line, fmt, ap);
	va_end(ap);
	if (!r)
		printf("#   got %lld expected %lld\n", got, want);
	fflush(stdout);
	return r;
}

static inline bool tap_is_str(const char *got, const char *want, const char *file, int line,
			      const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static inline bool tap_is_str(const char *got, const char *want, const char *file, int line,
			      const char *fmt, ...)
{
	va_list ap;
	bool r;

	va_start(ap, fmt);
	r = tap_vok(got && want && strcmp(got, want) == 0, file, line, fmt, ap);
	va_end(ap);
	if (!r)
		tap_str_diag(got, want);
	fflush(stdout);
	return r;
}

static inline bool tap_like(const char *got, const char *sub, const char *file, int line,
			    const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static inline bool tap_like(const char *got, const char *sub, const char *file, int line,
			    const char *fmt, ...)
{
	va_list ap;
	bool r;

	va_start(ap, fmt);
	r = tap_vok(got && sub && strstr(got, sub) != NULL, file, line, fmt, ap);
	va_end(ap);
	if (!r) {
		printf("#   got:      ");
		tap_escaped(got, 400);
		printf("\n#   expected to contain: ");
		tap_escaped(sub, 400);
		fputc('\n', stdout);
	}
	fflush(stdout);
	return r;
}

#define ok(cond, ...) tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
#define is_int(got, want, ...)                                                                     \
	tap_is_int((long long)(got), (long long)(want), __FILE__, __LINE__, __VA_ARGS__)
#define is_str(got, want, ...) tap_is_str((got), (want), __FILE__, __LINE__, __VA_ARGS__)
#define like(got, sub, ...)    tap_like((got), (sub), __FILE__, __LINE__, __VA_ARGS__)

/* Print the plan if none was given; the exit status for main(). */
static inline int done_testing(void)
{
	if (tap_planned < 0)
		printf("1..%d\n", tap_run);
	else if (tap_planned != tap_run)
		printf("# planned %d tests but ran %d\n", tap_planned, tap_run);
	if (tap_failed)
		printf("# failed %d of %d tests\n", tap_failed, tap_run);
	fflush(stdout);
	return tap_failed || (tap_planned >= 0 && tap_planned != tap_run) ? 1 : 0;
}

#endif
