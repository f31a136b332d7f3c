/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TCPSESS_TRACK_H
#define _TCPSESS_TRACK_H

#include "packet.h"
#include "pernet.h"

/* The hook function, which hooks.c registers in every namespace. */
unsigned int tcpsess_hook(void *priv, struct sk_buff *skb,
			  const struct nf_hook_state *state);

#endif /* _TCPSESS_TRACK_H */
