#include "pacc/ealias.h"

static const char *resolve_in_table(const void *ctx, const char *name, const char *api_version)
{
	const struct alias *a = alias_find(ctx, name);
	return a ? alias_path_at(a, api_version) : NULL;
}

void ealias_resolver(struct eval_aliases *out, const struct alias_table *t)
{
	out->resolve = resolve_in_table;
	out->ctx = t;
}
