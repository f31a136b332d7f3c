// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/stat.h>

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

/* Returns 0, or -1 with errno set. */
static int write_all(int fd, const char *data, size_t len)
{
	ssize_t n;

	while (len) {
		n = write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		data += n;
		len -= n;
	}
	return 0;
}

/*
 * Written beside path, under a name that starts with a dot and ends with
 * random letters: node_exporter's textfile collector reads only *.prom,
 * so it never sees the file half written; rename() then swaps it in.
 */
int ts_write_file_atomic(const char *path, const void *data, size_t len)
{
	const char *base = strrchr(path, '/');
	size_t dir_len = base ? (size_t)(base - path + 1) : 0;
	char *tmp;
	mode_t mask;
	int fd, err = 0;

	base = path + dir_len;
	if (asprintf(&tmp, "%.*s.%s.XXXXXX", (int)dir_len, path, base) < 0)
		return -ENOMEM;
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		free(tmp);
		return err;
	}
	mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) || write_all(fd, data, len) ||
	    fsync(fd))
		err = -errno;
	if (close(fd) && !err)
		err = -errno;
	if (!err && rename(tmp, path))
		err = -errno;
	if (err)
		unlink(tmp);
	free(tmp);
	return err;
}

u64 ts_clock_ms(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (u64)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
