#!/usr/bin/env python3
"""Makes assets/land-110m.bin, the land outline of the maps, from Natural Earth 1:110m.

Source: land-110m.json of the npm package world-atlas 2.0.2 (Mike Bostock, ISC licence), a
TopoJSON conversion of Natural Earth's 1:110m land polygons (public domain). Get it with
`npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz`, then run

    python3 scripts/make-land.py package/land-110m.json assets/land-110m.bin

Output (little-endian): the magic b"LAND", u32 ring count, then per ring a u32 point count and
that many (i16 lon, i16 lat) pairs in hundredths of a degree. Rings are the polygons' outer
boundaries and holes as the TopoJSON has them (lon in [-180, 180], lat in [-90, 90]).
Standard library only.
"""
import json
import struct
import sys


def decode_arcs(topo):
    """The TopoJSON arcs as lists of (lon, lat), undoing the quantisation and delta coding."""
    tr = topo.get("transform")
    arcs = []
    for arc in topo["arcs"]:
        pts, x, y = [], 0, 0
        for p in arc:
            if tr:
                x, y = x + p[0], y + p[1]
                pts.append((x * tr["scale"][0] + tr["translate"][0],
                            y * tr["scale"][1] + tr["translate"][1]))
            else:
                pts.append((p[0], p[1]))
        arcs.append(pts)
    return arcs


def ring(arcs, idx):
    """A ring from its arc indices (a negative index ~i is arc i reversed)."""
    out = []
    for i in idx:
        a = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
        out.extend(a if not out else a[1:])
    return out


def main(src, dst):
    topo = json.load(open(src))
    arcs = decode_arcs(topo)
    rings = []
    for g in topo["objects"]["land"]["geometries"]:
        polys = g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]]
        for poly in polys:
            for r in poly:
                rings.append(ring(arcs, r))
    data = bytearray(b"LAND")
    data += struct.pack("<I", len(rings))
    npts = 0
    for r in rings:
        q = []
        for lon, lat in r:
            p = (round(max(-180.0, min(180.0, lon)) * 100), round(max(-90.0, min(90.0, lat)) * 100))
            if not q or q[-1] != p:
                q.append(p)
        data += struct.pack("<I", len(q))
        for lon, lat in q:
            data += struct.pack("<hh", lon, lat)
        npts += len(q)
    open(dst, "wb").write(bytes(data))
    print(f"{dst}: {len(rings)} rings, {npts} points, {len(data)} bytes")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
