// SPDX-License-Identifier: GPL-2.0
/*
 * BPF watchdog selftests: tuning and reporting.
 *
 * Programs that run for a set time and then end by themselves, so that
 * whether the watchdog stops them depends only on the budget they run
 * under: the budget of their context class, the lock budget while they
 * hold a lock, or the budget their loader gave them.
 */
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "bpf_misc.h"
#include "watchdog_common.h"

/* Set by user space: the test process, and how long a spin lasts. */
int pid;
__u64 spin_ns = 100000000;
/* Spins that ran to their end: the watchdog did not stop them. */
int finished;
/* Runs of the tracing program that got past its pid filter. */
int traced;
/* Iterations of the last spin. */
__u64 spins;

/*
 * Runs for spin_ns.  The bound is bpf_iter_num's largest (BPF_MAX_LOOPS),
 * far more iterations than spin_ns takes.
 */
static __always_inline void spin(void)
{
	__u64 t0 = bpf_ktime_get_ns();
	int i;

	spins = 0;
	bpf_for(i, 0, 8 * 1024 * 1024) {
		if (bpf_ktime_get_ns() - t0 > spin_ns)
			break;
		spins++;
	}
}

/* A tracing-class run: on getpgid() of the test process. */
SEC("fentry/" SYS_PREFIX "sys_getpgid")
int BPF_PROG(spin_tracing)
{
	if ((bpf_get_current_pid_tgid() >> 32) != pid)
		return 0;
	traced++;
	spin();
	finished++;
	return 0;
}

/* A syscall-class run that holds nothing. */
SEC("syscall")
int spin_plain(void *ctx)
{
	spin();
	finished++;
	return 1;
}

/* A syscall-class run that holds the RCU read lock while it spins. */
SEC("syscall")
int spin_rcu(void *ctx)
{
	bpf_rcu_read_lock();
	spin();
	bpf_rcu_read_unlock();
	finished++;
	return 1;
}

struct res_elem {
	struct bpf_res_spin_lock lock;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, int);
	__type(value, struct res_elem);
} res_map SEC(".maps");

/* Iterations spin_res_lock does with the lock held; how long it held it. */
__u32 res_iters = 4 * 1024 * 1024;
__u64 res_held_ns;

/*
 * A syscall-class run that holds a bpf_res_spin_lock for res_iters
 * iterations (no helper may be called under it, so the loop counts).
 */
SEC("syscall")
int spin_res_lock(void *ctx)
{
	struct res_elem *e;
	int key = 0, i;
	__u64 t0;

	e = bpf_map_lookup_elem(&res_map, &key);
	if (!e)
		return 2;
	t0 = bpf_ktime_get_ns();
	if (bpf_res_spin_lock(&e->lock))
		return 3;
	spins = 0;
	bpf_for(i, 0, res_iters)
		spins++;
	bpf_res_spin_unlock(&e->lock);
	res_held_ns = bpf_ktime_get_ns() - t0;
	finished++;
	return 1;
}

/* The execution state (preempt count, IRQs, RCU nesting) a run starts in. */
__u64 context;

SEC("syscall")
int probe_context(void *ctx)
{
	context = bpf_watchdog_context();
	return 0;
}

/* Declares its own budget, 2 ms, in its BTF: libbpf passes it at load. */
SEC("syscall")
__watchdog_budget_us(2000)
int spin_declared(void *ctx)
{
	spin();
	finished++;
	return 1;
}

/* What the bpf_watchdog_abort tracepoint said about the test's programs. */
__u32 watched_id;
int aborts_seen;
int aborts_killed;
__u64 abort_budget_us;
__u64 abort_ran_us;
__u32 abort_class;
__u32 abort_released;

SEC("tp_btf/bpf_watchdog_abort")
int BPF_PROG(on_abort, const struct bpf_wd_report *r)
{
	if (r->prog->aux->id != watched_id)
		return 0;
	aborts_seen++;
	aborts_killed += r->killed;
	abort_budget_us = r->budget_ns / 1000;
	abort_ran_us = r->ran_ns / 1000;
	abort_class = r->class;
	abort_released = r->released;
	return 0;
}

char _license[] SEC("license") = "GPL";
