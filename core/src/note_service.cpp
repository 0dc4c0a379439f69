#include "notes/note_service.hpp"

#include <chrono>
#include <future>
#include <limits>
#include <stdexcept>
#include <string>
#include <algorithm>

#include "notes/text.hpp"
#include "notes/validation.hpp"

namespace notes {
namespace {

std::unexpected<error> invalid(std::vector<field_error> fields) {
  std::string message = fields.size() == 1 ? fields.front().message : "Some fields are invalid.";
  return std::unexpected(error{error_code::invalid_argument, std::move(message), std::move(fields)});
}

std::unexpected<error> missing(note_id id) {
  return make_error(error_code::not_found, "Note " + std::to_string(id) + " not found.");
}

// As the API answers `{}`: a change of nothing is a mistake, not a new version.
std::unexpected<error> nothing_to_change() {
  return make_error(error_code::invalid_argument,
                    "Nothing to change: give at least one of title, content, is_pinned, tags.");
}

// `current` with the fields `clean` (a valid patch) has, changed at `at` (never before it was
// created); a conflict when `expected` is given and is not its version.
result<note> patched(const note& current, const note_patch& clean,
                     std::optional<note_version> expected, timestamp at) {
  if (expected && current.version != *expected) {
    return make_error(error_code::conflict, "Note " + std::to_string(current.id) +
                                                " was changed by someone else (version " +
                                                std::to_string(current.version) + ").");
  }
  note changed = current;
  if (clean.title) changed.title = *clean.title;
  if (clean.content) changed.content = *clean.content;
  if (clean.is_pinned) changed.is_pinned = *clean.is_pinned;
  if (clean.tags) changed.tags = *clean.tags;
  changed.updated_at = std::max(at, changed.created_at);
  return changed;
}

result<page_request> check_page(page_request page) {
  if (page.page < 1) {
    return std::unexpected(error{error_code::invalid_argument, "page must be a positive integer.",
                                 {{"page", "must be a positive integer"}}});
  }
  if (page.per_page < 1) {
    return std::unexpected(error{error_code::invalid_argument,
                                 "per_page must be a positive integer.",
                                 {{"per_page", "must be a positive integer"}}});
  }
  if (page.per_page > max_per_page) page.per_page = max_per_page;
  // Keeps offset() representable; such a page is past the end of any real data set.
  if (page.page - 1 > std::numeric_limits<std::int64_t>::max() / page.per_page) {
    return std::unexpected(error{error_code::invalid_argument, "page is out of range.",
                                 {{"page", "is out of range"}}});
  }
  return page;
}

// The filter's tags folded, each once; invalid_argument for one that is not a valid tag.
result<std::vector<std::string>> tag_filter_of(std::span<const std::string> tags) {
  std::vector<std::string> checked;
  for (const std::string& raw : tags) {
    const std::string_view tag = text::is_valid_utf8(raw) ? text::trim(raw) : raw;
    if (!is_valid_tag(tag)) {
      const std::string message =
          tag.empty() ? "The tag filter must not be empty."
                      : "The tag filter must be a tag: 1 to " + std::to_string(max_tag_length) +
                            " letters, digits, '-', '_' and '/'.";
      return std::unexpected(error{error_code::invalid_argument, message, {{"tag", message}}});
    }
    checked.emplace_back(tag);
  }
  std::vector<std::string> folded = fold_tags(checked);
  // No note carries more, and each tag is a join in the query: refused before it is run.
  if (folded.size() > max_tags) {
    const std::string message =
        "The tag filter may name at most " + std::to_string(max_tags) + " tags.";
    return std::unexpected(error{error_code::invalid_argument, message, {{"tag", message}}});
  }
  return folded;
}

history_policy checked_policy(history_policy policy) {
  if (policy.revisions_keep < 0) {
    throw std::invalid_argument("revisions to keep must be 0 or more, not " +
                                std::to_string(policy.revisions_keep));
  }
  return policy;
}

}  // namespace

note_service::note_service(note_repository& repository, clock_fn clock, history_policy policy)
    : note_service(&repository, std::make_shared<const clock_fn>(std::move(clock)), no_account,
                   checked_policy(policy)) {}

note_service::note_service(note_repository* repository, std::shared_ptr<const clock_fn> clock,
                           account_id owner, history_policy policy) noexcept
    : repository_(repository), clock_(std::move(clock)), owner_(owner), policy_(policy) {}

note_service note_service::for_owner(account_id owner) const {
  return note_service(repository_, clock_, owner, policy_);
}

result<note> note_service::fresh_note(const note_draft& draft) const {
  auto clean = validate(draft);
  if (!clean) return invalid(std::move(clean.error()));
  note fresh;
  fresh.title = std::move(clean->title);
  fresh.content = std::move(clean->content);
  fresh.is_pinned = clean->is_pinned;
  fresh.tags = std::move(clean->tags);
  fresh.created_at = fresh.updated_at = now();
  fresh.version = 1;
  fresh.owner = owner_;
  return fresh;
}

result<note> note_service::create(const note_draft& draft) {
  auto fresh = fresh_note(draft);
  if (!fresh) return fresh;
  return repository_->create(*fresh);
}

void note_service::create_then(const note_draft& draft, note_repository::note_done done) {
  auto fresh = fresh_note(draft);
  if (!fresh) return done(std::move(fresh));
  repository_->create_then(*fresh, std::move(done));
}

result<note> note_service::get(note_id id) {
  auto found = repository_->find(owner_, id);
  if (!found) return std::unexpected(std::move(found.error()));
  if (!*found) return missing(id);
  return std::move(**found);
}

// One way for both: the note is read and written by update_then (on SQLite in one transaction
// of the write combiner's, elsewhere by find and update, again on a lost race).
result<note> note_service::update(note_id id, const note_patch& patch,
                                  std::optional<note_version> expected) {
  std::promise<result<note>> stored;
  std::future<result<note>> outcome = stored.get_future();
  update_then(id, patch, expected,
              [&stored](result<note> updated) { stored.set_value(std::move(updated)); });
  return outcome.get();
}

void note_service::update_then(note_id id, const note_patch& patch,
                               std::optional<note_version> expected,
                               note_repository::note_done done) {
  if (patch.empty()) return done(nothing_to_change());
  auto clean = validate(patch);
  if (!clean) return done(invalid(std::move(clean.error())));
  repository_->update_then(
      owner_, id,
      [clean = std::move(*clean), expected, clock = clock_](const note& current) {
        return patched(current, clean, expected, (*clock)());
      },
      policy_.revisions_keep, std::move(done));
}

result<void> note_service::remove(note_id id, std::optional<note_version> expected) {
  if (policy_.trash) return repository_->trash(owner_, id, expected, now());
  return repository_->remove(owner_, id, expected);
}

result<note_list> note_service::list(list_order order, page_request page,
                                     std::span<const std::string> tags) {
  auto checked = check_page(page);
  if (!checked) return std::unexpected(std::move(checked.error()));
  auto filter = tag_filter_of(tags);
  if (!filter) return std::unexpected(std::move(filter.error()));
  auto found = repository_->list(owner_, order, *checked, *filter);
  if (!found) return std::unexpected(std::move(found.error()));
  note_list out{std::move(found->notes), make_page_info(*checked, found->total), std::nullopt};
  if (out.page.has_next && !out.notes.empty()) out.next = position_of(out.notes.back(), order);
  return out;
}

result<note_list> note_service::list_after(list_order order, const list_position& after,
                                           std::int64_t per_page,
                                           std::span<const std::string> tags) {
  auto checked = check_page({1, per_page});
  if (!checked) return std::unexpected(std::move(checked.error()));
  if (after.id < 1 || (order == list_order::newest_first && after.pinned)) {
    const std::string message = "The list position is not one of a note in this order.";
    return std::unexpected(error{error_code::invalid_argument, message, {{"after", message}}});
  }
  auto filter = tag_filter_of(tags);
  if (!filter) return std::unexpected(std::move(filter.error()));
  // One note more than the page tells whether another page follows, whatever the total says
  // while notes come and go.
  const std::int64_t limit = checked->per_page;
  auto found = repository_->list_after(owner_, order, after, limit + 1, *filter);
  if (!found) return std::unexpected(std::move(found.error()));
  note_list out{std::move(found->notes), make_page_info(*checked, found->total), std::nullopt};
  const bool more = static_cast<std::int64_t>(out.notes.size()) > limit;
  if (more) {
    out.notes.resize(static_cast<std::size_t>(limit));
    out.next = position_of(out.notes.back(), order);
  }
  out.page.page = 0;
  out.page.has_prev = true;
  out.page.has_next = more;
  return out;
}

result<note_list> note_service::search(std::string_view query, page_request page,
                                       std::span<const std::string> tags) {
  if (!text::is_valid_utf8(query)) {
    return std::unexpected(error{error_code::invalid_argument, "Search query must be valid UTF-8.",
                                 {{"query", "must be valid UTF-8 text"}}});
  }
  const std::string_view trimmed = text::trim(query);
  if (trimmed.empty()) {
    return std::unexpected(
        error{error_code::invalid_argument, "Search query required", {{"query", "is required"}}});
  }
  if (text::has_control_characters(trimmed)) {
    return std::unexpected(error{error_code::invalid_argument,
                                 "Search query must not contain control characters.",
                                 {{"query", "must not contain control characters"}}});
  }
  if (text::code_point_count(trimmed) > max_query_length) {
    const std::string message =
        "Search query must be at most " + std::to_string(max_query_length) + " characters.";
    return std::unexpected(error{error_code::invalid_argument, message, {{"query", message}}});
  }
  auto checked = check_page(page);
  if (!checked) return std::unexpected(std::move(checked.error()));
  auto filter = tag_filter_of(tags);
  if (!filter) return std::unexpected(std::move(filter.error()));
  auto found = repository_->search(owner_, trimmed, *checked, *filter);
  if (!found) return std::unexpected(std::move(found.error()));
  return note_list{std::move(found->notes), make_page_info(*checked, found->total), std::nullopt};
}

result<std::int64_t> note_service::count() { return repository_->count(owner_); }

result<std::vector<tag_count>> note_service::tags() { return repository_->tag_counts(owner_); }

result<trash_list> note_service::list_trash(page_request page) {
  auto checked = check_page(page);
  if (!checked) return std::unexpected(std::move(checked.error()));
  auto found = repository_->list_trash(owner_, *checked);
  if (!found) return std::unexpected(std::move(found.error()));
  return trash_list{std::move(found->notes), make_page_info(*checked, found->total)};
}

result<trashed_note> note_service::find_trashed(note_id id) {
  auto found = repository_->find_trashed(owner_, id);
  if (!found) return std::unexpected(std::move(found.error()));
  if (!*found) return missing(id);
  return std::move(**found);
}

result<note> note_service::restore(note_id id, std::optional<note_version> expected) {
  return repository_->restore(owner_, id, expected, now());
}

result<void> note_service::purge(note_id id, std::optional<note_version> expected) {
  return repository_->purge(owner_, id, expected);
}

result<std::int64_t> note_service::empty_trash() { return repository_->empty_trash(owner_); }

result<revision_list> note_service::revisions(note_id id, page_request page) {
  auto checked = check_page(page);
  if (!checked) return std::unexpected(std::move(checked.error()));
  auto found = repository_->list_revisions(owner_, id, *checked);
  if (!found) return std::unexpected(std::move(found.error()));
  return revision_list{std::move(found->revisions), make_page_info(*checked, found->total)};
}

result<revision> note_service::revision(note_id id, note_version version) {
  auto found = repository_->find_revision(owner_, id, version);
  if (!found) return std::unexpected(std::move(found.error()));
  if (!*found) {
    return make_error(error_code::not_found, "Note " + std::to_string(id) + " has no version " +
                                                 std::to_string(version) + " kept.");
  }
  return std::move(**found);
}

result<note> note_service::restore_revision(note_id id, note_version version,
                                            std::optional<note_version> expected) {
  auto old = revision(id, version);
  if (!old) return std::unexpected(std::move(old.error()));
  // The tags stay as they are: revisions do not record them.
  return update(id, {std::move(old->title), std::move(old->content), old->is_pinned, std::nullopt},
                expected);
}

result<std::int64_t> sweep_trash(note_repository& repository, timestamp now,
                                 std::chrono::days keep) {
  if (keep < std::chrono::days{0}) {
    return make_error(error_code::invalid_argument, "Trash retention must be 0 days or more.");
  }
  // Everything trashed up to and including `now` when nothing is to be kept.
  const timestamp cutoff = keep == std::chrono::days{0} ? timestamp::max() : now - keep;
  return repository.purge_trashed_before(cutoff);
}

}  // namespace notes
