// SPDX-License-Identifier: GPL-2.0
/* BPF watchdog selftests (Documentation/bpf/watchdog.rst). */
#include <test_progs.h>

#include "watchdog.skel.h"
#include "watchdog_record.skel.h"

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

void test_watchdog(void)
{
	if (test__start_subtest("built_in"))
		test_built_in();
	RUN_TESTS(watchdog);
	RUN_TESTS(watchdog_record);
}
