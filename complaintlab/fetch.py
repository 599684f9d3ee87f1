"""Download the full CFPB Consumer Complaint Database export, resumably and checksummed.

:func:`fetch_cfpb` fetches ``complaints.csv.zip`` (several gigabytes of CSV once unzipped;
:func:`complaintlab.public_data.load_cfpb` and :func:`complaintlab.io.score_file` read the zip
as it is) with the standard library only:

- the download goes to ``<file>.part`` and is renamed when complete; an interrupted download
  is resumed from where it stopped (an HTTP ``Range`` request), or started again when the
  server ignores ranges;
- the SHA-256 digest is checked against ``sha256`` when one is given, and always written next
  to the file as ``<file>.sha256`` (the ``sha256sum`` format) and printed;
- no connection gives :class:`OfflineError`, which says how to download the file by hand.

Nothing here runs on import, and the course's notebooks and tests never download from CFPB.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import re
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

__all__ = ["CFPB_URL", "ChecksumError", "FetchError", "OfflineError", "fetch_cfpb"]

#: The official full export of the CFPB Consumer Complaint Database (updated daily).
CFPB_URL = "https://files.consumerfinance.gov/ccdb/complaints.csv.zip"

_BLOCK = 1 << 16


class FetchError(OSError):
    """A download that did not complete; the message says why and what to do."""


class OfflineError(FetchError):
    """The server could not be reached (no network, a firewall, a timeout)."""


class ChecksumError(FetchError):
    """The downloaded file's SHA-256 digest is not the expected one."""


def fetch_cfpb(dest: str | os.PathLike, *, url: str = CFPB_URL, sha256: str | None = None,
               progress: bool | None = None, timeout: float = 60) -> Path:  # fmt: skip
    """Download the CFPB complaint export into the folder ``dest``; return the file's path.

    Parameters
    ----------
    dest : path
        The folder (created if needed). The file keeps the name in ``url``
        (``complaints.csv.zip``).
    url : str
        Where to download from; the official export by default.
    sha256 : str, optional
        The expected SHA-256 digest (hex). On a mismatch the download is removed and
        :class:`ChecksumError` is raised. CFPB rebuilds the export every day, so a digest
        only matches the copy it was taken from.
    progress : bool, optional
        A progress bar (bytes) on stderr; by default when stderr is a terminal.
    timeout : float
        Seconds to wait for the server to connect or send.

    A file already at the destination is not downloaded again (its digest is checked when
    ``sha256`` is given); delete it to fetch a newer export. An unfinished ``.part`` file is
    resumed.

    Raises
    ------
    OfflineError
        The host could not be reached; the message says how to download the file by hand.
    ChecksumError
        The digest is not ``sha256``.
    FetchError
        The server refused (an HTTP error) or the transfer broke off (the ``.part`` file is
        kept: run again to resume).

    Examples
    --------
    Against a real server this downloads gigabytes, so only the failure is shown here:

    >>> import tempfile
    >>> fetch_cfpb(tempfile.mkdtemp(), url="http://127.0.0.1:9/complaints.csv.zip")
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    complaintlab.fetch.OfflineError: could not reach 127.0.0.1 (...). ...
    """
    dest = Path(dest)
    name = Path(urllib.parse.urlsplit(url).path).name or "download"
    target, part = dest / name, dest / (name + ".part")
    if target.is_file():
        digest = _sha256_of(target)
        if sha256 and digest != sha256.strip().lower():
            raise ChecksumError(f"{target} is already there but its SHA-256 is {digest}, not "
                                f"{sha256}; delete it to download it again")  # fmt: skip
    else:
        digest = _download(url, part, dest, progress, timeout)
        if sha256 and digest != sha256.strip().lower():
            part.unlink()
            raise ChecksumError(f"{url}: the SHA-256 of the download is {digest}, not the "
                                f"expected {sha256}; the download was removed. CFPB rebuilds "
                                "the export daily, so an old digest no longer matches")  # fmt: skip
        os.replace(part, target)
        _validator(part).unlink(missing_ok=True)
    Path(f"{target}.sha256").write_text(f"{digest}  {name}\n", encoding="utf-8")
    print(f"{target}: sha256 {digest}", file=sys.stderr)
    return target


def _validator(part: Path) -> Path:
    """Where the server's ETag (or Last-Modified) of a partial download is kept."""
    return part.with_name(part.name + ".validator")


def _download(url: str, part: Path, dest: Path, progress: bool | None, timeout: float) -> str:
    """Bring ``part`` to the complete file, resuming it if it exists; its SHA-256 digest.

    A resumed request carries ``If-Range`` with the validator the server gave when the
    download began, so a file rebuilt since (CFPB rebuilds the export daily) comes back whole
    instead of being appended to the old one's start."""
    have = part.stat().st_size if part.is_file() else 0
    known = _validator(part)
    validator = known.read_text(encoding="utf-8").strip() if have and known.is_file() else None
    response = _open(url, part, have, dest, timeout, validator)
    if response is None:  # the server says the .part file is already complete
        return _sha256_of(part)
    with response:
        if response.status == 200 or not have:  # a new download: remember what it is
            given = response.headers.get("ETag") or response.headers.get("Last-Modified")
            dest.mkdir(parents=True, exist_ok=True)
            if given:
                known.write_text(given, encoding="utf-8")
            else:
                known.unlink(missing_ok=True)
        if response.status == 206 and (not have or _range_start(response) != have):
            part.unlink(missing_ok=True)  # a range we did not ask for: start again
            response.close()
            return _download(url, part, dest, progress, timeout)
        if response.status != 206:  # the whole file: the server ignored the range
            have = 0
        length = response.headers.get("Content-Length")
        total = have + int(length) if length and length.isdigit() else None
        hasher = _sha256_of(part, hasher=True) if have else hashlib.sha256()
        dest.mkdir(parents=True, exist_ok=True)
        bar = _progress_bar(progress, part.name, total, have)
        try:
            with open(part, "ab" if have else "wb") as out:
                while block := response.read(_BLOCK):
                    out.write(block)
                    hasher.update(block)
                    if bar is not None:
                        bar.update(len(block))
        except (OSError, http.client.HTTPException) as exc:  # timeouts, resets, short reads
            raise _interrupted(url, part, total, exc) from exc
        finally:
            if bar is not None:
                bar.close()
    if total is not None and part.stat().st_size != total:
        raise _interrupted(url, part, total, None)
    return hasher.hexdigest()


def _open(url: str, part: Path, have: int, dest: Path, timeout: float,
          validator: str | None = None):  # fmt: skip
    """The server's response, asking for the bytes after ``have``; None if there are none."""
    from complaintlab import __version__

    request = urllib.request.Request(url, headers={"User-Agent": f"complaintlab/{__version__}"})
    if have:
        request.add_header("Range", f"bytes={have}-")
        if validator:  # the rest only if the file is still the one we began
            request.add_header("If-Range", validator)
    try:
        return urllib.request.urlopen(request, timeout=timeout)
    except urllib.error.HTTPError as exc:
        if exc.code == 416 and have:  # nothing after ``have``: complete, or longer than it
            size = re.fullmatch(r"bytes \*/(\d+)", exc.headers.get("Content-Range", ""))
            if size and int(size.group(1)) == have:
                return None
            part.unlink()
            return _open(url, part, 0, dest, timeout)  # a new download, new validator
        raise FetchError(f"{url}: the server answered HTTP {exc.code} ({exc.reason})") from exc
    except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
        reason = getattr(exc, "reason", None) or exc
        host = urllib.parse.urlsplit(url).hostname
        raise OfflineError(
            f"could not reach {host} ({reason}). Check the network connection, or download "
            f"{url} by hand (a browser, or: curl -LO {url}), put it in {dest}, and pass its "
            "path to load_cfpb / iter_cfpb or to complaintlab classify"
        ) from exc


def _range_start(response) -> int:
    found = re.match(r"bytes (\d+)-", response.headers.get("Content-Range", ""))
    return int(found.group(1)) if found else -1


def _interrupted(url: str, part: Path, total: int | None, exc) -> FetchError:
    size = part.stat().st_size if part.is_file() else 0
    of = f" of {total:,}" if total is not None else ""
    why = f" ({exc})" if exc is not None else ""
    return FetchError(f"{url}: the download stopped after {size:,}{of} bytes{why}; it is kept "
                      f"as {part}: run again to resume")  # fmt: skip


def _sha256_of(path: Path, hasher: bool = False):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest if hasher else digest.hexdigest()


def _progress_bar(progress: bool | None, name: str, total: int | None, initial: int):
    show = sys.stderr.isatty() if progress is None else bool(progress)
    if not show:
        return None
    from tqdm.auto import tqdm

    return tqdm(desc=name, total=total, initial=initial, unit="B", unit_scale=True,
                unit_divisor=1024, file=sys.stderr)  # fmt: skip
