#pragma once
// What /metrics reports. Each worker thread owns one worker_metrics and is the only thread that
// writes it: recording a request is a few relaxed loads and stores on memory no other thread
// writes (no lock, no locked instruction). The /metrics handler, on any thread, sums every
// worker's numbers, so it may see a request counted but not yet in the histogram; each number
// on its own is exact.
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/beast/http/verb.hpp>

#include "notes/error.hpp"
#include "notes/http/server.hpp"
#include "routing/access.hpp"

namespace notes::http {

// A counter with one writer and any number of readers.
class single_writer_counter {
 public:
  void add(std::int64_t n = 1) noexcept {
    value_.store(value_.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
  }
  std::int64_t get() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::int64_t> value_{0};
};

// A counter any thread may add to.
class shared_counter {
 public:
  void add(std::int64_t n = 1) noexcept { value_.fetch_add(n, std::memory_order_relaxed); }
  std::int64_t get() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::int64_t> value_{0};
};

// The storage failures counted by kind, in the order /metrics lists them.
inline constexpr std::array<error_code, 4> storage_error_kinds{
    error_code::unavailable, error_code::storage_failure, error_code::storage_full,
    error_code::read_only};

// The index of `code` in storage_error_kinds; its size for any other code.
constexpr std::size_t storage_error_slot(error_code code) noexcept {
  std::size_t slot = 0;
  while (slot < storage_error_kinds.size() && storage_error_kinds[slot] != code) ++slot;
  return slot;
}

// The outcomes of sign-ins, in the order /metrics lists them.
inline constexpr std::array<sign_in_outcome, 3> sign_in_outcomes{
    sign_in_outcome::succeeded, sign_in_outcome::failed, sign_in_outcome::refused};

// Upper bounds of the latency histogram's buckets, in microseconds (+Inf follows).
inline constexpr std::array<std::int64_t, 14> latency_bounds_us{
    250, 500, 1'000, 2'500, 5'000, 10'000, 25'000, 50'000, 100'000, 250'000, 500'000,
    1'000'000, 2'500'000, 10'000'000};

// Aligned to a cache line so that two workers' counters never share one. Also where the
// thread's handlers report sign-ins.
class alignas(64) worker_metrics final : public account_events {
 public:
  // `routes`: how many route patterns the router has; requests no pattern matched get a slot of
  // their own.
  explicit worker_metrics(std::size_t routes);

  // A request began arriving; every begin is followed by exactly one end.
  void request_began() noexcept { in_flight_.add(1); }
  void request_ended() noexcept { in_flight_.add(-1); }

  // A response was sent. `route` is a router id or router::no_route.
  void record(std::size_t route, boost::beast::http::verb method, unsigned status,
              std::chrono::microseconds elapsed) noexcept;

  // A storage call failed; only the kinds in storage_error_kinds are counted.
  void storage_error(error_code code) noexcept;

  void sign_in(sign_in_outcome outcome) noexcept override;

 private:
  friend class server_metrics;
  std::size_t route_slot(std::size_t route) const noexcept;

  std::size_t routes_;
  // [route slot][method slot][status slot]
  std::unique_ptr<single_writer_counter[]> requests_;
  // [route slot][bucket], the last bucket is +Inf; and the sum of latencies per route slot.
  std::unique_ptr<single_writer_counter[]> latency_buckets_;
  std::unique_ptr<single_writer_counter[]> latency_sum_us_;
  single_writer_counter in_flight_;
  // Also counted by the thread that completes a handed-off write (write_combiner's committer).
  std::array<shared_counter, storage_error_kinds.size()> storage_errors_;
  std::array<single_writer_counter, sign_in_outcomes.size()> sign_ins_;
};

// Every worker's metrics plus what the exposition needs to name them.
class server_metrics {
 public:
  // The route patterns by router id; call before add_worker().
  void set_routes(std::vector<std::string> patterns);

  // One per worker thread, before the threads start; lives as long as this object.
  worker_metrics& add_worker();

  // The trash sweep deleted `notes` for good. Any thread; it runs once an hour.
  void trash_swept(std::int64_t notes) noexcept {
    trash_swept_.fetch_add(notes, std::memory_order_relaxed);
  }

  // What storage told for a scrape, when it could.
  struct storage_readings {
    std::optional<std::int64_t> notes;  // the number of stored notes
    std::optional<write_batch_counts> write_batches;
  };
  // The Prometheus text exposition format (version 0.0.4).
  std::string render(const storage_readings& storage) const;

 private:
  // The sections of the exposition, in the order render() writes them.
  void render_requests(std::string& out) const;
  void render_durations(std::string& out) const;
  void render_gauges(std::string& out, const storage_readings& storage) const;

  std::string_view route_name(std::size_t slot) const noexcept;
  // One counter summed over every worker.
  std::int64_t sum(std::unique_ptr<single_writer_counter[]> worker_metrics::*member,
                   std::size_t index) const noexcept;

  std::vector<std::string> routes_;
  std::vector<std::unique_ptr<worker_metrics>> workers_;
  std::chrono::system_clock::time_point started_ = std::chrono::system_clock::now();
  std::atomic<std::int64_t> trash_swept_{0};
};

}  // namespace notes::http
