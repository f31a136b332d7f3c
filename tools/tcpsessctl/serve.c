// SPDX-License-Identifier: GPL-2.0
/*
 * tcpsessctl metrics --listen: HTTP for a scraper. One client at a time,
 * each given TS_SERVE_CLIENT_MS from its accept to its answer and each
 * answered with fresh stats; nothing is kept between clients, so nothing
 * a client sends can outlast its connection. Prometheus scrapes one
 * target at a time, and stats are cheap: no threads needed.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/signalfd.h>

#include "http.h"
#include "metrics.h"
#include "serve.h"
#include "util.h"

/* What an answer's unread request may still take before the close. */
#define LINGER_MS	1000

/* An error body's type; a metrics body says its own. */
#define TEXT_PLAIN	"text/plain; charset=utf-8"

int ts_listen_parse(const char *text, struct ts_listen *l)
{
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&l->addr;
	struct sockaddr_in *sin = (struct sockaddr_in *)&l->addr;
	const char *colon = strrchr(text, ':');
	char host[INET6_ADDRSTRLEN + 2];
	size_t len;
	u64 port;

	memset(l, 0, sizeof(*l));
	if (!colon || ts_parse_u64(colon + 1, 1, 65535, &port))
		return -1;
	len = colon - text;
	if (len >= sizeof(host))
		return -1;
	memcpy(host, text, len);
	host[len] = '\0';
	if (len > 2 && host[0] == '[' && host[len - 1] == ']') {
		host[len - 1] = '\0';
		if (inet_pton(AF_INET6, host + 1, &sin6->sin6_addr) != 1)
			return -1;
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		l->len = sizeof(*sin6);
		return 0;
	}
	if (inet_pton(AF_INET, host, &sin->sin_addr) != 1)
		return -1;
	sin->sin_family = AF_INET;
	sin->sin_port = htons(port);
	l->len = sizeof(*sin);
	return 0;
}

struct server {
	int fd;			/* listening */
	int sigfd;		/* SIGINT, SIGTERM */
	ts_serve_render render;
	void *data;
};

/*
 * Waits until fd has events or the deadline passes. Returns 1 when it
 * has, 0 on time out (or a failure: the client is given up either way),
 * -1 when a signal says stop.
 */
static int wait_fd(const struct server *srv, int fd, short events,
		   u64 deadline)
{
	struct pollfd pfd[] = {
		{ .fd = fd, .events = events },
		{ .fd = srv->sigfd, .events = POLLIN },
	};
	u64 now;
	int n;

	for (;;) {
		now = ts_clock_ms(CLOCK_MONOTONIC);
		if (now >= deadline)
			return 0;
		n = poll(pfd, ARRAY_SIZE(pfd), deadline - now);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return 0;
		if (pfd[1].revents)
			return -1;
		if (n)
			return 1;
	}
}

static bool transient(int err)
{
	return err == EINTR || err == EAGAIN || err == EWOULDBLOCK;
}

/*
 * Reads until the request can be judged. Returns the status to answer,
 * 0 if the client left or ran out of time, -1 on a signal.
 */
static int read_request(const struct server *srv, int fd, u64 deadline,
			bool *head_only)
{
	char buf[TS_HTTP_HEAD_MAX];
	size_t len = 0;
	ssize_t n;
	int ret;

	while (len < sizeof(buf)) {
		ret = wait_fd(srv, fd, POLLIN, deadline);
		if (ret <= 0)
			return ret;
		n = recv(fd, buf + len, sizeof(buf) - len, 0);
		if (n < 0 && transient(errno))
			continue;
		if (n <= 0)
			return 0;
		len += n;
		ret = ts_http_judge(buf, len, head_only);
		if (ret)
			return ret;
	}
	return 431;		/* the judge says so first */
}

/* Returns 1 when all is sent, 0 if the client is given up, -1 on a signal. */
static int send_all(const struct server *srv, int fd, const char *buf,
		    size_t len, u64 deadline)
{
	ssize_t n;
	int ret;

	while (len) {
		ret = wait_fd(srv, fd, POLLOUT, deadline);
		if (ret <= 0)
			return ret;
		n = send(fd, buf, len, MSG_NOSIGNAL);
		if (n < 0 && transient(errno))
			continue;
		if (n < 0)
			return 0;
		buf += n;
		len -= n;
	}
	return 1;
}

/*
 * The body first, in memory: Content-Length needs its size, and a render
 * that fails must still be able to change the status.
 */
static int answer(const struct server *srv, int fd, int status,
		  bool head_only, u64 deadline)
{
	const char *type = TEXT_PLAIN;
	char *body = NULL, *msg = NULL;
	size_t body_len = 0, msg_len = 0;
	FILE *f;
	int ret;

	f = open_memstream(&body, &body_len);
	if (!f)
		return 0;
	if (status == 200) {
		status = srv->render(f, srv->data);
		if (status == 200)
			type = TS_METRICS_CONTENT_TYPE;
	} else if (status == 404) {
		fprintf(f, "%d %s: try %s\n", status, ts_http_reason(status),
			TS_HTTP_PATH);
	} else {
		fprintf(f, "%d %s\n", status, ts_http_reason(status));
	}
	if (fclose(f)) {
		free(body);
		return 0;
	}
	f = open_memstream(&msg, &msg_len);
	if (!f) {
		free(body);
		return 0;
	}
	ts_http_response_head(f, status, type, body_len);
	if (!head_only)
		fwrite(body, 1, body_len, f);
	free(body);
	ret = fclose(f) ? 0 : send_all(srv, fd, msg, msg_len, deadline);
	free(msg);
	return ret;
}

/*
 * A close with bytes unread would reset the connection, and the reset
 * could reach the client before it has read the answer: say we are done,
 * then read what it still sends, for a little while.
 */
static int linger(const struct server *srv, int fd, u64 deadline)
{
	u64 until = ts_clock_ms(CLOCK_MONOTONIC) + LINGER_MS;
	char junk[4096];
	ssize_t n;
	int ret;

	shutdown(fd, SHUT_WR);
	for (;;) {
		ret = wait_fd(srv, fd, POLLIN, until < deadline ? until : deadline);
		if (ret <= 0)
			return ret;
		n = recv(fd, junk, sizeof(junk), 0);
		if (n < 0 && transient(errno))
			continue;
		if (n <= 0)
			return 0;
	}
}

/* Returns -1 if a signal came meanwhile, else 0. */
static int serve_client(const struct server *srv, int fd)
{
	u64 deadline = ts_clock_ms(CLOCK_MONOTONIC) + TS_SERVE_CLIENT_MS;
	bool head_only;
	int ret;

	ret = read_request(srv, fd, deadline, &head_only);
	if (ret > 0)
		ret = answer(srv, fd, ret, head_only, deadline);
	if (ret > 0)
		ret = linger(srv, fd, deadline);
	return ret < 0 ? -1 : 0;
}

static void describe(const struct ts_listen *l, char *buf, size_t len)
{
	const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)&l->addr;
	const struct sockaddr_in *sin = (const struct sockaddr_in *)&l->addr;
	char addr[INET6_ADDRSTRLEN];

	if (l->addr.ss_family == AF_INET6) {
		inet_ntop(AF_INET6, &sin6->sin6_addr, addr, sizeof(addr));
		snprintf(buf, len, "[%s]:%u", addr, ntohs(sin6->sin6_port));
	} else {
		inet_ntop(AF_INET, &sin->sin_addr, addr, sizeof(addr));
		snprintf(buf, len, "%s:%u", addr, ntohs(sin->sin_port));
	}
}

static int listen_on(const struct ts_listen *l)
{
	int fd, one = 1;

	fd = socket(l->addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC |
		    SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	/* A restart must not wait for the last run's TIME_WAIT to pass. */
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, (const struct sockaddr *)&l->addr, l->len) ||
	    listen(fd, 16)) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * Between clients: only a signal stops the server, with 0, or a poll()
 * that fails for good, with -errno.
 */
static int serve_loop(struct server *srv)
{
	struct pollfd pfd[] = {
		{ .fd = srv->fd, .events = POLLIN },
		{ .fd = srv->sigfd, .events = POLLIN },
	};
	bool stop;
	int fd;

	for (;;) {
		if (poll(pfd, ARRAY_SIZE(pfd), -1) < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (pfd[1].revents)
			return 0;
		if (!(pfd[0].revents & POLLIN))
			continue;
		fd = accept4(srv->fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
		if (fd < 0) {
			/* Out of descriptors: let the backlog wait a little. */
			if (errno == EMFILE || errno == ENFILE ||
			    errno == ENOBUFS || errno == ENOMEM)
				poll(&pfd[1], 1, 100);
			continue;
		}
		/* A signal may have come while the client was served. */
		stop = serve_client(srv, fd) < 0;
		close(fd);
		if (stop)
			return 0;
	}
}

int ts_serve(const struct ts_listen *l, ts_serve_render render, void *data)
{
	struct server srv = { .render = render, .data = data };
	char where[INET6_ADDRSTRLEN + 8];
	sigset_t stop;
	int err;

	describe(l, where, sizeof(where));
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	sigprocmask(SIG_BLOCK, &stop, NULL);
	srv.sigfd = signalfd(-1, &stop, SFD_CLOEXEC);
	if (srv.sigfd < 0) {
		fprintf(stderr, "%s: signalfd: %s\n", TS_PROG, strerror(errno));
		return 1;
	}
	srv.fd = listen_on(l);
	if (srv.fd < 0) {
		err = errno;
		fprintf(stderr, "%s: cannot listen on %s: %s\n", TS_PROG, where,
			strerror(err));
		close(srv.sigfd);
		return 1;
	}
	fprintf(stderr, "%s: serving http://%s%s\n", TS_PROG, where,
		TS_HTTP_PATH);
	err = serve_loop(&srv);
	if (err)
		fprintf(stderr, "%s: serving: %s\n", TS_PROG, strerror(-err));
	close(srv.fd);
	close(srv.sigfd);
	return err ? 1 : 0;
}
