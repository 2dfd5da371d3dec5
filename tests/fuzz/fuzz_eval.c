/*
 * libFuzzer harness: the evaluator on arbitrary definitions and resources.
 * The input is a policy definition (any of the forms `pacc eval` reads: an
 * envelope, a bare properties object, a bare {"if", "then"} rule), a NUL
 * byte, and the resource JSON (a fixed storage account when there is no
 * NUL).  Every definition that imports is compiled and evaluated, with and
 * without a trace; an array resource is also used as the related resources.
 * A crash, hang, leak or sanitizer report is a finding; an evaluation error
 * is not (the definition may be wrong).
 */
#include "pacc/arena.h"
#include "pacc/diag.h"
#include "pacc/eval.h"
#include "pacc/import.h"
#include "pacc/source.h"

#include <cjson/cJSON.h>

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char default_resource[] =
	"{\"id\": \"/subscriptions/s/resourceGroups/g/providers/Microsoft.Storage/storageAccounts/sa\","
	" \"name\": \"sa\", \"type\": \"Microsoft.Storage/storageAccounts\", \"location\": \"westeurope\","
	" \"tags\": {\"env\": \"prod\"}, \"properties\": {\"minimumTlsVersion\": \"TLS1_0\","
	" \"networkAcls\": {\"ipRules\": [{\"value\": \"10.0.0.1\"}]}}}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	size_t def_len = nul ? (size_t)(nul - data) : size;
	const char *res_text = nul ? (const char *)nul + 1 : default_resource;
	size_t res_len = nul ? size - def_len - 1 : strlen(default_resource);

	char *env = eval_definition_envelope((const char *)data, def_len, "fuzz");
	if (!env)
		return 0;
	struct source *src = source_from_memory("fuzz.json", env, strlen(env));
	free(env);
	struct arena a;
	arena_init(&a);
	struct diag_engine d;
	diag_init(&d);
	struct ast_pack *pack = import_pack_new(&a, "fuzz");
	cJSON *res = cJSON_ParseWithLength(res_text, res_len);
	if (import_source(pack, src, "fuzz", &d) && res) {
		const cJSON *related[4];
		size_t nrel = 0;
		for (const cJSON *e = cJSON_IsArray(res) ? res->child : NULL; e && nrel < 4; e = e->next)
			related[nrel++] = e;
		for (const struct ast_policy *p = pack->policies; p; p = p->next) {
			char *err = NULL;
			struct eval_policy *ep = eval_policy_compile(p, NULL, NULL, &err);
			free(err);
			if (!ep)
				continue;
			for (int trace = 0; trace < 2; trace++) {
				struct eval_input in = { .resource = res,
							 .related = related,
							 .related_count = nrel,
							 .now = "2026-01-01T00:00:00.0000000Z",
							 .trace = trace };
				struct eval_result r;
				eval_run(ep, &in, &r);
				eval_result_release(&r);
			}
			eval_policy_free(ep);
		}
	}
	cJSON_Delete(res);
	diag_release(&d);
	arena_release(&a);
	source_free(src);
	return 0;
}
