// SPDX-License-Identifier: GPL-2.0
/*
 * Seeded randomness for the tcpsess netlink fuzzing: a generator that
 * replays from its seed on any libc, and random attribute soup.
 */
#include <string.h>
#include <linux/netlink.h>
#include <linux/tcpsess.h>

#include "tcpsess_rand.h"

u32 rng_u32(struct rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return (r->s * 0x2545f4914f6cdd1dULL) >> 32;
}

u32 rng_below(struct rng *r, u32 n)
{
	return n ? rng_u32(r) % n : 0;
}

void rng_fill(struct rng *r, unsigned char *p, size_t len)
{
	while (len--)
		*p++ = rng_u32(r);
}

/* Values at and around the edges the module checks. */
static const u64 interesting[] = {
	0, 1, 2, 4, 6, 9, 10, 16, 99, 255, 0xffff,
	TCPSESS_MAX_SESSIONS_LIMIT, TCPSESS_MAX_SESSIONS_LIMIT + 1ULL,
	TCPSESS_TIMEOUT_LIMIT, TCPSESS_TIMEOUT_LIMIT + 1ULL,
	TCPSESS_EVENT_RATE_LIMIT, TCPSESS_EVENT_RATE_LIMIT + 1ULL,
	0xffffffffULL, ~0ULL,
};

static u16 soup_type(struct rng *r)
{
	u16 type;

	switch (rng_below(r, 8)) {
	case 0:
		type = rng_u32(r) & NLA_TYPE_MASK;
		break;
	case 1:
		type = 200;
		break;
	default:
		/* Low numbers are valid somewhere: top level, config, filter, timeouts. */
		type = rng_below(r, TCPSESS_A_MAX + 3);
		break;
	}
	if (!rng_below(r, 16))
		type |= NLA_F_NET_BYTEORDER;
	return type;
}

static size_t soup_value(struct rng *r, unsigned char *p, size_t room)
{
	static const unsigned char sizes[] = { 0, 1, 2, 3, 4, 5, 8, 16, 17 };
	u64 v = interesting[rng_below(r, ARRAY_SIZE(interesting))];
	size_t len = sizes[rng_below(r, ARRAY_SIZE(sizes))];

	if (!rng_below(r, 4))
		len = rng_below(r, 64);
	if (len > room)
		len = room;
	rng_fill(r, p, len);
	if (rng_below(r, 2))
		memcpy(p, &v, len < sizeof(v) ? len : sizeof(v));
	return len;
}

/* A random run of attributes, nests and junk, some of them lying. */
size_t soup(struct rng *r, unsigned char *p, size_t room, unsigned int depth)
{
	size_t len = 0, plen, left, pad;
	struct nlattr nla;
	unsigned int kind;

	while (len < room && rng_below(r, 6)) {
		left = room - len;
		kind = rng_below(r, 12);
		if (left < NLA_HDRLEN || kind == 0) {
			plen = rng_below(r, (left < 16 ? left : 16) + 1);
			rng_fill(r, p + len, plen);
			len += plen;
			continue;
		}
		nla.nla_type = soup_type(r);
		if (kind <= 4 && depth < 3) {
			plen = soup(r, p + len + NLA_HDRLEN, left - NLA_HDRLEN, depth + 1);
			if (rng_below(r, 8))
				nla.nla_type |= NLA_F_NESTED;
		} else {
			plen = soup_value(r, p + len + NLA_HDRLEN, left - NLA_HDRLEN);
			if (!rng_below(r, 16))
				nla.nla_type |= NLA_F_NESTED;
		}
		nla.nla_len = NLA_HDRLEN + plen;
		if (kind == 11)
			nla.nla_len = rng_below(r, 2) ? rng_below(r, NLA_HDRLEN) :
							rng_u32(r);
		memcpy(p + len, &nla, sizeof(nla));
		len += NLA_HDRLEN + plen;
		pad = NLA_ALIGN(len) - len;
		if (pad <= room - len && rng_below(r, 8)) {
			memset(p + len, 0, pad);
			len += pad;
		}
	}
	return len;
}
