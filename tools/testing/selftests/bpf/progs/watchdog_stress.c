// SPDX-License-Identifier: GPL-2.0
/*
 * BPF watchdog soak (prog_tests/watchdog_stress.c): runaway programs on hot
 * hooks, each holding a mix of references, locks and iterators when the
 * watchdog kills it.  Every hook runs away on one event in @every (the
 * others return at once), so that the machine keeps running while the
 * kills pile up.
 *
 * The loops are bounded (@outer x 10000 iterations, several budgets long):
 * while the soak flips the watchdog to report mode or off, a runaway that
 * started then runs to its end instead of forever.  With no watchdog, IRQs
 * off and a perf_event program firing again as soon as it returns, a
 * longer runaway would livelock the CPU: the flipper thread that turns the
 * watchdog back on would never run again.
 */
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "bpf_misc.h"
#include "bpf_experimental.h"
#include "watchdog_common.h"

#ifndef TC_ACT_OK
#define TC_ACT_OK 0
#endif

char _license[] SEC("license") = "GPL";

/* Set by user space. */
int pid;		/* the soak's process: the hooks that can, only fire for it */
unsigned int every = 16;		/* run away on one event in @every */
int outer = 20;		/* the runaway's outer loop: 200 000 iterations */
struct bpf_sock_tuple sk_tuple;	/* an established loopback TCP connection */

/* Events seen, and runaway loops started, per hook. */
long events[9];
long runaways[9];
/* Runaways that ran to their end (mode report or off when they started). */
long finished[9];

enum { H_SWITCH, H_SYS_ENTER, H_KPROBE, H_FENTRY, H_TC, H_XDP, H_PERF, H_RUNNER, H_NMI };

static __always_inline bool pick(int hook)
{
	unsigned long n = __sync_fetch_and_add(&events[hook], 1);

	return !(n % every);
}

static __always_inline void runaway(int hook)
{
	int i, j;

	__sync_fetch_and_add(&runaways[hook], 1);
	bpf_for(i, 0, outer) {
		bpf_for(j, 0, 10000)
			barrier_var(j);
	}
	__sync_fetch_and_add(&finished[hook], 1);
}

static __always_inline bool mine(void)
{
	return (bpf_get_current_pid_tgid() >> 32) == pid;
}

struct res_elem {
	struct bpf_res_spin_lock lock;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, int);
	__type(value, struct res_elem);
} locks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} rb SEC(".maps");

struct node_data {
	long data;
};

/* sched_switch, every CPU, IRQs off: the next task, RCU, a res_spin_lock. */
SEC("tp_btf/sched_switch")
int BPF_PROG(on_switch, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	struct task_struct *t;
	struct res_elem *e;
	int key = 0;

	if (!pick(H_SWITCH))
		return 0;
	t = bpf_task_acquire(next);
	if (!t)
		return 0;
	bpf_rcu_read_lock();
	e = bpf_map_lookup_elem(&locks, &key);
	if (e && !bpf_res_spin_lock(&e->lock)) {
		runaway(H_SWITCH);
		bpf_res_spin_unlock(&e->lock);
	}
	bpf_rcu_read_unlock();
	bpf_task_release(t);
	return 0;
}

/* A syscall tracepoint: a task from its pid, a cpumask, an object, preemption off. */
SEC("tp_btf/sys_enter")
int BPF_PROG(on_sys_enter, struct pt_regs *regs, long id)
{
	struct node_data *n;
	struct bpf_cpumask *m;
	struct task_struct *t;

	if (!mine() || !pick(H_SYS_ENTER))
		return 0;
	t = bpf_task_from_pid(pid);
	if (!t)
		return 0;
	m = bpf_cpumask_create();
	if (!m) {
		bpf_task_release(t);
		return 0;
	}
	n = bpf_obj_new(typeof(*n));
	if (!n) {
		bpf_cpumask_release(m);
		bpf_task_release(t);
		return 0;
	}
	bpf_preempt_disable();
	runaway(H_SYS_ENTER);
	bpf_preempt_enable();
	bpf_obj_drop(n);
	bpf_cpumask_release(m);
	bpf_task_release(t);
	return 0;
}

/* A kprobe: the RCU read lock and a ring buffer sample. */
SEC("kprobe/" SYS_PREFIX "sys_getppid")
int on_kprobe(void *ctx)
{
	long *s;

	if (!mine() || !pick(H_KPROBE))
		return 0;
	s = bpf_ringbuf_reserve(&rb, sizeof(*s), 0);
	if (!s)
		return 0;
	bpf_rcu_read_lock();
	runaway(H_KPROBE);
	bpf_rcu_read_unlock();
	/* Nobody reads the ring: discard, or it would fill up. */
	bpf_ringbuf_discard(s, 0);
	return 0;
}

/* An fentry program: a task_vma iterator (task and mm references). */
SEC("fentry/" SYS_PREFIX "sys_getpgid")
int BPF_PROG(on_fentry)
{
	struct task_struct *t = bpf_get_current_task_btf();
	struct bpf_iter_task_vma it;
	struct vm_area_struct *vma;

	if (!mine() || !pick(H_FENTRY))
		return 0;
	bpf_iter_task_vma_new(&it, t, 0);
	vma = bpf_iter_task_vma_next(&it);
	if (vma)
		runaway(H_FENTRY);
	bpf_iter_task_vma_destroy(&it);
	return 0;
}

/* tc egress on the veth pair: a socket reference and an object. */
SEC("tc")
int on_tc(struct __sk_buff *skb)
{
	struct node_data *n;
	struct bpf_sock *sk;

	if (!pick(H_TC))
		return TC_ACT_OK;
	sk = bpf_sk_lookup_tcp(skb, &sk_tuple, sizeof(sk_tuple.ipv4),
			       BPF_F_CURRENT_NETNS, 0);
	if (!sk)
		return TC_ACT_OK;
	n = bpf_obj_new(typeof(*n));
	if (n) {
		runaway(H_TC);
		bpf_obj_drop(n);
	}
	bpf_sk_release(sk);
	return TC_ACT_OK;
}

/* XDP on the peer: a ring buffer sample and the RCU read lock. */
SEC("xdp")
int on_xdp(struct xdp_md *ctx)
{
	long *s;

	if (!pick(H_XDP))
		return XDP_PASS;
	s = bpf_ringbuf_reserve(&rb, sizeof(*s), 0);
	if (!s)
		return XDP_PASS;
	bpf_rcu_read_lock();
	runaway(H_XDP);
	bpf_rcu_read_unlock();
	bpf_ringbuf_discard(s, 0);
	return XDP_PASS;
}

/* perf_event (cpu-clock: hard-irq, IRQs off; there is no PMU NMI under TCG). */
SEC("perf_event")
int on_perf(void *ctx)
{
	if (!pick(H_PERF))
		return 0;
	bpf_rcu_read_lock();
	runaway(H_PERF);
	bpf_rcu_read_unlock();
	return 0;
}

/*
 * NMI: the backtrace NMI that sysrq-l sends to the other CPUs, often over
 * a run that is itself overrunning with IRQs off (sched_switch).  Every
 * one runs away: there are few.
 */
SEC("tp_btf/nmi_handler")
int BPF_PROG(on_nmi, void *handler, s64 delta_ns, int handled)
{
	__sync_fetch_and_add(&events[H_NMI], 1);
	bpf_rcu_read_lock();
	runaway(H_NMI);
	bpf_rcu_read_unlock();
	return 0;
}

/*
 * BPF_PROG_TEST_RUN runners, two tasks on one CPU preempting each other:
 * a task reference and a res_spin_lock each (one lock per runner).
 */
SEC("syscall")
int runner(int *lock_idx)
{
	struct task_struct *t;
	struct res_elem *e;
	int key = *lock_idx & 3;

	t = bpf_task_from_pid(pid);
	if (!t)
		return 1;
	e = bpf_map_lookup_elem(&locks, &key);
	if (e && !bpf_res_spin_lock(&e->lock)) {
		runaway(H_RUNNER);
		bpf_res_spin_unlock(&e->lock);
	}
	bpf_task_release(t);
	return 0;
}

/* A run whose record overflows: unkillable, it runs to its end. */

long record_full_runs;

SEC("syscall")
int record_full(void *ctx)
{
	int i;

	DISABLE16();
	DISABLE16();
	DISABLE16();
	DISABLE16();
	bpf_for(i, 0, 100000)
		barrier_var(i);
	ENABLE16();
	ENABLE16();
	ENABLE16();
	ENABLE16();
	__sync_fetch_and_add(&record_full_runs, 1);
	return 0;
}

/* Releases by kind, from the bpf_watchdog_release tracepoint. */
struct kind_key {
	char name[24];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, struct kind_key);
	__type(value, long);
} released SEC(".maps");

SEC("tp_btf/bpf_watchdog_release")
int BPF_PROG(on_release, const struct bpf_prog *prog, const char *kind, unsigned long addr)
{
	struct kind_key k = {};
	long one = 1, *v;

	bpf_probe_read_kernel_str(k.name, sizeof(k.name), kind);
	v = bpf_map_lookup_elem(&released, &k);
	if (v)
		__sync_fetch_and_add(v, 1);
	else
		bpf_map_update_elem(&released, &k, &one, BPF_NOEXIST);
	return 0;
}

/* After the soak: what must be back. */
__u64 kills;
int task_users;
int mm_users;
int locks_free;
int held;

SEC("syscall")
int probe(void *ctx)
{
	struct task_struct *t;
	int i;

	/* Before the probe holds anything itself. */
	held = bpf_watchdog_held_count();
	kills = bpf_watchdog_kills();
	t = bpf_task_from_pid(pid);
	if (!t)
		return 1;
	task_users = t->rcu_users.refs.counter - 1;
	mm_users = t->mm ? t->mm->mm_users.counter : -1;
	bpf_task_release(t);
	locks_free = 0;
	bpf_for(i, 0, 4) {
		int key = i;
		struct res_elem *e = bpf_map_lookup_elem(&locks, &key);

		if (e && !bpf_res_spin_lock(&e->lock)) {
			locks_free++;
			bpf_res_spin_unlock(&e->lock);
		}
	}
	return 0;
}
