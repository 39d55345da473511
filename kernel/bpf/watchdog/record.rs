// SPDX-License-Identifier: GPL-2.0

//! The held-resource record: what each BPF run on a CPU holds.
//!
//! One [`Record`] per CPU, a bounded array of entries, each tagged with the
//! run frame (`struct bpf_wd_run`) that owns it.  Runs on a CPU interleave in
//! two ways, and the record is built for both:
//!
//! - **Nesting.**  A program in a softirq, hardirq or NMI can start while
//!   another run on the CPU is half-way through a push or a pop.  A nested
//!   run pushes above, and before it returns it has released or purged
//!   everything it pushed, so it leaves `top` no higher than it found it.
//!   Every step below is written so that such an interruption between any
//!   two of its stores leaves a consistent record (see [`Record::push`] and
//!   [`Record::remove`]).
//! - **Preemption.**  A non-sleepable run is migrate-disabled, not
//!   preempt-disabled, so another task can run BPF on this CPU while it is
//!   preempted, holding entries.  Entries of two tasks' runs then interleave;
//!   the tag keeps them apart, and a pop that is not at the top leaves a hole
//!   that is reclaimed when everything above it is gone.  Each operation runs
//!   with preemption disabled, so two tasks never interleave *inside* one.
//!
//! No atomic read-modify-write anywhere: the record is only ever written by
//! its own CPU.  Push and the LIFO pop are O(1); a non-LIFO release scans the
//! run's entries, newest first.

use core::cell::UnsafeCell;
use core::ptr;

use kernel::bindings;
use kernel::prelude::*;

use super::resources::Kind;

/// Entries per CPU.
///
/// The verifier does not bound how many references a program holds at once,
/// but real programs hold a few, and the record is shared by the runs nested
/// on one CPU (task, softirq, hardirq, NMI) and by preempted tasks' runs.  63
/// entries of 32 bytes plus the header make the record 2 KiB per CPU.  A run
/// that does not fit becomes unkillable and says so; nothing is dropped or
/// overwritten silently.
pub(crate) const NR_ENTRIES: usize = 63;

/// One held resource.  A free entry has a null `run`.
#[repr(C)]
#[derive(Clone, Copy)]
struct Entry {
    /// What the release gets back: an object, a lock, an iterator, a slot.
    addr: usize,
    /// Whatever else the release needs (struct meta, IRQ-flags slot), or 0.
    aux: usize,
    /// The run that holds it.
    run: *mut bindings::bpf_wd_run,
    /// A [`Kind`] as `u8`.
    kind: u8,
}

/// Why a push did not record its entry.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Full;

/// Whether an entry of kind `k` answers a release of `kind` (any kind for
/// `None`).  What the run took out of a map (`Kptr`) is released by its own
/// kind's release function: a task by `bpf_task_release()`, ...
#[inline]
fn same_kind(kind: Option<Kind>, k: u8) -> bool {
    match kind {
        Some(kind) => k == kind as u8 || k == Kind::Kptr as u8,
        None => true,
    }
}

/// One CPU's record.
///
/// All-zero is the valid empty record, which is how `alloc_percpu()` hands
/// it out.
#[repr(C)]
pub(crate) struct Record {
    /// Entries below `top` are in use or holes; entries at and above are free.
    top: UnsafeCell<u32>,
    entries: [UnsafeCell<Entry>; NR_ENTRIES],
}

impl Record {
    fn top(&self) -> usize {
        // SAFETY: `top` is only written by this CPU (see the type's docs); a
        // volatile read sees what a nested context left.
        unsafe { ptr::read_volatile(self.top.get()) as usize }
    }

    fn set_top(&self, top: usize) {
        // SAFETY: as in `top()`; `top <= NR_ENTRIES` fits in `u32`.
        unsafe { ptr::write_volatile(self.top.get(), top as u32) }
    }

    // The entries are read and written one field at a time: a nested
    // context may change an entry between two accesses (which the volatile
    // accesses observe), and a whole-entry volatile access would also move
    // the padding, byte by byte, on every scan.

    fn run_at(&self, i: usize) -> *mut bindings::bpf_wd_run {
        // SAFETY: entries are plain data, only written by this CPU.
        unsafe { ptr::read_volatile(&raw const (*self.entries[i].get()).run) }
    }

    fn addr_at(&self, i: usize) -> usize {
        // SAFETY: as in `run_at()`.
        unsafe { ptr::read_volatile(&raw const (*self.entries[i].get()).addr) }
    }

    fn kind_at(&self, i: usize) -> u8 {
        // SAFETY: as in `run_at()`.
        unsafe { ptr::read_volatile(&raw const (*self.entries[i].get()).kind) }
    }

    fn aux_at(&self, i: usize) -> usize {
        // SAFETY: as in `run_at()`.
        unsafe { ptr::read_volatile(&raw const (*self.entries[i].get()).aux) }
    }

    fn entry(&self, i: usize) -> Entry {
        Entry {
            addr: self.addr_at(i),
            aux: self.aux_at(i),
            run: self.run_at(i),
            kind: self.kind_at(i),
        }
    }

    /// Writes `e` into slot `i`, its owner last.
    fn set_entry(&self, i: usize, e: Entry) {
        let p = self.entries[i].get();
        // SAFETY: as in `run_at()`.
        unsafe {
            ptr::write_volatile(&raw mut (*p).addr, e.addr);
            ptr::write_volatile(&raw mut (*p).aux, e.aux);
            ptr::write_volatile(&raw mut (*p).kind, e.kind);
            ptr::write_volatile(&raw mut (*p).run, e.run);
        }
    }

    fn free_entry(&self, i: usize) {
        // SAFETY: as in `run_at()`; clearing only `run` marks the slot free.
        unsafe { ptr::write_volatile(&raw mut (*self.entries[i].get()).run, ptr::null_mut()) }
    }

    /// Records that `run` now holds (`kind`, `addr`, `aux`).
    ///
    /// The entry is written into the slot at `top` first, and `top` raised
    /// over it after.  A context nesting in between (softirq, hardirq, NMI)
    /// finds the same `top`, so it writes its own entry into that slot and,
    /// before it returns, frees it and lowers `top` back: the slot then
    /// holds the nested entry, freed, or, if the nesting came between two
    /// of the push's stores, the nested entry's first fields under the
    /// push's last ones, its owner among them.  So the push checks, once
    /// `top` is raised, that the slot holds exactly its entry, and if not
    /// frees the slot (a hole, reclaimed with the next pop) and pushes again
    /// above.  A context nesting after `top` was raised pushes above it.
    /// No reservation is needed, and nothing a nested context does can
    /// lower `top` below a written entry.
    ///
    /// # Safety
    ///
    /// The caller is on this record's CPU with preemption disabled, or owns
    /// the record outright (tests); `run` points to a live run frame.
    #[inline]
    pub(crate) unsafe fn push(
        &self,
        run: *mut bindings::bpf_wd_run,
        kind: Kind,
        addr: usize,
        aux: usize,
    ) -> Result<(), Full> {
        let e = Entry {
            addr,
            aux,
            run,
            kind: kind as u8,
        };
        loop {
            let top = self.top();
            if top >= NR_ENTRIES {
                return Err(Full);
            }
            self.set_entry(top, e);
            if self.commit(top, &e) {
                break;
            }
            // The nested entry, freed, or a mix of it and ours under our
            // owner: a hole either way, which nothing else writes now.
            self.free_entry(top);
        }
        // SAFETY: the caller guarantees `run` is live; only its own context
        // changes its count.
        unsafe { (*run).nr_held += 1 };
        Ok(())
    }

    /// The second half of a push: raises `top` over `slot`, just written
    /// with `e`; `false` if a nested context took the slot in between.
    ///
    /// The whole entry is compared, not only its owner: a context nesting
    /// between two of the push's stores writes every field and frees the
    /// slot, and the push's remaining stores (the owner last) then leave
    /// the nested entry's first fields under the push's owner.  Once `top`
    /// is raised nothing nested writes the slot, so what is read is final.
    #[inline]
    fn commit(&self, slot: usize, e: &Entry) -> bool {
        self.set_top(slot + 1);
        self.run_at(slot) == e.run
            && self.addr_at(slot) == e.addr
            && self.kind_at(slot) == e.kind
            && self.aux_at(slot) == e.aux
    }

    /// Lowers `top` over the holes left at the top.
    ///
    /// `top` is re-read on every step: a nested context that ran in
    /// between may already have lowered it.
    fn reclaim(&self) {
        loop {
            let top = self.top();
            if top == 0 || !self.run_at(top - 1).is_null() {
                return;
            }
            self.set_top(top - 1);
        }
    }

    /// Finds `run`'s newest entry matching `pred`, newest first.
    fn find(&self, run: *mut bindings::bpf_wd_run, pred: impl Fn(usize) -> bool) -> Option<usize> {
        (0..self.top())
            .rev()
            .find(|&i| self.run_at(i) == run && pred(i))
    }

    /// Forgets `run`'s newest entry of `kind` (of any kind for `None`; an
    /// entry for what came out of a map matches every kind) at `addr`;
    /// `false` if there is none (the push did not fit, or the
    /// resource was acquired before the run was tracked or came from a map).
    ///
    /// The common case, the run's newest entry at the top, is inline: free
    /// the slot, then lower `top` under it.  A context nesting in between
    /// sees a hole at the top and may reclaim it, and more below; lowering
    /// `top` to the slot afterwards then raises it over holes only, which
    /// the reclaim that follows takes back.
    ///
    /// # Safety
    ///
    /// As for [`Record::push`].
    #[inline]
    pub(crate) unsafe fn remove(
        &self,
        run: *mut bindings::bpf_wd_run,
        kind: Option<Kind>,
        addr: usize,
    ) -> bool {
        let top = self.top();
        if top == 0 || top > NR_ENTRIES {
            return false;
        }
        let i = top - 1;
        if self.run_at(i) == run && self.addr_at(i) == addr && same_kind(kind, self.kind_at(i)) {
            self.free_entry(i);
            self.set_top(i);
            if i > 0 && self.run_at(i - 1).is_null() {
                self.reclaim();
            }
            // SAFETY: as in `push()`.
            unsafe { (*run).nr_held -= 1 };
            return true;
        }
        // SAFETY: the caller's guarantees.
        unsafe { self.remove_below(run, kind, addr) }
    }

    /// [`Record::remove`] when the entry is not the top one.
    ///
    /// # Safety
    ///
    /// As for [`Record::push`].
    #[inline(never)]
    unsafe fn remove_below(
        &self,
        run: *mut bindings::bpf_wd_run,
        kind: Option<Kind>,
        addr: usize,
    ) -> bool {
        let Some(i) = self.find(run, |i| {
            same_kind(kind, self.kind_at(i)) && self.addr_at(i) == addr
        }) else {
            return false;
        };
        self.free_entry(i);
        self.reclaim();
        // SAFETY: as in `push()`.
        unsafe { (*run).nr_held -= 1 };
        true
    }

    /// Forgets every entry `run` holds, without releasing anything; returns
    /// how many there were.
    ///
    /// # Safety
    ///
    /// As for [`Record::push`].
    pub(crate) unsafe fn purge(&self, run: *mut bindings::bpf_wd_run) -> u32 {
        // One pass: nothing below `top` changes under us (nested contexts
        // only push above it), and nothing is called that could run BPF.
        let mut n = 0;
        for i in 0..self.top() {
            if self.run_at(i) == run {
                self.free_entry(i);
                n += 1;
            }
        }
        self.reclaim();
        // SAFETY: as in `push()`.
        unsafe { (*run).nr_held = 0 };
        n
    }

    /// Releases everything `run` holds, newest first, by calling each kind's
    /// real release function, and tells `released` about each one after its
    /// release; returns how many were released.  Bookkeeping entries
    /// ([`Kind::is_bookkeeping`]) go too, but are neither told nor counted.
    ///
    /// # Safety
    ///
    /// As for [`Record::push`], and the caller runs in `run`'s own context
    /// (lock-like kinds are context state: RCU nesting, preempt count, IRQ
    /// flags), at a point where the program cannot touch what is released.
    pub(crate) unsafe fn release_all(
        &self,
        run: *mut bindings::bpf_wd_run,
        mut released: impl FnMut(Kind, usize),
    ) -> u32 {
        let mut n = 0;
        while let Some(i) = self.find(run, |_| true) {
            let e = self.entry(i);
            // The entry goes before the release, as in the wrappers.
            self.free_entry(i);
            // SAFETY: `run` is live (caller).
            unsafe { (*run).nr_held -= 1 };
            if let Some(kind) = Kind::from_u8(e.kind) {
                // SAFETY: the entry was made by this kind's acquire for this
                // run, and the caller releases in the run's context.
                unsafe { kind.release(e.addr, e.aux) };
                if !kind.is_bookkeeping() {
                    released(kind, e.addr);
                    n += 1;
                }
            }
        }
        self.reclaim();
        n
    }

    /// Whether `run` holds a resource of a kind `pred` accepts.
    pub(crate) fn holds(
        &self,
        run: *mut bindings::bpf_wd_run,
        pred: impl Fn(Kind) -> bool,
    ) -> bool {
        (0..self.top())
            .any(|i| self.run_at(i) == run && Kind::from_u8(self.kind_at(i)).is_some_and(&pred))
    }

    /// `run`'s `i`-th newest entry, as (kind, addr).
    pub(crate) fn nth(&self, run: *mut bindings::bpf_wd_run, i: usize) -> Option<(u8, usize)> {
        (0..self.top())
            .rev()
            .filter(|&j| self.run_at(j) == run)
            .nth(i)
            .map(|j| (self.kind_at(j), self.addr_at(j)))
    }

    /// Entries in use or left as holes, for tests.
    #[cfg(CONFIG_BPF_WATCHDOG_KUNIT_TEST)]
    pub(crate) fn depth(&self) -> usize {
        self.top()
    }
}

/// The per-CPU records, allocated once at boot.
struct Records(core::sync::atomic::AtomicPtr<c_void>);

static RECORDS: Records = Records(core::sync::atomic::AtomicPtr::new(ptr::null_mut()));

/// Allocates the per-CPU records.
pub(crate) fn init() -> Result {
    // SAFETY: plain allocation; `alloc_percpu()` memory is zeroed, the empty
    // record.
    let p = unsafe {
        bindings::__alloc_percpu(
            core::mem::size_of::<Record>(),
            core::mem::align_of::<Record>(),
        )
    };
    if p.is_null() {
        return Err(ENOMEM);
    }
    RECORDS
        .0
        .store(p.cast(), core::sync::atomic::Ordering::Release);
    Ok(())
}

/// Preemption disabled for as long as it lives.
pub(crate) struct NoPreempt(());

impl NoPreempt {
    pub(crate) fn new() -> Self {
        // SAFETY: always safe; undone by `drop()`.
        unsafe { bindings::preempt_disable() };
        NoPreempt(())
    }

    /// This CPU's record, if the records exist yet.
    pub(crate) fn record(&self) -> Option<&Record> {
        // A plain load: the pointer is written once, at boot, before any
        // program can run.
        let p = RECORDS.0.load(core::sync::atomic::Ordering::Relaxed);
        if p.is_null() {
            return None;
        }
        // SAFETY: `p` is the `alloc_percpu()` pointer from `init()`; with
        // preemption disabled this CPU's instance stays this CPU's for the
        // guard's lifetime, to which the borrow is tied.
        Some(unsafe { &*bindings::this_cpu_ptr(p.cast()).cast::<Record>() })
    }
}

impl Drop for NoPreempt {
    fn drop(&mut self) {
        // SAFETY: pairs with `new()`.
        unsafe { bindings::preempt_enable() };
    }
}

/// The current task's innermost run, or null outside a tracked run.
///
/// An untracked frame (`BPF_WD_RUN_UNTRACKED`: a run that began while the
/// watchdog was off, nested in one that began while it was on) counts as no
/// run: what that run acquires is not recorded, its cancellation points do
/// nothing, and above all neither is taken for the outer run's.
#[inline]
pub(crate) fn current_run() -> *mut bindings::bpf_wd_run {
    // SAFETY: `current` is always a valid task; only this task (and the
    // interrupts that nest on it, which restore it) writes the field.
    let run = unsafe { (*kernel::task::Task::current_raw()).bpf_wd_run };
    // SAFETY: a linked frame is live until its run unlinks it, which the
    // current context either is or nests in.
    if !run.is_null() && unsafe { (*run).flags } & bindings::BPF_WD_RUN_UNTRACKED != 0 {
        return ptr::null_mut();
    }
    run
}

/// The current run, if any, acquired (`kind`, `addr`, `aux`).
pub(crate) fn acquired(kind: Kind, addr: usize, aux: usize) {
    let run = current_run();
    if !run.is_null() {
        // SAFETY: `run` is the current task's innermost run.
        unsafe { acquired_by(run, kind, addr, aux) };
    }
}

/// Wrapper hook: `run` acquired (`kind`, `addr`, `aux`).  The wrappers
/// look the run up once, before the acquire, and skip everything when
/// there is none.  Returns whether the entry was recorded: `false` when
/// the record is full (`run` is unkillable now) or does not exist yet.
///
/// # Safety
///
/// `run` is non-null and [`current_run()`]: the current task's innermost
/// tracked run, live until the run returns.
#[inline]
pub(crate) unsafe fn acquired_by(
    run: *mut bindings::bpf_wd_run,
    kind: Kind,
    addr: usize,
    aux: usize,
) -> bool {
    let guard = NoPreempt::new();
    let Some(rec) = guard.record() else {
        return false;
    };
    // SAFETY: this CPU's record with preemption disabled; `run` is the
    // current task's innermost run, live until the run returns.
    if unsafe { rec.push(run, kind, addr, aux) }.is_err() {
        // SAFETY: as above.
        unsafe { record_full(run) };
        return false;
    }
    true
}

/// The `aux` of `run`'s newest entry of `kind` at `addr`, if it has one.
pub(crate) fn aux_of(run: *mut bindings::bpf_wd_run, kind: Kind, addr: usize) -> Option<usize> {
    let guard = NoPreempt::new();
    let rec = guard.record()?;
    rec.find(run, |i| {
        rec.kind_at(i) == kind as u8 && rec.addr_at(i) == addr
    })
    .map(|i| rec.entry(i).aux)
}

/// A push did not fit: `run` becomes unkillable, and the kernel says so
/// once.
///
/// # Safety
///
/// As for [`make_unkillable()`].
#[cold]
#[inline(never)]
unsafe fn record_full(run: *mut bindings::bpf_wd_run) {
    // SAFETY: the caller's guarantees.
    unsafe { make_unkillable(run) };
    kernel::pr_warn_once!(
        "record full ({} entries): a run cannot be killed\n",
        NR_ENTRIES
    );
}

/// Marks `run` unkillable: it holds something the record cannot give back.
///
/// # Safety
///
/// `run` is the current task's innermost run, live until the run returns;
/// only this context writes its flags now.
unsafe fn make_unkillable(run: *mut bindings::bpf_wd_run) {
    // SAFETY: the caller's guarantees.
    unsafe { (*run).flags |= bindings::BPF_WD_RUN_UNKILLABLE };
}

/// The current run holds something the record cannot give back (`what`):
/// it becomes unkillable, and the kernel says so once.
pub(crate) fn cannot_track(what: &str) {
    let run = current_run();
    if run.is_null() {
        return;
    }
    // SAFETY: the current task's innermost run, in its own context.
    unsafe { make_unkillable(run) };
    kernel::pr_warn_once!("{}: a run cannot be killed\n", what);
}

/// Wrapper hook: the current run released (`kind`, `addr`), or gave it away
/// (`None`: a map or a collection owns it now, whatever its kind).
///
/// Inlined into every release wrapper, where `kind` is a constant: a LIFO
/// release is then a few loads and compares.
#[inline(always)]
pub(crate) fn released(kind: Option<Kind>, addr: usize) {
    let run = current_run();
    if run.is_null() {
        return;
    }
    let guard = NoPreempt::new();
    if let Some(rec) = guard.record() {
        // SAFETY: as in `acquired()`.
        unsafe { rec.remove(run, kind, addr) };
    }
}

#[cfg(CONFIG_BPF_WATCHDOG_KUNIT_TEST)]
#[kunit_tests(bpf_watchdog_record)]
mod tests {
    use super::*;
    use kernel::alloc::KBox;

    fn new_record() -> KBox<Record> {
        // SAFETY: all-zero is the empty record (see `Record`).
        KBox::new(unsafe { core::mem::zeroed() }, GFP_KERNEL).unwrap()
    }

    fn new_run() -> bindings::bpf_wd_run {
        // SAFETY: all-zero is a valid, empty run frame.
        unsafe { core::mem::zeroed() }
    }

    #[test]
    fn push_pop_lifo() {
        let rec = new_record();
        let mut run = new_run();
        let r = ptr::from_mut(&mut run);
        // SAFETY: the test owns the record and the run.
        unsafe {
            assert_eq!(rec.push(r, Kind::TaskRef, 0x1000, 0), Ok(()));
            assert_eq!(rec.push(r, Kind::RcuRead, 0, 0), Ok(()));
            assert_eq!(rec.nth(r, 0), Some((Kind::RcuRead as u8, 0)));
            assert_eq!(rec.nth(r, 1), Some((Kind::TaskRef as u8, 0x1000)));
            assert_eq!(run.nr_held, 2);
            assert!(rec.remove(r, Some(Kind::RcuRead), 0));
            assert!(rec.remove(r, Some(Kind::TaskRef), 0x1000));
        }
        assert_eq!(run.nr_held, 0);
        assert_eq!(rec.depth(), 0);
    }

    /// A nested context that pushes and pops between the write of an entry
    /// and the raise of `top` over it takes the slot: the push must notice
    /// and push again above, or the entry would be lost and never released
    /// by a kill.
    #[test]
    fn nested_push_between_write_and_commit() {
        let rec = new_record();
        let (mut outer, mut inner) = (new_run(), new_run());
        let (o, n) = (ptr::from_mut(&mut outer), ptr::from_mut(&mut inner));
        // SAFETY: the test owns the record and the runs.
        unsafe {
            rec.push(o, Kind::TaskRef, 0x1000, 0).unwrap();
            // The outer push writes slot 1 ...
            let e = Entry {
                addr: 0,
                aux: 0,
                run: o,
                kind: Kind::Preempt as u8,
            };
            rec.set_entry(1, e);
            // ... a nested run pushes into it and pops ...
            rec.push(n, Kind::RcuRead, 0, 0).unwrap();
            assert!(rec.remove(n, Some(Kind::RcuRead), 0));
            assert_eq!(rec.depth(), 1);
            // ... so the commit fails, and the retry lands above.
            assert!(!rec.commit(1, &e));
            rec.free_entry(1);
            rec.set_entry(2, e);
            assert!(rec.commit(2, &e));
            outer.nr_held += 1;
            assert_eq!(rec.nth(o, 0), Some((Kind::Preempt as u8, 0)));
            assert_eq!(rec.nth(o, 1), Some((Kind::TaskRef as u8, 0x1000)));
            assert_eq!(rec.nth(o, 2), None);
            assert!(rec.remove(o, Some(Kind::Preempt), 0));
            // The hole at 1 went with that pop.
            assert_eq!(rec.depth(), 1);
            assert!(rec.remove(o, Some(Kind::TaskRef), 0x1000));
        }
        assert_eq!(rec.depth(), 0);
        assert_eq!(outer.nr_held, 0);
    }

    /// A nested context between two of a push's stores: the push's last
    /// stores, its owner among them, land over the nested entry's first
    /// fields.  The commit sees the mix and the push goes above.
    #[test]
    fn nested_push_inside_the_write() {
        let rec = new_record();
        let (mut outer, mut inner) = (new_run(), new_run());
        let (o, n) = (ptr::from_mut(&mut outer), ptr::from_mut(&mut inner));
        let e = Entry {
            addr: 0x2000,
            aux: 0,
            run: o,
            kind: Kind::IterTaskVma as u8,
        };
        // SAFETY: the test owns the record and the runs.
        unsafe {
            // The outer push stores the address into slot 0 ...
            ptr::write_volatile(&raw mut (*rec.entries[0].get()).addr, e.addr);
            // ... a nested run pushes a `preempt_disable` (address 0) into
            // the same slot and pops it ...
            rec.push(n, Kind::Preempt, 0, 0).unwrap();
            assert!(rec.remove(n, Some(Kind::Preempt), 0));
            assert_eq!(rec.depth(), 0);
            // ... and the outer push's remaining stores follow.
            ptr::write_volatile(&raw mut (*rec.entries[0].get()).aux, e.aux);
            ptr::write_volatile(&raw mut (*rec.entries[0].get()).kind, e.kind);
            ptr::write_volatile(&raw mut (*rec.entries[0].get()).run, e.run);
            // The slot names the outer run but holds the nested address:
            // a kill would release that.  The commit sees it, the push
            // frees the slot and goes above.
            assert_eq!(rec.addr_at(0), 0);
            assert_eq!(rec.run_at(0), o);
            assert!(!rec.commit(0, &e));
            rec.free_entry(0);
            rec.set_entry(1, e);
            assert!(rec.commit(1, &e));
            outer.nr_held += 1;
            assert_eq!(rec.nth(o, 0), Some((Kind::IterTaskVma as u8, 0x2000)));
            assert_eq!(rec.nth(o, 1), None);
            assert!(rec.remove(o, Some(Kind::IterTaskVma), 0x2000));
        }
        assert_eq!(rec.depth(), 0);
        assert_eq!(outer.nr_held, 0);
    }

    /// A nested context between the free of the top entry and the lowering
    /// of `top` reclaims the hole; lowering `top` afterwards must not hide
    /// anything, and the holes below go too.
    #[test]
    fn nested_pop_between_free_and_lower() {
        let rec = new_record();
        let mut run = new_run();
        let r = ptr::from_mut(&mut run);
        // SAFETY: the test owns the record and the run.
        unsafe {
            for a in 1..=3usize {
                rec.push(r, Kind::TaskRef, a, 0).unwrap();
            }
            // A hole at 1 (entry 2 released out of order).
            assert!(rec.remove(r, Some(Kind::TaskRef), 2));
            assert_eq!(rec.depth(), 3);
            // The LIFO pop of 3 frees slot 2; a nested reclaim then lowers
            // `top` to 1; the pop sets it to 2, and reclaims the hole.
            rec.free_entry(2);
            rec.reclaim();
            assert_eq!(rec.depth(), 1);
            rec.set_top(2);
            rec.reclaim();
            assert_eq!(rec.depth(), 1);
            run.nr_held -= 1;
            assert_eq!(rec.nth(r, 0), Some((Kind::TaskRef as u8, 1)));
            assert!(rec.remove(r, Some(Kind::TaskRef), 1));
        }
        assert_eq!(rec.depth(), 0);
        assert_eq!(run.nr_held, 0);
    }

    #[test]
    fn remove_by_address_out_of_order() {
        let rec = new_record();
        let mut run = new_run();
        let r = ptr::from_mut(&mut run);
        // SAFETY: the test owns the record and the run.
        unsafe {
            for a in 1..=3usize {
                rec.push(r, Kind::TaskRef, a, 0).unwrap();
            }
            // The oldest goes first: a hole, the top stays.
            assert!(rec.remove(r, Some(Kind::TaskRef), 1));
            assert_eq!(rec.depth(), 3);
            // Wrong kind or address: nothing happens.
            assert!(!rec.remove(r, Some(Kind::Cpumask), 2));
            // What came out of a map goes with its own kind's release.
            rec.push(r, Kind::Kptr, 8, 0).unwrap();
            assert!(rec.remove(r, Some(Kind::TaskRef), 8));
            assert!(!rec.remove(r, Some(Kind::TaskRef), 7));
            assert!(rec.remove(r, Some(Kind::TaskRef), 3));
            assert_eq!(rec.depth(), 2);
            // Removing the last one reclaims the hole below it too.
            assert!(rec.remove(r, Some(Kind::TaskRef), 2));
        }
        assert_eq!(rec.depth(), 0);
        assert_eq!(run.nr_held, 0);
    }

    #[test]
    fn ownership_given_away_forgets_the_newest_entry_of_any_kind() {
        let rec = new_record();
        let mut run = new_run();
        let r = ptr::from_mut(&mut run);
        // SAFETY: the test owns the record and the run.
        unsafe {
            // Two references to one object, then a lock.
            rec.push(r, Kind::Obj, 0x40, 0x1).unwrap();
            rec.push(r, Kind::Obj, 0x40, 0x2).unwrap();
            rec.push(r, Kind::SpinLock, 0x80, 0).unwrap();
            // One reference goes into a map: the newer entry goes, the
            // older one (still the program's) and the lock stay.
            assert!(rec.remove(r, None, 0x40));
            assert_eq!(rec.nth(r, 0), Some((Kind::SpinLock as u8, 0x80)));
            assert_eq!(rec.nth(r, 1), Some((Kind::Obj as u8, 0x40)));
            assert_eq!(rec.nth(r, 2), None);
            // Something the run never recorded (it came from a map).
            assert!(!rec.remove(r, None, 0xc0));
            assert_eq!(run.nr_held, 2);
            assert_eq!(rec.purge(r), 2);
        }
        assert_eq!(rec.depth(), 0);
    }

    #[test]
    fn entries_belong_to_their_run() {
        let rec = new_record();
        let (mut a, mut b) = (new_run(), new_run());
        let (ra, rb) = (ptr::from_mut(&mut a), ptr::from_mut(&mut b));
        // SAFETY: the test owns the record and the runs.
        unsafe {
            // Two preempting tasks' runs interleave on one CPU.
            rec.push(ra, Kind::TaskRef, 0xa, 0).unwrap();
            rec.push(rb, Kind::TaskRef, 0xa, 0).unwrap();
            rec.push(ra, Kind::RcuRead, 0, 0).unwrap();
            assert_eq!(rec.nth(rb, 0), Some((Kind::TaskRef as u8, 0xa)));
            assert_eq!(rec.nth(rb, 1), None);
            assert_eq!(rec.nth(ra, 1), Some((Kind::TaskRef as u8, 0xa)));
            // Same kind and address, different run: only b's goes.
            assert!(rec.remove(rb, Some(Kind::TaskRef), 0xa));
            assert_eq!(rec.nth(ra, 1), Some((Kind::TaskRef as u8, 0xa)));
            assert_eq!(rec.purge(ra), 2);
        }
        assert_eq!((a.nr_held, b.nr_held), (0, 0));
        assert_eq!(rec.depth(), 0);
    }

    #[test]
    fn full_record_refuses_and_keeps_what_it_has() {
        let rec = new_record();
        let mut run = new_run();
        let r = ptr::from_mut(&mut run);
        // SAFETY: the test owns the record and the run.
        unsafe {
            for a in 0..NR_ENTRIES {
                rec.push(r, Kind::TaskRef, a, 0).unwrap();
            }
            assert_eq!(rec.push(r, Kind::TaskRef, 999, 0), Err(Full));
            assert!(!rec.remove(r, Some(Kind::TaskRef), 999));
            assert_eq!(rec.nth(r, 0), Some((Kind::TaskRef as u8, NR_ENTRIES - 1)));
            assert_eq!(rec.nth(r, NR_ENTRIES - 1), Some((Kind::TaskRef as u8, 0)));
            assert_eq!(rec.purge(r), NR_ENTRIES as u32);
        }
        assert_eq!(rec.depth(), 0);
    }

    #[test]
    fn release_all_gives_back_a_real_task_reference() {
        let rec = new_record();
        let mut run = new_run();
        let r = ptr::from_mut(&mut run);
        let task = kernel::task::Task::current_raw();
        // SAFETY: `current` is a valid task; `rcu_users` is the count that
        // `bpf_task_acquire()` and `bpf_task_release()` move.
        let counter = unsafe { ptr::addr_of!((*task).rcu_users.refs.counter) };
        // SAFETY: as above.
        let users = || unsafe { ptr::read_volatile(counter) };
        // SAFETY: as above; the RCU read-side nesting of this task
        // (CONFIG_PREEMPT_RCU, which the test kernel's PREEMPT selects).
        let nesting = unsafe { ptr::addr_of!((*task).rcu_read_lock_nesting) };
        // SAFETY: as above.
        let rcu = || unsafe { ptr::read_volatile(nesting) };
        let before = users();
        let rcu_before = rcu();
        // SAFETY: a real reference, taken as `bpf_task_acquire()` takes it
        // and recorded as its wrapper records it, then released by the
        // record in this (the run's) context.
        unsafe {
            bindings::refcount_inc(ptr::addr_of_mut!((*task).rcu_users));
            rec.push(r, Kind::TaskRef, task as usize, 0).unwrap();
            bindings::rcu_read_lock();
            rec.push(r, Kind::RcuRead, 0, 0).unwrap();
            assert_eq!(users(), before + 1);
            assert_eq!(rcu(), rcu_before + 1);
            assert!(rec.holds(r, Kind::is_lock));
            let mut order = [None; 2];
            let mut n = 0;
            assert_eq!(
                rec.release_all(r, |k, a| {
                    order[n] = Some((k, a));
                    n += 1;
                }),
                2
            );
            // Newest first, each with its address.
            assert_eq!(
                order,
                [
                    Some((Kind::RcuRead, 0)),
                    Some((Kind::TaskRef, task as usize))
                ]
            );
            assert!(!rec.holds(r, |_| true));
        }
        assert_eq!(users(), before);
        assert_eq!(rcu(), rcu_before);
        assert_eq!(run.nr_held, 0);
        assert_eq!(rec.depth(), 0);
    }
}
