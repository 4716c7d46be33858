"""Content credentials (C2PA): a chain made here, signed exports, one changed byte fails."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import evidence_annotate as ea
from evidence_annotate.cli import main
from evidence_annotate.deliver.credentials import (
    SigningIdentity,
    create_identity,
    plan_actions,
    read_credentials,
    sign_video,
)
from evidence_annotate.errors import OutputError
from helpers import tmp_leftovers

pytest.importorskip("c2pa")


@pytest.fixture(scope="module")
def identity(tmp_path_factory: pytest.TempPathFactory) -> SigningIdentity:
    return create_identity(tmp_path_factory.mktemp("keys") / "shop", "Toko Maju")


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory, gray_clip: Path,
           identity: SigningIdentity) -> ea.ExportResult:
    folder = tmp_path_factory.mktemp("signed")
    return (ea.open(gray_clip).box((10, 10, 60, 40), start=0.5, end=1.5)
            .blur((100, 100, 40, 40))
            .export(folder / "evidence.mp4", speed="ultrafast", progress=False, sign=identity))


def _flip(path: Path, target: Path) -> Path:
    data = bytearray(path.read_bytes())
    at = data.find(b"mdat") + 64
    data[at] ^= 0x01
    target.write_bytes(bytes(data))
    return target


def test_identity_files_are_a_chain_with_private_keys(identity: SigningIdentity) -> None:
    chain = identity.chain.read_text()
    assert chain.count("BEGIN CERTIFICATE") == 2
    assert identity.key.stat().st_mode & 0o077 == 0
    assert SigningIdentity.load(identity.ca.parent) == identity
    with pytest.raises(OutputError, match="exists already"):
        create_identity(identity.ca.parent, "Toko Maju")


def test_a_signed_export_reads_back_valid_with_its_operations(
        signed: ea.ExportResult, identity: SigningIdentity) -> None:
    found = read_credentials(signed.path)
    assert found.ok and found.state == "Valid" and found.signer == "Toko Maju"
    assert found.actions == ("c2pa.opened", "c2pa.edited", "c2pa.filtered")
    assert read_credentials(signed.path, trust_anchors=identity.ca).state == "Trusted"
    assert not tmp_leftovers(signed.path.parent)


def test_the_manifest_hashes_the_signed_bytes(signed: ea.ExportResult) -> None:
    result = ea.verify(signed.manifest)  # type: ignore[arg-type]
    assert result.ok, str(result)
    assert result.credentials == (("evidence.mp4", "Valid"),)


def test_one_changed_byte_fails_the_credentials_and_verify(signed: ea.ExportResult,
                                                            tmp_path: Path) -> None:
    bad = _flip(signed.path, tmp_path / "bad.mp4")
    found = read_credentials(bad)
    assert found.state == "Invalid" and not found.ok
    assert any("mismatch" in problem for problem in found.problems)
    manifest = json.loads(Path(signed.manifest).read_text())  # type: ignore[arg-type]
    manifest["outputs"][0]["name"] = "bad.mp4"
    from evidence_annotate.output import sha256_file
    manifest["outputs"][0]["sha256"] = sha256_file(bad)  # the hash list forged too
    forged = tmp_path / "bad.mp4.manifest.json"
    forged.write_text(json.dumps(manifest))
    result = ea.verify(forged)
    assert not result.ok and any("credentials" in p for p in result.problems)


def test_an_unsigned_file_has_no_credentials(gray_clip: Path) -> None:
    assert read_credentials(gray_clip).state is None


def test_a_self_signed_certificate_is_refused(identity: SigningIdentity, gray_clip: Path,
                                              tmp_path: Path) -> None:
    ca_only = SigningIdentity(identity.ca, identity.ca.parent / "ca-key.pem", identity.ca)
    with pytest.raises(OutputError, match="self-signed"):
        sign_video(gray_clip, tmp_path / "x.mp4", ca_only, title="x.mp4", actions=[])


def test_plan_actions_name_every_operation() -> None:
    actions = plan_actions({"layers": [{"kind": "box", "start": 1.0, "end": 2.0},
                                       {"kind": "blur", "start": 0.0, "end": None}],
                            "title_card": {"order": "1"}, "captions": None,
                            "keep": [[0.0, 1.0]]})
    assert [a["action"] for a in actions] == ["c2pa.edited", "c2pa.filtered", "c2pa.edited",
                                              "c2pa.edited"]
    assert actions[0]["description"] == "box from 1 s to 2 s (source time)"


def test_sign_refuses_a_container_c2pa_cannot_sign(gray_clip: Path,
                                                   identity: SigningIdentity,
                                                   tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="sign="):
        ea.open(gray_clip).export(tmp_path / "x.mkv", sign=identity, progress=False)


def test_identity_command_and_check_line(tmp_path: Path, signed: ea.ExportResult,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["identity", str(tmp_path / "keys"), "--org", "Toko Maju"]) == 0
    assert (tmp_path / "keys" / "signer-chain.pem").is_file()
    main(["check", str(signed.path)])
    assert "credentials: Valid (signed by Toko Maju)" in capsys.readouterr().out


def test_a_signed_package_verifies_and_a_changed_byte_in_its_video_fails(
        tmp_path: Path, gray_clip: Path, identity: SigningIdentity) -> None:
    import zipfile

    result = ea.open(gray_clip).box((10, 10, 60, 40)).package(tmp_path / "p.zip", sign=identity)
    check = ea.verify(result.path)
    assert check.ok, str(check)
    assert check.credentials == (("gray_evidence.mp4", "Valid"),)
    forged = tmp_path / "forged.zip"
    with zipfile.ZipFile(result.path) as old, zipfile.ZipFile(forged, "w") as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename == "gray_evidence.mp4":
                at = data.find(b"mdat") + 64
                data = data[:at] + bytes([data[at] ^ 1]) + data[at + 1:]
            new.writestr(info, data)
    check = ea.verify(forged)
    assert not check.ok and any("content credentials Invalid" in p for p in check.problems)
