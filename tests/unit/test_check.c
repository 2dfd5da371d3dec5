#include "testutil.h"

#include "pacc/check.h"
#include "pacc/parse.h"
#include "pacc/sb.h"

#include <stdio.h>
#include <stdlib.h>

/* Nine lines: a complete service, so sections start on line 10. */
#define SERVICE                                   \
	"service \"Svc\" {\n"                     \
	"  ms.service \"svc\"\n"                  \
	"  author \"a\"\n"                        \
	"  ms.author \"a\"\n"                     \
	"  ms.date \"2025-06-04\"\n"              \
	"  category \"C\"\n"                      \
	"  version \"1.0.0\" intro \"Overview.\"\n" \
	"  governs \"Microsoft.X/y\"\n"           \
	"}\n"

/* Lines 10-12 open a section and a recommendation around enforce blocks. */
#define REC_OPEN                                  \
	"section net \"Net\" { \"\"\"About.\"\"\"\n" \
	"  recommendation NS-1 \"Do it\" {\n"     \
	"    \"\"\"Why.\"\"\"\n"
#define REC_CLOSE "  }\n}\n"

/* Parses text as pack "pk" (which must parse cleanly), then checks it. */
static struct ast_pack *run(struct fixture *f, const char *text, bool *ok)
{
	fixture_source(f, text);
	struct ast_pack *pack = parse_pack(f->src, "pk", &f->arena, &f->diag);
	if (f->diag.count) {
		diag_render(&f->diag, stderr, DIAG_FORMAT_TEXT, false);
		fail_msg("the test input does not parse");
	}
	bool result = check_pack(pack, &f->diag);
	if (ok)
		*ok = result;
	return pack;
}

/* Asserts the number of records, showing them when it is wrong. */
static void expect_count(struct fixture *f, size_t n)
{
	if (f->diag.count != n || getenv("CHECK_DUMP")) {
		diag_render(&f->diag, stderr, DIAG_FORMAT_TEXT, false);
		if (f->diag.count != n)
			fail_msg("expected %zu diagnostics, got %zu", n, f->diag.count);
	}
}

static void expect_help(struct fixture *f, size_t i, const char *help)
{
	assert_non_null(f->diag.records[i]->help);
	assert_string_equal(f->diag.records[i]->help, help);
}

static const char good_pack[] =
	SERVICE
	REC_OPEN
	"    enforce {\n"
	"      display \"D\"\n"
	"      mode Indexed\n"
	"      effect audit|deny|disabled = audit\n"
	"      if { type == \"Microsoft.X/y\" }\n"
	"    }\n"
	"    enforce modify {\n"
	"      display \"M\"\n"
	"      effect modify|disabled = modify\n"
	"      param tagName String = \"env\"\n"
	"      if { field \"[concat('tags[', parameters('tagName'), ']')]\" exists false }\n"
	"      modify {\n"
	"        roleDefinitionIds [\"/providers/Microsoft.Authorization/roleDefinitions/1\"]\n"
	"        add \"tags['a']\" = \"b\"\n"
	"      }\n"
	"    }\n"
	REC_CLOSE
	"policy \"lib\" {\n"
	"  display \"L\"\n"
	"  effect \"[parameters('eff')]\"\n"
	"  param eff String { allowed [\"AuditIfNotExists\", \"Disabled\"] default \"AuditIfNotExists\" }\n"
	"  param ws String\n"
	"  if { type == \"Microsoft.X/y\" }\n"
	"  related \"Microsoft.Insights/diagnosticSettings\" {\n"
	"    existenceCondition { field \"Microsoft.Insights/diagnosticSettings/workspaceId\" == \"[parameters('WS')]\" }\n"
	"  }\n"
	"}\n"
	"initiative \"ini\" {\n"
	"  display \"I\"\n"
	"  param effect String { allowed [\"AuditIfNotExists\", \"Disabled\"] default \"AuditIfNotExists\" }\n"
	"  group g1 \"G\"\n"
	"  reference \"R1\" -> \"lib\" {\n"
	"    groups [\"g1\"]\n"
	"    parameter eff = \"[parameters('effect')]\"\n"
	"    parameter ws = \"x\"\n"
	"  }\n"
	"  reference \"R2\" -> \"/providers/Microsoft.Authorization/policyDefinitions/0a2e\" { }\n"
	"}\n";

static void test_check_accepts_valid_pack_and_fills_fields(void **state)
{
	struct fixture *f = *state;
	bool ok = false;
	struct ast_pack *pack = run(f, good_pack, &ok);
	expect_count(f, 0);
	assert_true(ok);
	struct ast_recommendation *r = pack->sections->recommendations;
	assert_string_equal(r->policies->resolved_name, "pk-ns-1");
	assert_string_equal(r->policies->next->resolved_name, "pk-ns-1-modify");
	assert_ptr_equal(r->policies->owner, r);
	assert_string_equal(pack->policies->resolved_name, "lib");
	assert_null(pack->policies->owner);
	assert_ptr_equal(pack->initiatives->references->resolved, pack->policies);
	assert_null(pack->initiatives->references->next->resolved);
	/* parameter names compare ignoring case, as Azure does */
	assert_true(pack->policies->params->next->used);
	assert_true(r->policies->next->params->next->used);
}

static void test_check_accepts_common_policy_shapes(void **state)
{
	struct fixture *f = *state;
	bool ok = false;
	run(f,
	    "policy \"dine\" {\n  display \"D\"\n  mode All\n"
	    "  effect deployIfNotExists|auditIfNotExists|disabled = deployIfNotExists\n"
	    "  param n Integer { allowed [1, 2] default 2 }\n"
	    "  param b Boolean { allowed [true, false] default true }\n"
	    "  param o Object = { \"k\": [1] }\n"
	    "  param names Array = [\"a\"]\n"
	    "  if {\n"
	    "    not field \"tags\" containsKey \"[string(parameters('n'))]\"\n"
	    "    count value \"[parameters('names')]\" as \"x\" where { value \"[current('x')]\" like \"a*\" } == 0\n"
	    "    value \"[parameters('b')]\" equals true\n"
	    "  }\n"
	    "  related \"Microsoft.Insights/diagnosticSettings\" {\n"
	    "    existenceCondition { field \"name\" == \"[parameters('o').k]\" }\n"
	    "    roleDefinitionIds [\"/providers/Microsoft.Authorization/roleDefinitions/1\"]\n"
	    "    deployment { \"properties\": { \"mode\": \"incremental\", \"template\": { } } }\n"
	    "  }\n"
	    "}\n"
	    /* details written as JSON serve an IfNotExists effect as well */
	    "policy \"json\" {\n  display \"J\"\n  effect auditIfNotExists\n"
	    "  if { type == \"Microsoft.X/y\" }\n"
	    "  details { \"type\": \"Microsoft.X/z\" }\n"
	    "}\n",
	    &ok);
	expect_count(f, 0);
	assert_true(ok);
}

/* ---- service and guide ---- */

static void test_check_service_requires_fields(void **state)
{
	struct fixture *f = *state;
	run(f,
	    "service \"Svc\" {\n"
	    "  ms.service \"svc\"\n"
	    "  author \"a\"\n"
	    "  ms.date \"2025-06-04\"\n"
	    "  category \"C\"\n"
	    "  version \"1.0.0\" intro \"O.\"\n"
	    "}\n"
	    REC_OPEN "    \"\"\"More.\"\"\"\n" REC_CLOSE,
	    NULL);
	expect_count(f, 2);
	assert_diag(f, 0, "E0201", 1, 1);
	assert_string_equal(f->diag.records[0]->message, "service 'Svc' is missing 'ms.author'");
	assert_diag(f, 1, "E0201", 1, 1);
	assert_string_equal(f->diag.records[1]->message, "service 'Svc' declares no 'governs' resource type");
}

static void test_check_service_date_is_calendar_date(void **state)
{
	struct fixture *f = *state;
	char text[2048];
	const char *dates[] = { "2025-02-30", "2025-6-04", "2023-02-29", "2025-13-01" };
	for (size_t i = 0; i < 4; i++) {
		snprintf(text, sizeof(text),
			 "service \"Svc\" {\n  ms.service \"svc\"\n  author \"a\"\n  ms.author \"a\"\n"
			 "  ms.date \"%s\"\n  category \"C\"\n  version \"1.0.0\" intro \"O.\"\n  governs \"Microsoft.X/y\"\n}\n"
			 REC_OPEN REC_CLOSE,
			 dates[i]);
		diag_release(&f->diag);
		diag_init(&f->diag);
		run(f, text, NULL);
		expect_count(f, 1);
		assert_diag(f, 0, "E0202", 5, 11);
	}
	/* a leap day is a date */
	snprintf(text, sizeof(text), "%s", SERVICE REC_OPEN REC_CLOSE);
	char *p = strstr(text, "2025-06-04");
	memcpy(p, "2024-02-29", 10);
	diag_release(&f->diag);
	diag_init(&f->diag);
	run(f, text, NULL);
	expect_count(f, 0);
}

static void test_check_service_needs_sections(void **state)
{
	struct fixture *f = *state;
	run(f, SERVICE, NULL);
	expect_count(f, 1);
	assert_diag(f, 0, "E0203", 1, 1);
}

static void test_check_section_needs_recommendations(void **state)
{
	struct fixture *f = *state;
	run(f, SERVICE "section net \"Net\" {\n  \"\"\"Text.\"\"\"\n}\n", NULL);
	expect_count(f, 1);
	assert_diag(f, 0, "E0204", 10, 1);
}

static void test_check_front_matter_description_length_warns(void **state)
{
	struct fixture *f = *state;
	bool ok = false;
	run(f,
	    "service \"Svc\" {\n  ms.service \"svc\"\n  author \"a\"\n  ms.author \"a\"\n"
	    "  ms.date \"2025-06-04\"\n  category \"C\"\n  version \"1.0.0\" intro \"O.\"\n  governs \"Microsoft.X/y\"\n"
	    "  description \"Too short.\"\n}\n"
	    "section net \"Net\" { \"\"\"A.\"\"\"\n  recommendation NS-1 \"Do it\" { \"\"\"W.\"\"\"\n  }\n}\n",
	    &ok);
	expect_count(f, 1);
	assert_diag(f, 0, "E0205", 9, 15);
	assert_int_equal(f->diag.records[0]->severity, DIAG_WARNING);
	assert_true(ok);
}

static void test_check_duplicate_section_and_recommendation_ids(void **state)
{
	struct fixture *f = *state;
	run(f,
	    SERVICE
	    "section net \"Net\" { \"\"\"A.\"\"\"\n"   /* 10 */
	    "  recommendation NS-1 \"A\" { \"\"\"W.\"\"\" }\n" /* 11 */
	    "}\n"                                          /* 12 */
	    "section Net \"Net again\" { \"\"\"A.\"\"\"\n" /* 13 */
	    "  recommendation ns-1 \"B\" { \"\"\"W.\"\"\" }\n" /* 14 */
	    "}\n",
	    NULL);
	expect_count(f, 2);
	assert_diag(f, 0, "E0206", 13, 9);
	assert_string_equal(f->diag.records[0]->message, "duplicate section id 'Net'");
	assert_non_null(f->diag.records[0]->notes);
	assert_int_equal(f->diag.records[0]->notes->span.begin.line, 10);
	assert_int_equal(f->diag.records[0]->notes->span.begin.col, 9);
	assert_diag(f, 1, "E0207", 14, 18);
	assert_int_equal(f->diag.records[1]->notes->span.begin.line, 11);
}

#define ENFORCE_BODY                                   \
	"      display \"D\"\n"                         \
	"      effect deny\n"                            \
	"      if { type == \"Microsoft.X/y\" }\n"

static void test_check_enforce_suffix_rules(void **state)
{
	struct fixture *f = *state;
	run(f,
	    SERVICE REC_OPEN
	    "    enforce {\n" ENFORCE_BODY "    }\n"          /* 13-17 */
	    "    enforce {\n" ENFORCE_BODY "    }\n"          /* 18-22 */
	    "    enforce deny {\n" ENFORCE_BODY "    }\n"     /* 23-27 */
	    "    enforce DENY {\n" ENFORCE_BODY "    }\n"     /* 28-32 */
	    REC_CLOSE,
	    NULL);
	/* E0208 for the second block, E0209 for the duplicate suffix; the
	 * names these clashes derive are not reported again as E0302 */
	expect_count(f, 2);
	assert_diag(f, 0, "E0208", 18, 5);
	assert_int_equal(f->diag.records[0]->notes->span.begin.line, 13);
	assert_diag(f, 1, "E0209", 28, 13);
	assert_int_equal(f->diag.records[1]->notes->span.begin.line, 23);
}

static void test_check_link_targets(void **state)
{
	struct fixture *f = *state;
	run(f,
	    SERVICE
	    "section net \"Net\" { \"\"\"A.\"\"\"\n"
	    "  recommendation NS-1 \"Do it\" { \"\"\"W.\"\"\"\n"
	    "    see \"a\" -> \"http://example.com\"\n"           /* 12 */
	    "    see \"b\" -> \"/en-us/azure/x\"\n"               /* 13 */
	    "    see \"c\" -> \"/azure/x.md\"\n"                  /* 14 */
	    "    see \"d\" -> \"/azure/a b\"\n"                   /* 15 */
	    "    see \"e\" -> \"azure/x\"\n"                      /* 16 */
	    "    see \"f\" -> \"https://learn.microsoft.com/x\"\n"
	    "    see \"g\" -> \"/azure/x#frag\"\n"
	    "  }\n}\n",
	    NULL);
	expect_count(f, 5);
	assert_diag(f, 0, "E0210", 12, 16);
	expect_help(f, 0, "use https://");
	assert_diag(f, 1, "E0210", 13, 16);
	assert_diag(f, 2, "E0210", 14, 16);
	assert_diag(f, 3, "E0210", 15, 16);
	assert_diag(f, 4, "E0210", 16, 16);
}

static void test_check_versions_and_governs(void **state)
{
	struct fixture *f = *state;
	run(f,
	    "service \"Svc\" {\n  ms.service \"svc\"\n  author \"a\"\n  ms.author \"a\"\n"
	    "  ms.date \"2025-06-04\"\n  category \"C\"\n  version \"1.0\" intro \"O.\"\n"
	    "  governs \"DataFactory\" at \"2018-06\"\n"
	    "  related \"Baseline\" -> \"http://x\"\n}\n" REC_OPEN REC_CLOSE,
	    NULL);
	expect_count(f, 4);
	assert_diag(f, 3, "E0210", 9, 25);
	assert_diag(f, 0, "E0211", 7, 11);
	assert_diag(f, 1, "E0212", 8, 11);
	assert_diag(f, 2, "E0212", 8, 28);
}

static void test_check_sections_need_a_service(void **state)
{
	struct fixture *f = *state;
	run(f, REC_OPEN REC_CLOSE, NULL);
	expect_count(f, 1);
	assert_diag(f, 0, "E0213", 1, 1);
}

static void test_check_empty_pack_is_an_error(void **state)
{
	struct fixture *f = *state;
	bool ok = true;
	run(f, "# only a comment\n", &ok);
	assert_false(ok);
	expect_count(f, 1);
	assert_diag(f, 0, "E0218", 1, 1);
}

static void test_check_pack_name_is_safe(void **state)
{
	struct fixture *f = *state;
	fixture_source(f, good_pack);
	struct ast_pack *pack = parse_pack(f->src, "con", &f->arena, &f->diag);
	assert_false(check_pack(pack, &f->diag));
	expect_count(f, 1);
	assert_diag(f, 0, "E0301", 1, 1);
}

/* ---- policy names ---- */

#define POLICY(name) \
	"policy \"" name "\" {\n  display \"D\"\n  effect deny\n  if { type == \"Microsoft.X/y\" }\n}\n"

static void test_check_policy_names_are_safe(void **state)
{
	struct fixture *f = *state;
	run(f,
	    POLICY("con.json")                                                              /* 1 */
	    POLICY("a/b")                                                                   /* 6 */
	    POLICY("trailing.")                                                             /* 11 */
	    POLICY(".hidden")                                                               /* 16 */
	    POLICY("x1234567890123456789012345678901234567890123456789012345678901234")   /* 21 */
	    POLICY("Lpt9")                                                                  /* 26 */
	    POLICY("com10")                                                                 /* 31: fine */
	    POLICY("a:b"),                                                                  /* 36 */
	    NULL);
	expect_count(f, 7);
	for (size_t i = 0; i < 6; i++)
		assert_diag(f, i, "E0301", 1 + 5 * i, 8);
	assert_diag(f, 6, "E0301", 36, 8);
	assert_string_equal(f->diag.records[0]->message,
			    "policy name 'con.json' is a reserved device name on Windows");
	assert_string_equal(f->diag.records[1]->message,
			    "policy name 'a/b' contains '/', which Azure names and file names forbid");
}

/* Ids that hide characters: E0332 at each, wherever it is declared. */
static void test_check_ids_hide_nothing(void **state)
{
	struct fixture *f = *state;
	run(f,
	    SERVICE
	    "section \"n\\u202Eet\" \"Net\" { \"\"\"About.\"\"\"\n"               /* 10 */
	    "  recommendation \"NS\\u200B1\" \"Do it\" {\n"                       /* 11 */
	    "    \"\"\"Why.\"\"\"\n"
	    "    enforce {\n" ENFORCE_BODY "    }\n"                               /* 13-17 */
	    "    enforce \"de\\u2066ny\" {\n" ENFORCE_BODY "    }\n"              /* 18-22 */
	    REC_CLOSE                                                               /* 23-24 */
	    "initiative \"i\" {\n"                                                 /* 25 */
	    "  param \"e\\uFEFFff\" String = \"x\"\n"                             /* 26 */
	    "  group \"g\\u200Dg\"\n"                                             /* 27 */
	    "  reference \"r\\u061Cr\" -> \"/providers/Microsoft.Authorization/policyDefinitions/x\" {\n" /* 28 */
	    "    parameter \"p\\u200Eq\" = \"[parameters('e\\uFEFFff')]\"\n"    /* 29 */
	    "  }\n}\n",
	    NULL);
	size_t seen = 0;
	static const unsigned lines[] = { 10, 11, 18, 26, 27, 28, 29 };
	for (size_t i = 0; i < f->diag.count; i++) {
		const struct diag_record *r = f->diag.records[i];
		if (strcmp(r->code, "E0332") != 0)
			continue;
		assert_true(seen < sizeof(lines) / sizeof(lines[0]));
		assert_int_equal(r->span.begin.line, lines[seen]);
		seen++;
	}
	assert_int_equal(seen, sizeof(lines) / sizeof(lines[0]));
}

/* Azure's limits on a declared initiative: 1,000 references, 400 parameters. */
static void test_check_initiative_limits(void **state)
{
	struct fixture *f = *state;
	struct sb text = SB_INIT;
	sb_adds(&text, "initiative \"big\" {\n  display \"Big\"\n");         /* 1-2 */
	for (int i = 0; i < 401; i++)                                       /* 3-403 */
		sb_addf(&text, "  param p%d String = \"x\"\n", i);
	for (int i = 0; i < 1001; i++)                                      /* 404-1404 */
		sb_addf(&text, "  reference \"r%d\" -> \"/providers/Microsoft.Authorization/policyDefinitions/x%d\" "
			       "{ parameter a = \"[parameters('p%d')]\" }\n",
			i, i, i % 401);
	sb_adds(&text, "}\n");
	run(f, text.buf, NULL);
	sb_release(&text);
	expect_count(f, 2);
	assert_diag(f, 0, "E0333", 403, 9);
	assert_diag(f, 1, "E0334", 1404, 13);
}

static void test_check_duplicate_policy_names(void **state)
{
	struct fixture *f = *state;
	run(f, POLICY("p") POLICY("q") POLICY("P"), NULL);
	expect_count(f, 1);
	assert_diag(f, 0, "E0302", 11, 8);
	assert_int_equal(f->diag.records[0]->notes->span.begin.line, 1);
}

static void test_check_derived_name_clashes_with_policy(void **state)
{
	struct fixture *f = *state;
	run(f, SERVICE REC_OPEN "    enforce {\n" ENFORCE_BODY "    }\n" REC_CLOSE POLICY("PK-NS-1"), NULL);
	expect_count(f, 1);
	/* line 20: the policy after the section's 19 lines */
	assert_diag(f, 0, "E0302", 20, 8);
	assert_string_equal(f->diag.records[0]->message, "duplicate policy name 'PK-NS-1'");
	assert_int_equal(f->diag.records[0]->notes->span.begin.line, 11);
}

static void test_check_escaped_bracket_is_not_an_expression(void **state)
{
	struct fixture *f = *state;
	run(f,
	    "policy \"p\" {\n  display \"D\"\n  effect deny\n"
	    "  if { field \"name\" == \"[[parameters('nope')]\" }\n}\n",
	    NULL);
	expect_count(f, 0);
}

/* ---- texts ---- */

static void test_check_display_and_description_limits(void **state)
{
	struct fixture *f = *state;
	char long_display[140], long_desc[520], text[4096];
	memset(long_display, 'd', 129);
	long_display[129] = '\0';
	memset(long_desc, 'x', 513);
	long_desc[513] = '\0';
	snprintf(text, sizeof(text),
		 "policy \"p\" {\n  display \"%s\"\n  description \"%s\"\n  effect deny\n"
		 "  if { type == \"Microsoft.X/y\" }\n}\n"
		 "policy \"q\" {\n  display \"%s\"\n  policyType BuiltIn\n  effect deny\n"
		 "  if { type == \"Microsoft.X/y\" }\n}\n",
		 long_display, long_desc, long_display);
	run(f, text, NULL);
	/* the display cap binds custom definitions only */
	expect_count(f, 2);
	assert_diag(f, 0, "E0303", 2, 11);
	assert_diag(f, 1, "E0304", 3, 15);
}

/* ---- effects and details ---- */

static void test_check_unknown_effects(void **state)
{
	struct fixture *f = *state;
	run(f,
	    "policy \"p\" {\n  display \"D\"\n  effect denny\n  if { type == \"Microsoft.X/y\" }\n}\n"
	    "policy \"q\" {\n  display \"D\"\n  effect audit|nope = audit\n  if { type == \"Microsoft.X/y\" }\n}\n",
	    NULL);
	expect_count(f, 2);
	assert_diag(f, 0, "E0305", 3, 10);
	expect_help(f, 0, "did you mean 'Deny'?");
	assert_diag(f, 1, "E0305", 8, 16);
}

/* A recommendation id given twice is one E0207: the policy names it derives clash too, but saying so adds nothing. */
static void test_check_duplicate_recommendation_is_one_error(void **state)
{
	struct fixture *f = *state;
	run(f,
	    SERVICE
	    "section net \"Net\" { \"\"\"About.\"\"\"\n"
	    "  recommendation NS-1 \"Do it\" {\n    \"\"\"Why.\"\"\"\n"
	    "    enforce { display \"D\" mode Indexed effect audit if { type == \"Microsoft.X/y\" } }\n"
	    "    enforce deny { display \"E\" mode Indexed effect deny if { type == \"Microsoft.X/y\" } }\n"
	    "  }\n"
	    "  recommendation ns-1 \"Do it again\" {\n    \"\"\"Why.\"\"\"\n"
	    "    enforce { display \"D\" mode Indexed effect audit if { type == \"Microsoft.X/y\" } }\n"
	    "    enforce deny { display \"E\" mode Indexed effect deny if { type == \"Microsoft.X/y\" } }\n"
	    "  }\n"
	    "}\n",
	    NULL);
	expect_count(f, 1);
	assert_diag(f, 0, "E0207", 16, 18);
}

/* An effect written as a verb form ("denied", "audits") is a slip a reader corrects at once. */
static void test_check_unknown_effect_inflected(void **state)
{
	struct fixture *f = *state;
	run(f,
	    "policy \"p\" {\n  display \"D\"\n  effect denied\n  if { type == \"Microsoft.X/y\" }\n}\n"
	    "policy \"q\" {\n  display \"D\"\n  effect audits|modified = audits\n"
	    "  if { type == \"Microsoft.X/y\" }\n}\n",
	    NULL);
	expect_count(f, 4); /* the default names 'audits' again */
	assert_diag(f, 0, "E0305", 3, 10);
	expect_help(f, 0, "did you mean 'Deny'?");
	expect_help(f, 1, "did you mean 'Audit'?");
	expect_help(f, 2, "did you mean 'Modify'?");
}

static void test_check_effect_default_in_allowed(void **state)
{
	struct fixture *f = *state;
	run(f,
	    "policy \"p\" {\n  display \"D\"\n  effect audit|deny = disabled\n"
	    "  if { type == \"Microsoft.X/y\" }\n}\n"
	    /* effect values compare ignoring case */
	    "policy \"q\" {\n  display \"D\"\n  effect \"[parameters('e')]\"\n"
	    "  param e String { allowed [\"Audit\", \"Deny\"] default \"audit\" }\n"
	    "  if { type == \"Microsoft.X/y\" }\n}\n",
	    NULL);
	expect_count(f, 1);
	assert_diag(f, 0, "E0309", 3, 23);
}

static void test_check_details_match_effects(void **state)
{
	struct fixture *f = *state;
	run(f,
	    /* DeployIfNotExists without a deployment */
	    "policy \"a\" {\n  display \"D\"\n  effect deployIfNotExists\n"
	    "  if { type == \"Microsoft.X/y\" }\n"
	    "  related \"Microsoft.X/z\" { roleDefinitionIds [\"/r\"] }\n}\n"      /* 1-6 */
	    /* Modify without details */
	    "policy \"b\" {\n  display \"D\"\n  effect modify\n"
	    "  if { type == \"Microsoft.X/y\" }\n}\n"                               /* 7-11 */
	    /* Deny with a related block nothing uses */
	    "policy \"c\" {\n  display \"D\"\n  effect audit|deny = audit\n"
	    "  if { type == \"Microsoft.X/y\" }\n"
	    "  related \"Microsoft.X/z\" { }\n}\n"                                  /* 12-17 */
	    /* AuditIfNotExists needs related */
	    "policy \"d\" {\n  display \"D\"\n  effect auditIfNotExists\n"
	    "  if { type == \"Microsoft.X/y\" }\n}\n"                               /* 18-22 */
	    /* Append needs entries */
	    "policy \"e\" {\n  display \"D\"\n  effect append\n"
	    "  if { type == \"Microsoft.X/y\" }\n}\n"                               /* 23-27 */
	    /* data-plane modes carry details for Deny */
	    "policy \"k\" {\n  display \"D\"\n  mode Microsoft.Kubernetes.Data\n  effect deny\n"
	    "  if { type == \"Microsoft.X/y\" }\n  details { \"kinds\": [\"Pod\"] }\n}\n",
	    NULL);
	expect_count(f, 5);
	assert_diag(f, 0, "E0306", 3, 3);
	assert_diag(f, 1, "E0306", 9, 3);
	assert_diag(f, 2, "E0306", 16, 3);
	assert_string_equal(f->diag.records[2]->message,
			    "'related' is given, but no possible effect ('Audit', 'Deny') uses it");
	assert_diag(f, 3, "E0306", 20, 3);
	assert_diag(f, 4, "E0306", 25, 3);
}

/* ---- parameters ---- */

static void test_check_parameter_types(void **state)
{
	struct fixture *f = *state;
	run(f,
	    "policy \"p\" {\n  display \"D\"\n  effect deny\n"
	    "  param a Strng = \"x\"\n"                          /* 4 */
	    "  param b integer = 1.5\n"                           /* 5 */
	    "  param c Boolean = \"true\"\n"                      /* 6 */
	    "  param d Array { allowed [\"x\", [\"y\"]] default [\"x\"] }\n" /* 7: fine */
	    "  param e Float = 2\n"                               /* 8: fine */
	    "  param g String { allowed [\"a\", 1] }\n"           /* 9 */
	    "  if { value \"[parameters('a')]\" == \"[parameters('b')]\""
	    " value \"[parameters('c')]\" == \"[parameters('d')]\""
	    " value \"[parameters('e')]\" == \"[parameters('g')]\" }\n"
	    "}\n",
	    NULL);
	expect_count(f, 4);
	assert_diag(f, 0, "E0307", 4, 11);
	expect_help(f, 0, "did you mean 'String'?");
	assert_diag(f, 1, "E0308", 5, 21);
	assert_diag(f, 2, "E0308", 6, 21);
	assert_diag(f, 3, "E0308", 9, 34);
}

static void test_check_builtin_definitions_get_warnings(void **state)
{
	struct fixture *f = *state;
	bool ok = false;
	run(f,
	    "policy \"p\" {\n  display \"D\"\n  policyType BuiltIn\n  effect \"[parameters('effect')]\"\n"
	    "  param effect String { allowed [\"Audit\", \"Deny\"] default \"Audit\" }\n"
	    "  param op String { allowed [\"a\"] default [] }\n"                       /* 6 */
	    "  param ips Array { allowed null default [] }\n"                           /* 7: fine */
	    "  param spare String\n"                                                    /* unused: silent */
	    "  if { value \"[parameters('op')]\" == \"[parameters('ips')]\" }\n"
	    "  modify { roleDefinitionIds [\"/r\"] add \"tags['a']\" = \"b\" }\n"      /* 10 */
	    "}\n",
	    &ok);
	/* Azure ships such definitions; as custom ones they would be errors */
	expect_count(f, 2);
	assert_true(ok);
	assert_diag(f, 0, "E0308", 6, 43);
	assert_int_equal(f->diag.records[0]->severity, DIAG_WARNING);
	assert_diag(f, 1, "E0306", 10, 3);
	assert_int_equal(f->diag.records[1]->severity, DIAG_WARNING);
}

static void test_check_default_inside_allowed(void **state)
{
	struct fixture *f = *state;
	run(f,
	    "policy \"p\" {\n  display \"D\"\n  effect deny\n"
	    "  param a String { allowed [\"x\", \"y\"] default \"X\" }\n"             /* 4 */
	    "  param b Array { allowed [\"x\", \"y\"] default [\"x\", \"y\"] }\n"     /* 5: fine */
	    "  param c Array { allowed [[\"x\"], [\"y\"]] default [\"x\"] }\n"        /* 6: fine */
	    "  param d Array { allowed [\"x\"] default [\"x\", \"z\"] }\n"            /* 7 */
	    "  param e String { allowed [] default \"z\" }\n"                         /* 8: fine */
	    "  if { value \"[parameters('a')]\" == \"[parameters('b')]\""
	    " value \"[parameters('c')]\" == \"[parameters('d')]\""
	    " value \"[parameters('e')]\" == \"e\" }\n"
	    "}\n",
	    NULL);
	expect_count(f, 2);
	assert_diag(f, 0, "E0309", 4, 47);
	assert_diag(f, 1, "E0309", 7, 41);
}

static void test_check_duplicate_parameters(void **state)
{
	struct fixture *f = *state;
	run(f,
	    "policy \"p\" {\n  display \"D\"\n  effect audit|deny = audit\n"
	    "  param Effect String = \"x\"\n"
	    "  if { type == \"Microsoft.X/y\" }\n}\n",
	    NULL);
	/* the duplicate, then its never being used */
	assert_true(f->diag.count >= 1);
	assert_diag(f, 0, "E0310", 4, 9);
	assert_int_equal(f->diag.records[0]->notes->span.begin.line, 3);
}

static void test_check_unused_parameters(void **state)
{
	struct fixture *f = *state;
	run(f,
	    SERVICE REC_OPEN
	    "    enforce {\n" ENFORCE_BODY "      param unused String = \"x\"\n    }\n" /* 13-18 */
	    REC_CLOSE
	    "policy \"lib\" {\n  display \"D\"\n  effect deny\n  param spare String\n" /* 21-24 */
	    "  if { type == \"Microsoft.X/y\" }\n}\n",
	    NULL);
	expect_count(f, 2);
	/* an error in a pack-written enforce block, a warning in a library policy */
	assert_diag(f, 0, "E0311", 17, 13);
	assert_int_equal(f->diag.records[0]->severity, DIAG_ERROR);
	assert_diag(f, 1, "E0311", 24, 9);
	assert_int_equal(f->diag.records[1]->severity, DIAG_WARNING);
}

static void test_check_undeclared_parameter_located_in_string(void **state)
{
	struct fixture *f = *state;
	run(f,
	    "policy \"p\" {\n  display \"D\"\n  effect deny\n  param tagName String\n"
	    "  if { field \"[concat('tags[', parameters('tagNme'), ']')]\" exists true }\n"
	    "}\n",
	    NULL);
	/* the reference, then the declared parameter left unused (a warning) */
	expect_count(f, 2);
	/* '  if { field "' is 14 columns, so the value starts at col 15 */
	assert_diag(f, 0, "E0312", 5, 15 + 17);
	assert_int_equal(f->diag.records[0]->span.end.col, 15 + 17 + 20);
	expect_help(f, 0, "did you mean 'tagName'?");
	assert_diag(f, 1, "E0311", 4, 9);
}

static void test_check_escaped_string_points_at_literal(void **state)
{
	struct fixture *f = *state;
	run(f,
	    "policy \"p\" {\n  display \"D\"\n  effect deny\n"
	    "  if { field \"[concat('\\u0041', parameters('nope'))]\" exists true }\n"
	    "}\n",
	    NULL);
	expect_count(f, 1);
	assert_diag(f, 0, "E0312", 4, 14);
}

static void test_check_invalid_expression(void **state)
{
	struct fixture *f = *state;
	run(f,
	    "policy \"p\" {\n  display \"D\"\n  effect deny\n"
	    "  if { value \"[concat('a', 'b'\" == \"[concat('a' 'b')]\" }\n"
	    "}\n",
	    NULL);
	/* the left side does not end with ']' so it is a plain string */
	expect_count(f, 1);
	/* the right-hand string's value starts at col 37; the error is at its 'b' */
	assert_diag(f, 0, "E0313", 4, 37 + 12);
	assert_string_equal(f->diag.records[0]->message, "invalid template expression: expected ',' or ')'");
}

static void test_check_unknown_function_warns(void **state)
{
	struct fixture *f = *state;
	bool ok = false;
	run(f,
	    "policy \"p\" {\n  display \"D\"\n  effect deny\n"
	    "  if { value \"[toLowr(listKeys(ns.fn(field('name'))))]\" == \"x\" }\n"
	    "}\n",
	    &ok);
	expect_count(f, 1);
	assert_true(ok);
	assert_diag(f, 0, "E0330", 4, 16);
	assert_int_equal(f->diag.records[0]->span.end.col, 22);
	assert_int_equal(f->diag.records[0]->severity, DIAG_WARNING);
	expect_help(f, 0, "did you mean 'toLower'?");
}

static void test_check_template_parameters_are_the_templates(void **state)
{
	struct fixture *f = *state;
	run(f,
	    "policy \"p\" {\n  display \"D\"\n  effect deployIfNotExists\n  param ws String\n"
	    "  if { type == \"Microsoft.X/y\" }\n"
	    "  related \"Microsoft.X/z\" {\n"
	    "    roleDefinitionIds [\"/r\"]\n"
	    "    deployment { \"properties\": { \"mode\": \"incremental\",\n"
	    "      \"template\": { \"resources\": [ { \"name\": \"[parameters('inner')]\" } ] },\n"
	    "      \"parameters\": { \"inner\": { \"value\": \"[parameters('wz')]\" } } } }\n"
	    "  }\n}\n",
	    NULL);
	/* 'inner' belongs to the template; 'wz' is the policy's, and misspelt */
	expect_count(f, 2);
	assert_diag(f, 0, "E0312", 10, 45);
	expect_help(f, 0, "did you mean 'ws'?");
	assert_diag(f, 1, "E0311", 4, 9);
}

/* ---- modes and conditions ---- */

static void test_check_modes(void **state)
{
	struct fixture *f = *state;
	run(f,
	    "policy \"p\" {\n  display \"D\"\n  mode Indexd\n  effect deny\n  if { type == \"x\" }\n}\n"
	    "policy \"q\" {\n  display \"D\"\n  mode indexed\n  effect deny\n  if { type == \"x\" }\n}\n"
	    "policy \"r\" {\n  display \"D\"\n  mode Microsoft.Foo.v2.Data\n  effect deny\n  if { type == \"x\" }\n}\n"
	    "policy \"s\" {\n  display \"D\"\n  mode Microsoft.Data\n  effect deny\n  if { type == \"x\" }\n}\n",
	    NULL);
	expect_count(f, 2);
	assert_diag(f, 0, "E0314", 3, 8);
	expect_help(f, 0, "did you mean 'Indexed'?");
	assert_diag(f, 1, "E0314", 21, 8);
}

static void test_check_condition_operands(void **state)
{
	struct fixture *f = *state;
	run(f,
	    "policy \"p\" {\n  display \"D\"\n  effect deny\n  if {\n"
	    "    count field \"Microsoft.X/y/rules\" > 0\n"               /* 5 */
	    "    field \"location\" in \"westeurope\"\n"                  /* 6 */
	    "    field \"location\" notIn \"[parameters('x')]\"\n"        /* 7: undeclared */
	    "    field \"tags\" exists \"yes\"\n"                         /* 8 */
	    "    field \"tags\" exists \"False\"\n"                       /* 9: fine */
	    "    field \"name\" like 5\n"                                 /* 10 */
	    "    field \"name\" like \"a*b*\"\n"                          /* 11: warning */
	    "    count field \"Microsoft.X/y/rules[*]\" == \"many\"\n"    /* 12 */
	    "  }\n}\n",
	    NULL);
	expect_count(f, 7);
	assert_diag(f, 0, "E0315", 5, 17);
	assert_diag(f, 1, "E0316", 6, 25);
	assert_diag(f, 2, "E0312", 7, 30);
	assert_diag(f, 3, "E0317", 8, 25);
	assert_diag(f, 4, "E0318", 10, 23);
	assert_diag(f, 5, "E0328", 11, 23);
	assert_int_equal(f->diag.records[5]->severity, DIAG_WARNING);
	assert_diag(f, 6, "E0318", 12, 45);
}

static void test_check_match_pattern_star_warns(void **state)
{
	struct fixture *f = *state;
	bool ok = false;
	run(f,
	    "policy \"p\" {\n  display \"D\"\n  effect deny\n  if {\n"
	    "    field \"name\" match \"web-*\"\n"            /* 5 */
	    "    field \"name\" notMatch \"##-??.x\"\n"       /* 6: fine */
	    "  }\n}\n",
	    &ok);
	expect_count(f, 1);
	assert_true(ok);
	assert_diag(f, 0, "E0331", 5, 24);
	expect_help(f, 0, "did you mean 'like'?");
}

static void test_check_empty_logical(void **state)
{
	struct fixture *f = *state;
	run(f, "policy \"p\" {\n  display \"D\"\n  effect deny\n  if { any { } }\n}\n", NULL);
	expect_count(f, 1);
	assert_diag(f, 0, "E0319", 4, 8);
}

static void test_check_policy_needs_display_if_effect(void **state)
{
	struct fixture *f = *state;
	run(f, "policy \"p\" {\n  description \"x\"\n}\n", NULL);
	expect_count(f, 3);
	assert_diag(f, 0, "E0320", 1, 1);
	assert_string_equal(f->diag.records[0]->message, "policy 'p' has no 'display'");
	assert_diag(f, 1, "E0320", 1, 1);
	assert_diag(f, 2, "E0320", 1, 1);
}

/* ---- initiatives ---- */

static void test_check_initiative_references(void **state)
{
	struct fixture *f = *state;
	run(f,
	    "policy \"lib\" {\n  display \"D\"\n  effect deny\n  param need String\n"
	    "  if { value \"[parameters('need')]\" == \"x\" }\n}\n"               /* 1-6 */
	    "initiative \"ini\" {\n"                                             /* 7 */
	    "  group net \"N\"\n"                                                /* 8 */
	    "  group NET \"N again\"\n"                                          /* 9 */
	    "  reference \"R\" -> \"libb\" { }\n"                                 /* 10 */
	    "  reference \"r\" -> \"/bogus/x\" { }\n"                            /* 11 */
	    "  reference \"S\" -> \"lib\" {\n"                                   /* 12 */
	    "    groups [\"nett\"]\n"                                            /* 13 */
	    "    parameter needd = \"x\"\n"                                       /* 14 */
	    "  }\n"
	    "}\n",
	    NULL);
	expect_count(f, 7);
	assert_diag(f, 0, "E0324", 9, 9);
	assert_diag(f, 1, "E0325", 11, 13);
	assert_diag(f, 2, "E0321", 10, 20);
	expect_help(f, 2, "did you mean 'lib'?");
	assert_diag(f, 3, "E0321", 11, 20);
	assert_diag(f, 4, "E0322", 13, 13);
	expect_help(f, 4, "did you mean 'net'?");
	assert_diag(f, 5, "E0323", 14, 15);
	expect_help(f, 5, "did you mean 'need'?");
	assert_diag(f, 6, "E0329", 12, 13);
}

static void test_check_initiative_names_and_empty(void **state)
{
	struct fixture *f = *state;
	run(f,
	    SERVICE REC_OPEN REC_CLOSE
	    "initiative \"pk\" {\n  reference \"R\" -> \"/providers/x\" { }\n}\n"   /* 15 */
	    "initiative \"a*b\" {\n}\n",                                            /* 18 */
	    NULL);
	expect_count(f, 3);
	assert_diag(f, 0, "E0301", 18, 12);
	/* the pack's own initiative is named after the pack */
	assert_diag(f, 1, "E0302", 15, 12);
	assert_diag(f, 2, "E0327", 18, 1);
}

static void test_check_initiative_parameter_use(void **state)
{
	struct fixture *f = *state;
	run(f,
	    POLICY("lib")
	    "initiative \"ini\" {\n"
	    "  param spare String\n"                                          /* 7 */
	    "  reference \"R\" -> \"/providers/x\" {\n"
	    "    parameter effect = \"[parameters('efect')]\"\n"                 /* 9 */
	    "  }\n}\n",
	    NULL);
	expect_count(f, 2);
	assert_diag(f, 0, "E0312", 9, 26);
	assert_diag(f, 1, "E0311", 7, 9);
	assert_int_equal(f->diag.records[1]->severity, DIAG_WARNING);
}

static void test_check_shared_parameter_types(void **state)
{
	struct fixture *f = *state;
	run(f,
	    SERVICE REC_OPEN
	    "    enforce {\n" ENFORCE_BODY
	    "      param tag String = \"x\"\n"                                    /* 17 */
	    "      description \"[parameters('tag')]\"\n"
	    "      message \"m\"\n"
	    "      metadata { \"x\": \"[parameters('tag')]\" }\n"
	    "    }\n"
	    "    enforce two {\n" ENFORCE_BODY
	    "      param Tag Integer = 1\n"                                        /* 26 */
	    "      details { \"t\": \"[parameters('tag')]\" }\n"
	    "    }\n" REC_CLOSE,
	    NULL);
	/* metadata and description are not evaluated, so the first 'tag' is unused */
	expect_count(f, 3);
	assert_diag(f, 0, "E0311", 17, 13);
	assert_diag(f, 1, "E0306", 27, 15);
	assert_diag(f, 2, "E0326", 26, 17);
	assert_int_equal(f->diag.records[2]->notes->span.begin.line, 17);
}

static void test_check_guide_shape(void **state)
{
	struct fixture *f = *state;
	run(f,
	    SERVICE
	    "section net \"Net.\" { \"\"\"A.\"\"\"\n"                 /* 10 */
	    "  recommendation NS-1 \"Do it\" { see \"x\" -> \"/azure/x\" }\n" /* 11 */
	    "}\n"
	    "section other \"net.\" { \"\"\"A.\"\"\"\n"               /* 13 */
	    "  recommendation NS-2 \"\" { \"\"\"W.\"\"\" }\n"             /* 14 */
	    "}\n"
	    "section rc \"Related content\" {\n"                  /* 16 */
	    "  recommendation NS-3 \"Go\" { \"\"\"W.\"\"\" }\n"
	    "}\n",
	    NULL);
	expect_count(f, 7);
	assert_diag(f, 0, "E0214", 10, 13);
	assert_diag(f, 1, "E0216", 11, 3);
	assert_diag(f, 2, "E0214", 13, 15);
	assert_diag(f, 3, "E0215", 13, 15);
	assert_int_equal(f->diag.records[3]->notes->span.begin.line, 10);
	assert_diag(f, 4, "E0214", 14, 23);
	assert_diag(f, 5, "E0215", 16, 12);
	assert_diag(f, 6, "E0216", 16, 1);
}

static void test_check_guide_heading_and_intro(void **state)
{
	struct fixture *f = *state;
	run(f,
	    "service \"Svc\" {\n  heading \"Svc hardening\"\n  ms.service \"svc\"\n  author \"a\"\n  ms.author \"a\"\n"
	    "  ms.date \"2025-06-04\"\n  category \"C\"\n  version \"1.0.0\"\n  governs \"Microsoft.X/y\"\n}\n"
	    REC_OPEN REC_CLOSE,
	    NULL);
	expect_count(f, 2);
	assert_diag(f, 0, "E0216", 1, 1);
	assert_diag(f, 1, "E0217", 2, 11);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, fixture_setup, fixture_teardown)
	const struct CMUnitTest tests[] = {
		T(test_check_accepts_valid_pack_and_fills_fields),
		T(test_check_accepts_common_policy_shapes),
		T(test_check_service_requires_fields),
		T(test_check_guide_shape),
		T(test_check_guide_heading_and_intro),
		T(test_check_service_date_is_calendar_date),
		T(test_check_service_needs_sections),
		T(test_check_section_needs_recommendations),
		T(test_check_front_matter_description_length_warns),
		T(test_check_duplicate_section_and_recommendation_ids),
		T(test_check_enforce_suffix_rules),
		T(test_check_link_targets),
		T(test_check_versions_and_governs),
		T(test_check_sections_need_a_service),
		T(test_check_empty_pack_is_an_error),
		T(test_check_pack_name_is_safe),
		T(test_check_policy_names_are_safe),
		T(test_check_ids_hide_nothing),
		T(test_check_initiative_limits),
		T(test_check_duplicate_policy_names),
		T(test_check_derived_name_clashes_with_policy),
		T(test_check_escaped_bracket_is_not_an_expression),
		T(test_check_display_and_description_limits),
		T(test_check_unknown_effects),
		T(test_check_unknown_effect_inflected),
		T(test_check_duplicate_recommendation_is_one_error),
		T(test_check_effect_default_in_allowed),
		T(test_check_details_match_effects),
		T(test_check_parameter_types),
		T(test_check_builtin_definitions_get_warnings),
		T(test_check_default_inside_allowed),
		T(test_check_duplicate_parameters),
		T(test_check_unused_parameters),
		T(test_check_undeclared_parameter_located_in_string),
		T(test_check_escaped_string_points_at_literal),
		T(test_check_invalid_expression),
		T(test_check_unknown_function_warns),
		T(test_check_template_parameters_are_the_templates),
		T(test_check_modes),
		T(test_check_condition_operands),
		T(test_check_match_pattern_star_warns),
		T(test_check_empty_logical),
		T(test_check_policy_needs_display_if_effect),
		T(test_check_initiative_references),
		T(test_check_initiative_names_and_empty),
		T(test_check_initiative_parameter_use),
		T(test_check_shared_parameter_types),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
