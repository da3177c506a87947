"""The importer's parser against the three seed bulletins.

Every count and title below was taken by reading the seed files line by line, not from
the parser's output: sections, items per section, tables, titles (two-line titles
joined, ``**`` removed, a title's line-break space dropped where the 本期导读 prints it in
one piece) and the end matter.
"""

import re
from collections import Counter
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from bulletins.document import SECTION_ALLIANCES, SECTION_NETWORK, SECTION_POLICY
from bulletins.importer import BulletinParseError, decode_bulletin, parse_bulletin
from tests.seeds import MD_SEED, PDF_SEED, TEXT_SEED

PDF_OPTIONS = {"year": 2022, "number": 6, "cumulative": 65, "issued_on": date(2023, 1, 16)}

TITLES = {
    PDF_SEED.name: {
        SECTION_POLICY: [
            "科技部确定2023年十个方面主要工作",
            "《“十四五”国家高新区技术产业开发区发展规划》出台",
            "科技部等八部门联合开展科技人才评价改革试点",
            # lines 72 + 74: the first line runs on (no trailing space)
            "科技部成果与区域副司长吴家喜调研产业技术创新战略联盟试点工作进展情况",
            # lines 143 + 145: two printed lines, each ending a line
            "科技部成果与区域司副司长吴家喜应邀出席“2022高端数控机床创新论坛”",
        ],
        SECTION_NETWORK: [
            "产业技术创新战略联盟协发网继续组织“2022联盟调研行”活动",
            "联盟协发网秘书处到科技部成果与区域司汇报工作",
            "联盟协发网征集联盟服务国家自主创新示范区、高新区、经开区及联盟间融通合作案例",
        ],
        SECTION_ALLIANCES: [
            "封测联盟指导组建江苏省集成电路先进封装技术创新联合体",
            "再生资源战略联盟与中国节能环保集团中研院签署战略合作协议",
            "钒钛联盟2022年度协同项目评审会召开",
            "WAPI产业联盟发布一项物联网领域国际标准",
            "水环境治理联盟承办2022绿色产业创新创业大赛总决赛",
            "太阳能光热联盟举行太阳能热利用技术创新大赛",
            "BIM联盟成果入选《中央企业科技创新成果推荐目录（2022年版）》",
            "存储联盟牵头编制《存储产业标准化白皮书》",
            "粉末冶金联盟举办“注射成形及增材制造技术与应用高峰论坛”",
            "畜禽良种联盟联合举办动物种业前沿科技论坛（第13期）",
            "医疗器械联盟主办第五届中国医疗器械创新产业大赛",
            "肉类加工联盟协办“2022年动物源食品科学与人类健康国际研讨会”",
            "化纤联盟与TD联盟共同探索5G在纺织产业中的应用",
            "第三代半导体联盟发布一项三相智能电表领域团体标准",
            "应急救援装备联盟举办第一期应急大讲堂",
            "电子贸易联盟联合发起成立商务和消费数字化分领域技术委员会",
            "高值特种生物资源联盟推动汉麻产业融通发展",
            "半导体照明联盟第五届第四次理事会会议成功召开",
            "航天制造装备联盟召开理事会、专家委员会及成员大会",
            "海洋材料联盟组织成立镁及镁合金表面处理国际标准专家工作室",
            "电动汽车电驱动系统联盟参加2022 EVH第二届新能源汽车产业技术高峰论坛",
            "花卉联盟发布3项团体标准",
            "牧草联盟官网改版后重新上线",
        ],
    },
    MD_SEED.name: {
        SECTION_POLICY: [
            "中共中央 国务院印发《党和国家机构改革方案》（科技部分）",  # the 导读 keeps this space
            "2023年政府工作报告对科技工作提出新任务",
            "科技部党组传达学习贯彻习近平总书记在全国两会上的重要讲话精神",  # 「总书记 在」
            "科技部组织召开国家碳中和科技专家委员会第一次会议",  # ## **…**
            "吴家喜副司长应邀出席快堆产业技术创新战略联盟第九次成员大会",  # ## **…**
            "《国家技术标准创新基地申报指南（2023-2025年）》印发",
        ],
        SECTION_NETWORK: [
            "联盟协发网暨中关村国联中心第二届第三次会议召开",
            "联盟协发网秘书处向科技部成果与区域司汇报工作",
            "5家联盟正式成为产业技术创新战略联盟协同发展网网员",
        ],
        SECTION_ALLIANCES: [
            "应急救援装备联盟向国家消防救援局局长汇报工作",
            "太阳能光热联盟举办2022（第十六届）中国太阳能热发电大会",
            "第三代半导体联盟主办第八届国际第三代半导体论坛",  # ### **…**
            "制鞋联盟主办首届“X大奖”中国运动鞋设计大赛颁奖典礼",  # ### **…**
            "再生资源联盟召开理事会和专家委员会暨青年专家委员会会议",  # ### **…**
            "化纤联盟协办中国纺织科技成果对接峰会",
            "粉末冶金联盟发布7项团体标准",
            "数控机床联盟召开关键技术与标准系列研讨会",
            "建筑信息模型BIM联盟与铁路BIM联盟开展技术交流",
            "WAPI产业联盟组织专家参加ISO/IEC JTC 1/SC 6/WG 7中期会议",
            "花卉联盟理事长单位牵头国家重点研发计划项目通过绩效评价",
            "肉类加工联盟理事长单位航天搭载菌种成功返航",
            "水环境联盟参与研究的广东省重点领域研发计划项目通过验收",
            "肿瘤微创治疗联盟与东直门医院通州院区共建“北京市中西医肿瘤微创医学中心”",
            "海洋材料联盟盟员单位获“2022年广东省工程技术研究中心”认定",
            "电动汽车电驱动系统产业联盟发起单位上海电驱动股份有限公司"
            "荣获车用电机控制系统功能安全ASILD国际权威产品认证",
        ],
    },
    TEXT_SEED.name: {
        SECTION_POLICY: [
            "国务院印发《扎实稳住经济的一揽子政策措施》",
            "九部门印发联合《“十四五”东西部科技合作实施方案》",  # as the body prints it
            "十一部门联合发布《关于开展“携手行动”促进大中小企业融通创新（2022-2025年）的通知》",
        ],
        SECTION_NETWORK: [
            "联盟协发网暨中关村国联中心第二届第一次理事会在京召开",
            "《2020-2021年度产业技术创新战略联盟活跃度评价报告》发布",
            "A级活跃度产业技术创新战略联盟名单（2018-2021年）",
            "联盟协发网举办区域产业云会议跨界合作交流会",
        ],
        SECTION_ALLIANCES: [
            "科技部副部长邵新宇一行莅临肉类加工联盟多家成员单位调研",
            "再生资源战略联盟承担的“绿色技术领域基地平台与创新联盟发展研究”课题顺利通过验收",
            "封测联盟开展“十四五”IC封测产业技术走向”专题调研",
            "应急救援装备联盟参编的《北京市重点安全与应急企业及产品目录（2021年版）》",
            "半导体照明联盟标委会发布2021年工作报告",
            "电动汽车电驱动联盟推动成员企业第100万台纯电驱动产品下线",
            "建筑信息模型联盟参编的《2022全球BIM教育报告》正式发布",
            "污泥处理处置联盟发布《污泥碳化技术发展报告》",
            "粉末冶金联盟启动“粉末冶金大数据平台”二期项目",
            "闪联联盟召开星闪2.0标准需求与演进workshop",
            "WAPI产业联盟启动63项团体标准复审工作",
            "电子贸易联盟助力行业区域统筹疫情防控和经济发展",
            "太阳能光热联盟推动太阳能热利用行业健康持续发展",
            "木竹联盟召开“2020年度联盟科研计划课题中期跟踪服务会”",
            "生物农药与生物防治联盟举行“中药材有害生物绿色防控基地行”",
            "数控机床联盟牵头成立国家重点实验室，发布我国首个高端数控机床领域企业创新发展联合基金项目指南",
            "花卉联盟组织联盟成员参与公益献花活动",
        ],
    },
}
# Counted by hand: (items per section), tables, attribution lines (network's own, alliances').
COUNTS = {
    PDF_SEED.name: ((5, 3, 23), 0, (3, 23)),
    MD_SEED.name: ((6, 3, 16), 0, (3, 16)),
    TEXT_SEED.name: ((3, 4, 17), 1, (4, 17)),
}
# The body of each seed: its line range, the section heading lines and other lines that are
# no item text (page numbers, the 致谢 heading). Read off the files.
BODY = {
    PDF_SEED.name: (1, 695, {1, 171, 229, 654, 684}),
    MD_SEED.name: (50, 261, {50, 126, 150}),
    TEXT_SEED.name: (49, 245, {49, 65, 134}),
}
REPORT_TO_001 = (
    "科技部、发展改革委、财政部、教育部、工业和信息化部、人力资源和社会保障部、农业农村部、"
    "人民银行、国资委、税务总局、中科院、工程院、全国总工会、全国工商联、国家开发银行相关司局及部门"
)
SEND_TO = "各试点产业技术创新战略联盟、联盟协发网成员单位、有关地方科技厅（局）"


def parse_seed(path: Path, **options):
    if path == PDF_SEED and not options:
        options = PDF_OPTIONS
    return parse_bulletin(path.read_text(encoding="utf-8"), **options)


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.tags = set()

    def handle_starttag(self, tag, attrs):
        self.tags.add((tag, tuple(name for name, _ in attrs)))

    def handle_data(self, data):
        self.parts.append(data)


def html_tags(fragment: str) -> set:
    parser = _Text()
    parser.feed(fragment)
    parser.close()
    return parser.tags


def html_text(fragment: str) -> str:
    parser = _Text()
    parser.feed(fragment)
    parser.close()
    return "".join(parser.parts)


_FOLD = str.maketrans({"(": "（", ")": "）"})  # attributions are normalised to full width


def chars(text: str) -> Counter:
    return Counter(c for c in text.translate(_FOLD) if not c.isspace())


def source_text(line: str) -> str:
    """A source line without Markdown markup: heading marks, bold markers, inline tags."""
    line = re.sub(r"^\s*#{1,6}\s*", "", line)
    return re.sub(r"</?sub>", "", line.replace("**", ""))


def item_text(item) -> str:
    return item.title + html_text(item.body_html) + item.attribution


# ---------------------------------------------------------------- structure of the seeds


@pytest.mark.parametrize("path", [PDF_SEED, MD_SEED, TEXT_SEED], ids=lambda p: p.name[:3])
def test_sections_and_item_titles_are_those_read_off_the_file(path):
    result = parse_seed(path)
    expected = TITLES[path.name]
    assert [s.title for s in result.sections] == list(expected)
    assert {s.title: [i.title for i in s.items] for s in result.sections} == expected
    per_section, tables, _ = COUNTS[path.name]
    assert tuple(len(s.items) for s in result.sections) == per_section
    assert sum(i.body_html.count("<table>") for i in result.items) == tables


@pytest.mark.parametrize("path", [PDF_SEED, MD_SEED, TEXT_SEED], ids=lambda p: p.name[:3])
def test_attributions_are_separated_and_full_width(path):
    result = parse_seed(path)
    attributions = [i.attribution for i in result.items if i.attribution]
    network = [a for a in attributions if a == "（联盟协发网秘书处和联盟试点工作组供稿）"]
    own, alliances = COUNTS[path.name][2]
    assert (len(network), len(attributions) - len(network)) == (own, alliances)
    assert all(a.startswith("（") and a.endswith("供稿）") for a in attributions)
    assert not any("供稿" in html_text(i.body_html) for i in result.items)
    # Every item of the network's and the alliances' sections names its source.
    for section in result.sections[1:]:
        assert all(item.attribution for item in section.items)
    assert not any(item.attribution for item in result.sections[0].items)


def test_markdown_seed_masthead_toc_and_end_matter():
    result = parse_seed(MD_SEED)
    assert result.shape == "markdown"
    assert result.masthead.issue_line == "2023年第1期（总第66期）"
    assert result.masthead.issued_on == date(2023, 3, 20)
    assert result.masthead.issuer == "联盟试点工作联络组办公室"
    assert [(title, len(items)) for title, items in result.toc] == [
        ("重要政策动态", 6),
        ("联盟联络组及协发网动态", 3),
        ("试点联盟及协发网网员单位动态", 16),
    ]
    # The 导读 is kept as printed, spaces and all.
    assert "粉末冶金联盟发布 7 项团体标准" in result.toc[2][1]
    end = result.end_matter
    assert (end.report_to, end.send_to) == (REPORT_TO_001, SEND_TO)
    assert (end.editor, end.reviewer, end.signer) == ("杨丹泽", "尚辉良", "李新男")
    assert end.contact_lines == [
        "联络组地址：北京市海淀区学院南路76号(南院)新材料大楼902 电话：010-62184883",
        "编辑部地址：北京市朝阳区延静里中街3号",
        "电话：010-65987533",
        "联盟联络组/联盟协发网网站：www.citisa.org 联盟协发网微信公众号：CITISA",
        "新闻投稿专用邮箱：tougao@citisa.org 联络组日常咨询邮箱：citisa@citisa.org",
    ]
    assert result.document.masthead == result.masthead
    assert result.document.items == result.items


def test_markdown_seed_reports_the_one_toc_title_that_differs():
    result = parse_seed(MD_SEED)
    assert result.problems == [
        "本期导读与正文的标题不一致（重要政策动态）："
        "导读为「科技部党组传达学习贯彻习近平总书记在两会上的重要讲话精神」，"
        "正文为「科技部党组传达学习贯彻习近平总书记在全国两会上的重要讲话精神」。"
    ]
    assert any("按「试点联盟及协发网网员单位动态」导入" in note for note in result.notes)


def test_markdown_seed_bodies():
    items = parse_seed(MD_SEED).items
    first = items[0].body_html
    assert first.count("<h4>") == 2
    assert first.startswith("<h4>一、深化党中央机构改革</h4><p>组建中央科技委员会。")
    assert "<h4>二、深化国务院机构改革</h4>" in first
    # Lines 88/90: a paragraph cut by a page break is one paragraph again.
    assert "<p>稳定粮食生产和推进乡村振兴。" in items[1].body_html
    assert "国家关于土地承包期再延长30年的政策，务必通过细致工作扎实落实到位。</p>" in (
        items[1].body_html
    )
    assert items[1].body_html.count("<p>") == 4
    # Line 184: 「工作<sub>及</sub>2023年」 keeps its text, not the tag.
    assert "2022年工作及2023年重点工作报告" in items[13].body_html
    assert items[7].attribution == "（联盟协发网秘书处和联盟试点工作组供稿）"  # was (…)
    assert items[17].attribution == "（建筑信息模型（BIM）产业技术创新战略联盟秘书处供稿）"


def test_text_seed_masthead_problems_and_table():
    result = parse_seed(TEXT_SEED)
    assert result.shape == "text"
    assert result.masthead.issue_line == "2022年第3期（总第62期）"
    assert result.masthead.issued_on == date(2022, 6, 10)
    assert [(title, len(items)) for title, items in result.toc] == [
        ("重要政策动态", 3),
        ("联盟联络组及协发网动态", 4),
        ("试点联盟及协发网网员单位动态", 17),
    ]
    assert result.problems == [
        "本期导读与正文的标题不一致（重要政策动态）："
        "导读为「科技部等九部门印发《“十四五”东西部科技合作实施方案》」，"
        "正文为「九部门印发联合《“十四五”东西部科技合作实施方案》」。",
        "本期导读与正文的标题不一致（试点联盟及协发网网员单位动态）："
        "导读为「封测联盟开展“‘十四五’ IC封测产业技术走向”专题调研」，"
        "正文为「封测联盟开展“十四五”IC封测产业技术走向”专题调研」。",
        "本期导读与正文的标题不一致（试点联盟及协发网网员单位动态）："
        "导读为「应急救援装备联盟参编的《北京市重点安全与应急企业及产品目录（2021年版）》正式发布」，"
        "正文为「应急救援装备联盟参编的《北京市重点安全与应急企业及产品目录（2021年版）》」。",
    ]
    table_item = result.sections[1].items[2]
    body = table_item.body_html
    assert body.startswith(
        "<table><thead><tr><th>序号</th><th>联盟名称</th><th>批次</th></tr></thead><tbody>"
    )
    assert body.count("<tr>") == 25  # header + 24 alliances, across the page break
    assert "<tr><td>24</td><td>第三代半导体产业技术创新战略联盟</td><td>D106</td></tr>" in body
    assert "<td>新一代煤（能源）化工产业技术创新战略盟</td>" in body  # misprint kept as printed
    assert body.endswith(
        "</table><p>【备注：三位数字中的第一位数字代表该联盟被批准成为科技部试点联盟的批次；"
        "第二、三位数字代表该联盟在被批准文件中排列的顺序；d字母开头的是协发网网员联盟】</p>"
    )
    # Line 87 「……评价报告》主」 / line 89 「要内容，……」: one paragraph, not a new item.
    assert "评价报告》主要内容，本次评价共有107家" in result.sections[1].items[1].body_html
    end = result.end_matter
    assert (end.editor, end.reviewer, end.signer) == ("杨丹泽", "尚辉良", "李新男")
    assert end.send_to == SEND_TO
    assert len(end.contact_lines) == 5


def test_pdf_seed_without_options_reports_the_missing_masthead():
    result = parse_bulletin(PDF_SEED.read_text(encoding="utf-8"))
    assert result.shape == "pdf-text"
    assert result.masthead is None and result.document is None and not result.ok
    assert len(result.problems) == 1
    problem = result.problems[0]
    assert problem.startswith("原文没有报头，缺少卷年")
    for label in ("期号", "总期号", "印发日期", "--year", "--number"):
        assert label in problem
    # The structure is still read, so that the operator sees what would be imported.
    assert sum(len(s.items) for s in result.sections) == 31


def test_pdf_seed_with_options():
    result = parse_seed(PDF_SEED)
    assert result.ok and result.problems == []
    assert result.masthead.issue_line == "2022年第6期（总第65期）"
    assert result.masthead.issued_on == date(2023, 1, 16)
    assert result.toc == []
    assert result.removed_lines == [(654, "12")]
    assert result.end_matter.report_to == "" and result.end_matter.contact_lines == []
    (thanks,) = result.free_blocks
    assert thanks.title == "致谢"
    assert thanks.body_html == (
        "<p>衷心感谢科技部成果转化与区域创新司等相关司局，科技部试点产业技术创新战略联盟和"
        "联盟协发网网员单位对产业技术创新战略联盟协发网、中关村国联产业协同发展促进中心、"
        "联盟试点工作联络组工作的关心支持！</p><p>衷心祝愿大家新春愉快！阖家幸福！</p>"
    )
    items = {item.title: item for item in result.items}
    # Page 12's number (line 654) falls inside a paragraph, which runs on across it.
    assert (
        "下一步，花卉联盟将对3项标准开展宣贯和推广。" in items["花卉联盟发布3项团体标准"].body_html
    )
    # An English title wrapped at a space keeps one space; Chinese lines join without one.
    animal = items["畜禽良种联盟联合举办动物种业前沿科技论坛（第13期）"].body_html
    assert "the fate of primordial follicle formation in offspring”，揭示了维生素B1" in animal
    assert animal.count("<p>") == 1
    # Paragraphs end where a printed line ends with a space (lines 88, 102, 134, 142).
    assert result.sections[0].items[3].body_html.count("<p>") == 4


def test_pdf_text_without_paragraph_marks_is_flagged():
    stripped = "\n".join(line.rstrip() for line in PDF_SEED.read_text(encoding="utf-8").split("\n"))
    result = parse_bulletin(stripped, **PDF_OPTIONS)
    assert result.shape == "pdf-text"
    assert any("段末标记" in problem for problem in result.problems)
    assert not result.ok


# ---------------------------------------------------------------- no character invented or lost


@pytest.mark.parametrize("path", [PDF_SEED, MD_SEED, TEXT_SEED], ids=lambda p: p.name[:3])
def test_each_item_has_exactly_the_characters_of_its_source_lines(path):
    result = parse_seed(path)
    lines = path.read_text(encoding="utf-8").split("\n")
    removed = {number for number, _ in result.removed_lines}
    assert len(result.item_spans) == len(result.items)
    for item, span in zip(result.items, result.item_spans, strict=True):
        source = "".join(
            source_text(lines[n - 1]) for n in range(span.first, span.last + 1) if n not in removed
        )
        assert chars(item_text(item)) == chars(source), item.title


@pytest.mark.parametrize("path", [PDF_SEED, MD_SEED, TEXT_SEED], ids=lambda p: p.name[:3])
def test_the_whole_body_keeps_every_character(path):
    """Independent of the parser's line spans: the body region read off the file by hand."""
    first, last, skip = BODY[path.name]
    lines = path.read_text(encoding="utf-8").split("\n")
    source = "".join(source_text(lines[n - 1]) for n in range(first, last + 1) if n not in skip)
    result = parse_seed(path)
    parsed = "".join(item_text(item) for item in result.items)
    parsed += "".join(html_text(block.body_html) for block in result.free_blocks)
    assert chars(parsed) == chars(source)


# ---------------------------------------------------------------- determinism


@pytest.mark.parametrize("path", [PDF_SEED, MD_SEED, TEXT_SEED], ids=lambda p: p.name[:3])
def test_parsing_is_idempotent(path):
    text = path.read_text(encoding="utf-8")
    options = PDF_OPTIONS if path == PDF_SEED else {}
    first, second = parse_bulletin(text, **options), parse_bulletin(text, **options)
    assert first == second
    assert parse_bulletin(text.replace("\n", "\r\n"), **options) == first
    assert parse_bulletin("\ufeff" + text, **options) == first


# ---------------------------------------------------------------- what is no bulletin


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "文件是空的"),
        ("  \n\n\t \n", "文件是空的"),
        (
            "春天来了，公园里的花都开了。\n\n孩子们在草地上放风筝，老人们在树下下棋。\n\n"
            "傍晚下了一场小雨，空气格外清新。",
            "这不是一期简报：没有找到任何栏目标题",
        ),
        (
            "序号,联盟名称,批次\n1,化纤产业技术创新战略联盟,118\n2,花卉产业技术创新战略联盟,341\n",
            "CSV",
        ),
        ("➤ 重要政策动态\n\n➤ 联盟联络组及协发网动态\n", "栏目下没有任何稿件"),
    ],
    ids=["empty", "blank", "prose", "csv", "no-items"],
)
def test_what_is_not_a_bulletin_gets_a_clear_error(text, message):
    with pytest.raises(BulletinParseError, match=message):
        parse_bulletin(text)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"PK\x03\x04\x14\x00\x06\x00", "Word"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "不是文本文件"),
        (b"\xff\xfe\xfd\xfc" * 10, "无法识别文件的文字编码"),
        (b"x" * 2_000_001, "文件太大"),
        # A NUL far into a text file: refused before anything could try to store it
        # (PostgreSQL refuses NUL in text with an error, not a message).
        ("简报".encode() * 5000 + b"\x00" + "正文".encode(), "不是文本文件"),
    ],
    ids=["pdf", "docx", "png", "encoding", "size", "late-nul"],
)
def test_files_that_are_not_text_are_refused(data, message):
    with pytest.raises(BulletinParseError, match=message):
        decode_bulletin(data)


def test_text_in_gb18030_and_utf8_with_bom_is_read():
    text = MD_SEED.read_text(encoding="utf-8")
    assert decode_bulletin(text.encode("gb18030")) == text
    assert decode_bulletin(b"\xef\xbb\xbf" + text.encode("utf-8")) == text


# ---------------------------------------------------------------- masthead checks


def _md_with(old: str, new: str) -> str:
    text = MD_SEED.read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("2023年第1期（总第66期）", "2023年第0期（总第66期）", "期号第0期不可能"),
        ("2023年第1期（总第66期）", "2023年第1期（总第0期）", "总期号总第0期不可能"),
        ("2023年第1期（总第66期）", "2023年第3期（总第2期）", "总期号总第2期小于期号第3期"),
        ("2023年第1期（总第66期）", "1999年第1期（总第66期）", "卷年1999年不可能"),
        ("2023年3月20日", "2023年2月30日", "报头的印发日期「2023年2月30日」（第11行）不存在"),
        ("2023年3月20日", "2025年3月20日", "印发日期2025年3月20日与卷年2023年不符"),
        (
            "联盟试点工作联络组办公室\n",
            "联盟试点工作联络组办公室\n\n本刊编者按\n",
            "报头中有无法识别的内容",
        ),
    ],
    ids=[
        "number-0",
        "cumulative-0",
        "cumulative-below-number",
        "year",
        "no-such-date",
        "date-years-off",
        "unknown-header-line",
    ],
)
def test_impossible_masthead_is_a_problem_and_no_document(old, new, message):
    result = parse_bulletin(_md_with(old, new))
    assert result.document is None and result.masthead is None
    assert any(message in problem for problem in result.problems), result.problems
    assert len(result.items) == 25  # the rest is still read and shown


def test_chinese_numerals_in_the_issue_line():
    result = parse_bulletin(_md_with("2023年第1期（总第66期）", "2023年第一期（总第六十六期）"))
    assert result.masthead.issue_line == "2023年第1期（总第66期）"


def test_option_contradicting_the_header_is_a_problem():
    text = MD_SEED.read_text(encoding="utf-8")
    result = parse_bulletin(text, year=2022, number=1)
    assert result.document is None
    assert result.problems[0] == (
        "卷年（第几年的简报）不一致：报头印的是2023年，另行指定的是2022年（--year）。"
        "请核对，报头有的就不要另行指定。"
    )
    # An option that agrees with the header is fine.
    assert parse_bulletin(text, year=2023, number=1, cumulative=66).masthead is not None


def test_a_year_end_issue_may_be_dated_in_the_next_year():
    result = parse_bulletin(PDF_SEED.read_text(encoding="utf-8"), **PDF_OPTIONS)
    assert result.masthead.volume_year == 2022 and result.masthead.issued_on.year == 2023
    early = parse_bulletin(
        PDF_SEED.read_text(encoding="utf-8"), **{**PDF_OPTIONS, "issued_on": date(2021, 12, 1)}
    )
    assert any("与卷年2022年不符" in problem for problem in early.problems)


# ---------------------------------------------------------------- small bulletins


SMALL_MASTHEAD = {"year": 2024, "number": 1, "cumulative": 72, "issued_on": date(2024, 3, 1)}
SMALL = """➤ 试点联盟及协发网网员单位动态

甲联盟召开年会

甲产业技术创新战略联盟近日召开年会，审议通过了年度工作报告。

（甲产业技术创新战略联盟秘书处供稿）

乙联盟发布团体标准

乙产业技术创新战略联盟近日发布三项团体标准。

丙联盟开展技术交流

丙产业技术创新战略联盟近日开展技术交流。<script>alert(1)</script><img src=x onerror=alert(2)>

（丙产业技术创新战略联盟秘书处供稿）
"""


def test_an_item_without_attribution_in_an_alliance_section_is_a_problem():
    result = parse_bulletin(SMALL, **SMALL_MASTHEAD)
    assert [item.title for item in result.items] == [
        "甲联盟召开年会",
        "乙联盟发布团体标准",
        "丙联盟开展技术交流",
    ]
    assert result.problems == [
        "稿件「乙联盟发布团体标准」（第9行）没有供稿行（本栏目每篇稿件都应注明供稿单位）。"
    ]
    assert "原文没有本期导读，未做导读与正文的核对。" in result.notes


def test_bodies_are_sanitised():
    result = parse_bulletin(SMALL, **SMALL_MASTHEAD)
    body = result.items[2].body_html
    # Typed into a text file, markup is text: printed as typed, never run.
    assert html_tags(body) == {("p", ())}
    assert html_text(body) == (
        "丙产业技术创新战略联盟近日开展技术交流。<script>alert(1)</script>"
        "<img src=x onerror=alert(2)>"
    )


def test_markdown_inline_html_is_text_not_markup():
    text = SMALL.replace("➤ 试点", "## ➤ 试点").replace("甲联盟召开年会", "### 甲联盟召开年会")
    text = text.replace("乙联盟发布团体标准", "### 乙联盟发布团体标准")
    text = text.replace("丙联盟开展技术交流\n", "### 丙联盟开展技术交流\n")
    result = parse_bulletin(text, **SMALL_MASTHEAD)
    assert result.shape == "markdown"
    body = result.items[2].body_html
    assert html_tags(body) == {("p", ())}
    assert any("去掉了行内HTML标记" in note for note in result.notes)


def test_toc_lists_an_item_the_body_lacks_and_the_reverse():
    text = (
        "本期导读\n\n试点联盟及协发网网员单位动态\n\n- 甲联盟召开年会\n- 丁联盟举办论坛\n\n" + SMALL
    )
    result = parse_bulletin(text, **SMALL_MASTHEAD)
    assert "本期导读列出的「丁联盟举办论坛」（试点联盟及协发网网员单位动态）在正文中没有找到。" in (
        result.problems
    )
    assert "正文中的「丙联盟开展技术交流」（试点联盟及协发网网员单位动态）没有列入本期导读。" in (
        result.problems
    )


def test_sections_out_of_the_fixed_order_are_a_problem():
    policy = "➤ 重要政策动态\n\n国务院印发一项政策\n\n国务院近日印发一项政策。\n\n"
    result = parse_bulletin(SMALL + "\n" + policy, **SMALL_MASTHEAD)
    assert [s.title for s in result.sections] == [SECTION_ALLIANCES, SECTION_POLICY]
    assert any("排在「试点联盟及协发网网员单位动态」之后" in p for p in result.problems)


def test_an_unknown_marked_section_is_a_problem_and_its_items_are_kept():
    text = SMALL.replace("➤ 试点联盟及协发网网员单位动态", "➤ 国际合作动态")
    result = parse_bulletin(text, **SMALL_MASTHEAD)
    assert [s.title for s in result.sections] == ["国际合作动态"]
    assert len(result.items) == 3
    assert any(p.startswith("无法识别的栏目「国际合作动态」（第1行）") for p in result.problems)


def test_end_matter_names_on_one_line_and_repeated_labels():
    tail = (
        "\n报：科技部\n\n送：各试点联盟\n\n"
        "本期编辑：杨丹泽  审核：尚辉良  签发：李新男\n\n送：又一行\n"
    )
    result = parse_bulletin(SMALL + tail, **SMALL_MASTHEAD)
    end = result.end_matter
    assert (end.report_to, end.editor, end.reviewer, end.signer) == (
        "科技部",
        "杨丹泽",
        "尚辉良",
        "李新男",
    )
    assert end.send_to == "各试点联盟 又一行"
    assert any("版记中「送：」出现了两次" in p for p in result.problems)


def test_sub_headings_in_plain_text_become_h4():
    text = (
        "➤ 重要政策动态\n\n国务院印发改革方案\n\n一、深化党中央机构改革\n\n组建中央科技委员会。\n\n"
        "二、深化国务院机构改革\n\n重新组建科学技术部。\n"
    )
    (item,) = parse_bulletin(text, **SMALL_MASTHEAD).items
    assert item.title == "国务院印发改革方案"
    assert item.body_html == (
        "<h4>一、深化党中央机构改革</h4><p>组建中央科技委员会。</p>"
        "<h4>二、深化国务院机构改革</h4><p>重新组建科学技术部。</p>"
    )


def test_pdf_running_heads_and_page_numbers_inside_a_paragraph_are_removed():
    lines = PDF_SEED.read_text(encoding="utf-8").split("\n")
    assert lines[97].endswith("继续做高位")  # line 98 runs on into line 100
    inserted = ["", "- 13 -", "", "产业技术创新战略联盟试点工作简报 ", "", " "]
    text = "\n".join(lines[:98] + inserted + lines[98:])
    result = parse_bulletin(text, **PDF_OPTIONS)
    assert result.removed_lines == [
        (100, "- 13 -"),
        (102, "产业技术创新战略联盟试点工作简报"),
        (660, "12"),
    ]
    body = result.sections[0].items[3].body_html
    assert "联盟协发网将按照科技部相关工作部署，继续做高位势、做强功能" in body
    assert parse_bulletin(text, **PDF_OPTIONS).items == parse_seed(PDF_SEED).items
