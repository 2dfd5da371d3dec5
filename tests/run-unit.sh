#!/usr/bin/env bash
# Runs every unit test executable (cmocka) and prints one line per suite, the
# output of any suite that failed, and a final "N passed, N failed" over suites.
#
# usage: tests/run-unit.sh [--valgrind] TEST...
# --valgrind runs each suite under valgrind; any memory error or leak fails it.
set -u

wrap=()
if [ "${1:-}" = "--valgrind" ]; then
	wrap=(valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=all)
	shift
fi
if [ $# -eq 0 ]; then
	echo "run-unit: no unit test executables given"
	echo "0 passed, 0 failed"
	exit 0
fi

log=$(mktemp "${TMPDIR:-/tmp}/pacc-unit.XXXXXX")
trap 'rm -f "$log"' EXIT
suites_pass=0
suites_fail=0
cases_pass=0
cases_fail=0
failed=()
for bin in "$@"; do
	name=$(basename "$bin")
	"${wrap[@]}" "$bin" >"$log" 2>&1
	rc=$?
	# cmocka's summary lines: "[  PASSED  ] 9 test(s)." and "[  FAILED  ] 1 test(s), listed below:"
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -1)
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | head -1)
	cases_pass=$((cases_pass + ${p:-0}))
	cases_fail=$((cases_fail + ${f:-0}))
	if [ "$rc" -eq 0 ]; then
		suites_pass=$((suites_pass + 1))
		printf 'PASS %-24s %s case(s)\n' "$name" "${p:-0}"
	else
		suites_fail=$((suites_fail + 1))
		failed+=("$name")
		why="exit status $rc"
		[ "$rc" -eq 99 ] && why="valgrind found errors"
		[ "$rc" -gt 128 ] && why="killed by signal $((rc - 128))"
		printf 'FAIL %-24s %s passed, %s failed (%s)\n' "$name" "${p:-0}" "${f:-0}" "$why"
		sed 's/^/    | /' "$log"
	fi
done

echo "unit: $cases_pass case(s) passed, $cases_fail failed, in $# suite(s)"
[ ${#failed[@]} -gt 0 ] && echo "unit: failing suites: ${failed[*]}"
echo "$suites_pass passed, $suites_fail failed"
[ "$suites_fail" -eq 0 ]
