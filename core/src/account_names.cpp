#include "notes/account_repository.hpp"

#include <string>

namespace notes {

// ASCII only, independent of the C locale: names are ASCII (account_service refuses others),
// and a locale-dependent fold could make two servers disagree on which names collide.
std::string fold_account_name(std::string_view name) {
  std::string out(name);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace notes
