#include "pacc/harden.h"

#include <string.h>

static const char *const companion_names[HARDEN_COMPANION_KIND_COUNT] = {
	[HARDEN_COMPANION_DIAGNOSTICS] = "diagnostics",
	[HARDEN_COMPANION_PRIVATE_ENDPOINT] = "private-endpoint",
	[HARDEN_COMPANION_LOCK] = "lock",
	[HARDEN_COMPANION_ROLE_ASSIGNMENT] = "role-assignment",
	[HARDEN_COMPANION_CHILD] = "child",
};

const char *harden_companion_name(enum harden_companion_kind kind)
{
	return companion_names[kind];
}

bool harden_companion_from_name(const char *name, enum harden_companion_kind *out)
{
	for (int i = 0; i < HARDEN_COMPANION_KIND_COUNT; i++)
		if (strcmp(name, companion_names[i]) == 0) {
			*out = (enum harden_companion_kind)i;
			return true;
		}
	return false;
}

const struct harden_arg *harden_arg_find(const struct harden_companion *c, const char *key)
{
	for (const struct harden_arg *a = c->args; a; a = a->next)
		if (a->key && strcmp(a->key->s, key) == 0)
			return a;
	return NULL;
}
