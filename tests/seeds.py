"""The three seed bulletins, read from the copies in the repository
(``bulletins/importer/seeds/``, which the demo loader also uses), never from outside it."""

from pathlib import Path

SEEDS = Path(__file__).resolve().parents[1] / "bulletins" / "importer" / "seeds"
PDF_SEED = SEEDS / "000_3c4e9bca0ea1bc2a.txt"  # 2022年第6期（总第65期）, no masthead
MD_SEED = SEEDS / "001_43b922eb2f5a3b2f.txt"  # 2023年第1期（总第66期）
TEXT_SEED = SEEDS / "002_e4fc3f663f46f59c.txt"  # 2022年第3期（总第62期）
