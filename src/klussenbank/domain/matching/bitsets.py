"""Sets of people or klussen as bitsets in Python ints, and counters over them as bit slices."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

_NONZERO_BYTE = re.compile(rb"[^\x00]")
_BYTE_BITS = tuple(tuple(bit for bit in range(8) if value >> bit & 1) for value in range(256))


def _bits(mask: int) -> list[int]:
    """The positions of the set bits, ascending."""
    if mask.bit_count() <= 256:  # few: take the highest one by one
        found: list[int] = []
        while mask:
            highest = mask.bit_length() - 1
            found.append(highest)
            mask ^= 1 << highest
        found.reverse()
        return found
    data = mask.to_bytes((mask.bit_length() + 7) // 8, "little")
    found = []
    for hit in _NONZERO_BYTE.finditer(data):
        at = hit.start()
        base = at * 8
        found.extend(base + bit for bit in _BYTE_BITS[data[at]])
    return found


def _mask_of(positions: Iterable[int], size: int) -> int:
    data = bytearray((size + 7) // 8)
    for position in positions:
        data[position >> 3] |= 1 << (position & 7)
    return int.from_bytes(data, "little")


def _add(counter: list[int], mask: int, amount: int) -> None:
    """Add `amount` (1 or 2) for every member of `mask` to a bit-sliced counter."""
    level = amount - 1
    carry = mask
    while carry:
        if level >= len(counter):
            counter.extend([0] * (level - len(counter)))
            counter.append(carry)
            return
        current = counter[level]
        counter[level] = current ^ carry
        carry &= current
        level += 1


def _any(counter: Sequence[int]) -> int:
    """The members with a count above zero."""
    mask = 0
    for bits in counter:
        mask |= bits
    return mask


def _highest(counter: Sequence[int], mask: int) -> tuple[int, int]:
    """The highest count among the members of `mask` (not 0), and the members that have it."""
    count = 0
    for level in range(len(counter) - 1, -1, -1):
        with_bit = mask & counter[level]
        if with_bit:
            mask = with_bit
            count |= 1 << level
    return count, mask


def _at_least(counter: Sequence[int], threshold: int, universe: int) -> int:
    """The members of `universe` whose count is at least `threshold`."""
    greater, equal = 0, universe
    for level in range(max(len(counter), threshold.bit_length()) - 1, -1, -1):
        bits = counter[level] if level < len(counter) else 0
        if threshold >> level & 1:
            equal &= bits
        else:
            greater |= equal & bits
            equal ^= equal & bits
    return greater | equal
