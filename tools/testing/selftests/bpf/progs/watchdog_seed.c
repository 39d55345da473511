// SPDX-License-Identifier: GPL-2.0
/*
 * The program from the proposal that started the BPF watchdog ("Rethinking
 * BPF safety", bpf@vger, 4 Feb 2025), verbatim: it passes the verifier and
 * freezes a machine without the watchdog, since it runs 10^10 iterations on
 * every context switch.
 */
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "watchdog_common.h"

SEC("raw_tp/sched_switch")
int BPF_PROG(on_switch)
{
	struct bpf_iter_num it;
	int *v;

	bpf_iter_num_new(&it, 0, 100000);
	while ((v = bpf_iter_num_next(&it))) {
		struct bpf_iter_num it2;

		bpf_iter_num_new(&it2, 0, 100000);
		while ((v = bpf_iter_num_next(&it2))) {
			bpf_printk("BPF Bomb\n");
		}
		bpf_iter_num_destroy(&it2);
	}
	bpf_iter_num_destroy(&it);
	return 0;
}

__u64 kills;

SEC("syscall")
int read_kills(void *ctx)
{
	kills = bpf_watchdog_kills();
	return 0;
}

char _license[] SEC("license") = "GPL";
