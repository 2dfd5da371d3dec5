/*
 * libFuzzer harness: the project manifest reader and the resolution of its
 * environments against one fixed, checked pack, on arbitrary bytes.  Any
 * crash, hang, leak or sanitizer report is a finding; so is a manifest that
 * resolves without errors but whose Bicep for an environment is empty.
 */
#include "pacc/arena.h"
#include "pacc/check.h"
#include "pacc/diag.h"
#include "pacc/env.h"
#include "pacc/manifest.h"
#include "pacc/output.h"
#include "pacc/parse.h"
#include "pacc/source.h"

#ifdef PACC_HAVE_BICEP
#include "pacc/gen_env_bicep.h"
#endif

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char pack_text[] =
	"service \"Vaults\" {\n"
	"  ms.service \"vaults\"\n  author \"a\"\n  ms.author \"a\"\n  ms.date \"2026-11-30\"\n"
	"  category \"C\"\n  version \"1.0.0\"\n  governs \"Microsoft.KeyVault/vaults\"\n"
	"  intro \"About.\"\n}\n"
	"section net \"Net\" {\n  \"\"\"About.\"\"\"\n"
	"  recommendation NS-2 \"Disable public access\" {\n    \"\"\"Why.\"\"\"\n"
	"    enforce {\n      display \"Audit public access\"\n      mode Indexed\n"
	"      effect audit|deny|disabled = audit\n"
	"      param days Integer { display \"Days\" default 30 allowed [30, 90] }\n"
	"      if { type == \"Microsoft.KeyVault/vaults\"\n"
	"           value \"[parameters('days')]\" > 0 }\n    }\n"
	"    enforce modify {\n      display \"Turn off public access\"\n      mode Indexed\n"
	"      effect modify|disabled = modify\n"
	"      if { type == \"Microsoft.KeyVault/vaults\" }\n"
	"      modify {\n        roleDefinitionIds [\"/providers/Microsoft.Authorization/roleDefinitions/"
	"f25e0fa2-a7c8-4377-a976-54943a77a395\"]\n"
	"        set \"Microsoft.KeyVault/vaults/publicNetworkAccess\" = \"Disabled\"\n      }\n"
	"    }\n  }\n}\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena arena;
	struct diag_engine diag;
	arena_init(&arena);
	diag_init(&diag);
	struct source *pack_src = source_from_memory("vaults.pacc", pack_text, strlen(pack_text));
	struct ast_pack *pack = parse_pack(pack_src, "vaults", &arena, &diag);
	if (!check_pack(pack, &diag))
		abort(); /* the fixed pack must check */
	size_t pack_diags = diag.count;

	struct source *src = source_from_memory("pacc.yaml", data, size);
	struct manifest *m = manifest_read(src, &arena, &diag);
	if (m) {
		const struct ast_pack *packs[] = { pack };
		struct env_set envs = { NULL, 0 };
		bool ok = env_resolve(m, packs, 1, 20788L, &arena, &diag, &envs);
#ifdef PACC_HAVE_BICEP
		if (ok && !diag_has_errors(&diag)) {
			struct output_set out = OUTPUT_SET_INIT;
			gen_env_bicep_pack(pack, &envs, &out);
			for (size_t i = 0; i < out.count; i++)
				if (out.files[i].data.len == 0) {
					fprintf(stderr, "fuzz_manifest: %s is empty\n", out.files[i].path);
					abort();
				}
			output_set_release(&out);
		}
#else
		(void)ok;
#endif
	}
	/* Every record the manifest caused names a place in it. */
	for (size_t i = pack_diags; i < diag.count; i++)
		if (diag.records[i]->span.src != src && strcmp(diag.records[i]->code, "E0003") != 0) {
			fprintf(stderr, "fuzz_manifest: %s has no place in the manifest\n",
				diag.records[i]->code);
			abort();
		}
	FILE *sink = fopen("/dev/null", "w");
	if (sink) {
		diag_render(&diag, sink, DIAG_FORMAT_TEXT, false);
		diag_render(&diag, sink, DIAG_FORMAT_JSON, false);
		fclose(sink);
	}
	diag_release(&diag);
	arena_release(&arena);
	source_free(src);
	source_free(pack_src);
	return 0;
}
