#pragma once
// The real server on a fresh store plus a cookie-keeping client that fills forms like a browser
// (browser.hpp).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "browser.hpp"
#include "notes/note_service.hpp"
#include "test_server.hpp"

namespace notes::testing {

inline http::server_options web_server_options(std::string secret_key = "web test key") {
  http::server_options options = test_server_options();
  options.web.secret_key = std::move(secret_key);
  return options;
}

struct web_fixture {
  memory_backend store;
  test_server server;
  browser user;

  explicit web_fixture(http::server_options options = web_server_options())
      : server(store.repositories(), std::move(options)), user(server.port()) {}

  note add(std::string title, std::string content = "Some content.", bool pinned = false) {
    note_service service(store.inspect());
    return service.create({std::move(title), std::move(content), pinned}).value();
  }

  std::vector<note> stored() { return store.inspect().all(std::nullopt).value(); }
};

}  // namespace notes::testing
