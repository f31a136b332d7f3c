// SPDX-License-Identifier: GPL-2.0
/*
 * Reaps idle sessions. One worker walks the whole table in slices of a few
 * milliseconds, so a table of millions never holds a CPU for long.
 *
 * A pass costs as much as the table holds, so passes come only when
 * something can be due: a pass schedules the next for the earliest
 * deadline it saw, but a second after it at the soonest (a tenth of that
 * while most of what it found had expired, as after a flood) and a minute
 * at the latest. A session given an earlier deadline meanwhile (a new
 * one, a state with a shorter timeout, a shorter timeout configured) pulls
 * the pass in. Readers hide an expired session at once, so the sweep only
 * decides when its end is counted and its slot freed.
 */
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "gc.h"
#include "pernet.h"
#include "table.h"

#define TCPSESS_GC_SLICE_NS	(2 * NSEC_PER_MSEC)
#define TCPSESS_GC_GAP		HZ
#define TCPSESS_GC_GAP_BUSY	(HZ / 10)
#define TCPSESS_GC_GAP_MAX	(60 * HZ)

struct tcpsess_gc {
	struct delayed_work work;
	spinlock_t lock;		/* next_pass, in_pass */
	/*
	 * jiffies when the next pass starts; while one runs, the earliest
	 * deadline segments announced meanwhile. Read locklessly by them.
	 */
	u32 next_pass;
	bool in_pass;
	/* The pass under way, touched by the worker alone. */
	unsigned int next_bucket;
	unsigned long scanned;
	unsigned long expired;
	u32 soonest;			/* earliest deadline of a survivor */
};

static struct tcpsess_gc tcpsess_gc;

/* Buckets swept under one rcu_read_lock(), between looks at the clock. */
#define TCPSESS_GC_BATCH	64

/* The caller holds rcu_read_lock(). */
static void tcpsess_gc_bucket(unsigned int bucket)
{
	struct tcpsess_session *s;
	struct tcpsess_net *tn;
	u32 deadline;

	for (s = tcpsess_chain_first(bucket); s; s = tcpsess_chain_next(s)) {
		tcpsess_gc.scanned++;
		/* None: its namespace is going, and it is dead already. */
		tn = tcpsess_pernet_by_id(s->net_id);
		if (!tn)
			continue;
		deadline = tcpsess_session_deadline(s, tn);
		if (!time_after32((u32)jiffies, deadline)) {
			if (time_before32(deadline, tcpsess_gc.soonest))
				tcpsess_gc.soonest = deadline;
		} else if (tcpsess_session_end(tn, s, TCPSESS_END_TIMEOUT)) {
			tcpsess_gc.expired++;
		}
	}
}

static void tcpsess_gc_pass_begin(void)
{
	u32 now = (u32)jiffies;

	spin_lock_bh(&tcpsess_gc.lock);
	tcpsess_gc.in_pass = true;
	WRITE_ONCE(tcpsess_gc.next_pass, now + TCPSESS_GC_GAP_MAX);
	spin_unlock_bh(&tcpsess_gc.lock);
	tcpsess_gc.next_bucket = 0;
	tcpsess_gc.scanned = 0;
	tcpsess_gc.expired = 0;
	tcpsess_gc.soonest = now + TCPSESS_GC_GAP_MAX;
}

/*
 * The next pass: at the earliest deadline this pass left or segments
 * announced during it, but not before the gap has passed.
 */
static void tcpsess_gc_pass_end(void)
{
	u32 now = (u32)jiffies, gap = TCPSESS_GC_GAP, next;

	if (tcpsess_gc.expired * 8 > tcpsess_gc.scanned)
		gap = TCPSESS_GC_GAP_BUSY;
	spin_lock_bh(&tcpsess_gc.lock);
	next = tcpsess_gc.next_pass;
	if (time_before32(tcpsess_gc.soonest, next))
		next = tcpsess_gc.soonest;
	/* One jiffy late, so that the earliest deadline has passed. */
	next++;
	if (time_before32(next, now + gap))
		next = now + gap;
	WRITE_ONCE(tcpsess_gc.next_pass, next);
	tcpsess_gc.in_pass = false;
	queue_delayed_work(system_power_efficient_wq, &tcpsess_gc.work,
			   next - now);
	spin_unlock_bh(&tcpsess_gc.lock);
}

/*
 * Empty buckets cost one load, and a batch of buckets one read-side
 * critical section: on a preemptible-RCU kernel, entering one per bucket
 * had made the sweep of a million buckets most of its time.
 */
static void tcpsess_gc_worker(struct work_struct *work)
{
	u64 start = ktime_get_ns();
	unsigned int size = tcpsess_table.size;
	unsigned int bucket;

	if (!tcpsess_gc.next_bucket)
		tcpsess_gc_pass_begin();
	bucket = tcpsess_gc.next_bucket;
	while (bucket < size) {
		unsigned int end = min(bucket + TCPSESS_GC_BATCH, size);

		rcu_read_lock();
		for (; bucket < end; bucket++)
			if (!tcpsess_bucket_empty(bucket))
				tcpsess_gc_bucket(bucket);
		rcu_read_unlock();
		if (bucket < size && ktime_get_ns() - start > TCPSESS_GC_SLICE_NS) {
			tcpsess_gc.next_bucket = bucket;
			queue_delayed_work(system_power_efficient_wq,
					   &tcpsess_gc.work, 1);
			return;
		}
	}
	tcpsess_gc.next_bucket = 0;
	tcpsess_gc_pass_end();
}

/*
 * A session may now expire at deadline (jiffies), sooner than the GC
 * knows of. On the packet path, but only at a session's birth and its
 * state changes, and lock-free unless the deadline comes first.
 */
void tcpsess_gc_expect(u32 deadline)
{
	u32 now;

	if (!time_before32(deadline, READ_ONCE(tcpsess_gc.next_pass)))
		return;
	spin_lock_bh(&tcpsess_gc.lock);
	if (time_before32(deadline, tcpsess_gc.next_pass)) {
		WRITE_ONCE(tcpsess_gc.next_pass, deadline);
		/* A pass under way reschedules itself when it ends. */
		if (!tcpsess_gc.in_pass) {
			now = (u32)jiffies;
			mod_delayed_work(system_power_efficient_wq,
					 &tcpsess_gc.work,
					 time_after32(deadline, now) ?
					 deadline - now + 1 : 0);
		}
	}
	spin_unlock_bh(&tcpsess_gc.lock);
}

void tcpsess_gc_init(void)
{
	INIT_DELAYED_WORK(&tcpsess_gc.work, tcpsess_gc_worker);
	spin_lock_init(&tcpsess_gc.lock);
	tcpsess_gc.next_pass = (u32)jiffies + TCPSESS_GC_GAP_MAX;
	queue_delayed_work(system_power_efficient_wq, &tcpsess_gc.work,
			   TCPSESS_GC_GAP_MAX);
}

void tcpsess_gc_uninit(void)
{
	cancel_delayed_work_sync(&tcpsess_gc.work);
}
