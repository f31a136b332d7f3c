// SPDX-License-Identifier: GPL-2.0
#include "names.h"

#ifdef __KERNEL__
#include <linux/kernel.h>
#include <linux/string.h>
#else
#include <stdio.h>
#include <string.h>
#endif

static const char *const state_names[] = {
	[TCPSESS_STATE_NONE]		= "NONE",
	[TCPSESS_STATE_SYN_SENT]	= "SYN_SENT",
	[TCPSESS_STATE_SYN_RECV]	= "SYN_RECV",
	[TCPSESS_STATE_ESTABLISHED]	= "ESTABLISHED",
	[TCPSESS_STATE_FIN_WAIT_1]	= "FIN_WAIT_1",
	[TCPSESS_STATE_FIN_WAIT_2]	= "FIN_WAIT_2",
	[TCPSESS_STATE_CLOSING]		= "CLOSING",
	[TCPSESS_STATE_LAST_ACK]	= "LAST_ACK",
	[TCPSESS_STATE_TIME_WAIT]	= "TIME_WAIT",
	[TCPSESS_STATE_CLOSED]		= "CLOSED",
};

static_assert(ARRAY_SIZE(state_names) == __TCPSESS_STATE_MAX);

/* Lower case: they are printed as the suffix of invalid_<reason> counters. */
static const char *const invalid_reason_names[] = {
	[TCPSESS_INVALID_NONE]			= "none",
	[TCPSESS_INVALID_HDR_TRUNCATED]		= "hdr_truncated",
	[TCPSESS_INVALID_BAD_DATA_OFFSET]	= "bad_data_offset",
	[TCPSESS_INVALID_BAD_CHECKSUM]		= "bad_checksum",
	[TCPSESS_INVALID_BAD_FLAGS]		= "bad_flags",
	[TCPSESS_INVALID_SYN_UNEXPECTED]	= "syn_unexpected",
	[TCPSESS_INVALID_SYNACK_UNEXPECTED]	= "synack_unexpected",
	[TCPSESS_INVALID_SYNACK_BAD_ACK]	= "synack_bad_ack",
	[TCPSESS_INVALID_ACK_BAD_ACK]		= "ack_bad_ack",
	[TCPSESS_INVALID_SEQ_OUT_OF_WINDOW]	= "seq_out_of_window",
	[TCPSESS_INVALID_ACK_OUT_OF_WINDOW]	= "ack_out_of_window",
	[TCPSESS_INVALID_RST_OUT_OF_WINDOW]	= "rst_out_of_window",
	[TCPSESS_INVALID_RST_INEXACT]		= "rst_inexact",
	[TCPSESS_INVALID_DATA_AFTER_FIN]	= "data_after_fin",
	[TCPSESS_INVALID_MIDSTREAM]		= "midstream",
};

static_assert(ARRAY_SIZE(invalid_reason_names) == __TCPSESS_INVALID_MAX);

static const char *const mode_names[] = {
	[TCPSESS_MODE_MONITOR]	= "monitor",
	[TCPSESS_MODE_ENFORCE]	= "enforce",
};

static_assert(ARRAY_SIZE(mode_names) == __TCPSESS_MODE_MAX);

static const char *const stat_names[] = {
	[TCPSESS_STAT_SESSIONS_ACTIVE]	= "sessions_active",
	[TCPSESS_STAT_SESSIONS_MAX]	= "sessions_max",
	[TCPSESS_STAT_SESSIONS_CREATED]	= "sessions_created",
	[TCPSESS_STAT_SESSIONS_ENDED]	= "sessions_ended",
	[TCPSESS_STAT_ENDED_FIN]	= "ended_fin",
	[TCPSESS_STAT_ENDED_RST]	= "ended_rst",
	[TCPSESS_STAT_ENDED_TIMEOUT]	= "ended_timeout",
	[TCPSESS_STAT_ENDED_EVICTED]	= "ended_evicted",
	[TCPSESS_STAT_ENDED_FLUSHED]	= "ended_flushed",
	[TCPSESS_STAT_ENDED_REUSED]	= "ended_reused",
	[TCPSESS_STAT_PACKETS_SEEN]	= "packets_seen",
	[TCPSESS_STAT_PACKETS_INVALID]	= "packets_invalid",
	[TCPSESS_STAT_FRAGMENTS_IGNORED] = "fragments_ignored",
	[TCPSESS_STAT_TABLE_FULL]	= "table_full",
	[TCPSESS_STAT_EVENTS_SENT]	= "events_sent",
	[TCPSESS_STAT_EVENTS_SUPPRESSED] = "events_suppressed",
	[TCPSESS_STAT_MEMORY_BYTES]	= "memory_bytes",
};

static_assert(ARRAY_SIZE(stat_names) == __TCPSESS_STAT_MAX);

static const struct {
	unsigned int bit;
	const char *name;
} flag_names[] = {
	{ TCPSESS_F_PICKUP, "PICKUP" },
	{ TCPSESS_F_SIMOPEN, "SIMOPEN" },
	{ TCPSESS_F_REOPENED, "REOPENED" },
};

static_assert(sizeof("PICKUP,SIMOPEN,REOPENED") <= TCPSESS_FLAGS_LEN);

static const char *lookup(const char *const *names, size_t count,
			  unsigned int value)
{
	return value < count ? names[value] : NULL;
}

const char *tcpsess_state_name(unsigned int state)
{
	return lookup(state_names, ARRAY_SIZE(state_names), state);
}

const char *tcpsess_invalid_reason_name(unsigned int reason)
{
	return lookup(invalid_reason_names, ARRAY_SIZE(invalid_reason_names),
		      reason);
}

const char *tcpsess_mode_name(unsigned int mode)
{
	return lookup(mode_names, ARRAY_SIZE(mode_names), mode);
}

const char *tcpsess_stat_name(unsigned int stat)
{
	return lookup(stat_names, ARRAY_SIZE(stat_names), stat);
}

void tcpsess_flags_format(unsigned int flags, char buf[TCPSESS_FLAGS_LEN])
{
	char *p = buf;
	size_t i, len;

	for (i = 0; i < ARRAY_SIZE(flag_names); i++) {
		if (!(flags & flag_names[i].bit))
			continue;
		if (p != buf)
			*p++ = ',';
		len = strlen(flag_names[i].name);
		memcpy(p, flag_names[i].name, len);
		p += len;
	}
	if (p == buf)
		*p++ = '-';
	*p = '\0';
}

void tcpsess_state_name_lower(unsigned int state,
			      char buf[TCPSESS_STATE_NAME_LEN])
{
	const char *name = tcpsess_state_name(state);
	size_t i;

	for (i = 0; name && name[i] && i < TCPSESS_STATE_NAME_LEN - 1; i++)
		buf[i] = name[i] >= 'A' && name[i] <= 'Z' ? name[i] - 'A' + 'a' :
							       name[i];
	buf[i] = '\0';
}

static const u32 rtt_bounds_us[] = TCPSESS_RTT_BOUNDS_US;

static_assert(ARRAY_SIZE(rtt_bounds_us) == TCPSESS_RTT_BUCKETS);
static_assert(sizeof("rtt_syn_le_4294967295us") <= TCPSESS_NAME_LEN);

/* A histogram's lines as Prometheus orders its series: buckets, count, sum. */
static unsigned int rtt_line_index(unsigned int n)
{
	if (n < TCPSESS_RTT_BUCKETS)
		return TCPSESS_RTT_HIST_LE + n;
	return n == TCPSESS_RTT_BUCKETS ? TCPSESS_RTT_HIST_COUNT :
					  TCPSESS_RTT_HIST_SUM_US;
}

static void rtt_line_name(struct tcpsess_stat_line *line)
{
	const char *leg = line->group == TCPSESS_STAT_GROUP_RTT_SYN ? "syn" : "ack";

	if (line->index >= TCPSESS_RTT_HIST_LE)
		snprintf(line->name, sizeof(line->name), "rtt_%s_le_%uus", leg,
			 rtt_bounds_us[line->index - TCPSESS_RTT_HIST_LE]);
	else if (line->index == TCPSESS_RTT_HIST_COUNT)
		snprintf(line->name, sizeof(line->name), "rtt_%s_le_inf", leg);
	else
		snprintf(line->name, sizeof(line->name), "rtt_%s_sum_us", leg);
}

/*
 * SPEC's order: the counters up to the end reasons', the state gauges, the
 * other counters, the invalid reasons', the two RTT histograms. Value 0 of
 * each enum is no line.
 */
#define STAT_LINES_BEFORE_STATES	TCPSESS_STAT_ENDED_REUSED
#define STAT_LINES			TCPSESS_STAT_MAX
#define STAT_LINES_BEFORE_RTT \
	(TCPSESS_STAT_MAX + TCPSESS_STATE_MAX + TCPSESS_INVALID_MAX)

bool tcpsess_stat_line(unsigned int n, struct tcpsess_stat_line *line)
{
	char lower[TCPSESS_STATE_NAME_LEN];

	if (n < STAT_LINES_BEFORE_STATES) {
		line->group = TCPSESS_STAT_GROUP_COUNTER;
		line->index = n + 1;
	} else if (n - STAT_LINES_BEFORE_STATES < TCPSESS_STATE_MAX) {
		line->group = TCPSESS_STAT_GROUP_STATE;
		line->index = n - STAT_LINES_BEFORE_STATES + 1;
	} else if (n - TCPSESS_STATE_MAX < STAT_LINES) {
		line->group = TCPSESS_STAT_GROUP_COUNTER;
		line->index = n - TCPSESS_STATE_MAX + 1;
	} else if (n - TCPSESS_STATE_MAX - STAT_LINES < TCPSESS_INVALID_MAX) {
		line->group = TCPSESS_STAT_GROUP_INVALID;
		line->index = n - TCPSESS_STATE_MAX - STAT_LINES + 1;
	} else if (n - STAT_LINES_BEFORE_RTT < 2 * TCPSESS_RTT_HIST_MAX) {
		n -= STAT_LINES_BEFORE_RTT;
		line->group = n < TCPSESS_RTT_HIST_MAX ?
			      TCPSESS_STAT_GROUP_RTT_SYN :
			      TCPSESS_STAT_GROUP_RTT_ACK;
		line->index = rtt_line_index(n % TCPSESS_RTT_HIST_MAX);
	} else {
		return false;
	}
	switch (line->group) {
	case TCPSESS_STAT_GROUP_COUNTER:
		snprintf(line->name, sizeof(line->name), "%s",
			 tcpsess_stat_name(line->index));
		break;
	case TCPSESS_STAT_GROUP_STATE:
		tcpsess_state_name_lower(line->index, lower);
		snprintf(line->name, sizeof(line->name), "state_%s", lower);
		break;
	case TCPSESS_STAT_GROUP_INVALID:
		snprintf(line->name, sizeof(line->name), "invalid_%s",
			 tcpsess_invalid_reason_name(line->index));
		break;
	case TCPSESS_STAT_GROUP_RTT_SYN:
	case TCPSESS_STAT_GROUP_RTT_ACK:
		rtt_line_name(line);
		break;
	}
	return true;
}

/*
 * Only userspace (tcpsessctl and the tests) names events and end reasons,
 * or parses names: the module goes without.
 */
#ifndef __KERNEL__
static const char *const event_names[] = {
	[TCPSESS_EVENT_NONE]	= "NONE",
	[TCPSESS_EVENT_NEW]	= "NEW",
	[TCPSESS_EVENT_STATE]	= "STATE",
	[TCPSESS_EVENT_END]	= "END",
	[TCPSESS_EVENT_INVALID]	= "INVALID",
	[TCPSESS_EVENT_UPDATE]	= "UPDATE",
};

static_assert(ARRAY_SIZE(event_names) == __TCPSESS_EVENT_MAX);

static const char *const end_reason_names[] = {
	[TCPSESS_END_NONE]	= "NONE",
	[TCPSESS_END_FIN]	= "FIN",
	[TCPSESS_END_RST]	= "RST",
	[TCPSESS_END_TIMEOUT]	= "TIMEOUT",
	[TCPSESS_END_EVICTED]	= "EVICTED",
	[TCPSESS_END_FLUSHED]	= "FLUSHED",
	[TCPSESS_END_REUSED]	= "REUSED",
};

static_assert(ARRAY_SIZE(end_reason_names) == __TCPSESS_END_MAX);

static int reverse_lookup(const char *const *names, size_t count,
			  const char *name)
{
	size_t i;

	for (i = 0; i < count; i++)
		if (names[i] && !strcmp(names[i], name))
			return (int)i;
	return -1;
}

const char *tcpsess_event_name(unsigned int event)
{
	return lookup(event_names, ARRAY_SIZE(event_names), event);
}

const char *tcpsess_end_reason_name(unsigned int reason)
{
	return lookup(end_reason_names, ARRAY_SIZE(end_reason_names), reason);
}

int tcpsess_state_from_name(const char *name)
{
	return reverse_lookup(state_names, ARRAY_SIZE(state_names), name);
}

int tcpsess_mode_from_name(const char *name)
{
	return reverse_lookup(mode_names, ARRAY_SIZE(mode_names), name);
}
#endif /* !__KERNEL__ */
