// SPDX-License-Identifier: GPL-2.0
/*
 * Where segments are seen. PRE_ROUTING catches everything that arrives,
 * forwarded or local; LOCAL_OUT everything this namespace sends. A segment
 * over loopback passes both, and counts at LOCAL_OUT only.
 *
 * The hooks run before defragmentation and conntrack, so that enforce mode
 * drops an invalid segment before anything else spends time on it.
 */
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>

#include "hooks.h"
#include "packet.h"
#include "pernet.h"
#include "track.h"

static unsigned int tcpsess_hook(void *priv, struct sk_buff *skb,
				 const struct nf_hook_state *state)
{
	struct tcpsess_net *tn = priv;
	enum tcpsess_invalid_reason reason;
	struct tcpsess_packet pkt;

	if (state->hook == NF_INET_PRE_ROUTING && state->in &&
	    (state->in->flags & IFF_LOOPBACK))
		return NF_ACCEPT;

	switch (tcpsess_parse(skb, state, &pkt, &reason)) {
	case TCPSESS_PARSE_OK:
		this_cpu_add(tn->stats->counter[TCPSESS_STAT_PACKETS_SEEN],
			     pkt.segments);
		return tcpsess_track(tn, &pkt);
	case TCPSESS_PARSE_FRAGMENT:
		tcpsess_stat_inc(tn, PACKETS_SEEN);
		tcpsess_stat_inc(tn, FRAGMENTS_IGNORED);
		return NF_ACCEPT;
	case TCPSESS_PARSE_INVALID:
		tcpsess_stat_inc(tn, PACKETS_SEEN);
		return tcpsess_track_invalid(tn, reason, &pkt.tuple, NULL, -1);
	default:
		return NF_ACCEPT;
	}
}

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
