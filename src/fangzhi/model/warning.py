"""The one warning type every stage reports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ParseWarning:
    """Something in a text that was not read cleanly, said once, with where it is.

    ``code`` is stable and machine-readable (``pages_unknown``,
    ``chronicle_no_dates``, ``appointment_names_unclear``) so tools can count
    and filter warnings; ``message`` is one sentence for the user; ``line`` is
    the 1-based source line it concerns, when there is one.
    """

    code: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "line": self.line}

    @classmethod
    def from_dict(cls, value: dict[str, Any]) -> ParseWarning:
        return cls(code=value["code"], message=value["message"], line=value.get("line"))
