#include "transport/framing.hpp"

#include "routing/http_text.hpp"

namespace notes::http {
namespace {

std::optional<framing_error> check_host(const request& req) {
  if (req.version() < 11) return std::nullopt;
  const auto hosts = req.count(field::host);
  if (hosts == 0) return framing_error{status::bad_request, "Missing Host header"};
  if (hosts > 1) return framing_error{status::bad_request, "More than one Host header"};
  return std::nullopt;
}

std::optional<framing_error> check_transfer_encoding(const request& req) {
  const auto [first, last] = req.equal_range(field::transfer_encoding);
  if (first == last) return std::nullopt;
  if (req.version() < 11) {
    return framing_error{status::bad_request, "Transfer-Encoding needs HTTP/1.1"};
  }
  if (req.count(field::content_length) > 0) {
    return framing_error{status::bad_request,
                         "Transfer-Encoding and Content-Length in one request"};
  }
  // The codings of every Transfer-Encoding field, in order, as one list (RFC 9110 5.3).
  std::size_t codings = 0;
  std::size_t chunked_at = 0;
  std::size_t chunked_count = 0;
  for (auto it = first; it != last; ++it) {
    std::string_view list = it->value();
    while (!list.empty()) {
      const auto comma = list.find(',');
      const std::string_view coding = trim_ows(list.substr(0, comma));
      list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
      if (coding.empty()) continue;
      ++codings;
      if (iequals_ascii(coding, "chunked")) {
        ++chunked_count;
        chunked_at = codings;
      }
    }
  }
  if (codings == 0 || chunked_count != 1 || chunked_at != codings) {
    return framing_error{status::bad_request,
                         "Transfer-Encoding must end with chunked, used once"};
  }
  if (codings > 1) {
    return framing_error{status::not_implemented, "Transfer coding not implemented"};
  }
  return std::nullopt;
}

}  // namespace

// "METHOD target HTTP/1.1\r\n", each "name: value\r\n", the final "\r\n".
std::size_t header_block_size(const request& req) noexcept {
  std::size_t size = req.method_string().size() + 1 + req.target().size() + 11;
  for (const auto& f : req) size += f.name_string().size() + 2 + f.value().size() + 2;
  return size + 2;
}

std::optional<framing_error> check_framing(const request& req, std::size_t header_limit) {
  if (header_block_size(req) > header_limit) {
    return framing_error{status::request_header_fields_too_large, "Request header too large"};
  }
  if (auto problem = check_host(req)) return problem;
  return check_transfer_encoding(req);
}

std::optional<std::string> origin_form(std::string_view target) {
  std::size_t authority = 0;
  if (iequals_ascii(target.substr(0, 7), "http://")) {
    authority = 7;
  } else if (iequals_ascii(target.substr(0, 8), "https://")) {
    authority = 8;
  } else {
    return std::nullopt;
  }
  const auto path = target.find_first_of("/?#", authority);
  if (path == std::string_view::npos) return std::string("/");
  if (target[path] == '/') return std::string(target.substr(path));
  return "/" + std::string(target.substr(path));  // an empty path is "/" (RFC 9112 3.2.2)
}

std::size_t leading_empty_lines(std::string_view bytes) noexcept {
  const auto first = bytes.find_first_not_of("\r\n");
  return first == std::string_view::npos ? bytes.size() : first;
}

bool has_bare_lf(std::string_view bytes) noexcept {
  for (std::size_t i = bytes.find('\n'); i != std::string_view::npos;
       i = bytes.find('\n', i + 1)) {
    if (i == 0 || bytes[i - 1] != '\r') return true;
  }
  return false;
}

}  // namespace notes::http
