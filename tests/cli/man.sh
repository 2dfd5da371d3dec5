#!/usr/bin/env bash
# tests/cli/man.sh PACC — the manual page (src/cli/pacc.1) and the help pacc
# prints name the same commands and the same long options, and the page's
# ENVIRONMENT section names every variable the sources read with getenv().
set -euo pipefail
pacc=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
page=$root/src/cli/pacc.1
pass=0 fail=0
ok() { printf 'ok   %s\n' "$1"; pass=$((pass + 1)); }
not_ok() { printf 'FAIL %s\n' "$1"; fail=$((fail + 1)); }

# The page as plain text: roff escapes for '-' undone, font changes dropped.
plain=$(sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' "$page")

commands=$("$pacc" --help | awk '/^Commands:/ {on = 1; next} on && /^$/ {on = 0} on {print $1}' | sort -u)
[ -n "$commands" ] || { echo "man.sh: 'pacc --help' lists no commands" >&2; exit 2; }
page_commands=$(printf '%s\n' "$plain" | sed -n '/^\.SH COMMANDS/,/^\.SH /p' | grep -oE '^pacc [a-z]+' | awk '{print $2}' | sort -u)
if [ "$commands" = "$page_commands" ]; then
	ok "the page's COMMANDS are the commands 'pacc --help' lists"
else
	not_ok "commands differ (< pacc --help, > src/cli/pacc.1): describe each command in the page's COMMANDS section"
	diff <(printf '%s\n' "$commands") <(printf '%s\n' "$page_commands") | grep '^[<>]' || true
fi

help_opts=$({
	"$pacc" --help
	for c in $commands; do "$pacc" help "$c"; done
} | grep -oE '(^|[ ,[])--[a-z][a-z0-9-]*' | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u)
page_opts=$(printf '%s\n' "$plain" | sed -n '/^\.SH OPTIONS/,/^\.SH EXIT/p' | grep -E '^\.(TP|B|BR|BI)|^--' |
	grep -oE -- '--[a-z][a-z0-9-]*' | sort -u)
if [ "$help_opts" = "$page_opts" ]; then
	ok "the page's OPTIONS are the long options 'pacc help' prints ($(printf '%s\n' "$help_opts" | wc -l))"
else
	not_ok "options differ (< pacc help, > src/cli/pacc.1): describe each option under the page's OPTIONS"
	diff <(printf '%s\n' "$help_opts") <(printf '%s\n' "$page_opts") | grep '^[<>]' || true
fi

vars=$(grep -rhoE 'getenv\("[A-Z_]+"\)' "$root/src" | grep -oE '[A-Z_]{2,}' | sort -u)
env_section=$(printf '%s\n' "$plain" | sed -n '/^\.SH ENVIRONMENT/,/^\.SH /p')
missing=""
for v in $vars; do
	printf '%s\n' "$env_section" | grep -qx "\.B $v" || missing="$missing $v"
done
if [ -z "$missing" ]; then
	ok "the page's ENVIRONMENT names every variable pacc reads ($(echo $vars))"
else
	not_ok "ENVIRONMENT lacks:$missing"
fi

# make install puts the page where man(1) finds it.
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
if make -s -C "$root" install DESTDIR="$dest" PREFIX=/usr PACC="$pacc" >/dev/null &&
	cmp -s "$page" "$dest/usr/share/man/man1/pacc.1" && [ -x "$dest/usr/bin/pacc" ]; then
	ok "make install puts pacc in bin/ and pacc.1 in share/man/man1/"
else
	not_ok "make install DESTDIR=... did not install bin/pacc and share/man/man1/pacc.1"
fi

printf '%d passed, %d failed\n' "$pass" "$fail"
[ "$fail" -eq 0 ]
