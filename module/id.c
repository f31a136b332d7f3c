// SPDX-License-Identifier: GPL-2.0
/*
 * A session's id is its birth: the µs of ktime_get_ns() it was made at,
 * shifted up over the number of the CPU that made it. Each CPU stamps
 * strictly increasing µs, so no two ids are ever alike, and ids order
 * sessions by age, with no counter shared between CPUs. A CPU making more
 * than one session in a µs runs its stamps ahead of the clock by as many
 * µs; ages and handshake clocks, which are read against the clock, stop
 * at zero meanwhile. 64 bits hold 71 years of µs above the 13 bits of 8192
 * CPUs.
 */
#include <linux/bottom_half.h>
#include <linux/cpumask.h>
#include <linux/ktime.h>
#include <linux/log2.h>
#include <linux/math64.h>
#include <linux/percpu.h>

#include "id.h"

static unsigned int tcpsess_id_shift __read_mostly;
static DEFINE_PER_CPU(u64, tcpsess_last_born_us);

void tcpsess_id_init(void)
{
	tcpsess_id_shift = order_base_2(nr_cpu_ids);
}

u64 tcpsess_now_us(void)
{
	return div_u64(ktime_get_ns(), NSEC_PER_USEC);
}

u64 tcpsess_id_next(void)
{
	u64 now = tcpsess_now_us(), *last, id;

	/* A segment sent from process context may be making a session. */
	local_bh_disable();
	last = this_cpu_ptr(&tcpsess_last_born_us);
	if (now <= *last)
		now = *last + 1;
	*last = now;
	id = now << tcpsess_id_shift | smp_processor_id();
	local_bh_enable();
	return id;
}

u64 tcpsess_id_born_us(u64 id)
{
	return id >> tcpsess_id_shift;
}

/* The CPU that made it, which no other CPU's ids name. */
unsigned int tcpsess_id_cpu(u64 id)
{
	return id & ((1ULL << tcpsess_id_shift) - 1);
}
