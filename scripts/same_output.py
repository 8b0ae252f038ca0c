"""Prove that a change of structure changed no output: record what ``check`` prints (JSON and text)
for every example cluster, every rule fixture case and every real corpus source, then compare two
recordings.

    python scripts/same_output.py record before.json      # at the commit before the change
    python scripts/same_output.py record after.json       # after it
    python scripts/same_output.py compare before.json after.json

Only the command line is used (``linter.cli.main``), so the script runs unchanged on both sides of
a re-layering. Every rule runs (no ``--select``); a fixture case gets its ``liferay-version``; a
real source is checked with no version and with 6.2, 7.0 and 7.4 given.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the checkout this script belongs to, not an installed copy
SHARED = Path(os.environ.get("LIFERAY_HA_LINT_SHARED", ROOT.parent / "shared"))

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def inputs() -> Iterator[tuple[str, list[str]]]:
    """(id, check arguments) for every input, in a fixed order."""
    for cluster in sorted((ROOT / "fixtures" / "clusters").iterdir()):
        if cluster.is_dir():
            yield f"cluster:{cluster.name}", [str(cluster.relative_to(ROOT))]
    for case in sorted((ROOT / "fixtures" / "rules").glob("*/*/*")):
        if not case.is_dir():
            continue
        meta_path = case / "case.toml"
        meta = tomllib.loads(meta_path.read_text(encoding="utf-8")) if meta_path.is_file() else {}
        args = [str(case.relative_to(ROOT))]
        if meta.get("liferay-version"):
            args = ["--liferay-version", str(meta["liferay-version"]), *args]
        yield f"case:{case.relative_to(ROOT / 'fixtures' / 'rules').as_posix()}", args
    real = SHARED / "corpus" / "real"
    for source in sorted(p for p in real.iterdir() if p.is_dir()) if real.is_dir() else []:
        for version in (None, "6.2", "7.0", "7.4"):
            args = ["--liferay-version", version] if version else []
            yield f"real:{source.name}:{version or 'detected'}", [*args, str(source)]


def run(args: list[str]) -> dict[str, object]:
    from linter.cli import main

    out: dict[str, object] = {}
    for fmt in ("json", "text"):
        stdout, stderr = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            code = main(["check", "--format", fmt, "--color", "never", "--fail-on", "never", *args])
        out[fmt] = stdout.getvalue()
        out[f"{fmt}-exit"] = code
        out[f"{fmt}-stderr"] = stderr.getvalue()
    return out


def record(target: Path) -> int:
    os.chdir(ROOT)
    os.environ["COLUMNS"] = "120"
    results = {name: run(args) for name, args in inputs()}
    target.write_text(json.dumps(results, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"recorded {len(results)} inputs into {target}")
    return 0


def compare(before_path: Path, after_path: Path) -> int:
    before = json.loads(before_path.read_text(encoding="utf-8"))
    after = json.loads(after_path.read_text(encoding="utf-8"))
    differ = 0
    for name in sorted(set(before) | set(after)):
        if before.get(name) != after.get(name):
            differ += 1
            print(f"differs: {name}")
            for field in sorted(set(before.get(name, {})) | set(after.get(name, {}))):
                a, b = before.get(name, {}).get(field), after.get(name, {}).get(field)
                if a != b:
                    print(f"  {field}: {str(a)[:300]!r}\n  -> {str(b)[:300]!r}")
    print(f"{len(before)} inputs before, {len(after)} after, {differ} differ")
    return 1 if differ else 0


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "record":
        return record(Path(argv[1]).resolve())
    if len(argv) == 3 and argv[0] == "compare":
        return compare(Path(argv[1]), Path(argv[2]))
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
