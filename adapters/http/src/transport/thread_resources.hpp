#pragma once
// What one server thread owns, the same for a network thread (worker) and a thread of the
// blocking pool: its own storage connections and the services over them. A handler uses those
// of the thread it runs on, so it needs no locks, wherever it runs.
#include <memory>

#include "notes/account_repository.hpp"
#include "notes/account_service.hpp"
#include "notes/http/server.hpp"
#include "notes/note_repository.hpp"
#include "notes/note_service.hpp"
#include "ops/metrics.hpp"
#include "routing/router.hpp"
#include "transport/account_gate.hpp"
#include "web/cookie_session.hpp"

namespace notes::http {

// Each member is held by pointer so that the services' references to the repositories survive
// a move of the whole. Members are destroyed bottom-up: the services before the repositories.
struct thread_resources {
  std::unique_ptr<note_repository> repository;  // from the factory, its failures counted
  std::unique_ptr<note_service> notes;
  // With accounts only: the thread's account repository, the account use cases over it and
  // the note repository, and the gate that asks who is there (remembering what it looked up).
  std::unique_ptr<account_repository> account_store;
  std::unique_ptr<account_service> accounts;
  std::unique_ptr<account_gate> gate;
  account_events* events = nullptr;

  thread_services services() const noexcept {
    return thread_services{*notes, accounts.get(), gate.get(), events};
  }
};

// Opens one repository with `make_repository`, counts its storage failures in `metrics` (which
// only the calling thread's owner may write), and builds the services over it; with accounts,
// opens an account repository with auth.make_accounts too, and the gate reads session cookies
// with `sessions` (which must outlive the resources). Throws what the factories throw, or
// std::runtime_error when one returns nothing. The note service keeps what `history` says.
thread_resources make_thread_resources(const repository_factory& make_repository,
                                       worker_metrics& metrics, const auth_options& auth,
                                       const web::cookie_session_codec& sessions,
                                       const history_policy& history);

}  // namespace notes::http
