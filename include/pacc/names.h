/*
 * names: the rules every name and id of a pack meets, shared by the checker
 * (which reports them), the importer (which must not write a name the build
 * refuses) and the output writer (its last line of defence).
 *
 * Two rule sets:
 *   - an id (section and recommendation ids, enforce suffixes, parameter,
 *     group, reference and input names) holds no control character
 *     (C0, DEL, C1, U+2028, U+2029) and no invisible character that makes
 *     one name look like another: bidirectional controls (U+202A-202E,
 *     U+2066-2069, U+200E, U+200F, U+061C) and zero-width characters
 *     (U+200B-200D, U+2060, U+FEFF);
 *   - a file name (policy, initiative and pack names, `ms.service`, each of
 *     which names a file or directory pacc writes) is also a valid Azure
 *     resource name and a safe file name on every platform: not empty, at
 *     most NAMES_MAX_FILE_NAME characters, none of < > * % & : \ ? + / " |,
 *     no leading period, no trailing period or space, no Windows device name
 *     (CON, PRN, AUX, NUL, COM1-9, LPT1-9, with or without an extension).
 *
 * Strings are UTF-8 (the front end has checked them) and len bytes long.
 */
#ifndef PACC_NAMES_H
#define PACC_NAMES_H

#include <stdbool.h>
#include <stddef.h>

/* The longest policy, initiative or pack name, in characters. */
#define NAMES_MAX_FILE_NAME 64

/* Why a name is refused. */
struct names_problem {
	char reason[96];  /* lowercase phrase after the name: "contains ':', which ..." */
	bool echo;        /* false when the name must not be printed (it holds what it hides) */
};

/* True when s meets the id rules; otherwise fills *why (may be NULL). */
bool names_id_ok(const char *s, size_t len, struct names_problem *why);

/* True when s meets the file name rules (which include the id rules);
 * otherwise fills *why (may be NULL). */
bool names_file_name_ok(const char *s, size_t len, struct names_problem *why);

/* True when name is a Windows device name (CON, COM1, nul.txt ...). */
bool names_is_reserved_device(const char *name);

#endif
