"""/api/v1/docs works with no network: Swagger UI comes from django-ninja's own static files; and
axe-core finds no serious or critical violation on the page around it (test_accessibility.py's
check). Swagger UI's own markup (django-ninja's bundled copy) is not ours to fix: axe checks the
page (web/swagger.html, which names the language) with the .swagger-ui region excluded.

One load of the page for both: Swagger UI's 1.5 MB bundle and the ~450 kB OpenAPI document (built
and encoded once per process and language, core.api_errors.CqdtNinjaAPI) make it the dearest page
of the browser tests.
"""

import pytest
from test_accessibility import new_context, serious_violations, visit  # e2e/ is on the path

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

API_DOCS = "/api/v1/docs"


def test_swagger_ui_renders_with_every_other_host_blocked_and_passes_axe_around_it(
    browser, live_server
):
    context = new_context(browser, live_server, width=1366, height=800)
    elsewhere: list[str] = []

    def only_this_site(route):
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    context.route("**/*", only_this_site)
    page = context.new_page()
    visit(page, live_server.url + API_DOCS)
    page.locator(".swagger-ui .info .title").wait_for(timeout=45_000)
    assert "CQĐT API" in page.locator(".swagger-ui .info .title").inner_text()
    assert page.locator(".swagger-ui .opblock").count() > 50  # the operations, from openapi.json
    assert serious_violations(page, exclude=[".swagger-ui"]) == []
    assert elsewhere == []
    context.close()
