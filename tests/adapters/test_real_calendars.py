"""Calendars as Google and Exchange write them: moved occurrences counted once, spaced BYDAY lists, custom and
Windows time zones, one unreadable event skipped with its UID, and events outside the span named."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import icalendar
import recurring_ical_events

from importers.pipeline import parse_file
from sltdesk.domain.raw import ImportOptions, RecordKind

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real"


def utc(*args) -> int:
    return int(datetime(*args, tzinfo=UTC).timestamp())


def parse(path: Path, **options):
    return parse_file(path, ImportOptions(kind=RecordKind.MAINTENANCE, timezone="UTC", **options))


def found(result) -> dict:
    return {f.code: f for f in result.findings}


def test_the_google_calendar_with_moved_occurrences_gives_each_occurrence_once(tmp_path):
    path = shutil.copy(REAL / "google_calendar_moved_occurrences.ics", tmp_path / "google.ics")
    result = parse(Path(path), period_start=utc(2019, 1, 1), period_end=utc(2020, 1, 1), period_label="2019")
    whole = icalendar.Calendar.from_ical(Path(path).read_bytes())
    expected = recurring_ical_events.of(whole).between(datetime(2019, 1, 1, tzinfo=UTC),
                                                       datetime(2020, 1, 1, tzinfo=UTC))
    assert len(expected) == 309
    assert len(result.frame) == 309 and result.rows_rejected == 0
    # each moved occurrence is there at its new time only
    moved = [e for e in whole.walk("VEVENT") if e.get("RECURRENCE-ID") is not None]
    assert len(moved) == 6
    for event in moved:
        uid = str(event["UID"])
        new, old = int(event["DTSTART"].dt.timestamp()), int(event["RECURRENCE-ID"].dt.timestamp())
        starts = set(result.frame.loc[result.frame["reference"] == uid, "start"])
        if utc(2019, 1, 1) <= new < utc(2020, 1, 1):
            assert new in starts
        if new != old:
            assert old not in starts, (uid, old)


def test_the_exchange_invitation_imports_its_event_in_its_own_zone(tmp_path):
    path = shutil.copy(REAL / "exchange_cdo_invitation.ics", tmp_path / "exchange.ics")
    result = parse(Path(path), period_start=utc(2015, 7, 1), period_end=utc(2015, 8, 1))
    assert not result.fatal and result.rows_rejected == 0
    # weekdays 3–22 July 2015, 10:00–10:30 in summer time (UTC+2): 14 standups
    assert len(result.frame) == 14
    assert result.frame["start"].iat[0] == utc(2015, 7, 3, 8, 0)
    assert result.frame["end"].iat[-1] == utc(2015, 7, 22, 8, 30)
    assert set(result.frame["service"]) == {"Sprint 25 Daily Standup"}


def _calendar(tmp_path: Path, name: str, body: str, zones: str = "") -> Path:
    path = tmp_path / name
    path.write_text("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n" + zones + body +
                    "END:VCALENDAR\r\n", encoding="utf-8")
    return path


def _event(uid: str, tzid: str, start: str, end: str, extra: str = "") -> str:
    return (f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:Patching {uid}\r\n"
            f"DTSTART;TZID={tzid}:{start}\r\nDTEND;TZID={tzid}:{end}\r\n{extra}END:VEVENT\r\n")


EXCHANGE_ZONE = ("BEGIN:VTIMEZONE\r\nTZID:GMT +0100 (Standard) / GMT +0200 (Daylight)\r\n"
                 "BEGIN:STANDARD\r\nDTSTART:16010101T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\n"
                 "RRULE:FREQ=YEARLY;WKST=MO;INTERVAL=1;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\n"
                 "BEGIN:DAYLIGHT\r\nDTSTART:16010101T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\n"
                 "RRULE:FREQ=YEARLY;WKST=MO;INTERVAL=1;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n")
WEEKLY = "RRULE:FREQ=WEEKLY;COUNT=8;BYDAY=SU\r\n"  # across the spring change (29 March 2026)


def test_windows_and_custom_zone_names_give_the_same_instants_as_europe_berlin(tmp_path):
    results = []
    for name, tzid, zones in (("iana.ics", "Europe/Berlin", ""),
                              ("windows.ics", '"W. Europe Standard Time"', ""),
                              ("custom.ics", '"GMT +0100 (Standard) / GMT +0200 (Daylight)"', EXCHANGE_ZONE)):
        path = _calendar(tmp_path, name, _event("w", tzid, "20260308T030000", "20260308T050000", WEEKLY), zones)
        result = parse(path, period_start=utc(2026, 3, 1), period_end=utc(2026, 6, 1))
        assert not any(f.code in ("unknown-zone", "unreadable-event") for f in result.findings), name
        results.append(result.frame[["start", "end"]].values.tolist())
    assert results[0] == results[1] == results[2] and len(results[0]) == 8
    assert results[0][0] == [utc(2026, 3, 8, 2), utc(2026, 3, 8, 4)]  # winter: UTC+1
    assert results[0][-1] == [utc(2026, 4, 26, 1), utc(2026, 4, 26, 3)]  # summer: UTC+2


def test_a_spaced_byday_list_is_read_and_a_cancelled_occurrence_is_left_out(tmp_path):
    spaced = "RRULE:FREQ=DAILY;COUNT=10;BYDAY=MO, TU, WE, TH, FR\r\n"
    cancelled = ("BEGIN:VEVENT\r\nUID:a\r\nDTSTAMP:20260101T000000Z\r\nRECURRENCE-ID;TZID=Europe/Berlin:"
                 "20260303T220000\r\nDTSTART;TZID=Europe/Berlin:20260303T220000\r\nDTEND;TZID=Europe/Berlin:"
                 "20260303T230000\r\nSTATUS:CANCELLED\r\nEND:VEVENT\r\n")
    path = _calendar(tmp_path, "spaced.ics", _event("a", "Europe/Berlin", "20260302T220000", "20260302T230000",
                                                    spaced) + cancelled)
    result = parse(path, period_start=utc(2026, 3, 1), period_end=utc(2026, 4, 1))
    assert len(result.frame) == 9  # ten weekdays from Monday 2 March, less the cancelled Tuesday
    assert utc(2026, 3, 3, 21) not in set(result.frame["start"])


def test_one_unreadable_event_is_skipped_with_its_uid_and_the_rest_imports(tmp_path):
    bad = "RRULE:FREQ=WEEKLY;BYDAY=XX\r\n"
    path = _calendar(tmp_path, "mixed.ics", _event("good-1", "Europe/Berlin", "20260310T220000",
                                                   "20260310T230000") +
                     _event("broken-7", "Europe/Berlin", "20260311T220000", "20260311T230000", bad))
    result = parse(path, period_start=utc(2026, 3, 1), period_end=utc(2026, 4, 1))
    assert not result.fatal and list(result.frame["reference"]) == ["good-1"]
    message = found(result)["unreadable-event"].message
    assert message.startswith("event 2 (UID 'broken-7', 'Patching broken-7') cannot be expanded and is left out: ")


def test_events_outside_the_span_are_named_with_their_years(tmp_path):
    path = _calendar(tmp_path, "old.ics", _event("y2020", "Europe/Berlin", "20200310T220000", "20200310T230000") +
                     _event("y2020b", "Europe/Berlin", "20201110T220000", "20201110T230000"))
    result = parse(path, expand_start=utc(2025, 1, 1), expand_end=utc(2028, 1, 1))
    assert len(result.frame) == 0
    warning = found(result)["outside-window"].message
    assert warning == ("2 events fall wholly outside 01 Jan 2025 – 01 Jan 2028 and were not imported (they start "
                       "between 10 Mar 2020 and 10 Nov 2020); choose their span with --period, e.g. --period 2020")
    kept = parse(path, period_start=utc(2020, 1, 1), period_end=utc(2021, 1, 1))
    assert len(kept.frame) == 2 and "outside-window" not in found(kept)


def test_a_calendar_whose_events_all_fall_outside_the_window_is_refused_with_the_reason(tmp_path, capsys):
    """The events of 2015 against a contract of 2025–2027: nothing to store, and the sentence says why and which
    --period would take them in (not 'a header but no rows', which a calendar does not have)."""
    from sltdesk.cli import main

    workspace = tmp_path / "w.sltdesk"
    assert main(["demo", str(workspace), "--no-gui", "--register-only"]) == 0
    calendar = tmp_path / "standup.ics"
    calendar.write_text("\r\n".join([
        "BEGIN:VCALENDAR", "VERSION:2.0", "BEGIN:VEVENT", "UID:standup@example", "DTSTAMP:20150703T071009Z",
        "DTSTART:20150703T080000Z", "DTEND:20150703T083000Z", "SUMMARY:Standup",
        "RRULE:FREQ=DAILY;UNTIL=20150722T080000Z;BYDAY=MO,TU,WE,TH,FR", "END:VEVENT", "END:VCALENDAR"]) + "\r\n")
    capsys.readouterr()
    code = main(["import", "maintenance", str(calendar), "-w", str(workspace), "--contract", "NW-2025-014"])
    _, err = capsys.readouterr()
    assert code == 1
    assert err.startswith("sltdesk: standup.ics has no maintenance windows to store; nothing was stored. 1 event "
                          "falls wholly outside 01 Jan 2025 – ")
    assert "choose their span with --period, e.g. --period 2015" in err and "a header" not in err
    assert main(["import", "maintenance", str(calendar), "-w", str(workspace), "--contract", "NW-2025-014",
                 "--period", "2015", "--json"]) == 0
    assert '"stored": 14' in capsys.readouterr().out  # the weekdays from 3 to 22 July 2015
