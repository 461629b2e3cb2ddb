"""Sign-in abuse limits: failures only, per e-mail and address, bounded memory."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from service.signin_limits import SignInLimits, canonical_email


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def limits(clock: Clock, **overrides: int) -> SignInLimits:
    return SignInLimits(clock=clock, **overrides)  # type: ignore[arg-type]


def fail(
    limits: SignInLimits, times: int, email: str = "anna@alpha.example", at: str = "a"
) -> None:
    for _ in range(times):
        limits.failed(email, at)


def test_five_failures_make_the_failing_address_wait_thirty_seconds() -> None:
    clock = Clock()
    guard = limits(clock)

    fail(guard, 4)
    assert guard.wait("anna@alpha.example", "a") == 0
    fail(guard, 1)

    assert guard.wait("anna@alpha.example", "a") == 30
    assert guard.wait("anna@alpha.example", "owner's address") == 0
    assert guard.wait("bernd@beta.example", "a") == 0


def test_each_further_failure_doubles_the_wait_up_to_the_cap() -> None:
    clock = Clock()
    guard = limits(clock, wait_cap=200)
    fail(guard, 5)
    waits = []
    for _ in range(4):
        clock.now += guard.wait("anna@alpha.example", "a")
        fail(guard, 1)
        waits.append(guard.wait("anna@alpha.example", "a"))

    assert waits == [60, 120, 200, 200]


def test_a_success_ends_the_count() -> None:
    clock = Clock()
    guard = limits(clock)
    fail(guard, 4)

    guard.succeeded("anna@alpha.example", "a")
    fail(guard, 4)

    assert guard.wait("anna@alpha.example", "a") == 0


def test_whitespace_and_case_variants_share_one_budget() -> None:
    clock = Clock()
    guard = limits(clock)

    for variant in ("anna@alpha.example", " anna@alpha.example", "ANNA@alpha.example\t"):
        fail(guard, 1, variant)
    fail(guard, 2, "Anna@Alpha.Example ")

    assert guard.wait("anna@alpha.example", "a") == 30


def test_an_address_failing_for_many_e_mails_waits_for_the_rest_of_the_minute() -> None:
    clock = Clock()
    guard = limits(clock, per_address=100)
    for n in range(100):
        guard.failed(f"person{n}@example.org", "a")
    clock.now += 20

    assert guard.wait("somebody@else.example", "a") == 40
    assert guard.wait("somebody@else.example", "b") == 0
    clock.now += 40
    assert guard.wait("somebody@else.example", "a") == 0


def test_strikes_are_forgotten_after_a_while() -> None:
    clock = Clock()
    guard = limits(clock, wait_cap=900)
    fail(guard, 5)
    clock.now += 3601

    assert guard.wait("anna@alpha.example", "a") == 0
    assert len(guard) <= 1


def test_memory_is_bounded_however_many_e_mails_fail() -> None:
    clock = Clock()
    guard = limits(clock, max_entries=1000, per_address=10**9)

    for n in range(20_000):
        guard.failed(f"person{n}@example.org", f"10.0.{n % 250}.{n % 7}")

    assert len(guard) <= 2000


@given(st.text(max_size=40))
def test_canonical_form_ignores_surrounding_whitespace_and_case(email: str) -> None:
    assert canonical_email(f"  {email.upper()}\n") == canonical_email(email.lower())
