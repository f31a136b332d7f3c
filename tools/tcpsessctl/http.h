/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TCPSESSCTL_HTTP_H
#define _TCPSESSCTL_HTTP_H

#include <stddef.h>
#include <stdio.h>

#include "tcpsessctl.h"

/* The most a request's head may take; a longer one is refused. */
#define TS_HTTP_HEAD_MAX	8192

/* The one resource served. */
#define TS_HTTP_PATH		"/metrics"

/*
 * Judges the len bytes a client has sent so far. Returns 0 while the head
 * is incomplete and could still turn out well, else the status to answer:
 * 200 for a whole GET or HEAD of TS_HTTP_PATH (any query), 404 for another
 * path, 405 for another method, 400 for what is not HTTP, 505 for a
 * version other than 1.x, 414 or 431 when the request line or the head
 * outgrows TS_HTTP_HEAD_MAX. A request line that settles the answer is
 * answered without waiting for the headers. *head_only is set for HEAD.
 */
int ts_http_judge(const char *buf, size_t len, bool *head_only);

/* "OK", "Not Found", ...: the reason phrase of a status judge returns. */
const char *ts_http_reason(int status);

/*
 * The status line and headers of an answer whose body, of type
 * content_type, is length bytes long; the connection is closed after it.
 */
void ts_http_response_head(FILE *f, int status, const char *content_type,
			   size_t length);

#endif /* _TCPSESSCTL_HTTP_H */
