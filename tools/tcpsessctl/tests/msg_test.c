// SPDX-License-Identifier: GPL-2.0
/*
 * The messages: replies and events built as the kernel builds them must
 * decode to what was put in; anything malformed must be refused, never
 * read out of bounds; requests must carry what the uapi header says;
 * extended acks must yield their message and offset.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <linux/genetlink.h>

#include "kselftest_harness.h"
#include "config.h"
#include "msg.h"
#include "nl.h"

#define FAMILY_ID 0x1234

struct msgbuf {
	union {
		char buf[8192];
		u64 align;
	};
};

static struct nlmsghdr *genl_msg(struct msgbuf *m, u16 type, u8 cmd)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;

	memset(m, 0, sizeof(*m));
	nlh = mnl_nlmsg_put_header(m->buf);
	nlh->nlmsg_type = type;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = TCPSESS_GENL_VERSION;
	return nlh;
}

/* A u64 as the kernel puts it: a PAD attribute first if need be. */
static void put_u64(struct nlmsghdr *nlh, u16 type, u64 value, u16 pad)
{
	if ((nlh->nlmsg_len + MNL_ATTR_HDRLEN) % 8)
		mnl_attr_put(nlh, pad, 0, NULL);
	mnl_attr_put_u64(nlh, type, value);
}

static void put_endpoints(struct nlmsghdr *nlh, unsigned int family,
			  const char *src, const char *dst)
{
	u8 a[16];
	int af = family == 4 ? AF_INET : AF_INET6;

	mnl_attr_put_u8(nlh, TCPSESS_SESSION_FAMILY, af);
	inet_pton(af, src, a);
	mnl_attr_put(nlh, TCPSESS_SESSION_SRC_ADDR, ts_addr_len(family), a);
	mnl_attr_put_u16(nlh, TCPSESS_SESSION_SRC_PORT, 40001);
	inet_pton(af, dst, a);
	mnl_attr_put(nlh, TCPSESS_SESSION_DST_ADDR, ts_addr_len(family), a);
	mnl_attr_put_u16(nlh, TCPSESS_SESSION_DST_PORT, 8000);
}

/* A whole session nest, as module/netlink.c writes it. */
static void put_session(struct nlmsghdr *nlh, bool rtts)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, TCPSESS_A_SESSION);
	const u16 pad = TCPSESS_SESSION_PAD;

	put_u64(nlh, TCPSESS_SESSION_ID, 17, pad);
	put_endpoints(nlh, 4, "10.1.0.1", "10.1.0.2");
	mnl_attr_put_u8(nlh, TCPSESS_SESSION_STATE, TCPSESS_STATE_TIME_WAIT);
	put_u64(nlh, TCPSESS_SESSION_AGE_MS, 444, pad);
	put_u64(nlh, TCPSESS_SESSION_IDLE_MS, 420, pad);
	put_u64(nlh, TCPSESS_SESSION_PKTS_ORIG, 9, pad);
	put_u64(nlh, TCPSESS_SESSION_BYTES_ORIG, 3000, pad);
	put_u64(nlh, TCPSESS_SESSION_PKTS_REPLY, 7, pad);
	put_u64(nlh, TCPSESS_SESSION_BYTES_REPLY, UINT64_MAX, pad);
	if (rtts) {
		mnl_attr_put_u32(nlh, TCPSESS_SESSION_RTT_SYN_US, 634);
		mnl_attr_put_u32(nlh, TCPSESS_SESSION_RTT_ACK_US, 761);
	}
	mnl_attr_put_u32(nlh, TCPSESS_SESSION_RETRANS_ORIG, 1);
	mnl_attr_put_u32(nlh, TCPSESS_SESSION_RETRANS_REPLY, 2);
	mnl_attr_put_strz(nlh, TCPSESS_SESSION_HISTORY, "ShADadFf");
	mnl_attr_put_u32(nlh, TCPSESS_SESSION_FLAGS, TCPSESS_F_SIMOPEN);
	put_u64(nlh, TCPSESS_SESSION_IPBYTES_ORIG, 3468, pad);
	put_u64(nlh, TCPSESS_SESSION_IPBYTES_REPLY, 364, pad);
	mnl_attr_nest_end(nlh, nest);
}

TEST(session_decoded_whole)
{
	struct msgbuf m;
	struct nlmsghdr *nlh = genl_msg(&m, FAMILY_ID, TCPSESS_CMD_GET_SESSIONS);
	struct ts_session s;
	u8 want[4];

	put_session(nlh, true);
	ASSERT_EQ(0, ts_parse_session_msg(nlh, &s));
	ASSERT_EQ(17, s.id);
	ASSERT_EQ(4, s.family);
	inet_pton(AF_INET, "10.1.0.1", want);
	ASSERT_EQ(0, memcmp(want, s.src, 4));
	inet_pton(AF_INET, "10.1.0.2", want);
	ASSERT_EQ(0, memcmp(want, s.dst, 4));
	ASSERT_EQ(40001, s.sport);
	ASSERT_EQ(8000, s.dport);
	ASSERT_EQ(TCPSESS_STATE_TIME_WAIT, s.state);
	ASSERT_EQ(444, s.age_ms);
	ASSERT_EQ(420, s.idle_ms);
	ASSERT_EQ(9, s.pkts[TCPSESS_DIR_ORIG]);
	ASSERT_EQ(3000, s.bytes[TCPSESS_DIR_ORIG]);
	ASSERT_EQ(7, s.pkts[TCPSESS_DIR_REPLY]);
	ASSERT_EQ(UINT64_MAX, s.bytes[TCPSESS_DIR_REPLY]);
	ASSERT_EQ(634, s.rtt_syn_us);
	ASSERT_EQ(761, s.rtt_ack_us);
	ASSERT_EQ(1, s.retrans[TCPSESS_DIR_ORIG]);
	ASSERT_EQ(2, s.retrans[TCPSESS_DIR_REPLY]);
	ASSERT_STREQ("ShADadFf", s.history);
	ASSERT_EQ(TCPSESS_F_SIMOPEN, s.flags);
	ASSERT_EQ(3468, s.ipbytes[TCPSESS_DIR_ORIG]);
	ASSERT_EQ(364, s.ipbytes[TCPSESS_DIR_REPLY]);
	/* Every attribute but UNSPEC and PAD was seen. */
	ASSERT_EQ(TS_BIT(__TCPSESS_SESSION_MAX) - 1 - TS_BIT(TCPSESS_SESSION_UNSPEC) -
		  TS_BIT(TCPSESS_SESSION_PAD), s.present);
}

TEST(session_unmeasured_rtts_are_absent)
{
	struct msgbuf m;
	struct nlmsghdr *nlh = genl_msg(&m, FAMILY_ID, TCPSESS_CMD_GET_SESSIONS);
	struct ts_session s;

	put_session(nlh, false);
	ASSERT_EQ(0, ts_parse_session_msg(nlh, &s));
	ASSERT_FALSE(ts_has(&s, TCPSESS_SESSION_RTT_SYN_US));
	ASSERT_FALSE(ts_has(&s, TCPSESS_SESSION_RTT_ACK_US));
	ASSERT_TRUE(ts_has(&s, TCPSESS_SESSION_FLAGS));
}

TEST(session_ipv6_and_inferred_family)
{
	struct msgbuf m;
	struct nlmsghdr *nlh = genl_msg(&m, FAMILY_ID, TCPSESS_CMD_GET_SESSIONS);
	struct nlattr *nest = mnl_attr_nest_start(nlh, TCPSESS_A_SESSION);
	struct ts_session s;
	u8 a[16];

	inet_pton(AF_INET6, "2001:db8::1", a);
	mnl_attr_put(nlh, TCPSESS_SESSION_SRC_ADDR, 16, a);
	mnl_attr_nest_end(nlh, nest);
	ASSERT_EQ(0, ts_parse_session_msg(nlh, &s));
	ASSERT_EQ(6, s.family);
	ASSERT_TRUE(ts_has(&s, TCPSESS_SESSION_FAMILY));
	ASSERT_EQ(0, memcmp(a, s.src, 16));
	ASSERT_FALSE(ts_has(&s, TCPSESS_SESSION_DST_ADDR));
}

TEST(session_unknown_attributes_skipped)
{
	struct msgbuf m;
	struct nlmsghdr *nlh = genl_msg(&m, FAMILY_ID, TCPSESS_CMD_GET_SESSIONS);
	struct nlattr *nest;
	struct ts_session s;

	mnl_attr_put_u32(nlh, 200, 1);		/* a newer top-level attr */
	nest = mnl_attr_nest_start(nlh, TCPSESS_A_SESSION);
	put_u64(nlh, TCPSESS_SESSION_ID, 3, TCPSESS_SESSION_PAD);
	mnl_attr_put(nlh, __TCPSESS_SESSION_MAX, 7, "abcdefg");
	mnl_attr_put_u64(nlh, 300, 1);
	mnl_attr_nest_end(nlh, nest);
	ASSERT_EQ(0, ts_parse_session_msg(nlh, &s));
	ASSERT_EQ(3, s.id);
	ASSERT_EQ(TS_BIT(TCPSESS_SESSION_ID), s.present);
}

TEST(session_long_history_is_cut)
{
	struct msgbuf m;
	struct nlmsghdr *nlh = genl_msg(&m, FAMILY_ID, TCPSESS_CMD_GET_SESSIONS);
	struct nlattr *nest = mnl_attr_nest_start(nlh, TCPSESS_A_SESSION);
	char history[100];
	struct ts_session s;

	memset(history, 'S', sizeof(history) - 1);
	history[sizeof(history) - 1] = '\0';
	mnl_attr_put_strz(nlh, TCPSESS_SESSION_HISTORY, history);
	mnl_attr_nest_end(nlh, nest);
	ASSERT_EQ(0, ts_parse_session_msg(nlh, &s));
	ASSERT_EQ(TS_HISTORY_LEN - 1, strlen(s.history));
}

/* One malformed attribute in an otherwise good session nest. */
static int parse_with(void (*put)(struct nlmsghdr *nlh))
{
	struct msgbuf m;
	struct nlmsghdr *nlh = genl_msg(&m, FAMILY_ID, TCPSESS_CMD_GET_SESSIONS);
	struct nlattr *nest = mnl_attr_nest_start(nlh, TCPSESS_A_SESSION);
	struct ts_session s;

	put_u64(nlh, TCPSESS_SESSION_ID, 3, TCPSESS_SESSION_PAD);
	put(nlh);
	mnl_attr_nest_end(nlh, nest);
	return ts_parse_session_msg(nlh, &s);
}

static void short_id(struct nlmsghdr *nlh)
{
	mnl_attr_put_u32(nlh, TCPSESS_SESSION_AGE_MS, 1);
}

static void long_port(struct nlmsghdr *nlh)
{
	mnl_attr_put_u32(nlh, TCPSESS_SESSION_SRC_PORT, 80);
}

static void bad_family(struct nlmsghdr *nlh)
{
	/* The client's own 4 is no family on the wire. */
	mnl_attr_put_u8(nlh, TCPSESS_SESSION_FAMILY, 4);
}

static void odd_addr(struct nlmsghdr *nlh)
{
	mnl_attr_put(nlh, TCPSESS_SESSION_DST_ADDR, 5, "\1\2\3\4\5");
}

static void v4_family_v6_addr(struct nlmsghdr *nlh)
{
	u8 a[16] = { 0 };

	mnl_attr_put_u8(nlh, TCPSESS_SESSION_FAMILY, AF_INET);
	mnl_attr_put(nlh, TCPSESS_SESSION_SRC_ADDR, 16, a);
}

static void mixed_addrs(struct nlmsghdr *nlh)
{
	u8 a[16] = { 0 };

	mnl_attr_put(nlh, TCPSESS_SESSION_SRC_ADDR, 4, a);
	mnl_attr_put(nlh, TCPSESS_SESSION_DST_ADDR, 16, a);
}

static void unterminated_history(struct nlmsghdr *nlh)
{
	mnl_attr_put(nlh, TCPSESS_SESSION_HISTORY, 3, "ShA");
}

static void empty_history(struct nlmsghdr *nlh)
{
	mnl_attr_put(nlh, TCPSESS_SESSION_HISTORY, 0, NULL);
}

static void short_flags(struct nlmsghdr *nlh)
{
	mnl_attr_put_u16(nlh, TCPSESS_SESSION_FLAGS, 1);
}

TEST(session_malformed_refused)
{
	ASSERT_EQ(-EINVAL, parse_with(short_id));
	ASSERT_EQ(-EINVAL, parse_with(long_port));
	ASSERT_EQ(-EINVAL, parse_with(bad_family));
	ASSERT_EQ(-EINVAL, parse_with(odd_addr));
	ASSERT_EQ(-EINVAL, parse_with(v4_family_v6_addr));
	ASSERT_EQ(-EINVAL, parse_with(mixed_addrs));
	ASSERT_EQ(-EINVAL, parse_with(unterminated_history));
	ASSERT_EQ(-EINVAL, parse_with(empty_history));
	ASSERT_EQ(-EINVAL, parse_with(short_flags));
}

TEST(session_message_without_session)
{
	struct msgbuf m;
	struct nlmsghdr *nlh = genl_msg(&m, FAMILY_ID, TCPSESS_CMD_GET_SESSIONS);
	struct ts_session s;

	ASSERT_EQ(-EINVAL, ts_parse_session_msg(nlh, &s));
	/* Shorter than its own genetlink header. */
	nlh->nlmsg_len = MNL_NLMSG_HDRLEN + 2;
	ASSERT_EQ(-EINVAL, ts_parse_session_msg(nlh, &s));
	/* A session that is not a nest. */
	nlh = genl_msg(&m, FAMILY_ID, TCPSESS_CMD_GET_SESSIONS);
	mnl_attr_put(nlh, TCPSESS_A_SESSION, 2, "xx");
	ASSERT_EQ(-EINVAL, ts_parse_session_msg(nlh, &s));
}

TEST(event_decoded)
{
	struct msgbuf m;
	struct nlmsghdr *nlh = genl_msg(&m, FAMILY_ID, TCPSESS_CMD_EVENT);
	struct ts_event ev;

	mnl_attr_put_u8(nlh, TCPSESS_A_EVENT, TCPSESS_EVENT_STATE);
	put_u64(nlh, TCPSESS_A_EVENT_SEQ, 123456789012ULL, TCPSESS_A_PAD);
	mnl_attr_put_u8(nlh, TCPSESS_A_OLD_STATE, TCPSESS_STATE_SYN_RECV);
	put_session(nlh, true);
	ASSERT_EQ(0, ts_parse_event(nlh, &ev));
	ASSERT_EQ(TCPSESS_EVENT_STATE, ev.type);
	ASSERT_EQ(123456789012ULL, ev.seq);
	ASSERT_EQ(TCPSESS_STATE_SYN_RECV, ev.old_state);
	ASSERT_TRUE(ts_event_has(&ev, TCPSESS_A_SESSION));
	ASSERT_FALSE(ts_event_has(&ev, TCPSESS_A_REASON));
	ASSERT_FALSE(ts_event_has(&ev, TCPSESS_A_DIR));
	ASSERT_EQ(17, ev.s.id);
	ASSERT_EQ(TCPSESS_STATE_TIME_WAIT, ev.s.state);
}

TEST(event_invalid_without_session)
{
	struct msgbuf m;
	struct nlmsghdr *nlh = genl_msg(&m, FAMILY_ID, TCPSESS_CMD_EVENT);
	struct nlattr *nest;
	struct ts_event ev;

	mnl_attr_put_u8(nlh, TCPSESS_A_EVENT, TCPSESS_EVENT_INVALID);
	put_u64(nlh, TCPSESS_A_EVENT_SEQ, 5, TCPSESS_A_PAD);
	mnl_attr_put_u8(nlh, TCPSESS_A_REASON, TCPSESS_INVALID_MIDSTREAM);
	nest = mnl_attr_nest_start(nlh, TCPSESS_A_SESSION);
	put_endpoints(nlh, 6, "2001:db8::1", "2001:db8::2");
	mnl_attr_nest_end(nlh, nest);
	ASSERT_EQ(0, ts_parse_event(nlh, &ev));
	ASSERT_EQ(TCPSESS_INVALID_MIDSTREAM, ev.reason);
	ASSERT_FALSE(ts_has(&ev.s, TCPSESS_SESSION_ID));
	ASSERT_FALSE(ts_has(&ev.s, TCPSESS_SESSION_STATE));
	ASSERT_EQ(6, ev.s.family);
	ASSERT_EQ(8000, ev.s.dport);
}

TEST(event_malformed_refused)
{
	struct msgbuf m;
	struct nlmsghdr *nlh;
	struct ts_event ev;

	/* No event type. */
	nlh = genl_msg(&m, FAMILY_ID, TCPSESS_CMD_EVENT);
	put_u64(nlh, TCPSESS_A_EVENT_SEQ, 5, TCPSESS_A_PAD);
	ASSERT_EQ(-EINVAL, ts_parse_event(nlh, &ev));
	/* Not an event. */
	nlh = genl_msg(&m, FAMILY_ID, TCPSESS_CMD_GET_SESSIONS);
	mnl_attr_put_u8(nlh, TCPSESS_A_EVENT, TCPSESS_EVENT_NEW);
	ASSERT_EQ(-EINVAL, ts_parse_event(nlh, &ev));
	/* A sequence number of the wrong size. */
	nlh = genl_msg(&m, FAMILY_ID, TCPSESS_CMD_EVENT);
	mnl_attr_put_u8(nlh, TCPSESS_A_EVENT, TCPSESS_EVENT_NEW);
	mnl_attr_put_u32(nlh, TCPSESS_A_EVENT_SEQ, 5);
	ASSERT_EQ(-EINVAL, ts_parse_event(nlh, &ev));
	/* A bad session inside. */
	nlh = genl_msg(&m, FAMILY_ID, TCPSESS_CMD_EVENT);
	mnl_attr_put_u8(nlh, TCPSESS_A_EVENT, TCPSESS_EVENT_NEW);
	mnl_attr_put_u8(nlh, TCPSESS_A_SESSION, 1);
	ASSERT_EQ(-EINVAL, ts_parse_event(nlh, &ev));
}

static void put_array(struct nlmsghdr *nlh, u16 type, unsigned int first,
		      unsigned int end, u64 base)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, type);
	unsigned int i;

	for (i = first; i < end; i++)
		put_u64(nlh, i, base + i, TCPSESS_STATS_INDEX_PAD);
	mnl_attr_nest_end(nlh, nest);
}

TEST(stats_decoded)
{
	struct msgbuf m;
	struct nlmsghdr *nlh = genl_msg(&m, FAMILY_ID, TCPSESS_CMD_GET_STATS);
	struct nlattr *nest = mnl_attr_nest_start(nlh, TCPSESS_A_STATS);
	struct ts_stats st;
	unsigned int i;

	/* Types past each enum's end are counters a newer module added. */
	put_array(nlh, TCPSESS_STATS_COUNTERS, 1, __TCPSESS_STAT_MAX + 3, 1000);
	/* Type 0 is padding, even if it is sent with a value. */
	put_array(nlh, TCPSESS_STATS_STATES, 0, __TCPSESS_STATE_MAX, 2000);
	put_array(nlh, TCPSESS_STATS_INVALID, 1, __TCPSESS_INVALID_MAX + 1, 3000);
	/* Buckets past the last known bound are ones a newer module added. */
	put_array(nlh, TCPSESS_STATS_RTT_SYN, 0, __TCPSESS_RTT_HIST_MAX + 2, 4000);
	put_array(nlh, TCPSESS_STATS_RTT_ACK, 1, __TCPSESS_RTT_HIST_MAX, 5000);
	mnl_attr_nest_end(nlh, nest);
	ASSERT_EQ(0, ts_parse_stats(nlh, &st));
	ASSERT_EQ(TS_BIT(__TCPSESS_STAT_MAX) - 2, st.has_counter);
	for (i = 1; i < __TCPSESS_STAT_MAX; i++)
		ASSERT_EQ(1000 + i, st.counter[i]);
	ASSERT_EQ(TS_BIT(__TCPSESS_STATE_MAX) - 2, st.has_state);
	ASSERT_EQ(2000 + TCPSESS_STATE_CLOSED, st.state[TCPSESS_STATE_CLOSED]);
	ASSERT_EQ(TS_BIT(__TCPSESS_INVALID_MAX) - 2, st.has_invalid);
	ASSERT_EQ(3000 + TCPSESS_INVALID_MIDSTREAM,
		  st.invalid[TCPSESS_INVALID_MIDSTREAM]);
	ASSERT_EQ(TS_BIT(__TCPSESS_RTT_HIST_MAX) - 2, st.has_rtt[TS_RTT_SYN]);
	ASSERT_EQ(TS_BIT(__TCPSESS_RTT_HIST_MAX) - 2, st.has_rtt[TS_RTT_ACK]);
	for (i = 1; i < __TCPSESS_RTT_HIST_MAX; i++) {
		ASSERT_EQ(4000 + i, st.rtt[TS_RTT_SYN][i]);
		ASSERT_EQ(5000 + i, st.rtt[TS_RTT_ACK][i]);
	}
	ASSERT_EQ(4000 + TCPSESS_RTT_HIST_COUNT,
		  st.rtt[TS_RTT_SYN][TCPSESS_RTT_HIST_COUNT]);
	ASSERT_EQ(5000 + TCPSESS_RTT_HIST_SUM_US,
		  st.rtt[TS_RTT_ACK][TCPSESS_RTT_HIST_SUM_US]);
}

/* A histogram nest by itself is enough; without one, nothing is claimed. */
TEST(stats_rtt_alone)
{
	struct msgbuf m;
	struct nlmsghdr *nlh = genl_msg(&m, FAMILY_ID, TCPSESS_CMD_GET_STATS);
	struct nlattr *nest = mnl_attr_nest_start(nlh, TCPSESS_A_STATS);
	struct ts_stats st;

	put_array(nlh, TCPSESS_STATS_RTT_ACK, TCPSESS_RTT_HIST_COUNT,
		  TCPSESS_RTT_HIST_SUM_US + 1, 7);
	mnl_attr_nest_end(nlh, nest);
	ASSERT_EQ(0, ts_parse_stats(nlh, &st));
	ASSERT_EQ(0, st.has_rtt[TS_RTT_SYN]);
	ASSERT_EQ(TS_BIT(TCPSESS_RTT_HIST_COUNT) | TS_BIT(TCPSESS_RTT_HIST_SUM_US),
		  st.has_rtt[TS_RTT_ACK]);
	ASSERT_EQ(7 + TCPSESS_RTT_HIST_COUNT,
		  st.rtt[TS_RTT_ACK][TCPSESS_RTT_HIST_COUNT]);
	ASSERT_EQ(0, st.has_counter);
}

TEST(stats_malformed_refused)
{
	struct msgbuf m;
	struct nlmsghdr *nlh;
	struct nlattr *nest, *inner;
	struct ts_stats st;

	nlh = genl_msg(&m, FAMILY_ID, TCPSESS_CMD_GET_STATS);
	ASSERT_EQ(-EINVAL, ts_parse_stats(nlh, &st));

	nlh = genl_msg(&m, FAMILY_ID, TCPSESS_CMD_GET_STATS);
	nest = mnl_attr_nest_start(nlh, TCPSESS_A_STATS);
	inner = mnl_attr_nest_start(nlh, TCPSESS_STATS_COUNTERS);
	mnl_attr_put_u32(nlh, 1, 5);
	mnl_attr_nest_end(nlh, inner);
	mnl_attr_nest_end(nlh, nest);
	ASSERT_EQ(-EINVAL, ts_parse_stats(nlh, &st));

	/* A histogram field of the wrong size. */
	nlh = genl_msg(&m, FAMILY_ID, TCPSESS_CMD_GET_STATS);
	nest = mnl_attr_nest_start(nlh, TCPSESS_A_STATS);
	inner = mnl_attr_nest_start(nlh, TCPSESS_STATS_RTT_SYN);
	mnl_attr_put_u32(nlh, TCPSESS_RTT_HIST_SUM_US, 5);
	mnl_attr_nest_end(nlh, inner);
	mnl_attr_nest_end(nlh, nest);
	ASSERT_EQ(-EINVAL, ts_parse_stats(nlh, &st));

	/* A histogram that is no nest. */
	nlh = genl_msg(&m, FAMILY_ID, TCPSESS_CMD_GET_STATS);
	nest = mnl_attr_nest_start(nlh, TCPSESS_A_STATS);
	mnl_attr_put_u8(nlh, TCPSESS_STATS_RTT_ACK, 5);
	mnl_attr_nest_end(nlh, nest);
	ASSERT_EQ(-EINVAL, ts_parse_stats(nlh, &st));
}

static void put_config(struct nlmsghdr *nlh)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, TCPSESS_A_CONFIG);
	struct nlattr *timeouts;
	unsigned int state;

	mnl_attr_put_u32(nlh, TCPSESS_CONFIG_MAX_SESSIONS, 262144);
	mnl_attr_put_u8(nlh, TCPSESS_CONFIG_MODE, TCPSESS_MODE_ENFORCE);
	mnl_attr_put_u8(nlh, TCPSESS_CONFIG_PICKUP, 1);
	mnl_attr_put_u32(nlh, TCPSESS_CONFIG_EVENT_RATE, 10000);
	mnl_attr_put_u32(nlh, TCPSESS_CONFIG_TIMEOUT_PICKUP, 300);
	mnl_attr_put_u32(nlh, TCPSESS_CONFIG_REPORT_INTERVAL, 60);
	timeouts = mnl_attr_nest_start(nlh, TCPSESS_CONFIG_TIMEOUTS);
	for (state = 1; state <= TCPSESS_STATE_MAX + 1; state++)
		mnl_attr_put_u32(nlh, state, state * 10);
	mnl_attr_nest_end(nlh, timeouts);
	mnl_attr_nest_end(nlh, nest);
}

TEST(config_decoded)
{
	struct msgbuf m;
	struct nlmsghdr *nlh = genl_msg(&m, FAMILY_ID, TCPSESS_CMD_GET_CONFIG);
	struct ts_config cfg;
	unsigned int state;

	put_config(nlh);
	ASSERT_EQ(0, ts_parse_config(nlh, &cfg));
	ASSERT_EQ((1U << TS_CFG_NKEYS) - 1, cfg.present);
	ASSERT_EQ(262144, cfg.value[TS_CFG_MAX_SESSIONS]);
	ASSERT_EQ(TCPSESS_MODE_ENFORCE, cfg.value[TS_CFG_MODE]);
	ASSERT_EQ(1, cfg.value[TS_CFG_PICKUP]);
	ASSERT_EQ(10000, cfg.value[TS_CFG_EVENT_RATE]);
	ASSERT_EQ(300, cfg.value[TS_CFG_TIMEOUT_PICKUP]);
	ASSERT_EQ(60, cfg.value[TS_CFG_REPORT_INTERVAL]);
	for (state = 1; state <= TCPSESS_STATE_MAX; state++)
		ASSERT_EQ(state * 10, cfg.value[TS_CFG_TIMEOUT + state - 1]);
}

TEST(config_malformed_refused)
{
	struct msgbuf m;
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	struct ts_config cfg;

	nlh = genl_msg(&m, FAMILY_ID, TCPSESS_CMD_GET_CONFIG);
	ASSERT_EQ(-EINVAL, ts_parse_config(nlh, &cfg));

	nlh = genl_msg(&m, FAMILY_ID, TCPSESS_CMD_GET_CONFIG);
	nest = mnl_attr_nest_start(nlh, TCPSESS_A_CONFIG);
	mnl_attr_put_u32(nlh, TCPSESS_CONFIG_MODE, 1);
	mnl_attr_nest_end(nlh, nest);
	ASSERT_EQ(-EINVAL, ts_parse_config(nlh, &cfg));
}

TEST(filter_request)
{
	struct msgbuf m;
	struct nlmsghdr *nlh = genl_msg(&m, FAMILY_ID, TCPSESS_CMD_GET_SESSIONS);
	struct ts_filter f = { 0 };
	const struct nlattr *top, *attr;
	unsigned int seen = 0;
	u32 len = nlh->nlmsg_len;

	/* No filter, no attribute: the kernel's policy stays simple. */
	ts_put_filter(nlh, &f);
	ASSERT_EQ(len, nlh->nlmsg_len);

	f.family = 6;
	f.has_addr = true;
	inet_pton(AF_INET6, "2001:db8::1", f.addr);
	f.has_port = true;
	f.port = 443;
	f.state = TCPSESS_STATE_CLOSED;
	ts_put_filter(nlh, &f);
	mnl_attr_for_each(top, nlh, GENL_HDRLEN) {
		ASSERT_EQ(TCPSESS_A_FILTER, mnl_attr_get_type(top));
		mnl_attr_for_each_nested(attr, top) {
			switch (mnl_attr_get_type(attr)) {
			case TCPSESS_FILTER_FAMILY:
				ASSERT_EQ(AF_INET6, mnl_attr_get_u8(attr));
				break;
			case TCPSESS_FILTER_ADDR:
				ASSERT_EQ(16, mnl_attr_get_payload_len(attr));
				ASSERT_EQ(0, memcmp(f.addr,
						    mnl_attr_get_payload(attr), 16));
				break;
			case TCPSESS_FILTER_PORT:
				ASSERT_EQ(2, mnl_attr_get_payload_len(attr));
				ASSERT_EQ(443, mnl_attr_get_u16(attr));
				break;
			case TCPSESS_FILTER_STATE:
				ASSERT_EQ(TCPSESS_STATE_CLOSED,
					  mnl_attr_get_u8(attr));
				break;
			}
			seen |= 1U << mnl_attr_get_type(attr);
		}
	}
	ASSERT_EQ(0x1e, seen);

	/* An IPv4 address goes as 4 bytes. */
	nlh = genl_msg(&m, FAMILY_ID, TCPSESS_CMD_GET_SESSIONS);
	memset(&f, 0, sizeof(f));
	f.family = 4;
	f.has_addr = true;
	ts_put_filter(nlh, &f);
	mnl_attr_for_each(top, nlh, GENL_HDRLEN)
		mnl_attr_for_each_nested(attr, top)
			if (mnl_attr_get_type(attr) == TCPSESS_FILTER_ADDR)
				ASSERT_EQ(4, mnl_attr_get_payload_len(attr));
}

/* A SET request decodes, as a GET reply would, to what was asked. */
TEST(config_request_round_trip)
{
	struct msgbuf m;
	struct nlmsghdr *nlh = genl_msg(&m, FAMILY_ID, TCPSESS_CMD_SET_CONFIG);
	struct ts_config set = { 0 }, got;
	const unsigned int closed = TS_CFG_TIMEOUT + TCPSESS_STATE_CLOSED - 1;
	const unsigned int est = TS_CFG_TIMEOUT + TCPSESS_STATE_ESTABLISHED - 1;

	set.value[TS_CFG_MODE] = TCPSESS_MODE_ENFORCE;
	set.value[closed] = 5;
	set.value[est] = 1728000;
	set.value[TS_CFG_EVENT_RATE] = 0;
	set.value[TS_CFG_TIMEOUT_PICKUP] = 7;
	set.value[TS_CFG_REPORT_INTERVAL] = 86400;
	set.present = TS_BIT(TS_CFG_MODE) | TS_BIT(closed) | TS_BIT(est) |
		      TS_BIT(TS_CFG_EVENT_RATE) | TS_BIT(TS_CFG_TIMEOUT_PICKUP) |
		      TS_BIT(TS_CFG_REPORT_INTERVAL);
	ts_put_config(nlh, &set);
	ASSERT_EQ(0, ts_parse_config(nlh, &got));
	ASSERT_EQ(set.present, got.present);
	ASSERT_EQ(0, memcmp(set.value, got.value, sizeof(set.value)));

	/* Without timeouts there is no empty TIMEOUTS nest. */
	nlh = genl_msg(&m, FAMILY_ID, TCPSESS_CMD_SET_CONFIG);
	set.present = TS_BIT(TS_CFG_PICKUP);
	set.value[TS_CFG_PICKUP] = 0;
	ts_put_config(nlh, &set);
	ASSERT_EQ(MNL_NLMSG_HDRLEN + GENL_HDRLEN + 2 * MNL_ATTR_HDRLEN + 4,
		  nlh->nlmsg_len);
}

TEST(config_key_at_offset)
{
	static const int key_of_type[] = {
		[TCPSESS_CONFIG_MAX_SESSIONS] = TS_CFG_MAX_SESSIONS,
		[TCPSESS_CONFIG_MODE] = TS_CFG_MODE,
		[TCPSESS_CONFIG_PICKUP] = TS_CFG_PICKUP,
		[TCPSESS_CONFIG_EVENT_RATE] = TS_CFG_EVENT_RATE,
		[TCPSESS_CONFIG_TIMEOUT_PICKUP] = TS_CFG_TIMEOUT_PICKUP,
		[TCPSESS_CONFIG_REPORT_INTERVAL] = TS_CFG_REPORT_INTERVAL,
	};
	struct msgbuf m;
	struct nlmsghdr *nlh = genl_msg(&m, FAMILY_ID, TCPSESS_CMD_SET_CONFIG);
	const struct nlattr *top, *attr, *t;
	struct ts_config set = { 0 };
	unsigned int checked = 0;

	set.present = (1U << TS_CFG_NKEYS) - 1;
	ts_put_config(nlh, &set);
	mnl_attr_for_each(top, nlh, GENL_HDRLEN) {
		u32 off = (const char *)top - (const char *)nlh;

		ASSERT_EQ(-1, ts_config_key_at(nlh, off));
		mnl_attr_for_each_nested(attr, top) {
			off = (const char *)attr - (const char *)nlh;
			if (mnl_attr_get_type(attr) == TCPSESS_CONFIG_TIMEOUTS) {
				ASSERT_EQ(-1, ts_config_key_at(nlh, off));
				mnl_attr_for_each_nested(t, attr) {
					off = (const char *)t - (const char *)nlh;
					ASSERT_EQ(TS_CFG_TIMEOUT +
						  mnl_attr_get_type(t) - 1,
						  ts_config_key_at(nlh, off));
					checked++;
				}
				continue;
			}
			ASSERT_EQ(key_of_type[mnl_attr_get_type(attr)],
				  ts_config_key_at(nlh, off));
			checked++;
		}
	}
	ASSERT_EQ(TS_CFG_NKEYS, checked);
	ASSERT_EQ(TS_CFG_MODE,
		  ts_config_key_at(nlh, MNL_NLMSG_HDRLEN + GENL_HDRLEN +
				   MNL_ATTR_HDRLEN + MNL_ALIGN(MNL_ATTR_HDRLEN + 4)));
	ASSERT_EQ(-1, ts_config_key_at(nlh, 0));
	ASSERT_EQ(-1, ts_config_key_at(nlh, 3));
	ASSERT_EQ(-1, ts_config_key_at(nlh, 100000));
}

/*
 * An error ack as the kernel sends it, with the request echoed (capped
 * or whole) and the extack attributes after it.
 */
static struct nlmsghdr *error_ack(struct msgbuf *m, int error, bool capped,
				  const char *msg, bool offs)
{
	struct nlmsghdr *nlh, req = {
		.nlmsg_len = MNL_NLMSG_HDRLEN + 20,
		.nlmsg_type = FAMILY_ID,
	};
	struct nlmsgerr *err;
	size_t echoed = capped ? 0 : 20;

	memset(m, 0, sizeof(*m));
	nlh = mnl_nlmsg_put_header(m->buf);
	nlh->nlmsg_type = NLMSG_ERROR;
	err = mnl_nlmsg_put_extra_header(nlh, sizeof(*err) + echoed);
	err->error = error;
	err->msg = req;
	if (capped)
		nlh->nlmsg_flags |= NLM_F_CAPPED;
	if (msg || offs)
		nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
	if (msg)
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, msg);
	if (offs)
		mnl_attr_put_u32(nlh, NLMSGERR_ATTR_OFFS, 28);
	return nlh;
}

TEST(extack_capped)
{
	struct ts_nl_error e;
	struct msgbuf m;

	ASSERT_EQ(-ERANGE, ts_nl_parse_error(error_ack(&m, -ERANGE, true,
						       "integer out of range",
						       true), &e));
	ASSERT_EQ(-ERANGE, e.err);
	ASSERT_STREQ("integer out of range", e.msg);
	ASSERT_TRUE(e.has_offset);
	ASSERT_EQ(28, e.offset);
}

TEST(extack_after_the_whole_request)
{
	struct ts_nl_error e;
	struct msgbuf m;

	ASSERT_EQ(-EINVAL, ts_nl_parse_error(error_ack(&m, -EINVAL, false,
						       "bad", false), &e));
	ASSERT_STREQ("bad", e.msg);
	ASSERT_FALSE(e.has_offset);
}

TEST(ack_plain_and_warnings)
{
	struct ts_nl_error e;
	struct msgbuf m;

	ASSERT_EQ(-EPERM, ts_nl_parse_error(error_ack(&m, -EPERM, true, NULL,
						      false), &e));
	ASSERT_STREQ("", e.msg);
	/* A success can carry a warning. */
	ASSERT_EQ(0, ts_nl_parse_error(error_ack(&m, 0, true, "deprecated",
						 false), &e));
	ASSERT_STREQ("deprecated", e.msg);
	/* A positive error is an error all the same. */
	ASSERT_EQ(-EINVAL, ts_nl_parse_error(error_ack(&m, EINVAL, true, NULL,
						       false), &e));
}

TEST(ack_malformed)
{
	struct ts_nl_error e;
	struct msgbuf m;
	struct nlmsghdr *nlh;

	/* Too short for its nlmsgerr. */
	nlh = error_ack(&m, -EINVAL, true, NULL, false);
	nlh->nlmsg_len = MNL_NLMSG_HDRLEN + 4;
	ASSERT_EQ(-EBADMSG, ts_nl_parse_error(nlh, &e));

	/* An echoed length pointing far past the end. */
	nlh = error_ack(&m, -EINVAL, false, "x", false);
	((struct nlmsgerr *)mnl_nlmsg_get_payload(nlh))->msg.nlmsg_len = 0xfffffff0;
	ASSERT_EQ(-EINVAL, ts_nl_parse_error(nlh, &e));
	ASSERT_STREQ("", e.msg);

	/* A message that is not a string. */
	nlh = error_ack(&m, -EINVAL, true, NULL, false);
	nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
	mnl_attr_put(nlh, NLMSGERR_ATTR_MSG, 3, "abc");
	mnl_attr_put_u16(nlh, NLMSGERR_ATTR_OFFS, 3);
	ASSERT_EQ(-EINVAL, ts_nl_parse_error(nlh, &e));
	ASSERT_STREQ("", e.msg);
	ASSERT_FALSE(e.has_offset);
}

TEST(dump_done)
{
	struct ts_nl_error e;
	struct msgbuf m;
	struct nlmsghdr *nlh;
	int code = -ENOBUFS;

	memset(&m, 0, sizeof(m));
	nlh = mnl_nlmsg_put_header(m.buf);
	nlh->nlmsg_type = NLMSG_DONE;
	ASSERT_EQ(0, ts_nl_parse_error(nlh, &e));

	memcpy(mnl_nlmsg_put_extra_header(nlh, sizeof(int)), &code, sizeof(int));
	nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "dump failed");
	ASSERT_EQ(-ENOBUFS, ts_nl_parse_error(nlh, &e));
	ASSERT_STREQ("dump failed", e.msg);
}

static struct nlmsghdr *family_reply(struct msgbuf *m, bool with_id,
				     const char *group)
{
	struct nlmsghdr *nlh = genl_msg(m, GENL_ID_CTRL, CTRL_CMD_NEWFAMILY);
	struct nlattr *groups, *grp;

	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, TCPSESS_GENL_NAME);
	if (with_id)
		mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, FAMILY_ID);
	mnl_attr_put_u32(nlh, CTRL_ATTR_VERSION, 1);
	groups = mnl_attr_nest_start(nlh, CTRL_ATTR_MCAST_GROUPS);
	grp = mnl_attr_nest_start(nlh, 1);
	mnl_attr_put_strz(nlh, CTRL_ATTR_MCAST_GRP_NAME, "other");
	mnl_attr_put_u32(nlh, CTRL_ATTR_MCAST_GRP_ID, 11);
	mnl_attr_nest_end(nlh, grp);
	if (group) {
		grp = mnl_attr_nest_start(nlh, 2);
		mnl_attr_put_u32(nlh, CTRL_ATTR_MCAST_GRP_ID, 12);
		mnl_attr_put_strz(nlh, CTRL_ATTR_MCAST_GRP_NAME, group);
		mnl_attr_nest_end(nlh, grp);
	}
	mnl_attr_nest_end(nlh, groups);
	return nlh;
}

TEST(family_and_events_group)
{
	struct msgbuf m;
	u16 family;
	u32 group;

	ASSERT_EQ(0, ts_nl_parse_family(family_reply(&m, true, "events"),
					&family, &group));
	ASSERT_EQ(FAMILY_ID, family);
	ASSERT_EQ(12, group);

	ASSERT_EQ(0, ts_nl_parse_family(family_reply(&m, true, NULL),
					&family, &group));
	ASSERT_EQ(0, group);

	ASSERT_EQ(-EBADMSG, ts_nl_parse_family(family_reply(&m, false, "events"),
					       &family, &group));
}

static u32 lcg(u32 *state)
{
	*state = *state * 1103515245 + 12345;
	return *state >> 8;
}

/*
 * Random attribute soup in a message of exactly its stated length: the
 * parsers may refuse it but must not crash or read past the end (run
 * under valgrind, which "make check VALGRIND=1" does).
 */
TEST(random_messages)
{
	struct nlmsghdr *nlh;
	struct ts_nl_error e;
	struct ts_session s;
	struct ts_stats st;
	struct ts_config cfg;
	struct ts_event ev;
	u32 rnd = 1, round, i, len;
	u16 family;
	u32 group;

	for (round = 0; round < 20000; round++) {
		struct msgbuf *m = malloc(sizeof(*m));
		char *exact;

		ASSERT_NE(NULL, m);
		nlh = genl_msg(m, FAMILY_ID, lcg(&rnd) % 8);
		len = lcg(&rnd) % 200;
		for (i = 0; i < len; i++)
			m->buf[nlh->nlmsg_len + i] = lcg(&rnd) % 4 ?
				lcg(&rnd) % 24 : lcg(&rnd);
		nlh->nlmsg_len += len;
		/*
		 * Exactly as long as it says, so valgrind sees overreads, but
		 * for the padding to 4 bytes that netlink (and libmnl's walk)
		 * counts on.
		 */
		exact = calloc(1, MNL_ALIGN(nlh->nlmsg_len));
		ASSERT_NE(NULL, exact);
		memcpy(exact, m->buf, nlh->nlmsg_len);
		nlh = (struct nlmsghdr *)exact;
		ts_parse_session_msg(nlh, &s);
		ts_parse_event(nlh, &ev);
		ts_parse_stats(nlh, &st);
		ts_parse_config(nlh, &cfg);
		ts_config_key_at(nlh, lcg(&rnd) % 256);
		ts_nl_parse_family(nlh, &family, &group);
		nlh->nlmsg_type = NLMSG_ERROR;
		nlh->nlmsg_flags = lcg(&rnd);
		ts_nl_parse_error(nlh, &e);
		nlh->nlmsg_type = NLMSG_DONE;
		ts_nl_parse_error(nlh, &e);
		free(exact);
		free(m);
	}
}

TEST_HARNESS_MAIN
