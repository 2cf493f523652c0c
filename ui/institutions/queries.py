"""What the institution panel shows, read in one go off the GUI thread. Nothing here imports Qt."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from ohinspect.services.blind_samples import BlindSampleInput, list_blind_samples
from ohinspect.services.certificates import CertificateInput, CertificateRow, list_certificates
from ohinspect.services.institutions import StaffInput, list_staff
from ohinspect.services.instruments import InstrumentInput, is_overdue, list_instruments


@dataclass(frozen=True)
class InstrumentLine:
    id: str
    data: InstrumentInput
    status: str
    overdue: bool


@dataclass(frozen=True)
class BlindLine:
    id: str
    data: BlindSampleInput
    z: float
    verdict: str


@dataclass(frozen=True)
class PanelData:
    staff: list[tuple[str, StaffInput]]
    certificates: list[tuple[CertificateRow, CertificateInput]]
    instruments: list[InstrumentLine]
    blind: list[BlindLine]


def load_panel(session: Session, enterprise_id: str, inspection_id: str | None,
               today: date) -> PanelData:
    certs = list_certificates(session, enterprise_id, today)
    return PanelData(
        staff=[(s.id, StaffInput.from_record(s)) for s in list_staff(session, enterprise_id)],
        certificates=[(r, CertificateInput(r.kind, r.number, r.expires_on, r.issued_on,
                                           r.staff_member_id)) for r in certs],
        instruments=[InstrumentLine(i.id, InstrumentInput.from_record(i), i.status,
                                    is_overdue(i, today))
                     for i in list_instruments(session, enterprise_id)],
        blind=[BlindLine(b.id, BlindSampleInput.from_record(b), b.z_score, b.verdict)
               for b in list_blind_samples(session, enterprise_id, inspection_id)])
