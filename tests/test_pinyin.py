"""The order of a printed index: pinyin of each character in turn, polyphones and surnames read right."""

from __future__ import annotations

from fangzhi.text.pinyin import initial_of, pinyin_of, readings, sort_key


def test_polyphones_are_read_in_their_word() -> None:
    assert pinyin_of("重点项目") == "zhòng diǎn xiàng mù"
    assert pinyin_of("重庆") == "chóng qìng"
    assert pinyin_of("银行") == "yín háng"
    assert pinyin_of("自行车") == "zì xíng chē"


def test_surnames_are_read_from_the_surname_table() -> None:
    assert readings("单位") == ["dan1", "wei4"]
    assert readings("单雄信", personal_name=True) == ["shan4", "xiong2", "xin4"]
    assert pinyin_of("曾国藩", personal_name=True) == "zēng guó fān"
    assert pinyin_of("曾经") == "céng jīng"


def test_characters_sort_by_syllable_then_tone_then_together() -> None:
    # 主 zhǔ before 住 zhù; every 住… before any 助… although 助力 (lì) < 住宿 (sù) by letters.
    headings = ["助力青年就业", "住宿餐饮行业品牌", "主题宣传", "住房条件改善", "助学、助困关爱"]
    assert sorted(headings, key=sort_key) == [
        "主题宣传",
        "住房条件改善",
        "住宿餐饮行业品牌",
        "助力青年就业",
        "助学、助困关爱",
    ]


def test_a_separator_sorts_before_any_character_and_quotes_are_not_read() -> None:
    assert sort_key("重点项目、重点工作推进会") < sort_key("重点项目建设")
    assert sort_key("“助企纾困”服务") == sort_key("助企纾困服务")
    assert sort_key("助企惠民") < sort_key("“助企纾困”服务")
    assert sort_key("《紫枝玫瑰》") == sort_key("紫枝玫瑰")


def test_headings_are_filed_under_the_initial_of_their_first_syllable() -> None:
    assert initial_of(sort_key("“助企纾困”服务")) == "Z"
    assert initial_of(sort_key("安全生产")) == "A"
    assert initial_of(sort_key("5G+智慧煤矿")) == "#"
    assert initial_of(sort_key("A级旅游景区复核")) == "A"
