#include "search_key_migration.hpp"

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "note_row.hpp"
#include "notes/text.hpp"
#include "notes/validation.hpp"

namespace notes::storage::detail {
namespace {

// Rows read per query: bounded memory whatever the table holds (contents are up to 400 KB).
constexpr std::size_t batch_size = 200;

void recompute_table(soci::session& session, std::string_view table) {
  const std::string select = "SELECT id, title, content, tags, search_title, search_content,"
                             " search_tags FROM " + std::string(table) +
                             " WHERE id > :after ORDER BY id LIMIT " +
                             std::to_string(batch_size);
  long long id = 0;
  std::string search_title;
  std::string search_content;
  std::string search_tags;
  soci::statement update = (session.prepare << "UPDATE " + std::string(table) +
                                                   " SET search_title = :t, search_content = :c,"
                                                   " search_tags = :g WHERE id = :id",
                            soci::use(search_title, "t"), soci::use(search_content, "c"),
                            soci::use(search_tags, "g"), soci::use(id, "id"));
  long long after = 0;
  while (true) {
    std::vector<long long> ids(batch_size);
    std::vector<std::string> titles(batch_size), contents(batch_size), tags(batch_size),
        old_titles(batch_size), old_contents(batch_size), old_tags(batch_size);
    session << select, soci::into(ids), soci::into(titles), soci::into(contents),
        soci::into(tags), soci::into(old_titles), soci::into(old_contents), soci::into(old_tags),
        soci::use(after, "after");
    for (std::size_t i = 0; i < ids.size(); ++i) {
      search_title = text::search_key(titles[i]);
      search_content = text::search_key(contents[i]);
      search_tags = encode_tags(fold_tags(decode_tags(tags[i])));
      if (search_title == old_titles[i] && search_content == old_contents[i] &&
          search_tags == old_tags[i]) {
        continue;
      }
      id = ids[i];
      update.execute(true);
    }
    if (ids.size() < batch_size) break;
    after = ids.back();
  }
}

}  // namespace

void recompute_search_keys(soci::session& session) {
  for (std::string_view table : std::array<std::string_view, 2>{"notes", "trashed_notes"}) {
    recompute_table(session, table);
  }
}

}  // namespace notes::storage::detail
