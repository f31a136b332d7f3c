// SPDX-License-Identifier: GPL-2.0
/*
 * The command line. Parsed by hand rather than with getopt_long(): options
 * belong to a command, and a parser without global state can be run by
 * the unit tests as often as they like.
 */
#include <limits.h>
#include <stdint.h>
#include <string.h>

#include "cli.h"
#include "config.h"
#include "filter.h"
#include "util.h"

static const char *const cmd_names[] = {
	[TS_CMD_LIST] = "list",
	[TS_CMD_MONITOR] = "monitor",
	[TS_CMD_STATS] = "stats",
	[TS_CMD_CONFIG] = "config",
	[TS_CMD_FLUSH] = "flush",
	[TS_CMD_METRICS] = "metrics",
	[TS_CMD_EXPORT] = "export",
};

const char *ts_cmd_name(enum ts_cmd cmd)
{
	return cmd > TS_CMD_NONE && cmd < ARRAY_SIZE(cmd_names) ?
	       cmd_names[cmd] : NULL;
}

static enum ts_cmd cmd_from_name(const char *name)
{
	unsigned int cmd;

	for (cmd = TS_CMD_NONE + 1; cmd < ARRAY_SIZE(cmd_names); cmd++)
		if (!strcmp(cmd_names[cmd], name))
			return cmd;
	return TS_CMD_NONE;
}

enum opt_id {
	OPT_HELP,
	OPT_VERSION,
	OPT_JSON,
	OPT_COUNT,
	OPT_RCVBUF,
	OPT_AF,
	OPT_ADDR,
	OPT_PORT,
	OPT_STATE,
	OPT_LISTEN,
	OPT_TEXTFILE,
	OPT_IPFIX,
	OPT_TCP,
	OPT_ACTIVE_TIMEOUT,
	OPT_DOMAIN,
};

#define CMD(c)		(1U << (c))
#define CMDS_ALL	(CMD(TS_CMD_LIST) | CMD(TS_CMD_MONITOR) | \
			 CMD(TS_CMD_STATS) | CMD(TS_CMD_CONFIG) | \
			 CMD(TS_CMD_FLUSH) | CMD(TS_CMD_METRICS) | \
			 CMD(TS_CMD_EXPORT))
#define CMDS_FILTER	(CMD(TS_CMD_LIST) | CMD(TS_CMD_MONITOR))

static const struct opt {
	const char *name;
	char short_name;
	bool has_value;
	bool inline_value;	/* takes a value only as "--name=value" */
	unsigned int cmds;	/* the commands that take it */
} opts[] = {
	[OPT_HELP] = { "help", 'h', false, false, CMDS_ALL },
	[OPT_VERSION] = { "version", 'V', false, false, CMDS_ALL },
	[OPT_JSON] = { "json", 'j', false, true,
		       CMDS_ALL & ~CMD(TS_CMD_FLUSH) & ~CMD(TS_CMD_METRICS) &
		       ~CMD(TS_CMD_EXPORT) },
	[OPT_COUNT] = { "count", 'c', true, false, CMD(TS_CMD_MONITOR) },
	[OPT_RCVBUF] = { "rcvbuf", 0, true, false,
			 CMD(TS_CMD_MONITOR) | CMD(TS_CMD_EXPORT) },
	[OPT_AF] = { "af", 0, true, false, CMDS_FILTER },
	[OPT_ADDR] = { "addr", 0, true, false, CMDS_FILTER },
	[OPT_PORT] = { "port", 0, true, false, CMDS_FILTER },
	[OPT_STATE] = { "state", 0, true, false, CMDS_FILTER },
	[OPT_LISTEN] = { "listen", 0, true, false, CMD(TS_CMD_METRICS) },
	[OPT_TEXTFILE] = { "textfile", 0, true, false, CMD(TS_CMD_METRICS) },
	[OPT_IPFIX] = { "ipfix", 0, true, false, CMD(TS_CMD_EXPORT) },
	[OPT_TCP] = { "tcp", 0, false, false, CMD(TS_CMD_EXPORT) },
	[OPT_ACTIVE_TIMEOUT] = { "active-timeout", 0, true, false,
				 CMD(TS_CMD_EXPORT) },
	[OPT_DOMAIN] = { "domain", 0, true, false, CMD(TS_CMD_EXPORT) },
};

/*
 * Finds the option arg names: "--name", "--name=value" or "-n". Returns
 * its index or -1; *inline_value points past '=' if there is one.
 */
static int find_opt(const char *arg, const char **inline_value)
{
	size_t len;
	unsigned int i;

	*inline_value = NULL;
	if (arg[0] == '-' && arg[1] != '-') {
		for (i = 0; i < ARRAY_SIZE(opts); i++)
			if (opts[i].short_name && arg[1] == opts[i].short_name &&
			    !arg[2])
				return i;
		return -1;
	}
	arg += 2;
	len = strcspn(arg, "=");
	for (i = 0; i < ARRAY_SIZE(opts); i++) {
		if (strlen(opts[i].name) != len ||
		    strncmp(opts[i].name, arg, len))
			continue;
		if (arg[len] == '=')
			*inline_value = arg + len + 1;
		return i;
	}
	return -1;
}

static int config_arg(struct ts_cli *cli, const char *arg, char *err,
		      size_t errlen)
{
	const char *eq = strchr(arg, '=');
	size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
	char name[40];
	int key;
	u32 value;

	key = -1;
	if (len < sizeof(name)) {
		memcpy(name, arg, len);
		name[len] = '\0';
		key = ts_config_key_from_name(name);
	}
	if (key < 0) {
		snprintf(err, errlen, "unknown configuration key '%.*s'",
			 (int)(len < 64 ? len : 64), arg);
		return -1;
	}
	if (cli->set.present & TS_BIT(key)) {
		snprintf(err, errlen, "key '%s' given twice", name);
		return -1;
	}
	if (!eq) {
		unsigned int i;

		for (i = 0; i < cli->nshow; i++) {
			if (cli->show[i] == key) {
				snprintf(err, errlen, "key '%s' given twice",
					 name);
				return -1;
			}
		}
		cli->show[cli->nshow++] = key;
		return 0;
	}
	if (ts_config_parse_value(key, eq + 1, &value, err, errlen))
		return -1;
	cli->set.value[key] = value;
	cli->set.present |= TS_BIT(key);
	return 0;
}

static int positional(struct ts_cli *cli, const char *arg, char *err,
		      size_t errlen)
{
	if (cli->cmd != TS_CMD_CONFIG) {
		snprintf(err, errlen, "unexpected argument '%s'", arg);
		return -1;
	}
	if (config_arg(cli, arg, err, errlen))
		return -1;
	/* Setting is one atomic request; a show in it would be ambiguous. */
	if (cli->nshow && cli->set.present) {
		snprintf(err, errlen,
			 "either show keys (KEY) or set them (KEY=VALUE), not both");
		return -1;
	}
	return 0;
}

/* Where metrics go: stdout, or one of --listen and --textfile. */
static int metrics_opt(struct ts_cli *cli, enum opt_id id, const char *value,
		       char *err, size_t errlen)
{
	if (cli->has_listen || cli->textfile) {
		snprintf(err, errlen,
			 "give one of --listen and --textfile, once");
		return -1;
	}
	if (id == OPT_TEXTFILE) {
		if (!value[0]) {
			snprintf(err, errlen, "empty --textfile path");
			return -1;
		}
		cli->textfile = value;
		return 0;
	}
	if (ts_listen_parse(value, &cli->listen)) {
		snprintf(err, errlen,
			 "invalid listen address '%s': expected IPV4:PORT or [IPV6]:PORT",
			 value);
		return -1;
	}
	cli->has_listen = true;
	return 0;
}

/* HOST:PORT, or [IPV6]:PORT. */
static int parse_collector(struct ts_cli *cli, const char *arg, char *err,
			   size_t errlen)
{
	const char *host = arg, *colon;
	size_t len;
	u64 port;

	if (arg[0] == '[') {
		host = arg + 1;
		colon = strchr(host, ']');
		len = colon ? (size_t)(colon - host) : 0;
		colon = colon && colon[1] == ':' ? colon + 1 : NULL;
	} else {
		colon = strrchr(arg, ':');
		len = colon ? (size_t)(colon - arg) : 0;
		if (colon && memchr(arg, ':', len)) {
			snprintf(err, errlen,
				 "invalid collector '%s': write an IPv6 address as [ADDR]:PORT",
				 arg);
			return -1;
		}
	}
	if (!colon || !len || len >= sizeof(cli->host) ||
	    ts_parse_u64(colon + 1, 1, UINT16_MAX, &port)) {
		snprintf(err, errlen,
			 "invalid collector '%s': expected HOST:PORT, PORT from 1 to %u",
			 arg, UINT16_MAX);
		return -1;
	}
	memcpy(cli->host, host, len);
	cli->host[len] = '\0';
	snprintf(cli->port, sizeof(cli->port), "%u", (unsigned int)port);
	return 0;
}

static int apply_opt(struct ts_cli *cli, enum opt_id id, const char *value,
		     char *err, size_t errlen)
{
	u64 n;

	switch (id) {
	case OPT_HELP:
		cli->help = true;
		break;
	case OPT_VERSION:
		cli->version = true;
		break;
	case OPT_JSON:
		cli->json = true;
		if (!value)
			break;
		/* Zeek's records are of ended sessions, which only events tell. */
		if (strcmp(value, "zeek")) {
			snprintf(err, errlen,
				 "unknown JSON format '%s': expected zeek", value);
			return -1;
		}
		if (cli->cmd != TS_CMD_MONITOR) {
			snprintf(err, errlen, "%s does not take option '--json=zeek'",
				 ts_cmd_name(cli->cmd));
			return -1;
		}
		cli->zeek = true;
		break;
	case OPT_COUNT:
		if (ts_parse_u64(value, 1, UINT64_MAX, &n)) {
			snprintf(err, errlen,
				 "invalid count '%s': expected a whole number from 1",
				 value);
			return -1;
		}
		cli->count = n;
		break;
	case OPT_RCVBUF:
		if (ts_parse_u64(value, 1, INT_MAX, &n)) {
			snprintf(err, errlen,
				 "invalid receive buffer size '%s': expected 1 to %d bytes",
				 value, INT_MAX);
			return -1;
		}
		cli->rcvbuf = n;
		break;
	case OPT_AF:
		return ts_filter_set(&cli->filter, TS_FILTER_AF, value, err,
				     errlen);
	case OPT_ADDR:
		return ts_filter_set(&cli->filter, TS_FILTER_ADDR, value, err,
				     errlen);
	case OPT_PORT:
		return ts_filter_set(&cli->filter, TS_FILTER_PORT, value, err,
				     errlen);
	case OPT_STATE:
		return ts_filter_set(&cli->filter, TS_FILTER_STATE, value, err,
				     errlen);
	case OPT_LISTEN:
	case OPT_TEXTFILE:
		return metrics_opt(cli, id, value, err, errlen);
	case OPT_IPFIX:
		return parse_collector(cli, value, err, errlen);
	case OPT_TCP:
		cli->tcp = true;
		break;
	case OPT_ACTIVE_TIMEOUT:
		if (ts_parse_u64(value, 1, TCPSESS_TIMEOUT_LIMIT, &n)) {
			snprintf(err, errlen,
				 "invalid active timeout '%s': expected 1 to %u seconds",
				 value, TCPSESS_TIMEOUT_LIMIT);
			return -1;
		}
		cli->active_timeout = n;
		break;
	case OPT_DOMAIN:
		if (ts_parse_u64(value, 0, UINT32_MAX, &n)) {
			snprintf(err, errlen,
				 "invalid observation domain '%s': expected 0 to %u",
				 value, UINT32_MAX);
			return -1;
		}
		cli->domain = n;
		break;
	}
	return 0;
}

/* One option, and its value from the next argument if need be. */
static int parse_option(struct ts_cli *cli, int argc, char *const argv[],
			int *i, char *err, size_t errlen)
{
	const char *arg = argv[*i], *value;
	const struct opt *o;
	int id;

	id = find_opt(arg, &value);
	if (id < 0) {
		if (cli->cmd)
			snprintf(err, errlen, "unknown option '%s' for %s",
				 arg, ts_cmd_name(cli->cmd));
		else
			snprintf(err, errlen, "unknown option '%s'", arg);
		return -1;
	}
	o = &opts[id];
	/* Before the command only the global options make sense. */
	if (!cli->cmd ? id != OPT_HELP && id != OPT_VERSION :
			!(o->cmds & CMD(cli->cmd))) {
		if (cli->cmd)
			snprintf(err, errlen, "%s does not take option '%s'",
				 ts_cmd_name(cli->cmd), arg);
		else
			snprintf(err, errlen,
				 "option '%s' must follow a command", arg);
		return -1;
	}
	if (!o->has_value && !o->inline_value && value) {
		snprintf(err, errlen, "option '--%s' takes no value", o->name);
		return -1;
	}
	if (o->has_value && !value) {
		if (*i + 1 >= argc) {
			snprintf(err, errlen, "option '%s' needs a value", arg);
			return -1;
		}
		value = argv[++*i];
	}
	return apply_opt(cli, id, value, err, errlen);
}

int ts_cli_parse(int argc, char *const argv[], struct ts_cli *cli, char *err,
		 size_t errlen)
{
	bool options_done = false;
	int i;

	memset(cli, 0, sizeof(*cli));
	err[0] = '\0';
	for (i = 1; i < argc && !cli->help && !cli->version; i++) {
		const char *arg = argv[i];

		if (!options_done && !strcmp(arg, "--")) {
			options_done = true;
		} else if (!options_done && arg[0] == '-' && arg[1]) {
			if (parse_option(cli, argc, argv, &i, err, errlen))
				return -1;
		} else if (!cli->cmd && !strcmp(arg, "help")) {
			/* "help [COMMAND]" */
			cli->help = true;
			if (i + 1 < argc) {
				cli->cmd = cmd_from_name(argv[i + 1]);
				if (!cli->cmd) {
					snprintf(err, errlen,
						 "unknown command '%s'",
						 argv[i + 1]);
					return -1;
				}
			}
		} else if (!cli->cmd) {
			cli->cmd = cmd_from_name(arg);
			if (!cli->cmd) {
				snprintf(err, errlen, "unknown command '%s'",
					 arg);
				return -1;
			}
		} else if (positional(cli, arg, err, errlen)) {
			return -1;
		}
	}
	if (!cli->cmd && !cli->help && !cli->version) {
		snprintf(err, errlen, "no command given");
		return -1;
	}
	if (cli->cmd == TS_CMD_EXPORT && !cli->help && !cli->version &&
	    !cli->host[0]) {
		snprintf(err, errlen, "export needs --ipfix HOST:PORT");
		return -1;
	}
	return 0;
}

static const char filters_help[] =
	"  --af 4|6           address family\n"
	"  --addr ADDR        either endpoint's IPv4 or IPv6 address\n"
	"  --port PORT        either endpoint's port\n"
	"  --state STATE      the session's state, e.g. ESTABLISHED or time_wait\n";

static void usage_overview(FILE *f)
{
	fprintf(f,
		"Usage: %s [-h|--help] [-V|--version] COMMAND [OPTIONS]\n"
		"\n"
		"Shows and controls tcpsess, the TCP session tracker, in this network\n"
		"namespace.\n"
		"\n"
		"Commands:\n"
		"  list    [--json] [FILTER...]   show the sessions\n"
		"  monitor [--json[=zeek]] [--count N] [--rcvbuf BYTES] [FILTER...]\n"
		"                                 print session events as they happen\n"
		"  stats   [--json]               show the counters\n"
		"  config  [--json] [KEY[=VALUE]...]\n"
		"                                 show or change the configuration\n"
		"  flush                          end every session\n"
		"  metrics [--listen ADDR:PORT | --textfile PATH]\n"
		"                                 the counters as Prometheus metrics\n"
		"  export  --ipfix HOST:PORT [--tcp] [--active-timeout SECONDS]\n"
		"          [--domain ID]          send IPFIX flow records to a collector\n"
		"  help [COMMAND]                 show a command's help\n"
		"\n"
		"Filters (list, monitor; all given must match):\n",
		TS_PROG);
	fputs(filters_help, f);
	fprintf(f,
		"\n"
		"--json prints JSON Lines: one object per line. Exit status: 0 success,\n"
		"1 error, 2 usage error. '%s COMMAND --help' tells more; see also\n"
		"tcpsessctl(8).\n",
		TS_PROG);
}

static void usage_list(FILE *f)
{
	fprintf(f,
		"Usage: %s list [--json] [FILTER...]\n"
		"\n"
		"Shows the sessions of this network namespace as a table, oldest first.\n"
		"PKTS, BYTES and RETRANS read orig/reply; orig is the side that sent the\n"
		"first SYN. RTT-SYN is SYN to SYN-ACK, RTT-ACK SYN-ACK to the third ACK,\n"
		"'-' if not measured.\n"
		"\n"
		"Options:\n"
		"  -j, --json         one JSON object per session and line, keyed by the\n"
		"                     columns of /proc/net/tcpsess/sessions\n"
		"  -h, --help         show this help\n"
		"\n"
		"Filters (all given must match; the kernel applies them):\n"
		"%s",
		TS_PROG, filters_help);
}

static void usage_monitor(FILE *f)
{
	fprintf(f,
		"Usage: %s monitor [--json[=zeek]] [--count N] [--rcvbuf BYTES]\n"
		"                          [FILTER...]\n"
		"\n"
		"Prints session events as they happen, one line each, until SIGINT or\n"
		"SIGTERM, or until N events have been printed. Needs CAP_NET_ADMIN.\n"
		"\n"
		"  NEW 17 10.0.0.1:40000 -> 10.0.0.2:80 SYN_SENT\n"
		"  STATE 17 10.0.0.1:40000 -> 10.0.0.2:80 SYN_SENT -> SYN_RECV\n"
		"  END 17 10.0.0.1:40000 -> 10.0.0.2:80 reason FIN in TIME_WAIT age 1.20s\n"
		"      pkts 9/7 bytes 3000/3000 rtt 634us/761us retrans 0/0 history ShADadFf\n"
		"  INVALID 17 10.0.0.1:40000 -> 10.0.0.2:80 bad_checksum in ESTABLISHED dir orig\n"
		"  UPDATE 18 10.0.0.1:40002 -> 10.0.0.2:80 ESTABLISHED age 5.00s\n"
		"      pkts 90/70 bytes 30000/3000 rtt 634us/761us retrans 0/0 history ShADad\n"
		"\n"
		"END's and UPDATE's lines are wrapped here, not when printed. A live\n"
		"session's UPDATE comes every report_interval seconds (see config).\n"
		"An INVALID event of no session shows '-' for the id and the segment's\n"
		"sender as the source.\n"
		"Events lost because the receive buffer overran are counted on stderr.\n"
		"\n"
		"Options:\n"
		"  -j, --json         one JSON object per event and line: the session's\n"
		"                     keys (as list --json) and event, seq, and where they\n"
		"                     apply old_state, reason, dir\n"
		"  --json=zeek        one Zeek conn.log JSON record per ended session\n"
		"                     (END events only; see tcpsessctl(8))\n"
		"  -c, --count N      exit after printing N events (or records)\n"
		"  --rcvbuf BYTES     the socket's receive buffer (SO_RCVBUF)\n"
		"  -h, --help         show this help\n"
		"\n"
		"Filters (all given must match the session an event is about):\n"
		"%s",
		TS_PROG, filters_help);
}

static void usage_stats(FILE *f)
{
	fprintf(f,
		"Usage: %s stats [--json]\n"
		"\n"
		"Shows this network namespace's counters, one 'name value' per line, as\n"
		"/proc/net/tcpsess/stats does. state_* are live gauges, the others count\n"
		"since the namespace was created.\n"
		"\n"
		"Options:\n"
		"  -j, --json         one JSON object\n"
		"  -h, --help         show this help\n",
		TS_PROG);
}

static void usage_config(FILE *f)
{
	unsigned int key;
	u32 min, max;

	fprintf(f,
		"Usage: %s config [--json] [KEY...]\n"
		"       %s config KEY=VALUE...\n"
		"\n"
		"Shows this network namespace's configuration, all of it or the keys\n"
		"named, one 'key value' per line. With KEY=VALUE, sets the values in one\n"
		"request: all of them or, on any error, none. Setting needs CAP_NET_ADMIN.\n"
		"\n"
		"Keys:\n",
		TS_PROG, TS_PROG);
	for (key = 0; key < TS_CFG_NKEYS; key++) {
		const char *name = ts_config_key_name(key);

		ts_config_key_range(key, &min, &max);
		if (key == TS_CFG_MODE)
			fprintf(f, "  %-22s monitor | enforce (drop invalid segments)\n",
				name);
		else if (key == TS_CFG_PICKUP)
			fprintf(f, "  %-22s 0 | 1 (track sessions seen mid-stream)\n",
				name);
		else if (key == TS_CFG_EVENT_RATE)
			fprintf(f, "  %-22s %u..%u events per second, 0: no limit\n",
				name, min, max);
		else if (key == TS_CFG_TIMEOUT_PICKUP)
			fprintf(f, "  %-22s %u..%u seconds idle while picked up, unconfirmed\n",
				name, min, max);
		else if (key == TS_CFG_REPORT_INTERVAL)
			fprintf(f, "  %-22s %u..%u seconds between UPDATE events, 0: none\n",
				name, min, max);
		else if (ts_config_key_state(key))
			fprintf(f, "  %-22s %u..%u seconds idle in %s\n", name,
				min, max,
				tcpsess_state_name(ts_config_key_state(key)));
		else
			fprintf(f, "  %-22s %u..%u sessions\n", name, min, max);
	}
	fprintf(f,
		"\n"
		"Options:\n"
		"  -j, --json         one JSON object\n"
		"  -h, --help         show this help\n");
}

static void usage_flush(FILE *f)
{
	fprintf(f,
		"Usage: %s flush\n"
		"\n"
		"Ends every session of this network namespace, with reason FLUSHED.\n"
		"Needs CAP_NET_ADMIN.\n"
		"\n"
		"Options:\n"
		"  -h, --help         show this help\n",
		TS_PROG);
}

static void usage_metrics(FILE *f)
{
	fprintf(f,
		"Usage: %s metrics [--listen ADDR:PORT | --textfile PATH]\n"
		"\n"
		"Shows this network namespace's counters as Prometheus metrics, in the\n"
		"text exposition format 0.0.4: tcpsess_sessions{state}, the counters\n"
		"(tcpsess_*_total, by reason where /proc has one line per reason) and the\n"
		"histograms tcpsess_handshake_rtt_seconds{leg=\"syn\"|\"ack\"}. Prints them\n"
		"once, unless told otherwise:\n"
		"\n"
		"Options:\n"
		"  --textfile PATH    write them to PATH instead, atomically (through a\n"
		"                     file beside it), for node_exporter's textfile\n"
		"                     collector; run again from a timer to refresh\n"
		"  --listen ADDR:PORT serve them over HTTP at /metrics, fresh for each\n"
		"                     request, until SIGINT or SIGTERM; ADDR is IPv4, or\n"
		"                     IPv6 in brackets: 127.0.0.1:9101, [::]:9101\n"
		"  -h, --help         show this help\n",
		TS_PROG);
}

static void usage_export(FILE *f)
{
	fprintf(f,
		"Usage: %s export --ipfix HOST:PORT [--tcp] [--active-timeout SECONDS]\n"
		"                  [--domain ID] [--rcvbuf BYTES]\n"
		"\n"
		"Sends IPFIX (RFC 7011) to a collector until SIGINT or SIGTERM: one biflow\n"
		"record (RFC 5103) per session that ends, and with --active-timeout one\n"
		"interim record per live session every SECONDS, each with the packets\n"
		"and bytes since the session's last record. Records the collector could\n"
		"not take and events lost before they were read are counted, reported\n"
		"in an options record every minute and at exit, and on stderr at exit.\n"
		"Needs CAP_NET_ADMIN.\n"
		"\n"
		"Options:\n"
		"  --ipfix HOST:PORT  the collector; an IPv6 address as [ADDR]:PORT\n"
		"  --tcp              over TCP, reconnecting when it goes away (default:\n"
		"                     UDP, templates resent every minute)\n"
		"  --active-timeout SECONDS\n"
		"                     sets this namespace's report_interval; it stays set\n"
		"                     after export exits\n"
		"  --domain ID        the observation domain id (default 0)\n"
		"  --rcvbuf BYTES     the event socket's receive buffer (default 4 MiB)\n"
		"  -h, --help         show this help\n",
		TS_PROG);
}

void ts_cli_usage(FILE *f, enum ts_cmd cmd)
{
	switch (cmd) {
	case TS_CMD_NONE:
		usage_overview(f);
		break;
	case TS_CMD_LIST:
		usage_list(f);
		break;
	case TS_CMD_MONITOR:
		usage_monitor(f);
		break;
	case TS_CMD_STATS:
		usage_stats(f);
		break;
	case TS_CMD_CONFIG:
		usage_config(f);
		break;
	case TS_CMD_FLUSH:
		usage_flush(f);
		break;
	case TS_CMD_METRICS:
		usage_metrics(f);
		break;
	case TS_CMD_EXPORT:
		usage_export(f);
		break;
	}
}
