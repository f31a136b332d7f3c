// SPDX-License-Identifier: GPL-2.0
/*
 * The IPFIX encoder against messages written out by hand from RFC 7011,
 * RFC 5103 and IANA's element numbers: templates, records, the options
 * record, sequence numbers, variable-length history, message size; and
 * the records made of events: deltas, end reasons, flags, timestamps.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "ipfix.h"

/*
 * A field specifier: element id and length, four bytes; an enterprise
 * element sets the id's top bit and adds its PEN: 29305 (0x7279) for RFC
 * 5103's reverse elements, 32473 (0x7ed9) for tcpsess's own.
 */
static const u8 tmpl_v4[] = {
	0x01, 0x00, 0x00, 0x15,		/* template 256, 21 fields */
	0x00, 0x94, 0x00, 0x08,		/* flowId (148) */
	0x00, 0x08, 0x00, 0x04,		/* sourceIPv4Address (8) */
	0x00, 0x0c, 0x00, 0x04,		/* destinationIPv4Address (12) */
	0x00, 0x07, 0x00, 0x02,		/* sourceTransportPort (7) */
	0x00, 0x0b, 0x00, 0x02,		/* destinationTransportPort (11) */
	0x00, 0x04, 0x00, 0x01,		/* protocolIdentifier (4) */
	0x00, 0xef, 0x00, 0x01,		/* biflowDirection (239) */
	0x00, 0x88, 0x00, 0x01,		/* flowEndReason (136) */
	0x00, 0x06, 0x00, 0x02,		/* tcpControlBits (6) */
	0x80, 0x06, 0x00, 0x02, 0x00, 0x00, 0x72, 0x79, /* its reverse */
	0x00, 0x98, 0x00, 0x08,		/* flowStartMilliseconds (152) */
	0x00, 0x99, 0x00, 0x08,		/* flowEndMilliseconds (153) */
	0x00, 0x02, 0x00, 0x08,		/* packetDeltaCount (2) */
	0x00, 0x01, 0x00, 0x08,		/* octetDeltaCount (1) */
	0x80, 0x02, 0x00, 0x08, 0x00, 0x00, 0x72, 0x79, /* reverse packets */
	0x80, 0x01, 0x00, 0x08, 0x00, 0x00, 0x72, 0x79, /* reverse octets */
	0x80, 0x01, 0x00, 0x04, 0x00, 0x00, 0x7e, 0xd9, /* rtt_syn_us */
	0x80, 0x02, 0x00, 0x04, 0x00, 0x00, 0x7e, 0xd9, /* rtt_ack_us */
	0x80, 0x03, 0x00, 0x04, 0x00, 0x00, 0x7e, 0xd9, /* retrans_orig */
	0x80, 0x04, 0x00, 0x04, 0x00, 0x00, 0x7e, 0xd9, /* retrans_reply */
	0x80, 0x05, 0xff, 0xff, 0x00, 0x00, 0x7e, 0xd9, /* history, varlen */
};

/* The same but for the template id and the addresses. */
static const u8 tmpl_v6[] = {
	0x01, 0x01, 0x00, 0x15,		/* template 257, 21 fields */
	0x00, 0x94, 0x00, 0x08,
	0x00, 0x1b, 0x00, 0x10,		/* sourceIPv6Address (27) */
	0x00, 0x1c, 0x00, 0x10,		/* destinationIPv6Address (28) */
	0x00, 0x07, 0x00, 0x02,
	0x00, 0x0b, 0x00, 0x02,
	0x00, 0x04, 0x00, 0x01,
	0x00, 0xef, 0x00, 0x01,
	0x00, 0x88, 0x00, 0x01,
	0x00, 0x06, 0x00, 0x02,
	0x80, 0x06, 0x00, 0x02, 0x00, 0x00, 0x72, 0x79,
	0x00, 0x98, 0x00, 0x08,
	0x00, 0x99, 0x00, 0x08,
	0x00, 0x02, 0x00, 0x08,
	0x00, 0x01, 0x00, 0x08,
	0x80, 0x02, 0x00, 0x08, 0x00, 0x00, 0x72, 0x79,
	0x80, 0x01, 0x00, 0x08, 0x00, 0x00, 0x72, 0x79,
	0x80, 0x01, 0x00, 0x04, 0x00, 0x00, 0x7e, 0xd9,
	0x80, 0x02, 0x00, 0x04, 0x00, 0x00, 0x7e, 0xd9,
	0x80, 0x03, 0x00, 0x04, 0x00, 0x00, 0x7e, 0xd9,
	0x80, 0x04, 0x00, 0x04, 0x00, 0x00, 0x7e, 0xd9,
	0x80, 0x05, 0xff, 0xff, 0x00, 0x00, 0x7e, 0xd9,
};

static const u8 tmpl_options[] = {
	0x01, 0x02, 0x00, 0x03,		/* template 258, 3 fields */
	0x00, 0x01,			/* the first one the scope */
	0x00, 0x90, 0x00, 0x04,		/* exportingProcessId (144) */
	0x00, 0xa6, 0x00, 0x08,		/* notSentFlowTotalCount (166) */
	0x80, 0x06, 0x00, 0x08, 0x00, 0x00, 0x7e, 0xd9, /* lost events */
};

static const u8 hdr_templates[] = {
	0x00, 0x0a,			/* version 10 */
	0x01, 0x1e,			/* length 286 */
	0x65, 0x43, 0x21, 0x00,		/* export time */
	0x00, 0x00, 0x00, 0x07,		/* sequence number */
	0x00, 0x00, 0x00, 0x2a,		/* observation domain 42 */
};

/* 10.0.0.1:40000 -> 10.0.0.2:80, history ShADadFf. */
static const u8 rec_v4[] = {
	0, 0, 0, 0, 0, 0, 0x01, 0x02,		/* flowId 258 */
	10, 0, 0, 1, 10, 0, 0, 2,
	0x9c, 0x40, 0x00, 0x50,			/* ports */
	6, 1, 3,				/* TCP, initiator, end of flow */
	0x00, 0x13, 0x00, 0x13,			/* SYN ACK FIN, each way */
	0, 0, 0x01, 0x8b, 0xcf, 0xe5, 0x68, 0x00, /* start 1700000000000 */
	0, 0, 0x01, 0x8b, 0xcf, 0xe5, 0x6c, 0xb0, /* end, 1.2 s later */
	0, 0, 0, 0, 0, 0, 0, 9,			/* packets */
	0, 0, 0, 0, 0, 0, 0x0d, 0xac,		/* octets 3500 */
	0, 0, 0, 0, 0, 0, 0, 7,
	0, 0, 0, 0, 0, 0, 0x0c, 0xe4,		/* 3300 */
	0, 0, 0x02, 0x7a,			/* rtt_syn 634 */
	0xff, 0xff, 0xff, 0xff,			/* rtt_ack not measured */
	0, 0, 0, 1, 0, 0, 0, 0,			/* retrans */
	8, 'S', 'h', 'A', 'D', 'a', 'd', 'F', 'f',
};

static struct ts_ipfix_rec sample_v4(void)
{
	struct ts_ipfix_rec r = {
		.flow_id = 258,
		.family = 4,
		.src = { 10, 0, 0, 1 },
		.dst = { 10, 0, 0, 2 },
		.sport = 40000,
		.dport = 80,
		.end_reason = TS_IPFIX_END_OF_FLOW,
		.start_ms = 1700000000000ULL,
		.end_ms = 1700000001200ULL,
		.pkts = { 9, 7 },
		.octets = { 3500, 3300 },
		.rtt_syn_us = 634,
		.rtt_ack_us = UINT32_MAX,
		.retrans = { 1, 0 },
		.history = "ShADadFf",
	};

	ts_ipfix_history_flags(r.history, r.tcp_flags);
	return r;
}

/* Says where got and want first differ, if they do. */
static bool same_bytes(struct __test_metadata *_metadata, const u8 *got,
		       size_t got_len, const u8 *want, size_t want_len)
{
	size_t i;

	if (got_len != want_len) {
		TH_LOG("length %zu, want %zu", got_len, want_len);
		return false;
	}
	for (i = 0; i < got_len; i++) {
		if (got[i] != want[i]) {
			TH_LOG("byte %zu: got 0x%02x, want 0x%02x", i, got[i],
			       want[i]);
			return false;
		}
	}
	return true;
}

#define ASSERT_BYTES(got, got_len, want, want_len) \
	ASSERT_TRUE(same_bytes(_metadata, got, got_len, want, want_len))

TEST(template_message)
{
	u8 buf[1400], want[400], *p = want;
	struct ts_ipfix_msg m;
	size_t len;

	ts_ipfix_msg_init(&m, buf, sizeof(buf));
	ASSERT_EQ(0, ts_ipfix_msg_add_templates(&m));
	len = ts_ipfix_msg_finish(&m, 0x65432100, 7, 42);

	memcpy(p, hdr_templates, sizeof(hdr_templates));
	p += sizeof(hdr_templates);
	/* Set 2 holds both templates: 4 + 120 + 120 bytes. */
	ASSERT_EQ(120, sizeof(tmpl_v4));
	ASSERT_EQ(120, sizeof(tmpl_v6));
	*p++ = 0; *p++ = 2; *p++ = 0; *p++ = 244;
	memcpy(p, tmpl_v4, sizeof(tmpl_v4));
	p += sizeof(tmpl_v4);
	memcpy(p, tmpl_v6, sizeof(tmpl_v6));
	p += sizeof(tmpl_v6);
	/* Set 3, the options template: 4 + 22 bytes. */
	*p++ = 0; *p++ = 3; *p++ = 0; *p++ = 26;
	memcpy(p, tmpl_options, sizeof(tmpl_options));
	p += sizeof(tmpl_options);

	ASSERT_BYTES(buf, len, want, (size_t)(p - want));
	/* Templates are no data records. */
	ASSERT_EQ(0, m.records);
}

TEST(data_record_v4)
{
	struct ts_ipfix_rec r = sample_v4();
	u8 rec[TS_IPFIX_REC_MAX];
	size_t len;
	u16 tid;

	len = ts_ipfix_encode_rec(&r, rec, &tid);
	ASSERT_EQ(TS_IPFIX_TID_IPV4, tid);
	ASSERT_BYTES(rec, len, rec_v4, sizeof(rec_v4));
}

TEST(data_record_v6_in_a_message)
{
	struct ts_ipfix_rec r = sample_v4();
	u8 rec[TS_IPFIX_REC_MAX], buf[1400], want[200], *p = want;
	static const u8 hdr[] = {
		0x00, 0x0a, 0x00, 16 + 4 + 115 + 1,
		0x00, 0x00, 0x00, 0x01,		/* export time 1 */
		0xff, 0xff, 0xff, 0xff,		/* sequence number */
		0x00, 0x00, 0x00, 0x00,		/* domain 0 */
		0x01, 0x01, 0x00, 4 + 115 + 1,	/* set 257 */
	};
	static const u8 src6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	static const u8 dst6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };
	struct ts_ipfix_msg m;
	size_t len;
	u16 tid;

	r.family = 6;
	inet_pton(AF_INET6, "2001:db8::1", r.src);
	inet_pton(AF_INET6, "2001:db8::2", r.dst);
	r.history[0] = '\0';
	len = ts_ipfix_encode_rec(&r, rec, &tid);
	ASSERT_EQ(TS_IPFIX_TID_IPV6, tid);
	ASSERT_EQ(116, len);

	ts_ipfix_msg_init(&m, buf, sizeof(buf));
	ASSERT_EQ(0, ts_ipfix_msg_add_record(&m, tid, rec, len));
	len = ts_ipfix_msg_finish(&m, 1, UINT32_MAX, 0);

	memcpy(p, hdr, sizeof(hdr));
	p += sizeof(hdr);
	memcpy(p, rec_v4, 8);				/* flowId */
	p += 8;
	memcpy(p, src6, sizeof(src6));
	p += sizeof(src6);
	memcpy(p, dst6, sizeof(dst6));
	p += sizeof(dst6);
	/* Ports onwards as in IPv4, but for the history: empty. */
	memcpy(p, rec_v4 + 16, sizeof(rec_v4) - 16 - 9);
	p += sizeof(rec_v4) - 16 - 9;
	*p++ = 0;
	ASSERT_BYTES(buf, len, want, (size_t)(p - want));
	ASSERT_EQ(1, m.records);
}

TEST(options_record)
{
	struct ts_ipfix_loss loss = {
		.exporter_id = 4242,
		.not_sent = 0x0102030405060708ULL,
		.lost_events = 17,
	};
	static const u8 want[] = {
		0x00, 0x00, 0x10, 0x92,
		0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
		0, 0, 0, 0, 0, 0, 0, 17,
	};
	u8 rec[TS_IPFIX_REC_MAX];

	ASSERT_BYTES(rec, ts_ipfix_encode_loss(&loss, rec), want,
		     sizeof(want));
}

/* Records of two templates alternate: each change opens a set. */
TEST(sets_follow_the_templates)
{
	struct ts_ipfix_rec r = sample_v4();
	u8 v4[TS_IPFIX_REC_MAX], opt[TS_IPFIX_REC_MAX], buf[1400];
	struct ts_ipfix_loss loss = { 0 };
	struct ts_ipfix_msg m;
	size_t l4, lo, len, off;
	u16 tid;

	l4 = ts_ipfix_encode_rec(&r, v4, &tid);
	lo = ts_ipfix_encode_loss(&loss, opt);
	ts_ipfix_msg_init(&m, buf, sizeof(buf));
	ASSERT_EQ(0, ts_ipfix_msg_add_record(&m, tid, v4, l4));
	ASSERT_EQ(0, ts_ipfix_msg_add_record(&m, tid, v4, l4));
	ASSERT_EQ(0, ts_ipfix_msg_add_record(&m, TS_IPFIX_TID_OPTIONS, opt,
					     lo));
	ASSERT_EQ(0, ts_ipfix_msg_add_record(&m, tid, v4, l4));
	len = ts_ipfix_msg_finish(&m, 0, 0, 0);
	ASSERT_EQ(4, m.records);
	ASSERT_EQ(16 + 3 * 4 + 3 * l4 + lo, len);

	off = 16;
	ASSERT_EQ(0x01, buf[off]);
	ASSERT_EQ(0x00, buf[off + 1]);
	ASSERT_EQ(4 + 2 * l4, (size_t)(buf[off + 2] << 8 | buf[off + 3]));
	off += 4 + 2 * l4;
	ASSERT_EQ(0x02, buf[off + 1]);
	ASSERT_EQ(4 + lo, (size_t)(buf[off + 2] << 8 | buf[off + 3]));
	off += 4 + lo;
	ASSERT_EQ(0x00, buf[off + 1]);
	ASSERT_EQ(4 + l4, (size_t)(buf[off + 2] << 8 | buf[off + 3]));
}

/*
 * RFC 7011 section 3.1: the sequence number counts data records sent
 * before the message, options records included, templates not.
 */
TEST(sequence_numbers_count_records)
{
	struct ts_ipfix_rec r = sample_v4();
	u8 rec[TS_IPFIX_REC_MAX], buf[1400];
	struct ts_ipfix_msg m;
	u32 seq = 0, want[] = { 0, 0, 3, 4 };
	unsigned int i, n;
	size_t len;
	u16 tid;

	len = ts_ipfix_encode_rec(&r, rec, &tid);
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		ts_ipfix_msg_init(&m, buf, sizeof(buf));
		if (i == 0)
			ASSERT_EQ(0, ts_ipfix_msg_add_templates(&m));
		for (n = 0; n < (i == 1 ? 3 : i == 2 ? 1 : 0); n++)
			ASSERT_EQ(0, ts_ipfix_msg_add_record(&m, tid, rec,
							     len));
		ts_ipfix_msg_finish(&m, 0, seq, 0);
		ASSERT_EQ(want[i], (u32)(buf[8] << 24 | buf[9] << 16 |
					 buf[10] << 8 | buf[11]));
		seq += m.records;
	}
}

/* RFC 7011 section 7: 255 octets and more take the three-octet form. */
TEST(varlen_history)
{
	struct ts_ipfix_rec r = sample_v4();
	u8 rec[TS_IPFIX_REC_MAX];
	size_t len;
	u16 tid;

	memset(r.history, 'D', sizeof(r.history) - 1);
	r.history[sizeof(r.history) - 1] = '\0';
	len = ts_ipfix_encode_rec(&r, rec, &tid);
	ASSERT_EQ(sizeof(rec_v4) - 8 + TS_HISTORY_LEN - 1, len);
	ASSERT_EQ(TS_HISTORY_LEN - 1, rec[sizeof(rec_v4) - 9]);
	ASSERT_EQ('D', rec[len - 1]);

	/* The longest record fits TS_IPFIX_REC_MAX. */
	r.family = 6;
	ASSERT_GE(TS_IPFIX_REC_MAX, ts_ipfix_encode_rec(&r, rec, &tid));
}

TEST(max_message_size)
{
	struct ts_ipfix_rec r = sample_v4();
	u8 rec[TS_IPFIX_REC_MAX], buf[1400];
	struct ts_ipfix_msg m;
	unsigned int n = 0;
	size_t len, want;
	u16 tid;

	len = ts_ipfix_encode_rec(&r, rec, &tid);
	ts_ipfix_msg_init(&m, buf, sizeof(buf));
	ASSERT_EQ(0, ts_ipfix_msg_add_templates(&m));
	while (!ts_ipfix_msg_add_record(&m, tid, rec, len))
		n++;
	/* 1400 - header 16 - templates 270 - set header 4, in 100s. */
	want = (1400 - 16 - 270 - 4) / len;
	ASSERT_EQ(want, n);
	ASSERT_EQ(n, m.records);
	ASSERT_GE(1400, ts_ipfix_msg_finish(&m, 0, 0, 0));
	ASSERT_LT(1400, m.len + len);

	/* A message too small for the templates takes none. */
	ts_ipfix_msg_init(&m, buf, 200);
	ASSERT_EQ(-ENOSPC, ts_ipfix_msg_add_templates(&m));
	ASSERT_EQ(16, ts_ipfix_msg_finish(&m, 0, 0, 0));
	/* A set header that no longer fits with its record stays out. */
	ts_ipfix_msg_init(&m, buf, 16 + 4 + len + 3);
	ASSERT_EQ(0, ts_ipfix_msg_add_record(&m, tid, rec, len));
	ASSERT_EQ(-ENOSPC, ts_ipfix_msg_add_record(&m, TS_IPFIX_TID_OPTIONS,
						   rec, 1));
	ASSERT_EQ(16 + 4 + len, ts_ipfix_msg_finish(&m, 0, 0, 0));
}

TEST(flags_from_history)
{
	u16 f[2];

	ts_ipfix_history_flags("ShADadFf", f);
	ASSERT_EQ(0x13, f[TCPSESS_DIR_ORIG]);
	ASSERT_EQ(0x13, f[TCPSESS_DIR_REPLY]);
	ts_ipfix_history_flags("Sr", f);
	ASSERT_EQ(0x02, f[TCPSESS_DIR_ORIG]);
	ASSERT_EQ(0x04, f[TCPSESS_DIR_REPLY]);
	ts_ipfix_history_flags("", f);
	ASSERT_EQ(0, f[0] | f[1]);
}

static struct ts_event session_event(u8 type, u64 id, u64 pkts, u64 octets)
{
	struct ts_event ev = { 0 };

	ev.present = TS_BIT(TCPSESS_A_EVENT) | TS_BIT(TCPSESS_A_SESSION);
	ev.type = type;
	ev.reason = type == TCPSESS_EVENT_END ? TCPSESS_END_FIN : 0;
	ev.s.present = TS_BIT(TCPSESS_SESSION_ID) |
		       TS_BIT(TCPSESS_SESSION_FAMILY) |
		       TS_BIT(TCPSESS_SESSION_SRC_ADDR) |
		       TS_BIT(TCPSESS_SESSION_SRC_PORT) |
		       TS_BIT(TCPSESS_SESSION_DST_ADDR) |
		       TS_BIT(TCPSESS_SESSION_DST_PORT);
	ev.s.id = id;
	ev.s.family = 4;
	inet_pton(AF_INET, "10.0.0.1", ev.s.src);
	inet_pton(AF_INET, "10.0.0.2", ev.s.dst);
	ev.s.sport = 40000;
	ev.s.dport = 80;
	ev.s.pkts[0] = pkts;
	ev.s.pkts[1] = pkts / 2;
	ev.s.ipbytes[0] = octets;
	ev.s.ipbytes[1] = octets / 2;
	ev.s.age_ms = 5000;
	ev.s.idle_ms = 100;
	/* SYN and ACK each way */
	snprintf(ev.s.history, sizeof(ev.s.history), "ShAD");
	return ev;
}

TEST(deltas_across_reports)
{
	struct ts_ipfix_flows t;
	struct ts_ipfix_rec r;
	struct ts_event ev;

	ts_ipfix_flows_init(&t, 16);
	ev = session_event(TCPSESS_EVENT_UPDATE, 7, 10, 1000);
	ASSERT_EQ(0, ts_ipfix_rec_from_event(&t, &ev, 100000, &r));
	ASSERT_EQ(TS_IPFIX_END_ACTIVE, r.end_reason);
	ASSERT_EQ(10, r.pkts[0]);
	ASSERT_EQ(5, r.pkts[1]);
	ASSERT_EQ(1000, r.octets[0]);
	ASSERT_EQ(500, r.octets[1]);
	ASSERT_EQ(95000, r.start_ms);
	ASSERT_EQ(99900, r.end_ms);
	ASSERT_EQ(0x12, r.tcp_flags[0]);
	ASSERT_EQ(0x12, r.tcp_flags[1]);
	ASSERT_EQ(UINT32_MAX, r.rtt_syn_us);

	/* Nothing new: no record. */
	ev.s.age_ms = 15000;
	ASSERT_EQ(1, ts_ipfix_rec_from_event(&t, &ev, 110000, &r));

	ev = session_event(TCPSESS_EVENT_UPDATE, 7, 30, 4000);
	ev.s.age_ms = 25000;
	ASSERT_EQ(0, ts_ipfix_rec_from_event(&t, &ev, 120000, &r));
	ASSERT_EQ(20, r.pkts[0]);
	ASSERT_EQ(10, r.pkts[1]);
	ASSERT_EQ(3000, r.octets[0]);
	ASSERT_EQ(1500, r.octets[1]);
	ASSERT_EQ(100000, r.start_ms);

	/* The end reports the rest, and forgets the session. */
	ev = session_event(TCPSESS_EVENT_END, 7, 31, 4040);
	ev.s.age_ms = 26000;
	ev.s.idle_ms = 0;
	ASSERT_EQ(0, ts_ipfix_rec_from_event(&t, &ev, 121000, &r));
	ASSERT_EQ(TS_IPFIX_END_OF_FLOW, r.end_reason);
	ASSERT_EQ(1, r.pkts[0]);
	ASSERT_EQ(0, r.pkts[1]);
	ASSERT_EQ(40, r.octets[0]);
	ASSERT_EQ(120000, r.start_ms);
	ASSERT_EQ(121000, r.end_ms);
	ASSERT_EQ(0, t.used);

	/* An END of a session never reported: all of it. */
	ASSERT_EQ(0, ts_ipfix_rec_from_event(&t, &ev, 121000, &r));
	ASSERT_EQ(31, r.pkts[0]);
	ASSERT_EQ(95000, r.start_ms);
	ts_ipfix_flows_free(&t);
}

TEST(end_reasons)
{
	static const u8 want[] = {
		[TCPSESS_END_FIN] = TS_IPFIX_END_OF_FLOW,
		[TCPSESS_END_RST] = TS_IPFIX_END_OF_FLOW,
		[TCPSESS_END_TIMEOUT] = TS_IPFIX_END_IDLE,
		[TCPSESS_END_EVICTED] = TS_IPFIX_END_LACK_OF_RESOURCES,
		[TCPSESS_END_FLUSHED] = TS_IPFIX_END_FORCED,
		[TCPSESS_END_REUSED] = TS_IPFIX_END_FORCED,
	};
	struct ts_ipfix_flows t;
	struct ts_ipfix_rec r;
	unsigned int reason;

	ts_ipfix_flows_init(&t, 16);
	for (reason = TCPSESS_END_FIN; reason <= TCPSESS_END_MAX; reason++) {
		struct ts_event ev = session_event(TCPSESS_EVENT_END, 1, 1, 1);

		ev.reason = reason;
		ASSERT_EQ(0, ts_ipfix_rec_from_event(&t, &ev, 10000, &r));
		ASSERT_EQ(want[reason], r.end_reason);
	}
	ts_ipfix_flows_free(&t);
}

TEST(event_without_endpoints)
{
	struct ts_event ev = session_event(TCPSESS_EVENT_END, 1, 1, 1);
	struct ts_ipfix_flows t;
	struct ts_ipfix_rec r;

	ts_ipfix_flows_init(&t, 16);
	ev.s.present &= ~TS_BIT(TCPSESS_SESSION_DST_ADDR);
	ASSERT_EQ(-EINVAL, ts_ipfix_rec_from_event(&t, &ev, 10000, &r));
	ts_ipfix_flows_free(&t);
}

/*
 * The table against a plain array: random reports and ends of a few
 * hundred sessions, so that deletions move chains about; past max, a
 * session is reported whole and counted.
 */
TEST(flow_table_random)
{
	enum { N = 300, MAX = 200 };
	static u64 reported[N];
	static bool tracked[N];
	struct ts_ipfix_flows t;
	struct ts_ipfix_rec r;
	unsigned int i, k;
	u64 total[N] = { 0 };
	u64 untracked = 0;

	srandom(1);
	ts_ipfix_flows_init(&t, MAX);
	for (i = 0; i < 100000; i++) {
		unsigned int s = random() % N;
		bool end = random() % 4 == 0, room = t.used < MAX;
		struct ts_event ev;

		total[s] += 1 + random() % 3;
		ev = session_event(end ? TCPSESS_EVENT_END :
				   TCPSESS_EVENT_UPDATE, s + 1, total[s], 0);
		ASSERT_EQ(0, ts_ipfix_rec_from_event(&t, &ev, 1000000, &r));
		ASSERT_EQ(total[s] - reported[s], r.pkts[0]);
		if (end) {
			reported[s] = 0;
			total[s] = 0;
			tracked[s] = false;
		} else if (tracked[s] || room) {
			reported[s] = total[s];
			tracked[s] = true;
		} else {
			untracked++;
		}
		for (k = 0, r.flow_id = 0; k < N; k++)
			r.flow_id += tracked[k];
		ASSERT_EQ(r.flow_id, t.used);
	}
	ASSERT_LT(0, untracked);
	ASSERT_EQ(untracked, t.untracked);
	ts_ipfix_flows_free(&t);
}

TEST_HARNESS_MAIN
