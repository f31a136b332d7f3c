// SPDX-License-Identifier: GPL-2.0
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/siphash.h>
#include <linux/slab.h>
#include <net/ipv6.h>
#include <net/netns/hash.h>

#include "params.h"
#include "table.h"

/* Enough locks that two CPUs rarely meet, few enough to stay in cache. */
#define TCPSESS_BUCKET_LOCKS 1024

struct tcpsess_table tcpsess_table __read_mostly;
static spinlock_t tcpsess_bucket_locks[TCPSESS_BUCKET_LOCKS];
static siphash_key_t tcpsess_hash_key __read_mostly;

/*
 * Hashed with a per-boot secret and the namespace's salt, so nobody can
 * aim a flood of tuples at one chain. Both directions of a session hash
 * alike because the two endpoints enter in a fixed order.
 */
struct tcpsess_hash_input {
	union tcpsess_addr lo_addr;
	union tcpsess_addr hi_addr;
	__be16 lo_port;
	__be16 hi_port;
	u32 family;
	u32 net_mix;
	u32 pad;
};

u32 tcpsess_tuple_hash(const struct net *net, const struct tcpsess_tuple *tuple)
{
	struct tcpsess_hash_input in = {
		.family = tuple->family,
		.net_mix = net_hash_mix(net),
	};
	int order = memcmp(&tuple->src, &tuple->dst, sizeof(tuple->src));

	if (order < 0 ||
	    (order == 0 && (__force u16)tuple->sport <= (__force u16)tuple->dport)) {
		in.lo_addr = tuple->src;
		in.hi_addr = tuple->dst;
		in.lo_port = tuple->sport;
		in.hi_port = tuple->dport;
	} else {
		in.lo_addr = tuple->dst;
		in.hi_addr = tuple->src;
		in.lo_port = tuple->dport;
		in.hi_port = tuple->sport;
	}
	return (u32)siphash(&in, sizeof(in), &tcpsess_hash_key);
}

spinlock_t *tcpsess_bucket_lock(u32 hash)
{
	return &tcpsess_bucket_locks[hash & (tcpsess_table.size - 1) &
				     (TCPSESS_BUCKET_LOCKS - 1)];
}

/*
 * Whether a session's orig side is (src, sport) and its reply side (dst,
 * dport), the family being the same. Ports first: they settle most
 * mismatches without the addresses, which an IPv4 session has only as v4.
 */
static bool tcpsess_session_is(const struct tcpsess_session *s,
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
 * caller holds rcu_read_lock() or the bucket lock; a session found under
 * RCU alone may be dying, which tcpsess_session_dead() tells under its lock.
 */
struct tcpsess_session *tcpsess_table_lookup(const struct net *net,
					     const struct tcpsess_tuple *tuple,
					     u32 hash, enum tcpsess_dir *dir)
{
	struct tcpsess_session *s;

	hlist_for_each_entry_rcu(s, tcpsess_bucket(hash), hnode,
				 lockdep_is_held(tcpsess_bucket_lock(hash))) {
		if (tcpsess_session_family(s) != tuple->family ||
		    !net_eq(tcpsess_session_net(s), net))
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

/* Ends every session of a namespace, bucket by bucket, yielding between. */
void tcpsess_table_flush_net(struct net *net, enum tcpsess_end_reason reason)
{
	struct tcpsess_session *s;
	unsigned int i;

	for (i = 0; i < tcpsess_table.size; i++) {
		rcu_read_lock();
		hlist_for_each_entry_rcu(s, &tcpsess_table.buckets[i], hnode)
			if (net_eq(tcpsess_session_net(s), net))
				tcpsess_session_end(s, reason);
		rcu_read_unlock();
		cond_resched();
	}
}

/* Like conntrack: a bucket per 16 KiB of memory unless told otherwise. */
static unsigned int tcpsess_table_default_size(void)
{
	unsigned long size = (totalram_pages() << PAGE_SHIFT) / 16384 /
			     sizeof(struct hlist_head);

	return clamp_t(unsigned long, size, 1024, 1UL << 20);
}

int tcpsess_table_init(void)
{
	unsigned int size = tcpsess_hashsize ?: tcpsess_table_default_size();
	unsigned int i;

	size = roundup_pow_of_two(max(size, 64U));
	tcpsess_table.buckets = kvcalloc(size, sizeof(*tcpsess_table.buckets),
					 GFP_KERNEL);
	if (!tcpsess_table.buckets)
		return -ENOMEM;
	tcpsess_table.size = size;
	tcpsess_hashsize = size;
	for (i = 0; i < TCPSESS_BUCKET_LOCKS; i++)
		spin_lock_init(&tcpsess_bucket_locks[i]);
	get_random_bytes(&tcpsess_hash_key, sizeof(tcpsess_hash_key));
	return 0;
}

void tcpsess_table_uninit(void)
{
	unsigned int i;

	for (i = 0; i < tcpsess_table.size; i++)
		WARN_ON_ONCE(!hlist_empty(&tcpsess_table.buckets[i]));
	kvfree(tcpsess_table.buckets);
	tcpsess_table.buckets = NULL;
}
