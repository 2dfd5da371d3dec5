/*
 * efunc: the template functions of Azure Policy, for the evaluator.
 *
 * efunc_eval() (declared in eval_ctx.h with the run context it needs)
 * evaluates one parsed expression.  This header names what the function
 * table holds, for the language reference and the conformance report.
 */
#ifndef PACC_EFUNC_H
#define PACC_EFUNC_H

#include <stdbool.h>
#include <stddef.h>

/* True when name (any case) is a function the evaluator implements. */
bool efunc_known(const char *name);

/* The implemented function names in table order; *count receives the count. */
const char *const *efunc_names(size_t *count);

/*
 * Days since 1970-01-01 and seconds within the day, and fractional digits, of
 * an ISO 8601 UTC date-time ("2024-01-31T10:00:00.1234567Z", "2024-01-31",
 * "2024-01-31T10:00:00Z", "+00:00" offsets); false when s is none.
 */
bool efunc_parse_datetime(const char *s, long long *days, long *secs, long *ticks);

/* Writes days/secs/ticks as "yyyy-MM-ddTHH:mm:ss.fffffffZ" into buf (>= 32 bytes). */
void efunc_format_datetime(char *buf, size_t size, long long days, long secs, long ticks);

#endif
