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
#include <linux/jump_label.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/types.h>

struct bpf_prog;

/* The run cannot be killed: its record did not have room for everything. */
#define BPF_WD_RUN_UNKILLABLE	(1U << 0)

/**
 * struct bpf_wd_run - one run of a BPF program, as the watchdog sees it
 * @prev:	the run this one interrupted or was called from, if any
 * @prog:	the program; NULL when the watchdog was off as the run began
 * @nr_held:	record entries the run owns
 * @flags:	BPF_WD_RUN_*
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
 */
struct bpf_wd_run {
	struct bpf_wd_run	*prev;
	const struct bpf_prog	*prog;
	u32			nr_held;
	u32			flags;
};

#ifdef CONFIG_BPF_WATCHDOG

DECLARE_STATIC_KEY_TRUE(bpf_wd_tracking);

/* Rust core (kernel/bpf/watchdog.rs), called once at boot by the glue. */
int bpf_watchdog_init(unsigned int nr_cpus);

/* A run ended with record entries left: drop them (out of line, rare). */
void bpf_wd_run_leftover(struct bpf_wd_run *run);

/* The wrapper to call instead of a tracked kfunc or helper, or @addr. */
unsigned long bpf_wd_redirect(unsigned long addr);

/* Test introspection, backing the kfuncs in watchdog_glue.c. */
int bpf_wd_held_count(void);
int bpf_wd_held(u32 i, u64 *addr);
int bpf_wd_kind_id(const char *name);
u32 bpf_wd_run_flags(void);

/* Coverage: 0 if the kfunc at @addr called @name is accounted for. */
int bpf_wd_kfunc_covered(const char *name, unsigned long addr, u32 flags);
/* Glue: walk vmlinux's kfuncs with bpf_wd_kfunc_covered(). */
int bpf_wd_check_coverage(void);

/*
 * bpf_wd_run_enter - start tracking a run of @prog
 *
 * Cost when the watchdog is on: two loads and three stores, no atomic, no
 * clock.  The frame is complete before it is published (barrier()), so an
 * interrupt arriving between the two stores to current->bpf_wd_run finds
 * either the old chain or the complete new one; a program that runs in that
 * interrupt links above it and unlinks before returning.
 */
static __always_inline void bpf_wd_run_enter(struct bpf_wd_run *run,
					     const struct bpf_prog *prog)
{
	if (!static_branch_likely(&bpf_wd_tracking)) {
		run->prog = NULL;
		return;
	}
	run->prog = prog;
	run->nr_held = 0;
	run->flags = 0;
	run->prev = current->bpf_wd_run;
	barrier();
	current->bpf_wd_run = run;
}

static __always_inline void bpf_wd_run_exit(struct bpf_wd_run *run)
{
	if (!run->prog)
		return;
	current->bpf_wd_run = run->prev;
	if (unlikely(run->nr_held))
		bpf_wd_run_leftover(run);
}

#else /* !CONFIG_BPF_WATCHDOG */

static __always_inline void bpf_wd_run_enter(struct bpf_wd_run *run,
					     const struct bpf_prog *prog)
{
}

static __always_inline void bpf_wd_run_exit(struct bpf_wd_run *run)
{
}

static inline unsigned long bpf_wd_redirect(unsigned long addr)
{
	return addr;
}

#endif /* CONFIG_BPF_WATCHDOG */
#endif /* _LINUX_BPF_WATCHDOG_H */
