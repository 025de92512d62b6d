"""*Cài đặt đài* (/cai-dat) and *Sao lưu* (/sao-luu) with Starlette's TestClient.

The form is read back from the page's own HTML (every input, checked box and selected
option, as a browser would send it), changed, and posted: a valid edit is written into
station.toml with the file's comments kept and applies at once; a value ``config check``
refuses comes back at its field and leaves the file byte for byte as it was; a viewer is
refused both. The backup page sends a .tar.gz that restores.
"""

from __future__ import annotations

import io
import re
import tarfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from schedule_fixtures import GRID, write_grid
from starlette.testclient import TestClient
from web_support import csrf_from, login_of, signed_in_client, web_workspace

from broadcast.backup import restore_workspace
from broadcast.model.people import Role
from broadcast.store.workspace import Workspace, find_workspace
from broadcast.web.app import create_app

COMMENT = "# Cấu hình của đài: giữ ghi chú này"


class _Form(HTMLParser):
    """The fields of the settings form as the browser would post them."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "input" and a.get("name"):
            if a.get("type") == "checkbox" and "checked" not in a:
                return
            self.fields.append((a["name"], a.get("value", "")))
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select and "selected" in a:
            self.fields.append((self._select, a["value"]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def _fields(html: str) -> list[tuple[str, str]]:
    parser = _Form()
    parser.feed(html)
    return parser.fields


def _changed(fields: list[tuple[str, str]], **changes: str) -> list[tuple[str, str]]:
    """Replace fields by name (dots written as __); a name not on the form is added."""
    wanted = {k.replace("__", "."): v for k, v in changes.items()}
    out = [(n, wanted.get(n, v)) for n, v in fields]
    out += [(n, v) for n, v in wanted.items() if n not in {f for f, _ in fields}]
    return out


def _post(client: TestClient, fields: list[tuple[str, str]]):  # type: ignore[no-untyped-def]
    body = "&".join(f"{_q(n)}={_q(v)}" for n, v in fields)
    return client.post(
        "/cai-dat",
        content=body.encode(),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )


def _q(text: str) -> str:
    from urllib.parse import quote_plus

    return quote_plus(text)


@pytest.fixture(scope="module")
def station(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bytes]:
    """One workspace with people (slow: a password hash each); its station.toml's bytes."""
    root = web_workspace(tmp_path_factory.mktemp("cai-dat") / "ws").root
    write_grid(root, GRID)
    path = root / "station.toml"
    text = path.read_text(encoding="utf-8").replace("[station]\n", f"{COMMENT}\n[station]\n", 1)
    text = text.replace("minutes = 15\n", "minutes = 15  # buổi sáng, mọi cụm\n", 1)
    return root, text.encode("utf-8")


@pytest.fixture()
def ws(station: tuple[Path, bytes]) -> Workspace:
    """The workspace with its station.toml as the module made it (tests edit only that)."""
    root, original = station
    (root / "station.toml").write_bytes(original)
    return find_workspace(root)


def test_a_valid_edit_is_written_with_comments_kept_and_applies_at_once(ws: Workspace) -> None:
    app = create_app(ws)
    client = signed_in_client(app, login_of(Role.ADMIN))
    page = client.get("/cai-dat")
    assert page.status_code == 200
    assert 'value="Cụm loa bản Mường"' in page.text and "Người dùng</a>" in page.text
    fields = _changed(
        _fields(page.text),
        station__name="Đài truyền thanh xã Mường Chiên",
        station__hotline="0212 3852 123",
        report__signer="Lò Văn A",
        web__upload_max_mb="2",
        slots__0__minutes="20",
        zones__new__id="ban-moi",
        zones__new__name="Cụm loa bản Mới",
        zones__new__languages="vi",
    )
    fields.append(("slots.1.remove", "1"))
    saved = _post(client, fields)
    assert saved.status_code == 200, saved.text[:2000]
    assert "Đã lưu cài đặt" in saved.text

    text = (ws.root / "station.toml").read_text(encoding="utf-8")
    assert text.startswith(COMMENT + "\n[station]\n")
    assert "minutes = 20  # buổi sáng, mọi cụm" in text  # the value's own comment kept
    assert 'hotline = "0212 3852 123"' in text and 'signer = "Lò Văn A"' in text
    assert 'id = "chieu"' not in text and 'id = "ban-moi"' in text
    assert text.index('id = "ban-mong"') < text.index('id = "ban-moi"') < text.index("[[slots]]")
    # Untouched tables keep their layout (multi-line arrays written by tomli-w).
    assert 'villages = [\n    "Bản Mường",\n    "Bản Hìn",\n]' in text
    assert "[[rules]]" in text and 'topic = "thu-tuc"' in text

    # No restart: the next request sees the new station and the new [web] limit.
    assert app.state.workspace.station.hotline == "0212 3852 123"
    assert app.state.upload_max_bytes == 2 * 1024 * 1024
    again = client.get("/cai-dat")
    assert "Mường Chiên</title>" in again.text
    assert 'value="Cụm loa bản Mới"' in again.text
    from broadcast.config.check import check_station_file

    assert check_station_file(ws.root / "station.toml").ok


def test_an_invalid_value_is_shown_at_its_field_and_nothing_is_written(ws: Workspace) -> None:
    before = (ws.root / "station.toml").read_bytes()
    client = signed_in_client(create_app(ws), login_of(Role.ADMIN))
    fields = _changed(
        _fields(client.get("/cai-dat").text),
        slots__0__minutes="0",
        web__session_hours="mười",
        zones__1__id="",
    )
    refused = _post(client, fields)
    assert refused.status_code == 400
    html = refused.text
    assert "Chưa lưu" in html
    # Each sentence is the one `config check` prints, next to its input.
    minutes = html.index('id="o-slots-0-minutes"')
    assert "nằm ngoài khoảng 1–1440" in html[minutes : minutes + 600]
    assert 'aria-describedby="loi-slots-0-minutes"' in html[minutes : minutes + 600]
    hours = html.index('id="o-web-session_hours"')
    assert "phải là một số" in html[hours : hours + 600]
    assert 'value="mười"' in html  # what was typed is shown again to be mended
    zone = html.index('id="o-zones-1-id"')
    assert "mã cụm loa" in html[zone : zone + 600]
    assert (ws.root / "station.toml").read_bytes() == before


def test_a_form_older_than_the_file_is_refused(ws: Workspace) -> None:
    client = signed_in_client(create_app(ws), login_of(Role.ADMIN))
    fields = _changed(_fields(client.get("/cai-dat").text), station__hotline="113")
    path = ws.root / "station.toml"
    path.write_text(path.read_text(encoding="utf-8") + "\n# sửa tay\n", encoding="utf-8")
    before = path.read_bytes()
    refused = _post(client, fields)
    assert refused.status_code == 400 and "vừa được sửa ở nơi khác" in refused.text
    assert path.read_bytes() == before


def test_a_viewer_is_refused_settings_and_backup(ws: Workspace) -> None:
    before = (ws.root / "station.toml").read_bytes()
    admin = signed_in_client(create_app(ws), login_of(Role.ADMIN))
    fields = _changed(_fields(admin.get("/cai-dat").text), station__hotline="113")
    viewer = signed_in_client(create_app(ws), login_of(Role.VIEWER))
    token = csrf_from(viewer.get("/bang-viec").text)
    assert viewer.get("/cai-dat").status_code == 403
    mine = [(n, token if n == "csrf" else v) for n, v in fields]
    assert _post(viewer, mine).status_code == 403
    assert viewer.get("/sao-luu").status_code == 403
    assert viewer.post("/sao-luu", data={"csrf": token}).status_code == 403
    assert (ws.root / "station.toml").read_bytes() == before


def test_the_backup_page_sends_an_archive_that_restores(ws: Workspace, tmp_path: Path) -> None:
    client = signed_in_client(create_app(ws), login_of(Role.ADMIN))
    page = client.get("/sao-luu")
    assert page.status_code == 200 and "broadcast restore" in page.text
    sent = client.post("/sao-luu", data={"csrf": csrf_from(page.text)})
    assert sent.status_code == 200
    assert sent.headers["content-type"] == "application/gzip"
    assert "sao-luu-" in sent.headers["content-disposition"]
    with tarfile.open(fileobj=io.BytesIO(sent.content)) as tar:
        assert {"broadcast.db", "station.toml", "manifest.json"} <= set(tar.getnames())
    archive = tmp_path / "tai-ve.tar.gz"
    archive.write_bytes(sent.content)
    restored = restore_workspace(archive, tmp_path / "khoi-phuc")
    assert restored.workspace.station.name == ws.station.name


def test_terms_are_imported_from_an_upload_and_exported_again(ws: Workspace) -> None:
    client = signed_in_client(create_app(ws), login_of(Role.ADMIN))
    token = csrf_from(client.get("/cai-dat").text)
    bad = client.post(
        "/cai-dat/nhap-thuat-ngu",
        data={"csrf": token},
        files={"tep_thuat_ngu": ("sai.csv", b"term,language,target\nUBND,xx,[xx] 1\n", "text/csv")},
    )
    assert bad.status_code == 400 and "dòng 2" in bad.text  # the CLI's own sentence
    good = "term,language,target\nTTHC,blt,[blt] thủ tục thử nghiệm\n".encode()
    done = client.post(
        "/cai-dat/nhap-thuat-ngu",
        data={"csrf": token},
        files={"tep_thuat_ngu": ("thuat-ngu.csv", good, "text/csv")},
    )
    assert done.status_code == 200 and "Đã nhập 1 thuật ngữ" in done.text
    exported = client.get("/cai-dat/thuat-ngu.csv")
    assert exported.status_code == 200
    assert "attachment" in exported.headers["content-disposition"]
    assert "[blt] thủ tục thử nghiệm" in exported.content.decode("utf-8-sig")
    tmx = client.get("/cai-dat/bo-nho-dich.tmx")
    assert tmx.status_code == 200 and b"<tmx" in tmx.content
    assert client.get("/cai-dat/thuat-ngu.tbx").status_code == 200
    viewer = signed_in_client(create_app(ws), login_of(Role.VIEWER))
    assert viewer.get("/cai-dat/thuat-ngu.csv").status_code == 403


# --- Giọng đọc và cấu hình trộn âm (issue 13, helper 13E) ------------------------------------


def test_a_mix_key_is_written_into_its_profile_and_applies_at_once(ws: Workspace) -> None:
    from broadcast.render.stages import mix_profile

    app = create_app(ws)
    client = signed_in_client(app, login_of(Role.ADMIN))
    page = client.get("/cai-dat")
    # Every shipped profile's field, an empty box showing the value that applies now.
    assert 'id="o-mix-web-bitrate"' in page.text and 'placeholder="đang dùng 128k"' in page.text
    assert 'id="o-mix-broadcast-loudness_lufs"' in page.text
    saved = _post(
        client,
        _changed(
            _fields(page.text),
            mix__web__bitrate="96k",
            mix__loudspeaker__pause_ms="300",
            mix__broadcast__loudness_lufs="-24,5",
            audio__speech_rate="140",
        ),
    )
    assert saved.status_code == 200, saved.text[:2000]
    text = (ws.root / "station.toml").read_text(encoding="utf-8")
    assert '[mix.web]\nbitrate = "96k"' in text and "loudness_lufs = -24.5" in text
    assert "speech_rate = 140" in text and text.startswith(COMMENT)
    current = app.state.workspace
    assert mix_profile(current, "web").bitrate == "96k"
    assert mix_profile(current, "loudspeaker").pause_ms == 300
    assert mix_profile(current, "broadcast").loudness_lufs == -24.5
    assert current.station.speech_rate == 140

    # Emptied again: the key leaves the file and the shipped value applies.
    again = client.get("/cai-dat")
    assert 'value="96k"' in again.text
    cleared = _post(client, _changed(_fields(again.text), mix__web__bitrate=""))
    assert cleared.status_code == 200, cleared.text[:2000]
    assert "[mix.web]" not in (ws.root / "station.toml").read_text(encoding="utf-8")
    assert mix_profile(app.state.workspace, "web").bitrate == "128k"


def test_an_invalid_mix_value_is_refused_at_its_field(ws: Workspace) -> None:
    before = (ws.root / "station.toml").read_bytes()
    client = signed_in_client(create_app(ws), login_of(Role.ADMIN))
    fields = _changed(
        _fields(client.get("/cai-dat").text),
        mix__web__loudness_lufs="3",
        mix__loudspeaker__bitrate="nhanh",
        mix__broadcast__pause_ms="2.5",
    )
    refused = _post(client, fields)
    assert refused.status_code == 400
    html = refused.text
    for name, sentence in (
        ("mix-web-loudness_lufs", "nằm ngoài khoảng -40–-5"),
        ("mix-loudspeaker-bitrate", "không đúng dạng"),
        ("mix-broadcast-pause_ms", "phải là số nguyên"),
    ):
        at = html.index(f'id="o-{name}"')
        assert sentence in html[at : at + 700], name
        assert f'aria-describedby="loi-{name}"' in html[at : at + 700]
    assert html.count('<details class="cd-tron" open>') == 3  # the profiles with an error
    assert (ws.root / "station.toml").read_bytes() == before


def test_nghe_thu_plays_the_sample_in_the_chosen_voice(ws: Workspace) -> None:
    from render_support import samples

    before = (ws.root / "station.toml").read_bytes()
    client = signed_in_client(create_app(ws), login_of(Role.ADMIN))
    page = client.get("/cai-dat")
    assert "espeak-vi-south — espeak-ng" in page.text and ">Nghe thử</button>" in page.text
    token = csrf_from(page.text)
    fragment = client.post(
        "/cai-dat/nghe-thu",
        data={"csrf": token, "audio.voice": "espeak-vi-south"},
        headers={"hx-request": "true"},
    )
    assert fragment.status_code == 200, fragment.text
    src = re.search(
        r'<audio [^>]*src="http://testserver/tep/(\.cache/preview/[^"]+\.wav)"', fragment.text
    )
    assert src, fragment.text
    served = client.get("/tep/" + src.group(1))
    assert served.status_code == 200 and served.content[:4] == b"RIFF"
    path = ws.root / src.group(1)
    assert path.read_bytes() == served.content
    heard = samples(path)
    assert 3.0 < len(heard) / 16000 < 20.0  # the whole sample sentence, measured
    assert float(abs(heard).max()) > 0.05  # speech, not silence

    # The saved station voice (an espeak-ng code, not a profile) is heard too, without htmx
    # as the whole page; a voice that is neither is refused in one sentence.
    whole = client.post("/cai-dat/nghe-thu", data={"csrf": token, "audio.voice": "vi"})
    assert whole.status_code == 200 and "<audio controls" in whole.text
    assert "<h1>Cài đặt đài</h1>" in whole.text
    refused = client.post(
        "/cai-dat/nghe-thu",
        data={"csrf": token, "audio.voice": "khong-co"},
        headers={"hx-request": "true"},
    )
    assert refused.status_code == 400 and "hãy lưu cài đặt trước" in refused.text
    assert (ws.root / "station.toml").read_bytes() == before  # listening saves nothing
