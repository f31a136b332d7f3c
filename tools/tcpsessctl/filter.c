// SPDX-License-Identifier: GPL-2.0
/*
 * The filters of list and monitor. list hands them to the kernel; events
 * cannot be filtered there, so monitor matches them here, the way the
 * kernel matches a dump, for the same options to mean the same thing.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "filter.h"
#include "util.h"

unsigned int ts_state_from_user(const char *name)
{
	char upper[32];
	size_t i;
	int state;

	if (strlen(name) >= sizeof(upper))
		return 0;
	ts_strcase(upper, sizeof(upper), name, true);
	for (i = 0; upper[i]; i++)
		if (upper[i] == '-')
			upper[i] = '_';
	state = tcpsess_state_from_name(upper);
	return state > TCPSESS_STATE_NONE ? state : 0;
}

static int parse_af(const char *value, u8 *family)
{
	if (!strcmp(value, "4") || !strcmp(value, "inet") ||
	    !strcmp(value, "ipv4"))
		*family = 4;
	else if (!strcmp(value, "6") || !strcmp(value, "inet6") ||
		 !strcmp(value, "ipv6"))
		*family = 6;
	else
		return -1;
	return 0;
}

static int parse_addr(const char *value, u8 *family, u8 *addr)
{
	if (inet_pton(AF_INET, value, addr) == 1)
		*family = 4;
	else if (inet_pton(AF_INET6, value, addr) == 1)
		*family = 6;
	else
		return -1;
	return 0;
}

static const char *const opt_names[] = {
	[TS_FILTER_AF] = "--af",
	[TS_FILTER_ADDR] = "--addr",
	[TS_FILTER_PORT] = "--port",
	[TS_FILTER_STATE] = "--state",
};

static void state_list(char *buf, size_t len)
{
	unsigned int state;
	size_t used = 0;

	buf[0] = '\0';
	for (state = TCPSESS_STATE_NONE + 1; state <= TCPSESS_STATE_MAX; state++) {
		int n = snprintf(buf + used, len - used, "%s%s",
				 used ? " " : "", tcpsess_state_name(state));

		if (n < 0 || (size_t)n >= len - used)
			return;
		used += n;
	}
}

static bool given(const struct ts_filter *f, enum ts_filter_opt opt)
{
	switch (opt) {
	case TS_FILTER_AF:
		return f->af_given;
	case TS_FILTER_ADDR:
		return f->has_addr;
	case TS_FILTER_PORT:
		return f->has_port;
	case TS_FILTER_STATE:
		return f->state;
	}
	return false;
}

int ts_filter_set(struct ts_filter *f, enum ts_filter_opt opt,
		  const char *value, char *err, size_t errlen)
{
	u8 addr[16] = { 0 }, family;
	char states[160];
	u64 port;

	if (given(f, opt)) {
		snprintf(err, errlen, "%s given twice", opt_names[opt]);
		return -1;
	}
	switch (opt) {
	case TS_FILTER_AF:
		if (parse_af(value, &family)) {
			snprintf(err, errlen,
				 "invalid address family '%s': expected 4 or 6",
				 value);
			return -1;
		}
		/* An --addr may have set the family already. */
		if (f->family && f->family != family) {
			snprintf(err, errlen,
				 "--af %u contradicts --addr, an IPv%u address",
				 family, f->family);
			return -1;
		}
		f->family = family;
		f->af_given = true;
		break;
	case TS_FILTER_ADDR:
		if (parse_addr(value, &family, addr)) {
			snprintf(err, errlen, "invalid address '%s'", value);
			return -1;
		}
		if (f->family && f->family != family) {
			snprintf(err, errlen,
				 "--addr %s is not an IPv%u address (--af %u)",
				 value, f->family, f->family);
			return -1;
		}
		f->family = family;
		memcpy(f->addr, addr, sizeof(addr));
		f->has_addr = true;
		break;
	case TS_FILTER_PORT:
		if (ts_parse_u64(value, 0, 65535, &port)) {
			snprintf(err, errlen,
				 "invalid port '%s': expected 0 to 65535",
				 value);
			return -1;
		}
		f->port = port;
		f->has_port = true;
		break;
	case TS_FILTER_STATE:
		f->state = ts_state_from_user(value);
		if (!f->state) {
			state_list(states, sizeof(states));
			snprintf(err, errlen,
				 "invalid state '%s': expected one of %s",
				 value, states);
			return -1;
		}
		break;
	}
	return 0;
}

bool ts_filter_empty(const struct ts_filter *f)
{
	return !f->family && !f->state && !f->has_addr && !f->has_port;
}

bool ts_filter_match(const struct ts_filter *f, const struct ts_session *s)
{
	size_t alen = ts_addr_len(f->family);

	if (f->family && (!ts_has(s, TCPSESS_SESSION_FAMILY) ||
			  s->family != f->family))
		return false;
	if (f->state && (!ts_has(s, TCPSESS_SESSION_STATE) ||
			 s->state != f->state))
		return false;
	if (f->has_port &&
	    !(ts_has(s, TCPSESS_SESSION_SRC_PORT) && s->sport == f->port) &&
	    !(ts_has(s, TCPSESS_SESSION_DST_PORT) && s->dport == f->port))
		return false;
	if (f->has_addr &&
	    !(ts_has(s, TCPSESS_SESSION_SRC_ADDR) &&
	      !memcmp(s->src, f->addr, alen)) &&
	    !(ts_has(s, TCPSESS_SESSION_DST_ADDR) &&
	      !memcmp(s->dst, f->addr, alen)))
		return false;
	return true;
}
