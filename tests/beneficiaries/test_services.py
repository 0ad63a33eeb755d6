"""Registering, changing, archiving and merging participants."""
import json
from datetime import date

import pytest

from registry.audit.models import AuditEvent
from registry.beneficiaries import merging, services
from registry.beneficiaries.models import Beneficiary, BeneficiaryMerge
from tests.makers import BASE


def events(action):
    """Decoded details of the audit events of one action, oldest first."""
    query = AuditEvent.select().where(AuditEvent.action == action).order_by(AuditEvent.id)
    return [json.loads(e.detail) for e in query]


def test_codes_are_assigned_in_order_and_never_reused(app_ctx, officer):
    first = services.register_beneficiary(BASE, officer)
    second = services.register_beneficiary({**BASE, "given_name": "Dara", "date_of_birth": date(1990, 1, 1)},
                                           officer)
    assert (first.code, second.code) == ("BR-000001", "BR-000002")
    Beneficiary.delete().where(Beneficiary.id == second.id).execute()  # even if a row were removed by hand
    third = services.register_beneficiary({**BASE, "given_name": "Vuthy", "date_of_birth": date(1980, 1, 1)},
                                          officer)
    assert third.code == "BR-000003"


def test_registration_is_audited_and_keeps_search_keys(app_ctx, officer):
    beneficiary = services.register_beneficiary({**BASE, "id_document_type": "national_id",
                                                 "id_document_number": "ab-12 34"}, officer)
    stored = Beneficiary.get_by_id(beneficiary.id)
    assert stored.latin_key == "chanthy sok" and stored.id_number_key == "AB1234"
    assert stored.match_birth_year == 2001 and stored.consent_recorded_by_id == officer.id
    assert events("beneficiary.create") == [{"code": "BR-000001"}]


def test_likely_duplicates_stop_registration_unless_allowed(app_ctx, officer):
    services.register_beneficiary(BASE, officer)
    with pytest.raises(services.LikelyDuplicates) as found:
        services.register_beneficiary({**BASE, "given_name": "Chanthi"}, officer)
    assert [m.beneficiary.code for m in found.value.matches] == ["BR-000001"]
    assert Beneficiary.select().count() == 1
    services.register_beneficiary({**BASE, "given_name": "Chanthi"}, officer, allow_duplicate=True)
    assert events("beneficiary.duplicate_override") == [{"matches": {"BR-000001": ["latin_similar",
                                                                                    "birth_same_date"]}}]


def test_update_audits_each_changed_field(app_ctx, officer):
    beneficiary = services.register_beneficiary(BASE, officer)
    services.update_beneficiary(beneficiary, {**BASE, "village": "Kouk Khmum", "phone": "+85512345678"}, officer)
    assert events("beneficiary.update") == [{"village": ["", "Kouk Khmum"], "phone": ["", "+85512345678"]}]
    assert Beneficiary.get_by_id(beneficiary.id).village == "Kouk Khmum"


def test_update_with_keep_blank_never_wipes(app_ctx, officer):
    beneficiary = services.register_beneficiary({**BASE, "village": "Kouk Khmum"}, officer)
    services.update_beneficiary(beneficiary, {"village": "", "commune": "Ou Mal", "phone": None}, officer,
                                keep_blank=True)
    stored = Beneficiary.get_by_id(beneficiary.id)
    assert (stored.village, stored.commune) == ("Kouk Khmum", "Ou Mal")


def test_archive_and_restore(app_ctx, officer):
    beneficiary = services.register_beneficiary(BASE, officer)
    services.archive_beneficiary(beneficiary, officer)
    assert Beneficiary.get_by_id(beneficiary.id).status == "archived"
    with pytest.raises(services.BeneficiaryError):
        services.archive_beneficiary(beneficiary, officer)
    services.restore_beneficiary(beneficiary, officer)
    assert Beneficiary.get_by_id(beneficiary.id).status == "active"
    assert [e.action for e in AuditEvent.select().where(AuditEvent.action.startswith("beneficiary.")).order_by(
        AuditEvent.id)] == ["beneficiary.create", "beneficiary.archive", "beneficiary.restore"]


def make_pair(officer):
    survivor = services.register_beneficiary({**BASE, "phone": "", "village": "Kouk Khmum"}, officer)
    duplicate = services.register_beneficiary({**BASE, "given_name": "Chanthi", "phone": "+85512345678",
                                               "village": "Other"}, officer, allow_duplicate=True)
    return survivor, duplicate


def test_merge_fills_blanks_and_retires_the_duplicate(app_ctx, officer):
    survivor, duplicate = make_pair(officer)
    merge = merging.merge_beneficiaries(survivor, duplicate, officer)
    kept, gone = Beneficiary.get_by_id(survivor.id), Beneficiary.get_by_id(duplicate.id)
    assert kept.phone == "+85512345678" and kept.village == "Kouk Khmum"  # own values win
    assert (gone.status, gone.merged_into_id, gone.code) == ("merged", survivor.id, "BR-000002")
    assert [b.id for b in Beneficiary.listed()] == [survivor.id]
    assert json.loads(merge.detail)["filled"] == {"phone": "+85512345678"}
    assert events("beneficiary.merge")[0]["duplicate"] == "BR-000002"
    assert events("beneficiary.merged_into")[0]["survivor"] == "BR-000001"


def test_undo_restores_both_records(app_ctx, officer):
    survivor, duplicate = make_pair(officer)
    merge = merging.merge_beneficiaries(survivor, duplicate, officer)
    merging.undo_merge(BeneficiaryMerge.get_by_id(merge.id), officer)
    kept, back = Beneficiary.get_by_id(survivor.id), Beneficiary.get_by_id(duplicate.id)
    assert kept.phone == "" and (back.status, back.merged_into_id) == ("active", None)
    assert BeneficiaryMerge.get_by_id(merge.id).undone_at is not None
    with pytest.raises(services.BeneficiaryError):
        merging.undo_merge(BeneficiaryMerge.get_by_id(merge.id), officer)


def test_undo_keeps_a_value_changed_after_the_merge(app_ctx, officer):
    survivor, duplicate = make_pair(officer)
    merge = merging.merge_beneficiaries(survivor, duplicate, officer)
    kept = Beneficiary.get_by_id(survivor.id)
    services.update_beneficiary(kept, {"phone": "+85599888777"}, officer, keep_blank=True)
    merging.undo_merge(BeneficiaryMerge.get_by_id(merge.id), officer)
    assert Beneficiary.get_by_id(survivor.id).phone == "+85599888777"


def test_merge_refuses_itself_and_merged_records(app_ctx, officer):
    survivor, duplicate = make_pair(officer)
    with pytest.raises(services.BeneficiaryError):
        merging.merge_beneficiaries(survivor, survivor, officer)
    merging.merge_beneficiaries(survivor, duplicate, officer)
    with pytest.raises(services.BeneficiaryError):
        merging.merge_beneficiaries(survivor, Beneficiary.get_by_id(duplicate.id), officer)


def test_merge_steps_of_other_features_move_and_undo_their_rows(app_ctx, officer, monkeypatch):
    calls = []
    step = merging.MergeStep("probe", move=lambda s, d: (calls.append(("move", s.id, d.id)) or {"rows": [7]},
                                                         ["Both were enrolled in Sewing 1."]),
                             undo=lambda data, giveback: calls.append(("undo", data, giveback)),
                             rows=lambda data: data["rows"])
    monkeypatch.setitem(app_ctx.extensions, merging.STEPS_KEY, (step,))
    survivor, duplicate = make_pair(officer)
    merge = merging.merge_beneficiaries(survivor, duplicate, officer)
    assert merging.conflict_messages(merge) == ["Both were enrolled in Sewing 1."]
    merging.undo_merge(BeneficiaryMerge.get_by_id(merge.id), officer)
    assert calls == [("move", survivor.id, duplicate.id),
                     ("undo", {"rows": [7]}, merging.Giveback((survivor.id,), (7,)))]


def test_a_failing_merge_step_leaves_nothing_half_done(app_ctx, officer, monkeypatch):
    def explode(survivor, duplicate):
        raise RuntimeError("disk full")

    bad = merging.MergeStep("bad", move=explode, undo=lambda data, giveback: None, rows=list)
    monkeypatch.setitem(app_ctx.extensions, merging.STEPS_KEY, (bad,))
    survivor, duplicate = make_pair(officer)
    with pytest.raises(RuntimeError):
        merging.merge_beneficiaries(survivor, duplicate, officer)
    assert Beneficiary.get_by_id(duplicate.id).status == "active"
    assert Beneficiary.get_by_id(survivor.id).phone == ""
    assert BeneficiaryMerge.select().count() == 0


def test_age_on_a_day_with_an_estimated_birth_year(app_ctx, officer):
    beneficiary = services.register_beneficiary({**BASE, "date_of_birth": None, "birth_year": 2000}, officer)
    assert beneficiary.age_on(date(2020, 6, 30)) == 19 and beneficiary.age_on(date(2020, 7, 1)) == 20
