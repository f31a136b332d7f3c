/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TCPSESS_TABLE_H
#define _TCPSESS_TABLE_H

#include <linux/rcupdate.h>
#include <linux/spinlock.h>

#include "session.h"

struct tcpsess_net;

/*
 * One table for every namespace, as conntrack has: a namespace costs
 * nothing until it has sessions. Chains are singly linked: lookups walk
 * them lockless under RCU, and an unlink finds the link to rewrite under
 * the bucket lock, on chains a session or two long. Bucket locks are
 * striped; a bucket's lock also guards its sessions' state.
 */
struct tcpsess_table {
	struct tcpsess_session __rcu **buckets;
	unsigned int size;		/* a power of two */
};

extern struct tcpsess_table tcpsess_table;

int tcpsess_table_init(void);
void tcpsess_table_uninit(void);

u32 tcpsess_tuple_hash(const struct net *net, const struct tcpsess_tuple *tuple);

static inline unsigned int tcpsess_bucket_index(u32 hash)
{
	return hash & (tcpsess_table.size - 1);
}

static inline struct tcpsess_session __rcu **tcpsess_bucket(u32 hash)
{
	return &tcpsess_table.buckets[tcpsess_bucket_index(hash)];
}

/* Enough locks that two CPUs rarely meet, few enough to stay in cache. */
#define TCPSESS_BUCKET_LOCKS 1024

/* Striped: a bucket's lock also guards its sessions. */
extern spinlock_t tcpsess_bucket_locks[TCPSESS_BUCKET_LOCKS];

static inline spinlock_t *tcpsess_bucket_index_lock(unsigned int bucket)
{
	return &tcpsess_bucket_locks[bucket & (TCPSESS_BUCKET_LOCKS - 1)];
}

static inline spinlock_t *tcpsess_bucket_lock(u32 hash)
{
	return tcpsess_bucket_index_lock(tcpsess_bucket_index(hash));
}

/*
 * Walking a chain, under rcu_read_lock(): a session unlinked meanwhile
 * still leads on to the rest.
 */
static inline struct tcpsess_session *tcpsess_chain_first(unsigned int bucket)
{
	return rcu_dereference(tcpsess_table.buckets[bucket]);
}

static inline struct tcpsess_session *
tcpsess_chain_next(const struct tcpsess_session *s)
{
	return rcu_dereference(s->next);
}

static inline bool tcpsess_bucket_empty(unsigned int bucket)
{
	return !rcu_access_pointer(tcpsess_table.buckets[bucket]);
}

void tcpsess_table_link(struct tcpsess_session *s, u32 hash);
void tcpsess_table_unlink(struct tcpsess_session *s, u32 hash);
struct tcpsess_session *tcpsess_table_lookup(const struct tcpsess_net *tn,
					     const struct tcpsess_tuple *tuple,
					     u32 hash, enum tcpsess_dir *dir);
void tcpsess_table_flush_net(struct tcpsess_net *tn, enum tcpsess_end_reason reason);

#endif /* _TCPSESS_TABLE_H */
