/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Zeek's connection history: which kinds of segment each side sent, in the
 * order they first appeared. It fits in one u64 so that a session pays no
 * more for it than for a counter.
 */
#ifndef _TCPSESS_HISTORY_H
#define _TCPSESS_HISTORY_H

#include "portable.h"
#include <linux/tcpsess.h>

/* Longest formatted history: six letters per direction, each at most once. */
#define TCPSESS_HISTORY_LEN	12

/* Adds the letters of one segment (flags are TCPSESS_TH_*, len its payload). */
void tcpsess_history_note(u64 *history, enum tcpsess_dir dir, u8 flags,
			  u32 len);

/*
 * Writes the letters, or "-" when there are none, NUL-terminated and cut
 * to fit size. Returns the length of the whole string, like snprintf(), so
 * a result >= size means it was cut.
 */
size_t tcpsess_history_format(u64 history, char *buf, size_t size);

#endif /* _TCPSESS_HISTORY_H */
