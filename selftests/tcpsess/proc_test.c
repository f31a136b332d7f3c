// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/net/tcpsess/{sessions,stats} exist in every network namespace,
 * whenever it was created, and vanish from all of them on unload.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "tcpsess_ksft.h"
#include "names.h"

#define SESSIONS_HEADER							\
	"id af src sport dst dport state age_ms idle_ms pkts_orig "	\
	"bytes_orig pkts_reply bytes_reply rtt_syn_us rtt_ack_us "	\
	"retrans_orig retrans_reply history flags ipbytes_orig "	\
	"ipbytes_reply\n"

/* SPEC section 5 names, written out independently of the module. */
static const char *const spec_stats[] = {
	"sessions_active", "sessions_max", "sessions_created",
	"sessions_ended", "ended_fin", "ended_rst", "ended_timeout",
	"ended_evicted", "ended_flushed", "ended_reused", "state_syn_sent",
	"state_syn_recv", "state_established", "state_fin_wait_1",
	"state_fin_wait_2", "state_closing", "state_last_ack",
	"state_time_wait", "state_closed", "packets_seen", "packets_invalid",
	"table_full", "events_sent", "events_suppressed", "memory_bytes",
};

/*
 * Checks this process's namespace from a child that may first move to a
 * new one, so the parent's namespace is never disturbed. Returns the
 * child's exit status: 0 when both files are as SPEC describes.
 */
static int check_files_in_child(bool new_netns, bool expect_present)
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return -1;
	if (pid == 0) {
		char buf[8192];
		ssize_t len;

		if (new_netns && unshare(CLONE_NEWNET))
			_exit(10);
		len = tcpsess_read_file("/proc/self/net/tcpsess/sessions", buf,
					sizeof(buf));
		if (!expect_present)
			_exit(len == -ENOENT ? 0 : 11);
		if (len < 0 || strcmp(buf, SESSIONS_HEADER))
			_exit(12);
		len = tcpsess_read_file("/proc/self/net/tcpsess/stats", buf,
					sizeof(buf));
		if (len <= 0 || !strstr(buf, "sessions_max "))
			_exit(13);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

FIXTURE(proc) {};

FIXTURE_SETUP(proc)
{
	if (tcpsess_loaded())
		ASSERT_EQ(0, tcpsess_unload());
	ASSERT_EQ(0, tcpsess_load("max_sessions=1000"));
}

FIXTURE_TEARDOWN(proc)
{
	if (tcpsess_loaded())
		tcpsess_unload();
}

TEST_F(proc, init_netns_has_both_files)
{
	ASSERT_EQ(0, check_files_in_child(false, true));
}

TEST_F(proc, netns_created_after_load_has_both_files)
{
	ASSERT_EQ(0, check_files_in_child(true, true));
}

TEST_F(proc, sessions_table_starts_empty)
{
	char buf[8192];

	ASSERT_GT(tcpsess_read_file(TCPSESS_PROC "/sessions", buf, sizeof(buf)), 0);
	ASSERT_STREQ(SESSIONS_HEADER, buf);
}

TEST_F(proc, stats_has_every_counter_once)
{
	unsigned long long value = ~0ULL;
	char buf[8192], name[64];
	unsigned int reason;
	size_t i;

	ASSERT_GT(tcpsess_read_file(TCPSESS_PROC "/stats", buf, sizeof(buf)), 0);
	for (i = 0; i < ARRAY_SIZE(spec_stats); i++) {
		const char *stat = spec_stats[i];

		EXPECT_EQ(1, tcpsess_stat_lookup(buf, stat, &value))
			TH_LOG("stat %s", stat);
	}
	for (reason = TCPSESS_INVALID_NONE + 1; reason <= TCPSESS_INVALID_MAX;
	     reason++) {
		snprintf(name, sizeof(name), "invalid_%s",
			 tcpsess_invalid_reason_name(reason));
		value = ~0ULL;
		EXPECT_EQ(1, tcpsess_stat_lookup(buf, name, &value))
			TH_LOG("stat %s", name);
		EXPECT_EQ(0, value) TH_LOG("stat %s", name);
	}
	ASSERT_EQ(1, tcpsess_stat_lookup(buf, "sessions_max", &value));
	ASSERT_EQ(1000, value);
	ASSERT_EQ(1, tcpsess_stat_lookup(buf, "sessions_active", &value));
	ASSERT_EQ(0, value);
	ASSERT_EQ(1, tcpsess_stat_lookup(buf, "memory_bytes", &value));
	ASSERT_GT(value, 0);
}

TEST_F(proc, files_vanish_on_unload)
{
	ASSERT_EQ(0, tcpsess_unload());
	ASSERT_EQ(0, check_files_in_child(false, false));
	ASSERT_EQ(0, check_files_in_child(true, false));
}

/* Raises or lowers CAP_NET_ADMIN in the effective set, keeping it permitted. */
static int net_admin_effective(bool on)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
	unsigned int i = CAP_TO_INDEX(CAP_NET_ADMIN);
	__u32 bit = CAP_TO_MASK(CAP_NET_ADMIN);

	if (syscall(SYS_capget, &hdr, data))
		return -errno;
	if (on)
		data[i].effective |= bit;
	else
		data[i].effective &= ~bit;
	return syscall(SYS_capset, &hdr, data) ? -errno : 0;
}

/* The first read() of an open file: its length, or -errno. */
static ssize_t read_fd(int fd, char *buf, size_t size)
{
	ssize_t len = read(fd, buf, size - 1);

	if (len < 0)
		return -errno;
	buf[len] = '\0';
	return len;
}

/*
 * The sessions file needs CAP_NET_ADMIN, and of whoever opened it: a
 * descriptor opened without the capability reads nothing in a process
 * that has it (a confused deputy), and one opened with it still reads
 * once it is dropped. uid 0 all along, so the file's mode lets every open
 * through and only the capability decides. The stats need nothing.
 * The child's exit code names the step that failed.
 */
static int opener_child(void)
{
	char buf[8192];
	ssize_t len;
	int fd;

	if (net_admin_effective(false))
		return 10;
	fd = open(TCPSESS_PROC "/sessions", O_RDONLY);
	if (fd < 0)
		return 11;
	if (net_admin_effective(true))
		return 12;
	len = read_fd(fd, buf, sizeof(buf));
	close(fd);
	if (len != -EPERM)
		return 13;

	fd = open(TCPSESS_PROC "/sessions", O_RDONLY);
	if (fd < 0)
		return 14;
	if (net_admin_effective(false))
		return 15;
	len = read_fd(fd, buf, sizeof(buf));
	close(fd);
	if (len <= 0 || strcmp(buf, SESSIONS_HEADER))
		return 16;

	len = tcpsess_read_file(TCPSESS_PROC "/sessions", buf, sizeof(buf));
	if (len != -EPERM)
		return 17;
	len = tcpsess_read_file(TCPSESS_PROC "/stats", buf, sizeof(buf));
	if (len <= 0 || !strstr(buf, "sessions_max "))
		return 18;
	return 0;
}

TEST_F(proc, sessions_need_cap_net_admin_of_the_opener)
{
	int status;
	pid_t pid;

	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0)
		_exit(opener_child());
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status)) TH_LOG("failed at step %d", WEXITSTATUS(status));
}

/* A namespace that already existed at load time gets the files too. */
TEST(netns_created_before_load)
{
	int to_child[2], to_parent[2], status;
	char cmd, result;
	pid_t pid;

	if (tcpsess_loaded())
		ASSERT_EQ(0, tcpsess_unload());
	ASSERT_EQ(0, pipe(to_child));
	ASSERT_EQ(0, pipe(to_parent));

	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		char buf[8192];

		/* Without this the child never sees EOF on its command pipe. */
		close(to_child[1]);
		close(to_parent[0]);
		if (unshare(CLONE_NEWNET))
			_exit(10);
		/* 'c' asks for a check expecting the files, 'g' expecting none. */
		while (read(to_child[0], &cmd, 1) == 1) {
			ssize_t len = tcpsess_read_file("/proc/self/net/tcpsess/sessions",
							buf, sizeof(buf));

			result = (cmd == 'c') ? (len > 0 && !strcmp(buf, SESSIONS_HEADER))
					      : (len == -ENOENT);
			if (write(to_parent[1], &result, 1) != 1)
				_exit(11);
		}
		_exit(0);
	}
	close(to_child[0]);
	close(to_parent[1]);

	cmd = 'g';
	ASSERT_EQ(1, write(to_child[1], &cmd, 1));
	ASSERT_EQ(1, read(to_parent[0], &result, 1));
	EXPECT_TRUE(result) TH_LOG("files present before load");

	ASSERT_EQ(0, tcpsess_load(""));
	cmd = 'c';
	ASSERT_EQ(1, write(to_child[1], &cmd, 1));
	ASSERT_EQ(1, read(to_parent[0], &result, 1));
	EXPECT_TRUE(result) TH_LOG("files missing in a namespace older than the module");

	ASSERT_EQ(0, tcpsess_unload());
	cmd = 'g';
	ASSERT_EQ(1, write(to_child[1], &cmd, 1));
	ASSERT_EQ(1, read(to_parent[0], &result, 1));
	EXPECT_TRUE(result) TH_LOG("files left behind after unload");

	close(to_child[1]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
}

TEST_HARNESS_MAIN
