/*
 * pacc: the program.  Everything it does starts in cli_main (cli.c).
 */
#include "pacc/cli.h"

#include <stdio.h>

int main(int argc, char **argv)
{
	return cli_main(argc, argv, stdout, stderr);
}
