"""`manage.py check --deploy` passes with the production variables the README lists."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION = {
    "PARAGRAF_PRODUCTION": "1",
    "DJANGO_SECRET_KEY": "k3v!x9-this-is-a-long-random-production-secret-for-the-deploy-check-0192837465",
    "DJANGO_ALLOWED_HOSTS": "paragraf.example.se",
    "DATABASE_URL": "postgres://paragraf:secret@db.example.se:5432/paragraf",
    "PARAGRAF_SEAL_PASSWORD": "a-seal-password-from-the-vault",
    "PARAGRAF_SITE_URL": "https://paragraf.example.se",
    "PARAGRAF_EMAIL_HOST": "smtp.example.se",
}


def check_deploy(extra: dict[str, str]) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PARAGRAF_", "DATABASE_"))}
    env.update(extra)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_check_deploy_is_clean_with_production_variables():
    result = check_deploy(PRODUCTION)
    assert (result.returncode, result.stderr) == (0, "")


def test_production_without_a_secret_key_refuses_to_start():
    result = check_deploy({k: v for k, v in PRODUCTION.items() if k != "DJANGO_SECRET_KEY"})
    assert result.returncode != 0 and "DJANGO_SECRET_KEY must be set in production" in result.stderr


def test_production_without_a_mail_server_fails_the_deploy_check():
    result = check_deploy({k: v for k, v in PRODUCTION.items() if k != "PARAGRAF_EMAIL_HOST"})
    assert result.returncode == 1
    assert "paragraf.W002" in result.stderr and "password reset by e-mail is off" in result.stderr


def test_production_without_the_site_url_fails_the_deploy_check():
    result = check_deploy({k: v for k, v in PRODUCTION.items() if k != "PARAGRAF_SITE_URL"})
    assert result.returncode == 1
    assert "paragraf.W001" in result.stderr and "Host header" in result.stderr
