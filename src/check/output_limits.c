#include "pacc/output_limits.h"

#include "pacc/gen_json.h"

#include <cjson/cJSON.h>

#include <stdlib.h>
#include <string.h>

/* The policy named name, or NULL. */
static const struct ast_policy *find_policy(const struct ast_pack *pack, const char *name)
{
	for (const struct ast_section *s = pack->sections; s; s = s->next)
		for (const struct ast_recommendation *r = s->recommendations; r; r = r->next)
			for (const struct ast_policy *p = r->policies; p; p = p->next)
				if (strcmp(gen_json_policy_name(p), name) == 0)
					return p;
	for (const struct ast_policy *p = pack->policies; p; p = p->next)
		if (strcmp(gen_json_policy_name(p), name) == 0)
			return p;
	return NULL;
}

/* Where the file at path comes from: its policy, its initiative, the
 * service for the pack's initiative; the file's start otherwise. */
static struct src_span origin(const struct ast_pack *pack, const char *path)
{
	struct src_span at = { .src = pack->src, .begin = { 0, 1, 1 }, .end = { 0, 1, 1 } };
	size_t n = strlen(path);
	if (n < 5 || strcmp(path + n - 5, ".json") != 0)
		return at;
	char *name = NULL;
	if (strncmp(path, "policies/", 9) == 0) {
		name = strndup(path + 9, n - 9 - 5);
		const struct ast_policy *p = name ? find_policy(pack, name) : NULL;
		if (p)
			at = p->span;
	} else if (strncmp(path, "initiatives/", 12) == 0) {
		name = strndup(path + 12, n - 12 - 5);
		for (const struct ast_initiative *ini = pack->initiatives; ini && name; ini = ini->next)
			if (ini->name && strcmp(ini->name->s, name) == 0)
				at = ini->span;
	} else if (strcmp(path, "initiative.json") == 0 && pack->service) {
		at = pack->service->span;
	}
	free(name);
	return at;
}

static bool is_definition(const char *path)
{
	return strcmp(path, "initiative.json") == 0 || strncmp(path, "policies/", 9) == 0 ||
	       strncmp(path, "initiatives/", 12) == 0;
}

bool output_limits_check(const struct ast_pack *pack, const struct output_set *out, struct diag_engine *d)
{
	bool ok = true;
	for (size_t i = 0; i < out->count; i++) {
		const struct output_file *f = &out->files[i];
		if (f->data.len <= OUTPUT_LIMITS_MAX_BYTES || !is_definition(f->path))
			continue;
		/* The file is indented; what Azure counts is the request, so measure it compact. */
		cJSON *doc = cJSON_ParseWithLength(f->data.buf, f->data.len);
		char *compact = doc ? cJSON_PrintUnformatted(doc) : NULL;
		size_t bytes = compact ? strlen(compact) : f->data.len;
		cJSON_free(compact);
		cJSON_Delete(doc);
		if (bytes <= OUTPUT_LIMITS_MAX_BYTES)
			continue;
		diag_error(d, origin(pack, f->path), "E0335",
			   "'%s' would be %zu bytes without indentation; Azure takes a definition or "
			   "initiative of at most %d bytes",
			   f->path, bytes, OUTPUT_LIMITS_MAX_BYTES);
		ok = false;
	}
	return ok;
}
