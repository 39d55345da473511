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
//! `kernel/bpf/watchdog_glue.c` holds what Rust cannot express (initcalls).

use kernel::prelude::*;

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
    pr_info!(
        "ready on {} CPUs: mode {}, default budget {} us\n",
        nr_cpus,
        Mode::DEFAULT.name(),
        Budget::DEFAULT.as_us()
    );
    0
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
}
