// SPDX-License-Identifier: GPL-2.0

//! BPF watchdog: runtime protection against BPF programs that pass the
//! verifier but run for far too long.
//!
//! The verifier proves that a program terminates, not that it terminates
//! soon: since `bpf_loop`, open-coded iterators, `may_goto` and tail calls, a
//! verified program can run for hours, holding references, locks, the RCU
//! read lock, or disabled preemption or interrupts while it does.  The
//! watchdog gives every run a time budget, cancels a run that overruns it,
//! releases what the run held and returns a defined value for the program
//! type.  See `Documentation/bpf/watchdog.rst`.
//!
//! This crate is the watchdog's one home.  C reaches it only through the
//! entry points declared in `include/linux/bpf_watchdog.h`; the C glue in
//! `kernel/bpf/watchdog_glue.c` holds what Rust cannot express (initcalls,
//! kfuncs).
//!
//! - [`record`]: the per-CPU held-resource record.
//! - [`cancel`]: the per-CPU watchdog timer, the cancellation points and
//!   the kill, and the reports.
//! - [`budget`]: which budget a run gets; the sysctls.
//! - [`resources`]: the table of resource kinds and tracked kfuncs and
//!   helpers, from which `bpf_watchdog_resources!` generates the wrappers.

use kernel::bindings;
use kernel::ffi::{c_char, c_ulong};
use kernel::prelude::*;

#[path = "watchdog/budget.rs"]
mod budget;
#[path = "watchdog/cancel.rs"]
mod cancel;
#[path = "watchdog/record.rs"]
mod record;
#[path = "watchdog/resources.rs"]
mod resources;

use resources::Kind;

/// Prefix of the watchdog's kernel log messages.
const __LOG_PREFIX: &[u8] = b"bpf_watchdog\0";

/// What the watchdog does about a run that overruns its budget.
///
/// The discriminants are the values operators write to the `mode` sysctl,
/// so they are part of the ABI and must not change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum Mode {
    /// Runs are not tracked; the only cost left is one predicted branch.
    Off = 0,
    /// Overruns are detected and reported, never killed.
    Report = 1,
    /// Overruns are killed: resources released, frames unwound.
    Enforce = 2,
}

impl Mode {
    /// The mode a freshly booted kernel uses.
    ///
    /// Enforcing is the point of the option: a distribution that enables
    /// `CONFIG_BPF_WATCHDOG` wants runaway programs stopped, and the budgets
    /// are far above anything a well-behaved program needs.
    pub const DEFAULT: Mode = Mode::Enforce;

    /// Decodes a value written by user space; `None` for anything else.
    pub const fn from_raw(raw: u32) -> Option<Mode> {
        match raw {
            0 => Some(Mode::Off),
            1 => Some(Mode::Report),
            2 => Some(Mode::Enforce),
            _ => None,
        }
    }

    /// Name used in reports.
    pub const fn name(self) -> &'static str {
        match self {
            Mode::Off => "off",
            Mode::Report => "report",
            Mode::Enforce => "enforce",
        }
    }
}

/// A run's time budget.
///
/// Operators write budgets in microseconds; the watchdog compares them with
/// nanosecond clocks.  Keeping the conversion in one checked constructor
/// means no caller can build a budget that overflows or that is shorter than
/// the watchdog can honour.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Budget {
    ns: u64,
}

impl Budget {
    /// Shortest budget, in microseconds: below this the watchdog's own
    /// timer period and the cost of an abort dominate the budget.
    pub const MIN_US: u64 = 100;

    /// Longest budget, in microseconds: 60 s, beyond the soft-lockup
    /// detector's 20 s and sched_ext's 30 s, so the watchdog never fires
    /// after the machine already complained.
    pub const MAX_US: u64 = 60_000_000;

    /// Budget used where nothing else is configured: 250 ms, the budget
    /// timed `may_goto` and rqspinlock already enforce.
    pub const DEFAULT: Budget = Budget { ns: 250_000_000 };

    /// Builds a budget from microseconds, or `None` when `us` is outside
    /// [`Budget::MIN_US`, `Budget::MAX_US`].
    pub const fn from_us(us: u64) -> Option<Budget> {
        if us < Self::MIN_US || us > Self::MAX_US {
            return None;
        }
        Some(Budget { ns: us * 1000 })
    }

    /// The budget in nanoseconds.
    pub const fn as_ns(self) -> u64 {
        self.ns
    }

    /// The budget in microseconds.
    pub const fn as_us(self) -> u64 {
        self.ns / 1000
    }

    /// Whether a run that started at `start_ns` has overrun at `now_ns`.
    ///
    /// Clocks are monotonic but the stamps may come from different CPUs'
    /// views of it; a `now_ns` before `start_ns` is not an overrun.
    pub const fn expired(self, start_ns: u64, now_ns: u64) -> bool {
        now_ns.saturating_sub(start_ns) > self.ns
    }
}

/// Boot-time initialisation, called once by the C glue's initcall.
///
/// # Safety
///
/// Must be called once, from the initcall in `kernel/bpf/watchdog_glue.c`.
#[export]
pub unsafe extern "C" fn bpf_watchdog_init(nr_cpus: c_uint) -> c_int {
    if let Err(e) = record::init() {
        pr_err!("cannot allocate the per-CPU records\n");
        return e.to_errno();
    }
    if let Err(e) = cancel::init() {
        pr_err!("cannot allocate the per-CPU watchdogs\n");
        return e.to_errno();
    }
    pr_info!(
        "ready on {} CPUs: mode {}, default budget {} us\n",
        nr_cpus,
        budget::mode().name(),
        budget::of_class(bindings::bpf_wd_class_BPF_WD_CLASS_DEFAULT).as_us()
    );
    0
}

/// A run ended with entries left in the record: forget them.
///
/// The verifier makes every program release what it acquired before it
/// exits, so entries outlive a run only when ownership left the program
/// through a path the record does not follow yet (see the `pending` lines of
/// the table).  Nothing is released here: the resource belongs to someone
/// else now.
///
/// # Safety
///
/// `run` is the frame of a run of the current task that is just ending.
#[export]
pub unsafe extern "C" fn bpf_wd_run_leftover(run: *mut bindings::bpf_wd_run) {
    let guard = record::NoPreempt::new();
    match guard.record() {
        // SAFETY: this CPU's record, preemption off; the caller guarantees
        // `run`.
        Some(rec) => unsafe { rec.purge(run) },
        None => 0,
    };
}

/// The wrapper the verifier must call instead of `addr`, or `addr`.
///
/// # Safety
///
/// None beyond the C prototype; `unsafe` for `#[export]`.
#[export]
pub unsafe extern "C" fn bpf_wd_redirect(addr: c_ulong) -> c_ulong {
    let addr_ptr = addr as *const c_void;
    resources::redirect(addr_ptr)
        .or_else(|| cancel::redirect(addr_ptr))
        .map_or(addr, |w| w as c_ulong)
}

/// What a call to `addr` is to the watchdog: `BPF_WD_CALL_*` and
/// `BPF_WD_HELD_*` bits, 0 for a function it does not wrap.
///
/// The verifier calls the original function instead of the wrapper where
/// it proves that what the call acquires or releases is never held at a
/// cancellation point, the only place a run is killed: a kill could never
/// find it in the record.  `bpf_kptr_xchg()` and the releases of any kind
/// carry no `BPF_WD_HELD_*` bit, so they always keep their wrapper.
///
/// # Safety
///
/// None beyond the C prototype; `unsafe` for `#[export]`.
#[export]
pub unsafe extern "C" fn bpf_wd_call_flags(addr: c_ulong) -> u32 {
    let addr_ptr = addr as *const c_void;
    if cancel::redirect(addr_ptr).is_some() {
        // bpf_loop() and the other helpers that drive callbacks.
        return bindings::BPF_WD_CALL_POINT;
    }
    let mut flags = 0;
    resources::for_each_tracked(|t| {
        if t.orig != addr_ptr {
            return;
        }
        if t.point {
            flags |= bindings::BPF_WD_CALL_POINT;
        }
        let Some(kind) = t.kind else {
            return;
        };
        if t.consumes.is_some() {
            // It releases what one call site acquired and acquires for
            // another: no `BPF_WD_HELD_*` bit, so that it keeps its
            // wrapper, as the releases of any kind do.
            flags |= bindings::BPF_WD_CALL_ACQUIRE | bindings::BPF_WD_CALL_RELEASE;
            return;
        }
        if t.acquire {
            flags |= bindings::BPF_WD_CALL_ACQUIRE;
        } else if !t.point {
            flags |= bindings::BPF_WD_CALL_RELEASE;
        }
        if flags & (bindings::BPF_WD_CALL_ACQUIRE | bindings::BPF_WD_CALL_RELEASE) != 0 {
            flags |= kind.held_class();
        }
    });
    flags
}

/// The function whose wrapper is `addr`, or `addr`: what a call the
/// verifier chose not to record calls (see [`bpf_wd_call_flags`]).
///
/// # Safety
///
/// None beyond the C prototype; `unsafe` for `#[export]`.
#[export]
pub unsafe extern "C" fn bpf_wd_unwrap(addr: c_ulong) -> c_ulong {
    let mut orig = addr;
    resources::for_each_tracked(|t| {
        if t.wrapper as c_ulong == addr {
            orig = t.orig as c_ulong;
        }
    });
    orig
}

/// Number of entries the current run owns, or `-ENOENT` outside a run.
///
/// # Safety
///
/// None beyond the C prototype; `unsafe` for `#[export]`.
#[export]
pub unsafe extern "C" fn bpf_wd_held_count() -> c_int {
    let run = record::current_run();
    if run.is_null() {
        return ENOENT.to_errno();
    }
    // SAFETY: the current task's innermost run is live while it calls us.
    unsafe { (*run).nr_held as c_int }
}

/// The current run's `i`-th newest entry: its kind, and its address in
/// `*addr`; `-ENOENT` if there is none.
///
/// # Safety
///
/// `addr` is valid for writes (the verifier checks it for the kfunc).
#[export]
pub unsafe extern "C" fn bpf_wd_held(i: u32, addr: *mut u64) -> c_int {
    let run = record::current_run();
    if run.is_null() {
        return ENOENT.to_errno();
    }
    let guard = record::NoPreempt::new();
    match guard.record().and_then(|rec| rec.nth(run, i as usize)) {
        Some((kind, a)) => {
            // SAFETY: the caller guarantees `addr`.
            unsafe { *addr = a as u64 };
            c_int::from(kind)
        }
        None => ENOENT.to_errno(),
    }
}

/// The slow path of the verifier's inlined `bpf_iter_num_new()`.
///
/// # Safety
///
/// Only the inline sequence calls this, with the iterator it initialised.
#[export]
pub unsafe extern "C" fn bpf_wd_iter_num_new(it: *mut c_void) {
    // SAFETY: the caller guarantees `it`.
    unsafe { cancel::iter_num_new(it) }
}

/// The slow path of the verifier's inlined `bpf_iter_num_next()`.
///
/// # Safety
///
/// Only the inline sequence calls this, with the iterator the verifier
/// checked.
#[export]
pub unsafe extern "C" fn bpf_wd_iter_num_next(it: *mut c_void) -> *mut c_int {
    // SAFETY: the caller guarantees `it`.
    unsafe { cancel::iter_num_next(it) }
}

/// The slow path of the verifier's inlined `bpf_iter_num_destroy()`.
///
/// # Safety
///
/// Only the inline sequence calls this, with the iterator the verifier
/// checked.
#[export]
pub unsafe extern "C" fn bpf_wd_iter_num_destroy(it: *mut c_void) {
    // SAFETY: the caller guarantees `it`.
    unsafe { cancel::iter_num_destroy(it) }
}

/// Starts this CPU's watchdog timer (the glue's irq_work).
///
/// # Safety
///
/// Called by the irq_work on the CPU it was queued on.
#[export]
pub unsafe extern "C" fn bpf_wd_timer_start() {
    cancel::timer_start()
}

/// The call after an inlined `bpf_kptr_xchg()`: see
/// [`resources::kptr_xchg_moved`].
///
/// # Safety
///
/// Only the verifier's inline sequence calls this, with what the exchange
/// moved and the destination's kptr field (or null).
#[export]
pub unsafe extern "C" fn bpf_wd_kptr_xchg_moved(
    given: *mut c_void,
    taken: *mut c_void,
    field: *const bindings::btf_field,
) -> *mut c_void {
    resources::kptr_xchg_moved(given, taken, field)
}

/// The call after a kfunc that takes a node out of a list or an rbtree:
/// see [`resources::graph_node_taken`].
///
/// # Safety
///
/// Only the verifier's rewrite of such a call calls this, with the node the
/// kfunc returned, the struct meta of the object type the collection holds
/// (or null) and the node's offset in that type.
#[export]
pub unsafe extern "C" fn bpf_wd_graph_node_taken(
    node: *mut c_void,
    meta: *mut bindings::btf_struct_meta,
    off: u64,
) -> *mut c_void {
    resources::graph_node_taken(node, meta.cast(), off)
}

/// The call after a module kfunc that acquires: see
/// [`resources::module_ref_taken`].
///
/// # Safety
///
/// Only the verifier's rewrite of such a call calls this, with what the
/// kfunc returned and its type's destructor (or null).
#[export]
pub unsafe extern "C" fn bpf_wd_module_ref_taken(p: *mut c_void, dtor: *mut c_void) -> *mut c_void {
    resources::module_ref_taken(p, dtor)
}

/// The prologue of a struct_ops method with `__ref` arguments, once for
/// each: see [`resources::arg_ref_taken`].
///
/// # Safety
///
/// Only the verifier's prologue calls this, with the argument and its
/// type's destructor (or null).
#[export]
pub unsafe extern "C" fn bpf_wd_arg_ref_taken(p: *mut c_void, dtor: *mut c_void) {
    resources::arg_ref_taken(p, dtor)
}

/// The call after a module kfunc that releases: see
/// [`resources::module_ref_given`].
///
/// # Safety
///
/// Only the verifier's rewrite of such a call calls this, with the
/// argument the kfunc released and the kfunc's result.
#[export]
pub unsafe extern "C" fn bpf_wd_module_ref_given(p: *mut c_void, ret: u64) -> u64 {
    resources::module_ref_given(p, ret)
}

/// Timed `may_goto`'s check: `true` if the loop must end.
///
/// # Safety
///
/// None beyond the C prototype; `unsafe` for `#[export]`.
#[export]
pub unsafe extern "C" fn bpf_wd_may_goto() -> bool {
    cancel::may_goto()
}

/// rqspinlock's periodic timeout check, at `now`: `true` if the current
/// run is cancelled and its lock wait must give up.
///
/// # Safety
///
/// None beyond the C prototype; `unsafe` for `#[export]`.
#[export]
pub unsafe extern "C" fn bpf_wd_lock_wait(now: u64) -> bool {
    cancel::lock_wait(now)
}

/// What a run of `prog` returns when it is killed or quarantined.
///
/// # Safety
///
/// `prog` is a live program.
#[export]
pub unsafe extern "C" fn bpf_wd_abort_value(prog: *const bindings::bpf_prog) -> u64 {
    cancel::abort_value(prog)
}

/// Whether `mode` is a mode the watchdog accepts (the parameter's check).
///
/// # Safety
///
/// None beyond the C prototype; `unsafe` for `#[export]`.
#[export]
pub unsafe extern "C" fn bpf_wd_mode_valid(mode: c_uint) -> bool {
    Mode::from_raw(mode).is_some()
}

/// Whether `us` is a budget the watchdog accepts (the parameter's check).
///
/// # Safety
///
/// None beyond the C prototype; `unsafe` for `#[export]`.
#[export]
pub unsafe extern "C" fn bpf_wd_budget_valid(us: c_uint) -> bool {
    Budget::from_us(u64::from(us)).is_some()
}

/// Runs killed since boot.
///
/// # Safety
///
/// None beyond the C prototype; `unsafe` for `#[export]`.
#[export]
pub unsafe extern "C" fn bpf_wd_kills() -> u64 {
    cancel::kills()
}

/// The id of the resource kind called `name`, or `-ENOENT`.
///
/// # Safety
///
/// `name` is a NUL-terminated string (the verifier checks `__str`).
#[export]
pub unsafe extern "C" fn bpf_wd_kind_id(name: *const c_char) -> c_int {
    // SAFETY: the caller guarantees a NUL-terminated string.
    let name = unsafe { CStr::from_char_ptr(name) };
    let mut id = ENOENT.to_errno();
    Kind::for_each(|k| {
        if k.name().as_bytes() == name.to_bytes() {
            id = k as c_int;
        }
    });
    id
}

/// The current run's `BPF_WD_RUN_*` flags; 0 outside a run.
///
/// # Safety
///
/// None beyond the C prototype; `unsafe` for `#[export]`.
#[export]
pub unsafe extern "C" fn bpf_wd_run_flags() -> u32 {
    let run = record::current_run();
    if run.is_null() {
        return 0;
    }
    // SAFETY: as in `bpf_wd_held_count()`.
    unsafe { (*run).flags }
}

/// Whether the acquire/release kfunc `name` at `addr` is accounted for:
/// wrapped, or listed in the table as exempt or pending.  Prints the ones
/// that are not, and the pending ones.  Returns 1 if not accounted for.
///
/// # Safety
///
/// `name` is a NUL-terminated string.
#[export]
pub unsafe extern "C" fn bpf_wd_kfunc_covered(
    name: *const c_char,
    addr: c_ulong,
    flags: u32,
) -> c_int {
    // SAFETY: the caller guarantees a NUL-terminated string.
    let name = unsafe { CStr::from_char_ptr(name) }.to_bytes();
    let shown = core::str::from_utf8(name).unwrap_or("?");
    let same = |n: &str| n.as_bytes().strip_suffix(b"\0") == Some(name);
    let mut covered = false;
    resources::for_each_tracked(|t| {
        covered |= same(t.name) || (addr != 0 && t.orig as c_ulong == addr);
    });
    if covered {
        return 0;
    }
    let mut why = None;
    resources::for_each_untracked(|u| {
        if same(u.name) {
            why = Some((u.pending, u.why));
        }
    });
    match why {
        Some((false, _)) => 0,
        Some((true, why)) => {
            pr_info!("pending: {} (flags {:#x}): {}\n", shown, flags, why);
            0
        }
        None => {
            pr_err!(
                "untracked acquire/release kfunc: {} (flags {:#x})\n",
                shown,
                flags
            );
            1
        }
    }
}

#[cfg(CONFIG_BPF_WATCHDOG_KUNIT_TEST)]
#[kunit_tests(bpf_watchdog)]
mod tests {
    use super::*;

    #[test]
    fn mode_round_trips_and_rejects_garbage() {
        for m in [Mode::Off, Mode::Report, Mode::Enforce] {
            assert_eq!(Mode::from_raw(m as u32), Some(m));
        }
        assert_eq!(Mode::from_raw(3), None);
        assert_eq!(Mode::from_raw(u32::MAX), None);
    }

    #[test]
    fn budget_range_is_enforced() {
        assert_eq!(Budget::from_us(0), None);
        assert_eq!(Budget::from_us(Budget::MIN_US - 1), None);
        assert_eq!(Budget::from_us(Budget::MAX_US + 1), None);
        assert_eq!(Budget::from_us(u64::MAX), None);
        assert_eq!(
            Budget::from_us(Budget::MIN_US).map(Budget::as_ns),
            Some(100_000)
        );
        assert_eq!(
            Budget::from_us(Budget::MAX_US).map(Budget::as_ns),
            Some(60_000_000_000)
        );
        assert_eq!(Budget::from_us(250_000), Some(Budget::DEFAULT));
    }

    #[test]
    fn budget_expiry() {
        let b = Budget::from_us(100).unwrap();
        assert!(!b.expired(1_000, 1_000));
        assert!(!b.expired(1_000, 101_000));
        assert!(b.expired(1_000, 101_001));
        // A stamp from the future (another CPU's clock) never expires.
        assert!(!b.expired(u64::MAX, 0));
    }

    #[test]
    fn every_acquire_release_kfunc_is_accounted_for() {
        // SAFETY: runs after boot, when the kfunc sets no longer change.
        assert_eq!(unsafe { bindings::bpf_wd_check_coverage() }, 0);
    }

    #[test]
    fn every_wrapper_is_found_by_redirect() {
        let mut n = 0;
        resources::for_each_tracked(|t| {
            assert_eq!(resources::redirect(t.orig), Some(t.wrapper));
            assert_eq!(resources::redirect(t.wrapper), None);
            n += 1;
        });
        assert!(n > 0);
    }

    #[test]
    fn kind_names_are_unique_and_round_trip() {
        Kind::for_each(|a| {
            assert_eq!(Kind::from_u8(a as u8), Some(a));
            Kind::for_each(|b| assert!(a == b || a.name() != b.name()));
        });
        assert_eq!(Kind::from_u8(0), None);
    }
}
