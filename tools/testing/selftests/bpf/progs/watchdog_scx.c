// SPDX-License-Identifier: GPL-2.0
/*
 * BPF watchdog selftest: a sched_ext scheduler whose ops.tick() runs away
 * is killed, and sched_ext ejects it through the struct_ops owner hook,
 * with an exit reason that names the op and the budget.
 */
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "bpf_misc.h"
#include "bpf_experimental.h"

char _license[] SEC("license") = "GPL";

/* Set by user space once the scheduler is attached. */
int armed;
/* Set by a tick that ran to its end: the watchdog did not stop it. */
int finished;
__u64 iterations;

/* What ops.exit() was told. */
int exit_kind;
char exit_msg[256];

/* The seed's loops, in hard-irq context with IRQs off. */
SEC("struct_ops/wd_tick")
void BPF_PROG(wd_tick, struct task_struct *p)
{
	int i, j;

	if (!armed)
		return;
	bpf_for(i, 0, 100000) {
		bpf_for(j, 0, 100000)
			iterations++;
	}
	finished = 1;
}

SEC("struct_ops/wd_exit")
void BPF_PROG(wd_exit, struct scx_exit_info *ei)
{
	bpf_probe_read_kernel_str(exit_msg, sizeof(exit_msg), ei->msg);
	exit_kind = ei->kind;
}

SEC(".struct_ops.link")
struct sched_ext_ops wd_runaway_ops = {
	.tick = (void *)wd_tick,
	.exit = (void *)wd_exit,
	.name = "wd_runaway",
};
