// SPDX-License-Identifier: GPL-2.0
#include <linux/cpumask.h>
#include <linux/percpu.h>

#include "pernet.h"
#include "stats.h"

static const u32 tcpsess_rtt_bounds_us[] = TCPSESS_RTT_BOUNDS_US;

static_assert(ARRAY_SIZE(tcpsess_rtt_bounds_us) == TCPSESS_RTT_BUCKETS);

/*
 * Records a handshake leg's RTT, once per session and leg, under its lock.
 * A linear search: it runs once per handshake, not per segment, and most
 * RTTs are found in the first few buckets.
 */
void tcpsess_stats_rtt(struct tcpsess_net *tn, enum tcpsess_rtt_leg leg,
		       u32 us)
{
	unsigned int i = 0;

	while (i < TCPSESS_RTT_BUCKETS && us > tcpsess_rtt_bounds_us[i])
		i++;
	this_cpu_inc(tn->stats->rtt[leg].bucket[i]);
	this_cpu_add(tn->stats->rtt[leg].sum_us, us);
}

int tcpsess_stats_init(struct tcpsess_net *tn)
{
	/* Charged, as the namespace itself is, to the cgroup making it. */
	tn->stats = alloc_percpu_gfp(struct tcpsess_pcpu_stats, GFP_KERNEL_ACCOUNT);
	return tn->stats ? 0 : -ENOMEM;
}

void tcpsess_stats_uninit(struct tcpsess_net *tn)
{
	free_percpu(tn->stats);
	tn->stats = NULL;
}

/*
 * What this namespace's tracker holds: its sessions, at the size their
 * cache really hands out, its table's buckets and its own state.
 */
static u64 tcpsess_stats_memory(struct tcpsess_net *tn, s64 session_bytes)
{
	/* Like the state gauges, a sum read mid-change can dip below zero. */
	return max_t(s64, session_bytes, 0) + sizeof(*tn) +
	       tcpsess_table_memory(&tn->table) +
	       (u64)(sizeof(struct tcpsess_pcpu_stats) +
		     sizeof(struct tcpsess_embryos)) * num_possible_cpus();
}

/* Sums one leg's histogram over the CPUs into GET_STATS' layout. */
static void tcpsess_stats_read_rtt(struct tcpsess_net *tn,
				   enum tcpsess_rtt_leg leg, u64 *out)
{
	u64 bucket[TCPSESS_RTT_BUCKETS + 1] = {}, sum = 0, le = 0;
	unsigned int i;
	int cpu;

	for_each_possible_cpu(cpu) {
		const struct tcpsess_rtt_hist *h = &per_cpu_ptr(tn->stats, cpu)->rtt[leg];

		for (i = 0; i <= TCPSESS_RTT_BUCKETS; i++)
			bucket[i] += READ_ONCE(h->bucket[i]);
		sum += READ_ONCE(h->sum_us);
	}
	/*
	 * Cumulative from the same copy, so that the buckets never decrease
	 * and le_inf counts exactly what they do, however records race in.
	 */
	for (i = 0; i < TCPSESS_RTT_BUCKETS; i++) {
		le += bucket[i];
		out[TCPSESS_RTT_HIST_LE + i] = le;
	}
	out[TCPSESS_RTT_HIST_COUNT] = le + bucket[TCPSESS_RTT_BUCKETS];
	out[TCPSESS_RTT_HIST_SUM_US] = sum;
}

void tcpsess_stats_read(struct tcpsess_net *tn,
			struct tcpsess_stats_snapshot *snap)
{
	s64 state[__TCPSESS_STATE_MAX] = {};
	s64 session_bytes = 0;
	enum tcpsess_rtt_leg leg;
	unsigned int i;
	int cpu;

	memset(snap, 0, sizeof(*snap));
	for_each_possible_cpu(cpu) {
		const struct tcpsess_pcpu_stats *pcpu = per_cpu_ptr(tn->stats, cpu);

		for (i = 0; i < __TCPSESS_STAT_MAX; i++)
			snap->counter[i] += READ_ONCE(pcpu->counter[i]);
		for (i = 0; i < __TCPSESS_STATE_MAX; i++)
			state[i] += READ_ONCE(pcpu->state[i]);
		for (i = 0; i < __TCPSESS_INVALID_MAX; i++)
			snap->invalid[i] += READ_ONCE(pcpu->invalid[i]);
		session_bytes += READ_ONCE(pcpu->session_bytes);
	}

	/* A sum read while sessions move between CPUs can dip below zero. */
	for (i = TCPSESS_STATE_NONE + 1; i < __TCPSESS_STATE_MAX; i++)
		snap->state[i] = state[i] > 0 ? state[i] : 0;
	snap->counter[TCPSESS_STAT_SESSIONS_ACTIVE] = atomic_read(&tn->count);
	snap->counter[TCPSESS_STAT_SESSIONS_MAX] =
		READ_ONCE(tn->config.max_sessions);
	snap->counter[TCPSESS_STAT_MEMORY_BYTES] =
		tcpsess_stats_memory(tn, session_bytes);
	for (leg = 0; leg < TCPSESS_RTT_LEGS; leg++)
		tcpsess_stats_read_rtt(tn, leg, snap->rtt[leg]);
}
