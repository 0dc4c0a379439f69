#include "transport/connection.hpp"

#include <algorithm>
#include <thread>
#include <utility>

#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/require.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include "log/access_log.hpp"
#include "transport/framing.hpp"
#include "transport/http_date.hpp"

namespace notes::http {

namespace beast = boost::beast;
namespace net = boost::asio;

namespace {

// Room for pipelined requests and body chunks on top of a full header; the body itself
// accumulates in the parser, bounded by body_limit.
constexpr std::size_t buffer_slack = 64 * 1024;
constexpr std::size_t first_read_size = 2048;
constexpr std::size_t chunk_read_size = 16 * 1024;
constexpr auto linger_time = std::chrono::seconds(2);
constexpr std::size_t max_drained = 16 * 1024 * 1024;
constexpr std::string_view continue_line = "HTTP/1.1 100 Continue\r\n\r\n";

// The method and target at the start of `raw`, for a request whose request line the parser
// gave up on (too long or malformed): its error response then takes the format of its path, and
// the access log names it. Each part ends at the first byte that cannot belong to it; either may
// come out empty.
std::pair<std::string_view, std::string_view> peek_request_line(std::string_view raw) {
  auto visible = [](char c) { return c > ' ' && c != '\x7f'; };
  std::size_t start = raw.find_first_not_of("\r\n");
  if (start == std::string_view::npos) return {};
  raw.remove_prefix(start);
  std::size_t method_end = 0;
  while (method_end < raw.size() && visible(raw[method_end])) ++method_end;
  if (method_end == raw.size() || raw[method_end] != ' ') return {};
  std::string_view rest = raw.substr(method_end + 1);
  std::size_t target_end = 0;
  while (target_end < rest.size() && visible(rest[target_end])) ++target_end;
  return {raw.substr(0, method_end), rest.substr(0, target_end)};
}

// For a request on the blocking lane that no pool thread will run: the queue is full, or the
// server stops. In the format of its path, and worth retrying (elsewhere, or in a moment).
response unavailable(const router& routes, const request& req, std::string_view message) {
  response res = routes.render_error(req, {status::service_unavailable, message});
  res.set(field::retry_after, "1");
  return res;
}

constexpr std::string_view shutting_down = "The server is shutting down";
constexpr std::string_view storage_busy =
    "Storage is busy; the request was not started. Try again in a moment";

}  // namespace

connection::connection(socket_type&& socket, worker_state& worker)
    : stream_(std::move(socket)),
      buffer_(worker.options.header_limit + buffer_slack),
      worker_(worker) {}

connection::~connection() {
  if (registered_) worker_.connections.erase(registration_);
  if (in_flight_) worker_.metrics.request_ended();
}

void connection::start() {
  registration_ = worker_.connections.insert(worker_.connections.end(), this);
  registered_ = true;
  if (worker_.stopping.load(std::memory_order_relaxed)) return close();
  error_code ignored;
  stream_.socket().set_option(net::ip::tcp::no_delay(true), ignored);
  if (const auto peer = stream_.socket().remote_endpoint(ignored); !ignored) {
    peer_ = peer.address().to_string();
  }
  wait_for_request();
}

void connection::shutdown() {
  if (idle_) stream_.cancel();
}

void connection::wait_for_request() {
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(worker_.options.header_limit));
  parser_->body_limit(worker_.options.body_limit);
  if (buffer_.size() > 0) return read_header();  // a pipelined request is already here
  idle_ = true;
  stream_.expires_after(worker_.options.idle_timeout);
  stream_.async_read_some(buffer_.prepare(first_read_size),
                          [self = shared_from_this()](error_code ec, std::size_t bytes) {
                            self->on_first_bytes(ec, bytes);
                          });
}

void connection::on_first_bytes(error_code ec, std::size_t bytes) {
  idle_ = false;
  if (ec) return close();  // peer gone, idle timeout, or shutdown
  buffer_.commit(bytes);
  read_header();
}

void connection::begin_request() {
  if (!in_flight_) worker_.metrics.request_began();
  in_flight_ = true;
  route_ = router::no_route;
  visitor_.clear();
  started_ = std::chrono::steady_clock::now();
}

void connection::read_header() {
  // Line ends before a request line are ignored (RFC 9112 2.2); with nothing else yet, wait on.
  const auto data = buffer_.cdata();
  const std::size_t empty =
      leading_empty_lines({static_cast<const char*>(data.data()), data.size()});
  if (empty > 0) {
    buffer_.consume(empty);
    if (buffer_.size() == 0) return wait_for_request();
  }
  begin_request();
  stream_.expires_after(worker_.options.read_timeout);
  read_header_part();
}

// The header is read piece by piece, its size checked as it grows: Beast's own limit applies to
// each piece it parses, not to the header as a whole.
void connection::read_header_part() {
  beast::http::async_read_some(stream_, buffer_, *parser_,
                               [self = shared_from_this()](error_code ec, std::size_t) {
                                 self->on_header_part(ec);
                               });
}

void connection::on_header_part(error_code ec) {
  if (ec) return on_read_error(ec);
  if (parser_->is_header_done()) return on_header();
  if (header_block_size(parser_->get()) > worker_.options.header_limit) {
    return refuse({status::request_header_fields_too_large, "Request header too large"});
  }
  read_header_part();
}

void connection::on_header() {
  request& req = parser_->get();
  if (const auto problem = check_framing(req, worker_.options.header_limit)) {
    return refuse({problem->code, problem->message});
  }
  if (auto origin = origin_form(req.target())) req.target(*origin);
  if (parser_->is_done()) return handle_request();
  auto expect = parser_->get().find(beast::http::field::expect);
  if (expect != parser_->get().end() && beast::iequals(expect->value(), "100-continue")) {
    // curl and others wait for this before sending a body.
    net::async_write(stream_, net::buffer(continue_line.data(), continue_line.size()),
                     [self = shared_from_this()](error_code write_ec, std::size_t) {
                       if (write_ec) return self->close();
                       self->read_body();
                     });
    return;
  }
  read_body();
}

void connection::read_body() {
  if (parser_->chunked()) return read_chunks();
  beast::http::async_read(stream_, buffer_, *parser_,
                          [self = shared_from_this()](error_code ec, std::size_t) {
                            self->on_body(ec);
                          });
}

// A chunked body is read and parsed here rather than by Beast's read operations, which keep
// reading while the parser needs more: a chunk line ended by a bare LF would then wait out the
// read timeout for a CRLF that never comes. The parser is eager, so what it leaves unparsed is
// only the start of a chunk line or trailer, where a bare LF is always an error.
void connection::read_chunks() {
  parser_->eager(true);
  while (buffer_.size() > 0 && !parser_->is_done()) {
    error_code ec;
    const std::size_t used = parser_->put(buffer_.data(), ec);
    buffer_.consume(used);
    if (ec == beast::http::error::need_more) break;
    if (ec) return on_read_error(ec);
  }
  if (parser_->is_done()) return handle_request();
  const auto rest = buffer_.cdata();
  if (has_bare_lf({static_cast<const char*>(rest.data()), rest.size()})) {
    return refuse({status::bad_request, "Malformed chunked body: a line must end with CRLF"});
  }
  const std::size_t room = buffer_.max_size() - buffer_.size();
  if (room == 0) return refuse({status::bad_request, "Malformed request"});
  stream_.async_read_some(buffer_.prepare(std::min(room, chunk_read_size)),
                          [self = shared_from_this()](error_code ec, std::size_t bytes) {
                            if (ec) return self->close();  // peer gone or read timeout
                            self->buffer_.commit(bytes);
                            self->read_chunks();
                          });
}

void connection::on_body(error_code ec) {
  if (ec) return on_read_error(ec);
  handle_request();
}

void connection::on_read_error(error_code ec) {
  using beast::http::error;
  if (ec.category() != make_error_code(error::end_of_stream).category() ||
      ec == error::end_of_stream || ec == error::partial_message ||
      ec == error::buffer_overflow) {
    return close();  // transport trouble, a timeout, or the peer left: nothing to answer
  }
  // The request is malformed or too large: say why, then close, since the rest of the stream
  // cannot be trusted to start at a message boundary.
  error_info info{status::bad_request, "Malformed request"};
  if (ec == error::body_limit) {
    info = {status::payload_too_large, "Request body too large"};
  } else if (ec == error::header_limit) {
    info = {status::request_header_fields_too_large, "Request header too large"};
  }
  request& req = parser_->get();
  if (req.target().empty()) {
    auto raw = buffer_.cdata();
    auto [method, target] =
        peek_request_line({static_cast<const char*>(raw.data()), raw.size()});
    if (!target.empty()) {
      req.method_string(method);
      req.target(target);
    }
  }
  refuse(info);
}

void connection::refuse(const error_info& info) {
  res_ = worker_.routes.render_error(parser_->get(), info);
  linger_ = true;
  send(false);
}

void connection::handle_request() {
  const router::match_result matched = worker_.routes.match(parser_->get());
  route_ = matched.route();
  if (matched.lane() == route_lane::blocking) {
    return offload(matched, worker_.pool, shutting_down);
  }
  if (matched.lane() == route_lane::storage) {
    // A write that the thread's storage hands off waits for nothing: it runs here, and this
    // thread serves its other connections until the answer comes back.
    const thread_services services = worker_.resources.services();
    if (matched.answers_later() && services.notes.hands_off_writes()) {
      return dispatch(shared_from_this(), matched, services, tracked(), &worker_.away);
    }
    return offload(matched, worker_.storage, storage_busy);
  }
  exchange facts{peer_};
  response res = worker_.routes.run(matched, parser_->get(), worker_.resources.services(), facts);
  visitor_ = std::move(facts.visitor);
  answer(std::move(res));
}

connection::tracked_executor connection::tracked() {
  return net::require(stream_.get_executor(), net::execution::outstanding_work.tracked);
}

// Until the answer comes back, nothing on this thread touches the request (no read is pending,
// so no timer either) and other threads only read it; the answer is moved into res_ on this
// thread, so it changes threads once, through the io_context's queue. The answer keeps this
// connection alive, and the worker's io_context running (tracked work), until it is posted.
void connection::dispatch(std::shared_ptr<connection> self, const router::match_result& matched,
                          const thread_services& services, tracked_executor work,
                          answers_away* away) {
  const request& req = self->parser_->get();
  const router& routes = self->worker_.routes;
  auto facts = std::make_shared<exchange>(exchange{self->peer_});
  exchange& filled = *facts;
  if (away != nullptr) away->leave();
  // The answer is made on the thread that ran the handler (with its services): here when it
  // answers at once; when it answers later from storage's thread, only a handler that ran on
  // this connection's own thread does that (a handed-off write), so it is made there.
  routes.run_then(
      matched, req, services, filled,
      [self = std::move(self), facts = std::move(facts), work, away,
       home = std::this_thread::get_id()](reply::make_fn make) mutable {
        // Moved into the posted handler: the last reference to the connection must never be
        // dropped on another thread, which does not own its socket. The tracked work goes
        // before the answer is counted back: once every answer is back the server may destroy
        // the worker's io_context, which the work would otherwise outlive.
        {
          const tracked_executor to = std::move(work);
          if (std::this_thread::get_id() == home) {
            net::post(to, [self = std::move(self), res = make(),
                           visitor = std::move(facts->visitor)]() mutable {
              self->visitor_ = std::move(visitor);
              self->answer(std::move(res));
            });
          } else {
            net::post(to, [self = std::move(self), make = std::move(make),
                           visitor = std::move(facts->visitor)]() mutable {
              self->visitor_ = std::move(visitor);
              self->answer(make());
            });
          }
        }
        if (away != nullptr) away->back();
      });
}

// A job the pool calls without resources did not run: the server is stopping, or (`refused`) it
// waited out the storage lane's limit.
void connection::offload(const router::match_result& matched, blocking_pool& pool,
                         std::string_view refused) {
  blocking_pool::job job = [self = shared_from_this(), matched, refused,
                            work = tracked()](thread_resources* owned) mutable {
    if (owned != nullptr) return dispatch(std::move(self), matched, owned->services(), work);
    const bool stopping = self->worker_.stopping.load(std::memory_order_relaxed);
    response res =
        unavailable(self->worker_.routes, self->parser_->get(), stopping ? shutting_down : refused);
    net::post(work, [self = std::move(self), res = std::move(res)]() mutable {
      self->visitor_.clear();
      self->answer(std::move(res));
    });
  };
  switch (pool.post(job)) {
    case blocking_pool::admission::accepted:
      return;
    case blocking_pool::admission::full:
      return answer(unavailable(worker_.routes, parser_->get(),
                                "Too many requests are waiting; try again in a moment"));
    case blocking_pool::admission::stopping:
      return answer(unavailable(worker_.routes, parser_->get(), shutting_down));
  }
}

void connection::answer(response res) {
  res_ = std::move(res);
  send(parser_->get().keep_alive() && !worker_.stopping.load(std::memory_order_relaxed));
}

void connection::send(bool keep_alive) {
  res_.set(beast::http::field::date, http_date_now());
  res_.keep_alive(keep_alive);
  stream_.expires_after(worker_.options.read_timeout);
  beast::http::async_write(stream_, res_,
                           [self = shared_from_this()](error_code ec, std::size_t) {
                             self->on_write(ec);
                           });
}

void connection::on_write(error_code ec) {
  const request& req = parser_->get();
  const auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - started_);
  worker_.metrics.record(route_, req.method(), res_.result_int(), elapsed);
  worker_.metrics.request_ended();
  in_flight_ = false;
  if (worker_.options.access_log) {
    std::string_view method = req.method_string();
    std::string_view target = req.target();
    log_access(method.empty() ? "-" : method, target.empty() ? "-" : target, res_.result_int(),
               res_.body().size(), elapsed.count(), visitor_.empty() ? "-" : visitor_);
  }
  if (ec) return close();
  if (linger_) return linger();
  if (!res_.keep_alive()) return close();
  wait_for_request();
}

void connection::linger() {
  // Closing with unread request bytes pending makes the kernel send a reset, which can destroy
  // the error response before the client reads it. Stop sending, read and drop the rest of what
  // the client sends for a little while, then close.
  error_code ignored;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ignored);
  stream_.expires_after(linger_time);
  drain();
}

void connection::drain() {
  buffer_.clear();
  stream_.async_read_some(buffer_.prepare(first_read_size),
                          [self = shared_from_this()](error_code ec, std::size_t bytes) {
                            self->drained_ += bytes;
                            if (ec || self->drained_ > max_drained) return self->stream_.close();
                            self->drain();
                          });
}

void connection::close() {
  error_code ignored;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ignored);
  stream_.close();
}

}  // namespace notes::http
