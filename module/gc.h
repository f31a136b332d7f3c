/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TCPSESS_GC_H
#define _TCPSESS_GC_H

#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>

struct tcpsess_net;

/* A namespace's reaper of idle sessions: see gc.c. */
struct tcpsess_gc {
	struct delayed_work work;
	spinlock_t lock;		/* next_pass, in_pass, asleep */
	/*
	 * jiffies when the next pass starts; while one runs, the earliest
	 * deadline segments announced meanwhile. Read locklessly by them.
	 */
	u32 next_pass;
	bool in_pass;
	/* No pass is scheduled: the table was empty when the last one ended. */
	bool asleep;
	/* The pass under way, touched by the worker alone. */
	u64 pos;			/* a walk position: see table.h */
	unsigned long scanned;
	unsigned long expired;
	u32 soonest;			/* earliest deadline of a survivor */
	u32 begun;			/* jiffies when it began */
	u32 report;			/* report_interval then, 0: no UPDATE */
	/* Its window of UPDATEs, in tcpsess_now_us(): see gc.c. */
	u64 begun_us;
	u64 last_begun_us;		/* of the pass before it */
};

void tcpsess_gc_net_init(struct tcpsess_net *tn);
void tcpsess_gc_net_exit(struct tcpsess_net *tn);
void tcpsess_gc_expect(struct tcpsess_net *tn, u32 deadline);
void tcpsess_gc_report_changed(struct tcpsess_net *tn);

#endif /* _TCPSESS_GC_H */
