#!/usr/bin/env bash
# Proves generated/ is what `pacc build` makes from policies/*.pacc today (with
# the project manifest pacc.yaml when there is one: its packs, environments and
# pipelines): builds into a scratch directory and compares the two trees byte
# for byte, including files that are missing or extra on either side.
#
# usage: tests/check-generated.sh PACC      (run from the project root)
set -u

if [ $# -ne 1 ]; then
	echo "usage: tests/check-generated.sh PACC" >&2
	exit 2
fi
PACC=$1
# The manifest's exemptions expire; the check runs on a fixed day (2026-12-01)
# unless the caller sets one, so it does not start failing on a calendar date.
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1796083200}
shopt -s nullglob
packs=(policies/*.pacc)

if [ ${#packs[@]} -eq 0 ]; then
	if [ -d generated ] && [ -n "$(ls -A generated)" ]; then
		echo "check-generated: STALE: policies/ has no packs but generated/ is not empty:"
		ls -A generated | sed 's/^/  /'
		exit 1
	fi
	echo "check-generated: OK (no packs in policies/)"
	exit 0
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pacc-generated.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
if [ -f pacc.yaml ]; then
	# The project manifest: its packs, their environments, and the pipelines.
	if ! { "$PACC" build -o "$tmp/generated" && mkdir -p "$tmp/generated/pipelines" &&
		"$PACC" pipeline github -o "$tmp/generated/pipelines/github-actions.yml" &&
		"$PACC" pipeline azure-devops -o "$tmp/generated/pipelines/azure-pipelines.yml"; }; then
		echo "check-generated: FAILED: '$PACC build' or '$PACC pipeline' of pacc.yaml did not succeed"
		exit 1
	fi
elif ! "$PACC" build -o "$tmp/generated" "${packs[@]}"; then
	echo "check-generated: FAILED: '$PACC build' of policies/*.pacc did not succeed"
	exit 1
fi
if [ ! -d generated ]; then
	echo "check-generated: STALE: generated/ is missing; run 'make' and commit generated/"
	exit 1
fi
if diff -rq generated "$tmp/generated" >"$tmp/summary" 2>&1; then
	echo "check-generated: OK (${#packs[@]} pack(s); generated/ matches policies/)"
	exit 0
fi
echo "check-generated: STALE: generated/ differs from a fresh build of policies/:"
sed -e "s|$tmp/generated|<fresh>|g" -e 's/^/  /' "$tmp/summary"
echo "first lines of the difference (generated/ -> fresh build):"
diff -ru generated "$tmp/generated" | sed "s|$tmp/generated|<fresh>|g" | head -40 | sed 's/^/  /'
echo "check-generated: run 'make' to rebuild generated/, review the diff and commit it"
exit 1
