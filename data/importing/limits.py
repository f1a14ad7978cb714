"""How big an uploaded file may be, in every dimension that costs memory or time (issue 15).

One upload must not take the server down: every limit is checked before the
part of the file it guards is parsed, and a file over a limit is refused with
one line that names the limit, the value found and how to split the file.
The limits live here, in one frozen value passed to every reader; the
settings layer will expose them (``Settings.upload_limits``) later.

Defaults are several times what a county's real files need: a year of a
county's cases is 10,000–100,000 rows of 23 columns; the petition system's
export has at most ~60 columns; a summary cell is a paragraph; a township
boundary from the survey office has 1,000–50,000 vertices.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class UploadLimits:
    # The file as uploaded. The page holds the upload in memory, so this bounds that too.
    max_file_bytes: int = 200 * 1024 * 1024
    # Tables (case exports). 1,100,000 rows: a whole Excel sheet (1,048,576) of real data fits.
    max_rows: int = 1_100_000
    max_columns: int = 200
    # Excel's own limit for one cell; a CSV field longer than this is not a case export.
    max_cell_chars: int = 32_767
    # Zip archives (.xlsx workbooks and zipped shapefiles), checked on the central directory
    # before anything is extracted.
    max_zip_entries: int = 1_000
    max_zip_name_chars: int = 255  # a file name on every file system we run on
    max_unzipped_bytes: int = 2 * 1024 * 1024 * 1024  # a 1,000,000-row sheet unpacks to ~1.3 GB
    max_zip_ratio: int = 200  # unpacked / packed for one entry; sheets compress ~10:1, zip bombs 1,000:1
    # Boundary files.
    max_features: int = 5_000
    max_vertices_per_polygon: int = 200_000
    max_vertices_total: int = 2_000_000
    # An invalid polygon whose rings cross themselves at more points than this is not repaired:
    # make_valid is super-linear in the crossings (a 500-vertex random ring crosses itself
    # ~6,500 times and took 74 s; 2,000 vertices, ~28,000 crossings, did not end in 900 s),
    # while a survey file's faults are a few bow-ties and spikes in otherwise clean rings of
    # any size. Counting the crossings takes a tenth of a second.
    max_repair_crossings: int = 200
    # The child process that parses an untrusted file (data/importing/isolation.py).
    # Address space, not resident memory: the allocators reserve more than they touch (the child
    # reading a 1,000,000-row workbook peaks at ~860 MB resident and needs more than 1.5 GB of addresses).
    child_memory_bytes: int = 2 * 1024 * 1024 * 1024
    child_seconds: float = 600.0


DEFAULT_LIMITS = UploadLimits()


def number(value: int) -> str:
    """1100000 → '1,100,000' (the way every limit message writes numbers)."""
    return f"{value:,}"


def megabytes(value: int) -> str:
    return f"{value / 2**20:,.0f} MB"


class UploadTooLarge(ValueError):
    """A file over one of the limits; the message names the limit, the value found and what to do."""


def check_zip_directory(source, limits: UploadLimits = DEFAULT_LIMITS) -> None:
    """Refuse a zip archive over the limits from its central directory alone, before anything is unpacked.

    ``source`` is a path or a binary file object. The entry count is read from
    the end-of-archive record first, so an archive of 200,000 entries is
    refused without listing them. The sizes checked are those the directory
    declares; :mod:`zipfile` never returns more than the declared size of an
    entry, so a lying directory cannot unpack more than it said.
    """
    import zipfile

    opened = open(source, "rb") if isinstance(source, str) or hasattr(source, "__fspath__") else None
    fp = opened or source
    try:
        fp.seek(0)
        try:
            end = zipfile._EndRecData(fp)  # the stdlib's own reader of the end record (zip64 aware)
        except OSError:
            end = None
        if end is not None:
            entries = end[zipfile._ECD_ENTRIES_TOTAL]
            if entries > limits.max_zip_entries:
                raise UploadTooLarge(
                    f"压缩包有 {number(entries)} 个文件，超出上限（最多 {number(limits.max_zip_entries)} 个）："
                    "请只打包需要的文件"
                    f" / the zip archive holds {number(entries)} files, beyond the limit "
                    f"({number(limits.max_zip_entries)}): zip only the files needed"
                )
        fp.seek(0)
        try:
            infos = zipfile.ZipFile(fp).infolist()
        except zipfile.BadZipFile:
            raise
        if len(infos) > limits.max_zip_entries:
            raise UploadTooLarge(
                f"压缩包有 {number(len(infos))} 个文件，超出上限（最多 {number(limits.max_zip_entries)} 个）："
                "请只打包需要的文件"
                f" / the zip archive holds {number(len(infos))} files, beyond the limit "
                f"({number(limits.max_zip_entries)}): zip only the files needed"
            )
        total = 0
        for info in infos:
            if len(info.filename) > limits.max_zip_name_chars:
                raise UploadTooLarge(
                    f"压缩包中有一个文件名长 {number(len(info.filename))} 个字符，超出上限"
                    f"（最多 {number(limits.max_zip_name_chars)} 个）：请改短文件名后重新打包"
                    f" / the zip archive holds a file name of {number(len(info.filename))} characters, beyond the "
                    f"limit ({number(limits.max_zip_name_chars)}): rename it and zip again"
                )
            total += info.file_size
            if info.file_size > 1024 * 1024 and info.file_size > limits.max_zip_ratio * max(info.compress_size, 1):
                raise UploadTooLarge(
                    f"压缩包中的文件解压后是压缩前的 {number(info.file_size // max(info.compress_size, 1))} 倍，"
                    f"超出上限（最多 {number(limits.max_zip_ratio)} 倍）：这不是正常的导出文件"
                    f" / a file in the zip archive unpacks to {number(info.file_size // max(info.compress_size, 1))} "
                    f"times its packed size, beyond the limit ({number(limits.max_zip_ratio)}): not a normal export"
                )
        if total > limits.max_unzipped_bytes:
            raise UploadTooLarge(
                f"压缩包解压后共 {megabytes(total)}，超出上限（最多 {megabytes(limits.max_unzipped_bytes)}）："
                "请分成几个文件"
                f" / the zip archive unpacks to {megabytes(total)}, beyond the limit "
                f"({megabytes(limits.max_unzipped_bytes)}): split it into several files"
            )
    finally:
        if opened is not None:
            opened.close()
