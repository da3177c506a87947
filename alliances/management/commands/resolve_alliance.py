from django.core.management.base import BaseCommand, CommandError

from alliances.selectors import alliance_name_suggestions, alliance_resolve


class Command(BaseCommand):
    help = "按全称、简称或别名查出对应的联盟；查不到时列出最接近的名称。"

    def add_arguments(self, parser):
        parser.add_argument("name", help="联盟名称，如“水资源联盟”或“应急装备产业技术创新战略联盟”")

    def handle(self, *args, name, **options):
        alliance = alliance_resolve(name)
        if alliance is not None:
            code = alliance.code or "未登记"
            self.stdout.write(
                f"{alliance.full_name}（简称：{alliance.short_name}；批次编号：{code}）"
            )
            return
        suggestions = alliance_name_suggestions(name)
        lines = [f"名录中没有名为“{name}”的联盟。"]
        if suggestions:
            lines.append("最接近的名称：")
            lines += [f"  {alias} → {alliance.full_name}" for alias, alliance in suggestions]
        else:
            lines.append("也没有相近的名称。")
        raise CommandError("\n".join(lines))
