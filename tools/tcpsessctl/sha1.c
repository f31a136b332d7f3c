// SPDX-License-Identifier: GPL-2.0
/* SHA-1 as FIPS 180-4 section 6.1 states it, one 64-byte block at a time. */
#include <string.h>

#include "sha1.h"

static u32 rol32(u32 x, unsigned int n)
{
	return x << n | x >> (32 - n);
}

static u32 get_be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static void put_be32(u8 *p, u32 x)
{
	p[0] = x >> 24;
	p[1] = x >> 16;
	p[2] = x >> 8;
	p[3] = x;
}

static void sha1_block(u32 h[5], const u8 *block)
{
	u32 w[80], a, b, c, d, e, f, k, t;
	unsigned int i;

	for (i = 0; i < 16; i++)
		w[i] = get_be32(block + 4 * i);
	for (; i < 80; i++)
		w[i] = rol32(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
	a = h[0];
	b = h[1];
	c = h[2];
	d = h[3];
	e = h[4];
	for (i = 0; i < 80; i++) {
		if (i < 20) {
			f = (b & c) | (~b & d);
			k = 0x5a827999;
		} else if (i < 40) {
			f = b ^ c ^ d;
			k = 0x6ed9eba1;
		} else if (i < 60) {
			f = (b & c) | (b & d) | (c & d);
			k = 0x8f1bbcdc;
		} else {
			f = b ^ c ^ d;
			k = 0xca62c1d6;
		}
		t = rol32(a, 5) + f + e + k + w[i];
		e = d;
		d = c;
		c = rol32(b, 30);
		b = a;
		a = t;
	}
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
	h[4] += e;
}

void ts_sha1_init(struct ts_sha1 *c)
{
	c->h[0] = 0x67452301;
	c->h[1] = 0xefcdab89;
	c->h[2] = 0x98badcfe;
	c->h[3] = 0x10325476;
	c->h[4] = 0xc3d2e1f0;
	c->len = 0;
}

void ts_sha1_update(struct ts_sha1 *c, const void *data, size_t len)
{
	const u8 *p = data;
	size_t used = c->len % 64, n;

	c->len += len;
	while (len) {
		n = 64 - used < len ? 64 - used : len;
		memcpy(c->block + used, p, n);
		used += n;
		p += n;
		len -= n;
		if (used == 64) {
			sha1_block(c->h, c->block);
			used = 0;
		}
	}
}

void ts_sha1_final(struct ts_sha1 *c, u8 digest[TS_SHA1_LEN])
{
	static const u8 pad[64] = { 0x80 };
	u64 bits = c->len * 8;
	size_t used = c->len % 64;
	u8 len[8];
	unsigned int i;

	/* 0x80, zeroes up to 56 bytes into a block, the length in bits. */
	ts_sha1_update(c, pad, used < 56 ? 56 - used : 120 - used);
	put_be32(len, bits >> 32);
	put_be32(len + 4, bits);
	ts_sha1_update(c, len, sizeof(len));
	for (i = 0; i < 5; i++)
		put_be32(digest + 4 * i, c->h[i]);
}

void ts_sha1(const void *data, size_t len, u8 digest[TS_SHA1_LEN])
{
	struct ts_sha1 c;

	ts_sha1_init(&c);
	ts_sha1_update(&c, data, len);
	ts_sha1_final(&c, digest);
}
