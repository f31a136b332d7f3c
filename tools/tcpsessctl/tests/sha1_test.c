// SPDX-License-Identifier: GPL-2.0
/*
 * SHA-1 against the FIPS 180 examples ("abc", the 448-bit and 896-bit
 * messages, a million 'a'), and against digests hashlib computed for the
 * lengths where the padding spills into a second block.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "sha1.h"

static void hex(const u8 *d, char *out)
{
	unsigned int i;

	for (i = 0; i < TS_SHA1_LEN; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
}

/* The digest of len bytes of msg, fed in pieces of at most chunk bytes. */
static void digest_hex(const void *msg, size_t len, size_t chunk, char *out)
{
	const u8 *p = msg;
	struct ts_sha1 c;
	u8 d[TS_SHA1_LEN];
	size_t n;

	ts_sha1_init(&c);
	for (; len; p += n, len -= n) {
		n = len < chunk ? len : chunk;
		ts_sha1_update(&c, p, n);
	}
	ts_sha1_final(&c, d);
	hex(d, out);
}

/* The digest whole, and in pieces that straddle the blocks every way. */
static void check_sha1(struct __test_metadata *_metadata, const char *want,
		       const void *msg, size_t len)
{
	static const size_t chunks[] = { SIZE_MAX, 1, 3, 63, 64, 65 };
	char got[2 * TS_SHA1_LEN + 1];
	unsigned int i;
	u8 d[TS_SHA1_LEN];

	ts_sha1(msg, len, d);
	hex(d, got);
	EXPECT_STREQ(want, got);
	for (i = 0; i < ARRAY_SIZE(chunks); i++) {
		digest_hex(msg, len, chunks[i], got);
		EXPECT_STREQ(want, got) {
			TH_LOG("%zu bytes in pieces of %zu", len, chunks[i]);
		}
	}
}

TEST(fips_abc)
{
	check_sha1(_metadata, "a9993e364706816aba3e25717850c26c9cd0d89d",
		   "abc", 3);
}

TEST(fips_448_bits)
{
	static const char msg[] =
		"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

	ASSERT_EQ(448 / 8, strlen(msg));
	check_sha1(_metadata, "84983e441c3bd26ebaae4aa1f95129e5e54670f1",
		   msg, strlen(msg));
}

TEST(fips_896_bits)
{
	char msg[896 / 8 + 1];
	unsigned int i, j;

	/* "abcdefgh" "bcdefghi" ... "nopqrstu", as FIPS writes it out. */
	for (i = 0; i < 14; i++)
		for (j = 0; j < 8; j++)
			msg[8 * i + j] = 'a' + i + j;
	msg[896 / 8] = '\0';
	ASSERT_EQ(0, strncmp(msg, "abcdefghbcdefghi", 16));
	ASSERT_STREQ("nopqrstu", msg + 104);
	check_sha1(_metadata, "a49b2446a02c645bf419f995b67091253a04a259",
		   msg, strlen(msg));
}

TEST(fips_million_a)
{
	size_t len = 1000000;
	char *msg = malloc(len);

	ASSERT_NE(NULL, msg);
	memset(msg, 'a', len);
	check_sha1(_metadata, "34aa973cd4c4daa4f61eeb2bdbad27316534016f",
		   msg, len);
	free(msg);
}

/* 55 bytes leave room for the length; 56 do not; 64 fill a block. */
TEST(padding_edges)
{
	char msg[64];

	memset(msg, 'a', sizeof(msg));
	check_sha1(_metadata, "da39a3ee5e6b4b0d3255bfef95601890afd80709",
		   msg, 0);
	check_sha1(_metadata, "c1c8bbdc22796e28c0e15163d20899b65621d65a",
		   msg, 55);
	check_sha1(_metadata, "c2db330f6083854c99d4b5bfb6e8f29f201be699",
		   msg, 56);
	check_sha1(_metadata, "0098ba824b5c16427bd7a1122a5a442a25ec644d",
		   msg, 64);
}

TEST_HARNESS_MAIN
