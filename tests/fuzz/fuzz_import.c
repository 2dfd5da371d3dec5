/*
 * libFuzzer harness: the JSON importer on arbitrary bytes, and then the
 * round trip it promises — the imported pack is written as pacc source
 * (emit_pacc), which must lex and parse without an error, and, when it
 * also checks cleanly, go through every generator.  A crash, hang, leak or
 * sanitizer report is a finding, and so is an import that succeeds but
 * writes source pacc cannot read back.  Checker errors are not findings:
 * the JSON may itself be wrong (a rule naming an undeclared parameter), and
 * the user then meets that error, located, in the written pack.
 */
#include "pacc/arena.h"
#include "pacc/check.h"
#include "pacc/diag.h"
#include "pacc/emit_pacc.h"
#include "pacc/gen_json.h"
#include "pacc/gen_md.h"
#include "pacc/import.h"
#include "pacc/output.h"
#include "pacc/parse.h"
#include "pacc/sb.h"
#include "pacc/source.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#ifdef PACC_HAVE_BICEP
#include "pacc/gen_bicep.h"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void render_to_null(const struct diag_engine *diag)
{
	FILE *sink = fopen("/dev/null", "w");
	if (sink) {
		diag_render(diag, sink, DIAG_FORMAT_TEXT, false);
		diag_render(diag, sink, DIAG_FORMAT_JSON, false);
		diag_render(diag, sink, DIAG_FORMAT_SARIF, false);
		diag_render(diag, sink, DIAG_FORMAT_GITHUB, false);
		fclose(sink);
	}
}

/* Parses, checks and generates the emitted source; aborts when pacc
 * cannot parse what its own importer wrote. */
static void round_trip(const struct sb *text)
{
	struct source *src = source_from_memory("emitted.pacc", text->buf, text->len);
	struct arena arena;
	struct diag_engine diag;
	arena_init(&arena);
	diag_init(&diag);
	struct ast_pack *pack = parse_pack(src, "fuzz", &arena, &diag);
	bool ok = !diag_has_errors(&diag);
	if (ok && check_pack(pack, &diag)) {
		struct output_set out = OUTPUT_SET_INIT;
		gen_json_pack(pack, &out);
		gen_md_pack(pack, &out);
#ifdef PACC_HAVE_BICEP
		gen_bicep_pack(pack, &out);
#endif
		output_set_release(&out);
	} else if (!ok) {
		fprintf(stderr, "fuzz_import: emitted source does not read back:\n%s\n", text->buf);
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
	struct source *src = source_from_memory("fuzz.json", data, size);
	struct arena arena;
	struct diag_engine diag;
	arena_init(&arena);
	diag_init(&diag);
	struct ast_pack *pack = import_pack_new(&arena, "fuzz");
	if (import_source(pack, src, "fuzz", &diag)) {
		import_link_references(pack);
		struct sb text = SB_INIT;
		emit_pacc(pack, &text);
		round_trip(&text);
		sb_release(&text);
	}
	render_to_null(&diag);
	diag_release(&diag);
	arena_release(&arena);
	source_free(src);
	return 0;
}
