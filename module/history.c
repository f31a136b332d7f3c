// SPDX-License-Identifier: GPL-2.0
/*
 * The history is a string of 4-bit letter codes, first letter in the low
 * nibble, ended by the first zero nibble. Twelve letters can occur at most,
 * so it never fills the sixteen nibbles of a u64.
 */
#include "history.h"
#include "fsm.h"

enum {
	CODE_SYN = 1,
	CODE_SYNACK,
	CODE_ACK,
	CODE_DATA,
	CODE_FIN,
	CODE_RST,
	CODE_REPLY = CODE_RST,	/* added to orig's code to give reply's */
};

/* By code; upper case = orig. Codes 13-15 never occur. */
static const char letters[] = "?SHADFRshadfr???";

static void add(u64 *history, unsigned int code)
{
	u64 h = *history;
	unsigned int shift, c;

	/* Each letter at most once: the loop never runs past the store's bits. */
	for (shift = 0; shift < TCPSESS_HISTORY_LEN * 4; shift += 4) {
		c = (h >> shift) & 0xf;
		if (c == code)
			return;
		if (!c) {
			*history = h | (u64)code << shift;
			return;
		}
	}
}

bool tcpsess_history_note(u64 *history, enum tcpsess_dir dir, u8 flags,
			  u32 len)
{
	unsigned int base = dir == TCPSESS_DIR_REPLY ? CODE_REPLY : 0;
	u64 before = *history;

	if (flags & TCPSESS_TH_SYN)
		add(history, base + (flags & TCPSESS_TH_ACK ?
				     CODE_SYNACK : CODE_SYN));
	else if ((flags & (TCPSESS_TH_ACK | TCPSESS_TH_FIN | TCPSESS_TH_RST)) ==
		 TCPSESS_TH_ACK && !len)
		add(history, base + CODE_ACK);
	if (len)
		add(history, base + CODE_DATA);
	if (flags & TCPSESS_TH_FIN)
		add(history, base + CODE_FIN);
	if (flags & TCPSESS_TH_RST)
		add(history, base + CODE_RST);
	return *history != before;
}

size_t tcpsess_history_format(u64 history, char *buf, size_t size)
{
	size_t n = 0;

	if (!history) {
		if (size > 1)
			buf[n] = '-';
		n = 1;
	}
	for (; history; history >>= 4) {
		if (n + 1 < size)
			buf[n] = letters[history & 0xf];
		n++;
	}
	if (size)
		buf[n < size ? n : size - 1] = '\0';
	return n;
}
