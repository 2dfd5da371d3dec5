# CLI tests of `pacc eval` (sourced by run.sh, which defines pacc, expect, ok, nok).
E=$CASES/eval
ADF=$CASES/../../../policies/azure-data-factory.pacc

pacc eval --definition "$E/tls-rule.json" --resource "$E/storage.json" --format json
expect "eval of a bare rule: exit 0" 0
if python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["applicable"] is True and d["if"] is True and d["effect"]=="deny" and d["compliance"]=="NonCompliant"; t=[s for s in d["trace"] if "minimumTlsVersion" in s["condition"]]; assert t and t[0]["actual"]=="TLS1_0" and t[0]["expected"]=="TLS1_2"' <"$T/out" 2>/dev/null; then ok "eval --format json: verdict and the deciding condition with actual and expected"; else nok "eval --format json: verdict and the deciding condition with actual and expected"; fi

pacc eval -d "$ADF" -p ns-2 -r "$E/factory-public.json"
if [ "$rc" -eq 0 ] && grep -q "^policy 'azure-data-factory-ns-2': NonCompliant" "$T/out" && grep -q 'azure-data-factory.pacc:[0-9]*:[0-9]*: field .Microsoft.DataFactory/factories/publicNetworkAccess.' "$T/out"; then ok "eval of a pack policy: the trace points into the pack"; else nok "eval of a pack policy: the trace points into the pack" "exit status $rc"; fi
pacc eval -d "$ADF" -p ns-2 -r "$E/factory-private.json"
if [ "$rc" -eq 0 ] && grep -q "^policy 'azure-data-factory-ns-2': Compliant" "$T/out"; then ok "eval: a factory with public access disabled is compliant"; else nok "eval: a factory with public access disabled is compliant"; fi

pacc eval -d "$E/unsupported.json" -r "$E/storage.json"
if [ "$rc" -eq 1 ] && grep -q "unsupported function 'uniqueString'" "$T/out"; then ok "eval: an unsupported function is named, exit 1"; else nok "eval: an unsupported function is named, exit 1" "exit status $rc"; fi

pacc eval -d "$ADF" --resources "$E/inventory.json" --format json
if [ "$rc" -eq 0 ] && python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["resources"]==2; p=[x for x in d["policies"] if x["policy"]=="azure-data-factory-ns-2"][0]; assert p["nonCompliantResources"]==["/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.DataFactory/factories/adf-public"] and p["compliant"]==1' <"$T/out" 2>/dev/null; then ok "eval --resources: a compliance report per policy"; else nok "eval --resources: a compliance report per policy" "exit status $rc"; fi

pacc eval -d "$ADF" -p no-such-policy -r "$E/storage.json"
expect "eval --policy naming no policy: exit 2" 2
pacc eval -r "$E/storage.json"
expect "eval without --definition: exit 2" 2
pacc eval -d "$E/tls-rule.json" -r "$E/missing.json"
expect "eval of an unreadable resource: exit 2" 2

# In an inventory, related resources are the ones below a resource's id (ignoring case).
pacc eval -d "$ADF" -p ns-2b --resources "$E/related-inventory.json" --format json
if [ "$rc" -eq 0 ] && python3 -c 'import json,sys; d=json.load(sys.stdin); p=d["policies"][0]; assert p["nonCompliantResources"]==["/subscriptions/s/resourceGroups/g/providers/Microsoft.DataFactory/factories/adf-b"] and p["compliant"]==2, p' <"$T/out" 2>/dev/null; then ok "eval --resources: a child listed anywhere in the inventory is a related resource, a sibling with a longer name is not"; else nok "eval --resources: a child listed anywhere in the inventory is a related resource, a sibling with a longer name is not" "exit status $rc"; fi

# The report's ids are escaped as JSON strings, whatever bytes an inventory puts in them.
printf '[{"id": "/subscriptions/s/resourceGroups/g/providers/Microsoft.DataFactory/factories/a\\"b\\\\c\\u0001d\\te\\u00e9\\n", "type": "Microsoft.DataFactory/factories", "name": "x", "location": "westeurope", "properties": {"publicNetworkAccess": "Enabled"}}]\n' >"$T/odd-ids.json"
pacc eval -d "$ADF" --resources "$T/odd-ids.json" --format json
if [ "$rc" -eq 0 ] && python3 -c 'import json,sys; d=json.load(sys.stdin); p=[x for x in d["policies"] if x["policy"]=="azure-data-factory-ns-2"][0]; assert p["nonCompliantResources"]==["/subscriptions/s/resourceGroups/g/providers/Microsoft.DataFactory/factories/a\"b\\c\u0001d\te\u00e9\n"], p' <"$T/out" 2>/dev/null; then ok "eval --resources: ids with quotes, backslashes and control bytes stay valid JSON"; else nok "eval --resources: ids with quotes, backslashes and control bytes stay valid JSON" "exit status $rc"; fi
pacc eval -d "$ADF" --resources "$T/odd-ids.json"
if [ "$rc" -eq 0 ] && grep -q "^policy 'azure-data-factory-ns-2': 1 non-compliant, 0 compliant, 0 not applicable$" "$T/out"; then ok "eval --resources: the text report counts per policy"; else nok "eval --resources: the text report counts per policy" "exit status $rc"; fi
printf '[{"id": "a"}, {"id": ]\n' >"$T/bad-inventory.json"
pacc eval -d "$ADF" --resources "$T/bad-inventory.json"
if [ "$rc" -eq 2 ] && grep -q "inventory '.*bad-inventory.json' is not valid JSON (at 1:22)" "$T/err"; then ok "eval --resources: invalid JSON is located, exit 2"; else nok "eval --resources: invalid JSON is located, exit 2" "exit status $rc"; fi

# The effect keeps the rule's spelling, or the parameter value's.
printf '{"properties": {"mode": "All", "parameters": {"effect": {"type": "String", "allowedValues": ["Audit", "deny", "Disabled"], "defaultValue": "Audit"}}, "policyRule": {"if": {"field": "type", "equals": "Microsoft.Storage/storageAccounts"}, "then": {"effect": "[parameters('"'"'effect'"'"')]"}}}}\n' >"$T/effect-param.json"
printf '{"effect": {"value": "deny"}}\n' >"$T/effect-deny.json"
pacc eval -d "$T/effect-param.json" -r "$E/storage.json" --parameters "$T/effect-deny.json" --format json
if [ "$rc" -eq 0 ] && python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["effect"]=="deny" and d["compliance"]=="NonCompliant", d' <"$T/out" 2>/dev/null; then ok "eval --format json: a parameter effect is spelt as its value"; else nok "eval --format json: a parameter effect is spelt as its value" "exit status $rc"; fi
pacc eval -d "$T/effect-param.json" -r "$E/storage.json" --format json
if [ "$rc" -eq 0 ] && python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["effect"]=="Audit", d' <"$T/out" 2>/dev/null; then ok "eval --format json: a parameter effect without value is spelt as its default"; else nok "eval --format json: a parameter effect without value is spelt as its default" "exit status $rc"; fi

# Aliases resolve through the alias table: the lock file beside the pack, or --aliases FILE.
pacc eval -d "$ADF" -p ns-2 -r "$E/factory-public.json"
if [ "$rc" -eq 0 ] && grep -q "field 'Microsoft.DataFactory/factories/publicNetworkAccess' (properties.publicNetworkAccess, from the alias table)" "$T/out"; then ok "eval of a pack: aliases resolve through the lock file beside it"; else nok "eval of a pack: aliases resolve through the lock file beside it" "exit status $rc"; fi
pacc eval -d "$E/blob-encryption-rule.json" -r "$E/storage-encrypted.json" --aliases "$E/storage-aliases.csv" --format json
if [ "$rc" -eq 0 ] && python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["compliance"]=="Compliant", d; t=[s for s in d["trace"] if "enableBlobEncryption" in s["condition"]]; assert t and "(properties.encryption.services.blob.enabled, from the alias table)" in t[0]["condition"] and t[0]["actual"] is True' <"$T/out" 2>/dev/null; then ok "eval --aliases CSV: an alias reads its defaultPath, not a path guessed from its name"; else nok "eval --aliases CSV: an alias reads its defaultPath, not a path guessed from its name" "exit status $rc"; fi
pacc eval -d "$E/blob-encryption-rule.json" -r "$E/storage-encrypted.json"
if [ "$rc" -eq 0 ] && grep -q "^NonCompliant" "$T/out" && grep -q "(properties.enableBlobEncryption, no alias table: path guessed from the name)" "$T/out"; then ok "eval without an alias table: the trace says the path was guessed"; else nok "eval without an alias table: the trace says the path was guessed" "exit status $rc"; fi
mkdir -p "$T/withlock"
cp "$E/blob-encryption-rule.json" "$T/withlock/rule.json"
printf '{"value": [{"namespace": "Microsoft.Storage", "resourceTypes": [{"resourceType": "storageAccounts", "aliases": [["enableBlobEncryption", "properties.encryption.services.blob.enabled"]]}]}]}\n' >"$T/withlock/aliases.lock.json"
pacc eval -d "$T/withlock/rule.json" -r "$E/storage-encrypted.json"
if [ "$rc" -eq 0 ] && grep -q "^Compliant" "$T/out" && grep -q "from the alias table" "$T/out"; then ok "eval of a JSON definition: the lock file beside it is found as check finds it"; else nok "eval of a JSON definition: the lock file beside it is found as check finds it" "exit status $rc"; fi
printf '[{"namespace": "Microsoft.Storage", "resourceTypes": [{"resourceType": "storageAccounts", "capabilities": "SupportsTags, SupportsLocation", "aliases": [{"name": "Microsoft.Storage/storageAccounts/enableBlobEncryption", "defaultPath": "properties.encryption.services.blob.enabled", "paths": []}]}]}]\n' >"$T/providers.json"
pacc eval -d "$E/blob-encryption-rule.json" -r "$E/storage.json" --aliases "$T/providers.json"
if [ "$rc" -eq 0 ] && grep -q "^NonCompliant" "$T/out" && grep -q "(properties.encryption.services.blob.enabled, from the alias table) notEquals true: true (actual <missing>)" "$T/out"; then ok "eval --aliases: an az provider list export"; else nok "eval --aliases: an az provider list export" "exit status $rc"; fi
pacc eval -d "$E/tls-rule.json" -r "$E/storage.json" --aliases "$E/storage-aliases.csv"
if [ "$rc" -eq 0 ] && grep -q "(properties.minimumTlsVersion, from the alias table)" "$T/out"; then ok "eval --aliases: a listed alias whose path matches its name"; else nok "eval --aliases: a listed alias whose path matches its name" "exit status $rc"; fi
pacc eval -d "$E/tls-rule.json" -r "$E/storage.json" --aliases "$E/no-such-aliases.csv"
if [ "$rc" -eq 2 ] && grep -q "cannot read '.*no-such-aliases.csv'" "$T/err"; then ok "eval --aliases of an unreadable file: exit 2"; else nok "eval --aliases of an unreadable file: exit 2" "exit status $rc"; fi
printf 'alias,defaultPath\nnot a line\n' >"$T/bad-aliases.csv"
pacc eval -d "$E/tls-rule.json" -r "$E/storage.json" --aliases "$T/bad-aliases.csv"
if [ "$rc" -eq 1 ] && grep -q "bad-aliases.csv:2:1: error\[E0951\]" "$T/err"; then ok "eval --aliases of a malformed table: located diagnostic, exit 1"; else nok "eval --aliases of a malformed table: located diagnostic, exit 1" "exit status $rc"; fi

# --related accumulates: every file counts, each one resource or an array.
HARD=$CASES/../../../policies/tests/azure-data-factory/factory-hardened.json
pacc eval -d "$ADF" -p ns-2b -r "$HARD" --related "$E/pe-pending.json"
if [ "$rc" -eq 0 ] && grep -q "^policy 'azure-data-factory-ns-2b': NonCompliant" "$T/out"; then ok "eval --related: an array of related resources, none approved"; else nok "eval --related: an array of related resources, none approved" "exit status $rc"; fi
pacc eval -d "$ADF" -p ns-2b -r "$HARD" --related "$E/pe-approved.json" --related "$E/pe-pending.json" --format json
if [ "$rc" -eq 0 ] && python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["compliance"]=="Compliant", d' <"$T/out" 2>/dev/null; then ok "eval --related given twice: the first file still counts"; else nok "eval --related given twice: the first file still counts" "exit status $rc"; fi
pacc eval -d "$ADF" -p ns-2b -r "$HARD" --related "$E/pe-pending.json" --related="$E/pe-approved.json"
if [ "$rc" -eq 0 ] && grep -q "^policy 'azure-data-factory-ns-2b': Compliant" "$T/out"; then ok "eval --related given twice: the last file counts too"; else nok "eval --related given twice: the last file counts too" "exit status $rc"; fi
pacc eval -d "$ADF" -p ns-2b -r "$HARD" --related "$E/pe-approved.json" --related "$E/missing.json"
if [ "$rc" -eq 2 ] && grep -q "cannot read related resources '.*missing.json'" "$T/err"; then ok "eval --related: an unreadable second file is exit 2"; else nok "eval --related: an unreadable second file is exit 2" "exit status $rc"; fi

# pacc test: the shipped packs pass; a deliberately broken condition fails with its trace.
POL=$CASES/../../../policies
pacc test "$POL/azure-data-factory.pacc" "$POL/azure-key-vault.pacc"
if [ "$rc" -eq 0 ] && tail -1 "$T/out" | grep -Eq '^[1-9][0-9]* passed, 0 failed$'; then ok "pacc test passes on the shipped packs"; else nok "pacc test passes on the shipped packs" "exit status $rc" "$(tail -1 "$T/out")"; fi
mkdir -p "$T/broken"
cp -r "$POL/tests" "$T/broken/tests"
sed 's|field "Microsoft.DataFactory/factories/linkedservices/type" notIn|field "Microsoft.DataFactory/factories/linkedservices/type" in|' "$POL/azure-data-factory.pacc" >"$T/broken/azure-data-factory.pacc"
pacc test "$T/broken/azure-data-factory.pacc"
if [ "$rc" -eq 1 ] && grep -q "^FAIL .*azure-data-factory-am-2: test 'an FTP linked service is audited'" "$T/out" && grep -q "expected audit, got Compliant" "$T/out" && grep -Eq "azure-data-factory.pacc:[0-9]+:[0-9]+: field 'Microsoft.DataFactory/factories/linkedservices/type'.* in \[.*\]: false \(actual \"FtpServer\"\)" "$T/out" && tail -1 "$T/out" | grep -Eq '^[0-9]+ passed, [1-9][0-9]* failed$'; then ok "pacc test: a broken condition fails with a readable trace"; else nok "pacc test: a broken condition fails with a readable trace" "exit status $rc"; fi
printf 'policy "p" {\n  display "p"\n  description "p"\n  mode All\n  effect audit\n  if { type == "a/b" }\n  test "t" { resource { "type": "a/b" } expect audt }\n}\n' >"$T/typo.pacc"
pacc check "$T/typo.pacc"
if [ "$rc" -eq 1 ] && grep -q "typo.pacc:7:48: error\[E0512\]" "$T/err" && grep -q "did you mean 'Audit'" "$T/err"; then ok "check: an expect that names no effect is E0512 with a suggestion"; else nok "check: an expect that names no effect is E0512 with a suggestion" "exit status $rc"; fi

# Compliant by construction: a `set` that contradicts a policy is E0516 at the set.
sed 's|set identity = { "type": "SystemAssigned" }|set identity = { "type": "None" }|' "$POL/azure-data-factory.pacc" >"$T/broken/azure-data-factory.pacc"
pacc check "$T/broken/azure-data-factory.pacc"
if [ "$rc" -eq 1 ] && grep -Eq "azure-data-factory.pacc:[0-9]+:7: error\[E0516\]: the hardening module of 'Microsoft.DataFactory/factories' is not compliant with policy 'azure-data-factory-im-3'" "$T/err" && grep -q "note: this condition holds for it: field 'identity.type' equals \"None\"" "$T/err"; then ok "check: a set that contradicts a policy is E0516 with the deciding condition"; else nok "check: a set that contradicts a policy is E0516 with the deciding condition" "exit status $rc"; fi
sed 's|set properties.publicNetworkAccess = "Disabled"|set properties.publicNetworkAccess = "Enabled"|' "$POL/azure-data-factory.pacc" >"$T/broken/azure-data-factory.pacc"
pacc build -o "$T/broken/out" "$T/broken/azure-data-factory.pacc"
if [ "$rc" -eq 1 ] && grep -q "error\[E0516\]: the Modify twin 'azure-data-factory-ns-2-modify' leaves the resource non-compliant with 'azure-data-factory-ns-2'" "$T/err" && [ ! -e "$T/broken/out" ]; then ok "build: a Modify twin that does not fix its audit is E0516, nothing written"; else nok "build: a Modify twin that does not fix its audit is E0516, nothing written" "exit status $rc"; fi
