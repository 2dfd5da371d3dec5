#include "pacc/typename.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>

#define MAX_WORDS 16
#define MAX_WORD 48

struct words {
	char w[MAX_WORDS][MAX_WORD];
	size_t n;
};

/* Splits s[0, len) at camelCase humps ("storageAccounts" -> storage, accounts;
 * "SQLServers" -> sql, servers), lowercased.  False when it does not fit. */
static bool split_words(const char *s, size_t len, struct words *out)
{
	out->n = 0;
	size_t k = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!isalnum(c))
			return false;
		bool hump = isupper(c) && k > 0 &&
			    (islower((unsigned char)s[i - 1]) ||
			     (i + 1 < len && islower((unsigned char)s[i + 1]) && isupper((unsigned char)s[i - 1])));
		if (hump) {
			out->w[out->n][k] = '\0';
			if (++out->n == MAX_WORDS)
				return false;
			k = 0;
		}
		if (k + 1 >= MAX_WORD)
			return false;
		out->w[out->n][k++] = (char)tolower(c);
	}
	if (k == 0)
		return false;
	out->w[out->n][k] = '\0';
	out->n++;
	return true;
}

/* "factories" -> "factory", "addresses" -> "address", "vaults" -> "vault". */
static void singular(char *w)
{
	size_t n = strlen(w);
	if (n > 3 && strcmp(w + n - 3, "ies") == 0)
		strcpy(w + n - 3, "y");
	else if (n > 4 && (strcmp(w + n - 4, "sses") == 0 || strcmp(w + n - 4, "xes") == 0))
		w[n - 2] = '\0';
	else if (n > 1 && w[n - 1] == 's' && w[n - 2] != 's')
		w[n - 1] = '\0';
}

/* Whether a and b name the same thing ("vault" and "vaults", "factory" and
 * "factories", "storage" and "storage"). */
static bool same_word(const char *a, const char *b)
{
	char sa[MAX_WORD], sb_[MAX_WORD];
	strcpy(sa, a);
	strcpy(sb_, b);
	singular(sa);
	singular(sb_);
	return strcmp(sa, sb_) == 0;
}

static void add_word(struct sb *out, const char *w)
{
	static const char *const acronyms[] = { "sql", "api", "dns", "ip", "vm", "vpn", "nat", "ddos", "cdn",
						"hsm", "aks", "acr", "ssl", "tls", "http", "ai" };
	if (out->len > 0 && out->buf[out->len - 1] != ' ')
		sb_addch(out, ' ');
	for (size_t i = 0; i < sizeof(acronyms) / sizeof(acronyms[0]); i++) {
		if (strcmp(w, acronyms[i]) == 0) {
			for (const char *p = w; *p; p++)
				sb_addch(out, (char)toupper((unsigned char)*p));
			return;
		}
	}
	sb_adds(out, w);
}

static void add_words(struct sb *out, const struct words *ws, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++)
		add_word(out, ws->w[i]);
}

/* The namespace's words before a one-word segment, which alone says too
 * little ("vaults", "servers"), a word both share said once ("KeyVault" +
 * "vaults" -> "key vaults", "DataFactory" + "factories" -> "data factories");
 * a segment of several words ("storageAccounts", "publicIPAddresses") says
 * enough on its own. */
static void add_noun(struct sb *out, const struct words *nsw, const struct words *ws)
{
	bool says_ns = false;
	for (size_t i = 0; i < ws->n && !says_ns; i++)
		for (size_t j = 0; j < nsw->n; j++)
			says_ns = says_ns || same_word(ws->w[i], nsw->w[j]);
	if (ws->n == 1 && !(says_ns && nsw->n == 1))
		add_words(out, nsw, 0, nsw->n - (same_word(nsw->w[nsw->n - 1], ws->w[0]) ? 1 : 0));
	add_words(out, ws, 0, ws->n);
}

void typename_plural(struct sb *out, const char *type)
{
	const char *slash = strchr(type, '/');
	const char *ns = strncmp(type, "Microsoft.", 10) == 0 ? type + 10 : type;
	const char *last = strrchr(type, '/');
	struct words nsw, seg, parent;

	if (!slash || !last[1] || ns > slash || !split_words(ns, (size_t)(slash - ns), &nsw) ||
	    !split_words(last + 1, strlen(last + 1), &seg)) {
		sb_adds(out, type);
		return;
	}
	if (last == slash) {
		add_noun(out, &nsw, &seg);
		return;
	}
	/* A child type: its parent's noun in the singular, then its own words. */
	const char *prev = last - 1;
	while (prev > slash && *prev != '/')
		prev--;
	if (!split_words(prev + 1, (size_t)(last - prev - 1), &parent)) {
		sb_adds(out, type);
		return;
	}
	singular(parent.w[parent.n - 1]);
	add_noun(out, &nsw, &parent);
	add_words(out, &seg, 0, seg.n);
}
