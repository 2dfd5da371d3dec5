#include "pacc/source.h"

#include "pacc/arena.h"
#include "pacc/sb.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

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

enum source_read_status source_read(const char *path, struct source **out)
{
	int is_stdin = strcmp(path, "-") == 0;
	FILE *f = is_stdin ? stdin : fopen(path, "rb");
	struct sb sb = SB_INIT;
	char chunk[65536];
	size_t n;

	*out = NULL;
	if (!f)
		return SOURCE_IO_ERROR;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (sb.len + n > SOURCE_MAX_BYTES) {
			if (!is_stdin)
				fclose(f);
			sb_release(&sb);
			return SOURCE_TOO_LARGE;
		}
		sb_add(&sb, chunk, n);
	}
	if (ferror(f)) {
		int saved = errno;
		if (!is_stdin)
			fclose(f);
		sb_release(&sb);
		errno = saved ? saved : EIO;
		return SOURCE_IO_ERROR;
	}
	if (!is_stdin)
		fclose(f);
	size_t len;
	char *text = sb_detach(&sb, &len);
	*out = source_new(is_stdin ? "<stdin>" : path, text, len);
	return SOURCE_OK;
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
