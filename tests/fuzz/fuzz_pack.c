/*
 * libFuzzer harness: the whole pipeline for one pack — lex, parse, check and
 * every generator — on arbitrary bytes.  Any crash, hang, leak or sanitizer
 * report is a finding, and so is a generated JSON file that does not parse,
 * and a pack that `pacc fmt` cannot format to the same tokens, or not
 * idempotently.
 */
#include "pacc/arena.h"
#include "pacc/check.h"
#include "pacc/diag.h"
#include "pacc/fmt.h"
#include "pacc/gen_json.h"
#include "pacc/gen_md.h"
#include "pacc/output.h"
#include "pacc/parse.h"
#include "pacc/source.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#ifdef PACC_HAVE_BICEP
#include "pacc/gen_bicep.h"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct source *src = source_from_memory("fuzz.pacc", data, size);
	struct arena arena;
	struct diag_engine diag;
	arena_init(&arena);
	diag_init(&diag);
	struct ast_pack *pack = parse_pack(src, "fuzz", &arena, &diag);
	if (!diag_has_errors(&diag) && check_pack(pack, &diag)) {
		struct output_set out = OUTPUT_SET_INIT;
		gen_json_pack(pack, &out);
		gen_md_pack(pack, &out);
#ifdef PACC_HAVE_BICEP
		gen_bicep_pack(pack, &out);
#endif
		/* Every JSON file a checked pack makes must parse back. */
		for (size_t i = 0; i < out.count; i++) {
			const struct output_file *f = &out.files[i];
			size_t n = strlen(f->path);
			if (n < 5 || strcmp(f->path + n - 5, ".json") != 0)
				continue;
			cJSON *j = cJSON_ParseWithLength(f->data.buf, f->data.len);
			if (!j) {
				fprintf(stderr, "fuzz_pack: %s is not JSON:\n%s\n", f->path, f->data.buf);
				abort();
			}
			cJSON_Delete(j);
		}
		output_set_release(&out);
	}
	if (!diag_has_errors(&diag)) {
		struct diag_engine fd;
		diag_init(&fd);
		struct sb once = SB_INIT, twice = SB_INIT;
		enum fmt_status st = fmt_pack(src, "fuzz", &fd, &once);
		if (st == FMT_INTERNAL) {
			fprintf(stderr, "fuzz_pack: formatting changed the tokens\n");
			abort();
		}
		if (st == FMT_OK) {
			struct source *again = source_from_memory("fuzz.pacc", once.buf, once.len);
			if (fmt_pack(again, "fuzz", &fd, &twice) != FMT_OK || twice.len != once.len ||
			    memcmp(twice.buf, once.buf, once.len) != 0) {
				fprintf(stderr, "fuzz_pack: formatting is not idempotent:\n%s\n", once.buf);
				abort();
			}
			source_free(again);
		}
		sb_release(&once);
		sb_release(&twice);
		diag_release(&fd);
	}
	/* Rendering exercises the caret code on every record. */
	FILE *sink = fopen("/dev/null", "w");
	if (sink) {
		diag_render(&diag, sink, DIAG_FORMAT_TEXT, false);
		diag_render(&diag, sink, DIAG_FORMAT_JSON, false);
		diag_render(&diag, sink, DIAG_FORMAT_SARIF, false);
		diag_render(&diag, sink, DIAG_FORMAT_GITHUB, false);
		fclose(sink);
	}
	diag_release(&diag);
	arena_release(&arena);
	source_free(src);
	return 0;
}
