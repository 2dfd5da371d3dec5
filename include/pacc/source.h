/*
 * source: one input file held in memory, and positions inside it.
 *
 * The bytes are followed by a NUL sentinel (the lexer relies on it), so
 * text[len] == '\0' always; the file may itself contain NUL bytes, which the
 * lexer reports.  A source owns its name and text; source_free() releases both.
 */
#ifndef PACC_SOURCE_H
#define PACC_SOURCE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * Largest input pacc reads, in bytes: 16 MiB unless `--max-file-size`
 * raised it (a documented limit, and a guard against feeding pacc a
 * stray huge file).  Positions are 32-bit, so no limit may pass
 * SOURCE_LIMIT_CEILING.
 */
#define SOURCE_DEFAULT_MAX_BYTES ((size_t)16 * 1024 * 1024)
#define SOURCE_LIMIT_CEILING ((size_t)2048 * 1024 * 1024)
#define SOURCE_MAX_BYTES (source_max_bytes())

/* The limit in force (process-wide: the command line sets it once). */
size_t source_max_bytes(void);
/* Sets the limit to bytes (at most SOURCE_LIMIT_CEILING). */
void source_set_max_bytes(size_t bytes);

struct source {
	char *name;                 /* as given on the command line; "<stdin>" for - */
	const unsigned char *text;  /* len bytes plus a NUL sentinel (points into owned) */
	unsigned char *owned;       /* the allocation behind text */
	size_t len;
};

/*
 * A position: byte offset, 1-based line, 1-based column.  Columns count
 * Unicode code points (UTF-8 sequences) from the start of the line, so a
 * caret lines up under non-ASCII text.
 */
struct src_pos {
	uint32_t offset;
	uint32_t line;
	uint32_t col;
};

/* A half-open byte range [begin.offset, end.offset) in one source. */
struct src_span {
	const struct source *src; /* NULL for a span that names no place */
	struct src_pos begin;
	struct src_pos end;
};

enum source_read_status {
	SOURCE_OK,
	SOURCE_IO_ERROR,   /* errno holds the cause */
	SOURCE_TOO_LARGE,  /* more than SOURCE_MAX_BYTES */
};

/*
 * Reads path ("-" is standard input) into a new source.  On SOURCE_OK *out
 * is set and owned by the caller; otherwise *out is NULL.
 */
enum source_read_status source_read(const char *path, struct source **out);
/* A source over a copy of len bytes of text, named name (tests, stdin). */
struct source *source_from_memory(const char *name, const void *text, size_t len);
void source_free(struct source *src);

/* The position of byte offset in src (O(offset) scan: for diagnostics only). */
struct src_pos source_pos_at(const struct source *src, size_t offset);
/* Start and length (without the line break) of the line holding offset. */
void source_line_bounds(const struct source *src, size_t offset, size_t *start, size_t *len);

#endif
