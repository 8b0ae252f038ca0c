"""HA802 jvm-heap-min-max-differ: -Xms and -Xmx differ."""

from __future__ import annotations

from collections.abc import Iterator

from linter.ruleapi import INFO, Context, Finding, Node, label_at, rule
from linter.ruleapi.jvm import JvmFlag, size_bytes

_INITIAL = ("-Xms", "-XX:InitialHeapSize")
_MAXIMUM = ("-Xmx", "-XX:MaxHeapSize")


def _bytes(flag: JvmFlag) -> int | None:
    return size_bytes(flag.value)


def _last(node: Node, names: tuple[str, ...]) -> JvmFlag | None:
    """The JVM uses the last occurrence of a heap flag."""
    found = None
    for flag in node.jvm_flags:
        if flag.name in names and not flag.unresolved:
            found = flag
    return found


@rule(
    id="HA802",
    name="jvm-heap-min-max-differ",
    severity=INFO,
    scope="node",
    versions="all",
    tags=("production", "jvm", "tuning"),
    summary="The initial heap (-Xms) differs from the maximum heap (-Xmx).",
    rationale=(
        "The Liferay guides set -Xms equal to -Xmx so the whole heap is allocated at start-up: the JVM does "
        "not pause to grow and shrink the heap under load, and a node that cannot get its memory fails at "
        "start rather than later. With -Xmx alone the JVM starts from its own, much smaller, ergonomic "
        "default. A matter of tuning, hence info. Flags holding shell variables are skipped."
    ),
    fix="Set -Xms to the same size as -Xmx (e.g. -Xms8g -Xmx8g).",
    # facts: liferay-ha-facts.md §7.3
    sources=(
        (
            "Liferay Portal 6.2 User Guide, 'Configuring Liferay for High Availability' (JVM advice: equal -Xms and "
            "-Xmx): https://github.com/liferay/liferay-docs/blob/0b22f2fc/userGuide/en/chapters/"
            "20-configuring-for-high-availability.markdown"
        ),
        (
            "Java SE tools reference, the 'java' command (-Xms, -Xmx; the last occurrence of an option wins): https:/"
            "/docs.oracle.com/en/java/javase/17/docs/specs/man/java.html"
        ),
    ),
)
def check(node: Node, ctx: Context) -> Iterator[Finding]:
    initial = _last(node, _INITIAL)
    maximum = _last(node, _MAXIMUM)
    if maximum is None:
        return
    if initial is None:
        yield Finding(
            f"{node.name} sets {maximum.text} but no -Xms: the heap starts at the JVM's ergonomic default "
            "(a fraction of physical memory) and grows under load",
            label_at(node, maximum.origin, "no matching -Xms"),
            help=f"add -Xms{maximum.value} next to {maximum.text}",
            subject="-Xms",
        )
        return
    low, high = _bytes(initial), _bytes(maximum)
    if low is None or high is None or low == high:
        return
    yield Finding(
        f"{node.name} starts with {initial.text} but may grow to {maximum.text}: the guides set both to the "
        "same size so the heap is allocated up front",
        label_at(node, initial.origin, "initial heap"),
        (label_at(node, maximum.origin, "maximum heap"),),
        help=f"set -Xms{maximum.value} (equal to {maximum.text})",
        subject="-Xms",
    )
