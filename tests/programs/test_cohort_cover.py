"""A cohort's person of a province the user does not cover: enrolled only by a user of both provinces, then
read-only for the others (the domain functions, the sign-in sheet and the session page).

The world is tests/access_world.py's cross_world: a cohort of 17 with `away` (02) and `local` (17).
"""
import io

import pytest
from openpyxl import load_workbook

from registry.auth.models import User
from registry.programs import enrollment as enrolling
from registry.programs.attendance import record_attendance
from registry.programs.cover import OutsideCover
from registry.programs.models import Attendance, Enrollment
from tests.access_world import TODAY
from tests.programs.test_signin import fill


@pytest.fixture
def officer17(app_ctx, cross_world):
    """The officer of province 17, as the domain functions take them."""
    return User.get_by_id(cross_world["officer17"].id)


def _mark(enrollment):
    return Attendance.get(Attendance.enrollment == enrollment.id).status


@pytest.mark.parametrize("provinces, allowed", [({"17"}, False), ({"02"}, False), ({"02", "17"}, True)])
def test_enrolling_across_provinces_needs_a_user_of_both(app_ctx, cross_world, create_user, create_beneficiary,
                                                         provinces, allowed):
    newcomer = create_beneficiary(given_name="Vanna")  # province 02
    user = User.get_by_id(create_user("officer", provinces).id)
    cohort = cross_world["cohort"]
    if allowed:
        assert enrolling.enroll(cohort, newcomer, TODAY, user).beneficiary_id == newcomer.id
        return
    with pytest.raises(OutsideCover) as refused:
        enrolling.enroll(cohort, newcomer, TODAY, user)
    assert refused.value.codes == [newcomer.code] and newcomer.code in str(refused.value)
    assert not Enrollment.select().where(Enrollment.beneficiary == newcomer.id).exists()


def test_an_officer_of_17_changes_nothing_of_someone_of_02(officer17, cross_world):
    away = Enrollment.get_by_id(cross_world["away_enrollment"].id)
    with pytest.raises(OutsideCover):
        enrolling.change_status(away, "dropped_out", TODAY, officer17, reason="Moved")
    with pytest.raises(OutsideCover):
        enrolling.set_assessment(away, {"pre_score": 50}, officer17)
    with pytest.raises(OutsideCover):
        record_attendance(cross_world["session"], {away.id: "absent", cross_world["local_enrollment"].id: "present"},
                          officer17)
    assert Enrollment.get_by_id(away.id).status == "active" and Enrollment.get_by_id(away.id).pre_score is None
    assert _mark(away) == "present"
    assert not Attendance.select().where(Attendance.enrollment == cross_world["local_enrollment"].id).exists()


def test_complete_all_completes_only_the_people_the_user_covers(officer17, cross_world, registrar):
    for enrollment in (cross_world["away_enrollment"], cross_world["local_enrollment"]):
        record_attendance(cross_world["session"], {enrollment.id: "present"}, User.get_by_id(registrar.id))
    done = enrolling.complete_all_meeting_rule(cross_world["cohort"], TODAY, officer17)
    assert done == 1
    assert Enrollment.get_by_id(cross_world["local_enrollment"].id).status == "completed"
    assert Enrollment.get_by_id(cross_world["away_enrollment"].id).status == "active"


def test_a_session_save_without_the_read_only_person_leaves_their_mark(client, auth, cross_world):
    auth.login(cross_world["officer17"].username)
    local, away = cross_world["local_enrollment"], cross_world["away_enrollment"]
    response = client.post(f"/sessions/{cross_world['session'].id}", data={f"mark-{local.id}": "late"})
    assert response.status_code == 302
    assert (_mark(local), _mark(away)) == ("late", "present")
    page = client.get(f"/sessions/{cross_world['session'].id}").get_data(as_text=True)
    assert f'name="mark-{local.id}"' in page and f'name="mark-{away.id}"' not in page  # no input for them


def test_a_refused_session_save_names_the_code_and_saves_nothing(client, auth, cross_world):
    auth.login(cross_world["officer17"].username)
    local, away = cross_world["local_enrollment"], cross_world["away_enrollment"]
    response = client.post(f"/sessions/{cross_world['session'].id}",
                           data={f"mark-{local.id}": "late", f"mark-{away.id}": "absent"})
    assert response.status_code == 403 and cross_world["away"].code in response.get_data(as_text=True)
    assert _mark(away) == "present"
    assert not Attendance.select().where(Attendance.enrollment == local.id).exists()


def test_an_uploaded_sheet_with_a_mark_for_the_read_only_person_is_refused_by_row(client, auth, cross_world):
    auth.login(cross_world["officer17"].username)
    cohort, day = cross_world["cohort"].id, cross_world["session"].held_on.isoformat()
    sheet = client.get(f"/cohorts/{cohort}/signin.xlsx").data
    away, local = cross_world["away"].code, cross_world["local"].code
    rows = [row for row in load_workbook(io.BytesIO(sheet)).worksheets[0].iter_rows(values_only=True)]
    assert (away, None, None) == rows[[r[0] for r in rows].index(away)][:3]  # the code, no name
    refused = client.post(f"/cohorts/{cohort}/signin/upload", data={
        "file": (io.BytesIO(fill(sheet, {(away, day): "A", (local, day): "P"})), "sheet.xlsx")})
    page = refused.get_data(as_text=True)
    assert f"{away} lives in a province outside yours: their attendance is read-only for you." in page
    assert _mark(cross_world["away_enrollment"]) == "present"
    assert not Attendance.select().where(Attendance.enrollment == cross_world["local_enrollment"].id).exists()
    blank_for_them = client.post(f"/cohorts/{cohort}/signin/upload", data={
        "file": (io.BytesIO(fill(sheet, {(local, day): "P"})), "sheet.xlsx")})
    assert blank_for_them.status_code == 302  # their blank row changes nothing, and is no error
    assert (_mark(cross_world["local_enrollment"]), _mark(cross_world["away_enrollment"])) == ("present", "present")


def test_the_trainer_may_still_record_everyone(app_ctx, cross_world):
    trainer = User.get_by_id(cross_world["trainer"].id)
    record_attendance(cross_world["session"], {cross_world["away_enrollment"].id: "late"}, trainer)
    assert _mark(cross_world["away_enrollment"]) == "late"
