/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TCPSESS_STATS_H
#define _TCPSESS_STATS_H

#include <linux/percpu.h>
#include <linux/tcpsess.h>

struct tcpsess_net;

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
};

struct tcpsess_stats_snapshot {
	u64 counter[__TCPSESS_STAT_MAX];
	u64 state[__TCPSESS_STATE_MAX];
	u64 invalid[__TCPSESS_INVALID_MAX];
};

#define tcpsess_stat_inc(tn, stat) \
	this_cpu_inc((tn)->stats->counter[TCPSESS_STAT_##stat])

int tcpsess_stats_init(struct tcpsess_net *tn);
void tcpsess_stats_uninit(struct tcpsess_net *tn);
void tcpsess_stats_read(struct tcpsess_net *tn,
			struct tcpsess_stats_snapshot *snap);

#endif /* _TCPSESS_STATS_H */
