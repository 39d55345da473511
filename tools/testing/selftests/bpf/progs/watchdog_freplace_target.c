// SPDX-License-Identifier: GPL-2.0
/*
 * BPF watchdog selftests: the program an freplace program extends
 * (watchdog_freplace.c).  By itself it reaches no cancellation point and
 * makes no tracked call, so its runs get no run frame until an extension
 * attaches.
 */
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>

char _license[] SEC("license") = "GPL";

/*
 * Global, so that an freplace program can replace it.  What it returns
 * must not be known to the compiler: from a range of 0 and 1, it would
 * turn the caller's "+ 10" into "| 10".
 */
__noinline int replaced(struct __sk_buff *skb)
{
	return skb->len;
}

SEC("tc")
int freplace_target(struct __sk_buff *skb)
{
	return replaced(skb) + 10;
}

/* Global, for an freplace program to replace: called in a loop below. */
__noinline int replaced_in_loop(struct __sk_buff *skb)
{
	return skb->len & 1;
}

/*
 * 4096 calls of replaced_in_loop(): a run long enough that an extension
 * attached while runs go on back to back lands inside one.  A bounded
 * loop, not bpf_for(): the program must reach no cancellation point.
 */
SEC("tc")
int freplace_loop_target(struct __sk_buff *skb)
{
	int i, n = 0;

#pragma clang loop unroll(disable)
	for (i = 0; i < 4096; i++)
		n += replaced_in_loop(skb);
	return n;
}
