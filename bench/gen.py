#!/usr/bin/env python3
"""Deterministic generator of timeline-heavy postmortems for benchmarks.

    python3 bench/gen.py OUT_DIR N [--seed S]

Writes N documents (about 3-4 KB each, as real postmortems are) under
OUT_DIR/dNNN/pmNNNNN.md, 500 per folder. Each has what real postmortems carry: front matter
(YAML, TOML or none), a title, a summary that states the window and the duration, impact, a timeline of 10-40 entries in one of nine styles
(list items, bold stamps, tables, day headings, bare lines, 12-hour clocks with zones, ISO
8601, bracketed logs, prose), root cause, resolution, and an action-item table or list with
owners, due dates and tickets. About one document in eight carries a mistake a reviewer
would flag (a month typo, an entry out of order, a wrong duration, a TODO, a missing
section) so the benchmark exercises the paths that report, not only the quiet ones.

The same seed always writes the same bytes: runs are comparable across commits.
"""
import datetime as dt
import os
import random
import sys

ZONES = [("UTC", 0), ("PDT", -7), ("PST", -8), ("EST", -5), ("CET", 1), ("IST", 5.5)]
SERVICES = ["checkout", "search", "payments API", "login service", "CDN edge", "order queue",
            "notification workers", "metrics pipeline", "storage cluster", "DNS resolvers"]
CAUSES = ["a configuration change that lowered the connection pool limit",
          "an expired TLS certificate on the internal load balancer",
          "a schema migration that locked the orders table",
          "a bad deploy that shipped an unbounded retry loop",
          "disk exhaustion on the primary database host",
          "a DNS record removed during a cleanup script"]
EVENTS = ["Alert fired for elevated 5xx rate on {svc}",
          "On-call engineer acknowledged the page",
          "Incident declared; incident channel opened",
          "Dashboards show p99 latency above 4 s for {svc}",
          "Rolled back the most recent deploy of {svc}",
          "Customer support reports failed logins",
          "Identified {cause} as the likely trigger",
          "Mitigation applied: traffic shifted to the secondary region",
          "Error rate back under 1%",
          "Database failover started",
          "Replication lag recovered",
          "Status page updated",
          "Cache warmed and hit rate back to normal",
          "Monitoring confirms recovery of {svc}",
          "Incident resolved; follow-ups filed"]
OWNERS = ["@alice", "@bob", "@chen", "@dara", "@eve", "SRE team", "Platform team"]
PROSE = ("The on-call engineer compared error rates across regions and found the increase "
         "confined to hosts that had received the new build. Traces showed requests waiting "
         "on the connection pool rather than on the database itself. ")


def stamp(style, t, zone, day_changed):
    hm = t.strftime("%H:%M")
    h12 = t.strftime("%I:%M %p").lstrip("0")
    z = zone[0]
    if style == 0:
        return f"- {hm} {z} — "
    if style == 1:
        return f"- **{t:%Y-%m-%d %H:%M} {z}**: "
    if style == 2:
        return f"| {t:%Y-%m-%d} {hm} | "
    if style == 3:
        return f"- {hm} "
    if style == 4:
        return f"{hm} - "
    if style == 5:
        return f"* {t:%B} {t.day}, {h12} {z}: "
    if style == 6:
        off = zone[1]
        sign = "-" if off < 0 else "+"
        off = abs(off)
        return f"- {t:%Y-%m-%dT%H:%M:%S}{sign}{int(off):02d}:{int(off * 60) % 60:02d} "
    if style == 7:
        return f"- [{hm}] "
    return f"At {h12} {z}, "


def document(i, rng):
    zone = rng.choice(ZONES)
    svc = rng.choice(SERVICES)
    cause = rng.choice(CAUSES)
    start = dt.datetime(rng.randint(2019, 2025), rng.randint(1, 12), rng.randint(1, 26),
                        rng.randint(0, 22), rng.choice([0, 5, 12, 17, 30, 42, 55]))
    # Summer and winter names as the region uses them (daylight time April to October).
    summer = 4 <= start.month <= 10
    if zone[0] in ("PDT", "PST"):
        zone = ("PDT", -7) if summer else ("PST", -8)
    elif zone[0] in ("CET",):
        zone = ("CEST", 2) if summer else ("CET", 1)
    elif zone[0] == "EST" and summer:
        zone = ("EDT", -4)
    n = rng.randint(10, 40)
    style = rng.randrange(9)
    t = start
    times = []
    for _ in range(n):
        times.append(t)
        t += dt.timedelta(minutes=rng.choice([1, 2, 3, 4, 5, 7, 10, 12, 15, 20, 30, 45]))
    end = times[-1]
    mins = int((end - start).total_seconds() // 60)
    flaw = rng.randrange(8) if rng.random() < 0.125 else None

    out = []
    fm = rng.randrange(3)
    title = f"{svc.capitalize()} outage on {start:%B} {start.day}, {start.year}"
    if fm == 0:
        out += ["---", f'title: "{title}"', f"date: {start:%Y-%m-%d}", "severity: SEV2",
                f"authors: [\"{rng.choice(OWNERS)}\"]", "status: final", "---", ""]
    elif fm == 1:
        out += ["+++", f'title = "{title}"', f"date = {start:%Y-%m-%d}", 'severity = "SEV2"',
                "+++", ""]
    out += [f"# {title}", ""]
    stated = mins + (30 if flaw == 2 else 0)
    hours, rest = divmod(stated, 60)
    length = f"{hours} hours {rest} minutes" if hours else f"{rest} minutes"
    z = zone[0]
    out += ["## Summary", "",
            f"On {start:%B} {start.day}, {start.year}, from {start:%H:%M} to {end:%H:%M} {z}, "
            f"the {svc} was unavailable for {length}. The trigger was {cause}. "
            f"About {rng.randint(2, 60)}% of requests failed during the window.", ""]
    out += [f"**Duration:** {length}", f"**Severity:** SEV{rng.randint(1, 3)}", ""]
    if flaw != 5:
        out += ["## Impact", "",
                f"Users of the {svc} saw errors or timeouts. "
                f"{rng.randint(100, 90000)} requests failed and {rng.randint(1, 400)} support "
                "tickets were opened.", ""]
    out += [f"## Timeline (all times {z})", ""]
    if style == 2:
        out += ["| Time | Event |", "|---|---|"]
    last_day = None
    shown = list(times)
    if flaw == 0 and n > 4:
        k = rng.randrange(2, n - 1)
        shown[k] = shown[k].replace(month=shown[k].month % 12 + 1)
    if flaw == 1 and n > 4:
        k = rng.randrange(2, n - 1)
        shown[k], shown[k + 1] = shown[k + 1], shown[k]
    for k, when in enumerate(shown):
        if style == 3 and when.date() != last_day:
            out += ["", f"### {when:%A}, {when:%B} {when.day}", ""]
            last_day = when.date()
        # Milestones where a reviewer expects them: start, detection, recovery, resolution.
        if k == 0:
            text = f"Deploy of {svc} started; errors begin"
        elif k == 1:
            text = EVENTS[0]
        elif k == n - 2:
            text = EVENTS[13]
        elif k == n - 1:
            text = EVENTS[14]
        else:
            text = rng.choice(EVENTS[1:13])
        text = text.format(svc=svc, cause=cause)
        line = stamp(style, when, zone, False) + text
        if style == 2:
            line += " |"
        elif style == 8:
            line += "."
        out.append(line)
        if style in (4, 8) and rng.random() < 0.15:
            out += ["", PROSE.strip(), ""]
    out.append("")
    out += ["## Root cause", "", f"The outage was caused by {cause}. " + PROSE * rng.randint(1, 3),
            ""]
    out += ["## Resolution", "",
            f"Service was restored at {end:%H:%M} {z} after the rollback completed. "
            "We kept the incident open for an hour to confirm recovery.", ""]
    if flaw == 3:
        out += ["## Lessons learned", "", "TODO", ""]
    if flaw != 6:
        out += ["## Action items", ""]
        due = end + dt.timedelta(days=rng.randint(7, 60))
        items = [("Add an alert on connection pool saturation", "detect"),
                 ("Require canary deploys for config changes", "prevent"),
                 ("Document the rollback procedure in the runbook", "mitigate"),
                 ("Load test the new limits before rollout", "prevent")]
        if rng.random() < 0.5:
            out += ["| Action | Owner | Due | Ticket |", "|---|---|---|---|"]
            for k, (what, _) in enumerate(items[: rng.randint(2, 4)]):
                out.append(f"| {what} | {rng.choice(OWNERS)} | {due + dt.timedelta(days=k):%Y-%m-%d}"
                           f" | OPS-{rng.randint(100, 9999)} |")
        else:
            for k, (what, _) in enumerate(items[: rng.randint(2, 4)]):
                d = due + dt.timedelta(days=k)
                out.append(f"- [ ] {what} (owner: {rng.choice(OWNERS)}, due {d:%B} {d.day}, "
                           f"{d.year}, OPS-{rng.randint(100, 9999)})")
        out.append("")
    out += ["## What went well", "", "- Alerting paged within minutes.",
            "- The rollback was quick once the cause was known.", ""]
    return "\n".join(out)


def main():
    args = sys.argv[1:]
    seed = 12
    if "--seed" in args:
        k = args.index("--seed")
        seed = int(args[k + 1])
        del args[k : k + 2]
    if len(args) != 2:
        sys.exit(__doc__)
    out, n = args[0], int(args[1])
    rng = random.Random(seed)
    for i in range(n):
        d = os.path.join(out, f"d{i // 500:03d}")
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, f"pm{i:05d}.md"), "w", encoding="utf-8", newline="\n") as f:
            f.write(document(i, rng))


if __name__ == "__main__":
    main()
