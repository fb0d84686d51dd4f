// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A minimal, bounds-checked MessagePack cursor (reader) and writer for the hot codecs.
//
// Why not msgpack-c here: the frame codecs must (a) reproduce zzping 0.2's bytes exactly,
// choosing each marker as rmp did, and (b) decode tens of millions of frames per second
// without building object trees in zones. Every read checks the remaining length first, so
// truncated or hostile input raises a DecodeError carrying the byte offset, never reads
// out of bounds and never allocates from a length field.
#include <cstdint>
#include <cstring>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace zzping::mpk {

class DecodeError : public std::runtime_error {
 public:
  DecodeError(std::string what, std::size_t offset, bool truncated)
      : std::runtime_error(what + " at byte " + std::to_string(offset)),
        problem_(std::move(what)), offset_(offset), truncated_(truncated) {}
  std::size_t offset() const { return offset_; }
  // The problem without " at byte N" (for errors that add the offset themselves).
  const std::string& problem() const { return problem_; }
  // True when more bytes would have let the read succeed (a cut file, a partial message).
  bool truncated() const { return truncated_; }

 private:
  std::string problem_;
  std::size_t offset_;
  bool truncated_;
};

class Reader {
 public:
  // base_offset is added to offsets in errors (position of `bytes` in the whole file).
  explicit Reader(std::span<const std::uint8_t> bytes, std::size_t base_offset = 0)
      : data_(bytes.data()), size_(bytes.size()), base_(base_offset) {}

  std::size_t position() const { return pos_; }  // relative to the span
  std::size_t offset() const { return base_ + pos_; }  // absolute
  std::size_t remaining() const { return size_ - pos_; }
  bool at_end() const { return pos_ == size_; }
  void seek(std::size_t position) { pos_ = position; }

  std::uint8_t peek() const {
    need(1, "value");
    return data_[pos_];
  }
  bool next_is_nil() const { return pos_ < size_ && data_[pos_] == 0xc0; }

  void read_nil() {
    if (take_byte("nil") != 0xc0) fail_back("expected nil");
  }
  bool read_bool() {
    const std::uint8_t m = take_byte("bool");
    if (m == 0xc2) return false;
    if (m == 0xc3) return true;
    fail_back("expected bool");
  }
  // Any non-negative integer encoding (fixint, cc..cf, and non-negative d0..d3).
  std::uint64_t read_uint() {
    const std::uint8_t m = take_byte("integer");
    if (m <= 0x7f) return m;
    switch (m) {
      case 0xcc: return take_be(1);
      case 0xcd: return take_be(2);
      case 0xce: return take_be(4);
      case 0xcf: return take_be(8);
      case 0xd0: case 0xd1: case 0xd2: case 0xd3: {
        --pos_;
        const std::int64_t v = read_int();
        if (v < 0) fail_at(pos_, "expected a non-negative integer");
        return static_cast<std::uint64_t>(v);
      }
      default: fail_back("expected an integer");
    }
  }
  // Any integer encoding that fits int64.
  std::int64_t read_int() {
    const std::uint8_t m = take_byte("integer");
    if (m <= 0x7f) return m;
    if (m >= 0xe0) return static_cast<std::int8_t>(m);
    switch (m) {
      case 0xcc: return static_cast<std::int64_t>(take_be(1));
      case 0xcd: return static_cast<std::int64_t>(take_be(2));
      case 0xce: return static_cast<std::int64_t>(take_be(4));
      case 0xcf: {
        const std::uint64_t v = take_be(8);
        if (v > static_cast<std::uint64_t>(INT64_MAX)) fail_at(pos_ - 9, "integer exceeds int64");
        return static_cast<std::int64_t>(v);
      }
      case 0xd0: return static_cast<std::int8_t>(take_be(1));
      case 0xd1: return static_cast<std::int16_t>(take_be(2));
      case 0xd2: return static_cast<std::int32_t>(take_be(4));
      case 0xd3: return static_cast<std::int64_t>(take_be(8));
      default: fail_back("expected an integer");
    }
  }
  // Exactly the marker `marker` (e.g. 0xce) followed by its big-endian payload.
  std::uint64_t read_uint_with_marker(std::uint8_t marker) {
    const std::uint8_t m = take_byte("integer");
    std::size_t width = 0;
    switch (marker) {
      case 0xcc: width = 1; break;
      case 0xcd: width = 2; break;
      case 0xce: width = 4; break;
      case 0xcf: width = 8; break;
      default: throw std::logic_error("read_uint_with_marker: not an unsigned marker");
    }
    if (m != marker) fail_back("unexpected integer encoding");
    return take_be(width);
  }
  double read_float() {
    const std::uint8_t m = take_byte("float");
    if (m == 0xca) {
      const auto bits = static_cast<std::uint32_t>(take_be(4));
      float f;
      std::memcpy(&f, &bits, sizeof f);
      return f;
    }
    if (m == 0xcb) {
      const std::uint64_t bits = take_be(8);
      double d;
      std::memcpy(&d, &bits, sizeof d);
      return d;
    }
    fail_back("expected a float");
  }
  std::string_view read_str(std::size_t max_len) {
    const std::size_t start = pos_;
    const std::uint8_t m = take_byte("string");
    std::size_t len = 0;
    if ((m & 0xe0) == 0xa0) len = m & 0x1f;
    else if (m == 0xd9) len = take_be(1);
    else if (m == 0xda) len = take_be(2);
    else if (m == 0xdb) len = take_be(4);
    else fail_at(start, "expected a string");
    if (len > max_len) fail_at(start, "string longer than " + std::to_string(max_len) + " bytes");
    need(len, "string body");
    std::string_view s(reinterpret_cast<const char*>(data_ + pos_), len);
    pos_ += len;
    return s;
  }
  std::span<const std::uint8_t> read_bin(std::size_t max_len) {
    const std::size_t start = pos_;
    const std::uint8_t m = take_byte("bin");
    std::size_t len = 0;
    if (m == 0xc4) len = take_be(1);
    else if (m == 0xc5) len = take_be(2);
    else if (m == 0xc6) len = take_be(4);
    else fail_at(start, "expected bin");
    if (len > max_len) fail_at(start, "bin longer than " + std::to_string(max_len) + " bytes");
    need(len, "bin body");
    std::span<const std::uint8_t> s(data_ + pos_, len);
    pos_ += len;
    return s;
  }
  std::uint32_t read_array_header(std::uint32_t max_len) {
    return read_container_header(0x90, 0xdc, max_len, "array");
  }
  std::uint32_t read_map_header(std::uint32_t max_len) {
    return read_container_header(0x80, 0xde, max_len, "map");
  }
  // Skips one complete value of any type; nesting deeper than max_depth is an error.
  void skip(int max_depth = 32);

  [[noreturn]] void fail_at(std::size_t position, const std::string& what) const {
    throw DecodeError(what, base_ + position, false);
  }

 private:
  [[noreturn]] void fail_back(const std::string& what) const { fail_at(pos_ - 1, what); }
  void need(std::size_t n, const char* what) const {
    if (size_ - pos_ < n) {
      throw DecodeError(std::string("truncated ") + what, base_ + pos_, true);
    }
  }
  std::uint8_t take_byte(const char* what) {
    need(1, what);
    return data_[pos_++];
  }
  std::uint64_t take_be(std::size_t width) {
    need(width, "integer payload");
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < width; ++i) v = (v << 8) | data_[pos_ + i];
    pos_ += width;
    return v;
  }
  std::uint32_t read_container_header(std::uint8_t fix_base, std::uint8_t marker16,
                                      std::uint32_t max_len, const char* what) {
    const std::size_t start = pos_;
    const std::uint8_t m = take_byte(what);
    std::uint64_t len = 0;
    if ((m & 0xf0) == fix_base) len = m & 0x0f;
    else if (m == marker16) len = take_be(2);
    else if (m == marker16 + 1) len = take_be(4);
    else fail_at(start, std::string("expected ") + what);
    if (len > max_len) {
      fail_at(start, std::string(what) + " of " + std::to_string(len) +
                         " elements exceeds the limit of " + std::to_string(max_len));
    }
    return static_cast<std::uint32_t>(len);
  }

  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t base_;
  std::size_t pos_ = 0;
};

// Appends MessagePack to a byte vector. Integer writers pick the smallest encoding, as
// rmp's write_uint/write_sint and msgpack-c do; the *_fixed writers force a marker.
class Writer {
 public:
  explicit Writer(std::vector<std::uint8_t>& out) : out_(out) {}

  void nil() { out_.push_back(0xc0); }
  void boolean(bool b) { out_.push_back(b ? 0xc3 : 0xc2); }
  void uint(std::uint64_t v) {
    if (v <= 0x7f) out_.push_back(static_cast<std::uint8_t>(v));
    else if (v <= 0xff) put(0xcc, v, 1);
    else if (v <= 0xffff) put(0xcd, v, 2);
    else if (v <= 0xffffffffULL) put(0xce, v, 4);
    else put(0xcf, v, 8);
  }
  void sint(std::int64_t v) {
    if (v >= 0) return uint(static_cast<std::uint64_t>(v));
    const auto bits = static_cast<std::uint64_t>(v);
    if (v >= -32) out_.push_back(static_cast<std::uint8_t>(bits & 0xff));
    else if (v >= INT8_MIN) put(0xd0, bits, 1);
    else if (v >= INT16_MIN) put(0xd1, bits, 2);
    else if (v >= INT32_MIN) put(0xd2, bits, 4);
    else put(0xd3, bits, 8);
  }
  void u16_fixed(std::uint16_t v) { put(0xcd, v, 2); }
  void u32_fixed(std::uint32_t v) { put(0xce, v, 4); }
  void f64(double d) {
    std::uint64_t bits;
    std::memcpy(&bits, &d, sizeof bits);
    put(0xcb, bits, 8);
  }
  void str(std::string_view s) {
    const std::size_t n = s.size();
    if (n <= 31) out_.push_back(static_cast<std::uint8_t>(0xa0 | n));
    else if (n <= 0xff) put(0xd9, n, 1);
    else if (n <= 0xffff) put(0xda, n, 2);
    else put(0xdb, n, 4);
    out_.insert(out_.end(), s.begin(), s.end());
  }
  void str8(std::string_view s) {  // forces the d9 marker, as rmp's write_str did for 32..255
    put(0xd9, s.size(), 1);
    out_.insert(out_.end(), s.begin(), s.end());
  }
  void bin(std::span<const std::uint8_t> b) {
    const std::size_t n = b.size();
    if (n <= 0xff) put(0xc4, n, 1);
    else if (n <= 0xffff) put(0xc5, n, 2);
    else put(0xc6, n, 4);
    out_.insert(out_.end(), b.begin(), b.end());
  }
  void array_header(std::uint32_t n) { container(0x90, 0xdc, n); }
  void map_header(std::uint32_t n) { container(0x80, 0xde, n); }

 private:
  void put(std::uint8_t marker, std::uint64_t v, std::size_t width) {
    out_.push_back(marker);
    for (std::size_t i = width; i-- > 0;) out_.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  }
  void container(std::uint8_t fix_base, std::uint8_t marker16, std::uint32_t n) {
    if (n <= 15) out_.push_back(static_cast<std::uint8_t>(fix_base | n));
    else if (n <= 0xffff) put(marker16, n, 2);
    else put(static_cast<std::uint8_t>(marker16 + 1), n, 4);
  }
  std::vector<std::uint8_t>& out_;
};

}  // namespace zzping::mpk
