/*
 * jsonloc: places in JSON text, for diagnostics about JSON inputs.
 *
 * cJSON keeps no positions.  Readers of JSON inputs (import, the alias
 * table) parse with cJSON and, only when they report a problem, re-scan the
 * text along the JSON path of the offending value to find its line and
 * column: errors are rare, so the cost of the scan is paid only then.
 *
 * jsonloc_parse() is the common front of such readers: it rejects a NUL
 * byte (E0004) and invalid UTF-8 (E0002) at the byte, invalid JSON (E0901)
 * at the byte where cJSON stopped (nesting past cJSON's limit named as
 * such), and text after the value.
 */
#ifndef PACC_JSONLOC_H
#define PACC_JSONLOC_H

#include "pacc/diag.h"
#include "pacc/source.h"

#include <cjson/cJSON.h>
#include <stddef.h>

/* One step of a JSON path: a member name, or (key NULL) an array index. */
struct jsonloc_seg {
	const char *key;
	size_t index;
};

/* The first offset at or after i that is not JSON whitespace (n at the end). */
size_t jsonloc_skip_ws(const unsigned char *t, size_t n, size_t i);

/* The offset just past the JSON string whose opening quote is at t[i]. */
size_t jsonloc_string_end(const unsigned char *t, size_t n, size_t i);

/* The offset just past the JSON value starting at t[i] (scanned, not validated). */
size_t jsonloc_value_end(const unsigned char *t, size_t n, size_t i);

/* Does the string literal at t[i] (its quote) spell key?  \" \\ and \/ are
 * unescaped; a key written with other escapes never matches. */
bool jsonloc_key_is(const unsigned char *t, size_t n, size_t i, const char *key);

/*
 * The offset of the value at path (depth steps) in the n bytes at t, which
 * hold valid JSON; where a step does not exist, the offset of the deepest
 * container reached.  O(bytes before the value).
 */
size_t jsonloc_find(const unsigned char *t, size_t n, const struct jsonloc_seg *path, size_t depth);

/* A one-character span at offset in src (empty at the end of the text). */
struct src_span jsonloc_span_at(const struct source *src, size_t offset);

/*
 * Reports the first NUL byte (E0004) or invalid UTF-8 sequence (E0002) of
 * src at its byte; true when there is none.  Text readers share it.
 */
bool jsonloc_bytes_ok(const struct source *src, struct diag_engine *d);

/*
 * Parses the text of src as one JSON value.  On success returns the tree
 * (the caller frees it with cJSON_Delete); otherwise reports to d (see the
 * top of this file) and returns NULL.
 */
cJSON *jsonloc_parse(const struct source *src, struct diag_engine *d);

#endif
