#include "pacc/sb.h"

#include "pacc/arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char sb_empty[1];

void sb_init(struct sb *sb, size_t hint)
{
	sb->buf = sb_empty;
	sb->len = 0;
	sb->alloc = 0;
	if (hint)
		sb_grow(sb, hint);
}

void sb_release(struct sb *sb)
{
	if (sb->alloc)
		free(sb->buf);
	sb_init(sb, 0);
}

char *sb_detach(struct sb *sb, size_t *len)
{
	char *s;
	if (!sb->alloc)
		sb_grow(sb, 0);
	s = sb->buf;
	if (len)
		*len = sb->len;
	sb_init(sb, 0);
	return s;
}

void sb_grow(struct sb *sb, size_t extra)
{
	if (sb->len > SIZE_MAX - extra - 1)
		die_oom();
	size_t need = sb->len + extra + 1;
	if (need <= sb->alloc)
		return;
	size_t alloc = sb->alloc ? sb->alloc : 64;
	while (alloc < need) {
		if (alloc > SIZE_MAX / 2) {
			alloc = need;
			break;
		}
		alloc *= 2;
	}
	if (!sb->alloc) {
		sb->buf = xmalloc(alloc);
		sb->buf[0] = '\0';
	} else {
		sb->buf = xrealloc(sb->buf, alloc);
	}
	sb->alloc = alloc;
}

void sb_setlen(struct sb *sb, size_t len)
{
	if (len > (sb->alloc ? sb->alloc - 1 : 0))
		abort(); /* a programming error, not a user error */
	sb->len = len;
	if (sb->alloc)
		sb->buf[len] = '\0';
}

void sb_reset(struct sb *sb)
{
	sb_setlen(sb, 0);
}

void sb_add(struct sb *sb, const void *data, size_t n)
{
	if (!n)
		return;
	sb_grow(sb, n);
	memcpy(sb->buf + sb->len, data, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void sb_adds(struct sb *sb, const char *s)
{
	sb_add(sb, s, strlen(s));
}

void sb_addchars(struct sb *sb, int c, size_t n)
{
	if (!n)
		return;
	sb_grow(sb, n);
	memset(sb->buf + sb->len, c, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void sb_add_escaped(struct sb *sb, const char *s, size_t n, bool escape_del)
{
	static const char hex[] = "0123456789abcdef";
	size_t run = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\' && !(c == 0x7f && escape_del))
			continue;
		sb_add(sb, s + run, i - run);
		run = i + 1;
		switch (c) {
		case '"': sb_adds(sb, "\\\""); break;
		case '\\': sb_adds(sb, "\\\\"); break;
		case '\b': sb_adds(sb, "\\b"); break;
		case '\f': sb_adds(sb, "\\f"); break;
		case '\n': sb_adds(sb, "\\n"); break;
		case '\r': sb_adds(sb, "\\r"); break;
		case '\t': sb_adds(sb, "\\t"); break;
		default: {
			char u[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
			sb_add(sb, u, sizeof(u));
			break;
		}
		}
	}
	sb_add(sb, s + run, n - run);
}

void sb_vaddf(struct sb *sb, const char *fmt, va_list ap)
{
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(sb->buf + sb->len, sb->alloc ? sb->alloc - sb->len : 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		die_oom();
	if ((size_t)n >= (sb->alloc ? sb->alloc - sb->len : 0)) {
		sb_grow(sb, (size_t)n);
		n = vsnprintf(sb->buf + sb->len, sb->alloc - sb->len, fmt, ap);
		if (n < 0)
			die_oom();
	}
	sb->len += (size_t)n;
}

void sb_addf(struct sb *sb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(sb, fmt, ap);
	va_end(ap);
}

void sb_rtrim(struct sb *sb)
{
	while (sb->len && (sb->buf[sb->len - 1] == ' ' || sb->buf[sb->len - 1] == '\t' ||
			   sb->buf[sb->len - 1] == '\n' || sb->buf[sb->len - 1] == '\r'))
		sb->len--;
	if (sb->alloc)
		sb->buf[sb->len] = '\0';
}
