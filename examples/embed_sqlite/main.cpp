// Keeps notes in a SQLite file: creates its schema, stores a note and finds it again.
//   notes-embed-sqlite <file>
#include <iostream>

#include <notes/note_service.hpp>
#include <notes/storage/database.hpp>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: notes-embed-sqlite <database file>\n";
    return 2;
  }
  notes::storage::database_config config;
  config.path = argv[1];

  // A new file is created here, with the schema this build of notes needs.
  if (auto migrated = notes::storage::migrate(config); !migrated) {
    std::cerr << "migrate failed: " << migrated.error().message << '\n';
    return 1;
  }
  auto repository = notes::storage::open_repository(config);
  if (!repository) {
    std::cerr << "open failed: " << repository.error().message << '\n';
    return 1;
  }
  notes::note_service service(**repository);
  auto created = service.create({"Groceries", "Milk, Äpfel, coffee", true});
  auto found = service.search("äPFEL", {});
  if (!created || !found) {
    std::cerr << "unexpected failure\n";
    return 1;
  }
  std::cout << "note " << created->id << " stored in " << config.path << "; search found "
            << found->page.total << "; PostgreSQL support: "
            << (notes::storage::postgresql_supported() ? "yes" : "no") << '\n';
  return 0;
}
