# Shell tests of `pacc aliases` and of the alias checks of check, build and
# import; sourced by tests/cli/run.sh (uses its pacc, expect, ok, nok and $T).

A=$CASES/aliases
mkdir -p "$T/al"
cp "$A/storage.pacc" "$A/typo.pacc" "$T/al/"

pacc aliases "$T/al/storage.pacc" "$A/aliases.csv"
expect "aliases: writes the lock file beside the pack: exit 0" 0
if [ -f "$T/al/aliases.lock.json" ] && is_json <"$T/al/aliases.lock.json" &&
	grep -q '"namespace": "Microsoft.Storage"' "$T/al/aliases.lock.json" &&
	! grep -q 'Microsoft.Sql' "$T/al/aliases.lock.json"; then
	ok "aliases: the lock file is JSON with only the namespaces the pack uses"
else nok "aliases: the lock file is JSON with only the namespaces the pack uses"; fi
if grep -q '{"resourceType": "storageAccounts/blobServices"}' "$T/al/aliases.lock.json" &&
	grep -q '"minimumTlsVersion"' "$T/al/aliases.lock.json"; then
	ok "aliases: used types carry their aliases, the others only their name"
else nok "aliases: used types carry their aliases, the others only their name"; fi
before=$(stat -c '%Y %i' "$T/al/aliases.lock.json")
cp "$T/al/aliases.lock.json" "$T/al/first.json"
sleep 1
pacc aliases -o "$T/al/aliases.lock.json" "$T/al/storage.pacc" "$A/aliases.csv"
if [ "$rc" -eq 0 ] && [ "$(stat -c '%Y %i' "$T/al/aliases.lock.json")" = "$before" ] &&
	cmp -s "$T/al/first.json" "$T/al/aliases.lock.json" && [ -z "$(leftovers "$T/al")" ]; then
	ok "aliases: a second run leaves an unchanged lock file untouched"
else nok "aliases: a second run leaves an unchanged lock file untouched" "exit status $rc"; fi

pacc check "$T/al/storage.pacc"
expect "check with the lock file beside the pack: exit 0" 0
pacc check "$T/al/typo.pacc"
expect "check finds a misspelt alias through the lock file: exit 1" 1
if grep -q 'typo.pacc:7:11: error\[E0501\]' "$T/err" &&
	grep -q "did you mean 'Microsoft.Storage/storageAccounts/minimumTlsVersion'?" "$T/err"; then
	ok "check: the misspelt alias is located, with a suggestion"
else nok "check: the misspelt alias is located, with a suggestion"; fi
pacc check "$A/typo.pacc"
expect "check without a lock file does not check aliases: exit 0" 0
pacc check --aliases "$A/aliases.csv" "$A/typo.pacc"
expect "check --aliases FILE checks against FILE: exit 1" 1
pacc_in "$A/typo.pacc" check --aliases "$T/al/aliases.lock.json" -
expect "check --aliases on standard input: exit 1" 1
pacc check --aliases "$T/al/missing.json" "$A/storage.pacc"
expect "check --aliases with a missing file: exit 2" 2

mkdir -p "$T/al/out"
pacc build -o "$T/al/out" "$T/al/typo.pacc"
if [ "$rc" -eq 1 ] && [ -z "$(ls -A "$T/al/out")" ] && grep -q 'E0501' "$T/err"; then
	ok "build with a misspelt alias: exit 1, nothing written"
else nok "build with a misspelt alias: exit 1, nothing written" "exit status $rc"; fi
pacc build -o "$T/al/out" "$T/al/storage.pacc"
expect "build with the lock file beside the pack: exit 0" 0

# The JSON export carries metadata: capabilities, Modifiable, API versions.
pacc aliases -o "$T/al/json.lock.json" "$T/al/storage.pacc" "$A/providers.json"
if [ "$rc" -eq 0 ] && grep -q '"capabilities": "SupportsTags, SupportsLocation"' "$T/al/json.lock.json" &&
	grep -q '"attributes":"Modifiable"' "$T/al/json.lock.json"; then
	ok "aliases from the JSON export keep capabilities and the Modifiable attribute"
else nok "aliases from the JSON export keep capabilities and the Modifiable attribute" "exit status $rc"; fi
cat >"$T/al/blob.pacc" <<'PACK'
policy "blob-retention" {
  display "Blob services should keep deleted blobs"
  mode Indexed
  effect audit
  if {
    type == "Microsoft.Storage/storageAccounts/blobServices"
    field "Microsoft.Storage/storageAccounts/blobServices/deleteRetentionPolicy.enabled" != true
  }
}
PACK
cat >"$T/al/deleted.pacc" <<'PACK'
policy "deleted-accounts" {
  display "Deleted storage accounts should be restorable"
  mode Indexed
  effect audit
  if {
    type == "Microsoft.Storage/deletedAccounts"
    field "Microsoft.Storage/deletedAccounts/restoreReference" exists false
  }
}
PACK
pacc check --aliases "$A/providers.json" "$T/al/deleted.pacc"
if [ "$rc" -eq 0 ] && grep -q 'deleted.pacc:3:8: warning\[E0504\]' "$T/err" && grep -q "write 'mode All'" "$T/err"; then
	ok "check: mode Indexed on a type without tags is a warning with the fix"
else nok "check: mode Indexed on a type without tags is a warning with the fix" "exit status $rc"; fi
pacc check --aliases "$A/providers.json" "$T/al/blob.pacc"
if [ "$rc" -eq 0 ] && grep -q 'warning\[E0418\]' "$T/err" && ! grep -q 'E0504' "$T/err"; then
	ok "check: a child type in mode Indexed is reported once (E0418)"
else nok "check: a child type in mode Indexed is reported once (E0418)" "exit status $rc"; fi
pacc check --aliases "$T/al/json.lock.json" "$T/al/blob.pacc"
if [ "$rc" -eq 0 ] && grep -q 'warning\[E0505\]' "$T/err" && grep -q "regenerate the lock file" "$T/err"; then
	ok "check: a type the lock file does not cover is a warning to regenerate it"
else nok "check: a type the lock file does not cover is a warning to regenerate it" "exit status $rc"; fi

pacc import --aliases "$A/providers.json" -o "$T/al/imp" "$A/definition.json"
if [ "$rc" -eq 1 ] && grep -q 'E0501' "$T/err" && grep -q "primaryEndpoints.blob" "$T/err" && [ ! -e "$T/al/imp" ]; then
	ok "import --aliases: a misspelt alias in the JSON fails the import"
else nok "import --aliases: a misspelt alias in the JSON fails the import" "exit status $rc"; fi
mkdir -p "$T/al/imp"
pacc import -o "$T/al/imp" "$A/definition.json"
expect "import without --aliases does not check aliases: exit 0" 0

printf 'alias,defaultPath\nMicrosoft.Storage/storageAccounts/a\n' >"$T/al/bad.csv"
pacc aliases -o "$T/al/bad.lock.json" "$T/al/storage.pacc" "$T/al/bad.csv"
if [ "$rc" -eq 1 ] && grep -q 'bad.csv:2:1: error\[E0951\]' "$T/err" && [ ! -e "$T/al/bad.lock.json" ]; then
	ok "aliases: a malformed CSV line is located; nothing is written"
else nok "aliases: a malformed CSV line is located; nothing is written" "exit status $rc"; fi
pacc aliases "$T/al/storage.pacc"
expect "aliases without an export: exit 2" 2
pacc aliases "$A/aliases.csv"
expect "aliases without a pack: exit 2" 2
pacc aliases "$T/al/storage.pacc" "$T/al/none.csv"
expect "aliases with a missing export: exit 2" 2
pacc help aliases
if [ "$rc" -eq 0 ] && grep -q -- '--output=FILE' "$T/out"; then ok "pacc help aliases lists its options"; else nok "pacc help aliases lists its options"; fi
