"""/api/v1/docs works with no network: Swagger UI comes from django-ninja's own static files."""

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_swagger_ui_renders_with_every_other_host_blocked(browser, live_server):
    context = browser.new_context()
    elsewhere: list[str] = []

    def only_this_site(route):
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    context.route("**/*", only_this_site)
    page = context.new_page()
    page.goto(f"{live_server.url}/api/v1/docs")
    page.locator(".swagger-ui .info .title").wait_for(timeout=15000)
    assert "CQĐT API" in page.locator(".swagger-ui .info .title").inner_text()
    assert page.locator(".swagger-ui .opblock").count() > 50  # the operations, from openapi.json
    assert elsewhere == []
    context.close()
