"""The editor's consistency checks, one module per kind of finding.

Each check is a function of a :class:`~fangzhi.store.base.Store` (and the
indicator figures read from it once) returning :class:`Finding` records.
:mod:`fangzhi.services.check` runs them all, ranks the findings by
confidence and gives them ids.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


class FindingKind:
    """Names of finding kinds, one vocabulary for code, exports and the web page."""

    VALUE_CONFLICT = "value_conflict"
    WRONG_ROUNDING = "wrong_rounding"
    UNIT_ERROR = "unit_error"
    PART_EXCEEDS_WHOLE = "part_exceeds_whole"
    BREAKDOWN_MISMATCH = "breakdown_mismatch"
    SHARES_MISMATCH = "shares_mismatch"
    LABEL_MISMATCH = "label_mismatch"
    DATE_MISMATCH = "date_mismatch"
    ISSUE_DATE = "issue_date"
    NAME_VARIANT = "name_variant"
    ESTIMATE_DIFFERS = "estimate_differs"
    DECLARED_COUNT = "declared_count"


KIND_TITLES = {
    FindingKind.VALUE_CONFLICT: "同一指标数值不一致",
    FindingKind.WRONG_ROUNDING: "修约错误",
    FindingKind.UNIT_ERROR: "单位或数量级错误",
    FindingKind.PART_EXCEEDS_WHOLE: "部分大于总体",
    FindingKind.BREAKDOWN_MISMATCH: "分项之和与合计不符",
    FindingKind.SHARES_MISMATCH: "比重之和不符",
    FindingKind.LABEL_MISMATCH: "同一数值指标名称不一致",
    FindingKind.DATE_MISMATCH: "日期不一致",
    FindingKind.ISSUE_DATE: "刊期与内容不符",
    FindingKind.NAME_VARIANT: "人名写法不一致",
    FindingKind.ESTIMATE_DIFFERS: "预计数与实际数不同",
    FindingKind.DECLARED_COUNT: "编辑说明所列数量与正文不符",
}

SEVERITIES = ("error", "warning", "info")
SEVERITY_LABELS = {"error": "错误", "warning": "存疑", "info": "提示"}


@dataclass
class Location:
    """One place a finding points at, with the words printed there."""

    volume: str
    node: str | None
    page: int | None
    line: int | None
    text: str = ""
    value: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Finding:
    kind: str
    severity: str
    confidence: float
    message: str
    locations: list[Location]
    details: dict[str, Any] = field(default_factory=dict)
    id: str = ""

    @property
    def title(self) -> str:
        return KIND_TITLES.get(self.kind, self.kind)

    def volumes(self) -> set[str]:
        return {location.volume for location in self.locations}

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "title": self.title,
            "severity": self.severity,
            "confidence": round(self.confidence, 2),
            "message": self.message,
            "locations": [location.to_dict() for location in self.locations],
            "details": self.details,
        }
