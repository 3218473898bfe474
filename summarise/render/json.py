"""JSON: the briefing's data contract (`Briefing.to_dict`, `DailyBriefing.to_dict`), unchanged,
two-space indented, non-ASCII kept as is."""
from __future__ import annotations

import json


def render_briefing(briefing) -> str:
    return _dump(briefing.to_dict())


def render_daily(daily) -> str:
    return _dump(daily.to_dict())


def _dump(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
