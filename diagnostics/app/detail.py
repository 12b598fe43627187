"""The detail of one indicator of a board (history beside the peers, place among them, programs, warnings,
follow-ups): shared by the self-diagnosis and the expert-review dashboards (no widgets)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .board import Cell, num


@dataclass(frozen=True)
class Detail:
    """Everything the detail panel shows about one indicator of the current board."""

    cell: Cell
    school_level: str
    history: tuple[tuple[int, float | None, float | None, float | None, float | None], ...]  # year, value, q1, med, q3
    peers: tuple[float, ...]
    programs: tuple[dict, ...]
    warnings: tuple[dict, ...]
    follow_ups: tuple[dict, ...]
    survey: dict | None = None  # the online survey feeding this indicator: response rate, margin of error


class DetailMixin:
    """``detail()`` of the chosen ``indicator`` on ``board`` (the model has ``board``, ``indicator``, ``data``, ``ctx``)."""

    def detail(self, indicator: str | None = None) -> Detail | None:
        """The detail of ``indicator`` (default: the chosen one) on the current board."""
        board, ind = self.board, indicator or self.indicator
        cell = board.cell(ind) if board is not None and ind else None
        if cell is None:
            return None
        data, level = self.data, board.school_level
        group = data.peer_group(board.school_id)  # the one comparison group, as the warnings quote it
        history = []
        for year, value in cell.trend:
            key = (group, board.layer, year, ind)
            q = data.quartiles.loc[key] if key in data.quartiles.index else None
            history.append((year, value, *(num(q[c]) if q is not None else None
                                           for c in ("peer_q1", "peer_median", "peer_q3"))))
        peers = tuple(float(v) for v in data.peer_values(group, board.layer, board.year, ind))
        programs: tuple[dict, ...] = ()
        if board.layer == "school":
            vals = data.values_of(board.school_id)
            rows = vals[(vals["layer"] == "program") & (vals["year"] == board.year) & (vals["indicator_id"] == ind)]
            programs = tuple({"code": r["unit"], "label": data.program_label(board.school_id, board.year, r["unit"]),
                              "value": num(r["value"]), "level": str(r["level"] or ""),
                              "qualified": num(r["qualified"]), "percentile": num(r["percentile"])}
                             for r in rows.sort_values("value").to_dict("records"))
        warnings = tuple(w for w in board.warnings if w["indicator_id"] == ind)
        return Detail(cell, level, tuple(history), peers, programs, warnings, self._follow_ups(ind),
                      self._survey(ind) if board.layer == "school" else None)

    def _survey(self, indicator: str) -> dict | None:
        """The online survey round of this school-year whose instrument feeds ``indicator``, if any."""
        board = self.board
        rounds = self.ctx.access.survey_status(board.school_id, board.year)
        rows = rounds[rounds["indicator_id"] == indicator].to_dict("records") if len(rounds) else []
        return rows[0] if rows else None

    def _follow_ups(self, indicator: str) -> tuple[dict, ...]:
        access, board = self.ctx.access, self.board
        frame = access.follow_ups(board.school_id, board.year, status=None)
        if frame.empty:
            return ()
        keep = (frame["indicator_id"].fillna("") == indicator) & (frame["layer"] == board.layer)
        if board.layer != "school":
            keep &= frame["unit"].fillna("") == board.unit
        out = []
        for r in frame[keep].to_dict("records"):
            comments = access.follow_up_comments(int(r["id"])) if r.get("comments") else pd.DataFrame()
            out.append({**r, "thread": comments.to_dict("records")})
        return tuple(out)

