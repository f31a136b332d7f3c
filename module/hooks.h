/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TCPSESS_HOOKS_H
#define _TCPSESS_HOOKS_H

/* PRE_ROUTING and LOCAL_OUT, for IPv4 and IPv6. */
#define TCPSESS_HOOKS	4

struct tcpsess_net;

int tcpsess_hooks_net_init(struct tcpsess_net *tn);
void tcpsess_hooks_net_exit(struct tcpsess_net *tn);

#endif /* _TCPSESS_HOOKS_H */
