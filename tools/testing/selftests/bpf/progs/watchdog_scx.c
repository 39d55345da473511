// SPDX-License-Identifier: GPL-2.0
/*
 * BPF watchdog selftest: a sched_ext scheduler whose ops.tick() runs away
 * is killed, and sched_ext ejects it through the struct_ops owner hook,
 * with an exit reason that names the op and the budget.  The tick holds
 * what sched_ext's own kfuncs lend (an idle and an online cpumask, the
 * task's cgroup, a DSQ iterator) when it runs away: the kill gives them
 * back.
 */
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "bpf_misc.h"
#include "bpf_experimental.h"
#include "watchdog_common.h"

char _license[] SEC("license") = "GPL";

/* Set by user space once the scheduler is attached. */
int armed;
/* Set by a tick that ran to its end: the watchdog did not stop it. */
int finished;
__u64 iterations;

/* Record entries the tick's run owned when it began its loops. */
int held_at_loop = -1;

#define WD_DSQ 0x77

/* What ops.exit() was told. */
int exit_kind;
char exit_msg[256];

/* The seed's loops, in hard-irq context with IRQs off. */
SEC("struct_ops/wd_tick")
void BPF_PROG(wd_tick, struct task_struct *p)
{
	const struct cpumask *idle, *online;
	struct bpf_iter_scx_dsq it;
	struct cgroup *cgrp;
	int i, j;

	if (!armed)
		return;
	idle = scx_bpf_get_idle_cpumask();
	online = scx_bpf_get_online_cpumask();
	cgrp = scx_bpf_task_cgroup(p);
	bpf_iter_scx_dsq_new(&it, WD_DSQ, 0);
	held_at_loop = bpf_watchdog_held_count();
	bpf_for(i, 0, 100000) {
		bpf_for(j, 0, 100000)
			iterations++;
	}
	bpf_iter_scx_dsq_destroy(&it);
	bpf_cgroup_release(cgrp);
	scx_bpf_put_cpumask(online);
	scx_bpf_put_idle_cpumask(idle);
	finished = 1;
}

SEC("struct_ops.s/wd_init")
s32 BPF_PROG(wd_init)
{
	return scx_bpf_create_dsq(WD_DSQ, -1);
}

SEC("struct_ops/wd_exit")
void BPF_PROG(wd_exit, struct scx_exit_info *ei)
{
	bpf_probe_read_kernel_str(exit_msg, sizeof(exit_msg), ei->msg);
	exit_kind = ei->kind;
}

SEC(".struct_ops.link")
struct sched_ext_ops wd_runaway_ops = {
	.init = (void *)wd_init,
	.tick = (void *)wd_tick,
	.exit = (void *)wd_exit,
	.name = "wd_runaway",
};
