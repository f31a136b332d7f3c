// SPDX-License-Identifier: GPL-2.0
/*
 * tcppeer - real TCP endpoints whose opening and closing is scripted.
 *
 * The tracker must be shown real kernel TCP, not only crafted segments, and
 * the interesting part is who closes first and how: FIN from either side,
 * half-close, RST. Each mode below pins down that order with the socket
 * calls that cause it, and every wait is bounded so a test never hangs.
 *
 * Exit status: 0 success, 1 runtime failure (including "timeout"),
 * 2 usage error, 3 connection refused, 4 connection reset by the peer.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/sockios.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "kselftest.h"	/* only for __printf, __noreturn and ARRAY_SIZE */
#include "tool.h"

#define EXIT_RUNTIME	1
#define EXIT_REFUSED	3
#define EXIT_RESET	4

#define BUF_SIZE	65536

enum role { ROLE_SERVER, ROLE_CLIENT };

enum mode {
	/* server */
	MODE_SINK, MODE_ECHO, MODE_SEND, MODE_HALFCLOSE, MODE_RST, MODE_HOLD,
	/* client, besides halfclose and rst */
	MODE_FIN, MODE_WAIT,
};

struct opts {
	enum role role;
	int family;			/* AF_UNSPEC: from the address */
	const char *addr;
	const char *bind_addr;
	unsigned int port;
	int sport;			/* -1: any */
	unsigned long count;
	unsigned long repeat;
	enum mode mode;
	unsigned long long bytes;	/* server --bytes, client --send */
	unsigned long long recv;
	bool have_recv;
	int timeout_ms;
	int hold_ms;
	int close_delay_ms;
	const char *ready_file;
	bool verbose;
};

const char *prog = "tcppeer";
static char buf[BUF_SIZE];

static void print_help(FILE *f)
{
	fprintf(f,
		"Usage: %s server [-6] [-l ADDR] -p PORT [--count N] [--mode MODE] [--bytes N]\n"
		"                      [--hold-ms MS] [--close-delay-ms MS] [--ready-file PATH]\n"
		"                      [--timeout-ms MS] [-v]\n"
		"       %s client [-6] -c ADDR -p PORT [--bind ADDR] [--sport P] [--send N]\n"
		"                      [--recv N] [--close MODE] [--close-delay-ms MS]\n"
		"                      [--ready-file PATH] [--timeout-ms MS] [--repeat N] [-v]\n"
		"\n"
		"server: listens on ADDR (default: any) and PORT, accepts N connections (default 1)\n"
		"one after the other, treats each per MODE, then exits.\n"
		"  sink       read until EOF, then close (default)\n"
		"  echo       echo until EOF, then close\n"
		"  send       send --bytes N, close first (FIN), then read until EOF\n"
		"  halfclose  read until the client's FIN, then send --bytes N, then close\n"
		"  rst        wait for data or EOF, read once, then abort with RST\n"
		"  hold       read until EOF, keep the socket open --hold-ms MS (default 1000)\n"
		"  --ready-file PATH  create PATH (empty) once listening\n"
		"  --close-delay-ms MS  in send mode, wait MS between the data and the FIN\n"
		"\n"
		"client: connects to ADDR and PORT, sends --send N bytes, reads --recv N bytes\n"
		"exactly (if given), then closes per MODE. --repeat N runs this N times in turn.\n"
		"  fin        shutdown(SHUT_WR), read until EOF, close: client closes first (default)\n"
		"  wait       read until the server's EOF, then close: server closes first\n"
		"  halfclose  shutdown(SHUT_WR), then read --recv N bytes and EOF, then close\n"
		"  rst        wait until the peer acknowledged all sent data, close with RST\n"
		"  --close-delay-ms MS  wait MS after the data, before closing per MODE\n"
		"  --bind ADDR  local address;  --sport P  local port (with SO_REUSEADDR). After\n"
		"               'fin' the client holds TIME_WAIT: Linux lets a bound connect take\n"
		"               it over only if TCP timestamps were on (EADDRNOTAVAIL otherwise)\n"
		"  --ready-file PATH  create PATH (empty) once --send and (but for halfclose)\n"
		"               --recv are done, before closing: a test then knows the exchange\n"
		"               happened even while a close that waits for the peer hangs on\n"
		"\n"
		"Both: -6 makes ADDR IPv6 (also implied by a ':' in ADDR). --timeout-ms MS\n"
		"(default 10000) bounds accept, connect and every single read and write. -v prints\n"
		"each connection's endpoints and byte counts to stdout.\n"
		"\n"
		"Exit status: 0 success, 1 runtime failure (message says \"timeout\" for a timeout),\n"
		"2 usage error, 3 connection refused (message says \"refused\"), 4 connection reset\n"
		"by the peer (the server still serves all --count connections first).\n",
		prog, prog);
}

/* Reports errno for what failed; returns the exit status it stands for. */
static int __printf(1, 2) report(const char *fmt, ...)
{
	int err = errno, ret = EXIT_RUNTIME;
	const char *why = strerror(err);
	va_list ap;

	switch (err) {
	case ETIMEDOUT:
		why = "timeout";
		break;
	case ECONNREFUSED:
		why = "refused";
		ret = EXIT_REFUSED;
		break;
	case ECONNRESET:
	case EPIPE:
		why = "reset by peer";
		ret = EXIT_RESET;
		break;
	}
	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s\n", why);
	return ret;
}

static int parse_ull(const char *s, unsigned long long max, unsigned long long *out)
{
	unsigned long long v;
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v > max)
		return -1;
	*out = v;
	return 0;
}

static unsigned long long opt_num(const char *name, const char *s, unsigned long long min,
				  unsigned long long max)
{
	unsigned long long v;

	if (parse_ull(s, max, &v) || v < min)
		usage_error("%s %s: expected a number from %llu to %llu", name, s, min, max);
	return v;
}

static int parse_mode(enum role role, const char *s)
{
	static const struct {
		const char *name;
		enum mode mode;
		bool server, client;
	} modes[] = {
		{ "sink",	MODE_SINK,	true,	false },
		{ "echo",	MODE_ECHO,	true,	false },
		{ "send",	MODE_SEND,	true,	false },
		{ "halfclose",	MODE_HALFCLOSE,	true,	true },
		{ "rst",	MODE_RST,	true,	true },
		{ "hold",	MODE_HOLD,	true,	false },
		{ "fin",	MODE_FIN,	false,	true },
		{ "wait",	MODE_WAIT,	false,	true },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(modes); i++)
		if (!strcmp(s, modes[i].name) &&
		    (role == ROLE_SERVER ? modes[i].server : modes[i].client))
			return modes[i].mode;
	if (role == ROLE_SERVER)
		usage_error("--mode %s: expected sink, echo, send, halfclose, rst or hold", s);
	usage_error("--close %s: expected fin, wait, halfclose or rst", s);
}

/* Numeric only: a test names its addresses, and DNS must never stall it. */
static void resolve(const struct opts *o, const char *addr, unsigned int port,
		    struct sockaddr_storage *ss, socklen_t *len)
{
	struct addrinfo hints = {
		.ai_family = o->family,
		.ai_socktype = SOCK_STREAM,
		.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE,
	};
	struct addrinfo *res;
	char service[8];
	int err;

	snprintf(service, sizeof(service), "%u", port);
	err = getaddrinfo(addr, service, &hints, &res);
	if (err)
		usage_error("address %s: %s", addr ? addr : "(any)", gai_strerror(err));
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*len = res->ai_addrlen;
	freeaddrinfo(res);
}

static const char *name_of(const struct sockaddr_storage *ss, char *out, size_t size)
{
	char host[NI_MAXHOST], serv[NI_MAXSERV];

	if (getnameinfo((const struct sockaddr *)ss, sizeof(*ss), host, sizeof(host), serv,
			sizeof(serv), NI_NUMERICHOST | NI_NUMERICSERV))
		snprintf(out, size, "?");
	else if (ss->ss_family == AF_INET6)
		snprintf(out, size, "[%s]:%s", host, serv);
	else
		snprintf(out, size, "%s:%s", host, serv);
	return out;
}

static int set_int(int fd, int level, int name, int val, const char *what)
{
	if (setsockopt(fd, level, name, &val, sizeof(val)))
		return report("setsockopt %s", what);
	return 0;
}

/* Returns 0 when fd is ready, else -1 with errno (ETIMEDOUT after timeout_ms). */
static int wait_fd(int fd, short events, int timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = events };
	int n;

	do {
		n = poll(&pfd, 1, timeout_ms);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -1;
	if (n == 0) {
		errno = ETIMEDOUT;
		return -1;
	}
	/* POLLERR and POLLHUP: the next call on fd reports what happened. */
	return 0;
}

/* One read of up to size bytes: >0 bytes, 0 EOF, -1 error with errno. */
static ssize_t read_some(int fd, void *p, size_t size, int timeout_ms)
{
	ssize_t n;

	for (;;) {
		if (wait_fd(fd, POLLIN, timeout_ms))
			return -1;
		n = recv(fd, p, size, 0);
		if (n >= 0 || (errno != EAGAIN && errno != EINTR))
			return n;
	}
}

static int write_all(int fd, const char *p, size_t len, int timeout_ms)
{
	ssize_t n;

	while (len) {
		if (wait_fd(fd, POLLOUT, timeout_ms))
			return -1;
		n = send(fd, p, len, MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= n;
	}
	return 0;
}

/* Sends count bytes of a recognisable pattern. */
static int send_bytes(int fd, unsigned long long count, int timeout_ms)
{
	static char pattern[BUF_SIZE];
	size_t chunk;

	if (!pattern[0]) {
		size_t i;

		for (i = 0; i < sizeof(pattern); i++)
			pattern[i] = 'a' + i % 26;
	}
	while (count) {
		chunk = count < sizeof(pattern) ? count : sizeof(pattern);
		if (write_all(fd, pattern, chunk, timeout_ms))
			return -1;
		count -= chunk;
	}
	return 0;
}

/* Reads exactly count bytes; an early EOF fails with EPROTO. */
static int read_exact(int fd, unsigned long long count, unsigned long long *got, int timeout_ms)
{
	ssize_t n;

	while (count) {
		n = read_some(fd, buf, count < sizeof(buf) ? count : sizeof(buf), timeout_ms);
		if (n < 0)
			return -1;
		if (n == 0) {
			errno = EPROTO;
			return -1;
		}
		*got += n;
		count -= n;
	}
	return 0;
}

static int read_to_eof(int fd, unsigned long long *got, int timeout_ms)
{
	ssize_t n;

	while ((n = read_some(fd, buf, sizeof(buf), timeout_ms)) > 0)
		*got += n;
	return n;
}

/*
 * Without this, a close with RST right after send() would discard whatever
 * is still queued, and the peer would see a reset with no data before it.
 */
static int wait_acked(int fd, int timeout_ms)
{
	struct timespec step = { .tv_nsec = 1000000 };
	int waited = 0, outq;

	for (;;) {
		if (ioctl(fd, SIOCOUTQ, &outq))
			return -1;
		if (!outq)
			return 0;
		if (waited++ >= timeout_ms) {
			errno = ETIMEDOUT;
			return -1;
		}
		nanosleep(&step, NULL);
	}
}

static int abort_rst(int fd)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };

	if (setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)))
		return -1;
	return close(fd);
}

static int create_ready_file(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0 || close(fd))
		return report("ready file %s", path);
	return 0;
}

/* Treats one accepted connection and closes it; returns an exit status. */
static int serve(const struct opts *o, int fd, unsigned long idx, const char *peer)
{
	unsigned long long got = 0, sent = 0;
	const char *step = "read";
	ssize_t n;
	int ret;

	switch (o->mode) {
	case MODE_SINK:
		if (read_to_eof(fd, &got, o->timeout_ms))
			goto fail;
		break;
	case MODE_ECHO:
		while ((n = read_some(fd, buf, sizeof(buf), o->timeout_ms)) > 0) {
			got += n;
			step = "echo";
			if (write_all(fd, buf, n, o->timeout_ms))
				goto fail;
			sent += n;
			step = "read";
		}
		if (n < 0)
			goto fail;
		break;
	case MODE_SEND:
		step = "send";
		if (send_bytes(fd, o->bytes, o->timeout_ms))
			goto fail;
		sent = o->bytes;
		sleep_ms(o->close_delay_ms);
		step = "shutdown";
		if (shutdown(fd, SHUT_WR))
			goto fail;
		step = "read";
		if (read_to_eof(fd, &got, o->timeout_ms))
			goto fail;
		break;
	case MODE_HALFCLOSE:
		if (read_to_eof(fd, &got, o->timeout_ms))
			goto fail;
		step = "send";
		if (send_bytes(fd, o->bytes, o->timeout_ms))
			goto fail;
		sent = o->bytes;
		break;
	case MODE_RST:
		n = read_some(fd, buf, sizeof(buf), o->timeout_ms);
		if (n < 0)
			goto fail;
		got = n;
		step = "close with RST";
		if (abort_rst(fd)) {
			fd = -1;
			goto fail;
		}
		fd = -1;
		break;
	case MODE_HOLD:
		if (read_to_eof(fd, &got, o->timeout_ms))
			goto fail;
		sleep_ms(o->hold_ms);
		break;
	default:
		abort();
	}
	if (fd >= 0 && close(fd)) {
		fd = -1;
		step = "close";
		goto fail;
	}
	if (o->verbose)
		printf("connection %lu from %s: received %llu sent %llu\n", idx, peer, got, sent);
	return 0;

fail:
	ret = report("connection %lu from %s: %s", idx, peer, step);
	if (fd >= 0)
		close(fd);
	return ret;
}

static int run_server(const struct opts *o)
{
	struct sockaddr_storage ss, peer;
	char name[NI_MAXHOST + NI_MAXSERV + 4];
	int lfd, fd, ret, worst = 0;
	socklen_t len;
	unsigned long i;

	resolve(o, o->addr, o->port, &ss, &len);
	lfd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (lfd < 0)
		return report("socket");
	if (set_int(lfd, SOL_SOCKET, SO_REUSEADDR, 1, "SO_REUSEADDR"))
		return EXIT_RUNTIME;
	/* A listener on :: must not take the IPv4 connections of another test. */
	if (ss.ss_family == AF_INET6 &&
	    set_int(lfd, IPPROTO_IPV6, IPV6_V6ONLY, 1, "IPV6_V6ONLY"))
		return EXIT_RUNTIME;
	if (bind(lfd, (struct sockaddr *)&ss, len))
		return report("bind %s", name_of(&ss, name, sizeof(name)));
	if (listen(lfd, o->count < SOMAXCONN ? o->count : SOMAXCONN))
		return report("listen");
	if (o->verbose) {
		printf("listening on %s\n", name_of(&ss, name, sizeof(name)));
		fflush(stdout);
	}
	if (o->ready_file && create_ready_file(o->ready_file))
		return EXIT_RUNTIME;

	for (i = 1; i <= o->count; i++) {
		if (wait_fd(lfd, POLLIN, o->timeout_ms))
			return report("accept (connection %lu of %lu)", i, o->count);
		len = sizeof(peer);
		fd = accept4(lfd, (struct sockaddr *)&peer, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			/* The connection may have been reset while queued. */
			if (errno == EAGAIN || errno == ECONNABORTED || errno == EINTR) {
				i--;
				continue;
			}
			return report("accept");
		}
		name_of(&peer, name, sizeof(name));
		if (o->verbose) {
			printf("connection %lu from %s\n", i, name);
			fflush(stdout);
		}
		ret = serve(o, fd, i, name);
		if (o->verbose)
			fflush(stdout);
		if (ret == EXIT_RESET)
			worst = ret;
		else if (ret)
			return ret;
	}
	close(lfd);
	return worst;
}

/* One whole client connection; returns an exit status. */
static int run_client_once(const struct opts *o, unsigned long idx)
{
	char local_name[NI_MAXHOST + NI_MAXSERV + 4], remote_name[sizeof(local_name)];
	unsigned long long got = 0;
	struct sockaddr_storage remote, local;
	const char *step = "connect";
	socklen_t rlen, llen;
	int fd, err, ret;

	resolve(o, o->addr, o->port, &remote, &rlen);
	name_of(&remote, remote_name, sizeof(remote_name));
	fd = socket(remote.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return report("socket");

	if (o->bind_addr || o->sport >= 0) {
		struct opts any = *o;

		any.family = remote.ss_family;
		resolve(&any, o->bind_addr, o->sport >= 0 ? o->sport : 0, &local, &llen);
		if (o->sport >= 0 && set_int(fd, SOL_SOCKET, SO_REUSEADDR, 1, "SO_REUSEADDR")) {
			close(fd);
			return EXIT_RUNTIME;
		}
		if (bind(fd, (struct sockaddr *)&local, llen)) {
			ret = report("bind %s", name_of(&local, local_name, sizeof(local_name)));
			close(fd);
			return ret;
		}
	}

	if (connect(fd, (struct sockaddr *)&remote, rlen)) {
		if (errno != EINPROGRESS)
			goto fail;
		if (wait_fd(fd, POLLOUT, o->timeout_ms))
			goto fail;
		llen = sizeof(err);
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &llen))
			goto fail;
		if (err) {
			errno = err;
			goto fail;
		}
	}
	llen = sizeof(local);
	if (getsockname(fd, (struct sockaddr *)&local, &llen))
		goto fail;
	name_of(&local, local_name, sizeof(local_name));
	if (o->verbose) {
		printf("connected %s -> %s\n", local_name, remote_name);
		fflush(stdout);
	}

	step = "send";
	if (send_bytes(fd, o->bytes, o->timeout_ms))
		goto fail;
	step = "receive";
	if (o->have_recv && o->mode != MODE_HALFCLOSE &&
	    read_exact(fd, o->recv, &got, o->timeout_ms))
		goto fail;

	if (o->ready_file && create_ready_file(o->ready_file)) {
		close(fd);
		return EXIT_RUNTIME;
	}

	sleep_ms(o->close_delay_ms);
	switch (o->mode) {
	case MODE_FIN:
		step = "shutdown";
		if (shutdown(fd, SHUT_WR))
			goto fail;
		step = "read until EOF";
		if (read_to_eof(fd, &got, o->timeout_ms))
			goto fail;
		break;
	case MODE_WAIT:
		step = "read until EOF";
		if (read_to_eof(fd, &got, o->timeout_ms))
			goto fail;
		break;
	case MODE_HALFCLOSE:
		step = "shutdown";
		if (shutdown(fd, SHUT_WR))
			goto fail;
		step = "receive";
		if (o->have_recv && read_exact(fd, o->recv, &got, o->timeout_ms))
			goto fail;
		step = "read until EOF";
		if (read_to_eof(fd, &got, o->timeout_ms))
			goto fail;
		break;
	case MODE_RST:
		step = "wait for the peer to acknowledge";
		if (wait_acked(fd, o->timeout_ms))
			goto fail;
		step = "close with RST";
		err = abort_rst(fd);
		fd = -1;
		if (err)
			goto fail;
		break;
	default:
		abort();
	}
	step = "close";
	if (fd >= 0) {
		err = close(fd);
		fd = -1;
		if (err)
			goto fail;
	}
	if (o->verbose)
		printf("closed %s -> %s: sent %llu received %llu\n", local_name, remote_name,
		       o->bytes, got);
	return 0;

fail:
	if (errno == EPROTO) {
		fprintf(stderr, "%s: connection %lu to %s: %s: EOF after %llu of %llu bytes\n",
			prog, idx, remote_name, step, got, o->recv);
		ret = EXIT_RUNTIME;
	} else {
		ret = report("connection %lu to %s: %s", idx, remote_name, step);
	}
	if (fd >= 0)
		close(fd);
	return ret;
}

static int run_client(const struct opts *o)
{
	unsigned long i;
	int ret;

	for (i = 1; i <= o->repeat; i++) {
		ret = run_client_once(o, i);
		if (o->verbose)
			fflush(stdout);
		if (ret)
			return ret;
	}
	return 0;
}

int main(int argc, char **argv)
{
	enum {
		OPT_COUNT = 256, OPT_MODE, OPT_BYTES, OPT_READY, OPT_HOLD, OPT_TIMEOUT,
		OPT_BIND, OPT_SPORT, OPT_SEND, OPT_RECV, OPT_CLOSE, OPT_REPEAT,
		OPT_CLOSE_DELAY,
	};
	static const struct option server_opts[] = {
		{ "listen",	required_argument,	NULL, 'l' },
		{ "port",	required_argument,	NULL, 'p' },
		{ "count",	required_argument,	NULL, OPT_COUNT },
		{ "mode",	required_argument,	NULL, OPT_MODE },
		{ "bytes",	required_argument,	NULL, OPT_BYTES },
		{ "hold-ms",	required_argument,	NULL, OPT_HOLD },
		{ "close-delay-ms", required_argument,	NULL, OPT_CLOSE_DELAY },
		{ "ready-file",	required_argument,	NULL, OPT_READY },
		{ "timeout-ms",	required_argument,	NULL, OPT_TIMEOUT },
		{ "verbose",	no_argument,		NULL, 'v' },
		{ "help",	no_argument,		NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	static const struct option client_opts[] = {
		{ "connect",	required_argument,	NULL, 'c' },
		{ "port",	required_argument,	NULL, 'p' },
		{ "bind",	required_argument,	NULL, OPT_BIND },
		{ "sport",	required_argument,	NULL, OPT_SPORT },
		{ "send",	required_argument,	NULL, OPT_SEND },
		{ "recv",	required_argument,	NULL, OPT_RECV },
		{ "close",	required_argument,	NULL, OPT_CLOSE },
		{ "close-delay-ms", required_argument,	NULL, OPT_CLOSE_DELAY },
		{ "timeout-ms",	required_argument,	NULL, OPT_TIMEOUT },
		{ "repeat",	required_argument,	NULL, OPT_REPEAT },
		{ "ready-file",	required_argument,	NULL, OPT_READY },
		{ "verbose",	no_argument,		NULL, 'v' },
		{ "help",	no_argument,		NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct opts o = {
		.family = AF_UNSPEC,
		.sport = -1,
		.count = 1,
		.repeat = 1,
		.timeout_ms = 10000,
		.hold_ms = 1000,
	};
	bool have_port = false, v6 = false;
	const char *cmd = argc > 1 ? argv[1] : NULL;
	char self[32];
	int c;

	if (!cmd)
		usage_error("missing command: server or client");
	if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help")) {
		print_help(stdout);
		return 0;
	}
	if (!strcmp(cmd, "server")) {
		o.role = ROLE_SERVER;
		o.mode = MODE_SINK;
	} else if (!strcmp(cmd, "client")) {
		o.role = ROLE_CLIENT;
		o.mode = MODE_FIN;
	} else {
		usage_error("unknown command '%s': expected server or client", cmd);
	}

	/* getopt names argv[0] in its messages; make that "tcppeer client". */
	snprintf(self, sizeof(self), "%s %s", prog, cmd);
	argv++;
	argc--;
	argv[0] = self;
	while ((c = getopt_long(argc, argv, o.role == ROLE_SERVER ? "6l:p:vh" : "6c:p:vh",
				o.role == ROLE_SERVER ? server_opts : client_opts, NULL)) != -1) {
		switch (c) {
		case '6':
			v6 = true;
			break;
		case 'l':
		case 'c':
			o.addr = optarg;
			break;
		case 'p':
			o.port = opt_num("-p", optarg, 1, 65535);
			have_port = true;
			break;
		case OPT_COUNT:
			o.count = opt_num("--count", optarg, 1, 1000000);
			break;
		case OPT_MODE:
			o.mode = parse_mode(ROLE_SERVER, optarg);
			break;
		case OPT_BYTES:
		case OPT_SEND:
			o.bytes = opt_num(c == OPT_SEND ? "--send" : "--bytes", optarg, 0,
					  1ULL << 40);
			break;
		case OPT_HOLD:
			o.hold_ms = opt_num("--hold-ms", optarg, 0, 3600000);
			break;
		case OPT_CLOSE_DELAY:
			o.close_delay_ms = opt_num("--close-delay-ms", optarg, 0, 3600000);
			break;
		case OPT_READY:
			o.ready_file = optarg;
			break;
		case OPT_TIMEOUT:
			o.timeout_ms = opt_num("--timeout-ms", optarg, 1, 3600000);
			break;
		case OPT_BIND:
			o.bind_addr = optarg;
			break;
		case OPT_SPORT:
			o.sport = opt_num("--sport", optarg, 1, 65535);
			break;
		case OPT_RECV:
			o.recv = opt_num("--recv", optarg, 0, 1ULL << 40);
			o.have_recv = true;
			break;
		case OPT_CLOSE:
			o.mode = parse_mode(ROLE_CLIENT, optarg);
			break;
		case OPT_REPEAT:
			o.repeat = opt_num("--repeat", optarg, 1, 1000000);
			break;
		case 'v':
			o.verbose = true;
			break;
		case 'h':
			print_help(stdout);
			return 0;
		default:
			fprintf(stderr, "Try '%s --help'.\n", prog);
			return EXIT_USAGE;
		}
	}
	if (optind < argc)
		usage_error("unexpected argument '%s'", argv[optind]);
	if (!have_port)
		usage_error("-p PORT is required");
	if (o.role == ROLE_CLIENT && !o.addr)
		usage_error("-c ADDR is required");
	/* Without -6 or an address, a server listens on IPv4's any address. */
	o.family = v6 || (o.addr && strchr(o.addr, ':')) ? AF_INET6 : AF_INET;

	/* A peer's reset must come back as EPIPE/ECONNRESET, not kill us. */
	signal(SIGPIPE, SIG_IGN);
	return o.role == ROLE_SERVER ? run_server(&o) : run_client(&o);
}
