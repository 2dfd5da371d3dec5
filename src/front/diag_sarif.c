#include "pacc/diag_sarif.h"

#include "pacc/arena.h"
#include "pacc/diag_codes.h"
#include "pacc/json.h"
#include "pacc/version.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <string.h>

/* The base id relative artifact URIs are resolved against (the checkout). */
#define SRCROOT "%SRCROOT%"

static cJSON *number(double v)
{
	cJSON *n = cJSON_CreateNumber(v);
	if (!n)
		die_oom();
	return n;
}

/* A cJSON string of s made valid UTF-8. */
static cJSON *text(const char *s)
{
	struct sb sb = SB_INIT;
	diag_add_utf8(&sb, s);
	cJSON *str = json_string(sb.buf);
	sb_release(&sb);
	return str;
}

/* {"text": s} */
static cJSON *message(const char *s)
{
	cJSON *m = json_object();
	json_add(m, "text", text(s));
	return m;
}

void diag_sarif_add_uri(struct sb *out, const char *path)
{
	if (path[0] == '/')
		sb_adds(out, "file://");
	while (path[0] == '.' && path[1] == '/')
		path += 2;
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if (isalnum(*p) || strchr("-._~/", *p)) {
			sb_addch(out, *p);
		} else {
			sb_addch(out, '%');
			sb_addch(out, hex[*p >> 4]);
			sb_addch(out, hex[*p & 15]);
		}
	}
}

/* A rule's name: its title in PascalCase ("syntax error" -> "SyntaxError"). */
static cJSON *rule_name(const char *title)
{
	struct sb sb = SB_INIT;
	bool up = true;
	for (const char *p = title; *p; p++) {
		if (!isalnum((unsigned char)*p)) {
			up = true;
			continue;
		}
		sb_addch(&sb, up ? toupper((unsigned char)*p) : *p);
		up = false;
	}
	cJSON *name = json_string(sb.buf);
	sb_release(&sb);
	return name;
}

static cJSON *rule(const struct diag_code_info *c)
{
	cJSON *r = json_object();
	json_add_string(r, "id", c->code);
	json_add(r, "name", rule_name(c->title));
	struct sb sb = SB_INIT;
	sb_addf(&sb, "%c%s", toupper((unsigned char)c->title[0]), c->title + 1);
	json_add(r, "shortDescription", message(sb.buf));
	json_add(r, "fullDescription", message(c->explanation));
	cJSON *help = json_object();
	sb_reset(&sb);
	sb_addf(&sb, "%s Example: %s. See the section '%s: %s' of the language reference "
		     "(grammar/README.md).",
		c->explanation, c->example, c->code, c->title);
	json_add_string(help, "text", sb.buf);
	sb_reset(&sb);
	sb_addf(&sb, "%s\n\n**Example:** %s\n\nSee *%s: %s* in the language reference "
		     "(`grammar/README.md`).",
		c->explanation, c->example, c->code, c->title);
	json_add_string(help, "markdown", sb.buf);
	json_add(r, "help", help);
	cJSON *config = json_object();
	json_add_string(config, "level", diag_severity_name(c->level));
	json_add(r, "defaultConfiguration", config);
	cJSON *props = json_object();
	cJSON *tags = json_array();
	json_push(tags, json_string("correctness"));
	json_add(props, "tags", tags);
	json_add_string(props, "precision", "very-high");
	/* GitHub reads error, warning or recommendation here */
	json_add_string(props, "problem.severity",
			c->level == DIAG_NOTE ? "recommendation" : diag_severity_name(c->level));
	json_add(r, "properties", props);
	sb_release(&sb);
	return r;
}

/* {"physicalLocation": {"artifactLocation": ..., "region": ...}} for a span with a place. */
static cJSON *location(const struct src_span *span)
{
	cJSON *artifact = json_object();
	struct sb uri = SB_INIT;
	diag_sarif_add_uri(&uri, span->src->name);
	json_add_string(artifact, "uri", uri.buf);
	if (span->src->name[0] != '/')
		json_add_string(artifact, "uriBaseId", SRCROOT);
	sb_release(&uri);
	struct diag_region g = diag_span_region(span);
	cJSON *region = json_object();
	json_add(region, "startLine", number(g.line));
	json_add(region, "startColumn", number(g.col));
	json_add(region, "endLine", number(g.end_line));
	json_add(region, "endColumn", number(g.end_col));
	cJSON *physical = json_object();
	json_add(physical, "artifactLocation", artifact);
	json_add(physical, "region", region);
	cJSON *loc = json_object();
	json_add(loc, "physicalLocation", physical);
	return loc;
}

static cJSON *result(const struct diag_record *r, size_t rule_index)
{
	cJSON *res = json_object();
	json_add_string(res, "ruleId", r->code);
	if (rule_index != (size_t)-1)
		json_add(res, "ruleIndex", number((double)rule_index));
	json_add_string(res, "level", r->severity == DIAG_WARNING ? "warning"
				      : r->severity == DIAG_NOTE  ? "note"
								  : "error");
	struct sb text_sb = SB_INIT;
	sb_adds(&text_sb, r->message);
	if (r->help)
		sb_addf(&text_sb, "; %s", r->help);
	/* Notes without a place cannot be related locations: they join the message. */
	for (const struct diag_note *n = r->notes; n; n = n->next)
		if (!n->span.src)
			sb_addf(&text_sb, "; note: %s", n->message);
	json_add(res, "message", message(text_sb.buf));
	sb_release(&text_sb);
	if (r->span.src) {
		cJSON *locs = json_array();
		json_push(locs, location(&r->span));
		json_add(res, "locations", locs);
	}
	cJSON *related = NULL;
	int id = 0;
	for (const struct diag_note *n = r->notes; n; n = n->next) {
		if (!n->span.src)
			continue;
		if (!related)
			related = json_array();
		cJSON *loc = location(&n->span);
		cJSON_AddItemToObject(loc, "id", number(id++));
		json_add(loc, "message", message(n->message));
		json_push(related, loc);
	}
	if (related)
		json_add(res, "relatedLocations", related);
	return res;
}

void diag_sarif_write(const struct diag_engine *d, struct sb *out)
{
	size_t count;
	const struct diag_code_info *codes = diag_code_table(&count);
	cJSON *rules = json_array();
	for (size_t i = 0; i < count; i++)
		json_push(rules, rule(&codes[i]));
	cJSON *driver = json_object();
	json_add_string(driver, "name", "pacc");
	json_add_string(driver, "semanticVersion", pacc_version());
	json_add(driver, "rules", rules);
	cJSON *tool = json_object();
	json_add(tool, "driver", driver);

	cJSON *results = json_array();
	for (size_t i = 0; i < d->count; i++) {
		const struct diag_record *r = d->records[i];
		const struct diag_code_info *c = diag_code_find(r->code);
		json_push(results, result(r, c ? (size_t)(c - codes) : (size_t)-1));
	}
	cJSON *run = json_object();
	json_add(run, "tool", tool);
	json_add_string(run, "columnKind", "unicodeCodePoints");
	json_add(run, "results", results);
	cJSON *runs = json_array();
	json_push(runs, run);

	cJSON *log = json_object();
	json_add_string(log, "$schema", "https://json.schemastore.org/sarif-2.1.0.json");
	json_add_string(log, "version", "2.1.0");
	json_add(log, "runs", runs);
	json_print(log, out);
	cJSON_Delete(log);
}
