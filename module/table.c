// SPDX-License-Identifier: GPL-2.0
/*
 * A namespace's session table, and its growth.
 *
 * A table grows in its namespace's work item, holding the walk mutex, so
 * no walker sees it happen. Sessions move to the new buckets one lock
 * stripe at a time, each stripe under its lock: whoever holds a session's
 * lock finds it whole in one of the two arrays, and links a new session
 * into the new one once it exists (tcpsess_table_find_locked(),
 * tcpsess_table_link()). A lockless reader standing on a session that
 * moves is led along its new chain and may miss what it looks for; it
 * then asks again under the lock (tcpsess_table_find_growing()). Once all
 * stripes have moved, the new array becomes the table, and the old one is
 * freed a grace period later, when no reader can be in it.
 */
#include <linux/bitrev.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/siphash.h>
#include <linux/slab.h>
#include <net/ipv6.h>

#include "compat.h"
#include "params.h"
#include "pernet.h"
#include "table.h"

spinlock_t tcpsess_session_locks[TCPSESS_SESSION_LOCKS];	/* see table.h */
hsiphash_key_t tcpsess_hash_key __read_mostly;	/* per boot */

/* The IPv6 half of tcpsess_tuple_hash(): see table.h. */
u32 tcpsess_tuple_hash_v6(const struct tcpsess_tuple *tuple)
{
	struct {
		struct in6_addr lo_addr;
		struct in6_addr hi_addr;
		u16 lo_port;
		u16 hi_port;
	} __aligned(HSIPHASH_ALIGNMENT) in;
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

/* Sessions do not keep their hash: a lookup compares endpoints anyway. */
u32 tcpsess_session_hash(const struct tcpsess_session *s)
{
	struct tcpsess_tuple tuple;

	tcpsess_session_tuple(s, &tuple);
	return tcpsess_tuple_hash(&tuple);
}

/*
 * Under the lock of hash's stripe and rcu_read_lock(). next is cleared a
 * grace period after cur became the new array, so a reader that sees it
 * cleared also sees the new cur.
 */
struct tcpsess_session *
tcpsess_table_find_locked(struct tcpsess_table *table,
			  const struct tcpsess_tuple *tuple, u32 hash,
			  enum tcpsess_dir *dir)
{
	struct tcpsess_buckets *next = rcu_dereference(table->next);
	struct tcpsess_buckets *cur = rcu_dereference(table->cur);
	struct tcpsess_session *s;

	lockdep_assert_held(tcpsess_session_lock(hash));
	s = tcpsess_chain_find(rcu_dereference(*tcpsess_buckets_head(cur, hash)),
			       tuple, dir);
	if (s || !next || next == cur)
		return s;
	return tcpsess_chain_find(rcu_dereference(*tcpsess_buckets_head(next, hash)),
				  tuple, dir);
}

/* A lockless miss while the table grows: see tcpsess_table_find(). */
struct tcpsess_session *
tcpsess_table_find_growing(struct tcpsess_table *table,
			   const struct tcpsess_tuple *tuple, u32 hash,
			   enum tcpsess_dir *dir)
{
	spinlock_t *lock = tcpsess_session_lock(hash);
	struct tcpsess_session *s;

	spin_lock_bh(lock);
	s = tcpsess_table_find_locked(table, tuple, hash, dir);
	spin_unlock_bh(lock);
	return s;
}

/*
 * At the head of its chain, in the new array while the table grows. The
 * caller holds the session's lock and rcu_read_lock(); s is not yet
 * visible.
 */
void tcpsess_table_link(struct tcpsess_net *tn, struct tcpsess_session *s,
			u32 hash)
{
	struct tcpsess_table *table = &tn->table;
	struct tcpsess_buckets *b = rcu_dereference(table->next) ?:
				    rcu_dereference(table->cur);
	struct tcpsess_session __rcu **head = tcpsess_buckets_head(b, hash);

	lockdep_assert_held(tcpsess_session_lock(hash));
	RCU_INIT_POINTER(s->next, rcu_dereference_protected(*head, true));
	rcu_assign_pointer(*head, s);
}

/* Whether s was on b's chain for hash, and is no longer. */
static bool tcpsess_buckets_unlink(struct tcpsess_buckets *b,
				   struct tcpsess_session *s, u32 hash)
{
	struct tcpsess_session __rcu **link = tcpsess_buckets_head(b, hash);
	struct tcpsess_session *p;

	while ((p = rcu_dereference_protected(*link, true)) != s) {
		if (!p)
			return false;
		link = &p->next;
	}
	rcu_assign_pointer(*link, rcu_dereference_protected(s->next, true));
	return true;
}

/*
 * The caller holds the session's lock and rcu_read_lock(). s->next is
 * left as it is, so that a reader standing on s goes on along the chain.
 */
void tcpsess_table_unlink(struct tcpsess_table *table, struct tcpsess_session *s,
			  u32 hash)
{
	struct tcpsess_buckets *next = rcu_dereference(table->next);

	lockdep_assert_held(tcpsess_session_lock(hash));
	if (tcpsess_buckets_unlink(rcu_dereference(table->cur), s, hash))
		return;
	WARN_ON_ONCE(!next || !tcpsess_buckets_unlink(next, s, hash));
}

struct tcpsess_bucket tcpsess_walk_bucket(const struct tcpsess_buckets *b,
					  u64 *pos)
{
	u64 step = TCPSESS_WALK_END / b->size;

	*pos = round_up(*pos, step);
	return (struct tcpsess_bucket){ bitrev32((u32)*pos) & (b->size - 1) };
}

/* The bytes of its buckets, for memory_bytes. */
size_t tcpsess_table_memory(struct tcpsess_table *table)
{
	struct tcpsess_buckets *b;
	size_t bytes;

	rcu_read_lock();
	b = rcu_dereference(table->cur);
	bytes = struct_size(b, heads, b->size);
	rcu_read_unlock();
	return bytes;
}

/* Charged to the namespace, not to the worker that grows its table. */
static struct tcpsess_buckets *tcpsess_buckets_alloc(struct tcpsess_net *tn,
						     unsigned int size, gfp_t gfp)
{
	struct mem_cgroup *task_memcg;
	struct tcpsess_buckets *b;

	task_memcg = tcpsess_set_active_memcg(tn->memcg);
	b = kvzalloc(struct_size(b, heads, size), gfp);
	tcpsess_set_active_memcg(task_memcg);
	if (b)
		b->size = size;
	return b;
}

/* The largest a namespace's table grows to: set at load, see below. */
static unsigned int tcpsess_grow_above(unsigned int size)
{
	return size < tcpsess_hashsize ? size : UINT_MAX;
}

/* Under the bucket's lock: its sessions go to their chains in to. */
static void tcpsess_buckets_move(struct tcpsess_buckets *from,
				 struct tcpsess_bucket bucket,
				 struct tcpsess_buckets *to)
{
	struct tcpsess_session __rcu **head;
	struct tcpsess_session *s;

	while ((s = rcu_dereference_protected(from->heads[bucket.index], true))) {
		RCU_INIT_POINTER(from->heads[bucket.index],
				 rcu_dereference_protected(s->next, true));
		head = tcpsess_buckets_head(to, tcpsess_session_hash(s));
		RCU_INIT_POINTER(s->next, rcu_dereference_protected(*head, true));
		rcu_assign_pointer(*head, s);
	}
}

/*
 * Doubles a table that holds more sessions than buckets. The move holds
 * each stripe's lock for a 1024th of the table, so a segment never waits
 * long; lookups go on meanwhile, at worst under the lock.
 */
static void tcpsess_table_grow(struct work_struct *work)
{
	struct tcpsess_table *table = container_of(work, struct tcpsess_table,
						   grow_work);
	struct tcpsess_net *tn = container_of(table, struct tcpsess_net, table);
	struct tcpsess_buckets *old, *new;
	struct tcpsess_bucket bucket;
	unsigned int lock;

	mutex_lock(&table->walk_mutex);
	old = tcpsess_table_walked(table);
	if ((unsigned int)atomic_read(&tn->count) <= old->size ||
	    old->size >= tcpsess_hashsize)
		goto out;
	/*
	 * Growing only shortens chains: a cgroup at its limit must refuse it
	 * (the table stays as it is), not call its OOM killer.
	 */
	new = tcpsess_buckets_alloc(tn, old->size * 2, GFP_KERNEL_ACCOUNT |
				    __GFP_RETRY_MAYFAIL | __GFP_NOWARN);
	if (!new) {
		/* Not again before the table is twice as full. */
		WRITE_ONCE(table->grow_above, old->size * 2);
		goto out;
	}
	rcu_assign_pointer(table->next, new);
	for (lock = 0; lock < TCPSESS_SESSION_LOCKS; lock++) {
		spin_lock_bh(&tcpsess_session_locks[lock]);
		for (bucket.index = lock; bucket.index < old->size;
		     bucket.index += TCPSESS_SESSION_LOCKS)
			tcpsess_buckets_move(old, bucket, new);
		spin_unlock_bh(&tcpsess_session_locks[lock]);
		cond_resched();
	}
	rcu_assign_pointer(table->cur, new);
	WRITE_ONCE(table->grow_above, tcpsess_grow_above(new->size));
	synchronize_rcu();
	/* No reader is left in old, nor one that could see next but not cur. */
	RCU_INIT_POINTER(table->next, NULL);
	kvfree(old);
	/* Filled faster than it grew: once more. */
	if ((unsigned int)atomic_read(&tn->count) > table->grow_above)
		queue_work(system_unbound_wq, &table->grow_work);
out:
	mutex_unlock(&table->walk_mutex);
}

/* Ends every session of a namespace, bucket by bucket, yielding between. */
void tcpsess_table_flush_net(struct tcpsess_net *tn, enum tcpsess_end_reason reason)
{
	struct tcpsess_bucket bucket;
	struct tcpsess_buckets *b;
	struct tcpsess_session *s;

	mutex_lock(&tn->table.walk_mutex);
	b = tcpsess_table_walked(&tn->table);
	for (bucket.index = 0; bucket.index < b->size; bucket.index++) {
		rcu_read_lock();
		for (s = tcpsess_walk_first(b, bucket); s; s = tcpsess_walk_after(s))
			tcpsess_session_end(tn, s, reason);
		rcu_read_unlock();
		cond_resched();
	}
	mutex_unlock(&tn->table.walk_mutex);
}

int tcpsess_table_net_init(struct tcpsess_net *tn)
{
	struct tcpsess_table *table = &tn->table;
	struct tcpsess_buckets *b;

	/* Charged, as the namespace itself is, to the task making it. */
	b = tcpsess_buckets_alloc(tn, TCPSESS_TABLE_MIN_SIZE, GFP_KERNEL_ACCOUNT);
	if (!b)
		return -ENOMEM;
	RCU_INIT_POINTER(table->cur, b);
	RCU_INIT_POINTER(table->next, NULL);
	table->grow_above = tcpsess_grow_above(b->size);
	INIT_WORK(&table->grow_work, tcpsess_table_grow);
	mutex_init(&table->walk_mutex);
	return 0;
}

/* Once nothing can add a session any more. */
void tcpsess_table_net_stop(struct tcpsess_net *tn)
{
	cancel_work_sync(&tn->table.grow_work);
}

/* Once the namespace's sessions are all ended. */
void tcpsess_table_net_uninit(struct tcpsess_net *tn)
{
	struct tcpsess_buckets *b = rcu_dereference_protected(tn->table.cur, true);
	unsigned int i;

	for (i = 0; i < b->size; i++)
		WARN_ON_ONCE(rcu_access_pointer(b->heads[i]));
	kvfree(b);
	RCU_INIT_POINTER(tn->table.cur, NULL);
	mutex_destroy(&tn->table.walk_mutex);
}

void tcpsess_table_init(void)
{
	unsigned int i;

	for (i = 0; i < TCPSESS_SESSION_LOCKS; i++)
		spin_lock_init(&tcpsess_session_locks[i]);
	get_random_bytes(&tcpsess_hash_key, sizeof(tcpsess_hash_key));
	/* The parameter says what it got. */
	tcpsess_hashsize = max_t(unsigned int, TCPSESS_TABLE_MIN_SIZE,
				 roundup_pow_of_two(tcpsess_hashsize ?:
						    TCPSESS_HASHSIZE_LIMIT));
}
