"""Test setup shared by every folder: markers come from the folder, and PostgreSQL means PostgreSQL."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import override_settings

TESTS_DIR = Path(__file__).resolve().parent
FOLDER_MARKERS = ("unit", "integration", "browser")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test by its folder, before `-m` selects, so tests never mark themselves."""
    for item in items:
        try:
            folder = item.path.resolve().relative_to(TESTS_DIR).parts[0]
        except ValueError:
            continue
        if folder in FOLDER_MARKERS:
            item.add_marker(folder)


@pytest.fixture(scope="session", autouse=True)
def _database_url_means_postgresql() -> None:
    """A run that was asked for PostgreSQL must not pass on SQLite by a settings mistake."""
    if os.environ.get("DATABASE_URL"):
        from django.db import connection

        assert connection.vendor == "postgresql", f"DATABASE_URL is set but the database is {connection.vendor}"


@pytest.fixture(scope="session", autouse=True)
def _static_files_without_collectstatic() -> Iterator[None]:
    """Serve static files from the source folders, as in development: tests never run collectstatic.

    Without this WhiteNoise warns (an error under filterwarnings) that STATIC_ROOT does not exist.
    """
    with override_settings(WHITENOISE_AUTOREFRESH=True, WHITENOISE_USE_FINDERS=True):
        yield
