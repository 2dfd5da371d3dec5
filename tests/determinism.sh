#!/usr/bin/env bash
# Determinism: pacc's output is the same bytes whatever the environment.
#  1. every pack in policies/ and tests/ built twice, under different TZ and
#     LC_ALL and with the files named in reverse order: identical trees;
#  2. (unless DETERMINISM_QUICK=1) the tree copied twice and `make generated`
#     run from scratch with -j1 in one and -j2 in the other: identical
#     generated/ trees.
# usage: tests/determinism.sh PACC
set -u
pacc=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/pacc-det.XXXXXX")
trap 'rm -rf "$work"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1" >&2; shift; for l in "$@"; do echo "     $l" >&2; done; }

# Packs that build: each is checked on its own first (the tests hold broken
# packs on purpose), and one of each name is kept.
cd "$root"
packs=()
declare -A seen=()
while IFS= read -r f; do
	name=$(basename "$f" .pacc)
	[ -n "${seen[$name]:-}" ] && continue
	if "$pacc" check "$f" >/dev/null 2>&1; then packs+=("$root/$f"); seen[$name]=1; fi
done < <(find policies tests -name '*.pacc' 2>/dev/null | LC_ALL=C sort)
if [ ${#packs[@]} -lt 2 ]; then bad "fewer than two packs to build (${#packs[@]})"; fi
reversed=()
for ((i = ${#packs[@]} - 1; i >= 0; i--)); do reversed+=("${packs[$i]}"); done

# A second locale when one is installed; C.UTF-8 always is on Debian.
loc2=C.UTF-8
for l in de_DE.UTF-8 fr_FR.UTF-8 tr_TR.UTF-8; do
	if locale -a 2>/dev/null | grep -qix "${l/UTF-8/utf8}"; then loc2=$l; break; fi
done
TZ=UTC LC_ALL=C "$pacc" build -o "$work/a" "${packs[@]}" >/dev/null 2>"$work/err-a" ||
	bad "build under TZ=UTC LC_ALL=C failed" "$(head -3 "$work/err-a")"
TZ=Pacific/Kiritimati LC_ALL=$loc2 LANG=$loc2 "$pacc" build -o "$work/b" "${reversed[@]}" >/dev/null 2>"$work/err-b" ||
	bad "build under TZ=Pacific/Kiritimati LC_ALL=$loc2 failed" "$(head -3 "$work/err-b")"
if diff -r "$work/a" "$work/b" >"$work/diff" 2>&1; then
	ok "${#packs[@]} packs: identical under TZ, LC_ALL=$loc2 and reversed file order ($(find "$work/a" -type f | wc -l) files)"
else
	bad "output differs across TZ, locale or file order" "$(head -5 "$work/diff")"
fi
# Twice in a row in one environment, into fresh directories: same bytes.
"$pacc" build -o "$work/c" "${packs[@]}" >/dev/null 2>&1
if diff -r "$work/a" "$work/c" >/dev/null 2>&1; then ok "a second run gives the same bytes"; else bad "a second run differs"; fi

if [ "${DETERMINISM_QUICK:-0}" != 1 ] && [ -d policies ] && [ -n "$(ls policies/*.pacc 2>/dev/null)" ]; then
	# Tracked and new files, without build trees or generated/.
	for j in 1 2; do
		mkdir -p "$work/tree$j"
		git ls-files -co --exclude-standard 2>/dev/null | grep -Ev '^(generated|build[^/]*)/' |
			while IFS= read -r f; do [ -f "$f" ] && printf '%s\0' "$f"; done |
			xargs -0 cp --parents -t "$work/tree$j"
		if ! make -C "$work/tree$j" -s -j$j BUILD=build generated >"$work/make$j.log" 2>&1; then
			bad "make -j$j generated failed" "$(tail -5 "$work/make$j.log")"
		fi
	done
	if [ -d "$work/tree1/generated" ] && diff -r "$work/tree1/generated" "$work/tree2/generated" >"$work/diff" 2>&1; then
		ok "make -j1 and make -j2 generate identical trees"
	else
		bad "make -j1 and make -j2 generate different trees" "$(head -5 "$work/diff")"
	fi
fi

echo "determinism: $pass passed, $fail failed"
[ $fail -eq 0 ]
