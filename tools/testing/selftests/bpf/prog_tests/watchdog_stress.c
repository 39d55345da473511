// SPDX-License-Identifier: GPL-2.0
/*
 * BPF watchdog soak: runaway programs on hot hooks (sched_switch, a syscall
 * tracepoint, a kprobe, an fentry, tc and XDP on a veth pair with traffic,
 * a perf_event program in hard-irq context, an NMI program (sysrq-l's
 * backtrace NMI), BPF_PROG_TEST_RUN runners
 * preempting each other on one CPU, a run whose record overflows), each
 * holding references, locks and iterators, while the soak flips the mode
 * and the budgets every few milliseconds, detaches and re-attaches
 * programs, loads and frees whole objects (programs and maps) under them,
 * takes a CPU offline and back, and loads programs from a memory-limited
 * cgroup.  At the end everything the runs held must be back: task and mm
 * reference counts, the socket's, the locks; the record empty.
 *
 * WATCHDOG_STRESS_SECONDS sets the soak's length (default 60; 'make
 * stress' runs 600).  The figures (kills per hook, releases per kind,
 * wake-up latency of a user-space probe idle and under the soak) are
 * printed on one "stress:" line each.
 */
#include <test_progs.h>
#include <network_helpers.h>
#include <linux/if_link.h>
#include <linux/perf_event.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "watchdog_stress.skel.h"

#define SYSCTL "/proc/sys/kernel/bpf_watchdog/"
#define NS "wdstress"
#define MAX_CPUS 64
#define MAX_LAT (1 << 20)

enum { H_SWITCH, H_SYS_ENTER, H_KPROBE, H_FENTRY, H_TC, H_XDP, H_PERF, H_RUNNER, H_NMI, NR_HOOKS };
static const char * const hook_names[NR_HOOKS] = {
	"sched_switch", "sys_enter", "kprobe", "fentry", "tc", "xdp", "perf_event", "test_run",
	"nmi",
};

static volatile bool stop;
static struct watchdog_stress *skel;
static struct bpf_link *links[NR_HOOKS];
static pthread_mutex_t links_mu = PTHREAD_MUTEX_INITIALIZER;
static struct bpf_link *perf_links[MAX_CPUS];
static int nr_cpus;
static long flips, hotplugs, churns, reattaches, full_runs, nmis;

static const char * const params[] = {
	"mode", "tracing_budget_us", "net_budget_us", "lock_budget_us", "quarantine_after",
};

static long saved[ARRAY_SIZE(params)];

static long wd_read(const char *name)
{
	char path[128];
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), SYSCTL "%s", name);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	if (fscanf(f, "%ld", &v) != 1)
		v = -EINVAL;
	fclose(f);
	return v;
}

static int wd_write(const char *name, long v)
{
	char path[128], buf[32];
	int fd, n, err = 0;

	snprintf(path, sizeof(path), SYSCTL "%s", name);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	n = snprintf(buf, sizeof(buf), "%ld", v);
	if (write(fd, buf, n) != n)
		err = -errno;
	close(fd);
	return err;
}

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

/* Syscalls that fire sys_enter, the kprobe and the fentry program. */
static void *worker(void *arg)
{
	while (!stop) {
		syscall(__NR_getpgid, 0);
		syscall(__NR_getppid);
		sched_yield();
	}
	return NULL;
}

/* UDP from the namespace to the veth in ours: XDP and tc ingress see it. */
static void *traffic(void *arg)
{
	struct sockaddr_in dst = { .sin_family = AF_INET, .sin_port = htons(9) };
	struct nstoken *tok;
	char payload[64] = {};
	int fd;

	tok = open_netns(NS);
	if (!tok)
		return NULL;
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	inet_pton(AF_INET, "10.77.0.1", &dst.sin_addr);
	while (!stop && fd >= 0) {
		sendto(fd, payload, sizeof(payload), 0, (struct sockaddr *)&dst, sizeof(dst));
		sleep_ms(1);
	}
	if (fd >= 0)
		close(fd);
	close_netns(tok);
	return NULL;
}

/* Two of these on CPU 0: test runs holding a task and a lock, preempting each other. */
static void *runner(void *arg)
{
	int idx = (long)arg;
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = &idx, .ctx_size_in = sizeof(idx));

	pin(0);
	while (!stop)
		bpf_prog_test_run_opts(bpf_program__fd(skel->progs.runner), &opts);
	return NULL;
}

/* The mode and the budgets, flipped every 3 ms: mostly enforce. */
static void *flipper(void *arg)
{
	static const int modes[] = { 2, 2, 2, 2, 2, 2, 2, 1, 2, 0 };
	long i = 0;

	while (!stop) {
		wd_write("mode", modes[i % ARRAY_SIZE(modes)]);
		wd_write("tracing_budget_us", i & 1 ? 1500 : 1000);
		wd_write("lock_budget_us", i & 2 ? 1000 : 500);
		i++;
		sleep_ms(3);
	}
	wd_write("mode", 2);
	flips = i;
	return NULL;
}

static struct bpf_link *attach_hook(int h)
{
	switch (h) {
	case H_SWITCH: return bpf_program__attach(skel->progs.on_switch);
	case H_SYS_ENTER: return bpf_program__attach(skel->progs.on_sys_enter);
	case H_KPROBE: return bpf_program__attach(skel->progs.on_kprobe);
	case H_FENTRY: return bpf_program__attach(skel->progs.on_fentry);
	}
	return NULL;
}

/*
 * Faults: detach and re-attach a program every 50 ms; load a second copy of
 * the object, attach it and free it (programs and maps) 300 ms later; the
 * record-full run every 500 ms.  (Attaching waits for RCU grace periods:
 * under the soak an iteration takes longer than its 50 ms; the figures
 * count what was done.)
 */
static void *faults(void *arg)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts);
	struct watchdog_stress *churn = NULL;
	struct bpf_link *cl[2] = {};
	long t;

	for (t = 0; !stop; t += 50) {
		int h = t / 50 % 4;

		pthread_mutex_lock(&links_mu);
		bpf_link__destroy(links[h]);
		links[h] = attach_hook(h);
		pthread_mutex_unlock(&links_mu);
		reattaches++;

		if (t % 300 == 0) {
			bpf_link__destroy(cl[0]);
			bpf_link__destroy(cl[1]);
			cl[0] = NULL;
			cl[1] = NULL;
			watchdog_stress__destroy(churn);
			churn = watchdog_stress__open();
			if (churn) {
				struct bpf_program *p;

				bpf_object__for_each_program(p, churn->obj)
					bpf_program__set_autoload(p, p == churn->progs.on_switch ||
								  p == churn->progs.on_sys_enter);
				churn->bss->pid = getpid();
				churn->data->every = 32;
				if (!watchdog_stress__load(churn)) {
					cl[0] = bpf_program__attach(churn->progs.on_switch);
					cl[1] = bpf_program__attach(churn->progs.on_sys_enter);
					churns++;
				}
			}
		}
		if (t % 500 == 0 &&
		    !bpf_prog_test_run_opts(bpf_program__fd(skel->progs.record_full), &opts))
			full_runs++;
		sleep_ms(50);
	}
	bpf_link__destroy(cl[0]);
	bpf_link__destroy(cl[1]);
	watchdog_stress__destroy(churn);
	return NULL;
}

/* CPU 1 offline for 200 ms every second, with its watchdog timer armed. */
static void *hotplug(void *arg)
{
	if (nr_cpus < 2 || access("/sys/devices/system/cpu/cpu1/online", W_OK))
		return NULL;
	while (!stop) {
		if (!system("echo 0 >/sys/devices/system/cpu/cpu1/online")) {
			sleep_ms(200);
			if (!system("echo 1 >/sys/devices/system/cpu/cpu1/online"))
				hotplugs++;
		}
		sleep_ms(800);
	}
	/* CPU 1 back in any case. */
	if (system("echo 1 >/sys/devices/system/cpu/cpu1/online"))
		fprintf(stderr, "could not bring CPU 1 back\n");
	return NULL;
}

/*
 * NMIs: sysrq-l every 2 s sends the backtrace NMI to every other CPU (and
 * a backtrace of each to the kernel log).  Without CONFIG_MAGIC_SYSRQ,
 * none.
 */
static void *nmi_source(void *arg)
{
	while (!stop) {
		int fd = open("/proc/sysrq-trigger", O_WRONLY);

		if (fd < 0)
			return NULL;
		if (write(fd, "l", 1) == 1)
			nmis++;
		close(fd);
		sleep_ms(2000);
	}
	return NULL;
}

/*
 * The loader under memory pressure: a child in a cgroup limited to 64 MiB,
 * 40 MiB of it touched, loading, attaching and freeing the object until
 * it is killed.
 */
static pid_t memcg_child(void)
{
	pid_t child;

	if (system("echo +memory >/sys/fs/cgroup/cgroup.subtree_control 2>/dev/null; "
		   "mkdir -p /sys/fs/cgroup/" NS " && echo 64M >/sys/fs/cgroup/" NS "/memory.max"))
		return -1;
	child = fork();
	if (child)
		return child;
	{
		char buf[32];
		int fd, n;
		char *mem;

		fd = open("/sys/fs/cgroup/" NS "/cgroup.procs", O_WRONLY);
		n = snprintf(buf, sizeof(buf), "%d", getpid());
		if (fd < 0 || write(fd, buf, n) != n)
			_exit(0);
		close(fd);
		mem = mmap(NULL, 40 << 20, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (mem != MAP_FAILED)
			memset(mem, 1, 40 << 20);
		for (;;) {
			struct watchdog_stress *s = watchdog_stress__open();
			struct bpf_program *p;
			struct bpf_link *l;

			if (!s)
				continue;
			bpf_object__for_each_program(p, s->obj)
				bpf_program__set_autoload(p, p == s->progs.on_fentry);
			s->bss->pid = getpid();
			s->data->every = 4;
			if (!watchdog_stress__load(s)) {
				l = bpf_program__attach(s->progs.on_fentry);
				for (int i = 0; i < 20; i++)
					syscall(__NR_getpgid, 0);
				bpf_link__destroy(l);
			}
			watchdog_stress__destroy(s);
		}
	}
}

struct lat {
	double *v;
	long n;
};

/* Wake-up latency of a 1 ms sleep, in us, until @stop or full. */
static void probe_latency(struct lat *l, double seconds)
{
	double end = now_us() + seconds * 1e6;

	while (!stop && now_us() < end && l->n < MAX_LAT) {
		double t = now_us();

		sleep_ms(1);
		l->v[l->n++] = now_us() - t - 1000;
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double p99(struct lat *l)
{
	if (!l->n)
		return 0;
	qsort(l->v, l->n, sizeof(*l->v), cmp_double);
	return l->v[l->n * 99 / 100];
}

/* The refcount of the TCP socket @lport <- @rport (/proc/net/tcp). */
static int tcp_refcnt(__u16 lport, __u16 rport)
{
	char line[512], loc[32], rem[32], want_loc[16], want_rem[16];
	int refs = -1, r;
	FILE *f = fopen("/proc/net/tcp", "r");

	if (!f)
		return -1;
	snprintf(want_loc, sizeof(want_loc), "0100007F:%04X", lport);
	snprintf(want_rem, sizeof(want_rem), "0100007F:%04X", rport);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, " %*s %31s %31s %*s %*s %*s %*s %*s %*s %*s %d",
			   loc, rem, &r) == 3 &&
		    !strcmp(loc, want_loc) && !strcmp(rem, want_rem))
			refs = r;
	fclose(f);
	return refs;
}

static bool run_probe(void)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts);

	return ASSERT_OK(bpf_prog_test_run_opts(bpf_program__fd(skel->progs.probe), &opts),
			 "probe") && ASSERT_EQ(opts.retval, 0, "probe retval");
}

static __u64 prog_kills(struct bpf_program *p)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);

	if (bpf_prog_get_info_by_fd(bpf_program__fd(p), &info, &len))
		return 0;
	return info.watchdog_killed;
}

void test_watchdog_stress(void)
{
	struct bpf_program *hook_progs[NR_HOOKS];
	struct bpf_link *nmi_link = NULL;
	pthread_t th[10];
	int nth = 0, i, srv = -1, cli = -1, acc = -1, ifindex, status;
	int task_users, mm_users, sk_refs = -1;
	struct sockaddr_in sa, ca;
	socklen_t len;
	struct lat idle = {}, soak = {};
	struct kind_key { char name[24]; } key, next;
	__u64 kills0, kills;
	char *env_s = getenv("WATCHDOG_STRESS_SECONDS");
	int seconds = env_s ? atoi(env_s) : 60;
	long total_runaways = 0, v;
	pid_t child = -1;
	LIBBPF_OPTS(bpf_tc_hook, tc_hook, .attach_point = BPF_TC_INGRESS);
	LIBBPF_OPTS(bpf_tc_opts, tc_opts);
	bool tc_hooked = false, xdp_attached = false;

	if (access(SYSCTL "mode", F_OK)) {
		test__skip();
		return;
	}
	for (i = 0; i < ARRAY_SIZE(params); i++)
		saved[i] = wd_read(params[i]);
	nr_cpus = libbpf_num_possible_cpus();
	if (nr_cpus > MAX_CPUS)
		nr_cpus = MAX_CPUS;
	idle.v = calloc(MAX_LAT, sizeof(double));
	soak.v = calloc(MAX_LAT, sizeof(double));
	if (!ASSERT_OK_PTR(idle.v, "calloc") || !ASSERT_OK_PTR(soak.v, "calloc"))
		goto out;

	/* An established loopback TCP connection: tc's socket lookups find it. */
	srv = start_server(AF_INET, SOCK_STREAM, "127.0.0.1", 0, 0);
	if (!ASSERT_GE(srv, 0, "start_server"))
		goto out;
	cli = connect_to_fd(srv, 0);
	acc = cli >= 0 ? accept(srv, NULL, NULL) : -1;
	if (!ASSERT_GE(acc, 0, "connect and accept"))
		goto out;
	len = sizeof(sa);
	getsockname(srv, (struct sockaddr *)&sa, &len);
	len = sizeof(ca);
	getsockname(cli, (struct sockaddr *)&ca, &len);

	/* A veth pair, one end in a namespace that sends the traffic. */
	SYS(out, "ip netns add " NS);
	SYS(out, "ip link add wds0 type veth peer name wds1 netns " NS);
	SYS(out, "ip addr add 10.77.0.1/24 dev wds0 && ip link set wds0 up");
	SYS(out, "ip -n " NS " addr add 10.77.0.2/24 dev wds1 && ip -n " NS " link set wds1 up");
	ifindex = if_nametoindex("wds0");
	if (!ASSERT_GT(ifindex, 0, "wds0"))
		goto out;

	skel = watchdog_stress__open();
	if (!ASSERT_OK_PTR(skel, "open"))
		goto out;
	skel->bss->pid = getpid();
	skel->bss->sk_tuple.ipv4.saddr = ca.sin_addr.s_addr;
	skel->bss->sk_tuple.ipv4.sport = ca.sin_port;
	skel->bss->sk_tuple.ipv4.daddr = sa.sin_addr.s_addr;
	skel->bss->sk_tuple.ipv4.dport = sa.sin_port;
	/*
	 * The runners' own budget; the syscall class keeps its default, so
	 * that the probes, which run for microseconds but may be preempted
	 * for milliseconds on a loaded TCG host, are not killed.
	 */
	bpf_program__set_watchdog_budget(skel->progs.runner, 2000);
	bpf_program__set_watchdog_budget(skel->progs.record_full, 2000);
	if (!ASSERT_OK(watchdog_stress__load(skel), "load"))
		goto out;
	hook_progs[H_SWITCH] = skel->progs.on_switch;
	hook_progs[H_SYS_ENTER] = skel->progs.on_sys_enter;
	hook_progs[H_KPROBE] = skel->progs.on_kprobe;
	hook_progs[H_FENTRY] = skel->progs.on_fentry;
	hook_progs[H_TC] = skel->progs.on_tc;
	hook_progs[H_XDP] = skel->progs.on_xdp;
	hook_progs[H_PERF] = skel->progs.on_perf;
	hook_progs[H_RUNNER] = skel->progs.runner;
	hook_progs[H_NMI] = skel->progs.on_nmi;

	if (!ASSERT_TRUE(run_probe(), "probe before"))
		goto out;
	task_users = skel->bss->task_users;
	mm_users = skel->bss->mm_users;
	kills0 = skel->bss->kills;
	sk_refs = tcp_refcnt(ntohs(sa.sin_port), ntohs(ca.sin_port));
	ASSERT_GT(sk_refs, 0, "socket refcount");

	/* The latency probe, idle. */
	probe_latency(&idle, 3);

	/* Short budgets, quarantine off: the soak wants kill after kill. */
	wd_write("mode", 2);
	wd_write("tracing_budget_us", 1000);
	wd_write("net_budget_us", 1000);
	wd_write("lock_budget_us", 1000);
	wd_write("quarantine_after", 0);

	for (i = 0; i < 4; i++) {
		links[i] = attach_hook(i);
		ASSERT_OK_PTR(links[i], hook_names[i]);
	}
	tc_hook.ifindex = ifindex;
	if (ASSERT_OK(bpf_tc_hook_create(&tc_hook), "tc hook")) {
		tc_hooked = true;
		tc_opts.prog_fd = bpf_program__fd(skel->progs.on_tc);
		ASSERT_OK(bpf_tc_attach(&tc_hook, &tc_opts), "tc attach");
	}
	xdp_attached = ASSERT_OK(bpf_xdp_attach(ifindex, bpf_program__fd(skel->progs.on_xdp),
						XDP_FLAGS_SKB_MODE, NULL), "xdp attach");
	for (i = 0; i < nr_cpus; i++) {
		struct perf_event_attr attr = {
			.type = PERF_TYPE_SOFTWARE,
			.config = PERF_COUNT_SW_CPU_CLOCK,
			.freq = 1,
			.sample_freq = 500,
			.size = sizeof(attr),
		};
		int pfd = syscall(__NR_perf_event_open, &attr, -1, i, -1, PERF_FLAG_FD_CLOEXEC);

		if (pfd < 0)
			continue;
		perf_links[i] = bpf_program__attach_perf_event(skel->progs.on_perf, pfd);
		if (!perf_links[i])
			close(pfd);
	}
	ASSERT_OK_PTR(bpf_program__attach(skel->progs.on_release), "on_release");
	nmi_link = bpf_program__attach(skel->progs.on_nmi);
	ASSERT_OK_PTR(nmi_link, "nmi_handler");

	child = memcg_child();
	ASSERT_GT(child, 0, "memcg child");
	pthread_create(&th[nth++], NULL, worker, NULL);
	pthread_create(&th[nth++], NULL, worker, NULL);
	pthread_create(&th[nth++], NULL, traffic, NULL);
	pthread_create(&th[nth++], NULL, runner, (void *)1L);
	pthread_create(&th[nth++], NULL, runner, (void *)2L);
	pthread_create(&th[nth++], NULL, flipper, NULL);
	pthread_create(&th[nth++], NULL, faults, NULL);
	pthread_create(&th[nth++], NULL, hotplug, NULL);
	pthread_create(&th[nth++], NULL, nmi_source, NULL);

	/* The soak: the latency probe under load, on this thread. */
	probe_latency(&soak, seconds);
	stop = true;
	for (i = 0; i < nth; i++)
		pthread_join(th[i], NULL);
	if (child > 0) {
		kill(child, SIGKILL);
		waitpid(child, &status, 0);
	}

	/* Everything detached; then what must be back. */
	pthread_mutex_lock(&links_mu);
	for (i = 0; i < 4; i++) {
		bpf_link__destroy(links[i]);
		links[i] = NULL;
	}
	pthread_mutex_unlock(&links_mu);
	for (i = 0; i < nr_cpus; i++) {
		bpf_link__destroy(perf_links[i]);
		perf_links[i] = NULL;
	}
	bpf_link__destroy(nmi_link);
	nmi_link = NULL;
	if (tc_hooked) {
		bpf_tc_hook_destroy(&tc_hook);
		tc_hooked = false;
	}
	if (xdp_attached)
		bpf_xdp_detach(ifindex, XDP_FLAGS_SKB_MODE, NULL);
	xdp_attached = false;
	/* The probes run with the settings the soak found. */
	for (i = 0; i < ARRAY_SIZE(params); i++)
		if (saved[i] >= 0)
			wd_write(params[i], saved[i]);
	sleep(1);

	if (!ASSERT_TRUE(run_probe(), "probe after"))
		goto out;
	kills = skel->bss->kills - kills0;
	ASSERT_EQ(skel->bss->task_users, task_users, "task references back");
	ASSERT_EQ(skel->bss->mm_users, mm_users, "mm references back");
	ASSERT_EQ(skel->bss->locks_free, 4, "every res_spin_lock free");
	ASSERT_EQ(skel->bss->held, 0, "the probe's record empty");
	ASSERT_EQ(tcp_refcnt(ntohs(sa.sin_port), ntohs(ca.sin_port)), sk_refs,
		  "socket reference back");
	ASSERT_GT(kills, 0, "runs killed");

	printf("stress: %d s, %llu kills (%.0f/s), %ld mode/budget flips, %ld re-attaches, "
	       "%ld objects loaded and freed, %ld CPU hotplug cycles, %ld record-full runs, "
	       "%ld sysrq-l NMI rounds\n",
	       seconds, (unsigned long long)kills, kills / (double)seconds, flips, reattaches,
	       churns, hotplugs, full_runs, nmis);
	printf("stress: kills by hook (killed/runaways):");
	for (i = 0; i < NR_HOOKS; i++) {
		total_runaways += skel->bss->runaways[i];
		printf(" %s %llu/%ld", hook_names[i],
		       (unsigned long long)prog_kills(hook_progs[i]), skel->bss->runaways[i]);
	}
	printf("\n");
	printf("stress: releases by kind:");
	memset(&key, 0, sizeof(key));
	while (!bpf_map_get_next_key(bpf_map__fd(skel->maps.released), &key, &next)) {
		if (!bpf_map_lookup_elem(bpf_map__fd(skel->maps.released), &next, &v))
			printf(" %s %ld", next.name, v);
		key = next;
	}
	printf("\n");
	printf("stress: latency probe (1 ms sleeps): p99 over-sleep idle %.0f us (%ld samples), "
	       "under the soak %.0f us (%ld samples)\n", p99(&idle), idle.n, p99(&soak), soak.n);
	printf("stress: memcg child: %s\n", child > 0 ? "ran, killed at the end" : "not run");
	ASSERT_GT(total_runaways, 0, "runaways started");
	/* Every hook that ran away (XDP and tc: if traffic flowed) was killed. */
	for (i = 0; i < NR_HOOKS; i++)
		if (skel->bss->runaways[i] > 2 * skel->bss->finished[i] + 1)
			ASSERT_GT(prog_kills(hook_progs[i]), 0, hook_names[i]);
out:
	stop = true;
	for (i = 0; i < 4; i++)
		bpf_link__destroy(links[i]);
	bpf_link__destroy(nmi_link);
	for (i = 0; i < nr_cpus; i++)
		bpf_link__destroy(perf_links[i]);
	if (tc_hooked)
		bpf_tc_hook_destroy(&tc_hook);
	if (xdp_attached)
		bpf_xdp_detach(ifindex, XDP_FLAGS_SKB_MODE, NULL);
	watchdog_stress__destroy(skel);
	skel = NULL;
	SYS_NOFAIL("ip link del wds0");
	SYS_NOFAIL("ip netns del " NS);
	SYS_NOFAIL("rmdir /sys/fs/cgroup/" NS);
	for (i = 0; i < ARRAY_SIZE(params); i++)
		if (saved[i] >= 0)
			wd_write(params[i], saved[i]);
	if (srv >= 0)
		close(srv);
	if (cli >= 0)
		close(cli);
	if (acc >= 0)
		close(acc);
	free(idle.v);
	free(soak.v);
}
