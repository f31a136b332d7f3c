// SPDX-License-Identifier: GPL-2.0
/*
 * Community ID against the TCP flows of the spec's own baseline
 * (community-id-spec/baseline/baseline_deflt.json for seed 0,
 * baseline_seed1.json for seed 1), each in both directions.
 */
#include <arpa/inet.h>
#include <netinet/in.h>

#include "kselftest_harness.h"
#include "community_id.h"

static struct ts_flow tcp_flow(const char *src, u16 sport, const char *dst,
			       u16 dport)
{
	struct ts_flow f = { .proto = IPPROTO_TCP };
	int af = strchr(src, ':') ? AF_INET6 : AF_INET;

	f.family = af == AF_INET ? 4 : 6;
	f.sport = sport;
	f.dport = dport;
	if (inet_pton(af, src, f.src) != 1 || inet_pton(af, dst, f.dst) != 1)
		abort();
	return f;
}

/* The flow's ID, and the same from the other direction. */
static void check_cid(struct __test_metadata *_metadata, const char *want,
		      u16 seed, const char *src, u16 sport, const char *dst,
		      u16 dport)
{
	struct ts_flow f = tcp_flow(src, sport, dst, dport);
	char id[TS_COMMUNITY_ID_LEN];

	ts_community_id(&f, seed, id);
	EXPECT_STREQ(want, id);
	f = tcp_flow(dst, dport, src, sport);
	ts_community_id(&f, seed, id);
	EXPECT_STREQ(want, id) {
		TH_LOG("reversed");
	}
}

#define V6_A "2001:470:e5bf:dead:4957:2174:e82c:4887"
#define V6_B "2607:f8b0:400c:c03::1a"

TEST(baseline_tcp_ipv4)
{
	check_cid(_metadata, "1:LQU9qZlK+B5F3KDmev6m5PMibrg=", 0,
		  "128.232.110.120", 34855, "66.35.250.204", 80);
}

TEST(baseline_tcp_ipv6)
{
	check_cid(_metadata, "1:/qFaeAR+gFe1KYjMzVDsMv+wgU4=", 0,
		  V6_A, 63943, V6_B, 25);
}

TEST(baseline_seed1)
{
	check_cid(_metadata, "1:3V71V58M3Ksw/yuFALMcW0LAHvc=", 1,
		  "128.232.110.120", 34855, "66.35.250.204", 80);
	check_cid(_metadata, "1:eJYTW6AOzFLlSUoESovMjnu7rMw=", 1,
		  V6_A, 63943, V6_B, 25);
}

/* Over loopback both ends share an address: the ports decide the order. */
TEST(same_address_ordered_by_port)
{
	check_cid(_metadata, "1:7DU9a6KI5YDLg5Jv3pcpw3/wdbw=", 0,
		  "127.0.0.1", 40000, "127.0.0.1", 8000);
}

/* What lies past an IPv4 address is not hashed. */
TEST(ipv4_ignores_the_rest_of_the_buffer)
{
	struct ts_flow f = tcp_flow("128.232.110.120", 34855,
				    "66.35.250.204", 80);
	char id[TS_COMMUNITY_ID_LEN];

	memset(f.src + 4, 0xaa, 12);
	memset(f.dst + 4, 0x55, 12);
	ts_community_id(&f, 0, id);
	EXPECT_STREQ("1:LQU9qZlK+B5F3KDmev6m5PMibrg=", id);
}

TEST_HARNESS_MAIN
