/*
 * sb: a growable string buffer in the manner of git's strbuf.
 *
 * Invariants: buf is never NULL and always NUL-terminated at buf[len];
 * an initialised, empty buffer points at a shared static "" and owns no
 * memory until the first write.  Growth is amortised doubling with overflow
 * checks, so appending n bytes costs O(n) overall.
 */
#ifndef PACC_SB_H
#define PACC_SB_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct sb {
	char *buf;
	size_t len;
	size_t alloc; /* 0 while buf is the shared empty string */
};

extern char sb_empty[];
#define SB_INIT { sb_empty, 0, 0 }

void sb_init(struct sb *sb, size_t hint);
/* Frees the memory and leaves an empty, usable buffer. */
void sb_release(struct sb *sb);
/* Hands the caller the NUL-terminated string (caller frees); sb becomes empty. */
char *sb_detach(struct sb *sb, size_t *len);

/* Makes room for at least extra more bytes beyond len. */
void sb_grow(struct sb *sb, size_t extra);
void sb_setlen(struct sb *sb, size_t len);
void sb_reset(struct sb *sb);

void sb_add(struct sb *sb, const void *data, size_t n);
void sb_adds(struct sb *sb, const char *s);
/* One byte; inline, as generators and the lexer add text a byte at a time. */
static inline void sb_addch(struct sb *sb, int c)
{
	if (sb->len + 2 > sb->alloc)
		sb_grow(sb, 1);
	sb->buf[sb->len++] = (char)c;
	sb->buf[sb->len] = '\0';
}
void sb_addchars(struct sb *sb, int c, size_t n);
void sb_addf(struct sb *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_vaddf(struct sb *sb, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

/*
 * The n bytes at s as the inside of a double-quoted string of JSON or of
 * the pack language: '"' and '\\' escaped, the C0 controls as \b \f \n
 * \r \t or \u00XX (lower-case hex, as cJSON prints them), and DEL as
 * \u007f too when escape_del (the pack language's rule; JSON keeps it).
 * Runs of plain bytes are copied in one go.
 */
void sb_add_escaped(struct sb *sb, const char *s, size_t n, bool escape_del);

/* Removes trailing spaces, tabs and newlines. */
void sb_rtrim(struct sb *sb);

#endif
