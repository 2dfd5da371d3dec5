#include "pacc/gen_pipeline.h"

#include "pacc/arena.h"
#include "pacc/env.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

/* How CI gets pacc when the manifest does not say: build it from this repository. */
#define DEFAULT_INSTALL "make build/pacc && sudo make install"
#define DEFAULT_BRANCH "main"

/* ---- a thin layer over libyaml's emitter ----------------------------------------------- */

struct em {
	yaml_emitter_t e;
	struct sb *out;
};

static int sink(void *data, unsigned char *buffer, size_t size)
{
	sb_add((struct sb *)data, buffer, size);
	return 1;
}

static void emit(struct em *m, yaml_event_t *ev)
{
	/* The emitter fails only on a malformed event stream or no memory; both are bugs here. */
	if (!yaml_emitter_emit(&m->e, ev))
		die_oom();
}

static void em_open(struct em *m, struct sb *out)
{
	m->out = out;
	if (!yaml_emitter_initialize(&m->e))
		die_oom();
	yaml_emitter_set_output(&m->e, sink, out);
	yaml_emitter_set_unicode(&m->e, 1);
	yaml_emitter_set_width(&m->e, -1);
	yaml_emitter_set_indent(&m->e, 2);
	yaml_emitter_set_break(&m->e, YAML_LN_BREAK);
	yaml_event_t ev;
	yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING);
	emit(m, &ev);
	yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1);
	emit(m, &ev);
}

static void em_close(struct em *m)
{
	yaml_event_t ev;
	yaml_document_end_event_initialize(&ev, 1);
	emit(m, &ev);
	yaml_stream_end_event_initialize(&ev);
	emit(m, &ev);
	yaml_emitter_flush(&m->e);
	yaml_emitter_delete(&m->e);
}

static void scalar_styled(struct em *m, const char *s, yaml_scalar_style_t style)
{
	yaml_event_t ev;
	yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)(uintptr_t)s, (int)strlen(s), 1, 1,
				     style);
	emit(m, &ev);
}

static void scalar(struct em *m, const char *s) { scalar_styled(m, s, YAML_ANY_SCALAR_STYLE); }

static void map_begin(struct em *m)
{
	yaml_event_t ev;
	yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE);
	emit(m, &ev);
}

static void map_end(struct em *m)
{
	yaml_event_t ev;
	yaml_mapping_end_event_initialize(&ev);
	emit(m, &ev);
}

static void seq_begin(struct em *m)
{
	yaml_event_t ev;
	yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_SEQUENCE_STYLE);
	emit(m, &ev);
}

static void seq_end(struct em *m)
{
	yaml_event_t ev;
	yaml_sequence_end_event_initialize(&ev);
	emit(m, &ev);
}

static void kv(struct em *m, const char *key, const char *value)
{
	scalar(m, key);
	scalar(m, value);
}

/* A multi-line shell script as a literal block. */
static void kv_script(struct em *m, const char *key, const char *value)
{
	scalar(m, key);
	scalar_styled(m, value, strchr(value, '\n') ? YAML_LITERAL_SCALAR_STYLE : YAML_ANY_SCALAR_STYLE);
}

/* key: [one] */
static void kv_list1(struct em *m, const char *key, const char *value)
{
	scalar(m, key);
	seq_begin(m);
	scalar(m, value);
	seq_end(m);
}

/* ---- what the pipelines run -------------------------------------------------------- */

static const char *install_of(const struct project *p)
{
	return p->manifest->install.s ? p->manifest->install.s : DEFAULT_INSTALL;
}

static const char *branch_of(const struct project *p)
{
	return p->manifest->branch.s ? p->manifest->branch.s : DEFAULT_BRANCH;
}

/* Single-quoted for a POSIX shell (the manifest's paths and names are plain, but be safe). */
static void sh_quote(struct sb *b, const char *s)
{
	if (s[0] && strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=@") ==
			    strlen(s)) {
		sb_adds(b, s);
		return;
	}
	sb_addch(b, '\'');
	for (const char *c = s; *c; c++) {
		if (*c == '\'')
			sb_adds(b, "'\\''");
		else
			sb_addch(b, *c);
	}
	sb_addch(b, '\'');
}

/* `pacc check --diagnostics-format=sarif <packs> 2> FILE` */
static void check_command(struct sb *b, const struct project *p, const char *sarif)
{
	sb_adds(b, "pacc check --diagnostics-format=sarif");
	for (size_t i = 0; i < p->pack_count; i++) {
		sb_addch(b, ' ');
		sh_quote(b, p->packs[i].path);
	}
	sb_adds(b, " 2> ");
	sb_adds(b, sarif);
}

static void build_check_command(struct sb *b, const char *manifest_path)
{
	sb_adds(b, "pacc build --check");
	if (strcmp(manifest_path, PROJECT_MANIFEST) != 0) {
		sb_adds(b, " --manifest ");
		sh_quote(b, manifest_path);
	}
}

/* `az deployment mg|sub what-if|create ...` for one pack in one environment. */
static void az_command(struct sb *b, const struct project *p, const struct env_deploy *dp,
		       const char *verb)
{
	const struct manifest_env *env = dp->env;
	bool mg = env->scope.kind == MANIFEST_SCOPE_MANAGEMENT_GROUP;
	sb_addf(b, "az deployment %s %s", mg ? "mg" : "sub", verb);
	if (mg) {
		sb_adds(b, " --management-group-id ");
		sh_quote(b, env->scope.group);
	} else {
		sb_adds(b, " --subscription ");
		sh_quote(b, env->scope.subscription);
	}
	sb_adds(b, " --location ");
	sh_quote(b, env->location.s);
	struct sb name = SB_INIT, fit = SB_INIT;
	sb_addf(&name, "pacc-%s-%s", dp->pack->name, env->name.s);
	env_fit_name(&fit, name.buf, ENV_NAME_MAX);
	sb_adds(b, " --name ");
	sb_adds(b, fit.buf);
	sb_release(&name);
	sb_release(&fit);
	sb_adds(b, " --parameters ");
	struct sb path = SB_INIT;
	sb_addf(&path, "%s/%s/bicep/deploy-%s.bicepparam", p->output, dp->pack->name, env->name.s);
	sh_quote(b, path.buf);
	sb_release(&path);
}

/* True when some pack of environment e turns a remediating policy on. */
static bool needs_rbac_admin(const struct project *p, size_t e)
{
	size_t per_env = p->manifest->env_count ? p->envs.count / p->manifest->env_count : 0;
	for (size_t i = e * per_env; i < (e + 1) * per_env; i++) {
		if (p->envs.deploys[i].identity)
			return true;
	}
	return false;
}

static void header(struct sb *b, const struct project *p, const char *manifest_path,
		   enum gen_pipeline_kind kind)
{
	sb_addf(b, "# Generated by pacc from %s (pacc pipeline %s): edit the manifest, not this file.\n",
		manifest_path, kind == GEN_PIPELINE_GITHUB ? "github" : "azure-devops");
	sb_adds(b, "# Pull requests: build, 'pacc build --check', 'pacc check' (SARIF), what-if per\n"
		   "# environment.  The main branch: deploy the environments in order, each one\n"
		   "# behind the approvals of its deployment environment.\n#\n");
	if (kind == GEN_PIPELINE_GITHUB)
		sb_adds(b, "# Sign-in is OpenID Connect (workload identity federation): no secret is stored.\n"
			   "# Set the variables AZURE_CLIENT_ID and AZURE_TENANT_ID (repository: the what-if\n"
			   "# identity; each environment: its deploying identity) and give each identity a\n"
			   "# federated credential for this repository.  Least roles:\n");
	else
		sb_adds(b, "# Sign-in is workload identity federation: each environment's Azure Resource\n"
			   "# Manager service connection uses a federated credential, no secret.  Create an\n"
			   "# Azure Pipelines environment of the same name for the approvals.  Least roles:\n");
	sb_adds(b, "#   what-if: Reader at each environment's scope\n");
	for (size_t e = 0; e < p->manifest->env_count; e++) {
		const struct manifest_env *env = &p->manifest->envs[e];
		sb_addf(b, "#   %s: Resource Policy Contributor", env->name.s);
		if (needs_rbac_admin(p, e))
			sb_adds(b, " and Role Based Access Control Administrator (its remediation identity gets roles)");
		sb_addf(b, " at %s\n", env->scope.id);
	}
}

/* ---- GitHub Actions ------------------------------------------------------------------ */

static void gh_checkout(struct em *m)
{
	map_begin(m);
	kv(m, "uses", "actions/checkout@v4");
	map_end(m);
}

static void gh_login(struct em *m, const struct manifest_env *env)
{
	map_begin(m);
	kv(m, "name", "Sign in to Azure (OpenID Connect)");
	kv(m, "uses", "azure/login@v2");
	scalar(m, "with");
	map_begin(m);
	kv(m, "client-id", "${{ vars.AZURE_CLIENT_ID }}");
	kv(m, "tenant-id", "${{ vars.AZURE_TENANT_ID }}");
	if (env->scope.kind == MANIFEST_SCOPE_SUBSCRIPTION)
		kv(m, "subscription-id", env->scope.subscription);
	else
		kv(m, "allow-no-subscriptions", "true");
	map_end(m);
	map_end(m);
}

static void gh_permissions(struct em *m, bool id_token, bool security_events)
{
	scalar(m, "permissions");
	map_begin(m);
	kv(m, "contents", "read");
	if (id_token)
		kv(m, "id-token", "write");
	if (security_events)
		kv(m, "security-events", "write");
	map_end(m);
}

static void gh_env_job(struct em *m, const struct project *p, size_t e, bool deploy,
		       const char *prev, struct sb *tmp)
{
	const struct manifest_env *env = &p->manifest->envs[e];
	sb_reset(tmp);
	sb_addf(tmp, "%s-%s", deploy ? "deploy" : "what-if", env->name.s);
	scalar(m, tmp->buf);
	map_begin(m);
	sb_reset(tmp);
	sb_addf(tmp, "%s (%s)", deploy ? "Deploy" : "What-if", env->name.s);
	kv(m, "name", tmp->buf);
	sb_reset(tmp);
	if (deploy)
		sb_addf(tmp, "github.event_name == 'push' && github.ref == 'refs/heads/%s'", branch_of(p));
	else
		sb_adds(tmp, "github.event_name == 'pull_request'");
	kv(m, "if", tmp->buf);
	kv(m, "needs", prev);
	kv(m, "runs-on", "ubuntu-latest");
	if (deploy)
		kv(m, "environment", env->name.s);
	gh_permissions(m, true, false);
	scalar(m, "steps");
	seq_begin(m);
	gh_checkout(m);
	gh_login(m, env);
	size_t per_env = p->envs.count / p->manifest->env_count;
	for (size_t i = e * per_env; i < (e + 1) * per_env; i++) {
		const struct env_deploy *dp = &p->envs.deploys[i];
		map_begin(m);
		sb_reset(tmp);
		sb_addf(tmp, "%s %s", deploy ? "Deploy" : "What-if", dp->pack->name);
		kv(m, "name", tmp->buf);
		sb_reset(tmp);
		az_command(tmp, p, dp, deploy ? "create" : "what-if");
		kv(m, "run", tmp->buf);
		map_end(m);
	}
	seq_end(m);
	map_end(m);
}

static void github(struct em *m, const struct project *p, const char *manifest_path)
{
	struct sb tmp = SB_INIT;
	map_begin(m);
	kv(m, "name", "pacc guardrails");
	scalar(m, "on");
	map_begin(m);
	scalar(m, "pull_request");
	map_begin(m);
	kv_list1(m, "branches", branch_of(p));
	map_end(m);
	scalar(m, "push");
	map_begin(m);
	kv_list1(m, "branches", branch_of(p));
	map_end(m);
	map_end(m);
	gh_permissions(m, false, false);
	scalar(m, "concurrency");
	map_begin(m);
	kv(m, "group", "pacc-guardrails-${{ github.ref }}");
	kv(m, "cancel-in-progress", "false");
	map_end(m);

	scalar(m, "jobs");
	map_begin(m);
	scalar(m, "build");
	map_begin(m);
	kv(m, "name", "Build and check the packs");
	kv(m, "runs-on", "ubuntu-latest");
	gh_permissions(m, false, true);
	scalar(m, "steps");
	seq_begin(m);
	gh_checkout(m);
	map_begin(m);
	kv(m, "name", "Install pacc");
	kv_script(m, "run", install_of(p));
	map_end(m);
	map_begin(m);
	kv(m, "name", "Generated files are fresh");
	build_check_command(&tmp, manifest_path);
	kv(m, "run", tmp.buf);
	map_end(m);
	map_begin(m);
	kv(m, "name", "Check the packs");
	kv(m, "id", "check");
	kv(m, "continue-on-error", "true");
	sb_reset(&tmp);
	check_command(&tmp, p, "pacc.sarif");
	kv(m, "run", tmp.buf);
	map_end(m);
	map_begin(m);
	kv(m, "name", "Upload the diagnostics to code scanning");
	kv(m, "if", "always()");
	kv(m, "uses", "github/codeql-action/upload-sarif@v3");
	scalar(m, "with");
	map_begin(m);
	kv(m, "sarif_file", "pacc.sarif");
	kv(m, "category", "pacc");
	map_end(m);
	map_end(m);
	map_begin(m);
	kv(m, "name", "Fail when a pack has errors");
	kv(m, "if", "steps.check.outcome == 'failure'");
	kv(m, "run", "exit 1");
	map_end(m);
	seq_end(m);
	map_end(m);

	for (size_t e = 0; e < p->manifest->env_count; e++)
		gh_env_job(m, p, e, false, "build", &tmp);
	struct sb prev = SB_INIT;
	sb_adds(&prev, "build");
	for (size_t e = 0; e < p->manifest->env_count; e++) {
		gh_env_job(m, p, e, true, prev.buf, &tmp);
		sb_reset(&prev);
		sb_addf(&prev, "deploy-%s", p->manifest->envs[e].name.s);
	}
	sb_release(&prev);
	map_end(m);
	map_end(m);
	sb_release(&tmp);
}

/* ---- Azure Pipelines ------------------------------------------------------------------ */

/* Stage and job names take [A-Za-z0-9_]. */
static void ado_name(struct sb *b, const char *prefix, const char *env)
{
	sb_adds(b, prefix);
	for (const char *c = env; *c; c++)
		sb_addch(b, *c == '-' ? '_' : *c);
}

static void ado_branch_trigger(struct em *m, const char *key, const char *branch)
{
	scalar(m, key);
	map_begin(m);
	scalar(m, "branches");
	map_begin(m);
	kv_list1(m, "include", branch);
	map_end(m);
	map_end(m);
}

static void ado_script(struct em *m, const char *script, const char *display, const char *condition)
{
	map_begin(m);
	kv_script(m, "script", script);
	kv(m, "displayName", display);
	if (condition)
		kv(m, "condition", condition);
	map_end(m);
}

static void ado_checkout(struct em *m)
{
	map_begin(m);
	kv(m, "checkout", "self");
	map_end(m);
}

static void ado_az_steps(struct em *m, const struct project *p, size_t e, bool deploy, struct sb *tmp)
{
	const struct manifest_env *env = &p->manifest->envs[e];
	size_t per_env = p->envs.count / p->manifest->env_count;
	struct sb conn = SB_INIT;
	if (env->service_connection.s)
		sb_adds(&conn, env->service_connection.s);
	else
		sb_addf(&conn, "pacc-%s", env->name.s);
	for (size_t i = e * per_env; i < (e + 1) * per_env; i++) {
		const struct env_deploy *dp = &p->envs.deploys[i];
		map_begin(m);
		kv(m, "task", "AzureCLI@2");
		sb_reset(tmp);
		sb_addf(tmp, "%s %s", deploy ? "Deploy" : "What-if", dp->pack->name);
		kv(m, "displayName", tmp->buf);
		scalar(m, "inputs");
		map_begin(m);
		kv(m, "azureSubscription", conn.buf);
		kv(m, "scriptType", "bash");
		kv(m, "scriptLocation", "inlineScript");
		sb_reset(tmp);
		az_command(tmp, p, dp, deploy ? "create" : "what-if");
		kv(m, "inlineScript", tmp->buf);
		map_end(m);
		map_end(m);
	}
	sb_release(&conn);
}

static void azure_devops(struct em *m, const struct project *p, const char *manifest_path)
{
	struct sb tmp = SB_INIT, cond = SB_INIT;
	map_begin(m);
	ado_branch_trigger(m, "trigger", branch_of(p));
	ado_branch_trigger(m, "pr", branch_of(p));
	scalar(m, "pool");
	map_begin(m);
	kv(m, "vmImage", "ubuntu-latest");
	map_end(m);
	scalar(m, "stages");
	seq_begin(m);

	map_begin(m);
	kv(m, "stage", "build");
	kv(m, "displayName", "Build and check the packs");
	scalar(m, "jobs");
	seq_begin(m);
	map_begin(m);
	kv(m, "job", "build");
	scalar(m, "steps");
	seq_begin(m);
	ado_checkout(m);
	ado_script(m, install_of(p), "Install pacc", NULL);
	build_check_command(&tmp, manifest_path);
	ado_script(m, tmp.buf, "Generated files are fresh", NULL);
	sb_reset(&tmp);
	sb_adds(&tmp, "mkdir -p \"$(Build.ArtifactStagingDirectory)/CodeAnalysisLogs\"\n");
	check_command(&tmp, p, "\"$(Build.ArtifactStagingDirectory)/CodeAnalysisLogs/pacc.sarif\"");
	sb_addch(&tmp, '\n');
	ado_script(m, tmp.buf, "Check the packs", "succeededOrFailed()");
	map_begin(m);
	kv(m, "publish", "$(Build.ArtifactStagingDirectory)/CodeAnalysisLogs");
	kv(m, "artifact", "CodeAnalysisLogs");
	kv(m, "displayName", "Publish the diagnostics (SARIF)");
	kv(m, "condition", "succeededOrFailed()");
	map_end(m);
	seq_end(m);
	map_end(m);
	seq_end(m);
	map_end(m);

	for (size_t e = 0; e < p->manifest->env_count; e++) {
		const struct manifest_env *env = &p->manifest->envs[e];
		map_begin(m);
		sb_reset(&tmp);
		ado_name(&tmp, "what_if_", env->name.s);
		kv(m, "stage", tmp.buf);
		sb_reset(&tmp);
		sb_addf(&tmp, "What-if (%s)", env->name.s);
		kv(m, "displayName", tmp.buf);
		kv(m, "dependsOn", "build");
		kv(m, "condition", "and(succeeded(), eq(variables['Build.Reason'], 'PullRequest'))");
		scalar(m, "jobs");
		seq_begin(m);
		map_begin(m);
		kv(m, "job", "what_if");
		scalar(m, "steps");
		seq_begin(m);
		ado_checkout(m);
		ado_az_steps(m, p, e, false, &tmp);
		seq_end(m);
		map_end(m);
		seq_end(m);
		map_end(m);
	}
	struct sb prev = SB_INIT;
	sb_adds(&prev, "build");
	for (size_t e = 0; e < p->manifest->env_count; e++) {
		const struct manifest_env *env = &p->manifest->envs[e];
		map_begin(m);
		sb_reset(&tmp);
		ado_name(&tmp, "deploy_", env->name.s);
		kv(m, "stage", tmp.buf);
		sb_reset(&cond);
		sb_addf(&cond, "Deploy (%s)", env->name.s);
		kv(m, "displayName", cond.buf);
		kv(m, "dependsOn", prev.buf);
		sb_reset(&cond);
		sb_addf(&cond,
			"and(succeeded(), eq(variables['Build.SourceBranch'], 'refs/heads/%s'), "
			"ne(variables['Build.Reason'], 'PullRequest'))",
			branch_of(p));
		kv(m, "condition", cond.buf);
		sb_reset(&prev);
		sb_add(&prev, tmp.buf, tmp.len);
		scalar(m, "jobs");
		seq_begin(m);
		map_begin(m);
		kv(m, "deployment", "deploy");
		sb_reset(&tmp);
		sb_addf(&tmp, "Deploy the guardrails to %s", env->name.s);
		kv(m, "displayName", tmp.buf);
		kv(m, "environment", env->name.s);
		scalar(m, "strategy");
		map_begin(m);
		scalar(m, "runOnce");
		map_begin(m);
		scalar(m, "deploy");
		map_begin(m);
		scalar(m, "steps");
		seq_begin(m);
		ado_checkout(m);
		ado_az_steps(m, p, e, true, &tmp);
		seq_end(m);
		map_end(m);
		map_end(m);
		map_end(m);
		map_end(m);
		seq_end(m);
		map_end(m);
	}
	sb_release(&prev);
	seq_end(m);
	map_end(m);
	sb_release(&tmp);
	sb_release(&cond);
}

void gen_pipeline(enum gen_pipeline_kind kind, const struct project *p, const char *manifest_path,
		  struct sb *out)
{
	header(out, p, manifest_path, kind);
	struct em m;
	em_open(&m, out);
	switch (kind) {
	case GEN_PIPELINE_GITHUB:
		github(&m, p, manifest_path);
		break;
	case GEN_PIPELINE_AZURE_DEVOPS:
		azure_devops(&m, p, manifest_path);
		break;
	}
	em_close(&m);
}
