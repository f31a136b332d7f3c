/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Zeek's conn.log, as its JSON writer lays it out: one record per ended
 * session, so that whatever reads Zeek's logs reads tcpsess's.
 */
#ifndef _TCPSESSCTL_ZEEK_H
#define _TCPSESSCTL_ZEEK_H

#include <stdio.h>

#include "tcpsessctl.h"

/* Zeek's conn_state values, as scripts/base/protocols/conn defines them. */
enum ts_conn_state {
	TS_CONN_S0,	/* attempt seen, no reply */
	TS_CONN_S1,	/* established, not terminated */
	TS_CONN_SF,	/* established and closed by both */
	TS_CONN_REJ,	/* attempt rejected */
	TS_CONN_S2,	/* established, orig closed, resp did not */
	TS_CONN_S3,	/* established, resp closed, orig did not */
	TS_CONN_RSTO,	/* established, orig reset */
	TS_CONN_RSTR,	/* resp reset */
	TS_CONN_RSTOS0,	/* orig sent SYN then RST, no SYN-ACK seen */
	TS_CONN_RSTRH,	/* resp sent SYN-ACK then RST, no SYN seen */
	TS_CONN_SH,	/* orig sent SYN then FIN, no SYN-ACK seen */
	TS_CONN_SHR,	/* resp sent SYN-ACK then FIN, no SYN seen */
	TS_CONN_OTH,	/* none of these: midstream traffic */
	TS_CONN_NSTATES
};

const char *ts_conn_state_name(enum ts_conn_state state);

/*
 * The conn_state of a session that ended with history and these payload
 * byte counts. NULL or "-" is an empty history.
 */
enum ts_conn_state ts_conn_state(const char *history, u64 orig_bytes,
				 u64 resp_bytes);

/* "C" and 17 base62 digits: 96 bits, as many as Zeek's uids carry. */
#define TS_ZEEK_UID_LEN		19
#define TS_BOOT_ID_LEN		16

/*
 * Session ids are unique within a boot (they are the monotonic clock at
 * birth); the boot's random id makes them unique across hosts and boots.
 * Every client on the host gives a session the same uid.
 */
void ts_zeek_uid(const u8 boot_id[TS_BOOT_ID_LEN], u64 id,
		 char buf[TS_ZEEK_UID_LEN]);

/* Parses the "xxxxxxxx-xxxx-..." of /proc/sys/kernel/random/boot_id. */
int ts_parse_boot_id(const char *text, u8 boot_id[TS_BOOT_ID_LEN]);

/* What a writer of records needs besides the events. */
struct ts_zeek {
	u8 boot_id[TS_BOOT_ID_LEN];
	u64 (*wall_us)(void);	/* the wall clock, µs since the epoch */
};

/*
 * The conn.log record of the session an END event describes, read at
 * now_us (wall clock), on one line. Returns false, printing nothing, for
 * an event that is not an END or lacks the session's endpoints or id.
 */
bool ts_print_zeek_conn(FILE *f, const struct ts_zeek *z,
			const struct ts_event *ev, u64 now_us);

#endif /* _TCPSESSCTL_ZEEK_H */
