/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the BPF watchdog selftests' programs share: the watchdog's test
 * kfuncs, the kfuncs whose calls the watchdog tracks, and a few helpers.
 * Include after vmlinux.h and bpf_helpers.h.
 */
#ifndef __WATCHDOG_COMMON_H
#define __WATCHDOG_COMMON_H

#ifndef BPF_F_CURRENT_NETNS
#define BPF_F_CURRENT_NETNS (-1L)
#endif

/* bpf_watchdog_run_flags(): the run's record overflowed. */
#define BPF_WD_RUN_UNKILLABLE	(1U << 0)
/* Entries per CPU (kernel/bpf/watchdog/record.rs). */
#define BPF_WD_NR_ENTRIES	63

/* A variable in a section of its own, shared by no other program. */
#define private(name) SEC(".bss." #name) __hidden __attribute__((aligned(8)))

/* The watchdog's kfuncs for tests (kernel/bpf/watchdog_glue.c). */
extern u64 bpf_watchdog_kills(void) __ksym;
extern u64 bpf_watchdog_context(void) __ksym;
extern int bpf_watchdog_held_count(void) __ksym;
extern int bpf_watchdog_held(__u32 i, __u64 *addr) __ksym;
extern int bpf_watchdog_kind(const char *name__str) __ksym;
extern __u32 bpf_watchdog_run_flags(void) __ksym;

/* Whether the i-th newest entry of this run is (@kind, @addr). */
static __always_inline bool held_at(__u32 i, int kind, __u64 addr)
{
	__u64 a = 0;

	return bpf_watchdog_held(i, &a) == kind && a == addr;
}

/* Tracked kfuncs. */
extern struct task_struct *bpf_task_acquire(struct task_struct *p) __ksym;
extern struct task_struct *bpf_task_from_pid(s32 pid) __ksym;
extern void bpf_task_release(struct task_struct *p) __ksym;
extern struct cgroup *bpf_cgroup_from_id(u64 cgid) __ksym;
extern void bpf_cgroup_release(struct cgroup *cgrp) __ksym;
extern struct mem_cgroup *bpf_get_mem_cgroup(struct cgroup_subsys_state *css) __ksym;
extern struct mem_cgroup *bpf_get_root_mem_cgroup(void) __ksym;
extern void bpf_put_mem_cgroup(struct mem_cgroup *memcg) __ksym;
extern struct bpf_cpumask *bpf_cpumask_create(void) __ksym;
extern void bpf_cpumask_release(struct bpf_cpumask *cpumask) __ksym;
extern struct file *bpf_get_task_exe_file(struct task_struct *task) __ksym;
extern void bpf_put_file(struct file *file) __ksym;
extern int bpf_dynptr_from_file(struct file *file, u32 flags,
				struct bpf_dynptr *ptr__uninit) __ksym;
extern int bpf_dynptr_file_discard(struct bpf_dynptr *dynptr) __ksym;
extern struct bpf_ksock *bpf_ksock_create(const struct bpf_ksock_create_opts *opts,
					  u32 opts__sz, int *err__uninit) __ksym;
extern struct bpf_ksock *bpf_ksock_acquire(struct bpf_ksock *ks) __ksym;
extern void bpf_ksock_release(struct bpf_ksock *ks) __ksym;
extern struct bpf_crypto_ctx *
bpf_crypto_ctx_create(const struct bpf_crypto_params *params, u32 params__sz,
		      int *err) __ksym;
extern struct bpf_crypto_ctx *bpf_crypto_ctx_acquire(struct bpf_crypto_ctx *ctx) __ksym;
extern void bpf_crypto_ctx_release(struct bpf_crypto_ctx *ctx) __ksym;

extern void bpf_rcu_read_lock(void) __ksym;
extern void bpf_rcu_read_unlock(void) __ksym;
extern void bpf_preempt_disable(void) __ksym;
extern void bpf_preempt_enable(void) __ksym;
extern void bpf_local_irq_save(unsigned long *flags) __ksym;
extern void bpf_local_irq_restore(unsigned long *flags) __ksym;
extern int bpf_res_spin_lock(struct bpf_res_spin_lock *lock) __ksym;
extern void bpf_res_spin_unlock(struct bpf_res_spin_lock *lock) __ksym;
extern int bpf_res_spin_lock_irqsave(struct bpf_res_spin_lock *lock,
				     unsigned long *flags) __ksym;
extern void bpf_res_spin_unlock_irqrestore(struct bpf_res_spin_lock *lock,
					   unsigned long *flags) __ksym;

extern int bpf_iter_task_vma_new(struct bpf_iter_task_vma *it,
				 struct task_struct *task, __u64 addr) __ksym;
extern struct vm_area_struct *bpf_iter_task_vma_next(struct bpf_iter_task_vma *it) __ksym;
extern void bpf_iter_task_vma_destroy(struct bpf_iter_task_vma *it) __ksym;
extern int bpf_iter_bits_new(struct bpf_iter_bits *it, const u64 *unsafe_ptr__ign,
			     u32 nr_words) __ksym;
extern int *bpf_iter_bits_next(struct bpf_iter_bits *it) __ksym;
extern void bpf_iter_bits_destroy(struct bpf_iter_bits *it) __ksym;

/*
 * Sixteen nested bpf_preempt_disable() calls, and as many enables: four
 * DISABLE16() are one entry more than the record holds.
 */
#define DISABLE4()			\
	do {				\
		bpf_preempt_disable();	\
		bpf_preempt_disable();	\
		bpf_preempt_disable();	\
		bpf_preempt_disable();	\
	} while (0)
#define ENABLE4()			\
	do {				\
		bpf_preempt_enable();	\
		bpf_preempt_enable();	\
		bpf_preempt_enable();	\
		bpf_preempt_enable();	\
	} while (0)
#define DISABLE16()			\
	do {				\
		DISABLE4();		\
		DISABLE4();		\
		DISABLE4();		\
		DISABLE4();		\
	} while (0)
#define ENABLE16()			\
	do {				\
		ENABLE4();		\
		ENABLE4();		\
		ENABLE4();		\
		ENABLE4();		\
	} while (0)

#endif /* __WATCHDOG_COMMON_H */
