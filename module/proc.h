/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TCPSESS_PROC_H
#define _TCPSESS_PROC_H

struct tcpsess_net;

int tcpsess_proc_net_init(struct tcpsess_net *tn);
void tcpsess_proc_net_exit(struct tcpsess_net *tn);

#endif /* _TCPSESS_PROC_H */
