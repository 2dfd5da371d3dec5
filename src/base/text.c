#include "pacc/text.h"

#include "pacc/arena.h"
#include "pacc/sb.h"

#include <ctype.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <stdint.h>
#include <stdlib.h>
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
	for (const char *q = raw; (q = memchr(q, '\n', len - (size_t)(q - raw))) != NULL; q++)
		nlines++;
	struct text_line *lines = ARENA_NEW_ARRAY(arena, struct text_line, nlines);
	size_t n = 0, start = 0;
	for (;;) {
		const char *nl = memchr(raw + start, '\n', len - start);
		size_t end = nl ? (size_t)(nl - raw) : len;
		lines[n].start = start;
		lines[n].len = trimmed_len(raw + start, end - start);
		n++;
		if (!nl)
			break;
		start = end + 1;
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
	size_t chars = 0, i = 0;
	/* Eight bytes at a time: continuation bytes have the top bit set and the next clear. */
	for (; n - i >= 8; i += 8) {
		uint64_t w;
		memcpy(&w, s + i, sizeof(w));
		uint64_t cont = (w & ~(w << 1) & 0x8080808080808080u) >> 7; /* one bit per byte */
		chars += 8 - (size_t)((cont * 0x0101010101010101u) >> 56);   /* their sum */
	}
	for (; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			chars++;
	return chars;
}

size_t text_edit_distance(const char *a, const char *b, size_t cap)
{
	size_t la = strlen(a), lb = strlen(b);
	if ((la > lb ? la - lb : lb - la) > cap)
		return cap + 1;
	/* two rows of the Levenshtein table; on the stack for the usual short words */
	size_t stack_rows[2][129];
	size_t *prev = stack_rows[0], *cur = stack_rows[1], *heap = NULL;
	if (lb >= 129) {
		heap = xcalloc(2 * (lb + 1), sizeof(size_t));
		prev = heap;
		cur = heap + lb + 1;
	}
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	size_t result = cap + 1;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = i;
		size_t best = cur[0];
		for (size_t j = 1; j <= lb; j++) {
			size_t cost = tolower((unsigned char)a[i - 1]) == tolower((unsigned char)b[j - 1]) ? 0 : 1;
			size_t v = prev[j - 1] + cost;
			if (prev[j] + 1 < v)
				v = prev[j] + 1;
			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;
			cur[j] = v;
			if (v < best)
				best = v;
		}
		if (best > cap)
			goto out;
		size_t *swap = prev;
		prev = cur;
		cur = swap;
	}
	result = prev[lb] <= cap ? prev[lb] : cap + 1;
out:
	free(heap);
	return result;
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

const unsigned char *text_ascii_run(const unsigned char *p, const unsigned char *lim, unsigned char stop1,
				    unsigned char stop2)
{
#ifdef __SSE2__
	/* Sixteen bytes at a time: as signed bytes, those below 0x20 include the
	 * ones >= 0x80; 0x7f and the stop bytes are compared for equality. */
	const __m128i blank = _mm_set1_epi8(0x20), del = _mm_set1_epi8(0x7f);
	const __m128i s1 = _mm_set1_epi8((char)stop1), s2 = _mm_set1_epi8((char)stop2);
	for (; lim - p >= 16; p += 16) {
		__m128i w = _mm_loadu_si128((const __m128i *)(const void *)p);
		__m128i bad = _mm_or_si128(_mm_or_si128(_mm_cmplt_epi8(w, blank), _mm_cmpeq_epi8(w, del)),
					   _mm_or_si128(_mm_cmpeq_epi8(w, s1), _mm_cmpeq_epi8(w, s2)));
		unsigned mask = (unsigned)_mm_movemask_epi8(bad);
		if (mask)
			return p + __builtin_ctz(mask);
	}
#endif
	while (p < lim && *p >= 0x20 && *p < 0x7f && *p != stop1 && *p != stop2)
		p++;
	return p;
}
