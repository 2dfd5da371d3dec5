/*
 * evalall: the evaluator against every Azure built-in policy definition.
 *
 * For every *.json file below CORPUS/policyDefinitions (in byte order of the
 * relative paths): import the definition, compile it, and evaluate it against
 * a minimal resource of the type its `if` names (a `type equals` or the first
 * of a `type in` list; Microsoft.Resources/subscriptions otherwise), with the
 * parameters' defaults and, where a parameter has none, the first allowed
 * value or a stand-in of its type ("standin" for a string).  Every definition must compile and
 * evaluate without a crash; evaluation errors are counted by cause, and an
 * "unsupported function" is reported with the function's name.
 *
 * usage: evalall CORPUS_DIR
 * Prints a summary; exit status 0 when every definition compiles and no
 * evaluation fails for an unsupported function (deployment-template functions
 * Azure Policy itself never evaluates are listed, not failed), 1 otherwise,
 * 2 usage/I/O.
 */
#include "pacc/epack.h"
#include "pacc/eval.h"
#include "pacc/import.h"

#include <cjson/cJSON.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

struct paths {
	char **items;
	size_t count, alloc;
};

static void collect(const char *dir, struct paths *out)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	for (struct dirent *e; (e = readdir(d));) {
		if (e->d_name[0] == '.')
			continue;
		size_t n = strlen(dir) + strlen(e->d_name) + 2;
		char *p = xmalloc(n);
		snprintf(p, n, "%s/%s", dir, e->d_name);
		struct stat st;
		if (stat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
			collect(p, out);
			free(p);
		} else if (n > 6 && strcmp(p + strlen(p) - 5, ".json") == 0) {
			if (out->count == out->alloc)
				out->items = xrealloc(out->items, (out->alloc = out->alloc ? out->alloc * 2 : 256) *
									  sizeof(char *));
			out->items[out->count++] = p;
		} else {
			free(p);
		}
	}
	closedir(d);
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A value for a parameter without a default: its first allowed value, or a
 * stand-in of its type. */
static cJSON *stand_in(const struct ast_param *p)
{
	const char *t = p->type ? p->type->s : "String";
	if (p->allowed && p->allowed->kind == AST_JSON_ARRAY && p->allowed->u.array.items) {
		const struct ast_json *v = p->allowed->u.array.items->value;
		switch (v->kind) {
		case AST_JSON_STRING:
			return cJSON_CreateString(v->u.string->s);
		case AST_JSON_NUMBER:
			return cJSON_CreateNumber(v->u.number.value);
		case AST_JSON_BOOL:
			return cJSON_CreateBool(v->u.boolean);
		case AST_JSON_NULL:
		case AST_JSON_ARRAY:
		case AST_JSON_OBJECT:
			break;
		}
	}
	if (strcasecmp(t, "Array") == 0)
		return cJSON_CreateArray();
	if (strcasecmp(t, "Object") == 0)
		return cJSON_CreateObject();
	if (strcasecmp(t, "Boolean") == 0)
		return cJSON_CreateFalse();
	if (strcasecmp(t, "Integer") == 0 || strcasecmp(t, "Float") == 0)
		return cJSON_CreateNumber(0);
	if (strcasecmp(t, "DateTime") == 0)
		return cJSON_CreateString("2026-01-01T00:00:00.0000000Z");
	return cJSON_CreateString("standin");
}

struct cause {
	char *text;
	size_t count;
	char *example;
};

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: evalall CORPUS_DIR\n");
		return 2;
	}
	char root[4096];
	snprintf(root, sizeof root, "%s/policyDefinitions", argv[1]);
	struct paths ps = { 0 };
	collect(root, &ps);
	if (ps.count == 0) {
		fprintf(stderr, "evalall: no definitions below %s\n", root);
		return 2;
	}
	qsort(ps.items, ps.count, sizeof(char *), cmp);
	size_t evaluated = 0, import_failed = 0, compile_failed = 0, tally[4] = { 0 };
	struct cause causes[256];
	size_t ncauses = 0, unsupported = 0;
	for (size_t i = 0; i < ps.count; i++) {
		struct source *src = NULL;
		if (source_read(ps.items[i], &src) != SOURCE_OK) {
			fprintf(stderr, "evalall: cannot read %s\n", ps.items[i]);
			return 2;
		}
		struct arena a;
		arena_init(&a);
		struct diag_engine d;
		diag_init(&d);
		struct ast_pack *pack = import_pack_new(&a, "corpus");
		if (!import_source(pack, src, "corpus", &d)) {
			import_failed++;
			printf("import failed: %s\n", ps.items[i]);
		}
		for (const struct ast_policy *pol = pack->policies; pol; pol = pol->next) {
			char *err = NULL;
			struct eval_policy *ep = eval_policy_compile(pol, NULL, NULL, &err);
			if (!ep) {
				compile_failed++;
				printf("compile failed: %s: %s\n", ps.items[i], err);
				free(err);
				continue;
			}
			const char *type = epack_policy_type(pol);
			cJSON *res = cJSON_CreateObject();
			cJSON_AddStringToObject(res, "id", "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Test/things/x");
			cJSON_AddStringToObject(res, "name", "x");
			cJSON_AddStringToObject(res, "type", type ? type : "Microsoft.Resources/subscriptions");
			cJSON_AddStringToObject(res, "location", "westeurope");
			cJSON_AddItemToObject(res, "tags", cJSON_CreateObject());
			cJSON_AddItemToObject(res, "properties", cJSON_CreateObject());
			cJSON *params = cJSON_CreateObject();
			for (const struct ast_param *p = pol->params; p; p = p->next)
				if (!p->default_value)
					cJSON_AddItemToObject(params, p->name->s, stand_in(p));
			struct eval_input in = { .resource = res,
						 .parameters = params,
						 .now = "2026-01-01T00:00:00.0000000Z",
						 .trace = true };
			struct eval_result r;
			eval_run(ep, &in, &r);
			evaluated++;
			tally[r.compliance]++;
			if (r.compliance == EVAL_ERROR) {
				if (strstr(r.error, "unsupported function") &&
				    !strstr(r.error, "outside a deployment template"))
					unsupported++;
				size_t k = 0;
				/* Group by the message up to its first quote-free detail. */
				while (k < ncauses && strcmp(causes[k].text, r.error) != 0)
					k++;
				if (k == ncauses && ncauses < 256) {
					causes[k].text = strdup(r.error);
					causes[k].count = 0;
					causes[k].example = strdup(ps.items[i] + strlen(root) + 1);
					ncauses++;
				}
				if (k < ncauses)
					causes[k].count++;
			}
			eval_result_release(&r);
			cJSON_Delete(params);
			cJSON_Delete(res);
			eval_policy_free(ep);
		}
		diag_release(&d);
		arena_release(&a);
		source_free(src);
	}
	printf("evalall: %zu files, %zu definitions evaluated: %zu Compliant, %zu NonCompliant, "
	       "%zu NotApplicable, %zu Error; %zu import failures, %zu compile failures\n",
	       ps.count, evaluated, tally[EVAL_COMPLIANT], tally[EVAL_NON_COMPLIANT],
	       tally[EVAL_NOT_APPLICABLE], tally[EVAL_ERROR], import_failed, compile_failed);
	for (size_t k = 0; k < ncauses; k++) {
		printf("  %4zu x %s (e.g. %s)\n", causes[k].count, causes[k].text, causes[k].example);
		free(causes[k].text);
		free(causes[k].example);
	}
	for (size_t i = 0; i < ps.count; i++)
		free(ps.items[i]);
	free(ps.items);
	if (compile_failed || import_failed || unsupported) {
		printf("evalall: FAIL (%zu evaluations hit an unsupported function)\n", unsupported);
		return 1;
	}
	printf("evalall: ok\n");
	return 0;
}
