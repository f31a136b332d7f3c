/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TCPSESS_STATS_H
#define _TCPSESS_STATS_H

#include <linux/percpu.h>
#include <linux/tcpsess.h>

struct tcpsess_net;

/* The two legs of the handshake that are timed, one histogram each. */
enum tcpsess_rtt_leg {
	TCPSESS_RTT_SYN,	/* SYN -> SYN-ACK: rtt_syn_us */
	TCPSESS_RTT_ACK,	/* SYN-ACK -> ACK: rtt_ack_us */
	TCPSESS_RTT_LEGS
};

/*
 * One CPU's share of a histogram: bucket[i] counts the RTTs above bound
 * i - 1 and at most bound i, bucket[TCPSESS_RTT_BUCKETS] those above the
 * last. A record is one increment; readers make them cumulative.
 */
struct tcpsess_rtt_hist {
	u64 bucket[TCPSESS_RTT_BUCKETS + 1];
	u64 sum_us;
};

/*
 * Counters are per CPU so that the packet path never bounces a shared
 * cache line; readers sum them. Gauges (states, session memory) go up on
 * one CPU and down on another, so only their sum means anything.
 */
struct tcpsess_pcpu_stats {
	u64 counter[__TCPSESS_STAT_MAX];
	s64 state[__TCPSESS_STATE_MAX];
	u64 invalid[__TCPSESS_INVALID_MAX];
	s64 session_bytes;	/* slab objects of sessions holding a slot */
	struct tcpsess_rtt_hist rtt[TCPSESS_RTT_LEGS];
};

struct tcpsess_stats_snapshot {
	u64 counter[__TCPSESS_STAT_MAX];
	u64 state[__TCPSESS_STATE_MAX];
	u64 invalid[__TCPSESS_INVALID_MAX];
	u64 rtt[TCPSESS_RTT_LEGS][__TCPSESS_RTT_HIST_MAX]; /* as GET_STATS */
};

#define tcpsess_stat_inc(tn, stat) \
	this_cpu_inc((tn)->stats->counter[TCPSESS_STAT_##stat])

void tcpsess_stats_rtt(struct tcpsess_net *tn, enum tcpsess_rtt_leg leg,
		       u32 us);
int tcpsess_stats_init(struct tcpsess_net *tn);
void tcpsess_stats_uninit(struct tcpsess_net *tn);
void tcpsess_stats_read(struct tcpsess_net *tn,
			struct tcpsess_stats_snapshot *snap);

#endif /* _TCPSESS_STATS_H */
