"""``broadcast.config.edit``: form values into station.toml, checked as ``config check``.

Written back with tomlkit: an unchanged form leaves the file byte for byte; comments on
their own lines and after values survive an edit; a new zone or slot is added where its
kind already is; every refusal names the field and writes nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import make_workspace

from broadcast.config.check import check_station_file
from broadcast.config.edit import SettingsRefused, current_form, save_form, typed_value
from broadcast.store.station import declared
from broadcast.store.workspace import find_workspace

STATION = """\
# Đài xã Mường La: sửa bằng trang Cài đặt đài hoặc bằng tay.
[station]
name = "Đài truyền thanh xã Mường La"
commune = "Mường La"   # tên xã
province = "Sơn La"
languages = ["vi", "blt"]

[review]
# Đài có hai người: giữ duyệt bốn mắt.
four_eyes = true

[[zones]]
id = "trung-tam"
name = "Cụm loa trung tâm"
"""


@pytest.fixture()
def path(tmp_path: Path) -> Path:
    root = make_workspace(tmp_path / "ws")
    (root / "station.toml").write_text(STATION, encoding="utf-8")
    return root / "station.toml"


def test_an_unchanged_form_writes_nothing(path: Path) -> None:
    saved = save_form(path, current_form(path))
    assert not saved.changed
    assert path.read_text(encoding="utf-8") == STATION


def test_an_edit_keeps_comments_and_adds_a_slot_where_none_was(path: Path) -> None:
    form = current_form(path)
    assert form.value("station.commune") == "Mường La"
    assert form.value("review.four_eyes") == "true"
    assert form.rows["slots"] == ["new"] and form.rows["zones"] == ["0", "new"]
    form.values["station.commune"] = "Mường Chiên"
    form.values["station.portal"] = "dichvucong.sonla.gov.vn"
    form.values["review.four_eyes"] = ""  # the box unticked
    form.values["slots.new.id"] = "sang"
    form.values["slots.new.start"] = "06:00"
    form.values["slots.new.minutes"] = "30"
    form.days["slots.new.days"] = ["mon", "thu"]
    saved = save_form(path, form)
    assert saved.changed
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Đài xã Mường La: sửa bằng trang Cài đặt đài hoặc bằng tay.\n")
    assert 'commune = "Mường Chiên"   # tên xã' in text
    assert "# Đài có hai người: giữ duyệt bốn mắt.\nfour_eyes = false" in text
    assert text.index("province") < text.index("portal") < text.index("[review]")
    assert check_station_file(path).ok
    station = find_workspace(path.parent).station
    assert station.portal == "dichvucong.sonla.gov.vn" and station.four_eyes is False
    assert [(s.id, s.days, s.minutes) for s in station.slots] == [("sang", ("mon", "thu"), 30)]


def test_a_new_row_missing_a_required_key_is_refused_at_that_field(path: Path) -> None:
    form = current_form(path)
    form.values["slots.new.id"] = "chieu"  # no start, no minutes
    form.values["zones.0.languages"] = "vi, tay"
    with pytest.raises(SettingsRefused) as refused:
        save_form(path, form)
    errors = refused.value.form.errors
    assert any("start" in m for m in errors["slots.new.start"]), errors
    assert any("tay" in m for m in errors["zones.0"]), errors
    assert "Chưa lưu" in refused.value.message
    assert path.read_text(encoding="utf-8") == STATION


def test_typed_values_follow_the_declared_kinds() -> None:
    web, slots, zones = declared("web"), declared("slots"), declared("zones")
    assert typed_value(web["upload_max_mb"], " 25 ") == 25
    assert typed_value(web["upload_max_mb"], "2.5") == 2.5  # the check says "số nguyên"
    assert typed_value(web["upload_max_mb"], "hai") == "hai"  # the check says "một số"
    assert typed_value(declared("schedule")["ident_seconds"], "7,5") == 7.5
    assert typed_value(zones["languages"], "blt,  vi ,") == ["blt", "vi"]
    assert typed_value(slots["days"], []) == []  # explicit: "đang trống" from the check
    assert typed_value(declared("report")["signer"], "") == ""


def test_a_removed_zone_still_named_by_a_slot_is_refused(path: Path) -> None:
    form = current_form(path)
    form.values["slots.new.id"] = "sang"
    form.values["slots.new.start"] = "06:00"
    form.values["slots.new.minutes"] = "30"
    form.values["slots.new.zones"] = "trung-tam"
    save_form(path, form)
    form = current_form(path)
    form.removed.add("zones.0")
    with pytest.raises(SettingsRefused) as refused:
        save_form(path, form)
    assert any("trung-tam" in m for m in refused.value.form.errors["slots.0"])


def test_a_wrong_slot_blames_only_that_slot(path: Path) -> None:
    """A slot out of range makes the station unreadable; the zones that air Thái are still
    checked against the station's languages, not blamed for the slot's mistake."""
    form = current_form(path)
    form.values["zones.0.languages"] = "blt, vi"
    form.values["slots.new.id"] = "sang"
    form.values["slots.new.start"] = "06:00"
    form.values["slots.new.minutes"] = "2000"
    with pytest.raises(SettingsRefused) as refused:
        save_form(path, form)
    errors = refused.value.form.errors
    assert list(errors) == ["slots.new.minutes"], errors
    assert "nằm ngoài khoảng 1–1440" in errors["slots.new.minutes"][0]
    assert len(errors["slots.new.minutes"]) == 1  # not also "thiếu khóa 'minutes'"


def test_a_programme_rule_is_added_and_its_old_weekdays_key_renamed(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text + '\n[[rules]]\ntopic = "thu-tuc"\nweekdays = ["tue"]  # thứ Ba\n', encoding="utf-8"
    )
    form = current_form(path)
    assert form.days["rules.0.days"] == ["tue"]
    form.days["rules.0.days"] = ["tue", "fri"]
    form.values["rules.new.topic"] = "chinh-quyen-so"
    form.values["rules.new.from"] = "05:00"
    form.values["rules.new.to"] = "12:00"
    save_form(path, form)
    written = path.read_text(encoding="utf-8")
    assert "weekdays" not in written and 'topic = "chinh-quyen-so"' in written
    assert check_station_file(path).ok and not check_station_file(path).notices
    form = current_form(path)
    form.values["rules.1.to"] = "25:00"
    with pytest.raises(SettingsRefused) as refused:
        save_form(path, form)
    assert list(refused.value.form.errors) == ["rules.1.to"]
