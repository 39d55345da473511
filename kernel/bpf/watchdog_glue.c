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
#include <linux/init.h>
#include <linux/kallsyms.h>

/*
 * Runs are tracked unless this key is off.  The mode sysctl will drive it;
 * until then tracking is always on.
 */
DEFINE_STATIC_KEY_TRUE(bpf_wd_tracking);

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
BTF_KFUNCS_END(bpf_watchdog_kfunc_ids)

static const struct btf_kfunc_id_set bpf_watchdog_kfunc_set = {
	.owner = THIS_MODULE,
	.set = &bpf_watchdog_kfunc_ids,
};

#define BPF_WD_HOLDING_KFUNC (KF_ACQUIRE | KF_RELEASE | KF_ITER_NEW | KF_ITER_DESTROY)

static int bpf_wd_check_kfunc(u32 id, u32 flags, const char *name, void *data)
{
	if (!(flags & BPF_WD_HOLDING_KFUNC))
		return 0;
	return bpf_wd_kfunc_covered(name, kallsyms_lookup_name(name), flags);
}

/**
 * bpf_wd_check_coverage() - count the kernel's untracked acquire/release kfuncs
 *
 * Walks every kfunc registered for vmlinux and asks the Rust core whether
 * each one that acquires or releases something (KF_ACQUIRE, KF_RELEASE,
 * KF_ITER_NEW, KF_ITER_DESTROY) is wrapped or deliberately exempt.  The
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
