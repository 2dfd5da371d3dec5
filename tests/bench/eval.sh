#!/usr/bin/env bash
# Benchmark, not a test: `pacc eval --resources` over a generated inventory of
# N resources (default 100000: factories, linked services and integration
# runtimes, half of them compliant) against the Data Factory pack.
#
#   bash tests/bench/eval.sh [PACC] [N]
#
# Prints the inventory size and the wall-clock seconds of the evaluation
# (the best of three runs).  The goal is under 2 seconds for 100,000.
# With EVAL_BENCH_KEEP=FILE the generated inventory is also copied to FILE,
# for profiling (/usr/bin/time -v, valgrind --tool=callgrind, perf record).
set -euo pipefail
pacc=${1:-build/pacc}
n=${2:-100000}
pack=policies/azure-data-factory.pacc
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

python3 - "$n" >"$tmp/inventory.json" <<'PY'
import json, sys
n = int(sys.argv[1])
sub = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg%d/providers/Microsoft.DataFactory/factories/adf%d"
out = []
for i in range(n):
    f = sub % (i % 97, i // 3)
    k = i % 3
    if k == 0:
        r = {"id": f, "name": "adf%d" % (i // 3), "type": "Microsoft.DataFactory/factories",
             "location": "westeurope",
             "identity": {"type": "SystemAssigned"} if i % 2 else None,
             "properties": {"publicNetworkAccess": "Disabled" if i % 2 else "Enabled",
                            "repoConfiguration": {"repositoryName": "r"} if i % 2 else None}}
    elif k == 1:
        r = {"id": f + "/linkedservices/ls%d" % i, "name": "ls%d" % i,
             "type": "Microsoft.DataFactory/factories/linkedservices",
             "properties": {"type": "AzureBlobFS" if i % 2 else "Ftp",
                            "typeProperties": {"url": "https://x"}}}
    else:
        r = {"id": f + "/integrationRuntimes/ir%d" % i, "name": "ir%d" % i,
             "type": "Microsoft.DataFactory/factories/integrationRuntimes",
             "properties": {"type": "Managed",
                            "managedVirtualNetwork": {"referenceName": "default"} if i % 2 else None,
                            "typeProperties": {"computeProperties": {"location": "AutoResolve"}}}}
    out.append({k2: v for k2, v in r.items() if v is not None})
json.dump(out, sys.stdout)
PY
if [ -n "${EVAL_BENCH_KEEP:-}" ]; then cp "$tmp/inventory.json" "$EVAL_BENCH_KEEP"; fi
echo "inventory: $n resources, $(wc -c <"$tmp/inventory.json") bytes"
best=
for _ in 1 2 3; do
	start=$(date +%s.%N)
	"$pacc" eval --definition "$pack" --resources "$tmp/inventory.json" --format json >"$tmp/report.json"
	end=$(date +%s.%N)
	t=$(echo "$end - $start" | bc)
	if [ -z "$best" ] || [ "$(echo "$t < $best" | bc)" = 1 ]; then best=$t; fi
done
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print("policies:", len(d["policies"]), " non-compliant findings:", sum(len(p["nonCompliantResources"]) for p in d["policies"]), " errors:", sum(p["errors"] for p in d["policies"]))' "$tmp/report.json"
printf 'eval --resources: %.2f s (best of 3)\n' "$best"
