#include "notes/storage/database.hpp"

#include <string>

#include "connection.hpp"
#include "error_mapping.hpp"
#include "repository_state.hpp"
#include "schema.hpp"

namespace notes::storage {
namespace {

std::string describe(const database_config& config) {
  return config.kind == database_kind::sqlite
             ? "SQLite database '" + config.path + "'"
             : "PostgreSQL database '" + config.database_name + "' on " + config.host + ":" +
                   std::to_string(config.port);
}

// Opens a connection and runs `body` on it, translating whatever either throws.
template <class Body>
auto with_session(const database_config& config, std::string_view doing, Body&& body)
    -> decltype(body(std::declval<std::unique_ptr<soci::session>&>())) {
  std::unique_ptr<soci::session> session;
  try {
    session = detail::open_session(config);
  } catch (const std::exception& failure) {
    auto e = detail::translate(failure, config.kind, config.kind == database_kind::postgresql,
                               "open " + describe(config));
    return std::unexpected(std::move(e));
  }
  try {
    return body(session);
  } catch (const detail::schema_too_new& newer) {
    return std::unexpected(detail::require_current_schema(newer.found).error());
  } catch (const std::exception& failure) {
    const bool lost = session != nullptr && detail::connection_lost(*session, config.kind);
    return std::unexpected(detail::translate(failure, config.kind, lost, doing));
  }
}

}  // namespace

std::int64_t latest_schema_version() noexcept { return detail::migrations().back().version; }

std::vector<migration_info> known_migrations() {
  std::vector<migration_info> out;
  for (const auto& m : detail::migrations()) out.push_back({m.version, std::string(m.name)});
  return out;
}

result<std::vector<migration_info>> migrate(const database_config& config) {
  return with_session(
      config, "migrate",
      [&](std::unique_ptr<soci::session>& session) -> result<std::vector<migration_info>> {
        return detail::apply_migrations(*session, config.kind);
      });
}

result<std::int64_t> schema_version(const database_config& config) {
  return with_session(config, "read schema version",
                      [&](std::unique_ptr<soci::session>& session) -> result<std::int64_t> {
                        return detail::read_schema_version(*session, config.kind);
                      });
}

result<std::unique_ptr<soci_note_repository>> open_repository(const database_config& config) {
  return with_session(
      config, "open repository",
      [&](std::unique_ptr<soci::session>& session)
          -> result<std::unique_ptr<soci_note_repository>> {
        if (auto ok =
                detail::require_current_schema(detail::read_schema_version(*session, config.kind));
            !ok) {
          return std::unexpected(ok.error());
        }
        auto state = std::make_unique<soci_note_repository::impl>(config, std::move(session));
        return std::make_unique<soci_note_repository>(std::move(state));
      });
}

result<void> check_ready(const database_config& config) {
  return with_session(
      config, "readiness check", [&](std::unique_ptr<soci::session>& session) -> result<void> {
        return detail::require_current_schema(detail::read_schema_version(*session, config.kind));
      });
}

}  // namespace notes::storage
