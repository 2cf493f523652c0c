"""Fictional enterprises for the demo store and for benchmark stores of any size.

Names, people and phone numbers are invented; division, industry and hazard codes are real
entries of the shipped tables, and every Unified Social Credit Code is built with valid GB 32100
and GB 11714 check characters (one deliberate exception shows the override-with-reason path).
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

from ohinspect.services.enterprise_rules import EnterpriseInput
from ohinspect.standards.classifications import load_classifications
from ohinspect.standards.divisions import load_divisions
from ohinspect.standards.uscc import ALPHABET, make_uscc

DEMO_NAMESPACE = uuid.UUID("6f1c2a3e-8b7d-4c55-9e0a-0d1e2f3a4b5c")
DEMO_COUNTY = "621024"  # 合水县
NEIGHBOURS = ("621002", "621021", "621025", "621026", "621027")
TOWNS = ("西华池镇", "老城镇", "太白镇", "板桥镇", "何家畔镇", "吉岘镇", "肖咀镇", "固城镇",
         "段家集乡", "店子乡", "蒿咀铺乡", "太莪乡")
BRANDS = ("宏达", "鑫源", "陇东", "子午岭", "恒泰", "瑞丰", "华晟", "金桥", "永固", "聚力",
          "长庆", "天成", "博远", "润通", "兴隆", "中盛", "安泰", "宝丰", "众合", "明德")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "建国志强海燕晓东文华丽娟永红振华国庆秀英小军明亮春梅玉兰立新桂芳"


@dataclass(frozen=True)
class Trade:
    industry: str
    suffix: str
    hazards: tuple[str, ...]
    risk: str
    workforce: tuple[int, int]


TRADES = (
    Trade("1019", "砂石料有限公司", ("dust.silica", "phys.noise"), "severe", (15, 90)),
    Trade("3011", "水泥有限公司", ("dust.cement", "dust.silica", "phys.noise", "phys.heat",
                                   "chem.carbon_monoxide"), "severe", (120, 600)),
    Trade("3031", "新型建材厂", ("dust.silica", "phys.noise", "chem.carbon_monoxide",
                                 "chem.sulfur_dioxide"), "severe", (30, 150)),
    Trade("3021", "水泥制品有限公司", ("dust.cement", "phys.noise"), "general", (20, 120)),
    Trade("0610", "煤业有限责任公司", ("dust.coal", "phys.noise", "chem.carbon_monoxide",
                                       "chem.hydrogen_sulfide", "other.underground_conditions"),
          "severe", (200, 1500)),
    Trade("2614", "化工有限公司", ("chem.benzene", "chem.toluene", "chem.methanol", "phys.noise"),
          "severe", (60, 400)),
    Trade("2641", "涂料有限公司", ("chem.toluene", "chem.xylene", "chem.ethyl_acetate",
                                   "chem.butyl_acetate", "dust.titanium_dioxide"), "severe", (25, 160)),
    Trade("2710", "药业有限公司", ("chem.methanol", "chem.dichloromethane", "chem.acetone",
                                   "phys.noise"), "general", (80, 500)),
    Trade("3311", "钢结构有限公司", ("dust.welding_fume", "chem.manganese", "chem.ozone",
                                     "chem.nitrogen_dioxide", "phys.noise", "phys.ultraviolet"),
          "general", (30, 260)),
    Trade("3391", "铸造有限公司", ("dust.foundry", "dust.silica", "phys.noise", "phys.heat",
                                   "chem.carbon_monoxide"), "severe", (40, 300)),
    Trade("3360", "表面处理有限公司", ("chem.hydrogen_chloride", "chem.sulfuric_acid",
                                       "chem.nitrogen_dioxide", "phys.noise"), "severe", (15, 90)),
    Trade("2110", "家具有限公司", ("dust.wood", "chem.toluene", "chem.xylene", "chem.formaldehyde",
                                   "phys.noise"), "general", (20, 200)),
    Trade("1711", "棉纺有限公司", ("dust.cotton", "phys.noise"), "general", (80, 700)),
    Trade("3670", "汽车零部件有限公司", ("phys.noise", "dust.welding_fume", "chem.manganese"),
          "general", (50, 400)),
    Trade("2319", "包装印刷有限公司", ("chem.toluene", "chem.ethyl_acetate", "chem.isopropanol",
                                       "phys.noise"), "general", (15, 120)),
    Trade("3089", "耐火材料有限公司", ("dust.silica", "phys.noise", "phys.heat"), "severe", (30, 200)),
    Trade("3843", "蓄电池有限公司", ("chem.lead", "chem.sulfuric_acid", "phys.noise"), "severe",
          (60, 500)),
)


def _scale(workforce: int) -> str:
    return "micro" if workforce < 20 else "small" if workforce < 300 else (
        "medium" if workforce < 1000 else "large")


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2))))


def _body(index: int, rng: random.Random) -> str:
    """8 organisation-code characters: "MA", 2 random, then 4 encoding ``index`` (unique below
    31⁴ = 923,521, so benchmark stores never repeat a code)."""
    digits = []
    n = index
    for _ in range(4):
        n, r = divmod(n, len(ALPHABET))
        digits.append(ALPHABET[r])
    return "MA" + "".join(rng.choice(ALPHABET) for _ in range(2)) + "".join(reversed(digits))


def make_enterprise(index: int, division: str, rng: random.Random) -> EnterpriseInput:
    trade = TRADES[index % len(TRADES)]
    brand = BRANDS[(index * 7) % len(BRANDS)]  # (trade, brand) repeats only every 340
    town = rng.choice(TOWNS)
    county = load_divisions().get(division)
    county_name = county.name.removesuffix("县").removesuffix("区") if county else ""
    workforce = rng.randint(*trade.workforce)
    exposed = max(1, round(workforce * rng.uniform(0.3, 0.8)))
    return EnterpriseInput(
        name=f"{county_name}{brand}{trade.suffix}" if index < 400 else
        f"{county_name}{brand}{trade.suffix}（{index}）",
        uscc=make_uscc("9", "1", division, _body(index, rng)),
        division_code=division,
        address=f"{load_divisions().full_name(division)}{town}{rng.choice(('工业集中区', '村', '街'))}"
                f"{rng.randint(1, 199)}号",
        legal_representative=_person(rng),
        contact_person=_person(rng),
        contact_phone=f"0934-{rng.randint(5000000, 8999999)}" if rng.random() < 0.5
        else f"13{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}",
        industry_code=trade.industry,
        scale=_scale(workforce),
        workforce=workforce,
        exposed_count=exposed,
        hazard_codes=list(trade.hazards),
        risk_class=trade.risk,
        risk_rule_set=load_classifications().default_rule_set.code,
    )


def demo_id(index: int) -> str:
    return str(uuid.uuid5(DEMO_NAMESPACE, f"enterprise-{index}"))


def demo_enterprises(count: int = 50) -> list[tuple[str | None, EnterpriseInput]]:
    """The demo county: ``count`` enterprises, four in five in 合水县, the rest next door."""
    rng = random.Random(2026)
    items: list[tuple[str | None, EnterpriseInput]] = []
    for i in range(count):
        division = DEMO_COUNTY if i % 5 else NEIGHBOURS[(i // 5) % len(NEIGHBOURS)]
        items.append((demo_id(i), make_enterprise(i, division, rng)))
    # a real-world case: a registered code whose check character is wrong, accepted with a reason
    legacy = items[7][1]
    good = legacy.uscc
    legacy.uscc = good[:-1] + next(c for c in ALPHABET if c != good[-1])
    legacy.uscc_override_reason = "已核对营业执照原件，代码与执照一致（登记机关历史赋码）"
    return items


def synthetic_enterprises(count: int, seed: int = 1) -> Iterator[tuple[str | None, EnterpriseInput]]:
    """Many enterprises spread over every county-level division in the table (benchmarks)."""
    rng = random.Random(seed)
    table = load_divisions()
    counties = [d.code for d in table if table.level(d.code) == "county"]
    for i in range(count):
        yield None, make_enterprise(i, counties[i % len(counties)], rng)
