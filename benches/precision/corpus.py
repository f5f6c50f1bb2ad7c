#!/usr/bin/env python3
"""The development corpus for rule precision: real, maintained projects from the
registries this machine reaches (PyPI, npm, crates.io, Debian), pinned by
version and by the SHA-256 of the archive, fetched into
target/precision-corpus/<name>/ and never committed.

  benches/precision/corpus.py            fetch what is missing, verify every archive
  benches/precision/corpus.py --list     the projects, one line each
  --holdout                              the held-out split instead (never tuned on)

Each project keeps only its source tree (tests included, as shipped), so
findings are what a maintainer opening the package would see.
"""
import glob
import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORPUS = os.path.join(ROOT, "target/precision-corpus")
ARCHIVES = os.path.join(CORPUS, ".archives")

# name, languages, registry, package, version, sha256 of the archive, the
# directories (globs inside the unpacked archive) that make up the project.
PROJECTS = [
    ("attrs", "python", "pypi", "attrs", "24.2.0",
     "5cfb1b9148b5b086569baec03f20d7b6bf3bcacc9a42bebf87ffaaca362f6346", ["attrs-*/src", "attrs-*/tests"]),
    ("pytest", "python", "pypi", "pytest", "8.3.3",
     "70b98107bd648308a7952b06e6ca9a50bc660be218d53c257cc1fc94fda10181", ["pytest-*/src"]),
    ("aiohttp", "python", "pypi", "aiohttp", "3.10.10",
     "0631dd7c9f0822cc61c88586ca76d5b5ada26538097d0f1df510b082bad3411a", ["aiohttp-*/aiohttp"]),
    ("commander", "javascript", "npm", "commander", "12.1.0", "56affc6ddafe486f94b428ae2823d059cf60d4dae2f33eaaf1b1ec4306f73173", ["package/lib", "package/index.js"]),
    ("webpack", "javascript", "npm", "webpack", "5.95.0", "f2af5e3bd812296e13230723c11a8bb9338cb175fc4d852934abf4868569d27e", ["package/lib"]),
    ("rxjs", "typescript", "npm", "rxjs", "7.8.1", "c532167725ab7d085123209156c93cef22f2479cb9c8527060f1cd903aa9d149", ["package/src/internal"]),
    ("query-core", "typescript", "npm", "@tanstack/query-core", "5.59.0", "2586579316ffc0957be3c4c33e2f9dfa7732b55c15013b7139244d2ab60d27fc", ["package/src"]),
    ("react-day-picker", "tsx", "npm", "react-day-picker", "9.1.3", "8b152a1601c7a27337a5d00bd8d88e4c637a26643d3e5debe342c704a132366e", ["package/src"]),
    ("hyper", "rust", "crates", "hyper", "1.5.0", "bbbff0a806a4728c99295b254c8838933b5b082d75e3cb70c8dab21fdfbcfa9a", ["hyper-*/src"]),
    ("clap_builder", "rust", "crates", "clap_builder", "4.5.20", "19bc80abd44e4bed93ca373a0704ccbd1b710dc5749406201bb018272808dc54", ["clap_builder-*/src"]),
    ("rayon", "rust", "crates", "rayon", "1.10.0", "b418a60154510ca1a002a752ca9714984e21e4241e804d32555251faf8b78ffa", ["rayon-*/src"]),
    ("go-std", "go", "deb", "golang-1.19-src", "1.19.8-2", "2dfa82fe4f08f4e0193c532e561af4c91871f5235608f04f2bb8d57bb288df5a",
     ["usr/share/go-1.19/src/go/parser", "usr/share/go-1.19/src/go/types",
      "usr/share/go-1.19/src/text/template", "usr/share/go-1.19/src/net/http"]),
    ("jdk-util", "java", "deb", "openjdk-17-source", "17.0.19+10-1~deb12u2", "2591b37131025f872f057be99467b45f7fa2aed928c8d779208db9c3239e1190",
     ["src.zip!java.base/java/util"]),
    ("libgit2", "c", "crates", "libgit2-sys", "0.18.0+1.9.0", "e1a117465e7e1597e8febea8bb0c410f1c7fb93b1e1cddf34363f8390367ffec", ["libgit2-sys-*/libgit2/src"]),
    ("zstd", "c", "pypi", "zstandard", "0.23.0", "b2d8c62d08e7255f68f7a740bae85b3c9b8e5466baa9cbf7f57f1cde0ac6bc09", ["zstandard-*/zstd", "zstandard-*/c-ext"]),
    ("googletest", "cpp", "deb", "googletest", "1.12.1-0.2", "927be72067517da503b6538026d451455c9e860f5dbfe237f792543db7d5a928", ["usr/src/googletest"]),
    ("pythonnet", "csharp", "pypi", "pythonnet", "3.0.4", "c92fbcfddd16575f7e75a643302271658b606d8557df7f0132ac240e03cc3a8f", ["pythonnet-*/src/runtime"]),
    ("rake", "ruby", "deb", "rake", "13.0.6-3", "9818519ad01d850db5b52c35bddee7571764cb6838f9ba4b1efab76613a4b9f9", ["usr/share/rubygems-integration/all/gems/rake-*/lib"]),
    ("thor", "ruby", "deb", "ruby-thor", "1.2.1-2", "509715d16039ee7336531718e2497d0f81ae125b9ee53f321dd909c2f03fd2e1", ["usr/share/rubygems-integration/all/gems/thor-*/lib"]),
    ("symfony-console", "php", "deb", "php-symfony-console", "5.4.23+dfsg-1+deb12u5", "8a8c49a23146c2eff3c402f1f66ee467a456c33b2b5cf2a3bf14a51faba016b2",
     ["usr/share/php/Symfony/Component/Console"]),
    ("monolog", "php", "deb", "php-monolog", "2.9.1-1", "f8a26688b521e33cf6ef73b75ae5eac0cb026d986a336161456dd37dbb710681", ["usr/share/php/Monolog"]),
    ("neofetch", "bash", "deb", "neofetch", "7.1.0-4", "977499a6860467a709c68ec278bdce2c837a23ddc6fc5bd6039f5777757244aa", ["usr/bin/neofetch"]),
    ("bash-completion", "bash", "deb", "bash-completion", "1:2.11-6", "8f79fbfae64b85ea54f63c6db688f2cd8cb079f40b6164f8b1f9451e37790549",
     ["usr/share/bash-completion"]),
]

# The held-out split: other maintained projects, fetched and run only to
# report figures; no rule was changed while looking at their findings.
HOLDOUT = [
    ("requests", "python", "pypi", "requests", "2.32.3", "55365417734eb18255590a9ff9eb97e9e1da868d4ccd6402399eaf68af20a760", ["requests-*/src"]),
    ("click", "python", "pypi", "click", "8.1.7", "ca9853ad459e787e2192211578cc907e7594e294c7ccc834310722b41b9ca6de", ["click-*/src"]),
    ("express", "javascript", "npm", "express", "4.21.1", "4097da0999b7078263460df02b0990244794d84e79e185e6d4ff50ce06d79462", ["package/lib", "package/index.js"]),
    ("immer", "typescript", "npm", "immer", "10.1.1", "946cc79684ad1e080b09d4f2da14247b272aa667f3aaa100f35846148689f08f", ["package/src"]),
    ("serde_json", "rust", "crates", "serde_json", "1.0.132", "d726bfaff4b320266d395898905d0eba0345aae23b54aee3a737e260fd46db03", ["serde_json-*/src"]),
    ("anyhow", "rust", "crates", "anyhow", "1.0.93", "4c95c10ba0b00a02636238b814946408b1322d5ac4760326e6fb8ec956d85775", ["anyhow-*/src"]),
    ("go-std-2", "go", "deb", "golang-1.19-src", "1.19.8-2", "2dfa82fe4f08f4e0193c532e561af4c91871f5235608f04f2bb8d57bb288df5a",
     ["usr/share/go-1.19/src/encoding/json", "usr/share/go-1.19/src/net/url", "usr/share/go-1.19/src/archive/tar"]),
    ("jdk-io-net", "java", "deb", "openjdk-17-source", "17.0.19+10-1~deb12u2", "2591b37131025f872f057be99467b45f7fa2aed928c8d779208db9c3239e1190",
     ["src.zip!java.base/java/io", "src.zip!java.base/java/net"]),
    ("zlib-llhttp", "c", "crates", "libgit2-sys", "0.18.0+1.9.0", "e1a117465e7e1597e8febea8bb0c410f1c7fb93b1e1cddf34363f8390367ffec",
     ["libgit2-sys-*/libgit2/deps/zlib", "libgit2-sys-*/libgit2/deps/llhttp"]),
    ("pybind11", "cpp", "pypi", "pybind11", "2.13.6", "ba6af10348c12b24e92fa086b39cfba0eff619b61ac77c406167d813b096d39a", ["pybind11-*/pybind11/include"]),
    ("clr-loader", "csharp", "pypi", "clr_loader", "0.2.6", "019348ae6b6a83c7a406d14537c277cecf7a3a53b263ec342c81ded5845a67ee", ["clr_loader-*/netfx_loader"]),
    ("rack", "ruby", "deb", "ruby-rack", "2.2.22-0+deb12u1", "18bab2c3caffa2b1a35cd73d49652d749909e87fd2d5b57dd4a594a02a6ad157",
     ["usr/share/rubygems-integration/all/gems/rack-*/lib"]),
    ("guzzle-psr7", "php", "deb", "php-guzzlehttp-psr7", "2.4.5-1", "fafac6b79cfc18b0f1b67a4af4aa5eb12b9ad02d87626a0320962c2eb9c5508a", ["usr/share/php/GuzzleHttp"]),
    ("pass", "bash", "deb", "pass", "1.7.4-6", "f5919352167c67db440506b5cf18bdedc169fdf5c4a358d5383e9283a50d7df3", ["usr/bin/pass"]),
]


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def download(registry, package, version):
    """The archive for one pinned package, downloaded once into ARCHIVES."""
    os.makedirs(ARCHIVES, exist_ok=True)
    safe = package.replace("/", "_").replace("@", "")
    existing = glob.glob(os.path.join(ARCHIVES, f"{registry}-{safe}-*"))
    if existing:
        return existing[0]
    work = os.path.join(ARCHIVES, "tmp")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    if registry == "pypi":
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--disable-pip-version-check",
                        "--no-binary", ":all:", "--no-deps", "-d", work, f"{package}=={version}"], check=True)
    elif registry == "npm":
        subprocess.run(["npm", "pack", "--silent", f"{package}@{version}"], cwd=work, check=True,
                       capture_output=True)
    elif registry == "crates":
        url = f"https://static.crates.io/crates/{package}/{package}-{version}.crate"
        urllib.request.urlretrieve(url, os.path.join(work, f"{package}-{version}.crate"))
    elif registry == "deb":
        subprocess.run(["apt-get", "download", "-q", f"{package}={version}"], cwd=work, check=True,
                       capture_output=True)
    (name,) = os.listdir(work)
    dest = os.path.join(ARCHIVES, f"{registry}-{safe}-{name}")
    os.rename(os.path.join(work, name), dest)
    os.rmdir(work)
    return dest


def unpack(archive, dest):
    if archive.endswith(".deb"):
        subprocess.run(["dpkg-deb", "-x", archive, dest], check=True)
    elif archive.endswith(".zip"):
        shutil.unpack_archive(archive, dest)
    else:
        with tarfile.open(archive) as t:
            t.extractall(dest, filter="data")


def keep(unpacked, patterns, dest):
    """Copy the project's directories (or files) out of the unpacked archive."""
    import zipfile
    for pattern in patterns:
        if "!" in pattern:
            # A zip inside the package (the JDK's src.zip): extract one prefix.
            zip_glob, prefix = pattern.split("!")
            (zpath,) = glob.glob(os.path.join(unpacked, "**", zip_glob), recursive=True)[:1] or [None]
            if zpath is None:
                sys.exit(f"{zip_glob} not found in {unpacked}")
            with zipfile.ZipFile(zpath) as z:
                for member in z.namelist():
                    if member.startswith(prefix + "/"):
                        z.extract(member, dest)
            continue
        found = glob.glob(os.path.join(unpacked, pattern))
        if not found:
            sys.exit(f"{pattern} not found in {unpacked}")
        for src in found:
            target = os.path.join(dest, os.path.relpath(src, unpacked))
            if os.path.isdir(src):
                shutil.copytree(src, target, symlinks=False, ignore_dangling_symlinks=True)
            else:
                os.makedirs(os.path.dirname(target), exist_ok=True)
                shutil.copy(src, target)


def prepare(verbose=True, split="dev"):
    """Every project of `split` ("dev" or "holdout") under CORPUS (fetched when
    missing); returns {name: (path, language)}."""
    out = {}
    bad = []
    for name, lang, registry, package, version, digest, patterns in (PROJECTS if split == "dev" else HOLDOUT):
        dest = os.path.join(CORPUS, name)
        archive = download(registry, package, version)
        actual = sha256(archive)
        if digest and actual != digest:
            bad.append(f"{name}: {os.path.basename(archive)} has sha256 {actual}, pinned {digest}")
            continue
        if not digest and verbose:
            print(f"{name}: unpinned archive, sha256 {actual}", file=sys.stderr)
        if not os.path.isdir(dest):
            if verbose:
                print(f"preparing {name} ({registry} {package} {version})", file=sys.stderr)
            scratch = dest + ".unpacked"
            shutil.rmtree(scratch, ignore_errors=True)
            unpack(archive, scratch)
            keep(scratch, patterns, dest)
            shutil.rmtree(scratch)
        out[name] = (dest, lang)
    if bad:
        sys.exit("checksum mismatch:\n  " + "\n  ".join(bad))
    return out


if __name__ == "__main__":
    split = "holdout" if "--holdout" in sys.argv else "dev"
    if "--list" in sys.argv:
        for name, lang, registry, package, version, _, _ in (PROJECTS if split == "dev" else HOLDOUT):
            print(f"{name:18} {lang:11} {registry:7} {package} {version}")
    else:
        for name, (path, lang) in prepare(split=split).items():
            print(f"{name:18} {lang:11} {path}")
