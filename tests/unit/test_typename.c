/* Tests for typename: resource types in the words Azure's built-ins use. */
#include "testutil.h"

#include "pacc/sb.h"
#include "pacc/typename.h"

static void expect_plural(const char *type, const char *want)
{
	struct sb out = SB_INIT;
	typename_plural(&out, type);
	assert_string_equal(out.buf, want);
	sb_release(&out);
}

static void test_typename_namespace_word_merged(void **state)
{
	(void)state;
	expect_plural("Microsoft.KeyVault/vaults", "key vaults");
	expect_plural("Microsoft.DataFactory/factories", "data factories");
}

static void test_typename_segment_that_says_the_namespace(void **state)
{
	(void)state;
	expect_plural("Microsoft.Storage/storageAccounts", "storage accounts");
	expect_plural("Microsoft.Network/virtualNetworks", "virtual networks");
}

static void test_typename_namespace_put_in_front(void **state)
{
	(void)state;
	expect_plural("Microsoft.Web/sites", "web sites");
	expect_plural("Microsoft.Sql/servers", "SQL servers");
	expect_plural("Microsoft.ContainerService/managedClusters", "managed clusters");
	expect_plural("Microsoft.Storage/storage", "storage");
}

static void test_typename_child_types_name_their_parent(void **state)
{
	(void)state;
	expect_plural("Microsoft.Storage/storageAccounts/blobServices", "storage account blob services");
	expect_plural("Microsoft.DataFactory/factories/integrationRuntimes", "data factory integration runtimes");
	expect_plural("Microsoft.KeyVault/vaults/keys", "key vault keys");
}

static void test_typename_acronym_humps(void **state)
{
	(void)state;
	expect_plural("Microsoft.Network/publicIPAddresses", "public IP addresses");
}

static void test_typename_not_a_type_is_written_as_given(void **state)
{
	(void)state;
	expect_plural("widgets", "widgets");
	expect_plural("Microsoft.X/", "Microsoft.X/");
	expect_plural("Microsoft.Bad Name/things", "Microsoft.Bad Name/things");
	expect_plural("", "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_typename_namespace_word_merged),
		cmocka_unit_test(test_typename_segment_that_says_the_namespace),
		cmocka_unit_test(test_typename_namespace_put_in_front),
		cmocka_unit_test(test_typename_child_types_name_their_parent),
		cmocka_unit_test(test_typename_acronym_humps),
		cmocka_unit_test(test_typename_not_a_type_is_written_as_given),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
