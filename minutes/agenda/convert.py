"""Office documents to PDF, with LibreOffice (`soffice --headless --convert-to pdf`).

Each conversion runs in a private temporary folder with its own LibreOffice user profile, so two
uploads never share a profile's lock, and that profile forbids macros and links to other files or
the network; where the kernel allows it, the converter also runs without a network at all
(`unshare --net`). It is killed, with every process it started, after
PARAGRAF_OFFICE_TIMEOUT_SECONDS. The file the user named is never passed on: LibreOffice sees
"document" with the extension, in a folder nobody else writes to. A conversion of a page or two takes
one to three seconds here, so it runs in the upload request and its errors come back at the field.
"""

import contextlib
import functools
import io
import logging
import os
import shutil
import signal
import subprocess
import tempfile
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

CONVERTERS = ("soffice", "libreoffice")
OOXML = frozenset({".docx", ".xlsx", ".pptx"})
ODF = frozenset({".odt", ".ods", ".odp"})
LEGACY = frozenset({".doc", ".rtf", ".xls", ".ppt"})
OFFICE_EXTENSIONS = OOXML | ODF | LEGACY
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a compound file: an old Office file, or an encrypted new one
OFFICE_MAGIC = (ZIP_MAGIC, OLE_MAGIC, b"{\\rtf")
ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")  # the stream an encrypted .docx/.xlsx/.pptx holds

# The converter's own profile: macros never run (not even signed ones), links to other files and
# remote images are not followed. https://help.libreoffice.org/latest/en-US/text/shared/optionen/macrosecurity.html
PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" \
oor:op="fuse"><value>3</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="DisableMacrosExecution" \
oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="BlockUntrustedRefererLinks" \
oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Writer/Content/Update"><prop oor:name="Link" oor:op="fuse"><value>2</value>\
</prop></item>
<item oor:path="/org.openoffice.Office.Calc/Content/Update"><prop oor:name="Link" oor:op="fuse"><value>2</value>\
</prop></item>
</oor:items>
"""


def office_converter() -> str | None:
    """The path of LibreOffice's soffice on this server, if it is installed."""
    return next((path for name in CONVERTERS if (path := shutil.which(name))), None)


def is_office(name: str, data: bytes) -> bool:
    return Path(name).suffix.lower() in OFFICE_EXTENSIONS or data.startswith(OFFICE_MAGIC)


def check_office(name: str, data: bytes) -> None:
    """Refuse, before any conversion, an Office file that is plainly damaged or password-protected."""
    extension = Path(name).suffix.lower()
    if data.startswith(OLE_MAGIC) and ENCRYPTION_INFO in data:
        raise ValidationError(encrypted_message(), code="office_encrypted")
    if extension not in OOXML | ODF:
        return
    if not data.startswith(ZIP_MAGIC):
        raise ValidationError(broken_message(), code="office_broken")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            manifest = archive.read("META-INF/manifest.xml") if "META-INF/manifest.xml" in names else b""
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise ValidationError(broken_message(), code="office_broken") from None
    if b"encryption-data" in manifest:  # ODF keeps its encryption in the manifest
        raise ValidationError(encrypted_message(), code="office_encrypted")
    wanted = "[Content_Types].xml" if extension in OOXML else "content.xml"
    if wanted not in names:
        raise ValidationError(broken_message(), code="office_broken")


def convert_to_pdf(name: str, data: bytes) -> bytes:
    """The PDF LibreOffice makes of the Office file, or a ValidationError that says why there is none."""
    soffice = office_converter()
    if soffice is None:
        raise ValidationError(missing_message(), code="office_missing")
    check_office(name, data)
    extension = Path(name).suffix.lower()
    if extension not in OFFICE_EXTENSIONS:  # a recognised Office file under another name
        extension = ".rtf" if data.startswith(b"{\\rtf") else ".doc" if data.startswith(OLE_MAGIC) else ".docx"
    with tempfile.TemporaryDirectory(prefix="paragraf-office-") as folder:
        root = Path(folder)
        profile = root / "profile"
        (profile / "user").mkdir(parents=True)
        (profile / "user" / "registrymodifications.xcu").write_text(PROFILE, encoding="utf-8")
        source = root / f"document{extension}"
        source.write_bytes(data)
        output = root / "pdf"
        output.mkdir()
        command = [
            *_without_network(),
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--invisible",
            "--nologo",
            "--nodefault",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf",
            "--outdir",
            str(output),
            str(source),
        ]
        environment = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(root),
            "TMPDIR": str(root),
            "LANG": "C.UTF-8",
            "SAL_USE_VCLPLUGIN": "svp",
        }
        _run(command, environment, cwd=root)
        pdf = output / "document.pdf"
        if not pdf.is_file() or pdf.stat().st_size == 0:
            raise ValidationError(failed_message(), code="office_failed")
        return pdf.read_bytes()


def _run(command: list[str], environment: dict[str, str], *, cwd: Path) -> None:
    """Run the converter in its own process group, so that a timeout kills soffice.bin with its launcher."""
    timeout = settings.PARAGRAF_OFFICE_TIMEOUT_SECONDS
    process = subprocess.Popen(
        command,
        cwd=cwd,
        env=environment,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        output, _unused = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(process)
        logger.warning("the Office conversion took longer than %s s and was stopped", timeout)
        raise ValidationError(
            _(
                "Converting the file to PDF took longer than %(seconds)s seconds and was stopped. Save the "
                "document as PDF and upload the PDF."
            )
            % {"seconds": f"{timeout:g}".replace(".", ",")},
            code="office_timeout",
        ) from None
    except BaseException:
        _kill(process)
        raise
    finally:
        _kill_group(process.pid)  # a child left behind by soffice's launcher
    if process.returncode != 0:
        logger.info("soffice ended with %s: %s", process.returncode, output.decode(errors="replace")[-500:])


def _kill(process: subprocess.Popen) -> None:
    _kill_group(process.pid)
    process.kill()
    process.communicate()


def _kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)


@functools.cache
def _without_network() -> tuple[str, ...]:
    """`unshare` in a user and network namespace of its own, when this kernel lets this user make one."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return ()
    prefix = (unshare, "--net", "--map-root-user", "--")
    try:
        ok = subprocess.run([*prefix, "true"], capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        ok = False
    if not ok:
        logger.warning("unshare --net is not allowed here: Office conversions run with the network of the server")
    return prefix if ok else ()


def missing_message() -> str:
    return _(
        "Office files cannot be received here: no converter to PDF (LibreOffice) is installed on the server. "
        "Save the document as PDF and upload the PDF."
    )


def broken_message() -> str:
    return _("The Office file could not be read; it may be damaged. Open it, save it anew and upload it again.")


def encrypted_message() -> str:
    return _("The Office file is password-protected. Upload a copy without a password, or a PDF.")


def failed_message() -> str:
    return _(
        "The file could not be converted to PDF; it may be damaged or password-protected. Save the document "
        "as PDF and upload the PDF."
    )
