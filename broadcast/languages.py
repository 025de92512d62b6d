"""Languages a station may declare, with Vietnamese display names.

'Thái' is the Tai Dam / Tai Don language of northwest Vietnam (blt / twh), never ``th``
(the Thai of Thailand): asking for ``th`` is answered with the right codes.
"""

from __future__ import annotations

from broadcast.errors import InputError

LANGUAGES: dict[str, str] = {
    "vi": "tiếng Việt",
    "blt": "tiếng Thái (Thái Đen, Tai Dam)",
    "twh": "tiếng Thái (Thái Trắng, Tai Don)",
    "hnj": "tiếng Mông (Mông Njua)",
    "mww": "tiếng Mông (Mông Trắng)",
    "hmn": "tiếng Mông",
    "tyz": "tiếng Tày",
    "nut": "tiếng Nùng",
    "ium": "tiếng Dao (Iu Mien)",
    "en": "English",
}


def parse_languages(text: str) -> tuple[str, ...]:
    """'vi,blt,hmn' -> ('vi', 'blt', 'hmn'), refusing unknown codes with one sentence."""
    codes = tuple(dict.fromkeys(c.strip().lower() for c in text.split(",") if c.strip()))
    if "th" in codes:
        raise InputError(
            "Mã 'th' là tiếng Thái Lan; tiếng Thái ở Tây Bắc dùng mã 'blt' (Thái Đen) "
            "hoặc 'twh' (Thái Trắng)."
        )
    unknown = [c for c in codes if c not in LANGUAGES]
    if unknown:
        raise InputError(
            f"Không biết mã ngôn ngữ {', '.join(unknown)}; dùng một trong: {', '.join(LANGUAGES)}."
        )
    if "vi" not in codes:
        codes = ("vi", *codes)
    return codes
