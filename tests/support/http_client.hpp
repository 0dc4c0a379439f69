#pragma once
// A small blocking HTTP/1.1 client over Beast for tests: keep-alive by default, every call
// bounded by a timeout so a misbehaving server fails a test instead of hanging it.
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json/value.hpp>

namespace notes::testing {

using header_list = std::vector<std::pair<std::string, std::string>>;

struct http_response {
  unsigned status = 0;
  header_list headers;
  std::string body;

  // The first header with that name (any case); empty when absent.
  std::string header(std::string_view name) const;
  bool has_header(std::string_view name) const;
  // The body parsed as JSON; throws when it is not.
  boost::json::value json() const;
};

class http_client {
 public:
  explicit http_client(std::uint16_t port, std::string host = "127.0.0.1",
                       std::chrono::milliseconds timeout = std::chrono::seconds(10));
  ~http_client();
  http_client(const http_client&) = delete;
  http_client& operator=(const http_client&) = delete;

  // Sends one request on the kept-alive connection (reconnecting when the server closed it)
  // and reads the response. No header is added except Host, and Content-Length for a body.
  // Throws std::runtime_error on a transport failure or timeout.
  http_response request(std::string_view method, std::string_view target, std::string body = {},
                        const header_list& headers = {});

  http_response get(std::string_view target, const header_list& headers = {});
  http_response head(std::string_view target, const header_list& headers = {});
  http_response del(std::string_view target, const header_list& headers = {});
  // With Content-Type: application/json.
  http_response post_json(std::string_view target, std::string body, header_list headers = {});
  http_response put_json(std::string_view target, std::string body, header_list headers = {});
  http_response patch_json(std::string_view target, std::string body, header_list headers = {});

  // Drops the kept-alive connection; the next request opens a new one.
  void disconnect();

  // On a fresh connection: sends `bytes` as they are, then returns everything the server sends
  // until it closes the connection or `wait` passes.
  std::string raw(std::string_view bytes,
                  std::chrono::milliseconds wait = std::chrono::seconds(5));

  // Status code of the first response in raw text ("HTTP/1.1 413 ..." -> 413), 0 when none.
  static unsigned raw_status(std::string_view text);

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace notes::testing
