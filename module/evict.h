/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TCPSESS_EVICT_H
#define _TCPSESS_EVICT_H

#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/types.h>

struct tcpsess_net;
struct tcpsess_session;

/* Per CPU, per namespace: the eviction candidates, oldest first. */
struct tcpsess_embryos {
	spinlock_t lock;		/* the list and its sessions' embryo_node */
	struct list_head list;
};

int tcpsess_evict_net_init(struct tcpsess_net *tn);
void tcpsess_evict_net_uninit(struct tcpsess_net *tn);
void tcpsess_evict_add(struct tcpsess_net *tn, struct tcpsess_session *s);
void tcpsess_evict_del(struct tcpsess_net *tn, struct tcpsess_session *s);
void tcpsess_evict_update(struct tcpsess_net *tn, struct tcpsess_session *s);
bool tcpsess_evict_one(struct tcpsess_net *tn);

#endif /* _TCPSESS_EVICT_H */
