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

/* Calls of replaced_in_loop(), while not replaced. */
__u64 loop_calls;

/*
 * Global, for an freplace program to replace: called in a loop below.  Its
 * store keeps the compiler from calling it once for the whole loop.
 */
__noinline int replaced_in_loop(struct __sk_buff *skb, int i)
{
	loop_calls++;
	return (skb->len + i) & 1;
}

/* What freplace_loop_target() copies, to make its runs long. */
char copy_src[1 << 18];
char copy_dst[1 << 18];

/*
 * 64 calls of replaced_in_loop(), each followed by a 256 KiB copy: a run
 * long enough (milliseconds) that an extension attached while runs go on
 * back to back lands inside one.  A bounded loop and a helper that is no
 * cancellation point: the program must reach none.
 */
SEC("tc")
int freplace_loop_target(struct __sk_buff *skb)
{
	int i, n = 0;

#pragma clang loop unroll(disable)
	for (i = 0; i < 64; i++) {
		n += replaced_in_loop(skb, i);
		bpf_probe_read_kernel(copy_dst, sizeof(copy_dst), copy_src);
	}
	return n;
}
