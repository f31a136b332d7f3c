/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the tcpsess C selftests: loading the module with the
 * real syscalls and reading the small files it exports.
 */
#ifndef _TCPSESS_KSFT_H
#define _TCPSESS_KSFT_H

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define TCPSESS_SYSFS "/sys/module/tcpsess"
#define TCPSESS_PROC "/proc/net/tcpsess"

static inline const char *tcpsess_ko_path(void)
{
	const char *path = getenv("TCPSESS_KO");

	return path ? path : "./tcpsess.ko";
}

/* Returns 0 or a negative errno, as finit_module(2) reported it. */
static inline int tcpsess_load(const char *params)
{
	int fd, ret;

	fd = open(tcpsess_ko_path(), O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = syscall(__NR_finit_module, fd, params, 0) ? -errno : 0;
	close(fd);
	return ret;
}

static inline int tcpsess_unload(void)
{
	return syscall(__NR_delete_module, "tcpsess", O_NONBLOCK) ? -errno : 0;
}

static inline bool tcpsess_loaded(void)
{
	return access(TCPSESS_SYSFS, F_OK) == 0;
}

/* Reads a whole small file into buf; returns its length or -errno. */
static inline ssize_t tcpsess_read_file(const char *path, char *buf, size_t size)
{
	ssize_t len = 0, n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while ((size_t)len < size - 1) {
		n = read(fd, buf + len, size - 1 - len);
		if (n < 0) {
			n = -errno;
			close(fd);
			return n;
		}
		if (n == 0)
			break;
		len += n;
	}
	buf[len] = '\0';
	close(fd);
	return len;
}

/*
 * Finds "name value\n" in a /proc/net/tcpsess/stats text. Returns how many
 * lines carry that name (so a duplicate shows) and the last value seen.
 */
static inline int tcpsess_stat_lookup(const char *text, const char *name,
				      unsigned long long *value)
{
	size_t len = strlen(name);
	const char *line = text;
	int found = 0;

	while (line && *line) {
		if (!strncmp(line, name, len) && line[len] == ' ') {
			char *end;

			*value = strtoull(line + len + 1, &end, 10);
			if (*end == '\n' || *end == '\0')
				found++;
			else
				return -1;
		}
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return found;
}

#endif /* _TCPSESS_KSFT_H */
