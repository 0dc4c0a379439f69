#pragma once
// One TCP connection: reads requests one after another (keep-alive), routes them on the worker
// thread that owns the connection (handlers on the blocking and storage lanes run on their
// pools, and their answer comes back to this thread), writes the responses. Shaped after Beast's
// async server examples: the connection owns the stream and a buffer reused across requests, sets a deadline
// before every read and write, caps headers and body, and answers transport errors by closing.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/require.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>

#include "notes/http/server.hpp"
#include "ops/metrics.hpp"
#include "routing/router.hpp"
#include "transport/blocking_pool.hpp"
#include "transport/thread_resources.hpp"

namespace notes::http {

class connection;

// Answers worked out on threads that are not the server's (a write handed off to storage),
// counted until each is posted back to its connection's thread: the server's stop waits for
// them before it stops the workers.
class answers_away {
 public:
  void leave() {
    std::scoped_lock lock(mutex_);
    ++away_;
  }
  void back() {
    {
      std::scoped_lock lock(mutex_);
      --away_;
    }
    returned_.notify_all();
  }
  void wait() {
    std::unique_lock lock(mutex_);
    returned_.wait(lock, [this] { return away_ == 0; });
  }
  // Whether every answer came back before `deadline`.
  bool wait_until(std::chrono::steady_clock::time_point deadline) {
    std::unique_lock lock(mutex_);
    return returned_.wait_until(lock, deadline, [this] { return away_ == 0; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable returned_;
  std::size_t away_ = 0;
};

// What the connections of one worker thread share. Only that thread touches it after start,
// except `routes` and `options` (read by the blocking pool too, never written).
struct worker_state {
  const router& routes;
  thread_resources& resources;
  blocking_pool& pool;
  blocking_pool& storage;  // the storage lane: writes, each waiting at most storage_wait
  const server_options& options;
  const std::atomic<bool>& stopping;
  worker_metrics& metrics;
  answers_away& away;  // shared by every worker
  std::list<connection*> connections;  // open connections, for closing idle ones on stop
};

class connection : public std::enable_shared_from_this<connection> {
 public:
  // Bound to the worker's io_context by type, not through the type-erased any_io_executor:
  // the executor is copied on every operation.
  using executor_type = boost::asio::io_context::executor_type;
  using socket_type = boost::asio::basic_stream_socket<boost::asio::ip::tcp, executor_type>;
  // The executor with tracked work: keeps the worker's io_context running while an answer is
  // on its way from another thread.
  using tracked_executor = std::decay_t<decltype(boost::asio::require(
      std::declval<executor_type>(), boost::asio::execution::outstanding_work.tracked))>;

  connection(socket_type&& socket, worker_state& worker);
  ~connection();

  // Runs on the worker's thread.
  void start();
  // The server is stopping: close now if waiting for a request; otherwise the request in
  // flight completes and the connection closes after its response.
  void shutdown();

 private:
  using error_code = boost::system::error_code;

  void wait_for_request();
  void on_first_bytes(error_code ec, std::size_t bytes);
  void read_header();
  void read_header_part();
  void on_header_part(error_code ec);
  void on_header();
  void read_body();
  void on_body(error_code ec);
  void read_chunks();
  void on_read_error(error_code ec);
  // Answers with the error and closes: the rest of the stream cannot be trusted.
  void refuse(const error_info& info);
  void handle_request();
  // Hands the request to `pool` (the blocking pool or the storage lane); the answer comes back
  // through answer(). `refused`: the 503's message when the pool gives it back without running.
  void offload(const router::match_result& matched, blocking_pool& pool,
               std::string_view refused);
  // Runs the matched handler with `services` on the calling thread; its answer, whenever and
  // on whatever thread it comes, is posted back to the connection's thread through `work`.
  // `away`: counts the answer while it is on its way, when it is not the pool's.
  static void dispatch(std::shared_ptr<connection> self, const router::match_result& matched,
                       const thread_services& services, tracked_executor work,
                       answers_away* away = nullptr);
  tracked_executor tracked();
  void answer(response res);
  void send(bool keep_alive);
  void on_write(error_code ec);
  void linger();
  void drain();
  void close();
  void begin_request();

  boost::beast::basic_stream<boost::asio::ip::tcp, executor_type> stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  response res_;
  worker_state& worker_;
  std::list<connection*>::iterator registration_;
  bool registered_ = false;
  bool idle_ = false;
  bool linger_ = false;  // the response reports a broken request: drain, then close
  bool in_flight_ = false;  // counted in the metrics' in-flight gauge
  std::size_t route_ = router::no_route;
  std::string peer_;     // the client's IP address
  std::string visitor_;  // who the access gate let in, for the access log
  std::size_t drained_ = 0;
  std::chrono::steady_clock::time_point started_;
};

}  // namespace notes::http
