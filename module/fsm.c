// SPDX-License-Identifier: GPL-2.0
/*
 * The TCP state machine, judged from the middle of the path.
 *
 * The state is not stored as the result of a transition table but derived
 * from a handful of per-side facts (SYN acknowledged, FIN sent, FIN
 * acknowledged). Facts only ever accumulate, so the state can only move
 * forward, and odd orders (simultaneous open, simultaneous close, a FIN
 * riding on the third ACK) need no special cases. Which kinds of segment
 * a state can take at all is a table, fsm_rules[]; handlers judge the rest.
 *
 * Sequence checks follow the idea of netfilter's tcp_in_window(): each
 * side's sequence space is bounded on the right by what the other side's
 * acks and windows allowed, and on the left by the largest window the other
 * side ever offered, since nothing older can still be in flight. RSTs are
 * judged as RFC 5961 asks an endpoint to judge them.
 *
 * Each segment is judged on a scratch copy, which is committed only when
 * the segment turns out valid: an invalid segment can never leave a half
 * update behind.
 */
#include "fsm.h"

/* Every session carries two; they must not grow the session struct. */
static_assert(sizeof(struct tcpsess_fsm_peer) <= 20);

/*
 * What a segment is, as far as its flags decide. A combination no TCP sends
 * (SYN with FIN or RST, no ACK where one is due, no flag at all) is BAD.
 */
enum seg_kind {
	SEG_BAD,
	SEG_SYN,
	SEG_SYNACK,
	SEG_RST,	/* with or without ACK */
	SEG_ACK,	/* with or without FIN */
	SEG_KINDS,
};

#define SEG_KIND_FLAGS		(TCPSESS_TH_FIN | TCPSESS_TH_SYN | TCPSESS_TH_RST | \
				 TCPSESS_TH_ACK | TCPSESS_TH_URG)

/* Indexed by the flags that count: every other combination is SEG_BAD. */
static const u8 seg_kinds[SEG_KIND_FLAGS + 1] = {
	[TCPSESS_TH_SYN]					= SEG_SYN,
	[TCPSESS_TH_SYN | TCPSESS_TH_URG]			= SEG_SYN,
	[TCPSESS_TH_SYN | TCPSESS_TH_ACK]			= SEG_SYNACK,
	[TCPSESS_TH_RST]					= SEG_RST,
	[TCPSESS_TH_RST | TCPSESS_TH_ACK]			= SEG_RST,
	[TCPSESS_TH_FIN | TCPSESS_TH_ACK]			= SEG_ACK,
	[TCPSESS_TH_FIN | TCPSESS_TH_ACK | TCPSESS_TH_URG]	= SEG_ACK,
	[TCPSESS_TH_ACK]					= SEG_ACK,
	[TCPSESS_TH_ACK | TCPSESS_TH_URG]			= SEG_ACK,
};

/* Byte 13 with the ignored bits masked off always indexes seg_kinds. */
static_assert((0xff & ~TCPSESS_TH_IGNORED) == SEG_KIND_FLAGS);

/*
 * A cell of fsm_rules[]. X_: invalid whatever the segment's numbers, for
 * that reason (enum tcpsess_invalid_reason). J_: judged by a handler,
 * from the numbers and what each side has done. V_: valid as it is.
 */
enum {
	X_FLG = TCPSESS_INVALID_BAD_FLAGS,
	X_SYN = TCPSESS_INVALID_SYN_UNEXPECTED,
	X_SAK = TCPSESS_INVALID_SYNACK_UNEXPECTED,
	X_MID = TCPSESS_INVALID_MIDSTREAM,
	/* What a SYN with a new ISN is, for on_syn(). */
	J_NEW = __TCPSESS_INVALID_MAX,	/* the first SYN: a session */
	J_TRY,	/* another attempt, or the other side's (simultaneous open) */
	J_IGN,	/* a peer that lost the connection: TCPSESS_ACT_IGNORE */
	J_REO,	/* a new connection on the old tuple: TCPSESS_ACT_REOPEN */
	J_PCK,	/* pick_up(), if pickup is on, then on_ack() */
	J_SAK,	/* on_synack() */
	J_RST,	/* on_rst() */
	J_ACK,	/* on_ack() */
	V_NOP,	/* and changes nothing */
};

/*
 * What a segment of each kind can be in each state, and why where it is
 * not for the row's handler to judge. The SYN row is about a SYN with a
 * new ISN: one repeating its side's ISN is a copy, or the lost peer's SYN
 * again, whatever the cell.
 *
 * No cell is zero (TCPSESS_INVALID_NONE), so that a unit test can tell a
 * state added without its cells.
 */
static const u8 fsm_rules[SEG_KINDS][__TCPSESS_STATE_MAX] = {
	/*		  NONE   SYN_S  SYN_R  ESTAB  FIN_1  FIN_2  CLSNG  LASTA  TIMEW  CLOSED */
	/* No endpoint takes such a segment, in any state. */
	[SEG_BAD]	= { X_FLG, X_FLG, X_FLG, X_FLG, X_FLG, X_FLG, X_FLG, X_FLG, X_FLG, X_FLG },
	/*
	 * SYN_RECV: the SYN-ACK answered the SYN seen, and a new one can
	 * only be answered once the connection is synchronised. ESTABLISHED
	 * to LAST_ACK: synchronised, so its sender lost the connection
	 * (RFC 5961 4.2). TIME_WAIT and CLOSED: the tuple is free again.
	 */
	[SEG_SYN]	= { J_NEW, J_TRY, X_SYN, J_IGN, J_IGN, J_IGN, J_IGN, J_IGN, J_REO, J_REO },
	/*
	 * NONE: there is no SYN it could answer. Elsewhere only the SYN it
	 * answers tells, CLOSED included: a copy of the one seen, or the
	 * answer to a lost peer's SYN.
	 */
	[SEG_SYNACK]	= { X_SAK, J_SAK, J_SAK, J_SAK, J_SAK, J_SAK, J_SAK, J_SAK, J_SAK, J_SAK },
	/*
	 * NONE: there is nothing to reset, and a RST must never create
	 * state. CLOSED: a reset session lingers to absorb the stragglers.
	 */
	[SEG_RST]	= { X_MID, J_RST, J_RST, J_RST, J_RST, J_RST, J_RST, J_RST, J_RST, V_NOP },
	/* NONE: only pickup starts a session without a SYN. CLOSED: as RST. */
	[SEG_ACK]	= { J_PCK, J_ACK, J_ACK, J_ACK, J_ACK, J_ACK, J_ACK, J_ACK, J_ACK, V_NOP },
};

/* SYN and FIN each take one sequence number. */
static inline u32 seg_end(const struct tcpsess_seg *seg)
{
	return seg->seq + seg->len + !!(seg->flags & TCPSESS_TH_SYN) +
	       !!(seg->flags & TCPSESS_TH_FIN);
}

/*
 * The state table. A session's state follows from what its sides have
 * done, counted as SYNs acknowledged, FINs sent and FINs acknowledged;
 * each line says why that progress is that state. A valid RST sets CLOSED
 * directly, and only a new SYN leaves it.
 */
static const u8 state_by_progress[3][3][3] = {
	/* no SYN acknowledged: the first SYN is out, nothing answered it yet */
	[0][0 ... 2][0 ... 2]	= TCPSESS_STATE_SYN_SENT,
	/* one SYN acknowledged (by a SYN-ACK), the third ACK still to come */
	[1][0 ... 2][0 ... 2]	= TCPSESS_STATE_SYN_RECV,
	/* both SYNs acknowledged and nobody closing: data may flow both ways */
	[2][0][0]		= TCPSESS_STATE_ESTABLISHED,
	/* one side closed; its FIN is not acknowledged yet */
	[2][1][0]		= TCPSESS_STATE_FIN_WAIT_1,
	/* one side closed and was heard; the other may still send (half-close) */
	[2][1][1]		= TCPSESS_STATE_FIN_WAIT_2,
	/* both closed, neither FIN acknowledged: a simultaneous close */
	[2][2][0]		= TCPSESS_STATE_CLOSING,
	/* both closed, one FIN acknowledged: one last ACK to come */
	[2][2][1]		= TCPSESS_STATE_LAST_ACK,
	/* both closed and both heard: only stray retransmissions remain */
	[2][2][2]		= TCPSESS_STATE_TIME_WAIT,
};

static u8 derive_state(const struct tcpsess_fsm *f)
{
	u8 a = f->peer[TCPSESS_DIR_ORIG].flags;
	u8 b = f->peer[TCPSESS_DIR_REPLY].flags;
	unsigned int syns_acked, fins, fins_acked;

	syns_acked = !!(a & TCPSESS_PEER_SYN_ACKED) + !!(b & TCPSESS_PEER_SYN_ACKED);
	fins = !!(a & TCPSESS_PEER_FIN) + !!(b & TCPSESS_PEER_FIN);
	fins_acked = !!(a & TCPSESS_PEER_FIN_ACKED) + !!(b & TCPSESS_PEER_FIN_ACKED);
	return state_by_progress[syns_acked][fins][fins_acked];
}

/* A SYN's payload (TCP Fast Open), as much of it as a u16 keeps. */
static u16 syn_payload(const struct tcpsess_seg *seg)
{
	return seg->len > 0xffff ? 0xffff : (u16)seg->len;
}

static void init_from_syn(struct tcpsess_fsm_peer *s,
			  struct tcpsess_fsm_peer *r,
			  const struct tcpsess_seg *seg)
{
	s->isn = seg->seq;
	s->end = seg_end(seg);
	s->maxend = s->end;
	s->maxwin = seg->win;
	s->synlen = syn_payload(seg);
	s->flags = TCPSESS_PEER_INIT | TCPSESS_PEER_SYN;
	s->wscale = 0;
	if (seg->wscale != TCPSESS_WSCALE_NONE) {
		s->flags |= TCPSESS_PEER_WSCALE;
		s->wscale = seg->wscale > TCPSESS_WSCALE_MAX ?
			    TCPSESS_WSCALE_MAX : seg->wscale;
	}
	/*
	 * A SYN's window bounds what the other side may send after its own
	 * SYN: each right edge counts from its own side's ISN, never from
	 * the sequence space of the side that offered the window.
	 */
	if (r->flags & TCPSESS_PEER_SYN) {
		tcpsess_allow(s, s->isn + 1 + r->maxwin);
		tcpsess_allow(r, r->isn + 1 + seg->win);
	}
}

/* The ack range that acknowledges a side's SYN (and any data it carried). */
static inline bool acks_syn(const struct tcpsess_fsm_peer *p, u32 ack)
{
	return tcpsess_seq_between(ack, p->isn + 1, p->isn + 1 + p->synlen);
}

/* rule: the SYN row's cell for the state, what a new ISN means there. */
static u8 on_syn(struct tcpsess_fsm *f, enum tcpsess_dir dir,
		 const struct tcpsess_seg *seg, u8 rule, u8 *act)
{
	struct tcpsess_fsm_peer *s = &f->peer[dir], *r = &f->peer[!dir];

	if ((s->flags & TCPSESS_PEER_SYN) && seg->seq == s->isn) {
		/* A copy must not keep a half-open session alive. */
		if (!(s->flags & TCPSESS_PEER_RESYN)) {
			*act |= TCPSESS_ACT_NO_REFRESH;
			if (seg->len && tcpsess_seq_before(seg->seq + 1, s->end))
				*act |= TCPSESS_ACT_RETRANS;
			return TCPSESS_INVALID_NONE;
		}
		/*
		 * The lost peer's SYN again: still nobody's while the old
		 * connection lives, the new connection's once it is closed.
		 */
		if (rule != J_REO) {
			*act |= TCPSESS_ACT_IGNORE;
			return TCPSESS_INVALID_NONE;
		}
	}

	switch (rule) {
	case J_NEW:
		init_from_syn(s, r, seg);
		f->state = TCPSESS_STATE_SYN_SENT;
		return TCPSESS_INVALID_NONE;
	case J_TRY:
		if (dir == TCPSESS_DIR_ORIG) {
			/* A new attempt: what the reply said was about the old one. */
			*r = (struct tcpsess_fsm_peer){ 0 };
			f->flags &= ~TCPSESS_F_SIMOPEN;
		} else {
			f->flags |= TCPSESS_F_SIMOPEN;
		}
		init_from_syn(s, r, seg);
		f->state = derive_state(f);
		return TCPSESS_INVALID_NONE;
	case J_IGN:
		/*
		 * Its endpoint must see the SYN to answer it, with a challenge
		 * ACK (RFC 5961 4.2) if it still holds the connection, with a
		 * SYN-ACK if it lost it too.
		 */
		s->isn = seg->seq;
		s->synlen = syn_payload(seg);
		s->flags |= TCPSESS_PEER_RESYN;
		*act |= TCPSESS_ACT_IGNORE;
		return TCPSESS_INVALID_NONE;
	case J_REO:
		*act |= TCPSESS_ACT_REOPEN;
		return TCPSESS_INVALID_NONE;
	default:
		return rule;
	}
}

static u8 on_synack(struct tcpsess_fsm *f, enum tcpsess_dir dir,
		    const struct tcpsess_seg *seg, u8 *act)
{
	struct tcpsess_fsm_peer *s = &f->peer[dir], *r = &f->peer[!dir];
	bool ack_ok;

	/* Both ends had lost the connection: what follows is a new one. */
	if ((r->flags & TCPSESS_PEER_RESYN) && acks_syn(r, seg->ack)) {
		*act |= TCPSESS_ACT_RESYNC;
		return TCPSESS_INVALID_NONE;
	}
	if (!(r->flags & TCPSESS_PEER_SYN) ||
	    ((s->flags & TCPSESS_PEER_SYN) && seg->seq != s->isn))
		return TCPSESS_INVALID_SYNACK_UNEXPECTED;

	ack_ok = acks_syn(r, seg->ack);
	if ((r->flags & TCPSESS_PEER_SYN_ACKED) ||
	    f->state == TCPSESS_STATE_CLOSED) {
		/* Only a copy of the SYN-ACK already seen can come now. */
		if (!(s->flags & TCPSESS_PEER_SYN) ||
		    !(r->flags & TCPSESS_PEER_SYN_ACKED) || !ack_ok)
			return TCPSESS_INVALID_SYNACK_UNEXPECTED;
		*act |= TCPSESS_ACT_NO_REFRESH;
		if (seg->len && tcpsess_seq_before(seg->seq + 1, s->end))
			*act |= TCPSESS_ACT_RETRANS;
		return TCPSESS_INVALID_NONE;
	}
	if (!ack_ok)
		return TCPSESS_INVALID_SYNACK_BAD_ACK;

	if (s->flags & TCPSESS_PEER_SYN) {
		if (seg->win > s->maxwin)
			s->maxwin = seg->win;
	} else {
		init_from_syn(s, r, seg);
	}
	r->flags |= TCPSESS_PEER_SYN_ACKED;
	tcpsess_allow(r, seg->ack + seg->win);
	/* With SIMOPEN there is no SYN -> SYN-ACK round trip to speak of. */
	if (dir == TCPSESS_DIR_REPLY && !(f->flags & TCPSESS_F_SIMOPEN))
		*act |= TCPSESS_ACT_RTT_SYN;
	f->state = derive_state(f);
	return TCPSESS_INVALID_NONE;
}

static u8 on_rst(struct tcpsess_fsm *f, enum tcpsess_dir dir,
		 const struct tcpsess_seg *seg)
{
	const struct tcpsess_fsm_peer *s = &f->peer[dir], *r = &f->peer[!dir];

	if (f->state == TCPSESS_STATE_SYN_SENT && dir == TCPSESS_DIR_REPLY) {
		/* RFC 793: in SYN-SENT only the ack makes a RST acceptable. */
		if (!(seg->flags & TCPSESS_TH_ACK) ||
		    !tcpsess_seq_between(seg->ack, r->isn + 1, r->end))
			return TCPSESS_INVALID_RST_OUT_OF_WINDOW;
	} else if ((s->flags & TCPSESS_PEER_INIT) && seg->seq != s->end) {
		if (tcpsess_seq_after(seg->seq, s->end) &&
		    tcpsess_seq_before(seg->seq, s->maxend))
			return TCPSESS_INVALID_RST_INEXACT;
		return TCPSESS_INVALID_RST_OUT_OF_WINDOW;
	}
	/* A side never seen since pickup has no window to judge it by. */
	f->state = TCPSESS_STATE_CLOSED;
	return TCPSESS_INVALID_NONE;
}

/*
 * The first segment seen from a side of a picked-up session. Its seq is the
 * best guess of where that side is; the other side's acks, if any were
 * seen, already gave a lower bound for it.
 */
static void init_liberal(struct tcpsess_fsm_peer *s,
			 struct tcpsess_fsm_peer *r,
			 const struct tcpsess_seg *seg, u32 end, u32 win)
{
	if (r->flags & TCPSESS_PEER_INIT) {
		if (tcpsess_seq_after(end, s->end))
			s->end = end;
		tcpsess_allow(s, end);
		/* r's only segment so far may have been a keepalive, one below. */
		if (seg->ack == r->end + 1 && !(r->flags & TCPSESS_PEER_FIN))
			r->end++;
	} else {
		s->end = end;
		s->maxend = end;
		r->end = seg->ack;
		r->maxend = seg->ack;
	}
	s->maxwin = win;
	s->flags |= TCPSESS_PEER_INIT;
}

/* ACK, maybe FIN and payload: everything else. */
static u8 on_ack(struct tcpsess_fsm *f, enum tcpsess_dir dir,
		 const struct tcpsess_seg *seg, u8 *act)
{
	struct tcpsess_fsm_peer *s = &f->peer[dir], *r = &f->peer[!dir];
	bool fin = seg->flags & TCPSESS_TH_FIN;
	bool pickup = f->flags & TCPSESS_F_PICKUP;
	u32 end = seg_end(seg), win;
	bool retrans;

	/* Outside pickup, only a SYN can open a side's sequence space. */
	if (!(s->flags & TCPSESS_PEER_INIT) && !pickup)
		return TCPSESS_INVALID_SEQ_OUT_OF_WINDOW;
	if (!(r->flags & TCPSESS_PEER_INIT) && !pickup)
		return TCPSESS_INVALID_ACK_OUT_OF_WINDOW;
	if (!(r->flags & TCPSESS_PEER_SYN_ACKED) &&
	    !tcpsess_seq_between(seg->ack, r->isn + 1, r->end))
		return TCPSESS_INVALID_ACK_BAD_ACK;

	/* s->end is known, or seeded by r's acks, whenever r was seen. */
	retrans = seg->len && ((s->flags | r->flags) & TCPSESS_PEER_INIT) &&
		  tcpsess_seq_before(seg->seq, s->end);

	if (!(r->flags & TCPSESS_PEER_INIT)) {
		/* Pickup, r unseen: no window of r's to judge by, only sanity. */
		if ((s->flags & TCPSESS_PEER_INIT) &&
		    !tcpsess_seq_between(seg->seq, s->end - TCPSESS_MAX_WINDOW,
					 s->end + TCPSESS_MAX_WINDOW))
			return TCPSESS_INVALID_SEQ_OUT_OF_WINDOW;
		if (((s->flags | r->flags) & TCPSESS_PEER_INIT) &&
		    !tcpsess_seq_between(seg->ack, r->end - TCPSESS_MAX_WINDOW,
					 r->end + TCPSESS_MAX_WINDOW))
			return TCPSESS_INVALID_ACK_OUT_OF_WINDOW;
	}

	win = tcpsess_scaled_win(s, r, seg->win);
	if (!(s->flags & TCPSESS_PEER_INIT))
		init_liberal(s, r, seg, end, win);

	if (r->flags & TCPSESS_PEER_INIT) {
		if (tcpsess_seq_outside(s, r, seg->seq, end))
			return TCPSESS_INVALID_SEQ_OUT_OF_WINDOW;
		if (tcpsess_ack_outside(s, r, seg->ack))
			return TCPSESS_INVALID_ACK_OUT_OF_WINDOW;
	} else if (tcpsess_seq_after(seg->ack, r->end)) {
		/* r is silent so far (pickup): its acked data bounds it. */
		r->end = seg->ack;
	}

	if (s->flags & TCPSESS_PEER_FIN) {
		if (tcpsess_seq_after(end, s->end) || (fin && end != s->end))
			return TCPSESS_INVALID_DATA_AFTER_FIN;
	} else if (fin && tcpsess_seq_before(end, s->end)) {
		/* The FIN would fall before data this side already sent. */
		return TCPSESS_INVALID_DATA_AFTER_FIN;
	}

	if (retrans)
		*act |= TCPSESS_ACT_RETRANS;
	if (win > s->maxwin)
		s->maxwin = win;
	/*
	 * Data may run past the right edge as long as it starts inside; what
	 * did so widens how far back a retransmission may reach.
	 */
	if ((r->flags & TCPSESS_PEER_INIT) && tcpsess_seq_after(end, s->maxend))
		r->maxwin += end - s->maxend;
	if (tcpsess_seq_after(end, s->end))
		s->end = end;
	tcpsess_allow(r, seg->ack + win);

	if (!(r->flags & TCPSESS_PEER_SYN_ACKED)) {
		r->flags |= TCPSESS_PEER_SYN_ACKED;
		if (dir == TCPSESS_DIR_ORIG &&
		    (s->flags & TCPSESS_PEER_SYN_ACKED) &&
		    !(f->flags & TCPSESS_F_SIMOPEN))
			*act |= TCPSESS_ACT_RTT_ACK;
	}
	if ((r->flags & TCPSESS_PEER_FIN) && seg->ack == r->end)
		r->flags |= TCPSESS_PEER_FIN_ACKED;
	if (fin && !(s->flags & TCPSESS_PEER_FIN)) {
		if (!(r->flags & TCPSESS_PEER_FIN))
			f->first_closer = dir;
		s->flags |= TCPSESS_PEER_FIN;
	}
	f->state = derive_state(f);
	return TCPSESS_INVALID_NONE;
}

/*
 * A session's first segment, when it is not a SYN: the handshake is behind
 * us and its window scales unknown. Assume the largest, so that windows are
 * over- rather than underestimated and real traffic is never judged outside.
 */
static void pick_up(struct tcpsess_fsm *f)
{
	int i;

	f->flags = TCPSESS_F_PICKUP;
	for (i = 0; i < 2; i++) {
		f->peer[i].flags = TCPSESS_PEER_SYN_ACKED | TCPSESS_PEER_WSCALE;
		f->peer[i].wscale = TCPSESS_WSCALE_MAX;
	}
	f->state = TCPSESS_STATE_ESTABLISHED;
}

/*
 * Judges seg against *f, which it may scribble on even when invalid.
 * pickup: whether a first segment may start a session mid-stream.
 */
static u8 judge(struct tcpsess_fsm *f, enum tcpsess_dir dir,
		const struct tcpsess_seg *seg, bool pickup, u8 *act)
{
	u8 kind = seg_kinds[seg->flags & ~TCPSESS_TH_IGNORED];
	u8 rule = fsm_rules[kind][f->state];

	if (kind == SEG_SYN)
		return on_syn(f, dir, seg, rule, act);
	switch (rule) {
	case J_SAK:
		return on_synack(f, dir, seg, act);
	case J_RST:
		return on_rst(f, dir, seg);
	case J_PCK:
		if (!pickup)
			return TCPSESS_INVALID_MIDSTREAM;
		pick_up(f);
		/* Now ESTABLISHED, where on_ack() judges the segment. */
		fallthrough;
	case J_ACK:
		return on_ack(f, dir, seg, act);
	case V_NOP:
		return TCPSESS_INVALID_NONE;
	default:
		return rule;
	}
}

bool tcpsess_fsm_start(struct tcpsess_fsm *fsm, const struct tcpsess_seg *seg,
		       bool pickup, struct tcpsess_verdict *v)
{
	struct tcpsess_fsm next = { .state = TCPSESS_STATE_NONE };
	u8 act = 0, invalid;

	invalid = judge(&next, TCPSESS_DIR_ORIG, seg, pickup, &act);
	v->invalid = invalid;
	if (invalid != TCPSESS_INVALID_NONE) {
		v->state = TCPSESS_STATE_NONE;
		v->actions = 0;
		return false;
	}
	*fsm = next;
	v->state = next.state;
	v->actions = act;
	return true;
}

/* The state is read locklessly: see struct tcpsess_fsm. */
static void commit(struct tcpsess_fsm *fsm, const struct tcpsess_fsm *next)
{
	memcpy(fsm, next, offsetof(struct tcpsess_fsm, state));
	WRITE_ONCE(fsm->state, next->state);
}

void tcpsess_fsm_step_full(struct tcpsess_fsm *fsm, enum tcpsess_dir dir,
			   const struct tcpsess_seg *seg, struct tcpsess_verdict *v)
{
	struct tcpsess_fsm next = *fsm;
	u8 act = 0;

	v->invalid = judge(&next, dir, seg, false, &act);
	if (v->invalid == TCPSESS_INVALID_NONE) {
		commit(fsm, &next);
		v->actions = act;
	} else {
		v->actions = 0;
	}
	v->state = fsm->state;
}

void tcpsess_fsm_resync(struct tcpsess_fsm *fsm, const struct tcpsess_fsm *old,
			enum tcpsess_dir dir, const struct tcpsess_seg *synack,
			struct tcpsess_seg *syn, struct tcpsess_verdict *v)
{
	const struct tcpsess_fsm_peer *p = &old->peer[!dir];

	*syn = (struct tcpsess_seg){
		.seq = p->isn,
		.len = p->synlen,
		.flags = TCPSESS_TH_SYN,
		.wscale = synack->wscale == TCPSESS_WSCALE_NONE ?
			  TCPSESS_WSCALE_NONE : TCPSESS_WSCALE_MAX,
	};
	tcpsess_fsm_start(fsm, syn, false, v);
	tcpsess_fsm_step_full(fsm, TCPSESS_DIR_REPLY, synack, v);
	/* When the SYN was seen is not kept: no SYN round trip to tell. */
	v->actions &= ~TCPSESS_ACT_RTT_SYN;
}
