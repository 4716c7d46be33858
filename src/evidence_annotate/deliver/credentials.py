"""Content credentials (C2PA): sign an exported MP4 and read its credentials back.

A shop creates its signing identity once with [create_identity][]: a certificate authority
and a signing certificate issued by it (ES256, P-256 keys), as PEM files the shop keeps. C2PA
refuses a self-signed signing certificate, hence the two levels. Whether a reviewer trusts
the shop's CA is the reviewer's choice: [read_credentials][] reports ``"Valid"`` (signed,
every hash matches) and ``"Trusted"`` only when the CA is among the ``trust_anchors`` given.

Signing needs the ``credentials`` extra (``c2pa-python`` and ``cryptography``) and no network.
It is the very last step of an export, after every remux, so the signature covers the bytes
that are delivered; changing any byte of the video afterwards makes the credentials
``"Invalid"``.

Example:
    >>> identity = create_identity("keys", "Toko Maju")                     # doctest: +SKIP
    >>> ev.export("evidence.mp4", sign=identity)                            # doctest: +SKIP
    >>> read_credentials(Path("evidence.mp4")).state                        # doctest: +SKIP
    'Valid'
"""

from __future__ import annotations

import datetime as _dt
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from .._version import __version__
from ..errors import InputError, OutputError

__all__ = ["SIGNABLE", "Credentials", "SigningIdentity", "create_identity", "plan_actions",
           "read_credentials", "sign_video"]

SIGNABLE = (".mp4", ".m4v", ".mov")
"""The output suffixes that can carry content credentials."""
_UNSIGNED = ("ManifestNotFound", "JumbfNotFound", "Io", "NotSupported")
_FILES = ("ca.pem", "ca-key.pem", "signer-chain.pem", "signer-key.pem")


_COMPOSITE = "http://cv.iptc.org/newscodes/digitalsourcetype/composite"
_MIMES = {".mov": "video/quicktime", ".png": "image/png", ".jpg": "image/jpeg",
          ".jpeg": "image/jpeg", ".webp": "image/webp", ".heic": "image/heic"}


def _need(module: str) -> Any:
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise ImportError(f"{module!r} is not installed; content credentials need the "
                          "'credentials' extra: pip install 'evidence_annotate[credentials]'"
                          ) from None


@dataclass(frozen=True)
class SigningIdentity:
    """A shop's signing identity: PEM files it keeps.

    Attributes:
        chain: The signing certificate followed by its CA's certificate (PEM).
        key: The signing certificate's private key (PEM, PKCS#8).
        ca: The CA's certificate, to give reviewers as a trust anchor (PEM).
    """

    chain: Path
    key: Path
    ca: Path

    @classmethod
    def load(cls, folder: str | os.PathLike[str]) -> SigningIdentity:
        """The identity [create_identity][] wrote into ``folder``.

        Raises:
            InputError: A file is missing.
        """
        base = Path(folder)
        identity = cls(base / "signer-chain.pem", base / "signer-key.pem", base / "ca.pem")
        for path in (identity.chain, identity.key, identity.ca):
            if not path.is_file():
                raise InputError(f"signing identity file {str(path)!r} does not exist; create "
                                 "one with `evidence-annotate identity FOLDER --org NAME`", path)
        return identity


def create_identity(folder: str | os.PathLike[str], organization: str, *,
                    years: int = 3) -> SigningIdentity:
    """Create a CA and a signing certificate issued by it, as PEM files in ``folder``.

    Writes ``ca.pem`` and ``ca-key.pem`` (the CA: keep its key offline), and
    ``signer-chain.pem`` and ``signer-key.pem`` (what signing uses). Keys are written readable
    by their owner only. Existing files are never replaced.

    Args:
        folder: Where to write the four files (created).
        organization: The shop's name, shown as the signer.
        years: How long the signing certificate is valid (the CA: ten years).

    Returns:
        The [SigningIdentity][].

    Raises:
        OutputError: One of the files exists already.
        ValueError: ``organization`` is empty or ``years`` is not 1..10.
    """
    x509 = _need("cryptography.x509")
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    if not isinstance(organization, str) or not organization.strip():
        raise ValueError(f"organization={organization!r} must name the shop, e.g. 'Toko Maju'")
    if not isinstance(years, int) or not 1 <= years <= 10:
        raise ValueError(f"years={years!r} must be a whole number from 1 to 10, e.g. 3")
    base = Path(folder)
    for name in _FILES:
        if (base / name).exists():
            raise OutputError(f"{str(base / name)!r} exists already; choose an empty folder "
                              "(an identity is never overwritten)", base / name)
    now = _dt.datetime.now(_dt.timezone.utc)

    def subject(common: str) -> Any:
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common),
                          x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization)])

    def usage(sign: bool) -> Any:
        return x509.KeyUsage(digital_signature=sign, content_commitment=False,
                             key_encipherment=False, data_encipherment=False,
                             key_agreement=False, key_cert_sign=not sign, crl_sign=not sign,
                             encipher_only=False, decipher_only=False)

    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = subject(f"{organization} evidence CA")
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now - _dt.timedelta(minutes=5))
          .not_valid_after(now + _dt.timedelta(days=3650))
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(usage(False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
          .sign(ca_key, hashes.SHA256()))
    leaf = (x509.CertificateBuilder().subject_name(subject(f"{organization} evidence signer"))
            .issuer_name(ca_name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - _dt.timedelta(minutes=5))
            .not_valid_after(now + _dt.timedelta(days=365 * years))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(usage(True), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
                ca_key.public_key()), False)
            .sign(ca_key, hashes.SHA256()))
    pem, pkcs8 = serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8
    secret = serialization.NoEncryption()
    base.mkdir(parents=True, exist_ok=True)
    contents = (ca.public_bytes(pem), ca_key.private_bytes(pem, pkcs8, secret),
                leaf.public_bytes(pem) + ca.public_bytes(pem),
                key.private_bytes(pem, pkcs8, secret))
    for name, data in zip(_FILES, contents, strict=True):
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
        with os.fdopen(os.open(base / name, flags, 0o600 if "key" in name else 0o644), "wb") as f:
            f.write(data)
    return SigningIdentity(base / "signer-chain.pem", base / "signer-key.pem", base / "ca.pem")


def plan_actions(plan: dict[str, Any]) -> list[dict[str, Any]]:
    """C2PA actions for a plan as the manifest records it (``plan_to_dict``).

    Every layer becomes ``c2pa.edited`` (privacy layers ``c2pa.filtered``: their pixels are
    destroyed) with the layer's kind, window and parameters under ``evidence_annotate``;
    the title card, trims and cuts, and burned captions are edits too.

    Example:
        >>> plan_actions({"layers": [{"kind": "blur", "start": 0.0, "end": None}],
        ...               "title_card": None, "captions": None})[0]["action"]
        'c2pa.filtered'
    """
    actions = []
    for layer in plan.get("layers", ()):
        end = "the end" if layer.get("end") is None else f"{layer['end']:g} s"
        actions.append({"action": "c2pa.filtered" if layer.get("kind") == "blur"
                        else "c2pa.edited",
                        "description": f"{layer.get('kind')} from {layer.get('start', 0):g} s "
                                       f"to {end} (source time)",
                        "parameters": {"evidence_annotate": layer}})
    if plan.get("title_card") is not None:
        actions.append({"action": "c2pa.edited", "description": "title card prepended"})
    if plan.get("keep") is not None:
        actions.append({"action": "c2pa.edited", "description": "source ranges kept",
                        "parameters": {"evidence_annotate": {"keep": plan["keep"]}}})
    if plan.get("captions") is not None:
        actions.append({"action": "c2pa.edited", "description": "captions burned in"})
    return actions


def sign_video(source: Path, target: Path, identity: SigningIdentity, *, title: str,
               actions: Sequence[dict[str, Any]], original: Path | None = None,
               ingredients: Sequence[Path] = ()) -> None:
    """Write ``source`` signed with content credentials into ``target`` (an MP4).

    Args:
        source: The finished MP4.
        target: Where the signed copy goes (a temporary name of the export).
        identity: The signing identity.
        title: The file name shown in the credentials.
        actions: C2PA actions (``{"action": "c2pa.edited", ...}``) after ``c2pa.opened``.
        original: The source recording, recorded as the parent ingredient.
        ingredients: Several sources (a storyboard's clips and photos), each recorded as a
            component ingredient ``source1``, ``source2``, ... in order; the claim then
            starts with ``c2pa.created`` (a composite) and ``actions`` place them.

    Raises:
        OutputError: The identity was refused (C2PA refuses a self-signed signing
            certificate) or signing failed.
    """
    c2pa = _need("c2pa")
    mime = "video/quicktime" if target.suffix.lower() == ".mov" else "video/mp4"
    try:
        signer = c2pa.Signer.from_info(c2pa.C2paSignerInfo(
            b"es256", identity.chain.read_bytes(), identity.key.read_bytes(), None))
    except c2pa.C2paError as err:
        raise OutputError(f"the signing identity {str(identity.chain)!r} was refused: {err}; "
                          "use the files create_identity() wrote", identity.chain) from None
    opened: dict[str, Any] = {"action": "c2pa.opened"}
    if original is not None:
        opened["parameters"] = {"ingredientIds": ["original"]}
    elif ingredients:  # a composite: created here, every source placed by the actions
        opened = {"action": "c2pa.created", "digitalSourceType": _COMPOSITE}
    manifest = {"claim_generator_info": [{"name": "evidence_annotate", "version": __version__}],
                "title": title, "format": mime,
                "assertions": [{"label": "c2pa.actions.v2",
                                "data": {"actions": [opened, *actions]}}]}
    builder = c2pa.Builder(manifest)
    if original is not None:
        with original.open("rb") as stream:
            builder.add_ingredient({"title": original.name, "relationship": "parentOf",
                                    "label": "original", "instance_id": "original"},
                                   "video/quicktime" if original.suffix.lower() == ".mov"
                                   else "video/mp4", stream)
    for number, path in enumerate(ingredients, start=1):
        with path.open("rb") as stream:
            builder.add_ingredient({"title": path.name, "relationship": "componentOf",
                                    "label": f"source{number}",
                                    "instance_id": f"source{number}"},
                                   _MIMES.get(path.suffix.lower(), "video/mp4"), stream)
    try:
        with source.open("rb") as src, target.open("w+b") as dst:
            builder.sign(signer, mime, src, dst)
    except c2pa.C2paError as err:
        raise OutputError(f"could not sign {title!r}: {err}; sign with the chain that "
                          "create_identity() wrote (C2PA refuses a self-signed signing "
                          "certificate)", target) from None


@dataclass(frozen=True)
class Credentials:
    """The content credentials of a file, as read back.

    Attributes:
        state: ``"Trusted"``, ``"Valid"``, ``"Invalid"``, or ``None`` (not signed).
        problems: The validation failures (``signingCredential.untrusted`` excluded).
        signer: The signer's organization, when signed.
        actions: The recorded actions' names.
    """

    state: str | None
    problems: tuple[str, ...] = ()
    signer: str | None = None
    actions: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """True when signed and every hash and signature matches."""
        return self.state in ("Valid", "Trusted") and not self.problems


def read_credentials(path: Path, *, trust_anchors: Path | None = None,
                     stream: IO[bytes] | None = None) -> Credentials:
    """Read and validate the content credentials embedded in ``path``.

    Args:
        path: The video (its suffix gives the type when ``stream`` is given).
        trust_anchors: PEM certificates the reader trusts (e.g. a shop's ``ca.pem``).
        stream: Read the video from this seekable stream instead (a ZIP member).

    Returns:
        The [Credentials][] (``state`` ``None`` when the file carries none).
    """
    c2pa = _need("c2pa")
    context = None
    if trust_anchors is not None:
        settings = {"verify": {"verify_trust": True},
                    "trust": {"trust_anchors": trust_anchors.read_text(encoding="utf-8")}}
        context = c2pa.Context(c2pa.Settings.from_json(json.dumps(settings)))
    try:
        mime = "video/quicktime" if path.suffix.lower() == ".mov" else "video/mp4"
        source: tuple[Any, ...] = (str(path),) if stream is None else (mime, stream)
        reader = (c2pa.Reader(*source) if context is None
                  else c2pa.Reader(*source, context=context))
        data = json.loads(reader.json())
    except c2pa.C2paError as err:
        kind = type(err).__name__
        if any(name in kind for name in _UNSIGNED) or "not found" in str(err).lower():
            return Credentials(None)  # no credentials, or not a file C2PA can read
        return Credentials("Invalid", (f"{kind}: {err}"[:300],))
    active = data.get("manifests", {}).get(data.get("active_manifest"), {})
    problems = tuple(f"{s.get('code')}: {s.get('explanation')}"
                     for s in data.get("validation_status") or ()
                     if s.get("code") != "signingCredential.untrusted")
    actions = tuple(a.get("action", "?") for assertion in active.get("assertions", ())
                    if str(assertion.get("label", "")).startswith("c2pa.actions")
                    for a in assertion.get("data", {}).get("actions", ()))
    signer = (active.get("signature_info") or {}).get("issuer")
    return Credentials(data.get("validation_state"), problems, signer, actions)
