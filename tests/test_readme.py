"""README.md cannot go stale: every command block that shows output is run and compared, every Python example is run.

A ```text block whose lines start with ``$ `` is a shell session: each command
runs with bash in a scratch folder (``corpora`` and ``tests`` linked in,
``../shared`` beside it when this checkout has one) against a fresh store, its
stdout and stderr together as a terminal shows them, 110 columns wide.  The
scratch paths are written back as the paths a user would see.  A ```pycon
block runs as a doctest.

After a change that alters output on purpose, regenerate the blocks and read
the diff before committing::

    python tests/test_readme.py --update
"""

from __future__ import annotations

import doctest
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
SHARED = ROOT.parent / "shared"
DEFAULT_STORE = "~/.local/share/npfterm/npfterm.sqlite"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.M | re.S)


@dataclass(frozen=True)
class Session:
    """One shell block: its commands, each with the output the README shows."""

    start: int  # offsets of the block's body in README.md
    end: int
    steps: tuple[tuple[str, str], ...]

    @property
    def needs_shared(self) -> bool:
        return any("../shared" in cmd for cmd, _ in self.steps)


def sessions(text: str) -> list[Session]:
    found = []
    for m in FENCE.finditer(text):
        if m.group(1) != "text" or not m.group(2).startswith("$ "):
            continue
        steps: list[tuple[str, list[str]]] = []
        for line in m.group(2).splitlines():
            if line.startswith("$ "):
                steps.append((line[2:], []))
            else:
                steps[-1][1].append(line)
        body = tuple((cmd, "\n".join(out).strip("\n")) for cmd, out in steps)
        found.append(Session(m.start(2), m.end(2), body))
    return found


def python_examples(text: str) -> list[str]:
    return [m.group(2) for m in FENCE.finditer(text) if m.group(1) == "pycon"]


def _scratch() -> tuple[Path, Path, dict[str, str]]:
    top = Path(tempfile.mkdtemp(prefix="npfterm-readme-"))
    work = top / "work"
    work.mkdir()
    for name in ("corpora", "tests"):
        (work / name).symlink_to(ROOT / name)
    if SHARED.is_dir():
        (top / "shared").symlink_to(SHARED)
    store = top / "store" / "npfterm.sqlite"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NPFTERM_", "PYTEST_"))}
    env.update(NPFTERM_DB=str(store), COLUMNS="110", LINES="50", TERM="dumb", NO_COLOR="1", PYTHONHASHSEED="0")
    bindir = str(Path(sys.executable).parent)
    env["PATH"] = bindir + os.pathsep + env.get("PATH", "")
    return top, work, env


def run(session: Session) -> list[str]:
    """The output of each command of the session, normalised as the README shows it."""
    top, work, env = _scratch()
    try:
        outputs = []
        for cmd, _ in session.steps:
            done = subprocess.run(
                ["bash", "-o", "pipefail", "-c", cmd], cwd=work, env=env, stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT, text=True, timeout=600,
            )
            text = done.stdout.replace(env["NPFTERM_DB"], DEFAULT_STORE).replace(str(work) + "/", "").replace(str(top), "..")
            outputs.append("\n".join(line.rstrip() for line in text.splitlines()).strip("\n"))
        return outputs
    finally:
        shutil.rmtree(top, ignore_errors=True)


def _ids(sessions_: list[Session]) -> list[str]:
    return [s.steps[0][0][:60] for s in sessions_]


SESSIONS = sessions(README.read_text(encoding="utf-8"))


def test_the_readme_opens_with_the_two_commands():
    text = README.read_text(encoding="utf-8")
    blocks = [m.group(2).strip() for m in FENCE.finditer(text)][:2]
    assert blocks == [
        "pip install -e . && npfterm align corpora/npf-xi-2024-01-31.txt",
        'pip install -e ".[test]" && python -m pytest -q',
    ]
    assert (ROOT / ".ci" / "run").read_text(encoding="utf-8").count('pip install -e ".[test]" && python -m pytest -q') == 2


def test_sessions_are_found():
    assert len(SESSIONS) >= 5
    assert all(s.steps for s in SESSIONS)


@pytest.mark.slow
@pytest.mark.parametrize("session", SESSIONS, ids=_ids(SESSIONS))
def test_readme_session_prints_what_the_readme_shows(session):
    if session.needs_shared and not SHARED.is_dir():
        pytest.skip("needs ../shared")
    got = run(session)
    for (cmd, shown), out in zip(session.steps, got):
        assert out == shown, f"$ {cmd}"


def test_readme_python_examples_run(tmp_path, monkeypatch):
    """The pycon blocks in order, sharing one namespace, as a reader would type them."""
    examples = python_examples(README.read_text(encoding="utf-8"))
    assert examples
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("NPFTERM_DB", str(tmp_path / "store.sqlite"))
    namespace: dict[str, object] = {}
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for n, example in enumerate(examples):
        test = doctest.DocTestParser().get_doctest(example, namespace, f"README pycon block {n + 1}", str(README), 0)
        runner.run(test, clear_globs=False)
        namespace = test.globs  # the next block sees what this one defined
    assert runner.failures == 0, f"{runner.failures} README example(s) failed"


def update() -> None:
    """Rewrite every session's shown output with what the commands print now."""
    text = README.read_text(encoding="utf-8")
    for session in reversed(sessions(text)):
        if session.needs_shared and not SHARED.is_dir():
            continue
        outputs = run(session)
        body = "\n".join(f"$ {cmd}\n" + (out + "\n" if out else "") for (cmd, _), out in zip(session.steps, outputs))
        text = text[: session.start] + body + text[session.end :]
    README.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1:] == ["--update"]:
        update()
    else:
        sys.exit("usage: python tests/test_readme.py --update")
