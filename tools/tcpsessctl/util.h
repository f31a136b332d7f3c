/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TCPSESSCTL_UTIL_H
#define _TCPSESSCTL_UTIL_H

#include <stddef.h>
#include <time.h>

#include "tcpsessctl.h"

/*
 * A whole decimal number in [min, max]: no sign, no blanks, no suffix.
 * Returns 0, or -1 when text is not such a number.
 */
int ts_parse_u64(const char *text, u64 min, u64 max, u64 *value);

/*
 * Milliseconds on a clock: CLOCK_MONOTONIC for deadlines and intervals,
 * CLOCK_REALTIME for what is sent as a date.
 */
u64 ts_clock_ms(clockid_t clock);

/* Copies src into dst upper- or lower-cased, always NUL-terminated. */
void ts_strcase(char *dst, size_t len, const char *src, bool upper);

/*
 * Replaces the file at path with len bytes of data, atomically: a reader
 * finds the old content or the new, never a part. The new file gets the
 * mode a file created under the umask would. Returns 0 or a negative
 * errno.
 */
int ts_write_file_atomic(const char *path, const void *data, size_t len);

#endif /* _TCPSESSCTL_UTIL_H */
