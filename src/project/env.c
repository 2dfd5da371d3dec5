#include "pacc/env.h"

#include "pacc/gen_json.h"
#include "pacc/sb.h"
#include "pacc/text.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

long env_today(void)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	if (s && *s) {
		char *end = NULL;
		errno = 0;
		long long v = strtoll(s, &end, 10);
		if (!*end && !errno && v >= 0)
			return (long)(v / 86400);
	}
	return (long)(time(NULL) / 86400);
}

void env_fit_name(struct sb *out, const char *text, size_t max) { text_fit_name(out, text, max); }

/* ---- the packs' names, for lookups and suggestions ------------------------------------ */

struct known {
	const struct ast_pack *const *packs;
	size_t pack_count;
	const char **names;  /* every definition name, recommendation id, pack name, parameter */
	size_t name_count;
	size_t name_alloc;
};

static void known_add(struct arena *a, struct known *k, const char *s)
{
	if (k->name_count == k->name_alloc) {
		size_t alloc = k->name_alloc ? k->name_alloc * 2 : 64;
		const char **names = ARENA_NEW_ARRAY(a, const char *, alloc);
		if (k->name_count)
			memcpy(names, k->names, k->name_count * sizeof(*names));
		k->names = names;
		k->name_alloc = alloc;
	}
	k->names[k->name_count++] = s;
}

static const char *allowed_list(struct arena *a, const struct ast_json *allowed)
{
	struct sb sb = SB_INIT;
	size_t i = 0;
	if (allowed && allowed->kind == AST_JSON_ARRAY)
		for (const struct ast_json_item *it = allowed->u.array.items; it; it = it->next, i++) {
			const struct ast_json *v = it->value;
			const char *text = v->kind == AST_JSON_STRING ? v->u.string->s
					   : v->kind == AST_JSON_NUMBER ? v->u.number.text
					   : v->kind == AST_JSON_BOOL	? (v->u.boolean ? "true" : "false")
									: "...";
			sb_addf(&sb, "%s'%s'", i == 0 ? "" : it->next ? ", " : " or ", text);
		}
	const char *s = arena_strndup(a, sb.buf, sb.len);
	sb_release(&sb);
	return s;
}

/* The allowed effect equal (ignoring case) to value, or NULL. */
static const char *allowed_effect(const struct ast_policy *p, const char *value)
{
	const struct ast_json *allowed = p->effect_param ? p->effect_param->allowed : NULL;
	if (!allowed || allowed->kind != AST_JSON_ARRAY || !allowed->u.array.items)
		return ast_effect_canonical(value);
	for (const struct ast_json_item *it = allowed->u.array.items; it; it = it->next)
		if (it->value->kind == AST_JSON_STRING && strcasecmp(it->value->u.string->s, value) == 0)
			return it->value->u.string->s;
	return NULL;
}

static const char *closest_allowed(struct arena *a, const struct ast_policy *p, const char *value)
{
	const struct ast_json *allowed = p->effect_param ? p->effect_param->allowed : NULL;
	if (!allowed || allowed->kind != AST_JSON_ARRAY)
		return NULL;
	const char **c = ARENA_NEW_ARRAY(a, const char *, allowed->u.array.count + 1);
	size_t n = 0;
	for (const struct ast_json_item *it = allowed->u.array.items; it; it = it->next)
		if (it->value->kind == AST_JSON_STRING)
			c[n++] = it->value->u.string->s;
	return diag_closest(value, c, n);
}

/* ---- one (environment, pack) ------------------------------------------------------------ */

struct resolver {
	const struct manifest *m;
	struct arena *a;
	struct diag_engine *d;
	struct known k;
	long today;
};

static void deploy_init(struct resolver *rs, struct env_deploy *dp, const struct manifest_env *env,
			const struct ast_pack *pack)
{
	dp->env = env;
	dp->pack = pack;
	dp->enforce = env->enforcement == MANIFEST_ENFORCE;
	size_t policies = 0, params = 0;
	for (const struct ast_section *sec = pack->sections; sec; sec = sec->next)
		for (const struct ast_recommendation *rec = sec->recommendations; rec; rec = rec->next)
			for (const struct ast_policy *p = rec->policies; p; p = p->next) {
				policies++;
				for (const struct ast_param *pa = p->params; pa; pa = pa->next)
					params++;
			}
	dp->policies = ARENA_NEW_ARRAY(rs->a, struct env_policy, policies ? policies : 1);
	dp->params = ARENA_NEW_ARRAY(rs->a, struct env_param, params ? params : 1);
	for (const struct ast_section *sec = pack->sections; sec; sec = sec->next)
		for (const struct ast_recommendation *rec = sec->recommendations; rec; rec = rec->next)
			for (const struct ast_policy *p = rec->policies; p; p = p->next) {
				struct env_policy *ep = &dp->policies[dp->policy_count++];
				ep->policy = p;
				ep->ref_id = gen_json_reference_id(pack, p);
				ep->remediates = ast_policy_remediates(p);
				ep->message = p->message ? p->message->s : NULL;
				if (p->effect_form == AST_EFFECT_PARAM && p->effect_param) {
					const struct ast_json *def = p->effect_param->default_value;
					ep->effect = def && def->kind == AST_JSON_STRING ? def->u.string->s : NULL;
					/* A first deployment changes no resource. */
					if (ep->remediates && allowed_effect(p, "Disabled"))
						ep->effect = allowed_effect(p, "Disabled");
				}
				for (const struct ast_param *pa = p->params; pa; pa = pa->next) {
					if (pa == p->effect_param || !pa->name)
						continue;
					bool seen = false;
					for (size_t i = 0; i < dp->param_count && !seen; i++)
						seen = strcasecmp(dp->params[i].param->name->s, pa->name->s) == 0;
					if (!seen)
						dp->params[dp->param_count++].param = pa;
				}
			}
}

static bool names_policy(const struct ast_policy *p, const char *key)
{
	return strcasecmp(gen_json_policy_name(p), key) == 0;
}

static bool names_recommendation(const struct ast_policy *p, const char *key)
{
	return p->owner && p->owner->id && strcasecmp(p->owner->id->s, key) == 0;
}

static void unknown(struct resolver *rs, const struct manifest_value *key, const char *what)
{
	struct diag_record *rec = diag_error(rs->d, key->span, "E1012", "unknown %s '%s'", what, key->s);
	const char *best = diag_closest(key->s, rs->k.names, rs->k.name_count);
	if (best)
		diag_help(rs->d, rec, "did you mean '%s'?", best);
}

/* Applies one `effects` entry to every deployment of the environment. */
static void apply_effect(struct resolver *rs, struct env_deploy *dps, size_t n,
			 const struct manifest_entry *e)
{
	bool matched = false, applied = false;
	const struct ast_policy *first_policy = NULL;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < dps[i].policy_count; j++) {
			struct env_policy *ep = &dps[i].policies[j];
			bool by_name = names_policy(ep->policy, e->key.s);
			if (!by_name && !names_recommendation(ep->policy, e->key.s))
				continue;
			matched = true;
			if (!first_policy)
				first_policy = ep->policy;
			if (!ep->effect && ep->policy->effect_form != AST_EFFECT_PARAM) {
				if (by_name)
					diag_error(rs->d, e->value.span, "E1013",
						   "policy '%s' has a fixed effect; the manifest cannot set it",
						   gen_json_policy_name(ep->policy));
				continue;
			}
			const char *effect = allowed_effect(ep->policy, e->value.s);
			if (!effect) {
				if (by_name) {
					struct diag_record *rec = diag_error(
						rs->d, e->value.span, "E1013",
						"policy '%s' does not allow the effect '%s' (it allows %s)",
						gen_json_policy_name(ep->policy), e->value.s,
						allowed_list(rs->a, ep->policy->effect_param->allowed));
					const char *best = closest_allowed(rs->a, ep->policy, e->value.s);
					if (best)
						diag_help(rs->d, rec, "did you mean '%s'?", best);
					applied = true; /* reported */
				}
				continue;
			}
			ep->effect = effect;
			ep->effect_from_manifest = true;
			applied = true;
		}
	if (!matched) {
		unknown(rs, &e->key, "policy or recommendation");
	} else if (!applied) {
		struct diag_record *rec = diag_error(
			rs->d, e->value.span, "E1013",
			"no policy of recommendation '%s' allows the effect '%s'", e->key.s, e->value.s);
		const char *best = first_policy ? closest_allowed(rs->a, first_policy, e->value.s) : NULL;
		if (best)
			diag_help(rs->d, rec, "did you mean '%s'?", best);
	}
}

static bool type_is(const struct ast_param *pa, const char *t)
{
	return pa->type && strcasecmp(pa->type->s, t) == 0;
}

static bool is_integer(const struct ast_json *v)
{
	return v->kind == AST_JSON_NUMBER && strspn(v->u.number.text, "-+0123456789") ==
						     strlen(v->u.number.text);
}

/* True when v fits the parameter's type. */
static bool fits_type(const struct ast_param *pa, const struct ast_json *v)
{
	if (type_is(pa, "Integer"))
		return is_integer(v);
	if (type_is(pa, "Float"))
		return v->kind == AST_JSON_NUMBER;
	if (type_is(pa, "Boolean"))
		return v->kind == AST_JSON_BOOL;
	if (type_is(pa, "Array"))
		return v->kind == AST_JSON_ARRAY;
	if (type_is(pa, "Object"))
		return v->kind == AST_JSON_OBJECT;
	return v->kind == AST_JSON_STRING;
}

static bool in_allowed(const struct ast_json *allowed, const struct ast_json *v)
{
	if (!allowed || allowed->kind != AST_JSON_ARRAY || !allowed->u.array.items)
		return true;
	for (const struct ast_json_item *it = allowed->u.array.items; it; it = it->next)
		if (ast_json_equal(it->value, v, false))
			return true;
	if (v->kind != AST_JSON_ARRAY)
		return false;
	/* An array made of allowed elements, which Azure accepts too. */
	for (const struct ast_json_item *el = v->u.array.items; el; el = el->next)
		if (!in_allowed(allowed, el->value) || el->value->kind == AST_JSON_ARRAY)
			return false;
	return true;
}

static void apply_param(struct resolver *rs, struct env_deploy *dps, size_t n,
			const struct manifest_entry *e)
{
	bool matched = false, reported = false;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < dps[i].param_count; j++) {
			struct env_param *ep = &dps[i].params[j];
			if (strcasecmp(ep->param->name->s, e->key.s) != 0)
				continue;
			matched = true;
			ep->given = true;
			const struct ast_param *pa = ep->param;
			if (!fits_type(pa, e->json)) {
				if (!reported)
					diag_error(rs->d, e->value.span, "E1014",
						   "parameter '%s' is of type %s; this value is not",
						   pa->name->s, pa->type ? pa->type->s : "String");
				reported = true;
				continue;
			}
			if (!in_allowed(pa->allowed, e->json)) {
				if (!reported)
					diag_error(rs->d, e->value.span, "E1014",
						   "parameter '%s' allows only %s", pa->name->s,
						   pa->allowed ? allowed_list(rs->a, pa->allowed) : "");
				reported = true;
				continue;
			}
			ep->value = e->json;
		}
	if (!matched)
		unknown(rs, &e->key, "parameter");
}

static void apply_message(struct resolver *rs, struct env_deploy *dps, size_t n,
			  const struct manifest_entry *e)
{
	if (strcmp(e->key.s, "default") == 0) {
		for (size_t i = 0; i < n; i++)
			dps[i].default_message = e->value.s;
		return;
	}
	bool matched = false;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < dps[i].policy_count; j++) {
			struct env_policy *ep = &dps[i].policies[j];
			if (names_policy(ep->policy, e->key.s) || names_recommendation(ep->policy, e->key.s)) {
				ep->message = e->value.s;
				matched = true;
			}
		}
	if (!matched)
		unknown(rs, &e->key, "policy or recommendation");
}

/* The environment and the ones it extends, oldest first, so the nearest wins. */
static size_t lineage(const struct manifest_env *env, const struct manifest_env **out, size_t max)
{
	size_t n = 0;
	for (const struct manifest_env *e = env; e && n < max; e = e->base)
		n++;
	size_t i = n;
	for (const struct manifest_env *e = env; e && i > 0; e = e->base)
		out[--i] = e;
	return n;
}

static bool name_chars_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || s[n - 1] == ' ' || s[n - 1] == '.')
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f || strchr("<>*%&:\\?.+/#", *p))
			return false;
	return true;
}

/* Checks an explicit name against Azure's rules; false after an E1018. */
static bool explicit_name_ok(struct resolver *rs, const struct manifest_value *v, size_t max,
			     const char *what, const char *scope_what)
{
	size_t chars = 0;
	for (const unsigned char *p = (const unsigned char *)v->s; *p; p++)
		chars += (*p & 0xC0) != 0x80;
	if (chars > max) {
		diag_error(rs->d, v->span, "E1018",
			   "%s name '%s' is %zu characters; Azure allows at most %zu %s", what, v->s,
			   chars, max, scope_what);
		return false;
	}
	if (!name_chars_ok(v->s)) {
		diag_error(rs->d, v->span, "E1018",
			   "%s name '%s' has a character Azure refuses (< > * %% & : \\ ? . + / #, "
			   "control characters, a trailing space)",
			   what, v->s);
		return false;
	}
	return true;
}

static void resolve_targets(struct resolver *rs, struct env_deploy *dp, size_t pack_count)
{
	const struct manifest_env *env = dp->env;
	const struct manifest_value *explicit_name = NULL;
	for (const struct manifest_assignment *a = env->assignments; a; a = a->next) {
		if (!a->pack.s || strcmp(a->pack.s, dp->pack->name) == 0)
			explicit_name = &a->name;
	}
	size_t count = env->assign_count ? env->assign_count : 1;
	dp->targets = ARENA_NEW_ARRAY(rs->a, struct env_target, count);
	struct sb text = SB_INIT;
	for (size_t i = 0; i < count; i++) {
		struct env_target *t = &dp->targets[dp->target_count++];
		t->scope = env->assign_count ? &env->assign[i] : &env->scope;
		bool mg = t->scope->kind == MANIFEST_SCOPE_MANAGEMENT_GROUP;
		size_t max = mg ? ENV_ASSIGNMENT_NAME_MAX_MG : ENV_NAME_MAX;
		if (explicit_name) {
			t->name_span = explicit_name->span;
			t->name = explicit_name->s;
			if (i == 0 || mg)
				explicit_name_ok(rs, explicit_name, max, "assignment",
						 mg ? "at management-group scope" : "at this scope");
		} else {
			sb_reset(&text);
			sb_addf(&text, "%s-%s", dp->pack->name, env->name.s);
			struct sb fit = SB_INIT;
			env_fit_name(&fit, text.buf, max);
			t->name = arena_strndup(rs->a, fit.buf, fit.len);
			sb_release(&fit);
			t->name_span = env->name.span;
		}
	}
	(void)pack_count;
	sb_release(&text);
}

/* True when inner is outer or below it, by resource id (management groups only by equality). */
static bool scope_contains(const struct manifest_scope *outer, const struct manifest_scope *inner)
{
	size_t n = strlen(outer->id);
	return strncasecmp(outer->id, inner->id, n) == 0 && (inner->id[n] == '\0' || inner->id[n] == '/');
}

static void resolve_exemptions(struct resolver *rs, struct env_deploy *dps, size_t n,
			       const struct manifest_env *env)
{
	size_t total = 0;
	for (const struct manifest_exemption *x = env->exemptions; x; x = x->next)
		total++;
	for (size_t i = 0; i < n; i++)
		dps[i].exemptions = ARENA_NEW_ARRAY(rs->a, struct env_exemption, total ? total : 1);
	struct sb text = SB_INIT;
	for (const struct manifest_exemption *x = env->exemptions; x; x = x->next) {
		struct env_deploy *dp = NULL;
		const char *ref = NULL;
		for (size_t i = 0; i < n && !dp; i++) {
			if (strcasecmp(dps[i].pack->name, x->policy.s) == 0) {
				dp = &dps[i];
				break;
			}
			for (size_t j = 0; j < dps[i].policy_count; j++)
				if (names_policy(dps[i].policies[j].policy, x->policy.s)) {
					dp = &dps[i];
					ref = dps[i].policies[j].ref_id;
					break;
				}
		}
		if (!dp) {
			unknown(rs, &x->policy, "policy or pack");
			continue;
		}
		long left = x->expires_day - rs->today;
		if (left < 0) {
			diag_error(rs->d, x->expires.span, "E1016",
				   "the exemption of '%s' expired on %s, %ld day%s ago (owner: %s)",
				   x->policy.s, x->expires.s, -left, left == -1 ? "" : "s", x->owner.s);
		} else if (left <= rs->m->warn_expiry_days) {
			diag_warning(rs->d, x->expires.span, "E1017",
				     "the exemption of '%s' expires on %s, in %ld day%s: %s should renew "
				     "or remove it",
				     x->policy.s, x->expires.s, left, left == 1 ? "" : "s", x->owner.s);
		}
		/* The assignment it exempts from: the one whose scope holds it. */
		size_t target = dp->target_count;
		if (dp->target_count == 1 && env->assign_count == 0) {
			const struct manifest_scope *s = dp->targets[0].scope;
			if (s->kind == MANIFEST_SCOPE_MANAGEMENT_GROUP
				    ? x->scope.kind != MANIFEST_SCOPE_MANAGEMENT_GROUP ||
					      strcasecmp(s->id, x->scope.id) == 0
				    : scope_contains(s, &x->scope))
				target = 0;
		} else {
			size_t best = 0;
			for (size_t t = 0; t < dp->target_count; t++)
				if (scope_contains(dp->targets[t].scope, &x->scope) &&
				    strlen(dp->targets[t].scope->id) > best) {
					best = strlen(dp->targets[t].scope->id);
					target = t;
				}
		}
		if (target == dp->target_count) {
			struct diag_record *rec = diag_error(
				rs->d, x->scope.span, "E1021",
				"exemption scope '%s' is outside the scope of every assignment of "
				"environment '%s'",
				x->scope.id, env->name.s);
			diag_note(rs->d, rec, env->assign_count ? env->assign[0].span : env->scope.span,
				  "the assignments are made here");
			continue;
		}
		struct env_exemption *ex = &dp->exemptions[dp->exemption_count++];
		ex->src = x;
		ex->ref_id = ref;
		ex->target = target;
		ex->days_left = left;
		if (x->name.s) {
			explicit_name_ok(rs, &x->name, ENV_NAME_MAX, "exemption", "");
			ex->name = x->name.s;
		} else {
			sb_reset(&text);
			sb_addf(&text, "%s-%s", dp->targets[target].name, ref ? ref : "all");
			struct sb fit = SB_INIT;
			env_fit_name(&fit, text.buf, ENV_NAME_MAX);
			ex->name = arena_strndup(rs->a, fit.buf, fit.len);
			sb_release(&fit);
		}
	}
	sb_release(&text);
}

/* ---- names unique per scope ----------------------------------------------------------- */

struct used_name {
	const char *scope; /* resource id */
	const char *name;
	struct src_span span;
	const char *what;
	size_t order;
};

static int cmp_used(const void *a, const void *b)
{
	const struct used_name *x = a, *y = b;
	int c = strcasecmp(x->scope, y->scope);
	if (!c)
		c = strcasecmp(x->name, y->name);
	if (!c)
		c = x->order < y->order ? -1 : x->order > y->order;
	return c;
}

static void check_unique(struct resolver *rs, struct used_name *u, size_t n)
{
	qsort(u, n, sizeof(*u), cmp_used);
	for (size_t i = 1, first = 0; i < n; i++) {
		if (strcasecmp(u[i].scope, u[first].scope) || strcasecmp(u[i].name, u[first].name)) {
			first = i;
			continue;
		}
		struct diag_record *rec = diag_error(rs->d, u[i].span, "E1019",
						     "%s name '%s' is used twice at scope '%s'", u[i].what,
						     u[i].name, u[i].scope);
		diag_note(rs->d, rec, u[first].span, "'%s' is also the name of this %s", u[first].name,
			  u[first].what);
		diag_help(rs->d, rec, "give one of them its own name ('%s' in the manifest)",
			  strcmp(u[i].what, "assignment") == 0 ? "assignment" : "name");
	}
}

/* ---- the whole manifest --------------------------------------------------------------- */

bool env_resolve(const struct manifest *m, const struct ast_pack *const *packs, size_t n, long today,
		 struct arena *arena, struct diag_engine *d, struct env_set *out)
{
	size_t before = d->errors;
	struct resolver rs = { m, arena, d, { packs, n, NULL, 0, 0 }, today };
	for (size_t i = 0; i < n; i++) {
		known_add(arena, &rs.k, packs[i]->name);
		for (const struct ast_section *sec = packs[i]->sections; sec; sec = sec->next)
			for (const struct ast_recommendation *rec = sec->recommendations; rec; rec = rec->next) {
				if (rec->id && rec->policies)
					known_add(arena, &rs.k, rec->id->s);
				for (const struct ast_policy *p = rec->policies; p; p = p->next) {
					known_add(arena, &rs.k, gen_json_policy_name(p));
					for (const struct ast_param *pa = p->params; pa; pa = pa->next)
						if (pa != p->effect_param && pa->name)
							known_add(arena, &rs.k, pa->name->s);
				}
			}
	}
	out->count = m->env_count * n;
	out->deploys = ARENA_NEW_ARRAY(arena, struct env_deploy, out->count ? out->count : 1);
	size_t names = 0;
	for (size_t e = 0; e < m->env_count && !diag_should_stop(d); e++) {
		const struct manifest_env *env = &m->envs[e];
		struct env_deploy *dps = &out->deploys[e * n];
		for (size_t i = 0; i < n; i++)
			deploy_init(&rs, &dps[i], env, packs[i]);
		const struct manifest_env *chain[MANIFEST_MAX_ENVS];
		size_t depth = lineage(env, chain, MANIFEST_MAX_ENVS);
		for (size_t c = 0; c < depth; c++) {
			/* An inherited entry was reported where it is written. */
			struct diag_engine *real = rs.d;
			struct diag_engine quiet;
			if (chain[c] != env) {
				diag_init(&quiet);
				rs.d = &quiet;
			}
			for (const struct manifest_entry *x = chain[c]->effects; x; x = x->next)
				apply_effect(&rs, dps, n, x);
			for (const struct manifest_entry *x = chain[c]->parameters; x; x = x->next)
				apply_param(&rs, dps, n, x);
			for (const struct manifest_entry *x = chain[c]->messages; x; x = x->next)
				apply_message(&rs, dps, n, x);
			if (chain[c] != env) {
				diag_release(&quiet);
				rs.d = real;
			}
		}
		for (size_t i = 0; i < n; i++) {
			/* The identity, and its roles, only when a remediation is on. */
			for (size_t j = 0; j < dps[i].policy_count; j++) {
				const struct env_policy *ep = &dps[i].policies[j];
				dps[i].identity |= ep->remediates && ep->effect &&
						   strcasecmp(ep->effect, "Disabled") != 0;
			}
			resolve_targets(&rs, &dps[i], n);
			for (size_t j = 0; j < dps[i].param_count; j++) {
				const struct env_param *ep = &dps[i].params[j];
				if (!ep->given && !ep->param->default_value)
					diag_error(d, env->name.span, "E1014",
						   "environment '%s' gives no value for parameter '%s' of "
						   "pack '%s', which has no default",
						   env->name.s, ep->param->name->s, packs[i]->name);
			}
		}
		for (const struct manifest_assignment *a = env->assignments; a; a = a->next) {
			if (!a->pack.s)
				continue;
			bool found = false;
			for (size_t i = 0; i < n && !found; i++)
				found = strcmp(packs[i]->name, a->pack.s) == 0;
			if (!found)
				unknown(&rs, &a->pack, "pack");
		}
		resolve_exemptions(&rs, dps, n, env);
		for (size_t i = 0; i < n; i++)
			names += dps[i].target_count + dps[i].exemption_count;
	}
	struct used_name *used = ARENA_NEW_ARRAY(arena, struct used_name, names ? names : 1);
	size_t u = 0;
	for (size_t i = 0; i < out->count && u < names; i++) {
		const struct env_deploy *dp = &out->deploys[i];
		if (!dp->env)
			continue;
		for (size_t t = 0; t < dp->target_count; t++, u++)
			used[u] = (struct used_name){ dp->targets[t].scope->id, dp->targets[t].name,
						      dp->targets[t].name_span, "assignment", u };
		for (size_t x = 0; x < dp->exemption_count; x++, u++)
			used[u] = (struct used_name){ dp->exemptions[x].src->scope.id, dp->exemptions[x].name,
						      dp->exemptions[x].src->name.s
							      ? dp->exemptions[x].src->name.span
							      : dp->exemptions[x].src->policy.span,
						      "exemption", u };
	}
	check_unique(&rs, used, u);
	return d->errors == before;
}
