"""docs/performance.md and the table `make bench` prints, from the results of one run.

Pure functions of the results dicts (no Django, no bench dependencies), so the arithmetic is
testable on its own and the page can be rebuilt from bench/results/*.json alone.
"""

from __future__ import annotations

from statistics import median

# Issue 18's goals, as ratios measured in the same run.
STEP_TO_PEER = 1.5
RESULT_TO_BARE = 0.12
PROJECT_TO_BARE = 0.09
SHARE_TO_BARE = 0.35
# Measured and reported with no goal yet (issue 18), in this order when present.
ALSO_MEASURED = (
    "round_3",
    "round_30",
    "estimate_preview",
    "api_evaluate",
    "search_10000",
    "dashboard_10000",
)
BUSY_LOAD = 0.5  # a one-minute load average above this at the start means others were working


RUNNING = """## Running it

`make bench` (about 9 minutes) installs the `bench` dependency group and
wrk when missing; the run itself installs Lighthouse and Chromium when missing
(`scripts/ensure-lighthouse`, `scripts/ensure-chromium`). It drops and recreates the
PostgreSQL database `advisor_bench`, deletes the Redis keys under `advisor-bench:`, and
rewrites this page and `bench/results/*.json` (`profile_step_post.txt` is the full
pyinstrument tree; logs, the worker's emails, Lighthouse's reports and locust's records are
left in `bench/results/tmp/`). `BENCH_DATABASE` and `BENCH_REDIS_PREFIX` name another
database and prefix, so two checkouts on one machine can run it without touching each other's
data (each then measures under the other's load). For a quick check of the harness itself:
`uv run --group bench python -m bench.run --duration 3 --warmup 1 --load-time 15` (about 5
minutes). To compare two versions of the code,
`uv run --group bench python -m bench.run --wrk-only` prints the ratio table alone (about 4
minutes) and rewrites nothing here. The peer, the bare view and the file mailer exist only in
`bench/settings.py` and `bench/urls.py`, which gunicorn and the worker load during the run;
production settings never include them."""


def ratio(value: float, base: float) -> float:
    """value / base, or 0.0 when there is no base to divide by."""
    return value / base if base else 0.0


def by_name(measured: list[dict]) -> dict[str, dict]:
    return {row["name"]: row for row in measured}


def ratio_rows(measured: list[dict]) -> list[dict]:
    """Each endpoint with its throughput as a ratio to the bare view's: the median of the
    ratios of its rounds, each to the bare run just before it."""
    return [row | {"ratio": median(row["round_ratios"])} for row in measured]


def ratio_table(measured: list[dict]) -> str:
    lines = [
        "| endpoint | req/s | bare req/s alongside | ratio to bare | p50 ms | p95 ms "
        "| p99 ms | errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in ratio_rows(measured):
        errors = row["non_2xx_3xx"] + row["socket_errors"]
        lines.append(
            f"| {row['label']} | {row['rps']:,.0f} | {row['bare_rps']:,.0f} | {row['ratio']:.2f}x "
            f"| {row['p50_ms']:.1f} "
            f"| {row['p95_ms']:.1f} | {row['p99_ms']:.1f} | {errors} |"
        )
    return "\n".join(lines)


def _queries_of(pages: list[dict], page: str) -> int | None:
    return next((row.get("queries") for row in pages if row["page"] == page), None)


def goals(results: dict) -> list[dict]:
    """The issue's goals with what this run measured and whether each is met."""
    rows = by_name(ratio_rows(results["wrk"]))
    step, peer = rows["step_post"], rows["peer_step_post"]
    pages = results["queries"]["pages"]
    small = _queries_of(pages, "advisor:project_detail (10 decisions)")
    large = _queries_of(pages, "advisor:project_detail (10,000 decisions)")
    to_peer = ratio(step["ratio"], peer["ratio"])
    found = [
        (
            f"wizard step POST >= {STEP_TO_PEER:g}x the formtools peer",
            f"{to_peer:.1f}x",
            to_peer >= STEP_TO_PEER,
        )
    ]
    for name, least in (
        ("result_get", RESULT_TO_BARE),
        ("project_10", PROJECT_TO_BARE),
        ("project_10000", PROJECT_TO_BARE),
    ):
        row = rows[name]
        found.append(
            (f"{row['label']} >= {least}x bare", f"{row['ratio']:.2f}x", row["ratio"] >= least)
        )
    share = rows["share_get"]
    found += [
        (
            "project page: same query count at 10 and 10,000 decisions",
            f"{small} and {large}",
            small is not None and small == large,
        ),
        (
            f"{share['label']} >= {SHARE_TO_BARE}x bare",
            f"{share['ratio']:.2f}x",
            share["ratio"] >= SHARE_TO_BARE,
        ),
    ]
    for name, run in results["load"].items():
        check = run["check"]
        lost = sum(check["lost"].values())
        broken = sum(check["broken"].values())
        found.append(
            (f"load ({name}): nothing lost, nothing half-written, no 5xx",
             f"{lost} lost, {broken} broken", check["passed"])
        )  # fmt: skip
    return [{"goal": goal, "measured": value, "met": met} for goal, value, met in found]


def load_lines(loads: dict) -> str:
    lines = []
    for name, run in loads.items():
        check, traffic = run["check"], run["locust"]
        lines.append(
            f"load {name}: {traffic['requests']} requests, {traffic['server_errors']} 5xx, "
            f"acknowledged {check['acknowledged']}, lost {check['lost']}, "
            f"{'PASSED' if check['passed'] else 'FAILED'}"
        )
    return "\n".join(lines)


def render(results: dict) -> str:
    sections = [
        _intro(results["machine"]),
        _machine(results["machine"]),
        _throughput(results["wrk"]),
        _goals(results),
        _also_measured(results),
        _queries(results["queries"]),
        _profile(results["profile"]),
        _page_profiles(results["page_profiles"]),
        _load(results["load"]),
        RUNNING,
    ]
    return "\n\n".join(sections) + "\n"


def _intro(machine: dict) -> str:
    busy = machine["load_before"][0] > BUSY_LOAD or machine["load_after"][0] > BUSY_LOAD
    noise = (
        f"The machine was shared and busy during this run (one-minute load average "
        f"{machine['load_before'][0]:.1f} at the start, {machine['load_after'][0]:.1f} at the "
        "end, on 2 cores): absolute figures are noisy and low; read the ratios, each taken "
        "from runs seconds apart against the same server."
        if busy
        else "The machine was otherwise idle at the start and end of the run."
    )
    return (
        "# Performance\n\n"
        f"Written by `make bench` (bench/run.py) on {machine['date']} at commit "
        f"`{machine['commit']}`, in {machine['seconds'] // 60} min {machine['seconds'] % 60} s. "
        "Every figure below comes from that one run; the raw results are in `bench/results/`. "
        f"{noise} Page weights and Lighthouse scores, checked by the test suite, are in "
        "`page-budgets.md`."
    )


def _machine(machine: dict) -> str:
    rows = [
        ("CPU", f"{machine['nproc']} cores (`nproc`), {machine['cpu']}"),
        ("RAM", f"{machine['ram_gib']} GiB"),
        ("OS", machine["os"]),
        ("Python", machine["python"]),
        ("Django", machine["django"]),
        ("PostgreSQL", machine["postgresql"]),
        ("Redis", machine["redis"]),
        ("gunicorn", machine["gunicorn"]),
        ("wrk", machine["wrk"]),
        ("locust", machine["locust"]),
    ]
    table = "\n".join(f"| {name} | {value} |" for name, value in rows)
    return f"## Machine and versions\n\n| | |\n|---|---|\n{table}"


def _throughput(measured: list[dict]) -> str:
    bare, other = measured[0], measured[1]
    step = by_name(measured)["step_post"]
    return (
        "## Throughput and latency\n\n"
        f"gunicorn with 2 sync workers (`-w 2`) and production settings (`DJANGO_DEBUG=0`, "
        "PostgreSQL with persistent connections, the cache in Redis, JSON request logs to a "
        f"file), wrk on the same machine with `-t{bare['threads']} -c{bare['connections']}`. "
        f'The bare view (`HttpResponse("ok")` behind the same middleware) runs for '
        f"{bare['duration_s']} s; every other endpoint, after a warm-up, runs in "
        f"{other['rounds']} rounds of {other['duration_s'] // other['rounds']} s, each right "
        f"after {other['control_seconds']} s of the bare view, which starts once the server "
        "has answered the requests the run before left queued (wrk stops without waiting for "
        "them; after a slow page that is up to a second of work, which would slow the bare run "
        "and flatter the page). Its ratio is the median of the "
        "rounds' ratios to those bare runs (others' load on a shared machine changes within "
        "seconds, and adjacent runs share it); req/s is over all rounds, and the percentiles "
        "are the median of the rounds'.\n\n"
        f"{ratio_table(measured)}\n\n"
        "- **Wizard step POST**: logged in, `HX-Request: true` and `X-CSRFToken`, the answer "
        "saved through `answer_submit`, the next question returned as the `wizard` fragment. "
        "The requests cycle over 50 decisions and steps 1 to 4 with a changing value, so each "
        f"one writes; {step.get('answer_rows_rewritten', 0)} of the "
        "200 answer rows involved were rewritten during the measurement.\n"
        "- **formtools peer** (`bench/peers/`): the same questions as a `SessionWizardView`, "
        "each step a Django form rendered by crispy-bootstrap5 into a whole page, state in the "
        "database session; the same login, headers and steps 1 to 4.\n"
        "- **Share page**: public, no cookie. Each view is one pipelined round trip to Redis "
        "for the per-IP limit's counter and the rendered page (the limit is raised for the "
        "run so wrk is not answered 429), then one `UPDATE` of the link's row (it counts the "
        "view and, by its row count, says the link is live, before the page is shown).\n"
        "- **Result page**: logged in as the team's owner, a completed decision: the "
        "recommendation (its snapshot's part rendered once, then read from the cache), the "
        "status panel with its forms, revisits, outcomes, comments and share links.\n"
        "- **Project page**: logged in, the first page of the history (20 rows) and the "
        "activity, for a project of 10 and one of 10,000 decisions."
    )


def _goals(results: dict) -> str:
    lines = ["| goal (issue 18) | measured | met |", "|---|---:|---|"]
    for goal in goals(results):
        lines.append(f"| {goal['goal']} | {goal['measured']} | {'yes' if goal['met'] else 'NO'} |")
    return (
        "## Goals\n\n"
        + "\n".join(lines)
        + "\n\nWhere a throughput goal is missed, the profiles below show where the time "
        "goes: a step POST's, then the result and project pages'. The bare view makes no "
        "round trip to anything. A logged-in step POST makes one to Redis (the session and its "
        "user together) and, in the queries table's last row, its statements to PostgreSQL, "
        "all in one transaction: the decision with the user's role and its row lock in one "
        "statement (the access check and the lock against two tabs), its answers, the answer "
        "and the progress, with BEGIN and COMMIT. Each costs a network round trip and the ORM "
        "building its SQL; together they are most of the profile's database share. Fewer "
        "would mean giving up a guarantee (the progress kept on the decision, which the "
        "project pages read, or the lock) or leaving the ORM for SQL written per database. "
        "The result and project pages spend most of their time in the ORM (building, running "
        "and reading their queries) and in the template engine (the last profile's table), "
        "drawing what changes from one request to the next: the status panel and its forms, "
        "outcomes, comments and share links; the history's rows with their dates and links. "
        "What never changes is already rendered once (the snapshot's part of the result "
        "page, read from the cache), the widgets are written without the engine, and the "
        "share page is down to one statement and one Redis round trip. Going further means "
        "caching those live parts too, each then to be dropped by every write that changes "
        "it (a comment, an outcome, a share link, a status, a revisit, a review date, a new "
        "decision in the project, a member's name or role), where now every request reads "
        "them from the database; issue 18 keeps them per request, and so does the code."
    )


def also_measured(results: dict) -> list[dict]:
    """Issue 18's figures with no goal yet: the endpoints' ratios, the worker's delay to send
    an email, and Lighthouse's mobile run of the result page."""
    rows = by_name(ratio_rows(results["wrk"]))
    found = [
        {
            "what": rows[name]["label"],
            "measured": f"{rows[name]['ratio']:.2f}x bare",
            "detail": f"p50 {rows[name]['p50_ms']:.0f} ms, p95 {rows[name]['p95_ms']:.0f} ms",
        }
        for name in ALSO_MEASURED
        if name in rows
    ]
    mail, audit = results["emails"], results["lighthouse"]
    found += [
        {
            "what": "worker: from enqueue to sent email",
            "measured": f"median {mail['median_ms']:.0f} ms, p95 {mail['p95_ms']:.0f} ms",
            "detail": f"{mail['emails']} emails, the slowest {mail['max_ms']:.0f} ms",
        },
        {
            "what": f"Lighthouse, mobile: {audit['page']}",
            "measured": f"LCP {audit['lcp_ms']:,.0f} ms, performance {audit['performance']:.2f}",
            "detail": "each run: "
            + ", ".join(
                f"{run['lcp_ms']:,.0f} ms ({run['performance']:.2f})" for run in audit["runs"]
            ),
        },
    ]
    return found


def _also_measured(results: dict) -> str:
    lines = ["| what | measured | |", "|---|---:|---|"]
    lines += [
        f"| {row['what']} | {row['measured']} | {row['detail']} |" for row in also_measured(results)
    ]
    mail, audit = results["emails"], results["lighthouse"]
    gap = mail["gap_s"]
    return (
        "## Also measured (no goal yet)\n\n"
        "Issue 18 asks for these to be measured and reported before any goal is set. The "
        "endpoints are timed by wrk as those above, each a ratio to the bare view in the same "
        "rounds.\n\n" + "\n".join(lines) + "\n\n"
        "- **Team answers page**: logged in as the owner, the page of a decision whose team "
        "was asked (`round_ask`) and answered each on their own: everyone's answers side by "
        "side with their notes, the agreement per question and the settling forms. Each person "
        "answered the five questions differently but for one, submitted, and the owner "
        "closed the answers, which settled that one; the page shows 3 people, then 30.\n"
        "- **Numbers step preview**: the htmx POST the numbers step makes as a figure is "
        "typed, logged in as the owner of a decision with its five answers: every field as the "
        "page rendered it (the defaults that follow from the answers and the default price "
        "row), the queries a month typed, no submit button; the answer is the preview "
        "fragment with the cost, latency and time-to-ship report.\n"
        "- **API evaluate**: `POST /api/v1/evaluate`, public (no cookie, no token), a JSON "
        "body with the five answers and an estimate: the default price row by name, the "
        "queries a month, a latency target, no reranking, pgvector; its per-IP limit is "
        "raised for the run, like the share page's.\n"
        "- **Search**: logged in as the owner, `?q=decision`, a word in every title of the "
        "10,000-decision project (and the other projects' decisions): full-text search over "
        "all the owner's teams, the first page of 20 and the count of all.\n"
        "- **Team dashboard**: logged in as the owner, the dashboard of the team that holds the "
        "10,000-decision project, for the default period.\n"
        f"- **Worker**: `{mail['worker']}`, as docs/deploy.md runs it (polling the task table "
        "every second when idle), with the production settings but for the mailer: "
        f"`{mail['backend']}` writes each email to a file in `bench/results/tmp/emails/`. "
        f"{mail['emails']} invites with an email address, made through `invite_create` one at "
        f"a time, {gap[0]:g} to {gap[1]:g} s apart at random, after the worker had sent what "
        "the seed left queued. Each delay runs from the task's `enqueued_at` (as the invite's "
        "transaction commits) to the outbox row's `sent_at` (written once the mail backend has "
        "written the message). The median wait for the worker to take the task up was "
        f"{mail['median_wait_ms']:.0f} ms: nearly all of the delay is the polling.\n"
        f"- **Lighthouse** {audit['lighthouse']}, the default mobile form factor (slow 4G and "
        "a CPU slowed down 4x, simulated), performance only, against gunicorn with production "
        "settings and the static files as collected, logged in as the owner (the session "
        f"cookie in `--extra-headers`): the median of {len(audit['runs'])} runs, each in a "
        "Chromium of its own. The test suite's budgets (`page-budgets.md`) use the desktop "
        "preset, since the mobile score moves with others' load on these machines."
    )


def _queries(queries: dict) -> str:
    lines = ["| page | URL | status | queries |", "|---|---|---:|---:|"]
    for row in queries["pages"]:
        if "skipped" in row:
            lines.append(f"| {row['page']} | `{row['url']}` | not measured: {row['skipped']} | |")
        else:
            lines.append(f"| {row['page']} | `{row['url']}` | {row['status']} | {row['queries']} |")
    post_only = ", ".join(queries["post_only"]) or "none"
    slowest = queries["slowest"]
    text = (
        "## SQL queries per page\n\n"
        "Every GET page of the app, found by walking the URLconf, fetched in-process with "
        "Django's test client as the bench owner (a team owner) against the seeded bench "
        "database; the count is of the second request, with caches warm. Decision URLs are "
        "fetched for a decision in progress and for a completed one.\n\n"
        + "\n".join(lines)
        + f"\n\nPOST-only URLs (405 to a GET, not pages): {post_only}."
    )
    if slowest:
        text += (
            f"\n\n### The slowest query\n\n{slowest['ms']:.0f} ms (Django's query log times to "
            f"the millisecond), on {slowest['page']}:\n\n"
            f"```sql\n{slowest['sql']}\n```\n\n```\n{slowest['plan']}\n```"
        )
    return text


def _profile(profile: dict) -> str:
    per_request = profile["ms_per_request"]
    buckets = "\n".join(
        f"| {row['bucket']} | {row['share']:.0%} | {row['share'] * per_request:.1f} |"
        for row in profile["buckets"]
        if row["share"]
    )
    hottest = "\n".join(f"| `{row['frame']}` | {row['share']:.0%} |" for row in profile["hottest"])
    return (
        "## Where a step POST spends its time\n\n"
        f"pyinstrument over {profile['iterations']} step POSTs in-process (test client, "
        f"htmx, each a save; statuses {profile['statuses']}): "
        f"{profile['ms_per_request']:.1f} ms a request under the profiler. The full tree is in "
        f"`bench/results/{profile['text']}`. Each sample is put in the bucket of the innermost "
        "library it was in:\n\n"
        f"| where | share of the time | ms a request |\n|---|---:|---:|\n{buckets}\n\n"
        f"The frames with the most time of their own:\n\n| frame | share |\n|---|---:|\n{hottest}"
    )


def _page_profiles(profiles: dict) -> str:
    result, project = profiles["result_get"], profiles["project_10000"]
    shares = [{row["bucket"]: row["share"] for row in p["buckets"]} for p in (result, project)]
    names = sorted(set(shares[0]) | set(shares[1]), key=lambda n: -shares[0].get(n, 0))

    def cell(profile: dict, share: float) -> str:
        return f"{share * profile['ms_per_request']:.1f} ({share:.0%})"

    rows = "\n".join(
        f"| {name} | {cell(result, shares[0].get(name, 0))} "
        f"| {cell(project, shares[1].get(name, 0))} |"
        for name in names
    )
    return (
        "## Where the result and project pages spend their time\n\n"
        f"The same profiler over {result['iterations']} GETs of the result page and of the "
        "project page of 10,000 decisions, in-process as the owner (statuses "
        f"{result['statuses']} and {project['statuses']}): {result['ms_per_request']:.1f} and "
        f"{project['ms_per_request']:.1f} ms a request under the profiler. The ORM's time "
        "counts as database: a queryset evaluated by a template's `{% for %}` or `{% if %}` "
        "is in that bucket, not in the templates'.\n\n"
        "| where | result page, ms (share) | project page, 10,000 decisions, ms (share) |\n"
        f"|---|---:|---:|\n{rows}"
    )


def _load(loads: dict) -> str:
    header = (
        "| run | users | seconds | requests | 5xx | failed connections | p95 ms | acknowledged "
        "(start / answer / complete / share) | in the database (decisions / answers / "
        "recommendations / share links) | lost | half-written or invalid | result |"
    )
    lines = [header, "|---|---:|---:|---:|---:|---:|---:|---|---|---|---|---|"]
    for name, run in loads.items():
        check, traffic = run["check"], run["locust"]
        acked = check["acknowledged"]
        stored = check["in_database"]
        broken = {k: v for k, v in check["broken"].items() if v}
        lines.append(
            f"| {name} | {run['users']} | {run['run_time_s']} | {traffic['requests']} "
            f"| {traffic['server_errors']} | {traffic['failed_connections']} "
            f"| {traffic['p95_ms']:.0f} "
            f"| {acked.get('start', 0)} / {acked.get('answer', 0)} / "
            f"{acked.get('complete', 0)} / {acked.get('share', 0)} "
            f"| {stored['decisions']} / {stored['answers']} / {stored['recommendations']} / "
            f"{stored['share_links']} | {sum(check['lost'].values())} | {broken or 0} "
            f"| {'passed' if check['passed'] else 'FAILED'} |"
        )
    kills = [kill for run in loads.values() for kill in run["kills"]]
    kill_text = "; ".join(
        f"worker {kill['killed']} killed (workers before {kill['workers_before']}, after "
        f"{kill['workers_after']})"
        for kill in kills
    )
    pair = loads["two_instances"]
    shared = pair["shared_state"]
    session, counter = shared["session"], shared["rate_limit"]
    return (
        "## Load without loss\n\n"
        "locust (`bench/locustfile.py`), headless: each user is a seeded member of a team, "
        "logged in through allauth's form just before the runs (a login hashes a password, "
        "about a second of CPU, which would otherwise fill the first half of a run on 2 cores; "
        "allauth also allows 30 logins a minute from one address, and every user here comes "
        "from 127.0.0.1). Each then repeatedly starts a decision, answers the five "
        "questions (htmx POSTs), completes it and creates a share link. Every write the "
        "server acknowledged is recorded by the user; afterwards `bench/load.py` counts rows "
        "in PostgreSQL. Lost = acknowledged but not in the database. Half-written or invalid, "
        "over the whole database: a duplicate recommendation, a complete decision without "
        "one, a recommendation of an incomplete decision, a complete decision with fewer than "
        "five answers, an answer value that is not a choice, any 5xx.\n\n"
        + "\n".join(lines)
        + "\n\n"
        f"- **sigkill**: halfway through, {kill_text}. gunicorn started a new worker; requests "
        "in flight on the killed one failed (the failed connections above), and PostgreSQL "
        "rolled back whatever transaction it had open.\n"
        f"- **two_instances**: two gunicorn masters ({', '.join(pair['servers'])}), the same "
        "PostgreSQL and Redis; each user's requests alternate between them, so every decision "
        "is written through both.\n"
        f"- A session made by logging in on {session['logged_in_on']} opened the project list "
        f"on {session['project_list_on']}: status {session['status']}, signed in as the same "
        f"user: {'yes' if session['shows_username'] else 'NO'}.\n"
        f"- One share-page request to each instance moved the rate-limit counter "
        f"`{counter['redis_key']}` in Redis through {counter['readings']}: "
        f"{'both instances count in the same key' if counter['counted_by_both'] else 'NOT shared'}."
    )
