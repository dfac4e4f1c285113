#!/usr/bin/env python3
"""Vendor pinned front-end assets from the npm registry into ``static/vendor/``.

Why vendored
------------
The application runs on closed networks without Internet access and is served
under a strict Content-Security-Policy that only allows our own origin. So
the CSS, JavaScript and fonts it needs are committed to the repository and
served by Django like any other static file: no CDN, no download at run time
and no Node.js toolchain in production.

What the script does
--------------------
For every package in ``PACKAGES`` it runs ``npm pack <name>@<version>`` in a
temporary directory, checks the tarball against the sha512 integrity that npm
reports, and extracts only the listed files into ``static/vendor/<name>/``,
replacing whatever was there before. It then writes
``static/vendor/VERSIONS.json`` with the name, version, licence and npm
integrity of each package and the sha256 of every extracted file.

``--check`` works offline: it recomputes the sha256 of the files on disk and
compares them, and the pinned table, with ``VERSIONS.json``.

How to upgrade
--------------
1. Look up the new version, e.g. ``npm view bootstrap@5.3 version``.
2. Edit the exact version (and the file list, if the package layout changed)
   in ``PACKAGES`` below.
3. Run ``python scripts/vendor_assets.py``, then
   ``python scripts/vendor_assets.py --check``, and review the diff.

Only the ``npm`` command-line client and the standard library are needed.
"""

import argparse
import base64
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict

ROOT_DIR = Path(__file__).resolve().parent.parent
VENDOR_DIR = ROOT_DIR / "static" / "vendor"
VERSIONS_FILE = VENDOR_DIR / "VERSIONS.json"
TARBALL_PREFIX = "package/"  # npm tarballs keep their files under package/


@dataclass(frozen=True)
class Package:
    """An npm package pinned to an exact version and the files taken from it.

    ``files`` are paths inside the package; each one is written under
    ``static/vendor/<name>/`` with ``strip_prefix`` removed from its path.
    """

    name: str
    version: str
    files: tuple[str, ...]
    strip_prefix: str = ""

    @property
    def spec(self) -> str:
        """Return the npm package spec, e.g. ``bootstrap@5.3.9``."""
        return f"{self.name}@{self.version}"

    def destination(self, path: str) -> str:
        """Return where ``path`` goes, relative to the package's vendor directory."""
        return path.removeprefix(self.strip_prefix)


PACKAGES = (
    Package(
        name="bootstrap",
        version="5.3.9",
        strip_prefix="dist/",
        files=(
            "dist/css/bootstrap.min.css",
            "dist/css/bootstrap.min.css.map",
            "dist/css/bootstrap.rtl.min.css",  # for right-to-left languages (Arabic)
            # The .map files are not needed by browsers, but the CSS and JS name them in a
            # sourceMappingURL comment, and collectstatic's manifest storage fails on a missing one.
            "dist/css/bootstrap.rtl.min.css.map",
            "dist/js/bootstrap.bundle.min.js",
            "dist/js/bootstrap.bundle.min.js.map",
            "LICENSE",
        ),
    ),
    Package(
        name="bootstrap-icons",
        version="1.13.2",
        strip_prefix="font/",  # the CSS loads its fonts from ./fonts/
        files=(
            "font/bootstrap-icons.min.css",
            "font/fonts/bootstrap-icons.woff2",
            "font/fonts/bootstrap-icons.woff",
            "LICENSE",
        ),
    ),
    Package(
        name="htmx.org",
        version="2.0.11",
        strip_prefix="dist/",
        files=(
            "dist/htmx.min.js",
            "LICENSE",
        ),
    ),
    # Searchable, keyboard-accessible selects for long lists (193 countries, ~240 organisations): it
    # enhances the native <select>, which stays in the form and works without JavaScript.
    Package(
        name="tom-select",
        version="2.6.2",
        strip_prefix="dist/",
        files=(
            "dist/js/tom-select.complete.min.js",
            "dist/js/tom-select.complete.min.js.map",
            "dist/css/tom-select.bootstrap5.min.css",
            "dist/css/tom-select.bootstrap5.min.css.map",
            "LICENSE",
        ),
    ),
    # The projects' world map (issue 14): a choropleth drawn in the browser, no tile server.
    # chartjs-chart-geo's UMD build bundles what it needs of d3 and of topojson-client (as ChartGeo.topojson),
    # so topojson-client is not vendored on its own; it needs Chart.js, its peer, as the global Chart.
    Package(
        name="chart.js",
        version="4.5.1",
        strip_prefix="dist/",
        files=(
            "dist/chart.umd.min.js",
            "dist/chart.umd.min.js.map",
            "LICENSE.md",
        ),
    ),
    Package(
        name="chartjs-chart-geo",
        version="4.3.6",
        strip_prefix="build/",
        files=(
            "build/index.umd.min.js",
            "build/index.umd.min.js.map",
            "LICENSE",
        ),
    ),
    # Natural Earth's countries at 1:110m as TopoJSON; each shape's id is its ISO 3166-1 numeric code.
    Package(
        name="world-atlas",
        version="2.0.2",
        files=(
            "countries-110m.json",
            "LICENSE",
        ),
    ),
)


class PackageRecord(TypedDict):
    """One package's entry in ``VERSIONS.json``."""

    name: str
    version: str
    license: str
    integrity: str
    sha256: dict[str, str]  # destination path -> hex digest


@dataclass(frozen=True)
class Bundle:
    """The verified contents taken from one package's tarball."""

    package: Package
    license: str
    integrity: str
    files: dict[str, bytes]  # destination path -> content


class VendorError(Exception):
    """Raised when an asset cannot be fetched, verified or extracted."""


def npm_pack(package: Package, workdir: Path) -> tuple[Path, str]:
    """Download the package tarball into ``workdir``; return it and its integrity."""
    npm = shutil.which("npm")
    if npm is None:
        raise VendorError("the npm command-line client is not on PATH")
    result = subprocess.run(  # noqa: S603 - fixed argv, no shell
        [npm, "pack", package.spec, "--json", "--ignore-scripts"],
        cwd=workdir,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise VendorError(f"npm pack {package.spec} failed:\n{result.stderr.strip()}")
    (report,) = json.loads(result.stdout)
    if report["version"] != package.version:
        raise VendorError(f"{package.spec}: npm packed version {report['version']}; pin an exact version")
    return workdir / report["filename"], report["integrity"]


def verify_integrity(tarball: Path, integrity: str) -> None:
    """Raise unless the tarball's sha512 matches the npm integrity string.

    npm has already checked the download against the registry's published
    integrity; this makes sure the file we extract from is that download.
    """
    algorithm, _, expected = integrity.partition("-")
    if algorithm != "sha512":
        raise VendorError(f"{tarball.name}: unsupported integrity {integrity!r}")
    with tarball.open("rb") as file:
        digest = hashlib.file_digest(file, "sha512").digest()
    actual = base64.b64encode(digest).decode("ascii")
    if actual != expected:
        raise VendorError(
            f"{tarball.name}: integrity mismatch, npm reported sha512-{expected}, tarball is sha512-{actual}"
        )


def read_member(archive: tarfile.TarFile, path: str) -> bytes:
    """Return the content of the regular file ``path`` inside an npm tarball."""
    try:
        member = archive.getmember(TARBALL_PREFIX + path)
    except KeyError:
        raise VendorError(f"{archive.name}: no file {path!r}") from None
    content = archive.extractfile(member) if member.isfile() else None
    if content is None:
        raise VendorError(f"{archive.name}: {path!r} is not a regular file")
    return content.read()


def fetch(package: Package, workdir: Path) -> Bundle:
    """Download and verify a package, and read the files to vendor from it."""
    tarball, integrity = npm_pack(package, workdir)
    verify_integrity(tarball, integrity)
    with tarfile.open(tarball) as archive:
        manifest = json.loads(read_member(archive, "package.json"))
        files = {package.destination(path): read_member(archive, path) for path in package.files}
    license_id = manifest.get("license")
    if not isinstance(license_id, str):
        raise VendorError(f"{package.spec}: package.json has no licence identifier")
    return Bundle(package=package, license=license_id, integrity=integrity, files=files)


def install(bundle: Bundle) -> PackageRecord:
    """Replace the package's vendor directory with the bundle's files."""
    target = VENDOR_DIR / bundle.package.name
    if target.exists():
        shutil.rmtree(target)
    for path, content in bundle.files.items():
        destination = target / path
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes(content)
    return PackageRecord(
        name=bundle.package.name,
        version=bundle.package.version,
        license=bundle.license,
        integrity=bundle.integrity,
        sha256={path: hashlib.sha256(content).hexdigest() for path, content in bundle.files.items()},
    )


def vendor() -> None:
    """Fetch and verify every pinned package, then install them all."""
    with tempfile.TemporaryDirectory() as workdir:
        bundles = [fetch(package, Path(workdir)) for package in PACKAGES]
    records = [install(bundle) for bundle in bundles]
    content = {"generated_by": "scripts/vendor_assets.py", "packages": records}
    VERSIONS_FILE.write_text(json.dumps(content, indent=2) + "\n", encoding="utf-8")
    for record in records:
        print(f"{record['name']} {record['version']}: {len(record['sha256'])} files")
    print(f"Wrote {VERSIONS_FILE.relative_to(ROOT_DIR)}")


def file_sha256(path: Path) -> str:
    """Return the hex sha256 digest of a file."""
    with path.open("rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def check_package(package: Package, record: PackageRecord) -> list[str]:
    """Compare one package's pin and files on disk with its recorded entry."""
    if record["version"] != package.version:
        return [f"{package.name}: pinned {package.version}, vendored {record['version']}"]
    expected = record["sha256"]
    if set(expected) != {package.destination(path) for path in package.files}:
        return [f"{package.name}: pinned file list differs from VERSIONS.json"]
    directory = VENDOR_DIR / package.name
    on_disk = {path.relative_to(directory).as_posix() for path in directory.rglob("*") if path.is_file()}
    problems = [f"{package.name}/{path}: missing" for path in sorted(expected.keys() - on_disk)]
    problems += [f"{package.name}/{path}: not in VERSIONS.json" for path in sorted(on_disk - expected.keys())]
    problems += [
        f"{package.name}/{path}: sha256 differs from VERSIONS.json"
        for path in sorted(expected.keys() & on_disk)
        if file_sha256(directory / path) != expected[path]
    ]
    return problems


def check() -> list[str]:
    """Return every difference between the vendored files and VERSIONS.json."""
    if not VERSIONS_FILE.is_file():
        return [f"{VERSIONS_FILE.relative_to(ROOT_DIR)} does not exist"]
    recorded = json.loads(VERSIONS_FILE.read_text(encoding="utf-8"))["packages"]
    records: dict[str, PackageRecord] = {record["name"]: record for record in recorded}
    pinned = {package.name for package in PACKAGES}
    problems = [f"{name}: in VERSIONS.json but not pinned" for name in sorted(records.keys() - pinned)]
    for package in PACKAGES:
        if package.name in records:
            problems += check_package(package, records[package.name])
        else:
            problems.append(f"{package.name}: pinned but not in VERSIONS.json")
    return problems


def main(argv: list[str] | None = None) -> int:
    """Run the command line interface; return the exit status."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="verify the vendored files against VERSIONS.json, without network access",
    )
    args = parser.parse_args(argv)
    if args.check:
        problems = check()
        if problems:
            print("Vendored assets do not match VERSIONS.json:", file=sys.stderr)
            print("\n".join(f"  {problem}" for problem in problems), file=sys.stderr)
            print("Run scripts/vendor_assets.py to vendor them again.", file=sys.stderr)
            return 1
        print("Vendored assets match VERSIONS.json.")
        return 0
    try:
        vendor()
    except VendorError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
