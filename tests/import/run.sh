#!/usr/bin/env bash
# `pacc import` of policy repositories as people keep them: tests/import/repo
# holds a small one (a folder per policy with split parts, unicode and spaces
# in folder names, a byte-order mark, ALZ file suffixes, EPAC .jsonc with
# comments, definitions without policyType or displayName, a reference without
# policyDefinitionReferenceId, a condition pacc does not model, a display name
# over 128 characters, a default of the wrong type, details no effect uses).
#
#   bash tests/import/run.sh PACC
#
# Checks that every file round-trips in process (build/conformance/roundtrip,
# beside PACC: the README's equality rules), and through the CLI that the
# import ends with its one-line summary and the written pack builds, with a
# warning naming each rule on which pacc is stricter than Azure.
set -u
pacc=${1:?usage: run.sh PACC}
here=$(cd "$(dirname "$0")" && pwd)
rt=$(dirname "$pacc")/conformance/roundtrip
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
nok() { fail=$((fail + 1)); echo "FAIL $1"; [ -s "$tmp/err" ] && sed -n '1,12s/^/     /p' "$tmp/err"; }

if "$rt" "$here/repo" >"$tmp/err" 2>&1 && grep -q '^4 of 4 definitions and 1 of 1 initiatives round-trip' "$tmp/err"; then
	ok "every definition and initiative of the repository round-trips"
else nok "every definition and initiative of the repository round-trips"; fi

"$pacc" import -o "$tmp/packs" "$here/repo" >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ $rc -eq 0 ] && [ "$(tail -1 "$tmp/err")" = "pacc: imported 4 policy definitions and 1 initiative into 1 pack; 0 warnings" ]; then
	ok "import ends with a one-line summary"
else nok "import ends with a one-line summary (exit $rc)"; fi
if grep -q "note\[E0912\]: 2 files below '.*repo' are a split part" "$tmp/err"; then ok "split parts are skipped with a note"; else nok "split parts are skipped with a note"; fi
p="$tmp/packs/repo.pacc"
# Folder names name the folder-per-policy definitions; ALZ suffixes do not leak.
for name in 'policy "Deny public IP addresses"' 'policy "Chiffrement forcé ✓"' 'policy "Deny-RDP-From-Internet"' 'policy "require-env-tag"' 'initiative "Enforce-Network"'; do
	if grep -qF "$name {" "$p"; then ok "the pack holds $name"; else nok "the pack holds $name"; fi
done
if grep -q 'extra { "source": "action"' "$p"; then ok "an unmodelled condition is kept verbatim as extra { }"; else nok "an unmodelled condition is kept verbatim as extra { }"; fi
if grep -q 'reference -> "/providers/Microsoft.Management' "$p"; then ok "a reference without an id stays without one"; else nok "a reference without an id stays without one"; fi

"$pacc" build -o "$tmp/gen" "$p" >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ $rc -eq 0 ]; then ok "the imported pack builds"; else nok "the imported pack builds (exit $rc)"; fi
for code in E0303 E0306 E0308 E0320; do
	if grep -q "warning\[$code\]" "$tmp/err"; then ok "stricter-than-Azure rule $code is a warning"; else nok "stricter-than-Azure rule $code is a warning"; fi
done
if grep -q "help: Azure accepted this definition as it is, so 'imported' makes this a warning" "$tmp/err"; then ok "each such warning says why and how to fix it"; else nok "each such warning says why and how to fix it"; fi
if ! grep -rq '"policyType"' "$tmp/gen/repo/policies/Deny public IP addresses.json" 2>/dev/null && [ -f "$tmp/gen/repo/policies/Deny public IP addresses.json" ]; then
	ok "an absent policyType stays absent in the build"
else nok "an absent policyType stays absent in the build"; fi

# Without `imported`, the same definitions are checked strictly.
sed '/^  imported$/d' "$p" >"$tmp/strict.pacc"
"$pacc" check "$tmp/strict.pacc" >"$tmp/out" 2>"$tmp/err"
if [ $? -eq 1 ] && grep -q 'error\[E0303\]' "$tmp/err" && grep -q 'error\[E0308\]' "$tmp/err"; then ok "without 'imported' the same rules are errors"; else nok "without 'imported' the same rules are errors"; fi

echo "import: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
