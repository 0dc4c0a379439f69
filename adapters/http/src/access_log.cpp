#include "access_log.hpp"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <charconv>

namespace notes::http {

namespace {

// Longer targets are cut: a log line must stay one bounded write.
constexpr std::size_t max_logged_target = 512;

class line_buffer {
 public:
  void append(std::string_view s) {
    std::size_t n = std::min(s.size(), data_.size() - 1 - size_);
    // Control characters from a client or an exception must not forge extra log lines.
    for (std::size_t i = 0; i < n; ++i) {
      auto c = static_cast<unsigned char>(s[i]);
      data_[size_++] = c < 0x20 || c == 0x7f ? ' ' : static_cast<char>(c);
    }
  }
  void append(std::int64_t value) {
    auto [end, ec] = std::to_chars(data_.data() + size_, data_.data() + data_.size() - 1, value);
    if (ec == std::errc{}) size_ = static_cast<std::size_t>(end - data_.data());
  }
  void write_line() {
    data_[size_++] = '\n';
    const char* p = data_.data();
    std::size_t left = size_;
    while (left > 0) {
      ssize_t n = ::write(STDERR_FILENO, p, left);
      if (n <= 0) return;  // nowhere to complain to about the log itself
      p += n;
      left -= static_cast<std::size_t>(n);
    }
  }

 private:
  std::array<char, 2048> data_;
  std::size_t size_ = 0;
};

void log_with_level(std::string_view level, std::string_view context, std::string_view detail) {
  line_buffer line;
  line.append(level);
  line.append(": ");
  line.append(context);
  line.append(": ");
  line.append(detail.substr(0, 1500));
  line.write_line();
}

}  // namespace

void log_error(std::string_view context, std::string_view detail) {
  log_with_level("error", context, detail);
}

void log_warning(std::string_view context, std::string_view detail) {
  log_with_level("warning", context, detail);
}

void log_access(std::string_view method, std::string_view target, unsigned status,
                std::size_t bytes, std::int64_t micros) {
  line_buffer line;
  line.append(method);
  line.append(" ");
  line.append(target.substr(0, max_logged_target));
  line.append(" ");
  line.append(static_cast<std::int64_t>(status));
  line.append(" ");
  line.append(static_cast<std::int64_t>(bytes));
  line.append(" ");
  line.append(micros);
  line.append("us");
  line.write_line();
}

}  // namespace notes::http
