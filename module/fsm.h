/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The TCP state machine of one session, as seen from the middle of the
 * path: pure functions over a small struct, so the packet path can run them
 * under the session's bucket lock and the unit tests can run them in
 * userspace.
 */
#ifndef _TCPSESS_FSM_H
#define _TCPSESS_FSM_H

#include "portable.h"
#include <linux/tcpsess.h>

/* Wire bits of byte 13 of the TCP header. */
#define TCPSESS_TH_FIN	0x01
#define TCPSESS_TH_SYN	0x02
#define TCPSESS_TH_RST	0x04
#define TCPSESS_TH_PSH	0x08
#define TCPSESS_TH_ACK	0x10
#define TCPSESS_TH_URG	0x20
#define TCPSESS_TH_ECE	0x40
#define TCPSESS_TH_CWR	0x80

/* Window-scale option absent; values above the RFC 7323 limit are clamped. */
#define TCPSESS_WSCALE_NONE	0xff
#define TCPSESS_WSCALE_MAX	14

/* One segment, parsed by the caller. */
struct tcpsess_seg {
	u32 seq;
	u32 ack;
	u32 len;	/* payload bytes */
	u16 win;	/* raw, unscaled window field */
	u8 flags;	/* TCPSESS_TH_* */
	u8 wscale;	/* option value (SYN only), or TCPSESS_WSCALE_NONE */
};

/* Bits of struct tcpsess_fsm_peer.flags. */
enum {
	TCPSESS_PEER_INIT	= 1 << 0,	/* sequence space known */
	TCPSESS_PEER_SYN	= 1 << 1,	/* sent a SYN, isn is valid */
	TCPSESS_PEER_SYN_ACKED	= 1 << 2,	/* or handshake never seen */
	TCPSESS_PEER_FIN	= 1 << 3,	/* FIN at end - 1 */
	TCPSESS_PEER_FIN_ACKED	= 1 << 4,
	TCPSESS_PEER_WSCALE	= 1 << 5,	/* SYN offered window scaling */
	/*
	 * A SYN with a new ISN once synchronised: isn and synlen are now
	 * that SYN's, which a SYN-ACK may answer (TCPSESS_ACT_RESYNC).
	 */
	TCPSESS_PEER_RESYN	= 1 << 6,
};

/*
 * Sequence tracking of the data one side sends. The windows it advertises
 * bound what the other side may send, so they live here too.
 */
struct tcpsess_fsm_peer {
	u32 isn;	/* valid with TCPSESS_PEER_SYN */
	u32 end;	/* next seq after everything sent, SYN and FIN included */
	u32 maxend;	/* right edge the other side allowed */
	u32 maxwin;	/* largest scaled window it advertised */
	u16 synlen;	/* payload carried on its SYN (TCP Fast Open) */
	u8 wscale;	/* shift its windows need once both SYNs offered it */
	u8 flags;	/* TCPSESS_PEER_* */
};

struct tcpsess_fsm {
	struct tcpsess_fsm_peer peer[2];	/* by enum tcpsess_dir */
	u8 flags;				/* TCPSESS_F_SIMOPEN, TCPSESS_F_PICKUP */
	u8 first_closer;			/* dir of the first FIN, once seen */
	/*
	 * enum tcpsess_state. Last: a judgement commits everything before it
	 * in one copy, then the state alone with WRITE_ONCE(), since expiry
	 * checks read it without the session's lock.
	 */
	u8 state;
};

/* What the caller must do besides recording the new state. */
enum {
	TCPSESS_ACT_RETRANS	= 1 << 0,	/* payload already seen in this dir */
	TCPSESS_ACT_NO_REFRESH	= 1 << 1,	/* leave the idle timer alone */
	TCPSESS_ACT_RTT_SYN	= 1 << 2,	/* SYN -> SYN-ACK completes here */
	TCPSESS_ACT_RTT_ACK	= 1 << 3,	/* SYN-ACK -> ACK completes here */
	TCPSESS_ACT_REOPEN	= 1 << 4,	/* end it (REUSED), start anew */
	/*
	 * A SYN on a synchronised session, from a peer that may have lost
	 * it: it belongs to no session yet, so it is neither counted nor
	 * refreshes (as conntrack ignores it). Only ever alone.
	 */
	TCPSESS_ACT_IGNORE	= 1 << 5,
	/*
	 * A SYN-ACK answering such a SYN: both ends lost the connection.
	 * End it (REUSED) and continue with tcpsess_fsm_resync().
	 */
	TCPSESS_ACT_RESYNC	= 1 << 6,
};

struct tcpsess_verdict {
	u8 state;	/* enum tcpsess_state after the segment */
	u8 invalid;	/* enum tcpsess_invalid_reason, NONE if valid */
	u8 actions;	/* TCPSESS_ACT_*, 0 when invalid */
};

/*
 * First segment of a tuple with no session. Returns true and fills *fsm,
 * with orig = the sender of seg, when the segment starts a session;
 * otherwise leaves *fsm alone and v->invalid says why.
 */
bool tcpsess_fsm_start(struct tcpsess_fsm *fsm, const struct tcpsess_seg *seg,
		       bool pickup, struct tcpsess_verdict *v);

/*
 * The session a SYN-ACK in direction dir re-synchronises (its verdict said
 * TCPSESS_ACT_RESYNC): *fsm as if the SYN it answers, returned in *syn, had
 * started it, which makes that SYN's sender orig, then the SYN-ACK as the
 * reply's answer. The SYN's window is not known: data from the reply
 * waits for orig's next ACK, and if the SYN-ACK scales windows, orig's
 * scale is taken to be the largest, as for a pickup.
 */
void tcpsess_fsm_resync(struct tcpsess_fsm *fsm, const struct tcpsess_fsm *old,
			enum tcpsess_dir dir, const struct tcpsess_seg *synack,
			struct tcpsess_seg *syn, struct tcpsess_verdict *v);

/*
 * A segment in direction dir of a session, judged in full: the reference
 * the fuzzer holds tcpsess_fsm_step() to. Changes *fsm only when valid.
 */
void tcpsess_fsm_step_full(struct tcpsess_fsm *fsm, enum tcpsess_dir dir,
			   const struct tcpsess_seg *seg, struct tcpsess_verdict *v);

/* Bits that never make a combination valid or invalid. */
#define TCPSESS_TH_IGNORED	(TCPSESS_TH_PSH | TCPSESS_TH_ECE | TCPSESS_TH_CWR)

/*
 * Acks trail the data they acknowledge by up to the acker's window; small
 * windows get a floor so that delayed and reordered acks still pass.
 */
#define TCPSESS_ACK_LAG_MIN	66000U

/*
 * The largest window TCP can offer (RFC 7323). While one side of a picked-up
 * session is unseen, nothing else bounds how far the other may move; this
 * keeps every step well inside half the sequence space, where comparing
 * sequence numbers stops meaning anything.
 */
#define TCPSESS_MAX_WINDOW	(0xffffU << TCPSESS_WSCALE_MAX)

static inline bool tcpsess_seq_before(u32 a, u32 b)
{
	return (s32)(a - b) < 0;
}

static inline bool tcpsess_seq_after(u32 a, u32 b)
{
	return (s32)(b - a) < 0;
}

static inline bool tcpsess_seq_between(u32 x, u32 lo, u32 hi)
{
	return !tcpsess_seq_before(x, lo) && !tcpsess_seq_after(x, hi);
}

/*
 * tcpsess_seq_between(x, c - w, c + w) in one comparison, for w below
 * 2^30: x lies in that span exactly when its distance above the span's
 * start, taken modulo 2^32, is at most the span's width.
 */
static inline bool tcpsess_seq_near(u32 x, u32 c, u32 w)
{
	return x - (c - w) <= 2 * w;
}

/*
 * The window tests of a segment from s once r was seen, for the shortcut
 * and the full judgement alike. Data from seq to end is outside when it
 * starts past the right edge r allowed, or ends before the left one: r's
 * largest window back from s's highest data, as nothing older can still
 * be in flight.
 *
 * Each test is two returns, not one ||: as a value, || compiles without a
 * branch, which costs tcpsess_hook() registers and bytes on the fast path.
 */
static inline bool tcpsess_seq_outside(const struct tcpsess_fsm_peer *s,
				       const struct tcpsess_fsm_peer *r,
				       u32 seq, u32 end)
{
	if (tcpsess_seq_after(seq, s->maxend))
		return true;
	return tcpsess_seq_before(end, s->end - r->maxwin);
}

/* s's ack is outside when it acks data r never sent, or lags too far. */
static inline bool tcpsess_ack_outside(const struct tcpsess_fsm_peer *s,
				       const struct tcpsess_fsm_peer *r, u32 ack)
{
	u32 lag = s->maxwin > TCPSESS_ACK_LAG_MIN ? s->maxwin :
						  TCPSESS_ACK_LAG_MIN;

	if (tcpsess_seq_after(ack, r->end))
		return true;
	return tcpsess_seq_before(ack, r->end - lag);
}

/* RFC 7323: scaling is on only when both SYNs offered it. */
static inline u32 tcpsess_scaled_win(const struct tcpsess_fsm_peer *s,
				     const struct tcpsess_fsm_peer *r, u16 win)
{
	if (s->flags & r->flags & TCPSESS_PEER_WSCALE)
		return (u32)win << s->wscale;
	return win;
}

static inline void tcpsess_allow(struct tcpsess_fsm_peer *p, u32 edge)
{
	if (tcpsess_seq_after(edge, p->maxend))
		p->maxend = edge;
}

/*
 * Most segments are an ACK, with or without data, of an ESTABLISHED
 * session: both sides known, or, picked up where only one direction passes
 * (asymmetric routing), one side never seen. This is on_ack() for those
 * cases alone, without the scratch copy: it writes nothing until every
 * check has passed, and leaves anything else, an invalid segment included,
 * to the full judgement. The fuzzer holds it to the full judgement's
 * answers.
 */
static inline bool tcpsess_fsm_step_fast(struct tcpsess_fsm *f,
					 enum tcpsess_dir dir,
					 const struct tcpsess_seg *seg,
					 struct tcpsess_verdict *v)
{
	const u8 known = TCPSESS_PEER_INIT | TCPSESS_PEER_SYN_ACKED;
	struct tcpsess_fsm_peer *s = &f->peer[dir], *r = &f->peer[!dir];
	u32 end, win;

	/* ESTABLISHED means both SYNs acknowledged and no FIN either way. */
	if (f->state != TCPSESS_STATE_ESTABLISHED ||
	    (seg->flags & ~TCPSESS_TH_IGNORED) != TCPSESS_TH_ACK ||
	    (s->flags & known) != known ||
	    !(r->flags & TCPSESS_PEER_SYN_ACKED))
		return false;

	/*
	 * Each case checks and then moves what only it moves, so that little
	 * has to outlive the branch.
	 */
	end = seg->seq + seg->len;
	if (r->flags & TCPSESS_PEER_INIT) {
		if (tcpsess_seq_outside(s, r, seg->seq, end))
			return false;
		if (tcpsess_ack_outside(s, r, seg->ack))
			return false;
		if (tcpsess_seq_after(end, s->maxend))
			r->maxwin += end - s->maxend;
	} else {
		if (!(f->flags & TCPSESS_F_PICKUP) ||
		    !tcpsess_seq_near(seg->seq, s->end, TCPSESS_MAX_WINDOW) ||
		    !tcpsess_seq_near(seg->ack, r->end, TCPSESS_MAX_WINDOW))
			return false;
		if (tcpsess_seq_after(seg->ack, r->end))
			r->end = seg->ack;
	}

	v->actions = seg->len && tcpsess_seq_before(seg->seq, s->end) ?
		     TCPSESS_ACT_RETRANS : 0;
	win = tcpsess_scaled_win(s, r, seg->win);
	if (win > s->maxwin)
		s->maxwin = win;
	if (tcpsess_seq_after(end, s->end))
		s->end = end;
	tcpsess_allow(r, seg->ack + win);
	v->invalid = TCPSESS_INVALID_NONE;
	v->state = TCPSESS_STATE_ESTABLISHED;
	return true;
}

/*
 * Whether a picked-up session's reply side was heard: its first segment,
 * judged against what orig's acks said of it (init_liberal()), was valid.
 */
static inline bool tcpsess_fsm_reply_heard(const struct tcpsess_fsm *f)
{
	return f->peer[TCPSESS_DIR_REPLY].flags & TCPSESS_PEER_INIT;
}

/* A segment in direction dir of a session. Changes *fsm only when valid. */
static inline void tcpsess_fsm_step(struct tcpsess_fsm *fsm,
				    enum tcpsess_dir dir,
				    const struct tcpsess_seg *seg,
				    struct tcpsess_verdict *v)
{
	if (!tcpsess_fsm_step_fast(fsm, dir, seg, v))
		tcpsess_fsm_step_full(fsm, dir, seg, v);
}

#endif /* _TCPSESS_FSM_H */
