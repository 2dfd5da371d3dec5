#include "pacc/cmd_eval.h"

#include "pacc/check.h"
#include "pacc/ealias.h"
#include "pacc/epack.h"
#include "pacc/eval.h"
#include "pacc/evalue.h"
#include "pacc/import.h"
#include "pacc/json.h"
#include "pacc/parse.h"
#include "pacc/sb.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

const struct cli_option cmd_eval_options[EVAL_OPT_COUNT] = {
	[EVAL_OPT_DEFINITION] = { "definition", 'd', "FILE",
				  "a pack (.pacc) or an Azure Policy definition (JSON)" },
	[EVAL_OPT_POLICY] = { "policy", 'p', "NAME", "the pack's policy to evaluate (name, name "
						      "suffix or recommendation id)" },
	[EVAL_OPT_RESOURCE] = { "resource", 'r', "FILE", "the ARM JSON of one resource" },
	[EVAL_OPT_RESOURCES] = { "resources", 0, "FILE",
				 "an inventory: a JSON array of resources (az graph query, az "
				 "resource list)" },
	[EVAL_OPT_PARAMETERS] = { "parameters", 0, "FILE",
				  "parameter values: {\"name\": value} or {\"name\": {\"value\": v}}" },
	[EVAL_OPT_API_VERSION] = { "api-version", 0, "V", "the request's API version" },
	[EVAL_OPT_RELATED] = { "related", 0, "FILE",
			       "related resources for *IfNotExists: one resource or an array; "
			       "repeat it for several files" },
	[EVAL_OPT_FORMAT] = { "format", 0, "FORMAT", "text (default) or json" },
	[EVAL_OPT_NOW] = { "now", 0, "DATETIME", "the value of utcNow() (default: the clock)" },
	[EVAL_OPT_ALIASES] = { "aliases", 0, "FILE",
			       "resolve aliases through FILE (default: " CMD_ALIASES_LOCK_NAME
			       " beside the definition)" },
};

/* ---- loading ---- */

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Inventories are bigger than packs: up to 1 GiB is read. */
#define EVAL_MAX_JSON_BYTES ((size_t)1024 * 1024 * 1024)

/* The whole of path ("-": standard input) in one malloc'd buffer, read in
 * place: a regular file's size is known up front, so an inventory is
 * neither copied nor grown.  NULL with errno, or *too_large. */
static char *read_whole(const char *path, size_t *len, bool *too_large)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	*too_large = false;
	*len = 0;
	if (!f)
		return NULL;
	struct stat st;
	size_t cap = 1 << 16;
	if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
		cap = (uintmax_t)st.st_size < EVAL_MAX_JSON_BYTES ? (size_t)st.st_size + 1
								  : EVAL_MAX_JSON_BYTES;
	char *buf = xmalloc(cap);
	for (;;) {
		if (*len == cap) {
			if (cap >= EVAL_MAX_JSON_BYTES) {
				*too_large = true;
				break;
			}
			cap = cap * 2 < EVAL_MAX_JSON_BYTES ? cap * 2 : EVAL_MAX_JSON_BYTES;
			buf = xrealloc(buf, cap);
		}
		size_t got = fread(buf + *len, 1, cap - *len, f);
		*len += got;
		if (got == 0)
			break;
	}
	bool bad = ferror(f) != 0;
	int saved = errno;
	if (f != stdin)
		fclose(f);
	if (bad || *too_large) {
		free(buf);
		errno = saved;
		return NULL;
	}
	return buf;
}

/*
 * While an inventory is parsed, cJSON allocates every node and string from
 * one arena: a bulk run then makes a few thousand chunk allocations rather
 * than millions of mallocs, and frees the tree at once.  cJSON's hooks take
 * no context, so the arena is reached through this variable, set only for
 * the duration of one parse.
 */
static struct arena *parse_arena;

static void *parse_alloc(size_t n)
{
	return arena_alloc(parse_arena, n);
}

static void parse_free(void *p)
{
	(void)p; /* the arena frees everything at once */
}

/* Reads path as JSON; with a (not NULL) every node lives in a, and the
 * tree must never be given to cJSON_Delete. */
static int read_json_in(const struct cli *cli, const char *path, const char *what, struct arena *a,
			cJSON **out)
{
	*out = NULL;
	bool too_large;
	size_t len;
	char *text = read_whole(path, &len, &too_large);
	if (too_large) {
		cli_error(cli, "%s '%s' is larger than 1 GiB", what, path);
		return CLI_EXIT_USAGE;
	}
	if (!text) {
		cli_error(cli, "cannot read %s '%s': %s", what, path, strerror(errno));
		return CLI_EXIT_USAGE;
	}
	const char *end = NULL;
	if (a) {
		cJSON_Hooks hooks = { parse_alloc, parse_free };
		parse_arena = a;
		cJSON_InitHooks(&hooks);
	}
	*out = cJSON_ParseWithLengthOpts(text, len, &end, false);
	if (a) {
		cJSON_InitHooks(NULL);
		parse_arena = NULL;
	}
	if (!*out) {
		size_t off = end && end >= text ? (size_t)(end - text) : 0;
		/* A view of the buffer, only to count lines and columns. */
		struct source view = { NULL, (const unsigned char *)text, NULL, len };
		struct src_pos pos = source_pos_at(&view, off);
		cli_error(cli, "%s '%s' is not valid JSON (at %u:%u)", what, path, pos.line, pos.col);
		free(text);
		return CLI_EXIT_USAGE;
	}
	free(text);
	return CLI_EXIT_OK;
}

int eval_read_json(const struct cli *cli, const char *path, const char *what, cJSON **out)
{
	return read_json_in(cli, path, what, NULL, out);
}

int eval_defs_load(const struct cli *cli, const char *path, const char *aliases_path,
		   struct eval_defs *defs, struct diag_engine *d)
{
	memset(defs, 0, sizeof(*defs));
	arena_init(&defs->arena);
	cmd_aliases_locks_init(&defs->locks, aliases_path);
	switch (source_read(path, &defs->src)) {
	case SOURCE_OK:
		break;
	case SOURCE_IO_ERROR:
		cli_error(cli, "cannot read '%s': %s", path, strerror(errno));
		return CLI_EXIT_USAGE;
	case SOURCE_TOO_LARGE:
		cli_error(cli, "'%s' is larger than %zu MiB", path, SOURCE_MAX_BYTES / (1024 * 1024));
		return CLI_EXIT_USAGE;
	}
	int status = CLI_EXIT_OK;
	const struct alias_table *table = cmd_aliases_locks_for(&defs->locks, path, d, cli->err, &status);
	if (status != CLI_EXIT_OK)
		return status;
	if (table) {
		ealias_resolver(&defs->resolver, table);
		defs->aliases = &defs->resolver;
	}
	char *name = cli_pack_name(path);
	if (ends_with(path, ".pacc")) {
		defs->is_pack = true;
		size_t before = d->errors;
		defs->pack = parse_pack(defs->src, name, &defs->arena, d);
		if (d->errors == before)
			check_pack_with_aliases(defs->pack, table, d);
	} else {
		const char *stem = strrchr(name, '/');
		stem = stem ? stem + 1 : name;
		char *env = eval_definition_envelope((const char *)defs->src->text, defs->src->len,
						     ends_with(stem, ".json") ? "definition" : stem);
		const struct source *from = defs->src;
		if (env) {
			defs->wrapped = source_from_memory(defs->src->name, env, strlen(env));
			free(env);
			from = defs->wrapped;
		}
		/* Azure's own checks, not pacc's authoring rules (a display name and
		 * such): a definition that imports can be evaluated. */
		defs->pack = import_pack_new(&defs->arena, "definition");
		if (import_source(defs->pack, from, "definition", d))
			for (struct ast_policy *p = defs->pack->policies; p; p = p->next)
				p->resolved_name = p->name ? p->name->s : "definition";
	}
	free(name);
	if (diag_has_errors(d))
		return CLI_EXIT_INPUT;
	defs->policies = epack_policies(defs->pack, &defs->count);
	return CLI_EXIT_OK;
}

void eval_defs_release(struct eval_defs *defs)
{
	free(defs->policies);
	cmd_aliases_locks_release(&defs->locks);
	arena_release(&defs->arena);
	source_free(defs->src);
	source_free(defs->wrapped);
	memset(defs, 0, sizeof(*defs));
}

/* ---- output ---- */

static void span_text(struct sb *out, struct src_span sp)
{
	if (sp.src)
		sb_addf(out, "%s:%u:%u", sp.src->name, sp.begin.line, sp.begin.col);
}

/* A trace value as JSON: the value itself, or a note that it is missing;
 * a value cut short for the trace stays a string. */
static void add_value(cJSON *o, const char *key, const char *text)
{
	if (!text)
		return;
	if (strcmp(text, "<missing>") == 0) {
		json_add(o, key, cJSON_CreateNull());
		char *k = xmalloc(strlen(key) + 8);
		sprintf(k, "%sMissing", key);
		json_add(o, k, json_bool(true));
		free(k);
		return;
	}
	cJSON *v = cJSON_Parse(text);
	json_add(o, key, v ? v : json_string(text));
}

static cJSON *result_json(const char *policy, const struct eval_result *r)
{
	cJSON *o = json_object();
	if (policy)
		json_add_string(o, "policy", policy);
	json_add(o, "applicable", json_bool(r->applicable));
	json_add(o, "if", json_bool(r->if_value));
	json_add(o, "effect", r->effect ? json_string(r->effect) : cJSON_CreateNull());
	json_add_string(o, "compliance", eval_compliance_name(r->compliance));
	if (r->reason)
		json_add_string(o, "reason", r->reason);
	if (r->error)
		json_add_string(o, "error", r->error);
	cJSON *trace = json_array();
	for (size_t i = 0; i < r->step_count; i++) {
		const struct eval_step *s = &r->steps[i];
		cJSON *t = json_object();
		json_add_string(t, "condition", s->what);
		add_value(t, "actual", s->actual);
		add_value(t, "expected", s->expected);
		json_add(t, "result", json_bool(s->result));
		if (s->note)
			json_add_string(t, "note", s->note);
		if (s->depth)
			json_add(t, "depth", cJSON_CreateNumber(s->depth));
		if (s->span.src) {
			struct sb at = SB_INIT;
			span_text(&at, s->span);
			json_add_string(t, "at", at.buf);
			sb_release(&at);
		}
		json_push(trace, t);
	}
	json_add(o, "trace", trace);
	if (r->modified)
		json_add(o, "modified", cJSON_Duplicate(r->modified, true));
	return o;
}

void eval_print_text(FILE *out, const char *policy, const struct eval_result *r, const char *indent,
		     bool verdict)
{
	if (verdict) {
		if (policy)
			fprintf(out, "policy '%s': ", policy);
		fprintf(out, "%s\n", eval_compliance_name(r->compliance));
	}
	if (r->reason)
		fprintf(out, "%s  %s\n", indent, r->reason);
	for (size_t i = 0; i < r->step_count; i++) {
		const struct eval_step *s = &r->steps[i];
		struct sb line = SB_INIT;
		sb_addchars(&line, ' ', 2 + 2 * (size_t)s->depth);
		if (s->span.src) {
			span_text(&line, s->span);
			sb_adds(&line, ": ");
		}
		if (strcmp(s->what, "note") == 0) {
			sb_addf(&line, "note: %s", s->note);
		} else {
			sb_addf(&line, "%s %s: %s", s->what, s->expected ? s->expected : "",
				s->result ? "true" : "false");
			if (s->actual)
				sb_addf(&line, " (actual %s)", s->actual);
			if (s->note)
				sb_addf(&line, "; note: %s", s->note);
		}
		fprintf(out, "%s%s\n", indent, line.buf);
		sb_release(&line);
	}
	if (r->modified) {
		char *m = cJSON_PrintUnformatted(r->modified);
		fprintf(out, "%s  resource after the operations: %s\n", indent, m ? m : "?");
		free(m);
	}
}

/* ---- running ---- */

struct run_opts {
	const cJSON *parameters;
	const char *api_version;
	const char *now;
	const cJSON *const *related;
	size_t related_count;
	bool json;
};

static const char *policy_name(const struct ast_policy *p)
{
	return p->resolved_name ? p->resolved_name : p->name ? p->name->s : "definition";
}

static int eval_one(const struct cli *cli, const struct eval_defs *defs,
		    const struct ast_policy *const *pols, size_t n, const cJSON *resource,
		    const struct run_opts *o)
{
	cJSON *all = json_array();
	int status = CLI_EXIT_OK;
	for (size_t i = 0; i < n; i++) {
		char *err = NULL;
		const char *api = o->api_version ? o->api_version
				  : defs->is_pack ? epack_api_version(defs->pack, pols[i]) : NULL;
		struct eval_policy *ep = eval_policy_compile(pols[i], defs->aliases, api, &err);
		if (!ep) {
			cli_error(cli, "policy '%s': %s", policy_name(pols[i]), err);
			free(err);
			status = CLI_EXIT_INPUT;
			continue;
		}
		struct eval_input in = { .resource = resource,
					 .parameters = o->parameters,
					 .api_version = o->api_version,
					 .related = o->related,
					 .related_count = o->related_count,
					 .now = o->now,
					 .trace = true };
		struct eval_result r;
		eval_run(ep, &in, &r);
		if (r.compliance == EVAL_ERROR)
			status = CLI_EXIT_INPUT;
		const char *label = n > 1 || defs->is_pack ? policy_name(pols[i]) : NULL;
		if (o->json)
			json_push(all, result_json(label, &r));
		else
			eval_print_text(cli->out, label, &r, "", true);
		eval_result_release(&r);
		eval_policy_free(ep);
	}
	if (o->json) {
		struct sb s = SB_INIT;
		json_print(n == 1 ? all->child : all, &s);
		fputs(s.buf, cli->out);
		sb_release(&s);
	}
	cJSON_Delete(all);
	return status;
}

/* ---- inventories ---- */

static const char *str_of(const cJSON *o, const char *k)
{
	const cJSON *v = evalue_member(o, k);
	return cJSON_IsString(v) ? v->valuestring : "";
}

/* A resource of the inventory with the members every policy reads. */
struct inv_item {
	const cJSON *json;
	const char *id;
	char *key;      /* id in lower case, for the related-resource index */
	size_t key_len;
	size_t type;    /* index into the inventory's distinct types */
	size_t self;    /* its index in the inventory */
};

static int cmp_ids(const void *a, const void *b)
{
	return strcmp(((const struct inv_item *)a)->key, ((const struct inv_item *)b)->key);
}

static char *lower_dup(const char *s)
{
	char *t = strdup(s);
	if (!t)
		die_oom();
	for (char *p = t; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return t;
}

/* The related candidates of the resource at position at of the inventory
 * sorted by id: resources below its id (children, extension resources such
 * as diagnostic settings), which follow it in that order.  O(the
 * candidates), no search. */
static size_t related_of(const struct inv_item *sorted, size_t n, size_t at, const cJSON **out,
			 size_t cap)
{
	const char *key = sorted[at].key;
	size_t len = sorted[at].key_len, k = 0;
	if (!len)
		return 0;
	size_t lo = at + 1;
	while (lo < n && strcmp(sorted[lo].key, key) == 0) /* the same id listed again */
		lo++;
	for (size_t i = lo; i < n && k < cap; i++) {
		if (strncmp(sorted[i].key, key, len) != 0)
			break;
		if (sorted[i].key[len] == '/')
			out[k++] = sorted[i].json;
	}
	return k;
}

/* One policy of a bulk run. */
struct inv_policy {
	struct eval_policy *ep;  /* NULL: it did not compile */
	size_t tally[4];         /* per enum eval_compliance */
	size_t *bad;             /* text report: the non-compliant resources, by index */
	struct sb bad_text;      /* JSON report: their ids as a JSON array (add_id) */
	size_t bad_count, bad_alloc;
	cJSON *errors;           /* the first errors */
	size_t error_samples;
	bool ine;                /* *IfNotExists: related resources are looked up */
	char *effect;            /* the effect of its first evaluation */
};

/*
 * Appends id as element i of the JSON array text in *out, laid out as
 * json_print() lays out a report's "nonCompliantResources" (the array at
 * depth 3, elements at depth 4) and escaped as cJSON escapes strings.  A
 * report may list hundreds of thousands of ids; printing each through
 * json_print's per-scalar path cost more than evaluating them.
 */
static void add_id(struct sb *out, size_t i, const char *id)
{
	sb_adds(out, i ? ",\n        \"" : "[\n        \"");
	sb_add_escaped(out, id, strlen(id), false);
	sb_addch(out, '"');
}

static int eval_inventory(const struct cli *cli, const struct eval_defs *defs,
			  const struct ast_policy *const *pols, size_t n, const cJSON *inv,
			  const struct run_opts *o)
{
	if (cJSON_IsObject(inv) && cJSON_IsArray(cJSON_GetObjectItem(inv, "data")))
		inv = cJSON_GetObjectItem(inv, "data");
	if (!cJSON_IsArray(inv)) {
		cli_error(cli, "the inventory must be a JSON array of resources (or {\"data\": [...]})");
		return CLI_EXIT_USAGE;
	}
	/* One clock reading for the whole inventory. */
	char now[48];
	if (!o->now) {
		time_t t = time(NULL);
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%S.0000000Z", &tm);
	}
	/* One walk over the inventory (counting it first would be a second). */
	size_t count = 0, alloc = 0, i = 0;
	struct inv_item *items = NULL;
	/* Distinct types: few, so a policy's type verdict is taken once per type. */
	const char **types = NULL;
	size_t ntypes = 0, atypes = 0;
	for (const cJSON *e = inv->child; e; e = e->next, i++) {
		if (i == alloc)
			items = xrealloc(items, (alloc = alloc ? 2 * alloc : 1024) * sizeof(*items));
		count = i + 1;
		items[i].json = e;
		items[i].id = str_of(e, "id");
		items[i].key = lower_dup(items[i].id);
		items[i].key_len = strlen(items[i].key);
		items[i].self = i;
		const char *t = str_of(e, "type");
		size_t k = ntypes;
		while (k > 0 && strcmp(types[k - 1], t) != 0)
			k--;
		if (k == 0) {
			if (ntypes == atypes)
				types = xrealloc(types, (atypes = atypes ? atypes * 2 : 16) * sizeof(*types));
			types[ntypes++] = t;
			k = ntypes;
		}
		items[i].type = k - 1;
	}
	const cJSON **rel = xcalloc(256, sizeof(*rel));
	struct inv_item *sorted = NULL;
	size_t *sorted_at = NULL; /* per resource, its position in sorted */
	for (size_t p = 0; p < n && !sorted; p++)
		if (pols[p]->details_kind == AST_DETAILS_RELATED) {
			sorted = xcalloc(count + 1, sizeof(*sorted));
			memcpy(sorted, items, count * sizeof(*sorted));
			qsort(sorted, count, sizeof(*sorted), cmp_ids);
			sorted_at = xcalloc(count + 1, sizeof(*sorted_at));
			for (size_t k = 0; k < count; k++)
				sorted_at[sorted[k].self] = k;
		}
	cJSON *report = json_object();
	json_add(report, "resources", cJSON_CreateNumber((double)count));
	cJSON *plist = json_array();
	int status = CLI_EXIT_OK;
	/* Every policy compiled once, with its tallies. */
	struct inv_policy *ip = xcalloc(n + 1, sizeof(*ip));
	bool *excluded = xcalloc(n * ntypes + 1, sizeof(*excluded));
	for (size_t p = 0; p < n; p++) {
		char *err = NULL;
		const char *api = o->api_version ? o->api_version
				  : defs->is_pack ? epack_api_version(defs->pack, pols[p]) : NULL;
		ip[p].ep = eval_policy_compile(pols[p], defs->aliases, api, &err);
		if (!ip[p].ep) {
			cli_error(cli, "policy '%s': %s", policy_name(pols[p]), err);
			free(err);
			status = CLI_EXIT_INPUT;
			continue;
		}
		ip[p].errors = json_array();
		ip[p].ine = pols[p]->details_kind == AST_DETAILS_RELATED;
		ip[p].bad_text = (struct sb)SB_INIT;
		for (size_t t = 0; t < ntypes; t++)
			excluded[p * ntypes + t] = eval_policy_type_excluded(ip[p].ep, types[t]);
	}
	/* Resource by resource, every policy: a resource is read from memory
	 * once for all policies rather than once per policy. */
	for (size_t r = 0; r < count; r++) {
		size_t nrel = SIZE_MAX;
		for (size_t p = 0; p < n; p++) {
			struct inv_policy *q = &ip[p];
			if (!q->ep)
				continue;
			if (excluded[p * ntypes + items[r].type]) {
				q->tally[EVAL_NOT_APPLICABLE]++;
				continue;
			}
			struct eval_input in = { .resource = items[r].json,
						 .parameters = o->parameters,
						 .api_version = o->api_version,
						 .now = o->now ? o->now : now };
			if (q->ine) {
				if (nrel == SIZE_MAX)
					nrel = related_of(sorted, count, sorted_at[r], rel, 256);
				in.related = rel;
				in.related_count = nrel;
			}
			struct eval_result res;
			eval_run(q->ep, &in, &res);
			q->tally[res.compliance]++;
			if (!q->effect && res.effect)
				q->effect = strdup(res.effect);
			if (res.compliance == EVAL_NON_COMPLIANT && o->json) {
				/* Written now, while the id is in the cache. */
				add_id(&q->bad_text, q->bad_count++, items[r].id);
			} else if (res.compliance == EVAL_NON_COMPLIANT) {
				if (q->bad_count == q->bad_alloc)
					q->bad = xrealloc(q->bad, (q->bad_alloc = q->bad_alloc ? 2 * q->bad_alloc : 64) *
									  sizeof(*q->bad));
				q->bad[q->bad_count++] = r;
			} else if (res.compliance == EVAL_ERROR && q->error_samples < 20) {
				cJSON *e = json_object();
				json_add_string(e, "id", items[r].id);
				json_add_string(e, "error", res.error ? res.error : "");
				json_push(q->errors, e);
				q->error_samples++;
			}
			eval_result_release(&res);
		}
	}
	if (!o->json)
		fprintf(cli->out, "%zu resources\n", count);
	for (size_t p = 0; p < n; p++) {
		struct inv_policy *q = &ip[p];
		if (!q->ep)
			continue;
		if (!o->json) {
			fprintf(cli->out, "policy '%s': %zu non-compliant, %zu compliant, %zu not applicable%s\n",
				policy_name(pols[p]), q->bad_count, q->tally[EVAL_COMPLIANT],
				q->tally[EVAL_NOT_APPLICABLE], q->tally[EVAL_ERROR] ? ", with errors" : "");
			for (size_t k = 0; k < q->bad_count; k++)
				fprintf(cli->out, "  %s\n", items[q->bad[k]].id);
			cJSON_Delete(q->errors);
		} else {
			cJSON *po = json_object();
			json_add_string(po, "policy", policy_name(pols[p]));
			json_add(po, "effect", q->effect ? json_string(q->effect) : cJSON_CreateNull());
			json_add(po, "compliant", cJSON_CreateNumber((double)q->tally[EVAL_COMPLIANT]));
			json_add(po, "nonCompliant", cJSON_CreateNumber((double)q->tally[EVAL_NON_COMPLIANT]));
			json_add(po, "notApplicable", cJSON_CreateNumber((double)q->tally[EVAL_NOT_APPLICABLE]));
			json_add(po, "errors", cJSON_CreateNumber((double)q->tally[EVAL_ERROR]));
			struct sb text = q->bad_text;
			sb_adds(&text, q->bad_count ? "\n      ]" : "[]");
			/* The text moves into the item (cJSON frees it with free()),
			 * so the largest part of a report is not copied. */
			cJSON *ids = cJSON_CreateRaw("");
			if (!ids)
				die_oom();
			free(ids->valuestring);
			ids->valuestring = sb_detach(&text, NULL);
			json_add(po, "nonCompliantResources", ids);
			if (q->errors->child)
				json_add(po, "errorSamples", q->errors);
			else
				cJSON_Delete(q->errors);
			json_push(plist, po);
		}
		free(q->effect);
		free(q->bad);
		eval_policy_free(q->ep);
	}
	free(ip);
	json_add(report, "policies", plist);
	if (o->json) {
		struct sb s = SB_INIT;
		json_print(report, &s);
		fputs(s.buf, cli->out);
		sb_release(&s);
	}
	cJSON_Delete(report);
	free(rel);
	free(sorted);
	free(sorted_at);
	for (size_t k = 0; k < count; k++)
		free(items[k].key);
	free(excluded);
	free(types);
	free(items);
	return status;
}

int cmd_eval_run(const struct cli *cli, const struct cli_args *args)
{
	const char *const *v = args->values;
	const char *def = v[EVAL_OPT_DEFINITION];
	const char *one = v[EVAL_OPT_RESOURCE], *inv = v[EVAL_OPT_RESOURCES];
	const char *format = v[EVAL_OPT_FORMAT] ? v[EVAL_OPT_FORMAT] : "text";
	if (!def || (!one && !inv) || (one && inv) || args->operand_count ||
	    (strcmp(format, "text") != 0 && strcmp(format, "json") != 0)) {
		cli_error(cli, "%s", !def ? "--definition FILE is required"
				  : args->operand_count ? "unexpected operand"
				  : (one && inv) ? "give --resource or --resources, not both"
				  : (!one && !inv) ? "--resource FILE or --resources FILE is required"
						  : "--format must be text or json");
		fputs("usage: pacc eval --definition FILE (--resource FILE | --resources FILE) "
		      "[options]\nrun 'pacc help eval' for details\n",
		      cli->err);
		return CLI_EXIT_USAGE;
	}
	struct diag_engine d;
	cli_diag_init(cli, &d);
	struct eval_defs defs;
	int status = eval_defs_load(cli, def, v[EVAL_OPT_ALIASES], &defs, &d);
	if (status != CLI_EXIT_OK) {
		cli_render(cli, &d);
		diag_release(&d);
		eval_defs_release(&defs);
		return status;
	}
	cli_render(cli, &d);
	cJSON *params = NULL, *resource = NULL;
	if (v[EVAL_OPT_PARAMETERS])
		status = eval_read_json(cli, v[EVAL_OPT_PARAMETERS], "parameters", &params);
	/* --related accumulates: every file given adds its resources. */
	const char *last_related[1] = { v[EVAL_OPT_RELATED] };
	struct cli_values one_related = { last_related, v[EVAL_OPT_RELATED] ? 1 : 0 };
	const struct cli_values *rel_files = args->all ? &args->all[EVAL_OPT_RELATED] : &one_related;
	cJSON *related = json_array();
	for (size_t i = 0; status == CLI_EXIT_OK && i < rel_files->count; i++) {
		cJSON *file = NULL;
		status = eval_read_json(cli, rel_files->items[i], "related resources", &file);
		if (file)
			json_push(related, file);
	}
	/* An inventory lives in an arena (read_json_in): released, not deleted. */
	struct arena inv_arena;
	arena_init(&inv_arena);
	if (status == CLI_EXIT_OK)
		status = read_json_in(cli, one ? one : inv, one ? "resource" : "inventory",
				      one ? NULL : &inv_arena, &resource);
	const struct ast_policy *const *pols = defs.policies;
	size_t n = defs.count;
	const struct ast_policy *chosen = NULL;
	if (status == CLI_EXIT_OK && v[EVAL_OPT_POLICY]) {
		chosen = epack_find(defs.pack, v[EVAL_OPT_POLICY]);
		if (!chosen) {
			cli_error(cli, "'%s' names no single policy of '%s'", v[EVAL_OPT_POLICY], def);
			for (size_t i = 0; i < n; i++)
				fprintf(cli->err, "  %s\n", policy_name(pols[i]));
			status = CLI_EXIT_USAGE;
		} else {
			pols = &chosen;
			n = 1;
		}
	}
	if (status == CLI_EXIT_OK && n == 0) {
		cli_error(cli, "'%s' holds no policy", def);
		status = CLI_EXIT_INPUT;
	}
	if (status == CLI_EXIT_OK) {
		/* Each file is one resource or an array of them. */
		size_t nrel = 0, cap = 0;
		for (const cJSON *file = related->child; file; file = file->next)
			cap += cJSON_IsArray(file) ? (size_t)cJSON_GetArraySize(file) : 1;
		const cJSON **rel = xcalloc(cap + 1, sizeof(*rel));
		for (const cJSON *file = related->child; file; file = file->next) {
			if (!cJSON_IsArray(file))
				rel[nrel++] = file;
			for (const cJSON *e = cJSON_IsArray(file) ? file->child : NULL; e; e = e->next)
				rel[nrel++] = e;
		}
		struct run_opts o = { params, v[EVAL_OPT_API_VERSION], v[EVAL_OPT_NOW], rel, nrel,
				      strcmp(format, "json") == 0 };
		status = one ? eval_one(cli, &defs, pols, n, resource, &o)
			     : eval_inventory(cli, &defs, pols, n, resource, &o);
		free(rel);
	}
	cJSON_Delete(params);
	cJSON_Delete(related);
	if (one)
		cJSON_Delete(resource);
	arena_release(&inv_arena);
	diag_release(&d);
	eval_defs_release(&defs);
	return status;
}
