// SPDX-License-Identifier: GPL-2.0
/*
 * BPF watchdog selftests: programs that must run to completion untouched.
 * Programs the watchdog must stop are added with the watchdog itself.
 */
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include "bpf_misc.h"
#include "bpf_experimental.h"

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
