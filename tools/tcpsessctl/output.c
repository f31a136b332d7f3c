// SPDX-License-Identifier: GPL-2.0
/*
 * Everything tcpsessctl prints on stdout. Text is for people: aligned,
 * short units, nothing a terminal could take for a control sequence. JSON
 * is for programs: the /proc column names, exact numbers, valid UTF-8.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "community_id.h"
#include "config.h"
#include "output.h"
#include "util.h"

/* The length of the valid UTF-8 sequence at p, or 0 if there is none. */
static size_t utf8_len(const unsigned char *p)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t len, i;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		len = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		len = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		len = 4;
	else
		return 0;
	/* The second byte rules out overlong forms, surrogates, > U+10FFFF. */
	if (p[0] == 0xe0)
		lo = 0xa0;
	else if (p[0] == 0xed)
		hi = 0x9f;
	else if (p[0] == 0xf0)
		lo = 0x90;
	else if (p[0] == 0xf4)
		hi = 0x8f;
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	return len;
}

void ts_json_string(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len;

	fputc('"', f);
	while (*p) {
		switch (*p) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\b':
			fputs("\\b", f);
			break;
		case '\f':
			fputs("\\f", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			if (*p < 0x20 || *p == 0x7f) {
				fprintf(f, "\\u%04x", *p);
				break;
			}
			len = utf8_len(p);
			if (!len) {
				fputs("\\ufffd", f);
				break;
			}
			fwrite(p, 1, len, f);
			p += len;
			continue;
		}
		p++;
	}
	fputc('"', f);
}

/* For text output: what is not printable ASCII becomes '?'. */
static void sanitize(char *dst, size_t len, const char *src)
{
	size_t i;

	for (i = 0; i + 1 < len && src[i]; i++)
		dst[i] = src[i] >= 0x20 && src[i] < 0x7f ? src[i] : '?';
	dst[i] = '\0';
}

void ts_format_duration(u64 ms, char *buf, size_t len)
{
	unsigned long long s = ms / 1000;

	if (ms < 1000)
		snprintf(buf, len, "%llums", (unsigned long long)ms);
	else if (ms < 10000)
		snprintf(buf, len, "%llu.%02llus", s,
			 (unsigned long long)ms % 1000 / 10);
	else if (ms < 60000)
		snprintf(buf, len, "%llu.%llus", s,
			 (unsigned long long)ms % 1000 / 100);
	else if (s < 3600)
		snprintf(buf, len, "%llum%02llus", s / 60, s % 60);
	else if (s < 86400)
		snprintf(buf, len, "%lluh%02llum", s / 3600, s % 3600 / 60);
	else
		snprintf(buf, len, "%llud%02lluh", s / 86400, s % 86400 / 3600);
}

void ts_format_rtt(const struct ts_session *s, unsigned int attr, char *buf,
		   size_t len)
{
	u32 us = attr == TCPSESS_SESSION_RTT_SYN_US ? s->rtt_syn_us :
						      s->rtt_ack_us;

	if (!ts_has(s, attr))
		snprintf(buf, len, "-");
	else if (us < 1000)
		snprintf(buf, len, "%uus", us);
	else if (us < 10000)
		snprintf(buf, len, "%u.%02ums", us / 1000, us % 1000 / 10);
	else if (us < 100000)
		snprintf(buf, len, "%u.%ums", us / 1000, us % 1000 / 100);
	else if (us < 1000000)
		snprintf(buf, len, "%ums", us / 1000);
	else
		ts_format_duration(us / 1000, buf, len);
}

static const char *addr_str(const struct ts_session *s, bool src, char *buf,
			    size_t len)
{
	unsigned int attr = src ? TCPSESS_SESSION_SRC_ADDR :
				  TCPSESS_SESSION_DST_ADDR;

	if (!ts_has(s, attr) ||
	    !inet_ntop(s->family == 4 ? AF_INET : AF_INET6,
		       src ? s->src : s->dst, buf, len))
		return NULL;
	return buf;
}

void ts_format_endpoint(const struct ts_session *s, bool src, char *buf,
			size_t len)
{
	unsigned int port_attr = src ? TCPSESS_SESSION_SRC_PORT :
				       TCPSESS_SESSION_DST_PORT;
	char addr[INET6_ADDRSTRLEN], port[8] = "?";
	const char *a = addr_str(s, src, addr, sizeof(addr));

	if (ts_has(s, port_attr))
		snprintf(port, sizeof(port), "%u", src ? s->sport : s->dport);
	if (!a)
		snprintf(buf, len, "?:%s", port);
	else if (s->family == 6)
		snprintf(buf, len, "[%s]:%s", a, port);
	else
		snprintf(buf, len, "%s:%s", a, port);
}

/* A name from names.c, or the number for a value this build does not know. */
static const char *name_or_number(const char *name, unsigned int value,
				  char *buf, size_t len)
{
	if (name)
		return name;
	snprintf(buf, len, "%u", value);
	return buf;
}

static const char *state_str(unsigned int state, char *buf, size_t len)
{
	return name_or_number(tcpsess_state_name(state), state, buf, len);
}

static const char *dir_str(unsigned int dir, char *buf, size_t len)
{
	const char *name = dir == TCPSESS_DIR_ORIG ? "orig" :
			   dir == TCPSESS_DIR_REPLY ? "reply" : NULL;

	return name_or_number(name, dir, buf, len);
}

/* Reasons in text are as /proc spells them; in JSON, upper case. */
static const char *reason_str(const struct ts_event *ev, bool upper,
			      char *buf, size_t len)
{
	const char *name = NULL;

	if (ev->type == TCPSESS_EVENT_END)
		name = tcpsess_end_reason_name(ev->reason);
	else if (ev->type == TCPSESS_EVENT_INVALID)
		name = tcpsess_invalid_reason_name(ev->reason);
	if (!name)
		return name_or_number(NULL, ev->reason, buf, len);
	ts_strcase(buf, len, name, upper);
	return buf;
}

struct json {
	FILE *f;
	bool first;
};

static void json_key(struct json *j, const char *key)
{
	fputs(j->first ? "{" : ",", j->f);
	j->first = false;
	ts_json_string(j->f, key);
	fputc(':', j->f);
}

static void json_u64(struct json *j, const char *key, u64 value)
{
	json_key(j, key);
	fprintf(j->f, "%llu", (unsigned long long)value);
}

static void json_str(struct json *j, const char *key, const char *value)
{
	json_key(j, key);
	ts_json_string(j->f, value);
}

static void json_end(struct json *j)
{
	fputs(j->first ? "{}\n" : "}\n", j->f);
}

static void json_rtt(struct json *j, const struct ts_session *s,
		     const char *key, unsigned int attr, u32 us)
{
	json_key(j, key);
	if (ts_has(s, attr))
		fprintf(j->f, "%u", us);
	else
		fputs("-1", j->f);
}

/*
 * An INVALID segment without a session has its endpoints too, and is
 * worth finding in other logs.
 */
bool ts_session_community_id(const struct ts_session *s,
			     char buf[TS_COMMUNITY_ID_LEN])
{
	static const u64 need = TS_BIT(TCPSESS_SESSION_FAMILY) |
		TS_BIT(TCPSESS_SESSION_SRC_ADDR) |
		TS_BIT(TCPSESS_SESSION_SRC_PORT) |
		TS_BIT(TCPSESS_SESSION_DST_ADDR) |
		TS_BIT(TCPSESS_SESSION_DST_PORT);
	struct ts_flow f = { .family = s->family, .proto = IPPROTO_TCP };

	if ((s->present & need) != need || (s->family != 4 && s->family != 6))
		return false;
	f.sport = s->sport;
	f.dport = s->dport;
	memcpy(f.src, s->src, sizeof(f.src));
	memcpy(f.dst, s->dst, sizeof(f.dst));
	ts_community_id(&f, 0, buf);
	return true;
}

static void json_session_fields(struct json *j, const struct ts_session *s)
{
	char cid[TS_COMMUNITY_ID_LEN];
	char buf[INET6_ADDRSTRLEN], flags[TCPSESS_FLAGS_LEN];

	if (ts_has(s, TCPSESS_SESSION_ID))
		json_u64(j, "id", s->id);
	if (ts_has(s, TCPSESS_SESSION_FAMILY))
		json_u64(j, "af", s->family);
	if (addr_str(s, true, buf, sizeof(buf)))
		json_str(j, "src", buf);
	if (ts_has(s, TCPSESS_SESSION_SRC_PORT))
		json_u64(j, "sport", s->sport);
	if (addr_str(s, false, buf, sizeof(buf)))
		json_str(j, "dst", buf);
	if (ts_has(s, TCPSESS_SESSION_DST_PORT))
		json_u64(j, "dport", s->dport);
	if (ts_has(s, TCPSESS_SESSION_STATE))
		json_str(j, "state", state_str(s->state, buf, sizeof(buf)));
	if (ts_has(s, TCPSESS_SESSION_AGE_MS))
		json_u64(j, "age_ms", s->age_ms);
	if (ts_has(s, TCPSESS_SESSION_IDLE_MS))
		json_u64(j, "idle_ms", s->idle_ms);
	if (ts_has(s, TCPSESS_SESSION_PKTS_ORIG))
		json_u64(j, "pkts_orig", s->pkts[TCPSESS_DIR_ORIG]);
	if (ts_has(s, TCPSESS_SESSION_BYTES_ORIG))
		json_u64(j, "bytes_orig", s->bytes[TCPSESS_DIR_ORIG]);
	if (ts_has(s, TCPSESS_SESSION_PKTS_REPLY))
		json_u64(j, "pkts_reply", s->pkts[TCPSESS_DIR_REPLY]);
	if (ts_has(s, TCPSESS_SESSION_BYTES_REPLY))
		json_u64(j, "bytes_reply", s->bytes[TCPSESS_DIR_REPLY]);
	/* An absent RTT of a whole session is one not measured: -1. */
	if (ts_has(s, TCPSESS_SESSION_ID) ||
	    ts_has(s, TCPSESS_SESSION_RTT_SYN_US))
		json_rtt(j, s, "rtt_syn_us", TCPSESS_SESSION_RTT_SYN_US,
			 s->rtt_syn_us);
	if (ts_has(s, TCPSESS_SESSION_ID) ||
	    ts_has(s, TCPSESS_SESSION_RTT_ACK_US))
		json_rtt(j, s, "rtt_ack_us", TCPSESS_SESSION_RTT_ACK_US,
			 s->rtt_ack_us);
	if (ts_has(s, TCPSESS_SESSION_RETRANS_ORIG))
		json_u64(j, "retrans_orig", s->retrans[TCPSESS_DIR_ORIG]);
	if (ts_has(s, TCPSESS_SESSION_RETRANS_REPLY))
		json_u64(j, "retrans_reply", s->retrans[TCPSESS_DIR_REPLY]);
	if (ts_has(s, TCPSESS_SESSION_HISTORY))
		json_str(j, "history", s->history);
	if (ts_has(s, TCPSESS_SESSION_FLAGS)) {
		tcpsess_flags_format(s->flags, flags);
		json_str(j, "flags", flags);
	}
	if (ts_has(s, TCPSESS_SESSION_IPBYTES_ORIG))
		json_u64(j, "ipbytes_orig", s->ipbytes[TCPSESS_DIR_ORIG]);
	if (ts_has(s, TCPSESS_SESSION_IPBYTES_REPLY))
		json_u64(j, "ipbytes_reply", s->ipbytes[TCPSESS_DIR_REPLY]);
	/* Seed 0: the other tools' default, so that the IDs match theirs. */
	if (ts_session_community_id(s, cid))
		json_str(j, "community_id", cid);
}

void ts_print_session_json(FILE *f, const struct ts_session *s)
{
	struct json j = { f, true };

	json_session_fields(&j, s);
	json_end(&j);
}

void ts_print_event_json(FILE *f, const struct ts_event *ev)
{
	struct json j = { f, true };
	char buf[32];

	if (ts_event_has(ev, TCPSESS_A_EVENT))
		json_str(&j, "event",
			 name_or_number(tcpsess_event_name(ev->type), ev->type,
					buf, sizeof(buf)));
	if (ts_event_has(ev, TCPSESS_A_EVENT_SEQ))
		json_u64(&j, "seq", ev->seq);
	if (ts_event_has(ev, TCPSESS_A_SESSION))
		json_session_fields(&j, &ev->s);
	if (ts_event_has(ev, TCPSESS_A_OLD_STATE))
		json_str(&j, "old_state",
			 state_str(ev->old_state, buf, sizeof(buf)));
	if (ts_event_has(ev, TCPSESS_A_REASON))
		json_str(&j, "reason", reason_str(ev, true, buf, sizeof(buf)));
	if (ts_event_has(ev, TCPSESS_A_DIR))
		json_str(&j, "dir", dir_str(ev->dir, buf, sizeof(buf)));
	json_end(&j);
}

static void text_pair(FILE *f, const char *label, u64 orig, u64 reply)
{
	fprintf(f, " %s %llu/%llu", label, (unsigned long long)orig,
		(unsigned long long)reply);
}

static void text_end(FILE *f, const struct ts_session *s)
{
	char a[TS_CELL_LEN], b[TS_CELL_LEN], history[TS_HISTORY_LEN];

	if (ts_has(s, TCPSESS_SESSION_AGE_MS)) {
		ts_format_duration(s->age_ms, a, sizeof(a));
		fprintf(f, " age %s", a);
	}
	if (ts_has(s, TCPSESS_SESSION_PKTS_ORIG))
		text_pair(f, "pkts", s->pkts[TCPSESS_DIR_ORIG],
			  s->pkts[TCPSESS_DIR_REPLY]);
	if (ts_has(s, TCPSESS_SESSION_BYTES_ORIG))
		text_pair(f, "bytes", s->bytes[TCPSESS_DIR_ORIG],
			  s->bytes[TCPSESS_DIR_REPLY]);
	if (ts_has(s, TCPSESS_SESSION_IPBYTES_ORIG))
		text_pair(f, "ipbytes", s->ipbytes[TCPSESS_DIR_ORIG],
			  s->ipbytes[TCPSESS_DIR_REPLY]);
	if (ts_has(s, TCPSESS_SESSION_ID)) {
		ts_format_rtt(s, TCPSESS_SESSION_RTT_SYN_US, a, sizeof(a));
		ts_format_rtt(s, TCPSESS_SESSION_RTT_ACK_US, b, sizeof(b));
		fprintf(f, " rtt %s/%s", a, b);
	}
	if (ts_has(s, TCPSESS_SESSION_RETRANS_ORIG))
		text_pair(f, "retrans", s->retrans[TCPSESS_DIR_ORIG],
			  s->retrans[TCPSESS_DIR_REPLY]);
	if (ts_has(s, TCPSESS_SESSION_HISTORY)) {
		sanitize(history, sizeof(history), s->history);
		fprintf(f, " history %s", history);
	}
}

static void text_state(FILE *f, const struct ts_session *s, const char *prefix)
{
	char buf[32];

	if (ts_has(s, TCPSESS_SESSION_STATE))
		fprintf(f, " %s%s", prefix, state_str(s->state, buf, sizeof(buf)));
}

void ts_print_event_text(FILE *f, const struct ts_event *ev)
{
	static const struct ts_session none;
	const struct ts_session *s = ts_event_has(ev, TCPSESS_A_SESSION) ?
				     &ev->s : &none;
	char src[TS_CELL_LEN], dst[TS_CELL_LEN], buf[32];

	fputs(name_or_number(tcpsess_event_name(ev->type), ev->type, buf,
			     sizeof(buf)), f);
	if (ts_has(s, TCPSESS_SESSION_ID))
		fprintf(f, " %llu", (unsigned long long)s->id);
	else
		fputs(" -", f);
	ts_format_endpoint(s, true, src, sizeof(src));
	ts_format_endpoint(s, false, dst, sizeof(dst));
	fprintf(f, " %s -> %s", src, dst);

	switch (ev->type) {
	case TCPSESS_EVENT_STATE:
		if (ts_event_has(ev, TCPSESS_A_OLD_STATE))
			fprintf(f, " %s ->",
				state_str(ev->old_state, buf, sizeof(buf)));
		text_state(f, s, "");
		break;
	case TCPSESS_EVENT_END:
		if (ts_event_has(ev, TCPSESS_A_REASON))
			fprintf(f, " reason %s",
				reason_str(ev, true, buf, sizeof(buf)));
		text_state(f, s, "in ");
		text_end(f, s);
		break;
	case TCPSESS_EVENT_UPDATE:
		text_state(f, s, "");
		text_end(f, s);
		break;
	case TCPSESS_EVENT_INVALID:
		if (ts_event_has(ev, TCPSESS_A_REASON))
			fprintf(f, " %s",
				reason_str(ev, false, buf, sizeof(buf)));
		text_state(f, s, "in ");
		if (ts_event_has(ev, TCPSESS_A_DIR))
			fprintf(f, " dir %s",
				dir_str(ev->dir, buf, sizeof(buf)));
		break;
	default:
		text_state(f, s, "");
		break;
	}
	if (ts_has(s, TCPSESS_SESSION_FLAGS) && s->flags) {
		char flags[TCPSESS_FLAGS_LEN];

		tcpsess_flags_format(s->flags, flags);
		fprintf(f, " flags %s", flags);
	}
	fputc('\n', f);
}

static void print_value(FILE *f, struct json *j, const char *name, u64 value)
{
	if (j)
		json_u64(j, name, value);
	else
		fprintf(f, "%s %llu\n", name, (unsigned long long)value);
}

/* Prints what the kernel sent of a stats line, if anything. */
static void print_stat_line(FILE *f, struct json *j, const struct ts_stats *st,
			    const struct tcpsess_stat_line *line)
{
	unsigned int i = line->index;

	switch (line->group) {
	case TCPSESS_STAT_GROUP_COUNTER:
		if (st->has_counter & TS_BIT(i))
			print_value(f, j, line->name, st->counter[i]);
		break;
	case TCPSESS_STAT_GROUP_STATE:
		if (st->has_state & TS_BIT(i))
			print_value(f, j, line->name, st->state[i]);
		break;
	case TCPSESS_STAT_GROUP_INVALID:
		if (st->has_invalid & TS_BIT(i))
			print_value(f, j, line->name, st->invalid[i]);
		break;
	case TCPSESS_STAT_GROUP_RTT_SYN:
		if (st->has_rtt[TS_RTT_SYN] & TS_BIT(i))
			print_value(f, j, line->name, st->rtt[TS_RTT_SYN][i]);
		break;
	case TCPSESS_STAT_GROUP_RTT_ACK:
		if (st->has_rtt[TS_RTT_ACK] & TS_BIT(i))
			print_value(f, j, line->name, st->rtt[TS_RTT_ACK][i]);
		break;
	}
}

/* In /proc's order and with its names: the module's own names.c says both. */
void ts_print_stats(FILE *f, const struct ts_stats *st, bool json)
{
	struct json jbuf = { f, true }, *j = json ? &jbuf : NULL;
	struct tcpsess_stat_line line;
	unsigned int n;

	for (n = 0; tcpsess_stat_line(n, &line); n++)
		print_stat_line(f, j, st, &line);
	if (j)
		json_end(j);
}

void ts_print_config(FILE *f, const struct ts_config *cfg, const u8 *keys,
		     unsigned int nkeys, bool json)
{
	struct json j = { f, true };
	unsigned int i, key;
	char value[32];

	for (i = 0; i < (nkeys ? nkeys : TS_CFG_NKEYS); i++) {
		key = nkeys ? keys[i] : i;
		if (!(cfg->present & TS_BIT(key)))
			continue;
		ts_config_format_value(key, cfg->value[key], value,
				       sizeof(value));
		if (!json)
			fprintf(f, "%s %s\n", ts_config_key_name(key), value);
		else if (key == TS_CFG_MODE)
			json_str(&j, ts_config_key_name(key), value);
		else
			json_u64(&j, ts_config_key_name(key), cfg->value[key]);
	}
	if (json)
		json_end(&j);
}

enum {
	COL_ID, COL_AF, COL_STATE, COL_SRC, COL_DST, COL_AGE, COL_IDLE,
	COL_PKTS, COL_BYTES, COL_IPBYTES, COL_RTT_SYN, COL_RTT_ACK, COL_RETRANS,
	COL_HISTORY, COL_FLAGS, NCOLS
};

static const struct {
	const char *title;
	bool right;		/* numbers are right-aligned */
} cols[NCOLS] = {
	[COL_ID] = { "ID", true },
	[COL_AF] = { "AF", false },
	[COL_STATE] = { "STATE", false },
	[COL_SRC] = { "SRC", false },
	[COL_DST] = { "DST", false },
	[COL_AGE] = { "AGE", true },
	[COL_IDLE] = { "IDLE", true },
	[COL_PKTS] = { "PKTS", true },
	[COL_BYTES] = { "BYTES", true },
	[COL_IPBYTES] = { "IPBYTES", true },
	[COL_RTT_SYN] = { "RTT-SYN", true },
	[COL_RTT_ACK] = { "RTT-ACK", true },
	[COL_RETRANS] = { "RETRANS", true },
	[COL_HISTORY] = { "HISTORY", false },
	[COL_FLAGS] = { "FLAGS", false },
};

struct row {
	char cell[NCOLS][TS_CELL_LEN];
};

static void cell_pair(char *buf, u64 orig, u64 reply)
{
	snprintf(buf, TS_CELL_LEN, "%llu/%llu", (unsigned long long)orig,
		 (unsigned long long)reply);
}

static void session_cells(const struct ts_session *s, struct row *r)
{
	char (*c)[TS_CELL_LEN] = r->cell;
	char flags[TCPSESS_FLAGS_LEN], buf[32];

	snprintf(c[COL_ID], TS_CELL_LEN, "%llu", (unsigned long long)s->id);
	snprintf(c[COL_AF], TS_CELL_LEN, "%u", s->family);
	snprintf(c[COL_STATE], TS_CELL_LEN, "%s",
		 state_str(s->state, buf, sizeof(buf)));
	ts_format_endpoint(s, true, c[COL_SRC], TS_CELL_LEN);
	ts_format_endpoint(s, false, c[COL_DST], TS_CELL_LEN);
	ts_format_duration(s->age_ms, c[COL_AGE], TS_CELL_LEN);
	ts_format_duration(s->idle_ms, c[COL_IDLE], TS_CELL_LEN);
	cell_pair(c[COL_PKTS], s->pkts[TCPSESS_DIR_ORIG],
		  s->pkts[TCPSESS_DIR_REPLY]);
	cell_pair(c[COL_BYTES], s->bytes[TCPSESS_DIR_ORIG],
		  s->bytes[TCPSESS_DIR_REPLY]);
	/* A module older than the IP byte counts sends none. */
	if (ts_has(s, TCPSESS_SESSION_IPBYTES_ORIG))
		cell_pair(c[COL_IPBYTES], s->ipbytes[TCPSESS_DIR_ORIG],
			  s->ipbytes[TCPSESS_DIR_REPLY]);
	else
		snprintf(c[COL_IPBYTES], TS_CELL_LEN, "-");
	ts_format_rtt(s, TCPSESS_SESSION_RTT_SYN_US, c[COL_RTT_SYN],
		      TS_CELL_LEN);
	ts_format_rtt(s, TCPSESS_SESSION_RTT_ACK_US, c[COL_RTT_ACK],
		      TS_CELL_LEN);
	cell_pair(c[COL_RETRANS], s->retrans[TCPSESS_DIR_ORIG],
		  s->retrans[TCPSESS_DIR_REPLY]);
	sanitize(c[COL_HISTORY], TS_CELL_LEN,
		 ts_has(s, TCPSESS_SESSION_HISTORY) ? s->history : "-");
	tcpsess_flags_format(s->flags, flags);
	snprintf(c[COL_FLAGS], TS_CELL_LEN, "%s", flags);
}

static void print_row(FILE *f, const size_t *width, const char *const *cell)
{
	unsigned int i;

	for (i = 0; i < NCOLS; i++) {
		int w = (int)width[i];

		if (i)
			fputc(' ', f);
		if (cols[i].right)
			fprintf(f, "%*s", w, cell[i]);
		else if (i == NCOLS - 1)	/* no trailing blanks */
			fputs(cell[i], f);
		else
			fprintf(f, "%-*s", w, cell[i]);
	}
	fputc('\n', f);
}

int ts_table_add(struct ts_table *t, const struct ts_session *s)
{
	if (t->len == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 64;
		struct ts_session *rows;

		rows = reallocarray(t->rows, cap, sizeof(*rows));
		if (!rows)
			return -ENOMEM;
		t->rows = rows;
		t->cap = cap;
	}
	t->rows[t->len++] = *s;
	return 0;
}

/* Oldest first; ids break ties, as they come from per-CPU blocks. */
static int cmp_age(const void *a, const void *b)
{
	const struct ts_session *x = a, *y = b;

	if (x->age_ms != y->age_ms)
		return x->age_ms > y->age_ms ? -1 : 1;
	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return 0;
}

void ts_table_print(FILE *f, struct ts_table *t)
{
	const char *cell[NCOLS];
	size_t width[NCOLS], i, n;
	struct row r;

	if (t->len)
		qsort(t->rows, t->len, sizeof(*t->rows), cmp_age);
	for (i = 0; i < NCOLS; i++)
		width[i] = strlen(cols[i].title);
	/* Formatting twice costs less memory than keeping every cell. */
	for (n = 0; n < t->len; n++) {
		session_cells(&t->rows[n], &r);
		for (i = 0; i < NCOLS; i++)
			if (strlen(r.cell[i]) > width[i])
				width[i] = strlen(r.cell[i]);
	}
	for (i = 0; i < NCOLS; i++)
		cell[i] = cols[i].title;
	print_row(f, width, cell);
	for (n = 0; n < t->len; n++) {
		session_cells(&t->rows[n], &r);
		for (i = 0; i < NCOLS; i++)
			cell[i] = r.cell[i];
		print_row(f, width, cell);
	}
}

void ts_table_free(struct ts_table *t)
{
	free(t->rows);
	t->rows = NULL;
	t->len = 0;
	t->cap = 0;
}
