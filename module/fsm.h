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
	u8 state;				/* enum tcpsess_state */
	u8 flags;				/* TCPSESS_F_SIMOPEN, TCPSESS_F_PICKUP */
	u8 first_closer;			/* dir of the first FIN, once seen */
};

/* What the caller must do besides recording the new state. */
enum {
	TCPSESS_ACT_RETRANS	= 1 << 0,	/* payload already seen in this dir */
	TCPSESS_ACT_NO_REFRESH	= 1 << 1,	/* leave the idle timer alone */
	TCPSESS_ACT_RTT_SYN	= 1 << 2,	/* SYN -> SYN-ACK completes here */
	TCPSESS_ACT_RTT_ACK	= 1 << 3,	/* SYN-ACK -> ACK completes here */
	TCPSESS_ACT_REOPEN	= 1 << 4,	/* end it (REUSED), start anew */
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

/* A segment in direction dir of a session. Changes *fsm only when valid. */
void tcpsess_fsm_step(struct tcpsess_fsm *fsm, enum tcpsess_dir dir,
		      const struct tcpsess_seg *seg, struct tcpsess_verdict *v);

/*
 * The same without the shortcut for an ESTABLISHED session's ACK: the
 * reference the fuzzer holds tcpsess_fsm_step() to.
 */
void tcpsess_fsm_step_full(struct tcpsess_fsm *fsm, enum tcpsess_dir dir,
			   const struct tcpsess_seg *seg, struct tcpsess_verdict *v);

#endif /* _TCPSESS_FSM_H */
