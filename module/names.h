/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TCPSESS_NAMES_H
#define _TCPSESS_NAMES_H

#include "portable.h"
#include <linux/tcpsess.h>

/*
 * The names users see, shared by /proc, tcpsessctl and the tests so that
 * they can never disagree. Each lookup returns NULL for an unknown value.
 */
const char *tcpsess_state_name(unsigned int state);
const char *tcpsess_invalid_reason_name(unsigned int reason);
const char *tcpsess_mode_name(unsigned int mode);
const char *tcpsess_stat_name(unsigned int stat);

/* Room for every flag name, the commas and the terminating NUL. */
#define TCPSESS_FLAGS_LEN 32

/* Session flags as /proc prints them: "PICKUP,SIMOPEN", or "-" for none. */
void tcpsess_flags_format(unsigned int flags, char buf[TCPSESS_FLAGS_LEN]);

/* Room for any name below with its NUL, "invalid_synack_unexpected" the longest. */
#define TCPSESS_NAME_LEN 32

/* Room for a state's name with its NUL, "ESTABLISHED" the longest. */
#define TCPSESS_STATE_NAME_LEN 16

/* A state as stats and config keys spell it: "syn_sent". */
void tcpsess_state_name_lower(unsigned int state,
			      char buf[TCPSESS_STATE_NAME_LEN]);

/*
 * The lines of /proc/net/tcpsess/stats, in SPEC section 5's order: the
 * counters, with the state gauges after ended_reused, then the invalid
 * reasons, then the SYN and the ACK RTT histograms, each its buckets
 * (rtt_syn_le_50us ...), le_inf (the count) and sum_us. /proc and
 * tcpsessctl both print by this, so neither their order nor their names
 * can drift apart.
 */
enum tcpsess_stat_group {
	TCPSESS_STAT_GROUP_COUNTER,	/* index: enum tcpsess_stat */
	TCPSESS_STAT_GROUP_STATE,	/* index: enum tcpsess_state */
	TCPSESS_STAT_GROUP_INVALID,	/* index: enum tcpsess_invalid_reason */
	TCPSESS_STAT_GROUP_RTT_SYN,	/* index: enum tcpsess_rtt_hist_attr */
	TCPSESS_STAT_GROUP_RTT_ACK,	/* index: enum tcpsess_rtt_hist_attr */
};

struct tcpsess_stat_line {
	enum tcpsess_stat_group group;
	unsigned int index;
	char name[TCPSESS_NAME_LEN];
};

/* Line n, counting from 0; false past the last. */
bool tcpsess_stat_line(unsigned int n, struct tcpsess_stat_line *line);

#ifndef __KERNEL__
/* For userspace only: see names.c. */
const char *tcpsess_event_name(unsigned int event);
const char *tcpsess_end_reason_name(unsigned int reason);
/* Reverse lookups for parsing; return -1 when the name is not known. */
int tcpsess_state_from_name(const char *name);
int tcpsess_mode_from_name(const char *name);
#endif

#endif /* _TCPSESS_NAMES_H */
