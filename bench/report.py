"""docs/performance.md and the table `make bench` prints, from the results of one run.

Pure functions of the results dicts (no Django, no bench dependencies), so the arithmetic is
testable on its own and the page can be rebuilt from bench/results/*.json alone.
"""

from __future__ import annotations

from statistics import median

# The goals, as ratios measured in the same run.
STEP_TO_BARE = 0.25
STEP_TO_PEER = 3.0
READ_TO_BARE = 0.5
HISTORY_P95 = 1.5
BUSY_LOAD = 0.5  # a one-minute load average above this at the start means others were working


RUNNING = """## Running it

`make bench` (about 8 minutes on an idle machine) installs the `bench` dependency group and
wrk when missing, drops and recreates the PostgreSQL database `advisor_bench` (or the one named
by `BENCH_DATABASE`), deletes the Redis keys under `advisor-bench:` (or `BENCH_REDIS_PREFIX`),
and rewrites this page and `bench/results/*.json`
(`profile_step_post.txt` is the full pyinstrument tree; logs and locust's records are left in
`bench/results/tmp/`). For a quick check of the harness itself:
`uv run --group bench python -m bench.run --duration 3 --warmup 1 --load-time 15`. To compare
two versions of the code, `uv run --group bench python -m bench.run --wrk-only` prints the
ratio table alone (about 2 minutes) and rewrites nothing here. Two checkouts on one machine
run side by side with different `BENCH_DATABASE` and `BENCH_REDIS_PREFIX`, though each then
measures the other's load too. The peer and the bare view
exist only in `bench/settings.py` and `bench/urls.py`, which gunicorn loads during the run;
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
    history = ratio(rows["project_10000"]["p95_ms"], rows["project_10"]["p95_ms"])
    found = [
        (
            f"wizard step POST >= {STEP_TO_BARE}x bare",
            f"{step['ratio']:.2f}x",
            step["ratio"] >= STEP_TO_BARE,
        ),
        (
            f"wizard step POST >= {STEP_TO_PEER:g}x the formtools peer",
            f"{ratio(step['ratio'], peer['ratio']):.1f}x",
            ratio(step["ratio"], peer["ratio"]) >= STEP_TO_PEER,
        ),
    ]
    for name in ("share_get", "result_get"):
        row = rows[name]
        met = row["ratio"] >= READ_TO_BARE
        found.append((f"{row['label']} >= {READ_TO_BARE}x bare", f"{row['ratio']:.2f}x", met))
    found += [
        (
            "project page: same query count at 10 and 10,000 decisions",
            f"{small} and {large}",
            small is not None and small == large,
        ),
        (
            f"project page: p95 at 10,000 within {HISTORY_P95}x of 10",
            f"{history:.2f}x",
            history <= HISTORY_P95,
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
        _queries(results["queries"]),
        _profile(results["profile"]),
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
        f"after {other['control_seconds']} s of the bare view. Its ratio is the median of the "
        "rounds' ratios to those bare runs (others' load on a shared machine changes within "
        "seconds, and adjacent runs share it); req/s is over all rounds, and the percentiles "
        "are the median of the rounds'.\n\n"
        f"{ratio_table(measured)}\n\n"
        "- **Wizard step POST**: logged in, `HX-Request: true` and `X-CSRFToken`, the answer "
        "saved through `answer_save`, the next question returned as the `wizard` fragment. "
        "The requests cycle over 50 decisions and steps 1 to 4 with a changing value, so each "
        f"one writes; {step.get('answer_rows_rewritten', 0)} of the "
        "200 answer rows involved were rewritten during the measurement.\n"
        "- **formtools peer** (`bench/peers/`): the same questions as a `SessionWizardView`, "
        "each step a Django form rendered by crispy-bootstrap5 into a whole page, state in the "
        "database session; the same login, headers and steps 1 to 4.\n"
        "- **Share page**: public, no cookie. Each view is one `UPDATE` of the link's row "
        "(it counts the view and, by its row count, says the link is live), one pipelined "
        "round trip to Redis for the per-IP limit's counter (the limit is raised for the run "
        "so wrk is not answered 429) and one cache read of the rendered page.\n"
        "- **Result page**: logged in as the team's owner, a completed decision: the "
        "recommendation, the status panel with its forms, revisits, outcomes, comments and "
        "share links.\n"
        "- **Project page**: logged in, the first page of the history (20 rows) and the "
        "activity, for a project of 10 and one of 10,000 decisions."
    )


def _goals(results: dict) -> str:
    lines = ["| goal (issue 6) | measured | met |", "|---|---:|---|"]
    for goal in goals(results):
        lines.append(f"| {goal['goal']} | {goal['measured']} | {'yes' if goal['met'] else 'NO'} |")
    return (
        "## Goals\n\n"
        + "\n".join(lines)
        + "\n\nWhere a throughput goal is missed, the profile below shows where a step POST's "
        "time goes, and the queries table what each page asks of PostgreSQL. The bare view "
        "makes no round trip to anything. A logged-in step POST makes one to Redis (the "
        "session) and, in the table's last row, its queries to PostgreSQL: the user, the "
        "decision with the user's role (the access check), then in one transaction the "
        "decision's row lock, its answers, the answer and the progress. Each costs a network "
        "round trip, and the ORM building its SQL; together they are most of the profile's "
        "database share. Fewer would mean giving up one of those guarantees (the access "
        "check, the lock against two tabs, the progress kept on the decision) or leaving the "
        "ORM for raw SQL, neither of which this speed is worth. The share page is down to one "
        "query and two Redis round trips, its rendering cached; the rest of the gap is those."
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
