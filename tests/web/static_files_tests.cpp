#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "web/static_files.hpp"

using namespace notes::http::web;
namespace fs = std::filesystem;

namespace {

// A fresh folder under the system temp dir, removed with everything in it at the end of a case.
struct temp_dir {
  fs::path path;
  temp_dir() {
    std::random_device rd;
    path = fs::temp_directory_path() /
           ("notes-web-test-" + std::to_string(rd()) + std::to_string(rd()));
    fs::create_directories(path);
  }
  ~temp_dir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  void write(const fs::path& relative, const std::string& content) const {
    fs::create_directories((path / relative).parent_path());
    std::ofstream(path / relative, std::ios::binary) << content;
  }
};

}  // namespace

TEST_CASE("the embedded stylesheet is served with a type and a strong ETag") {
  const auto files = static_files::load(std::nullopt);
  REQUIRE(files);
  const static_file* css = files->find("css/style.css");
  REQUIRE(css != nullptr);
  CHECK(css->content_type == "text/css; charset=utf-8");
  CHECK(css->content.find(":root") != std::string::npos);
  CHECK(css->etag.size() == 34);
  CHECK(css->etag.front() == '"');
  CHECK_FALSE(css->etag.starts_with("W/"));
  CHECK(files->find("js/local-time.js") != nullptr);
  CHECK(files->find("favicon.svg") != nullptr);
}

TEST_CASE("safe_relative_path accepts plain nested names") {
  CHECK(safe_relative_path("css/style.css") == "css/style.css");
  CHECK(safe_relative_path("img/a%20b.png") == "img/a b.png");
  CHECK(safe_relative_path("a+b.txt") == "a+b.txt");
}

TEST_CASE("safe_relative_path refuses every way out of the folder") {
  for (const char* bad : {"",
                          "..",
                          "../etc/passwd",
                          "css/../../etc/passwd",
                          "css/..",
                          "./style.css",
                          "css/./x",
                          "%2e%2e/etc/passwd",
                          "%2E%2E/secret",
                          "css/%2e%2e/%2e%2e/x",
                          ".%2e/x",
                          "/etc/passwd",
                          "%2fetc/passwd",
                          "css//style.css",
                          "..\\windows",
                          "css\\..\\x",
                          "css%5c..%5cx",
                          "C:/Windows/win.ini",
                          "c:x",
                          "style.css%00.png",
                          "%ff.css"}) {
    CHECK_MESSAGE(!safe_relative_path(bad), bad);
  }
}

TEST_CASE("double-encoded dots stay a literal, harmless name") {
  CHECK(safe_relative_path("%252e%252e/x") == "%2e%2e/x");
}

TEST_CASE("STATIC_DIR overlays the embedded files and adds its own") {
  temp_dir dir;
  dir.write("css/style.css", "body { color: red }");
  dir.write("img/logo.svg", "<svg/>");
  const auto files = static_files::load(dir.path);
  REQUIRE(files);
  REQUIRE(files->find("css/style.css") != nullptr);
  CHECK(files->find("css/style.css")->content == "body { color: red }");
  REQUIRE(files->find("img/logo.svg") != nullptr);
  CHECK(files->find("img/logo.svg")->content_type == "image/svg+xml");
  CHECK(files->find("js/local-time.js") != nullptr);
  CHECK(files->version() != static_files::load(std::nullopt)->version());
}

TEST_CASE("STATIC_DIR never exposes files outside it, hidden files or escaping symlinks") {
  temp_dir outside;
  outside.write("secret.txt", "top secret");
  temp_dir dir;
  dir.write("public/ok.txt", "fine");
  dir.write(".env", "SECRET_KEY=x");
  dir.write(".git/config", "[core]");
  fs::create_symlink(outside.path / "secret.txt", dir.path / "public" / "leak.txt");
  fs::create_directory_symlink(outside.path, dir.path / "linked");
  const auto files = static_files::load(dir.path);
  REQUIRE(files);
  CHECK(files->find("public/ok.txt") != nullptr);
  CHECK(files->find("public/leak.txt") == nullptr);
  CHECK(files->find("linked/secret.txt") == nullptr);
  CHECK(files->find(".env") == nullptr);
  CHECK(files->find(".git/config") == nullptr);
  CHECK(files->find("../" + outside.path.filename().string() + "/secret.txt") == nullptr);
  CHECK(files->find("public/%2e%2e/%2e%2e/" + outside.path.filename().string() + "/secret.txt") ==
        nullptr);
  CHECK(files->find(outside.path.string() + "/secret.txt") == nullptr);
}

TEST_CASE("a STATIC_DIR that does not exist is a start-up error") {
  const auto files = static_files::load(fs::path("/nonexistent/notes-static"));
  REQUIRE_FALSE(files);
  CHECK(files.error().find("STATIC_DIR") != std::string::npos);
}

TEST_CASE("the ETag is a hash of the content: it changes exactly when the content does") {
  temp_dir a;
  temp_dir b;
  a.write("x.txt", "one");
  b.write("x.txt", "two");
  const auto first = static_files::load(a.path);
  const auto second = static_files::load(b.path);
  const auto again = static_files::load(a.path);
  CHECK(first->find("x.txt")->etag != second->find("x.txt")->etag);
  CHECK(first->find("x.txt")->etag == again->find("x.txt")->etag);
}

TEST_CASE("If-None-Match matches lists, weak forms and the wildcard") {
  const std::string etag = "\"abc\"";
  CHECK(etag_matches("\"abc\"", etag));
  CHECK(etag_matches("\"x\", \"abc\"", etag));
  CHECK(etag_matches("W/\"abc\"", etag));
  CHECK(etag_matches("*", etag));
  CHECK_FALSE(etag_matches("\"abcd\"", etag));
  CHECK_FALSE(etag_matches("", etag));
  CHECK_FALSE(etag_matches("abc", etag));
}

TEST_CASE("content types by extension") {
  CHECK(content_type_for("a/b.css") == "text/css; charset=utf-8");
  CHECK(content_type_for("a.js") == "text/javascript; charset=utf-8");
  CHECK(content_type_for("a.woff2") == "font/woff2");
  CHECK(content_type_for("noext") == "application/octet-stream");
  CHECK(content_type_for(".css") == "application/octet-stream");
}
