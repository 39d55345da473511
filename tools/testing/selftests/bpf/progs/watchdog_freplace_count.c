// SPDX-License-Identifier: GPL-2.0
/*
 * BPF watchdog selftests: an freplace program that counts whether the runs
 * it is part of have a run frame (watchdog_freplace_target.c's loop).
 */
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include "watchdog_common.h"

char _license[] SEC("license") = "GPL";

__u64 framed;
__u64 frameless;

SEC("freplace/replaced_in_loop")
int count_frames(struct __sk_buff *skb, int i)
{
	/* -ENOENT outside a run with a frame. */
	if (bpf_watchdog_held_count() < 0)
		__sync_fetch_and_add(&frameless, 1);
	else
		__sync_fetch_and_add(&framed, 1);
	return 1;
}
