#include "ops/metrics.hpp"

#include <string_view>
#include <utility>

#include "log/access_log.hpp"
#include "routing/http_text.hpp"

namespace notes::http {

namespace {

using boost::beast::http::verb;

// The statuses this server sends, each counted on its own; anything else is "other".
constexpr std::array<unsigned, 27> tracked_statuses{
    200, 201, 204, 301, 302, 303, 304, 400, 401, 403, 404, 405, 406, 408,
    409, 411, 412, 413, 414, 415, 422, 429, 431, 500, 501, 503, 507};
constexpr std::size_t status_slots = tracked_statuses.size() + 1;

constexpr std::array<std::string_view, 8> method_names{"GET",    "HEAD",    "POST",  "PUT",
                                                       "PATCH", "DELETE", "OPTIONS", "other"};
constexpr std::size_t method_slots = method_names.size();
constexpr std::size_t buckets = latency_bounds_us.size() + 1;

// Status code -> slot, built at compile time: the hot path is one table read.
constexpr auto status_slot_table = [] {
  std::array<std::uint8_t, 600> table{};
  table.fill(static_cast<std::uint8_t>(tracked_statuses.size()));
  for (std::size_t i = 0; i < tracked_statuses.size(); ++i) {
    table[tracked_statuses[i]] = static_cast<std::uint8_t>(i);
  }
  return table;
}();

std::size_t status_slot(unsigned status) noexcept {
  return status < status_slot_table.size() ? status_slot_table[status] : tracked_statuses.size();
}

std::size_t method_slot(verb method) noexcept {
  switch (method) {
    case verb::get: return 0;
    case verb::head: return 1;
    case verb::post: return 2;
    case verb::put: return 3;
    case verb::patch: return 4;
    case verb::delete_: return 5;
    case verb::options: return 6;
    default: return 7;
  }
}

// Microseconds as decimal seconds without trailing zeros: 2500 -> "0.0025".
void append_seconds(std::string& out, std::int64_t micros) {
  append_decimal(out, micros / 1'000'000);
  std::int64_t fraction = micros % 1'000'000;
  if (fraction == 0) return;
  char digits[7] = "000000";
  for (int i = 5; i >= 0; --i, fraction /= 10) digits[i] = static_cast<char>('0' + fraction % 10);
  std::string_view text(digits, 6);
  while (text.back() == '0') text.remove_suffix(1);
  out += '.';
  out += text;
}

// A label value: backslash, double quote and line feed escaped, as the format requires.
void append_label(std::string& out, std::string_view name, std::string_view value) {
  out += name;
  out += "=\"";
  for (char c : value) {
    if (c == '\\' || c == '"') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  out += '"';
}

void append_header(std::string& out, std::string_view name, std::string_view type,
                   std::string_view help) {
  out += "# HELP ";
  out += name;
  out += ' ';
  out += help;
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
}

}  // namespace

worker_metrics::worker_metrics(std::size_t routes)
    : routes_(routes),
      requests_(new single_writer_counter[(routes + 1) * method_slots * status_slots]),
      latency_buckets_(new single_writer_counter[(routes + 1) * buckets]),
      latency_sum_us_(new single_writer_counter[routes + 1]) {}

std::size_t worker_metrics::route_slot(std::size_t route) const noexcept {
  return route < routes_ ? route : routes_;
}

void worker_metrics::record(std::size_t route, verb method, unsigned status,
                            std::chrono::microseconds elapsed) noexcept {
  const std::size_t r = route_slot(route);
  requests_[(r * method_slots + method_slot(method)) * status_slots + status_slot(status)].add();
  const std::int64_t micros = elapsed.count();
  std::size_t bucket = 0;
  while (bucket < latency_bounds_us.size() && micros > latency_bounds_us[bucket]) ++bucket;
  latency_buckets_[r * buckets + bucket].add();
  latency_sum_us_[r].add(micros);
}

void worker_metrics::storage_error(error_code code) noexcept {
  if (const auto kind = storage_error_slot(code); kind < storage_error_kinds.size()) {
    storage_errors_[kind].add();
  }
}

void worker_metrics::sign_in(sign_in_outcome outcome) noexcept {
  sign_ins_[static_cast<std::size_t>(outcome)].add();
}

void server_metrics::set_routes(std::vector<std::string> patterns) { routes_ = std::move(patterns); }

worker_metrics& server_metrics::add_worker() {
  workers_.push_back(std::make_unique<worker_metrics>(routes_.size()));
  return *workers_.back();
}

std::string_view server_metrics::route_name(std::size_t slot) const noexcept {
  return slot < routes_.size() ? std::string_view(routes_[slot]) : "unmatched";
}

std::int64_t server_metrics::sum(std::unique_ptr<single_writer_counter[]> worker_metrics::*member,
                                 std::size_t index) const noexcept {
  std::int64_t total = 0;
  for (const auto& w : workers_) total += ((*w).*member)[index].get();
  return total;
}

std::string server_metrics::render(const storage_readings& storage) const {
  std::string out;
  out.reserve(8192);
  render_requests(out);
  render_durations(out);
  render_gauges(out, storage);
  return out;
}

void server_metrics::render_requests(std::string& out) const {
  append_header(out, "notes_http_requests_total", "counter",
                "HTTP responses sent, by route pattern, method and status.");
  for (std::size_t r = 0; r < routes_.size() + 1; ++r) {
    for (std::size_t m = 0; m < method_slots; ++m) {
      for (std::size_t s = 0; s < status_slots; ++s) {
        const std::int64_t count =
            sum(&worker_metrics::requests_, (r * method_slots + m) * status_slots + s);
        if (count == 0) continue;
        out += "notes_http_requests_total{";
        append_label(out, "route", route_name(r));
        out += ',';
        append_label(out, "method", method_names[m]);
        out += ',';
        append_label(out, "status", s < tracked_statuses.size()
                                        ? std::to_string(tracked_statuses[s])
                                        : std::string("other"));
        out += "} ";
        append_decimal(out, count);
        out += '\n';
      }
    }
  }
}

void server_metrics::render_durations(std::string& out) const {
  append_header(out, "notes_http_request_duration_seconds", "histogram",
                "Time from a request's first byte until its response was written, by route "
                "pattern.");
  for (std::size_t r = 0; r < routes_.size() + 1; ++r) {
    std::array<std::int64_t, buckets> counts{};
    std::int64_t total = 0;
    for (std::size_t b = 0; b < buckets; ++b) {
      counts[b] = sum(&worker_metrics::latency_buckets_, r * buckets + b);
      total += counts[b];
    }
    if (total == 0) continue;
    std::int64_t cumulative = 0;
    for (std::size_t b = 0; b < buckets; ++b) {
      cumulative += counts[b];
      out += "notes_http_request_duration_seconds_bucket{";
      append_label(out, "route", route_name(r));
      out += ",le=\"";
      if (b < latency_bounds_us.size()) {
        append_seconds(out, latency_bounds_us[b]);
      } else {
        out += "+Inf";
      }
      out += "\"} ";
      append_decimal(out, cumulative);
      out += '\n';
    }
    out += "notes_http_request_duration_seconds_sum{";
    append_label(out, "route", route_name(r));
    out += "} ";
    append_seconds(out, sum(&worker_metrics::latency_sum_us_, r));
    out += "\nnotes_http_request_duration_seconds_count{";
    append_label(out, "route", route_name(r));
    out += "} ";
    append_decimal(out, total);
    out += '\n';
  }
}

void server_metrics::render_gauges(std::string& out, const storage_readings& storage) const {
  std::int64_t in_flight = 0;
  std::array<std::int64_t, storage_error_kinds.size()> storage_errors{};
  for (const auto& w : workers_) {
    in_flight += w->in_flight_.get();
    for (std::size_t k = 0; k < storage_errors.size(); ++k) {
      storage_errors[k] += w->storage_errors_[k].get();
    }
  }
  append_header(out, "notes_http_requests_in_flight", "gauge",
                "Requests being received, handled or answered right now.");
  out += "notes_http_requests_in_flight ";
  append_decimal(out, in_flight);
  out += '\n';

  append_header(out, "notes_storage_errors_total", "counter",
                "Storage calls that failed: unavailable (worth retrying: database unreachable or "
                "locked), storage_failure (a fault), storage_full (no room left) or read_only "
                "(writes refused: read-only database, its file deleted or replaced).");
  for (std::size_t k = 0; k < storage_errors.size(); ++k) {
    out += "notes_storage_errors_total{";
    append_label(out, "kind", to_string(storage_error_kinds[k]));
    out += "} ";
    append_decimal(out, storage_errors[k]);
    out += '\n';
  }

  append_header(out, "notes_sign_ins_total", "counter",
                "Sign-ins on /login by outcome: succeeded, failed (wrong username or password) "
                "or refused (too many failures: 429). Always 0 without accounts.");
  for (const sign_in_outcome outcome : sign_in_outcomes) {
    std::int64_t total = 0;
    for (const auto& w : workers_) total += w->sign_ins_[static_cast<std::size_t>(outcome)].get();
    out += "notes_sign_ins_total{";
    append_label(out, "outcome", outcome == sign_in_outcome::succeeded ? "succeeded"
                                 : outcome == sign_in_outcome::failed  ? "failed"
                                                                       : "refused");
    out += "} ";
    append_decimal(out, total);
    out += '\n';
  }

  append_header(out, "notes_log_lines_dropped_total", "counter",
                "Log lines (access log, errors) dropped because stderr did not keep up.");
  out += "notes_log_lines_dropped_total ";
  append_decimal(out, dropped_log_lines());
  out += '\n';

  append_header(out, "notes_trash_swept_total", "counter",
                "Trashed notes this server deleted for good because they were older than "
                "TRASH_DAYS.");
  out += "notes_trash_swept_total ";
  append_decimal(out, trash_swept_.load(std::memory_order_relaxed));
  out += '\n';

  if (storage.notes) {
    append_header(out, "notes_stored_notes", "gauge", "Notes in the database.");
    out += "notes_stored_notes ";
    append_decimal(out, *storage.notes);
    out += '\n';
  }

  if (storage.write_batches) {
    append_header(out, "notes_storage_write_transactions_total", "counter",
                  "Transactions that committed writes: SQLite commits the writes that arrive "
                  "while a transaction commits together, in the next one.");
    out += "notes_storage_write_transactions_total ";
    append_decimal(out, storage.write_batches->transactions);
    out += '\n';
    append_header(out, "notes_storage_writes_total", "counter",
                  "Writes saved by those transactions; divided by them, the mean batch.");
    out += "notes_storage_writes_total ";
    append_decimal(out, storage.write_batches->writes);
    out += '\n';
    append_header(out, "notes_storage_wal_checkpoints_total", "counter",
                  "Checkpoint passes that copied what they could of SQLite's WAL back into the "
                  "database file: on the checkpointer's own thread (on=\"thread\"), or on a "
                  "writer's connection after its commit, which lets the WAL start over "
                  "(on=\"writer\").");
    out += "notes_storage_wal_checkpoints_total{on=\"thread\"} ";
    append_decimal(out, storage.write_batches->checkpoints_beside);
    out += "\nnotes_storage_wal_checkpoints_total{on=\"writer\"} ";
    append_decimal(out, storage.write_batches->checkpoints_by_writers);
    out += '\n';
    append_header(out, "notes_storage_queue_moves_total", "counter",
                  "Moves of what waits for the search index (queue=\"search\") and for the "
                  "revision table (queue=\"revisions\") into them, each in a transaction of its "
                  "own after a batch: committed (outcome=\"moved\"), or put off to a later batch "
                  "(outcome=\"deferred\": another connection held the write lock, this "
                  "process's account writes or another process, or the database failed; a "
                  "search move put off puts off the revisions' too, counted once).");
    const auto& counts = *storage.write_batches;
    const std::pair<std::string_view, std::int64_t> moves[] = {
        {"queue=\"search\",outcome=\"moved\"", counts.search_queue_moves},
        {"queue=\"search\",outcome=\"deferred\"", counts.search_queue_moves_deferred},
        {"queue=\"revisions\",outcome=\"moved\"", counts.revision_queue_moves},
        {"queue=\"revisions\",outcome=\"deferred\"", counts.revision_queue_moves_deferred},
    };
    for (const auto& [labels, value] : moves) {
      out += "notes_storage_queue_moves_total{";
      out += labels;
      out += "} ";
      append_decimal(out, value);
      out += '\n';
    }
  }

  append_header(out, "notes_build_info", "gauge", "The running notes-server's version.");
  out += "notes_build_info{";
  append_label(out, "version", NOTES_VERSION);
  out += "} 1\n";
  append_header(out, "process_start_time_seconds", "gauge",
                "When the server started, in seconds since the Unix epoch.");
  out += "process_start_time_seconds ";
  append_decimal(out, std::chrono::duration_cast<std::chrono::seconds>(
                         started_.time_since_epoch())
                         .count());
  out += '\n';
}

}  // namespace notes::http
