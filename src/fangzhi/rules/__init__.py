"""The grammar of rules and promises in official documents.

Plans say when something happens and how much of it is owed in a small
language of their own: comparisons (``>200``, ``不低于``, ``以上``), durations
(``持续48小时以上``, ``持续3天及以上``), conjunctions (``或``, ``且``), levels
(黄色/橙色/红色 预警, Ⅲ/Ⅱ/Ⅰ 级响应), rates (``每年每公里5000元``), ratios
(``2：2：6``) and deadlines (``到2025年年底``).  This package reads that
language; it knows no plan's numbers.  Extractors (:mod:`fangzhi.extract.rules`,
:mod:`fangzhi.extract.targets`) apply it to documents, services evaluate what
it read (:mod:`fangzhi.services.alert`, :mod:`fangzhi.services.funding`).
"""
