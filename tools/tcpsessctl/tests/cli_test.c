// SPDX-License-Identifier: GPL-2.0
/*
 * The command line: what each command accepts, and that everything else
 * is a usage error with a message worth reading.
 */
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "kselftest_harness.h"
#include "cli.h"
#include "config.h"

#define MAX_ARGS 16

struct parsed {
	struct ts_cli cli;
	char err[512];
	int ret;
};

static void parse_args(struct parsed *p, const char *const *args)
{
	char *argv[MAX_ARGS + 2] = { "tcpsessctl" };
	int argc = 1;

	while (*args && argc <= MAX_ARGS)
		argv[argc++] = (char *)*args++;
	argv[argc] = NULL;
	p->ret = ts_cli_parse(argc, argv, &p->cli, p->err, sizeof(p->err));
}

#define PARSE(p, ...) \
	parse_args(p, (const char *const[]){ __VA_ARGS__, NULL })

/* Fails the test unless parsing failed with a message containing what. */
#define ASSERT_USAGE_ERROR(p, what) do {				\
	const struct parsed *__p = (p);					\
	ASSERT_EQ(-1, __p->ret);					\
	ASSERT_NE(NULL, strstr(__p->err, what)) {			\
		TH_LOG("message: %s", __p->err);			\
	}								\
} while (0)

TEST(no_command_is_a_usage_error)
{
	struct parsed p;

	parse_args(&p, (const char *const[]){ NULL });
	ASSERT_USAGE_ERROR(&p, "no command given");
	ASSERT_EQ(TS_CMD_NONE, p.cli.cmd);
}

TEST(unknown_command)
{
	struct parsed p;

	PARSE(&p, "lsit");
	ASSERT_USAGE_ERROR(&p, "unknown command 'lsit'");
}

TEST(commands_by_name)
{
	static const struct {
		const char *name;
		enum ts_cmd cmd;
	} cmds[] = {
		{ "list", TS_CMD_LIST }, { "monitor", TS_CMD_MONITOR },
		{ "stats", TS_CMD_STATS }, { "config", TS_CMD_CONFIG },
		{ "flush", TS_CMD_FLUSH }, { "metrics", TS_CMD_METRICS },
	};
	struct parsed p;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		PARSE(&p, cmds[i].name);
		ASSERT_EQ(0, p.ret);
		ASSERT_EQ(cmds[i].cmd, p.cli.cmd);
		ASSERT_STREQ(cmds[i].name, ts_cmd_name(cmds[i].cmd));
		ASSERT_FALSE(p.cli.json);
		ASSERT_FALSE(p.cli.help);
	}
	ASSERT_EQ(NULL, ts_cmd_name(TS_CMD_NONE));
}

TEST(global_help_and_version)
{
	struct parsed p;

	PARSE(&p, "--help");
	ASSERT_EQ(0, p.ret);
	ASSERT_TRUE(p.cli.help);
	ASSERT_EQ(TS_CMD_NONE, p.cli.cmd);

	PARSE(&p, "-h");
	ASSERT_TRUE(p.cli.help);

	PARSE(&p, "-V");
	ASSERT_EQ(0, p.ret);
	ASSERT_TRUE(p.cli.version);

	PARSE(&p, "--version");
	ASSERT_TRUE(p.cli.version);

	PARSE(&p, "help");
	ASSERT_EQ(0, p.ret);
	ASSERT_TRUE(p.cli.help);
	ASSERT_EQ(TS_CMD_NONE, p.cli.cmd);
}

TEST(command_help)
{
	struct parsed p;

	PARSE(&p, "list", "--help");
	ASSERT_EQ(0, p.ret);
	ASSERT_TRUE(p.cli.help);
	ASSERT_EQ(TS_CMD_LIST, p.cli.cmd);

	PARSE(&p, "help", "monitor");
	ASSERT_EQ(0, p.ret);
	ASSERT_TRUE(p.cli.help);
	ASSERT_EQ(TS_CMD_MONITOR, p.cli.cmd);

	PARSE(&p, "help", "nope");
	ASSERT_USAGE_ERROR(&p, "unknown command 'nope'");

	/* Help wins over what follows it, not over what precedes it. */
	PARSE(&p, "flush", "-h", "--bogus");
	ASSERT_EQ(0, p.ret);
	ASSERT_TRUE(p.cli.help);
	PARSE(&p, "flush", "--bogus", "-h");
	ASSERT_USAGE_ERROR(&p, "unknown option '--bogus' for flush");
}

TEST(json_where_it_applies)
{
	static const char *const with_json[] = {
		"list", "monitor", "stats", "config",
	};
	struct parsed p;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(with_json); i++) {
		PARSE(&p, with_json[i], "--json");
		ASSERT_EQ(0, p.ret);
		ASSERT_TRUE(p.cli.json);
		PARSE(&p, with_json[i], "-j");
		ASSERT_TRUE(p.cli.json);
	}
	PARSE(&p, "flush", "--json");
	ASSERT_USAGE_ERROR(&p, "flush does not take option '--json'");
	ASSERT_EQ(TS_CMD_FLUSH, p.cli.cmd);

	PARSE(&p, "metrics", "--json");
	ASSERT_USAGE_ERROR(&p, "metrics does not take option '--json'");

	PARSE(&p, "list", "--json=yes");
	ASSERT_USAGE_ERROR(&p, "unknown JSON format 'yes': expected zeek");
	PARSE(&p, "monitor", "--json=");
	ASSERT_USAGE_ERROR(&p, "unknown JSON format ''");
}

/* Zeek's records are of ended sessions: only monitor writes them. */
TEST(json_zeek)
{
	static const char *const without[] = { "list", "stats", "config" };
	struct parsed p;
	unsigned int i;

	PARSE(&p, "monitor", "--json=zeek", "--port", "80");
	ASSERT_EQ(0, p.ret);
	EXPECT_TRUE(p.cli.json);
	EXPECT_TRUE(p.cli.zeek);
	EXPECT_TRUE(p.cli.filter.has_port);
	PARSE(&p, "monitor", "--json");
	ASSERT_EQ(0, p.ret);
	EXPECT_FALSE(p.cli.zeek);
	for (i = 0; i < ARRAY_SIZE(without); i++) {
		PARSE(&p, without[i], "--json=zeek");
		ASSERT_USAGE_ERROR(&p, "does not take option '--json=zeek'");
	}
	PARSE(&p, "monitor", "-j=zeek");
	ASSERT_USAGE_ERROR(&p, "unknown option '-j=zeek'");
	PARSE(&p, "monitor", "--json", "zeek");
	ASSERT_USAGE_ERROR(&p, "unexpected argument 'zeek'");
}

TEST(options_belong_after_the_command)
{
	struct parsed p;

	PARSE(&p, "--json", "list");
	ASSERT_USAGE_ERROR(&p, "'--json' must follow a command");

	PARSE(&p, "--bogus");
	ASSERT_USAGE_ERROR(&p, "unknown option '--bogus'");
}

TEST(unknown_option_names_the_command)
{
	struct parsed p;

	PARSE(&p, "list", "--jsn");
	ASSERT_USAGE_ERROR(&p, "unknown option '--jsn' for list");
	/* The caller points to "tcpsessctl list --help". */
	ASSERT_EQ(TS_CMD_LIST, p.cli.cmd);

	PARSE(&p, "list", "-x");
	ASSERT_USAGE_ERROR(&p, "unknown option '-x' for list");

	PARSE(&p, "list", "-jh");
	ASSERT_USAGE_ERROR(&p, "unknown option '-jh'");
}

TEST(stray_arguments)
{
	struct parsed p;

	PARSE(&p, "list", "extra");
	ASSERT_USAGE_ERROR(&p, "unexpected argument 'extra'");

	PARSE(&p, "stats", "-");
	ASSERT_USAGE_ERROR(&p, "unexpected argument '-'");

	/* After "--" nothing is an option. */
	PARSE(&p, "list", "--", "--json");
	ASSERT_USAGE_ERROR(&p, "unexpected argument '--json'");
}

TEST(monitor_count_and_rcvbuf)
{
	struct parsed p;

	PARSE(&p, "monitor", "--count", "3", "--rcvbuf", "4096");
	ASSERT_EQ(0, p.ret);
	ASSERT_EQ(3, p.cli.count);
	ASSERT_EQ(4096, p.cli.rcvbuf);

	PARSE(&p, "monitor", "-c", "18446744073709551615", "--rcvbuf=1");
	ASSERT_EQ(0, p.ret);
	ASSERT_EQ(UINT64_MAX, p.cli.count);
	ASSERT_EQ(1, p.cli.rcvbuf);

	PARSE(&p, "monitor", "--count=7");
	ASSERT_EQ(7, p.cli.count);

	PARSE(&p, "monitor");
	ASSERT_EQ(0, p.cli.count);
	ASSERT_EQ(0, p.cli.rcvbuf);
}

TEST(monitor_bad_values)
{
	static const char *const bad_counts[] = {
		"0", "-1", "+1", " 1", "1x", "", "0x10", "18446744073709551616",
	};
	struct parsed p;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad_counts); i++) {
		PARSE(&p, "monitor", "--count", bad_counts[i]);
		ASSERT_USAGE_ERROR(&p, "invalid count");
	}
	PARSE(&p, "monitor", "--rcvbuf", "0");
	ASSERT_USAGE_ERROR(&p, "invalid receive buffer size '0'");
	PARSE(&p, "monitor", "--rcvbuf", "2147483648");
	ASSERT_USAGE_ERROR(&p, "invalid receive buffer size");
	PARSE(&p, "monitor", "--count");
	ASSERT_USAGE_ERROR(&p, "option '--count' needs a value");
	PARSE(&p, "monitor", "--rcvbuf");
	ASSERT_USAGE_ERROR(&p, "option '--rcvbuf' needs a value");
}

TEST(monitor_only_options)
{
	struct parsed p;

	PARSE(&p, "list", "--count", "1");
	ASSERT_USAGE_ERROR(&p, "list does not take option '--count'");
	PARSE(&p, "stats", "--rcvbuf", "1");
	ASSERT_USAGE_ERROR(&p, "stats does not take option '--rcvbuf'");
	PARSE(&p, "stats", "--port", "80");
	ASSERT_USAGE_ERROR(&p, "stats does not take option '--port'");
}

TEST(export_options)
{
	struct parsed p;

	PARSE(&p, "export", "--ipfix", "collector.example:4739");
	ASSERT_EQ(0, p.ret);
	ASSERT_EQ(TS_CMD_EXPORT, p.cli.cmd);
	ASSERT_STREQ("export", ts_cmd_name(TS_CMD_EXPORT));
	ASSERT_STREQ("collector.example", p.cli.host);
	ASSERT_STREQ("4739", p.cli.port);
	ASSERT_FALSE(p.cli.tcp);
	ASSERT_EQ(0, p.cli.active_timeout);
	ASSERT_EQ(0, p.cli.domain);

	PARSE(&p, "export", "--ipfix=[2001:db8::1]:2055", "--tcp",
	      "--active-timeout", "60", "--domain", "4294967295",
	      "--rcvbuf", "65536");
	ASSERT_EQ(0, p.ret);
	ASSERT_STREQ("2001:db8::1", p.cli.host);
	ASSERT_STREQ("2055", p.cli.port);
	ASSERT_TRUE(p.cli.tcp);
	ASSERT_EQ(60, p.cli.active_timeout);
	ASSERT_EQ(UINT32_MAX, p.cli.domain);
	ASSERT_EQ(65536, p.cli.rcvbuf);

	PARSE(&p, "export", "--ipfix", "10.0.0.1:04739");
	ASSERT_EQ(0, p.ret);
	ASSERT_STREQ("4739", p.cli.port);

	PARSE(&p, "export", "--help");
	ASSERT_EQ(0, p.ret);
	ASSERT_TRUE(p.cli.help);
}

TEST(export_bad_values)
{
	static const char *const bad_collectors[] = {
		"host", "host:", ":4739", "host:0", "host:65536", "host:x",
		"[::1]", "[::1]4739", "[::1", "[]:4739",
	};
	struct parsed p;
	unsigned int i;

	PARSE(&p, "export");
	ASSERT_USAGE_ERROR(&p, "export needs --ipfix HOST:PORT");
	PARSE(&p, "export", "--tcp");
	ASSERT_USAGE_ERROR(&p, "export needs --ipfix HOST:PORT");
	for (i = 0; i < ARRAY_SIZE(bad_collectors); i++) {
		PARSE(&p, "export", "--ipfix", bad_collectors[i]);
		ASSERT_USAGE_ERROR(&p, "invalid collector");
	}
	PARSE(&p, "export", "--ipfix", "::1:4739");
	ASSERT_USAGE_ERROR(&p, "write an IPv6 address as [ADDR]:PORT");
	PARSE(&p, "export", "--ipfix", "c:1", "--active-timeout", "0");
	ASSERT_USAGE_ERROR(&p, "invalid active timeout '0'");
	PARSE(&p, "export", "--ipfix", "c:1", "--domain", "4294967296");
	ASSERT_USAGE_ERROR(&p, "invalid observation domain");
	PARSE(&p, "export", "--ipfix", "c:1", "--json");
	ASSERT_USAGE_ERROR(&p, "export does not take option '--json'");
	PARSE(&p, "monitor", "--tcp");
	ASSERT_USAGE_ERROR(&p, "monitor does not take option '--tcp'");
}

TEST(filters_on_list_and_monitor)
{
	static const char *const cmds[] = { "list", "monitor" };
	struct parsed p;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		PARSE(&p, cmds[i], "--af", "6", "--addr", "2001:db8::1",
		      "--port=443", "--state", "established");
		ASSERT_EQ(0, p.ret);
		ASSERT_EQ(6, p.cli.filter.family);
		ASSERT_TRUE(p.cli.filter.has_addr);
		ASSERT_EQ(0x20, p.cli.filter.addr[0]);
		ASSERT_EQ(0x01, p.cli.filter.addr[15]);
		ASSERT_TRUE(p.cli.filter.has_port);
		ASSERT_EQ(443, p.cli.filter.port);
		ASSERT_EQ(TCPSESS_STATE_ESTABLISHED, p.cli.filter.state);
	}
	PARSE(&p, "list", "--addr", "10.1.2.3");
	ASSERT_EQ(0, p.ret);
	ASSERT_EQ(4, p.cli.filter.family);

	PARSE(&p, "list", "--port", "http");
	ASSERT_USAGE_ERROR(&p, "invalid port 'http'");
	PARSE(&p, "list", "--port", "1", "--port", "2");
	ASSERT_USAGE_ERROR(&p, "--port given twice");
	PARSE(&p, "monitor", "--af", "4", "--addr", "::1");
	ASSERT_USAGE_ERROR(&p, "--addr ::1 is not an IPv4 address");
}

TEST(config_show_all_or_some)
{
	struct parsed p;

	PARSE(&p, "config");
	ASSERT_EQ(0, p.ret);
	ASSERT_EQ(0, p.cli.nshow);
	ASSERT_EQ(0, p.cli.set.present);

	PARSE(&p, "config", "pickup", "max_sessions", "timeout_closed");
	ASSERT_EQ(0, p.ret);
	ASSERT_EQ(3, p.cli.nshow);
	ASSERT_EQ(TS_CFG_PICKUP, p.cli.show[0]);
	ASSERT_EQ(TS_CFG_MAX_SESSIONS, p.cli.show[1]);
	ASSERT_EQ(TS_CFG_TIMEOUT + TCPSESS_STATE_CLOSED - 1, p.cli.show[2]);
	ASSERT_EQ(0, p.cli.set.present);

	PARSE(&p, "config", "mode", "mode");
	ASSERT_USAGE_ERROR(&p, "key 'mode' given twice");
}

TEST(config_every_key_can_be_shown)
{
	char *argv[TS_CFG_NKEYS + 3] = { "tcpsessctl", "config" };
	struct ts_cli cli;
	char err[256];
	unsigned int key;

	for (key = 0; key < TS_CFG_NKEYS; key++)
		argv[key + 2] = (char *)ts_config_key_name(key);
	ASSERT_EQ(0, ts_cli_parse(TS_CFG_NKEYS + 2, argv, &cli, err,
				  sizeof(err)));
	ASSERT_EQ(TS_CFG_NKEYS, cli.nshow);
	for (key = 0; key < TS_CFG_NKEYS; key++)
		ASSERT_EQ(key, cli.show[key]);
}

TEST(config_set_in_one_request)
{
	struct parsed p;

	PARSE(&p, "config", "max_sessions=1000", "timeout_established=3600",
	      "mode=enforce", "pickup=0", "event_rate=0", "timeout_pickup=30",
	      "report_interval=60");
	ASSERT_EQ(0, p.ret);
	ASSERT_EQ(0, p.cli.nshow);
	ASSERT_EQ(TS_BIT(TS_CFG_MAX_SESSIONS) |
		  TS_BIT(TS_CFG_TIMEOUT + TCPSESS_STATE_ESTABLISHED - 1) |
		  TS_BIT(TS_CFG_MODE) | TS_BIT(TS_CFG_PICKUP) |
		  TS_BIT(TS_CFG_EVENT_RATE) | TS_BIT(TS_CFG_TIMEOUT_PICKUP) |
		  TS_BIT(TS_CFG_REPORT_INTERVAL),
		  p.cli.set.present);
	ASSERT_EQ(30, p.cli.set.value[TS_CFG_TIMEOUT_PICKUP]);
	ASSERT_EQ(60, p.cli.set.value[TS_CFG_REPORT_INTERVAL]);
	ASSERT_EQ(1000, p.cli.set.value[TS_CFG_MAX_SESSIONS]);
	ASSERT_EQ(3600, p.cli.set.value[TS_CFG_TIMEOUT +
					 TCPSESS_STATE_ESTABLISHED - 1]);
	ASSERT_EQ(TCPSESS_MODE_ENFORCE, p.cli.set.value[TS_CFG_MODE]);
	ASSERT_EQ(0, p.cli.set.value[TS_CFG_PICKUP]);
	ASSERT_EQ(0, p.cli.set.value[TS_CFG_EVENT_RATE]);

	PARSE(&p, "config", "mode=Monitor");
	ASSERT_EQ(0, p.ret);
	ASSERT_EQ(TCPSESS_MODE_MONITOR, p.cli.set.value[TS_CFG_MODE]);

	PARSE(&p, "config", "pickup=1", "pickup=0");
	ASSERT_USAGE_ERROR(&p, "key 'pickup' given twice");
}

TEST(config_limits_are_the_kernels)
{
	struct parsed p;

	PARSE(&p, "config", "max_sessions=16777216", "timeout_closed=1728000",
	      "event_rate=10000000", "timeout_syn_sent=1",
	      "report_interval=86400");
	ASSERT_EQ(0, p.ret);
	PARSE(&p, "config", "report_interval=0");
	ASSERT_EQ(0, p.ret);
	ASSERT_EQ(0, p.cli.set.value[TS_CFG_REPORT_INTERVAL]);

	PARSE(&p, "config", "max_sessions=16777217");
	ASSERT_USAGE_ERROR(&p, "invalid value '16777217' for max_sessions");
	PARSE(&p, "config", "max_sessions=0");
	ASSERT_USAGE_ERROR(&p, "from 1 to 16777216");
	PARSE(&p, "config", "timeout_closed=1728001");
	ASSERT_USAGE_ERROR(&p, "from 1 to 1728000 (seconds)");
	PARSE(&p, "config", "timeout_fin_wait_2=0");
	ASSERT_USAGE_ERROR(&p, "for timeout_fin_wait_2");
	PARSE(&p, "config", "event_rate=10000001");
	ASSERT_USAGE_ERROR(&p, "from 0 to 10000000 (0: no limit)");
	PARSE(&p, "config", "timeout_pickup=0");
	ASSERT_USAGE_ERROR(&p, "for timeout_pickup: expected a whole number");
	ASSERT_USAGE_ERROR(&p, "from 1 to 1728000 (seconds)");
	PARSE(&p, "config", "report_interval=86401");
	ASSERT_USAGE_ERROR(&p, "for report_interval: expected a whole number");
	ASSERT_USAGE_ERROR(&p, "from 0 to 86400 (seconds, 0: no updates)");
	PARSE(&p, "config", "pickup=2");
	ASSERT_USAGE_ERROR(&p, "for pickup: expected 0 or 1");
	PARSE(&p, "config", "mode=drop");
	ASSERT_USAGE_ERROR(&p, "expected monitor or enforce");
	PARSE(&p, "config", "mode=");
	ASSERT_USAGE_ERROR(&p, "invalid value '' for mode");
	PARSE(&p, "config", "mode=monitorxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
	ASSERT_USAGE_ERROR(&p, "for mode");
}

TEST(config_bad_numbers)
{
	static const char *const bad[] = {
		"timeout_closed=", "timeout_closed=-1", "timeout_closed=+5",
		"timeout_closed= 5", "timeout_closed=5s", "timeout_closed=0x10",
		"timeout_closed=99999999999999999999999",
	};
	struct parsed p;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		PARSE(&p, "config", bad[i]);
		ASSERT_USAGE_ERROR(&p, "for timeout_closed");
	}
}

TEST(config_unknown_keys)
{
	static const char *const bad[] = {
		"timeout", "timeout_none", "timeout_NONE", "MODE", "mode_",
		"timeout_established_", "=5", "",
		"a_very_long_key_name_that_overflows_any_buffer_there_is_around_here=1",
	};
	struct parsed p;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		PARSE(&p, "config", bad[i]);
		ASSERT_USAGE_ERROR(&p, "unknown configuration key");
	}
}

TEST(config_show_and_set_do_not_mix)
{
	struct parsed p;

	PARSE(&p, "config", "mode", "pickup=1");
	ASSERT_USAGE_ERROR(&p, "not both");
	PARSE(&p, "config", "pickup=1", "mode");
	ASSERT_USAGE_ERROR(&p, "not both");
}

TEST(metrics_destinations)
{
	const struct sockaddr_in *sin;
	struct parsed p;

	PARSE(&p, "metrics");
	ASSERT_EQ(0, p.ret);
	ASSERT_EQ(TS_CMD_METRICS, p.cli.cmd);
	ASSERT_FALSE(p.cli.has_listen);
	ASSERT_EQ(NULL, p.cli.textfile);

	PARSE(&p, "metrics", "--textfile", "/var/lib/node/tcpsess.prom");
	ASSERT_EQ(0, p.ret);
	ASSERT_STREQ("/var/lib/node/tcpsess.prom", p.cli.textfile);
	ASSERT_FALSE(p.cli.has_listen);

	PARSE(&p, "metrics", "--listen=10.1.0.1:9101");
	ASSERT_EQ(0, p.ret);
	ASSERT_TRUE(p.cli.has_listen);
	sin = (const struct sockaddr_in *)&p.cli.listen.addr;
	ASSERT_EQ(AF_INET, sin->sin_family);
	ASSERT_EQ(9101, ntohs(sin->sin_port));
	ASSERT_EQ(htonl(0x0a010001), sin->sin_addr.s_addr);

	PARSE(&p, "metrics", "--listen", "127.0.0.1:1", "--textfile", "x");
	ASSERT_USAGE_ERROR(&p, "give one of --listen and --textfile");
	PARSE(&p, "metrics", "--textfile", "x", "--textfile", "y");
	ASSERT_USAGE_ERROR(&p, "give one of --listen and --textfile");
	PARSE(&p, "metrics", "--textfile=");
	ASSERT_USAGE_ERROR(&p, "empty --textfile path");
	PARSE(&p, "metrics", "--listen");
	ASSERT_USAGE_ERROR(&p, "option '--listen' needs a value");
	PARSE(&p, "metrics", "--listen", "localhost:9101");
	ASSERT_USAGE_ERROR(&p, "invalid listen address 'localhost:9101'");
	ASSERT_USAGE_ERROR(&p, "expected IPV4:PORT or [IPV6]:PORT");
	PARSE(&p, "stats", "--listen", "127.0.0.1:1");
	ASSERT_USAGE_ERROR(&p, "stats does not take option '--listen'");
	PARSE(&p, "metrics", "extra");
	ASSERT_USAGE_ERROR(&p, "unexpected argument 'extra'");
}

TEST(listen_addresses)
{
	static const char *const bad[] = {
		"", ":", "9101", ":9101", "127.0.0.1", "127.0.0.1:",
		"127.0.0.1:0", "127.0.0.1:65536", "127.0.0.1:+80",
		"127.0.0.1:80x", "127.0.0.1: 80", "1.2.3:80", "::1:80",
		"[::1]", "[::1]:", "[::1:80", "::1]:80", "[]:80", "[1.2.3.4]:80",
		"[::1]x:80", "localhost:80", "[fe80::1%eth0]:80",
		"[0000:0000:0000:0000:0000:0000:0000:0000:0000]:80",
	};
	const struct sockaddr_in6 *sin6;
	struct ts_listen l;
	unsigned int i;

	ASSERT_EQ(0, ts_listen_parse("[::]:9101", &l));
	sin6 = (const struct sockaddr_in6 *)&l.addr;
	ASSERT_EQ(AF_INET6, sin6->sin6_family);
	ASSERT_EQ(9101, ntohs(sin6->sin6_port));
	ASSERT_TRUE(IN6_IS_ADDR_UNSPECIFIED(&sin6->sin6_addr));
	ASSERT_EQ(sizeof(*sin6), l.len);

	ASSERT_EQ(0, ts_listen_parse("[fd01::1]:65535", &l));
	ASSERT_EQ(65535, ntohs(sin6->sin6_port));
	ASSERT_EQ(0xfd, sin6->sin6_addr.s6_addr[0]);
	ASSERT_EQ(1, sin6->sin6_addr.s6_addr[15]);

	ASSERT_EQ(0, ts_listen_parse("0.0.0.0:1", &l));
	ASSERT_EQ(AF_INET, l.addr.ss_family);
	ASSERT_EQ(sizeof(struct sockaddr_in), l.len);

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(-1, ts_listen_parse(bad[i], &l)) {
			TH_LOG("accepted '%s'", bad[i]);
		}
	}
}

/* Every help fits 80 columns and names its command. */
TEST(usage_texts)
{
	enum ts_cmd cmd;

	for (cmd = TS_CMD_NONE; cmd <= TS_CMD_EXPORT; cmd++) {
		char *text = NULL, *line, *save, want[64];
		size_t len = 0;
		FILE *f = open_memstream(&text, &len);

		ASSERT_NE(NULL, f);
		ts_cli_usage(f, cmd);
		ASSERT_EQ(0, fclose(f));
		snprintf(want, sizeof(want), "Usage: tcpsessctl %s",
			 cmd ? ts_cmd_name(cmd) : "");
		EXPECT_EQ(0, strncmp(text, want, strlen(want)));
		for (line = strtok_r(text, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save)) {
			EXPECT_GE(80, strlen(line)) {
				TH_LOG("too long: %s", line);
			}
			EXPECT_EQ(NULL, strchr(line, '\t'));
		}
		free(text);
	}
}

/*
 * Command lines made of pieces that almost make sense: every one is
 * either understood or refused with a message, and none crashes.
 */
TEST(random_command_lines)
{
	static const char *const pieces[] = {
		"list", "monitor", "stats", "config", "flush", "help", "--",
		"-", "", "--json", "-j", "--json=1", "--count", "-c",
		"--count=", "--rcvbuf", "--rcvbuf=9", "--af", "--af=6",
		"--addr", "--addr=::", "--port", "--port=", "--state",
		"--state=closed", "-h", "--help", "-V", "--version", "4", "6",
		"0", "65536", "10.0.0.1", "::1", "established", "mode",
		"mode=enforce", "mode=", "pickup=1", "max_sessions",
		"max_sessions=0", "timeout_closed=10", "event_rate=x", "=",
		"==", "--=", "-jj", "\xff\xfe", "%s%s%n", "metrics",
		"--listen", "--listen=127.0.0.1:9101", "[::]:80", "1.2.3.4:0",
		"--textfile", "--textfile=/tmp/x.prom", "export",
		"--ipfix", "--ipfix=[::1]:1", "h:1", "--tcp", "--domain",
		"--active-timeout=5",
	};
	char *argv[12] = { "tcpsessctl" };
	unsigned int round, argc, i;
	u32 rnd = 42;
	struct ts_cli cli;
	char err[128];
	int ret;

	for (round = 0; round < 100000; round++) {
		rnd = rnd * 1103515245 + 12345;
		argc = 1 + (rnd >> 16) % 10;
		for (i = 1; i < argc; i++) {
			rnd = rnd * 1103515245 + 12345;
			argv[i] = (char *)pieces[(rnd >> 8) % ARRAY_SIZE(pieces)];
		}
		argv[argc] = NULL;
		memset(err, 'x', sizeof(err));
		ret = ts_cli_parse(argc, argv, &cli, err, sizeof(err));
		ASSERT_TRUE(ret == 0 || ret == -1);
		ASSERT_NE(NULL, memchr(err, '\0', sizeof(err)));
		/* A refusal says why; an acceptance knows what to do. */
		ASSERT_TRUE(ret ? err[0] != '\0' :
				  cli.cmd || cli.help || cli.version);
		ASSERT_GE(TS_CFG_NKEYS, cli.nshow);
	}
}

TEST_HARNESS_MAIN
