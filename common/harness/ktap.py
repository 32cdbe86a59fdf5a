"""KTAP, the result format of the test kernels and the host unit tests (the
Linux kernel's): which tests were planned, passed and failed, and why.
"""

import re
from dataclasses import dataclass, field
from typing import Dict, List, Optional


@dataclass
class KtapSummary:
    planned: Optional[int] = None
    passed: List[str] = field(default_factory=list)
    failed: List[str] = field(default_factory=list)
    diagnostics: Dict[str, List[str]] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        """A plan was printed and every planned test has a result."""
        return bool(self.planned) and len(self.passed) + len(self.failed) == self.planned

    def describe_failures(self) -> List[str]:
        lines = []
        if self.planned is None:
            lines.append("no KTAP output (no '1..N' plan line): the tests never reported")
        elif not self.complete:
            lines.append(f"KTAP: {self.planned} tests planned, "
                         f"{len(self.passed) + len(self.failed)} reported")  # fmt: skip
        for name in self.failed:
            where = "; ".join(self.diagnostics.get(name, [])) or "no diagnostic"
            lines.append(f"failed test {name}: {where}")
        return lines


def ktap_summary(text: str) -> KtapSummary:
    """Read the top-level results of KTAP output; "# " lines before a
    result are that test's diagnostics (file:line: what went wrong)."""
    summary = KtapSummary()
    pending: List[str] = []
    for line in text.splitlines():
        plan = re.match(r"^1\.\.(\d+)$", line)
        result = re.match(r"^(ok|not ok) \d+ (\S+)", line)
        if plan:
            summary.planned = int(plan.group(1))
        elif result:
            name = result.group(2)
            (summary.passed if result.group(1) == "ok" else summary.failed).append(name)
            summary.diagnostics[name] = pending
            pending = []
        elif line.startswith("# ") and not line.startswith("# Totals"):
            pending.append(line[2:])
    return summary
