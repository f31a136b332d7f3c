/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TCPSESS_PARAMS_H
#define _TCPSESS_PARAMS_H

#include <linux/bits.h>
#include <linux/types.h>
#include <linux/tcpsess.h>

/*
 * One namespace's settings. Every namespace starts from the module
 * parameters and may then change its own copy over netlink, so the packet
 * path reads each field once with READ_ONCE().
 */
struct tcpsess_config {
	u32 max_sessions;
	u32 timeout[__TCPSESS_STATE_MAX];	/* seconds; NONE unused */
	u32 event_rate;				/* per second, 0 = unlimited */
	u32 timeout_pickup;			/* seconds, while provisional */
	u32 pickup;				/* 0 or 1 */
	u32 report_interval;			/* seconds, 0 = no UPDATE */
	u8 mode;				/* enum tcpsess_mode */
};

/* Filled from the module parameters at load time, read-only afterwards. */
extern struct tcpsess_config tcpsess_default_config;
/* The most buckets one namespace's table grows to; 0 for the limit. */
extern unsigned int tcpsess_hashsize;
/* Sessions of all namespaces together; 0 sizes it by RAM at load. */
extern unsigned int tcpsess_max_sessions_total;

#define TCPSESS_MAX_SESSIONS_TOTAL_MIN		16384U
#define TCPSESS_MAX_SESSIONS_TOTAL_LIMIT	BIT(30)
#define TCPSESS_HASHSIZE_LIMIT		BIT(24)

#endif /* _TCPSESS_PARAMS_H */
