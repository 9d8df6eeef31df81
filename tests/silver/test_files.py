"""The split files: where they are, compressed train, same bytes for the same reports."""

from pathlib import Path

from veille.silver.files import read_text, split_path, write_text

REPO = Path(__file__).resolve().parents[2]
SILVER = REPO / "data" / "silver"


def test_train_is_compressed_and_dev_test_are_plain(tmp_path: Path) -> None:
    assert split_path(tmp_path, "en", "train") == tmp_path / "en" / "train.jsonl.gz"
    assert split_path(tmp_path, "en", "dev") == tmp_path / "en" / "dev.jsonl"


def test_compressed_files_round_trip_and_are_reproducible(tmp_path: Path) -> None:
    body = '{"id": "a", "text": "Élysée"}\n'
    first, second = tmp_path / "one.jsonl.gz", tmp_path / "two.jsonl.gz"
    write_text(first, body)
    write_text(second, body)
    assert read_text(first) == body
    assert first.read_bytes() == second.read_bytes()  # no timestamp in the gzip header
    plain = tmp_path / "plain.jsonl"
    write_text(plain, body)
    assert plain.read_text(encoding="utf-8") == body


def test_every_split_file_stays_under_20_mib() -> None:
    for lang in ("fr", "en"):
        for split in ("train", "dev", "test"):
            path = split_path(SILVER, lang, split)
            assert path.is_file(), path
            assert path.stat().st_size < 20 * 2 ** 20, path
            assert not path.with_name(f"{split}.jsonl").exists() or path.suffix != ".gz", path
