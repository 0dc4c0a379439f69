// The machine's ceiling: a Boost.Beast server shaped like notes-server (an io_context per
// thread, keep-alive, one flat_buffer per connection, a Date string per second) that answers
// every request with the same note JSON and touches no database. notes-server's throughput is
// reported as a ratio to this.
//
//   ceiling_server [--host 127.0.0.1] [--port 8090] [--threads N]
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <charconv>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <cstring>
#include <iostream>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

// About the size of one seeded note as notes-server renders it.
constexpr std::string_view note_json =
    R"({"id":4242,"title":"Weekly planning for the garden project","content":"Order seeds, )"
    R"(fix the fence by the shed before Friday.","is_pinned":false,)"
    R"("created_at":"2025-03-14T09:26:53.589793Z","updated_at":"2025-03-14T09:26:53.589793Z"})";

// Formatting a date per response would be measurable at this rate; refresh once a second.
const std::string& http_date() {
  thread_local std::time_t cached_second = 0;
  thread_local std::string cached;
  std::time_t now = std::time(nullptr);
  if (now != cached_second) {
    std::tm utc{};
    gmtime_r(&now, &utc);
    char text[64];
    std::size_t n = std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S GMT", &utc);
    cached.assign(text, n);
    cached_second = now;
  }
  return cached;
}

class session : public std::enable_shared_from_this<session> {
 public:
  explicit session(tcp::socket socket) : stream_(std::move(socket)) {}

  void start() { read(); }

 private:
  void read() {
    request_ = {};
    stream_.expires_after(std::chrono::seconds(30));
    http::async_read(stream_, buffer_, request_,
                     [self = shared_from_this()](beast::error_code ec, std::size_t) {
                       self->on_read(ec);
                     });
  }

  void on_read(beast::error_code ec) {
    if (ec) {
      close();
      return;
    }
    response_ = {};
    response_.result(http::status::ok);
    response_.version(request_.version());
    response_.set(http::field::date, http_date());
    response_.set(http::field::content_type, "application/json");
    response_.keep_alive(request_.keep_alive());
    if (request_.method() != http::verb::head) response_.body() = note_json;
    response_.prepare_payload();
    http::async_write(stream_, response_,
                      [self = shared_from_this()](beast::error_code write_ec, std::size_t) {
                        self->on_write(write_ec);
                      });
  }

  void on_write(beast::error_code ec) {
    if (ec || !response_.keep_alive()) {
      close();
      return;
    }
    read();
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> request_;
  http::response<http::string_body> response_;
};

// Like notes-server: one io_context per thread, connections handed out round-robin, so a
// connection's handlers always run on one thread and need no strand.
class listener {
 public:
  listener(std::vector<std::unique_ptr<asio::io_context>>& workers, const tcp::endpoint& at)
      : workers_(workers), acceptor_(*workers.front(), at) {}

  void accept() {
    asio::io_context& target = *workers_[next_];
    next_ = (next_ + 1) % workers_.size();
    acceptor_.async_accept(target, [this](beast::error_code ec, tcp::socket socket) {
      if (!ec) {
        socket.set_option(tcp::no_delay(true));
        std::make_shared<session>(std::move(socket))->start();
      }
      if (acceptor_.is_open()) accept();
    });
  }

  void close() { acceptor_.close(); }
  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }

 private:
  std::vector<std::unique_ptr<asio::io_context>>& workers_;
  tcp::acceptor acceptor_;
  std::size_t next_ = 0;
};

int usage(const char* message) {
  std::fprintf(stderr, "ceiling_server: %s\nusage: ceiling_server [--host H] [--port P] [--threads N]\n",
               message);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string host = "127.0.0.1";
  unsigned port = 8090;
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  for (int i = 1; i < argc; ++i) {
    std::string_view flag = argv[i];
    if (i + 1 >= argc) return usage("every flag takes a value");
    std::string_view value = argv[++i];
    auto number = [&](unsigned& out) {
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), out);
      return ec == std::errc{} && end == value.data() + value.size();
    };
    if (flag == "--host") {
      host = value;
    } else if (flag == "--port") {
      if (!number(port) || port > 65535) return usage("bad --port");
    } else if (flag == "--threads") {
      if (!number(threads) || threads == 0) return usage("bad --threads");
    } else {
      return usage("unknown flag");
    }
  }

  std::vector<std::unique_ptr<asio::io_context>> workers;
  for (unsigned i = 0; i < threads; ++i) workers.push_back(std::make_unique<asio::io_context>(1));
  listener server(workers, tcp::endpoint(asio::ip::make_address(host), static_cast<std::uint16_t>(port)));
  server.accept();

  asio::signal_set signals(*workers.front(), SIGINT, SIGTERM);
  signals.async_wait([&](beast::error_code, int) {
    for (auto& worker : workers) worker->stop();
  });

  std::printf("ceiling_server listening on %s:%u with %u threads\n", host.c_str(), server.port(),
              threads);
  std::fflush(stdout);

  std::vector<std::thread> running;
  for (unsigned i = 1; i < threads; ++i) {
    auto guard = asio::make_work_guard(*workers[i]);
    running.emplace_back([&worker = *workers[i], guard] { worker.run(); });
  }
  workers.front()->run();
  for (auto& thread : running) thread.join();
}
