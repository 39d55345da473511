// SPDX-License-Identifier: GPL-2.0
/*
 * BPF watchdog selftests: programs that must run to completion untouched.
 * Programs the watchdog must stop are added with the watchdog itself.
 */
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include "bpf_misc.h"
#include "bpf_experimental.h"
#include "watchdog_common.h"

/* Nested open-coded iterators, the seed's shape, but bounded and short. */
SEC("syscall")
__success __retval(10000)
int watchdog_short_nested_iters(void *ctx)
{
	int i, j, n = 0;

	bpf_for(i, 0, 100) {
		bpf_for(j, 0, 100)
			n++;
	}
	return n;
}

static int count_cb(__u64 idx, void *data)
{
	(*(int *)data)++;
	return 0;
}

/* bpf_loop drives a callback; a short one must finish. */
SEC("syscall")
__success __retval(1000)
int watchdog_short_bpf_loop(void *ctx)
{
	int n = 0;

	bpf_loop(1000, count_cb, &n, 0);
	return n;
}

char _license[] SEC("license") = "GPL";

/*
 * The verifier's inline sequences, as the watchdog extends them.  An
 * inlined bpf_iter_num loop stays a cancellation point at no cost per
 * iteration: bpf_iter_num_new() takes a short range off this CPU's
 * countdown (or has the watchdog cut a long one into chunks),
 * bpf_iter_num_next() calls the watchdog only at an end that is a
 * multiple of the chunk (128), and bpf_iter_num_destroy() only for a loop
 * left at a chunk's end.
 */
SEC("raw_tp")
__arch_x86_64
__success
__xlated("*(u32 *)(r1 +4) = r3")
__xlated("if w0 > 0x80 goto pc+7")
__xlated("r2 = 0x{{[0-9a-f]+}}")
__xlated("r2 = &(void __percpu *)(r2)")
__xlated("r3 = *(u32 *)(r2 +0)")
__xlated("w3 -= w0")
__xlated("*(u32 *)(r2 +0) = r3")
__xlated("if w3 s> 0x0 goto pc+1")
__xlated("call {{.*}}")
__xlated("r0 = 0")
__xlated("...")
__xlated("r1 = r6")
__xlated("r0 = *(u32 *)(r1 +0)")
__xlated("w0 += 1")
__xlated("r2 = *(u32 *)(r1 +4)")
__xlated("if w0 s>= w2 goto pc+3")
__xlated("*(u32 *)(r1 +0) = r0")
__xlated("r0 = r1")
__xlated("goto pc+5")
__xlated("if w0 & 0x7f goto pc+2")
__xlated("call {{.*}}")
__xlated("goto pc+2")
__xlated("*(u64 *)(r1 +0) = 0")
__xlated("r0 = 0")
__xlated("if r0 != 0x0 goto pc-14")
__xlated("r1 = r6")
__xlated("r0 = *(u64 *)(r1 +0)")
__xlated("if r0 == 0x0 goto pc+3")
__xlated("r0 = *(u32 *)(r1 +4)")
__xlated("if w0 & 0x7f goto pc+1")
__xlated("call {{.*}}")
__xlated("r0 = 0")
__xlated("exit")
int __naked watchdog_iter_num_xlated(void)
{
	asm volatile (
		"r6 = r10;"
		"r6 += -8;"
		"r1 = r6;"
		"r2 = 0;"
		"r3 = 10;"
		"call %[bpf_iter_num_new];"
	"1:"
		"r1 = r6;"
		"call %[bpf_iter_num_next];"
		"if r0 != 0 goto 1b;"
		"r1 = r6;"
		"call %[bpf_iter_num_destroy];"
		"r0 = 0;"
		"exit;"
		:
		: __imm(bpf_iter_num_new),
		  __imm(bpf_iter_num_next),
		  __imm(bpf_iter_num_destroy)
		: __clobber_common, "r6"
	);
}

struct wd_obj {
	int value;
};

struct wd_kptr_elem {
	struct wd_obj __kptr *obj;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, int);
	__type(value, struct wd_kptr_elem);
} wd_kptr_map SEC(".maps");

/*
 * bpf_kptr_xchg() stays inline; a call after it tells the run's record
 * what moved (R1: into the map, R2: out of it, R3: the kptr field) and
 * returns the old value in R0.
 */
SEC("tc")
__arch_x86_64
__success
__xlated("r0 = r2")
__xlated("r0 = atomic64_xchg((u64 *)(r1 +0), r0)")
__xlated("r1 = r2")
__xlated("r2 = r0")
__xlated("r3 = 0x{{[0-9a-f]+}}")
__xlated("call {{.*}}")
int watchdog_kptr_xchg_xlated(void *ctx)
{
	struct wd_kptr_elem *e;
	struct wd_obj *o;
	int key = 0;

	e = bpf_map_lookup_elem(&wd_kptr_map, &key);
	if (!e)
		return 0;
	o = bpf_kptr_xchg(&e->obj, NULL);
	if (o)
		bpf_obj_drop(o);
	return 0;
}

struct wd_lnode {
	long data;
	struct bpf_list_node node;
};

private(P) struct bpf_spin_lock wd_plock;
private(P) struct bpf_list_head wd_plist __contains(wd_lnode, node);

/* Fills the list that watchdog_list_pop_xlated() pops from. */
SEC("tc")
__success
int watchdog_list_push(void *ctx)
{
	struct wd_lnode *l = bpf_obj_new(typeof(*l));

	if (!l)
		return 0;
	bpf_spin_lock(&wd_plock);
	bpf_list_push_front(&wd_plist, &l->node);
	bpf_spin_unlock(&wd_plock);
	return 0;
}

/*
 * A pop is followed by a call that records the object the node lives in
 * (R1: the node, R2: the object's struct meta, R3: the node's offset in it)
 * and returns the node in R0.
 */
SEC("tc")
__arch_x86_64
__success
__xlated("call kernel-function")
__xlated("r1 = r0")
__xlated("r2 = 0x{{[0-9a-f]+}}")
__xlated("r3 = 8")
__xlated("call {{.*}}")
int watchdog_list_pop_xlated(void *ctx)
{
	struct bpf_list_node *n;

	bpf_spin_lock(&wd_plock);
	n = bpf_list_pop_front(&wd_plist);
	bpf_spin_unlock(&wd_plock);
	if (n)
		bpf_obj_drop(container_of(n, struct wd_lnode, node));
	return 0;
}
