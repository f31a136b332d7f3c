/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TCPSESS_NETLINK_H
#define _TCPSESS_NETLINK_H

#include <net/genetlink.h>

#include "session.h"

extern struct genl_family tcpsess_genl_family;
extern bool tcpsess_netlink_live;

/* Index of the events group within the family's groups. */
#define TCPSESS_MCGRP_EVENTS_INDEX 0

int tcpsess_netlink_init(void);
void tcpsess_netlink_uninit(void);

size_t tcpsess_nl_session_size(void);
int tcpsess_nl_put_session(struct sk_buff *skb, const struct tcpsess_snapshot *snap);
int tcpsess_nl_put_tuple(struct sk_buff *skb, const struct tcpsess_tuple *tuple);

#endif /* _TCPSESS_NETLINK_H */
