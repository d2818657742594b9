"""Settings (typed, versioned upgrades), credentials (never a plain file), logs."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from app.core import logs
from app.core.problems import ProblemCode
from app.store.credentials import Credentials
from app.store.settings import VERSION, Settings

pytestmark = pytest.mark.core


def test_defaults_and_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "cfg" / "settings.json"
    s = Settings.load(path)
    assert s.idle_away_minutes == 5
    assert s.actuality_days == 60
    assert s.server_url == ""
    s.server_url = "http://example.test"
    s.actuality_days = 30
    s.save()
    data = json.loads(path.read_text())
    assert data["version"] == VERSION
    again = Settings.load(path)
    assert again.server_url == "http://example.test"
    assert again.actuality_days == 30


def test_values_are_clamped_and_typed(tmp_path: Path) -> None:
    s = Settings(tmp_path / "s.json")
    s.actuality_days = 500
    assert s.actuality_days == 90
    s.actuality_days = 1
    assert s.actuality_days == 7
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"version": VERSION, "idle_away_minutes": "ten", "remember": 1}))
    loaded = Settings.load(path)
    assert loaded.idle_away_minutes == 5
    assert loaded.remember is True


def test_upgrade_from_version_1(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text(json.dumps({"server": "http://old.test", "idle_away_seconds": 600}))
    s = Settings.load(path)
    assert s.server_url == "http://old.test"
    assert s.idle_away_minutes == 10


def test_upgrade_from_version_2_adds_the_alerts(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text(json.dumps({"version": 2, "idle_away_minutes": 12, "language": "en"}))
    s = Settings.load(path)
    assert (s.idle_away_minutes, s.language) == (12, "en")
    assert (s.alert_first, s.alert_every, s.sound_on, s.sound_name) == (True, True, True, "chime")
    assert (s.sound_volume, s.sound_device, s.alert_repeat_seconds) == (70, "", 60)
    assert not s.damaged
    s.save()
    assert json.loads(path.read_text())["version"] == VERSION == 4
    s.alert_repeat_seconds = 2  # 0 is never, else at least 5 s
    assert s.alert_repeat_seconds == 5
    s.alert_repeat_seconds = -1
    assert s.alert_repeat_seconds == 0
    s.sound_name = "siren"
    assert s.sound_name == "chime"


def test_unreadable_file_gives_defaults(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text("{not json")
    assert Settings.load(path).idle_away_minutes == 5


def test_credentials_without_keyring_stay_in_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    c = Credentials(use_keyring=False)
    c.set("http://s.test", "secret-token")
    assert c.get("http://s.test") == "secret-token"
    assert c.take_warning() == ProblemCode.NO_KEYRING
    c.set("http://s.test", "another")
    assert c.take_warning() is None  # said once
    c.delete("http://s.test")
    assert c.get("http://s.test") is None
    assert not any(
        "secret-token" in p.read_text(errors="ignore") for p in tmp_path.rglob("*") if p.is_file()
    )


def test_logs_go_to_a_rotating_file(tmp_path: Path) -> None:
    path = logs.setup(tmp_path)
    try:
        logging.getLogger("linedesk.test").warning("hello %s", "log")
        for h in logging.getLogger("linedesk").handlers:
            h.flush()
        assert "linedesk.test: hello log" in path.read_text()
    finally:
        for h in list(logging.getLogger("linedesk").handlers):
            logging.getLogger("linedesk").removeHandler(h)
            h.close()


def test_problem_codes_are_stable_words() -> None:
    """The outbox keeps a failed message's code on disk: codes are plain lower-case words,
    and anything else read back (an older version's sentence) is still a code."""
    for code in ProblemCode:
        assert code.value == code.name.lower() and ProblemCode.stored(code.value) is code
    assert ProblemCode.stored("") is None
    assert ProblemCode.stored("The server did not accept the message.") is (
        ProblemCode.MESSAGE_REJECTED
    )


def test_rows_come_back_from_the_contracts_json() -> None:
    import msgspec

    from app.core import parse
    from app.store.cache import to_json
    from contract import clients
    from tests.app.rows import row

    for r in (row(1), row(2, minutes_ago=3)):
        assert parse.user_row(to_json(r)) == r
        stored = msgspec.json.encode([parse.wire_row(r)])
        assert parse.user_rows(parse.decode(stored, list[clients.UserRow])) == [r]
