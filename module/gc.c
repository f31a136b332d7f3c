// SPDX-License-Identifier: GPL-2.0
/*
 * Reaps idle sessions. One worker walks the whole table in slices of a few
 * milliseconds, so a table of millions never holds a CPU for long, and
 * sweeps again within a second; sooner while most of what it finds has
 * expired, as after a flood. Readers hide an expired session at once, so
 * the sweep only decides when its end is counted.
 */
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/workqueue.h>

#include "gc.h"
#include "pernet.h"
#include "table.h"

#define TCPSESS_GC_SLICE_NS	(2 * NSEC_PER_MSEC)
#define TCPSESS_GC_PASS_EVERY	HZ
#define TCPSESS_GC_PASS_BUSY	(HZ / 10)

struct tcpsess_gc {
	struct delayed_work work;
	unsigned int next_bucket;
	unsigned long scanned;		/* this pass */
	unsigned long expired;
};

static struct tcpsess_gc tcpsess_gc;

/* Buckets swept under one rcu_read_lock(), between looks at the clock. */
#define TCPSESS_GC_BATCH	64

/* The caller holds rcu_read_lock(). */
static void tcpsess_gc_bucket(unsigned int bucket)
{
	struct tcpsess_session *s;

	hlist_for_each_entry_rcu(s, &tcpsess_table.buckets[bucket], hnode) {
		tcpsess_gc.scanned++;
		if (tcpsess_session_expired(s, tcpsess_pernet(tcpsess_session_net(s))) &&
		    tcpsess_session_end_expired(s))
			tcpsess_gc.expired++;
	}
}

/*
 * The cost of a pass follows the table's size more than its sessions, so
 * an empty bucket costs one load, and a batch of buckets one read-side
 * critical section: on a preemptible-RCU kernel, entering one per bucket
 * had made the sweep of a million buckets most of its time.
 */
static void tcpsess_gc_worker(struct work_struct *work)
{
	u64 start = ktime_get_ns();
	unsigned int bucket = tcpsess_gc.next_bucket;
	unsigned int size = tcpsess_table.size;
	unsigned long delay;

	while (bucket < size) {
		unsigned int end = min(bucket + TCPSESS_GC_BATCH, size);

		rcu_read_lock();
		for (; bucket < end; bucket++)
			if (!hlist_empty(&tcpsess_table.buckets[bucket]))
				tcpsess_gc_bucket(bucket);
		rcu_read_unlock();
		if (bucket < size && ktime_get_ns() - start > TCPSESS_GC_SLICE_NS) {
			tcpsess_gc.next_bucket = bucket;
			queue_delayed_work(system_power_efficient_wq,
					   &tcpsess_gc.work, 1);
			return;
		}
	}

	delay = TCPSESS_GC_PASS_EVERY;
	if (tcpsess_gc.expired * 8 > tcpsess_gc.scanned)
		delay = TCPSESS_GC_PASS_BUSY;
	tcpsess_gc.next_bucket = 0;
	tcpsess_gc.scanned = 0;
	tcpsess_gc.expired = 0;
	queue_delayed_work(system_power_efficient_wq, &tcpsess_gc.work, delay);
}

void tcpsess_gc_init(void)
{
	INIT_DELAYED_WORK(&tcpsess_gc.work, tcpsess_gc_worker);
	queue_delayed_work(system_power_efficient_wq, &tcpsess_gc.work,
			   TCPSESS_GC_PASS_EVERY);
}

void tcpsess_gc_uninit(void)
{
	cancel_delayed_work_sync(&tcpsess_gc.work);
}
