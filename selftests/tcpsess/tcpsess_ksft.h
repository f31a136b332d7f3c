/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the tcpsess C selftests: loading the module with the
 * real syscalls, reading the small files it and the kernel export, and
 * giving up CAP_NET_ADMIN.
 */
#ifndef _TCPSESS_KSFT_H
#define _TCPSESS_KSFT_H

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
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

/* A socket closed mid-dump drops its module reference only after RCU. */
static inline int tcpsess_unload_patiently(void)
{
	int i, ret = 0;

	for (i = 0; i < 50; i++) {
		ret = tcpsess_unload();
		if (ret != -EAGAIN && ret != -EBUSY)
			break;
		usleep(50000);
	}
	return ret;
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

/* Taint bits for a WARN (W), an oops (D) and a soft lockup (L). */
#define TCPSESS_TAINT_BAD	((1UL << 7) | (1UL << 9) | (1UL << 14))

static inline unsigned long tcpsess_read_taint(void)
{
	char buf[64];

	if (tcpsess_read_file("/proc/sys/kernel/tainted", buf, sizeof(buf)) <= 0)
		return 0;
	return strtoul(buf, NULL, 10);
}

/*
 * Takes CAP_NET_ADMIN away from this process, by capset() alone or, for
 * nobody, by leaving uid 0. Returns 0 once the capability is really gone.
 */
static inline int tcpsess_drop_net_admin(bool nobody)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
	unsigned int i = CAP_TO_INDEX(CAP_NET_ADMIN);
	__u32 bit = CAP_TO_MASK(CAP_NET_ADMIN);

	if (nobody) {
		/* Without KEEPCAPS, leaving uid 0 empties every capability set. */
		if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) || setgroups(0, NULL) ||
		    setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
			return -errno;
	} else {
		if (syscall(SYS_capget, &hdr, data))
			return -errno;
		data[i].effective &= ~bit;
		data[i].permitted &= ~bit;
		data[i].inheritable &= ~bit;
		if (syscall(SYS_capset, &hdr, data))
			return -errno;
	}
	/* A drop that did not happen would make every check after it vacuous. */
	hdr.version = _LINUX_CAPABILITY_VERSION_3;
	hdr.pid = 0;
	if (syscall(SYS_capget, &hdr, data))
		return -errno;
	return (data[i].effective & bit) ? -EPERM : 0;
}

#endif /* _TCPSESS_KSFT_H */
