#!/usr/bin/env bash
# Proves generated/ is what `pacc build` makes from policies/*.pacc today:
# `pacc build --check` compares every pack's files byte for byte and lists
# each file a build would add, change or remove; a directory in generated/
# that belongs to no pack is stale too.
#
# usage: tests/check-generated.sh PACC      (run from the project root)
set -u

if [ $# -ne 1 ]; then
	echo "usage: tests/check-generated.sh PACC" >&2
	exit 2
fi
PACC=$1
shopt -s nullglob
packs=(policies/*.pacc)

stale=0
if [ -d generated ]; then
	for entry in generated/* generated/.[!.]*; do
		name=${entry#generated/}
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

"$PACC" build --check -o generated "${packs[@]}" >"${TMPDIR:-/tmp}/pacc-check-generated.$$" 2>&1
rc=$?
out=$(cat "${TMPDIR:-/tmp}/pacc-check-generated.$$")
rm -f "${TMPDIR:-/tmp}/pacc-check-generated.$$"
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
if [ $stale -ne 0 ]; then
	echo "check-generated: run 'make' to rebuild generated/, review the diff and commit it"
	exit 1
fi
echo "check-generated: OK (${#packs[@]} pack(s); generated/ matches policies/)"
exit 0
