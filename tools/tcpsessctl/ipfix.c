// SPDX-License-Identifier: GPL-2.0
/*
 * IPFIX encoding. The templates are tables, so that the template records
 * and the data records are written from the same list and cannot drift
 * apart. Numbers are big endian; nothing is padded (RFC 7011 allows
 * sets without padding).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ipfix.h"

/* Information elements, by IANA's numbers. */
enum {
	IE_OCTET_DELTA_COUNT = 1,
	IE_PACKET_DELTA_COUNT = 2,
	IE_PROTOCOL_IDENTIFIER = 4,
	IE_TCP_CONTROL_BITS = 6,
	IE_SOURCE_TRANSPORT_PORT = 7,
	IE_SOURCE_IPV4_ADDRESS = 8,
	IE_DESTINATION_TRANSPORT_PORT = 11,
	IE_DESTINATION_IPV4_ADDRESS = 12,
	IE_SOURCE_IPV6_ADDRESS = 27,
	IE_DESTINATION_IPV6_ADDRESS = 28,
	IE_FLOW_END_REASON = 136,
	IE_EXPORTING_PROCESS_ID = 144,
	IE_FLOW_ID = 148,
	IE_FLOW_START_MILLISECONDS = 152,
	IE_FLOW_END_MILLISECONDS = 153,
	IE_NOT_SENT_FLOW_TOTAL_COUNT = 166,
	IE_BIFLOW_DIRECTION = 239,
};

#define IE_ENTERPRISE		0x8000
#define IE_VARLEN		0xffff
#define BIFLOW_INITIATOR	1
#define IPPROTO_TCP_NUM		6

/* Which value of a record a field carries. */
enum field_val {
	V_FLOW_ID,
	V_SRC,
	V_DST,
	V_SPORT,
	V_DPORT,
	V_PROTO,
	V_DIRECTION,
	V_END_REASON,
	V_FLAGS_ORIG,
	V_FLAGS_REPLY,
	V_START,
	V_END,
	V_PKTS_ORIG,
	V_OCTETS_ORIG,
	V_PKTS_REPLY,
	V_OCTETS_REPLY,
	V_RTT_SYN,
	V_RTT_ACK,
	V_RETRANS_ORIG,
	V_RETRANS_REPLY,
	V_HISTORY,
};

struct field {
	u16 id;
	u16 len;		/* IE_VARLEN: variable */
	u32 pen;		/* 0: an IANA element */
	enum field_val val;
};

/* The addresses' ids are IPv4's; IPv6's replace them. */
static const struct field flow_fields[] = {
	{ IE_FLOW_ID, 8, 0, V_FLOW_ID },
	{ IE_SOURCE_IPV4_ADDRESS, 4, 0, V_SRC },
	{ IE_DESTINATION_IPV4_ADDRESS, 4, 0, V_DST },
	{ IE_SOURCE_TRANSPORT_PORT, 2, 0, V_SPORT },
	{ IE_DESTINATION_TRANSPORT_PORT, 2, 0, V_DPORT },
	{ IE_PROTOCOL_IDENTIFIER, 1, 0, V_PROTO },
	{ IE_BIFLOW_DIRECTION, 1, 0, V_DIRECTION },
	{ IE_FLOW_END_REASON, 1, 0, V_END_REASON },
	{ IE_TCP_CONTROL_BITS, 2, 0, V_FLAGS_ORIG },
	{ IE_TCP_CONTROL_BITS, 2, TS_IPFIX_PEN_REVERSE, V_FLAGS_REPLY },
	{ IE_FLOW_START_MILLISECONDS, 8, 0, V_START },
	{ IE_FLOW_END_MILLISECONDS, 8, 0, V_END },
	{ IE_PACKET_DELTA_COUNT, 8, 0, V_PKTS_ORIG },
	{ IE_OCTET_DELTA_COUNT, 8, 0, V_OCTETS_ORIG },
	{ IE_PACKET_DELTA_COUNT, 8, TS_IPFIX_PEN_REVERSE, V_PKTS_REPLY },
	{ IE_OCTET_DELTA_COUNT, 8, TS_IPFIX_PEN_REVERSE, V_OCTETS_REPLY },
	{ TS_IPFIX_IE_RTT_SYN_US, 4, TS_IPFIX_PEN_TCPSESS, V_RTT_SYN },
	{ TS_IPFIX_IE_RTT_ACK_US, 4, TS_IPFIX_PEN_TCPSESS, V_RTT_ACK },
	{ TS_IPFIX_IE_RETRANS_ORIG, 4, TS_IPFIX_PEN_TCPSESS, V_RETRANS_ORIG },
	{ TS_IPFIX_IE_RETRANS_REPLY, 4, TS_IPFIX_PEN_TCPSESS, V_RETRANS_REPLY },
	{ TS_IPFIX_IE_HISTORY, IE_VARLEN, TS_IPFIX_PEN_TCPSESS, V_HISTORY },
};

static u8 *put16(u8 *p, u16 v)
{
	p[0] = v >> 8;
	p[1] = v;
	return p + 2;
}

static u8 *put32(u8 *p, u32 v)
{
	p = put16(p, v >> 16);
	return put16(p, v);
}

static u8 *put64(u8 *p, u64 v)
{
	p = put32(p, v >> 32);
	return put32(p, v);
}

static u8 *put_spec(u8 *p, u16 id, u16 len, u32 pen)
{
	p = put16(p, pen ? id | IE_ENTERPRISE : id);
	p = put16(p, len);
	return pen ? put32(p, pen) : p;
}

static size_t spec_len(u32 pen)
{
	return pen ? 8 : 4;
}

static u16 field_id(const struct field *f, unsigned int family)
{
	if (family == 6 && f->val == V_SRC)
		return IE_SOURCE_IPV6_ADDRESS;
	if (family == 6 && f->val == V_DST)
		return IE_DESTINATION_IPV6_ADDRESS;
	return f->id;
}

static u16 field_len(const struct field *f, unsigned int family)
{
	if (f->val == V_SRC || f->val == V_DST)
		return ts_addr_len(family);
	return f->len;
}

/* RFC 7011 section 7: one length octet, or 255 and two more. */
static u8 *put_varlen(u8 *p, const void *data, size_t len)
{
	if (len < 255) {
		*p++ = len;
	} else {
		*p++ = 255;
		p = put16(p, len);
	}
	memcpy(p, data, len);
	return p + len;
}

static u8 *put_value(u8 *p, const struct field *f,
		     const struct ts_ipfix_rec *r)
{
	size_t alen = ts_addr_len(r->family);

	switch (f->val) {
	case V_FLOW_ID:
		return put64(p, r->flow_id);
	case V_SRC:
		memcpy(p, r->src, alen);
		return p + alen;
	case V_DST:
		memcpy(p, r->dst, alen);
		return p + alen;
	case V_SPORT:
		return put16(p, r->sport);
	case V_DPORT:
		return put16(p, r->dport);
	case V_PROTO:
		*p = IPPROTO_TCP_NUM;
		return p + 1;
	case V_DIRECTION:
		*p = BIFLOW_INITIATOR;
		return p + 1;
	case V_END_REASON:
		*p = r->end_reason;
		return p + 1;
	case V_FLAGS_ORIG:
		return put16(p, r->tcp_flags[TCPSESS_DIR_ORIG]);
	case V_FLAGS_REPLY:
		return put16(p, r->tcp_flags[TCPSESS_DIR_REPLY]);
	case V_START:
		return put64(p, r->start_ms);
	case V_END:
		return put64(p, r->end_ms);
	case V_PKTS_ORIG:
		return put64(p, r->pkts[TCPSESS_DIR_ORIG]);
	case V_OCTETS_ORIG:
		return put64(p, r->octets[TCPSESS_DIR_ORIG]);
	case V_PKTS_REPLY:
		return put64(p, r->pkts[TCPSESS_DIR_REPLY]);
	case V_OCTETS_REPLY:
		return put64(p, r->octets[TCPSESS_DIR_REPLY]);
	case V_RTT_SYN:
		return put32(p, r->rtt_syn_us);
	case V_RTT_ACK:
		return put32(p, r->rtt_ack_us);
	case V_RETRANS_ORIG:
		return put32(p, r->retrans[TCPSESS_DIR_ORIG]);
	case V_RETRANS_REPLY:
		return put32(p, r->retrans[TCPSESS_DIR_REPLY]);
	case V_HISTORY:
		return put_varlen(p, r->history,
				  strnlen(r->history, sizeof(r->history)));
	}
	return p;
}

size_t ts_ipfix_encode_rec(const struct ts_ipfix_rec *rec, u8 *buf, u16 *tid)
{
	u8 *p = buf;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(flow_fields); i++)
		p = put_value(p, &flow_fields[i], rec);
	*tid = rec->family == 4 ? TS_IPFIX_TID_IPV4 : TS_IPFIX_TID_IPV6;
	return p - buf;
}

size_t ts_ipfix_encode_loss(const struct ts_ipfix_loss *loss, u8 *buf)
{
	u8 *p = buf;

	p = put32(p, loss->exporter_id);
	p = put64(p, loss->not_sent);
	p = put64(p, loss->lost_events);
	return p - buf;
}

/* Zeek's letters: upper case orig, lower case reply. */
void ts_ipfix_history_flags(const char *history, u16 flags[2])
{
	enum { FIN = 0x01, SYN = 0x02, RST = 0x04, ACK = 0x10 };
	const char *c;

	flags[TCPSESS_DIR_ORIG] = 0;
	flags[TCPSESS_DIR_REPLY] = 0;
	for (c = history; *c; c++) {
		bool orig = *c >= 'A' && *c <= 'Z';
		u16 *f = &flags[orig ? TCPSESS_DIR_ORIG : TCPSESS_DIR_REPLY];

		switch (orig ? *c : *c - 'a' + 'A') {
		case 'S':
			*f |= SYN;
			break;
		case 'H':
			*f |= SYN | ACK;
			break;
		case 'A':
		case 'D':
			*f |= ACK;
			break;
		case 'F':
			*f |= FIN;
			break;
		case 'R':
			*f |= RST;
			break;
		}
	}
}

void ts_ipfix_msg_init(struct ts_ipfix_msg *m, u8 *buf, size_t max)
{
	memset(m, 0, sizeof(*m));
	m->buf = buf;
	m->max = max;
	m->len = TS_IPFIX_HDR_LEN;
}

static void close_set(struct ts_ipfix_msg *m)
{
	if (m->set)
		put16(m->buf + m->set + 2, m->len - m->set);
	m->set = 0;
}

static int open_set(struct ts_ipfix_msg *m, u16 id, size_t need)
{
	if (m->set && m->set_id == id)
		return m->len + need <= m->max ? 0 : -ENOSPC;
	if (m->len + TS_IPFIX_SET_HDR_LEN + need > m->max)
		return -ENOSPC;
	close_set(m);
	m->set = m->len;
	m->set_id = id;
	put16(m->buf + m->len, id);
	m->len += TS_IPFIX_SET_HDR_LEN;
	return 0;
}

static size_t flow_template_len(void)
{
	size_t i, len = 4;

	for (i = 0; i < ARRAY_SIZE(flow_fields); i++)
		len += spec_len(flow_fields[i].pen);
	return len;
}

static u8 *put_flow_template(u8 *p, u16 tid, unsigned int family)
{
	size_t i;

	p = put16(p, tid);
	p = put16(p, ARRAY_SIZE(flow_fields));
	for (i = 0; i < ARRAY_SIZE(flow_fields); i++) {
		const struct field *f = &flow_fields[i];

		p = put_spec(p, field_id(f, family), field_len(f, family),
			     f->pen);
	}
	return p;
}

/* RFC 7011 section 4.3, with the events tcpsess lost beside it. */
#define OPTIONS_TEMPLATE_LEN	(6 + 4 + 4 + 8)

static u8 *put_options_template(u8 *p)
{
	p = put16(p, TS_IPFIX_TID_OPTIONS);
	p = put16(p, 3);	/* fields */
	p = put16(p, 1);	/* of which scope fields */
	p = put_spec(p, IE_EXPORTING_PROCESS_ID, 4, 0);
	p = put_spec(p, IE_NOT_SENT_FLOW_TOTAL_COUNT, 8, 0);
	return put_spec(p, TS_IPFIX_IE_LOST_EVENTS, 8, TS_IPFIX_PEN_TCPSESS);
}

int ts_ipfix_msg_add_templates(struct ts_ipfix_msg *m)
{
	size_t flows = 2 * flow_template_len();
	size_t need = 2 * TS_IPFIX_SET_HDR_LEN + flows + OPTIONS_TEMPLATE_LEN;

	if (m->len + need > m->max)
		return -ENOSPC;
	open_set(m, TS_IPFIX_SET_TEMPLATE, flows);
	m->len = put_flow_template(m->buf + m->len, TS_IPFIX_TID_IPV4, 4) -
		 m->buf;
	m->len = put_flow_template(m->buf + m->len, TS_IPFIX_TID_IPV6, 6) -
		 m->buf;
	open_set(m, TS_IPFIX_SET_OPTIONS, OPTIONS_TEMPLATE_LEN);
	m->len = put_options_template(m->buf + m->len) - m->buf;
	close_set(m);
	return 0;
}

int ts_ipfix_msg_add_record(struct ts_ipfix_msg *m, u16 tid, const u8 *rec,
			    size_t len)
{
	int ret = open_set(m, tid, len);

	if (ret)
		return ret;
	memcpy(m->buf + m->len, rec, len);
	m->len += len;
	m->records++;
	return 0;
}

size_t ts_ipfix_msg_finish(struct ts_ipfix_msg *m, u32 export_time, u32 seq,
			   u32 domain)
{
	u8 *p = m->buf;

	close_set(m);
	p = put16(p, TS_IPFIX_VERSION);
	p = put16(p, m->len);
	p = put32(p, export_time);
	p = put32(p, seq);
	put32(p, domain);
	return m->len;
}

/* Sessions reported so far: open addressing, linear probing. */

static size_t slot_of(const struct ts_ipfix_flows *t, u64 id)
{
	return (id * 0x9e3779b97f4a7c15ULL >> 32) & (t->size - 1);
}

static struct ts_ipfix_flow *find(struct ts_ipfix_flows *t, u64 id)
{
	size_t i;

	if (!t->size)
		return NULL;
	for (i = slot_of(t, id); t->slot[i].id; i = (i + 1) & (t->size - 1))
		if (t->slot[i].id == id)
			return &t->slot[i];
	return NULL;
}

static struct ts_ipfix_flow *insert_slot(struct ts_ipfix_flows *t, u64 id)
{
	size_t i = slot_of(t, id);

	while (t->slot[i].id)
		i = (i + 1) & (t->size - 1);
	t->slot[i].id = id;
	t->used++;
	return &t->slot[i];
}

static int grow(struct ts_ipfix_flows *t)
{
	struct ts_ipfix_flows bigger = *t;
	size_t i;

	bigger.size = t->size ? 2 * t->size : 64;
	bigger.used = 0;
	bigger.slot = calloc(bigger.size, sizeof(*bigger.slot));
	if (!bigger.slot)
		return -ENOMEM;
	for (i = 0; i < t->size; i++)
		if (t->slot[i].id)
			*insert_slot(&bigger, t->slot[i].id) = t->slot[i];
	free(t->slot);
	*t = bigger;
	return 0;
}

/* Room for one more, or NULL when max are remembered already. */
static struct ts_ipfix_flow *add(struct ts_ipfix_flows *t, u64 id)
{
	if (t->used >= t->max)
		return NULL;
	if ((t->used + 1) * 4 > t->size * 3 && grow(t))
		return NULL;
	return insert_slot(t, id);
}

/* Removes f, moving up the entries its slot kept from their place. */
static void del(struct ts_ipfix_flows *t, struct ts_ipfix_flow *f)
{
	size_t mask = t->size - 1, hole = f - t->slot, i = hole, home;

	for (;;) {
		i = (i + 1) & mask;
		if (!t->slot[i].id)
			break;
		home = slot_of(t, t->slot[i].id);
		/* Stays if its home lies cyclically in (hole, i]. */
		if (((i - home) & mask) < ((i - hole) & mask))
			continue;
		t->slot[hole] = t->slot[i];
		hole = i;
	}
	t->slot[hole].id = 0;
	t->used--;
}

void ts_ipfix_flows_init(struct ts_ipfix_flows *t, size_t max)
{
	memset(t, 0, sizeof(*t));
	t->max = max;
}

void ts_ipfix_flows_free(struct ts_ipfix_flows *t)
{
	free(t->slot);
	memset(t, 0, sizeof(*t));
}

static u8 end_reason(const struct ts_event *ev)
{
	if (ev->type != TCPSESS_EVENT_END)
		return TS_IPFIX_END_ACTIVE;
	switch (ev->reason) {
	case TCPSESS_END_FIN:
	case TCPSESS_END_RST:
		return TS_IPFIX_END_OF_FLOW;
	case TCPSESS_END_TIMEOUT:
		return TS_IPFIX_END_IDLE;
	case TCPSESS_END_EVICTED:
		return TS_IPFIX_END_LACK_OF_RESOURCES;
	}
	return TS_IPFIX_END_FORCED;
}

static void fill_static(struct ts_ipfix_rec *rec, const struct ts_session *s)
{
	size_t alen = ts_addr_len(s->family);

	rec->flow_id = s->id;
	rec->family = s->family;
	memcpy(rec->src, s->src, alen);
	memcpy(rec->dst, s->dst, alen);
	rec->sport = s->sport;
	rec->dport = s->dport;
	rec->rtt_syn_us = ts_has(s, TCPSESS_SESSION_RTT_SYN_US) ?
			  s->rtt_syn_us : UINT32_MAX;
	rec->rtt_ack_us = ts_has(s, TCPSESS_SESSION_RTT_ACK_US) ?
			  s->rtt_ack_us : UINT32_MAX;
	rec->retrans[0] = s->retrans[0];
	rec->retrans[1] = s->retrans[1];
	memcpy(rec->history, s->history, sizeof(rec->history));
	rec->history[sizeof(rec->history) - 1] = '\0';
	/* "-" is how the kernel says "nothing yet". */
	if (!strcmp(rec->history, "-"))
		rec->history[0] = '\0';
	ts_ipfix_history_flags(rec->history, rec->tcp_flags);
}

static bool has_endpoints(const struct ts_event *ev)
{
	const struct ts_session *s = &ev->s;

	return ts_event_has(ev, TCPSESS_A_SESSION) &&
	       ts_has(s, TCPSESS_SESSION_ID) &&
	       ts_has(s, TCPSESS_SESSION_FAMILY) &&
	       ts_has(s, TCPSESS_SESSION_SRC_ADDR) &&
	       ts_has(s, TCPSESS_SESSION_DST_ADDR) &&
	       ts_has(s, TCPSESS_SESSION_SRC_PORT) &&
	       ts_has(s, TCPSESS_SESSION_DST_PORT) &&
	       (s->family == 4 || s->family == 6);
}

int ts_ipfix_rec_from_event(struct ts_ipfix_flows *t,
			    const struct ts_event *ev, u64 now_ms,
			    struct ts_ipfix_rec *rec)
{
	const struct ts_session *s = &ev->s;
	bool final = ev->type == TCPSESS_EVENT_END;
	struct ts_ipfix_flow *prev;
	u64 start, end;
	int d;

	if (!has_endpoints(ev))
		return -EINVAL;
	memset(rec, 0, sizeof(*rec));
	fill_static(rec, s);
	rec->end_reason = end_reason(ev);

	start = now_ms - (s->age_ms < now_ms ? s->age_ms : now_ms);
	end = now_ms - (s->idle_ms < now_ms ? s->idle_ms : now_ms);
	prev = find(t, s->id);
	for (d = 0; d < 2; d++) {
		u64 pkts = prev ? prev->pkts[d] : 0;
		u64 octets = prev ? prev->octets[d] : 0;

		/* Counters never go back; if they seem to, report none. */
		rec->pkts[d] = s->pkts[d] > pkts ? s->pkts[d] - pkts : 0;
		rec->octets[d] = s->ipbytes[d] > octets ?
				 s->ipbytes[d] - octets : 0;
	}
	if (prev && prev->cut_ms > start)
		start = prev->cut_ms;
	if (end < start)
		end = start;
	rec->start_ms = start;
	rec->end_ms = end;

	if (final) {
		if (prev)
			del(t, prev);
		return 0;
	}
	if (!rec->pkts[0] && !rec->pkts[1] && !rec->octets[0] &&
	    !rec->octets[1])
		return 1;
	if (!prev)
		prev = add(t, s->id);
	if (!prev) {
		t->untracked++;
		return 0;
	}
	for (d = 0; d < 2; d++) {
		prev->pkts[d] = s->pkts[d];
		prev->octets[d] = s->ipbytes[d];
	}
	prev->cut_ms = now_ms;
	return 0;
}
