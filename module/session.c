// SPDX-License-Identifier: GPL-2.0
/*
 * A session's life: created with a slot of its namespace's budget
 * (budget.c), linked into the table, ended exactly once and freed after a
 * grace period; and what users see of it.
 *
 * Lock order: session lock (which guards the session's state), then an
 * eviction list's lock (evict.c), then the GC's schedule. A session's
 * events are sent under its lock; the event stream's own lock is a leaf.
 */
#include <linux/jiffies.h>
#include <linux/percpu.h>
#include <linux/slab.h>

#include "budget.h"
#include "compat.h"
#include "events.h"
#include "evict.h"
#include "expiry.h"
#include "gc.h"
#include "id.h"
#include "pernet.h"
#include "race.h"
#include "session.h"
#include "table.h"

/* By family: an IPv4 session leaves out the v6 addresses. */
static struct kmem_cache *tcpsess_session4_cache __read_mostly;
static struct kmem_cache *tcpsess_session6_cache __read_mostly;

static struct kmem_cache *tcpsess_session_cache(u8 family)
{
	return family == AF_INET ? tcpsess_session4_cache : tcpsess_session6_cache;
}

static struct kmem_cache *tcpsess_session_cache_of(const struct tcpsess_session *s)
{
	return tcpsess_session_cache(tcpsess_session_family(s));
}

static void tcpsess_state_gauge_add(struct tcpsess_net *tn, u8 state, int delta)
{
	this_cpu_add(tn->stats->state[state], delta);
}

/* memory_bytes follows the slot: charged with it at alloc, freed with it. */
static void tcpsess_memory_gauge_add(struct tcpsess_net *tn,
				     const struct tcpsess_session *s, int sign)
{
	this_cpu_add(tn->stats->session_bytes,
		     sign * (s64)kmem_cache_size(tcpsess_session_cache_of(s)));
}

/*
 * A picked-up session whose other side answered, in its window, is real:
 * no longer an eviction candidate, and timed out by its state alone.
 * Under the session lock.
 */
void tcpsess_session_confirm(struct tcpsess_net *tn, struct tcpsess_session *s)
{
	WRITE_ONCE(s->flags, s->flags & ~TCPSESS_SESSION_PROVISIONAL);
	tcpsess_evict_update(tn, s);
}

/*
 * Tells listeners of a change to a session, under its lock: so a
 * session's events take sequence numbers in the order of its changes.
 * Out of line, to keep the snapshot off its callers' stacks.
 */
static noinline void tcpsess_session_tell(struct tcpsess_net *tn,
					  struct tcpsess_session *s,
					  enum tcpsess_event event, u8 old_state)
{
	struct tcpsess_snapshot snap;

	__tcpsess_session_snapshot(s, &snap);
	tcpsess_event_session(tn, event, &snap, old_state);
}

/*
 * A new session from its first segment, holding a slot of its namespace's
 * budget but not yet visible: the caller accounts the segment, then calls
 * tcpsess_session_insert(). NULL when the namespace is full and nothing
 * could be evicted, or memory ran out.
 */
struct tcpsess_session *tcpsess_session_alloc(struct tcpsess_net *tn,
					      const struct tcpsess_tuple *tuple,
					      const struct tcpsess_fsm *fsm,
					      u8 flags)
{
	struct mem_cgroup *task_memcg;
	struct tcpsess_session *s;

	if (!tcpsess_budget_take(tn)) {
		tcpsess_stat_inc(tn, TABLE_FULL);
		return NULL;
	}
	/*
	 * Not GFP_ATOMIC: a session is worth no emergency reserve, and a
	 * cgroup at its limit must refuse it rather than be overcharged.
	 */
	task_memcg = tcpsess_set_active_memcg(tn->memcg);
	s = kmem_cache_zalloc(tcpsess_session_cache(tuple->family),
			      GFP_NOWAIT | __GFP_NOWARN);
	tcpsess_set_active_memcg(task_memcg);
	if (!s) {
		tcpsess_budget_give_back(tn);
		tcpsess_stat_inc(tn, TABLE_FULL);
		return NULL;
	}
	s->flags = flags;
	if (tuple->family == AF_INET6)
		s->flags |= TCPSESS_SESSION_INET6;
	if (fsm->flags & TCPSESS_F_PICKUP)
		s->flags |= TCPSESS_SESSION_PROVISIONAL;
	tcpsess_memory_gauge_add(tn, s, 1);
	s->id = tcpsess_id_next();
	INIT_LIST_HEAD(&s->embryo_node);
	s->sport = tuple->sport;
	s->dport = tuple->dport;
	if (tuple->family == AF_INET) {
		s->addr.v4.src = tuple->src.ip;
		s->addr.v4.dst = tuple->dst.ip;
	} else {
		s->addr.v6.src = tuple->src.in6;
		s->addr.v6.dst = tuple->dst.in6;
	}
	s->fsm = *fsm;
	s->last_seen = (u32)jiffies;
	s->rtt_syn_us = TCPSESS_RTT_NONE;
	tcpsess_handshake_mark(s, 0);		/* birth */
	return s;
}

/*
 * Makes a new session visible; hash is its tuple's, which the caller has
 * just looked up. Returns it, or the session a racing CPU inserted for the
 * same tuple first, in which case ours is freed and the caller goes on
 * with the other one.
 */
struct tcpsess_session *tcpsess_session_insert(struct tcpsess_net *tn,
					       struct tcpsess_session *s, u32 hash)
{
	spinlock_t *lock = tcpsess_session_lock(hash);
	struct tcpsess_session *other;
	struct tcpsess_tuple tuple;
	enum tcpsess_dir dir;

	tcpsess_session_tuple(s, &tuple);
	spin_lock_bh(lock);
	other = tcpsess_table_find_locked(&tn->table, &tuple, hash, &dir);
	if (other) {
		spin_unlock_bh(lock);
		tcpsess_memory_gauge_add(tn, s, -1);
		tcpsess_budget_give_back(tn);
		kmem_cache_free(tcpsess_session_cache_of(s), s);
		return other;
	}
	/*
	 * Held until it is on its
	 * embryo list, no CPU can establish it before it is there to be
	 * taken off; held until NEW is sent, no event of another CPU's about
	 * it can go out first.
	 */
	tcpsess_table_link(tn, s, hash);
	if (tcpsess_session_evictable(s))
		tcpsess_evict_add(tn, s);
	tcpsess_state_gauge_add(tn, s->fsm.state, 1);
	if (tcpsess_events_wanted(tn)) {
		/*
		 * Linked, the session is found by lockless lookups: a test
		 * build can hold it here, between visible and told, so a
		 * test can change it from another CPU at will. That CPU's
		 * event waits for the lock; when NEW went out after the
		 * unlock, it went first.
		 */
		tcpsess_race_window(TCPSESS_RACE_NEW);
		tcpsess_session_tell(tn, s, TCPSESS_EVENT_NEW, 0);
	}
	spin_unlock_bh(lock);
	tcpsess_table_added(&tn->table, atomic_read(&tn->count));
	tcpsess_gc_expect(tn, tcpsess_session_deadline(s, tn));

	tcpsess_stat_inc(tn, SESSIONS_CREATED);
	return s;
}

/*
 * An UPDATE, from the GC's walk under rcu_read_lock(); lock is the
 * session's. Like every event of a session it goes out under that lock,
 * and only while readers would show the session.
 */
void tcpsess_session_report(struct tcpsess_net *tn,
			    struct tcpsess_session *s, spinlock_t *lock)
{
	spin_lock_bh(lock);
	if (tcpsess_session_visible(s, tn))
		tcpsess_session_tell(tn, s, TCPSESS_EVENT_UPDATE, 0);
	spin_unlock_bh(lock);
}

static void tcpsess_session_free_rcu(struct rcu_head *head)
{
	struct tcpsess_session *s = container_of(head, struct tcpsess_session, rcu);

	kmem_cache_free(tcpsess_session_cache_of(s), s);
}

static enum tcpsess_end_reason tcpsess_session_expiry_reason(u8 state)
{
	switch (state) {
	case TCPSESS_STATE_TIME_WAIT:
		return TCPSESS_END_FIN;
	case TCPSESS_STATE_CLOSED:
		return TCPSESS_END_RST;
	default:
		return TCPSESS_END_TIMEOUT;
	}
}

/*
 * A timeout and an eviction are chosen from a lockless look, and a segment
 * on another CPU may refresh the session or establish it meanwhile: they
 * hold only if still true under the session lock. The other reasons are
 * the caller's to decide.
 */
static bool tcpsess_session_may_end(const struct tcpsess_session *s,
				    const struct tcpsess_net *tn,
				    enum tcpsess_end_reason reason)
{
	switch (reason) {
	case TCPSESS_END_TIMEOUT:
		return tcpsess_session_expired(s, tn);
	case TCPSESS_END_EVICTED:
		return tcpsess_session_evictable(s);
	default:
		return true;
	}
}

/*
 * Unlinks a session and accounts its end, if the reason still holds (see
 * tcpsess_session_may_end()); a timeout is counted as FIN from TIME_WAIT
 * and as RST from CLOSED. Safe to race: exactly one caller wins and gets
 * true. Needs rcu_read_lock() or a reference on the session's namespace,
 * since it updates that namespace's counters.
 */
bool tcpsess_session_end(struct tcpsess_net *tn, struct tcpsess_session *s,
			 enum tcpsess_end_reason reason)
{
	u32 hash = tcpsess_session_hash(s);
	spinlock_t *lock = tcpsess_session_lock(hash);
	u8 state;

	spin_lock_bh(lock);
	if (tcpsess_session_dead(s) || !tcpsess_session_may_end(s, tn, reason)) {
		spin_unlock_bh(lock);
		return false;
	}
	state = s->fsm.state;
	if (reason == TCPSESS_END_TIMEOUT)
		reason = tcpsess_session_expiry_reason(state);
	WRITE_ONCE(s->end_reason, reason);
	tcpsess_table_unlink(&tn->table, s, hash);
	/* Before call_rcu() below, which reuses embryo_node's bytes. */
	tcpsess_evict_del(tn, s);
	if (tcpsess_events_wanted(tn))
		tcpsess_session_tell(tn, s, TCPSESS_EVENT_END, 0);
	spin_unlock_bh(lock);

	tcpsess_state_gauge_add(tn, state, -1);
	static_assert(TCPSESS_STAT_ENDED_REUSED - TCPSESS_STAT_ENDED_FIN ==
		      TCPSESS_END_REUSED - TCPSESS_END_FIN);
	this_cpu_inc(tn->stats->counter[TCPSESS_STAT_ENDED_FIN + reason -
					TCPSESS_END_FIN]);
	tcpsess_stat_inc(tn, SESSIONS_ENDED);
	tcpsess_memory_gauge_add(tn, s, -1);
	tcpsess_budget_give_back(tn);
	call_rcu(&s->rcu, tcpsess_session_free_rcu);
	return true;
}

/*
 * last_seen keeps the low 32 bits of jiffies. time_after32() stays right
 * while a session has been idle for less than its timeout plus 2^31
 * jiffies. The longest timeout, 1728000 s, is 1.73e9 jiffies at HZ=1000,
 * under 2^31. The GC ends an expired session within a minute, long
 * before the sum could wrap.
 */
static_assert((u64)TCPSESS_TIMEOUT_LIMIT * HZ < (1ULL << 31));

/* µs since a session's birth, in 31 bits: see TCPSESS_RTT_CLOCK. */
u32 tcpsess_session_clock_us(const struct tcpsess_session *s)
{
	u64 now = tcpsess_now_us(), born = tcpsess_id_born_us(s->id);

	return now > born ? (u32)(now - born) & (TCPSESS_RTT_CLOCK - 1) : 0;
}

/* What users see of a session; its lock is held, or it is dead. */
void __tcpsess_session_snapshot(const struct tcpsess_session *s,
				struct tcpsess_snapshot *snap)
{
	u64 now = tcpsess_now_us(), born = tcpsess_id_born_us(s->id);
	enum tcpsess_dir dir;

	snap->id = s->id;
	tcpsess_session_tuple(s, &snap->tuple);
	snap->state = s->fsm.state;
	snap->flags = (s->flags & ~TCPSESS_SESSION_PRIVATE) | s->fsm.flags;
	snap->end_reason = s->end_reason;
	snap->age_ms = now > born ? div_u64(now - born, USEC_PER_MSEC) : 0;
	snap->idle_ms = jiffies_to_msecs((u32)jiffies - s->last_seen);
	for (dir = TCPSESS_DIR_ORIG; dir <= TCPSESS_DIR_REPLY; dir++) {
		snap->packets[dir] = s->packets[dir];
		snap->bytes[dir] = s->bytes[dir];
		snap->ipbytes[dir] = s->bytes[dir] +
				     tcpsess_hdrbytes_read(&s->hdrbytes, dir);
	}
	memcpy(snap->retrans, s->retrans, sizeof(snap->retrans));
	snap->rtt_syn_us = s->rtt_syn_us;
	snap->rtt_ack_us = tcpsess_session_rtt_ack(s);
	snap->history = tcpsess_history_load(&s->history);
}

/* lock is the session's lock. */
void tcpsess_session_snapshot(struct tcpsess_session *s, spinlock_t *lock,
			      struct tcpsess_snapshot *snap)
{
	spin_lock_bh(lock);
	__tcpsess_session_snapshot(s, snap);
	spin_unlock_bh(lock);
}

/* Its endpoints, with the unused address bytes zero as a tuple wants them. */
void tcpsess_session_tuple(const struct tcpsess_session *s,
			   struct tcpsess_tuple *tuple)
{
	memset(tuple, 0, sizeof(*tuple));
	tuple->family = tcpsess_session_family(s);
	tuple->sport = s->sport;
	tuple->dport = s->dport;
	if (tuple->family == AF_INET) {
		tuple->src.ip = s->addr.v4.src;
		tuple->dst.ip = s->addr.v4.dst;
	} else {
		tuple->src.in6 = s->addr.v6.src;
		tuple->dst.in6 = s->addr.v6.dst;
	}
}

/* Whether readers may show a session: alive and not expired. */
bool tcpsess_session_visible(struct tcpsess_session *s,
			     const struct tcpsess_net *tn)
{
	return !tcpsess_session_dead(s) && !tcpsess_session_expired(s, tn);
}

/*
 * The sizes Documentation/design.md gives, pinned on 64-bit: the struct
 * has no holes, and a change that opens one fails the build. 152 is the
 * most that puts 26 IPv4 sessions in a 4 KiB page, within the 160 bytes
 * of slab a session may take. No lock debugging changes them, since a
 * session holds no lock.
 */
static_assert(sizeof(void *) != 8 ||
	      (offsetofend(struct tcpsess_session, addr.v4) == 152 &&
	       TCPSESS_SESSION_SIZE_V4 == 152 &&
	       sizeof(struct tcpsess_session) == 176));

/*
 * SLAB_ACCOUNT: a session is charged to the memory cgroup active when it
 * is allocated, which tcpsess_session_alloc() makes its namespace's.
 */
int tcpsess_session_cache_init(void)
{
	tcpsess_session4_cache =
		kmem_cache_create("tcpsess_session4", TCPSESS_SESSION_SIZE_V4,
				  __alignof__(struct tcpsess_session),
				  SLAB_ACCOUNT, NULL);
	if (!tcpsess_session4_cache)
		return -ENOMEM;
	tcpsess_session6_cache =
		kmem_cache_create("tcpsess_session6", sizeof(struct tcpsess_session),
				  __alignof__(struct tcpsess_session),
				  SLAB_ACCOUNT, NULL);
	if (!tcpsess_session6_cache) {
		kmem_cache_destroy(tcpsess_session4_cache);
		return -ENOMEM;
	}
	return 0;
}

/* Every session must be gone from the table before this. */
void tcpsess_session_cache_uninit(void)
{
	rcu_barrier();
	kmem_cache_destroy(tcpsess_session6_cache);
	kmem_cache_destroy(tcpsess_session4_cache);
}
