// SPDX-License-Identifier: GPL-2.0
/* BPF watchdog selftests (Documentation/bpf/watchdog.rst). */
#include <linux/pkt_sched.h>
#include <test_progs.h>
#include <network_helpers.h>
#include <bpf/btf.h>
#include <linux/perf_event.h>
#include <linux/sockios.h>
#include <linux/uhid.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <dirent.h>

#include "watchdog.skel.h"
#include "watchdog_elide.skel.h"
#include "watchdog_freplace.skel.h"
#include "watchdog_freplace_count.skel.h"
#include "watchdog_freplace_target.skel.h"
#include "watchdog_kill.skel.h"
#include "watchdog_qdisc.skel.h"
#include "watchdog_record.skel.h"
#include "watchdog_scx.skel.h"
#include "watchdog_seed.skel.h"
#include "watchdog_testmod.skel.h"
#include "watchdog_tune.skel.h"
#include "cap_helpers.h"
#include "trace_helpers.h"

#define SYSCTL "/proc/sys/kernel/bpf_watchdog/"
/* The budget the kill tests run under, in microseconds. */
#define TEST_BUDGET_US 20000

/* The watchdog sysctl @name as a number, or -errno. */
static long long read_param(const char *name)
{
	char path[128];
	long long val = -1;
	FILE *f;

	snprintf(path, sizeof(path), SYSCTL "%s", name);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	if (fscanf(f, "%lld", &val) != 1)
		val = -EINVAL;
	fclose(f);
	return val;
}

/* Writes @val to sysctl @name; 0 or -errno, as write(2) saw it. */
static int write_param(const char *name, const char *val)
{
	char path[128];
	int fd, err = 0;

	snprintf(path, sizeof(path), SYSCTL "%s", name);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	if (write(fd, val, strlen(val)) < 0)
		err = -errno;
	close(fd);
	return err;
}

static int write_num(const char *name, long long val)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld", val);
	return write_param(name, buf);
}

/* Every tunable, so that a test can change any of them and put them back. */
static const char * const knobs[] = {
	"mode", "default_budget_us", "tracing_budget_us", "net_budget_us",
	"lsm_budget_us", "struct_ops_budget_us", "syscall_budget_us",
	"lock_budget_us", "prog_budget_max_us", "quarantine_after",
};

struct settings {
	long long val[ARRAY_SIZE(knobs)];
};

static bool save_settings(struct settings *s)
{
	for (int i = 0; i < ARRAY_SIZE(knobs); i++) {
		s->val[i] = read_param(knobs[i]);
		if (!ASSERT_GE(s->val[i], 0, knobs[i]))
			return false;
	}
	return true;
}

static void restore_settings(const struct settings *s)
{
	/* The default budget first: the class budgets may be 0. */
	for (int i = ARRAY_SIZE(knobs) - 1; i >= 0; i--)
		ASSERT_OK(write_num(knobs[i], s->val[i]), knobs[i]);
}

/* Gives every run @us: the default budget, and no class or lock budget. */
static int set_budget(int us)
{
	static const char * const zero[] = {
		"tracing_budget_us", "net_budget_us", "lsm_budget_us",
		"struct_ops_budget_us", "syscall_budget_us", "lock_budget_us",
	};
	int err = write_num("default_budget_us", us);

	for (int i = 0; i < ARRAY_SIZE(zero) && !err; i++)
		err = write_param(zero[i], "0");
	return err;
}

/*
 * Every sysctl refuses garbage, negative, overflowing, empty and
 * out-of-range input with EINVAL and keeps its value; takes the ends of
 * its range; and refuses writers without CAP_SYS_ADMIN.
 */
static void test_sysctls(void)
{
	static const char * const garbage[] = {
		"abc", "-1", "18446744073709551616", "4294967296", "12abc",
		"0x", "\n", " ", "1 2", "5 abc",
	};
	static const struct {
		const char *name;
		long long lo, hi;	/* the range, inclusive */
		bool zero;		/* 0 is accepted (it has a meaning) */
	} range[] = {
		{ "mode", 0, 2, true },
		{ "default_budget_us", 100, 60000000, false },
		{ "tracing_budget_us", 100, 60000000, true },
		{ "net_budget_us", 100, 60000000, true },
		{ "lsm_budget_us", 100, 60000000, true },
		{ "struct_ops_budget_us", 100, 60000000, true },
		{ "syscall_budget_us", 100, 60000000, true },
		{ "lock_budget_us", 100, 60000000, true },
		{ "prog_budget_max_us", 100, 60000000, true },
		{ "quarantine_after", 0, 1000000, true },
	};
	__u64 caps;
	struct settings old;
	long long v;

	if (!save_settings(&old))
		return;
	for (int k = 0; k < ARRAY_SIZE(range); k++) {
		const char *name = range[k].name;

		v = read_param(name);
		for (int i = 0; i < ARRAY_SIZE(garbage); i++) {
			ASSERT_EQ(write_param(name, garbage[i]), -EINVAL, garbage[i]);
			ASSERT_EQ(read_param(name), v, "unchanged after garbage");
		}
		if (range[k].lo > 1)
			ASSERT_EQ(write_num(name, range[k].lo - 1), -EINVAL, "below range");
		ASSERT_EQ(write_num(name, range[k].hi + 1), -EINVAL, "above range");
		ASSERT_EQ(read_param(name), v, "unchanged after out of range");
		if (!range[k].zero)
			ASSERT_EQ(write_param(name, "0"), -EINVAL, "0 refused");
		ASSERT_OK(write_num(name, range[k].lo), "low end");
		ASSERT_EQ(read_param(name), range[k].lo, "low end read back");
		ASSERT_OK(write_num(name, range[k].hi), "high end");
		ASSERT_EQ(read_param(name), range[k].hi, "high end read back");
		/* mode 0 then 2 leaves the tracking key as it was. */
		ASSERT_OK(write_num(name, v), "restore");
	}
	/* rearm is write-only, and wants a program's id. */
	ASSERT_EQ(read_param("rearm"), -EACCES, "rearm not readable");
	ASSERT_EQ(write_param("rearm", "abc"), -EINVAL, "rearm garbage");
	ASSERT_EQ(write_param("rearm", "4000000000"), -ENOENT, "rearm unknown id");

	/* Only CAP_SYS_ADMIN writes. */
	if (!ASSERT_OK(cap_disable_effective(1ULL << CAP_SYS_ADMIN, &caps), "drop CAP_SYS_ADMIN"))
		goto out;
	v = read_param("default_budget_us");
	ASSERT_EQ(write_num("default_budget_us", 1000), -EPERM, "unprivileged write");
	ASSERT_EQ(write_param("mode", "0"), -EPERM, "unprivileged mode write");
	ASSERT_EQ(read_param("default_budget_us"), v, "unchanged after EPERM");
	ASSERT_EQ(read_param("mode"), old.val[0], "mode unchanged after EPERM");
	cap_enable_effective(caps, NULL);
out:
	restore_settings(&old);
}

struct probe_state {
	__u64 kills;
	__u64 context;
	int task_users;
	int mm_users;
	int lock_ret;
};

static void read_probe(struct watchdog_kill *skel, struct probe_state *st)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts);
	int err;

	err = bpf_prog_test_run_opts(bpf_program__fd(skel->progs.probe), &opts);
	ASSERT_OK(err, "probe run");
	ASSERT_EQ(opts.retval, 0, "probe retval");
	st->kills = skel->bss->kills;
	st->context = skel->bss->context;
	st->task_users = skel->bss->task_users;
	st->mm_users = skel->bss->mm_users;
	st->lock_ret = skel->bss->lock_ret;
}

static __u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static void pin_to_cpu(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

/* What a killed run of @prog's type returns (watchdog.rst, abort values). */
static int abort_value(struct bpf_program *prog)
{
	switch (bpf_program__type(prog)) {
	case BPF_PROG_TYPE_SCHED_CLS:
	case BPF_PROG_TYPE_SCHED_ACT:
		return 2;	/* TC_ACT_SHOT */
	case BPF_PROG_TYPE_LSM:
		return -EPERM;
	default:
		return 0;	/* XDP_ABORTED, deny, or 0 */
	}
}

/*
 * Runs @prog, which never ends by itself, and checks that the watchdog
 * killed it within its budget and that everything it held is back.
 */
static void run_kill(struct watchdog_kill *skel, struct bpf_program *prog)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts);
	struct probe_state before, after;
	__u64 t0, ms;
	int err;

	if (bpf_program__type(prog) != BPF_PROG_TYPE_SYSCALL) {
		opts.data_in = &pkt_v4;
		opts.data_size_in = sizeof(pkt_v4);
		opts.repeat = 1;
	}

	read_probe(skel, &before);
	ASSERT_EQ(before.lock_ret, 0, "lock free before");
	skel->bss->finished = 0;
	skel->bss->iterations = 0;

	t0 = now_ns();
	err = bpf_prog_test_run_opts(bpf_program__fd(prog), &opts);
	ms = (now_ns() - t0) / 1000000;

	/* A killed test run fails with ETIMEDOUT and still reports retval. */
	ASSERT_EQ(err, -ETIMEDOUT, "test run killed");
	ASSERT_EQ((int)opts.retval, abort_value(prog), "abort value");
	ASSERT_EQ(skel->bss->finished, 0, "killed before its end");
	ASSERT_GT(skel->bss->iterations, 0, "ran before the kill");
	/* Never before the budget; the upper bound is TCG-generous. */
	ASSERT_GE(ms, TEST_BUDGET_US / 1000, "ran at least its budget");
	ASSERT_LT(ms, 50 * TEST_BUDGET_US / 1000, "killed soon after its budget");
	if (env.verbosity > VERBOSE_NONE)
		printf("%s: killed after %llu ms, %llu iterations\n",
		       bpf_program__name(prog), ms, skel->bss->iterations);

	read_probe(skel, &after);
	ASSERT_EQ(after.kills, before.kills + 1, "one more kill");
	ASSERT_EQ(after.context, before.context, "preempt/irq/rcu state back");
	ASSERT_EQ(after.task_users, before.task_users, "task references back");
	ASSERT_EQ(after.mm_users, before.mm_users, "mm references back");
	ASSERT_EQ(after.lock_ret, 0, "res spin lock free again");
}

/*
 * A perf_event program on a cpu-clock event runs from an hrtimer, in
 * hard-irq context with IRQs off, where the watchdog's own timer cannot
 * fire: its cancellation points must kill it.
 */
static void test_hardirq(struct watchdog_kill *skel)
{
	struct perf_event_attr attr = {
		.size = sizeof(attr),
		.type = PERF_TYPE_SOFTWARE,
		.config = PERF_COUNT_SW_CPU_CLOCK,
		.freq = 1,
		.sample_freq = 10,
	};
	struct probe_state before, after;
	struct bpf_link *link;
	int pfd, ms;

	read_probe(skel, &before);
	skel->bss->finished = 0;
	pfd = syscall(__NR_perf_event_open, &attr, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
	if (pfd < 0 && (errno == ENOENT || errno == EOPNOTSUPP)) {
		test__skip();
		return;
	}
	if (!ASSERT_GE(pfd, 0, "perf_event_open"))
		return;
	link = bpf_program__attach_perf_event(skel->progs.hardirq_runaway, pfd);
	if (!ASSERT_OK_PTR(link, "attach_perf_event")) {
		close(pfd);
		return;
	}
	for (ms = 0; ms < 10000; ms += 50) {
		read_probe(skel, &after);
		if (after.kills >= before.kills + 3)
			break;
		usleep(50000);
	}
	bpf_link__destroy(link);
	close(pfd);

	read_probe(skel, &after);
	ASSERT_GE(after.kills, before.kills + 3, "hard-irq runs killed");
	ASSERT_EQ(skel->bss->finished, 0, "none ran to its end");
	ASSERT_EQ(after.context, before.context, "preempt/irq/rcu state back");
}

/*
 * A runaway async callback (bpf_timer, in softirq; bpf_wq, in a kworker;
 * task_work, on the way back to user space): without a run of its own
 * the watchdog would not see it (or would take it for part of the run it
 * interrupted) and it would spin for its 10^10 iterations.  It is stopped
 * at its budget: its iterators end and it returns.  @arm sets it off.
 */
static void test_async_callback(struct watchdog_kill *skel, struct bpf_program *arm)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts);
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);
	__u64 ran_us;
	int err, ms;

	if (bpf_program__type(arm) != BPF_PROG_TYPE_SYSCALL) {
		opts.data_in = &pkt_v4;
		opts.data_size_in = sizeof(pkt_v4);
		opts.repeat = 1;
	}
	skel->bss->async_cb_end = 0;
	skel->bss->async_cb_iterations = 0;
	err = bpf_prog_test_run_opts(bpf_program__fd(arm), &opts);
	if (!ASSERT_OK(err, "arm") || !ASSERT_EQ(opts.retval, 0, "callback set off"))
		return;
	for (ms = 0; ms < 10000 && !skel->bss->async_cb_end; ms += 10)
		usleep(10000);
	if (!ASSERT_NEQ(skel->bss->async_cb_end, 0, "callback returned"))
		return;
	ran_us = (skel->bss->async_cb_end - skel->bss->async_cb_start) / 1000;
	if (env.verbosity > VERBOSE_NONE)
		printf("%s: callback stopped after %llu us, %llu iterations\n",
		       bpf_program__name(arm), ran_us, skel->bss->async_cb_iterations);
	ASSERT_LT(skel->bss->async_cb_iterations, 10000000000ULL, "stopped early");
	ASSERT_GE(ran_us, TEST_BUDGET_US, "ran at least its budget");
	ASSERT_LT(ran_us, 50 * TEST_BUDGET_US, "stopped soon after its budget");
	err = bpf_prog_get_info_by_fd(bpf_program__fd(arm), &info, &len);
	if (ASSERT_OK(err, "prog info"))
		ASSERT_EQ(info.watchdog_overruns, 1, "one overrun reported");
}

/* A nested run is killed alone: the run it interrupted goes on. */
static void test_nested(struct watchdog_kill *skel)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts);
	struct probe_state before, after;
	struct bpf_link *link;
	int err;

	link = bpf_program__attach(skel->progs.nested_runaway);
	if (!ASSERT_OK_PTR(link, "attach fentry"))
		return;
	read_probe(skel, &before);
	skel->bss->finished = 0;
	skel->bss->nested_armed = 1;
	err = bpf_prog_test_run_opts(bpf_program__fd(skel->progs.outer_holding_task), &opts);
	skel->bss->nested_armed = 0;
	bpf_link__destroy(link);

	ASSERT_OK(err, "test run");
	ASSERT_EQ(opts.retval, 1, "outer run not killed");
	ASSERT_EQ(skel->bss->finished, 1, "outer run finished");
	ASSERT_EQ(skel->bss->nested_finished, 0, "nested run killed");
	ASSERT_EQ(skel->data->held_before, 1, "outer holds its task");
	ASSERT_EQ(skel->data->held_after, 1, "outer still holds it after the kill");
	read_probe(skel, &after);
	ASSERT_EQ(after.kills, before.kills + 1, "one kill");
	ASSERT_EQ(after.task_users, before.task_users, "task references back");
	ASSERT_EQ(after.context, before.context, "preempt/irq/rcu state back");
}

/*
 * An LSM program @prog killed holding a file reference and a file dynptr
 * that read from the file: the open it ran for fails closed, the watchdog
 * releases both (its release tracepoint says so), and the file's
 * reference count is what it was.
 */
static void test_file_dynptr(struct watchdog_kill *skel, struct bpf_program *prog)
{
	struct bpf_link *count, *link;
	struct probe_state before, after;
	int fd, err;

	count = bpf_program__attach(skel->progs.count_releases);
	if (!ASSERT_OK_PTR(count, "attach count_releases"))
		return;
	read_probe(skel, &before);
	skel->bss->finished = 0;
	skel->bss->iterations = 0;
	skel->bss->released_file = 0;
	skel->bss->released_file_dynptr = 0;
	skel->bss->dynptr_recorded = 0;
	skel->data->dynptr_ret = -1;
	skel->data->exe_refs_in_run = -1;
	skel->data->exe_refs_after = -1;
	skel->bss->open_pid = getpid();
	link = bpf_program__attach_lsm(prog);
	if (!ASSERT_OK_PTR(link, "attach lsm")) {
		bpf_link__destroy(count);
		return;
	}
	fd = open("/dev/null", O_RDONLY);
	err = fd < 0 ? errno : 0;
	bpf_link__destroy(link);
	if (fd >= 0)
		close(fd);
	ASSERT_EQ(err, EPERM, "open fails closed");
	ASSERT_EQ(skel->bss->finished, 0, "killed before its end");
	ASSERT_GT(skel->bss->iterations, 0, "ran before the kill");
	ASSERT_GE(skel->data->dynptr_ret, 0, "dynptr made and read");
	ASSERT_EQ(skel->bss->dynptr_recorded, 1, "record holds the dynptr and the file");
	ASSERT_EQ(skel->bss->released_file_dynptr, 1, "file dynptr released");
	ASSERT_EQ(skel->bss->released_file, 1, "file reference released");
	bpf_link__destroy(count);

	link = bpf_program__attach_lsm(skel->progs.probe_exe_refs);
	if (ASSERT_OK_PTR(link, "attach probe")) {
		fd = open("/dev/null", O_RDONLY);
		if (ASSERT_GE(fd, 0, "open"))
			close(fd);
		bpf_link__destroy(link);
		ASSERT_EQ(skel->data->exe_refs_after, skel->data->exe_refs_in_run,
			  "file references back");
	}
	skel->bss->open_pid = 0;
	read_probe(skel, &after);
	ASSERT_EQ(after.kills, before.kills + 1, "one kill");
	ASSERT_EQ(after.context, before.context, "preempt/irq/rcu state back");
}

struct nmi_runner {
	struct watchdog_kill *skel;
	int cpu;
	int ran_on;
	int err;
	int retval;
};

static void *run_irqs_off(void *arg)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts);
	struct nmi_runner *r = arg;

	pin_to_cpu(r->cpu);
	r->ran_on = sched_getcpu();
	r->err = bpf_prog_test_run_opts(bpf_program__fd(r->skel->progs.irqs_off_under_nmi),
					&opts);
	r->retval = opts.retval;
	return NULL;
}

/*
 * One try of test_nmi(): the IRQs-off run on CPU 1 and sysrq-l from CPU 0.
 * False if it could not even start; the caller checks what happened.
 */
static bool nmi_try(struct watchdog_kill *skel, struct nmi_runner *r)
{
	struct bpf_link *link;
	pthread_t runner;
	cpu_set_t old;
	int i, fd;

	r->err = 1;
	skel->bss->finished = 0;
	skel->bss->nmi_runs = 0;
	skel->bss->nmi_finished = 0;
	skel->data->nmi_held = -1;
	skel->bss->task_iters = 0;
	skel->bss->task_iters_at_nmi = 0;
	skel->bss->task_max_gap_ns = 0;
	skel->data->nmi_cpu = r->cpu;
	skel->data->task_cpu = -1;
	r->ran_on = -1;
	link = bpf_program__attach(skel->progs.nmi_runaway);
	if (!ASSERT_OK_PTR(link, "attach tp_btf/nmi_handler"))
		return false;

	pthread_getaffinity_np(pthread_self(), sizeof(old), &old);
	pin_to_cpu(0);
	if (!ASSERT_OK(pthread_create(&runner, NULL, run_irqs_off, r), "runner")) {
		pthread_setaffinity_np(pthread_self(), sizeof(old), &old);
		bpf_link__destroy(link);
		return false;
	}
	for (i = 0; i < 50000 && !READ_ONCE(skel->bss->task_iters); i++)
		usleep(100);
	fd = open("/proc/sysrq-trigger", O_WRONLY);
	if (ASSERT_GE(fd, 0, "open sysrq-trigger")) {
		ASSERT_EQ(write(fd, "l", 1), 1, "sysrq-l");
		close(fd);
	}
	pthread_join(runner, NULL);
	pthread_setaffinity_np(pthread_self(), sizeof(old), &old);
	bpf_link__destroy(link);
	return true;
}

/*
 * An NMI program overruns on a CPU where a run with IRQs off is itself
 * overrunning.  The NMI comes from sysrq-l, which sends the backtrace NMI
 * to every other CPU (the kernel log gets their backtraces).  Both runs
 * are killed by their own cancellation points, NMI first; the interrupted
 * run goes on after the NMI's kill and is killed at its own budget, with
 * its IRQ state restored.
 *
 * In full make check runs the NMI has sometimes reached CPU 1 only as the
 * IRQs-off run ended (its last step is the NMI's; 2 of 6 runs, never in
 * runs of this subtest alone): then the case under test did not happen,
 * and it is tried again, up to three times.
 */
static void test_nmi(struct watchdog_kill *skel)
{
	struct nmi_runner r = { .skel = skel, .cpu = 1, .err = 1 };
	struct probe_state before, after;
	__u64 nmi_ns;
	int try;

	if (libbpf_num_possible_cpus() < 2 || access("/proc/sysrq-trigger", W_OK)) {
		test__skip();
		return;
	}
	/* The NMI run gets the tracing budget (20 ms), the test run 1 s. */
	if (!ASSERT_OK(write_num("syscall_budget_us", 1000000), "syscall budget"))
		return;
	for (try = 1; try <= 3; try++) {
		read_probe(skel, &before);
		if (!nmi_try(skel, &r))
			goto out;
		if (!skel->bss->task_iters_at_nmi ||
		    skel->bss->task_iters > skel->bss->task_iters_at_nmi)
			break;
		printf("nmi: try %d: the NMI came as the interrupted run ended (runner on CPU %d, run on CPU %d, %llu steps), again\n",
		       try, r.ran_on, skel->data->task_cpu,
		       (unsigned long long)skel->bss->task_iters);
	}

	ASSERT_EQ(skel->data->task_cpu, r.cpu, "interrupted run on its CPU");
	ASSERT_EQ(r.err, -ETIMEDOUT, "interrupted run killed");
	ASSERT_EQ(r.retval, 0, "interrupted run's abort value");
	ASSERT_EQ(skel->bss->finished, 0, "interrupted run killed before its end");
	ASSERT_EQ(skel->bss->nmi_runs, 1, "one NMI run on the CPU");
	ASSERT_EQ(skel->bss->nmi_finished, 0, "NMI run killed");
	ASSERT_EQ(skel->data->nmi_held, 0, "NMI run holds nothing of the run below");
	ASSERT_GT(skel->bss->task_iters_at_nmi, 0, "NMI came while the run looped");
	ASSERT_GT(skel->bss->task_iters, skel->bss->task_iters_at_nmi,
		  "interrupted run went on after the NMI's kill");
	/*
	 * From the NMI program's start to the interrupted run's next step:
	 * at least the budget, plus the countdown's slack (TCG-generous).
	 * The NMI as a whole also ran the backtrace handler before it.
	 */
	nmi_ns = skel->bss->task_gap_end_ns - skel->bss->nmi_start_ns;
	ASSERT_GE(nmi_ns, TEST_BUDGET_US * 1000ull, "NMI run ran its budget");
	ASSERT_LT(nmi_ns, 2 * TEST_BUDGET_US * 1000ull, "NMI run killed soon after its budget");
	read_probe(skel, &after);
	ASSERT_EQ(after.kills, before.kills + 2, "two kills");
	ASSERT_EQ(after.context, before.context, "preempt/irq/rcu state back");
	if (env.verbosity > VERBOSE_NONE)
		printf("nmi: NMI run %llu us (whole NMI %llu us), interrupted run %llu steps\n",
		       nmi_ns / 1000, skel->bss->task_max_gap_ns / 1000,
		       skel->bss->task_iters);
out:
	skel->data->nmi_cpu = -1;
	ASSERT_OK(write_param("syscall_budget_us", "0"), "syscall budget back");
}

static int read_mode(void)
{
	return read_param("mode");
}

/* Whether the running kernel has function @func (its BTF says so). */
static bool kernel_has_func(const char *func)
{
	struct btf *btf = btf__load_vmlinux_btf();
	bool has;

	if (!btf)
		return false;
	has = btf__find_by_name_kind(btf, func, BTF_KIND_FUNC) > 0;
	btf__free(btf);
	return has;
}

/*
 * A bpf_qdisc's enqueue owns its skb from its first instruction.  One that
 * runs away with it is killed when a UDP packet goes through the qdisc (on
 * lo, in a netns of its own): the kill frees the skb, so the socket's send
 * buffer is empty again (SIOCOUTQ), and the enqueue returns NET_XMIT_DROP,
 * which a socket with IP_RECVERR sees as ENOBUFS (NET_XMIT_SUCCESS would
 * make the send succeed).
 */
static void test_qdisc(struct watchdog_kill *kskel)
{
	DECLARE_LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = 1,
			    .attach_point = BPF_TC_QDISC,
			    .parent = TC_H_ROOT,
			    .handle = 0x8000000,
			    .qdisc = "bpf_wd_runaway");
	struct sockaddr_in dst = {
		.sin_family = AF_INET,
		.sin_port = htons(9),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	struct probe_state before, after;
	struct watchdog_qdisc *skel = NULL;
	struct bpf_link *link = NULL;
	struct netns_obj *ns;
	int fd = -1, one = 1, outq = -1;
	bool hooked = false;
	__u64 t0, ms;
	ssize_t n;

	if (!kernel_has_func("bpf_qdisc_skb_drop")) {
		test__skip();
		return;
	}
	ns = netns_new("wd_qdisc", true);
	if (!ASSERT_OK_PTR(ns, "netns_new"))
		return;
	skel = watchdog_qdisc__open_and_load();
	if (!ASSERT_OK_PTR(skel, "open_and_load"))
		goto out;
	link = bpf_map__attach_struct_ops(skel->maps.wd_qdisc);
	if (!ASSERT_OK_PTR(link, "attach_struct_ops"))
		goto out;
	if (!ASSERT_OK(bpf_tc_hook_create(&hook), "add the qdisc to lo"))
		goto out;
	hooked = true;
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (!ASSERT_GE(fd, 0, "socket") ||
	    !ASSERT_OK(setsockopt(fd, SOL_IP, IP_RECVERR, &one, sizeof(one)), "IP_RECVERR"))
		goto out;

	/* The qdisc drops a packet itself: ENOBUFS. */
	n = sendto(fd, "x", 1, 0, (struct sockaddr *)&dst, sizeof(dst));
	ASSERT_EQ(n, -1, "packet dropped by the qdisc");
	ASSERT_EQ(errno, ENOBUFS, "NET_XMIT_DROP");

	read_probe(kskel, &before);
	skel->bss->runaway = 1;
	t0 = now_ns();
	n = sendto(fd, "x", 1, 0, (struct sockaddr *)&dst, sizeof(dst));
	ms = (now_ns() - t0) / 1000000;
	skel->bss->runaway = 0;
	ASSERT_EQ(n, -1, "packet dropped by the kill");
	ASSERT_EQ(errno, ENOBUFS, "killed enqueue returned NET_XMIT_DROP");
	ASSERT_EQ(skel->bss->finished, 0, "killed before its end");
	ASSERT_GT(skel->bss->iterations, 0, "ran before the kill");
	ASSERT_EQ(skel->bss->held_ok, 1, "record: the enqueue's skb");
	ASSERT_GE(ms, TEST_BUDGET_US / 1000, "ran at least its budget");
	ASSERT_LT(ms, 50 * TEST_BUDGET_US / 1000, "killed soon after its budget");
	read_probe(kskel, &after);
	ASSERT_EQ(after.kills, before.kills + 1, "one more kill");
	ASSERT_EQ(after.context, before.context, "preempt/irq/rcu state back");
	/* The skb was charged to the socket until it was freed. */
	ASSERT_OK(ioctl(fd, SIOCOUTQ, &outq), "SIOCOUTQ");
	ASSERT_EQ(outq, 0, "the enqueue's skb freed");

	/* And the qdisc goes on. */
	n = sendto(fd, "x", 1, 0, (struct sockaddr *)&dst, sizeof(dst));
	ASSERT_EQ(n, -1, "next packet dropped by the qdisc");
	ASSERT_EQ(errno, ENOBUFS, "NET_XMIT_DROP again");
out:
	if (fd >= 0)
		close(fd);
	if (hooked)
		bpf_tc_hook_destroy(&hook);
	bpf_link__destroy(link);
	watchdog_qdisc__destroy(skel);
	netns_free(ns);
}

/* Report mode reports an overrun and lets the run end; enforce kills it. */
static void test_report_mode(struct watchdog_kill *skel)
{
	static const char * const bad[] = { "3", "-1", "abc", "4294967296" };
	LIBBPF_OPTS(bpf_test_run_opts, opts);
	struct probe_state before, after;
	int fd, old;

	fd = bpf_program__fd(skel->progs.overrun_bounded);
	old = read_mode();

	if (!ASSERT_EQ(old, 2, "default mode is enforce"))
		return;
	for (int i = 0; i < ARRAY_SIZE(bad); i++) {
		ASSERT_EQ(write_param("mode", bad[i]), -EINVAL, bad[i]);
		ASSERT_EQ(read_mode(), 2, "mode unchanged");
	}

	ASSERT_OK(write_param("mode", "1"), "report mode");
	read_probe(skel, &before);
	skel->bss->finished = 0;
	ASSERT_OK(bpf_prog_test_run_opts(fd, &opts), "run in report mode");
	ASSERT_EQ(opts.retval, 1, "not killed in report mode");
	ASSERT_EQ(skel->bss->finished, 1, "ran to its end");
	read_probe(skel, &after);
	ASSERT_EQ(after.kills, before.kills, "no kill in report mode");

	ASSERT_OK(write_param("mode", "2"), "enforce mode");
	skel->bss->finished = 0;
	ASSERT_EQ(bpf_prog_test_run_opts(fd, &opts), -ETIMEDOUT, "run in enforce mode");
	ASSERT_EQ(opts.retval, 0, "killed in enforce mode");
	ASSERT_EQ(skel->bss->finished, 0, "killed before its end");
	read_probe(skel, &after);
	ASSERT_EQ(after.kills, before.kills + 1, "one kill in enforce mode");
}

static bool toggling;

static void *toggle_mode(void *arg)
{
	static const char * const modes[] = { "0", "1", "2" };
	int i = 0;

	while (READ_ONCE(toggling)) {
		write_param("mode", modes[i++ % 3]);
		usleep(1000);
	}
	return NULL;
}

struct toggle_runner {
	int fd;
	int runs;
	int bad;
};

/* Runs a program that holds a task reference, over and over. */
static void *run_while_toggling(void *arg)
{
	struct toggle_runner *r = arg;

	while (READ_ONCE(toggling)) {
		LIBBPF_OPTS(bpf_test_run_opts, opts);

		if (bpf_prog_test_run_opts(r->fd, &opts) || opts.retval != 1)
			r->bad++;
		r->runs++;
	}
	return NULL;
}

/*
 * Flipping the mode every millisecond while four threads (on both CPUs)
 * run looping programs that hold a task reference loses and leaks
 * nothing: runs start in one mode and end in another, their cancellation
 * points check and arm the timer as the mode changes, and every run ends
 * normally (none overruns its budget) with the references all back.
 */
static void test_mode_toggle(struct watchdog_kill *skel)
{
	struct toggle_runner runner[4] = {};
	struct probe_state before, after;
	pthread_t thread, threads[4];
	int i, n = 0, runs = 0;

	/*
	 * Budgets count wall-clock time, preemption included: four runners
	 * and the toggler on two CPUs of a loaded host can hold a 1 ms run
	 * off its CPU for longer than the kill tests' 20 ms.  This test is
	 * about balance, not kills: give the runs a budget they never reach.
	 */
	if (!ASSERT_OK(set_budget(1000000), "1 s budget"))
		return;
	read_probe(skel, &before);
	WRITE_ONCE(toggling, true);
	for (i = 0; i < ARRAY_SIZE(threads); i++) {
		runner[i].fd = bpf_program__fd(skel->progs.loop_holding_task);
		if (!ASSERT_OK(pthread_create(&threads[i], NULL, run_while_toggling,
					      &runner[i]), "runner"))
			break;
		n++;
	}
	if (ASSERT_OK(pthread_create(&thread, NULL, toggle_mode, NULL), "toggler")) {
		usleep(2000000);
		WRITE_ONCE(toggling, false);
		pthread_join(thread, NULL);
	}
	WRITE_ONCE(toggling, false);
	for (i = 0; i < n; i++) {
		pthread_join(threads[i], NULL);
		ASSERT_EQ(runner[i].bad, 0, "every run ended normally");
		runs += runner[i].runs;
	}
	ASSERT_OK(write_param("mode", "2"), "back to enforce");
	ASSERT_GT(runs, 100, "runs while toggling");
	read_probe(skel, &after);
	ASSERT_EQ(after.kills, before.kills, "no kill");
	ASSERT_EQ(after.task_users, before.task_users, "task references back");
	ASSERT_EQ(after.context, before.context, "preempt/irq/rcu state back");
	ASSERT_OK(set_budget(TEST_BUDGET_US), "budget back");
}

static int no_sample(void *ctx, void *data, size_t size)
{
	return -EINVAL;	/* a discarded sample is never delivered */
}

/*
 * The killed run's sample was discarded: the consumer skips it, and the
 * space is there for the next reservation.  A leaked reservation would
 * block the consumer and the space forever.
 */
static void check_ringbuf(struct watchdog_kill *skel)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts);
	struct ring_buffer *rb;

	rb = ring_buffer__new(bpf_map__fd(skel->maps.ringbuf), no_sample, NULL, NULL);
	if (!ASSERT_OK_PTR(rb, "ring_buffer__new"))
		return;
	ASSERT_OK(ring_buffer__consume(rb), "nothing delivered");
	ring_buffer__free(rb);
	ASSERT_OK(bpf_prog_test_run_opts(bpf_program__fd(skel->progs.probe_ringbuf), &opts),
		  "ringbuf probe");
	ASSERT_EQ(skel->data->reserve_ret, 0, "ring space back");
}

/* Before a kill test: what the program under test needs. */
/* kill_holding_socket's connection: listener, client, accepted socket. */
static int sk_fds[3] = { -1, -1, -1 };
static int sk_refs_before;

/* The reference count of the TCP socket @lport <- @rport (/proc/net/tcp). */
static int tcp_refcnt(__u16 lport, __u16 rport)
{
	char line[512], rem[32], want_loc[16], want_rem[16];
	int refs = -1, n;
	FILE *f;

	f = fopen("/proc/net/tcp", "r");
	if (!f)
		return -1;
	snprintf(want_loc, sizeof(want_loc), "0100007F:%04X", lport);
	snprintf(want_rem, sizeof(want_rem), "0100007F:%04X", rport);
	while (fgets(line, sizeof(line), f)) {
		char loc[32];
		int r;

		/* sl local rem st tx:rx tr:when retrnsmt uid timeout inode ref */
		n = sscanf(line, " %*s %31s %31s %*s %*s %*s %*s %*s %*s %*s %d",
			   loc, rem, &r);
		if (n == 3 && !strcmp(loc, want_loc) && !strcmp(rem, want_rem))
			refs = r;
	}
	fclose(f);
	return refs;
}

static void prepare_socket(struct watchdog_kill *skel)
{
	struct sockaddr_in srv, cli;
	socklen_t len = sizeof(srv);

	sk_fds[0] = start_server(AF_INET, SOCK_STREAM, "127.0.0.1", 0, 0);
	if (!ASSERT_GE(sk_fds[0], 0, "start_server"))
		return;
	sk_fds[1] = connect_to_fd(sk_fds[0], 0);
	if (!ASSERT_GE(sk_fds[1], 0, "connect_to_fd"))
		return;
	sk_fds[2] = accept(sk_fds[0], NULL, NULL);
	if (!ASSERT_GE(sk_fds[2], 0, "accept"))
		return;
	getsockname(sk_fds[0], (struct sockaddr *)&srv, &len);
	len = sizeof(cli);
	getsockname(sk_fds[1], (struct sockaddr *)&cli, &len);
	/* The tuple of a packet from the client: finds the accepted socket. */
	skel->bss->sk_tuple.ipv4.saddr = cli.sin_addr.s_addr;
	skel->bss->sk_tuple.ipv4.sport = cli.sin_port;
	skel->bss->sk_tuple.ipv4.daddr = srv.sin_addr.s_addr;
	skel->bss->sk_tuple.ipv4.dport = srv.sin_port;
	sk_refs_before = tcp_refcnt(ntohs(srv.sin_port), ntohs(cli.sin_port));
	ASSERT_GT(sk_refs_before, 0, "socket reference count");
}

static void check_socket(struct watchdog_kill *skel)
{
	struct sockaddr_in srv, cli;
	socklen_t len = sizeof(srv);
	int i;

	ASSERT_EQ(skel->bss->sk_found, 1, "the run held the socket");
	getsockname(sk_fds[0], (struct sockaddr *)&srv, &len);
	len = sizeof(cli);
	getsockname(sk_fds[1], (struct sockaddr *)&cli, &len);
	ASSERT_EQ(tcp_refcnt(ntohs(srv.sin_port), ntohs(cli.sin_port)), sk_refs_before,
		  "socket reference back");
	for (i = 0; i < 3; i++) {
		if (sk_fds[i] >= 0)
			close(sk_fds[i]);
		sk_fds[i] = -1;
	}
}

/*
 * Whether the program's translated calls name @want, in order, and no
 * other tracked function or wrapper: each call's target is
 * __bpf_call_base + imm.  @want is a list of names separated by spaces.
 */
static void check_calls(struct ksyms *ksyms, long call_base, struct bpf_program *prog,
			const char *want)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info), n, i;
	struct bpf_insn *insns = NULL;
	char got[512] = "";
	int fd = bpf_program__fd(prog);

	if (!ASSERT_OK(bpf_prog_get_info_by_fd(fd, &info, &len), "prog info"))
		return;
	n = info.xlated_prog_len / sizeof(*insns);
	insns = calloc(n, sizeof(*insns));
	if (!ASSERT_OK_PTR(insns, "insns"))
		return;
	memset(&info, 0, sizeof(info));
	info.xlated_prog_len = n * sizeof(*insns);
	info.xlated_prog_insns = ptr_to_u64(insns);
	len = sizeof(info);
	if (!ASSERT_OK(bpf_prog_get_info_by_fd(fd, &info, &len), "xlated insns"))
		goto out;
	for (i = 0; i < n; i++) {
		struct ksym *sym;
		const char *name;

		if (insns[i].code != (BPF_JMP | BPF_CALL) || insns[i].src_reg == BPF_PSEUDO_CALL)
			continue;
		sym = ksym_search_local(ksyms, call_base + insns[i].imm);
		if (!sym || sym->addr != call_base + insns[i].imm)
			continue;
		name = sym->name;
		/* Only what the test is about: task references and locks. */
		if (strncmp(name, "bpf_wd_bpf_", 11) && strncmp(name, "bpf_task_", 9) &&
		    strncmp(name, "bpf_rcu_", 8) && strncmp(name, "bpf_preempt_", 12) &&
		    strncmp(name, "bpf_local_irq_", 14) && strncmp(name, "bpf_spin_", 9))
			continue;
		if (got[0])
			strncat(got, " ", sizeof(got) - strlen(got) - 1);
		strncat(got, name, sizeof(got) - strlen(got) - 1);
	}
	ASSERT_STREQ(got, want, bpf_program__name(prog));
out:
	free(insns);
}

/*
 * The kills of what other subsystems' kfuncs hand out (conntrack, xfrm,
 * wakeup sources, HID-BPF) need those subsystems: the kfunc a test needs,
 * or NULL.  Kernels built without it skip the test.
 */
static const char *kill_needs(const char *name)
{
	if (!strcmp(name, "kill_holding_ct"))
		return "bpf_skb_ct_alloc";
	if (!strcmp(name, "kill_holding_xfrm_state"))
		return "bpf_xdp_get_xfrm_state";
	if (!strcmp(name, "kill_holding_wakeup_srcu"))
		return "bpf_wakeup_sources_read_lock";
	if (!strcmp(name, "kill_holding_hid_ctx"))
		return "hid_bpf_allocate_context";
	return NULL;
}

/* Runs the tc or XDP program @prog once on a test packet; its retval. */
static int run_on_packet(struct bpf_program *prog)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts,
		.data_in = &pkt_v4,
		.data_size_in = sizeof(pkt_v4),
		.repeat = 1,
	);

	if (!ASSERT_OK(bpf_prog_test_run_opts(bpf_program__fd(prog), &opts),
		       bpf_program__name(prog)))
		return -1;
	return opts.retval;
}

/* Runs the syscall program @prog once; its retval. */
static int run_syscall(struct bpf_program *prog)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts);

	if (!ASSERT_OK(bpf_prog_test_run_opts(bpf_program__fd(prog), &opts),
		       bpf_program__name(prog)))
		return -1;
	return opts.retval;
}

/* The network namespace a kill test of conntrack or xfrm runs in. */
static struct netns_obj *kill_ns;
/* What the probes saw before the kill. */
static int users_before, ct_count_before;

static int ct_count(void)
{
	FILE *f = fopen("/proc/sys/net/netfilter/nf_conntrack_count", "r");
	int n = -1;

	if (!f)
		return -errno;
	if (fscanf(f, "%d", &n) != 1)
		n = -EINVAL;
	fclose(f);
	return n;
}

/* An entry in a fresh netns's table, and its references. */
static void prepare_ct(struct watchdog_kill *skel)
{
	kill_ns = netns_new("wd_kill_ct", true);
	if (!ASSERT_OK_PTR(kill_ns, "netns_new"))
		return;
	skel->bss->ct_tuple.ipv4.saddr = htonl(0x0a000001);
	skel->bss->ct_tuple.ipv4.daddr = htonl(0x0a000002);
	skel->bss->ct_tuple.ipv4.sport = htons(40000);
	skel->bss->ct_tuple.ipv4.dport = htons(80);
	ASSERT_EQ(run_on_packet(skel->progs.insert_ct), 0, "conntrack entry inserted");
	ASSERT_EQ(run_on_packet(skel->progs.probe_ct), 0, "conntrack probe");
	users_before = skel->data->ct_users;
	ASSERT_GT(users_before, 0, "conntrack entry references");
	ct_count_before = ct_count();
	ASSERT_EQ(ct_count_before, 1, "nf_conntrack_count");
}

static void check_ct(struct watchdog_kill *skel)
{
	ASSERT_EQ(skel->bss->held_ok, 1, "record: new entry, then the table's");
	ASSERT_EQ(run_on_packet(skel->progs.probe_ct), 0, "conntrack probe");
	ASSERT_EQ(skel->data->ct_users, users_before, "conntrack references back");
	/* nf_conntrack_free() of the new entry counts it out at once. */
	ASSERT_EQ(ct_count(), ct_count_before, "new conntrack entry freed");
}

#define XFRM_DADDR "10.1.0.2"
#define XFRM_SPI 0x4242

/* An ESP state with the null cipher in a fresh netns, and its references. */
static void prepare_xfrm(struct watchdog_kill *skel)
{
	kill_ns = netns_new("wd_kill_xfrm", true);
	if (!ASSERT_OK_PTR(kill_ns, "netns_new"))
		return;
	if (!ASSERT_OK(SYS_NOFAIL("ip xfrm state add src 10.1.0.1 dst " XFRM_DADDR
				  " proto esp spi %d enc cipher_null ''", XFRM_SPI),
		       "ip xfrm state add"))
		return;
	skel->bss->xfrm_daddr = inet_addr(XFRM_DADDR);
	skel->bss->xfrm_spi = htonl(XFRM_SPI);
	ASSERT_EQ(run_on_packet(skel->progs.probe_xfrm_state), 0, "xfrm state probe");
	users_before = skel->data->xfrm_users;
	ASSERT_GT(users_before, 0, "xfrm state references");
}

static void check_xfrm(struct watchdog_kill *skel)
{
	ASSERT_EQ(skel->bss->held_ok, 1, "record: the xfrm state");
	ASSERT_EQ(run_on_packet(skel->progs.probe_xfrm_state), 0, "xfrm state probe");
	ASSERT_EQ(skel->data->xfrm_users, users_before, "xfrm state references back");
}

/*
 * Removes a wakeup source, which waits for the wakeup sources' SRCU
 * readers (wakeup_source_remove()): an epoll with an EPOLLWAKEUP item has
 * one, removed when it is closed.  In a child, so that a read lock a kill
 * left held hangs the child, not the test: false if it did not finish
 * within 10 s.
 */
static bool wakeup_source_removed(void)
{
	int status, i;
	pid_t child;

	child = fork();
	if (child < 0)
		return false;
	if (child == 0) {
		struct epoll_event ev = { .events = EPOLLIN | EPOLLWAKEUP };
		int ep = epoll_create1(0), efd = eventfd(0, 0);

		if (ep < 0 || efd < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, efd, &ev))
			_exit(2);
		close(ep);
		_exit(0);
	}
	for (i = 0; i < 1000; i++) {
		if (waitpid(child, &status, WNOHANG) == child)
			return WIFEXITED(status) && WEXITSTATUS(status) == 0;
		usleep(10000);
	}
	/* Left behind: it cannot be killed while it waits in the kernel. */
	kill(child, SIGKILL);
	return false;
}

/* The uhid device of the HID-BPF kill test, and its HID id. */
static int uhid_fd = -1;

/* A three-button mouse's report descriptor (HID 1.11, appendix E.10). */
static const __u8 mouse_rdesc[] = {
	0x05, 0x01, 0x09, 0x02, 0xa1, 0x01, 0x09, 0x01, 0xa1, 0x00,
	0x05, 0x09, 0x19, 0x01, 0x29, 0x03, 0x15, 0x00, 0x25, 0x01,
	0x95, 0x03, 0x75, 0x01, 0x81, 0x02, 0x95, 0x01, 0x75, 0x05,
	0x81, 0x01, 0x05, 0x01, 0x09, 0x30, 0x09, 0x31, 0x15, 0x81,
	0x25, 0x7f, 0x75, 0x08, 0x95, 0x02, 0x81, 0x06, 0xc0, 0xc0,
};

#define UHID_VENDOR 0x7777
#define UHID_PRODUCT 0x4242

/* The HID id of our uhid device once the HID core added it, or -1. */
static int find_uhid_device(void)
{
	char prefix[32];
	struct dirent *de;
	int id = -1;
	DIR *d;

	snprintf(prefix, sizeof(prefix), "%04X:%04X:%04X.", 3, UHID_VENDOR, UHID_PRODUCT);
	d = opendir("/sys/bus/hid/devices");
	if (!d)
		return -1;
	while ((de = readdir(d))) {
		if (!strncmp(de->d_name, prefix, strlen(prefix)))
			id = strtol(de->d_name + strlen(prefix), NULL, 16);
	}
	closedir(d);
	return id;
}

static void prepare_hid(struct watchdog_kill *skel)
{
	struct uhid_event ev = { .type = UHID_CREATE2 };
	int i, id = -1;

	uhid_fd = open("/dev/uhid", O_RDWR | O_CLOEXEC);
	if (!ASSERT_GE(uhid_fd, 0, "open /dev/uhid"))
		return;
	strcpy((char *)ev.u.create2.name, "bpf-watchdog-test");
	memcpy(ev.u.create2.rd_data, mouse_rdesc, sizeof(mouse_rdesc));
	ev.u.create2.rd_size = sizeof(mouse_rdesc);
	ev.u.create2.bus = 3;	/* BUS_USB */
	ev.u.create2.vendor = UHID_VENDOR;
	ev.u.create2.product = UHID_PRODUCT;
	if (!ASSERT_EQ(write(uhid_fd, &ev, sizeof(ev)), sizeof(ev), "UHID_CREATE2"))
		return;
	/* uhid adds the device from a work item. */
	for (i = 0; i < 500 && id < 0; i++) {
		id = find_uhid_device();
		if (id < 0)
			usleep(10000);
	}
	if (!ASSERT_GT(id, 0, "uhid device added"))
		return;
	skel->bss->hid_id = id;
	ASSERT_EQ(run_syscall(skel->progs.probe_hid_ctx), 0, "HID context probe");
	users_before = skel->data->hid_users;
	ASSERT_GT(users_before, 0, "HID device references");
}

static void check_hid(struct watchdog_kill *skel)
{
	ASSERT_EQ(skel->bss->held_ok, 1, "record: the HID context");
	ASSERT_EQ(run_syscall(skel->progs.probe_hid_ctx), 0, "HID context probe");
	ASSERT_EQ(skel->data->hid_users, users_before, "HID device references back");
	close(uhid_fd);
	uhid_fd = -1;
}

static void prepare_kill(struct watchdog_kill *skel, const char *name)
{
	skel->bss->held_ok = 0;
	if (!strcmp(name, "kill_holding_ct"))
		prepare_ct(skel);
	else if (!strcmp(name, "kill_holding_xfrm_state"))
		prepare_xfrm(skel);
	else if (!strcmp(name, "kill_holding_hid_ctx"))
		prepare_hid(skel);
	if (!strcmp(name, "kill_holding_socket"))
		prepare_socket(skel);
	if (!strcmp(name, "kill_holding_crypto_ctx")) {
		LIBBPF_OPTS(bpf_test_run_opts, opts);
		int fd = bpf_program__fd(skel->progs.warm_crypto_ctx);

		ASSERT_OK(bpf_prog_test_run_opts(fd, &opts), "warm crypto");
		ASSERT_EQ(opts.retval, 0, "crypto ctx made and released");
	}
	if (!strcmp(name, "kill_in_find_vma")) {
		skel->bss->vma_addr = (__u64)(unsigned long)&env;
	} else if (!strcmp(name, "kill_in_user_ringbuf_drain")) {
		struct user_ring_buffer *urb;

		urb = user_ring_buffer__new(bpf_map__fd(skel->maps.user_rb), NULL);
		if (!ASSERT_OK_PTR(urb, "user_ring_buffer__new"))
			return;
		for (int i = 0; i < 8; i++) {
			void *sample = user_ring_buffer__reserve(urb, 8);

			if (!ASSERT_OK_PTR(sample, "reserve"))
				break;
			user_ring_buffer__submit(urb, sample);
		}
		user_ring_buffer__free(urb);
	}
}

/* After a kill test: what it must have left behind, and nothing more. */
static void check_kill(struct watchdog_kill *skel, const char *name)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts);

	if (!strcmp(name, "kill_holding_socket")) {
		check_socket(skel);
	} else if (!strcmp(name, "kill_holding_ct")) {
		check_ct(skel);
	} else if (!strcmp(name, "kill_holding_xfrm_state")) {
		check_xfrm(skel);
	} else if (!strcmp(name, "kill_holding_wakeup_srcu")) {
		ASSERT_EQ(skel->bss->held_ok, 1, "record: the SRCU read lock");
		ASSERT_TRUE(wakeup_source_removed(), "wakeup sources' SRCU readers gone");
	} else if (!strcmp(name, "kill_holding_hid_ctx")) {
		check_hid(skel);
	} else if (!strcmp(name, "kill_holding_ringbuf_sample")) {
		check_ringbuf(skel);
	} else if (!strcmp(name, "kill_holding_ksock")) {
		int fd = bpf_program__fd(skel->progs.probe_ksock);

		ASSERT_OK(bpf_prog_test_run_opts(fd, &opts), "ksock probe");
		ASSERT_EQ(skel->data->ksock_users, 1, "only the map's ksock reference left");
	} else if (!strcmp(name, "kill_holding_crypto_ctx")) {
		int fd = bpf_program__fd(skel->progs.probe_crypto_ctx);

		ASSERT_OK(bpf_prog_test_run_opts(fd, &opts), "crypto ctx probe");
		ASSERT_EQ(skel->bss->crypto_err, 0, "crypto ctx made");
		ASSERT_EQ(skel->data->crypto_users, 1,
			  "only the map's crypto ctx reference left");
	} else if (!strcmp(name, "kill_holding_spin_lock")) {
		int fd = bpf_program__fd(skel->progs.probe_spin_lock);

		/* Hangs here if the kill left the lock taken. */
		ASSERT_OK(bpf_prog_test_run_opts(fd, &opts), "spin lock probe");
		ASSERT_EQ(opts.retval, 0, "spin lock free again");
	} else if (!strcmp(name, "kill_after_elided_pairs")) {
		struct ksyms *ksyms = load_kallsyms_local();
		int fd = bpf_program__fd(skel->progs.probe_spin_lock);

		/* The pairs before the loops call the functions themselves. */
		if (ASSERT_OK_PTR(ksyms, "kallsyms"))
			check_calls(ksyms, ksym_get_addr_local(ksyms, "__bpf_call_base"),
				    skel->progs.kill_after_elided_pairs,
				    "bpf_task_acquire bpf_task_release "
				    "bpf_spin_lock bpf_spin_unlock "
				    "bpf_preempt_disable bpf_preempt_enable "
				    "bpf_local_irq_save bpf_local_irq_restore "
				    "bpf_wd_bpf_task_from_pid bpf_wd_bpf_task_release");
		free_kallsyms_local(ksyms);
		ASSERT_EQ(skel->data->held_in_loop, 1, "only the loops' reference recorded");
		/* Task references and preempt/IRQ state were compared by run_kill. */
		ASSERT_OK(bpf_prog_test_run_opts(fd, &opts), "spin lock probe");
		ASSERT_EQ(opts.retval, 0, "spin lock free");
	} else if (!strcmp(name, "kill_after_giving_away")) {
		int fd = bpf_program__fd(skel->progs.probe_collections);

		/* The map's task reference was counted by run_kill's probe. */
		ASSERT_EQ(skel->data->held_after_transfer, 0, "nothing held after giving away");
		ASSERT_OK(bpf_prog_test_run_opts(fd, &opts), "collections probe");
		ASSERT_EQ(skel->bss->list_data, 42, "list node intact");
		ASSERT_EQ(skel->bss->tree_data, 43, "rbtree node intact");
	} else if (!strcmp(name, "kill_after_taking_back")) {
		/* The task's reference count was compared by run_kill. */
		ASSERT_EQ(skel->data->held_after_taking_back, 1, "the run held what it took back");
	} else if (!strcmp(name, "kill_after_taking_back_obj")) {
		/* The task reference inside the object was counted by run_kill. */
		ASSERT_EQ(skel->data->held_after_taking_back_obj, 1,
			  "the run held the object it took back");
	} else if (!strcmp(name, "kill_after_popping")) {
		ASSERT_EQ(skel->data->held_after_popping, 1, "the run held what it popped");
	} else if (!strcmp(name, "kill_in_map_elem_callback") ||
		   !strcmp(name, "kill_in_find_vma")) {
		ASSERT_EQ(skel->bss->cb_calls, 1, "no call after the overrun");
	} else if (!strcmp(name, "kill_in_user_ringbuf_drain")) {
		int fd = bpf_program__fd(skel->progs.probe_user_ringbuf);

		ASSERT_EQ(skel->bss->cb_calls, 1, "no call after the overrun");
		ASSERT_OK(bpf_prog_test_run_opts(fd, &opts), "user ringbuf probe");
		/*
		 * The first sample went to the callback; the drain was on the
		 * second when it stopped, and consumed it unseen, as if the
		 * callback had returned 1.  The other six stay queued.
		 */
		ASSERT_EQ(skel->bss->drained, 6, "the other samples still queued");
	}
	if (!strcmp(name, "kill_in_find_vma")) {
		/* mmap() takes the mmap_lock for writing: hangs if it leaked. */
		void *p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (ASSERT_NEQ(p, MAP_FAILED, "mmap after the kill"))
			munmap(p, 4096);
	}
}

static void *run_holder(void *arg)
{
	struct watchdog_kill *skel = arg;
	LIBBPF_OPTS(bpf_test_run_opts, opts);

	pin_to_cpu(0);
	bpf_prog_test_run_opts(bpf_program__fd(skel->progs.hold_res_lock), &opts);
	return (void *)(long)opts.retval;
}

/*
 * A run waiting for a bpf_res_spin_lock that another CPU holds gives up
 * when the watchdog cancels it (-ETIMEDOUT at its budget, not at
 * rqspinlock's own 250 ms timeout), and is killed at its next point.
 */
static void test_lock_wait(struct watchdog_kill *skel)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts);
	struct probe_state before, after;
	pthread_t holder;
	void *holder_ret;
	__u64 t0, ms;
	cpu_set_t old;
	int i;

	if (libbpf_num_possible_cpus() < 2) {
		test__skip();
		return;
	}
	pthread_getaffinity_np(pthread_self(), sizeof(old), &old);
	read_probe(skel, &before);
	skel->bss->holding = 0;
	skel->bss->finished = 0;
	skel->data->wait_ret = 1;
	/* The holder starts untracked, so it keeps the lock for 250 ms. */
	if (!ASSERT_OK(write_param("mode", "0"), "mode off"))
		return;
	if (!ASSERT_OK(pthread_create(&holder, NULL, run_holder, skel), "holder")) {
		write_param("mode", "2");
		return;
	}
	for (i = 0; i < 2000 && !READ_ONCE(skel->bss->holding); i++)
		usleep(100);
	ASSERT_OK(write_param("mode", "2"), "enforce mode");
	ASSERT_EQ(READ_ONCE(skel->bss->holding), 1, "holder has the lock");

	pin_to_cpu(1);
	t0 = now_ns();
	ASSERT_EQ(bpf_prog_test_run_opts(bpf_program__fd(skel->progs.lock_waiter), &opts),
		  -ETIMEDOUT, "waiter run");
	ms = (now_ns() - t0) / 1000000;
	pthread_setaffinity_np(pthread_self(), sizeof(old), &old);
	pthread_join(holder, &holder_ret);

	ASSERT_EQ((long)holder_ret, 0, "holder ran its 250 ms");
	ASSERT_EQ(skel->data->wait_ret, -ETIMEDOUT, "wait gave up");
	ASSERT_EQ(opts.retval, 0, "waiter killed");
	ASSERT_EQ(skel->bss->finished, 0, "waiter killed before its end");
	ASSERT_LT(ms, 200, "gave up before rqspinlock's 250 ms");
	read_probe(skel, &after);
	ASSERT_EQ(after.kills, before.kills + 1, "one kill");
	ASSERT_EQ(after.lock_ret, 0, "res spin lock free again");
	ASSERT_EQ(after.context, before.context, "preempt/irq/rcu state back");
	if (env.verbosity > VERBOSE_NONE)
		printf("lock wait: waiter killed after %llu ms\n", ms);
}

/* Whether /sys/kernel/sched_ext/state reads @state. */
static bool scx_state_is(const char *state)
{
	char buf[32] = {};
	FILE *f;

	f = fopen("/sys/kernel/sched_ext/state", "r");
	if (!f)
		return false;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = 0;
	fclose(f);
	buf[strcspn(buf, "\n")] = 0;
	return !strcmp(buf, state);
}

/*
 * A sched_ext scheduler whose ops.tick() overruns: the run is killed, and
 * sched_ext, told through its struct_ops watchdog_kill() hook, ejects the
 * scheduler with a reason naming the op; tasks go back to the fair class.
 */
static void test_sched_ext(void)
{
	struct watchdog_scx *skel;
	struct bpf_link *link;
	char buf[2048];
	int i, n;

	skel = watchdog_scx__open_and_load();
	if (!ASSERT_OK_PTR(skel, "open_and_load"))
		return;
	link = bpf_map__attach_struct_ops(skel->maps.wd_runaway_ops);
	if (!ASSERT_OK_PTR(link, "attach the scheduler"))
		goto out;
	WRITE_ONCE(skel->bss->armed, 1);
	for (i = 0; i < 1000 && !READ_ONCE(skel->bss->exit_kind); i++)
		usleep(10000);
	if (env.verbosity > VERBOSE_NONE)
		printf("sched_ext exit %d after ~%d ms: %s\n", skel->bss->exit_kind,
		       i * 10, skel->bss->exit_msg);
	ASSERT_EQ(skel->bss->exit_kind, 1024, "ejected with SCX_EXIT_ERROR");
	ASSERT_OK_PTR(strstr(skel->bss->exit_msg, "ops.tick()"), "reason names the op");
	ASSERT_OK_PTR(strstr(skel->bss->exit_msg, "BPF watchdog"), "reason names the watchdog");
	ASSERT_EQ(skel->bss->finished, 0, "no tick ran to its end");
	ASSERT_GT(skel->bss->iterations, 0, "the tick ran before the kill");
	ASSERT_EQ(skel->data->held_at_loop, 4, "the tick held 4 resources");
	n = bpf_prog_stream_read(bpf_program__fd(skel->progs.wd_tick), 2, buf,
				 sizeof(buf) - 1, NULL);
	if (ASSERT_GT(n, 0, "stderr stream")) {
		buf[n] = 0;
		if (env.verbosity > VERBOSE_NONE)
			printf("stream:\n%s", buf);
		/* Newest first, each by its own release function. */
		ASSERT_OK_PTR(strstr(buf, "Released 4 held resources: iter_scx_dsq cgroup "
				     "scx_cpumask scx_idle_cpumask"), "stream: released");
	}
	/* ops.exit() runs during the disable: wait for it to complete. */
	for (i = 0; i < 200 && !scx_state_is("disabled"); i++)
		usleep(10000);
	ASSERT_TRUE(scx_state_is("disabled"), "tasks back in the fair class");
	bpf_link__destroy(link);
out:
	watchdog_scx__destroy(skel);
}

static void test_kill(void)
{
	struct watchdog_kill *skel;
	struct bpf_program *prog;
	struct settings old;

	if (!save_settings(&old))
		return;
	skel = watchdog_kill__open_and_load();
	if (!ASSERT_OK_PTR(skel, "open_and_load"))
		return;
	skel->bss->pid = getpid();
	if (!ASSERT_OK(set_budget(TEST_BUDGET_US), "set budget"))
		goto out;

	bpf_object__for_each_program(prog, skel->obj) {
		const char *name = bpf_program__name(prog);

		if (strncmp(name, "kill_", 5))
			continue;
		if (!test__start_subtest(name))
			continue;
		if (kill_needs(name) && !kernel_has_func(kill_needs(name))) {
			test__skip();
			continue;
		}
		prepare_kill(skel, name);
		run_kill(skel, prog);
		check_kill(skel, name);
		if (kill_ns) {
			netns_free(kill_ns);
			kill_ns = NULL;
		}
	}
	if (test__start_subtest("kill_waiting_for_res_spin_lock"))
		test_lock_wait(skel);
	if (test__start_subtest("kill_sched_ext_op"))
		test_sched_ext();
	if (test__start_subtest("kill_in_hardirq"))
		test_hardirq(skel);
	if (test__start_subtest("kill_nested_fentry"))
		test_nested(skel);
	if (test__start_subtest("kill_holding_file_dynptr"))
		test_file_dynptr(skel, skel->progs.runaway_holding_file_dynptr);
	if (test__start_subtest("kill_sleepable_holding_file_dynptr"))
		test_file_dynptr(skel, skel->progs.runaway_holding_file_dynptr_s);
	if (test__start_subtest("stop_timer_callback"))
		test_async_callback(skel, skel->progs.arm_runaway_timer);
	if (test__start_subtest("stop_wq_callback"))
		test_async_callback(skel, skel->progs.arm_runaway_wq);
	if (test__start_subtest("stop_task_work_callback"))
		test_async_callback(skel, skel->progs.arm_runaway_task_work);
	if (test__start_subtest("kill_in_nmi_over_irqs_off"))
		test_nmi(skel);
	if (test__start_subtest("kill_qdisc_enqueue"))
		test_qdisc(skel);
	if (test__start_subtest("report_mode"))
		test_report_mode(skel);
	if (test__start_subtest("mode_toggle"))
		test_mode_toggle(skel);
out:
	restore_settings(&old);
	watchdog_kill__destroy(skel);
}

/* Runs syscall program @prog once; the test run's return (0 or -errno). */
static int run_once(struct bpf_program *prog)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts);
	__u64 t0 = now_ns();
	int err;

	err = bpf_prog_test_run_opts(bpf_program__fd(prog), &opts);
	if (env.verbosity > VERBOSE_NONE)
		printf("%s: err %d after %llu us\n", bpf_program__name(prog), err,
		       (now_ns() - t0) / 1000);
	return err;
}

static __u32 prog_id(struct bpf_program *prog)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);

	if (bpf_prog_get_info_by_fd(bpf_program__fd(prog), &info, &len))
		return 0;
	return info.id;
}

/*
 * A tracing program's runs get tracing_budget_us: a 100 ms run on a
 * syscall's fentry is killed under a 200 us tracing budget and not under a
 * 1 s one, whatever the other classes' budgets say.
 */
static void test_class_budget(struct watchdog_tune *skel)
{
	struct bpf_link *link;

	link = bpf_program__attach(skel->progs.spin_tracing);
	if (!ASSERT_OK_PTR(link, "attach fentry"))
		return;
	skel->bss->finished = 0;
	skel->bss->traced = 0;
	ASSERT_OK(write_param("default_budget_us", "200"), "default 200 us");
	ASSERT_OK(write_param("tracing_budget_us", "1000000"), "tracing 1 s");
	syscall(SYS_getpgid, 0);
	ASSERT_EQ(skel->bss->traced, 1, "traced");
	ASSERT_EQ(skel->bss->finished, 1, "not killed under a 1 s tracing budget");

	ASSERT_OK(write_param("default_budget_us", "1000000"), "default 1 s");
	ASSERT_OK(write_param("tracing_budget_us", "200"), "tracing 200 us");
	syscall(SYS_getpgid, 0);
	ASSERT_EQ(skel->bss->traced, 2, "traced again");
	ASSERT_EQ(skel->bss->finished, 1, "killed under a 200 us tracing budget");

	/* 0: the class has the default's budget. */
	ASSERT_OK(write_param("tracing_budget_us", "0"), "tracing 0");
	syscall(SYS_getpgid, 0);
	ASSERT_EQ(skel->bss->finished, 2, "not killed under the default's 1 s");
	bpf_link__destroy(link);
}

/*
 * lock_budget_us applies only while the run holds a lock: a 100 ms run is
 * killed under a 1 ms lock budget if it spins inside bpf_rcu_read_lock(),
 * not if it holds nothing, and not once the lock budget is 0.  A plain
 * bpf_res_spin_lock is not a lock for it (rqspinlock bounds its waiters
 * itself): holding one longer than the lock budget is not killed.
 */
static void test_lock_budget(struct watchdog_tune *skel)
{
	__u64 before;

	ASSERT_OK(run_once(skel->progs.probe_context), "context before");
	before = skel->bss->context;
	ASSERT_OK(write_param("syscall_budget_us", "1000000"), "syscall 1 s");
	ASSERT_OK(write_param("lock_budget_us", "1000"), "lock 1 ms");
	skel->bss->finished = 0;
	ASSERT_OK(run_once(skel->progs.spin_plain), "no lock: not killed");
	/* It did spin: a loop that ends at once would prove nothing. */
	ASSERT_GT(skel->bss->spins, 100, "spun");
	ASSERT_EQ(run_once(skel->progs.spin_rcu), -ETIMEDOUT, "lock held: killed");
	/* The kill released the RCU read lock the run held. */
	ASSERT_OK(run_once(skel->progs.probe_context), "context after");
	ASSERT_EQ(skel->bss->context, before, "RCU nesting back");
	ASSERT_EQ(skel->bss->finished, 1, "only the lock-free run finished");
	ASSERT_OK(run_once(skel->progs.spin_res_lock), "res_spin_lock held: not killed");
	ASSERT_EQ(skel->bss->spins, skel->data->res_iters, "all iterations under the lock");
	ASSERT_GT(skel->bss->res_held_ns, 1000000, "held longer than the lock budget");
	ASSERT_EQ(skel->bss->finished, 2, "the res_spin_lock run finished");
	ASSERT_OK(write_param("lock_budget_us", "0"), "no lock budget");
	ASSERT_OK(run_once(skel->progs.spin_rcu), "lock budget 0: not killed");
	ASSERT_EQ(skel->bss->finished, 3, "finished");
}

/*
 * A budget set at load time, with the libbpf API or declared in the
 * program's BTF, is honoured, capped by prog_budget_max_us, ignored when
 * the ceiling is 0, and shown in bpf_prog_info.
 */
static void test_prog_budget(void)
{
	struct watchdog_tune *skel;
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);

	ASSERT_OK(write_param("syscall_budget_us", "1000000"), "syscall 1 s");
	ASSERT_OK(write_param("prog_budget_max_us", "1000000"), "ceiling 1 s");
	/* spin_rcu holds a lock: only its own budget may stop it here. */
	ASSERT_OK(write_param("lock_budget_us", "0"), "no lock budget");

	/* Out of the watchdog's range: the load fails. */
	skel = watchdog_tune__open();
	if (!ASSERT_OK_PTR(skel, "open"))
		return;
	ASSERT_OK(bpf_program__set_watchdog_budget(skel->progs.spin_plain, 50), "set 50 us");
	ASSERT_EQ(bpf_program__watchdog_budget(skel->progs.spin_plain), 50, "get");
	ASSERT_ERR(watchdog_tune__load(skel), "a 50 us budget is refused");
	watchdog_tune__destroy(skel);

	skel = watchdog_tune__open();
	if (!ASSERT_OK_PTR(skel, "open"))
		return;
	bpf_program__set_watchdog_budget(skel->progs.spin_plain, 2000);
	bpf_program__set_watchdog_budget(skel->progs.spin_rcu, 60000000);
	if (!ASSERT_OK(watchdog_tune__load(skel), "load"))
		goto out;
	if (ASSERT_OK(bpf_prog_get_info_by_fd(bpf_program__fd(skel->progs.spin_plain),
					      &info, &len), "info"))
		ASSERT_EQ(info.watchdog_budget_us, 2000, "info budget");
	memset(&info, 0, sizeof(info));
	if (ASSERT_OK(bpf_prog_get_info_by_fd(bpf_program__fd(skel->progs.spin_declared),
					      &info, &len), "info"))
		ASSERT_EQ(info.watchdog_budget_us, 2000, "declared budget");

	ASSERT_EQ(run_once(skel->progs.spin_plain), -ETIMEDOUT, "own 2 ms budget");
	ASSERT_EQ(run_once(skel->progs.spin_declared), -ETIMEDOUT, "declared 2 ms budget");
	/* 60 s asked for, capped at 2 ms. */
	ASSERT_OK(run_once(skel->progs.spin_rcu), "60 s under a 1 s ceiling");
	ASSERT_OK(write_param("prog_budget_max_us", "2000"), "ceiling 2 ms");
	ASSERT_EQ(run_once(skel->progs.spin_rcu), -ETIMEDOUT, "capped at 2 ms");
	/* Ceiling 0: loaders' budgets are ignored, the class's applies. */
	ASSERT_OK(write_param("prog_budget_max_us", "0"), "ceiling 0");
	skel->bss->finished = 0;
	ASSERT_OK(run_once(skel->progs.spin_plain), "own budget ignored");
	ASSERT_EQ(skel->bss->finished, 1, "finished");
out:
	watchdog_tune__destroy(skel);
}

/* How many times @needle occurs in @hay. */
static int count_str(const char *hay, const char *needle)
{
	int n = 0;

	while ((hay = strstr(hay, needle))) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

/* The fdinfo line "@key:\t<value>" of @fd, as a number, or -1. */
static long long fdinfo_num(int fd, const char *key)
{
	char path[64], line[256];
	long long val = -1;
	size_t n = strlen(key);
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, key, n) && line[n] == ':') {
			val = strtoll(line + n + 1, NULL, 10);
			break;
		}
	}
	fclose(f);
	return val;
}

/* Runs @cmd and returns its whole output in @buf. */
static int run_cmd(const char *cmd, char *buf, size_t size)
{
	size_t len = 0, n;
	FILE *p = popen(cmd, "r");

	if (!p)
		return -errno;
	while (len < size - 1 && (n = fread(buf + len, 1, size - 1 - len, p)) > 0)
		len += n;
	buf[len] = 0;
	return pclose(p);
}

/*
 * Every channel tells user space about a kill: the test run's -ETIMEDOUT,
 * bpf_prog_info's counters, fdinfo, bpftool prog show (plain and JSON),
 * the program's stderr stream, and the bpf_watchdog_abort tracepoint;
 * report mode counts an overrun, not a kill.  Then the rate limit: the
 * tracepoint sees every kill, the stream only the first ten per window.
 */
static void test_reports(void)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);
	struct watchdog_tune *skel;
	struct bpf_link *link;
	static char buf[65536];
	char cmd[128];
	int fd, n, i;
	__u32 id;

	/* A fresh program: its counters and stream are this test's. */
	skel = watchdog_tune__open_and_load();
	if (!ASSERT_OK_PTR(skel, "open_and_load"))
		return;
	fd = bpf_program__fd(skel->progs.spin_plain);
	id = prog_id(skel->progs.spin_plain);
	skel->bss->watched_id = id;
	link = bpf_program__attach(skel->progs.on_abort);
	if (!ASSERT_OK_PTR(link, "attach tp_btf/bpf_watchdog_abort"))
		goto out;
	ASSERT_OK(write_param("syscall_budget_us", "2000"), "syscall 2 ms");

	ASSERT_EQ(run_once(skel->progs.spin_plain), -ETIMEDOUT, "-ETIMEDOUT");
	if (ASSERT_OK(bpf_prog_get_info_by_fd(fd, &info, &len), "info")) {
		ASSERT_EQ(info.watchdog_killed, 1, "info killed");
		ASSERT_EQ(info.watchdog_overruns, 0, "info overruns");
		ASSERT_GE(info.watchdog_max_run_ns, 2000000, "info longest run");
		ASSERT_LT(info.watchdog_max_run_ns, 100000000, "longest run < its spin");
	}
	ASSERT_EQ(fdinfo_num(fd, "watchdog_killed"), 1, "fdinfo killed");
	ASSERT_EQ(fdinfo_num(fd, "watchdog_overruns"), 0, "fdinfo overruns");
	ASSERT_GE(fdinfo_num(fd, "watchdog_max_run_ns"), 2000000, "fdinfo longest run");

	ASSERT_EQ(skel->bss->aborts_seen, 1, "tracepoint fired");
	ASSERT_EQ(skel->bss->aborts_killed, 1, "tracepoint: killed");
	ASSERT_EQ(skel->bss->abort_budget_us, 2000, "tracepoint: budget");
	ASSERT_GE(skel->bss->abort_ran_us, 2000, "tracepoint: ran");
	ASSERT_EQ(skel->bss->abort_class, 5, "tracepoint: syscall class");
	ASSERT_EQ(skel->bss->abort_released, 0, "tracepoint: nothing held");

	n = bpf_prog_stream_read(fd, 2, buf, sizeof(buf) - 1, NULL);
	if (ASSERT_GT(n, 0, "stderr stream")) {
		buf[n] = 0;
		if (env.verbosity > VERBOSE_NONE)
			printf("stream:\n%s", buf);
		ASSERT_OK_PTR(strstr(buf, "ERROR: BPF watchdog: run killed after "),
			      "stream: killed");
		ASSERT_OK_PTR(strstr(buf, "syscall budget 2000 us"), "stream: budget");
		ASSERT_OK_PTR(strstr(buf, "Released 0 held resources: none"), "stream: released");
		ASSERT_OK_PTR(strstr(buf, "spin_plain"), "stream: where it was");
		/* ... down to the source line, from the program's line info. */
		ASSERT_OK_PTR(strstr(buf, "watchdog_tune.c:"), "stream: source line");
	}

	/* The tree's bpftool, built with the selftests. */
	snprintf(cmd, sizeof(cmd), "./tools/sbin/bpftool prog show id %u 2>&1", id);
	if (ASSERT_OK(run_cmd(cmd, buf, sizeof(buf)), "bpftool prog show")) {
		ASSERT_OK_PTR(strstr(buf, "watchdog killed 1 overruns 0"), "bpftool plain");
		if (env.verbosity > VERBOSE_NONE)
			printf("%s", buf);
	}
	snprintf(cmd, sizeof(cmd), "./tools/sbin/bpftool -j prog show id %u 2>&1", id);
	if (ASSERT_OK(run_cmd(cmd, buf, sizeof(buf)), "bpftool -j prog show")) {
		ASSERT_OK_PTR(strstr(buf, "\"watchdog\":{"), "bpftool json object");
		ASSERT_OK_PTR(strstr(buf, "\"killed\":1"), "bpftool json killed");
	}

	/* Report mode: an overrun, not a kill. */
	ASSERT_OK(write_param("mode", "1"), "report mode");
	ASSERT_OK(run_once(skel->progs.spin_plain), "report mode: not killed");
	ASSERT_OK(write_param("mode", "2"), "enforce mode");
	memset(&info, 0, sizeof(info));
	if (ASSERT_OK(bpf_prog_get_info_by_fd(fd, &info, &len), "info")) {
		ASSERT_EQ(info.watchdog_killed, 1, "report mode: killed unchanged");
		ASSERT_EQ(info.watchdog_overruns, 1, "report mode: one overrun");
	}
	ASSERT_EQ(skel->bss->aborts_seen, 2, "tracepoint fired for the overrun");
	ASSERT_EQ(skel->bss->aborts_killed, 1, "tracepoint: not killed");
	n = bpf_prog_stream_read(fd, 2, buf, sizeof(buf) - 1, NULL);
	if (ASSERT_GT(n, 0, "stderr stream")) {
		buf[n] = 0;
		ASSERT_OK_PTR(strstr(buf, "overran, not killed (report mode)"), "stream: reported");
	}

	/*
	 * Rate limit: after a pause that ends the current 5 s window, 20
	 * kills in a row (20 x 2 ms, well within the next window): the
	 * tracepoint sees each, the stream only the first ten; the first
	 * report of the window after says how many it missed.
	 */
	ASSERT_OK(write_param("quarantine_after", "0"), "no quarantine");
	usleep(5100000);
	for (i = 0; i < 20; i++)
		run_once(skel->progs.spin_plain);
	ASSERT_EQ(skel->bss->aborts_seen, 22, "tracepoint: every kill");
	n = bpf_prog_stream_read(fd, 2, buf, sizeof(buf) - 1, NULL);
	if (ASSERT_GT(n, 0, "stderr stream")) {
		buf[n] = 0;
		ASSERT_EQ(count_str(buf, "ERROR: BPF watchdog:"), 10, "stream: rate limited");
	}
	usleep(5100000);
	ASSERT_EQ(run_once(skel->progs.spin_plain), -ETIMEDOUT, "one more kill");
	n = bpf_prog_stream_read(fd, 2, buf, sizeof(buf) - 1, NULL);
	if (ASSERT_GT(n, 0, "stderr stream")) {
		buf[n] = 0;
		ASSERT_OK_PTR(strstr(buf, "(10 earlier reports suppressed)"), "stream: suppressed");
	}
	memset(&info, 0, sizeof(info));
	if (ASSERT_OK(bpf_prog_get_info_by_fd(fd, &info, &len), "info"))
		ASSERT_EQ(info.watchdog_killed, 22, "every kill counted");
	bpf_link__destroy(link);
out:
	watchdog_tune__destroy(skel);
}

static void test_tune(void)
{
	struct watchdog_tune *skel;
	struct settings old;

	if (!save_settings(&old))
		return;
	skel = watchdog_tune__open_and_load();
	if (!ASSERT_OK_PTR(skel, "open_and_load"))
		return;
	skel->bss->pid = getpid();
	if (test__start_subtest("class_budget"))
		test_class_budget(skel);
	restore_settings(&old);
	if (test__start_subtest("lock_budget"))
		test_lock_budget(skel);
	restore_settings(&old);
	if (test__start_subtest("prog_budget"))
		test_prog_budget();
	restore_settings(&old);
	if (test__start_subtest("reports"))
		test_reports();
	restore_settings(&old);
	watchdog_tune__destroy(skel);
}

/* The kernel under test must have the watchdog built in. */
static void test_built_in(void)
{
	char line[256];
	bool found = false;
	FILE *f;

	f = fopen("/proc/kallsyms", "r");
	if (!ASSERT_OK_PTR(f, "open /proc/kallsyms"))
		return;
	while (fgets(line, sizeof(line), f)) {
		if (strstr(line, " bpf_watchdog_init\n")) {
			found = true;
			break;
		}
	}
	fclose(f);
	ASSERT_TRUE(found, "CONFIG_BPF_WATCHDOG built in");
}

static __u64 seed_kills(struct watchdog_seed *skel)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts);

	if (bpf_prog_test_run_opts(bpf_program__fd(skel->progs.read_kills), &opts))
		return 0;
	return skel->bss->kills;
}

/* Kills since @base, once they stop growing (at most @timeout_ms). */
static __u64 settled_kills(struct watchdog_seed *skel, __u64 base, __u64 want,
			   int timeout_ms)
{
	__u64 n;
	int ms;

	for (ms = 0; ms < timeout_ms; ms += 20) {
		n = seed_kills(skel) - base;
		if (n >= want)
			break;
		usleep(20000);
	}
	/* Runs in flight on other CPUs when the quarantine began. */
	usleep(200000);
	return seed_kills(skel) - base;
}

/*
 * Loop iterations per millisecond of a CPU-bound loop: the best of five
 * 100 ms rounds, so that a noisy host (the guest's CPUs are host threads)
 * costs a round, not the measurement.
 */
static double spin_rate(void)
{
	double best = 0;
	int round;

	for (round = 0; round < 5; round++) {
		__u64 n = 0, t0 = now_ns(), t;

		do {
			for (int i = 0; i < 4096; i++) {
				n++;
				/* Keep the compiler from folding the loop. */
				asm("" : "+r"(n));
			}
			t = now_ns();
		} while (t - t0 < 100000000ull);
		if (n * 1e6 / (t - t0) > best)
			best = n * 1e6 / (t - t0);
	}
	return best;
}

/*
 * The seed's program on sched_switch, on every CPU: killed at every context
 * switch until it is quarantined, after which a CPU-bound loop runs as fast
 * as with no program at all; re-armed, it is killed and quarantined again.
 */
static void test_seed(void)
{
	int nr_cpus = libbpf_num_possible_cpus(), quarantine = 16;
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);
	struct watchdog_seed *skel;
	double idle, after = 0;
	__u64 base, n;
	struct settings old;
	char id[16];

	if (!save_settings(&old))
		return;
	skel = watchdog_seed__open_and_load();
	if (!ASSERT_OK_PTR(skel, "open_and_load"))
		return;
	if (!ASSERT_OK(set_budget(5000), "set budget") ||
	    !ASSERT_OK(write_param("quarantine_after", "16"), "set quarantine_after"))
		goto out;
	idle = spin_rate();

	base = seed_kills(skel);
	if (!ASSERT_OK(watchdog_seed__attach(skel), "attach"))
		goto out;
	n = settled_kills(skel, base, quarantine, 20000);
	ASSERT_GE(n, quarantine, "killed until quarantined");
	ASSERT_LE(n, quarantine + nr_cpus, "no kills once quarantined");

	/*
	 * The host is shared and noisy: a dip in one measurement is the
	 * host's, a quarantine that did not work would fail every one.  The
	 * kill reports are still going out on the guest's serial console
	 * (under TCG, a vCPU's worth of work for a while): let them.
	 */
	usleep(500000);
	for (int try = 0; try < 5; try++) {
		double rate = spin_rate();

		after = rate > after ? rate : after;
		if (after >= 0.9 * idle)
			break;
	}
	if (env.verbosity > VERBOSE_NONE)
		printf("seed: %llu kills, spin rate %.0f/ms idle, %.0f/ms quarantined\n",
		       n, idle, after);
	ASSERT_GE(after, 0.9 * idle, "throughput back after quarantine");

	/* Re-armed, it overruns again, and is quarantined again. */
	if (!ASSERT_OK(bpf_prog_get_info_by_fd(bpf_program__fd(skel->progs.on_switch),
					       &info, &len), "prog info"))
		goto out;
	snprintf(id, sizeof(id), "%u", info.id);
	base = seed_kills(skel);
	ASSERT_OK(write_param("rearm", id), "rearm");
	n = settled_kills(skel, base, quarantine, 20000);
	ASSERT_GE(n, quarantine, "killed again after re-arm");
	ASSERT_LE(n, quarantine + nr_cpus, "quarantined again");
out:
	restore_settings(&old);
	watchdog_seed__destroy(skel);
}

/*
 * Module kfuncs (bpf_testmod's): the record follows what they acquire and
 * release; a run killed holding what one returned gives it back (the
 * object's reference count is what it was); and once the programs are
 * gone, bpf_testmod unloads (and is loaded again for the tests after).
 */
static void test_module_kfuncs(void)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts);
	struct watchdog_testmod *skel;
	struct settings old;
	int refs, err, i;

	if (!env.has_testmod) {
		test__skip();
		return;
	}
	if (!save_settings(&old))
		return;
	skel = watchdog_testmod__open_and_load();
	if (!ASSERT_OK_PTR(skel, "open_and_load"))
		goto out;
	if (!ASSERT_OK(set_budget(TEST_BUDGET_US), "set budget"))
		goto out;

	err = bpf_prog_test_run_opts(bpf_program__fd(skel->progs.record_module_refs), &opts);
	ASSERT_OK(err, "record run");
	ASSERT_EQ(opts.retval, 0, "record follows module kfuncs");

	ASSERT_OK(bpf_prog_test_run_opts(bpf_program__fd(skel->progs.probe_module_ref), &opts),
		  "probe before");
	refs = skel->data->refs;
	err = bpf_prog_test_run_opts(bpf_program__fd(skel->progs.kill_holding_module_ref), &opts);
	ASSERT_EQ(err, -ETIMEDOUT, "test run killed");
	ASSERT_EQ(opts.retval, 0, "abort value");
	ASSERT_EQ(skel->bss->finished, 0, "killed before its end");
	ASSERT_EQ(skel->data->held_in_run, 1, "the run held the module's reference");
	ASSERT_OK(bpf_prog_test_run_opts(bpf_program__fd(skel->progs.probe_module_ref), &opts),
		  "probe after");
	ASSERT_GE(refs, 1, "reference count read");
	ASSERT_EQ(skel->data->refs, refs, "module object's references back");

	watchdog_testmod__destroy(skel);
	skel = NULL;
	/* Freed programs let go of the module after an RCU grace period. */
	for (i = 0, err = -1; i < 50 && err; i++) {
		kern_sync_rcu();
		err = unload_bpf_testmod(false);
		if (err)
			usleep(100000);
	}
	ASSERT_OK(err, "bpf_testmod unloads");
	ASSERT_OK(load_bpf_testmod(false), "bpf_testmod loads again");
out:
	restore_settings(&old);
	watchdog_testmod__destroy(skel);
}

/*
 * What no cancellation point can see is not recorded: the verifier calls
 * the function itself there, the wrapper where a kill could find it held,
 * and both kinds of program still do what they should.
 */
static void test_record_elision(void)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts);
	struct watchdog_elide *skel;
	struct ksyms *ksyms;
	long call_base;
	int pass;

	ksyms = load_kallsyms_local();
	if (!ASSERT_OK_PTR(ksyms, "kallsyms"))
		return;
	call_base = ksym_get_addr_local(ksyms, "__bpf_call_base");
	if (!ASSERT_NEQ(call_base, 0, "__bpf_call_base"))
		goto out_ksyms;
	skel = watchdog_elide__open_and_load();
	if (!ASSERT_OK_PTR(skel, "open_and_load"))
		goto out_ksyms;

	check_calls(ksyms, call_base, skel->progs.elide_task_pair,
		    "bpf_task_acquire bpf_task_release");
	check_calls(ksyms, call_base, skel->progs.elide_lock_pairs,
		    "bpf_spin_lock bpf_spin_unlock bpf_rcu_read_lock bpf_rcu_read_unlock "
		    "bpf_preempt_disable bpf_preempt_enable "
		    "bpf_local_irq_save bpf_local_irq_restore");
	check_calls(ksyms, call_base, skel->progs.record_task_over_loop,
		    "bpf_wd_bpf_task_acquire bpf_wd_bpf_task_release");
	check_calls(ksyms, call_base, skel->progs.record_task_seen,
		    "bpf_wd_bpf_task_acquire bpf_wd_bpf_task_release");
	check_calls(ksyms, call_base, skel->progs.record_rcu_over_loop,
		    "bpf_wd_bpf_rcu_read_lock bpf_wd_bpf_rcu_read_unlock "
		    "bpf_wd_bpf_rcu_read_lock bpf_wd_bpf_rcu_read_unlock");
	check_calls(ksyms, call_base, skel->progs.record_two_sites,
		    "bpf_wd_bpf_task_from_pid bpf_wd_bpf_task_acquire bpf_wd_bpf_task_release");

	/* Both paths of the two-site programs, and every program runs right. */
	for (pass = 0; pass < 2; pass++) {
		struct bpf_program *prog;

		skel->bss->pid = pass ? syscall(SYS_gettid) : 0;
		bpf_object__for_each_program(prog, skel->obj) {
			if (pass && strcmp(bpf_program__name(prog), "elide_task_pair") &&
			    !strstr(bpf_program__name(prog), "two_sites"))
				continue;
			skel->bss->held = 0;
			opts.retval = -1;
			ASSERT_OK(bpf_prog_test_run_opts(bpf_program__fd(prog), &opts),
				  bpf_program__name(prog));
			ASSERT_EQ(opts.retval, 0, bpf_program__name(prog));
		}
	}
	watchdog_elide__destroy(skel);
out_ksyms:
	free_kallsyms_local(ksyms);
}

/*
 * An freplace program gives the program it extends a run frame: the
 * target reaches no cancellation point of its own, and its runs have no
 * frame until the extension attaches.  The static key that turns frames
 * on is then held by the extension alone: the test first lets what the
 * other tests loaded go (the key goes off a second after the last program
 * with a frame is freed).  Without the frame, the extension's loops would
 * run for hours; with it, they end at the budget.  Extensions are not
 * unwound (watchdog.rst, "Limits"): the overrun is reported, the loops'
 * iterators end, and the extension and its target run on to their ends.
 */
static void test_freplace(void)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = &pkt_v4,
		    .data_size_in = sizeof(pkt_v4), .repeat = 1);
	struct watchdog_freplace_target *tgt;
	struct watchdog_freplace *ext = NULL;
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);
	struct bpf_link *link = NULL;
	struct settings old;
	int fd, err;
	__u64 t0, ms;

	if (!save_settings(&old))
		return;
	sleep(2);
	tgt = watchdog_freplace_target__open_and_load();
	if (!ASSERT_OK_PTR(tgt, "load target"))
		goto out;
	fd = bpf_program__fd(tgt->progs.freplace_target);
	ASSERT_OK(bpf_prog_test_run_opts(fd, &opts), "run unextended");
	ASSERT_EQ(opts.retval, sizeof(pkt_v4) + 10, "unextended retval");

	ext = watchdog_freplace__open();
	if (!ASSERT_OK_PTR(ext, "open extension"))
		goto out;
	if (!ASSERT_OK(bpf_program__set_attach_target(ext->progs.runaway_replaced, fd,
							 "replaced"), "set target"))
		goto out;
	if (!ASSERT_OK(watchdog_freplace__load(ext), "load extension"))
		goto out;
	link = bpf_program__attach_freplace(ext->progs.runaway_replaced, fd, "replaced");
	if (!ASSERT_OK_PTR(link, "attach extension"))
		goto out;
	if (!ASSERT_OK(set_budget(TEST_BUDGET_US), "set budget"))
		goto out;

	/* Within its budget: the extension's return, plus the target's. */
	ext->data->outer = 10;
	ext->data->inner = 10;
	ASSERT_OK(bpf_prog_test_run_opts(fd, &opts), "run extended");
	ASSERT_EQ(opts.retval, 12, "extended retval");
	ASSERT_EQ(ext->bss->iterations, 100, "extended iterations");
	ASSERT_EQ(ext->bss->finished, 1, "extended run finished");
	ext->bss->finished = 0;
	ext->bss->iterations = 0;
	ext->data->outer = 100000;
	ext->data->inner = 100000;

	t0 = now_ns();
	err = bpf_prog_test_run_opts(fd, &opts);
	ms = (now_ns() - t0) / 1000000;
	if (env.verbosity > VERBOSE_NONE)
		printf("freplace: err %d retval %u after %llu ms, %llu iterations, finished %d\n",
		       err, opts.retval, ms, ext->bss->iterations, ext->bss->finished);
	ASSERT_OK(err, "test run");
	ASSERT_EQ(opts.retval, 12, "the extension's return, plus the target's");
	ASSERT_EQ(ext->bss->finished, 1, "the extension ran on after its loops");
	ASSERT_GT(ext->bss->iterations, 0, "its loops ran");
	ASSERT_LT(ext->bss->iterations, 10000000000ull, "its loops ended early");
	ASSERT_GE(ms, TEST_BUDGET_US / 1000, "ran at least its budget");
	ASSERT_LT(ms, 50 * TEST_BUDGET_US / 1000, "stopped soon after its budget");
	if (ASSERT_OK(bpf_prog_get_info_by_fd(fd, &info, &len), "target info"))
		ASSERT_EQ(info.watchdog_overruns, 1, "the target's overrun reported");
out:
	restore_settings(&old);
	bpf_link__destroy(link);
	watchdog_freplace__destroy(ext);
	watchdog_freplace_target__destroy(tgt);
}

struct loop_runner {
	int fd;
	int stop;
	int err;
	__u64 runs;
};

static void *run_loop_target(void *arg)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = &pkt_v4,
		    .data_size_in = sizeof(pkt_v4), .repeat = 1);
	struct loop_runner *r = arg;

	while (!READ_ONCE(r->stop)) {
		r->err = bpf_prog_test_run_opts(r->fd, &opts);
		if (r->err)
			break;
		r->runs += opts.repeat;
	}
	return NULL;
}

/*
 * An extension attached while runs of its target (milliseconds each) go on
 * back to back, on another CPU.  The target reaches no cancellation point, so the runs in
 * flight began without a frame; the extension must not run inside one
 * (its record entries would belong to whatever run that one interrupted),
 * so attaching waits for them to end (bpf_wd_prog_extend()).  The
 * extension counts the calls it sees from runs without a frame: none.
 * A fresh target each round, since the frame, once on, stays on.
 */
static void test_freplace_mid_run(void)
{
	int round;

	for (round = 0; round < 3; round++) {
		struct watchdog_freplace_target *tgt;
		struct watchdog_freplace_count *ext;
		struct loop_runner r = {};
		struct bpf_link *link;
		pthread_t runner;
		__u64 runs;

		tgt = watchdog_freplace_target__open_and_load();
		if (!ASSERT_OK_PTR(tgt, "load target"))
			return;
		r.fd = bpf_program__fd(tgt->progs.freplace_loop_target);
		ext = watchdog_freplace_count__open();
		if (!ASSERT_OK_PTR(ext, "open extension") ||
		    !ASSERT_OK(bpf_program__set_attach_target(ext->progs.count_frames, r.fd,
							      "replaced_in_loop"), "set target") ||
		    !ASSERT_OK(watchdog_freplace_count__load(ext), "load extension"))
			goto out;
		if (!ASSERT_OK(pthread_create(&runner, NULL, run_loop_target, &r), "runner"))
			goto out;
		usleep(50000);
		link = bpf_program__attach_freplace(ext->progs.count_frames, r.fd,
						    "replaced_in_loop");
		runs = READ_ONCE(r.runs);
		usleep(100000);
		WRITE_ONCE(r.stop, 1);
		pthread_join(runner, NULL);
		if (env.verbosity > VERBOSE_NONE)
			printf("freplace mid-run: round %d, %llu runs, %llu before the attach "
			       "returned, %llu calls before; extension: %llu framed, "
			       "%llu frameless calls\n", round, r.runs, runs,
			       tgt->bss->loop_calls, ext->bss->framed, ext->bss->frameless);
		ASSERT_OK_PTR(link, "attach extension");
		ASSERT_OK(r.err, "test runs");
		ASSERT_GT(runs, 0, "runs before the attach");
		ASSERT_GT(ext->bss->framed, 0, "extension ran in runs with a frame");
		ASSERT_EQ(ext->bss->frameless, 0, "never in a run without one");
		bpf_link__destroy(link);
out:
		watchdog_freplace_count__destroy(ext);
		watchdog_freplace_target__destroy(tgt);
	}
}

void test_watchdog(void)
{
	if (test__start_subtest("built_in"))
		test_built_in();
	if (test__start_subtest("sysctls"))
		test_sysctls();
	test_kill();
	test_tune();
	if (test__start_subtest("module_kfuncs"))
		test_module_kfuncs();
	if (test__start_subtest("seed_sched_switch"))
		test_seed();
	if (test__start_subtest("record_elision"))
		test_record_elision();
	if (test__start_subtest("freplace"))
		test_freplace();
	if (test__start_subtest("freplace_attach_mid_run"))
		test_freplace_mid_run();
	RUN_TESTS(watchdog);
	RUN_TESTS(watchdog_record);
}
