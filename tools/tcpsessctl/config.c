// SPDX-License-Identifier: GPL-2.0
/*
 * The configuration keys of SPEC section 4. The timeout keys are named
 * after the states in names.c, so a state added there gets its key here.
 */
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "util.h"

#define TS_KEY_LEN	32

static char timeout_names[TCPSESS_STATE_MAX][TS_KEY_LEN];

static const char *timeout_name(unsigned int state)
{
	char *name = timeout_names[state - 1];

	if (!name[0]) {
		char lower[TCPSESS_STATE_NAME_LEN];

		tcpsess_state_name_lower(state, lower);
		snprintf(name, TS_KEY_LEN, "timeout_%s", lower);
	}
	return name;
}

const char *ts_config_key_name(unsigned int key)
{
	switch (key) {
	case TS_CFG_MAX_SESSIONS:
		return "max_sessions";
	case TS_CFG_MODE:
		return "mode";
	case TS_CFG_PICKUP:
		return "pickup";
	case TS_CFG_EVENT_RATE:
		return "event_rate";
	case TS_CFG_TIMEOUT_PICKUP:
		return "timeout_pickup";
	case TS_CFG_REPORT_INTERVAL:
		return "report_interval";
	}
	if (key >= TS_CFG_TIMEOUT && key < TS_CFG_MODE)
		return timeout_name(key - TS_CFG_TIMEOUT + 1);
	return NULL;
}

int ts_config_key_from_name(const char *name)
{
	unsigned int key;

	for (key = 0; key < TS_CFG_NKEYS; key++)
		if (!strcmp(ts_config_key_name(key), name))
			return key;
	return -1;
}

unsigned int ts_config_key_state(unsigned int key)
{
	if (key >= TS_CFG_TIMEOUT && key < TS_CFG_MODE)
		return key - TS_CFG_TIMEOUT + 1;
	return 0;
}

void ts_config_key_range(unsigned int key, u32 *min, u32 *max)
{
	switch (key) {
	case TS_CFG_MAX_SESSIONS:
		*min = 1;
		*max = TCPSESS_MAX_SESSIONS_LIMIT;
		break;
	case TS_CFG_MODE:
		*min = 0;
		*max = TCPSESS_MODE_MAX;
		break;
	case TS_CFG_PICKUP:
		*min = 0;
		*max = 1;
		break;
	case TS_CFG_EVENT_RATE:
		*min = 0;
		*max = TCPSESS_EVENT_RATE_LIMIT;
		break;
	case TS_CFG_REPORT_INTERVAL:
		*min = 0;
		*max = TCPSESS_REPORT_INTERVAL_LIMIT;
		break;
	default:
		*min = 1;
		*max = TCPSESS_TIMEOUT_LIMIT;
		break;
	}
}

int ts_config_parse_value(unsigned int key, const char *text, u32 *value,
			  char *err, size_t errlen)
{
	const char *name = ts_config_key_name(key);
	u32 min, max;
	u64 v;

	if (key == TS_CFG_MODE) {
		char lower[16];
		int mode;

		ts_strcase(lower, sizeof(lower), text, false);
		mode = strlen(text) < sizeof(lower) ?
		       tcpsess_mode_from_name(lower) : -1;
		if (mode < 0) {
			snprintf(err, errlen,
				 "invalid value '%s' for mode: expected monitor or enforce",
				 text);
			return -1;
		}
		*value = mode;
		return 0;
	}
	ts_config_key_range(key, &min, &max);
	if (ts_parse_u64(text, min, max, &v)) {
		if (key == TS_CFG_PICKUP)
			snprintf(err, errlen,
				 "invalid value '%s' for pickup: expected 0 or 1",
				 text);
		else
			snprintf(err, errlen,
				 "invalid value '%s' for %s: expected a whole number from %u to %u%s",
				 text, name, min, max,
				 ts_config_key_state(key) ||
				 key == TS_CFG_TIMEOUT_PICKUP ? " (seconds)" :
				 key == TS_CFG_EVENT_RATE ? " (0: no limit)" :
				 key == TS_CFG_REPORT_INTERVAL ?
				 " (seconds, 0: no updates)" : "");
		return -1;
	}
	*value = v;
	return 0;
}

void ts_config_format_value(unsigned int key, u32 value, char *buf, size_t len)
{
	const char *mode = key == TS_CFG_MODE ? tcpsess_mode_name(value) : NULL;

	if (mode)
		snprintf(buf, len, "%s", mode);
	else
		snprintf(buf, len, "%u", value);
}
