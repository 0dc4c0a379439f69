#pragma once
// A strict reader of the Prometheus text exposition format (0.0.4), enough to check /metrics:
// every sample belongs to a family declared by "# TYPE" before it, label values are quoted and
// escaped, values are numbers.
#include <cstdlib>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace notes::testing {

struct metric_sample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0;
};

struct metric_families {
  std::map<std::string, std::string> types;  // family name -> counter, gauge, histogram, ...
  std::vector<metric_sample> samples;

  // The value of the sample with this name whose labels include all of `labels`; nothing when
  // there is none. Several matches are summed (a route over all methods and statuses).
  std::optional<double> value(std::string_view name,
                              const std::map<std::string, std::string>& labels = {}) const {
    std::optional<double> total;
    for (const auto& s : samples) {
      if (s.name != name) continue;
      bool match = true;
      for (const auto& [k, v] : labels) {
        auto it = s.labels.find(k);
        match = match && it != s.labels.end() && it->second == v;
      }
      if (match) total = total.value_or(0) + s.value;
    }
    return total;
  }
};

inline bool is_metric_name(std::string_view s) {
  if (s.empty()) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
              (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

// Throws std::runtime_error naming the first line that breaks the format.
inline metric_families parse_prometheus_text(std::string_view text) {
  metric_families out;
  std::size_t line_number = 0;
  auto fail = [&](const std::string& why) {
    throw std::runtime_error("metrics line " + std::to_string(line_number) + ": " + why);
  };
  auto family_of = [&](const std::string& name) -> std::string {
    if (out.types.count(name)) return name;
    for (std::string_view suffix : {"_bucket", "_sum", "_count"}) {
      if (name.size() > suffix.size() && name.ends_with(suffix)) {
        std::string base = name.substr(0, name.size() - suffix.size());
        if (out.types.count(base) && out.types[base] == "histogram") return base;
      }
    }
    return {};
  };
  if (!text.empty() && text.back() != '\n') throw std::runtime_error("no final line feed");
  while (!text.empty()) {
    ++line_number;
    std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end + 1);
    if (line.starts_with("# TYPE ")) {
      std::string_view rest = line.substr(7);
      std::size_t space = rest.find(' ');
      if (space == std::string_view::npos) fail("TYPE without a type");
      std::string name(rest.substr(0, space));
      std::string type(rest.substr(space + 1));
      if (!is_metric_name(name)) fail("bad metric name '" + name + "'");
      if (type != "counter" && type != "gauge" && type != "histogram" && type != "summary" &&
          type != "untyped") {
        fail("unknown type '" + type + "'");
      }
      if (out.types.count(name)) fail("second TYPE for " + name);
      out.types[name] = type;
      continue;
    }
    if (line.starts_with("# HELP ") || line.starts_with("#")) continue;
    if (line.empty()) fail("empty line");

    metric_sample sample;
    std::size_t i = 0;
    while (i < line.size() && line[i] != '{' && line[i] != ' ') ++i;
    sample.name = std::string(line.substr(0, i));
    if (!is_metric_name(sample.name)) fail("bad metric name '" + sample.name + "'");
    if (family_of(sample.name).empty()) fail(sample.name + " has no TYPE before it");
    if (i < line.size() && line[i] == '{') {
      ++i;
      while (i < line.size() && line[i] != '}') {
        std::size_t eq = line.find('=', i);
        if (eq == std::string_view::npos || eq + 1 >= line.size() || line[eq + 1] != '"') {
          fail("bad label");
        }
        std::string key(line.substr(i, eq - i));
        if (!is_metric_name(key)) fail("bad label name '" + key + "'");
        std::string value;
        std::size_t j = eq + 2;
        for (; j < line.size() && line[j] != '"'; ++j) {
          if (line[j] == '\\') {
            if (++j >= line.size()) fail("dangling escape");
            char e = line[j];
            if (e == 'n') value += '\n';
            else if (e == '\\' || e == '"') value += e;
            else fail("bad escape");
          } else {
            value += line[j];
          }
        }
        if (j >= line.size()) fail("unterminated label value");
        sample.labels[key] = value;
        i = j + 1;
        if (i < line.size() && line[i] == ',') ++i;
      }
      if (i >= line.size()) fail("unterminated labels");
      ++i;
    }
    if (i >= line.size() || line[i] != ' ') fail("no value");
    std::string value(line.substr(i + 1));
    char* parsed_end = nullptr;
    sample.value = std::strtod(value.c_str(), &parsed_end);
    if (value.empty() || *parsed_end != '\0') fail("bad value '" + value + "'");
    out.samples.push_back(std::move(sample));
  }
  return out;
}

}  // namespace notes::testing
