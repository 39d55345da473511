// SPDX-License-Identifier: GPL-2.0

//! What a BPF run can hold, and every kfunc and helper that acquires or
//! releases it.
//!
//! This table is the only place the watchdog learns about a resource.  Each
//! `kind` line names a kind of resource and says how to release one from
//! what its record entry kept (`addr`, and `aux` where the release needs
//! more, such as a `btf_struct_meta` or an IRQ-flags slot).  Each `fn` line
//! gives a tracked function's exact C prototype and what it does to the
//! record (an iterator's `next` does nothing to it, but is a cancellation
//! point, as every acquire is); `bpf_watchdog_resources!` turns it into the `bpf_wd_<name>`
//! wrapper the verifier redirects calls to.  Kfuncs that acquire or release
//! but are not wrapped are listed as `exempt` (they hold nothing the
//! watchdog must give back) or `pending` (not covered yet); the coverage
//! test fails on any acquire/release kfunc that is in none of the three.
//!
//! Pointers are `*mut c_void` whatever their C type: the ABI is the same,
//! and the wrappers never look inside.  Releases call `orig::*`, the real
//! function, never a wrapper.

use kernel::bindings;
use kernel::ffi::{c_int, c_ulong, c_void};
use kernel::macros::bpf_watchdog_resources;

bpf_watchdog_resources! {
    acquired = super::record::acquired_by;
    released = super::record::released;
    current = super::record::current_run;
    cancel = super::cancel::point;

    // ---- References ---------------------------------------------------

    /// A `struct task_struct` reference.
    kind TaskRef("task") = |addr, _aux| {
        // SAFETY: the entry was made when a task reference was acquired.
        unsafe { orig::bpf_task_release(addr as *mut c_void) }
    };
    fn bpf_task_acquire(p: *mut c_void) -> *mut c_void:
        acquire TaskRef(ret) if !ret.is_null();
    fn bpf_task_from_pid(pid: i32) -> *mut c_void:
        acquire TaskRef(ret) if !ret.is_null();
    fn bpf_task_from_vpid(vpid: i32) -> *mut c_void:
        acquire TaskRef(ret) if !ret.is_null();
    fn bpf_task_release(p: *mut c_void): release TaskRef(p);

    /// A `struct cgroup` reference.
    #[cfg(CONFIG_CGROUPS)]
    kind CgroupRef("cgroup") = |addr, _aux| {
        // SAFETY: the entry was made when a cgroup reference was acquired.
        unsafe { orig::bpf_cgroup_release(addr as *mut c_void) }
    };
    #[cfg(CONFIG_CGROUPS)]
    fn bpf_cgroup_acquire(cgrp: *mut c_void) -> *mut c_void:
        acquire CgroupRef(ret) if !ret.is_null();
    #[cfg(CONFIG_CGROUPS)]
    fn bpf_cgroup_ancestor(cgrp: *mut c_void, level: c_int) -> *mut c_void:
        acquire CgroupRef(ret) if !ret.is_null();
    #[cfg(CONFIG_CGROUPS)]
    fn bpf_cgroup_from_id(cgid: u64) -> *mut c_void:
        acquire CgroupRef(ret) if !ret.is_null();
    #[cfg(CONFIG_CGROUPS)]
    fn bpf_task_get_cgroup1(task: *mut c_void, hierarchy_id: c_int) -> *mut c_void:
        acquire CgroupRef(ret) if !ret.is_null();
    #[cfg(CONFIG_CGROUPS)]
    fn bpf_cgroup_release(cgrp: *mut c_void): release CgroupRef(cgrp);

    /// A `struct mem_cgroup` reference (on its css).  The root memcg is
    /// not reference-counted, and `bpf_put_mem_cgroup()` of it does
    /// nothing, so both acquires share the one release.
    #[cfg(CONFIG_MEMCG)]
    kind MemcgRef("memcg") = |addr, _aux| {
        // SAFETY: the entry was made when a memcg reference was acquired.
        unsafe { orig::bpf_put_mem_cgroup(addr as *mut c_void) }
    };
    #[cfg(CONFIG_MEMCG)]
    fn bpf_get_root_mem_cgroup() -> *mut c_void: acquire MemcgRef(ret) if !ret.is_null();
    #[cfg(CONFIG_MEMCG)]
    fn bpf_get_mem_cgroup(css: *mut c_void) -> *mut c_void:
        acquire MemcgRef(ret) if !ret.is_null();
    #[cfg(CONFIG_MEMCG)]
    fn bpf_put_mem_cgroup(memcg: *mut c_void): release MemcgRef(memcg);

    /// A `struct bpf_cpumask` reference.
    kind Cpumask("cpumask") = |addr, _aux| {
        // SAFETY: the entry was made when a cpumask reference was acquired.
        unsafe { orig::bpf_cpumask_release(addr as *mut c_void) }
    };
    fn bpf_cpumask_create() -> *mut c_void: acquire Cpumask(ret) if !ret.is_null();
    fn bpf_cpumask_acquire(cpumask: *mut c_void) -> *mut c_void: acquire Cpumask(ret);
    fn bpf_cpumask_release(cpumask: *mut c_void): release Cpumask(cpumask);

    /// An object from `bpf_obj_new()`; `aux` is its `btf_struct_meta`,
    /// which `bpf_obj_drop()` needs to free the object's own fields.
    kind Obj("obj") = |addr, aux| {
        // SAFETY: the entry holds an owning pointer and its struct meta.
        unsafe { orig::bpf_obj_drop(addr as *mut c_void, aux as *mut c_void) }
    };
    fn bpf_obj_new(local_type_id: u64, meta: *mut c_void) -> *mut c_void:
        acquire Obj(ret, meta) if !ret.is_null();
    fn bpf_obj_new_impl(local_type_id: u64, meta: *mut c_void) -> *mut c_void:
        acquire Obj(ret, meta) if !ret.is_null();
    fn bpf_refcount_acquire(p: *mut c_void, meta: *mut c_void) -> *mut c_void:
        acquire Obj(ret, meta) if !ret.is_null();
    fn bpf_refcount_acquire_impl(p: *mut c_void, meta: *mut c_void) -> *mut c_void:
        acquire Obj(ret, meta) if !ret.is_null();
    fn bpf_obj_drop(p: *mut c_void, meta: *mut c_void): release Obj(p);
    fn bpf_obj_drop_impl(p: *mut c_void, meta: *mut c_void): release Obj(p);

    /// An object from `bpf_percpu_obj_new()`.
    kind PercpuObj("percpu_obj") = |addr, aux| {
        // SAFETY: the entry holds an owning per-CPU object pointer.
        unsafe { orig::bpf_percpu_obj_drop(addr as *mut c_void, aux as *mut c_void) }
    };
    fn bpf_percpu_obj_new(local_type_id: u64, meta: *mut c_void) -> *mut c_void:
        acquire PercpuObj(ret, meta) if !ret.is_null();
    fn bpf_percpu_obj_new_impl(local_type_id: u64, meta: *mut c_void) -> *mut c_void:
        acquire PercpuObj(ret, meta) if !ret.is_null();
    fn bpf_percpu_obj_drop(p: *mut c_void, meta: *mut c_void): release PercpuObj(p);
    fn bpf_percpu_obj_drop_impl(p: *mut c_void, meta: *mut c_void): release PercpuObj(p);

    /// A `struct bpf_key` reference.
    #[cfg(CONFIG_KEYS)]
    kind KeyRef("key") = |addr, _aux| {
        // SAFETY: the entry was made when a key reference was acquired.
        unsafe { orig::bpf_key_put(addr as *mut c_void) }
    };
    #[cfg(CONFIG_KEYS)]
    fn bpf_lookup_user_key(serial: i32, flags: u64) -> *mut c_void:
        acquire KeyRef(ret) if !ret.is_null();
    #[cfg(CONFIG_KEYS)]
    fn bpf_lookup_system_key(id: u64) -> *mut c_void:
        acquire KeyRef(ret) if !ret.is_null();
    #[cfg(CONFIG_KEYS)]
    fn bpf_key_put(bkey: *mut c_void): release KeyRef(bkey);

    /// A `struct file` reference.
    #[cfg(CONFIG_BPF_LSM)]
    kind FileRef("file") = |addr, _aux| {
        // SAFETY: the entry was made when a file reference was acquired.
        unsafe { orig::bpf_put_file(addr as *mut c_void) }
    };
    #[cfg(CONFIG_BPF_LSM)]
    fn bpf_get_task_exe_file(task: *mut c_void) -> *mut c_void:
        acquire FileRef(ret) if !ret.is_null();
    #[cfg(CONFIG_BPF_LSM)]
    fn bpf_put_file(file: *mut c_void): release FileRef(file);

    /// A file dynptr (`bpf_dynptr_from_file()`): its state, allocated by
    /// the kfunc, holds a file reader and what it has mapped.  The entry
    /// keeps the state (the dynptr's `data`), not the dynptr, which is on
    /// the BPF stack and whose clones share the state: the program may
    /// discard any of them.  A discard needs only the state.
    kind FileDynptr("file_dynptr") = |addr, _aux| {
        let mut d = bindings::bpf_dynptr_kern {
            data: addr as *mut c_void,
            size: 0,
            offset: 0,
        };
        // SAFETY: the entry holds the state of a file dynptr that nothing
        // discarded yet; `d` stands for the dynptr, and the discard only
        // reads its `data` and then clears it.
        unsafe { orig::bpf_dynptr_file_discard(core::ptr::from_mut(&mut d).cast()) };
    };
    fn bpf_dynptr_from_file(file: *mut c_void, flags: u32, ptr: *mut c_void) -> c_int:
        // SAFETY: the kfunc initialised the dynptr at `ptr`.
        acquire FileDynptr(unsafe { dynptr_state(ptr) }) if ret == 0;
    /// What the verifier calls instead in sleepable programs.
    fn bpf_dynptr_from_file_sleepable(file: *mut c_void, flags: u32, ptr: *mut c_void)
        -> c_int:
        // SAFETY: the kfunc initialised the dynptr at `ptr`.
        acquire FileDynptr(unsafe { dynptr_state(ptr) }) if ret == 0;
    fn bpf_dynptr_file_discard(ptr: *mut c_void) -> c_int:
        // SAFETY: the verifier passes an initialised file dynptr.
        release FileDynptr(unsafe { dynptr_state(ptr) });

    /// A socket from a `bpf_sk_lookup_*()` or `bpf_skc_lookup_tcp()` helper
    /// (their skb, tc, XDP and sock_addr flavours).  It holds a reference
    /// unless the socket is RCU-freed, and `bpf_sk_release()` knows which.
    #[cfg(CONFIG_INET)]
    kind SockRef("sock") = |addr, _aux| {
        // SAFETY: the entry was made when a lookup returned this socket.
        unsafe { orig::bpf_sk_release(addr as *mut c_void) };
    };
    #[cfg(CONFIG_INET)]
    fn bpf_sk_lookup_tcp(ctx: u64, tuple: u64, len: u64, netns: u64, flags: u64)
        -> *mut c_void: acquire SockRef(ret) if !ret.is_null();
    #[cfg(CONFIG_INET)]
    fn bpf_sk_lookup_udp(ctx: u64, tuple: u64, len: u64, netns: u64, flags: u64)
        -> *mut c_void: acquire SockRef(ret) if !ret.is_null();
    #[cfg(CONFIG_INET)]
    fn bpf_skc_lookup_tcp(ctx: u64, tuple: u64, len: u64, netns: u64, flags: u64)
        -> *mut c_void: acquire SockRef(ret) if !ret.is_null();
    #[cfg(CONFIG_INET)]
    fn bpf_tc_sk_lookup_tcp(ctx: u64, tuple: u64, len: u64, netns: u64, flags: u64)
        -> *mut c_void: acquire SockRef(ret) if !ret.is_null();
    #[cfg(CONFIG_INET)]
    fn bpf_tc_sk_lookup_udp(ctx: u64, tuple: u64, len: u64, netns: u64, flags: u64)
        -> *mut c_void: acquire SockRef(ret) if !ret.is_null();
    #[cfg(CONFIG_INET)]
    fn bpf_tc_skc_lookup_tcp(ctx: u64, tuple: u64, len: u64, netns: u64, flags: u64)
        -> *mut c_void: acquire SockRef(ret) if !ret.is_null();
    #[cfg(CONFIG_INET)]
    fn bpf_xdp_sk_lookup_tcp(ctx: u64, tuple: u64, len: u64, netns: u64, flags: u64)
        -> *mut c_void: acquire SockRef(ret) if !ret.is_null();
    #[cfg(CONFIG_INET)]
    fn bpf_xdp_sk_lookup_udp(ctx: u64, tuple: u64, len: u64, netns: u64, flags: u64)
        -> *mut c_void: acquire SockRef(ret) if !ret.is_null();
    #[cfg(CONFIG_INET)]
    fn bpf_xdp_skc_lookup_tcp(ctx: u64, tuple: u64, len: u64, netns: u64, flags: u64)
        -> *mut c_void: acquire SockRef(ret) if !ret.is_null();
    #[cfg(CONFIG_INET)]
    fn bpf_sock_addr_sk_lookup_tcp(ctx: u64, tuple: u64, len: u64, netns: u64, flags: u64)
        -> *mut c_void: acquire SockRef(ret) if !ret.is_null();
    #[cfg(CONFIG_INET)]
    fn bpf_sock_addr_sk_lookup_udp(ctx: u64, tuple: u64, len: u64, netns: u64, flags: u64)
        -> *mut c_void: acquire SockRef(ret) if !ret.is_null();
    #[cfg(CONFIG_INET)]
    fn bpf_sock_addr_skc_lookup_tcp(ctx: u64, tuple: u64, len: u64, netns: u64, flags: u64)
        -> *mut c_void: acquire SockRef(ret) if !ret.is_null();
    #[cfg(CONFIG_INET)]
    fn bpf_sk_release(sk: *mut c_void) -> u64: release SockRef(sk);

    /// A `struct bpf_ksock`, a kernel socket a program made
    /// (`bpf_ksock_create()`, sleepable programs only) or took a
    /// reference to from a map (`bpf_ksock_acquire()`).  Its last release
    /// queues the socket's release to a workqueue: safe from any context.
    #[cfg(CONFIG_NET)]
    kind KsockRef("ksock") = |addr, _aux| {
        // SAFETY: the entry was made when a ksock reference was acquired.
        unsafe { orig::bpf_ksock_release(addr as *mut c_void) }
    };
    #[cfg(CONFIG_NET)]
    fn bpf_ksock_create(opts: *const c_void, opts_sz: u32, err: *mut c_int) -> *mut c_void:
        acquire KsockRef(ret) if !ret.is_null();
    #[cfg(CONFIG_NET)]
    fn bpf_ksock_acquire(ks: *mut c_void) -> *mut c_void:
        acquire KsockRef(ret) if !ret.is_null();
    #[cfg(CONFIG_NET)]
    fn bpf_ksock_release(ks: *mut c_void): release KsockRef(ks);

    /// A `struct bpf_crypto_ctx` reference, from `bpf_crypto_ctx_create()`
    /// (sleepable programs only) or `bpf_crypto_ctx_acquire()`.  Its last
    /// release leaves the freeing to an RCU callback: safe from any
    /// context.
    kind CryptoCtxRef("crypto_ctx") = |addr, _aux| {
        // SAFETY: the entry was made when a crypto context reference was
        // acquired.
        unsafe { orig::bpf_crypto_ctx_release(addr as *mut c_void) }
    };
    fn bpf_crypto_ctx_create(params: *const c_void, params_sz: u32, err: *mut c_int)
        -> *mut c_void: acquire CryptoCtxRef(ret) if !ret.is_null();
    fn bpf_crypto_ctx_acquire(ctx: *mut c_void) -> *mut c_void:
        acquire CryptoCtxRef(ret) if !ret.is_null();
    fn bpf_crypto_ctx_release(ctx: *mut c_void): release CryptoCtxRef(ctx);

    /// A conntrack entry made by `bpf_{xdp,skb}_ct_alloc()` and not
    /// inserted yet (`struct nf_conn___init`): nothing else knows of it and
    /// its reference count is still 0, so it is freed, as
    /// `bpf_ct_insert_entry()` frees it when the insertion fails.
    #[cfg(CONFIG_NF_CONNTRACK = "y")]
    kind CtInit("ct_new") = |addr, _aux| {
        // SAFETY: the entry holds an allocated conntrack entry that no
        // table, skb or other reference knows of.
        unsafe { bindings::nf_conntrack_free(addr as *mut bindings::nf_conn) }
    };
    /// A reference to a conntrack entry in the table, from a lookup or an
    /// insertion.  Its last put destroys the entry: safe in any context
    /// conntrack runs in, softirq included.
    #[cfg(CONFIG_NF_CONNTRACK = "y")]
    kind CtRef("ct") = |addr, _aux| {
        // SAFETY: the entry was made when a conntrack reference was
        // acquired.
        unsafe { orig::bpf_ct_release(addr as *mut c_void) }
    };
    #[cfg(CONFIG_NF_CONNTRACK = "y")]
    fn bpf_xdp_ct_alloc(ctx: *mut c_void, tuple: *mut c_void, tuple_sz: u32, opts: *mut c_void,
        opts_sz: u32) -> *mut c_void: acquire CtInit(ret) if !ret.is_null();
    #[cfg(CONFIG_NF_CONNTRACK = "y")]
    fn bpf_skb_ct_alloc(ctx: *mut c_void, tuple: *mut c_void, tuple_sz: u32, opts: *mut c_void,
        opts_sz: u32) -> *mut c_void: acquire CtInit(ret) if !ret.is_null();
    #[cfg(CONFIG_NF_CONNTRACK = "y")]
    fn bpf_xdp_ct_lookup(ctx: *mut c_void, tuple: *mut c_void, tuple_sz: u32, opts: *mut c_void,
        opts_sz: u32) -> *mut c_void: acquire CtRef(ret) if !ret.is_null();
    #[cfg(CONFIG_NF_CONNTRACK = "y")]
    fn bpf_skb_ct_lookup(ctx: *mut c_void, tuple: *mut c_void, tuple_sz: u32, opts: *mut c_void,
        opts_sz: u32) -> *mut c_void: acquire CtRef(ret) if !ret.is_null();
    // Consumes the new entry whatever happens (inserted, or freed when the
    // insertion fails) and returns a reference to the inserted one.
    #[cfg(CONFIG_NF_CONNTRACK = "y")]
    fn bpf_ct_insert_entry(nfct_i: *mut c_void) -> *mut c_void:
        release CtInit(nfct_i), acquire CtRef(ret) if !ret.is_null();
    #[cfg(CONFIG_NF_CONNTRACK = "y")]
    fn bpf_ct_release(nfct: *mut c_void): release CtRef(nfct);

    /// A `struct xfrm_state` reference from `bpf_xdp_get_xfrm_state()`.
    /// Its last put hands the state to xfrm's garbage-collection work.
    #[cfg(all(CONFIG_XFRM, CONFIG_DEBUG_INFO_BTF))]
    kind XfrmStateRef("xfrm_state") = |addr, _aux| {
        // SAFETY: the entry was made when an xfrm state reference was
        // acquired.
        unsafe { orig::bpf_xdp_xfrm_state_release(addr as *mut c_void) }
    };
    #[cfg(all(CONFIG_XFRM, CONFIG_DEBUG_INFO_BTF))]
    fn bpf_xdp_get_xfrm_state(ctx: *mut c_void, opts: *mut c_void, opts_sz: u32) -> *mut c_void:
        acquire XfrmStateRef(ret) if !ret.is_null();
    #[cfg(all(CONFIG_XFRM, CONFIG_DEBUG_INFO_BTF))]
    fn bpf_xdp_xfrm_state_release(x: *mut c_void): release XfrmStateRef(x);

    /// The wakeup sources' SRCU read lock (`bpf_wakeup_sources_read_lock()`,
    /// syscall programs): the "pointer" it returns is the SRCU index plus
    /// one, which the unlock decodes, so the entry keeps it as it is.
    #[cfg(CONFIG_PM_SLEEP)]
    kind WakeupSrcu("wakeup_srcu") = |addr, _aux| {
        // SAFETY: the entry holds what `bpf_wakeup_sources_read_lock()`
        // returned, not yet unlocked.
        unsafe { orig::bpf_wakeup_sources_read_unlock(addr as *mut c_void) }
    };
    #[cfg(CONFIG_PM_SLEEP)]
    fn bpf_wakeup_sources_read_lock() -> *mut c_void: acquire WakeupSrcu(ret);
    #[cfg(CONFIG_PM_SLEEP)]
    fn bpf_wakeup_sources_read_unlock(lock: *mut c_void): release WakeupSrcu(lock);

    /// A HID-BPF context (`hid_bpf_allocate_context()`, sleepable programs
    /// only): memory and a reference to the HID device.
    #[cfg(CONFIG_HID_BPF)]
    kind HidCtx("hid_ctx") = |addr, _aux| {
        // SAFETY: the entry was made when a HID-BPF context was allocated.
        unsafe { orig::hid_bpf_release_context(addr as *mut c_void) }
    };
    #[cfg(CONFIG_HID_BPF)]
    fn hid_bpf_allocate_context(hid_id: u32) -> *mut c_void: acquire HidCtx(ret) if !ret.is_null();
    #[cfg(CONFIG_HID_BPF)]
    fn hid_bpf_release_context(ctx: *mut c_void): release HidCtx(ctx);

    /// The releases of a `bpf_qdisc`'s skbs: whichever entry holds the
    /// skb goes, its enqueue's argument ([`Kind::ArgRef`]) or one taken
    /// out of a map ([`Kind::Kptr`]).
    #[cfg(CONFIG_NET_SCH_BPF)]
    fn bpf_kfree_skb(skb: *mut c_void): release any(skb);
    #[cfg(CONFIG_NET_SCH_BPF)]
    fn bpf_qdisc_skb_drop(skb: *mut c_void, to_free_list: *mut c_void): release any(skb);

    /// A ring buffer sample from `bpf_ringbuf_reserve()` (a helper).
    kind RingbufSample("ringbuf_sample") = |addr, _aux| {
        // SAFETY: the entry holds a reserved, not yet committed sample.
        unsafe { orig::bpf_ringbuf_discard(addr as *mut c_void, 0) };
    };
    fn bpf_ringbuf_reserve(map: *mut c_void, size: u64, flags: u64) -> *mut c_void:
        acquire RingbufSample(ret) if !ret.is_null();
    fn bpf_ringbuf_submit(sample: *mut c_void, flags: u64) -> u64:
        release RingbufSample(sample);
    fn bpf_ringbuf_discard(sample: *mut c_void, flags: u64) -> u64:
        release RingbufSample(sample);

    // ---- Ownership that leaves the program ----------------------------
    //
    // A reference moved into a map or a collection is no longer the run's:
    // its entry goes, so a kill does not release what the map now owns.
    // What comes back out of a map, `bpf_kptr_xchg()`'s old value, is the
    // run's (`Kptr`), and so is what a pop takes out of a list or an rbtree
    // ([`graph_node_taken`]).

    /// `bpf_kptr_xchg()` (a helper) takes any referenced kernel object or
    /// allocated object.  Where the JIT inlines the exchange (x86-64,
    /// arm64, ...: every JIT that can unwind a killed run), the verifier
    /// keeps it inline and follows it with a call to [`kptr_xchg_moved`],
    /// which also records the old value; this wrapper serves the others.
    fn bpf_kptr_xchg(dst: *mut c_void, ptr: *mut c_void) -> *mut c_void:
        release any(ptr) if !ptr.is_null();

    /// What `bpf_kptr_xchg()` handed back to the run (its old value);
    /// `aux` is the kptr field it came from, which says how to release it
    /// as the map would have.  The release function of the object's own
    /// kind (`bpf_task_release()`, `bpf_obj_drop()`, ...) removes the
    /// entry too.
    kind Kptr("kptr") = |addr, aux| {
        // SAFETY: the entry holds an owning pointer the run took out of the
        // kptr field `aux`, which lives as long as the run's program.
        unsafe {
            bindings::bpf_wd_kptr_drop(addr as *mut c_void, aux as *const bindings::btf_field)
        }
    };
    /// A node given to a list or an rbtree: the object it lives in (`off`,
    /// passed by the verifier, is the node's offset in it) is the
    /// collection's now, or dropped by the kfunc if the node was linked.
    fn bpf_list_push_front(head: *mut c_void, node: *mut c_void, meta: *mut c_void, off: u64)
        -> c_int: release Obj((node as usize).wrapping_sub(off as usize));
    fn bpf_list_push_front_impl(head: *mut c_void, node: *mut c_void, meta: *mut c_void, off: u64)
        -> c_int: release Obj((node as usize).wrapping_sub(off as usize));
    fn bpf_list_push_back(head: *mut c_void, node: *mut c_void, meta: *mut c_void, off: u64)
        -> c_int: release Obj((node as usize).wrapping_sub(off as usize));
    fn bpf_list_push_back_impl(head: *mut c_void, node: *mut c_void, meta: *mut c_void, off: u64)
        -> c_int: release Obj((node as usize).wrapping_sub(off as usize));
    fn bpf_list_add(head: *mut c_void, new: *mut c_void, prev: *mut c_void, meta: *mut c_void,
        off: u64) -> c_int: release Obj((new as usize).wrapping_sub(off as usize));
    fn bpf_rbtree_add(root: *mut c_void, node: *mut c_void, less: *mut c_void,
        meta: *mut c_void, off: u64) -> c_int:
        release Obj((node as usize).wrapping_sub(off as usize));
    fn bpf_rbtree_add_impl(root: *mut c_void, node: *mut c_void, less: *mut c_void,
        meta: *mut c_void, off: u64) -> c_int:
        release Obj((node as usize).wrapping_sub(off as usize));

    // ---- Module kfuncs ---------------------------------------------------
    //
    // Module kfuncs are not wrapped: the verifier follows each call with
    // one to [`module_ref_taken`] or [`module_ref_given`].

    /// A reference a module kfunc returned (`bpf_testmod`'s, ...); `aux` is
    /// the destructor its type registered for map kptrs, which releases it
    /// as a map would.
    kind ModuleRef("module_ref") = |addr, aux| {
        // SAFETY: the entry holds a reference a module kfunc returned and
        // its type's destructor, which the run's program keeps loaded.
        unsafe { bindings::bpf_wd_module_ref_drop(addr as *mut c_void, aux as *mut c_void) }
    };
    /// A `__ref` argument of a struct_ops method (a `bpf_qdisc` enqueue's
    /// skb): the method owns it from its first instruction, which records
    /// it ([`arg_ref_taken`]); `aux` is its type's destructor.
    kind ArgRef("arg_ref") = |addr, aux| {
        // SAFETY: the entry holds an argument the method owned and its
        // type's destructor, which the method's owner keeps loaded.
        unsafe { bindings::bpf_wd_module_ref_drop(addr as *mut c_void, aux as *mut c_void) }
    };
    /// vmlinux's releases of `bpf_testmod`'s test objects.
    #[cfg(CONFIG_NET)]
    fn bpf_kfunc_call_test_release(p: *mut c_void): release any(p);
    #[cfg(CONFIG_NET)]
    fn bpf_kfunc_call_memb_release(p: *mut c_void): release any(p);

    // ---- Locks and execution context ----------------------------------

    /// A `bpf_spin_lock` (a helper; IRQs are off while it is held).
    kind SpinLock("spin_lock") = |addr, _aux| {
        // SAFETY: the entry was made when this lock was taken.
        unsafe { orig::bpf_spin_unlock(addr as *mut c_void) };
    };
    fn bpf_spin_lock(lock: *mut c_void) -> u64: acquire SpinLock(lock);
    fn bpf_spin_unlock(lock: *mut c_void) -> u64: release SpinLock(lock);

    /// A `bpf_res_spin_lock` (preemption is off while it is held).
    kind ResSpinLock("res_spin_lock") = |addr, _aux| {
        // SAFETY: the entry was made when this lock was taken.
        unsafe { orig::bpf_res_spin_unlock(addr as *mut c_void) }
    };
    fn bpf_res_spin_lock(lock: *mut c_void) -> c_int: acquire ResSpinLock(lock) if ret == 0;
    fn bpf_res_spin_unlock(lock: *mut c_void): release ResSpinLock(lock);

    /// A `bpf_res_spin_lock` taken with IRQs saved; `aux` is the program's
    /// flags slot, which the unlock restores from.
    kind ResSpinLockIrq("res_spin_lock_irqsave") = |addr, aux| {
        // SAFETY: the entry was made when this lock was taken; the flags
        // slot is on the run's stack, which outlives the release.
        unsafe { orig::bpf_res_spin_unlock_irqrestore(addr as *mut c_void, aux as *mut c_ulong) }
    };
    fn bpf_res_spin_lock_irqsave(lock: *mut c_void, flags: *mut c_ulong) -> c_int:
        acquire ResSpinLockIrq(lock, flags) if ret == 0;
    fn bpf_res_spin_unlock_irqrestore(lock: *mut c_void, flags: *mut c_ulong):
        release ResSpinLockIrq(lock);

    /// The RCU read lock.
    kind RcuRead("rcu_read_lock") = |_addr, _aux| {
        // SAFETY: the entry was made when the run took the RCU read lock.
        unsafe { orig::bpf_rcu_read_unlock() }
    };
    fn bpf_rcu_read_lock(): acquire RcuRead(0);
    fn bpf_rcu_read_unlock(): release RcuRead(0);

    /// Disabled preemption.
    kind Preempt("preempt_disable") = |_addr, _aux| {
        // SAFETY: the entry was made when the run disabled preemption.
        unsafe { orig::bpf_preempt_enable() }
    };
    fn bpf_preempt_disable(): acquire Preempt(0);
    fn bpf_preempt_enable(): release Preempt(0);

    /// Disabled IRQs; `addr` is the program's flags slot.
    kind LocalIrq("local_irq_save") = |addr, _aux| {
        // SAFETY: the entry was made when the run saved IRQs into this slot.
        unsafe { orig::bpf_local_irq_restore(addr as *mut c_ulong) }
    };
    fn bpf_local_irq_save(flags: *mut c_ulong): acquire LocalIrq(flags);
    fn bpf_local_irq_restore(flags: *mut c_ulong): release LocalIrq(flags);

    // ---- Open-coded iterators: _new acquires, _destroy releases --------

    /// A `bpf_iter_task_vma` (holds a task and an mm reference).
    kind IterTaskVma("iter_task_vma") = |addr, _aux| {
        // SAFETY: the entry holds an iterator that `_new` initialised.
        unsafe { orig::bpf_iter_task_vma_destroy(addr as *mut c_void) }
    };
    fn bpf_iter_task_vma_new(it: *mut c_void, task: *mut c_void, addr: u64) -> c_int:
        acquire IterTaskVma(it);
    fn bpf_iter_task_vma_next(it: *mut c_void) -> *mut c_void: next IterTaskVma(it);
    fn bpf_iter_task_vma_destroy(it: *mut c_void): release IterTaskVma(it);

    /// A `bpf_iter_css_task` (holds css_set references and list linkage).
    #[cfg(CONFIG_CGROUPS)]
    kind IterCssTask("iter_css_task") = |addr, _aux| {
        // SAFETY: the entry holds an iterator that `_new` initialised.
        unsafe { orig::bpf_iter_css_task_destroy(addr as *mut c_void) }
    };
    #[cfg(CONFIG_CGROUPS)]
    fn bpf_iter_css_task_new(it: *mut c_void, css: *mut c_void, flags: u32) -> c_int:
        acquire IterCssTask(it);
    #[cfg(CONFIG_CGROUPS)]
    fn bpf_iter_css_task_next(it: *mut c_void) -> *mut c_void: next IterCssTask(it);
    #[cfg(CONFIG_CGROUPS)]
    fn bpf_iter_css_task_destroy(it: *mut c_void): release IterCssTask(it);

    /// A `bpf_iter_css`.
    #[cfg(CONFIG_CGROUPS)]
    kind IterCss("iter_css") = |addr, _aux| {
        // SAFETY: the entry holds an iterator that `_new` initialised.
        unsafe { orig::bpf_iter_css_destroy(addr as *mut c_void) }
    };
    #[cfg(CONFIG_CGROUPS)]
    fn bpf_iter_css_new(it: *mut c_void, start: *mut c_void, flags: u32) -> c_int:
        acquire IterCss(it);
    #[cfg(CONFIG_CGROUPS)]
    fn bpf_iter_css_next(it: *mut c_void) -> *mut c_void: next IterCss(it);
    #[cfg(CONFIG_CGROUPS)]
    fn bpf_iter_css_destroy(it: *mut c_void): release IterCss(it);

    /// A `bpf_iter_task`.
    kind IterTask("iter_task") = |addr, _aux| {
        // SAFETY: the entry holds an iterator that `_new` initialised.
        unsafe { orig::bpf_iter_task_destroy(addr as *mut c_void) }
    };
    fn bpf_iter_task_new(it: *mut c_void, task: *mut c_void, flags: u32) -> c_int:
        acquire IterTask(it);
    fn bpf_iter_task_next(it: *mut c_void) -> *mut c_void: next IterTask(it);
    fn bpf_iter_task_destroy(it: *mut c_void): release IterTask(it);

    /// A `bpf_iter_bits` (may hold a `bpf_mem_alloc` copy of the bits).
    kind IterBits("iter_bits") = |addr, _aux| {
        // SAFETY: the entry holds an iterator that `_new` initialised.
        unsafe { orig::bpf_iter_bits_destroy(addr as *mut c_void) }
    };
    fn bpf_iter_bits_new(it: *mut c_void, ptr: *const u64, words: u32) -> c_int:
        acquire IterBits(it);
    fn bpf_iter_bits_next(it: *mut c_void) -> *mut c_void: next IterBits(it);
    fn bpf_iter_bits_destroy(it: *mut c_void): release IterBits(it);

    /// A `bpf_iter_kmem_cache` (holds a kmem_cache reference; sleepable
    /// programs only).
    kind IterKmemCache("iter_kmem_cache") = |addr, _aux| {
        // SAFETY: the entry holds an iterator that `_new` initialised.
        unsafe { orig::bpf_iter_kmem_cache_destroy(addr as *mut c_void) }
    };
    fn bpf_iter_kmem_cache_new(it: *mut c_void) -> c_int: acquire IterKmemCache(it);
    fn bpf_iter_kmem_cache_next(it: *mut c_void) -> *mut c_void: next IterKmemCache(it);
    fn bpf_iter_kmem_cache_destroy(it: *mut c_void): release IterKmemCache(it);

    /// A `bpf_iter_dmabuf` (holds a dma_buf reference; sleepable only).
    /// A `bpf_iter_num` loop (`bpf_for()`) cut into chunks: `aux` is its
    /// real end (see `cancel::iter_num_new()`).  Its state is on the BPF
    /// stack: nothing to give back.
    kind NumIter("iter_num") = |_addr, _aux| {};

    #[cfg(CONFIG_DMA_SHARED_BUFFER)]
    kind IterDmabuf("iter_dmabuf") = |addr, _aux| {
        // SAFETY: the entry holds an iterator that `_new` initialised.
        unsafe { orig::bpf_iter_dmabuf_destroy(addr as *mut c_void) }
    };
    #[cfg(CONFIG_DMA_SHARED_BUFFER)]
    fn bpf_iter_dmabuf_new(it: *mut c_void) -> c_int: acquire IterDmabuf(it);
    #[cfg(CONFIG_DMA_SHARED_BUFFER)]
    fn bpf_iter_dmabuf_next(it: *mut c_void) -> *mut c_void: next IterDmabuf(it);
    #[cfg(CONFIG_DMA_SHARED_BUFFER)]
    fn bpf_iter_dmabuf_destroy(it: *mut c_void): release IterDmabuf(it);

    // ---- sched_ext ---------------------------------------------------------
    //
    // The `KF_IMPLICIT_ARGS` kfuncs take a last argument that programs do
    // not pass (the program's `bpf_prog_aux`): the verifier loads it into
    // the argument register before the call, whatever the call's target, so
    // the wrapper has the function's full C prototype and hands it on.

    /// A cpumask sched_ext lends (`scx_bpf_get_possible_cpumask()`, ...):
    /// its put returns nothing today, but is what the kfunc pairs with.
    #[cfg(CONFIG_SCHED_CLASS_EXT)]
    kind ScxCpumask("scx_cpumask") = |addr, _aux| {
        // SAFETY: the entry holds a cpumask from a `scx_bpf_get_*_cpumask()`.
        unsafe { orig::scx_bpf_put_cpumask(addr as *mut c_void) }
    };
    #[cfg(CONFIG_SCHED_CLASS_EXT)]
    fn scx_bpf_get_possible_cpumask() -> *mut c_void:
        acquire ScxCpumask(ret) if !ret.is_null();
    #[cfg(CONFIG_SCHED_CLASS_EXT)]
    fn scx_bpf_get_online_cpumask() -> *mut c_void:
        acquire ScxCpumask(ret) if !ret.is_null();
    #[cfg(CONFIG_SCHED_CLASS_EXT)]
    fn scx_bpf_put_cpumask(cpumask: *mut c_void): release ScxCpumask(cpumask);

    /// An idle (or SMT idle) cpumask from sched_ext's built-in idle tracking.
    #[cfg(CONFIG_SCHED_CLASS_EXT)]
    kind ScxIdleCpumask("scx_idle_cpumask") = |addr, _aux| {
        // SAFETY: the entry holds a cpumask from a `scx_bpf_get_idle_*()`.
        unsafe { orig::scx_bpf_put_idle_cpumask(addr as *mut c_void) }
    };
    #[cfg(CONFIG_SCHED_CLASS_EXT)]
    fn scx_bpf_get_idle_cpumask(aux: *const c_void) -> *mut c_void:
        acquire ScxIdleCpumask(ret) if !ret.is_null();
    #[cfg(CONFIG_SCHED_CLASS_EXT)]
    fn scx_bpf_get_idle_cpumask_node(node: c_int, aux: *const c_void) -> *mut c_void:
        acquire ScxIdleCpumask(ret) if !ret.is_null();
    #[cfg(CONFIG_SCHED_CLASS_EXT)]
    fn scx_bpf_get_idle_smtmask(aux: *const c_void) -> *mut c_void:
        acquire ScxIdleCpumask(ret) if !ret.is_null();
    #[cfg(CONFIG_SCHED_CLASS_EXT)]
    fn scx_bpf_get_idle_smtmask_node(node: c_int, aux: *const c_void) -> *mut c_void:
        acquire ScxIdleCpumask(ret) if !ret.is_null();
    #[cfg(CONFIG_SCHED_CLASS_EXT)]
    fn scx_bpf_put_idle_cpumask(cpumask: *mut c_void): release ScxIdleCpumask(cpumask);

    /// `scx_bpf_task_cgroup()` returns a cgroup reference, which
    /// `bpf_cgroup_release()` drops.
    #[cfg(all(CONFIG_SCHED_CLASS_EXT, CONFIG_CGROUP_SCHED))]
    fn scx_bpf_task_cgroup(p: *mut c_void, aux: *const c_void) -> *mut c_void:
        acquire CgroupRef(ret) if !ret.is_null();

    /// A sched_ext DSQ iterator: its cursor is linked into the DSQ until
    /// `_destroy` unlinks it (`_new` leaves it safe to destroy whatever it
    /// returns).
    #[cfg(CONFIG_SCHED_CLASS_EXT)]
    kind IterScxDsq("iter_scx_dsq") = |addr, _aux| {
        // SAFETY: the entry holds an iterator that `_new` initialised.
        unsafe { orig::bpf_iter_scx_dsq_destroy(addr as *mut c_void) }
    };
    #[cfg(CONFIG_SCHED_CLASS_EXT)]
    fn bpf_iter_scx_dsq_new(it: *mut c_void, dsq_id: u64, flags: u64, aux: *const c_void)
        -> c_int: acquire IterScxDsq(it);
    #[cfg(CONFIG_SCHED_CLASS_EXT)]
    fn bpf_iter_scx_dsq_next(it: *mut c_void) -> *mut c_void: next IterScxDsq(it);
    #[cfg(CONFIG_SCHED_CLASS_EXT)]
    fn bpf_iter_scx_dsq_destroy(it: *mut c_void): release IterScxDsq(it);

    // ---- Deliberately not wrapped ---------------------------------------

    exempt bpf_iter_num_new, bpf_iter_num_next, bpf_iter_num_destroy:
        "inlined by the verifier, which calls the watchdog once per chunk of a loop \
         (cancel::iter_num_new()): its state is two integers on the BPF stack";

    exempt bpf_list_pop_front, bpf_list_pop_back, bpf_list_del, bpf_rbtree_remove:
        "not wrapped: the verifier follows each call with one to graph_node_taken(), \
         which records the object the node lives in";

    // ---- Not covered yet (the coverage test lists them): none ----------
}

/// The state a dynptr points to (`bpf_dynptr_kern.data`), null for a null
/// dynptr.
///
/// # Safety
///
/// `ptr` points to an initialised `struct bpf_dynptr`.
unsafe fn dynptr_state(ptr: *mut c_void) -> *mut c_void {
    // SAFETY: the caller guarantees an initialised dynptr, which is a
    // `struct bpf_dynptr_kern`.
    unsafe { (*ptr.cast::<bindings::bpf_dynptr_kern>()).data }
}

impl Kind {
    /// Whether holding this kind makes other CPUs or this CPU's other work
    /// wait on the run: a lock, the RCU read lock (grace periods), or
    /// disabled preemption or IRQs.  While a run holds one, the shorter
    /// `lock_budget_us` applies.
    ///
    /// A plain `bpf_res_spin_lock` is not one: rqspinlock bounds every
    /// wait on it (250 ms), so its holder makes no one wait longer than
    /// that, and programs rely on waiting that long (a deadlock that only
    /// the timeout resolves ends in `-ETIMEDOUT`, which they handle).  The
    /// preemption it disables is bounded by the run's own budget, as a
    /// tracing run's is.  Its IRQ-saving form disables IRQs and is one.
    pub(crate) fn is_lock(self) -> bool {
        matches!(
            self,
            Kind::SpinLock | Kind::ResSpinLockIrq | Kind::RcuRead | Kind::Preempt | Kind::LocalIrq
        ) || self.is_srcu()
    }

    /// The wakeup sources' SRCU read lock: a lock for the budget (removing
    /// a wakeup source waits for its readers), a reference for the
    /// verifier, which tracks it as one.
    fn is_srcu(self) -> bool {
        #[cfg(CONFIG_PM_SLEEP)]
        if self == Kind::WakeupSrcu {
            return true;
        }
        false
    }

    /// How the verifier tracks what this kind holds (a `BPF_WD_HELD_*`
    /// bit): each reference by the call site that acquired it, the
    /// lock-like kinds by kind, for the whole program.  The verifier
    /// leaves out of the record what it proves is never held at a
    /// cancellation point.
    pub(crate) fn held_class(self) -> u32 {
        match self {
            Kind::SpinLock => bindings::BPF_WD_HELD_SPIN_LOCK,
            Kind::ResSpinLock | Kind::ResSpinLockIrq => bindings::BPF_WD_HELD_RES_LOCK,
            Kind::LocalIrq => bindings::BPF_WD_HELD_IRQ,
            Kind::RcuRead => bindings::BPF_WD_HELD_RCU,
            Kind::Preempt => bindings::BPF_WD_HELD_PREEMPT,
            // What a map's kptr field hands back (kind `Kptr`, recorded
            // by the call after an inlined exchange) and the chunks of an
            // `iter_num` loop are never acquired by a wrapper; the module
            // kinds only by the calls after module kfuncs.
            Kind::Kptr | Kind::NumIter | Kind::ModuleRef | Kind::ArgRef => 0,
            _ => bindings::BPF_WD_HELD_REF,
        }
    }

    /// Whether an entry of this kind is the watchdog's own bookkeeping, not
    /// something the run holds: a kill does not count or report it.
    pub(crate) fn is_bookkeeping(self) -> bool {
        matches!(self, Kind::NumIter)
    }
}

/// The call the verifier emits after an inlined `bpf_kptr_xchg()`: `given`
/// (the new value) is the map's now, so the run's entry for it goes; `taken`
/// (the old value) is the run's, released as `field` says if the run is
/// killed.  Returns `taken`, the helper's result.
///
/// Not a cancellation point: nothing is left half done between the
/// exchange and this call, but a kill here would gain nothing either.
/// `field` is null when paths with differently released fields reach the
/// call: the old value is then not recorded (a kill would leak it, as
/// before the watchdog knew of kptrs), never released the wrong way.
pub(crate) fn kptr_xchg_moved(
    given: *mut c_void,
    taken: *mut c_void,
    field: *const bindings::btf_field,
) -> *mut c_void {
    if !given.is_null() {
        super::record::released(None, given as usize);
    }
    if !taken.is_null() && !field.is_null() {
        super::record::acquired(Kind::Kptr, taken as usize, field as usize);
    }
    taken
}

/// The call the verifier emits after `bpf_list_pop_front()`,
/// `bpf_list_pop_back()`, `bpf_list_del()` and `bpf_rbtree_remove()`: the
/// object the returned node lives in is the run's again, an [`Kind::Obj`]
/// as `bpf_obj_new()` made it, which a push, `bpf_obj_drop()` or
/// `bpf_kptr_xchg()` takes away again and a kill drops.  `meta` and `off`
/// (the object's struct meta and the node's offset in it) come from the
/// verifier, from the collection's type.  Returns `node`, the kfunc's
/// result.
///
/// Not a cancellation point, as [`kptr_xchg_moved`] is not.  `meta` is null
/// when paths with differently typed collections reach the call: the object
/// is then not recorded (a kill would leak it), never dropped the wrong way.
pub(crate) fn graph_node_taken(node: *mut c_void, meta: *mut c_void, off: u64) -> *mut c_void {
    if !node.is_null() && !meta.is_null() {
        let obj = (node as usize).wrapping_sub(off as usize);
        super::record::acquired(Kind::Obj, obj, meta as usize);
    }
    node
}

/// The call the verifier emits after a module kfunc that acquires: `p`
/// (the kfunc's result, returned) is the run's, released with `dtor` if the
/// run is killed.  Without a destructor the record cannot give it back:
/// the run becomes unkillable, as when its record is full.
pub(crate) fn module_ref_taken(p: *mut c_void, dtor: *mut c_void) -> *mut c_void {
    if p.is_null() {
        return p;
    }
    if dtor.is_null() {
        super::record::cannot_track("a module kfunc's reference whose type has no destructor");
    } else {
        super::record::acquired(Kind::ModuleRef, p as usize, dtor as usize);
    }
    p
}

/// The call the verifier's prologue of a struct_ops method makes for each
/// `__ref` argument: the method owns `p`, released with `dtor` if the run
/// is killed, as [`module_ref_taken`] records a module kfunc's result.
/// Without a destructor the run becomes unkillable.
pub(crate) fn arg_ref_taken(p: *mut c_void, dtor: *mut c_void) {
    if p.is_null() {
        return;
    }
    if dtor.is_null() {
        super::record::cannot_track("a struct_ops argument whose type has no destructor");
    } else {
        super::record::acquired(Kind::ArgRef, p as usize, dtor as usize);
    }
}

/// The call the verifier emits after a module kfunc that releases: `p`,
/// the argument it released (kept in a stack slot across the call), is no
/// longer the run's, whatever kind its entry has.  Returns `ret`, the
/// kfunc's result.
pub(crate) fn module_ref_given(p: *mut c_void, ret: u64) -> u64 {
    if !p.is_null() {
        super::record::released(None, p as usize);
    }
    ret
}
