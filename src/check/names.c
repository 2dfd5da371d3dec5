#include "pacc/names.h"

#include "pacc/text.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

__attribute__((format(printf, 2, 3))) static bool refuse(struct names_problem *why, const char *fmt, ...)
{
	if (why) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(why->reason, sizeof(why->reason), fmt, ap);
		va_end(ap);
		why->echo = true;
	}
	return false;
}

/*
 * The code point of an invisible or line-breaking character starting at p
 * (n bytes left), with its length in *len; 0 when there is none.
 */
static unsigned hidden_at(const unsigned char *p, size_t n, size_t *len)
{
	*len = 1;
	if (p[0] < 0x20 || p[0] == 0x7f)
		return p[0] ? p[0] : 0x2400; /* a NUL cannot reach here; never 0 */
	if (n >= 2 && p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
		*len = 2;
		return p[1];
	}
	if (n >= 2 && p[0] == 0xd8 && p[1] == 0x9c) {
		*len = 2;
		return 0x061c;
	}
	if (n >= 3 && p[0] == 0xe2 && (p[1] == 0x80 || p[1] == 0x81)) {
		unsigned cp = 0x2000u + ((unsigned)(p[1] & 0x3f) << 6) + (p[2] & 0x3fu);
		if ((cp >= 0x200b && cp <= 0x200f) || (cp >= 0x2028 && cp <= 0x202e) || cp == 0x2060 ||
		    (cp >= 0x2066 && cp <= 0x2069)) {
			*len = 3;
			return cp;
		}
	}
	if (n >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf) {
		*len = 3;
		return 0xfeff;
	}
	return 0;
}

static const char *hidden_kind(unsigned cp)
{
	if (cp < 0xa0 || cp == 0x2028 || cp == 0x2029 || cp == 0x2400)
		return "a control character";
	if (cp == 0x200b || cp == 0x200c || cp == 0x200d || cp == 0x2060 || cp == 0xfeff)
		return "a zero-width character";
	return "a bidirectional control";
}

bool names_id_ok(const char *s, size_t len, struct names_problem *why)
{
	const unsigned char *p = (const unsigned char *)s;
	for (size_t i = 0; i < len;) {
		size_t k;
		unsigned cp = hidden_at(p + i, len - i, &k);
		if (cp) {
			refuse(why, "contains U+%04X, %s", cp == 0x2400 ? 0u : cp, hidden_kind(cp));
			if (why)
				why->echo = false;
			return false;
		}
		i += k;
	}
	return true;
}

bool names_is_reserved_device(const char *name)
{
	static const char *const devices[] = { "CON", "PRN", "AUX", "NUL" };
	size_t stem = strcspn(name, ".");
	for (size_t i = 0; i < sizeof(devices) / sizeof(devices[0]); i++)
		if (stem == 3 && strncasecmp(name, devices[i], 3) == 0)
			return true;
	if (stem == 4 && (strncasecmp(name, "COM", 3) == 0 || strncasecmp(name, "LPT", 3) == 0) &&
	    name[3] >= '1' && name[3] <= '9')
		return true;
	return false;
}

bool names_file_name_ok(const char *s, size_t len, struct names_problem *why)
{
	if (len == 0)
		return refuse(why, "is empty");
	if (!names_id_ok(s, len, why))
		return false;
	size_t chars = text_utf8_chars(s, len);
	if (chars > NAMES_MAX_FILE_NAME)
		return refuse(why, "is %zu characters long; the limit is %d", chars, NAMES_MAX_FILE_NAME);
	for (size_t i = 0; i < len; i++)
		if (strchr("<>*%&:\\?+/\"|", s[i]))
			return refuse(why, "contains '%c', which Azure names and file names forbid", s[i]);
	if (s[0] == '.')
		return refuse(why, "starts with a period");
	if (s[len - 1] == '.' || s[len - 1] == ' ')
		return refuse(why, "ends with a %s", s[len - 1] == '.' ? "period" : "space");
	if (names_is_reserved_device(s))
		return refuse(why, "is a reserved device name on Windows");
	return true;
}
