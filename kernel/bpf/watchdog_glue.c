// SPDX-License-Identifier: GPL-2.0
/*
 * BPF watchdog: the C glue around the Rust core (kernel/bpf/watchdog.rs).
 *
 * Only what Rust cannot do lives here: the initcall, the static key the
 * inline entry hooks test, and the kfuncs (a kfunc needs BTF, and Rust
 * compilation units have none).  Each kfunc is a one-line call into Rust.
 */
#include <linux/bpf.h>
#include <linux/bpf_watchdog.h>
#include <linux/btf.h>
#include <linux/btf_ids.h>
#include <linux/cpumask.h>
#include <linux/filter.h>
#include <linux/init.h>
#include <linux/irq_work.h>
#include <linux/kallsyms.h>
#include <linux/kasan.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/printk.h>
#include <linux/ratelimit.h>

#undef MODULE_PARAM_PREFIX
#define MODULE_PARAM_PREFIX "bpf_watchdog."

/* Runs are tracked unless this key is off: mode 0 turns it off. */
DEFINE_STATIC_KEY_TRUE(bpf_wd_tracking);

/*
 * 0 off, 1 report, 2 enforce (the Rust core's Mode).  Enforce by default:
 * a kernel built with the watchdog wants runaways stopped, and the default
 * budget is far above what a well-behaved program needs.
 */
unsigned int bpf_wd_mode = 2;

static DEFINE_MUTEX(bpf_wd_mode_lock);

static int bpf_wd_mode_set(const char *val, const struct kernel_param *kp)
{
	unsigned int mode;

	if (kstrtouint(val, 0, &mode) || !bpf_wd_mode_valid(mode))
		return -EINVAL;
	/*
	 * Runs already in flight keep what they started with: exit looks at
	 * the run frame, not at the key, and a run that entered untracked is
	 * never seen.
	 */
	mutex_lock(&bpf_wd_mode_lock);
	if (mode)
		static_branch_enable(&bpf_wd_tracking);
	else
		static_branch_disable(&bpf_wd_tracking);
	WRITE_ONCE(bpf_wd_mode, mode);
	mutex_unlock(&bpf_wd_mode_lock);
	return 0;
}

static const struct kernel_param_ops bpf_wd_mode_ops = {
	.set = bpf_wd_mode_set,
	.get = param_get_uint,
};
module_param_cb(mode, &bpf_wd_mode_ops, &bpf_wd_mode, 0644);
MODULE_PARM_DESC(mode, "0 off, 1 report overruns, 2 kill them (default)");

/* Set once by the Rust core at boot; see bpf_watchdog.h. */
int __percpu *bpf_wd_countdown;

/*
 * The run budget, in microseconds: bpf_watchdog.budget_us= on the command
 * line, /sys/module/bpf_watchdog/parameters/budget_us at run time.  The
 * per-context sysctls replace it; until then every run has this budget.
 * Runs that start after a write use the new value.
 */
unsigned int bpf_wd_budget_us = 250000;

static int bpf_wd_budget_set(const char *val, const struct kernel_param *kp)
{
	unsigned int us;

	/* Garbage, overflow and out of range alike: -EINVAL, value kept. */
	if (kstrtouint(val, 0, &us) || !bpf_wd_budget_valid(us))
		return -EINVAL;
	WRITE_ONCE(bpf_wd_budget_us, us);
	return 0;
}

static const struct kernel_param_ops bpf_wd_budget_ops = {
	.set = bpf_wd_budget_set,
	.get = param_get_uint,
};
module_param_cb(budget_us, &bpf_wd_budget_ops, &bpf_wd_budget_us, 0644);
MODULE_PARM_DESC(budget_us, "BPF run budget in microseconds (100..60000000)");

/*
 * A program killed this many times is quarantined (0: never).  A program
 * killed on every run burns its whole budget each time: the seed's
 * sched_switch program would eat most of every CPU.  16 kills is enough to
 * tell a program that always overruns from one that met a slow moment.
 */
unsigned int bpf_wd_quarantine_after = 16;

static int bpf_wd_quarantine_set(const char *val, const struct kernel_param *kp)
{
	unsigned int n;

	if (kstrtouint(val, 0, &n) || n > BPF_WD_QUARANTINE_MAX)
		return -EINVAL;
	WRITE_ONCE(bpf_wd_quarantine_after, n);
	return 0;
}

static const struct kernel_param_ops bpf_wd_quarantine_ops = {
	.set = bpf_wd_quarantine_set,
	.get = param_get_uint,
};
module_param_cb(quarantine_after, &bpf_wd_quarantine_ops,
		&bpf_wd_quarantine_after, 0644);
MODULE_PARM_DESC(quarantine_after, "Kills that quarantine a BPF program (0: never)");

/*
 * Writing a program id to /sys/module/bpf_watchdog/parameters/rearm lifts
 * that program's quarantine and clears its kill count.
 */
static int bpf_wd_rearm_set(const char *val, const struct kernel_param *kp)
{
	struct bpf_prog *prog;
	u32 id;

	if (kstrtou32(val, 0, &id))
		return -EINVAL;
	prog = bpf_prog_by_id(id);
	if (IS_ERR(prog))
		return PTR_ERR(prog);
	atomic_set(&prog->aux->wd.kills, 0);
	WRITE_ONCE(prog->aux->wd.quarantined, 0);
	bpf_prog_put(prog);
	return 0;
}

static const struct kernel_param_ops bpf_wd_rearm_ops = {
	.set = bpf_wd_rearm_set,
};
module_param_cb(rearm, &bpf_wd_rearm_ops, NULL, 0200);
MODULE_PARM_DESC(rearm, "Write a program id to lift its quarantine");

/*
 * The watchdog timer is started from an irq_work, never directly from a
 * cancellation point: a program can run with the hrtimer base lock held
 * (a tracepoint in hrtimer_start(), say), where hrtimer_start() would
 * deadlock, or in NMI, where it is not allowed.  The irq_work runs in
 * hard-irq context as soon as the CPU takes interrupts again, which is
 * also the first moment the timer could fire.
 */
static void bpf_wd_arm_fn(struct irq_work *work)
{
	bpf_wd_timer_start();
}

static DEFINE_PER_CPU(struct irq_work, bpf_wd_arm_work) =
	IRQ_WORK_INIT_HARD(bpf_wd_arm_fn);

/**
 * bpf_wd_arm_timer() - have this CPU's watchdog timer started
 *
 * Safe in any context, NMI included.
 */
void bpf_wd_arm_timer(void)
{
	irq_work_queue(this_cpu_ptr(&bpf_wd_arm_work));
}

/*
 * Like bpf_throw()'s walker, but it also notices a C frame between two BPF
 * frames: a callback called by a helper.  Unwinding would skip that
 * helper's own cleanup (RCU, migrate-disable, mmap_lock), so it is refused.
 */
static bool bpf_wd_walker(void *cookie, u64 ip, u64 sp, u64 bp)
{
	struct bpf_wd_unwind *uw = cookie;
	struct bpf_prog *prog;

	/* As in bpf_stack_walker(): RCU for the latch tree only. */
	rcu_read_lock();
	prog = bpf_prog_ksym_find(ip);
	rcu_read_unlock();
	if (!prog) {
		if (!uw->bpf_frames)
			return true;	/* the watchdog's own frames */
		uw->below_c_frame = true;
		return false;
	}
	if (!uw->bpf_frames++)
		uw->ip = ip;
	if (bpf_is_subprog(prog))
		return true;
	uw->aux = prog->aux;
	uw->sp = sp;
	uw->bp = bp;
	return false;
}

/**
 * bpf_wd_unwind_prepare() - find the frame a killed run unwinds to
 * @uw:	filled in with the main frame of the calling program
 *
 * Return: true if the run can be unwound from here: the caller was called
 * by JITed BPF code, only BPF frames lie between it and the program's main
 * frame, and that program was JITed with an exception boundary.
 */
bool bpf_wd_unwind_prepare(struct bpf_wd_unwind *uw)
{
	memset(uw, 0, sizeof(*uw));
	if (!bpf_jit_supports_exceptions())
		return false;
	arch_bpf_stack_walk(bpf_wd_walker, uw);
	return uw->aux && !uw->below_c_frame && uw->bp &&
	       uw->aux->exception_boundary && uw->aux->bpf_exception_cb;
}

/**
 * bpf_wd_unwind() - leave the program as bpf_throw() does
 * @uw:		from a successful bpf_wd_unwind_prepare() in the same call
 * @retval:	the value the program returns to its caller
 *
 * Everything the run held must already be released: the exception
 * callback restores the main frame's callee-saved registers and returns
 * from it, discarding the BPF frames and the watchdog's own.  It does not
 * return; like bpf_throw() this is not marked __noreturn, so that objtool
 * needs no list entry for it.
 */
void bpf_wd_unwind(const struct bpf_wd_unwind *uw, u64 retval)
{
	/* As in bpf_throw(): we do not return through the skipped frames. */
	kasan_unpoison_task_stack_below((void *)(long)(uw->sp ?: uw->bp));
	uw->aux->bpf_exception_cb(retval, uw->sp + uw->aux->stack_arg_sp_adjust,
				  uw->bp, 0, 0);
	WARN(1, "bpf_watchdog: the exception callback returned\n");
}

/**
 * bpf_wd_report_quarantine() - tell the log a program is quarantined
 * @prog:	the program
 * @kills:	how many kills it took
 */
void bpf_wd_report_quarantine(const struct bpf_prog *prog, u32 kills)
{
	printk_deferred(KERN_WARNING
			"bpf_watchdog: prog %u (%s) quarantined after %u kills: its runs now return at once; write its id to /sys/module/bpf_watchdog/parameters/rearm to lift it\n",
			prog->aux->id, prog->aux->name[0] ? prog->aux->name : "?",
			kills);
}

/**
 * bpf_wd_report_kill() - tell the log about an overrun
 * @prog:	the program that overran
 * @ran_ns:	how long it had run when it was stopped
 * @budget_ns:	its budget
 * @released:	how many held resources the watchdog released
 * @killed:	whether the run was killed or only reported
 * @ip:		where in the program it was (its innermost BPF frame), or 0
 *
 * printk_deferred(): the run may be inside the scheduler (sched_switch
 * programs run with the runqueue lock held).
 */
void bpf_wd_report_kill(const struct bpf_prog *prog, u64 ran_ns, u64 budget_ns,
			u32 released, bool killed, u64 ip)
{
	static DEFINE_RATELIMIT_STATE(rs, 5 * HZ, 10);

	if (!__ratelimit(&rs))
		return;
	printk_deferred(KERN_WARNING
			"bpf_watchdog: %s prog %u (%s) ran %llu us, budget %llu us, released %u resources, at %pS\n",
			killed ? "killed" : "overrun:", prog->aux->id,
			prog->aux->name[0] ? prog->aux->name : "?",
			div_u64(ran_ns, NSEC_PER_USEC),
			div_u64(budget_ns, NSEC_PER_USEC), released,
			(void *)(unsigned long)ip);
}

/**
 * bpf_wd_notify_owner() - tell a struct_ops owner that its method was killed
 * @prog:	the killed program
 * @ran_ns:	how long it had run
 * @budget_ns:	its budget
 *
 * A struct_ops method returns 0 when it is killed, which may not be a
 * value its subsystem can live with for long (a scheduler whose
 * select_cpu() keeps dying): the subsystem's watchdog_kill() hook decides.
 * Called in the killed run's context, which may be any context.
 */
void bpf_wd_notify_owner(const struct bpf_prog *prog, u64 ran_ns, u64 budget_ns)
{
	const struct bpf_struct_ops *st_ops;

	if (prog->type != BPF_PROG_TYPE_STRUCT_OPS)
		return;
	st_ops = prog->aux->st_ops;
	if (st_ops && st_ops->watchdog_kill)
		st_ops->watchdog_kill(prog, ran_ns, budget_ns);
}

__bpf_kfunc_start_defs();

/**
 * bpf_watchdog_held_count() - number of record entries the current run owns
 *
 * Return: the count, or -ENOENT outside a tracked run.
 */
__bpf_kfunc int bpf_watchdog_held_count(void)
{
	return bpf_wd_held_count();
}

/**
 * bpf_watchdog_held() - the current run's @i-th newest record entry
 * @i:		0 for the newest entry the run owns
 * @addr:	where to store the entry's address
 *
 * Return: the entry's kind (see bpf_watchdog_kind()), or -ENOENT.
 */
__bpf_kfunc int bpf_watchdog_held(u32 i, u64 *addr)
{
	return bpf_wd_held(i, addr);
}

/**
 * bpf_watchdog_kind() - the id of a resource kind, by name
 * @name__str:	the kind's name, e.g. "task" or "rcu_read_lock"
 *
 * Return: the kind's id (> 0), or -ENOENT for an unknown name.
 */
__bpf_kfunc int bpf_watchdog_kind(const char *name__str)
{
	return bpf_wd_kind_id(name__str);
}

/**
 * bpf_watchdog_run_flags() - the current run's BPF_WD_RUN_* flags
 *
 * Return: the flags; 0 outside a tracked run.
 */
__bpf_kfunc u32 bpf_watchdog_run_flags(void)
{
	return bpf_wd_run_flags();
}

/**
 * bpf_watchdog_kills() - runs the watchdog has killed since boot
 *
 * Return: the count.
 */
__bpf_kfunc u64 bpf_watchdog_kills(void)
{
	return bpf_wd_kills();
}

/**
 * bpf_watchdog_context() - the calling context's execution state
 *
 * What a killed run must leave as it found it: the preempt count (which
 * also counts softirq and hardirq nesting), whether IRQs are disabled, and
 * the RCU read-side nesting.  Tests compare it before and after a kill.
 *
 * Return: preempt_count() in bits 0-31, irqs_disabled() in bit 32, the RCU
 * read-side nesting depth in bits 40-63.
 */
__bpf_kfunc u64 bpf_watchdog_context(void)
{
	return (u64)preempt_count() | (u64)!!irqs_disabled() << 32 |
	       (u64)rcu_preempt_depth() << 40;
}

__bpf_kfunc_end_defs();

/*
 * Read-only views of the watchdog's record, for the selftests: what a run
 * holds is the core of the abort, and tests must be able to see it from
 * inside the run.  Safe everywhere a program runs, including under
 * bpf_spin_lock.
 */
BTF_KFUNCS_START(bpf_watchdog_kfunc_ids)
BTF_ID_FLAGS(func, bpf_watchdog_held_count, KF_SPINLOCK_SAFE)
BTF_ID_FLAGS(func, bpf_watchdog_held, KF_SPINLOCK_SAFE)
BTF_ID_FLAGS(func, bpf_watchdog_kind, KF_SPINLOCK_SAFE)
BTF_ID_FLAGS(func, bpf_watchdog_run_flags, KF_SPINLOCK_SAFE)
BTF_ID_FLAGS(func, bpf_watchdog_kills, KF_SPINLOCK_SAFE)
BTF_ID_FLAGS(func, bpf_watchdog_context, KF_SPINLOCK_SAFE)
BTF_KFUNCS_END(bpf_watchdog_kfunc_ids)

static const struct btf_kfunc_id_set bpf_watchdog_kfunc_set = {
	.owner = THIS_MODULE,
	.set = &bpf_watchdog_kfunc_ids,
};

#define BPF_WD_COVERED_KFUNC \
	(KF_ACQUIRE | KF_RELEASE | KF_ITER_NEW | KF_ITER_NEXT | KF_ITER_DESTROY)

static int bpf_wd_check_kfunc(u32 id, u32 flags, const char *name, void *data)
{
	if (!(flags & BPF_WD_COVERED_KFUNC))
		return 0;
	return bpf_wd_kfunc_covered(name, kallsyms_lookup_name(name), flags);
}

/**
 * bpf_wd_check_coverage() - count the kernel's untracked acquire/release kfuncs
 *
 * Walks every kfunc registered for vmlinux and asks the Rust core whether
 * each one that acquires or releases something (KF_ACQUIRE, KF_RELEASE,
 * KF_ITER_NEW, KF_ITER_DESTROY) or is a cancellation point (KF_ITER_NEXT)
 * is wrapped or deliberately exempt.  The
 * core prints every one that is neither.
 *
 * Return: the number of uncovered kfuncs, or a negative error.
 */
int bpf_wd_check_coverage(void)
{
	struct btf *btf = bpf_get_btf_vmlinux();

	if (IS_ERR_OR_NULL(btf))
		return btf ? PTR_ERR(btf) : -ENOENT;
	return btf_kfunc_for_each(btf, bpf_wd_check_kfunc, NULL);
}

static int __init bpf_watchdog_boot(void)
{
	int err;

	err = register_btf_kfunc_id_set(BPF_PROG_TYPE_UNSPEC,
					&bpf_watchdog_kfunc_set);
	if (err)
		return err;
	return bpf_watchdog_init(nr_cpu_ids);
}
late_initcall(bpf_watchdog_boot);
