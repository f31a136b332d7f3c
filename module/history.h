/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Zeek's connection history: which kinds of segment each side sent, in the
 * order they first appeared. It fits in one u64 so that a session pays no
 * more for it than for a counter.
 */
#ifndef _TCPSESS_HISTORY_H
#define _TCPSESS_HISTORY_H

#include "portable.h"
#include "fsm.h"
#include <linux/tcpsess.h>

/* Longest formatted history: six letters per direction, each at most once. */
#define TCPSESS_HISTORY_LEN	12

/*
 * A session stores only the bits a history can use, 4 per letter, in
 * 16-bit words so that it packs between narrower fields.
 */
#define TCPSESS_HISTORY_WORDS	(TCPSESS_HISTORY_LEN * 4 / 16)

struct tcpsess_history_store {
	u16 word[TCPSESS_HISTORY_WORDS];
};

static inline u64 tcpsess_history_load(const struct tcpsess_history_store *st)
{
	u64 h = 0;
	int i;

	for (i = TCPSESS_HISTORY_WORDS - 1; i >= 0; i--)
		h = h << 16 | st->word[i];
	return h;
}

static inline void tcpsess_history_save(struct tcpsess_history_store *st, u64 h)
{
	unsigned int i;

	for (i = 0; i < TCPSESS_HISTORY_WORDS; i++, h >>= 16)
		st->word[i] = (u16)h;
}

/* A letter's code; upper case (orig) first. */
enum {
	TCPSESS_HISTORY_SYN = 1,
	TCPSESS_HISTORY_SYNACK,
	TCPSESS_HISTORY_ACK,
	TCPSESS_HISTORY_DATA,
	TCPSESS_HISTORY_FIN,
	TCPSESS_HISTORY_RST,
	/* Added to orig's code to give reply's. */
	TCPSESS_HISTORY_REPLY = TCPSESS_HISTORY_RST,
};

/* A 1 in the low (high) bit of each of the history's nibbles. */
#define TCPSESS_HISTORY_NIBBLE_LOW	0x111111111111ULL
#define TCPSESS_HISTORY_NIBBLE_HIGH	(TCPSESS_HISTORY_NIBBLE_LOW << 3)

/*
 * Whether code is in the history: whether h, with code cleared out of every
 * nibble, has a zero nibble, by the word-at-a-time zero test. No loop:
 * after its first few segments, every segment of a session asks this of
 * letters it already has.
 */
static inline bool tcpsess_history_has(u64 h, unsigned int code)
{
	u64 x = h ^ (code * TCPSESS_HISTORY_NIBBLE_LOW);

	return (x - TCPSESS_HISTORY_NIBBLE_LOW) & ~x & TCPSESS_HISTORY_NIBBLE_HIGH;
}

/* Each code once, in the order they first came. */
static inline void tcpsess_history_add(u64 *history, unsigned int code)
{
	u64 h = *history;
	unsigned int shift;

	if (tcpsess_history_has(h, code))
		return;
	/*
	 * Letters fill from the low nibble up. Twelve codes exist and this
	 * one is missing, so a free nibble comes within the store's bits.
	 */
	for (shift = 0; (h >> shift) & 0xf; shift += 4)
		;
	*history = h | (u64)code << shift;
}

/*
 * Adds the letters of one segment (flags are TCPSESS_TH_*, len its
 * payload). Returns whether that changed the history. Inline: every
 * segment is noted.
 */
static inline bool tcpsess_history_note(u64 *history, enum tcpsess_dir dir,
					u8 flags, u32 len)
{
	unsigned int base = dir == TCPSESS_DIR_REPLY ? TCPSESS_HISTORY_REPLY : 0;
	u64 before = *history;

	if (flags & TCPSESS_TH_SYN)
		tcpsess_history_add(history, base + (flags & TCPSESS_TH_ACK ?
						     TCPSESS_HISTORY_SYNACK :
						     TCPSESS_HISTORY_SYN));
	else if ((flags & (TCPSESS_TH_ACK | TCPSESS_TH_FIN | TCPSESS_TH_RST)) ==
		 TCPSESS_TH_ACK && !len)
		tcpsess_history_add(history, base + TCPSESS_HISTORY_ACK);
	if (len)
		tcpsess_history_add(history, base + TCPSESS_HISTORY_DATA);
	if (flags & TCPSESS_TH_FIN)
		tcpsess_history_add(history, base + TCPSESS_HISTORY_FIN);
	if (flags & TCPSESS_TH_RST)
		tcpsess_history_add(history, base + TCPSESS_HISTORY_RST);
	return *history != before;
}

/*
 * Writes the letters, or "-" when there are none, NUL-terminated and cut
 * to fit size. Returns the length of the whole string, like snprintf(), so
 * a result >= size means it was cut.
 */
size_t tcpsess_history_format(u64 history, char *buf, size_t size);

#endif /* _TCPSESS_HISTORY_H */
