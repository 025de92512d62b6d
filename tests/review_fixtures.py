"""A stored Vietnamese script built in code, for the translation and review tests.

The sentences are real Vietnamese (as a script would hold); every TARGET string used with
them in the tests is OBVIOUSLY SYNTHETIC ("‹blt› XX …", Tai Viet code points picked
arbitrarily from U+AA80–U+AADF and labelled so): nothing here is Thái or Mông.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from helpers import approve_content, make_workspace, open_db

from broadcast.model.people import Role as Role_
from broadcast.script.model import Role, Script, ScriptSentence
from broadcast.script.save import SavedScript, store_script
from broadcast.store.workspace import Workspace, find_workspace
from broadcast.text.model import Article

SENTENCES = (
    (Role.OPENING, "Đây là Đài truyền thanh xã Mường La."),
    (Role.HEADLINE, "Cải cách hành chính"),
    (Role.BODY, "Theo Quyết định 239/QĐ-UBND ngày 27/01/2026, xã có 15 thủ tục trực tuyến."),
    (Role.BODY, "UBND xã hướng dẫn bà con nộp hồ sơ trực tuyến."),
    (Role.BODY, "Cán bộ một cửa hỗ trợ bà con kê khai hồ sơ tại xã."),
    (Role.CLOSING, "Cảm ơn bà con đã lắng nghe."),
)
# Synthetic Tai Viet "text": arbitrary code points of the block, not words of any language.
TAVT = "\uaa80\uaa81\uaab5\uaa82 \uaa8a\uaa8b\uaabe"
# A whole synthetic segment in Tai Viet code points only (QA: one script, no mixing).
TAVT_SEGMENT = f"{TAVT} {TAVT} \uaa9c\uaa9d."


# The station's team (besides the first admin that init makes): the review tests name them
# with --by (display name or login). Translators edit, reviewers approve; the four-eyes rule
# keeps whoever last edited a segment from approving it.
TEAM = (
    ("an", "An", Role_.REVIEWER),
    ("chi", "Chi", Role_.REVIEWER),
    ("lo.van.a", "Lò Văn A", Role_.REVIEWER),
    ("binh", "Bình", Role_.TRANSLATOR),
    ("dung", "Dũng", Role_.TRANSLATOR),
)


def add_team(ws_root: Path) -> None:
    from broadcast.model.people import ANY_LANGUAGE, Grant
    from broadcast.store.people import add_person

    with open_db(ws_root) as db:
        for login, name, role in TEAM:
            add_person(db, login, name, [Grant(role, ANY_LANGUAGE)], by="test")


def workspace(root: Path) -> Workspace:
    made = make_workspace(root)
    add_team(made)
    return find_workspace(made)


def station_own_language_workspace(root: Path) -> Workspace:
    """A workspace whose station translates only into 'xyz', a synthetic Latin-only
    language it declares itself in station.toml (not in the shipped registry)."""
    made = make_workspace(root)
    station = made / "station.toml"
    text = re.sub(
        r"languages = \[[^\]]*\]", 'languages = ["vi", "xyz"]', station.read_text("utf-8")
    )
    station.write_text(
        text + '\n[languages.xyz]\nname = "tiếng Xyz (thử nghiệm)"\nscripts = ["Latn"]\n'
        'iso639_3 = "xyz"\n',
        encoding="utf-8",
    )
    add_team(made)
    return find_workspace(made)


def save(ws: Workspace, title: str = "Cải cách hành chính xã Mường La") -> SavedScript:
    article = Article(
        source=Path("bai-viet.txt"),
        title=title,
        body="\n\n".join(text for _role, text in SENTENCES[2:5]),
        format="txt",
        sha256="0" * 64,
    )
    script = Script(
        title=title,
        language="vi",
        sentences=tuple(ScriptSentence(role, text, text) for role, text in SENTENCES),
        target_minutes=1.0,
        estimated_seconds=40.0,
    )
    saved = store_script(ws, article, script, by="producer", now=dt.datetime(2026, 12, 2, 8))
    approve_content(ws.db_path, saved.id)  # Vietnamese airs once its content is vetted
    return saved


def synthetic_target(position: int, language: str = "blt") -> str:
    """A target that passes QA for SENTENCES[position]: codes and numbers carried over."""
    source = SENTENCES[position][1]
    carried = " ".join(w for w in source.replace(",", " ").split() if any(c.isdigit() for c in w))
    end = "." if source.endswith(".") else ""
    return (
        f"‹{language}› XX-{chr(65 + position)} {carried} ZZ ZZ ZZ ZZ".replace("  ", " ").strip()
        + end
    )
