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
hsiphash_key_t tcpsess_hash_key __read_mostly;	/* per boot */

/* The IPv6 half of tcpsess_tuple_hash(): see table.h. */
u32 tcpsess_tuple_hash_v6(u32 net_mix, const struct tcpsess_tuple *tuple)
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
