#!/usr/bin/env python3
"""Cold calls at microsecond resolution (GNU time's %e/%U/%S have 10 ms).

Runs `BINARY suggest --format jsonl QUERY` once per query line, one process
each, and prints the median wall ms and the median CPU (user+sys) ms of the
child, measured with time.perf_counter and os.wait4's rusage.

Usage: bench/cold.py BINARY QUERIES_FILE   (MEDCODER_CACHE_DIR as set). An
empty file measures the empty call, 15 times: `suggest --format jsonl` on an
empty stdin (process start, index open, Matcher::new, no search).
"""
import os
import statistics
import subprocess
import sys
import time


def once(argv):
    t = time.perf_counter()
    p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, ru = os.wait4(p.pid, 0)
    return (time.perf_counter() - t) * 1e3, (ru.ru_utime + ru.ru_stime) * 1e3


def main():
    binary, path = sys.argv[1], sys.argv[2]
    queries = [l.rstrip("\n") for l in open(path, encoding="utf-8")]
    cmd = [binary, "suggest", "--format", "jsonl"]
    if queries:
        runs = [once(cmd + [q]) for q in queries]
    else:
        runs = [once(cmd) for _ in range(15)]
    wall = statistics.median(r[0] for r in runs)
    cpu = statistics.median(r[1] for r in runs)
    print(f"{wall:.2f} {cpu:.2f}")


if __name__ == "__main__":
    main()
