// SPDX-License-Identifier: GPL-2.0
/*
 * The state machine, one scenario per table row: a session's segments in
 * order, each with the verdict it must get. The driver also checks, for
 * every step, that an invalid segment left the session byte for byte as it
 * was, and emulates the caller on REOPEN (end the session, start a new one
 * from the same segment). fsm.c is included, not linked, for its tables.
 */
#include <string.h>

#include "kselftest_harness.h"
#include "fsm.c"
#include "names.h"

#define O	TCPSESS_DIR_ORIG
#define R	TCPSESS_DIR_REPLY

#define FIN	TCPSESS_TH_FIN
#define SYN	TCPSESS_TH_SYN
#define RST	TCPSESS_TH_RST
#define PSH	TCPSESS_TH_PSH
#define ACK	TCPSESS_TH_ACK
#define URG	TCPSESS_TH_URG
#define ECE	TCPSESS_TH_ECE
#define CWR	TCPSESS_TH_CWR
#define SA	(SYN | ACK)
#define FA	(FIN | ACK)
#define RA	(RST | ACK)
#define PA	(PSH | ACK)

#define NOWS	TCPSESS_WSCALE_NONE
#define WIN	65535

#define RETRANS	TCPSESS_ACT_RETRANS
#define NOREF	TCPSESS_ACT_NO_REFRESH
#define RTTS	TCPSESS_ACT_RTT_SYN
#define RTTA	TCPSESS_ACT_RTT_ACK
#define REOPEN	TCPSESS_ACT_REOPEN
#define IGNORE	TCPSESS_ACT_IGNORE
#define RESYNC	TCPSESS_ACT_RESYNC

struct step {
	bool used;
	u8 dir, flags, wscale;
	u32 seq, ack, len;
	u16 win;
	u8 state, invalid, actions;
};

/* One segment and the verdict it must get; a failed start expects NONE. */
#define STEP(d, f, sq, ak, w, l, ws, st, inv, act) {			\
	.used = true, .dir = (d), .flags = (f), .seq = (sq), .ack = (ak), \
	.win = (w), .len = (l), .wscale = (ws),				\
	.state = TCPSESS_STATE_##st, .invalid = TCPSESS_INVALID_##inv,	\
	.actions = (act) }

enum prefix {
	FRESH,		/* no session yet */
	EST,		/* the handshake below, ISNs 1000 and 5000 */
};

struct scenario {
	const char *name;
	enum prefix from;
	bool pickup;
	u8 sflags;	/* session flags at the end */
	char closer;	/* 'o' or 'r': first_closer at the end, 0: unchecked */
	struct step steps[24];
};

static const struct step est_prefix[] = {
	STEP(O, SYN, 1000, 0, WIN, 0, NOWS, SYN_SENT, NONE, 0),
	STEP(R, SA, 5000, 1001, WIN, 0, NOWS, SYN_RECV, NONE, RTTS),
	STEP(O, ACK, 1001, 5001, WIN, 0, NOWS, ESTABLISHED, NONE, RTTA),
	{ .used = false },
};

/* What the whole run saw, for the coverage test. */
struct seen {
	unsigned int invalid[__TCPSESS_INVALID_MAX];
	unsigned int state[__TCPSESS_STATE_MAX];
	unsigned int actions[8];
	unsigned int steps;
};

/* Checks one step; returns false when it went wrong, to stop the scenario. */
static bool run_step(struct __test_metadata *_metadata, const char *name,
		     int i, const struct step *st, struct tcpsess_fsm *fsm,
		     bool *have, bool pickup, struct seen *seen)
{
	struct tcpsess_seg seg = {
		.seq = st->seq, .ack = st->ack, .len = st->len,
		.win = st->win, .flags = st->flags, .wscale = st->wscale,
	};
	struct tcpsess_fsm before;
	struct tcpsess_verdict v;
	bool ok, good = true;
	unsigned int bit;

	memset(&v, 0xa5, sizeof(v));
	if (!*have) {
		memset(fsm, 0x5a, sizeof(*fsm));
		before = *fsm;
		ok = tcpsess_fsm_start(fsm, &seg, pickup, &v);
		good &= ok == (st->invalid == TCPSESS_INVALID_NONE);
		*have = ok;
	} else {
		before = *fsm;
		tcpsess_fsm_step(fsm, st->dir, &seg, &v);
		good &= fsm->state == v.state;
	}
	good &= st->state == v.state && st->invalid == v.invalid &&
		st->actions == v.actions;
	if (v.invalid != TCPSESS_INVALID_NONE)
		good &= !memcmp(&before, fsm, sizeof(before));
	EXPECT_TRUE(good)
		TH_LOG("%s, step %d: got %s/%s/%#x, want %s/%s/%#x%s", name, i,
		       tcpsess_state_name(v.state),
		       tcpsess_invalid_reason_name(v.invalid), v.actions,
		       tcpsess_state_name(st->state),
		       tcpsess_invalid_reason_name(st->invalid), st->actions,
		       v.invalid && memcmp(&before, fsm, sizeof(before)) ?
		       ", and the session changed" : "");

	if (seen) {
		seen->steps++;
		if (v.invalid < __TCPSESS_INVALID_MAX)
			seen->invalid[v.invalid]++;
		if (v.state < __TCPSESS_STATE_MAX)
			seen->state[v.state]++;
		for (bit = 0; bit < 8; bit++)
			if (v.actions & (1U << bit))
				seen->actions[bit]++;
	}

	if (good && *have && (v.actions & TCPSESS_ACT_RESYNC)) {
		/*
		 * As the caller does: end the old session, start one from the
		 * SYN this SYN-ACK answers, whose sender is orig there.
		 */
		struct tcpsess_seg syn;

		before = *fsm;
		tcpsess_fsm_resync(fsm, &before, st->dir, &seg, &syn, &v);
		good = v.state == TCPSESS_STATE_SYN_RECV &&
		       v.invalid == TCPSESS_INVALID_NONE && !v.actions &&
		       fsm->peer[TCPSESS_DIR_ORIG].isn == seg.ack - 1 &&
		       fsm->peer[TCPSESS_DIR_REPLY].isn == seg.seq && !fsm->flags;
		EXPECT_TRUE(good) TH_LOG("%s, step %d: resync", name, i);
	}
	if (good && *have && (v.actions & TCPSESS_ACT_REOPEN)) {
		/* As the caller does: end the old session, start afresh. */
		ok = tcpsess_fsm_start(fsm, &seg, pickup, &v);
		good = ok && v.state == TCPSESS_STATE_SYN_SENT &&
		       v.invalid == TCPSESS_INVALID_NONE && !v.actions &&
		       fsm->peer[TCPSESS_DIR_ORIG].isn == seg.seq &&
		       !fsm->flags;
		EXPECT_TRUE(good) TH_LOG("%s, step %d: reopen", name, i);
	}
	return good;
}

static bool run(struct __test_metadata *_metadata, const struct scenario *sc,
		struct seen *seen)
{
	struct tcpsess_fsm fsm;
	bool have = false;
	int i;

	if (sc->from == EST)
		for (i = 0; est_prefix[i].used; i++)
			if (!run_step(_metadata, sc->name, -1 - i, &est_prefix[i],
				      &fsm, &have, sc->pickup, seen))
				return false;
	for (i = 0; sc->steps[i].used; i++)
		if (!run_step(_metadata, sc->name, i, &sc->steps[i], &fsm,
			      &have, sc->pickup, seen))
			return false;
	if (!have)
		return true;
	EXPECT_EQ(sc->sflags, fsm.flags) TH_LOG("%s: session flags", sc->name);
	if (sc->closer) {
		EXPECT_EQ(sc->closer == 'o' ? O : R, fsm.first_closer)
			TH_LOG("%s: first closer", sc->name);
	}
	return sc->sflags == fsm.flags &&
	       (!sc->closer || (sc->closer == 'o' ? O : R) == fsm.first_closer);
}

static const struct scenario start_cases[] = {
	{ "syn starts", FRESH, false, 0, 0, {
		STEP(O, SYN, 1000, 0, WIN, 0, 7, SYN_SENT, NONE, 0),
	} },
	{ "syn with urg starts", FRESH, false, 0, 0, {
		STEP(O, SYN | URG, 1000, 0, WIN, 0, NOWS, SYN_SENT, NONE, 0),
	} },
	{ "ecn syn starts, psh ignored", FRESH, false, 0, 0, {
		STEP(O, SYN | ECE | CWR | PSH, 1000, 0, WIN, 0, NOWS,
		     SYN_SENT, NONE, 0),
	} },
	{ "syn-ack does not start", FRESH, true, 0, 0, {
		STEP(R, SA, 5000, 1001, WIN, 0, NOWS, NONE, SYNACK_UNEXPECTED, 0),
		STEP(O, SYN, 1000, 0, WIN, 0, NOWS, SYN_SENT, NONE, 0),
	} },
	{ "rst never starts", FRESH, true, 0, 0, {
		STEP(O, RST, 1000, 0, 0, 0, NOWS, NONE, MIDSTREAM, 0),
		STEP(O, RA, 1000, 5000, 0, 0, NOWS, NONE, MIDSTREAM, 0),
	} },
	{ "no pickup: midstream", FRESH, false, 0, 0, {
		STEP(O, ACK, 1000, 5000, WIN, 0, NOWS, NONE, MIDSTREAM, 0),
		STEP(O, PA, 1000, 5000, WIN, 10, NOWS, NONE, MIDSTREAM, 0),
		STEP(O, FA, 1000, 5000, WIN, 0, NOWS, NONE, MIDSTREAM, 0),
		STEP(O, RA, 1000, 5000, 0, 0, NOWS, NONE, MIDSTREAM, 0),
	} },
	{ "bad flags do not start", FRESH, true, 0, 0, {
		STEP(O, 0, 1000, 0, WIN, 0, NOWS, NONE, BAD_FLAGS, 0),
		STEP(O, SYN | FIN, 1000, 0, WIN, 0, NOWS, NONE, BAD_FLAGS, 0),
		STEP(O, FIN, 1000, 0, WIN, 0, NOWS, NONE, BAD_FLAGS, 0),
		STEP(O, SYN | RST, 1000, 0, WIN, 0, NOWS, NONE, BAD_FLAGS, 0),
	} },
};

static const struct scenario handshake_cases[] = {
	{ "normal handshake", EST, false, 0, 0, {
		STEP(O, PA, 1001, 5001, WIN, 100, NOWS, ESTABLISHED, NONE, 0),
	} },
	{ "syn-ack with the wrong ack", FRESH, false, 0, 0, {
		STEP(O, SYN, 1000, 0, WIN, 0, NOWS, SYN_SENT, NONE, 0),
		STEP(R, SA, 5000, 1000, WIN, 0, NOWS, SYN_SENT, SYNACK_BAD_ACK, 0),
		STEP(R, SA, 5000, 1002, WIN, 0, NOWS, SYN_SENT, SYNACK_BAD_ACK, 0),
		STEP(R, SA, 5000, 0, WIN, 0, NOWS, SYN_SENT, SYNACK_BAD_ACK, 0),
		STEP(R, SA, 5000, 1001, WIN, 0, NOWS, SYN_RECV, NONE, RTTS),
		STEP(O, ACK, 1001, 5001, WIN, 0, NOWS, ESTABLISHED, NONE, RTTA),
	} },
	{ "third ack with the wrong ack", FRESH, false, 0, 0, {
		STEP(O, SYN, 1000, 0, WIN, 0, NOWS, SYN_SENT, NONE, 0),
		STEP(R, SA, 5000, 1001, WIN, 0, NOWS, SYN_RECV, NONE, RTTS),
		STEP(O, ACK, 1001, 5000, WIN, 0, NOWS, SYN_RECV, ACK_BAD_ACK, 0),
		STEP(O, ACK, 1001, 5002, WIN, 0, NOWS, SYN_RECV, ACK_BAD_ACK, 0),
		STEP(O, PA, 1001, 4000, WIN, 10, NOWS, SYN_RECV, ACK_BAD_ACK, 0),
		STEP(O, ACK, 1001, 5001, WIN, 0, NOWS, ESTABLISHED, NONE, RTTA),
	} },
	{ "data on the third ack", FRESH, false, 0, 0, {
		STEP(O, SYN, 1000, 0, WIN, 0, NOWS, SYN_SENT, NONE, 0),
		STEP(R, SA, 5000, 1001, WIN, 0, NOWS, SYN_RECV, NONE, RTTS),
		STEP(O, PA, 1001, 5001, WIN, 100, NOWS, ESTABLISHED, NONE, RTTA),
		STEP(R, ACK, 5001, 1101, WIN, 0, NOWS, ESTABLISHED, NONE, 0),
	} },
	{ "retransmitted syn", FRESH, false, 0, 0, {
		STEP(O, SYN, 1000, 0, WIN, 0, NOWS, SYN_SENT, NONE, 0),
		STEP(O, SYN, 1000, 0, WIN, 0, NOWS, SYN_SENT, NONE, NOREF),
		STEP(R, SA, 5000, 1001, WIN, 0, NOWS, SYN_RECV, NONE, RTTS),
		STEP(O, SYN, 1000, 0, WIN, 0, NOWS, SYN_RECV, NONE, NOREF),
		STEP(O, ACK, 1001, 5001, WIN, 0, NOWS, ESTABLISHED, NONE, RTTA),
		STEP(O, SYN, 1000, 0, WIN, 0, NOWS, ESTABLISHED, NONE, NOREF),
	} },
	{ "new syn in syn_sent restarts", FRESH, false, 0, 0, {
		STEP(O, SYN, 1000, 0, WIN, 0, NOWS, SYN_SENT, NONE, 0),
		STEP(O, SYN, 3000, 0, WIN, 0, NOWS, SYN_SENT, NONE, 0),
		STEP(R, SA, 5000, 1001, WIN, 0, NOWS, SYN_SENT, SYNACK_BAD_ACK, 0),
		STEP(R, SA, 5000, 3001, WIN, 0, NOWS, SYN_RECV, NONE, RTTS),
		STEP(O, ACK, 3001, 5001, WIN, 0, NOWS, ESTABLISHED, NONE, RTTA),
	} },
	{ "retransmitted syn-ack", FRESH, false, 0, 0, {
		STEP(O, SYN, 1000, 0, WIN, 0, NOWS, SYN_SENT, NONE, 0),
		STEP(R, SA, 5000, 1001, WIN, 0, NOWS, SYN_RECV, NONE, RTTS),
		STEP(R, SA, 5000, 1001, WIN, 0, NOWS, SYN_RECV, NONE, NOREF),
		STEP(O, ACK, 1001, 5001, WIN, 0, NOWS, ESTABLISHED, NONE, RTTA),
		STEP(R, SA, 5000, 1001, WIN, 0, NOWS, ESTABLISHED, NONE, NOREF),
	} },
	{ "stale syn-ack", FRESH, false, 0, 0, {
		STEP(O, SYN, 1000, 0, WIN, 0, NOWS, SYN_SENT, NONE, 0),
		STEP(R, SA, 5000, 1001, WIN, 0, NOWS, SYN_RECV, NONE, RTTS),
		STEP(R, SA, 7000, 1001, WIN, 0, NOWS, SYN_RECV,
		     SYNACK_UNEXPECTED, 0),
		STEP(R, SA, 5000, 1002, WIN, 0, NOWS, SYN_RECV,
		     SYNACK_UNEXPECTED, 0),
		STEP(O, ACK, 1001, 5001, WIN, 0, NOWS, ESTABLISHED, NONE, RTTA),
		STEP(R, SA, 9000, 777, WIN, 0, NOWS, ESTABLISHED,
		     SYNACK_UNEXPECTED, 0),
		STEP(O, FA, 1001, 5001, WIN, 0, NOWS, FIN_WAIT_1, NONE, 0),
		STEP(R, SA, 9000, 1001, WIN, 0, NOWS, FIN_WAIT_1,
		     SYNACK_UNEXPECTED, 0),
	} },
	{ "syn-ack from the side that sent the syn", FRESH, false, 0, 0, {
		STEP(O, SYN, 1000, 0, WIN, 0, NOWS, SYN_SENT, NONE, 0),
		STEP(O, SA, 1000, 77, WIN, 0, NOWS, SYN_SENT,
		     SYNACK_UNEXPECTED, 0),
	} },
	{ "new syn in syn_recv", FRESH, false, 0, 0, {
		STEP(O, SYN, 1000, 0, WIN, 0, NOWS, SYN_SENT, NONE, 0),
		STEP(R, SA, 5000, 1001, WIN, 0, NOWS, SYN_RECV, NONE, RTTS),
		STEP(O, SYN, 3000, 0, WIN, 0, NOWS, SYN_RECV, SYN_UNEXPECTED, 0),
		STEP(R, SYN, 6000, 0, WIN, 0, NOWS, SYN_RECV, SYN_UNEXPECTED, 0),
	} },
	{ "orig acks before any syn-ack", FRESH, false, 0, 0, {
		STEP(O, SYN, 1000, 0, WIN, 0, NOWS, SYN_SENT, NONE, 0),
		STEP(O, ACK, 1001, 5001, WIN, 0, NOWS, SYN_SENT,
		     ACK_OUT_OF_WINDOW, 0),
		STEP(O, FA, 1001, 5001, WIN, 0, NOWS, SYN_SENT,
		     ACK_OUT_OF_WINDOW, 0),
	} },
	{ "reply talks before its syn-ack", FRESH, false, 0, 0, {
		STEP(O, SYN, 1000, 0, WIN, 0, NOWS, SYN_SENT, NONE, 0),
		STEP(R, ACK, 5000, 1001, WIN, 0, NOWS, SYN_SENT,
		     SEQ_OUT_OF_WINDOW, 0),
		STEP(R, PA, 5000, 1001, WIN, 10, NOWS, SYN_SENT,
		     SEQ_OUT_OF_WINDOW, 0),
		STEP(R, FA, 5000, 1001, WIN, 0, NOWS, SYN_SENT,
		     SEQ_OUT_OF_WINDOW, 0),
	} },
	{ "ecn and urg in the handshake", FRESH, false, 0, 0, {
		STEP(O, SYN | ECE | CWR, 1000, 0, WIN, 0, NOWS, SYN_SENT, NONE, 0),
		STEP(R, SA | ECE, 5000, 1001, WIN, 0, NOWS, SYN_RECV, NONE, RTTS),
		STEP(O, ACK | URG, 1001, 5001, WIN, 0, NOWS, ESTABLISHED, NONE,
		     RTTA),
	} },
	{ "syn data acknowledged (fast open)", FRESH, false, 0, 0, {
		STEP(O, SYN, 1000, 0, WIN, 50, NOWS, SYN_SENT, NONE, 0),
		STEP(R, SA, 5000, 1052, WIN, 0, NOWS, SYN_SENT, SYNACK_BAD_ACK, 0),
		STEP(R, SA, 5000, 1051, WIN, 0, NOWS, SYN_RECV, NONE, RTTS),
		STEP(R, PA, 5001, 1051, WIN, 100, NOWS, SYN_RECV, NONE, 0),
		STEP(O, ACK, 1051, 5101, WIN, 0, NOWS, ESTABLISHED, NONE, RTTA),
		STEP(O, SYN, 1000, 0, WIN, 50, NOWS, ESTABLISHED, NONE,
		     NOREF | RETRANS),
		STEP(R, SA, 5000, 1051, WIN, 0, NOWS, ESTABLISHED, NONE, NOREF),
	} },
	{ "syn data not acknowledged (fast open)", FRESH, false, 0, 0, {
		STEP(O, SYN, 1000, 0, WIN, 50, NOWS, SYN_SENT, NONE, 0),
		STEP(R, SA, 5000, 1001, WIN, 0, NOWS, SYN_RECV, NONE, RTTS),
		STEP(O, PA, 1001, 5001, WIN, 50, NOWS, ESTABLISHED, NONE,
		     RTTA | RETRANS),
	} },
	{ "handshake across sequence wraparound", FRESH, false, 0, 'o', {
		STEP(O, SYN, 0xffffff00, 0, WIN, 0, NOWS, SYN_SENT, NONE, 0),
		STEP(R, SA, 0xfffffff0, 0xffffff01, WIN, 0, NOWS, SYN_RECV,
		     NONE, RTTS),
		STEP(O, ACK, 0xffffff01, 0xfffffff1, WIN, 0, NOWS, ESTABLISHED,
		     NONE, RTTA),
		STEP(O, PA, 0xffffff01, 0xfffffff1, WIN, 0x200, NOWS,
		     ESTABLISHED, NONE, 0),
		STEP(R, ACK, 0xfffffff1, 0x101, WIN, 0, NOWS, ESTABLISHED,
		     NONE, 0),
		STEP(O, PA, 0x101, 0xfffffff1, WIN, 100, NOWS, ESTABLISHED,
		     NONE, 0),
		STEP(R, PA, 0xfffffff1, 0x165, WIN, 0x20, NOWS, ESTABLISHED,
		     NONE, 0),
		STEP(R, ACK, 0x11, 0x166, WIN, 0, NOWS, ESTABLISHED,
		     ACK_OUT_OF_WINDOW, 0),
		STEP(O, PA, 0xffffff80, 0x11, WIN, 0x10, NOWS, ESTABLISHED,
		     NONE, RETRANS),
		STEP(O, FA, 0x165, 0x11, WIN, 0, NOWS, FIN_WAIT_1, NONE, 0),
		STEP(R, FA, 0x11, 0x166, WIN, 0, NOWS, LAST_ACK, NONE, 0),
		STEP(O, ACK, 0x166, 0x12, WIN, 0, NOWS, TIME_WAIT, NONE, 0),
	} },
};

static const struct scenario simopen_cases[] = {
	{ "simultaneous open, syn-acks", FRESH, false, TCPSESS_F_SIMOPEN, 0, {
		STEP(O, SYN, 1000, 0, WIN, 0, NOWS, SYN_SENT, NONE, 0),
		STEP(R, SYN, 5000, 0, WIN, 0, NOWS, SYN_SENT, NONE, 0),
		STEP(O, SA, 1000, 5001, WIN, 0, NOWS, SYN_RECV, NONE, 0),
		STEP(R, SA, 5000, 1001, WIN, 0, NOWS, ESTABLISHED, NONE, 0),
		STEP(O, PA, 1001, 5001, WIN, 10, NOWS, ESTABLISHED, NONE, 0),
		STEP(R, ACK, 5001, 1011, WIN, 0, NOWS, ESTABLISHED, NONE, 0),
		STEP(R, SA, 5000, 1001, WIN, 0, NOWS, ESTABLISHED, NONE, NOREF),
	} },
	{ "simultaneous open, acks", FRESH, false, TCPSESS_F_SIMOPEN, 0, {
		STEP(O, SYN, 1000, 0, WIN, 0, NOWS, SYN_SENT, NONE, 0),
		STEP(R, SYN, 5000, 0, WIN, 0, NOWS, SYN_SENT, NONE, 0),
		STEP(R, ACK, 5001, 1001, WIN, 0, NOWS, SYN_RECV, NONE, 0),
		STEP(O, ACK, 1001, 5001, WIN, 0, NOWS, ESTABLISHED, NONE, 0),
	} },
	{ "simultaneous open, wrong acks", FRESH, false, TCPSESS_F_SIMOPEN, 0, {
		STEP(O, SYN, 1000, 0, WIN, 0, NOWS, SYN_SENT, NONE, 0),
		STEP(R, SYN, 5000, 0, WIN, 0, NOWS, SYN_SENT, NONE, 0),
		STEP(O, SA, 1000, 5002, WIN, 0, NOWS, SYN_SENT, SYNACK_BAD_ACK, 0),
		STEP(R, ACK, 5001, 1002, WIN, 0, NOWS, SYN_SENT, ACK_BAD_ACK, 0),
		STEP(O, SA, 1001, 5001, WIN, 0, NOWS, SYN_SENT,
		     SYNACK_UNEXPECTED, 0),
		STEP(R, SA, 5000, 1001, WIN, 0, NOWS, SYN_RECV, NONE, 0),
		STEP(O, ACK, 1001, 5002, WIN, 0, NOWS, SYN_RECV, ACK_BAD_ACK, 0),
		STEP(O, SA, 1000, 5001, WIN, 0, NOWS, ESTABLISHED, NONE, 0),
	} },
	{ "simultaneous open, retransmitted syns", FRESH, false,
	  TCPSESS_F_SIMOPEN, 0, {
		STEP(O, SYN, 1000, 0, WIN, 0, NOWS, SYN_SENT, NONE, 0),
		STEP(R, SYN, 5000, 0, WIN, 0, NOWS, SYN_SENT, NONE, 0),
		STEP(R, SYN, 5000, 0, WIN, 0, NOWS, SYN_SENT, NONE, NOREF),
		STEP(O, SYN, 1000, 0, WIN, 0, NOWS, SYN_SENT, NONE, NOREF),
		STEP(R, SA, 5000, 1001, WIN, 0, NOWS, SYN_RECV, NONE, 0),
		STEP(O, SA, 1000, 5001, WIN, 0, NOWS, ESTABLISHED, NONE, 0),
	} },
	{ "simultaneous open, reply restarts", FRESH, false,
	  TCPSESS_F_SIMOPEN, 0, {
		STEP(O, SYN, 1000, 0, WIN, 0, NOWS, SYN_SENT, NONE, 0),
		STEP(R, SYN, 5000, 0, WIN, 0, NOWS, SYN_SENT, NONE, 0),
		STEP(R, SYN, 6000, 0, WIN, 0, NOWS, SYN_SENT, NONE, 0),
		STEP(O, SA, 1000, 5001, WIN, 0, NOWS, SYN_SENT, SYNACK_BAD_ACK, 0),
		STEP(O, SA, 1000, 6001, WIN, 0, NOWS, SYN_RECV, NONE, 0),
		STEP(R, SA, 6000, 1001, WIN, 0, NOWS, ESTABLISHED, NONE, 0),
	} },
	/*
	 * The reply's SYN window bounds orig from orig's own ISN. The reply's
	 * ISN, a quarter of the sequence space ahead of orig's, must not
	 * become orig's right edge: orig would then never be out of window.
	 */
	{ "simultaneous open, reply's window bounds orig", FRESH, false,
	  TCPSESS_F_SIMOPEN, 0, {
		STEP(O, SYN, 1000, 0, WIN, 0, NOWS, SYN_SENT, NONE, 0),
		STEP(R, SYN, 0x40001000, 0, 1000, 0, NOWS, SYN_SENT, NONE, 0),
		STEP(R, ACK, 0x40001001, 1001, 1000, 0, NOWS, SYN_RECV, NONE, 0),
		STEP(O, ACK, 1001, 0x40001001, WIN, 0, NOWS, ESTABLISHED, NONE, 0),
		STEP(O, PA, 1001, 0x40001001, WIN, 1000, NOWS, ESTABLISHED,
		     NONE, 0),
		STEP(O, PA, 2101, 0x40001001, WIN, 10, NOWS, ESTABLISHED,
		     SEQ_OUT_OF_WINDOW, 0),
	} },
	{ "orig restart clears simultaneous open", FRESH, false, 0, 0, {
		STEP(O, SYN, 1000, 0, WIN, 0, NOWS, SYN_SENT, NONE, 0),
		STEP(R, SYN, 5000, 0, WIN, 0, NOWS, SYN_SENT, NONE, 0),
		STEP(O, SYN, 3000, 0, WIN, 0, NOWS, SYN_SENT, NONE, 0),
		STEP(R, SA, 6000, 3001, WIN, 0, NOWS, SYN_RECV, NONE, RTTS),
		STEP(O, ACK, 3001, 6001, WIN, 0, NOWS, ESTABLISHED, NONE, RTTA),
	} },
};

static const struct scenario teardown_cases[] = {
	{ "client closes first, half-close", EST, false, 0, 'o', {
		STEP(O, PA, 1001, 5001, WIN, 100, NOWS, ESTABLISHED, NONE, 0),
		STEP(R, ACK, 5001, 1101, WIN, 0, NOWS, ESTABLISHED, NONE, 0),
		STEP(R, PA, 5001, 1101, WIN, 200, NOWS, ESTABLISHED, NONE, 0),
		STEP(O, ACK, 1101, 5201, WIN, 0, NOWS, ESTABLISHED, NONE, 0),
		STEP(O, FA, 1101, 5201, WIN, 0, NOWS, FIN_WAIT_1, NONE, 0),
		STEP(R, ACK, 5201, 1101, WIN, 0, NOWS, FIN_WAIT_1, NONE, 0),
		STEP(R, ACK, 5201, 1102, WIN, 0, NOWS, FIN_WAIT_2, NONE, 0),
		STEP(R, PA, 5201, 1102, WIN, 50, NOWS, FIN_WAIT_2, NONE, 0),
		STEP(O, ACK, 1102, 5251, WIN, 0, NOWS, FIN_WAIT_2, NONE, 0),
		STEP(R, FA, 5251, 1102, WIN, 0, NOWS, LAST_ACK, NONE, 0),
		STEP(O, ACK, 1102, 5252, WIN, 0, NOWS, TIME_WAIT, NONE, 0),
		STEP(R, FA, 5251, 1102, WIN, 0, NOWS, TIME_WAIT, NONE, 0),
		STEP(O, ACK, 1102, 5252, WIN, 0, NOWS, TIME_WAIT, NONE, 0),
		STEP(O, FA, 1101, 5252, WIN, 0, NOWS, TIME_WAIT, NONE, 0),
		STEP(R, PA, 5252, 1102, WIN, 1, NOWS, TIME_WAIT,
		     DATA_AFTER_FIN, 0),
	} },
	{ "server closes first", EST, false, 0, 'r', {
		STEP(O, PA, 1001, 5001, WIN, 100, NOWS, ESTABLISHED, NONE, 0),
		STEP(R, PA, 5001, 1101, WIN, 300, NOWS, ESTABLISHED, NONE, 0),
		STEP(R, FA, 5301, 1101, WIN, 0, NOWS, FIN_WAIT_1, NONE, 0),
		STEP(O, ACK, 1101, 5302, WIN, 0, NOWS, FIN_WAIT_2, NONE, 0),
		STEP(O, PA, 1101, 5302, WIN, 10, NOWS, FIN_WAIT_2, NONE, 0),
		STEP(R, ACK, 5302, 1111, WIN, 0, NOWS, FIN_WAIT_2, NONE, 0),
		STEP(O, FA, 1111, 5302, WIN, 0, NOWS, LAST_ACK, NONE, 0),
		STEP(R, ACK, 5302, 1112, WIN, 0, NOWS, TIME_WAIT, NONE, 0),
	} },
	{ "fin answered by fin-ack", EST, false, 0, 'o', {
		STEP(O, FA, 1001, 5001, WIN, 0, NOWS, FIN_WAIT_1, NONE, 0),
		STEP(O, FA, 1001, 5001, WIN, 0, NOWS, FIN_WAIT_1, NONE, 0),
		STEP(R, FA, 5001, 1002, WIN, 0, NOWS, LAST_ACK, NONE, 0),
		STEP(O, ACK, 1002, 5002, WIN, 0, NOWS, TIME_WAIT, NONE, 0),
	} },
	{ "simultaneous close", EST, false, 0, 'o', {
		STEP(O, FA, 1001, 5001, WIN, 0, NOWS, FIN_WAIT_1, NONE, 0),
		STEP(R, FA, 5001, 1001, WIN, 0, NOWS, CLOSING, NONE, 0),
		STEP(O, ACK, 1002, 5002, WIN, 0, NOWS, LAST_ACK, NONE, 0),
		STEP(R, ACK, 5002, 1002, WIN, 0, NOWS, TIME_WAIT, NONE, 0),
	} },
	{ "fin with data", EST, false, 0, 'r', {
		STEP(R, FA | PSH, 5001, 1001, WIN, 100, NOWS, FIN_WAIT_1, NONE, 0),
		STEP(O, ACK, 1001, 5101, WIN, 0, NOWS, FIN_WAIT_1, NONE, 0),
		STEP(O, FA, 1001, 5102, WIN, 0, NOWS, LAST_ACK, NONE, 0),
		STEP(R, FA | PSH, 5001, 1001, WIN, 100, NOWS, LAST_ACK, NONE,
		     RETRANS),
		STEP(R, ACK, 5102, 1002, WIN, 0, NOWS, TIME_WAIT, NONE, 0),
	} },
	{ "fin on the third ack", FRESH, false, 0, 'o', {
		STEP(O, SYN, 1000, 0, WIN, 0, NOWS, SYN_SENT, NONE, 0),
		STEP(R, SA, 5000, 1001, WIN, 0, NOWS, SYN_RECV, NONE, RTTS),
		STEP(O, FA, 1001, 5001, WIN, 0, NOWS, FIN_WAIT_1, NONE, RTTA),
		STEP(R, FA, 5001, 1002, WIN, 0, NOWS, LAST_ACK, NONE, 0),
		STEP(O, ACK, 1002, 5002, WIN, 0, NOWS, TIME_WAIT, NONE, 0),
	} },
	{ "fin before the handshake completes", FRESH, false, 0, 'r', {
		STEP(O, SYN, 1000, 0, WIN, 10, NOWS, SYN_SENT, NONE, 0),
		STEP(R, SA, 5000, 1011, WIN, 0, NOWS, SYN_RECV, NONE, RTTS),
		STEP(R, FA | PSH, 5001, 1011, WIN, 20, NOWS, SYN_RECV, NONE, 0),
		STEP(O, ACK, 1011, 5022, WIN, 0, NOWS, FIN_WAIT_2, NONE, RTTA),
	} },
	{ "data after fin", EST, false, 0, 'o', {
		STEP(O, FA, 1001, 5001, WIN, 0, NOWS, FIN_WAIT_1, NONE, 0),
		STEP(O, PA, 1002, 5001, WIN, 10, NOWS, FIN_WAIT_1,
		     DATA_AFTER_FIN, 0),
		STEP(O, FA, 1011, 5001, WIN, 0, NOWS, FIN_WAIT_1,
		     DATA_AFTER_FIN, 0),
		STEP(O, FA, 1001, 5001, WIN, 10, NOWS, FIN_WAIT_1,
		     DATA_AFTER_FIN, 0),
		STEP(O, ACK, 1005, 5001, WIN, 0, NOWS, FIN_WAIT_1,
		     DATA_AFTER_FIN, 0),
		STEP(O, ACK, 1002, 5001, WIN, 0, NOWS, FIN_WAIT_1, NONE, 0),
		STEP(R, PA, 5001, 1002, WIN, 100, NOWS, FIN_WAIT_2, NONE, 0),
		STEP(R, FA, 5101, 1002, WIN, 0, NOWS, LAST_ACK, NONE, 0),
		STEP(R, PA, 5102, 1002, WIN, 5, NOWS, LAST_ACK,
		     DATA_AFTER_FIN, 0),
	} },
	{ "fin before data already sent", EST, false, 0, 'o', {
		STEP(O, PA, 1001, 5001, WIN, 100, NOWS, ESTABLISHED, NONE, 0),
		STEP(O, FA, 1050, 5001, WIN, 0, NOWS, ESTABLISHED,
		     DATA_AFTER_FIN, 0),
		STEP(O, FA, 1101, 5001, WIN, 0, NOWS, FIN_WAIT_1, NONE, 0),
	} },
	{ "ack beyond the fin", EST, false, 0, 'o', {
		STEP(O, FA, 1001, 5001, WIN, 0, NOWS, FIN_WAIT_1, NONE, 0),
		STEP(R, ACK, 5001, 1003, WIN, 0, NOWS, FIN_WAIT_1,
		     ACK_OUT_OF_WINDOW, 0),
		STEP(R, ACK, 5001, 1002, WIN, 0, NOWS, FIN_WAIT_2, NONE, 0),
	} },
};

static const struct scenario rst_cases[] = {
	{ "refused", FRESH, false, 0, 0, {
		STEP(O, SYN, 1000, 0, WIN, 0, NOWS, SYN_SENT, NONE, 0),
		STEP(R, RA, 0, 1001, 0, 0, NOWS, CLOSED, NONE, 0),
		STEP(R, RA, 0, 1001, 0, 0, NOWS, CLOSED, NONE, 0),
		STEP(O, ACK, 1001, 1, WIN, 0, NOWS, CLOSED, NONE, 0),
	} },
	{ "refused, wrong ack", FRESH, false, 0, 0, {
		STEP(O, SYN, 1000, 0, WIN, 0, NOWS, SYN_SENT, NONE, 0),
		STEP(R, RA, 0, 1002, 0, 0, NOWS, SYN_SENT, RST_OUT_OF_WINDOW, 0),
		STEP(R, RA, 0, 1000, 0, 0, NOWS, SYN_SENT, RST_OUT_OF_WINDOW, 0),
		STEP(R, RST, 0, 0, 0, 0, NOWS, SYN_SENT, RST_OUT_OF_WINDOW, 0),
		STEP(R, RST, 0, 1001, 0, 0, NOWS, SYN_SENT, RST_OUT_OF_WINDOW, 0),
		STEP(R, RA, 0, 1001, 0, 0, NOWS, CLOSED, NONE, 0),
	} },
	{ "orig aborts in syn_sent", FRESH, false, 0, 0, {
		STEP(O, SYN, 1000, 0, WIN, 0, NOWS, SYN_SENT, NONE, 0),
		STEP(O, RST, 1002, 0, 0, 0, NOWS, SYN_SENT, RST_OUT_OF_WINDOW, 0),
		STEP(O, RST, 1000, 0, 0, 0, NOWS, SYN_SENT, RST_OUT_OF_WINDOW, 0),
		STEP(O, RST, 1001, 0, 0, 0, NOWS, CLOSED, NONE, 0),
	} },
	{ "exact rst when established", EST, false, 0, 0, {
		STEP(O, RST, 1001, 0, 0, 0, NOWS, CLOSED, NONE, 0),
		STEP(R, ACK, 5001, 1001, WIN, 0, NOWS, CLOSED, NONE, 0),
		STEP(R, PA, 9999, 1, WIN, 10, NOWS, CLOSED, NONE, 0),
		STEP(R, RST, 12345, 0, 0, 0, NOWS, CLOSED, NONE, 0),
	} },
	{ "inexact and outside rsts", EST, false, 0, 0, {
		STEP(O, RST, 1002, 0, 0, 0, NOWS, ESTABLISHED, RST_INEXACT, 0),
		STEP(O, RA, 66535, 5001, 0, 0, NOWS, ESTABLISHED, RST_INEXACT, 0),
		STEP(O, RST, 66536, 0, 0, 0, NOWS, ESTABLISHED,
		     RST_OUT_OF_WINDOW, 0),
		STEP(O, RST, 1000, 0, 0, 0, NOWS, ESTABLISHED,
		     RST_OUT_OF_WINDOW, 0),
		STEP(R, RST, 5002, 0, 0, 0, NOWS, ESTABLISHED, RST_INEXACT, 0),
		STEP(R, RST, 4999, 0, 0, 0, NOWS, ESTABLISHED,
		     RST_OUT_OF_WINDOW, 0),
		STEP(R, RA, 5001, 1001, 0, 0, NOWS, CLOSED, NONE, 0),
	} },
	{ "rst after data", EST, false, 0, 0, {
		STEP(R, PA, 5001, 1001, WIN, 1000, NOWS, ESTABLISHED, NONE, 0),
		STEP(R, RST, 5001, 0, 0, 0, NOWS, ESTABLISHED,
		     RST_OUT_OF_WINDOW, 0),
		STEP(R, RST, 6001, 0, 0, 0, NOWS, CLOSED, NONE, 0),
	} },
	{ "orig rst in syn_recv", FRESH, false, 0, 0, {
		STEP(O, SYN, 1000, 0, WIN, 0, NOWS, SYN_SENT, NONE, 0),
		STEP(R, SA, 5000, 1001, WIN, 0, NOWS, SYN_RECV, NONE, RTTS),
		STEP(O, RST, 1001, 0, 0, 0, NOWS, CLOSED, NONE, 0),
	} },
	{ "reply rst in syn_recv", FRESH, false, 0, 0, {
		STEP(O, SYN, 1000, 0, WIN, 0, NOWS, SYN_SENT, NONE, 0),
		STEP(R, SA, 5000, 1001, WIN, 0, NOWS, SYN_RECV, NONE, RTTS),
		STEP(R, RST, 5000, 0, 0, 0, NOWS, SYN_RECV, RST_OUT_OF_WINDOW, 0),
		STEP(R, RST, 5001, 0, 0, 0, NOWS, CLOSED, NONE, 0),
	} },
	{ "rst in fin_wait_2", EST, false, 0, 'o', {
		STEP(O, FA, 1001, 5001, WIN, 0, NOWS, FIN_WAIT_1, NONE, 0),
		STEP(R, ACK, 5001, 1002, WIN, 0, NOWS, FIN_WAIT_2, NONE, 0),
		STEP(O, RST, 1001, 0, 0, 0, NOWS, FIN_WAIT_2,
		     RST_OUT_OF_WINDOW, 0),
		STEP(O, RST, 1002, 0, 0, 0, NOWS, CLOSED, NONE, 0),
	} },
	{ "rst in time_wait", EST, false, 0, 'o', {
		STEP(O, FA, 1001, 5001, WIN, 0, NOWS, FIN_WAIT_1, NONE, 0),
		STEP(R, FA, 5001, 1002, WIN, 0, NOWS, LAST_ACK, NONE, 0),
		STEP(O, ACK, 1002, 5002, WIN, 0, NOWS, TIME_WAIT, NONE, 0),
		STEP(R, RST, 5003, 0, 0, 0, NOWS, TIME_WAIT, RST_INEXACT, 0),
		STEP(R, RST, 5002, 0, 0, 0, NOWS, CLOSED, NONE, 0),
	} },
};

static const struct scenario reopen_cases[] = {
	{ "new syn after time_wait", EST, false, 0, 0, {
		STEP(O, FA, 1001, 5001, WIN, 0, NOWS, FIN_WAIT_1, NONE, 0),
		STEP(R, FA, 5001, 1002, WIN, 0, NOWS, LAST_ACK, NONE, 0),
		STEP(O, ACK, 1002, 5002, WIN, 0, NOWS, TIME_WAIT, NONE, 0),
		STEP(O, SYN, 30000, 0, WIN, 0, NOWS, TIME_WAIT, NONE, REOPEN),
		STEP(R, SA, 60000, 30001, WIN, 0, NOWS, SYN_RECV, NONE, RTTS),
		STEP(O, ACK, 30001, 60001, WIN, 0, NOWS, ESTABLISHED, NONE, RTTA),
	} },
	{ "new syn from the reply side after time_wait", EST, false, 0, 0, {
		STEP(O, FA, 1001, 5001, WIN, 0, NOWS, FIN_WAIT_1, NONE, 0),
		STEP(R, FA, 5001, 1002, WIN, 0, NOWS, LAST_ACK, NONE, 0),
		STEP(O, ACK, 1002, 5002, WIN, 0, NOWS, TIME_WAIT, NONE, 0),
		STEP(R, SYN, 70000, 0, WIN, 0, NOWS, TIME_WAIT, NONE, REOPEN),
		/* The old reply side is the new orig. */
		STEP(R, SA, 40000, 70001, WIN, 0, NOWS, SYN_RECV, NONE, RTTS),
		STEP(O, ACK, 70001, 40001, WIN, 0, NOWS, ESTABLISHED, NONE, RTTA),
	} },
	{ "copies of the old syns in time_wait", EST, false, 0, 0, {
		STEP(O, FA, 1001, 5001, WIN, 0, NOWS, FIN_WAIT_1, NONE, 0),
		STEP(R, FA, 5001, 1002, WIN, 0, NOWS, LAST_ACK, NONE, 0),
		STEP(O, ACK, 1002, 5002, WIN, 0, NOWS, TIME_WAIT, NONE, 0),
		STEP(O, SYN, 1000, 0, WIN, 0, NOWS, TIME_WAIT, NONE, NOREF),
		STEP(R, SA, 5000, 1001, WIN, 0, NOWS, TIME_WAIT, NONE, NOREF),
		STEP(R, SA, 5500, 1001, WIN, 0, NOWS, TIME_WAIT,
		     SYNACK_UNEXPECTED, 0),
	} },
	{ "new syn after a refused one", FRESH, false, 0, 0, {
		STEP(O, SYN, 1000, 0, WIN, 0, NOWS, SYN_SENT, NONE, 0),
		STEP(R, RA, 0, 1001, 0, 0, NOWS, CLOSED, NONE, 0),
		STEP(O, SYN, 1000, 0, WIN, 0, NOWS, CLOSED, NONE, NOREF),
		STEP(R, SA, 5000, 1001, WIN, 0, NOWS, CLOSED,
		     SYNACK_UNEXPECTED, 0),
		STEP(O, SYN, 2000, 0, WIN, 0, NOWS, CLOSED, NONE, REOPEN),
		STEP(R, SA, 5000, 2001, WIN, 0, NOWS, SYN_RECV, NONE, RTTS),
	} },
	{ "syn-acks after a reset", EST, false, 0, 0, {
		STEP(O, RST, 1001, 0, 0, 0, NOWS, CLOSED, NONE, 0),
		STEP(R, SA, 5000, 1001, WIN, 0, NOWS, CLOSED, NONE, NOREF),
		STEP(R, SA, 6000, 1001, WIN, 0, NOWS, CLOSED,
		     SYNACK_UNEXPECTED, 0),
		STEP(R, SA, 5000, 1002, WIN, 0, NOWS, CLOSED,
		     SYNACK_UNEXPECTED, 0),
		STEP(R, SYN, 6000, 0, WIN, 0, NOWS, CLOSED, NONE, REOPEN),
	} },
	{ "client reboots mid-session", EST, false, 0, 0, {
		STEP(O, PA, 1001, 5001, WIN, 100, NOWS, ESTABLISHED, NONE, 0),
		STEP(R, ACK, 5001, 1101, WIN, 0, NOWS, ESTABLISHED, NONE, 0),
		STEP(O, SYN, 90000, 0, WIN, 0, NOWS, ESTABLISHED,
		     NONE, IGNORE),
		/* The server's challenge ACK, the client's RST answering it. */
		STEP(R, ACK, 5001, 1101, WIN, 0, NOWS, ESTABLISHED, NONE, 0),
		STEP(O, RST, 1101, 0, 0, 0, NOWS, CLOSED, NONE, 0),
		STEP(O, SYN, 90000, 0, WIN, 0, NOWS, CLOSED, NONE, REOPEN),
		STEP(R, SA, 7000, 90001, WIN, 0, NOWS, SYN_RECV, NONE, RTTS),
		STEP(O, ACK, 90001, 7001, WIN, 0, NOWS, ESTABLISHED, NONE, RTTA),
	} },
	{ "both ends lost the connection", EST, false, 0, 0, {
		STEP(O, PA, 1001, 5001, WIN, 100, NOWS, ESTABLISHED, NONE, 0),
		STEP(O, SYN, 90000, 0, WIN, 0, NOWS, ESTABLISHED, NONE, IGNORE),
		STEP(O, SYN, 90000, 0, WIN, 0, NOWS, ESTABLISHED, NONE, IGNORE),
		/* A copy of the old SYN-ACK no longer fits. */
		STEP(R, SA, 5000, 1001, WIN, 0, NOWS, ESTABLISHED,
		     SYNACK_UNEXPECTED, 0),
		STEP(R, SA, 7000, 90001, WIN, 0, NOWS, ESTABLISHED, NONE, RESYNC),
		STEP(O, ACK, 90001, 7001, WIN, 0, NOWS, ESTABLISHED, NONE, RTTA),
		STEP(R, PA, 7001, 90001, WIN, 10, NOWS, ESTABLISHED, NONE, 0),
		STEP(O, PA, 90001, 7011, WIN, 10, NOWS, ESTABLISHED, NONE, 0),
	} },
	{ "the reply side lost it, then both", EST, false, 0, 0, {
		STEP(R, SYN, 70000, 0, WIN, 0, NOWS, ESTABLISHED, NONE, IGNORE),
		STEP(O, SA, 3000, 70001, WIN, 0, 7, ESTABLISHED, NONE, RESYNC),
		/* The old reply side, whose SYN it was, is orig now. */
		STEP(O, ACK, 70001, 3001, WIN, 0, NOWS, ESTABLISHED, NONE, RTTA),
		STEP(R, PA, 3001, 70001, WIN, 10, NOWS, ESTABLISHED, NONE, 0),
	} },
	{ "syns in later states", EST, false, 0, 'o', {
		STEP(R, SYN, 8000, 0, WIN, 0, NOWS, ESTABLISHED,
		     NONE, IGNORE),
		STEP(O, FA, 1001, 5001, WIN, 0, NOWS, FIN_WAIT_1, NONE, 0),
		STEP(O, SYN, 9999, 0, WIN, 0, NOWS, FIN_WAIT_1,
		     NONE, IGNORE),
		STEP(R, ACK, 5001, 1002, WIN, 0, NOWS, FIN_WAIT_2, NONE, 0),
		STEP(O, SYN, 9999, 0, WIN, 0, NOWS, FIN_WAIT_2,
		     NONE, IGNORE),
		STEP(R, FA, 5001, 1002, WIN, 0, NOWS, LAST_ACK, NONE, 0),
		STEP(R, SYN, 777, 0, WIN, 0, NOWS, LAST_ACK, NONE, IGNORE),
	} },
	{ "syn in closing", EST, false, 0, 'o', {
		STEP(O, FA, 1001, 5001, WIN, 0, NOWS, FIN_WAIT_1, NONE, 0),
		STEP(R, FA, 5001, 1001, WIN, 0, NOWS, CLOSING, NONE, 0),
		STEP(O, SYN, 9999, 0, WIN, 0, NOWS, CLOSING, NONE, IGNORE),
	} },
};

static const struct scenario window_cases[] = {
	{ "right edge of the window", EST, false, 0, 0, {
		STEP(O, PA, 66537, 5001, WIN, 1, NOWS, ESTABLISHED,
		     SEQ_OUT_OF_WINDOW, 0),
		STEP(O, PA, 66000, 5001, WIN, 1460, NOWS, ESTABLISHED, NONE, 0),
		STEP(O, PA, 67460, 5001, WIN, 1, NOWS, ESTABLISHED,
		     SEQ_OUT_OF_WINDOW, 0),
		STEP(R, PA, 70537, 1001, WIN, 1, NOWS, ESTABLISHED,
		     SEQ_OUT_OF_WINDOW, 0),
		STEP(R, PA, 70536, 1001, WIN, 1, NOWS, ESTABLISHED, NONE, 0),
	} },
	{ "acks of data never sent", EST, false, 0, 0, {
		STEP(R, ACK, 5001, 1002, WIN, 0, NOWS, ESTABLISHED,
		     ACK_OUT_OF_WINDOW, 0),
		STEP(O, ACK, 1001, 5002, WIN, 0, NOWS, ESTABLISHED,
		     ACK_OUT_OF_WINDOW, 0),
		STEP(O, PA, 1001, 5001, WIN, 10, NOWS, ESTABLISHED, NONE, 0),
		STEP(R, ACK, 5001, 1011, WIN, 0, NOWS, ESTABLISHED, NONE, 0),
		STEP(R, FA, 5001, 1012, WIN, 0, NOWS, ESTABLISHED,
		     ACK_OUT_OF_WINDOW, 0),
	} },
	{ "old data and old acks", EST, false, 0, 0, {
		STEP(O, PA, 1001, 5001, WIN, 60000, NOWS, ESTABLISHED, NONE, 0),
		STEP(R, ACK, 5001, 61001, WIN, 0, NOWS, ESTABLISHED, NONE, 0),
		STEP(O, PA, 61001, 5001, WIN, 60000, NOWS, ESTABLISHED, NONE, 0),
		/* 121001 - the reply's largest window 65535 = 55466 */
		STEP(O, PA, 1001, 5001, WIN, 100, NOWS, ESTABLISHED,
		     SEQ_OUT_OF_WINDOW, 0),
		STEP(O, PA, 55365, 5001, WIN, 100, NOWS, ESTABLISHED,
		     SEQ_OUT_OF_WINDOW, 0),
		STEP(O, PA, 55366, 5001, WIN, 100, NOWS, ESTABLISHED, NONE,
		     RETRANS),
		/* 121001 - 66000, since both windows are smaller */
		STEP(R, ACK, 5001, 55000, WIN, 0, NOWS, ESTABLISHED,
		     ACK_OUT_OF_WINDOW, 0),
		STEP(R, ACK, 5001, 55001, WIN, 0, NOWS, ESTABLISHED, NONE, 0),
		STEP(R, ACK, 5001, 121001, WIN, 0, NOWS, ESTABLISHED, NONE, 0),
	} },
	{ "window scaling, both offer it", FRESH, false, 0, 0, {
		STEP(O, SYN, 1000, 0, WIN, 0, 7, SYN_SENT, NONE, 0),
		STEP(R, SA, 5000, 1001, WIN, 0, 7, SYN_RECV, NONE, RTTS),
		STEP(O, ACK, 1001, 5001, 1000, 0, NOWS, ESTABLISHED, NONE, RTTA),
		STEP(R, PA, 105001, 1001, 1000, 10, NOWS, ESTABLISHED, NONE, 0),
		STEP(R, PA, 133002, 1001, 1000, 10, NOWS, ESTABLISHED,
		     SEQ_OUT_OF_WINDOW, 0),
		STEP(R, PA, 133001, 1001, 1000, 10, NOWS, ESTABLISHED, NONE, 0),
	} },
	{ "window scaling, one offers it", FRESH, false, 0, 0, {
		STEP(O, SYN, 1000, 0, WIN, 0, 7, SYN_SENT, NONE, 0),
		STEP(R, SA, 5000, 1001, WIN, 0, NOWS, SYN_RECV, NONE, RTTS),
		STEP(O, ACK, 1001, 5001, 1000, 0, NOWS, ESTABLISHED, NONE, RTTA),
		STEP(R, PA, 105001, 1001, 1000, 10, NOWS, ESTABLISHED,
		     SEQ_OUT_OF_WINDOW, 0),
		STEP(R, PA, 70536, 1001, 1000, 10, NOWS, ESTABLISHED, NONE, 0),
	} },
	{ "window scaling, syn windows unscaled", FRESH, false, 0, 0, {
		STEP(O, SYN, 1000, 0, 1000, 0, 7, SYN_SENT, NONE, 0),
		STEP(R, SA, 5000, 1001, 1000, 0, 7, SYN_RECV, NONE, RTTS),
		STEP(O, ACK, 1001, 5001, 1000, 0, NOWS, ESTABLISHED, NONE, RTTA),
		STEP(O, PA, 2002, 5001, 1000, 1, NOWS, ESTABLISHED,
		     SEQ_OUT_OF_WINDOW, 0),
		STEP(R, ACK, 5001, 1001, 1000, 0, NOWS, ESTABLISHED, NONE, 0),
		STEP(O, PA, 2002, 5001, 1000, 1, NOWS, ESTABLISHED, NONE, 0),
	} },
	{ "window scale above 14 is clamped", FRESH, false, 0, 0, {
		STEP(O, SYN, 1000, 0, 1000, 0, 20, SYN_SENT, NONE, 0),
		STEP(R, SA, 5000, 1001, 1000, 0, 30, SYN_RECV, NONE, RTTS),
		/* 5001 + (10 << 14) */
		STEP(O, ACK, 1001, 5001, 10, 0, NOWS, ESTABLISHED, NONE, RTTA),
		STEP(R, PA, 168842, 1001, 10, 1, NOWS, ESTABLISHED,
		     SEQ_OUT_OF_WINDOW, 0),
		STEP(R, PA, 168841, 1001, 10, 1, NOWS, ESTABLISHED, NONE, 0),
	} },
	{ "retransmissions", EST, false, 0, 0, {
		STEP(O, PA, 1001, 5001, WIN, 100, NOWS, ESTABLISHED, NONE, 0),
		STEP(O, PA, 1001, 5001, WIN, 100, NOWS, ESTABLISHED, NONE,
		     RETRANS),
		STEP(O, PA, 1051, 5001, WIN, 100, NOWS, ESTABLISHED, NONE,
		     RETRANS),
		STEP(O, PA, 1151, 5001, WIN, 100, NOWS, ESTABLISHED, NONE, 0),
		/* keepalives: one below, empty or with one old byte */
		STEP(O, ACK, 1250, 5001, WIN, 0, NOWS, ESTABLISHED, NONE, 0),
		STEP(O, ACK, 1250, 5001, WIN, 1, NOWS, ESTABLISHED, NONE,
		     RETRANS),
		STEP(R, ACK, 5001, 1251, WIN, 0, NOWS, ESTABLISHED, NONE, 0),
		STEP(R, ACK, 5001, 1251, WIN, 0, NOWS, ESTABLISHED, NONE, 0),
	} },
	{ "zero window", EST, false, 0, 0, {
		STEP(O, PA, 1001, 5001, WIN, 1000, NOWS, ESTABLISHED, NONE, 0),
		STEP(R, ACK, 5001, 2001, 0, 0, NOWS, ESTABLISHED, NONE, 0),
		/* a probe one below; an edge once offered is never retracted */
		STEP(O, ACK, 2000, 5001, WIN, 0, NOWS, ESTABLISHED, NONE, 0),
		STEP(O, PA, 2001, 5001, WIN, 1, NOWS, ESTABLISHED, NONE, 0),
		STEP(O, PA, 66536, 5001, WIN, 1, NOWS, ESTABLISHED, NONE, 0),
		STEP(O, PA, 66537, 5001, WIN, 1, NOWS, ESTABLISHED,
		     SEQ_OUT_OF_WINDOW, 0),
	} },
};

static const struct scenario pickup_cases[] = {
	{ "pickup, both directions", FRESH, true, TCPSESS_F_PICKUP, 0, {
		STEP(O, PA, 100000, 200000, 1000, 100, NOWS, ESTABLISHED, NONE, 0),
		STEP(R, ACK, 200000, 100100, 1000, 0, NOWS, ESTABLISHED, NONE, 0),
		STEP(R, PA, 200000, 100100, 1000, 500, NOWS, ESTABLISHED, NONE, 0),
		STEP(R, PA, 200000, 100100, 1000, 500, NOWS, ESTABLISHED, NONE,
		     RETRANS),
		STEP(R, PA, 200500, 100100, 1000, 500, NOWS, ESTABLISHED, NONE, 0),
		STEP(O, ACK, 100100, 201100, 1000, 0, NOWS, ESTABLISHED,
		     ACK_OUT_OF_WINDOW, 0),
		STEP(O, ACK, 100100, 201000, 1000, 0, NOWS, ESTABLISHED, NONE, 0),
		STEP(R, ACK, 201000, 100200, 1000, 0, NOWS, ESTABLISHED,
		     ACK_OUT_OF_WINDOW, 0),
		STEP(O, PA, 100000, 201000, 1000, 100, NOWS, ESTABLISHED, NONE,
		     RETRANS),
		STEP(O, SYN, 100000, 0, 1000, 0, NOWS, ESTABLISHED,
		     NONE, IGNORE),
		STEP(R, SA, 200000, 100000, 1000, 0, NOWS, ESTABLISHED,
		     SYNACK_UNEXPECTED, 0),
	} },
	{ "pickup, first segment a keepalive", FRESH, true, TCPSESS_F_PICKUP, 0, {
		STEP(O, ACK, 99999, 200000, 1000, 0, NOWS, ESTABLISHED, NONE, 0),
		STEP(R, ACK, 200000, 100000, 1000, 0, NOWS, ESTABLISHED, NONE, 0),
		STEP(O, ACK, 100000, 200000, 1000, 0, NOWS, ESTABLISHED, NONE, 0),
		STEP(R, ACK, 200000, 100001, 1000, 0, NOWS, ESTABLISHED,
		     ACK_OUT_OF_WINDOW, 0),
	} },
	{ "pickup, one direction only", FRESH, true, TCPSESS_F_PICKUP, 0, {
		STEP(O, PA, 100000, 200000, 1000, 100, NOWS, ESTABLISHED, NONE, 0),
		STEP(O, PA, 100100, 250000, 1000, 100, NOWS, ESTABLISHED, NONE, 0),
		STEP(O, PA, 900000, 240000, 1000, 100, NOWS, ESTABLISHED, NONE, 0),
		STEP(R, ACK, 250000, 900100, 1000, 0, NOWS, ESTABLISHED, NONE, 0),
		STEP(R, ACK, 250000, 900101, 1000, 0, NOWS, ESTABLISHED,
		     ACK_OUT_OF_WINDOW, 0),
	} },
	{ "pickup, first segment of a side invalid", FRESH, true,
	  TCPSESS_F_PICKUP, 0, {
		STEP(O, PA, 100000, 200000, 1000, 100, NOWS, ESTABLISHED, NONE, 0),
		STEP(R, ACK, 200000, 100102, 1000, 0, NOWS, ESTABLISHED,
		     ACK_OUT_OF_WINDOW, 0),
		STEP(R, FA, 150000, 100100, 1000, 0, NOWS, ESTABLISHED,
		     DATA_AFTER_FIN, 0),
		STEP(R, ACK, 200000, 100100, 1000, 0, NOWS, ESTABLISHED, NONE, 0),
	} },
	{ "pickup, invalid while the other side is unseen", FRESH, true,
	  TCPSESS_F_PICKUP, 'o', {
		STEP(O, FA, 100000, 200000, 1000, 0, NOWS, FIN_WAIT_1, NONE, 0),
		STEP(O, PA, 100001, 300000, 1000, 10, NOWS, FIN_WAIT_1,
		     DATA_AFTER_FIN, 0),
		STEP(R, ACK, 200000, 100001, 1000, 0, NOWS, FIN_WAIT_2, NONE, 0),
	} },
	{ "pickup assumes the largest window scale", FRESH, true,
	  TCPSESS_F_PICKUP, 0, {
		STEP(O, ACK, 100000, 200000, 10, 0, NOWS, ESTABLISHED, NONE, 0),
		STEP(R, ACK, 200000, 100000, 10, 0, NOWS, ESTABLISHED, NONE, 0),
		STEP(R, PA, 300000, 100000, 10, 10, NOWS, ESTABLISHED, NONE, 0),
		STEP(R, PA, 400000, 100000, 10, 10, NOWS, ESTABLISHED,
		     SEQ_OUT_OF_WINDOW, 0),
	} },
	/* Found by fsm_fuzz: with r unseen, o's end leapt by exactly 2^31. */
	{ "pickup, an unanswered side cannot leap", FRESH, true,
	  TCPSESS_F_PICKUP, 0, {
		STEP(O, PA, 100000, 200000, 1000, 100, NOWS, ESTABLISHED, NONE, 0),
		STEP(O, PA, 100100 + 0x80000000U, 200000, 1000, 10, NOWS,
		     ESTABLISHED, SEQ_OUT_OF_WINDOW, 0),
		STEP(O, PA, 100100 - 0x50000000U, 200000, 1000, 10, NOWS,
		     ESTABLISHED, SEQ_OUT_OF_WINDOW, 0),
		STEP(O, ACK, 100100, 200000 + 0x80000000U, 1000, 0, NOWS,
		     ESTABLISHED, ACK_OUT_OF_WINDOW, 0),
		STEP(O, PA, 100100 + 0x3ff00000U, 200000, 1000, 10, NOWS,
		     ESTABLISHED, NONE, 0),
	} },
	{ "pickup, rst from the unseen side", FRESH, true, TCPSESS_F_PICKUP, 0, {
		STEP(O, ACK, 100000, 200000, 1000, 0, NOWS, ESTABLISHED, NONE, 0),
		STEP(R, RST, 12345, 0, 0, 0, NOWS, CLOSED, NONE, 0),
	} },
	{ "pickup, rsts from a seen side", FRESH, true, TCPSESS_F_PICKUP, 0, {
		STEP(O, ACK, 100000, 200000, 1000, 0, NOWS, ESTABLISHED, NONE, 0),
		STEP(R, ACK, 200000, 100000, 1000, 0, NOWS, ESTABLISHED, NONE, 0),
		STEP(O, RST, 100010, 0, 0, 0, NOWS, ESTABLISHED, RST_INEXACT, 0),
		STEP(O, RST, 99999, 0, 0, 0, NOWS, ESTABLISHED,
		     RST_OUT_OF_WINDOW, 0),
		STEP(O, RST, 100000, 0, 0, 0, NOWS, CLOSED, NONE, 0),
	} },
	/* Flags 0: the last step reopens the tuple with a new session. */
	{ "pickup on a fin", FRESH, true, 0, 'o', {
		STEP(O, FA, 100000, 200000, 1000, 0, NOWS, FIN_WAIT_1, NONE, 0),
		STEP(R, FA, 200000, 100001, 1000, 0, NOWS, LAST_ACK, NONE, 0),
		STEP(O, ACK, 100001, 200001, 1000, 0, NOWS, TIME_WAIT, NONE, 0),
		STEP(O, SYN, 100001, 0, 1000, 0, NOWS, TIME_WAIT, NONE, REOPEN),
	} },
};

static const struct scenario flag_cases[] = {
	{ "impossible flag combinations", EST, false, 0, 0, {
		STEP(O, 0, 1001, 5001, WIN, 0, NOWS, ESTABLISHED, BAD_FLAGS, 0),
		STEP(O, SYN | FIN, 1001, 5001, WIN, 0, NOWS, ESTABLISHED,
		     BAD_FLAGS, 0),
		STEP(O, SYN | RST, 1001, 5001, WIN, 0, NOWS, ESTABLISHED,
		     BAD_FLAGS, 0),
		STEP(O, FIN, 1001, 5001, WIN, 0, NOWS, ESTABLISHED, BAD_FLAGS, 0),
		STEP(O, PSH, 1001, 5001, WIN, 0, NOWS, ESTABLISHED, BAD_FLAGS, 0),
		STEP(O, URG, 1001, 5001, WIN, 0, NOWS, ESTABLISHED, BAD_FLAGS, 0),
		STEP(O, 0xff, 1001, 5001, WIN, 0, NOWS, ESTABLISHED,
		     BAD_FLAGS, 0),
		STEP(O, RST | FIN, 1001, 5001, WIN, 0, NOWS, ESTABLISHED,
		     BAD_FLAGS, 0),
		STEP(O, RA | URG, 1001, 5001, WIN, 0, NOWS, ESTABLISHED,
		     BAD_FLAGS, 0),
		STEP(O, SA | URG, 1001, 5001, WIN, 0, NOWS, ESTABLISHED,
		     BAD_FLAGS, 0),
		STEP(O, FA | RST, 1001, 5001, WIN, 0, NOWS, ESTABLISHED,
		     BAD_FLAGS, 0),
		STEP(O, ACK | URG | PSH | ECE | CWR, 1001, 5001, WIN, 0, NOWS,
		     ESTABLISHED, NONE, 0),
		STEP(O, FA | URG, 1001, 5001, WIN, 0, NOWS, FIN_WAIT_1, NONE, 0),
	} },
};

static bool run_table(struct __test_metadata *_metadata,
		      const struct scenario *table, size_t n, struct seen *seen)
{
	bool good = true;
	size_t i;

	for (i = 0; i < n; i++)
		good &= run(_metadata, &table[i], seen);
	return good;
}

TEST(start)
{
	run_table(_metadata, start_cases, ARRAY_SIZE(start_cases), NULL);
}

TEST(handshake)
{
	run_table(_metadata, handshake_cases, ARRAY_SIZE(handshake_cases), NULL);
}

TEST(simultaneous_open)
{
	run_table(_metadata, simopen_cases, ARRAY_SIZE(simopen_cases), NULL);
}

TEST(teardown)
{
	run_table(_metadata, teardown_cases, ARRAY_SIZE(teardown_cases), NULL);
}

TEST(rst)
{
	run_table(_metadata, rst_cases, ARRAY_SIZE(rst_cases), NULL);
}

TEST(reopen)
{
	run_table(_metadata, reopen_cases, ARRAY_SIZE(reopen_cases), NULL);
}

TEST(window)
{
	run_table(_metadata, window_cases, ARRAY_SIZE(window_cases), NULL);
}

TEST(pickup)
{
	run_table(_metadata, pickup_cases, ARRAY_SIZE(pickup_cases), NULL);
}

TEST(flags)
{
	run_table(_metadata, flag_cases, ARRAY_SIZE(flag_cases), NULL);
}

static bool flags_valid_ref(u8 flags)
{
	static const u8 valid[] = {
		SYN, SYN | URG, SA, RST, RA, FA, FA | URG, ACK, ACK | URG,
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(valid); i++)
		if ((flags & ~(PSH | ECE | CWR)) == valid[i])
			return true;
	return false;
}

/* All 256 values of byte 13, at start and on an established session. */
TEST(every_flag_byte)
{
	struct tcpsess_fsm est, fsm, before;
	struct tcpsess_seg seg = { .win = WIN, .wscale = NOWS };
	struct tcpsess_verdict v;
	unsigned int f, i;

	memset(&est, 0, sizeof(est));
	for (i = 0; est_prefix[i].used; i++) {
		seg.flags = est_prefix[i].flags;
		seg.seq = est_prefix[i].seq;
		seg.ack = est_prefix[i].ack;
		if (i)
			tcpsess_fsm_step(&est, est_prefix[i].dir, &seg, &v);
		else
			tcpsess_fsm_start(&est, &seg, false, &v);
	}
	ASSERT_EQ(TCPSESS_STATE_ESTABLISHED, est.state);

	for (f = 0; f < 256; f++) {
		seg.flags = f;
		seg.seq = 1001;
		seg.ack = 5001;
		memset(&fsm, 0, sizeof(fsm));
		before = fsm;
		if (tcpsess_fsm_start(&fsm, &seg, true, &v)) {
			EXPECT_TRUE(flags_valid_ref(f)) TH_LOG("flags %#x", f);
		} else {
			EXPECT_EQ(0, memcmp(&before, &fsm, sizeof(fsm)));
			EXPECT_EQ(!flags_valid_ref(f),
				  v.invalid == TCPSESS_INVALID_BAD_FLAGS)
				TH_LOG("flags %#x: %s", f,
				       tcpsess_invalid_reason_name(v.invalid));
		}

		fsm = est;
		tcpsess_fsm_step(&fsm, O, &seg, &v);
		EXPECT_EQ(!flags_valid_ref(f),
			  v.invalid == TCPSESS_INVALID_BAD_FLAGS)
			TH_LOG("flags %#x: %s", f,
			       tcpsess_invalid_reason_name(v.invalid));
		EXPECT_TRUE(v.invalid == TCPSESS_INVALID_NONE ||
			    !memcmp(&est, &fsm, sizeof(fsm)));
	}
}

/* Every reason, state and action the state machine can produce is tested. */
TEST(coverage)
{
	static const struct {
		const struct scenario *table;
		size_t n;
	} tables[] = {
		{ start_cases, ARRAY_SIZE(start_cases) },
		{ handshake_cases, ARRAY_SIZE(handshake_cases) },
		{ simopen_cases, ARRAY_SIZE(simopen_cases) },
		{ teardown_cases, ARRAY_SIZE(teardown_cases) },
		{ rst_cases, ARRAY_SIZE(rst_cases) },
		{ reopen_cases, ARRAY_SIZE(reopen_cases) },
		{ window_cases, ARRAY_SIZE(window_cases) },
		{ pickup_cases, ARRAY_SIZE(pickup_cases) },
		{ flag_cases, ARRAY_SIZE(flag_cases) },
	};
	struct seen seen;
	size_t i, scenarios = 0;
	unsigned int r;

	memset(&seen, 0, sizeof(seen));
	for (i = 0; i < ARRAY_SIZE(tables); i++) {
		ASSERT_TRUE(run_table(_metadata, tables[i].table, tables[i].n,
				      &seen));
		scenarios += tables[i].n;
	}

	for (r = TCPSESS_INVALID_BAD_FLAGS; r <= TCPSESS_INVALID_MAX; r++)
		EXPECT_NE(0, seen.invalid[r])
			TH_LOG("no test gets %s", tcpsess_invalid_reason_name(r));
	for (r = TCPSESS_STATE_SYN_SENT; r <= TCPSESS_STATE_MAX; r++)
		EXPECT_NE(0, seen.state[r])
			TH_LOG("no test reaches %s", tcpsess_state_name(r));
	for (r = 0; r < 5; r++)
		EXPECT_NE(0, seen.actions[r]) TH_LOG("no test gets action %u", r);
	TH_LOG("%zu scenarios, %u steps", scenarios, seen.steps);
}

/* A state or segment kind added without its cells would leave zeros. */
TEST(every_rule_filled)
{
	unsigned int kind, state;

	/* Braced: EXPECT_NE() and its TH_LOG() are two statements. */
	for (kind = 0; kind < SEG_KINDS; kind++) {
		for (state = 0; state <= TCPSESS_STATE_MAX; state++) {
			EXPECT_NE(TCPSESS_INVALID_NONE, fsm_rules[kind][state])
				TH_LOG("kind %u in state %u", kind, state);
		}
	}
}

TEST(peer_fits)
{
	EXPECT_GE(20, sizeof(struct tcpsess_fsm_peer));
}

/*
 * The one-comparison window test against the two-comparison one, at the
 * span's edges, around the wrap and across the sequence space.
 */
TEST(seq_near)
{
	static const u32 centres[] = { 0, 1, 0x7fffffff, 0x80000000, 0xffffffff,
				       TCPSESS_MAX_WINDOW, -TCPSESS_MAX_WINDOW };
	static const u32 widths[] = { 0, 1, 66000, TCPSESS_MAX_WINDOW };
	static const s64 offsets[] = { 0, 1, -1 };
	u32 c, w, x, rng = 1;
	unsigned int i, j, k, n;

	for (i = 0; i < ARRAY_SIZE(centres); i++) {
		for (j = 0; j < ARRAY_SIZE(widths); j++) {
			c = centres[i];
			w = widths[j];
			for (k = 0; k < ARRAY_SIZE(offsets); k++) {
				u32 edges[] = { c - w, c + w, c, c + 0x80000000 };

				for (n = 0; n < ARRAY_SIZE(edges); n++) {
					x = edges[n] + (u32)offsets[k];
					ASSERT_EQ(tcpsess_seq_between(x, c - w, c + w),
						  tcpsess_seq_near(x, c, w))
						TH_LOG("x %#x c %#x w %#x", x, c, w);
				}
			}
			for (n = 0; n < 100000; n++) {
				rng = rng * 1103515245 + 12345;
				x = c + (rng ^ rng << 13);
				ASSERT_EQ(tcpsess_seq_between(x, c - w, c + w),
					  tcpsess_seq_near(x, c, w))
					TH_LOG("x %#x c %#x w %#x", x, c, w);
			}
		}
	}
}

TEST_HARNESS_MAIN
