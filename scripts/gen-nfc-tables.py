#!/usr/bin/env python3
"""Writes core/src/nfc_tables.cpp: what Unicode NFC needs, as compact tables.

- combining classes as runs of equal class;
- full canonical decompositions (already applied recursively), Hangul syllables left out
  because they are decomposed and composed by arithmetic;
- primary composites: the pairs canonical composition joins (composition exclusions and
  singletons left out), sorted by their two code points;
- "quick check" runs: the code points whose NFC_Quick_Check is No (NFC never keeps them) or
  Maybe (the second half of a composite, which may join what precedes it). Text without them,
  its combining marks in canonical order, is NFC as it is; and text can be cut before a code
  point of class 0 outside these runs and each side normalised on its own.

The script checks the assumptions the C++ code rests on and stops if one does not hold.
"""
import pathlib
import unicodedata as ud

from unicode_tables import CODE_POINTS, array, runs, simple_fold, write_tables

S_BASE, L_BASE, V_BASE, T_BASE = 0xAC00, 0x1100, 0x1161, 0x11A7
L_COUNT, V_COUNT, T_COUNT = 19, 21, 28
S_COUNT = L_COUNT * V_COUNT * T_COUNT


def is_hangul_syllable(cp):
    return S_BASE <= cp < S_BASE + S_COUNT


def ccc(cp):
    return ud.combining(chr(cp))


ccc_runs = runs((cp for cp in CODE_POINTS if ccc(cp)), ccc)

decompositions = []
for cp in CODE_POINTS:
    if is_hangul_syllable(cp):
        continue
    d = ud.normalize("NFD", chr(cp))
    if d != chr(cp):
        decompositions.append((cp, [ord(x) for x in d]))

compositions = []
for cp in CODE_POINTS:
    if is_hangul_syllable(cp):
        continue
    fields = ud.decomposition(chr(cp)).split()
    if len(fields) != 2 or fields[0].startswith("<"):
        continue
    first, second = (int(x, 16) for x in fields)
    # Excluded composites and those whose first half is not a starter never come back.
    if ud.normalize("NFC", chr(first) + chr(second)) == chr(cp):
        compositions.append((first, second, cp))
compositions.sort()

seconds = {s for _, s, _ in compositions} | set(range(V_BASE, V_BASE + V_COUNT)) | \
    set(range(T_BASE + 1, T_BASE + T_COUNT))


def not_quick_yes(cp):
    return cp in seconds or ud.normalize("NFC", chr(cp)) != chr(cp)


def boundary(cp):
    return ccc(cp) == 0 and not not_quick_yes(cp)


quick_check_runs = runs(cp for cp in CODE_POINTS if not_quick_yes(cp))

# What the C++ code assumes.
for cp in CODE_POINTS:
    # Below U+0300 every code point is a boundary: the C++ code skips the lookups there.
    assert cp >= 0x300 or boundary(cp), hex(cp)
    # The search key cuts text before boundaries and folds after normalising: the fold of a
    # boundary must be one too, so that the cuts stay where they were.
    assert not boundary(cp) or boundary(simple_fold(cp)), hex(cp)

decomposition_rows = []
data = []
for cp, d in decompositions:
    decomposition_rows.append("{0x%X, %d, %d}," % (cp, len(data), len(d)))
    data.extend(d)

write_tables("nfc_tables.cpp", "nfc_tables.hpp", pathlib.Path(__file__).name, [
    array("ccc_run", "ccc_runs", ["{0x%X, 0x%X, %d}," % tuple(r) for r in ccc_runs],
          comment="{first, last, combining class}, sorted.", count="ccc_run_count"),
    array("decomposition", "decompositions", decomposition_rows,
          comment="{code point, offset into decomposition_data, length}, sorted.",
          count="decomposition_count"),
    array("char32_t", "decomposition_data",
          [" ".join("0x%X," % x for x in data[i:i + 8]) for i in range(0, len(data), 8)]),
    array("composition", "compositions", ["{0x%X, 0x%X, 0x%X}," % c for c in compositions],
          comment="{first, second, composite}, sorted by first, then second.",
          count="composition_count"),
    array("code_point_run", "quick_check_runs",
          ["{0x%X, 0x%X}," % (first, last) for first, last, _ in quick_check_runs],
          comment="{first, last}, sorted.", count="quick_check_run_count"),
])
print(len(ccc_runs), len(decompositions), len(data), len(compositions), len(quick_check_runs))
