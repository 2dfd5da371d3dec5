#include "pacc/timing.h"

#include <time.h>

static const char *const pass_names[TIMING_PASS_COUNT] = {
	[TIMING_READ] = "read",
	[TIMING_PARSE] = "lex+parse",
	[TIMING_CHECK] = "check",
	[TIMING_GENERATE] = "generate",
	[TIMING_WRITE] = "write",
	[TIMING_IMPORT] = "import",
};

static double seconds(clockid_t clock)
{
	struct timespec ts;
	if (clock_gettime(clock, &ts) != 0)
		return 0;
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void timing_begin(struct timing *t, enum timing_pass pass)
{
	(void)pass;
	if (!t || !t->on)
		return;
	t->begin_wall = seconds(CLOCK_MONOTONIC);
	t->begin_cpu = seconds(CLOCK_PROCESS_CPUTIME_ID);
}

void timing_end(struct timing *t, enum timing_pass pass)
{
	if (!t || !t->on)
		return;
	t->wall[pass] += seconds(CLOCK_MONOTONIC) - t->begin_wall;
	t->cpu[pass] += seconds(CLOCK_PROCESS_CPUTIME_ID) - t->begin_cpu;
	t->used[pass] = true;
}

void timing_report(const struct timing *t, FILE *err)
{
	if (!t || !t->on)
		return;
	double wall = 0, cpu = 0;
	for (int p = 0; p < TIMING_PASS_COUNT; p++) {
		if (!t->used[p])
			continue;
		fprintf(err, "pacc: time-passes: %-10s %10.3f ms wall %10.3f ms cpu\n", pass_names[p],
			t->wall[p] * 1e3, t->cpu[p] * 1e3);
		wall += t->wall[p];
		cpu += t->cpu[p];
	}
	fprintf(err, "pacc: time-passes: %-10s %10.3f ms wall %10.3f ms cpu\n", "total", wall * 1e3, cpu * 1e3);
}
