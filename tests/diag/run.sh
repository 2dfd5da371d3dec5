#!/usr/bin/env bash
# Every diagnostic pacc can emit, in the machine formats: each case in
# tests/diag/cases is a broken pack (or JSON input) named after the code it
# must produce.  The script runs them (and the few cases that need a huge
# file, a run cut short or import arguments) with --diagnostics-format=sarif
# and =github, checks that every code of pacc's rule table fired somewhere,
# that every SARIF result and every annotation is well formed, and, when
# ../shared/tools/validate-sarif is present, that Microsoft's SARIF validator
# finds no error in any of the logs.
#
# usage: tests/diag/run.sh PACC      (run from the project root)
set -u

if [ $# -ne 1 ]; then
	echo "usage: tests/diag/run.sh PACC" >&2
	exit 2
fi
PACC=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
VALIDATE=${VALIDATE_SARIF:-../shared/tools/validate-sarif}
T=$(mktemp -d "${TMPDIR:-/tmp}/pacc-diag.XXXXXX")
trap 'rm -rf "$T"' EXIT

. "$(dirname "$0")/../lib.sh"

# The inputs, with relative names as a CI job passes them.
mkdir -p "$T/in"
cp tests/diag/cases/* "$T/in/"
cd "$T/in" || exit 2
# E0009: a file over 16 MiB; E0904 to E0907: arguments of pacc import.
head -c 17000000 /dev/zero | tr '\0' ' ' >E0009.pacc
# E0333 to E0335: Azure's limits, too large to keep as files.
python3 - <<'PY'
policy = 'policy "%s" {\n  display "P"\n  mode Indexed\n  effect audit\n%s  if {\n%s  }\n}\n'
params = ''.join('  param p%d String = "x"\n' % k for k in range(401))
uses = ''.join('    value "[parameters(\'p%d\')]" equals "x"\n' % k for k in range(401))
open('E0333.pacc', 'w').write(policy % ('p', params, uses))
refs = ''.join('  reference "r%d" -> "p" { }\n' % k for k in range(1001))
open('E0334.pacc', 'w').write(policy % ('p', '', '    field "name" equals "x"\n') +
                              'initiative "i" {\n  display "I"\n' + refs + '}\n')
values = ',\n'.join('      "v%07d-abcdefghij"' % k for k in range(60000))
open('E0335.pacc', 'w').write(policy % ('p', '', '    field "location" in [\n' + values + '\n    ]\n'))
PY
mkdir -p empty a/Net b/Net big
valid='{"properties": {"displayName": "x", "mode": "All", "policyRule": {"if": {"field": "type", "equals": "a"}, "then": {"effect": "audit"}}}}'
printf '%s\n' "$valid" >a/Net/x.json
printf '%s\n' "$valid" >b/Net/x.json
for k in 0 1; do
	{
		printf '{"properties": {"displayName": "x%s", "mode": "All", "description": "' "$k"
		head -c 9000000 /dev/zero | tr '\0' 'x'
		printf '", "policyRule": {"if": {"field": "type", "equals": "a"}, "then": {"effect": "audit"}}}}\n'
	} >big/p$k.json
done

# E0910 to E0915: a directory tree with a link, split parts, a flat definition, one name
# twice, too deep a tree, and a definition Azure refuses.
mkdir -p tree/split tree/one tree/two deep
printf '%s\n' "$valid" >tree/p.json
ln -s . tree/self
printf '%s\n' "$valid" >tree/split/azurepolicy.json
printf '{"if": {"field": "type", "equals": "a"}, "then": {"effect": "audit"}}\n' >tree/split/azurepolicy.rules.json
printf '{"name": "flat", "displayName": "f", "mode": "All", "policyRule": {"if": {"field": "type", "equals": "a"}, "then": {"effect": "audit"}}}\n' >tree/flat.json
for d in one two; do printf '{"name": "same", "properties": {"displayName": "s", "mode": "All", "policyRule": {"if": {"field": "type", "equals": "a"}, "then": {"effect": "audit"}}}}\n' >tree/$d/x.json; done
d=deep
for _ in $(seq 1 66); do d=$d/d; done
mkdir -p "$d"
printf '%s\n' "$valid" >"$d/p.json"
printf '{"name": "und", "properties": {"displayName": "u", "mode": "All", "policyRule": {"if": {"field": "type", "equals": "[parameters(\x27nope\x27)]"}, "then": {"effect": "audit"}}}}\n' >E0915.json

# runs NAME ARGS...: one pacc run in both machine formats, into $T/NAME.sarif and $T/NAME.github.
runs() {
	local name=$1
	shift
	"$PACC" "$@" --diagnostics-format=sarif 2>"$T/$name.sarif" >/dev/null
	"$PACC" "$@" --diagnostics-format=github 2>"$T/$name.github" >/dev/null
}
runs packs check --max-errors=0 ./*.pacc
runs stop check --max-errors=1 E0320.pacc
runs import import -o "$T/out" ./*.json empty missing.json big
runs clash import -o "$T/out" a/Net b/Net
runs tree import -o "$T/out" tree deep
runs size build -o "$T/size" E0335.pacc
# E0515: a test fixture that cannot be read, found only by pacc test.
runs fixtures test E0515.pacc
# E0501 to E0506 need an alias table; E0951 to E0953 are about a broken one.
runs aliases check --max-errors=0 --aliases aliases.table E050?.pacc
runs csv check --aliases E0951.csv E0501.pacc
runs lock check --aliases E0952.lock E0501.pacc
runs dup check --aliases E0953.csv E0501.pacc
logs=("$T/packs.sarif" "$T/stop.sarif" "$T/import.sarif" "$T/clash.sarif" "$T/tree.sarif" "$T/size.sarif" "$T/fixtures.sarif"
	"$T/aliases.sarif" "$T/csv.sarif" "$T/lock.sarif" "$T/dup.sarif")
# Microsoft's validator takes tens of seconds per log: it checks these, and one
# manifest log (the rest share its shape).
validated=("${logs[@]}" "$T/E1013.sarif")
# E1001 to E1022: project manifests, on a fixed day for the exemptions' expiry.
for m in E10*.yaml; do
	SOURCE_DATE_EPOCH=1796083200 runs "${m%.yaml}" build --manifest "$m" -o "$T/mout"
	logs+=("$T/${m%.yaml}.sarif")
done

# Structure and coverage of the SARIF logs, read with Python's json module.
if report=$(python3 - "${logs[@]}" <<'EOF' 2>&1
import json, re, sys
fired = {}
rules = None
problems = []
for path in sys.argv[1:]:
    log = json.load(open(path, encoding='utf-8'))
    assert log['version'] == '2.1.0' and len(log['runs']) == 1, path
    run = log['runs'][0]
    if run.get('columnKind') != 'unicodeCodePoints':
        problems.append('%s: columnKind is %r' % (path, run.get('columnKind')))
    ids = [r['id'] for r in run['tool']['driver']['rules']]
    if rules is None:
        rules = ids
    elif rules != ids:
        problems.append('%s: the rules differ from the first log' % path)
    for r in run['tool']['driver']['rules']:
        for key in ('shortDescription', 'fullDescription', 'help'):
            if not r[key]['text'].strip():
                problems.append('rule %s: empty %s' % (r['id'], key))
    for res in run['results']:
        code = res['ruleId']
        if ids[res['ruleIndex']] != code:
            problems.append('%s: ruleIndex of %s points at %s' % (path, code, ids[res['ruleIndex']]))
        if res['level'] not in ('error', 'warning', 'note'):
            problems.append('%s: level %r' % (code, res['level']))
        where = None
        for loc in res.get('locations', []) + res.get('relatedLocations', []):
            art = loc['physicalLocation']['artifactLocation']
            reg = loc['physicalLocation']['region']
            if art.get('uriBaseId') != '%SRCROOT%' or art['uri'].startswith(('/', '.', 'file:')):
                problems.append('%s: artifact %r is not relative to %%SRCROOT%%' % (code, art))
            if min(reg.values()) < 1 or (reg['endLine'], reg['endColumn']) <= (reg['startLine'], reg['startColumn']):
                problems.append('%s: bad region %r' % (code, reg))
            where = where or art['uri']
        fired.setdefault(code, set()).add(where)
for code in rules:
    if code not in fired:
        problems.append('no case produces %s' % code)
    elif not code.startswith('E09') and code not in ('E0003',) and not any(w and w.startswith(code + '.') for w in fired[code]):
        problems.append('%s does not come from its own case file (%s)' % (code, sorted(map(str, fired[code]))))
print('%d rules, %d codes fired' % (len(rules), len(fired)))
if problems:
    print('\n'.join(problems))
    sys.exit(1)
EOF
); then
	ok "every code fires and every SARIF result is well formed ($report)"
else
	nok "every code fires and every SARIF result is well formed" "$report"
fi

# The annotations: one workflow command per record, properties as the runner parses them.
records=$(python3 -c 'import json,sys; print(sum(len(json.load(open(p))["runs"][0]["results"]) for p in sys.argv[1:]))' "${logs[@]}")
lines=$(cat "$T"/*.github | grep -c '^::')
bad=$(cat "$T"/*.github | grep '^::' | grep -Ev '^::(error|warning|notice) (file=[^,:]+,line=[1-9][0-9]*,col=[1-9][0-9]*,endLine=[1-9][0-9]*,endColumn=[1-9][0-9]*,)?title=E[0-9]{4}::[^[:cntrl:]]+$' | head -3)
if [ "$records" = "$lines" ] && [ -z "$bad" ]; then
	ok "github: one well-formed annotation per record ($lines)"
else
	nok "github: one well-formed annotation per record" "$records records, $lines annotations" "$bad"
fi
if grep -q '^::warning file=E0205.pacc,line=' "$T/packs.github" && grep -q '^::error title=E0905::' "$T/import.github"; then
	ok "github: warnings are ::warning, a record about no place has only a title"
else
	nok "github: warnings are ::warning, a record about no place has only a title"
fi

cd - >/dev/null || exit 2
if [ ! -x "$VALIDATE" ]; then
	echo "skip validate-sarif: $VALIDATE is not present"
else
	"$VALIDATE" "${validated[@]}" >"$T/validate.out" 2>&1
	vrc=$?
	if [ $vrc -eq 0 ]; then
		ok "validate-sarif finds no error in ${#logs[@]} logs ($(grep -c ': warning ' "$T/validate.out") warning(s))"
	elif [ $vrc -eq 2 ]; then
		echo "skip validate-sarif: it could not run (node/npm missing?): $(tail -1 "$T/validate.out")"
	else
		nok "validate-sarif finds no error" "$(grep -v ': warning ' "$T/validate.out" | head -10)"
	fi
fi

finish
