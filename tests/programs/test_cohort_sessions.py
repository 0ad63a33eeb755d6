"""A long cohort's page: the next and the recent sessions, the rest a page of all sessions away, every one reachable."""
import re
from datetime import date, timedelta

import pytest

from registry.programs.models import TrainingSession
from registry.programs.queries import session_window

TODAY = date.today()
SESSION_LINK = re.compile(r'href="/sessions/(\d+)"')


@pytest.fixture
def long_cohort(create_cohort, create_user):
    """87 sessions, one a day: 43 before today, today's, 43 after; Kim teaches it."""
    kim = create_user("trainer", username="kim", provinces={"02"})
    days = [TODAY + timedelta(days=n) for n in range(-43, 44)]
    return create_cohort(name="Long sewing", start_on=days[0], end_on=days[-1], days=days, trainers=[kim])


def session_ids(cohort):
    """{session id: day} of the cohort."""
    return dict(TrainingSession.select(TrainingSession.id, TrainingSession.held_on)
                .where(TrainingSession.cohort == cohort.id).tuples())


def test_the_window_holds_the_next_five_from_today_and_the_last_five(app_ctx, long_cohort):
    window = session_window(long_cohort, TODAY)
    assert [s.held_on for s in window.upcoming] == [TODAY + timedelta(days=n) for n in range(5)]
    assert [s.held_on for s in window.recent] == [TODAY - timedelta(days=n) for n in range(5, 0, -1)]
    assert (window.total, window.hidden) == (87, 77)


def test_the_cohort_page_shows_ten_sessions_and_links_all_87(client, auth, long_cohort):
    auth.login_as("officer", provinces={"02"})
    page = client.get(f"/cohorts/{long_cohort.id}").get_data(as_text=True)
    assert len(set(SESSION_LINK.findall(page))) == 10
    assert f'href="/cohorts/{long_cohort.id}/sessions">All sessions (87)</a>' in page
    assert "77 more sessions are on that page only." in page
    assert page.count('<summary class="btn btn-sm btn-outline-secondary">Change</summary>') == 10


@pytest.mark.parametrize("role", ["officer", "trainer"])
def test_every_session_is_reachable_from_the_pages_of_all_sessions(client, auth, long_cohort, role):
    if role == "trainer":
        auth.login("kim")
    else:
        auth.login_as("officer", provinces={"02"})
    seen = []
    for number in (1, 2, 3):
        page = client.get(f"/cohorts/{long_cohort.id}/sessions?page={number}").get_data(as_text=True)
        assert "87 sessions, in date order." in page
        seen += [int(i) for i in SESSION_LINK.findall(page)]
        assert ("Change</summary>" in page) == (role == "officer")
    ids = session_ids(long_cohort)
    assert len(seen) == 87 and set(seen) == set(ids)
    assert [ids[i] for i in seen] == sorted(ids.values())


def test_a_change_from_the_page_of_all_sessions_comes_back_to_it(client, auth, long_cohort):
    auth.login_as("officer", provinces={"02"})
    first = min(session_ids(long_cohort))
    back = f"/cohorts/{long_cohort.id}/sessions?page=2"
    response = client.post(f"/cohorts/{long_cohort.id}/sessions/{first}/cancel", data={"next": back})
    assert response.location == back and TrainingSession.get_by_id(first).cancelled
    elsewhere = client.post(f"/cohorts/{long_cohort.id}/sessions/{first}/cancel", data={"next": "https://x.example/"})
    assert elsewhere.location == f"/cohorts/{long_cohort.id}#sessions"


def test_the_pages_of_all_sessions_follow_the_cohort_rules(client, auth, long_cohort, create_user):
    create_user("trainer", username="other", provinces={"02"})
    auth.login("other")
    assert client.get(f"/cohorts/{long_cohort.id}/sessions").status_code == 403
    auth.logout()
    auth.login_as("officer", provinces={"07"})
    assert client.get(f"/cohorts/{long_cohort.id}/sessions").status_code == 404
    auth.logout()
    auth.login_as("manager")
    assert client.get(f"/cohorts/{long_cohort.id}/sessions").status_code == 403
