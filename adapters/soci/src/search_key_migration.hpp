#pragma once
// Migration 10's step in C++: SQL cannot normalise Unicode, so the search columns written by
// older binaries (case folded, not NFC) are recomputed here.
#include <soci/soci.h>

namespace notes::storage::detail {

// Rewrites search_title, search_content and search_tags of every row of notes and
// trashed_notes whose keys text::search_key now computes differently. Runs in the caller's
// transaction; note_tags and the search index follow through their triggers.
void recompute_search_keys(soci::session& session);

}  // namespace notes::storage::detail
