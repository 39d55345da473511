// SPDX-License-Identifier: GPL-2.0
/*
 * BPF watchdog benchmarks.
 *
 * Cost (throughput, "ops" = iterations, runs or pairs per second):
 *   wd-test-run     empty BPF_PROG_TEST_RUN runs
 *   wd-may-goto     iterations of a may_goto (can_loop) loop
 *   wd-iter-body    bpf_for() iterations with a map lookup and update
 *   wd-task-pair    bpf_task_acquire()/bpf_task_release() pairs
 *   wd-task-held    the same, each held across a cancellation point
 *   wd-spin-pair    bpf_spin_lock()/bpf_spin_unlock() pairs
 *   wd-rcu-pair     bpf_rcu_read_lock()/bpf_rcu_read_unlock() pairs
 * The loop programs run --wd-loops iterations per BPF_PROG_TEST_RUN.  They
 * load on any kernel, so the same binary compares a kernel with the watchdog
 * (in each of its modes) with one without it.
 *
 * Abort latency (needs the watchdog, mode enforce, quarantine off):
 *   wd-abort-latency        a runaway killed at --wd-budget-us, IRQs on
 *   wd-abort-latency-irqoff the same with IRQs disabled (bpf_local_irq_save)
 * Each kill's latency is the time from the run's deadline (its stamp plus
 * its budget) to the return of BPF_PROG_TEST_RUN: how far past the budget
 * the watchdog killed it (bpf_watchdog_abort's ran_ns - budget_ns), plus
 * the time from that report to the return (bpf_ktime_get_ns() in the
 * tracepoint's program, CLOCK_MONOTONIC after the syscall).  The final
 * report gives percentiles; --wd-samples FILE writes every sample (ns).
 */
#include <argp.h>
#include <stdio.h>
#include "bench.h"
#include "watchdog_bench.skel.h"

static struct ctx {
	struct watchdog_bench *skel;
	int prog_fd;
	long runs;
	/* Abort latency samples (ns), taken after the warm-up. */
	__u64 *lat;
	size_t nr_lat, cap_lat;
	long kills_missed;
	bool measuring;
	int iter;
} ctx;

static struct {
	__u32 nr_loops;
	__u32 budget_us;
	const char *samples;
} args = {
	.nr_loops = 1000,
	.budget_us = 1000,
};

enum {
	ARG_WD_LOOPS = 9100,
	ARG_WD_BUDGET_US,
	ARG_WD_SAMPLES,
};

static const struct argp_option opts[] = {
	{ "wd-loops", ARG_WD_LOOPS, "N", 0,
	  "Iterations per run of the wd-* loop benchmarks" },
	{ "wd-budget-us", ARG_WD_BUDGET_US, "US", 0,
	  "Watchdog budget of the wd-abort-latency runaways" },
	{ "wd-samples", ARG_WD_SAMPLES, "FILE", 0,
	  "Write every wd-abort-latency sample (ns) to FILE" },
	{},
};

static error_t parse_arg(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case ARG_WD_LOOPS:
		args.nr_loops = strtoul(arg, NULL, 10);
		if (!args.nr_loops) {
			fprintf(stderr, "invalid --wd-loops %s\n", arg);
			argp_usage(state);
		}
		break;
	case ARG_WD_BUDGET_US:
		args.budget_us = strtoul(arg, NULL, 10);
		if (!args.budget_us) {
			fprintf(stderr, "invalid --wd-budget-us %s\n", arg);
			argp_usage(state);
		}
		break;
	case ARG_WD_SAMPLES:
		args.samples = arg;
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

const struct argp bench_watchdog_argp = {
	.options = opts,
	.parser = parse_arg,
};

static void validate(void)
{
	if (env.consumer_cnt != 0) {
		fprintf(stderr, "benchmark doesn't support consumer!\n");
		exit(1);
	}
}

static void validate_abort(void)
{
	validate();
	if (env.producer_cnt != 1) {
		fprintf(stderr, "abort latency runs with one producer\n");
		exit(1);
	}
}

/* Opens and loads the skeleton with only @prog (and @observer) loaded. */
static void setup_prog(struct bpf_program *(*pick)(struct watchdog_bench *),
		       bool observer)
{
	struct bpf_program *prog, *p;
	int err;

	setup_libbpf();

	ctx.skel = watchdog_bench__open();
	if (!ctx.skel) {
		fprintf(stderr, "failed to open skeleton\n");
		exit(1);
	}
	prog = pick(ctx.skel);
	bpf_object__for_each_program(p, ctx.skel->obj)
		bpf_program__set_autoload(p, p == prog ||
					  (observer && p == ctx.skel->progs.on_abort));
	if (observer)
		bpf_program__set_watchdog_budget(prog, args.budget_us);
	ctx.skel->bss->nr_loops = args.nr_loops;

	err = watchdog_bench__load(ctx.skel);
	if (err) {
		fprintf(stderr, "failed to load skeleton: %s\n", strerror(-err));
		exit(1);
	}
	ctx.prog_fd = bpf_program__fd(prog);
}

static void run_once(void)
{
	LIBBPF_OPTS(bpf_test_run_opts, topts);
	int err;

	err = bpf_prog_test_run_opts(ctx.prog_fd, &topts);
	if (err) {
		fprintf(stderr, "BPF_PROG_TEST_RUN: %s\n", strerror(-err));
		exit(1);
	}
}

static void *producer(void *input)
{
	while (true)
		run_once();
	return NULL;
}

static void *producer_runs(void *input)
{
	while (true) {
		run_once();
		atomic_inc(&ctx.runs);
	}
	return NULL;
}

static void measure(struct bench_res *res)
{
	res->hits = atomic_swap(&ctx.skel->bss->hits, 0);
}

static void measure_runs(struct bench_res *res)
{
	res->hits = atomic_swap(&ctx.runs, 0);
}

#define PICK(name)								\
static struct bpf_program *pick_##name(struct watchdog_bench *skel)		\
{										\
	return skel->progs.name;						\
}										\
static void setup_##name(void)							\
{										\
	setup_prog(pick_##name, false);						\
}

PICK(wd_nop)
PICK(wd_may_goto)
PICK(wd_iter_body)
PICK(wd_task_pair)
PICK(wd_task_held)
PICK(wd_spin_pair)
PICK(wd_rcu_pair)

#define LOOP_BENCH(bname, prog)							\
const struct bench bench_##prog = {						\
	.name = bname,								\
	.argp = &bench_watchdog_argp,						\
	.validate = validate,							\
	.setup = setup_##prog,							\
	.producer_thread = producer,						\
	.measure = measure,							\
	.report_progress = ops_report_progress,					\
	.report_final = ops_report_final,					\
}

const struct bench bench_wd_nop = {
	.name = "wd-test-run",
	.argp = &bench_watchdog_argp,
	.validate = validate,
	.setup = setup_wd_nop,
	.producer_thread = producer_runs,
	.measure = measure_runs,
	.report_progress = ops_report_progress,
	.report_final = ops_report_final,
};

LOOP_BENCH("wd-may-goto", wd_may_goto);
LOOP_BENCH("wd-iter-body", wd_iter_body);
LOOP_BENCH("wd-task-pair", wd_task_pair);
LOOP_BENCH("wd-task-held", wd_task_held);
LOOP_BENCH("wd-spin-pair", wd_spin_pair);
LOOP_BENCH("wd-rcu-pair", wd_rcu_pair);

/* Abort latency. */

static struct bpf_program *pick_runaway(struct watchdog_bench *skel)
{
	return skel->progs.wd_runaway;
}

static struct bpf_program *pick_runaway_irqoff(struct watchdog_bench *skel)
{
	return skel->progs.wd_runaway_irqoff;
}

static void setup_abort_common(void)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);
	int err;

	err = bpf_prog_get_info_by_fd(ctx.prog_fd, &info, &len);
	if (err) {
		fprintf(stderr, "bpf_prog_get_info_by_fd: %s\n", strerror(-err));
		exit(1);
	}
	ctx.skel->bss->target_id = info.id;
	ctx.skel->links.on_abort = bpf_program__attach(ctx.skel->progs.on_abort);
	if (!ctx.skel->links.on_abort) {
		fprintf(stderr, "failed to attach on_abort: %s\n", strerror(errno));
		exit(1);
	}
	ctx.cap_lat = 1 << 16;
	ctx.lat = calloc(ctx.cap_lat, sizeof(*ctx.lat));
	if (!ctx.lat) {
		fprintf(stderr, "out of memory\n");
		exit(1);
	}
}

static void setup_abort(void)
{
	setup_prog(pick_runaway, true);
	setup_abort_common();
}

static void setup_abort_irqoff(void)
{
	setup_prog(pick_runaway_irqoff, true);
	setup_abort_common();
}

static __u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static void *producer_abort(void *input)
{
	LIBBPF_OPTS(bpf_test_run_opts, topts);
	struct watchdog_bench__bss *bss = ctx.skel->bss;
	__u64 reports, ret_ns;
	int err;

	while (true) {
		reports = bss->reports;
		err = bpf_prog_test_run_opts(ctx.prog_fd, &topts);
		ret_ns = now_ns();
		/* Killed: -ETIMEDOUT, the abort value 0, one more report. */
		if (err != -ETIMEDOUT || topts.retval || bss->reports != reports + 1) {
			atomic_inc(&ctx.kills_missed);
			continue;
		}
		atomic_inc(&ctx.runs);
		if (!READ_ONCE(ctx.measuring) || ctx.nr_lat == ctx.cap_lat)
			continue;
		ctx.lat[ctx.nr_lat++] = bss->late_ns + (ret_ns - bss->report_ns);
	}
	return NULL;
}

static void measure_abort(struct bench_res *res)
{
	res->hits = atomic_swap(&ctx.runs, 0);
	res->drops = atomic_swap(&ctx.kills_missed, 0);
	/* Samples count from the end of the warm-up, as the results do. */
	if (++ctx.iter == env.warmup_sec)
		WRITE_ONCE(ctx.measuring, true);
}

static int cmp_u64(const void *a, const void *b)
{
	__u64 x = *(const __u64 *)a, y = *(const __u64 *)b;

	return x < y ? -1 : x > y;
}

static void report_abort_progress(int iter, struct bench_res *res, long delta_ns)
{
	printf("Iter %3d: %ld kills, %ld runs not killed as expected\n",
	       iter, res->hits, res->drops);
}

static void report_abort_final(struct bench_res res[], int res_cnt)
{
	size_t n = READ_ONCE(ctx.nr_lat), i;
	long kills = 0, missed = 0;
	FILE *f;

	for (i = 0; i < res_cnt; i++) {
		kills += res[i].hits;
		missed += res[i].drops;
	}
	if (!n) {
		printf("Summary: no kills measured (%ld not killed as expected)\n", missed);
		return;
	}
	qsort(ctx.lat, n, sizeof(*ctx.lat), cmp_u64);
	printf("Summary: %zu kills, %ld not killed as expected, budget %u us, "
	       "deadline to return: min %.1f p50 %.1f p90 %.1f p99 %.1f max %.1f us\n",
	       n, missed, args.budget_us, ctx.lat[0] / 1000.0,
	       ctx.lat[n / 2] / 1000.0, ctx.lat[n * 9 / 10] / 1000.0,
	       ctx.lat[n * 99 / 100] / 1000.0, ctx.lat[n - 1] / 1000.0);
	if (!args.samples)
		return;
	f = fopen(args.samples, "w");
	if (!f) {
		fprintf(stderr, "%s: %s\n", args.samples, strerror(errno));
		return;
	}
	for (i = 0; i < n; i++)
		fprintf(f, "%llu\n", (unsigned long long)ctx.lat[i]);
	fclose(f);
}

const struct bench bench_wd_abort_latency = {
	.name = "wd-abort-latency",
	.argp = &bench_watchdog_argp,
	.validate = validate_abort,
	.setup = setup_abort,
	.producer_thread = producer_abort,
	.measure = measure_abort,
	.report_progress = report_abort_progress,
	.report_final = report_abort_final,
};

const struct bench bench_wd_abort_latency_irqoff = {
	.name = "wd-abort-latency-irqoff",
	.argp = &bench_watchdog_argp,
	.validate = validate_abort,
	.setup = setup_abort_irqoff,
	.producer_thread = producer_abort,
	.measure = measure_abort,
	.report_progress = report_abort_progress,
	.report_final = report_abort_final,
};
