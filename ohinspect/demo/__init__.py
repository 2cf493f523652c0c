"""The demo store: a fictional but realistic set of records for 合水县 (Heshui county, 庆阳市,
Gansu — the county of seed 002) and its neighbours. Deterministic: the same ids and content
every time, so ``init --demo`` run twice changes nothing. Later issues add their records here.
"""

from __future__ import annotations

from ohinspect.progress import Reporter
from ohinspect.services.enterprise_import import import_enterprises
from ohinspect.store.changes import OpResult
from ohinspect.store.database import Store

DEMO_USER = "演示检查员"


def build_demo(store: Store, reporter: Reporter | None = None) -> OpResult:
    from ohinspect.demo.audits import build_demo_audits
    from ohinspect.demo.enterprises import demo_enterprises
    from ohinspect.demo.institutions import build_demo_institutions
    from ohinspect.demo.projects import build_demo_projects
    from ohinspect.demo.sampling import build_demo_sampling

    actor = store.actor(DEMO_USER)
    enterprises = import_enterprises(store, actor, demo_enterprises(), reporter)
    projects = build_demo_projects(store, actor)  # roster, numbers, projects, verifications
    institutions = build_demo_institutions(store, actor)  # staff, instruments, a notice
    audits = build_demo_audits(store, actor)  # workplace and institution audits, their findings
    sampling = build_demo_sampling(store, actor)  # field records, custody, lab results
    from ohinspect.demo.rectification import build_demo_rectification
    rectification = build_demo_rectification(store, actor)  # items in every state, due dates
    return OpResult(enterprises.changes | projects.changes | institutions.changes
                    | audits.changes | sampling.changes | rectification.changes,
                    enterprises.record_id)
