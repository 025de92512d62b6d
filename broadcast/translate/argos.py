"""The ``argos`` engine: argostranslate ``.argosmodel`` packages kept inside the workspace.

argostranslate reads its directories from the environment when ``argostranslate.settings`` is
first imported (and creates them under the user's home), and its sentence splitters (MiniSBD,
stanza, spaCy) download models on first use. So this module:

* imports argostranslate only inside functions, after pointing every directory it reads at
  ``<workspace>/models/argos/`` (the previous environment is put back right after);
* never builds argostranslate's sentence splitters: our text stage already split the script
  into sentences, so each sentence is tokenized with the package's own tokenizer
  (``argostranslate.package.Package``) and translated by CTranslate2 exactly as
  argostranslate's ``apply_packaged_translation`` does;
* replaces argostranslate's download functions with a guard raising ``EngineError``, so no
  code path can reach the network;
* installs packages itself (validated zip, extracted to a staging folder, moved into place at
  once) because argostranslate's ``install_from_path`` extracts whatever the zip holds and
  then imports its translate module, which pulls stanza and PyTorch.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from types import ModuleType
from typing import Any

from broadcast.errors import EngineError, InputError
from broadcast.safeparse import load_json
from broadcast.store.workspace import Workspace
from broadcast.text.sentences import split_sentences
from broadcast.translate.engines import MTEngine, register

MODELS_DIR = Path("models") / "argos"
PACKAGES = "packages"
SETTINGS = ".argos"  # argostranslate's own data/config/cache folders
STAGING = ".staging"
EXTRA_HINT = "cài thêm gói tùy chọn: pip install 'broadcast[mt]'"
_REQUIRED = ("argostranslate", "ctranslate2", "sentencepiece")
_CODE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


@dataclass(frozen=True)
class ArgosModel:
    """An installed package as ``broadcast mt list`` shows it."""

    from_code: str
    to_code: str
    from_name: str
    to_name: str
    version: str
    folder: Path


def models_dir(workspace: Workspace) -> Path:
    return workspace.root / MODELS_DIR


def packages_dir(workspace: Workspace) -> Path:
    return models_dir(workspace) / PACKAGES


def require_argos() -> None:
    """Refuse early, with the extra to install, when the optional packages are missing."""
    missing = [name for name in _REQUIRED if _find_spec(name) is None]
    if missing:
        raise EngineError(
            f"Bộ dịch argos cần gói {', '.join(missing)} chưa được cài; {EXTRA_HINT}."
        )


def _find_spec(name: str) -> Any:
    try:
        return importlib.util.find_spec(name)
    except (ImportError, ValueError):  # a module set to None in sys.modules counts as missing
        return None


def _settings_env(workspace: Workspace) -> dict[str, str]:
    """Every directory and setting argostranslate reads at import time, inside the workspace."""
    own = models_dir(workspace) / SETTINGS
    return {
        "ARGOS_PACKAGES_DIR": str(packages_dir(workspace)),
        "XDG_DATA_HOME": str(own / "data"),
        "XDG_CONFIG_HOME": str(own / "config"),
        "XDG_CACHE_HOME": str(own / "cache"),
        "ARGOS_DEVICE_TYPE": "cpu",
        "ARGOS_DEBUG": "0",
        # Nothing here fetches the index; if anything tried, it would hit a closed port.
        "ARGOS_PACKAGE_INDEX": "http://127.0.0.1:9/",
    }


@contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, old in saved.items():
            if old is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = old


def _refuse_download(*_args: object, **_kwargs: object) -> bytes:
    raise EngineError(
        "argostranslate định tải dữ liệu từ mạng; broadcast chỉ dùng gói .argosmodel đã cài "
        "bằng 'broadcast mt install'."
    )


def _argos_package_module(workspace: Workspace) -> ModuleType:
    """``argostranslate.package``, imported with this workspace's directories and no network.

    argostranslate fixes its directories once per process, at its first import; every call
    below passes this workspace's folders explicitly, so a later workspace is served too.
    """
    require_argos()
    with _environment(_settings_env(workspace)):
        import argostranslate.networking as networking
        import argostranslate.package as package
    networking.get = _refuse_download
    networking.get_from = _refuse_download
    networking.cache_spacy = _refuse_download
    return package


# --- install and list ---------------------------------------------------------------------


def list_models(workspace: Workspace) -> list[ArgosModel]:
    """The packages installed in the workspace, read by argostranslate itself."""
    models = [_model_of(pkg) for pkg in installed_packages(workspace)]
    return sorted(models, key=lambda m: (m.from_code, m.to_code))


def installed_packages(workspace: Workspace) -> list[Any]:
    """``argostranslate.package.Package`` objects of the workspace's installed packages.

    argostranslate's own ``get_installed_packages`` fails on the first folder without a
    readable metadata.json with a bare FileNotFoundError; here the folder is named instead.
    """
    folder = packages_dir(workspace)
    if not folder.is_dir():
        return []
    package = _argos_package_module(workspace)
    packages = []
    for path in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")):
        try:
            packages.append(package.Package(path))
        except (OSError, ValueError) as exc:  # json.JSONDecodeError is a ValueError
            raise EngineError(
                f"Gói dịch {path.name} trong {folder} bị hỏng ({exc}); hãy cài lại bằng "
                "'broadcast mt install'."
            ) from None
    return packages


def _model_of(pkg: Any) -> ArgosModel:
    return ArgosModel(
        from_code=str(pkg.from_code),
        to_code=str(pkg.to_code),
        from_name=str(getattr(pkg, "from_name", "") or pkg.from_code),
        to_name=str(getattr(pkg, "to_name", "") or pkg.to_code),
        version=str(getattr(pkg, "package_version", "") or ""),
        folder=Path(pkg.package_path),
    )


def install_model(workspace: Workspace, archive: Path) -> ArgosModel:
    """Install one ``.argosmodel`` into the workspace, replacing a package of the same pair.

    The zip is checked before anything is written (one top-level folder, ``metadata.json``
    with ``from_code`` and ``to_code``, a CTranslate2 ``model/`` and a tokenizer), extracted
    into a staging folder, read back by argostranslate, and only then moved into place.
    """
    top, metadata = _check_archive(archive)
    package = _argos_package_module(workspace)
    target_root = packages_dir(workspace)
    target_root.mkdir(parents=True, exist_ok=True)
    staging_root = models_dir(workspace) / STAGING
    staging_root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=staging_root, prefix="install-"))
    try:
        with zipfile.ZipFile(archive) as zf:
            zf.extractall(staging)
        try:
            pkg = package.Package(staging / top)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise InputError(
                f"Gói {archive.name} không đọc được bằng argostranslate ({exc})."
            ) from None
        if getattr(pkg, "tokenizer", None) is None:
            raise InputError(
                f"Gói {archive.name} thiếu bộ tách từ (sentencepiece.model hoặc bpe.model)."
            )
        final = target_root / top
        pair = (metadata["from_code"], metadata["to_code"])
        replaced = [f for f in target_root.iterdir() if f.is_dir() and _pair_of(f) == pair]
        if final.exists() and final not in replaced:
            replaced.append(final)
        _swap_in(staging / top, final, replaced, trash=staging / ".replaced")
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        with suppress(OSError):  # left only while another install is running
            staging_root.rmdir()
    return _model_of(package.Package(final))


def _pair_of(folder: Path) -> tuple[str, str] | None:
    """The language pair of an installed folder, None when unreadable (a broken folder must
    not stop the install that repairs it)."""
    try:
        meta = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
        return (str(meta["from_code"]), str(meta["to_code"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _swap_in(new: Path, final: Path, replaced: list[Path], trash: Path) -> None:
    """Move ``new`` to ``final`` after moving the packages it replaces aside; undo on failure."""
    trash.mkdir()
    moved: list[tuple[Path, Path]] = []
    try:
        for i, old in enumerate(replaced):
            old.rename(trash / str(i))
            moved.append((trash / str(i), old))
        new.rename(final)
    except OSError as exc:
        for aside, old in reversed(moved):
            aside.rename(old)
        raise EngineError(f"Không cài được gói vào {final.parent} ({exc.strerror}).") from None


def _check_archive(archive: Path) -> tuple[str, dict[str, Any]]:
    """(top-level folder, metadata) of a valid package; a clear InputError otherwise."""
    name = archive.name
    if not archive.is_file():
        raise InputError(f"Không tìm thấy tệp {archive}.")
    if not zipfile.is_zipfile(archive):
        raise InputError(f"Tệp {name} không phải gói .argosmodel (phải là tệp zip).")
    try:
        with zipfile.ZipFile(archive) as zf:
            infos = zf.infolist()
            names = [i.filename for i in infos]
            top = _single_top_folder(name, names)
            try:
                raw = zf.read(f"{top}/metadata.json")
            except KeyError:
                raise InputError(f"Gói {name} thiếu tệp {top}/metadata.json.") from None
            bad = zf.testzip()
    except zipfile.BadZipFile as exc:
        raise InputError(f"Tệp zip {name} bị hỏng ({exc}).") from None
    if bad is not None:
        raise InputError(f"Tệp zip {name} bị hỏng ở {bad}.")
    metadata = _parse_metadata(name, raw)
    members = set(names)
    if f"{top}/model/model.bin" not in members:
        raise InputError(f"Gói {name} thiếu mô hình CTranslate2 ({top}/model/model.bin).")
    if not members & {f"{top}/sentencepiece.model", f"{top}/bpe.model"}:
        raise InputError(f"Gói {name} thiếu bộ tách từ ({top}/sentencepiece.model hoặc bpe.model).")
    return top, metadata


def _single_top_folder(name: str, names: list[str]) -> str:
    tops = set()
    for entry in names:
        path = PurePosixPath(entry)
        if path.is_absolute() or ".." in path.parts or "\\" in entry:
            raise InputError(f"Gói {name} chứa đường dẫn không an toàn: {entry}.")
        tops.add(path.parts[0] if path.parts else "")
    tops.discard("")
    if len(tops) != 1:
        raise InputError(f"Gói {name} phải chứa đúng một thư mục gốc; tìm thấy {len(tops)}.")
    top = tops.pop()
    if top.startswith(".") or not any(n.startswith(f"{top}/") for n in names):
        raise InputError(f"Gói {name} phải chứa đúng một thư mục gốc, không phải tệp lẻ.")
    return top


def _parse_metadata(name: str, raw: bytes) -> dict[str, Any]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(f"metadata.json trong gói {name} không phải JSON UTF-8 hợp lệ.") from None
    metadata = load_json(text, f"metadata.json trong gói {name}", consequence="không cài gì")
    if not isinstance(metadata, dict):
        raise InputError(f"metadata.json trong gói {name} phải là một đối tượng JSON.")
    for key in ("from_code", "to_code"):
        value = metadata.get(key)
        if not isinstance(value, str) or not _CODE.match(value):
            raise InputError(f"metadata.json trong gói {name} thiếu mã ngôn ngữ '{key}' hợp lệ.")
    if metadata.get("type", "translate") != "translate":
        raise InputError(f"Gói {name} không phải gói dịch (type = {metadata.get('type')}).")
    return metadata


# --- the engine -----------------------------------------------------------------------------


@register
class ArgosEngine(MTEngine):
    """argostranslate packages installed in the workspace, run by CTranslate2 on the CPU."""

    name = "argos"
    beam_size = 4  # argostranslate's default

    def __init__(self, workspace: Workspace) -> None:
        super().__init__(workspace)
        require_argos()
        self._translators: dict[Path, Any] = {}

    def _package(self, source: str, target: str) -> Any:
        for pkg in installed_packages(self.workspace):
            if (pkg.from_code, pkg.to_code) == (source, target):
                return pkg
        return None

    def available(self, source: str, target: str) -> bool:
        try:
            return self._package(source, target) is not None
        except (EngineError, OSError, ValueError):
            return False

    def translate(self, texts: list[str], source: str, target: str) -> list[str]:
        if not any(t.strip() for t in texts):
            return ["" for _ in texts]
        pkg = self._package(source, target)
        if pkg is None:
            raise EngineError(
                f"Chưa cài gói argos dịch {source} → {target}; dùng 'broadcast mt install "
                "TỆP.argosmodel' rồi xem 'broadcast mt list'."
            )
        # Every text becomes its sentences (one unit each for CTranslate2), then is joined back.
        units: list[list[str]] = [_sentences(text) for text in texts]
        flat = [sentence for sentences in units for sentence in sentences]
        translated = iter(self._translate_sentences(pkg, flat))
        return [" ".join(next(translated) for _ in sentences) for sentences in units]

    def _translate_sentences(self, pkg: Any, sentences: list[str]) -> list[str]:
        if not sentences:
            return []
        translator = self._translator(Path(pkg.package_path))
        tokenized = [pkg.tokenizer.encode(s) for s in sentences]
        prefix = str(getattr(pkg, "target_prefix", "") or "")
        try:
            results = translator.translate_batch(
                tokenized,
                target_prefix=[[prefix]] * len(tokenized) if prefix else None,
                replace_unknowns=True,
                beam_size=self.beam_size,
                num_hypotheses=1,
                length_penalty=0.2,
                # A sentence's draft is never much longer than the sentence; this bounds the
                # time a damaged model can spend, too.
                max_decoding_length=max(16, 3 * max(len(t) for t in tokenized)),
            )
        except RuntimeError as exc:
            raise EngineError(f"CTranslate2 không dịch được bằng gói argos ({exc}).") from None
        drafts = []
        for result in results:
            value = pkg.tokenizer.decode(result.hypotheses[0])
            if prefix and value.startswith(prefix):
                value = value[len(prefix) :]
            drafts.append(value.strip())
        return drafts

    def _translator(self, model_folder: Path) -> Any:
        translator = self._translators.get(model_folder)
        if translator is None:
            import ctranslate2

            try:
                translator = ctranslate2.Translator(str(model_folder / "model"), device="cpu")
            except (RuntimeError, ValueError) as exc:
                raise EngineError(
                    f"Không nạp được mô hình CTranslate2 trong {model_folder.name} ({exc})."
                ) from None
            self._translators[model_folder] = translator
        return translator


def _sentences(text: str) -> list[str]:
    """A text as single sentences, so no argostranslate sentence splitter is ever needed."""
    pieces: list[str] = []
    for paragraph in text.splitlines():
        if paragraph.strip():
            pieces.extend(s for s in split_sentences(paragraph.strip()) if s.strip())
    return pieces
