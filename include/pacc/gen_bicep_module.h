/*
 * gen_bicep_module: hardening modules — Bicep that deploys a governed
 * resource with every remediation of the pack applied.
 *
 * For each type the pack governs that some `harden` block targets,
 * gen_bicep_module_pack() adds "bicep/<slug>.bicep" to out (slug: see
 * gen_bicep_module_slug).  A module has:
 *
 *   - a header comment naming the recommendations it implements;
 *   - parameters: `name`, `location` (default resourceGroup().location) for
 *     a top-level type or when a companion needs a region, one `<parent>Name`
 *     per ancestor of a child type, and one per input the statements use,
 *     with @description, @secure, @allowed and defaults from the pack;
 *   - the resource at the pack's pinned API version, every `set` applied
 *     (dotted paths become nested objects, in first-set order);
 *   - companion resources: diagnostic settings, private endpoint with its
 *     private DNS zone group, lock, role assignment, child resources;
 *   - outputs: id, name, and principalId when the settings give the
 *     resource a system-assigned identity.
 *
 * Called by gen_bicep_pack(); the pack must have passed check (settings on
 * governed types only, no conflicts, inputs resolved).
 */
#ifndef PACC_GEN_BICEP_MODULE_H
#define PACC_GEN_BICEP_MODULE_H

#include "pacc/ast.h"
#include "pacc/output.h"
#include "pacc/sb.h"

#include <stdbool.h>

void gen_bicep_module_pack(const struct ast_pack *pack, struct output_set *out);

/*
 * Appends the file-name slug of a resource type: its namespace without
 * "Microsoft." in kebab case ("Microsoft.DataFactory/factories" ->
 * "data-factory"), then "-<segment>" for each child segment
 * ("Microsoft.DataFactory/factories/linkedservices" ->
 * "data-factory-linkedservices").  With long = true the first type segment
 * is added too ("key-vault-vaults"), which gen_bicep_module_pack() uses when
 * two top-level types of one namespace would share a slug.
 */
void gen_bicep_module_slug(struct sb *out, const char *type, bool long_form);

#endif
