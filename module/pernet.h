/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TCPSESS_PERNET_H
#define _TCPSESS_PERNET_H

#include <net/net_namespace.h>
#include <net/netns/generic.h>

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

int tcpsess_pernet_init(void);
void tcpsess_pernet_uninit(void);

#endif /* _TCPSESS_PERNET_H */
