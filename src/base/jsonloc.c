#include "pacc/jsonloc.h"

#include "pacc/lex.h"

#include <stdint.h>
#include <string.h>

size_t jsonloc_skip_ws(const unsigned char *t, size_t n, size_t i)
{
	while (i < n && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r'))
		i++;
	return i;
}

size_t jsonloc_string_end(const unsigned char *t, size_t n, size_t i)
{
	for (i++; i < n && t[i] != '"'; i++)
		if (t[i] == '\\')
			i++;
	return i < n ? i + 1 : n;
}

size_t jsonloc_value_end(const unsigned char *t, size_t n, size_t i)
{
	if (i >= n)
		return n;
	if (t[i] == '"')
		return jsonloc_string_end(t, n, i);
	if (t[i] == '{' || t[i] == '[') {
		size_t nest = 0;
		while (i < n) {
			if (t[i] == '"') {
				i = jsonloc_string_end(t, n, i);
				continue;
			}
			if (t[i] == '{' || t[i] == '[')
				nest++;
			else if (t[i] == '}' || t[i] == ']') {
				if (--nest == 0)
					return i + 1;
			}
			i++;
		}
		return n;
	}
	while (i < n && t[i] != ',' && t[i] != '}' && t[i] != ']' && t[i] != ' ' && t[i] != '\n' &&
	       t[i] != '\r' && t[i] != '\t')
		i++;
	return i;
}

bool jsonloc_key_is(const unsigned char *t, size_t n, size_t i, const char *key)
{
	size_t k = 0, klen = strlen(key);
	for (i++; i < n && t[i] != '"'; i++) {
		unsigned char c = t[i];
		if (c == '\\' && i + 1 < n) {
			i++;
			c = t[i];
			if (c != '"' && c != '\\' && c != '/')
				return false;
		}
		if (k >= klen || (unsigned char)key[k] != c)
			return false;
		k++;
	}
	return k == klen;
}

size_t jsonloc_find(const unsigned char *t, size_t n, const struct jsonloc_seg *path, size_t depth)
{
	size_t i = jsonloc_skip_ws(t, n, 0);
	for (size_t s = 0; s < depth; s++) {
		const struct jsonloc_seg *seg = &path[s];
		if (i >= n)
			return n;
		if (seg->key && t[i] == '{') {
			bool found = false;
			i = jsonloc_skip_ws(t, n, i + 1);
			while (i < n && t[i] == '"') {
				bool match = jsonloc_key_is(t, n, i, seg->key);
				i = jsonloc_skip_ws(t, n, jsonloc_string_end(t, n, i));
				if (i < n && t[i] == ':')
					i = jsonloc_skip_ws(t, n, i + 1);
				if (match) {
					found = true;
					break;
				}
				i = jsonloc_skip_ws(t, n, jsonloc_value_end(t, n, i));
				if (i < n && t[i] == ',')
					i = jsonloc_skip_ws(t, n, i + 1);
			}
			if (!found)
				return i;
		} else if (!seg->key && t[i] == '[') {
			i = jsonloc_skip_ws(t, n, i + 1);
			for (size_t k = 0; k < seg->index && i < n && t[i] != ']'; k++) {
				i = jsonloc_skip_ws(t, n, jsonloc_value_end(t, n, i));
				if (i < n && t[i] == ',')
					i = jsonloc_skip_ws(t, n, i + 1);
			}
		} else {
			return i;
		}
	}
	return i;
}

struct src_span jsonloc_span_at(const struct source *src, size_t offset)
{
	struct src_span sp;
	sp.src = src;
	sp.begin = source_pos_at(src, offset);
	sp.end = sp.begin;
	/* the end is one byte on: stepped here rather than counted again from
	 * the start, as source_pos_at() would */
	if (offset < src->len) {
		unsigned char c = src->text[offset];
		sp.end.offset++;
		if (c == '\n') {
			sp.end.line++;
			sp.end.col = 1;
		} else if ((c & 0xC0) != 0x80) {
			sp.end.col++;
		}
	}
	return sp;
}

bool jsonloc_bytes_ok(const struct source *src, struct diag_engine *d)
{
	const unsigned char *t = src->text, *lim = src->text + src->len;
	for (const unsigned char *p = t; p < lim;) {
		/* eight ASCII bytes, none of them NUL, at a time */
		if (lim - p >= 8) {
			uint64_t w;
			memcpy(&w, p, sizeof(w));
			const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
			if (((w | ((w - ones) & ~w)) & highs) == 0) {
				p += 8;
				continue;
			}
		}
		if (*p < 0x80) {
			if (*p == 0) {
				diag_error(d, jsonloc_span_at(src, (size_t)(p - t)), "E0004", "NUL byte in input");
				return false;
			}
			p++;
			continue;
		}
		int len = lex_utf8_len(p, lim);
		if (len == 0) {
			diag_error(d, jsonloc_span_at(src, (size_t)(p - t)), "E0002",
				   "invalid UTF-8 (byte 0x%02x)", *p);
			return false;
		}
		p += len;
	}
	return true;
}

/* How many arrays and objects are open at offset off (strings skipped). */
static size_t depth_at(const unsigned char *t, size_t off)
{
	size_t depth = 0;
	for (size_t i = 0; i < off; i++) {
		if (t[i] == '"') {
			for (i++; i < off && t[i] != '"'; i++)
				if (t[i] == '\\')
					i++;
		} else if (t[i] == '[' || t[i] == '{') {
			depth++;
		} else if ((t[i] == ']' || t[i] == '}') && depth > 0) {
			depth--;
		}
	}
	return depth;
}

cJSON *jsonloc_parse(const struct source *src, struct diag_engine *d)
{
	if (!jsonloc_bytes_ok(src, d))
		return NULL;
	const char *end = NULL;
	cJSON *root = cJSON_ParseWithLengthOpts((const char *)src->text, src->len, &end, false);
	if (!root) {
		size_t off = end ? (size_t)(end - (const char *)src->text) : 0;
		if (off > src->len)
			off = src->len;
		if (off < src->len && (src->text[off] == '[' || src->text[off] == '{') &&
		    depth_at(src->text, off) >= CJSON_NESTING_LIMIT)
			diag_error(d, jsonloc_span_at(src, off), "E0901",
				   "invalid JSON: nesting too deep (more than %d levels)", CJSON_NESTING_LIMIT);
		else
			diag_error(d, jsonloc_span_at(src, off), "E0901", "invalid JSON");
		return NULL;
	}
	size_t after = jsonloc_skip_ws(src->text, src->len, (size_t)(end - (const char *)src->text));
	if (after < src->len) {
		diag_error(d, jsonloc_span_at(src, after), "E0901", "invalid JSON: unexpected text after the value");
		cJSON_Delete(root);
		return NULL;
	}
	return root;
}
