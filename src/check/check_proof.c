#include "pacc/check_proof.h"

#include "pacc/ealias.h"
#include "pacc/epack.h"
#include "pacc/eval.h"
#include "pacc/harden.h"
#include "pacc/json.h"
#include "pacc/strmap.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The value a `set` writes: its JSON, or a stand-in for an input. */
static cJSON *setting_value(const struct harden_value *v)
{
	if (v->json)
		return json_from_ast(v->json);
	const struct harden_input *in = v->input;
	if (in && in->default_value)
		return json_from_ast(in->default_value);
	const char *t = in && in->type ? in->type->s : "String";
	if (strcasecmp(t, "Boolean") == 0)
		return json_bool(true);
	if (strcasecmp(t, "Integer") == 0)
		return cJSON_CreateNumber(1);
	if (strcasecmp(t, "Array") == 0)
		return json_array();
	if (strcasecmp(t, "Object") == 0)
		return json_object();
	struct sb s = SB_INIT;
	sb_addf(&s, "<input.%s>", v->input_name ? v->input_name->s : "?");
	cJSON *r = json_string(s.buf);
	sb_release(&s);
	return r;
}

/*
 * The members of the resource a proof builds, by (object, key), so that each
 * step of a `set` path is one hash lookup: cJSON_GetObjectItem walks an
 * object's members, and N settings under one object cost N^2 that way.
 * Keys fold case as cJSON_GetObjectItem's do (the first of equal keys
 * wins, as there) and are copied into the arena.  A member put_path
 * replaces is detached into the graveyard, not freed, so no address the
 * index holds is reused while it lives.
 */
struct pindex {
	struct strmap map; /* (object, key) -> member */
	struct arena keys;
	cJSON *graveyard;  /* replaced members */
};

static void pindex_set(struct pindex *x, const cJSON *obj, const char *key, size_t len, cJSON *item,
		       bool replace)
{
	if (strmap_get(&x->map, obj, key, len)) {
		if (replace)
			*strmap_slot(&x->map, obj, key, len, NULL) = item;
		return;
	}
	/* the map borrows its keys: a copy lives as long as it */
	*strmap_slot(&x->map, obj, arena_strndup(&x->keys, key, len), len, NULL) = item;
}

/* Indexes the members of obj and of the objects below it. */
static void pindex_add_tree(struct pindex *x, const cJSON *obj)
{
	for (cJSON *m = obj->child; m; m = m->next) {
		if (m->string)
			pindex_set(x, obj, m->string, strlen(m->string), m, false);
		if (cJSON_IsObject(m))
			pindex_add_tree(x, m);
	}
}

static void pindex_init(struct pindex *x, const cJSON *res)
{
	x->map = (struct strmap)STRMAP_INIT(true);
	arena_init(&x->keys);
	x->graveyard = json_array();
	pindex_add_tree(x, res);
}

static void pindex_release(struct pindex *x)
{
	strmap_release(&x->map);
	arena_release(&x->keys);
	cJSON_Delete(x->graveyard);
}

/* The member of obj called key (ignoring case), or NULL. */
static cJSON *pindex_get(const struct pindex *x, const cJSON *obj, const char *key, size_t len)
{
	return strmap_get(&x->map, obj, key, len);
}

/* Adds item to obj under key after taking out the member old (NULL: none). */
static void pindex_put(struct pindex *x, cJSON *obj, cJSON *old, const char *key, size_t len, cJSON *item)
{
	if (old)
		json_push(x->graveyard, cJSON_DetachItemViaPointer(obj, old));
	json_add(obj, key, item);
	pindex_set(x, obj, key, len, item, true);
	if (cJSON_IsObject(item))
		pindex_add_tree(x, item);
}

/*
 * Writes value at the dotted path below res, creating objects on the way.
 * O(length of path): each step is a lookup in x.
 */
static void put_path(struct pindex *x, cJSON *res, const char *path, cJSON *value)
{
	cJSON *at = res;
	const char *p = path;
	for (;;) {
		const char *dot = strchr(p, '.');
		size_t n = dot ? (size_t)(dot - p) : strlen(p);
		char key[256];
		if (n >= sizeof key) {
			cJSON_Delete(value);
			return;
		}
		memcpy(key, p, n);
		key[n] = '\0';
		cJSON *next = pindex_get(x, at, key, n);
		if (!dot) {
			pindex_put(x, at, next, key, n, value);
			return;
		}
		if (!cJSON_IsObject(next)) {
			cJSON *fresh = json_object();
			pindex_put(x, at, next, key, n, fresh);
			next = fresh;
		}
		at = next;
		p = dot + 1;
	}
}

/* `identity { system = true user = ... }` statements: identity.type (and the
 * user-assigned identities) as the module deploys them. */
static void add_identities(struct pindex *x, cJSON *res, const struct harden_block *hb)
{
	bool sys = false, user = false;
	for (const struct harden_identity *id = hb->identities; id; id = id->next)
		for (const struct harden_arg *a = id->args; a; a = a->next) {
			if (strcmp(a->key->s, "system") == 0)
				sys = sys || (a->value.json && a->value.json->kind == AST_JSON_BOOL &&
					      a->value.json->u.boolean);
			else if (strcmp(a->key->s, "user") == 0)
				user = true;
		}
	if (!sys && !user)
		return;
	cJSON *identity = json_object();
	json_add_string(identity, "type", sys && user ? "SystemAssigned, UserAssigned"
					  : sys		  ? "SystemAssigned"
							  : "UserAssigned");
	if (user) {
		cJSON *ids = json_object();
		json_add(ids, "<input>", json_object());
		json_add(identity, "userAssignedIdentities", ids);
	}
	put_path(x, res, "identity", identity);
}

static cJSON *minimal_resource(const char *type)
{
	cJSON *r = json_object();
	struct sb id = SB_INIT;
	sb_addf(&id, "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/"
		     "providers/%s/module",
		type);
	json_add_string(r, "id", id.buf);
	sb_release(&id);
	json_add_string(r, "name", "module");
	json_add_string(r, "type", type);
	json_add_string(r, "location", "westeurope");
	json_add(r, "properties", json_object());
	return r;
}

/* The deciding condition to show: one that reads path (when given), else
 * the first that is not about the type, else the first with a place. */
static const struct eval_step *deciding(const struct eval_result *r, const char *path)
{
	const struct eval_step *first = NULL, *other = NULL;
	for (size_t i = 0; i < r->step_count; i++) {
		const struct eval_step *s = &r->steps[i];
		if (!s->span.src || strcmp(s->what, "note") == 0)
			continue;
		if (path && strstr(s->what, path))
			return s;
		if (!first)
			first = s;
		if (!other && strncmp(s->what, "field 'type'", 12) != 0)
			other = s;
	}
	return other ? other : first;
}

static void note_step(struct diag_engine *d, struct diag_record *rec, const struct eval_step *s)
{
	if (s)
		diag_note(d, rec, s->span, "this condition holds for it: %s %s (actual %s)", s->what,
			  s->expected ? s->expected : "", s->actual ? s->actual : "<missing>");
}

/* What every proof of a pack reads. */
struct prover {
	const struct ast_pack *pack;
	const struct eval_aliases *aliases; /* NULL: no alias table */
	struct diag_engine *d;
};

static void evaluate(const struct prover *pv, const struct ast_policy *pol, const cJSON *res,
		     const cJSON *params, struct eval_result *r)
{
	char *err = NULL;
	struct eval_policy *ep =
		eval_policy_compile(pol, pv->aliases, epack_api_version(pv->pack, pol), &err);
	memset(r, 0, sizeof(*r));
	if (!ep) {
		free(err);
		r->compliance = EVAL_ERROR;
		return;
	}
	struct eval_input in = { .resource = res,
				 .parameters = params,
				 .now = "2026-01-01T00:00:00.0000000Z",
				 .trace = true };
	eval_run(ep, &in, r);
	eval_policy_free(ep);
}

struct setting_ref {
	const struct harden_setting *s;
};

static void prove_module(const struct prover *pv, const char *type, const struct ast_policy **pols,
			 size_t npols)
{
	const struct ast_pack *pack = pv->pack;
	struct diag_engine *d = pv->d;
	cJSON *res = minimal_resource(type);
	struct pindex x;
	pindex_init(&x, res);
	struct setting_ref sets[256];
	size_t nsets = 0;
	for (const struct ast_section *s = pack->sections; s; s = s->next)
		for (const struct ast_recommendation *r = s->recommendations; r; r = r->next)
			for (const struct harden_block *hb = r->harden; hb; hb = hb->next) {
				if (strcasecmp(hb->type->s, type) != 0)
					continue;
				for (const struct harden_setting *st = hb->settings; st; st = st->next) {
					put_path(&x, res, st->path->s, setting_value(&st->value));
					if (nsets < 256)
						sets[nsets++].s = st;
				}
				add_identities(&x, res, hb);
			}
	for (size_t i = 0; i < npols; i++) {
		const struct ast_policy *pol = pols[i];
		const char *pt = epack_policy_type(pol);
		if (!pt || strcasecmp(pt, type) != 0 || pol->details_kind == AST_DETAILS_RELATED)
			continue;
		struct eval_result r;
		evaluate(pv, pol, res, NULL, &r);
		if (r.compliance == EVAL_NON_COMPLIANT) {
			/* Point at the set the deciding conditions read, if any. */
			const struct harden_setting *at = NULL;
			for (size_t k = 0; k < r.step_count && !at; k++)
				for (size_t j = 0; j < nsets && !at; j++)
					if (r.steps[k].what && strstr(r.steps[k].what, sets[j].s->path->s))
						at = sets[j].s;
			const struct src_span *where = at ? &at->span : NULL;
			if (where) {
				struct diag_record *rec = diag_error(
					d, *where, "E0516",
					"the hardening module of '%s' is not compliant with policy '%s'", type,
					pol->resolved_name ? pol->resolved_name : "?");
				note_step(d, rec, deciding(&r, at ? at->path->s : NULL));
			}
		}
		eval_result_release(&r);
	}
	pindex_release(&x);
	cJSON_Delete(res);
}

/* A Modify twin applied to a non-compliant resource must satisfy its audits. */
static void prove_twin(const struct prover *pv, const struct ast_recommendation *rec,
		       const struct harden_block *hb)
{
	struct diag_engine *d = pv->d;
	const struct ast_policy *twin = hb->remediate;
	if (!twin || twin->details_kind != AST_DETAILS_MODIFY)
		return;
	/* A non-compliant resource whose payload carries the objects the
	 * settings write into (Azure skips an operation whose parent is absent). */
	cJSON *res = minimal_resource(hb->type->s);
	struct pindex x;
	pindex_init(&x, res);
	for (const struct harden_setting *st = hb->settings; st; st = st->next) {
		const char *dot = strrchr(st->path->s, '.');
		if (!dot)
			continue;
		char parent[512];
		size_t n = (size_t)(dot - st->path->s);
		if (n >= sizeof parent)
			continue;
		memcpy(parent, st->path->s, n);
		parent[n] = '\0';
		if (!strchr(parent, '.') && pindex_get(&x, res, parent, n))
			continue;
		put_path(&x, res, parent, json_object());
	}
	cJSON *params = json_object();
	if (twin->effect_form == AST_EFFECT_PARAM && twin->effect_param)
		json_add_string(params, twin->effect_param->name->s, "Modify");
	for (const struct ast_policy *audit = rec->policies; audit; audit = audit->next) {
		const char *pt = epack_policy_type(audit);
		if (audit == twin || audit->details_kind != AST_DETAILS_NONE || !pt ||
		    strcasecmp(pt, hb->type->s) != 0)
			continue;
		struct eval_result before, fixed, after;
		evaluate(pv, audit, res, NULL, &before);
		if (before.compliance == EVAL_NON_COMPLIANT) {
			evaluate(pv, twin, res, params, &fixed);
			if (fixed.modified) {
				evaluate(pv, audit, fixed.modified, NULL, &after);
				if (after.compliance != EVAL_COMPLIANT) {
					struct diag_record *r = diag_error(
						d, twin->span, "E0516",
						"the Modify twin '%s' leaves the resource non-compliant with '%s'",
						twin->resolved_name ? twin->resolved_name : "?",
						audit->resolved_name ? audit->resolved_name : "?");
					note_step(d, r, deciding(&after, NULL));
				}
				eval_result_release(&after);
			}
			eval_result_release(&fixed);
		}
		eval_result_release(&before);
	}
	cJSON_Delete(params);
	pindex_release(&x);
	cJSON_Delete(res);
}

void check_proof(const struct ast_pack *pack, const struct alias_table *aliases, struct diag_engine *d)
{
	struct eval_aliases resolver;
	if (aliases)
		ealias_resolver(&resolver, aliases);
	struct prover pv = { pack, aliases ? &resolver : NULL, d };
	size_t n;
	const struct ast_policy **pols = epack_policies(pack, &n);
	const char *done[64];
	size_t ndone = 0;
	for (const struct ast_section *s = pack->sections; s; s = s->next)
		for (const struct ast_recommendation *r = s->recommendations; r; r = r->next)
			for (const struct harden_block *hb = r->harden; hb; hb = hb->next) {
				prove_twin(&pv, r, hb);
				bool seen = false;
				for (size_t i = 0; i < ndone; i++)
					seen = seen || strcasecmp(done[i], hb->type->s) == 0;
				if (seen || ndone == 64)
					continue;
				done[ndone++] = hb->type->s;
				prove_module(&pv, hb->type->s, pols, n);
			}
	free(pols);
}
