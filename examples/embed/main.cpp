// Uses the notes core with the in-memory repository: no database, no server.
#include <iostream>

#include <notes/memory_note_repository.hpp>
#include <notes/note_service.hpp>

int main() {
  notes::memory_note_repository repository;
  notes::note_service service(repository);

  auto created = service.create({"Groceries", "Milk, Äpfel, coffee", true});
  if (!created) {
    std::cerr << "create failed: " << created.error().message << '\n';
    return 1;
  }
  auto refused = service.create({"   ", "blank titles are refused", false});
  auto found = service.search("äPFEL", {});
  if (refused || !found || found->page.total != 1) {
    std::cerr << "unexpected result\n";
    return 1;
  }
  std::cout << "note " << created->id << " '" << created->title << "' created at "
            << notes::to_rfc3339(created->created_at) << "; search found " << found->page.total
            << "; blank title refused: " << refused.error().fields.front().message << '\n';
  return 0;
}
