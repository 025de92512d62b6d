"""*Trạm đang làm việc*: the header's station switcher on a province server (issue 16).

Shown only to a person who may work in more than one station (a province reviewer, the
province admin). Choosing one is checked by ``broadcast.people.workplace.choose_station``
(the stations the person may work in), then remembered in the session; every later request
works in that station's folder and database rows. A forged or unknown code is answered with
the error page, 404 (no such station for this person), and the session is left as it was.
"""

from __future__ import annotations

from starlette.responses import Response

from broadcast.model.stations import StationEntry
from broadcast.people.workplace import choose_station
from broadcast.web.routing import ANYONE, STATION_KEY, Page, Routes, station_workspace

routes = Routes()


@routes.post("/tram", "station_switch", roles=ANYONE)
async def switch(page: Page) -> Response:
    form = await page.form()
    slug = str(form.get("tram") or "").strip()

    def check() -> StationEntry:
        with page.db() as db:
            entry = choose_station(db, page.me, page.workspace, slug)
        station_workspace(page.request.app, entry.slug)  # its folder must be readable
        return entry

    entry = await page.call(check)  # NotFound: the guard's 404 error page
    page.request.session[STATION_KEY] = entry.slug
    return page.redirect("home")
