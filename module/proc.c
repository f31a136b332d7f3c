// SPDX-License-Identifier: GPL-2.0
#include <linux/capability.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/user_namespace.h>

#include "history.h"
#include "names.h"
#include "pernet.h"
#include "proc.h"
#include "table.h"

#define TCPSESS_PROC_DIR "tcpsess"

/*
 * The sessions file walks the table one bucket per seq_file record, its
 * position a walk position (table.h) plus one: a read() that stops
 * between records resumes at the next bucket, so a session that lives
 * through the whole read is printed exactly once however the table
 * changes, or grows, meanwhile. Each read() holds the walk mutex, which
 * seq_file never keeps across a copy to user space.
 */
struct tcpsess_sessions_iter {
	struct seq_net_private p;	/* must come first: seq_file_net() */
	struct tcpsess_buckets *buckets;
	struct tcpsess_bucket bucket;
};

/* Buckets looked at between chances to reschedule. */
#define TCPSESS_PROC_BATCH	64

/* The first bucket at *pos or later holding a visible session. */
static void *tcpsess_sessions_find(struct seq_file *seq, loff_t *pos)
{
	struct tcpsess_sessions_iter *iter = seq->private;
	const struct tcpsess_net *tn = tcpsess_pernet(seq_file_net(seq));
	struct tcpsess_buckets *b = iter->buckets;
	struct tcpsess_session *s;
	unsigned int looked = 0;
	u64 walk = *pos - 1;

	for (; walk < TCPSESS_WALK_END; walk = tcpsess_walk_next(b, walk)) {
		/*
		 * Nothing is held from one bucket to the next, so a long run
		 * of buckets without a visible session may leave the
		 * read-side critical section now and then, to let the CPU go
		 * where it must.
		 */
		if (!(++looked % TCPSESS_PROC_BATCH) && need_resched()) {
			rcu_read_unlock();
			cond_resched();
			rcu_read_lock();
		}
		iter->bucket = tcpsess_walk_bucket(b, &walk);
		for (s = tcpsess_walk_first(b, iter->bucket); s;
		     s = tcpsess_walk_after(s)) {
			if (tcpsess_session_visible(s, tn)) {
				*pos = walk + 1;
				return iter;
			}
		}
	}
	*pos = TCPSESS_WALK_END + 1;
	return NULL;
}

/*
 * The table shows other people's connections, so, as for conntrack's, only
 * CAP_NET_ADMIN over the namespace may read it. Asked of whoever opened
 * the file, not of the reader: a descriptor handed to a privileged
 * program must not read more than its opener could.
 */
static bool tcpsess_sessions_allowed(struct seq_file *seq)
{
	return file_ns_capable(seq->file, seq_file_net(seq)->user_ns,
			       CAP_NET_ADMIN);
}

static void *tcpsess_sessions_start(struct seq_file *seq, loff_t *pos)
	__acquires(RCU)
{
	struct tcpsess_table *table = &tcpsess_pernet(seq_file_net(seq))->table;
	struct tcpsess_sessions_iter *iter = seq->private;
	/* Outside RCU: a security module may sleep to audit it. */
	bool allowed = tcpsess_sessions_allowed(seq);

	mutex_lock(&table->walk_mutex);
	iter->buckets = tcpsess_table_walked(table);
	rcu_read_lock();
	if (!allowed)
		return ERR_PTR(-EPERM);
	if (*pos == 0)
		return SEQ_START_TOKEN;
	return tcpsess_sessions_find(seq, pos);
}

static void *tcpsess_sessions_next(struct seq_file *seq, void *v, loff_t *pos)
{
	struct tcpsess_sessions_iter *iter = seq->private;

	*pos = v == SEQ_START_TOKEN ? 1 :
	       tcpsess_walk_next(iter->buckets, *pos - 1) + 1;
	return tcpsess_sessions_find(seq, pos);
}

static void tcpsess_sessions_stop(struct seq_file *seq, void *v)
	__releases(RCU)
{
	rcu_read_unlock();
	mutex_unlock(&tcpsess_pernet(seq_file_net(seq))->table.walk_mutex);
}

static void tcpsess_sessions_show_one(struct seq_file *seq,
				      const struct tcpsess_snapshot *snap)
{
	const struct tcpsess_tuple *t = &snap->tuple;
	char history[TCPSESS_HISTORY_LEN + 1], flags[TCPSESS_FLAGS_LEN];

	tcpsess_history_format(snap->history, history, sizeof(history));
	tcpsess_flags_format(snap->flags, flags);
	seq_printf(seq, "%llu ", snap->id);
	if (t->family == AF_INET)
		seq_printf(seq, "4 %pI4 %u %pI4 %u ", &t->src.ip, ntohs(t->sport),
			   &t->dst.ip, ntohs(t->dport));
	else
		seq_printf(seq, "6 %pI6c %u %pI6c %u ", &t->src.in6,
			   ntohs(t->sport), &t->dst.in6, ntohs(t->dport));
	seq_printf(seq, "%s %llu %llu %llu %llu %llu %llu %lld %lld %u %u %s %s %llu %llu\n",
		   tcpsess_state_name(snap->state), snap->age_ms, snap->idle_ms,
		   snap->packets[TCPSESS_DIR_ORIG], snap->bytes[TCPSESS_DIR_ORIG],
		   snap->packets[TCPSESS_DIR_REPLY], snap->bytes[TCPSESS_DIR_REPLY],
		   snap->rtt_syn_us == TCPSESS_RTT_NONE ? -1LL : (s64)snap->rtt_syn_us,
		   snap->rtt_ack_us == TCPSESS_RTT_NONE ? -1LL : (s64)snap->rtt_ack_us,
		   snap->retrans[TCPSESS_DIR_ORIG], snap->retrans[TCPSESS_DIR_REPLY],
		   history, flags, snap->ipbytes[TCPSESS_DIR_ORIG],
		   snap->ipbytes[TCPSESS_DIR_REPLY]);
}

static int tcpsess_sessions_show(struct seq_file *seq, void *v)
{
	struct tcpsess_sessions_iter *iter = v;
	const struct tcpsess_net *tn = tcpsess_pernet(seq_file_net(seq));
	struct tcpsess_snapshot snap;
	struct tcpsess_session *s;

	if (v == SEQ_START_TOKEN) {
		seq_puts(seq,
			 "id af src sport dst dport state age_ms idle_ms pkts_orig bytes_orig pkts_reply bytes_reply rtt_syn_us rtt_ack_us retrans_orig retrans_reply history flags ipbytes_orig ipbytes_reply\n");
		return 0;
	}
	for (s = tcpsess_walk_first(iter->buckets, iter->bucket); s;
	     s = tcpsess_walk_after(s)) {
		if (!tcpsess_session_visible(s, tn))
			continue;
		tcpsess_session_snapshot(s, tcpsess_walk_lock(iter->bucket), &snap);
		tcpsess_sessions_show_one(seq, &snap);
	}
	return 0;
}

static const struct seq_operations tcpsess_sessions_seq_ops = {
	.start = tcpsess_sessions_start,
	.next = tcpsess_sessions_next,
	.stop = tcpsess_sessions_stop,
	.show = tcpsess_sessions_show,
};

static u64
tcpsess_stats_value(const struct tcpsess_stats_snapshot *snap,
		    const struct tcpsess_stat_line *line)
{
	switch (line->group) {
	case TCPSESS_STAT_GROUP_STATE:
		return snap->state[line->index];
	case TCPSESS_STAT_GROUP_INVALID:
		return snap->invalid[line->index];
	case TCPSESS_STAT_GROUP_RTT_SYN:
		return snap->rtt[TCPSESS_RTT_SYN][line->index];
	case TCPSESS_STAT_GROUP_RTT_ACK:
		return snap->rtt[TCPSESS_RTT_ACK][line->index];
	default:
		return snap->counter[line->index];
	}
}

static int tcpsess_stats_show(struct seq_file *seq, void *v)
{
	struct tcpsess_net *tn = tcpsess_pernet(seq_file_single_net(seq));
	struct tcpsess_stats_snapshot snap;
	struct tcpsess_stat_line line;
	unsigned int n;

	tcpsess_stats_read(tn, &snap);
	for (n = 0; tcpsess_stat_line(n, &line); n++)
		seq_printf(seq, "%s %llu\n", line.name,
			   tcpsess_stats_value(&snap, &line));
	return 0;
}

/*
 * The sessions file belongs to the namespace's root, as conntrack's does,
 * so that root inside a container can open it. A namespace made in the
 * same unshare() as its user namespace has no root mapped yet: its file
 * goes to the user namespace's owner then, who holds every capability in
 * it anyway and is the one its root will be mapped to by unshare -r. The
 * mode only spares others an open that would fail; the capability check
 * in start() is what guards the file.
 */
static void tcpsess_proc_set_owner(struct proc_dir_entry *pde,
				   const struct net *net)
{
	struct user_namespace *user_ns = net->user_ns;
	kuid_t uid = make_kuid(user_ns, 0);
	kgid_t gid = make_kgid(user_ns, 0);

	proc_set_user(pde, uid_valid(uid) ? uid : user_ns->owner,
		      gid_valid(gid) ? gid : user_ns->group);
}

int tcpsess_proc_net_init(struct tcpsess_net *tn)
{
	struct net *net = tn->net;
	struct proc_dir_entry *sessions;

	tn->proc_dir = proc_net_mkdir(net, TCPSESS_PROC_DIR, net->proc_net);
	if (!tn->proc_dir)
		return -ENOMEM;
	sessions = proc_create_net("sessions", 0440, tn->proc_dir,
				   &tcpsess_sessions_seq_ops,
				   sizeof(struct tcpsess_sessions_iter));
	if (!sessions ||
	    !proc_create_net_single("stats", 0444, tn->proc_dir,
				    tcpsess_stats_show, NULL)) {
		remove_proc_subtree(TCPSESS_PROC_DIR, net->proc_net);
		return -ENOMEM;
	}
	tcpsess_proc_set_owner(sessions, net);
	return 0;
}

void tcpsess_proc_net_exit(struct tcpsess_net *tn)
{
	remove_proc_subtree(TCPSESS_PROC_DIR, tn->net->proc_net);
}
