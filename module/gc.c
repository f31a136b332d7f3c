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
 *
 * The sweep also sends the UPDATE events of report_interval, so they cost
 * no walk of their own: while it is set, passes come a little more often
 * than that, and each sends the UPDATEs that fell due since the previous
 * pass began (see tcpsess_gc_report_due()). An UPDATE thus comes less
 * than report_interval late, unless a pass takes longer than that.
 */
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "expiry.h"
#include "gc.h"
#include "id.h"
#include "pernet.h"
#include "table.h"

#define TCPSESS_GC_SLICE_NS	(2 * NSEC_PER_MSEC)
#define TCPSESS_GC_GAP		HZ
#define TCPSESS_GC_GAP_BUSY	(HZ / 10)
#define TCPSESS_GC_GAP_MAX	(60 * HZ)

/* report_interval in jiffies compares as a deadline does. */
static_assert((u64)TCPSESS_REPORT_INTERVAL_LIMIT * HZ < (1ULL << 31));

/* Buckets swept under one rcu_read_lock(), between looks at the clock. */
#define TCPSESS_GC_BATCH	64

/*
 * A session's UPDATEs fall due at its birth plus each multiple of
 * report_interval, and a pass sends those that fell due between the
 * beginning of the pass before it and its own. These windows tile time,
 * and a walk sees a session that lives through it exactly once, so each
 * comes out of exactly one pass; two that fell due in one window (a pass
 * came late) go out as one. No session keeps a time of its own for this:
 * its birth is in its id.
 */
static bool tcpsess_gc_report_due(const struct tcpsess_gc *gc,
				  const struct tcpsess_session *s)
{
	u64 born = tcpsess_id_born_us(s->id), since, before, rem;

	if (born >= gc->begun_us)
		return false;
	since = gc->begun_us - born;
	before = gc->last_begun_us > born ? gc->last_begun_us - born : 0;
	div64_u64_rem(since, (u64)gc->report * USEC_PER_SEC, &rem);
	/* The last multiple up to since, since - rem, lies after before. */
	return rem < since - before;
}

/*
 * The caller holds rcu_read_lock(). report_lock is the chain's sessions'
 * lock while UPDATEs go out, else NULL.
 */
static void tcpsess_gc_chain(struct tcpsess_net *tn, struct tcpsess_session *s,
			     spinlock_t *report_lock)
{
	struct tcpsess_gc *gc = &tn->gc;
	u32 deadline;

	for (; s; s = tcpsess_walk_after(s)) {
		gc->scanned++;
		deadline = tcpsess_session_deadline(s, tn);
		if (!time_after32((u32)jiffies, deadline)) {
			if (time_before32(deadline, gc->soonest))
				gc->soonest = deadline;
			if (report_lock && tcpsess_gc_report_due(gc, s))
				tcpsess_session_report(tn, s, report_lock);
		} else if (tcpsess_session_end(tn, s, TCPSESS_END_TIMEOUT)) {
			gc->expired++;
		}
	}
}

static void tcpsess_gc_pass_begin(struct tcpsess_net *tn)
{
	struct tcpsess_gc *gc = &tn->gc;
	u32 now = (u32)jiffies;

	spin_lock_bh(&gc->lock);
	gc->in_pass = true;
	WRITE_ONCE(gc->next_pass, now + TCPSESS_GC_GAP_MAX);
	spin_unlock_bh(&gc->lock);
	gc->pos = 0;
	gc->scanned = 0;
	gc->expired = 0;
	gc->soonest = now + TCPSESS_GC_GAP_MAX;
	gc->begun = now;
	gc->last_begun_us = gc->begun_us;
	gc->begun_us = tcpsess_now_us();
	/* One interval for the whole pass, whatever netlink sets meanwhile. */
	gc->report = READ_ONCE(tn->config.report_interval);
}

/*
 * The next pass: at the earliest deadline this pass left or segments
 * announced during it, but not before the gap has passed. None while the
 * table is empty: the next session's birth wakes the GC.
 *
 * While report_interval is set, passes begin an eighth of it sooner than
 * that after each other, and the gap shrinks to fit: a timer that long
 * may fire up to an eighth late, and a window longer than the interval
 * would make two UPDATEs of a session one.
 */
static void tcpsess_gc_pass_end(struct tcpsess_net *tn)
{
	struct tcpsess_gc *gc = &tn->gc;
	u32 now = (u32)jiffies, gap = TCPSESS_GC_GAP, next, report;

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
	report = gc->report * HZ;
	if (report) {
		report -= report / 8;
		if (time_before32(gc->begun + report, next))
			next = gc->begun + report;
		gap = min(gap, report);
	}
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
	bool report;

	if (!gc->pos)
		tcpsess_gc_pass_begin(tn);
	mutex_lock(&tn->table.walk_mutex);
	b = tcpsess_table_walked(&tn->table);
	while (gc->pos < TCPSESS_WALK_END) {
		rcu_read_lock();
		/* With nobody listening, no UPDATE is due. */
		report = gc->report && tcpsess_events_wanted(tn);
		for (n = 0; n < TCPSESS_GC_BATCH && gc->pos < TCPSESS_WALK_END; n++) {
			bucket = tcpsess_walk_bucket(b, &gc->pos);
			tcpsess_gc_chain(tn, tcpsess_walk_first(b, bucket),
					 report ? tcpsess_walk_lock(bucket) : NULL);
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
	u32 now, report;

	if (!time_before32(deadline, READ_ONCE(gc->next_pass)) &&
	    !READ_ONCE(gc->asleep))
		return;
	spin_lock_bh(&gc->lock);
	if (gc->asleep) {
		/* The first UPDATE of the session waking the GC. */
		report = READ_ONCE(tn->config.report_interval) * HZ;
		if (report && time_before32((u32)jiffies + report, deadline))
			deadline = (u32)jiffies + report;
	}
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

/*
 * report_interval was set: UPDATEs may fall due before the next pass,
 * which a longer interval scheduled.
 */
void tcpsess_gc_report_changed(struct tcpsess_net *tn)
{
	u32 report = READ_ONCE(tn->config.report_interval);

	if (report && atomic_read(&tn->count))
		tcpsess_gc_expect(tn, (u32)jiffies + report * HZ);
}

void tcpsess_gc_net_init(struct tcpsess_net *tn)
{
	struct tcpsess_gc *gc = &tn->gc;

	INIT_DELAYED_WORK(&gc->work, tcpsess_gc_worker);
	spin_lock_init(&gc->lock);
	gc->next_pass = (u32)jiffies + TCPSESS_GC_GAP_MAX;
	gc->asleep = true;
	/* No session is older: the first pass's window starts here. */
	gc->begun_us = tcpsess_now_us();
}

/* Once nothing can make a session or shorten a timeout any more. */
void tcpsess_gc_net_exit(struct tcpsess_net *tn)
{
	cancel_delayed_work_sync(&tn->gc.work);
}
