// SPDX-License-Identifier: GPL-2.0
/*
 * The name tables that /proc, tcpsessctl and the tests share: complete,
 * unique, and spelled as SPEC sections 3, 5 and 6 spell them.
 */
#include <ctype.h>

#include "kselftest_harness.h"
#include "names.h"

static const char *const spec_states[] = {
	"SYN_SENT", "SYN_RECV", "ESTABLISHED", "FIN_WAIT_1", "FIN_WAIT_2",
	"CLOSING", "LAST_ACK", "TIME_WAIT", "CLOSED",
};

static const char *const spec_end_reasons[] = {
	"FIN", "RST", "TIMEOUT", "EVICTED", "FLUSHED", "REUSED",
};

static const char *const spec_events[] = {
	"NEW", "STATE", "END", "INVALID", "UPDATE"
};

TEST(every_state_named_as_spec)
{
	unsigned int i;

	ASSERT_EQ(ARRAY_SIZE(spec_states), TCPSESS_STATE_MAX);
	for (i = 0; i < ARRAY_SIZE(spec_states); i++) {
		ASSERT_STREQ(spec_states[i], tcpsess_state_name(i + 1));
		ASSERT_EQ((int)i + 1, tcpsess_state_from_name(spec_states[i]));
	}
	ASSERT_EQ(NULL, tcpsess_state_name(__TCPSESS_STATE_MAX));
	ASSERT_EQ(-1, tcpsess_state_from_name("LISTEN"));
	ASSERT_EQ(-1, tcpsess_state_from_name("established"));
}

TEST(every_end_reason_named_as_spec)
{
	unsigned int i;

	ASSERT_EQ(ARRAY_SIZE(spec_end_reasons), TCPSESS_END_MAX);
	for (i = 0; i < ARRAY_SIZE(spec_end_reasons); i++)
		ASSERT_STREQ(spec_end_reasons[i], tcpsess_end_reason_name(i + 1));
	ASSERT_EQ(NULL, tcpsess_end_reason_name(__TCPSESS_END_MAX));
}

TEST(every_event_named_as_spec)
{
	unsigned int i;

	ASSERT_EQ(ARRAY_SIZE(spec_events), TCPSESS_EVENT_MAX);
	for (i = 0; i < ARRAY_SIZE(spec_events); i++)
		ASSERT_STREQ(spec_events[i], tcpsess_event_name(i + 1));
	ASSERT_EQ(NULL, tcpsess_event_name(__TCPSESS_EVENT_MAX));
}

TEST(modes_round_trip)
{
	ASSERT_STREQ("monitor", tcpsess_mode_name(TCPSESS_MODE_MONITOR));
	ASSERT_STREQ("enforce", tcpsess_mode_name(TCPSESS_MODE_ENFORCE));
	ASSERT_EQ(TCPSESS_MODE_ENFORCE, tcpsess_mode_from_name("enforce"));
	ASSERT_EQ(-1, tcpsess_mode_from_name("drop"));
	ASSERT_EQ(NULL, tcpsess_mode_name(__TCPSESS_MODE_MAX));
}

/* Invalid reasons become stat names: lower-case identifiers, all distinct. */
TEST(invalid_reasons_are_distinct_identifiers)
{
	unsigned int i, j;

	for (i = 1; i <= TCPSESS_INVALID_MAX; i++) {
		const char *name = tcpsess_invalid_reason_name(i), *c;

		ASSERT_NE(NULL, name) TH_LOG("reason %u has no name", i);
		ASSERT_NE('\0', name[0]);
		for (c = name; *c; c++)
			ASSERT_TRUE(islower(*c) || isdigit(*c) || *c == '_')
				TH_LOG("reason %s", name);
		for (j = 1; j < i; j++)
			ASSERT_STRNE(name, tcpsess_invalid_reason_name(j));
	}
	ASSERT_EQ(NULL, tcpsess_invalid_reason_name(__TCPSESS_INVALID_MAX));
}

TEST(stat_names_are_distinct)
{
	unsigned int i, j;

	ASSERT_EQ(NULL, tcpsess_stat_name(TCPSESS_STAT_UNSPEC));
	for (i = TCPSESS_STAT_UNSPEC + 1; i <= TCPSESS_STAT_MAX; i++) {
		ASSERT_NE(NULL, tcpsess_stat_name(i));
		for (j = TCPSESS_STAT_UNSPEC + 1; j < i; j++)
			ASSERT_STRNE(tcpsess_stat_name(i), tcpsess_stat_name(j));
	}
	ASSERT_STREQ("sessions_active", tcpsess_stat_name(TCPSESS_STAT_SESSIONS_ACTIVE));
	ASSERT_STREQ("memory_bytes", tcpsess_stat_name(TCPSESS_STAT_MEMORY_BYTES));
	ASSERT_EQ(NULL, tcpsess_stat_name(__TCPSESS_STAT_MAX));
}

/* Each end reason has its ended_<reason> counter at the matching offset. */
TEST(end_reason_counters_line_up)
{
	char expect[64];
	unsigned int reason, i;

	for (reason = 1; reason <= TCPSESS_END_MAX; reason++) {
		const char *name = tcpsess_end_reason_name(reason);

		snprintf(expect, sizeof(expect), "ended_%s", name);
		for (i = 0; expect[i]; i++)
			expect[i] = tolower(expect[i]);
		ASSERT_STREQ(expect, tcpsess_stat_name(TCPSESS_STAT_ENDED_FIN +
						       reason - TCPSESS_END_FIN));
	}
}

/* SPEC section 5's stats, in its order; ours may add lines between them. */
static const char *const spec_stats[] = {
	"sessions_active", "sessions_max", "sessions_created", "sessions_ended",
	"ended_fin", "ended_rst", "ended_timeout", "ended_evicted",
	"ended_flushed", "ended_reused",
	"state_syn_sent", "state_syn_recv", "state_established",
	"state_fin_wait_1", "state_fin_wait_2", "state_closing",
	"state_last_ack", "state_time_wait", "state_closed",
	"packets_seen", "packets_invalid", "table_full", "events_sent",
	"events_suppressed", "memory_bytes", "invalid_hdr_truncated",
	"rtt_syn_le_50us", "rtt_syn_le_100us", "rtt_syn_le_250us",
	"rtt_syn_le_500us", "rtt_syn_le_1000us", "rtt_syn_le_2500us",
	"rtt_syn_le_5000us", "rtt_syn_le_10000us", "rtt_syn_le_25000us",
	"rtt_syn_le_50000us", "rtt_syn_le_100000us", "rtt_syn_le_250000us",
	"rtt_syn_le_500000us", "rtt_syn_le_1000000us", "rtt_syn_le_2500000us",
	"rtt_syn_le_5000000us", "rtt_syn_le_inf", "rtt_syn_sum_us",
	"rtt_ack_le_50us", "rtt_ack_le_100us", "rtt_ack_le_250us",
	"rtt_ack_le_500us", "rtt_ack_le_1000us", "rtt_ack_le_2500us",
	"rtt_ack_le_5000us", "rtt_ack_le_10000us", "rtt_ack_le_25000us",
	"rtt_ack_le_50000us", "rtt_ack_le_100000us", "rtt_ack_le_250000us",
	"rtt_ack_le_500000us", "rtt_ack_le_1000000us", "rtt_ack_le_2500000us",
	"rtt_ack_le_5000000us", "rtt_ack_le_inf", "rtt_ack_sum_us",
};

/* SPEC section 5's bucket bounds, in µs. */
static const unsigned int spec_rtt_bounds[] = {
	50, 100, 250, 500, 1000, 2500, 5000, 10000, 25000, 50000, 100000,
	250000, 500000, 1000000, 2500000, 5000000,
};

TEST(stat_lines_in_spec_order)
{
	struct tcpsess_stat_line line;
	unsigned int n, next = 0, invalid = 0, reused = 0, midstream = 0;

	for (n = 0; tcpsess_stat_line(n, &line); n++) {
		ASSERT_LT(strlen(line.name) + 1, sizeof(line.name));
		if (!strcmp(line.name, "ended_reused"))
			reused = n;
		if (!strcmp(line.name, "invalid_midstream"))
			midstream = n;
		if (next < ARRAY_SIZE(spec_stats) &&
		    !strcmp(line.name, spec_stats[next]))
			next++;
		if (line.group == TCPSESS_STAT_GROUP_INVALID)
			ASSERT_EQ(++invalid, line.index);
	}
	ASSERT_EQ(ARRAY_SIZE(spec_stats), next);
	ASSERT_EQ(TCPSESS_INVALID_MAX, invalid);
	ASSERT_EQ(TCPSESS_STAT_MAX + TCPSESS_STATE_MAX + TCPSESS_INVALID_MAX +
		  2 * (TCPSESS_RTT_BUCKETS + 2), n);
	/* The gauges come right after ended_reused, as SPEC lists them. */
	ASSERT_TRUE(tcpsess_stat_line(reused + 1, &line));
	ASSERT_STREQ("state_syn_sent", line.name);
	ASSERT_EQ(TCPSESS_STAT_GROUP_STATE, line.group);
	/* The histograms come right after the last invalid reason. */
	ASSERT_TRUE(tcpsess_stat_line(midstream + 1, &line));
	ASSERT_STREQ("rtt_syn_le_50us", line.name);
	ASSERT_TRUE(tcpsess_stat_line(n - 1, &line));
	ASSERT_STREQ("rtt_ack_sum_us", line.name);
}

/*
 * Each histogram line names the field it prints: bucket i the i-th bound
 * of the uapi's list, which is SPEC's, then the count and the sum.
 */
TEST(rtt_lines_name_their_fields)
{
	static const unsigned int uapi_bounds[] = TCPSESS_RTT_BOUNDS_US;
	static const enum tcpsess_stat_group groups[] = {
		TCPSESS_STAT_GROUP_RTT_SYN, TCPSESS_STAT_GROUP_RTT_ACK,
	};
	static const char *const legs[] = { "syn", "ack" };
	struct tcpsess_stat_line line;
	unsigned int first = TCPSESS_STAT_MAX + TCPSESS_STATE_MAX +
			     TCPSESS_INVALID_MAX;
	unsigned int g, i, n = first;
	char expect[64];

	ASSERT_EQ(ARRAY_SIZE(spec_rtt_bounds), TCPSESS_RTT_BUCKETS);
	ASSERT_EQ(ARRAY_SIZE(uapi_bounds), TCPSESS_RTT_BUCKETS);
	ASSERT_EQ(TCPSESS_RTT_BUCKETS + 2, TCPSESS_RTT_HIST_MAX);
	for (g = 0; g < 2; g++) {
		for (i = 0; i < TCPSESS_RTT_BUCKETS; i++) {
			ASSERT_EQ(spec_rtt_bounds[i], uapi_bounds[i]);
			ASSERT_TRUE(tcpsess_stat_line(n++, &line));
			snprintf(expect, sizeof(expect), "rtt_%s_le_%uus",
				 legs[g], spec_rtt_bounds[i]);
			ASSERT_STREQ(expect, line.name);
			ASSERT_EQ(groups[g], line.group);
			ASSERT_EQ(TCPSESS_RTT_HIST_LE + i, line.index);
		}
		ASSERT_TRUE(tcpsess_stat_line(n++, &line));
		snprintf(expect, sizeof(expect), "rtt_%s_le_inf", legs[g]);
		ASSERT_STREQ(expect, line.name);
		ASSERT_EQ(groups[g], line.group);
		ASSERT_EQ(TCPSESS_RTT_HIST_COUNT, line.index);
		ASSERT_TRUE(tcpsess_stat_line(n++, &line));
		snprintf(expect, sizeof(expect), "rtt_%s_sum_us", legs[g]);
		ASSERT_STREQ(expect, line.name);
		ASSERT_EQ(groups[g], line.group);
		ASSERT_EQ(TCPSESS_RTT_HIST_SUM_US, line.index);
	}
	ASSERT_FALSE(tcpsess_stat_line(n, &line));
	ASSERT_FALSE(tcpsess_stat_line(n + 1000, &line));
}

TEST(state_names_lower)
{
	char lower[TCPSESS_STATE_NAME_LEN];
	unsigned int state, i;

	for (state = 1; state <= TCPSESS_STATE_MAX; state++) {
		const char *name = tcpsess_state_name(state);

		tcpsess_state_name_lower(state, lower);
		ASSERT_EQ(strlen(name), strlen(lower));
		for (i = 0; name[i]; i++)
			ASSERT_EQ(tolower((unsigned char)name[i]), lower[i]);
	}
}

TEST_HARNESS_MAIN
