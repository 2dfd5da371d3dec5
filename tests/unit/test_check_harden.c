/*
 * Unit tests for check_harden: diagnostics as data (code, line, column) on
 * hand-built packs whose nodes carry made-up positions.
 */
#include "testutil.h"

#include "pacc/check_harden.h"
#include "pacc/harden.h"

static struct src_span at(uint32_t line, uint32_t col)
{
	struct src_span s = { 0 };
	s.begin.line = s.end.line = line;
	s.begin.col = col;
	s.end.col = col + 1;
	return s;
}

static struct ast_str *str_at(struct fixture *f, const char *s, uint32_t line, uint32_t col)
{
	return ast_str_new(&f->arena, s, strlen(s), at(line, col));
}

static struct ast_json *jstr(struct fixture *f, const char *s)
{
	struct ast_json *j = ast_json_new(&f->arena, AST_JSON_STRING, at(0, 0));
	j->u.string = str_at(f, s, 0, 0);
	return j;
}

struct builder {
	struct fixture *f;
	struct ast_pack *pack;
	struct ast_section *sec;
	uint32_t line; /* each node gets the next line */
};

static void governs(struct builder *b, const char *type, const char *version)
{
	struct ast_governs *g = ARENA_NEW(&b->f->arena, struct ast_governs);
	b->line++;
	g->type = str_at(b->f, type, b->line, 11);
	g->api_version = version ? str_at(b->f, version, b->line, 50) : NULL;
	g->span = at(b->line, 3);
	struct ast_governs **tail = &b->pack->service->governs;
	while (*tail)
		tail = &(*tail)->next;
	*tail = g;
}

static struct harden_input *input(struct builder *b, const char *name, const char *type)
{
	struct harden_input *in = ARENA_NEW(&b->f->arena, struct harden_input);
	b->line++;
	in->name = str_at(b->f, name, b->line, 9);
	in->type = str_at(b->f, type, b->line, 20);
	in->description = str_at(b->f, "d", b->line, 30);
	in->span = at(b->line, 3);
	struct harden_input **tail = &b->pack->service->inputs;
	while (*tail)
		tail = &(*tail)->next;
	*tail = in;
	return in;
}

static struct harden_block *harden(struct builder *b, const char *rec_id, const char *type)
{
	struct ast_recommendation *r = ARENA_NEW(&b->f->arena, struct ast_recommendation);
	b->line++;
	r->id = str_at(b->f, rec_id, b->line, 18);
	r->section = b->sec;
	struct ast_recommendation **tail = &b->sec->recommendations;
	while (*tail)
		tail = &(*tail)->next;
	*tail = r;
	struct harden_block *hb = ARENA_NEW(&b->f->arena, struct harden_block);
	b->line++;
	hb->type = str_at(b->f, type, b->line, 12);
	hb->span = at(b->line, 5);
	r->harden = hb;
	return hb;
}

static struct harden_setting *set(struct builder *b, struct harden_block *hb, const char *path,
				  struct ast_json *json, const char *input_name)
{
	struct harden_setting *s = ARENA_NEW(&b->f->arena, struct harden_setting);
	b->line++;
	s->path = str_at(b->f, path, b->line, 11);
	s->span = at(b->line, 7);
	s->value.json = json;
	s->value.input_name = input_name ? str_at(b->f, input_name, b->line, 40) : NULL;
	s->value.span = at(b->line, 40);
	struct harden_setting **tail = &hb->settings;
	while (*tail)
		tail = &(*tail)->next;
	*tail = s;
	return s;
}

static struct harden_companion *companion(struct builder *b, struct harden_block *hb, const char *kind)
{
	struct harden_companion *c = ARENA_NEW(&b->f->arena, struct harden_companion);
	b->line++;
	c->kind_word = str_at(b->f, kind, b->line, 17);
	c->span = at(b->line, 7);
	struct harden_companion **tail = &hb->companions;
	while (*tail)
		tail = &(*tail)->next;
	*tail = c;
	return c;
}

static void arg(struct builder *b, struct harden_companion *c, const char *key, struct ast_json *json,
		const char *input_name)
{
	struct harden_arg *a = ARENA_NEW(&b->f->arena, struct harden_arg);
	b->line++;
	a->key = str_at(b->f, key, b->line, 9);
	a->span = at(b->line, 9);
	a->value.json = json;
	a->value.input_name = input_name ? str_at(b->f, input_name, b->line, 20) : NULL;
	a->value.span = at(b->line, 20);
	struct harden_arg **tail = &c->args;
	while (*tail)
		tail = &(*tail)->next;
	*tail = a;
}

static struct builder builder(struct fixture *f)
{
	struct builder b = { f, NULL, NULL, 0 };
	b.pack = ARENA_NEW(&f->arena, struct ast_pack);
	b.pack->arena = &f->arena;
	b.pack->name = "pk";
	b.pack->service = ARENA_NEW(&f->arena, struct ast_service);
	b.sec = ARENA_NEW(&f->arena, struct ast_section);
	b.pack->sections = b.sec;
	governs(&b, "Microsoft.DataFactory/factories", "2018-06-01");
	return b;
}

static void test_check_harden_clean_pack(void **state)
{
	struct fixture *f = *state;
	struct builder b = builder(f);
	struct harden_input *ws = input(&b, "workspaceId", "String");
	struct harden_block *hb = harden(&b, "NS-2", "microsoft.datafactory/factories");
	set(&b, hb, "properties.publicNetworkAccess", jstr(f, "Disabled"), NULL);
	struct harden_block *hb2 = harden(&b, "NS-3", "Microsoft.DataFactory/factories");
	/* the same value twice is agreement, not conflict */
	set(&b, hb2, "properties.publicNetworkAccess", jstr(f, "Disabled"), NULL);
	struct harden_companion *c = companion(&b, hb2, "diagnostics");
	arg(&b, c, "workspace", NULL, "workspaceId");
	c = companion(&b, hb2, "child");
	c->child_type = str_at(f, "managedVirtualNetworks", b.line, 23);
	check_harden(b.pack, &f->diag);
	assert_int_equal(f->diag.count, 0);
	assert_true(ws->used);
	assert_ptr_equal(hb->governs, b.pack->service->governs);
	assert_ptr_equal(hb2->companions->args->value.input, ws);
	assert_int_equal(hb2->companions->kind, HARDEN_COMPANION_DIAGNOSTICS);
}

static void test_check_harden_ungoverned_type(void **state)
{
	struct fixture *f = *state;
	struct builder b = builder(f);
	struct harden_block *hb = harden(&b, "NS-2", "Microsoft.DataFactory/factorie");
	set(&b, hb, "properties.publicNetworkAccess", jstr(f, "Disabled"), NULL);
	check_harden(b.pack, &f->diag);
	assert_int_equal(f->diag.count, 1);
	assert_diag(f, 0, "E0401", 3, 12);
	assert_string_equal(f->diag.records[0]->help, "did you mean 'Microsoft.DataFactory/factories'?");
}

static void test_check_harden_unpinned_version(void **state)
{
	struct fixture *f = *state;
	struct builder b = builder(f);
	governs(&b, "Microsoft.KeyVault/vaults", NULL); /* line 2 */
	struct harden_block *hb = harden(&b, "DP-1", "Microsoft.KeyVault/vaults");
	set(&b, hb, "properties.enableRbacAuthorization", jstr(f, "x"), NULL);
	check_harden(b.pack, &f->diag);
	assert_int_equal(f->diag.count, 1);
	assert_diag(f, 0, "E0402", 4, 12);
	assert_int_equal(f->diag.records[0]->notes->span.begin.line, 2);
}

static void test_check_harden_inputs(void **state)
{
	struct fixture *f = *state;
	struct builder b = builder(f);
	input(&b, "workspaceId", "String");      /* line 2 */
	input(&b, "WorkspaceID", "String");      /* line 3: duplicate */
	input(&b, "spare", "Strng");             /* line 4: bad type, unused */
	struct harden_input *sec = input(&b, "count", "Integer"); /* line 5 */
	sec->secure = true;
	struct harden_block *hb = harden(&b, "NS-2", "Microsoft.DataFactory/factories"); /* 6, 7 */
	set(&b, hb, "properties.a", NULL, "workspaceId");  /* 8 */
	set(&b, hb, "properties.b", NULL, "workspaceid");  /* 9: unknown, did you mean */
	set(&b, hb, "properties.c", NULL, "count");        /* 10 */
	check_harden(b.pack, &f->diag);
	assert_int_equal(f->diag.count, 5);
	assert_diag(f, 0, "E0406", 3, 9);
	assert_diag(f, 1, "E0410", 4, 20);
	assert_string_equal(f->diag.records[1]->help, "did you mean 'String'?");
	assert_diag(f, 2, "E0410", 5, 3);
	assert_diag(f, 3, "E0403", 9, 40);
	assert_string_equal(f->diag.records[3]->help, "did you mean 'workspaceId'?");
	/* unused: the spare only; the duplicate was reported once, as E0406 */
	assert_diag(f, 4, "E0404", 4, 9);
	/* It says how an input is used, with the input's own name. */
	assert_non_null(f->diag.records[4]->help);
	assert_non_null(strstr(f->diag.records[4]->help, "set properties.<path> = input.spare"));
	assert_non_null(strstr(f->diag.records[4]->help, "workspace = input.spare"));
}

static void test_check_harden_conflicts(void **state)
{
	struct fixture *f = *state;
	struct builder b = builder(f);
	struct harden_block *a = harden(&b, "NS-2", "Microsoft.DataFactory/factories"); /* 2, 3 */
	set(&b, a, "properties.publicNetworkAccess", jstr(f, "Disabled"), NULL);      /* 4 */
	set(&b, a, "identity", jstr(f, "x"), NULL);                                   /* 5 */
	struct harden_block *c = harden(&b, "NS-3", "Microsoft.DataFactory/factories"); /* 6, 7 */
	set(&b, c, "properties.publicNetworkAccess", jstr(f, "Enabled"), NULL);       /* 8 */
	set(&b, c, "identity.type", jstr(f, "SystemAssigned"), NULL);                 /* 9 */
	set(&b, c, "properties.publicNetworkAccessible", jstr(f, "x"), NULL);         /* 10: unrelated */
	check_harden(b.pack, &f->diag);
	assert_int_equal(f->diag.count, 2);
	assert_diag(f, 0, "E0405", 8, 7);
	assert_int_equal(f->diag.records[0]->notes->span.begin.line, 4);
	assert_string_equal(f->diag.records[0]->notes->message, "set by recommendation 'NS-2' here");
	assert_diag(f, 1, "E0405", 9, 7);
	assert_int_equal(f->diag.records[1]->notes->span.begin.line, 5);
}

/* Each setting is reported once, against the first earlier setting it conflicts with. */
static void test_check_harden_conflicts_first_earlier(void **state)
{
	struct fixture *f = *state;
	struct builder b = builder(f);
	governs(&b, "Microsoft.KeyVault/vaults", "2023-07-01");                      /* 2 */
	struct harden_block *a = harden(&b, "NS-2", "Microsoft.DataFactory/factories"); /* 3, 4 */
	set(&b, a, "properties.a", jstr(f, "x"), NULL);       /* 5 */
	set(&b, a, "properties.a", jstr(f, "x"), NULL);       /* 6: agrees */
	set(&b, a, "properties.a", jstr(f, "y"), NULL);       /* 7: against 5 */
	set(&b, a, "properties.a", jstr(f, "x"), NULL);       /* 8: against 7, the first that differs */
	set(&b, a, "properties.b.c.d", jstr(f, "x"), NULL);   /* 9 */
	set(&b, a, "properties.b", jstr(f, "x"), NULL);       /* 10: against 9, below it */
	set(&b, a, "properties.b.c", jstr(f, "x"), NULL);     /* 11: against 9 (below), before 10 (above) */
	set(&b, a, "properties.bc", jstr(f, "x"), NULL);      /* 12: unrelated */
	struct harden_block *k = harden(&b, "DP-1", "Microsoft.KeyVault/vaults"); /* 13, 14 */
	set(&b, k, "properties.a", jstr(f, "z"), NULL);       /* 15: another type */
	check_harden(b.pack, &f->diag);
	assert_int_equal(f->diag.count, 4);
	assert_diag(f, 0, "E0405", 7, 7);
	assert_int_equal(f->diag.records[0]->notes->span.begin.line, 5);
	assert_diag(f, 1, "E0405", 8, 7);
	assert_int_equal(f->diag.records[1]->notes->span.begin.line, 7);
	assert_diag(f, 2, "E0405", 10, 7);
	assert_int_equal(f->diag.records[2]->notes->span.begin.line, 9);
	assert_string_equal(f->diag.records[2]->message,
			    "'properties.b' overlaps 'properties.b.c.d' on 'Microsoft.DataFactory/factories'");
	assert_diag(f, 3, "E0405", 11, 7);
	assert_int_equal(f->diag.records[3]->notes->span.begin.line, 9);
}

static void test_check_harden_owned_paths(void **state)
{
	struct fixture *f = *state;
	struct builder b = builder(f);
	struct harden_block *a = harden(&b, "NS-2", "Microsoft.DataFactory/factories"); /* 2, 3 */
	set(&b, a, "name", jstr(f, "x"), NULL);            /* 4 */
	set(&b, a, "location.x", jstr(f, "x"), NULL);      /* 5 */
	set(&b, a, "properties..x", jstr(f, "x"), NULL);   /* 6 */
	set(&b, a, "named", jstr(f, "x"), NULL);           /* 7: fine */
	check_harden(b.pack, &f->diag);
	assert_int_equal(f->diag.count, 3);
	assert_diag(f, 0, "E0409", 4, 11);
	assert_diag(f, 1, "E0409", 5, 11);
	assert_diag(f, 2, "E0409", 6, 11);
}

static void test_check_harden_companions(void **state)
{
	struct fixture *f = *state;
	struct builder b = builder(f);
	input(&b, "subnetId", "String");                                             /* 2 */
	struct harden_block *hb = harden(&b, "NS-2", "Microsoft.DataFactory/factories"); /* 3, 4 */
	companion(&b, hb, "diagnostic");                                             /* 5: unknown */
	struct harden_companion *pe = companion(&b, hb, "private-endpoint");         /* 6 */
	arg(&b, pe, "subnet", NULL, "subnetId");                                     /* 7 */
	arg(&b, pe, "groupID", jstr(f, "dataFactory"), NULL);                        /* 8: unknown arg */
	struct harden_companion *lock = companion(&b, hb, "lock");                   /* 9 */
	arg(&b, lock, "level", jstr(f, "NoDelete"), NULL);                           /* 10: bad value */
	arg(&b, lock, "level", jstr(f, "ReadOnly"), NULL);                           /* 11: twice */
	companion(&b, hb, "child");                                                  /* 12: no type */
	check_harden(b.pack, &f->diag);
	assert_int_equal(f->diag.count, 6);
	assert_diag(f, 0, "E0407", 5, 17);
	assert_string_equal(f->diag.records[0]->help, "did you mean 'diagnostics'?");
	assert_diag(f, 1, "E0408", 8, 9);
	assert_string_equal(f->diag.records[1]->help, "did you mean 'groupId'?");
	assert_diag(f, 2, "E0408", 6, 7); /* groupId missing */
	assert_diag(f, 3, "E0411", 10, 20);
	assert_diag(f, 4, "E0408", 11, 9);
	assert_diag(f, 5, "E0412", 12, 7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_check_harden_clean_pack, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_check_harden_ungoverned_type, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_check_harden_unpinned_version, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_check_harden_inputs, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_check_harden_conflicts, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_check_harden_conflicts_first_earlier, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_check_harden_owned_paths, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_check_harden_companions, fixture_setup, fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
