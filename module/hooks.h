/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TCPSESS_HOOKS_H
#define _TCPSESS_HOOKS_H

struct net;

int tcpsess_hooks_net_init(struct net *net);
void tcpsess_hooks_net_exit(struct net *net);

#endif /* _TCPSESS_HOOKS_H */
