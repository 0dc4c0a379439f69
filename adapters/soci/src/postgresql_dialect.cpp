// PostgreSQL's plans: writes in autocommit on the repository's own connection, list and tag
// pages by the deferred join alone with totals the triggers keep, search by LIKE over pg_trgm
// indexes, imports that move the identity sequence past the ids they bring.
#include "dialect.hpp"

#include <algorithm>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "note_statements.hpp"

namespace notes::storage::detail {
namespace {

// pg_trgm's GIN indexes serve LIKE '%...%' on the folded columns, in custom and generic plans;
// the owner filters what they find.
constexpr const char* like_match =
    " WHERE owner = :owner"
    " AND (search_title LIKE :q ESCAPE '\\' OR search_content LIKE :q2 ESCAPE '\\')";

class postgresql_plans final : public dialect_plans {
 public:
  explicit postgresql_plans(note_statements& common)
      : common_(common),
        search_count_(common.prepare_number(std::string("SELECT COUNT(*) FROM notes") + like_match,
                                            soci::use(common.in.owner, "owner"),
                                            soci::use(pattern_, "q"), soci::use(pattern_, "q2"))),
        search_page_(common.prepare_page(select_notes() + like_match + newest_first + one_page,
                                         soci::use(common.in.owner, "owner"),
                                         soci::use(pattern_, "q"), soci::use(pattern_, "q2"))) {}

  // One statement in autocommit, unless `work` opens a transaction.
  result<void> write(std::string_view, const write_work& work) override { return work(common_); }

  result<void> write_together(std::string_view, const write_work& work) override {
    transaction_scope transaction(common_.transactions, transaction_scope::mode::write);
    auto done = work(common_);
    if (done) transaction.commit();
    return done;
  }

  note_page list(list_order order, page_request page) override {
    note_page out;
    out.total = common_.fetch_number(common_.count);
    if (out.total > page.offset()) {
      out.notes = common_.fetch_page(common_.list_page(order), page.limit(), page.offset());
    }
    return out;
  }

  note_page list_tag(const std::string& tag, list_order order, page_request page,
                     bool after) override {
    common_.one_tag = tag;
    return one_tag_notes(common_, common_.fetch_number(common_.one_tag_count), order, page,
                         after);
  }

  std::vector<tag_count> tag_counts() override { return detail::tag_counts(common_); }

  note_page list_after(list_order order, std::int64_t limit) override {
    note_page out;
    out.total = common_.fetch_number(common_.count);
    out.notes = common_.fetch_page(common_.list_after_page(order), limit, 0);
    return out;
  }

  note_page search(const std::string& needle, page_request page) override {
    pattern_ = like_pattern(needle);
    note_page out;
    out.total = common_.fetch_number(search_count_);
    if (out.total > page.offset()) {
      out.notes = common_.fetch_page(search_page_, page.limit(), page.offset());
    }
    return out;
  }

  result<void> import(const note_archive& archive) override {
    transaction_scope transaction(common_.transactions, transaction_scope::mode::write);
    defer_kept_totals(common_);
    auto highest = insert_keeping_ids(common_, archive);
    if (!highest) return std::unexpected(std::move(highest.error()));
    if (*highest > 0) move_identity_past(*highest);
    std::vector<long long> owners;
    for (const note& n : archive.live) owners.push_back(n.owner);
    std::ranges::sort(owners);
    owners.erase(std::ranges::unique(owners).begin(), owners.end());
    recount_kept_totals(common_, owners);
    transaction.commit();
    return {};
  }

  result<std::int64_t> remove_all(account_id owner) override {
    transaction_scope transaction(common_.transactions, transaction_scope::mode::write);
    // One statement, but its notes' tags go one note at a time (note_tags_sync).
    defer_kept_totals(common_);
    const std::int64_t removed = detail::remove_all(common_, owner);
    const long long owners[] = {owner};
    recount_kept_totals(common_, owners);
    transaction.commit();
    return removed;
  }

 private:
  // Imported ids bypass the identity sequence; move it past them (never backwards, so ids of
  // deleted notes stay retired).
  void move_identity_past(long long highest) {
    long long ignored = 0;
    common_.session << "SELECT setval(pg_get_serial_sequence('notes', 'id'),"
                       " GREATEST(:highest, nextval(pg_get_serial_sequence('notes', 'id'))))",
        soci::use(highest, "highest"), soci::into(ignored);
  }

  note_statements& common_;
  std::string pattern_;  // the needle as a LIKE pattern
  soci::statement search_count_;
  soci::statement search_page_;
};

std::unique_ptr<dialect_plans> prepare_postgresql(note_statements& common,
                                                  const database_config&) {
  return std::make_unique<postgresql_plans>(common);
}

}  // namespace

// Reads take one snapshot for a page and its total; writers keep READ COMMITTED plus row locks.
const dialect postgresql_dialect{
    database_kind::postgresql,
    {.begin_read = "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY", .begin_write = "BEGIN"},
    "octet_length(content)", false, prepare_postgresql};

}  // namespace notes::storage::detail
