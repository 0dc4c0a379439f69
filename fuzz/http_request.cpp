// The whole request path of notes-server, from bytes on a TCP connection to the responses. The
// input is what a client sends on one connection before it half-closes. A real connection
// (transport/connection.cpp) on a loopback socket reads it with Beast's request parser under the
// server's limits, and the route table notes-server serves (the JSON API, the pages, the
// operational endpoints) answers it from an in-memory store that is new for every input. Set up
// as server.cpp sets up a worker, on this thread, so that an input always runs the same way; the
// routes of the blocking lane (/readyz) run on a blocking pool of one thread, and the writes on a
// storage lane of one thread over the input's store, as in the server.
//
// Failures besides crashes and sanitizer reports: a 500 (a handler threw), or a connection that
// is not finished a few seconds after the client half-closed.
//
// In the input, "@session@" stands for a valid session cookie and "@csrf@" for its CSRF token,
// so that form posts get past the CSRF check.
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include "fuzz_check.hpp"
#include "notes/memory_note_repository.hpp"
#include "notes/note_service.hpp"
#include "ops/metrics.hpp"
#include "transport/blocking_pool.hpp"
#include "transport/connection.hpp"
#include "transport/route_table.hpp"
#include "transport/thread_resources.hpp"
#include "web/cookie_session.hpp"

using notes::fuzz::require;
namespace http = notes::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

constexpr auto finish_within = std::chrono::seconds(5);

struct server_side {
  http::server_options options = [] {
    http::server_options o;
    o.access_log = false;
    o.web.secret_key = "fuzzing secret key";
    return o;
  }();
  std::atomic<bool> stopping{false};
  http::answers_away away;
  http::server_metrics metrics;
  http::router routes = http::build_router(options, http::server_status{metrics, stopping});
  std::vector<std::string> patterns;
  // The blocking lane's thread keeps one store of its own for every input: its routes do not
  // read the notes.
  http::server_metrics pool_metrics;
  notes::memory_note_repository pool_store;
  http::blocking_pool pool{options.blocking_queue};
  // New for every input (emplaced again at the same address, which the storage thread's
  // repository forwards to), shared by the input's worker and the storage thread.
  std::optional<notes::memory_note_repository> input_store{std::in_place};
  http::blocking_pool storage{options.storage_queue, options.storage_wait};
  net::io_context ioc{1};
  tcp::acceptor acceptor{ioc, tcp::endpoint(net::ip::address_v4::loopback(), 0)};
  std::string cookie;
  std::string csrf_token;

  server_side() {
    for (auto& route : routes.routes()) patterns.push_back(std::move(route.pattern));
    metrics.set_routes(patterns);
    pool_metrics.set_routes(patterns);
    // Without accounts the codec is not kept: a temporary is enough.
    pool.add_thread(http::make_thread_resources(
        http::share_repository(pool_store), pool_metrics.add_worker(), http::auth_options{},
        http::web::cookie_session_codec(options.web.secret_key, {})));
    pool.start();
    storage.add_thread(http::make_thread_resources(
        http::share_repository(*input_store), pool_metrics.add_worker(), http::auth_options{},
        http::web::cookie_session_codec(options.web.secret_key, {})));
    storage.start();
    const http::web::cookie_session_codec codec(options.web.secret_key, {});
    const auto session =
        codec.fresh(std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
    cookie = codec.encode(session);
    csrf_token = codec.csrf_token(session);
  }
};

void replace_all(std::string& text, std::string_view from, std::string_view to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

// The client: sends everything, half-closes, reads until the server closes.
struct client_side {
  tcp::socket socket;
  std::string sent;
  std::string received;
  bool finished = false;

  void start() {
    net::async_write(socket, net::buffer(sent), [this](boost::system::error_code, std::size_t) {
      // Sent or not (the server may close early on a bad request), what it answers is read.
      boost::system::error_code ignored;
      socket.shutdown(tcp::socket::shutdown_send, ignored);
      net::async_read(socket, net::dynamic_buffer(received),
                      [this](boost::system::error_code, std::size_t) {
                        finished = true;
                        // A reset instead of a lingering close: no TIME_WAIT per input.
                        boost::system::error_code ignored_too;
                        socket.set_option(net::socket_base::linger(true, 0), ignored_too);
                        socket.close(ignored_too);
                      });
    });
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static server_side server;

  // A worker's counters, storage and service, fresh for each input: ids start at 1, and the
  // counters hold this input's responses only (/metrics still renders the server's).
  http::server_metrics counted;
  counted.set_routes(server.patterns);
  http::worker_metrics& counters = counted.add_worker();
  server.input_store.emplace();
  http::thread_resources owned = http::make_thread_resources(
      http::share_repository(*server.input_store), counters,
      http::auth_options{}, http::web::cookie_session_codec(server.options.web.secret_key, {}));
  http::worker_state state{server.routes,   owned,           server.pool, server.storage,
                           server.options,  server.stopping, counters,    server.away,
                           {}};

  client_side client{tcp::socket(server.ioc), std::string(notes::fuzz::as_text(data, size)), {}};
  replace_all(client.sent, "@session@", server.cookie);
  replace_all(client.sent, "@csrf@", server.csrf_token);
  // Connected and accepted by the io_context, not by blocking calls, which libFuzzer's timeout
  // signal would interrupt.
  http::connection::socket_type accepted(server.ioc);
  server.acceptor.async_accept(accepted, [&](boost::system::error_code ec) {
    require(!ec, "the loopback connection is accepted");
    std::make_shared<http::connection>(std::move(accepted), state)->start();
  });
  client.socket.async_connect(server.acceptor.local_endpoint(),
                              [&](boost::system::error_code ec) {
                                require(!ec, "the loopback connection is made");
                                client.start();
                              });

  server.ioc.restart();
  server.ioc.run_for(finish_within);
  require(client.finished && state.connections.empty(),
          "the connection is finished soon after the client half-closes");
  require(counted.render({}).find("status=\"500\"") == std::string::npos,
          "no request is answered with 500");
  return 0;
}
