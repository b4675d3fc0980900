/* test_cgroup.c - a control group per sandbox, written as v1 or v2 wants.
 *
 * The writers are tested on a folder that stands for the hierarchies
 * (plain files where the kernel has its own), so both kinds are proven on
 * any machine; the machine's real kind is tried where it can be made. */
#include "unit.h"

#include <sys/wait.h>
#include <time.h>

#include "../../harness/hx_cgroup.h"

/* The first line of dir/file, "" when absent. */
static void read_first_line(const char *dir, const char *file, char *out,
			    size_t size)
{
	char path[700];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	out[0] = '\0';
	f = fopen(path, "r");
	if (f && fgets(out, (int)size, f))
		out[strcspn(out, "\n")] = '\0';
	if (f)
		fclose(f);
}

static void write_file(const char *dir, const char *file, const char *text)
{
	char path[700];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_cgroup_v2_budget_in_one_folder(void **state)
{
	struct unit_fixture *f = *state;
	const char *bases[] = {f->dir};
	struct hx_budget budget = {.memory_mb = 512, .pids = 64};
	struct hx_cgroup cg;
	char text[64];

	assert_int_equal(hx_cgroup_create_in(&cg, 2, bases, 1, "sb-1", &budget),
			 0);
	assert_int_equal(cg.version, 2);
	read_first_line(cg.dirs[0], "memory.max", text, sizeof(text));
	assert_string_equal(text, "536870912");
	read_first_line(cg.dirs[0], "pids.max", text, sizeof(text));
	assert_string_equal(text, "64");
	read_first_line(cg.dirs[0], "cpu.weight", text, sizeof(text));
	assert_string_equal(text, "100");
}

static void test_cgroup_v1_budget_per_hierarchy(void **state)
{
	struct unit_fixture *f = *state;
	char cpu[300], acct[300], memory[300], pids[300], text[64];
	const char *bases[] = {cpu, acct, memory, pids};
	struct hx_budget budget = {.memory_mb = 1024, .pids = 512};
	struct hx_cgroup cg;

	snprintf(cpu, sizeof(cpu), "%s/cpu", f->dir);
	snprintf(acct, sizeof(acct), "%s/cpuacct", f->dir);
	snprintf(memory, sizeof(memory), "%s/memory", f->dir);
	snprintf(pids, sizeof(pids), "%s/pids", f->dir);
	for (int i = 0; i < 4; i++)
		assert_int_equal(mkdir(bases[i], 0755), 0);
	assert_int_equal(hx_cgroup_create_in(&cg, 1, bases, 4, "sb-2", &budget),
			 0);
	read_first_line(cg.dirs[2], "memory.limit_in_bytes", text,
			sizeof(text));
	assert_string_equal(text, "1073741824");
	read_first_line(cg.dirs[3], "pids.max", text, sizeof(text));
	assert_string_equal(text, "512");
	read_first_line(cg.dirs[0], "cpu.shares", text, sizeof(text));
	assert_string_equal(text, "1024");
}

/* What a sandbox used comes from the kernel's own counters: CPU time,
 * peak memory, processes killed for memory, forks refused. */
static void test_cgroup_v1_usage_read_back(void **state)
{
	struct unit_fixture *f = *state;
	struct hx_cgroup cg = {.version = 1, .ndirs = 4};
	struct hx_usage u;

	for (int i = 0; i < 4; i++)
		snprintf(cg.dirs[i], sizeof(cg.dirs[i]), "%s", f->dir);
	write_file(f->dir, "cpuacct.usage", "2500000000\n");
	write_file(f->dir, "memory.max_usage_in_bytes", "209715200\n");
	write_file(f->dir, "memory.oom_control",
		   "oom_kill_disable 0\nunder_oom 0\noom_kill 3\n");
	write_file(f->dir, "pids.events", "max 7\n");
	hx_cgroup_usage(&cg, &u);
	assert_int_equal(u.cpu_ms, 2500);
	assert_int_equal(u.memory_mb, 200);
	assert_int_equal(u.oom_kills, 3);
	assert_int_equal(u.pids_refused, 7);
}

static void test_cgroup_v2_usage_read_back(void **state)
{
	struct unit_fixture *f = *state;
	struct hx_cgroup cg = {.version = 2, .ndirs = 1};
	struct hx_usage u;

	snprintf(cg.dirs[0], sizeof(cg.dirs[0]), "%s", f->dir);
	write_file(f->dir, "cpu.stat",
		   "usage_usec 1234000\nuser_usec 1000000\n");
	write_file(f->dir, "memory.peak", "104857600\n");
	write_file(f->dir, "memory.events",
		   "low 0\nhigh 0\nmax 4\noom 1\noom_kill 1\n");
	write_file(f->dir, "pids.events", "max 0\n");
	hx_cgroup_usage(&cg, &u);
	assert_int_equal(u.cpu_ms, 1234);
	assert_int_equal(u.memory_mb, 100);
	assert_int_equal(u.oom_kills, 1);
	assert_int_equal(u.pids_refused, 0);
}

/* A group that cannot be made is no group, never half of one. */
static void test_cgroup_create_failure_leaves_none(void **state)
{
	const char *bases[] = {"/no/such/hierarchy"};
	struct hx_budget budget = {.memory_mb = 64, .pids = 8};
	struct hx_cgroup cg;

	(void)state;
	assert_int_equal(hx_cgroup_create_in(&cg, 2, bases, 1, "sb-3", &budget),
			 -1);
	assert_int_equal(cg.version, 0);
}

/* On this machine, as root: a real group takes a process, counts its
 * CPU time, and goes once the process has. */
static void test_cgroup_machine_group_counts_cpu(void **state)
{
	struct hx_budget budget = {.memory_mb = 256, .pids = 16};
	struct hx_cgroup cg;
	struct hx_usage u;
	int status;
	pid_t pid;

	(void)state;
	if (hx_cgroup_kind() == 0 ||
	    hx_cgroup_create(&cg, "socklab-unit-test", &budget) < 0)
		skip();
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		/* spin for 200 ms of CPU time */
		struct timespec start, now;

		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &start);
		do
			clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
		while ((now.tv_sec - start.tv_sec) * 1000 +
			   (now.tv_nsec - start.tv_nsec) / 1000000 <
		       200);
		_exit(0);
	}
	assert_int_equal(hx_cgroup_attach(&cg, pid), 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	hx_cgroup_usage(&cg, &u);
	assert_true(u.cpu_ms >= 100);
	assert_int_equal(hx_cgroup_remove(&cg), 0);
}

#define CGROUP_TEST(name)                                                      \
	cmocka_unit_test_setup_teardown(name, unit_fixture_setup,              \
					unit_fixture_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    CGROUP_TEST(test_cgroup_v2_budget_in_one_folder),
	    CGROUP_TEST(test_cgroup_v1_budget_per_hierarchy),
	    CGROUP_TEST(test_cgroup_v1_usage_read_back),
	    CGROUP_TEST(test_cgroup_v2_usage_read_back),
	    CGROUP_TEST(test_cgroup_create_failure_leaves_none),
	    CGROUP_TEST(test_cgroup_machine_group_counts_cpu),
	};

	unit_init();
	return cmocka_run_group_tests_name("hx_cgroup", tests, NULL, NULL);
}
