"""Fixtures of the sync client's unit tests: a fake platform, an in-memory keyring, an
enrolled store, and a quick way to make records."""

from __future__ import annotations

from typing import Any

import pytest

from ohinspect.services.enterprise_rules import EnterpriseInput
from ohinspect.services.enterprises import create_enterprise
from ohinspect.standards.uscc import make_uscc
from ohinspect.sync.credentials import CredentialStore
from ohinspect.sync.session import enroll
from tests.unit.sync.fake_platform import URL, FakePlatform, MemoryKeyring


@pytest.fixture
def platform() -> FakePlatform:
    return FakePlatform()


@pytest.fixture
def keyring_backend() -> MemoryKeyring:
    return MemoryKeyring()


@pytest.fixture
def creds(keyring_backend: MemoryKeyring) -> CredentialStore:
    return CredentialStore(keyring_backend)


@pytest.fixture
def enrolled(store, creds, platform):  # type: ignore[no-untyped-def]
    enroll(store, creds, URL, "张三", "pw", client_factory=platform.client_factory())
    return store


def make_enterprise(store: Any, actor: Any, n: int = 0, **over: Any) -> str:
    data = dict(name=f"合水县示例企业{n}有限公司",
                uscc=make_uscc("9", "1", "621024", f"MA{n:06d}"), division_code="621024",
                industry_code="3011", workforce="120", exposed_count="80",
                hazard_codes=["dust.cement"], risk_class="severe", risk_rule_set="nhc-2021",
                contact_phone="0934-5551234")
    data.update(over)
    return str(create_enterprise(store, actor, EnterpriseInput(**data)).record_id)  # type: ignore[arg-type]
