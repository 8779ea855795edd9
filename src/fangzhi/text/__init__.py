"""Text layer: decoding source files, raw lines, and derived normalised text."""

from fangzhi.text.normalize import fold_for_search, join_lines, squeeze_spaces
from fangzhi.text.source import SourceText, decode_source, read_source

__all__ = ["SourceText", "decode_source", "read_source", "fold_for_search", "join_lines", "squeeze_spaces"]
