/*
 * libFuzzer harness: `pacc import` of a directory tree built from the input.
 *
 * The input is a little program over a temporary directory: each byte picks
 * an operation (enter a new subdirectory, go up, write a file from the next
 * bytes, write a valid definition, make a symbolic link to '.', '..', a
 * sibling, a file outside the tree or /etc/passwd), so trees with link
 * loops, links out of the tree and odd files come up quickly.  The tree is
 * then imported with import_path() and, when that succeeds, written as
 * pacc source, which must read back.  A crash, hang, leak, sanitizer report,
 * a pack that does not read back, or an import that shows the text of the
 * file outside the tree is a finding.
 */
#define _XOPEN_SOURCE 700
#include "pacc/arena.h"
#include "pacc/diag.h"
#include "pacc/emit_pacc.h"
#include "pacc/import.h"
#include "pacc/parse.h"
#include "pacc/sb.h"
#include "pacc/source.h"

#include <ftw.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SECRET "secret-outside-the-tree"

static char base[64]; /* the per-process directory: outside.json and t/ */

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void write_file(const char *path, const void *bytes, size_t n)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return;
	fwrite(bytes, 1, n, f);
	fclose(f);
}

/* A link at path; a name that exists already is simply left alone. */
static void make_link(const char *target, const char *path)
{
	if (symlink(target, path) != 0)
		return;
}

static const char *const valid_policy =
	"{\"properties\": {\"displayName\": \"P\", \"mode\": \"All\", \"policyRule\": {\"if\": "
	"{\"field\": \"type\", \"equals\": \"a\"}, \"then\": {\"effect\": \"deny\"}}}}";

static void build_tree(const char *root, const uint8_t *data, size_t size)
{
	struct sb dir = SB_INIT, path = SB_INIT;
	sb_adds(&dir, root);
	size_t depth = 0;
	unsigned serial = 0;
	for (size_t i = 0; i < size && serial < 64; i++) {
		unsigned op = data[i] & 7u, arg = data[i] >> 3;
		sb_reset(&path);
		serial++;
		switch (op) {
		case 0: /* a new subdirectory, entered */
			if (depth >= 4)
				break;
			sb_addf(&dir, "/d%u", serial);
			mkdir(dir.buf, 0777);
			depth++;
			break;
		case 1: /* up */
			if (depth == 0)
				break;
			sb_setlen(&dir, (size_t)(strrchr(dir.buf, '/') - dir.buf));
			depth--;
			break;
		case 2: { /* a file from the next bytes */
			size_t n = arg + 1u;
			if (n > size - i - 1)
				n = size - i - 1;
			sb_addf(&path, "%s/f%u.json%s", dir.buf, serial, arg & 1 ? "c" : "");
			write_file(path.buf, data + i + 1, n);
			i += n;
			break;
		}
		case 3: /* a valid definition */
			sb_addf(&path, "%s/p%u.json", dir.buf, serial);
			write_file(path.buf, valid_policy, strlen(valid_policy));
			break;
		case 4:
			sb_addf(&path, "%s/l%u", dir.buf, serial);
			make_link(arg & 1 ? "." : "..", path.buf);
			break;
		case 5:
			sb_addf(&path, "%s/l%u.json", dir.buf, serial);
			make_link(arg & 1 ? "/etc/passwd" : "../outside.json", path.buf);
			break;
		case 6: { /* the outside file, by absolute path */
			struct sb target = SB_INIT;
			sb_addf(&target, "%s/outside.json", base);
			sb_addf(&path, "%s/o%u.json", dir.buf, serial);
			make_link(target.buf, path.buf);
			sb_release(&target);
			break;
		}
		case 7: /* a link to a file written earlier in this directory, or to nothing */
			sb_addf(&path, "%s/s%u.json", dir.buf, serial);
			{
				struct sb target = SB_INIT;
				sb_addf(&target, "p%u.json", arg % (serial + 1));
				make_link(target.buf, path.buf);
				sb_release(&target);
			}
			break;
		default:
			break;
		}
	}
	sb_release(&dir);
	sb_release(&path);
}

/* Aborts when a diagnostic or the pack shows the outside file's text. */
static void no_secret(const struct diag_engine *d, const struct sb *pack)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	if (mem) {
		diag_render(d, mem, DIAG_FORMAT_TEXT, false);
		diag_render(d, mem, DIAG_FORMAT_JSON, false);
		fclose(mem);
	}
	bool leaked = (buf && strstr(buf, SECRET)) || (pack && strstr(pack->buf, SECRET));
	free(buf);
	if (leaked) {
		fprintf(stderr, "fuzz_import_tree: the text of a file outside the tree was shown\n");
		abort();
	}
}

static void read_back(const struct sb *text)
{
	struct source *src = source_from_memory("emitted.pacc", text->buf, text->len);
	struct arena arena;
	struct diag_engine diag;
	arena_init(&arena);
	diag_init(&diag);
	parse_pack(src, "fuzz", &arena, &diag);
	bool ok = !diag_has_errors(&diag);
	if (!ok) {
		fprintf(stderr, "fuzz_import_tree: emitted source does not read back:\n%s\n", text->buf);
		diag_render(&diag, stderr, DIAG_FORMAT_TEXT, false);
	}
	diag_release(&diag);
	arena_release(&arena);
	source_free(src);
	if (!ok)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!base[0]) {
		snprintf(base, sizeof(base), "/tmp/pacc-fuzz-tree.XXXXXX");
		if (!mkdtemp(base))
			abort();
		struct sb outside = SB_INIT;
		sb_addf(&outside, "%s/outside.json", base);
		write_file(outside.buf, "{\"name\": " SECRET "}", strlen("{\"name\": " SECRET "}"));
		sb_release(&outside);
	}
	struct sb root = SB_INIT;
	sb_addf(&root, "%s/t", base);
	nftw(root.buf, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	mkdir(root.buf, 0777);
	build_tree(root.buf, data, size);

	struct arena arena;
	struct diag_engine diag;
	arena_init(&arena);
	diag_init(&diag);
	struct import_inputs in = IMPORT_INPUTS_INIT;
	struct ast_pack *pack = import_pack_new(&arena, "fuzz");
	struct sb text = SB_INIT;
	if (import_path(pack, root.buf, &in, &diag)) {
		import_link_references(pack);
		emit_pacc(pack, &text);
		read_back(&text);
	}
	no_secret(&diag, &text);
	sb_release(&text);
	diag_release(&diag);
	import_inputs_release(&in);
	arena_release(&arena);
	nftw(root.buf, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	sb_release(&root);
	return 0;
}
