"""`voicemail rules`: the active pack's rules, each with what fires it and the coaching hint."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from ..checks.pack import Pack
from .terminal import STYLE


def render(pack: Pack, console: Console, *, include_off: bool = False) -> None:
    console.print(Text.assemble(("pack ", "bold"), pack.name, "  ", (" -> ".join(pack.files), "dim")))
    weights = ", ".join(f"{k} {v}" for k, v in pack.weights.items())
    console.print(Text(f"score: 100 less, once per rule that fires: {weights}", style="dim"))
    for rule in pack.rules if include_off else pack.active:
        console.print()
        console.print(Text.assemble(
            (rule.code, "bold"), "  ", (rule.name, "bold"), "  ", (str(rule.severity), STYLE[rule.severity]),
            ("  (off)" if not rule.enabled else "", "dim"),
        ))
        console.print(Text(f"  {rule.description}"), soft_wrap=True)
        console.print(Text(f"  hint: {rule.hint}", style="italic"), soft_wrap=True)
        if rule.source:
            console.print(Text(f"  source: {rule.source}", style="dim"), soft_wrap=True)
