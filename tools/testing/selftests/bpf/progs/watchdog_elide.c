// SPDX-License-Identifier: GPL-2.0
/*
 * BPF watchdog selftests: what no cancellation point can see is not
 * recorded.
 *
 * A run is killed only at a cancellation point, so the verifier lets an
 * acquire or a release call the function itself, not its tracking wrapper,
 * when what it acquires or releases is never held at one.  The test reads
 * each program's translated calls and checks which ones call a wrapper
 * (bpf_wd_<name>) and which the function itself; each program also runs,
 * and returns 0 when it did what it should.
 */
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include "bpf_misc.h"
#include "bpf_experimental.h"
#include "watchdog_common.h"

char _license[] SEC("license") = "GPL";

struct spin_elem {
	struct bpf_spin_lock lock;
	int value;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, int);
	__type(value, struct spin_elem);
} elide_map SEC(".maps");

int pid;
int held;

/* Acquired and released with no cancellation point between: not recorded. */
SEC("syscall")
int elide_task_pair(void *ctx)
{
	struct task_struct *t = bpf_task_acquire(bpf_get_current_task_btf());

	if (!t)
		return 1;
	held = t->pid;
	bpf_task_release(t);
	return 0;
}

/* Lock-like states taken and given back with no cancellation point between. */
SEC("syscall")
int elide_lock_pairs(void *ctx)
{
	unsigned long flags;
	struct spin_elem *e;
	int key = 0;

	e = bpf_map_lookup_elem(&elide_map, &key);
	if (!e)
		return 1;
	bpf_spin_lock(&e->lock);
	e->value++;
	bpf_spin_unlock(&e->lock);
	bpf_rcu_read_lock();
	bpf_rcu_read_unlock();
	bpf_preempt_disable();
	bpf_preempt_enable();
	bpf_local_irq_save(&flags);
	bpf_local_irq_restore(&flags);
	return 0;
}

/* Held across a loop, whose next is a cancellation point: recorded. */
SEC("syscall")
int record_task_over_loop(void *ctx)
{
	struct task_struct *t = bpf_task_acquire(bpf_get_current_task_btf());
	int i, sum = 0;

	if (!t)
		return 1;
	bpf_for(i, 0, 3)
		sum += i;
	bpf_task_release(t);
	return sum == 3 ? 0 : 2;
}

/*
 * Held where the watchdog's own kfunc shows the record: recorded, and the
 * record holds it there.
 */
SEC("syscall")
int record_task_seen(void *ctx)
{
	struct task_struct *t = bpf_task_acquire(bpf_get_current_task_btf());

	if (!t)
		return 1;
	held = bpf_watchdog_held_count();
	bpf_task_release(t);
	return held == 1 ? 0 : 2;
}

/*
 * The RCU read lock is held across a loop once: every RCU section of the
 * program is recorded, the one without a loop too.
 */
SEC("syscall")
int record_rcu_over_loop(void *ctx)
{
	int i, sum = 0;

	bpf_rcu_read_lock();
	bpf_rcu_read_unlock();
	bpf_rcu_read_lock();
	bpf_for(i, 0, 3)
		sum += i;
	bpf_rcu_read_unlock();
	return sum == 3 ? 0 : 2;
}

/*
 * Two acquires on two paths meet before a loop.  The verifier may explore
 * the loop with one path's reference only and prune the other path's state
 * against it; the other acquire is recorded all the same.
 */
SEC("syscall")
int record_two_sites(void *ctx)
{
	struct task_struct *t;
	int i, sum = 0;

	if (pid)
		t = bpf_task_from_pid(pid);
	else
		t = bpf_task_acquire(bpf_get_current_task_btf());
	if (!t)
		return 1;
	bpf_for(i, 0, 3)
		sum += i;
	bpf_task_release(t);
	return sum == 3 ? 0 : 2;
}

/*
 * Two acquires on two paths, no cancellation point.  Whether they are
 * recorded depends on how the verifier explores them (a state pruned
 * against one holding a reference acquired elsewhere counts as held at a
 * cancellation point), and the release, reached from both, keeps its
 * wrapper; this one only has to run right on both paths.
 */
SEC("syscall")
int elide_two_sites(void *ctx)
{
	struct task_struct *t;

	if (pid)
		t = bpf_task_from_pid(pid);
	else
		t = bpf_task_acquire(bpf_get_current_task_btf());
	if (!t)
		return 1;
	bpf_task_release(t);
	return 0;
}
