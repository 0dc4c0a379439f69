#pragma once
// The worker's repository as its service sees it: every call goes to the real repository, and
// failures of the storage itself (unavailable, storage_failure, storage_full, read_only) are
// counted for /metrics. Both the API and the pages reach storage only through here, so none is
// missed.
#include <memory>

#include "notes/forwarding_note_repository.hpp"
#include "ops/metrics.hpp"

namespace notes::http {

class metered_repository final : public forwarding_note_repository {
 public:
  metered_repository(std::unique_ptr<note_repository> inner, worker_metrics& metrics)
      : forwarding_note_repository(std::move(inner)), metrics_(metrics) {}

  // The same storage without the count: notes_storage_errors_total counts what requests met,
  // and the trash sweep logs its own failures.
  note_repository& unmetered() noexcept { return target(); }

 private:
  void on_failure(const error& e) override { metrics_.storage_error(e.code); }

  worker_metrics& metrics_;
};

}  // namespace notes::http
