"""`make audit` (part of `make lint`): pip-audit over the installed dependencies.

Fails on a known vulnerability, and fails clearly when the vulnerability service cannot
be reached (no network). Where the package index answers but holds no vulnerability
data (a mirror), pip-audit can audit nothing: that is said loudly, and it passes.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

PIP_AUDIT = Path(sys.executable).with_name("pip-audit")


def main() -> int:
    run = subprocess.run(
        [str(PIP_AUDIT), "--skip-editable", "--progress-spinner", "off", "-f", "json"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    try:
        report = json.loads(run.stdout)
    except json.JSONDecodeError:
        print("pip-audit could not reach the vulnerability service (no network?):", file=sys.stderr)
        print(run.stderr.strip()[-2000:], file=sys.stderr)
        return 2
    dependencies = report.get("dependencies", [])
    vulnerable = [d for d in dependencies if d.get("vulns")]
    skipped = [d for d in dependencies if "skip_reason" in d]
    for dependency in vulnerable:
        for vuln in dependency["vulns"]:
            fixed = ", ".join(vuln.get("fix_versions", [])) or "no fix yet"
            print(f"{dependency['name']} {dependency['version']}: {vuln['id']} ({fixed})")
    audited = len(dependencies) - len(skipped)
    print(f"pip-audit: {audited} of {len(dependencies)} dependencies audited, "
          f"{len(vulnerable)} with known vulnerabilities")  # fmt: skip
    if skipped and not audited:
        print(
            "WARNING: the package index knew no vulnerability data for any dependency"
            " (a mirror?): nothing was audited. Run `make audit` where PyPI is reachable.",
            file=sys.stderr,
        )
    return 1 if vulnerable or run.returncode not in (0, 1) else 0


if __name__ == "__main__":
    sys.exit(main())
