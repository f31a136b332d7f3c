/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TCPSESSCTL_SERVE_H
#define _TCPSESSCTL_SERVE_H

#include <stdio.h>
#include <sys/socket.h>

#include "tcpsessctl.h"

/* How long one client may take, from its connect to its answer. */
#define TS_SERVE_CLIENT_MS	5000

/* Where --listen binds. */
struct ts_listen {
	struct sockaddr_storage addr;
	socklen_t len;
};

/*
 * "ADDR:PORT" with a dotted IPv4 address or "[ADDR]:PORT" with an IPv6
 * one, PORT from 1 to 65535. Returns 0, or -1 when text is not that.
 */
int ts_listen_parse(const char *text, struct ts_listen *l);

/*
 * Writes the body of an answer to GET /metrics into f. Returns 200, or
 * another status (503) with f holding a message for the client.
 */
typedef int (*ts_serve_render)(FILE *f, void *data);

/*
 * Serves HTTP on l, one client at a time, calling render afresh for each
 * request, until SIGINT or SIGTERM. Returns 0, or 1 if it could not
 * start, with the reason on stderr.
 */
int ts_serve(const struct ts_listen *l, ts_serve_render render, void *data);

#endif /* _TCPSESSCTL_SERVE_H */
