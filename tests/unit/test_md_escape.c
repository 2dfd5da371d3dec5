/*
 * Tests for md_escape: exact escapes for each rule, then properties over an
 * adversarial string set (no block construct can start, no metacharacter is
 * left active, the visible text is preserved), and YAML values parsed back
 * with libyaml to prove they cannot add keys or leave the front matter.
 */
#include "testutil.h"

#include "pacc/md_escape.h"
#include "pacc/sb.h"

#include <ctype.h>
#include <yaml.h>

/* Strings built to break out of wherever they are put. */
static const char *const adversarial[] = {
	"plain words",
	"\"quoted\" and 'single'",
	"back\\slash \\* \\",
	"${parameters('x')} and {{ template }}",
	"'''",
	"\"\"\"",
	"line one\nline two\n\nparagraph?",
	"\ttab\tseparated\t",
	"ctrl \x01\x02\x1b[31m red \x7f",
	"*bold* _em_ **strong** __strong__",
	"[link](https://evil.example) ![img](x.png)",
	"[ref][1]\n\n[1]: https://evil.example",
	"# heading",
	"## heading ##",
	"#hashtag",
	"<script>alert(1)</script>",
	"<!-- comment -->",
	"<https://autolink.example>",
	"https://bare.example/path and www.example.com and me@example.com",
	"&amp; &lt; &#65; &#x41; &copy; & alone",
	"caf\xc3\xa9 \xe2\x80\x94 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x94\x92",
	"- item",
	"+ item",
	"* item",
	"1. item",
	"123) item",
	"> quote",
	"    indented code",
	"---",
	"***",
	"___",
	"===",
	"```js",
	"~~~",
	"~~strike~~",
	"| a | b |\n|---|---|",
	":::image type=\"content\":::",
	"`code` ``double``",
	"a\\\nb",
	"trailing spaces   ",
	"[!NOTE]",
	"inline :::image type=\"icon\" source=\"x.svg\"::: here",
	"@System.String and @\"uid\" and a@b.example",
	"x\xe2\x80\xa8y\xe2\x80\xa9z\xc2\x85w",
};
#define N_ADVERSARIAL (sizeof(adversarial) / sizeof(adversarial[0]))

static char *inline_of(const char *s, unsigned flags)
{
	struct sb out = SB_INIT;
	md_escape_inline(&out, s, strlen(s), flags);
	return sb_detach(&out, NULL);
}

static bool is_ascii_punct(unsigned char c)
{
	return c > 0x20 && c < 0x7f && !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
					 (c >= 'A' && c <= 'Z'));
}

/* One of the references MD_ESCAPE_CHAR_REFS writes: &#96; &#42; &#91; &#93;. */
static bool is_our_char_ref(const char *s)
{
	return strncmp(s, "&#96;", 5) == 0 || strncmp(s, "&#42;", 5) == 0 ||
	       strncmp(s, "&#91;", 5) == 0 || strncmp(s, "&#93;", 5) == 0;
}

/*
 * What a CommonMark renderer shows for escaped text made only of backslash
 * escapes, "&lt;" and "&amp;": the escapes removed.  Fails the test on a
 * backslash that escapes nothing.
 */
static char *visible_text(const char *md)
{
	struct sb out = SB_INIT;
	for (size_t i = 0; md[i]; i++) {
		if (md[i] == '\\') {
			assert_true(is_ascii_punct((unsigned char)md[i + 1]));
			sb_addch(&out, md[++i]);
		} else if (strncmp(md + i, "&lt;", 4) == 0) {
			sb_addch(&out, '<');
			i += 3;
		} else if (strncmp(md + i, "&amp;", 5) == 0) {
			sb_addch(&out, '&');
			i += 4;
		} else if (is_our_char_ref(md + i)) {
			sb_addch(&out, (char)atoi(md + i + 2));
			i += 4;
		} else {
			sb_addch(&out, md[i]);
		}
	}
	return sb_detach(&out, NULL);
}

static char *normalized_of(const char *s)
{
	struct sb out = SB_INIT;
	md_escape_normalize(&out, s, strlen(s));
	return sb_detach(&out, NULL);
}

/* Asserts md (one rendered line) opens no block and leaves no metacharacter active. */
static void assert_inert_line(const char *md, bool line_start)
{
	size_t len = strlen(md);

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)md[i];
		assert_false(c < 0x20 || c == 0x7f);
	}
	if (len > 0) {
		assert_false(md[0] == ' ' || md[len - 1] == ' ');
	}
	if (line_start && len > 0) {
		assert_null(strchr("#-+*>_=~`|:<[", md[0]));
		size_t d = 0;
		while (md[d] >= '0' && md[d] <= '9')
			d++;
		if (d > 0) {
			assert_false(md[d] == '.' || md[d] == ')');
		}
	}
	for (size_t i = 0; i < len; i++) {
		char c = md[i];
		if (c == '\\') {
			i++;
			continue;
		}
		assert_null(strchr("`*_[]|~{}<", c));
		if (c == '&') {
			/* Our own "&lt;" and "&amp;", or an "&" that starts no entity. */
			assert_true(strncmp(md + i, "&lt;", 4) == 0 || strncmp(md + i, "&amp;", 5) == 0 ||
				    is_our_char_ref(md + i) || !looks_like_entity(md + i));
		}
		if (c == ':') {
			assert_false(md[i + 1] == '/' && md[i + 2] == '/');
			assert_false(md[i + 1] == ':' && md[i + 2] == ':');
		}
		if (c == '@') {
			assert_false(isalnum((unsigned char)md[i + 1]) || md[i + 1] == '"');
		}
	}
	/* GFM autolinks "www." only at the start of a word. */
	for (const char *w = strstr(md, "www."); w; w = strstr(w + 1, "www.")) {
		assert_true(w > md && isalnum((unsigned char)w[-1]));
	}
	assert_null(strstr(md, "](")); /* "[x](y)" can never read as a link */
}

static void test_md_escape_adversarial_line_start(void **state)
{
	(void)state;
	for (size_t k = 0; k < N_ADVERSARIAL; k++) {
		char *md = inline_of(adversarial[k], MD_ESCAPE_LINE_START);
		assert_inert_line(md, true);
		char *shown = visible_text(md);
		char *want = normalized_of(adversarial[k]);
		assert_string_equal(shown, want);
		free(want);
		free(shown);
		free(md);
	}
}

static void test_md_escape_adversarial_heading(void **state)
{
	(void)state;
	for (size_t k = 0; k < N_ADVERSARIAL; k++) {
		char *md = inline_of(adversarial[k], MD_ESCAPE_HEADING);
		assert_inert_line(md, false);
		/* No unescaped '#' anywhere: a trailing run would close the heading. */
		for (size_t i = 0; md[i]; i++) {
			if (md[i] == '\\')
				i++;
			else
				assert_int_not_equal(md[i], '#');
		}
		free(md);
	}
}

static void assert_yaml_round_trip(const char *value, size_t value_len);

/*
 * Strings drawn from Markdown's and YAML's special characters by a fixed
 * linear congruential generator, so every run checks the same 3,000 cases.
 */
static void random_string(uint32_t *seed, char *buf, size_t cap)
{
	static const char *const atoms[] = {
		"\\", "`", "*", "_", "[", "]", "(", ")", "#", "+", "-", ".", "!", "<", ">", "|",
		"{", "}", "~", "&", ";", ":", "/", "@", "=", "\"", "'", "$", "^", " ", "\t", "\n",
		"\r", "\x01", "\x7f", "1", "12", "a", "www", "http", "amp", "#65", "x41", "---",
		"caf\xc3\xa9", "\xe2\x80\xa8", "\xc2\x85", "\xef\xbb\xbf", "\xf0\x9f\x94\x92"};
	size_t n = 0;
	*seed = *seed * 1664525u + 1013904223u;
	size_t count = (*seed >> 16) % 24;
	for (size_t k = 0; k < count; k++) {
		*seed = *seed * 1664525u + 1013904223u;
		const char *atom = atoms[(*seed >> 16) % (sizeof(atoms) / sizeof(atoms[0]))];
		size_t len = strlen(atom);
		if (n + len + 1 > cap)
			break;
		memcpy(buf + n, atom, len);
		n += len;
	}
	buf[n] = '\0';
}

static void test_md_escape_random_strings_stay_inert(void **state)
{
	(void)state;
	uint32_t seed = 20250604u;
	char buf[256];

	for (int k = 0; k < 3000; k++) {
		random_string(&seed, buf, sizeof(buf));
		for (unsigned flags = 0; flags < 8; flags++) {
			char *md = inline_of(buf, flags);
			assert_inert_line(md, (flags & MD_ESCAPE_LINE_START) != 0);
			char *shown = visible_text(md);
			char *want = normalized_of(buf);
			assert_string_equal(shown, want);
			free(want);
			free(shown);
			free(md);
		}
		assert_yaml_round_trip(buf, strlen(buf));
	}
}

struct escape_case {
	const char *in;
	unsigned flags;
	const char *want;
};

static void test_md_escape_inline_exact(void **state)
{
	(void)state;
	static const struct escape_case cases[] = {
		{"Use private endpoints.", MD_ESCAPE_LINE_START, "Use private endpoints."},
		{"- item", MD_ESCAPE_LINE_START, "\\- item"},
		{"- item", 0, "- item"},
		{"a - b + c", MD_ESCAPE_LINE_START, "a - b + c"},
		{"+ item", MD_ESCAPE_LINE_START, "\\+ item"},
		{"> quote", MD_ESCAPE_LINE_START, "\\> quote"},
		{"a > b", MD_ESCAPE_LINE_START, "a > b"},
		{"# title", MD_ESCAPE_LINE_START, "\\# title"},
		{"C# and F#", MD_ESCAPE_LINE_START, "C# and F#"},
		{"C# and F#", MD_ESCAPE_HEADING, "C\\# and F\\#"},
		{"1. first", MD_ESCAPE_LINE_START, "1\\. first"},
		{"2) second", MD_ESCAPE_LINE_START, "2\\) second"},
		{"TLS 1.2 or later", MD_ESCAPE_LINE_START, "TLS 1.2 or later"},
		{"2025. A year", 0, "2025. A year"},
		{"*a* _b_ `c`", 0, "\\*a\\* \\_b\\_ \\`c\\`"},
		{"[a](b)", 0, "\\[a\\]\\(b)"},
		{"<b>&amp;</b>", 0, "&lt;b>&amp;amp;&lt;/b>"},
		{"R&D & more", 0, "R&D & more"},
		{"&#65; &#x41;", 0, "&amp;#65; &amp;#x41;"},
		{"a\\b", 0, "a\\\\b"},
		{"x | y ~ z {w}", 0, "x \\| y \\~ z \\{w\\}"},
		{"[a] *b* `c` _d_", MD_ESCAPE_CHAR_REFS, "&#91;a&#93; &#42;b&#42; &#96;c&#96; \\_d\\_"},
		{"see https://x.example", 0, "see https\\://x.example"},
		{"www.example.com", 0, "www\\.example.com"},
		{"awww.nope", 0, "awww.nope"},
		{"mail me@example.com", 0, "mail me\\@example.com"},
		{"@mention", 0, "\\@mention"},
		{"a @ b, @\"uid\"", 0, "a @ b, \\@\"uid\""},
		{"see :::image type=\"icon\":::", 0, "see \\:::image type=\"icon\"\\:::"},
		{"a: b :: c", 0, "a: b :: c"},
		{":::zone", MD_ESCAPE_LINE_START, "\\:::zone"},
		{"  two\n lines\t", MD_ESCAPE_LINE_START, "two lines"},
		{"caf\xc3\xa9", 0, "caf\xc3\xa9"},
	};
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		char *md = inline_of(cases[k].in, cases[k].flags);
		assert_string_equal(md, cases[k].want);
		free(md);
	}
}

static void test_md_escape_normalize_collapses_whitespace(void **state)
{
	(void)state;
	static const char in[] = "\n a\x00\tb \r\n\x1f c \x7f";
	struct sb out = SB_INIT;
	md_escape_normalize(&out, in, sizeof(in) - 1);
	assert_string_equal(out.buf, "a b c");
	sb_release(&out);
}

static void test_md_escape_link_target_stays_inside_parens(void **state)
{
	(void)state;
	static const struct {
		const char *in, *want;
	} cases[] = {
		{"/azure/data-factory/data-factory-private-link", "/azure/data-factory/data-factory-private-link"},
		{"https://x.example/a b", "https://x.example/a%20b"},
		{"/x) ![img](y", "/x%29%20![img]%28y"},
		{"/a<b>\"c\"", "/a%3Cb%3E\"c\""},
		{"/q?a=1&b=2", "/q?a=1&b=2"},
		{"/q?x=&amp;", "/q?x=\\&amp;"},
		{"/a\\)b", "/a%5C%29b"},
		{"/x`y", "/x%60y"},
		{"/caf\xc3\xa9", "/caf%C3%A9"},
		{" /trim\n", "/trim"},
		{"/a\nb", "/a%0Ab"},
	};
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		struct sb out = SB_INIT;
		md_escape_link_target(&out, cases[k].in, strlen(cases[k].in));
		assert_string_equal(out.buf, cases[k].want);
		assert_null(strpbrk(out.buf, " ()<>`\n"));
		sb_release(&out);
	}
}

static void test_md_escape_code_span_fences(void **state)
{
	(void)state;
	static const struct {
		const char *in, *want;
	} cases[] = {
		{"azure-data-factory-ns-2", "`azure-data-factory-ns-2`"},
		{"a`b", "``a`b``"},
		{"``x", "``` ``x ```"},
		{"a\nb", "`a b`"},
	};
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		struct sb out = SB_INIT;
		md_escape_code_span(&out, cases[k].in, strlen(cases[k].in));
		assert_string_equal(out.buf, cases[k].want);
		sb_release(&out);
	}
}

static void test_md_escape_paragraphs_split_text_blocks(void **state)
{
	(void)state;
	static const char text[] = "\nFirst line\nsecond line\n\n  \nThird\n\n";
	const char *para;
	size_t len, pos = 0;

	assert_true(md_escape_next_paragraph(text, strlen(text), true, &pos, &para, &len));
	assert_int_equal(len, strlen("First line\nsecond line"));
	assert_memory_equal(para, "First line\nsecond line", len);
	assert_true(md_escape_next_paragraph(text, strlen(text), true, &pos, &para, &len));
	assert_memory_equal(para, "Third", len);
	assert_int_equal(len, 5);
	assert_false(md_escape_next_paragraph(text, strlen(text), true, &pos, &para, &len));

	/* A plain string is one paragraph even across blank lines. */
	pos = 0;
	assert_true(md_escape_next_paragraph(text, strlen(text), false, &pos, &para, &len));
	assert_int_equal(len, strlen(text));
	assert_false(md_escape_next_paragraph(text, strlen(text), false, &pos, &para, &len));

	/* Nothing but blanks: no paragraph. */
	pos = 0;
	assert_false(md_escape_next_paragraph(" \n\t\n", 4, true, &pos, &para, &len));
}

/*
 * Parses "key: <value>\nother: x\n" with libyaml and checks that the
 * document is a mapping of exactly those two keys with value intact.
 */
static void assert_yaml_round_trip(const char *value, size_t value_len)
{
	struct sb doc = SB_INIT;
	yaml_parser_t parser;
	yaml_event_t ev;
	size_t keys = 0, scalars = 0;
	bool got_value = false;

	sb_adds(&doc, "---\nkey: ");
	md_escape_yaml(&doc, value, value_len);
	sb_adds(&doc, "\nother: x\n---\n");
	/* The front matter's own closing line is the only other "---". */
	assert_non_null(strstr(doc.buf + 4, "\n---\n"));
	assert_ptr_equal(strstr(doc.buf + 4, "\n---\n"), strstr(doc.buf, "\nother: x\n") + 9);

	assert_true(yaml_parser_initialize(&parser));
	yaml_parser_set_input_string(&parser, (const unsigned char *)doc.buf, doc.len);
	int depth = 0;
	for (;;) {
		assert_true(yaml_parser_parse(&parser, &ev));
		yaml_event_type_t type = ev.type;
		if (type == YAML_MAPPING_START_EVENT)
			depth++;
		if (type == YAML_MAPPING_END_EVENT)
			depth--;
		assert_int_not_equal(type, YAML_SEQUENCE_START_EVENT);
		assert_int_not_equal(type, YAML_ALIAS_EVENT);
		if (type == YAML_SCALAR_EVENT) {
			assert_int_equal(depth, 1);
			if (scalars % 2 == 0) {
				keys++;
				const char *k = (const char *)ev.data.scalar.value;
				assert_true(strcmp(k, keys == 1 ? "key" : "other") == 0);
			} else if (keys == 1) {
				assert_int_equal(ev.data.scalar.length, value_len);
				assert_memory_equal(ev.data.scalar.value, value, value_len);
				got_value = true;
			}
			scalars++;
		}
		yaml_event_delete(&ev);
		if (type == YAML_DOCUMENT_END_EVENT)
			break;
	}
	yaml_parser_delete(&parser);
	assert_int_equal(keys, 2);
	assert_true(got_value);
	sb_release(&doc);
}

static void test_md_escape_yaml_values_cannot_add_keys(void **state)
{
	(void)state;
	static const char *const values[] = {
		"---",
		"a\n---\nkey2: injected",
		"key: value",
		"x\nkey2: y",
		"# not a comment",
		"value # comment",
		"- list item",
		"[flow, seq]",
		"{a: b}",
		"&anchor",
		"*alias",
		"!tag",
		"|",
		">",
		"'single'",
		"\"double\"",
		"back\\slash\\",
		"%YAML",
		"@at",
		"`tick`",
		"true",
		"No",
		"~",
		"null",
		"1.0",
		"2025",
		"",
		" leading",
		"trailing ",
		"tab\there",
		"ctrl\x01\x1b\x7f",
		"line\xe2\x80\xa8sep\xe2\x80\xa9para\xc2\x85nel\xc2\x9f",
		"bom\xef\xbb\xbf nonchar\xef\xbf\xbe",
		"Secure your Azure Data Factory",
		"06/04/2025",
		"azure-data-factory",
		"Learn how to secure Azure Data Factory, with best practices for network security.",
		"caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac",
		"'''",
		"${x}",
	};
	for (size_t k = 0; k < sizeof(values) / sizeof(values[0]); k++) {
		assert_yaml_round_trip(values[k], strlen(values[k]));
	}
	/* An embedded NUL byte (\u0000 in a pack string) too. */
	assert_yaml_round_trip("a\0b", 3);
}

static void test_md_escape_yaml_plain_or_quoted(void **state)
{
	(void)state;
	static const struct {
		const char *in, *want;
	} cases[] = {
		{"azure-data-factory", "azure-data-factory"},
		{"06/04/2025", "06/04/2025"},
		{"Secure your Azure Data Factory", "Secure your Azure Data Factory"},
		{"a: b", "\"a: b\""},
		{"x # y", "\"x # y\""},
		{"2025", "\"2025\""},
		{"yes", "\"yes\""},
		{"say \"hi\" \\ now", "\"say \\\"hi\\\" \\\\ now\""},
		{"a\nb\tc\x01", "\"a\\nb\\tc\\x01\""},
		{"", "\"\""},
	};
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		struct sb out = SB_INIT;
		md_escape_yaml(&out, cases[k].in, strlen(cases[k].in));
		assert_string_equal(out.buf, cases[k].want);
		sb_release(&out);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_md_escape_adversarial_line_start),
		cmocka_unit_test(test_md_escape_adversarial_heading),
		cmocka_unit_test(test_md_escape_random_strings_stay_inert),
		cmocka_unit_test(test_md_escape_inline_exact),
		cmocka_unit_test(test_md_escape_normalize_collapses_whitespace),
		cmocka_unit_test(test_md_escape_link_target_stays_inside_parens),
		cmocka_unit_test(test_md_escape_code_span_fences),
		cmocka_unit_test(test_md_escape_paragraphs_split_text_blocks),
		cmocka_unit_test(test_md_escape_yaml_values_cannot_add_keys),
		cmocka_unit_test(test_md_escape_yaml_plain_or_quoted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
