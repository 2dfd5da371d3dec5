# Sourced by tests/cli/run.sh (uses its pacc, ok, nok, expect and $T): `pacc import`
# of directory trees — what the walk follows and what it shows of a file.

# policy_json DISPLAY: a small complete definition without envelope.
policy_json() {
	printf '{"properties": {"displayName": "%s", "mode": "All", "policyRule": {"if": {"field": "type", "equals": "a"}, "then": {"effect": "deny"}}}}\n' "$1"
}

I="$T/imptree"
mkdir -p "$I/loop/sub"
policy_json "Loop" >"$I/loop/sub/p.json"
ln -s . "$I/loop/a"
ln -s . "$I/loop/b"
ln -s .. "$I/loop/sub/up"
timeout 20 "$PACC" import -o "$I/out-loop" "$I/loop" >"$T/out" 2>"$T/err"
rc=$?
expect "import of a tree with links a -> . and b -> . finishes" 0
if [ "$(grep -c '^policy ' "$I/out-loop/loop.pacc" 2>/dev/null)" = 1 ]; then ok "links to directories are not followed: one policy, not copies"; else nok "links to directories are not followed: one policy, not copies" "$(grep -c '^policy ' "$I/out-loop/loop.pacc")"; fi
if [ "$(grep -c 'warning\[E0910\]: symbolic link to a directory; not followed' "$T/err")" = 3 ]; then ok "each directory link is a located E0910 warning"; else nok "each directory link is a located E0910 warning"; fi

mkdir -p "$I/self"
policy_json "Self" >"$I/self/p.json"
ln -s . "$I/self/self"
pacc import -o "$I/out-self" "$I/self"
if [ "$rc" -eq 0 ] && [ "$(grep -c '^policy ' "$I/out-self/self.pacc")" = 1 ]; then ok "self -> . imports nothing twice"; else nok "self -> . imports nothing twice" "exit $rc"; fi

# A .json link out of the tree is not read; its content is never shown.
mkdir -p "$I/leak"
policy_json "Inside" >"$I/leak/p.json"
printf 'root:x:0:0:secret-marker:/root:/bin/bash\n' >"$I/outside.txt"
ln -s ../outside.txt "$I/leak/passwd.json"
ln -s p.json "$I/leak/q.json"
pacc import -o "$I/out-leak" "$I/leak"
expect "a .json link to a file outside the tree: import goes on (exit 0)" 0
if grep -q "leak/passwd.json:1:1: warning\[E0910\]: symbolic link to a file outside the imported directory; not followed" "$T/err" && ! grep -q secret-marker "$T/err" "$I/out-leak/leak.pacc"; then ok "the outside link is a located warning and nothing of its target is read"; else nok "the outside link is a located warning and nothing of its target is read"; fi
if grep -q '^policy "q"' "$I/out-leak/leak.pacc"; then ok "a .json link to a file inside the tree is followed"; else nok "a .json link to a file inside the tree is followed"; fi

# A named file that is not JSON: located at its first byte, its text not echoed.
cp "$I/outside.txt" "$I/notjson.json"
pacc import -o "$I/out-nj" "$I/notjson.json"
if [ "$rc" -eq 1 ] && grep -q "notjson.json:1:1: error\[E0901\]" "$T/err" && ! grep -q secret-marker "$T/err"; then ok "a file that is not JSON: E0901 at 1:1 without its text"; else nok "a file that is not JSON: E0901 at 1:1 without its text" "exit $rc"; fi
printf '\n\n  x = 1 secret-marker\n' >"$I/notjson2.json"
pacc import --diagnostics-format=json -o "$I/out-nj" "$I/notjson2.json"
if [ "$rc" -eq 1 ] && ! grep -q secret-marker "$T/err" && python3 -c 'import json,sys; r=json.load(sys.stdin)[0]; assert (r["code"], r["line"], r["column"]) == ("E0901", 3, 3)' <"$T/err" 2>/dev/null; then ok "not JSON after blank lines: E0901 at its first byte (3:3), nothing echoed"; else nok "not JSON after blank lines: E0901 at its first byte (3:3), nothing echoed"; fi
printf '{"name": secret-marker}\n' >"$I/json-ish.json"
pacc import -o "$I/out-nj" "$I/json-ish.json"
if [ "$rc" -eq 1 ] && grep -q 'secret-marker' "$T/err"; then ok "a file that starts like JSON shows the line of its error"; else nok "a file that starts like JSON shows the line of its error"; fi

# Other entries that are not regular files are not read (a FIFO would block).
mkdir -p "$I/fifo"
policy_json "F" >"$I/fifo/p.json"
if mkfifo "$I/fifo/pipe.json" 2>/dev/null; then
	timeout 20 "$PACC" import -o "$I/out-fifo" "$I/fifo" >"$T/out" 2>"$T/err"
	rc=$?
	if [ "$rc" -eq 0 ] && grep -q 'pipe.json:1:1: warning\[E0910\]: not a regular file' "$T/err"; then ok "a FIFO named .json is skipped with E0910"; else nok "a FIFO named .json is skipped with E0910" "exit $rc"; fi
fi

# The limits: files per directory argument and depth.
python3 - "$I/many" <<'PY'
import os, sys
root = sys.argv[1]
for d in range(101):
    os.makedirs(os.path.join(root, "d%03d" % d), exist_ok=True)
    for f in range(100):
        open(os.path.join(root, "d%03d" % d, "p%03d.json" % f), "w").write("{}")
PY
pacc import -o "$I/out-many" "$I/many"
if [ "$rc" -eq 1 ] && grep -q 'error\[E0911\]: more than 10000 JSON files below' "$T/err" && [ ! -e "$I/out-many" ]; then ok "more than 10,000 files: E0911, nothing written"; else nok "more than 10,000 files: E0911, nothing written" "exit $rc"; fi
deep="$I/deep"
for _ in $(seq 1 66); do deep="$deep/d"; done
mkdir -p "$deep"
policy_json "Deep" >"$deep/p.json"
pacc import -o "$I/out-deep" "$I/deep"
if [ "$rc" -eq 1 ] && grep -q 'error\[E0911\]: directory nested more than 64 levels' "$T/err"; then ok "a tree deeper than 64 levels: E0911"; else nok "a tree deeper than 64 levels: E0911" "exit $rc"; fi

# What Azure itself refuses is an error at the JSON it came from: the import
# never writes a pack that `pacc build` then refuses.
printf '{\n  "name": "undeclared",\n  "properties": {"displayName": "U", "mode": "All", "policyRule": {"if": {"field": "type", "equals": "[parameters('"'"'nope'"'"')]"}, "then": {"effect": "deny"}}}\n}\n' >"$I/undeclared.json"
pacc import -o "$I/out-und" "$I/undeclared.json"
if [ "$rc" -eq 1 ] && grep -q "undeclared.json:2:11: error\[E0915\]: this definition would not build: policy 'undeclared' has no parameter 'nope' \[E0312\]" "$T/err" && [ ! -e "$I/out-und" ]; then ok "a definition Azure refuses: E0915 at its JSON, nothing written"; else nok "a definition Azure refuses: E0915 at its JSON, nothing written" "exit $rc"; fi

# The same name in two files of one directory: E0914 at both.
mkdir -p "$I/dup/public" "$I/dup/sovereign"
for d in public sovereign; do printf '{"name": "Same", "properties": {"displayName": "%s", "mode": "All", "policyRule": {"if": {"field": "type", "equals": "a"}, "then": {"effect": "deny"}}}}\n' "$d" >"$I/dup/$d/p.json"; done
pacc import -o "$I/out-dup" "$I/dup"
if [ "$rc" -eq 1 ] && grep -q "sovereign/p.json:1:10: error\[E0914\]: policy 'Same' is defined twice in one import" "$T/err" && grep -q "public/p.json:1:10: note: 'Same' first defined here" "$T/err"; then ok "a name defined twice in one directory: E0914 located in both files"; else nok "a name defined twice in one directory: E0914 located in both files" "exit $rc"; fi

# Two folder-per-policy files given one by one do not collide on azurepolicy.pacc.
mkdir -p "$I/one/Deny A" "$I/one/Deny B"
policy_json "A" >"$I/one/Deny A/azurepolicy.json"
policy_json "B" >"$I/one/Deny B/azurepolicy.json"
pacc import -o "$I/out-one" "$I/one/Deny A/azurepolicy.json" "$I/one/Deny B/azurepolicy.json"
if [ "$rc" -eq 0 ] && [ -f "$I/out-one/deny-a.pacc" ] && grep -q '^policy "Deny B"' "$I/out-one/deny-b.pacc"; then ok "azurepolicy.json files are named after their folders"; else nok "azurepolicy.json files are named after their folders" "exit $rc"; fi

# ALZ and EPAC file names: the suffix stays out of the pack name; .jsonc comments are fine.
mkdir -p "$I/alz"
printf '{"name": "Deny-RDP", "properties": {"displayName": "R", "mode": "All", "policyRule": {"if": {"field": "type", "equals": "a"}, "then": {"effect": "deny"}}}}\n' >"$I/alz/Deny-RDP.alz_policy_definition.json"
printf '// EPAC\n{"name": "tag", /* x */ "properties": {"displayName": "T", "mode": "All", "policyRule": {"if": {"field": "type", "equals": "a"}, "then": {"effect": "deny",},},},}\n' >"$I/alz/tag.jsonc"
pacc import -o "$I/out-alz" "$I/alz/Deny-RDP.alz_policy_definition.json" "$I/alz/tag.jsonc"
if [ "$rc" -eq 0 ] && [ -f "$I/out-alz/deny-rdp.pacc" ] && [ -f "$I/out-alz/tag.pacc" ]; then ok "ALZ suffixes do not leak into pack names; a .jsonc with comments imports"; else nok "ALZ suffixes do not leak into pack names; a .jsonc with comments imports" "exit $rc: $(ls "$I/out-alz" 2>/dev/null)"; fi
