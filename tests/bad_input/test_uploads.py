"""Malformed uploads to the participant import and the sign-in sheet: a clear message, fast, nothing written.

Each file is posted through the test client to both uploads: the answer must name what is wrong
in words, come within a few seconds (a guard against hangs, not a benchmark), and leave no
participant or attendance written. The import keeps the upload as a failed job: that is its
record of the attempt, not data from the file. The reader alone is then run on each file under
tracemalloc, for its memory peak. The run's summary lists every answer with its time or peak.

Files per run: 13 malformed ones to each upload and to the reader, a file name holding NUL, and
50 MB to each upload over and under the request limit.
"""
import html
import io
import os
import re
import time
import tracemalloc

import pytest

from exports.reading import UploadError, read_rows
from registry.beneficiaries.models import Beneficiary, ImportJob
from registry.programs.models import Attendance
from tests.bad_input import files
from tests.bad_input.conftest import UPLOADS, counts

NOT_XLSX = "This file is not an Excel workbook (.xlsx)."
BOMB = "This file unpacks to far more data than a spreadsheet holds; it was refused."
ROWS = "The sheet has more than {} rows."
COLUMNS = "The sheet has more than 500 columns."
LARGER = "The file is larger than {} MB."
SECONDS, PEAK_MB = 10, 200
# (case, the file, the import's message, the sign-in upload's message)
CASES = [
    ("random bytes named .xlsx", lambda: os.urandom(4096), NOT_XLSX, NOT_XLSX),
    ("a text file renamed .xlsx", lambda: "Sok Chanthy, female, 02\n".encode() * 50, NOT_XLSX, NOT_XLSX),
    ("an empty file", lambda: b"", NOT_XLSX, NOT_XLSX),
    ("a zip that is not a workbook", files.zip_not_a_workbook, NOT_XLSX, NOT_XLSX),
    ("a zip bomb (200 MB of zeros)", files.zip_bomb, BOMB, BOMB),
    ("a zip bomb lying about its size", files.lying_zip_bomb, NOT_XLSX, NOT_XLSX),
    ("a million rows, no dimension", lambda: files.many_rows(1_000_000, dimension=False), ROWS.format(20000),
     LARGER.format(2)),
    ("200,000 rows, dimension of a million", lambda: files.many_rows(200_000), ROWS.format(20000),
     ROWS.format(1000)),
    ("200,000 rows written <x:row>", lambda: files.many_rows(200_000, prefix="x:"), ROWS.format(20000),
     ROWS.format(1000)),
    ("30,000 rows, dimension of a million", lambda: files.many_rows(30_000), ROWS.format(20000), ROWS.format(1000)),
    ("row 1,000,000,000 after row 2", files.row_far_below, ROWS.format(20000), ROWS.format(1000)),
    ("cells in column ZZZ", files.cells_far_right, COLUMNS, COLUMNS),
    ("one row of 400,000 cells", lambda: files.one_wide_row(400_000), COLUMNS, COLUMNS),
]


@pytest.fixture
def cohort(create_cohort):
    """The id of a cohort whose sheet is uploaded."""
    return create_cohort().id


def measured(case, upload, data):
    """(answer, page text) of an upload, timed: the time asserted, and kept with the message for the report."""
    started = time.perf_counter()
    response = upload(data)
    seconds = time.perf_counter() - started
    page = html.unescape(response.get_data(as_text=True))
    UPLOADS.append((case, len(data), response.status_code, seconds, None, _message(page)))
    assert seconds < SECONDS, f"{case}: {seconds:.1f} s"
    return response, page


def _message(page):
    alert = re.search(r'<div class="alert alert-danger"[^>]*>(.*?)</div>', page, re.S)
    shown = alert or re.search(r'<h1 class="h3">.*?</h1>\s*<p>(.*?)</p>', page, re.S)
    return " ".join(shown.group(1).split()) if shown else ""


def post_import(client):
    """An upload to the import, following it to the page that shows the result."""
    return lambda data: client.post("/beneficiaries/import/", data={"file": (io.BytesIO(data), "people.xlsx")},
                                    content_type="multipart/form-data", follow_redirects=True)


def post_signin(client, cohort):
    """An upload of a filled-in sign-in sheet."""
    return lambda data: client.post(f"/cohorts/{cohort}/signin/upload",
                                    data={"file": (io.BytesIO(data), "signin.xlsx")},
                                    content_type="multipart/form-data")


def test_the_import_refuses_each_malformed_file_clearly(importer, subtests):
    client = importer()
    for case, build, message, _signin_message in CASES:
        with subtests.test(case):
            before = counts(Beneficiary, ImportJob)
            response, page = measured(f"import: {case}", post_import(client), build())
            assert response.status_code == 200 and message in page, _message(page)
            assert counts(Beneficiary, ImportJob) == {**before, "import_job": before["import_job"] + 1}
            assert ImportJob.select().order_by(ImportJob.id.desc()).get().status == "failed"


def test_the_signin_upload_refuses_each_malformed_file_clearly(signed_in_officer, cohort, subtests):
    for case, build, _import_message, message in CASES:
        with subtests.test(case):
            before = counts(Attendance)
            response, page = measured(f"sign-in: {case}", post_signin(signed_in_officer, cohort), build())
            assert response.status_code == 200 and message in page, _message(page)
            assert counts(Attendance) == before


def test_a_file_name_with_nul_and_control_characters_is_kept_without_them(importer):
    response = importer().post("/beneficiaries/import/", content_type="multipart/form-data",
                               data={"file": (io.BytesIO(files.good_workbook()), "people\x00\x1b[2J\u2028.xlsx")})
    assert response.status_code == 302
    assert ImportJob.get().filename == "people[2J.xlsx"


def test_50_mb_is_refused_by_the_request_limit_with_a_clear_page(importer, signed_in_officer, cohort):
    data = files.fifty_megabytes()
    for upload in (post_import(importer()), post_signin(signed_in_officer, cohort)):
        response, page = measured("50 MB, over MAX_CONTENT_LENGTH (16 MB)", upload, data)
        assert response.status_code == 413 and "The file is larger than the registry accepts." in page
    assert counts(Beneficiary, ImportJob, Attendance) == {"beneficiary": 0, "import_job": 0, "attendance": 0}


def test_50_mb_under_a_larger_request_limit_is_refused_by_size_before_reading(importer, app, client, auth, cohort):
    roomy = importer(MAX_CONTENT_LENGTH=64 * 1024 * 1024)
    response, page = measured("import: 50 MB, under MAX_CONTENT_LENGTH 64 MB", post_import(roomy),
                              files.fifty_megabytes())
    assert LARGER.format(10) in page and counts(ImportJob) == {"import_job": 0}  # refused before it is kept
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024 * 1024
    auth.login_as("officer")
    response, page = measured("sign-in: 50 MB, under MAX_CONTENT_LENGTH 64 MB", post_signin(client, cohort),
                              files.fifty_megabytes())
    assert LARGER.format(2) in page and counts(Attendance) == {"attendance": 0}


@pytest.mark.parametrize("case, build", [(c[0], c[1]) for c in CASES], ids=[c[0] for c in CASES])
def test_the_reader_refuses_each_file_within_bounded_memory(case, build):
    data = build()
    tracemalloc.start()
    try:
        with pytest.raises(UploadError) as refused:
            read_rows(data, [], ["Code", "Sex", "Province", "Category"], max_bytes=None)
        peak_mb = tracemalloc.get_traced_memory()[1] / 1024 / 1024
    finally:
        tracemalloc.stop()
    UPLOADS.append((f"reader: {case}", len(data), refused.value.code, None, peak_mb, str(refused.value)))
    assert peak_mb < PEAK_MB, f"{case}: {peak_mb:.0f} MB"
