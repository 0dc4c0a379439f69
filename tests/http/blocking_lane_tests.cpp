// The blocking lane: /readyz runs on the blocking pool, so a probe that waits holds up no other
// connection of its network thread; the pool's queue is bounded; stop() answers or finishes
// what the pool holds.
#include <doctest/doctest.h>

#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <regex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <boost/json/parse.hpp>

#include "http_client.hpp"
#include "stderr_capture.hpp"
#include "test_server.hpp"

using notes::testing::http_client;
using notes::testing::http_response;
using notes::testing::memory_backend;
using notes::testing::test_server;
using std::chrono::milliseconds;
using clock_type = std::chrono::steady_clock;

namespace {

constexpr auto patience = std::chrono::seconds(10);

// A readiness check that blocks every caller until the test opens it, and tells how many wait.
class gate {
 public:
  notes::result<void> pass() {
    std::unique_lock lock(mutex_);
    ++waiting_;
    changed_.notify_all();
    changed_.wait(lock, [this] { return open_; });
    --waiting_;
    return {};
  }
  // Until `count` callers wait in pass(); fails the test after `patience`.
  void await_waiting(int count) {
    std::unique_lock lock(mutex_);
    REQUIRE(changed_.wait_for(lock, patience, [&] { return waiting_ >= count; }));
  }
  int waiting() {
    std::lock_guard lock(mutex_);
    return waiting_;
  }
  void open() {
    std::lock_guard lock(mutex_);
    open_ = true;
    changed_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  int waiting_ = 0;
  bool open_ = false;
};

// Declared after the server: opens the gate before the server stops, whatever the test did, so
// that a failing check cannot leave stop() waiting on a probe forever.
struct open_at_exit {
  gate& g;
  ~open_at_exit() { g.open(); }
};

notes::http::server_options gated(gate& g) {
  auto options = notes::testing::test_server_options();
  options.ops.readiness = [&g] { return g.pass(); };
  // These tests count what waits on the blocking lane: the start-up trash sweep would be one more.
  options.sweep_trash = false;
  return options;
}

// A probe on a connection of its own, answered on another thread.
std::future<http_response> probe(std::uint16_t port) {
  return std::async(std::launch::async, [port] {
    http_client client(port, "127.0.0.1", patience);
    return client.get("/readyz");
  });
}

bool answered(std::future<http_response>& f) {
  return f.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
}

// The first of `probes` to be answered, within `patience`; its index.
std::size_t first_answered(std::vector<std::future<http_response>>& probes) {
  const auto deadline = clock_type::now() + patience;
  while (clock_type::now() < deadline) {
    for (std::size_t i = 0; i < probes.size(); ++i) {
      if (answered(probes[i])) return i;
    }
    std::this_thread::sleep_for(milliseconds(5));
  }
  throw std::runtime_error("no probe was answered");
}

// The value of the /metrics sample named exactly `sample` (name and labels); 0 when absent.
double metric(const std::string& text, const std::string& sample) {
  const std::string prefix = "\n" + sample + " ";
  const auto at = text.find(prefix);
  return at == std::string::npos ? 0 : std::stod(text.substr(at + prefix.size()));
}

std::string requests(std::string_view status) {
  return R"(notes_http_requests_total{route="/readyz",method="GET",status=")" +
         std::string(status) + "\"}";
}

constexpr const char* readyz_count =
    R"(notes_http_request_duration_seconds_count{route="/readyz"})";
constexpr const char* readyz_sum = R"(notes_http_request_duration_seconds_sum{route="/readyz"})";
constexpr const char* in_flight = "notes_http_requests_in_flight";

// /metrics once `sample` reaches `count`: a response is counted after it is written, which its
// client may see a moment before.
std::string scrape_until(http_client& client, const std::string& sample, double count) {
  std::string text = client.get("/metrics").body;
  for (int i = 0; i < 500 && metric(text, sample) < count; ++i) {
    std::this_thread::sleep_for(milliseconds(10));
    text = client.get("/metrics").body;
  }
  return text;
}

}  // namespace

TEST_CASE("a /readyz probe that blocks holds up no other connection of its network thread") {
  memory_backend store;
  gate readiness;
  auto options = gated(readiness);
  options.threads = 1;  // every connection on the one network thread
  test_server server(store.repositories(), options);
  open_at_exit opener{readiness};
  http_client client(server.port());
  REQUIRE(client.post_json("/api/notes", R"({"title": "t", "content": "c"})").status == 201);

  auto first = probe(server.port());
  auto second = probe(server.port());
  readiness.await_waiting(2);

  // Answered while both probes still wait in the readiness check.
  const auto health = client.get("/healthz");
  CHECK(health.status == 200);
  const auto notes = client.get("/api/notes");
  CHECK(notes.status == 200);
  CHECK(notes.json().at("total") == 1);
  http_client other(server.port());
  const auto style = other.get("/static/css/style.css");
  CHECK(style.status == 200);
  CHECK(style.header("Content-Type").starts_with("text/css"));
  CHECK(readiness.waiting() == 2);
  CHECK_FALSE(answered(first));
  CHECK_FALSE(answered(second));

  // Held for at least this long: the recorded durations must include the wait.
  const auto held = milliseconds(200);
  std::this_thread::sleep_for(held);
  readiness.open();
  for (auto* p : {&first, &second}) {
    REQUIRE(p->wait_for(patience) == std::future_status::ready);
    const auto res = p->get();
    CHECK(res.status == 200);
    CHECK(res.header("Cache-Control") == "no-store");
    CHECK(res.json().at("status") == "ready");
  }

  const std::string m = scrape_until(client, readyz_count, 2);
  CHECK(metric(m, requests("200")) == 2);
  CHECK(metric(m, readyz_count) == 2);
  CHECK(metric(m, readyz_sum) >= 2 * std::chrono::duration<double>(held).count());
}

TEST_CASE("a /readyz beyond the blocking queue is answered 503 with Retry-After at once") {
  memory_backend store;
  gate readiness;
  auto options = gated(readiness);
  options.threads = 1;
  options.blocking_threads = 1;
  options.blocking_queue = 1;
  options.access_log = true;
  notes::testing::stderr_capture log;
  test_server server(store.repositories(), options);
  open_at_exit opener{readiness};
  CHECK(server.server().blocking_threads() == 1);

  auto running = probe(server.port());
  readiness.await_waiting(1);
  // One of the next two waits in the queue, the other finds it full.
  std::vector<std::future<http_response>> more;
  more.push_back(probe(server.port()));
  more.push_back(probe(server.port()));
  const std::size_t refused = first_answered(more);
  const std::size_t queued = 1 - refused;
  const auto res = more[refused].get();
  CHECK(res.status == 503);
  CHECK(res.header("Retry-After") == "1");
  CHECK(res.header("Content-Type") == "application/json");
  CHECK(res.header("Cache-Control") == "no-store");
  CHECK(res.json() == boost::json::parse(R"({"status": "unavailable",
      "error": "Too many requests are waiting; try again in a moment"})"));
  // The handler did not run for it, and the others still wait.
  CHECK(readiness.waiting() == 1);
  CHECK_FALSE(answered(running));
  CHECK_FALSE(answered(more[queued]));

  readiness.open();
  for (auto* p : {&running, &more[queued]}) {
    REQUIRE(p->wait_for(patience) == std::future_status::ready);
    CHECK(p->get().status == 200);
  }

  http_client client(server.port());
  // On the one network thread, the last probe's access line was written before this scrape ran.
  const std::string m = scrape_until(client, readyz_count, 3);
  CHECK(metric(m, requests("503")) == 1);
  CHECK(metric(m, requests("200")) == 2);
  const std::string text = log.text();
  const std::regex line(R"(GET /readyz (200|503) )");
  std::size_t ok = 0;
  std::size_t unavailable = 0;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), line);
       it != std::sregex_iterator(); ++it) {
    ((*it)[1] == "200" ? ok : unavailable) += 1;
  }
  CHECK(ok == 2);
  CHECK(unavailable == 1);
}

TEST_CASE("stop() answers probes waiting for a blocking thread with 503 and interrupts the "
          "running one after shutdown_timeout") {
  memory_backend store;
  gate readiness;
  auto options = gated(readiness);
  options.blocking_threads = 1;
  options.shutdown_timeout = milliseconds(500);
  bool interrupted = false;  // written by stop() before it joins, read after
  options.ops.interrupt_storage = [&] {
    interrupted = true;
    readiness.open();
  };
  test_server server(store.repositories(), options);
  open_at_exit opener{readiness};

  auto running = probe(server.port());
  readiness.await_waiting(1);
  auto queued = probe(server.port());
  // The second probe's connection is accepted and its request begun before stop() begins (so
  // it waits for the pool, or finds it closed: 503 either way), counting this scrape too.
  {
    http_client client(server.port());
    REQUIRE(metric(scrape_until(client, in_flight, 3), in_flight) >= 3);
  }
  REQUIRE_FALSE(answered(queued));

  const auto start = clock_type::now();
  auto stopped = std::async(std::launch::async, [&] { server.stop(); });
  REQUIRE(queued.wait_for(patience) == std::future_status::ready);
  const auto refused = queued.get();
  CHECK(refused.status == 503);
  CHECK(refused.header("Retry-After") == "1");
  CHECK(refused.json() == boost::json::parse(
                              R"({"status": "stopping", "error": "The server is shutting down"})"));
  CHECK(readiness.waiting() == 1);  // answered without waiting for the running probe

  REQUIRE(running.wait_for(patience) == std::future_status::ready);
  const auto finished = running.get();
  CHECK(finished.status == 200);  // the check passed once interrupted; its answer went out
  CHECK(finished.header("Connection") == "close");
  REQUIRE(stopped.wait_for(patience) == std::future_status::ready);
  stopped.get();
  const auto took = clock_type::now() - start;
  CHECK(interrupted);
  CHECK(took >= milliseconds(400));
  CHECK(took < milliseconds(3000));
}

TEST_CASE("stop() lets a probe running on the blocking pool finish and answer") {
  memory_backend store;
  gate readiness;
  auto options = gated(readiness);
  options.shutdown_timeout = std::chrono::seconds(5);
  test_server server(store.repositories(), options);
  open_at_exit opener{readiness};

  auto running = probe(server.port());
  readiness.await_waiting(1);
  auto stopped = std::async(std::launch::async, [&] { server.stop(); });
  std::this_thread::sleep_for(milliseconds(200));
  CHECK_FALSE(answered(running));
  CHECK(stopped.wait_for(std::chrono::seconds(0)) == std::future_status::timeout);

  const auto released = clock_type::now();
  readiness.open();
  REQUIRE(running.wait_for(patience) == std::future_status::ready);
  const auto res = running.get();
  CHECK(res.status == 200);
  CHECK(res.header("Connection") == "close");
  REQUIRE(stopped.wait_for(patience) == std::future_status::ready);
  stopped.get();
  CHECK(clock_type::now() - released < std::chrono::seconds(3));
}

TEST_CASE("the blocking pool has two threads by default and refuses to start with none") {
  memory_backend store;
  test_server server(store.repositories());
  CHECK(server.server().blocking_threads() == 2);
  http_client client(server.port());
  CHECK(client.get("/readyz").status == 200);

  auto options = notes::testing::test_server_options();
  options.blocking_threads = 0;
  notes::http::server none(options, store.repositories());
  CHECK_THROWS_WITH_AS(none.start(), doctest::Contains("blocking_threads"),
                       std::invalid_argument);
}
