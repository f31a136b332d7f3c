// SPDX-License-Identifier: GPL-2.0
/*
 * The one part of parsing a segment that stays out of line: the options,
 * which only a SYN's window scale makes us read. The rest is in packet.h.
 */
#include <linux/skbuff.h>
#include <net/tcp.h>

#include "packet.h"

/* Only the window-scale option matters to the tracker. */
u8 tcpsess_parse_wscale(const struct sk_buff *skb, unsigned int optoff,
			unsigned int optlen)
{
	u8 buf[MAX_TCP_OPTION_SPACE];
	const u8 *opt;
	unsigned int i = 0;

	opt = skb_header_pointer(skb, optoff, optlen, buf);
	if (!opt)
		return TCPSESS_WSCALE_NONE;
	while (i < optlen) {
		u8 kind = opt[i], size;

		if (kind == TCPOPT_EOL)
			break;
		if (kind == TCPOPT_NOP) {
			i++;
			continue;
		}
		if (i + 1 >= optlen)
			break;
		size = opt[i + 1];
		if (size < 2 || size > optlen - i)
			break;
		if (kind == TCPOPT_WINDOW && size == TCPOLEN_WINDOW)
			return min_t(u8, opt[i + 2], TCP_MAX_WSCALE);
		i += size;
	}
	return TCPSESS_WSCALE_NONE;
}
