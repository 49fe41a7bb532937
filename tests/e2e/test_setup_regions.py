"""The issue's "done when", end to end on one running stack: for each seed region a department
sets itself up from the command line alone, as docs/panduan/petugas-ti.md tells it (an account,
an integration key, shifts, teams, members and the roster from CSV files, each team's Telegram
group linked with /daftar), then a social-media post that names a kecamatan and a
kelurahan/desa of the region — abbreviated (Kec./Kel./Ds.) and with a one-letter typo — is
placed right and its assignment reaches the right team's group; a desa name two kecamatan of
Indramayu share goes to the triage queue with the ambiguity as the reason.

The place names come from the national data (``trc region show`` / ``GET
/api/v1/reference/regions/KODE``); each is unique in its region and its typo is within the fuzzy
threshold (``placematch.TYPO_THRESHOLD``) of one word of it. The first region's commands run as
typed, each a `trc` process; the others run the same command lines in the test's process. Then
everything is posted at once and awaited together."""

from __future__ import annotations

import contextlib
import importlib
import io
import json
import os
import re
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from services.intake.domain.decision import AMBIGUOUS_PLACE
from services.intake.domain.gazetteer import gazetteer
from services.intake.domain.placematch import TYPO_THRESHOLD
from services.intake.ingest import read_report
from shared.contracts.events import Location
from shared.regions import to_local
from tests.e2e.staff import PASSWORD, get, post
from tests.support import ROOT, env_with, wait_until

pytestmark = pytest.mark.e2e
SHIFTS = ["pagi=07:00-15:00", "siang=15:00-23:00", "malam=23:00-07:00"]  # as the guide has them


@dataclass(frozen=True)
class Seed:
    region: str
    kecamatan: str
    village: str  # a kelurahan (a city) or a desa (a kabupaten) of ``kecamatan``
    elsewhere: str  # another kecamatan of the region: team B's zone
    written: str  # the village as the post writes it: one letter wrong
    text: str  # the post: "Kec." and "Kel."/"Ds." before the names

    @property
    def number(self) -> int:
        return int(self.region.replace(".", ""))


SEEDS = [
    Seed("21.71", "Sei Beduk", "Duriangkang", "Batu Ampar", "Duriankang",
         "Nenek tua terlantar tidur di emperan ruko Kel. Duriankang Kec. Sei Beduk, tampak "
         "lemas dan belum makan sejak pagi. Mohon dibantu"),
    Seed("73.71", "Tamalate", "Mannuruki", "Panakkukang", "Manuruki",
         "Ada bapak gelandangan tidur di trotoar dekat masjid Kel. Manuruki, Kec. Tamalate, "
         "bajunya kotor dan kelihatan sakit"),
    Seed("32.12", "Sliyeg", "Sudikampiran", "Jatibarang", "Sudikampran",
         "Tolong ada orang dengan gangguan jiwa mengamuk di pinggir jalan Ds. Sudikampran "
         "Kec. Sliyeg, warga takut mendekat"),
    Seed("64.72", "Palaran", "Handil Bakti", "Sambutan", "Handl Bakti",
         "Dua anak kecil mengemis di lampu merah Kel. Handl Bakti Kec. Palaran sampai larut "
         "malam tanpa orang tua"),
    Seed("63.71", "Banjarmasin Utara", "Sungai Jingah", "Banjarmasin Barat", "Sungai Jinggah",
         "Kakek lansia hidup sendirian di rumah reyot Kel. Sungai Jinggah, Kec. Banjarmasin "
         "Utara, tidak ada yang merawat"),
]  # fmt: skip
# Desa Kedungwungu is in Kecamatan Krangkeng and in Kecamatan Anjatan: no guess, an operator.
AMBIGUOUS_NAME = "Kedungwungu"
AMBIGUOUS = (
    "32.12",
    "Ada anak kecil mengemis sendirian di perempatan jalan Ds. Kedungwungu sampai malam, "
    "kasihan sekali",
)


def test_the_posts_name_what_they_should() -> None:
    """The test's own data, read offline the way intake reads it (no stack): each village is
    unique in its region and written with one letter wrong, within the typo threshold, and the
    post is placed there; the ambiguous desa is in exactly two kecamatan and is not placed."""
    for seed in SEEDS:
        places = gazetteer(seed.region)
        villages = [p for p in places.places if p.kind == "kelurahan"]
        assert [p.kecamatan for p in villages if p.name == seed.village] == [seed.kecamatan]
        assert seed.elsewhere in {p.name for p in places.kecamatan()}
        assert seed.written in seed.text and f"Kec. {seed.kecamatan}" in seed.text
        assert Levenshtein.distance(seed.written, seed.village) == 1, seed.written
        pairs = zip(seed.written.split(), seed.village.split(), strict=True)
        word = max(fuzz.ratio(written, name) for written, name in pairs if written != name)
        assert TYPO_THRESHOLD <= word < 100, (seed.written, word)  # one distinctive word
        verdict = read_report(
            seed.region, seed.text, Location(), reported_at=datetime.now(UTC)
        ).verdict
        assert verdict.dispatch and verdict.location is not None, seed.region
        assert (verdict.location.kecamatan, verdict.location.kelurahan) == (
            seed.kecamatan,
            seed.village,
        )
    region, text = AMBIGUOUS
    homes = [p.kecamatan for p in gazetteer(region).places
             if p.kind == "kelurahan" and p.name == AMBIGUOUS_NAME]  # fmt: skip
    assert len(homes) == 2 and f"Ds. {AMBIGUOUS_NAME}" in text, homes
    verdict = read_report(region, text, Location(), reported_at=datetime.now(UTC)).verdict
    assert verdict.triage_reason == AMBIGUOUS_PLACE


def leader_id(seed: Seed, team: str) -> int:
    """The team leader's numeric Telegram user id (what anggota.csv asks for)."""
    return 7_000_000_000 + seed.number * 10 + (1 if team == "A" else 2)


def group_id(seed: Seed, team: str) -> int:
    return -(1_007_000_000_000 + seed.number * 10 + (1 if team == "A" else 2))


def trc(env: dict[str, str], *args: str) -> str:
    """One `trc` command as the IT officer types it, with the running stack's environment."""
    done = subprocess.run(
        [sys.executable, "-m", "trc.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,  # a busy machine: each command is a whole Python process
    )
    assert done.returncode == 0, f"trc {' '.join(args[:3])}: {done.stdout}{done.stderr[-2000:]}"
    return done.stdout


# Where `trc user|roster|apikey` hand their arguments on (trc/cli.py HANDED_ON): the service's
# own command line, called here in this process for all but the first region. Each real `trc`
# call is two Python processes (~1.5 s of CPU each on this machine); the first region goes
# through them, as typed, and the others run the very same command-line code without them.
COMMAND_LINES = {
    "user": "services.dispatch.accounts.cli",
    "roster": "services.dispatch.roster.cli",
    "apikey": "services.intake.admin",
}


def trc_here(env: dict[str, str], *args: str) -> str:
    """The same command as :func:`trc`, its service's command line called in this process with
    the stack's environment; what it printed."""
    main = importlib.import_module(COMMAND_LINES[args[0]]).main
    saved = dict(os.environ)
    out = io.StringIO()
    try:
        os.environ.clear()
        os.environ.update(env)
        with contextlib.redirect_stdout(out):
            code = main(list(args[1:]))
    finally:
        os.environ.clear()
        os.environ.update(saved)
    assert code == 0, f"trc {' '.join(args[:3])}: {out.getvalue()}"
    return out.getvalue()


def sheets(seed: Seed, folder: Path) -> tuple[Path, Path, Path]:
    """tim.csv, anggota.csv and jadwal.csv as the guide shows them: team A covers the post's
    kecamatan, team B another; both work every shift from yesterday to tomorrow (local dates)."""
    folder.mkdir(parents=True)
    teams = folder / "tim.csv"
    teams.write_text(
        f"kode,nama,kapasitas,zona\nA,Tim A,2,{seed.kecamatan}\nB,Tim B,2,{seed.elsewhere}\n",
        encoding="utf-8",
    )
    members = folder / "anggota.csv"
    members.write_text(
        "kode,nama,jenis,peran,telegram,tim\n"
        f"A1,Anggota A1,staff,ketua,{leader_id(seed, 'A')},A\n"
        f"B1,Anggota B1,staff,ketua,{leader_id(seed, 'B')},B\n"
        "S1,Sopir S1,bko,sopir,,A;B\n",
        encoding="utf-8",
    )
    today = to_local(datetime.now(UTC), seed.region).date()
    days = [today + timedelta(days=n) for n in (-1, 0, 1)]
    roster = folder / "jadwal.csv"
    roster.write_text(
        "tanggal,sif,tim\n"
        + "".join(
            f"{day:%d/%m/%Y},{shift.split('=')[0]},{team}\n"
            for day in days
            for shift in SHIFTS
            for team in "AB"
        ),
        encoding="utf-8",
    )
    return teams, members, roster


def set_up(seed: Seed, env: dict[str, str], folder: Path, trc: Any = trc) -> str:
    """Section 4 and 5 of the guide for one region; its integration key."""
    region = ["--region", seed.region]
    user = f"sup{seed.number}"
    trc(env, "user", "create", user, "--role", "supervisor", *region, "--password-env", "PW")
    made = trc(env, "apikey", "create", "--name", "social-monitor", *region)
    key = re.search(r"^key (\S+)$", made, re.MULTILINE)
    assert key is not None, "trc apikey create printed no key"
    trc(env, "roster", "shifts", *region, *SHIFTS)
    teams, members, roster = sheets(seed, folder / seed.region)
    assert "2 teams row(s) saved" in trc(env, "roster", "import", "teams", str(teams), *region)
    saved = trc(env, "roster", "import", "members", str(members), *region)
    assert "3 members row(s) saved" in saved
    assert "18 roster row(s) saved" in trc(env, "roster", "import", "roster", str(roster), *region)
    return key.group(1)


def standin(url: str, body: dict[str, Any] | None = None) -> Any:
    """The Telegram stand-in's control API: GET, or POST ``body``."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data, {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def link_groups(telegram: str, seeds: list[Seed]) -> None:
    """Section 6.3: one group per team with the bot in it, a member types /daftar KODE_TIM there;
    again until notify, which learns the members from dispatch's events, says it is linked."""
    pending = {(s, t) for s in seeds for t in "AB"}
    for seed, team in pending:
        title = f"TRC {seed.region} Tim {team}"
        standin(f"{telegram}/_standin/chats", {"id": group_id(seed, team), "title": title})
    deadline = time.monotonic() + 90
    while pending:
        assert time.monotonic() < deadline, (
            f"not linked: {sorted((s.region, t) for s, t in pending)}"
        )
        seen = {}
        for seed, team in pending:
            chat = group_id(seed, team)
            seen[seed, team] = len(standin(f"{telegram}/_standin/chats/{chat}/messages"))
            said = {
                "chat_id": chat,
                "user": {"id": leader_id(seed, team)},
                "text": f"/daftar {team}",
            }
            standin(f"{telegram}/_standin/say", said)
        time.sleep(2)
        for (seed, team), before in seen.items():
            messages = standin(f"{telegram}/_standin/chats/{group_id(seed, team)}/messages")
            replies = [m.get("text", "") for m in messages[before:] if m["from"].get("is_bot")]
            if any("terhubung" in r or "linked" in r for r in replies):
                pending.discard((seed, team))


def bot_texts(telegram: str, chat: int) -> list[str]:
    messages = standin(f"{telegram}/_standin/chats/{chat}/messages")
    return [m.get("text", "") for m in messages if m["from"].get("is_bot")]


@dataclass(frozen=True)
class Urls:
    intake: str
    dispatch: str
    telegram: str


def set_up_all(env: dict[str, str], folder: Path) -> dict[str, str]:
    """The first region through real `trc` processes, beside it the others one after another
    through the same command lines in this process; every region's key."""
    first, *others = SEEDS
    with ThreadPoolExecutor(1) as pool:
        typed = pool.submit(set_up, first, env, folder)
        keys = {seed.region: set_up(seed, env, folder, trc_here) for seed in others}
        keys[first.region] = typed.result()
    return keys


def post_all(urls: Urls, keys: dict[str, str]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Each region's post and the ambiguous one, at once, as the social-media monitor sends them."""
    webhook = f"{urls.intake}/api/v1/webhooks/social"
    now = datetime.now(UTC).isoformat()

    def social(key: str, post_id: str, text: str) -> dict[str, Any]:
        body = {"platform": "x", "post_id": post_id, "text": text, "posted_at": now}
        return post(webhook, body, api_key=key)

    posts = {s.region: social(keys[s.region], f"uji-{s.number}", s.text) for s in SEEDS}
    return posts, social(keys[AMBIGUOUS[0]], "uji-ambigu", AMBIGUOUS[1])


def sign_in_all(urls: Urls) -> dict[str, str]:
    login = f"{urls.dispatch}/api/v1/auth/login"
    return {
        s.region: post(login, {"username": f"sup{s.number}", "password": PASSWORD})["token"]
        for s in SEEDS
    }


def await_assignments(
    urls: Urls, tokens: dict[str, str], posts: dict[str, Any]
) -> dict[str, dict[str, Any]]:
    """Each post's incident once it is assigned and the assignment is in team A's group (with
    that message's text)."""
    found: dict[str, dict[str, Any]] = {}

    def assigned_and_told() -> bool:
        for seed in SEEDS:
            if seed.region in found:
                continue
            board = f"{urls.dispatch}/api/v1/incidents?region_code={seed.region}"
            report = posts[seed.region]["report_id"]
            incident = next(
                (i for i in get(board, tokens[seed.region]) if report in i["report_ids"]), None
            )
            if incident is None or incident["team_id"] is None:
                continue
            told = [t for t in bot_texts(urls.telegram, group_id(seed, "A"))
                    if incident["number"] in t]  # fmt: skip
            if told:
                found[seed.region] = {**incident, "message": told[0]}
        return len(found) == len(SEEDS)

    try:
        wait_until(assigned_and_told, timeout=90, interval=0.5, what="the teams' assignments")
    except AssertionError as exc:
        raise AssertionError(f"{exc}; only these regions were: {sorted(found)}") from None
    return found


def test_each_seed_region_set_up_from_the_cli_places_and_dispatches_a_post(
    stack: Any, tmp_path: Path
) -> None:
    _process, ports, output = stack
    wait_until(lambda: "siap / ready" in output(), timeout=120, what="trc up ready")
    started = time.monotonic()
    bootstrap = re.search(r"Kafka broker\s+(\S+)", output())
    telegram = re.search(r"telegram \(lokal\)\s+(\S+)", output())
    assert bootstrap is not None and telegram is not None, output()
    urls = Urls(
        f"http://127.0.0.1:{ports['intake']}",
        f"http://127.0.0.1:{ports['dispatch']}",
        telegram.group(1),
    )
    env = env_with(
        TRC_DATA_DIR=str(tmp_path / "data"), TRC_KAFKA_BOOTSTRAP=bootstrap.group(1), PW=PASSWORD
    )
    keys = set_up_all(env, tmp_path / "sheets")
    set_up_done = time.monotonic()
    link_groups(urls.telegram, SEEDS)
    linked = time.monotonic()

    posts, unclear = post_all(urls, keys)
    assert {r: p["status"] for r, p in posts.items()} == dict.fromkeys(posts, "open")
    assert unclear["status"] == "needs_triage"
    tokens = sign_in_all(urls)
    found = await_assignments(urls, tokens, posts)
    dispatched = time.monotonic()
    for seed in SEEDS:
        incident = found[seed.region]
        place = (incident["kecamatan"], incident["kelurahan"])
        assert place == (seed.kecamatan, seed.village), seed.region
        teams = get(f"{urls.dispatch}/api/v1/regions/{seed.region}/teams", tokens[seed.region])
        team_a = next(t["team_id"] for t in teams if t["code"] == "A")
        assert incident["team_id"] == team_a, f"{seed.region}: not team A"
        assert f"{seed.village}, {seed.kecamatan}" in incident["message"], seed.region
        elsewhere = bot_texts(urls.telegram, group_id(seed, "B"))
        assert not [t for t in elsewhere if incident["number"] in t], seed.region

    queue = get(f"{urls.intake}/api/v1/triage", tokens[AMBIGUOUS[0]])
    waiting = next(r for r in queue if r["report_id"] == unclear["report_id"])
    assert waiting["triage_reason"] == AMBIGUOUS_PLACE
    assert (waiting["kecamatan"], waiting["kelurahan"]) == (None, None)
    assert not [r for r in queue if r["report_id"] in {p["report_id"] for p in posts.values()}]
    # How long each part took, shown with -s (the module should take a minute beyond start-up).
    print(
        f"set-up {set_up_done - started:.1f} s, groups {linked - set_up_done:.1f} s, "
        f"posts to assignments {dispatched - linked:.1f} s"
    )
