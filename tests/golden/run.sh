#!/usr/bin/env bash
# Golden tests: each tests/golden/<case>/ holds one or more *.pacc inputs and
#   expected/                    the tree `pacc build -o DIR <inputs>` writes, or, for a
#                                case with a pacc.yaml, the tree `pacc build --manifest`
#                                writes plus pipelines/github-actions.yml and
#                                pipelines/azure-pipelines.yml from `pacc pipeline`
#                                (run inside the case directory, SOURCE_DATE_EPOCH fixed
#                                at 2026-12-01), and/or
#   expected-diagnostics.txt     the stderr of `pacc check --color=never <inputs>`
#                                (run inside the case directory; exit status 1)
# This driver compares byte for byte; --update rewrites the expected files
# from the current pacc instead (review the diff like code).
#
# usage: tests/golden/run.sh [--update] PACC
set -u

update=0
if [ "${1:-}" = "--update" ]; then
	update=1
	shift
fi
if [ $# -ne 1 ]; then
	echo "usage: tests/golden/run.sh [--update] PACC" >&2
	exit 2
fi
PACC=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pacc-golden.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

pass=0
fail=0
updated=0
shopt -s nullglob
for dir in "$root"/*/; do
	dir=${dir%/}
	case_name=$(basename "$dir")
	inputs=("$dir"/*.pacc)
	if [ ${#inputs[@]} -eq 0 ]; then
		echo "SKIP $case_name (no .pacc input)"
		continue
	fi
	names=()
	for f in "${inputs[@]}"; do names+=("$(basename "$f")"); done
	if [ ! -d "$dir/expected" ] && [ ! -f "$dir/expected-diagnostics.txt" ] && [ $update -eq 0 ]; then
		echo "FAIL $case_name: no expected/ or expected-diagnostics.txt (run 'make golden-update')"
		fail=$((fail + 1))
		continue
	fi
	case_ok=1
	why=""

	if [ -f "$dir/expected-diagnostics.txt" ]; then
		(cd "$dir" && "$PACC" check --color=never "${names[@]}") >/dev/null 2>"$tmp/diag"
		rc=$?
		if [ $update -eq 1 ]; then
			cp "$tmp/diag" "$dir/expected-diagnostics.txt"
		elif [ $rc -ne 1 ] || ! cmp -s "$tmp/diag" "$dir/expected-diagnostics.txt"; then
			case_ok=0
			why="diagnostics differ (exit status $rc)"
			diff -u "$dir/expected-diagnostics.txt" "$tmp/diag" | head -30 | sed 's/^/    | /'
		fi
	else
		out="$tmp/$case_name"
		if [ -f "$dir/pacc.yaml" ]; then
			built() {
				(cd "$dir" && export SOURCE_DATE_EPOCH=1796083200 &&
					"$PACC" build -o "$out" &&
					mkdir -p "$out/pipelines" &&
					"$PACC" pipeline github -o "$out/pipelines/github-actions.yml" &&
					"$PACC" pipeline azure-devops -o "$out/pipelines/azure-pipelines.yml")
			}
		else
			built() { "$PACC" build -o "$out" "${inputs[@]}"; }
		fi
		if ! built 2>"$tmp/err"; then
			case_ok=0
			why="pacc build failed"
			sed 's/^/    | /' "$tmp/err" | head -30
		elif [ $update -eq 1 ]; then
			rm -rf "$dir/expected"
			cp -R "$out" "$dir/expected"
		elif ! diff -r "$dir/expected" "$out" >"$tmp/diff" 2>&1; then
			case_ok=0
			why="output differs from expected/"
			sed -e "s|$out|<built>|g" -e 's/^/    | /' "$tmp/diff" | head -40
		fi
	fi

	if [ $case_ok -eq 1 ]; then
		pass=$((pass + 1))
		if [ $update -eq 1 ]; then
			updated=$((updated + 1))
			echo "UPDATED $case_name"
		else
			echo "PASS $case_name"
		fi
	else
		fail=$((fail + 1))
		echo "FAIL $case_name: $why"
	fi
done

[ $update -eq 1 ] && echo "golden: $updated case(s) rewritten; review them with 'git diff tests/golden'"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
