"""The project's URLs, plus stand-ins for the audit page and the inzage look-up where those are
not (yet) there, so the menu test can pin every item (tests/caseload/test_access_pages.py)."""

from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, URLPattern, URLResolver, include, path, reverse

import cases.urls
from config import urls as project


def _stand_in(request: HttpRequest) -> HttpResponse:
    return HttpResponse("")


def _exists(name: str) -> bool:
    try:
        reverse(name, urlconf=project)
    except NoReverseMatch:
        return False
    return True


cases_patterns: list[URLPattern | URLResolver] = list(cases.urls.urlpatterns)
if not _exists("cases:inzage_lookup"):
    cases_patterns.append(path("inzage/", _stand_in, name="inzage_lookup"))

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include((cases_patterns, "cases"))) if getattr(p, "namespace", None) == "cases" else p
    for p in project.urlpatterns
]
if not _exists("audit_log"):
    urlpatterns.append(path("audit/", _stand_in, name="audit_log"))
