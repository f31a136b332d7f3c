// SPDX-License-Identifier: GPL-2.0
/* The uapi header must build on its own in strict ISO C, as userspace sees it. */
#include <linux/tcpsess.h>

int main(void)
{
	enum tcpsess_state last = TCPSESS_STATE_CLOSED;

	return last != TCPSESS_STATE_MAX;
}
