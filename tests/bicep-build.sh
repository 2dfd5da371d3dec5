#!/usr/bin/env bash
# The real Bicep compiler and linter over every Bicep file pacc writes: the committed
# generated/ tree, the golden outputs, and what the test packs build to (the
# adversarial pack with hostile text in every slot, the CLI cases).  Runs
# ../shared/tools/bicep-build --strict (errors and warnings fail) and checks that the
# tool runs the Bicep CLI version pacc pins (BICEP_VERSION in the Makefile).
# Where the tool cannot run (exit 2: no dotnet, no NuGet), it says so plainly and falls
# back to the offline check-bicep, so a missing compiler is visible, never a silent pass.
# usage: bicep-build.sh PACC BICEP_VERSION
set -u
if [ $# -ne 2 ]; then
	echo "usage: bicep-build.sh PACC BICEP_VERSION" >&2
	exit 2
fi
pacc=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
want=$2
root=$(cd "$(dirname "$0")/.." && pwd)
tools=$root/../shared/tools
work=$(mktemp -d "${TMPDIR:-/tmp}/pacc-bicep.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$root" || exit 2

if [ ! -x "$tools/bicep-build" ]; then
	echo "bicep-build: SKIPPED: $tools/bicep-build not found; no Bicep file was compiled" >&2
	exit 0
fi

"$pacc" build -o "$work/packs" tests/robust/adversarial.pacc tests/cli/cases/v1/lib.pacc \
	tests/cli/cases/v1/other.pacc >/dev/null || { echo "bicep-build: the test packs do not build" >&2; exit 1; }
targets=(generated)
for d in tests/golden/*/expected; do [ -d "$d" ] && targets+=("$d"); done
targets+=("$work")

"$tools/bicep-build" --strict "${targets[@]}" >"$work.log" 2>&1
rc=$?
cat "$work.log"
summary=$(grep '^bicep-build: .* files, ' "$work.log" | tail -1)
rm -f "$work.log"
case $rc in
0 | 1)
	got=$(printf '%s\n' "$summary" | sed -n 's/.*(Bicep CLI \(.*\))$/\1/p')
	if [ "$got" != "$want" ]; then
		echo "bicep-build: FAIL the tool ran Bicep CLI '${got:-?}'; pacc's output is checked against $want (BICEP_VERSION)" >&2
		exit 1
	fi
	[ $rc -eq 0 ] || { echo "bicep-build: FAIL the Bicep compiler or linter reported findings" >&2; exit 1; }
	echo "bicep-build: every Bicep file pacc writes compiles and lints clean under Bicep CLI $want"
	;;
*)
	echo "bicep-build: NOT RUN: the real Bicep CLI is unavailable on this machine (see above);" \
		"falling back to the offline check-bicep, which cannot see resource types or the linter" >&2
	"$tools/check-bicep" "${targets[@]}" || exit 1
	;;
esac
