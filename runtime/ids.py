"""The command line's contact ids, read as people write them and streamed, so that a million of them cost memory
in tens of megabytes, not hundreds.

An ids file is UTF-8 (a byte order mark at its start is dropped, as Notepad and Excel write one), one id a line;
a line ends at LF or CR LF only (a U+2028 LINE SEPARATOR, a form feed or a lone CR is part of its line: no
editor shows them as line ends, and `str.splitlines()` would split on them); surrounding whitespace and blank
lines are ignored. The file is read twice: once to count the distinct ids (the total of the progress bar, and
any line that is not UTF-8 found before anything is sent), then as the requests go. A file that cannot seek
(standard input from a pipe) is copied to an unnamed temporary file first, so that it can be read again.

Which ids were seen is kept in a DigestSet: 16 bytes of BLAKE2b per id in two arrays (about 32 bytes an id with
the table's free slots) instead of a Python str in a set (about 110 bytes an id).
"""

import codecs
import hashlib
import tempfile
from array import array
from collections.abc import Iterator, Sequence
from typing import BinaryIO


class DigestSet:
    """A set of texts that holds only a 127-bit BLAKE2b digest of each: two 64-bit halves in two arrays (open
    addressing, at most half full; a first half of 0 marks a free slot, so its lowest bit is always set). Two
    texts are taken for one only if their digests are equal: about 1 in 10^26 for a million ids, far below the
    odds of a disk error."""

    def __init__(self) -> None:
        self._slots = 1024  # a power of two: the slot of a digest is its first half masked
        self._first, self._second = _zeros(self._slots), _zeros(self._slots)
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def __contains__(self, text: object) -> bool:
        return isinstance(text, str) and self._find(*_digest(text))[1]

    def add(self, text: str) -> bool:
        """Add `text`; True when it was not there yet."""
        first, second = _digest(text)
        slot, present = self._find(first, second)
        if present:
            return False
        self._first[slot], self._second[slot] = first, second
        self._count += 1
        if self._count * 2 > self._slots:
            self._grow()
        return True

    def _find(self, first: int, second: int) -> tuple[int, bool]:
        """The slot that holds the digest (True), or the free slot where it would go (False)."""
        mask, firsts = self._slots - 1, self._first
        slot = first & mask
        while True:
            held = firsts[slot]
            if held == 0:
                return slot, False
            if held == first and self._second[slot] == second:
                return slot, True
            slot = (slot + 1) & mask

    def _grow(self) -> None:
        old = zip(self._first, self._second, strict=True)
        self._slots *= 2
        self._first, self._second = _zeros(self._slots), _zeros(self._slots)
        for first, second in old:
            if first:
                slot, _ = self._find(first, second)
                self._first[slot], self._second[slot] = first, second


def _zeros(length: int) -> "array[int]":
    return array("Q", [0]) * length


def _digest(text: str) -> tuple[int, int]:
    # surrogatepass: an argument the OS gave as undecodable bytes (a lone surrogate) is still a distinct id.
    digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()
    return int.from_bytes(digest[:8], "little") | 1, int.from_bytes(digest[8:], "little")


class IdsFileError(Exception):
    """The ids file cannot be read (its message says why, without the file's name)."""


def lines_of(binary: BinaryIO) -> Iterator[str]:
    """The ids of an ids file, in order (duplicates included): see the module docstring."""
    # Iterating a binary file splits at b"\n" only; a UTF-8 sequence never holds that byte, so no character is cut.
    for number, raw in enumerate(binary, start=1):
        if number == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8) :]
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise IdsFileError(f"line {number} is not UTF-8 text") from None
        contact_id = text.strip()  # the line end (LF or CR LF) and surrounding whitespace
        if contact_id:
            yield contact_id


class Ids:
    """The ids of the arguments, then of the ids file, each once in the order first given. `count()` reads them
    all (the first pass); each `distinct()` reads them again. Close it (or use `with`): that closes the copy of
    a file that cannot seek, never the file itself."""

    def __init__(self, arguments: Sequence[str], ids_file: BinaryIO | None) -> None:
        """`ids_file` is read from where it stands; one that cannot seek (standard input from a pipe) is copied to
        an unnamed temporary file first, to be read twice. Raises OSError when it cannot be read."""
        self.arguments = list(arguments)
        self._file, self._start, self._copy = ids_file, 0, None
        if ids_file is not None and ids_file.seekable():
            self._start = ids_file.tell()
        elif ids_file is not None:
            self._file = self._copy = _copied(ids_file)

    def __enter__(self) -> "Ids":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        if self._copy is not None:
            self._copy.close()

    def _all(self) -> Iterator[str]:
        yield from self.arguments
        if self._file is not None:
            self._file.seek(self._start)
            yield from lines_of(self._file)

    def distinct(self) -> Iterator[str]:
        """Each id once. Raises IdsFileError and OSError as it reads."""
        seen = DigestSet()
        for contact_id in self._all():
            if seen.add(contact_id):
                yield contact_id

    def count(self) -> int:
        """How many distinct ids there are. Raises IdsFileError and OSError."""
        return sum(1 for _ in self.distinct())


def _copied(source: BinaryIO) -> BinaryIO:
    """The bytes of `source` in a temporary file (deleted when closed)."""
    copy = tempfile.TemporaryFile()  # noqa: SIM115 (closed by Ids.close())
    try:
        while chunk := source.read(1 << 16):
            copy.write(chunk)
    except BaseException:
        copy.close()
        raise
    return copy


__all__ = ["DigestSet", "Ids", "IdsFileError", "lines_of"]
