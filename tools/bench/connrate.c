// SPDX-License-Identifier: GPL-2.0
/*
 * connrate - how many short TCP connections per second one host pair makes.
 *
 * Each connection is the whole life a tracker follows: handshake, a close
 * by the server, the client's close, the last ACK. The server closes first
 * so that TIME_WAIT lands on its side: client ports come free at once, and
 * a long run never stalls on port exhaustion. Several client processes run
 * at once so that both CPUs stay busy and the rate measures work done, not
 * wake-up latency. Each connection leaves from a source port of its own, so
 * no tuple is used twice in a run and every connection is a new session to
 * a tracker (the kernel's own choice of port may come back to one).
 *
 * Exit status: 0 success, 1 runtime failure, 2 usage error.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdnoreturn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define EXIT_RUNTIME	1
#define EXIT_USAGE	2

#define MAX_WORKERS	64
/* A lost SYN under a loaded emulator must fail a run, not hang it. */
#define IO_TIMEOUT_S	10

struct opts {
	bool server;
	const char *addr;
	unsigned int port;
	unsigned long count;
	unsigned int workers;
	unsigned int sport_base;
	const char *ready_file;
};

union sockaddr_any {
	struct sockaddr sa;
	struct sockaddr_in in;
	struct sockaddr_in6 in6;
};

static const char *prog = "connrate";

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s server -a ADDR -p PORT [--ready-file PATH]\n"
		"       %s client -a ADDR -p PORT -n COUNT [-j WORKERS] [-s SPORT]\n"
		"\n"
		"server: accepts connections on ADDR:PORT and closes each at once,\n"
		"until killed; creates PATH once it listens.\n"
		"client: makes COUNT connections to ADDR:PORT, WORKERS (default 4)\n"
		"at a time, each waiting for the server's close, from source ports\n"
		"SPORT (default 10000) up, one each; then prints\n"
		"\"connections N seconds S rate R\".\n",
		prog, prog);
}

static noreturn void die_usage(const char *msg)
{
	fprintf(stderr, "%s: %s\n", prog, msg);
	usage(stderr);
	exit(EXIT_USAGE);
}

static noreturn void die_errno(const char *what)
{
	fprintf(stderr, "%s: %s: %s\n", prog, what, strerror(errno));
	exit(EXIT_RUNTIME);
}

static unsigned long parse_ulong(const char *s, unsigned long max,
				 const char *what)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v > max) {
		fprintf(stderr, "%s: bad %s '%s'\n", prog, what, s);
		exit(EXIT_USAGE);
	}
	return v;
}

static socklen_t resolve(const char *addr, unsigned int port,
			 union sockaddr_any *sa)
{
	memset(sa, 0, sizeof(*sa));
	if (inet_pton(AF_INET, addr, &sa->in.sin_addr) == 1) {
		sa->in.sin_family = AF_INET;
		sa->in.sin_port = htons(port);
		return sizeof(sa->in);
	}
	if (inet_pton(AF_INET6, addr, &sa->in6.sin6_addr) == 1) {
		sa->in6.sin6_family = AF_INET6;
		sa->in6.sin6_port = htons(port);
		return sizeof(sa->in6);
	}
	die_usage("ADDR must be a numeric IPv4 or IPv6 address");
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int run_server(const struct opts *o)
{
	union sockaddr_any sa;
	socklen_t len = resolve(o->addr, o->port, &sa);
	int one = 1, fd, conn;

	fd = socket(sa.sa.sa_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		die_errno("socket");
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)))
		die_errno("SO_REUSEADDR");
	if (bind(fd, &sa.sa, len))
		die_errno("bind");
	if (listen(fd, 4096))
		die_errno("listen");
	if (o->ready_file) {
		int rfd = open(o->ready_file, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);

		if (rfd < 0)
			die_errno("ready file");
		close(rfd);
	}
	for (;;) {
		conn = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
		if (conn >= 0) {
			close(conn);
			continue;
		}
		/* A client that gave up before we accepted is not our failure. */
		if (errno != EINTR && errno != ECONNABORTED)
			die_errno("accept");
	}
}

/* One connection: open from SPORT, wait for the server's close, close. */
static int one_connection(const union sockaddr_any *sa, socklen_t len,
			  unsigned int sport)
{
	struct timeval tv = { .tv_sec = IO_TIMEOUT_S };
	union sockaddr_any local;
	char byte;
	ssize_t n;
	int fd;

	memset(&local, 0, sizeof(local));
	local.sa.sa_family = sa->sa.sa_family;
	/* The port field sits at the same place for both families. */
	local.in.sin_port = htons(sport);
	fd = socket(sa->sa.sa_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) ||
	    bind(fd, &local.sa, len) ||
	    connect(fd, &sa->sa, len))
		goto fail;
	do
		n = read(fd, &byte, 1);
	while (n < 0 && errno == EINTR);
	if (n != 0) {
		if (n > 0)
			errno = EPROTO;
		goto fail;
	}
	close(fd);
	return 0;
fail:
	n = errno;
	close(fd);
	errno = n;
	return -1;
}

/* Worker W of N takes every Nth port from FIRST + W. */
static noreturn void worker(const union sockaddr_any *sa, socklen_t len,
			    unsigned long count, unsigned int first,
			    unsigned int stride)
{
	unsigned long i;

	for (i = 0; i < count; i++) {
		if (one_connection(sa, len, first + i * stride)) {
			fprintf(stderr, "%s: connection %lu of %lu: %s\n", prog,
				i + 1, count, strerror(errno));
			_exit(EXIT_RUNTIME);
		}
	}
	_exit(0);
}

static int run_client(const struct opts *o)
{
	union sockaddr_any sa;
	socklen_t len = resolve(o->addr, o->port, &sa);
	pid_t pids[MAX_WORKERS];
	unsigned int i, started = 0;
	int status, ret = 0;
	double t0, t1;

	t0 = now();
	for (i = 0; i < o->workers; i++) {
		unsigned long share = o->count / o->workers +
				      (i < o->count % o->workers);

		pids[i] = fork();
		if (pids[i] < 0) {
			perror("fork");
			ret = EXIT_RUNTIME;
			break;
		}
		if (pids[i] == 0)
			worker(&sa, len, share, o->sport_base + i, o->workers);
		started++;
	}
	for (i = 0; i < started; i++) {
		if (waitpid(pids[i], &status, 0) < 0 || !WIFEXITED(status) ||
		    WEXITSTATUS(status))
			ret = EXIT_RUNTIME;
	}
	t1 = now();
	if (ret)
		return ret;
	printf("connections %lu seconds %.6f rate %.1f\n", o->count, t1 - t0,
	       o->count / (t1 - t0));
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "addr", required_argument, NULL, 'a' },
		{ "port", required_argument, NULL, 'p' },
		{ "count", required_argument, NULL, 'n' },
		{ "workers", required_argument, NULL, 'j' },
		{ "sport", required_argument, NULL, 's' },
		{ "ready-file", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	struct opts o = { .workers = 4, .sport_base = 10000 };
	int c;

	if (argc < 2)
		die_usage("missing server or client");
	if (!strcmp(argv[1], "server"))
		o.server = true;
	else if (strcmp(argv[1], "client"))
		die_usage("first argument must be server or client");
	argv++;
	argc--;
	while ((c = getopt_long(argc, argv, "a:p:n:j:s:r:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'a':
			o.addr = optarg;
			break;
		case 'p':
			o.port = parse_ulong(optarg, 65535, "port");
			break;
		case 'n':
			o.count = parse_ulong(optarg, 1UL << 32, "count");
			break;
		case 'j':
			o.workers = parse_ulong(optarg, MAX_WORKERS, "workers");
			break;
		case 's':
			o.sport_base = parse_ulong(optarg, 65535, "source port");
			break;
		case 'r':
			o.ready_file = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind != argc)
		die_usage("unexpected argument");
	if (!o.addr || !o.port)
		die_usage("-a ADDR and -p PORT are required");
	if (o.server)
		return run_server(&o);
	if (!o.count || !o.workers || !o.sport_base)
		die_usage("client needs -n COUNT, -j WORKERS and -s SPORT above zero");
	if (o.count > 65536 - o.sport_base)
		die_usage("COUNT source ports from SPORT run past 65535");
	return run_client(&o);
}
