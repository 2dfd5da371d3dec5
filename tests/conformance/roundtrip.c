/*
 * roundtrip: the conformance test of `pacc import` against a corpus of Azure
 * Policy definitions and set definitions.
 *
 * For every JSON file below the corpus directory that `pacc import` reads
 * (importdir_collect: *.json and *.jsonc, split parts skipped), in process
 * and in byte order of the relative paths, with the text importdir_prepare
 * makes (no byte-order mark, comments blanked in .jsonc): import -> emit_pacc -> parse_pack ->
 * check_pack -> gen_json_pack, then compare the generated JSON with the
 * original.  Allowed differences: object member order; canonical case of the
 * policy-language keywords (condition keys, then/details keys) and of the
 * values of a literal effect, a parameter `type`, `mode`,
 * `deployment.properties.mode`, `existenceScope`, `deploymentScope`,
 * `conflictEffect` and a Modify operation's `operation`; and the envelope
 * `type` added or left out when it is the standard one; the envelope `name` a
 * file or folder gives an input that has none.  Everything else must
 * be equal: strings byte for byte, JSON types, numbers by value, array order.
 *
 * usage: roundtrip [-o OUTDIR] [-p PACCDIR] [-q] CORPUS_DIR [FILTER]
 *        roundtrip --selftest   (checks the comparison itself)
 *   -o OUTDIR  also write each generated JSON file to OUTDIR/<relative path>
 *   -p PACCDIR also write each imported pack to PACCDIR/<relative path>.pacc
 *   FILTER     only files whose relative path contains FILTER
 * Exit status: 0 when every file round-trips, 1 otherwise, 2 usage/I/O.
 */
#include "pacc/check.h"
#include "pacc/emit_pacc.h"
#include "pacc/gen_json.h"
#include "pacc/import.h"
#include "pacc/importdir.h"
#include "pacc/output.h"
#include "pacc/parse.h"

#include <cjson/cJSON.h>

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

/* ---- comparison ---- */

/* What part of a policy document a JSON value sits in: decides which keys
 * and values may differ in case. */
enum region {
	R_EXACT,       /* nothing may differ */
	R_ENVELOPE,    /* {name, id, type, properties} */
	R_PROPERTIES,  /* properties of a definition or set definition */
	R_PARAMS,      /* properties.parameters: name -> parameter */
	R_PARAM,       /* one parameter: `type` value case-insensitive */
	R_RULE,        /* policyRule: if / then */
	R_COND,        /* a condition */
	R_COUNT,       /* a count object */
	R_THEN,        /* then: effect / details */
	R_DETAILS,     /* details */
	R_OPERATION,   /* a Modify operation */
	R_DEPLOYMENT,  /* details.deployment */
	R_DEPLOY_PROPS /* details.deployment.properties */
};

static const char *const cond_keys[] = {
	"allOf", "anyOf", "not", "field", "value", "count", "where", "name",
	"equals", "notEquals", "like", "notLike", "match", "matchInsensitively", "notMatch",
	"notMatchInsensitively", "contains", "notContains", "in", "notIn", "containsKey",
	"notContainsKey", "less", "lessOrEquals", "greater", "greaterOrEquals", "exists",
};

static const char *const details_keys[] = {
	"effect", "details", "type", "name", "existenceCondition", "existenceScope",
	"resourceGroupName", "deploymentScope", "roleDefinitionIds", "deployment",
	"evaluationDelay", "operations", "operation", "conflictEffect", "field", "value",
	"condition",
};

static bool in_list(const char *k, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcasecmp(k, list[i]) == 0)
			return true;
	return false;
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* May key differ in case from its counterpart in region r? */
static bool key_folds(enum region r, const char *k)
{
	switch (r) {
	case R_COND:
	case R_COUNT:
		return in_list(k, cond_keys, N(cond_keys));
	case R_THEN:
	case R_DETAILS:
	case R_OPERATION:
		return in_list(k, details_keys, N(details_keys));
	case R_EXACT:
	case R_ENVELOPE:
	case R_PROPERTIES:
	case R_PARAMS:
	case R_PARAM:
	case R_RULE:
	case R_DEPLOYMENT:
	case R_DEPLOY_PROPS:
		return false;
	}
	return false;
}

/* The region of member key of an object in region r. */
static enum region child_region(enum region r, const char *k, bool *value_folds)
{
	*value_folds = false;
	switch (r) {
	case R_ENVELOPE:
		return strcmp(k, "properties") == 0 ? R_PROPERTIES : R_EXACT;
	case R_PROPERTIES:
		if (strcmp(k, "mode") == 0)
			*value_folds = true;
		if (strcmp(k, "parameters") == 0)
			return R_PARAMS;
		if (strcmp(k, "policyRule") == 0)
			return R_RULE;
		return R_EXACT;
	case R_PARAMS:
		return R_PARAM;
	case R_PARAM:
		if (strcmp(k, "type") == 0)
			*value_folds = true;
		return R_EXACT;
	case R_RULE:
		if (strcmp(k, "if") == 0)
			return R_COND;
		if (strcmp(k, "then") == 0)
			return R_THEN;
		return R_EXACT;
	case R_COND:
		if (strcasecmp(k, "allOf") == 0 || strcasecmp(k, "anyOf") == 0 || strcasecmp(k, "not") == 0)
			return R_COND;
		if (strcasecmp(k, "count") == 0)
			return R_COUNT;
		return R_EXACT;
	case R_COUNT:
		return strcasecmp(k, "where") == 0 ? R_COND : R_EXACT;
	case R_THEN:
		if (strcasecmp(k, "details") == 0)
			return R_DETAILS;
		return R_EXACT; /* effect: handled by the caller */
	case R_DETAILS:
		if (strcasecmp(k, "existenceCondition") == 0)
			return R_COND;
		if (strcasecmp(k, "existenceScope") == 0 || strcasecmp(k, "deploymentScope") == 0 ||
		    strcasecmp(k, "conflictEffect") == 0)
			*value_folds = true;
		if (strcasecmp(k, "deployment") == 0)
			return R_DEPLOYMENT;
		if (strcasecmp(k, "operations") == 0)
			return R_OPERATION;
		return R_EXACT;
	case R_OPERATION:
		if (strcasecmp(k, "operation") == 0)
			*value_folds = true;
		return R_EXACT;
	case R_DEPLOYMENT:
		return strcmp(k, "properties") == 0 ? R_DEPLOY_PROPS : R_EXACT;
	case R_DEPLOY_PROPS:
		if (strcmp(k, "mode") == 0)
			*value_folds = true;
		return R_EXACT;
	case R_EXACT:
		return R_EXACT;
	}
	return R_EXACT;
}

struct cmp {
	char path[4096];
	size_t len;
	char why[512];
};

static void path_push(struct cmp *c, const char *key, size_t index, size_t *saved)
{
	*saved = c->len;
	int n;
	if (key)
		n = snprintf(c->path + c->len, sizeof(c->path) - c->len, "%s%s", c->len ? "." : "", key);
	else
		n = snprintf(c->path + c->len, sizeof(c->path) - c->len, "[%zu]", index);
	if (n > 0 && c->len + (size_t)n < sizeof(c->path))
		c->len += (size_t)n;
}

static void path_pop(struct cmp *c, size_t saved)
{
	c->len = saved;
	c->path[saved] = '\0';
}

static const char *kind_name(const cJSON *j)
{
	if (!j)
		return "missing";
	if (cJSON_IsNull(j))
		return "null";
	if (cJSON_IsBool(j))
		return "boolean";
	if (cJSON_IsNumber(j))
		return "number";
	if (cJSON_IsString(j))
		return "string";
	if (cJSON_IsArray(j))
		return "array";
	return "object";
}

static bool same(struct cmp *c, const cJSON *a, const cJSON *b, enum region r, bool value_folds);

/* The member of obj matching key: exact name first, then a case-folded
 * keyword when the region allows it. */
static const cJSON *find_member(const cJSON *obj, const char *key, enum region r)
{
	for (const cJSON *m = obj->child; m; m = m->next)
		if (strcmp(m->string, key) == 0)
			return m;
	if (key_folds(r, key))
		for (const cJSON *m = obj->child; m; m = m->next)
			if (strcasecmp(m->string, key) == 0)
				return m;
	return NULL;
}

static bool is_standard_type(const cJSON *t)
{
	return cJSON_IsString(t) &&
	       (strcmp(t->valuestring, "Microsoft.Authorization/policyDefinitions") == 0 ||
		strcmp(t->valuestring, "Microsoft.Authorization/policySetDefinitions") == 0);
}

static bool same_object(struct cmp *c, const cJSON *a, const cJSON *b, enum region r)
{
	for (const cJSON *m = a->child; m; m = m->next) {
		const cJSON *o = find_member(b, m->string, r);
		size_t saved;
		path_push(c, m->string, 0, &saved);
		if (!o) {
			if (r == R_ENVELOPE && strcmp(m->string, "type") == 0 && is_standard_type(m)) {
				path_pop(c, saved);
				continue;
			}
			snprintf(c->why, sizeof(c->why), "missing from the output");
			return false;
		}
		bool folds;
		enum region cr = child_region(r, m->string, &folds);
		/* a literal effect (not an expression) may come out in canonical case */
		if (r == R_THEN && strcasecmp(m->string, "effect") == 0 && cJSON_IsString(m) &&
		    m->valuestring[0] != '[')
			folds = true;
		bool ok;
		if (cr == R_OPERATION && cJSON_IsArray(m))
			ok = same(c, m, o, R_OPERATION, false);
		else if (cr == R_COND && cJSON_IsArray(m))
			ok = same(c, m, o, R_COND, false);
		else
			ok = same(c, m, o, cr, folds);
		if (!ok)
			return false;
		path_pop(c, saved);
	}
	for (const cJSON *o = b->child; o; o = o->next) {
		if (find_member(a, o->string, r))
			continue;
		if (r == R_ENVELOPE && strcmp(o->string, "type") == 0 && is_standard_type(o))
			continue;
		size_t saved;
		path_push(c, o->string, 0, &saved);
		snprintf(c->why, sizeof(c->why), "not in the original");
		return false;
	}
	return true;
}

static bool same(struct cmp *c, const cJSON *a, const cJSON *b, enum region r, bool value_folds)
{
	if (strcmp(kind_name(a), kind_name(b)) != 0) {
		snprintf(c->why, sizeof(c->why), "%s in the original, %s in the output", kind_name(a),
			 kind_name(b));
		return false;
	}
	if (cJSON_IsBool(a)) {
		if (cJSON_IsTrue(a) != cJSON_IsTrue(b)) {
			snprintf(c->why, sizeof(c->why), "boolean differs");
			return false;
		}
		return true;
	}
	if (cJSON_IsNumber(a)) {
		if (a->valuedouble != b->valuedouble) {
			snprintf(c->why, sizeof(c->why), "number %.17g in the original, %.17g in the output",
				 a->valuedouble, b->valuedouble);
			return false;
		}
		return true;
	}
	if (cJSON_IsString(a)) {
		bool eq = value_folds ? strcasecmp(a->valuestring, b->valuestring) == 0
				      : strcmp(a->valuestring, b->valuestring) == 0;
		if (!eq) {
			snprintf(c->why, sizeof(c->why), "\"%.200s\" in the original, \"%.200s\" in the output",
				 a->valuestring, b->valuestring);
			return false;
		}
		return true;
	}
	if (cJSON_IsArray(a)) {
		int na = cJSON_GetArraySize(a), nb = cJSON_GetArraySize(b);
		if (na != nb) {
			snprintf(c->why, sizeof(c->why), "%d items in the original, %d in the output", na, nb);
			return false;
		}
		/* arrays keep the region: allOf/anyOf items are conditions, operations operations */
		enum region item_region = (r == R_COND || r == R_OPERATION) ? r : R_EXACT;
		if (r == R_DETAILS)
			item_region = R_OPERATION; /* append entries: field/value keys */
		size_t i = 0;
		const cJSON *y = b->child;
		for (const cJSON *x = a->child; x; x = x->next, y = y->next, i++) {
			size_t saved;
			path_push(c, NULL, i, &saved);
			if (!same(c, x, y, item_region, false))
				return false;
			path_pop(c, saved);
		}
		return true;
	}
	if (cJSON_IsObject(a))
		return same_object(c, a, b, r);
	return true;
}

/* ---- a self test of the comparison, so a lenient compare cannot pass unnoticed ---- */

static int selftest(void)
{
	static const struct {
		const char *a, *b;
		bool equal;
	} cases[] = {
		/* member order and keyword case may differ */
		{ "{\"name\":\"n\",\"properties\":{\"mode\":\"indexed\",\"policyRule\":{\"if\":{\"allof\":[{\"field\":\"type\",\"Equals\":\"x\"}]},\"then\":{\"effect\":\"audit\"}}}}",
		  "{\"properties\":{\"policyRule\":{\"then\":{\"effect\":\"Audit\"},\"if\":{\"allOf\":[{\"equals\":\"x\",\"field\":\"type\"}]}},\"mode\":\"Indexed\"},\"name\":\"n\"}",
		  true },
		/* the standard envelope type may be added */
		{ "{\"name\":\"n\"}", "{\"name\":\"n\",\"type\":\"Microsoft.Authorization/policyDefinitions\"}", true },
		{ "{\"name\":\"n\"}", "{\"name\":\"n\",\"type\":\"Microsoft.Foo/bars\"}", false },
		/* a string is not a boolean */
		{ "{\"properties\":{\"policyRule\":{\"if\":{\"field\":\"a\",\"exists\":\"true\"}}}}",
		  "{\"properties\":{\"policyRule\":{\"if\":{\"field\":\"a\",\"exists\":true}}}}", false },
		/* operand and field values are exact */
		{ "{\"properties\":{\"policyRule\":{\"if\":{\"field\":\"Type\",\"equals\":\"x\"}}}}",
		  "{\"properties\":{\"policyRule\":{\"if\":{\"field\":\"type\",\"equals\":\"x\"}}}}", false },
		/* an expression effect is exact */
		{ "{\"properties\":{\"policyRule\":{\"then\":{\"effect\":\"[parameters('Effect')]\"}}}}",
		  "{\"properties\":{\"policyRule\":{\"then\":{\"effect\":\"[parameters('effect')]\"}}}}", false },
		/* keys outside the policy language are exact, even in details */
		{ "{\"properties\":{\"policyRule\":{\"then\":{\"details\":{\"deployment\":{\"properties\":{\"Template\":{}}}}}}}}",
		  "{\"properties\":{\"policyRule\":{\"then\":{\"details\":{\"deployment\":{\"properties\":{\"template\":{}}}}}}}}", false },
		/* deployment.properties.mode and a parameter type may differ in case */
		{ "{\"properties\":{\"parameters\":{\"p\":{\"type\":\"string\"}},\"policyRule\":{\"then\":{\"details\":{\"deployment\":{\"properties\":{\"mode\":\"incremental\"}}}}}}}",
		  "{\"properties\":{\"parameters\":{\"p\":{\"type\":\"String\"}},\"policyRule\":{\"then\":{\"details\":{\"deployment\":{\"properties\":{\"mode\":\"Incremental\"}}}}}}}",
		  true },
		/* array order, numbers by value, missing and extra members */
		{ "{\"a\":[1,2]}", "{\"a\":[2,1]}", false },
		{ "{\"a\":1.0}", "{\"a\":1}", true },
		{ "{\"a\":1,\"b\":2}", "{\"a\":1}", false },
		{ "{\"a\":1}", "{\"a\":1,\"b\":2}", false },
	};
	int failed = 0;
	for (size_t i = 0; i < N(cases); i++) {
		cJSON *a = cJSON_Parse(cases[i].a), *b = cJSON_Parse(cases[i].b);
		struct cmp c;
		memset(&c, 0, sizeof(c));
		bool eq = a && b && same(&c, a, b, R_ENVELOPE, false);
		if (eq != cases[i].equal) {
			printf("selftest case %zu: expected %s, got %s (%s: %s)\n", i,
			       cases[i].equal ? "equal" : "different", eq ? "equal" : "different", c.path, c.why);
			failed++;
		}
		cJSON_Delete(a);
		cJSON_Delete(b);
	}
	printf("comparison self test: %zu cases, %d failed\n", N(cases), failed);
	return failed ? 1 : 0;
}

/* ---- the corpus walk ---- */

struct list {
	char **items;
	size_t count, alloc;
};

static void list_push(struct list *l, char *s)
{
	if (l->count == l->alloc) {
		l->alloc = l->alloc ? l->alloc * 2 : 256;
		l->items = realloc(l->items, l->alloc * sizeof(*l->items));
		if (!l->items)
			abort();
	}
	l->items[l->count++] = s;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void mkdirs_for(const char *path)
{
	char buf[8192];
	snprintf(buf, sizeof(buf), "%s", path);
	for (char *s = buf + 1; *s; s++) {
		if (*s == '/') {
			*s = '\0';
			mkdir(buf, 0777);
			*s = '/';
		}
	}
}

static void write_out(const char *dir, const char *rel, const char *suffix, const char *data, size_t len)
{
	char path[8192];
	snprintf(path, sizeof(path), "%s/%s%s", dir, rel, suffix);
	mkdirs_for(path);
	FILE *f = fopen(path, "wb");
	if (!f)
		return;
	fwrite(data, 1, len, f);
	fclose(f);
}

/* The first diagnostic of d as one line: "line:col: CODE: message". */
static void first_diag(const struct diag_engine *d, char *buf, size_t n)
{
	if (d->count == 0) {
		snprintf(buf, n, "(no diagnostic)");
		return;
	}
	const struct diag_record *r = d->records[0];
	snprintf(buf, n, "%u:%u: %s: %s%s", r->span.begin.line, r->span.begin.col, r->code, r->message,
		 d->count > 1 ? " (and more)" : "");
}

enum outcome {
	OK,
	FAIL_IMPORT,
	FAIL_PARSE,
	FAIL_CHECK,
	FAIL_GENERATE,
	FAIL_COMPARE
};

static const char *const outcome_names[] = { "ok", "import", "parse", "check", "generate", "compare" };

struct stats {
	size_t defs, defs_ok, sets, sets_ok;
	size_t by_outcome[6];
	size_t check_codes[1000]; /* E0xxx -> count, first check diagnostic */
};

int main(int argc, char **argv)
{
	const char *outdir = NULL, *paccdir = NULL;
	bool quiet = false;
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
			outdir = argv[++i];
		else if (strcmp(argv[i], "-p") == 0 && i + 1 < argc)
			paccdir = argv[++i];
		else if (strcmp(argv[i], "-q") == 0)
			quiet = true;
		else if (strcmp(argv[i], "--selftest") == 0)
			return selftest();
		else {
			fprintf(stderr, "usage: roundtrip [-o OUTDIR] [-p PACCDIR] [-q] CORPUS_DIR [FILTER]\n");
			return 2;
		}
	}
	if (i >= argc) {
		fprintf(stderr, "usage: roundtrip [-o OUTDIR] [-p PACCDIR] [-q] CORPUS_DIR [FILTER]\n");
		return 2;
	}
	const char *root = argv[i];
	const char *filter = i + 1 < argc ? argv[i + 1] : NULL;

	struct list files = { NULL, 0, 0 };
	{
		struct importdir_list found = IMPORTDIR_LIST_INIT;
		struct import_inputs skipped = IMPORT_INPUTS_INIT;
		struct diag_engine wd;
		diag_init(&wd);
		importdir_collect(root, &found, &skipped, &wd);
		for (size_t k = 0; k < found.count; k++)
			if (!found.items[k].is_part)
				list_push(&files, strdup(found.items[k].rel));
		diag_release(&wd);
		import_inputs_release(&skipped);
		importdir_list_release(&found);
	}
	if (files.count == 0) {
		fprintf(stderr, "roundtrip: no .json files below '%s'\n", root);
		return 2;
	}
	qsort(files.items, files.count, sizeof(*files.items), cmp_str);

	static struct stats st;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	size_t bytes = 0;

	for (size_t f = 0; f < files.count; f++) {
		const char *rel = files.items[f];
		if (filter && !strstr(rel, filter))
			continue;
		char full[8192];
		snprintf(full, sizeof(full), "%s/%s", root, rel);
		struct source *src = NULL;
		if (source_read(full, &src) != SOURCE_OK) {
			fprintf(stderr, "roundtrip: cannot read '%s': %s\n", full, strerror(errno));
			return 2;
		}
		bytes += src->len;
		struct source *prepared = importdir_prepare(src);
		if (prepared) {
			source_free(src);
			src = prepared;
		}
		bool is_set = strstr((const char *)src->text, "\"policyDefinitions\"") != NULL;
		cJSON *orig = cJSON_ParseWithLength((const char *)src->text, src->len);
		if (orig) {
			const cJSON *props = cJSON_GetObjectItemCaseSensitive(orig, "properties");
			is_set = props ? cJSON_GetObjectItemCaseSensitive(props, "policyDefinitions") != NULL
				       : cJSON_GetObjectItemCaseSensitive(orig, "policyDefinitions") != NULL;
		}

		struct arena arena;
		arena_init(&arena);
		struct diag_engine d;
		diag_init(&d);
		struct sb text = SB_INIT;
		struct output_set out = OUTPUT_SET_INIT;
		struct source *psrc = NULL;
		enum outcome res = OK;
		char detail[4800] = "";

		struct ast_pack *ipack = import_pack_new(&arena, "corpus");
		if (!import_source(ipack, src, importdir_name_for(&arena, full), &d)) {
			res = FAIL_IMPORT;
			first_diag(&d, detail, sizeof(detail));
		} else {
			emit_pacc(ipack, &text);
			if (paccdir)
				write_out(paccdir, rel, ".pacc", text.buf, text.len);
			psrc = source_from_memory("imported.pacc", text.buf, text.len);
			struct ast_pack *pack = parse_pack(psrc, "imported", &arena, &d);
			if (diag_has_errors(&d)) {
				res = FAIL_PARSE;
				first_diag(&d, detail, sizeof(detail));
			} else if (!check_pack(pack, &d)) {
				res = FAIL_CHECK;
				first_diag(&d, detail, sizeof(detail));
				const char *code = d.records[0]->code;
				int n = atoi(code + 1);
				if (n >= 0 && n < 1000)
					st.check_codes[n]++;
			} else {
				gen_json_pack(pack, &out);
				const struct output_file *gen = NULL;
				for (size_t k = 0; k < out.count; k++) {
					if (strncmp(out.files[k].path, is_set ? "initiatives/" : "policies/",
						    is_set ? 12 : 9) == 0) {
						gen = &out.files[k];
						break;
					}
				}
				cJSON *mine = gen ? cJSON_ParseWithLength(gen->data.buf, gen->data.len) : NULL;
				if (!mine) {
					res = FAIL_GENERATE;
					snprintf(detail, sizeof(detail), "%s", gen ? "generated JSON does not parse"
										  : "no file generated");
				} else {
					if (outdir)
						write_out(outdir, rel, "", gen->data.buf, gen->data.len);
					struct cmp c;
					memset(&c, 0, sizeof(c));
					/* an input that names nothing is named after its file (README:
					 * "Migrating existing policies"): that name is not compared */
					if (!cJSON_GetObjectItemCaseSensitive(orig, "name"))
						cJSON_DeleteItemFromObjectCaseSensitive(mine, "name");
					/* a bare properties object (no envelope) is the properties */
					const cJSON *orig_props = cJSON_GetObjectItemCaseSensitive(orig, "properties");
					const cJSON *mine_props = cJSON_GetObjectItemCaseSensitive(mine, "properties");
					bool bare = !cJSON_IsObject(orig_props) && mine_props;
					if (bare ? !same(&c, orig, mine_props, R_PROPERTIES, false)
						 : !same(&c, orig, mine, R_ENVELOPE, false)) {
						res = FAIL_COMPARE;
						snprintf(detail, sizeof(detail), "%s: %s", c.len ? c.path : "(top)", c.why);
					}
					cJSON_Delete(mine);
				}
			}
		}
		st.by_outcome[res]++;
		if (is_set) {
			st.sets++;
			st.sets_ok += res == OK;
		} else {
			st.defs++;
			st.defs_ok += res == OK;
		}
		if (res != OK && !quiet)
			printf("FAIL %s: %s: %s\n", rel, outcome_names[res], detail);

		cJSON_Delete(orig);
		output_set_release(&out);
		source_free(psrc);
		sb_release(&text);
		diag_release(&d);
		arena_release(&arena);
		source_free(src);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;

	printf("%zu of %zu definitions and %zu of %zu initiatives round-trip\n", st.defs_ok, st.defs,
	       st.sets_ok, st.sets);
	printf("failures by stage: import %zu, parse %zu, check %zu, generate %zu, compare %zu\n",
	       st.by_outcome[FAIL_IMPORT], st.by_outcome[FAIL_PARSE], st.by_outcome[FAIL_CHECK],
	       st.by_outcome[FAIL_GENERATE], st.by_outcome[FAIL_COMPARE]);
	for (int k = 0; k < 1000; k++)
		if (st.check_codes[k])
			printf("  check E%04d: %zu files\n", k, st.check_codes[k]);
	printf("import+emit+parse+check+generate+compare of %zu files (%.1f MB): %.2f s\n",
	       st.defs + st.sets, (double)bytes / 1e6, secs);
	for (size_t f = 0; f < files.count; f++)
		free(files.items[f]);
	free(files.items);
	return st.defs_ok == st.defs && st.sets_ok == st.sets ? 0 : 1;
}
