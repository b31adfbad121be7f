"""The words of the pages people read (summary.md, summary.html, history.html), in
Japanese — the language of the reports and of the ward staff and journalists who read
them — and in English (``--lang en``).

Column names are the report's own words (進捗状況, 変更理由, 所管課); no internal name
(``plan_vs_result``, ``on_schedule``) reaches a page. Both languages hold the same keys
(tests/compare/test_page_words.py checks it), so a missing word is a KeyError in a test, never a
blank on a page. Templates take ``str.format`` fields.
"""

from __future__ import annotations

from collections.abc import Mapping

from pipeline.normalize.era import ERA_BASE

LANGUAGES = ("ja", "en")

_JA: dict[str, str] = {
    # a fiscal year, as the reports print it
    "year": "{era}年度",
    "year.western": "{year}年度",
    "year.axis": "{era}",
    "year.short": "{era}年度",
    "history.span.one": "{year}",
    "history.summary.span": "{first}から{last}まで",
    "format.pdf": "PDF",
    "format.text": "テキスト",
    "format.markdown": "テキスト (Markdown)",
    "format.xlsx": "Excel",
    "format.docx": "Word",
    "format.and": "・",
    "status.other": "その他",
    # diff: the page
    "diff.title": "{old}から{new}への変化",
    "diff.sources": "前の報告: {old}。新しい報告: {new}。",
    "diff.legend": "<span class=\"improved\">緑</span>: 改善・追加、"
                   "<span class=\"worsened\">赤</span>: 悪化・削除。"
                   "<mark>黄色の文字</mark>: 新しい報告で変わった部分",
    "none": "該当なし。",
    # diff: the summary list
    "diff.summary.same": "変化なし ({matched}事業、指標の値もすべて同じ)",
    "diff.summary.items": "事業: 追加{added}、削除{removed}、名称変更{renamed}、"
                          "内容の変更{changed}、変更なし{unchanged}",
    "diff.summary.status": "進捗状況: 改善{improved}、悪化{worsened}",
    "diff.summary.no_items": "事業: どちらの報告にも事業の表がありません (指標の報告)",
    "diff.summary.evaluations": "指標の評価: 改善{improved}、悪化{worsened}、新たに評価{added}、"
                                "評価なしに{removed}",
    "diff.summary.indicators": "指標: 新たに載った指標{new}件、載らなくなった指標{gone}件。"
                               "値の追加{added_values} (指標{added}件)、削除{removed_values} "
                               "(指標{removed}件)、修正{revised_values} (指標{revised}件)",
    "diff.summary.met": "{year}の実績{judged}件のうち{met}件が目標を達成",
    # diff: sections
    "counts.title": "変化の種類ごとの事業数",
    "counts.header": "変化|事業数",
    "counts.note": "両方の報告にある事業は{matched}件 (名称が変わったものを含む)。"
                   "再掲の行は、その元の行で比べています。",
    "fields.title": "変わった項目",
    "fields.header": "項目|事業数",
    "status.title": "進捗状況の推移",
    "status.note": "行: {old}の進捗状況、列: {new}の進捗状況、{missing}: その年度の報告にない事業。",
    "status.note.scale": "記号は良い順に並べています (報告の評価の順)。順位のない評価 (評価対象外) は"
                         "良くも悪くもなっていません。",
    "worsened.title": "進捗状況が悪化した事業",
    "improved.title": "進捗状況が改善した事業",
    "moved.header": "実施内容|事業内容|進捗状況|スケジュールの変更理由|取組結果",
    "added.title": "新たに載った事業",
    "added.header": "実施内容|事業内容|進捗状況|所管課",
    "removed.title": "載らなくなった事業",
    "removed.header": "実施内容|事業内容|前の進捗状況|所管課",
    "renamed.title": "名称が変わった事業",
    "renamed.header": "実施内容|事業内容 (前 → 新)",
    "renamed.note": "名称の類似度 (difflib の比率) が{threshold}以上のものを同じ事業としています。",
    "other.title": "その他の変わった項目",
    "other.header": "実施内容|事業内容|項目|前 → 新",
    "other.note": "空白や文字の幅だけの違い (NFKC) は変化としません。所管課は組み合わせで比べます。",
    "plans.title": "前年度の報告にあった{year}の取組予定と、その取組結果",
    "plans.header": "実施内容|事業内容|取組予定 (前年度の報告)|取組結果 (新しい報告)",
    "plans.note": "予定どおり実施したと読める結果 (する → した) と、(推進)・(継続) のような"
                  "一語だけの予定は載せていません。取組結果の黄色の文字が、予定と違う部分です。",
    "actuals.title": "指標: {year}の実績",
    "actuals.header": "目標|指標|実績|前年度の実績|増減|目標値|目標の達成",
    "actuals.note": "数値が大きいほど良いか小さいほど良いかは、計画の最終目標値と最初の値 (策定時"
                    "の値、なければ最初の実績) から読み取っています。目標値は同じ年度の目標、なければ"
                    "次の年度の目標 (計画の最終目標値) です。",
    "actuals.target": "{value} ({year})",
    "met": "達成",
    "not_met": "未達成",
    "evaluations.counts.title": "指標の評価の変化",
    "evaluations.counts.header": "変化|指標数",
    "evaluations.title": "評価が変わった指標",
    "evaluations.header": "施策|指標|前の評価|新しい評価|変化",
    "evaluations.note": "改善・悪化は、報告の評価の順 (凡例の順) で比べています。",
    "evaluations.legend": "評価の意味 (報告の凡例): ",
    "list.separator": "、",
    "sentence.end": "。",
    "evaluations.improved": "改善",
    "evaluations.worsened": "悪化",
    "evaluations.unranked": "変化 (順位なし)",
    "evaluations.added": "新たに評価",
    "evaluations.removed": "評価なしに",
    "indicator_values.title": "その他の指標の値 (追加・修正・削除)",
    "indicator_values.header": "目標|指標|種別|年度|変化|前 → 新",
    "indicator_values.note": "新しい表に載らなくなった年度の値は、削除として扱っていません。前の報告"
                             "の実績を前年度として同じ値で載せ直したものは変化なし、違う値なら修正です。",
    # words of the tables' values
    "change.added": "追加",
    "change.removed": "削除",
    "change.renamed": "名称変更",
    "change.changed": "内容の変更",
    "change.unchanged": "変更なし",
    "change.revised": "修正",
    "change.rolled_off": "表の年度外に",
    "kind.moved": "{old} → {new}",
    "kind.baseline": "基準値",
    "kind.previous": "前年度",
    "kind.actual": "実績",
    "kind.target": "目標",
    "field.status": "進捗状況",
    "field.business": "事業内容",
    "field.measure_id": "実施内容の番号",
    "field.starred": "☆印",
    "field.departments": "所管課",
    "field.change_reason": "スケジュールの変更理由",
    "field.result": "取組結果",
    "field.plan_next": "翌年度の取組予定",
    "field.plan_vs_result": "前年度の取組予定と取組結果",
    "field.plan_later": "以降の取組予定",
    # history: the page
    "history.title": "{place}: {span}の進捗状況",
    "history.place": "計画",
    "history.span": "{first}から{last}まで",
    "history.summary.items": "{span}、報告{reports}件、事業{items}件を追跡 "
                             "({first}より後に加わった事業{later}件、載らなくなった事業{gone}件)",
    "history.summary.changes": "前の年度からの変化: 追加{appeared}、削除{disappeared}、"
                               "名称変更{renamed}、実施内容の移動{moved}、改善{improved}、悪化{worsened}",
    "history.summary.no_items": "{span}、報告{reports}件。どの報告にも事業の表がありません (指標の報告)",
    "evaluations.history.title": "指標の評価: 年度ごと",
    "evaluations.history.header": "目標|施策|指標",
    "evaluations.history.latest": "最新の変化",
    "evaluations.history.note": "評価は報告に載ったとおりの表示で、色は評価の段階 (予定を上回る・"
                                "予定どおり・遅れ・未着手に当てはめたもの) です。空欄: その年度の"
                                "報告で評価されていない指標。最新の変化は、評価の順で前の報告と比べたものです。",
    "history.summary.late": "2年以上続けて遅れ (または未着手) の事業: {late}件",
    "history.summary.left_out": "{year}: {kept} ({format}) を使用。{left} は同じ報告のため除外",
    "reports.title": "使った報告",
    "reports.header": "年度|報告|形式|使用",
    "reports.used": "使用",
    "reports.left_out": "除外: {kept} と同じ報告",
    "reports.note": "1年度に1つの報告を使います。PDF (など公表された形式) をその文字の写しより"
                    "先に使い、除外した写しの事業と値は同じです。",
    "mix.title": "年度ごとの進捗状況",
    "mix.items": "事業数",
    "mix.year": "年度",
    "mix.aria": "年度ごと・進捗状況ごとの事業数",
    "mix.note": "各報告の評価を進捗状況に当てはめた事業数です (再掲の行は数えず、"
                "進捗状況に当てはまらない評価は描いていません)。",
    "grid.title": "事業ごと・年度ごとの進捗状況",
    "grid.header.business": "事業内容",
    "grid.header.key": "事業の番号",
    "grid.header.late": "遅れの年数",
    "grid.note": "事業は最新の実施内容ごとにまとめています。空欄: その年度の報告にない事業。"
                 "最後の列は、遅れまたは未着手だった年数です。",
    "indicators.title": "指標: 実績と目標値",
    "indicators.caption": "目標{goal}: {name}",
    "indicators.note": "実線と黒丸: 実績、破線と白丸: 目標値、灰色の丸: 後の報告で修正された値 "
                       "(線は最新の値)。",
    "indicators.earlier": "以前の値",
    "changes.title": "変化のあった事業",
    "changes.header": "年度|変化|実施内容|事業内容|前 → 新|事業の番号",
    "changes.note": "続く2つの報告の間で、pipeline diff が見つける変化: 追加、削除、名称変更、"
                    "実施内容の移動、進捗状況の改善・悪化。",
    "history.appeared": "追加",
    "history.disappeared": "削除",
    "history.renamed": "名称変更",
    "history.moved": "実施内容の移動",
    "history.improved": "改善",
    "history.worsened": "悪化",
    # canonical statuses, where a report's legend gives no word
    "status.exceeded": "予定を上回る",
    "status.on_schedule": "予定どおり",
    "status.delayed": "遅れ",
    "status.not_started": "未着手",
}

_EN: dict[str, str] = {
    "year": "{era}年度 (FY{year})",
    "year.western": "FY{year}",
    "year.axis": "{year}",
    "year.short": "FY{year}",
    "history.span.one": "in {year}",
    "history.summary.span": "{first}–{last}",
    "format.pdf": "PDF",
    "format.text": "text",
    "format.markdown": "text (Markdown)",
    "format.xlsx": "Excel",
    "format.docx": "Word",
    "format.and": " + ",
    "status.other": "other",
    "diff.title": "Changes from {old} to {new}",
    "diff.sources": "Old report: {old}. New report: {new}.",
    "diff.legend": "<span class=\"improved\">green</span>: improved or added, "
                   "<span class=\"worsened\">red</span>: worsened or removed; "
                   "<mark>yellow text</mark>: what the new report changed",
    "none": "None.",
    "diff.summary.same": "no changes ({matched} items, all indicator values the same)",
    "diff.summary.items": "items: {added} added, {removed} removed, {renamed} renamed, "
                          "{changed} changed, {unchanged} unchanged",
    "diff.summary.status": "status: {improved} improved, {worsened} worsened",
    "diff.summary.no_items": "items: neither report has a table of business items "
                             "(indicator reports)",
    "diff.summary.evaluations": "indicator evaluations: {improved} improved, {worsened} "
                                "worsened, {added} newly evaluated, {removed} no longer "
                                "evaluated",
    "diff.summary.indicators": "indicators: {new} new, {gone} no longer listed; values: "
                               "{added_values} added (in {added} indicator(s)), {removed_values} "
                               "removed (in {removed}), {revised_values} revised (in {revised})",
    "diff.summary.met": "{met} of {judged} actuals for {year} met their target",
    "counts.title": "Items by kind of change",
    "counts.header": "change|items",
    "counts.note": "{matched} items are in both reports (renamed ones included); "
                   "re-listed (再掲) rows are compared through the rows they repeat.",
    "fields.title": "Changed fields",
    "fields.header": "field|items",
    "status.title": "Status movements",
    "status.note": "Rows: the mark in {old}; columns: the mark in {new}; {missing}: not in "
                   "that report.",
    "status.note.scale": "Marks best first, as the reports' own scale ranks them; a grade "
                         "outside it (not assessed) is neither better nor worse.",
    "worsened.title": "Items that worsened",
    "improved.title": "Items that improved",
    "moved.header": "measure|business|status|reason given|result",
    "added.title": "Added items",
    "added.header": "measure|business|status|departments",
    "removed.title": "Removed items",
    "removed.header": "measure|business|last status|departments",
    "renamed.title": "Renamed items",
    "renamed.header": "measure|business (old → new)",
    "renamed.note": "Paired when the names' similarity (difflib ratio) is at least {threshold}.",
    "other.title": "Other changed fields",
    "other.header": "measure|business|field|old → new",
    "other.note": "Text that differs only in spacing or character width (NFKC) is not a "
                  "change; departments are compared as sets.",
    "plans.title": "Last year's plan for {year} beside its result",
    "plans.header": "measure|business|plan (last year's report)|result (new report)",
    "plans.note": "Left out: results that report the plan as done (する → した), and any "
                  "result for a plan of one keyword such as (推進) or (継続). Yellow text in "
                  "the result: where it differs from the plan.",
    "actuals.title": "Indicators: actuals for {year}",
    "actuals.header": "goal|indicator|actual|year before|movement|target|target met",
    "actuals.note": "Whether lower or higher is better is read from the plan: its final "
                    "target against its first figure (the baseline, else the first actual). "
                    "The target is the year's own, else the next one printed (the plan's final "
                    "target).",
    "actuals.target": "{value} by {year}",
    "met": "met",
    "not_met": "not met",
    "evaluations.counts.title": "Indicator evaluations",
    "evaluations.counts.header": "change|indicators",
    "evaluations.title": "Indicators whose evaluation changed",
    "evaluations.header": "measure|indicator|old evaluation|new evaluation|change",
    "evaluations.note": "Improved or worsened by the order of the report's own scale (its "
                        "legend's order).",
    "evaluations.legend": "What the marks mean (the report's legend): ",
    "list.separator": ", ",
    "sentence.end": ".",
    "evaluations.improved": "improved",
    "evaluations.worsened": "worsened",
    "evaluations.unranked": "changed (no rank)",
    "evaluations.added": "newly evaluated",
    "evaluations.removed": "no longer evaluated",
    "indicator_values.title": "Other indicator values added, revised or removed",
    "indicator_values.header": "goal|indicator|kind|year|change|old → new",
    "indicator_values.note": "Values of years the new table no longer shows are not listed "
                             "as removed. An actual of the old report printed again as the "
                             "previous year's is unchanged with the same figure, revised with "
                             "another.",
    "change.added": "added",
    "change.removed": "removed",
    "change.renamed": "renamed",
    "change.changed": "changed",
    "change.unchanged": "unchanged",
    "change.revised": "revised",
    "change.rolled_off": "out of the table's years",
    "kind.moved": "{old} → {new}",
    "kind.baseline": "baseline",
    "kind.previous": "previous year",
    "kind.actual": "actual",
    "kind.target": "target",
    "field.status": "status (進捗状況)",
    "field.business": "business (事業内容)",
    "field.measure_id": "measure id",
    "field.starred": "☆ mark",
    "field.departments": "departments (所管課)",
    "field.change_reason": "reason for the change (変更理由)",
    "field.result": "result (取組結果)",
    "field.plan_next": "next year's plan",
    "field.plan_vs_result": "last year's plan against the result",
    "field.plan_later": "later plans",
    "history.title": "{place}: progress {span}",
    "history.place": "Plan",
    "history.span": "from {first} to {last}",
    "history.summary.items": "{span}, {reports} report(s), {items} items followed ({later} "
                             "appeared after {first}, {gone} disappeared)",
    "history.summary.changes": "changes between consecutive years: {appeared} appeared, "
                               "{disappeared} disappeared, {renamed} reworded, {moved} moved to "
                               "another measure, {improved} status improved, {worsened} status "
                               "worsened",
    "history.summary.no_items": "{span}, {reports} report(s); none has a table of business "
                                "items (indicator reports)",
    "evaluations.history.title": "Indicator evaluations, year by year",
    "evaluations.history.header": "goal|measure|indicator",
    "evaluations.history.latest": "latest move",
    "evaluations.history.note": "Each evaluation as the report prints it, coloured by its "
                                "grade (as mapped to ahead of plan, as planned, delayed, not "
                                "started); a blank cell: not evaluated in that year's report. "
                                "The latest move compares with the report before, by the "
                                "scale's order.",
    "history.summary.late": "late (delayed or not started) two years running or more: "
                            "{late} item(s)",
    "history.summary.left_out": "{year}: {kept} ({format}) used; {left} is the same report "
                                "and is left out",
    "reports.title": "Reports",
    "reports.header": "year|report|format|used",
    "reports.used": "followed",
    "reports.left_out": "left out: the same report as {kept}",
    "reports.note": "One report per fiscal year: a PDF (or other published format) is used "
                    "before its text copy; a left-out copy has the same items and values.",
    "mix.title": "Status mix per year",
    "mix.items": "items",
    "mix.year": "year",
    "mix.aria": "Items per status and fiscal year",
    "mix.note": "Items per status, as each report's grades map to it (re-listed rows not "
                "counted; a grade without a canonical status is not drawn).",
    "grid.title": "Every item, year by year",
    "grid.header.business": "business",
    "grid.header.key": "item key",
    "grid.header.late": "years late",
    "grid.note": "Grouped by each item's latest measure; a blank cell: not in that year's "
                 "report. The last column counts the years delayed or not started.",
    "indicators.title": "Indicators: actuals against targets",
    "indicators.caption": "goal {goal}: {name}",
    "indicators.note": "Solid line and dots: actuals; dashed line and rings: targets; grey "
                       "rings: a figure a later report revised (the line shows the latest "
                       "print).",
    "indicators.earlier": "earlier print",
    "changes.title": "Items that changed",
    "changes.header": "years|change|measure|business|old → new|item key",
    "changes.note": "Between consecutive reports, as pipeline diff of that pair finds them: "
                    "appeared, disappeared, reworded, moved, status improved or worsened.",
    "history.appeared": "appeared",
    "history.disappeared": "disappeared",
    "history.renamed": "reworded",
    "history.moved": "moved to another measure",
    "history.improved": "status improved",
    "history.worsened": "status worsened",
    "status.exceeded": "ahead of plan",
    "status.on_schedule": "as planned",
    "status.delayed": "delayed",
    "status.not_started": "not started",
}

WORDS: Mapping[str, Mapping[str, str]] = {"ja": _JA, "en": _EN}

# Large numbers in little room (a chart's labels): (size, word, written so from).
NUMBER_STEPS: Mapping[str, tuple[tuple[float, str, float], ...]] = {
    "ja": ((1e8, "億", 1e8), (1e4, "万", 1e5)),
    "en": ((1e6, "M", 1e6), (1e3, "k", 1e4))}


def words(lang: str) -> Mapping[str, str]:
    """The page words of one language; a language not in LANGUAGES is a ValueError."""
    if lang not in WORDS:
        raise ValueError(f"lang must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    return WORDS[lang]


def header(lang: str, key: str) -> tuple[str, ...]:
    """A table's column names, written in one template as ``a|b|c``."""
    return tuple(words(lang)[key].split("|"))


def era_label(year: int, lang: str = "ja") -> str:
    """A fiscal year as the reports print it: 令和6年度 (and FY2024 beside it in English);
    平成 for the years before 令和."""
    for era in ("令和", "平成"):
        number = year - ERA_BASE[era]
        if number >= 1:
            return words(lang)["year"].format(era=f"{era}{'元' if number == 1 else number}",
                                              year=year)
    return words(lang)["year.western"].format(year=year)


def year_label(year: int, lang: str = "ja", form: str = "short") -> str:
    """A fiscal year in little room: 令和5年度 / FY2023 (``short``, for table cells) or
    令和5 / 2023 (``axis``, under a chart's points)."""
    for era in ("令和", "平成"):
        number = year - ERA_BASE[era]
        if number >= 1:
            era_name = f"{era}{'元' if number == 1 else number}"
            return words(lang)[f"year.{form}"].format(era=era_name, year=year)
    return words(lang)["year.western"].format(year=year)


def format_label(input_format: str | None, lang: str = "ja") -> str:
    """A report's input format (``pdf``, ``xlsx+docx``) in the page's words."""
    if not input_format:
        return ""
    table = words(lang)
    return table["format.and"].join(table.get(f"format.{part}", part)
                                    for part in input_format.split("+"))
