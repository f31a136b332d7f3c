/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcpsessctl: what the kernel reports, decoded. The netlink code fills
 * these, the output code prints them, and neither knows about the other.
 */
#ifndef _TCPSESSCTL_H
#define _TCPSESSCTL_H

#include <sys/socket.h>

#include "names.h"

#define TS_PROG		"tcpsessctl"
#define TS_VERSION	"1.0"

#define TS_BIT(n)	(1ULL << (n))

/* Longer histories (a newer module) are cut short rather than refused. */
#define TS_HISTORY_LEN	32

/*
 * A session as one TCPSESS_A_SESSION nest describes it. An INVALID event
 * without a session carries only the endpoints, so every field records
 * whether it was present.
 */
struct ts_session {
	u64 present;		/* TS_BIT(enum tcpsess_session_attr) */
	u64 id;
	u8 family;		/* 4 or 6 */
	u8 state;
	u16 sport;
	u16 dport;
	u8 src[16];
	u8 dst[16];
	u64 age_ms;
	u64 idle_ms;
	u64 pkts[2];		/* indexed by enum tcpsess_dir */
	u64 bytes[2];
	u32 rtt_syn_us;
	u32 rtt_ack_us;
	u32 retrans[2];
	u32 flags;
	char history[TS_HISTORY_LEN];
	u64 ipbytes[2];		/* whole IP packets, by enum tcpsess_dir */
};

static_assert(__TCPSESS_SESSION_MAX <= 64, "ts_session.present too small");

static inline bool ts_has(const struct ts_session *s, unsigned int attr)
{
	return s->present & TS_BIT(attr);
}

struct ts_event {
	u64 present;		/* TS_BIT(enum tcpsess_attr) */
	u8 type;		/* enum tcpsess_event */
	u8 old_state;
	u8 reason;		/* end or invalid reason, by type */
	u8 dir;
	u64 seq;
	struct ts_session s;	/* valid if TCPSESS_A_SESSION is present */
};

static_assert(__TCPSESS_A_MAX <= 64, "ts_event.present too small");

static inline bool ts_event_has(const struct ts_event *ev, unsigned int attr)
{
	return ev->present & TS_BIT(attr);
}

struct ts_stats {
	u64 counter[__TCPSESS_STAT_MAX];
	u64 state[__TCPSESS_STATE_MAX];
	u64 invalid[__TCPSESS_INVALID_MAX];
	u64 has_counter;	/* TS_BIT(enum tcpsess_stat) */
	u64 has_state;		/* TS_BIT(enum tcpsess_state) */
	u64 has_invalid;	/* TS_BIT(enum tcpsess_invalid_reason) */
	/* The SYN and the ACK RTT histograms, as their nests carry them. */
	u64 rtt[2][__TCPSESS_RTT_HIST_MAX];
	u64 has_rtt[2];		/* TS_BIT(enum tcpsess_rtt_hist_attr) */
};

/* ts_stats.rtt's first index. */
enum ts_rtt_leg {
	TS_RTT_SYN,
	TS_RTT_ACK,
};

static_assert(__TCPSESS_STAT_MAX <= 64 && __TCPSESS_STATE_MAX <= 64 &&
	      __TCPSESS_INVALID_MAX <= 64 && __TCPSESS_RTT_HIST_MAX <= 64,
	      "ts_stats bitmaps too small");

/* The configuration keys of SPEC section 4, in the order they are shown. */
enum ts_cfg_key {
	TS_CFG_MAX_SESSIONS,
	TS_CFG_TIMEOUT,		/* + state - 1, for each state but NONE */
	TS_CFG_MODE = TS_CFG_TIMEOUT + TCPSESS_STATE_MAX,
	TS_CFG_PICKUP,
	TS_CFG_EVENT_RATE,
	TS_CFG_TIMEOUT_PICKUP,
	TS_CFG_REPORT_INTERVAL,
	TS_CFG_NKEYS
};

struct ts_config {
	u32 value[TS_CFG_NKEYS];
	u32 present;		/* TS_BIT(enum ts_cfg_key) */
};

static_assert(TS_CFG_NKEYS <= 32, "ts_config.present too small");

struct ts_filter {
	u8 family;		/* 0 (any), 4 or 6: --af, or --addr's */
	u8 state;		/* 0 (any) or enum tcpsess_state */
	bool af_given;
	bool has_addr;
	bool has_port;
	u16 port;
	u8 addr[16];		/* 4 bytes used for family 4 */
};

static inline unsigned int ts_addr_len(unsigned int family)
{
	return family == 4 ? 4 : 16;
}

/*
 * The client speaks of families as --af and the /proc columns do, 4 and 6;
 * the protocol carries AF_INET and AF_INET6. 0 is neither.
 */
static inline u8 ts_af_to_ip_version(unsigned int af)
{
	return af == AF_INET ? 4 : af == AF_INET6 ? 6 : 0;
}

static inline u8 ts_ip_version_to_af(unsigned int family)
{
	return family == 4 ? AF_INET : AF_INET6;
}

#endif /* _TCPSESSCTL_H */
