"""`make audit`, second half: pip-audit over the installed packages, with a summary that says
plainly what could not be checked.

pip-audit asks PyPI's JSON API (its default vulnerability service) about each installed
version. A version PyPI does not know (a package from a private mirror, a local build) and a
network that cannot reach PyPI both leave packages unchecked; pip-audit itself would still say
"No known vulnerabilities found", so this script counts them and names them.

Exit status: 1 when a vulnerability is found; 0 otherwise, also when packages could not be
checked, unless AUDIT_STRICT=1 is set, which makes anything unchecked a failure too.
"""

import json
import os
import subprocess
import sys


def run_pip_audit():
    command = [
        os.path.join(os.path.dirname(sys.executable), "pip-audit"),
        "--progress-spinner",
        "off",
        "--skip-editable",  # the forum itself
        "--format",
        "json",
    ]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as error:
        return None, f"pip-audit did not run: {error}"
    try:
        return json.loads(done.stdout), done.stderr.strip()
    except json.JSONDecodeError:
        return None, (done.stderr or done.stdout).strip()


def main():
    strict = os.environ.get("AUDIT_STRICT") == "1"
    report, messages = run_pip_audit()
    if report is None:
        print("pip-audit: COULD NOT CHECK ANY PACKAGE.")
        print("  The vulnerability service (PyPI's JSON API) could not be used:")
        print("  " + (messages.splitlines()[-1] if messages else "no output"))
        return 1 if strict else 0
    dependencies = report["dependencies"]
    vulnerable = [d for d in dependencies if d.get("vulns")]
    skipped = [d for d in dependencies if "skip_reason" in d]
    checked = len(dependencies) - len(skipped)
    print(f"pip-audit: {checked} of {len(dependencies)} installed packages checked against PyPI.")
    for dependency in vulnerable:
        for vuln in dependency["vulns"]:
            fixes = ", ".join(vuln.get("fix_versions") or []) or "no fixed version yet"
            print(
                f"  VULNERABLE {dependency['name']} {dependency['version']}: {vuln['id']} ({fixes})"
            )
    if skipped:
        print(f"pip-audit: {len(skipped)} package(s) COULD NOT BE CHECKED:")
        for dependency in skipped:
            print(f"  {dependency['skip_reason']}")
        print(
            "  (Their versions are unknown to PyPI, e.g. installed from a mirror or built "
            "locally, or PyPI was unreachable. Check them by hand or on a machine that "
            "installs from PyPI.)"
        )
    if vulnerable:
        return 1
    print("pip-audit: no known vulnerabilities in the packages it could check.")
    return 1 if strict and skipped else 0


if __name__ == "__main__":
    sys.exit(main())
