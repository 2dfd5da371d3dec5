/*
 * fsout: all-or-nothing writing of pack trees, in a scratch directory per test.
 */
#include "testutil.h"

#include "pacc/fsout.h"
#include "pacc/output.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

struct scratch {
	char root[64];   /* a fresh directory under /tmp */
	char out[128];   /* root/out: the output directory */
};

static int scratch_setup(void **state)
{
	struct scratch *s = test_calloc(1, sizeof(*s));
	snprintf(s->root, sizeof(s->root), "/tmp/pacc-fsout-XXXXXX");
	if (!mkdtemp(s->root))
		return -1;
	snprintf(s->out, sizeof(s->out), "%s/out", s->root);
	*state = s;
	return 0;
}

static int scratch_teardown(void **state)
{
	struct scratch *s = *state;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", s->root);
	int rc = system(cmd);
	test_free(s);
	return rc == 0 ? 0 : -1;
}

static void add_file(struct output_set *set, const char *path, const char *text)
{
	sb_adds(output_add(set, path), text);
}

/* Builds one pack with fsout's whole protocol; returns 0 or -1. */
static int build_one(const char *dir, const char *pack, const struct output_set *set, size_t *written)
{
	struct fsout w;
	fsout_init(&w);
	int rc = fsout_open(&w, dir);
	if (rc == 0)
		rc = fsout_stage(&w, pack, set);
	if (rc == 0)
		rc = fsout_commit(&w);
	if (written)
		*written = w.packs_written;
	fsout_release(&w);
	return rc;
}

static char *read_text(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	static char buf[4096];
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* The names in dir, sorted, joined by spaces. */
static const char *listing(const char *dir)
{
	static char buf[1024];
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);
	buf[0] = '\0';
	for (int i = 0; i < n; i++) {
		if (names[i]->d_name[0] != '.' || strlen(names[i]->d_name) > 2) {
			if (strcmp(names[i]->d_name, "..") != 0) {
				strcat(buf, buf[0] ? " " : "");
				strcat(buf, names[i]->d_name);
			}
		}
		free(names[i]);
	}
	if (n >= 0)
		free(names);
	return buf;
}

static void test_fsout_path_rules(void **state)
{
	(void)state;
	assert_true(fsout_path_ok("policies/a.json"));
	assert_true(fsout_path_ok("azure-data-factory-security.md"));
	assert_false(fsout_path_ok(""));
	assert_false(fsout_path_ok("/etc/passwd"));
	assert_false(fsout_path_ok("../x"));
	assert_false(fsout_path_ok("a/../x"));
	assert_false(fsout_path_ok("a/./x"));
	assert_false(fsout_path_ok("a//x"));
	assert_false(fsout_path_ok("a/"));
	assert_false(fsout_path_ok("a\\b"));
	assert_true(fsout_name_ok("azure-data-factory"));
	assert_false(fsout_name_ok(".hidden"));
	assert_false(fsout_name_ok("a/b"));
	assert_false(fsout_name_ok(".."));
}

static void test_fsout_writes_tree_and_creates_dir(void **state)
{
	struct scratch *s = *state;
	struct output_set set = OUTPUT_SET_INIT;
	add_file(&set, "policies/a.json", "{}\n");
	add_file(&set, "guide.md", "# guide\n");
	char deep[192];
	snprintf(deep, sizeof(deep), "%s/x/y", s->out);
	assert_int_equal(build_one(deep, "pack", &set, NULL), 0);
	char path[256];
	snprintf(path, sizeof(path), "%s/pack/policies/a.json", deep);
	assert_string_equal(read_text(path), "{}\n");
	snprintf(path, sizeof(path), "%s/pack/guide.md", deep);
	assert_string_equal(read_text(path), "# guide\n");
	/* Nothing but the pack directory: no temporary trees left. */
	assert_string_equal(listing(deep), "pack");
	output_set_release(&set);
}

static void test_fsout_rebuild_removes_stale_files(void **state)
{
	struct scratch *s = *state;
	struct output_set set = OUTPUT_SET_INIT;
	add_file(&set, "policies/a.json", "a\n");
	add_file(&set, "policies/b.json", "b\n");
	assert_int_equal(build_one(s->out, "pack", &set, NULL), 0);
	output_set_release(&set);
	add_file(&set, "policies/a.json", "a2\n");
	assert_int_equal(build_one(s->out, "pack", &set, NULL), 0);
	char path[192];
	snprintf(path, sizeof(path), "%s/pack/policies", s->out);
	assert_string_equal(listing(path), "a.json");
	snprintf(path, sizeof(path), "%s/pack/policies/a.json", s->out);
	assert_string_equal(read_text(path), "a2\n");
	assert_string_equal(listing(s->out), "pack");
	output_set_release(&set);
}

static void test_fsout_unchanged_pack_is_not_touched(void **state)
{
	struct scratch *s = *state;
	struct output_set set = OUTPUT_SET_INIT;
	add_file(&set, "policies/a.json", "a\n");
	size_t written = 0;
	assert_int_equal(build_one(s->out, "pack", &set, &written), 0);
	assert_int_equal(written, 1);
	char path[192];
	snprintf(path, sizeof(path), "%s/pack/policies/a.json", s->out);
	struct stat before, after;
	assert_int_equal(stat(path, &before), 0);
	assert_int_equal(build_one(s->out, "pack", &set, &written), 0);
	assert_int_equal(written, 0);
	assert_int_equal(stat(path, &after), 0);
	assert_int_equal(before.st_ino, after.st_ino);
	assert_int_equal(before.st_mtim.tv_nsec, after.st_mtim.tv_nsec);
	/* An extra file in the tree makes it differ: the rebuild removes it. */
	char extra[192];
	snprintf(extra, sizeof(extra), "%s/pack/stray.txt", s->out);
	FILE *f = fopen(extra, "w");
	assert_non_null(f);
	fclose(f);
	assert_int_equal(build_one(s->out, "pack", &set, &written), 0);
	assert_int_equal(written, 1);
	assert_int_equal(access(extra, F_OK), -1);
	output_set_release(&set);
}

static void test_fsout_refuses_symlinked_pack_dir(void **state)
{
	struct scratch *s = *state;
	char target[128], link[192];
	snprintf(target, sizeof(target), "%s/elsewhere", s->root);
	assert_int_equal(mkdir(target, 0755), 0);
	assert_int_equal(mkdir(s->out, 0755), 0);
	snprintf(link, sizeof(link), "%s/pack", s->out);
	assert_int_equal(symlink(target, link), 0);
	struct output_set set = OUTPUT_SET_INIT;
	add_file(&set, "a.json", "a\n");
	struct fsout w;
	fsout_init(&w);
	assert_int_equal(fsout_open(&w, s->out), 0);
	assert_int_equal(fsout_stage(&w, "pack", &set), -1);
	assert_non_null(strstr(fsout_error(&w), "symbolic link"));
	fsout_release(&w);
	assert_string_equal(listing(target), "");
	assert_string_equal(listing(s->out), "pack");
	output_set_release(&set);
}

static void test_fsout_does_not_follow_links_inside(void **state)
{
	struct scratch *s = *state;
	char target[128], link[192];
	snprintf(target, sizeof(target), "%s/elsewhere", s->root);
	assert_int_equal(mkdir(target, 0755), 0);
	struct output_set set = OUTPUT_SET_INIT;
	add_file(&set, "policies/a.json", "a\n");
	assert_int_equal(build_one(s->out, "pack", &set, NULL), 0);
	/* Replace policies/ with a link to a directory outside the output. */
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s/pack/policies'", s->out);
	assert_int_equal(system(cmd), 0);
	snprintf(link, sizeof(link), "%s/pack/policies", s->out);
	assert_int_equal(symlink(target, link), 0);
	assert_int_equal(build_one(s->out, "pack", &set, NULL), 0);
	struct stat st;
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_string_equal(listing(target), "");
	output_set_release(&set);
}

static void test_fsout_failure_leaves_dir_unchanged(void **state)
{
	struct scratch *s = *state;
	struct output_set good = OUTPUT_SET_INIT, bad = OUTPUT_SET_INIT;
	add_file(&good, "a.json", "old\n");
	assert_int_equal(build_one(s->out, "one", &good, NULL), 0);
	output_set_release(&good);
	add_file(&good, "a.json", "new\n");
	add_file(&bad, "../escape.json", "x\n");

	struct fsout w;
	fsout_init(&w);
	assert_int_equal(fsout_open(&w, s->out), 0);
	assert_int_equal(fsout_stage(&w, "one", &good), 0);
	assert_int_equal(fsout_stage(&w, "two", &bad), -1);
	assert_non_null(strstr(fsout_error(&w), "unsafe output path"));
	fsout_release(&w);

	char path[192];
	snprintf(path, sizeof(path), "%s/one/a.json", s->out);
	assert_string_equal(read_text(path), "old\n");
	assert_string_equal(listing(s->out), "one");
	assert_string_equal(listing(s->root), "out");
	output_set_release(&good);
	output_set_release(&bad);
}

static void test_fsout_refuses_duplicate_and_conflicting_paths(void **state)
{
	struct scratch *s = *state;
	struct output_set set = OUTPUT_SET_INIT;
	add_file(&set, "a.json", "1\n");
	add_file(&set, "a.json", "2\n");
	assert_int_equal(build_one(s->out, "pack", &set, NULL), -1);
	output_set_release(&set);
	add_file(&set, "a", "1\n");
	add_file(&set, "a/b.json", "2\n");
	assert_int_equal(build_one(s->out, "pack", &set, NULL), -1);
	assert_string_equal(listing(s->out), "");
	output_set_release(&set);
}

static void test_fsout_refuses_unsafe_pack_name(void **state)
{
	struct scratch *s = *state;
	struct output_set set = OUTPUT_SET_INIT;
	add_file(&set, "a.json", "1\n");
	assert_int_equal(build_one(s->out, "..", &set, NULL), -1);
	assert_int_equal(build_one(s->out, ".pack", &set, NULL), -1);
	assert_string_equal(listing(s->out), "");
	output_set_release(&set);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fsout_path_rules),
		cmocka_unit_test_setup_teardown(test_fsout_writes_tree_and_creates_dir, scratch_setup,
						scratch_teardown),
		cmocka_unit_test_setup_teardown(test_fsout_rebuild_removes_stale_files, scratch_setup,
						scratch_teardown),
		cmocka_unit_test_setup_teardown(test_fsout_unchanged_pack_is_not_touched, scratch_setup,
						scratch_teardown),
		cmocka_unit_test_setup_teardown(test_fsout_refuses_symlinked_pack_dir, scratch_setup,
						scratch_teardown),
		cmocka_unit_test_setup_teardown(test_fsout_does_not_follow_links_inside, scratch_setup,
						scratch_teardown),
		cmocka_unit_test_setup_teardown(test_fsout_failure_leaves_dir_unchanged, scratch_setup,
						scratch_teardown),
		cmocka_unit_test_setup_teardown(test_fsout_refuses_duplicate_and_conflicting_paths,
						scratch_setup, scratch_teardown),
		cmocka_unit_test_setup_teardown(test_fsout_refuses_unsafe_pack_name, scratch_setup,
						scratch_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
