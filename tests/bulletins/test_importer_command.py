"""``manage.py import_bulletin`` — the dry run (saving: tests/bulletins/test_importer_save.py)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .test_importer import MD_SEED, PDF_SEED, TEXT_SEED

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry():
    call_command("load_alliances", verbosity=0)


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("import_bulletin", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_dry_run_prints_the_structure_in_chinese(registry):
    with CaptureQueriesContext(connection) as queries:
        out, _ = run(MD_SEED, "--dry-run")
    assert all(q["sql"].lstrip().upper().startswith("SELECT") for q in queries.captured_queries)
    assert f"文件：{MD_SEED.name}（Markdown）" in out
    assert "期次：2023年第1期（总第66期）　印发日期：2023年3月20日　联盟试点工作联络组办公室" in out
    assert "栏目一：重要政策动态（6篇）" in out
    assert "栏目二：联盟联络组及协发网动态（3篇）" in out
    assert "栏目三：试点联盟及协发网网员单位动态（16篇）" in out
    assert "  10. 应急救援装备联盟向国家消防救援局局长汇报工作　〔第152–158行〕" in out
    assert (
        "     供稿：（应急装备产业技术创新战略联盟秘书处供稿） → "
        "应急救援装备产业技术创新战略联盟（批次未登记）"
    ) in out
    assert (
        "供稿：（联盟协发网秘书处和联盟试点工作组供稿） → 联盟协发网自身的稿件（不是联盟）" in out
    )
    assert "  送：各试点产业技术创新战略联盟、联盟协发网成员单位、有关地方科技厅（局）" in out
    assert "  本期编辑：杨丹泽　审核：尚辉良　签发：李新男" in out
    assert "合计：3个栏目，25篇稿件，0个表格，0个附加内容" in out
    assert "问题（1个）：" in out
    assert "导读为「科技部党组传达学习贯彻习近平总书记在两会上的重要讲话精神」" in out


def test_dry_run_of_the_text_seed_shows_the_table(registry):
    out, _ = run(TEXT_SEED, "--dry-run")
    assert "A级活跃度产业技术创新战略联盟名单（2018-2021年）　〔第95–126行〕　［含表格1个］" in out
    assert "合计：3个栏目，24篇稿件，1个表格，0个附加内容" in out
    assert (
        "（再生联盟产业技术创新战略联盟秘书处供稿） → 再生资源产业技术创新战略联盟（批次154）"
        in out
    )


def test_pdf_seed_without_options_says_what_is_missing(registry):
    out, _ = run(PDF_SEED, "--dry-run")
    assert "期次：无法确定（见下方问题）" in out
    assert "原文没有报头，缺少卷年" in out
    assert "附加内容：致谢（2段）" in out
    assert "版记：无" in out


def test_pdf_seed_with_options(registry):
    out, _ = run(
        PDF_SEED,
        "--dry-run",
        "--year=2022",
        "--number=6",
        "--cumulative=65",
        "--date=2023-01-16",
    )
    assert "期次：2022年第6期（总第65期）　印发日期：2023年1月16日" in out
    assert "合计：3个栏目，31篇稿件，0个表格，1个附加内容" in out
    assert "问题：无" in out
    assert "名录中没有这个联盟" not in out


def test_several_files_in_one_run(registry):
    out, _ = run(MD_SEED, TEXT_SEED, "--dry-run")
    assert out.count("文件：") == 2


def test_without_dry_run_and_without_an_importer_it_refuses_and_says_why(registry):
    with pytest.raises(CommandError, match=r"还没有编辑或系统管理员"):
        run(MD_SEED)


def test_options_with_several_files_are_refused():
    with pytest.raises(CommandError, match="只能和一个文件一起用"):
        run(MD_SEED, TEXT_SEED, "--dry-run", "--year=2023")


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("--date=2023-02-30", "日期「2023-02-30」不存在"),
        ("--date=明年春天", "格式不对"),
        ("--number=六", "期号应是整数"),
    ],
)
def test_bad_options_get_a_chinese_message(option, message):
    with pytest.raises(CommandError, match=message):
        run(PDF_SEED, "--dry-run", option)


def test_a_date_written_in_chinese_is_accepted(registry):
    out, _ = run(
        PDF_SEED,
        "--dry-run",
        "--year=2022",
        "--number=6",
        "--cumulative=65",
        "--date=2023年1月16日",
    )
    assert "印发日期：2023年1月16日" in out


def test_impossible_number_from_options_is_a_problem(registry):
    out, _ = run(
        PDF_SEED, "--dry-run", "--year=2022", "--number=0", "--cumulative=65", "--date=2023-01-16"
    )
    assert "期号第0期不可能" in out
    assert "期次：无法确定" in out


def test_files_that_are_no_bulletin_fail_with_a_reason(registry, tmp_path):
    csv = tmp_path / "名单.csv"
    csv.write_text("序号,联盟名称,批次\n1,化纤产业技术创新战略联盟,118\n", encoding="utf-8")
    empty = tmp_path / "空.txt"
    empty.write_bytes(b"")
    with pytest.raises(CommandError, match="3 个文件无法导入") as raised:
        call_command(
            "import_bulletin",
            str(csv),
            str(empty),
            str(tmp_path / "没有这个文件.txt"),
            str(MD_SEED),
            "--dry-run",
            stdout=(out := StringIO()),
            stderr=(err := StringIO()),
        )
    assert "名单.csv" in str(raised.value)
    errors = err.getvalue()
    assert "这是一个 CSV 表格，不是简报" in errors
    assert "文件是空的" in errors
    assert "找不到这个文件" in errors
    assert "2023年第1期（总第66期）" in out.getvalue()  # the good file is still shown


def test_empty_registry_is_pointed_out():
    out, _ = run(MD_SEED, "--dry-run")
    assert "联盟名录是空的" in out
    assert "名录中没有这个联盟；也没有相近的名称" in out
