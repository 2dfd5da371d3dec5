/*
 * gen_pipeline: CI definitions for a project (project.h), written with
 * libyaml's emitter.
 *
 * gen_pipeline() appends to out a GitHub Actions workflow or an Azure
 * Pipelines definition that:
 *
 *   - on a pull request: builds pacc (the manifest's `pipeline.install`),
 *     runs `pacc build --check` (generated/ must be fresh), runs
 *     `pacc check --diagnostics-format=sarif` and uploads the log to code
 *     scanning (GitHub) or publishes it as the CodeAnalysisLogs build
 *     artifact (Azure DevOps), and runs `az deployment ... what-if` for
 *     every pack in every environment;
 *   - on the main branch (`pipeline.branch`): deploys the environments in
 *     manifest order, each job in a deployment environment of the same name
 *     (where approvals are configured), signing in with workload identity
 *     federation (OpenID Connect; no stored secret).
 *
 * A comment at the top lists, per environment, the least roles its
 * deploying identity needs: Resource Policy Contributor at its scope, and
 * Role Based Access Control Administrator only when one of its packs turns
 * on a Modify or DeployIfNotExists policy (the assignment's identity then
 * gets role assignments).  The YAML itself is emitted event by event, so
 * every value is quoted as YAML needs.  Deterministic.
 */
#ifndef PACC_GEN_PIPELINE_H
#define PACC_GEN_PIPELINE_H

#include "pacc/project.h"
#include "pacc/sb.h"

enum gen_pipeline_kind {
	GEN_PIPELINE_GITHUB,       /* .github/workflows/<name>.yml */
	GEN_PIPELINE_AZURE_DEVOPS, /* azure-pipelines.yml */
};

/* manifest_path: as the pipeline should name it (relative to the repository root). */
void gen_pipeline(enum gen_pipeline_kind kind, const struct project *p, const char *manifest_path,
		  struct sb *out);

#endif
