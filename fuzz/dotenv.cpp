// .env files (app/src/dotenv): an entry has a key made of the allowed characters and the line it
// starts on; a refusal names a line of the file.
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "dotenv.hpp"
#include "fuzz_check.hpp"

using notes::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = notes::fuzz::as_text(data, size);
  const auto lines = static_cast<int>(std::count(text.begin(), text.end(), '\n')) + 1;
  const auto entries = notes::app::parse_dotenv(text);
  if (!entries) {
    require(entries.error().starts_with(".env line "), "a refusal names the line");
    return 0;
  }
  int previous = 0;
  for (const auto& e : *entries) {
    require(!e.key.empty() && e.key.find_first_of(" =\n\"'#") == std::string::npos,
            "a key is a name");
    require(e.line > previous && e.line <= lines, "entries come in line order, within the file");
    previous = e.line;
  }
  return 0;
}
