"""The peer for benches/propagate.rs: python-sgp4's vectorised C++ `SatrecArray` over the same
active catalog, replicated the same way (30k and 100k objects, one instant per call).

Usage: python3 benches/python_sgp4_peer.py ../shared/data/celestrak-gp/active_2026-08-22/active.csv
Prints propagations per second (the best of several runs; SatrecArray is single-threaded).
"""
import csv
import sys
import time

import numpy as np
import sgp4
from sgp4 import omm
from sgp4.api import Satrec, SatrecArray, jday


def main(path):
    rows = list(csv.DictReader(open(path)))
    base = []
    for row in rows:
        satrec = Satrec()
        omm.initialize(satrec, row)
        base.append((satrec, row))
    jd, fr = jday(2026, 8, 22, 12, 0, 0)
    print(f"python-sgp4 {sgp4.__version__}, accelerated={sgp4.api.accelerated}")
    for count in (30_000, 100_000):
        satrecs = []
        for i in range(count):
            satrec, row = base[i % len(base)]
            copy = i // len(base)
            if copy:
                row = dict(row, MEAN_ANOMALY=str((float(row["MEAN_ANOMALY"]) + 37.0 * copy) % 360.0))
                satrec = Satrec()
                omm.initialize(satrec, row)
            satrecs.append(satrec)
        array = SatrecArray(satrecs)
        jds, frs = np.array([jd]), np.array([fr])
        best = float("inf")
        for _ in range(15):
            start = time.perf_counter()
            array.sgp4(jds, frs)
            best = min(best, time.perf_counter() - start)
        print(f"{count} objects: {best * 1e3:.2f} ms per call, {count / best / 1e6:.2f} M propagations/s")


if __name__ == "__main__":
    main(sys.argv[1])
