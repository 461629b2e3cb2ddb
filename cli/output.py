"""rich's Console, made when a command first prints with it: importing rich took about a
tenth of a second of every start, and `sprachrohr serve` prints its lines without it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from rich.console import Console


class _Deferred:
    def __init__(self, options: dict[str, Any]) -> None:
        self._options = options
        self._console: Console | None = None

    def real(self) -> Console:
        if self._console is None:
            from rich.console import Console

            self._console = Console(**self._options)
        return self._console

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real(), name)

    def __enter__(self) -> Console:
        return self.real().__enter__()

    def __exit__(self, *exc: object) -> None:
        self.real().__exit__(*exc)


def real(console: Console) -> Console:
    """The Console itself (for rich's own classes that are given one)."""
    return console.real() if isinstance(console, _Deferred) else console


def deferred_console(**options: Any) -> Console:
    """A Console with these options, created at its first use."""
    return cast("Console", _Deferred(options))
