"""Derives assets/earth/borders_110m.txt from Natural Earth via the npm package world-atlas
2.0.2 (`countries-110m.json`, TopoJSON): every arc (coastlines and land borders, each once)
decoded to longitude/latitude in degrees, rounded to 0.01°. One polyline per line:
`lon,lat lon,lat ...`.

Usage: python3 make_borders.py path/to/countries-110m.json > borders_110m.txt
"""
import json
import sys


def main(path):
    topology = json.load(open(path))
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append(f"{x * sx + tx:.2f},{y * sy + ty:.2f}")
        if len(points) >= 2:
            print(" ".join(points))


if __name__ == "__main__":
    main(sys.argv[1])
