/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * tcpsess: TCP session tracking, userspace interface.
 *
 * Names, states and reasons
 * -------------------------
 * A session is one TCP connection inside one network namespace. Its "orig"
 * direction is the side that sent the first SYN, "reply" the other side.
 * The enums below are shared by the kernel module, the /proc files (which
 * print their names in lower case) and the netlink protocol. Values are
 * only ever appended; a value never changes meaning.
 *
 * The generic netlink protocol is described further down, next to its
 * commands and attributes.
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

/*
 * Namespace counters, in the order /proc/net/tcpsess/stats prints them.
 * The per-state gauges and per-reason invalid counters follow these, one
 * per value of enum tcpsess_state (except NONE) and enum
 * tcpsess_invalid_reason (except NONE).
 */
enum tcpsess_stat {
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

#endif /* _UAPI_LINUX_TCPSESS_H */
