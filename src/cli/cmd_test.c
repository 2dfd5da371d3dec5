/*
 * cmd_test: `pacc test [PACK...]` runs the `test` blocks of packs through
 * the evaluator and prints one line per test, the trace of each failure,
 * and a closing "N passed, N failed".
 */
#include "pacc/cmd_test.h"

#include "pacc/check_test.h"
#include "pacc/cmd_eval.h"
#include "pacc/epack.h"
#include "pacc/eval.h"
#include "pacc/json.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The fixture path as written, relative to the pack's directory. */
static char *fixture_path(const char *pack_path, const char *rel)
{
	if (rel[0] == '/')
		return strdup(rel);
	const char *slash = strrchr(pack_path, '/');
	size_t dir = slash ? (size_t)(slash - pack_path) + 1 : 0;
	char *p = xmalloc(dir + strlen(rel) + 1);
	memcpy(p, pack_path, dir);
	strcpy(p + dir, rel);
	return p;
}

/* A test value: inline JSON, or a fixture file (a diagnostic at the
 * statement when it cannot be read). */
static cJSON *test_value(const struct ast_json *inline_json, const struct ast_str *file,
			 const char *pack_path, struct diag_engine *d)
{
	if (inline_json)
		return json_from_ast(inline_json);
	if (!file)
		return NULL;
	char *path = fixture_path(pack_path, file->s);
	struct source *src = NULL;
	cJSON *v = NULL;
	if (source_read(path, &src) != SOURCE_OK)
		diag_error(d, file->span, "E0515", "cannot read the fixture '%s': %s", path,
			   strerror(errno));
	else if (!(v = cJSON_ParseWithLength((const char *)src->text, src->len)))
		diag_error(d, file->span, "E0515", "the fixture '%s' is not valid JSON", path);
	source_free(src);
	free(path);
	return v;
}

struct tally {
	size_t passed, failed;
};

static bool run_test(const struct cli *cli, const char *pack_path, const struct eval_policy *ep,
		     const struct ast_policy *pol, const struct ast_test *t, struct diag_engine *d)
{
	cJSON *res = test_value(t->resource, t->resource_file, pack_path, d);
	cJSON *par = t->parameters ? json_from_ast(t->parameters) : NULL;
	cJSON *rel = test_value(t->related, t->related_file, pack_path, d);
	bool ok = false;
	if (res) {
		const cJSON *rels[64];
		size_t nrel = 0;
		if (cJSON_IsArray(rel))
			for (const cJSON *e = rel->child; e && nrel < 64; e = e->next)
				rels[nrel++] = e;
		else if (rel)
			rels[nrel++] = rel;
		struct eval_input in = { .resource = res,
					 .parameters = par,
					 .api_version = t->api_version ? t->api_version->s : NULL,
					 .related = rels,
					 .related_count = nrel,
					 .now = "2026-01-01T00:00:00.0000000Z",
					 .trace = true };
		struct eval_result r;
		eval_run(ep, &in, &r);
		const char *want = check_test_expectation(t->expect->s);
		const char *got = eval_compliance_name(r.compliance);
		if (strcmp(want, "Compliant") == 0 || strcmp(want, "NotApplicable") == 0)
			ok = strcmp(want, got) == 0;
		else
			ok = r.compliance == EVAL_NON_COMPLIANT && r.effect &&
			     ast_effect_canonical(r.effect) && strcmp(ast_effect_canonical(r.effect), want) == 0;
		fprintf(cli->out, "%s %s:%u: %s: test '%s'\n", ok ? "ok  " : "FAIL",
			t->span.src ? t->span.src->name : pack_path, t->span.begin.line,
			pol->resolved_name ? pol->resolved_name : "?", t->name->s);
		if (!ok) {
			fprintf(cli->out, "     expected %s, got %s%s%s\n", t->expect->s, got,
				r.effect && r.compliance == EVAL_NON_COMPLIANT ? " with effect " : "",
				r.effect && r.compliance == EVAL_NON_COMPLIANT ? r.effect : "");
			eval_print_text(cli->out, NULL, &r, "   ", false);
		}
		eval_result_release(&r);
	}
	cJSON_Delete(res);
	cJSON_Delete(par);
	cJSON_Delete(rel);
	return ok;
}

static int test_pack(const struct cli *cli, const char *path, struct tally *tally)
{
	struct diag_engine d;
	cli_diag_init(cli, &d);
	struct eval_defs defs;
	int status = eval_defs_load(cli, path, NULL, &defs, &d);
	for (size_t i = 0; status == CLI_EXIT_OK && i < defs.count; i++) {
		const struct ast_policy *pol = defs.policies[i];
		if (!pol->tests)
			continue;
		char *err = NULL;
		struct eval_policy *ep =
			eval_policy_compile(pol, defs.aliases, epack_api_version(defs.pack, pol), &err);
		if (!ep) {
			cli_error(cli, "policy '%s': %s", pol->resolved_name, err);
			free(err);
			status = CLI_EXIT_INPUT;
			break;
		}
		for (const struct ast_test *t = pol->tests; t; t = t->next) {
			if (run_test(cli, path, ep, pol, t, &d))
				tally->passed++;
			else
				tally->failed++;
		}
		eval_policy_free(ep);
	}
	if (d.count)
		cli_render(cli, &d);
	if (status == CLI_EXIT_OK && diag_has_errors(&d))
		status = CLI_EXIT_INPUT;
	diag_release(&d);
	eval_defs_release(&defs);
	return status;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int cmd_test_run(const struct cli *cli, const struct cli_args *args)
{
	char **paths = args->operands;
	size_t n = args->operand_count;
	char **found = NULL;
	if (n == 0) {
		/* No packs named: every .pacc file in policies/, in byte order. */
		DIR *dir = opendir("policies");
		size_t cap = 0;
		for (struct dirent *e; dir && (e = readdir(dir));) {
			size_t len = strlen(e->d_name);
			if (len > 5 && strcmp(e->d_name + len - 5, ".pacc") == 0) {
				if (n == cap)
					found = xrealloc(found, (cap = cap ? cap * 2 : 8) * sizeof(*found));
				found[n] = xmalloc(len + 10);
				sprintf(found[n++], "policies/%s", e->d_name);
			}
		}
		if (dir)
			closedir(dir);
		if (n == 0) {
			cli_error(cli, "no packs given and no policies/*.pacc here");
			return CLI_EXIT_USAGE;
		}
		qsort(found, n, sizeof(*found), cmp_str);
		paths = found;
	}
	struct tally tally = { 0, 0 };
	int status = CLI_EXIT_OK;
	for (size_t i = 0; i < n; i++) {
		int s = test_pack(cli, paths[i], &tally);
		if (s > status)
			status = s;
	}
	fprintf(cli->out, "%zu passed, %zu failed\n", tally.passed, tally.failed);
	for (size_t i = 0; found && i < n; i++)
		free(found[i]);
	free(found);
	if (status == CLI_EXIT_OK && tally.failed)
		status = CLI_EXIT_INPUT;
	return status;
}
