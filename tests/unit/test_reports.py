"""现场检查笔录 and 卫生监督意见书 as PDF: the font is embedded, the text survives extraction
(party, findings, numbers, units), long records with many photos render, unsigned inspections
are refused, a failed render leaves no file.

The store is built directly through the ORM and a unit of work (``build_signed_inspection``),
not through the inspection services, so these tests stand on their own. The benchmark
(benchmarks/bench_reports.py) and the CLI test use the same helper.
"""

from __future__ import annotations

import hashlib
import io
import re
import subprocess
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from pypdf import PdfReader

from ohinspect.errors import NotFoundError, OHInspectError
from ohinspect.i18n import set_language
from ohinspect.store.database import Store
from ohinspect.store.models import (
    Attachment,
    Enterprise,
    Inspection,
    InspectionAnswer,
    Project,
    RectificationItem,
    Signature,
)
from ohinspect.store.uow import UnitOfWork

PARTY = "合水县宏达水泥有限责任公司"
RECORD_NO = "合卫职查〔2026〕0007号"
OPINION_NO = "合卫职意〔2026〕0003号"
STARTED = datetime(2026, 3, 2, 1, 30, tzinfo=timezone.utc)
SIGNED = STARTED + timedelta(hours=2, minutes=15)
DEADLINE = date(2026, 3, 16)

SECTIONS = [("职业病防护设施", "Protective facilities"), ("职业病危害因素检测", "Hazard monitoring"),
            ("个体防护用品", "Personal protective equipment"), ("职业健康监护", "Health surveillance"),
            ("警示标识与告知", "Warning signs and notices")]
#: notes with the characters a document must not lose
NOTES = ["粉磨车间呼尘浓度 3.2 mg/m³，超过 PC-TWA 限值", "烘干窑旁工作地点 WBGT 34 ℃",
         "磨机旁噪声 92 dB(A)，未设隔声间", "除尘器运行记录不全"]


def _png_signature(seed: int) -> bytes:
    """A drawn signature: strokes on a transparent background."""
    img = Image.new("RGBA", (600, 200), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    pts = [(30 + i * 45, 100 + ((i * 37 + seed * 11) % 70) - 35) for i in range(12)]
    d.line(pts, fill=(10, 10, 60, 255), width=7, joint="curve")
    d.line([(60, 160), (520, 140 + seed % 20)], fill=(10, 10, 60, 255), width=5)
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def _jpeg_photo(n: int, size: tuple[int, int] = (1600, 1200)) -> bytes:
    img = Image.new("RGB", size, (90 + n * 5 % 120, 110, 140))
    d = ImageDraw.Draw(img)
    w, h = size
    for k in range(0, w, 80):
        d.line([(k, 0), (k + h // 2, h)], fill=(200, 190 - n % 50, 150), width=9)
    d.rectangle([w // 4, h // 4, w * 3 // 4, h * 3 // 4], outline=(250, 250, 250), width=14)
    d.text((w // 4 + 30, h // 4 + 30), f"PHOTO {n}", fill=(255, 255, 255))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=88)
    return buf.getvalue()


def _put_file(store: Store, data: bytes) -> str:
    sha = hashlib.sha256(data).hexdigest()
    path = store.attachments_dir / sha[:2] / sha
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return sha


def _attach(uow: UnitOfWork, owner_type: str, owner_id: str, data: bytes, kind: str,
            media_type: str, caption: str = "", taken_at: datetime | None = None) -> str:
    sha = _put_file(uow.store, data)
    uow.record(Attachment(owner_type=owner_type, owner_id=owner_id, sha256=sha, kind=kind,
                          media_type=media_type, size=len(data), caption=caption,
                          taken_at=taken_at), "attachment.add")
    return sha


def snapshot(n_items: int) -> dict[str, object]:
    """A checklist snapshot as the checklist engine stores it (plain JSON data)."""
    items = []
    for i in range(n_items):
        zh, en = SECTIONS[i * len(SECTIONS) // n_items]
        items.append({
            "id": f"acc.{i + 1:03d}", "section_zh": zh, "section_en": en,
            "text_zh": f"第{i + 1}项：职业病防护设施是否与主体工程同时投入使用并正常运行，"
                       f"运行维护记录是否完整",
            "text_en": f"Item {i + 1}: protective facilities in use with the main works",
            "legal_basis": "《中华人民共和国职业病防治法》第十八条", "answer_type": "conform3",
            "photo": "on_finding", "condition": {}, "requirement_zh": "完善防护设施",
            "requirement_en": "Complete the facilities", "deadline_days": 14,
        })
    return {
        "id": "ts.acceptance", "version": 1, "kind": "three_simultaneities", "stage": "acceptance",
        "title_zh": "建设项目职业病防护设施竣工验收核查表",
        "title_en": "Completion acceptance checklist", "source": "test",
        "answer_types": {"conform3": {"id": "conform3", "options": [
            {"code": "conform", "label_zh": "符合", "label_en": "Conforms", "finding": False},
            {"code": "not_conform", "label_zh": "不符合", "label_en": "Does not conform",
             "finding": True},
            {"code": "not_applicable", "label_zh": "不适用", "label_en": "N/A", "finding": False},
        ]}},
        "items": items,
    }


@dataclass
class Built:
    inspection_id: str
    findings: list[str] = field(default_factory=list)
    photos: int = 0


def build_signed_inspection(store: Store, *, n_items: int = 12, n_photos: int = 3,
                            finding_every: int = 4, party_refused: bool = False,
                            locked: bool = True, with_numbers: bool = True,
                            photo_size: tuple[int, int] = (1600, 1200)) -> Built:
    """An enterprise, a project and a 三同时 acceptance inspection with answers, findings,
    signatures (images) and photos — signed and locked unless ``locked=False``."""
    actor = store.actor("测试检查员")
    built = Built("")
    with store.unit_of_work(actor) as uow:
        ent = Enterprise(name=PARTY, uscc="91621024MA71XXXX0A", division_code="621024",
                         address="甘肃省庆阳市合水县西华池镇工业园区8号", legal_representative="王建国",
                         contact_person="李明", contact_phone="0934-5512345")
        uow.record(ent, "enterprise.create")
        project = Project(enterprise_id=ent.id, name="年产60万吨水泥粉磨站技术改造项目",
                          location="合水县西华池镇工业园区", division_code="621024",
                          risk_class="severe", nature="technical")
        uow.record(project, "project.create")
        ins = Inspection(
            kind="three_simultaneities", enterprise_id=ent.id, project_id=project.id,
            stage="acceptance", template_id="ts.acceptance", template_version=1,
            template_snapshot=snapshot(n_items), started_at=STARTED,
            place="合水县西华池镇工业园区8号 粉磨车间、包装车间", authority="合水县卫生健康局",
            inspectors=[{"name": "张卫东", "id_no": "62102400123"},
                        {"name": "刘晓燕", "id_no": "62102400456"}],
            recorder="刘晓燕", party_name=PARTY, party_representative="赵安全",
            party_title="安全环保部部长", summary="")
        uow.record(ins, "inspection.start")
        built.inspection_id = ins.id
        answers = []
        for i in range(n_items):
            bad = finding_every and i % finding_every == finding_every - 1
            note = NOTES[(i // max(finding_every, 1)) % len(NOTES)] if bad else (
                "现场查看运行正常" if i % 3 == 0 else "")
            ans = InspectionAnswer(inspection_id=ins.id, item_id=f"acc.{i + 1:03d}",
                                   answer="not_conform" if bad else "conform", note=note,
                                   answered_at=STARTED + timedelta(minutes=i))
            uow.record(ans, "inspection.answer")
            answers.append(ans)
            if bad:
                text = f"第{i + 1}项不符合：{note}"
                uow.record(RectificationItem(
                    enterprise_id=ent.id, source_type="inspection", source_id=ins.id,
                    item_id=ans.item_id, finding=text,
                    legal_basis="《中华人民共和国职业病防治法》第十八条、《工作场所有害因素职业接触限值"
                                "第1部分：化学有害因素》GBZ 2.1-2019",
                    requirement="完善职业病防护设施，确保正常运行并做好维护记录", deadline=DEADLINE),
                    "rectification.open")
                built.findings.append(text)
        for n in range(n_photos):
            ans = answers[n % len(answers)]
            _attach(uow, "inspection_answer", ans.id, _jpeg_photo(n, photo_size), "photo",
                    "image/jpeg", caption=f"现场照片说明 {n + 1}",
                    taken_at=STARTED + timedelta(minutes=n))
        built.photos = n_photos
        sigs = [("party", "赵安全", ""), ("inspector", "张卫东", "62102400123"),
                ("inspector", "刘晓燕", "62102400456"), ("recorder", "刘晓燕", "")]
        for k, (role, name, id_no) in enumerate(sigs):
            sig = Signature(inspection_id=ins.id, role=role, signer_name=name, signer_id_no=id_no,
                            signed_at=SIGNED)
            if role == "party" and party_refused:
                sig.refused, sig.witness_name = True, "陈见证"
            uow.record(sig, "signature.add")
            if not sig.refused:
                sig.image_sha256 = _attach(uow, "signature", sig.id, _png_signature(k),
                                           "signature", "image/png")
        if party_refused:
            w = Signature(inspection_id=ins.id, role="witness", signer_name="陈见证",
                          signed_at=SIGNED)
            uow.record(w, "signature.add")
            w.image_sha256 = _attach(uow, "signature", w.id, _png_signature(9), "signature",
                                     "image/png")
        uow.session.flush()
        with uow.session.no_autoflush:  # one UPDATE: a second one after locking is refused
            if with_numbers:
                ins.record_number = RECORD_NO
                ins.opinion_number = OPINION_NO if built.findings else ""
            if locked:
                ins.locked_at, ins.status = SIGNED, "signed"
            uow.record(ins, "inspection.sign")
        uow.commit()
    return built


# --- helpers ------------------------------------------------------------------------------------

def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


def flat(text: str) -> str:
    """Extracted text without line breaks and spaces (wrapped lines join up again)."""
    return re.sub(r"\s+", "", text)


def _face_name() -> str:
    """The PostScript name of the registered CJK face (what the PDF calls the font)."""
    from reportlab.pdfbase import pdfmetrics

    from ohinspect.reports.fonts import register_cjk_font

    return pdfmetrics.getFont(register_cjk_font()).face.name.decode()


def _face_names() -> set[str]:
    """The CJK face and the symbol fallback (for the glyphs the CJK face draws empty, e.g. ℃)."""
    from reportlab.pdfbase import pdfmetrics

    from ohinspect.reports import fonts

    names = {_face_name()}
    if fonts._fallback:
        names.add(pdfmetrics.getFont(fonts.FALLBACK_FONT).face.name.decode())
    return names


def fonts_of(path: Path) -> list[dict[str, str]]:
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = []
    for line in out.splitlines()[2:]:
        parts = line.split()
        # name type(1-2 words) encoding emb sub uni object ID
        rows.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4], "uni": parts[-3]})
    return rows


# --- tests --------------------------------------------------------------------------------------

def test_record_has_an_embedded_font_and_the_facts(store: Store, tmp_path: Path) -> None:
    from ohinspect.reports import render_inspection_record

    built = build_signed_inspection(store)
    out = render_inspection_record(store, built.inspection_id, tmp_path / "record.pdf")
    assert out == tmp_path / "record.pdf" and out.stat().st_size > 0
    fonts = fonts_of(out)
    assert fonts and all(f["emb"] == "yes" and f["uni"] == "yes" for f in fonts), fonts
    assert any(_face_name() in f["name"] for f in fonts), fonts
    assert all(any(face in f["name"] for face in _face_names()) for f in fonts), fonts
    text = flat(pdf_text(out))
    for expected in (PARTY, RECORD_NO, "现场检查笔录", "合水县卫生健康局", "62102400123",
                     "62102400456", "王建国", "0934-5512345", "第1页共", "不符合", "符合",
                     "职业病防护设施"):
        assert flat(expected) in text, expected
    for finding in built.findings:
        assert flat(finding) in text, finding
    # units and the document-number brackets survive extraction
    for needle in ("mg/m³", "34℃", "92dB(A)", "〔2026〕"):
        assert needle in text, needle
    assert not list(tmp_path.glob("*.partial"))


def test_font_dictionary_embeds_a_font_file(store: Store, tmp_path: Path) -> None:
    from ohinspect.reports import render_inspection_record

    built = build_signed_inspection(store, n_photos=0)
    out = render_inspection_record(store, built.inspection_id, tmp_path / "r.pdf")
    embedded = set()
    for page in PdfReader(str(out)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert descriptor is not None, font  # a base-14 font (not embedded) would have none
            descriptor = descriptor.get_object()
            if any(k in descriptor for k in ("/FontFile2", "/FontFile", "/FontFile3")):
                embedded.add(font["/BaseFont"])
    assert any(_face_name() in name for name in embedded), embedded
    assert all(any(face in name for face in _face_names()) for name in embedded), embedded


def test_opinion_lists_findings_basis_and_deadline(store: Store, tmp_path: Path) -> None:
    from ohinspect.reports import render_supervision_opinion

    built = build_signed_inspection(store)
    out = render_supervision_opinion(store, built.inspection_id, tmp_path / "opinion.pdf")
    text = flat(pdf_text(out))
    for expected in (OPINION_NO, "卫生监督意见书", PARTY, "王建国", "0934-5512345",
                     "甘肃省庆阳市合水县西华池镇工业园区8号", "《中华人民共和国职业病防治法》第十八条",
                     "限于2026年03月16日前改正", "当事人签收", "卫生行政机关（盖章）",
                     "本文书一式两份，一份交当事人，一份存档", RECORD_NO, "mg/m³"):
        assert flat(expected) in text, expected
    for finding in built.findings:
        assert flat(finding) in text, finding
    assert all(f["emb"] == "yes" for f in fonts_of(out))


def test_the_seal_never_stands_on_a_page_without_text(store: Store, tmp_path: Path) -> None:
    """The receipt, the seal box and "一式两份" share a page with the last finding and the
    closing sentence, and the opinion takes no more pages than it needs."""
    from ohinspect.reports import render_supervision_opinion

    built = build_signed_inspection(store, n_items=24, n_photos=0)
    assert len(built.findings) == 6
    reader = PdfReader(str(render_supervision_opinion(store, built.inspection_id,
                                                      tmp_path / "o.pdf")))
    assert len(reader.pages) == 2
    last = flat(reader.pages[-1].extract_text())
    for expected in (built.findings[-1], "请你单位按照上述意见限期改正", "当事人签收",
                     "卫生行政机关（盖章）", "本文书一式两份"):
        assert flat(expected) in last, expected


def test_twenty_page_record_with_thirty_photos(store: Store, tmp_path: Path) -> None:
    from ohinspect.reports import render_inspection_record

    built = build_signed_inspection(store, n_items=70, n_photos=30, finding_every=6)
    out = render_inspection_record(store, built.inspection_id, tmp_path / "long.pdf")
    reader = PdfReader(str(out))
    pages = len(reader.pages)
    assert pages >= 20, pages
    text = flat(pdf_text(out))
    assert f"第{pages}页共{pages}页" in text
    for n in (1, 15, 30):
        assert f"照片{n}" in text
    images = sum(len(p.images) for p in reader.pages)
    assert images >= 30


def test_refused_party_signature_names_the_witness(store: Store, tmp_path: Path) -> None:
    from ohinspect.reports import render_inspection_record, render_supervision_opinion

    built = build_signed_inspection(store, party_refused=True, n_photos=0)
    record = flat(pdf_text(render_inspection_record(store, built.inspection_id,
                                                    tmp_path / "r.pdf")))
    assert "拒绝签字，见证人：陈见证" in record
    opinion = flat(pdf_text(render_supervision_opinion(store, built.inspection_id,
                                                       tmp_path / "o.pdf")))
    assert "拒绝签字，见证人：陈见证" in opinion


def test_unsigned_inspection_is_refused_and_no_file_is_left(store: Store, tmp_path: Path) -> None:
    from ohinspect.reports import ReportError, render_inspection_record, render_supervision_opinion

    built = build_signed_inspection(store, locked=False, with_numbers=False)
    for render in (render_inspection_record, render_supervision_opinion):
        with pytest.raises(ReportError, match="尚未签字"):
            render(store, built.inspection_id, tmp_path / "x.pdf")
    assert not list(tmp_path.glob("*.pdf*")) and not list(tmp_path.glob(".*partial"))


def test_opinion_is_refused_without_findings(store: Store, tmp_path: Path) -> None:
    from ohinspect.reports import ReportError, render_inspection_record, render_supervision_opinion

    built = build_signed_inspection(store, finding_every=0, n_photos=0)
    with pytest.raises(ReportError, match="未发现问题"):
        render_supervision_opinion(store, built.inspection_id, tmp_path / "o.pdf")
    assert not (tmp_path / "o.pdf").exists()
    text = flat(pdf_text(render_inspection_record(store, built.inspection_id, tmp_path / "r.pdf")))
    assert "本次检查未发现问题" in text


def test_unknown_inspection_and_lookup_by_number(store: Store, tmp_path: Path) -> None:
    from ohinspect.reports import render_inspection_record

    with pytest.raises(NotFoundError):
        render_inspection_record(store, "no-such-id", tmp_path / "r.pdf")
    build_signed_inspection(store, n_photos=0)
    out = render_inspection_record(store, RECORD_NO, tmp_path / "r.pdf")
    assert RECORD_NO in pdf_text(out)


def test_failed_render_keeps_the_old_file(store: Store, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from ohinspect.reports import record, render_inspection_record

    built = build_signed_inspection(store, n_photos=0)
    out = tmp_path / "r.pdf"
    out.write_bytes(b"old")

    def boom(*_a: object, **_k: object) -> list[object]:
        raise RuntimeError("render failed")

    monkeypatch.setattr(record, "record_story", boom)
    with pytest.raises(RuntimeError):
        render_inspection_record(store, built.inspection_id, out)
    assert out.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "data") == ["r.pdf"]


def test_missing_photo_file_is_shown_not_dropped(store: Store, tmp_path: Path) -> None:
    from ohinspect.reports import render_inspection_record

    built = build_signed_inspection(store, n_photos=2)
    with store.read() as session:
        sha = session.query(Attachment).filter_by(kind="photo").first().sha256
    (store.attachments_dir / sha[:2] / sha).unlink()
    text = flat(pdf_text(render_inspection_record(store, built.inspection_id,
                                                  tmp_path / "r.pdf")))
    assert "照片文件缺失" in text


def test_english_catalogue_renders_the_same_document(store: Store, tmp_path: Path) -> None:
    from ohinspect.reports import render_supervision_opinion

    built = build_signed_inspection(store, n_photos=0)
    set_language("en")
    text = pdf_text(render_supervision_opinion(store, built.inspection_id, tmp_path / "o.pdf"))
    assert "Health Supervision Opinion" in text and "2026-03-16" in text
    assert PARTY in flat(text)


def test_an_overlong_note_or_finding_flows_over_pages(store: Store, tmp_path: Path) -> None:
    """A note taller than a page splits inside its table row; markup characters stay text."""
    from ohinspect.reports import render_inspection_record, render_supervision_opinion

    built = build_signed_inspection(store, n_items=5, n_photos=0, locked=False)
    with store.unit_of_work(store.actor("t")) as uow:
        answer = uow.session.query(InspectionAnswer).filter_by(item_id="acc.002").one()
        answer.note = "粉尘浓度超标<&>，" * 400
        uow.record(answer, "inspection.answer")
        finding = uow.session.query(RectificationItem).first()
        finding.finding = "问题" * 900
        uow.record(finding, "rectification.update")
        uow.session.flush()
        ins = uow.session.get(Inspection, built.inspection_id)
        with uow.session.no_autoflush:
            ins.locked_at, ins.status = SIGNED, "signed"
            uow.record(ins, "inspection.sign")
        uow.commit()
    record = render_inspection_record(store, built.inspection_id, tmp_path / "r.pdf")
    assert len(PdfReader(str(record)).pages) >= 5
    assert "粉尘浓度超标<&>" in pdf_text(record)
    opinion = render_supervision_opinion(store, built.inspection_id, tmp_path / "o.pdf")
    assert len(PdfReader(str(opinion)).pages) >= 2


def test_photos_are_made_upright_and_small(tmp_path: Path) -> None:
    from ohinspect.reports.parts import PHOTO_MAX_PX, prepare_photo

    # a camera JPEG stored landscape with "rotate 90° clockwise to view" (orientation 6)
    img = Image.new("RGB", (3000, 2000), "gray")
    exif = Image.Exif()
    exif[0x0112] = 6
    rotated = tmp_path / "rotated.jpg"
    img.save(rotated, "JPEG", exif=exif)
    photo = prepare_photo(rotated)
    assert photo is not None and photo.height == PHOTO_MAX_PX and photo.width < photo.height
    # a small upright JPEG is embedded as it is; a PNG with transparency becomes a JPEG
    small = tmp_path / "small.jpg"
    Image.new("RGB", (800, 600), "gray").save(small, "JPEG")
    assert prepare_photo(small).source == str(small)  # type: ignore[union-attr]
    png = tmp_path / "a.png"
    Image.new("RGBA", (400, 300), (0, 0, 0, 0)).save(png)
    converted = prepare_photo(png)
    assert converted is not None and Image.open(converted.source).format == "JPEG"
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8 not really")
    assert prepare_photo(broken) is None


def test_checklist_engine_and_plain_snapshot_read_alike(store: Store) -> None:
    """The snapshot is read with the checklist engine when it is one of its snapshots, as plain
    data otherwise (older or foreign layouts): the document's facts are the same either way."""
    from ohinspect.checklists.model import SNAPSHOT_FORMAT
    from ohinspect.reports import data

    snap = snapshot(6)
    engine = data._template_from_engine({**snap, "format": SNAPSHOT_FORMAT})
    plain = data._template_from_dict(snap)
    assert engine is not None and data._template_from_engine(snap) is None
    assert (engine.title, engine.items, engine.options) == (plain.title, plain.items, plain.options)


def test_font_lookup(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from ohinspect.reports import fonts

    monkeypatch.setenv(fonts.FONT_ENV, str(tmp_path / "nope.ttf"))
    with pytest.raises(OHInspectError, match="nope.ttf"):
        fonts.find_cjk_font()
    monkeypatch.setenv(fonts.FONT_ENV, "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc#0")
    assert fonts.find_cjk_font() == fonts.FontFile(
        Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"), 0)
    monkeypatch.delenv(fonts.FONT_ENV)
    monkeypatch.setattr(fonts, "font_candidates", lambda: [fonts.FontFile(tmp_path / "x.ttc")])
    with pytest.raises(fonts.FontNotFoundError, match="fonts-wqy-microhei"):
        fonts.find_cjk_font()
    monkeypatch.undo()
    assert fonts.find_cjk_font().path.is_file()
    assert fonts.missing_glyphs("mg/m³ ℃ dB(A) 〔〕 合卫职意") == set()


def test_symbols_the_cjk_face_draws_empty_are_routed() -> None:
    """WenQuanYi Micro Hei maps ℃ to a glyph without outline: it would print as nothing."""
    from ohinspect.reports import fonts

    fonts.register_cjk_font()
    text = fonts.markup("WBGT 34 ℃ & <3.2 mg/m³>")
    assert "&amp;" in text and "&lt;3.2" in text  # markup characters escaped
    if fonts._draws(fonts.CJK_FONT, "℃"):
        assert fonts.FALLBACK_FONT not in text
    elif fonts._fallback:
        assert f'<font name="{fonts.FALLBACK_FONT}">℃</font>' in text
    else:
        assert "°C" in text and "℃" not in text
