/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TCPSESSCTL_FILTER_H
#define _TCPSESSCTL_FILTER_H

#include <stddef.h>

#include "tcpsessctl.h"

enum ts_filter_opt {
	TS_FILTER_AF,
	TS_FILTER_ADDR,
	TS_FILTER_PORT,
	TS_FILTER_STATE,
};

/*
 * Sets one filter from its option's value. Returns 0, or -1 with the
 * reason in err: a bad value, the same filter twice, or an address not of
 * the family asked for.
 */
int ts_filter_set(struct ts_filter *f, enum ts_filter_opt opt,
		  const char *value, char *err, size_t errlen);

bool ts_filter_empty(const struct ts_filter *f);

/*
 * Whether a session passes every filter set, as the kernel decides for a
 * dump: a filter on a field the session lacks does not match.
 */
bool ts_filter_match(const struct ts_filter *f, const struct ts_session *s);

/* A state's name in any case, '-' for '_'; 0 if it names none but NONE. */
unsigned int ts_state_from_user(const char *name);

#endif /* _TCPSESSCTL_FILTER_H */
