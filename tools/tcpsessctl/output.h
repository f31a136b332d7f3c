/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TCPSESSCTL_OUTPUT_H
#define _TCPSESSCTL_OUTPUT_H

#include <stddef.h>
#include <stdio.h>

#include "community_id.h"
#include "tcpsessctl.h"

/* Room for any formatted field, an IPv6 endpoint "[addr]:port" included. */
#define TS_CELL_LEN	64

/* s as a JSON string, quotes included; invalid UTF-8 becomes U+FFFD. */
void ts_json_string(FILE *f, const char *s);

/* "444ms", "1.20s", "12.3s", "5m03s", "2h05m", "3d04h": short, truncated. */
void ts_format_duration(u64 ms, char *buf, size_t len);

/* "634us", "1.25ms", "12.5ms", "125ms", then as a duration; "-" if absent. */
void ts_format_rtt(const struct ts_session *s, unsigned int attr, char *buf,
		   size_t len);

/* "10.0.0.1:80" or "[2001:db8::1]:80"; "?" for what is absent. */
void ts_format_endpoint(const struct ts_session *s, bool src, char *buf,
			size_t len);

/*
 * The Community ID (seed 0) of what s has of a flow; false if it lacks an
 * endpoint.
 */
bool ts_session_community_id(const struct ts_session *s,
			     char buf[TS_COMMUNITY_ID_LEN]);

void ts_print_session_json(FILE *f, const struct ts_session *s);
void ts_print_event_json(FILE *f, const struct ts_event *ev);
void ts_print_event_text(FILE *f, const struct ts_event *ev);

/* The counters in the order of /proc/net/tcpsess/stats. */
void ts_print_stats(FILE *f, const struct ts_stats *st, bool json);

/* keys, in that order, or all of them if nkeys is 0. */
void ts_print_config(FILE *f, const struct ts_config *cfg, const u8 *keys,
		     unsigned int nkeys, bool json);

/* The sessions of a dump, kept to be laid out as a table. */
struct ts_table {
	struct ts_session *rows;
	size_t len;
	size_t cap;
};

/* Returns 0 or -ENOMEM. */
int ts_table_add(struct ts_table *t, const struct ts_session *s);

/* Sorts the rows, oldest first, and prints them under a header. */
void ts_table_print(FILE *f, struct ts_table *t);

void ts_table_free(struct ts_table *t);

#endif /* _TCPSESSCTL_OUTPUT_H */
