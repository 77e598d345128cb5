/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Result lines of the test programs (PASS:/FAIL:, as make check counts
 * them), shared by tcheck.c, tforks.c and tools/tracerctl/test_forks.c.
 */
#ifndef TRACER_TRESULT_H
#define TRACER_TRESULT_H

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;

static void __attribute__((format(printf, 3, 4)))
result(int ok, const char *name, const char *fmt, ...)
{
	va_list ap;

	if (ok) {
		printf("PASS: %s\n", name);
	} else {
		failures++;
		printf("FAIL: %s: ", name);
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
		putchar('\n');
	}
	fflush(stdout);
}

static inline void die(const char *what)
{
	printf("FAIL: setup: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* "median min max" of 9 timed runs of @n operations each, per operation. */
static inline void print_median9(uint64_t t[9], int n)
{
	uint64_t tmp;
	int i, j;

	for (i = 1; i < 9; i++)
		for (j = i; j > 0 && t[j - 1] > t[j]; j--)
			tmp = t[j], t[j] = t[j - 1], t[j - 1] = tmp;
	printf("%.1f %.1f %.1f\n", (double)t[4] / n, (double)t[0] / n,
	       (double)t[8] / n);
}

#endif
