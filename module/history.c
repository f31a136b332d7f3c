// SPDX-License-Identifier: GPL-2.0
/*
 * The history is a string of 4-bit letter codes, first letter in the low
 * nibble, ended by the first zero nibble. Twelve letters can occur at most,
 * so it never fills the sixteen nibbles of a u64.
 */
#include "history.h"
#include "fsm.h"

/* By code; upper case = orig. Codes 13-15 never occur. */
static const char letters[] = "?SHADFRshadfr???";

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
