#include "notes/http/server.hpp"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "log/access_log.hpp"
#include "notes/http/log.hpp"
#include "notes/note_service.hpp"
#include "ops/metered_repository.hpp"
#include "ops/metrics.hpp"
#include "transport/blocking_pool.hpp"
#include "transport/connection.hpp"
#include "transport/route_table.hpp"
#include "transport/thread_resources.hpp"
#include "web/web_routes.hpp"

namespace notes::http {

namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

// How long start and stop wait for log lines to reach stderr: start-up warnings come before
// the caller's "listening" line and the last access lines before its "stopped", unless stderr
// is stalled.
constexpr std::chrono::seconds log_flush_wait{1};

// After the shutdown timeout interrupted storage: how long the handlers it held get to finish
// and send their answers. Giving up waiting takes SQLite about a millisecond.
constexpr std::chrono::seconds interrupted_answer_wait{1};

// How often the server deletes for good the notes trashed longer than trash_days ago. Several
// servers on one database may do it at once: it is one idempotent DELETE.
constexpr std::chrono::hours trash_sweep_interval{1};

// One network thread, its io_context, and the storage connection and services only it uses.
// Every connection lives on exactly one worker, so its handlers never run concurrently with each
// other and the services need no locks. Members are destroyed bottom-up: the io_context (and
// the connections its pending handlers own) before the state and services they point to.
struct worker {
  thread_resources owned;
  std::optional<worker_state> state;
  net::io_context ioc{1};
  std::optional<net::executor_work_guard<net::io_context::executor_type>> guard;
  std::thread thread;
  // Under server::impl::mutex: the thread left its io_context; it ran a handler posted by
  // wait_for_handlers (so the handler it was running has returned).
  bool finished = false;
  bool caught_up = false;
};

}  // namespace

struct server::impl {
  server_options options;
  repository_factory make_repository;
  std::atomic<bool> stopping{false};
  server_metrics metrics;
  std::shared_ptr<const web::cookie_session_codec> sessions;
  router routes;

  // Joined, and their threads' resources released, before the workers are destroyed: their jobs
  // hold connections of the workers.
  std::optional<blocking_pool> pool;
  std::optional<blocking_pool> storage_lane;
  answers_away away;  // handed-off writes' answers on their way back to the workers
  std::vector<std::unique_ptr<worker>> workers;
  std::optional<tcp::acceptor> acceptor;          // runs on workers[0]
  std::optional<net::steady_timer> accept_retry;  // backs off when accept fails (e.g. EMFILE)
  std::optional<net::steady_timer> sweep_timer;   // runs on workers[0]
  std::size_t next_worker = 0;
  std::uint16_t bound_port = 0;

  std::mutex mutex;
  std::condition_variable all_done;
  std::size_t running = 0;
  bool started = false;
  bool stopped = false;

  impl(server_options o, repository_factory f)
      : options(std::move(o)),
        make_repository(std::move(f)),
        sessions(make_cookie_sessions(options.web, options.auth)),
        routes(build_router(options, server_status{metrics, stopping}, sessions)) {
    std::vector<std::string> patterns;
    for (auto& route : routes.routes()) patterns.push_back(std::move(route.pattern));
    metrics.set_routes(std::move(patterns));
  }

  // A delete trashes only when the sweep keeps trashed notes for some days.
  history_policy history() const {
    return {.revisions_keep = options.history.revisions_keep,
            .trash = options.trash_days > std::chrono::days{0}};
  }

  void open_acceptor();
  void accept();
  void run_worker(worker& w);
  void sweep_trash_later(std::chrono::steady_clock::duration delay);
  void sweep_trash_now();
  void wait_for_handlers(std::chrono::steady_clock::time_point deadline);
};

void server::impl::open_acceptor() {
  net::io_context& ioc = workers.front()->ioc;
  tcp::resolver resolver(ioc);
  boost::system::error_code ec;
  auto endpoints = resolver.resolve(options.host, std::to_string(options.port),
                                    tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  if (ec || endpoints.empty()) {
    throw std::system_error(ec, "cannot resolve host '" + options.host + "'");
  }
  tcp::endpoint endpoint = endpoints.begin()->endpoint();
  acceptor.emplace(ioc);
  auto check = [&](const char* what) {
    if (ec) {
      throw std::system_error(ec, std::string("cannot listen on ") + options.host + ":" +
                                      std::to_string(options.port) + " (" + what + ")");
    }
  };
  acceptor->open(endpoint.protocol(), ec);
  check("open");
  acceptor->set_option(net::socket_base::reuse_address(true), ec);
  check("reuse_address");
  acceptor->bind(endpoint, ec);
  check("bind");
  acceptor->listen(net::socket_base::max_listen_connections, ec);
  check("listen");
  bound_port = acceptor->local_endpoint().port();
  accept_retry.emplace(ioc);
}

void server::impl::accept() {
  worker& target = *workers[next_worker];
  next_worker = (next_worker + 1) % workers.size();
  acceptor->async_accept(target.ioc, [this, &target](boost::system::error_code ec,
                                                     connection::socket_type socket) {
    if (stopping.load() || !acceptor->is_open()) return;
    if (ec) {
      // Usually out of file descriptors: wait for connections to close instead of spinning.
      log_error("accept", ec.message());
      accept_retry->expires_after(std::chrono::milliseconds(50));
      accept_retry->async_wait([this](boost::system::error_code timer_ec) {
        if (!timer_ec && !stopping.load()) accept();
      });
      return;
    }
    auto s = std::make_shared<connection>(std::move(socket), *target.state);
    net::post(target.ioc, [s] { s->start(); });
    accept();
  });
}

void server::impl::sweep_trash_later(std::chrono::steady_clock::duration delay) {
  sweep_timer->expires_after(delay);
  sweep_timer->async_wait([this](boost::system::error_code ec) {
    if (!ec && !stopping.load()) sweep_trash_now();
  });
}

// The DELETE may wait on storage, so it runs on the blocking pool; the next sweep is scheduled
// back on workers[0], where the timer lives. A failure or a full pool waits for the next hour.
void server::impl::sweep_trash_now() {
  blocking_pool::job sweep = [this](thread_resources* owned) {
    if (owned != nullptr) {
      // make_thread_resources meters every repository it makes.
      auto& storage = static_cast<metered_repository&>(*owned->repository).unmetered();
      auto swept = notes::sweep_trash(storage, system_now(), options.trash_days);
      if (!swept) {
        log_error("trash sweep", swept.error().message);
      } else if (*swept > 0) {
        metrics.trash_swept(*swept);
        log_message("trash sweep: deleted " + std::to_string(*swept) + " note" +
                    (*swept == 1 ? "" : "s") + " trashed more than " +
                    std::to_string(options.trash_days.count()) + " days ago");
      }
    }
    net::post(workers.front()->ioc, [this] {
      if (!stopping.load()) sweep_trash_later(trash_sweep_interval);
    });
  };
  if (pool->post(sweep) != blocking_pool::admission::accepted) {
    sweep_trash_later(trash_sweep_interval);
  }
}

void server::impl::run_worker(worker& w) {
  while (true) {
    try {
      w.ioc.run();
      break;
    } catch (const std::exception& e) {
      // A handler threw past every guard; keep serving the other connections.
      log_error("worker", e.what());
    }
  }
  std::lock_guard lock(mutex);
  --running;
  w.finished = true;
  all_done.notify_all();
}

// Waits, at most until `deadline`, until the blocking pool's jobs have returned and the
// handed-off writes' answers came back (each posting its answer to its worker), and then every worker has returned from the handler it was running:
// each runs its handlers one after another, so one posted now runs after that one. A response
// the handler started writing has then been handed to the socket.
void server::impl::wait_for_handlers(std::chrono::steady_clock::time_point deadline) {
  pool->wait_idle(deadline);
  storage_lane->wait_idle(deadline);
  away.wait_until(deadline);
  for (auto& w : workers) {
    net::post(w->ioc, [this, &w = *w] {
      std::lock_guard lock(mutex);
      w.caught_up = true;
      all_done.notify_all();
    });
  }
  std::unique_lock lock(mutex);
  all_done.wait_until(lock, deadline, [this] {
    return std::all_of(workers.begin(), workers.end(),
                       [](const auto& w) { return w->finished || w->caught_up; });
  });
}

server::server(server_options options, repository_factory make_repository)
    : impl_(std::make_unique<impl>(std::move(options), std::move(make_repository))) {}

server::~server() { stop(); }

void server::start() {
  impl& s = *impl_;
  if (s.started) throw std::logic_error("server already started");
  const auth_options& auth = s.options.auth;
  if (auth.accounts && (!auth.make_accounts || !auth.crypto)) {
    throw std::invalid_argument("accounts need an account repository factory and credentials");
  }
  if (auth.accounts && auth.session_lifetime <= std::chrono::seconds::zero()) {
    throw std::invalid_argument("the session lifetime must be positive");
  }
  if (s.options.trash_days < std::chrono::days{0} || s.options.history.revisions_keep < 0) {
    throw std::invalid_argument("trash_days and history.revisions_keep must not be negative");
  }
  if (s.options.blocking_threads == 0 || s.options.storage_threads == 0) {
    throw std::invalid_argument(
        "server_options::blocking_threads and storage_threads must be at least 1");
  }
  if (s.options.storage_wait <= std::chrono::milliseconds::zero()) {
    throw std::invalid_argument("server_options::storage_wait must be positive");
  }
  s.pool.emplace(s.options.blocking_queue);
  for (unsigned i = 0; i < s.options.blocking_threads; ++i) {
    s.pool->add_thread(
        make_thread_resources(s.make_repository, s.metrics.add_worker(), auth, *s.sessions,
                              s.history()));
  }
  s.storage_lane.emplace(s.options.storage_queue, s.options.storage_wait);
  for (unsigned i = 0; i < s.options.storage_threads; ++i) {
    s.storage_lane->add_thread(
        make_thread_resources(s.make_repository, s.metrics.add_worker(), auth, *s.sessions,
                              s.history()));
  }
  unsigned count = s.options.threads;
  if (count == 0) count = std::max(1u, std::thread::hardware_concurrency());
  for (unsigned i = 0; i < count; ++i) {
    auto w = std::make_unique<worker>();
    worker_metrics& metrics = s.metrics.add_worker();
    w->owned = make_thread_resources(s.make_repository, metrics, auth, *s.sessions, s.history());
    w->state.emplace(
        worker_state{s.routes, w->owned, *s.pool, *s.storage_lane, s.options, s.stopping,
                     metrics, s.away, {}});
    w->guard.emplace(w->ioc.get_executor());
    s.workers.push_back(std::move(w));
  }
  s.open_acceptor();
  s.accept();
  s.started = true;
  s.running = s.workers.size();
  s.pool->start();
  s.storage_lane->start();
  s.sweep_timer.emplace(s.workers.front()->ioc);
  if (s.options.sweep_trash) {
    net::post(s.workers.front()->ioc, [&s] {
      if (!s.stopping.load()) s.sweep_trash_now();
    });
  }
  for (auto& w : s.workers) {
    w->thread = std::thread([&s, &w = *w] { s.run_worker(w); });
  }
  flush_log(log_flush_wait);
}

std::uint16_t server::port() const noexcept { return impl_->bound_port; }

unsigned server::threads() const noexcept {
  return static_cast<unsigned>(impl_->workers.size());
}

unsigned server::blocking_threads() const noexcept {
  return impl_->pool ? static_cast<unsigned>(impl_->pool->threads()) : 0;
}

unsigned server::storage_threads() const noexcept {
  return impl_->storage_lane ? static_cast<unsigned>(impl_->storage_lane->threads()) : 0;
}

void server::stop() {
  impl& s = *impl_;
  if (!s.started || s.stopped) return;
  s.stopped = true;
  s.stopping.store(true);
  net::post(s.workers.front()->ioc, [&s] {
    boost::system::error_code ignored;
    s.acceptor->close(ignored);
    s.accept_retry->cancel();
    s.sweep_timer->cancel();
  });
  for (auto& w : s.workers) {
    net::post(w->ioc, [&w = *w] {
      for (connection* open : w.state->connections) open->shutdown();
      w.guard.reset();
    });
  }
  // Requests waiting for a pool thread are answered 503 now rather than started; the running
  // ones finish like any other request in flight.
  s.pool->close();
  s.storage_lane->close();
  {
    std::unique_lock lock(s.mutex);
    if (!s.all_done.wait_for(lock, s.options.shutdown_timeout, [&s] { return s.running == 0; })) {
      log_error("shutdown", "requests still running after the shutdown timeout; closing them");
      // A handler waiting on storage would hold up the join below for as long as storage makes
      // it wait; interrupted, it answers (503) and that answer goes out before the cut.
      if (s.options.ops.interrupt_storage) {
        lock.unlock();
        s.options.ops.interrupt_storage();
        s.wait_for_handlers(std::chrono::steady_clock::now() + interrupted_answer_wait);
        lock.lock();
      }
      for (auto& w : s.workers) w->ioc.stop();
    }
  }
  for (auto& w : s.workers) {
    if (w->thread.joinable()) w->thread.join();
  }
  // Waits for a handler that storage still holds, like the workers' join; an answer it posts
  // now is dropped with its connection below.
  s.pool->join();
  s.storage_lane->join();
  // The same for the writes handed off to storage: their answers go to the workers' queues,
  // which must still be there (abandoned writes give up their waits at once).
  s.away.wait();
  s.accept_retry.reset();
  s.sweep_timer.reset();
  s.acceptor.reset();
  // Closes every connection left over, then every storage connection.
  s.workers.clear();
  s.pool.reset();
  s.storage_lane.reset();
  flush_log(log_flush_wait);
}

}  // namespace notes::http
