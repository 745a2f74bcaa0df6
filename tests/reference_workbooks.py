"""The three original fast.ai workbooks the tests compare with: from ``../shared/reference``
when it is there (nothing is downloaded then), else fetched once from fast.ai's public
repository fastai/course-v3 (``files/xl/``) at pinned commits, verified by sha256 and cached by
pooch in the user's cache folder (``CELLGRAD_REFERENCE_CACHE`` to put it elsewhere)."""
from __future__ import annotations

import os
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared" / "reference" / "fastai-course-v3"
REPOSITORY = "https://raw.githubusercontent.com/fastai/course-v3"
# name -> (a commit of fastai/course-v3 holding the file, sha256 of the file's bytes)
PINS = {
    "collab_filter.xlsx": ("f35298037a7b3cd0450ffec387f52273ca98dd1c",
                           "cf0e185a95638d21560b1596a583b0f2ff7f27c30b6e6b6fa6ac2dd33b5e7a12"),
    "graddesc.xlsm": ("386310ba44a3dd8906f57287321aa61dcb2710da",
                      "e9cec03461ce530e72663b5b97d5d706119bc0f4f5bb6f481a386add46cad5c3"),
    "entropy_example.xlsx": ("75897130da8ece584e0533ce6de075cbbe48b776",
                             "2afc77c74a1933bd042fbe125da72c6c07215f7b2763ec22847a47056b9ad653"),
}


class Unavailable(Exception):
    """The workbook is neither in ../shared nor downloadable here (no network, no pooch)."""


def url(name: str) -> str:
    commit, _ = PINS[name]
    return f"{REPOSITORY}/{commit}/files/xl/{name}"


def reference_file(name: str, shared: Path = SHARED) -> Path:
    """The local path of reference workbook ``name``; raises :class:`Unavailable` saying why.
    A download whose bytes do not match the pinned sha256 is an error (pooch's ValueError),
    not an absence."""
    local = shared / name
    if local.is_file():
        return local
    try:
        import pooch
    except ImportError:
        raise Unavailable(f"{local} is missing and pooch is not installed to fetch it") from None
    import requests
    cache = os.environ.get("CELLGRAD_REFERENCE_CACHE") or pooch.os_cache("cellgrad-reference")
    try:
        fetched = pooch.retrieve(url(name), known_hash=f"sha256:{PINS[name][1]}", fname=name,
                                 path=cache, progressbar=False)
    except requests.exceptions.RequestException as exc:
        raise Unavailable(f"{local} is missing and {url(name)} cannot be fetched "
                          f"({type(exc).__name__}: no network?)") from None
    return Path(fetched)
