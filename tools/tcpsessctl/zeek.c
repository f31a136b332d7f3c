// SPDX-License-Identifier: GPL-2.0
/*
 * Zeek's conn.log records. Zeek derives conn_state from the TCP state it
 * keeps for each endpoint; a session here keeps its history instead, and
 * the history holds what those states are made of: which of SYN, SYN-ACK,
 * ACK, payload, FIN and RST each side sent, in the order they first
 * appeared. So each endpoint's Zeek state is read from its letters, then
 * Zeek's own rules map the pair of states to a conn_state.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <string.h>

#include "output.h"
#include "sha1.h"
#include "zeek.h"

static const char *const conn_state_names[TS_CONN_NSTATES] = {
	[TS_CONN_S0] = "S0",
	[TS_CONN_S1] = "S1",
	[TS_CONN_SF] = "SF",
	[TS_CONN_REJ] = "REJ",
	[TS_CONN_S2] = "S2",
	[TS_CONN_S3] = "S3",
	[TS_CONN_RSTO] = "RSTO",
	[TS_CONN_RSTR] = "RSTR",
	[TS_CONN_RSTOS0] = "RSTOS0",
	[TS_CONN_RSTRH] = "RSTRH",
	[TS_CONN_SH] = "SH",
	[TS_CONN_SHR] = "SHR",
	[TS_CONN_OTH] = "OTH",
};

const char *ts_conn_state_name(enum ts_conn_state state)
{
	return state < TS_CONN_NSTATES ? conn_state_names[state] : "OTH";
}

/* The letters one side sent, as bits. */
enum {
	L_SYN = 1 << 0,
	L_SYNACK = 1 << 1,
	L_ACK = 1 << 2,
	L_DATA = 1 << 3,
	L_FIN = 1 << 4,
	L_RST = 1 << 5,
};

/* Zeek's endpoint states (TCP_INACTIVE, ...), those conn_state tells apart. */
enum ep_state {
	EP_INACTIVE,
	EP_PARTIAL,		/* sent something, but never a SYN */
	EP_SYN_SENT,
	EP_SYN_ACK_SENT,
	EP_ESTABLISHED,
	EP_CLOSED,		/* sent a FIN */
	EP_RESET,		/* sent a RST */
};

static unsigned int letter_bit(char c)
{
	static const char letters[] = "SHADFR";
	const char *p = strchr(letters, toupper((unsigned char)c));

	return c && p ? 1U << (p - letters) : 0;
}

/*
 * An endpoint that closed or reset stays so: a FIN or RST ends what it
 * sends, whatever came before. One that sent its SYN is established once
 * the handshake is through, which an ACK or payload after both SYNs shows.
 */
static enum ep_state ep_state(unsigned int own, bool handshake_done)
{
	if (own & L_RST)
		return EP_RESET;
	if (own & L_FIN)
		return EP_CLOSED;
	if (own & (L_SYN | L_SYNACK)) {
		if (handshake_done)
			return EP_ESTABLISHED;
		return own & L_SYN ? EP_SYN_SENT : EP_SYN_ACK_SENT;
	}
	return own ? EP_PARTIAL : EP_INACTIVE;
}

static bool inactive(enum ep_state s)
{
	return s == EP_INACTIVE || s == EP_PARTIAL;
}

/*
 * Zeek's RSTOS0: the history starts with orig's SYN and orig sent no
 * SYN-ACK, ACK or FIN before its RST. Payload (D) and anything from the
 * responder may come between.
 */
static bool syn_then_rst(const char *history)
{
	const char *p;

	if (history[0] != 'S')
		return false;
	for (p = history + 1; *p && *p != 'R'; p++)
		if (*p == 'H' || *p == 'A' || *p == 'F')
			return false;
	return *p == 'R';
}

enum ts_conn_state ts_conn_state(const char *history, u64 orig_bytes,
				 u64 resp_bytes)
{
	unsigned int orig = 0, resp = 0;
	enum ep_state os, rs;
	bool done;
	const char *p;

	if (!history || !strcmp(history, "-"))
		history = "";
	for (p = history; *p; p++) {
		if (isupper((unsigned char)*p))
			orig |= letter_bit(*p);
		else
			resp |= letter_bit(*p);
	}
	done = (orig & (L_SYN | L_SYNACK)) && (resp & (L_SYN | L_SYNACK)) &&
	       ((orig | resp) & (L_ACK | L_DATA));
	os = ep_state(orig, done);
	rs = ep_state(resp, done);

	/* From here on, Zeek's conn_state() in base/protocols/conn. */
	if (rs == EP_RESET) {
		if (os == EP_SYN_SENT || os == EP_SYN_ACK_SENT ||
		    (os == EP_RESET && !orig_bytes && !resp_bytes))
			return TS_CONN_REJ;
		return inactive(os) ? TS_CONN_RSTRH : TS_CONN_RSTR;
	}
	if (os == EP_RESET) {
		if (!inactive(rs))
			return TS_CONN_RSTO;
		return syn_then_rst(history) ? TS_CONN_RSTOS0 : TS_CONN_OTH;
	}
	if (os == EP_CLOSED && rs == EP_CLOSED)
		return TS_CONN_SF;
	if (os == EP_CLOSED)
		return inactive(rs) ? TS_CONN_SH : TS_CONN_S2;
	if (rs == EP_CLOSED)
		return inactive(os) ? TS_CONN_SHR : TS_CONN_S3;
	if (os == EP_SYN_SENT && rs == EP_INACTIVE)
		return TS_CONN_S0;
	if (os == EP_ESTABLISHED && rs == EP_ESTABLISHED)
		return TS_CONN_S1;
	return TS_CONN_OTH;
}

/* 96 bits, most significant word first, written as 17 base62 digits. */
static void base62(u32 n[3], char *out)
{
	static const char digits[] =
		"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
	int i, w;

	for (i = TS_ZEEK_UID_LEN - 3; i >= 0; i--) {
		u64 rem = 0;

		for (w = 0; w < 3; w++) {
			u64 cur = rem << 32 | n[w];

			n[w] = (u32)(cur / 62);
			rem = cur % 62;
		}
		out[i] = digits[rem];
	}
	out[TS_ZEEK_UID_LEN - 2] = '\0';
}

void ts_zeek_uid(const u8 boot_id[TS_BOOT_ID_LEN], u64 id,
		 char buf[TS_ZEEK_UID_LEN])
{
	u8 in[TS_BOOT_ID_LEN + 8], digest[TS_SHA1_LEN];
	u32 n[3];
	int i;

	memcpy(in, boot_id, TS_BOOT_ID_LEN);
	for (i = 0; i < 8; i++)
		in[TS_BOOT_ID_LEN + i] = (u8)(id >> (56 - 8 * i));
	ts_sha1(in, sizeof(in), digest);
	for (i = 0; i < 3; i++)
		n[i] = (u32)digest[4 * i] << 24 | (u32)digest[4 * i + 1] << 16 |
		       (u32)digest[4 * i + 2] << 8 | digest[4 * i + 3];
	buf[0] = 'C';
	base62(n, buf + 1);
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

int ts_parse_boot_id(const char *text, u8 boot_id[TS_BOOT_ID_LEN])
{
	unsigned int n = 0;
	const char *p;
	int v;

	for (p = text; *p && !isspace((unsigned char)*p); p++) {
		if (*p == '-')
			continue;
		v = hex_value(*p);
		if (v < 0 || n == 2 * TS_BOOT_ID_LEN)
			return -1;
		if (n % 2)
			boot_id[n / 2] |= v;
		else
			boot_id[n / 2] = v << 4;
		n++;
	}
	while (isspace((unsigned char)*p))
		p++;
	return n == 2 * TS_BOOT_ID_LEN && !*p ? 0 : -1;
}

/* "null" for what the session lacks: the key is there, with no value. */
static void zeek_count(FILE *f, const char *key, bool has, u64 value)
{
	fprintf(f, ",\"%s\":", key);
	if (has)
		fprintf(f, "%llu", (unsigned long long)value);
	else
		fputs("null", f);
}

/* Seconds as Zeek writes time and intervals: µs after the point. */
static void zeek_seconds(FILE *f, u64 us)
{
	fprintf(f, "%llu.%06llu", (unsigned long long)us / 1000000,
		(unsigned long long)us % 1000000);
}

static void zeek_addr(FILE *f, const char *key, const struct ts_session *s,
		      const u8 *addr)
{
	char buf[INET6_ADDRSTRLEN];

	if (!inet_ntop(ts_ip_version_to_af(s->family), addr, buf, sizeof(buf)))
		snprintf(buf, sizeof(buf), "?");
	fprintf(f, ",\"%s\":", key);
	ts_json_string(f, buf);
}

/* ts to service: when the session began, and between what. */
static void zeek_head(FILE *f, const struct ts_zeek *z,
		      const struct ts_session *s, u64 now_us)
{
	char uid[TS_ZEEK_UID_LEN];
	u64 age_us;

	/* The session began age_ms before the event was read. */
	age_us = ts_has(s, TCPSESS_SESSION_AGE_MS) ? s->age_ms * 1000 : 0;
	fputs("{\"ts\":", f);
	zeek_seconds(f, age_us < now_us ? now_us - age_us : 0);
	ts_zeek_uid(z->boot_id, s->id, uid);
	fputs(",\"uid\":", f);
	ts_json_string(f, uid);
	zeek_addr(f, "id.orig_h", s, s->src);
	zeek_count(f, "id.orig_p", true, s->sport);
	zeek_addr(f, "id.resp_h", s, s->dst);
	zeek_count(f, "id.resp_p", true, s->dport);
	fputs(",\"proto\":\"tcp\"", f);
	/* Zeek names the protocols its analyzers confirmed; here, none. */
	fputs(",\"service\":null", f);
}

/* duration to the end: how it went. */
static void zeek_tail(FILE *f, const struct ts_session *s)
{
	const char *history = NULL;
	char cid[TS_COMMUNITY_ID_LEN];
	enum ts_conn_state state;
	u64 dur_ms = s->age_ms;

	if (ts_has(s, TCPSESS_SESSION_HISTORY) && s->history[0] &&
	    strcmp(s->history, "-"))
		history = s->history;
	/* Zeek's duration ends at the last packet, not at the timeout. */
	if (ts_has(s, TCPSESS_SESSION_IDLE_MS))
		dur_ms = s->idle_ms < s->age_ms ? s->age_ms - s->idle_ms : 0;
	fputs(",\"duration\":", f);
	if (ts_has(s, TCPSESS_SESSION_AGE_MS))
		zeek_seconds(f, dur_ms * 1000);
	else
		fputs("null", f);
	zeek_count(f, "orig_bytes", ts_has(s, TCPSESS_SESSION_BYTES_ORIG),
		   s->bytes[TCPSESS_DIR_ORIG]);
	zeek_count(f, "resp_bytes", ts_has(s, TCPSESS_SESSION_BYTES_REPLY),
		   s->bytes[TCPSESS_DIR_REPLY]);
	state = ts_conn_state(history, s->bytes[TCPSESS_DIR_ORIG],
			      s->bytes[TCPSESS_DIR_REPLY]);
	fputs(",\"conn_state\":", f);
	ts_json_string(f, ts_conn_state_name(state));
	fputs(",\"history\":", f);
	if (history)
		ts_json_string(f, history);
	else
		fputs("null", f);
	zeek_count(f, "orig_pkts", ts_has(s, TCPSESS_SESSION_PKTS_ORIG),
		   s->pkts[TCPSESS_DIR_ORIG]);
	zeek_count(f, "orig_ip_bytes", ts_has(s, TCPSESS_SESSION_IPBYTES_ORIG),
		   s->ipbytes[TCPSESS_DIR_ORIG]);
	zeek_count(f, "resp_pkts", ts_has(s, TCPSESS_SESSION_PKTS_REPLY),
		   s->pkts[TCPSESS_DIR_REPLY]);
	zeek_count(f, "resp_ip_bytes",
		   ts_has(s, TCPSESS_SESSION_IPBYTES_REPLY),
		   s->ipbytes[TCPSESS_DIR_REPLY]);
	ts_session_community_id(s, cid);
	fputs(",\"community_id\":", f);
	ts_json_string(f, cid);
	fputs("}\n", f);
}

bool ts_print_zeek_conn(FILE *f, const struct ts_zeek *z,
			const struct ts_event *ev, u64 now_us)
{
	static const u64 need = TS_BIT(TCPSESS_SESSION_ID) |
		TS_BIT(TCPSESS_SESSION_FAMILY) |
		TS_BIT(TCPSESS_SESSION_SRC_ADDR) |
		TS_BIT(TCPSESS_SESSION_SRC_PORT) |
		TS_BIT(TCPSESS_SESSION_DST_ADDR) |
		TS_BIT(TCPSESS_SESSION_DST_PORT);
	const struct ts_session *s = &ev->s;

	if (ev->type != TCPSESS_EVENT_END ||
	    !ts_event_has(ev, TCPSESS_A_SESSION) ||
	    (s->present & need) != need || (s->family != 4 && s->family != 6))
		return false;
	zeek_head(f, z, s, now_us);
	zeek_tail(f, s);
	return true;
}
