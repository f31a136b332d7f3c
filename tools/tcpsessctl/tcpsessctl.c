// SPDX-License-Identifier: GPL-2.0
/*
 * tcpsessctl: the userspace side of tcpsess. Each command is one netlink
 * conversation; see cli.c for the command line, nl.c for the socket,
 * msg.c for the messages and output.c for what is printed (metrics.c for
 * metrics, which serve.c may serve).
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/signalfd.h>
#include <linux/genetlink.h>

#include "cli.h"
#include "config.h"
#include "export.h"
#include "filter.h"
#include "metrics.h"
#include "monitor.h"
#include "msg.h"
#include "nl.h"
#include "output.h"
#include "serve.h"
#include "util.h"
#include "zeek.h"

/* Reads between two looks at the signals, under a flood of events. */
#define TS_MONITOR_BATCH	64

static int open_nl(struct ts_nl *nl)
{
	int ret = ts_nl_open(nl);

	if (ret == -ENOENT)
		fprintf(stderr, "%s: tcpsess module not loaded\n", TS_PROG);
	else if (ret)
		fprintf(stderr, "%s: cannot reach tcpsess over generic netlink: %s\n",
			TS_PROG, strerror(-ret));
	return ret ? 1 : 0;
}

/*
 * Reports a failed request: what the kernel said, and for a request that
 * needs privileges, what is missing. Generic netlink refuses a missing
 * capability without a word; a refusal tcpsess explains itself (a limit
 * a user namespace cannot lift) is shown as it says.
 * Returns the exit status.
 */
static int fail(const struct ts_nl *nl, int err, const char *what,
		bool privileged, const char *detail)
{
	const char *msg = nl ? nl->error.msg : "";

	if (err == -EPERM && privileged && msg[0])
		fprintf(stderr, "%s: permission denied: %s", TS_PROG, what);
	else if (err == -EPERM && privileged)
		fprintf(stderr, "%s: permission denied: %s needs CAP_NET_ADMIN",
			TS_PROG, what);
	else
		fprintf(stderr, "%s: %s failed: %s", TS_PROG, what,
			strerror(-err));
	if (msg[0])
		fprintf(stderr, ": %s", msg);
	else if (err == -EBADMSG)
		fputs(": malformed reply from the kernel", stderr);
	if (detail)
		fprintf(stderr, " (%s)", detail);
	fputc('\n', stderr);
	return 1;
}

/* A request that succeeded may still carry a warning. */
static void warn_extack(const struct ts_nl *nl)
{
	if (nl->error.msg[0])
		fprintf(stderr, "%s: warning: %s\n", TS_PROG, nl->error.msg);
}

struct list_ctx {
	bool json;
	struct ts_table table;
};

static int list_cb(const struct nlmsghdr *nlh, void *data)
{
	struct list_ctx *ctx = data;
	struct ts_session s;

	if (ts_parse_session_msg(nlh, &s))
		return -EBADMSG;
	if (!ctx->json)
		return ts_table_add(&ctx->table, &s);
	ts_print_session_json(stdout, &s);
	return 0;
}

static int cmd_list(const struct ts_cli *cli)
{
	struct list_ctx ctx = { .json = cli->json };
	struct nlmsghdr *nlh;
	struct ts_nl nl;
	int ret;

	if (open_nl(&nl))
		return 1;
	nlh = ts_nl_msg(&nl, TCPSESS_CMD_GET_SESSIONS, NLM_F_DUMP);
	ts_put_filter(nlh, &cli->filter);
	ret = ts_nl_talk(&nl, list_cb, &ctx);
	if (ret) {
		ret = fail(&nl, ret, "list", true, NULL);
	} else {
		warn_extack(&nl);
		if (!cli->json)
			ts_table_print(stdout, &ctx.table);
	}
	ts_table_free(&ctx.table);
	ts_nl_close(&nl);
	return ret;
}

static u64 wall_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (u64)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

#define TS_BOOT_ID_PATH	"/proc/sys/kernel/random/boot_id"

/* Zeek's uids are made of this boot's id and the session ids. */
static int zeek_init(struct ts_zeek *z)
{
	char text[64] = "";
	FILE *f = fopen(TS_BOOT_ID_PATH, "r");
	int err = errno;

	if (f) {
		if (!fgets(text, sizeof(text), f))
			err = EIO;
		fclose(f);
	}
	if (!f || ts_parse_boot_id(text, z->boot_id)) {
		fprintf(stderr, "%s: cannot read %s: %s\n", TS_PROG,
			TS_BOOT_ID_PATH, f ? "not a boot id" : strerror(err));
		return 1;
	}
	z->wall_us = wall_us;
	return 0;
}

static int event_cb(const struct nlmsghdr *nlh, void *data)
{
	struct ts_event ev;

	if (!ts_is_event_msg(nlh))
		return 0;
	if (ts_parse_event(nlh, &ev)) {
		fprintf(stderr, "%s: skipped a malformed event\n", TS_PROG);
		return 0;
	}
	return ts_monitor_event(data, &ev, ts_clock_ms(CLOCK_MONOTONIC), stdout, stderr);
}

static int join_events(struct ts_nl *nl, const struct ts_cli *cli)
{
	const char *what = ts_cmd_name(cli->cmd);
	int ret;

	if (cli->rcvbuf) {
		ret = ts_nl_set_rcvbuf(nl, cli->rcvbuf);
		if (ret)
			return fail(NULL, ret, "setting the receive buffer",
				    false, NULL);
	}
	ret = ts_nl_join_events(nl);
	if (ret == -ENOENT) {
		fprintf(stderr, "%s: the tcpsess module has no '%s' group\n",
			TS_PROG, TCPSESS_MCGRP_EVENTS);
		return 1;
	}
	if (ret)
		return fail(NULL, ret, what, true, "to join the events group");
	return 0;
}

/* SIGINT and SIGTERM as a file descriptor, or -1. */
static int stop_signals(void)
{
	sigset_t stop;

	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	sigprocmask(SIG_BLOCK, &stop, NULL);
	return signalfd(-1, &stop, SFD_CLOEXEC);
}

/*
 * Until SIGINT or SIGTERM, read through signalfd: no handler, nothing to
 * race with, and a flood of events cannot hide a signal for long.
 */
static int monitor_loop(struct ts_nl *nl, struct ts_monitor *m, int sigfd)
{
	struct pollfd pfd[] = {
		{ .fd = ts_nl_fd(nl), .events = POLLIN },
		{ .fd = sigfd, .events = POLLIN },
	};
	unsigned int batch;
	int ret;

	for (;;) {
		if (poll(pfd, ARRAY_SIZE(pfd), -1) < 0) {
			if (errno == EINTR)
				continue;
			return fail(NULL, -errno, "monitor", false, NULL);
		}
		if (pfd[1].revents)
			return 0;
		for (batch = 0; batch < TS_MONITOR_BATCH; batch++) {
			ret = ts_nl_recv_events(nl, event_cb, m);
			if (ret == -EAGAIN || ret == -EWOULDBLOCK)
				break;
			if (ret == -ENOBUFS) {
				ts_monitor_overrun(m);
			} else if (ret == -EBADMSG) {
				fprintf(stderr, "%s: skipped a malformed message\n",
					TS_PROG);
			} else if (ret == 1) {
				return 0;
			} else if (ret < 0 && ret != -EINTR) {
				return fail(NULL, ret, "monitor", false, NULL);
			}
		}
	}
}

static int cmd_monitor(const struct ts_cli *cli)
{
	struct ts_monitor m = {
		.filter = &cli->filter,
		.json = cli->json,
		.count = cli->count,
	};
	struct ts_zeek zeek;
	struct ts_nl nl;
	int sigfd, ret;

	if (cli->zeek) {
		if (zeek_init(&zeek))
			return 1;
		m.zeek = &zeek;
	}
	sigfd = stop_signals();
	if (sigfd < 0)
		return fail(NULL, -errno, "monitor", false, NULL);

	ret = open_nl(&nl);
	if (!ret) {
		ret = join_events(&nl, cli);
		if (!ret)
			ret = monitor_loop(&nl, &m, sigfd);
		ts_monitor_finish(&m, stderr);
		ts_nl_close(&nl);
	}
	close(sigfd);
	return ret;
}

/*
 * The active timeout is set before the events group is joined, so that a
 * refusal (no privilege, a module without report_interval) ends it early.
 */
static int cmd_export(const struct ts_cli *cli)
{
	const struct ts_export_opts o = {
		.host = cli->host,
		.port = cli->port,
		.tcp = cli->tcp,
		.active_timeout = cli->active_timeout,
		.domain = cli->domain,
		.rcvbuf = cli->rcvbuf,
	};
	struct ts_nl nl;
	int sigfd, ret;

	sigfd = stop_signals();
	if (sigfd < 0)
		return fail(NULL, -errno, "export", false, NULL);
	ret = open_nl(&nl);
	if (!ret && o.active_timeout) {
		ret = ts_export_set_interval(&nl, o.active_timeout);
		if (ret)
			ret = fail(&nl, ret, "setting the active timeout", true,
				   "report_interval");
		else
			warn_extack(&nl);
	}
	if (!ret)
		ret = join_events(&nl, cli);
	if (!ret)
		ret = ts_export_run(&nl, &o, sigfd);
	if (nl.sock)
		ts_nl_close(&nl);
	close(sigfd);
	return ret;
}

struct reply_ctx {
	bool got;
	union {
		struct ts_stats stats;
		struct ts_config config;
	};
};

static int stats_cb(const struct nlmsghdr *nlh, void *data)
{
	struct reply_ctx *ctx = data;

	if (ts_parse_stats(nlh, &ctx->stats))
		return -EBADMSG;
	ctx->got = true;
	return 0;
}

/* A "do" request answered by one message, decoded by cb. */
static int get(struct ts_nl *nl, u8 cmd, ts_nl_cb cb, struct reply_ctx *ctx)
{
	int ret;

	ts_nl_msg(nl, cmd, NLM_F_ACK);
	ret = ts_nl_talk(nl, cb, ctx);
	if (!ret && !ctx->got)
		ret = -EBADMSG;
	return ret;
}

static int cmd_stats(const struct ts_cli *cli)
{
	struct reply_ctx ctx = { 0 };
	struct ts_nl nl;
	int ret;

	if (open_nl(&nl))
		return 1;
	ret = get(&nl, TCPSESS_CMD_GET_STATS, stats_cb, &ctx);
	if (ret) {
		ret = fail(&nl, ret, "stats", false, NULL);
	} else {
		warn_extack(&nl);
		ts_print_stats(stdout, &ctx.stats, cli->json);
	}
	ts_nl_close(&nl);
	return ret;
}

/*
 * One scrape's answer: fresh stats from a socket of its own, so that a
 * server outlives the module being reloaded (its family's id changing)
 * and says 503 while it is away.
 */
static int render_metrics(FILE *f, void *data)
{
	struct reply_ctx ctx = { 0 };
	struct ts_nl nl;
	int ret;

	(void)data;
	ret = ts_nl_open(&nl);
	if (ret) {
		fprintf(f, "tcpsess %s\n", ret == -ENOENT ? "module not loaded" :
			strerror(-ret));
		return 503;
	}
	ret = get(&nl, TCPSESS_CMD_GET_STATS, stats_cb, &ctx);
	if (ret)
		fprintf(f, "tcpsess stats failed: %s%s%s\n", strerror(-ret),
			nl.error.msg[0] ? ": " : "", nl.error.msg);
	else
		ts_metrics_write(f, &ctx.stats);
	ts_nl_close(&nl);
	return ret ? 503 : 200;
}

static int write_textfile(const char *path, const struct ts_stats *st)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f;
	int ret = -ENOMEM;

	f = open_memstream(&text, &len);
	if (f) {
		ts_metrics_write(f, st);
		ret = fclose(f) ? -errno : ts_write_file_atomic(path, text, len);
	}
	free(text);
	if (ret)
		fprintf(stderr, "%s: cannot write %s: %s\n", TS_PROG, path,
			strerror(-ret));
	return ret ? 1 : 0;
}

static int cmd_metrics(const struct ts_cli *cli)
{
	struct reply_ctx ctx = { 0 };
	struct ts_nl nl;
	int ret;

	if (cli->has_listen)
		return ts_serve(&cli->listen, render_metrics, NULL);
	if (open_nl(&nl))
		return 1;
	ret = get(&nl, TCPSESS_CMD_GET_STATS, stats_cb, &ctx);
	if (ret)
		ret = fail(&nl, ret, "metrics", false, NULL);
	else
		warn_extack(&nl);
	ts_nl_close(&nl);
	if (ret)
		return ret;
	if (cli->textfile)
		return write_textfile(cli->textfile, &ctx.stats);
	ts_metrics_write(stdout, &ctx.stats);
	return 0;
}

static int config_cb(const struct nlmsghdr *nlh, void *data)
{
	struct reply_ctx *ctx = data;

	if (ts_parse_config(nlh, &ctx->config))
		return -EBADMSG;
	ctx->got = true;
	return 0;
}

static int config_show(struct ts_nl *nl, const struct ts_cli *cli)
{
	struct reply_ctx ctx = { 0 };
	unsigned int i;
	int ret;

	ret = get(nl, TCPSESS_CMD_GET_CONFIG, config_cb, &ctx);
	if (ret)
		return fail(nl, ret, "config", false, NULL);
	warn_extack(nl);
	for (i = 0; i < cli->nshow; i++) {
		if (!(ctx.config.present & TS_BIT(cli->show[i]))) {
			fprintf(stderr, "%s: the kernel did not report %s\n",
				TS_PROG, ts_config_key_name(cli->show[i]));
			return 1;
		}
	}
	ts_print_config(stdout, &ctx.config, cli->show, cli->nshow, cli->json);
	return 0;
}

static int config_set(struct ts_nl *nl, const struct ts_cli *cli)
{
	const char *key = NULL;
	struct nlmsghdr *nlh;
	int ret;

	nlh = ts_nl_msg(nl, TCPSESS_CMD_SET_CONFIG, NLM_F_ACK);
	ts_put_config(nlh, &cli->set);
	ret = ts_nl_talk(nl, NULL, NULL);
	if (!ret) {
		warn_extack(nl);
		return 0;
	}
	/* The kernel points at the attribute it refused: name its key. */
	if (nl->error.has_offset)
		key = ts_config_key_name(ts_config_key_at((void *)nl->req,
							  nl->error.offset));
	return fail(nl, ret, "setting config", true, key);
}

static int cmd_config(const struct ts_cli *cli)
{
	struct ts_nl nl;
	int ret;

	if (open_nl(&nl))
		return 1;
	if (cli->set.present)
		ret = config_set(&nl, cli);
	else
		ret = config_show(&nl, cli);
	ts_nl_close(&nl);
	return ret;
}

static int cmd_flush(void)
{
	struct ts_nl nl;
	int ret;

	if (open_nl(&nl))
		return 1;
	ts_nl_msg(&nl, TCPSESS_CMD_FLUSH, NLM_F_ACK);
	ret = ts_nl_talk(&nl, NULL, NULL);
	if (ret)
		ret = fail(&nl, ret, "flush", true, NULL);
	else
		warn_extack(&nl);
	ts_nl_close(&nl);
	return ret;
}

/* Output that could not be written is an error, not a success. */
static int finish(int status)
{
	if ((fflush(stdout) == EOF || ferror(stdout)) && !status) {
		fprintf(stderr, "%s: write error: %s\n", TS_PROG,
			strerror(errno));
		return 1;
	}
	return status;
}

int main(int argc, char **argv)
{
	struct ts_cli cli;
	char err[512];
	int ret = 0;

	if (ts_cli_parse(argc, argv, &cli, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", TS_PROG, err);
		if (cli.cmd)
			fprintf(stderr, "Try '%s %s --help' for more information.\n",
				TS_PROG, ts_cmd_name(cli.cmd));
		else
			fprintf(stderr, "Try '%s --help' for more information.\n",
				TS_PROG);
		return 2;
	}
	if (cli.help) {
		ts_cli_usage(stdout, cli.cmd);
		return finish(0);
	}
	if (cli.version) {
		printf("%s %s (generic netlink family %s, version %d)\n",
		       TS_PROG, TS_VERSION, TCPSESS_GENL_NAME,
		       TCPSESS_GENL_VERSION);
		return finish(0);
	}
	switch (cli.cmd) {
	case TS_CMD_LIST:
		ret = cmd_list(&cli);
		break;
	case TS_CMD_MONITOR:
		ret = cmd_monitor(&cli);
		break;
	case TS_CMD_STATS:
		ret = cmd_stats(&cli);
		break;
	case TS_CMD_CONFIG:
		ret = cmd_config(&cli);
		break;
	case TS_CMD_FLUSH:
		ret = cmd_flush();
		break;
	case TS_CMD_METRICS:
		ret = cmd_metrics(&cli);
		break;
	case TS_CMD_EXPORT:
		ret = cmd_export(&cli);
		break;
	case TS_CMD_NONE:
		break;
	}
	return finish(ret);
}
