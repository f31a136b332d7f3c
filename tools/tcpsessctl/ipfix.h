/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TCPSESSCTL_IPFIX_H
#define _TCPSESSCTL_IPFIX_H

#include <stddef.h>

#include "tcpsessctl.h"

/*
 * IPFIX (RFC 7011) as tcpsess exports it: one biflow record (RFC 5103) per
 * session report, in messages of at most a given size. No I/O here: the
 * exporter queues encoded records and packs them into messages when it
 * sends, so that a message's header and templates are those of the
 * transport session it leaves on.
 */

#define TS_IPFIX_VERSION	10
#define TS_IPFIX_HDR_LEN	16
#define TS_IPFIX_SET_HDR_LEN	4

#define TS_IPFIX_SET_TEMPLATE	2
#define TS_IPFIX_SET_OPTIONS	3

#define TS_IPFIX_TID_IPV4	256
#define TS_IPFIX_TID_IPV6	257
#define TS_IPFIX_TID_OPTIONS	258

/* RFC 5103's reverse elements: the forward ones under this PEN. */
#define TS_IPFIX_PEN_REVERSE	29305
/*
 * tcpsess has no Private Enterprise Number of its own yet. 32473 is the
 * one IANA reserves for documentation (RFC 5612): a placeholder to be
 * replaced, with the element ids below kept, once one is registered.
 */
#define TS_IPFIX_PEN_TCPSESS	32473

/* tcpsess's own elements, under TS_IPFIX_PEN_TCPSESS. */
enum ts_ipfix_tcpsess_ie {
	TS_IPFIX_IE_RTT_SYN_US = 1,	/* unsigned32, all ones: not measured */
	TS_IPFIX_IE_RTT_ACK_US,		/* unsigned32, all ones: not measured */
	TS_IPFIX_IE_RETRANS_ORIG,	/* unsigned32 */
	TS_IPFIX_IE_RETRANS_REPLY,	/* unsigned32 */
	TS_IPFIX_IE_HISTORY,		/* string, variable length */
	TS_IPFIX_IE_LOST_EVENTS,	/* unsigned64, total count */
};

/* flowEndReason (IE 136) values. */
enum ts_ipfix_end_reason {
	TS_IPFIX_END_IDLE = 1,
	TS_IPFIX_END_ACTIVE,
	TS_IPFIX_END_OF_FLOW,
	TS_IPFIX_END_FORCED,
	TS_IPFIX_END_LACK_OF_RESOURCES,
};

/* The largest data record: an IPv6 one with the longest history. */
#define TS_IPFIX_REC_MAX	160

/* One flow record, as it goes on the wire. */
struct ts_ipfix_rec {
	u64 flow_id;
	u8 family;		/* 4 or 6 */
	u8 src[16];		/* orig, the initiator */
	u8 dst[16];
	u16 sport;
	u16 dport;
	u8 end_reason;		/* enum ts_ipfix_end_reason */
	u16 tcp_flags[2];	/* by enum tcpsess_dir */
	u64 start_ms;		/* since the epoch */
	u64 end_ms;
	u64 pkts[2];		/* deltas, by enum tcpsess_dir */
	u64 octets[2];
	u32 rtt_syn_us;
	u32 rtt_ack_us;
	u32 retrans[2];
	char history[TS_HISTORY_LEN];
};

/* What the exporter could not deliver, in the options record. */
struct ts_ipfix_loss {
	u32 exporter_id;	/* exportingProcessId: the scope */
	u64 not_sent;		/* records dropped before they were sent */
	u64 lost_events;	/* kernel events never read */
};

/*
 * Encodes rec into buf (TS_IPFIX_REC_MAX bytes) as a data record of the
 * template *tid. Returns its length.
 */
size_t ts_ipfix_encode_rec(const struct ts_ipfix_rec *rec, u8 *buf, u16 *tid);

size_t ts_ipfix_encode_loss(const struct ts_ipfix_loss *loss, u8 *buf);

/* tcpControlBits per direction, as far as Zeek's history letters tell. */
void ts_ipfix_history_flags(const char *history, u16 flags[2]);

/* An IPFIX message being filled, at most max bytes long. */
struct ts_ipfix_msg {
	u8 *buf;
	size_t max;
	size_t len;
	size_t set;		/* the open set's offset, 0 if none */
	u16 set_id;
	u32 records;		/* data records in it */
};

void ts_ipfix_msg_init(struct ts_ipfix_msg *m, u8 *buf, size_t max);

/*
 * Adds the template set (IPv4, IPv6) and the options template set. Returns
 * 0, or -ENOSPC if they do not fit.
 */
int ts_ipfix_msg_add_templates(struct ts_ipfix_msg *m);

/*
 * Adds a data record of template tid, len bytes, to the open data set of
 * tid or to a new one. Returns 0, or -ENOSPC if it does not fit.
 */
int ts_ipfix_msg_add_record(struct ts_ipfix_msg *m, u16 tid, const u8 *rec,
			    size_t len);

/*
 * Writes the header: export time in seconds, seq the data records sent
 * before this message in this transport session and observation domain.
 * Returns the message's length.
 */
size_t ts_ipfix_msg_finish(struct ts_ipfix_msg *m, u32 export_time, u32 seq,
			   u32 domain);

/*
 * The counters last reported per session, for the deltas of the next
 * report: a hash table of at most max sessions.
 */
struct ts_ipfix_flow {
	u64 id;			/* 0: free slot (ids start at 1) */
	u64 pkts[2];
	u64 octets[2];
	u64 cut_ms;		/* when they were reported */
};

struct ts_ipfix_flows {
	struct ts_ipfix_flow *slot;
	size_t size;		/* a power of two, or 0 */
	size_t used;
	size_t max;
	u64 untracked;		/* reports that could not be remembered */
};

void ts_ipfix_flows_init(struct ts_ipfix_flows *t, size_t max);
void ts_ipfix_flows_free(struct ts_ipfix_flows *t);

/*
 * The record of an END event (final true) or an UPDATE event, read at
 * now_ms since the epoch: counters as deltas since the session's last
 * report, which is then remembered (UPDATE) or forgotten (END). Returns
 * 0, or 1 for an UPDATE that reports nothing new (no record to send), or
 * -EINVAL for an event without the session's endpoints.
 */
int ts_ipfix_rec_from_event(struct ts_ipfix_flows *t,
			    const struct ts_event *ev, u64 now_ms,
			    struct ts_ipfix_rec *rec);

#endif /* _TCPSESSCTL_IPFIX_H */
