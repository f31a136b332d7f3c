// SPDX-License-Identifier: GPL-2.0
/*
 * The tcpsess generic netlink family (SPEC section 6 and the protocol
 * comment in include/uapi/linux/tcpsess.h): well-formed requests do what
 * the header says, and every malformed one is refused with an error, and
 * with an extack message wherever tcpsess or the policy code decides,
 * after which the module still answers.
 *
 * The messages are built by hand on plain NETLINK_GENERIC sockets
 * (tcpsess_nl.c), since the point is to send bytes that no netlink library
 * would produce. Every byte read back from the kernel is bounds-checked
 * before it is trusted.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "tcpsess_ksft.h"
#include "tcpsess_nl.h"
#include "tcpsess_rand.h"
#include "names.h"

/* How long silence must last before a request counts as dropped. */
#define NL_DROP_WAIT_MS	500

#define GARBAGE_COUNT	2000
#define GARBAGE_SEED	0x7463707365737331ULL
/* How often the burst stops to check that the module still answers. */
#define GARBAGE_PROBE	100

/* ---------------------------------------------------------------------- */
/* Test plumbing                                                          */
/* ---------------------------------------------------------------------- */

struct nl_ctx {
	int fd;			/* uncapped acks: exercises the echo skipping */
	u16 family;
	u32 version;
	u32 events_grp;
	unsigned long taint;
};

static void ctx_up(struct __test_metadata *_metadata, struct nl_ctx *ctx)
{
	struct family_info fi;
	int ret;

	ctx->fd = -1;
	if (tcpsess_loaded())
		ASSERT_EQ(0, tcpsess_unload_patiently());
	ASSERT_EQ(0, tcpsess_load(""));
	/* Loading taints (O, E); only what happens from here on counts. */
	ctx->taint = tcpsess_read_taint();
	ctx->fd = nl_open(false);
	ASSERT_LE(0, ctx->fd) TH_LOG("netlink socket: %s", strerror(-ctx->fd));
	ret = family_resolve(ctx->fd, &fi);
	ASSERT_EQ(0, ret) TH_LOG("resolving family %s: %s", TCPSESS_GENL_NAME,
				 strerror(-ret));
	ctx->family = fi.id;
	ctx->version = fi.version;
	ctx->events_grp = fi.events_grp;
}

static void ctx_down(struct nl_ctx *ctx)
{
	if (ctx->fd >= 0)
		close(ctx->fd);
	ctx->fd = -1;
	if (tcpsess_loaded())
		tcpsess_unload_patiently();
}

/* The module still answers, and the kernel has not warned or oopsed. */
static void assert_alive(struct __test_metadata *_metadata, struct nl_ctx *ctx)
{
	struct stats_view st;
	const char *why;
	int ret;

	ASSERT_TRUE(tcpsess_loaded());
	ret = stats_get(ctx->fd, ctx->family, &st, &why);
	ASSERT_EQ(0, ret) TH_LOG("GET_STATS afterwards: %s (%s)", why, strerror(-ret));
	ASSERT_EQ(ctx->taint & TCPSESS_TAINT_BAD, tcpsess_read_taint() & TCPSESS_TAINT_BAD)
		TH_LOG("the kernel warned or oopsed: see dmesg");
}

static void must_get_config(struct __test_metadata *_metadata, struct nl_ctx *ctx,
			    struct cfg_view *cfg)
{
	const char *why;
	int ret;

	ret = config_get(ctx->fd, ctx->family, cfg, &why);
	ASSERT_EQ(0, ret) TH_LOG("GET_CONFIG: %s (%s)", why, strerror(-ret));
}

static void must_get_stats(struct __test_metadata *_metadata, struct nl_ctx *ctx,
			   struct stats_view *st)
{
	const char *why;
	int ret;

	ret = stats_get(ctx->fd, ctx->family, st, &why);
	ASSERT_EQ(0, ret) TH_LOG("GET_STATS: %s (%s)", why, strerror(-ret));
}

/* Children report through their exit code: harness asserts would longjmp. */
static int run_in_child(int (*fn)(void *), void *arg)
{
	int status;
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0)
		_exit(fn(arg));
	if (waitpid(pid, &status, 0) != pid)
		return -errno;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 255;
}

#define child_log(fmt, ...) \
	fprintf(stderr, "# child %d: " fmt "\n", getpid(), ##__VA_ARGS__)

/* ---------------------------------------------------------------------- */
/* Well-formed requests                                                   */
/* ---------------------------------------------------------------------- */

FIXTURE(netlink) {
	struct nl_ctx ctx;
};

FIXTURE_SETUP(netlink)
{
	ctx_up(_metadata, &self->ctx);
}

FIXTURE_TEARDOWN(netlink)
{
	ctx_down(&self->ctx);
}

TEST_F(netlink, family_registered)
{
	EXPECT_EQ(TCPSESS_GENL_VERSION, self->ctx.version);
	ASSERT_NE(0, self->ctx.events_grp)
		TH_LOG("no multicast group \"%s\"", TCPSESS_MCGRP_EVENTS);
}

TEST_F(netlink, get_stats)
{
	struct stats_view st;
	unsigned int i, h;

	must_get_stats(_metadata, &self->ctx, &st);
	for (i = TCPSESS_STAT_UNSPEC + 1; i <= TCPSESS_STAT_MAX; i++)
		EXPECT_TRUE(st.seen_counters & (1U << i))
			TH_LOG("counter %s missing", tcpsess_stat_name(i));
	for (i = TCPSESS_STATE_NONE + 1; i <= TCPSESS_STATE_MAX; i++)
		EXPECT_TRUE(st.seen_states & (1U << i))
			TH_LOG("state gauge %s missing", tcpsess_state_name(i));
	for (i = TCPSESS_INVALID_NONE + 1; i <= TCPSESS_INVALID_MAX; i++)
		EXPECT_TRUE(st.seen_invalid & (1U << i))
			TH_LOG("invalid counter %s missing",
			       tcpsess_invalid_reason_name(i));
	EXPECT_EQ(tcpsess_spec_defaults.max_sessions,
		  st.counters[TCPSESS_STAT_SESSIONS_MAX]);
	EXPECT_LT(0, st.counters[TCPSESS_STAT_MEMORY_BYTES]);
	/* Both RTT histograms, every field, cumulative up to the count. */
	for (h = 0; h < 2; h++) {
		for (i = TCPSESS_RTT_HIST_PAD + 1; i <= TCPSESS_RTT_HIST_MAX; i++)
			EXPECT_TRUE(st.seen_rtt[h] & (1U << i))
				TH_LOG("RTT histogram %u field %u missing", h, i);
		for (i = TCPSESS_RTT_HIST_LE + 1; i <= TCPSESS_RTT_HIST_MAX; i++)
			EXPECT_LE(st.rtt[h][i - 1], st.rtt[h][i])
				TH_LOG("RTT histogram %u bucket %u decreases", h, i);
		EXPECT_LE(st.rtt[h][TCPSESS_RTT_HIST_MAX],
			  st.rtt[h][TCPSESS_RTT_HIST_COUNT]);
	}
}

TEST_F(netlink, get_config_defaults)
{
	struct cfg_view cfg;
	unsigned int s;

	must_get_config(_metadata, &self->ctx, &cfg);
	EXPECT_EQ(tcpsess_spec_defaults.max_sessions, cfg.max_sessions);
	for (s = TCPSESS_STATE_NONE + 1; s <= TCPSESS_STATE_MAX; s++)
		EXPECT_EQ(tcpsess_spec_defaults.timeouts[s], cfg.timeouts[s])
			TH_LOG("timeout of %s", tcpsess_state_name(s));
	EXPECT_EQ(tcpsess_spec_defaults.mode, cfg.mode);
	EXPECT_EQ(tcpsess_spec_defaults.pickup, cfg.pickup);
	EXPECT_EQ(tcpsess_spec_defaults.event_rate, cfg.event_rate);
	EXPECT_EQ(tcpsess_spec_defaults.timeout_pickup, cfg.timeout_pickup);
	EXPECT_EQ(0, cfg.report_interval);
}

TEST_F(netlink, set_config_max_sessions)
{
	struct cfg_view cfg, expect = tcpsess_spec_defaults;
	struct stats_view st;
	struct nl_ack ack;
	const char *diff;
	int ret;

	ret = config_set_max(self->ctx.fd, self->ctx.family, 1000, &ack);
	ASSERT_EQ(0, ret) TH_LOG("SET_CONFIG: %s, extack \"%s\"", strerror(-ret), ack.msg);
	must_get_config(_metadata, &self->ctx, &cfg);
	ASSERT_EQ(1000, cfg.max_sessions);
	/* A subset leaves every other key alone. */
	expect.max_sessions = 1000;
	diff = config_diff(&expect, &cfg);
	ASSERT_TRUE(!diff) TH_LOG("%s changed too", diff);
	must_get_stats(_metadata, &self->ctx, &st);
	EXPECT_EQ(1000, st.counters[TCPSESS_STAT_SESSIONS_MAX]);
}

TEST_F(netlink, set_config_subset)
{
	struct cfg_view cfg, expect = tcpsess_spec_defaults;
	struct nl_ack ack;
	struct nl_msg m;
	const char *diff;
	int ret;

	expect.pickup = 0;
	ret = config_set(self->ctx.fd, self->ctx.family, &expect,
			 KEY(TCPSESS_CONFIG_PICKUP), &ack);
	ASSERT_EQ(0, ret) TH_LOG("SET_CONFIG: %s, extack \"%s\"", strerror(-ret), ack.msg);
	must_get_config(_metadata, &self->ctx, &cfg);
	diff = config_diff(&expect, &cfg);
	ASSERT_TRUE(!diff) TH_LOG("%s differs", diff);

	/* So does a TIMEOUTS nest holding a single state. */
	expect.timeouts[TCPSESS_STATE_TIME_WAIT] = 7;
	set_config_begin(&m, self->ctx.family);
	msg_nest_start(&m, TCPSESS_CONFIG_TIMEOUTS);
	msg_put_u32(&m, TCPSESS_STATE_TIME_WAIT, 7);
	msg_nest_end(&m);
	msg_nest_end(&m);
	ret = nl_transact(self->ctx.fd, &m, NULL, NULL, &ack);
	ASSERT_EQ(0, ret) TH_LOG("no answer: %s", strerror(-ret));
	ASSERT_EQ(0, ack.error) TH_LOG("SET_CONFIG: %s, extack \"%s\"",
				       strerror(-ack.error), ack.msg);
	must_get_config(_metadata, &self->ctx, &cfg);
	diff = config_diff(&expect, &cfg);
	ASSERT_TRUE(!diff) TH_LOG("%s differs", diff);
}

TEST_F(netlink, set_config_every_key)
{
	struct cfg_view cfg, want = {
		.max_sessions = 5000,
		.mode = TCPSESS_MODE_ENFORCE,
		.pickup = 0,
		.event_rate = 0,
		.timeout_pickup = 77,
		.report_interval = 30,
	};
	struct nl_ack ack;
	const char *diff;
	unsigned int s;
	int ret;

	for (s = TCPSESS_STATE_NONE + 1; s <= TCPSESS_STATE_MAX; s++)
		want.timeouts[s] = 100 + s;
	ret = config_set(self->ctx.fd, self->ctx.family, &want, ALL_KEYS, &ack);
	ASSERT_EQ(0, ret) TH_LOG("SET_CONFIG: %s, extack \"%s\"", strerror(-ret), ack.msg);
	must_get_config(_metadata, &self->ctx, &cfg);
	diff = config_diff(&want, &cfg);
	ASSERT_TRUE(!diff) TH_LOG("%s did not read back", diff);
}

/* Both ends of every range are accepted: no off-by-one in the checks. */
TEST_F(netlink, set_config_limits)
{
	struct cfg_view cfg, ends[2] = {
		{
			.max_sessions = 1,
			.mode = TCPSESS_MODE_MONITOR,
			.pickup = 0,
			.event_rate = 0,
			.timeout_pickup = 1,
			.report_interval = 0,
		},
		{
			.max_sessions = TCPSESS_MAX_SESSIONS_LIMIT,
			.mode = TCPSESS_MODE_MAX,
			.pickup = 1,
			.event_rate = TCPSESS_EVENT_RATE_LIMIT,
			.timeout_pickup = TCPSESS_TIMEOUT_LIMIT,
			.report_interval = TCPSESS_REPORT_INTERVAL_LIMIT,
		},
	};
	struct nl_ack ack;
	const char *diff;
	unsigned int i, s;
	int ret;

	for (s = TCPSESS_STATE_NONE + 1; s <= TCPSESS_STATE_MAX; s++) {
		ends[0].timeouts[s] = 1;
		ends[1].timeouts[s] = TCPSESS_TIMEOUT_LIMIT;
	}
	for (i = 0; i < ARRAY_SIZE(ends); i++) {
		ret = config_set(self->ctx.fd, self->ctx.family, &ends[i], ALL_KEYS,
				 &ack);
		ASSERT_EQ(0, ret) TH_LOG("%s limits: %s, extack \"%s\"",
					 i ? "upper" : "lower", strerror(-ret), ack.msg);
		must_get_config(_metadata, &self->ctx, &cfg);
		diff = config_diff(&ends[i], &cfg);
		ASSERT_TRUE(!diff) TH_LOG("%s limits: %s did not read back",
					  i ? "upper" : "lower", diff);
	}
}

/*
 * The family runs requests in parallel, without genl_mutex: a GET racing
 * SETs must still see each SET whole, never half of one and half of the
 * other. A race test: it fails only when the kernel's own lock is missing
 * and the race is hit.
 */
#define RACING_SETS	400

static void set_config_forever(u16 family, const struct cfg_view *cfg)
{
	struct nl_ack ack;
	int fd = nl_open(false), i;

	for (i = 0; fd >= 0 && i < RACING_SETS; i++)
		if (config_set(fd, family, cfg, ALL_KEYS, &ack))
			_exit(1);
	_exit(fd < 0);
}

TEST_F(netlink, set_config_seen_whole_by_a_racing_get)
{
	struct cfg_view cfg, want[2] = {
		{ .max_sessions = 1111, .mode = TCPSESS_MODE_MONITOR, .pickup = 1,
		  .event_rate = 11, .timeout_pickup = 11, .report_interval = 11 },
		{ .max_sessions = 2222, .mode = TCPSESS_MODE_ENFORCE, .pickup = 0,
		  .event_rate = 22, .timeout_pickup = 22, .report_interval = 22 },
	};
	unsigned int s, i, seen[2] = { 0, 0 };
	int status, k;
	pid_t pid[2];

	for (s = TCPSESS_STATE_NONE + 1; s <= TCPSESS_STATE_MAX; s++) {
		want[0].timeouts[s] = 100 + s;
		want[1].timeouts[s] = 200 + s;
	}
	for (k = 0; k < 2; k++) {
		pid[k] = fork();
		ASSERT_LE(0, pid[k]);
		if (!pid[k])
			set_config_forever(self->ctx.family, &want[k]);
	}
	for (i = 0; i < RACING_SETS; i++) {
		must_get_config(_metadata, &self->ctx, &cfg);
		if (!config_diff(&cfg, &want[0]))
			seen[0]++;
		else if (!config_diff(&cfg, &want[1]))
			seen[1]++;
		else
			ASSERT_TRUE(!config_diff(&cfg, &tcpsess_spec_defaults))
				TH_LOG("GET %u saw neither SET whole (%s differs)",
				       i, config_diff(&cfg, &want[0]));
	}
	for (k = 0; k < 2; k++) {
		ASSERT_EQ(pid[k], waitpid(pid[k], &status, 0));
		EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status))
			TH_LOG("setter %d failed", k);
	}
	TH_LOG("GETs saw the first SET %u times, the second %u times", seen[0], seen[1]);
}

TEST_F(netlink, flush)
{
	struct nl_ack ack;
	int ret;

	ret = simple_do(self->ctx.fd, self->ctx.family, TCPSESS_CMD_FLUSH, &ack);
	ASSERT_EQ(0, ret) TH_LOG("FLUSH: %s, extack \"%s\"", strerror(-ret), ack.msg);
	assert_alive(_metadata, &self->ctx);
}

/* Whatever the init namespace holds, every dumped message is a session. */
TEST_F(netlink, dump_sessions)
{
	struct dump_view d;
	struct nl_ack ack;
	int ret;

	ret = sessions_dump_all(self->ctx.fd, self->ctx.family, &d, &ack);
	ASSERT_EQ(0, ret) TH_LOG("dump: %s, extack \"%s\"", strerror(-ret), ack.msg);
	ASSERT_EQ(NLMSG_DONE, ack.type);
	TH_LOG("%u sessions in the init namespace", d.sessions);
	ASSERT_EQ(0, d.bad);
}

static int empty_netns_child(void *unused)
{
	struct family_info fi;
	struct stats_view st;
	struct dump_view d;
	struct nl_ack ack;
	struct nl_msg m;
	const char *why;
	int fd, ret;

	if (unshare(CLONE_NEWNET)) {
		child_log("unshare(CLONE_NEWNET): %s", strerror(errno));
		return 1;
	}
	fd = nl_open(true);
	if (fd < 0)
		return 2;
	ret = family_resolve(fd, &fi);
	if (ret) {
		child_log("family not visible in a new namespace: %s", strerror(-ret));
		return 3;
	}
	ret = sessions_dump_all(fd, fi.id, &d, &ack);
	if (ret || ack.type != NLMSG_DONE || d.sessions) {
		child_log("dump: %s, ended by type %u, %u sessions, extack \"%s\"",
			  strerror(-ret), ack.type, d.sessions, ack.msg);
		return 4;
	}
	filter_begin(&m, fi.id);
	msg_put_u8(&m, TCPSESS_FILTER_FAMILY, AF_INET);
	msg_put_u16(&m, TCPSESS_FILTER_PORT, 80);
	msg_put_u8(&m, TCPSESS_FILTER_STATE, TCPSESS_STATE_ESTABLISHED);
	msg_nest_end(&m);
	ret = sessions_dump(fd, &m, &d, &ack);
	if (ret || ack.type != NLMSG_DONE || d.sessions) {
		child_log("filtered dump: %s, %u sessions, extack \"%s\"",
			  strerror(-ret), d.sessions, ack.msg);
		return 5;
	}
	ret = stats_get(fd, fi.id, &st, &why);
	if (ret || st.counters[TCPSESS_STAT_SESSIONS_ACTIVE]) {
		child_log("GET_STATS: %s (%s)", why, strerror(-ret));
		return 6;
	}
	close(fd);
	return 0;
}

/* A fresh namespace has no traffic at all, so its table is surely empty. */
TEST_F(netlink, dump_sessions_empty)
{
	int ret = run_in_child(empty_netns_child, NULL);

	ASSERT_EQ(0, ret) TH_LOG("child failed at step %d", ret);
}

/* The filter checks below must not refuse what the header allows. */
TEST_F(netlink, dump_valid_filters)
{
	struct dump_view d;
	struct nl_ack ack;
	struct nl_msg m;
	unsigned int i;
	int ret;

	for (i = 0; i <= 11; i++) {
		build_valid_filter(&m, self->ctx.family, i);
		ret = sessions_dump(self->ctx.fd, &m, &d, &ack);
		ASSERT_EQ(0, ret) TH_LOG("valid filter %u refused: %s, extack \"%s\"", i,
					 strerror(-ret), ack.msg);
		ASSERT_EQ(NLMSG_DONE, ack.type);
		ASSERT_EQ(0, d.bad);
		if (i == 9 || i == 10)
			ASSERT_EQ(0, d.sessions) TH_LOG("contradicting filter %u matched", i);
	}
}

/* The extack parser finds the same message with and without the echo. */
TEST_F(netlink, extack_capped_and_uncapped)
{
	struct nl_ack plain, capped;
	struct nl_msg m;
	int fd, ret;

	fd = nl_open(true);
	ASSERT_LE(0, fd) TH_LOG("netlink socket: %s", strerror(-fd));
	set_config_begin(&m, self->ctx.family);
	msg_put_u8(&m, TCPSESS_CONFIG_MODE, TCPSESS_MODE_MAX + 1);
	msg_nest_end(&m);
	ret = nl_transact(self->ctx.fd, &m, NULL, NULL, &plain);
	ASSERT_EQ(0, ret) TH_LOG("uncapped: %s", strerror(-ret));
	m.nlh.nlmsg_seq = nl_seq_alloc();
	ret = nl_transact(fd, &m, NULL, NULL, &capped);
	close(fd);
	ASSERT_EQ(0, ret) TH_LOG("capped: %s", strerror(-ret));
	TH_LOG("uncapped: %d \"%s\" offs %lld; capped: %d \"%s\" offs %lld",
	       plain.error, plain.msg, plain.offs, capped.error, capped.msg,
	       capped.offs);
	ASSERT_GT(0, plain.error);
	ASSERT_EQ(plain.error, capped.error);
	ASSERT_TRUE(plain.msg[0] != '\0');
	ASSERT_STREQ(plain.msg, capped.msg);
	EXPECT_EQ(plain.offs, capped.offs);
}

/* ---------------------------------------------------------------------- */
/* A burst of garbage                                                     */
/* ---------------------------------------------------------------------- */

/* One message to the family: 0 to 512 bytes after the nlmsghdr. */
static size_t garbage_msg(struct rng *r, unsigned char *buf, u16 family, u32 seq)
{
	static const u16 flag_sets[] = {
		NLM_F_REQUEST,
		NLM_F_REQUEST | NLM_F_ACK,
		NLM_F_REQUEST | NLM_F_DUMP,
		NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP,
		NLM_F_REQUEST | NLM_F_ECHO,
	};
	size_t room = rng_below(r, 513), len;
	struct genlmsghdr g = {};
	struct nlmsghdr nlh = {};

	g.cmd = rng_below(r, 4) ? rng_below(r, TCPSESS_CMD_MAX + 2) : rng_u32(r);
	g.version = rng_below(r, 8) ? TCPSESS_GENL_VERSION : rng_u32(r);
	g.reserved = rng_below(r, 16) ? 0 : rng_u32(r);
	if (room < GENL_HDRLEN) {
		memcpy(buf + NLMSG_HDRLEN, &g, room);
		len = room;
	} else {
		memcpy(buf + NLMSG_HDRLEN, &g, GENL_HDRLEN);
		len = GENL_HDRLEN + soup(r, buf + NLMSG_HDRLEN + GENL_HDRLEN,
					 room - GENL_HDRLEN, 0);
	}
	nlh.nlmsg_len = NLMSG_HDRLEN + len;
	/*
	 * A length that lies, but never short of what is sent and still a
	 * header: the core would parse the rest as a message of its own, with
	 * a type from the soup, and that could reach some other family.
	 */
	if (!rng_below(r, 16))
		nlh.nlmsg_len = rng_below(r, 2) ? rng_below(r, NLMSG_HDRLEN) :
			NLMSG_HDRLEN + len + 1 + rng_below(r, 0xffff);
	nlh.nlmsg_type = family;
	nlh.nlmsg_flags = rng_below(r, 16) ?
		flag_sets[rng_below(r, ARRAY_SIZE(flag_sets))] : rng_u32(r);
	nlh.nlmsg_seq = seq;
	memcpy(buf, &nlh, sizeof(nlh));
	return NLMSG_HDRLEN + len;
}

/*
 * Reads whatever the kernel queued; each read lets a running dump go on.
 * Returns false if the reading never ends, i.e. a dump that never does.
 */
static bool drain(int fd)
{
	static u32 buf[NL_RX_SIZE / sizeof(u32)];
	unsigned int n;

	for (n = 0; n < 10000; n++) {
		if (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) >= 0)
			continue;
		/* An overrun is reported once as ENOBUFS; keep reading. */
		if (errno != ENOBUFS && errno != EINTR)
			return true;
	}
	return false;
}

TEST_F_TIMEOUT(netlink, garbage_burst, 120)
{
	static u32 buf[(NLMSG_HDRLEN + 512) / sizeof(u32) + 1];
	const char *env = getenv("TCPSESS_NL_SEED");
	unsigned int i, sent = 0, stuck = 0;
	struct stats_view st;
	struct cfg_view cfg;
	struct dump_view d;
	struct nl_ack ack;
	const char *why;
	struct rng r;
	size_t len;
	u64 seed;
	int fd, ret;

	seed = env ? strtoull(env, NULL, 0) : GARBAGE_SEED;
	r.s = seed ? seed : 1;
	TH_LOG("%u messages, seed %#llx (TCPSESS_NL_SEED=%#llx replays them)",
	       GARBAGE_COUNT, (unsigned long long)seed, (unsigned long long)seed);
	/* Capped acks keep the answers to 512-byte requests small. */
	fd = nl_open(true);
	ASSERT_LE(0, fd) TH_LOG("netlink socket: %s", strerror(-fd));
	for (i = 0; i < GARBAGE_COUNT; i++) {
		len = garbage_msg(&r, (unsigned char *)buf, self->ctx.family,
				  nl_seq_alloc());
		/* Now and then only a piece of a header, or nothing at all. */
		if (!rng_below(&r, 32))
			len = rng_below(&r, NLMSG_HDRLEN);
		if (!nl_send(fd, buf, len))
			sent++;
		if (!drain(fd))
			stuck++;
		if (i % GARBAGE_PROBE != GARBAGE_PROBE - 1)
			continue;
		ret = stats_get(self->ctx.fd, self->ctx.family, &st, &why);
		ASSERT_EQ(0, ret) TH_LOG("no GET_STATS after message %u: %s (%s)", i,
					 why, strerror(-ret));
		ASSERT_EQ(self->ctx.taint & TCPSESS_TAINT_BAD,
			  tcpsess_read_taint() & TCPSESS_TAINT_BAD)
			TH_LOG("the kernel warned or oopsed by message %u: see dmesg", i);
	}
	close(fd);
	TH_LOG("%u of them accepted by sendmsg()", sent);
	EXPECT_EQ(0, stuck) TH_LOG("a dump never ended");

	/* Everything still works, whatever the garbage set. */
	assert_alive(_metadata, &self->ctx);
	must_get_config(_metadata, &self->ctx, &cfg);
	ret = config_set_max(self->ctx.fd, self->ctx.family, 4321, &ack);
	ASSERT_EQ(0, ret) TH_LOG("SET_CONFIG: %s, extack \"%s\"", strerror(-ret), ack.msg);
	must_get_config(_metadata, &self->ctx, &cfg);
	ASSERT_EQ(4321, cfg.max_sessions);
	ret = sessions_dump_all(self->ctx.fd, self->ctx.family, &d, &ack);
	ASSERT_EQ(0, ret) TH_LOG("dump: %s, extack \"%s\"", strerror(-ret), ack.msg);
	ASSERT_EQ(0, d.bad);
}

/* ---------------------------------------------------------------------- */
/* Permissions and namespaces                                             */
/* ---------------------------------------------------------------------- */

enum unpriv_step {
	UNPRIV_OK,
	UNPRIV_DROP,
	UNPRIV_SOCKET,
	UNPRIV_GET_STATS,
	UNPRIV_GET_CONFIG,
	UNPRIV_DUMP,
	UNPRIV_SET_CONFIG,
	UNPRIV_FLUSH,
	UNPRIV_JOIN,
};

static const char * const unpriv_steps[] = {
	[UNPRIV_OK] = "none",
	[UNPRIV_DROP] = "dropping CAP_NET_ADMIN",
	[UNPRIV_SOCKET] = "opening a socket",
	[UNPRIV_GET_STATS] = "GET_STATS must work",
	[UNPRIV_GET_CONFIG] = "GET_CONFIG must work",
	[UNPRIV_DUMP] = "GET_SESSIONS dump must fail with EPERM",
	[UNPRIV_SET_CONFIG] = "SET_CONFIG must fail with EPERM",
	[UNPRIV_FLUSH] = "FLUSH must fail with EPERM",
	[UNPRIV_JOIN] = "joining events must fail with EPERM",
};

struct unpriv_arg {
	const struct nl_ctx *ctx;
	bool nobody;
};

static int unprivileged_child(void *p)
{
	const struct unpriv_arg *arg = p;
	u16 family = arg->ctx->family;
	struct stats_view st;
	struct cfg_view cfg;
	struct dump_view d;
	struct nl_ack ack;
	const char *why;
	int fd, ret;

	ret = tcpsess_drop_net_admin(arg->nobody);
	if (ret) {
		child_log("dropping CAP_NET_ADMIN: %s", strerror(-ret));
		return UNPRIV_DROP;
	}
	/* Opened afterwards: genetlink checks the opener's credentials too. */
	fd = nl_open(true);
	if (fd < 0)
		return UNPRIV_SOCKET;
	ret = stats_get(fd, family, &st, &why);
	if (ret) {
		child_log("GET_STATS: %s (%s)", why, strerror(-ret));
		return UNPRIV_GET_STATS;
	}
	ret = config_get(fd, family, &cfg, &why);
	if (ret) {
		child_log("GET_CONFIG: %s (%s)", why, strerror(-ret));
		return UNPRIV_GET_CONFIG;
	}
	/* The sessions are other people's connections. */
	ret = sessions_dump_all(fd, family, &d, &ack);
	if (ret != -EPERM || d.sessions) {
		child_log("dump: %s, %u sessions, extack \"%s\"", strerror(-ret),
			  d.sessions, ack.msg);
		return UNPRIV_DUMP;
	}
	ret = config_set_max(fd, family, 1000, &ack);
	if (ret != -EPERM) {
		child_log("SET_CONFIG: %s, extack \"%s\"", strerror(-ret), ack.msg);
		return UNPRIV_SET_CONFIG;
	}
	ret = simple_do(fd, family, TCPSESS_CMD_FLUSH, &ack);
	if (ret != -EPERM) {
		child_log("FLUSH: %s, extack \"%s\"", strerror(-ret), ack.msg);
		return UNPRIV_FLUSH;
	}
	ret = join_events(fd, arg->ctx->events_grp);
	if (ret != -EPERM) {
		child_log("joining group %u: %s", arg->ctx->events_grp, strerror(-ret));
		return UNPRIV_JOIN;
	}
	close(fd);
	return UNPRIV_OK;
}

static void check_unprivileged(struct __test_metadata *_metadata, struct nl_ctx *ctx,
			       bool nobody)
{
	struct unpriv_arg arg = { .ctx = ctx, .nobody = nobody };
	struct cfg_view cfg;
	const char *diff;
	int fd, ret;

	/* Root may join, so the child's refusal is about the capability. */
	ASSERT_NE(0, ctx->events_grp);
	fd = nl_open(true);
	ASSERT_LE(0, fd) TH_LOG("netlink socket: %s", strerror(-fd));
	ret = join_events(fd, ctx->events_grp);
	close(fd);
	ASSERT_EQ(0, ret) TH_LOG("root joining the events group: %s", strerror(-ret));

	ret = run_in_child(unprivileged_child, &arg);
	ASSERT_EQ(0, ret) TH_LOG("child failed: %s",
				 ret > 0 && ret < (int)ARRAY_SIZE(unpriv_steps) ?
				 unpriv_steps[ret] : "killed or lost");
	/* The refused SET_CONFIG changed nothing. */
	must_get_config(_metadata, ctx, &cfg);
	diff = config_diff(&tcpsess_spec_defaults, &cfg);
	ASSERT_TRUE(!diff) TH_LOG("an unprivileged SET_CONFIG changed %s", diff);
	assert_alive(_metadata, ctx);
}

TEST_F(netlink, unprivileged_without_cap_net_admin)
{
	check_unprivileged(_metadata, &self->ctx, false);
}

TEST_F(netlink, unprivileged_nobody)
{
	check_unprivileged(_metadata, &self->ctx, true);
}

/*
 * A namespace of a user namespace of its own: CAP_NET_ADMIN there is
 * anyone's (unshare -Urn), so it reads its sessions and changes its
 * settings, but may not raise max_sessions past the module parameter. The
 * steps are the child's exit codes.
 */
enum userns_step {
	USERNS_OK,
	USERNS_UNSHARE,
	USERNS_SOCKET,
	USERNS_FAMILY,
	USERNS_LOWER,
	USERNS_DUMP,
	USERNS_JOIN,
	USERNS_RAISE_REFUSED,
	USERNS_RAISE_EXTACK,
	USERNS_REFUSED_WHOLE,
	USERNS_RAISE_TO_PARAM,
};

static const char * const userns_steps[] = {
	[USERNS_OK] = "none",
	[USERNS_UNSHARE] = "unshare(CLONE_NEWUSER | CLONE_NEWNET)",
	[USERNS_SOCKET] = "opening a socket",
	[USERNS_FAMILY] = "resolving the family",
	[USERNS_LOWER] = "lowering max_sessions, a timeout and report_interval must work",
	[USERNS_DUMP] = "dumping its own sessions must work",
	[USERNS_JOIN] = "joining its own events must work",
	[USERNS_RAISE_REFUSED] = "raising max_sessions past the parameter must fail with EPERM",
	[USERNS_RAISE_EXTACK] = "the refusal must say why in extack",
	[USERNS_REFUSED_WHOLE] = "a refused request must change nothing",
	[USERNS_RAISE_TO_PARAM] = "raising max_sessions up to the parameter must work",
};

static int userns_child(void *p)
{
	u32 param = tcpsess_spec_defaults.max_sessions;
	struct cfg_view cfg, want;
	struct family_info fi;
	struct dump_view d;
	struct nl_ack ack;
	const char *why;
	int fd, ret;

	(void)p;
	if (unshare(CLONE_NEWUSER | CLONE_NEWNET)) {
		child_log("unshare: %s", strerror(errno));
		return USERNS_UNSHARE;
	}
	fd = nl_open(true);
	if (fd < 0)
		return USERNS_SOCKET;
	if (family_resolve(fd, &fi))
		return USERNS_FAMILY;

	ret = config_get(fd, fi.id, &want, &why);
	if (ret)
		return USERNS_LOWER;
	want.max_sessions = 1000;
	want.timeouts[TCPSESS_STATE_ESTABLISHED] = 600;
	/* More events, but of its own sessions, at its own event_rate. */
	want.report_interval = 1;
	ret = config_set(fd, fi.id, &want,
			 KEY(TCPSESS_CONFIG_MAX_SESSIONS) | KEY(TCPSESS_CONFIG_TIMEOUTS) |
			 KEY(TCPSESS_CONFIG_REPORT_INTERVAL), &ack);
	if (ret || config_get(fd, fi.id, &cfg, &why) || config_diff(&want, &cfg)) {
		child_log("SET_CONFIG: %s, extack \"%s\"", strerror(-ret), ack.msg);
		return USERNS_LOWER;
	}
	ret = sessions_dump_all(fd, fi.id, &d, &ack);
	if (ret) {
		child_log("dump: %s, extack \"%s\"", strerror(-ret), ack.msg);
		return USERNS_DUMP;
	}
	ret = join_events(fd, fi.events_grp);
	if (ret) {
		child_log("joining group %u: %s", fi.events_grp, strerror(-ret));
		return USERNS_JOIN;
	}

	ret = config_set_max(fd, fi.id, param + 1, &ack);
	if (ret != -EPERM) {
		child_log("max_sessions %u: %s", param + 1, strerror(-ret));
		return USERNS_RAISE_REFUSED;
	}
	if (!ack.msg[0])
		return USERNS_RAISE_EXTACK;
	child_log("refused with \"%s\"", ack.msg);
	/* With a timeout beside it, which must not be applied alone. */
	cfg = want;
	cfg.max_sessions = TCPSESS_MAX_SESSIONS_LIMIT;
	cfg.timeouts[TCPSESS_STATE_ESTABLISHED] = 700;
	ret = config_set(fd, fi.id, &cfg,
			 KEY(TCPSESS_CONFIG_MAX_SESSIONS) | KEY(TCPSESS_CONFIG_TIMEOUTS),
			 &ack);
	if (ret != -EPERM)
		return USERNS_RAISE_REFUSED;
	if (config_get(fd, fi.id, &cfg, &why) || config_diff(&want, &cfg)) {
		child_log("after the refusals: %s differs", config_diff(&want, &cfg));
		return USERNS_REFUSED_WHOLE;
	}
	ret = config_set_max(fd, fi.id, param, &ack);
	if (ret) {
		child_log("max_sessions %u: %s, extack \"%s\"", param, strerror(-ret),
			  ack.msg);
		return USERNS_RAISE_TO_PARAM;
	}
	close(fd);
	return USERNS_OK;
}

TEST_F(netlink, userns_cannot_raise_max_sessions)
{
	struct cfg_view cfg;
	const char *diff;
	int ret;

	ret = run_in_child(userns_child, NULL);
	ASSERT_EQ(0, ret) TH_LOG("child failed: %s",
				 ret > 0 && ret < (int)ARRAY_SIZE(userns_steps) ?
				 userns_steps[ret] : "killed or lost");
	/* Its namespace is its own: ours kept the defaults. */
	must_get_config(_metadata, &self->ctx, &cfg);
	diff = config_diff(&tcpsess_spec_defaults, &cfg);
	ASSERT_TRUE(!diff) TH_LOG("the child's settings reached this namespace: %s", diff);
	assert_alive(_metadata, &self->ctx);
}

/*
 * Every capability in a user namespace of its own, but none in the one
 * that owns our network namespace: nothing that needs CAP_NET_ADMIN here.
 */
static int other_userns_child(void *p)
{
	const struct nl_ctx *ctx = p;
	struct stats_view st;
	struct dump_view d;
	struct nl_ack ack;
	const char *why;
	int fd, ret;

	if (unshare(CLONE_NEWUSER)) {
		child_log("unshare(CLONE_NEWUSER): %s", strerror(errno));
		return 1;
	}
	fd = nl_open(true);
	if (fd < 0)
		return 2;
	if (stats_get(fd, ctx->family, &st, &why))
		return 3;
	ret = sessions_dump_all(fd, ctx->family, &d, &ack);
	if (ret != -EPERM || d.sessions) {
		child_log("dump: %s, %u sessions", strerror(-ret), d.sessions);
		return 4;
	}
	ret = config_set_max(fd, ctx->family, 1000, &ack);
	if (ret != -EPERM) {
		child_log("SET_CONFIG: %s", strerror(-ret));
		return 5;
	}
	ret = join_events(fd, ctx->events_grp);
	if (ret != -EPERM) {
		child_log("joining events: %s", strerror(-ret));
		return 6;
	}
	close(fd);
	return 0;
}

TEST_F(netlink, capabilities_of_another_userns_do_not_count)
{
	int ret = run_in_child(other_userns_child, &self->ctx);

	ASSERT_EQ(0, ret) TH_LOG("child failed at step %d", ret);
	assert_alive(_metadata, &self->ctx);
}

struct netns_arg {
	int ready_w;	/* the child says: 77 is set in my namespace */
	int go_r;	/* the parent says: I have read mine */
};

static int netns_child(const struct netns_arg *arg)
{
	struct family_info fi;
	struct cfg_view cfg;
	struct nl_ack ack;
	const char *why;
	char c = 'r';
	int fd, ret;

	if (unshare(CLONE_NEWNET)) {
		child_log("unshare(CLONE_NEWNET): %s", strerror(errno));
		return 1;
	}
	fd = nl_open(true);
	if (fd < 0)
		return 2;
	ret = family_resolve(fd, &fi);
	if (ret) {
		child_log("family not visible in a new namespace: %s", strerror(-ret));
		return 3;
	}
	ret = config_get(fd, fi.id, &cfg, &why);
	if (ret) {
		child_log("GET_CONFIG: %s (%s)", why, strerror(-ret));
		return 4;
	}
	/* A new namespace starts from the module parameters, not its creator's. */
	if (cfg.max_sessions != tcpsess_spec_defaults.max_sessions) {
		child_log("new namespace starts with max_sessions %u", cfg.max_sessions);
		return 5;
	}
	ret = config_set_max(fd, fi.id, 77, &ack);
	if (ret) {
		child_log("SET_CONFIG: %s, extack \"%s\"", strerror(-ret), ack.msg);
		return 6;
	}
	ret = config_get(fd, fi.id, &cfg, &why);
	if (ret || cfg.max_sessions != 77) {
		child_log("reads %u after setting 77: %s", cfg.max_sessions, why ?: "");
		return 7;
	}
	if (write(arg->ready_w, &c, 1) != 1)
		return 8;
	if (read(arg->go_r, &c, 1) != 1)
		return 9;
	ret = config_get(fd, fi.id, &cfg, &why);
	if (ret || cfg.max_sessions != 77) {
		child_log("reads %u at the end: %s", cfg.max_sessions, why ?: "");
		return 10;
	}
	close(fd);
	return 0;
}

TEST_F(netlink, netns_separate_config)
{
	int ready[2], go[2], status, ret;
	struct netns_arg arg;
	struct cfg_view cfg;
	struct nl_ack ack;
	char c = 'c';
	pid_t pid;

	ret = config_set_max(self->ctx.fd, self->ctx.family, 1234, &ack);
	ASSERT_EQ(0, ret) TH_LOG("SET_CONFIG: %s, extack \"%s\"", strerror(-ret), ack.msg);
	ASSERT_EQ(0, pipe(ready));
	ASSERT_EQ(0, pipe(go));
	arg.ready_w = ready[1];
	arg.go_r = go[0];
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		/* Without this the child never sees EOF if the parent fails. */
		close(ready[0]);
		close(go[1]);
		_exit(netns_child(&arg));
	}
	close(ready[1]);
	close(go[0]);
	/* EOF instead means the child gave up early; its exit code says where. */
	if (read(ready[0], &c, 1) == 1) {
		/* Read while the child's namespace, holding 77, is alive. */
		must_get_config(_metadata, &self->ctx, &cfg);
		EXPECT_EQ(1234, cfg.max_sessions)
			TH_LOG("the child's SET_CONFIG reached this namespace");
		EXPECT_EQ(1, write(go[1], &c, 1));
	}
	close(go[1]);
	close(ready[0]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status)) TH_LOG("child failed at step %d",
						 WEXITSTATUS(status));
	must_get_config(_metadata, &self->ctx, &cfg);
	ASSERT_EQ(1234, cfg.max_sessions);
}

/* ---------------------------------------------------------------------- */
/* Malformed requests                                                     */
/* ---------------------------------------------------------------------- */

static void do_req(struct nl_msg *m, u16 family, u8 cmd)
{
	msg_init(m, family, NLM_F_REQUEST | NLM_F_ACK, cmd);
}

static void dump_req(struct nl_msg *m, u16 family)
{
	msg_init(m, family, NLM_F_REQUEST | NLM_F_DUMP, TCPSESS_CMD_GET_SESSIONS);
}

static void set_u8(struct nl_msg *m, u16 family, u16 type, u8 value)
{
	set_config_begin(m, family);
	msg_put_u8(m, type, value);
	msg_nest_end(m);
}

static void set_u32(struct nl_msg *m, u16 family, u16 type, u32 value)
{
	set_config_begin(m, family);
	msg_put_u32(m, type, value);
	msg_nest_end(m);
}

static void set_timeout(struct nl_msg *m, u16 family, u16 state, u32 value)
{
	set_config_begin(m, family);
	msg_nest_start(m, TCPSESS_CONFIG_TIMEOUTS);
	msg_put_u32(m, state, value);
	msg_nest_end(m);
	msg_nest_end(m);
}

static void filter_u8(struct nl_msg *m, u16 family, u16 type, u8 value)
{
	filter_begin(m, family);
	msg_put_u8(m, type, value);
	msg_nest_end(m);
}

static void filter_addr(struct nl_msg *m, u16 family, int af, size_t len)
{
	static const u8 addr[32] = { 10, 0, 0, 1 };

	filter_begin(m, family);
	if (af)
		msg_put_u8(m, TCPSESS_FILTER_FAMILY, af);
	msg_put(m, TCPSESS_FILTER_ADDR, addr, len);
	msg_nest_end(m);
}

/* Commands that do not exist, or not in this form. */
static void b_cmd_unspec(struct nl_msg *m, u16 f)
{
	do_req(m, f, TCPSESS_CMD_UNSPEC);
}

static void b_cmd_past_max(struct nl_msg *m, u16 f)
{
	do_req(m, f, TCPSESS_CMD_MAX + 1);
}

static void b_cmd_255(struct nl_msg *m, u16 f)
{
	do_req(m, f, 255);
}

static void b_cmd_event(struct nl_msg *m, u16 f)
{
	do_req(m, f, TCPSESS_CMD_EVENT);
}

static void b_get_sessions_do(struct nl_msg *m, u16 f)
{
	do_req(m, f, TCPSESS_CMD_GET_SESSIONS);
}

static void b_get_config_dump(struct nl_msg *m, u16 f)
{
	msg_init(m, f, NLM_F_REQUEST | NLM_F_DUMP, TCPSESS_CMD_GET_CONFIG);
}

/* Attributes unknown, or not listed for the command. */
static void b_get_config_attr_200(struct nl_msg *m, u16 f)
{
	do_req(m, f, TCPSESS_CMD_GET_CONFIG);
	msg_put_u32(m, 200, 1);
}

static void b_get_stats_attr_200(struct nl_msg *m, u16 f)
{
	do_req(m, f, TCPSESS_CMD_GET_STATS);
	msg_put_u32(m, 200, 1);
}

static void b_set_config_attr_200(struct nl_msg *m, u16 f)
{
	set_u32(m, f, TCPSESS_CONFIG_MAX_SESSIONS, 1000);
	msg_put_u32(m, 200, 1);
}

static void b_dump_attr_200(struct nl_msg *m, u16 f)
{
	dump_req(m, f);
	msg_put_u32(m, 200, 1);
}

static void b_get_stats_with_config(struct nl_msg *m, u16 f)
{
	do_req(m, f, TCPSESS_CMD_GET_STATS);
	msg_nest_start(m, TCPSESS_A_CONFIG);
	msg_put_u32(m, TCPSESS_CONFIG_MAX_SESSIONS, 1000);
	msg_nest_end(m);
}

static void b_set_config_with_filter(struct nl_msg *m, u16 f)
{
	set_u32(m, f, TCPSESS_CONFIG_MAX_SESSIONS, 1000);
	msg_nest_start(m, TCPSESS_A_FILTER);
	msg_put_u8(m, TCPSESS_FILTER_FAMILY, AF_INET);
	msg_nest_end(m);
}

static void b_config_unknown_nested(struct nl_msg *m, u16 f)
{
	set_config_begin(m, f);
	msg_put_u32(m, TCPSESS_CONFIG_MAX_SESSIONS, 1000);
	msg_put_u32(m, TCPSESS_CONFIG_MAX + 1, 1);
	msg_nest_end(m);
}

static void b_filter_unknown_nested(struct nl_msg *m, u16 f)
{
	filter_u8(m, f, TCPSESS_FILTER_MAX + 1, 4);
}

/* Wrong types and lengths. */
static void b_max_sessions_2_bytes(struct nl_msg *m, u16 f)
{
	set_config_begin(m, f);
	msg_put_u16(m, TCPSESS_CONFIG_MAX_SESSIONS, 1000);
	msg_nest_end(m);
}

static void b_max_sessions_8_bytes(struct nl_msg *m, u16 f)
{
	set_config_begin(m, f);
	msg_put_u64(m, TCPSESS_CONFIG_MAX_SESSIONS, 1000);
	msg_nest_end(m);
}

static void b_max_sessions_empty(struct nl_msg *m, u16 f)
{
	set_config_begin(m, f);
	msg_put(m, TCPSESS_CONFIG_MAX_SESSIONS, NULL, 0);
	msg_nest_end(m);
}

static void b_mode_u32(struct nl_msg *m, u16 f)
{
	set_u32(m, f, TCPSESS_CONFIG_MODE, TCPSESS_MODE_ENFORCE);
}

static void b_mode_string(struct nl_msg *m, u16 f)
{
	set_config_begin(m, f);
	msg_put_str(m, TCPSESS_CONFIG_MODE, "enforce");
	msg_nest_end(m);
}

static void b_pickup_string(struct nl_msg *m, u16 f)
{
	set_config_begin(m, f);
	msg_put_str(m, TCPSESS_CONFIG_PICKUP, "no");
	msg_nest_end(m);
}

static void b_event_rate_u8(struct nl_msg *m, u16 f)
{
	set_u8(m, f, TCPSESS_CONFIG_EVENT_RATE, 1);
}

static void b_config_not_nested(struct nl_msg *m, u16 f)
{
	do_req(m, f, TCPSESS_CMD_SET_CONFIG);
	msg_put_u32(m, TCPSESS_A_CONFIG, 1000);
}

/* Flagged as a nest, but its payload is a u32, not attributes. */
static void b_config_nest_of_garbage(struct nl_msg *m, u16 f)
{
	do_req(m, f, TCPSESS_CMD_SET_CONFIG);
	msg_put_u32(m, TCPSESS_A_CONFIG | NLA_F_NESTED, 1000);
}

static void b_timeouts_not_nested(struct nl_msg *m, u16 f)
{
	set_u32(m, f, TCPSESS_CONFIG_TIMEOUTS, 30);
}

static void b_timeout_u16(struct nl_msg *m, u16 f)
{
	set_config_begin(m, f);
	msg_nest_start(m, TCPSESS_CONFIG_TIMEOUTS);
	msg_put_u16(m, TCPSESS_STATE_ESTABLISHED, 30);
	msg_nest_end(m);
	msg_nest_end(m);
}

static void b_filter_not_nested(struct nl_msg *m, u16 f)
{
	dump_req(m, f);
	msg_put_u8(m, TCPSESS_A_FILTER, 4);
}

/* Out of range. */
static void b_max_sessions_zero(struct nl_msg *m, u16 f)
{
	set_u32(m, f, TCPSESS_CONFIG_MAX_SESSIONS, 0);
}

static void b_max_sessions_past_limit(struct nl_msg *m, u16 f)
{
	set_u32(m, f, TCPSESS_CONFIG_MAX_SESSIONS, TCPSESS_MAX_SESSIONS_LIMIT + 1);
}

static void b_max_sessions_u32_max(struct nl_msg *m, u16 f)
{
	set_u32(m, f, TCPSESS_CONFIG_MAX_SESSIONS, 0xffffffff);
}

static void b_timeout_zero(struct nl_msg *m, u16 f)
{
	set_timeout(m, f, TCPSESS_STATE_ESTABLISHED, 0);
}

static void b_timeout_past_limit(struct nl_msg *m, u16 f)
{
	set_timeout(m, f, TCPSESS_STATE_ESTABLISHED, TCPSESS_TIMEOUT_LIMIT + 1);
}

static void b_timeout_state_none(struct nl_msg *m, u16 f)
{
	set_timeout(m, f, TCPSESS_STATE_NONE, 30);
}

static void b_timeout_state_past_max(struct nl_msg *m, u16 f)
{
	set_timeout(m, f, TCPSESS_STATE_MAX + 1, 30);
}

static void b_mode_past_max(struct nl_msg *m, u16 f)
{
	set_u8(m, f, TCPSESS_CONFIG_MODE, TCPSESS_MODE_MAX + 1);
}

static void b_mode_255(struct nl_msg *m, u16 f)
{
	set_u8(m, f, TCPSESS_CONFIG_MODE, 255);
}

static void b_pickup_2(struct nl_msg *m, u16 f)
{
	set_u8(m, f, TCPSESS_CONFIG_PICKUP, 2);
}

static void b_event_rate_past_limit(struct nl_msg *m, u16 f)
{
	set_u32(m, f, TCPSESS_CONFIG_EVENT_RATE, TCPSESS_EVENT_RATE_LIMIT + 1);
}

static void b_report_interval_past_limit(struct nl_msg *m, u16 f)
{
	set_u32(m, f, TCPSESS_CONFIG_REPORT_INTERVAL,
		TCPSESS_REPORT_INTERVAL_LIMIT + 1);
}

static void b_report_interval_u32_max(struct nl_msg *m, u16 f)
{
	set_u32(m, f, TCPSESS_CONFIG_REPORT_INTERVAL, 0xffffffff);
}

static void b_report_interval_u8(struct nl_msg *m, u16 f)
{
	set_u8(m, f, TCPSESS_CONFIG_REPORT_INTERVAL, 1);
}

/* A good interval beside a bad value is not applied alone. */
static void b_atomic_report_interval_then_bad_pickup(struct nl_msg *m, u16 f)
{
	set_config_begin(m, f);
	msg_put_u32(m, TCPSESS_CONFIG_REPORT_INTERVAL, 1);
	msg_put_u8(m, TCPSESS_CONFIG_PICKUP, 2);
	msg_nest_end(m);
}

/* One bad value among good ones: none of them may be applied. */
static void b_atomic_max_then_bad_mode(struct nl_msg *m, u16 f)
{
	set_config_begin(m, f);
	msg_put_u32(m, TCPSESS_CONFIG_MAX_SESSIONS, 1000);
	msg_put_u8(m, TCPSESS_CONFIG_MODE, TCPSESS_MODE_MAX + 1);
	msg_nest_end(m);
}

static void b_atomic_bad_mode_then_max(struct nl_msg *m, u16 f)
{
	set_config_begin(m, f);
	msg_put_u8(m, TCPSESS_CONFIG_MODE, TCPSESS_MODE_MAX + 1);
	msg_put_u32(m, TCPSESS_CONFIG_MAX_SESSIONS, 1000);
	msg_nest_end(m);
}

static void b_atomic_one_bad_timeout(struct nl_msg *m, u16 f)
{
	set_config_begin(m, f);
	msg_nest_start(m, TCPSESS_CONFIG_TIMEOUTS);
	msg_put_u32(m, TCPSESS_STATE_SYN_SENT, 5);
	msg_put_u32(m, TCPSESS_STATE_ESTABLISHED, 0);
	msg_put_u32(m, TCPSESS_STATE_CLOSED, 5);
	msg_nest_end(m);
	msg_nest_end(m);
}

static void b_atomic_all_but_event_rate(struct nl_msg *m, u16 f)
{
	unsigned int s;

	set_config_begin(m, f);
	msg_put_u32(m, TCPSESS_CONFIG_MAX_SESSIONS, 1000);
	msg_nest_start(m, TCPSESS_CONFIG_TIMEOUTS);
	for (s = TCPSESS_STATE_NONE + 1; s <= TCPSESS_STATE_MAX; s++)
		msg_put_u32(m, s, 5);
	msg_nest_end(m);
	msg_put_u8(m, TCPSESS_CONFIG_MODE, TCPSESS_MODE_ENFORCE);
	msg_put_u8(m, TCPSESS_CONFIG_PICKUP, 0);
	msg_put_u32(m, TCPSESS_CONFIG_EVENT_RATE, TCPSESS_EVENT_RATE_LIMIT + 1);
	msg_nest_end(m);
}

static void b_set_config_without_config(struct nl_msg *m, u16 f)
{
	do_req(m, f, TCPSESS_CMD_SET_CONFIG);
}

/* Dump filters. */
static void b_filter_family_5(struct nl_msg *m, u16 f)
{
	filter_u8(m, f, TCPSESS_FILTER_FAMILY, 5);
}

/* An IP version is not an address family. */
static void b_filter_family_ip_version(struct nl_msg *m, u16 f)
{
	filter_u8(m, f, TCPSESS_FILTER_FAMILY, 4);
}

static void b_filter_family_0(struct nl_msg *m, u16 f)
{
	filter_u8(m, f, TCPSESS_FILTER_FAMILY, 0);
}

static void b_filter_family_u32(struct nl_msg *m, u16 f)
{
	filter_begin(m, f);
	msg_put_u32(m, TCPSESS_FILTER_FAMILY, AF_INET);
	msg_nest_end(m);
}

static void b_filter_addr_5_bytes(struct nl_msg *m, u16 f)
{
	filter_addr(m, f, 0, 5);
}

static void b_filter_addr_empty(struct nl_msg *m, u16 f)
{
	filter_addr(m, f, 0, 0);
}

static void b_filter_addr_17_bytes(struct nl_msg *m, u16 f)
{
	filter_addr(m, f, 0, 17);
}

static void b_filter_state_none(struct nl_msg *m, u16 f)
{
	filter_u8(m, f, TCPSESS_FILTER_STATE, TCPSESS_STATE_NONE);
}

static void b_filter_state_past_max(struct nl_msg *m, u16 f)
{
	filter_u8(m, f, TCPSESS_FILTER_STATE, TCPSESS_STATE_MAX + 1);
}

static void b_filter_state_99(struct nl_msg *m, u16 f)
{
	filter_u8(m, f, TCPSESS_FILTER_STATE, 99);
}

static void b_filter_port_u32(struct nl_msg *m, u16 f)
{
	filter_begin(m, f);
	msg_put_u32(m, TCPSESS_FILTER_PORT, 80);
	msg_nest_end(m);
}

static void b_filter_port_u8(struct nl_msg *m, u16 f)
{
	filter_u8(m, f, TCPSESS_FILTER_PORT, 80);
}

/* Truncations: the netlink core may catch these before tcpsess. */
static void b_nlmsg_len_past_end(struct nl_msg *m, u16 f)
{
	set_u32(m, f, TCPSESS_CONFIG_MAX_SESSIONS, 1000);
	m->nlh.nlmsg_len = m->len + 64;
}

static void b_nlmsg_len_below_header(struct nl_msg *m, u16 f)
{
	set_u32(m, f, TCPSESS_CONFIG_MAX_SESSIONS, 1000);
	m->nlh.nlmsg_len = NLMSG_HDRLEN / 2;
}

/* TCPSESS_A_CONFIG claims 64 bytes; the message ends 12 bytes in. */
static void b_attr_past_end(struct nl_msg *m, u16 f)
{
	u32 v = 1000;

	do_req(m, f, TCPSESS_CMD_SET_CONFIG);
	msg_attr_hdr(m, TCPSESS_A_CONFIG | NLA_F_NESTED, 64);
	msg_attr_hdr(m, TCPSESS_CONFIG_MAX_SESSIONS, NLA_HDRLEN + sizeof(v));
	msg_raw(m, &v, sizeof(v));
}

/* The nest ends after the inner header; the inner value lies outside it. */
static void b_nested_attr_past_nest_end(struct nl_msg *m, u16 f)
{
	u32 v = 1000;

	do_req(m, f, TCPSESS_CMD_SET_CONFIG);
	msg_attr_hdr(m, TCPSESS_A_CONFIG | NLA_F_NESTED, 2 * NLA_HDRLEN);
	msg_attr_hdr(m, TCPSESS_CONFIG_MAX_SESSIONS, NLA_HDRLEN + sizeof(v));
	msg_raw(m, &v, sizeof(v));
}

static void b_nla_len_below_header(struct nl_msg *m, u16 f)
{
	do_req(m, f, TCPSESS_CMD_SET_CONFIG);
	msg_attr_hdr(m, TCPSESS_A_CONFIG | NLA_F_NESTED, NLA_HDRLEN / 2);
	msg_raw(m, NULL, 4);
}

static void b_nla_len_zero(struct nl_msg *m, u16 f)
{
	do_req(m, f, TCPSESS_CMD_SET_CONFIG);
	msg_attr_hdr(m, TCPSESS_A_CONFIG | NLA_F_NESTED, 0);
	msg_raw(m, NULL, 4);
}

static void b_genl_header_short(struct nl_msg *m, u16 f)
{
	do_req(m, f, TCPSESS_CMD_GET_STATS);
	m->len = NLMSG_HDRLEN + 2;
	m->nlh.nlmsg_len = m->len;
}

static void b_genl_header_missing(struct nl_msg *m, u16 f)
{
	do_req(m, f, TCPSESS_CMD_GET_STATS);
	m->len = NLMSG_HDRLEN;
	m->nlh.nlmsg_len = m->len;
}

/* Header fields genetlink validates for commands past resv_start_op. */
static void b_genl_reserved_set(struct nl_msg *m, u16 f)
{
	do_req(m, f, TCPSESS_CMD_GET_STATS);
	msg_genl(m)->reserved = 1;
}

static void b_dump_flag_half(struct nl_msg *m, u16 f)
{
	msg_init(m, f, NLM_F_REQUEST | NLM_F_ROOT, TCPSESS_CMD_GET_SESSIONS);
}

enum reject_kind {
	REJECT_WITH_EXTACK,	/* an error and an extack message */
	REJECT_MAYBE_BARE,	/* an error from the netlink core, maybe without a message */
	REJECT_OR_DROP,		/* the core may also drop it without any answer */
};

FIXTURE(malformed) {
	struct nl_ctx ctx;
};

FIXTURE_VARIANT(malformed) {
	void (*build)(struct nl_msg *m, u16 family);
	enum reject_kind kind;
	int err;		/* the errno expected, or 0 for any usual one */
};

FIXTURE_SETUP(malformed)
{
	ctx_up(_metadata, &self->ctx);
}

FIXTURE_TEARDOWN(malformed)
{
	ctx_down(&self->ctx);
}

FIXTURE_VARIANT_ADD(malformed, cmd_unspec) {
	.build = b_cmd_unspec, .kind = REJECT_MAYBE_BARE, .err = EOPNOTSUPP,
};

FIXTURE_VARIANT_ADD(malformed, cmd_past_max) {
	.build = b_cmd_past_max, .kind = REJECT_MAYBE_BARE, .err = EOPNOTSUPP,
};

FIXTURE_VARIANT_ADD(malformed, cmd_255) {
	.build = b_cmd_255, .kind = REJECT_MAYBE_BARE, .err = EOPNOTSUPP,
};

FIXTURE_VARIANT_ADD(malformed, cmd_event) {
	.build = b_cmd_event, .kind = REJECT_MAYBE_BARE, .err = EOPNOTSUPP,
};

FIXTURE_VARIANT_ADD(malformed, get_sessions_do) {
	.build = b_get_sessions_do, .kind = REJECT_MAYBE_BARE, .err = EOPNOTSUPP,
};

FIXTURE_VARIANT_ADD(malformed, get_config_dump) {
	.build = b_get_config_dump, .kind = REJECT_MAYBE_BARE, .err = EOPNOTSUPP,
};

FIXTURE_VARIANT_ADD(malformed, get_config_attr_200) {
	.build = b_get_config_attr_200, .kind = REJECT_WITH_EXTACK,
};

FIXTURE_VARIANT_ADD(malformed, get_stats_attr_200) {
	.build = b_get_stats_attr_200, .kind = REJECT_WITH_EXTACK,
};

FIXTURE_VARIANT_ADD(malformed, set_config_attr_200) {
	.build = b_set_config_attr_200, .kind = REJECT_WITH_EXTACK,
};

FIXTURE_VARIANT_ADD(malformed, dump_attr_200) {
	.build = b_dump_attr_200, .kind = REJECT_WITH_EXTACK,
};

FIXTURE_VARIANT_ADD(malformed, get_stats_with_config) {
	.build = b_get_stats_with_config, .kind = REJECT_WITH_EXTACK,
};

FIXTURE_VARIANT_ADD(malformed, set_config_with_filter) {
	.build = b_set_config_with_filter, .kind = REJECT_WITH_EXTACK,
};

FIXTURE_VARIANT_ADD(malformed, config_unknown_nested) {
	.build = b_config_unknown_nested, .kind = REJECT_WITH_EXTACK,
};

FIXTURE_VARIANT_ADD(malformed, filter_unknown_nested) {
	.build = b_filter_unknown_nested, .kind = REJECT_WITH_EXTACK,
};

FIXTURE_VARIANT_ADD(malformed, max_sessions_2_bytes) {
	.build = b_max_sessions_2_bytes, .kind = REJECT_WITH_EXTACK,
};

FIXTURE_VARIANT_ADD(malformed, max_sessions_8_bytes) {
	.build = b_max_sessions_8_bytes, .kind = REJECT_WITH_EXTACK,
};

FIXTURE_VARIANT_ADD(malformed, max_sessions_empty) {
	.build = b_max_sessions_empty, .kind = REJECT_WITH_EXTACK,
};

FIXTURE_VARIANT_ADD(malformed, mode_u32) {
	.build = b_mode_u32, .kind = REJECT_WITH_EXTACK,
};

FIXTURE_VARIANT_ADD(malformed, mode_string) {
	.build = b_mode_string, .kind = REJECT_WITH_EXTACK,
};

FIXTURE_VARIANT_ADD(malformed, pickup_string) {
	.build = b_pickup_string, .kind = REJECT_WITH_EXTACK,
};

FIXTURE_VARIANT_ADD(malformed, event_rate_u8) {
	.build = b_event_rate_u8, .kind = REJECT_WITH_EXTACK,
};

FIXTURE_VARIANT_ADD(malformed, config_not_nested) {
	.build = b_config_not_nested, .kind = REJECT_WITH_EXTACK,
};

FIXTURE_VARIANT_ADD(malformed, config_nest_of_garbage) {
	.build = b_config_nest_of_garbage, .kind = REJECT_WITH_EXTACK,
};

FIXTURE_VARIANT_ADD(malformed, timeouts_not_nested) {
	.build = b_timeouts_not_nested, .kind = REJECT_WITH_EXTACK,
};

FIXTURE_VARIANT_ADD(malformed, timeout_u16) {
	.build = b_timeout_u16, .kind = REJECT_WITH_EXTACK,
};

FIXTURE_VARIANT_ADD(malformed, filter_not_nested) {
	.build = b_filter_not_nested, .kind = REJECT_WITH_EXTACK,
};

FIXTURE_VARIANT_ADD(malformed, max_sessions_zero) {
	.build = b_max_sessions_zero, .kind = REJECT_WITH_EXTACK,
};

FIXTURE_VARIANT_ADD(malformed, max_sessions_past_limit) {
	.build = b_max_sessions_past_limit, .kind = REJECT_WITH_EXTACK,
};

FIXTURE_VARIANT_ADD(malformed, max_sessions_u32_max) {
	.build = b_max_sessions_u32_max, .kind = REJECT_WITH_EXTACK,
};

FIXTURE_VARIANT_ADD(malformed, timeout_zero) {
	.build = b_timeout_zero, .kind = REJECT_WITH_EXTACK,
};

FIXTURE_VARIANT_ADD(malformed, timeout_past_limit) {
	.build = b_timeout_past_limit, .kind = REJECT_WITH_EXTACK,
};

FIXTURE_VARIANT_ADD(malformed, timeout_state_none) {
	.build = b_timeout_state_none, .kind = REJECT_WITH_EXTACK,
};

FIXTURE_VARIANT_ADD(malformed, timeout_state_past_max) {
	.build = b_timeout_state_past_max, .kind = REJECT_WITH_EXTACK,
};

FIXTURE_VARIANT_ADD(malformed, mode_past_max) {
	.build = b_mode_past_max, .kind = REJECT_WITH_EXTACK,
};

FIXTURE_VARIANT_ADD(malformed, mode_255) {
	.build = b_mode_255, .kind = REJECT_WITH_EXTACK,
};

FIXTURE_VARIANT_ADD(malformed, pickup_2) {
	.build = b_pickup_2, .kind = REJECT_WITH_EXTACK,
};

FIXTURE_VARIANT_ADD(malformed, event_rate_past_limit) {
	.build = b_event_rate_past_limit, .kind = REJECT_WITH_EXTACK,
};

FIXTURE_VARIANT_ADD(malformed, report_interval_past_limit) {
	.build = b_report_interval_past_limit, .kind = REJECT_WITH_EXTACK,
};

FIXTURE_VARIANT_ADD(malformed, report_interval_u32_max) {
	.build = b_report_interval_u32_max, .kind = REJECT_WITH_EXTACK,
};

FIXTURE_VARIANT_ADD(malformed, report_interval_u8) {
	.build = b_report_interval_u8, .kind = REJECT_WITH_EXTACK,
};

FIXTURE_VARIANT_ADD(malformed, atomic_report_interval_then_bad_pickup) {
	.build = b_atomic_report_interval_then_bad_pickup, .kind = REJECT_WITH_EXTACK,
};

FIXTURE_VARIANT_ADD(malformed, atomic_max_then_bad_mode) {
	.build = b_atomic_max_then_bad_mode, .kind = REJECT_WITH_EXTACK,
};

FIXTURE_VARIANT_ADD(malformed, atomic_bad_mode_then_max) {
	.build = b_atomic_bad_mode_then_max, .kind = REJECT_WITH_EXTACK,
};

FIXTURE_VARIANT_ADD(malformed, atomic_one_bad_timeout) {
	.build = b_atomic_one_bad_timeout, .kind = REJECT_WITH_EXTACK,
};

FIXTURE_VARIANT_ADD(malformed, atomic_all_but_event_rate) {
	.build = b_atomic_all_but_event_rate, .kind = REJECT_WITH_EXTACK,
};

FIXTURE_VARIANT_ADD(malformed, set_config_without_config) {
	.build = b_set_config_without_config, .kind = REJECT_WITH_EXTACK,
};

FIXTURE_VARIANT_ADD(malformed, filter_family_5) {
	.build = b_filter_family_5, .kind = REJECT_WITH_EXTACK,
};

FIXTURE_VARIANT_ADD(malformed, filter_family_ip_version) {
	.build = b_filter_family_ip_version, .kind = REJECT_WITH_EXTACK,
};

FIXTURE_VARIANT_ADD(malformed, filter_family_0) {
	.build = b_filter_family_0, .kind = REJECT_WITH_EXTACK,
};

FIXTURE_VARIANT_ADD(malformed, filter_family_u32) {
	.build = b_filter_family_u32, .kind = REJECT_WITH_EXTACK,
};

FIXTURE_VARIANT_ADD(malformed, filter_addr_5_bytes) {
	.build = b_filter_addr_5_bytes, .kind = REJECT_WITH_EXTACK,
};

FIXTURE_VARIANT_ADD(malformed, filter_addr_empty) {
	.build = b_filter_addr_empty, .kind = REJECT_WITH_EXTACK,
};

FIXTURE_VARIANT_ADD(malformed, filter_addr_17_bytes) {
	.build = b_filter_addr_17_bytes, .kind = REJECT_WITH_EXTACK,
};

FIXTURE_VARIANT_ADD(malformed, filter_state_none) {
	.build = b_filter_state_none, .kind = REJECT_WITH_EXTACK,
};

FIXTURE_VARIANT_ADD(malformed, filter_state_past_max) {
	.build = b_filter_state_past_max, .kind = REJECT_WITH_EXTACK,
};

FIXTURE_VARIANT_ADD(malformed, filter_state_99) {
	.build = b_filter_state_99, .kind = REJECT_WITH_EXTACK,
};

FIXTURE_VARIANT_ADD(malformed, filter_port_u32) {
	.build = b_filter_port_u32, .kind = REJECT_WITH_EXTACK,
};

FIXTURE_VARIANT_ADD(malformed, filter_port_u8) {
	.build = b_filter_port_u8, .kind = REJECT_WITH_EXTACK,
};

FIXTURE_VARIANT_ADD(malformed, nlmsg_len_past_end) {
	.build = b_nlmsg_len_past_end, .kind = REJECT_OR_DROP,
};

FIXTURE_VARIANT_ADD(malformed, nlmsg_len_below_header) {
	.build = b_nlmsg_len_below_header, .kind = REJECT_OR_DROP,
};

/* The policy parser reports "bytes leftover" for the three below. */
FIXTURE_VARIANT_ADD(malformed, attr_past_end) {
	.build = b_attr_past_end, .kind = REJECT_WITH_EXTACK,
};

FIXTURE_VARIANT_ADD(malformed, nested_attr_past_nest_end) {
	.build = b_nested_attr_past_nest_end, .kind = REJECT_WITH_EXTACK,
};

FIXTURE_VARIANT_ADD(malformed, nla_len_below_header) {
	.build = b_nla_len_below_header, .kind = REJECT_WITH_EXTACK,
};

FIXTURE_VARIANT_ADD(malformed, nla_len_zero) {
	.build = b_nla_len_zero, .kind = REJECT_WITH_EXTACK,
};

FIXTURE_VARIANT_ADD(malformed, genl_header_short) {
	.build = b_genl_header_short, .kind = REJECT_MAYBE_BARE, .err = EINVAL,
};

FIXTURE_VARIANT_ADD(malformed, genl_header_missing) {
	.build = b_genl_header_missing, .kind = REJECT_MAYBE_BARE, .err = EINVAL,
};

FIXTURE_VARIANT_ADD(malformed, genl_reserved_set) {
	.build = b_genl_reserved_set, .kind = REJECT_MAYBE_BARE,
};

FIXTURE_VARIANT_ADD(malformed, dump_flag_half) {
	.build = b_dump_flag_half, .kind = REJECT_MAYBE_BARE,
};

static bool usual_errno(int err)
{
	return err == -EINVAL || err == -ERANGE || err == -EOPNOTSUPP ||
	       err == -EMSGSIZE;
}

/*
 * Refused, with the reason in the extack where one is due; nothing of it
 * applied; and the module answers afterwards as before.
 */
TEST_F(malformed, rejected)
{
	bool may_drop = variant->kind == REJECT_OR_DROP;
	struct cfg_view before, after;
	struct nl_ack ack;
	struct nl_msg m;
	const char *diff;
	int ret;

	must_get_config(_metadata, &self->ctx, &before);
	variant->build(&m, self->ctx.family);
	ret = nl_transact_wait(self->ctx.fd, &m, may_drop ? NL_DROP_WAIT_MS : NL_WAIT_MS,
			       NULL, NULL, &ack);
	if (ret == -ETIMEDOUT && may_drop) {
		TH_LOG("dropped without an answer");
	} else {
		ASSERT_EQ(0, ret) TH_LOG("no answer: %s", strerror(-ret));
		TH_LOG("error %d (%s), extack \"%s\", offs %lld, missing attr %lld",
		       ack.error, strerror(-ack.error), ack.msg, ack.offs,
		       ack.miss_type);
		ASSERT_GT(0, ack.error) TH_LOG("the request was accepted");
		EXPECT_TRUE(variant->err ? ack.error == -variant->err :
					   usual_errno(ack.error))
			TH_LOG("unexpected errno %d", -ack.error);
		EXPECT_EQ(0, ack.replies) TH_LOG("data came before the error");
		if (variant->kind == REJECT_WITH_EXTACK)
			ASSERT_TRUE(ack.msg[0] != '\0') TH_LOG("no extack message");
	}
	assert_alive(_metadata, &self->ctx);
	must_get_config(_metadata, &self->ctx, &after);
	diff = config_diff(&before, &after);
	ASSERT_TRUE(!diff) TH_LOG("the refused request changed %s", diff);
}

TEST_HARNESS_MAIN
