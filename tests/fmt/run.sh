#!/usr/bin/env bash
# `pacc fmt` over every pack the project has: the shipped packs must already
# be formatted; every pack that parses (golden inputs, CLI and diagnostic
# cases) formats idempotently, and one that builds builds to the same bytes
# once formatted; with ../shared, every pack `pacc import` writes from the
# built-in corpus is formatted already.  Then --check, in-place rewriting and
# a pack with errors through the command line.
#
# usage: tests/fmt/run.sh PACC      (run from the project root)
set -u

if [ $# -ne 1 ]; then
	echo "usage: tests/fmt/run.sh PACC" >&2
	exit 2
fi
PACC=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
CORPUS=${PACC_CORPUS:-../shared/corpus/azure-policy}
T=$(mktemp -d "${TMPDIR:-/tmp}/pacc-fmt.XXXXXX")
trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/../lib.sh"

shopt -s nullglob
"$PACC" fmt --check policies/*.pacc >"$T/out" 2>&1
if [ $? -eq 0 ]; then ok "the shipped packs are formatted"; else nok "the shipped packs are formatted (run 'build/pacc fmt policies/*.pacc')" "$(head -5 "$T/out")"; fi

packs=(policies/*.pacc tests/golden/*/*.pacc tests/cli/cases/*/*.pacc tests/diag/cases/*.pacc tests/robust/*.pacc)
formatted=0 built=0 bad=()
for p in "${packs[@]}"; do
	"$PACC" fmt - <"$p" >"$T/once.pacc" 2>/dev/null
	rc=$?
	[ $rc -eq 1 ] && continue # a pack with errors is refused; the CLI test below covers it
	if [ $rc -ne 0 ]; then
		bad+=("$p: fmt exit $rc")
		continue
	fi
	formatted=$((formatted + 1))
	"$PACC" fmt - <"$T/once.pacc" >"$T/twice.pacc" 2>/dev/null
	cmp -s "$T/once.pacc" "$T/twice.pacc" || bad+=("$p: not idempotent")
	# Same tree: the formatted pack builds to the same files (under the same pack name).
	name=$(basename "$p")
	mkdir -p "$T/a" "$T/b"
	cp "$p" "$T/a/$name"
	cp "$T/once.pacc" "$T/b/$name"
	if "$PACC" build -o "$T/out-a" "$T/a/$name" >/dev/null 2>&1; then
		built=$((built + 1))
		"$PACC" build -o "$T/out-b" "$T/b/$name" >/dev/null 2>&1 || bad+=("$p: builds, but not once formatted")
		diff -r "$T/out-a" "$T/out-b" >/dev/null 2>&1 || bad+=("$p: the formatted pack builds to other files")
	fi
	rm -rf "$T/a" "$T/b" "$T/out-a" "$T/out-b"
done
if [ ${#bad[@]} -eq 0 ] && [ $formatted -gt 20 ]; then
	ok "fmt is idempotent on $formatted packs and keeps the build of $built byte for byte"
else
	nok "fmt is idempotent and keeps the build" "$formatted formatted, $built built" "${bad[@]:0:5}"
fi

if [ -d "$CORPUS/policyDefinitions" ]; then
	mkdir -p "$T/defs" "$T/sets"
	"$PACC" import -o "$T/defs" "$CORPUS"/policyDefinitions/*/ >/dev/null 2>&1
	"$PACC" import -o "$T/sets" "$CORPUS"/policySetDefinitions/*/ >/dev/null 2>&1
	imported=("$T"/defs/*.pacc "$T"/sets/*.pacc)
	"$PACC" fmt --check "${imported[@]}" >"$T/out" 2>&1
	rc=$?
	if [ $rc -eq 0 ] && [ ${#imported[@]} -gt 50 ]; then
		ok "every pack import writes from the corpus is formatted (${#imported[@]} packs)"
	else
		nok "every pack import writes from the corpus is formatted" "exit $rc, ${#imported[@]} packs" "$(head -3 "$T/out")"
	fi
else
	echo "skip the corpus: $CORPUS is not present"
fi

# The command line: --check lists, fmt rewrites in place, errors leave the file alone.
printf 'policy "p" {\n      display "P"\n  effect audit\n  if { type == "Microsoft.X/y" }\n}\n' >"$T/messy.pacc"
cp "$T/messy.pacc" "$T/messy.orig"
"$PACC" fmt --check "$T/messy.pacc" policies/*.pacc >"$T/out" 2>&1
rc=$?
if [ $rc -eq 1 ] && [ "$(cat "$T/out")" = "$T/messy.pacc" ] && cmp -s "$T/messy.pacc" "$T/messy.orig"; then ok "fmt --check lists the unformatted file, exit 1, writes nothing"; else nok "fmt --check lists the unformatted file, exit 1, writes nothing" "exit $rc: $(head -3 "$T/out")"; fi
"$PACC" fmt "$T/messy.pacc" >"$T/out" 2>&1
rc=$?
if [ $rc -eq 0 ] && grep -q '^  display "P"$' "$T/messy.pacc" && [ -z "$(ls -A "$T" | grep 'tmp')" ]; then ok "fmt rewrites the file in place, no temporary file left"; else nok "fmt rewrites the file in place, no temporary file left" "exit $rc"; fi
"$PACC" fmt --check "$T/messy.pacc" >/dev/null 2>&1
if [ $? -eq 0 ]; then ok "fmt --check after fmt: exit 0"; else nok "fmt --check after fmt: exit 0"; fi
printf 'polcy "p" {\n   }\n' >"$T/broken.pacc"
cp "$T/broken.pacc" "$T/broken.orig"
"$PACC" fmt "$T/broken.pacc" >"$T/out" 2>"$T/err"
rc=$?
if [ $rc -eq 1 ] && grep -q 'broken.pacc:1:1: error\[E0101\]' "$T/err" && cmp -s "$T/broken.pacc" "$T/broken.orig"; then ok "fmt of a pack with errors: located diagnostic, exit 1, file untouched"; else nok "fmt of a pack with errors: located diagnostic, exit 1, file untouched" "exit $rc"; fi

finish
