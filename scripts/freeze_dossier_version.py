"""Freeze the dossier code of a released template version (`…freeze_dossier_version.py N`).

Copies `dossiers/content.py`, `dossiers/render/` and every module of `projections/`,
`dossiers/` and the domain's pure rules (`FROZEN_RULES`) they import (transitively) to
`dossiers/versions/vN/`, with their imports rewritten to the copies, so that dossiers
issued under version N regenerate with exactly the code that issued them however the
current code changes (docs/adr/013). Run it before
changing what a dossier says or how it looks, then bump `TEMPLATE_VERSION` and register the
frozen version in `dossiers/versions/__init__.py`.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROOTS = ("dossiers.content", "dossiers.render")
FROZEN = ("projections", "dossiers")
#: The domain's pure rules that decide what a dossier says (aggregates and events are never
#: frozen: their topics are persistent, and old events reach the frozen code upcast).
FROZEN_RULES = ("domain.ranking", "domain.promises", "domain.calendar")
NOT_FROZEN = ("dossiers.versions", "dossiers.signing", "dossiers.issuing", "dossiers.worker")


def path_of(module: str) -> Path:
    base = ROOT / Path(*module.split("."))
    return base / "__init__.py" if base.is_dir() else base.with_suffix(".py")


def ours(module: str) -> bool:
    if module in FROZEN_RULES:
        return True
    return module.split(".")[0] in FROZEN and not module.startswith(NOT_FROZEN)


def imports(module: str) -> set[str]:
    tree = ast.parse(path_of(module).read_text())
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and ours(node.module):
            found.add(node.module)
            for alias in node.names:  # `from dossiers.render import theme`
                if path_of(f"{node.module}.{alias.name}").exists():
                    found.add(f"{node.module}.{alias.name}")
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if ours(alias.name))
    return found


def closure() -> set[str]:
    seen: set[str] = set()
    todo = [*ROOTS, *(f"dossiers.render.{p.stem}" for p in (ROOT / "dossiers/render").glob("*.py"))]
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        seen.add(module)
        todo.extend(imports(module) - seen)
    return seen


def freeze(version: int) -> list[Path]:
    target = ROOT / "dossiers" / "versions" / f"v{version}"
    if target.exists():
        raise SystemExit(f"{target} exists: a frozen version is never changed")
    prefix = f"dossiers.versions.v{version}."
    rules = "|".join(re.escape(m) for m in FROZEN_RULES)
    pattern = re.compile(
        rf"^(\s*)(from|import) (projections|dossiers|{rules})([.\s])", re.MULTILINE
    )
    written = []
    for module in sorted(closure()):
        source = path_of(module)
        out = target / source.relative_to(ROOT)
        out.parent.mkdir(parents=True, exist_ok=True)
        text = pattern.sub(rf"\1\2 {prefix}\3\4", source.read_text())
        out.write_text(text)
        written.append(out)
    for folder in {p.parent for p in written} | {target, target.parent}:
        init = folder / "__init__.py"
        if not init.exists():
            init.write_text(f'"""Frozen dossier code of template version {version}."""\n')
    ruff = [sys.executable, "-m", "ruff"]
    subprocess.run([*ruff, "check", "--fix", "--quiet", str(target)], check=False)
    subprocess.run([*ruff, "format", "--quiet", str(target)], check=True)
    return written


if __name__ == "__main__":
    for path in freeze(int(sys.argv[1])):
        print(path.relative_to(ROOT))
