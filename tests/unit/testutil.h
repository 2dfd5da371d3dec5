/*
 * testutil: shared helpers for the cmocka unit tests.  Header-only so each
 * test executable stays one file.
 */
#ifndef PACC_TESTUTIL_H
#define PACC_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "pacc/arena.h"
#include "pacc/diag.h"
#include "pacc/output.h"
#include "pacc/source.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>

/* A fixture: an arena and a diagnostics engine, fresh per test. */
struct fixture {
	struct arena arena;
	struct diag_engine diag;
	struct source *src;
};

static inline int fixture_setup(void **state)
{
	struct fixture *f = test_calloc(1, sizeof(*f));
	arena_init(&f->arena);
	diag_init(&f->diag);
	*state = f;
	return 0;
}

static inline int fixture_teardown(void **state)
{
	struct fixture *f = *state;
	diag_release(&f->diag);
	arena_release(&f->arena);
	source_free(f->src);
	test_free(f);
	return 0;
}

/* Replaces the fixture's source with text (NUL-terminated) named "test.pacc". */
static inline const struct source *fixture_source(struct fixture *f, const char *text)
{
	source_free(f->src);
	f->src = source_from_memory("test.pacc", text, strlen(text));
	return f->src;
}

/* The text of the generated file path in out; asserts that it exists. */
static inline const char *find_output(const struct output_set *out, const char *path)
{
	const struct output_file *f = output_find(out, path);
	assert_non_null(f);
	return f->data.buf;
}

/* How many times needle occurs in hay, overlapping occurrences included. */
static inline size_t count_substr(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

/*
 * True when s (at a '&') starts a character reference as CommonMark reads
 * them: "&name;", "&#123;" or "&#x1f;", of any length.  The Markdown tests
 * use it to find text a renderer would decode.
 */
static inline bool looks_like_entity(const char *s)
{
	size_t j = 1;
	if (s[j] == '#') {
		j++;
		bool hex = s[j] == 'x' || s[j] == 'X';
		j += hex;
		size_t start = j;
		while (hex ? isxdigit((unsigned char)s[j]) : isdigit((unsigned char)s[j]))
			j++;
		return j > start && s[j] == ';';
	}
	if (!isalpha((unsigned char)s[j]))
		return false;
	while (isalnum((unsigned char)s[j]))
		j++;
	return s[j] == ';';
}

/* Asserts that diagnostic i has this code, line and column. */
#define assert_diag(f, i, code_, line_, col_)                                         \
	do {                                                                          \
		assert_true((i) < (f)->diag.count);                                   \
		assert_string_equal((f)->diag.records[i]->code, (code_));             \
		assert_int_equal((f)->diag.records[i]->span.begin.line, (line_));     \
		assert_int_equal((f)->diag.records[i]->span.begin.col, (col_));       \
	} while (0)

#endif
