"""*Bảng việc*: what waits for the signed-in person, by their roles.

Scripts to vet (content approver), segments to translate or review in my languages
(translator, reviewer), scripts returned to me and takes to record (producer), and failed
jobs (mine; every one for an admin) — each with a link to the page where it is done. The
lists come from the same stage and store functions as the CLI's lists
(``script list``, ``review list``, ``broadcast.takes.edit.takes_to_record``, the jobs).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from starlette.responses import RedirectResponse, Response

from broadcast.model.jobs import JobState
from broadcast.model.people import Person, Role
from broadcast.store.workspace import Workspace
from broadcast.web.routing import Page, Routes

routes = Routes()
SHOWN = 8  # items listed per section; the count says how many there are


@dataclass(frozen=True)
class Item:
    label: str
    url: str
    note: str = ""


@dataclass
class Section:
    title: str
    count: int = 0
    items: list[Item] = field(default_factory=list)
    more_url: str = ""


def _vetting(ws: Workspace) -> Section:
    from broadcast.script.catalog import list_scripts

    waiting = [e for e in list_scripts(ws) if e.state_key == "submitted"]
    items = [Item(e.script.title, f"/duyet/{e.script.id}", f"#{e.script.id}") for e in waiting]
    return Section("Kịch bản chờ duyệt nội dung", len(items), items[:SHOWN], "/duyet")


def _translations(ws: Workspace, me: Person) -> list[Section]:
    from broadcast.store.translations import language_name, list_translations

    sections = []
    with ws.open_db() as db:
        for code in ws.station.languages:
            translator = me.has(Role.TRANSLATOR, code)
            reviewer = me.has(Role.REVIEWER, code)
            if code == "vi" or not (translator or reviewer):
                continue
            # Every segment not approved yet waits for one of them: the translator to
            # write or correct it, the reviewer to approve it (drafts included).
            open_ = [t for t in list_translations(db, code) if t.segments > t.approved]
            segments = sum(t.segments - t.approved for t in open_)
            items = [
                Item(
                    t.title,
                    f"/ban-dich/{code}/{t.script_id}",
                    f"{t.segments - t.approved} đoạn chưa duyệt · {t.state.label}",
                )
                for t in open_
            ]
            sections.append(
                Section(
                    f"Bản dịch {language_name(code)}: {segments} đoạn cần dịch hoặc duyệt",
                    len(items),
                    items[:SHOWN],
                    "/ban-dich",
                )
            )
    return sections


def _producer(ws: Workspace) -> list[Section]:
    from broadcast.script.catalog import list_scripts
    from broadcast.takes.edit import takes_to_record

    returned = [e for e in list_scripts(ws) if e.state_key == "returned"]
    back = [Item(e.script.title, f"/kich-ban/{e.script.id}", "bị trả lại") for e in returned]
    needed = takes_to_record(ws)
    takes = [Item(t.title, "/ban-thu", f"#{t.script_id} · {t.language}") for t in needed]
    return [
        Section("Kịch bản bị trả lại, cần sửa", len(back), back[:SHOWN]),
        Section("Bản dịch đã duyệt cần thu âm", len(takes), takes[:SHOWN], "/ban-thu"),
    ]


def _failed_jobs(ws: Workspace, me: Person) -> Section:
    from broadcast.jobs import tasks

    mine = None if me.has(Role.ADMIN) else me
    failed = tasks.list_jobs(ws, states=(JobState.FAILED,), person=mine, limit=SHOWN)
    items = [Item(f"{j.kind.label}: {j.subject}", f"/viec/{j.id}", j.error or "") for j in failed]
    return Section("Công việc bị lỗi", len(items), items, "/viec")


def work_for(ws: Workspace, me: Person) -> list[Section]:
    """The sections of *Bảng việc* for ``me``, by their roles."""
    sections: list[Section] = []
    if me.has(Role.CONTENT_APPROVER):
        sections.append(_vetting(ws))
    sections += _translations(ws, me)
    if me.has(Role.PRODUCER):
        sections += _producer(ws)
    sections.append(_failed_jobs(ws, me))
    return sections


@routes.get("/", "root")
async def root(page: Page) -> Response:
    return RedirectResponse(str(page.request.url_for("home")), status_code=303)


@routes.get("/bang-viec", "home", nav="Bảng việc")
async def home(page: Page) -> Response:
    sections = await page.call(work_for, page.workspace, page.me)
    return page.render("home.html", sections=sections)
