// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>

#include "util.h"

int ts_parse_u64(const char *text, u64 min, u64 max, u64 *value)
{
	unsigned long long v;
	char *end;

	/* strtoull() would accept blanks, a sign and a base prefix. */
	if (!isdigit((unsigned char)text[0]))
		return -1;
	errno = 0;
	v = strtoull(text, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	*value = v;
	return 0;
}

void ts_strcase(char *dst, size_t len, const char *src, bool upper)
{
	size_t i;

	if (!len)
		return;
	for (i = 0; i + 1 < len && src[i]; i++)
		dst[i] = upper ? toupper((unsigned char)src[i]) :
				 tolower((unsigned char)src[i]);
	dst[i] = '\0';
}
