// SPDX-License-Identifier: GPL-2.0
/*
 * The slots sessions are made in: each namespace holds at most its
 * max_sessions, and all namespaces together at most max_sessions_total,
 * so that nobody can make the module hold more kernel memory than that by
 * making namespaces. A slot is taken before a session is allocated and
 * given back when it ends: one atomic of the namespace and one of the
 * module, touched once per session made and once per session ended.
 */
#include <linux/atomic.h>
#include <linux/compiler.h>
#include <linux/minmax.h>
#include <linux/mm.h>

#include "budget.h"
#include "evict.h"
#include "params.h"
#include "pernet.h"
#include "session.h"

static atomic_t tcpsess_total = ATOMIC_INIT(0);

/* Takes a slot below max; never lets the count pass it. */
static bool tcpsess_take_slot(atomic_t *count, int max)
{
	int n = atomic_read(count);

	do {
		if (n >= max)
			return false;
	} while (!atomic_try_cmpxchg(count, &n, n + 1));
	return true;
}

/*
 * The namespace's slot first: a namespace at its own limit then never
 * holds, even for a moment, a slot of the total that another namespace
 * is asking for.
 */
static bool tcpsess_take_slots(struct tcpsess_net *tn)
{
	if (!tcpsess_take_slot(&tn->count, READ_ONCE(tn->config.max_sessions)))
		return false;
	if (tcpsess_take_slot(&tcpsess_total, tcpsess_max_sessions_total))
		return true;
	atomic_dec(&tn->count);
	return false;
}

/*
 * A slot for a new session of this namespace, evicting one of its own
 * candidates to make room if it must. Whichever bound is reached, only
 * this namespace's sessions are evicted: when all namespaces together are
 * at max_sessions_total, a namespace may give up an unconfirmed session of
 * its own for a new one, but never takes a slot from another namespace.
 */
bool tcpsess_budget_take(struct tcpsess_net *tn)
{
	int tries;

	/* Each eviction frees a slot, but a concurrent creator may take it. */
	for (tries = 0; tries < TCPSESS_RACE_RETRIES; tries++) {
		if (tcpsess_take_slots(tn))
			return true;
		if (!tcpsess_evict_one(tn))
			break;
	}
	return false;
}

void tcpsess_budget_give_back(struct tcpsess_net *tn)
{
	atomic_dec(&tcpsess_total);
	atomic_dec(&tn->count);
}

/*
 * Unless told, a sixteenth of RAM in sessions of the larger (IPv6) size:
 * 381300 sessions on 1 GiB, more than one namespace's default
 * max_sessions, 6.1 million on 16 GiB.
 */
void tcpsess_budget_init(void)
{
	u64 bytes = (u64)totalram_pages() << PAGE_SHIFT;

	if (tcpsess_max_sessions_total)
		return;
	tcpsess_max_sessions_total =
		clamp_t(u64, div_u64(bytes / 16, sizeof(struct tcpsess_session)),
			TCPSESS_MAX_SESSIONS_TOTAL_MIN,
			TCPSESS_MAX_SESSIONS_TOTAL_LIMIT);
}

/* Every session has ended by now. */
void tcpsess_budget_uninit(void)
{
	WARN_ON_ONCE(atomic_read(&tcpsess_total));
}
