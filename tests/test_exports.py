"""Exports and import: the MADR Markdown (golden files), the JSON document, the project's CSV,
and importing the JSON into another project, checked field by field and as a round trip."""

from __future__ import annotations

import copy
import csv
import io
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor import services
from advisor.domain.madr import decision_markdown, favours, heading, inline, lines
from advisor.models import (
    AuditEvent,
    Decision,
    Outcome,
    OutcomeMetric,
    Recommendation,
    Role,
    StatusChange,
)
from advisor.selectors.documents import (
    EXPORT_FORMAT,
    EXPORT_VERSION,
    decimal_text,
    decision_document,
    decision_export,
)
from advisor.views.exports import CSV_COLUMNS, FORMULA_SIGNS, csv_cell
from tests.conftest import HX, client_for
from tests.factories import (
    TEAM_ANSWERS,
    DecisionFactory,
    ProjectFactory,
    completed_decision,
    member,
    team_decision,
)

GOLDEN = Path(__file__).parent / "golden"
BASE = "https://advisor.example"


# --- Fixed documents for the golden files -------------------------------------------------------


def rag_document() -> dict:
    """An accepted RAG decision with a review date, notes that look like Markdown, no outcomes."""
    answers = [
        (
            "problem",
            "Knowledge or behaviour",
            "What is wrong today?",
            "knowledge",
            "It lacks information",
            "- Agents paste\n| from the wiki |\n\n# not a heading",
        ),
        (
            "data_change",
            "How often the data changes",
            "How often does it change?",
            "occasional",
            "Now and then",
            "",
        ),
        ("latency", "Latency tolerance", "How long can a user wait?", "async", "Not waiting", ""),
        (
            "cost",
            "Cost constraints",
            "Where is the product?",
            "early_stage",
            "Early stage",
            "Budget *tight* until Q3 <b>",
        ),
        ("labeled_data", "Labelled examples", "Do you have pairs?", "none", "None yet", ""),
    ]
    verdicts = [
        ("strong", "partial"),
        ("strong", "partial"),
        ("strong", "strong"),
        ("strong", "poor"),
        ("strong", "poor"),
    ]
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": "2026-11-29T10:00:00+00:00",
        "url": f"{BASE}/decisions/7/",
        "decision": {
            "title": "# Support bot answers #",
            "project": "Claims [triage]",
            "completed_at": "2026-11-20T09:30:00+00:00",
        },
        "recommendation": {
            "approach": "rag",
            "headline": "Use retrieval (RAG): the model is missing information.",
            "rationale": [
                {
                    "question": key,
                    "answer": value,
                    "question_title": title,
                    "answer_label": label,
                    "rag": rag,
                    "fine_tuning": ft,
                    "why": f"Why {key}.",
                }
                for (key, title, _, value, label, _), (rag, ft) in zip(
                    answers, verdicts, strict=True
                )
            ],
            "ladder_step": "rag",
            "next_step": "Index your documents.",
            "next_steps": ["Collect 30 real requests.", "Pick the sources to index."],
            "trade_offs": ["You run a vector store.", "Behaviour is shaped by prompts alone."],
            "would_change": [
                {
                    "question": "problem",
                    "answer": "behavior",
                    "approach": "prompt_engineering",
                    "summary": "If it behaved the wrong way, the advice would change.",
                }
            ],
            "rules_version": "2026.11.3",
            "answers": [
                {
                    "question": key,
                    "question_title": title,
                    "prompt": prompt,
                    "answer": value,
                    "answer_label": label,
                    "note": note,
                }
                for key, title, prompt, value, label, note in answers
            ],
            "estimate": None,
        },
        "started_at": "2026-11-19T08:00:00+00:00",
        "lifecycle": "accepted",
        "review_by": "2027-05-20",
        "status_history": [
            {"from": "proposed", "to": "accepted", "at": "2026-11-21T12:00:00+00:00", "reason": ""}
        ],
        "links": {"supersedes": None, "superseded_by": None, "revisit_of": None},
        "outcomes": [],
        "answers": [
            {"question": key, "value": value, "note": note} for key, _, _, value, _, note in answers
        ],
        "estimate_inputs": None,
        "people": {"completed_by": "priya", "status_changes": ["sam"], "outcomes": []},
    }


def superseded_document() -> dict:
    """A prompt-engineering decision, superseded, revisiting another, with two outcomes (one
    of them not the chosen approach) and a history with reasons."""
    document = rag_document()
    rec = document["recommendation"]
    rec["approach"] = rec["ladder_step"] = "prompt_engineering"
    rec["headline"] = "Start with prompt engineering: labelled pairs are missing."
    rec["trade_offs"] = ["Prompts cannot teach facts."]
    rec["would_change"] = []
    for item in rec["rationale"]:
        item["fine_tuning"] = "poor" if item["question"] in ("cost", "labeled_data") else "partial"
    document["decision"]["title"] = "Tone of replies"
    document["lifecycle"] = "superseded"
    document["review_by"] = None
    document["status_history"] = [
        {"from": "proposed", "to": "accepted", "at": "2026-10-02T12:00:00+00:00", "reason": ""},
        {
            "from": "accepted",
            "to": "superseded",
            "at": "2026-11-25T16:45:00+00:00",
            "reason": "Replaced once the pairs existed",
        },
    ]
    document["links"] = {
        "supersedes": None,
        "superseded_by": {"title": "Tone, again", "url": f"{BASE}/decisions/9/"},
        "revisit_of": {"title": "First try [draft]", "url": f"{BASE}/decisions/3/"},
    }
    document["outcomes"] = [
        {
            "approach": "prompt_engineering",
            "shipped_on": "2026-10-20",
            "notes": "Shipped to 10 %.",
            "recorded_at": "2026-10-21T09:00:00+00:00",
            "metrics": [
                {"name": "quality pass rate", "value": "87", "unit": "%"},
                {"name": "p95 latency", "value": "640", "unit": "ms"},
            ],
        },
        {
            "approach": "fine_tuning",
            "shipped_on": "2026-11-24",
            "notes": "",
            "recorded_at": "2026-11-24T10:00:00+00:00",
            "metrics": [{"name": "monthly cost", "value": "1200.5", "unit": "USD"}],
        },
    ]
    document["people"] = {
        "completed_by": None,
        "status_changes": ["sam", "lee"],
        "outcomes": ["sam", "lee"],
    }
    return document


@pytest.mark.parametrize(
    ("document", "golden"),
    [
        (rag_document, "decision_rag.md"),
        (superseded_document, "decision_superseded_with_outcomes.md"),
    ],
)
def test_markdown_matches_its_golden_file_byte_for_byte(document, golden):
    expected = (GOLDEN / golden).read_bytes()

    assert decision_markdown(document()).encode() == expected


# --- Escaping ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("- not a list", r"\- not a list"),
        ("| not | a table |", r"\| not | a table |"),
        ("# not a heading", r"\# not a heading"),
        ("> not a quote", "&gt; not a quote"),
        ("+ not a list", r"\+ not a list"),
        ("=== not an underline", r"\=== not an underline"),
        ("1. not numbered", r"1\. not numbered"),
        ("2) not numbered", r"2\) not numbered"),
        ("2026.11.3 stays", "2026.11.3 stays"),
        ("*bold* and _it_", r"\*bold\* and \_it\_"),
        ("[a link](https://x.example)", r"\[a link\](https://x.example)"),
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("AT&T &amp; <b>", "AT&amp;T &amp;amp; &lt;b&gt;"),
        ("`code` and a \\", r"\`code\` and a \\"),
        ("two\nlines", "two lines"),
        ("C# in the middle", "C# in the middle"),
        ("~~~ not a fence", r"\~\~\~ not a fence"),
        ("~~not struck~~", r"\~\~not struck\~\~"),
    ],
)
def test_inline_user_text_cannot_become_markdown_structure(text, escaped):
    assert inline(text) == escaped


def test_a_heading_escapes_every_hash_so_none_closes_it():
    assert heading("# Bot #1 #") == r"\# Bot \#1 \#"


def test_multi_line_text_escapes_each_line_start():
    assert lines("first\n  - second\n\n| third |") == ["first", r"\- second", "", r"\| third |"]


def test_a_fence_in_a_note_cannot_swallow_the_rest_of_the_file():
    assert lines("~~~\nrest\n```") == [r"\~\~\~", "rest", r"\`\`\`"]


def test_a_title_and_notes_that_look_like_markdown_stay_in_their_place():
    document = rag_document()
    document["decision"]["title"] = "- | # Title"
    document["recommendation"]["answers"][1]["note"] = "## Injected\n- [x](javascript:alert(1))"

    markdown = decision_markdown(document)

    headings = [line for line in markdown.splitlines() if line.startswith("#")]
    # After "# " a dash or bar is plain heading text; every "#" is escaped.
    assert headings[0] == r"# - | \# Title"
    assert "## Injected" not in headings
    assert r"  \## Injected" in markdown
    assert r"  \- \[x\](javascript:alert(1))" in markdown
    assert "](javascript" not in markdown.replace(r"\](javascript", "")


# --- YAML front matter and HTML -----------------------------------------------------------------


def front_matter(markdown: str) -> tuple[dict, str]:
    """The front matter as a YAML parser reads it, and the body after it."""
    assert markdown.startswith("---\n")
    front, body = markdown.removeprefix("---\n").split("\n---\n", 1)
    return yaml.safe_load(front), body


@pytest.mark.parametrize(
    "name",
    [
        '"><script>alert(1)</script>',
        "two\nlines",
        "key: value",
        "---",
        "# not a comment",
        "&anchor",
        "*alias",
        "!tag",
        "%directive",
        "@at",
        "`backtick",
        'a "quoted" name',
        "back\\slash",
        "yes",
        "2026-11-20",
        "[1, 2]",
        "{a: 1}",
        "a\u2028b\u0085c\x00d\x7fe\u202ef\ud800g\U0001f600",
    ],
)
def test_a_name_in_the_front_matter_reads_back_as_the_same_string(name):
    document = rag_document()
    document["people"]["completed_by"] = name

    markdown = decision_markdown(document)
    values, body = front_matter(markdown)

    assert values == {
        "status": "accepted",
        "date": "2026-11-20",
        "deciders": name,
        "review-by": "2027-05-20",
    }
    assert body.startswith("\n# ")
    assert "<" not in markdown.split("\n---\n", 1)[0]
    markdown.encode()  # a lone surrogate is escaped, so the file is valid UTF-8


# Any text, with the characters the database refuses (lone surrogates) only where the
# front matter escapes them.
ANY_TEXT = st.text(max_size=30)
FRONT_TEXT = st.text(alphabet=st.characters(exclude_categories=()), max_size=30)


def filled_document(text: str) -> dict:
    """The superseded golden document with `text` in every user text of the body."""
    document = superseded_document()
    rec = document["recommendation"]
    document["decision"]["title"] = document["decision"]["project"] = text
    rec["headline"] = rec["rules_version"] = text
    rec["next_steps"] = rec["trade_offs"] = [text]
    rec["would_change"] = [{"summary": text}]
    for answer in rec["answers"]:
        answer["prompt"] = answer["answer_label"] = answer["note"] = text
    for item in rec["rationale"]:
        item["question_title"] = item["answer_label"] = item["why"] = text
    for change in document["status_history"]:
        change["reason"] = text
    for link in document["links"].values():
        if link:
            link["title"] = text
    for outcome in document["outcomes"]:
        outcome["notes"] = outcome["shipped_on"] = text
        for metric in outcome["metrics"]:
            metric["name"] = metric["unit"] = text
    document["people"]["status_changes"] = [text, text]
    return document


@settings(max_examples=150)
@given(text=ANY_TEXT, status=FRONT_TEXT, deciders=FRONT_TEXT, review_by=FRONT_TEXT)
def test_any_text_keeps_its_value_in_the_front_matter_and_is_no_html_in_the_body(
    text, status, deciders, review_by
):
    document = filled_document(text)
    document["lifecycle"] = status
    document["people"]["completed_by"] = deciders
    document["review_by"] = review_by

    values, body = front_matter(decision_markdown(document))

    expected = {"status": status, "date": "2026-11-20", "deciders": deciders}
    assert values == {key: value for key, value in expected.items() if value} | (
        {"review-by": review_by} if review_by else {}
    )
    # The only "<" left are the links the export itself writes.
    links = [f"<{BASE}/decisions/{n}/>" for n in (9, 3, 7)]
    for link in links:
        body = body.replace(link, "")
    assert "<" not in body
    assert "](javascript" not in body


@pytest.mark.parametrize(
    ("approach", "rag", "fine_tuning", "expected"),
    [
        ("rag", "strong", "poor", True),
        ("rag", "partial", "strong", False),
        ("fine_tuning", "partial", "strong", True),
        ("fine_tuning", "strong", "partial", False),
        ("prompt_engineering", "strong", "poor", True),
        ("prompt_engineering", "strong", "partial", False),
        ("rag_plus_fine_tuning", "partial", "strong", True),
        ("rag_plus_fine_tuning", "partial", "partial", False),
    ],
)
def test_good_consequences_are_the_items_that_favour_the_choice(
    approach, rag, fine_tuning, expected
):
    assert favours({"rag": rag, "fine_tuning": fine_tuning}, approach) is expected


def test_a_combined_approach_is_listed_among_the_options():
    document = rag_document()
    document["recommendation"]["approach"] = "rag_plus_fine_tuning"

    options = decision_markdown(document).split("## Considered Options")[1].split("##")[0]

    assert options.split().count("*") == 4
    assert "* Retrieval plus fine-tuning" in options


# --- The JSON document from a real decision ---------------------------------------------------


@pytest.fixture
def rich(db):
    """A completed, accepted RAG decision that supersedes an older one and revisits it, with
    its history, an outcome with two metrics, and a review date."""
    older = completed_decision(title="Older call")
    project = older.project
    decision = completed_decision(project=project, title="Café bot: answers")
    answer = decision.answers.get(question="problem")
    answer.note = "Agents paste from the wiki"
    answer.save()
    decision.supersedes = older
    decision.revisit_of = older
    decision.lifecycle = Decision.Lifecycle.ACCEPTED
    decision.review_by = date(2027, 5, 20)
    decision.save()
    StatusChange.objects.create(
        decision=decision,
        from_status="proposed",
        to_status="accepted",
        actor=project.created_by,
        actor_name=project.created_by.username,
        reason="Pilot went well",
    )
    outcome = Outcome.objects.create(
        decision=decision,
        approach="rag",
        shipped_on=date(2026, 11, 1),
        notes="Live for all",
        created_by=project.created_by,
        author_name=project.created_by.username,
    )
    OutcomeMetric.objects.create(
        outcome=outcome, name="quality pass rate", value=Decimal("87"), unit="%"
    )
    OutcomeMetric.objects.create(
        outcome=outcome, name="p95 latency", value=Decimal("640.5"), unit="ms"
    )
    decision.refresh_from_db()
    return decision


def test_the_export_is_the_share_document_plus_its_metadata(rich):
    document = decision_export(rich, base_url=BASE)

    assert document["format"] == "advisor.decision"
    assert document["version"] == 2
    assert document["url"] == f"{BASE}/decisions/{rich.pk}/"
    assert document["decision"]["title"] == "Café bot: answers"
    assert document["recommendation"]["approach"] == "rag"
    assert document["lifecycle"] == "accepted"
    assert document["review_by"] == "2027-05-20"
    assert document["status_history"][0] | {"at": None} == {
        "from": "proposed",
        "to": "accepted",
        "at": None,
        "reason": "Pilot went well",
    }
    assert document["links"]["supersedes"] == {
        "title": "Older call",
        "url": f"{BASE}/decisions/{rich.supersedes_id}/",
    }
    assert document["links"]["superseded_by"] is None
    assert document["links"]["revisit_of"]["title"] == "Older call"
    assert document["outcomes"][0]["metrics"] == [
        {"name": "quality pass rate", "value": "87", "unit": "%"},
        {"name": "p95 latency", "value": "640.5", "unit": "ms"},
    ]
    assert [a["question"] for a in document["answers"]] == [
        "problem",
        "data_change",
        "latency",
        "cost",
        "labeled_data",
    ]
    assert document["answers"][0]["note"] == "Agents paste from the wiki"
    assert document["estimate_inputs"] is None
    json.dumps(document)  # plain JSON throughout


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("87.0000", "87"),
        ("100.0000", "100"),
        ("640.5000", "640.5"),
        ("-0.0000", "0"),
        ("0.0001", "0.0001"),
    ],
)
def test_metric_values_lose_the_columns_trailing_zeros(value, text):
    assert decimal_text(Decimal(value)) == text


def test_names_of_people_appear_only_under_people(rich):
    username = rich.project.created_by.username
    document = decision_export(rich, base_url=BASE)

    people = document.pop("people")

    assert people == {
        "completed_by": username,
        "status_changes": [username],
        "outcomes": [username],
    }
    assert username not in json.dumps(document)


def test_the_older_decision_names_the_one_that_superseded_it(rich):
    document = decision_export(rich.supersedes, base_url=BASE)

    assert document["links"]["superseded_by"] == {
        "title": "Café bot: answers",
        "url": f"{BASE}/decisions/{rich.pk}/",
    }


# --- Download views ----------------------------------------------------------------------------


def download_as_viewer(decision: Decision, name: str, content_type: str, filename: str):
    """The export as a viewer of the decision's team gets it, checked as a download."""
    viewer = member(decision.project.team, Role.VIEWER)

    response = client_for(viewer).get(reverse(f"advisor:{name}", args=[decision.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    return response


def test_a_viewer_downloads_the_markdown_with_an_ascii_filename(rich):
    response = download_as_viewer(
        rich, "decision_export_md", "text/markdown; charset=utf-8", "cafe-bot-answers.md"
    )

    text = response.content.decode()
    assert text.startswith('---\nstatus: "accepted"\n')
    assert "# Café bot: answers\n" in text
    assert (
        f"* Supersedes: [Older call](<http://testserver/decisions/{rich.supersedes_id}/>)" in text
    )
    assert "* quality pass rate: 87 %" in text


@pytest.mark.parametrize("name", ["decision_export_md", "decision_export_json"])
def test_an_export_takes_nine_queries_however_much_it_holds(rich, name, django_assert_num_queries):
    client = client_for(rich.created_by)
    url = reverse(f"advisor:{name}", args=[rich.pk])
    # Session, user, the decision with its snapshot and links, answers, status changes,
    # outcomes, their metrics, the decision that superseded it, the numbers.
    with django_assert_num_queries(9):
        client.get(url)
    more = Outcome.objects.create(
        decision=rich, approach="rag", shipped_on=date(2027, 1, 5), author_name="x"
    )
    OutcomeMetric.objects.create(outcome=more, name="cost", value=Decimal(3))
    StatusChange.objects.create(
        decision=rich, from_status="accepted", to_status="deprecated", actor_name="x"
    )

    with django_assert_num_queries(9):
        client.get(url)


def test_a_viewer_downloads_the_json(rich):
    response = download_as_viewer(
        rich, "decision_export_json", "application/json", "cafe-bot-answers.json"
    )

    document = json.loads(response.content)
    assert document["url"] == f"http://testserver/decisions/{rich.pk}/"
    assert document["people"]["completed_by"] == rich.project.created_by.username


@pytest.mark.parametrize("name", ["decision_export_md", "decision_export_json"])
def test_an_unfinished_decision_has_nothing_to_export(db, name):
    draft = DecisionFactory()

    response = client_for(draft.created_by).get(reverse(f"advisor:{name}", args=[draft.pk]))

    assert response.status_code == 404


@pytest.mark.parametrize("name", ["decision_export_md", "decision_export_json"])
def test_another_teams_decision_is_not_found(rich, name):
    outsider = member(ProjectFactory().team, Role.OWNER)

    response = client_for(outsider).get(reverse(f"advisor:{name}", args=[rich.pk]))

    assert response.status_code == 404
    assert b"Caf" not in response.content


def test_the_result_page_offers_the_downloads_to_a_viewer(rich):
    viewer = member(rich.project.team, Role.VIEWER)

    text = client_for(viewer).get(rich.get_absolute_url()).content.decode()

    assert f'href="/decisions/{rich.pk}/export.md"' in text
    assert f'href="/decisions/{rich.pk}/export.json"' in text
    assert 'id="print-page"' in text
    assert "use your browser's Print command" in text


def test_the_share_page_offers_no_downloads(rich):
    link = services.share_create(decision=rich, user=rich.created_by, expires_in_days=None)

    text = Client().get(link.get_absolute_url()).content.decode()

    assert "export.md" not in text
    assert "Download as" not in text


def test_every_page_links_the_print_stylesheet_for_print_only(rich):
    text = client_for(rich.created_by).get(rich.get_absolute_url()).content.decode()

    assert '<link rel="stylesheet" href="/static/css/print.css" media="print">' in text


# --- The project's CSV -------------------------------------------------------------------------


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_csv_has_one_row_per_decision_oldest_first(rich, django_assert_num_queries):
    DecisionFactory(project=rich.project, title="Still thinking")
    viewer = member(rich.project.team, Role.VIEWER)
    client = client_for(viewer)
    url = reverse("advisor:project_export_csv", args=[rich.project.pk])

    # Session, user, the project with the role, the rows.
    with django_assert_num_queries(4):
        response = client.get(url)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="project-')
    header, *rows = csv_rows(response)
    assert header == list(CSV_COLUMNS)
    assert len(header) == 13
    assert [row[0] for row in rows] == ["Older call", "Café bot: answers", "Still thinking"]
    row = rows[1]
    assert row[3] == rich.created_by.username
    assert row[4:9] == [
        "Complete",
        "Accepted",
        "Retrieval (RAG)",
        "2027-05-20",
        rich.recommendation.rules_version,
    ]
    assert row[9] == f"http://testserver/decisions/{rich.pk}/"
    assert row[10] == rich.recommendation.confidence["level"].capitalize()
    assert rows[2][10] == ""
    assert row[11:] == ["", ""]
    assert rows[2][2] == ""
    assert rows[2][4] == "In progress"
    assert rows[2][5:7] == ["", ""]


def test_the_csv_query_count_stays_flat(rich, django_assert_num_queries):
    for n in range(10):
        DecisionFactory(project=rich.project, title=f"Extra {n}")
    client = client_for(rich.created_by)

    with django_assert_num_queries(4):
        response = client.get(reverse("advisor:project_export_csv", args=[rich.project.pk]))

    assert len(csv_rows(response)) == 13


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1", "'+1"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTab", "'\tTab"),
        ("\rReturn", "'\rReturn"),
        ("|calc", "'|calc"),
        ("  =1+1", "'  =1+1"),
        (" +1", "' +1"),
        ("\u00a0-2", "'\u00a0-2"),
        ("\n@SUM(A1)", "'\n@SUM(A1)"),
        (" \t|x", "' \t|x"),
        ("\uff1d1+1", "'\uff1d1+1"),
        ("-", "'-"),
        ("Plain title", "Plain title"),
        ("  Indented title", "  Indented title"),
        ("a=b", "a=b"),
        ("'=already quoted", "'=already quoted"),
        ("", ""),
        (None, ""),
        # Counts the export computes itself are numbers, negative or not.
        (3, "3"),
        (-1, "-1"),
        # Text that looks like a negative number is still text someone typed.
        ("-1", "'-1"),
    ],
)
def test_cells_that_would_start_a_formula_get_a_quote(value, cell):
    assert csv_cell(value) == cell


@settings(max_examples=300)
@given(text=st.text(alphabet=st.characters(codec="utf-8"), max_size=20))
def test_no_text_reaches_a_csv_cell_as_a_formula(text):
    cell = csv_cell(text)

    assert cell in {text, f"'{text}"}
    assert not cell.startswith(("\t", "\r"))
    assert not cell.lstrip().startswith(FORMULA_SIGNS)


@settings(max_examples=100)
@given(
    padding=st.text(alphabet=" \t\r\n\u00a0\u3000", max_size=4),
    sign=st.sampled_from(FORMULA_SIGNS),
    rest=st.text(max_size=10),
)
def test_a_formula_sign_after_any_whitespace_gets_a_quote(padding, sign, rest):
    assert csv_cell(padding + sign + rest) == f"'{padding}{sign}{rest}"


def test_a_formula_in_a_title_reaches_the_csv_as_text(rich):
    DecisionFactory(project=rich.project, title="=cmd|' /C calc'!A0")

    rows = csv_rows(
        client_for(rich.created_by).get(
            reverse("advisor:project_export_csv", args=[rich.project.pk])
        )
    )

    assert rows[-1][0] == "'=cmd|' /C calc'!A0"


def test_the_project_page_links_the_csv_for_a_viewer_without_the_import(rich):
    viewer = member(rich.project.team, Role.VIEWER)

    text = client_for(viewer).get(rich.project.get_absolute_url()).content.decode()

    assert "Export history as CSV" in text
    assert f'href="/projects/{rich.project.pk}/export.csv"' in text
    assert "Import the decision" not in text


# --- Import ------------------------------------------------------------------------------------


def upload(document, name="decision.json") -> SimpleUploadedFile:
    body = document if isinstance(document, bytes) else json.dumps(document).encode()
    return SimpleUploadedFile(name, body, content_type="application/json")


@pytest.fixture
def target(rich):
    """A project of another team, to import into."""
    return ProjectFactory(name="New home")


def import_url(project) -> str:
    return reverse("advisor:decision_import", args=[project.pk])


def test_an_imported_name_with_markup_stays_a_string_in_the_markdown(rich, target):
    document = decision_export(rich, base_url=BASE)
    name = '"><script>alert(1)</script>\n---\nstatus: hacked'
    document["people"]["completed_by"] = name
    client = client_for(target.created_by)
    client.post(import_url(target), {"file": upload(document)})
    copy_ = Decision.objects.get(project=target)

    markdown = client.get(reverse("advisor:decision_export_md", args=[copy_.pk])).text

    values, _ = front_matter(markdown)
    assert values["deciders"] == name
    assert values["status"] == "accepted"
    assert "<script" not in markdown


def test_an_import_recreates_the_decision_complete_in_the_other_project(rich, target):
    document = decision_export(rich, base_url=BASE)
    client = client_for(target.created_by)

    response = client.post(import_url(target), {"file": upload(document)})

    copy_ = Decision.objects.get(project=target)
    assert response.status_code == 302
    assert response["Location"] == copy_.get_absolute_url()
    assert copy_.is_complete
    assert copy_.title == rich.title
    assert copy_.created_by == target.created_by
    assert copy_.lifecycle == "accepted"
    assert copy_.review_by == date(2027, 5, 20)
    assert copy_.supersedes is None
    assert copy_.revisit_of is None
    assert {(a.question, a.value, a.note) for a in copy_.answers.all()} == {
        (a.question, a.value, a.note) for a in rich.answers.all()
    }
    old, new = rich.recommendation, copy_.recommendation
    for field in (
        "approach",
        "headline",
        "rationale",
        "next_steps",
        "trade_offs",
        "would_change",
        "answers",
        "estimate",
        "rules_version",
        "created_at",
    ):
        assert getattr(new, field) == getattr(old, field), field
    change = copy_.status_changes.get()
    assert change.actor is None
    assert change.actor_name == rich.project.created_by.username
    assert change.reason == "Pilot went well"
    outcome = copy_.outcomes.get()
    assert outcome.created_by is None
    assert [(m.name, m.value, m.unit) for m in outcome.metrics.all()] == [
        ("quality pass rate", Decimal("87"), "%"),
        ("p95 latency", Decimal("640.5"), "ms"),
    ]
    event = AuditEvent.objects.get(action=AuditEvent.Action.DECISION_IMPORTED)
    assert event.project == target
    assert event.decision == copy_
    assert f"supersedes “Older call” ({BASE}/decisions/{rich.supersedes_id}/)" in event.summary
    assert "revisits “Older call”" in event.summary


def test_an_import_with_htmx_goes_to_the_new_decision(rich, target):
    client = client_for(target.created_by)

    response = client.post(
        import_url(target), {"file": upload(decision_export(rich, base_url=BASE))}, headers=HX
    )

    assert response.status_code == 200
    assert response["HX-Redirect"] == Decision.objects.get(project=target).get_absolute_url()


def volatile(document: dict) -> dict:
    """The document without what may differ between two exports of one decision's copies."""
    document = copy.deepcopy(document)
    for key in ("exported_at", "url", "links"):
        document.pop(key)
    document["decision"].pop("project")
    return document


def test_round_trip_export_import_export_keeps_everything_but_ids_project_and_urls(rich, target):
    first = decision_export(rich, base_url=BASE)
    copy_ = services.decision_import(project=target, user=target.created_by, document=first)

    second = decision_export(Decision.objects.get(pk=copy_.pk), base_url=BASE)

    assert volatile(second) == volatile(first)
    assert second["decision"]["project"] == "New home"
    assert second["links"] == {"supersedes": None, "superseded_by": None, "revisit_of": None}


def test_round_trip_keeps_the_numbers_inputs(db, target):
    from advisor.models import Estimate, ModelPrice

    decision = completed_decision(title="With numbers")
    price = ModelPrice.objects.first()
    Estimate.objects.create(
        decision=decision,
        price=price,
        inputs={"monthly_queries": 50000},
        rerank=True,
        latency_target_ms=1500,
    )
    first = decision_export(decision, base_url=BASE)

    copy_ = services.decision_import(project=target, user=target.created_by, document=first)

    second = decision_export(copy_, base_url=BASE)
    assert (
        second["estimate_inputs"]
        == first["estimate_inputs"]
        == {
            "price_model": price.model,
            "inputs": {"monthly_queries": 50000},
            "rerank": True,
            "latency_target_ms": 1500,
        }
    )


def broken(change) -> dict:
    document = decision_export_document()
    change(document)
    return document


def decision_export_document() -> dict:
    return copy.deepcopy(rag_document())


def set_answer_value(document):
    document["answers"][0]["value"] = "telepathy"


def drop_answer(document):
    document["answers"].pop()


def drop_headline(document):
    del document["recommendation"]["headline"]


def bad_approach(document):
    document["recommendation"]["approach"] = "magic"


def bad_lifecycle(document):
    document["lifecycle"] = "archived"


def naive_time(document):
    document["started_at"] = "2026-11-19T08:00:00"


def bad_metric(document):
    document["outcomes"] = [
        {
            "approach": "rag",
            "shipped_on": "2026-11-01",
            "notes": "",
            "recorded_at": "2026-11-01T10:00:00+00:00",
            "metrics": [{"name": "x", "value": "lots", "unit": ""}],
        }
    ]


def bad_estimate(document):
    document["recommendation"]["estimate"] = {"version": "x"}


def text_as_list(document):
    document["recommendation"]["next_steps"] = "Do it"


def snapshot_answers_differ(document):
    document["answers"][3]["value"] = "scaling"


def infinite_figure(document):
    # json.dumps writes it as Infinity, which Python reads back and no database stores.
    document["estimate_inputs"] = {
        "price_model": None,
        "inputs": {"monthly_queries": float("inf")},
        "rerank": False,
        "latency_target_ms": None,
    }


def superseded_without_history(document):
    document["lifecycle"] = "superseded"
    document["review_by"] = None


def back_to_proposed(document):
    document["status_history"].append(
        {"from": "accepted", "to": "proposed", "at": "2026-11-21T09:00:00+00:00", "reason": ""}
    )


def shipped_in_future(document):
    bad_metric(document)
    document["outcomes"][0]["shipped_on"] = "2999-01-01"
    document["outcomes"][0]["metrics"] = []


def completed_before_started(document):
    document["started_at"] = "2026-11-21T08:00:00+00:00"


def review_date_when_proposed(document):
    document["lifecycle"] = "proposed"
    document["status_history"] = []


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"title": "Some other JSON"}, "This is not a decision exported from Advisor."),
        ({**rag_document(), "format": "madr"}, "This is not a decision exported from Advisor."),
        ({**rag_document(), "version": 4}, "this Advisor reads version 3"),
        (broken(set_answer_value), "“telepathy” is not an answer to “Knowledge or behaviour”"),
        (broken(drop_answer), "The answers must cover the five questions once each"),
        (
            broken(drop_headline),
            "missing or malformed: the recommendation (no “headline”)",
        ),
        (broken(bad_approach), "“magic” is not an approach Advisor knows."),
        (broken(bad_lifecycle), "“archived” is not a status Advisor knows."),
        (broken(naive_time), "missing or malformed: the decision."),
        (broken(bad_metric), "missing or malformed: the outcomes."),
        (broken(bad_estimate), "missing or malformed: the recommendation (no “inputs”)"),
        (broken(text_as_list), "missing or malformed: the recommendation."),
        (broken(snapshot_answers_differ), "computed from other answers than the file lists"),
        (b"not json at all", "That file is not JSON"),
        (b"\xff\xfe", "That file is not JSON"),
        (b"[1, 2]", "This is not a decision exported from Advisor."),
        (b" " * (256 * 1024 + 1), "larger than 256 KB"),
        (broken(infinite_figure), "That file is not JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "That file is not JSON"),
        (broken(superseded_without_history), "ends at “accepted”, not at “superseded”"),
        (broken(back_to_proposed), "cannot go from “accepted” to “proposed”"),
        (broken(shipped_in_future), "That date is still to come"),
        (broken(completed_before_started), "completed after it was started"),
        (broken(review_date_when_proposed), "Only an accepted decision has a review date."),
    ],
    ids=[
        "other-json",
        "other-format",
        "wrong-version",
        "unknown-answer",
        "missing-answer",
        "missing-field",
        "unknown-approach",
        "unknown-status",
        "naive-time",
        "bad-metric",
        "bad-estimate",
        "text-for-list",
        "answers-differ",
        "not-json",
        "not-utf8",
        "a-list",
        "too-large",
        "infinity",
        "deep-nesting",
        "impossible-status",
        "impossible-history",
        "future-outcome",
        "completed-before-started",
        "review-date-when-proposed",
    ],
)
def test_a_file_that_cannot_be_imported_is_refused_next_to_the_field(db, document, message):
    project = ProjectFactory()
    client = client_for(project.created_by)
    before = (Decision.objects.count(), Recommendation.objects.count(), AuditEvent.objects.count())

    response = client.post(import_url(project), {"file": upload(document)})

    assert response.status_code == 400
    text = response.content.decode()
    assert "<html" in text
    assert message in text
    assert 'id="error_1_id_file"' in text or "invalid-feedback" in text
    assert (
        Decision.objects.count(),
        Recommendation.objects.count(),
        AuditEvent.objects.count(),
    ) == before


def test_the_golden_document_itself_imports(db):
    project = ProjectFactory()

    decision = services.decision_import(
        project=project, user=project.created_by, document=rag_document()
    )

    assert decision.recommendation.rules_version == "2026.11.3"
    assert decision.status_changes.get().actor_name == "sam"


def test_a_refused_import_under_htmx_returns_the_form_alone(db):
    project = ProjectFactory()
    client = client_for(project.created_by)

    response = client.post(import_url(project), {"file": upload(broken(bad_lifecycle))}, headers=HX)

    text = response.content.decode()
    assert response.status_code == 400
    assert "<html" not in text
    assert text.lstrip().startswith('<div id="import">')
    assert "“archived” is not a status Advisor knows." in text


def test_an_import_without_a_file_says_to_choose_one(db):
    project = ProjectFactory()

    response = client_for(project.created_by).post(import_url(project), {})

    assert response.status_code == 400
    assert "Choose the JSON file to import." in response.content.decode()


def test_a_viewer_cannot_import(rich):
    viewer = member(rich.project.team, Role.VIEWER)
    before = Decision.objects.count()

    response = client_for(viewer).post(
        import_url(rich.project), {"file": upload(decision_export(rich, base_url=BASE))}
    )

    assert response.status_code == 403
    assert Decision.objects.count() == before


def test_another_teams_project_is_not_found_for_import(rich):
    outsider = member(ProjectFactory().team, Role.OWNER)

    response = client_for(outsider).post(
        import_url(rich.project), {"file": upload(decision_export(rich, base_url=BASE))}
    )

    assert response.status_code == 404


def test_the_project_page_shows_the_import_form_to_an_editor(rich):
    editor = member(rich.project.team, Role.EDITOR)

    text = client_for(editor).get(rich.project.get_absolute_url()).content.decode()

    assert 'enctype="multipart/form-data"' in text
    assert "Exported decision (JSON)" in text
    assert "Import the decision" in text


# --- Outcomes measured against the pilot ---------------------------------------------------


@pytest.fixture
def piloted(db):
    """A completed RAG decision with an outcome whose recall figure measures its pilot."""
    decision = completed_decision(title="Piloted")
    services.outcome_record(
        decision=decision,
        user=decision.created_by,
        approach="rag",
        shipped_on=date(2026, 11, 1),
        metrics=[
            ("Recall@5", Decimal("86"), "%", "recall_at_5"),
            ("Groundedness", Decimal("90"), "%", "groundedness"),
            ("Tickets closed", Decimal("12"), "%"),
        ],
    )
    return decision


def test_a_pilot_figure_is_exported_with_its_key_and_round_trips(piloted, target):
    document = decision_export(piloted, base_url=BASE)

    metrics = document["outcomes"][0]["metrics"]
    assert [metric.get("pilot") for metric in metrics] == ["recall_at_5", "groundedness", None]
    copy_ = services.decision_import(project=target, user=target.created_by, document=document)
    stored = copy_.outcomes.get().metrics.all()
    assert [m.pilot_key for m in stored] == ["recall_at_5", "groundedness", ""]


def test_the_markdown_says_which_pilot_targets_were_met(piloted):
    text = decision_markdown(decision_export(piloted, base_url=BASE))

    assert "  * Recall@5: 86 % (met the pilot's target, at least 80 %)" in text
    assert "  * Groundedness: 90 % (missed the pilot's target, at least 95 %)" in text
    assert "  * Tickets closed: 12 %\n" in text


def test_an_import_whose_figure_names_a_pilot_metric_the_snapshot_lacks_is_refused(piloted):
    document = decision_export(piloted, base_url=BASE)
    document["outcomes"][0]["metrics"][0]["pilot"] = "made_up"
    project = ProjectFactory()

    response = client_for(project.created_by).post(import_url(project), {"file": upload(document)})

    assert response.status_code == 400
    assert "names a pilot metric the recommendation does not have" in response.content.decode()
    assert not Decision.objects.filter(project=project).exists()


# --- A decision a team answered --------------------------------------------------------------


@pytest.fixture
def team(db):
    """A RAG decision the owner, beatrix-q and calloway-q answered: they split on two questions,
    which the owner settled with notes."""
    return team_decision(
        title="Team call",
        names=["beatrix-q", "calloway-q"],
        notes=[{}, {"problem": "It *ignores* our tone"}],
    )


def team_names(decision: Decision) -> dict:
    owner = decision.created_by.username
    return {
        "asked_by": owner,
        # In the snapshot's order of people, by username.
        "people": ["beatrix-q", "calloway-q", owner],
        "settled_by": dict.fromkeys(
            ["problem", "data_change", "latency", "cost", "labeled_data"], owner
        ),
    }


def test_a_team_decision_is_exported_as_version_3_with_names_only_under_people(team):
    document = decision_export(team, base_url=BASE)

    people = document.pop("people")

    assert document["version"] == 3 == EXPORT_VERSION
    assert people["team_answers"] == team_names(team)
    answers = document["recommendation"]["team_answers"]
    assert [person["approach"] for person in answers["people"]] == [
        "prompt_engineering",
        "rag",
        "rag",
    ]
    problem = answers["questions"][0]
    assert problem["settled"] == {
        "answer": "knowledge",
        "answer_label": "It lacks information",
        "note": "Docs first",
    }
    assert problem["answers"][0]["note"] == "It *ignores* our tone"
    text = json.dumps(document)
    for name in (*people["team_answers"]["people"], "asked_by", "settled_by", '"name"'):
        assert name not in text


def test_the_share_document_of_a_team_decision_holds_no_names(team):
    text = json.dumps(decision_document(team))

    assert "team_answers" in text
    for name in ("beatrix-q", "calloway-q", f'"{team.created_by.username}"', "settled_by"):
        assert name not in text


def test_a_decision_one_person_answered_stays_at_version_2_without_team_names(rich):
    document = decision_export(rich, base_url=BASE)

    assert document["version"] == 2
    assert "team_answers" not in document["recommendation"]
    assert "team_answers" not in document["people"]


def team_section(html: str) -> str:
    start = html.index('id="team-answers-heading"')
    return html[start : html.index("</section>", start)]


def test_round_trip_of_a_team_decision_keeps_its_answers_names_and_page(team, target):
    first = decision_export(team, base_url=BASE)

    imported = services.decision_import(project=target, user=target.created_by, document=first)

    copy_ = Decision.objects.get(pk=imported.pk)
    assert copy_.recommendation.team_answers == team.recommendation.team_answers
    assert volatile(decision_export(copy_, base_url=BASE)) == volatile(first)
    before = client_for(team.created_by).get(team.get_absolute_url()).content.decode()
    after = client_for(target.created_by).get(copy_.get_absolute_url()).content.decode()
    assert team_section(after) == team_section(before)
    assert "beatrix-q" in team_section(after)


def test_a_team_decision_imported_without_names_shows_people_by_number(team, target):
    document = decision_export(team, base_url=BASE)
    del document["people"]

    copy_ = services.decision_import(project=target, user=target.created_by, document=document)

    saved = copy_.recommendation.team_answers
    assert saved["asked_by"] == "unknown (imported)"
    assert [person["name"] for person in saved["people"]] == ["Person 1", "Person 2", "Person 3"]
    assert saved["questions"][0]["settled"]["settled_by"] == "unknown (imported)"
    page = client_for(target.created_by).get(copy_.get_absolute_url()).content.decode()
    assert "Person 2" in team_section(page)


def one_answer_short(document):
    document["recommendation"]["team_answers"]["questions"][1]["answers"].pop()


def unknown_leading_approach(document):
    document["recommendation"]["team_answers"]["leading_approach"] = "magic"


def no_questions(document):
    del document["recommendation"]["team_answers"]["questions"]


def count_as_text(document):
    document["recommendation"]["team_answers"]["contested"] = "2"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (one_answer_short, "answers must list one answer (or null) per person"),
        (unknown_leading_approach, "“magic” is not an approach Advisor knows."),
        (no_questions, "missing or malformed: the recommendation (no “questions”)"),
        (count_as_text, "missing or malformed: the recommendation."),
    ],
    ids=["answer-missing", "unknown-approach", "no-questions", "count-as-text"],
)
def test_a_file_whose_team_answers_are_malformed_is_refused(team, change, message):
    document = decision_export(team, base_url=BASE)
    change(document)
    project = ProjectFactory()
    before = (Decision.objects.count(), Recommendation.objects.count(), AuditEvent.objects.count())

    response = client_for(project.created_by).post(import_url(project), {"file": upload(document)})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert (
        Decision.objects.count(),
        Recommendation.objects.count(),
        AuditEvent.objects.count(),
    ) == before


def test_names_in_a_team_file_that_are_not_text_are_ignored(team, target):
    document = decision_export(team, base_url=BASE)
    document["people"]["team_answers"] = {"asked_by": 3, "people": "x", "settled_by": [1]}

    copy_ = services.decision_import(project=target, user=target.created_by, document=document)

    assert copy_.recommendation.team_answers["people"][0]["name"] == "Person 1"


def test_the_markdown_tells_how_the_team_answered_with_names_escaped(team):
    owner = team.created_by.username

    text = decision_markdown(decision_export(team, base_url=BASE))

    assert (
        "## How the Team Answered\n\n"
        f"3 people were asked for their own answers by {owner}; the answers above are the "
        "ones settled from theirs.\n\n"
        "* beatrix-q, whose answers lead to Prompt engineering\n"
        "* calloway-q, whose answers lead to Retrieval (RAG)\n"
        f"* {owner}, whose answers lead to Retrieval (RAG)\n"
    ) in text
    assert (
        "* Knowledge or behaviour (split: It lacks information (2), It behaves the wrong way (1))\n"
        "  * beatrix-q: It behaves the wrong way\n\n"
        "    It \\*ignores\\* our tone\n"
        "  * calloway-q: It lacks information\n"
        f"  * {owner}: It lacks information\n"
        "  * Changes the recommendation: “It behaves the wrong way” would make it Prompt "
        "engineering.\n"
        f"  * Settled: **It lacks information**, by {owner}\n\n"
        "    Docs first\n"
    ) in text
    assert "* Latency tolerance (all 3 agree)\n" in text


def test_the_markdown_numbers_the_people_of_a_file_without_names(team):
    document = decision_export(team, base_url=BASE)
    del document["people"]

    text = decision_markdown(document)

    assert "3 people were asked for their own answers; the answers" in text
    assert "  * Person 1: It behaves the wrong way\n" in text
    assert "  * Settled: **It lacks information**\n" in text


def test_a_decision_one_person_answered_has_no_team_section(rich):
    assert "How the Team Answered" not in decision_markdown(decision_export(rich, base_url=BASE))


def test_the_csv_counts_the_people_who_answered_and_their_disagreements(team):
    DecisionFactory(project=team.project, title="Still thinking")
    # Only two of the three people submit: the third is counted out.
    quiet = team_decision(TEAM_ANSWERS[:2], project=team.project, title="Two answered")

    rows = csv_rows(
        client_for(team.created_by).get(
            reverse("advisor:project_export_csv", args=[team.project.pk])
        )
    )

    assert [row[0] for row in rows[1:]] == ["Team call", "Still thinking", quiet.title]
    assert rows[1][11:] == ["3", "2"]
    assert rows[2][11:] == ["", ""]
    assert rows[3][11:] == ["2", "1"]
