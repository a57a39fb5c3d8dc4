"""Packs the extension folder into a zip for installing or uploading (make extension).

Only the files the browser needs go in (not this tools/ folder). Entries are sorted and carry a
fixed timestamp, so packing the same sources twice gives the same bytes.
"""

import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIP_DIRS = {"tools", "node_modules", "web-ext-artifacts"}
SKIP_NAMES = {".DS_Store", "Thumbs.db"}


def files():
    for path in sorted(ROOT.rglob("*")):
        rel = path.relative_to(ROOT)
        if path.is_file() and not SKIP_DIRS.intersection(rel.parts[:-1]) and rel.name not in SKIP_NAMES:
            yield rel


def main(out: str) -> None:
    target = Path(out)
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for rel in files():
            info = zipfile.ZipInfo(rel.as_posix(), date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, (ROOT / rel).read_bytes())
    print(f"wrote {target} ({target.stat().st_size} bytes)")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "dist/termlight-extension.zip")
