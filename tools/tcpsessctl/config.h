/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TCPSESSCTL_CONFIG_H
#define _TCPSESSCTL_CONFIG_H

#include <stddef.h>

#include "tcpsessctl.h"

/* "max_sessions", "timeout_syn_sent", ...; NULL past the last key. */
const char *ts_config_key_name(unsigned int key);

/* The key called name, or -1. */
int ts_config_key_from_name(const char *name);

/* The state a timeout key is for, or 0 for the other keys. */
unsigned int ts_config_key_state(unsigned int key);

/* The range a key accepts, as the kernel enforces it. */
void ts_config_key_range(unsigned int key, u32 *min, u32 *max);

/*
 * Parses a value for key; on error returns -1 and explains why in err,
 * naming the key.
 */
int ts_config_parse_value(unsigned int key, const char *text, u32 *value,
			  char *err, size_t errlen);

/* The value as it is shown: a number, or a mode's name. */
void ts_config_format_value(unsigned int key, u32 value, char *buf,
			    size_t len);

#endif /* _TCPSESSCTL_CONFIG_H */
