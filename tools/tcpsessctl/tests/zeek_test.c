// SPDX-License-Identifier: GPL-2.0
/*
 * Zeek's conn.log records: conn_state from the histories real sessions
 * leave, the uid, and each record's exact JSON, every key present.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "monitor.h"
#include "zeek.h"

struct state_case {
	const char *history;
	u64 orig_bytes, resp_bytes;
	enum ts_conn_state want;
	const char *what;
};

static const struct state_case state_cases[] = {
	{ "ShADadFf", 100, 200, TS_CONN_SF, "client closes first" },
	{ "ShADadfF", 100, 200, TS_CONN_SF, "server closes first" },
	{ "ShAFf", 0, 0, TS_CONN_SF, "closed without payload" },
	{ "ShADad", 100, 200, TS_CONN_S1, "established, timed out" },
	{ "ShA", 0, 0, TS_CONN_S1, "handshake only, flushed" },
	{ "S", 0, 0, TS_CONN_S0, "SYN unanswered, timed out" },
	{ "Sr", 0, 0, TS_CONN_REJ, "closed port" },
	{ "Shr", 0, 0, TS_CONN_REJ, "SYN-ACK then RST, never ACKed" },
	{ "SRr", 0, 0, TS_CONN_REJ, "both reset, nothing sent" },
	{ "ShADadFfR", 100, 200, TS_CONN_RSTO, "orig reset after closing" },
	{ "ShADadR", 100, 200, TS_CONN_RSTO, "orig aborted" },
	{ "ShAR", 0, 0, TS_CONN_RSTO, "orig aborted, no payload" },
	{ "ShR", 0, 0, TS_CONN_RSTO, "orig reset the SYN-ACK" },
	{ "ShADadr", 100, 200, TS_CONN_RSTR, "resp aborted" },
	{ "ShADRr", 100, 0, TS_CONN_RSTR, "both reset after payload" },
	{ "SR", 0, 0, TS_CONN_RSTOS0, "SYN then RST, no SYN-ACK" },
	{ "SDR", 10, 0, TS_CONN_RSTOS0, "SYN, payload, RST, no reply" },
	{ "SAR", 0, 0, TS_CONN_OTH, "orig ACKed nothing, then reset" },
	{ "hr", 0, 0, TS_CONN_RSTRH, "SYN-ACK then RST, no SYN" },
	{ "Dr", 10, 0, TS_CONN_RSTRH, "picked up, resp reset" },
	{ "SF", 0, 0, TS_CONN_SH, "SYN then FIN, no SYN-ACK" },
	{ "hf", 0, 0, TS_CONN_SHR, "SYN-ACK then FIN, no SYN" },
	{ "ShADadF", 100, 200, TS_CONN_S2, "orig closed, resp silent" },
	{ "ShADadf", 100, 200, TS_CONN_S3, "resp closed, orig silent" },
	{ "Dd", 10, 20, TS_CONN_OTH, "picked up mid-stream" },
	{ "DdA", 10, 20, TS_CONN_OTH, "picked up, ACKs" },
	{ "DdR", 10, 20, TS_CONN_OTH, "picked up, orig reset" },
	{ "DdFf", 10, 20, TS_CONN_SF, "picked up, closed by both" },
	{ "-", 0, 0, TS_CONN_OTH, "empty history" },
	{ NULL, 0, 0, TS_CONN_OTH, "no history" },
};

TEST(conn_state_of_histories)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(state_cases); i++) {
		const struct state_case *c = &state_cases[i];
		enum ts_conn_state got;

		got = ts_conn_state(c->history, c->orig_bytes, c->resp_bytes);
		EXPECT_STREQ(ts_conn_state_name(c->want),
			     ts_conn_state_name(got)) {
			TH_LOG("%s: history %s", c->what,
			       c->history ? c->history : "(none)");
		}
	}
}

TEST(every_conn_state_is_reached)
{
	bool seen[TS_CONN_NSTATES] = { false };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(state_cases); i++)
		seen[state_cases[i].want] = true;
	for (i = 0; i < TS_CONN_NSTATES; i++)
		EXPECT_TRUE(seen[i]) {
			TH_LOG("no case for %s", ts_conn_state_name(i));
		}
}

/* Letters a newer module may add are ignored, not misread. */
TEST(conn_state_ignores_unknown_letters)
{
	EXPECT_EQ(TS_CONN_SF, ts_conn_state("ShAxDadFfq", 1, 1));
}

static const u8 boot_a[TS_BOOT_ID_LEN] = {
	0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
	0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
};

/* SHA-1 of boot id and big-endian session id, 96 bits of it in base62. */
TEST(uid)
{
	static const u8 zero[TS_BOOT_ID_LEN];
	char uid[TS_ZEEK_UID_LEN];

	ts_zeek_uid(boot_a, 12345678901234ULL, uid);
	EXPECT_STREQ("C0FNl5A8aZuEvyTn4a", uid);
	ts_zeek_uid(boot_a, 1, uid);
	EXPECT_STREQ("C047t1Mkw5Z82qnQYX", uid);
	ts_zeek_uid(zero, 0, uid);
	EXPECT_STREQ("C1N16GRet2oaSR5JMk", uid);
}

TEST(boot_id)
{
	u8 id[TS_BOOT_ID_LEN];

	ASSERT_EQ(0, ts_parse_boot_id("01234567-89ab-cdef-0123-456789ABCDEF\n",
				      id));
	EXPECT_EQ(0, memcmp(boot_a, id, sizeof(id)));
	EXPECT_EQ(-1, ts_parse_boot_id("", id));
	EXPECT_EQ(-1, ts_parse_boot_id("01234567-89ab-cdef-0123-456789abcde",
				       id));
	EXPECT_EQ(-1, ts_parse_boot_id("01234567-89ab-cdef-0123-456789abcdef0",
				       id));
	EXPECT_EQ(-1, ts_parse_boot_id("01234567-89ab-cdef-0123-456789abcdeg",
				       id));
	EXPECT_EQ(-1, ts_parse_boot_id("01234567-89ab-cdef-0123-456789abcdef x",
				       id));
}

#define ALL_SESSION_ATTRS						\
	(TS_BIT(TCPSESS_SESSION_ID) | TS_BIT(TCPSESS_SESSION_FAMILY) |	\
	 TS_BIT(TCPSESS_SESSION_SRC_ADDR) |				\
	 TS_BIT(TCPSESS_SESSION_SRC_PORT) |				\
	 TS_BIT(TCPSESS_SESSION_DST_ADDR) |				\
	 TS_BIT(TCPSESS_SESSION_DST_PORT) |				\
	 TS_BIT(TCPSESS_SESSION_STATE) | TS_BIT(TCPSESS_SESSION_AGE_MS) | \
	 TS_BIT(TCPSESS_SESSION_IDLE_MS) |				\
	 TS_BIT(TCPSESS_SESSION_PKTS_ORIG) |				\
	 TS_BIT(TCPSESS_SESSION_BYTES_ORIG) |				\
	 TS_BIT(TCPSESS_SESSION_PKTS_REPLY) |				\
	 TS_BIT(TCPSESS_SESSION_BYTES_REPLY) |				\
	 TS_BIT(TCPSESS_SESSION_HISTORY) |				\
	 TS_BIT(TCPSESS_SESSION_FLAGS) |				\
	 TS_BIT(TCPSESS_SESSION_IPBYTES_ORIG) |				\
	 TS_BIT(TCPSESS_SESSION_IPBYTES_REPLY))

/* The community-id spec's baseline flow, so that its ID is known. */
static struct ts_event end_event(const char *history)
{
	struct ts_event ev = { 0 };

	ev.present = TS_BIT(TCPSESS_A_EVENT) | TS_BIT(TCPSESS_A_EVENT_SEQ) |
		     TS_BIT(TCPSESS_A_SESSION) | TS_BIT(TCPSESS_A_REASON);
	ev.type = TCPSESS_EVENT_END;
	ev.reason = TCPSESS_END_FIN;
	ev.seq = 7;
	ev.s.present = ALL_SESSION_ATTRS;
	ev.s.id = 12345678901234ULL;
	ev.s.family = 4;
	inet_pton(AF_INET, "128.232.110.120", ev.s.src);
	inet_pton(AF_INET, "66.35.250.204", ev.s.dst);
	ev.s.sport = 34855;
	ev.s.dport = 80;
	ev.s.state = TCPSESS_STATE_TIME_WAIT;
	ev.s.age_ms = 61234;
	ev.s.idle_ms = 60001;
	ev.s.pkts[TCPSESS_DIR_ORIG] = 9;
	ev.s.pkts[TCPSESS_DIR_REPLY] = 7;
	ev.s.bytes[TCPSESS_DIR_ORIG] = 3000;
	ev.s.bytes[TCPSESS_DIR_REPLY] = 4000;
	ev.s.ipbytes[TCPSESS_DIR_ORIG] = 3476;
	ev.s.ipbytes[TCPSESS_DIR_REPLY] = 4372;
	snprintf(ev.s.history, sizeof(ev.s.history), "%s", history);
	return ev;
}

#define NOW_US	1700000000123456ULL

static u64 fixed_wall_us(void)
{
	return NOW_US;
}

FIXTURE(rec) {
	struct ts_zeek z;
	char *text;
	size_t len;
	FILE *out;
};

FIXTURE_SETUP(rec)
{
	memcpy(self->z.boot_id, boot_a, sizeof(boot_a));
	self->z.wall_us = fixed_wall_us;
	self->out = open_memstream(&self->text, &self->len);
	ASSERT_NE(NULL, self->out);
}

FIXTURE_TEARDOWN(rec)
{
	fclose(self->out);
	free(self->text);
}

static const char *flushed(FIXTURE_DATA(rec) * self)
{
	fflush(self->out);
	return self->text;
}

/* A record as the pairs it should hold, in order, joined as JSON. */
static const char *record(const char *const *pairs, size_t n)
{
	static char buf[1024];
	size_t i, len = 0;

	for (i = 0; i < n; i++)
		len += snprintf(buf + len, sizeof(buf) - len, "%c%s",
				i ? ',' : '{', pairs[i]);
	snprintf(buf + len, sizeof(buf) - len, "}\n");
	return buf;
}

#define RECORD(...)							\
	record((const char *const[]){ __VA_ARGS__ },			\
	       ARRAY_SIZE(((const char *const[]){ __VA_ARGS__ })))

/*
 * ts is the wall clock less the age; duration stops at the last packet,
 * so it leaves out the idle time (here the TIME_WAIT that ended it).
 */
TEST_F(rec, complete_session)
{
	struct ts_event ev = end_event("ShADadFf");

	ASSERT_TRUE(ts_print_zeek_conn(self->out, &self->z, &ev, NOW_US));
	EXPECT_STREQ(RECORD("\"ts\":1699999938.889456",
			    "\"uid\":\"C0FNl5A8aZuEvyTn4a\"",
			    "\"id.orig_h\":\"128.232.110.120\"",
			    "\"id.orig_p\":34855",
			    "\"id.resp_h\":\"66.35.250.204\"",
			    "\"id.resp_p\":80",
			    "\"proto\":\"tcp\"",
			    "\"service\":null",
			    "\"duration\":1.233000",
			    "\"orig_bytes\":3000",
			    "\"resp_bytes\":4000",
			    "\"conn_state\":\"SF\"",
			    "\"history\":\"ShADadFf\"",
			    "\"orig_pkts\":9",
			    "\"orig_ip_bytes\":3476",
			    "\"resp_pkts\":7",
			    "\"resp_ip_bytes\":4372",
			    "\"community_id\":\"1:LQU9qZlK+B5F3KDmev6m5PMibrg=\""),
		     flushed(self));
}

/* What the session lacks keeps its key, with null: no key goes missing. */
TEST_F(rec, absent_values_are_null)
{
	struct ts_event ev = end_event("");

	ev.s.present &= ~(TS_BIT(TCPSESS_SESSION_IPBYTES_ORIG) |
			  TS_BIT(TCPSESS_SESSION_IPBYTES_REPLY) |
			  TS_BIT(TCPSESS_SESSION_IDLE_MS) |
			  TS_BIT(TCPSESS_SESSION_PKTS_ORIG) |
			  TS_BIT(TCPSESS_SESSION_BYTES_REPLY));
	ev.s.bytes[TCPSESS_DIR_ORIG] = 0;
	ev.s.bytes[TCPSESS_DIR_REPLY] = 0;
	ASSERT_TRUE(ts_print_zeek_conn(self->out, &self->z, &ev, NOW_US));
	EXPECT_STREQ(RECORD("\"ts\":1699999938.889456",
			    "\"uid\":\"C0FNl5A8aZuEvyTn4a\"",
			    "\"id.orig_h\":\"128.232.110.120\"",
			    "\"id.orig_p\":34855",
			    "\"id.resp_h\":\"66.35.250.204\"",
			    "\"id.resp_p\":80",
			    "\"proto\":\"tcp\"",
			    "\"service\":null",
			    "\"duration\":61.234000",
			    "\"orig_bytes\":0",
			    "\"resp_bytes\":null",
			    "\"conn_state\":\"OTH\"",
			    "\"history\":null",
			    "\"orig_pkts\":null",
			    "\"orig_ip_bytes\":null",
			    "\"resp_pkts\":7",
			    "\"resp_ip_bytes\":null",
			    "\"community_id\":\"1:LQU9qZlK+B5F3KDmev6m5PMibrg=\""),
		     flushed(self));
}

TEST_F(rec, ipv6_and_escaping)
{
	struct ts_event ev = end_event("S\"\\\x01");

	ev.s.family = 6;
	inet_pton(AF_INET6, "2001:470:e5bf:dead:4957:2174:e82c:4887", ev.s.src);
	inet_pton(AF_INET6, "2607:f8b0:400c:c03::1a", ev.s.dst);
	ev.s.sport = 63943;
	ev.s.dport = 25;
	ev.s.age_ms = 0;
	ev.s.idle_ms = 0;
	ASSERT_TRUE(ts_print_zeek_conn(self->out, &self->z, &ev, NOW_US));
	flushed(self);
	EXPECT_NE(NULL, strstr(self->text,
			       "\"id.orig_h\":\"2001:470:e5bf:dead:4957:2174:e82c:4887\",")) {
		TH_LOG("%s", self->text);
	}
	EXPECT_NE(NULL, strstr(self->text, ",\"id.orig_p\":63943,"));
	EXPECT_NE(NULL, strstr(self->text,
			       ",\"id.resp_h\":\"2607:f8b0:400c:c03::1a\","));
	EXPECT_NE(NULL, strstr(self->text, ",\"id.resp_p\":25,"));
	EXPECT_NE(NULL, strstr(self->text, "\"ts\":1700000000.123456,")) {
		TH_LOG("%s", self->text);
	}
	EXPECT_NE(NULL, strstr(self->text, "\"duration\":0.000000,"));
	EXPECT_NE(NULL, strstr(self->text, "\"conn_state\":\"S0\","));
	EXPECT_NE(NULL, strstr(self->text, "\"history\":\"S\\\"\\\\\\u0001\","))
	{
		TH_LOG("%s", self->text);
	}
	/* The spec's baseline for this flow. */
	EXPECT_NE(NULL, strstr(self->text,
			       "\"community_id\":\"1:/qFaeAR+gFe1KYjMzVDsMv+wgU4=\"}\n"));
}

TEST_F(rec, only_end_events)
{
	static const u8 types[] = {
		TCPSESS_EVENT_NEW, TCPSESS_EVENT_STATE, TCPSESS_EVENT_INVALID,
		TCPSESS_EVENT_UPDATE,
	};
	struct ts_event ev;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(types); i++) {
		ev = end_event("ShA");
		ev.type = types[i];
		EXPECT_FALSE(ts_print_zeek_conn(self->out, &self->z, &ev,
						NOW_US));
	}
	/* An END without its session's endpoints is no connection. */
	ev = end_event("ShA");
	ev.s.present &= ~TS_BIT(TCPSESS_SESSION_SRC_ADDR);
	EXPECT_FALSE(ts_print_zeek_conn(self->out, &self->z, &ev, NOW_US));
	ev = end_event("ShA");
	ev.present &= ~TS_BIT(TCPSESS_A_SESSION);
	EXPECT_FALSE(ts_print_zeek_conn(self->out, &self->z, &ev, NOW_US));
	EXPECT_STREQ("", flushed(self));
}

/* Through the monitor: filters, --count and loss accounting as before. */
TEST_F(rec, monitor_prints_end_records)
{
	struct ts_filter filter = { .has_port = true, .port = 80 };
	struct ts_monitor m = { .filter = &filter, .zeek = &self->z,
				.count = 2 };
	struct ts_event ev;
	char *err_text = NULL;
	size_t err_len = 0;
	FILE *err = open_memstream(&err_text, &err_len);
	const char *p;
	int lines = 0;

	ASSERT_NE(NULL, err);
	ev = end_event("ShADadFf");
	ev.type = TCPSESS_EVENT_NEW;
	ev.seq = 1;
	EXPECT_EQ(0, ts_monitor_event(&m, &ev, 0, self->out, err));
	ev = end_event("ShADadFf");
	ev.seq = 2;
	EXPECT_EQ(0, ts_monitor_event(&m, &ev, 0, self->out, err));
	/* Filtered out: another port. */
	ev = end_event("Sr");
	ev.seq = 3;
	ev.s.dport = 81;
	ev.s.sport = 40000;
	EXPECT_EQ(0, ts_monitor_event(&m, &ev, 0, self->out, err));
	/* Seq 4 lost, found at once as the overrun is known. */
	ts_monitor_overrun(&m);
	ev = end_event("Sr");
	ev.seq = 5;
	EXPECT_EQ(1, ts_monitor_event(&m, &ev, 0, self->out, err));
	for (p = flushed(self); (p = strchr(p, '\n')); p++)
		lines++;
	EXPECT_EQ(2, lines);
	EXPECT_NE(NULL, strstr(self->text, "\"conn_state\":\"SF\""));
	EXPECT_NE(NULL, strstr(self->text, "\"conn_state\":\"REJ\""));
	fclose(err);
	EXPECT_NE(NULL, strstr(err_text, "lost 1 events")) {
		TH_LOG("%s", err_text);
	}
	free(err_text);
}

TEST_HARNESS_MAIN
