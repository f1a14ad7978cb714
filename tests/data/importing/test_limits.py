"""Zip archives are judged by their central directory before anything is unpacked (issue 15)."""

import io
import zipfile

import pytest
from import_builders import zip_of_many_entries, zip_with_long_name

from data.importing.limits import UploadLimits, UploadTooLarge, check_zip_directory, number


def test_numbers_are_written_with_thousands_separators():
    assert number(1_100_000) == "1,100,000"
    assert number(200) == "200"


def test_two_hundred_thousand_entries_are_refused_from_the_end_record(tmp_path):
    archive = zip_of_many_entries(tmp_path / "many.zip")
    with pytest.raises(UploadTooLarge) as info:
        check_zip_directory(archive)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith("压缩包有 200,000 个文件，超出上限（最多 1,000 个）")
    assert "200,000 files" in message


def test_a_six_thousand_character_name_is_refused(tmp_path):
    archive = zip_with_long_name(tmp_path / "long.zip")
    with pytest.raises(UploadTooLarge, match="文件名长 6,000 个字符，超出上限（最多 255 个）"):
        check_zip_directory(archive)


def test_a_zip_bomb_is_refused_by_its_ratio():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * (20 * 1024 * 1024))  # deflates ~1,000:1
    with pytest.raises(UploadTooLarge, match="倍，超出上限（最多 200 倍）"):
        check_zip_directory(buffer)


def test_total_unpacked_size(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("a.bin", b"x" * 3000)
        zf.writestr("b.bin", b"x" * 3000)
    check_zip_directory(buffer, UploadLimits(max_unzipped_bytes=6000))  # exactly at the limit: fine
    with pytest.raises(UploadTooLarge, match="压缩包解压后共"):
        check_zip_directory(buffer, UploadLimits(max_unzipped_bytes=5999))


def test_an_ordinary_archive_passes(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("county.shp", b"shape" * 100)
        zf.writestr("county.dbf", b"table" * 100)
    check_zip_directory(buffer)
