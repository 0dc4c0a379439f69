// The log lines on stderr: one write per line, a prefix per kind, nothing a client can forge.
#include <doctest/doctest.h>

#include "access_log.hpp"
#include "stderr_capture.hpp"

using notes::testing::stderr_capture;

TEST_CASE("log_warning and log_error write one prefixed line each") {
  stderr_capture capture;
  notes::http::log_warning("SECRET_KEY", "not set; using a random key");
  notes::http::log_error("storage failure", "disk full");
  CHECK(capture.text() ==
        "warning: SECRET_KEY: not set; using a random key\n"
        "error: storage failure: disk full\n");
}

TEST_CASE("control characters in a log line cannot start another line") {
  stderr_capture capture;
  notes::http::log_warning("context\n", "detail\r\nerror: forged");
  CHECK(capture.text() == "warning: context : detail  error: forged\n");
}
