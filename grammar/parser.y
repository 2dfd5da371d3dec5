/*
 * parser.y: the pacc grammar (bison, pure, LAC, custom error messages).
 *
 * Actions only build nodes (include/pacc/ast.h).  Lists are built by
 * prepending and reversed once when their enclosing construct is reduced,
 * so the tree keeps source order in linear time.  A statement given twice
 * where the tree holds one is reported here (E0103), since the tree could
 * not show it to the checker.  Syntax errors are E0101; the parser
 * recovers at statement and declaration boundaries (`recover`), skipping a
 * mistyped block as a whole.
 */
%code requires {
#include "pacc/arena.h"
#include "pacc/ast.h"
#include "pacc/harden.h"
#include "pacc/diag.h"
#include "pacc/source.h"

#include <stdbool.h>

struct lexer;

/* The parser's state, shared by the grammar actions and parse_pack(). */
struct parser {
	struct lexer *lx;
	struct ast_pack *pack;
	struct arena *arena;
	struct diag_engine *diag;
	const struct source *src;
	struct ast_section **section_tail;
	struct ast_policy **policy_tail;
	struct ast_initiative **initiative_tail;
	struct ast_str *last_str;  /* the lookahead's value: words and strings */
	struct ast_json *last_num; /* the lookahead's value: numbers */
};
}

%define api.prefix {pacc_yy}
%define api.pure full
%define api.token.prefix {TOK_}
%define api.location.type {struct src_span}
%define parse.error custom
%define parse.lac full
%locations
%expect 0
%param {struct parser *p}

%initial-action {
	@$.src = p->src;
	@$.begin.offset = 0;
	@$.begin.line = 1;
	@$.begin.col = 1;
	@$.end = @$.begin;
}

%code {
#include "pacc/lex.h"
#include "pacc/parse.h"
#include "pacc/sb.h"

#include <string.h>

/* Deep chains without brackets (`not not ...`) stop here with E0102. */
#define YYMAXDEPTH 2000

#define YYLLOC_DEFAULT(cur, rhs, n)                                  \
	do {                                                          \
		if (n) {                                              \
			(cur).src = YYRHSLOC(rhs, 1).src;             \
			(cur).begin = YYRHSLOC(rhs, 1).begin;         \
			(cur).end = YYRHSLOC(rhs, n).end;             \
		} else {                                              \
			(cur).src = YYRHSLOC(rhs, 0).src;             \
			(cur).begin = YYRHSLOC(rhs, 0).end;           \
			(cur).end = YYRHSLOC(rhs, 0).end;             \
		}                                                     \
	} while (0)

#define NEW(type) ARENA_NEW(p->arena, type)

/* Reverses a singly linked list threaded through `next`. */
#define REVERSE(type, head)                                    \
	do {                                                   \
		type *prev_ = NULL, *cur_ = (head);            \
		while (cur_) {                                 \
			type *next_ = cur_->next;              \
			cur_->next = prev_;                    \
			prev_ = cur_;                          \
			cur_ = next_;                          \
		}                                              \
		(head) = prev_;                                \
	} while (0)

#define PUSH(head, node)                 \
	do {                             \
		(node)->next = (head);   \
		(head) = (node);         \
	} while (0)

static int yylex(YYSTYPE *lval, YYLTYPE *lloc, struct parser *p);
static void yyerror(const YYLTYPE *loc, struct parser *p, const char *msg);

static struct src_span join(struct src_span a, struct src_span b)
{
	a.end = b.end;
	return a;
}

/* Reports a statement written twice; kw is its keyword, first the earlier value. */
static void dup_error(struct parser *p, const struct ast_str *kw, struct src_span first)
{
	struct diag_record *r = diag_error(p->diag, kw->span, "E0103",
					   "'%s' given more than once", kw->s);
	diag_note(p->diag, r, first, "first given here");
}

/* Keeps the first value of a once-only statement and reports any later one. */
#define SET_ONCE(slot, kw, val)                                    \
	do {                                                       \
		if (slot)                                          \
			dup_error(p, (kw), (slot)->span);          \
		else                                               \
			(slot) = (val);                            \
	} while (0)

static struct ast_str *str_lit(struct parser *p, const char *s, struct src_span span)
{
	return ast_str_new(p->arena, s, strlen(s), span);
}

static struct ast_json *json_string(struct parser *p, struct ast_str *s)
{
	struct ast_json *j = ast_json_new(p->arena, AST_JSON_STRING, s->span);
	j->u.string = s;
	return j;
}

static struct ast_json *json_bool(struct parser *p, bool v, struct src_span span)
{
	struct ast_json *j = ast_json_new(p->arena, AST_JSON_BOOL, span);
	j->u.boolean = v;
	return j;
}

/* Appends (prepends, reversed later) a value to an array under construction. */
static struct ast_json *json_push(struct parser *p, struct ast_json *arr, struct ast_json *v)
{
	struct ast_json_item *it = NEW(struct ast_json_item);
	it->value = v;
	PUSH(arr->u.array.items, it);
	arr->u.array.count++;
	return arr;
}

static struct ast_json *json_array_start(struct parser *p, struct ast_json *first)
{
	struct ast_json *arr = ast_json_new(p->arena, AST_JSON_ARRAY, first->span);
	return json_push(p, arr, first);
}

static struct ast_json *json_object_push(struct parser *p, struct ast_json *obj,
					  struct ast_str *key, struct ast_json *v)
{
	if (!obj)
		obj = ast_json_new(p->arena, AST_JSON_OBJECT, key->span);
	struct ast_json_member *m = NEW(struct ast_json_member);
	m->key = key;
	m->value = v;
	PUSH(obj->u.object.members, m);
	obj->u.object.count++;
	return obj;
}

/* An effect name in Azure's casing when Azure knows it, else as written. */
static struct ast_str *effect_name(struct parser *p, struct ast_str *s)
{
	const char *canon = ast_effect_canonical(s->s);
	if (!canon || strcmp(canon, s->s) == 0)
		return s;
	struct ast_str *c = str_lit(p, canon, s->span);
	c->is_text_block = s->is_text_block;
	return c;
}

static void policy_add_param(struct ast_policy *pol, struct ast_param *prm)
{
	PUSH(pol->params, prm);
	pol->param_count++;
}

/* `effect a|b|c = a`: a String parameter named "effect" (alts is reversed). */
static void effect_sugar(struct parser *p, struct ast_policy *pol, struct ast_str *kw,
			 struct ast_json *alts, struct ast_str *dflt, struct src_span span)
{
	if (pol->effect_form != AST_EFFECT_NONE) {
		dup_error(p, kw, pol->effect_span);
		return;
	}
	REVERSE(struct ast_json_item, alts->u.array.items);
	for (struct ast_json_item *it = alts->u.array.items; it; it = it->next) {
		it->value->u.string = effect_name(p, it->value->u.string);
		alts->span.end = it->value->span.end;
	}
	struct ast_param *prm = NEW(struct ast_param);
	prm->name = str_lit(p, "effect", kw->span);
	prm->type = str_lit(p, "String", kw->span);
	prm->display = str_lit(p, "Effect", kw->span);
	prm->description = str_lit(p, "Enable or disable the execution of the policy", kw->span);
	prm->allowed = alts;
	prm->default_value = json_string(p, effect_name(p, dflt));
	prm->span = span;
	prm->from_effect_sugar = true;
	policy_add_param(pol, prm);
	pol->effect_form = AST_EFFECT_PARAM;
	pol->effect_param = prm;
	pol->effect_span = span;
}

static void effect_plain(struct parser *p, struct ast_policy *pol, struct ast_str *kw,
			 enum ast_effect_form form, struct ast_str *value, struct src_span span)
{
	if (pol->effect_form != AST_EFFECT_NONE) {
		dup_error(p, kw, pol->effect_span);
		return;
	}
	pol->effect_form = form;
	pol->effect = form == AST_EFFECT_LITERAL ? effect_name(p, value) : value;
	pol->effect_span = span;
}

/* Starts a details kind; false (after E0103) when the policy already has another. */
static bool details_start(struct parser *p, struct ast_policy *pol, enum ast_details_kind kind,
			  struct ast_str *kw, struct src_span first_hint)
{
	if (pol->details_kind == AST_DETAILS_NONE) {
		pol->details_kind = kind;
		return true;
	}
	if (pol->details_kind == AST_DETAILS_APPEND && kind == AST_DETAILS_APPEND)
		return true;
	struct src_span first = first_hint;
	switch (pol->details_kind) {
	case AST_DETAILS_RELATED: first = pol->details.related->span; break;
	case AST_DETAILS_MODIFY: first = pol->details.modify->span; break;
	case AST_DETAILS_APPEND: first = pol->details.append.entries->span; break;
	case AST_DETAILS_JSON: first = pol->details.json->span; break;
	case AST_DETAILS_NONE: break;
	}
	struct diag_record *r = diag_error(p->diag, kw->span, "E0103",
					   "'%s' conflicts with the details already given", kw->s);
	diag_note(p->diag, r, first, "details first given here");
	return false;
}

static void policy_finish(struct ast_policy *pol, struct src_span span)
{
	pol->span = span;
	REVERSE(struct ast_param, pol->params);
	REVERSE(struct ast_property, pol->properties);
	REVERSE(struct ast_test, pol->tests);
	if (pol->details_kind == AST_DETAILS_APPEND)
		REVERSE(struct ast_append, pol->details.append.entries);
}

/* `remediate [suffix] { ... }` in a harden block: a policy whose rule the
 * checker derives from the block's settings (check_harden.c). */
static void remediate_start(struct parser *p, struct harden_block *hb, struct ast_str *kw,
			    struct ast_str *suffix, struct ast_policy *pol, struct src_span span)
{
	policy_finish(pol, span);
	pol->suffix = suffix ? suffix : str_lit(p, "remediate", kw->span);
	if (hb->remediate) {
		dup_error(p, kw, hb->remediate->span);
		return;
	}
	hb->remediate = pol;
}

/* `remediate [suffix] { ... }` inside a companion: its DeployIfNotExists twin. */
static void companion_remediate(struct parser *p, struct harden_companion *c, struct ast_str *kw,
				struct ast_str *suffix, struct ast_policy *pol, struct src_span span)
{
	policy_finish(pol, span);
	pol->suffix = suffix;
	if (c->remediate) {
		dup_error(p, kw, c->remediate->span);
		return;
	}
	c->remediate = pol;
}

/* A companion's twin without a suffix of its own is "deploy-<kind>". */
static void companion_suffix(struct parser *p, struct harden_companion *c)
{
	if (!c->remediate || c->remediate->suffix)
		return;
	c->remediate->suffix = str_lit(p, arena_printf(p->arena, "deploy-%s", c->kind_word->s),
				       c->remediate->span);
}

static struct ast_cond *cond_logical(struct parser *p, enum ast_cond_kind kind,
				     struct ast_cond *children, struct src_span span)
{
	struct ast_cond *c = ast_cond_new(p->arena, kind, span);
	REVERSE(struct ast_cond, children);
	c->u.logical.children = children;
	for (struct ast_cond *k = children; k; k = k->next)
		c->u.logical.count++;
	return c;
}

static struct ast_cond *cond_leaf(struct parser *p, enum ast_cond_kind kind, struct src_span span,
				  int op, struct src_span op_span, struct ast_json *rhs)
{
	struct ast_cond *c = ast_cond_new(p->arena, kind, span);
	c->u.leaf.op = (enum ast_op)op;
	c->u.leaf.op_span = op_span;
	c->u.leaf.rhs = rhs;
	return c;
}

static void ref_params_from_json(struct parser *p, struct ast_reference *ref, struct ast_json *obj)
{
	ref->params_present = true;
	if (obj->kind != AST_JSON_OBJECT) {
		diag_error(p->diag, obj->span, "E0101", "expected an object of parameters");
		return;
	}
	for (struct ast_json_member *m = obj->u.object.members; m; m = m->next) {
		struct ast_ref_param *rp = NEW(struct ast_ref_param);
		rp->name = m->key;
		const struct ast_json *v = m->value;
		if (v->kind == AST_JSON_OBJECT && v->u.object.count == 1 &&
		    strcmp(v->u.object.members->key->s, "value") == 0)
			rp->value = v->u.object.members->value;
		else
			rp->raw = m->value;
		PUSH(ref->params, rp);
	}
}
}

%union {
	struct ast_str *str;
	struct ast_json *json;
	struct ast_cond *cond;
	struct ast_policy *policy;
	struct ast_param *param;
	struct ast_service *service;
	struct ast_section *section;
	struct ast_recommendation *rec;
	struct ast_initiative *init;
	struct ast_group *group;
	struct ast_reference *ref;
	struct ast_related *related;
	struct ast_modify *modify;
	struct ast_text *text;
	struct harden_input *hinput;
	struct harden_block *hblock;
	struct harden_companion *hcomp;
	struct harden_identity *hident;
	struct harden_value *hvalue;
	struct ast_test *test;
	int op;
}

%token END 0 "end of file"
%token <str> IDENT "<identifier>"
%token <str> OP "<operator>"
%token <str> STRING "<string>"
%token <str> TEXT "<text block>"
%token <json> NUMBER "<number>"
%token LBRACE "{" RBRACE "}" LBRACKET "[" RBRACKET "]" LPAREN "(" RPAREN ")"
%token COMMA "," COLON ":" ASSIGN "=" BAR "|" ARROW "->"
%token EQ "==" NE "!=" LT "<" LE "<=" GT ">" GE ">="
%token <str> SERVICE "service"
%token <str> SECTION "section"
%token <str> RECOMMENDATION "recommendation"
%token <str> SEE "see"
%token <str> ENFORCE "enforce"
%token <str> POLICY "policy"
%token <str> INITIATIVE "initiative"
%token <str> MS_SERVICE "ms.service"
%token <str> AUTHOR "author"
%token <str> MS_AUTHOR "ms.author"
%token <str> MS_DATE "ms.date"
%token <str> CATEGORY "category"
%token <str> VERSION "version"
%token <str> GOVERNS "governs"
%token <str> AT "at"
%token <str> TITLE "title"
%token <str> HEADING "heading"
%token <str> DESCRIPTION "description"
%token <str> INTRO "intro"
%token <str> RELATED "related"
%token <str> DISPLAY "display"
%token <str> MODE "mode"
%token <str> POLICY_TYPE "policyType"
%token <str> VERSIONS "versions"
%token <str> METADATA "metadata"
%token <str> MESSAGE "message"
%token <str> ID "id"
%token <str> PROPERTY "property"
%token <str> PARAM "param"
%token <str> EFFECT "effect"
%token <str> IF "if"
%token <str> MODIFY "modify"
%token <str> APPEND "append"
%token <str> DETAILS "details"
%token <str> NAME "name"
%token <str> STRONG_TYPE "strongType"
%token <str> ALLOWED "allowed"
%token <str> DEFAULT "default"
%token <str> SCHEMA "schema"
%token <str> EXTRA "extra"
%token <str> ALL "all"
%token <str> ANY "any"
%token <str> NOT "not"
%token <str> TYPE "type"
%token <str> FIELD "field"
%token <str> VALUE "value"
%token <str> COUNT "count"
%token <str> WHERE "where"
%token <str> AS "as"
%token <str> JTRUE "true"
%token <str> JFALSE "false"
%token <str> JNULL "null"
%token <str> RESOURCE_GROUP_NAME "resourceGroupName"
%token <str> EXISTENCE_SCOPE "existenceScope"
%token <str> DEPLOYMENT_SCOPE "deploymentScope"
%token <str> EVALUATION_DELAY "evaluationDelay"
%token <str> EXISTENCE_CONDITION "existenceCondition"
%token <str> ROLE_DEFINITION_IDS "roleDefinitionIds"
%token <str> DEPLOYMENT "deployment"
%token <str> CONFLICT_EFFECT "conflictEffect"
%token <str> SET "set"
%token <str> ADD "add"
%token <str> REMOVE "remove"
%token <str> WHEN "when"
%token <str> GROUP "group"
%token <str> REFERENCE "reference"
%token <str> PARAMETER "parameter"
%token <str> PARAMETERS "parameters"
%token <str> DEFINITION_VERSION "definitionVersion"
%token <str> GROUPS "groups"
%token <str> ADDITIONAL_METADATA_ID "additionalMetadataId"
%token <str> HARDEN "harden"
%token <str> INPUT "input"
%token <str> COMPANION "companion"
%token <str> SECURE "secure"
%token <str> REMEDIATE "remediate"
%token <str> TEST "test"
%token <str> RESOURCE "resource"
%token <str> EXPECT "expect"
%token <str> API_VERSION "apiVersion"
%token <str> IDENTITY "identity"
%token <str> SINCE "since"
%token <str> IMPORTED "imported"

%type <str> word name str
%type <json> json items members effect_alts
%type <cond> cond cond_list where_opt
%type <str> as_opt
%type <op> op
%type <policy> pol_body
%type <param> param_decl param_body
%type <service> svc_body
%type <section> sec_body
%type <text> sec_texts
%type <rec> rec_body
%type <init> init_body
%type <group> group_body
%type <ref> ref_body
%type <related> rel_body
%type <modify> mod_body
%type <str> when_opt
%type <hinput> input_body
%type <hblock> harden_body
%type <hident> id_body
%type <hcomp> comp_body
%type <hvalue> hvalue
%type <test> test_body
%type <str> file_ref

%%

pack:
	decls
	;

decls:
	%empty
	| decls decl
	| decls recover
	;

/* Error recovery: skip to the next statement, or over a whole mistyped block. */
recover:
	error
	| error "{" balanced "}"
	;

balanced:
	%empty
	| balanced any_token
	| balanced "{" balanced "}"
	;

decl:
	SERVICE str "{" svc_body "}" {
		struct ast_service *s = $4;
		s->name = $2;
		s->span = join(@1, @5);
		REVERSE(struct ast_text, s->intro);
		REVERSE(struct ast_governs, s->governs);
		REVERSE(struct ast_link, s->related);
		REVERSE(struct harden_input, s->inputs);
		if (p->pack->service)
			dup_error(p, $1, p->pack->service->span);
		else
			p->pack->service = s;
	}
	| SECTION name str "{" sec_body "}" {
		struct ast_section *s = $5;
		s->id = $2;
		s->title = $3;
		s->span = join(@1, @6);
		REVERSE(struct ast_text, s->texts);
		REVERSE(struct ast_recommendation, s->recommendations);
		for (struct ast_recommendation *r = s->recommendations; r; r = r->next)
			r->section = s;
		*p->section_tail = s;
		p->section_tail = &s->next;
		p->pack->section_count++;
	}
	| POLICY name "{" pol_body "}" {
		/* The declaration names the policy; a `name` statement inside would be lost. */
		if ($4->name) {
			struct diag_record *r = diag_error(p->diag, $4->name->span, "E0103",
							   "'name' given more than once: policy '%s' is already named by its declaration",
							   $2->s);
			diag_note(p->diag, r, $2->span, "named here");
		}
		$4->name = $2;
		policy_finish($4, join(@1, @5));
		*p->policy_tail = $4;
		p->policy_tail = &$4->next;
	}
	| INITIATIVE name "{" init_body "}" {
		struct ast_initiative *in = $4;
		in->name = $2;
		in->span = join(@1, @5);
		REVERSE(struct ast_property, in->properties);
		REVERSE(struct ast_param, in->params);
		REVERSE(struct ast_group, in->groups);
		REVERSE(struct ast_reference, in->references);
		*p->initiative_tail = in;
		p->initiative_tail = &in->next;
	}
	;

/* ---- service ---- */

svc_body:
	%empty { $$ = NEW(struct ast_service); }
	| svc_body MS_SERVICE str { $$ = $1; SET_ONCE($$->slug, $2, $3); }
	| svc_body AUTHOR str { $$ = $1; SET_ONCE($$->author, $2, $3); }
	| svc_body MS_AUTHOR str { $$ = $1; SET_ONCE($$->ms_author, $2, $3); }
	| svc_body MS_DATE str { $$ = $1; SET_ONCE($$->date, $2, $3); }
	| svc_body CATEGORY str { $$ = $1; SET_ONCE($$->category, $2, $3); }
	| svc_body VERSION str { $$ = $1; SET_ONCE($$->version, $2, $3); }
	| svc_body TITLE str { $$ = $1; SET_ONCE($$->title, $2, $3); }
	| svc_body HEADING str { $$ = $1; SET_ONCE($$->heading, $2, $3); }
	| svc_body DESCRIPTION str { $$ = $1; SET_ONCE($$->description, $2, $3); }
	| svc_body INTRO str {
		$$ = $1;
		struct ast_text *t = NEW(struct ast_text);
		t->str = $3;
		PUSH($$->intro, t);
	}
	| svc_body GOVERNS str {
		$$ = $1;
		struct ast_governs *g = NEW(struct ast_governs);
		g->type = $3;
		g->span = join(@2, @3);
		PUSH($$->governs, g);
	}
	| svc_body GOVERNS str AT str {
		$$ = $1;
		struct ast_governs *g = NEW(struct ast_governs);
		g->type = $3;
		g->api_version = $5;
		g->span = join(@2, @5);
		PUSH($$->governs, g);
	}
	| svc_body RELATED str "->" str {
		$$ = $1;
		struct ast_link *l = NEW(struct ast_link);
		l->text = $3;
		l->target = $5;
		l->span = join(@2, @5);
		PUSH($$->related, l);
	}
	| svc_body INPUT word word str {
		$$ = $1;
		struct harden_input *in = NEW(struct harden_input);
		in->name = $3;
		in->type = $4;
		in->description = $5;
		in->span = join(@2, @5);
		PUSH($$->inputs, in);
	}
	| svc_body INPUT word word str "{" input_body "}" {
		$$ = $1;
		struct harden_input *in = $7;
		in->name = $3;
		in->type = $4;
		in->description = $5;
		in->span = join(@2, @8);
		PUSH($$->inputs, in);
	}
	| svc_body recover { $$ = $1; }
	;

/* ---- remediation (harden.h) ---- */

input_body:
	%empty { $$ = NEW(struct harden_input); }
	| input_body ALLOWED json { $$ = $1; SET_ONCE($$->allowed, $2, $3); }
	| input_body DEFAULT json { $$ = $1; SET_ONCE($$->default_value, $2, $3); }
	| input_body SECURE { $$ = $1; $$->secure = true; }
	| input_body recover { $$ = $1; }
	;

harden_body:
	%empty { $$ = NEW(struct harden_block); }
	| harden_body SET name "=" hvalue {
		$$ = $1;
		struct harden_setting *s = NEW(struct harden_setting);
		s->path = $3;
		s->value = *$5;
		s->span = join(@2, @5);
		PUSH($$->settings, s);
	}
	| harden_body SET name "=" hvalue SINCE str {
		$$ = $1;
		struct harden_setting *s = NEW(struct harden_setting);
		s->path = $3;
		s->value = *$5;
		s->since = $7;
		s->span = join(@2, @7);
		PUSH($$->settings, s);
	}
	| harden_body IDENTITY "{" id_body "}" {
		$$ = $1;
		struct harden_identity *id = $4;
		id->span = join(@2, @5);
		REVERSE(struct harden_arg, id->args);
		PUSH($$->identities, id);
	}
	| harden_body COMPANION word "{" comp_body "}" {
		$$ = $1;
		struct harden_companion *c = $5;
		c->kind_word = $3;
		c->span = join(@2, @6);
		companion_suffix(p, c);
		REVERSE(struct harden_arg, c->args);
		PUSH($$->companions, c);
	}
	| harden_body COMPANION word str "{" comp_body "}" {
		$$ = $1;
		struct harden_companion *c = $6;
		c->kind_word = $3;
		c->child_type = $4;
		c->span = join(@2, @7);
		companion_suffix(p, c);
		REVERSE(struct harden_arg, c->args);
		PUSH($$->companions, c);
	}
	| harden_body REMEDIATE "{" pol_body "}" {
		$$ = $1;
		remediate_start(p, $$, $2, NULL, $4, join(@2, @5));
	}
	| harden_body REMEDIATE name "{" pol_body "}" {
		$$ = $1;
		remediate_start(p, $$, $2, $3, $5, join(@2, @6));
	}
	| harden_body recover { $$ = $1; }
	;

comp_body:
	%empty { $$ = NEW(struct harden_companion); }
	| comp_body name "=" hvalue {
		$$ = $1;
		struct harden_arg *a = NEW(struct harden_arg);
		a->key = $2;
		a->value = *$4;
		a->span = join(@2, @4);
		PUSH($$->args, a);
	}
	| comp_body REMEDIATE "{" pol_body "}" {
		$$ = $1;
		companion_remediate(p, $$, $2, NULL, $4, join(@2, @5));
	}
	| comp_body REMEDIATE name "{" pol_body "}" {
		$$ = $1;
		companion_remediate(p, $$, $2, $3, $5, join(@2, @6));
	}
	| comp_body recover { $$ = $1; }
	;

/* `identity { system = true user = input.NAME }`: KEY = VALUE pairs, checked later. */
id_body:
	%empty { $$ = NEW(struct harden_identity); }
	| id_body name "=" hvalue {
		$$ = $1;
		struct harden_arg *a = NEW(struct harden_arg);
		a->key = $2;
		a->value = *$4;
		a->span = join(@2, @4);
		PUSH($$->args, a);
	}
	| id_body recover { $$ = $1; }
	;

/* A JSON value, or `input.NAME` (one word to the lexer). */
hvalue:
	json {
		$$ = NEW(struct harden_value);
		$$->json = $1;
		$$->span = @1;
	}
	| IDENT {
		$$ = NEW(struct harden_value);
		$$->span = @1;
		if (strncmp($1->s, "input.", 6) == 0 && $1->s[6]) {
			struct src_span name = @1;
			name.begin.offset += 6;
			name.begin.col += 6;
			$$->input_name = ast_str_new(p->arena, $1->s + 6, $1->len - 6, name);
		} else {
			diag_error(p->diag, @1, "E0101", "expected a value or 'input.NAME', found '%s'", $1->s);
			$$->json = ast_json_new(p->arena, AST_JSON_NULL, @1);
		}
	}
	;

/* ---- sections and recommendations ---- */

/* A section's description paragraphs come before its recommendations. */
sec_body:
	sec_texts {
		$$ = NEW(struct ast_section);
		$$->texts = $1;
	}
	| sec_body RECOMMENDATION name str "{" rec_body "}" {
		$$ = $1;
		struct ast_recommendation *r = $6;
		r->id = $3;
		r->title = $4;
		r->span = join(@2, @7);
		REVERSE(struct ast_text, r->texts);
		REVERSE(struct ast_link, r->links);
		REVERSE(struct ast_policy, r->policies);
		REVERSE(struct harden_block, r->harden);
		PUSH($$->recommendations, r);
		$$->recommendation_count++;
	}
	| sec_body recover { $$ = $1; }
	;

/* Built reversed; the section's rule restores source order. */
sec_texts:
	%empty { $$ = NULL; }
	| sec_texts str {
		$$ = NEW(struct ast_text);
		$$->str = $2;
		$$->next = $1;
	}
	;

rec_body:
	%empty { $$ = NEW(struct ast_recommendation); }
	| rec_body str {
		$$ = $1;
		struct ast_text *t = NEW(struct ast_text);
		t->str = $2;
		PUSH($$->texts, t);
	}
	| rec_body SEE str "->" str {
		$$ = $1;
		struct ast_link *l = NEW(struct ast_link);
		l->text = $3;
		l->target = $5;
		l->span = join(@2, @5);
		PUSH($$->links, l);
	}
	| rec_body ENFORCE "{" pol_body "}" {
		$$ = $1;
		policy_finish($4, join(@2, @5));
		PUSH($$->policies, $4);
		$$->policy_count++;
	}
	| rec_body ENFORCE name "{" pol_body "}" {
		$$ = $1;
		$5->suffix = $3;
		policy_finish($5, join(@2, @6));
		PUSH($$->policies, $5);
		$$->policy_count++;
	}
	| rec_body HARDEN str "{" harden_body "}" {
		$$ = $1;
		struct harden_block *hb = $5;
		hb->type = $3;
		hb->span = join(@2, @6);
		REVERSE(struct harden_setting, hb->settings);
		REVERSE(struct harden_companion, hb->companions);
		REVERSE(struct harden_identity, hb->identities);
		PUSH($$->harden, hb);
		/* the remediation twin is one of the recommendation's policies */
		if (hb->remediate) {
			PUSH($$->policies, hb->remediate);
			$$->policy_count++;
		}
		for (struct harden_companion *c = hb->companions; c; c = c->next)
			if (c->remediate) {
				PUSH($$->policies, c->remediate);
				$$->policy_count++;
			}
	}
	| rec_body recover { $$ = $1; }
	;

/* ---- policy bodies ---- */

pol_body:
	%empty { $$ = NEW(struct ast_policy); }
	| pol_body DISPLAY str { $$ = $1; SET_ONCE($$->display, $2, $3); }
	| pol_body DESCRIPTION str { $$ = $1; SET_ONCE($$->description, $2, $3); }
	| pol_body MODE name { $$ = $1; SET_ONCE($$->mode, $2, $3); }
	| pol_body POLICY_TYPE name { $$ = $1; SET_ONCE($$->policy_type, $2, $3); }
	| pol_body IMPORTED { $$ = $1; $$->imported = true; }
	| pol_body VERSION str { $$ = $1; SET_ONCE($$->version, $2, $3); }
	| pol_body VERSIONS json { $$ = $1; SET_ONCE($$->versions, $2, $3); }
	| pol_body METADATA json { $$ = $1; SET_ONCE($$->metadata, $2, $3); }
	| pol_body MESSAGE str { $$ = $1; SET_ONCE($$->message, $2, $3); }
	| pol_body ID str { $$ = $1; SET_ONCE($$->id, $2, $3); }
	| pol_body NAME str { $$ = $1; SET_ONCE($$->name, $2, $3); }
	| pol_body PROPERTY name json {
		$$ = $1;
		struct ast_property *pr = NEW(struct ast_property);
		pr->key = $3;
		pr->value = $4;
		PUSH($$->properties, pr);
	}
	| pol_body param_decl { $$ = $1; policy_add_param($$, $2); }
	| pol_body EFFECT word {
		$$ = $1;
		effect_plain(p, $$, $2, AST_EFFECT_LITERAL, $3, join(@2, @3));
	}
	| pol_body EFFECT str {
		$$ = $1;
		effect_plain(p, $$, $2, AST_EFFECT_EXPRESSION, $3, join(@2, @3));
	}
	| pol_body EFFECT name "=" name {
		$$ = $1;
		struct ast_json *alts = json_array_start(p, json_string(p, $3));
		effect_sugar(p, $$, $2, alts, $5, join(@2, @5));
	}
	| pol_body EFFECT effect_alts "=" name {
		$$ = $1;
		effect_sugar(p, $$, $2, $3, $5, join(@2, @5));
	}
	| pol_body IF cond { $$ = $1; SET_ONCE($$->condition, $2, $3); }
	| pol_body TEST str "{" test_body "}" {
		$$ = $1;
		$5->name = $3;
		$5->span = join(@2, @6);
		PUSH($$->tests, $5);
	}
	| pol_body RELATED name "{" rel_body "}" {
		$$ = $1;
		$5->type = $3;
		$5->span = join(@2, @6);
		if (details_start(p, $$, AST_DETAILS_RELATED, $2, @2))
			$$->details.related = $5;
	}
	| pol_body MODIFY "{" mod_body "}" {
		$$ = $1;
		$4->span = join(@2, @5);
		REVERSE(struct ast_modify_operation, $4->operations);
		if (details_start(p, $$, AST_DETAILS_MODIFY, $2, @2))
			$$->details.modify = $4;
	}
	| pol_body APPEND str "=" json {
		$$ = $1;
		if (details_start(p, $$, AST_DETAILS_APPEND, $2, @2)) {
			struct ast_append *a = NEW(struct ast_append);
			a->field = $3;
			a->value = $5;
			a->span = join(@2, @5);
			PUSH($$->details.append.entries, a);
			$$->details.append.count++;
		}
	}
	| pol_body DETAILS json {
		$$ = $1;
		if (details_start(p, $$, AST_DETAILS_JSON, $2, @2))
			$$->details.json = $3;
	}
	| pol_body recover { $$ = $1; }
	;

effect_alts:
	name "|" name { $$ = json_push(p, json_array_start(p, json_string(p, $1)), json_string(p, $3)); }
	| effect_alts "|" name { $$ = json_push(p, $1, json_string(p, $3)); }
	;

param_decl:
	PARAM name name {
		$$ = NEW(struct ast_param);
		$$->name = $2;
		$$->type = $3;
		$$->span = join(@1, @3);
	}
	| PARAM name name "=" json {
		$$ = NEW(struct ast_param);
		$$->name = $2;
		$$->type = $3;
		$$->default_value = $5;
		$$->span = join(@1, @5);
	}
	| PARAM name name "{" param_body "}" {
		$$ = $5;
		$$->name = $2;
		$$->type = $3;
		$$->span = join(@1, @6);
	}
	;

param_body:
	%empty { $$ = NEW(struct ast_param); }
	| param_body DISPLAY str { $$ = $1; SET_ONCE($$->display, $2, $3); }
	| param_body DESCRIPTION str { $$ = $1; SET_ONCE($$->description, $2, $3); }
	| param_body STRONG_TYPE str { $$ = $1; SET_ONCE($$->strong_type, $2, $3); }
	| param_body ALLOWED json { $$ = $1; SET_ONCE($$->allowed, $2, $3); }
	| param_body DEFAULT json { $$ = $1; SET_ONCE($$->default_value, $2, $3); }
	| param_body SCHEMA json { $$ = $1; SET_ONCE($$->schema, $2, $3); }
	| param_body METADATA json { $$ = $1; SET_ONCE($$->metadata, $2, $3); }
	| param_body EXTRA json { $$ = $1; SET_ONCE($$->extra, $2, $3); }
	| param_body recover { $$ = $1; }
	;

rel_body:
	%empty { $$ = NEW(struct ast_related); }
	| rel_body NAME json { $$ = $1; SET_ONCE($$->name, $2, $3); }
	| rel_body RESOURCE_GROUP_NAME json { $$ = $1; SET_ONCE($$->resource_group, $2, $3); }
	| rel_body EXISTENCE_SCOPE name { $$ = $1; SET_ONCE($$->existence_scope, $2, $3); }
	| rel_body DEPLOYMENT_SCOPE name { $$ = $1; SET_ONCE($$->deployment_scope, $2, $3); }
	| rel_body EVALUATION_DELAY name { $$ = $1; SET_ONCE($$->evaluation_delay, $2, $3); }
	| rel_body EXISTENCE_CONDITION cond { $$ = $1; SET_ONCE($$->existence, $2, $3); }
	| rel_body ROLE_DEFINITION_IDS json { $$ = $1; SET_ONCE($$->role_ids, $2, $3); }
	| rel_body DEPLOYMENT json { $$ = $1; SET_ONCE($$->deployment, $2, $3); }
	| rel_body EXTRA json { $$ = $1; SET_ONCE($$->extra, $2, $3); }
	| rel_body recover { $$ = $1; }
	;

mod_body:
	%empty { $$ = NEW(struct ast_modify); }
	| mod_body ROLE_DEFINITION_IDS json { $$ = $1; SET_ONCE($$->role_ids, $2, $3); }
	| mod_body CONFLICT_EFFECT name { $$ = $1; SET_ONCE($$->conflict_effect, $2, $3); }
	| mod_body EXTRA json { $$ = $1; SET_ONCE($$->extra, $2, $3); }
	| mod_body SET str "=" json when_opt {
		$$ = $1;
		struct ast_modify_operation *o = NEW(struct ast_modify_operation);
		o->op = AST_MODIFY_ADD_OR_REPLACE;
		o->field = $3;
		o->value = $5;
		o->condition = $6;
		o->span = join(@2, $6 ? @6 : @5);
		PUSH($$->operations, o);
		$$->count++;
	}
	| mod_body ADD str "=" json when_opt {
		$$ = $1;
		struct ast_modify_operation *o = NEW(struct ast_modify_operation);
		o->op = AST_MODIFY_ADD;
		o->field = $3;
		o->value = $5;
		o->condition = $6;
		o->span = join(@2, $6 ? @6 : @5);
		PUSH($$->operations, o);
		$$->count++;
	}
	| mod_body REMOVE str when_opt {
		$$ = $1;
		struct ast_modify_operation *o = NEW(struct ast_modify_operation);
		o->op = AST_MODIFY_REMOVE;
		o->field = $3;
		o->condition = $4;
		o->span = join(@2, $4 ? @4 : @3);
		PUSH($$->operations, o);
		$$->count++;
	}
	| mod_body recover { $$ = $1; }
	;

when_opt:
	%empty { $$ = NULL; }
	| WHEN str { $$ = $2; }
	;

/* ---- initiatives ---- */

init_body:
	%empty { $$ = NEW(struct ast_initiative); }
	| init_body ID str { $$ = $1; SET_ONCE($$->id, $2, $3); }
	| init_body IMPORTED { $$ = $1; $$->imported = true; }
	| init_body DISPLAY str { $$ = $1; SET_ONCE($$->display, $2, $3); }
	| init_body DESCRIPTION str { $$ = $1; SET_ONCE($$->description, $2, $3); }
	| init_body POLICY_TYPE name { $$ = $1; SET_ONCE($$->policy_type, $2, $3); }
	| init_body VERSION str { $$ = $1; SET_ONCE($$->version, $2, $3); }
	| init_body VERSIONS json { $$ = $1; SET_ONCE($$->versions, $2, $3); }
	| init_body METADATA json { $$ = $1; SET_ONCE($$->metadata, $2, $3); }
	| init_body PROPERTY name json {
		$$ = $1;
		struct ast_property *pr = NEW(struct ast_property);
		pr->key = $3;
		pr->value = $4;
		PUSH($$->properties, pr);
	}
	| init_body param_decl { $$ = $1; PUSH($$->params, $2); }
	| init_body GROUP name {
		$$ = $1;
		struct ast_group *g = NEW(struct ast_group);
		g->name = $3;
		g->span = join(@2, @3);
		PUSH($$->groups, g);
	}
	| init_body GROUP name str {
		$$ = $1;
		struct ast_group *g = NEW(struct ast_group);
		g->name = $3;
		g->display = $4;
		g->span = join(@2, @4);
		PUSH($$->groups, g);
	}
	| init_body GROUP name "{" group_body "}" {
		$$ = $1;
		$5->name = $3;
		$5->span = join(@2, @6);
		PUSH($$->groups, $5);
	}
	| init_body GROUP name str "{" group_body "}" {
		$$ = $1;
		$6->name = $3;
		if ($6->display)
			dup_error(p, $2, $4->span);
		else
			$6->display = $4;
		$6->span = join(@2, @7);
		PUSH($$->groups, $6);
	}
	| init_body REFERENCE "->" str {
		$$ = $1;
		struct ast_reference *r = NEW(struct ast_reference);
		r->target = $4;
		r->span = join(@2, @4);
		PUSH($$->references, r);
	}
	| init_body REFERENCE "->" str "{" ref_body "}" {
		$$ = $1;
		struct ast_reference *r = $6;
		r->target = $4;
		r->span = join(@2, @7);
		REVERSE(struct ast_ref_param, r->params);
		PUSH($$->references, r);
	}
	| init_body REFERENCE name "->" str {
		$$ = $1;
		struct ast_reference *r = NEW(struct ast_reference);
		r->ref_id = $3;
		r->target = $5;
		r->span = join(@2, @5);
		PUSH($$->references, r);
	}
	| init_body REFERENCE name "->" str "{" ref_body "}" {
		$$ = $1;
		struct ast_reference *r = $7;
		r->ref_id = $3;
		r->target = $5;
		r->span = join(@2, @8);
		REVERSE(struct ast_ref_param, r->params);
		PUSH($$->references, r);
	}
	| init_body recover { $$ = $1; }
	;

group_body:
	%empty { $$ = NEW(struct ast_group); }
	| group_body DISPLAY str { $$ = $1; SET_ONCE($$->display, $2, $3); }
	| group_body CATEGORY str { $$ = $1; SET_ONCE($$->category, $2, $3); }
	| group_body DESCRIPTION str { $$ = $1; SET_ONCE($$->description, $2, $3); }
	| group_body ADDITIONAL_METADATA_ID str { $$ = $1; SET_ONCE($$->metadata_id, $2, $3); }
	| group_body EXTRA json { $$ = $1; SET_ONCE($$->extra, $2, $3); }
	| group_body recover { $$ = $1; }
	;

ref_body:
	%empty { $$ = NEW(struct ast_reference); }
	| ref_body DEFINITION_VERSION str { $$ = $1; SET_ONCE($$->definition_version, $2, $3); }
	| ref_body GROUPS json { $$ = $1; SET_ONCE($$->groups, $2, $3); }
	| ref_body PARAMETER name "=" json {
		$$ = $1;
		struct ast_ref_param *rp = NEW(struct ast_ref_param);
		rp->name = $3;
		rp->value = $5;
		PUSH($$->params, rp);
	}
	| ref_body PARAMETERS json { $$ = $1; ref_params_from_json(p, $$, $3); }
	| ref_body EXTRA json { $$ = $1; SET_ONCE($$->extra, $2, $3); }
	| ref_body recover { $$ = $1; }
	;

/* ---- conditions ---- */

cond:
	"{" cond_list "}" {
		if ($2 && !$2->next) {
			$$ = $2;
		} else {
			$$ = cond_logical(p, AST_COND_ALL, $2, join(@1, @3));
		}
	}
	| ALL "{" cond_list "}" { $$ = cond_logical(p, AST_COND_ALL, $3, join(@1, @4)); }
	| ANY "{" cond_list "}" { $$ = cond_logical(p, AST_COND_ANY, $3, join(@1, @4)); }
	| NOT cond {
		$$ = ast_cond_new(p->arena, AST_COND_NOT, join(@1, @2));
		$$->u.negated = $2;
	}
	| TYPE op json {
		$$ = cond_leaf(p, AST_COND_FIELD, join(@1, @3), $2, @2, $3);
		$$->u.leaf.field = $1;
	}
	| FIELD str op json {
		$$ = cond_leaf(p, AST_COND_FIELD, join(@1, @4), $3, @3, $4);
		$$->u.leaf.field = $2;
	}
	| VALUE json op json {
		$$ = cond_leaf(p, AST_COND_VALUE, join(@1, @4), $3, @3, $4);
		$$->u.leaf.value = $2;
	}
	| COUNT FIELD str where_opt op json {
		$$ = cond_leaf(p, AST_COND_COUNT, join(@1, @6), $5, @5, $6);
		$$->u.leaf.count.kind = AST_COUNT_FIELD;
		$$->u.leaf.count.field = $3;
		$$->u.leaf.count.where = $4;
	}
	| EXTRA json {
		$$ = ast_cond_new(p->arena, AST_COND_JSON, join(@1, @2));
		$$->u.json = $2;
	}
	| COUNT VALUE json as_opt where_opt op json {
		$$ = cond_leaf(p, AST_COND_COUNT, join(@1, @7), $6, @6, $7);
		$$->u.leaf.count.kind = AST_COUNT_VALUE;
		$$->u.leaf.count.value = $3;
		$$->u.leaf.count.name = $4;
		$$->u.leaf.count.where = $5;
	}
	;

/* Built reversed; cond_logical() restores source order. */
cond_list:
	%empty { $$ = NULL; }
	| cond_list cond { $$ = $2; $$->next = $1; }
	| cond_list error { $$ = $1; }
	;

where_opt:
	%empty { $$ = NULL; }
	| WHERE cond { $$ = $2; }
	;

as_opt:
	%empty { $$ = NULL; }
	| AS str { $$ = $2; }
	;

op:
	OP {
		enum ast_op o = AST_OP_EQUALS;
		ast_op_from_name($1->s, &o);
		$$ = (int)o;
	}
	| "==" { $$ = AST_OP_EQUALS; }
	| "!=" { $$ = AST_OP_NOT_EQUALS; }
	| "<" { $$ = AST_OP_LESS; }
	| "<=" { $$ = AST_OP_LESS_OR_EQUALS; }
	| ">" { $$ = AST_OP_GREATER; }
	| ">=" { $$ = AST_OP_GREATER_OR_EQUALS; }
	;

/* ---- JSON values ---- */

json:
	STRING { $$ = json_string(p, $1); }
	| TEXT { $$ = json_string(p, $1); }
	| NUMBER { $$ = $1; }
	| JTRUE { $$ = json_bool(p, true, @1); }
	| JFALSE { $$ = json_bool(p, false, @1); }
	| JNULL { $$ = ast_json_new(p->arena, AST_JSON_NULL, @1); }
	| "[" "]" { $$ = ast_json_new(p->arena, AST_JSON_ARRAY, join(@1, @2)); }
	| "[" items opt_comma "]" {
		$$ = $2;
		$$->span = join(@1, @4);
		REVERSE(struct ast_json_item, $$->u.array.items);
	}
	| "{" "}" { $$ = ast_json_new(p->arena, AST_JSON_OBJECT, join(@1, @2)); }
	| "{" members opt_comma "}" {
		$$ = $2;
		$$->span = join(@1, @4);
		REVERSE(struct ast_json_member, $$->u.object.members);
	}
	;

items:
	json { $$ = json_array_start(p, $1); }
	| items "," json { $$ = json_push(p, $1, $3); }
	;

members:
	STRING ":" json { $$ = json_object_push(p, NULL, $1, $3); }
	| members "," STRING ":" json { $$ = json_object_push(p, $1, $3, $5); }
	;

opt_comma:
	%empty
	| ","
	;

/* ---- words ---- */

/* A string literal or a text block. */
str:
	STRING
	| TEXT
	;

/* An id or a keyword-valued argument: a word or a string. */
/* The body of a `test` block (grammar/README.md, "Tests"). */
test_body:
	%empty { $$ = NEW(struct ast_test); }
	| test_body RESOURCE json { $$ = $1; SET_ONCE($$->resource, $2, $3); }
	| test_body RESOURCE file_ref { $$ = $1; SET_ONCE($$->resource_file, $2, $3); }
	| test_body PARAMETERS json { $$ = $1; SET_ONCE($$->parameters, $2, $3); }
	| test_body RELATED json { $$ = $1; SET_ONCE($$->related, $2, $3); }
	| test_body RELATED file_ref { $$ = $1; SET_ONCE($$->related_file, $2, $3); }
	| test_body API_VERSION str { $$ = $1; SET_ONCE($$->api_version, $2, $3); }
	| test_body EXPECT word { $$ = $1; SET_ONCE($$->expect, $2, $3); }
	;

/* `file "path"`: a fixture beside the pack. */
file_ref:
	IDENT STRING {
		if (strcmp($1->s, "file") != 0)
			diag_error(p->diag, $1->span, "E0104", "expected 'file' or a JSON value, found '%s'",
				   $1->s);
		$$ = $2;
	}
	;

name:
	word
	| STRING
	;

/* Any word, reserved or not: keywords never stop a word from being a name. */
word:
	IDENT
	| OP
	| SERVICE | SECTION | RECOMMENDATION | SEE | ENFORCE | POLICY
	| INITIATIVE | MS_SERVICE | AUTHOR | MS_AUTHOR | MS_DATE | CATEGORY
	| VERSION | GOVERNS | AT | TITLE | HEADING | DESCRIPTION
	| INTRO | RELATED | DISPLAY | MODE | POLICY_TYPE | VERSIONS
	| METADATA | MESSAGE | ID | PROPERTY | PARAM | EFFECT
	| IF | MODIFY | APPEND | DETAILS | NAME | STRONG_TYPE
	| ALLOWED | DEFAULT | SCHEMA | EXTRA | ALL | ANY
	| NOT | TYPE | FIELD | VALUE | COUNT | WHERE
	| AS | JTRUE | JFALSE | JNULL | RESOURCE_GROUP_NAME | EXISTENCE_SCOPE
	| DEPLOYMENT_SCOPE | EVALUATION_DELAY | EXISTENCE_CONDITION | ROLE_DEFINITION_IDS | DEPLOYMENT | CONFLICT_EFFECT
	| SET | ADD | REMOVE | WHEN | GROUP | REFERENCE
	| PARAMETER | PARAMETERS | DEFINITION_VERSION | GROUPS | ADDITIONAL_METADATA_ID
	| HARDEN | INPUT | COMPANION | SECURE | REMEDIATE | IDENTITY | SINCE | TEST | RESOURCE | EXPECT | API_VERSION | IMPORTED
	;

/* Every token but braces and the end: what error recovery skips inside a block. */
any_token:
	IDENT | OP | STRING | TEXT | NUMBER | "[" | "]" | "(" | ")" | "," | ":" | "="
	| "|" | "->" | "==" | "!=" | "<" | "<=" | ">" | ">="
	| SERVICE | SECTION | RECOMMENDATION | SEE | ENFORCE | POLICY
	| INITIATIVE | MS_SERVICE | AUTHOR | MS_AUTHOR | MS_DATE | CATEGORY
	| VERSION | GOVERNS | AT | TITLE | HEADING | DESCRIPTION
	| INTRO | RELATED | DISPLAY | MODE | POLICY_TYPE | VERSIONS
	| METADATA | MESSAGE | ID | PROPERTY | PARAM | EFFECT
	| IF | MODIFY | APPEND | DETAILS | NAME | STRONG_TYPE
	| ALLOWED | DEFAULT | SCHEMA | EXTRA | ALL | ANY
	| NOT | TYPE | FIELD | VALUE | COUNT | WHERE
	| AS | JTRUE | JFALSE | JNULL | RESOURCE_GROUP_NAME | EXISTENCE_SCOPE
	| DEPLOYMENT_SCOPE | EVALUATION_DELAY | EXISTENCE_CONDITION | ROLE_DEFINITION_IDS | DEPLOYMENT | CONFLICT_EFFECT
	| SET | ADD | REMOVE | WHEN | GROUP | REFERENCE
	| PARAMETER | PARAMETERS | DEFINITION_VERSION | GROUPS | ADDITIONAL_METADATA_ID
	| HARDEN | INPUT | COMPANION | SECURE | REMEDIATE | IDENTITY | SINCE | TEST | RESOURCE | EXPECT | API_VERSION | IMPORTED
	;

%%

static int yylex(YYSTYPE *lval, YYLTYPE *lloc, struct parser *p)
{
	struct lex_token t;
	if (diag_should_stop(p->diag))
		p->lx->done = true;
	int kind = lex_next(p->lx, &t);
	*lloc = t.span;
	if (kind == TOK_NUMBER)
		lval->json = t.num;
	else
		lval->str = t.str;
	p->last_str = t.str;
	p->last_num = t.num;
	return kind;
}

/* Bison's own errors: only "memory exhausted" when the stack is too deep. */
static void yyerror(const YYLTYPE *loc, struct parser *p, const char *msg)
{
	(void)msg;
	if (!diag_should_stop(p->diag))
		diag_error(p->diag, *loc, "E0102", "nesting too deep");
}

/* A token that stands for many spellings: <string>, end of file. */
static bool symbol_is_category(yysymbol_kind_t k)
{
	const char *name = yysymbol_name(k);
	return (name[0] == '<' && name[1] >= 'a' && name[1] <= 'z') || k == YYSYMBOL_YYEOF;
}

static bool is_operator(yysymbol_kind_t k)
{
	switch (k) {
	case YYSYMBOL_OP:
	case YYSYMBOL_EQ:
	case YYSYMBOL_NE:
	case YYSYMBOL_LT:
	case YYSYMBOL_LE:
	case YYSYMBOL_GT:
	case YYSYMBOL_GE:
		return true;
	default:
		return false;
	}
}

/* A token's name for messages: 'section', '{', <string>, end of file. */
static void add_symbol(struct sb *sb, yysymbol_kind_t k)
{
	const char *name = yysymbol_name(k);
	if (symbol_is_category(k))
		sb_adds(sb, name);
	else
		sb_addf(sb, "'%s'", name);
}

/* True for a reserved word's token (its name is the word itself). */
static bool symbol_is_keyword(yysymbol_kind_t k)
{
	const char *name = yysymbol_name(k);
	bool letter = (name[0] >= 'a' && name[0] <= 'z') || (name[0] >= 'A' && name[0] <= 'Z');
	return letter && k != YYSYMBOL_YYEOF && k != YYSYMBOL_YYerror && k != YYSYMBOL_YYUNDEF;
}

static bool symbol_is_word(yysymbol_kind_t k)
{
	return k == YYSYMBOL_IDENT || k == YYSYMBOL_OP || symbol_is_keyword(k);
}

#define MAX_LISTED 6

static bool is_value_start(yysymbol_kind_t k)
{
	switch (k) {
	case YYSYMBOL_STRING:
	case YYSYMBOL_TEXT:
	case YYSYMBOL_NUMBER:
	case YYSYMBOL_LBRACE:
	case YYSYMBOL_LBRACKET:
	case YYSYMBOL_JTRUE:
	case YYSYMBOL_JFALSE:
	case YYSYMBOL_JNULL:
		return true;
	default:
		return false;
	}
}

static int yyreport_syntax_error(const yypcontext_t *ctx, struct parser *p)
{
	/* The lexer already reported what is wrong with this token. */
	if (p->lx->token_had_error || diag_should_stop(p->diag))
		return 0;
	yysymbol_kind_t found = yypcontext_token(ctx);
	yysymbol_kind_t expected[YYNTOKENS];
	int n = yypcontext_expected_tokens(ctx, expected, YYNTOKENS);
	if (n < 0)
		n = 0;
	bool ident = false, value = false, op = false, condition = false;
	for (int i = 0; i < n; i++) {
		if (expected[i] == YYSYMBOL_FIELD)
			condition = true;
		if (expected[i] == YYSYMBOL_IDENT)
			ident = true;
		if (expected[i] == YYSYMBOL_NUMBER)
			value = true;
		if (expected[i] == YYSYMBOL_OP)
			op = true;
	}

	/* Keywords first, then punctuation, then <categories>; a word covers every keyword. */
	yysymbol_kind_t listed[YYNTOKENS];
	const char *cands[YYNTOKENS + AST_OP_COUNT];
	size_t nlisted = 0, ncands = 0, nkeywords = 0;
	/* Where an operator fits, a misspelt one gets a suggestion too. */
	if (op && !ident)
		for (int i = 0; i < AST_OP_COUNT; i++)
			cands[ncands++] = ast_op_name((enum ast_op)i);
	for (int pass = 0; pass < 3; pass++) {
		for (int i = 0; i < n; i++) {
			yysymbol_kind_t k = expected[i];
			bool kw = symbol_is_keyword(k);
			bool category = symbol_is_category(k);
			if (ident && (kw || k == YYSYMBOL_OP))
				continue;
			/* Where a JSON value fits, its first tokens read as "a value". */
			if (value && is_value_start(k))
				continue;
			if (op && !ident && is_operator(k))
				continue;
			if ((pass == 0) != kw)
				continue;
			if (pass == 1 && category)
				continue;
			if (pass == 2 && !category)
				continue;
			listed[nlisted++] = k;
			if (kw) {
				nkeywords++;
				cands[ncands++] = yysymbol_name(k);
			}
		}
	}

	/* The phrases to list: groups first, then single tokens. */
	struct sb names = SB_INIT;
	size_t ends[YYNTOKENS + 2], nphrases = 0;
	size_t first = 0;
	if (op && !ident) {
		sb_adds(&names, "an operator");
		ends[nphrases++] = names.len;
	}
	if (value) {
		sb_adds(&names, "a value");
		ends[nphrases++] = names.len;
	}
	if (nlisted > MAX_LISTED && nkeywords > 3) {
		/* Too many to read: name the statements (or conditions) as a group. */
		sb_adds(&names, condition ? "a condition" : "a statement");
		ends[nphrases++] = names.len;
		first = nkeywords;
	}
	for (size_t i = first; i < nlisted; i++) {
		add_symbol(&names, listed[i]);
		ends[nphrases++] = names.len;
	}
	struct sb msg = SB_INIT;
	if (nphrases == 0)
		sb_adds(&msg, "unexpected ");
	else
		sb_adds(&msg, "expected ");
	for (size_t i = 0, start = 0; i < nphrases; start = ends[i], i++) {
		if (i > 0)
			sb_adds(&msg, i + 1 == nphrases ? " or " : ", ");
		sb_add(&msg, names.buf + start, ends[i] - start);
	}
	sb_release(&names);
	if (nphrases > 0)
		sb_adds(&msg, ", found ");
	const struct ast_str *fs = p->last_str;
	if (symbol_is_word(found) && fs) {
		size_t len = fs->len > 40 ? 40 : fs->len;
		sb_addf(&msg, "'%.*s'", (int)len, fs->s);
	} else if (found == YYSYMBOL_NUMBER && p->last_num) {
		sb_addf(&msg, "'%.40s'", p->last_num->u.number.text);
	} else {
		add_symbol(&msg, found);
	}
	struct diag_record *r = diag_error(p->diag, *yypcontext_location(ctx), "E0101", "%s", msg.buf);
	sb_release(&msg);
	/* At the end of the file, point at the bracket still open. */
	if (found == YYSYMBOL_YYEOF && p->lx->depth > 0 && p->lx->depth <= PARSE_MAX_DEPTH) {
		const struct src_span *open = &p->lx->open[p->lx->depth - 1];
		diag_note(p->diag, r, *open, "'%c' opened here",
			  (char)p->src->text[open->begin.offset]);
	}
	if (symbol_is_word(found) && fs && ncands > 0) {
		const char *best = diag_closest(fs->s, cands, ncands);
		if (best)
			diag_help(p->diag, r, "did you mean '%s'?", best);
	}
	return 0;
}
