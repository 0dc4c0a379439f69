#pragma once
// Reading a `.env` file the way python-dotenv's load_dotenv() does, so a `.env` written for a Python
// deployment reads the same here.
#include <expected>
#include <string>
#include <string_view>
#include <vector>

namespace notes::app {

struct dotenv_entry {
  std::string key;
  std::string value;
  int line = 0;  // where the entry starts, for error messages
};

// Lines are `KEY=value`, optionally prefixed by `export `. Blank lines and lines starting with
// `#` are skipped, as is a bare `KEY` without `=`. Values may be unquoted (trimmed, a ` #` starts
// a comment), 'single-quoted' (literal) or "double-quoted" (\n, \t, \r, \", \\ and \' escapes);
// quoted values may span lines. No ${VAR} expansion. The error names the line at fault.
std::expected<std::vector<dotenv_entry>, std::string> parse_dotenv(std::string_view text);

}  // namespace notes::app
