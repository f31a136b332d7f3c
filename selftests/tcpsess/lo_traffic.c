// SPDX-License-Identifier: GPL-2.0
/*
 * Real TCP over loopback, so that the sessions a test looks at are made by
 * the kernel's own stack and change while it looks. Every socket is
 * non-blocking and every wait short: a test may switch tcpsess to enforce
 * mode and drop segments, and the traffic must then stall, never hang.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lo_traffic.h"

#define WAIT_MS		200
/* Busy enough to outlive the shortest timeouts a test may set. */
#define LONG_PAIRS	32
/* Iterations between two replacements of a long connection. */
#define LONG_LIFE	64
#define PAUSE_US	5000

struct listener {
	int fd;
	int af;
	u16 port;
};

struct pair {
	int c, a;
};

static int lo_up(void)
{
	struct ifreq ifr = {};
	int fd, ret = 0;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	if (ioctl(fd, SIOCGIFFLAGS, &ifr)) {
		ret = -errno;
	} else {
		ifr.ifr_flags |= IFF_UP;
		if (ioctl(fd, SIOCSIFFLAGS, &ifr))
			ret = -errno;
	}
	close(fd);
	return ret;
}

static socklen_t lo_addr(int af, u16 port, struct sockaddr_storage *ss)
{
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;

	memset(ss, 0, sizeof(*ss));
	if (af == AF_INET) {
		sin->sin_family = AF_INET;
		sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		sin->sin_port = htons(port);
		return sizeof(*sin);
	}
	sin6->sin6_family = AF_INET6;
	sin6->sin6_addr = in6addr_loopback;
	sin6->sin6_port = htons(port);
	return sizeof(*sin6);
}

static int tcp_listen(struct listener *l, int af, u16 port)
{
	struct sockaddr_storage ss;
	socklen_t len = lo_addr(af, port, &ss);
	int one = 1, fd, err;

	fd = socket(af, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&ss, len) || listen(fd, 64) ||
	    getsockname(fd, (struct sockaddr *)&ss, &len)) {
		err = -errno;
		close(fd);
		return err;
	}
	l->fd = fd;
	l->af = af;
	l->port = ntohs(af == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port :
					((struct sockaddr_in6 *)&ss)->sin6_port);
	return 0;
}

static bool wait_for(int fd, short events)
{
	struct pollfd pfd = { .fd = fd, .events = events };

	return poll(&pfd, 1, WAIT_MS) == 1 && (pfd.revents & events);
}

static int tcp_connect(int af, u16 port)
{
	struct sockaddr_storage ss;
	socklen_t len = lo_addr(af, port, &ss);
	int fd;

	fd = socket(af, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&ss, len) && errno != EINPROGRESS) {
		close(fd);
		return -1;
	}
	return fd;
}

static int tcp_accept(const struct listener *l)
{
	if (!wait_for(l->fd, POLLIN))
		return -1;
	return accept4(l->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
}

/* Whatever an earlier connection left queued on the listener. */
static void drain_listener(const struct listener *l)
{
	int fd;

	while ((fd = accept4(l->fd, NULL, NULL, SOCK_CLOEXEC)) >= 0)
		close(fd);
}

/* Sends len bytes from one end and reads them at the other, if it can. */
static void exchange(int from, int to, size_t len)
{
	static char buf[2048];

	if (len > sizeof(buf))
		len = sizeof(buf);
	if (wait_for(from, POLLOUT) && send(from, buf, len, MSG_NOSIGNAL) > 0 &&
	    wait_for(to, POLLIN))
		recv(to, buf, sizeof(buf), 0);
}

static void close_with_reset(int fd)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };

	setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	close(fd);
}

/* One short connection, ended in the way n picks. */
static void short_connection(const struct listener *l, unsigned int n)
{
	int c, a;

	if (n % 4 == 3) {
		/* Refused: nothing listens on the next port. */
		c = tcp_connect(l->af, l->port + 1);
		if (c >= 0) {
			wait_for(c, POLLOUT);
			close(c);
		}
		return;
	}
	c = tcp_connect(l->af, l->port);
	if (c < 0)
		return;
	a = tcp_accept(l);
	if (a < 0) {
		close(c);
		return;
	}
	exchange(c, a, 100 + n % 400);
	exchange(a, c, 200);
	switch (n % 4) {
	case 0:
		close(c);
		close(a);
		break;
	case 1:
		close(a);
		close(c);
		break;
	default:
		close_with_reset(c);
		close(a);
		break;
	}
}

static void pair_open(struct pair *p, const struct listener *l)
{
	drain_listener(l);
	p->c = tcp_connect(l->af, l->port);
	p->a = p->c >= 0 ? tcp_accept(l) : -1;
	if (p->a < 0 && p->c >= 0) {
		close(p->c);
		p->c = -1;
	}
}

static void pair_close(struct pair *p)
{
	if (p->c >= 0)
		close(p->c);
	if (p->a >= 0)
		close(p->a);
	p->c = -1;
	p->a = -1;
}

/* Never returns: the test stops it with a signal. */
static void traffic_loop(const struct listener *ls, unsigned int nls)
{
	struct pair pairs[LONG_PAIRS];
	unsigned int n, i;

	for (i = 0; i < LONG_PAIRS; i++)
		pair_open(&pairs[i], &ls[i % nls]);
	for (n = 0;; n++) {
		const struct listener *l = &ls[n % nls];
		struct pair *p = &pairs[n % LONG_PAIRS];

		short_connection(l, n / nls);
		if (p->c >= 0)
			exchange(p->c, p->a, 10);
		if (n % LONG_LIFE == LONG_LIFE - 1) {
			p = &pairs[(n / LONG_LIFE) % LONG_PAIRS];
			pair_close(p);
			pair_open(p, l);
		}
		drain_listener(l);
		usleep(PAUSE_US);
	}
}

pid_t lo_traffic_start(u16 *port)
{
	struct listener ls[2];
	unsigned int nls = 1, i;
	pid_t pid;
	int ret;

	ret = lo_up();
	if (ret)
		return ret;
	ret = tcp_listen(&ls[0], AF_INET, 0);
	if (ret)
		return ret;
	/* Without IPv6 on loopback, IPv4 alone. */
	if (!tcp_listen(&ls[1], AF_INET6, ls[0].port))
		nls = 2;
	*port = ls[0].port;
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		traffic_loop(ls, nls);
		_exit(1);
	}
	if (pid < 0)
		pid = -errno;
	for (i = 0; i < nls; i++)
		close(ls[i].fd);
	return pid;
}

int lo_traffic_stop(pid_t pid)
{
	int status;

	if (kill(pid, SIGTERM))
		return -errno;
	if (waitpid(pid, &status, 0) != pid)
		return -errno;
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM ? 0 : -ECHILD;
}
