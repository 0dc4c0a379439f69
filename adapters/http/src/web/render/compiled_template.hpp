#pragma once
// A mustache template split once into literal pieces, {{name}} slots and sections, rendered from
// a view_data straight into one output string.
//
// The output is byte for byte what kainjow mustache 4.1 renders from the same data (the tests
// render both and compare), including kainjow's rules for lines that hold only section tags and
// white space: such a line is dropped when a section on it was rendered, and kept (as an empty
// line) when the section was skipped. Lookups walk the section stack outwards, `a.b` names and
// `{{.}}` work as in kainjow; `{{ }}` escapes & < > " ' exactly as kainjow's html_escape.
// Partials, delimiter changes and lambdas are not supported (page_templates refuses the first two
// at start; view_data has no lambdas).
#include <cstdint>
#include <expected>
#include <string>
#include <string_view>
#include <vector>

#include "web/render/view_data.hpp"

namespace notes::http::web {

// Appends `text` with & < > " ' replaced by &amp; &lt; &gt; &quot; &apos;.
void append_html_escaped(std::string& out, std::string_view text);

class compiled_template {
 public:
  // `text` must already be valid for kainjow (page_templates checks that first): this reports
  // only what it cannot render.
  static std::expected<compiled_template, std::string> compile(std::string_view text);

  // Appends the page to `out`. Reads only this object, so many threads may render it at once.
  void render(const view_data& data, std::string& out) const;

  // The size of all fixed text, skipped sections' included.
  std::size_t literal_size() const noexcept { return literals_.size(); }

 private:
  enum class op_type : std::uint8_t { text, newline, variable, raw_variable, section, inverted };
  struct name_part {
    std::string text;
    std::uint32_t hash = 0;
  };
  struct name {
    bool dot = false;  // {{.}}: the innermost value
    std::vector<name_part> parts;
  };
  // `newline` is a line end on a line that holds a section tag; other line ends are text.
  struct op {
    op_type type = op_type::text;
    bool ends_lines = false;   // text: holds a line end; the last line's text is `tail` bytes
    std::uint32_t offset = 0;  // text and newline: the literal in literals_
    std::uint32_t size = 0;
    std::uint32_t tail = 0;
    std::uint32_t name = 0;  // variables and sections: index into names_
    std::uint32_t end = 0;   // sections: the index just past the section's body
  };
  class compiler;
  class renderer;

  std::string literals_;
  std::vector<op> ops_;
  std::vector<name> names_;
};

}  // namespace notes::http::web
