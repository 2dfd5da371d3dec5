/*
 * gen_md: the Learn "Secure your <service> deployment" guide from a checked
 * pack with a service.  Adds "<ms.service>-security.md" to out.  Every piece
 * of pack text is escaped so it reads as text, never as Markdown structure.
 */
#ifndef PACC_GEN_MD_H
#define PACC_GEN_MD_H

#include "pacc/ast.h"
#include "pacc/output.h"

/* Does nothing for a pack without a service. */
void gen_md_pack(const struct ast_pack *pack, struct output_set *out);

#endif
