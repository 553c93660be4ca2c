"""The organisation's seal certificate: created once (self-signed for development and the demo), loaded to sign.

The certificate and its key live in one PKCS#12 file named by settings.PARAGRAF_SEAL_PKCS12 and
opened with settings.PARAGRAF_SEAL_PASSWORD. A demo certificate says so in its own subject, so
anything signed with it can be told apart from a real seal (see `is_demo_certificate`).
"""

import datetime
import hashlib
import os
import tempfile
from pathlib import Path

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from pyhanko.sign.signers.pdf_cms import SimpleSigner
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

# The organisational unit of every demo certificate; sign.py also prints it on the stamp.
DEMO_MARK = "DEMO – ej giltigt"
DEMO_ORGANISATION = "Årstadals stadsdelsnämnd"
CREATE_COMMAND = "manage.py create_seal_certificate"
# RSA rather than EC: pyHanko marks an ECDSA-signed file as PDF 2.0 (ISO 32002), which PDF/A-3 is not.
RSA_KEY_SIZE = 3072
DEFAULT_VALID_DAYS = 10 * 365
MAX_NAME_BYTES = 64  # X.520 upper bound for CN and O, as cryptography counts it


def default_common_name(organisation: str, *, demo: bool) -> str:
    """The certificate's CN, with the organisation in it when it fits (a CN holds at most 64 bytes of UTF-8)."""
    if demo:
        full, short = f"Paragraf DEMO-sigill – {organisation} (endast demo)", "Paragraf DEMO-sigill (endast demo)"
    else:
        full, short = f"Paragraf sigill – {organisation}", "Paragraf sigill"
    return full if len(full.encode()) <= MAX_NAME_BYTES else short


def create_organisation_certificate(
    path: str | os.PathLike,
    password: str,
    *,
    organisation: str,
    common_name: str,
    demo: bool = True,
    valid_days: int = DEFAULT_VALID_DAYS,
    overwrite: bool = False,
) -> None:
    """Write a new self-signed seal certificate and its key as PKCS#12, readable by the owner only.

    The file appears whole or not at all (written beside the target, then moved into place), and
    an existing file is kept unless `overwrite` is set: FileExistsError then.
    """
    key = rsa.generate_private_key(public_exponent=65537, key_size=RSA_KEY_SIZE)
    attributes = [x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation)]
    if demo:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, DEMO_MARK))
    attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    name = x509.Name(attributes)
    now = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=valid_days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,  # nonRepudiation
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    encryption = serialization.BestAvailableEncryption(password.encode()) if password else serialization.NoEncryption()
    data = pkcs12.serialize_key_and_certificates(common_name.encode(), key, certificate, None, encryption)
    write_private_file(Path(path), data, overwrite=overwrite)


def write_private_file(path: Path, data: bytes, *, overwrite: bool) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")  # mode 0600
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        if overwrite:
            os.replace(temporary, path)
        else:
            os.link(temporary, path)  # fails if the path exists, unlike a rename
    finally:
        Path(temporary).unlink(missing_ok=True)


class OrganisationSigner(SimpleSigner):
    """pyHanko's in-memory signer, keeping the private key parsed.

    SimpleSigner parses the key again for every signature, and cryptography then re-validates an
    RSA key: 0.15–0.35 s for 3072 bits, most of the cost of a seal.
    """

    def __init__(self, private_key: PrivateKeyTypes, **kwargs):
        super().__init__(**kwargs)
        self.private_key = private_key

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
        if isinstance(self.private_key, rsa.RSAPrivateKey) and mechanism.signature_algo == "rsassa_pkcs1v15":
            return self.private_key.sign(data, padding.PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))
        return super().sign_raw(data, digest_algorithm)


def read_signer(path: str | os.PathLike, password: str) -> OrganisationSigner:
    """The signer in a PKCS#12 file; ValueError if the file cannot be opened with the password."""
    key, certificate, others = pkcs12.load_key_and_certificates(Path(path).read_bytes(), password.encode() or None)
    if key is None or certificate is None:
        raise ValueError("The PKCS#12 file holds no key and certificate")

    def asn1(cert: x509.Certificate) -> asn1_x509.Certificate:
        return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))

    key_info = asn1_keys.PrivateKeyInfo.load(
        key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return OrganisationSigner(
        key,
        signing_cert=asn1(certificate),
        signing_key=key_info,
        cert_registry=SimpleCertificateStore.from_certs([asn1(other) for other in others]),
    )


_cache: dict[tuple, OrganisationSigner] = {}


def load_signer() -> OrganisationSigner:
    """The organisation's signer from the settings, read again only when the file changes."""
    path = Path(settings.PARAGRAF_SEAL_PKCS12)
    password = settings.PARAGRAF_SEAL_PASSWORD or ""
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise ImproperlyConfigured(
            f"The seal certificate {path} does not exist (PARAGRAF_SEAL_PKCS12). "
            f"Create one for development or the demo with `{CREATE_COMMAND}`."
        ) from None
    key = (str(path), stat.st_mtime_ns, stat.st_size, stat.st_ino, password)
    if key not in _cache:
        try:
            signer = read_signer(path, password)
        except (OSError, ValueError) as error:
            raise ImproperlyConfigured(
                f"The seal certificate {path} cannot be opened with PARAGRAF_SEAL_PASSWORD: {error}"
            ) from None
        _cache.clear()
        _cache[key] = signer
    return _cache[key]


def organisation_certificate() -> asn1_x509.Certificate:
    """The certificate a Paragraf seal must be made with: the one in settings.PARAGRAF_SEAL_PKCS12."""
    return load_signer().signing_cert


def is_demo_certificate(certificate: asn1_x509.Certificate) -> bool:
    units = certificate.subject.native.get("organizational_unit_name", ())
    return DEMO_MARK in ([units] if isinstance(units, str) else units)


def fingerprint(certificate: asn1_x509.Certificate) -> str:
    """The SHA-256 fingerprint as viewers show it: colon-separated upper-case hex."""
    return ":".join(f"{byte:02X}" for byte in hashlib.sha256(certificate.dump()).digest())
