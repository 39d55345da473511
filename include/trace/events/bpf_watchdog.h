/* SPDX-License-Identifier: GPL-2.0 */
/*
 * BPF watchdog events: every overrun the watchdog saw, and every resource
 * it released for a killed run.  See Documentation/bpf/watchdog.rst.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM bpf_watchdog

#if !defined(_TRACE_BPF_WATCHDOG_H) || defined(TRACE_HEADER_MULTI_READ)
#define _TRACE_BPF_WATCHDOG_H

#include <linux/bpf.h>
#include <linux/bpf_watchdog.h>
#include <linux/tracepoint.h>

#define bpf_wd_show_class(class)					\
	__print_symbolic(class,						\
			 { BPF_WD_CLASS_DEFAULT,	"default" },	\
			 { BPF_WD_CLASS_TRACING,	"tracing" },	\
			 { BPF_WD_CLASS_NET,		"net" },	\
			 { BPF_WD_CLASS_LSM,		"lsm" },	\
			 { BPF_WD_CLASS_STRUCT_OPS,	"struct_ops" },	\
			 { BPF_WD_CLASS_SYSCALL,	"syscall" })

TRACE_EVENT(bpf_watchdog_abort,

	TP_PROTO(const struct bpf_wd_report *r),

	TP_ARGS(r),

	TP_STRUCT__entry(
		__field(u32, prog_id)
		__array(char, name, BPF_OBJ_NAME_LEN)
		__field(u32, class)
		__field(u32, budget_src)
		__field(u64, budget_us)
		__field(u64, ran_us)
		__field(u32, released)
		__field(bool, killed)
	),

	TP_fast_assign(
		__entry->prog_id = r->prog->aux->id;
		memcpy(__entry->name, r->prog->aux->name, BPF_OBJ_NAME_LEN);
		__entry->class = r->class;
		__entry->budget_src = r->budget_src;
		__entry->budget_us = div_u64(r->budget_ns, NSEC_PER_USEC);
		__entry->ran_us = div_u64(r->ran_ns, NSEC_PER_USEC);
		__entry->released = r->released;
		__entry->killed = r->killed;
	),

	TP_printk("prog_id=%u name=%s class=%s budget_us=%llu%s ran_us=%llu released=%u %s",
		  __entry->prog_id, __entry->name,
		  bpf_wd_show_class(__entry->class), __entry->budget_us,
		  /* Not __print_symbolic(): an empty name prints as 0x0. */
		  __entry->budget_src == BPF_WD_BUDGET_PROG ? "(prog)" :
		  __entry->budget_src == BPF_WD_BUDGET_LOCK ? "(lock)" : "",
		  __entry->ran_us, __entry->released,
		  __entry->killed ? "killed" : "reported")
);

TRACE_EVENT(bpf_watchdog_release,

	TP_PROTO(const struct bpf_prog *prog, const char *kind, unsigned long addr),

	TP_ARGS(prog, kind, addr),

	TP_STRUCT__entry(
		__field(u32, prog_id)
		__string(kind, kind)
		__field(unsigned long, addr)
	),

	TP_fast_assign(
		__entry->prog_id = prog->aux->id;
		__assign_str(kind);
		__entry->addr = addr;
	),

	TP_printk("prog_id=%u kind=%s addr=0x%lx",
		  __entry->prog_id, __get_str(kind), __entry->addr)
);

#endif /* _TRACE_BPF_WATCHDOG_H */

/* This part must be outside protection */
#include <trace/define_trace.h>
