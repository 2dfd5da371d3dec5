/*
 * alias: the table of Azure Policy aliases — which `field` names exist, the
 * resource property each one reads, and what Azure says about it.
 *
 * A table is loaded from one or more sources, each in one of two formats
 * (told apart by the first byte that is not white space):
 *
 *  - JSON, as `az provider list --expand "resourceTypes/aliases"` prints it:
 *    an array of providers (or `{"value": [...]}` as the REST API answers,
 *    or one provider object as `az provider show` prints it), each
 *    `{"namespace": N, "resourceTypes": [{"resourceType": T, "capabilities":
 *    "SupportsTags, SupportsLocation, ...", "aliases": [{"name": A,
 *    "defaultPath": P, "paths": [{"path": P2, "apiVersions": [...]}],
 *    "defaultMetadata": {"attributes": "Modifiable"}}]}]}`.  Other members
 *    are ignored.  A resource type without an "aliases" member (or with
 *    null) is known by name only: its aliases are "not listed".  The lock
 *    file `pacc aliases` writes is this format too, with two short forms
 *    of its own for aliases without metadata: in the aliases of type T, the
 *    string "p" is {"name": "T/p", "defaultPath": "properties.p"} and the
 *    pair ["p", "d"] is {"name": "T/p", "defaultPath": "d"}; and the
 *    resource type "" is the namespace itself, which holds the few legacy
 *    aliases named namespace/property.
 *  - CSV with two columns, `alias,defaultPath`, an optional header line of
 *    exactly those words, LF or CRLF line ends, fields optionally in double
 *    quotes ("" for a quote).  The CSV carries no metadata: capabilities,
 *    the Modifiable attribute and API versions stay unknown.
 *
 * Problems in a source are reported to the diagnostics engine at their
 * place: E0901 invalid JSON (and E0002/E0004 for bad bytes) from jsonloc,
 * E0951 a malformed CSV line, E0952 a JSON value of the wrong shape (with
 * its JSON path), E0953 an alias listed twice with different default
 * paths.  The source must outlive the rendering of those diagnostics; the
 * table itself copies what it keeps.
 *
 * Names are compared ignoring ASCII case, as Azure compares them.  After
 * alias_table_finish() every lookup by name is a binary search (O(log n));
 * the aliases of one type are sorted by name so that suggestions look only
 * at one type's aliases.
 *
 * A type's name is the alias name up to its last '/' ("Microsoft.Storage/
 * storageAccounts/minimumTlsVersion" belongs to "Microsoft.Storage/
 * storageAccounts"); its namespace is the name up to the first '/'.
 */
#ifndef PACC_ALIAS_H
#define PACC_ALIAS_H

#include "pacc/arena.h"
#include "pacc/diag.h"
#include "pacc/sb.h"
#include "pacc/source.h"

#include <stdbool.h>
#include <stddef.h>

/* Something a source may or may not say. */
enum alias_tri {
	ALIAS_UNKNOWN, /* the source does not say (a CSV, or a JSON without the member) */
	ALIAS_NO,
	ALIAS_YES,
};

/* A property path used from some API versions on (the JSON `paths`). */
struct alias_path {
	const char *path;
	const char **api_versions; /* as listed */
	size_t api_version_count;
};

struct alias_type;

struct alias {
	const char *name;             /* "Microsoft.Storage/storageAccounts/minimumTlsVersion" */
	const char *property;         /* the part after the type: "minimumTlsVersion" (points into name) */
	const char *default_path;     /* "properties.minimumTlsVersion"; NULL when the source gives none */
	struct alias_path *paths;     /* per-API-version paths (JSON only) */
	size_t path_count;
	enum alias_tri modifiable;    /* defaultMetadata.attributes holds "Modifiable" */
	const char *earliest_api;     /* the lowest API version of any path; NULL when unknown */
	const struct alias_type *type;
};

struct alias_namespace;

struct alias_type {
	const char *name;             /* "Microsoft.Storage/storageAccounts" */
	const char *local;            /* "storageAccounts" (points into name) */
	const struct alias_namespace *ns;
	const struct alias **aliases; /* sorted by name ignoring case */
	size_t alias_count;
	bool listed;                  /* the source listed its aliases (even none) */
	const char *capabilities;     /* as the JSON gives it; NULL when unknown */
	enum alias_tri supports_tags;     /* from capabilities */
	enum alias_tri supports_location; /* from capabilities */
};

struct alias_namespace {
	const char *name;             /* "Microsoft.Storage" */
	const struct alias_type **types; /* sorted by name ignoring case */
	size_t type_count;
};

struct alias_raw;
struct alias_raw_type;

/* A table: alias_table_init, alias_table_load (any number of times),
 * alias_table_finish, then lookups; alias_table_release frees it all. */
struct alias_table {
	struct arena arena;           /* owns every name, alias and type */
	const struct alias **aliases; /* sorted by name ignoring case */
	size_t alias_count;
	const struct alias_type **types; /* sorted by name ignoring case */
	size_t type_count;
	const struct alias_namespace **namespaces; /* sorted by name ignoring case */
	size_t namespace_count;
	bool has_metadata;            /* some source was JSON (metadata can be known) */
	/* Loading state, freed by alias_table_finish. */
	struct alias_raw *raw;
	size_t raw_count, raw_alloc;
	struct alias_raw_type *raw_types;
	size_t raw_type_count, raw_type_alloc;
	bool finished;
};

void alias_table_init(struct alias_table *t);
void alias_table_release(struct alias_table *t);

/*
 * Adds the aliases of src (JSON or CSV, see above) to t, reporting problems
 * to d.  Returns false when src had errors; what it held up to the error
 * may have been added.  Call before alias_table_finish().
 */
bool alias_table_load(struct alias_table *t, const struct source *src, struct diag_engine *d);

/*
 * Sorts and indexes what was loaded and reports (E0953, to d) an alias
 * listed twice with different default paths.  Returns false then.  An
 * alias listed twice with the same path (ignoring case) counts once.
 */
bool alias_table_finish(struct alias_table *t, struct diag_engine *d);

/* Largest alias source pacc reads (256 MiB: a whole `az provider list`), for source_read_limit(). */
#define ALIAS_SOURCE_MAX_BYTES ((size_t)256 * 1024 * 1024)


/* ---- lookups (after alias_table_finish) ---- */

/* The alias called name (ignoring case), or NULL. */
const struct alias *alias_find(const struct alias_table *t, const char *name);

/* The type called name (ignoring case), or NULL. */
const struct alias_type *alias_type_find(const struct alias_table *t, const char *name);

/* The namespace called name (ignoring case), or NULL. */
const struct alias_namespace *alias_namespace_find(const struct alias_table *t, const char *name);

/* The type's alias whose default path is path (ignoring case), or NULL.  O(aliases of type). */
const struct alias *alias_by_path(const struct alias_type *type, const char *path);

/*
 * The property path alias a reads at api_version: the path of the `paths`
 * entry listing that version, else the default path.  api_version NULL: the
 * default path.  NULL when the source gave neither.
 */
const char *alias_path_at(const struct alias *a, const char *api_version);

/*
 * Up to max candidates closest to word by edit distance (ignoring case; at
 * most a third of word's length, 1 to 3 edits, text_edit_distance), best first, ties in table
 * order: the aliases of type compared by property (the part after the
 * type), or by default path when by_path is true.  When none is that
 * close, the shortest candidate holding word's letters in order and at most
 * half as long again (an abbreviation: "publicNetAccess").  Returns how
 * many were stored in out.  O(aliases of type * length of word).
 */
size_t alias_closest(const struct alias_type *type, const char *word, bool by_path,
		     const struct alias **out, size_t max);

/* The type of ns whose local name (after "ns/") is closest to word, as above; NULL if none. */
const struct alias_type *alias_closest_type(const struct alias_namespace *ns, const char *word);

/* The namespace closest to word, as above; NULL if none. */
const struct alias_namespace *alias_closest_namespace(const struct alias_table *t, const char *word);

/* ---- the lock file ---- */

/*
 * Appends to out the lock file of the given types (n of them, any order,
 * repeats allowed): the JSON format above with, for each namespace that
 * holds one of them, every type of the namespace by name, and the selected
 * types with their capabilities and aliases (name, defaultPath, paths,
 * defaultMetadata as far as the table knows them).  Namespaces, types and
 * aliases are sorted by name ignoring case, one alias per line, so the file
 * is byte for byte the same for the same table and selection.
 */
void alias_lock_write(const struct alias_table *t, const struct alias_type *const *types, size_t n,
		      struct sb *out);

#endif
