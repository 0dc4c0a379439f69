#include "api/request_json.hpp"

#include <array>

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "notes/text.hpp"
#include "routing/http_text.hpp"

namespace notes::http {

namespace {

std::unexpected<body_error> bad(std::string message) {
  return std::unexpected(body_error{status::bad_request, std::move(message)});
}

}  // namespace

bool is_json_media_type(std::string_view content_type) noexcept {
  return media_type_is(content_type, "application/json");
}

std::expected<note_patch, body_error> read_note_json(const request& req) {
  auto content_type = req.find(field::content_type);
  if (content_type == req.end() || !is_json_media_type(content_type->value())) {
    return std::unexpected(
        body_error{status::unsupported_media_type, "Content-Type must be application/json"});
  }
  std::string_view body = req.body();
  // RFC 8259 8.1 lets a parser ignore a byte order mark; Windows tools (PowerShell, Notepad)
  // write one, and refusing it helps nobody.
  if (body.starts_with("\xEF\xBB\xBF")) body.remove_prefix(3);
  if (trim_ows(body).empty()) return bad("No data provided");
  if (!text::is_valid_utf8(body)) return bad("Request body is not valid UTF-8");

  // Small bodies parse without touching the heap; the tree lives only for this call.
  std::array<unsigned char, 4096> arena;
  boost::json::monotonic_resource resource(arena.data(), arena.size());
  boost::json::parse_options options;
  options.max_depth = 32;
  boost::system::error_code ec;
  boost::json::value root = boost::json::parse(body, ec, &resource, options);
  if (ec) return bad("Malformed JSON: " + ec.message());
  const boost::json::object* object = root.if_object();
  if (object == nullptr) return bad("Request body must be a JSON object");

  note_patch patch;
  std::vector<field_error> type_errors;
  auto read_text = [&](std::string_view name, std::string_view label,
                       std::optional<std::string>& out) {
    auto it = object->find(name);
    if (it == object->end()) return;
    if (const auto* s = it->value().if_string()) {
      out = std::string(s->data(), s->size());
    } else {
      type_errors.push_back({std::string(name), std::string(label) + " must be a string."});
    }
  };
  read_text("title", "Title", patch.title);
  read_text("content", "Content", patch.content);
  if (auto it = object->find("is_pinned"); it != object->end()) {
    if (const bool* b = it->value().if_bool()) {
      patch.is_pinned = *b;
    } else {
      type_errors.push_back({"is_pinned", "is_pinned must be true or false."});
    }
  }
  if (auto it = object->find("tags"); it != object->end()) {
    const auto* array = it->value().if_array();
    std::vector<std::string> tags;
    bool strings = array != nullptr;
    for (std::size_t i = 0; strings && i < array->size(); ++i) {
      const auto* s = (*array)[i].if_string();
      strings = s != nullptr;
      if (strings) tags.emplace_back(s->data(), s->size());
    }
    if (strings) {
      patch.tags = std::move(tags);
    } else {
      type_errors.push_back({"tags", "tags must be an array of strings."});
    }
  }
  if (!type_errors.empty()) {
    std::string message = type_errors.size() == 1 ? type_errors.front().message
                                                   : "Some fields are invalid.";
    return std::unexpected(body_error{status::bad_request, message, std::move(type_errors)});
  }
  return patch;
}

}  // namespace notes::http
