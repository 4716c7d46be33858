"""Finding and masking spoken personal data: pure logic, unit and property tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evidence_annotate.captions.masking import mask_cues
from evidence_annotate.captions.segmentation import Cue
from evidence_annotate.recipe import RecipeError, parse_recipe
from evidence_annotate.render.audio import audio_chain, redaction_chain
from evidence_annotate.speech.pii import find_in_words, find_pii
from evidence_annotate.speech.pii_mask import mask_text, masked_transcript
from evidence_annotate.speech.pii_match import find_values
from evidence_annotate.speech.pii_numbers import luhn_valid, number_runs
from evidence_annotate.speech.transcript import Segment, Transcript, Word

FILLER = ["the", "box", "arrived", "cracked", "and", "I", "want", "a", "refund", "today",
          "please", "check", "photo", "lid", "seller"]
SPOKEN = {str(d): w for d, w in enumerate(
    ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"])}


def transcript(said: list[str], language: str = "en") -> Transcript:
    words = tuple(Word(i * 0.4, i * 0.4 + 0.3, w) for i, w in enumerate(said))
    return Transcript(language, 1.0, len(said) * 0.4 + 1, (Segment(0, len(said) * 0.4,
                                                                   " ".join(said), words),))


@pytest.mark.parametrize(("said", "kind", "value"), [
    ("call 0812 3456 7890 now", "phone", "081234567890"),
    ("call zero eight one two three four five six seven eight nine zero", "phone",
     "081234567890"),
    ("call 0812-3456-7890.", "phone", "081234567890"),
    ("call +62 812 3456 7890", "phone", "+6281234567890"),
    ("call plus six two eight one two three four five six seven eight nine zero", "phone",
     "+6281234567890"),
    ("card 4539 5787 6362 1486", "card", "4539578763621486"),
    ("card four five three nine double five ... no", None, None),
    ("mail maria dot santos at gmail dot com", "email", "maria.santos@gmail.com"),
    ("mail maria@gmail.com.", "email", "maria@gmail.com"),
    ("mail mario .gmail .com. thanks", "email", "mario@gmail.com"),
    ("look at the box dot", None, None),
    ("it was twenty three degrees", None, None),
])
def test_kinds_are_found_however_they_are_written(said: str, kind: str | None,
                                                  value: str | None) -> None:
    found = find_in_words(said.split(), regions=("ID",))
    assert [(k, v) for k, _, _, v in found] == ([(kind, value)] if kind else [])


def test_number_words_double_and_compounds() -> None:
    said = ["oh", "eight", "double", "one", "twenty-three", "hundred"]
    assert number_runs(said)[0].digits == "08112300"
    assert number_runs(["eight", "hundred", "and", "twelve"])[0].digits == "812"
    assert number_runs(["Oh,", "the", "box"]) == []


def test_user_words_and_phrases_case_insensitive() -> None:
    said = ["I", "am", "Maria", "Santos", "from", "Jalan", "Sudirman,", "Jakarta"]
    found = find_pii(transcript(said), kinds=("words",), words=["maria santos", "JALAN SUDIRMAN"])
    assert [(f.first, f.last, f.masked) for f in found] == [(2, 4, "M•••• S•••••"),
                                                            (5, 7, "J•••• S•••••••")]


def test_order_number_protected_when_said_after_order_or_misheard() -> None:
    said = ["order", "number", "is", *"5123456789010", "and", "card", "4539578763621486"]
    found = find_in_words(said, keep=())  # protected by "order number" alone
    assert [k for k, *_ in found] == ["card"]
    misheard = ["it", "is", *"123456789010", "ok"]  # the 5 lost
    assert find_in_words(misheard, keep=["5123456789010"], regions=("US", "ID")) == []


def test_masks() -> None:
    assert mask_text("phone", "081234567890", "full") == "••••-••••-••••"
    assert mask_text("phone", "5551234567", "partial") == "555-••••-567"
    assert mask_text("email", "a@b.com", "label") == "[email]"
    assert mask_text("email", "maria@gmail.com", "full") == "•••@•••"


def test_masked_transcript_across_segments_keeps_punctuation() -> None:
    first = Segment(0, 2, "call 0812 3456", (Word(0, 0.5, "call"), Word(0.5, 1, "0812"),
                                             Word(1, 2, "3456")))
    second = Segment(2, 3, "7890. Thanks", (Word(2, 2.5, "7890."), Word(2.5, 3, "Thanks")))
    t = Transcript("en", 1.0, 3.0, (first, second))
    masked = masked_transcript(t, [(1, 4, "[phone]")])
    assert [s.text for s in masked.segments] == ["call [phone].", "Thanks"]
    assert masked.words[1].start == 0.5 and masked.words[1].end == 2.5


def test_translation_and_caption_lines_matched_by_digits() -> None:
    english = ["Call", "me", "at", "0812", "3456", "7890,", "order", "5123456789010"]
    assert find_values(english, [("phone", "081234567890")], keep=["5123456789010"]) == [
        (3, 6, "phone", "081234567890")]
    cue = Cue(0, 2, ("Call 0812", "3456 7890"))
    assert mask_cues([cue], [], [("phone", "081234567890")], "label")[0].lines == (
        "Call [phone]", "")


def test_audio_chain_windows_before_cuts_and_card() -> None:
    chain = audio_chain(duration=10, segments=((1, 3), (5, 9)), cut=True, card=2.0,
                        redactions=((6.0, 7.0, "bleep"),))
    assert chain.index("between(t,6,7)") < chain.index("asplit") < chain.index("adelay")
    assert "sine=frequency=1000" in chain and redaction_chain([(1, 2, "keep")], 4) == ""


def _luhn_number(draw: st.DrawFn) -> str:
    body = draw(st.text("0123456789", min_size=12, max_size=15))
    body = str(draw(st.integers(3, 6))) + body
    check = next(d for d in "0123456789" if luhn_valid(body + d))
    return body + check


@st.composite
def said_with_card(draw: st.DrawFn) -> tuple[list[str], str, int]:
    number = _luhn_number(draw)
    style = draw(st.sampled_from(["one", "groups", "digits", "words"]))
    pieces = {"one": [number], "groups": [number[i:i + 4] for i in range(0, len(number), 4)],
              "digits": list(number), "words": [SPOKEN[d] for d in number]}[style]
    before = draw(st.lists(st.sampled_from(FILLER), min_size=0, max_size=6))
    after = draw(st.lists(st.sampled_from(FILLER), min_size=0, max_size=6))
    return [*before, *pieces, *after], number, len(before)


@given(said_with_card())
def test_a_luhn_valid_number_in_filler_is_found_as_a_card(
        case: tuple[list[str], str, int]) -> None:
    said, number, at = case
    found = find_in_words(said, kinds=("card",))
    assert [(k, lo, v) for k, lo, _, v in found] == [("card", at, number)]


@settings(max_examples=40)
@given(said_with_card(), said_with_card(), st.booleans())
def test_order_numbers_are_never_masked(order: tuple[list[str], str, int],
                                        other: tuple[list[str], str, int],
                                        on_card: bool) -> None:
    order_words, number, at = order
    pieces = len(order_words) - at - next(
        n for n in range(len(order_words) - at + 1)
        if "".join(_digits(w) for w in order_words[at:len(order_words) - n]) == number
        and (n == 0 or not _digits(order_words[len(order_words) - n])))
    lead = [] if on_card else ["order", "number"]
    said = [*order_words[:at], *lead, *order_words[at:], "and", *other[0]]
    span = set(range(at + len(lead), at + len(lead) + pieces))
    for f in find_pii(transcript(said), keep=[number] if on_card else [],
                      regions=("ID", "US")):
        assert not set(range(f.first, f.last)) & span
        assert not on_card or f.value.lstrip("+") != number


def _digits(word: str) -> str:
    inverse = {w: d for d, w in SPOKEN.items()}
    return inverse.get(word, "".join(c for c in word if c.isdigit()))


def test_recipe_redact_speech_table(tmp_path: Path) -> None:
    recipe = parse_recipe({"input": "a.mp4", "transcribe": {"language": "en"},
                           "redact_speech": {"words": ["Maria"], "mask": "label",
                                             "audio": "mute", "region": "ID"},
                           "captions": {}}, base=tmp_path)
    assert [c[1] for c in recipe.calls] == ["transcribe", "redact_speech", "captions"]
    assert recipe.calls[1][2] == {"words": ("Maria",), "mask": "label", "audio": "mute",
                                  "region": "ID"}
    with pytest.raises(RecipeError, match=r"redact_speech\.mask"):
        parse_recipe({"input": "a.mp4", "redact_speech": {"mask": "blur"}}, base=tmp_path)


REGIONS = ("ID", "MY", "SG", "TH", "VN", "PH", "US", "GB")


@st.composite
def said_with_phone(draw: st.DrawFn) -> tuple[list[str], str, str]:
    import phonenumbers

    region = draw(st.sampled_from(REGIONS))
    example = phonenumbers.example_number_for_type(region,
                                                   phonenumbers.PhoneNumberType.MOBILE)
    assert example is not None
    national = phonenumbers.national_significant_number(example)
    tail = draw(st.text("0123456789", min_size=3, max_size=3))
    number = phonenumbers.parse(national[:-3] + tail, region)
    if not phonenumbers.is_valid_number(number):
        number = phonenumbers.parse(national, region)
    digits = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    digits = "".join(c for c in digits if c.isdigit())
    style = draw(st.sampled_from(["one", "groups", "digits", "words"]))
    pieces = {"one": [digits], "groups": [digits[i:i + 4] for i in range(0, len(digits), 4)],
              "digits": list(digits), "words": [SPOKEN[d] for d in digits]}[style]
    before = draw(st.lists(st.sampled_from(FILLER), max_size=5))
    after = draw(st.lists(st.sampled_from(FILLER), max_size=5))
    return [*before, "call", *pieces, *after], digits, region


@given(said_with_phone())
def test_a_valid_phone_number_in_filler_is_found(case: tuple[list[str], str, str]) -> None:
    said, digits, region = case
    found = find_in_words(said, kinds=("phone",), regions=(region,))
    assert [v for _, _, _, v in found] == [digits]


@given(st.from_regex(r"[a-z]{2,8}", fullmatch=True), st.from_regex(r"[a-z]{2,8}",
                                                                    fullmatch=True),
       st.sampled_from(["com", "co.id", "my", "net"]), st.booleans(),
       st.lists(st.sampled_from(FILLER), max_size=4))
def test_a_spoken_email_in_filler_is_found(user: str, domain: str, tld: str, dotted: bool,
                                           before: list[str]) -> None:
    from hypothesis import assume

    from evidence_annotate.speech.pii_email import AT_WORDS, JOIN_WORDS, STOP_WORDS

    special = STOP_WORDS | AT_WORDS | set(JOIN_WORDS)
    assume(user not in special and domain not in special)
    local = [user, "dot", "lee"] if dotted else [user]
    spoken = [*before, "email", *local, "at", domain, "dot", *" dot ".join(tld.split(".")).split()]
    found = find_in_words([*spoken, "thanks"], kinds=("email",))
    address = f"{user}{'.lee' if dotted else ''}@{domain}.{tld}"
    assert [(v, lo) for _, lo, _, v in found] == [(address, len(before) + 1)]


@given(st.lists(st.tuples(st.integers(0, 12), st.integers(0, 4)), max_size=6))
def test_masked_transcript_keeps_every_unmasked_word_in_order(
        raw: list[tuple[int, int]]) -> None:
    said = [f"w{i}" for i in range(14)]
    t = Transcript("en", 1.0, 9.0, (
        Segment(0, 3, " ".join(said[:5]), tuple(Word(i * 0.4, i * 0.4 + 0.3, w)
                                               for i, w in enumerate(said[:5]))),
        Segment(3, 6, " ".join(said[5:]), tuple(Word(2 + i * 0.4, 2 + i * 0.4 + 0.3, w)
                                               for i, w in enumerate(said[5:])))))
    spans = [(lo, min(14, lo + n), "[x]") for lo, n in raw]
    hidden = {i for lo, hi, _ in spans for i in range(lo, hi)}
    masked = masked_transcript(t, spans)
    shown = [w.text for w in masked.words if w.text != "[x]"]
    assert shown == [w for i, w in enumerate(said) if i not in hidden]
    starts = [w.start for w in masked.words]
    assert starts == sorted(starts)
    assert " ".join(s.text for s in masked.segments).split() == [w.text for w in masked.words]
