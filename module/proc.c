// SPDX-License-Identifier: GPL-2.0
#include <linux/ctype.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>

#include "names.h"
#include "pernet.h"
#include "proc.h"

#define TCPSESS_PROC_DIR "tcpsess"

static int tcpsess_sessions_show(struct seq_file *seq, void *v)
{
	seq_puts(seq,
		 "id af src sport dst dport state age_ms idle_ms pkts_orig bytes_orig pkts_reply bytes_reply rtt_syn_us rtt_ack_us retrans_orig retrans_reply history flags\n");
	return 0;
}

static void tcpsess_stats_show_states(struct seq_file *seq,
				      const struct tcpsess_stats_snapshot *snap)
{
	unsigned int state;

	for (state = TCPSESS_STATE_NONE + 1; state < __TCPSESS_STATE_MAX; state++) {
		const char *name = tcpsess_state_name(state);

		seq_puts(seq, "state_");
		for (; *name; name++)
			seq_putc(seq, tolower(*name));
		seq_printf(seq, " %llu\n", snap->state[state]);
	}
}

static int tcpsess_stats_show(struct seq_file *seq, void *v)
{
	struct tcpsess_net *tn = tcpsess_pernet(seq_file_single_net(seq));
	struct tcpsess_stats_snapshot snap;
	unsigned int i;

	tcpsess_stats_read(tn, &snap);
	for (i = 0; i < __TCPSESS_STAT_MAX; i++) {
		seq_printf(seq, "%s %llu\n", tcpsess_stat_name(i),
			   snap.counter[i]);
		/* SPEC order: the state gauges follow the end reasons. */
		if (i == TCPSESS_STAT_ENDED_REUSED)
			tcpsess_stats_show_states(seq, &snap);
	}
	for (i = TCPSESS_INVALID_NONE + 1; i < __TCPSESS_INVALID_MAX; i++)
		seq_printf(seq, "invalid_%s %llu\n",
			   tcpsess_invalid_reason_name(i), snap.invalid[i]);
	return 0;
}

int tcpsess_proc_net_init(struct tcpsess_net *tn)
{
	struct net *net = tn->net;

	tn->proc_dir = proc_net_mkdir(net, TCPSESS_PROC_DIR, net->proc_net);
	if (!tn->proc_dir)
		return -ENOMEM;
	if (!proc_create_net_single("sessions", 0444, tn->proc_dir,
				    tcpsess_sessions_show, NULL) ||
	    !proc_create_net_single("stats", 0444, tn->proc_dir,
				    tcpsess_stats_show, NULL)) {
		remove_proc_subtree(TCPSESS_PROC_DIR, net->proc_net);
		return -ENOMEM;
	}
	return 0;
}

void tcpsess_proc_net_exit(struct tcpsess_net *tn)
{
	remove_proc_subtree(TCPSESS_PROC_DIR, tn->net->proc_net);
}
