// SPDX-License-Identifier: GPL-2.0
/*
 * Zeek-style history: real sessions segment by segment, the string they
 * must read as, and the formatting edge cases.
 */
#include <string.h>

#include "kselftest_harness.h"
#include "fsm.h"
#include "history.h"

#define O	TCPSESS_DIR_ORIG
#define R	TCPSESS_DIR_REPLY

#define FIN	TCPSESS_TH_FIN
#define SYN	TCPSESS_TH_SYN
#define RST	TCPSESS_TH_RST
#define PSH	TCPSESS_TH_PSH
#define ACK	TCPSESS_TH_ACK
#define SA	(SYN | ACK)
#define FA	(FIN | ACK)
#define RA	(RST | ACK)
#define PA	(PSH | ACK)

struct note {
	bool used;
	u8 dir, flags;
	u32 len;
};

#define SEG(d, f, l) { .used = true, .dir = (d), .flags = (f), .len = (l) }

static const struct {
	const char *name;
	const char *want;
	struct note notes[16];
} cases[] = {
	{ "nothing seen", "-", { } },
	{ "client closes first", "ShADadFf", {
		SEG(O, SYN, 0), SEG(R, SA, 0), SEG(O, ACK, 0),
		SEG(O, PA, 100), SEG(R, ACK, 0), SEG(R, PA, 200),
		SEG(O, ACK, 0), SEG(O, FA, 0), SEG(R, ACK, 0),
		SEG(R, FA, 0), SEG(O, ACK, 0),
	} },
	{ "server closes first", "ShADadfF", {
		SEG(O, SYN, 0), SEG(R, SA, 0), SEG(O, ACK, 0),
		SEG(O, PA, 100), SEG(R, ACK, 0), SEG(R, PA, 200),
		SEG(R, FA, 0), SEG(O, ACK, 0), SEG(O, FA, 0),
		SEG(R, ACK, 0),
	} },
	{ "server speaks first, client closes", "ShAdDaFf", {
		SEG(O, SYN, 0), SEG(R, SA, 0), SEG(O, ACK, 0),
		SEG(R, PA, 30), SEG(O, PA, 10), SEG(R, ACK, 0),
		SEG(O, FA, 0), SEG(R, FA, 0), SEG(O, ACK, 0),
	} },
	{ "refused", "Sr", {
		SEG(O, SYN, 0), SEG(R, RA, 0),
	} },
	{ "unanswered, retransmitted", "S", {
		SEG(O, SYN, 0), SEG(O, SYN, 0), SEG(O, SYN, 0),
	} },
	{ "reset by the client", "ShADaR", {
		SEG(O, SYN, 0), SEG(R, SA, 0), SEG(O, ACK, 0),
		SEG(O, PA, 10), SEG(R, ACK, 0), SEG(O, RA, 0),
	} },
	{ "simultaneous open", "SsHh", {
		SEG(O, SYN, 0), SEG(R, SYN, 0), SEG(O, SA, 0), SEG(R, SA, 0),
	} },
	{ "one segment: syn with data", "SD", {
		SEG(O, SYN, 50),
	} },
	{ "one segment: data, fin", "DF", {
		SEG(O, FA | PSH, 10),
	} },
	{ "one segment: rst with payload", "dr", {
		SEG(R, RST, 5),
	} },
	{ "one segment: syn-ack with data", "hd", {
		SEG(R, SA, 5),
	} },
	{ "fin and rst are not pure acks", "Fr", {
		SEG(O, FA, 0), SEG(R, RA, 0),
	} },
	{ "picked up mid-stream", "DaA", {
		SEG(O, PA, 100), SEG(R, ACK, 0), SEG(O, ACK, 0),
	} },
	{ "every letter once, no more", "SHADFRshadfr", {
		SEG(O, SYN, 0), SEG(O, SA, 0), SEG(O, ACK, 0),
		SEG(O, PA, 1), SEG(O, FA, 0), SEG(O, RST, 0),
		SEG(R, SYN, 0), SEG(R, SA, 0), SEG(R, ACK, 0),
		SEG(R, PA, 1), SEG(R, FA, 0), SEG(R, RST, 0),
		SEG(O, FA | RST, 9), SEG(R, SA | FIN | RST, 9),
		SEG(O, SYN, 0), SEG(R, ACK, 0),
	} },
};

/* Kept as a session keeps it: in its 48-bit store, saved when it changed. */
TEST(sessions)
{
	struct tcpsess_history_store store;
	char buf[32];
	size_t i, j, len;
	bool changed;
	u64 h, before;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		memset(&store, 0, sizeof(store));
		for (j = 0; j < ARRAY_SIZE(cases[i].notes); j++) {
			const struct note *n = &cases[i].notes[j];

			if (!n->used)
				break;
			h = tcpsess_history_load(&store);
			before = h;
			changed = tcpsess_history_note(&h, n->dir, n->flags, n->len);
			EXPECT_EQ(before != h, changed) TH_LOG("%s", cases[i].name);
			if (changed)
				tcpsess_history_save(&store, h);
			EXPECT_EQ(h, tcpsess_history_load(&store)) TH_LOG("%s", cases[i].name);
		}
		h = tcpsess_history_load(&store);
		memset(buf, 'x', sizeof(buf));
		len = tcpsess_history_format(h, buf, sizeof(buf));
		EXPECT_STREQ(cases[i].want, buf) TH_LOG("%s", cases[i].name);
		EXPECT_EQ(strlen(cases[i].want), len) TH_LOG("%s", cases[i].name);
		EXPECT_GE(TCPSESS_HISTORY_LEN, len);
	}
}

/*
 * The word-at-a-time test against a nibble-by-nibble scan, over histories
 * of every length with their letters in shuffled orders (a fixed LCG, so
 * every run tries the same ones), for every code a nibble can hold.
 */
TEST(has_agrees_with_a_scan)
{
	unsigned int round, len, code, i, j, shift;
	u32 rng = 1;
	u8 order[12];
	bool scanned;
	u64 h;

	for (round = 0; round < 20000; round++) {
		for (i = 0; i < 12; i++)
			order[i] = i + 1;
		for (i = 11; i > 0; i--) {
			u8 t;

			rng = rng * 1103515245 + 12345;
			j = (rng >> 16) % (i + 1);
			t = order[i];
			order[i] = order[j];
			order[j] = t;
		}
		len = round % 13;
		h = 0;
		for (i = 0; i < len; i++)
			h |= (u64)order[i] << (4 * i);
		for (code = 1; code < 16; code++) {
			scanned = false;
			for (shift = 0; shift < 64; shift += 4)
				scanned |= ((h >> shift) & 0xf) == code;
			ASSERT_EQ(scanned, tcpsess_history_has(h, code))
				TH_LOG("history %#llx, code %u", (unsigned long long)h, code);
		}
	}
}

/* Like snprintf(): cut to fit, always terminated, full length returned. */
TEST(format_truncates)
{
	char buf[8];
	u64 h = 0;

	tcpsess_history_note(&h, O, SYN, 0);
	tcpsess_history_note(&h, R, SA, 0);
	tcpsess_history_note(&h, O, ACK, 0);

	memset(buf, 'x', sizeof(buf));
	EXPECT_EQ(3, tcpsess_history_format(h, buf, 0));
	EXPECT_EQ('x', buf[0]);

	EXPECT_EQ(3, tcpsess_history_format(h, buf, 1));
	EXPECT_STREQ("", buf);

	EXPECT_EQ(3, tcpsess_history_format(h, buf, 3));
	EXPECT_STREQ("Sh", buf);

	EXPECT_EQ(3, tcpsess_history_format(h, buf, 4));
	EXPECT_STREQ("ShA", buf);

	memset(buf, 'x', sizeof(buf));
	EXPECT_EQ(1, tcpsess_history_format(0, buf, 1));
	EXPECT_STREQ("", buf);
	EXPECT_EQ(1, tcpsess_history_format(0, buf, 2));
	EXPECT_STREQ("-", buf);
}

TEST_HARNESS_MAIN
