/*
 * gen_md: the Learn "Secure your <service> deployment" guide.
 *
 * Layout (one block per paragraph, blocks separated by one blank line):
 *
 *   ---                          front matter, values through md_escape_yaml
 *   # Secure your <service> deployment
 *   <intro paragraphs>
 *   This article provides guidance on how to best secure your <service> deployment.
 *   ## <section title>           one per section
 *   <section description paragraphs>
 *   - **<title>**: <explanation> For more details, see [a](x).
 *       <further paragraphs, indented four spaces>
 *       Azure Policy: *<display>* (`<name>`) <what the effect does>.
 *   ## Related content           when the service lists related links
 *   - [text](target)
 *
 * Every piece of pack text goes through md_escape, so it reads as text and
 * never as Markdown structure.  Each block is written as "\n" + lines, so the
 * file has exactly one blank line between blocks and ends with one newline.
 */
#include "pacc/gen_md.h"

#include "pacc/md_escape.h"

#include <string.h>

#define INDENT "    "
#define HEADING_FLAGS (MD_ESCAPE_HEADING | MD_ESCAPE_CHAR_REFS)

static const char *str_or(const struct ast_str *s, const char *fallback)
{
	return s && s->s ? s->s : fallback;
}

static size_t str_len(const struct ast_str *s)
{
	return s && s->s ? s->len : 0;
}

/* Appends the normalised text of s (all paragraphs joined by a space). */
static void add_normalized(struct sb *out, const struct ast_str *s)
{
	if (s && s->s)
		md_escape_normalize(out, s->s, s->len);
}

/*
 * Writes each paragraph of s, from byte pos on, as its own block prefixed by
 * indent.
 */
static void add_paragraphs(struct sb *out, const struct ast_str *s, const char *indent, size_t pos)
{
	const char *para;
	size_t para_len;

	if (!s || !s->s)
		return;
	while (md_escape_next_paragraph(s->s, s->len, s->is_text_block, &pos, &para, &para_len)) {
		sb_addch(out, '\n');
		sb_adds(out, indent);
		md_escape_inline(out, para, para_len, MD_ESCAPE_LINE_START);
		sb_addch(out, '\n');
	}
}

/* ---- front matter ---- */

static void add_yaml_line(struct sb *out, const char *key, const char *value, size_t len)
{
	sb_adds(out, key);
	sb_adds(out, ": ");
	md_escape_yaml(out, value, len);
	sb_addch(out, '\n');
}

static void add_yaml_str(struct sb *out, const char *key, const struct ast_str *s)
{
	struct sb v = SB_INIT;

	add_normalized(&v, s);
	add_yaml_line(out, key, v.buf, v.len);
	sb_release(&v);
}

/* "section title" in running text: lowercases the first letter of "Network
 * security" but leaves "DNS security" alone. */
static void add_title_in_sentence(struct sb *out, const struct ast_str *title)
{
	size_t start = out->len;

	add_normalized(out, title);
	if (out->len - start >= 2) {
		char c0 = out->buf[start], c1 = out->buf[start + 1];
		if (c0 >= 'A' && c0 <= 'Z' && c1 >= 'a' && c1 <= 'z')
			out->buf[start] = (char)(c0 - 'A' + 'a');
	}
}

/*
 * The generated description: "Learn how to secure <service>, with best
 * practices for <areas>."  Learn wants 75 to 300 characters: the list of
 * areas is dropped when too long, and a second sentence added when short.
 */
static void add_default_description(struct sb *out, const struct ast_pack *pack)
{
	const struct ast_service *svc = pack->service;
	size_t start = out->len;

	sb_adds(out, "Learn how to secure ");
	add_normalized(out, svc->name);
	size_t base = out->len;
	if (pack->sections) {
		sb_adds(out, ", with best practices for ");
		for (const struct ast_section *sec = pack->sections; sec; sec = sec->next) {
			if (sec != pack->sections)
				sb_adds(out, sec->next ? ", " : pack->sections->next->next ? ", and " : " and ");
			add_title_in_sentence(out, sec->title);
		}
	}
	sb_addch(out, '.');
	if (out->len - start > 300) {
		sb_setlen(out, base);
		sb_adds(out, " with security best practices.");
	}
	if (out->len - start < 75)
		sb_adds(out, " Each recommendation names the Azure Policy definition that enforces it.");
}

/* "2025-06-04" -> "06/04/2025"; anything else is kept as written. */
static void add_learn_date(struct sb *out, const struct ast_str *date)
{
	const char *d = str_or(date, "");
	size_t len = str_len(date);
	bool iso = len == 10 && d[4] == '-' && d[7] == '-';

	for (size_t i = 0; iso && i < len; i++)
		if (i != 4 && i != 7 && !(d[i] >= '0' && d[i] <= '9'))
			iso = false;
	if (iso)
		sb_addf(out, "%.2s/%.2s/%.4s", d + 5, d + 8, d);
	else
		sb_add(out, d, len);
}

static void add_front_matter(struct sb *out, const struct ast_pack *pack)
{
	const struct ast_service *svc = pack->service;
	struct sb v = SB_INIT;

	sb_adds(out, "---\n");
	if (svc->title) {
		add_normalized(&v, svc->title);
	} else {
		sb_adds(&v, "Secure your ");
		add_normalized(&v, svc->name);
	}
	add_yaml_line(out, "title", v.buf, v.len);

	sb_reset(&v);
	if (svc->description)
		add_normalized(&v, svc->description);
	else
		add_default_description(&v, pack);
	add_yaml_line(out, "description", v.buf, v.len);

	add_yaml_str(out, "author", svc->author);
	add_yaml_str(out, "ms.author", svc->ms_author);
	add_yaml_str(out, "ms.service", svc->slug);
	add_yaml_line(out, "ms.topic", "concept-article", strlen("concept-article"));
	add_yaml_line(out, "ms.custom", "horz-security", strlen("horz-security"));

	sb_reset(&v);
	add_learn_date(&v, svc->date);
	add_yaml_line(out, "ms.date", v.buf, v.len);
	sb_adds(out, "---\n");
	sb_release(&v);
}

/* ---- heading and intro ---- */

static void add_intro(struct sb *out, const struct ast_service *svc)
{
	struct sb want = SB_INIT, last = SB_INIT;
	const struct ast_str *name = svc->name;

	sb_adds(&want, "This article provides guidance on how to best secure your ");
	add_normalized(&want, name);
	sb_adds(&want, " deployment.");

	for (const struct ast_text *t = svc->intro; t; t = t->next) {
		const char *para;
		size_t para_len, pos = 0;
		const struct ast_str *s = t->str;
		if (!s || !s->s)
			continue;
		while (md_escape_next_paragraph(s->s, s->len, s->is_text_block, &pos, &para, &para_len)) {
			sb_reset(&last);
			md_escape_normalize(&last, para, para_len);
			sb_adds(out, "\n");
			md_escape_inline(out, para, para_len, MD_ESCAPE_LINE_START);
			sb_addch(out, '\n');
		}
	}
	if (strcmp(last.buf, want.buf) != 0) {
		/* Escaped as in the H1, so both spell the name byte for byte alike. */
		sb_adds(out, "\nThis article provides guidance on how to best secure your ");
		md_escape_inline(out, str_or(name, ""), str_len(name), HEADING_FLAGS);
		sb_adds(out, " deployment.\n");
	}
	sb_release(&want);
	sb_release(&last);
}

/* ---- recommendations ---- */

static void add_link(struct sb *out, const struct ast_link *link)
{
	struct sb text = SB_INIT;

	add_normalized(&text, link->text);
	sb_addch(out, '[');
	if (text.len)
		md_escape_inline(out, text.buf, text.len, MD_ESCAPE_CHAR_REFS);
	else
		md_escape_inline(out, str_or(link->target, ""), str_len(link->target),
				 MD_ESCAPE_CHAR_REFS);
	sb_adds(out, "](");
	md_escape_link_target(out, str_or(link->target, ""), str_len(link->target));
	sb_addch(out, ')');
	sb_release(&text);
}

/* "For more details, see [a](x), [b](y), and [c](z)." */
static void add_link_sentence(struct sb *out, const struct ast_link *links)
{
	size_t count = 0;

	for (const struct ast_link *l = links; l; l = l->next)
		count++;
	sb_adds(out, "For more details, see ");
	size_t i = 0;
	for (const struct ast_link *l = links; l; l = l->next, i++) {
		if (i > 0)
			sb_adds(out, count == 2 ? " and " : l->next ? ", " : ", and ");
		add_link(out, l);
	}
	sb_addch(out, '.');
}

/* True when normalised text already ends a sentence (closing quotes and
 * brackets aside). */
static bool ends_sentence(const char *s, size_t len)
{
	while (len > 0 && memchr(")\"'", s[len - 1], 3))
		len--;
	return len > 0 && memchr(".!?:;", s[len - 1], 5);
}

/* A list of effect names: "Audit", "Audit or Deny", "Audit, Deny, or Disabled". */
static void add_effect_list(struct sb *out, const char *const *names, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		if (i > 0)
			sb_adds(out, count == 2 ? " or " : i + 1 == count ? ", or " : ", ");
		sb_adds(out, names[i]);
	}
}

/* The related resource type of an AuditIfNotExists / DeployIfNotExists. */
static const struct ast_str *related_type(const struct ast_policy *p)
{
	if (p->details_kind == AST_DETAILS_RELATED && p->details.related)
		return p->details.related->type;
	return NULL;
}

/* The verb of the note for a policy whose effect is effect: "audits this". */
static const char *effect_verb(const char *effect)
{
	static const struct {
		const char *effect, *verb;
	} verbs[] = {
		{"Audit", "audits"},
		{"AuditIfNotExists", "audits"},
		{"AuditAction", "audits"},
		{"Deny", "enforces"},
		{"DeployIfNotExists", "enforces"},
		{"Modify", "enforces"},
		{"Append", "enforces"},
		{"DenyAction", "enforces"},
		{"Manual", "tracks"},
	};
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (strcmp(effect, verbs[i].effect) == 0)
			return verbs[i].verb;
	return "covers"; /* Disabled, and effects of other resource providers */
}

/*
 * What effect does, as a clause that follows "which" or "the default, X,":
 * "deploys the missing `T` resource".  Audit needs no clause; returns
 * whether it wrote one.
 */
static bool add_effect_what(struct sb *out, const char *effect, const struct ast_policy *p)
{
	const struct ast_str *type = related_type(p);

	if (strcmp(effect, "Deny") == 0) {
		sb_adds(out, "blocks create and update requests that don't comply");
	} else if (strcmp(effect, "AuditIfNotExists") == 0 || strcmp(effect, "DeployIfNotExists") == 0) {
		bool deploy = effect[1] == 'e';
		sb_adds(out, deploy ? "deploys the missing " : "flags resources that lack ");
		if (type) {
			if (!deploy)
				sb_adds(out, "a matching ");
			md_escape_code_span(out, type->s, type->len);
			sb_adds(out, " resource");
		} else {
			sb_adds(out, deploy ? "related resource" : "the related resource");
		}
	} else if (strcmp(effect, "Modify") == 0) {
		sb_adds(out, "changes the setting on resources that don't comply");
	} else if (strcmp(effect, "Append") == 0) {
		sb_adds(out, "adds the missing setting to create and update requests");
	} else if (strcmp(effect, "DenyAction") == 0) {
		sb_adds(out, "blocks the matching actions");
	} else if (strcmp(effect, "Manual") == 0) {
		sb_adds(out, "records a manual attestation");
	} else if (strcmp(effect, "Disabled") == 0) {
		/* Said of the policy, never of the setting it is about: "the
		 * default, Disabled, turns it off" read as if public access were
		 * turned off. */
		sb_adds(out, "means the policy takes no action until an assignment picks another effect");
	} else {
		return false;
	}
	return true;
}

/* "enforces this with the Deny effect, which blocks ..." */
static void add_one_effect(struct sb *out, const char *effect, const struct ast_policy *p)
{
	sb_adds(out, effect_verb(effect));
	sb_adds(out, " this with the ");
	md_escape_inline(out, effect, strlen(effect), 0);
	sb_adds(out, " effect");
	size_t mark = out->len;
	sb_adds(out, ", which ");
	if (!add_effect_what(out, effect, p))
		sb_setlen(out, mark);
}

/* The string values of a JSON array, canonical effect spellings where known. */
static size_t effect_names(const struct ast_json *allowed, const char **names, size_t max)
{
	size_t n = 0;

	if (!allowed || allowed->kind != AST_JSON_ARRAY)
		return 0;
	for (const struct ast_json_item *it = allowed->u.array.items; it && n < max; it = it->next) {
		const struct ast_json *v = it->value;
		if (!v || v->kind != AST_JSON_STRING || !v->u.string || !v->u.string->s)
			continue;
		const char *canon = ast_effect_canonical(v->u.string->s);
		names[n++] = canon ? canon : v->u.string->s;
	}
	return n;
}

static const char *effect_default(const struct ast_param *param)
{
	const struct ast_json *d = param ? param->default_value : NULL;

	if (!d || d->kind != AST_JSON_STRING || !d->u.string || !d->u.string->s)
		return NULL;
	const char *canon = ast_effect_canonical(d->u.string->s);
	return canon ? canon : d->u.string->s;
}

/*
 * "Azure Policy: *<display>* (`<name>`) audits this with the Audit, Deny, or
 * Disabled effect; the default is Audit."  Effect names come from the pack;
 * they are words Azure knows (checked), but are escaped all the same.
 */
static void add_policy_note(struct sb *out, const struct ast_policy *p)
{
	const char *name = p->resolved_name ? p->resolved_name : str_or(p->name, NULL);
	struct sb names = SB_INIT, display = SB_INIT;

	add_normalized(&display, p->display);
	sb_adds(out, "\n" INDENT "Azure Policy: ");
	if (display.len > 0) {
		sb_addch(out, '*');
		md_escape_inline(out, display.buf, display.len, 0);
		sb_addch(out, '*');
		if (name) {
			sb_adds(out, " (");
			md_escape_code_span(out, name, strlen(name));
			sb_addch(out, ')');
		}
	} else if (name) {
		md_escape_code_span(out, name, strlen(name));
	} else {
		sb_adds(out, "a policy definition");
	}
	sb_addch(out, ' ');

	switch (p->effect_form) {
	case AST_EFFECT_LITERAL: {
		const char *raw = str_or(p->effect, "");
		const char *effect = ast_effect_canonical(raw);
		add_one_effect(out, effect ? effect : raw, p);
		break;
	}
	case AST_EFFECT_PARAM: {
		const char *list[32];
		size_t n = effect_names(p->effect_param ? p->effect_param->allowed : NULL, list, 32);
		const char *def = effect_default(p->effect_param);
		/* One allowed value reads like a fixed effect. */
		if (n == 1 && (!def || strcmp(def, list[0]) == 0)) {
			add_one_effect(out, list[0], p);
			break;
		}
		/* The verb follows the default, or the first effect that does
		 * something when the default is to do nothing. */
		const char *lead = def ? def : "";
		for (size_t i = 0; i < n && (!def || strcmp(def, "Disabled") == 0); i++) {
			if (strcmp(list[i], "Disabled") != 0) {
				lead = list[i];
				break;
			}
		}
		sb_adds(out, effect_verb(lead));
		if (n > 0) {
			add_effect_list(&names, list, n);
			sb_adds(out, " this with the ");
			md_escape_inline(out, names.buf, names.len, 0);
			sb_adds(out, " effect");
		} else {
			sb_adds(out, " this with the effect chosen when it's assigned");
		}
		if (def) {
			size_t mark = out->len;
			sb_adds(out, "; the default, ");
			md_escape_inline(out, def, strlen(def), 0);
			sb_adds(out, ", ");
			if (!add_effect_what(out, def, p)) {
				sb_setlen(out, mark);
				sb_adds(out, "; the default is ");
				md_escape_inline(out, def, strlen(def), 0);
			}
		}
		break;
	}
	case AST_EFFECT_EXPRESSION:
		sb_adds(out, "checks this with the effect set by its parameters");
		break;
	case AST_EFFECT_NONE:
		sb_adds(out, "covers this");
		break;
	}
	sb_adds(out, ".\n");
	sb_release(&names);
	sb_release(&display);
}

static void add_recommendation(struct sb *out, const struct ast_recommendation *rec)
{
	const struct ast_text *first = rec->texts;
	const char *para = NULL;
	size_t para_len = 0, pos = 0;
	bool have_para = false;

	sb_adds(out, "\n- **");
	md_escape_inline(out, str_or(rec->title, ""), str_len(rec->title), MD_ESCAPE_CHAR_REFS);
	sb_adds(out, "**:");

	/* The explanation's first paragraph shares the bullet's line. */
	if (first && first->str && first->str->s)
		have_para = md_escape_next_paragraph(first->str->s, first->str->len,
						     first->str->is_text_block, &pos, &para, &para_len);
	if (have_para) {
		struct sb norm = SB_INIT;
		md_escape_normalize(&norm, para, para_len);
		sb_addch(out, ' ');
		md_escape_inline(out, norm.buf, norm.len, 0);
		if (rec->links && !ends_sentence(norm.buf, norm.len))
			sb_addch(out, '.');
		sb_release(&norm);
	}
	if (rec->links) {
		sb_addch(out, ' ');
		add_link_sentence(out, rec->links);
	}
	sb_addch(out, '\n');

	/* The rest of the first text block, then each further text block. */
	if (have_para)
		add_paragraphs(out, first->str, INDENT, pos);
	for (const struct ast_text *t = first ? first->next : NULL; t; t = t->next)
		add_paragraphs(out, t->str, INDENT, 0);

	for (const struct ast_policy *p = rec->policies; p; p = p->next)
		add_policy_note(out, p);
}

static void add_section(struct sb *out, const struct ast_section *sec)
{
	sb_adds(out, "\n## ");
	md_escape_inline(out, str_or(sec->title, ""), str_len(sec->title),
			 MD_ESCAPE_HEADING | MD_ESCAPE_CHAR_REFS);
	sb_addch(out, '\n');
	for (const struct ast_text *t = sec->texts; t; t = t->next)
		add_paragraphs(out, t->str, "", 0);
	for (const struct ast_recommendation *r = sec->recommendations; r; r = r->next)
		add_recommendation(out, r);
}

static void add_related(struct sb *out, const struct ast_link *links)
{
	if (!links)
		return;
	sb_adds(out, "\n## Related content\n\n");
	for (const struct ast_link *l = links; l; l = l->next) {
		sb_adds(out, "- ");
		add_link(out, l);
		sb_addch(out, '\n');
	}
}

void gen_md_pack(const struct ast_pack *pack, struct output_set *out)
{
	const struct ast_service *svc = pack->service;
	struct sb path = SB_INIT;

	if (!svc)
		return;
	add_normalized(&path, svc->slug);
	sb_adds(&path, "-security.md");
	struct sb *md = output_add(out, path.buf);
	sb_release(&path);

	add_front_matter(md, pack);
	sb_adds(md, "\n# ");
	if (svc->heading) {
		md_escape_inline(md, svc->heading->s, svc->heading->len, HEADING_FLAGS);
	} else {
		sb_adds(md, "Secure your ");
		md_escape_inline(md, str_or(svc->name, ""), str_len(svc->name), HEADING_FLAGS);
		sb_adds(md, " deployment");
	}
	sb_addch(md, '\n');
	add_intro(md, svc);
	for (const struct ast_section *sec = pack->sections; sec; sec = sec->next)
		add_section(md, sec);
	add_related(md, svc->related);
}
