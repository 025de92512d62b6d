"""The pages of the web workspace, one module per page; each declares ``routes``.

The order of ``MODULES`` is the order of the navigation bar.
"""

from __future__ import annotations

import importlib

from broadcast.web.routing import RouteSpec

MODULES = (
    "auth",
    "home",
    "articles",
    "scripts",
    "people",
    "vetting",
    "translations",
    "renders",
    "takes",
    "emergency",
    "asrun",
    "reports",
    "jobs",
    "media",
    "schedule",
    "settings",
    "backup",
    "departments",
    "publish",
    "stations",
)


def specs() -> list[RouteSpec]:
    found: list[RouteSpec] = []
    for name in MODULES:
        module = importlib.import_module(f"broadcast.web.pages.{name}")
        found.extend(module.routes.specs)
    return found
