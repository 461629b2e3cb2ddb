"""The voting-rules page: leads set a vote budget and rounds, members see their votes
left, the support button gives way to an explanation when none are left, and a closed
round's result page shows the ranking at its close."""

from __future__ import annotations

from tests.web.board_site import (  # the board pages' site: two groups, people, a history
    BoardSite,
    follow,
    post,
    sign_in,
    text_of,
)


def voting(site: BoardSite) -> str:
    return f"/groups/{site.id('g1')}/voting"


def test_a_lead_sets_a_budget_and_a_member_runs_out_of_votes(
    board_site: BoardSite,
) -> None:
    site = board_site
    csrf = sign_in(site, "lead")
    rules = {"vote_budget": "1", "rounds": "on", "effective_from": "", "reason": "Punkte"}
    page = text_of(follow(site, post(site, voting(site), csrf, **rules), "rules"))
    assert "1 open pain point per person at a time" in page
    page = text_of(follow(site, post(site, f"/groups/{site.id('g1')}/rounds", csrf, title="Q2"),
                          "round-opened"))  # fmt: skip
    assert "Close round 1 now" in page

    app = site.runtime.app
    lead = site.ids["lead"]
    first = app.submit_pain_point(site.ids["g1"], "Neue Preisliste fehlt", "", [], by=lead).id
    second = app.submit_pain_point(site.ids["g1"], "Testlizenzen zu kurz", "", [], by=lead).id
    site.runtime.projector.catch_up()
    csrf = sign_in(site, "member")
    page = text_of(site.client.get(f"/pain-points/{first.hex}").text)
    assert "You have 1 of 1 votes left in this group." in page
    given = post(site, f"/pain-points/{first.hex}/support", csrf, action="give")
    assert given.status_code == 303
    page = site.client.get(f"/pain-points/{second.hex}").text
    assert 'id="support-button"' not in page
    assert "You have used all 1 votes of this group." in text_of(page)
    assert "You have 0 votes left." in text_of(site.client.get(f"/groups/{site.id('g1')}").text)
    # Forcing the post anyway is refused without a change.
    refused = post(site, f"/pain-points/{second.hex}/support", csrf, action="give")
    assert refused.status_code == 409
    assert "used all 1 votes" in refused.text

    csrf = sign_in(site, "lead")
    follow(site, post(site, f"/groups/{site.id('g1')}/rounds/close", csrf), "round-closed")
    result = text_of(site.client.get(f"/groups/{site.id('g1')}/rounds/1").text)
    assert "It never changes" in result
    assert "Neue Preisliste fehlt" in result


def test_only_leads_change_rules_and_bad_input_is_shown_next_to_the_field(
    board_site: BoardSite,
) -> None:
    site = board_site
    csrf = sign_in(site, "member")
    page = site.client.get(voting(site)).text
    assert 'id="save-rules"' not in page
    denied = post(site, voting(site), csrf, vote_budget="3", reason="meins")
    assert denied.status_code == 403

    csrf = sign_in(site, "lead")
    for data, field, message in (
        ({"vote_budget": "drei", "reason": "x"}, "vote_budget", "Enter a whole number"),
        ({"vote_budget": "0", "reason": "x"}, "vote_budget", "between 1 and 50"),
        ({"vote_budget": "3", "reason": ""}, "reason", "Give the reason"),
        ({"vote_budget": "3", "reason": "x", "effective_from": "2020-01-01"}, "effective_from",
         "today or later"),
        ({"vote_budget": "3", "reason": "x", "effective_from": "morgen"}, "effective_from",
         "Enter a date"),
    ):  # fmt: skip
        response = post(site, voting(site), csrf, **data)
        assert response.status_code == 422, data
        assert f'id="{field}-error"' in response.text, data
        assert message in text_of(response.text), data
    assert "Every version" not in site.client.get(voting(site)).text  # nothing recorded
    assert post(site, voting(site), "wrong-token", vote_budget="3", reason="x").status_code == 403
    no_round = post(site, f"/groups/{site.id('g1')}/rounds", csrf, title="x")
    assert no_round.status_code == 409
    assert "does not vote in rounds" in no_round.text
    assert site.client.get(f"/groups/{site.id('g1')}/rounds/3").status_code == 404


def test_a_scheduled_rule_is_listed_and_not_yet_in_force(
    board_site: BoardSite,
) -> None:
    site = board_site
    csrf = sign_in(site, "lead")
    later = {"vote_budget": "4", "reason": "ab April", "effective_from": "2026-04-01"}
    page = text_of(follow(site, post(site, voting(site), csrf, **later), "rules"))
    assert "scheduled" in page
    assert "no limit" in page.split("Voting rounds")[0]  # in force now: still no limit
