#!/usr/bin/env python3
"""Writes core/src/case_fold_table.cpp: Unicode simple case folding as compact runs.

A code point folds to casefold() when that is a single code point, else to lower() when that is
(unicode_tables.simple_fold).
Runs group consecutive mappings with the same delta and a stride of 1 or 2 (upper/lower pairs).
"""
import pathlib

from unicode_tables import CODE_POINTS, array, simple_fold, write_tables

pairs = [(cp, simple_fold(cp)) for cp in CODE_POINTS if simple_fold(cp) != cp]

runs = []
i = 0
while i < len(pairs):
    s, t = pairs[i]
    d = t - s
    j = i + 1
    while j < len(pairs) and pairs[j][0] == pairs[j - 1][0] + 1 and pairs[j][1] - pairs[j][0] == d:
        j += 1
    k = i + 1
    while k < len(pairs) and pairs[k][0] == pairs[k - 1][0] + 2 and pairs[k][1] - pairs[k][0] == d:
        k += 1
    if k - i > j - i and k - i > 1:
        runs.append((s, k - i, d, 2))
        i = k
    else:
        runs.append((s, j - i, d, 1))
        i = j

write_tables("case_fold_table.cpp", "case_fold_table.hpp", pathlib.Path(__file__).name, [
    array("fold_run", "fold_runs", ["{0x%X, %d, %d, %d}," % r for r in runs],
          comment="{first code point, count, delta to add, stride}, sorted by first code point.",
          count="fold_run_count"),
])
