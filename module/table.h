/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TCPSESS_TABLE_H
#define _TCPSESS_TABLE_H

#include <linux/rculist.h>
#include <linux/spinlock.h>

#include "session.h"

/*
 * One table for every namespace, as conntrack has: a namespace costs
 * nothing until it has sessions. Lookups are lockless under RCU; changes
 * take one of an array of bucket locks.
 */
struct tcpsess_table {
	struct hlist_head *buckets;
	unsigned int size;		/* a power of two */
};

extern struct tcpsess_table tcpsess_table;

int tcpsess_table_init(void);
void tcpsess_table_uninit(void);

u32 tcpsess_tuple_hash(const struct net *net, const struct tcpsess_tuple *tuple);

static inline struct hlist_head *tcpsess_bucket(u32 hash)
{
	return &tcpsess_table.buckets[hash & (tcpsess_table.size - 1)];
}

spinlock_t *tcpsess_bucket_lock(u32 hash);

struct tcpsess_session *tcpsess_table_lookup(const struct net *net,
					     const struct tcpsess_tuple *tuple,
					     u32 hash, enum tcpsess_dir *dir);
void tcpsess_table_flush_net(struct net *net, enum tcpsess_end_reason reason);

#endif /* _TCPSESS_TABLE_H */
