/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TCPSESSCTL_MONITOR_H
#define _TCPSESSCTL_MONITOR_H

#include <stdio.h>

#include "tcpsessctl.h"
#include "zeek.h"

/* Sequence numbers tracked past the oldest one missing. */
#define TS_SEQ_WINDOW		4096
/* How long a missing event may be late before it counts as lost. */
#define TS_REORDER_MS		100

#define TS_SEQ_WORD_BITS	(8 * sizeof(unsigned long))

/* What "tcpsessctl monitor" keeps between events. */
struct ts_monitor {
	const struct ts_filter *filter;
	bool json;
	const struct ts_zeek *zeek;	/* --json=zeek: END events as conn.log */
	u64 count;		/* stop after this many printed; 0: never */
	u64 printed;
	u64 lost;		/* events reported lost so far */
	bool overrun;		/* ENOBUFS seen, its loss not yet reported */
	bool have_seq;
	bool hole;		/* next_seq is missing, since hole_since_ms */
	u64 hole_since_ms;
	u64 next_seq;		/* all below were seen or reported lost */
	u64 max_seq;		/* the highest seen */
	/* Bit seq % TS_SEQ_WINDOW: seen, for next_seq <= seq <= max_seq. */
	unsigned long seen[TS_SEQ_WINDOW / TS_SEQ_WORD_BITS];
};

/* The kernel dropped events: the socket's receive buffer was full. */
void ts_monitor_overrun(struct ts_monitor *m);

/*
 * One event, read at now_ms (any monotonic clock): reports to err the
 * events its sequence number shows lost, and prints it to out if it
 * passes the filters (with zeek set: if it is an END, as a conn.log
 * record). Returns 0, 1 once count events have been printed,
 * or a negative errno if out failed.
 */
int ts_monitor_event(struct ts_monitor *m, const struct ts_event *ev,
		     u64 now_ms, FILE *out, FILE *err);

/*
 * What ts_monitor_event() does before it prints: reports to err the
 * events ev's sequence number shows lost, and counts them.
 */
void ts_monitor_account(struct ts_monitor *m, const struct ts_event *ev,
			u64 now_ms, FILE *err);

/* At the end: reports what is still missing, or an unmeasured overrun. */
void ts_monitor_finish(struct ts_monitor *m, FILE *err);

#endif /* _TCPSESSCTL_MONITOR_H */
