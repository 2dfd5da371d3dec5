/*
 * manifest: the project manifest `pacc.yaml`, read with libyaml.
 *
 * manifest_read() parses one source into a struct manifest: the packs to
 * build, the output directory, and the ordered list of environments
 * (promotion order) with their scopes, effects, parameters, messages and
 * exemptions.  It reports every mistake it can see without the packs as a
 * located diagnostic (E1001-E1014, E1018, E1022; grammar/README.md), and
 * keeps going so one run shows several: the YAML itself (syntax, tabs in
 * indentation, invalid UTF-8, NUL bytes, anchors and aliases, nesting, more
 * than one document), duplicate and unknown keys (with "did you mean"),
 * values of the wrong shape, missing required keys, scopes, dates, choices
 * (`enforcement`, `category`), environment names and `extends`.  What needs
 * the packs (policy names, effects, parameters, names and their limits,
 * expiry) is env.h's job.
 *
 * Everything returned lives in the arena passed in; the manifest keeps
 * pointers into src, which must outlive it.  Strings are NUL-terminated
 * UTF-8 (a YAML string holding NUL is refused as E1007).
 */
#ifndef PACC_MANIFEST_H
#define PACC_MANIFEST_H

#include "pacc/arena.h"
#include "pacc/ast.h"
#include "pacc/diag.h"
#include "pacc/source.h"

#include <stdbool.h>
#include <stddef.h>

/* Deepest YAML nesting the reader accepts (a documented limit). */
#define MANIFEST_MAX_DEPTH 32
/* Most environments one manifest may list (a documented limit). */
#define MANIFEST_MAX_ENVS 100
/* Default of `warn-expiry-days`. */
#define MANIFEST_DEFAULT_WARN_DAYS 30

/* A scalar from the manifest and where it was written. */
struct manifest_value {
	const char *s;        /* NULL when the key was not given */
	struct src_span span; /* the scalar (or, when absent, the mapping that lacks it) */
};

enum manifest_scope_kind {
	MANIFEST_SCOPE_MANAGEMENT_GROUP, /* "contoso" or /providers/Microsoft.Management/managementGroups/contoso */
	MANIFEST_SCOPE_SUBSCRIPTION,     /* /subscriptions/<guid> */
	MANIFEST_SCOPE_RESOURCE_GROUP,   /* /subscriptions/<guid>/resourceGroups/<name> */
	MANIFEST_SCOPE_RESOURCE,         /* anything longer below a resource group (not-scopes only) */
};

/* A scope, normalised to its full resource id. */
struct manifest_scope {
	enum manifest_scope_kind kind;
	const char *id;           /* full id, e.g. /providers/Microsoft.Management/managementGroups/contoso */
	const char *group;        /* MANAGEMENT_GROUP: the group's id */
	const char *subscription; /* SUBSCRIPTION and below: the subscription GUID */
	const char *resource_group; /* RESOURCE_GROUP: its name */
	struct src_span span;
};

/* One `key: value` of `effects`, `parameters` or `messages`, in file order. */
struct manifest_entry {
	struct manifest_entry *next;
	struct manifest_value key;
	struct manifest_value value;   /* effects, messages: the scalar */
	struct ast_json *json;         /* parameters: the value as JSON (plain true/12/null typed) */
};

struct manifest_exemption {
	struct manifest_exemption *next;
	struct manifest_value name;          /* optional explicit resource name */
	struct manifest_value policy;        /* a policy of a pack, or a pack (its whole initiative) */
	struct manifest_scope scope;
	struct manifest_value category;      /* Waiver | Mitigated (canonical spelling) */
	struct manifest_value expires;       /* YYYY-MM-DD */
	long expires_day;                    /* days since 1970-01-01 of expires */
	struct manifest_value justification;
	struct manifest_value owner;
	struct manifest_value ticket;        /* optional */
	struct src_span span;                /* the exemption's mapping */
};

enum manifest_enforcement {
	MANIFEST_DO_NOT_ENFORCE, /* the default: report only */
	MANIFEST_ENFORCE,        /* `enforcement: Default` */
};

/* `assignment`: one explicit name, or one per pack. */
struct manifest_assignment {
	struct manifest_assignment *next;
	struct manifest_value pack;  /* NULL s: the name applies to every pack (a one-pack manifest) */
	struct manifest_value name;
};

struct manifest_env {
	struct manifest_value name;          /* [a-z][a-z0-9-]*, at most 32 characters */
	struct manifest_scope scope;         /* a management group or a subscription */
	struct manifest_scope *assign;       /* scopes that get the assignment instead; may be 0 */
	size_t assign_count;
	struct manifest_scope *not_scopes;
	size_t not_scope_count;
	struct manifest_value location;      /* region of the managed identity (may be NULL) */
	enum manifest_enforcement enforcement;
	struct manifest_value enforcement_text; /* as written, or NULL */
	struct manifest_value extends;       /* an earlier environment, or NULL */
	const struct manifest_env *base;     /* the environment extends names, or NULL */
	struct manifest_assignment *assignments;
	struct manifest_entry *effects;
	struct manifest_entry *parameters;
	struct manifest_entry *messages;
	struct manifest_exemption *exemptions;
	struct manifest_value service_connection; /* Azure DevOps service connection, or NULL */
	struct src_span span;                /* the environment's mapping */
};

struct manifest {
	const struct source *src;
	struct manifest_value *packs;        /* pack files or glob patterns, relative to the manifest */
	size_t pack_count;                   /* 0: the default, policies/ *.pacc */
	struct manifest_value output;        /* NULL s: "generated" */
	long warn_expiry_days;               /* MANIFEST_DEFAULT_WARN_DAYS unless given */
	struct manifest_env *envs;           /* in promotion order */
	size_t env_count;
	struct manifest_value install;       /* pipeline.install: how CI gets pacc, or NULL */
	struct manifest_value branch;        /* pipeline.branch, or NULL ("main") */
};

/*
 * Reads src as a manifest.  Returns the manifest (in arena) when the YAML
 * could be read at all, even with errors in its content; NULL when the
 * file is not YAML pacc reads (syntax, encoding, tabs).  Check
 * diag_has_errors() either way.
 */
struct manifest *manifest_read(const struct source *src, struct arena *arena,
			       struct diag_engine *d);

/* Finds an environment by name (exact), or NULL. */
const struct manifest_env *manifest_env_named(const struct manifest *m, const char *name);

/*
 * Days since 1970-01-01 of a calendar date written YYYY-MM-DD; false when
 * s is not exactly that or not a real date (2027-02-30).
 */
bool manifest_parse_date(const char *s, long *day);

#endif
