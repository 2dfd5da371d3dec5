/*
 * parse: the front end.  Lexes (grammar/lexer.re) and parses
 * (grammar/parser.y) one source into an AST.
 */
#ifndef PACC_PARSE_H
#define PACC_PARSE_H

#include "pacc/arena.h"
#include "pacc/ast.h"
#include "pacc/diag.h"
#include "pacc/source.h"

/*
 * Parses src into a pack allocated in arena, named pack_name (the file's
 * base name without ".pacc"; copied).  Lexical and syntax errors go to d;
 * the parser recovers at statement boundaries and keeps going.  Never
 * returns NULL; when d has errors the pack is partial and must not be
 * generated.  src must outlive the pack (spans point into it).
 */
struct ast_pack *parse_pack(const struct source *src, const char *pack_name, struct arena *arena,
			    struct diag_engine *d);

/* Maximum nesting of braces/brackets (a documented limit, E0102). */
#define PARSE_MAX_DEPTH 64

#endif
