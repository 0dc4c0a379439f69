#include "notes/storage/database_config.hpp"

#include <charconv>
#include <optional>

namespace notes::storage {
namespace {

constexpr std::string_view sqlite_prefix = "sqlite:///";
constexpr std::string_view postgresql_prefixes[] = {"postgresql://", "postgres://"};

std::unexpected<error> url_error(std::string_view what) {
  return make_error(error_code::invalid_argument, "database URL " + std::string(what));
}

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> percent_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    if (i + 2 >= s.size()) return std::nullopt;
    const int high = hex_value(s[i + 1]);
    const int low = hex_value(s[i + 2]);
    if (high < 0 || low < 0) return std::nullopt;
    out += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return out;
}

bool is_option_key(std::string_view key) noexcept {
  if (key.empty()) return false;
  for (char c : key) {
    if (!((c >= 'a' && c <= 'z') || c == '_')) return false;
  }
  // These come from the URL's own parts; a second copy in the query would be ambiguous.
  return key != "host" && key != "hostaddr" && key != "port" && key != "user" &&
         key != "password" && key != "dbname";
}

constexpr std::string_view sqlite_forms =
    "use sqlite:///notes.db (relative to the working directory) or "
    "sqlite:////var/lib/notes/notes.db (absolute)";

// The last path segment names a directory, not a file.
bool names_directory(std::string_view path) noexcept {
  const std::string_view last = path.substr(path.rfind('/') + 1);
  return last.empty() || last == "." || last == "..";
}

result<database_config> parse_sqlite(std::string_view path) {
  // SQLAlchemy would read these as connect() options; kept in the path they would name a file
  // like "notes.db?mode=ro", so they are refused rather than half-understood.
  if (const auto extra = path.find_first_of("?#"); extra != std::string_view::npos) {
    return url_error("has '" + std::string(path.substr(extra)) +
                     "' after the SQLite file name: a sqlite URL takes no options or fragment, "
                     "and '?' and '#' cannot be part of its file name; " +
                     std::string(sqlite_forms));
  }
  if (path.empty()) return url_error("names no SQLite file: " + std::string(sqlite_forms));
  if (path == ":memory:") {
    return url_error(
        "sqlite:///:memory: is not supported: every connection would get its own empty database");
  }
  if (names_directory(path)) {
    return url_error("names a directory, not a SQLite file: " + std::string(sqlite_forms));
  }
  database_config config;
  config.kind = database_kind::sqlite;
  config.path = std::string(path);
  return config;
}

result<void> parse_query(std::string_view query, database_config& config) {
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    const std::string_view key = pair.substr(0, eq);
    if (eq == std::string_view::npos || !is_option_key(key)) {
      return url_error("has an unsupported query parameter '" + std::string(key) +
                       "' (expected key=value with a libpq connection option)");
    }
    auto value = percent_decode(pair.substr(eq + 1));
    if (!value)
      return url_error("has a malformed percent escape in parameter '" + std::string(key) + "'");
    config.options.emplace_back(std::string(key), std::move(*value));
  }
  return {};
}

// user[:password], each percent-decoded.
result<void> parse_userinfo(std::string_view userinfo, database_config& config) {
  const auto colon = userinfo.find(':');
  auto user = percent_decode(userinfo.substr(0, colon));
  auto password = colon == std::string_view::npos ? std::optional<std::string>{""}
                                                  : percent_decode(userinfo.substr(colon + 1));
  if (!user || !password) {
    return url_error("has a malformed percent escape in the user or password");
  }
  config.user = std::move(*user);
  config.password = std::move(*password);
  return {};
}

result<void> parse_port(std::string_view port_text, database_config& config) {
  unsigned value = 0;
  const auto [end, ec] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
  if (ec != std::errc{} || end != port_text.data() + port_text.size() || value == 0 ||
      value > 65535) {
    return url_error("has an invalid port '" + std::string(port_text) + "' (expected 1-65535)");
  }
  config.port = static_cast<std::uint16_t>(value);
  return {};
}

// host[:port] or [IPv6 address][:port].
result<void> parse_host_and_port(std::string_view authority, database_config& config) {
  std::string_view port_text;
  if (authority.starts_with('[')) {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return url_error("has an unterminated [IPv6] host");
    config.host = std::string(authority.substr(1, close - 1));
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (!after.starts_with(':')) return url_error("has text after the [IPv6] host");
      port_text = after.substr(1);
    }
  } else {
    const auto colon = authority.find(':');
    config.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
  }
  if (config.host.empty()) {
    return url_error("names no host: use postgresql://user:password@host:port/database");
  }
  if (authority.find(':') != std::string_view::npos && !authority.starts_with('[') &&
      port_text.empty()) {
    return url_error("has an empty port");
  }
  if (!port_text.empty()) return parse_port(port_text, config);
  return {};
}

result<database_config> parse_postgresql(std::string_view rest) {
  database_config config;
  config.kind = database_kind::postgresql;

  std::string_view query;
  if (const auto q = rest.find('?'); q != std::string_view::npos) {
    query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  const auto slash = rest.find('/');
  if (slash == std::string_view::npos || slash + 1 == rest.size()) {
    return url_error("names no database: use postgresql://user:password@host:port/database");
  }
  std::string_view authority = rest.substr(0, slash);
  auto database_name = percent_decode(rest.substr(slash + 1));
  if (!database_name || database_name->find('/') != std::string::npos) {
    return url_error("has a malformed database name");
  }
  config.database_name = std::move(*database_name);

  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    if (auto ok = parse_userinfo(authority.substr(0, at), config); !ok) {
      return std::unexpected(ok.error());
    }
    authority = authority.substr(at + 1);
  }
  if (auto ok = parse_host_and_port(authority, config); !ok) return std::unexpected(ok.error());
  if (auto ok = parse_query(query, config); !ok) return std::unexpected(ok.error());
  return config;
}

}  // namespace

result<database_config> parse_database_url(std::string_view url) {
  if (url.starts_with(sqlite_prefix)) return parse_sqlite(url.substr(sqlite_prefix.size()));
  if (url.starts_with("sqlite:")) {
    return url_error("needs three slashes after sqlite: before the file name (a sqlite URL has "
                     "no host): " + std::string(sqlite_forms));
  }
  for (std::string_view prefix : postgresql_prefixes) {
    if (url.starts_with(prefix)) return parse_postgresql(url.substr(prefix.size()));
  }
  if (url.empty()) {
    return url_error(
        "is empty: use sqlite:///notes.db or postgresql://user:password@host:port/database");
  }
  // Only the scheme is echoed: the rest may hold a password.
  const auto colon = url.find(':');
  const std::string scheme =
      colon == std::string_view::npos ? std::string("(none)") : std::string(url.substr(0, colon));
  return url_error("has an unsupported form (scheme '" + scheme +
                   "'): use sqlite:///relative.db, sqlite:////absolute/path.db or "
                   "postgresql://user:password@host:port/database");
}

std::string redacted_url(const database_config& config) {
  if (config.kind == database_kind::sqlite) return std::string(sqlite_prefix) + config.path;
  std::string url = "postgresql://";
  if (!config.user.empty()) {
    url += config.user;
    if (!config.password.empty()) url += ":***";
    url += '@';
  }
  url += config.host.find(':') != std::string::npos ? "[" + config.host + "]" : config.host;
  url += ':' + std::to_string(config.port) + '/' + config.database_name;
  char separator = '?';
  for (const auto& [key, value] : config.options) {
    // sslpassword unlocks the client key; "password" itself is refused as an option.
    url += separator + key + '=' + (key.find("password") != std::string::npos ? "***" : value);
    separator = '&';
  }
  return url;
}

}  // namespace notes::storage
