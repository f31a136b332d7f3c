// SPDX-License-Identifier: GPL-2.0
/*
 * "tcpsessctl export": session events in, IPFIX out. One poll() loop
 * serves the event socket, the collector's socket and the signals, and
 * nothing in it blocks: a slow or absent collector fills a bounded queue
 * of encoded records, and what does not fit is counted, never waited
 * for, so that the kernel's events are read as fast as they come.
 *
 * Messages are packed from the queue when they leave, so that their
 * sequence numbers and templates are those of the transport session that
 * carries them: over TCP a new connection starts at sequence number 0
 * with the templates; over UDP the templates go again every
 * TEMPLATE_MS (RFC 7011 section 8.4), never more often.
 */
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/signalfd.h>
#include <linux/genetlink.h>

#include "export.h"
#include "ipfix.h"
#include "monitor.h"
#include "msg.h"
#include "util.h"

#define QUEUE_LEN	16384		/* records waiting for the collector */
#define FLOWS_MAX	1048576		/* sessions whose last report is kept */
#define UDP_MSG_MAX	1400		/* below a 1500-byte path MTU */
#define TCP_MSG_MAX	8192
#define FLUSH_MS	200		/* longest a record waits for company */
#define TEMPLATE_MS	60000
#define OPTIONS_MS	60000
#define PACE_PER_MS	4		/* UDP messages per millisecond... */
#define PACE_BURST	16		/* ...and at most this many at once */
#define BACKOFF_MIN_MS	1000
#define BACKOFF_MAX_MS	30000
#define DRAIN_MS	3000		/* to send what is left on exit */
#define READ_BATCH	64		/* event reads between sends */
#define EVENT_RCVBUF	(4 << 20)

struct slot {
	u64 ms;				/* when it was queued */
	u16 tid;
	u16 len;
	u8 rec[TS_IPFIX_REC_MAX];
};

struct exporter {
	const struct ts_export_opts *o;
	struct ts_nl *nl;
	struct ts_monitor mon;		/* event sequence gaps */
	struct ts_ipfix_flows flows;
	struct addrinfo *ai;
	int fd;				/* -1: no transport session */
	bool connecting;		/* TCP connect() under way */
	u64 retry_ms;			/* when to reconnect */
	u64 backoff_ms;

	struct slot *queue;
	size_t head;
	size_t queued;
	size_t queued_bytes;

	u8 *msg;			/* the message leaving, if len */
	size_t msg_max;
	size_t msg_len;
	size_t msg_off;			/* sent so far (TCP) */
	u32 msg_records;

	u32 seq;			/* data records sent in this session */
	bool templates_sent;
	u64 templates_ms;
	bool options_due;
	u64 options_ms;
	u64 tokens;
	u64 tokens_ms;

	bool stopping;
	u64 drain_until_ms;
	u64 not_sent;
	u64 records_sent;
	u64 messages_sent;
	int status;
};

int ts_export_set_interval(struct ts_nl *nl, u32 seconds)
{
	struct nlmsghdr *nlh = ts_nl_msg(nl, TCPSESS_CMD_SET_CONFIG, NLM_F_ACK);
	struct ts_config cfg = {
		.present = TS_BIT(TS_CFG_REPORT_INTERVAL),
	};

	cfg.value[TS_CFG_REPORT_INTERVAL] = seconds;
	ts_put_config(nlh, &cfg);
	return ts_nl_talk(nl, NULL, NULL);
}

/* The queue */

static void enqueue(struct exporter *e, u16 tid, const u8 *rec, size_t len,
		    u64 now)
{
	struct slot *s;

	if (e->queued == QUEUE_LEN) {
		e->not_sent++;
		return;
	}
	s = &e->queue[(e->head + e->queued) % QUEUE_LEN];
	s->ms = now;
	s->tid = tid;
	s->len = len;
	memcpy(s->rec, rec, len);
	e->queued++;
	e->queued_bytes += len;
}

static void dequeue(struct exporter *e)
{
	e->queued_bytes -= e->queue[e->head].len;
	e->head = (e->head + 1) % QUEUE_LEN;
	e->queued--;
}

static u64 oldest_ms(const struct exporter *e)
{
	return e->queue[e->head].ms;
}

/* The collector */

static void disconnect(struct exporter *e, u64 now, const char *why, int err)
{
	if (err)
		fprintf(stderr, "%s: export: collector %s:%s %s: %s\n",
			TS_PROG, e->o->host, e->o->port, why, strerror(err));
	else
		fprintf(stderr, "%s: export: collector %s:%s %s\n", TS_PROG,
			e->o->host, e->o->port, why);
	if (e->fd >= 0)
		close(e->fd);
	e->fd = -1;
	e->connecting = false;
	/* Its sequence number was the old session's. */
	if (e->msg_len)
		e->not_sent += e->msg_records;
	e->msg_len = 0;
	e->retry_ms = now + e->backoff_ms;
	e->backoff_ms = e->backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS :
			e->backoff_ms * 2;
}

/* A new transport session: its own sequence numbers and templates. */
static void session_start(struct exporter *e)
{
	e->seq = 0;
	e->templates_sent = false;
	e->backoff_ms = BACKOFF_MIN_MS;
}

static void connect_collector(struct exporter *e, u64 now)
{
	int type = e->o->tcp ? SOCK_STREAM : SOCK_DGRAM;
	const struct addrinfo *ai = e->ai;

	e->fd = socket(ai->ai_family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (e->fd < 0) {
		disconnect(e, now, "socket", errno);
		return;
	}
	if (!connect(e->fd, ai->ai_addr, ai->ai_addrlen))
		session_start(e);
	else if (errno == EINPROGRESS)
		e->connecting = true;
	else
		disconnect(e, now, "unreachable", errno);
}

static void connect_done(struct exporter *e, u64 now)
{
	socklen_t len = sizeof(int);
	int err = 0;

	if (getsockopt(e->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		err = errno;
	if (err) {
		disconnect(e, now, "unreachable", err);
		return;
	}
	e->connecting = false;
	session_start(e);
	fprintf(stderr, "%s: export: connected to %s:%s\n", TS_PROG,
		e->o->host, e->o->port);
}

/* A collector says nothing over TCP: anything readable is its end. */
static void collector_readable(struct exporter *e, u64 now)
{
	char buf[256];
	ssize_t n = recv(e->fd, buf, sizeof(buf), MSG_DONTWAIT);

	if (n == 0)
		disconnect(e, now, "closed the connection", 0);
	else if (n < 0 && errno != EAGAIN && errno != EINTR)
		disconnect(e, now, "failed", errno);
}

/*
 * An ICMP error for an earlier datagram: nobody listens, for now. Read,
 * it stops poll() from reporting it; the next datagram tries again.
 */
static void clear_error(struct exporter *e)
{
	socklen_t len = sizeof(int);
	int err;

	getsockopt(e->fd, SOL_SOCKET, SO_ERROR, &err, &len);
}

/* Sending */

/* Records wait a little for others to fill half a message with. */
static bool flush_due(const struct exporter *e, u64 now)
{
	if (e->options_due)
		return true;
	if (!e->queued)
		return false;
	return e->stopping || 2 * e->queued_bytes >= e->msg_max ||
	       now - oldest_ms(e) >= FLUSH_MS;
}

static bool take_token(struct exporter *e, u64 now)
{
	if (e->o->tcp)
		return true;
	e->tokens += (now - e->tokens_ms) * PACE_PER_MS;
	if (e->tokens > PACE_BURST)
		e->tokens = PACE_BURST;
	e->tokens_ms = now;
	if (!e->tokens)
		return false;
	e->tokens--;
	return true;
}

static void add_options(struct exporter *e, struct ts_ipfix_msg *m, u64 now)
{
	struct ts_ipfix_loss loss = {
		.exporter_id = getpid(),
		.not_sent = e->not_sent,
		.lost_events = e->mon.lost,
	};
	u8 rec[TS_IPFIX_REC_MAX];
	size_t len = ts_ipfix_encode_loss(&loss, rec);

	if (!ts_ipfix_msg_add_record(m, TS_IPFIX_TID_OPTIONS, rec, len)) {
		e->options_due = false;
		e->options_ms = now;
	}
}

static void build(struct exporter *e, u64 now)
{
	bool templates = e->o->tcp ? !e->templates_sent :
			 !e->templates_sent || now - e->templates_ms >= TEMPLATE_MS;
	struct ts_ipfix_msg m;

	ts_ipfix_msg_init(&m, e->msg, e->msg_max);
	if (templates && !ts_ipfix_msg_add_templates(&m)) {
		e->templates_sent = true;
		e->templates_ms = now;
	}
	/* Without its template in this session, it would be undecodable. */
	if (e->options_due && e->templates_sent)
		add_options(e, &m, now);
	while (e->queued) {
		const struct slot *s = &e->queue[e->head];

		if (ts_ipfix_msg_add_record(&m, s->tid, s->rec, s->len))
			break;
		dequeue(e);
	}
	e->msg_len = ts_ipfix_msg_finish(&m, ts_clock_ms(CLOCK_REALTIME) / 1000,
					 e->seq, e->o->domain);
	e->msg_off = 0;
	e->msg_records = m.records;
}

static void sent(struct exporter *e)
{
	e->seq += e->msg_records;
	e->records_sent += e->msg_records;
	e->messages_sent++;
	e->msg_len = 0;
}

/* Sends what can go now, without waiting. */
static void pump(struct exporter *e, u64 now)
{
	bool retried = false;
	ssize_t n;

	while (e->fd >= 0 && !e->connecting) {
		if (!e->msg_len) {
			if (!flush_due(e, now) || !take_token(e, now))
				return;
			build(e, now);
		}
		n = send(e->fd, e->msg + e->msg_off, e->msg_len - e->msg_off,
			 MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				return;
			/* An earlier datagram's ICMP error; this one is new. */
			if (!e->o->tcp && errno == ECONNREFUSED && !retried) {
				retried = true;
				continue;
			}
			if (!e->o->tcp) {
				/* No collector listening: the message is lost. */
				e->not_sent += e->msg_records;
				e->msg_len = 0;
				return;
			}
			disconnect(e, now, "failed", errno);
			return;
		}
		e->msg_off += n;
		if (e->msg_off == e->msg_len)
			sent(e);
	}
}

/* Events */

static int event_cb(const struct nlmsghdr *nlh, void *data)
{
	struct exporter *e = data;
	u8 buf[TS_IPFIX_REC_MAX];
	struct ts_ipfix_rec rec;
	struct ts_event ev;
	u64 now = ts_clock_ms(CLOCK_MONOTONIC);
	size_t len;
	u16 tid;

	if (!ts_is_event_msg(nlh))
		return 0;
	if (ts_parse_event(nlh, &ev)) {
		fprintf(stderr, "%s: skipped a malformed event\n", TS_PROG);
		return 0;
	}
	ts_monitor_account(&e->mon, &ev, now, stderr);
	if (ev.type != TCPSESS_EVENT_END &&
	    (ev.type != TCPSESS_EVENT_UPDATE || !e->o->active_timeout))
		return 0;
	if (ts_ipfix_rec_from_event(&e->flows, &ev, ts_clock_ms(CLOCK_REALTIME),
				    &rec))
		return 0;
	len = ts_ipfix_encode_rec(&rec, buf, &tid);
	enqueue(e, tid, buf, len, now);
	return 0;
}

static void read_events(struct exporter *e)
{
	unsigned int batch;
	int ret;

	for (batch = 0; batch < READ_BATCH; batch++) {
		ret = ts_nl_recv_events(e->nl, event_cb, e);
		if (ret == -EAGAIN || ret == -EWOULDBLOCK)
			return;
		if (ret == -ENOBUFS) {
			ts_monitor_overrun(&e->mon);
		} else if (ret == -EBADMSG) {
			fprintf(stderr, "%s: skipped a malformed message\n",
				TS_PROG);
		} else if (ret < 0 && ret != -EINTR) {
			fprintf(stderr, "%s: export: reading events failed: %s\n",
				TS_PROG, strerror(-ret));
			e->status = 1;
			return;
		}
	}
}

/* The loop */

static void stop(struct exporter *e, u64 now)
{
	e->stopping = true;
	e->drain_until_ms = now + DRAIN_MS;
	ts_monitor_finish(&e->mon, stderr);
	e->options_due = true;
}

static bool done(const struct exporter *e, u64 now)
{
	if (e->status)
		return true;
	if (!e->stopping)
		return false;
	if (!e->queued && !e->msg_len && !e->options_due)
		return true;
	return now >= e->drain_until_ms;
}

static void deadline(u64 *next, u64 when)
{
	if (when < *next)
		*next = when;
}

static int timeout(const struct exporter *e, u64 now)
{
	u64 next = now + OPTIONS_MS;

	if (e->fd < 0)
		deadline(&next, e->retry_ms);
	else if (e->queued && !e->msg_len)
		deadline(&next, e->tokens ? oldest_ms(e) + FLUSH_MS : now + 1);
	deadline(&next, e->options_ms + OPTIONS_MS);
	if (e->stopping)
		deadline(&next, e->drain_until_ms);
	return next > now ? next - now : 0;
}

static bool read_signal(int sigfd)
{
	struct signalfd_siginfo si;

	return read(sigfd, &si, sizeof(si)) == sizeof(si);
}

static void loop(struct exporter *e, int sigfd)
{
	struct pollfd pfd[3];
	u64 now;

	for (;;) {
		now = ts_clock_ms(CLOCK_MONOTONIC);
		if (e->fd < 0 && now >= e->retry_ms)
			connect_collector(e, now);
		if (!e->options_due && now - e->options_ms >= OPTIONS_MS)
			e->options_due = true;
		pump(e, now);
		if (done(e, now))
			return;

		pfd[0] = (struct pollfd){ .fd = sigfd, .events = POLLIN };
		pfd[1] = (struct pollfd){
			.fd = e->stopping ? -1 : ts_nl_fd(e->nl),
			.events = POLLIN,
		};
		pfd[2] = (struct pollfd){ .fd = e->fd };
		if (e->connecting || e->msg_len)
			pfd[2].events |= POLLOUT;
		if (e->o->tcp)
			pfd[2].events |= POLLIN;
		if (poll(pfd, 3, timeout(e, now)) < 0 && errno != EINTR) {
			fprintf(stderr, "%s: export: poll: %s\n", TS_PROG,
				strerror(errno));
			e->status = 1;
			return;
		}
		now = ts_clock_ms(CLOCK_MONOTONIC);
		if (pfd[0].revents && read_signal(sigfd)) {
			/* A second signal does not wait for the collector. */
			if (e->stopping)
				e->drain_until_ms = now;
			else
				stop(e, now);
		}
		if (pfd[1].revents)
			read_events(e);
		if (e->fd < 0 || !pfd[2].revents)
			continue;
		if (e->connecting)
			connect_done(e, now);
		else if (e->o->tcp &&
			 pfd[2].revents & (POLLIN | POLLHUP | POLLERR))
			collector_readable(e, now);
		else if (pfd[2].revents & POLLERR)
			clear_error(e);
	}
}

static int resolve_collector(struct exporter *e)
{
	struct addrinfo hints = {
		.ai_socktype = e->o->tcp ? SOCK_STREAM : SOCK_DGRAM,
		.ai_flags = AI_ADDRCONFIG,
	};
	int ret = getaddrinfo(e->o->host, e->o->port, &hints, &e->ai);

	if (ret) {
		fprintf(stderr, "%s: export: cannot resolve %s:%s: %s\n",
			TS_PROG, e->o->host, e->o->port, gai_strerror(ret));
		return -1;
	}
	return 0;
}

int ts_export_run(struct ts_nl *nl, const struct ts_export_opts *o,
		  int sigfd)
{
	struct exporter e = {
		.o = o,
		.nl = nl,
		.fd = -1,
		.backoff_ms = BACKOFF_MIN_MS,
		.msg_max = o->tcp ? TCP_MSG_MAX : UDP_MSG_MAX,
		.tokens = PACE_BURST,
	};
	u64 unsent;

	if (resolve_collector(&e))
		return 1;
	e.queue = calloc(QUEUE_LEN, sizeof(*e.queue));
	e.msg = malloc(e.msg_max);
	if (!e.queue || !e.msg) {
		fprintf(stderr, "%s: export: out of memory\n", TS_PROG);
		e.status = 1;
		goto out;
	}
	/* Best effort: a larger buffer rides out bursts of events. */
	if (!o->rcvbuf)
		ts_nl_set_rcvbuf(nl, EVENT_RCVBUF);
	ts_ipfix_flows_init(&e.flows, FLOWS_MAX);
	e.tokens_ms = ts_clock_ms(CLOCK_MONOTONIC);
	e.options_ms = e.tokens_ms;
	fprintf(stderr, "%s: export: IPFIX to %s:%s over %s, domain %u\n",
		TS_PROG, o->host, o->port, o->tcp ? "TCP" : "UDP", o->domain);
	loop(&e, sigfd);

	unsent = e.queued + (e.msg_len ? e.msg_records : 0) +
		 (e.options_due ? 1 : 0);
	fprintf(stderr,
		"%s: export: sent %llu records in %llu messages; %llu records not sent, %llu events lost\n",
		TS_PROG, (unsigned long long)e.records_sent,
		(unsigned long long)e.messages_sent,
		(unsigned long long)(e.not_sent + unsent),
		(unsigned long long)e.mon.lost);
	if (e.flows.untracked)
		fprintf(stderr,
			"%s: export: %llu interim reports of sessions past %u tracked; their next records repeat counts\n",
			TS_PROG, (unsigned long long)e.flows.untracked,
			FLOWS_MAX);
	ts_ipfix_flows_free(&e.flows);
out:
	if (e.fd >= 0)
		close(e.fd);
	free(e.msg);
	free(e.queue);
	freeaddrinfo(e.ai);
	return e.status;
}
