// Recognises the image formats the ranker accepts by their first bytes, never by the name or the
// Content-Type the client claims.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace ranker {

struct ImageType {
  std::string mime;       // "image/jpeg"
  std::string extension;  // "jpg"
};

// JPEG (FF D8 FF), PNG (the 8-byte signature), WebP (RIFF....WEBP); anything else is nullopt.
std::optional<ImageType> sniff_image(std::string_view bytes);

}  // namespace ranker
