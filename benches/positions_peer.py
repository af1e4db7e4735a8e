"""`orbitscope positions` end to end beside what a Python user writes instead, in one run.

Both read the same 100 000-object OMM CSV (the active catalog replicated, each copy with its
own NORAD number and mean anomaly shifted, as the Rust benches do), propagate every object
with SGP4 to one instant, convert TEME to WGS-84 latitude/longitude/altitude, and write the
same twelve CSV columns. Python: python-sgp4's C++ `SatrecArray`, numpy for the frames, the
csv module for output. OrbitScope: the release binary, as a user runs it (process start,
parse, join, propagate, frames, CSV to a file).

Usage (from the repository root, after `cargo build --release`):
  python3 benches/positions_peer.py ../shared/data/celestrak-gp/active_2026-08-22/active.csv
Needs: python-sgp4 2.x and numpy (pip install sgp4 numpy).
"""
import csv
import math
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
from sgp4 import omm
from sgp4.api import Satrec, SatrecArray, jday

AT = (2026, 8, 22, 12, 0, 0.0)
AT_TEXT = "2026-08-22T12:00:00Z"
COUNT = 100_000
COLUMNS = ["norad_id", "object_id", "name", "lat_deg", "lon_deg", "alt_km",
           "x_km", "y_km", "z_km", "vx_km_s", "vy_km_s", "vz_km_s"]


def replicate(source, target, count):
    rows = list(csv.DictReader(open(source)))
    with open(target, "w", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0].keys()))
        writer.writeheader()
        for i in range(count):
            row = dict(rows[i % len(rows)])
            copy = i // len(rows)
            if copy:
                row["NORAD_CAT_ID"] = str(100_000 + i)
                row["MEAN_ANOMALY"] = str((float(row["MEAN_ANOMALY"]) + 37.0 * copy) % 360.0)
            writer.writerow(row)


def gmst_rad(jd_ut1):
    # IAU-1982 GMST, as Vallado's gstime (what OrbitScope uses for TEME → Earth-fixed).
    t = (jd_ut1 - 2451545.0) / 36525.0
    seconds = (-6.2e-6 * t ** 3 + 0.093104 * t ** 2
               + (876600.0 * 3600 + 8640184.812866) * t + 67310.54841)
    return math.fmod(seconds * math.pi / 180.0 / 240.0, 2 * math.pi)


def python_positions(path, output):
    start = time.perf_counter()
    rows = list(csv.DictReader(open(path)))
    satrecs = []
    for row in rows:
        satrec = Satrec()
        omm.initialize(satrec, row)
        satrecs.append(satrec)
    parsed = time.perf_counter()
    jd, fr = jday(*AT)
    errors, r, v = SatrecArray(satrecs).sgp4(np.array([jd]), np.array([fr]))
    r, v, ok = r[:, 0, :], v[:, 0, :], errors[:, 0] == 0
    propagated = time.perf_counter()
    theta = gmst_rad(jd + fr)
    c, s = math.cos(theta), math.sin(theta)
    x, y, z = c * r[:, 0] + s * r[:, 1], -s * r[:, 0] + c * r[:, 1], r[:, 2]
    a, f = 6378.137, 1 / 298.257223563
    e2 = f * (2 - f)
    p = np.hypot(x, y)
    lat = np.arctan2(z, p * (1 - e2))
    for _ in range(5):
        n = a / np.sqrt(1 - e2 * np.sin(lat) ** 2)
        alt = p / np.cos(lat) - n
        lat = np.arctan2(z, p * (1 - e2 * n / (n + alt)))
    lon = np.degrees(np.arctan2(y, x))
    lat = np.degrees(lat)
    framed = time.perf_counter()
    with open(output, "w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        for i, row in enumerate(rows):
            if not ok[i]:
                continue
            writer.writerow([row["NORAD_CAT_ID"], row["OBJECT_ID"], row["OBJECT_NAME"],
                             f"{lat[i]:.6f}", f"{lon[i]:.6f}", f"{alt[i]:.6f}",
                             f"{r[i, 0]:.8f}", f"{r[i, 1]:.8f}", f"{r[i, 2]:.8f}",
                             f"{v[i, 0]:.9f}", f"{v[i, 1]:.9f}", f"{v[i, 2]:.9f}"])
    written = time.perf_counter()
    return written - start, {
        "parse + init": parsed - start,
        "sgp4": propagated - parsed,
        "frames": framed - propagated,
        "csv": written - framed,
    }


def compare(ours_path, python_path):
    """Largest absolute difference per quantity between the two CSVs, matched on NORAD number:
    the same objects must come out at the same places (python-sgp4 is Vallado's C++ code)."""
    def rows(path):
        return {row["norad_id"]: row for row in csv.DictReader(open(path))}
    ours, theirs = rows(ours_path), rows(python_path)
    common = ours.keys() & theirs.keys()
    if len(common) != len(ours) or len(common) != len(theirs):
        raise SystemExit(f"the outputs list different objects: {len(ours)} vs {len(theirs)} rows, "
                         f"{len(common)} in both")
    def largest(columns, wrap=None):
        worst = 0.0
        for key in common:
            for column in columns:
                delta = abs(float(ours[key][column]) - float(theirs[key][column]))
                if wrap:
                    delta = min(delta, wrap - delta)
                worst = max(worst, delta)
        return worst
    return {
        "position (km)": largest(["x_km", "y_km", "z_km"]),
        "velocity (km/s)": largest(["vx_km_s", "vy_km_s", "vz_km_s"]),
        "latitude (deg)": largest(["lat_deg"]),
        "longitude (deg)": largest(["lon_deg"], wrap=360.0),
        "altitude (km)": largest(["alt_km"]),
    }


def orbitscope_positions(binary, path, output):
    start = time.perf_counter()
    with open(output, "w") as out:
        subprocess.run([binary, "positions", "--offline", "--gp", path, "--at", AT_TEXT],
                       stdout=out, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def best_of(runs, f):
    return min((f() for _ in range(runs)), key=lambda result: result[0] if isinstance(result, tuple) else result)


def main(source):
    binary = os.environ.get("ORBITSCOPE_BIN", "target/release/orbitscope")
    with tempfile.TemporaryDirectory() as work:
        path = os.path.join(work, "replicated.csv")
        replicate(source, path, COUNT)
        ours = best_of(3, lambda: orbitscope_positions(binary, path, os.path.join(work, "ours.csv")))
        theirs, stages = best_of(2, lambda: python_positions(path, os.path.join(work, "python.csv")))
        lines = [sum(1 for _ in open(os.path.join(work, name))) for name in ("ours.csv", "python.csv")]
        differences = compare(os.path.join(work, "ours.csv"), os.path.join(work, "python.csv"))
    print(f"{COUNT} objects, parse → SGP4 → lat/lon/alt → CSV (best of several runs):")
    print(f"  orbitscope positions: {ours * 1e3:8.1f} ms  ({lines[0] - 1} rows, process start included)")
    print(f"  python-sgp4 + numpy:  {theirs * 1e3:8.1f} ms  ({lines[1] - 1} rows; "
          + ", ".join(f"{name} {seconds * 1e3:.0f} ms" for name, seconds in stages.items()) + ")")
    print(f"  orbitscope is {theirs / ours:.1f}× faster")
    print("  largest difference between the two outputs, over the objects both wrote: "
          + ", ".join(f"{name} {value:.1e}" for name, value in differences.items()))
    # Measured: with the epoch set exactly (satrec.jdsatepoch/jdsatepochF from the EPOCH text)
    # the positions agree to ~5e-9 km, the printed resolution.
    print("  (python-sgp4's OMM reader keeps the epoch as days since 1949 in one double, a 0.3 µs"
          " step: up to ~3e-6 km at low-orbit speeds; OrbitScope keeps it to the nanosecond)")


if __name__ == "__main__":
    main(sys.argv[1])
