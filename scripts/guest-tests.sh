#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs inside the test VM (see scripts/check.sh): the BPF selftests that
# make up 'make check'.  Each suite's counts go to /run/bpfwd/results as
#   SUITE passed=N failed=N skipped=N
# and its full output to /run/bpfwd/SUITE.log.
set -u
st=$1
res=/run/bpfwd/results
: >"$res"
cd "$st" || exit 1

# summary SUITE LOG: turn a test_progs/test_verifier "Summary:" line into
# counts.  test_progs: "Summary: T/S PASSED, K SKIPPED, F FAILED" (T tests,
# S subtests): subtests are what we count.
summary() {
	local line
	line=$(grep -E '^Summary: ' "$2" | tail -1)
	if [ -z "$line" ]; then
		echo "$1 passed=0 failed=1 skipped=0" >>"$res"
		echo "$1: no summary line (crashed?)"
		return
	fi
	# "P/Q PASSED" and "F/G FAILED": tests/subtests; count subtests, and a
	# test with no subtests (watchdog_stress alone: "1/0 PASSED") as one,
	# and a failed test with no failed subtest as one failure.
	echo "$line" | awk -v suite="$1" '{
		gsub(/,/, "")
		n = split($2, p, "/"); passed = p[n]; if (passed == 0 && p[1] > 0) passed = p[1]
		skipped = $4
		n = split($6, f, "/"); failed = f[n]; if (failed == 0 && f[1] > 0) failed = f[1]
		printf "%s passed=%d failed=%d skipped=%d\n", suite, passed, failed, skipped
	}' >>"$res"
	echo "$1: $line"
}

echo "--- test_progs -t ${TEST_PROGS_FILTER:-watchdog}"
# -w: test_progs' own hung-test watchdog (default 120 s) would shoot the
# soak, which runs for WATCHDOG_STRESS_SECONDS (60 here, more in make stress).
./test_progs ${TEST_PROGS_VERBOSE:+-v} -w "${TEST_PROGS_WATCHDOG:-600}" \
	-t "${TEST_PROGS_FILTER:-watchdog}" >/run/bpfwd/test_progs.log 2>&1
# The soak's figures (watchdog_stress), also when not verbose.
grep -E '^stress:' /run/bpfwd/test_progs.log
grep -E '^#[0-9]+(/[0-9]+)? ' /run/bpfwd/test_progs.log
summary test_progs /run/bpfwd/test_progs.log
# A filter that matched nothing is a failure, not a pass.
if grep -q '^test_progs passed=0 failed=0 ' "$res"; then
	echo "test_progs: no test ran"
	sed -i 's/^test_progs passed=0 failed=0 /test_progs passed=0 failed=1 /' "$res"
fi

# Upstream's test_progs tests of what the watchdog redirects to its
# wrappers (acquire/release kfuncs and helpers, locks, iterators, object
# ownership, callbacks), a guard that the redirected calls behave as the
# originals; each passed on the vanilla and the patched kernel in make
# regress.  The whole suite is make regress.
upstream=task_kfunc,cpumask,file_reader,iters,linked_list,rbtree_success
upstream=$upstream,rbtree_search,refcounted_kptr,res_spin_lock_success
upstream=$upstream,spin_lock,ringbuf,percpu_alloc,local_kptr_stash
upstream=$upstream,local_kptr_ownership,exceptions,preempt_lock
upstream=$upstream,rcu_read_lock,test_bpf_ma,kfunc_call,map_kptr,bpf_loop
upstream=$upstream,for_each,find_vma,irq,kmem_cache_iter,ksock_wq
upstream=$upstream,crypto_basic,kptr_xchg_inline,sock_destroy,cgroup_iter
upstream=$upstream,ns_bpf_qdisc,bpf_qdisc_default,wakeup_source,struct_ops_refcounted
if [ "${SKIP_UPSTREAM:-0}" != 1 ] && [ -z "${TEST_PROGS_FILTER:-}" ]; then
	echo "--- test_progs -a (upstream tests of the tracked calls)"
	# -w: as above; under a debug kernel (KASAN, lockdep) linked_list
	# takes more than the default 120 s to load one of its programs.
	./test_progs -w "${TEST_PROGS_WATCHDOG:-600}" -a "$upstream" \
		>/run/bpfwd/test_progs_upstream.log 2>&1
	grep -E '^#[0-9]+ ' /run/bpfwd/test_progs_upstream.log
	summary test_progs_upstream /run/bpfwd/test_progs_upstream.log
	if grep -q '^test_progs_upstream passed=0 failed=0 ' "$res"; then
		echo "test_progs_upstream: no test ran"
		sed -i 's/^test_progs_upstream passed=0 failed=0 /test_progs_upstream passed=0 failed=1 /' "$res"
	fi
fi

if [ "${SKIP_VERIFIER:-0}" != 1 ]; then
	echo "--- test_verifier"
	./test_verifier >/run/bpfwd/test_verifier.log 2>&1
	grep -E 'FAIL' /run/bpfwd/test_verifier.log | head -20
	summary test_verifier /run/bpfwd/test_verifier.log
fi

# lib/test_bpf.ko: upstream's BPF test vectors, run when the module loads,
# through bpf_prog_run() called from a module: what __bpf_prog_run()
# inlines there must link (exported) and behave.  Each of its suites
# prints "Summary: P PASSED, F FAILED"; the module refuses to load if any
# test failed.
kmod=${st%/selftests/*}/build/$(basename "$st")/lib/test_bpf.ko
if [ -f "$kmod" ] && [ "${SKIP_TEST_BPF:-0}" != 1 ]; then
	echo "--- test_bpf.ko"
	dmesg -c >/dev/null
	if insmod "$kmod" >/run/bpfwd/test_bpf.insmod 2>&1; then
		rmmod test_bpf
	else
		echo "test_bpf: insmod failed: $(cat /run/bpfwd/test_bpf.insmod)"
	fi
	dmesg >/run/bpfwd/test_bpf.log
	grep -E 'test_bpf: .*Summary:' /run/bpfwd/test_bpf.log
	grep -E 'test_bpf: .*Summary:' /run/bpfwd/test_bpf.log | awk '
		{ for (i = 1; i <= NF; i++) {
			if ($(i + 1) ~ /^PASSED/) p += $i
			if ($(i + 1) ~ /^FAILED/) f += $i } }
		END { if (p + f == 0) f = 1
		      printf "test_bpf passed=%d failed=%d skipped=0\n", p, f }' >>"$res"
fi

# Debug kernels: a kmemleak scan after everything ran.  Objects freed
# through RCU need a grace period or two to be seen as freed, hence two
# scans; anything still reported is a failure.
kml=/sys/kernel/debug/kmemleak
mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug 2>/dev/null
if [ -w "$kml" ]; then
	echo "--- kmemleak"
	echo scan >"$kml"; sleep 5; echo scan >"$kml"
	n=$(grep -c '^unreferenced object' "$kml")
	if [ "$n" -eq 0 ]; then
		echo "kmemleak: no leaks"
		echo "kmemleak passed=1 failed=0 skipped=0" >>"$res"
	else
		echo "kmemleak: $n unreferenced objects"
		head -60 "$kml"
		echo "kmemleak passed=0 failed=1 skipped=0" >>"$res"
	fi
fi
exit 0
