#!/usr/bin/env bash
# Proves generated/ is what `pacc build` makes from policies/*.pacc today:
# `pacc build --check` compares every pack's files byte for byte and lists
# each file a build would add, change or remove; a directory in generated/
# that belongs to no pack is stale too.  With the project manifest pacc.yaml,
# the build is the manifest's (its packs and environments), and
# generated/pipelines/ must hold what `pacc pipeline` writes for it.
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
manifest=0
[ -f pacc.yaml ] && manifest=1

stale=0
if [ -d generated ]; then
	for entry in generated/* generated/.[!.]*; do
		name=${entry#generated/}
		[ $manifest -eq 1 ] && [ "$name" = pipelines ] && continue
		if [ ! -f "policies/$name.pacc" ]; then
			[ $stale -eq 1 ] || echo "check-generated: STALE: generated/ holds what no pack in policies/ makes:"
			echo "  removed: $entry"
			stale=1
		fi
	done
fi
if [ ${#packs[@]} -eq 0 ]; then
	[ $stale -eq 0 ] && echo "check-generated: OK (no packs in policies/)"
	exit $stale
fi

log="${TMPDIR:-/tmp}/pacc-check-generated.$$"
if [ $manifest -eq 1 ]; then
	"$PACC" build --check -o generated >"$log" 2>&1
else
	"$PACC" build --check -o generated "${packs[@]}" >"$log" 2>&1
fi
rc=$?
out=$(cat "$log")
rm -f "$log"
case $rc in
0) ;;
1)
	if echo "$out" | grep -q '^\(added\|changed\|removed\): '; then
		echo "check-generated: STALE: generated/ differs from a fresh build of policies/:"
	else
		echo "check-generated: FAILED: policies/*.pacc do not build:"
	fi
	echo "$out" | sed 's/^/  /'
	stale=1
	;;
*)
	echo "check-generated: FAILED: '$PACC build --check' could not run:"
	echo "$out" | sed 's/^/  /'
	exit 1
	;;
esac
if [ $manifest -eq 1 ]; then
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/pacc-pipelines.XXXXXX")
	for kind in github:github-actions.yml azure-devops:azure-pipelines.yml; do
		if ! "$PACC" pipeline "${kind%%:*}" -o "$tmp/${kind#*:}" 2>"$tmp/err"; then
			echo "check-generated: FAILED: '$PACC pipeline ${kind%%:*}' did not succeed:"
			sed 's/^/  /' "$tmp/err"
			stale=1
		elif ! cmp -s "$tmp/${kind#*:}" "generated/pipelines/${kind#*:}"; then
			echo "check-generated: STALE: generated/pipelines/${kind#*:} differs from 'pacc pipeline ${kind%%:*}'"
			stale=1
		fi
	done
	rm -rf "$tmp"
fi
if [ $stale -ne 0 ]; then
	echo "check-generated: run 'make' to rebuild generated/, review the diff and commit it"
	exit 1
fi
echo "check-generated: OK (${#packs[@]} pack(s); generated/ matches policies/)"
exit 0
