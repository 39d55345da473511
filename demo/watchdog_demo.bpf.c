// SPDX-License-Identifier: GPL-2.0
/*
 * The BPF side of 'make demo' (demo/watchdog_demo.c is the loader).
 *
 * on_switch is the program of the proposal that started the BPF watchdog
 * ("Rethinking BPF safety", bpf@vger, 4 Feb 2025), verbatim: two nested
 * bpf_iter_num loops of 100 000 with a bpf_printk() on every context
 * switch.  The verifier accepts it; without the watchdog it freezes the
 * machine.
 *
 * hold_and_spin takes a task reference, the RCU read lock and a
 * bpf_res_spin_lock, then runs the same loops: the watchdog must kill it
 * and give all three back.  probe reads what a kill must restore.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

SEC("raw_tp/sched_switch")
int BPF_PROG(on_switch)
{
	struct bpf_iter_num it;
	int *v;

	bpf_iter_num_new(&it, 0, 100000);
	while ((v = bpf_iter_num_next(&it))) {
		struct bpf_iter_num it2;

		bpf_iter_num_new(&it2, 0, 100000);
		while ((v = bpf_iter_num_next(&it2))) {
			bpf_printk("BPF Bomb\n");
		}
		bpf_iter_num_destroy(&it2);
	}
	bpf_iter_num_destroy(&it);
	return 0;
}

extern struct task_struct *bpf_task_from_pid(s32 pid) __ksym;
extern void bpf_task_release(struct task_struct *p) __ksym;
extern void bpf_rcu_read_lock(void) __ksym;
extern void bpf_rcu_read_unlock(void) __ksym;
extern int bpf_res_spin_lock(struct bpf_res_spin_lock *lock) __ksym;
extern void bpf_res_spin_unlock(struct bpf_res_spin_lock *lock) __ksym;
extern u64 bpf_watchdog_context(void) __ksym __weak;

/* The demo's process: the task whose reference hold_and_spin takes. */
int pid;
/* Set if hold_and_spin ever got to the end of its loops. */
int finished;

struct elem {
	struct bpf_res_spin_lock lock;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, int);
	__type(value, struct elem);
} locks SEC(".maps");

/* Its own budget, 20 ms, declared here; libbpf passes it to the kernel. */
SEC("syscall") __watchdog_budget_us(20000)
int hold_and_spin(void *ctx)
{
	struct task_struct *t = bpf_task_from_pid(pid);
	struct elem *e;
	int key = 0, i, j;

	if (!t)
		return 2;
	bpf_rcu_read_lock();
	e = bpf_map_lookup_elem(&locks, &key);
	if (!e || bpf_res_spin_lock(&e->lock)) {
		bpf_rcu_read_unlock();
		bpf_task_release(t);
		return 2;
	}
	bpf_for(i, 0, 100000) {
		bpf_for(j, 0, 100000)
			barrier_var(j);
	}
	bpf_res_spin_unlock(&e->lock);
	bpf_rcu_read_unlock();
	bpf_task_release(t);
	finished = 1;
	return 1;
}

/* What probe saw. */
int task_refs;
int lock_free;
__u64 context;

SEC("syscall")
int probe(void *ctx)
{
	struct task_struct *t = bpf_task_from_pid(pid);
	struct elem *e;
	int key = 0;

	if (!t)
		return 1;
	/* bpf_task_acquire() counts in rcu_users; minus probe's own. */
	task_refs = t->rcu_users.refs.counter - 1;
	bpf_task_release(t);
	if (bpf_ksym_exists(bpf_watchdog_context))
		context = bpf_watchdog_context();
	e = bpf_map_lookup_elem(&locks, &key);
	if (!e)
		return 1;
	lock_free = !bpf_res_spin_lock(&e->lock);
	if (lock_free)
		bpf_res_spin_unlock(&e->lock);
	return 0;
}

char _license[] SEC("license") = "GPL";
