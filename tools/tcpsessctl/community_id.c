// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "community_id.h"
#include "sha1.h"

static void base64(const u8 *in, size_t len, char *out)
{
	static const char digits[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	u32 v;
	size_t i;

	for (i = 0; i + 3 <= len; i += 3) {
		v = (u32)in[i] << 16 | (u32)in[i + 1] << 8 | in[i + 2];
		*out++ = digits[v >> 18];
		*out++ = digits[v >> 12 & 63];
		*out++ = digits[v >> 6 & 63];
		*out++ = digits[v & 63];
	}
	if (i < len) {
		v = (u32)in[i] << 16;
		if (i + 1 < len)
			v |= (u32)in[i + 1] << 8;
		*out++ = digits[v >> 18];
		*out++ = digits[v >> 12 & 63];
		*out++ = i + 1 < len ? digits[v >> 6 & 63] : '=';
		*out++ = '=';
	}
	*out = '\0';
}

static void put_be16(u8 *p, u16 x)
{
	p[0] = x >> 8;
	p[1] = x;
}

void ts_community_id(const struct ts_flow *f, u16 seed,
		     char buf[TS_COMMUNITY_ID_LEN])
{
	size_t alen = f->family == 4 ? 4 : 16;
	const u8 *a = f->src, *b = f->dst;
	u16 aport = f->sport, bport = f->dport;
	u8 msg[2 + 16 + 16 + 2 + 4], *p = msg;
	u8 digest[TS_SHA1_LEN];
	int cmp = memcmp(a, b, alen);

	/* The lesser endpoint first, so that both directions hash alike. */
	if (cmp > 0 || (cmp == 0 && aport > bport)) {
		a = f->dst;
		b = f->src;
		aport = f->dport;
		bport = f->sport;
	}
	put_be16(p, seed);
	p += 2;
	memcpy(p, a, alen);
	p += alen;
	memcpy(p, b, alen);
	p += alen;
	*p++ = f->proto;
	*p++ = 0;		/* the spec's padding byte */
	put_be16(p, aport);
	p += 2;
	put_be16(p, bport);
	p += 2;
	ts_sha1(msg, p - msg, digest);

	memcpy(buf, "1:", 2);
	base64(digest, sizeof(digest), buf + 2);
}
