// The small pieces under the API: URL decoding, JSON writing, request body reading.
#include <doctest/doctest.h>

#include <boost/json.hpp>

#include "api/json_writer.hpp"
#include "notes/time.hpp"
#include "api/request_json.hpp"
#include "routing/url.hpp"

using namespace notes::http;

namespace {

request json_request(std::string body, std::string_view content_type = "application/json") {
  request req{verb::post, "/api/notes", 11};
  if (!content_type.empty()) req.set(field::content_type, content_type);
  req.body() = std::move(body);
  return req;
}

}  // namespace

TEST_CASE("url_decode: percent escapes, plus as space in queries only, bad escapes kept") {
  CHECK(url_decode("a+b%20c%2Bd") == "a b c+d");
  CHECK(url_decode("a+b", false) == "a+b");
  CHECK(url_decode("%C3%A4") == "\xc3\xa4");
  CHECK(url_decode("100%") == "100%");
  CHECK(url_decode("%zz%4") == "%zz%4");
  CHECK(url_decode("%25") == "%");
}

TEST_CASE("find_param: first match, decoded names and values, absent is nullopt") {
  CHECK(find_param("q=milk&page=2", "page") == "2");
  CHECK(find_param("q=a&q=b", "q") == "a");
  CHECK(find_param("q=", "q") == "");
  CHECK(find_param("q", "q") == "");
  CHECK(find_param("qq=1", "q") == std::nullopt);
  CHECK(find_param("", "q") == std::nullopt);
  CHECK(find_param("&&q=%25x&", "q") == "%x");
  CHECK(find_param("per%5Fpage=5", "per_page") == "5");
  auto all = parse_params("a=1&b=x+y&c");
  REQUIRE(all.size() == 3);
  CHECK(all[1] == std::pair<std::string, std::string>{"b", "x y"});
}

TEST_CASE("append_json_string escapes quotes, backslashes and control characters") {
  std::string out;
  append_json_string(out, "a\"b\\c\n\t\x01\x1f/é€");
  CHECK(out == "\"a\\\"b\\\\c\\n\\t\\u0001\\u001f/é€\"");
  CHECK(boost::json::parse(out).as_string() == "a\"b\\c\n\t\x01\x1f/é€");
}

TEST_CASE("append_note_json writes id, title, content, is_pinned, tags and both times") {
  notes::note n;
  n.id = 7;
  n.title = "T \"quoted\"";
  n.content = "line\nbreak";
  n.is_pinned = true;
  n.tags = {"work", "a/b"};
  n.created_at = notes::parse_rfc3339("2025-01-02T03:04:05.123456Z").value();
  n.updated_at = n.created_at;
  std::string out;
  append_note_json(out, n);
  auto v = boost::json::parse(out).as_object();
  CHECK(v.size() == 7);
  CHECK(v.at("tags") == boost::json::parse(R"(["work", "a/b"])"));
  CHECK(v.at("id").as_int64() == 7);
  CHECK(v.at("title").as_string() == "T \"quoted\"");
  CHECK(v.at("content").as_string() == "line\nbreak");
  CHECK(v.at("is_pinned").as_bool());
  CHECK(v.at("created_at").as_string() == "2025-01-02T03:04:05.123456Z");
}

TEST_CASE("error_json has error, and fields only when there are some") {
  CHECK(error_json("Nope") == R"({"error":"Nope"})");
  std::vector<notes::field_error> fields{{"title", "Title is required."}};
  CHECK(error_json("Bad", fields) == R"({"error":"Bad","fields":{"title":"Title is required."}})");
}

TEST_CASE("is_json_media_type accepts application/json with parameters, any case") {
  CHECK(is_json_media_type("application/json"));
  CHECK(is_json_media_type("application/JSON ; charset=UTF-8"));
  CHECK_FALSE(is_json_media_type("application/jsonx"));
  CHECK_FALSE(is_json_media_type("text/json"));
  CHECK_FALSE(is_json_media_type(""));
}

TEST_CASE("read_note_json sets only the members present") {
  auto patch = read_note_json(json_request(R"({"content": "c", "other": [1]})"));
  REQUIRE(patch);
  CHECK_FALSE(patch->title);
  CHECK(patch->content == "c");
  CHECK_FALSE(patch->is_pinned);
  auto pinned = read_note_json(json_request(R"({"is_pinned": false})"));
  REQUIRE(pinned);
  CHECK(pinned->is_pinned == false);
}

TEST_CASE("read_note_json ignores one leading UTF-8 byte order mark (RFC 8259 section 8.1)") {
  const std::string bom = "\xEF\xBB\xBF";
  auto patch = read_note_json(json_request(bom + R"({"title": "t", "content": "c"})"));
  REQUIRE(patch);
  CHECK(patch->title == "t");
  CHECK(patch->content == "c");
  CHECK(read_note_json(json_request(bom)).error().message == "No data provided");
  CHECK(read_note_json(json_request(bom + " \t")).error().message == "No data provided");
  // Only one, and only at the very start.
  for (const std::string& body : {bom + bom + "{}", " " + bom + "{}"}) {
    CHECK(read_note_json(json_request(body)).error().message.starts_with("Malformed JSON"));
  }
}

TEST_CASE("read_note_json reports each way a body can be wrong") {
  CHECK(read_note_json(json_request("{}", "")).error().code == status::unsupported_media_type);
  CHECK(read_note_json(json_request("{}", "text/plain")).error().code ==
        status::unsupported_media_type);
  CHECK(read_note_json(json_request("  ")).error().message == "No data provided");
  CHECK(read_note_json(json_request("\"\xff\"")).error().message.find("UTF-8") !=
        std::string::npos);
  CHECK(read_note_json(json_request("{")).error().message.starts_with("Malformed JSON"));
  CHECK(read_note_json(json_request("[]")).error().message == "Request body must be a JSON object");
  std::string deep(100, '[');
  CHECK(read_note_json(json_request(deep + std::string(100, ']'))).error().code ==
        status::bad_request);
  auto types = read_note_json(json_request(R"({"title": 1, "content": true, "is_pinned": "x"})"));
  REQUIRE_FALSE(types);
  CHECK(types.error().code == status::bad_request);
  CHECK(types.error().fields.size() == 3);
}
