"""The 平顶山年鉴 2024 parsed into its printed hierarchy (issue 2); counts from its 编辑说明 and corpus notes."""

from __future__ import annotations

from collections import Counter

from fangzhi.model import Document, Node, NodeKind


def ancestors_of(document: Document, target: Node) -> tuple[Node, ...]:
    for node, ancestors in document.walk():
        if node is target:
            return ancestors
    raise AssertionError("node not in document")


def test_volume_identity(yearbook: Document) -> None:
    assert yearbook.volume.kind == "yearbook"
    assert yearbook.volume.title == "平顶山年鉴 2024"
    assert yearbook.volume.year == 2024


def test_forty_chapters_with_bookmark_names_and_page_ranges(yearbook: Document) -> None:
    chapters = yearbook.nodes(NodeKind.CHAPTER)
    assert len(chapters) == 40
    assert [c.attributes.number for c in chapters] == list(range(1, 41))
    first, twelfth, last = chapters[0], chapters[11], chapters[-1]
    assert (first.title, first.page, first.page_end, first.line_start) == ("特载", 1, 15, 411)
    assert (twelfth.title, twelfth.page, twelfth.page_end, twelfth.line_start) == ("法治", 132, 143, 23074)
    assert (last.title, last.page, last.page_end, last.line_start, last.line_end) == ("附录", 353, 370, 61103, 65046)
    health = next(c for c in chapters if c.title == "卫生")
    assert health.attributes.printed_title == "卫生健康"


def test_sections_and_third_level(yearbook: Document) -> None:
    sections = yearbook.nodes(NodeKind.SECTION)
    levels = Counter(s.level for s in sections)
    assert levels == {2: 240, 3: 11}
    third = {s.title: ancestors_of(yearbook, s)[-1].title for s in sections if s.level == 3}
    assert third == {
        "白龟山水库": "水库管理",
        "孤石滩水库": "水库管理",
        "昭平台水库": "水库管理",
        "石漫滩水库": "水库管理",
        "燕山水库": "水库管理",
        "居民收入": "收入消费",
        "居民消费": "收入消费",
        "·平顶山日报社·": "新闻传媒",
        "·新华书店·": "新闻传媒",
        "·广播电视·": "新闻传媒",
        "·网络媒体·": "新闻传媒",
    }
    titles = [s.title for s in sections]
    assert "石龙区先进制造业开发区" in titles
    assert "南水北调配套工程运行管理" in titles
    assert "人口婚姻" in titles
    assert "综述" in titles
    assert "文化场馆" in titles and "体育设施建设" in titles
    assert "市林业局" not in titles


def test_entries_bracketed_and_profiles(yearbook: Document) -> None:
    entries = yearbook.nodes(NodeKind.ENTRY)
    assert len(entries) == 1525
    profiles = [e for e in entries if e.attributes.profile]
    assert len(profiles) == 27
    assert profiles[0].title == "曹坤利"
    wrapped = next(e for e in entries if e.line_start == 8934)
    assert wrapped.title == "党委（党组）书记抓基层党建工作述职评议会"
    first = entries[0]
    assert first.title == "区域位置"
    assert first.text.startswith("平顶山市位于河南省中南部，北纬33°08′～34°20′，东经112°14′～113°45′。")
    assert (first.page, first.line_start) == (31, 5478)


def test_articles_and_appendix_documents_with_late_titles(yearbook: Document) -> None:
    articles = [(n.title, n.line_start, n.page) for n in yearbook.nodes(NodeKind.ARTICLE)]
    assert articles == [
        ("在市委十届五次全会暨市委经济工作会议第一次全体会议上的讲话", 413, 1),
        ("平顶山市学习贯彻习近平新时代中国特色社会主义思想主题教育工作纪实", 2149, 13),
        ("第一届中国尼龙产业发展大会综述", 2562, 16),
        ("平顶山白龟湖科创新城建设的探索与实践", 3050, 18),
    ]
    appendix = [(n.title, n.line_start) for n in yearbook.nodes(NodeKind.APPENDIX)]
    assert appendix == [
        ("政府工作报告", 61103),
        ("2023年平顶山市国民经济和社会发展统计公报", 63000),
        ("平顶山市汝瓷文化保护条例", 64367),
    ]
    regulation = yearbook.nodes(NodeKind.APPENDIX)[2]
    assert regulation.text.startswith("第一条为了加强对汝瓷文化的保护")
    assert "平顶山市汝瓷文化保护条例" not in regulation.text


def test_chronicle_items(yearbook: Document) -> None:
    months = yearbook.nodes(NodeKind.MONTH)
    assert len(months) == 12
    assert len(yearbook.nodes(NodeKind.EVENT)) == 193


def test_contributors_from_attribution_blocks(yearbook: Document) -> None:
    entries = yearbook.nodes(NodeKind.ENTRY)
    by_line = {e.line_start: e for e in entries}
    assert by_line[5478].attributes.contributors == ["年鉴编辑部"]
    assert by_line[13297].attributes.contributors == ["王蕾", "朱晓辉"]
    assert by_line[9184].attributes.contributors == ["程昭玥", "邢成", "樊翔宇", "杨明明"]
    spaced = [e for e in entries if e.attributes.attribution_line == 49724]
    assert spaced[0].attributes.contributors == ["杨晓霜", "张云霞", "王珂", "姜鹏乐", "李佳"]
    bracketed = [e for e in entries if not e.attributes.profile]
    assert all(e.attributes.contributors for e in bracketed)
    block_sizes = Counter(e.attributes.attribution_line for e in bracketed)
    assert max(block_sizes.values()) == 26


def test_captions_leave_the_text_and_keep_their_credit(yearbook: Document) -> None:
    entries = {e.line_start: e for e in yearbook.nodes(NodeKind.ENTRY)}
    captions = yearbook.nodes(NodeKind.CAPTION)
    wheat = next(c for c in captions if c.line_start == 33374)
    assert wheat.text == "5月18日，平顶山市第五届小麦新品种展示观摩会在宝丰县举办"
    assert wheat.attributes.credit == "市农业农村局 供图"
    entry = next(e for e in entries.values() if e.line_start < 33374 <= e.line_end)
    assert "香菇2001公顷），总产量达169.3万吨" in entry.text
    assert "观摩会" not in entry.text
    assert len([c for c in captions if c.page is not None]) == 133  # one per body credit: 123 供图 + 10 摄
    wrapped = next(c for c in captions if c.line_start == 12132)
    assert wrapped.text == "7月16-20日，全国“中华魂”（中华好家风）主题教育活动总结大会暨夏令营开营仪式在北京举行"
    assert wrapped.line_end == 12134
    glued = next(e for e in entries.values() if e.line_start == 32581)
    assert glued.title == "招商引资"
    assert "供图" not in glued.text


def test_seven_tables_rebuilt_as_rows(yearbook: Document) -> None:
    tables = yearbook.nodes(NodeKind.TABLE)
    assert len(tables) == 7
    shapes = [(t.title[:3], len(t.attributes.columns), len(t.attributes.rows), t.page) for t in tables]
    assert shapes == [
        ("平顶山", 3, 22, 272),
        ("表1 ", 2, 15, 362),
        ("表2 ", 4, 14, 363),
        ("表3 ", 2, 19, 364),
        ("表4 ", 4, 10, 364),
        ("表5 ", 4, 21, 365),
        ("表6 ", 3, 7, 365),
    ]
    gazelles = tables[0]
    assert gazelles.attributes.columns == ["序号", "企业名称", "县区"]
    assert gazelles.attributes.rows[0] == ["1", "天瑞集团信息科技有限公司", "汝州市"]
    deposits = tables[-1]
    assert deposits.attributes.columns == ["指标名称", "年末余额（亿元）", "比上年末增长（%）"]
    assert deposits.attributes.rows[0] == ["各项存款余额", "4362.73", "7.6"]


def test_editorial_notes_title_printed_after_text(yearbook: Document) -> None:
    notes = yearbook.nodes(NodeKind.EDITORIAL_NOTES)
    assert len(notes) == 1
    assert notes[0].title == "编辑说明"
    assert "编辑说明" not in notes[0].text.splitlines()[-1]


def test_profiles_keep_their_last_lines_and_their_award(yearbook: Document) -> None:
    """A profile's wrapped lines that look like headings (…“大国工匠”“第) stay in the profile; the award heading
    above a group of profiles is kept on each of them."""
    profiles = [node for node in yearbook.nodes(NodeKind.ENTRY) if node.attributes.profile]
    worker = next(node for node in profiles if node.title == "张工厂")
    assert (worker.line_start, worker.line_end) == (60233, 60271)
    assert worker.text.endswith("2023年荣获全国能源化学地质系统“大国工匠”“第七届中原大工匠”“全国五一劳动奖章”。")
    awards = [node.attributes.award for node in profiles]
    assert awards == ["“全国五一劳动奖章”"] * 3 + ["河南省“五一劳动奖章”"] * 24
    chapter = next(node for node in yearbook.nodes(NodeKind.CHAPTER) if node.title == "荣誉")
    assert [child.kind for child in chapter.children].count(NodeKind.PARAGRAPH) == 0
