#!/usr/bin/env python3
"""`make bench`: how fast pacc is at every size, in one table.

usage: run.py PACC [--quick]

Inputs come from tests/bench/gen.py (seeded, so every run measures the same
bytes), the built-in corpus in ../shared/corpus/azure-policy when present
(one directory of its 3,601 uniquely named definitions), and policies/.
Each row runs a fresh `pacc` process several times and prints the median
wall and CPU time, the throughput in MB/s of input, the peak RSS (from
wait4's rusage) and the time of each pass from `pacc --time-passes`.
Builds write into a directory that does not exist, so every run writes
every file: the tree of the run before is set aside by a rename and all of
them are removed after the table (on an ext4 file system without a journal,
creating a file within 30 s of many deletions scans past the freed inodes,
so deleting between runs would measure the bench's own deletions).
After the table: the ratios the targets are stated in, including the
corpus against `jq -c .` over the same files, measured in the same run,
and the callgrind instruction count of the Data Factory build, the
figure that does not depend on the machine's load.

Environment: BENCH_DIR (default build/bench) holds the generated inputs,
which are kept between runs; BENCH_BIG=1 adds the build of a library of
100,000 policies with --max-file-size (writing 100,000 files takes minutes
on a slow disk).
"""
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
GEN = os.path.join(HERE, "gen.py")
CORPUS = os.path.join(ROOT, "..", "shared", "corpus", "azure-policy", "policyDefinitions")
# Inputs made by an older gen.py are made again (raise on every change to it).
GEN_STAMP = ".done-2"
PASSES = ("lex+parse", "check", "generate", "write", "import")


SET_ASIDE = []


def set_aside(path):
    """Moves the tree at path out of the way without freeing its inodes (see the
    module's docstring); remove_set_aside() removes them all at the end."""
    if os.path.lexists(path):
        aside = f"{path}.aside-{len(SET_ASIDE)}"
        shutil.rmtree(aside, ignore_errors=True)
        os.rename(path, aside)
        SET_ASIDE.append(aside)


def remove_set_aside():
    for path in SET_ASIDE:
        shutil.rmtree(path, ignore_errors=True)
    SET_ASIDE.clear()


def run_once(argv, out_dir=None, allow=(0,)):
    """Runs argv once; returns (wall s, cpu s, peak RSS bytes, {pass: ms}).  An exit
    status outside allow ends the bench."""
    if out_dir:
        set_aside(out_dir)
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = proc.stderr.read()
    _, status, ru = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    passes = {}
    for m in re.finditer(rb"time-passes: (\S+)\s+([0-9.]+) ms wall", err):
        passes[m.group(1).decode()] = float(m.group(2))
    if proc.returncode not in allow:
        sys.stderr.write(err.decode(errors="replace")[-2000:])
        sys.exit(f"bench: {' '.join(argv)} exited with {proc.returncode}")
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss * 1024, passes


def measure(argv, runs, out_dir=None, allow=(0,)):
    results = [run_once(argv, out_dir, allow) for _ in range(runs)]
    walls = [r[0] for r in results]
    med = statistics.median(walls)
    passes = {p: statistics.median([r[3].get(p, 0.0) for r in results]) for p in PASSES}
    return {"wall": med, "cpu": statistics.median([r[1] for r in results]),
            "rss": max(r[2] for r in results), "passes": passes, "runs": runs}


def size_of(paths):
    total = 0
    for p in paths:
        if os.path.isdir(p):
            for d, _, fs in os.walk(p):
                total += sum(os.path.getsize(os.path.join(d, f)) for f in fs)
        else:
            total += os.path.getsize(p)
    return total


def generate(bench, kind, n, name=None):
    path = os.path.join(bench, name or f"{kind}-{n}" + ("" if kind == "files" else ".pacc"))
    stamp = path + GEN_STAMP
    if not os.path.exists(stamp):
        shutil.rmtree(path, ignore_errors=True)
        subprocess.run([sys.executable, GEN, kind, str(n), path], check=True)
        open(stamp, "w").close()
    return path


def flat_corpus(bench):
    """One directory of the corpus' definitions, the first file of each name."""
    import json
    out = os.path.join(bench, "corpus-flat")
    stamp = out + ".done"
    if os.path.exists(stamp):
        return out
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    seen = set()
    n = 0
    for d, dirs, fs in os.walk(CORPUS):
        dirs.sort()
        for f in sorted(fs):
            if not f.endswith(".json"):
                continue
            with open(os.path.join(d, f), "rb") as fh:
                data = fh.read()
            name = json.loads(data).get("name")
            if name in seen:
                continue
            seen.add(name)
            n += 1
            with open(os.path.join(out, f"{n:05d}.json"), "wb") as fh:
                fh.write(data)
    open(stamp, "w").close()
    return out


class Table:
    def __init__(self):
        self.rows = []

    def add(self, label, nbytes, m):
        self.rows.append((label, nbytes, m))
        return m

    def print(self):
        head = (f"{'row':<34} {'input MB':>8} {'runs':>4} {'wall ms':>9} {'cpu ms':>9} {'MB/s':>7} "
                f"{'RSS MB':>7} {'parse':>8} {'check':>8} {'gen':>8} {'write':>8} {'import':>8}")
        print(head)
        print("-" * len(head))
        for label, nbytes, m in self.rows:
            mb = nbytes / 1e6
            p = m["passes"]
            cells = " ".join(f"{p[k]:8.1f}" if p[k] else f"{'-':>8}" for k in PASSES)
            print(f"{label:<34} {mb:8.2f} {m['runs']:4d} {m['wall'] * 1e3:9.1f} {m['cpu'] * 1e3:9.1f} "
                  f"{mb / m['wall']:7.1f} {m['rss'] / 2**20:7.1f} {cells}")
        sys.stdout.flush()


def callgrind_instructions(argv):
    if not shutil.which("valgrind"):
        return None
    out = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"] + argv,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    m = re.search(rb"Collected : (\d+)", out.stderr)
    return int(m.group(1)) if m else None


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    pacc = os.path.abspath(argv[1])
    quick = "--quick" in argv
    big = os.environ.get("BENCH_BIG") == "1"
    bench = os.path.abspath(os.environ.get("BENCH_DIR", os.path.join(ROOT, "build", "bench")))
    os.makedirs(bench, exist_ok=True)
    out = os.path.join(bench, "out")
    small, mid, one = (3, 1, 1) if quick else (11, 5, 3)
    tp = [pacc, "--time-passes"]
    t = Table()
    ratios = {}

    # the shipped packs
    df = os.path.join(ROOT, "policies", "azure-data-factory.pacc")
    packs = sorted(os.path.join(ROOT, "policies", f) for f in os.listdir(os.path.join(ROOT, "policies"))
                   if f.endswith(".pacc"))
    for p in packs:
        name = os.path.basename(p)[:-5]
        t.add(f"{name} check", size_of([p]), measure(tp + ["check", p], small))
        m = t.add(f"{name} build", size_of([p]), measure(tp + ["build", "-o", out, p], small, out))
        if p == df:
            ratios["df_build"] = m["wall"]
    m = t.add("azure-data-factory check", size_of([df]), measure([pacc, "check", df], small))
    ratios["df_check"] = m["wall"]
    shm = "/dev/shm"
    if os.path.isdir(shm) and os.access(shm, os.W_OK):
        # the same build into memory: pacc's own cost without the disk's
        tmp_out = os.path.join(shm, f"pacc-bench-{os.getpid()}")
        m = t.add("azure-data-factory build to tmpfs", size_of([df]),
                  measure([pacc, "build", "-o", tmp_out, df], small, tmp_out))
        set_aside(tmp_out)
        ratios["df_build_tmpfs"] = m["wall"]
    run_once([pacc, "build", "-o", out, df], out)
    t.add("azure-data-factory rebuild (same)", size_of([df]), measure(tp + ["build", "-o", out, df], small))
    t.add("all shipped packs build", size_of(packs), measure(tp + ["build", "-o", out] + packs, small, out))

    # synthetic packs.  A service pack makes one initiative, which Azure caps
    # at 1,000 policies (E0334), so only the pack of 1,000 recommendations
    # builds; the larger ones measure `check`, which reports that one error
    # (exit 1) after doing all its work.  One pack of many policies is the
    # policy library; many recommendations in one build are ten packs.
    for n in (1000, 10000, 100000):
        p = generate(bench, "recs", n)
        opts = ["--max-file-size=256"] if n > 10000 else []
        runs = mid if n <= 1000 else one
        m = t.add(f"recs {n} check", size_of([p]), measure(tp + opts + ["check", p], runs,
                                                              allow=(0,) if n <= 1000 else (0, 1)))
        ratios[f"recs{n}_check"] = (m, size_of([p]))
    p = generate(bench, "recs", 1000)
    ratios["recs1000_build"] = t.add("recs 1000 build", size_of([p]),
                                     measure(tp + ["build", "-o", out, p], mid, out))
    ten = []
    for k in range(10):
        dst = os.path.join(bench, f"ten-{k}.pacc")
        shutil.copyfile(p, dst)  # a copy: the pack of 1,000 may have been made again
        ten.append(dst)
    ratios["ten_build"] = t.add("ten packs of 1000 recs, one build", size_of(ten),
                                measure(tp + ["build", "-o", out] + ten, one, out))
    for n in (1000, 10000, 100000) if big else (1000, 10000):
        p = generate(bench, "lib", n)
        opts = ["--max-file-size=256"] if n > 10000 else []
        if n == 10000:
            t.add(f"library of {n} policies check", size_of([p]), measure(tp + ["check", p], one))
        m = t.add(f"library of {n} policies build", size_of([p]),
                  measure(tp + opts + ["build", "-o", out, p], mid if n <= 1000 else one, out))
        ratios[f"lib{n}_build"] = (m, size_of([p]))

    # one dimension at a time, doubling
    doubling = {"harden": (10000, 20000, 40000, 80000), "params": (8000, 16000, 32000),
                "inputs": (4000, 8000, 16000, 32000)}
    labels = {"harden": "harden set paths", "params": "parameters in one policy", "inputs": "inputs"}
    for kind, sizes in doubling.items():
        for n in sizes:
            p = generate(bench, kind, n)
            # over 400 parameters is E0333 (Azure's limit), reported once; check goes on
            allow = (0, 1) if kind == "params" else (0,)
            m = t.add(f"{labels[kind]} {n} check", size_of([p]), measure(tp + ["check", p], one,
                                                                         allow=allow))
            ratios.setdefault(kind, []).append((n, m["cpu"]))
    # pacc import takes at most 10,000 files below one directory (E0911)
    for n in (1250, 2500, 5000, 10000):
        d = generate(bench, "files", n)
        imp = os.path.join(bench, "imported")
        m = t.add(f"files in one directory {n} import", size_of([d]),
                  measure(tp + ["--max-file-size=64", "import", "-o", imp, d], one, imp))
        ratios.setdefault("files", []).append((n, m["cpu"]))

    # the built-in corpus
    jq = None
    if os.path.isdir(CORPUS):
        flat = flat_corpus(bench)
        files = sorted(os.path.join(flat, f) for f in os.listdir(flat))
        imp = os.path.join(bench, "corpus-imported")
        corpus_bytes = size_of([flat])
        mi = t.add(f"corpus import ({len(files)} definitions)", corpus_bytes,
                   measure(tp + ["import", "-o", imp, flat], mid, imp))
        run_once([pacc, "import", "-o", imp, flat], imp)
        pack = os.path.join(imp, "corpus-flat.pacc")
        mb = t.add("corpus build of the imported pack", size_of([pack]),
                   measure(tp + ["build", "-o", out, pack], one, out))
        if shutil.which("jq"):
            jq = t.add("jq -c . over the corpus files", corpus_bytes,
                       measure(["jq", "-c", "."] + files, mid))
        ratios["corpus"] = (mi, mb, jq)
    t.print()

    # the targets
    print()

    def line(what, value, target, ok):
        print(f"{what:<58} {value:>14} {target:>14}  {'met' if ok else 'NOT MET'}")

    print(f"{'target':<58} {'measured':>14} {'wanted':>14}")
    line("Data Factory build, wall (median)", f"{ratios['df_build'] * 1e3:.1f} ms", "< 5 ms",
         ratios["df_build"] < 0.005)
    if "df_build_tmpfs" in ratios:
        line("Data Factory build into tmpfs, wall (median)", f"{ratios['df_build_tmpfs'] * 1e3:.1f} ms",
             "< 5 ms", ratios["df_build_tmpfs"] < 0.005)
    line("Data Factory check, wall (median)", f"{ratios['df_check'] * 1e3:.1f} ms", "< 2 ms",
         ratios["df_check"] < 0.002)
    if "corpus" in ratios:
        mi, mb, jqm = ratios["corpus"]
        line("corpus import, wall", f"{mi['wall']:.2f} s", "< 0.5 s", mi["wall"] < 0.5)
        if jqm:
            r = (mi["wall"] + mb["wall"]) / jqm["wall"]
            line("corpus import + build / jq -c . (wall)", f"{r:.2f}", "<= 1.0", r <= 1.0)
            rc = (mi["cpu"] + mb["cpu"]) / jqm["cpu"]
            line("corpus import + build / jq -c . (cpu)", f"{rc:.2f}", "<= 1.0", rc <= 1.0)
    m, nb = ratios["recs10000_check"]
    line("10,000 recommendations through check (wall)", f"{nb / 1e6 / m['wall']:.0f} MB/s", ">= 100 MB/s",
         nb / 1e6 / m["wall"] >= 100)
    line("10,000 recommendations through check (cpu)", f"{nb / 1e6 / m['cpu']:.0f} MB/s", ">= 100 MB/s",
         nb / 1e6 / m["cpu"] >= 100)
    b10, n10 = ratios["lib10000_build"]
    b1, _ = ratios["lib1000_build"]
    r1 = ratios["recs1000_build"]
    for unit in ("wall", "cpu"):
        line(f"build of 10,000 / 1,000 policies, one pack ({unit})", f"{b10[unit] / b1[unit]:.1f}",
             "<= 11", b10[unit] / b1[unit] <= 11)
        tr = ratios["ten_build"][unit] / r1[unit]
        line(f"ten packs of 1,000 recs / one pack of 1,000 ({unit})", f"{tr:.1f}", "<= 11", tr <= 11)
    if "lib100000_build" in ratios:
        b100, _ = ratios["lib100000_build"]
        for unit in ("wall", "cpu"):
            line(f"build of 100,000 / 10,000 policies ({unit})", f"{b100[unit] / b10[unit]:.1f}",
                 "<= 11", b100[unit] / b10[unit] <= 11)
    limit = 2 * n10 + 16 * 2**20
    line("peak RSS, build of a library of 10,000 policies", f"{b10['rss'] / 2**20:.0f} MB",
         f"<= {limit / 2**20:.0f} MB", b10["rss"] <= limit)
    nt = size_of(ten)
    tlimit = 2 * nt + 16 * 2**20
    line("peak RSS, build of ten packs of 1,000 recs", f"{ratios['ten_build']['rss'] / 2**20:.0f} MB",
         f"<= {tlimit / 2**20:.0f} MB", ratios["ten_build"]["rss"] <= tlimit)
    c10, n10 = ratios["recs10000_check"]
    limit = 2 * n10 + 16 * 2**20
    c10, _ = ratios["recs10000_check"]
    line("peak RSS, check of 10,000 recommendations", f"{c10['rss'] / 2**20:.0f} MB",
         f"<= {limit / 2**20:.0f} MB", c10["rss"] <= limit)
    for kind in ("harden", "params", "inputs", "files"):
        rows = ratios[kind]
        worst = max(rows[i + 1][1] / rows[i][1] for i in range(len(rows) - 1))
        line(f"{kind}: worst cpu ratio per doubling ({rows[0][0]}..{rows[-1][0]})", f"{worst:.2f}",
             "~2 (linear)", worst < 3)

    shutil.rmtree(os.path.join(bench, "cg-out"), ignore_errors=True)
    ir = callgrind_instructions([pacc, "build", "-o", os.path.join(bench, "cg-out"), df])
    shutil.rmtree(os.path.join(bench, "cg-out"), ignore_errors=True)
    if ir:
        print(f"\ncallgrind: Data Factory build (fresh output directory): {ir:,} instructions")
    ir = callgrind_instructions([pacc, "check", df])
    if ir:
        print(f"callgrind: Data Factory check: {ir:,} instructions")


if __name__ == "__main__":
    try:
        main(sys.argv)
    finally:
        remove_set_aside()
