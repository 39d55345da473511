/* SPDX-License-Identifier: GPL-2.0 */
/*
 * BPF watchdog: runtime protection against BPF programs that pass the
 * verifier but run for far too long.  See Documentation/bpf/watchdog.rst.
 *
 * The watchdog's logic lives in Rust (kernel/bpf/watchdog.rs and
 * kernel/bpf/watchdog/).  This header is the C side's view of it: the run
 * frame the entry paths push, the calls C makes into the Rust core, and the
 * C glue the Rust core calls back (kernel/bpf/watchdog_glue.c).
 */
#ifndef _LINUX_BPF_WATCHDOG_H
#define _LINUX_BPF_WATCHDOG_H

#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/jump_label.h>
#include <linux/jump_label_ratelimit.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/types.h>

struct bpf_prog;
struct bpf_prog_aux;
struct btf;
struct btf_field;
struct btf_struct_meta;

/* The run cannot be killed: its record did not have room for everything. */
#define BPF_WD_RUN_UNKILLABLE	(1U << 0)
/* The run overran its budget; its next cancellation point stops it. */
#define BPF_WD_RUN_CANCELLED	(1U << 1)
/* The overrun was reported (report mode, or a kill that could not unwind). */
#define BPF_WD_RUN_REPORTED	(1U << 2)
/* The run's budget is its program's own (BPF_WD_BUDGET_PROG). */
#define BPF_WD_RUN_PROG_BUDGET	(1U << 3)
/*
 * The run began while the watchdog was off, nested in a run that began
 * while it was on: the watchdog does not see it (no record, no checks), and
 * the frame is only there so that the outer run does not take this one's
 * acquires and cancellation points for its own.
 */
#define BPF_WD_RUN_UNTRACKED	(1U << 4)

/**
 * enum bpf_wd_class - the context class of a run, which picks its budget
 * @BPF_WD_CLASS_DEFAULT:	programs no other class names
 * @BPF_WD_CLASS_TRACING:	kprobe, tracepoint, raw_tp, perf_event,
 *				fentry/fexit/fmod_ret, tp_btf
 * @BPF_WD_CLASS_NET:		XDP, tc, socket, cgroup skb/sock/sockopt,
 *				flow dissector, sk_*, lwt, netfilter
 * @BPF_WD_CLASS_LSM:		LSM programs
 * @BPF_WD_CLASS_STRUCT_OPS:	struct_ops methods, sched_ext included
 * @BPF_WD_CLASS_SYSCALL:	syscall programs, iterators, and every program
 *				run by BPF_PROG_TEST_RUN
 * @BPF_WD_NR_CLASSES:		number of classes
 *
 * The values index the budget sysctls and are reported to user space (the
 * bpf_watchdog_abort tracepoint); they must not change.
 */
enum bpf_wd_class {
	BPF_WD_CLASS_DEFAULT,
	BPF_WD_CLASS_TRACING,
	BPF_WD_CLASS_NET,
	BPF_WD_CLASS_LSM,
	BPF_WD_CLASS_STRUCT_OPS,
	BPF_WD_CLASS_SYSCALL,
	BPF_WD_NR_CLASSES,
};

/**
 * struct bpf_wd_run - one run of a BPF program, as the watchdog sees it
 * @prev:	the run this one interrupted or was called from, if any
 * @prog:	the program; NULL when the watchdog was off as the run began
 * @nr_held:	record entries the run owns
 * @flags:	BPF_WD_RUN_*
 * @stamp:	when the watchdog first saw the run (ktime_get_mono_fast_ns()),
 *		0 until then
 * @budget_us:	the run's budget, fixed when it is stamped
 *
 * A run frame lives on the stack of whatever starts the run (the inline
 * __bpf_prog_run(), a trampoline's bpf_tramp_run_ctx, an async callback's
 * caller) and is linked from current->bpf_wd_run for exactly as long as the
 * program runs.  The chain is per task, not per CPU: a non-sleepable run is
 * only migrate-disabled, so another task can run BPF on the same CPU while
 * it is preempted, and each task must find its own runs.  Programs that fire
 * in interrupts or NMIs nest on the interrupted task's chain and unlink
 * before they return, so the chain stays a stack.
 *
 * Record entries are tagged with their run frame, which is how an abort
 * releases exactly that run's resources.
 *
 * Entering a run reads no clock and no budget: @stamp and @budget_us are
 * set by whichever sees the run first, the CPU's watchdog timer or a
 * cancellation point's periodic check, and the budget counts from there.
 */
struct bpf_wd_run {
	struct bpf_wd_run	*prev;
	const struct bpf_prog	*prog;
	u32			nr_held;
	u32			flags;
	u64			stamp;
	u32			budget_us;
};

/**
 * struct bpf_wd_prog - the watchdog's per-program state (in bpf_prog_aux)
 * @frame:		its runs get a run frame: set at load for a program that
 *			can reach a cancellation point or a tracked call (the
 *			verifier knows), and when an freplace program extends it
 * @watched:		the verifier gave it a frame, and it holds a reference
 *			on bpf_wd_framed_progs (bpf_wd_prog_watch())
 * @kills:		runs killed since load or the last re-arm (quarantine)
 * @quarantined:	set after too many kills: runs return the abort value
 *			at once, without running
 * @budget_us:		the budget its loader asked for (BPF_PROG_LOAD's
 *			watchdog_budget_us), 0 for its class's
 * @killed:		runs killed since load (bpf_prog_info)
 * @overruns:		overruns reported and not killed (bpf_prog_info)
 * @max_run_ns:		the longest run the watchdog saw (bpf_prog_info)
 * @report_window:	start of the current report window (ns)
 * @reports:		reports made in the current window
 * @suppressed:		reports suppressed since the last one made
 */
struct bpf_wd_prog {
	u32		frame;
	u32		watched;
	atomic_t	kills;
	u32		quarantined;
	u32		budget_us;
	u32		reports;
	atomic64_t	killed;
	atomic64_t	overruns;
	atomic64_t	max_run_ns;
	u64		report_window;
	u32		suppressed;
};

/**
 * struct bpf_wd_report - what the watchdog did about one overrun
 * @prog:	the program
 * @ran_ns:	how long the run had run when it was stopped or reported
 * @budget_ns:	the budget it overran
 * @ip:		where it was (its innermost BPF frame), or 0
 * @class:	its context class (enum bpf_wd_class)
 * @budget_src:	where the budget came from (BPF_WD_BUDGET_*)
 * @released:	how many held resources were released
 * @suppressed:	reports of this program suppressed before this one
 * @killed:	killed, or only reported
 * @quiet:	over the rate limit: the tracepoint only, no stream or log
 * @held:	the kinds released, newest first, space-separated
 *
 * Built by the Rust core and handed to the glue, which turns it into the
 * kernel log line, the program's stderr stream text and the
 * bpf_watchdog_abort tracepoint.
 */
struct bpf_wd_report {
	const struct bpf_prog	*prog;
	u64			ran_ns;
	u64			budget_ns;
	u64			ip;
	u32			class;
	u32			budget_src;
	u32			released;
	u32			suppressed;
	bool			killed;
	bool			quiet;
	char			held[96];
};

/**
 * struct bpf_wd_prog_stats - a program's watchdog figures, for user space
 * @killed:	runs killed since load
 * @overruns:	overruns reported and not killed
 * @max_run_ns:	the longest run the watchdog saw; it sees a run at the
 *		latest a timer period (a quarter budget) after it started,
 *		so runs shorter than that may not count
 * @budget_us:	the budget its loader gave it, 0 for its class's
 * @quarantined: whether its runs are quarantined
 */
struct bpf_wd_prog_stats {
	u64	killed;
	u64	overruns;
	u64	max_run_ns;
	u32	budget_us;
	u32	quarantined;
};

/* Where a run's budget came from. */
#define BPF_WD_BUDGET_CLASS	0	/* its class's sysctl */
#define BPF_WD_BUDGET_PROG	1	/* its loader's, capped by the ceiling */
#define BPF_WD_BUDGET_LOCK	2	/* lock_budget_us: it holds a lock */

#ifdef CONFIG_BPF_WATCHDOG

DECLARE_STATIC_KEY_TRUE(bpf_wd_tracking);

/*
 * On while a program the verifier gave a frame is loaded: until then, the
 * test wherever a program runs (bpf_wd_prog_framed()) is a jump label's
 * no-op.  A program an freplace program extends gets a frame when the
 * extension attaches, and needs one only if the extension has something
 * to watch, in which case the extension holds a reference of its own.
 */
extern struct static_key_false_deferred bpf_wd_framed_progs;
void bpf_wd_prog_watch(struct bpf_prog *prog);
void bpf_wd_prog_unwatch(struct bpf_prog_aux *aux);
void bpf_wd_prog_extend(struct bpf_prog *prog);

/* What a run of @prog returns when it is killed or quarantined. */
u64 bpf_wd_abort_value(const struct bpf_prog *prog);

/* Rust core (kernel/bpf/watchdog.rs), called once at boot by the glue. */
int bpf_watchdog_init(unsigned int nr_cpus);

/* A run ended with record entries left: drop them (out of line, rare). */
void bpf_wd_run_leftover(struct bpf_wd_run *run);

/* The wrapper to call instead of a tracked kfunc or helper, or @addr. */
unsigned long bpf_wd_redirect(unsigned long addr);

/*
 * What a call to @addr is to the watchdog (bpf_wd_call_flags()), for the
 * verifier, which records only what a run can hold at a cancellation point
 * (see bpf_wd_held_at_point() in verifier.c).  BPF_WD_CALL_POINT: its
 * wrapper is a cancellation point.  BPF_WD_CALL_ACQUIRE, _RELEASE: its
 * wrapper records an acquire, drops an entry.  BPF_WD_HELD_*: what it
 * acquires or releases, as the verifier tracks it: a reference (per call
 * site), or a lock-like state (per program).  A call with neither an
 * acquire/release bit nor a BPF_WD_HELD_* bit always keeps its wrapper.
 */
#define BPF_WD_CALL_POINT	(1U << 0)
#define BPF_WD_CALL_ACQUIRE	(1U << 1)
#define BPF_WD_CALL_RELEASE	(1U << 2)
#define BPF_WD_HELD_REF		(1U << 8)
#define BPF_WD_HELD_SPIN_LOCK	(1U << 9)
#define BPF_WD_HELD_RES_LOCK	(1U << 10)
#define BPF_WD_HELD_IRQ		(1U << 11)
#define BPF_WD_HELD_RCU		(1U << 12)
#define BPF_WD_HELD_PREEMPT	(1U << 13)
#define BPF_WD_HELD_MASK	(0x3fU << 8)
u32 bpf_wd_call_flags(unsigned long addr);
/* The function a tracked call's wrapper wraps, or @addr. */
unsigned long bpf_wd_unwrap(unsigned long addr);

/*
 * Cancellation points.  bpf_wd_countdown is a per-CPU down-counter: every
 * cancellation point decrements it, and when it reaches zero (or the timer
 * zeroes it to cancel a run) the point takes the slow path, which checks the
 * clock and the current run's budget and kills the run if it overran.
 *
 * The verifier's inlined bpf_iter_num loops count on it without a cost per
 * iteration: bpf_iter_num_new() takes a range of at most
 * BPF_WD_ITER_NUM_CHUNK iterations off the countdown at once, and calls
 * bpf_wd_iter_num_new() when that runs out or to cut a longer range into
 * chunks (the state's end becomes the next multiple of the chunk; the real
 * end goes into the run's record).  bpf_iter_num_next() calls
 * bpf_wd_iter_num_next() at an end that is a multiple of the chunk, which
 * counts the chunk and moves the end on; bpf_iter_num_destroy() calls
 * bpf_wd_iter_num_destroy() for a loop left at a chunk's end.
 */
#define BPF_WD_ITER_NUM_CHUNK	128
extern int __percpu *bpf_wd_countdown;
void bpf_wd_iter_num_new(void *it);
int *bpf_wd_iter_num_next(void *it);
void bpf_wd_iter_num_destroy(void *it);
/* Timed may_goto's check: true if the loop must end. */
bool bpf_wd_may_goto(void);

/*
 * The call the verifier emits after an inlined bpf_kptr_xchg(): @given is
 * the map's now, @taken (returned, the program's R0) is the run's, and a
 * kill releases it as its kptr field @field (NULL: unknown) says, with
 * bpf_wd_kptr_drop().
 */
void *bpf_wd_kptr_xchg_moved(void *given, void *taken, const struct btf_field *field);
void bpf_wd_kptr_drop(void *p, const struct btf_field *field);
/*
 * The call the verifier emits after a kfunc that takes a node out of a
 * list or an rbtree: the object @node lives in (@off bytes into it, with
 * struct meta @meta; NULL: unknown) is the run's again.  Returns @node.
 */
void *bpf_wd_graph_node_taken(void *node, struct btf_struct_meta *meta, u64 off);
/*
 * Module kfuncs have no wrappers.  The verifier follows a module kfunc
 * that acquires with a call to bpf_wd_module_ref_taken(): @p (returned,
 * the program's R0) is the run's, released with @dtor, the destructor its
 * type registered for map kptrs (NULL: none, the run cannot be killed).
 * It follows a module kfunc that releases with bpf_wd_module_ref_given():
 * @p, the argument it released, is no longer the run's; returns @ret, the
 * kfunc's R0.  bpf_wd_module_ref_drop() calls @dtor on @p.
 */
void *bpf_wd_module_ref_taken(void *p, void *dtor);
u64 bpf_wd_module_ref_given(void *p, u64 ret);
void bpf_wd_module_ref_drop(void *p, void *dtor);
/*
 * A struct_ops method owns its "__ref" arguments (a bpf_qdisc enqueue's
 * skb) from its first instruction: the verifier's prologue records each
 * with bpf_wd_arg_ref_taken() and the destructor of its type, which
 * bpf_wd_dtor_of() finds.
 */
void bpf_wd_arg_ref_taken(void *p, void *dtor);
void *bpf_wd_dtor_of(const struct btf *btf, u32 btf_id);

/*
 * rqspinlock's timeout check, every 64K spins of a wait (the clock read is
 * rqspinlock's): a run the watchdog cancelled stops waiting for a lock, and
 * the lock call fails with -ETIMEDOUT.
 */
bool bpf_wd_lock_wait(u64 now);

static __always_inline bool bpf_wd_lock_wait_cancelled(u64 now)
{
	return static_branch_likely(&bpf_wd_tracking) &&
	       READ_ONCE(current->bpf_wd_run) && bpf_wd_lock_wait(now);
}

/* Glue: start this CPU's watchdog timer from an irq_work (any context). */
void bpf_wd_arm_timer(void);
/* Rust core: the irq_work's work, in hard-irq context. */
void bpf_wd_timer_start(void);

/**
 * struct bpf_wd_settings - the watchdog's tunables
 * @mode:		0 off, 1 report, 2 enforce
 * @budget_us:		budget per context class, in microseconds; 0 for a
 *			class other than the default means the default's
 * @lock_budget_us:	budget of a run while it holds a lock-like resource;
 *			0: no separate lock budget
 * @prog_budget_max_us:	ceiling of the budgets loaders set per program; 0:
 *			loaders' budgets are ignored
 * @quarantine_after:	kills that quarantine a program; 0: never
 *
 * The sysctls of /proc/sys/kernel/bpf_watchdog/ (watchdog_glue.c), which
 * range-check every write; the Rust core reads them with READ_ONCE()
 * semantics, when it first sees a run.
 */
struct bpf_wd_settings {
	unsigned int	mode;
	unsigned int	budget_us[BPF_WD_NR_CLASSES];
	unsigned int	lock_budget_us;
	unsigned int	prog_budget_max_us;
	unsigned int	quarantine_after;
};

extern struct bpf_wd_settings bpf_wd_settings;
#define BPF_WD_QUARANTINE_MAX	1000000

/* Rust core: whether @mode is a valid mode, @us a valid budget. */
bool bpf_wd_mode_valid(unsigned int mode);
bool bpf_wd_budget_valid(unsigned int us);

/* Glue: BPF_PROG_LOAD's watchdog_budget_us; -EINVAL if out of range. */
int bpf_wd_prog_set_budget(struct bpf_prog *prog, u32 budget_us);
/* Glue: what bpf_prog_info and the program's fdinfo show. */
void bpf_wd_prog_stats(const struct bpf_prog *prog, struct bpf_wd_prog_stats *st);

/*
 * BPF_PROG_TEST_RUN marks the program it runs on the calling task: its runs
 * get the syscall class's budget, and a kill of one clears the mark, which
 * is how the syscall learns that it must return -ETIMEDOUT.
 */
static inline const struct bpf_prog *
bpf_wd_test_run_begin(const struct bpf_prog *prog)
{
	const struct bpf_prog *prev = current->bpf_wd_test;

	WRITE_ONCE(current->bpf_wd_test, prog);
	return prev;
}

/* Ends a test run begun with bpf_wd_test_run_begin(); true if it was killed. */
static inline bool bpf_wd_test_run_end(const struct bpf_prog *prog,
				       const struct bpf_prog *prev)
{
	bool killed = READ_ONCE(current->bpf_wd_test) != prog;

	WRITE_ONCE(current->bpf_wd_test, prev);
	return killed;
}

/*
 * Glue: unwinding a killed run with the BPF exceptions machinery.  The walk
 * finds the main frame of the program that called the cancellation point;
 * it fails if the call came from a callback below a C frame (bpf_loop(),
 * bpf_for_each_map_elem(), ...), which must not be unwound through.
 */
struct bpf_wd_unwind {
	struct bpf_prog_aux	*aux;
	u64			sp;
	u64			bp;
	u64			ip;	/* where the program was: innermost BPF frame */
	int			bpf_frames;
	bool			below_c_frame;
};

bool bpf_wd_unwind_prepare(struct bpf_wd_unwind *uw);
void bpf_wd_unwind(const struct bpf_wd_unwind *uw, u64 retval);
void bpf_wd_report_quarantine(const struct bpf_prog *prog, u32 kills);
u64 bpf_wd_notify_owner(const struct bpf_prog *prog, u64 ran_ns, u64 budget_ns, u64 ret,
			u32 args_released);
void bpf_wd_report(const struct bpf_wd_report *r);
void bpf_wd_trace_release(const struct bpf_prog *prog, const char *kind,
			  unsigned long addr);

/* Test introspection, backing the kfuncs in watchdog_glue.c. */
int bpf_wd_held_count(void);
int bpf_wd_held(u32 i, u64 *addr);
int bpf_wd_kind_id(const char *name);
u32 bpf_wd_run_flags(void);
u64 bpf_wd_kills(void);

/* Coverage: 0 if the kfunc at @addr called @name is accounted for. */
int bpf_wd_kfunc_covered(const char *name, unsigned long addr, u32 flags);
/* Glue: walk vmlinux's kfuncs with bpf_wd_kfunc_covered(). */
int bpf_wd_check_coverage(void);

/*
 * bpf_wd_run_enter - start tracking a run of @prog
 *
 * Returns false if @prog is quarantined: the run must not start, and gets
 * no frame.  A macro around __bpf_wd_run_enter(): this header comes before
 * struct bpf_prog is defined.
 *
 * Most programs get no frame at all, at the cost of one load and a test:
 * a program that can reach no cancellation point and makes no tracked call
 * (no loop the verifier cannot bound, no kfunc, no helper the watchdog
 * wraps, no tail call) can neither be killed nor hold anything the record
 * would keep, so there is nothing to watch (bpf_wd_prog.frame, set by the
 * verifier).  Every trigger benchmark's program is one.
 *
 * Cost for the others when the watchdog is on: two loads and four stores,
 * no atomic, no clock.  The frame is complete before it is published
 * (barrier()), so an interrupt arriving between the two stores to
 * current->bpf_wd_run finds either the old chain or the complete new one; a
 * program that runs in that interrupt links above it and unlinks before
 * returning.
 *
 * When the watchdog is off the run is not tracked, at the cost of one load:
 * unless a run that began while it was on is still in flight on this task
 * (the mode changed under it, and this run interrupted it or was called
 * from it).  Then this run gets an untracked frame, or its acquires would
 * be recorded as the outer run's, and a kill of the outer run at one of
 * this run's cancellation points would release the outer run's resources
 * and unwind this one: the outer run would go on and release them again.
 */
#define bpf_wd_run_enter(run, prog)					\
	__bpf_wd_run_enter(run, prog, &(prog)->aux->wd)

static __always_inline bool __bpf_wd_run_enter(struct bpf_wd_run *run,
					       const struct bpf_prog *prog,
					       const struct bpf_wd_prog *wd)
{
	u32 flags = 0;

	run->prog = NULL;
	if (likely(!READ_ONCE(wd->frame)))
		return true;
	if (static_branch_likely(&bpf_wd_tracking)) {
		if (unlikely(READ_ONCE(wd->quarantined)))
			return false;
	} else {
		if (likely(!READ_ONCE(current->bpf_wd_run)))
			return true;
		flags = BPF_WD_RUN_UNTRACKED;
	}
	run->prog = prog;
	run->nr_held = 0;
	run->flags = flags;
	run->stamp = 0;
	run->prev = current->bpf_wd_run;
	barrier();
	current->bpf_wd_run = run;
	return true;
}

/*
 * Runs of @prog get a frame from now on: the verifier found something to
 * watch in it, or an freplace program is about to extend it (what that
 * acquires and where it can be cancelled are part of @prog's runs; see
 * bpf_wd_prog_extend(), which waits for the runs already in flight).
 * Never cleared.
 */
#define bpf_wd_prog_set_frame(prog) WRITE_ONCE((prog)->aux->wd.frame, 1)
/* Whether runs of @prog get a frame now. */
#define bpf_wd_prog_framed(prog)					\
	(static_branch_unlikely(&bpf_wd_framed_progs.key) &&		\
	 READ_ONCE((prog)->aux->wd.frame))

static __always_inline void bpf_wd_run_exit(struct bpf_wd_run *run)
{
	if (!run->prog)
		return;
	current->bpf_wd_run = run->prev;
	if (unlikely(run->nr_held))
		bpf_wd_run_leftover(run);
}

#else /* !CONFIG_BPF_WATCHDOG */

#define bpf_wd_run_enter(run, prog) ((void)(run), (void)(prog), true)
#define bpf_wd_prog_set_frame(prog) ((void)(prog))
#define bpf_wd_prog_framed(prog) ((void)(prog), 0)

static inline void bpf_wd_prog_watch(struct bpf_prog *prog)
{
}

static inline void bpf_wd_prog_unwatch(struct bpf_prog_aux *aux)
{
}

static inline void bpf_wd_prog_extend(struct bpf_prog *prog)
{
}

static __always_inline void bpf_wd_run_exit(struct bpf_wd_run *run)
{
}

static inline u64 bpf_wd_abort_value(const struct bpf_prog *prog)
{
	return 0;
}

static inline unsigned long bpf_wd_redirect(unsigned long addr)
{
	return addr;
}

static inline u32 bpf_wd_call_flags(unsigned long addr)
{
	return 0;
}

static inline unsigned long bpf_wd_unwrap(unsigned long addr)
{
	return addr;
}

#define bpf_wd_countdown ((int __percpu *)NULL)

static inline void bpf_wd_iter_num_new(void *it)
{
}

static inline int *bpf_wd_iter_num_next(void *it)
{
	return NULL;
}

static inline void bpf_wd_iter_num_destroy(void *it)
{
}

static inline bool bpf_wd_may_goto(void)
{
	return false;
}

static inline void *bpf_wd_kptr_xchg_moved(void *given, void *taken,
					   const struct btf_field *field)
{
	return taken;
}

static inline void *bpf_wd_graph_node_taken(void *node, struct btf_struct_meta *meta,
					    u64 off)
{
	return node;
}

static inline void *bpf_wd_module_ref_taken(void *p, void *dtor)
{
	return p;
}

static inline u64 bpf_wd_module_ref_given(void *p, u64 ret)
{
	return ret;
}

static inline void bpf_wd_arg_ref_taken(void *p, void *dtor)
{
}

static inline void *bpf_wd_dtor_of(const struct btf *btf, u32 btf_id)
{
	return NULL;
}

static inline bool bpf_wd_lock_wait_cancelled(u64 now)
{
	return false;
}

static inline const struct bpf_prog *
bpf_wd_test_run_begin(const struct bpf_prog *prog)
{
	return NULL;
}

static inline int bpf_wd_prog_set_budget(struct bpf_prog *prog, u32 budget_us)
{
	return budget_us ? -EOPNOTSUPP : 0;
}

static inline void bpf_wd_prog_stats(const struct bpf_prog *prog,
				     struct bpf_wd_prog_stats *st)
{
	memset(st, 0, sizeof(*st));
}

static inline bool bpf_wd_test_run_end(const struct bpf_prog *prog,
				       const struct bpf_prog *prev)
{
	return false;
}

#endif /* CONFIG_BPF_WATCHDOG */
#endif /* _LINUX_BPF_WATCHDOG_H */
