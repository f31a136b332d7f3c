/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TCPSESS_TABLE_H
#define _TCPSESS_TABLE_H

#include <linux/rcupdate.h>
#include <linux/siphash.h>
#include <linux/spinlock.h>
#include <net/ipv6.h>
#include <net/netns/hash.h>

#include "pernet.h"
#include "session.h"

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

/*
 * What every segment does, hashing its tuple and finding its session, is
 * inline: a call costs more here than most of the work.
 */
extern hsiphash_key_t tcpsess_hash_key;

/*
 * Hashed with a per-boot secret and the namespace's salt, so nobody can
 * aim a flood of tuples at one chain. The hash never leaves the kernel, so
 * HalfSipHash will do, as for other hash tables: on 64-bit it is
 * SipHash-1-3, half the rounds of siphash. Both directions of a session
 * hash alike because the two endpoints enter in a fixed order.
 */
static inline u32 tcpsess_tuple_hash_v4(u32 net_mix,
					const struct tcpsess_tuple *tuple)
{
	u32 lo_addr = (__force u32)tuple->src.ip, hi_addr = (__force u32)tuple->dst.ip;
	u16 lo_port = (__force u16)tuple->sport, hi_port = (__force u16)tuple->dport;

	if (lo_addr > hi_addr || (lo_addr == hi_addr && lo_port > hi_port)) {
		swap(lo_addr, hi_addr);
		swap(lo_port, hi_port);
	}
	/*
	 * The namespace's salt joins the ports rather than being a fourth
	 * word, which would cost another round: tuples of two namespaces
	 * may share a chain, as they may anyway, and the lookup tells them
	 * apart.
	 */
	return hsiphash_3u32(lo_addr, hi_addr,
			     ((u32)lo_port << 16 | hi_port) ^ net_mix,
			     &tcpsess_hash_key);
}

u32 tcpsess_tuple_hash_v6(u32 net_mix, const struct tcpsess_tuple *tuple);

static inline u32 tcpsess_tuple_hash(const struct net *net,
				     const struct tcpsess_tuple *tuple)
{
	if (tuple->family == AF_INET)
		return tcpsess_tuple_hash_v4(net_hash_mix(net), tuple);
	return tcpsess_tuple_hash_v6(net_hash_mix(net), tuple);
}

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
/*
 * Whether a session's orig side is (src, sport) and its reply side (dst,
 * dport), the family being the same. Ports first: they settle most
 * mismatches without the addresses, which an IPv4 session has only as v4.
 */
static inline bool tcpsess_session_is(const struct tcpsess_session *s,
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

/*
 * Finds the session a segment belongs to and which way it travels. The
 * caller holds rcu_read_lock(), and maybe the bucket lock too; a session
 * found without that may be dying, which tcpsess_session_dead() tells
 * under the lock.
 */
static inline struct tcpsess_session *
tcpsess_table_lookup(const struct tcpsess_net *tn,
		     const struct tcpsess_tuple *tuple, u32 hash,
		     enum tcpsess_dir *dir)
{
	struct tcpsess_session *s;

	for (s = tcpsess_chain_first(tcpsess_bucket_index(hash)); s;
	     s = tcpsess_chain_next(s)) {
		if (s->net_id != tn->id || tcpsess_session_family(s) != tuple->family)
			continue;
		if (tcpsess_session_is(s, &tuple->src, tuple->sport,
				       &tuple->dst, tuple->dport)) {
			*dir = TCPSESS_DIR_ORIG;
			return s;
		}
		if (tcpsess_session_is(s, &tuple->dst, tuple->dport,
				       &tuple->src, tuple->sport)) {
			*dir = TCPSESS_DIR_REPLY;
			return s;
		}
	}
	return NULL;
}

void tcpsess_table_flush_net(struct tcpsess_net *tn, enum tcpsess_end_reason reason);

#endif /* _TCPSESS_TABLE_H */
