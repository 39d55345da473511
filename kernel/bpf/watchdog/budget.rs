// SPDX-License-Identifier: GPL-2.0

//! Which budget a run gets, and the other tunables.
//!
//! The tunables are the sysctls of `/proc/sys/kernel/bpf_watchdog/`, kept
//! by the C glue in `struct bpf_wd_settings`, which range-checks every
//! write.  This module is the one place that reads them.
//!
//! A run's budget is fixed when the watchdog first sees it (its stamp), so
//! a write affects the runs that start after it, never one in flight:
//!
//! 1. the budget its loader gave the program (`BPF_PROG_LOAD`'s
//!    `watchdog_budget_us`), capped by `prog_budget_max_us`, if both are
//!    set; otherwise
//! 2. the budget of its context class (`tracing_budget_us`, ...), or
//!    `default_budget_us` when that class's is 0.
//!
//! While the run holds a lock-like resource ([`Kind::is_lock`]), the
//! shorter `lock_budget_us` applies instead, counted from the same stamp:
//! a lock held late in a long run ends it as soon as the run is past the
//! lock budget.

use core::ptr;

use kernel::bindings;
use kernel::prelude::*;

use super::record;
use super::resources::Kind;
use super::{Budget, Mode};

/// Reads one tunable.
///
/// # Safety
///
/// `field` points into `bindings::bpf_wd_settings`.
unsafe fn read(field: *const c_uint) -> c_uint {
    // SAFETY: the caller guarantees the pointer; the glue writes the
    // settings with `WRITE_ONCE()` after validating the value.
    unsafe { ptr::read_volatile(field) }
}

/// The current mode.
pub(crate) fn mode() -> Mode {
    // SAFETY: a field of the settings.
    let raw = unsafe { read(&raw const bindings::bpf_wd_settings.mode) };
    Mode::from_raw(raw).unwrap_or(Mode::DEFAULT)
}

/// Kills that quarantine a program; 0: never.
pub(crate) fn quarantine_after() -> u32 {
    // SAFETY: a field of the settings.
    unsafe { read(&raw const bindings::bpf_wd_settings.quarantine_after) }
}

/// The budget of context class `class` (`enum bpf_wd_class`).
pub(crate) fn of_class(class: u32) -> Budget {
    let n = bindings::bpf_wd_class_BPF_WD_NR_CLASSES;
    let idx = if class < n { class as usize } else { 0 };
    // SAFETY: fields of the settings; `idx` is in bounds.
    let (us, default_us) = unsafe {
        (
            read(&raw const bindings::bpf_wd_settings.budget_us[idx]),
            read(&raw const bindings::bpf_wd_settings.budget_us[0]),
        )
    };
    let us = if us == 0 { default_us } else { us };
    Budget::from_us(u64::from(us)).unwrap_or(Budget::DEFAULT)
}

/// Whether the current task is running `prog` for `BPF_PROG_TEST_RUN`.
fn test_run_of(prog: *const bindings::bpf_prog) -> bool {
    // SAFETY: `current` is always a valid task; only it writes the field.
    let testing = unsafe { ptr::read_volatile(&raw const (*current()).bpf_wd_test) };
    ptr::eq(testing, prog)
}

fn current() -> *mut bindings::task_struct {
    kernel::task::Task::current_raw()
}

/// A test run of `prog` on the current task was killed: clear its mark,
/// which is how `BPF_PROG_TEST_RUN` knows to return `-ETIMEDOUT`.
pub(crate) fn test_run_killed(prog: *const bindings::bpf_prog) {
    if test_run_of(prog) {
        // SAFETY: as in `test_run_of()`; a kill runs in the task's context
        // or in an interrupt over it, which the syscall cannot race.
        unsafe { ptr::write_volatile(&raw mut (*current()).bpf_wd_test, ptr::null()) };
    }
}

/// The context class of a run of `prog` starting now.
#[expect(
    non_upper_case_globals,
    reason = "the patterns are bindgen's names of enum bpf_prog_type's values"
)]
pub(crate) fn class(prog: *const bindings::bpf_prog) -> u32 {
    use bindings::*;

    if test_run_of(prog) {
        return bpf_wd_class_BPF_WD_CLASS_SYSCALL;
    }
    // SAFETY: `prog` is a running program.
    let (ty, attach) = unsafe { ((*prog).type_, (*prog).expected_attach_type) };
    match ty {
        bpf_prog_type_BPF_PROG_TYPE_TRACING if attach == bpf_attach_type_BPF_TRACE_ITER => {
            bpf_wd_class_BPF_WD_CLASS_SYSCALL
        }
        bpf_prog_type_BPF_PROG_TYPE_KPROBE
        | bpf_prog_type_BPF_PROG_TYPE_TRACEPOINT
        | bpf_prog_type_BPF_PROG_TYPE_RAW_TRACEPOINT
        | bpf_prog_type_BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE
        | bpf_prog_type_BPF_PROG_TYPE_PERF_EVENT
        | bpf_prog_type_BPF_PROG_TYPE_TRACING => bpf_wd_class_BPF_WD_CLASS_TRACING,
        bpf_prog_type_BPF_PROG_TYPE_SOCKET_FILTER
        | bpf_prog_type_BPF_PROG_TYPE_SCHED_CLS
        | bpf_prog_type_BPF_PROG_TYPE_SCHED_ACT
        | bpf_prog_type_BPF_PROG_TYPE_XDP
        | bpf_prog_type_BPF_PROG_TYPE_CGROUP_SKB
        | bpf_prog_type_BPF_PROG_TYPE_CGROUP_SOCK
        | bpf_prog_type_BPF_PROG_TYPE_CGROUP_SOCK_ADDR
        | bpf_prog_type_BPF_PROG_TYPE_CGROUP_SOCKOPT
        | bpf_prog_type_BPF_PROG_TYPE_LWT_IN
        | bpf_prog_type_BPF_PROG_TYPE_LWT_OUT
        | bpf_prog_type_BPF_PROG_TYPE_LWT_XMIT
        | bpf_prog_type_BPF_PROG_TYPE_LWT_SEG6LOCAL
        | bpf_prog_type_BPF_PROG_TYPE_SOCK_OPS
        | bpf_prog_type_BPF_PROG_TYPE_SK_SKB
        | bpf_prog_type_BPF_PROG_TYPE_SK_MSG
        | bpf_prog_type_BPF_PROG_TYPE_SK_REUSEPORT
        | bpf_prog_type_BPF_PROG_TYPE_SK_LOOKUP
        | bpf_prog_type_BPF_PROG_TYPE_FLOW_DISSECTOR
        | bpf_prog_type_BPF_PROG_TYPE_NETFILTER => bpf_wd_class_BPF_WD_CLASS_NET,
        bpf_prog_type_BPF_PROG_TYPE_LSM => bpf_wd_class_BPF_WD_CLASS_LSM,
        bpf_prog_type_BPF_PROG_TYPE_STRUCT_OPS => bpf_wd_class_BPF_WD_CLASS_STRUCT_OPS,
        bpf_prog_type_BPF_PROG_TYPE_SYSCALL => bpf_wd_class_BPF_WD_CLASS_SYSCALL,
        _ => bpf_wd_class_BPF_WD_CLASS_DEFAULT,
    }
}

/// The budget its loader gave `prog`, capped by the ceiling; `None` when
/// it has none or the ceiling is 0.
fn of_prog(prog: *const bindings::bpf_prog) -> Option<Budget> {
    // SAFETY: `prog` is a running program; the field is set at load.
    let asked = unsafe { (*(*prog).aux).wd.budget_us };
    // SAFETY: a field of the settings.
    let max = unsafe { read(&raw const bindings::bpf_wd_settings.prog_budget_max_us) };
    if asked == 0 || max == 0 {
        return None;
    }
    Budget::from_us(u64::from(asked.min(max)))
}

/// The budget a run of `prog` starting now gets, and where it comes from
/// (`BPF_WD_BUDGET_*`).
pub(crate) fn initial(prog: *const bindings::bpf_prog) -> (Budget, u32) {
    match of_prog(prog) {
        Some(b) => (b, bindings::BPF_WD_BUDGET_PROG),
        None => (of_class(class(prog)), bindings::BPF_WD_BUDGET_CLASS),
    }
}

/// `lock_budget_us`, or `None` when it is 0.
fn lock_budget() -> Option<Budget> {
    // SAFETY: a field of the settings.
    let us = unsafe { read(&raw const bindings::bpf_wd_settings.lock_budget_us) };
    Budget::from_us(u64::from(us))
}

/// The budget `run` has now, and where it comes from: its own, or the
/// lock budget if that is shorter and the run holds a lock-like resource.
///
/// Looks at the record only when the lock budget could matter, and only
/// from the slow paths (the timer, a cancellation point's check).
pub(crate) fn effective(run: *mut bindings::bpf_wd_run, own: Budget, src: u32) -> (Budget, u32) {
    let Some(lock) = lock_budget().filter(|l| *l < own) else {
        return (own, src);
    };
    let guard = record::NoPreempt::new();
    if guard
        .record()
        .is_some_and(|rec| rec.holds(run, Kind::is_lock))
    {
        (lock, bindings::BPF_WD_BUDGET_LOCK)
    } else {
        (own, src)
    }
}
