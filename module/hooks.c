// SPDX-License-Identifier: GPL-2.0
/*
 * Where segments are seen. PRE_ROUTING catches everything that arrives,
 * forwarded or local; LOCAL_OUT everything this namespace sends. A segment
 * over loopback passes both, and counts at LOCAL_OUT only.
 *
 * The hooks run just after destination NAT (and so after defragmentation
 * and conntrack), before any filter chain: a translated connection shows
 * both directions under one tuple, the one they share inside this box.
 * An arriving reply has had an earlier source NAT undone by then, and a
 * forward's or an OUTPUT chain's destination NAT has been applied to the
 * original direction; the replies' undoing of that comes later, at
 * POSTROUTING or LOCAL_IN. enforce mode still drops an invalid segment
 * before routing, forwarding and any socket.
 *
 * Defragmentation is enabled in every namespace whether or not conntrack
 * is used there, so that a segment is always judged whole.
 */
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <net/netfilter/ipv4/nf_defrag_ipv4.h>
#include <net/netfilter/ipv6/nf_defrag_ipv6.h>

#include "compat.h"
#include "hooks.h"
#include "pernet.h"
#include "track.h"

/* Every NAT chain runs inside the NAT core's hook at NAT_DST, whatever its own priority. */
#define TCPSESS_PRI_IPV4	(NF_IP_PRI_NAT_DST + 1)
#define TCPSESS_PRI_IPV6	(NF_IP6_PRI_NAT_DST + 1)

static const struct nf_hook_ops tcpsess_hook_ops[TCPSESS_HOOKS] = {
	{
		.hook = tcpsess_hook,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_PRE_ROUTING,
		.priority = TCPSESS_PRI_IPV4,
	},
	{
		.hook = tcpsess_hook,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_LOCAL_OUT,
		.priority = TCPSESS_PRI_IPV4,
	},
	{
		.hook = tcpsess_hook,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_PRE_ROUTING,
		.priority = TCPSESS_PRI_IPV6,
	},
	{
		.hook = tcpsess_hook,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_LOCAL_OUT,
		.priority = TCPSESS_PRI_IPV6,
	},
};

static int tcpsess_defrag_enable(struct net *net)
{
	int err = nf_defrag_ipv4_enable(net);

	if (err)
		return err;
	err = nf_defrag_ipv6_enable(net);
	if (err)
		tcpsess_defrag_ipv4_disable(net);
	return err;
}

static void tcpsess_defrag_disable(struct net *net)
{
	tcpsess_defrag_ipv6_disable(net);
	tcpsess_defrag_ipv4_disable(net);
}

/*
 * Each namespace registers its own copy of the hooks, whose priv is its
 * state: net_generic() would cost a read-side critical section, two calls
 * on a preemptible-RCU kernel, on every segment.
 */
int tcpsess_hooks_net_init(struct tcpsess_net *tn)
{
	unsigned int i;
	int err;

	err = tcpsess_defrag_enable(tn->net);
	if (err)
		return err;
	for (i = 0; i < TCPSESS_HOOKS; i++) {
		tn->hook_ops[i] = tcpsess_hook_ops[i];
		tn->hook_ops[i].priv = tn;
	}
	err = nf_register_net_hooks(tn->net, tn->hook_ops, TCPSESS_HOOKS);
	if (err)
		tcpsess_defrag_disable(tn->net);
	return err;
}

void tcpsess_hooks_net_exit(struct tcpsess_net *tn)
{
	nf_unregister_net_hooks(tn->net, tn->hook_ops, TCPSESS_HOOKS);
	tcpsess_defrag_disable(tn->net);
}
