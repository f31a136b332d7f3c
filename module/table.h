/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TCPSESS_TABLE_H
#define _TCPSESS_TABLE_H

#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/siphash.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <net/ipv6.h>

#include "session.h"

struct tcpsess_net;

/*
 * Each namespace has a table of its own, so that its lookups, walks and
 * flushes cost what its own sessions cost, whatever other namespaces
 * hold. A table starts at TCPSESS_TABLE_MIN_SIZE buckets and doubles
 * whenever its namespace holds more sessions than buckets; it never
 * shrinks, as conntrack's never does.
 *
 * Chains are singly linked: lookups walk them lockless under RCU, and an
 * unlink finds the link to rewrite under the session's lock, on chains a
 * session or two long.
 */
struct tcpsess_buckets {
	unsigned int size;		/* a power of two */
	struct rcu_head rcu;
	struct tcpsess_session __rcu *heads[];
};

struct tcpsess_table {
	struct tcpsess_buckets __rcu *cur;
	/* While the table grows, the buckets it grows into: see table.c. */
	struct tcpsess_buckets __rcu *next;
	/* More sessions than this, and the table should grow. */
	unsigned int grow_above;
	struct work_struct grow_work;
	/*
	 * Held by whoever walks the table (GC, flush, /proc, dumps) and by
	 * its growth, which so never moves a session under a walker.
	 */
	struct mutex walk_mutex;
};

/*
 * Session locks are striped by hash, the same stripes for every namespace
 * and every table size: a session's lock never changes while it lives.
 * A bucket's sessions share its lock, since a table has at least as many
 * buckets as there are locks; so do the two buckets a bucket splits into.
 */
#define TCPSESS_SESSION_LOCKS	1024
#define TCPSESS_TABLE_MIN_SIZE	TCPSESS_SESSION_LOCKS

extern spinlock_t tcpsess_session_locks[TCPSESS_SESSION_LOCKS];

static inline spinlock_t *tcpsess_session_lock(u32 hash)
{
	return &tcpsess_session_locks[hash & (TCPSESS_SESSION_LOCKS - 1)];
}

extern hsiphash_key_t tcpsess_hash_key;

/*
 * Hashed with a per-boot secret, so nobody can aim a flood of tuples at
 * one chain. The hash never leaves the kernel, so HalfSipHash will do, as
 * for other hash tables: on 64-bit it is SipHash-1-3, half the rounds of
 * siphash. Both directions of a session hash alike because the two
 * endpoints enter in a fixed order.
 */
static inline u32 tcpsess_tuple_hash_v4(const struct tcpsess_tuple *tuple)
{
	u32 lo_addr = (__force u32)tuple->src.ip, hi_addr = (__force u32)tuple->dst.ip;
	u16 lo_port = (__force u16)tuple->sport, hi_port = (__force u16)tuple->dport;

	if (lo_addr > hi_addr || (lo_addr == hi_addr && lo_port > hi_port)) {
		swap(lo_addr, hi_addr);
		swap(lo_port, hi_port);
	}
	return hsiphash_3u32(lo_addr, hi_addr, (u32)lo_port << 16 | hi_port,
			     &tcpsess_hash_key);
}

u32 tcpsess_tuple_hash_v6(const struct tcpsess_tuple *tuple);

static inline u32 tcpsess_tuple_hash(const struct tcpsess_tuple *tuple)
{
	if (tuple->family == AF_INET)
		return tcpsess_tuple_hash_v4(tuple);
	return tcpsess_tuple_hash_v6(tuple);
}

u32 tcpsess_session_hash(const struct tcpsess_session *s);

static inline struct tcpsess_session __rcu **
tcpsess_buckets_head(struct tcpsess_buckets *b, u32 hash)
{
	return &b->heads[hash & (b->size - 1)];
}

/*
 * Whether a session's orig side is (src, sport) and its reply side (dst,
 * dport), the family being the same. Ports first: they settle most
 * mismatches without the addresses, which an IPv4 session has only as v4.
 */
static inline bool
tcpsess_session_matches(const struct tcpsess_session *s,
			const union tcpsess_addr *src, __be16 sport,
			const union tcpsess_addr *dst, __be16 dport)
{
	if (s->sport != sport || s->dport != dport)
		return false;
	if (tcpsess_session_family(s) == AF_INET)
		return s->addr.v4.src == src->ip && s->addr.v4.dst == dst->ip;
	return ipv6_addr_equal(&s->addr.v6.src, &src->in6) &&
	       ipv6_addr_equal(&s->addr.v6.dst, &dst->in6);
}

/* The session of tuple on chain, and which way the tuple runs, or NULL. */
static inline struct tcpsess_session *
tcpsess_chain_find(struct tcpsess_session *s, const struct tcpsess_tuple *tuple,
		   enum tcpsess_dir *dir)
{
	for (; s; s = rcu_dereference(s->next)) {
		if (tcpsess_session_family(s) != tuple->family)
			continue;
		if (tcpsess_session_matches(s, &tuple->src, tuple->sport,
					    &tuple->dst, tuple->dport)) {
			*dir = TCPSESS_DIR_ORIG;
			return s;
		}
		if (tcpsess_session_matches(s, &tuple->dst, tuple->dport,
					    &tuple->src, tuple->sport)) {
			*dir = TCPSESS_DIR_REPLY;
			return s;
		}
	}
	return NULL;
}

struct tcpsess_session *
tcpsess_table_find_locked(struct tcpsess_table *table,
			  const struct tcpsess_tuple *tuple, u32 hash,
			  enum tcpsess_dir *dir);
struct tcpsess_session *
tcpsess_table_find_growing(struct tcpsess_table *table,
			   const struct tcpsess_tuple *tuple, u32 hash,
			   enum tcpsess_dir *dir);

/*
 * Finds the session a segment belongs to and which way it travels, under
 * rcu_read_lock(). A session found may be dying, which
 * tcpsess_session_dead() tells under its lock. While the table grows, a
 * lockless walk may miss a session being moved; a miss then asks again
 * under the lock, which no move can pass.
 */
static inline struct tcpsess_session *
tcpsess_table_find(struct tcpsess_table *table,
		   const struct tcpsess_tuple *tuple, u32 hash,
		   enum tcpsess_dir *dir)
{
	struct tcpsess_buckets *b = rcu_dereference(table->cur);
	struct tcpsess_session *s;

	s = tcpsess_chain_find(rcu_dereference(*tcpsess_buckets_head(b, hash)),
			       tuple, dir);
	if (likely(s) || likely(!rcu_access_pointer(table->next)))
		return s;
	return tcpsess_table_find_growing(table, tuple, hash, dir);
}

void tcpsess_table_link(struct tcpsess_net *tn, struct tcpsess_session *s,
			u32 hash);
void tcpsess_table_unlink(struct tcpsess_table *table, struct tcpsess_session *s,
			  u32 hash);

/*
 * A walk over a table visits its buckets in the order of their indices'
 * bits reversed, and keeps its place as a position in 2^32 that does not
 * depend on the table's size: after the table doubled, the buckets before
 * the position are exactly those split from the buckets before it. So a
 * walk that drops the walk mutex between steps (a read() of /proc, a dump
 * message, a slice of the GC) still sees a session that lives through it
 * exactly once.
 */
#define TCPSESS_WALK_END	BIT_ULL(32)

/*
 * A bucket, as a walk names it. Lookups and locks take a session's hash,
 * which only a table's size turns into a bucket; a type of its own keeps
 * the one from being passed for the other.
 */
struct tcpsess_bucket {
	unsigned int index;
};

/* The first bucket at pos or after it; pos becomes that bucket's. */
struct tcpsess_bucket tcpsess_walk_bucket(const struct tcpsess_buckets *b,
					  u64 *pos);
/* The position after the bucket at pos. */
static inline u64 tcpsess_walk_next(const struct tcpsess_buckets *b, u64 pos)
{
	return pos + (TCPSESS_WALK_END / b->size);
}

/* The current buckets, for a walker holding the walk mutex. */
static inline struct tcpsess_buckets *tcpsess_table_walked(struct tcpsess_table *table)
{
	return rcu_dereference_protected(table->cur,
					 lockdep_is_held(&table->walk_mutex));
}

/* The first session of a walked bucket, under rcu_read_lock(). */
static inline struct tcpsess_session *
tcpsess_walk_first(struct tcpsess_buckets *b, struct tcpsess_bucket bucket)
{
	return rcu_dereference(b->heads[bucket.index]);
}

static inline struct tcpsess_session *
tcpsess_walk_after(const struct tcpsess_session *s)
{
	return rcu_dereference(s->next);
}

/*
 * The lock of a walked bucket's sessions: the same for all of them.
 */
static inline spinlock_t *tcpsess_walk_lock(struct tcpsess_bucket bucket)
{
	return &tcpsess_session_locks[bucket.index & (TCPSESS_SESSION_LOCKS - 1)];
}

/* After adding a session: grows the table soon if it has become too full. */
static inline void tcpsess_table_added(struct tcpsess_table *table, int count)
{
	if (unlikely((unsigned int)count > READ_ONCE(table->grow_above)))
		queue_work(system_unbound_wq, &table->grow_work);
}

size_t tcpsess_table_memory(struct tcpsess_table *table);

int tcpsess_table_net_init(struct tcpsess_net *tn);
void tcpsess_table_net_stop(struct tcpsess_net *tn);
void tcpsess_table_net_uninit(struct tcpsess_net *tn);
void tcpsess_table_flush_net(struct tcpsess_net *tn, enum tcpsess_end_reason reason);

void tcpsess_table_init(void);

#endif /* _TCPSESS_TABLE_H */
