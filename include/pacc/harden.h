/*
 * harden: the remediation part of the tree — how to *be* compliant.
 *
 * A recommendation may say how a governed resource is configured so that
 * it satisfies the recommendation's policies:
 *
 *   harden "Microsoft.DataFactory/factories" {
 *     set properties.publicNetworkAccess = "Disabled"
 *     set identity = { "type": "SystemAssigned" }
 *     companion diagnostics { workspace = input.workspaceId }
 *   }
 *
 * and the service declares, once, the inputs a deployer supplies:
 *
 *   input workspaceId String "The Log Analytics workspace that receives logs"
 *
 * Owned by the Bicep helper (parser rules in grammar/parser.y, checks in
 * check_harden.c, modules in gen_bicep_module.c).  Allocation and string
 * rules are those of ast.h: everything lives in the pack's arena, lists are
 * in source order, NULL means "not given".  ast.h points here through two
 * fields: ast_recommendation.harden and ast_service.inputs.
 */
#ifndef PACC_HARDEN_H
#define PACC_HARDEN_H

#include "pacc/ast.h"
#include "pacc/sb.h"

#include <stdbool.h>
#include <stddef.h>

/* A deployer-supplied value: `input NAME TYPE "description" { ... }`. */
struct harden_input {
	struct harden_input *next;
	struct ast_str *name;          /* workspaceId */
	struct ast_str *type;          /* String Array Object Boolean Integer, as written */
	struct ast_str *description;   /* required: becomes @description */
	struct ast_json *allowed;      /* `allowed [...]`, optional */
	struct ast_json *default_value;/* `default v`, optional */
	bool secure;                   /* `secure`: @secure(), never logged */
	struct src_span span;
	bool used;                     /* set by check: some hardening statement uses it */
};

/* The right-hand side of `set` or a companion argument: JSON, or `input.NAME`. */
struct harden_value {
	struct ast_json *json;           /* the value; NULL when input_name is set */
	struct ast_str *input_name;      /* NAME of `input.NAME`, else NULL */
	struct src_span span;
	const struct harden_input *input;/* set by check: the declaration input_name names */
};

/* `set PATH = VALUE`: a property of the hardened resource. */
struct harden_setting {
	struct harden_setting *next;
	struct ast_str *path;            /* dotted: properties.publicNetworkAccess, identity */
	struct harden_value value;
	struct ast_str *since;           /* `since "YYYY-MM-DD"`: the earliest API version with
					  * the property (the Modify twin's guard), or NULL */
	struct src_span span;
};

/*
 * `identity { system = true user = input.identityId }`: the resource's
 * managed identities.  system: a literal boolean; user: an input or a
 * literal resource id of a user-assigned identity.  Several statements on
 * one type add up (system if any says so; every distinct user identity).
 */
struct harden_identity {
	struct harden_identity *next;
	struct harden_arg *args;         /* in source order */
	struct src_span span;
};

enum harden_companion_kind {
	HARDEN_COMPANION_DIAGNOSTICS,      /* diagnostics: a diagnostic setting to a workspace */
	HARDEN_COMPANION_PRIVATE_ENDPOINT, /* private-endpoint: endpoint + private DNS zone group */
	HARDEN_COMPANION_LOCK,             /* lock: a management lock on the resource */
	HARDEN_COMPANION_ROLE_ASSIGNMENT,  /* role-assignment: a role on the resource for a principal */
	HARDEN_COMPANION_CHILD,            /* child "type": a child resource, e.g. managedVirtualNetworks */
};
#define HARDEN_COMPANION_KIND_COUNT 5

/* `KEY = VALUE` inside a companion block. */
struct harden_arg {
	struct harden_arg *next;
	struct ast_str *key;
	struct harden_value value;
	struct src_span span;
};

/* `companion KIND ["child type"] { KEY = VALUE ... }`. */
struct harden_companion {
	struct harden_companion *next;
	struct ast_str *kind_word;       /* as written: diagnostics, private-endpoint, ... */
	enum harden_companion_kind kind; /* set by check from kind_word */
	struct ast_str *child_type;      /* `child "managedVirtualNetworks"`: the child's type */
	struct harden_arg *args;
	/* `remediate [suffix] { policy body }` inside the companion: its
	 * DeployIfNotExists twin (diagnostics only; suffix "deploy-<kind>" unless
	 * given), linked into the recommendation's policies and completed by
	 * check_harden() like the block's own remediate. */
	struct ast_policy *remediate;
	struct src_span span;
};

/* `harden "TYPE" { ... }` inside a recommendation. */
struct harden_block {
	struct harden_block *next;       /* next block of the same recommendation */
	struct ast_str *type;            /* a type the pack governs */
	struct harden_setting *settings;
	struct harden_identity *identities; /* `identity { }` statements, in order */
	struct harden_companion *companions;
	/* `remediate [suffix] { policy body }`: the Modify twin.  The parser also
	 * links it into the recommendation's policies (suffix "remediate" unless
	 * given); check_harden() derives what the body leaves out (if, modify
	 * operations, effect, mode, display, description) from the settings. */
	struct ast_policy *remediate;
	struct src_span span;
	const struct ast_governs *governs; /* set by check: the matching `governs` */
};

/* Canonical spelling of a companion kind ("private-endpoint"). */
const char *harden_companion_name(enum harden_companion_kind kind);
/* Looks a companion kind up by its spelling (exact); false if none. */
bool harden_companion_from_name(const char *name, enum harden_companion_kind *out);
/* The argument named key (exact), or NULL. */
const struct harden_arg *harden_arg_find(const struct harden_companion *c, const char *key);

/*
 * What a diagnostics companion sends, from its arguments (checked by
 * check_harden: E0411, E0419):
 *   categories = ["A", ...]       those log categories
 *   categoryGroups = ["audit"]    those category groups (allLogs, audit)
 *   logs = false                  no logs (metrics only)
 *   metrics = false               no metrics (default: AllMetrics)
 * With neither categories, categoryGroups nor logs = false, the logs are the
 * category group allLogs.  The module, the DeployIfNotExists twin and their
 * descriptions all read this one plan.  Lists point into the companion.
 */
struct harden_diagnostics {
	const struct ast_json *categories; /* non-empty array of strings, or NULL */
	const struct ast_json *groups;     /* non-empty array of strings, or NULL */
	bool all_logs;                     /* the default: category group allLogs */
	bool metrics;                      /* AllMetrics */
};

struct harden_diagnostics harden_diagnostics_plan(const struct harden_companion *c);

/*
 * Appends what the plan sends, in words: "the log categories 'A' and 'B'
 * and all metrics", "all logs and all metrics", "only metrics (no logs)".
 */
void harden_diagnostics_describe(const struct harden_diagnostics *plan, struct sb *out);

#endif
