"""Unified Social Credit Code checks (GB 32100-2015; organisation code GB 11714-1997)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ohinspect.i18n import set_language
from ohinspect.standards.uscc import (
    ALPHABET,
    WEIGHTS,
    check_uscc,
    make_uscc,
    org_code_check_char,
    uscc_check_char,
)

# Worked by hand: registration 9 (market regulation), type 1 (enterprise), division 621024
# (甘肃省庆阳市合水县), organisation-code body MA71QY2E.
#
# Position 17, GB 11714 (values 0-9, A=10 … Z=35; weights 3 7 9 10 5 8 4 2):
#   M=22·3 + A=10·7 + 7·9 + 1·10 + Q=26·5 + Y=34·8 + 2·4 + E=14·2
#   = 66 + 70 + 63 + 10 + 130 + 272 + 8 + 28 = 647;  647 mod 11 = 9;  11 − 9 = 2  → "2"
# Position 18, GB 32100 (values = index in 0123456789ABCDEFGHJKLMNPQRTUWXY, so M=21, Q=24,
# Y=30, E=14; weights 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28):
#   9·1 + 1·3 + 6·9 + 2·27 + 1·19 + 0·26 + 2·16 + 4·17 + 21·20 + 10·29 + 7·25 + 1·13
#   + 24·8 + 30·24 + 2·10 + 14·30 + 2·28
#   = 9+3+54+54+19+0+32+68+420+290+175+13+192+720+20+420+56 = 2545
#   2545 mod 31 = 3 (31·82 = 2542);  31 − 3 = 28;  ALPHABET[28] = "W"
HAND_WORKED = "91621024MA71QY2E2W"

# The example code often quoted with GB 32100-2015, worked the same way:
#   position 17: M=22·3 + 1·5 + Y=34·2 = 66 + 5 + 68 = 139; 139 mod 11 = 7; 11 − 7 = 4 → "4"
#   position 18: 9·1 + 1·3 + 3·9 + 5·27 + 1·26 + M=21·20 + 1·8 + Y=30·30 + 4·28
#              = 9+3+27+135+26+420+8+900+112 = 1640; 1640 mod 31 = 28; 31 − 28 = 3 → "3"
STANDARD_EXAMPLE = "91350100M000100Y43"

# A second real-world-format enterprise code (Beijing, numeric organisation code).
BEIJING_FORMAT = "91110000802100433B"


def test_weights_are_powers_of_three_mod_31() -> None:
    assert WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
    assert len(ALPHABET) == 31 and not set("IOSVZ") & set(ALPHABET)


def test_hand_worked_example() -> None:
    assert org_code_check_char("MA71QY2E") == "2"
    assert uscc_check_char(HAND_WORKED[:17]) == "W"
    assert make_uscc("9", "1", "621024", "MA71QY2E") == HAND_WORKED
    result = check_uscc(HAND_WORKED)
    assert result.ok and not result.has_errors and result.warnings == ()
    assert result.expected_check_char == "W" and result.expected_org_check_char == "2"


@pytest.mark.parametrize("code", [STANDARD_EXAMPLE, BEIJING_FORMAT])
def test_real_world_format_codes_pass(code: str) -> None:
    assert check_uscc(code).ok
    assert make_uscc(code[0], code[1], code[2:8], code[8:16]) == code


def test_org_code_special_values() -> None:
    assert org_code_check_char("00000000") == "0"  # Σ = 0 → 11 − 0 = 11 → "0"
    assert org_code_check_char("40000000") == "X"  # Σ = 12, 12 mod 11 = 1 → 10 → "X"


def test_changed_check_character_is_a_warning_naming_the_expected_one() -> None:
    result = check_uscc(HAND_WORKED[:17] + "X")
    assert not result.ok and not result.has_errors
    assert [p.code for p in result.problems] == ["uscc.check_char"]
    assert result.expected_check_char == "W"
    assert "W" in result.problems[0].message and "X" in result.problems[0].message


def test_changed_body_character_is_caught() -> None:
    changed = HAND_WORKED[:9] + "B" + HAND_WORKED[10:]  # position 10: A → B
    codes = {p.code for p in check_uscc(changed).problems}
    assert codes == {"uscc.org_check", "uscc.check_char"}


def test_bad_organisation_check_alone() -> None:
    first17 = HAND_WORKED[:16] + "5"  # wrong GB 11714 character, then a consistent position 18
    result = check_uscc(first17 + uscc_check_char(first17))
    assert [p.code for p in result.problems] == ["uscc.org_check"]
    assert result.problems[0].severity == "warning"
    assert result.expected_org_check_char == "2"


def test_unknown_type_for_market_regulation_is_a_warning() -> None:
    code = make_uscc("9", "4", "621024", "MA71QY2E")
    result = check_uscc(code)
    assert [p.code for p in result.problems] == ["uscc.org_type"]
    assert not result.has_errors
    assert check_uscc(make_uscc("9", "2", "621024", "MA71QY2E")).ok
    assert check_uscc(make_uscc("9", "3", "621024", "MA71QY2E")).ok
    assert check_uscc(make_uscc("5", "3", "621024", "MA71QY2E")).ok
    assert check_uscc(make_uscc("Y", "1", "621024", "MA71QY2E")).ok  # not judged


@pytest.mark.parametrize("value", ["", "   ", "\u3000"])
def test_empty_is_an_error(value: str) -> None:
    result = check_uscc(value)
    assert result.has_errors and [p.code for p in result.problems] == ["uscc.empty"]


def test_wrong_length_is_an_error() -> None:
    result = check_uscc(HAND_WORKED[:-1])
    assert result.has_errors and [p.code for p in result.problems] == ["uscc.length"]
    assert "17" in result.problems[0].message
    assert result.expected_check_char is None


def test_character_outside_alphabet_names_the_position() -> None:
    result = check_uscc(HAND_WORKED[:9] + "I" + HAND_WORKED[10:])
    assert result.has_errors
    (problem,) = result.problems
    assert problem.code == "uscc.charset" and "10" in problem.message and "I" in problem.message


def test_division_must_be_digits() -> None:
    result = check_uscc("91A21024MA71QY2E2W")
    assert [p.code for p in result.problems] == ["uscc.division_format"]
    assert result.has_errors and "A21024" in result.problems[0].message


def test_full_width_lower_case_and_spaces_are_normalised() -> None:
    result = check_uscc("　９１６２１０２４ｍａ７１ｑｙ２ｅ２ｗ ")
    assert result.code == HAND_WORKED and result.ok
    assert check_uscc(" 91621024ma71qy2e2w\n").ok


def test_messages_follow_the_language() -> None:
    zh = check_uscc(HAND_WORKED[:17] + "X").problems[0].message
    set_language("en")
    en = check_uscc(HAND_WORKED[:17] + "X").problems[0].message
    assert "校验码" in zh and "check character" in en


@pytest.mark.parametrize(
    "args",
    [
        ("I", "1", "621024", "MA71QY2E"),
        ("9", "", "621024", "MA71QY2E"),
        ("9", "1", "62102", "MA71QY2E"),
        ("9", "1", "6210A4", "MA71QY2E"),
        ("9", "1", "621024", "MA71QY2"),
        ("9", "1", "621024", "MA71QYOE"),
    ],
)
def test_make_uscc_rejects_bad_input(args: tuple[str, str, str, str]) -> None:
    with pytest.raises(ValueError):
        make_uscc(*args)


def test_check_char_helpers_reject_bad_input() -> None:
    with pytest.raises(ValueError):
        uscc_check_char("123")
    with pytest.raises(ValueError):
        org_code_check_char("ABC")


_BODY = st.text(alphabet=ALPHABET, min_size=8, max_size=8)
_DIVISION = st.text(alphabet="0123456789", min_size=6, max_size=6)
_MARKET = st.sampled_from(["91", "92", "93", "11", "12", "51", "52", "53"])


@given(prefix=_MARKET, division=_DIVISION, body=_BODY)
def test_made_codes_always_pass(prefix: str, division: str, body: str) -> None:
    code = make_uscc(prefix[0], prefix[1], division, body)
    assert len(code) == 18 and check_uscc(code).ok


@given(
    prefix=_MARKET,
    division=_DIVISION,
    body=_BODY,
    position=st.integers(min_value=1, max_value=17),
    replacement=st.sampled_from(ALPHABET),
)
def test_any_single_substitution_is_caught(
    prefix: str, division: str, body: str, position: int, replacement: str
) -> None:
    code = make_uscc(prefix[0], prefix[1], division, body)
    if code[position - 1] == replacement:
        return
    changed = code[: position - 1] + replacement + code[position:]
    result = check_uscc(changed)
    codes = {p.code for p in result.problems}
    if 3 <= position <= 8 and not replacement.isdigit():
        assert codes == {"uscc.division_format"} and result.has_errors
    else:
        # weights are non-zero mod 31 and values differ by < 31, so Σ always changes
        assert "uscc.check_char" in codes and not result.has_errors
