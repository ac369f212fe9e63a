"""batch: finding and pairing documents, aligning them on any executor, failures as results."""

from __future__ import annotations

import os
import pickle
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from npfterm.alignment.document import AlignOptions
from npfterm.batch import (
    AlignJob,
    DocResult,
    Document,
    align_document,
    discover,
    is_batch,
    process_pool,
    run_batch,
)
from npfterm.errors import InputError
from npfterm.pipeline import align_files

ZH = "今天我们讨论经济发展。\n中国的人口很多。\n我喜欢喝茶。\n"
EN = "Today we discuss economic development.\nChina has a large population.\nI like drinking tea.\n"
MIXED = "北京是中国的首都。\nBeijing is the capital of China.\n\n上海是一个大城市。\nShanghai is a big city.\n"
JOB = AlignJob(AlignOptions(mode="lexical"))


def write(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


def described(docs: list[Document], base: Path) -> list[tuple[str, tuple[str, ...], str]]:
    """Documents with paths relative to ``base``, for readable expectations."""
    return [(d.name, tuple(str(Path(p).relative_to(base)) for p in d.paths), d.problem) for d in docs]


# --- discovery ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("inputs", "expected"),
    [
        (["a.txt"], False),
        (["a.txt", "b.txt"], False),
        (["-"], False),
        (["a.zh.txt", "a.en.txt", "b.zh.txt"], True),
    ],
)
def test_one_or_two_files_are_one_document_more_are_a_batch(inputs, expected):
    assert is_batch(inputs) is expected


def test_a_folder_is_a_batch(tmp_path):
    assert is_batch([str(tmp_path)])


def test_every_tag_style_pairs_and_untagged_text_files_are_interleaved(tmp_path):
    write(tmp_path, {
        "a.zh.txt": ZH, "a.en.txt": EN,
        "b_zh.md": ZH, "b_en.md": EN,
        "c-ZH.txt": ZH, "c-en.markdown": EN,
        "d.zh": ZH, "d.en": EN,
        "mixed.txt": MIXED, "notes.md": MIXED,
        "data.json": "{}", "a.zh.tok": ZH, ".hidden.txt": MIXED, "x.trans": EN,
    })
    assert described(discover([str(tmp_path)]), tmp_path) == [
        ("a", ("a.zh.txt", "a.en.txt"), ""),
        ("b", ("b_zh.md", "b_en.md"), ""),
        ("c", ("c-ZH.txt", "c-en.markdown"), ""),
        ("d", ("d.zh", "d.en"), ""),
        ("mixed", ("mixed.txt",), ""),
        ("notes", ("notes.md",), ""),
    ]


def test_zh_and_en_subfolders_pair_by_file_name_as_mac_dev_is_laid_out(tmp_path):
    write(tmp_path, {
        "zh/001": ZH, "en/001": EN, "zh/001.tok": ZH, "en/001.tok": EN, "zh/002": ZH, "en/002": EN,
        "zh/.DS_Store": "", "gold/001.align": "[0]:[0]\n", "meta_data.tsv": "id\n", "LICENSE.md": "MIT",
    })
    expected = [("001", ("zh/001", "en/001"), ""), ("002", ("zh/002", "en/002"), "")]
    assert described(discover([str(tmp_path)]), tmp_path) == expected
    # the two language folders named directly pair the same way
    assert described(discover([str(tmp_path / "zh"), str(tmp_path / "en")]), tmp_path) == expected


def test_named_files_are_taken_whatever_their_suffix(tmp_path):
    write(tmp_path, {"zh/001": ZH, "en/001": EN, "article.rst": MIXED})
    inputs = [str(tmp_path / p) for p in ("en/001", "zh/001", "article.rst")]
    assert described(discover(inputs), tmp_path) == [
        ("001", ("zh/001", "en/001"), ""),
        ("article.rst", ("article.rst",), ""),
    ]


def test_a_tagged_file_without_its_partner_is_a_document_with_a_problem(tmp_path):
    write(tmp_path, {"lone-zh.txt": ZH, "zh/002": ZH, "en/.keep": ""})
    docs = discover([str(tmp_path)])
    assert [(d.name, d.problem) for d in discover([str(tmp_path / "lone-zh.txt")])] == [
        ("lone", f"{tmp_path / 'lone-zh.txt'} has no English partner; expected {tmp_path / 'lone-en.txt'}"),
    ]
    assert [(d.name, d.problem) for d in docs] == [
        ("002", f"{tmp_path / 'zh' / '002'} has no English partner; expected {tmp_path / 'en' / '002'}"),
    ]


def test_two_chinese_files_for_one_name_are_a_problem_not_a_guess(tmp_path):
    write(tmp_path, {"a.zh.txt": ZH, "a_zh.txt": ZH, "a.en.txt": EN})
    (doc,) = discover([str(tmp_path)])
    assert doc.name == "a"
    assert doc.problem == f"several Chinese files: {tmp_path / 'a.zh.txt'}, {tmp_path / 'a_zh.txt'}"


def test_the_same_name_in_two_folders_is_qualified_by_folder(tmp_path):
    write(tmp_path, {"one/a.zh.txt": ZH, "one/a.en.txt": EN, "two/a.zh.txt": ZH, "two/a.en.txt": EN})
    docs = discover([str(tmp_path / "one"), str(tmp_path / "two")])
    assert [d.name for d in docs] == ["one_a", "two_a"]


def test_a_file_given_twice_is_one_document(tmp_path):
    write(tmp_path, {"a.zh.txt": ZH, "a.en.txt": EN})
    docs = discover([str(tmp_path), str(tmp_path / "a.zh.txt"), str(tmp_path / "a.en.txt")])
    assert [d.name for d in docs] == ["a"]


def test_nothing_to_align_and_stdin_are_input_errors(tmp_path):
    write(tmp_path, {"data.json": "{}"})
    with pytest.raises(InputError) as caught:
        discover([str(tmp_path)])
    assert str(caught.value) == (
        f"no documents found in {tmp_path}; expected NAME.zh.txt + NAME.en.txt pairs, "
        "zh/ and en/ subfolders, or .txt/.md files with both languages"
    )
    with pytest.raises(InputError, match=r"^stdin \('-'\) cannot be part of a batch"):
        discover(["-", str(tmp_path)])


# --- aligning --------------------------------------------------------------------------


@pytest.fixture()
def corpus(tmp_path) -> list[Document]:
    write(tmp_path, {
        "a.zh.txt": ZH, "a.en.txt": EN, "b.zh.txt": ZH, "lost.zh.txt": ZH, "lost.en.txt": EN,
        "mixed.txt": MIXED, "c.zh.txt": ZH.replace("茶", "咖啡"), "c.en.txt": EN.replace("tea", "coffee"),
    })
    docs = discover([str(tmp_path)])
    (tmp_path / "lost.en.txt").unlink()  # discovered, then gone: a reading error, not a pairing one
    return docs


def test_a_document_is_aligned_as_align_files_would_and_named_after_itself(corpus):
    result = align_document(corpus[0], JOB)
    expected = align_files(corpus[0].paths, JOB.options)
    assert (result.name, result.error, result.ok) == ("a", "", True)
    assert result.alignment.beads == expected.beads
    assert result.alignment.source == "a"


def test_failures_are_results_with_the_library_message(corpus):
    by_name = {r.name: r for r in run_batch(corpus, JOB)}
    lost = next(d for d in corpus if d.name == "lost")
    assert by_name["b"].error.endswith("b.zh.txt has no English partner; expected " + str(Path(lost.paths[0]).parent / "b.en.txt"))
    assert by_name["lost"].error == f"file not found: {lost.paths[1]}; check the path"
    assert not by_name["lost"].ok and by_name["mixed"].ok


def test_sentences_mode_fails_an_interleaved_document_only(corpus):
    results = {r.name: r for r in run_batch(corpus, AlignJob(AlignOptions(mode="lexical"), sentences=True))}
    assert results["mixed"].error == "sentence-per-line input needs two files: Chinese and English, one sentence per line"
    assert results["a"].ok and results["c"].ok


def test_an_executor_gives_the_same_results_in_document_order(corpus):
    local = list(run_batch(corpus, JOB))
    seen: list[str] = []
    with ThreadPoolExecutor(2) as executor:
        pooled = list(run_batch(corpus, JOB, executor, window=2, on_done=lambda r: seen.append(r.name)))
    assert [r.name for r in pooled] == [d.name for d in corpus]
    assert sorted(seen) == sorted(d.name for d in corpus)
    assert [(r.name, r.error, r.alignment and r.alignment.beads) for r in pooled] == [
        (r.name, r.error, r.alignment and r.alignment.beads) for r in local
    ]


def test_warnings_come_back_with_the_document(tmp_path):
    unrelated_en = "The committee approved the budget.\nRain is expected tomorrow.\nHe sold his old car.\n"
    write(tmp_path, {"x.zh.txt": ZH, "x.en.txt": unrelated_en})
    (result,) = run_batch(discover([str(tmp_path)]), AlignJob(AlignOptions(mode="lexical"), sentences=True))
    assert result.ok
    assert len(result.warnings) == 1 and "are the two texts translations of each other?" in result.warnings[0]


def test_results_survive_pickling_as_they_cross_processes(corpus):
    result = align_document(corpus[0], JOB)
    assert pickle.loads(pickle.dumps(result)) == result
    assert pickle.loads(pickle.dumps(corpus[0])) == corpus[0]


@pytest.mark.slow
def test_the_process_pool_matches_in_process_and_survives_a_dying_worker(corpus):
    local = [(r.name, r.error, r.alignment and r.alignment.beads) for r in run_batch(corpus, JOB)]
    with process_pool(2, "lexical") as pool:
        pooled = [(r.name, r.error, r.alignment and r.alignment.beads) for r in run_batch(corpus, JOB, pool, window=4)]
        dying = pool.submit(os._exit, 1)
        with pytest.raises(Exception) as caught:
            dying.result()
        assert type(caught.value).__name__ == "BrokenProcessPool"
        after = pool.submit(align_document, corpus[0], JOB).result()
    assert pooled == local
    assert isinstance(after, DocResult) and after.ok


def test_a_named_folder_without_documents_is_an_error_even_beside_a_file(tmp_path):
    write(tmp_path, {"a.zh.txt": ZH, "a.en.txt": EN})
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match=r"^no documents found in .*empty; expected "):
        discover([str(tmp_path / "a.zh.txt"), str(tmp_path / "a.en.txt"), str(tmp_path / "empty")])
