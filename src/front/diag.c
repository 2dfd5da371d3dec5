#include "pacc/diag.h"

#include "pacc/diag_github.h"
#include "pacc/diag_sarif.h"
#include "pacc/lex.h"
#include "pacc/sb.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void diag_init(struct diag_engine *d)
{
	memset(d, 0, sizeof(*d));
	arena_init(&d->arena);
	d->max_errors = DIAG_DEFAULT_MAX_ERRORS;
}

void diag_release(struct diag_engine *d)
{
	free(d->records);
	arena_release(&d->arena);
	memset(d, 0, sizeof(*d));
}

__attribute__((format(printf, 2, 0))) static char *vformat(struct arena *a, const char *fmt, va_list ap)
{
	struct sb sb = SB_INIT;
	sb_vaddf(&sb, fmt, ap);
	char *s = arena_strndup(a, sb.buf, sb.len);
	sb_release(&sb);
	return s;
}

static struct diag_record *push(struct diag_engine *d, enum diag_severity sev, struct src_span span,
				const char *code, const char *message)
{
	struct diag_record *r = ARENA_NEW(&d->arena, struct diag_record);
	r->severity = sev;
	r->code = code;
	r->span = span;
	r->message = message;
	r->notes_tail = &r->notes;
	if (d->count == d->alloc) {
		d->alloc = d->alloc ? d->alloc * 2 : 16;
		d->records = xrealloc(d->records, d->alloc * sizeof(*d->records));
	}
	d->records[d->count++] = r;
	return r;
}

/*
 * A record that is dropped because the run already stopped (after E0003);
 * notes go nowhere.
 */
static struct diag_record *sink(struct diag_engine *d)
{
	struct diag_record *r = ARENA_NEW(&d->arena, struct diag_record);
	r->notes_tail = &r->notes;
	r->code = "E0003";
	r->message = "";
	return r;
}

struct diag_record *diag_error(struct diag_engine *d, struct src_span span, const char *code,
			       const char *fmt, ...)
{
	if (d->stop)
		return sink(d);
	va_list ap;
	va_start(ap, fmt);
	char *msg = vformat(&d->arena, fmt, ap);
	va_end(ap);
	struct diag_record *r = push(d, DIAG_ERROR, span, code, msg);
	d->errors++;
	if (d->max_errors && d->errors >= d->max_errors) {
		push(d, DIAG_ERROR, span, "E0003",
		     arena_printf(&d->arena, "too many errors (%zu); stopping", d->errors));
		d->errors++;
		d->stop = true;
	}
	return r;
}

/* A record that does not count as an error: a warning or a remark. */
__attribute__((format(printf, 5, 0))) static struct diag_record *
push_other(struct diag_engine *d, enum diag_severity severity, struct src_span span, const char *code,
	   const char *fmt, va_list ap)
{
	if (d->stop)
		return sink(d);
	char *msg = vformat(&d->arena, fmt, ap);
	if (severity == DIAG_WARNING)
		d->warnings++;
	return push(d, severity, span, code, msg);
}

struct diag_record *diag_warning(struct diag_engine *d, struct src_span span, const char *code,
				 const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct diag_record *r = push_other(d, DIAG_WARNING, span, code, fmt, ap);
	va_end(ap);
	return r;
}

struct diag_record *diag_remark(struct diag_engine *d, struct src_span span, const char *code,
				const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct diag_record *r = push_other(d, DIAG_NOTE, span, code, fmt, ap);
	va_end(ap);
	return r;
}

void diag_note(struct diag_engine *d, struct diag_record *rec, struct src_span span,
	       const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct diag_note *n = ARENA_NEW(&d->arena, struct diag_note);
	n->span = span;
	n->message = vformat(&d->arena, fmt, ap);
	va_end(ap);
	*rec->notes_tail = n;
	rec->notes_tail = &n->next;
}

void diag_help(struct diag_engine *d, struct diag_record *rec, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	rec->help = vformat(&d->arena, fmt, ap);
	va_end(ap);
}

const char *diag_severity_name(enum diag_severity s)
{
	switch (s) {
	case DIAG_ERROR:
		return "error";
	case DIAG_WARNING:
		return "warning";
	case DIAG_NOTE:
		return "note";
	}
	return "error";
}

/* Printable rendering of one source line: tabs become one space, control bytes '?'. */
static void add_line_text(struct sb *out, const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = p[i];
		if (c == '\t')
			sb_addch(out, ' ');
		else if (c < 0x20 || c == 0x7f)
			sb_addch(out, '?');
		else
			sb_addch(out, c);
	}
}

/* The caret block under a span: line text, then spaces and ^~~~. */
static void add_snippet(struct sb *out, const struct src_span *span, bool color)
{
	const struct source *src = span->src;
	size_t start, len;
	/* Very long lines are shown around the caret only. */
	const size_t window = 160;
	source_line_bounds(src, span->begin.offset, &start, &len);
	size_t caret_col = span->begin.col ? span->begin.col - 1 : 0;
	size_t from = 0; /* code points skipped at the left */
	size_t width = 1;
	if (span->end.line == span->begin.line && span->end.col > span->begin.col)
		width = span->end.col - span->begin.col;
	if (caret_col > window / 2)
		from = caret_col - window / 2;
	/* Walk code points to find byte positions of [from, from + window). */
	size_t cp = 0, i = 0, bfrom = 0, bto = len;
	while (i < len) {
		if (cp == from)
			bfrom = i;
		if (cp == from + window) {
			bto = i;
			break;
		}
		i++;
		while (i < len && (src->text[start + i] & 0xC0) == 0x80)
			i++;
		cp++;
	}
	if (cp < from)
		bfrom = len;
	sb_addf(out, "%6u | ", span->begin.line);
	if (from)
		sb_adds(out, "...");
	add_line_text(out, src->text + start + bfrom, bto - bfrom);
	if (bto < len)
		sb_adds(out, "...");
	sb_adds(out, "\n       | ");
	if (from)
		sb_adds(out, "   ");
	sb_addchars(out, ' ', caret_col - from);
	if (width > window)
		width = window;
	if (color)
		sb_adds(out, "\033[1;32m");
	sb_addch(out, '^');
	if (width > 1)
		sb_addchars(out, '~', width - 1);
	if (color)
		sb_adds(out, "\033[0m");
	sb_addch(out, '\n');
}

static void add_location(struct sb *out, const struct src_span *span)
{
	if (span->src)
		sb_addf(out, "%s:%u:%u: ", span->src->name, span->begin.line, span->begin.col);
	else
		sb_adds(out, "pacc: ");
}

static void render_text(const struct diag_engine *d, FILE *out, bool color)
{
	struct sb sb = SB_INIT;
	for (size_t i = 0; i < d->count; i++) {
		const struct diag_record *r = d->records[i];
		if (color)
			sb_adds(&sb, "\033[1m");
		add_location(&sb, &r->span);
		if (color)
			sb_adds(&sb, r->severity == DIAG_ERROR ? "\033[1;31m" : "\033[1;35m");
		sb_addf(&sb, "%s[%s]: ", diag_severity_name(r->severity), r->code);
		if (color)
			sb_adds(&sb, "\033[0;1m");
		sb_adds(&sb, r->message);
		if (color)
			sb_adds(&sb, "\033[0m");
		sb_addch(&sb, '\n');
		if (r->span.src && !r->hide_text)
			add_snippet(&sb, &r->span, color);
		if (r->help)
			sb_addf(&sb, "       = help: %s\n", r->help);
		for (const struct diag_note *n = r->notes; n; n = n->next) {
			add_location(&sb, &n->span);
			sb_addf(&sb, "note: %s\n", n->message);
			if (n->span.src)
				add_snippet(&sb, &n->span, color);
		}
		fwrite(sb.buf, 1, sb.len, out);
		sb_reset(&sb);
	}
	sb_release(&sb);
}

static void add_json_place(cJSON *obj, const struct src_span *span)
{
	if (span->src) {
		cJSON_AddStringToObject(obj, "file", span->src->name);
		cJSON_AddNumberToObject(obj, "line", span->begin.line);
		cJSON_AddNumberToObject(obj, "column", span->begin.col);
		cJSON_AddNumberToObject(obj, "endLine", span->end.line);
		cJSON_AddNumberToObject(obj, "endColumn", span->end.col);
	} else {
		cJSON_AddNullToObject(obj, "file");
	}
}

static void render_json(const struct diag_engine *d, FILE *out)
{
	cJSON *arr = cJSON_CreateArray();
	if (!arr)
		die_oom();
	for (size_t i = 0; i < d->count; i++) {
		const struct diag_record *r = d->records[i];
		cJSON *o = cJSON_CreateObject();
		if (!o)
			die_oom();
		add_json_place(o, &r->span);
		cJSON_AddStringToObject(o, "severity", diag_severity_name(r->severity));
		cJSON_AddStringToObject(o, "code", r->code);
		cJSON_AddStringToObject(o, "message", r->message);
		if (r->help)
			cJSON_AddStringToObject(o, "help", r->help);
		cJSON *notes = cJSON_AddArrayToObject(o, "notes");
		for (const struct diag_note *n = r->notes; n; n = n->next) {
			cJSON *no = cJSON_CreateObject();
			add_json_place(no, &n->span);
			cJSON_AddStringToObject(no, "message", n->message);
			cJSON_AddItemToArray(notes, no);
		}
		cJSON_AddItemToArray(arr, o);
	}
	char *text = cJSON_PrintUnformatted(arr);
	if (!text)
		die_oom();
	fputs(text, out);
	fputc('\n', out);
	cJSON_free(text);
	cJSON_Delete(arr);
}

void diag_render(const struct diag_engine *d, FILE *out, enum diag_format format, bool color)
{
	struct sb sb = SB_INIT;
	switch (format) {
	case DIAG_FORMAT_TEXT:
		render_text(d, out, color);
		return;
	case DIAG_FORMAT_JSON:
		render_json(d, out);
		return;
	case DIAG_FORMAT_SARIF:
		diag_sarif_write(d, &sb);
		break;
	case DIAG_FORMAT_GITHUB:
		diag_github_write(d, &sb);
		break;
	}
	fwrite(sb.buf, 1, sb.len, out);
	sb_release(&sb);
}

struct diag_region diag_span_region(const struct src_span *span)
{
	struct diag_region r = { span->begin.line, span->begin.col, span->end.line, span->end.col };
	if (r.line == 0)
		r.line = 1;
	if (r.col == 0)
		r.col = 1;
	if (r.end_line < r.line || (r.end_line == r.line && r.end_col <= r.col)) {
		r.end_line = r.line;
		r.end_col = r.col + 1;
	}
	if (r.end_col == 0)
		r.end_col = 1;
	return r;
}

void diag_add_utf8(struct sb *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	const unsigned char *lim = p + strlen(s);
	while (p < lim) {
		int n = *p < 0x80 ? 1 : lex_utf8_len(p, lim);
		if (n > 0) {
			sb_add(out, p, (size_t)n);
			p += n;
		} else {
			sb_adds(out, "\xEF\xBF\xBD");
			p++;
		}
	}
}

static size_t edit_distance(const char *a, const char *b, size_t cap)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 64 || lb > 64)
		return cap + 1;
	size_t prev[65], cur[65];
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = i;
		size_t best = cur[0];
		for (size_t j = 1; j <= lb; j++) {
			size_t cost = tolower((unsigned char)a[i - 1]) == tolower((unsigned char)b[j - 1]) ? 0 : 1;
			size_t v = prev[j - 1] + cost;
			if (prev[j] + 1 < v)
				v = prev[j] + 1;
			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;
			cur[j] = v;
			if (v < best)
				best = v;
		}
		if (best > cap)
			return cap + 1;
		memcpy(prev, cur, (lb + 1) * sizeof(size_t));
	}
	return prev[lb];
}

static const char *closest_by_distance(const char *word, const char *const *candidates, size_t n)
{
	size_t len = strlen(word);
	size_t cap = len / 3;
	if (cap < 1)
		cap = 1;
	if (cap > 3)
		cap = 3;
	const char *best = NULL;
	size_t best_d = cap + 1;
	for (size_t i = 0; i < n; i++) {
		size_t dist = edit_distance(word, candidates[i], cap);
		if (dist < best_d && dist > 0) {
			best_d = dist;
			best = candidates[i];
		} else if (dist == 0 && strcmp(word, candidates[i]) != 0 && best_d > 0) {
			/* Differs only in case: the best possible suggestion. */
			best_d = 0;
			best = candidates[i];
		}
	}
	return best;
}

/*
 * A verb or plural form of a candidate ("denied", "audits", "modified"):
 * the word without an English ending is at most one edit from the
 * candidate and keeps at least four letters of it.
 */
static const char *closest_by_stem(const char *word, const char *const *candidates, size_t n)
{
	static const char *const endings[] = { "ing", "ed", "es", "d", "s" };
	size_t len = strlen(word);
	char stem[65];
	for (size_t e = 0; e < sizeof(endings) / sizeof(endings[0]); e++) {
		size_t el = strlen(endings[e]);
		if (len < el + 4 || len - el >= sizeof(stem) || strcasecmp(word + len - el, endings[e]) != 0)
			continue;
		memcpy(stem, word, len - el);
		stem[len - el] = '\0';
		const char *best = NULL;
		for (size_t i = 0; i < n && !best; i++)
			if (edit_distance(stem, candidates[i], 1) <= 1)
				best = candidates[i];
		if (best)
			return best;
	}
	return NULL;
}

const char *diag_closest(const char *word, const char *const *candidates, size_t n)
{
	const char *best = closest_by_distance(word, candidates, n);
	return best ? best : closest_by_stem(word, candidates, n);
}
