"""Check line-label files for the cleaner (docs/page_labelling.md): each range names lines of
its page's .txt that exist, labels are T/A, ranges do not overlap. Prints per-file counts.

    python scripts/check_page_lines.py data/page_lines/*.ranges
"""

import re
import sys
from pathlib import Path

PAGES = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "pages"
_RANGE = re.compile(r"^([TA])\s+(\d+)(?:-(\d+))?\s*(?:#.*)?$")


def read_ranges(path: Path) -> dict[int, str]:
    """Line number (1-based) -> label for the labelled non-empty lines; raises ValueError."""
    txt = PAGES / (path.name[: -len(".ranges")] + ".txt")
    if not txt.exists():
        raise ValueError(f"{path}: no page {txt.name} in {PAGES}")
    lines = txt.read_text(encoding="utf-8").splitlines()
    labels: dict[int, str] = {}
    for number, row in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        row = row.strip()
        if not row or row.startswith("#"):
            continue
        match = _RANGE.match(row)
        if not match:
            raise ValueError(f"{path}:{number}: expected 'T|A START[-END]', got {row!r}")
        label, start = match.group(1), int(match.group(2))
        end = int(match.group(3) or start)
        if not 1 <= start <= end <= len(lines):
            raise ValueError(f"{path}:{number}: range {start}-{end} outside 1-{len(lines)}")
        for i in range(start, end + 1):
            if not lines[i - 1].strip():
                continue
            if i in labels:
                raise ValueError(f"{path}:{number}: line {i} labelled twice")
            labels[i] = label
    return labels


def main(paths: list[str]) -> int:
    bad = 0
    for name in paths:
        path = Path(name)
        try:
            labels = read_ranges(path)
        except (ValueError, OSError) as err:
            print(err)
            bad += 1
            continue
        txt = PAGES / (path.name[: -len(".ranges")] + ".txt")
        total = sum(1 for line in txt.read_text(encoding="utf-8").splitlines() if line.strip())
        titles = sum(1 for v in labels.values() if v == "T")
        print(f"{path.name}: {total} lines, T {titles}, A {len(labels) - titles}, F {total - len(labels)}")
        if not labels:
            print(f"{path}: warning: no article line labelled")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
