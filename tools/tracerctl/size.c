// SPDX-License-Identifier: GPL-2.0
/* Byte counts for people, as lsblk prints sizes. */
#include <inttypes.h>
#include <stdio.h>

#include "tracerctl.h"

char *tc_size(uint64_t bytes, int exact, char *buf, size_t size)
{
	static const char unit[] = "BKMGTPE";
	uint64_t div = 1, whole, dec;
	int e = 0;

	if (exact || bytes < 1024) {
		snprintf(buf, size, "%" PRIu64 "%s", bytes, exact ? "" : "B");
		return buf;
	}
	while (e < 6 && bytes / div >= 1024) {
		div <<= 10;
		e++;
	}
	whole = bytes / div;
	/* One decimal, rounded half up; 1023.96K is 1024.0K, not 1.0M. */
	dec = ((bytes % div) / (div / 1024) * 10 + 512) / 1024;
	if (dec == 10) {
		whole++;
		dec = 0;
	}
	if (dec)
		snprintf(buf, size, "%" PRIu64 ".%" PRIu64 "%c", whole, dec, unit[e]);
	else
		snprintf(buf, size, "%" PRIu64 "%c", whole, unit[e]);
	return buf;
}
