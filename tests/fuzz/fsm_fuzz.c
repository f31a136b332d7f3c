// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the state machine. The input is a session: a pickup
 * bit, then segments of 15 bytes each. Every step is checked against what
 * must hold whatever the segments are:
 *  - an invalid verdict names a reason and leaves the session untouched;
 *  - CLOSED and TIME_WAIT are left only by a reopen (a new SYN), and
 *    otherwise a session never goes back: what each side has done (SYN
 *    acknowledged, FIN sent, FIN acknowledged) is never forgotten;
 *  - a side's highest sequence number sent never moves backwards;
 *  - the counters the module keeps only ever grow;
 *  - the shortcut for an ESTABLISHED ACK decides exactly as the full
 *    judgement does, verdict and state alike.
 * A violation aborts, which libFuzzer reports with the input that did it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsm.h"

#define SEGMENT_BYTES 15

#define CHECK(cond, ...) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "invariant broken: %s: ", #cond);	\
		fprintf(stderr, __VA_ARGS__);				\
		fputc('\n', stderr);					\
		abort();						\
	}								\
} while (0)

static u32 get32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static void decode(const u8 *p, enum tcpsess_dir *dir, struct tcpsess_seg *seg)
{
	*dir = p[0] & 1 ? TCPSESS_DIR_REPLY : TCPSESS_DIR_ORIG;
	seg->flags = p[1];
	seg->seq = get32(p + 2);
	seg->ack = get32(p + 6);
	seg->win = (u16)(p[10] << 8 | p[11]);
	/* Mostly small payloads, sometimes big ones. */
	seg->len = p[12] & 0x80 ? (u32)(p[12] & 0x7f) << 9 : p[12];
	seg->wscale = p[13] == 0xff || p[13] < 16 ? p[13] : TCPSESS_WSCALE_NONE;
	(void)p[14];
}

/* Facts a side may gain but never lose, outside a reopen. */
#define STICKY (TCPSESS_PEER_SYN_ACKED | TCPSESS_PEER_FIN | TCPSESS_PEER_FIN_ACKED)

static void check_step(const struct tcpsess_fsm *before,
		       const struct tcpsess_fsm *after,
		       const struct tcpsess_verdict *v, int step)
{
	int i;

	if (v->invalid) {
		CHECK(v->invalid > TCPSESS_INVALID_NONE &&
		      v->invalid <= TCPSESS_INVALID_MAX, "step %d", step);
		CHECK(!memcmp(before, after, sizeof(*before)),
		      "step %d: invalid verdict %u changed the session", step,
		      v->invalid);
		CHECK(v->actions == 0, "step %d", step);
		return;
	}
	CHECK(v->state == after->state, "step %d", step);
	CHECK(after->state >= TCPSESS_STATE_SYN_SENT &&
	      after->state <= TCPSESS_STATE_MAX, "step %d: state %u", step,
	      after->state);
	if (v->actions & TCPSESS_ACT_REOPEN) {
		CHECK(before->state == TCPSESS_STATE_TIME_WAIT ||
		      before->state == TCPSESS_STATE_CLOSED,
		      "step %d: reopen from %u", step, before->state);
		return;
	}
	if (before->state == TCPSESS_STATE_CLOSED)
		CHECK(after->state == TCPSESS_STATE_CLOSED,
		      "step %d: left CLOSED for %u", step, after->state);
	if (before->state == TCPSESS_STATE_TIME_WAIT)
		CHECK(after->state == TCPSESS_STATE_TIME_WAIT ||
		      after->state == TCPSESS_STATE_CLOSED,
		      "step %d: left TIME_WAIT for %u", step, after->state);
	/* An orig SYN with a new ISN may restart a session still in SYN_SENT. */
	if (before->state == TCPSESS_STATE_SYN_SENT)
		return;
	for (i = 0; i < 2; i++) {
		const struct tcpsess_fsm_peer *b = &before->peer[i];
		const struct tcpsess_fsm_peer *a = &after->peer[i];

		CHECK((a->flags & b->flags & STICKY) == (b->flags & STICKY),
		      "step %d: side %d forgot %#x", step, i,
		      b->flags & STICKY & ~a->flags);
		if (b->flags & TCPSESS_PEER_INIT)
			CHECK((s32)(a->end - b->end) >= 0,
			      "step %d: side %d end %u -> %u", step, i, b->end, a->end);
	}
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	u64 packets[2] = { 0 }, bytes[2] = { 0 }, old_packets, old_bytes;
	struct tcpsess_fsm fsm, before, full;
	struct tcpsess_verdict v, v_full;
	struct tcpsess_seg seg;
	enum tcpsess_dir dir;
	bool pickup, live = false;
	int step = 0;

	if (size < 1)
		return 0;
	pickup = data[0] & 1;
	data++;
	size--;

	for (; size >= SEGMENT_BYTES; data += SEGMENT_BYTES, size -= SEGMENT_BYTES, step++) {
		decode(data, &dir, &seg);
		if (!live) {
			memset(&fsm, 0xa5, sizeof(fsm));
			before = fsm;
			live = tcpsess_fsm_start(&fsm, &seg, pickup, &v);
			if (!live) {
				CHECK(v.invalid > TCPSESS_INVALID_NONE &&
				      v.invalid <= TCPSESS_INVALID_MAX, "start %d", step);
				CHECK(!memcmp(&before, &fsm, sizeof(fsm)),
				      "start %d: a refused start wrote the session", step);
				continue;
			}
			CHECK(v.invalid == TCPSESS_INVALID_NONE && v.state == fsm.state,
			      "start %d", step);
			continue;
		}
		before = fsm;
		full = fsm;
		tcpsess_fsm_step(&fsm, dir, &seg, &v);
		tcpsess_fsm_step_full(&full, dir, &seg, &v_full);
		CHECK(!memcmp(&v, &v_full, sizeof(v)) && !memcmp(&fsm, &full, sizeof(fsm)),
		      "step %d: the shortcut judged otherwise than the full judgement", step);
		check_step(&before, &fsm, &v, step);
		if (v.invalid)
			continue;
		if (v.actions & TCPSESS_ACT_REOPEN) {
			/* As the module does: the next session starts here. */
			live = tcpsess_fsm_start(&fsm, &seg, pickup, &v);
			CHECK(live, "step %d: reopening SYN refused", step);
			memset(packets, 0, sizeof(packets));
			memset(bytes, 0, sizeof(bytes));
			continue;
		}
		old_packets = packets[dir];
		old_bytes = bytes[dir];
		packets[dir]++;
		bytes[dir] += seg.len;
		CHECK(packets[dir] > old_packets && bytes[dir] >= old_bytes, "step %d", step);
	}
	return 0;
}
