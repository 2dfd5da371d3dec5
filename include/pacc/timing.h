/*
 * timing: wall and CPU time per pass, for `--time-passes`.
 *
 * A driver brackets each pass with timing_begin() / timing_end(); time
 * spent in one pass over several packs adds up.  With the timer off (the
 * default) both calls do nothing, so the passes pay nothing for it.  The
 * report goes to standard error and never into generated files, so output
 * stays deterministic.
 */
#ifndef PACC_TIMING_H
#define PACC_TIMING_H

#include <stdbool.h>
#include <stdio.h>

enum timing_pass {
	TIMING_READ,     /* reading the input files */
	TIMING_PARSE,    /* lexing and parsing */
	TIMING_CHECK,    /* semantic checks */
	TIMING_GENERATE, /* every generator, into memory */
	TIMING_WRITE,    /* comparing with and writing the output directory */
	TIMING_IMPORT,   /* `pacc import`: reading JSON, writing packs */
	TIMING_PASS_COUNT
};

struct timing {
	bool on;
	double wall[TIMING_PASS_COUNT]; /* seconds */
	double cpu[TIMING_PASS_COUNT];
	bool used[TIMING_PASS_COUNT];
	double begin_wall, begin_cpu; /* of the pass that runs */
};

/* Starts pass (when t is on); the previous pass must have ended. */
void timing_begin(struct timing *t, enum timing_pass pass);
/* Ends pass, adding its time. */
void timing_end(struct timing *t, enum timing_pass pass);
/*
 * Prints one line per pass that ran, then the total, e.g.
 * "pacc: time-passes: check      1.234 ms wall     1.200 ms cpu".
 */
void timing_report(const struct timing *t, FILE *err);

#endif
