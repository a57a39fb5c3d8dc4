"""Draws the toolbar icons (a white "t" over a dotted yellow underline on a blue tile).

Pure standard library so it runs anywhere: shapes are rasterized with 4x4 supersampling and
written as RGBA PNGs. Run from the repository root: python3 extension/tools/make_icons.py
"""

import struct
import zlib
from pathlib import Path

BLUE = (47, 93, 138)
WHITE = (255, 255, 255)
YELLOW = (255, 196, 0)


def inside_rounded(x, y, r):
    """Unit-square tile with rounded corners of radius r."""
    cx = min(max(x, r), 1 - r)
    cy = min(max(y, r), 1 - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def shade(x, y):
    """Color of the point (x, y) in the unit square, or None outside the tile."""
    if not inside_rounded(x, y, 0.2):
        return None
    # the letter "t": a stem, a cross bar and a short foot to the right
    if 0.42 <= x <= 0.56 and 0.14 <= y <= 0.66:
        return WHITE
    if 0.28 <= x <= 0.72 and 0.30 <= y <= 0.41:
        return WHITE
    if 0.42 <= x <= 0.70 and 0.58 <= y <= 0.67:
        return WHITE
    # dotted underline: three round dots
    for cx in (0.30, 0.50, 0.70):
        if (x - cx) ** 2 + (y - 0.80) ** 2 <= 0.055 ** 2:
            return YELLOW
    return BLUE


def render(size, samples=4):
    rows = []
    for py in range(size):
        row = bytearray([0])  # PNG filter type 0 for this row
        for px in range(size):
            acc = [0, 0, 0, 0]
            for sy in range(samples):
                for sx in range(samples):
                    color = shade((px + (sx + 0.5) / samples) / size, (py + (sy + 0.5) / samples) / size)
                    if color:
                        acc[0] += color[0]
                        acc[1] += color[1]
                        acc[2] += color[2]
                        acc[3] += 255
            n = samples * samples
            covered = acc[3] // 255
            if covered:
                row += bytes((acc[0] // covered, acc[1] // covered, acc[2] // covered, acc[3] // n))
            else:
                row += bytes(4)
        rows.append(bytes(row))
    return b"".join(rows)


def png(size, pixels):
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(pixels, 9)) + chunk(b"IEND", b"")


def main():
    out = Path(__file__).resolve().parent.parent / "icons"
    out.mkdir(exist_ok=True)
    for size in (16, 32, 48, 128):
        (out / f"icon-{size}.png").write_bytes(png(size, render(size)))


if __name__ == "__main__":
    main()
