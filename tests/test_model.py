"""The document model: every node kind has its attribute type, and what a node stores of it."""

from __future__ import annotations

import pytest

from fangzhi.model import (
    ChronicleAttributes,
    DocumentAttributes,
    EventAttributes,
    Node,
    NodeAttributes,
    NodeKind,
    ParagraphAttributes,
    ParseWarning,
)
from fangzhi.model.attributes import ATTRIBUTE_TYPES


def test_every_node_kind_has_an_attribute_type() -> None:
    kinds = {value for name, value in vars(NodeKind).items() if name.isupper()}
    assert set(ATTRIBUTE_TYPES) == kinds


def test_a_node_without_attributes_gets_its_kinds_type_empty() -> None:
    paragraph = Node(kind=NodeKind.PARAGRAPH, title=None, line_start=3, line_end=4)
    assert paragraph.attributes == ParagraphAttributes()
    assert paragraph.attributes.to_dict() == {}
    assert Node(kind=NodeKind.LIST_ITEM, title="甲", line_start=5, line_end=5).attributes == NodeAttributes()


def test_a_node_refuses_another_kinds_attributes() -> None:
    with pytest.raises(TypeError, match="event nodes take EventAttributes, not DocumentAttributes"):
        Node(kind=NodeKind.EVENT, title=None, line_start=1, line_end=1, attributes=DocumentAttributes())
    with pytest.raises(ValueError, match="unknown node kind 'chapitre'"):
        Node(kind="chapitre", title=None, line_start=1, line_end=1)


def test_a_reader_names_the_type_it_expects() -> None:
    event = Node(kind=NodeKind.EVENT, title=None, line_start=1, line_end=1, attributes=EventAttributes(date="2023-05"))
    assert EventAttributes.of(event).date == "2023-05"
    with pytest.raises(TypeError, match="the event node at line 1 has EventAttributes, not DocumentAttributes"):
        DocumentAttributes.of(event)
    assert DocumentAttributes.of_any(event) == DocumentAttributes()


def test_fields_set_only_when_the_text_gives_them_are_stored_only_then() -> None:
    known = EventAttributes(date="1986-05-16", date_as_printed="16日", warnings=[ParseWarning("w", "m", 7)])
    assert known.to_dict() == {
        "date": "1986-05-16",
        "date_end": None,
        "date_as_printed": "16日",
        "precision": "day",
        "warnings": [{"code": "w", "message": "m", "line": 7}],
    }
    unknown = EventAttributes(date_as_printed="5月16日", year_unknown=True, month_day="05-16")
    assert unknown.to_dict()["year_unknown"] is True
    assert unknown.to_dict()["month_day"] == "05-16"
    assert ChronicleAttributes(year=1986, layout="wrapped", years=[1985, 1986]).to_dict() == {
        "year": 1986,
        "layout": "wrapped",
        "warnings": [],
        "years": [1985, 1986],
    }
