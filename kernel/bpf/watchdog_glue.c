// SPDX-License-Identifier: GPL-2.0
/*
 * BPF watchdog: the C glue around the Rust core (kernel/bpf/watchdog.rs).
 *
 * Only what Rust cannot do, or cannot do cheaply, lives here: initcalls,
 * and later per-CPU data, sysctl tables and CPU hotplug callbacks.
 */
#include <linux/bpf_watchdog.h>
#include <linux/cpumask.h>
#include <linux/init.h>

static int __init bpf_watchdog_boot(void)
{
	return bpf_watchdog_init(nr_cpu_ids);
}
late_initcall(bpf_watchdog_boot);
