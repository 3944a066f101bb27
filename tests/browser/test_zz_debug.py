import pytest
from tests.browser.harness import open_context, DESKTOP, PHONE, wait_for_figures

pytestmark = pytest.mark.browser


def test_debug(browser, site):
    context, watch = open_context(browser, site, viewport=PHONE, axe=False)
    page = context.new_page()
    page.goto(site + "/learn/deep-rl/q-learning/")
    page.evaluate("async () => { await document.fonts.ready; }")
    el = page.locator(".math.block.is-scrollable").first
    el.scroll_into_view_if_needed()
    page.screenshot(path="/tmp/16a-eq.png")
    context.close()
