#!/usr/bin/env bash
# Conformance: `pacc import` round trip of the Azure built-in policy corpus.
#
#   bash tests/conformance/run.sh PACC
#
# Runs build/conformance/roundtrip (next to PACC) over $PACC_CORPUS (default
# ../shared/corpus/azure-policy) and then `pacc import` of one directory through
# the CLI.  Skips, saying why, when the corpus is not there.  With
# PACC_VALIDATE=1 it also schema-checks the round-tripped JSON and the originals
# with validate-policy and prints both counts.
set -euo pipefail

pacc=${1:?usage: run.sh PACC}
rt=$(dirname "$pacc")/conformance/roundtrip
corpus=${PACC_CORPUS:-../shared/corpus/azure-policy}

if [ ! -d "$corpus" ]; then
	echo "conformance: skipped: no corpus at $corpus (set PACC_CORPUS)"
	exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

status=0
"$rt" --selftest || status=1
if [ "${PACC_VALIDATE:-0}" = 1 ]; then
	"$rt" -o "$tmp/roundtrip" "$corpus" || status=1
else
	"$rt" "$corpus" || status=1
fi

# The CLI: one directory in, one pack out, and the pack builds.
dir="$corpus/policyDefinitions/Data Factory"
if [ -d "$dir" ]; then
	if "$pacc" import -o "$tmp/import" "$dir" && [ -s "$tmp/import/data-factory.pacc" ]; then
		echo "conformance: pacc import of '$dir' ok"
		if ! "$pacc" check "$tmp/import/data-factory.pacc"; then
			echo "conformance: FAIL: the imported pack does not check"
			status=1
		fi
	else
		echo "conformance: FAIL: pacc import of '$dir'"
		status=1
	fi
fi

if [ "${PACC_VALIDATE:-0}" = 1 ]; then
	validator=${PACC_VALIDATOR:-../shared/tools/validate-policy}
	echo "validate-policy, originals:"
	"$validator" "$corpus" | tail -1 || true
	echo "validate-policy, round-tripped:"
	"$validator" "$tmp/roundtrip" | tail -1 || true
fi
exit $status
