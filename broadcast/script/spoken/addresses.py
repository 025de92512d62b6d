"""Web addresses and e-mail said the way an announcer dictates them."""

from __future__ import annotations

import re

from broadcast.script.numbers import read_digits
from broadcast.script.spoken.common import _Context, _is_syllable, _spell

# Domain labels said as words rather than letters, the way they are dictated on air.
DOMAIN_WORDS = {
    "vn": "vê en", "gov": "gốp", "com": "com", "net": "nét", "org": "o rờ gờ", "edu": "e đu",
    "www": "vê kép vê kép vê kép", "http": "hát tê tê pê", "https": "hát tê tê pê ét",
    "gmail": "gi meo",
}  # fmt: skip


def _links(text: str, context: _Context) -> str:
    """Only the site name of a link is worth hearing; the path means nothing on the radio.

    A link alone on its line is introduced as "trang web"; inside a sentence the words around
    it ("truy cập", "Website:") already say what it is.
    """
    text = re.sub(r"<?\b([\w.+-]+)@([\w-]+(?:\.[\w-]+)+)>?", _email, text)
    url = r"\b(?:https?://|www\.)[^\s<>\"]+|\b(?:[a-z0-9-]+\.)+(?:vn|com|net|org)\b(?:/\S*)?"

    def read(m: re.Match[str]) -> str:
        line_start = text.rfind("\n", 0, m.start()) + 1
        alone = not re.sub(r"[\s(\-+•*]", "", text[line_start : m.start()])
        link = m.group(0).rstrip(".,;:)")
        tail = m.group(0)[len(link) :]
        return ("trang web " if alone else "") + _host(link) + tail

    return re.sub(url, read, text)


def _email(match: re.Match[str]) -> str:
    user, host = match.groups()
    return f" {_dotted(user)} a còng {_dotted(host)} "


def _host(url: str) -> str:
    url = url.rstrip(".,;:)")
    host = re.sub(r"^(?:https?://)?(?:www\.)?", "", url).split("/")[0]
    return _dotted(host)


def _dotted(name: str) -> str:
    """Addresses said the way people dictate them: chấm, gạch ngang, gạch dưới."""
    marks = {".": "chấm", "-": "gạch ngang", "_": "gạch dưới", "+": "cộng"}
    pieces = re.split(r"([.\-_+])", name)
    return " ".join(marks[p] if p in marks else _say_label(p) for p in pieces if p)


def _say_label(label: str) -> str:
    """One part of an address as a listener can write it down.

    Known parts are words (gov is "gốp"); the rest is cut into Vietnamese syllables, which
    a voice can say (dichvucong -> dich vu cong), and letters that fit no syllable are
    spelled (ubnd -> u bê en dê). The tones are not in the address, so none are added.
    """
    lower = label.lower()
    if lower in DOMAIN_WORDS:
        return DOMAIN_WORDS[lower]
    return _toned(lower) or " ".join(_label_pieces(lower))


# Words of official addresses whose toneless spelling has one reading there, so their tones
# can be given back: "dichvucong" is "dịch vụ công" to every listener. A label is read with
# tones only when these words cover all of it; anything else keeps the toneless syllables.
ADDRESS_WORDS = {
    "dichvucong": "dịch vụ công", "dichvu": "dịch vụ", "hanhchinhcong": "hành chính công",
    "hanhchinh": "hành chính", "congan": "công an", "baohiem": "bảo hiểm", "xahoi": "xã hội",
    "chinhphu": "chính phủ", "baochinhphu": "báo chính phủ", "thuvien": "thư viện",
    "phapluat": "pháp luật", "vanphong": "văn phòng", "nhandan": "nhân dân",
    "thongtin": "thông tin", "truyenthong": "truyền thông", "dancu": "dân cư",
    "dinhdanh": "định danh", "dientu": "điện tử", "nongthon": "nông thôn",
    "nongnghiep": "nông nghiệp", "giaoduc": "giáo dục", "yte": "y tế",
    "moitruong": "môi trường", "tainguyen": "tài nguyên", "tuyenquang": "Tuyên Quang",
    "hagiang": "Hà Giang", "laocai": "Lào Cai", "yenbai": "Yên Bái", "caobang": "Cao Bằng",
    "backan": "Bắc Kạn", "langson": "Lạng Sơn", "dienbien": "Điện Biên", "laichau": "Lai Châu",
    "sonla": "Sơn La", "hoabinh": "Hòa Bình", "thainguyen": "Thái Nguyên", "phutho": "Phú Thọ",
    "hanoi": "Hà Nội", "nghean": "Nghệ An", "thanhhoa": "Thanh Hóa", "quangninh": "Quảng Ninh",
}  # fmt: skip


def _toned(label: str) -> str | None:
    """The label in toned words when ``ADDRESS_WORDS`` cover it exactly, else None."""
    ways: list[list[str] | None] = [None] * (len(label) + 1)
    ways[0] = []
    for start in range(len(label)):
        here = ways[start]
        if here is None:
            continue
        for word, said in ADDRESS_WORDS.items():
            end = start + len(word)
            known = ways[end] if end <= len(label) else None
            if label.startswith(word, start) and (known is None or len(known) > len(here) + 1):
                ways[end] = [*here, said]
    final = ways[len(label)]
    return " ".join(final) if final else None


def _label_pieces(label: str) -> list[str]:
    """Cheapest spoken pieces: a syllable or digit run is cheap, a spelled letter dear, and a
    syllable that starts with a consonant is preferred (xa muong, not xam uong)."""
    best: list[tuple[int, list[str]] | None] = [None] * (len(label) + 1)
    best[0] = (0, [])
    for start in range(len(label)):
        here = best[start]
        if here is None:
            continue
        cost, pieces = here
        for end, piece, step in _label_steps(label, start):
            known = best[end]
            if known is None or cost + step < known[0]:
                best[end] = (cost + step, [*pieces, piece])
    final = best[len(label)]
    return final[1] if final else [label]


def _label_steps(label: str, start: int) -> list[tuple[int, str, int]]:
    """(end, spoken piece, cost) of every way to say the label from ``start`` on."""
    digits = re.match(r"\d+", label[start:])
    if digits:
        return [(start + digits.end(), read_digits(digits.group(0)), 2)]
    steps = [(start + 1, _spell(label[start]) or label[start], 6)]
    cost = 3 if label[start] in "aeiouy" else 2
    for end in range(start + 2, min(len(label), start + 7) + 1):
        if _is_syllable(label[start:end]):
            steps.append((end, label[start:end], cost))
    return steps
