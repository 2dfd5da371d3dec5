/*
 * libFuzzer harness: the alias table reader (JSON export or CSV) on
 * arbitrary bytes, then what pacc does with a table — the alias checks of a
 * small pack against it, and the lock file of the types that pack uses.
 * The lock file must read back without an error and write the same bytes
 * again, whether its own reader or the general JSON reader reads it;
 * anything else (and a crash, hang, leak or sanitizer report) is a
 * finding.
 */
#include "pacc/alias.h"
#include "pacc/arena.h"
#include "pacc/check.h"
#include "pacc/check_alias.h"
#include "pacc/diag.h"
#include "pacc/parse.h"
#include "pacc/sb.h"
#include "pacc/source.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char pack_text[] =
	"policy \"p\" {\n"
	"  display \"P\"\n"
	"  mode Indexed\n"
	"  effect modify\n"
	"  if {\n"
	"    type == \"Microsoft.Storage/storageAccounts\"\n"
	"    field \"minimumTLSVersions\" != \"TLS1_2\"\n"
	"    field \"Microsoft.Storage/storageAccount/publicNetAccess\" exists true\n"
	"    count field \"Microsoft.Storage/storageAccounts/networkAcls.ipRules[*]\" where {\n"
	"      field \"Microsoft.Storage/storageAccounts/networkAcls.ipRules[].value\" == \"a\"\n"
	"    } > 0\n"
	"  }\n"
	"  modify {\n"
	"    roleDefinitionIds [\"/providers/Microsoft.Authorization/roleDefinitions/x\"]\n"
	"    set \"Microsoft.Storage/storageAccounts/minimumTlsVersion\" = \"TLS1_2\"\n"
	"  }\n"
	"}\n";

static void lock_of(const struct alias_table *t, struct ast_pack *pack, struct sb *out)
{
	struct check_alias_types used = { 0 };
	check_alias_collect(pack, t, &used);
	alias_lock_write(t, used.items, used.count, out);
	free(used.items);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct source *src = source_from_memory("fuzz.aliases", data, size);
	struct source *pack_src = source_from_memory("fuzz.pacc", pack_text, sizeof(pack_text) - 1);
	struct diag_engine diag;
	diag_init(&diag);
	struct alias_table table;
	alias_table_init(&table);
	bool ok = alias_table_load(&table, src, &diag);
	ok = alias_table_finish(&table, &diag) && ok;
	if (ok) {
		struct arena arena;
		arena_init(&arena);
		struct ast_pack *pack = parse_pack(pack_src, "fuzz", &arena, &diag);
		if (pack && !diag_has_errors(&diag)) {
			struct sb lock = SB_INIT, again = SB_INIT;
			lock_of(&table, pack, &lock);
			check_pack_with_aliases(pack, &table, &diag);

			struct source *lock_src = source_from_memory("fuzz.lock.json", lock.buf, lock.len);
			struct diag_engine d2;
			diag_init(&d2);
			struct alias_table reread;
			alias_table_init(&reread);
			bool back = alias_table_load(&reread, lock_src, &d2);
			back = alias_table_finish(&reread, &d2) && back;
			if (back)
				lock_of(&reread, pack, &again);
			if (!back || lock.len != again.len || memcmp(lock.buf, again.buf, lock.len) != 0) {
				fprintf(stderr, "fuzz_aliases: the lock file does not read back the same:\n%s\n", lock.buf);
				diag_render(&d2, stderr, DIAG_FORMAT_TEXT, false);
				abort();
			}
			/* The lock file's own reader (which reads the file above) and the
			 * general JSON reader (which a renamed first member sends it to)
			 * agree. */
			char *general = strstr(lock.buf, "\"comment\"");
			if (general)
				memcpy(general, "\"remark\" ", 9);
			struct source *general_src = source_from_memory("fuzz.lock.json", lock.buf, lock.len);
			struct alias_table slow;
			alias_table_init(&slow);
			struct sb third = SB_INIT;
			if (alias_table_load(&slow, general_src, &d2) && alias_table_finish(&slow, &d2))
				lock_of(&slow, pack, &third);
			if (third.len != again.len || memcmp(third.buf, again.buf, again.len) != 0) {
				fprintf(stderr, "fuzz_aliases: the two JSON readers disagree on:\n%s\n", lock.buf);
				abort();
			}
			sb_release(&third);
			alias_table_release(&slow);
			source_free(general_src);
			alias_table_release(&reread);
			diag_release(&d2);
			source_free(lock_src);
			sb_release(&lock);
			sb_release(&again);
		}
		arena_release(&arena);
	}
	FILE *sink = fopen("/dev/null", "w");
	if (sink) {
		diag_render(&diag, sink, DIAG_FORMAT_TEXT, false);
		diag_render(&diag, sink, DIAG_FORMAT_JSON, false);
		fclose(sink);
	}
	alias_table_release(&table);
	diag_release(&diag);
	source_free(src);
	source_free(pack_src);
	return 0;
}
