/* SPDX-License-Identifier: GPL-2.0 */
/*
 * BPF watchdog: runtime protection against BPF programs that pass the
 * verifier but run for far too long.  See Documentation/bpf/watchdog.rst.
 *
 * The watchdog's logic lives in Rust (kernel/bpf/watchdog.rs).  This header
 * is the C side's view of it: the calls C makes into the Rust core, and the
 * C glue the Rust core calls back (kernel/bpf/watchdog_glue.c).
 */
#ifndef _LINUX_BPF_WATCHDOG_H
#define _LINUX_BPF_WATCHDOG_H

#include <linux/types.h>

#ifdef CONFIG_BPF_WATCHDOG

/* Rust core, called once at boot by the glue's initcall. */
int bpf_watchdog_init(unsigned int nr_cpus);

#endif /* CONFIG_BPF_WATCHDOG */
#endif /* _LINUX_BPF_WATCHDOG_H */
