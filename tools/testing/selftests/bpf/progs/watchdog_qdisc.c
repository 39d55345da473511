// SPDX-License-Identifier: GPL-2.0
/*
 * BPF watchdog selftests: a bpf_qdisc whose enqueue runs away while it owns
 * its skb.  The kill must free the skb (the sending socket's send buffer
 * comes back) and the enqueue must return NET_XMIT_DROP (a sender with
 * IP_RECVERR sees ENOBUFS).  Without @runaway it drops every packet
 * itself.
 */
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "bpf_experimental.h"
#include "watchdog_common.h"

#define NET_XMIT_DROP 0x01

/* Set by user space: the next enqueue runs away. */
int runaway;
int finished;
__u64 iterations;
/* Whether the enqueue's record held its skb, and nothing else. */
int held_ok;

SEC("struct_ops")
int BPF_PROG(wd_enqueue, struct sk_buff *skb, struct Qdisc *sch, struct bpf_sk_buff_ptr *to_free)
{
	int i, j;

	if (runaway) {
		held_ok = bpf_watchdog_held_count() == 1 &&
			  held_at(0, bpf_watchdog_kind("arg_ref"), (__u64)skb);
		bpf_for(i, 0, 100000) {
			bpf_for(j, 0, 100000)
				iterations++;
		}
		finished = 1;
	}
	bpf_qdisc_skb_drop(skb, to_free);
	return NET_XMIT_DROP;
}

SEC("struct_ops")
struct sk_buff *BPF_PROG(wd_dequeue, struct Qdisc *sch)
{
	return NULL;
}

SEC("struct_ops")
int BPF_PROG(wd_init, struct Qdisc *sch, struct nlattr *opt, struct netlink_ext_ack *extack)
{
	return 0;
}

SEC("struct_ops")
void BPF_PROG(wd_reset, struct Qdisc *sch)
{
}

SEC("struct_ops")
void BPF_PROG(wd_destroy, struct Qdisc *sch)
{
}

SEC(".struct_ops")
struct Qdisc_ops wd_qdisc = {
	.enqueue = (void *)wd_enqueue,
	.dequeue = (void *)wd_dequeue,
	.init = (void *)wd_init,
	.reset = (void *)wd_reset,
	.destroy = (void *)wd_destroy,
	.id = "bpf_wd_runaway",
};

char _license[] SEC("license") = "GPL";
