"""``npfterm align DIR --dask ADDRESS`` on a LocalCluster; skipped when dask is not installed."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from npfterm.cli import app

pytestmark = pytest.mark.slow  # processes, property searches or store-safety loops: run by .ci/run, not by -m "not slow"

ZH = "今天我们讨论经济发展。\n中国的人口很多。\n我喜欢喝茶。\n"
EN = "Today we discuss economic development.\nChina has a large population.\nI like drinking tea.\n"
SCHOOL_ZH = "我们的学校很大。\n学生们每天学习数学。\n"
SCHOOL_EN = "Our school is big.\nThe students study mathematics every day.\n"

runner = CliRunner()


@pytest.fixture()
def corpus(tmp_path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    files = {"news.zh.txt": ZH, "news.en.txt": EN, "school.zh.txt": SCHOOL_ZH, "school.en.txt": SCHOOL_EN, "lone.zh.txt": ZH}
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def align(*args: object):
    return runner.invoke(app, ["align", *map(str, args), "--mode", "lexical", "--sentences", "--no-store"])


@pytest.fixture(scope="module", params=[False, True], ids=["threads", "processes"])
def cluster(request):
    """Workers as threads of this process, then as processes (tasks and results really pickled)."""
    pytest.importorskip("distributed", reason="dask is an optional extra: pip install 'npfterm[dask]'")
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=request.param, dashboard_address=":0") as local:
        yield local


def test_a_cluster_aligns_the_folder_as_local_workers_do(cluster, corpus, tmp_path):
    dask_out, local_out = tmp_path / "dask.jsonl", tmp_path / "local.jsonl"
    result = align(corpus, "--dask", cluster.scheduler_address, "-f", "jsonl", "-o", dask_out)
    local = align(corpus, "--workers", 1, "-f", "jsonl", "-o", local_out)
    assert (result.exit_code, local.exit_code) == (1, 1)
    assert result.stderr == local.stderr.replace(str(local_out), str(dask_out))
    assert result.stderr.startswith(
        f"Error: lone: {corpus / 'lone.zh.txt'} has no English partner; expected {corpus / 'lone.en.txt'}\n"
        "2 of 3 documents aligned (5 zh / 5 en sentences, 5 beads, "
    )
    assert dask_out.read_bytes() == local_out.read_bytes()
    assert [json.loads(line)["doc"] for line in dask_out.read_text(encoding="utf-8").splitlines()] == ["news"] * 3 + ["school"] * 2


def test_a_cluster_writes_one_file_per_document(cluster, corpus, tmp_path):
    (corpus / "lone.zh.txt").unlink()
    out = tmp_path / "out"
    result = align(corpus, "--dask", cluster.scheduler_address, "-f", "beads", "-o", f"{out}/")
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["news.align", "school.align"]
    assert (out / "news.align").read_text(encoding="utf-8") == "[0]:[0]\n[1]:[1]\n[2]:[2]\n"


def test_an_unreachable_scheduler_is_one_line(corpus):
    pytest.importorskip("distributed")
    from npfterm.distributed import DaskError, dask_executor

    with pytest.raises(DaskError, match=r"^cannot reach the Dask scheduler at tcp://127\.0\.0\.1:9: "):
        with dask_executor("tcp://127.0.0.1:9", "lexical", timeout=1.0):
            pass


def test_without_the_extra_dask_is_one_line_with_the_fix(corpus, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # what an environment without dask sees
    result = align(corpus, "--dask", "tcp://127.0.0.1:8786")
    assert (result.exit_code, result.stderr) == (1, "Error: a Dask cluster needs the dask extra: pip install 'npfterm[dask]'\n")
