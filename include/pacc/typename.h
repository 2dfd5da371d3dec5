/*
 * typename: Azure resource types in words, as Azure's built-in policies name
 * them in display names and descriptions ("Configure key vaults to ...").
 *
 * typename_plural() writes the plural noun phrase for a resource type:
 *
 *   Microsoft.KeyVault/vaults                    key vaults
 *   Microsoft.DataFactory/factories              data factories
 *   Microsoft.Storage/storageAccounts            storage accounts
 *   Microsoft.Network/virtualNetworks            virtual networks
 *   Microsoft.Sql/servers                        SQL servers
 *   Microsoft.Storage/storageAccounts/blobServices
 *                                                storage account blob services
 *
 * The words come from the type itself: the camelCase segments are split and
 * lowercased (known acronyms keep their capitals), and the namespace's words
 * are put in front of the type's last segment unless that segment already
 * says them ("storageAccounts" in Microsoft.Storage), merging a shared word
 * (KeyVault + vaults).  A child type is named after its parent in the
 * singular.  Anything that does not look like a type is written as given.
 */
#ifndef PACC_TYPENAME_H
#define PACC_TYPENAME_H

#include "pacc/sb.h"

/* Appends the plural noun phrase for type (NUL-terminated) to out. */
void typename_plural(struct sb *out, const char *type);

#endif
