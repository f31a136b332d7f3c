// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink by hand for the tcpsess selftests: building requests
 * byte by byte (broken ones included), sending them, and reading the
 * answers back with every length checked before it is trusted.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tcpsess_nl.h"
#include "names.h"

/*
 * The defaults SPEC section 4 promises, written out independently of the
 * module's params.c, so that the tests check SPEC rather than the module.
 */
const struct cfg_view tcpsess_spec_defaults = {
	.max_sessions = 262144,
	.timeouts = {
		[TCPSESS_STATE_SYN_SENT] = 120,
		[TCPSESS_STATE_SYN_RECV] = 60,
		[TCPSESS_STATE_ESTABLISHED] = 432000,
		[TCPSESS_STATE_FIN_WAIT_1] = 120,
		[TCPSESS_STATE_FIN_WAIT_2] = 60,
		[TCPSESS_STATE_CLOSING] = 120,
		[TCPSESS_STATE_LAST_ACK] = 30,
		[TCPSESS_STATE_TIME_WAIT] = 120,
		[TCPSESS_STATE_CLOSED] = 10,
	},
	.mode = TCPSESS_MODE_MONITOR,
	.pickup = 1,
	.event_rate = 10000,
	.timeout_pickup = 300,
	.report_interval = 0,
};

static u32 nl_seq_next = 1;

u32 nl_seq_alloc(void)
{
	return nl_seq_next++;
}

void msg_init(struct nl_msg *m, u16 type, u16 flags, u8 cmd)
{
	memset(m, 0, sizeof(*m));
	m->nlh.nlmsg_type = type;
	m->nlh.nlmsg_flags = flags;
	m->nlh.nlmsg_seq = nl_seq_next++;
	msg_genl(m)->cmd = cmd;
	msg_genl(m)->version = TCPSESS_GENL_VERSION;
	m->len = NLMSG_HDRLEN + GENL_HDRLEN;
	m->nlh.nlmsg_len = m->len;
}

/*
 * Appends bytes exactly as given (zeroes when data is NULL): the building
 * block for broken messages. nlmsg_len follows the length, so a builder
 * that wants it to lie sets it after its last append.
 */
void *msg_raw(struct nl_msg *m, const void *data, size_t len)
{
	void *p;

	if (m->overflow || len > sizeof(m->buf) - m->len) {
		m->overflow = true;
		return NULL;
	}
	p = m->buf + m->len;
	if (data)
		memcpy(p, data, len);
	else
		memset(p, 0, len);
	m->len += len;
	m->nlh.nlmsg_len = m->len;
	return p;
}

void msg_attr_hdr(struct nl_msg *m, u16 type, size_t nla_len)
{
	struct nlattr nla = { .nla_len = nla_len, .nla_type = type };

	msg_raw(m, &nla, sizeof(nla));
}

/* A well-formed attribute: the header says what follows, then padding. */
void msg_put(struct nl_msg *m, u16 type, const void *data, size_t len)
{
	if (len > 0xffff - NLA_HDRLEN) {
		m->overflow = true;
		return;
	}
	msg_attr_hdr(m, type, NLA_HDRLEN + len);
	msg_raw(m, data, len);
	msg_raw(m, NULL, NLA_ALIGN(m->len) - m->len);
}

void msg_put_u8(struct nl_msg *m, u16 type, u8 value)
{
	msg_put(m, type, &value, sizeof(value));
}

void msg_put_u16(struct nl_msg *m, u16 type, u16 value)
{
	msg_put(m, type, &value, sizeof(value));
}

void msg_put_u32(struct nl_msg *m, u16 type, u32 value)
{
	msg_put(m, type, &value, sizeof(value));
}

void msg_put_u64(struct nl_msg *m, u16 type, u64 value)
{
	msg_put(m, type, &value, sizeof(value));
}

void msg_put_str(struct nl_msg *m, u16 type, const char *s)
{
	msg_put(m, type, s, strlen(s) + 1);
}

/* Nests carry NLA_F_NESTED, which strict validation insists on. */
void msg_nest_start(struct nl_msg *m, u16 type)
{
	if (m->depth >= ARRAY_SIZE(m->nests)) {
		m->overflow = true;
		return;
	}
	m->nests[m->depth++] = m->len;
	msg_attr_hdr(m, type | NLA_F_NESTED, NLA_HDRLEN);
}

void msg_nest_end(struct nl_msg *m)
{
	struct nlattr *nla;
	size_t start;

	if (!m->depth) {
		m->overflow = true;
		return;
	}
	start = m->nests[--m->depth];
	nla = (struct nlattr *)(m->buf + start);
	nla->nla_len = m->len - start;
}

static u32 rxbuf[NL_RX_SIZE / sizeof(u32)];

/* Extended acks make the answer carry the reason; capped ones omit the echo. */
int nl_open(bool cap_ack)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int one = 1, fd, err;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0)
		return -errno;
	if (setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one)) ||
	    (cap_ack &&
	     setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one))) ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

int nl_send(int fd, const void *buf, size_t len)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	ssize_t n;

	n = sendto(fd, buf, len, 0, (struct sockaddr *)&sa, sizeof(sa));
	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}

void attr_iter_init(struct attr_iter *it, const void *data, size_t len)
{
	it->p = data;
	it->len = len;
	it->bad = false;
}

/* The next attribute, or NULL at the end or at one that does not fit. */
const struct nlattr *attr_iter_next(struct attr_iter *it)
{
	const struct nlattr *a;
	size_t step;

	if (it->len < NLA_HDRLEN) {
		if (it->len)
			it->bad = true;
		return NULL;
	}
	a = (const struct nlattr *)it->p;
	if (a->nla_len < NLA_HDRLEN || a->nla_len > it->len) {
		it->bad = true;
		return NULL;
	}
	/* The last attribute may end unpadded at the end of its container. */
	step = NLA_ALIGN(a->nla_len);
	if (step > it->len)
		step = it->len;
	it->p += step;
	it->len -= step;
	return a;
}

const struct nlattr *attr_find(const void *data, size_t len, u16 type)
{
	const struct nlattr *a;
	struct attr_iter it;

	attr_iter_init(&it, data, len);
	while ((a = attr_iter_next(&it)))
		if ((a->nla_type & NLA_TYPE_MASK) == type)
			return a;
	return NULL;
}

const struct nlattr *attr_find_in(const struct nlattr *nest, u16 type)
{
	return nest ? attr_find(attr_data(nest), attr_len(nest), type) : NULL;
}

/* Copies a fixed-size value out, only if the attribute has exactly that size. */
bool attr_get(const struct nlattr *a, void *out, size_t size)
{
	if (!a || attr_len(a) != size)
		return false;
	memcpy(out, attr_data(a), size);
	return true;
}

/* The attributes of a generic netlink message, after its genlmsghdr. */
bool genl_attrs(const struct nlmsghdr *nlh, const void **data, size_t *len)
{
	if (nlh->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN)
		return false;
	*data = (const unsigned char *)nlh + NLMSG_HDRLEN + GENL_HDRLEN;
	*len = nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	return true;
}

static void ack_parse_tlvs(struct nl_ack *ack, const void *data, size_t len)
{
	const struct nlattr *a;
	struct attr_iter it;
	u32 v;

	attr_iter_init(&it, data, len);
	while ((a = attr_iter_next(&it))) {
		switch (a->nla_type & NLA_TYPE_MASK) {
		case NLMSGERR_ATTR_MSG: {
			size_t n = strnlen(attr_data(a), attr_len(a));

			if (n >= sizeof(ack->msg))
				n = sizeof(ack->msg) - 1;
			memcpy(ack->msg, attr_data(a), n);
			ack->msg[n] = '\0';
			break;
		}
		case NLMSGERR_ATTR_OFFS:
			if (attr_get(a, &v, sizeof(v)))
				ack->offs = v;
			break;
		case NLMSGERR_ATTR_MISS_TYPE:
			if (attr_get(a, &v, sizeof(v)))
				ack->miss_type = v;
			break;
		}
	}
}

/* Takes the verdict and extack of an NLMSG_ERROR or a dump's NLMSG_DONE. */
int ack_parse(struct nl_ack *ack, const struct nlmsghdr *nlh)
{
	const unsigned char *data = NLMSG_DATA(nlh);
	size_t len = nlh->nlmsg_len - NLMSG_HDRLEN, off;
	struct nlmsgerr err;

	ack->type = nlh->nlmsg_type;
	if (nlh->nlmsg_type == NLMSG_DONE) {
		/* A dump ends with its error code, then maybe the TLVs. */
		if (len < sizeof(int))
			return -EBADMSG;
		memcpy(&ack->error, data, sizeof(int));
		off = NLMSG_ALIGN(sizeof(int));
	} else {
		if (len < sizeof(err))
			return -EBADMSG;
		memcpy(&err, data, sizeof(err));
		ack->error = err.error;
		off = sizeof(err);
		/* Unless capped, our request is echoed before the TLVs. */
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
			if (err.msg.nlmsg_len < NLMSG_HDRLEN)
				return -EBADMSG;
			off += NLMSG_ALIGN((size_t)err.msg.nlmsg_len - NLMSG_HDRLEN);
		}
	}
	if (ack->error > 0 || ack->error < -4095)
		return -EBADMSG;
	if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) && off < len)
		ack_parse_tlvs(ack, data + off, len - off);
	return 0;
}

/*
 * Reads until the NLMSG_ERROR or NLMSG_DONE that answers seq, handing the
 * data messages before it to fn. Returns 0 when that answer came (the
 * verdict is in ack->error), -ETIMEDOUT when nothing came for wait_ms,
 * or another negative errno when the answer could not be read or parsed.
 */
int nl_recv_ack(int fd, u32 seq, int wait_ms, nl_reply_fn fn, void *arg,
		struct nl_ack *ack)
{
	const unsigned char *buf = (const unsigned char *)rxbuf;

	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		size_t off = 0, total;
		ssize_t n;
		int ret;

		ret = poll(&pfd, 1, wait_ms);
		if (ret < 0 && errno == EINTR)
			continue;
		if (ret < 0)
			return -errno;
		if (ret == 0)
			return -ETIMEDOUT;
		n = recv(fd, rxbuf, sizeof(rxbuf), MSG_TRUNC | MSG_DONTWAIT);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n < 0)
			return -errno;
		/* MSG_TRUNC makes recv() report the datagram's real length. */
		if ((size_t)n > sizeof(rxbuf))
			return -EMSGSIZE;
		total = n;
		while (total - off >= NLMSG_HDRLEN) {
			const struct nlmsghdr *nlh = (const void *)(buf + off);
			size_t mlen = nlh->nlmsg_len;

			if (mlen < NLMSG_HDRLEN || mlen > total - off)
				return -EBADMSG;
			off += NLMSG_ALIGN(mlen);
			if (off > total)
				off = total;
			/* A late answer to an earlier request, or an event. */
			if (nlh->nlmsg_seq != seq)
				continue;
			if (nlh->nlmsg_type == NLMSG_ERROR ||
			    nlh->nlmsg_type == NLMSG_DONE)
				return ack_parse(ack, nlh);
			if (nlh->nlmsg_type == NLMSG_OVERRUN)
				return -EOVERFLOW;
			if (nlh->nlmsg_type == NLMSG_NOOP)
				continue;
			ack->replies++;
			if (fn)
				fn(nlh, arg);
		}
	}
}

int nl_transact_wait(int fd, struct nl_msg *m, int wait_ms, nl_reply_fn fn,
		     void *arg, struct nl_ack *ack)
{
	int ret;

	memset(ack, 0, sizeof(*ack));
	ack->offs = -1;
	ack->miss_type = -1;
	if (m->overflow || m->depth)
		return -ENOSPC;
	ret = nl_send(fd, m->buf, m->len);
	if (ret)
		return ret;
	return nl_recv_ack(fd, m->nlh.nlmsg_seq, wait_ms, fn, arg, ack);
}

int nl_transact(int fd, struct nl_msg *m, nl_reply_fn fn, void *arg,
		struct nl_ack *ack)
{
	return nl_transact_wait(fd, m, NL_WAIT_MS, fn, arg, ack);
}

void reply_keep_first(const struct nlmsghdr *nlh, void *arg)
{
	struct reply *r = arg;

	if (r->count++)
		return;
	if (nlh->nlmsg_len > sizeof(r->buf))
		return;
	memcpy(r->buf, nlh, nlh->nlmsg_len);
	r->len = nlh->nlmsg_len;
}

const struct nlmsghdr *reply_msg(const struct reply *r)
{
	return r->len ? (const struct nlmsghdr *)r->buf : NULL;
}

static void family_reply(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *grps, *g, *name;
	struct family_info *fi = arg;
	struct attr_iter it;
	const void *data;
	size_t len;
	u32 id;

	if (!genl_attrs(nlh, &data, &len) ||
	    !attr_get(attr_find(data, len, CTRL_ATTR_FAMILY_ID), &fi->id,
		      sizeof(fi->id)))
		return;
	fi->found = true;
	attr_get(attr_find(data, len, CTRL_ATTR_VERSION), &fi->version,
		 sizeof(fi->version));
	grps = attr_find(data, len, CTRL_ATTR_MCAST_GROUPS);
	if (!grps)
		return;
	/* One nest per group, numbered from 1, without NLA_F_NESTED. */
	attr_iter_init(&it, attr_data(grps), attr_len(grps));
	while ((g = attr_iter_next(&it))) {
		name = attr_find_in(g, CTRL_ATTR_MCAST_GRP_NAME);
		if (!name || !attr_get(attr_find_in(g, CTRL_ATTR_MCAST_GRP_ID),
				       &id, sizeof(id)))
			continue;
		if (attr_len(name) == sizeof(TCPSESS_MCGRP_EVENTS) &&
		    !memcmp(attr_data(name), TCPSESS_MCGRP_EVENTS,
			    sizeof(TCPSESS_MCGRP_EVENTS)))
			fi->events_grp = id;
	}
}

int family_resolve(int fd, struct family_info *fi)
{
	struct nl_ack ack;
	struct nl_msg m;
	int ret;

	memset(fi, 0, sizeof(*fi));
	msg_init(&m, GENL_ID_CTRL, NLM_F_REQUEST | NLM_F_ACK, CTRL_CMD_GETFAMILY);
	msg_put_str(&m, CTRL_ATTR_FAMILY_NAME, TCPSESS_GENL_NAME);
	ret = nl_transact(fd, &m, family_reply, fi, &ack);
	if (ret)
		return ret;
	if (ack.error)
		return ack.error;
	return fi->found ? 0 : -ENOENT;
}

/* A request without attributes; returns the kernel's verdict. */
int simple_do(int fd, u16 family, u8 cmd, struct nl_ack *ack)
{
	struct nl_msg m;
	int ret;

	msg_init(&m, family, NLM_F_REQUEST | NLM_F_ACK, cmd);
	ret = nl_transact(fd, &m, NULL, NULL, ack);
	return ret ? ret : ack->error;
}

/* A nest of (index -> u64); padding (no payload) is skipped whatever its type. */
static const char *u64_table(const struct nlattr *nest, u64 *vals, unsigned int n,
			     u32 *seen)
{
	const struct nlattr *a;
	struct attr_iter it;
	unsigned int type;

	attr_iter_init(&it, attr_data(nest), attr_len(nest));
	while ((a = attr_iter_next(&it))) {
		type = a->nla_type & NLA_TYPE_MASK;
		if (type == TCPSESS_STATS_INDEX_PAD) {
			if (attr_len(a))
				return "type 0 in a stats nest is not padding";
			continue;
		}
		if (attr_len(a) != sizeof(u64))
			return "a value in a stats nest is not a u64";
		if (type < n && type < 32) {
			memcpy(&vals[type], attr_data(a), sizeof(u64));
			*seen |= 1U << type;
		}
	}
	return it.bad ? "a stats nest is malformed" : NULL;
}

const char *stats_parse(const struct nlmsghdr *nlh, struct stats_view *st)
{
	const struct nlattr *stats, *nest;
	const char *why;
	const void *data;
	size_t len;

	memset(st, 0, sizeof(*st));
	if (!genl_attrs(nlh, &data, &len))
		return "reply shorter than a genlmsghdr";
	stats = attr_find(data, len, TCPSESS_A_STATS);
	if (!stats)
		return "no TCPSESS_A_STATS in the reply";
	nest = attr_find_in(stats, TCPSESS_STATS_COUNTERS);
	if (!nest)
		return "no TCPSESS_STATS_COUNTERS";
	why = u64_table(nest, st->counters, ARRAY_SIZE(st->counters),
			&st->seen_counters);
	if (why)
		return why;
	nest = attr_find_in(stats, TCPSESS_STATS_STATES);
	if (!nest)
		return "no TCPSESS_STATS_STATES";
	why = u64_table(nest, st->states, ARRAY_SIZE(st->states), &st->seen_states);
	if (why)
		return why;
	nest = attr_find_in(stats, TCPSESS_STATS_INVALID);
	if (!nest)
		return "no TCPSESS_STATS_INVALID";
	why = u64_table(nest, st->invalid, ARRAY_SIZE(st->invalid),
			&st->seen_invalid);
	if (why)
		return why;
	/* Optional here: the tests that want them say so by seen_rtt. */
	nest = attr_find_in(stats, TCPSESS_STATS_RTT_SYN);
	if (nest) {
		why = u64_table(nest, st->rtt[0], ARRAY_SIZE(st->rtt[0]),
				&st->seen_rtt[0]);
		if (why)
			return why;
	}
	nest = attr_find_in(stats, TCPSESS_STATS_RTT_ACK);
	if (nest)
		why = u64_table(nest, st->rtt[1], ARRAY_SIZE(st->rtt[1]),
				&st->seen_rtt[1]);
	return why;
}

/*
 * Sends a request that must be answered with exactly one message and an
 * ACK; on success the message is in *r. Fails as stats_get() describes.
 */
static int get_one_reply(int fd, u16 family, u8 cmd, const char *refused,
			 struct reply *r, const char **why)
{
	struct nl_ack ack;
	struct nl_msg m;
	int ret;

	*why = "no answer";
	msg_init(&m, family, NLM_F_REQUEST | NLM_F_ACK, cmd);
	ret = nl_transact(fd, &m, reply_keep_first, r, &ack);
	if (ret)
		return ret;
	*why = refused;
	if (ack.error)
		return ack.error;
	*why = "not exactly one reply message";
	if (r->count != 1 || !reply_msg(r))
		return -EBADMSG;
	return 0;
}

/* Returns 0, the kernel's error, or -EBADMSG with *why saying what is wrong. */
int stats_get(int fd, u16 family, struct stats_view *st, const char **why)
{
	struct reply r = {};
	int ret;

	ret = get_one_reply(fd, family, TCPSESS_CMD_GET_STATS, "GET_STATS refused",
			    &r, why);
	if (ret)
		return ret;
	*why = stats_parse(reply_msg(&r), st);
	return *why ? -EBADMSG : 0;
}

/* "In the reply: all": every key, and a timeout for every state but NONE. */
const char *config_parse(const struct nlmsghdr *nlh, struct cfg_view *cfg)
{
	const struct nlattr *conf, *timeouts, *a;
	struct attr_iter it;
	unsigned int state;
	const void *data;
	u32 seen = 0;
	size_t len;

	memset(cfg, 0, sizeof(*cfg));
	if (!genl_attrs(nlh, &data, &len))
		return "reply shorter than a genlmsghdr";
	conf = attr_find(data, len, TCPSESS_A_CONFIG);
	if (!conf)
		return "no TCPSESS_A_CONFIG in the reply";
	if (!attr_get(attr_find_in(conf, TCPSESS_CONFIG_MAX_SESSIONS),
		      &cfg->max_sessions, sizeof(cfg->max_sessions)))
		return "MAX_SESSIONS missing or not a u32";
	if (!attr_get(attr_find_in(conf, TCPSESS_CONFIG_MODE), &cfg->mode,
		      sizeof(cfg->mode)))
		return "MODE missing or not a u8";
	if (!attr_get(attr_find_in(conf, TCPSESS_CONFIG_PICKUP), &cfg->pickup,
		      sizeof(cfg->pickup)))
		return "PICKUP missing or not a u8";
	if (!attr_get(attr_find_in(conf, TCPSESS_CONFIG_EVENT_RATE),
		      &cfg->event_rate, sizeof(cfg->event_rate)))
		return "EVENT_RATE missing or not a u32";
	if (!attr_get(attr_find_in(conf, TCPSESS_CONFIG_TIMEOUT_PICKUP),
		      &cfg->timeout_pickup, sizeof(cfg->timeout_pickup)))
		return "TIMEOUT_PICKUP missing or not a u32";
	if (!attr_get(attr_find_in(conf, TCPSESS_CONFIG_REPORT_INTERVAL),
		      &cfg->report_interval, sizeof(cfg->report_interval)))
		return "REPORT_INTERVAL missing or not a u32";
	timeouts = attr_find_in(conf, TCPSESS_CONFIG_TIMEOUTS);
	if (!timeouts)
		return "TIMEOUTS missing";
	attr_iter_init(&it, attr_data(timeouts), attr_len(timeouts));
	while ((a = attr_iter_next(&it))) {
		state = a->nla_type & NLA_TYPE_MASK;
		/* NONE has no timeout; states added later are not ours to check. */
		if (state == TCPSESS_STATE_NONE || state > TCPSESS_STATE_MAX)
			continue;
		if (!attr_get(a, &cfg->timeouts[state], sizeof(u32)))
			return "a timeout is not a u32";
		seen |= 1U << state;
	}
	if (it.bad)
		return "TIMEOUTS nest is malformed";
	for (state = TCPSESS_STATE_NONE + 1; state <= TCPSESS_STATE_MAX; state++)
		if (!(seen & (1U << state)))
			return "a state has no timeout in TIMEOUTS";
	return NULL;
}

int config_get(int fd, u16 family, struct cfg_view *cfg, const char **why)
{
	struct reply r = {};
	int ret;

	ret = get_one_reply(fd, family, TCPSESS_CMD_GET_CONFIG, "GET_CONFIG refused",
			    &r, why);
	if (ret)
		return ret;
	*why = config_parse(reply_msg(&r), cfg);
	return *why ? -EBADMSG : 0;
}

/* Names the first field where two configurations differ, NULL if none. */
const char *config_diff(const struct cfg_view *a, const struct cfg_view *b)
{
	static char what[64];
	unsigned int s;

	if (a->max_sessions != b->max_sessions)
		return "max_sessions";
	for (s = TCPSESS_STATE_NONE + 1; s <= TCPSESS_STATE_MAX; s++) {
		if (a->timeouts[s] != b->timeouts[s]) {
			snprintf(what, sizeof(what), "timeout_%s",
				 tcpsess_state_name(s) ?: "?");
			return what;
		}
	}
	if (a->mode != b->mode)
		return "mode";
	if (a->pickup != b->pickup)
		return "pickup";
	if (a->event_rate != b->event_rate)
		return "event_rate";
	if (a->timeout_pickup != b->timeout_pickup)
		return "timeout_pickup";
	if (a->report_interval != b->report_interval)
		return "report_interval";
	return NULL;
}

void set_config_begin(struct nl_msg *m, u16 family)
{
	msg_init(m, family, NLM_F_REQUEST | NLM_F_ACK, TCPSESS_CMD_SET_CONFIG);
	msg_nest_start(m, TCPSESS_A_CONFIG);
}

/* Sets the keys selected by the KEY() bits; returns the kernel's verdict. */
int config_set(int fd, u16 family, const struct cfg_view *cfg,
	       unsigned int keys, struct nl_ack *ack)
{
	struct nl_msg m;
	unsigned int s;
	int ret;

	set_config_begin(&m, family);
	if (keys & KEY(TCPSESS_CONFIG_MAX_SESSIONS))
		msg_put_u32(&m, TCPSESS_CONFIG_MAX_SESSIONS, cfg->max_sessions);
	if (keys & KEY(TCPSESS_CONFIG_TIMEOUTS)) {
		msg_nest_start(&m, TCPSESS_CONFIG_TIMEOUTS);
		for (s = TCPSESS_STATE_NONE + 1; s <= TCPSESS_STATE_MAX; s++)
			msg_put_u32(&m, s, cfg->timeouts[s]);
		msg_nest_end(&m);
	}
	if (keys & KEY(TCPSESS_CONFIG_MODE))
		msg_put_u8(&m, TCPSESS_CONFIG_MODE, cfg->mode);
	if (keys & KEY(TCPSESS_CONFIG_PICKUP))
		msg_put_u8(&m, TCPSESS_CONFIG_PICKUP, cfg->pickup);
	if (keys & KEY(TCPSESS_CONFIG_EVENT_RATE))
		msg_put_u32(&m, TCPSESS_CONFIG_EVENT_RATE, cfg->event_rate);
	if (keys & KEY(TCPSESS_CONFIG_TIMEOUT_PICKUP))
		msg_put_u32(&m, TCPSESS_CONFIG_TIMEOUT_PICKUP, cfg->timeout_pickup);
	if (keys & KEY(TCPSESS_CONFIG_REPORT_INTERVAL))
		msg_put_u32(&m, TCPSESS_CONFIG_REPORT_INTERVAL, cfg->report_interval);
	msg_nest_end(&m);
	ret = nl_transact(fd, &m, NULL, NULL, ack);
	return ret ? ret : ack->error;
}

int config_set_max(int fd, u16 family, u32 max_sessions, struct nl_ack *ack)
{
	struct cfg_view cfg = { .max_sessions = max_sessions };

	return config_set(fd, family, &cfg, KEY(TCPSESS_CONFIG_MAX_SESSIONS), ack);
}

void dump_reply(const struct nlmsghdr *nlh, void *arg)
{
	struct dump_view *d = arg;
	const struct nlattr *s;
	u8 family, state;
	const void *data;
	size_t len;
	u64 id;

	d->sessions++;
	if (!(nlh->nlmsg_flags & NLM_F_MULTI) || !genl_attrs(nlh, &data, &len)) {
		d->bad++;
		return;
	}
	s = attr_find(data, len, TCPSESS_A_SESSION);
	if (!attr_get(attr_find_in(s, TCPSESS_SESSION_ID), &id, sizeof(id)) ||
	    !attr_get(attr_find_in(s, TCPSESS_SESSION_FAMILY), &family,
		      sizeof(family)) ||
	    !attr_get(attr_find_in(s, TCPSESS_SESSION_STATE), &state,
		      sizeof(state)) ||
	    (family != AF_INET && family != AF_INET6) || state == TCPSESS_STATE_NONE ||
	    state > TCPSESS_STATE_MAX)
		d->bad++;
}

/* A sessions dump whose TCPSESS_A_FILTER nest the caller fills and ends. */
void filter_begin(struct nl_msg *m, u16 family)
{
	msg_init(m, family, NLM_F_REQUEST | NLM_F_DUMP, TCPSESS_CMD_GET_SESSIONS);
	msg_nest_start(m, TCPSESS_A_FILTER);
}

int sessions_dump(int fd, struct nl_msg *m, struct dump_view *d,
		  struct nl_ack *ack)
{
	int ret;

	memset(d, 0, sizeof(*d));
	ret = nl_transact(fd, m, dump_reply, d, ack);
	return ret ? ret : ack->error;
}

int sessions_dump_all(int fd, u16 family, struct dump_view *d,
		      struct nl_ack *ack)
{
	struct nl_msg m;

	msg_init(&m, family, NLM_F_REQUEST | NLM_F_DUMP, TCPSESS_CMD_GET_SESSIONS);
	return sessions_dump(fd, &m, d, ack);
}

int join_events(int fd, u32 group)
{
	return setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &group,
			  sizeof(group)) ? -errno : 0;
}

void build_valid_filter(struct nl_msg *m, u16 family, unsigned int which)
{
	static const u8 lo4[4] = { 127, 0, 0, 1 };
	static const u8 lo6[16] = { [15] = 1 };

	filter_begin(m, family);
	switch (which) {
	case 0:
		/* An empty nest: no filter present, so everything matches. */
		break;
	case 1:
		msg_put_u8(m, TCPSESS_FILTER_FAMILY, AF_INET);
		break;
	case 2:
		msg_put_u8(m, TCPSESS_FILTER_FAMILY, AF_INET6);
		break;
	case 3:
		msg_put_u8(m, TCPSESS_FILTER_FAMILY, AF_INET);
		msg_put(m, TCPSESS_FILTER_ADDR, lo4, sizeof(lo4));
		break;
	case 4:
		msg_put_u8(m, TCPSESS_FILTER_FAMILY, AF_INET6);
		msg_put(m, TCPSESS_FILTER_ADDR, lo6, sizeof(lo6));
		break;
	case 5:
		msg_put(m, TCPSESS_FILTER_ADDR, lo6, sizeof(lo6));
		break;
	case 6:
		msg_put_u16(m, TCPSESS_FILTER_PORT, 22);
		break;
	case 7:
		msg_put_u8(m, TCPSESS_FILTER_STATE, TCPSESS_STATE_SYN_SENT);
		break;
	case 8:
		msg_put_u8(m, TCPSESS_FILTER_STATE, TCPSESS_STATE_MAX);
		break;
	case 9:
		/* All filters must match: an IPv4 address with AF_INET6 matches nothing. */
		msg_put_u8(m, TCPSESS_FILTER_FAMILY, AF_INET6);
		msg_put(m, TCPSESS_FILTER_ADDR, lo4, sizeof(lo4));
		break;
	case 10:
		msg_put_u8(m, TCPSESS_FILTER_FAMILY, AF_INET);
		msg_put(m, TCPSESS_FILTER_ADDR, lo6, sizeof(lo6));
		break;
	default:
		msg_put_u8(m, TCPSESS_FILTER_FAMILY, AF_INET);
		msg_put(m, TCPSESS_FILTER_ADDR, lo4, sizeof(lo4));
		msg_put_u16(m, TCPSESS_FILTER_PORT, 65535);
		msg_put_u8(m, TCPSESS_FILTER_STATE, TCPSESS_STATE_ESTABLISHED);
		break;
	}
	msg_nest_end(m);
}
