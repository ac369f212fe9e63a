"""One CLI vocabulary: the same flags mean the same everywhere, help is readable, usage errors exit 2."""

from __future__ import annotations

import json
import re

import pytest

from npfterm.cli import app

COMMANDS = [c.name or c.callback.__name__ for c in app.registered_commands]


def test_the_top_level_help_shows_whole_descriptions(cli):
    result = cli.invoke(app, ["-h"], env={"COLUMNS": "80"})
    assert result.exit_code == 0
    listed = result.stdout.split("Commands:", 1)[1].strip().splitlines()
    assert len(listed) == len(COMMANDS)
    assert not [line for line in listed if line.rstrip().endswith("...")]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_takes_dash_h_and_shows_readable_metavars(cli, command):
    result = cli.invoke(app, [command, "-h"], env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    assert "Usage: npfterm" in result.stdout
    assert not re.search(r"<[a-z\[\]]+>|\{[A-Za-z.]+\}", result.stdout), result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["align", "x.txt", "-f", "nope"],
        ["align", "x.txt", "--min-score", "2"],
        ["align", "x.txt", "--mode", "fast"],
        ["align", "x.txt", "--src-lang", "not a code"],
        ["terms", "x.txt", "-f", "nope"],
        ["terms", "x.txt", "--min-score", "-1"],
        ["lookup", "x", "-f", "xml"],
        ["lookup", "x", "-n", "0"],
        ["lookup", "x", "-n", "9223372036854775808"],
        ["export", "tm", "--min-score", "1.5"],
        ["export", "nothing"],
        ["import", "x.csv", "-f", "doc"],
        ["score"],
        ["no-such-command"],
    ],
)
def test_usage_errors_exit_2(cli, args):
    result = cli.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output


def test_lookup_format_json_and_its_alias_agree(cli):
    a = cli.invoke(app, ["lookup", "碳中和", "-f", "json", "-n", "1"])
    b = cli.invoke(app, ["lookup", "碳中和", "--json", "-n", "1"])
    assert a.exit_code == b.exit_code == 0
    assert json.loads(a.stdout) == json.loads(b.stdout)


def test_align_and_terms_min_score_leave_out_low_scores(cli, seed_path):
    everything = cli.invoke(app, ["align", str(seed_path), "--mode", "lexical", "-f", "jsonl", "--no-store"])
    assert everything.exit_code == 0
    scores = [json.loads(line)["score"] for line in everything.stdout.splitlines()]
    threshold = sorted(scores)[len(scores) // 2]  # the median: some beads fall below it, whatever the calibration
    confident = cli.invoke(
        app, ["align", str(seed_path), "--mode", "lexical", "-f", "jsonl", "--no-store", "--min-score", str(threshold)]
    )
    assert confident.exit_code == 0
    kept = [json.loads(line)["score"] for line in confident.stdout.splitlines()]
    assert kept == [s for s in scores if s >= threshold] and len(kept) < len(scores)
    terms = cli.invoke(app, ["terms", str(seed_path), "--mode", "lexical", "-f", "jsonl", "--no-store", "--min-score", "0.9"])
    assert terms.exit_code == 0
    assert all(json.loads(line)["score"] >= 0.9 for line in terms.stdout.splitlines())


def test_terms_writes_the_language_codes_it_is_given_into_tbx(cli, seed_path):
    result = cli.invoke(app, ["terms", str(seed_path), "--mode", "lexical", "-f", "tbx", "--no-store", "--src-lang", "zh-TW", "--tgt-lang", "en-GB"])
    assert result.exit_code == 0
    assert 'xml:lang="zh-TW"' in result.stdout and 'xml:lang="en-GB"' in result.stdout
