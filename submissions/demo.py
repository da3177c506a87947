"""Demo submissions for ``make run``: a few pending items from the demo secretariats
(texts from the seed bulletins), some answering the open call. Idempotent."""

from accounts.models import User
from alliances.selectors import alliance_resolve
from core.demo import demo_loader

from .models import Submission
from .selectors import open_calls
from .services import DraftInput, draft_save
from .workflow import submission_transition

DEMO_SUBMISSIONS = [
    (
        "huaxian",
        "化纤联盟",
        "化纤联盟协办中国纺织科技成果对接峰会",
        [
            "中国纺织科技成果对接峰会暨第九届“中国十大纺织科技”发布会日前在晋江市举办。会议由"
            "化纤联盟理事长单位中国纺织科学研究院有限公司、泉州市发展和改革委员会、泉州市科学技术局、"
            "泉州市工业和信息化局主办，化纤产业技术创新战略联盟协办。本次会议以“数字引擎 智慧未来”"
            "为主题，采用线下与线上直播相结合的方式举办，共吸引了近3000人。",
            "近年来“中国纺织科技成果对接峰会暨中国十大纺织科技”活动累计评选发布了200余项年度行业"
            "重大创新科技成果，促成30余项科技项目现场签约，共吸引了1000余家科技型企业、高校与科研"
            "院所深度参与。",
        ],
        True,
    ),
    (
        "huaxian",
        "化纤联盟",
        "化纤联盟与TD联盟共同探索5G在纺织产业中的应用",
        [
            "化纤产业技术创新战略联盟与TD产业技术创新战略联盟在前期多次沟通的情况下，积极探索5G在"
            "纺织产业上的应用技术方案，落实山东、福建、湖北等4家纺织企业作为合作伙伴，并与浙江国自"
            "机器人技术股份有限公司就纺织产业数字化技术进行了交流。",
            "双方将通过5G技术的应用，增加系统运行效率和可靠性及多设备协同，制定纺织+5G技术标准。",
        ],
        False,
    ),
    (
        "fenmo",
        "粉末冶金联盟",
        "粉末冶金联盟发布7项团体标准",
        [
            "粉末冶金产业技术创新战略联盟发布《增材制造金属制件热等静压处理规程》《外科植入物用3D"
            "打印TC4粉末》《铁基粉末冶金零件用渗铜粉》《钼铌合金棒材》等7项团体标准。",
            "联盟专家组评审认为，粉末冶金联盟这批团体标准的发布实施进一步支撑了粉末冶金领域的标准"
            "制定，充分发挥了团体标准引导行业健康发展，激发创新活力的积极作用。",
        ],
        True,
    ),
    (
        "fenmo",
        "粉末冶金联盟",
        "粉末冶金联盟启动“粉末冶金大数据平台”二期项目",
        [
            "粉末冶金产业技术创新战略联盟近日举办“粉末冶金大数据平台”二期项目启动会。平台致力于"
            "构建一个以汇集和加工国内外粉末冶金材料领域海量数据为主要建设内容，以深度数据分析和智能"
            "获取知识为主要技术手段，以搜索、利用和辅助创新为主要服务内容的新材料专业知识服务系统。",
            "平台将为粉末冶金材料领域思想库提供基础信息和知识服务保障，为各材料研究、生产、应用组织"
            "提供数据支撑与信息知识服务。",
        ],
        False,
    ),
]


@demo_loader
def load_demo_submissions():
    """The demo submissions, submitted; those that answer a call answer the open call that
    ``bulletins.demo`` opened for the issue after the archive (none when it did not)."""
    call = open_calls().last()
    for username, alliance_name, title, paragraphs, answers_call in DEMO_SUBMISSIONS:
        user = User.objects.filter(username=username).first()
        alliance = alliance_resolve(alliance_name)
        if user is None or alliance is None:
            continue
        if Submission.objects.filter(alliance=alliance, title=title).exists():
            continue
        submission, _ = draft_save(
            actor=user,
            alliance=alliance,
            data=DraftInput(
                title=title,
                body_html="".join(f"<p>{p}</p>" for p in paragraphs),
                contact_name=user.full_name.split()[-1],
                contact_phone="010-6877 1234",
                call_id=call.pk if (answers_call and call) else None,
            ),
        )
        submission_transition(submission_id=submission.pk, action="submit", actor=user)
