// SPDX-License-Identifier: GPL-2.0
/*
 * BPF watchdog selftests: an freplace program that overruns inside the
 * program it extends (watchdog_freplace_target.c).  Extensions are not
 * unwound: at the budget, the loops' iterators end, and the extension and
 * its target run on to their ends.
 */
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include "bpf_misc.h"
#include "bpf_experimental.h"

char _license[] SEC("license") = "GPL";

int finished;
__u64 iterations;
/* The loops' lengths: small for a run well within any budget. */
int outer = 100000;
int inner = 100000;

SEC("freplace/replaced")
int runaway_replaced(struct __sk_buff *skb)
{
	int i, j;

	bpf_for(i, 0, outer) {
		bpf_for(j, 0, inner)
			iterations++;
	}
	finished = 1;
	return 2;
}
