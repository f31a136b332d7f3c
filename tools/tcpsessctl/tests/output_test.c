// SPDX-License-Identifier: GPL-2.0
/*
 * What tcpsessctl prints: JSON that any parser takes, with the /proc
 * column names; text and tables laid out the same way every time.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "output.h"

#define PROC_HEADER "id af src sport dst dport state age_ms idle_ms " \
	"pkts_orig bytes_orig pkts_reply bytes_reply rtt_syn_us rtt_ack_us " \
	"retrans_orig retrans_reply history flags ipbytes_orig ipbytes_reply"

/* Collects what a printer writes; free() the result. */
struct capture {
	char *text;
	size_t len;
	FILE *f;
};

static FILE *capture_start(struct capture *c)
{
	c->text = NULL;
	c->len = 0;
	c->f = open_memstream(&c->text, &c->len);
	return c->f;
}

static char *capture_end(struct capture *c)
{
	fclose(c->f);
	return c->text;
}

#define CAPTURE(var, call) do {					\
	struct capture __c;						\
	FILE *f = capture_start(&__c);					\
	ASSERT_NE(NULL, f);						\
	call;								\
	var = capture_end(&__c);					\
} while (0)

/* Expected output, a piece per line of source; the pieces are joined. */
#define S(...) ((const char *const[]){ __VA_ARGS__, NULL })

static char *cat(const char *const *parts)
{
	size_t len = 1, i;
	char *s;

	for (i = 0; parts[i]; i++)
		len += strlen(parts[i]);
	s = malloc(len);
	if (!s)
		abort();
	s[0] = '\0';
	for (i = 0; parts[i]; i++)
		strcat(s, parts[i]);
	return s;
}

#define ASSERT_PRINTS(expected, call) do {				\
	char *__text, *__want = cat(expected);				\
	CAPTURE(__text, call);						\
	EXPECT_STREQ(__want, __text);					\
	free(__want);							\
	free(__text);							\
} while (0)

static const u64 all_fields =
	TS_BIT(TCPSESS_SESSION_ID) | TS_BIT(TCPSESS_SESSION_FAMILY) |
	TS_BIT(TCPSESS_SESSION_SRC_ADDR) | TS_BIT(TCPSESS_SESSION_SRC_PORT) |
	TS_BIT(TCPSESS_SESSION_DST_ADDR) | TS_BIT(TCPSESS_SESSION_DST_PORT) |
	TS_BIT(TCPSESS_SESSION_STATE) | TS_BIT(TCPSESS_SESSION_AGE_MS) |
	TS_BIT(TCPSESS_SESSION_IDLE_MS) | TS_BIT(TCPSESS_SESSION_PKTS_ORIG) |
	TS_BIT(TCPSESS_SESSION_BYTES_ORIG) |
	TS_BIT(TCPSESS_SESSION_PKTS_REPLY) |
	TS_BIT(TCPSESS_SESSION_BYTES_REPLY) |
	TS_BIT(TCPSESS_SESSION_RTT_SYN_US) |
	TS_BIT(TCPSESS_SESSION_RTT_ACK_US) |
	TS_BIT(TCPSESS_SESSION_RETRANS_ORIG) |
	TS_BIT(TCPSESS_SESSION_RETRANS_REPLY) |
	TS_BIT(TCPSESS_SESSION_HISTORY) | TS_BIT(TCPSESS_SESSION_FLAGS) |
	TS_BIT(TCPSESS_SESSION_IPBYTES_ORIG) |
	TS_BIT(TCPSESS_SESSION_IPBYTES_REPLY);

/* The README's example session. */
static struct ts_session v4_session(void)
{
	struct ts_session s = { .present = all_fields };

	s.id = 17;
	s.family = 4;
	inet_pton(AF_INET, "10.1.0.1", s.src);
	inet_pton(AF_INET, "10.1.0.2", s.dst);
	s.sport = 40001;
	s.dport = 8000;
	s.state = TCPSESS_STATE_TIME_WAIT;
	s.age_ms = 444;
	s.idle_ms = 420;
	s.pkts[0] = 9;
	s.bytes[0] = 3000;
	s.pkts[1] = 7;
	s.bytes[1] = 3000;
	s.ipbytes[0] = 3000 + 9 * 52;
	s.ipbytes[1] = 3000 + 7 * 52;
	s.rtt_syn_us = 634;
	s.rtt_ack_us = 761;
	snprintf(s.history, sizeof(s.history), "%s", "ShADadFf");
	return s;
}

static struct ts_session v6_session(void)
{
	struct ts_session s = { .present = all_fields };

	s.present &= ~(TS_BIT(TCPSESS_SESSION_RTT_SYN_US) |
		       TS_BIT(TCPSESS_SESSION_RTT_ACK_US));
	s.id = 5;
	s.family = 6;
	inet_pton(AF_INET6, "2001:db8:0:0:0:0:0:1", s.src);
	inet_pton(AF_INET6, "2001:db8::2", s.dst);
	s.sport = 50000;
	s.dport = 443;
	s.state = TCPSESS_STATE_ESTABLISHED;
	s.age_ms = 3723000;
	s.idle_ms = 1500;
	s.pkts[0] = 12345;
	s.pkts[1] = 67890;
	s.bytes[0] = 1000000;
	s.bytes[1] = 2000000;
	s.ipbytes[0] = 1000000 + 12345 * 72;
	s.ipbytes[1] = 2000000 + 67890 * 72;
	s.retrans[0] = 1;
	s.retrans[1] = 2;
	s.flags = TCPSESS_F_PICKUP;
	snprintf(s.history, sizeof(s.history), "%s", "DdA");
	return s;
}

static char *json_of(const char *s)
{
	struct capture c;

	capture_start(&c);
	ts_json_string(c.f, s);
	return capture_end(&c);
}

#define ASSERT_JSON(expected, input) do {				\
	char *__j = json_of(input);					\
	EXPECT_STREQ(expected, __j);					\
	free(__j);							\
} while (0)

TEST(json_plain_and_escaped)
{
	ASSERT_JSON("\"\"", "");
	ASSERT_JSON("\"ShADadFf\"", "ShADadFf");
	ASSERT_JSON("\"a\\\"b\"", "a\"b");
	ASSERT_JSON("\"a\\\\b\"", "a\\b");
	ASSERT_JSON("\"/\"", "/");
	ASSERT_JSON("\"\\b\\f\\n\\r\\t\"", "\b\f\n\r\t");
	ASSERT_JSON("\"\\u0001\\u001f\\u007f\"", "\x01\x1f\x7f");
	ASSERT_JSON("\"\\u001b[31m\"", "\x1b[31m");
}

TEST(json_utf8)
{
	/* Valid sequences pass through: é, €, U+10FFFF. */
	ASSERT_JSON("\"\xc3\xa9\"", "\xc3\xa9");
	ASSERT_JSON("\"\xe2\x82\xac\"", "\xe2\x82\xac");
	ASSERT_JSON("\"\xf4\x8f\xbf\xbf\"", "\xf4\x8f\xbf\xbf");
	/* Anything else becomes U+FFFD, a byte at a time. */
	ASSERT_JSON("\"\\ufffd\"", "\xff");
	ASSERT_JSON("\"\\ufffd\"", "\x80");
	ASSERT_JSON("\"\\ufffd\\ufffd\"", "\xc0\x80");		/* overlong */
	ASSERT_JSON("\"\\ufffd\\ufffd\\ufffd\"", "\xe0\x80\x80");
	ASSERT_JSON("\"\\ufffd\\ufffd\\ufffd\"", "\xed\xa0\x80"); /* surrogate */
	ASSERT_JSON("\"\\ufffd\\ufffd\\ufffd\\ufffd\"", "\xf4\x90\x80\x80");
	ASSERT_JSON("\"\\ufffd\\ufffd\"", "\xe2\x82");		/* cut short */
	ASSERT_JSON("\"x\\ufffdy\"", "x\xc3y");
}

static const char *duration(u64 ms, char *buf)
{
	ts_format_duration(ms, buf, TS_CELL_LEN);
	return buf;
}

TEST(durations)
{
	char buf[TS_CELL_LEN];

	EXPECT_STREQ("0ms", duration(0, buf));
	EXPECT_STREQ("999ms", duration(999, buf));
	EXPECT_STREQ("1.00s", duration(1000, buf));
	EXPECT_STREQ("1.23s", duration(1239, buf));
	EXPECT_STREQ("9.99s", duration(9999, buf));
	EXPECT_STREQ("10.0s", duration(10000, buf));
	EXPECT_STREQ("59.9s", duration(59999, buf));
	EXPECT_STREQ("1m00s", duration(60000, buf));
	EXPECT_STREQ("59m59s", duration(3599999, buf));
	EXPECT_STREQ("1h00m", duration(3600000, buf));
	EXPECT_STREQ("23h59m", duration(86399999, buf));
	EXPECT_STREQ("1d00h", duration(86400000, buf));
	EXPECT_STREQ("5d00h", duration(432000000, buf));
	EXPECT_STREQ("213503982334d14h", duration(UINT64_MAX, buf));
}

static const char *rtt(u32 us, bool present, char *buf)
{
	struct ts_session s = { 0 };

	s.rtt_syn_us = us;
	if (present)
		s.present = TS_BIT(TCPSESS_SESSION_RTT_SYN_US);
	ts_format_rtt(&s, TCPSESS_SESSION_RTT_SYN_US, buf, TS_CELL_LEN);
	return buf;
}

TEST(rtts)
{
	char buf[TS_CELL_LEN];

	EXPECT_STREQ("-", rtt(0, false, buf));
	EXPECT_STREQ("0us", rtt(0, true, buf));
	EXPECT_STREQ("999us", rtt(999, true, buf));
	EXPECT_STREQ("1.00ms", rtt(1000, true, buf));
	EXPECT_STREQ("9.99ms", rtt(9999, true, buf));
	EXPECT_STREQ("12.3ms", rtt(12345, true, buf));
	EXPECT_STREQ("999ms", rtt(999999, true, buf));
	EXPECT_STREQ("1.23s", rtt(1234567, true, buf));
	EXPECT_STREQ("1h11m", rtt(UINT32_MAX, true, buf));
}

TEST(endpoints)
{
	struct ts_session s = v4_session();
	char buf[TS_CELL_LEN];

	ts_format_endpoint(&s, true, buf, sizeof(buf));
	EXPECT_STREQ("10.1.0.1:40001", buf);
	ts_format_endpoint(&s, false, buf, sizeof(buf));
	EXPECT_STREQ("10.1.0.2:8000", buf);

	s = v6_session();
	ts_format_endpoint(&s, true, buf, sizeof(buf));
	EXPECT_STREQ("[2001:db8::1]:50000", buf);

	/* The longest there is still fits. */
	memset(s.src, 0xff, 12);
	inet_pton(AF_INET6, "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255",
		  s.src);
	s.sport = 65535;
	ts_format_endpoint(&s, true, buf, sizeof(buf));
	EXPECT_STREQ("[ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff]:65535", buf);

	s.present = 0;
	ts_format_endpoint(&s, true, buf, sizeof(buf));
	EXPECT_STREQ("?:?", buf);
}

TEST(session_json)
{
	struct ts_session s = v4_session();

	ASSERT_PRINTS(S("{\"id\":17,\"af\":4,\"src\":\"10.1.0.1\",\"sport\":40001,",
			"\"dst\":\"10.1.0.2\",\"dport\":8000,",
			"\"state\":\"TIME_WAIT\",\"age_ms\":444,\"idle_ms\":420,",
			"\"pkts_orig\":9,\"bytes_orig\":3000,\"pkts_reply\":7,",
			"\"bytes_reply\":3000,\"rtt_syn_us\":634,",
			"\"rtt_ack_us\":761,\"retrans_orig\":0,",
			"\"retrans_reply\":0,\"history\":\"ShADadFf\",",
			"\"flags\":\"-\",\"ipbytes_orig\":3468,",
			"\"ipbytes_reply\":3364,",
			"\"community_id\":\"1:dklX60SeCBnsS2FKJRWntJ2nSho=\"}\n"),
		      ts_print_session_json(f, &s));
}

TEST(session_json_v6_unmeasured_rtt_and_flags)
{
	struct ts_session s = v6_session();

	s.flags = TCPSESS_F_PICKUP | TCPSESS_F_REOPENED | 0x80;
	ASSERT_PRINTS(S("{\"id\":5,\"af\":6,\"src\":\"2001:db8::1\",\"sport\":50000,",
			"\"dst\":\"2001:db8::2\",\"dport\":443,",
			"\"state\":\"ESTABLISHED\",\"age_ms\":3723000,",
			"\"idle_ms\":1500,\"pkts_orig\":12345,",
			"\"bytes_orig\":1000000,\"pkts_reply\":67890,",
			"\"bytes_reply\":2000000,\"rtt_syn_us\":-1,",
			"\"rtt_ack_us\":-1,\"retrans_orig\":1,",
			"\"retrans_reply\":2,\"history\":\"DdA\",",
			"\"flags\":\"PICKUP,REOPENED\",",
			"\"ipbytes_orig\":1888840,\"ipbytes_reply\":6888080,",
			"\"community_id\":\"1:YXqXufkGr4i6TbJJYF83fvyDLZ8=\"}\n"),
		      ts_print_session_json(f, &s));
}

/* The keys, in order: the header of /proc/net/tcpsess/sessions, then one. */
TEST(session_json_keys_are_proc_columns)
{
	struct ts_session s = v4_session();
	char keys[512] = "", *text, *p;

	CAPTURE(text, ts_print_session_json(f, &s));
	for (p = text; (p = strstr(p, "\":")); p += 2) {
		char *start = p;

		while (start[-1] != '"')
			start--;
		if (keys[0])
			strcat(keys, " ");
		strncat(keys, start, p - start);
	}
	free(text);
	ASSERT_STREQ(PROC_HEADER " community_id", keys);
}

/* Other tools hash a flow the same from either end; so must we. */
TEST(session_json_community_id_either_way)
{
	struct ts_session s = v4_session();
	char *text;

	memcpy(s.src, v4_session().dst, 4);
	memcpy(s.dst, v4_session().src, 4);
	s.sport = 8000;
	s.dport = 40001;
	CAPTURE(text, ts_print_session_json(f, &s));
	EXPECT_NE(NULL, strstr(text, ",\"community_id\":\"1:dklX60SeCBnsS2FKJRWntJ2nSho=\"}\n"));
	free(text);
}

/* Half a flow has no ID, rather than one nobody else would compute. */
TEST(session_json_community_id_needs_both_endpoints)
{
	static const unsigned int attrs[] = {
		TCPSESS_SESSION_FAMILY, TCPSESS_SESSION_SRC_ADDR,
		TCPSESS_SESSION_SRC_PORT, TCPSESS_SESSION_DST_ADDR,
		TCPSESS_SESSION_DST_PORT,
	};
	struct ts_session s;
	unsigned int i;
	char *text;

	for (i = 0; i < ARRAY_SIZE(attrs); i++) {
		s = v4_session();
		s.present &= ~TS_BIT(attrs[i]);
		CAPTURE(text, ts_print_session_json(f, &s));
		EXPECT_EQ(NULL, strstr(text, "community_id")) {
			TH_LOG("without attribute %u: %s", attrs[i], text);
		}
		free(text);
	}
	s = v4_session();
	s.family = 5;	/* the parser admits only 4 and 6 */
	CAPTURE(text, ts_print_session_json(f, &s));
	EXPECT_EQ(NULL, strstr(text, "community_id"));
	free(text);
}

TEST(session_json_numbers_at_their_limits)
{
	struct ts_session s = v4_session();
	char *text;

	s.id = UINT64_MAX;
	s.bytes[1] = UINT64_MAX;
	s.ipbytes[0] = UINT64_MAX;
	s.rtt_syn_us = UINT32_MAX;
	s.retrans[0] = UINT32_MAX;
	s.sport = 0;
	s.dport = 65535;
	CAPTURE(text, ts_print_session_json(f, &s));
	EXPECT_NE(NULL, strstr(text, "\"id\":18446744073709551615,"));
	EXPECT_NE(NULL, strstr(text, "\"bytes_reply\":18446744073709551615,"));
	EXPECT_NE(NULL, strstr(text, "\"ipbytes_orig\":18446744073709551615,"));
	EXPECT_NE(NULL, strstr(text, "\"rtt_syn_us\":4294967295,"));
	EXPECT_NE(NULL, strstr(text, "\"retrans_orig\":4294967295,"));
	EXPECT_NE(NULL, strstr(text, "\"sport\":0,"));
	EXPECT_NE(NULL, strstr(text, "\"dport\":65535,"));
	free(text);
}

TEST(session_json_strings_escaped)
{
	struct ts_session s = v4_session();
	char *text;

	snprintf(s.history, sizeof(s.history), "%s", "S\"\\\n\xff");
	s.state = 200;
	CAPTURE(text, ts_print_session_json(f, &s));
	EXPECT_NE(NULL, strstr(text, "\"history\":\"S\\\"\\\\\\n\\ufffd\""));
	/* A state this build does not know is still a string. */
	EXPECT_NE(NULL, strstr(text, "\"state\":\"200\""));
	free(text);
}

static struct ts_event event(unsigned int type, const struct ts_session *s)
{
	struct ts_event ev = { 0 };

	ev.present = TS_BIT(TCPSESS_A_EVENT) | TS_BIT(TCPSESS_A_EVENT_SEQ);
	ev.type = type;
	ev.seq = 41;
	if (s) {
		ev.s = *s;
		ev.present |= TS_BIT(TCPSESS_A_SESSION);
	}
	return ev;
}

#define V4_JSON_ENDPOINTS \
	"\"af\":4,\"src\":\"10.1.0.1\",\"sport\":40001,\"dst\":\"10.1.0.2\",\"dport\":8000,"
#define V4_JSON_REST \
	"\"age_ms\":444,\"idle_ms\":420,\"pkts_orig\":9,\"bytes_orig\":3000," \
	"\"pkts_reply\":7,\"bytes_reply\":3000,\"rtt_syn_us\":634," \
	"\"rtt_ack_us\":761,\"retrans_orig\":0,\"retrans_reply\":0," \
	"\"history\":\"ShADadFf\",\"flags\":\"-\"," \
	"\"ipbytes_orig\":3468,\"ipbytes_reply\":3364," \
	"\"community_id\":\"1:dklX60SeCBnsS2FKJRWntJ2nSho=\""

TEST(event_json)
{
	struct ts_session s = v4_session();
	struct ts_event ev;

	s.state = TCPSESS_STATE_SYN_RECV;
	ev = event(TCPSESS_EVENT_STATE, &s);
	ev.old_state = TCPSESS_STATE_SYN_SENT;
	ev.present |= TS_BIT(TCPSESS_A_OLD_STATE);
	ASSERT_PRINTS(S("{\"event\":\"STATE\",\"seq\":41,\"id\":17,",
			V4_JSON_ENDPOINTS,
			"\"state\":\"SYN_RECV\",",
			V4_JSON_REST,
			",\"old_state\":\"SYN_SENT\"}\n"),
		      ts_print_event_json(f, &ev));

	s.state = TCPSESS_STATE_TIME_WAIT;
	ev = event(TCPSESS_EVENT_END, &s);
	ev.reason = TCPSESS_END_FIN;
	ev.present |= TS_BIT(TCPSESS_A_REASON);
	ASSERT_PRINTS(S("{\"event\":\"END\",\"seq\":41,\"id\":17,",
			V4_JSON_ENDPOINTS,
			"\"state\":\"TIME_WAIT\",",
			V4_JSON_REST,
			",\"reason\":\"FIN\"}\n"),
		      ts_print_event_json(f, &ev));

	/* A live session's counters, with neither old state nor reason. */
	s.state = TCPSESS_STATE_ESTABLISHED;
	ev = event(TCPSESS_EVENT_UPDATE, &s);
	ASSERT_PRINTS(S("{\"event\":\"UPDATE\",\"seq\":41,\"id\":17,",
			V4_JSON_ENDPOINTS,
			"\"state\":\"ESTABLISHED\",",
			V4_JSON_REST,
			"}\n"),
		      ts_print_event_json(f, &ev));
}

TEST(event_json_invalid)
{
	struct ts_session s = v4_session();
	struct ts_event ev;
	char *text;

	s.state = TCPSESS_STATE_ESTABLISHED;
	ev = event(TCPSESS_EVENT_INVALID, &s);
	ev.reason = TCPSESS_INVALID_BAD_CHECKSUM;
	ev.dir = TCPSESS_DIR_REPLY;
	ev.present |= TS_BIT(TCPSESS_A_REASON) | TS_BIT(TCPSESS_A_DIR);
	CAPTURE(text, ts_print_event_json(f, &ev));
	EXPECT_NE(NULL, strstr(text, ",\"reason\":\"BAD_CHECKSUM\",\"dir\":\"reply\"}\n"));
	EXPECT_NE(NULL, strstr(text, "\"state\":\"ESTABLISHED\""));
	free(text);

	/* No session: the segment's endpoints and nothing made up. */
	s.present = TS_BIT(TCPSESS_SESSION_FAMILY) |
		    TS_BIT(TCPSESS_SESSION_SRC_ADDR) |
		    TS_BIT(TCPSESS_SESSION_SRC_PORT) |
		    TS_BIT(TCPSESS_SESSION_DST_ADDR) |
		    TS_BIT(TCPSESS_SESSION_DST_PORT);
	ev = event(TCPSESS_EVENT_INVALID, &s);
	ev.reason = TCPSESS_INVALID_MIDSTREAM;
	ev.present |= TS_BIT(TCPSESS_A_REASON);
	ASSERT_PRINTS(S("{\"event\":\"INVALID\",\"seq\":41,",
			V4_JSON_ENDPOINTS,
			"\"community_id\":\"1:dklX60SeCBnsS2FKJRWntJ2nSho=\",",
			"\"reason\":\"MIDSTREAM\"}\n"),
		      ts_print_event_json(f, &ev));
}

TEST(event_json_unknown_values)
{
	struct ts_event ev = event(9, NULL);

	ev.reason = 77;
	ev.dir = 3;
	ev.present |= TS_BIT(TCPSESS_A_REASON) | TS_BIT(TCPSESS_A_DIR);
	ASSERT_PRINTS(S("{\"event\":\"9\",\"seq\":41,\"reason\":\"77\",\"dir\":\"3\"}\n"),
		      ts_print_event_json(f, &ev));

	ev = event(TCPSESS_EVENT_END, NULL);
	ev.reason = 77;
	ev.present |= TS_BIT(TCPSESS_A_REASON);
	ASSERT_PRINTS(S("{\"event\":\"END\",\"seq\":41,\"reason\":\"77\"}\n"),
		      ts_print_event_json(f, &ev));
}

TEST(event_text)
{
	struct ts_session s = v4_session();
	struct ts_event ev;

	s.state = TCPSESS_STATE_SYN_SENT;
	ev = event(TCPSESS_EVENT_NEW, &s);
	ASSERT_PRINTS(S("NEW 17 10.1.0.1:40001 -> 10.1.0.2:8000 SYN_SENT\n"),
		      ts_print_event_text(f, &ev));

	s.state = TCPSESS_STATE_SYN_RECV;
	ev = event(TCPSESS_EVENT_STATE, &s);
	ev.old_state = TCPSESS_STATE_SYN_SENT;
	ev.present |= TS_BIT(TCPSESS_A_OLD_STATE);
	ASSERT_PRINTS(S("STATE 17 10.1.0.1:40001 -> 10.1.0.2:8000 SYN_SENT -> SYN_RECV\n"),
		      ts_print_event_text(f, &ev));

	s.state = TCPSESS_STATE_TIME_WAIT;
	ev = event(TCPSESS_EVENT_END, &s);
	ev.reason = TCPSESS_END_FIN;
	ev.present |= TS_BIT(TCPSESS_A_REASON);
	ASSERT_PRINTS(S("END 17 10.1.0.1:40001 -> 10.1.0.2:8000 reason FIN in TIME_WAIT ",
			"age 444ms pkts 9/7 bytes 3000/3000 ipbytes 3468/3364 ",
			"rtt 634us/761us ",
			"retrans 0/0 history ShADadFf\n"),
		      ts_print_event_text(f, &ev));

	/* The counters as END shows them, in the state the session is in. */
	s.state = TCPSESS_STATE_ESTABLISHED;
	ev = event(TCPSESS_EVENT_UPDATE, &s);
	ASSERT_PRINTS(S("UPDATE 17 10.1.0.1:40001 -> 10.1.0.2:8000 ESTABLISHED ",
			"age 444ms pkts 9/7 bytes 3000/3000 ipbytes 3468/3364 ",
			"rtt 634us/761us ",
			"retrans 0/0 history ShADadFf\n"),
		      ts_print_event_text(f, &ev));

	s.state = TCPSESS_STATE_ESTABLISHED;
	ev = event(TCPSESS_EVENT_INVALID, &s);
	ev.reason = TCPSESS_INVALID_BAD_CHECKSUM;
	ev.dir = TCPSESS_DIR_ORIG;
	ev.present |= TS_BIT(TCPSESS_A_REASON) | TS_BIT(TCPSESS_A_DIR);
	ASSERT_PRINTS(S("INVALID 17 10.1.0.1:40001 -> 10.1.0.2:8000 bad_checksum ",
			"in ESTABLISHED dir orig\n"),
		      ts_print_event_text(f, &ev));
}

TEST(event_text_v6_flags_and_no_rtt)
{
	struct ts_session s = v6_session();
	struct ts_event ev;

	ev = event(TCPSESS_EVENT_NEW, &s);
	ASSERT_PRINTS(S("NEW 5 [2001:db8::1]:50000 -> [2001:db8::2]:443 ",
			"ESTABLISHED flags PICKUP\n"),
		      ts_print_event_text(f, &ev));

	ev = event(TCPSESS_EVENT_END, &s);
	ev.reason = TCPSESS_END_TIMEOUT;
	ev.present |= TS_BIT(TCPSESS_A_REASON);
	ASSERT_PRINTS(S("END 5 [2001:db8::1]:50000 -> [2001:db8::2]:443 ",
			"reason TIMEOUT in ESTABLISHED age 1h02m pkts 12345/67890 ",
			"bytes 1000000/2000000 ipbytes 1888840/6888080 rtt -/- ",
			"retrans 1/2 history DdA ",
			"flags PICKUP\n"),
		      ts_print_event_text(f, &ev));
}

TEST(event_text_without_a_session)
{
	struct ts_session s = v4_session();
	struct ts_event ev;

	s.present = TS_BIT(TCPSESS_SESSION_FAMILY) |
		    TS_BIT(TCPSESS_SESSION_SRC_ADDR) |
		    TS_BIT(TCPSESS_SESSION_SRC_PORT) |
		    TS_BIT(TCPSESS_SESSION_DST_ADDR) |
		    TS_BIT(TCPSESS_SESSION_DST_PORT);
	ev = event(TCPSESS_EVENT_INVALID, &s);
	ev.reason = TCPSESS_INVALID_MIDSTREAM;
	ev.present |= TS_BIT(TCPSESS_A_REASON);
	ASSERT_PRINTS(S("INVALID - 10.1.0.1:40001 -> 10.1.0.2:8000 midstream\n"),
		      ts_print_event_text(f, &ev));

	ev = event(TCPSESS_EVENT_NEW, NULL);
	ASSERT_PRINTS(S("NEW - ?:? -> ?:?\n"), ts_print_event_text(f, &ev));

	ev = event(12, NULL);
	ASSERT_PRINTS(S("12 - ?:? -> ?:?\n"), ts_print_event_text(f, &ev));
}

TEST(event_text_is_terminal_safe)
{
	struct ts_session s = v4_session();
	struct ts_event ev;
	char *text, *p;

	snprintf(s.history, sizeof(s.history), "%s", "S\x1b[2J\n\xff");
	ev = event(TCPSESS_EVENT_END, &s);
	CAPTURE(text, ts_print_event_text(f, &ev));
	EXPECT_NE(NULL, strstr(text, " history S?[2J??\n"));
	for (p = text; *p; p++)
		EXPECT_TRUE((*p >= 0x20 && *p < 0x7f) || (*p == '\n' && !p[1]));
	free(text);
}

static const char *const proc_stats_order[] = {
	"sessions_active", "sessions_max", "sessions_created", "sessions_ended",
	"ended_fin", "ended_rst", "ended_timeout", "ended_evicted",
	"ended_flushed", "ended_reused",
	"state_syn_sent", "state_syn_recv", "state_established",
	"state_fin_wait_1", "state_fin_wait_2", "state_closing",
	"state_last_ack", "state_time_wait", "state_closed",
	"packets_seen", "packets_invalid", "fragments_ignored", "table_full",
	"events_sent", "events_suppressed", "memory_bytes",
	"invalid_hdr_truncated", "invalid_bad_data_offset",
	"invalid_bad_checksum", "invalid_bad_flags", "invalid_syn_unexpected",
	"invalid_synack_unexpected", "invalid_synack_bad_ack",
	"invalid_ack_bad_ack", "invalid_seq_out_of_window",
	"invalid_ack_out_of_window", "invalid_rst_out_of_window",
	"invalid_rst_inexact", "invalid_data_after_fin", "invalid_midstream",
	"rtt_syn_le_50us", "rtt_syn_le_100us", "rtt_syn_le_250us",
	"rtt_syn_le_500us", "rtt_syn_le_1000us", "rtt_syn_le_2500us",
	"rtt_syn_le_5000us", "rtt_syn_le_10000us", "rtt_syn_le_25000us",
	"rtt_syn_le_50000us", "rtt_syn_le_100000us", "rtt_syn_le_250000us",
	"rtt_syn_le_500000us", "rtt_syn_le_1000000us", "rtt_syn_le_2500000us",
	"rtt_syn_le_5000000us", "rtt_syn_le_inf", "rtt_syn_sum_us",
	"rtt_ack_le_50us", "rtt_ack_le_100us", "rtt_ack_le_250us",
	"rtt_ack_le_500us", "rtt_ack_le_1000us", "rtt_ack_le_2500us",
	"rtt_ack_le_5000us", "rtt_ack_le_10000us", "rtt_ack_le_25000us",
	"rtt_ack_le_50000us", "rtt_ack_le_100000us", "rtt_ack_le_250000us",
	"rtt_ack_le_500000us", "rtt_ack_le_1000000us", "rtt_ack_le_2500000us",
	"rtt_ack_le_5000000us", "rtt_ack_le_inf", "rtt_ack_sum_us",
};

/* Every counter set to a value of its own. */
static struct ts_stats full_stats(void)
{
	struct ts_stats st = { 0 };
	unsigned int i;

	for (i = 1; i < __TCPSESS_STAT_MAX; i++) {
		st.counter[i] = 1000 + i;
		st.has_counter |= TS_BIT(i);
	}
	for (i = 1; i < __TCPSESS_STATE_MAX; i++) {
		st.state[i] = 2000 + i;
		st.has_state |= TS_BIT(i);
	}
	for (i = 1; i < __TCPSESS_INVALID_MAX; i++) {
		st.invalid[i] = 3000 + i;
		st.has_invalid |= TS_BIT(i);
	}
	for (i = 1; i < __TCPSESS_RTT_HIST_MAX; i++) {
		st.rtt[TS_RTT_SYN][i] = 4000 + i;
		st.rtt[TS_RTT_ACK][i] = 5000 + i;
	}
	st.has_rtt[TS_RTT_SYN] = TS_BIT(__TCPSESS_RTT_HIST_MAX) - 2;
	st.has_rtt[TS_RTT_ACK] = TS_BIT(__TCPSESS_RTT_HIST_MAX) - 2;
	st.counter[TCPSESS_STAT_MEMORY_BYTES] = UINT64_MAX;
	return st;
}

TEST(stats_in_proc_order)
{
	struct ts_stats st = full_stats();
	char *text, *line, *save;
	unsigned int n = 0;

	ASSERT_EQ(ARRAY_SIZE(proc_stats_order),
		  TCPSESS_STAT_MAX + TCPSESS_STATE_MAX + TCPSESS_INVALID_MAX +
		  2 * TCPSESS_RTT_HIST_MAX);
	CAPTURE(text, ts_print_stats(f, &st, false));
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save), n++) {
		ASSERT_GT(ARRAY_SIZE(proc_stats_order), n);
		EXPECT_EQ(0, strncmp(line, proc_stats_order[n],
				     strlen(proc_stats_order[n])));
		EXPECT_EQ(' ', line[strlen(proc_stats_order[n])]) {
			TH_LOG("line %u: '%s'", n, line);
		}
	}
	EXPECT_EQ(ARRAY_SIZE(proc_stats_order), n);
	free(text);

	CAPTURE(text, ts_print_stats(f, &st, false));
	EXPECT_NE(NULL, strstr(text, "\nended_reused 1010\nstate_syn_sent 2001\n"));
	EXPECT_NE(NULL, strstr(text, "\nmemory_bytes 18446744073709551615\n"));
	EXPECT_NE(NULL, strstr(text, "\ninvalid_midstream 3014\nrtt_syn_le_50us 4003\n"));
	/* Each line shows its own field: buckets, then count and sum. */
	EXPECT_NE(NULL, strstr(text, "\nrtt_syn_le_5000000us 4018\nrtt_syn_le_inf 4001\n"
				     "rtt_syn_sum_us 4002\nrtt_ack_le_50us 5003\n"));
	EXPECT_NE(NULL, strstr(text, "\nrtt_ack_le_inf 5001\nrtt_ack_sum_us 5002\n"));
	free(text);
}

TEST(stats_json)
{
	struct ts_stats st = full_stats();
	char *text;

	CAPTURE(text, ts_print_stats(f, &st, true));
	EXPECT_EQ(0, strncmp(text, "{\"sessions_active\":1001,\"sessions_max\":1002,", 44));
	EXPECT_NE(NULL, strstr(text, ",\"ended_reused\":1010,\"state_syn_sent\":2001,"));
	EXPECT_NE(NULL, strstr(text, ",\"invalid_midstream\":3014,\"rtt_syn_le_50us\":4003,"));
	EXPECT_NE(NULL, strstr(text, ",\"rtt_syn_le_inf\":4001,\"rtt_syn_sum_us\":4002,"));
	EXPECT_NE(NULL, strstr(text, ",\"rtt_ack_le_5000000us\":5018,\"rtt_ack_le_inf\":5001,"));
	EXPECT_NE(NULL, strstr(text, ",\"rtt_ack_sum_us\":5002}\n"));
	/* One line. */
	EXPECT_EQ(strchr(text, '\n'), text + strlen(text) - 1);
	free(text);
}

TEST(stats_only_what_the_kernel_sent)
{
	struct ts_stats st = { 0 };

	st.counter[TCPSESS_STAT_TABLE_FULL] = 3;
	st.has_counter = TS_BIT(TCPSESS_STAT_TABLE_FULL);
	st.state[TCPSESS_STATE_CLOSED] = 2;
	st.has_state = TS_BIT(TCPSESS_STATE_CLOSED);
	st.rtt[TS_RTT_ACK][TCPSESS_RTT_HIST_COUNT] = 9;
	st.has_rtt[TS_RTT_ACK] = TS_BIT(TCPSESS_RTT_HIST_COUNT);
	ASSERT_PRINTS(S("state_closed 2\ntable_full 3\nrtt_ack_le_inf 9\n"),
		      ts_print_stats(f, &st, false));
	ASSERT_PRINTS(S("{\"state_closed\":2,\"table_full\":3,\"rtt_ack_le_inf\":9}\n"),
		      ts_print_stats(f, &st, true));
	memset(&st, 0, sizeof(st));
	ASSERT_PRINTS(S(""), ts_print_stats(f, &st, false));
	ASSERT_PRINTS(S("{}\n"), ts_print_stats(f, &st, true));
}

static struct ts_config default_config(void)
{
	static const u32 timeouts[] = { 120, 60, 432000, 120, 60, 120, 30, 120, 10 };
	struct ts_config cfg = { 0 };
	unsigned int i;

	cfg.value[TS_CFG_MAX_SESSIONS] = 262144;
	for (i = 0; i < ARRAY_SIZE(timeouts); i++)
		cfg.value[TS_CFG_TIMEOUT + i] = timeouts[i];
	cfg.value[TS_CFG_MODE] = TCPSESS_MODE_MONITOR;
	cfg.value[TS_CFG_PICKUP] = 1;
	cfg.value[TS_CFG_EVENT_RATE] = 10000;
	cfg.value[TS_CFG_TIMEOUT_PICKUP] = 300;
	cfg.value[TS_CFG_REPORT_INTERVAL] = 0;
	cfg.present = (1U << TS_CFG_NKEYS) - 1;
	return cfg;
}

TEST(config_all)
{
	struct ts_config cfg = default_config();

	ASSERT_PRINTS(S("max_sessions 262144\n",
			"timeout_syn_sent 120\n",
			"timeout_syn_recv 60\n",
			"timeout_established 432000\n",
			"timeout_fin_wait_1 120\n",
			"timeout_fin_wait_2 60\n",
			"timeout_closing 120\n",
			"timeout_last_ack 30\n",
			"timeout_time_wait 120\n",
			"timeout_closed 10\n",
			"mode monitor\n",
			"pickup 1\n",
			"event_rate 10000\n",
			"timeout_pickup 300\n",
			"report_interval 0\n"),
		      ts_print_config(f, &cfg, NULL, 0, false));
	ASSERT_PRINTS(S("{\"max_sessions\":262144,\"timeout_syn_sent\":120,",
			"\"timeout_syn_recv\":60,\"timeout_established\":432000,",
			"\"timeout_fin_wait_1\":120,\"timeout_fin_wait_2\":60,",
			"\"timeout_closing\":120,\"timeout_last_ack\":30,",
			"\"timeout_time_wait\":120,\"timeout_closed\":10,",
			"\"mode\":\"monitor\",\"pickup\":1,\"event_rate\":10000,",
			"\"timeout_pickup\":300,\"report_interval\":0}\n"),
		      ts_print_config(f, &cfg, NULL, 0, true));
}

TEST(config_some_in_the_order_asked)
{
	struct ts_config cfg = default_config();
	const u8 keys[] = { TS_CFG_MODE, TS_CFG_TIMEOUT + 8, TS_CFG_MAX_SESSIONS };

	cfg.value[TS_CFG_MODE] = TCPSESS_MODE_ENFORCE;
	ASSERT_PRINTS(S("mode enforce\ntimeout_closed 10\nmax_sessions 262144\n"),
		      ts_print_config(f, &cfg, keys, 3, false));
	ASSERT_PRINTS(S("{\"mode\":\"enforce\",\"timeout_closed\":10,",
			"\"max_sessions\":262144}\n"),
		      ts_print_config(f, &cfg, keys, 3, true));
	/* A mode this build cannot name is shown as its number. */
	cfg.value[TS_CFG_MODE] = 7;
	ASSERT_PRINTS(S("mode 7\n"), ts_print_config(f, &cfg, keys, 1, false));
}

TEST(table_layout)
{
	static const char *const want[] = {
		"ID AF STATE       SRC                 DST                 AGE  IDLE        PKTS           BYTES         IPBYTES RTT-SYN RTT-ACK RETRANS HISTORY  FLAGS\n",
		" 5 6  ESTABLISHED [2001:db8::1]:50000 [2001:db8::2]:443 1h02m 1.50s 12345/67890 1000000/2000000 1888840/6888080       -       -     1/2 DdA      PICKUP\n",
		"17 4  TIME_WAIT   10.1.0.1:40001      10.1.0.2:8000     444ms 420ms         9/7       3000/3000       3468/3364   634us   761us     0/0 ShADadFf -\n",
		NULL
	};
	struct ts_session a = v4_session(), b = v6_session();
	struct ts_table t = { 0 };

	ASSERT_EQ(0, ts_table_add(&t, &a));
	ASSERT_EQ(0, ts_table_add(&t, &b));
	/* Oldest first: b, an hour old, before a. */
	ASSERT_PRINTS(want, ts_table_print(f, &t));
	ts_table_free(&t);
	ASSERT_EQ(NULL, t.rows);
}

TEST(table_empty_is_a_header)
{
	static const char *const want[] = {
		"ID AF STATE SRC DST AGE IDLE PKTS BYTES IPBYTES RTT-SYN RTT-ACK RETRANS HISTORY FLAGS\n",
		NULL
	};
	struct ts_table t = { 0 };

	ASSERT_PRINTS(want, ts_table_print(f, &t));
	ts_table_free(&t);
}

/* A module older than the IP byte counts: the column says so. */
TEST(table_without_ipbytes)
{
	static const char *const want[] = {
		"ID AF STATE     SRC            DST             AGE  IDLE PKTS     BYTES IPBYTES RTT-SYN RTT-ACK RETRANS HISTORY  FLAGS\n",
		"17 4  TIME_WAIT 10.1.0.1:40001 10.1.0.2:8000 444ms 420ms  9/7 3000/3000       -   634us   761us     0/0 ShADadFf -\n",
		NULL
	};
	struct ts_session a = v4_session();
	struct ts_table t = { 0 };

	a.present &= ~(TS_BIT(TCPSESS_SESSION_IPBYTES_ORIG) |
		       TS_BIT(TCPSESS_SESSION_IPBYTES_REPLY));
	ASSERT_EQ(0, ts_table_add(&t, &a));
	ASSERT_PRINTS(want, ts_table_print(f, &t));
	ts_table_free(&t);
}

/* Many rows: every line as wide as the header, nothing trailing. */
TEST(table_columns_line_up)
{
	struct ts_table t = { 0 };
	char *text, *line, *save;
	size_t header_len = 0;
	unsigned int i, n = 0;

	for (i = 0; i < 1000; i++) {
		struct ts_session s = i % 2 ? v4_session() : v6_session();

		s.id = (u64)i * 7919;
		s.age_ms = (u64)i * 977;
		s.flags = TCPSESS_F_SIMOPEN;
		s.bytes[0] = (u64)1 << (i % 64);
		ASSERT_EQ(0, ts_table_add(&t, &s));
	}
	CAPTURE(text, ts_table_print(f, &t));
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save), n++) {
		/* The last column is not padded: FLAGS, or SIMOPEN in all rows. */
		if (!n)
			header_len = strlen(line) - strlen("FLAGS");
		else
			EXPECT_EQ(header_len + strlen("SIMOPEN"), strlen(line));
		EXPECT_NE(' ', line[strlen(line) - 1]);
	}
	EXPECT_EQ(1001, n);
	free(text);
	/* Sorted by age, oldest first. */
	for (i = 1; i < t.len; i++)
		ASSERT_GE(t.rows[i - 1].age_ms, t.rows[i].age_ms);
	ts_table_free(&t);
}

TEST(table_is_terminal_safe)
{
	struct ts_session s = v4_session();
	struct ts_table t = { 0 };
	char *text;

	snprintf(s.history, sizeof(s.history), "%s", "\x1b]0;owned\a");
	s.present &= ~TS_BIT(TCPSESS_SESSION_RTT_ACK_US);
	ASSERT_EQ(0, ts_table_add(&t, &s));
	CAPTURE(text, ts_table_print(f, &t));
	EXPECT_EQ(NULL, strchr(text, '\x1b'));
	EXPECT_NE(NULL, strstr(text, " ?]0;owned? "));
	free(text);
	ts_table_free(&t);
}

TEST_HARNESS_MAIN
