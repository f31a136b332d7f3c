/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TCPSESS_SESSION_H
#define _TCPSESS_SESSION_H

#include <linux/in6.h>
#include <linux/list.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>
#include <net/net_namespace.h>

#include "fsm.h"
#include "history.h"

struct tcpsess_net;

union tcpsess_addr {
	__be32 ip;
	struct in6_addr in6;
};

/*
 * The orig direction of a session: its source is the side that sent the
 * first SYN. Unused address bytes are zero so tuples compare with memcmp.
 */
struct tcpsess_tuple {
	union tcpsess_addr src;
	union tcpsess_addr dst;
	__be16 sport;
	__be16 dport;
	u8 family;		/* AF_INET or AF_INET6 */
};

/*
 * The header bytes of a direction's segments, whose sum with the payload is
 * its IP bytes: 48 bits, as a u32 and a u16 beside those of the other
 * direction, so that they pack between the 32-bit fields and the 16-bit
 * ones. A segment's headers are less than 64 KiB (one IP length field),
 * so the sum needs no more bits than the 32-bit packet count carries.
 */
struct tcpsess_hdrbytes {
	u32 low[2];			/* by enum tcpsess_dir */
	u16 high[2];
};

static inline u64 tcpsess_hdrbytes_read(const struct tcpsess_hdrbytes *h,
					enum tcpsess_dir dir)
{
	return (u64)h->high[dir] << 32 | h->low[dir];
}

static inline void tcpsess_hdrbytes_add(struct tcpsess_hdrbytes *h,
					enum tcpsess_dir dir, u64 n)
{
	u64 sum = tcpsess_hdrbytes_read(h, dir) + n;

	h->low[dir] = (u32)sum;
	h->high[dir] = (u16)(sum >> 32);
}

/*
 * Packed without holes on 64-bit: an IPv4 session is 152 bytes, its slab
 * object as well, 26 to a page (157.5 bytes of slab each); an IPv6 one is
 * 176. At 160 bytes, 25 to a page, each would take 163.8 bytes of slab:
 * the counters are cut to fit 152, packets to 32 bits (4 billion
 * segments, then they wrap) and the IP bytes to the 48-bit header sum
 * above, which the 64-bit payload count completes.
 * What a lookup reads first (ports, flags for the family) sits near the
 * chain link; the addresses come last. Family, ports and addresses are
 * fixed at birth.
 *
 * There is no lock of its own: the lock of its hash's stripe
 * (tcpsess_session_lock()) guards the fsm, the times and the counters.
 */
struct tcpsess_session {
	struct tcpsess_session __rcu *next;	/* table chain, walked under RCU */
	/*
	 * Unique for as long as the module is loaded, and the session's birth
	 * too: the µs of ktime_get_ns() it was made at, then the number of
	 * the CPU that made it (tcpsess_id_shift bits), which no other CPU
	 * uses. See id.c.
	 */
	u64 id;
	u64 bytes[2];			/* by enum tcpsess_dir: TCP payload */
	/*
	 * On its embryo list exactly while alive and
	 * tcpsess_session_evictable(): put on and taken off only under its
	 * session lock (and the list's). Its end takes it off before
	 * call_rcu(), and lists are only walked under their lock, so once
	 * rcu is in use nobody looks at embryo_node again. Not on a list, it
	 * is empty.
	 */
	union {
		struct list_head embryo_node;	/* candidates, oldest first */
		struct rcu_head rcu;
	};
	__be16 sport;			/* of the orig side */
	__be16 dport;
	u32 last_seen;			/* jiffies of the last refreshing segment */
	u32 rtt_syn_us;			/* TCPSESS_RTT_NONE until measured */
	/* Until measured, the handshake clock: see TCPSESS_RTT_CLOCK. */
	u32 rtt_ack_us;
	u32 packets[2];			/* valid segments, wrapping */
	u32 retrans[2];
	struct tcpsess_hdrbytes hdrbytes;
	struct tcpsess_fsm fsm;
	struct tcpsess_history_store history;
	u8 flags;			/* TCPSESS_F_*, TCPSESS_SESSION_* */
	u8 end_reason;			/* NONE until unlinked: see tcpsess_session_dead() */
	/*
	 * Last, so that an IPv4 session's object ends after addr.v4: it has
	 * no v6 bytes. Read through tcpsess_session_tuple() or the table's
	 * comparison, which know that.
	 */
	union {
		struct {
			__be32 src;
			__be32 dst;
		} v4;
		struct {
			struct in6_addr src;
			struct in6_addr dst;
		} v6;
	} addr;
};

/*
 * The object size of an IPv4 session, as its slab hands it out; an IPv6
 * one takes the whole struct.
 */
#define TCPSESS_SESSION_SIZE_V4 ALIGN(offsetofend(struct tcpsess_session, addr.v4), \
				      __alignof__(struct tcpsess_session))

/* Bits of tcpsess_session.flags above the uapi's TCPSESS_F_*. */
#define TCPSESS_SESSION_INET6		0x80	/* its family */
/*
 * Picked up mid-stream, and the other side not heard yet (SPEC section 3):
 * cleared under the session lock, once, and read locklessly for its timeout.
 */
#define TCPSESS_SESSION_PROVISIONAL	0x40
#define TCPSESS_SESSION_PRIVATE (TCPSESS_SESSION_INET6 | TCPSESS_SESSION_PROVISIONAL)
static_assert(!(TCPSESS_SESSION_PRIVATE &
		(TCPSESS_F_PICKUP | TCPSESS_F_SIMOPEN | TCPSESS_F_REOPENED)));

#define TCPSESS_RTT_NONE U32_MAX

/*
 * rtt_ack_us with this bit set is not a result but the clock of the
 * handshake still being timed: the µs after birth of the last SYN, then of
 * the SYN-ACK, in the bits below. Handshake times are kept below it, so a
 * handshake is timed exactly up to 2^31 µs (35 minutes); no default
 * timeout lets one last a tenth of that.
 */
#define TCPSESS_RTT_CLOCK BIT(31)

/*
 * How often an operation that lost a race with another CPU starts over
 * before it gives up: its session ended or was made meanwhile, its victim
 * was established, the slot an eviction freed was taken. Losing four in a
 * row takes a tuple or a table churning faster than a CPU can look.
 */
#define TCPSESS_RACE_RETRIES 4

/* A consistent copy of what users see of a session, taken under its lock. */
struct tcpsess_snapshot {
	u64 id;
	struct tcpsess_tuple tuple;
	u8 state;
	u8 flags;
	u8 end_reason;
	u64 age_ms;
	u64 idle_ms;
	u64 packets[2];
	u64 bytes[2];
	u64 ipbytes[2];
	u32 retrans[2];
	u32 rtt_syn_us;
	u32 rtt_ack_us;
	u64 history;
};

int tcpsess_session_cache_init(void);
void tcpsess_session_cache_uninit(void);

struct tcpsess_session *tcpsess_session_alloc(struct tcpsess_net *tn,
					      const struct tcpsess_tuple *tuple,
					      const struct tcpsess_fsm *fsm,
					      u8 flags);
struct tcpsess_session *tcpsess_session_insert(struct tcpsess_net *tn,
					       struct tcpsess_session *s, u32 hash);
bool tcpsess_session_end(struct tcpsess_net *tn, struct tcpsess_session *s,
			 enum tcpsess_end_reason reason);
void tcpsess_session_confirm(struct tcpsess_net *tn, struct tcpsess_session *s);
void tcpsess_session_report(struct tcpsess_net *tn,
			    struct tcpsess_session *s, spinlock_t *lock);
u32 tcpsess_session_clock_us(const struct tcpsess_session *s);
void tcpsess_session_snapshot(struct tcpsess_session *s, spinlock_t *lock,
			      struct tcpsess_snapshot *snap);
void __tcpsess_session_snapshot(const struct tcpsess_session *s,
				struct tcpsess_snapshot *snap);
bool tcpsess_session_visible(struct tcpsess_session *s,
			     const struct tcpsess_net *tn);
void tcpsess_session_tuple(const struct tcpsess_session *s,
			   struct tcpsess_tuple *tuple);

static inline u8 tcpsess_session_family(const struct tcpsess_session *s)
{
	return s->flags & TCPSESS_SESSION_INET6 ? AF_INET6 : AF_INET;
}

/*
 * Whether a full table may evict a session: it never reached ESTABLISHED,
 * that is, not both SYNs were acknowledged, or it was picked up mid-stream
 * and the other side has not confirmed it. A session never forgets that
 * its SYNs were acknowledged or that it was confirmed (a reopen makes a
 * new one), so a candidate can stop being one, under its lock, but
 * never become one again.
 */
static inline bool tcpsess_session_evictable(const struct tcpsess_session *s)
{
	const struct tcpsess_fsm_peer *p = s->fsm.peer;

	return (s->flags & TCPSESS_SESSION_PROVISIONAL) ||
	       !(p[0].flags & p[1].flags & TCPSESS_PEER_SYN_ACKED);
}

/* Whether the handshake is still being timed (see TCPSESS_RTT_CLOCK). */
static inline bool tcpsess_handshake_timing(const struct tcpsess_session *s)
{
	return s->rtt_ack_us & TCPSESS_RTT_CLOCK;
}

/* Starts the handshake's next stretch at us, a session clock reading. */
static inline void tcpsess_handshake_mark(struct tcpsess_session *s, u32 us)
{
	s->rtt_ack_us = TCPSESS_RTT_CLOCK | us;
}

/* µs from the handshake's last mark to us: both in 31 bits, wrapping. */
static inline u32 tcpsess_handshake_since_mark(const struct tcpsess_session *s,
					       u32 us)
{
	return (us - s->rtt_ack_us) & (TCPSESS_RTT_CLOCK - 1);
}

/* The ACK RTT, or TCPSESS_RTT_NONE while the handshake is being timed. */
static inline u32 tcpsess_session_rtt_ack(const struct tcpsess_session *s)
{
	return tcpsess_handshake_timing(s) ? TCPSESS_RTT_NONE : s->rtt_ack_us;
}

/*
 * Whether a session was unlinked, and so ended. Its end_reason is set
 * then, under its lock, and never before.
 */
static inline bool tcpsess_session_dead(const struct tcpsess_session *s)
{
	return READ_ONCE(s->end_reason) != TCPSESS_END_NONE;
}

#endif /* _TCPSESS_SESSION_H */
