"""The settings helpers turn environment strings into typed values, and refuse anything else loudly."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from committee.settings import database_from_url, env_bool, env_int, mailers_from_env, site_url_from_env

VARIABLE = "PARAGRAF_TEST_SETTING"


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch):
    for name in (VARIABLE, "DATABASE_POOL_SIZE", "DATABASE_TEST_NAME"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1", True),
        ("true", True),
        ("Yes", True),
        ("ON", True),
        ("0", False),
        ("false", False),
        ("No", False),
        ("OFF", False),
    ],
)
def test_env_bool_reads_the_usual_spellings(monkeypatch, value, expected):
    monkeypatch.setenv(VARIABLE, value)

    assert env_bool(VARIABLE) is expected


@pytest.mark.parametrize("default", [True, False])
def test_env_bool_unset_or_empty_gives_the_default(monkeypatch, default):
    assert env_bool(VARIABLE, default=default) is default
    monkeypatch.setenv(VARIABLE, "")
    assert env_bool(VARIABLE, default=default) is default


@pytest.mark.parametrize("value", ["2", "maybe", "ja", " true"])
def test_env_bool_other_values_raise(monkeypatch, value):
    monkeypatch.setenv(VARIABLE, value)

    with pytest.raises(ImproperlyConfigured, match=VARIABLE):
        env_bool(VARIABLE)


def test_env_int_reads_whole_numbers(monkeypatch):
    monkeypatch.setenv(VARIABLE, "-42")

    assert env_int(VARIABLE, 7) == -42


def test_env_int_unset_or_empty_gives_the_default(monkeypatch):
    assert env_int(VARIABLE, 7) == 7
    monkeypatch.setenv(VARIABLE, "")
    assert env_int(VARIABLE, 7) == 7


@pytest.mark.parametrize("value", ["ten", "1.5", "0x10", "1e3"])
def test_env_int_other_values_raise(monkeypatch, value):
    monkeypatch.setenv(VARIABLE, value)

    with pytest.raises(ImproperlyConfigured, match=VARIABLE):
        env_int(VARIABLE, 7)


def test_database_from_url_reads_every_part():
    database = database_from_url("postgresql://clerk:s%40cret@db.example:6543/n%C3%A4mnd")

    assert database == {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "nämnd",
        "USER": "clerk",
        "PASSWORD": "s@cret",
        "HOST": "db.example",
        "PORT": "6543",
        "OPTIONS": {"pool": {"min_size": 1, "max_size": 10, "timeout": 10}},
        "CONN_HEALTH_CHECKS": True,
        "TEST": {"NAME": None},
    }


def test_database_from_url_minimal_url_gets_defaults(monkeypatch):
    monkeypatch.setenv("DATABASE_POOL_SIZE", "3")
    monkeypatch.setenv("DATABASE_POOL_TIMEOUT", "4")
    monkeypatch.setenv("DATABASE_TEST_NAME", "test_elsewhere")

    database = database_from_url("postgres://localhost")

    assert database == {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "paragraf",
        "USER": "",
        "PASSWORD": "",
        "HOST": "localhost",
        "PORT": "",
        "OPTIONS": {"pool": {"min_size": 1, "max_size": 3, "timeout": 4}},
        "CONN_HEALTH_CHECKS": True,
        "TEST": {"NAME": "test_elsewhere"},
    }


def test_database_from_url_reads_a_socket_folder_as_the_host():
    database = database_from_url("postgres://postgres@/paragraf?host=/srv/Paragraf/var/postgres-socket")

    assert database["HOST"] == "/srv/Paragraf/var/postgres-socket"
    assert (database["PORT"], database["NAME"]) == ("", "paragraf")


@pytest.mark.parametrize("url", ["mysql://root@localhost/paragraf", "sqlite:///var/paragraf.sqlite3", "paragraf"])
def test_database_from_url_other_schemes_raise(url):
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        database_from_url(url)


def test_database_from_url_bad_pool_size_raises(monkeypatch):
    monkeypatch.setenv("DATABASE_POOL_SIZE", "many")

    with pytest.raises(ImproperlyConfigured, match="DATABASE_POOL_SIZE"):
        database_from_url("postgres://localhost/paragraf")


# The site address and mail (issue 18)

MAIL_VARIABLES = (
    "PARAGRAF_EMAIL_HOST",
    "PARAGRAF_EMAIL_PORT",
    "PARAGRAF_EMAIL_SECURITY",
    "PARAGRAF_EMAIL_USER",
    "PARAGRAF_EMAIL_PASSWORD",
    "PARAGRAF_EMAIL_TIMEOUT",
    "PARAGRAF_SITE_URL",
)


@pytest.fixture
def no_mail_settings(monkeypatch):
    for name in MAIL_VARIABLES:
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", ""),
        ("https://paragraf.example.se/", "https://paragraf.example.se"),
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
    ],
)
def test_site_url_is_scheme_and_host(monkeypatch, no_mail_settings, value, expected):
    monkeypatch.setenv("PARAGRAF_SITE_URL", value)
    assert site_url_from_env() == expected


@pytest.mark.parametrize(
    "value", ["paragraf.example.se", "ftp://paragraf.example.se", "https://x.se/paragraf", "https://"]
)
def test_site_url_other_values_raise(monkeypatch, no_mail_settings, value):
    monkeypatch.setenv("PARAGRAF_SITE_URL", value)
    with pytest.raises(ImproperlyConfigured, match="PARAGRAF_SITE_URL"):
        site_url_from_env()


def test_without_a_mail_host_development_writes_files_and_production_has_no_mailer(no_mail_settings, tmp_path):
    assert mailers_from_env(production=False, var_dir=tmp_path) == {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(tmp_path / "mail")},
        }
    }
    assert mailers_from_env(production=True, var_dir=tmp_path) == {}


@pytest.mark.parametrize(
    ("security", "port", "use_tls", "use_ssl"),
    [("", 587, True, False), ("starttls", 587, True, False), ("ssl", 465, False, True), ("none", 25, False, False)],
)
def test_mail_host_gives_an_smtp_mailer(monkeypatch, no_mail_settings, tmp_path, security, port, use_tls, use_ssl):
    monkeypatch.setenv("PARAGRAF_EMAIL_HOST", "smtp.example.se")
    monkeypatch.setenv("PARAGRAF_EMAIL_SECURITY", security)
    monkeypatch.setenv("PARAGRAF_EMAIL_USER", "paragraf")
    monkeypatch.setenv("PARAGRAF_EMAIL_PASSWORD", "hemligt")

    (mailer,) = mailers_from_env(production=True, var_dir=tmp_path).values()

    assert mailer == {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": "smtp.example.se",
            "port": port,
            "username": "paragraf",
            "password": "hemligt",
            "use_tls": use_tls,
            "use_ssl": use_ssl,
            "timeout": 10,
        },
    }


def test_mail_port_and_bad_security(monkeypatch, no_mail_settings, tmp_path):
    monkeypatch.setenv("PARAGRAF_EMAIL_HOST", "smtp.example.se")
    monkeypatch.setenv("PARAGRAF_EMAIL_PORT", "2525")
    assert mailers_from_env(production=True, var_dir=tmp_path)["default"]["OPTIONS"]["port"] == 2525
    monkeypatch.setenv("PARAGRAF_EMAIL_SECURITY", "tls")
    with pytest.raises(ImproperlyConfigured, match="PARAGRAF_EMAIL_SECURITY"):
        mailers_from_env(production=True, var_dir=tmp_path)
