"""Reuse the browser suite's fixtures (live server with the synced course, Chromium, tabs)."""

from tests.browser.conftest import (  # noqa: F401
    browser,
    log_in,
    make_account,
    new_tab,
    pytest_collection_modifyitems,
    site,
)
