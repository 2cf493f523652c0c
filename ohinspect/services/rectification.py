"""Rectification items (整改项) from every source, tracked to closure (销号): the public API.

Sources (三同时 findings ``inspection``, audit findings ``audit``, sampling exceedances
``sampling``) open items with :func:`open_item_in` inside their own unit of work
(:mod:`~ohinspect.services.rectification_core`). Items move by the state machine of
``resources/rules/rectification.yaml`` (:mod:`~ohinspect.services.rectification_rules`)
through the transitions of :mod:`~ohinspect.services.rectification_actions`; sampling
exceedances and re-tests: :mod:`~ohinspect.services.rectification_sampling`; lists and rates:
:mod:`~ohinspect.services.rectification_queries`. Every transition writes the item and a
``RectificationEvent`` (who, when, why, evidence, re-test) in ONE unit of work.

Seed 002: 问题清单, 整改到位率 100 %, 回头看, 销号; 《职业病防治法》第七十一条 and
《工作场所职业卫生管理规定》(国家卫生健康委员会令第5号, 2020): 责令限期改正, 复查.
"""

from __future__ import annotations

from ohinspect.services.rectification_actions import (EvidenceFile, confirm_look_back, escalate,
                                                      reopen, review, submit_correction,
                                                      transition_in)
from ohinspect.services.rectification_core import (item_events, open_item_in, open_items_for,
                                                   write_event)
from ohinspect.services.rectification_sampling import open_exceedances_in, record_retest

__all__ = ["EvidenceFile", "confirm_look_back", "escalate", "item_events", "open_exceedances_in",
           "open_item_in", "open_items_for", "record_retest", "reopen", "review",
           "submit_correction", "transition_in", "write_event"]
