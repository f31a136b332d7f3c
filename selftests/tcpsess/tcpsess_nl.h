/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Generic netlink by hand for the tcpsess selftests (tcpsess_nl.c). The
 * tests send bytes that no netlink library would produce, so these helpers
 * build messages field by field and never trust a length they read back.
 */
#ifndef _TCPSESS_NL_H
#define _TCPSESS_NL_H

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/tcpsess.h>

#include "portable.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/* A dump skb is at most 32 KiB; twice that never truncates a datagram. */
#define NL_RX_SIZE	65536
#define NL_TX_SIZE	4096
/* The kernel answers a request while sendmsg() runs; this is slack. */
#define NL_WAIT_MS	5000
#define EXTACK_LEN	256

struct nl_msg {
	size_t len;
	size_t nests[8];
	unsigned int depth;
	bool overflow;
	union {
		struct nlmsghdr nlh;
		unsigned char buf[NL_TX_SIZE];
	};
};

struct nl_ack {
	int error;		/* the kernel's verdict: 0 or a negative errno */
	char msg[EXTACK_LEN];	/* NLMSGERR_ATTR_MSG, "" when absent */
	long long offs;		/* NLMSGERR_ATTR_OFFS, -1 when absent */
	long long miss_type;	/* NLMSGERR_ATTR_MISS_TYPE, -1 when absent */
	unsigned int replies;	/* data messages that came before the ack */
	u16 type;		/* NLMSG_ERROR or NLMSG_DONE */
};

typedef void (*nl_reply_fn)(const struct nlmsghdr *nlh, void *arg);

struct attr_iter {
	const unsigned char *p;
	size_t len;
	bool bad;
};

/* Keeps a copy of the first data message of an answer. */
struct reply {
	unsigned int count;
	size_t len;
	u32 buf[2048];
};

struct family_info {
	bool found;
	u16 id;
	u32 version;
	u32 events_grp;		/* 0 when the group is not listed */
};

struct cfg_view {
	u32 max_sessions;
	u32 timeouts[TCPSESS_STATE_MAX + 1];
	u8 mode;
	u8 pickup;
	u32 event_rate;
	u32 timeout_pickup;
	u32 report_interval;
};

extern const struct cfg_view tcpsess_spec_defaults;

struct stats_view {
	u64 counters[TCPSESS_STAT_MAX + 1];
	u64 states[TCPSESS_STATE_MAX + 1];
	u64 invalid[TCPSESS_INVALID_MAX + 1];
	u32 seen_counters, seen_states, seen_invalid;
	/* The SYN [0] and ACK [1] RTT histograms, if sent. */
	u64 rtt[2][TCPSESS_RTT_HIST_MAX + 1];
	u32 seen_rtt[2];
};

/* Selects configuration keys for config_set(). */
#define KEY(k)		(1U << (k))
#define ALL_KEYS	(KEY(TCPSESS_CONFIG_MAX_SESSIONS) | KEY(TCPSESS_CONFIG_TIMEOUTS) | \
			 KEY(TCPSESS_CONFIG_MODE) | KEY(TCPSESS_CONFIG_PICKUP) | \
			 KEY(TCPSESS_CONFIG_EVENT_RATE) | KEY(TCPSESS_CONFIG_TIMEOUT_PICKUP) | \
			 KEY(TCPSESS_CONFIG_REPORT_INTERVAL))

struct dump_view {
	unsigned int sessions;
	unsigned int bad;	/* messages that are not a well-formed session */
};

static inline struct genlmsghdr *msg_genl(struct nl_msg *m)
{
	return (struct genlmsghdr *)(m->buf + NLMSG_HDRLEN);
}

static inline size_t attr_len(const struct nlattr *a)
{
	return a->nla_len - NLA_HDRLEN;
}

static inline const void *attr_data(const struct nlattr *a)
{
	return (const unsigned char *)a + NLA_HDRLEN;
}

/* Building requests: a fresh sequence number, as msg_init() gives each one. */
u32 nl_seq_alloc(void);
void msg_init(struct nl_msg *m, u16 type, u16 flags, u8 cmd);
void *msg_raw(struct nl_msg *m, const void *data, size_t len);
void msg_attr_hdr(struct nl_msg *m, u16 type, size_t nla_len);
void msg_put(struct nl_msg *m, u16 type, const void *data, size_t len);
void msg_put_u8(struct nl_msg *m, u16 type, u8 value);
void msg_put_u16(struct nl_msg *m, u16 type, u16 value);
void msg_put_u32(struct nl_msg *m, u16 type, u32 value);
void msg_put_u64(struct nl_msg *m, u16 type, u64 value);
void msg_put_str(struct nl_msg *m, u16 type, const char *s);
void msg_nest_start(struct nl_msg *m, u16 type);
void msg_nest_end(struct nl_msg *m);

/* Sockets; both return 0 or a negative errno. */
int nl_open(bool cap_ack);
int nl_send(int fd, const void *buf, size_t len);

/* Reading attributes back, never past what the kernel sent. */
void attr_iter_init(struct attr_iter *it, const void *data, size_t len);
const struct nlattr *attr_iter_next(struct attr_iter *it);
const struct nlattr *attr_find(const void *data, size_t len, u16 type);
const struct nlattr *attr_find_in(const struct nlattr *nest, u16 type);
bool attr_get(const struct nlattr *a, void *out, size_t size);
bool genl_attrs(const struct nlmsghdr *nlh, const void **data, size_t *len);

/* Answers: an NLMSG_ERROR or NLMSG_DONE into ack; -EBADMSG if malformed. */
int ack_parse(struct nl_ack *ack, const struct nlmsghdr *nlh);
int nl_recv_ack(int fd, u32 seq, int wait_ms, nl_reply_fn fn, void *arg,
		struct nl_ack *ack);
int nl_transact_wait(int fd, struct nl_msg *m, int wait_ms, nl_reply_fn fn,
		     void *arg, struct nl_ack *ack);
int nl_transact(int fd, struct nl_msg *m, nl_reply_fn fn, void *arg,
		struct nl_ack *ack);
void reply_keep_first(const struct nlmsghdr *nlh, void *arg);
const struct nlmsghdr *reply_msg(const struct reply *r);

/* The family and its requests, well-formed. */
int family_resolve(int fd, struct family_info *fi);
int simple_do(int fd, u16 family, u8 cmd, struct nl_ack *ack);
const char *stats_parse(const struct nlmsghdr *nlh, struct stats_view *st);
int stats_get(int fd, u16 family, struct stats_view *st, const char **why);
const char *config_parse(const struct nlmsghdr *nlh, struct cfg_view *cfg);
int config_get(int fd, u16 family, struct cfg_view *cfg, const char **why);
const char *config_diff(const struct cfg_view *a, const struct cfg_view *b);
void set_config_begin(struct nl_msg *m, u16 family);
int config_set(int fd, u16 family, const struct cfg_view *cfg,
	       unsigned int keys, struct nl_ack *ack);
int config_set_max(int fd, u16 family, u32 max_sessions, struct nl_ack *ack);
void dump_reply(const struct nlmsghdr *nlh, void *arg);
void filter_begin(struct nl_msg *m, u16 family);
int sessions_dump(int fd, struct nl_msg *m, struct dump_view *d,
		  struct nl_ack *ack);
int sessions_dump_all(int fd, u16 family, struct dump_view *d,
		      struct nl_ack *ack);
int join_events(int fd, u32 group);

/*
 * A dump request with one of NL_VALID_FILTERS filters the header allows;
 * 9 and 10 contradict themselves and match nothing.
 */
#define NL_VALID_FILTERS	12
void build_valid_filter(struct nl_msg *m, u16 family, unsigned int which);

#endif /* _TCPSESS_NL_H */
