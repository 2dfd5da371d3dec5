#include "pacc/parse.h"

#include "pacc/lex.h"

#include <string.h>

struct ast_pack *parse_pack(const struct source *src, const char *pack_name, struct arena *arena,
			    struct diag_engine *d)
{
	struct ast_pack *pack = ARENA_NEW(arena, struct ast_pack);
	pack->arena = arena;
	pack->src = src;
	pack->name = arena_strdup(arena, pack_name ? pack_name : "");

	struct lexer lx;
	lex_init(&lx, src, arena, d);

	struct parser p;
	memset(&p, 0, sizeof(p));
	p.lx = &lx;
	p.pack = pack;
	p.arena = arena;
	p.diag = d;
	p.src = src;
	p.section_tail = &pack->sections;
	p.policy_tail = &pack->policies;
	p.initiative_tail = &pack->initiatives;
	/* Errors were reported as they were found; the result only says whether any were. */
	(void)pacc_yyparse(&p);
	return pack;
}
