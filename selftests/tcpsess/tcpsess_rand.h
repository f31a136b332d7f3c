/* SPDX-License-Identifier: GPL-2.0 */
/* Seeded randomness for the tcpsess netlink fuzzing (tcpsess_rand.c). */
#ifndef _TCPSESS_RAND_H
#define _TCPSESS_RAND_H

#include "portable.h"

struct rng {
	u64 s;
};

/* xorshift64*: fixed and libc-independent, so a seed replays its burst. */
u32 rng_u32(struct rng *r);
/* Uniform enough below n; 0 when n is 0. */
u32 rng_below(struct rng *r, u32 n);
void rng_fill(struct rng *r, unsigned char *p, size_t len);

/*
 * Writes at most room bytes of random attributes, nests and junk, some of
 * them lying about their length, and returns how many it wrote.
 */
size_t soup(struct rng *r, unsigned char *p, size_t room, unsigned int depth);

#endif /* _TCPSESS_RAND_H */
