// SPDX-License-Identifier: GPL-2.0
/*
 * BPF watchdog selftests: module kfuncs (bpf_testmod's).  They have no
 * watchdog wrappers: the verifier follows each call of one that acquires
 * or releases with a call that keeps the record exact, and a kill releases
 * what a module kfunc returned with the destructor of its type.
 */
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include "bpf_misc.h"
#include "bpf_experimental.h"
#include "../test_kmods/bpf_testmod_kfunc.h"
#include "watchdog_common.h"

int finished;
__u64 iterations;
int held_in_run = -1;
int refs = -1;

/*
 * What a module kfunc acquires is in the record (kind module_ref, at its
 * address, newest first); a module kfunc's release and vmlinux's release
 * of a module's object both take it off.  A non-zero return names the
 * check that failed.
 */
SEC("syscall")
int record_module_refs(void *ctx)
{
	int kind = bpf_watchdog_kind("module_ref");
	struct prog_test_ref_kfunc *p;
	struct bpf_testmod_ctx *c;
	unsigned long sp = 0;
	int err = 0, ret = 0;

	if (kind <= 0)
		return 1;
	p = bpf_kfunc_call_test_acquire(&sp);
	if (!p)
		return 2;
	if (bpf_watchdog_held_count() != 1 || !held_at(0, kind, (__u64)p))
		ret = 3;
	c = bpf_testmod_ctx_create(&err);
	if (!c) {
		bpf_kfunc_call_test_release(p);
		return 4;
	}
	if (!ret && (bpf_watchdog_held_count() != 2 || !held_at(0, kind, (__u64)c) ||
		     !held_at(1, kind, (__u64)p)))
		ret = 5;
	bpf_testmod_ctx_release(c);
	if (!ret && (bpf_watchdog_held_count() != 1 || !held_at(0, kind, (__u64)p)))
		ret = 6;
	bpf_kfunc_call_test_release(p);
	if (!ret && bpf_watchdog_held_count() != 0)
		ret = 7;
	return ret;
}

/*
 * Killed holding a reference a module kfunc returned: the kill releases
 * it with its type's destructor, and the object's count is back.
 */
SEC("syscall")
int kill_holding_module_ref(void *ctx)
{
	struct prog_test_ref_kfunc *p;
	unsigned long sp = 0;
	int i, j;

	p = bpf_kfunc_call_test_acquire(&sp);
	if (!p)
		return 2;
	held_in_run = bpf_watchdog_held_count();
	bpf_for(i, 0, 100000) {
		bpf_for(j, 0, 100000)
			iterations++;
	}
	bpf_kfunc_call_test_release(p);
	finished = 1;
	return 1;
}

/* The test object's reference count, less the probe's own reference. */
SEC("syscall")
int probe_module_ref(void *ctx)
{
	struct prog_test_ref_kfunc *p;
	unsigned long sp = 0;

	p = bpf_kfunc_call_test_acquire(&sp);
	if (!p)
		return 1;
	refs = p->cnt.refs.counter - 1;
	bpf_kfunc_call_test_release(p);
	return 0;
}

char _license[] SEC("license") = "GPL";
