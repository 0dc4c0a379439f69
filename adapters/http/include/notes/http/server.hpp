#pragma once
// The HTTP server: what app/ and the tests see of the adapter. No Boost in this header.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "notes/account_repository.hpp"
#include "notes/credentials.hpp"
#include "notes/error.hpp"
#include "notes/forwarding_note_repository.hpp"
#include "notes/note_service.hpp"
#include "notes/note_repository.hpp"
#include "notes/note_service.hpp"

namespace notes::http {

// Called once per server thread at start (every worker, blocking-pool and storage thread): each
// thread owns its repository (a storage connection), so request handling needs no locks. May
// throw to refuse start-up.
using repository_factory = std::function<std::unique_ptr<note_repository>()>;

// Every worker gets a non-owning view of `shared`, which must be thread-safe (the in-memory
// repository is) and outlive the server.
inline repository_factory share_repository(note_repository& shared) {
  return [&shared] { return std::make_unique<forwarding_note_repository>(shared); };
}

// Settings the HTML interface needs; the JSON API ignores them.
struct web_options {
  std::string secret_key;      // signs session cookies; empty: a random key per start
  bool secure_cookies = false; // mark cookies Secure (behind TLS)
  std::string templates_dir;   // empty: the templates built into the binary
  std::string static_dir;      // empty: the static files built into the binary
};

// What a storage's write queue committed so far: SQLite commits the writes that arrive while
// a transaction commits together, in the next one.
struct write_batch_counts {
  std::int64_t transactions = 0;  // transactions that committed writes
  std::int64_t writes = 0;        // the writes saved in them
  // WAL checkpoints on the checkpointer's own thread, and on a writer's connection.
  std::int64_t checkpoints_beside = 0;
  std::int64_t checkpoints_by_writers = 0;
  // Moves of the search queue and of the revision queue, committed and put off.
  std::int64_t search_queue_moves = 0;
  std::int64_t search_queue_moves_deferred = 0;
  std::int64_t revision_queue_moves = 0;
  std::int64_t revision_queue_moves_deferred = 0;
};

// What the operational endpoints learn from outside the adapter (app/ wires it to storage).
struct ops_options {
  // GET /readyz: success when storage is reachable and its schema current; the error says
  // what is wrong. Called on the blocking pool's threads, several at once, so it must be
  // thread-safe; it may block (a database round trip, a lock wait) without holding up other
  // requests. Empty: always ready (nothing to check, as in memory).
  std::function<result<void>()> readiness;
  // Called by stop() once the shutdown timeout has passed with requests still running: storage
  // calls that wait (for another process's lock) should give up now, so that those requests end
  // with an answer instead of holding up the stop. Empty: nothing to interrupt.
  std::function<void()> interrupt_storage;
  // GET /metrics: the storage's write batches so far (notes_storage_write_transactions_total,
  // notes_storage_writes_total). Called on a network thread: quick and thread-safe. Empty: not
  // reported (memory; PostgreSQL commits each write alone).
  std::function<write_batch_counts()> write_batches;
};

// Called once per thread that handles requests, like repository_factory: each thread owns its
// account repository. May throw to refuse start-up.
using account_repository_factory = std::function<std::unique_ptr<account_repository>()>;

// Who may use the server (AUTH). Without accounts there is one shared notebook and no sign-in.
struct auth_options {
  bool accounts = false;      // AUTH=accounts: every note belongs to an account, sign-in required
  bool open_signup = false;   // SIGNUP=open: /signup lets anyone create an account
  std::chrono::seconds session_lifetime = std::chrono::days(30);
  account_repository_factory make_accounts;  // required with accounts
  std::shared_ptr<credentials> crypto;       // thread-safe; required with accounts
};

struct server_options {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;  // 0 picks a free port; see server::port()
  unsigned threads = 0;       // network threads (workers); 0: one per core
  // Threads that run the handlers which may block (the routes added on route_lane::blocking:
  // /readyz), so that those never hold up the connections of a network thread. Each holds a
  // repository of its own, as a worker does. At least 1.
  unsigned blocking_threads = 2;
  // How many such requests may wait for a blocking thread; beyond that they are answered 503
  // with Retry-After at once, without running.
  std::size_t blocking_queue = 64;
  // The storage lane: threads that run the writes (routes added on route_lane::storage), each
  // with a repository (a database connection) of its own, so that a write waiting for another
  // process's lock holds up no network thread. Reads stay on the network threads. At least 1.
  unsigned storage_threads = 4;
  // How long a write may wait for a storage thread to start it; then it is answered 503 with
  // Retry-After, having changed nothing. Positive. app/ sets it to the busy timeout.
  std::chrono::milliseconds storage_wait{5'000};
  // How many writes may wait for a storage thread; beyond that, 503 with Retry-After at once.
  std::size_t storage_queue = 1024;
  std::size_t body_limit = 1024 * 1024;
  std::size_t header_limit = 8 * 1024;
  // From the first byte of a request until it is fully read (and for writing the response).
  std::chrono::milliseconds read_timeout{10'000};
  // How long a keep-alive connection may wait for its next request.
  std::chrono::milliseconds idle_timeout{30'000};
  // On stop, how long requests in flight may take before connections are cut (storage calls
  // still waiting then are interrupted, see ops_options::interrupt_storage).
  std::chrono::milliseconds shutdown_timeout{10'000};
  bool access_log = true;
  // Revisions kept per note; whether a delete trashes follows trash_days (0: for good).
  notes::history_policy history;
  // Trashed notes older than this are deleted for good by the server: at start, then hourly.
  std::chrono::days trash_days{30};
  // false: the server never sweeps (a program embedding it sweeps on its own schedule, or a test
  // needs the blocking lane to itself).
  bool sweep_trash = true;
  web_options web;
  ops_options ops;
  auth_options auth;
};

class server {
 public:
  server(server_options options, repository_factory make_repository);
  ~server();  // stops if still running
  server(const server&) = delete;
  server& operator=(const server&) = delete;

  // Builds one repository per thread (workers and blocking pool), binds, and starts serving on
  // background threads. Throws std::system_error when the address cannot be bound,
  // std::invalid_argument when blocking_threads or storage_threads is 0 or storage_wait not
  // positive, or what the factory throws.
  void start();

  // The bound port (useful after asking for port 0). Valid after start().
  std::uint16_t port() const noexcept;
  unsigned threads() const noexcept;           // network threads
  unsigned blocking_threads() const noexcept;  // the blocking pool's
  unsigned storage_threads() const noexcept;   // the storage lane's

  // Stops accepting, closes idle connections, answers requests still waiting for a blocking
  // thread with 503 (and takes new ones only when a blocking thread is free to start them at
  // once), lets requests in flight finish, on any thread (at most shutdown_timeout; then storage
  // calls are interrupted and the answers they make are given a moment to be sent), joins the
  // threads and releases the repositories. The join waits for a handler that a storage call (or
  // a readiness check) still holds. Idempotent.
  void stop();

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace notes::http
