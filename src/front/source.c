#include "pacc/source.h"

#include "pacc/arena.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static size_t max_bytes = SOURCE_DEFAULT_MAX_BYTES;

size_t source_max_bytes(void)
{
	return max_bytes;
}

void source_set_max_bytes(size_t bytes)
{
	max_bytes = bytes < SOURCE_LIMIT_CEILING ? bytes : SOURCE_LIMIT_CEILING;
}

static struct source *source_new(const char *name, char *text, size_t len)
{
	struct source *src = xmalloc(sizeof(*src));
	src->name = xmalloc(strlen(name) + 1);
	memcpy(src->name, name, strlen(name) + 1);
	src->owned = (unsigned char *)text;
	src->text = src->owned;
	src->len = len;
	return src;
}

struct source *source_from_memory(const char *name, const void *text, size_t len)
{
	char *copy = xmalloc(len + 1);
	if (len)
		memcpy(copy, text, len);
	copy[len] = '\0';
	return source_new(name, copy, len);
}

/*
 * Reads fd to its end into an exactly sized buffer when fstat gives the
 * size (a regular file), else into a doubling one; *buf gets a NUL after the
 * bytes.  Returns SOURCE_TOO_LARGE past max bytes.
 */
static enum source_read_status read_all(int fd, size_t max, char **buf, size_t *len)
{
	struct stat st;
	size_t cap = 65536, n = 0;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
		if ((uintmax_t)st.st_size > max)
			return SOURCE_TOO_LARGE;
		cap = (size_t)st.st_size + 1;
	}
	char *b = xmalloc(cap);
	for (;;) {
		ssize_t got;
		if (n + 1 < cap) {
			got = read(fd, b + n, cap - 1 - n);
		} else {
			/* full: the end of the file, or it grew (or it is a pipe) */
			char probe[4096];
			got = read(fd, probe, sizeof(probe));
			if (got > 0) {
				if (cap > SIZE_MAX / 2 - sizeof(probe))
					die_oom();
				cap = cap * 2 + sizeof(probe);
				b = xrealloc(b, cap);
				memcpy(b + n, probe, (size_t)got);
			}
		}
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			int saved = errno;
			free(b);
			errno = saved;
			return SOURCE_IO_ERROR;
		}
		if (got == 0)
			break;
		n += (size_t)got;
		if (n > max) {
			free(b);
			return SOURCE_TOO_LARGE;
		}
	}
	b[n] = '\0';
	*buf = b;
	*len = n;
	return SOURCE_OK;
}

enum source_read_status source_read_limit(const char *path, size_t max, struct source **out)
{
	bool is_stdin = strcmp(path, "-") == 0;
	*out = NULL;
	int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return SOURCE_IO_ERROR;
	char *text = NULL;
	size_t len = 0;
	enum source_read_status st = read_all(fd, max, &text, &len);
	if (!is_stdin) {
		int saved = errno;
		close(fd);
		errno = saved;
	}
	if (st == SOURCE_OK)
		*out = source_new(is_stdin ? "<stdin>" : path, text, len);
	return st;
}

enum source_read_status source_read(const char *path, struct source **out)
{
	return source_read_limit(path, SOURCE_MAX_BYTES, out);
}

void source_free(struct source *src)
{
	if (!src)
		return;
	free(src->name);
	free(src->owned);
	free(src);
}

struct src_pos source_pos_at(const struct source *src, size_t offset)
{
	struct src_pos pos = { 0, 1, 1 };
	if (offset > src->len)
		offset = src->len;
	for (size_t i = 0; i < offset; i++) {
		unsigned char c = src->text[i];
		if (c == '\n') {
			pos.line++;
			pos.col = 1;
		} else if ((c & 0xC0) != 0x80) {
			pos.col++;
		}
	}
	pos.offset = (uint32_t)offset;
	return pos;
}

void source_line_bounds(const struct source *src, size_t offset, size_t *start, size_t *len)
{
	if (offset > src->len)
		offset = src->len;
	size_t b = offset;
	while (b > 0 && src->text[b - 1] != '\n')
		b--;
	size_t e = offset;
	while (e < src->len && src->text[e] != '\n')
		e++;
	if (e > b && src->text[e - 1] == '\r')
		e--;
	*start = b;
	*len = e - b;
}
