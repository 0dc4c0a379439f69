#include "http_client.hpp"

#include <array>
#include <functional>
#include <optional>
#include <stdexcept>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json/parse.hpp>

namespace notes::testing {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

header_list with_json_type(header_list headers) {
  headers.emplace_back("Content-Type", "application/json");
  return headers;
}

}  // namespace

std::string http_response::header(std::string_view name) const {
  for (const auto& [n, v] : headers) {
    if (iequals(n, name)) return v;
  }
  return {};
}

bool http_response::has_header(std::string_view name) const {
  for (const auto& h : headers) {
    if (iequals(h.first, name)) return true;
  }
  return false;
}

boost::json::value http_response::json() const { return boost::json::parse(body); }

struct http_client::impl {
  std::string host;
  std::uint16_t port;
  std::chrono::milliseconds timeout;
  net::io_context ioc;
  std::optional<beast::tcp_stream> stream;
  beast::flat_buffer buffer;

  void connect() {
    stream.emplace(ioc);
    buffer.clear();
    boost::system::error_code ec;
    stream->socket().connect(tcp::endpoint(net::ip::make_address(host), port), ec);
    if (ec) {
      throw std::runtime_error("connect to port " + std::to_string(port) + ": " + ec.message());
    }
  }

  // Runs the queued operations; false when they did not finish within the timeout.
  bool run() {
    ioc.restart();
    ioc.run_for(timeout);
    if (!ioc.stopped()) {
      stream->cancel();
      ioc.restart();
      ioc.run();
      return false;
    }
    return true;
  }
};

http_client::http_client(std::uint16_t port, std::string host, std::chrono::milliseconds timeout)
    : impl_(std::make_unique<impl>()) {
  impl_->host = std::move(host);
  impl_->port = port;
  impl_->timeout = timeout;
}

http_client::~http_client() = default;

void http_client::disconnect() { impl_->stream.reset(); }

http_response http_client::request(std::string_view method, std::string_view target,
                                   std::string body, const header_list& headers) {
  impl& s = *impl_;
  bhttp::request<bhttp::string_body> req;
  req.method_string(method);
  req.target(target);
  req.version(11);
  req.set(bhttp::field::host, s.host + ":" + std::to_string(s.port));
  for (const auto& [name, value] : headers) req.insert(name, value);
  if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
    req.body() = std::move(body);
    req.prepare_payload();
  }

  // A kept-alive connection the server has closed meanwhile fails at once: retry once, fresh.
  for (int attempt = 0; attempt < 2; ++attempt) {
    bool reused = s.stream.has_value();
    if (!reused) s.connect();
    boost::system::error_code write_ec;
    boost::system::error_code read_ec;
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(boost::none);
    if (method == "HEAD") parser.skip(true);
    bhttp::async_write(*s.stream, req, [&](boost::system::error_code ec, std::size_t) {
      write_ec = ec;
      if (ec) return;
      bhttp::async_read(*s.stream, s.buffer, parser,
                        [&](boost::system::error_code rec, std::size_t) { read_ec = rec; });
    });
    if (!s.run()) {
      s.stream.reset();
      throw std::runtime_error("timed out waiting for " + std::string(method) + " " +
                               std::string(target));
    }
    if (write_ec || read_ec) {
      s.stream.reset();
      if (reused) continue;
      throw std::runtime_error(std::string(method) + " " + std::string(target) + ": " +
                               (write_ec ? write_ec : read_ec).message());
    }
    auto res = parser.release();
    http_response out;
    out.status = res.result_int();
    for (const auto& f : res) out.headers.emplace_back(f.name_string(), f.value());
    out.body = std::move(res.body());
    if (!res.keep_alive()) s.stream.reset();
    return out;
  }
  throw std::runtime_error("unreachable");
}

http_response http_client::get(std::string_view target, const header_list& headers) {
  return request("GET", target, {}, headers);
}

http_response http_client::head(std::string_view target, const header_list& headers) {
  return request("HEAD", target, {}, headers);
}

http_response http_client::del(std::string_view target, const header_list& headers) {
  return request("DELETE", target, {}, headers);
}

http_response http_client::post_json(std::string_view target, std::string body,
                                     header_list headers) {
  return request("POST", target, std::move(body), with_json_type(std::move(headers)));
}

http_response http_client::put_json(std::string_view target, std::string body,
                                    header_list headers) {
  return request("PUT", target, std::move(body), with_json_type(std::move(headers)));
}

http_response http_client::patch_json(std::string_view target, std::string body,
                                      header_list headers) {
  return request("PATCH", target, std::move(body), with_json_type(std::move(headers)));
}

std::string http_client::raw(std::string_view bytes, std::chrono::milliseconds wait) {
  net::io_context ioc;
  tcp::socket socket(ioc);
  socket.connect(tcp::endpoint(net::ip::make_address(impl_->host), impl_->port));
  std::string received;
  std::array<char, 4096> chunk;
  std::function<void()> read_more = [&] {
    socket.async_read_some(net::buffer(chunk), [&](boost::system::error_code ec, std::size_t n) {
      received.append(chunk.data(), n);
      if (!ec) read_more();
    });
  };
  net::async_write(socket, net::buffer(bytes.data(), bytes.size()),
                   [&](boost::system::error_code, std::size_t) {});
  read_more();
  ioc.run_for(wait);
  return received;
}

unsigned http_client::raw_status(std::string_view text) {
  if (!text.starts_with("HTTP/1.") || text.size() < 12) return 0;
  unsigned code = 0;
  for (char c : text.substr(9, 3)) {
    if (c < '0' || c > '9') return 0;
    code = code * 10 + static_cast<unsigned>(c - '0');
  }
  return code;
}

}  // namespace notes::testing
