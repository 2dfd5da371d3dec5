/*
 * Tests for gen_md: a realistic pack built by hand renders to an exact
 * expected guide; the effect wording for each effect form; a pack whose
 * every string is hostile still renders the guide's structure and nothing
 * more; and, when ../shared/tools/check-guide is present, the guides pass it.
 */
#include "testutil.h"

#include "pacc/ast.h"
#include "pacc/check.h"
#include "pacc/gen_md.h"
#include "pacc/output.h"
#include "pacc/parse.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- building a pack by hand ---- */

static struct ast_str *str(struct arena *a, const char *s)
{
	struct src_span none = {0};
	return ast_str_new(a, s, strlen(s), none);
}

static struct ast_str *text_block(struct arena *a, const char *s)
{
	struct ast_str *t = str(a, s);
	t->is_text_block = true;
	return t;
}

static struct ast_text *texts(struct arena *a, struct ast_str *first, struct ast_str *second)
{
	struct ast_text *t = ARENA_NEW(a, struct ast_text);
	t->str = first;
	if (second) {
		t->next = ARENA_NEW(a, struct ast_text);
		t->next->str = second;
	}
	return t;
}

static struct ast_link *link_to(struct arena *a, const char *text, const char *target,
				struct ast_link *next)
{
	struct ast_link *l = ARENA_NEW(a, struct ast_link);
	l->text = str(a, text);
	l->target = str(a, target);
	l->next = next;
	return l;
}

static struct ast_json *json_string(struct arena *a, const char *s)
{
	struct src_span none = {0};
	struct ast_json *j = ast_json_new(a, AST_JSON_STRING, none);
	j->u.string = str(a, s);
	return j;
}

/* A JSON array of the strings in names (NULL-terminated). */
static struct ast_json *json_strings(struct arena *a, const char *const *names)
{
	struct src_span none = {0};
	struct ast_json *j = ast_json_new(a, AST_JSON_ARRAY, none);
	struct ast_json_item **tail = &j->u.array.items;
	for (; *names; names++) {
		struct ast_json_item *it = ARENA_NEW(a, struct ast_json_item);
		it->value = json_string(a, *names);
		*tail = it;
		tail = &it->next;
		j->u.array.count++;
	}
	return j;
}

static struct ast_policy *policy_literal(struct arena *a, const char *resolved, const char *display,
					 const char *effect)
{
	struct ast_policy *p = ARENA_NEW(a, struct ast_policy);
	p->resolved_name = resolved;
	p->display = display ? str(a, display) : NULL;
	p->effect_form = AST_EFFECT_LITERAL;
	p->effect = str(a, effect);
	return p;
}

static struct ast_policy *policy_param(struct arena *a, const char *resolved, const char *display,
				       const char *const *allowed, const char *def)
{
	struct ast_policy *p = ARENA_NEW(a, struct ast_policy);
	p->resolved_name = resolved;
	p->display = display ? str(a, display) : NULL;
	p->effect_form = AST_EFFECT_PARAM;
	p->effect_param = ARENA_NEW(a, struct ast_param);
	p->effect_param->name = str(a, "effect");
	p->effect_param->allowed = json_strings(a, allowed);
	p->effect_param->default_value = def ? json_string(a, def) : NULL;
	p->effect_param->from_effect_sugar = true;
	return p;
}

static void set_related(struct arena *a, struct ast_policy *p, const char *type)
{
	p->details_kind = AST_DETAILS_RELATED;
	p->details.related = ARENA_NEW(a, struct ast_related);
	p->details.related->type = str(a, type);
}

static struct ast_recommendation *recommendation(struct arena *a, const char *id, const char *title,
						 struct ast_text *body, struct ast_link *links,
						 struct ast_policy *policies)
{
	struct ast_recommendation *r = ARENA_NEW(a, struct ast_recommendation);
	r->id = str(a, id);
	r->title = str(a, title);
	r->texts = body;
	r->links = links;
	r->policies = policies;
	for (struct ast_policy *p = policies; p; p = p->next) {
		p->owner = r;
		r->policy_count++;
	}
	return r;
}

static struct ast_section *section(struct arena *a, const char *id, const char *title,
				   struct ast_text *description, struct ast_recommendation *recs)
{
	struct ast_section *s = ARENA_NEW(a, struct ast_section);
	s->id = str(a, id);
	s->title = str(a, title);
	s->texts = description;
	s->recommendations = recs;
	for (struct ast_recommendation *r = recs; r; r = r->next) {
		r->section = s;
		s->recommendation_count++;
	}
	return s;
}

static struct ast_service *service(struct arena *a, const char *name, const char *slug)
{
	struct ast_service *svc = ARENA_NEW(a, struct ast_service);
	svc->name = str(a, name);
	svc->slug = str(a, slug);
	svc->author = str(a, "whhender");
	svc->ms_author = str(a, "whhender");
	svc->date = str(a, "2025-06-04");
	svc->category = str(a, "Data Factory");
	svc->version = str(a, "1.0.0");
	return svc;
}

/* The Data Factory pack of the README tour, in miniature. */
static struct ast_pack *data_factory_pack(struct arena *a)
{
	static const char *const audit_deny[] = {"audit", "deny", "disabled", NULL};
	static const char *const modify[] = {"Modify", "Disabled", NULL};
	static const char *const dine[] = {"DeployIfNotExists", "AuditIfNotExists", "Disabled", NULL};
	struct ast_pack *pack = ARENA_NEW(a, struct ast_pack);
	pack->arena = a;
	pack->name = "azure-data-factory";

	struct ast_service *svc = service(a, "Azure Data Factory", "azure-data-factory");
	svc->intro = texts(a,
			   text_block(a, "Azure Data Factory moves and transforms data between\n"
					 "stores in the cloud and on premises.\n\n"
					 "Pipelines hold credentials and reach sensitive data, so\n"
					 "the factory needs the same care as the data it moves."),
			   NULL);
	svc->related = link_to(a, "Azure security baseline for Data Factory",
			       "/security/benchmark/azure/baselines/data-factory-security-baseline",
			       link_to(a, "Azure Policy built-in definitions for Data Factory",
				       "/azure/data-factory/policy-reference", NULL));
	pack->service = svc;

	struct ast_policy *ns2 = policy_param(a, "azure-data-factory-ns-2",
					      "Azure Data Factory should disable public network access",
					      audit_deny, "audit");
	ns2->next = policy_param(a, "azure-data-factory-ns-2-modify",
				 "Configure Data Factories to disable public network access", modify,
				 "Modify");
	struct ast_recommendation *ns = recommendation(
		a, "NS-2", "Disable public network access",
		texts(a,
		      text_block(a, "With public access off, private endpoints become the only\n"
				    "way to reach the factory"),
		      NULL),
		link_to(a, "Azure Private Link for Data Factory",
			"/azure/data-factory/data-factory-private-link", NULL),
		ns2);
	ns->next = recommendation(
		a, "NS-1", "Run SSIS packages inside your virtual network",
		texts(a,
		      str(a, "Join the Azure-SSIS integration runtime to a virtual network so "
			     "packages reach on-premises data over private addresses."),
		      text_block(a, "Use a subnet that is dedicated to the runtime.")),
		link_to(a, "Join an Azure-SSIS IR to a virtual network",
			"/azure/data-factory/join-azure-ssis-integration-runtime-virtual-network",
			link_to(a, "Managed virtual network",
				"/azure/data-factory/managed-virtual-network-private-endpoint", NULL)),
		NULL);
	struct ast_section *net = section(
		a, "network-security", "Network security",
		texts(a,
		      text_block(a, "Data Factory reaches your data stores over the network. Keep\n"
				    "that traffic private and off the public internet."),
		      NULL),
		ns);

	struct ast_policy *lt4 = policy_literal(a, "azure-data-factory-lt-4",
						"Deploy diagnostic settings for Data Factory to a Log Analytics workspace",
						"deployIfNotExists");
	set_related(a, lt4, "Microsoft.Insights/diagnosticSettings");
	struct ast_policy *lt4_audit =
		policy_param(a, "azure-data-factory-lt-4-audit", NULL, dine, "AuditIfNotExists");
	set_related(a, lt4_audit, "Microsoft.Insights/diagnosticSettings");
	lt4->next = lt4_audit;
	struct ast_recommendation *lt = recommendation(
		a, "LT-4", "Send resource logs to Log Analytics",
		texts(a, str(a, "Pipeline, activity and trigger runs show who moved which data, and when."),
		      NULL),
		link_to(a, "Monitor Data Factory", "/azure/data-factory/monitor-data-factory",
			link_to(a, "Diagnostic settings",
				"/azure/azure-monitor/essentials/diagnostic-settings",
				link_to(a, "Log Analytics",
					"https://learn.microsoft.com/azure/azure-monitor/logs/"
					"log-analytics-overview",
					NULL))),
		lt4);
	net->next = section(a, "logging", "Logging and threat detection",
			    texts(a, str(a, "Logs let you investigate what happened to your pipelines."),
				  NULL),
			    lt);
	pack->sections = net;
	pack->section_count = 2;
	return pack;
}

static const char expected_data_factory[] =
	"---\n"
	"title: Secure your Azure Data Factory\n"
	"description: Learn how to secure Azure Data Factory, with best practices for network security and logging and threat detection.\n"
	"author: whhender\n"
	"ms.author: whhender\n"
	"ms.service: azure-data-factory\n"
	"ms.topic: concept-article\n"
	"ms.custom: horz-security\n"
	"ms.date: 06/04/2025\n"
	"---\n"
	"\n"
	"# Secure your Azure Data Factory deployment\n"
	"\n"
	"Azure Data Factory moves and transforms data between stores in the cloud and on premises.\n"
	"\n"
	"Pipelines hold credentials and reach sensitive data, so the factory needs the same care as the data it moves.\n"
	"\n"
	"This article provides guidance on how to best secure your Azure Data Factory deployment.\n"
	"\n"
	"## Network security\n"
	"\n"
	"Data Factory reaches your data stores over the network. Keep that traffic private and off the public internet.\n"
	"\n"
	"- **Disable public network access**: With public access off, private endpoints become the only way to reach the factory. For more details, see [Azure Private Link for Data Factory](/azure/data-factory/data-factory-private-link).\n"
	"\n"
	"    Azure Policy: *Azure Data Factory should disable public network access* (`azure-data-factory-ns-2`) audits this with the Audit, Deny, or Disabled effect; the default is Audit.\n"
	"\n"
	"    Azure Policy: *Configure Data Factories to disable public network access* (`azure-data-factory-ns-2-modify`) enforces this with the Modify or Disabled effect; the default, Modify, changes the setting on resources that don't comply.\n"
	"\n"
	"- **Run SSIS packages inside your virtual network**: Join the Azure-SSIS integration runtime to a virtual network so packages reach on-premises data over private addresses. For more details, see [Join an Azure-SSIS IR to a virtual network](/azure/data-factory/join-azure-ssis-integration-runtime-virtual-network) and [Managed virtual network](/azure/data-factory/managed-virtual-network-private-endpoint).\n"
	"\n"
	"    Use a subnet that is dedicated to the runtime.\n"
	"\n"
	"## Logging and threat detection\n"
	"\n"
	"Logs let you investigate what happened to your pipelines.\n"
	"\n"
	"- **Send resource logs to Log Analytics**: Pipeline, activity and trigger runs show who moved which data, and when. For more details, see [Monitor Data Factory](/azure/data-factory/monitor-data-factory), [Diagnostic settings](/azure/azure-monitor/essentials/diagnostic-settings), and [Log Analytics](https://learn.microsoft.com/azure/azure-monitor/logs/log-analytics-overview).\n"
	"\n"
	"    Azure Policy: *Deploy diagnostic settings for Data Factory to a Log Analytics workspace* (`azure-data-factory-lt-4`) enforces this with the DeployIfNotExists effect, which deploys the missing `Microsoft.Insights/diagnosticSettings` resource.\n"
	"\n"
	"    Azure Policy: `azure-data-factory-lt-4-audit` audits this with the DeployIfNotExists, AuditIfNotExists, or Disabled effect; the default, AuditIfNotExists, flags resources that lack a matching `Microsoft.Insights/diagnosticSettings` resource.\n"
	"\n"
	"## Related content\n"
	"\n"
	"- [Azure security baseline for Data Factory](/security/benchmark/azure/baselines/data-factory-security-baseline)\n"
	"- [Azure Policy built-in definitions for Data Factory](/azure/data-factory/policy-reference)\n";

/* Renders pack and returns the guide (owned by set). */
static const char *render(const struct ast_pack *pack, struct output_set *set, const char *path)
{
	gen_md_pack(pack, set);
	const struct output_file *f = output_find(set, path);
	assert_non_null(f);
	return f->data.buf;
}

static void test_gen_md_data_factory_golden(void **state)
{
	struct fixture *f = *state;
	struct output_set set = OUTPUT_SET_INIT;
	const char *md = render(data_factory_pack(&f->arena), &set, "azure-data-factory-security.md");

	if (strcmp(md, expected_data_factory) != 0)
		fprintf(stderr, "---- got ----\n%s---- end ----\n", md);
	assert_string_equal(md, expected_data_factory);
	assert_int_equal(set.count, 1);
	output_set_release(&set);
}

static void test_gen_md_no_service_no_guide(void **state)
{
	struct fixture *f = *state;
	struct output_set set = OUTPUT_SET_INIT;
	struct ast_pack *pack = ARENA_NEW(&f->arena, struct ast_pack);
	pack->arena = &f->arena;
	pack->name = "library";
	gen_md_pack(pack, &set);
	assert_int_equal(set.count, 0);
	output_set_release(&set);
}

/* A one-section pack around one recommendation, for focused checks. */
static struct ast_pack *small_pack(struct arena *a, struct ast_recommendation *rec)
{
	struct ast_pack *pack = ARENA_NEW(a, struct ast_pack);
	pack->arena = a;
	pack->name = "contoso";
	pack->service = service(a, "Contoso Widgets", "contoso-widgets");
	pack->service->intro = texts(a, str(a, "Contoso Widgets makes widgets."), NULL);
	pack->sections = section(a, "net", "Network security", texts(a, str(a, "Networks."), NULL), rec);
	pack->section_count = 1;
	return pack;
}

/* A recommendation "Do it" explained by explanation, enforced by p (may be NULL). */
static struct ast_recommendation *simple_rec(struct arena *a, const char *explanation,
					     struct ast_policy *p)
{
	return recommendation(a, "X-1", "Do it", texts(a, str(a, explanation), NULL), NULL, p);
}

#define NOTE "    Azure Policy: *D* (`n`) "

static void test_gen_md_effect_wording(void **state)
{
	struct fixture *f = *state;
	struct arena *a = &f->arena;
	static const char *const ad[] = {"Audit", "Disabled", NULL};
	static const char *const one[] = {"Deny", NULL};
	struct ast_policy *expr = policy_literal(a, "n", "D", "[parameters('policyEffect')]");
	expr->effect_form = AST_EFFECT_EXPRESSION;
	struct {
		struct ast_policy *policy;
		const char *want;
	} cases[] = {
		{policy_literal(a, "n", "D", "deny"),
		 NOTE "enforces this with the Deny effect, which blocks create and update requests "
		      "that don't comply.\n"},
		{policy_literal(a, "n", "D", "audit"), NOTE "audits this with the Audit effect.\n"},
		{policy_literal(a, "n", "D", "modify"),
		 NOTE "enforces this with the Modify effect, which changes the setting on resources "
		      "that don't comply.\n"},
		{policy_literal(a, "n", "D", "disabled"),
		 NOTE "covers this with the Disabled effect, which means the policy takes no action "
		      "until an assignment picks another effect.\n"},
		{policy_literal(a, "n", "D", "AuditIfNotExists"),
		 NOTE "audits this with the AuditIfNotExists effect, which flags resources that lack "
		      "the related resource.\n"},
		{policy_param(a, "n", "D", ad, "Disabled"),
		 NOTE "audits this with the Audit or Disabled effect; the default, Disabled, means the "
		      "policy takes no action until an assignment picks another effect.\n"},
		{policy_param(a, "n", "D", one, NULL),
		 NOTE "enforces this with the Deny effect, which blocks create and update requests "
		      "that don't comply.\n"},
		{policy_literal(a, "n", "*Bold* <b>", "Append"),
		 "    Azure Policy: *\\*Bold\\* &lt;b>* (`n`) enforces this with the Append effect, "
		 "which adds the missing setting to create and update requests.\n"},
		{expr, NOTE "checks this with the effect set by its parameters.\n"},
	};

	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		struct output_set set = OUTPUT_SET_INIT;
		struct ast_recommendation *rec = simple_rec(a, "Because.", cases[k].policy);
		const char *md = render(small_pack(a, rec), &set, "contoso-widgets-security.md");
		if (!strstr(md, cases[k].want))
			fprintf(stderr, "case %zu: want\n%sgot\n%s", k, cases[k].want, md);
		assert_non_null(strstr(md, cases[k].want));
		output_set_release(&set);
	}
}

static void test_gen_md_intro_sentence_not_repeated(void **state)
{
	struct fixture *f = *state;
	struct arena *a = &f->arena;
	struct output_set set = OUTPUT_SET_INIT;
	struct ast_pack *pack = small_pack(a, simple_rec(a, "Because", NULL));
	pack->service->intro = texts(a, str(a, "Widgets matter."),
				     text_block(a, "This article provides guidance on how to best secure\n"
						   "your Contoso Widgets deployment."));
	const char *md = render(pack, &set, "contoso-widgets-security.md");
	const char *first = strstr(md, "This article provides guidance");
	assert_non_null(first);
	assert_null(strstr(first + 1, "This article provides guidance"));
	/* No links: no period is added to the explanation. */
	assert_non_null(strstr(md, "\n- **Do it**: Because\n"));
	output_set_release(&set);
}

static void test_gen_md_front_matter_overrides_and_lengths(void **state)
{
	struct fixture *f = *state;
	struct arena *a = &f->arena;
	struct output_set set = OUTPUT_SET_INIT;
	struct ast_pack *pack = small_pack(a, simple_rec(a, "Because.", NULL));
	pack->service->name = str(a, "Foo");
	const char *md = render(pack, &set, "contoso-widgets-security.md");
	/* A short generated description is lengthened past Learn's 75 characters. */
	assert_non_null(strstr(md, "\ndescription: Learn how to secure Foo, with best practices for "
				   "network security. Each recommendation names the Azure Policy "
				   "definition that enforces it.\n"));
	output_set_release(&set);

	struct output_set set2 = OUTPUT_SET_INIT;
	pack->service->title = str(a, "Secure Foo: the guide");
	pack->service->heading = str(a, "Secure Foo #1");
	pack->service->description = text_block(a, "Security for Foo,\nsplit over lines.");
	md = render(pack, &set2, "contoso-widgets-security.md");
	assert_non_null(strstr(md, "\ntitle: \"Secure Foo: the guide\"\n"));
	assert_non_null(strstr(md, "\ndescription: Security for Foo, split over lines.\n"));
	assert_non_null(strstr(md, "\n# Secure Foo \\#1\n"));
	output_set_release(&set2);
}

/* ---- hostile packs ---- */

static const char *const hostile[] = {
	"\"quoted\" \\ back\\slash",
	"${parameters('x')} '''",
	"line one\n---\ntitle: injected\n# heading\n",
	"\ttabs\tand \x01\x1b controls\x7f",
	"*em* _em_ [link](https://evil.example) ![img](x) `code`",
	"# heading",
	"- item",
	"1. item",
	"> quote",
	"---",
	"<script>alert(1)</script> <!-- c --> &amp; &#65;",
	"| a | b |",
	":::image:::",
	"caf\xc3\xa9 \xe2\x80\xa8 \xf0\x9f\x94\x92",
	"https://bare.example www.example.com me@example.com",
};
#define N_HOSTILE (sizeof(hostile) / sizeof(hostile[0]))

/* A pack whose every piece of text is hostile[k] (rotating), with structure
 * the generator must reproduce exactly. */
static struct ast_pack *hostile_pack(struct arena *a, size_t k)
{
#define H(i) hostile[((k) + (i)) % N_HOSTILE]
	struct ast_pack *pack = ARENA_NEW(a, struct ast_pack);
	pack->arena = a;
	pack->name = "hostile";
	struct ast_service *svc = service(a, H(0), "hostile");
	svc->author = str(a, H(1));
	svc->ms_author = str(a, H(2));
	svc->date = str(a, H(3));
	svc->intro = texts(a, text_block(a, H(4)), str(a, H(5)));
	svc->related = link_to(a, H(6), H(7), NULL);
	if (k % 2) {
		svc->title = str(a, H(8));
		svc->description = text_block(a, H(9));
	}
	pack->service = svc;
	/* resolved_name is the checker's slug, never pack text. */
	struct ast_policy *p = policy_literal(a, "hostile-x-1", H(10), "Audit");
	struct ast_recommendation *r =
		recommendation(a, "X-1", H(12), texts(a, str(a, H(13)), text_block(a, H(14))),
			       link_to(a, H(1), H(2), link_to(a, H(3), H(4), NULL)), p);
	r->next = recommendation(a, "X-2", H(5), texts(a, text_block(a, H(6)), NULL), NULL, NULL);
	pack->sections = section(a, "s", H(7), texts(a, text_block(a, H(8)), NULL), r);
	pack->section_count = 1;
	return pack;
#undef H
}

/* True when line, outside our own constructs, would open a Markdown block. */
static bool opens_block(const char *line)
{
	while (*line == ' ')
		line++;
	if (*line && strchr("#-+*>_=~`|:<[", *line))
		return true;
	size_t d = 0;
	while (line[d] >= '0' && line[d] <= '9')
		d++;
	return d > 0 && (line[d] == '.' || line[d] == ')');
}

static void test_gen_md_hostile_text_keeps_structure(void **state)
{
	struct fixture *f = *state;

	for (size_t k = 0; k < N_HOSTILE; k++) {
		struct output_set set = OUTPUT_SET_INIT;
		const char *md = render(hostile_pack(&f->arena, k), &set, "hostile-security.md");
		static const char *const keys[] = {"title: ",     "description: ", "author: ",
						   "ms.author: ", "ms.service: ",  "ms.topic: ",
						   "ms.custom: ", "ms.date: "};
		char *copy = strdup(md), *save = NULL;
		size_t n = 0, h1 = 0, h2 = 0, bullets = 0, notes = 0, related = 0, paras = 0;
		bool blank = false;

		assert_int_equal(md[strlen(md) - 1], '\n');
		assert_null(strstr(md, "\n\n\n"));
		assert_null(strstr(md, " \n"));
		assert_null(strchr(md, '\t'));
		assert_null(strchr(md, '\r'));
		assert_null(strstr(md, "<!--"));
		assert_null(strstr(md, "<script"));
		for (char *line = strtok_r(copy, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save), n++) {
			(void)blank;
			if (n == 0 || n == 9) {
				assert_string_equal(line, "---");
			} else if (n < 9) {
				assert_memory_equal(line, keys[n - 1], strlen(keys[n - 1]));
			} else if (strncmp(line, "# ", 2) == 0) {
				h1++;
			} else if (strncmp(line, "## ", 3) == 0) {
				h2++;
			} else if (strncmp(line, "- **", 4) == 0) {
				bullets++;
			} else if (strncmp(line, "- [", 3) == 0) {
				related++;
			} else if (strncmp(line, "    Azure Policy: ", 18) == 0) {
				notes++;
			} else {
				if (opens_block(line))
					fprintf(stderr, "case %zu: line opens a block: %s\n", k, line);
				assert_false(opens_block(line));
				paras++;
			}
		}
		assert_int_equal(h1, 1);
		assert_int_equal(h2, 2);
		assert_int_equal(bullets, 2);
		assert_int_equal(notes, 1);
		assert_int_equal(related, 1);
		/* intro (two strings + the guidance sentence), section text, one extra paragraph. */
		assert_true(paras >= 3);
		free(copy);
		output_set_release(&set);
	}
}

/* ---- from pack source, through the parser and the checker ---- */

static const char pack_source[] =
	"service \"Contoso Widgets\" {\n"
	"  ms.service \"contoso-widgets\"\n  author \"jdoe\"\n  ms.author \"jdoe\"\n"
	"  ms.date \"2026-01-02\"\n  category \"Widgets\"\n  version \"1.0.0\"\n"
	"  governs \"Microsoft.Contoso/widgets\" at \"2024-01-01\"\n"
	"  description \"Learn how to secure Contoso Widgets: network isolation, #1 logging, and \\\"safe\\\" defaults.\"\n"
	"  intro \"\"\"\n"
	"    Contoso Widgets turns <raw> data into *widgets*\n"
	"    at scale.\n"
	"\n"
	"    - Not a list, # not a heading.\n"
	"  \"\"\"\n"
	"  related \"Widgets [overview]\" -> \"/azure/widgets/overview\"\n"
	"}\n"
	"section net \"Network security\" {\n"
	"  \"\"\"\n    Keep widget traffic\n    private.\n  \"\"\"\n"
	"  recommendation NS-1 \"Disable public access\" {\n"
	"    \"\"\"\n    Private endpoints become the only way in\n    \"\"\"\n"
	"    \"\"\"\n    1. Create the endpoint first.\n    \"\"\"\n"
	"    see \"Widgets and Private Link\" -> \"/azure/widgets/private-link\"\n"
	"    see \"A (tricky) page\" -> \"https://example.com/a_(b)\"\n"
	"    enforce {\n"
	"      display \"Widgets should disable public access\"\n"
	"      description \"Audits widgets that accept public traffic.\"\n"
	"      mode Indexed\n"
	"      effect audit|deny|disabled = audit\n"
	"      if {\n"
	"        type == \"Microsoft.Contoso/widgets\"\n"
	"        field \"Microsoft.Contoso/widgets/publicNetworkAccess\" != \"Disabled\"\n"
	"      }\n"
	"    }\n"
	"  }\n"
	"}\n";

static const char expected_from_source[] =
	"---\n"
	"title: Secure your Contoso Widgets\n"
	"description: \"Learn how to secure Contoso Widgets: network isolation, #1 logging, and \\\"safe\\\" defaults.\"\n"
	"author: jdoe\n"
	"ms.author: jdoe\n"
	"ms.service: contoso-widgets\n"
	"ms.topic: concept-article\n"
	"ms.custom: horz-security\n"
	"ms.date: 01/02/2026\n"
	"---\n"
	"\n"
	"# Secure your Contoso Widgets deployment\n"
	"\n"
	"Contoso Widgets turns &lt;raw> data into \\*widgets\\* at scale.\n"
	"\n"
	"\\- Not a list, # not a heading.\n"
	"\n"
	"This article provides guidance on how to best secure your Contoso Widgets deployment.\n"
	"\n"
	"## Network security\n"
	"\n"
	"Keep widget traffic private.\n"
	"\n"
	"- **Disable public access**: Private endpoints become the only way in. For more details, see "
	"[Widgets and Private Link](/azure/widgets/private-link) and "
	"[A (tricky) page](https://example.com/a_%28b%29).\n"
	"\n"
	"    1\\. Create the endpoint first.\n"
	"\n"
	"    Azure Policy: *Widgets should disable public access* (`pk-ns-1`) audits this with the "
	"Audit, Deny, or Disabled effect; the default is Audit.\n"
	"\n"
	"## Related content\n"
	"\n"
	"- [Widgets &#91;overview&#93;](/azure/widgets/overview)\n";

/* pack_source parsed and checked as pack "pk", with no errors. */
static struct ast_pack *parsed_pack(struct fixture *f)
{
	fixture_source(f, pack_source);
	struct ast_pack *pack = parse_pack(f->src, "pk", &f->arena, &f->diag);
	bool ok = !diag_has_errors(&f->diag) && check_pack(pack, &f->diag);
	if (!ok)
		diag_render(&f->diag, stderr, DIAG_FORMAT_TEXT, false);
	assert_true(ok);
	return pack;
}

static void test_gen_md_from_source(void **state)
{
	struct fixture *f = *state;
	struct output_set set = OUTPUT_SET_INIT;
	const char *md = render(parsed_pack(f), &set, "contoso-widgets-security.md");
	if (strcmp(md, expected_from_source) != 0)
		fprintf(stderr, "---- got ----\n%s---- end ----\n", md);
	assert_string_equal(md, expected_from_source);
	output_set_release(&set);
}

/* ---- the Learn checker, when the shared tools are present ---- */

static void write_file(const char *path, const char *data)
{
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	assert_int_equal(fputs(data, fp) >= 0, 1);
	assert_int_equal(fclose(fp), 0);
}

static void test_gen_md_passes_check_guide(void **state)
{
	struct fixture *f = *state;
	const char *tool = "../shared/tools/check-guide";
	char dir[] = "/tmp/pacc-gen-md-XXXXXX";
	char path[128], cmd[512];

	if (access(tool, X_OK) != 0 || getenv("PACC_SKIP_CHECK_GUIDE")) {
		printf("skipped: %s not present (or PACC_SKIP_CHECK_GUIDE set)\n", tool);
		skip();
	}
	assert_non_null(mkdtemp(dir));
	struct output_set set = OUTPUT_SET_INIT;
	snprintf(path, sizeof(path), "%s/azure-data-factory-security.md", dir);
	write_file(path, render(data_factory_pack(&f->arena), &set, "azure-data-factory-security.md"));
	output_set_release(&set);
	snprintf(path, sizeof(path), "%s/contoso-widgets-security.md", dir);
	write_file(path, render(parsed_pack(f), &set, "contoso-widgets-security.md"));
	output_set_release(&set);

	snprintf(cmd, sizeof(cmd), "%s %s > %s/log 2>&1", tool, dir, dir);
	int rc = system(cmd);
	int status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
	if (status != 0) {
		snprintf(cmd, sizeof(cmd), "cat %s/log >&2", dir);
		assert_int_equal(system(cmd), 0);
	}
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
	if (status == 2) {
		printf("skipped: check-guide could not run (npm install?)\n");
		skip();
	}
	assert_int_equal(status, 0);
}

#define FIXTURE_TEST(fn) cmocka_unit_test_setup_teardown(fn, fixture_setup, fixture_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		FIXTURE_TEST(test_gen_md_data_factory_golden),
		FIXTURE_TEST(test_gen_md_no_service_no_guide),
		FIXTURE_TEST(test_gen_md_effect_wording),
		FIXTURE_TEST(test_gen_md_intro_sentence_not_repeated),
		FIXTURE_TEST(test_gen_md_front_matter_overrides_and_lengths),
		FIXTURE_TEST(test_gen_md_hostile_text_keeps_structure),
		FIXTURE_TEST(test_gen_md_from_source),
		FIXTURE_TEST(test_gen_md_passes_check_guide),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
