/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TCPSESS_PERNET_H
#define _TCPSESS_PERNET_H

#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include <linux/jiffies.h>
#include <linux/netfilter.h>

#include "events.h"
#include "evict.h"
#include "gc.h"
#include "hooks.h"
#include "params.h"
#include "session.h"
#include "stats.h"
#include "table.h"

/* Everything the tracker keeps for one network namespace. */
struct tcpsess_net {
	struct net *net;
	struct tcpsess_config config;
	struct tcpsess_table table;
	atomic_t count;				/* sessions in the table */
	struct tcpsess_gc gc;
	struct tcpsess_pcpu_stats __percpu *stats;
	struct tcpsess_embryos __percpu *embryos;
	struct tcpsess_events events;
	struct proc_dir_entry *proc_dir;
	struct nf_hook_ops hook_ops[TCPSESS_HOOKS];	/* priv: this */
	/*
	 * Pays for the sessions and the table, whichever context makes them;
	 * NULL: the task at hand pays, if any.
	 */
	struct mem_cgroup *memcg;
};

extern unsigned int tcpsess_net_id;

static inline struct tcpsess_net *tcpsess_pernet(const struct net *net)
{
	return net_generic(net, tcpsess_net_id);
}

/* The jiffies after which a session is expired, unless refreshed first. */
static inline u32 tcpsess_session_deadline(const struct tcpsess_session *s,
					   const struct tcpsess_net *tn)
{
	u8 state = READ_ONCE(s->fsm.state);
	u32 timeout = READ_ONCE(tn->config.timeout[state]);

	/* Never longer than a confirmed session in the same state. */
	if (unlikely(READ_ONCE(s->flags) & TCPSESS_SESSION_PROVISIONAL))
		timeout = min(timeout, READ_ONCE(tn->config.timeout_pickup));
	return READ_ONCE(s->last_seen) + timeout * HZ;
}

/* Racy by design: a stale answer only delays a session's end by one scan. */
static inline bool tcpsess_session_expired(const struct tcpsess_session *s,
					   const struct tcpsess_net *tn)
{
	return time_after32((u32)jiffies, tcpsess_session_deadline(s, tn));
}

int tcpsess_pernet_init(void);
void tcpsess_pernet_uninit(void);

#endif /* _TCPSESS_PERNET_H */
