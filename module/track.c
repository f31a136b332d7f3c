// SPDX-License-Identifier: GPL-2.0
/*
 * Applies one parsed segment to its session: finds or starts the session,
 * runs the state machine under the session's lock and accounts the
 * result.
 */
#include <linux/jiffies.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/ktime.h>

#include "events.h"
#include "evict.h"
#include "expiry.h"
#include "gc.h"
#include "history.h"
#include "pernet.h"
#include "table.h"
#include "track.h"

/* The session changed under us (ended, or raced into existence): look again. */
#define TCPSESS_TRACK_AGAIN (~0U)

/*
 * Counts an invalid segment, tells listeners (with the session it belongs
 * to, if any, else the segment's own endpoints) and returns its verdict.
 */
static unsigned int tcpsess_track_invalid(struct tcpsess_net *tn,
					  enum tcpsess_invalid_reason reason,
					  const struct tcpsess_tuple *tuple,
					  const struct tcpsess_snapshot *snap,
					  int dir)
{
	tcpsess_stat_inc(tn, PACKETS_INVALID);
	this_cpu_inc(tn->stats->invalid[reason]);
	if (tcpsess_events_wanted(tn))
		tcpsess_event_invalid(tn, reason, snap, tuple, dir);
	return READ_ONCE(tn->config.mode) == TCPSESS_MODE_ENFORCE ? NF_DROP : NF_ACCEPT;
}

static bool tcpsess_is_syn_only(const struct tcpsess_seg *seg)
{
	return (seg->flags & (TCPSESS_TH_SYN | TCPSESS_TH_ACK)) == TCPSESS_TH_SYN;
}

/*
 * Times the handshake's legs, under the session lock. Out of line: it runs
 * for a handful of segments per session, and inlined into the hook its
 * histogram updates cost every other segment registers.
 */
static noinline void tcpsess_time_handshake(struct tcpsess_net *tn,
					    struct tcpsess_session *s,
					    const struct tcpsess_seg *seg,
					    u8 actions)
{
	u32 now = tcpsess_session_clock_us(s);

	/*
	 * The SYN RTT runs from the latest SYN before the SYN-ACK, so a
	 * retransmission does not count its timeout; later SYNs change nothing.
	 */
	if (tcpsess_is_syn_only(seg) && s->rtt_syn_us == TCPSESS_RTT_NONE)
		tcpsess_handshake_mark(s, now);
	/*
	 * Each leg is measured once per session (rtt_syn_us is set only from
	 * NONE; once rtt_ack_us is, timing stops), so the histograms count
	 * exactly the RTTs the sessions show. Only a session already in the
	 * table gets here with either action: a new one starts from a SYN or
	 * mid-stream, and a resync drops the SYN RTT it cannot time.
	 */
	if ((actions & TCPSESS_ACT_RTT_SYN) && s->rtt_syn_us == TCPSESS_RTT_NONE) {
		s->rtt_syn_us = tcpsess_handshake_since_mark(s, now);
		tcpsess_handshake_mark(s, now);
		tcpsess_stats_rtt(tn, TCPSESS_RTT_SYN, s->rtt_syn_us);
	}
	if (actions & TCPSESS_ACT_RTT_ACK) {
		s->rtt_ack_us = tcpsess_handshake_since_mark(s, now);
		tcpsess_stats_rtt(tn, TCPSESS_RTT_ACK, s->rtt_ack_us);
	}
}

/* A valid segment's effect on what users see; the session lock is held. */
static __always_inline void
tcpsess_account(struct tcpsess_net *tn, struct tcpsess_session *s,
		enum tcpsess_dir dir, const struct tcpsess_packet *pkt,
		const struct tcpsess_verdict *v)
{
	const struct tcpsess_seg *seg = &pkt->seg;
	u64 history;

	s->packets[dir] += pkt->segments;
	s->bytes[dir] += seg->len;
	tcpsess_hdrbytes_add(&s->hdrbytes, dir, (u64)pkt->segments * pkt->hdrlen);
	if (v->actions & TCPSESS_ACT_RETRANS)
		s->retrans[dir]++;
	history = tcpsess_history_load(&s->history);
	if (tcpsess_history_note(&history, dir, seg->flags, seg->len))
		tcpsess_history_save(&s->history, history);
	if (!(v->actions & TCPSESS_ACT_NO_REFRESH))
		WRITE_ONCE(s->last_seen, (u32)jiffies);

	/* Once the ACK RTT is known, the handshake has been timed. */
	if (tcpsess_handshake_timing(s) &&
	    ((v->actions & (TCPSESS_ACT_RTT_SYN | TCPSESS_ACT_RTT_ACK)) ||
	     tcpsess_is_syn_only(seg)))
		tcpsess_time_handshake(tn, s, seg, v->actions);
}

static void tcpsess_state_changed(struct tcpsess_net *tn,
				  struct tcpsess_session *s, u8 old, u8 new)
{
	this_cpu_dec(tn->stats->state[old]);
	this_cpu_inc(tn->stats->state[new]);
	tcpsess_gc_expect(tn, tcpsess_session_deadline(s, tn));
	tcpsess_evict_update(tn, s);
}

static unsigned int tcpsess_track_start(struct tcpsess_net *tn,
					const struct tcpsess_packet *pkt,
					u32 hash, u8 flags)
{
	struct tcpsess_session *s, *inserted;
	struct tcpsess_verdict v;
	struct tcpsess_fsm fsm;

	if (!tcpsess_fsm_start(&fsm, &pkt->seg, READ_ONCE(tn->config.pickup), &v))
		return tcpsess_track_invalid(tn, v.invalid, &pkt->tuple, NULL, -1);
	s = tcpsess_session_alloc(tn, &pkt->tuple, &fsm, flags);
	if (!s)
		return NF_ACCEPT;
	tcpsess_account(tn, s, TCPSESS_DIR_ORIG, pkt, &v);
	inserted = tcpsess_session_insert(tn, s, hash);
	return inserted == s ? NF_ACCEPT : TCPSESS_TRACK_AGAIN;
}

/*
 * After a segment that was invalid (reason) or changed its session's state
 * (from old), tells listeners with the session as it stands, then unlocks
 * the session: sent under its lock, a session's events take sequence
 * numbers in the order of its changes. Returns the segment's verdict. Out
 * of line: a snapshot on tcpsess_track_step()'s own stack would be cleared
 * for every segment (CONFIG_INIT_STACK_ALL_ZERO), listened to or not.
 */
static noinline unsigned int
tcpsess_tell_unlock(struct tcpsess_net *tn, struct tcpsess_session *s,
		    spinlock_t *lock, enum tcpsess_dir dir,
		    const struct tcpsess_packet *pkt, u8 reason, u8 old)
	__releases(lock)
{
	struct tcpsess_snapshot snap;
	bool tell = tcpsess_events_wanted(tn);
	unsigned int verdict = NF_ACCEPT;

	if (tell)
		__tcpsess_session_snapshot(s, &snap);
	if (reason != TCPSESS_INVALID_NONE)
		verdict = tcpsess_track_invalid(tn, reason, &pkt->tuple,
						tell ? &snap : NULL, dir);
	else if (tell)
		tcpsess_event_session(tn, TCPSESS_EVENT_STATE, &snap, old);
	spin_unlock(lock);
	return verdict;
}

/* The same endpoints, seen from the other side. */
static void tcpsess_tuple_reverse(struct tcpsess_tuple *to,
				  const struct tcpsess_tuple *from)
{
	*to = *from;
	swap(to->src, to->dst);
	swap(to->sport, to->dport);
}

/*
 * Both ends had lost their connection, and pkt, a SYN-ACK, answers the SYN
 * one of them tried again with: its old session has ended, and a new one,
 * *fresh, starts from that SYN (*syn), whose sender is orig there. The
 * SYN was not counted when it passed, since it belonged to no session
 * yet: it is the new session's first segment. Only its payload was kept,
 * so its headers are counted as long as the SYN-ACK's, which answers the
 * same options over the same path: the one segment whose IP bytes are
 * not measured.
 */
static noinline unsigned int
tcpsess_track_resync(struct tcpsess_net *tn, const struct tcpsess_fsm *fresh,
		     const struct tcpsess_seg *syn, const struct tcpsess_packet *pkt,
		     const struct tcpsess_verdict *v, u32 hash)
{
	struct tcpsess_packet first = {
		.seg = *syn, .segments = 1, .hdrlen = pkt->hdrlen,
	};
	const struct tcpsess_verdict opened = { .state = TCPSESS_STATE_SYN_SENT };
	struct tcpsess_session *s;

	tcpsess_tuple_reverse(&first.tuple, &pkt->tuple);
	s = tcpsess_session_alloc(tn, &first.tuple, fresh, TCPSESS_F_REOPENED);
	if (!s)
		return NF_ACCEPT;
	tcpsess_account(tn, s, TCPSESS_DIR_ORIG, &first, &opened);
	tcpsess_account(tn, s, TCPSESS_DIR_REPLY, pkt, v);
	return tcpsess_session_insert(tn, s, hash) == s ? NF_ACCEPT :
							TCPSESS_TRACK_AGAIN;
}

/*
 * The verdicts that end or bypass the session: a SYN that reopens a closed
 * tuple, one that belongs to no session yet, a SYN-ACK that re-synchronises.
 * The session's lock is held on entry and released here.
 */
static noinline unsigned int
tcpsess_track_reuse(struct tcpsess_net *tn, struct tcpsess_session *s,
		    spinlock_t *lock, enum tcpsess_dir dir,
		    const struct tcpsess_packet *pkt, u32 hash,
		    const struct tcpsess_verdict *v)
	__releases(lock)
{
	struct tcpsess_verdict resynced;
	struct tcpsess_fsm fresh;
	struct tcpsess_seg syn;

	if (v->actions & TCPSESS_ACT_IGNORE) {
		spin_unlock(lock);
		return NF_ACCEPT;
	}
	if (v->actions & TCPSESS_ACT_RESYNC) {
		tcpsess_fsm_resync(&fresh, &s->fsm, dir, &pkt->seg, &syn,
				   &resynced);
		spin_unlock(lock);
		tcpsess_session_end(tn, s, TCPSESS_END_REUSED);
		return tcpsess_track_resync(tn, &fresh, &syn, pkt, &resynced, hash);
	}
	spin_unlock(lock);
	tcpsess_session_end(tn, s, TCPSESS_END_REUSED);
	return tcpsess_track_start(tn, pkt, hash, TCPSESS_F_REOPENED);
}

static unsigned int tcpsess_track_step(struct tcpsess_net *tn,
				       struct tcpsess_session *s,
				       enum tcpsess_dir dir,
				       const struct tcpsess_packet *pkt, u32 hash)
{
	spinlock_t *lock = tcpsess_session_lock(hash);
	/* Both judgements write all of it. */
	struct tcpsess_verdict v __uninitialized;
	u8 old;

	spin_lock(lock);
	if (tcpsess_session_dead(s)) {
		spin_unlock(lock);
		return TCPSESS_TRACK_AGAIN;
	}
	/* Not yet reaped: the segment belongs to whatever comes next. */
	if (tcpsess_session_expired(s, tn)) {
		spin_unlock(lock);
		tcpsess_session_end(tn, s, TCPSESS_END_TIMEOUT);
		return TCPSESS_TRACK_AGAIN;
	}
	old = s->fsm.state;
	tcpsess_fsm_step(&s->fsm, dir, &pkt->seg, &v);
	if (v.invalid)
		return tcpsess_tell_unlock(tn, s, lock, dir, pkt, v.invalid, old);
	if (unlikely(v.actions & (TCPSESS_ACT_REOPEN | TCPSESS_ACT_IGNORE |
				  TCPSESS_ACT_RESYNC)))
		return tcpsess_track_reuse(tn, s, lock, dir, pkt, hash, &v);
	tcpsess_account(tn, s, dir, pkt, &v);
	if (unlikely(s->flags & TCPSESS_SESSION_PROVISIONAL) &&
	    tcpsess_fsm_reply_heard(&s->fsm))
		tcpsess_session_confirm(tn, s);
	if (v.state != old) {
		tcpsess_state_changed(tn, s, old, v.state);
		return tcpsess_tell_unlock(tn, s, lock, dir, pkt,
					   TCPSESS_INVALID_NONE, old);
	}
	spin_unlock(lock);
	return NF_ACCEPT;
}

/*
 * Called under rcu_read_lock(), from the netfilter hooks, with BHs off, so
 * that tcpsess_track_step() takes its lock without _bh.
 */
static unsigned int tcpsess_track(struct tcpsess_net *tn,
				  const struct tcpsess_packet *pkt)
{
	u32 hash = tcpsess_tuple_hash(&pkt->tuple);
	struct tcpsess_session *s;
	enum tcpsess_dir dir;
	unsigned int verdict;
	int tries;

	for (tries = 0; tries < TCPSESS_RACE_RETRIES; tries++) {
		s = tcpsess_table_find(&tn->table, &pkt->tuple, hash, &dir);
		if (s)
			verdict = tcpsess_track_step(tn, s, dir, pkt, hash);
		else
			verdict = tcpsess_track_start(tn, pkt, hash, 0);
		if (verdict != TCPSESS_TRACK_AGAIN)
			return verdict;
	}
	/* Only a tuple churning faster than we can look gets here: let it pass. */
	return NF_ACCEPT;
}

/*
 * Received segments come with BHs off already, so most segments pay
 * nothing here; a task's own output (LOCAL_OUT) may come with them on.
 */
static __always_inline unsigned int
tcpsess_track_bh_off(struct tcpsess_net *tn, const struct tcpsess_packet *pkt)
{
	bool bhs_on = !softirq_count();
	unsigned int verdict;

	if (unlikely(bhs_on))
		local_bh_disable();
	verdict = tcpsess_track(tn, pkt);
	if (unlikely(bhs_on))
		local_bh_enable();
	return verdict;
}

/*
 * The hook function, for every IPv4 and IPv6 segment the hooks.c hooks
 * see; priv is the namespace's state. The whole per-segment path is this
 * one frame: the parser (packet.h), the hash and the lookup (table.h), the
 * state machine's shortcut (fsm.h), the expiry check (pernet.h) and the
 * history (history.h) are inline in it, because on Debian's kernels a call
 * frame costs more than most of those steps. It calls out only for the
 * hash, the lock, the checksum and what is rare.
 */
unsigned int tcpsess_hook(void *priv, struct sk_buff *skb,
			  const struct nf_hook_state *state)
{
	struct tcpsess_net *tn = priv;
	enum tcpsess_invalid_reason reason;
	/*
	 * Written by tcpsess_parse() before any use, so spared the clearing
	 * CONFIG_INIT_STACK_ALL_ZERO would give it on every segment.
	 */
	struct tcpsess_packet pkt __uninitialized;

	if (state->hook == NF_INET_PRE_ROUTING && state->in &&
	    (state->in->flags & IFF_LOOPBACK))
		return NF_ACCEPT;

	switch (tcpsess_parse(skb, state, &pkt, &reason)) {
	case TCPSESS_PARSE_OK:
		this_cpu_add(tn->stats->counter[TCPSESS_STAT_PACKETS_SEEN],
			     pkt.segments);
		return tcpsess_track_bh_off(tn, &pkt);
	case TCPSESS_PARSE_FRAGMENT:
		tcpsess_stat_inc(tn, PACKETS_SEEN);
		tcpsess_stat_inc(tn, FRAGMENTS_IGNORED);
		return NF_ACCEPT;
	case TCPSESS_PARSE_INVALID:
		tcpsess_stat_inc(tn, PACKETS_SEEN);
		return tcpsess_track_invalid(tn, reason, &pkt.tuple, NULL, -1);
	default:
		return NF_ACCEPT;
	}
}
