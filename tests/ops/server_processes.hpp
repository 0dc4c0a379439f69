#pragma once
// notes-server processes for the ops tests: started with a clean environment in a folder of
// their own (no .env), on loopback and a free port, killed if a test leaves them running.
#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

#include "child_process.hpp"
#include "test_server.hpp"

namespace notes::testing {

struct server_process {
  std::filesystem::path dir = make_temp_directory("notes-server-process");
  std::unique_ptr<child_process> process;
  std::uint16_t port = 0;

  // DATABASE_URL=url plus `env` (NAME=value entries, which win over the defaults here).
  explicit server_process(const std::string& url, std::vector<std::string> env = {}) {
    std::vector<std::string> full{"DATABASE_URL=" + url, "HOST=127.0.0.1", "PORT=0",
                                  "THREADS=2", "ACCESS_LOG=0",
                                  "SECRET_KEY=shared secret of the ops tests"};
    for (auto& e : env) {
      const std::string name = e.substr(0, e.find('=') + 1);
      std::erase_if(full, [&](const std::string& d) { return d.starts_with(name); });
      full.push_back(std::move(e));
    }
    process = std::make_unique<child_process>(NOTES_SERVER_PATH, std::vector<std::string>{}, full,
                                              dir);
    port = process->wait_until_listening();
    REQUIRE_MESSAGE(port != 0, "notes-server did not start: " << process->stderr_text());
  }

  ~server_process() {
    process.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }
  server_process(const server_process&) = delete;
  server_process& operator=(const server_process&) = delete;
};

}  // namespace notes::testing
