/*
 * version: pacc's version, printed by --version and written into the SARIF
 * log's tool.  MAJOR.MINOR.PATCH.
 */
#ifndef PACC_VERSION_H
#define PACC_VERSION_H

#define PACC_VERSION "0.1.0"

/* PACC_VERSION as a value, for code that passes it on. */
static inline const char *pacc_version(void) { return PACC_VERSION; }

#endif
