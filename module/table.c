// SPDX-License-Identifier: GPL-2.0
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/siphash.h>
#include <linux/slab.h>
#include <net/ipv6.h>
#include <net/netns/hash.h>

#include "params.h"
#include "pernet.h"
#include "table.h"

struct tcpsess_table tcpsess_table __read_mostly;
spinlock_t tcpsess_bucket_locks[TCPSESS_BUCKET_LOCKS];	/* see table.h */
static hsiphash_key_t tcpsess_hash_key __read_mostly;

/*
 * Hashed with a per-boot secret and the namespace's salt, so nobody can
 * aim a flood of tuples at one chain. The hash never leaves the kernel, so
 * HalfSipHash will do, as for other hash tables: on 64-bit it is
 * SipHash-1-3, half the rounds of siphash. Both directions of a session
 * hash alike because the two endpoints enter in a fixed order.
 */
static u32 tcpsess_tuple_hash_v4(u32 net_mix, const struct tcpsess_tuple *tuple)
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

static u32 tcpsess_tuple_hash_v6(u32 net_mix, const struct tcpsess_tuple *tuple)
{
	struct {
		struct in6_addr lo_addr;
		struct in6_addr hi_addr;
		u16 lo_port;
		u16 hi_port;
		u32 net_mix;
	} __aligned(HSIPHASH_ALIGNMENT) in = { .net_mix = net_mix };
	int order = ipv6_addr_cmp(&tuple->src.in6, &tuple->dst.in6);

	if (order < 0 ||
	    (order == 0 && (__force u16)tuple->sport <= (__force u16)tuple->dport)) {
		in.lo_addr = tuple->src.in6;
		in.hi_addr = tuple->dst.in6;
		in.lo_port = (__force u16)tuple->sport;
		in.hi_port = (__force u16)tuple->dport;
	} else {
		in.lo_addr = tuple->dst.in6;
		in.hi_addr = tuple->src.in6;
		in.lo_port = (__force u16)tuple->dport;
		in.hi_port = (__force u16)tuple->sport;
	}
	return hsiphash(&in, sizeof(in), &tcpsess_hash_key);
}

u32 tcpsess_tuple_hash(const struct net *net, const struct tcpsess_tuple *tuple)
{
	if (tuple->family == AF_INET)
		return tcpsess_tuple_hash_v4(net_hash_mix(net), tuple);
	return tcpsess_tuple_hash_v6(net_hash_mix(net), tuple);
}

/* At the head: the caller holds the bucket lock, s is not yet visible. */
void tcpsess_table_link(struct tcpsess_session *s, u32 hash)
{
	struct tcpsess_session __rcu **head = tcpsess_bucket(hash);
	struct tcpsess_session *first;

	first = rcu_dereference_protected(*head,
					  lockdep_is_held(tcpsess_bucket_lock(hash)));
	RCU_INIT_POINTER(s->next, first);
	rcu_assign_pointer(*head, s);
}

/*
 * The caller holds the bucket lock. s->next is left as it is, so that a
 * reader standing on s goes on along the chain.
 */
void tcpsess_table_unlink(struct tcpsess_session *s, u32 hash)
{
	spinlock_t *lock = tcpsess_bucket_lock(hash);
	struct tcpsess_session __rcu **link = tcpsess_bucket(hash);
	struct tcpsess_session *p;

	while ((p = rcu_dereference_protected(*link, lockdep_is_held(lock))) != s) {
		if (WARN_ON_ONCE(!p))
			return;
		link = &p->next;
	}
	rcu_assign_pointer(*link, rcu_dereference_protected(s->next,
							    lockdep_is_held(lock)));
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
 * caller holds rcu_read_lock(), and maybe the bucket lock too; a session
 * found without that may be dying, which tcpsess_session_dead() tells
 * under the lock.
 */
struct tcpsess_session *tcpsess_table_lookup(const struct tcpsess_net *tn,
					     const struct tcpsess_tuple *tuple,
					     u32 hash, enum tcpsess_dir *dir)
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

/* Ends every session of a namespace, bucket by bucket, yielding between. */
void tcpsess_table_flush_net(struct tcpsess_net *tn, enum tcpsess_end_reason reason)
{
	struct tcpsess_session *s;
	unsigned int i;

	for (i = 0; i < tcpsess_table.size; i++) {
		rcu_read_lock();
		for (s = tcpsess_chain_first(i); s; s = tcpsess_chain_next(s))
			if (s->net_id == tn->id)
				tcpsess_session_end(tn, s, reason);
		rcu_read_unlock();
		cond_resched();
	}
}

/* Like conntrack: a bucket per 16 KiB of memory unless told otherwise. */
static unsigned int tcpsess_table_default_size(void)
{
	unsigned long size = (totalram_pages() << PAGE_SHIFT) / 16384 /
			     sizeof(*tcpsess_table.buckets);

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
		WARN_ON_ONCE(!tcpsess_bucket_empty(i));
	kvfree(tcpsess_table.buckets);
	tcpsess_table.buckets = NULL;
}
