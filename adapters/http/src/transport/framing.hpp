#pragma once
// How a request's header says where the request ends, checked against RFC 9112 before any of its
// body is read. A request whose framing is doubtful is answered and its connection closed: the
// bytes after it cannot be trusted to start a new request (request smuggling, RFC 9112 11.2).
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "routing/router.hpp"

namespace notes::http {

// Why a request header cannot be served; the connection closes after the answer.
struct framing_error {
  status code;
  std::string_view message;
};

// What the request line and fields parsed so far take on the wire.
std::size_t header_block_size(const request& req) noexcept;

// Checks, in order: the header block's size against `header_limit` (431); Host, exactly one on
// HTTP/1.1 (400); Transfer-Encoding on HTTP/1.1 only, never beside Content-Length, its last
// coding chunked and chunked only once (400), no other coding before it (501).
std::optional<framing_error> check_framing(const request& req, std::size_t header_limit);

// The origin form of an absolute-form target ("http://host/a?b" -> "/a?b", "http://host" -> "/"),
// which RFC 9112 3.2.2 requires a server to accept. Empty when `target` is not in absolute form.
std::optional<std::string> origin_form(std::string_view target);

// How many bytes at the start of `bytes` are empty lines (CR and LF), which a server ignores
// before a request line (RFC 9112 2.2).
std::size_t leading_empty_lines(std::string_view bytes) noexcept;

// Whether `bytes` holds a LF not preceded by CR: in what is left unparsed of a chunked body it
// can only be a chunk line or trailer ended by a bare LF, which would otherwise wait forever
// for its CRLF.
bool has_bare_lf(std::string_view bytes) noexcept;

}  // namespace notes::http
