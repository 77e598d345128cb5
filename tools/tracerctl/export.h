/* SPDX-License-Identifier: GPL-2.0 */
/* Prometheus' text exposition format, for export.c and its unit tests. */
#ifndef TRACERCTL_EXPORT_H
#define TRACERCTL_EXPORT_H

#include "tracerctl.h"

/* {name="value" (@first) or ,name="value", the value escaped. */
void tc_prom_label(FILE *f, const char *name, const char *value, int first);
/*
 * Every family: the counts of @rows and @cgs, what they hold, the status
 * ones only with @st; tracer_up 0 alone without @rows.
 */
void tc_prom_write(FILE *f, const struct tc_rows *rows, const struct tc_cgroups *cgs,
		   const struct tc_status *st);

#endif
