#pragma once
// JSON output written straight into a response body: no intermediate DOM, no extra copies.
#include <span>
#include <string>
#include <string_view>

#include "notes/error.hpp"
#include "notes/history.hpp"
#include "notes/note.hpp"
#include "notes/note_repository.hpp"
#include "notes/pagination.hpp"
#include "routing/json_text.hpp"

namespace notes::http {

// A note as the API shows it: id, title, content, is_pinned, tags, created_at, updated_at
// (RFC 3339 UTC).
void append_note_json(std::string& out, const note& n);
// A search result: the note and, with `query`, its "snippet" (the passage of the content around
// the first match, "…" where cut, and the match's [start, end) in code points of that text), or
// null when the content does not hold the match (it is in the title).
void append_found_note_json(std::string& out, const note& n, std::string_view query);

// A trashed note: the note's fields and deleted_at.
void append_trashed_note_json(std::string& out, const trashed_note& t);

// A revision in a list: version, title, replaced_at, content_length (bytes); no content.
void append_revision_summary_json(std::string& out, const revision_summary& r);

// A whole revision: note_id, version, title, content, is_pinned, replaced_at.
void append_revision_json(std::string& out, const revision& r);

// `"total":…,"pages":…,"current_page":…,"has_next":…,"has_prev":…` without braces.
void append_page_fields(std::string& out, const page_info& page);

// {"tags": [{"name": ..., "count": ...}, ...]}
void append_tag_counts_json(std::string& out, const std::vector<tag_count>& tags);

}  // namespace notes::http
