// PostgreSQL's plans: writes in autocommit on the repository's own connection, list and tag
// pages by the deferred join alone with totals the triggers keep, search by LIKE over pg_trgm
// indexes, imports that move the identity sequence past the ids they bring.
#include "dialect.hpp"

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "note_statements.hpp"

namespace notes::storage::detail {

std::shared_ptr<unchanged_reads> postgresql_kept_reads(const database_config& config) {
  static std::mutex mutex;
  static std::map<std::string, std::weak_ptr<unchanged_reads>> by_database;
  // The options too: one may name another schema (search_path) of the same database.
  std::string name = config.host + '\n' + std::to_string(config.port) + '\n' +
                     config.database_name + '\n' + config.user;
  for (const auto& [key, value] : config.options) name += '\n' + key + '=' + value;
  std::scoped_lock lock(mutex);
  std::erase_if(by_database, [](const auto& entry) { return entry.second.expired(); });
  auto& slot = by_database[name];
  if (auto alive = slot.lock()) return alive;
  auto made = std::make_shared<unchanged_reads>(unchanged_reads::kept_bytes);
  slot = made;
  return made;
}

namespace {

// pg_trgm's GIN indexes serve LIKE '%...%' on the folded columns, in custom and generic plans;
// the owner filters what they find.
constexpr const char* like_match =
    " WHERE owner = :owner"
    " AND (search_title LIKE :q ESCAPE '\\' OR search_content LIKE :q2 ESCAPE '\\')";

// The words of a UUID's text (8-4-4-4-12 hexadecimal digits) into `into`; false when it is
// not one.
bool uuid_words(std::string_view text, std::span<std::uint32_t, 4> into) {
  std::size_t digits = 0;
  std::ranges::fill(into, 0U);
  for (const char c : text) {
    if (c == '-') continue;
    unsigned value = 0;
    if (c >= '0' && c <= '9') {
      value = static_cast<unsigned>(c - '0');
    } else if (c >= 'a' && c <= 'f') {
      value = static_cast<unsigned>(c - 'a' + 10);
    } else {
      return false;
    }
    if (digits == 32) return false;
    std::uint32_t& word = into[digits / 8];
    word = (word << 4U) | value;
    ++digits;
  }
  return digits == 32;
}

class postgresql_plans final : public dialect_plans {
 public:
  postgresql_plans(note_statements& common, const database_config& config)
      : common_(common),
        kept_(postgresql_kept_reads(config)),
        changed_at_(prepare_statement(
            common.session, "SELECT CAST(changed AS text) FROM note_stamps WHERE owner = :owner",
            soci::use(stamp_owner_, "owner"), soci::into(changed_))),
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

  // The owner's change stamp (migration 14), one query: so nothing for a read that is one
  // query itself, nor for an owner without a stamp (no notes written yet, or none since a
  // TRUNCATE). The kept reads go with it: a reconnect during the read replaces these plans.
  std::optional<unchanged> unchanged_now(account_id owner, bool one_query) override {
    if (one_query) return std::nullopt;
    stamp_owner_ = owner;
    {
      statement_scope scope(changed_at_, common_.kind);
      if (!changed_at_.execute(true)) return std::nullopt;
    }
    const auto bits = static_cast<unsigned long long>(owner);
    wal_stamp at{static_cast<std::uint32_t>(bits), static_cast<std::uint32_t>(bits >> 32U)};
    if (!uuid_words(changed_, std::span<std::uint32_t, 4>(at.data() + 2, 4))) return std::nullopt;
    return unchanged{*kept_, at, kept_};
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
  std::shared_ptr<unchanged_reads> kept_;
  long long stamp_owner_ = 0;
  std::string changed_;
  soci::statement changed_at_;  // stamp_owner_'s stamp into changed_
  std::string pattern_;  // the needle as a LIKE pattern
  soci::statement search_count_;
  soci::statement search_page_;
};

std::unique_ptr<dialect_plans> prepare_postgresql(note_statements& common,
                                                  const database_config& config) {
  return std::make_unique<postgresql_plans>(common, config);
}

}  // namespace

// Reads take one snapshot for a page and its total; writers keep READ COMMITTED plus row locks.
const dialect postgresql_dialect{
    database_kind::postgresql,
    {.begin_read = "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY", .begin_write = "BEGIN"},
    "octet_length(content)", false, prepare_postgresql};

}  // namespace notes::storage::detail
