// Export files (app/src/export_file read_export), which `notes-server import` reads: what it
// accepts is written back by write_export into a file that reads the same notes again.
#include <cstddef>
#include <cstdint>
#include <sstream>

#include "export_file.hpp"
#include "fuzz_check.hpp"

using notes::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto notes = notes::app::read_export(notes::fuzz::as_text(data, size));
  if (!notes) {
    require(!notes.error().empty(), "a refusal says why");
    return 0;
  }
  std::ostringstream out;
  notes::app::write_export(out, *notes);
  const auto again = notes::app::read_export(out.str());
  require(again.has_value(), "a written export reads back");
  require(*again == *notes, "an export reads back as the notes it was written from");
  return 0;
}
