// SPDX-License-Identifier: GPL-2.0
/*
 * Filters: what each accepts, and that a monitor matches events the way
 * the kernel matches a dump.
 */
#include <arpa/inet.h>
#include <string.h>

#include "kselftest_harness.h"
#include "filter.h"

static int set(struct ts_filter *f, enum ts_filter_opt opt, const char *value)
{
	char err[256];

	return ts_filter_set(f, opt, value, err, sizeof(err));
}

/* The error message of setting value on f, into err. */
static const char *set_err(struct ts_filter *f, enum ts_filter_opt opt,
			   const char *value, char *err, size_t len)
{
	err[0] = '\0';
	if (!ts_filter_set(f, opt, value, err, len))
		return "(no error)";
	return err;
}

TEST(af_values)
{
	static const struct {
		const char *text;
		unsigned int family;
	} good[] = {
		{ "4", 4 }, { "6", 6 }, { "inet", 4 }, { "inet6", 6 },
		{ "ipv4", 4 }, { "ipv6", 6 },
	};
	static const char *const bad[] = { "", "5", "04", "IPv4", "inet4", "46" };
	struct ts_filter f;
	char err[256];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(good); i++) {
		memset(&f, 0, sizeof(f));
		ASSERT_EQ(0, set(&f, TS_FILTER_AF, good[i].text));
		ASSERT_EQ(good[i].family, f.family);
	}
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		memset(&f, 0, sizeof(f));
		ASSERT_NE(NULL, strstr(set_err(&f, TS_FILTER_AF, bad[i], err,
					       sizeof(err)),
				       "expected 4 or 6"));
		ASSERT_EQ(0, f.family);
	}
}

TEST(addr_values_set_the_family)
{
	struct ts_filter f = { 0 };
	u8 want[16];

	ASSERT_EQ(0, set(&f, TS_FILTER_ADDR, "192.0.2.1"));
	ASSERT_EQ(4, f.family);
	ASSERT_TRUE(f.has_addr);
	ASSERT_EQ(1, inet_pton(AF_INET, "192.0.2.1", want));
	ASSERT_EQ(0, memcmp(want, f.addr, 4));
	/* The rest stays zero: the kernel compares whole addresses. */
	ASSERT_EQ(0, f.addr[4] | f.addr[15]);

	memset(&f, 0, sizeof(f));
	ASSERT_EQ(0, set(&f, TS_FILTER_ADDR, "2001:0db8:0:0::0001"));
	ASSERT_EQ(6, f.family);
	ASSERT_EQ(1, inet_pton(AF_INET6, "2001:db8::1", want));
	ASSERT_EQ(0, memcmp(want, f.addr, 16));

	memset(&f, 0, sizeof(f));
	ASSERT_EQ(0, set(&f, TS_FILTER_ADDR, "::ffff:192.0.2.1"));
	ASSERT_EQ(6, f.family);
}

TEST(addr_bad_values)
{
	static const char *const bad[] = {
		"", "192.0.2", "192.0.2.256", "192.0.2.1/24", "2001:db8::1::2",
		"localhost", " 192.0.2.1", "[::1]", "fe80::1%eth0",
	};
	struct ts_filter f;
	char err[256];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		memset(&f, 0, sizeof(f));
		ASSERT_NE(NULL, strstr(set_err(&f, TS_FILTER_ADDR, bad[i], err,
					       sizeof(err)),
				       "invalid address")) {
			TH_LOG("%s: %s", bad[i], err);
		}
		ASSERT_FALSE(f.has_addr);
	}
}

TEST(af_and_addr_must_agree)
{
	struct ts_filter f = { 0 };
	char err[256];

	ASSERT_EQ(0, set(&f, TS_FILTER_AF, "4"));
	ASSERT_STREQ("--addr ::1 is not an IPv4 address (--af 4)",
		     set_err(&f, TS_FILTER_ADDR, "::1", err, sizeof(err)));
	ASSERT_EQ(0, set(&f, TS_FILTER_ADDR, "10.0.0.1"));

	memset(&f, 0, sizeof(f));
	ASSERT_EQ(0, set(&f, TS_FILTER_ADDR, "::1"));
	ASSERT_STREQ("--af 4 contradicts --addr, an IPv6 address",
		     set_err(&f, TS_FILTER_AF, "4", err, sizeof(err)));
	ASSERT_EQ(0, set(&f, TS_FILTER_AF, "6"));
	ASSERT_EQ(6, f.family);
}

TEST(port_values)
{
	static const char *const bad[] = {
		"", "65536", "-1", "+80", "80x", "0x50", " 80", "http",
		"99999999999999999999",
	};
	struct ts_filter f = { 0 };
	char err[256];
	unsigned int i;

	ASSERT_EQ(0, set(&f, TS_FILTER_PORT, "0"));
	ASSERT_TRUE(f.has_port);
	ASSERT_EQ(0, f.port);
	memset(&f, 0, sizeof(f));
	ASSERT_EQ(0, set(&f, TS_FILTER_PORT, "65535"));
	ASSERT_EQ(65535, f.port);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		memset(&f, 0, sizeof(f));
		ASSERT_NE(NULL, strstr(set_err(&f, TS_FILTER_PORT, bad[i], err,
					       sizeof(err)),
				       "expected 0 to 65535"));
		ASSERT_FALSE(f.has_port);
	}
}

TEST(state_values)
{
	static const struct {
		const char *text;
		unsigned int state;
	} good[] = {
		{ "ESTABLISHED", TCPSESS_STATE_ESTABLISHED },
		{ "established", TCPSESS_STATE_ESTABLISHED },
		{ "time_wait", TCPSESS_STATE_TIME_WAIT },
		{ "time-wait", TCPSESS_STATE_TIME_WAIT },
		{ "Syn_Sent", TCPSESS_STATE_SYN_SENT },
		{ "closed", TCPSESS_STATE_CLOSED },
		{ "fin-wait-1", TCPSESS_STATE_FIN_WAIT_1 },
	};
	static const char *const bad[] = {
		"", "NONE", "none", "LISTEN", "ESTABLISHED ", "timewait",
		"an_absurdly_long_state_name_that_is_longer_than_any_buffer",
	};
	struct ts_filter f;
	char err[256];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(good); i++) {
		memset(&f, 0, sizeof(f));
		ASSERT_EQ(0, set(&f, TS_FILTER_STATE, good[i].text));
		ASSERT_EQ(good[i].state, f.state);
	}
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		memset(&f, 0, sizeof(f));
		set_err(&f, TS_FILTER_STATE, bad[i], err, sizeof(err));
		ASSERT_NE(NULL, strstr(err, "invalid state")) {
			TH_LOG("%s: %s", bad[i], err);
		}
		/* The message lists what would do. */
		ASSERT_NE(NULL, strstr(err, "SYN_SENT SYN_RECV ESTABLISHED"));
		ASSERT_NE(NULL, strstr(err, "TIME_WAIT CLOSED"));
		ASSERT_EQ(0, f.state);
	}
}

TEST(each_filter_once)
{
	struct ts_filter f = { 0 };
	char err[256];

	ASSERT_EQ(0, set(&f, TS_FILTER_AF, "4"));
	ASSERT_STREQ("--af given twice",
		     set_err(&f, TS_FILTER_AF, "4", err, sizeof(err)));
	ASSERT_EQ(0, set(&f, TS_FILTER_ADDR, "10.0.0.1"));
	ASSERT_STREQ("--addr given twice",
		     set_err(&f, TS_FILTER_ADDR, "10.0.0.2", err, sizeof(err)));
	ASSERT_EQ(0, set(&f, TS_FILTER_PORT, "1"));
	ASSERT_STREQ("--port given twice",
		     set_err(&f, TS_FILTER_PORT, "1", err, sizeof(err)));
	ASSERT_EQ(0, set(&f, TS_FILTER_STATE, "closed"));
	ASSERT_STREQ("--state given twice",
		     set_err(&f, TS_FILTER_STATE, "closed", err, sizeof(err)));

	/* An --addr sets the family, but --af may still be given once. */
	memset(&f, 0, sizeof(f));
	ASSERT_EQ(0, set(&f, TS_FILTER_ADDR, "10.0.0.1"));
	ASSERT_EQ(0, set(&f, TS_FILTER_AF, "4"));
}

static struct ts_session v4_session(void)
{
	struct ts_session s = { 0 };

	s.present = TS_BIT(TCPSESS_SESSION_ID) | TS_BIT(TCPSESS_SESSION_FAMILY) |
		    TS_BIT(TCPSESS_SESSION_SRC_ADDR) |
		    TS_BIT(TCPSESS_SESSION_SRC_PORT) |
		    TS_BIT(TCPSESS_SESSION_DST_ADDR) |
		    TS_BIT(TCPSESS_SESSION_DST_PORT) |
		    TS_BIT(TCPSESS_SESSION_STATE);
	s.id = 17;
	s.family = 4;
	inet_pton(AF_INET, "10.0.0.1", s.src);
	inet_pton(AF_INET, "10.0.0.2", s.dst);
	s.sport = 40000;
	s.dport = 80;
	s.state = TCPSESS_STATE_ESTABLISHED;
	return s;
}

static bool matches(const struct ts_session *s, const char *af,
		    const char *addr, const char *port, const char *state)
{
	struct ts_filter f = { 0 };

	if ((af && set(&f, TS_FILTER_AF, af)) ||
	    (addr && set(&f, TS_FILTER_ADDR, addr)) ||
	    (port && set(&f, TS_FILTER_PORT, port)) ||
	    (state && set(&f, TS_FILTER_STATE, state)))
		return false;
	return ts_filter_match(&f, s);
}

TEST(match_each_filter)
{
	struct ts_session s = v4_session();
	struct ts_filter none = { 0 };

	ASSERT_TRUE(ts_filter_empty(&none));
	ASSERT_TRUE(ts_filter_match(&none, &s));

	ASSERT_TRUE(matches(&s, "4", NULL, NULL, NULL));
	ASSERT_FALSE(matches(&s, "6", NULL, NULL, NULL));
	/* Either endpoint. */
	ASSERT_TRUE(matches(&s, NULL, "10.0.0.1", NULL, NULL));
	ASSERT_TRUE(matches(&s, NULL, "10.0.0.2", NULL, NULL));
	ASSERT_FALSE(matches(&s, NULL, "10.0.0.3", NULL, NULL));
	ASSERT_FALSE(matches(&s, NULL, "::ffff:10.0.0.1", NULL, NULL));
	ASSERT_TRUE(matches(&s, NULL, NULL, "80", NULL));
	ASSERT_TRUE(matches(&s, NULL, NULL, "40000", NULL));
	ASSERT_FALSE(matches(&s, NULL, NULL, "8080", NULL));
	ASSERT_TRUE(matches(&s, NULL, NULL, NULL, "ESTABLISHED"));
	ASSERT_FALSE(matches(&s, NULL, NULL, NULL, "SYN_SENT"));
	/* All of them. */
	ASSERT_TRUE(matches(&s, "4", "10.0.0.2", "40000", "established"));
	ASSERT_FALSE(matches(&s, "4", "10.0.0.2", "40001", "established"));
}

TEST(match_ipv6)
{
	struct ts_session s = v4_session();

	s.family = 6;
	inet_pton(AF_INET6, "2001:db8::1", s.src);
	inet_pton(AF_INET6, "2001:db8::2", s.dst);
	ASSERT_TRUE(matches(&s, "6", "2001:db8::2", NULL, NULL));
	ASSERT_FALSE(matches(&s, "4", NULL, NULL, NULL));
	ASSERT_FALSE(matches(&s, NULL, "2001:db8::3", NULL, NULL));
	/* Equal first four bytes are no match of a v4 address. */
	ASSERT_FALSE(matches(&s, NULL, "32.1.13.184", NULL, NULL));
}

/* An INVALID event without a session has endpoints but no state. */
TEST(match_what_is_absent)
{
	struct ts_session s = v4_session();

	s.present &= ~(TS_BIT(TCPSESS_SESSION_ID) |
		       TS_BIT(TCPSESS_SESSION_STATE));
	ASSERT_TRUE(matches(&s, NULL, "10.0.0.1", "80", NULL));
	ASSERT_FALSE(matches(&s, NULL, NULL, NULL, "ESTABLISHED"));

	s.present = 0;
	ASSERT_FALSE(matches(&s, "4", NULL, NULL, NULL));
	ASSERT_FALSE(matches(&s, NULL, "10.0.0.1", NULL, NULL));
	ASSERT_FALSE(matches(&s, NULL, NULL, "80", NULL));
	ASSERT_TRUE(matches(&s, NULL, NULL, NULL, NULL));
}

TEST_HARNESS_MAIN
