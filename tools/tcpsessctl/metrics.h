/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TCPSESSCTL_METRICS_H
#define _TCPSESSCTL_METRICS_H

#include <stdio.h>

#include "tcpsessctl.h"

/* What an exposition in the Prometheus text format says it is. */
#define TS_METRICS_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

/*
 * The counters of st as the Prometheus text exposition format 0.0.4 has
 * them (SPEC section 10). What the kernel did not report is left out: a
 * family with no sample, a histogram short of a bucket. Write errors are
 * left in f's error flag.
 */
void ts_metrics_write(FILE *f, const struct ts_stats *st);

/* A family's "# HELP" and "# TYPE" lines, help escaped as the format wants. */
void ts_metrics_family(FILE *f, const char *name, const char *type,
		       const char *help);

/* A label value, quotes included, escaped as the format wants. */
void ts_metrics_label_value(FILE *f, const char *value);

#endif /* _TCPSESSCTL_METRICS_H */
