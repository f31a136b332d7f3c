/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TCPSESS_PERNET_H
#define _TCPSESS_PERNET_H

#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "events.h"
#include "params.h"
#include "session.h"
#include "stats.h"

/* Everything the tracker keeps for one network namespace. */
struct tcpsess_net {
	struct net *net;
	u32 id;					/* what its sessions keep of it */
	struct tcpsess_config config;
	atomic_t count;				/* sessions in the table */
	struct tcpsess_pcpu_stats __percpu *stats;
	struct tcpsess_embryos __percpu *embryos;
	struct tcpsess_events events;
	struct proc_dir_entry *proc_dir;
};

extern unsigned int tcpsess_net_id;

static inline struct tcpsess_net *tcpsess_pernet(const struct net *net)
{
	return net_generic(net, tcpsess_net_id);
}

struct tcpsess_net *tcpsess_pernet_by_id(u32 id);

int tcpsess_pernet_init(void);
void tcpsess_pernet_uninit(void);

#endif /* _TCPSESS_PERNET_H */
