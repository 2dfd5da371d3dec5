#include "pacc/diag_github.h"

#include <string.h>

static void escape(struct sb *out, const char *s, bool property)
{
	for (const char *p = s; *p; p++) {
		switch (*p) {
		case '%':
			sb_adds(out, "%25");
			break;
		case '\r':
			sb_adds(out, "%0D");
			break;
		case '\n':
			sb_adds(out, "%0A");
			break;
		case ':':
			sb_adds(out, property ? "%3A" : ":");
			break;
		case ',':
			sb_adds(out, property ? "%2C" : ",");
			break;
		default:
			sb_addch(out, *p);
			break;
		}
	}
}

void diag_github_escape_message(struct sb *out, const char *s) { escape(out, s, false); }

void diag_github_escape_property(struct sb *out, const char *s) { escape(out, s, true); }

/* file=...,line=...,col=...,endLine=...,endColumn=..., for a span with a place. */
static void add_place(struct sb *out, const struct src_span *span)
{
	struct sb name = SB_INIT;
	const char *path = span->src->name;
	while (path[0] == '.' && path[1] == '/')
		path += 2;
	diag_add_utf8(&name, path);
	sb_adds(out, "file=");
	diag_github_escape_property(out, name.buf);
	sb_release(&name);
	struct diag_region g = diag_span_region(span);
	sb_addf(out, ",line=%u,col=%u,endLine=%u,endColumn=%u,", (unsigned)g.line, (unsigned)g.col,
		(unsigned)g.end_line, (unsigned)g.end_col);
}

void diag_github_write(const struct diag_engine *d, struct sb *out)
{
	struct sb text = SB_INIT;
	for (size_t i = 0; i < d->count; i++) {
		const struct diag_record *r = d->records[i];
		sb_adds(out, r->severity == DIAG_WARNING ? "::warning "
			     : r->severity == DIAG_NOTE  ? "::notice "
							 : "::error ");
		if (r->span.src)
			add_place(out, &r->span);
		sb_adds(out, "title=");
		diag_github_escape_property(out, r->code);
		sb_adds(out, "::");
		sb_reset(&text);
		sb_adds(&text, r->message);
		if (r->help)
			sb_addf(&text, "\nhelp: %s", r->help);
		for (const struct diag_note *n = r->notes; n; n = n->next) {
			sb_adds(&text, "\nnote: ");
			if (n->span.src)
				sb_addf(&text, "%s:%u:%u: ", n->span.src->name, (unsigned)n->span.begin.line,
					(unsigned)n->span.begin.col);
			sb_adds(&text, n->message);
		}
		struct sb clean = SB_INIT;
		diag_add_utf8(&clean, text.buf);
		diag_github_escape_message(out, clean.buf);
		sb_release(&clean);
		sb_addch(out, '\n');
	}
	sb_release(&text);
}
