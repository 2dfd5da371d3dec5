#!/usr/bin/env bash
# Proves policies/aliases.lock.json is what `pacc aliases` makes today from
# the shipped packs and the alias export in ../shared (when it is present):
# regenerates it into a scratch file and compares the bytes.
#
# usage: tests/check-aliases-lock.sh PACC      (run from the project root)
set -u

if [ $# -ne 1 ]; then
	echo "usage: tests/check-aliases-lock.sh PACC" >&2
	exit 2
fi
PACC=$1
CSV=../shared/corpus/aliases/aliases.csv
LOCK=policies/aliases.lock.json
shopt -s nullglob
packs=(policies/*.pacc)

if [ ${#packs[@]} -eq 0 ]; then
	echo "check-aliases-lock: OK (no packs in policies/)"
	exit 0
fi
if [ ! -f "$LOCK" ]; then
	echo "check-aliases-lock: MISSING: $LOCK; run 'pacc aliases -o $LOCK policies/*.pacc $CSV' and commit it"
	exit 1
fi
if [ ! -f "$CSV" ]; then
	echo "check-aliases-lock: SKIPPED: $CSV is not present, so freshness cannot be checked"
	exit 0
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pacc-aliases.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
if ! "$PACC" aliases -o "$tmp/aliases.lock.json" "${packs[@]}" "$CSV"; then
	echo "check-aliases-lock: FAILED: '$PACC aliases' did not succeed"
	exit 1
fi
if cmp -s "$LOCK" "$tmp/aliases.lock.json"; then
	echo "check-aliases-lock: OK ($LOCK matches ${#packs[@]} pack(s) and $CSV)"
	exit 0
fi
echo "check-aliases-lock: STALE: $LOCK differs from a fresh 'pacc aliases':"
diff -u "$LOCK" "$tmp/aliases.lock.json" | head -20 | sed 's/^/  /'
echo "check-aliases-lock: run 'pacc aliases -o $LOCK policies/*.pacc $CSV', review the diff and commit it"
exit 1
