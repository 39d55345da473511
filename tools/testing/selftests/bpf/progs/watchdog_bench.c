// SPDX-License-Identifier: GPL-2.0
/*
 * BPF watchdog benchmarks (benchs/bench_watchdog.c): what the watchdog's
 * run tracking, cancellation points and wrappers cost, and how late it
 * stops a runaway.
 *
 * Every program here also loads on a kernel without the watchdog (the
 * abort observer, on_abort, is loaded only by the abort benchmarks), so
 * one bench binary compares a patched kernel with a vanilla one.
 */
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "bpf_misc.h"
#include "bpf_experimental.h"
#include "watchdog_common.h"

char _license[] SEC("license") = "GPL";

/* Iterations per run, set by user space. */
int nr_loops;
/* Iterations (loops) or pairs done (pairs benchmarks). */
long hits;

/* Pairs per iteration of the pair benchmarks: the loop's own cost counts
 * once per PAIRS pairs.
 */
#define PAIRS 8

struct spin_elem {
	struct bpf_spin_lock lock;
	long value;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, int);
	__type(value, struct spin_elem);
} spin_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 64);
	__type(key, int);
	__type(value, long);
} body_map SEC(".maps");

/* wd-test-run: an empty run, the cost of a run frame on its own. */
SEC("syscall")
int wd_nop(void *ctx)
{
	return 0;
}

/* wd-may-goto: a may_goto loop (can_loop), the cost of its check. */
SEC("syscall")
int wd_may_goto(void *ctx)
{
	int i;

	for (i = 0; i < nr_loops && can_loop; i++)
		barrier_var(i);
	__sync_add_and_fetch(&hits, i);
	return 0;
}

/*
 * wd-iter-body: bpf_for() with a realistic body, a map lookup and update
 * per iteration, as a program walking a table does.
 */
SEC("syscall")
int wd_iter_body(void *ctx)
{
	long sum = 0;
	int i;

	bpf_for(i, 0, nr_loops) {
		int key = i & 63;
		long *v = bpf_map_lookup_elem(&body_map, &key);

		if (!v)
			continue;
		*v += i;
		sum ^= *v;
	}
	__sync_add_and_fetch(&hits, nr_loops);
	return sum & 1;
}

/* wd-task-pair: bpf_task_acquire()/bpf_task_release(), a tracked reference. */
SEC("syscall")
int wd_task_pair(void *ctx)
{
	struct task_struct *cur = bpf_get_current_task_btf();
	int i, j;

	bpf_for(i, 0, nr_loops) {
		for (j = 0; j < PAIRS; j++) {
			struct task_struct *t = bpf_task_acquire(cur);

			if (t)
				bpf_task_release(t);
		}
	}
	__sync_add_and_fetch(&hits, nr_loops * PAIRS);
	return 0;
}

/*
 * wd-task-held: the pair of wd-task-pair, but each reference is held across
 * the loop's next, a cancellation point, so the record holds it: one pair
 * and one iteration per op.
 */
SEC("syscall")
int wd_task_held(void *ctx)
{
	struct task_struct *cur = bpf_get_current_task_btf();
	struct task_struct *prev = NULL;
	int i;

	bpf_for(i, 0, nr_loops) {
		struct task_struct *t = bpf_task_acquire(cur);

		if (prev)
			bpf_task_release(prev);
		prev = t;
	}
	if (prev)
		bpf_task_release(prev);
	__sync_add_and_fetch(&hits, nr_loops);
	return 0;
}

/* wd-spin-pair: bpf_spin_lock()/bpf_spin_unlock(), a tracked lock. */
SEC("syscall")
int wd_spin_pair(void *ctx)
{
	struct spin_elem *e;
	int key = 0, i, j;

	e = bpf_map_lookup_elem(&spin_map, &key);
	if (!e)
		return 0;
	bpf_for(i, 0, nr_loops) {
		for (j = 0; j < PAIRS; j++) {
			bpf_spin_lock(&e->lock);
			e->value++;
			bpf_spin_unlock(&e->lock);
		}
	}
	__sync_add_and_fetch(&hits, nr_loops * PAIRS);
	return 0;
}

/* wd-rcu-pair: bpf_rcu_read_lock()/bpf_rcu_read_unlock(), a tracked section. */
SEC("syscall")
int wd_rcu_pair(void *ctx)
{
	int i, j;

	bpf_for(i, 0, nr_loops) {
		for (j = 0; j < PAIRS; j++) {
			bpf_rcu_read_lock();
			bpf_rcu_read_unlock();
		}
	}
	__sync_add_and_fetch(&hits, nr_loops * PAIRS);
	return 0;
}

/*
 * wd-abort-latency: the seed's loops, far beyond any budget: every run is
 * killed.  The second one runs with IRQs disabled, where the watchdog
 * timer cannot interrupt it and the countdown's clock checks catch it.
 */
SEC("syscall")
int wd_runaway(void *ctx)
{
	int i, j;

	bpf_for(i, 0, 100000) {
		bpf_for(j, 0, 100000) {
			barrier_var(j);
		}
	}
	return 1;
}

SEC("syscall")
int wd_runaway_irqoff(void *ctx)
{
	unsigned long flags;
	int i, j;

	bpf_local_irq_save(&flags);
	bpf_for(i, 0, 100000) {
		bpf_for(j, 0, 100000) {
			barrier_var(j);
		}
	}
	bpf_local_irq_restore(&flags);
	return 1;
}

/* The id of the program whose kills on_abort records. */
__u32 target_id;
/* The last kill: how far past its deadline, and when (ktime) it was reported. */
__u64 late_ns;
__u64 report_ns;
__u64 reports;

SEC("tp_btf/bpf_watchdog_abort")
int BPF_PROG(on_abort, const struct bpf_wd_report *r)
{
	if (!r->killed || r->prog->aux->id != target_id)
		return 0;
	late_ns = r->ran_ns > r->budget_ns ? r->ran_ns - r->budget_ns : 0;
	report_ns = bpf_ktime_get_ns();
	reports++;
	return 0;
}
