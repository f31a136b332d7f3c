/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * tcpsess: TCP session tracking, userspace interface.
 *
 * Names, states and reasons
 * -------------------------
 * A session is one TCP connection inside one network namespace. Its "orig"
 * direction is the side that sent the first SYN, "reply" the other side.
 * The enums below are shared by the kernel module, the /proc files and the
 * netlink protocol. The sessions file names states and flags in upper
 * case; the stats file spells states and reasons in lower case, inside
 * its counters' names (state_established, invalid_bad_flags).
 *
 * This is the protocol's final shape: from now on enum values, commands
 * and attributes are only appended, and none changes meaning. A client
 * must skip attributes it does not know in what the kernel sends; the
 * kernel refuses attributes it does not know in what it is sent.
 *
 * Generic netlink protocol
 * ------------------------
 * Family TCPSESS_GENL_NAME, version TCPSESS_GENL_VERSION, one multicast
 * group TCPSESS_MCGRP_EVENTS. Every request acts on the namespace of the
 * socket it comes from. Attributes not listed for a command, wrong types,
 * out-of-range values and oversized binaries are rejected with an extack
 * message. Padding for u64 values: TCPSESS_A_PAD at the top level,
 * TCPSESS_SESSION_PAD in a session; in the nests whose attribute types are
 * the values of an enum (GET_STATS), type 0, which every such enum reserves
 * (UNSPEC or NONE). Families are AF_INET and AF_INET6. Ports are in host
 * byte order; addresses are 4 or 16 bytes, network order.
 * "CAP_NET_ADMIN" below is that capability in the user namespace owning the
 * network namespace, held by the socket's opener and by the sender; without
 * it generic netlink refuses the request with EPERM before tcpsess sees it.
 *
 * TCPSESS_CMD_GET_SESSIONS (dump; CAP_NET_ADMIN)
 *   request:  [TCPSESS_A_FILTER]             all present filters must match
 *                                            (so FAMILY AF_INET6 with a
 *                                            4-byte ADDR matches nothing)
 *               TCPSESS_FILTER_FAMILY  u8    AF_INET or AF_INET6
 *               TCPSESS_FILTER_ADDR    bin   either endpoint's address
 *               TCPSESS_FILTER_PORT    u16   either endpoint's port
 *               TCPSESS_FILTER_STATE   u8    enum tcpsess_state
 *   replies:  one message per session:
 *             TCPSESS_A_SESSION
 *               TCPSESS_SESSION_ID           u64   never reused while loaded
 *               TCPSESS_SESSION_FAMILY       u8    AF_INET or AF_INET6
 *               TCPSESS_SESSION_SRC_ADDR     bin   orig (initiator) side
 *               TCPSESS_SESSION_SRC_PORT     u16
 *               TCPSESS_SESSION_DST_ADDR     bin   reply (responder) side
 *               TCPSESS_SESSION_DST_PORT     u16
 *               TCPSESS_SESSION_STATE        u8    enum tcpsess_state
 *               TCPSESS_SESSION_AGE_MS       u64
 *               TCPSESS_SESSION_IDLE_MS      u64
 *               TCPSESS_SESSION_PKTS_ORIG    u64   and PKTS_REPLY
 *               TCPSESS_SESSION_BYTES_ORIG   u64   and BYTES_REPLY: payload
 *               TCPSESS_SESSION_RTT_SYN_US   u32   absent until measured
 *               TCPSESS_SESSION_RTT_ACK_US   u32   absent until measured
 *               TCPSESS_SESSION_RETRANS_ORIG u32   and RETRANS_REPLY
 *               TCPSESS_SESSION_HISTORY      string  Zeek letters, "-" if none
 *               TCPSESS_SESSION_FLAGS        u32   enum tcpsess_session_flag
 *               TCPSESS_SESSION_IPBYTES_ORIG u64   and IPBYTES_REPLY: whole IP
 *                                                  packets (IP, extension and
 *                                                  TCP headers, payload)
 *   A session that lives through the whole dump is in it exactly once.
 *
 * TCPSESS_CMD_GET_STATS (do; anyone)
 *   reply:    TCPSESS_A_STATS
 *               TCPSESS_STATS_COUNTERS  nest: attr (enum tcpsess_stat), u64
 *               TCPSESS_STATS_STATES    nest: attr (enum tcpsess_state), u64
 *               TCPSESS_STATS_INVALID   nest: attr (enum tcpsess_invalid_reason), u64
 *               TCPSESS_STATS_RTT_SYN   nest: attr (enum tcpsess_rtt_hist_attr), u64
 *               TCPSESS_STATS_RTT_ACK   nest: attr (enum tcpsess_rtt_hist_attr), u64
 *   In these nests type 0 (TCPSESS_STATS_INDEX_PAD) is padding: no
 *   counter, state, reason or histogram field has the value 0. Types a
 *   client does not know are counters added after it was built; it may
 *   skip them. RTT_SYN and RTT_ACK are histograms of the handshake round
 *   trips the sessions file shows as rtt_syn_us and rtt_ack_us, each
 *   counted once, when measured: COUNT of them, SUM_US of their microseconds, and
 *   at TCPSESS_RTT_HIST_LE + i how many took at most the i-th of
 *   TCPSESS_RTT_BOUNDS_US microseconds, cumulative as Prometheus buckets are.
 *
 * TCPSESS_CMD_GET_CONFIG (do; anyone), TCPSESS_CMD_SET_CONFIG (do; CAP_NET_ADMIN)
 *   TCPSESS_A_CONFIG                   in the reply: all; in SET: any subset
 *     TCPSESS_CONFIG_MAX_SESSIONS  u32   1..TCPSESS_MAX_SESSIONS_LIMIT
 *     TCPSESS_CONFIG_TIMEOUTS      nest: attr (enum tcpsess_state), u32 seconds,
 *                                        1..TCPSESS_TIMEOUT_LIMIT
 *     TCPSESS_CONFIG_MODE          u8    enum tcpsess_mode
 *     TCPSESS_CONFIG_PICKUP        u8    0 or 1
 *     TCPSESS_CONFIG_EVENT_RATE    u32   0..TCPSESS_EVENT_RATE_LIMIT, 0 = unlimited
 *     TCPSESS_CONFIG_TIMEOUT_PICKUP u32  1..TCPSESS_TIMEOUT_LIMIT seconds: idle
 *                                        timeout of a provisional pickup
 *     TCPSESS_CONFIG_REPORT_INTERVAL u32 0..TCPSESS_REPORT_INTERVAL_LIMIT
 *                                        seconds between UPDATE events of a
 *                                        live session, 0 = none
 *   A SET applies all of its values or, on any error, none. A namespace
 *   owned by a user namespace other than the initial one may not raise
 *   MAX_SESSIONS above the module parameter max_sessions (EPERM, extack).
 *
 * TCPSESS_CMD_FLUSH (do; CAP_NET_ADMIN)
 *   Ends every session of the namespace with reason FLUSHED.
 *
 * TCPSESS_CMD_EVENT (multicast to TCPSESS_MCGRP_EVENTS; CAP_NET_ADMIN to join)
 *   TCPSESS_A_EVENT       u8   enum tcpsess_event
 *   TCPSESS_A_EVENT_SEQ   u64  per namespace, +1 per event sent: a gap is loss
 *   TCPSESS_A_OLD_STATE   u8   STATE: the state left
 *   TCPSESS_A_REASON      u8   END: enum tcpsess_end_reason;
 *                              INVALID: enum tcpsess_invalid_reason
 *   TCPSESS_A_DIR         u8   INVALID: enum tcpsess_dir, when a session exists
 *   TCPSESS_A_SESSION     nest as in GET_SESSIONS; the state after the event.
 *                              INVALID without a session: the segment's
 *                              addresses and ports only (src = its sender).
 *   UPDATE: every session still in the table and not idle past its timeout,
 *   whatever its state, gets one at report_interval seconds after its
 *   birth, then every report_interval seconds; each comes less than
 *   report_interval late, unless sweeping the table takes longer than
 *   that, and then one may stand for two. None while report_interval is 0.
 *   Events past event_rate per second are not sent and are counted in
 *   events_suppressed.
 */
#ifndef _UAPI_LINUX_TCPSESS_H
#define _UAPI_LINUX_TCPSESS_H

#include <linux/types.h>

#define TCPSESS_GENL_NAME	"tcpsess"
#define TCPSESS_GENL_VERSION	1
#define TCPSESS_MCGRP_EVENTS	"events"

/* Session states. NONE is never shown: it is the state before the first SYN. */
enum tcpsess_state {
	TCPSESS_STATE_NONE,
	TCPSESS_STATE_SYN_SENT,
	TCPSESS_STATE_SYN_RECV,
	TCPSESS_STATE_ESTABLISHED,
	TCPSESS_STATE_FIN_WAIT_1,
	TCPSESS_STATE_FIN_WAIT_2,
	TCPSESS_STATE_CLOSING,
	TCPSESS_STATE_LAST_ACK,
	TCPSESS_STATE_TIME_WAIT,
	TCPSESS_STATE_CLOSED,
	__TCPSESS_STATE_MAX
};

#define TCPSESS_STATE_MAX (__TCPSESS_STATE_MAX - 1)

enum tcpsess_dir {
	TCPSESS_DIR_ORIG,
	TCPSESS_DIR_REPLY,
};

/* Bits of a session's flags. */
enum tcpsess_session_flag {
	TCPSESS_F_PICKUP	= 1 << 0,	/* first seen mid-stream */
	TCPSESS_F_SIMOPEN	= 1 << 1,	/* both sides sent a SYN */
	TCPSESS_F_REOPENED	= 1 << 2,	/* replaced a TIME_WAIT/CLOSED one */
};

enum tcpsess_event {
	TCPSESS_EVENT_NONE,
	TCPSESS_EVENT_NEW,
	TCPSESS_EVENT_STATE,
	TCPSESS_EVENT_END,
	TCPSESS_EVENT_INVALID,
	TCPSESS_EVENT_UPDATE,	/* a live session's counters, every report_interval */
	__TCPSESS_EVENT_MAX
};

#define TCPSESS_EVENT_MAX (__TCPSESS_EVENT_MAX - 1)

enum tcpsess_end_reason {
	TCPSESS_END_NONE,
	TCPSESS_END_FIN,	/* TIME_WAIT ran out after an orderly close */
	TCPSESS_END_RST,	/* CLOSED ran out after a valid RST */
	TCPSESS_END_TIMEOUT,	/* idle in any other state for too long */
	TCPSESS_END_EVICTED,	/* table full, made room for a new session */
	TCPSESS_END_FLUSHED,	/* removed by a flush request */
	TCPSESS_END_REUSED,	/* a new SYN reopened the tuple */
	__TCPSESS_END_MAX
};

#define TCPSESS_END_MAX (__TCPSESS_END_MAX - 1)

/*
 * Why a segment was judged invalid. An invalid segment changes no state;
 * in enforce mode it is dropped.
 */
enum tcpsess_invalid_reason {
	TCPSESS_INVALID_NONE,
	TCPSESS_INVALID_HDR_TRUNCATED,	/* shorter than its own header */
	TCPSESS_INVALID_BAD_DATA_OFFSET, /* data offset below 5 words */
	TCPSESS_INVALID_BAD_CHECKSUM,	/* endpoint would drop it */
	TCPSESS_INVALID_BAD_FLAGS,	/* SYN+FIN, SYN+RST, none, ACK missing */
	TCPSESS_INVALID_SYN_UNEXPECTED,	/* SYN where no new SYN can be */
	TCPSESS_INVALID_SYNACK_UNEXPECTED, /* SYN-ACK with no SYN to answer */
	TCPSESS_INVALID_SYNACK_BAD_ACK,	/* SYN-ACK ack != orig ISN + 1 */
	TCPSESS_INVALID_ACK_BAD_ACK,	/* third ACK ack != reply ISN + 1 */
	TCPSESS_INVALID_SEQ_OUT_OF_WINDOW, /* outside the receiver's window */
	TCPSESS_INVALID_ACK_OUT_OF_WINDOW, /* acknowledges data never sent */
	TCPSESS_INVALID_RST_OUT_OF_WINDOW, /* RST outside the window */
	TCPSESS_INVALID_RST_INEXACT,	/* in window, not at rcv_nxt: challenge */
	TCPSESS_INVALID_DATA_AFTER_FIN,	/* payload beyond the sender's FIN */
	TCPSESS_INVALID_MIDSTREAM,	/* no session, not a SYN, pickup off */
	__TCPSESS_INVALID_MAX
};

#define TCPSESS_INVALID_MAX (__TCPSESS_INVALID_MAX - 1)

enum tcpsess_mode {
	TCPSESS_MODE_MONITOR,	/* observe, never drop */
	TCPSESS_MODE_ENFORCE,	/* drop invalid segments */
	__TCPSESS_MODE_MAX
};

#define TCPSESS_MODE_MAX (__TCPSESS_MODE_MAX - 1)

/* Limits of the configuration keys, enforced on module load and over netlink. */
#define TCPSESS_MAX_SESSIONS_LIMIT	(1U << 24)
#define TCPSESS_TIMEOUT_LIMIT		1728000U	/* seconds: 20 days */
#define TCPSESS_EVENT_RATE_LIMIT	10000000U	/* 0 means unlimited */
#define TCPSESS_REPORT_INTERVAL_LIMIT	86400U		/* seconds: a day */

/*
 * Namespace counters, in the order /proc/net/tcpsess/stats prints them.
 * There, the per-state gauges (state_<state>, one per enum tcpsess_state
 * but NONE) come right after ENDED_REUSED, and the per-reason invalid
 * counters (invalid_<reason>, one per enum tcpsess_invalid_reason but
 * NONE) after all of these, as SPEC section 5 orders them.
 */
enum tcpsess_stat {
	TCPSESS_STAT_UNSPEC,		/* no counter: type 0 pads GET_STATS nests */
	TCPSESS_STAT_SESSIONS_ACTIVE,
	TCPSESS_STAT_SESSIONS_MAX,
	TCPSESS_STAT_SESSIONS_CREATED,
	TCPSESS_STAT_SESSIONS_ENDED,
	TCPSESS_STAT_ENDED_FIN,
	TCPSESS_STAT_ENDED_RST,
	TCPSESS_STAT_ENDED_TIMEOUT,
	TCPSESS_STAT_ENDED_EVICTED,
	TCPSESS_STAT_ENDED_FLUSHED,
	TCPSESS_STAT_ENDED_REUSED,
	TCPSESS_STAT_PACKETS_SEEN,
	TCPSESS_STAT_PACKETS_INVALID,
	TCPSESS_STAT_FRAGMENTS_IGNORED,
	TCPSESS_STAT_TABLE_FULL,
	TCPSESS_STAT_EVENTS_SENT,
	TCPSESS_STAT_EVENTS_SUPPRESSED,
	TCPSESS_STAT_MEMORY_BYTES,
	__TCPSESS_STAT_MAX
};

#define TCPSESS_STAT_MAX (__TCPSESS_STAT_MAX - 1)

enum tcpsess_cmd {
	TCPSESS_CMD_UNSPEC,
	TCPSESS_CMD_GET_SESSIONS,
	TCPSESS_CMD_GET_STATS,
	TCPSESS_CMD_GET_CONFIG,
	TCPSESS_CMD_SET_CONFIG,
	TCPSESS_CMD_FLUSH,
	TCPSESS_CMD_EVENT,
	__TCPSESS_CMD_MAX
};

#define TCPSESS_CMD_MAX (__TCPSESS_CMD_MAX - 1)

enum tcpsess_attr {
	TCPSESS_A_UNSPEC,
	TCPSESS_A_PAD,
	TCPSESS_A_SESSION,	/* nest: enum tcpsess_session_attr */
	TCPSESS_A_FILTER,	/* nest: enum tcpsess_filter_attr */
	TCPSESS_A_STATS,	/* nest: enum tcpsess_stats_attr */
	TCPSESS_A_CONFIG,	/* nest: enum tcpsess_config_attr */
	TCPSESS_A_EVENT,	/* u8: enum tcpsess_event */
	TCPSESS_A_EVENT_SEQ,	/* u64 */
	TCPSESS_A_OLD_STATE,	/* u8: enum tcpsess_state */
	TCPSESS_A_REASON,	/* u8: end or invalid reason */
	TCPSESS_A_DIR,		/* u8: enum tcpsess_dir */
	__TCPSESS_A_MAX
};

#define TCPSESS_A_MAX (__TCPSESS_A_MAX - 1)

enum tcpsess_session_attr {
	TCPSESS_SESSION_UNSPEC,
	TCPSESS_SESSION_PAD,
	TCPSESS_SESSION_ID,		/* u64 */
	TCPSESS_SESSION_FAMILY,		/* u8: AF_INET or AF_INET6 */
	TCPSESS_SESSION_SRC_ADDR,	/* binary: 4 or 16 bytes */
	TCPSESS_SESSION_SRC_PORT,	/* u16 */
	TCPSESS_SESSION_DST_ADDR,	/* binary: 4 or 16 bytes */
	TCPSESS_SESSION_DST_PORT,	/* u16 */
	TCPSESS_SESSION_STATE,		/* u8: enum tcpsess_state */
	TCPSESS_SESSION_AGE_MS,		/* u64 */
	TCPSESS_SESSION_IDLE_MS,	/* u64 */
	TCPSESS_SESSION_PKTS_ORIG,	/* u64 */
	TCPSESS_SESSION_BYTES_ORIG,	/* u64 */
	TCPSESS_SESSION_PKTS_REPLY,	/* u64 */
	TCPSESS_SESSION_BYTES_REPLY,	/* u64 */
	TCPSESS_SESSION_RTT_SYN_US,	/* u32 */
	TCPSESS_SESSION_RTT_ACK_US,	/* u32 */
	TCPSESS_SESSION_RETRANS_ORIG,	/* u32 */
	TCPSESS_SESSION_RETRANS_REPLY,	/* u32 */
	TCPSESS_SESSION_HISTORY,	/* string */
	TCPSESS_SESSION_FLAGS,		/* u32: enum tcpsess_session_flag */
	TCPSESS_SESSION_IPBYTES_ORIG,	/* u64: whole IP packets */
	TCPSESS_SESSION_IPBYTES_REPLY,	/* u64 */
	__TCPSESS_SESSION_MAX
};

#define TCPSESS_SESSION_MAX (__TCPSESS_SESSION_MAX - 1)

enum tcpsess_filter_attr {
	TCPSESS_FILTER_UNSPEC,
	TCPSESS_FILTER_FAMILY,		/* u8: AF_INET or AF_INET6 */
	TCPSESS_FILTER_ADDR,		/* binary: 4 or 16 bytes */
	TCPSESS_FILTER_PORT,		/* u16 */
	TCPSESS_FILTER_STATE,		/* u8: enum tcpsess_state */
	__TCPSESS_FILTER_MAX
};

#define TCPSESS_FILTER_MAX (__TCPSESS_FILTER_MAX - 1)

enum tcpsess_stats_attr {
	TCPSESS_STATS_UNSPEC,
	TCPSESS_STATS_COUNTERS,		/* nest: enum tcpsess_stat -> u64 */
	TCPSESS_STATS_STATES,		/* nest: enum tcpsess_state -> u64 */
	TCPSESS_STATS_INVALID,		/* nest: enum tcpsess_invalid_reason -> u64 */
	TCPSESS_STATS_RTT_SYN,		/* nest: enum tcpsess_rtt_hist_attr -> u64 */
	TCPSESS_STATS_RTT_ACK,		/* nest: enum tcpsess_rtt_hist_attr -> u64 */
	__TCPSESS_STATS_MAX
};

#define TCPSESS_STATS_MAX (__TCPSESS_STATS_MAX - 1)

/* Padding inside the GET_STATS nests, whose types are enum values. */
#define TCPSESS_STATS_INDEX_PAD 0

/*
 * The upper bounds, in microseconds, of the handshake RTT histograms'
 * buckets, ascending, as an array initializer:
 * static const __u32 bounds[TCPSESS_RTT_BUCKETS] = TCPSESS_RTT_BOUNDS_US;
 * Bounds are only ever appended, each above the last.
 */
#define TCPSESS_RTT_BOUNDS_US {						\
	50, 100, 250, 500, 1000, 2500, 5000, 10000, 25000, 50000,	\
	100000, 250000, 500000, 1000000, 2500000, 5000000		\
}

#define TCPSESS_RTT_BUCKETS 16

/*
 * A handshake RTT histogram's fields. COUNT and SUM_US come first so that
 * buckets can be appended: bucket i, counting from 0, is LE + i.
 */
enum tcpsess_rtt_hist_attr {
	TCPSESS_RTT_HIST_PAD,		/* type 0: padding */
	TCPSESS_RTT_HIST_COUNT,		/* u64: RTTs measured (le_inf) */
	TCPSESS_RTT_HIST_SUM_US,	/* u64: their sum, microseconds */
	TCPSESS_RTT_HIST_LE,		/* u64 each, from here on: RTTs <= bound */
	__TCPSESS_RTT_HIST_MAX = TCPSESS_RTT_HIST_LE + TCPSESS_RTT_BUCKETS
};

#define TCPSESS_RTT_HIST_MAX (__TCPSESS_RTT_HIST_MAX - 1)

enum tcpsess_config_attr {
	TCPSESS_CONFIG_UNSPEC,
	TCPSESS_CONFIG_MAX_SESSIONS,	/* u32 */
	TCPSESS_CONFIG_TIMEOUTS,	/* nest: enum tcpsess_state -> u32 seconds */
	TCPSESS_CONFIG_MODE,		/* u8: enum tcpsess_mode */
	TCPSESS_CONFIG_PICKUP,		/* u8: 0 or 1 */
	TCPSESS_CONFIG_EVENT_RATE,	/* u32 */
	TCPSESS_CONFIG_TIMEOUT_PICKUP,	/* u32 seconds */
	TCPSESS_CONFIG_REPORT_INTERVAL,	/* u32 seconds, 0 = no UPDATE events */
	__TCPSESS_CONFIG_MAX
};

#define TCPSESS_CONFIG_MAX (__TCPSESS_CONFIG_MAX - 1)

#endif /* _UAPI_LINUX_TCPSESS_H */
