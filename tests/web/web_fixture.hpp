#pragma once
// The real server on a fresh store plus a cookie-keeping client that fills forms like a browser
// (browser.hpp).
#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <vector>

#include "browser.hpp"
#include "notes/note_service.hpp"
#include "sign_in.hpp"
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

// A server with accounts where ann is signed in through the pages and bob, beside her, keeps
// notes of his own: what a test of reaching another account's note starts from.
template <class Backend>
struct other_account_fixture {
  Backend store;
  account bob = add_ann_and_bob(store);
  test_server server{store.repositories(),
                     accounts_server_options(store, false, std::chrono::days(30),
                                             web_server_options())};
  note_service bobs = note_service(store.inspect()).for_owner(bob.id);
  browser ann{server.port()};
  std::string ann_token;  // the CSRF token of ann's session

  other_account_fixture() {
    REQUIRE(sign_in(ann, "ann").status == 303);
    ann_token = session_csrf_token(ann);
    REQUIRE_FALSE(ann_token.empty());
  }

 private:
  static account add_ann_and_bob(Backend& store) {
    account_setup setup{store};
    setup.add("ann");
    return setup.add("bob");
  }
};

}  // namespace notes::testing
