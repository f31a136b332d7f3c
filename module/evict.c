// SPDX-License-Identifier: GPL-2.0
/*
 * Eviction: a full namespace makes room by ending its oldest candidate, a
 * session tcpsess_session_evictable() says it may give up. Each namespace
 * keeps one list of candidates per CPU, in order of birth, on the CPU
 * named in the session's id; the oldest candidate is then the oldest of
 * the lists' heads, found without a lock the whole namespace shares.
 *
 * A session joins and leaves its list only under its session lock (and
 * the list's), so under that lock whether it is on one cannot change;
 * neighbours coming and going rewrite its links meanwhile, but never to
 * point at itself. Lock order: session lock, then list lock.
 */
#include <linux/bottom_half.h>
#include <linux/percpu.h>

#include "evict.h"
#include "id.h"
#include "pernet.h"
#include "race.h"
#include "session.h"

static struct tcpsess_embryos *tcpsess_embryos_of(struct tcpsess_net *tn,
						  const struct tcpsess_session *s)
{
	return per_cpu_ptr(tn->embryos, tcpsess_id_cpu(s->id));
}

/* A new candidate, under its session lock. */
void tcpsess_evict_add(struct tcpsess_net *tn, struct tcpsess_session *s)
{
	struct tcpsess_embryos *embryos = tcpsess_embryos_of(tn, s);

	spin_lock(&embryos->lock);
	list_add_tail(&s->embryo_node, &embryos->list);
	spin_unlock(&embryos->lock);
}

/* Under the session lock: off its list, if it is on one. */
void tcpsess_evict_del(struct tcpsess_net *tn, struct tcpsess_session *s)
{
	struct tcpsess_embryos *embryos;

	if (list_empty(&s->embryo_node))
		return;
	embryos = tcpsess_embryos_of(tn, s);
	spin_lock(&embryos->lock);
	list_del_init(&s->embryo_node);
	spin_unlock(&embryos->lock);
}

/*
 * After a change, under the session lock: a session that just stopped
 * being a candidate leaves its list. None ever becomes one again.
 */
void tcpsess_evict_update(struct tcpsess_net *tn, struct tcpsess_session *s)
{
	if (!tcpsess_session_evictable(s))
		tcpsess_evict_del(tn, s);
}

/*
 * Makes room by ending the oldest candidate; false if there was none.
 * Called under rcu_read_lock(): once its list's lock is dropped, a head
 * may be established or ended by another CPU, but not freed. Whether it
 * is still a candidate is decided by its end, under its lock.
 */
bool tcpsess_evict_one(struct tcpsess_net *tn)
{
	struct tcpsess_session *victim, *head;
	struct tcpsess_embryos *embryos;
	int tries, cpu;

	for (tries = 0; tries < TCPSESS_RACE_RETRIES; tries++) {
		victim = NULL;
		for_each_possible_cpu(cpu) {
			embryos = per_cpu_ptr(tn->embryos, cpu);
			spin_lock_bh(&embryos->lock);
			head = list_first_entry_or_null(&embryos->list,
							struct tcpsess_session,
							embryo_node);
			if (head && (!victim || head->id < victim->id))
				victim = head;
			spin_unlock_bh(&embryos->lock);
		}
		if (!victim)
			return false;
		/*
		 * The victim was a candidate under its list's lock, now
		 * dropped: another CPU may establish it before its end takes
		 * its session lock, and the end must then refuse (the
		 * evictor once ended it regardless). A test build can hold
		 * this moment open, so a test can establish it here at will.
		 */
		tcpsess_race_window(TCPSESS_RACE_EVICT);
		if (tcpsess_session_end(tn, victim, TCPSESS_END_EVICTED))
			return true;
	}
	return false;
}

int tcpsess_evict_net_init(struct tcpsess_net *tn)
{
	int cpu;

	/* Charged, as the namespace itself is, to the cgroup making it. */
	tn->embryos = alloc_percpu_gfp(struct tcpsess_embryos, GFP_KERNEL_ACCOUNT);
	if (!tn->embryos)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		struct tcpsess_embryos *embryos = per_cpu_ptr(tn->embryos, cpu);

		spin_lock_init(&embryos->lock);
		INIT_LIST_HEAD(&embryos->list);
	}
	return 0;
}

/* Every session of the namespace has ended by now. */
void tcpsess_evict_net_uninit(struct tcpsess_net *tn)
{
	int cpu;

	for_each_possible_cpu(cpu)
		WARN_ON_ONCE(!list_empty(&per_cpu_ptr(tn->embryos, cpu)->list));
	free_percpu(tn->embryos);
	tn->embryos = NULL;
}
