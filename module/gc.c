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

static void tcpsess_gc_bucket(unsigned int bucket)
{
	struct tcpsess_session *s;

	rcu_read_lock();
	hlist_for_each_entry_rcu(s, &tcpsess_table.buckets[bucket], hnode) {
		tcpsess_gc.scanned++;
		if (tcpsess_session_expired(s, tcpsess_pernet(tcpsess_session_net(s))) &&
		    tcpsess_session_end_expired(s))
			tcpsess_gc.expired++;
	}
	rcu_read_unlock();
}

static void tcpsess_gc_worker(struct work_struct *work)
{
	u64 start = ktime_get_ns();
	unsigned int bucket = tcpsess_gc.next_bucket;
	unsigned long delay;

	for (; bucket < tcpsess_table.size; bucket++) {
		tcpsess_gc_bucket(bucket);
		if ((bucket & 63) == 63 &&
		    ktime_get_ns() - start > TCPSESS_GC_SLICE_NS) {
			tcpsess_gc.next_bucket = bucket + 1;
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
