// SPDX-License-Identifier: GPL-2.0

//! Noticing overruns and stopping them: the per-CPU watchdog timer, the
//! cancellation points and the kill.
//!
//! A run is dated without reading a clock on entry: whoever sees it first,
//! this CPU's watchdog timer or a cancellation point's periodic check,
//! stamps it, and its budget counts from the stamp.  Two things watch a run:
//!
//! - **The timer.**  A pinned, hard-irq hrtimer per CPU, armed by the first
//!   check that finds a run on its CPU and re-armed every period while the
//!   CPU runs BPF; on a tick that finds no run it stops, so an idle CPU gets
//!   no wake-ups.  It stamps the current run, and when the run is past its
//!   budget it cancels it: sets `BPF_WD_RUN_CANCELLED` and zeroes the CPU's
//!   countdown, so the run's next cancellation point takes the slow path.
//! - **The countdown.**  Every cancellation point (an inlined
//!   `bpf_iter_num_next()`, an iterator's `next`, an acquire) decrements the
//!   CPU's countdown; at zero it takes the slow path, [`check`], which reads
//!   the clock.  This is what catches runs the timer cannot interrupt: IRQs
//!   disabled (a `sched_switch` program), hard-irq, NMI.
//!
//! A cancelled run is killed at a cancellation point that can unwind: its
//! record entries are released newest first, and the program returns the
//! abort value of its type through the BPF exceptions machinery (the
//! exception callback of its main frame, as `bpf_throw()` does).  A point
//! reached from a callback that a helper called (`bpf_loop()`,
//! `bpf_for_each_map_elem()`, ...) cannot unwind, since that would skip the
//! helper's own cleanup: there, iterators end (`next` returns `NULL`), the
//! callback returns, and the kill happens at the program's next point.

use core::cell::UnsafeCell;
use core::pin::Pin;
use core::ptr;
use core::sync::atomic::{AtomicPtr, AtomicU64, Ordering};

use kernel::bindings;
use kernel::ffi::{c_char, c_ulong};
use kernel::prelude::*;
use kernel::time::hrtimer::{
    HasHrTimer, HrTimer, HrTimerCallback, HrTimerCallbackContext, HrTimerRestart,
    RelativePinnedHardMode,
};
use kernel::time::{Delta, Monotonic};

use super::budget;
use super::record;
use super::resources::Kind;
use super::{Budget, Mode};

/// Cancellation points between two clock reads on a CPU.
///
/// A clock read (`ktime_get_mono_fast_ns()`, NMI-safe) costs tens of
/// nanoseconds; one per 4096 points is under 1% of the cheapest point, an
/// empty `bpf_for` iteration, and bounds how far past its budget a run the
/// timer cannot see goes: 4096 of its own iterations.
pub(crate) const CHECK_EVERY: c_int = 4096;

/// One CPU's watchdog.
#[repr(C)]
pub(crate) struct Watch {
    /// Cancellation points left before the next check.  The first field:
    /// `bpf_wd_countdown`, which the verifier's inline sequence decrements,
    /// is the per-CPU pointer to the `Watch` itself.
    countdown: UnsafeCell<c_int>,
    /// Whether `timer` is queued or running.
    armed: UnsafeCell<bool>,
    timer: HrTimer<Watch>,
}

kernel::impl_has_hr_timer! {
    impl HasHrTimer<Self> for Watch {
        mode: RelativePinnedHardMode<Monotonic>, field: self.timer
    }
}

impl Watch {
    /// Counts one cancellation point; `true` when the check is due.
    fn tick(&self) -> bool {
        self.tick_by(1)
    }

    /// Counts `n` cancellation points at once; `true` when the check is
    /// due.
    fn tick_by(&self, n: c_int) -> bool {
        // SAFETY: only this CPU touches its countdown.  A program preempted
        // between the read and the write (runs are only migrate-disabled)
        // may lose another task's update: the count is a hint that can only
        // be off by a few points, never unsafe.  It cannot wrap: a check
        // resets it to `CHECK_EVERY`, and `n` is at most a chunk.
        unsafe {
            let left = ptr::read_volatile(self.countdown.get()) - n;
            ptr::write_volatile(self.countdown.get(), left);
            left <= 0
        }
    }

    fn countdown(&self) -> c_int {
        // SAFETY: as in `tick()`.
        unsafe { ptr::read_volatile(self.countdown.get()) }
    }

    fn set_countdown(&self, left: c_int) {
        // SAFETY: as in `tick()`.
        unsafe { ptr::write_volatile(self.countdown.get(), left) }
    }

    fn armed(&self) -> bool {
        // SAFETY: only this CPU touches `armed`, with its timer's callback
        // (hard-irq) nesting over the other users.
        unsafe { ptr::read_volatile(self.armed.get()) }
    }

    fn set_armed(&self, armed: bool) {
        // SAFETY: as in `armed()`.
        unsafe { ptr::write_volatile(self.armed.get(), armed) }
    }

    /// Has this CPU's timer started unless it runs already.
    ///
    /// Through the glue's irq_work, not `hrtimer_start()` here: the run may
    /// hold the CPU's timer base lock (a program on a tracepoint inside
    /// the hrtimer code) or be in NMI.
    fn arm(&self) {
        if self.armed() {
            return;
        }
        self.set_armed(true);
        // SAFETY: queues this CPU's irq_work; safe in any context.
        unsafe { bindings::bpf_wd_arm_timer() };
    }

    /// Starts the timer: the irq_work queued by [`Watch::arm`], in
    /// hard-irq context on this CPU, with no lock held.
    fn start(&'static self) {
        let run = record::current_run();
        let budget = if run.is_null() {
            budget::of_class(bindings::bpf_wd_class_BPF_WD_CLASS_DEFAULT)
        } else {
            own_budget(run).0
        };
        // SAFETY: the `Watch` is per-CPU memory that is never freed, and
        // this is this CPU's (the timer is pinned to the CPU that starts it).
        unsafe { <Self as HasHrTimer<Self>>::start(self, period(budget)) };
    }
}

impl HrTimerCallback for Watch {
    type Pointer<'a> = Pin<&'a Watch>;

    fn run(this: Pin<&Watch>, mut ctx: HrTimerCallbackContext<'_, Self>) -> HrTimerRestart {
        let this = this.get_ref();
        // A timer whose CPU went offline was migrated: it has nothing to
        // watch here, where this CPU's own timer does the work.
        if !this_cpu().is_some_and(|w| ptr::eq(w, this)) {
            this.set_armed(false);
            return HrTimerRestart::NoRestart;
        }
        let run = record::current_run();
        if run.is_null() {
            // Nothing runs: stay quiet until the next check arms us again.
            this.set_armed(false);
            return HrTimerRestart::NoRestart;
        }
        let look = look(run, clock());
        if look.cancelled_now {
            this.set_countdown(0);
        }
        ctx.forward_now(period(look.budget));
        HrTimerRestart::Restart
    }
}

/// The timer period for `budget`: a quarter of it, so an interruptible run
/// is cancelled between 1 and 1.25 budgets after its stamp, and the stamp is
/// at most one period late.
fn period(budget: Budget) -> Delta {
    Delta::from_nanos((budget.as_ns() / 4).max(25_000) as i64)
}

/// The per-CPU watchdogs, allocated once at boot.
static WATCHES: AtomicPtr<c_void> = AtomicPtr::new(ptr::null_mut());

/// Runs killed since boot.
static KILLS: AtomicU64 = AtomicU64::new(0);

/// The current CPU's watchdog, if they exist yet.
///
/// Callers run migrate-disabled or in an interrupt (every BPF run does), so
/// the CPU does not change under them.
fn this_cpu() -> Option<&'static Watch> {
    let p = WATCHES.load(Ordering::Relaxed);
    if p.is_null() {
        return None;
    }
    // SAFETY: `p` is the `alloc_percpu()` pointer from `init()`, initialised
    // and never freed.
    Some(unsafe { &*bindings::this_cpu_ptr(p).cast::<Watch>() })
}

/// Allocates and initialises the per-CPU watchdogs.
pub(crate) fn init() -> Result {
    // SAFETY: plain allocation, zeroed: countdown 0 (the first point on a
    // CPU checks), not armed; the timers are initialised below.
    let p = unsafe {
        bindings::__alloc_percpu(
            core::mem::size_of::<Watch>(),
            core::mem::align_of::<Watch>(),
        )
    };
    if p.is_null() {
        return Err(ENOMEM);
    }
    // SAFETY: `nr_cpu_ids` is set before initcalls run.
    let nr_cpus = unsafe { bindings::nr_cpu_ids };
    for cpu in 0..nr_cpus {
        // SAFETY: reading the possible mask, fixed at boot.
        if !unsafe {
            bindings::cpumask_test_cpu(cpu as c_int, &raw mut bindings::__cpu_possible_mask)
        } {
            continue;
        }
        // SAFETY: `cpu` is possible, so its instance exists; the memory is
        // never freed or moved, which is what pinning requires.
        let timer =
            unsafe { ptr::addr_of_mut!((*bindings::per_cpu_ptr(p, cpu).cast::<Watch>()).timer) };
        // SAFETY: as above; `hrtimer_setup()` initialises the slot in place.
        unsafe { pin_init::raw_init(timer, HrTimer::<Watch>::new()) };
    }
    WATCHES.store(p, Ordering::Release);
    // SAFETY: written once, before any program can be loaded; the verifier
    // reads it to inline the countdown.  `countdown` is the first field of
    // the `repr(C)` `Watch`.
    unsafe { bindings::bpf_wd_countdown = p.cast() };
    Ok(())
}

fn flags(run: *mut bindings::bpf_wd_run) -> u32 {
    // SAFETY: callers pass the current task's innermost run, live while we
    // run in its context or in an interrupt over it.
    unsafe { ptr::read_volatile(&raw const (*run).flags) }
}

fn set_flags(run: *mut bindings::bpf_wd_run, flags: u32) {
    // SAFETY: as in `flags()`.  The run's context and the timer over it can
    // both set bits; a bit lost to that race is set again by the next
    // check or tick, because both re-derive it from the stamp.
    unsafe { ptr::write_volatile(&raw mut (*run).flags, flags) }
}

/// Stamps `run` if nobody has yet, and cancels it if it is past `budget`;
/// `true` if this call cancelled it.
fn observe(run: *mut bindings::bpf_wd_run, now: u64, budget: Budget) -> bool {
    // SAFETY: as in `flags()`.
    let stamp = unsafe { ptr::read_volatile(&raw const (*run).stamp) };
    if stamp == 0 {
        // SAFETY: as in `flags()`.
        unsafe { ptr::write_volatile(&raw mut (*run).stamp, now) };
        return false;
    }
    let f = flags(run);
    if f & bindings::BPF_WD_RUN_CANCELLED != 0 || !budget.expired(stamp, now) {
        return false;
    }
    set_flags(run, f | bindings::BPF_WD_RUN_CANCELLED);
    true
}

/// What [`look`] found.
struct Look {
    /// The budget the run has now.
    budget: Budget,
    /// Where it comes from (`BPF_WD_BUDGET_*`).
    src: u32,
    /// This look cancelled the run.
    cancelled_now: bool,
}

/// The budget `run` was given when it was stamped, and where it came from.
fn own_budget(run: *mut bindings::bpf_wd_run) -> (Budget, u32) {
    // SAFETY: as in `flags()`.
    let us = unsafe { ptr::read_volatile(&raw const (*run).budget_us) };
    let src = if flags(run) & bindings::BPF_WD_RUN_PROG_BUDGET != 0 {
        bindings::BPF_WD_BUDGET_PROG
    } else {
        bindings::BPF_WD_BUDGET_CLASS
    };
    (
        Budget::from_us(u64::from(us)).unwrap_or(Budget::DEFAULT),
        src,
    )
}

/// Looks at `run` at `now`: gives it its budget when it is seen for the
/// first time, notes how long it has run, and cancels it if it is past the
/// budget it has now (see [`budget::effective`]).
fn look(run: *mut bindings::bpf_wd_run, now: u64) -> Look {
    // SAFETY: as in `flags()`; `prog` does not change during the run.
    let (prog, stamp) = unsafe { ((*run).prog, ptr::read_volatile(&raw const (*run).stamp)) };
    if stamp == 0 {
        let (budget, src) = budget::initial(prog);
        // SAFETY: as in `flags()`.
        unsafe { ptr::write_volatile(&raw mut (*run).budget_us, budget.as_us() as u32) };
        if src == bindings::BPF_WD_BUDGET_PROG {
            set_flags(run, flags(run) | bindings::BPF_WD_RUN_PROG_BUDGET);
        }
        observe(run, now, budget);
        return Look {
            budget,
            src,
            cancelled_now: false,
        };
    }
    note_run_time(prog, now.saturating_sub(stamp));
    let (own, src) = own_budget(run);
    let (budget, src) = budget::effective(run, own, src);
    Look {
        budget,
        src,
        cancelled_now: observe(run, now, budget),
    }
}

/// The `wd` state of `prog`.
fn wd(prog: *const bindings::bpf_prog) -> *mut bindings::bpf_wd_prog {
    // SAFETY: `prog` is a running program, so its aux is live.
    unsafe { &raw mut (*(*prog).aux).wd }
}

/// Raises `prog`'s longest run seen to `ran_ns` if that is longer.
fn note_run_time(prog: *const bindings::bpf_prog, ran_ns: u64) {
    // SAFETY: an `atomic64_t` of a live program.
    let max = unsafe { &raw mut (*wd(prog)).max_run_ns };
    // SAFETY: as above.
    let mut old = unsafe { bindings::atomic64_read(max) };
    while (old as u64) < ran_ns {
        // SAFETY: as above; `old` is updated on failure.
        if unsafe { bindings::atomic64_try_cmpxchg(max, &mut old, ran_ns as i64) } {
            break;
        }
    }
}

/// The `cancel` hook of the generated wrappers: one cancellation point.
///
/// Returns `true` when the caller must stop (end its iteration): its run
/// is cancelled but cannot be killed from here.  When the run can be
/// killed, this does not return.
pub(crate) fn point() -> bool {
    match this_cpu() {
        Some(w) if w.tick() => check(w),
        _ => false,
    }
}

/// A cancellation point that never kills, for code that runs below a C
/// frame of its own run (a callback trampoline under the helper that
/// drives it): `true` when the run is cancelled and the caller must stop.
/// The kill then happens at the run's next [`point`].
fn stop() -> bool {
    match this_cpu() {
        Some(w) if w.tick() => matches!(verdict(w, clock()), Verdict::Stop(_)),
        _ => false,
    }
}

/// What a check found.
enum Verdict {
    /// No run, or within its budget, or report mode.
    Go,
    /// Cancelled, in enforce mode: the run must stop.  With the budget it
    /// overran and where that came from.
    Stop((Budget, u32)),
}

/// Now, on the clock budgets are counted in.
fn clock() -> u64 {
    // SAFETY: a plain, NMI-safe clock read.
    unsafe { bindings::ktime_get_mono_fast_ns() }
}

/// The slow path of a cancellation point: read the clock, stamp or cancel
/// the current run, and kill it if it is cancelled.
fn check(w: &'static Watch) -> bool {
    let now = clock();
    match verdict(w, now) {
        Verdict::Go => false,
        Verdict::Stop(budget) => {
            kill(record::current_run(), now, budget);
            true
        }
    }
}

/// The clock check of a cancellation point at `now`: stamps or cancels the
/// current run, reports an overrun in report mode, and says whether the
/// run must stop (enforce mode).
fn verdict(w: &'static Watch, now: u64) -> Verdict {
    w.set_countdown(CHECK_EVERY);
    let run = record::current_run();
    if run.is_null() {
        return Verdict::Go;
    }
    let look = look(run, now);
    if flags(run) & bindings::BPF_WD_RUN_CANCELLED == 0 {
        // Still within budget; let the timer keep an eye on it.
        w.arm();
        return Verdict::Go;
    }
    if budget::mode() != Mode::Enforce {
        // Report mode: say so once, and let the run go on.
        report_once(run, now, (look.budget, look.src));
        return Verdict::Go;
    }
    // Every later point of this run comes back here until it is gone.
    w.set_countdown(0);
    Verdict::Stop((look.budget, look.src))
}

/// A `bpf_res_spin_lock()` (or any rqspinlock) wait of the current run,
/// checked at `now` by rqspinlock's own periodic timeout check: `true` if
/// the run is cancelled and the wait must give up (`-ETIMEDOUT`).  The lock
/// is not taken, so the run holds nothing more, and its next cancellation
/// point kills it.
pub(crate) fn lock_wait(now: u64) -> bool {
    this_cpu().is_some_and(|w| matches!(verdict(w, now), Verdict::Stop(_)))
}

/// Reports per program and window, before the rest are only counted.
const REPORTS_PER_WINDOW: u32 = 10;
/// The report window, in nanoseconds.
const REPORT_WINDOW_NS: u64 = 5_000_000_000;

/// Whether an overrun of `prog` at `now` may be reported, and if so how
/// many reports were suppressed before it: at most [`REPORTS_PER_WINDOW`]
/// per [`REPORT_WINDOW_NS`] per program, so that a program stopped a
/// million times a second fills neither its stream nor the log.
///
/// The window state is updated without atomics from whichever CPU reports;
/// racing CPUs can let a report or two more through, never fewer.
fn may_report(prog: *const bindings::bpf_prog, now: u64) -> Option<u32> {
    let wd = wd(prog);
    // SAFETY: plain fields of a live program's `wd`, read and written with
    // volatile accesses (see above for the races).
    unsafe {
        let window = ptr::read_volatile(&raw const (*wd).report_window);
        if window == 0 || now.saturating_sub(window) > REPORT_WINDOW_NS {
            ptr::write_volatile(&raw mut (*wd).report_window, now);
            ptr::write_volatile(&raw mut (*wd).reports, 0);
        }
        let n = ptr::read_volatile(&raw const (*wd).reports) + 1;
        ptr::write_volatile(&raw mut (*wd).reports, n);
        let suppressed = ptr::read_volatile(&raw const (*wd).suppressed);
        if n > REPORTS_PER_WINDOW {
            ptr::write_volatile(&raw mut (*wd).suppressed, suppressed.saturating_add(1));
            return None;
        }
        ptr::write_volatile(&raw mut (*wd).suppressed, 0);
        Some(suppressed)
    }
}

/// The kinds a killed run released, newest first, as the report's text:
/// space-separated names, cut short with "..." when they do not fit.
struct Held {
    buf: [u8; 96],
    len: usize,
}

impl Held {
    fn new() -> Self {
        Self {
            buf: [0; 96],
            len: 0,
        }
    }

    fn push(&mut self, name: &str) {
        // Room for a separator and the terminating NUL.
        let room = self.buf.len() - 1;
        let sep = usize::from(self.len > 0);
        if self.len + sep + name.len() > room {
            if !self.buf[..self.len].ends_with(b"...") && self.len + 3 <= room {
                self.buf[self.len..self.len + 3].copy_from_slice(b"...");
                self.len += 3;
            }
            return;
        }
        if sep == 1 {
            self.buf[self.len] = b' ';
        }
        let start = self.len + sep;
        self.buf[start..start + name.len()].copy_from_slice(name.as_bytes());
        self.len = start + name.len();
    }
}

/// Reports what happened to `run`'s overrun of `budget`: counts it against
/// its program, and tells user space: the tracepoint every time, the
/// stream and the log rate limited (see [`may_report`]).
fn report(
    run: *mut bindings::bpf_wd_run,
    now: u64,
    (budget, src): (Budget, u32),
    killed: bool,
    released: u32,
    held: &Held,
    ip: u64,
) {
    // SAFETY: as in `flags()`; `prog` does not change during the run and
    // `stamp` was set by `look()`.
    let (prog, stamp) = unsafe { ((*run).prog, (*run).stamp) };
    let ran_ns = now.saturating_sub(stamp);
    note_run_time(prog, ran_ns);
    // SAFETY: `atomic64_t`s of a live program.
    unsafe {
        if killed {
            bindings::atomic64_inc(&raw mut (*wd(prog)).killed);
        } else {
            bindings::atomic64_inc(&raw mut (*wd(prog)).overruns);
        }
    }
    let suppressed = may_report(prog, now);
    // SAFETY: all-zero is a valid `bpf_wd_report`; the fields follow.
    let mut r: bindings::bpf_wd_report = unsafe { core::mem::zeroed() };
    r.prog = prog;
    r.ran_ns = ran_ns;
    r.budget_ns = budget.as_ns();
    r.ip = ip;
    r.class = budget::class(prog);
    r.budget_src = src;
    r.released = released;
    r.suppressed = suppressed.unwrap_or(0);
    r.quiet = suppressed.is_none();
    r.killed = killed;
    for (d, s) in r.held.iter_mut().zip(&held.buf[..held.len]) {
        *d = *s as c_char;
    }
    // SAFETY: `r` is complete, and its program is live.
    unsafe { bindings::bpf_wd_report(&r) };
}

/// Reports an overrun of `run` that is not killed, once per run.
fn report_once(run: *mut bindings::bpf_wd_run, now: u64, budget: (Budget, u32)) {
    let f = flags(run);
    if f & bindings::BPF_WD_RUN_REPORTED != 0 {
        return;
    }
    set_flags(run, f | bindings::BPF_WD_RUN_REPORTED);
    // Only for `ip`, where the program is: one stack walk per report.
    // SAFETY: all-zero is a valid, empty `bpf_wd_unwind`.
    let mut uw: bindings::bpf_wd_unwind = unsafe { core::mem::zeroed() };
    // SAFETY: `uw` is valid for writes.
    unsafe { bindings::bpf_wd_unwind_prepare(&mut uw) };
    report(run, now, budget, false, 0, &Held::new(), uw.ip);
}

/// Kills the current run `run`, which is cancelled, if it can be unwound
/// from here; returns if it cannot.
fn kill(run: *mut bindings::bpf_wd_run, now: u64, budget: (Budget, u32)) {
    // SAFETY: as in `flags()`; `prog` does not change during the run.
    let prog = unsafe { (*run).prog };
    let f = flags(run);
    // SAFETY: all-zero is a valid, empty `bpf_wd_unwind`.
    let mut uw: bindings::bpf_wd_unwind = unsafe { core::mem::zeroed() };
    let killable = f & bindings::BPF_WD_RUN_UNKILLABLE == 0
        // SAFETY: `uw` is valid for writes.
        && unsafe { bindings::bpf_wd_unwind_prepare(&mut uw) };
    if !killable {
        report_once(run, now, budget);
        return;
    }
    let mut held = Held::new();
    let mut args_released = 0;
    let guard = record::NoPreempt::new();
    let released = match guard.record() {
        // SAFETY: this CPU's record; `run` is the current task's innermost
        // run and we are in its context, at a call from its program, which
        // will not run again: nothing it held can be touched after this.
        Some(rec) => unsafe {
            rec.release_all(run, |kind, addr| {
                args_released += u32::from(kind == Kind::ArgRef);
                held.push(kind.name());
                // SAFETY: `prog` is live; the name is NUL-terminated.
                bindings::bpf_wd_trace_release(prog, kind.c_name(), addr as c_ulong)
            })
        },
        None => 0,
    };
    drop(guard);
    KILLS.fetch_add(1, Ordering::Relaxed);
    budget::test_run_killed(prog);
    report(run, now, budget, true, released, &held, uw.ip);
    // SAFETY: as in `flags()`.
    let stamp = unsafe { (*run).stamp };
    // SAFETY: `prog` is the running program.
    let retval = unsafe {
        bindings::bpf_wd_notify_owner(
            prog,
            now.saturating_sub(stamp),
            budget.0.as_ns(),
            abort_value(prog),
            args_released,
        )
    };
    charge(prog);
    // Nothing with a destructor may be live past this point: the frames
    // below are discarded, not returned through.
    // SAFETY: `uw` comes from a successful prepare in this call, and the
    // run holds nothing any more.
    unsafe { bindings::bpf_wd_unwind(&uw, retval) };
    // Not reached: the C side warns if the exception callback returned.
}

/// Counts a kill against `prog`, and quarantines it after
/// `quarantine_after` of them.
fn charge(prog: *const bindings::bpf_prog) {
    let after = budget::quarantine_after();
    // SAFETY: `prog` is the running program, so its aux is live; `kills`
    // is an `atomic_t` because the program may be killed on several CPUs
    // at once.
    let kills = unsafe { bindings::atomic_inc_return(&raw mut (*wd(prog)).kills) };
    if after == 0 || kills as u32 != after {
        return;
    }
    // SAFETY: as above; entry paths read it with `READ_ONCE()`.
    unsafe { ptr::write_volatile(&raw mut (*wd(prog)).quarantined, 1) };
    // SAFETY: as above.
    unsafe { bindings::bpf_wd_report_quarantine(prog, after) };
}

/// What a killed run returns, by program type: fail closed where the value
/// is a decision (drop the packet, deny the operation), 0 elsewhere.
pub(crate) fn abort_value(prog: *const bindings::bpf_prog) -> u64 {
    /// `TC_ACT_SHOT` (`include/uapi/linux/pkt_cls.h`).
    const TC_ACT_SHOT: u64 = 2;
    // SAFETY: `prog` is the running program.
    match unsafe { (*prog).type_ } {
        bindings::bpf_prog_type_BPF_PROG_TYPE_SCHED_CLS
        | bindings::bpf_prog_type_BPF_PROG_TYPE_SCHED_ACT => TC_ACT_SHOT,
        bindings::bpf_prog_type_BPF_PROG_TYPE_LSM => i64::from(EPERM.to_errno()) as u64,
        // XDP_ABORTED, SK_DROP, and "deny" for every cgroup hook are 0;
        // tracing, struct_ops and syscall programs return 0.
        _ => 0,
    }
}

/// Runs killed since boot.
pub(crate) fn kills() -> u64 {
    KILLS.load(Ordering::Relaxed)
}

/// A `bpf_iter_num` loop's iterations between two of its calls into the
/// watchdog (`BPF_WD_ITER_NUM_CHUNK`, include/linux/bpf_watchdog.h).
const CHUNK: i64 = bindings::BPF_WD_ITER_NUM_CHUNK as i64;

/// `struct bpf_iter_num_kern` (kernel/bpf/bpf_iter.c): `next` yields
/// `cur + 1` while that is below `end`; `{0, 0}` once done.
#[repr(C)]
struct IterNum {
    cur: c_int,
    end: c_int,
}

/// The end of the chunk that holds `next`, the next value a loop yields:
/// the first multiple of [`CHUNK`] above it, where the inlined `next`
/// calls [`iter_num_next`].
fn chunk_end(next: i64) -> i64 {
    (next + CHUNK) & !(CHUNK - 1)
}

/// The slow path of the verifier's inlined `bpf_iter_num_new()`, called
/// once it has set the state up: when the range is longer than a chunk, or
/// when taking the range off this CPU's countdown ran it out (or the JIT
/// cannot inline that: then this takes it off).
///
/// A long range is cut into chunks: the state's end becomes the end of
/// the first chunk, and the real end goes into the run's record
/// (`Kind::NumIter`), where [`iter_num_next`] finds it.  With no run, or
/// no room in the record, the range is left whole (a full record made the
/// run unkillable anyway).  When the check finds the run cancelled and it
/// cannot be killed from here, the loop is made empty: iterators end.
///
/// # Safety
///
/// `it` is the `bpf_iter_num` that the inline sequence just initialised.
pub(crate) unsafe fn iter_num_new(it: *mut c_void) {
    let st = it.cast::<IterNum>();
    // SAFETY: the caller guarantees `it`.
    let (cur, end) = unsafe { ((*st).cur, (*st).end) };
    let range = i64::from(end) - i64::from(cur) - 1;
    let Some(w) = this_cpu() else {
        return;
    };
    let due = if range > CHUNK {
        w.tick()
    } else {
        w.countdown() <= 0 || w.tick_by(range as c_int)
    };
    if due && check(w) {
        // SAFETY: as above; an empty range, as `bpf_iter_num_new()` leaves
        // one.
        unsafe { (*st).end = cur + 1 };
        return;
    }
    if range <= CHUNK {
        return;
    }
    let run = record::current_run();
    if run.is_null() {
        return;
    }
    // SAFETY: `run` is the current task's innermost run.
    if unsafe { record::acquired_by(run, Kind::NumIter, it as usize, end as usize) } {
        // SAFETY: as above; `chunk_end(cur + 1) < end`, since the range is
        // longer than a chunk.
        unsafe { (*st).end = chunk_end(i64::from(cur) + 1) as c_int };
    }
}

/// The slow path of the verifier's inlined `bpf_iter_num_next()`, called
/// where the next value would be the state's end and that end is a
/// multiple of [`CHUNK`]: the end of a chunk, or a real end.
///
/// At a chunk's end the chunk's iterations are counted (and the run
/// checked, and killed if it overran), and the end moves on to the next
/// chunk's, or to the real end for the last chunk, whose record entry then
/// goes.  A real end ends the loop as the inline sequence would.
///
/// # Safety
///
/// `it` is the iterator the verifier checked for the inlined call.
pub(crate) unsafe fn iter_num_next(it: *mut c_void) -> *mut c_int {
    let st = it.cast::<IterNum>();
    // SAFETY: the caller guarantees `it`.
    let next = i64::from(unsafe { (*st).cur }) + 1;
    let run = record::current_run();
    let real_end = if run.is_null() {
        None
    } else {
        record::aux_of(run, Kind::NumIter, it as usize).map(|e| i64::from(e as c_int))
    };
    let Some(real_end) = real_end.filter(|&e| next < e) else {
        if real_end.is_some() {
            // Not a chunk's end after all (never, by construction).
            record::released(Some(Kind::NumIter), it as usize);
        }
        // SAFETY: as above; what the inline sequence does at the end.
        unsafe { *st = IterNum { cur: 0, end: 0 } };
        return ptr::null_mut();
    };
    if this_cpu().is_some_and(|w| w.tick_by(CHUNK as c_int) && check(w)) {
        // Cancelled under a helper's callback: the iterator ends here (its
        // entry goes with `bpf_iter_num_destroy()`).
        return ptr::null_mut();
    }
    let mut end = chunk_end(next);
    if end >= real_end {
        end = real_end;
        record::released(Some(Kind::NumIter), it as usize);
    }
    // SAFETY: as above.
    unsafe {
        *st = IterNum {
            cur: next as c_int,
            end: end as c_int,
        }
    };
    // SAFETY: as above; `next` returns a pointer to `cur`.
    unsafe { &raw mut (*st).cur }
}

/// `bpf_iter_num_destroy()` of a loop whose state's end is a multiple of
/// [`CHUNK`]: if the loop was left in a chunk before its last, its record
/// entry goes.
///
/// # Safety
///
/// `it` is the iterator the verifier checked for the inlined call.
pub(crate) unsafe fn iter_num_destroy(it: *mut c_void) {
    record::released(Some(Kind::NumIter), it as usize);
}

/// The glue's irq_work: start this CPU's timer.
pub(crate) fn timer_start() {
    if let Some(w) = this_cpu() {
        w.start();
    }
}

/// Timed `may_goto`'s check (`bpf_check_timed_may_goto()`, every 65535
/// iterations of a `may_goto` loop) is a cancellation point: the run is
/// killed here, or, where it cannot be, the loop ends.
pub(crate) fn may_goto() -> bool {
    this_cpu().is_some_and(check)
}

extern "C" {
    /// The real `bpf_loop()` helper (kernel/bpf/bpf_iter.c), for its address.
    fn bpf_loop(nr_loops: u64, callback_fn: u64, callback_ctx: u64, flags: u64) -> u64;
}

/// `BPF_MAX_LOOPS` (include/linux/bpf.h): `bpf_loop()`'s iteration limit.
const BPF_MAX_LOOPS: u64 = 8 * 1024 * 1024;

/// The watchdog's `bpf_loop()`: the helper's loop with a cancellation point
/// before every call of the callback.
///
/// The callback runs below this C-ABI frame, so its own cancellation
/// points cannot unwind it; they end its iterators instead, and the run is
/// killed here, between two calls, where only BPF frames lie below.  The
/// verifier's inlined `bpf_loop()` (a constant callback and flags) needs
/// none of this: it calls the callback from BPF code, which unwinds.
///
/// # Safety
///
/// Only BPF programs call this, with arguments the verifier checked against
/// `bpf_loop_proto`; `callback_fn` is a BPF function with the
/// `bpf_callback_t` ABI.
unsafe extern "C" fn loop_(nr_loops: u64, callback_fn: u64, callback_ctx: u64, flags: u64) -> u64 {
    // Keep in sync with bpf_loop(): same checks, same return values.
    let nr_loops = u64::from(nr_loops as u32);
    if flags != 0 {
        return i64::from(EINVAL.to_errno()) as u64;
    }
    if nr_loops > BPF_MAX_LOOPS {
        return i64::from(E2BIG.to_errno()) as u64;
    }
    // SAFETY: the verifier checked that `callback_fn` is a BPF subprogram
    // of the calling program, which has this ABI.
    let callback: extern "C" fn(u64, u64, u64, u64, u64) -> u64 =
        unsafe { core::mem::transmute(callback_fn as usize) };
    for i in 0..nr_loops {
        if point() {
            // Cancelled, and this call is itself under a helper's
            // callback: stop iterating, as an iterator would.
            return i;
        }
        if callback(i, callback_ctx, 0, 0, 0) != 0 {
            return i + 1;
        }
    }
    nr_loops
}

/// The `bpf_callback_t` ABI of BPF callbacks: five `u64` in, one out.
type BpfCallback = extern "C" fn(u64, u64, u64, u64, u64) -> u64;

/// A BPF callback and its context, as a program passed them to a helper
/// that drives callbacks.  The watchdog's wrapper of the helper passes a
/// trampoline instead, with a pointer to this as the callback context; the
/// trampoline is a cancellation point before each call of the callback.
struct Callback {
    func: BpfCallback,
    ctx: u64,
}

impl Callback {
    /// # Safety
    ///
    /// `func` is a BPF subprogram the verifier checked as a callback of the
    /// helper the caller wraps: it has the `bpf_callback_t` ABI.
    unsafe fn new(func: u64, ctx: u64) -> Self {
        // SAFETY: the caller guarantees `func` is a function of this ABI.
        let func = unsafe { core::mem::transmute::<usize, BpfCallback>(func as usize) };
        Self { func, ctx }
    }

    /// The callback context to give the helper with a trampoline.
    fn as_ctx(&self) -> u64 {
        ptr::from_ref(self) as u64
    }

    /// The callback a trampoline was given, unless the run must stop.
    ///
    /// # Safety
    ///
    /// `ctx` is [`Callback::as_ctx`] of a `Callback` that outlives the
    /// helper call that called the trampoline.
    unsafe fn next<'a>(ctx: u64) -> Option<&'a Self> {
        if stop() {
            // The run overran: no more calls.  It is killed when the helper
            // returns, in the wrapper, where only BPF frames lie below.
            return None;
        }
        // SAFETY: the caller guarantees the pointer.
        Some(unsafe { &*(ctx as *const Self) })
    }
}

extern "C" {
    /// The real helpers (kernel/bpf/), for their addresses and to call.
    fn bpf_for_each_map_elem(map: u64, callback_fn: u64, callback_ctx: u64, flags: u64) -> u64;
    fn bpf_find_vma(task: u64, start: u64, callback_fn: u64, callback_ctx: u64, flags: u64) -> u64;
    fn bpf_user_ringbuf_drain(map: u64, callback_fn: u64, callback_ctx: u64, flags: u64) -> u64;
}

/// Trampoline of `bpf_for_each_map_elem()`: the context is the 4th
/// argument, and 1 ends the walk.
extern "C" fn map_elem_cb(map: u64, key: u64, value: u64, ctx: u64, _: u64) -> u64 {
    // SAFETY: `for_each_map_elem()` passes its `Callback` as the context.
    match unsafe { Callback::next(ctx) } {
        Some(cb) => (cb.func)(map, key, value, cb.ctx, 0),
        None => 1,
    }
}

/// Trampoline of `bpf_find_vma()`: the context is the 3rd argument; the
/// callback's return value is ignored.
extern "C" fn vma_cb(task: u64, vma: u64, ctx: u64, _: u64, _: u64) -> u64 {
    // SAFETY: `find_vma()` passes its `Callback` as the context.
    match unsafe { Callback::next(ctx) } {
        Some(cb) => (cb.func)(task, vma, cb.ctx, 0, 0),
        None => 0,
    }
}

/// Trampoline of `bpf_user_ringbuf_drain()`: the context is the 2nd
/// argument, and 1 ends the drain (the remaining samples stay queued).
extern "C" fn user_ringbuf_cb(dynptr: u64, ctx: u64, _: u64, _: u64, _: u64) -> u64 {
    // SAFETY: `user_ringbuf_drain()` passes its `Callback` as the context.
    match unsafe { Callback::next(ctx) } {
        Some(cb) => (cb.func)(dynptr, cb.ctx, 0, 0, 0),
        None => 1,
    }
}

/// Runs a helper that drives callbacks with `tramp` in place of the
/// program's callback `func`, and kills the run here if it overran during
/// the helper: `helper` gets the trampoline and the context to pass it.
///
/// The helper holds its own locks while the callback runs (RCU and migrate
/// off for `bpf_for_each_map_elem()`, the `mmap_lock` for `bpf_find_vma()`,
/// the ring's busy bit for `bpf_user_ringbuf_drain()`), so the run is not
/// killed inside it: the trampoline stops calling, the helper cleans up and
/// returns, and the kill happens here, with only BPF frames below.
///
/// # Safety
///
/// `func` is the callback the verifier checked for the helper `helper`
/// calls, and `tramp` reads its context as this function's [`Callback`].
unsafe fn drive(
    func: u64,
    ctx: u64,
    tramp: BpfCallback,
    helper: impl FnOnce(u64, u64) -> u64,
) -> u64 {
    // SAFETY: the caller guarantees `func`.
    let cb = unsafe { Callback::new(func, ctx) };
    let ret = helper(tramp as usize as u64, cb.as_ctx());
    let _ = point();
    ret
}

/// The watchdog's `bpf_for_each_map_elem()`.
///
/// # Safety
///
/// Only BPF programs call this, with arguments the verifier checked against
/// `bpf_for_each_map_elem_proto`.
unsafe extern "C" fn for_each_map_elem(map: u64, func: u64, ctx: u64, flags: u64) -> u64 {
    // SAFETY: the verifier checked `func` as this helper's callback, and
    // the helper is called as the program called it, but for the callback
    // (same ABI) and its context (only the trampoline reads it).
    unsafe {
        drive(func, ctx, map_elem_cb, |tramp, cb| {
            bpf_for_each_map_elem(map, tramp, cb, flags)
        })
    }
}

/// The watchdog's `bpf_find_vma()`.
///
/// # Safety
///
/// As for [`for_each_map_elem`], against `bpf_find_vma_proto`.
unsafe extern "C" fn find_vma(task: u64, start: u64, func: u64, ctx: u64, flags: u64) -> u64 {
    // SAFETY: as in `for_each_map_elem()`.
    unsafe {
        drive(func, ctx, vma_cb, |tramp, cb| {
            bpf_find_vma(task, start, tramp, cb, flags)
        })
    }
}

/// The watchdog's `bpf_user_ringbuf_drain()`.
///
/// # Safety
///
/// As for [`for_each_map_elem`], against `bpf_user_ringbuf_drain_proto`.
unsafe extern "C" fn user_ringbuf_drain(map: u64, func: u64, ctx: u64, flags: u64) -> u64 {
    // SAFETY: as in `for_each_map_elem()`.
    unsafe {
        drive(func, ctx, user_ringbuf_cb, |tramp, cb| {
            bpf_user_ringbuf_drain(map, tramp, cb, flags)
        })
    }
}

/// The wrapper of a helper that this module implements, or `None`.
pub(crate) fn redirect(addr: *const c_void) -> Option<*const c_void> {
    let ours: [(*const c_void, *const c_void); 4] = [
        (bpf_loop as *const c_void, loop_ as *const c_void),
        (
            bpf_for_each_map_elem as *const c_void,
            for_each_map_elem as *const c_void,
        ),
        (bpf_find_vma as *const c_void, find_vma as *const c_void),
        (
            bpf_user_ringbuf_drain as *const c_void,
            user_ringbuf_drain as *const c_void,
        ),
    ];
    ours.iter()
        .find(|(orig, _)| *orig == addr)
        .map(|(_, wrapper)| *wrapper)
}

#[cfg(CONFIG_BPF_WATCHDOG_KUNIT_TEST)]
#[kunit_tests(bpf_watchdog_cancel)]
mod tests {
    use super::*;

    fn new_run() -> bindings::bpf_wd_run {
        // SAFETY: all-zero is a valid, empty run frame.
        unsafe { core::mem::zeroed() }
    }

    #[test]
    fn a_run_is_stamped_then_cancelled_once_past_its_budget() {
        let budget = Budget::from_us(100).unwrap();
        let mut run = new_run();
        let r = ptr::from_mut(&mut run);
        // First sight: stamped, never cancelled, whatever the time.
        assert!(!observe(r, 5_000, budget));
        assert_eq!(run.stamp, 5_000);
        // Within budget, and exactly at it: not cancelled.
        assert!(!observe(r, 5_000 + 50_000, budget));
        assert!(!observe(r, 5_000 + 100_000, budget));
        assert_eq!(run.flags & bindings::BPF_WD_RUN_CANCELLED, 0);
        // Past it: cancelled, once; the stamp does not move.
        assert!(observe(r, 5_000 + 100_001, budget));
        assert!(!observe(r, 5_000 + 200_000, budget));
        assert_ne!(run.flags & bindings::BPF_WD_RUN_CANCELLED, 0);
        assert_eq!(run.stamp, 5_000);
    }

    #[test]
    fn a_lost_cancel_bit_is_set_again() {
        let budget = Budget::from_us(100).unwrap();
        let mut run = new_run();
        let r = ptr::from_mut(&mut run);
        observe(r, 1, budget);
        assert!(observe(r, 200_000, budget));
        // The run's own read-modify-write of its flags raced with the
        // timer and lost the bit: the next look sets it again.
        run.flags = 0;
        assert!(observe(r, 200_001, budget));
    }

    #[test]
    fn timer_period_is_a_quarter_budget_and_at_least_25us() {
        assert_eq!(period(Budget::DEFAULT), Delta::from_nanos(62_500_000));
        assert_eq!(
            period(Budget::from_us(100).unwrap()),
            Delta::from_nanos(25_000)
        );
    }

    #[test]
    fn abort_values_fail_closed() {
        // SAFETY: all-zero is a valid `bpf_prog` for reading its type.
        let mut prog: bindings::bpf_prog = unsafe { core::mem::zeroed() };
        let mut value = |t| {
            prog.type_ = t;
            abort_value(&prog)
        };
        assert_eq!(value(bindings::bpf_prog_type_BPF_PROG_TYPE_SCHED_CLS), 2);
        assert_eq!(value(bindings::bpf_prog_type_BPF_PROG_TYPE_SCHED_ACT), 2);
        assert_eq!(value(bindings::bpf_prog_type_BPF_PROG_TYPE_XDP), 0);
        assert_eq!(value(bindings::bpf_prog_type_BPF_PROG_TYPE_CGROUP_SKB), 0);
        assert_eq!(value(bindings::bpf_prog_type_BPF_PROG_TYPE_KPROBE), 0);
        assert_eq!(
            value(bindings::bpf_prog_type_BPF_PROG_TYPE_LSM) as i64,
            i64::from(EPERM.to_errno())
        );
    }

    #[test]
    fn chunk_ends_are_the_next_multiple_of_the_chunk() {
        assert_eq!(CHUNK, 128);
        assert_eq!(chunk_end(0), 128);
        assert_eq!(chunk_end(127), 128);
        assert_eq!(chunk_end(128), 256);
        assert_eq!(chunk_end(-300), -256);
        assert_eq!(chunk_end(-129), -128);
        assert_eq!(chunk_end(-128), 0);
        assert_eq!(chunk_end(-1), 0);
        // Past `i32::MAX`: the caller ends the loop at its real end first.
        assert_eq!(chunk_end(i64::from(i32::MAX)), 1 << 31);
    }

    #[test]
    fn iter_num_outside_a_run_is_bpf_iter_num() {
        // Outside a run nothing is cut into chunks and nothing recorded:
        // the state is what the inline `bpf_iter_num_new()` left.
        let mut st = IterNum {
            cur: -1,
            end: 100_000,
        };
        let it = ptr::from_mut(&mut st).cast::<c_void>();
        // SAFETY: `it` points to a live `IterNum`.
        unsafe { iter_num_new(it) };
        assert_eq!((st.cur, st.end), (-1, 100_000));
        // At a real end on a multiple of the chunk, `next` ends the loop
        // as the inline sequence does.
        st = IterNum { cur: 255, end: 256 };
        // SAFETY: as above.
        assert!(unsafe { iter_num_next(it) }.is_null());
        assert_eq!((st.cur, st.end), (0, 0));
        // SAFETY: as above; nothing to drop.
        unsafe { iter_num_destroy(it) };
    }

    extern "C" fn stop_at_3(i: u64, ctx: u64, _: u64, _: u64, _: u64) -> u64 {
        // SAFETY: the test passes a pointer to a `u64` as the context.
        unsafe { *(ctx as *mut u64) += 1 };
        u64::from(i == 3)
    }

    #[test]
    fn watchdog_bpf_loop_keeps_bpf_loop_semantics() {
        let mut calls = 0u64;
        let ctx = ptr::from_mut(&mut calls) as u64;
        let cb = stop_at_3 as usize as u64;
        // SAFETY: outside a run, `loop_` is `bpf_loop()`; `cb` has the
        // callback ABI and `ctx` points to a live `u64`.
        unsafe {
            assert_eq!(loop_(10, cb, ctx, 0), 4);
            assert_eq!(calls, 4);
            assert_eq!(loop_(3, cb, ctx, 0), 3);
            assert_eq!(loop_(0, cb, ctx, 0), 0);
            assert_eq!(loop_(10, cb, ctx, 1) as i64, i64::from(EINVAL.to_errno()));
            assert_eq!(
                loop_(BPF_MAX_LOOPS + 1, cb, ctx, 0) as i64,
                i64::from(E2BIG.to_errno())
            );
            // Only the low 32 bits of nr_loops count, as for the helper.
            assert_eq!(loop_((1 << 32) | 2, cb, ctx, 0), 2);
        }
        assert_eq!(calls, 4 + 3 + 2);
    }
}
