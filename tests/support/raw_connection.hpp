#pragma once
// A blocking TCP connection for tests that send a request in pieces, or bytes no HTTP client
// would send.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>

namespace notes::testing {

struct raw_connection {
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::socket socket{ioc};

  explicit raw_connection(std::uint16_t port) {
    socket.connect({boost::asio::ip::make_address("127.0.0.1"), port});
  }
  void send(std::string_view bytes) {
    boost::asio::write(socket, boost::asio::buffer(bytes.data(), bytes.size()));
  }
  // Everything until the server closes the connection.
  std::string receive_all() {
    std::string out;
    boost::system::error_code ec;
    std::array<char, 4096> chunk;
    while (true) {
      std::size_t n = socket.read_some(boost::asio::buffer(chunk), ec);
      out.append(chunk.data(), n);
      if (ec) return out;
    }
  }
};

}  // namespace notes::testing
