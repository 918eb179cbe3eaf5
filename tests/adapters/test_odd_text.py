"""Odd user text never crashes an output: an open action without a due date, a 3,000-character word, CJK,
right-to-left text and emoji in a supplier's name, attendees, actions, notes and decisions render in the
review pack, its XLSX data set and a claim statement, and every character drawn has a glyph in the font
that draws it (that font's own character map)."""

from __future__ import annotations

import logging

import openpyxl
import pytest
from pypdf import PdfReader

from models.workspace import open_workspace
from reports import fonts
from reports.review_pack import _fit
from sltdesk.cli import main
from tests.adapters.review_setup import ARABIC, CJK, EMOJI, HEBREW, LONG, UNKNOWN, odd_review
from tests.adapters.review_setup import ODD_SUPPLIER as SUPPLIER

BY_BASE_FONT = {"DejaVuSans": fonts.REGULAR, "DejaVuSans-Bold": fonts.BOLD, "DroidSansFallback": fonts.CJK,
                "Symbola": fonts.EMOJI}


@pytest.fixture(scope="module")
def odd(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("odd")
    path = folder / "odd.sltdesk"
    ws = open_workspace(path, create=True, user="alice")
    odd_review(ws, folder)
    ws.close()
    return {"path": str(path), "folder": folder}


def _drawn(monkeypatch) -> list[tuple[str, str | None]]:
    """Every (run, font) the PDF writers lay out from now on."""
    seen: list[tuple[str, str | None]] = []
    real = fonts.runs

    def recording(text: str):
        out = real(text)
        seen.extend(out)
        return out

    monkeypatch.setattr(fonts, "runs", recording)
    return seen


def _assert_every_glyph_is_in_its_font(runs) -> None:
    base = fonts.covered(fonts.REGULAR) & fonts.covered(fonts.BOLD)
    for run, font in runs:
        holds = base if font is None else fonts.covered(font)
        missing = [c for c in run if ord(c) not in holds]
        assert not missing, f"{font or 'DejaVu Sans'} has no glyph for {missing!r} in {run!r}"


def _pdf_chunks(path) -> list[tuple[str, str]]:
    """(text, embedded font) of every text operation in the PDF, as a PDF reader sees it."""
    chunks: list[tuple[str, str]] = []

    def visit(text, _cm, _tm, font, _size):
        if font is not None and text.strip():
            chunks.append((text, str(font.get("/BaseFont")).split("+")[-1]))

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # astral-plane ToUnicode entries it cannot read
    for page in PdfReader(str(path)).pages:
        page.extract_text(visitor_text=visit)
    return chunks


def test_the_pack_renders_odd_text_with_a_glyph_for_every_character(odd, tmp_path, monkeypatch):
    drawn = _drawn(monkeypatch)
    pdf, xlsx = tmp_path / "pack.pdf", tmp_path / "data.xlsx"
    assert main(["pack", "-w", odd["path"], "--supplier", SUPPLIER, "--period", "2026-06", "--out", str(pdf),
                 "--xlsx", str(xlsx)]) == 0
    _assert_every_glyph_is_in_its_font(drawn)
    used = {font for _, font in drawn}
    assert {None, fonts.CJK, fonts.EMOJI} <= used
    text = "".join(run for run, _ in drawn)
    for char in CJK + "🔥🚀✅👍😀" + fonts.visual(ARABIC) + HEBREW:
        assert char in text, char
    assert fonts.MARKER in text and UNKNOWN not in text  # what no font has is drawn as a visible marker
    assert "\u200d" not in text and "\ufe0f" not in text and "🏽" not in text

    chunks = _pdf_chunks(pdf)
    assert {f for _, f in chunks} == set(BY_BASE_FONT)
    for chunk, font in chunks:  # the PDF's own view: each character in the font that draws it
        holds = fonts.covered(BY_BASE_FONT[font])
        assert all(ord(c) in holds for c in chunk if not c.isspace() and c != "\ufffd"), (chunk, font)
    pdf_text = "".join(c for c, _ in chunks)
    assert "服务器维护" in pdf_text and HEBREW in pdf_text  # pypdf reads the drawn RTL run back
    assert pdf_text.count("Unterbrechungsfreie") >= 158  # the long word is there, broken over lines


def test_the_open_action_without_a_due_date_is_listed_last_among_the_open_ones(odd, tmp_path):
    pdf = tmp_path / "pack.pdf"
    assert main(["pack", "-w", odd["path"], "--supplier", SUPPLIER, "--period", "2026-06", "--out",
                 str(pdf)]) == 0
    text = "\n".join(page.extract_text() for page in PdfReader(str(pdf)).pages)
    long_row, cjk_row, undated = text.index("Unterbrechungsfreie"), text.index("2026-08-02"), text.index(
        "No due date")
    assert long_row < cjk_row < undated


def test_the_data_set_holds_the_odd_text_exactly(odd, tmp_path):
    xlsx = tmp_path / "data.xlsx"
    assert main(["pack", "-w", odd["path"], "--supplier", SUPPLIER, "--period", "2026-06", "--out",
                 str(tmp_path / "p.pdf"), "--xlsx", str(xlsx)]) == 0
    actions = list(openpyxl.load_workbook(xlsx)["Actions"].iter_rows(values_only=True))
    texts = {row[1]: row for row in actions[1:]}
    assert LONG in texts and f"{CJK} {HEBREW} {ARABIC} {EMOJI}" in texts
    assert texts[f"No due date {EMOJI} {UNKNOWN}"][3] is None  # no due date: an empty cell


def test_a_claim_statement_for_the_odd_supplier_renders_as_pdf_and_xlsx(odd, tmp_path, monkeypatch, capsys):
    drawn = _drawn(monkeypatch)
    for name in ("claim.pdf", "claim.xlsx"):
        assert main(["penalties", "-w", odd["path"], "--contract", "SP-1", "--period", "2026-06",
                     "--statement", str(tmp_path / name)]) == 0
    _assert_every_glyph_is_in_its_font(drawn)
    assert {None, fonts.CJK, fonts.EMOJI} <= {font for _, font in drawn}
    pdf_text = "".join(c for c, _ in _pdf_chunks(tmp_path / "claim.pdf"))
    assert "服务器维护" in pdf_text and HEBREW in pdf_text
    sheet = openpyxl.load_workbook(tmp_path / "claim.xlsx")["Statement"]
    assert ("Supplier", SUPPLIER) in {(r[0], r[1]) for r in sheet.iter_rows(values_only=True)}


def test_each_character_goes_to_the_first_font_whose_map_has_it():
    assert fonts.runs("Total ≥ 99.9 % 服务 🔥 é") == [("Total ≥ 99.9 % ", None), ("服务", fonts.CJK),
                                                      (" ", None), ("🔥", fonts.EMOJI), (" é", None)]
    assert fonts.runs(f"a{UNKNOWN}b") == [(f"a{fonts.MARKER}b", None)]
    assert fonts.runs("👍🏽\u200d❤️") == [("👍", fonts.EMOJI), ("❤", None)]  # DejaVu has the heart
    assert fonts.visual(f"abc {HEBREW} def") == "abc םלוע םולש def"
    assert fonts.visual("plain text") == "plain text"
    arabic = fonts.visual(ARABIC)
    assert "\ufee3" in arabic and arabic.index("\ufee3") > arabic.index(" ")  # joined forms, right to left


def test_a_header_far_too_long_is_cut_with_an_ellipsis_that_fits():
    fonts.register()
    cut = _fit(f"Joint service review · {LONG} {CJK}", fonts.BOLD, 7.5, 400)
    assert cut.endswith("…") and fonts.width(cut, fonts.BOLD, 7.5) <= 400
    assert fonts.width(cut[:-1] + "x…", fonts.BOLD, 7.5) > 400 - fonts.width("x", fonts.BOLD, 7.5)


def test_charts_draw_cjk_hebrew_and_emoji_with_the_shipped_fonts_without_a_missing_glyph():
    import warnings

    from reports.questionnaire_charts import png_bytes, radar_figure

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        figure = radar_figure(["安全", "Доступ", "שלום", "🔥 Ops"],
                              {"供应商 🚀": {"安全": 0.5, "Доступ": 0.7, "שלום": 0.2, "🔥 Ops": 0.9}},
                              title="成熟度 🚀")
        assert png_bytes(figure).startswith(b"\x89PNG")
    missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    assert missing == []
