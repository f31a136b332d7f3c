// SPDX-License-Identifier: GPL-2.0
/*
 * Where segments are seen. PRE_ROUTING catches everything that arrives,
 * forwarded or local; LOCAL_OUT everything this namespace sends. A segment
 * over loopback passes both, and counts at LOCAL_OUT only.
 *
 * The hooks run before defragmentation and conntrack, so that enforce mode
 * drops an invalid segment before anything else spends time on it.
 */
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>

#include "hooks.h"
#include "pernet.h"
#include "track.h"

static const struct nf_hook_ops tcpsess_hook_ops[TCPSESS_HOOKS] = {
	{
		.hook = tcpsess_hook,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_PRE_ROUTING,
		.priority = NF_IP_PRI_RAW_BEFORE_DEFRAG,
	},
	{
		.hook = tcpsess_hook,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_LOCAL_OUT,
		.priority = NF_IP_PRI_RAW_BEFORE_DEFRAG,
	},
	{
		.hook = tcpsess_hook,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_PRE_ROUTING,
		.priority = NF_IP6_PRI_RAW_BEFORE_DEFRAG,
	},
	{
		.hook = tcpsess_hook,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_LOCAL_OUT,
		.priority = NF_IP6_PRI_RAW_BEFORE_DEFRAG,
	},
};

/*
 * Each namespace registers its own copy of the hooks, whose priv is its
 * state: net_generic() would cost a read-side critical section, two calls
 * on a preemptible-RCU kernel, on every segment.
 */
int tcpsess_hooks_net_init(struct tcpsess_net *tn)
{
	unsigned int i;

	for (i = 0; i < TCPSESS_HOOKS; i++) {
		tn->hook_ops[i] = tcpsess_hook_ops[i];
		tn->hook_ops[i].priv = tn;
	}
	return nf_register_net_hooks(tn->net, tn->hook_ops, TCPSESS_HOOKS);
}

void tcpsess_hooks_net_exit(struct tcpsess_net *tn)
{
	nf_unregister_net_hooks(tn->net, tn->hook_ops, TCPSESS_HOOKS);
}
