/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TCPSESSCTL_CLI_H
#define _TCPSESSCTL_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "serve.h"
#include "tcpsessctl.h"

enum ts_cmd {
	TS_CMD_NONE,
	TS_CMD_LIST,
	TS_CMD_MONITOR,
	TS_CMD_STATS,
	TS_CMD_CONFIG,
	TS_CMD_FLUSH,
	TS_CMD_METRICS,
	TS_CMD_EXPORT,
};

/* A command line, understood. */
struct ts_cli {
	enum ts_cmd cmd;
	bool help;		/* print cmd's help (TS_CMD_NONE: the overview) */
	bool version;
	bool json;
	bool zeek;		/* monitor --json=zeek */
	u64 count;		/* monitor: stop after this many; 0: never */
	u32 rcvbuf;		/* monitor, export: SO_RCVBUF; 0: the default */
	struct ts_filter filter;
	struct ts_config set;	/* config: KEY=VALUE given */
	unsigned int nshow;	/* config: KEY given, in order */
	u8 show[TS_CFG_NKEYS];
	bool has_listen;	/* metrics --listen */
	struct ts_listen listen;
	const char *textfile;	/* metrics --textfile, or NULL */
	/* export: --ipfix HOST:PORT, brackets taken off an IPv6 address */
	char host[256];
	char port[6];
	bool tcp;
	u32 active_timeout;	/* seconds; 0: not given */
	u32 domain;
};

/*
 * Parses argv. Returns 0, or -1 on a usage error with the message in err;
 * cli->cmd then says which command's help to point to.
 */
int ts_cli_parse(int argc, char *const argv[], struct ts_cli *cli, char *err,
		 size_t errlen);

const char *ts_cmd_name(enum ts_cmd cmd);

/* The help of cmd, or with TS_CMD_NONE the overview. */
void ts_cli_usage(FILE *f, enum ts_cmd cmd);

#endif /* _TCPSESSCTL_CLI_H */
