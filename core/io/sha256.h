#pragma once
// SHA-256 (FIPS 180-4), incremental, for content hashes of model folders.

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace anatomist::core {

class Sha256 {
public:
    Sha256();
    void update(const void* data, std::size_t size);
    void update(std::string_view bytes) { update(bytes.data(), bytes.size()); }
    // Streams a file's bytes in (IoError naming the file when it cannot be read).
    void updateFile(const std::filesystem::path& file);
    std::string hexDigest(); // finishes; the object must not be updated afterwards

private:
    void block(const uint8_t* data);
    std::array<uint32_t, 8> m_state;
    std::array<uint8_t, 64> m_buffer{};
    std::size_t m_buffered = 0;
    uint64_t m_length = 0;
};

} // namespace anatomist::core
