/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SHA-1 (FIPS 180-4), for the Community ID flow hash only: that hash is
 * defined over SHA-1, and the client should not need a crypto library for
 * twenty bytes of it. Not for anything that wants collision resistance.
 */
#ifndef _TCPSESSCTL_SHA1_H
#define _TCPSESSCTL_SHA1_H

#include <stddef.h>

#include "portable.h"

#define TS_SHA1_LEN	20

struct ts_sha1 {
	u32 h[5];
	u64 len;		/* bytes hashed so far */
	u8 block[64];		/* the partial block, len % 64 bytes of it */
};

void ts_sha1_init(struct ts_sha1 *c);
void ts_sha1_update(struct ts_sha1 *c, const void *data, size_t len);
void ts_sha1_final(struct ts_sha1 *c, u8 digest[TS_SHA1_LEN]);

/* The digest of one buffer. */
void ts_sha1(const void *data, size_t len, u8 digest[TS_SHA1_LEN]);

#endif /* _TCPSESSCTL_SHA1_H */
