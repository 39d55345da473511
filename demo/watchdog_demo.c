// SPDX-License-Identifier: GPL-2.0
/*
 * watchdog_demo: the BPF watchdog at work, for 'make demo'.
 *
 *   watchdog_demo [-s SECONDS] [-b BPFTOOL]
 *
 * 1. Attaches the proposal's program (demo/watchdog_demo.bpf.c, on_switch)
 *    to sched_switch and prints a line a second: the watchdog's kills of it
 *    so far, its longest run, its budget, a user-space heartbeat (a thread
 *    that wakes every 100 ms: 10/10 means the machine is alive) and the
 *    throughput of a CPU-bound thread, as a share of what it got before the
 *    program was attached.  Then the program's stderr stream (the watchdog's
 *    reports) and what bpftool prog show says about it.
 * 2. Runs hold_and_spin, which takes a task reference, the RCU read lock and
 *    a bpf_res_spin_lock before spinning, and shows the three given back.
 *
 * On a kernel without the watchdog, part 1 never ends: the machine hangs
 * (make demo VANILLA=1 shows it, cut off by the harness's timeout).
 *
 * C with a libbpf skeleton: it links the tree's own libbpf, which knows the
 * watchdog's bpf_prog_info fields and the __watchdog_budget_us() tag, and it
 * builds with what the selftests already built (bpftool, libbpf.a).
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "watchdog_demo.skel.h"

#define SYSCTL "/proc/sys/kernel/bpf_watchdog/"

static atomic_long heartbeats;
static atomic_long work;

/* Wakes every 100 ms: a machine that schedules user space ticks 10 a second. */
static void *heartbeat(void *arg)
{
	struct timespec ts = { .tv_nsec = 100 * 1000 * 1000 };

	for (;;) {
		nanosleep(&ts, NULL);
		atomic_fetch_add(&heartbeats, 1);
	}
	return NULL;
}

/* CPU-bound: its rate is what the machine has left for user space. */
static void *worker(void *arg)
{
	volatile unsigned long x = 0;

	for (;;) {
		for (int i = 0; i < 100000; i++)
			x += i;
		atomic_fetch_add(&work, 1);
	}
	return NULL;
}

static long sysctl(const char *name)
{
	char path[128];
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), SYSCTL "%s", name);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fscanf(f, "%ld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int prog_info(struct bpf_program *prog, struct bpf_prog_info *info)
{
	__u32 len = sizeof(*info);

	memset(info, 0, sizeof(*info));
	return bpf_prog_get_info_by_fd(bpf_program__fd(prog), info, &len);
}

/* Prints the program's stderr stream: the watchdog's reports. */
static void print_stream(struct bpf_program *prog, int max_lines)
{
	static char buf[16384];
	int n, lines = 0;
	char *line, *save;

	n = bpf_prog_stream_read(bpf_program__fd(prog), 2, buf, sizeof(buf) - 1, NULL);
	if (n <= 0) {
		printf("    (empty)\n");
		return;
	}
	buf[n] = '\0';
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (lines++ == max_lines) {
			printf("    ...\n");
			break;
		}
		printf("    %s\n", line);
	}
}

static int run_probe(struct watchdog_demo *skel, const char *when)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts);
	unsigned long long c;
	int err;

	err = bpf_prog_test_run_opts(bpf_program__fd(skel->progs.probe), &opts);
	if (err || opts.retval) {
		fprintf(stderr, "probe: %d/%u\n", err, opts.retval);
		return -1;
	}
	c = skel->bss->context;
	printf("  %-6s task refcount %d, lock %s, preempt_count %#llx, IRQs %s, RCU nesting %llu\n",
	       when, skel->bss->task_refs, skel->bss->lock_free ? "free" : "HELD",
	       c & 0xffffffffull, (c >> 32) & 1 ? "off" : "on", c >> 40);
	return 0;
}

int main(int argc, char **argv)
{
	const char *bpftool = "bpftool";
	pthread_t hb, wk;
	struct watchdog_demo *skel;
	struct bpf_prog_info info;
	double t0, base;
	long w0, h, w, budget, quarantine;
	bool watchdog = access(SYSCTL "mode", F_OK) == 0;
	int seconds = 10, opt, err;
	char cmd[256];

	while ((opt = getopt(argc, argv, "s:b:")) != -1) {
		switch (opt) {
		case 's':
			seconds = atoi(optarg);
			break;
		case 'b':
			bpftool = optarg;
			break;
		default:
			fprintf(stderr, "usage: %s [-s seconds] [-b bpftool]\n", argv[0]);
			return 2;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);

	skel = watchdog_demo__open();
	if (!skel)
		return 1;
	skel->bss->pid = getpid();
	/* A kernel without the watchdog has no bpf_watchdog_context(). */
	bpf_program__set_autoload(skel->progs.hold_and_spin, watchdog);
	bpf_program__set_autoload(skel->progs.probe, watchdog);
	err = watchdog_demo__load(skel);
	if (err) {
		fprintf(stderr, "load: %s\n", strerror(-err));
		return 1;
	}

	pthread_create(&wk, NULL, worker, NULL);
	pthread_create(&hb, NULL, heartbeat, NULL);
	sleep(1);
	w0 = atomic_load(&work);
	t0 = now_s();
	sleep(2);
	base = (atomic_load(&work) - w0) / (now_s() - t0);

	budget = sysctl("tracing_budget_us");
	quarantine = sysctl("quarantine_after");
	printf("== 1. The proposal's program on raw_tp/sched_switch, every CPU\n");
	if (watchdog)
		printf("  watchdog: mode %ld, tracing budget %ld us, quarantine after %ld kills\n",
		       sysctl("mode"), budget, quarantine);
	else
		printf("  this kernel has no BPF watchdog: expect the machine to hang\n");
	printf("  CPU-bound thread before attaching: %.0f units/s = 100%%\n", base);
	if (watchdog_demo__attach(skel)) {
		fprintf(stderr, "attach failed\n");
		return 1;
	}
	for (int s = 1; s <= seconds; s++) {
		h = atomic_load(&heartbeats);
		w = atomic_load(&work);
		t0 = now_s();
		sleep(1);
		h = atomic_load(&heartbeats) - h;
		w = atomic_load(&work) - w;
		prog_info(skel->progs.on_switch, &info);
		printf("  [%2ds] kills %3llu%s  longest run %7.2f ms  budget %5.1f ms  heartbeat %2ld/%.0f  work %3.0f%%\n",
		       s, (unsigned long long)info.watchdog_killed,
		       quarantine > 0 && info.watchdog_killed >= (unsigned long long)quarantine ?
				" (quarantined)" : "",
		       info.watchdog_max_run_ns / 1e6, budget / 1e3, h,
		       (now_s() - t0) * 10, 100.0 * w / (now_s() - t0) / base);
	}
	printf("\n  its stderr stream (bpftool prog tracelog stderr id %u); its bpf_iter_num\n"
	       "  iterators live on the program's stack and hold nothing to give back:\n", info.id);
	print_stream(skel->progs.on_switch, 16);
	printf("\n  %s prog show id %u:\n", bpftool, info.id);
	snprintf(cmd, sizeof(cmd), "%s prog show id %u | sed 's/^/    /'", bpftool, info.id);
	if (system(cmd))
		fprintf(stderr, "bpftool failed\n");
	bpf_link__destroy(skel->links.on_switch);
	skel->links.on_switch = NULL;

	printf("\n== 2. A runaway holding a task reference, the RCU read lock and a bpf_res_spin_lock\n");
	if (!watchdog) {
		watchdog_demo__destroy(skel);
		return 0;
	}
	{
		LIBBPF_OPTS(bpf_test_run_opts, opts);
		double t;

		prog_info(skel->progs.hold_and_spin, &info);
		printf("  hold_and_spin: own budget %u us (__watchdog_budget_us)\n",
		       info.watchdog_budget_us);
		if (run_probe(skel, "before"))
			return 1;
		t = now_s();
		err = bpf_prog_test_run_opts(bpf_program__fd(skel->progs.hold_and_spin), &opts);
		t = now_s() - t;
		printf("  BPF_PROG_TEST_RUN: %s after %.1f ms, return value %u, finished %d\n",
		       err == -ETIMEDOUT ? "-ETIMEDOUT (killed)" : strerror(-err), t * 1e3,
		       opts.retval, skel->bss->finished);
		if (run_probe(skel, "after"))
			return 1;
		printf("  its stderr stream:\n");
		print_stream(skel->progs.hold_and_spin, 12);
	}
	watchdog_demo__destroy(skel);
	return 0;
}
