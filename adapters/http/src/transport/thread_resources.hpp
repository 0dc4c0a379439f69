#pragma once
// What one server thread owns, the same for a network thread (worker) and a thread of the
// blocking pool: its own storage connection and the services over it. A handler uses those of
// the thread it runs on, so it needs no locks, wherever it runs.
#include <memory>

#include "notes/http/server.hpp"
#include "notes/note_repository.hpp"
#include "notes/note_service.hpp"
#include "ops/metrics.hpp"

namespace notes::http {

// Each member is held by pointer so that the services' references to the repository survive a
// move of the whole. Members are destroyed bottom-up: the services before the repository.
struct thread_resources {
  std::unique_ptr<note_repository> repository;  // from the factory, its failures counted
  std::unique_ptr<note_service> notes;
};

// Opens one repository with `make_repository`, counts its storage failures in `metrics` (which
// only the calling thread's owner may write), and builds the services over it. Throws what the
// factory throws, or std::runtime_error when it returns nothing.
thread_resources make_thread_resources(const repository_factory& make_repository,
                                       worker_metrics& metrics);

}  // namespace notes::http
