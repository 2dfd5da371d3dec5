/*
 * Unit tests for diag_codes: the table is sorted and complete, and it says
 * word for word what grammar/README.md says.  Reads the sources, so it runs
 * from the project root (as `make test` does).
 */
#include "testutil.h"

#include "pacc/diag_codes.h"
#include "pacc/sb.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>

/* The whole file at path, or NULL. */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	struct sb sb = SB_INIT;
	char buf[65536];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		sb_add(&sb, buf, n);
	fclose(f);
	return sb_detach(&sb, NULL);
}

/* Every code literal "E1234" in text, appended to codes (one per line). */
static void collect_codes(const char *text, struct sb *codes)
{
	for (const char *p = strstr(text, "\"E"); p; p = strstr(p + 1, "\"E")) {
		bool digits = true;
		for (int i = 2; i < 6; i++)
			digits = digits && isdigit((unsigned char)p[i]);
		if (digits && p[6] == '"')
			sb_addf(codes, "%.5s\n", p + 1);
	}
}

/* Codes used in every .c under src/ and in the grammar, one per line. */
static void source_codes(struct sb *codes)
{
	static const char *const grammar[] = { "grammar/lexer.re", "grammar/parser.y" };
	for (size_t i = 0; i < 2; i++) {
		char *text = slurp(grammar[i]);
		assert_non_null(text);
		collect_codes(text, codes);
		free(text);
	}
	DIR *src = opendir("src");
	assert_non_null(src);
	struct dirent *stage;
	size_t files = 0;
	while ((stage = readdir(src)) != NULL) {
		if (stage->d_name[0] == '.')
			continue;
		struct sb dir = SB_INIT;
		sb_addf(&dir, "src/%s", stage->d_name);
		DIR *d = opendir(dir.buf);
		struct dirent *e;
		while (d && (e = readdir(d)) != NULL) {
			size_t n = strlen(e->d_name);
			if (n < 3 || strcmp(e->d_name + n - 2, ".c") != 0)
				continue;
			struct sb path = SB_INIT;
			sb_addf(&path, "%s/%s", dir.buf, e->d_name);
			char *text = slurp(path.buf);
			assert_non_null(text);
			collect_codes(text, codes);
			free(text);
			sb_release(&path);
			files++;
		}
		if (d)
			closedir(d);
		sb_release(&dir);
	}
	closedir(src);
	assert_true(files > 10);
}

static void test_diag_codes_sorted_and_found(void **state)
{
	(void)state;
	size_t n;
	const struct diag_code_info *t = diag_code_table(&n);
	assert_true(n > 80);
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			assert_true(strcmp(t[i - 1].code, t[i].code) < 0);
		assert_ptr_equal(diag_code_find(t[i].code), &t[i]);
		assert_true(t[i].title[0] && t[i].explanation[0] && t[i].example[0]);
		assert_true(t[i].level == DIAG_ERROR || t[i].level == DIAG_WARNING ||
			    t[i].level == DIAG_NOTE);
	}
	assert_null(diag_code_find("E9999"));
	assert_null(diag_code_find(""));
}

/* Every code a phase can report has an entry, and every entry is reported somewhere. */
static void test_diag_codes_match_the_sources(void **state)
{
	(void)state;
	struct sb codes = SB_INIT;
	source_codes(&codes);
	for (const char *line = codes.buf; *line; line += 6) {
		char code[6];
		memcpy(code, line, 5);
		code[5] = '\0';
		if (!diag_code_find(code))
			fail_msg("%s is reported in the sources but has no entry in diag_codes.c", code);
	}
	size_t n;
	const struct diag_code_info *t = diag_code_table(&n);
	for (size_t i = 0; i < n; i++) {
		char needle[8];
		snprintf(needle, sizeof(needle), "%s\n", t[i].code);
		/* The table itself lives in a source file: count the other uses. */
		if (count_substr(codes.buf, needle) < 2)
			fail_msg("%s has an entry but no phase reports it", t[i].code);
	}
	sb_release(&codes);
}

/* s with every run of white space made one space, and no space at either end. */
static char *squeeze(const char *s, size_t len)
{
	struct sb sb = SB_INIT;
	bool space = false;
	for (size_t i = 0; i < len; i++) {
		if (isspace((unsigned char)s[i])) {
			space = sb.len > 0;
			continue;
		}
		if (space)
			sb_addch(&sb, ' ');
		space = false;
		sb_addch(&sb, s[i]);
	}
	return sb_detach(&sb, NULL);
}

/*
 * Each entry is a section of the language reference: "#### CODE: title",
 * the explanation as its first paragraph and "Example: ..." as its second;
 * and every such section has an entry.
 */
static void test_diag_codes_match_the_reference(void **state)
{
	(void)state;
	char *md = slurp("grammar/README.md");
	assert_non_null(md);
	size_t n;
	const struct diag_code_info *t = diag_code_table(&n);
	for (size_t i = 0; i < n; i++) {
		struct sb heading = SB_INIT;
		sb_addf(&heading, "\n#### %s: %s\n\n", t[i].code, t[i].title);
		const char *at = strstr(md, heading.buf);
		if (!at)
			fail_msg("grammar/README.md has no section '%s: %s'", t[i].code, t[i].title);
		at += heading.len;
		const char *end = strstr(at, "\n\n");
		assert_non_null(end);
		char *got = squeeze(at, (size_t)(end - at));
		if (strcmp(got, t[i].explanation) != 0)
			fail_msg("%s: the reference says\n  %s\nthe table says\n  %s", t[i].code, got,
				 t[i].explanation);
		free(got);
		at = end + 2;
		end = strstr(at, "\n\n");
		if (!end)
			end = at + strlen(at);
		got = squeeze(at, (size_t)(end - at));
		struct sb example = SB_INIT;
		sb_addf(&example, "Example: %s", t[i].example);
		if (strcmp(got, example.buf) != 0)
			fail_msg("%s: the reference's example is\n  %s\nthe table's\n  %s", t[i].code, got,
				 example.buf);
		free(got);
		sb_release(&example);
		sb_release(&heading);
	}
	for (const char *p = strstr(md, "\n#### E"); p; p = strstr(p + 1, "\n#### E")) {
		char code[6];
		memcpy(code, p + 6, 5);
		code[5] = '\0';
		if (!diag_code_find(code))
			fail_msg("grammar/README.md documents %s, which has no entry in diag_codes.c", code);
	}
	free(md);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_diag_codes_sorted_and_found),
		cmocka_unit_test(test_diag_codes_match_the_sources),
		cmocka_unit_test(test_diag_codes_match_the_reference),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
