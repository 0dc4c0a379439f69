#pragma once
// A fresh store, the real server on it, and a client: one per test case.
#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>
#include <doctest/doctest.h>

#include "http_client.hpp"
#include "store_available.hpp"
#include "notes/note.hpp"
#include "test_server.hpp"

namespace notes::testing {

template <class Backend>
struct api_fixture {
  Backend store;
  test_server server;
  http_client client;

  explicit api_fixture(http::server_options options = test_server_options())
      : server(store.repositories(), std::move(options)), client(server.port()) {}

  // Creates a note through the API and returns the JSON the server answered with.
  boost::json::object create(std::string_view title, std::string_view content = "some content",
                             bool pinned = false) {
    boost::json::object body{{"title", title}, {"content", content}, {"is_pinned", pinned}};
    auto res = client.post_json("/api/notes", boost::json::serialize(body));
    if (res.status != 201) throw std::runtime_error("create failed: " + res.body);
    return res.json().as_object();
  }

  // Everything stored, straight from the repository (not through HTTP).
  std::vector<note> stored() { return store.inspect().all(std::nullopt).value(); }
};

inline std::string note_url(const boost::json::object& n) {
  return "/api/notes/" + std::to_string(n.at("id").as_int64());
}

inline std::string json_string(const boost::json::value& v) {
  return std::string(v.as_string().c_str());
}

// The titles of a list's or a search's "notes", in order.
inline std::vector<std::string> note_titles(const boost::json::value& list) {
  std::vector<std::string> out;
  for (const auto& n : list.at("notes").as_array()) out.push_back(json_string(n.at("title")));
  return out;
}

}  // namespace notes::testing

// The stores every API test runs against: a new store is one more type here (and its class in
// tests/support/test_server.hpp). Each test starts with `if (!store_available<B>()) return;`.
#define NOTES_HTTP_STORES \
  notes::testing::memory_backend, notes::testing::sqlite_backend, notes::testing::postgres_backend

// Names the store in test names: "...<memory>", "...<sqlite>", "...<postgresql>". No ';' in
// test names: ctest would split them.
TYPE_TO_STRING_AS("memory", notes::testing::memory_backend);
TYPE_TO_STRING_AS("sqlite", notes::testing::sqlite_backend);
TYPE_TO_STRING_AS("postgresql", notes::testing::postgres_backend);
