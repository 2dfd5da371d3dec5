#!/usr/bin/env bash
# Builds tests/robust/adversarial.pacc (hostile text in every slot) and runs the
# shared validators over the output: validate-policy (JSON schema), check-bicep
# (Bicep syntax) and check-guide (Learn structure, markdownlint); and
# check-pipeline over the committed and golden pipelines.  Each tool that
# is missing or cannot run (exit 2: no node/npm) is skipped with the reason.
# usage: validators.sh PACC
set -u
pacc=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$(dirname "$0")/../.." && pwd)
tools=$root/../shared/tools
work=$(mktemp -d "${TMPDIR:-/tmp}/pacc-validators.XXXXXX")
trap 'rm -rf "$work"' EXIT
if ! "$pacc" build -o "$work/out" "$root/tests/robust/adversarial.pacc" >/dev/null 2>"$work/err"; then
	echo "validators: FAIL adversarial.pacc does not build" >&2
	head -5 "$work/err" >&2
	exit 1
fi
fail=0
for tool in validate-policy check-bicep check-guide; do
	if [ "$tool" = check-bicep ] && [ -z "$(find "$work/out" -name '*.bicep' -print -quit)" ]; then
		echo "validators: skipping check-bicep: this pacc writes no Bicep"
		continue
	fi
	if [ ! -x "$tools/$tool" ]; then
		echo "validators: skipping $tool: $tools/$tool not found"
		continue
	fi
	"$tools/$tool" "$work/out" >"$work/log" 2>&1
	case $? in
	0) echo "validators: $tool clean" ;;
	2) echo "validators: skipping $tool: it could not run ($(tail -1 "$work/log"))" ;;
	*) echo "validators: FAIL $tool found problems in the adversarial pack's output:" >&2
		sed 's/^/    /' "$work/log" >&2
		fail=1 ;;
	esac
done
# The committed pipelines and the golden ones: GitHub Actions and Azure Pipelines
# schemas; the environments' Bicep: check-bicep.
if [ -x "$tools/check-pipeline" ] && [ -d "$root/generated/pipelines" ]; then
	"$tools/check-pipeline" "$root/generated/pipelines" "$root/tests/golden/environments/expected/pipelines" >"$work/log" 2>&1
	case $? in
	0) echo "validators: check-pipeline clean" ;;
	2) echo "validators: skipping check-pipeline: it could not run ($(tail -1 "$work/log"))" ;;
	*) echo "validators: FAIL check-pipeline found problems in the generated pipelines:" >&2
		sed 's/^/    /' "$work/log" >&2
		fail=1 ;;
	esac
elif [ ! -x "$tools/check-pipeline" ]; then
	echo "validators: skipping check-pipeline: $tools/check-pipeline not found"
fi
exit $fail
