"""The order state machine's two flows and who may move them."""

from __future__ import annotations

from market.models.orders import OrderStatus as S
from market.states import BUYER, COD, SELLER, SYSTEM, allowed_roles, next_statuses, sells_on


def walk(method: str, path: list[S]) -> bool:
    return all(allowed_roles(method, a, b) is not None for a, b in zip(path, path[1:], strict=False))


def test_paid_online_and_cash_on_delivery_follow_their_own_paths_to_completed():
    assert walk("card", [S.PENDING_PAYMENT, S.PAID, S.ACCEPTED, S.SHIPPED, S.DELIVERED, S.COMPLETED])
    assert walk("cod", [S.PENDING_PAYMENT, S.ACCEPTED, S.SHIPPED, S.DELIVERED, S.PAID, S.COMPLETED])
    assert allowed_roles("cod", S.PENDING_PAYMENT, S.PAID) is None  # cash comes at delivery, not before
    assert allowed_roles("card", S.PENDING_PAYMENT, S.ACCEPTED) is None  # online orders are paid before acceptance


def test_who_may_do_what():
    assert allowed_roles("cod", S.PENDING_PAYMENT, S.ACCEPTED) == {SELLER}
    assert allowed_roles("cod", S.PENDING_PAYMENT, S.CANCELLED) == {BUYER, SELLER}
    assert allowed_roles("cod", S.ACCEPTED, S.CANCELLED) == {SELLER}  # sold: the buyer no longer cancels alone
    assert allowed_roles("cod", S.PENDING_PAYMENT, S.EXPIRED) == {SYSTEM}
    assert next_statuses("cod", S.PENDING_PAYMENT, {BUYER}) == [S.CANCELLED]


def test_final_states_lead_nowhere_and_the_sale_happens_once():
    for final in (S.CANCELLED, S.EXPIRED, S.REFUNDED):
        assert not COD.get(final) and all(allowed_roles(m, final, t) is None for m in ("cod", "card") for t in S)
    assert sells_on("cod") is S.ACCEPTED and sells_on("vietqr") is S.PAID


def test_only_stripe_makes_a_card_order_paid_while_a_seller_confirms_a_transfer():
    assert allowed_roles("card", S.PENDING_PAYMENT, S.PAID) == {"system"}
    assert allowed_roles("vietqr", S.PENDING_PAYMENT, S.PAID) == {"seller", "system"}
    assert "paid" not in [s.value for s in next_statuses("card", S.PENDING_PAYMENT, {"seller"})]
