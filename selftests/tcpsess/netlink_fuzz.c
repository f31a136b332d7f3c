// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzzes the tcpsess generic netlink family from userspace for a bounded
 * time. SPEC section 6: every malformed request gets an error, never a
 * crash or a silent success, and changing things and dumping sessions
 * need CAP_NET_ADMIN.
 *
 * Four generators take turns: random bytes, random structure, mutations of
 * every valid request, and dumps abandoned midway. One batch in four runs
 * in a child without CAP_NET_ADMIN. The test has a network namespace of
 * its own with real TCP on loopback, so dumps have sessions to walk and
 * the sessions change under them; whatever configuration the fuzz sets
 * stays in that namespace.
 *
 * Every answer is checked as it arrives: its framing, its errno, that only
 * what can succeed does, and that valid requests are answered as due.
 * After each batch the module must answer well-formed requests correctly
 * and take back the baseline configuration. At the end a restored
 * configuration must read back exactly and the counters must add up at
 * rest. Splats are the VM harness's to catch (panic_on_warn); the taint
 * flags are checked here too.
 *
 * usage: netlink_fuzz [-s SEED] [-t SECONDS] [-n BATCHES] [-b FIRST_BATCH]
 * TCPSESS_NLFUZZ_SEED and TCPSESS_NLFUZZ_SECONDS say the same. The bytes
 * of a batch depend only on the seed and the batch number, so a reported
 * failure replays with -s SEED -b BATCH -n 1.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>

#include "kselftest.h"
#include "lo_traffic.h"
#include "names.h"
#include "tcpsess_ksft.h"
#include "tcpsess_nl.h"
#include "tcpsess_rand.h"

#define FUZZ_SECONDS	40
#define BATCH_LEN	64
/* Batches 1, 5, 9, ... run without CAP_NET_ADMIN. */
#define UNPRIV_EVERY	4
#define UNPRIV_ALARM_S	120
#define TX_MAX		8192
/* Capped sockets read into this much, which keeps their dumps in small parts. */
#define SMALL_RX	8192
/* Enough for a buffer made of nothing but empty nlmsghdrs. */
#define WALK_MAX	(TX_MAX / NLMSG_HDRLEN)
/* Requests remembered per socket, to match answers to them. */
#define RING_LEN	1024
#define ATTRS_MAX	64
#define REPORTS_MAX	5
#define REPORT_BYTES	2048
/* Datagrams one drain reads before the answers count as endless. */
#define DRAIN_MAX	100000
/* Tries, 100 ms apart, for the counters to add up at rest. */
#define QUIET_TRIES	100
/* Fewer sessions than this and the dumps were not worth walking. */
#define MIN_SESSIONS	10
#define DUMP_IDS_MAX	65536

enum gen {
	GEN_RANDOM,
	GEN_STRUCTURED,
	GEN_MUTATED,
	GEN_ABANDONED,
	GEN_COUNT
};

static const char *const gen_names[GEN_COUNT] = {
	[GEN_RANDOM] = "random bytes",
	[GEN_STRUCTURED] = "random structure",
	[GEN_MUTATED] = "mutated valid requests",
	[GEN_ABANDONED] = "abandoned dumps",
};

/* What a request that left unmutated must get. */
enum expect {
	EXPECT_ANY,
	EXPECT_OK,
	EXPECT_EPERM,
};

/* One message of a send, as netlink_rcv_skb() will walk it. */
struct sent {
	u32 seq;
	u16 flags;
	int cmd;		/* -1 when too short for a genlmsghdr */
	u32 attr_len;		/* after the genlmsghdr, as nlmsg_len says */
	bool config_attr;	/* an aligned attribute header says TCPSESS_A_CONFIG */
	bool ambiguous;		/* another tracked message has its seq */
	enum expect expect;
	bool answered;		/* its NLMSG_ERROR or NLMSG_DONE came */
	unsigned int data;	/* data messages that answered it */
};

struct counts {
	u64 sent[GEN_COUNT];
	u64 send_failed[GEN_COUNT];
	u64 messages;		/* what the kernel walked of the buffers sent */
	u64 acks, errors, dones, data, overruns;
	u64 as_due;		/* valid requests answered as they must be */
	u64 midway;		/* dumps left after sessions, before NLMSG_DONE */
	u64 eperm;
	u64 violations;
	u64 reports;
};

struct fuzz {
	u64 seed;
	u16 family;
	u16 port;		/* the traffic's IPv4 listener, for filters */
	bool unpriv;
	unsigned int batch, iter;
	enum gen gen;
	struct counts c;
	int fd;
	bool capped;
	size_t rx_size;
	bool overrun;		/* ENOBUFS since the iteration began */
	struct sent ring[RING_LEN];
	u64 ring_total;		/* messages tracked on this socket */
	u64 iter_first;		/* ring_total when the iteration began */
	const u8 *tx;		/* the last buffer sent, for reports */
	size_t tx_len;
};

/*
 * What the fuzz runs under: every batch starts from it again. SPEC's
 * defaults, but TIME_WAIT and CLOSED short, so the table does not fill up
 * with the traffic's past.
 */
static struct cfg_view baseline;

static void baseline_init(void)
{
	baseline = tcpsess_spec_defaults;
	baseline.timeouts[TCPSESS_STATE_TIME_WAIT] = 10;
	baseline.timeouts[TCPSESS_STATE_CLOSED] = 5;
}

/*
 * Restored at the end. Mode and pickup stay as in the baseline so the
 * traffic's last segments are neither dropped nor taken for strays.
 */
static const struct cfg_view final_cfg = {
	.max_sessions = 54321,
	.timeouts = {
		[TCPSESS_STATE_SYN_SENT] = 101,
		[TCPSESS_STATE_SYN_RECV] = 102,
		[TCPSESS_STATE_ESTABLISHED] = 103,
		[TCPSESS_STATE_FIN_WAIT_1] = 104,
		[TCPSESS_STATE_FIN_WAIT_2] = 105,
		[TCPSESS_STATE_CLOSING] = 106,
		[TCPSESS_STATE_LAST_ACK] = 107,
		[TCPSESS_STATE_TIME_WAIT] = 108,
		[TCPSESS_STATE_CLOSED] = 109,
	},
	.mode = TCPSESS_MODE_MONITOR,
	.pickup = 1,
	.event_rate = 4321,
	.timeout_pickup = 110,
	.report_interval = 111,
};

static u32 txbuf[TX_MAX / sizeof(u32)];
static u32 txbuf2[TX_MAX / sizeof(u32)];
static u32 rxbuf[NL_RX_SIZE / sizeof(u32)];

static const char *cmd_name(int cmd)
{
	static const char *const names[] = {
		[TCPSESS_CMD_UNSPEC] = "UNSPEC",
		[TCPSESS_CMD_GET_SESSIONS] = "GET_SESSIONS",
		[TCPSESS_CMD_GET_STATS] = "GET_STATS",
		[TCPSESS_CMD_GET_CONFIG] = "GET_CONFIG",
		[TCPSESS_CMD_SET_CONFIG] = "SET_CONFIG",
		[TCPSESS_CMD_FLUSH] = "FLUSH",
		[TCPSESS_CMD_EVENT] = "EVENT",
	};

	return cmd >= 0 && cmd < (int)ARRAY_SIZE(names) ? names[cmd] : "unknown";
}

static bool is_dump(u16 flags)
{
	return (flags & NLM_F_DUMP) == NLM_F_DUMP;
}

/* ---------------------------------------------------------------------- */
/* Reports                                                                */
/* ---------------------------------------------------------------------- */

static void hexdump(const u8 *p, size_t len)
{
	size_t i, j, n = len < REPORT_BYTES ? len : REPORT_BYTES;
	char line[16 * 3 + 1];
	int k;

	for (i = 0; i < n; i += 16) {
		for (j = i, k = 0; j < n && j < i + 16; j++)
			k += snprintf(line + k, sizeof(line) - k, " %02x", p[j]);
		ksft_print_msg("  %04zx:%s\n", i, line);
	}
	if (n < len)
		ksft_print_msg("  ... and %zu more bytes\n", len - n);
}

static __printf(2, 3) void violation(struct fuzz *fz, const char *fmt, ...)
{
	char what[512];
	va_list ap;

	fz->c.violations++;
	if (fz->c.reports >= REPORTS_MAX)
		return;
	fz->c.reports++;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	ksft_print_msg("VIOLATION: %s\n", what);
	ksft_print_msg("  seed %#llx batch %u message %u: %s, %s socket with %s acks\n",
		       (unsigned long long)fz->seed, fz->batch, fz->iter,
		       gen_names[fz->gen], fz->unpriv ? "unprivileged" : "privileged",
		       fz->capped ? "capped" : "full");
	ksft_print_msg("  the last buffer sent, %zu bytes:\n", fz->tx_len);
	hexdump(fz->tx, fz->tx_len);
}

/* ---------------------------------------------------------------------- */
/* What the kernel will see of a buffer                                   */
/* ---------------------------------------------------------------------- */

/* The offsets of the messages netlink_rcv_skb() will walk in buf. */
static unsigned int msg_walk(const u8 *buf, size_t len, size_t offs[WALK_MAX])
{
	struct nlmsghdr nlh;
	unsigned int n = 0;
	size_t off = 0, step;

	while (len - off >= NLMSG_HDRLEN) {
		memcpy(&nlh, buf + off, sizeof(nlh));
		if (nlh.nlmsg_len < NLMSG_HDRLEN || nlh.nlmsg_len > len - off)
			break;
		offs[n++] = off;
		step = NLMSG_ALIGN(nlh.nlmsg_len);
		off += step < len - off ? step : len - off;
	}
	return n;
}

/*
 * Every message the kernel will walk goes to tcpsess: a type from the
 * fuzz could reach any other family, or a control message of the core.
 */
static void fence(u8 *buf, size_t len, u16 family)
{
	size_t offs[WALK_MAX];
	unsigned int n, i;

	n = msg_walk(buf, len, offs);
	for (i = 0; i < n; i++)
		memcpy(buf + offs[i] + offsetof(struct nlmsghdr, nlmsg_type), &family,
		       sizeof(family));
}

static struct sent *ring_find(struct fuzz *fz, u32 seq)
{
	u64 i, n = fz->ring_total < RING_LEN ? fz->ring_total : RING_LEN;
	struct sent *s;

	for (i = 1; i <= n; i++) {
		s = &fz->ring[(fz->ring_total - i) % RING_LEN];
		if (s->seq == seq)
			return s;
	}
	return NULL;
}

static void track(struct fuzz *fz, const u8 *buf, size_t len, enum expect expect)
{
	size_t offs[WALK_MAX], o;
	struct sent *s, *twin;
	struct nlmsghdr nlh;
	unsigned int n, i;
	const u8 *m;
	u16 type;

	n = msg_walk(buf, len, offs);
	for (i = 0; i < n; i++) {
		m = buf + offs[i];
		memcpy(&nlh, m, sizeof(nlh));
		twin = ring_find(fz, nlh.nlmsg_seq);
		s = &fz->ring[fz->ring_total++ % RING_LEN];
		memset(s, 0, sizeof(*s));
		s->seq = nlh.nlmsg_seq;
		s->flags = nlh.nlmsg_flags;
		s->cmd = -1;
		s->expect = n == 1 ? expect : EXPECT_ANY;
		if (twin) {
			twin->ambiguous = true;
			s->ambiguous = true;
		}
		fz->c.messages++;
		if (nlh.nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN)
			continue;
		s->cmd = m[NLMSG_HDRLEN + offsetof(struct genlmsghdr, cmd)];
		s->attr_len = nlh.nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
		/* Top-level attributes can only start at these offsets. */
		for (o = NLMSG_HDRLEN + GENL_HDRLEN; o + NLA_HDRLEN <= nlh.nlmsg_len;
		     o += NLA_ALIGNTO) {
			memcpy(&type, m + o + offsetof(struct nlattr, nla_type),
			       sizeof(type));
			if ((type & NLA_TYPE_MASK) == TCPSESS_A_CONFIG)
				s->config_attr = true;
		}
	}
}

static void fuzz_send(struct fuzz *fz, u8 *buf, size_t len, enum expect expect)
{
	u64 first = fz->ring_total;

	fence(buf, len, fz->family);
	fz->tx = buf;
	fz->tx_len = len;
	track(fz, buf, len, expect);
	if (nl_send(fz->fd, buf, len)) {
		/* The kernel saw none of it. */
		fz->ring_total = first;
		fz->c.send_failed[fz->gen]++;
		return;
	}
	fz->c.sent[fz->gen]++;
}

static int fuzz_open(struct fuzz *fz, bool capped)
{
	if (fz->fd >= 0)
		close(fz->fd);
	fz->fd = nl_open(capped);
	fz->capped = capped;
	fz->rx_size = capped ? SMALL_RX : sizeof(rxbuf);
	fz->ring_total = 0;
	fz->iter_first = 0;
	return fz->fd < 0 ? fz->fd : 0;
}

/* ---------------------------------------------------------------------- */
/* Answers                                                                */
/* ---------------------------------------------------------------------- */

static const char *stats_missing(const struct stats_view *st)
{
	unsigned int i;

	for (i = TCPSESS_STAT_UNSPEC + 1; i <= TCPSESS_STAT_MAX; i++)
		if (!(st->seen_counters & (1U << i)))
			return "a counter is missing";
	for (i = TCPSESS_STATE_NONE + 1; i <= TCPSESS_STATE_MAX; i++)
		if (!(st->seen_states & (1U << i)))
			return "a state gauge is missing";
	for (i = TCPSESS_INVALID_NONE + 1; i <= TCPSESS_INVALID_MAX; i++)
		if (!(st->seen_invalid & (1U << i)))
			return "an invalid counter is missing";
	for (i = TCPSESS_RTT_HIST_PAD + 1; i <= TCPSESS_RTT_HIST_MAX; i++)
		if (!(st->seen_rtt[0] & st->seen_rtt[1] & (1U << i)))
			return "an RTT histogram field is missing";
	return NULL;
}

/* Whatever a request set, the policy keeps every value in its range. */
static const char *config_out_of_range(const struct cfg_view *cfg)
{
	unsigned int s;

	if (cfg->max_sessions < 1 || cfg->max_sessions > TCPSESS_MAX_SESSIONS_LIMIT)
		return "max_sessions out of range";
	for (s = TCPSESS_STATE_NONE + 1; s <= TCPSESS_STATE_MAX; s++)
		if (cfg->timeouts[s] < 1 || cfg->timeouts[s] > TCPSESS_TIMEOUT_LIMIT)
			return "a timeout out of range";
	if (cfg->mode > TCPSESS_MODE_MAX)
		return "mode out of range";
	if (cfg->pickup > 1)
		return "pickup out of range";
	if (cfg->event_rate > TCPSESS_EVENT_RATE_LIMIT)
		return "event_rate out of range";
	if (cfg->timeout_pickup < 1 || cfg->timeout_pickup > TCPSESS_TIMEOUT_LIMIT)
		return "timeout_pickup out of range";
	if (cfg->report_interval > TCPSESS_REPORT_INTERVAL_LIMIT)
		return "report_interval out of range";
	return NULL;
}

static bool attrs_walk_clean(const void *data, size_t len)
{
	struct attr_iter it;

	attr_iter_init(&it, data, len);
	while (attr_iter_next(&it))
		;
	return !it.bad;
}

static const char *session_problem(const struct nlmsghdr *nlh, u64 *id)
{
	const struct nlattr *s, *hist;
	u8 family, state, addr[16];
	const void *data;
	size_t len, alen;
	u16 port;

	if (!(nlh->nlmsg_flags & NLM_F_MULTI))
		return "a dump message without NLM_F_MULTI";
	if (!genl_attrs(nlh, &data, &len))
		return "shorter than a genlmsghdr";
	if (!attrs_walk_clean(data, len))
		return "attributes run past the message";
	s = attr_find(data, len, TCPSESS_A_SESSION);
	if (!s)
		return "no TCPSESS_A_SESSION";
	if (!attrs_walk_clean(attr_data(s), attr_len(s)))
		return "the session nest is malformed";
	if (!attr_get(attr_find_in(s, TCPSESS_SESSION_ID), id, sizeof(*id)))
		return "no u64 id";
	if (!attr_get(attr_find_in(s, TCPSESS_SESSION_FAMILY), &family, sizeof(family)) ||
	    (family != AF_INET && family != AF_INET6))
		return "no family AF_INET or AF_INET6";
	if (!attr_get(attr_find_in(s, TCPSESS_SESSION_STATE), &state, sizeof(state)) ||
	    state == TCPSESS_STATE_NONE || state > TCPSESS_STATE_MAX)
		return "no valid state";
	alen = family == AF_INET ? 4 : 16;
	if (!attr_get(attr_find_in(s, TCPSESS_SESSION_SRC_ADDR), addr, alen) ||
	    !attr_get(attr_find_in(s, TCPSESS_SESSION_DST_ADDR), addr, alen))
		return "addresses missing or not of the family's size";
	if (!attr_get(attr_find_in(s, TCPSESS_SESSION_SRC_PORT), &port, sizeof(port)) ||
	    !attr_get(attr_find_in(s, TCPSESS_SESSION_DST_PORT), &port, sizeof(port)))
		return "ports missing";
	hist = attr_find_in(s, TCPSESS_SESSION_HISTORY);
	if (!hist || !attr_len(hist) ||
	    ((const char *)attr_data(hist))[attr_len(hist) - 1] != '\0')
		return "history missing or not a string";
	return NULL;
}

/* What is wrong with a data message of the family, or NULL. */
static const char *reply_problem(const struct nlmsghdr *nlh, u8 *cmd)
{
	const struct genlmsghdr *g = NLMSG_DATA(nlh);
	struct stats_view st;
	struct cfg_view cfg;
	const char *why;
	u64 id;

	if (nlh->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN)
		return "shorter than a genlmsghdr";
	*cmd = g->cmd;
	switch (g->cmd) {
	case TCPSESS_CMD_GET_SESSIONS:
		return session_problem(nlh, &id);
	case TCPSESS_CMD_GET_STATS:
		why = stats_parse(nlh, &st);
		return why ?: stats_missing(&st);
	case TCPSESS_CMD_GET_CONFIG:
		why = config_parse(nlh, &cfg);
		return why ?: config_out_of_range(&cfg);
	default:
		return "a command that sends no replies";
	}
}

/* Why the kernel cannot have said yes to s, or NULL if it can have. */
static const char *no_success(const struct fuzz *fz, const struct sent *s)
{
	/* The core acks a message that is no request without reading it. */
	if (!(s->flags & NLM_F_REQUEST))
		return NULL;
	if (s->cmd < 0)
		return "a message too short for a genlmsghdr";
	if (is_dump(s->flags))
		return "a dump request, which only NLMSG_DONE ends";
	switch (s->cmd) {
	case TCPSESS_CMD_GET_STATS:
	case TCPSESS_CMD_GET_CONFIG:
		return s->attr_len ? "a request with attributes its command takes none of" :
				     NULL;
	case TCPSESS_CMD_FLUSH:
		if (s->attr_len)
			return "a request with attributes its command takes none of";
		return fz->unpriv ? "FLUSH without CAP_NET_ADMIN" : NULL;
	case TCPSESS_CMD_SET_CONFIG:
		if (!s->config_attr)
			return "SET_CONFIG without TCPSESS_A_CONFIG";
		return fz->unpriv ? "SET_CONFIG without CAP_NET_ADMIN" : NULL;
	default:
		return "a command without a do handler";
	}
}

/* Why a data message of command cmd cannot answer s, or NULL. */
static const char *no_data(const struct sent *s, u8 cmd)
{
	if (!(s->flags & NLM_F_REQUEST))
		return "data for a message that is no request";
	if (s->cmd != cmd)
		return "data of another command than the request's";
	if (cmd == TCPSESS_CMD_GET_SESSIONS)
		return is_dump(s->flags) ? NULL : "sessions for a request that is no dump";
	if (is_dump(s->flags))
		return "a reply to a dump request of a command that has no dump";
	return s->attr_len ? "a reply to a request with attributes its command takes none of" :
			     NULL;
}

static void check_verdict(struct fuzz *fz, struct sent *s, const struct nl_ack *ack)
{
	const char *why;

	if (ack->error == -EPERM)
		fz->c.eperm++;
	switch (s->expect) {
	case EXPECT_OK:
		if (ack->error)
			violation(fz, "a valid %s was refused: %s, extack \"%s\"",
				  cmd_name(s->cmd), strerror(-ack->error), ack->msg);
		else if ((s->cmd == TCPSESS_CMD_GET_STATS ||
			  s->cmd == TCPSESS_CMD_GET_CONFIG) && s->data != 1)
			violation(fz, "a valid %s was answered with %u replies",
				  cmd_name(s->cmd), s->data);
		else
			fz->c.as_due++;
		break;
	case EXPECT_EPERM:
		if (ack->error != -EPERM)
			violation(fz, "without CAP_NET_ADMIN a valid %s got %d (%s), not EPERM",
				  cmd_name(s->cmd), ack->error, strerror(-ack->error));
		else
			fz->c.as_due++;
		break;
	default:
		break;
	}
	if (ack->error || ack->type == NLMSG_DONE)
		return;
	why = no_success(fz, s);
	if (why)
		violation(fz, "success ACK for %s (%s, flags %#x, %u bytes of attributes)",
			  why, cmd_name(s->cmd), s->flags, s->attr_len);
}

static void check_answer(struct fuzz *fz, const struct nlmsghdr *nlh, struct sent *s)
{
	struct nlmsgerr err;
	struct nl_ack ack;

	memset(&ack, 0, sizeof(ack));
	ack.offs = -1;
	ack.miss_type = -1;
	if (ack_parse(&ack, nlh)) {
		violation(fz, "a malformed answer: type %u, length %u, flags %#x",
			  nlh->nlmsg_type, nlh->nlmsg_len, nlh->nlmsg_flags);
		return;
	}
	if (nlh->nlmsg_type == NLMSG_DONE) {
		fz->c.dones++;
		/* Whatever the request was, a dump ran: the sessions are not theirs. */
		if (fz->unpriv)
			violation(fz, "a dump ran without CAP_NET_ADMIN (seq %u)",
				  nlh->nlmsg_seq);
	} else {
		if (ack.error)
			fz->c.errors++;
		else
			fz->c.acks++;
		/* ack_parse() made sure the nlmsgerr is there. */
		memcpy(&err, NLMSG_DATA(nlh), sizeof(err));
		if (err.msg.nlmsg_seq != nlh->nlmsg_seq)
			violation(fz, "an NLMSG_ERROR echoes seq %u, not %u",
				  err.msg.nlmsg_seq, nlh->nlmsg_seq);
		else if (!(nlh->nlmsg_flags & NLM_F_CAPPED) &&
			 NLMSG_HDRLEN + sizeof(err) +
			 NLMSG_ALIGN(err.msg.nlmsg_len - NLMSG_HDRLEN) > nlh->nlmsg_len)
			violation(fz, "an NLMSG_ERROR cuts the echoed request short");
	}
	if (s->ambiguous)
		return;
	if (s->answered) {
		violation(fz, "a second answer (type %u, error %d) to one request",
			  nlh->nlmsg_type, ack.error);
		return;
	}
	s->answered = true;
	if (nlh->nlmsg_type == NLMSG_DONE &&
	    (!(s->flags & NLM_F_REQUEST) || !is_dump(s->flags) ||
	     s->cmd != TCPSESS_CMD_GET_SESSIONS)) {
		violation(fz, "NLMSG_DONE for a %s request with flags %#x, which starts no dump",
			  cmd_name(s->cmd), s->flags);
		return;
	}
	check_verdict(fz, s, &ack);
}

static void check_message(struct fuzz *fz, const struct nlmsghdr *nlh)
{
	struct sent *s = ring_find(fz, nlh->nlmsg_seq);
	const char *why;
	u8 cmd = 0;

	if (!s) {
		violation(fz, "an answer of type %u to seq %u, which no request carried",
			  nlh->nlmsg_type, nlh->nlmsg_seq);
		return;
	}
	if (nlh->nlmsg_type == NLMSG_ERROR || nlh->nlmsg_type == NLMSG_DONE) {
		check_answer(fz, nlh, s);
		return;
	}
	if (nlh->nlmsg_type != fz->family) {
		violation(fz, "an answer of type %u", nlh->nlmsg_type);
		return;
	}
	fz->c.data++;
	why = reply_problem(nlh, &cmd);
	if (why) {
		violation(fz, "a malformed %s reply: %s", cmd_name(cmd), why);
		return;
	}
	if (fz->unpriv && cmd == TCPSESS_CMD_GET_SESSIONS) {
		violation(fz, "sessions sent without CAP_NET_ADMIN");
		return;
	}
	if (s->ambiguous)
		return;
	if (s->answered) {
		violation(fz, "a %s reply after the request's answer", cmd_name(cmd));
		return;
	}
	why = no_data(s, cmd);
	if (why)
		violation(fz, "%s (request %s, flags %#x; reply %s)", why,
			  cmd_name(s->cmd), s->flags, cmd_name(cmd));
	s->data++;
}

static void check_datagram(struct fuzz *fz, const u8 *buf, size_t len)
{
	const struct nlmsghdr *nlh;
	size_t off = 0;

	while (off < len) {
		nlh = (const struct nlmsghdr *)(buf + off);
		if (len - off < NLMSG_HDRLEN || nlh->nlmsg_len < NLMSG_HDRLEN ||
		    nlh->nlmsg_len > len - off) {
			violation(fz, "a datagram of %zu bytes does not frame at %zu",
				  len, off);
			return;
		}
		check_message(fz, nlh);
		off += NLMSG_ALIGN(nlh->nlmsg_len);
	}
}

/*
 * Reads at most max datagrams, or all there are when max is 0. Each read
 * lets a running dump go on, so the socket never stalls.
 */
static void drain(struct fuzz *fz, unsigned int max)
{
	unsigned int reads = 0;
	ssize_t n;

	while (reads < DRAIN_MAX) {
		n = recv(fz->fd, rxbuf, fz->rx_size, MSG_DONTWAIT | MSG_TRUNC);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				return;
			if (errno == ENOBUFS) {
				fz->overrun = true;
				fz->c.overruns++;
				continue;
			}
			violation(fz, "recv: %s", strerror(errno));
			return;
		}
		reads++;
		if ((size_t)n > fz->rx_size)
			violation(fz, "a datagram of %zd bytes, past the %zu read", n,
				  fz->rx_size);
		else
			check_datagram(fz, (const u8 *)rxbuf, n);
		if (reads == max)
			return;
	}
	violation(fz, "the answers did not stop after %u datagrams", DRAIN_MAX);
}

/* Every valid request of the iteration was answered, every dump ended. */
static void settle(struct fuzz *fz)
{
	u64 i = fz->iter_first;
	struct sent *s;

	if (fz->overrun)
		return;
	if (fz->ring_total - i > RING_LEN)
		i = fz->ring_total - RING_LEN;
	for (; i < fz->ring_total; i++) {
		s = &fz->ring[i % RING_LEN];
		if (s->ambiguous || s->answered)
			continue;
		if (s->expect != EXPECT_ANY)
			violation(fz, "a valid %s got no answer", cmd_name(s->cmd));
		else if (s->data && is_dump(s->flags))
			violation(fz, "a dump sent %u sessions and never ended", s->data);
	}
}

/* ---------------------------------------------------------------------- */
/* Valid requests                                                         */
/* ---------------------------------------------------------------------- */

static u32 pick_u32(struct rng *r, u32 limit, const u32 *edges, unsigned int n)
{
	return rng_below(r, 2) ? 1 + rng_below(r, limit) : edges[rng_below(r, n)];
}

static void valid_set_config(struct nl_msg *m, u16 family, struct rng *r)
{
	static const u32 max_edges[] = { 1, 2, 100, 262144, TCPSESS_MAX_SESSIONS_LIMIT };
	static const u32 timeout_edges[] = { 1, 2, 10, TCPSESS_TIMEOUT_LIMIT };
	static const u32 rate_edges[] = { 0, 1, TCPSESS_EVENT_RATE_LIMIT };
	static const u32 report_edges[] = { 0, 1, TCPSESS_REPORT_INTERVAL_LIMIT };
	unsigned int keys, s, first;

	switch (rng_below(r, 7)) {
	case 5:
		keys = ALL_KEYS;
		break;
	case 6:
		/* Any subset, the empty one too. */
		keys = rng_u32(r) & ALL_KEYS;
		break;
	default:
		keys = KEY(TCPSESS_CONFIG_MAX_SESSIONS +
			   rng_below(r, TCPSESS_CONFIG_MAX - TCPSESS_CONFIG_MAX_SESSIONS + 1));
		break;
	}
	set_config_begin(m, family);
	if (keys & KEY(TCPSESS_CONFIG_MAX_SESSIONS))
		msg_put_u32(m, TCPSESS_CONFIG_MAX_SESSIONS,
			    pick_u32(r, TCPSESS_MAX_SESSIONS_LIMIT, max_edges,
				     ARRAY_SIZE(max_edges)));
	if (keys & KEY(TCPSESS_CONFIG_TIMEOUTS)) {
		msg_nest_start(m, TCPSESS_CONFIG_TIMEOUTS);
		first = TCPSESS_STATE_NONE + 1 + rng_below(r, TCPSESS_STATE_MAX);
		for (s = TCPSESS_STATE_NONE + 1; s <= TCPSESS_STATE_MAX; s++)
			if (s == first || rng_below(r, 2))
				msg_put_u32(m, s, pick_u32(r, TCPSESS_TIMEOUT_LIMIT,
							   timeout_edges,
							   ARRAY_SIZE(timeout_edges)));
		msg_nest_end(m);
	}
	if (keys & KEY(TCPSESS_CONFIG_MODE))
		msg_put_u8(m, TCPSESS_CONFIG_MODE, rng_below(r, TCPSESS_MODE_MAX + 1));
	if (keys & KEY(TCPSESS_CONFIG_PICKUP))
		msg_put_u8(m, TCPSESS_CONFIG_PICKUP, rng_below(r, 2));
	if (keys & KEY(TCPSESS_CONFIG_EVENT_RATE))
		msg_put_u32(m, TCPSESS_CONFIG_EVENT_RATE,
			    rng_below(r, 2) ? rng_below(r, TCPSESS_EVENT_RATE_LIMIT + 1) :
			    rate_edges[rng_below(r, ARRAY_SIZE(rate_edges))]);
	if (keys & KEY(TCPSESS_CONFIG_TIMEOUT_PICKUP))
		msg_put_u32(m, TCPSESS_CONFIG_TIMEOUT_PICKUP,
			    pick_u32(r, TCPSESS_TIMEOUT_LIMIT, timeout_edges,
				     ARRAY_SIZE(timeout_edges)));
	/* Mostly short: the fuzz's sessions then get UPDATEs while it runs. */
	if (keys & KEY(TCPSESS_CONFIG_REPORT_INTERVAL))
		msg_put_u32(m, TCPSESS_CONFIG_REPORT_INTERVAL,
			    rng_below(r, 2) ? rng_below(r, 4) :
			    report_edges[rng_below(r, ARRAY_SIZE(report_edges))]);
	msg_nest_end(m);
}

static void valid_dump(struct fuzz *fz, struct nl_msg *m, struct rng *r)
{
	unsigned int which = rng_below(r, NL_VALID_FILTERS + 3);

	if (which < NL_VALID_FILTERS) {
		build_valid_filter(m, fz->family, which);
		return;
	}
	if (which == NL_VALID_FILTERS) {
		msg_init(m, fz->family, NLM_F_REQUEST | NLM_F_DUMP,
			 TCPSESS_CMD_GET_SESSIONS);
		return;
	}
	filter_begin(m, fz->family);
	if (which == NL_VALID_FILTERS + 1) {
		msg_put_u16(m, TCPSESS_FILTER_PORT, fz->port);
	} else {
		msg_put_u8(m, TCPSESS_FILTER_FAMILY,
			   rng_below(r, 2) ? AF_INET : AF_INET6);
		msg_put_u8(m, TCPSESS_FILTER_STATE,
			   TCPSESS_STATE_NONE + 1 + rng_below(r, TCPSESS_STATE_MAX));
	}
	msg_nest_end(m);
}

/* A valid request of any command, and what its sender must get. */
static enum expect valid_request(struct fuzz *fz, struct nl_msg *m, struct rng *r)
{
	/* Flushes are rare where they work, or dumps would find the table empty. */
	unsigned int flushes = fz->unpriv ? 8 : 1;
	unsigned int pick = rng_below(r, 64);
	u8 cmd;

	if (pick < 16) {
		valid_dump(fz, m, r);
		return fz->unpriv ? EXPECT_EPERM : EXPECT_OK;
	}
	if (pick >= 32 + flushes) {
		valid_set_config(m, fz->family, r);
		return fz->unpriv ? EXPECT_EPERM : EXPECT_OK;
	}
	cmd = pick < 24 ? TCPSESS_CMD_GET_STATS :
	      pick < 32 ? TCPSESS_CMD_GET_CONFIG : TCPSESS_CMD_FLUSH;
	msg_init(m, fz->family, NLM_F_REQUEST | NLM_F_ACK, cmd);
	return fz->unpriv && cmd == TCPSESS_CMD_FLUSH ? EXPECT_EPERM : EXPECT_OK;
}

/* ---------------------------------------------------------------------- */
/* Mutations                                                              */
/* ---------------------------------------------------------------------- */

struct attr_pos {
	size_t off;
	int parent;	/* index of the enclosing nest, -1 at the top */
};

/* The attribute headers in [start, end), nests followed where they hold. */
static unsigned int attr_walk(const u8 *buf, size_t start, size_t end, int parent,
			      struct attr_pos *pos, unsigned int n, unsigned int depth)
{
	struct nlattr nla;
	size_t step;

	while (end - start >= NLA_HDRLEN && n < ATTRS_MAX) {
		memcpy(&nla, buf + start, sizeof(nla));
		if (nla.nla_len < NLA_HDRLEN || nla.nla_len > end - start)
			break;
		pos[n].off = start;
		pos[n].parent = parent;
		n++;
		if ((nla.nla_type & NLA_F_NESTED) && depth < 4)
			n = attr_walk(buf, start + NLA_HDRLEN, start + nla.nla_len, n - 1,
				      pos, n, depth + 1);
		step = NLA_ALIGN(nla.nla_len);
		if (step >= end - start)
			break;
		start += step;
	}
	return n;
}

static unsigned int first_msg_attrs(const u8 *buf, size_t len, struct attr_pos *pos)
{
	u32 mlen;

	if (len < NLMSG_HDRLEN + GENL_HDRLEN)
		return 0;
	memcpy(&mlen, buf, sizeof(mlen));
	if (mlen > len)
		mlen = len;
	if (mlen < NLMSG_HDRLEN + GENL_HDRLEN)
		return 0;
	return attr_walk(buf, NLMSG_HDRLEN + GENL_HDRLEN, mlen, -1, pos, 0, 0);
}

static void put_u16(u8 *p, u16 v)
{
	memcpy(p, &v, sizeof(v));
}

static u16 get_u16(const u8 *p)
{
	u16 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* Moves the bytes from off on by delta, and fixes every length around them. */
static void resize(u8 *buf, size_t *len, size_t off, long delta,
		   const struct attr_pos *pos, int parent)
{
	u32 mlen;
	int i;

	if (delta > 0)
		memmove(buf + off + delta, buf + off, *len - off);
	else
		memmove(buf + off, buf + off - delta, *len - off + delta);
	*len += delta;
	for (i = parent; i >= 0; i = pos[i].parent)
		put_u16(buf + pos[i].off, get_u16(buf + pos[i].off) + delta);
	memcpy(&mlen, buf, sizeof(mlen));
	mlen += delta;
	memcpy(buf, &mlen, sizeof(mlen));
}

/* Another valid request after this one: two messages in one send. */
static void splice_request(struct fuzz *fz, struct rng *r, u8 *buf, size_t *len)
{
	size_t at = NLMSG_ALIGN(*len);
	struct nl_msg m;

	valid_request(fz, &m, r);
	if (at + m.len > TX_MAX)
		return;
	memset(buf + *len, 0, at - *len);
	memcpy(buf + at, m.buf, m.len);
	*len = at + m.len;
}

enum mutation {
	MUT_BIT,
	MUT_BYTE,
	MUT_TRUNCATE,
	MUT_NLMSG_LEN,
	MUT_FLAGS,
	MUT_GENL,
	MUT_NLA_LEN,
	MUT_NLA_TYPE,
	MUT_DUPLICATE,
	MUT_REMOVE,
	MUT_SPLICE,
	MUT_COUNT
};

static void mutate(struct fuzz *fz, struct rng *r, u8 *buf, size_t *len)
{
	static const u8 bytes[] = { 0x00, 0x01, 0x04, 0x10, 0x7f, 0x80, 0xfe, 0xff };
	struct attr_pos pos[ATTRS_MAX];
	size_t off, alen, end = *len;
	unsigned int n, i;
	u32 v32;
	u16 v16;

	n = first_msg_attrs(buf, *len, pos);
	i = rng_below(r, n);
	off = n ? pos[i].off : 0;
	v16 = n ? get_u16(buf + off) : 0;
	alen = NLA_ALIGN(v16);
	if (alen > end - off)
		alen = end - off;
	switch (rng_below(r, MUT_COUNT)) {
	case MUT_BIT:
		if (*len)
			buf[rng_below(r, *len)] ^= 1 << rng_below(r, 8);
		break;
	case MUT_BYTE:
		if (*len)
			buf[rng_below(r, *len)] = rng_below(r, 4) ?
				bytes[rng_below(r, ARRAY_SIZE(bytes))] : rng_u32(r);
		break;
	case MUT_TRUNCATE:
		*len = rng_below(r, *len);
		/* Half the time the header admits it; else it claims more. */
		v32 = *len;
		if (*len >= sizeof(v32) && rng_below(r, 2))
			memcpy(buf, &v32, sizeof(v32));
		break;
	case MUT_NLMSG_LEN:
		if (*len < sizeof(v32))
			break;
		switch (rng_below(r, 8)) {
		case 0:
			v32 = rng_below(r, NLMSG_HDRLEN + GENL_HDRLEN + 1);
			break;
		case 1:
			v32 = *len - 1 - rng_below(r, 4);
			break;
		case 2:
			v32 = *len + 1 + rng_below(r, 8);
			break;
		case 3:
			v32 = rng_u32(r);
			break;
		default:
			v32 = rng_below(r, *len + 1);
			break;
		}
		memcpy(buf, &v32, sizeof(v32));
		break;
	case MUT_FLAGS:
		if (*len < NLMSG_HDRLEN)
			break;
		v16 = get_u16(buf + offsetof(struct nlmsghdr, nlmsg_flags));
		switch (rng_below(r, 6)) {
		case 0:
			v16 ^= NLM_F_REQUEST;
			break;
		case 1:
			v16 ^= NLM_F_ACK;
			break;
		case 2:
			v16 ^= NLM_F_DUMP;
			break;
		case 3:
			v16 ^= NLM_F_ROOT;
			break;
		case 4:
			v16 |= NLM_F_ECHO;
			break;
		default:
			v16 = rng_u32(r);
			break;
		}
		put_u16(buf + offsetof(struct nlmsghdr, nlmsg_flags), v16);
		break;
	case MUT_GENL:
		if (*len < NLMSG_HDRLEN + GENL_HDRLEN)
			break;
		/* Another command's name on this one's attributes, mostly. */
		if (rng_below(r, 4))
			buf[NLMSG_HDRLEN] = rng_below(r, TCPSESS_CMD_MAX + 3);
		else
			buf[NLMSG_HDRLEN + 1 + rng_below(r, 3)] = rng_u32(r);
		break;
	case MUT_NLA_LEN:
		if (!n)
			break;
		switch (rng_below(r, 6)) {
		case 0:
			v16 = rng_below(r, NLA_HDRLEN + 1);
			break;
		case 1:
			v16 += 1 + rng_below(r, 4);
			break;
		case 2:
			v16 -= 1 + rng_below(r, 4);
			break;
		case 3:
			/* Exactly to the end of the buffer, or past it. */
			v16 = end - off + rng_below(r, 2);
			break;
		case 4:
			v16 = 0xffff;
			break;
		default:
			v16 = rng_u32(r);
			break;
		}
		put_u16(buf + off, v16);
		break;
	case MUT_NLA_TYPE:
		if (!n)
			break;
		v16 = get_u16(buf + off + offsetof(struct nlattr, nla_type));
		switch (rng_below(r, 5)) {
		case 0:
			v16 ^= NLA_F_NESTED;
			break;
		case 1:
			v16 ^= NLA_F_NET_BYTEORDER;
			break;
		case 2:
			v16 = (v16 & ~NLA_TYPE_MASK) | ((v16 + 1) & NLA_TYPE_MASK);
			break;
		case 3:
			v16 = rng_below(r, 16);
			break;
		default:
			v16 = rng_u32(r);
			break;
		}
		put_u16(buf + off + offsetof(struct nlattr, nla_type), v16);
		break;
	case MUT_DUPLICATE:
		if (!n || *len + alen > TX_MAX)
			break;
		resize(buf, len, off + alen, alen, pos, pos[i].parent);
		memcpy(buf + off + alen, buf + off, alen);
		break;
	case MUT_REMOVE:
		if (!n)
			break;
		resize(buf, len, off, -(long)alen, pos, pos[i].parent);
		break;
	default:
		splice_request(fz, r, buf, len);
		break;
	}
}

/* ---------------------------------------------------------------------- */
/* Generators                                                             */
/* ---------------------------------------------------------------------- */

static void gen_random(struct fuzz *fz, struct rng *r, u8 *buf)
{
	size_t len = rng_below(r, 16) ? NLMSG_HDRLEN + rng_below(r, 1024) :
					rng_below(r, NLMSG_HDRLEN);
	u32 mlen = len;

	rng_fill(r, buf, len);
	/* Half the time a length that holds, or the core drops it unread. */
	if (len >= sizeof(mlen) && rng_below(r, 2))
		memcpy(buf, &mlen, sizeof(mlen));
	fuzz_send(fz, buf, len, EXPECT_ANY);
}

static void gen_structured(struct fuzz *fz, struct rng *r, u8 *buf)
{
	static const u16 flag_sets[] = {
		NLM_F_REQUEST,
		NLM_F_REQUEST | NLM_F_ACK,
		NLM_F_REQUEST | NLM_F_DUMP,
		NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP,
		NLM_F_REQUEST | NLM_F_ECHO,
		NLM_F_REQUEST | NLM_F_ROOT,
		NLM_F_REQUEST | NLM_F_MATCH | NLM_F_ACK,
		NLM_F_ACK,
		NLM_F_DUMP,
		0,
	};
	static const u16 nests[] = {
		TCPSESS_A_CONFIG, TCPSESS_A_FILTER, TCPSESS_A_SESSION, TCPSESS_A_STATS,
	};
	size_t len = NLMSG_HDRLEN + GENL_HDRLEN, room, inner;
	struct genlmsghdr g = {};
	struct nlmsghdr nlh = {};
	struct nlattr nla;

	g.cmd = rng_below(r, 4) ? rng_below(r, TCPSESS_CMD_MAX + 3) : rng_u32(r);
	g.version = rng_below(r, 4) ? TCPSESS_GENL_VERSION : rng_u32(r);
	g.reserved = rng_below(r, 16) ? 0 : rng_u32(r);
	room = rng_below(r, 4) ? rng_below(r, 256) : rng_below(r, 2048);
	if (room >= NLA_HDRLEN && rng_below(r, 2)) {
		/* Soup inside a nest that tcpsess parses itself. */
		inner = soup(r, buf + len + NLA_HDRLEN, room - NLA_HDRLEN, 1);
		nla.nla_type = nests[rng_below(r, ARRAY_SIZE(nests))];
		if (rng_below(r, 8))
			nla.nla_type |= NLA_F_NESTED;
		nla.nla_len = rng_below(r, 8) ? NLA_HDRLEN + inner : rng_u32(r);
		memcpy(buf + len, &nla, sizeof(nla));
		len += NLA_HDRLEN + inner;
	} else {
		len += soup(r, buf + len, room, 0);
	}
	nlh.nlmsg_len = len;
	if (!rng_below(r, 16))
		nlh.nlmsg_len = rng_below(r, 2) ? rng_below(r, len + 1) :
						  len + 1 + rng_below(r, 64);
	nlh.nlmsg_flags = rng_below(r, 8) ?
		flag_sets[rng_below(r, ARRAY_SIZE(flag_sets))] : rng_u32(r);
	nlh.nlmsg_seq = nl_seq_alloc();
	memcpy(buf, &nlh, sizeof(nlh));
	memcpy(buf + NLMSG_HDRLEN, &g, sizeof(g));
	fuzz_send(fz, buf, len, EXPECT_ANY);
}

static void gen_mutated(struct fuzz *fz, struct rng *r, u8 *buf)
{
	unsigned int k = rng_below(r, 4) ? 1 + rng_below(r, 4) : 0, i;
	enum expect expect;
	struct nl_msg m;
	size_t len;

	expect = valid_request(fz, &m, r);
	len = m.len;
	memcpy(buf, m.buf, len);
	for (i = 0; i < k; i++)
		mutate(fz, r, buf, &len);
	fuzz_send(fz, buf, len, k ? EXPECT_ANY : expect);
}

/* A dump read only in part, then left: by closing, or by talking on. */
static void gen_abandoned(struct fuzz *fz, struct rng *r, u8 *buf, u8 *buf2)
{
	enum expect expect;
	struct nl_msg m;
	struct sent *s;
	int ret;

	valid_dump(fz, &m, r);
	memcpy(buf, m.buf, m.len);
	fuzz_send(fz, buf, m.len, fz->unpriv ? EXPECT_EPERM : EXPECT_OK);
	drain(fz, 1);
	s = ring_find(fz, m.nlh.nlmsg_seq);
	if (s && s->data && !s->answered)
		fz->c.midway++;
	switch (rng_below(r, 3)) {
	case 0:
		ret = fuzz_open(fz, rng_below(r, 2));
		if (ret)
			violation(fz, "a new netlink socket: %s", strerror(-ret));
		return;
	case 1:
		/* Talking on mid-dump; another dump finds this one running. */
		expect = valid_request(fz, &m, r);
		memcpy(buf2, m.buf, m.len);
		fuzz_send(fz, buf2, m.len, is_dump(m.nlh.nlmsg_flags) ? EXPECT_ANY : expect);
		break;
	default:
		gen_structured(fz, r, buf2);
		break;
	}
	drain(fz, 0);
}

static void iteration(struct fuzz *fz, struct rng *r)
{
	unsigned int pick = rng_below(r, 100);
	u8 *buf = (u8 *)txbuf;

	fz->overrun = false;
	fz->iter_first = fz->ring_total;
	if (pick < 15) {
		fz->gen = GEN_RANDOM;
		gen_random(fz, r, buf);
	} else if (pick < 40) {
		fz->gen = GEN_STRUCTURED;
		gen_structured(fz, r, buf);
	} else if (pick < 90) {
		fz->gen = GEN_MUTATED;
		gen_mutated(fz, r, buf);
	} else {
		fz->gen = GEN_ABANDONED;
		gen_abandoned(fz, r, buf, (u8 *)txbuf2);
		settle(fz);
		return;
	}
	drain(fz, 0);
	settle(fz);
}

/* ---------------------------------------------------------------------- */
/* Batches                                                                */
/* ---------------------------------------------------------------------- */

static u64 splitmix64(u64 x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static bool unprivileged_batch(unsigned int batch)
{
	return batch % UNPRIV_EVERY == 1;
}

static void run_batch(struct fuzz *fz)
{
	struct rng r = { .s = splitmix64(fz->seed ^ splitmix64(fz->batch)) ?: 1 };
	unsigned int i;
	int ret;

	ret = fuzz_open(fz, rng_below(&r, 2));
	if (ret) {
		violation(fz, "a netlink socket: %s", strerror(-ret));
		return;
	}
	for (i = 0; i < BATCH_LEN && !fz->c.violations; i++) {
		fz->iter = i;
		iteration(fz, &r);
	}
	close(fz->fd);
	fz->fd = -1;
}

static int unprivileged_child(struct fuzz *fz, int out, bool nobody)
{
	u64 reports = fz->c.reports;
	int ret;

	alarm(UNPRIV_ALARM_S);
	ret = tcpsess_drop_net_admin(nobody);
	if (ret) {
		ksft_print_msg("dropping CAP_NET_ADMIN: %s\n", strerror(-ret));
		return 2;
	}
	/* Set afterwards: a change of credentials clears it. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	fz->unpriv = true;
	memset(&fz->c, 0, sizeof(fz->c));
	fz->c.reports = reports;
	run_batch(fz);
	return write(out, &fz->c, sizeof(fz->c)) == sizeof(fz->c) ? 0 : 3;
}

/* Runs the batch in a child without CAP_NET_ADMIN; adds its counts to c. */
static bool run_unprivileged_batch(struct fuzz *fz, struct counts *c)
{
	bool nobody = fz->batch / UNPRIV_EVERY % 2;
	struct counts got;
	int pipefd[2], status;
	unsigned int g;
	ssize_t n;
	pid_t pid;

	if (pipe(pipefd))
		return false;
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid == 0) {
		close(pipefd[0]);
		_exit(unprivileged_child(fz, pipefd[1], nobody));
	}
	close(pipefd[1]);
	n = pid > 0 ? read(pipefd[0], &got, sizeof(got)) : -1;
	close(pipefd[0]);
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return false;
	if (n != sizeof(got) || !WIFEXITED(status) || WEXITSTATUS(status)) {
		ksft_print_msg("the unprivileged child of batch %u %s %d\n", fz->batch,
			       WIFSIGNALED(status) ? "was killed by signal" : "exited with",
			       WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
		return false;
	}
	for (g = 0; g < GEN_COUNT; g++) {
		c->sent[g] += got.sent[g];
		c->send_failed[g] += got.send_failed[g];
	}
	c->messages += got.messages;
	c->acks += got.acks;
	c->errors += got.errors;
	c->dones += got.dones;
	c->data += got.data;
	c->overruns += got.overruns;
	c->as_due += got.as_due;
	c->midway += got.midway;
	c->eperm += got.eperm;
	c->violations += got.violations;
	fz->c.reports = got.reports;
	return true;
}

/* ---------------------------------------------------------------------- */
/* Probes: what must hold whatever the fuzz sent                          */
/* ---------------------------------------------------------------------- */

struct dump_check {
	u16 family;
	unsigned int sessions;
	const char *bad;
	u64 ids[DUMP_IDS_MAX];
};

static void dump_check_reply(const struct nlmsghdr *nlh, void *arg)
{
	struct dump_check *dc = arg;
	const char *why;
	u64 id = 0;

	if (nlh->nlmsg_type != dc->family)
		why = "a message of another type";
	else
		why = session_problem(nlh, &id);
	if (why && !dc->bad)
		dc->bad = why;
	if (dc->sessions < DUMP_IDS_MAX)
		dc->ids[dc->sessions] = id;
	dc->sessions++;
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* A full dump ends with NLMSG_DONE, every message is a session, no id twice. */
static const char *probe_dump(int fd, u16 family, unsigned int *sessions)
{
	static struct dump_check dc;
	struct nl_ack ack;
	struct nl_msg m;
	unsigned int i, n;
	int ret;

	memset(&dc, 0, offsetof(struct dump_check, ids));
	dc.family = family;
	msg_init(&m, family, NLM_F_REQUEST | NLM_F_DUMP, TCPSESS_CMD_GET_SESSIONS);
	ret = nl_transact(fd, &m, dump_check_reply, &dc, &ack);
	if (ret)
		return "a full dump got no answer";
	if (ack.type != NLMSG_DONE || ack.error)
		return "a full dump did not end with NLMSG_DONE and 0";
	if (dc.bad)
		return dc.bad;
	n = dc.sessions < DUMP_IDS_MAX ? dc.sessions : DUMP_IDS_MAX;
	qsort(dc.ids, n, sizeof(dc.ids[0]), cmp_u64);
	for (i = 1; i < n; i++)
		if (dc.ids[i] == dc.ids[i - 1])
			return "a full dump holds a session twice";
	*sessions = dc.sessions;
	return NULL;
}

struct probe {
	int fd;
	u16 family;
	unsigned long taint;
	unsigned int count;
	unsigned int failed;
	unsigned int largest_dump;
};

/*
 * The module answers well-formed requests correctly, /proc reads, the
 * kernel has not warned, and the baseline configuration goes back in.
 */
static bool probe(struct probe *p, const char *when)
{
	char text[8192];
	unsigned long long v;
	struct stats_view st;
	struct cfg_view cfg;
	unsigned int sessions = 0;
	struct nl_ack ack;
	const char *why;
	int ret;

	p->count++;
	ret = stats_get(p->fd, p->family, &st, &why);
	if (!ret)
		why = stats_missing(&st);
	if (ret || why)
		goto fail;
	ret = config_get(p->fd, p->family, &cfg, &why);
	if (!ret)
		why = config_out_of_range(&cfg);
	if (ret || why)
		goto fail;
	why = probe_dump(p->fd, p->family, &sessions);
	if (why)
		goto fail;
	if (sessions > p->largest_dump)
		p->largest_dump = sessions;
	why = "/proc/net/tcpsess/stats unreadable or without sessions_created";
	if (tcpsess_read_file(TCPSESS_PROC "/stats", text, sizeof(text)) <= 0 ||
	    tcpsess_stat_lookup(text, "sessions_created", &v) != 1)
		goto fail;
	why = "the kernel warned, oopsed or locked up";
	if ((tcpsess_read_taint() & TCPSESS_TAINT_BAD) != (p->taint & TCPSESS_TAINT_BAD))
		goto fail;
	why = "SET_CONFIG of the baseline refused";
	ret = config_set(p->fd, p->family, &baseline, ALL_KEYS, &ack);
	if (ret)
		goto fail;
	ret = config_get(p->fd, p->family, &cfg, &why);
	if (!ret) {
		why = config_diff(&baseline, &cfg);
		if (why)
			ksft_print_msg("%s: %s did not read back\n", when, why);
	}
	if (ret || why)
		goto fail;
	return true;
fail:
	p->failed++;
	ksft_print_msg("%s: %s%s%s\n", when, why, ret ? ": " : "",
		       ret ? strerror(-ret) : "");
	return false;
}

/* ---------------------------------------------------------------------- */
/* The end                                                                */
/* ---------------------------------------------------------------------- */

/*
 * Once nothing moves, every session made has ended or is still there. A
 * fuzz that ran its course must also have had sessions to walk.
 */
static bool counters_at_rest(bool full_run)
{
	unsigned long long created = 0, ended = 0, active = 0;
	char text[8192];
	unsigned int i;

	for (i = 0; i < QUIET_TRIES; i++) {
		if (tcpsess_read_file(TCPSESS_PROC "/stats", text, sizeof(text)) <= 0 ||
		    tcpsess_stat_lookup(text, "sessions_created", &created) != 1 ||
		    tcpsess_stat_lookup(text, "sessions_ended", &ended) != 1 ||
		    tcpsess_stat_lookup(text, "sessions_active", &active) != 1) {
			ksft_print_msg("/proc/net/tcpsess/stats unreadable or incomplete\n");
			return false;
		}
		if (created == ended + active)
			break;
		usleep(100000);
	}
	ksft_print_msg("at rest: sessions_created %llu, ended %llu, active %llu\n",
		       created, ended, active);
	if (created != ended + active)
		return false;
	if (full_run && created < MIN_SESSIONS) {
		ksft_print_msg("the traffic made fewer than %u sessions\n", MIN_SESSIONS);
		return false;
	}
	return true;
}

static bool config_reads_back(int fd, u16 family, const struct cfg_view *want)
{
	struct cfg_view cfg;
	struct nl_ack ack;
	const char *why;
	int ret;

	ret = config_set(fd, family, want, ALL_KEYS, &ack);
	if (ret) {
		ksft_print_msg("SET_CONFIG: %s, extack \"%s\"\n", strerror(-ret), ack.msg);
		return false;
	}
	ret = config_get(fd, family, &cfg, &why);
	if (ret) {
		ksft_print_msg("GET_CONFIG: %s (%s)\n", why, strerror(-ret));
		return false;
	}
	why = config_diff(want, &cfg);
	if (why)
		ksft_print_msg("%s did not read back\n", why);
	return !why;
}

static bool unload(void)
{
	int i, ret = 0;

	/* Sockets closed mid-dump give their module reference back late. */
	for (i = 0; i < 4; i++) {
		ret = tcpsess_unload_patiently();
		if (!ret)
			return true;
	}
	ksft_print_msg("unloading tcpsess: %s\n", strerror(-ret));
	return false;
}

static void print_counts(const char *who, const struct counts *c)
{
	unsigned int g;

	for (g = 0; g < GEN_COUNT; g++)
		ksft_print_msg("%s, %s: %llu buffers sent, %llu refused by sendmsg\n",
			       who, gen_names[g], (unsigned long long)c->sent[g],
			       (unsigned long long)c->send_failed[g]);
	ksft_print_msg("%s: %llu messages walked; answers: %llu acks, %llu errors (%llu EPERM)\n",
		       who, (unsigned long long)c->messages, (unsigned long long)c->acks,
		       (unsigned long long)c->errors, (unsigned long long)c->eperm);
	ksft_print_msg("%s: %llu dumps ended, %llu left before NLMSG_DONE, %llu data messages\n",
		       who, (unsigned long long)c->dones, (unsigned long long)c->midway,
		       (unsigned long long)c->data);
	ksft_print_msg("%s: %llu valid requests answered as due, %llu overruns\n",
		       who, (unsigned long long)c->as_due, (unsigned long long)c->overruns);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void bad_arguments(const char *argv0)
{
	fprintf(stderr, "usage: %s [-s SEED] [-t SECONDS] [-n BATCHES] [-b FIRST_BATCH]\n",
		argv0);
	exit(KSFT_FAIL);
}

int main(int argc, char **argv)
{
	static struct fuzz fz = { .fd = -1 };
	struct cfg_view init_before, init_after;
	unsigned int seconds = FUZZ_SECONDS, batches = 0, first = 0, unpriv_batches = 0;
	bool seeded = false, unpriv_ok = true, cut_short = false, traffic_ok, flushed;
	struct counts unpriv = {};
	struct family_info fi;
	struct probe p = {};
	const char *env, *why;
	struct nl_ack ack;
	double start;
	int opt, init_fd, ret;
	pid_t traffic;

	baseline_init();
	env = getenv("TCPSESS_NLFUZZ_SEED");
	if (env) {
		fz.seed = strtoull(env, NULL, 0);
		seeded = true;
	}
	env = getenv("TCPSESS_NLFUZZ_SECONDS");
	if (env)
		seconds = strtoul(env, NULL, 0);
	while ((opt = getopt(argc, argv, "s:t:n:b:")) != -1) {
		switch (opt) {
		case 's':
			fz.seed = strtoull(optarg, NULL, 0);
			seeded = true;
			break;
		case 't':
			seconds = strtoul(optarg, NULL, 0);
			break;
		case 'n':
			batches = strtoul(optarg, NULL, 0);
			break;
		case 'b':
			first = strtoul(optarg, NULL, 0);
			break;
		default:
			bad_arguments(argv[0]);
		}
	}
	if (!seeded && getrandom(&fz.seed, sizeof(fz.seed), 0) != sizeof(fz.seed))
		fz.seed = ((u64)time(NULL) << 16) ^ getpid();

	setvbuf(stdout, NULL, _IOLBF, 0);
	ksft_print_header();
	if (geteuid())
		ksft_exit_skip("needs root\n");
	ksft_set_plan(7);
	ksft_print_msg("seed %#llx, %u s; replay with -s %#llx or TCPSESS_NLFUZZ_SEED\n",
		       (unsigned long long)fz.seed, seconds, (unsigned long long)fz.seed);

	if (tcpsess_loaded() && tcpsess_unload_patiently())
		ksft_exit_fail_msg("an earlier tcpsess would not unload\n");
	ret = tcpsess_load("");
	if (ret)
		ksft_exit_fail_msg("loading %s: %s\n", tcpsess_ko_path(), strerror(-ret));
	/* Loading taints (O, E); only what happens from here on counts. */
	p.taint = tcpsess_read_taint();
	/* A socket stays in the namespace it was opened in: this one, init's. */
	init_fd = nl_open(true);
	if (init_fd < 0 || family_resolve(init_fd, &fi) ||
	    config_get(init_fd, fi.id, &init_before, &why))
		ksft_exit_fail_msg("the family in the init namespace\n");
	if (unshare(CLONE_NEWNET))
		ksft_exit_fail_msg("unshare(CLONE_NEWNET): %s\n", strerror(errno));
	traffic = lo_traffic_start(&fz.port);
	if (traffic < 0)
		ksft_exit_fail_msg("traffic on loopback: %s\n", strerror(-traffic));
	p.fd = nl_open(false);
	if (p.fd < 0 || family_resolve(p.fd, &fi))
		ksft_exit_fail_msg("the family in a new namespace\n");
	p.family = fi.id;
	fz.family = fi.id;
	if (!probe(&p, "before the fuzz"))
		ksft_exit_fail_msg("the module does not answer as it should\n");

	start = now_s();
	for (fz.batch = first; !batches || fz.batch < first + batches; fz.batch++) {
		/* One batch of each kind at least, however slow the machine. */
		if (fz.batch >= first + 2 && now_s() - start >= seconds)
			break;
		if (unprivileged_batch(fz.batch)) {
			unpriv_batches++;
			if (!run_unprivileged_batch(&fz, &unpriv))
				unpriv_ok = false;
		} else {
			run_batch(&fz);
		}
		probe(&p, "after a batch");
		cut_short = p.failed || fz.c.violations || unpriv.violations || !unpriv_ok;
		if (cut_short)
			break;
	}
	ksft_print_msg("%u batches of %u messages in %.1f s, %u without CAP_NET_ADMIN\n",
		       fz.batch - first, BATCH_LEN, now_s() - start, unpriv_batches);
	ksft_print_msg("%u probes, the largest dump %u sessions\n", p.count, p.largest_dump);
	print_counts("privileged", &fz.c);
	print_counts("unprivileged", &unpriv);
	if (!p.failed)
		probe(&p, "after the fuzz");

	ksft_test_result(!fz.c.violations,
			 "no malformed answer, no forbidden success, valid requests answered as due\n");
	if (!unpriv_batches)
		ksft_test_result_skip("no batch ran without CAP_NET_ADMIN\n");
	else
		ksft_test_result(unpriv_ok && !unpriv.violations && unpriv.eperm,
				 "without CAP_NET_ADMIN the same, and changes and dumps refused with EPERM\n");
	ksft_test_result(!p.failed,
			 "the module answered every probe: stats, config, full dump, /proc\n");
	ksft_test_result(config_reads_back(p.fd, p.family, &final_cfg),
			 "a restored configuration reads back exactly\n");

	traffic_ok = lo_traffic_stop(traffic) == 0;
	if (!traffic_ok)
		ksft_print_msg("the traffic on loopback stopped early\n");
	flushed = simple_do(p.fd, p.family, TCPSESS_CMD_FLUSH, &ack) == 0;
	ksft_test_result(traffic_ok && flushed && counters_at_rest(!cut_short),
			 "sessions_created == sessions_ended + sessions_active at rest\n");

	ret = config_get(init_fd, fi.id, &init_after, &why);
	why = ret ? why : config_diff(&init_before, &init_after);
	if (why)
		ksft_print_msg("init namespace: %s\n", why);
	ksft_test_result(!why, "the init namespace's configuration is untouched\n");

	close(p.fd);
	close(init_fd);
	ret = (tcpsess_read_taint() & TCPSESS_TAINT_BAD) == (p.taint & TCPSESS_TAINT_BAD);
	if (!ret)
		ksft_print_msg("the kernel warned, oopsed or locked up: see its log\n");
	ksft_test_result(unload() && ret, "no warning, oops or lockup, and the module unloads\n");
	ksft_finished();
}
