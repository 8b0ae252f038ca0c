"""The rule that reports each kind of input problem (RULES.md: HA001-HA005): the one table between
what readers say (a ``ProblemKind``: readers know no rules) and the findings the engine makes of it.
"""

from __future__ import annotations

from linter.origin import Problem, ProblemKind

PROBLEM_RULES: dict[ProblemKind, str] = {
    ProblemKind.UNREADABLE: "HA001",
    ProblemKind.MALFORMED: "HA002",
    ProblemKind.UNRESOLVED_REFERENCE: "HA003",
    ProblemKind.UNRESOLVED_PLACEHOLDER: "HA004",
    ProblemKind.REFUSED: "HA005",
}


def problem_rule(problem: Problem) -> str:
    """The rule id that reports an input problem."""
    return PROBLEM_RULES[problem.kind]
