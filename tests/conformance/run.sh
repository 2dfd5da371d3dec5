#!/usr/bin/env bash
# Conformance: `pacc import` round trip of the Azure built-in policy corpus, and
# `pacc eval` of every built-in definition (evalall).
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

# The evaluator: every built-in definition against a resource of its type.
"$(dirname "$pacc")/conformance/evalall" "$corpus" || status=1

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
	# Canonical casing may make pacc's output pass more often, never less: a file
	# whose original is schema-valid must stay valid after the round trip.
	"$validator" "$corpus" >"$tmp/val-orig" 2>&1 || true
	"$validator" "$tmp/roundtrip" >"$tmp/val-rt" 2>&1 || true
	echo "validate-policy, originals:    $(tail -1 "$tmp/val-orig")"
	echo "validate-policy, round-tripped: $(tail -1 "$tmp/val-rt")"
	sed -n "s|^$corpus/\(.*\): invalid:.*|\1|p" "$tmp/val-orig" | sort >"$tmp/bad-orig"
	sed -n "s|^$tmp/roundtrip/\(.*\): invalid:.*|\1|p" "$tmp/val-rt" | sort >"$tmp/bad-rt"
	worse=$(comm -13 "$tmp/bad-orig" "$tmp/bad-rt")
	if [ -n "$worse" ]; then
		echo "conformance: FAIL: round-tripped files invalid where the original is valid:"
		echo "$worse" | head -20
		status=1
	else
		echo "conformance: validate-policy: $(wc -l <"$tmp/bad-orig") originals invalid, $(wc -l <"$tmp/bad-rt") round-tripped invalid, none newly invalid"
	fi
	if [ ! -s "$tmp/bad-orig" ] && [ ! -s "$tmp/bad-rt" ] && ! tail -1 "$tmp/val-rt" | grep -q ' 0 invalid'; then
		echo "conformance: FAIL: validate-policy did not run"
		status=1
	fi
fi
exit $status
