#include "pacc/text.h"

#include "pacc/sb.h"

#include <stdint.h>
#include <string.h>

bool text_is_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return false;
	return true;
}

struct text_line {
	size_t start, len; /* len excludes the line break and trailing blanks */
};

static size_t trimmed_len(const char *s, size_t n)
{
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return n;
}

char *text_dedent(struct arena *arena, const char *raw, size_t len, size_t *out_len)
{
	/* Count lines first so one array holds them all. */
	size_t nlines = 1;
	for (size_t i = 0; i < len; i++)
		if (raw[i] == '\n')
			nlines++;
	struct text_line *lines = ARENA_NEW_ARRAY(arena, struct text_line, nlines);
	size_t n = 0, start = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i == len || raw[i] == '\n') {
			lines[n].start = start;
			lines[n].len = trimmed_len(raw + start, i - start);
			n++;
			start = i + 1;
		}
	}

	size_t first = 0, last = n; /* [first, last) */
	if (last > first && lines[first].len == 0)
		first++;
	if (last > first && lines[last - 1].len == 0)
		last--;

	/* The common whitespace prefix of the non-blank lines, byte for byte. */
	const char *prefix = NULL;
	size_t prefix_len = 0;
	for (size_t i = first; i < last; i++) {
		const char *s = raw + lines[i].start;
		if (lines[i].len == 0)
			continue;
		size_t ws = 0;
		while (ws < lines[i].len && (s[ws] == ' ' || s[ws] == '\t'))
			ws++;
		if (!prefix) {
			prefix = s;
			prefix_len = ws;
			continue;
		}
		size_t k = 0;
		while (k < prefix_len && k < ws && s[k] == prefix[k])
			k++;
		prefix_len = k;
	}

	size_t total = 0;
	for (size_t i = first; i < last; i++)
		total += lines[i].len + 1;
	char *out = arena_alloc(arena, total + 1);
	size_t o = 0;
	for (size_t i = first; i < last; i++) {
		if (i > first)
			out[o++] = '\n';
		size_t skip = lines[i].len == 0 ? 0 : prefix_len;
		memcpy(out + o, raw + lines[i].start + skip, lines[i].len - skip);
		o += lines[i].len - skip;
	}
	out[o] = '\0';
	*out_len = o;
	return out;
}

size_t text_utf8_chars(const char *s, size_t n)
{
	size_t chars = 0;
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			chars++;
	return chars;
}

static uint32_t fnv1a32(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 16777619u;
	}
	return h;
}

void text_fit_name(struct sb *out, const char *text, size_t max)
{
	struct sb name = SB_INIT;
	for (const char *p = text; *p; p++) {
		char c = *p;
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
			c = '-';
		sb_addch(&name, c);
	}
	if (name.len == 0)
		sb_adds(&name, "pacc");
	if (name.len > max && max > 9) {
		sb_setlen(&name, max - 9);
		while (name.len > 0 && name.buf[name.len - 1] == '-')
			sb_setlen(&name, name.len - 1);
		sb_addf(&name, "-%08x", (unsigned)fnv1a32(text));
	}
	sb_add(out, name.buf, name.len);
	sb_release(&name);
}
