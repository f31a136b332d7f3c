/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TCPSESS_TRACK_H
#define _TCPSESS_TRACK_H

#include "packet.h"
#include "pernet.h"

/* The hook function: see hooks.c. */
unsigned int tcpsess_hook(void *priv, struct sk_buff *skb,
			  const struct nf_hook_state *state);

/* The netfilter verdict for an invalid segment, counted and told. */
unsigned int tcpsess_track_invalid(struct tcpsess_net *tn,
				   enum tcpsess_invalid_reason reason,
				   const struct tcpsess_tuple *tuple,
				   const struct tcpsess_snapshot *snap, int dir);

#endif /* _TCPSESS_TRACK_H */
