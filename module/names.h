/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TCPSESS_NAMES_H
#define _TCPSESS_NAMES_H

#include "portable.h"
#include <linux/tcpsess.h>

/*
 * The names users see, shared by /proc, tcpsessctl and the tests so that
 * they can never disagree. Each lookup returns NULL for an unknown value.
 */
const char *tcpsess_state_name(unsigned int state);
const char *tcpsess_event_name(unsigned int event);
const char *tcpsess_end_reason_name(unsigned int reason);
const char *tcpsess_invalid_reason_name(unsigned int reason);
const char *tcpsess_mode_name(unsigned int mode);
const char *tcpsess_stat_name(unsigned int stat);

/* Room for every flag name, the commas and the terminating NUL. */
#define TCPSESS_FLAGS_LEN 32

/* Session flags as /proc prints them: "PICKUP,SIMOPEN", or "-" for none. */
void tcpsess_flags_format(unsigned int flags, char buf[TCPSESS_FLAGS_LEN]);

/* Reverse lookups for parsing; return -1 when the name is not known. */
int tcpsess_state_from_name(const char *name);
int tcpsess_mode_from_name(const char *name);

#endif /* _TCPSESS_NAMES_H */
