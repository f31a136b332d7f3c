// SPDX-License-Identifier: GPL-2.0
/*
 * Reaps idle sessions. Each namespace has its own worker, walking its own
 * table in slices of a few milliseconds, so a table of millions never
 * holds a CPU for long, and one namespace's sessions and timeouts never
 * make another's passes longer or more frequent.
 *
 * A pass costs as much as the table holds, so passes come only when
 * something can be due: a pass schedules the next for the earliest
 * deadline it saw, but a second after it at the soonest (a tenth of that
 * while most of what it found had expired, as after a flood) and a minute
 * at the latest; none at all once the table is empty. A session given an
 * earlier deadline meanwhile (a new one, a state with a shorter timeout, a
 * shorter timeout configured) pulls the pass in. Readers hide an expired
 * session at once, so the sweep only decides when its end is counted and
 * its slot freed.
 */
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "expiry.h"
#include "gc.h"
#include "pernet.h"
#include "table.h"

#define TCPSESS_GC_SLICE_NS	(2 * NSEC_PER_MSEC)
#define TCPSESS_GC_GAP		HZ
#define TCPSESS_GC_GAP_BUSY	(HZ / 10)
#define TCPSESS_GC_GAP_MAX	(60 * HZ)

/* Buckets swept under one rcu_read_lock(), between looks at the clock. */
#define TCPSESS_GC_BATCH	64

/* The caller holds rcu_read_lock(). */
static void tcpsess_gc_chain(struct tcpsess_net *tn, struct tcpsess_session *s)
{
	struct tcpsess_gc *gc = &tn->gc;
	u32 deadline;

	for (; s; s = tcpsess_walk_after(s)) {
		gc->scanned++;
		deadline = tcpsess_session_deadline(s, tn);
		if (!time_after32((u32)jiffies, deadline)) {
			if (time_before32(deadline, gc->soonest))
				gc->soonest = deadline;
		} else if (tcpsess_session_end(tn, s, TCPSESS_END_TIMEOUT)) {
			gc->expired++;
		}
	}
}

static void tcpsess_gc_pass_begin(struct tcpsess_gc *gc)
{
	u32 now = (u32)jiffies;

	spin_lock_bh(&gc->lock);
	gc->in_pass = true;
	WRITE_ONCE(gc->next_pass, now + TCPSESS_GC_GAP_MAX);
	spin_unlock_bh(&gc->lock);
	gc->pos = 0;
	gc->scanned = 0;
	gc->expired = 0;
	gc->soonest = now + TCPSESS_GC_GAP_MAX;
}

/*
 * The next pass: at the earliest deadline this pass left or segments
 * announced during it, but not before the gap has passed. None while the
 * table is empty: the next session's birth wakes the GC.
 */
static void tcpsess_gc_pass_end(struct tcpsess_net *tn)
{
	struct tcpsess_gc *gc = &tn->gc;
	u32 now = (u32)jiffies, gap = TCPSESS_GC_GAP, next;

	if (gc->expired * 8 > gc->scanned)
		gap = TCPSESS_GC_GAP_BUSY;
	spin_lock_bh(&gc->lock);
	gc->in_pass = false;
	if (!atomic_read(&tn->count)) {
		WRITE_ONCE(gc->asleep, true);
		/*
		 * A birth takes its slot, then looks whether the GC sleeps:
		 * either it sees that, or this sees its slot.
		 */
		smp_mb();
		if (!atomic_read(&tn->count)) {
			spin_unlock_bh(&gc->lock);
			return;
		}
		WRITE_ONCE(gc->asleep, false);
	}
	next = gc->next_pass;
	if (time_before32(gc->soonest, next))
		next = gc->soonest;
	/* One jiffy late, so that the earliest deadline has passed. */
	next++;
	if (time_before32(next, now + gap))
		next = now + gap;
	WRITE_ONCE(gc->next_pass, next);
	queue_delayed_work(system_power_efficient_wq, &gc->work, next - now);
	spin_unlock_bh(&gc->lock);
}

/*
 * Empty buckets cost one load, and a batch of buckets one read-side
 * critical section: on a preemptible-RCU kernel, entering and leaving one
 * per bucket would cost more than a sweep of empty buckets. The walk
 * mutex is held for a slice: the table may grow between slices, which the
 * walk's position allows for.
 */
static void tcpsess_gc_worker(struct work_struct *work)
{
	struct tcpsess_gc *gc = container_of(to_delayed_work(work),
					     struct tcpsess_gc, work);
	struct tcpsess_net *tn = container_of(gc, struct tcpsess_net, gc);
	u64 start = ktime_get_ns();
	struct tcpsess_buckets *b;
	struct tcpsess_bucket bucket;
	unsigned int n;

	if (!gc->pos)
		tcpsess_gc_pass_begin(gc);
	mutex_lock(&tn->table.walk_mutex);
	b = tcpsess_table_walked(&tn->table);
	while (gc->pos < TCPSESS_WALK_END) {
		rcu_read_lock();
		for (n = 0; n < TCPSESS_GC_BATCH && gc->pos < TCPSESS_WALK_END; n++) {
			bucket = tcpsess_walk_bucket(b, &gc->pos);
			tcpsess_gc_chain(tn, tcpsess_walk_first(b, bucket));
			gc->pos = tcpsess_walk_next(b, gc->pos);
		}
		rcu_read_unlock();
		if (gc->pos < TCPSESS_WALK_END &&
		    ktime_get_ns() - start > TCPSESS_GC_SLICE_NS) {
			mutex_unlock(&tn->table.walk_mutex);
			queue_delayed_work(system_power_efficient_wq, &gc->work, 1);
			return;
		}
	}
	mutex_unlock(&tn->table.walk_mutex);
	gc->pos = 0;
	tcpsess_gc_pass_end(tn);
}

/*
 * A session may now expire at deadline (jiffies), sooner than the GC
 * knows of. On the packet path, but only at a session's birth and its
 * state changes, and lock-free unless the deadline comes first or the GC
 * sleeps.
 */
void tcpsess_gc_expect(struct tcpsess_net *tn, u32 deadline)
{
	struct tcpsess_gc *gc = &tn->gc;
	u32 now;

	if (!time_before32(deadline, READ_ONCE(gc->next_pass)) &&
	    !READ_ONCE(gc->asleep))
		return;
	spin_lock_bh(&gc->lock);
	if (gc->asleep || time_before32(deadline, gc->next_pass)) {
		WRITE_ONCE(gc->asleep, false);
		WRITE_ONCE(gc->next_pass, deadline);
		/* A pass under way reschedules itself when it ends. */
		if (!gc->in_pass) {
			now = (u32)jiffies;
			mod_delayed_work(system_power_efficient_wq, &gc->work,
					 time_after32(deadline, now) ?
					 deadline - now + 1 : 0);
		}
	}
	spin_unlock_bh(&gc->lock);
}

void tcpsess_gc_net_init(struct tcpsess_net *tn)
{
	struct tcpsess_gc *gc = &tn->gc;

	INIT_DELAYED_WORK(&gc->work, tcpsess_gc_worker);
	spin_lock_init(&gc->lock);
	gc->next_pass = (u32)jiffies + TCPSESS_GC_GAP_MAX;
	gc->asleep = true;
}

/* Once nothing can make a session or shorten a timeout any more. */
void tcpsess_gc_net_exit(struct tcpsess_net *tn)
{
	cancel_delayed_work_sync(&tn->gc.work);
}
