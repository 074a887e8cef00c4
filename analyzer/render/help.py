"""Help screens as a linter's: `voicemail analyze FILE...`, not `{files}...`; no type beside a flag
or an argument (`<bool>`, `<list[Path]>`): the name and the help say what goes there. typer's own
command classes, with the few methods that draw those parts of the screen overridden (tests/test_cli.py
checks every help screen; pyproject.toml pins typer's minor version for that)."""

from __future__ import annotations

from typer.core import TyperArgument, TyperCommand, TyperGroup


class _HelpFlag:
    """--help with no `<bool>` beside it."""

    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.metavar = ""
        return option


class Group(_HelpFlag, TyperGroup):
    pass


class Command(_HelpFlag, TyperCommand):
    """A command whose usage line names its arguments (`FILE...`) and whose flags show no type."""

    def get_params(self, ctx):
        params = super().get_params(ctx)
        for param in params:
            if isinstance(param, TyperArgument):
                param.display_type_rich = _no_type  # type: ignore[method-assign]
            elif getattr(param, "is_flag", False) and param.metavar is None:
                param.metavar = ""
        return params

    def collect_usage_pieces(self, ctx) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if isinstance(param, TyperArgument):
                name = param.metavar or (param.name or "").upper()
                pieces.append(name if param.required else f"[{name}]")
        return pieces


def _no_type(ctx) -> None:
    return None
