#pragma once
// Just enough JSON Schema (2020-12, as OpenAPI 3.1 uses it) to hold real responses against the
// schemas in the OpenAPI document: $ref (local), allOf, type, properties, required,
// additionalProperties, items, enum, const, minimum, minLength, maxLength, minProperties.
// A keyword it does not know is reported as a problem, so a schema can never pass unchecked.
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>

namespace notes::testing {

class json_schema_checker {
 public:
  explicit json_schema_checker(const boost::json::value& document) : document_(document) {}

  // Follows a local reference such as "#/components/schemas/note"; null when it leads nowhere.
  const boost::json::value* resolve(std::string_view ref) const {
    if (!ref.starts_with("#/")) return nullptr;
    const boost::json::value* at = &document_;
    std::string_view rest = ref.substr(2);
    while (!rest.empty()) {
      std::size_t slash = rest.find('/');
      std::string key(rest.substr(0, slash));
      rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
      // JSON Pointer escapes: ~1 is '/', ~0 is '~'.
      for (std::size_t p; (p = key.find("~1")) != std::string::npos;) key.replace(p, 2, "/");
      for (std::size_t p; (p = key.find("~0")) != std::string::npos;) key.replace(p, 2, "~");
      if (!at->is_object() || !at->as_object().contains(key)) return nullptr;
      at = &at->as_object().at(key);
    }
    return at;
  }

  // Every way `value` breaks `schema`, each with the JSON path where it happens.
  std::vector<std::string> check(const boost::json::value& value,
                                 const boost::json::value& schema) const {
    std::vector<std::string> problems;
    check(value, schema, "$", problems);
    return problems;
  }

 private:
  static std::string type_of(const boost::json::value& v) {
    switch (v.kind()) {
      case boost::json::kind::null: return "null";
      case boost::json::kind::bool_: return "boolean";
      case boost::json::kind::int64:
      case boost::json::kind::uint64: return "integer";
      case boost::json::kind::double_: return "number";
      case boost::json::kind::string: return "string";
      case boost::json::kind::array: return "array";
      case boost::json::kind::object: return "object";
    }
    return "?";
  }

  static bool has_type(const boost::json::value& v, std::string_view type) {
    std::string actual = type_of(v);
    return actual == type || (type == "number" && actual == "integer");
  }

  static std::size_t code_points(std::string_view s) {
    std::size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
  }

  static double number(const boost::json::value& v) {
    if (v.is_int64()) return static_cast<double>(v.as_int64());
    if (v.is_uint64()) return static_cast<double>(v.as_uint64());
    return v.as_double();
  }

  void check(const boost::json::value& value, const boost::json::value& schema,
             const std::string& path, std::vector<std::string>& problems) const {
    if (schema.is_bool()) {
      if (!schema.as_bool()) problems.push_back(path + ": not allowed here");
      return;
    }
    if (!schema.is_object()) {
      problems.push_back(path + ": the schema is not an object");
      return;
    }
    static const std::set<std::string, std::less<>> annotations{
        "description", "format", "default", "example", "examples", "title"};
    for (const auto& [key, rule] : schema.as_object()) {
      if (annotations.contains(key)) continue;
      if (key == "$ref") {
        const auto* target = resolve(rule.as_string());
        if (target == nullptr) {
          problems.push_back(path + ": unresolved $ref " + std::string(rule.as_string()));
        } else {
          check(value, *target, path, problems);
        }
      } else if (key == "allOf") {
        for (const auto& part : rule.as_array()) check(value, part, path, problems);
      } else if (key == "type") {
        bool ok = false;
        if (rule.is_string()) {
          ok = has_type(value, rule.as_string());
        } else {
          for (const auto& t : rule.as_array()) ok = ok || has_type(value, t.as_string());
        }
        if (!ok) problems.push_back(path + ": is " + type_of(value) + ", wanted " +
                                    boost::json::serialize(rule));
      } else if (key == "properties") {
        if (!value.is_object()) continue;
        for (const auto& [name, sub] : rule.as_object()) {
          if (auto it = value.as_object().find(name); it != value.as_object().end()) {
            check(it->value(), sub, path + "." + std::string(name), problems);
          }
        }
      } else if (key == "required") {
        if (!value.is_object()) continue;
        for (const auto& name : rule.as_array()) {
          if (!value.as_object().contains(name.as_string())) {
            problems.push_back(path + ": lacks " + std::string(name.as_string()));
          }
        }
      } else if (key == "additionalProperties") {
        if (!value.is_object()) continue;
        const auto* declared = schema.as_object().if_contains("properties");
        for (const auto& [name, member] : value.as_object()) {
          if (declared != nullptr && declared->as_object().contains(name)) continue;
          check(member, rule, path + "." + std::string(name), problems);
        }
      } else if (key == "items") {
        if (!value.is_array()) continue;
        std::size_t i = 0;
        for (const auto& item : value.as_array()) {
          check(item, rule, path + "[" + std::to_string(i++) + "]", problems);
        }
      } else if (key == "enum") {
        bool listed = false;
        for (const auto& option : rule.as_array()) listed = listed || option == value;
        if (!listed) problems.push_back(path + ": " + boost::json::serialize(value) +
                                        " is not one of " + boost::json::serialize(rule));
      } else if (key == "const") {
        if (rule != value) problems.push_back(path + ": is not " + boost::json::serialize(rule));
      } else if (key == "minimum") {
        if (value.is_number() && number(value) < number(rule)) {
          problems.push_back(path + ": below the minimum");
        }
      } else if (key == "minLength" || key == "maxLength") {
        if (!value.is_string()) continue;
        const auto length = static_cast<std::int64_t>(code_points(value.as_string()));
        if (key == "minLength" ? length < rule.as_int64() : length > rule.as_int64()) {
          problems.push_back(path + ": breaks " + std::string(key));
        }
      } else if (key == "minProperties") {
        if (value.is_object() &&
            static_cast<std::int64_t>(value.as_object().size()) < rule.as_int64()) {
          problems.push_back(path + ": too few members");
        }
      } else {
        problems.push_back(path + ": the checker does not know the keyword " + std::string(key));
      }
    }
  }

  const boost::json::value& document_;
};

}  // namespace notes::testing
