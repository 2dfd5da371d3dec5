/*
 * md_escape: Markdown inline escaping and YAML scalar quoting for the guide.
 * The rules, character by character, are documented in md_escape.h.
 */
#include "pacc/md_escape.h"

#include <string.h>

static bool is_space_or_control(unsigned char c)
{
	return c <= 0x20 || c == 0x7f;
}

static bool is_ascii_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_ascii_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static bool is_ascii_alnum(unsigned char c)
{
	return is_ascii_alpha(c) || is_ascii_digit(c);
}

static bool is_hex_digit(unsigned char c)
{
	return is_ascii_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/*
 * The length of a C1 control character (U+0080..U+009F, which includes the
 * next-line U+0085) or a line or paragraph separator (U+2028, U+2029) at
 * p[i], or 0.  Normalisation treats these like ASCII controls.
 */
static size_t unicode_break_len(const unsigned char *p, size_t len, size_t i)
{
	if (p[i] == 0xc2 && i + 1 < len && p[i + 1] >= 0x80 && p[i + 1] <= 0x9f)
		return 2;
	if (p[i] == 0xe2 && i + 2 < len && p[i + 1] == 0x80 && (p[i + 2] == 0xa8 || p[i + 2] == 0xa9))
		return 3;
	return 0;
}

void md_escape_normalize(struct sb *out, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	bool pending_space = false;
	bool wrote = false;

	sb_grow(out, len);
	for (size_t i = 0; i < len; i++) {
		size_t skip = unicode_break_len(p, len, i);
		if (skip > 0 || is_space_or_control(p[i])) {
			pending_space = wrote;
			i += skip > 0 ? skip - 1 : 0;
			continue;
		}
		if (pending_space)
			sb_addch(out, ' ');
		pending_space = false;
		sb_addch(out, p[i]);
		wrote = true;
	}
}

/*
 * True when the "&" at s[i] has the shape of an entity or numeric character
 * reference: &name; &#123; &#x1F;.  CommonMark also limits the length and
 * the names; escaping every such shape is simpler and never wrong.
 */
static bool starts_entity(const unsigned char *s, size_t len, size_t i)
{
	size_t j = i + 1;

	if (j < len && s[j] == '#') {
		j++;
		bool hex = j < len && (s[j] == 'x' || s[j] == 'X');
		if (hex)
			j++;
		size_t start = j;
		while (j < len && (hex ? is_hex_digit(s[j]) : is_ascii_digit(s[j])))
			j++;
		return j > start && j < len && s[j] == ';';
	}
	if (j >= len || !is_ascii_alpha(s[j]))
		return false;
	while (j < len && is_ascii_alnum(s[j]))
		j++;
	return j < len && s[j] == ';';
}

/*
 * True when the "@" at s[i] starts something a renderer may link: the
 * domain of an e-mail address (GFM autolinks) or a cross-reference "@uid" or
 * '@"uid"' (DocFX, which renders Learn).
 */
static bool at_links(const unsigned char *s, size_t len, size_t i)
{
	return i + 1 < len && (is_ascii_alnum(s[i + 1]) || s[i + 1] == '"');
}

/* True when the "." at s[i] ends a word "www" (any case). */
static bool ends_www(const unsigned char *s, size_t i)
{
	if (i < 3)
		return false;
	for (size_t k = i - 3; k < i; k++)
		if (s[k] != 'w' && s[k] != 'W')
			return false;
	return i == 3 || !is_ascii_alnum(s[i - 4]);
}

/*
 * The index of the "." or ")" that would make s an ordered-list marker
 * ("12." or "3)"), or len when s does not start with one.
 */
static size_t ordered_marker_end(const unsigned char *s, size_t len)
{
	size_t j = 0;
	while (j < len && is_ascii_digit(s[j]))
		j++;
	if (j > 0 && j < len && (s[j] == '.' || s[j] == ')'))
		return j;
	return len;
}

static void escape_normalized(struct sb *out, const unsigned char *s, size_t len, unsigned flags)
{
	size_t marker = len;

	if ((flags & MD_ESCAPE_LINE_START) && len > 0)
		marker = ordered_marker_end(s, len);

	for (size_t i = 0; i < len; i++) {
		unsigned char c = s[i];
		bool escape = false;

		switch (c) {
		case '`':
		case '*':
		case '[':
		case ']':
			if (flags & MD_ESCAPE_CHAR_REFS) {
				sb_addf(out, "&#%d;", c);
				continue;
			}
			escape = true;
			break;
		case '\\':
		case '_':
		case '|':
		case '~':
		case '{':
		case '}':
			escape = true;
			break;
		case '<':
			sb_adds(out, "&lt;");
			continue;
		case '&':
			if (starts_entity(s, len, i)) {
				sb_adds(out, "&amp;");
				continue;
			}
			break;
		case '#':
			escape = (i == 0 && (flags & MD_ESCAPE_LINE_START)) ||
				 (flags & MD_ESCAPE_HEADING);
			break;
		case '-':
		case '+':
		case '>':
		case '=':
			escape = i == 0 && (flags & MD_ESCAPE_LINE_START);
			break;
		case ':':
			/* A line-start ":" (Learn's ":::" blocks), "://" (bare URLs) and
			 * any ":::" (Learn's inline ":::image:::"). */
			escape = (i == 0 && (flags & MD_ESCAPE_LINE_START)) ||
				 (i + 2 < len && s[i + 1] == '/' && s[i + 2] == '/') ||
				 (i + 2 < len && s[i + 1] == ':' && s[i + 2] == ':');
			break;
		case '.':
			escape = i == marker || ends_www(s, i);
			break;
		case ')':
			escape = i == marker;
			break;
		case '(':
			escape = i > 0 && s[i - 1] == ']';
			break;
		case '@':
			escape = at_links(s, len, i);
			break;
		default:
			break;
		}
		if (escape)
			sb_addch(out, '\\');
		sb_addch(out, c);
	}
}

void md_escape_inline(struct sb *out, const char *s, size_t len, unsigned flags)
{
	struct sb norm = SB_INIT;

	md_escape_normalize(&norm, s, len);
	escape_normalized(out, (const unsigned char *)norm.buf, norm.len, flags);
	sb_release(&norm);
}

void md_escape_link_target(struct sb *out, const char *s, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)s;
	size_t begin = 0, end = len;

	while (begin < end && is_space_or_control(p[begin]))
		begin++;
	while (end > begin && is_space_or_control(p[end - 1]))
		end--;
	for (size_t i = begin; i < end; i++) {
		unsigned char c = p[i];
		if (c <= 0x20 || c >= 0x7f || c == '(' || c == ')' || c == '<' || c == '>' ||
		    c == '\\' || c == '`') {
			sb_addch(out, '%');
			sb_addch(out, hex[c >> 4]);
			sb_addch(out, hex[c & 0xf]);
		} else if (c == '&' && starts_entity(p, end, i)) {
			sb_adds(out, "\\&");
		} else {
			sb_addch(out, c);
		}
	}
}

void md_escape_code_span(struct sb *out, const char *s, size_t len)
{
	struct sb norm = SB_INIT;
	size_t longest = 0, run = 0;

	md_escape_normalize(&norm, s, len);
	for (size_t i = 0; i < norm.len; i++) {
		run = norm.buf[i] == '`' ? run + 1 : 0;
		if (run > longest)
			longest = run;
	}
	bool pad = norm.len > 0 && (norm.buf[0] == '`' || norm.buf[norm.len - 1] == '`');
	sb_addchars(out, '`', longest + 1);
	if (pad)
		sb_addch(out, ' ');
	sb_add(out, norm.buf, norm.len);
	if (pad)
		sb_addch(out, ' ');
	sb_addchars(out, '`', longest + 1);
	sb_release(&norm);
}

/* Words YAML 1.1 reads as booleans or null when plain. */
static bool is_yaml_keyword(const char *s, size_t len)
{
	static const char *const words[] = {"y",   "n",  "yes", "no",    "on",   "off",
					    "true", "false", "null", "~"};
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		size_t n = strlen(words[i]);
		if (n != len)
			continue;
		size_t k = 0;
		while (k < n && (s[k] | 0x20) == words[i][k])
			k++;
		if (k == n)
			return true;
	}
	return false;
}

static bool yaml_plain_ok(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	bool letter_or_slash = false;

	if (len == 0 || !is_ascii_alnum(p[0]) || p[len - 1] == ' ' || is_yaml_keyword(s, len))
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = p[i];
		if (is_ascii_alpha(c) || c == '/')
			letter_or_slash = true;
		else if (!is_ascii_digit(c) && !memchr(" .,/_-()'", c, 9))
			return false;
	}
	return letter_or_slash;
}

void md_escape_yaml_quoted(struct sb *out, const char *s, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)s;

	sb_addch(out, '"');
	for (size_t i = 0; i < len; i++) {
		unsigned char c = p[i];
		switch (c) {
		case '"':
			sb_adds(out, "\\\"");
			continue;
		case '\\':
			sb_adds(out, "\\\\");
			continue;
		case '<':
			/* Keeps "<!--" and tags out of the file, for naive scanners. */
			sb_adds(out, "\\x3C");
			continue;
		case '\n':
			sb_adds(out, "\\n");
			continue;
		case '\t':
			sb_adds(out, "\\t");
			continue;
		case '\r':
			sb_adds(out, "\\r");
			continue;
		default:
			break;
		}
		if (c < 0x20 || c == 0x7f) {
			sb_adds(out, "\\x");
			sb_addch(out, hex[c >> 4]);
			sb_addch(out, hex[c & 0xf]);
			continue;
		}
		/* C1 controls (C2 80..9F; U+0085 is YAML's next-line), U+2028/U+2029
		 * (E2 80 A8/A9), U+FEFF (EF BB BF), U+FFFE/U+FFFF (EF BF BE/BF):
		 * line breaks or characters YAML does not allow raw. */
		if (c == 0xc2 && i + 1 < len && p[i + 1] >= 0x80 && p[i + 1] <= 0x9f) {
			if (p[i + 1] == 0x85) {
				sb_adds(out, "\\N");
			} else {
				sb_adds(out, "\\x");
				sb_addch(out, hex[p[i + 1] >> 4]);
				sb_addch(out, hex[p[i + 1] & 0xf]);
			}
			i++;
			continue;
		}
		if (c == 0xef && i + 2 < len && p[i + 1] == 0xbf && (p[i + 2] == 0xbe || p[i + 2] == 0xbf)) {
			sb_adds(out, p[i + 2] == 0xbe ? "\\uFFFE" : "\\uFFFF");
			i += 2;
			continue;
		}
		if (c == 0xe2 && i + 2 < len && p[i + 1] == 0x80 && (p[i + 2] == 0xa8 || p[i + 2] == 0xa9)) {
			sb_adds(out, p[i + 2] == 0xa8 ? "\\L" : "\\P");
			i += 2;
			continue;
		}
		if (c == 0xef && i + 2 < len && p[i + 1] == 0xbb && p[i + 2] == 0xbf) {
			sb_adds(out, "\\uFEFF");
			i += 2;
			continue;
		}
		sb_addch(out, c);
	}
	sb_addch(out, '"');
}

void md_escape_yaml(struct sb *out, const char *s, size_t len)
{
	if (yaml_plain_ok(s, len))
		sb_add(out, s, len);
	else
		md_escape_yaml_quoted(out, s, len);
}

/* The end of the line starting at i (the index of its '\n', or len). */
static size_t line_end(const char *s, size_t len, size_t i)
{
	const char *nl = memchr(s + i, '\n', len - i);
	return nl ? (size_t)(nl - s) : len;
}

static bool blank_range(const char *s, size_t begin, size_t end)
{
	for (size_t i = begin; i < end; i++)
		if (!is_space_or_control((unsigned char)s[i]))
			return false;
	return true;
}

bool md_escape_next_paragraph(const char *s, size_t len, bool is_text_block, size_t *pos,
			      const char **para, size_t *para_len)
{
	size_t i = *pos;

	if (!is_text_block) {
		*pos = len;
		if (i >= len || blank_range(s, i, len))
			return false;
		*para = s + i;
		*para_len = len - i;
		return true;
	}
	/* Skip blank lines, then take lines up to the next blank one. */
	while (i < len) {
		size_t e = line_end(s, len, i);
		if (!blank_range(s, i, e))
			break;
		i = e < len ? e + 1 : len;
	}
	if (i >= len) {
		*pos = len;
		return false;
	}
	size_t begin = i, end = i;
	while (i < len) {
		size_t e = line_end(s, len, i);
		if (blank_range(s, i, e))
			break;
		end = e;
		i = e < len ? e + 1 : len;
	}
	*pos = i;
	*para = s + begin;
	*para_len = end - begin;
	return true;
}
