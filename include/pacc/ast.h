/*
 * ast: the tree the parser builds and every later pass reads.
 *
 * One pack file becomes one `struct ast_pack`.  Everything is allocated in
 * the pack's arena and lives until the generators finish; nodes are never
 * freed one by one.  Lists are singly linked in source order (`next`), with
 * an explicit count where generators want one.
 *
 * Strings in the tree are NUL-terminated, already unescaped, arena-owned
 * UTF-8; `struct ast_str` keeps the span of the literal so checks can point
 * into it.  A NULL `struct ast_str *` means "not given".
 *
 * The tree is the parse result, not yet validated: the checker (check.c)
 * reports every semantic error, and fills in the derived fields marked
 * "set by check" so generators never need to guess.  Generators receive a
 * checked pack and treat it as read-only.
 */
#ifndef PACC_AST_H
#define PACC_AST_H

#include "pacc/arena.h"
#include "pacc/source.h"

#include <stdbool.h>
#include <stddef.h>

/* A string literal or text block with its place in the source. */
struct ast_str {
	const char *s;         /* unescaped value (text blocks: dedented, see grammar/README.md) */
	size_t len;            /* bytes in s, which may contain NUL only via \u0000 */
	struct src_span span;  /* the whole literal including its quotes */
	bool is_text_block;    /* written as """...""" */
};

/* A list of strings, e.g. the `| `-separated effect names. */
struct ast_str_list {
	struct ast_str_list *next;
	struct ast_str *str;
};

/* ---- JSON values: literals, arrays, objects embedded in a pack ---- */

enum ast_json_kind {
	AST_JSON_NULL,   /* null */
	AST_JSON_BOOL,   /* true / false */
	AST_JSON_NUMBER, /* a number; text keeps the lexeme, value its double */
	AST_JSON_STRING, /* "..." or """...""" (template expressions are strings too) */
	AST_JSON_ARRAY,  /* [a, b] */
	AST_JSON_OBJECT, /* {"k": v} */
};

struct ast_json_member {
	struct ast_json_member *next;
	struct ast_str *key;
	struct ast_json *value;
};

struct ast_json {
	enum ast_json_kind kind;
	struct src_span span;
	union {
		bool boolean;                      /* AST_JSON_BOOL */
		struct {
			const char *text;          /* as written, e.g. "1.50" */
			double value;
		} number;                          /* AST_JSON_NUMBER */
		struct ast_str *string;            /* AST_JSON_STRING */
		struct {
			struct ast_json_item *items;
			size_t count;
		} array;                           /* AST_JSON_ARRAY */
		struct {
			struct ast_json_member *members;
			size_t count;
		} object;                          /* AST_JSON_OBJECT */
	} u;
};

struct ast_json_item {
	struct ast_json_item *next;
	struct ast_json *value;
};

/* ---- conditions (the policy rule's `if`, `where`, existence conditions) ---- */

/* The 19 Azure Policy condition operators, in the order Azure documents them. */
enum ast_op {
	AST_OP_EQUALS,                 /* equals, == */
	AST_OP_NOT_EQUALS,             /* notEquals, != */
	AST_OP_LIKE,                   /* like */
	AST_OP_NOT_LIKE,               /* notLike */
	AST_OP_MATCH,                  /* match */
	AST_OP_MATCH_INSENSITIVELY,    /* matchInsensitively */
	AST_OP_NOT_MATCH,              /* notMatch */
	AST_OP_NOT_MATCH_INSENSITIVELY,/* notMatchInsensitively */
	AST_OP_CONTAINS,               /* contains */
	AST_OP_NOT_CONTAINS,           /* notContains */
	AST_OP_IN,                     /* in */
	AST_OP_NOT_IN,                 /* notIn */
	AST_OP_CONTAINS_KEY,           /* containsKey */
	AST_OP_NOT_CONTAINS_KEY,       /* notContainsKey */
	AST_OP_LESS,                   /* less, < */
	AST_OP_LESS_OR_EQUALS,         /* lessOrEquals, <= */
	AST_OP_GREATER,                /* greater, > */
	AST_OP_GREATER_OR_EQUALS,      /* greaterOrEquals, >= */
	AST_OP_EXISTS,                 /* exists */
};
#define AST_OP_COUNT 19

/* Canonical Azure spelling of op ("notEquals"). */
const char *ast_op_name(enum ast_op op);
/* Looks up an Azure operator name, ignoring case; false if none. */
bool ast_op_from_name(const char *name, enum ast_op *out);

enum ast_cond_kind {
	AST_COND_ALL,   /* allOf: every child holds */
	AST_COND_ANY,   /* anyOf: some child holds */
	AST_COND_NOT,   /* not: the one child does not hold */
	AST_COND_FIELD, /* field "<alias>" <op> <value> */
	AST_COND_VALUE, /* value <json> <op> <value> */
	AST_COND_COUNT, /* count field|value ... [where] <op> <value> */
	AST_COND_JSON,  /* extra <json>: a condition in a form pacc does not model, verbatim */
};

enum ast_count_kind {
	AST_COUNT_FIELD, /* count of an alias with [*]: {"count": {"field": ...}} */
	AST_COUNT_VALUE, /* count of an array value: {"count": {"value": ..., "name": ...}} */
};

struct ast_cond {
	enum ast_cond_kind kind;
	struct src_span span;
	struct ast_cond *next; /* sibling in the parent's list */
	union {
		struct {
			struct ast_cond *children; /* linked through next */
			size_t count;
		} logical;                 /* AST_COND_ALL, AST_COND_ANY */
		struct ast_cond *negated;  /* AST_COND_NOT */
		struct {
			struct ast_str *field;     /* AST_COND_FIELD: the alias or "type", "name"... */
			struct ast_json *value;    /* AST_COND_VALUE: the left-hand value */
			struct {
				enum ast_count_kind kind;
				struct ast_str *field;     /* AST_COUNT_FIELD */
				struct ast_json *value;    /* AST_COUNT_VALUE */
				struct ast_str *name;      /* AST_COUNT_VALUE: optional iteration name */
				struct ast_cond *where;    /* optional */
			} count;                   /* AST_COND_COUNT */
			enum ast_op op;
			struct src_span op_span;
			struct ast_json *rhs;      /* the operator's operand */
		} leaf;                    /* AST_COND_FIELD, AST_COND_VALUE, AST_COND_COUNT */
		struct ast_json *json;     /* AST_COND_JSON: an object, written as it is */
	} u;
};

/* ---- parameters ---- */

/* A policy parameter, or an initiative parameter. */
struct ast_param {
	struct ast_param *next;
	struct ast_str *name;
	struct ast_str *type;          /* as written: String, Array, Object, Boolean, Integer, Float, DateTime */
	struct ast_str *display;       /* metadata.displayName */
	struct ast_str *description;   /* metadata.description */
	struct ast_str *strong_type;   /* metadata.strongType */
	struct ast_json *metadata;     /* further metadata members (object), merged after the above */
	struct ast_json *allowed;      /* allowedValues (array) */
	struct ast_json *default_value;/* defaultValue */
	struct ast_json *schema;       /* schema (object) */
	struct ast_json *extra;        /* further members of the parameter object, verbatim */
	struct src_span span;
	bool from_effect_sugar;        /* made by `effect a|b|c = a` */
	bool used;                     /* set by check: referenced by some expression */
};

/* ---- effects and their details ---- */

enum ast_effect_form {
	AST_EFFECT_NONE,       /* no effect statement (check reports it) */
	AST_EFFECT_LITERAL,    /* effect Deny */
	AST_EFFECT_PARAM,      /* effect audit|deny|disabled = audit: a parameter named "effect" */
	AST_EFFECT_EXPRESSION, /* effect "[parameters('x')]" or any string */
};

/* A Modify operation: set/add/remove. */
enum ast_modify_op {
	AST_MODIFY_ADD_OR_REPLACE, /* set "field" = value */
	AST_MODIFY_ADD,            /* add "field" = value */
	AST_MODIFY_REMOVE,         /* remove "field" */
};

struct ast_modify_operation {
	struct ast_modify_operation *next;
	enum ast_modify_op op;
	struct ast_str *field;
	struct ast_json *value;        /* NULL for remove */
	struct ast_str *condition;     /* `when "[expr]"`, optional */
	struct src_span span;
};

/* An Append entry: append "field" = value. */
struct ast_append {
	struct ast_append *next;
	struct ast_str *field;
	struct ast_json *value;
	struct src_span span;
};

/* The `related` block: details of AuditIfNotExists / DeployIfNotExists. */
struct ast_related {
	struct ast_str *type;               /* details.type */
	struct ast_json *name;              /* details.name */
	struct ast_json *resource_group;    /* details.resourceGroupName */
	struct ast_str *existence_scope;    /* details.existenceScope */
	struct ast_str *deployment_scope;   /* details.deploymentScope */
	struct ast_str *evaluation_delay;   /* details.evaluationDelay */
	struct ast_cond *existence;         /* details.existenceCondition */
	struct ast_json *role_ids;          /* details.roleDefinitionIds (array) */
	struct ast_json *deployment;        /* details.deployment (object, JSON as written) */
	struct ast_json *extra;             /* further details members (object), if any */
	struct src_span span;
};

struct ast_modify {
	struct ast_modify_operation *operations;
	size_t count;
	struct ast_json *role_ids;          /* roleDefinitionIds (array) */
	struct ast_str *conflict_effect;    /* conflictEffect */
	struct ast_json *extra;             /* further details members (object), if any */
	struct src_span span;
};

enum ast_details_kind {
	AST_DETAILS_NONE,    /* no details */
	AST_DETAILS_RELATED, /* related "type" { ... } */
	AST_DETAILS_MODIFY,  /* modify { ... } */
	AST_DETAILS_APPEND,  /* append "f" = v (one or more): details is an array */
	AST_DETAILS_JSON,    /* details <json>: any other shape, as written */
};

/* ---- tests: `test "name" { resource ... expect ... }` ---- */

/* One test case of a policy; never generated into any output. */
struct ast_test {
	struct ast_test *next;
	struct ast_str *name;
	struct ast_json *resource;      /* `resource <json>`, or NULL */
	struct ast_str *resource_file;  /* `resource file "x.json"`, relative to the pack */
	struct ast_json *parameters;    /* `parameters <json>` (object), or NULL */
	struct ast_json *related;       /* `related <json>`: a resource or an array, or NULL */
	struct ast_str *related_file;   /* `related file "x.json"`, or NULL */
	struct ast_str *api_version;    /* `apiVersion "..."`, or NULL */
	struct ast_str *expect;         /* an effect name, "compliant" or "notApplicable" */
	struct src_span span;
};

/* ---- a policy definition ---- */

/* An extra property written with `property "Key" <json>`, kept verbatim. */
struct ast_property {
	struct ast_property *next;
	struct ast_str *key;
	struct ast_json *value;
};

struct ast_policy {
	struct ast_policy *next;           /* next policy in the pack / recommendation */
	struct src_span span;              /* the `enforce` or `policy` keyword through '}' */

	struct ast_str *suffix;            /* `enforce modify {`: the name suffix, optional */
	struct ast_str *name;              /* `policy "name"` or `name "..."`; for enforce, see resolved_name */
	struct ast_str *id;                /* envelope id, optional */
	struct ast_str *display;           /* properties.displayName */
	struct ast_str *description;       /* properties.description */
	struct ast_str *policy_type;       /* properties.policyType (default Custom) */
	bool imported;                     /* `imported`: rules stricter than Azure warn */
	struct ast_str *mode;              /* properties.mode (may be absent) */
	struct ast_str *version;           /* properties.version */
	struct ast_json *versions;         /* properties.versions */
	struct ast_json *metadata;         /* properties.metadata members, as written */
	struct ast_str *message;           /* non-compliance message (initiative reference / assignment) */
	struct ast_property *properties;   /* extra properties, verbatim */
	struct ast_param *params;          /* in order; includes the effect sugar's parameter */
	size_t param_count;

	struct ast_cond *condition;        /* policyRule.if */

	enum ast_effect_form effect_form;
	struct ast_str *effect;            /* LITERAL: the name; EXPRESSION: the string */
	struct ast_str *effect_spelling;   /* LITERAL imported from JSON: the effect as the source
					    * spells it ("audit") when not canonical; else NULL */
	struct ast_param *effect_param;    /* PARAM: the parameter it made */
	struct src_span effect_span;

	enum ast_details_kind details_kind;
	union {
		struct ast_related *related;
		struct ast_modify *modify;
		struct {
			struct ast_append *entries;
			size_t count;
		} append;
		struct ast_json *json;
	} details;

	struct ast_test *tests;            /* `test` blocks, in order (not generated) */

	/* Set by check. */
	const char *resolved_name;         /* the definition's name (file name stem) */
	struct ast_recommendation *owner;  /* the recommendation of an `enforce`, else NULL */
};

/* ---- the guide: service, sections, recommendations ---- */

struct ast_link {
	struct ast_link *next;
	struct ast_str *text;
	struct ast_str *target;
	struct src_span span;
};

struct ast_text {
	struct ast_text *next;
	struct ast_str *str;
};

struct ast_recommendation {
	struct ast_recommendation *next;
	struct ast_str *id;                /* stable id, e.g. NS-2 */
	struct ast_str *title;             /* the bold directive */
	struct ast_text *texts;            /* first: the explanation; rest: extra paragraphs */
	struct ast_link *links;
	struct ast_policy *policies;       /* `enforce` blocks, in order */
	size_t policy_count;
	struct src_span span;
	struct ast_section *section;       /* set by the parser */
	struct harden_block *harden;       /* `harden "type" { ... }` blocks, in order (harden.h) */
};

struct ast_section {
	struct ast_section *next;
	struct ast_str *id;
	struct ast_str *title;
	struct ast_text *texts;            /* description paragraphs */
	struct ast_recommendation *recommendations;
	size_t recommendation_count;
	struct src_span span;
};

/* A resource type the pack governs, with its pinned API version. */
struct ast_governs {
	struct ast_governs *next;
	struct ast_str *type;              /* Microsoft.DataFactory/factories */
	struct ast_str *api_version;       /* optional: "2018-06-01" */
	struct src_span span;
};

struct ast_service {
	struct ast_str *name;              /* "Azure Data Factory" */
	struct ast_str *slug;              /* ms.service */
	struct ast_str *author;
	struct ast_str *ms_author;
	struct ast_str *date;              /* ms.date, written YYYY-MM-DD */
	struct ast_str *title;             /* optional front-matter title override */
	struct ast_str *heading;           /* optional H1 override */
	struct ast_str *description;       /* optional front-matter description override */
	struct ast_text *intro;            /* intro paragraphs */
	struct ast_str *category;          /* policy metadata category */
	struct ast_str *version;           /* pack version, policy metadata version */
	struct ast_governs *governs;
	struct ast_link *related;          /* "Related content" links */
	struct src_span span;
	struct harden_input *inputs;       /* `input` declarations, in order (harden.h) */
};

/* ---- initiatives ---- */

struct ast_group {
	struct ast_group *next;
	struct ast_str *name;
	struct ast_str *display;
	struct ast_str *category;
	struct ast_str *description;
	struct ast_str *metadata_id;       /* additionalMetadataId */
	struct ast_json *extra;            /* further members (object) */
	struct src_span span;
};

/* `parameter NAME = <json>` inside a reference: {"NAME": {"value": json}}. */
struct ast_ref_param {
	struct ast_ref_param *next;
	struct ast_str *name;
	struct ast_json *value;
	struct ast_json *raw;              /* the whole {"value":...} object when it has other members */
};

struct ast_reference {
	struct ast_reference *next;
	struct ast_str *ref_id;            /* policyDefinitionReferenceId */
	struct ast_str *target;            /* a policy name in this pack, or a full definition id */
	struct ast_str *definition_version;/* definitionVersion */
	struct ast_json *groups;           /* groupNames (array) */
	struct ast_ref_param *params;
	bool params_present;               /* `parameters {}` given even if empty */
	struct ast_json *extra;            /* further members (object) */
	struct src_span span;
	struct ast_policy *resolved;       /* set by check: the local policy, or NULL for an id */
};

struct ast_initiative {
	struct ast_initiative *next;
	struct ast_str *name;
	struct ast_str *id;
	struct ast_str *display;
	struct ast_str *description;
	struct ast_str *policy_type;
	bool imported;                     /* `imported`, as for policies */
	struct ast_str *version;
	struct ast_json *versions;
	struct ast_json *metadata;
	struct ast_property *properties;
	struct ast_param *params;
	struct ast_group *groups;
	struct ast_reference *references;
	struct src_span span;
};

/* ---- the pack ---- */

struct ast_pack {
	struct arena *arena;               /* owns every node */
	const struct source *src;
	const char *name;                  /* the pack's name: file base name without .pacc */
	struct ast_service *service;       /* NULL: a policy library without a guide */
	struct ast_section *sections;
	size_t section_count;
	struct ast_policy *policies;       /* top-level `policy` declarations */
	struct ast_initiative *initiatives;/* top-level `initiative` declarations */
	/* The importer's tail pointers (NULL until its first append, and then
	 * the `next` of the last declaration it appended): appending n imported
	 * declarations walks no list, so importing stays linear. */
	struct ast_policy **policies_tail;
	struct ast_initiative **initiatives_tail;
};

/* Constructors used by the parser and the importer; all allocate in a. */
struct ast_str *ast_str_new(struct arena *a, const char *s, size_t len, struct src_span span);
struct ast_json *ast_json_new(struct arena *a, enum ast_json_kind kind, struct src_span span);
struct ast_cond *ast_cond_new(struct arena *a, enum ast_cond_kind kind, struct src_span span);

/*
 * Deep equality of two JSON values: same kind, numbers by value, arrays
 * element by element in order, objects with the same keys (in any order,
 * keys compared byte for byte) and equal values.  Strings compare byte for
 * byte, or ignoring ASCII case when fold_case is true.  Two NULLs are
 * equal; NULL and a value are not.
 */
bool ast_json_equal(const struct ast_json *a, const struct ast_json *b, bool fold_case);

/* True when p remediates: Modify details, or a `related` block with a
 * deployment (DeployIfNotExists).  Such a policy needs the assignment's
 * managed identity and the roles its roleDefinitionIds name. */
bool ast_policy_remediates(const struct ast_policy *p);

/* Canonical Azure spelling of an effect name (any case in, e.g. "auditIfNotExists" ->
 * "AuditIfNotExists"); NULL when name is no effect Azure knows. */
const char *ast_effect_canonical(const char *name);

#endif
