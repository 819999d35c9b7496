"""Who may open what: every URL of the app walked for five actors, then the attacks around it.

The walk reads the URL names of the ``advisor`` namespace from the URLconf itself and holds them
against ``CASES``: a URL without a case, or a case naming no URL, fails the suite. A case is one
or more probes (a method on a URL built from a fresh world, with valid data for writes), and each
probe is asserted for five actors: anonymous, outsider (signed in, member of another team only),
viewer, editor and owner. A refused request must leave the database exactly as it was; an allowed
write must have taken place.

Matrix: 54 URL names x 5 actors = 270 cells; 123 probes x 5 actors = 615 parametrized cases.
(test_the_docstring_states_the_matrix_size keeps these numbers true.)
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from html import escape
from typing import NamedTuple
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import URLResolver, get_resolver, resolve, reverse
from django.utils import timezone

from advisor import services
from advisor.domain.wizard import REVIEW_STEP
from advisor.models import (
    Answer,
    AnswerRound,
    AuditEvent,
    Comment,
    Decision,
    Estimate,
    Invite,
    Kind,
    Membership,
    ModelPrice,
    NotificationOptOut,
    Outbox,
    Outcome,
    OutcomeMetric,
    PersonalAnswer,
    Project,
    Recommendation,
    Respondent,
    Role,
    Settlement,
    ShareLink,
    StatusChange,
    Team,
)
from advisor.selectors.documents import decision_export
from advisor.selectors.permissions import REFUSALS
from advisor.tokens import new_token
from tests.conftest import HX
from tests.factories import (
    PASSWORD,
    RAG_ANSWERS,
    DecisionFactory,
    MembershipFactory,
    ProjectFactory,
    TeamFactory,
    UserFactory,
    completed_decision,
)

ACTORS = ("anonymous", "outsider", "viewer", "editor", "owner")

# Distinctive names, so a page that leaks them to someone outside the team is easy to spot.
TEAM_NAME = "Tango team"
PROJECT_NAME = "Papa project"
COMPLETE_TITLE = "Charlie complete"
DRAFT_TITLE = "Delta draft"
SECRETS = (TEAM_NAME, PROJECT_NAME, COMPLETE_TITLE, DRAFT_TITLE)
UNKNOWN_TOKEN = new_token()

NOT_THE_AUTHOR = str(services.NotTheAuthor())
EDITOR_ONLY = REFUSALS[Role.EDITOR]
OWNER_ONLY = REFUSALS[Role.OWNER]
NOWHERE_TO_CREATE = "You are not an editor or owner in any team"

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


# --- The world --------------------------------------------------------------------------------


@dataclass
class World:
    """Team T (owner, editor, viewer and a `target` editor), its project, a completed decision
    with a live share link, an answered but unfinished one, a pending invite; and an outsider
    who owns a team of their own with a decision in it."""

    team: Team
    users: dict[str, AbstractBaseUser]
    memberships: dict[str, Membership]
    target: Membership
    project: Project
    complete: Decision
    draft: Decision
    link: ShareLink
    invite: Invite
    own_team: Team
    own_decision: Decision
    # The team was asked: owner, editor and viewer each have five answers, not yet submitted;
    # the target has submitted theirs.
    asked: Decision
    # A closed round where the owner and the editor disagreed on the first question.
    settling: Decision
    me: str = "anonymous"

    @property
    def user(self) -> AbstractBaseUser | None:
        return self.users.get(self.me)

    @property
    def mine(self) -> Membership:
        """The acting user's own membership (the target's for the anonymous visitor)."""
        return self.memberships.get(self.me, self.target)


def fully_answered(**kwargs) -> Decision:
    """An unfinished decision with all five answers, written in one INSERT to keep the world
    cheap to build (test_services covers answer_save itself)."""
    decision = DecisionFactory(current_step=REVIEW_STEP, **kwargs)
    Answer.objects.bulk_create(
        Answer(decision=decision, question=question, value=value)
        for question, value in RAG_ANSWERS.items()
    )
    return decision


def team_round(decision: Decision, answers: dict, *, closed: bool, submitted=()) -> None:
    """A round on `decision`: each user in `answers` asked, with those five answers (all
    submitted when the round is `closed`, else those in `submitted`), in a few INSERTs."""
    now = timezone.now()
    answer_round = AnswerRound.objects.create(
        decision=decision, asked_by=decision.created_by, closed_at=now if closed else None
    )
    people = Respondent.objects.bulk_create(
        Respondent(
            round=answer_round, user=user, submitted_at=now if closed or user in submitted else None
        )
        for user in answers
    )
    PersonalAnswer.objects.bulk_create(
        PersonalAnswer(respondent=person, question=key, value=value)
        for person, given in zip(people, answers.values(), strict=True)
        for key, value in given.items()
    )


def build_world() -> World:
    team = TeamFactory(name=TEAM_NAME)
    memberships = {
        str(role): MembershipFactory(
            team=team,
            role=role,
            user=UserFactory(username=f"{role}-tango", email=f"{role}@tango.example"),
        )
        for role in (Role.OWNER, Role.EDITOR, Role.VIEWER)
    }
    memberships["outsider"] = MembershipFactory(
        team__name="Outsiders",
        role=Role.OWNER,
        user=UserFactory(username="oscar-outsider", email="oscar@outside.example"),
    )
    users = {actor: membership.user for actor, membership in memberships.items()}
    owner, outsider = users["owner"], users["outsider"]
    project = ProjectFactory(team=team, created_by=owner, name=PROJECT_NAME)
    complete = fully_answered(project=project, title=COMPLETE_TITLE)
    services.decision_complete(decision=complete, user=owner)
    complete.refresh_from_db()
    own_project = ProjectFactory(
        team=memberships["outsider"].team, created_by=outsider, name="Own project"
    )
    asked = DecisionFactory(project=project, created_by=owner, title="Echo asked")
    target = MembershipFactory(
        team=team,
        role=Role.EDITOR,
        user=UserFactory(username="target-tango", email="target@tango.example"),
    )
    everyone = [users["owner"], users["editor"], users["viewer"], target.user]
    team_round(asked, dict.fromkeys(everyone, RAG_ANSWERS), closed=False, submitted={target.user})
    settling = DecisionFactory(project=project, created_by=owner, title="Foxtrot settling")
    behaviour = RAG_ANSWERS | {"problem": "behavior"}
    team_round(settling, {owner: RAG_ANSWERS, users["editor"]: behaviour}, closed=True)
    return World(
        team=team,
        users=users,
        memberships=memberships,
        target=target,
        project=project,
        complete=complete,
        draft=fully_answered(project=project, title=DRAFT_TITLE),
        link=ShareLink.objects.create(decision=complete, created_by=users["editor"]),
        invite=services.invite_create(team=team, user=owner, role=Role.EDITOR, note="for Nina"),
        own_team=own_project.team,
        own_decision=DecisionFactory(project=own_project, title="Own decision"),
        asked=asked,
        settling=settling,
    )


@pytest.fixture
def world(db) -> World:
    return build_world()


def client_for(world: World, actor: str, **defaults) -> Client:
    client = Client(**defaults)
    if actor != "anonymous":
        client.force_login(world.users[actor])
    return client


SNAPSHOT_TABLES = (
    Team,
    Membership,
    Invite,
    Project,
    Decision,
    Answer,
    Recommendation,
    ShareLink,
    AuditEvent,
    StatusChange,
    Outcome,
    OutcomeMetric,
    Comment,
    AnswerRound,
    Respondent,
    PersonalAnswer,
    Settlement,
    Outbox,
    NotificationOptOut,
)


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every table a request could change (users without their last login)."""
    rows = {
        model.__name__: list(model.objects.order_by("pk").values_list())
        for model in SNAPSHOT_TABLES
    }
    users = get_user_model().objects.order_by("pk")
    rows["User"] = list(users.values_list("pk", "username", "email", "is_active"))
    return rows


def without_per_request_tokens(html: str) -> str:
    # The CSRF token is masked afresh and the CSP nonce drawn afresh for every response;
    # everything else must match.
    return re.sub(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": "|nonce=")[^"]*', r"\1", html)


# --- The table of cases -----------------------------------------------------------------------


class By(NamedTuple):
    """The status each actor gets."""

    anonymous: int
    outsider: int
    viewer: int
    editor: int
    owner: int


ALL_405 = By(405, 405, 405, 405, 405)

Kwargs = Callable[[World], dict[str, object]]


@dataclass(frozen=True)
class Probe:
    """One request to try on a URL, and what each of the five actors must get from it."""

    method: str
    kwargs: Kwargs
    expect: By
    data: Callable[[World], dict] | None = None
    variant: str = ""
    # Anonymous visitors are sent to the login page (a 302 for them must go there).
    login: bool = True
    # What the 403 page says.
    refusal: str = EDITOR_ONLY
    # After the success status: did the write (or the counted view) take place?
    done: Callable[[World], bool] | None = None
    as_json: bool = False

    @property
    def ok(self) -> int:
        return 302 if self.method == "post" and not self.as_json else 200

    @property
    def id(self) -> str:
        return "-".join(filter(None, [self.method, self.variant]))


def not_allowed(method: str, kwargs: Kwargs) -> Probe:
    """405 for anyone signed in; anonymous visitors are sent to log in first (the login is
    checked before the view, and so before its method)."""
    return Probe(method, kwargs, By(302, 405, 405, 405, 405), variant="wrong-method")


def not_allowed_public(method: str, kwargs: Kwargs) -> Probe:
    return Probe(method, kwargs, ALL_405, login=False, variant="wrong-method")


def no_kwargs(w: World) -> dict:
    return {}


def project(w: World) -> dict:
    return {"pk": w.project.pk}


def complete(w: World) -> dict:
    return {"pk": w.complete.pk}


def estimate_figures() -> dict:
    """A save of the numbers step with every figure left at its default."""
    price = ModelPrice.objects.first()
    return {"action": "save", "price": price.pk, "loaded_price": price.pk}


def draft(w: World) -> dict:
    return {"pk": w.draft.pk}


def asked(w: World) -> dict:
    return {"pk": w.asked.pk}


def asked_step(w: World) -> dict:
    return {"pk": w.asked.pk, "step": 1}


def settling(w: World) -> dict:
    return {"pk": w.settling.pk}


def first_step(w: World) -> dict:
    return {"pk": w.draft.pk, "step": 1}


def link(w: World) -> dict:
    return {"pk": w.complete.pk, "link_pk": w.link.pk}


def share_token(w: World) -> dict:
    return {"token": w.link.token}


def unknown_token(w: World) -> dict:
    return {"token": UNKNOWN_TOKEN}


def team(w: World) -> dict:
    return {"pk": w.team.pk}


def schema_name(w: World) -> dict:
    return {"name": "decision-export"}


def invite(w: World) -> dict:
    return {"pk": w.team.pk, "invite_pk": w.invite.pk}


def invite_token(w: World) -> dict:
    return {"token": w.invite.token}


def target(w: World) -> dict:
    return {"pk": w.team.pk, "member_pk": w.target.pk}


def own_membership(w: World) -> dict:
    return {"pk": w.team.pk, "member_pk": w.mine.pk}


def unsubscribe_token(w: World) -> dict:
    """The token of the viewer's link out of comment emails."""
    url = services.unsubscribe_url(user=w.users[Role.VIEWER], kind=Kind.COMMENT)
    return {"token": url.rstrip("/").rsplit("/", 1)[1]}


def unsubscribed(w: World) -> bool:
    return list(NotificationOptOut.objects.values_list("user", "kind")) == [
        (w.users[Role.VIEWER].pk, Kind.COMMENT)
    ]


def account_gone(w: World) -> bool:
    return not get_user_model().objects.filter(pk=w.user.pk).exists()


def new_project(w: World) -> dict:
    return {"team": w.team.pk, "name": "Echo project", "description": ""}


def exported_complete(w: World) -> dict:
    """An upload of the completed decision's JSON export, for the import form."""
    document = decision_export(w.complete, base_url="http://testserver")
    body = json.dumps(document).encode()
    return {"file": SimpleUploadedFile("export.json", body, content_type="application/json")}


def link_viewed(w: World) -> bool:
    w.link.refresh_from_db()
    return w.link.view_count == 1


def left_the_team(w: World) -> bool:
    still_in = Membership.objects.filter(pk=w.mine.pk).exists()
    # The team's only owner is told they cannot leave, on the team's page.
    return still_in if w.me == Role.OWNER else not still_in


def joined_through_invite(w: World) -> bool:
    w.invite.refresh_from_db()
    if w.me == "outsider":
        return w.team.memberships.filter(user=w.user, role=Role.EDITOR).exists() and (
            w.invite.accepted_by == w.user
        )
    # Already a member: told so, and the invite stays unused for whoever it was meant for.
    return w.invite.accepted_at is None


def accepted_decision(w: World) -> dict:
    """The completed decision, accepted first (kwargs run before the snapshot is taken)."""
    Decision.objects.filter(pk=w.complete.pk).update(lifecycle=Decision.Lifecycle.ACCEPTED)
    return complete(w)


def replaceable_decision(w: World) -> dict:
    """The completed decision, accepted, and a second completed one that may replace it."""
    completed_decision(project=w.project, title="Golf successor")
    return accepted_decision(w)


def lifecycle_of(w: World) -> str:
    return Decision.objects.values_list("lifecycle", flat=True).get(pk=w.complete.pk)


def an_outcome(w: World) -> dict:
    # Made here, before the snapshot, so each actor finds one to delete.
    outcome = services.outcome_record(
        decision=w.complete,
        user=w.users[Role.OWNER],
        approach="rag",
        shipped_on=date(2026, 1, 5),
        metrics=[("p95 latency", Decimal(640), "ms")],
    )
    return {"pk": w.complete.pk, "outcome_pk": outcome.pk}


def new_outcome(w: World) -> dict:
    return {
        "approach": "fine_tuning",
        "shipped_on": "2026-01-05",
        "notes": "Echo outcome",
        "metrics-TOTAL_FORMS": "1",
        "metrics-INITIAL_FORMS": "0",
        "metrics-0-name": "p95 latency",
        "metrics-0-value": "640",
        "metrics-0-unit": "ms",
    }


def comment_by(author: AbstractBaseUser) -> Callable[[World], dict]:
    def kwargs(w: World) -> dict:
        # Made before the snapshot; the anonymous visitor and the outsider meet the viewer's.
        comment = services.comment_add(decision=w.complete, user=author(w), body="Echo comment")
        return {"pk": w.complete.pk, "comment_pk": comment.pk}

    return kwargs


def own_or_viewers(w: World) -> AbstractBaseUser:
    return w.user if w.me in (Role.VIEWER, Role.EDITOR, Role.OWNER) else w.users[Role.VIEWER]


def comment_gone(w: World) -> bool:
    return not Comment.objects.filter(body="Echo comment").exists()


# Statuses in the order anonymous, outsider, viewer, editor, owner.
CASES: dict[str, tuple[Probe, ...]] = {
    # To the project list, or first to the login for anonymous visitors.
    "home": (Probe("get", no_kwargs, By(302, 302, 302, 302, 302)),),
    "project_list": (
        Probe("get", no_kwargs, By(302, 200, 200, 200, 200)),
        not_allowed("post", no_kwargs),
    ),
    "project_create": (
        Probe("get", no_kwargs, By(302, 200, 403, 200, 200), refusal=NOWHERE_TO_CREATE),
        # The outsider may create projects, but only in their own team: T is not a choice.
        Probe(
            "post",
            no_kwargs,
            By(302, 400, 403, 302, 302),
            data=new_project,
            refusal=NOWHERE_TO_CREATE,
            done=lambda w: w.team.projects.filter(name="Echo project").exists(),
        ),
    ),
    "project_detail": (
        Probe("get", project, By(302, 404, 200, 200, 200)),
        not_allowed("post", project),
    ),
    "project_edit": (
        Probe("get", project, By(302, 404, 403, 200, 200)),
        Probe(
            "post",
            project,
            By(302, 404, 403, 302, 302),
            data=lambda w: {"name": "Papa renamed", "description": "New words"},
            done=lambda w: Project.objects.filter(pk=w.project.pk, name="Papa renamed").exists(),
        ),
    ),
    "project_delete": (
        Probe("get", project, By(302, 404, 403, 403, 200), refusal=OWNER_ONLY),
        Probe(
            "post",
            project,
            By(302, 404, 403, 403, 302),
            refusal=OWNER_ONLY,
            done=lambda w: not Project.objects.filter(pk=w.project.pk).exists(),
        ),
    ),
    "decision_create": (
        Probe(
            "post",
            project,
            By(302, 404, 403, 302, 302),
            data=lambda w: {"title": "Echo decision"},
            done=lambda w: w.project.decisions.filter(title="Echo decision").exists(),
        ),
        not_allowed("get", project),
    ),
    "decision_detail": (
        Probe("get", complete, By(302, 404, 200, 200, 200), variant="complete"),
        # Editors are taken on into the wizard; a viewer reads the answers so far.
        Probe("get", draft, By(302, 404, 200, 302, 302), variant="in-progress"),
        not_allowed("post", complete),
    ),
    "decision_step": (
        Probe("get", first_step, By(302, 404, 403, 200, 200)),
        Probe(
            "post",
            first_step,
            By(302, 404, 403, 302, 302),
            data=lambda w: {"value": "behavior", "note": "From the matrix"},
            done=lambda w: w.draft.answers.filter(question="problem", value="behavior").exists(),
        ),
        # Being asked is a grant: the asked viewer answers, into their own answer set.
        Probe("get", asked_step, By(302, 404, 200, 200, 200), variant="asked"),
        Probe(
            "post",
            asked_step,
            By(302, 404, 302, 302, 302),
            data=lambda w: {"value": "behavior", "note": "Asked"},
            variant="asked",
            done=lambda w: PersonalAnswer.objects.filter(
                respondent__user=w.user, respondent__round__decision=w.asked, value="behavior"
            ).exists(),
        ),
    ),
    "decision_review": (
        Probe("get", draft, By(302, 404, 403, 200, 200)),
        # Everyone asked reviews their own answers, the viewer too.
        Probe("get", asked, By(302, 404, 200, 200, 200), variant="asked"),
        not_allowed("post", draft),
    ),
    "decision_refine": (
        Probe("get", draft, By(302, 404, 403, 200, 200)),
        Probe(
            "post",
            draft,
            By(302, 404, 403, 302, 302),
            data=lambda w: {"eval_set": "scored"},
            done=lambda w: w.draft.answers.filter(question="eval_set", value="scored").exists(),
        ),
    ),
    "decision_estimate": (
        Probe("get", draft, By(302, 404, 403, 200, 200)),
        Probe(
            "post",
            draft,
            By(302, 404, 403, 302, 302),
            data=lambda w: estimate_figures(),
            done=lambda w: Estimate.objects.filter(decision=w.draft).exists(),
        ),
    ),
    "decision_complete": (
        Probe(
            "post",
            draft,
            By(302, 404, 403, 302, 302),
            done=lambda w: Recommendation.objects.filter(decision=w.draft).exists(),
        ),
        not_allowed("get", draft),
    ),
    "round_ask": (
        Probe("get", draft, By(302, 404, 403, 200, 200)),
        Probe(
            "post",
            draft,
            By(302, 404, 403, 302, 302),
            data=lambda w: {"everyone": "on"},
            done=lambda w: w.draft.round.respondents.count() == 4,
        ),
    ),
    "round_submit": (
        # The asked viewer submits; nobody outside the team reaches it.
        Probe(
            "post",
            asked,
            By(302, 404, 302, 302, 302),
            done=lambda w: (
                Respondent.objects.get(round__decision=w.asked, user=w.user).has_submitted
            ),
        ),
        not_allowed("get", asked),
    ),
    "round_close": (
        Probe(
            "post",
            asked,
            By(302, 404, 403, 302, 302),
            done=lambda w: not AnswerRound.objects.get(decision=w.asked).is_open,
        ),
        not_allowed("get", asked),
    ),
    "question_settle": (
        # Asked or not, a viewer never settles.
        Probe(
            "post",
            settling,
            By(302, 404, 403, 302, 302),
            data=lambda w: {"key": "problem", "value": "knowledge", "note": "Docs first"},
            done=lambda w: Settlement.objects.filter(
                round__decision=w.settling, question="problem", note="Docs first"
            ).exists(),
        ),
        not_allowed("get", settling),
    ),
    "share_create": (
        Probe(
            "post",
            complete,
            By(302, 404, 403, 302, 302),
            data=lambda w: {"expires": "7"},
            done=lambda w: w.complete.share_links.count() == 2,
        ),
        not_allowed("get", complete),
    ),
    "share_revoke": (
        Probe(
            "post",
            link,
            By(302, 404, 403, 302, 302),
            done=lambda w: not ShareLink.objects.live().filter(pk=w.link.pk).exists(),
        ),
        not_allowed("get", link),
    ),
    "decision_revisit": (
        Probe(
            "post",
            complete,
            By(302, 404, 403, 302, 302),
            done=lambda w: w.complete.revisits.filter(project=w.project).exists(),
        ),
        not_allowed("get", complete),
    ),
    "project_compare": (
        Probe("get", project, By(302, 404, 200, 200, 200)),
        # With a query string the login's `next` carries it too, so only the plain URL
        # checks where anonymous visitors are sent.
        Probe(
            "get",
            project,
            By(302, 404, 200, 200, 200),
            data=lambda w: {"a": w.complete.pk, "b": w.complete.pk},
            variant="pair",
            login=False,
        ),
        # A decision of another team is not a choice: an error at the field, nothing shown.
        Probe(
            "get",
            project,
            By(302, 404, 400, 400, 400),
            data=lambda w: {"a": w.complete.pk, "b": w.own_decision.pk},
            variant="foreign-decision",
            login=False,
        ),
        not_allowed("post", project),
    ),
    "decision_export_md": (
        Probe("get", complete, By(302, 404, 200, 200, 200)),
        # Nothing to export before there is a recommendation.
        Probe("get", draft, By(302, 404, 404, 404, 404), variant="in-progress"),
        not_allowed("post", complete),
    ),
    "decision_export_json": (
        Probe("get", complete, By(302, 404, 200, 200, 200)),
        Probe("get", draft, By(302, 404, 404, 404, 404), variant="in-progress"),
        not_allowed("post", complete),
    ),
    "project_export_csv": (
        Probe("get", project, By(302, 404, 200, 200, 200)),
        not_allowed("post", project),
    ),
    "decision_import": (
        Probe(
            "post",
            project,
            By(302, 404, 403, 302, 302),
            data=exported_complete,
            done=lambda w: w.project.decisions.filter(title=COMPLETE_TITLE).count() == 2,
        ),
        not_allowed("get", project),
    ),
    "outcome_create": (
        Probe(
            "post",
            complete,
            By(302, 404, 403, 302, 302),
            data=new_outcome,
            done=lambda w: w.complete.outcomes.filter(
                notes="Echo outcome", metrics__name="p95 latency"
            ).exists(),
        ),
        # The form, fetched from the decision page; none before there is a recommendation.
        Probe("get", complete, By(302, 404, 403, 200, 200)),
        Probe("get", draft, By(302, 404, 403, 302, 302), variant="in-progress"),
    ),
    "outcome_delete": (
        Probe(
            "post",
            an_outcome,
            By(302, 404, 403, 302, 302),
            done=lambda w: not w.complete.outcomes.exists(),
        ),
        not_allowed("get", an_outcome),
    ),
    # Viewers may comment: reading a decision is enough to talk about it.
    "comment_create": (
        Probe(
            "post",
            complete,
            By(302, 404, 302, 302, 302),
            data=lambda w: {"body": "Echo comment"},
            done=lambda w: w.complete.comments.filter(author=w.user, body="Echo comment").exists(),
        ),
        not_allowed("get", complete),
    ),
    "comment_delete": (
        Probe("post", comment_by(own_or_viewers), By(302, 404, 302, 302, 302), done=comment_gone),
        # Only the author deletes a comment; the owner cannot delete someone else's.
        Probe(
            "post",
            comment_by(lambda w: w.target.user),
            By(302, 404, 403, 403, 403),
            variant="someone-elses",
            refusal=NOT_THE_AUTHOR,
        ),
        not_allowed("get", comment_by(own_or_viewers)),
    ),
    "share_page": (
        Probe("get", share_token, By(200, 200, 200, 200, 200), login=False, done=link_viewed),
        Probe("get", unknown_token, By(404, 404, 404, 404, 404), login=False, variant="unknown"),
        not_allowed_public("post", share_token),
    ),
    "share_json": (
        Probe("get", share_token, By(200, 200, 200, 200, 200), login=False, done=link_viewed),
        Probe("get", unknown_token, By(404, 404, 404, 404, 404), login=False, variant="unknown"),
        not_allowed_public("post", share_token),
    ),
    "team_list": (
        Probe("get", no_kwargs, By(302, 200, 200, 200, 200)),
        not_allowed("post", no_kwargs),
    ),
    "team_create": (
        Probe("get", no_kwargs, By(302, 200, 200, 200, 200)),
        Probe(
            "post",
            no_kwargs,
            By(302, 302, 302, 302, 302),
            data=lambda w: {"name": "Echo team"},
            done=lambda w: Team.objects.filter(
                name="Echo team", memberships__user=w.user, memberships__role=Role.OWNER
            ).exists(),
        ),
    ),
    "team_detail": (
        Probe("get", team, By(302, 404, 200, 200, 200)),
        not_allowed("post", team),
    ),
    "team_delete": (
        Probe("get", team, By(302, 404, 403, 403, 200), refusal=OWNER_ONLY),
        Probe(
            "post",
            team,
            By(302, 404, 403, 403, 302),
            refusal=OWNER_ONLY,
            done=lambda w: not Team.objects.filter(pk=w.team.pk).exists(),
        ),
    ),
    "team_settings": (
        Probe(
            "post",
            team,
            By(302, 404, 403, 403, 302),
            data=lambda w: {"time_zone": "Europe/Berlin", "webhook_url": ""},
            refusal=OWNER_ONLY,
            done=lambda w: Team.objects.get(pk=w.team.pk).time_zone == "Europe/Berlin",
        ),
        not_allowed("get", team),
    ),
    "invite_create": (
        Probe(
            "post",
            team,
            By(302, 404, 403, 403, 302),
            data=lambda w: {"email": "echo@example.com", "role": Role.VIEWER, "note": "Echo"},
            refusal=OWNER_ONLY,
            done=lambda w: w.team.invites.filter(
                note="Echo", role=Role.VIEWER, email="echo@example.com"
            ).exists(),
        ),
        not_allowed("get", team),
    ),
    "invite_revoke": (
        Probe(
            "post",
            invite,
            By(302, 404, 403, 403, 302),
            refusal=OWNER_ONLY,
            done=lambda w: Invite.objects.get(pk=w.invite.pk).revoked_at is not None,
        ),
        not_allowed("get", invite),
    ),
    "member_role": (
        Probe(
            "post",
            target,
            By(302, 404, 403, 403, 302),
            data=lambda w: {"role": Role.VIEWER},
            refusal=OWNER_ONLY,
            done=lambda w: Membership.objects.get(pk=w.target.pk).role == Role.VIEWER,
        ),
        not_allowed("get", target),
    ),
    "member_remove": (
        Probe(
            "post",
            target,
            By(302, 404, 403, 403, 302),
            variant="someone-else",
            refusal=OWNER_ONLY,
            done=lambda w: not Membership.objects.filter(pk=w.target.pk).exists(),
        ),
        # Anyone may leave; the outsider names their own membership through T's id.
        Probe(
            "post", own_membership, By(302, 404, 302, 302, 302), variant="leave", done=left_the_team
        ),
        not_allowed("get", target),
    ),
    "invite_accept": (
        Probe("get", invite_token, By(302, 200, 200, 200, 200)),
        Probe("post", invite_token, By(302, 302, 302, 302, 302), done=joined_through_invite),
        Probe("get", unknown_token, By(302, 404, 404, 404, 404), variant="unknown"),
    ),
    # Everyone signed in may search; only their own teams' decisions come back, so the
    # outsider's search for T's decision finds nothing (the SECRETS check below).
    "search": (
        Probe("get", no_kwargs, By(302, 200, 200, 200, 200)),
        # The login's return address keeps the query, which the walk's check does not expect.
        Probe(
            "get",
            no_kwargs,
            By(302, 200, 200, 200, 200),
            data=lambda w: {"q": "Charlie"},
            variant="query",
            login=False,
        ),
        not_allowed("post", no_kwargs),
    ),
    "team_dashboard": (
        Probe("get", team, By(302, 404, 200, 200, 200)),
        not_allowed("post", team),
    ),
    "api_evaluate": (
        Probe(
            "post",
            no_kwargs,
            By(200, 200, 200, 200, 200),
            data=lambda w: {"answers": RAG_ANSWERS},
            login=False,
            as_json=True,
        ),
        not_allowed_public("get", no_kwargs),
    ),
    "api_schema": (
        Probe("get", schema_name, By(200, 200, 200, 200, 200), login=False),
        not_allowed_public("post", schema_name),
    ),
    "decision_status": (
        Probe(
            "post",
            complete,
            By(302, 404, 403, 302, 302),
            data=lambda w: {"to_status": Decision.Lifecycle.ACCEPTED, "reason": "Agreed"},
            done=lambda w: lifecycle_of(w) == Decision.Lifecycle.ACCEPTED,
        ),
        not_allowed("get", complete),
    ),
    "decision_supersede": (
        Probe(
            "post",
            replaceable_decision,
            By(302, 404, 403, 302, 302),
            data=lambda w: {"replaced_by": Decision.objects.get(title="Golf successor").pk},
            done=lambda w: lifecycle_of(w) == Decision.Lifecycle.SUPERSEDED,
        ),
        not_allowed("get", complete),
    ),
    "decision_review_date": (
        Probe(
            "post",
            accepted_decision,
            By(302, 404, 403, 302, 302),
            data=lambda w: {"review_by": "2099-12-31"},
            done=lambda w: Decision.objects.get(pk=w.complete.pk).review_by == date(2099, 12, 31),
        ),
        not_allowed("get", complete),
    ),
    "team_reviews": (
        Probe("get", team, By(302, 404, 200, 200, 200)),
        not_allowed("post", team),
    ),
    # Everyone's own email settings: nothing of T's on the page, whoever asks.
    "notification_settings": (
        Probe("get", no_kwargs, By(302, 200, 200, 200, 200)),
        # Every box unticked but invites: the signed-in user turns the others off.
        Probe(
            "post",
            no_kwargs,
            By(302, 302, 302, 302, 302),
            data=lambda w: {"invite": "on"},
            done=lambda w: NotificationOptOut.objects.filter(user=w.user, kind="comment").exists(),
        ),
    ),
    # The link in every email: the signed token is the proof, so no login, and the kind it
    # names is turned off for the person it names, whoever opens it.
    "unsubscribe": (
        Probe(
            "get", unsubscribe_token, By(200, 200, 200, 200, 200), login=False, done=unsubscribed
        ),
        Probe("get", unknown_token, By(404, 404, 404, 404, 404), login=False, variant="unknown"),
    ),
    # Everyone's own account: no id in the URL, so nobody reaches another person's.
    "account": (
        Probe("get", no_kwargs, By(302, 200, 200, 200, 200)),
        not_allowed("post", no_kwargs),
    ),
    "account_data": (
        Probe("get", no_kwargs, By(302, 200, 200, 200, 200)),
        not_allowed("post", no_kwargs),
    ),
    # The outsider is alone in their team (deleted with them); T's owner is its last owner,
    # so their request is refused and sent back to the account page.
    "account_delete": (
        Probe(
            "post",
            no_kwargs,
            By(302, 302, 302, 302, 302),
            data=lambda w: {"password": PASSWORD},
            done=lambda w: account_gone(w) != (w.me == "owner"),
        ),
        Probe(
            "post",
            no_kwargs,
            By(302, 400, 400, 400, 400),
            data=lambda w: {"password": "not-the-password"},
            variant="wrong-password",
        ),
        not_allowed("get", no_kwargs),
    ),
}

# Pages that show T's content to people outside it, by design.
PUBLIC_CONTENT = {"share_page", "share_json", "invite_accept"}

PROBES = [(name, probe) for name, probes in CASES.items() for probe in probes]


# --- The URL walk ----------------------------------------------------------------------------


def advisor_patterns() -> list:
    """Every URL pattern of the advisor namespace, however deeply it is included."""
    found = []

    def walk(patterns, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern.url_patterns, inner)
            elif namespace == "advisor":
                found.append(pattern)

    walk(get_resolver().url_patterns, "")
    return found


def advisor_url_names() -> set[str]:
    return {pattern.name for pattern in advisor_patterns()}


def test_the_walk_finds_the_apps_urls_and_every_one_is_named():
    patterns = advisor_patterns()

    assert {"project_list", "share_page", "invite_accept", "api_evaluate"} <= advisor_url_names()
    assert [str(p.pattern) for p in patterns if not p.name] == []


def test_every_url_of_the_app_has_a_case():
    missing = advisor_url_names() - CASES.keys()

    assert not missing, f"add these URL names to CASES: {sorted(missing)}"


def test_every_case_names_a_url_of_the_app():
    unknown = CASES.keys() - advisor_url_names()

    assert not unknown, f"CASES names URLs that do not exist: {sorted(unknown)}"


def test_the_docstring_states_the_matrix_size():
    cells = f"{len(CASES)} URL names x {len(ACTORS)} actors = {len(CASES) * len(ACTORS)} cells"
    cases = f"{len(PROBES)} probes x {len(ACTORS)} actors = {len(PROBES) * len(ACTORS)}"

    assert cells in __doc__
    assert cases in __doc__


def send(client: Client, probe: Probe, url: str, world: World):
    data = probe.data(world) if probe.data else {}
    if probe.as_json:
        return client.post(url, json.dumps(data), content_type="application/json")
    return getattr(client, probe.method)(url, data)


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize(
    ("name", "probe"),
    [pytest.param(name, probe, id=f"{name}-{probe.id}") for name, probe in PROBES],
)
def test_url_matrix(world, name, probe, actor):
    world.me = actor
    client = client_for(world, actor)
    url = reverse(f"advisor:{name}", kwargs=probe.kwargs(world))
    before = snapshot()

    response = send(client, probe, url, world)

    expected = getattr(probe.expect, actor)
    assert response.status_code == expected, f"{probe.method.upper()} {url} as {actor}"
    to_login = actor == "anonymous" and probe.login
    if to_login:
        # A form posted without a session returns to the project list after the login.
        back_to = url if probe.method == "get" else reverse("advisor:project_list")
        assert response["Location"] == f"/accounts/login/?next={back_to}"
    if expected == 403:
        assert escape(probe.refusal) in response.text
    if actor in ("anonymous", "outsider") and not (name in PUBLIC_CONTENT and expected == 200):
        for secret in SECRETS:
            assert secret not in response.content.decode()
    if expected == probe.ok and not to_login:
        assert probe.done is None or probe.done(world), "the write did not take place"
    else:
        assert snapshot() == before, "a refused request changed the database"


# --- Login by default ------------------------------------------------------------------------

# Every view of the site needs a login unless it is named here: the walk below sends an
# anonymous visitor to every other URL and expects the login page. A view leaves the login
# only with `login_not_required` and a line in this list.
PUBLIC_VIEWS = {
    # The probes of the load balancer and the orchestrator.
    "healthz",
    "readyz",
    # A share link's page and its JSON, and the JSON API with its schemas (public by design).
    "advisor:share_page",
    "advisor:share_json",
    "advisor:api_evaluate",
    "advisor:api_schema",
    # The one-click unsubscribe link of an email: its signed token is the proof.
    "advisor:unsubscribe",
    # allauth's pages for people who are not logged in, which allauth marks itself.
    "account_login",
    "account_logout",
    "account_signup",
    "account_inactive",
    "account_email_verification_sent",
    "account_confirm_email",
    "account_confirm_login_code",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key",
    "account_reset_password_from_key_done",
    # The two-factor step of a login: only reachable with a password already checked in this
    # session (anyone else is sent back to the login).
    "mfa_authenticate",
    # The admin's own login page.
    "admin:login",
}


class Route(NamedTuple):
    path: str  # the pattern as written, its includes' prefixes in front
    name: str  # with its namespaces; "" when the pattern has no name
    view: Callable


def site_routes() -> list[Route]:
    """Every URL pattern of the site: the app, the accounts, the admin, the probes."""
    found = []

    def walk(patterns, prefix: str, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            else:
                name = f"{namespace}{pattern.name}" if pattern.name else ""
                found.append(Route(prefix + str(pattern.pattern), name, pattern.callback))

    walk(get_resolver().url_patterns, "", "")
    return found


PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^()]*\)")


def first_pk(model) -> int:
    return model.objects.order_by("pk").values_list("pk", flat=True).first() or 1


def url_of(route: Route, w: World) -> str:
    """The route's URL with its parameters filled with existing objects: the app's as its
    cases fill them, the admin's with a row of the model it shows."""
    if route.name.startswith("advisor:"):
        return reverse(route.name, kwargs=CASES[route.name.removeprefix("advisor:")][0].kwargs(w))
    model_admin = getattr(route.view, "model_admin", None)
    values = {
        "object_id": first_pk(model_admin.model) if model_admin else w.complete.pk,
        "content_type_id": ContentType.objects.get_for_model(Decision).pk,
        "id": w.users[Role.OWNER].pk,
        "app_label": "advisor",
        "url": "nowhere/",
        "key": "nope",
        "uidb36": "1",
    }
    path = PARAMETER.sub(lambda m: str(values[m.group(1) or m.group(2)]), route.path)
    return "/" + path.replace("^", "").replace("$", "")


def sent_to(location: str) -> tuple[str, str]:
    """The login page a redirect goes to, and the page it will return to."""
    parts = urlsplit(location)
    return parts.path, parse_qs(parts.query).get("next", [""])[0]


def test_the_views_open_without_a_login_are_exactly_the_listed_ones():
    public = {r.name for r in site_routes() if not getattr(r.view, "login_required", True)}

    assert public == PUBLIC_VIEWS


def test_every_other_url_sends_an_anonymous_visitor_to_log_in(world):
    # Filled first: some of the app's cases make the object their URL names.
    urls = {r: url_of(r, world) for r in site_routes() if r.name not in PUBLIC_VIEWS}
    client = Client()
    before = snapshot()
    wrong = []

    for route, url in urls.items():
        assert resolve(url).func == route.view, f"{route.path} filled as {url}"
        # The admin's pages send to the admin's own login page, as they always have.
        login = "/admin/login/" if route.path.startswith("admin/") else "/accounts/login/"
        # A form posted after the session ended returns to its page, here the referring one.
        plain_get = client.get(url)
        plain_post = client.post(url, headers={"Referer": "http://testserver/teams/"})
        htmx = client.post(url, headers={**HX, "HX-Current-URL": f"http://testserver{url}"})
        seen = {
            "GET": (plain_get.status_code, sent_to(plain_get.get("Location", "?next="))),
            "POST": (plain_post.status_code, sent_to(plain_post.get("Location", "?next="))),
            "htmx": (htmx.status_code, sent_to(htmx.get("HX-Redirect", "?next="))),
        }
        expected = {
            "GET": (302, (login, url)),
            "POST": (302, (login, "/teams/")),
            "htmx": (200, (login, url)),
        }
        if seen != expected:
            wrong.append((route.path, seen))

    assert len(urls) > 100
    assert wrong == []
    assert snapshot() == before


def test_an_anonymous_post_without_its_csrf_token_is_refused_before_the_login(world):
    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("advisor:decision_create", args=[world.project.pk]))

    assert response.status_code == 403
    assert "This page had gone stale" in response.text


# --- Share tokens -------------------------------------------------------------------------------


def share_urls(token: str) -> tuple[str, str]:
    return reverse("advisor:share_page", args=[token]), reverse("advisor:share_json", args=[token])


def test_share_tokens_that_do_not_open_all_get_one_identical_404(world):
    expired = ShareLink.objects.create(
        decision=world.complete, expires_at=timezone.now() - timedelta(minutes=1)
    )
    revoked = ShareLink.objects.create(decision=world.complete, revoked_at=timezone.now())
    tokens = [new_token(), world.link.token[:-1], revoked.token, expired.token]
    client = Client()
    before = snapshot()

    pages = [client.get(share_urls(token)[0]) for token in tokens]
    documents = [client.get(share_urls(token)[1]) for token in tokens]

    assert [r.status_code for r in pages + documents] == [404] * 8
    assert len({r.content for r in pages}) == 1
    assert len({r.content for r in documents}) == 1
    assert json.loads(documents[0].content) == {"error": "Not found."}
    for response in pages + documents:
        assert COMPLETE_TITLE not in response.content.decode()
        assert PROJECT_NAME not in response.content.decode()
    assert snapshot() == before


def test_a_link_revoked_through_the_page_stops_opening_at_once(world):
    public = Client()
    page, document = share_urls(world.link.token)
    assert public.get(page).status_code == 200
    missing = public.get(share_urls(UNKNOWN_TOKEN)[0])

    editor = client_for(world, Role.EDITOR)
    editor.post(reverse("advisor:share_revoke", args=[world.complete.pk, world.link.pk]))
    after_page, after_document = public.get(page), public.get(document)

    assert after_page.status_code == 404
    assert after_page.content == missing.content
    assert COMPLETE_TITLE not in after_page.text
    assert after_document.status_code == 404
    assert COMPLETE_TITLE not in after_document.content.decode()


@pytest.mark.parametrize(
    "token",
    ["abc$def", "abc.def", "abc%20def", "%3Cscript%3Ealert(1)%3C%2Fscript%3E", "a" * 65, "é" * 8],
    ids=["dollar", "dot", "space", "script", "too-long", "non-ascii"],
)
def test_share_tokens_outside_the_alphabet_do_not_resolve(world, token):
    client = Client()
    before = snapshot()

    for url in (f"/s/{token}/", f"/s/{token}.json"):
        response = client.get(url)

        assert response.status_code == 404
        assert "<script>" not in response.content.decode()
        assert COMPLETE_TITLE not in response.content.decode()
    assert snapshot() == before


# --- Invites -------------------------------------------------------------------------------------


def spoiled_invites(world: World) -> list[Invite]:
    owner = world.users[Role.OWNER]
    week = timezone.now() + timedelta(days=7)
    return [
        Invite.objects.create(
            team=world.team,
            role=Role.OWNER,
            created_by=owner,
            expires_at=timezone.now() - timedelta(minutes=1),
        ),
        Invite.objects.create(
            team=world.team,
            role=Role.OWNER,
            created_by=owner,
            expires_at=week,
            revoked_at=timezone.now(),
        ),
        Invite.objects.create(
            team=world.team,
            role=Role.OWNER,
            created_by=owner,
            expires_at=week,
            accepted_at=timezone.now(),
            accepted_by=world.users[Role.EDITOR],
        ),
    ]


@pytest.mark.parametrize("method", ["get", "post"])
def test_expired_revoked_and_used_invites_show_one_404_and_nobody_joins(world, method):
    invites = spoiled_invites(world)
    client = client_for(world, "outsider")
    before = snapshot()

    responses = [getattr(client, method)(invite.get_absolute_url()) for invite in invites]

    assert [r.status_code for r in responses] == [404, 404, 404]
    assert "This invite link cannot be used" in responses[0].text
    assert TEAM_NAME not in responses[0].text
    assert len({without_per_request_tokens(r.text) for r in responses}) == 1
    assert snapshot() == before
    assert not world.team.memberships.filter(user=world.users["outsider"]).exists()


# --- A viewer and the wizard ---------------------------------------------------------------------

WIZARD_POSTS = {
    "decision_create": (lambda w: [w.project.pk], {"title": "A viewer's decision"}),
    "decision_step": (lambda w: [w.draft.pk, 1], {"value": "behavior", "note": "viewer"}),
    "decision_complete": (lambda w: [w.draft.pk], {}),
}


@pytest.mark.parametrize("name", WIZARD_POSTS)
def test_a_viewer_posting_to_the_wizard_is_refused_and_nothing_changes(world, name):
    args, data = WIZARD_POSTS[name]
    client = client_for(world, Role.VIEWER)
    before = snapshot()

    response = client.post(reverse(f"advisor:{name}", args=args(world)), data)

    assert response.status_code == 403
    assert "viewer" in response.text
    assert escape(EDITOR_ONLY) in response.text
    assert snapshot() == before


@pytest.mark.parametrize("name", WIZARD_POSTS)
def test_a_viewer_posting_to_the_wizard_with_htmx_gets_a_refresh_that_says_why(world, name):
    args, data = WIZARD_POSTS[name]
    client = client_for(world, Role.VIEWER)
    before = snapshot()

    response = client.post(reverse(f"advisor:{name}", args=args(world)), data, headers=HX)

    assert response.status_code == 403
    assert response["HX-Refresh"] == "true"
    assert "<html" not in response.text
    assert snapshot() == before
    reloaded = client.get(world.project.get_absolute_url())
    assert escape(EDITOR_ONLY) in reloaded.text


# --- Crossing teams ------------------------------------------------------------------------------


def cross_team_posts(w: World) -> dict[str, tuple[str, dict]]:
    """What a member of team A (the outsider, its owner) might post at team B's objects."""
    b_owner = w.memberships[Role.OWNER]
    return {
        "step": (reverse("advisor:decision_step", args=[w.draft.pk, 1]), {"value": "behavior"}),
        "complete": (reverse("advisor:decision_complete", args=[w.draft.pk]), {}),
        "decision create": (
            reverse("advisor:decision_create", args=[w.project.pk]),
            {"title": "Planted"},
        ),
        "project edit": (
            reverse("advisor:project_edit", args=[w.project.pk]),
            {"name": "Defaced", "description": ""},
        ),
        "project delete": (reverse("advisor:project_delete", args=[w.project.pk]), {}),
        "share create": (
            reverse("advisor:share_create", args=[w.complete.pk]),
            {"expires": ""},
        ),
        "share revoke via B's decision": (
            reverse("advisor:share_revoke", args=[w.complete.pk, w.link.pk]),
            {},
        ),
        "share revoke via A's decision": (
            reverse("advisor:share_revoke", args=[w.own_decision.pk, w.link.pk]),
            {},
        ),
        "member role via A's team": (
            reverse("advisor:member_role", args=[w.own_team.pk, b_owner.pk]),
            {"role": Role.VIEWER},
        ),
        "member role via B's team": (
            reverse("advisor:member_role", args=[w.team.pk, b_owner.pk]),
            {"role": Role.VIEWER},
        ),
        "member remove via A's team": (
            reverse("advisor:member_remove", args=[w.own_team.pk, b_owner.pk]),
            {},
        ),
        "member remove via B's team": (
            reverse("advisor:member_remove", args=[w.team.pk, b_owner.pk]),
            {},
        ),
        "invite create": (
            reverse("advisor:invite_create", args=[w.team.pk]),
            {"role": Role.OWNER},
        ),
        "invite revoke via A's team": (
            reverse("advisor:invite_revoke", args=[w.own_team.pk, w.invite.pk]),
            {},
        ),
        "invite revoke via B's team": (
            reverse("advisor:invite_revoke", args=[w.team.pk, w.invite.pk]),
            {},
        ),
    }


CROSS_TEAM = [
    "step",
    "complete",
    "decision create",
    "project edit",
    "project delete",
    "share create",
    "share revoke via B's decision",
    "share revoke via A's decision",
    "member role via A's team",
    "member role via B's team",
    "member remove via A's team",
    "member remove via B's team",
    "invite create",
    "invite revoke via A's team",
    "invite revoke via B's team",
]


def test_the_cross_team_list_is_complete(world):
    assert list(cross_team_posts(world)) == CROSS_TEAM


@pytest.mark.parametrize("hx", [False, True], ids=["plain", "htmx"])
@pytest.mark.parametrize("attack", CROSS_TEAM)
def test_a_member_of_another_team_posting_by_id_gets_404_and_nothing_changes(world, attack, hx):
    url, data = cross_team_posts(world)[attack]
    client = client_for(world, "outsider")
    before = snapshot()

    response = client.post(url, data, headers=HX if hx else {})

    assert response.status_code == 404
    for secret in SECRETS:
        assert secret not in response.content.decode()
    assert snapshot() == before


def test_a_member_of_another_team_cannot_create_a_project_in_it(world):
    client = client_for(world, "outsider")
    before = snapshot()

    response = client.post(
        reverse("advisor:project_create"), {"team": world.team.pk, "name": "Planted"}
    )

    assert response.status_code == 400
    assert "Choose one of your teams where you are an editor or owner." in response.text
    assert TEAM_NAME not in response.text
    assert snapshot() == before


def test_revoking_a_link_through_another_decision_of_the_same_team_is_404(world):
    other = completed_decision(project=world.project, title="Foxtrot complete")
    client = client_for(world, Role.EDITOR)
    before = snapshot()

    for decision in (other, world.draft):
        url = reverse("advisor:share_revoke", args=[decision.pk, world.link.pk])

        assert client.post(url).status_code == 404
    assert snapshot() == before
    assert ShareLink.objects.live().filter(pk=world.link.pk).exists()


# --- HTML and JavaScript in names and notes ----------------------------------------------------

PAYLOADS = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>']


def og_content(html: str, name: str) -> str:
    match = re.search(rf'<meta (?:property|name)="{re.escape(name)}" content="([^"]*)">', html)
    assert match, name
    return match.group(1)


@pytest.mark.parametrize("payload", PAYLOADS, ids=["script", "img-onerror"])
def test_html_in_names_and_notes_is_escaped_on_every_page(db, payload):
    owner = UserFactory()
    team = services.team_create(user=owner, name=f"Team {payload}")
    project = services.project_create(
        user=owner, team=team, name=f"Project {payload}", description=f"About {payload}"
    )
    decisions = []
    for kind in ("complete", "draft"):
        decision = services.decision_start(project=project, user=owner, title=f"{kind} {payload}")
        for step, value in enumerate(RAG_ANSWERS.values(), start=1):
            services.answer_save(decision=decision, step=step, value=value, note=f"Note {payload}")
        decisions.append(decision)
    done, draft = decisions
    services.decision_complete(decision=done, user=owner)
    done.refresh_from_db()
    link = services.share_create(decision=done, user=owner, expires_in_days=None)
    owner_client = Client()
    owner_client.force_login(owner)
    pages = {
        "project list": reverse("advisor:project_list"),
        "project page": project.get_absolute_url(),
        "project edit": reverse("advisor:project_edit", args=[project.pk]),
        "project delete": reverse("advisor:project_delete", args=[project.pk]),
        "team list": reverse("advisor:team_list"),
        "team page": team.get_absolute_url(),
        "result page": done.get_absolute_url(),
        "wizard step": reverse("advisor:decision_step", args=[draft.pk, 1]),
        "wizard review": reverse("advisor:decision_review", args=[draft.pk]),
    }

    for page, url in pages.items():
        response = owner_client.get(url)

        assert response.status_code == 200, page
        assert payload not in response.text, page
        assert escape(payload) in response.text, page

    share = Client().get(link.get_absolute_url())
    assert share.status_code == 200
    assert payload not in share.text
    for tag in ("og:title", "twitter:title"):
        assert og_content(share.text, tag) == f"Retrieval (RAG): {escape(done.title)}"
    assert escape(f"Note {payload}") in share.text
    document = Client().get(reverse("advisor:share_json", args=[link.token]))
    assert document["Content-Type"] == "application/json"
    assert document["X-Content-Type-Options"] == "nosniff"


# --- Redirects after login -----------------------------------------------------------------------

OFFSITE = [
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example",
    "javascript:alert(1)",
    "https:evil.example",
    "http:///evil.example",
]


@pytest.mark.parametrize("next_url", OFFSITE)
@pytest.mark.parametrize("where", ["form", "query"])
def test_login_never_follows_a_next_that_leaves_the_site(db, next_url, where):
    user = UserFactory()
    credentials = {"login": user.username, "password": PASSWORD}
    if where == "form":
        response = Client().post("/accounts/login/", {**credentials, "next": next_url})
    else:
        query = urlencode({"next": next_url})
        response = Client().post(f"/accounts/login/?{query}", credentials)

    assert response.status_code == 302
    assert response["Location"] == "/projects/"


@pytest.mark.parametrize("where", ["form", "query"])
def test_login_follows_a_local_next(db, where):
    user = UserFactory()
    credentials = {"login": user.username, "password": PASSWORD}
    if where == "form":
        response = Client().post("/accounts/login/", {**credentials, "next": "/teams/"})
    else:
        response = Client().post("/accounts/login/?next=/teams/", credentials)

    assert response.status_code == 302
    assert response["Location"] == "/teams/"


def test_a_post_without_a_session_never_returns_to_an_offsite_page(world):
    url = reverse("advisor:decision_create", args=[world.project.pk])
    before = snapshot()

    plain = Client().post(url, headers={"Referer": "https://evil.example/projects/1/"})
    htmx = Client().post(url, headers={**HX, "HX-Current-URL": "https://evil.example/x"})

    assert plain["Location"] == "/accounts/login/?next=/projects/"
    assert htmx["HX-Redirect"] == "/accounts/login/?next=/projects/"
    assert snapshot() == before


# --- CSRF ----------------------------------------------------------------------------------------


def test_writes_need_the_csrf_token_that_htmx_sends_from_the_body(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users[Role.EDITOR])
    url = reverse("advisor:decision_create", args=[world.project.pk])
    before = snapshot()

    plain = client.post(url, {"title": "Forged"})
    htmx = client.post(url, {"title": "Forged"}, headers=HX)

    assert plain.status_code == 403
    assert "This page had gone stale" in plain.text
    assert htmx.status_code == 403
    assert htmx["HX-Refresh"] == "true"
    assert snapshot() == before

    page = client.get(world.project.get_absolute_url())
    body = re.search(r"<body hx-headers='([^']*)'", page.text)
    token = json.loads(body.group(1))["X-CSRFToken"]
    response = client.post(url, {"title": "With the token"}, headers={"X-CSRFToken": token})

    assert response.status_code == 302
    assert world.project.decisions.filter(title="With the token").exists()


# --- Rate limit and headers of the public pages -------------------------------------------------


def clear_of_the_minute_boundary() -> None:
    # The limit counts in fixed one-minute windows; a window ending mid-test would reset it.
    if time.time() % 60 > 58:
        time.sleep(2.5)


@override_settings(SHARE_RATE_LIMIT_PER_MINUTE=3)
def test_share_pages_are_rate_limited_per_ip_for_any_token(world):
    clear_of_the_minute_boundary()
    client = Client(REMOTE_ADDR="203.0.113.7")
    live_page, live_json = share_urls(world.link.token)
    unknown_page, unknown_json = share_urls(UNKNOWN_TOKEN)

    served = [client.get(url).status_code for url in (live_page, unknown_page, live_json)]
    limited = [client.get(url) for url in (live_page, unknown_page, live_json, unknown_json)]

    assert served == [200, 404, 200]
    assert [r.status_code for r in limited] == [429] * 4
    # The seconds until the minute's window ends, when the count starts again.
    assert all(1 <= int(r["Retry-After"]) <= 60 for r in limited)
    assert "Too many requests" in limited[0].text
    assert limited[2].json() == {"error": "Too many requests: wait a minute."}
    world.link.refresh_from_db()
    assert world.link.view_count == 2
    assert Client(REMOTE_ADDR="203.0.113.8").get(live_page).status_code == 200


def hrefs(html: str) -> list[str]:
    return re.findall(r'(?:href|action|src|hx-get|hx-post)="([^"]*)"', html)


@override_settings(SHARE_RATE_LIMIT_PER_MINUTE=4)
def test_share_responses_are_private_and_offer_nothing_to_act_on(world):
    clear_of_the_minute_boundary()
    client = Client(REMOTE_ADDR="203.0.113.9")
    live_page, live_json = share_urls(world.link.token)
    unknown_page, unknown_json = share_urls(UNKNOWN_TOKEN)
    responses = {
        "page": client.get(live_page),
        "json": client.get(live_json),
        "missing page": client.get(unknown_page),
        "missing json": client.get(unknown_json),
        "limited page": client.get(live_page),
        "limited json": client.get(live_json),
    }
    names = [user.get_username() for user in world.users.values()]

    assert [r.status_code for r in responses.values()] == [200, 200, 404, 404, 429, 429]
    for kind, response in responses.items():
        body = response.content.decode()

        assert response["X-Robots-Tag"] == "noindex, nofollow", kind
        assert response["Referrer-Policy"] == "no-referrer", kind
        assert "no-store" in response["Cache-Control"], kind
        assert "<form" not in body, kind
        assert EMAIL.findall(body) == [], kind
        assert not any(name in body for name in names), kind
        for url in hrefs(body):
            path = urlsplit(url).path
            if path.startswith("/static/") or not path.startswith("/"):
                continue
            # Only the site's home (the project list, behind the login) may be linked.
            assert resolve(path).view_name in {"advisor:project_list", "advisor:home"}, url
