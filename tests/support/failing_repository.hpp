#pragma once
// A repository whose every call fails with one error, as a lost or broken database would: for the
// tests of what the server shows and counts when storage fails.
#include <memory>
#include <string>
#include <utility>

#include "notes/http/server.hpp"
#include "notes/note_repository.hpp"

namespace notes::testing {

class failing_repository final : public note_repository {
 public:
  failing_repository(error_code code, std::string message)
      : code_(code), message_(std::move(message)) {}

  result<note> create(const note&) override { return fail(); }
  result<std::optional<note>> find(account_id, note_id) override { return fail(); }
  result<note> update(const note&, note_version, std::int32_t) override { return fail(); }
  result<void> remove(account_id, note_id, std::optional<note_version>) override {
    return fail();
  }
  result<void> trash(account_id, note_id, std::optional<note_version>, timestamp) override {
    return fail();
  }
  result<trash_page> list_trash(account_id, page_request) override { return fail(); }
  result<std::optional<trashed_note>> find_trashed(account_id, note_id) override {
    return fail();
  }
  result<note> restore(account_id, note_id, std::optional<note_version>, timestamp) override {
    return fail();
  }
  result<void> purge(account_id, note_id, std::optional<note_version>) override {
    return fail();
  }
  result<std::int64_t> empty_trash(account_id) override { return fail(); }
  result<std::int64_t> purge_trashed_before(timestamp) override { return fail(); }
  result<revision_page> list_revisions(account_id, note_id, page_request) override {
    return fail();
  }
  result<std::optional<revision>> find_revision(account_id, note_id, note_version) override {
    return fail();
  }
  result<std::int64_t> count(account_id) override { return fail(); }
  using note_repository::list;
  using note_repository::search;
  result<note_page> list(account_id, list_order, page_request, tag_filter) override {
    return fail();
  }
  result<note_page> list_after(account_id, list_order, const list_position&, std::int64_t,
                               tag_filter) override {
    return fail();
  }
  result<note_page> search(account_id, std::string_view, page_request, tag_filter) override {
    return fail();
  }
  result<std::vector<tag_count>> tag_counts(account_id) override { return fail(); }
  result<std::vector<note>> all(std::optional<account_id>) override { return fail(); }
  result<void> import(std::span<const note>) override { return fail(); }
  result<note_archive> archive(std::optional<account_id>) override { return fail(); }
  result<void> import_archive(const note_archive&) override { return fail(); }
  result<std::int64_t> change_owner(account_id, account_id) override { return fail(); }
  result<std::int64_t> remove_all(account_id) override { return fail(); }

 private:
  std::unexpected<error> fail() const { return make_error(code_, message_); }

  error_code code_;
  std::string message_;
};

// Every server thread gets a repository failing with `code` and `message`.
inline http::repository_factory failing(error_code code, std::string message) {
  return [code, message = std::move(message)] {
    return std::make_unique<failing_repository>(code, message);
  };
}

}  // namespace notes::testing
