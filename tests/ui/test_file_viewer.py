"""When no program can open a written file, the user is told where it is and may open its folder instead."""

from __future__ import annotations

from ui import file_viewer


def test_a_file_the_system_cannot_open_is_reported_and_its_folder_offered(tmp_path, messages, monkeypatch):
    pdf = tmp_path / "packs" / "Northwind 2026-06 review pack.pdf"
    pdf.parent.mkdir()
    handed: list = []
    monkeypatch.setattr(file_viewer, "system_open", lambda path: handed.append(path) or path.is_dir())
    messages.open_folder = True
    assert not file_viewer.open_file(None, pdf)
    assert handed == [pdf, pdf.parent]
    assert messages == [("no viewer", f"Northwind 2026-06 review pack.pdf was written, but no program on this "
                                      f"computer could open it (is a PDF viewer installed?). It is in {pdf.parent}.")]


def test_declining_the_folder_opens_nothing_more_and_a_failed_folder_says_where_the_file_is(tmp_path, messages,
                                                                                           monkeypatch):
    pdf = tmp_path / "statement.pdf"
    handed: list = []
    monkeypatch.setattr(file_viewer, "system_open", lambda path: handed.append(path) and False)
    assert not file_viewer.open_file(None, pdf)
    assert handed == [pdf] and [kind for kind, _ in messages] == ["no viewer"]
    messages.open_folder = True
    file_viewer.open_file(None, pdf)
    assert messages[-1] == ("warn", f"The folder could not be opened either; the file is {pdf}.")


def test_a_file_the_system_opens_asks_nothing(tmp_path, messages, monkeypatch):
    monkeypatch.setattr(file_viewer, "system_open", lambda path: True)
    assert file_viewer.open_file(None, tmp_path / "pack.pdf") and messages == []
