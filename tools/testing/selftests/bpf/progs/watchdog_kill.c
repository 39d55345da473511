// SPDX-License-Identifier: GPL-2.0
/*
 * BPF watchdog selftests: runaway programs the watchdog must kill.
 *
 * Each program takes hold of something, then runs the seed's nested
 * iterator loops (100 000 x 100 000, far beyond any budget) and would only
 * then give back what it holds and set @finished.  The watchdog must kill
 * it inside the loops: @finished stays 0, the run returns the abort value
 * (0 here), and everything the run held is back, which the user-space half
 * (prog_tests/watchdog.c) checks with the probe programs at the end.
 */
#include <vmlinux.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "bpf_misc.h"
#include "bpf_experimental.h"
#include "watchdog_common.h"

#ifndef CLOCK_MONOTONIC
#define CLOCK_MONOTONIC 1
#endif

#ifndef AF_INET
#define AF_INET 2
#endif

/* Set by user space: the test process. */
int pid;
/* Set by a program that ran to its end: the watchdog did not stop it. */
int finished;
/* Iterations done before the kill. */
__u64 iterations;

/* Whether the run's record held what the program took, as it expects. */
int held_ok;

struct res_elem {
	struct bpf_res_spin_lock lock;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, int);
	__type(value, struct res_elem);
} res_map SEC(".maps");

struct spin_elem {
	struct bpf_spin_lock lock;
	int value;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, int);
	__type(value, struct spin_elem);
} spin_map SEC(".maps");

/* The seed's loops: 10^10 iterations. */
static __always_inline void runaway(void)
{
	int i, j;

	bpf_for(i, 0, 100000) {
		bpf_for(j, 0, 100000)
			iterations++;
	}
}

/* The seed's program, verbatim but for the section: a test run. */
SEC("syscall")
int kill_nested_iters(void *ctx)
{
	struct bpf_iter_num it;
	int *v;

	bpf_iter_num_new(&it, 0, 100000);
	while ((v = bpf_iter_num_next(&it))) {
		struct bpf_iter_num it2;

		bpf_iter_num_new(&it2, 0, 100000);
		while ((v = bpf_iter_num_next(&it2)))
			iterations++;
		bpf_iter_num_destroy(&it2);
	}
	bpf_iter_num_destroy(&it);
	finished = 1;
	return 1;
}

/* The runaway loop in a subprogram eight calls deep (BPF has no recursion). */
static __noinline int deep0(int x)
{
	runaway();
	return x;
}

#define DEEP(n, m)				\
static __noinline int deep##n(int x)		\
{						\
	return deep##m(x + 1) + 1;		\
}

DEEP(1, 0)
DEEP(2, 1)
DEEP(3, 2)
DEEP(4, 3)
DEEP(5, 4)
DEEP(6, 5)
DEEP(7, 6)

SEC("syscall")
int kill_in_subprog(void *ctx)
{
	int ret = deep7(0);

	finished = 1;
	return ret + 1;
}

SEC("syscall")
int kill_holding_task(void *ctx)
{
	struct task_struct *t = bpf_task_from_pid(pid);

	if (!t)
		return 2;
	runaway();
	bpf_task_release(t);
	finished = 1;
	return 1;
}

struct ksock_elem {
	struct bpf_ksock __kptr *ks;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, int);
	__type(value, struct ksock_elem);
} ksock_map SEC(".maps");

/* probe_ksock: references to the map's kernel socket. */
int ksock_users = -1;
/* What bpf_ksock_create() said. */
int ksock_err;

/*
 * A kernel socket: made and given to a map (the map's reference), then a
 * second reference taken from the map, held by the run when it is killed.
 */
SEC("syscall")
int kill_holding_ksock(void *ctx)
{
	struct bpf_ksock_create_opts opts = {
		.family = 2,	/* AF_INET */
		.type = SOCK_DGRAM,
		.protocol = IPPROTO_UDP,
	};
	struct bpf_ksock *ks, *old;
	struct ksock_elem *e;
	int key = 0;

	e = bpf_map_lookup_elem(&ksock_map, &key);
	if (!e)
		return 2;
	/*
	 * The error goes to a global: a stack slot here is rejected ("slot
	 * poisoned by dead code elimination"), its store of 0 being dead
	 * for an __uninit argument the verifier then checks as readable.
	 */
	ks = bpf_ksock_create(&opts, sizeof(opts), &ksock_err);
	if (!ks)
		return 3;
	old = bpf_kptr_xchg(&e->ks, ks);
	if (old)
		bpf_ksock_release(old);
	bpf_rcu_read_lock();
	ks = e->ks;
	if (ks)
		ks = bpf_ksock_acquire(ks);
	bpf_rcu_read_unlock();
	if (!ks)
		return 4;
	runaway();
	bpf_ksock_release(ks);
	finished = 1;
	return 1;
}

SEC("syscall")
int probe_ksock(void *ctx)
{
	struct bpf_ksock *ks;
	struct ksock_elem *e;
	int key = 0;

	ksock_users = -1;
	e = bpf_map_lookup_elem(&ksock_map, &key);
	if (!e)
		return 1;
	bpf_rcu_read_lock();
	ks = e->ks;
	if (ks)
		ksock_users = ks->usage.refs.counter;
	bpf_rcu_read_unlock();
	return 0;
}

struct crypto_elem {
	struct bpf_crypto_ctx __kptr *ctx;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, int);
	__type(value, struct crypto_elem);
} crypto_map SEC(".maps");

/* probe_crypto_ctx: references to the map's crypto context. */
int crypto_users = -1;
/* What bpf_crypto_ctx_create() said. */
int crypto_err;

/*
 * A crypto context: made and given to a map (the map's reference), then a
 * second reference taken from the map, held by the run when it is killed.
 */
SEC("syscall")
int kill_holding_crypto_ctx(void *ctx)
{
	struct bpf_crypto_params params = {
		.type = "skcipher",
		.algo = "ecb(aes)",
		.key_len = 16,
	};
	struct bpf_crypto_ctx *c, *old;
	struct crypto_elem *e;
	int key = 0;

	e = bpf_map_lookup_elem(&crypto_map, &key);
	if (!e)
		return 2;
	c = bpf_crypto_ctx_create(&params, sizeof(params), &crypto_err);
	if (!c)
		return 3;
	old = bpf_kptr_xchg(&e->ctx, c);
	if (old)
		bpf_crypto_ctx_release(old);
	bpf_rcu_read_lock();
	c = e->ctx;
	if (c)
		c = bpf_crypto_ctx_acquire(c);
	bpf_rcu_read_unlock();
	if (!c)
		return 4;
	runaway();
	bpf_crypto_ctx_release(c);
	finished = 1;
	return 1;
}

/*
 * Makes and releases a context, so that the crypto API has "ecb(aes)"
 * instantiated before kill_holding_crypto_ctx runs: the first
 * instantiation takes about a second under TCG, which that test would
 * count against the kill.
 */
SEC("syscall")
int warm_crypto_ctx(void *ctx)
{
	struct bpf_crypto_params params = {
		.type = "skcipher",
		.algo = "ecb(aes)",
		.key_len = 16,
	};
	struct bpf_crypto_ctx *c;

	c = bpf_crypto_ctx_create(&params, sizeof(params), &crypto_err);
	if (!c)
		return 1;
	bpf_crypto_ctx_release(c);
	return 0;
}

SEC("syscall")
int probe_crypto_ctx(void *ctx)
{
	struct bpf_crypto_ctx *c;
	struct crypto_elem *e;
	int key = 0;

	crypto_users = -1;
	e = bpf_map_lookup_elem(&crypto_map, &key);
	if (!e)
		return 1;
	bpf_rcu_read_lock();
	c = e->ctx;
	if (c)
		crypto_users = c->usage.refs.counter;
	bpf_rcu_read_unlock();
	return 0;
}

/* runaway_holding_file_dynptr: the test process, when it opens a file. */
int open_pid;
/* What bpf_dynptr_from_file() and then bpf_dynptr_read() returned. */
int dynptr_ret = -1;
/* The record held the dynptr's state and the file, newest first. */
int dynptr_recorded;
/* References to the test's executable file, counted holding one more. */
long exe_refs_in_run = -1;
long exe_refs_after = -1;
/* What the watchdog released (count_releases). */
int released_file;
int released_file_dynptr;

static __always_inline long file_refs(struct file *file)
{
	return file->f_ref.refcnt.counter;
}

/*
 * A file reference and a file dynptr that read from the file (its state
 * holds a file reader): the LSM hook fails closed when the run is killed.
 */
static __always_inline int hold_file_dynptr(void)
{
	struct bpf_dynptr dynptr;
	struct file *file;
	char buf[16];

	if ((bpf_get_current_pid_tgid() >> 32) != open_pid)
		return 0;
	file = bpf_get_task_exe_file(bpf_get_current_task_btf());
	if (!file)
		return 0;
	exe_refs_in_run = file_refs(file);
	dynptr_ret = bpf_dynptr_from_file(file, 0, &dynptr);
	if (!dynptr_ret) {
		__u64 a = 0, b = 0;

		/* The dynptr's entry keeps its state, not its address. */
		dynptr_recorded = bpf_watchdog_held_count() == 2 &&
				  bpf_watchdog_held(0, &a) == bpf_watchdog_kind("file_dynptr") &&
				  a && a != (__u64)&dynptr &&
				  bpf_watchdog_held(1, &b) == bpf_watchdog_kind("file") &&
				  b == (__u64)file;
		dynptr_ret = bpf_dynptr_read(buf, sizeof(buf), &dynptr, 0, 0);
	}
	runaway();
	bpf_dynptr_file_discard(&dynptr);
	bpf_put_file(file);
	finished = 1;
	return 0;
}

SEC("lsm/file_open")
int BPF_PROG(runaway_holding_file_dynptr, struct file *f)
{
	return hold_file_dynptr();
}

/*
 * The same, sleepable: the trampoline's sleepable enter and exit, and the
 * verifier's bpf_dynptr_from_file_sleepable() (what it specialises
 * bpf_dynptr_from_file() to here) redirected to its own wrapper.
 */
SEC("lsm.s/file_open")
int BPF_PROG(runaway_holding_file_dynptr_s, struct file *f)
{
	return hold_file_dynptr();
}

SEC("lsm/file_open")
int BPF_PROG(probe_exe_refs, struct file *f)
{
	struct file *file;

	if ((bpf_get_current_pid_tgid() >> 32) != open_pid)
		return 0;
	file = bpf_get_task_exe_file(bpf_get_current_task_btf());
	if (!file)
		return 0;
	exe_refs_after = file_refs(file);
	bpf_put_file(file);
	return 0;
}

SEC("tp_btf/bpf_watchdog_release")
int BPF_PROG(count_releases, const struct bpf_prog *prog, const char *kind, unsigned long addr)
{
	char name[16] = {};

	bpf_probe_read_kernel_str(name, sizeof(name), kind);
	if (!bpf_strncmp(name, sizeof(name), "file_dynptr"))
		released_file_dynptr++;
	else if (!bpf_strncmp(name, sizeof(name), "file"))
		released_file++;
	return 0;
}

SEC("syscall")
int kill_holding_rcu(void *ctx)
{
	bpf_rcu_read_lock();
	runaway();
	bpf_rcu_read_unlock();
	finished = 1;
	return 1;
}

SEC("syscall")
int kill_holding_preempt(void *ctx)
{
	bpf_preempt_disable();
	runaway();
	bpf_preempt_enable();
	finished = 1;
	return 1;
}

SEC("syscall")
int kill_holding_irq(void *ctx)
{
	unsigned long flags;

	bpf_local_irq_save(&flags);
	runaway();
	bpf_local_irq_restore(&flags);
	finished = 1;
	return 1;
}

SEC("syscall")
int kill_holding_res_spin_lock(void *ctx)
{
	struct res_elem *e;
	int key = 0;

	e = bpf_map_lookup_elem(&res_map, &key);
	if (!e || bpf_res_spin_lock(&e->lock))
		return 2;
	runaway();
	bpf_res_spin_unlock(&e->lock);
	finished = 1;
	return 1;
}

SEC("syscall")
int kill_holding_spin_lock(void *ctx)
{
	struct spin_elem *e;
	int key = 0, i, j;

	e = bpf_map_lookup_elem(&spin_map, &key);
	if (!e)
		return 2;
	bpf_spin_lock(&e->lock);
	/* Only bpf_iter_num is allowed under a bpf_spin_lock. */
	bpf_for(i, 0, 100000) {
		bpf_for(j, 0, 100000)
			iterations++;
	}
	bpf_spin_unlock(&e->lock);
	finished = 1;
	return 1;
}

SEC("syscall")
int kill_holding_everything(void *ctx)
{
	struct task_struct *t = bpf_task_from_pid(pid);
	struct bpf_cpumask *mask;
	struct res_elem *e;
	int key = 0;

	if (!t)
		return 2;
	mask = bpf_cpumask_create();
	if (!mask) {
		bpf_task_release(t);
		return 2;
	}
	bpf_rcu_read_lock();
	bpf_preempt_disable();
	e = bpf_map_lookup_elem(&res_map, &key);
	if (!e || bpf_res_spin_lock(&e->lock)) {
		bpf_preempt_enable();
		bpf_rcu_read_unlock();
		bpf_cpumask_release(mask);
		bpf_task_release(t);
		return 2;
	}
	/* No calls but bpf_iter_num's under the lock. */
	runaway();
	bpf_res_spin_unlock(&e->lock);
	bpf_preempt_enable();
	bpf_rcu_read_unlock();
	bpf_cpumask_release(mask);
	bpf_task_release(t);
	finished = 1;
	return 1;
}

/*
 * What no cancellation point sees is not recorded (watchdog_elide.c): the
 * first task reference, the spin lock, the preempt and the IRQ sections
 * come and go before the loops, and call the functions themselves.  The
 * second task reference is held in the loops and recorded.  The kill must
 * release the second reference only: nothing of the first pairs is left
 * (task references, preempt and IRQ state, the spin lock, all compared
 * after the kill) and nothing of them is released twice.
 */
int held_in_loop = -1;

SEC("syscall")
int kill_after_elided_pairs(void *ctx)
{
	struct task_struct *t, *u;
	struct spin_elem *e;
	unsigned long flags;
	int key = 0;

	/* bpf_task_from_pid() keeps its wrapper: its argument is signed. */
	u = bpf_task_acquire(bpf_get_current_task_btf());
	if (!u)
		return 2;
	bpf_task_release(u);
	e = bpf_map_lookup_elem(&spin_map, &key);
	if (!e)
		return 2;
	bpf_spin_lock(&e->lock);
	e->value++;
	bpf_spin_unlock(&e->lock);
	bpf_preempt_disable();
	bpf_preempt_enable();
	bpf_local_irq_save(&flags);
	bpf_local_irq_restore(&flags);

	t = bpf_task_from_pid(pid);
	if (!t)
		return 2;
	held_in_loop = bpf_watchdog_held_count();
	runaway();
	bpf_task_release(t);
	finished = 1;
	return 1;
}

/* A task_vma iterator holds a task and an mm reference while it lives. */
SEC("syscall")
int kill_in_task_vma_iter(void *ctx)
{
	struct task_struct *t = bpf_task_from_pid(pid);
	struct bpf_iter_task_vma vit;
	struct vm_area_struct *vma;

	if (!t)
		return 2;
	bpf_iter_task_vma_new(&vit, t, 0);
	while ((vma = bpf_iter_task_vma_next(&vit)))
		runaway();
	bpf_iter_task_vma_destroy(&vit);
	bpf_task_release(t);
	finished = 1;
	return 1;
}

/* 0, but unknown to the verifier: keeps bpf_loop() a helper call. */
int loop_flags;

static int loop_cb(__u64 idx, void *data)
{
	int j;

	bpf_for(j, 0, 100000)
		iterations++;
	return 0;
}

static int count_cb(__u64 idx, void *data)
{
	iterations++;
	return 0;
}

/*
 * The overrun happens in a callback that bpf_loop() calls: the callback's
 * iterator ends, and the run is killed in bpf_loop() between two calls.
 */
SEC("syscall")
int kill_in_bpf_loop(void *ctx)
{
	bpf_loop(1 << 23, loop_cb, NULL, loop_flags);
	finished = 1;
	return 1;
}

/* The verifier inlines this bpf_loop(): the callback unwinds directly. */
SEC("syscall")
int kill_in_inlined_bpf_loop(void *ctx)
{
	bpf_loop(1 << 23, loop_cb, NULL, 0);
	finished = 1;
	return 1;
}

/* A callback with no cancellation point: bpf_loop() itself is one. */
SEC("syscall")
int kill_in_bpf_loop_empty_cb(void *ctx)
{
	bpf_loop(1 << 23, count_cb, NULL, loop_flags);
	finished = 1;
	return 1;
}

/* The budget covers a whole tail-call chain: one run. */
SEC("tc")
int tail_runaway(struct __sk_buff *skb)
{
	runaway();
	finished = 1;
	return 0;	/* TC_ACT_OK */
}

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 1);
	__uint(key_size, sizeof(__u32));
	__array(values, int (void *));
} jmp_table SEC(".maps") = {
	.values = { [0] = (void *)&tail_runaway },
};

/* A killed tc program returns TC_ACT_SHOT. */
SEC("tc")
int kill_across_tail_call(struct __sk_buff *skb)
{
	bpf_tail_call_static(skb, &jmp_table, 0);
	return 0;
}

/*
 * A bpf_timer callback runs in softirq, over whatever the CPU was doing: a
 * run of its own.  This one runs away; it cannot be unwound (a C frame,
 * bpf_timer_cb(), lies below it), so the watchdog ends its iterators and
 * it returns having done far fewer than its 10^10 iterations.  bpf_wq and
 * task_work callbacks (sleepable, in a kworker and on the way back to
 * user space) are runs of their own under a C frame too, and are stopped
 * the same way.
 */
struct timer_elem {
	struct bpf_timer timer;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, int);
	__type(value, struct timer_elem);
} timer_map SEC(".maps");

struct wq_elem {
	struct bpf_wq wq;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, int);
	__type(value, struct wq_elem);
} wq_map SEC(".maps");

struct task_work_elem {
	struct bpf_task_work tw;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, int);
	__type(value, struct task_work_elem);
} task_work_map SEC(".maps");

__u64 async_cb_start, async_cb_end, async_cb_iterations;

static __always_inline void runaway_async_cb(void)
{
	int i, j;

	async_cb_start = bpf_ktime_get_ns();
	bpf_for(i, 0, 100000) {
		bpf_for(j, 0, 100000)
			async_cb_iterations++;
	}
	async_cb_end = bpf_ktime_get_ns();
}

static int runaway_timer_cb(void *map, int *key, struct timer_elem *e)
{
	runaway_async_cb();
	return 0;
}

SEC("tc")
int arm_runaway_timer(struct __sk_buff *skb)
{
	struct timer_elem *e;
	int key = 0;

	e = bpf_map_lookup_elem(&timer_map, &key);
	if (!e)
		return 1;
	if (bpf_timer_init(&e->timer, &timer_map, CLOCK_MONOTONIC) ||
	    bpf_timer_set_callback(&e->timer, runaway_timer_cb) ||
	    bpf_timer_start(&e->timer, 0, 0))
		return 2;
	return 0;
}

static int runaway_wq_cb(void *map, int *key, void *value)
{
	runaway_async_cb();
	return 0;
}

SEC("syscall")
int arm_runaway_wq(void *ctx)
{
	struct wq_elem *e;
	int key = 0;

	e = bpf_map_lookup_elem(&wq_map, &key);
	if (!e)
		return 1;
	if (bpf_wq_init(&e->wq, &wq_map, 0) || bpf_wq_set_callback(&e->wq, runaway_wq_cb, 0) ||
	    bpf_wq_start(&e->wq, 0))
		return 2;
	return 0;
}

static int runaway_task_work_cb(struct bpf_map *map, void *key, void *value)
{
	runaway_async_cb();
	return 0;
}

/* The callback runs as this test run's syscall returns to user space. */
SEC("syscall")
int arm_runaway_task_work(void *ctx)
{
	struct task_work_elem *e;
	int key = 0;

	e = bpf_map_lookup_elem(&task_work_map, &key);
	if (!e)
		return 1;
	if (bpf_task_work_schedule_resume(bpf_get_current_task_btf(), &e->tw, &task_work_map,
					  runaway_task_work_cb))
		return 2;
	return 0;
}

/*
 * A socket reference from a helper: bpf_sk_lookup_tcp() of an established
 * TCP socket (listeners and UDP sockets are RCU-freed: no reference to
 * leak).  User space sets the tuple and compares the socket's reference
 * count (/proc/net/tcp) before and after the kill.
 */
struct bpf_sock_tuple sk_tuple;
int sk_found;

SEC("tc")
int kill_holding_socket(struct __sk_buff *skb)
{
	struct bpf_sock *sk;

	sk = bpf_sk_lookup_tcp(skb, &sk_tuple, sizeof(sk_tuple.ipv4),
			       BPF_F_CURRENT_NETNS, 0);
	if (!sk)
		return 3;
	sk_found = 1;
	runaway();
	bpf_sk_release(sk);
	finished = 1;
	return 0;
}

/* A killed XDP program returns XDP_ABORTED (0), not XDP_PASS. */
SEC("xdp")
int kill_xdp(struct xdp_md *ctx)
{
	runaway();
	finished = 1;
	return 2;	/* XDP_PASS */
}

/* Runs in hard-irq context with IRQs off: only the countdown sees it. */
SEC("perf_event")
int hardirq_runaway(void *ctx)
{
	runaway();
	finished = 1;
	return 0;
}

/*
 * NMI over an overrunning run.  A test run spins with IRQs off on one CPU
 * (nothing but an NMI can interrupt it); an NMI arrives there (sysrq-l's
 * backtrace IPI) and a program on the nmi_handler tracepoint overruns
 * inside it.  Neither the watchdog's timer nor any interrupt can reach
 * either run: each must be killed by its own cancellation points, the NMI
 * run at the tracing budget, the run it interrupted later, at the syscall
 * budget, holding its IRQ state to the end.
 */
int nmi_cpu = -1;
int nmi_runs;
int nmi_finished;
__u64 nmi_held = -1;
__u64 task_iters;
__u64 task_iters_at_nmi;
/* Where the IRQs-off run ran (test_nmi() says so when a try fails). */
int task_cpu = -1;
__u64 task_max_gap_ns;
__u64 task_gap_end_ns;
__u64 nmi_start_ns;

SEC("tp_btf/nmi_handler")
int BPF_PROG(nmi_runaway, void *handler, s64 delta_ns, int handled)
{
	if (bpf_get_smp_processor_id() != nmi_cpu)
		return 0;
	nmi_start_ns = bpf_ktime_get_ns();
	nmi_runs++;
	task_iters_at_nmi = task_iters;
	/* The NMI's own run holds nothing, whatever the run below it holds. */
	nmi_held = bpf_watchdog_held_count();
	runaway();
	nmi_finished = 1;
	return 0;
}

SEC("syscall")
int irqs_off_under_nmi(void *ctx)
{
	unsigned long flags;
	__u64 prev, now;
	int i, j;

	bpf_local_irq_save(&flags);
	task_cpu = bpf_get_smp_processor_id();
	prev = bpf_ktime_get_ns();
	/*
	 * The seed's loops.  The longest gap between two steps is the NMI;
	 * its end is when the NMI's run was over.
	 */
	bpf_for(i, 0, 100000) {
		bpf_for(j, 0, 100000) {
			now = bpf_ktime_get_ns();
			if (now - prev > task_max_gap_ns) {
				task_max_gap_ns = now - prev;
				task_gap_end_ns = now;
			}
			prev = now;
			task_iters++;
		}
	}
	bpf_local_irq_restore(&flags);
	finished = 1;
	return 1;
}

/*
 * Nesting: an fentry program on bpf_watchdog_context() overruns while the
 * program that called it is running, holding a task reference.  Only the
 * nested run is killed; the outer one goes on with its reference and
 * releases it itself.
 */
int nested_armed;
int nested_finished;
int held_before = -1;
int held_after = -1;

SEC("fentry/bpf_watchdog_context")
int BPF_PROG(nested_runaway)
{
	if (!nested_armed)
		return 0;
	runaway();
	nested_finished = 1;
	return 0;
}

SEC("syscall")
int outer_holding_task(void *ctx)
{
	struct task_struct *t = bpf_task_from_pid(pid);

	if (!t)
		return 2;
	held_before = bpf_watchdog_held_count();
	bpf_watchdog_context();
	held_after = bpf_watchdog_held_count();
	bpf_task_release(t);
	finished = 1;
	return 1;
}

/*
 * Loops a while holding a task reference, well within any budget: the
 * mode-toggle test runs it on every CPU while the mode flips under it.
 */
SEC("syscall")
int loop_holding_task(void *ctx)
{
	struct task_struct *t = bpf_task_from_pid(pid);
	int i;

	if (!t)
		return 2;
	bpf_for(i, 0, 20000)
		iterations++;
	bpf_task_release(t);
	return 1;
}

/*
 * A may_goto loop: without the watchdog, timed may_goto ends it after
 * 250 ms and the program goes on; with it, the run is killed at its budget.
 */
SEC("syscall")
int kill_in_may_goto_loop(void *ctx)
{
	while (can_loop)
		iterations++;
	finished = 1;
	return 1;
}

/* Overruns a 20 ms budget, but ends: 25M iterations. */
SEC("syscall")
int overrun_bounded(void *ctx)
{
	int i, j;

	bpf_for(i, 0, 5000) {
		bpf_for(j, 0, 5000)
			iterations++;
	}
	finished = 1;
	return 1;
}

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} ringbuf SEC(".maps");

/* More than half the ring: a second one only fits once the first is gone. */
#define SAMPLE_SIZE 2048

SEC("syscall")
int kill_holding_ringbuf_sample(void *ctx)
{
	void *sample = bpf_ringbuf_reserve(&ringbuf, SAMPLE_SIZE, 0);

	if (!sample)
		return 2;
	runaway();
	bpf_ringbuf_submit(sample, 0);
	finished = 1;
	return 1;
}

int reserve_ret = -1;

SEC("syscall")
int probe_ringbuf(void *ctx)
{
	void *sample = bpf_ringbuf_reserve(&ringbuf, SAMPLE_SIZE, 0);

	reserve_ret = sample ? 0 : 1;
	if (sample)
		bpf_ringbuf_discard(sample, 0);
	return 0;
}

/*
 * Ownership that leaves the run: objects pushed into a list and an rbtree,
 * a task reference moved into a map.  The run holds nothing when it is
 * killed, and the kill must not release what the list, the tree and the map
 * now own (probe_collections and probe find them intact).
 */
struct wd_lnode {
	long data;
	struct bpf_list_node node;
};

struct wd_rnode {
	long data;
	struct bpf_rb_node node;
};

private(WD) struct bpf_spin_lock wd_lock;
private(WD) struct bpf_list_head wd_list __contains(wd_lnode, node);
private(WD) struct bpf_rb_root wd_tree __contains(wd_rnode, node);

/* An allocated object that holds a task reference of its own. */
struct wd_kobj {
	struct task_struct __kptr *task;
};

struct wd_tnode {
	struct task_struct __kptr *task;
	struct bpf_list_node node;
};

private(WD) struct bpf_list_head wd_tlist __contains(wd_tnode, node);

struct kptr_elem {
	struct task_struct __kptr *task;
	struct wd_kobj __kptr *obj;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, int);
	__type(value, struct kptr_elem);
} kptr_map SEC(".maps");

int held_after_transfer = -1;

static bool wd_less(struct bpf_rb_node *a, const struct bpf_rb_node *b)
{
	struct wd_rnode *na = container_of(a, struct wd_rnode, node);
	struct wd_rnode *nb = container_of(b, struct wd_rnode, node);

	return na->data < nb->data;
}

SEC("syscall")
int kill_after_giving_away(void *ctx)
{
	struct task_struct *t, *old;
	struct kptr_elem *e;
	struct wd_lnode *l;
	struct wd_rnode *r;
	int key = 0;

	e = bpf_map_lookup_elem(&kptr_map, &key);
	if (!e)
		return 2;
	l = bpf_obj_new(typeof(*l));
	if (!l)
		return 2;
	r = bpf_obj_new(typeof(*r));
	if (!r) {
		bpf_obj_drop(l);
		return 2;
	}
	t = bpf_task_from_pid(pid);
	if (!t) {
		bpf_obj_drop(l);
		bpf_obj_drop(r);
		return 2;
	}
	l->data = 42;
	r->data = 43;
	bpf_spin_lock(&wd_lock);
	bpf_list_push_back(&wd_list, &l->node);
	bpf_rbtree_add(&wd_tree, &r->node, wd_less);
	bpf_spin_unlock(&wd_lock);
	old = bpf_kptr_xchg(&e->task, t);
	if (old)
		bpf_task_release(old);
	held_after_transfer = bpf_watchdog_held_count();
	runaway();
	finished = 1;
	return 1;
}

int held_after_taking_back = -1;

/*
 * A task reference taken back out of a map is the run's: the kill releases
 * it as the map would have (the field's destructor), so the task's
 * reference count is what it was before this program ran.
 */
SEC("syscall")
int kill_after_taking_back(void *ctx)
{
	struct task_struct *t, *old;
	struct kptr_elem *e;
	int key = 0;

	e = bpf_map_lookup_elem(&kptr_map, &key);
	if (!e)
		return 2;
	t = bpf_task_from_pid(pid);
	if (!t)
		return 2;
	old = bpf_kptr_xchg(&e->task, t);
	if (old)
		bpf_task_release(old);
	t = bpf_kptr_xchg(&e->task, NULL);
	if (!t)
		return 2;
	held_after_taking_back = bpf_watchdog_held_count();
	runaway();
	bpf_task_release(t);
	finished = 1;
	return 1;
}

int held_after_taking_back_obj = -1;

/*
 * The same with an allocated object taken back out of a map, which holds a
 * task reference: the kill drops the object as the map would have, and
 * with it the task reference.
 */
SEC("syscall")
int kill_after_taking_back_obj(void *ctx)
{
	struct task_struct *t;
	struct kptr_elem *e;
	struct wd_kobj *o;
	int key = 0;

	e = bpf_map_lookup_elem(&kptr_map, &key);
	if (!e)
		return 2;
	o = bpf_obj_new(typeof(*o));
	if (!o)
		return 2;
	t = bpf_task_from_pid(pid);
	if (!t) {
		bpf_obj_drop(o);
		return 2;
	}
	t = bpf_kptr_xchg(&o->task, t);
	if (t)
		bpf_task_release(t);
	o = bpf_kptr_xchg(&e->obj, o);
	if (o)
		bpf_obj_drop(o);
	o = bpf_kptr_xchg(&e->obj, NULL);
	if (!o)
		return 2;
	held_after_taking_back_obj = bpf_watchdog_held_count();
	runaway();
	bpf_obj_drop(o);
	finished = 1;
	return 1;
}

int held_after_popping = -1;

/*
 * An object popped from a list is the run's again: the kill drops it, and
 * with it the task reference it holds.
 */
SEC("syscall")
int kill_after_popping(void *ctx)
{
	struct bpf_list_node *ln;
	struct task_struct *t;
	struct wd_tnode *n;

	n = bpf_obj_new(typeof(*n));
	if (!n)
		return 2;
	t = bpf_task_from_pid(pid);
	if (!t) {
		bpf_obj_drop(n);
		return 2;
	}
	t = bpf_kptr_xchg(&n->task, t);
	if (t)
		bpf_task_release(t);
	bpf_spin_lock(&wd_lock);
	bpf_list_push_back(&wd_tlist, &n->node);
	ln = bpf_list_pop_front(&wd_tlist);
	bpf_spin_unlock(&wd_lock);
	if (!ln)
		return 2;
	held_after_popping = bpf_watchdog_held_count();
	runaway();
	bpf_obj_drop(container_of(ln, struct wd_tnode, node));
	finished = 1;
	return 1;
}

long list_data, tree_data;

SEC("syscall")
int probe_collections(void *ctx)
{
	struct bpf_list_node *ln;
	struct bpf_rb_node *rn;

	bpf_spin_lock(&wd_lock);
	ln = bpf_list_pop_front(&wd_list);
	rn = bpf_rbtree_first(&wd_tree);
	if (rn)
		rn = bpf_rbtree_remove(&wd_tree, rn);
	bpf_spin_unlock(&wd_lock);
	list_data = -1;
	tree_data = -1;
	if (ln) {
		struct wd_lnode *l = container_of(ln, struct wd_lnode, node);

		list_data = l->data;
		bpf_obj_drop(l);
	}
	if (rn) {
		struct wd_rnode *r = container_of(rn, struct wd_rnode, node);

		tree_data = r->data;
		bpf_obj_drop(r);
	}
	return 0;
}

/*
 * Runaway callbacks under helpers that drive them.  The callback cannot
 * be unwound (the helper holds RCU, the mmap_lock, the ring's busy bit):
 * its loops end, the helper makes no further call, and the run is killed
 * when the helper has returned.  @cb_calls says the helper stopped.
 */
int cb_calls;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 64);
	__type(key, int);
	__type(value, long);
} cb_map SEC(".maps");

static int map_cb(struct bpf_map *map, int *key, long *val, void *data)
{
	cb_calls++;
	runaway();
	return 0;
}

SEC("syscall")
int kill_in_map_elem_callback(void *ctx)
{
	cb_calls = 0;
	bpf_for_each_map_elem(&cb_map, map_cb, NULL, 0);
	finished = 1;
	return 1;
}

/* Set by user space: an address mapped in the test process. */
__u64 vma_addr;

static long vma_cb(struct task_struct *task, struct vm_area_struct *vma, void *data)
{
	cb_calls++;
	runaway();
	return 0;
}

SEC("syscall")
int kill_in_find_vma(void *ctx)
{
	cb_calls = 0;
	bpf_find_vma(bpf_get_current_task_btf(), vma_addr, vma_cb, NULL, 0);
	finished = 1;
	return 1;
}

struct {
	__uint(type, BPF_MAP_TYPE_USER_RINGBUF);
	__uint(max_entries, 4096);
} user_rb SEC(".maps");

static long user_rb_cb(struct bpf_dynptr *dynptr, void *data)
{
	cb_calls++;
	runaway();
	return 0;
}

SEC("syscall")
int kill_in_user_ringbuf_drain(void *ctx)
{
	cb_calls = 0;
	bpf_user_ringbuf_drain(&user_rb, user_rb_cb, NULL, 0);
	finished = 1;
	return 1;
}

static long count_sample(struct bpf_dynptr *dynptr, void *data)
{
	return 0;
}

long drained;

SEC("syscall")
int probe_user_ringbuf(void *ctx)
{
	drained = bpf_user_ringbuf_drain(&user_rb, count_sample, NULL, 0);
	return 0;
}

/*
 * A run waiting for a bpf_res_spin_lock gives up when the watchdog
 * cancels it, long before rqspinlock's own 250 ms timeout.  The holder
 * runs untracked (the watchdog off as it starts) and keeps the lock for
 * timed may_goto's 250 ms.
 */
int holding;
__u64 hold_iterations;
long wait_ret = 1;

SEC("syscall")
int hold_res_lock(void *ctx)
{
	struct res_elem *e;
	int key = 0;

	e = bpf_map_lookup_elem(&res_map, &key);
	if (!e || bpf_res_spin_lock(&e->lock))
		return 2;
	holding = 1;
	while (can_loop)
		hold_iterations++;
	holding = 0;
	bpf_res_spin_unlock(&e->lock);
	return 0;
}

SEC("syscall")
int lock_waiter(void *ctx)
{
	struct res_elem *e;
	int key = 0;

	e = bpf_map_lookup_elem(&res_map, &key);
	if (!e)
		return 2;
	wait_ret = bpf_res_spin_lock(&e->lock);
	if (!wait_ret) {
		bpf_res_spin_unlock(&e->lock);
		finished = 1;
		return 1;
	}
	runaway();
	finished = 1;
	return 1;
}

/* Probes, run before and after a kill. */

__u64 kills;
__u64 context;
int task_users;
int mm_users;
int lock_ret;

SEC("syscall")
int probe(void *ctx)
{
	struct task_struct *t = bpf_task_from_pid(pid);
	struct kptr_elem *ke;
	struct res_elem *e;
	int key = 0;

	/* The reference kill_after_giving_away left in the map goes first. */
	ke = bpf_map_lookup_elem(&kptr_map, &key);
	if (ke) {
		struct task_struct *old = bpf_kptr_xchg(&ke->task, NULL);

		if (old)
			bpf_task_release(old);
	}
	kills = bpf_watchdog_kills();
	context = bpf_watchdog_context();
	if (!t)
		return 1;
	/* Minus the probe's own reference. */
	task_users = t->rcu_users.refs.counter - 1;
	mm_users = t->mm ? t->mm->mm_users.counter : -1;
	bpf_task_release(t);

	/* The lock a killed run held must be free again. */
	e = bpf_map_lookup_elem(&res_map, &key);
	if (!e)
		return 1;
	lock_ret = bpf_res_spin_lock(&e->lock);
	if (!lock_ret)
		bpf_res_spin_unlock(&e->lock);
	return 0;
}

SEC("syscall")
int probe_spin_lock(void *ctx)
{
	struct spin_elem *e;
	int key = 0;

	e = bpf_map_lookup_elem(&spin_map, &key);
	if (!e)
		return 1;
	/* Deadlocks (the test never returns) if the kill left it locked. */
	bpf_spin_lock(&e->lock);
	e->value = 0;
	bpf_spin_unlock(&e->lock);
	return 0;
}

/*
 * Conntrack: a reference to an entry of the table (which insert_ct put
 * there) and a new entry, not inserted, whose reference count is still 0.
 * After the kill the table's entry has its references of before and the
 * new one is freed (nf_conntrack_count, checked by user space).
 */
/* Set by user space: the entry insert_ct makes and the kill looks up. */
struct bpf_sock_tuple ct_tuple;
/* probe_ct: references to the table's entry. */
int ct_users = -1;

static __always_inline struct nf_conn___init *ct_new(struct __sk_buff *skb, __be16 sport)
{
	struct bpf_ct_opts opts = { .netns_id = -1, .l4proto = IPPROTO_TCP };
	struct bpf_sock_tuple t = ct_tuple;

	t.ipv4.sport = sport;
	return bpf_skb_ct_alloc(skb, &t, sizeof(t.ipv4), &opts, sizeof(opts));
}

static __always_inline struct nf_conn *ct_find(struct __sk_buff *skb)
{
	struct bpf_ct_opts opts = { .netns_id = -1, .l4proto = IPPROTO_TCP };
	struct bpf_sock_tuple t = ct_tuple;

	return bpf_skb_ct_lookup(skb, &t, sizeof(t.ipv4), &opts, sizeof(opts));
}

SEC("tc")
int insert_ct(struct __sk_buff *skb)
{
	struct nf_conn___init *n;
	struct nf_conn *c;

	if (!bpf_ksym_exists(bpf_skb_ct_alloc))
		return 1;
	n = ct_new(skb, ct_tuple.ipv4.sport);
	if (!n)
		return 2;
	/* Long enough to outlive the test, which frees its netns. */
	bpf_ct_set_timeout(n, 600000);
	c = bpf_ct_insert_entry(n);
	if (!c)
		return 3;
	bpf_ct_release(c);
	return 0;
}

SEC("tc")
int probe_ct(struct __sk_buff *skb)
{
	struct nf_conn *c;

	ct_users = -1;
	if (!bpf_ksym_exists(bpf_skb_ct_lookup))
		return 1;
	c = ct_find(skb);
	if (!c)
		return 2;
	ct_users = c->ct_general.use.refs.counter;
	bpf_ct_release(c);
	return 0;
}

SEC("tc")
int kill_holding_ct(struct __sk_buff *skb)
{
	int ct_kind = bpf_watchdog_kind("ct"), new_kind = bpf_watchdog_kind("ct_new");
	struct nf_conn___init *n;
	struct nf_conn *c, *ins;

	if (!bpf_ksym_exists(bpf_skb_ct_lookup))
		return 1;
	c = ct_find(skb);
	if (!c)
		return 3;
	/* Another tuple: the same with the next source port. */
	n = ct_new(skb, bpf_htons(bpf_ntohs(ct_tuple.ipv4.sport) + 1));
	if (!n) {
		bpf_ct_release(c);
		return 4;
	}
	held_ok = bpf_watchdog_held_count() == 2 && held_at(0, new_kind, (__u64)n) &&
		  held_at(1, ct_kind, (__u64)c);
	runaway();
	ins = bpf_ct_insert_entry(n);
	if (ins)
		bpf_ct_release(ins);
	bpf_ct_release(c);
	finished = 1;
	return 1;
}

/*
 * An xfrm state reference: the state user space added ("ip xfrm state
 * add"), looked up by daddr and SPI.
 */
/* Set by user space. */
__u32 xfrm_daddr;
__u32 xfrm_spi;
/* probe_xfrm_state: references to the state. */
int xfrm_users = -1;

static __always_inline struct xfrm_state *xfrm_find(struct xdp_md *ctx)
{
	struct bpf_xfrm_state_opts opts = {
		.netns_id = -1,
		.spi = xfrm_spi,
		.proto = IPPROTO_ESP,
		.family = AF_INET,
	};

	opts.daddr.a4 = xfrm_daddr;
	return bpf_xdp_get_xfrm_state(ctx, &opts, sizeof(opts));
}

SEC("xdp")
int probe_xfrm_state(struct xdp_md *ctx)
{
	struct xfrm_state *x;

	xfrm_users = -1;
	if (!bpf_ksym_exists(bpf_xdp_get_xfrm_state))
		return 1;
	x = xfrm_find(ctx);
	if (!x)
		return 2;
	xfrm_users = x->refcnt.refs.counter;
	bpf_xdp_xfrm_state_release(x);
	return 0;
}

SEC("xdp")
int kill_holding_xfrm_state(struct xdp_md *ctx)
{
	int kind = bpf_watchdog_kind("xfrm_state");
	struct xfrm_state *x;

	if (!bpf_ksym_exists(bpf_xdp_get_xfrm_state))
		return 1;
	x = xfrm_find(ctx);
	if (!x)
		return 3;
	held_ok = bpf_watchdog_held_count() == 1 && held_at(0, kind, (__u64)x);
	runaway();
	bpf_xdp_xfrm_state_release(x);
	finished = 1;
	return 1;
}

/*
 * The wakeup sources' SRCU read lock.  Left held, the next removal of a
 * wakeup source (user space closes an EPOLLWAKEUP epoll) waits forever.
 */
SEC("syscall")
int kill_holding_wakeup_srcu(void *ctx)
{
	int kind = bpf_watchdog_kind("wakeup_srcu");
	struct bpf_ws_lock *lock;

	if (!bpf_ksym_exists(bpf_wakeup_sources_read_lock))
		return 1;
	lock = bpf_wakeup_sources_read_lock();
	held_ok = bpf_watchdog_held_count() == 1 && held_at(0, kind, (__u64)lock);
	runaway();
	bpf_wakeup_sources_read_unlock(lock);
	finished = 1;
	return 1;
}

/*
 * A HID-BPF context on the uhid device user space made: memory and a
 * reference to the device, whose count probe_hid_ctx reads.
 */
/* Set by user space. */
__u32 hid_id;
/* probe_hid_ctx: references to the HID device. */
int hid_users = -1;

SEC("syscall")
int probe_hid_ctx(void *ctx)
{
	struct hid_bpf_ctx *c;

	hid_users = -1;
	if (!bpf_ksym_exists(hid_bpf_allocate_context))
		return 1;
	c = hid_bpf_allocate_context(hid_id);
	if (!c)
		return 2;
	hid_users = c->hid->dev.kobj.kref.refcount.refs.counter;
	hid_bpf_release_context(c);
	return 0;
}

SEC("syscall")
int kill_holding_hid_ctx(void *ctx)
{
	int kind = bpf_watchdog_kind("hid_ctx");
	struct hid_bpf_ctx *c;

	if (!bpf_ksym_exists(hid_bpf_allocate_context))
		return 1;
	c = hid_bpf_allocate_context(hid_id);
	if (!c)
		return 3;
	held_ok = bpf_watchdog_held_count() == 1 && held_at(0, kind, (__u64)c);
	runaway();
	hid_bpf_release_context(c);
	finished = 1;
	return 1;
}

char _license[] SEC("license") = "GPL";
