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
#include <linux/capability.h>
#include <linux/cpumask.h>
#include <linux/export.h>
#include <linux/filter.h>
#include <linux/init.h>
#include <linux/irq_work.h>
#include <linux/kallsyms.h>
#include <linux/kasan.h>
#include <linux/mutex.h>
#include <linux/printk.h>
#include <linux/ratelimit.h>
#include <linux/rcupdate_trace.h>
#include <linux/sysctl.h>

#define CREATE_TRACE_POINTS
#include <trace/events/bpf_watchdog.h>

/* Runs are tracked unless this key is off: mode 0 turns it off. */
DEFINE_STATIC_KEY_TRUE(bpf_wd_tracking);

/*
 * Programs the verifier gave a frame; turned off a second after the last
 * is freed, so that loading and freeing one at a time does not patch every
 * program-running site each time.  Exported: modules inline
 * __bpf_prog_run() too.
 */
DEFINE_STATIC_KEY_DEFERRED_FALSE(bpf_wd_framed_progs, HZ);
EXPORT_SYMBOL_GPL(bpf_wd_framed_progs);

/**
 * bpf_wd_prog_watch - give a program's runs a frame
 * @prog:	the program, not yet visible to anyone
 *
 * Called from the verifier, which may sleep, for a program with something
 * to watch.  The reference on bpf_wd_framed_progs is dropped when the
 * program is freed, when none of its runs is left.
 */
void bpf_wd_prog_watch(struct bpf_prog *prog)
{
	if (prog->aux->wd.watched)
		return;
	prog->aux->wd.watched = 1;
	static_branch_deferred_inc(&bpf_wd_framed_progs);
	bpf_wd_prog_set_frame(prog);
}

/**
 * bpf_wd_prog_extend - give a program's runs a frame before it is extended
 * @prog:	the program an freplace program is about to extend
 *
 * An extension runs as part of its target's runs: what it acquires goes on
 * their record and its cancellation points cancel them, so they need a
 * frame.  A run of @prog that began without one would otherwise run the
 * extension with current->bpf_wd_run naming whatever run it interrupted,
 * or none: the extension's entries would go on that run's record, and a
 * kill of that run would release them from here.  So the frame is turned
 * on first, and the runs in flight, which began without one, are waited
 * for before the extension is linked: every run holds RCU, or RCU Tasks
 * Trace if @prog is sleepable, as freeing a program relies on.
 *
 * Not when called from inside an RCU Tasks Trace reader (a syscall program
 * linking an extension through bpf_sys_bpf()): that wait would never end.
 * Runs of a sleepable @prog that are in flight then may still meet the
 * extension frameless.
 *
 * Called without trampoline locks: RCU Tasks Trace readers may take them
 * (bpf_sys_bpf() again).
 */
void bpf_wd_prog_extend(struct bpf_prog *prog)
{
	static DEFINE_MUTEX(extend_mutex);

	might_sleep();
	if (READ_ONCE(current->trc_reader_nesting)) {
		/* Nor wait on the mutex for someone who waits for us. */
		if (!READ_ONCE(prog->aux->wd.frame)) {
			bpf_wd_prog_set_frame(prog);
			synchronize_rcu();
		}
		return;
	}
	/* Two extensions of one program: the second waits for the first. */
	guard(mutex)(&extend_mutex);
	if (READ_ONCE(prog->aux->wd.frame))
		return;
	bpf_wd_prog_set_frame(prog);
	if (prog->sleepable)
		synchronize_rcu_tasks_trace();
	synchronize_rcu();
}

/* When @aux's program is freed, with no run of it left. */
void bpf_wd_prog_unwatch(struct bpf_prog_aux *aux)
{
	if (aux->wd.watched)
		static_branch_slow_dec_deferred(&bpf_wd_framed_progs);
}

/* Set once by the Rust core at boot; see bpf_watchdog.h. */
int __percpu *bpf_wd_countdown;

/*
 * The defaults, and why (Documentation/bpf/watchdog.rst has the table).
 * Mode: enforce; a kernel built with the watchdog wants runaways stopped.
 * Budgets: far above what a well-behaved program needs, far below the
 * soft-lockup detector (20 s), RCU stall warnings (21 s) and sched_ext's
 * own watchdog (30 s), which all fire after the damage is done.
 */
struct bpf_wd_settings bpf_wd_settings = {
	.mode = 2,
	.budget_us = {
		/* Timed may_goto's and rqspinlock's 250 ms. */
		[BPF_WD_CLASS_DEFAULT]		= 250000,
		/* Hot paths, often with IRQs off (sched_switch): 100 ms. */
		[BPF_WD_CLASS_TRACING]		= 100000,
		/* Softirq packet processing: 100 ms. */
		[BPF_WD_CLASS_NET]		= 100000,
		/* A denied operation is an error, not a hang: 250 ms. */
		[BPF_WD_CLASS_LSM]		= 250000,
		/* Scheduler callbacks: 250 ms, far below sched_ext's 30 s. */
		[BPF_WD_CLASS_STRUCT_OPS]	= 250000,
		/* Process context, asked for by a syscall: 1 s. */
		[BPF_WD_CLASS_SYSCALL]		= 1000000,
	},
	/* Waiters spin on a BPF lock: 50 ms, a fifth of rqspinlock's timeout. */
	.lock_budget_us = 50000,
	/* A loader may ask for up to 1 s; more needs the sysctl raised. */
	.prog_budget_max_us = 1000000,
	/* 16 kills tell a program that always overruns from an unlucky one. */
	.quarantine_after = 16,
};

static DEFINE_MUTEX(bpf_wd_mode_lock);

/* What a sysctl of struct bpf_wd_settings accepts. */
enum bpf_wd_range {
	BPF_WD_RANGE_MODE,		/* a valid mode */
	BPF_WD_RANGE_BUDGET,		/* a valid budget */
	BPF_WD_RANGE_BUDGET_OR_0,	/* a valid budget, or 0 */
	BPF_WD_RANGE_QUARANTINE,	/* 0 .. BPF_WD_QUARANTINE_MAX */
};

static bool bpf_wd_in_range(enum bpf_wd_range range, unsigned int val)
{
	switch (range) {
	case BPF_WD_RANGE_MODE:
		return bpf_wd_mode_valid(val);
	case BPF_WD_RANGE_BUDGET:
		return bpf_wd_budget_valid(val);
	case BPF_WD_RANGE_BUDGET_OR_0:
		return !val || bpf_wd_budget_valid(val);
	case BPF_WD_RANGE_QUARANTINE:
		return val <= BPF_WD_QUARANTINE_MAX;
	}
	return false;
}

static void bpf_wd_set_mode(unsigned int mode)
{
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
	WRITE_ONCE(bpf_wd_settings.mode, mode);
	mutex_unlock(&bpf_wd_mode_lock);
}

/*
 * Every tunable: one unsigned int, parsed by proc_douintvec() (garbage,
 * negative, overflowing and empty input: -EINVAL), range-checked here
 * (-EINVAL), and stored only if both pass, so a refused write changes
 * nothing.  Writers need CAP_SYS_ADMIN, whatever the file mode says.
 */
static int bpf_wd_sysctl(const struct ctl_table *table, int write, void *buffer,
			 size_t *lenp, loff_t *ppos)
{
	unsigned int *data = table->data, val = READ_ONCE(*data);
	enum bpf_wd_range range = (unsigned long)table->extra1;
	struct ctl_table tmp = *table;
	size_t len = *lenp;
	int err;

	if (write && !capable(CAP_SYS_ADMIN))
		return -EPERM;
	tmp.data = &val;
	err = proc_douintvec(&tmp, write, buffer, lenp, ppos);
	if (err || !write)
		return err;
	/* Nothing, or more than one number ("1 2"): not a value. */
	if (!len || *lenp != len)
		return -EINVAL;
	if (!bpf_wd_in_range(range, val))
		return -EINVAL;
	if (data == &bpf_wd_settings.mode)
		bpf_wd_set_mode(val);
	else
		WRITE_ONCE(*data, val);
	return 0;
}

/*
 * Writing a program id to rearm lifts that program's quarantine and clears
 * its kill count.  Write-only; -ENOENT for an id no program has.
 */
static int bpf_wd_rearm(const struct ctl_table *table, int write, void *buffer,
			size_t *lenp, loff_t *ppos)
{
	struct ctl_table tmp = *table;
	size_t len = *lenp;
	struct bpf_prog *prog;
	unsigned int id = 0;
	int err;

	if (!write || !capable(CAP_SYS_ADMIN))
		return -EPERM;
	tmp.data = &id;
	err = proc_douintvec(&tmp, write, buffer, lenp, ppos);
	if (err)
		return err;
	if (!len || *lenp != len)
		return -EINVAL;
	prog = bpf_prog_by_id(id);
	if (IS_ERR(prog))
		return PTR_ERR(prog);
	atomic_set(&prog->aux->wd.kills, 0);
	WRITE_ONCE(prog->aux->wd.quarantined, 0);
	bpf_prog_put(prog);
	return 0;
}

#define BPF_WD_KNOB(_name, _field, _range) {				\
	.procname	= _name,					\
	.data		= &bpf_wd_settings._field,			\
	.maxlen		= sizeof(unsigned int),				\
	.mode		= 0644,						\
	.proc_handler	= bpf_wd_sysctl,				\
	.extra1		= (void *)BPF_WD_RANGE_##_range,		\
}

static const struct ctl_table bpf_wd_sysctls[] = {
	BPF_WD_KNOB("mode", mode, MODE),
	BPF_WD_KNOB("default_budget_us", budget_us[BPF_WD_CLASS_DEFAULT], BUDGET),
	BPF_WD_KNOB("tracing_budget_us", budget_us[BPF_WD_CLASS_TRACING], BUDGET_OR_0),
	BPF_WD_KNOB("net_budget_us", budget_us[BPF_WD_CLASS_NET], BUDGET_OR_0),
	BPF_WD_KNOB("lsm_budget_us", budget_us[BPF_WD_CLASS_LSM], BUDGET_OR_0),
	BPF_WD_KNOB("struct_ops_budget_us", budget_us[BPF_WD_CLASS_STRUCT_OPS],
		    BUDGET_OR_0),
	BPF_WD_KNOB("syscall_budget_us", budget_us[BPF_WD_CLASS_SYSCALL], BUDGET_OR_0),
	BPF_WD_KNOB("lock_budget_us", lock_budget_us, BUDGET_OR_0),
	BPF_WD_KNOB("prog_budget_max_us", prog_budget_max_us, BUDGET_OR_0),
	BPF_WD_KNOB("quarantine_after", quarantine_after, QUARANTINE),
	{
		.procname	= "rearm",
		.maxlen		= sizeof(unsigned int),
		.mode		= 0200,
		.proc_handler	= bpf_wd_rearm,
	},
};

/**
 * bpf_wd_prog_set_budget() - give a program the budget its loader asked for
 * @prog:	the program being loaded
 * @budget_us:	BPF_PROG_LOAD's watchdog_budget_us; 0 for its class's
 *
 * Any loader may ask, within the watchdog's range: the budget is capped by
 * prog_budget_max_us when the program runs, so that an unprivileged
 * loader cannot exceed what the administrator allows, and lowering the
 * ceiling also limits programs already loaded.
 *
 * Return: 0, or -EINVAL for a budget out of range.
 */
int bpf_wd_prog_set_budget(struct bpf_prog *prog, u32 budget_us)
{
	if (budget_us && !bpf_wd_budget_valid(budget_us))
		return -EINVAL;
	prog->aux->wd.budget_us = budget_us;
	return 0;
}

/**
 * bpf_wd_prog_stats() - a program's watchdog figures
 * @prog:	the program
 * @st:		filled in
 */
void bpf_wd_prog_stats(const struct bpf_prog *prog, struct bpf_wd_prog_stats *st)
{
	const struct bpf_wd_prog *wd = &prog->aux->wd;

	st->killed = atomic64_read(&wd->killed);
	st->overruns = atomic64_read(&wd->overruns);
	st->max_run_ns = atomic64_read(&wd->max_run_ns);
	st->budget_us = wd->budget_us;
	st->quarantined = READ_ONCE(wd->quarantined);
}

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
 * bpf_wd_prog_run() - run a program the watchdog watches
 * @prog:	the program; bpf_wd_prog_framed(@prog)
 * @ctx:	its context
 * @dfunc:	the dispatcher __bpf_prog_run() was given
 *
 * __bpf_prog_run() with a run frame around the program.  Out of line, so
 * that what is inlined wherever a program runs costs the programs without
 * a frame (most) one load and a test, not a frame on the caller's stack.
 * Exported because modules run programs through bpf_prog_run() and
 * bpf_prog_run_xdp(), as bpf_stats_enabled_key is.
 *
 * Return: what the program returned, or its abort value if it was
 * quarantined.
 */
u32 notrace bpf_wd_prog_run(const struct bpf_prog *prog, const void *ctx,
			    bpf_dispatcher_fn dfunc)
{
	struct bpf_wd_run wd_run;
	u32 ret;

	if (unlikely(!bpf_wd_run_enter(&wd_run, prog)))
		return bpf_wd_abort_value(prog);
	ret = ___bpf_prog_run(prog, ctx, dfunc);
	bpf_wd_run_exit(&wd_run);
	return ret;
}
EXPORT_SYMBOL(bpf_wd_prog_run);

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
 * bpf_wd_kptr_drop() - release what a killed run took out of a kptr field
 * @p:		the old value bpf_kptr_xchg() returned to the run
 * @field:	the kptr field it came from
 *
 * As bpf_obj_free_fields() releases what the field holds when its map value
 * is freed: the field's destructor for a kernel object, bpf_obj_drop() for
 * an object the program allocated.  @field lives as long as the map (or the
 * program's BTF), which the run's program holds.
 */
void bpf_wd_kptr_drop(void *p, const struct btf_field *field)
{
	struct btf_struct_meta *meta;

	if (btf_is_kernel(field->kptr.btf)) {
		field->kptr.dtor(p);
		return;
	}
	meta = btf_find_struct_meta(field->kptr.btf, field->kptr.btf_id);
	__bpf_obj_drop_impl(p, meta ? meta->record : NULL,
			    field->type == BPF_KPTR_PERCPU);
}

/**
 * bpf_wd_module_ref_drop() - release what a killed run got from a module kfunc
 * @p:		the object the kfunc returned
 * @dtor:	the destructor its type registered (register_btf_id_dtor_kfuncs())
 *
 * As a map releases a kptr of that type.  The run's program holds the
 * kfunc's module, and through it the module that owns the type.
 */
void bpf_wd_module_ref_drop(void *p, void *dtor)
{
	((btf_dtor_kfunc_t)dtor)(p);
}

/**
 * bpf_wd_report_quarantine() - tell the log a program is quarantined
 * @prog:	the program
 * @kills:	how many kills it took
 */
void bpf_wd_report_quarantine(const struct bpf_prog *prog, u32 kills)
{
	printk_deferred(KERN_WARNING
			"bpf_watchdog: prog %u (%s) quarantined after %u kills: its runs now return at once; write its id to /proc/sys/kernel/bpf_watchdog/rearm to lift it\n",
			prog->aux->id, prog->aux->name[0] ? prog->aux->name : "?",
			kills);
}

static const char *const bpf_wd_class_names[BPF_WD_NR_CLASSES] = {
	[BPF_WD_CLASS_DEFAULT]		= "default",
	[BPF_WD_CLASS_TRACING]		= "tracing",
	[BPF_WD_CLASS_NET]		= "net",
	[BPF_WD_CLASS_LSM]		= "lsm",
	[BPF_WD_CLASS_STRUCT_OPS]	= "struct_ops",
	[BPF_WD_CLASS_SYSCALL]		= "syscall",
};

static const char *const bpf_wd_budget_src_names[] = {
	[BPF_WD_BUDGET_CLASS]	= "",
	[BPF_WD_BUDGET_PROG]	= " (the program's own)",
	[BPF_WD_BUDGET_LOCK]	= " (lock_budget_us: it held a lock)",
};

static const char *bpf_wd_class_name(u32 class)
{
	return class < BPF_WD_NR_CLASSES ? bpf_wd_class_names[class] : "?";
}

/**
 * bpf_wd_report() - tell user space about an overrun
 * @r:	what happened, from the Rust core
 *
 * Three channels: the bpf_watchdog_abort tracepoint (every overrun), the
 * program's BPF stderr stream (bpftool prog tracelog stderr; with where the
 * program was, as a stack dump with source lines), and the kernel log.  The
 * Rust core rate limits the last two per program (@r->quiet: over the
 * limit) and says how many reports it suppressed; the log line is rate
 * limited once more across all programs.
 *
 * Called in the overrunning run's context, which may be any context:
 * printk_deferred() because the run may hold the runqueue lock (a
 * sched_switch program), and the stream code allocates with
 * kmalloc_nolock().
 */
void bpf_wd_report(const struct bpf_wd_report *r)
{
	static DEFINE_RATELIMIT_STATE(rs, 5 * HZ, 10);
	const struct bpf_prog *prog = r->prog;
	const char *name = prog->aux->name[0] ? prog->aux->name : "?";
	const char *what = r->killed ? "killed" : "overran, not killed (report mode)";
	const char *src = r->budget_src < ARRAY_SIZE(bpf_wd_budget_src_names) ?
			  bpf_wd_budget_src_names[r->budget_src] : "";
	u64 ran_us = div_u64(r->ran_ns, NSEC_PER_USEC);
	u64 budget_us = div_u64(r->budget_ns, NSEC_PER_USEC);
	struct bpf_stream_stage ss;

	trace_bpf_watchdog_abort(r);
	if (r->quiet)
		return;

	bpf_stream_stage(ss, (struct bpf_prog *)prog, BPF_STDERR, ({
		bpf_stream_printk(ss,
				  "ERROR: BPF watchdog: run %s after %llu us, %s budget %llu us%s\n",
				  what, ran_us, bpf_wd_class_name(r->class),
				  budget_us, src);
		bpf_stream_printk(ss, "Released %u held resources: %s\n",
				  r->released, r->released ? r->held : "none");
		if (r->suppressed)
			bpf_stream_printk(ss, "(%u earlier reports suppressed)\n",
					  r->suppressed);
		bpf_stream_dump_stack(ss);
	}));

	if (!__ratelimit(&rs))
		return;
	printk_deferred(KERN_WARNING
			"bpf_watchdog: prog %u (%s) %s: ran %llu us, %s budget %llu us%s, released %u resources, at %pS\n",
			prog->aux->id, name, what, ran_us,
			bpf_wd_class_name(r->class), budget_us, src,
			r->released, (void *)(unsigned long)r->ip);
}

/**
 * bpf_wd_trace_release() - a killed run's resource was released
 * @prog:	the program whose run was killed
 * @kind:	the resource's kind, e.g. "task" or "spin_lock"
 * @addr:	its address
 *
 * The address goes to the bpf_watchdog_release tracepoint only, which
 * only privileged users can read; the stream report names kinds only.
 */
void bpf_wd_trace_release(const struct bpf_prog *prog, const char *kind,
			  unsigned long addr)
{
	trace_bpf_watchdog_release(prog, kind, addr);
}

/**
 * bpf_wd_notify_owner() - tell a struct_ops owner that its method was killed
 * @prog:	the killed program
 * @ran_ns:	how long it had run
 * @budget_ns:	its budget
 * @ret:	what the killed run returns by default
 * @args_released: how many of the method's "__ref" arguments the kill
 *		released (the method had not handed them on)
 *
 * A killed struct_ops method returns 0 by default, which may not be a
 * value its subsystem can live with (a qdisc's enqueue that says it queued
 * a packet it did not) or not for long (a scheduler whose select_cpu()
 * keeps dying): the subsystem's watchdog_kill() hook decides, and says
 * what the method returns.  Called in the killed run's context, which may
 * be any context.
 *
 * Return: what the killed run returns.
 */
u64 bpf_wd_notify_owner(const struct bpf_prog *prog, u64 ran_ns, u64 budget_ns, u64 ret,
			u32 args_released)
{
	const struct bpf_struct_ops *st_ops;

	if (prog->type != BPF_PROG_TYPE_STRUCT_OPS)
		return ret;
	st_ops = prog->aux->st_ops;
	if (st_ops && st_ops->watchdog_kill)
		return st_ops->watchdog_kill(prog, ran_ns, budget_ns, args_released);
	return ret;
}

/**
 * bpf_wd_dtor_of() - the destructor a kill releases an object of a type with
 * @btf:	the BTF of the type
 * @btf_id:	the type
 *
 * The destructor the type registered for map kptrs
 * (register_btf_id_dtor_kfuncs()), found as btf_parse_kptr() finds it, by
 * name, so that a type gets its destructor whichever BTF registered it.
 * For the verifier's rewrites of module kfunc calls and its prologue of
 * struct_ops methods with "__ref" arguments.
 *
 * Return: the destructor, or NULL if the type has none.
 */
void *bpf_wd_dtor_of(const struct btf *btf, u32 btf_id)
{
	const struct btf_type *t = btf_type_by_id(btf, btf_id);
	struct btf *dtor_btf;
	void *dtor = NULL;
	s32 id;

	if (!t)
		return NULL;
	id = bpf_find_btf_id(btf_name_by_offset(btf, t->name_off), BTF_INFO_KIND(t->info),
			     &dtor_btf);
	if (id < 0)
		return NULL;
	id = btf_find_dtor_kfunc(dtor_btf, id);
	if (id >= 0) {
		t = btf_type_by_id(dtor_btf, id);
		dtor = (void *)kallsyms_lookup_name(btf_name_by_offset(dtor_btf, t->name_off));
	}
	btf_put(dtor_btf);
	return dtor;
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
	err = bpf_watchdog_init(nr_cpu_ids);
	if (err)
		return err;
	if (!register_sysctl("kernel/bpf_watchdog", bpf_wd_sysctls))
		return -ENOMEM;
	return 0;
}
late_initcall(bpf_watchdog_boot);
