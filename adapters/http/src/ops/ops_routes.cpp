#include "ops/ops_routes.hpp"

#include "notes/note_service.hpp"
#include "routing/json_text.hpp"

namespace notes::http {

namespace {

// Probes and scrapes must never see a cached answer.
response uncached(status code, std::string body, std::string_view content_type) {
  response res = make_response(code, std::move(body), content_type);
  res.set(field::cache_control, "no-store");
  return res;
}

response json_status(status code, std::string_view state, std::string_view problem = {}) {
  std::string body = "{\"status\":";
  append_json_string(body, state);
  if (!problem.empty()) {
    body += ",\"error\":";
    append_json_string(body, problem);
  }
  body += '}';
  response res = uncached(code, std::move(body), "application/json");
  if (code == status::service_unavailable) res.set(field::retry_after, "1");
  return res;
}

}  // namespace

void add_ops_routes(router& r, const ops_options& options, const server_status& server) {
  auto render_error = [](const request&, const error_info& e) {
    return make_response(e.code, error_json(e.message, e.fields), "application/json");
  };
  for (const char* prefix : {"/healthz", "/readyz", "/metrics"}) {
    r.set_error_renderer(prefix, render_error);
  }
  // A probe reads "status": a 503 the server gives without running the check (too many probes
  // wait for a blocking thread, or it stops) says it as the check's own answers do.
  r.set_error_renderer("/readyz", [render_error, server](const request& req,
                                                         const error_info& e) {
    if (e.code != status::service_unavailable) return render_error(req, e);
    const bool stopping = server.stopping.load(std::memory_order_relaxed);
    return json_status(e.code, stopping ? "stopping" : "unavailable", e.message);
  });

  // Probes and scrapers sign in nowhere: these are open, and say nothing of anyone's notes.
  const auto alive = [](request_context&) { return json_status(status::ok, "ok"); };
  r.add(verb::get, "/healthz", alive, access::open);

  // On the blocking lane: the check may wait for the database, and a probe must not hold up
  // the requests that share its network thread.
  const auto ready = [readiness = options.readiness, server](request_context&) {
    // A stopping server still finishes what it has; new work belongs elsewhere.
    if (server.stopping.load(std::memory_order_relaxed)) {
      return json_status(status::service_unavailable, "stopping", "The server is shutting down");
    }
    if (readiness) {
      if (auto checked = readiness(); !checked) {
        return json_status(status::service_unavailable, "unavailable", checked.error().message);
      }
    }
    return json_status(status::ok, "ready");
  };
  r.add(verb::get, "/readyz", ready, access::open, route_lane::blocking);

  const auto scrape = [server, write_batches = options.write_batches](request_context& ctx) {
    server_metrics::storage_readings storage;
    // With accounts the service here acts for nobody's notes in particular: the gauge is left
    // out rather than telling the shared notebook's count as everyone's.
    if (ctx.accounts == nullptr) {
      if (auto counted = ctx.service.count()) storage.notes = *counted;
    }
    if (write_batches) storage.write_batches = write_batches();
    return uncached(status::ok, server.metrics.render(storage),
                    "text/plain; version=0.0.4; charset=utf-8");
  };
  r.add(verb::get, "/metrics", scrape, access::open);
}

}  // namespace notes::http
