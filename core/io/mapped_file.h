#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>

namespace anatomist::core {

// A whole file mapped copy-on-write (MAP_PRIVATE, read + write): tensors can point straight into it
// and may even be modified in place (training) without ever touching the file on disk.
// Shared ownership lets tensors keep the mapping alive after the reader is gone.
class MappedFile {
public:
    // Throws IoError naming the file when it cannot be opened or mapped.
    static std::shared_ptr<MappedFile> open(const std::filesystem::path& path);
    ~MappedFile();
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;

    const std::uint8_t* data() const { return m_data; }
    std::uint8_t* mutableData() { return m_data; }
    std::size_t size() const { return m_size; }
    const std::filesystem::path& path() const { return m_path; }

private:
    MappedFile() = default;
    std::uint8_t* m_data = nullptr;
    std::size_t m_size = 0;
    std::filesystem::path m_path;
};

} // namespace anatomist::core
